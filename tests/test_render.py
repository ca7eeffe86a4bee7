"""Rendering of reports and summaries: every evidence, problem, note and hint renders in every format,
hidden checks leak nothing, and student-controlled text can neither inject HTML nor drive a terminal."""
from __future__ import annotations

import base64
import dataclasses
import re

import jinja2
import pytest

from graders.engine.reports import render
from graders.engine.reports.records import (
    CheckResult,
    Evidence,
    ExerciseResult,
    Hint,
    LoadNote,
    Plot,
    Report,
)
from graders.engine.reports.render import (
    environment,
    format_points,
    md_escape,
    printable,
    render_report,
    render_summary,
)

FORMATS = ("html", "md", "txt")
XSS = "<script>alert(1)</script>"
ESC = "\x1b[2J\x1b]0;owned\x07\r"
# A 1x1 PNG.
PNG_1X1 = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e22177"
        "ea0000000049454e44ae426082"
    )
).decode()

# ---------------------------------------------------------------------------------------------
# Builders


def check(
    *evidence: Evidence,
    outcome: str = "failed",
    public: bool = True,
    hint: Hint | None = None,
    name: str = "c",
    title: str = "A check",
    points: float = 2,
    exercise: str = "compute_cost_with_regularization",
) -> CheckResult:
    return CheckResult(exercise, name, title, "value", public, points, outcome, tuple(evidence), hint)


def report(
    *checks: CheckResult,
    mode: str = "grade",
    notes: tuple[LoadNote, ...] = (),
    plots: tuple[Plot, ...] = (),
    problem: Evidence | None = None,
    student: str = "alice",
    hidden_count: int = 0,
    isolation: str = "rlimits",
) -> Report:
    by_ex: dict[str, list[CheckResult]] = {}
    for c in checks:
        by_ex.setdefault(c.exercise, []).append(c)
    exercises = tuple(ExerciseResult(name, tuple(cs)) for name, cs in by_ex.items())
    return Report(
        "regularization", student, f"submissions/{student}.py", mode, exercises, notes, plots,
        hidden_count, isolation, problem,
    )


VALUES_DIFFER = Evidence("values_differ", {
    "name": "dW1", "n_differ": 3, "n_total": 6, "max_err": 0.35, "where": [1, 2],
    "got": 0.12, "want": 0.47, "rtol": 1e-05, "atol": 1e-08,
})

