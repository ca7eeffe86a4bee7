"""Authoring grader suites: an assignment's exercises and their checks.

A check is a function of one argument, the :class:`Trial`, whose docstring's first line is the title
the student sees. It calls the student's function through the trial (the call runs in the worker),
judges the decoded answer with :mod:`graders.engine.grading.judge`, and raises ``CheckFailed`` when wrong::

    cost = suite.exercise("compute_cost_with_regularization")

    @cost.check(points=2, kind="value", public=True)
    def small_network(t):
        \"\"\"Matches the reference on a small network\"\"\"
        A3, Y, parameters = small_case(t.rng)
        t.matches_reference(A3, Y, parameters, 0.1, name="cost")
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from graders.engine.grading import judge
from graders.engine.grading.tolerances import VALUES, Tolerance
from graders.engine.reports.records import Hint, LoadNote, Plot
from graders.engine.sandbox.confine import Limits

KINDS = ("value", "structure", "property", "consistency", "experiment")


@dataclass(frozen=True)
class CheckSpec:
    """One registered check."""

    exercise: str
    name: str
    title: str
    kind: str
    public: bool
    points: float
    run: Callable[["Trial"], None]
    seconds: float | None = None
    fresh: bool = False  # run in a new worker (e.g. a check whose driver traces tf.functions anew)

    @property
    def key(self) -> str:
        """Unique within the assignment: ``exercise/check``."""
        return f"{self.exercise}/{self.name}"


@dataclass
class Exercise:
    """A graded function and its checks."""

    function: str
    checks: list[CheckSpec] = field(default_factory=list)

    def check(self, points: float, kind: str, public: bool = False, seconds: float | None = None,
              fresh: bool = False):
        """Decorator registering a check on this exercise (``fresh``: in a new worker, so that state
        an earlier check left in the student's module, e.g. a traced tf.function, cannot matter)."""
        if kind not in KINDS:
            raise ValueError(f"unknown check kind {kind!r}")

        def register(run: Callable[[Trial], None]) -> Callable[[Trial], None]:
            title = (run.__doc__ or run.__name__).strip().splitlines()[0]
            self.checks.append(CheckSpec(self.function, run.__name__, title, kind, public, points, run, seconds, fresh))
            return run

        return register

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.checks)


@dataclass
class Suite:
    """An assignment: its exercises, the student-side modules its workers preload (their public
    names are also visible to the submission, like the course's helper files), the trusted drivers
    workers may run, and the worker limits."""

    name: str
    preload: Sequence[str] = ()
    drivers: Sequence[str] = ()
    #: modules the zygote imports for the workers' sake without exposing their names (e.g. the
    #: plotting library a notebook imports: once in the zygote instead of once per student); an
    #: entry "module:function" also calls that function of no arguments there (data every worker
    #: then shares instead of receiving it)
    warm: Sequence[str] = ()
    limits: Limits = Limits()
    exercises: list[Exercise] = field(default_factory=list)
    #: pictures for the HTML report, drawn from the student's functions (e.g. a decision boundary)
    figures: Callable[["Calls"], tuple[Plot, ...]] | None = None
    #: notes read off the submission's text on the trusted side, never by running it (e.g. "this is
    #: TensorFlow 1 code"): (label, code) cells -> notes shown at the top of the report
    source_notes: Callable[[Sequence[tuple[str, str]]], tuple[LoadNote, ...]] | None = None

    def exercise(self, function: str) -> Exercise:
        exercise = Exercise(function)
        self.exercises.append(exercise)
        return exercise

    def checks(self, public_only: bool = False) -> list[CheckSpec]:
        return [c for e in self.exercises for c in e.checks if c.public or not public_only]


class Calls(Protocol):
    """What a trial needs from the place student code runs (a sandboxed worker, or in-process).
    ``check`` names the check being run (a call that hangs marks its function for the rest)."""

    check: str

    def renew(self) -> None: ...

    def call(self, function: str, args: tuple, kwargs: dict, seconds: float | None) -> Any: ...

    def drive(self, driver: str, args: tuple, kwargs: dict, seconds: float | None) -> Any: ...


