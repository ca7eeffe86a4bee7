"""Grading one submission: run every check of a suite against it, each in the sandbox.

The :class:`Session` owns the submission's worker. A call that times out or crashes kills the
worker; the check is scored with the reason, later checks of the same function are skipped with a
pointer to it, and the other functions get a fresh worker. Nothing a submission does can raise out
of :func:`grade`.
"""
from __future__ import annotations

import sys
import traceback
from typing import Any

from graders.engine.grading import judge
from graders.engine.grading.oracle import StaleExpectations
from graders.engine.grading.submission import Submission
from graders.engine.grading.suite import Calls, CheckSpec, Oracle, Suite, Trial
from graders.engine.reports.records import (
    CheckResult,
    Evidence,
    ExerciseResult,
    LoadNote,
    Report,
)
from graders.engine.sandbox import protocol
from graders.engine.sandbox.parent import Worker, WorkerCrashed, WorkerTimeout, Zygote


class StudentProblem(Exception):
    """A call into student code that did not produce an answer."""

    def __init__(self, outcome: str, evidence: Evidence):
        super().__init__(outcome)
        self.outcome, self.evidence = outcome, evidence


class SubmissionUnusable(Exception):
    """The submission cannot be loaded at all (it dies or hangs while being imported)."""

    def __init__(self, evidence: Evidence):
        super().__init__(evidence.kind)
        self.evidence = evidence


class Session:
    """The sandboxed worker(s) serving one submission's checks."""

    def __init__(self, zygote: Zygote, submission: Submission):
        self.zygote, self.submission = zygote, submission
        self.worker: Worker | None = None
        self.functions: set[str] = set()
        self.notes: list[LoadNote] = []
        self.output: list[tuple[str, bool]] = []
        self.fatal: dict[str, Evidence] = {}  # function -> why later checks of it are skipped
        self.check = ""

    def call(self, function: str, args: tuple, kwargs: dict, seconds: float | None) -> Any:
        """The decoded answer of the student's ``function``, or StudentProblem."""
        if function in self.fatal:
            raise StudentProblem("skipped", self.fatal[function])
        worker = self._worker()
        if function not in self.functions:
            raise StudentProblem("not_implemented", Evidence("missing_function", {"function": function}))
        answer = self._request(worker, {"op": "call", "fn": function, "args": list(args), "kwargs": kwargs},
                               seconds, function)
        return self.value(answer, function)

    def drive(self, driver: str, args: tuple, kwargs: dict, seconds: float | None) -> Any:
        """Run a trusted driver in the worker; the student's functions are its ``functions``."""
        worker = self._worker()
        answer = self._request(worker, {"op": "drive", "driver": driver, "args": list(args), "kwargs": kwargs},
                               seconds, driver)
        return self.value(answer, driver)

    def renew(self) -> None:
        """Start the next call afresh: the submission loaded again, into a new namespace of the same
        worker (new function objects, so no tf.function trace or global of earlier checks
        survives, and no second TensorFlow start-up is paid); if that fails, the next call starts
        a new worker."""
        if self.worker is None:
            return
        try:
            answer = self.worker.request(self._load_request(), self.zygote.limits.load_seconds)
        except (WorkerTimeout, WorkerCrashed, protocol.Malformed):
            answer = None
        if type(answer) is not dict or set(answer.get("functions", [])) != self.functions:
            self.close()

    def close(self) -> None:
        if self.worker is not None:
            self.output.append(self.worker.output)
            self.worker.close()
            self.worker = None

    def _worker(self) -> Worker:
        if self.worker is None:
            self.worker = self.zygote.spawn()
            try:
                answer = self.worker.request(self._load_request(), self.zygote.limits.load_seconds)
            except WorkerTimeout:
                self.close()
                raise SubmissionUnusable(Evidence("import_timeout", {"seconds": self.zygote.limits.load_seconds}))
            except (WorkerCrashed, protocol.Malformed) as error:
                self.close()
                raise SubmissionUnusable(Evidence("import_crashed", {"reason": _reason(error)}))
            notes = [LoadNote(n.pop("kind"), n) for n in answer.get("notes", [])]
            unreadable = [n for n in notes if n.kind == "syntax_error"]
            if self.submission.keep_all and unreadable:  # a .py file that does not parse at all
                self.close()
                raise SubmissionUnusable(Evidence("syntax_error", {k: unreadable[0].data.get(k) for k in ("line", "message")}))
            self.notes = self.notes or notes  # a replacement worker reloads the same code
            self.functions = set(answer.get("functions", []))
        return self.worker

    def _load_request(self) -> dict:
        return {"op": "load", "cells": [list(c) for c in self.submission.cells], "keep_all": self.submission.keep_all}

    def _request(self, worker: Worker, message: dict, seconds: float | None, function: str) -> Any:
        seconds = seconds or self.zygote.limits.call_seconds
        try:
            return worker.request(message, seconds)
        except WorkerTimeout:
            evidence, outcome = Evidence("timeout", {"function": function, "seconds": seconds}), "timeout"
        except WorkerCrashed as error:
            evidence, outcome = Evidence("crashed", {"function": function, "reason": error.reason}), "crashed"
        except protocol.Malformed as error:
            evidence, outcome = Evidence("malformed", {"name": function, "reason": str(error)}), "failed"
        self.output.append(worker.output)
        self.worker = None
        self.fatal[function] = Evidence("skipped_after", {"function": function, "check": self.check})
        raise StudentProblem(outcome, evidence)

    @staticmethod
    def value(answer: Any, function: str) -> Any:
        """The value in a worker's answer, or the StudentProblem it describes."""
        if type(answer) is not dict or type(answer.get("ok")) is not bool:
            raise StudentProblem("failed", Evidence("malformed", {"name": function, "reason": "unexpected answer"}))
        if answer["ok"]:
            return answer.get("value")
        if answer.get("unsendable") in ("too_large", "too_deep"):
            raise StudentProblem("failed", Evidence("malformed", {
                "name": function, "reason": answer["unsendable"], "nodes": protocol.MAX_NODES,
                "arrays": protocol.MAX_BLOBS, "depth": protocol.MAX_DEPTH}))
        where = answer.get("where")
        name = where if type(where) is str and ":" in function else function  # inside a driver: name the student's function
        if answer.get("not_implemented"):
            raise StudentProblem("not_implemented", Evidence("not_implemented", {"function": name[:100]}))
        if answer.get("missing"):
            raise StudentProblem("not_implemented", Evidence("missing_function", {"function": name[:100]}))
        error = answer.get("error") if type(answer.get("error")) is dict else {}
        line, cell, where = error.get("line"), error.get("cell"), error.get("where")
        raise StudentProblem("error", Evidence("raised", {
            "function": (where if type(where) is str and ":" in function else function)[:100],
            "type": str(error.get("type", "Exception"))[:100],
            "message": str(error.get("message", ""))[:2000], "line": line if type(line) is int else None,
            "cell": cell[:20] if type(cell) is str else None}))


