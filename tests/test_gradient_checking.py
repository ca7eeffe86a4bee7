"""The Gradient Checking assignment: the course's facts about the reference, the handed-out stub,
and the sample class (examples/gradient_checking/) graded end to end against its expected.json."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sample_outcomes import assert_graded_as_expected

from assignments.gradient_checking_utils import forward_propagation_n
from graders import gradient_checking as grader
from graders.engine.grading.classrun import grade_class, load_suite
from solutions import gradient_checking as reference

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "gradient_checking"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text())
SAMPLES = EXPECTED["submissions"]
STUB = ROOT / "assignments" / "gradient_checking.py"
REFERENCE = ROOT / "solutions" / "gradient_checking.py"
SUITE = load_suite("gradient_checking")
CHECK_KEYS = [c.key for c in SUITE.checks()]


def seed1_case():
    """The course's case, drawn exactly as the course does (np.random.seed(1), then randn)."""
    np.random.seed(1)
    X, Y = np.random.randn(4, 3), np.array([1, 1, 0])
    shapes = (("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1)))
    return X, Y, {name: np.random.randn(*shape) for name, shape in shapes}


# ------------------------------------------------------------------------ facts of the reference


def test_one_dimensional_functions_match_the_course():
    assert reference.forward_propagation(2, 4) == 8
    assert reference.backward_propagation(2, 4) == 2
    assert reference.forward_propagation(np.float64(-1.5), 0.3) == pytest.approx(-0.45)
    assert 0 <= reference.gradient_check(2, 4) < 1e-7


def test_course_differences_with_and_without_the_planted_bugs():
    X, Y, parameters = seed1_case()
    _, cache = forward_propagation_n(X, Y, parameters)
    fixed = reference.backward_propagation_n(X, Y, cache)
    assert reference.gradient_check_n(parameters, fixed, X, Y) == pytest.approx(1.1890913024229996e-07, rel=1e-9)
    buggy = grader.with_planted_bugs(fixed)
    assert reference.gradient_check_n(parameters, buggy, X, Y) == pytest.approx(0.2850931567761623, rel=1e-12)
    # at epsilon = 1e-3 truncation, not rounding, dominates: the "about 1.7e-8"
    assert reference.gradient_check_n(parameters, fixed, X, Y, 1e-3) == pytest.approx(1.68e-8, rel=0.01)


def test_the_grader_draws_the_course_case():
    X, Y, parameters = grader.seed1_case()
    X_course, Y_course, parameters_course = seed1_case()
    assert np.array_equal(X, X_course) and np.array_equal(Y, Y_course)
    assert all(np.array_equal(parameters[k], parameters_course[k]) for k in parameters_course)


def test_the_stub_hands_out_backward_propagation_n_with_both_bugs():
    namespace: dict = {}
    exec(compile(STUB.read_text(), str(STUB), "exec"), namespace)
    X, Y, parameters = seed1_case()
    _, cache = forward_propagation_n(X, Y, parameters)
    handed_out = namespace["backward_propagation_n"](X, Y, cache)
    assert reference.gradient_check_n(parameters, handed_out, X, Y) == pytest.approx(0.2850931567761623, rel=1e-12)
    with pytest.raises(NotImplementedError):
        namespace["gradient_check_n"](parameters, handed_out, X, Y)


def test_print_msg_prints_only_when_asked(capsys):
    X, Y, parameters = seed1_case()
    gradients = reference.backward_propagation_n(X, Y, forward_propagation_n(X, Y, parameters)[1])
    reference.gradient_check_n(parameters, gradients, X, Y)
    reference.gradient_check(2, 4)
    assert capsys.readouterr().out == ""
    reference.gradient_check_n(parameters, grader.with_planted_bugs(gradients), X, Y, print_msg=True)
    reference.gradient_check(2, 4, print_msg=True)
    printed = capsys.readouterr().out
    assert "has a mistake" in printed and "looks right" in printed


def test_the_reference_leaves_parameters_unchanged():
    X, Y, parameters = seed1_case()
    before = {k: v.copy() for k, v in parameters.items()}
    reference.gradient_check_n(parameters, grader.exact_gradients("logistic", X, Y, parameters), X, Y)
    assert all(np.array_equal(before[k], parameters[k]) for k in before)


def test_rounding_allowance_covers_the_noise_of_correct_gradients():
    """At epsilon = 1e-7 the course's difference 1.19e-7 is noise: well inside the allowance, which
    in turn is far below any difference a wrong gradient gives."""
    X, Y, parameters = seed1_case()
    allowance = grader.allowance_n("logistic", X, Y, parameters, None)
    assert 1.19e-7 < allowance < 1e-5


# ------------------------------------------------------------------------------- the sample class


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("gradient-checking-class")
    paths = [EXAMPLES / name for name in SAMPLES] + [REFERENCE]
    run = grade_class("gradient_checking", paths, out=out, jobs=2)
    return {Path(r.submission).resolve(): r for r in run.reports}


def test_the_reference_gets_full_marks(graded):
    report = graded[REFERENCE.resolve()]
    assert report.points == report.max_points == EXPECTED["max_points"]
    assert not [c.hint for e in report.exercises for c in e.checks if c.hint]


def test_every_sample_is_listed_in_expected_json():
    on_disk = {p.name for p in EXAMPLES.iterdir() if p.name != "expected.json" and not p.name.startswith((".", "_"))}
    assert on_disk == set(SAMPLES)
    for name, want in SAMPLES.items():
        assert want["why"].strip(), name
        assert set(want["checks"]) <= set(CHECK_KEYS), name


def test_the_stub_sample_is_the_generated_stub():
    """untouched_stub.py is a copy of assignments/gradient_checking.py: re-copy it after `dlgrade build`."""
    assert (EXAMPLES / "untouched_stub.py").read_text() == STUB.read_text()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_graded_as_expected(graded, name):
    want = SAMPLES[name]
    report = graded[(EXAMPLES / name).resolve()]
    assert_graded_as_expected(report, want, CHECK_KEYS, EXPECTED["max_points"])
    noted = {n.data.get("module") for n in report.notes if n.kind == "missing_module"}
    assert noted == set(want.get("missing_modules", [])), noted
    kinds = {n.kind for n in report.notes}
    assert set(want.get("notes", [])) <= kinds
    output = "".join(n.data.get("text", "") for n in report.notes if n.kind == "output")
    assert all(text in output for text in want.get("output_contains", []))


def test_every_named_hint_fires_on_a_sample_and_never_on_a_correct_one():
    named = {m.hint for variants in reference.MISTAKES.values() for m in variants} | {
        "one_element_array", "parameters_changed"}
    fired = {c.get("hint") for want in SAMPLES.values() for c in want["checks"].values()}
    assert named <= fired, named - fired
    for name, want in SAMPLES.items():
        if want["points"] == EXPECTED["max_points"] and name != "returns_one_element_array.py":
            assert not want["checks"], name


def test_correct_samples_cover_both_signatures():
    """Both the course's signatures (with print_msg) and the older ones (without) are among the
    samples that score full marks."""
    full = [n for n, w in SAMPLES.items() if w["points"] == EXPECTED["max_points"]]
    texts = [(EXAMPLES / n).read_text() for n in full]
    assert any("def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):" in t for t in texts)
    assert any("print_msg=False):" in t for t in texts)
    assert any("np.dot(theta, x)" in t for t in texts)


# ------------------------------------------------------------------ frozen public expectations


def test_frozen_expectations_are_fresh_and_replay_on_the_reference():
    from graders.engine.grading import expectations, runner
    from graders.engine.grading.inprocess import LocalCalls
    from graders.engine.grading.oracle import FrozenOracle

    assert expectations.path("gradient_checking").read_text() == expectations.frozen_text("gradient_checking")
    assert expectations.path("gradient_checking").stat().st_size < 200_000
    oracle, calls = FrozenOracle("gradient_checking"), LocalCalls(vars(reference))
    for spec in SUITE.checks(public_only=True):
        assert runner.run_check(spec, calls, oracle, 0).outcome == "passed", spec.key


def test_frozen_expectations_name_a_mistake_without_solution_code():
    from graders.engine.grading import runner
    from graders.engine.grading.inprocess import LocalCalls
    from graders.engine.grading.oracle import FrozenOracle

    wrong = next(m for m in reference.MISTAKES["gradient_check_n"] if m.hint == "missing_denominator")
    spec = next(s for s in SUITE.checks(public_only=True) if s.key == "gradient_check_n/planted_mistakes_are_reported")
    result = runner.run_check(spec, LocalCalls({"gradient_check_n": wrong.fn}), FrozenOracle("gradient_checking"), 0)
    assert result.outcome == "failed" and result.hint.key == "missing_denominator"


# ------------------------------------------------------------------------- notebooks in a kernel


def run_notebook(notebook) -> list[str]:
    """Run every cell (stopping at the first error); each code cell's text (printed or displayed)."""
    from nbclient import NotebookClient

    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return ["".join(o.get("text", "") if o.get("output_type") == "stream" else o.get("data", {}).get("text/plain", "")
                    for o in c.get("outputs", []))
            for c in notebook.cells if c.cell_type == "code"]


def check_outputs(notebook, outputs: list[str]) -> dict[str, str]:
    """Function name -> the output of its check cell."""
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    return {source.split(", ")[-1].rstrip(")"): text for source, text in zip(code, outputs)
            if source.startswith("from graders.notebook import check")}


def test_the_student_notebook_runs_with_the_handout():
    from graders.engine.authoring import derive, source

    notebook = derive.derive_notebook(source.read_source(ROOT, "gradient_checking"), "gradient_checking")
    checks = check_outputs(notebook, run_notebook(notebook))
    assert list(checks) == ["forward_propagation", "backward_propagation", "gradient_check",
                            "backward_propagation_n", "gradient_check_n"]
    assert all("not implemented" in text for name, text in checks.items() if name != "backward_propagation_n")
    assert "not implemented" not in checks["backward_propagation_n"] and "dW2" in checks["backward_propagation_n"]


def test_the_reference_notebook_passes_and_runs_the_experiment():
    from graders.engine.authoring import derive, source

    notebook = derive.derive_source_notebook(source.read_source(ROOT, "gradient_checking"), "gradient_checking")
    outputs = run_notebook(notebook)
    checks = check_outputs(notebook, outputs)
    assert len(checks) == 5 and not any("not implemented" in text or "dW2" in text for text in checks.values())
    assert "agrees with the numerical gradient everywhere" in outputs[-1]


# ------------------------------------------------------------------------ experiment and figures


def reference_calls(**replaced):
    from graders.engine.grading.inprocess import LocalCalls

    namespace = {**vars(reference), **replaced}
    return LocalCalls(namespace, frozenset(SUITE.drivers))


def test_the_experiment_lights_up_the_planted_bugs_and_draws_the_v():
    fixed = grader.experiment(reference_calls())[0]
    assert all(above == 0 for _, _, _, above in fixed.rows)
    lowest = min(fixed.curve, key=lambda point: point[1])[0]
    assert 1e-5 <= lowest <= 1e-3  # the bottom of the V
    assert fixed.yours[0] > fixed.yours[3] < fixed.yours[-1]

    handed_out = grader.experiment(reference_calls(backward_propagation_n=reference._planted_bugs(2, 4)))[0]
    assert [name for name, _, _, above in handed_out.rows if above] == ["db1", "dW2"]
    assert all(value == pytest.approx(0.285, abs=1e-3) for value in handed_out.yours)


def test_the_experiment_text_and_the_report_figures():
    from graders.engine.reports.render import render_experiment

    runs = grader.experiment(reference_calls(backward_propagation_n=reference._planted_bugs(2, 4)))
    text = render_experiment("gradient_checking", runs)
    assert "disagrees with the numerical gradient in db1, dW2" in text and "1e-10" in text
    plots = grader.report_figures(reference_calls())
    assert len(plots) == 2 and all(p.png_base64.startswith("iVBOR") for p in plots)
