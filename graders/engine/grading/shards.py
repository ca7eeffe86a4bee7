"""A class cut into shards (``dlgrade grade ... --shard K/N``) and put back together (``dlgrade merge``).

A student's shard is a hash of their name, so it does not depend on the order of the paths (names
themselves depend only on the set of paths, see :mod:`naming`). Merging checks that every output
graded the same class the same way (assignment, seed, figures, references, suite and engine), that
the shards are complete and do not overlap, then writes what a single run would have written.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from graders.engine.reports import gradebook, manifest, render, store
from graders.engine.reports.manifest import RunManifest, StudentTime
from graders.engine.reports.records import Report
from graders.engine.sandbox.parent import ROOT

_SHARD_RE = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class MergeError(ValueError):
    """Outputs that cannot be merged, or a shard spec that is not K/N: one line for the terminal."""


@dataclass(frozen=True)
class ShardSpec:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def holds(self, student: str) -> bool:
        """True when ``student`` belongs to this shard (a stable hash of the name)."""
        return shard_of(student, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(student: str, count: int) -> int:
    """The shard (1..count) a student's name falls in."""
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> ShardSpec:
    """``"2/8"`` -> ShardSpec(2, 8); MergeError (with the expected form) for anything else."""
    match = _SHARD_RE.fullmatch(text or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise MergeError(render.message("cli.j2", "bad_shard", text=text))
    return ShardSpec(int(match[1]), int(match[2]))


def fingerprint(assignment: str, root: Path = ROOT) -> str:
    """A fingerprint of what decides a grade: the reference, the grader suite and the engine's code."""
    files = [root / "solutions" / f"{assignment}.py", root / "graders" / f"{assignment}.py",
             *sorted((root / "graders" / "engine").rglob("*.py"))]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def class_digest(paths: Sequence[Path], names: Sequence[str]) -> str:
    """A fingerprint of the whole class: every path as given (relative paths stay valid on another
    machine of a batch system) and its student name, in no particular order."""
    lines = sorted(f"{p}\0{n}" for p, n in zip(paths, names))
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Merged:
    """The result of a merge: the reports (without figures and captured output), the merged manifest."""

    reports: tuple[Report, ...]
    manifest: RunManifest


def _manifests(outputs: Sequence[Path]) -> list[RunManifest]:
    found = []
    for out in outputs:
        if not Path(out).is_dir():
            raise MergeError(render.message("cli.j2", "merge_not_a_folder", path=out))
        read = manifest.read(Path(out))
        if read is None:
            raise MergeError(render.message("cli.j2", "merge_no_manifest", path=out))
        found.append(read)
    return found


def _same(outputs: Sequence[Path], manifests: Sequence[RunManifest]) -> None:
    """Refuse outputs of different assignments, gradings or classes."""
    first = manifests[0]
    for out, other in zip(outputs[1:], manifests[1:]):
        for field in ("assignment", "seed", "figures", "fingerprint", "class_digest"):
            mine, theirs = getattr(first, field), getattr(other, field)
            if mine != theirs:
                raise MergeError(render.message("cli.j2", "merge_differs", field=field, first=outputs[0],
                                                other=out, a=mine, b=theirs))


def _complete(outputs: Sequence[Path], manifests: Sequence[RunManifest]) -> None:
    """Shards of one count, each once, none missing (or whole-class outputs only)."""
    shards = [m.shard for m in manifests]
    if all(s is None for s in shards):
        return
    if any(s is None for s in shards) or len({s[1] for s in shards}) != 1:
        raise MergeError(render.message("cli.j2", "merge_mixed_shards", shards=[s and "/".join(map(str, s)) for s in shards]))
    count = shards[0][1]
    indexes = [s[0] for s in shards]
    repeated = sorted({i for i in indexes if indexes.count(i) > 1})
    missing = sorted(set(range(1, count + 1)) - set(indexes))
    if repeated or missing:
        raise MergeError(render.message("cli.j2", "merge_shards_incomplete", count=count, missing=missing,
                                        repeated=repeated))


def _student_reports(out: Path, entries: Sequence[StudentTime]) -> list[Report]:
    reports, shared = [], {}
    for entry in entries:
        path = out / store.student_dirname(entry.student) / store.FILENAME
        try:
            reports.append(gradebook.slim(store.loads(path.read_text(encoding="utf-8")), shared))
        except (OSError, ValueError, KeyError, TypeError):
            raise MergeError(render.message("cli.j2", "merge_report_missing", path=path)) from None
    return reports


def merge(outputs: Sequence[Path], dest: Path) -> Merged:
    """Merge the outputs of ``dlgrade grade`` runs (shards of one class) into ``dest``: every
    student's folder, then grades.csv, summary.md, summary.html and run.json as one run writes them."""
    outputs = [Path(o) for o in outputs]
    if any(Path(dest).absolute() == o.absolute() for o in outputs):
        raise MergeError(render.message("cli.j2", "merge_into_input", path=dest))
    manifests = _manifests(outputs)
    _same(outputs, manifests)
    _complete(outputs, manifests)
    reports: list[Report] = []
    times: dict[str, StudentTime] = {}
    for out, found in zip(outputs, manifests):
        for entry in found.students:
            if entry.student in times:
                raise MergeError(render.message("cli.j2", "merge_student_twice", student=entry.student))
            times[entry.student] = entry
        reports.extend(_student_reports(out, found.students))
    for out, found in zip(outputs, manifests):
        for entry in found.students:
            folder = store.student_dirname(entry.student)
            shutil.copytree(out / folder, Path(dest) / folder, dirs_exist_ok=True)
    first = manifests[0]
    merged = RunManifest(
        assignment=first.assignment, seed=first.seed, figures=first.figures, fingerprint=first.fingerprint,
        exercises=first.exercises, shard=None, class_digest=first.class_digest, class_size=first.class_size,
        naming=first.naming, isolation=", ".join(sorted({m.isolation for m in manifests if m.isolation})),
        students=tuple(times[s] for s in sorted(times)))
    gradebook.write_class_outputs(dest, reports, list(first.exercises), merged)
    return Merged(tuple(reports), merged)
