"""Reports as JSON on disk (``<out>/<student>/report.json``), so a rerun can resume a class."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graders.engine.reports.records import (
    CheckResult,
    Evidence,
    ExerciseResult,
    Hint,
    LoadNote,
    Plot,
    Report,
)

FILENAME = "report.json"


def student_dirname(student: str) -> str:
    """A safe single folder name for a student: letters, digits and ``._-@+`` kept, anything else
    (path separators, control characters) replaced by ``_``, no leading dot, at most 100 characters."""
    name = "".join(ch if (ch.isalnum() or ch in "._-@+") else "_" for ch in student)
    name = name.lstrip(".")[:100]
    return name or "_"


def dumps(report: Report) -> str:
    """Stable JSON text of a report."""
    return json.dumps(asdict(report), sort_keys=True, indent=1, allow_nan=True) + "\n"


def loads(text: str) -> Report:
    """Inverse of :func:`dumps`."""
    data = json.loads(text)
    exercises = tuple(ExerciseResult(e["name"], tuple(_check(c) for c in e["checks"])) for e in data["exercises"])
    return Report(
        assignment=data["assignment"], student=data["student"], submission=data["submission"],
        mode=data["mode"], exercises=exercises,
        notes=tuple(LoadNote(n["kind"], n["data"]) for n in data["notes"]),
        plots=tuple(Plot(p["title"], p["png_base64"]) for p in data["plots"]),
        hidden_count=data["hidden_count"], isolation=data["isolation"],
        problem=_evidence(data["problem"]) if data["problem"] else None, source_digest=data["source_digest"])


def load(out: Path, student: str, submission: str, source_digest: str) -> Report | None:
    """The report a previous run wrote for this student, if it graded the same file with the same
    content."""
    try:
        report = loads((out / student_dirname(student) / FILENAME).read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    same = report.submission == submission and report.source_digest == source_digest
    return report if same else None


def _check(data: dict[str, Any]) -> CheckResult:
    return CheckResult(
        exercise=data["exercise"], name=data["name"], title=data["title"], kind=data["kind"],
        public=data["public"], max_points=data["max_points"], outcome=data["outcome"],
        evidence=tuple(_evidence(e) for e in data["evidence"]),
        hint=Hint(data["hint"]["key"], data["hint"]["args"]) if data["hint"] else None)


def _evidence(data: dict[str, Any]) -> Evidence:
    return Evidence(data["kind"], data["data"])
