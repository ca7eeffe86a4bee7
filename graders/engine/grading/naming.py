"""Who is who: a student name for every submission path, from the paths alone (never their content).

A submission is named after its file (without ``.py``/``.ipynb``) or folder, as long as those names
differ. Where several share it (nbgrader's ``submitted/<student>/<assignment>/<assignment>.ipynb``),
the group is named after the nearest folder above at which its members all differ. A name in an LMS
download's ``<name>_<id>_...`` pattern keeps the ``<name>`` (with the id where two names clash). A
``--students`` CSV (columns ``path``, ``student``) overrides any of these. Names depend only on the
set of paths, not on their order, so every shard of a class computes the same names.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from graders.engine.reports.store import student_dirname

#: Canvas and Moodle downloads: ``smithjane_12345_67890_regularization.py``, ``smithjane_LATE_12345_...``,
#: ``Jane Smith_12345_assignsubmission_file_``.
LMS_PATTERN = re.compile(r"^(?P<name>[A-Za-z][^_]*)_(?:LATE_)?(?P<id>\d{3,})_")


class NamingError(ValueError):
    """A students CSV that cannot be used (missing, wrong columns, one id for two submissions)."""


@dataclass(frozen=True)
class NamingRule:
    """How some students were named: ``kind`` is "file" (file or folder name), "folder" (a folder
    above the file; ``pattern`` shows where, e.g. ``submitted/<student>/regularization/x.ipynb``),
    "lms" (the ``<name>_<id>_`` pattern), "csv" (``pattern`` is the CSV file) or "numbered" (the same
    path given twice); ``count`` students were named so."""

    kind: str
    pattern: str
    count: int


@dataclass(frozen=True)
class Naming:
    """A name per path (in the order of ``paths``) and how the names were found."""

    names: tuple[str, ...]
    rules: tuple[NamingRule, ...]


def leaf_name(path: Path) -> str:
    """The name a submission has on its own: a file's stem for .py and .ipynb, else its full name."""
    return path.stem if path.suffix in (".py", ".ipynb") else path.name


def _levels(path: Path) -> list[str]:
    """The path's names from the leaf upwards: leaf name, parent folder, grandparent..."""
    absolute = Path(path).absolute()
    return [leaf_name(absolute)] + [p.name for p in absolute.parents if p.name]


def read_students_csv(path: Path) -> dict[Path, str]:
    """The ``path,student`` rows of a students CSV as absolute path -> student id; relative paths are
    taken from the CSV's own folder. A row may name a folder: it covers every submission below it."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise NamingError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    if not rows or not {"path", "student"} <= set(rows[0]):
        raise NamingError(f"{path} needs a header row with the columns path and student")
    mapping: dict[Path, str] = {}
    for row in rows:
        target, student = (row["path"] or "").strip(), (row["student"] or "").strip()
        if target and student:
            mapping[_absolute(path.parent, Path(target))] = student
    return mapping


def _absolute(base: Path, path: Path) -> Path:
    return Path(path if path.is_absolute() else base / path).absolute()


def _from_csv(path: Path, mapping: Mapping[Path, str]) -> str | None:
    """The id a students CSV gives ``path``, by the path itself or its nearest listed folder."""
    absolute = Path(path).absolute()
    for candidate in (absolute, *absolute.parents):
        if candidate in mapping:
            return mapping[candidate]
    return None


def _pattern(levels: list[str], level: int) -> str:
    """Where the name comes from, shown on one path: ``submitted/<student>/regularization/x.ipynb``."""
    shown = list(reversed(levels[: level + 2]))
    shown[-(level + 1)] = "<student>"
    return "/".join(shown)


def _group_names(members: list[list[str]]) -> tuple[list[str], int] | None:
    """Names for paths sharing a leaf name: the nearest folder level at which all differ."""
    depth = min(len(m) for m in members)
    for level in range(1, depth):
        names = [m[level] for m in members]
        if len(set(names)) == len(names):
            return names, level
    return None


def _lms(name: str) -> tuple[str, str] | None:
    match = LMS_PATTERN.match(name)
    return (match["name"], match["id"]) if match else None


def name_students(paths: Sequence[Path], students: Mapping[Path, str] | None = None,
                  csv_name: str = "") -> Naming:
    """A name for every path of a class (see the module's docstring) and the rules used."""
    levels = [_levels(p) for p in paths]
    names: list[str] = [lv[0] for lv in levels]
    kinds: list[tuple[str, str]] = [("file", "")] * len(paths)
    by_leaf: dict[str, list[int]] = defaultdict(list)
    for i, lv in enumerate(levels):
        by_leaf[lv[0]].append(i)
    for leaf, indexes in by_leaf.items():
        found = _group_names([levels[i] for i in indexes]) if len(indexes) > 1 else None
        if found is not None:
            group_names, level = found
            for i, name in zip(indexes, group_names):
                names[i], kinds[i] = name, ("folder", _pattern(levels[i], level))
    _apply_lms(names, kinds)
    for i, path in enumerate(paths):
        given = _from_csv(path, students or {})
        if given is not None:
            names[i], kinds[i] = given, ("csv", csv_name)
    _check_csv_ids(paths, names, kinds)
    _number_duplicates(paths, names, kinds)
    return Naming(tuple(names), _rules(kinds))


def _apply_lms(names: list[str], kinds: list[tuple[str, str]]) -> None:
    """Keep the ``<name>`` of an LMS download's ``<name>_<id>_...``; ``<name>_<id>`` where two clash."""
    parsed = {i: _lms(n) for i, n in enumerate(names)}
    counts = Counter(p[0] for p in parsed.values() if p)
    for i, found in parsed.items():
        if found:
            names[i] = found[0] if counts[found[0]] == 1 else f"{found[0]}_{found[1]}"
            kinds[i] = ("lms", "<name>_<id>_...")


def _check_csv_ids(paths: Sequence[Path], names: list[str], kinds: list[tuple[str, str]]) -> None:
    """One id for two different submissions is a mistake in the CSV, not something to number."""
    seen: dict[str, Path] = {}
    for path, name, (kind, _) in zip(paths, names, kinds):
        if kind != "csv":
            continue
        other = seen.setdefault(name, Path(path))
        if Path(other).absolute() != Path(path).absolute():
            raise NamingError(f"the students CSV gives the id {name!r} to two submissions ({other} and {path})")


def _number_duplicates(paths: Sequence[Path], names: list[str], kinds: list[tuple[str, str]]) -> None:
    """Names still shared (the same path twice, folders too short to tell apart) get -2, -3...,
    numbered in the order of the paths' text so that the command line's order does not matter."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        groups[student_dirname(name)].append(i)
    for indexes in groups.values():
        for count, i in enumerate(sorted(indexes, key=lambda i: str(Path(paths[i]).absolute()))[1:], start=2):
            names[i], kinds[i] = f"{names[i]}-{count}", ("numbered", "")


def _rules(kinds: list[tuple[str, str]]) -> tuple[NamingRule, ...]:
    counts = Counter(kinds)
    return tuple(NamingRule(kind, pattern, n) for (kind, pattern), n in sorted(counts.items()))
