"""The sample class (examples/regularization/) graded end to end, against examples/regularization/expected.json.

The whole class (plus the reference solution) is graded once per session through
``classrun.grade_class``, in the sandbox, writing the gradebook into a temporary folder. Each
sample is then compared with what *should* happen to it: points, problem, every check's outcome and
hint, and what its loading left in the notes. Hostile samples must not touch anyone else: the
correct samples, graded alone, give the same reports as inside the class.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sample_outcomes import assert_graded_as_expected

from graders.engine.grading.classrun import grade_class, load_suite

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "regularization"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text())
SAMPLES = EXPECTED["submissions"]
REFERENCE = ROOT / "solutions" / "regularization.py"
STUB = ROOT / "assignments" / "regularization.py"
CORRECT = sorted(name for name, want in SAMPLES.items()
                 if want["points"] == EXPECTED["max_points"] and not want["checks"] and "all_checks" not in want)
HOSTILE_TEXT = "grader pwned"  # printed only by noisy_html_ansi.py
SUITE = load_suite("regularization")
CHECK_KEYS = [c.key for c in SUITE.checks()]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """(reports by path, isolation level, output folder) of the whole class and the reference."""
    out = tmp_path_factory.mktemp("regularization-class")
    paths = [EXAMPLES / name for name in SAMPLES] + [REFERENCE]
    run = grade_class("regularization", paths, out=out, jobs=2)
    reports = {Path(r.submission).resolve(): r for r in run.reports}
    assert len(reports) == len(paths)
    return reports, run.isolation, out


def report_of(graded, path: Path):
    return graded[0][path.resolve()]


def outcomes(report) -> dict:
    return {f"{e.name}/{c.name}": c for e in report.exercises for c in e.checks}


def output_text(report) -> str:
    return "".join(n.data.get("text", "") for n in report.notes if n.kind == "output")


# ------------------------------------------------------------------------------- the sample class


def test_every_sample_is_listed_in_expected_json():
    on_disk = {p.name for p in EXAMPLES.iterdir()
               if p.name != "expected.json" and not p.name.startswith((".", "_")) and p.suffix != ".md"}
    assert on_disk == set(SAMPLES)
    assert len(SAMPLES) >= 18
    for name, want in SAMPLES.items():
        assert want["why"].strip(), name
        assert set(want["checks"]) <= set(CHECK_KEYS), name


def test_the_stub_sample_is_the_generated_stub():
    """untouched_stub.py is a copy of assignments/regularization.py: re-copy it after `dlgrade build`."""
    assert (EXAMPLES / "untouched_stub.py").read_text() == STUB.read_text()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_graded_as_expected(graded, name):
    want = SAMPLES[name]
    if "requires_isolation" in want and graded[1] not in want["requires_isolation"]:
        pytest.skip(f"expected outcome needs isolation {want['requires_isolation']}, this machine has {graded[1]}")
    report = report_of(graded, EXAMPLES / name)
    assert_graded_as_expected(report, want, CHECK_KEYS, EXPECTED["max_points"])


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_load_notes(graded, name):
    want = SAMPLES[name]
    if "requires_isolation" in want and graded[1] not in want["requires_isolation"]:
        pytest.skip("isolation level too weak for this sample's expectations")
    report = report_of(graded, EXAMPLES / name)
    kinds = [n.kind for n in report.notes]
    missing = sorted({n.data.get("module") for n in report.notes if n.kind == "missing_module"})
    assert missing == sorted(want.get("missing_modules", [])), report.notes
    for kind in want.get("notes", []):
        assert kind in kinds, report.notes
    if "syntax_errors" in want:
        lines = [n.data.get("line") for n in report.notes if n.kind == "syntax_error"]
        assert lines == [s["line"] for s in want["syntax_errors"]], "syntax error lines are counted within their cell"
    elif report.problem is None:
        assert "syntax_error" not in kinds
    text = output_text(report)
    for snippet in want.get("output_contains", []):
        assert snippet in text
    for snippet in want.get("output_lacks", []):
        assert snippet not in text
    truncated = any(n.data.get("truncated") for n in report.notes if n.kind == "output")
    assert truncated == want.get("output_truncated", False)


# ------------------------------------------------------------------------- reference and stub


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


# ------------------------------------------------------------------------------- containment


def test_hostile_samples_do_not_affect_the_correct_ones(graded):
    """Each correct sample graded alone gets exactly the report it got inside the whole class."""
    paths = [EXAMPLES / name for name in CORRECT]
    alone = grade_class("regularization", paths, out=None, jobs=1)
    for report in alone.reports:
        in_class = report_of(graded, Path(report.submission))
        assert report == in_class, report.student


def test_no_output_leaks_between_students(graded):
    reports, _, _ = graded
    noisy = report_of(graded, EXAMPLES / "noisy_html_ansi.py")
    assert HOSTILE_TEXT in output_text(noisy)
    for path, report in reports.items():
        if report is not noisy:
            assert HOSTILE_TEXT not in output_text(report), path


def test_captured_output_is_capped(graded):
    noisy = report_of(graded, EXAMPLES / "noisy_html_ansi.py")
    limit = SUITE.limits.output_bytes
    for note in noisy.notes:
        if note.kind == "output":
            assert len(note.data["text"].encode("utf-8")) <= limit


# ------------------------------------------------------------------------------ class outputs


def test_gradebook_lists_every_student_with_their_points(graded):
    reports, _, out = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(reports)
    by_student = {r.student: r for r in reports.values()}
    assert {row["student"] for row in rows} == set(by_student)
    for row in rows:
        assert float(row["total"]) == pytest.approx(by_student[row["student"]].points)


def test_hostile_text_is_escaped_in_the_written_reports(graded):
    from graders.engine.reports.store import student_dirname

    report = report_of(graded, EXAMPLES / "noisy_html_ansi.py")
    folder = graded[2] / student_dirname(report.student)
    for name in ("report.html", "report.md", "report.txt", "results.json"):
        text = (folder / name).read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text, name  # no terminal control reaches a reader
        if name == "report.html":
            assert "<script>alert" not in text, name
        if name == "report.md":  # raw HTML is harmless only inside a fenced code block
            assert "<script" not in outside_code_fences(text), name


def outside_code_fences(markdown: str) -> str:
    """The Markdown text that is not inside a fenced code block (CommonMark backtick fences)."""
    kept, fence = [], None
    for line in markdown.splitlines():
        stripped = line.strip()
        run = len(stripped) - len(stripped.lstrip("`"))
        if fence is None and run >= 3:
            fence = run
        elif fence is not None and run >= fence and not stripped.strip("`"):
            fence = None
        elif fence is None:
            kept.append(line)
    return "\n".join(kept)