#: One example per evidence kind (and per property name), with text every format must show.
EVIDENCE_CASES = {
    "not_implemented": (Evidence("not_implemented", {"function": "compute_cost_with_regularization"}),
                        ["compute_cost_with_regularization", "not implemented"]),
    "missing_function": (Evidence("missing_function", {"function": "forward_propagation_with_dropout"}),
                         ["forward_propagation_with_dropout", "does not define"]),
    "raised": (Evidence("raised", {"function": "f", "type": "ValueError", "message": "shapes do not align",
                                   "line": 17}),
               ["raised ValueError", "line 17", "shapes do not align"]),
    "raised_no_line": (Evidence("raised", {"function": "f", "type": "KeyError", "message": "'W3'",
                                           "line": None}),
                       ["raised KeyError"]),
    "timeout": (Evidence("timeout", {"function": "f", "seconds": 10}), ["did not finish within 10 s"]),
    "crashed": (Evidence("crashed", {"function": "f", "reason": "killed by signal 9"}),
                ["crashed", "killed by signal 9"]),
    "skipped_after": (Evidence("skipped_after", {"function": "f", "check": "Cost on a big batch"}),
                      ["Not run", "Cost on a big batch"]),
    "malformed": (Evidence("malformed", {"name": "grads", "reason": "too_large", "nodes": 100000, "arrays": 10000,
                                         "depth": 40}),
                  ["grads", "too large to send back", "100,000 separate values", "10,000 arrays", "ran to the end"]),
    "malformed_free_text": (Evidence("malformed", {"name": "A3", "reason": "nested 40 levels deep"}),
                            ["A3", "nested 40 levels deep"]),
    "wrong_type": (Evidence("wrong_type", {"name": "cost", "expected": "float", "got": "ndarray"}),
                   ["cost", "float", "ndarray"]),
    "wrong_shape": (Evidence("wrong_shape", {"name": "dW1", "expected": [20, 2], "got": [2, 20]}),
                    ["dW1", "(2, 20)", "(20, 2)"]),
    "wrong_shape_1d": (Evidence("wrong_shape", {"name": "b", "expected": [5], "got": []}),
                       ["(5,)", "()"]),
    "missing_keys": (Evidence("missing_keys", {"name": "gradients", "missing": ["dW3", "db3"]}),
                     ["gradients", "dW3", "db3"]),
    "wrong_length": (Evidence("wrong_length", {"name": "cache", "expected": 14, "got": 12}),
                     ["cache", "12", "14"]),
    "not_finite": (Evidence("not_finite", {"name": "A3", "count": 4, "n_total": 10}),
                   ["A3", "4 of 10", "NaN"]),
    "values_differ": (VALUES_DIFFER,
                      ["dW1", "3 of 6", "0.35", "[1, 2]", "0.12", "0.47", "rtol=1e-05", "atol=1e-08"]),
    "values_differ_scalar": (Evidence("values_differ", {
        "name": "cost", "n_differ": 1, "n_total": 1, "max_err": 0.045, "where": None, "got": 1.8316,
        "want": 1.7864, "rtol": 1e-05, "atol": 1e-08}), ["cost", "1.8316", "1.7864"]),
    "property_keep_fraction": (Evidence("property", {"name": "keep_fraction", "measured": 0.214,
                                                     "expected": 0.86, "tolerance": 0.03}),
                               ["0.214", "0.86", "keep"]),
    "property_mask_binary": (Evidence("property", {"name": "mask_binary", "measured": 7, "expected": 0,
                                                   "tolerance": 0}),
                             ["7 mask entries", "neither 0 nor 1"]),
    "property_mask_varies": (Evidence("property", {"name": "mask_varies_across_examples", "measured": 1.0,
                                                   "expected": 0.0, "tolerance": 0.2}),
                             ["identical to the first column", "each example"]),
    "property_default_keep_prob": (Evidence("property", {"name": "default_keep_prob", "measured": 0.9,
                                                         "expected": 0.5, "tolerance": 0.05}),
                                   ["without keep_prob", "0.9", "0.5"]),
    "property_matches_plain_forward": (Evidence("property", {"name": "matches_plain_forward",
                                                             "measured": 0.25, "expected": 0.0,
                                                             "tolerance": 1e-07}),
                                       ["keep_prob=1", "plain forward pass", "0.25"]),
    "property_other": (Evidence("property", {"name": "sums_to_one", "measured": 0.9, "expected": 1.0,
                                             "tolerance": 0.01}),
                       ["sums_to_one"]),
    "gradient_check": (Evidence("gradient_check", {"name": "dW2", "rel_error": 0.03, "threshold": 1e-05}),
                       ["dW2", "finite differences", "0.03", "1e-05"]),
    "stale_expectations": (Evidence("stale_expectations", {"check": "cost_course_example"}),
                           ["cost_course_example", "out of date", "dlgrade build"]),
}

PROBLEM_CASES = {
    "file_missing": ({"path": "subs/zoe/regularization.py"}, ["subs/zoe/regularization.py", "No submission"]),
    "unreadable": ({"path": "subs/a.py", "reason": "invalid UTF-8 at byte 12"},
                   ["subs/a.py", "invalid UTF-8 at byte 12"]),
    "corrupt_notebook": ({"path": "subs/a.ipynb", "reason": "Expecting value: line 1"},
                         ["subs/a.ipynb", "not a valid Jupyter notebook", "Expecting value"]),
    "not_python": ({"path": "subs/a.docx"}, ["subs/a.docx", ".ipynb"]),
    "empty_folder": ({"path": "subs/bob"}, ["subs/bob", "empty"]),
    "ambiguous_folder": ({"path": "subs/carl", "candidates": ["v1.py", "v2.ipynb"]},
                         ["subs/carl", "v1.py", "v2.ipynb"]),
    "import_crashed": ({"reason": "SyntaxError: invalid syntax (line 40)"}, ["SyntaxError: invalid syntax"]),
    "import_timeout": ({"seconds": 30}, ["30 s"]),
    "duplicate_student": ({"path": "subs/alice_v2.py"}, ["subs/alice_v2.py", "Another submission"]),
}

