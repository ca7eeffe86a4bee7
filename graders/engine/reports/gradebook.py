"""Gradebook exports: Gradescope ``results.json``, ``grades.csv``, and the per-student output files.

Every file is written through :func:`write_atomic`, so a reader (or a crash half-way through a class
run) never sees a half-written file. Wording comes from the templates, through ``render``.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from graders.engine.files import write_atomic
from graders.engine.reports import manifest, store
from graders.engine.reports.dashboard import render_dashboard
from graders.engine.reports.manifest import RunManifest
from graders.engine.reports.records import ExerciseResult, Report
from graders.engine.reports.render import (
    format_points,
    render_check_text,
    render_report,
    render_results_output,
    render_summary,
)

#: Spreadsheet programs run cells that start with these characters as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Files written for each student by :func:`write_student_outputs`.
STUDENT_FILES = ("report.html", "report.md", "report.txt", "results.json", "report.json")


def _score(value: float) -> float:
    """A score without float noise (0.1 + 0.2 -> 0.3)."""
    return round(float(value), 6) + 0.0


def results_json(report: Report) -> dict[str, Any]:
    """The Gradescope autograder results for one report (the ``results.json`` structure).

    One test per check; hidden checks are published only after grades are
    (``"after_published"``) and their output follows the hidden-check rules of the templates.
    """
    tests = []
    for i, ex in enumerate(report.exercises, start=1):
        for j, check in enumerate(ex.checks, start=1):
            tests.append({
                "name": f"{ex.name}: {check.title}",
                "number": f"{i}.{j}",
                "score": _score(check.points),
                "max_score": _score(check.max_points),
                "status": "passed" if check.outcome == "passed" else "failed",
                "output": render_check_text(report, check),
                "output_format": "text",
                "visibility": "visible" if check.public else "after_published",
            })
    return {
        "score": _score(report.points),
        "max_score": _score(report.max_points),
        "output": render_results_output(report),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _text_cell(value: str) -> str:
    """A text cell that a spreadsheet will not evaluate as a formula (student names are untrusted)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def grades_rows(reports: Iterable[Report], exercise_names: Sequence[str]) -> list[dict[str, str]]:
    """The rows of ``grades.csv`` (sorted by student), as dicts of strings."""
    reports = list(reports)
    class_max: dict[str, float] = {}
    for rep in reports:
        for ex in rep.exercises:
            class_max[ex.name] = max(class_max.get(ex.name, 0.0), ex.max_points)
    rows = []
    for rep in sorted(reports, key=lambda r: r.student):
        by_name = {ex.name: ex for ex in rep.exercises}
        row = {"student": _text_cell(rep.student), "submission": _text_cell(rep.submission)}
        total = max_total = 0.0
        for name in exercise_names:
            ex = by_name.get(name)
            points = ex.points if ex is not None else 0.0
            total += points
            max_total += ex.max_points if ex is not None else class_max.get(name, 0.0)
            row[name] = format_points(points)
        row["total"] = format_points(total)
        row["max_total"] = format_points(max_total)
        row["problem"] = rep.problem.kind if rep.problem is not None else ""
        rows.append(row)
    return rows


def write_grades_csv(
    path: str | os.PathLike[str], reports: Iterable[Report], exercise_names: Sequence[str]
) -> Path:
    """Write ``grades.csv``: student, submission, one column per exercise, total, max_total, problem."""
    fields = ["student", "submission", *exercise_names, "total", "max_total", "problem"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    writer.writerows(grades_rows(reports, exercise_names))
    return write_atomic(path, buf.getvalue())


def write_student_outputs(out_dir: str | os.PathLike[str], report: Report) -> Path:
    """Write ``out_dir/<student>/`` report.html, report.md, report.txt, results.json and, last, as
    the mark of a finished student, report.json (read back by a resumed run); return the folder."""
    folder = Path(out_dir) / store.student_dirname(report.student)
    for fmt in ("html", "md", "txt"):
        write_atomic(folder / f"report.{fmt}", render_report(report, fmt))
    write_atomic(folder / "results.json", json.dumps(results_json(report), indent=2, ensure_ascii=False) + "\n")
    write_atomic(folder / store.FILENAME, store.dumps(report))
    return folder


def exercise_names_of(reports: Iterable[Report]) -> list[str]:
    """Exercise names in order of first appearance across ``reports``."""
    names: list[str] = []
    for rep in reports:
        for ex in rep.exercises:
            if ex.name not in names:
                names.append(ex.name)
    return names


def slim(report: Report, shared: dict[str, ExerciseResult] | None = None) -> Report:
    """What the class files need of a report: no figures, no captured output, no check evidence
    (a class run keeps only this in memory once a student's own files are written). With
    ``shared`` (one dict for a whole class run), equal slim exercises are one object: most students
    of a class share their outcomes, so the run holds a few distinct exercises, not one per student."""
    exercises = []
    for ex in report.exercises:
        exercise = ExerciseResult(ex.name, tuple(dataclasses.replace(c, evidence=()) for c in ex.checks))
        exercises.append(exercise if shared is None else shared.setdefault(repr(exercise), exercise))
    return dataclasses.replace(report, exercises=tuple(exercises), notes=(), plots=())


def write_class_outputs(
    out_dir: str | os.PathLike[str],
    reports: Sequence[Report],
    exercise_names: Sequence[str] | None = None,
    run: RunManifest | None = None,
) -> list[Path]:
    """Write the class-level files ``grades.csv``, ``summary.md`` and the dashboard ``summary.html``
    into ``out_dir`` and, given the run's manifest, ``run.json`` (what ``dlgrade merge`` reads)."""
    reports = sorted(reports, key=lambda r: r.student)
    names = list(exercise_names) if exercise_names is not None else exercise_names_of(reports)
    out = Path(out_dir)
    written = [
        write_grades_csv(out / "grades.csv", reports, names),
        write_atomic(out / "summary.md", render_summary(reports, "md", run.naming if run else ())),
        write_atomic(out / "summary.html", render_dashboard(reports, run)),
    ]
    return written + ([manifest.write(out, run)] if run is not None else [])
