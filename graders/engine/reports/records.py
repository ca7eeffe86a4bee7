"""Typed, frozen records shared by the grading engine, the renderers and the gradebook.

Every record here is plain data: evidence carries numbers, shapes and names, never prose. All the
wording a student reads is produced from these records by the Jinja templates in ``templates/``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

#: Outcomes a check can end with. Only "passed" earns points.
OUTCOMES = ("passed", "failed", "error", "timeout", "crashed", "not_implemented", "skipped")


@dataclass(frozen=True)
class Evidence:
    """One fact about a failing check, rendered by the template macro named ``kind``.

    ``data`` holds JSON-able values only (numbers, strings, lists), e.g. for kind "values_differ":
    ``{"name": "dW1", "n_differ": 3, "n_total": 6, "max_err": 0.35, "where": [1, 2],
    "rtol": 1e-05, "atol": 1e-08}``.
    """

    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hint:
    """A known mistake recognised in a failing output; ``key`` names a macro in
    ``templates/hints/<assignment>.j2`` and ``args`` are passed to it."""

    key: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check on one submission."""

    exercise: str
    name: str
    title: str
    kind: str  # value | structure | property | consistency | experiment
    public: bool
    max_points: float
    outcome: str  # one of OUTCOMES
    evidence: tuple[Evidence, ...] = ()
    hint: Hint | None = None

    @property
    def points(self) -> float:
        """Points earned: all of them when passed, none otherwise."""
        return self.max_points if self.outcome == "passed" else 0.0


@dataclass(frozen=True)
class ExerciseResult:
    """All checks of one graded function."""

    name: str
    checks: tuple[CheckResult, ...]

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.checks)


@dataclass(frozen=True)
class LoadNote:
    """Something that happened while loading the submission (in the worker).

    kind: "missing_module" (data: module, line), "statement_failed" (data: line, type, message),
    "skipped_cell" (data: cell, reason), "exited" (data: code), "output" (data: text, truncated).
    """

    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plot:
    """A PNG figure for the HTML report, stored as base64 so the page is self-contained."""

    title: str
    png_base64: str


@dataclass(frozen=True)
class Report:
    """Everything one student is told about one submission.

    mode is "grade" (public and hidden checks) or "check" (public checks only; ``hidden_count``
    says how many checks run only at grading). ``problem`` is set when the submission could not be
    graded at all (unreadable file, corrupt notebook): an Evidence whose kind names the problem.
    """

    assignment: str
    student: str
    submission: str
    mode: str
    exercises: tuple[ExerciseResult, ...]
    notes: tuple[LoadNote, ...] = ()
    plots: tuple[Plot, ...] = ()
    hidden_count: int = 0
    isolation: str = ""
    problem: Evidence | None = None
    source_digest: str = ""  # fingerprint of the code graded (a resumed run regrades changed files)

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def max_points(self) -> float:
        return sum(e.max_points for e in self.exercises)
