"""Public checks and experiments from inside a student's notebook.

The generated notebook calls ``check("regularization", compute_cost_with_regularization)`` after
each exercise and ``experiment("regularization", globals())`` at the end. Both run in the student's
own kernel (there is nothing to protect there) against the frozen public expectations, and print
through the same templates as ``dlgrade check``.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from graders.engine.grading import classrun
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.oracle import FrozenOracle
from graders.engine.grading.runner import StudentProblem, run_check
from graders.engine.reports import render
from graders.engine.reports.records import ExerciseResult, Report


def check(assignment: str, function: Callable) -> Report:
    """Run the public checks of one graded function and print the verdict; returns the report."""
    suite = classrun.load_suite(assignment)
    name = getattr(function, "__name__", "")
    specs = [c for c in suite.checks() if c.exercise == name]
    calls, oracle = LocalCalls({name: function}), FrozenOracle(assignment)
    results = tuple(run_check(spec, calls, oracle, seed=0) for spec in specs if spec.public)
    report = Report(assignment, "you", "notebook", "check", (ExerciseResult(name, results),),
                    hidden_count=sum(not spec.public for spec in specs))
    print(render.render_report(report, "txt"))
    return report


def experiment(assignment: str, namespace: Mapping[str, Any], iterations: int | None = None) -> list:
    """Run the assignment's experiment with the functions defined in ``namespace`` (the
    notebook's ``globals()``), print its numbers and show its plots; returns the runs."""
    import importlib

    module = importlib.import_module(f"graders.{assignment}")
    calls = LocalCalls(namespace, frozenset(module.suite.drivers))
    try:
        runs = module.experiment(calls, **({} if iterations is None else {"iterations": iterations}))
    except (StudentProblem, CheckFailed) as failure:
        evidence = failure.evidence if isinstance(failure, StudentProblem) else failure.evidence[0]
        print(render.render_experiment(assignment, [], evidence))
        return []
    print(render.render_experiment(assignment, runs))
    module.show_experiment(runs)
    return runs
