"""The Initialization assignment: the reference against the course's numbers, the grader suite
against correct and mistaken initializers in-process, and the sample class (examples/initialization/)
graded end to end in the sandbox against examples/initialization/expected.json (once per module).
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from sample_outcomes import assert_graded_as_expected

import graders.initialization as grader
from assignments import initialization_utils as utils
from graders.engine.grading.classrun import grade_class, load_suite
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.oracle import LiveOracle
from graders.engine.grading.runner import run_check
from solutions import initialization as reference

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "initialization"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text())
SAMPLES = EXPECTED["submissions"]
REFERENCE = ROOT / "solutions" / "initialization.py"
STUB = ROOT / "assignments" / "initialization.py"
SUITE = load_suite("initialization")
CHECK_KEYS = [c.key for c in SUITE.checks()]
ORACLE = LiveOracle("initialization")


# ----------------------------------------------------------------------- the course's numbers


def test_random_gives_the_courses_numbers():
    parameters = reference.initialize_parameters_random([3, 2, 1])
    np.testing.assert_allclose(parameters["W1"][0], [17.88628473, 4.36509851, 0.96497468], rtol=1e-8)
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"]
    assert parameters["W2"].shape == (1, 2) and parameters["b2"].shape == (1, 1)
    assert not np.any(parameters["b1"]) and not np.any(parameters["b2"])


def test_he_gives_the_courses_numbers():
    parameters = reference.initialize_parameters_he([3, 1, 2])
    np.testing.assert_allclose(parameters["W1"], [[1.46040903, 0.3564088, 0.07878985]], rtol=1e-7)
    np.testing.assert_allclose(parameters["W2"], [[-2.63537665], [-0.39228616]], rtol=1e-7)
    assert parameters["b1"].shape == (1, 1) and parameters["b2"].shape == (2, 1)


def test_zeros_are_zeros_of_the_courses_shapes():
    parameters = reference.initialize_parameters_zeros([3, 2, 1])
    assert {k: v.shape for k, v in parameters.items()} == {"W1": (2, 3), "b1": (2, 1), "W2": (1, 2), "b2": (1, 1)}
    assert not any(np.any(v) for v in parameters.values())


def test_the_courses_experiment():
    """zeros: 50% / 50% with the cost stuck at ln 2; random x10: first cost inf, 83% / 86%; He: 99.3% / 96%."""
    runs = {run.title: run for run in grader.experiment(LocalCalls(vars(reference), frozenset(SUITE.drivers)))}
    zeros, random, he = (runs[title] for title, _ in grader.RUNS)
    assert (zeros.train_accuracy, zeros.test_accuracy) == (0.5, 0.5)
    assert all(c == pytest.approx(math.log(2)) for c in zeros.costs) and len(zeros.costs) == 15
    assert random.costs[0] == math.inf and all(math.isfinite(c) for c in random.costs[1:])
    assert (random.train_accuracy, random.test_accuracy) == (pytest.approx(0.83), pytest.approx(0.86))
    assert (he.train_accuracy, he.test_accuracy) == (pytest.approx(0.9933, abs=1e-4), pytest.approx(0.96))


def test_the_experiment_leaves_out_an_initializer_not_implemented_yet():
    def not_yet(layers_dims):
        raise NotImplementedError()

    namespace = {**vars(reference), "initialize_parameters_zeros": not_yet}
    runs = grader.experiment(LocalCalls(namespace, frozenset(SUITE.drivers)), iterations=10)
    assert [run.title for run in runs] == [title for title, _ in grader.RUNS[1:]]


# --------------------------------------------------------------------- the suite, in-process


def grade(namespace: dict, seed: int = 0) -> dict:
    """{check key: CheckResult} of every check, the student's functions taken from ``namespace``."""
    calls = LocalCalls(namespace, frozenset(SUITE.drivers))
    return {spec.key: run_check(spec, calls, ORACLE, seed) for spec in SUITE.checks()}


def generator_initializers(seed: int, transpose: bool, dtype) -> dict:
    """Correct random and He initializers on a Generator: another seed, the last layer drawn first,
    optionally drawn transposed, in the given float type."""
    rng = np.random.default_rng(seed)

    def make(scale):
        def initialize(layers_dims):
            parameters = {}
            for l in reversed(range(1, len(layers_dims))):
                n, p = layers_dims[l], layers_dims[l - 1]
                W = rng.standard_normal((p, n)).T if transpose else rng.standard_normal((n, p))
                parameters[f"W{l}"] = (W * scale(p)).astype(dtype)
                parameters[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
            return parameters
        return initialize

    return {"initialize_parameters_zeros": reference.initialize_parameters_zeros,
            "initialize_parameters_random": make(lambda p: 10.0),
            "initialize_parameters_he": make(lambda p: np.sqrt(2 / p))}


@pytest.mark.parametrize("seed, transpose, dtype", [(0, False, np.float64), (1, True, np.float32),
                                                    (2, False, np.float32), (3, True, np.float64)])
def test_correct_draws_in_any_order_pass_every_statistics_check(seed, transpose, dtype):
    results = grade(generator_initializers(seed, transpose, dtype), seed=seed)
    statistics = {k: r for k, r in results.items() if r.kind == "property" or r.kind == "structure"}
    assert {k: r.outcome for k, r in statistics.items() if r.outcome != "passed"} == {}
    assert all(r.hint is None for r in statistics.values())  # no course-stream note: another stream


@pytest.mark.parametrize("seed", [12, 53, 123])
def test_slow_starting_correct_draws_pass_the_training_check(seed):
    """Generator seeds 1000 + 12, 53, 123 give He draws that the course's own 15,000 steps leave
    below 85% (measured): the training check's later rounds still let them pass."""
    rng = np.random.default_rng(1000 + seed)

    def initialize(layers_dims):
        return {k: v for l in range(1, len(layers_dims)) for k, v in
                ((f"W{l}", rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l - 1])),
                 (f"b{l}", np.zeros((layers_dims[l], 1))))}

    spec = next(c for c in SUITE.checks() if c.name == "trains_the_network")
    result = run_check(spec, LocalCalls({"initialize_parameters_he": initialize}, frozenset(SUITE.drivers)), ORACLE, 0)
    assert result.outcome == "passed", result.evidence


