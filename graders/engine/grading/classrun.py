"""Grading a whole class: the library behind ``dlgrade grade`` and ``dlgrade check``.

One zygote per run; submissions graded in parallel threads (each check's student code runs in a
forked worker, so threads only wait and judge); each finished report is written at once, atomically,
so an interrupted run loses nothing and a rerun resumes where it stopped.
"""
from __future__ import annotations

import dataclasses
import importlib
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Sequence

from graders.engine.grading import judge, naming, runner, shards, submission
from graders.engine.grading.naming import NamingRule
from graders.engine.grading.oracle import FrozenOracle, LiveOracle
from graders.engine.grading.shards import ShardSpec
from graders.engine.grading.suite import Suite
from graders.engine.reports import gradebook, manifest, render, store
from graders.engine.reports.manifest import RunManifest, StudentTime
from graders.engine.reports.records import Evidence, Report
from graders.engine.sandbox import imports
from graders.engine.sandbox.parent import ROOT, Zygote

#: The course's assignments in the order it teaches them; an assignment is installed when its grader
#: suite ``graders/<name>.py`` exists (a release bundle ships only the suites it releases).
COURSE_ORDER = ("initialization", "regularization", "gradient_checking", "optimization", "tf_intro")


def installed_assignments(graders_dir: Path = ROOT / "graders") -> tuple[str, ...]:
    """The assignments whose grader suite is present, in the course's order."""
    return tuple(name for name in COURSE_ORDER if (graders_dir / f"{name}.py").is_file())


ASSIGNMENTS = installed_assignments()


class UsageError(Exception):
    """A wrong command line (unknown assignment, no submissions...): one line for the terminal."""


def load_suite(assignment: str) -> Suite:
    """The grader suite of ``assignment`` (``graders/<assignment>.py``)."""
    if assignment not in ASSIGNMENTS:
        raise UsageError(render.message("cli.j2", "unknown_assignment", name=assignment, known=ASSIGNMENTS))
    return importlib.import_module(f"graders.{assignment}").suite


@dataclass(frozen=True)
class ClassRun:
    """The result of grading several submissions."""

    reports: tuple[Report, ...]  # complete, or slim (see gradebook.slim) when the run was asked to keep less
    isolation: str
    resumed: int  # reports read back from a previous, interrupted run
    unwritten: tuple[tuple[str, str], ...] = ()  # (student or file, reason) whose outputs could not be written
    naming: tuple[NamingRule, ...] = ()  # how the class's students were named
    class_size: int = 0  # submissions of the whole class (more than len(reports) in a shard)
    seconds: tuple[StudentTime, ...] = ()  # grading time per student


def grade_class(assignment: str, paths: Sequence[Path], out: Path | None = None, jobs: int = 1,
                seed: int = 0, figures: bool = True, on_start: Callable[[str], None] = lambda level: None,
                progress: Callable[[Iterable, int], Iterable] = lambda it, total: it,
                shard: ShardSpec | None = None, students_csv: Path | None = None,
                keep_reports: bool = True) -> ClassRun:
    """Grade every submission in ``paths`` (or, with ``shard``, the students of that shard) against
    the hidden reference; with ``out``, write each student's outputs as soon as they are graded (and
    reuse those already there), then the class files and ``run.json``. Students are named from their
    paths, or by ``students_csv``. ``keep_reports=False`` keeps only slim reports in memory."""
    suite = load_suite(assignment)
    named = name_class(paths, students_csv)
    chosen = [(p, n) for p, n in zip(paths, named.names) if shard is None or shard.holds(n)]
    submissions = [submission.read(p, assignment, n) for p, n in chosen]
    shared: dict = {}  # the slim reports' equal exercises, one object each
    done = {s.student: report if keep_reports else gradebook.slim(report, shared)
            for s in submissions if out and (report := _finished(out, s)) is not None}
    earlier = (manifest.read(out) if out is not None and done else None)
    times = dict(earlier.seconds_by_student()) if earlier is not None else {}
    # the reference's imports overlap the zygote's
    oracle_loading = loading(LiveOracle, assignment, lean_packages(suite))
    with Zygote.for_suite(suite, hidden=_hidden_paths(paths, out)) as zygote, one_blas_thread():
        oracle = oracle_loading.result()
        on_start(zygote.isolation)

        unwritten: list[tuple[str, str]] = []

        def one(sub: submission.Submission) -> Report:
            if sub.student in done:
                return done[sub.student]
            began = time.perf_counter()
            report = runner.grade(suite, sub, zygote, oracle, "grade", seed, figures)
            times[sub.student] = round(time.perf_counter() - began, 4)
            if out is not None:
                try:
                    gradebook.write_student_outputs(out, report)
                except OSError as error:  # a full disk, a folder made read-only: say so, go on
                    unwritten.append((sub.student, _os_reason(error)))
                except Exception as error:  # a bug in rendering one report must not stop the class
                    print(f"dlgrade: internal error writing {sub.student}'s reports: {error!r}", file=sys.stderr)
                    unwritten.append((sub.student, type(error).__name__))
            return report if keep_reports else gradebook.slim(report, shared)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            reports = tuple(progress(pool.map(one, submissions), len(submissions)))
        isolation = zygote.isolation
    seconds = tuple(StudentTime(s.student, times.get(s.student)) for s in sorted(submissions, key=lambda s: s.student))
    if out is not None:
        run = RunManifest(assignment, seed, figures, shards.fingerprint(assignment),
                          tuple(e.function for e in suite.exercises), (shard.index, shard.count) if shard else None,
                          shards.class_digest(paths, named.names), len(paths), named.rules, isolation, seconds)
        try:
            gradebook.write_class_outputs(out, reports, list(run.exercises), run)
        except OSError as error:
            unwritten.append(("grades.csv", _os_reason(error)))
    return ClassRun(reports, isolation, len(done), tuple(sorted(unwritten)), named.rules, len(paths), seconds)