class Oracle(Protocol):
    def reference(self, check: str, function: str, args: tuple, kwargs: dict) -> Any: ...

    def variants(self, check: str, function: str, args: tuple, kwargs: dict) -> list: ...


class Trial:
    """What a check sees: the student's functions (through the worker), the expected values
    (through the oracle) and a random generator seeded for this check."""

    def __init__(self, spec: CheckSpec, calls: Calls, oracle: Oracle, seed: int = 0):
        self.spec, self.calls, self.oracle = spec, calls, oracle
        digest = hashlib.sha256(f"{seed}:{spec.key}".encode()).digest()
        self.rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
        self.noted: Hint | None = None

    def note(self, hint: Hint) -> None:
        """Tell the student something about an answer that passes (e.g. an older course variant,
        accepted): shown like a hint, costs nothing; a failure's own hint replaces it."""
        self.noted = hint

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The student's answer for this exercise's function on these inputs (decoded data)."""
        return self.calls.call(self.spec.exercise, args, kwargs, self.spec.seconds)

    def call_function(self, function: str, *args: Any, **kwargs: Any) -> Any:
        """The student's answer from another of their functions."""
        return self.calls.call(function, args, kwargs, self.spec.seconds)

    def drive(self, driver: str, *args: Any, **kwargs: Any) -> Any:
        """Run a trusted driver (e.g. a training loop) in the worker with the student's functions."""
        return self.calls.drive(driver, args, kwargs, self.spec.seconds)

    def reference(self, *args: Any, function: str | None = None, **kwargs: Any) -> Any:
        """The reference's output on these inputs."""
        return self.oracle.reference(self.spec.key, function or self.spec.exercise, args, kwargs)

    def expect_reference(self, got: Any, *args: Any, name: str, tol: Tolerance = VALUES,
                         labels: Sequence[str] | None = None, function: str | None = None, **kwargs: Any) -> None:
        """Fail unless ``got`` matches the reference on ``args``; when it matches a known wrong
        variant instead, the failure carries that mistake's hint. ``function`` names another
        reference function than the exercise's (e.g. an older release's contract)."""
        want = self.reference(*args, function=function, **kwargs)
        found = judge.differences(name, got, want, tol, labels)
        if found:
            hint = self.known_mistake(got, args, kwargs, name, tol, labels, function=function)
            raise judge.CheckFailed(*found, hint=hint)

    def matches_reference(self, *args: Any, name: str, tol: Tolerance = VALUES,
                          labels: Sequence[str] | None = None, **kwargs: Any) -> None:
        """Call the student's function on ``args`` and expect the reference's answer."""
        self.expect_reference(self.call(*args, **kwargs), *args, name=name, tol=tol, labels=labels, **kwargs)

    def known_mistake(self, got: Any, args: tuple, kwargs: dict, name: str, tol: Tolerance = VALUES,
                      labels: Sequence[str] | None = None, function: str | None = None,
                      view: Callable[[Any], Any] | None = None) -> Hint | None:
        """The hint of the wrong variant (of ``function``, by default the exercise's) whose output
        ``got`` matches; None when none does, or when variants of different mistakes all match (on
        these inputs they cannot be told apart, and a wrong name is worse than none). ``view``
        picks what is compared from both answers (e.g. the part an older return also has)."""
        view = view or (lambda answer: answer)
        found = {}
        for mistake, output in self.oracle.variants(self.spec.key, function or self.spec.exercise, args, kwargs):
            if not judge.differences(name, view(got), view(output), tol, labels):
                found.setdefault((mistake.hint, repr(sorted(mistake.args.items()))), Hint(mistake.hint, dict(mistake.args)))
        return next(iter(found.values())) if len(found) == 1 else None