NOTE_CASES = {
    "missing_module": ({"module": "testCases", "line": 3}, ["Line 3", "testCases"]),
    "statement_failed": ({"line": 12, "type": "NameError", "message": "name 'X' is not defined"},
                         ["line 12", "NameError", "name 'X' is not defined"]),
    "exited": ({"code": 2}, ["sys.exit(2)"]),
    "skipped_cell": ({"cell": 7, "reason": "shell command"}, ["cell 7", "shell command"]),
    "output": ({"text": "cost after iteration 0: 0.6931\ndone", "truncated": True},
               ["cost after iteration 0: 0.6931", "done", "cut short"]),
}

HINT_KEYS = {
    "l2_without_half": {},
    "l2_without_m": {},
    "l2_includes_biases": {},
    "l2_missing_layer": {"layer": 2},
    "l2_missing_from_dW": {"layer": 3},
    "l2_added_to_db": {},
    "l2_gradient_doubled": {},
    "l2_gradient_without_m": {},
    "dropout_missing_scaling_forward": {},
    "dropout_multiplies_keep_prob_forward": {},
    "mask_keeps_complement": {},
    "mask_gaussian": {},
    "mask_shared_across_examples": {},
    "dropout_mask_not_applied_backward": {},
    "dropout_missing_scaling_backward": {},
    "dropout_multiplies_keep_prob_backward": {},
}


def html_text(html: str) -> str:
    """The visible text of an HTML page, roughly: tags dropped, entities decoded, spaces collapsed."""
    import html as html_mod

    body = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_mod.unescape(re.sub(r"<[^>]+>", " ", body)))


def visible(text: str, fmt: str) -> str:
    """What a reader sees, with line wrapping undone, so phrases can be searched for."""
    if fmt == "html":
        return html_text(text)
    if fmt == "md":
        import html as html_mod

        text = html_mod.unescape(re.sub(r"\\([\\`*\[\]|~_])", r"\1", text))
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------------------------------
# Environment and helpers


def test_environment_is_cached_strict_and_escapes_html_only():
    env = environment()
    assert env is environment()
    assert env.undefined is jinja2.StrictUndefined
    assert env.trim_blocks and env.lstrip_blocks
    assert env.autoescape("report.html") is True
    for name in ("report.md", "report.txt", "evidence.j2", "common.j2", "hints/regularization.j2"):
        assert env.autoescape(name) is False
    assert (render.TEMPLATES_DIR / "evidence.j2").is_file()


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError):
        render_report(report(check(outcome="passed")), "pdf")
    with pytest.raises(ValueError):
        render_summary([], "html")


def test_printable_spells_out_control_characters_but_keeps_newlines_and_tabs():
    out = printable("a\x1b[31mb\rc\x00d\x7fe\x9bf\u202eg\nh\ti")
    assert out == "a\\x1b[31mb\\x0dc\\x00d\\x7fe\\x9bf\\u202eg\nh\ti"
    assert type(printable(jinja2.utils.markupsafe.Markup("<b>"))) is str


def test_md_escape_neutralises_html_links_and_blocks():
    out = md_escape("<img src=x onerror=alert(1)> [a](http://x) `c` | *b*\n# head")
    assert "<" not in out and ">" not in out
    assert "\\[a\\]" in out and "\\`c\\`" in out and "\\|" in out and "\\*b\\*" in out
    assert "\n" not in out


@pytest.mark.parametrize("value, text", [(7, "7"), (7.0, "7"), (7.5, "7.5"), (0.1 + 0.2, "0.3"),
                                         (-0.0, "0"), (1 / 3, "0.333333"), (2.25, "2.25")])
def test_format_points_has_no_float_noise(value, text):
    assert format_points(value) == text


# ---------------------------------------------------------------------------------------------
# Evidence


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(EVIDENCE_CASES))
def test_every_evidence_kind_renders_a_sentence(case, fmt):
    ev, fragments = EVIDENCE_CASES[case]
    macro = environment().get_template("evidence.j2").module.evidence
    for hidden in (False, True):
        assert str(macro(ev, hidden)).strip(), f"{case} renders nothing (hidden={hidden})"
    out = visible(render_report(report(check(ev, title="The check")), fmt), fmt)
    for fragment in fragments:
        assert fragment in out, f"{case}: {fragment!r} missing from the {fmt} report"


def test_values_differ_sentence_reads_as_specified():
    text = str(environment().get_template("evidence.j2").module.evidence(VALUES_DIFFER, False))
    assert text == ("dW1: 3 of 6 values differ, largest error 0.35 at [1, 2] (yours 0.12, expected 0.47); "
                    "tolerance rtol=1e-05, atol=1e-08.")