def grade(suite: Suite, submission: Submission, zygote: Zygote, oracle: Oracle, mode: str = "grade",
          seed: int = 0, figures: bool = False) -> Report:
    """Run the suite's checks (all of them, or only the public ones when mode is "check"), then,
    with ``figures``, draw the suite's report figures from the student's functions."""
    specs = suite.checks(public_only=(mode == "check"))
    hidden = len(suite.checks()) - len(specs) if mode == "check" else 0
    base = dict(assignment=suite.name, student=submission.student, submission=submission.path, mode=mode,
                hidden_count=hidden, isolation=zygote.isolation, source_digest=submission.digest)
    if submission.problem is not None:
        return Report(exercises=_all_failed(suite, specs, "failed", None), problem=submission.problem, **base)
    session = Session(zygote, submission)
    try:
        results = [run_check(spec, session, oracle, seed) for spec in specs]
        plots = _figures(suite, session) if figures else ()
    except SubmissionUnusable as unusable:
        session.close()
        outcome = {"import_crashed": "crashed", "import_timeout": "timeout"}.get(unusable.evidence.kind, "failed")
        return Report(exercises=_all_failed(suite, specs, outcome, None), problem=unusable.evidence, **base)
    session.close()
    notes = list(suite.source_notes(submission.cells) if suite.source_notes else ()) + list(session.notes)
    notes += [LoadNote("output", {"text": text, "truncated": cut}) for text, cut in session.output if text]
    return Report(exercises=_by_exercise(suite, results), notes=tuple(notes), plots=plots, **base)


def _figures(suite: Suite, session: Session) -> tuple:
    """The suite's report figures; a failure to draw them costs the student nothing."""
    if suite.figures is None or session.fatal:  # a function that hung or crashed would do it again
        return ()
    try:
        return suite.figures(session)
    except (StudentProblem, judge.CheckFailed):
        return ()
    except SubmissionUnusable:
        raise
    except Exception as error:  # a bug in the figure code must not take the class down
        print(f"dlgrade: internal error drawing figures: {error!r}", file=sys.stderr)
        return ()


def run_check(spec: CheckSpec, calls: Calls, oracle: Oracle, seed: int) -> CheckResult:
    """Run one check; whatever the student's code does, the outcome is a CheckResult."""
    calls.check = spec.name
    if spec.fresh:
        calls.renew()
    outcome, evidence, hint = "passed", (), None
    trial = Trial(spec, calls, oracle, seed)
    try:
        spec.run(trial)
        hint = trial.noted
    except judge.CheckFailed as failure:
        outcome, evidence, hint = "failed", failure.evidence, failure.hint
    except StudentProblem as problem:
        outcome, evidence = problem.outcome, (problem.evidence,)
    except StaleExpectations:
        outcome, evidence = "error", (Evidence("stale_expectations", {"check": spec.key}),)
    except SubmissionUnusable:
        raise
    except Exception as error:  # a bug in a check must not take the class down; it is flagged
        print(f"dlgrade: internal error in check {spec.key}: {error!r}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        outcome, evidence = "error", (Evidence("grader_error", {"check": spec.key, "type": type(error).__name__}),)
    return CheckResult(spec.exercise, spec.name, spec.title, spec.kind, spec.public, spec.points,
                       outcome, tuple(evidence), hint)


def _all_failed(suite: Suite, specs: list[CheckSpec], outcome: str, evidence: Evidence | None) -> tuple[ExerciseResult, ...]:
    results = [CheckResult(s.exercise, s.name, s.title, s.kind, s.public, s.points, outcome,
                           (evidence,) if evidence else ()) for s in specs]
    return _by_exercise(suite, results)


def _by_exercise(suite: Suite, results: list[CheckResult]) -> tuple[ExerciseResult, ...]:
    return tuple(ExerciseResult(e.function, tuple(r for r in results if r.exercise == e.function))
                 for e in suite.exercises)


def _reason(error: BaseException) -> str:
    return error.reason if isinstance(error, WorkerCrashed) else str(error)
