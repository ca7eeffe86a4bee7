"""Public checks and experiments from inside a student's notebook.

The generated notebook calls ``check("regularization", compute_cost_with_regularization)`` after
each exercise and ``experiment("regularization", globals())`` at the end. Both run in the student's
own kernel (there is nothing to protect there) against the frozen public expectations. They return
small records that Jupyter displays through the templates: a compact verdict (HTML in the notebook,
text in a terminal), never a dump of the record. Under nbgrader (``validate`` or ``autograde``, told
by nbgrader's ``NBGRADER_EXECUTION``) the experiment does not train, and under ``validate`` a check
cell whose public checks fail raises, so that validate names it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from graders.engine.grading import classrun
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.oracle import FrozenOracle
from graders.engine.grading.runner import StudentProblem, run_check
from graders.engine.reports import render
from graders.engine.reports.records import Evidence, ExerciseResult, Report


@dataclass(frozen=True)
class Verdict:
    """The public checks of one function, as a check cell shows them."""

    report: Report

    @property
    def passed(self) -> bool:
        """True when every public check passed."""
        return all(c.outcome == "passed" for e in self.report.exercises for c in e.checks)

    def _repr_html_(self) -> str:
        return render.environment().get_template("notebook_check.html").render(report=self.report)

    def __repr__(self) -> str:
        text = render.environment().get_template("notebook_check.txt").render(report=self.report)
        return render.printable(text).rstrip("\n")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@dataclass(frozen=True)
class ExperimentResult:
    """The experiment's training runs (or why it could not run, or why it was not run)."""

    assignment: str
    runs: tuple = ()
    failure: Evidence | None = None
    skipped_under: str = ""  # the nbgrader step it was not run under

    def __repr__(self) -> str:
        if self.skipped_under:
            return render.message("nbgrader.j2", "experiment_skipped", step=self.skipped_under)
        return render.render_experiment(self.assignment, list(self.runs), self.failure).rstrip("\n")

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(repr(self))}</pre>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def validate_note(notebook: Any = None, **_: Any) -> None:
    """``c.Execute.on_notebook_start`` in the course's config: under ``nbgrader validate``, print
    that only the public checks ran (nbgrader then prints its own fixed verdict, which a course
    cannot reword). Says how many checks are hidden when the notebook names its assignment."""
    if os.environ.get("NBGRADER_EXECUTION") != "validate":
        return
    meta = getattr(notebook, "metadata", None) or {}
    assignment = meta.get("dlgrade", {}).get("assignment") if isinstance(meta.get("dlgrade"), dict) else None
    hidden = 0
    if assignment in classrun.ASSIGNMENTS:
        hidden = sum(not spec.public for spec in classrun.load_suite(assignment).checks())
    print(render.message("nbgrader.j2", "validate_public_only", hidden=hidden), flush=True)


class PublicChecksFailed(AssertionError):
    """Raised by :func:`check` under ``nbgrader validate`` when a public check fails, so that
    validate lists the cell; the message is the verdict's text."""


def check(assignment: str, function: Callable) -> Verdict:
    """Run the public checks of one graded function; the returned verdict displays itself. Under
    ``nbgrader validate`` a failing public check raises :class:`PublicChecksFailed` instead."""
    suite = classrun.load_suite(assignment)
    name = getattr(function, "__name__", "")
    specs = [c for c in suite.checks() if c.exercise == name]
    calls, oracle = LocalCalls({name: function}), FrozenOracle(assignment)
    results = tuple(run_check(spec, calls, oracle, seed=0) for spec in specs if spec.public)
    report = Report(assignment, "you", "notebook", "check", (ExerciseResult(name, results),),
                    hidden_count=sum(not spec.public for spec in specs))
    verdict = Verdict(report)
    if os.environ.get("NBGRADER_EXECUTION") == "validate" and not verdict.passed:
        raise PublicChecksFailed("\n" + repr(verdict))
    return verdict


def experiment(assignment: str, namespace: Mapping[str, Any], iterations: int | None = None) -> ExperimentResult:
    """Run the assignment's experiment with the functions defined in ``namespace`` (the
    notebook's ``globals()``) and show its plots; the returned result displays its numbers. Not
    run under nbgrader validate or autograde."""
    import importlib

    step = os.environ.get("NBGRADER_EXECUTION", "")
    if step:
        return ExperimentResult(assignment, skipped_under=step)
    module = importlib.import_module(f"graders.{assignment}")
    calls = LocalCalls(namespace, frozenset(module.suite.drivers))
    try:
        runs = module.experiment(calls, **({} if iterations is None else {"iterations": iterations}))
    except (StudentProblem, CheckFailed) as failure:
        evidence = failure.evidence if isinstance(failure, StudentProblem) else failure.evidence[0]
        return ExperimentResult(assignment, failure=evidence)
    module.show_experiment(runs)
    return ExperimentResult(assignment, tuple(runs))