def test_unknown_evidence_kind_still_renders():
    out = render_report(report(check(Evidence("brand_new_kind", {"x": 1}))), "txt")
    assert "brand_new_kind" in out


SECRET_WANT = 98765.4321
SECRET_GOT = 13579.2468


def hidden_report() -> Report:
    evs = (
        Evidence("values_differ", {"name": "dW1", "n_differ": 3, "n_total": 6, "max_err": 4242.4242,
                                   "where": [7, 9], "got": SECRET_GOT, "want": SECRET_WANT,
                                   "rtol": 1e-05, "atol": 1e-08}),
        Evidence("wrong_shape", {"name": "A2", "expected": [313, 717], "got": [717, 313]}),
        Evidence("wrong_type", {"name": "cache", "expected": "tuple", "got": "list"}),
        Evidence("wrong_length", {"name": "minibatches", "expected": 515, "got": 616}),
        Evidence("raised", {"function": "f", "type": "ValueError",
                            "message": "operands with shapes (313,717) (9,9)", "line": 5}),
        Evidence("property", {"name": "keep_fraction", "measured": 0.1234, "expected": 0.8642,
                              "tolerance": 0.0321}),
        Evidence("gradient_check", {"name": "dW2", "rel_error": 0.7531, "threshold": 1e-05}),
    )
    return report(check(*evs, public=False, title="Hidden values"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_hidden_checks_show_kind_and_name_but_no_values(fmt):
    out = render_report(hidden_report(), fmt)
    seen = visible(out, fmt)
    for secret in ("98765", "13579", "4242", "313", "717", "515", "616", "0.1234", "0.8642", "0.0321",
                   "0.7531", "[7, 9]", "operands", "tuple", "list"):
        assert secret not in seen, f"hidden value {secret!r} leaked into the {fmt} report"
    for shown in ("Hidden values", "Values differ in dW1", "3 of 6", "A2 has the wrong shape",
                  "cache has the wrong type", "raised ValueError", "dW2", "hidden"):
        assert shown in seen, f"{shown!r} missing from the {fmt} report"


def test_public_check_shows_full_evidence_for_the_same_data():
    rep = hidden_report()
    ex = rep.exercises[0]
    public = dataclasses.replace(rep, exercises=(ExerciseResult(ex.name, (dataclasses.replace(
        ex.checks[0], public=True),)),))
    out = visible(render_report(public, "txt"), "txt")
    for shown in ("98765.43", "13579.25", "(313, 717)", "515", "operands", "0.753"):
        assert shown in out


# ---------------------------------------------------------------------------------------------
# Hints


def test_every_regularization_hint_key_exists_and_says_something():
    module = environment().get_template("hints/regularization.j2").module
    for key, args in HINT_KEYS.items():
        macro = getattr(module, key, None)
        assert isinstance(macro, jinja2.runtime.Macro), f"hint macro {key!r} is missing"
        text = str(macro(**args)).strip()
        assert len(text) > 40, f"hint {key!r} is too short: {text!r}"
    assert "W2" in str(module.l2_missing_layer(layer=2))
    assert "dW3" in str(module.l2_missing_from_dW(layer=3))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", sorted(HINT_KEYS))
def test_hints_appear_in_every_format(key, fmt):
    rep = report(check(VALUES_DIFFER, hint=Hint(key, HINT_KEYS[key])))
    expected = str(getattr(environment().get_template("hints/regularization.j2").module, key)(
        **HINT_KEYS[key])).strip()
    first_words = " ".join(expected.replace("`", "").split()[:4])
    assert first_words in visible(render_report(rep, fmt), fmt).replace("`", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_hint_key_or_assignment_renders_nothing(fmt):
    rep = report(check(VALUES_DIFFER, hint=Hint("no_such_hint")))
    out = render_report(rep, fmt)
    assert "Hint" not in visible(out, fmt)
    other = dataclasses.replace(rep, assignment="optimization_methods")
    assert "dW1" in render_report(other, fmt)


def test_hint_code_spans_become_code_in_html():
    rep = report(check(VALUES_DIFFER, hint=Hint("l2_without_half")))
    assert "<code>lambd / (2 * m)</code>" in render_report(rep, "html")


# ---------------------------------------------------------------------------------------------
# Problems and load notes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", sorted(PROBLEM_CASES))
def test_every_problem_kind_gives_a_reason_and_a_next_step(kind, fmt):
    data, fragments = PROBLEM_CASES[kind]
    rep = report(problem=Evidence(kind, data))
    out = visible(render_report(rep, fmt), fmt)
    for fragment in fragments:
        assert fragment in out
    env = environment().get_template("common.j2").module
    assert str(env.problem_reason(Evidence(kind, data))).strip()
    nxt = str(env.problem_next(Evidence(kind, data))).strip()
    assert nxt and nxt != "Contact your instructor."
    squash = lambda t: re.sub(r"[\s`]+", "", t)  # noqa: E731 - markup may add spaces around code
    assert squash(nxt) in squash(out)
    assert "could not be graded" in out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", sorted(NOTE_CASES))
def test_every_load_note_kind_renders(kind, fmt):
    data, fragments = NOTE_CASES[kind]
    rep = report(check(outcome="passed"), notes=(LoadNote(kind, data),))
    out = render_report(rep, fmt)
    seen = visible(out, fmt)
    for fragment in fragments:
        assert fragment in seen
    if kind == "output" and fmt == "html":
        assert re.search(r"<pre class=\"output\">cost after iteration 0: 0.6931\ndone</pre>", out)


# ---------------------------------------------------------------------------------------------
# Untrusted text


def hostile_report() -> Report:
    hostile = XSS + ESC
    return report(
        check(Evidence("raised", {"function": "f", "type": "ValueError", "message": hostile, "line": 3}),
              Evidence("malformed", {"name": "out", "reason": hostile}), outcome="error"),
        student="eve" + hostile,
        notes=(LoadNote("output", {"text": hostile + "\nmore", "truncated": False}),
               LoadNote("statement_failed", {"line": 2, "type": "RuntimeError", "message": hostile}),
               LoadNote("skipped_cell", {"cell": 1, "reason": hostile})),
        plots=(Plot(hostile, PNG_1X1),),
        problem=Evidence("import_crashed", {"reason": hostile}),
        isolation=hostile,
    )


def test_student_strings_are_escaped_in_html():
    out = render_report(hostile_report(), "html")
    assert "<script" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count("&lt;script&gt;") >= 8  # message, reason, student (twice), output, notes, plot, isolation


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_never_reach_the_output(fmt):
    out = render_report(hostile_report(), fmt)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert "\\x1b" in out and "\\x0d" in out


def test_markdown_report_has_no_raw_html_from_students():
    out = render_report(hostile_report(), "md")
    # Raw text is allowed only inside fenced code blocks (printed output), where Markdown shows it as is.
    outside = re.sub(r"^( *)(`{3,})text\n.*?^\1\2$", "", out, flags=re.S | re.M)
    assert outside != out
    assert "<script" not in outside
    assert "&lt;script&gt;" in outside


def test_html_page_is_self_contained():
    rep = report(check(VALUES_DIFFER), plots=(Plot("Cost curve", PNG_1X1), Plot("bad", "not base64!\"><x")))
    out = render_report(rep, "html")
    assert out.lstrip().startswith("<!DOCTYPE html>")
    assert f'src="data:image/png;base64,{PNG_1X1}"' in out
    assert "Cost curve" in out
    assert "not base64" not in out  # an invalid plot is left out, not embedded
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", out)
    assert "<script" not in out and "<link" not in out and "@import" not in out
    assert "http://" not in out and "https://" not in out


# ---------------------------------------------------------------------------------------------
# Structure, modes and visibility


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_lists_exercises_checks_points_and_outcomes(fmt):
    rep = report(
        check(outcome="passed", title="Cost on the course example", points=2.5),
        check(VALUES_DIFFER, title="Cost on random inputs", points=3),
        check(Evidence("timeout", {"function": "f", "seconds": 5}), outcome="timeout", title="Big batch",
              points=1, exercise="forward_propagation_with_dropout"),
    )
    out = visible(render_report(rep, fmt), fmt)
    for fragment in ("compute_cost_with_regularization", "forward_propagation_with_dropout",
                     "Cost on the course example", "Cost on random inputs", "Big batch", "2.5 / 5.5"):
        assert fragment in out
    assert ("Passed" in out and "Failed" in out and "Timed out" in out) or fmt == "txt"
    if fmt == "txt":
        assert "PASS" in out and "FAIL" in out and "TIMEOUT" in out
    assert "2.5 / 6.5" in out  # total


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("all_pass", [True, False])
def test_check_mode_counts_hidden_checks_and_never_claims_everything_passed(fmt, all_pass):
    checks = [check(outcome="passed", name="a"), check(outcome="passed", name="b")]
    if not all_pass:
        checks.append(check(VALUES_DIFFER, name="c"))
    rep = report(*checks, mode="check", hidden_count=7)
    out = visible(render_report(rep, fmt), fmt)
    assert "7 more checks are hidden" in out
    assert "only when your work is graded" in out
    assert not re.search(r"all (the )?(public )?(tests|checks) (have )?passed", out, re.I)
    assert not re.search(r"\ball\b[^.]*\bpassed\b", out, re.I)
    assert "Public checks: 2 of " in out


def test_check_mode_with_one_hidden_check_is_singular():
    out = render_report(report(check(outcome="passed"), mode="check", hidden_count=1), "txt")
    assert "1 more check is hidden and runs only" in out


def test_grade_mode_shows_total_score():
    rep = report(check(outcome="passed", points=7.5), check(VALUES_DIFFER, points=2.5))
    for fmt in FORMATS:
        assert "7.5 / 10" in visible(render_report(rep, fmt), fmt)
    assert "hidden and run" not in render_report(rep, "txt")


def test_isolation_is_shown_in_the_html_footer():
    out = render_report(report(check(outcome="passed"), isolation="bwrap, no network, 4 GiB"), "html")
    footer = out[out.index("<footer>"):out.index("</footer>")]
    assert "bwrap, no network, 4 GiB" in footer


# ---------------------------------------------------------------------------------------------
# Class summary


def summary_reports() -> list[Report]:
    ex2 = "backward_propagation_with_regularization"
    bob = report(check(outcome="passed", points=3), check(outcome="passed", name="d", exercise=ex2, points=4),
                 student="bob")
    alice = report(check(VALUES_DIFFER, points=3),
                   check(Evidence("timeout", {"function": "g", "seconds": 5}), outcome="timeout", name="d",
                         exercise=ex2, points=4),
                   student="alice")
    zed = report(problem=Evidence("corrupt_notebook", {"path": "z.ipynb", "reason": "bad json"}),
                 student="zed\x1b[2J|x")
    return [zed, bob, alice]


def test_text_summary_has_a_row_per_student_and_a_pass_rate_table():
    out = render_summary(summary_reports())
    lines = out.splitlines()
    rows = [ln for ln in lines if ln.startswith(("alice", "bob", "zed"))]
    assert [r.split()[0] for r in rows] == ["alice", "bob", "zed\\x1b[2J|x"]
    assert rows[0].split()[1:] == ["0", "0", "0", "/", "7", "ok", "(1", "timed", "out)"]
    assert rows[1].split()[1:] == ["3", "4", "7", "/", "7", "ok"]
    assert "problem: corrupt_notebook" in rows[2]
    assert "ex1 = compute_cost_with_regularization (max 3)" in out
    assert re.search(r"ex1\s+A check\s+public\s+1 / 2\s+50%", out)
    assert "\x1b" not in out
    assert "1 could not be graded" in out


def test_markdown_summary_is_a_table():
    out = render_summary(summary_reports(), "md")
    assert "| Student |" in out
    assert "| bob | 3 | 4 | 7 / 7 | ok |" in out
    assert "problem: corrupt\\_notebook" in out or "problem: corrupt_notebook" in out
    assert "zed\\\\x1b\\[2J\\|x" in out  # escaped: no pipe breaks the table, no control characters
    assert "## Pass rate per check" in out
    assert "\x1b" not in out


def test_summary_in_check_mode_mentions_hidden_checks():
    rep = report(check(outcome="passed"), mode="check", hidden_count=3)
    assert "hidden checks run only when work is graded" in render_summary([rep])
    assert render_summary([]).startswith("Class summary (0 submissions)")


# ---------------------------------------------------------------------------------------------
# Command-line messages


def test_listing_shows_exercises_points_and_check_counts():
    from graders.engine.grading.suite import Suite

    suite = Suite("regularization")
    ex = suite.exercise("compute_cost_with_regularization")
    ex.check(points=2, kind="value", public=True)(lambda trial: None)
    ex.check(points=1.5, kind="value")(lambda trial: None)
    out = render.render_listing([suite])
    assert re.search(r"compute_cost_with_regularization\s+3.5\s+1\s+1", out)
    assert render.render_listing([]).strip() == "No assignments are installed."


@pytest.mark.parametrize("level", ["namespaces+user", "namespaces", "user", "none"])
def test_isolation_line_for_every_level(level):
    line = render.render_isolation(level)
    assert "\n" not in line and len(line) > 40
    assert ("WARNING" in line) == (level == "none")


def test_outputs_line_mentions_folder_and_resumed_reports():
    assert "/tmp/out" in render.render_outputs("/tmp/out")
    assert "earlier" not in render.render_outputs("/tmp/out", 0)
    assert "3 reports were kept" in render.render_outputs("/tmp/out", 3)


def test_experiment_table():
    run = dataclasses.make_dataclass("Run", ["title", "parameters", "costs", "train_accuracy", "test_accuracy"])
    out = render.render_experiment("regularization", [run("L2 regularization, lambd = 0.7", {}, (0.69, 0.26),
                                                          0.938, 0.93)])
    assert re.search(r"L2 regularization, lambd = 0.7\s+0.69\s+0.26\s+93.8%\s+93.0%", out)
    assert "No training run finished" in render.render_experiment("regularization", [])


def test_an_unusable_template_cache_only_costs_time(tmp_path):
    # Jinja's compiled-template cache is an optimisation: a folder that cannot be written or
    # holds garbage must not stop a report
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    cache = render._BytecodeCache(str(blocked))
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "2"
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 2 + 2 }}"}), bytecode_cache=render._BytecodeCache(str(garbage)))
    assert env.get_template("t").render() == "4"
    for cached in garbage.iterdir():
        cached.write_bytes(b"not marshalled code")
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 2 + 2 }}"}), bytecode_cache=render._BytecodeCache(str(garbage)))
    assert env.get_template("t").render() == "4"


