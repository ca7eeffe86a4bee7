"""The Optimization sample class (examples/optimization/) graded end to end, against its expected.json,
and the grader suite's own guarantees (hints reachable, notes on passing answers, figures, the
experiment's worker time).

The whole class plus the reference is graded once per module through ``classrun.grade_class`` in
the sandbox, with two workers; one sample hangs for the 10 s call limit.
"""
from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import numpy as np
import pytest
from sample_outcomes import assert_graded_as_expected

import graders.optimization as grader
from assignments.optimization_utils import LAYERS_DIMS, load_dataset, train
from graders.engine.grading import tolerances
from graders.engine.grading.classrun import grade_class, load_suite
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.oracle import LiveOracle
from graders.engine.grading.runner import run_check

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "optimization"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text())
SAMPLES = EXPECTED["submissions"]
REFERENCE = ROOT / "solutions" / "optimization.py"
STUB = ROOT / "assignments" / "optimization.py"
HINTS = ROOT / "templates" / "hints" / "optimization.j2"
SUITE = load_suite("optimization")
CHECK_KEYS = [c.key for c in SUITE.checks()]
NOTES = {"course_stream", "adam_older_return"}  #: hint keys that only ever accompany a passing answer


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(reports by resolved path, isolation level, output folder) of the whole class and the reference."""
    out = tmp_path_factory.mktemp("optimization-class")
    paths = [EXAMPLES / name for name in SAMPLES] + [REFERENCE]
    run = grade_class("optimization", paths, out=out, jobs=2, figures=False)
    reports = {Path(r.submission).resolve(): r for r in run.reports}
    assert len(reports) == len(paths)
    return reports, run.isolation, out


def report_of(graded, path: Path):
    return graded[0][path.resolve()]


def outcomes(report) -> dict:
    return {f"{e.name}/{c.name}": c for e in report.exercises for c in e.checks}


# ------------------------------------------------------------------------ the sample class itself


def test_every_sample_is_listed_in_expected_json():
    on_disk = {p.name for p in EXAMPLES.iterdir() if p.name != "expected.json" and not p.name.startswith((".", "_"))}
    assert on_disk == set(SAMPLES)
    assert EXPECTED["max_points"] == sum(c.points for c in SUITE.checks())
    for name, want in SAMPLES.items():
        assert want["why"].strip(), name
        assert set(want["checks"]) <= set(CHECK_KEYS), name
        if "all_checks" not in want:  # the points follow from the checks expected not to pass
            lost = sum(c.points for c in SUITE.checks() if want["checks"].get(c.key, {}).get("outcome", "passed") != "passed")
            assert want["points"] == EXPECTED["max_points"] - lost, name


def test_the_stub_sample_is_the_generated_stub():
    """untouched_stub.py is a copy of assignments/optimization.py: re-copy it after `dlgrade build`."""
    assert (EXAMPLES / "untouched_stub.py").read_text() == STUB.read_text()


def test_every_named_hint_has_a_sample_showing_it():
    """Each hint macro of templates/hints/optimization.j2, and each known mistake of the reference,
    is given to some sample; the notes only on passing checks, the hints only on failing ones."""
    macros = set(re.findall(r"macro (\w+)\(", HINTS.read_text()))
    mistakes = {m.hint for ms in LiveOracle("optimization").mistakes.values() for m in ms}
    given = {}
    for want in SAMPLES.values():
        for check in want["checks"].values():
            if check.get("hint"):
                given.setdefault(check["hint"], set()).add(check["outcome"])
    assert mistakes <= macros and set(given) == macros
    for key, seen in given.items():
        assert seen == ({"passed"} if key in NOTES else {"failed"}), key


def test_correct_samples_carry_no_failure_hint():
    for name, want in SAMPLES.items():
        if want["points"] == EXPECTED["max_points"]:
            assert all(c["outcome"] == "passed" and c.get("hint", "course_stream") in NOTES
                       for c in want["checks"].values()), name


# -------------------------------------------------------------------------------- grading


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_graded_as_expected(graded, name):
    want = SAMPLES[name]
    report = report_of(graded, EXAMPLES / name)
    assert_graded_as_expected(report, want, CHECK_KEYS, EXPECTED["max_points"])
    notes = [n.kind for n in report.notes]
    missing = sorted({n.data.get("module") for n in report.notes if n.kind == "missing_module"})
    assert missing == sorted(want.get("missing_modules", [])), report.notes
    for kind in want.get("notes", []):
        assert kind in notes, report.notes


def test_reference_solution_scores_full_marks(graded):
    report = report_of(graded, REFERENCE)
    assert report.problem is None
    assert {c.outcome for c in outcomes(report).values()} == {"passed"}
    assert report.points == report.max_points == EXPECTED["max_points"]


def test_stub_scores_zero_and_is_not_implemented_everywhere(graded):
    report = report_of(graded, EXAMPLES / "untouched_stub.py")
    assert report.points == 0
    assert {c.outcome for c in outcomes(report).values()} == {"not_implemented"}
    assert all(c.hint is None for c in outcomes(report).values())


def test_the_older_adam_note_is_in_the_written_report(graded):
    from graders.engine.reports.store import student_dirname

    report = report_of(graded, EXAMPLES / "correct_older_adam.py")
    text = " ".join((graded[2] / student_dirname(report.student) / "report.txt").read_text().split())
    assert "as the course's earlier release asked" in text
    assert report.points == report.max_points


def test_hostile_samples_do_not_affect_the_correct_ones(graded):
    """Each correct sample graded alone gets exactly the report it got inside the whole class."""
    correct = [EXAMPLES / name for name, want in SAMPLES.items() if want["points"] == EXPECTED["max_points"]]
    alone = grade_class("optimization", correct, out=None, jobs=1, figures=False)
    for report in alone.reports:
        assert report == report_of(graded, Path(report.submission)), report.student


def test_gradebook_lists_every_student_with_their_points(graded):
    reports, _, out = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(reports)
    by_student = {r.student: r for r in reports.values()}
    for row in rows:
        assert float(row["total"]) == pytest.approx(by_student[row["student"]].points)


# ------------------------------------------------------------------- experiment check and figures


def reference_calls() -> LocalCalls:
    return LocalCalls(vars(LiveOracle("optimization").module), frozenset(SUITE.drivers))


def test_the_experiment_check_costs_well_under_a_second_of_worker_time():
    """The driver run the check asks for, timed with the reference's functions in this process."""
    import solutions.optimization as reference

    X, Y = load_dataset()
    zeros = grader.zeros(LAYERS_DIMS)
    start = time.process_time()
    parameters, _ = train(X, Y, reference, optimizer="adam", state=(zeros, dict(zeros)),
                          initial_parameters=grader.he_parameters(), **grader.EXPERIMENT_RUN)
    assert time.process_time() - start < 0.5
    run = grader.trained("reference", (parameters, []), X, Y)
    assert run.cost < 0.2 < tolerances.ADAM_EXPERIMENT_COST