def one_blas_thread() -> ContextManager:
    """numpy's BLAS in the grading process limited to the calling thread, until the context ends.

    The grading process's numpy work is small (judging, an accuracy on the test set) and runs
    beside a worker per core: with its own BLAS threads, OpenBLAS's threads spin waiting for the
    next product after each one (measured on tf_intro: 0.148 -> 0.058 s of grading-process CPU
    per submission with one thread)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def lean_packages(suite: Suite) -> tuple[str, ...]:
    """The suite's warm packages that sandbox.imports imports leaner (TensorFlow without
    scikit-learn): the grading process imports them that way before the reference imports them."""
    return tuple(m for m in suite.warm if m in imports.LEAN)


def loading(make: Callable, *args) -> Future:
    """``make(*args)`` running in a thread of its own (e.g. the reference oracle, which imports
    TensorFlow for tf_intro: about 5 s, while the zygote's process imports it on the other core)."""
    starter = ThreadPoolExecutor(max_workers=1)
    try:
        return starter.submit(make, *args)
    finally:
        starter.shutdown(wait=False)  # the thread ends with its one task


def name_class(paths: Sequence[Path], students_csv: Path | None = None) -> naming.Naming:
    """Every student's name, from the paths (and the students CSV); a bad CSV is a usage error."""
    try:
        given = naming.read_students_csv(students_csv) if students_csv is not None else {}
        return naming.name_students(paths, given, students_csv.name if students_csv is not None else "")
    except naming.NamingError as error:
        raise UsageError(str(error)) from None


def _os_reason(error: OSError) -> str:
    return f"{error.strerror or type(error).__name__}"[:200]


def check(assignment: str, path: Path) -> Report:
    """Public checks only, against the frozen expectations shipped with the release."""
    suite = load_suite(assignment)
    sub = submission.read(path, assignment)
    with Zygote.for_suite(suite, warm=warm_for(suite, sub)) as zygote:
        return runner.grade(suite, sub, zygote, FrozenOracle(assignment), "check")


def warm_for(suite: Suite, sub: submission.Submission) -> tuple[str, ...]:
    """The suite's warm modules worth importing in the zygote for this one submission: the
    project's own and those of a package the submission imports (a class shares the zygote, so a
    class run warms them all; one submission would pay, say, matplotlib's second for nothing). Data
    computed ahead ("module:function") is left to the worker that needs it, if one does."""
    imported = sub.imported_packages
    return tuple(m for m in suite.warm if ":" not in m and
                 (m.startswith("assignments.") or m.partition(".")[0] in imported))


def experiment(assignment: str, path: Path, iterations: int | None = None) -> tuple[Evidence | None, list]:
    """Run the assignment's experiment with the student's functions, in the sandbox (with room for
    a long training run). Returns (why it could not run, or None; the training runs)."""
    module = importlib.import_module(f"graders.{assignment}")
    suite = load_suite(assignment)
    sub = submission.read(path, assignment)
    if sub.problem is not None:
        return sub.problem, []
    limits = dataclasses.replace(suite.limits, call_seconds=600.0, cpu_seconds=1200)
    with Zygote.for_suite(suite, limits) as zygote:
        session = runner.Session(zygote, sub)
        try:
            return None, module.experiment(session, **({} if iterations is None else {"iterations": iterations}))
        except (runner.StudentProblem, runner.SubmissionUnusable) as failure:
            return failure.evidence, []
        except judge.CheckFailed as failure:
            return failure.evidence[0], []
        finally:
            session.close()


def _hidden_paths(paths: Sequence[Path], out: Path | None) -> list[Path]:
    """Folders workers must not see: every submission's folder and the output folder."""
    folders = {(p if p.is_dir() else p.parent).resolve() for p in paths if p.exists()}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        folders.add(out.resolve())
    needed = (ROOT, Path(sys.prefix).resolve())  # the code workers run must stay visible
    return sorted(f for f in folders if not any(n == f or n.is_relative_to(f) for n in needed))


def _finished(out: Path, sub: submission.Submission) -> Report | None:
    """A report left by an earlier run for the same submission, if complete."""
    return store.load(out, sub.student, sub.path, sub.digest)