def test_a_report_picture_is_drawn_once_per_distinct_picture(monkeypatch):
    # two students whose networks predict the same class at every pixel share one rendering, and
    # that PNG is the one drawing it afresh gives; a different boundary is drawn anew
    import numpy as np

    from assignments import plots
    from graders.engine.reports import pictures

    rng = np.random.default_rng(0)
    X, Y = rng.uniform(-1, 1, (2, 40)), (rng.random((1, 40)) > 0.5).astype(int)
    net = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(2, 3)),
           "b2": np.zeros((2, 1)), "W3": rng.normal(size=(1, 2)), "b3": np.zeros((1, 1))}
    nudged = {**net, "W1": net["W1"] * (1 + 1e-12)}  # rounding: same prediction everywhere
    flipped = {**net, "b3": np.array([[50.0]])}  # another boundary: everything class 1
    drawn = []
    real = plots.decision_boundaries_figure
    monkeypatch.setattr(plots, "decision_boundaries_figure", lambda *a: drawn.append(a) or real(*a))
    monkeypatch.setattr(pictures, "_cache", type(pictures._cache)())
    first = pictures.boundaries_png([("yours", net)], X, Y)
    again = pictures.boundaries_png([("yours", nudged)], X, Y)
    other = pictures.boundaries_png([("yours", flipped)], X, Y)
    assert first == again and len(drawn) == 2 and other != first
    assert first == plots.figure_png(real([("yours", net)], X, Y), dpi=60)


def test_a_networks_classes_on_the_plot_grid_are_computed_once(monkeypatch):
    # the reference's panel is the same for every student: its grid is computed once per network
    import numpy as np

    from assignments import plots
    from graders.engine.reports import pictures

    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (2, 30))
    net = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(2, 3)),
           "b2": np.zeros((2, 1)), "W3": rng.normal(size=(1, 2)), "b3": np.zeros((1, 1))}
    other = {**net, "b3": np.array([[0.3]])}
    computed = []

    def counted(parameters, points):
        computed.append(1)
        return plots.decision_grid(parameters, points)

    monkeypatch.setattr(pictures, "_grids", type(pictures._grids)())
    first = pictures._classes_on_grid(net, X, counted)
    again = pictures._classes_on_grid({k: v.copy() for k, v in net.items()}, X, counted)
    assert len(computed) == 1 and again is first  # equal networks (copies too) share one grid
    np.testing.assert_array_equal(first, plots.decision_grid(net, X)[2])
    assert not np.array_equal(pictures._classes_on_grid(other, X, counted), first) and len(computed) == 2