def test_the_reference_passes_and_is_noted_as_the_courses_stream():
    results = grade(vars(reference))
    assert {r.outcome for r in results.values()} == {"passed"}
    noted = {k for k, r in results.items() if r.hint is not None}
    assert noted == {"initialize_parameters_random/returns_the_parameters",
                     "initialize_parameters_he/returns_the_parameters"}


@pytest.mark.parametrize("function, mistake", [(f, m) for f, ms in reference.MISTAKES.items() for m in ms],
                         ids=lambda v: getattr(v, "hint", v))
def test_every_known_mistake_is_named_and_loses_points(function, mistake):
    """Each wrong variant fails a check of its own exercise with its hint, and no check of that
    exercise names another mistake."""
    results = grade({**vars(reference), function: mistake.fn})
    own = {k: r for k, r in results.items() if k.startswith(function + "/")}
    failed = {k: r for k, r in own.items() if r.outcome != "passed"}
    assert any(r.hint is not None and r.hint.key == mistake.hint for r in failed.values()), failed
    assert {r.hint.key for r in failed.values() if r.hint is not None} == {mistake.hint}
    assert all(r.outcome == "passed" for k, r in results.items() if not k.startswith(function + "/"))


def test_hints_fire_only_on_mistakes_not_on_correct_variants():
    hints = {r.hint.key for r in grade(generator_initializers(5, False, np.float64)).values() if r.hint}
    assert hints == set()


# ------------------------------------------------------------------------------- the sample class


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(reports by resolved path, isolation level, output folder) of the whole class and the reference."""
    out = tmp_path_factory.mktemp("initialization-class")
    paths = [EXAMPLES / name for name in SAMPLES] + [REFERENCE]
    run = grade_class("initialization", paths, out=out, jobs=2, figures=False)
    reports = {Path(r.submission).resolve(): r for r in run.reports}
    assert len(reports) == len(paths)
    return reports, run.isolation, out


def outcomes(report) -> dict:
    return {f"{e.name}/{c.name}": c for e in report.exercises for c in e.checks}


def test_every_sample_is_listed_in_expected_json():
    on_disk = {p.name for p in EXAMPLES.iterdir() if p.name != "expected.json" and not p.name.startswith((".", "_"))}
    assert on_disk == set(SAMPLES)
    assert EXPECTED["max_points"] == sum(c.points for c in SUITE.checks())
    for name, want in SAMPLES.items():
        assert want["why"].strip(), name
        assert set(want["checks"]) <= set(CHECK_KEYS), name
        if "all_checks" not in want:  # the points follow from the checks expected not to pass
            lost = sum(c.points for c in SUITE.checks()
                       if want["checks"].get(c.key, {"outcome": "passed"})["outcome"] != "passed")
            assert want["points"] == EXPECTED["max_points"] - lost, name


def test_the_stub_sample_is_the_generated_stub():
    """untouched_stub.py is a copy of assignments/initialization.py: re-copy it after `dlgrade build`."""
    assert (EXAMPLES / "untouched_stub.py").read_text() == STUB.read_text()


def test_every_named_mistake_has_a_sample_showing_its_hint():
    hints = {c.get("hint") for want in SAMPLES.values() for c in want["checks"].values()}
    assert {m.hint for ms in reference.MISTAKES.values() for m in ms} <= hints


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_graded_as_expected(graded, name):
    want = SAMPLES[name]
    report = graded[0][(EXAMPLES / name).resolve()]
    assert_graded_as_expected(report, want, CHECK_KEYS, EXPECTED["max_points"])
    missing = sorted({n.data.get("module") for n in report.notes if n.kind == "missing_module"})
    assert missing == sorted(want.get("missing_modules", [])), report.notes


def test_reference_solution_scores_full_marks(graded):
    report = graded[0][REFERENCE.resolve()]
    assert report.problem is None
    assert {c.outcome for c in outcomes(report).values()} == {"passed"}
    assert report.points == report.max_points == EXPECTED["max_points"]


def test_stub_scores_zero_and_is_not_implemented_everywhere(graded):
    report = graded[0][(EXAMPLES / "untouched_stub.py").resolve()]
    assert report.points == 0
    assert {c.outcome for c in outcomes(report).values()} == {"not_implemented"}
    assert all(c.hint is None for c in outcomes(report).values())


def test_gradebook_lists_every_student_with_their_points(graded):
    reports, _, out = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_student = {r.student: r for r in reports.values()}
    assert {row["student"] for row in rows} == set(by_student)
    for row in rows:
        assert float(row["total"]) == pytest.approx(by_student[row["student"]].points)


def test_helpers_survive_a_saturated_network():
    """compute_loss of outputs exactly 0 and 1 on the wrong labels is inf, not an exception."""
    assert utils.compute_loss(np.array([[0.0, 1.0, 0.5]]), np.array([[1, 0, 1]])) == math.inf