def test_the_experiment_bound_sits_between_gradient_descent_and_adam():
    """ADAM_EXPERIMENT_GD_COST is what the reference's gradient descent reaches in the same run,
    and the bound is half of Adam's gain over it."""
    X, Y = load_dataset()
    got = reference_calls().drive(grader.TRAIN, (X, Y), {"optimizer": "gd", "initial_parameters": grader.he_parameters(),
                                                         **grader.EXPERIMENT_RUN}, None)
    gd = grader.trained("gd", got, X, Y).cost
    assert gd == pytest.approx(tolerances.ADAM_EXPERIMENT_GD_COST, abs=5e-4)
    assert tolerances.ADAM_EXPERIMENT_COST == pytest.approx((gd + 0.184) / 2, abs=0.01)


def test_report_figures_show_the_students_adam_beside_the_reference():
    plots = grader.report_figures(reference_calls())
    assert [p.title.split()[0] for p in plots] == ["Decision", "Cost"]
    import base64

    assert all(base64.b64decode(p.png_base64).startswith(b"\x89PNG") for p in plots)


def test_experiment_runs_every_optimizer_and_draws_its_figures():
    runs = grader.experiment(reference_calls(), iterations=3)
    assert [r.title for r in runs] == [title for title, _ in grader.RUNS]
    assert all(len(r.costs) == 1 and np.isfinite(r.cost) for r in runs)
    figures = grader.experiment_figures(runs)
    assert list(figures)[0] == "0_costs" and len(figures) == len(runs) + 1


def known_mistakes():
    return [(function, mistake) for function, mistakes in LiveOracle("optimization").mistakes.items()
            for mistake in mistakes]


@pytest.mark.parametrize("function,mistake", known_mistakes(),
                         ids=[f"{f}:{m.hint}:{'-'.join(map(str, m.args.values()))}" for f, m in known_mistakes()])
def test_every_known_mistake_is_named_when_it_is_the_answer(function, mistake):
    """The reference with one function replaced by a known wrong variant: that exercise loses points
    and some failing check carries the variant's own hint and arguments."""
    namespace = {**vars(LiveOracle("optimization").module), function: mistake.fn}
    calls = LocalCalls(namespace, frozenset(SUITE.drivers))
    oracle = LiveOracle("optimization")
    results = [run_check(spec, calls, oracle, 0) for spec in SUITE.checks() if spec.exercise == function]
    failed = [r for r in results if r.outcome != "passed"]
    assert failed
    assert any(r.hint is not None and (r.hint.key, dict(r.hint.args)) == (mistake.hint, dict(mistake.args))
               for r in failed), [(r.name, r.hint) for r in failed]


def test_experiment_leaves_out_a_run_whose_functions_are_missing():
    """A course notebook has no RMSprop: its experiment still runs the other optimizers."""
    namespace = {k: v for k, v in vars(LiveOracle("optimization").module).items() if "rmsprop" not in k}
    runs = grader.experiment(LocalCalls(namespace, frozenset(SUITE.drivers)), iterations=2)
    assert [r.title for r in runs] == [title for title, _ in grader.RUNS if title != "RMSprop"]
