"""The TensorFlow sample class (examples/tf_intro/) graded end to end, against examples/tf_intro/expected.json.

The whole class plus the reference solution is graded once per module through ``classrun.grade_class``,
in the sandbox, with two workers. Each sample is compared with what *should* happen to it: points,
problem, and every check's outcome, hint and first evidence. One sample hangs inside a TensorFlow op
for the suite's 30 s call limit, so this module takes about a minute and a half.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sample_outcomes import assert_graded_as_expected

from graders.engine.grading.classrun import grade_class, load_suite

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "tf_intro"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text())
SAMPLES = EXPECTED["submissions"]
REFERENCE = ROOT / "solutions" / "tf_intro.py"
STUB = ROOT / "assignments" / "tf_intro.py"
SUITE = load_suite("tf_intro")
CHECK_KEYS = [c.key for c in SUITE.checks()]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(reports by resolved path, isolation level, output folder) of the whole class and the reference."""
    out = tmp_path_factory.mktemp("tf_intro-class")
    paths = [EXAMPLES / name for name in SAMPLES] + [REFERENCE]
    run = grade_class("tf_intro", paths, out=out, jobs=2, figures=False)
    reports = {Path(r.submission).resolve(): r for r in run.reports}
    assert len(reports) == len(paths)
    return reports, run.isolation, out


def report_of(graded, path: Path):
    return graded[0][path.resolve()]


def outcomes(report) -> dict:
    return {f"{e.name}/{c.name}": c for e in report.exercises for c in e.checks}


# ------------------------------------------------------------------------ the sample class itself


def test_every_sample_is_listed_in_expected_json():
    on_disk = {p.name for p in EXAMPLES.iterdir()
               if p.name != "expected.json" and not p.name.startswith((".", "_")) and p.suffix != ".md"}
    assert on_disk == set(SAMPLES)
    assert EXPECTED["max_points"] == sum(c.points for c in SUITE.checks())
    for name, want in SAMPLES.items():
        assert want["why"].strip(), name
        assert set(want["checks"]) <= set(CHECK_KEYS), name
        if "all_checks" not in want:  # the points follow from the checks expected not to pass
            lost = sum(c.points for c in SUITE.checks()
                       if want["checks"].get(c.key, {}).get("outcome", "passed") != "passed")
            assert want["points"] == EXPECTED["max_points"] - lost, name


def test_the_stub_sample_is_the_generated_stub():
    """untouched_stub.py is a copy of assignments/tf_intro.py: re-copy it after `dlgrade build`."""
    assert (EXAMPLES / "untouched_stub.py").read_text() == STUB.read_text()


def test_every_known_mistake_has_a_sample_showing_its_hint():
    """Each hint key of the reference's MISTAKES is given to some sample, except the ones held back."""
    hints = {c.get("hint") for want in SAMPLES.values() for c in want["checks"].values()}
    for key in ("loss_is_mean", "loss_not_from_logits", "loss_wrong_orientation", "forward_applies_softmax"):
        assert key in hints


# -------------------------------------------------------------------------------- grading


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_graded_as_expected(graded, name):
    want = SAMPLES[name]
    if "requires_isolation" in want and graded[1] not in want["requires_isolation"]:
        pytest.skip(f"expected outcome needs isolation {want['requires_isolation']}, this machine has {graded[1]}")
    report = report_of(graded, EXAMPLES / name)
    assert_graded_as_expected(report, want, CHECK_KEYS, EXPECTED["max_points"])
    missing = sorted({n.data.get("module") for n in report.notes if n.kind == "missing_module"})
    assert missing == sorted(want.get("missing_modules", [])), report.notes
    read_off_the_text = [n.kind for n in report.notes if n.kind == "tensorflow1"]
    assert read_off_the_text == want.get("notes", []), report.notes


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


def test_hang_costs_one_call_limit_only(graded):
    """The hanging sigmoid is stopped at the suite's call limit; the checks after it are not run."""
    report = report_of(graded, EXAMPLES / "infinite_loop_in_tf_op.py")
    timed_out = [c for c in outcomes(report).values() if c.outcome == "timeout"]
    assert len(timed_out) == 1
    assert timed_out[0].evidence[0].data.get("seconds") == SUITE.limits.call_seconds


def test_gradebook_lists_every_student_with_their_points(graded):
    reports, _, out = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(reports)
    by_student = {r.student: r for r in reports.values()}
    assert {row["student"] for row in rows} == set(by_student)
    for row in rows:
        assert float(row["total"]) == pytest.approx(by_student[row["student"]].points)


def test_tensorflow1_code_is_named_once_at_the_top_of_the_report(graded):
    """One sentence says it is TensorFlow 1 code and which functions it affects, before the checks."""
    report = report_of(graded, EXAMPLES / "tensorflow1.py")
    note = next(n for n in report.notes if n.kind == "tensorflow1")
    assert note.data["functions"] == ["linear_function", "sigmoid", "one_hot_matrix", "initialize_parameters"]
    assert {"tf.Session", "tf.placeholder", "tf.get_variable", "tf.contrib"} <= set(note.data["apis"])
    text = (graded[2] / "tensorflow1" / "report.txt").read_text()
    assert text.count("This is TensorFlow 1 code") == 1
    assert text.index("This is TensorFlow 1 code") < text.index("== linear_function")
    assert text.startswith("Introduction to TensorFlow: feedback for tensorflow1")


def test_a_missing_function_in_a_driver_is_not_implemented_not_an_error(graded):
    """The model check drives the student's model; a submission without one gets "not implemented"
    naming model, never an error of the grader's driver."""
    check = outcomes(report_of(graded, EXAMPLES / "tensorflow1.py"))["model/learns_the_digits"]
    assert check.outcome == "not_implemented" and check.evidence[0].data == {"function": "model"}


def test_the_class_summary_names_the_tensorflow1_submissions(graded):
    summary = (graded[2] / "summary.md").read_text()
    assert "1 submission is TensorFlow 1 code" in summary and "tensorflow1" in summary
