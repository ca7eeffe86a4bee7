"""``<out>/run.json``: what a class run graded and how, so that shard outputs can be merged safely.

It records the assignment, the seed, whether figures were drawn, a fingerprint of the references,
suite and engine, the shard and the whole class it was cut from, how students were named, and each
student's grading time. ``dlgrade merge`` refuses outputs whose manifests disagree.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from graders.engine.files import write_atomic
from graders.engine.grading.naming import NamingRule

FILENAME = "run.json"
FORMAT = 1


@dataclass(frozen=True)
class StudentTime:
    """One student of the run: their output folder name and grading seconds (None: not measured,
    e.g. a report kept from an interrupted run)."""

    student: str
    seconds: float | None


@dataclass(frozen=True)
class RunManifest:
    """The facts about one ``dlgrade grade`` run (or a merge of several) that its outputs depend on."""

    assignment: str
    seed: int
    figures: bool
    fingerprint: str  # of the references, the grader suite and the engine
    exercises: tuple[str, ...]
    shard: tuple[int, int] | None  # (K, N), or None for a whole class
    class_digest: str  # of every path of the class, before it was cut into shards
    class_size: int
    naming: tuple[NamingRule, ...]
    isolation: str
    students: tuple[StudentTime, ...]

    def seconds_by_student(self) -> dict[str, float | None]:
        """Grading seconds by student name."""
        return {s.student: s.seconds for s in self.students}


def dumps(manifest: RunManifest) -> str:
    """Stable JSON text of a manifest."""
    return json.dumps({"format": FORMAT, **asdict(manifest)}, indent=1, sort_keys=True) + "\n"


def loads(text: str) -> RunManifest:
    """Inverse of :func:`dumps`; ValueError, KeyError or TypeError on anything else."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown run.json format {data.get('format')!r}")
    return RunManifest(
        assignment=str(data["assignment"]), seed=int(data["seed"]), figures=bool(data["figures"]),
        fingerprint=str(data["fingerprint"]), exercises=tuple(data["exercises"]),
        shard=tuple(data["shard"]) if data["shard"] else None, class_digest=str(data["class_digest"]),
        class_size=int(data["class_size"]), naming=tuple(NamingRule(**r) for r in data["naming"]),
        isolation=str(data["isolation"]), students=tuple(StudentTime(**s) for s in data["students"]))


def write(out: Path, manifest: RunManifest) -> Path:
    """Write ``out/run.json`` atomically."""
    return write_atomic(Path(out) / FILENAME, dumps(manifest))


def read(out: Path) -> RunManifest | None:
    """The manifest of ``out``, or None when there is none (or it is not one)."""
    try:
        return loads((Path(out) / FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
