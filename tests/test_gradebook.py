"""Gradebook exports: Gradescope results.json, grades.csv, atomic writes, per-student output folders."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from graders.engine import files
from graders.engine.files import write_atomic
from graders.engine.reports import gradebook
from graders.engine.reports.gradebook import (
    results_json,
    write_class_outputs,
    write_grades_csv,
    write_student_outputs,
)
from graders.engine.reports.records import (
    CheckResult,
    Evidence,
    ExerciseResult,
    Hint,
    Report,
)
from graders.engine.reports.store import student_dirname

EX1 = "compute_cost_with_regularization"
EX2 = "backward_propagation_with_regularization"
SECRET_WANT = 24680.1357


def make_report(student: str = "alice", *, problem: Evidence | None = None, points=(2.5, 0.1, 0.2),
                mode: str = "grade") -> Report:
    if problem is not None:
        return Report("regularization", student, f"subs/{student}.ipynb", mode, (), problem=problem)
    p1, p2, p3 = points
    ex1 = ExerciseResult(EX1, (
        CheckResult(EX1, "course", "Cost on the course example", "value", True, p1, "passed"),
        CheckResult(EX1, "random", "Cost on random inputs", "value", True, 3, "failed", (
            Evidence("values_differ", {"name": "cost", "n_differ": 1, "n_total": 1, "max_err": 0.05,
                                       "where": None, "got": 1.83, "want": 1.78, "rtol": 1e-05,
                                       "atol": 1e-08}),), Hint("l2_without_half")),
    ))
    ex2 = ExerciseResult(EX2, (
        CheckResult(EX2, "a", "Gradients on random inputs", "value", False, p2, "passed"),
        CheckResult(EX2, "b", "Gradients on more random inputs", "value", False, p3, "passed"),
        CheckResult(EX2, "c", "Gradients on a deeper network", "value", False, 2, "failed", (
            Evidence("values_differ", {"name": "dW1", "n_differ": 3, "n_total": 6, "max_err": 0.35,
                                       "where": [1, 2], "got": 0.12, "want": SECRET_WANT, "rtol": 1e-05,
                                       "atol": 1e-08}),), Hint("l2_missing_from_dW", {"layer": 1})),
        CheckResult(EX2, "d", "Runs on a big batch", "value", False, 1, "timeout",
                    (Evidence("timeout", {"function": EX2, "seconds": 10}),)),
    ))
    return Report("regularization", student, f"subs/{student}.py", mode, (ex1, ex2), isolation="test")


# ---------------------------------------------------------------------------------------------
# results.json


def test_results_json_follows_the_gradescope_schema():
    rep = make_report()
    res = results_json(rep)
    assert set(res) >= {"score", "max_score", "output", "visibility", "stdout_visibility", "tests"}
    assert res["visibility"] == "visible" and res["stdout_visibility"] == "hidden"
    assert isinstance(res["score"], float) and isinstance(res["max_score"], float)
    assert res["score"] == pytest.approx(rep.points) and res["max_score"] == pytest.approx(rep.max_points)
    assert res["score"] == 2.8  # 2.5 + 0.1 + 0.2 without float noise
    assert len(res["tests"]) == 6
    for test in res["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["score"], float) and isinstance(test["output"], str)
        assert 0 <= test["score"] <= test["max_score"]
    assert sum(t["score"] for t in res["tests"]) == pytest.approx(res["score"])
    assert sum(t["max_score"] for t in res["tests"]) == pytest.approx(res["max_score"])
    first, second = res["tests"][:2]
    assert first["name"] == f"{EX1}: Cost on the course example"
    assert first["status"] == "passed" and first["visibility"] == "visible"
    assert second["status"] == "failed" and second["score"] == 0.0
    assert "1 of 1 value differs" in second["output"] and "1.78" in second["output"]
    assert "factor 1/2" in second["output"]  # the hint
    assert [t["visibility"] for t in res["tests"][2:]] == ["after_published"] * 4
    json.loads(json.dumps(res))  # plain JSON


def test_results_json_hidden_tests_say_what_failed_but_not_the_expected_values():
    res = results_json(make_report())
    hidden = res["tests"][4]
    assert hidden["name"] == f"{EX2}: Gradients on a deeper network"
    assert "Values differ in dW1" in hidden["output"] and "3 of 6" in hidden["output"]
    assert "24680" not in json.dumps(res) and "0.12" not in hidden["output"]
    assert "dW1" in hidden["output"] and "(lambd / m) * W1" in hidden["output"]
    timed_out = res["tests"][5]
    assert "did not finish within 10 s" in timed_out["output"]


def test_results_json_for_a_submission_that_could_not_be_graded():
    res = results_json(make_report("bob", problem=Evidence("import_timeout", {"seconds": 30})))
    assert res["score"] == 0.0 and res["tests"] == []
    assert "30 s" in res["output"] and "could not be graded" in res["output"]
    assert "Next step" in res["output"]


def test_results_json_in_check_mode_mentions_hidden_checks():
    rep = make_report(mode="check")
    rep = Report(rep.assignment, rep.student, rep.submission, "check", rep.exercises[:1], hidden_count=4)
    out = results_json(rep)["output"]
    assert "4 more checks are hidden" in out and "passed" in out
    assert "all" not in out.lower().split()


# ---------------------------------------------------------------------------------------------
# grades.csv


def test_grades_csv_round_trips_through_dictreader(tmp_path):
    reports = [
        make_report("carol", points=(2, 0.5, 1)),
        make_report("alice"),
        make_report("bob", problem=Evidence("corrupt_notebook", {"path": "b.ipynb", "reason": "bad"})),
    ]
    path = write_grades_csv(tmp_path / "grades.csv", reports, [EX1, EX2])
    assert path == tmp_path / "grades.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        assert reader.fieldnames == ["student", "submission", EX1, EX2, "total", "max_total", "problem"]
    assert [r["student"] for r in rows] == ["alice", "bob", "carol"]
    alice, bob, carol = rows
    assert alice == {"student": "alice", "submission": "subs/alice.py", EX1: "2.5", EX2: "0.3",
                     "total": "2.8", "max_total": "8.8", "problem": ""}
    assert carol[EX1] == "2" and carol[EX2] == "1.5" and carol["total"] == "3.5" and carol["max_total"] == "9.5"
    assert bob["problem"] == "corrupt_notebook" and bob["total"] == "0" and bob[EX1] == "0"
    assert bob["max_total"] == "10"  # per exercise the class maximum (5.5 + 4.5): its own are unknown
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_grades_csv_defuses_spreadsheet_formulas(tmp_path):
    path = write_grades_csv(tmp_path / "g.csv", [make_report('=HYPERLINK("http://x")')], [EX1, EX2])
    with open(path, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["student"] == "'=HYPERLINK(\"http://x\")"


# ---------------------------------------------------------------------------------------------
# Atomic writes and output folders


def test_write_atomic_writes_text_and_bytes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    write_atomic(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()
    write_atomic(target, b"\x00\x01", durable=True)
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.txt"]
    assert (target.stat().st_mode & 0o777) == 0o644


def test_write_atomic_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_text("old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]


def test_write_student_outputs_writes_every_student_file(tmp_path):
    rep = make_report()
    folder = write_student_outputs(tmp_path, rep)
    assert folder == tmp_path / "alice"
    assert sorted(p.name for p in folder.iterdir()) == sorted(gradebook.STUDENT_FILES)
    assert (folder / "report.html").read_text().lstrip().startswith("<!DOCTYPE html>")
    assert "Cost on the course example" in (folder / "report.md").read_text()
    assert "PASS" in (folder / "report.txt").read_text()
    assert json.loads((folder / "results.json").read_text()) == results_json(rep)


@pytest.mark.parametrize("student, expected", [
    ("alice", "alice"), ("../../etc", "_.._etc"), ("..", "_"), (".hidden", "hidden"), ("a/b\\c", "a_b_c"),
    ("josé.m@uni", "josé.m@uni"), ("x\x1b[2J", "x__2J"), ("", "_"),
])
def test_student_folder_names_stay_inside_the_output_folder(student, expected):
    assert student_dirname(student) == expected


def test_hostile_student_name_cannot_escape_out_dir(tmp_path):
    out = tmp_path / "out"
    folder = write_student_outputs(out, make_report("../../escape"))
    assert folder.resolve().parent == out.resolve()
    assert not (tmp_path / "escape").exists()


def test_write_class_outputs(tmp_path):
    reports = [make_report("bob"), make_report("alice")]
    paths = write_class_outputs(tmp_path, reports)
    assert [p.name for p in paths] == ["grades.csv", "summary.md", "summary.html"]
    assert "| alice |" in (tmp_path / "summary.md").read_text()
    assert (tmp_path / "summary.html").read_text().lstrip().startswith("<!DOCTYPE html>")
    with open(tmp_path / "grades.csv", newline="") as fh:
        assert [r["student"] for r in csv.DictReader(fh)] == ["alice", "bob"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert Path(paths[0]).stat().st_size > 0


def test_slim_reports_share_equal_exercises_and_write_the_same_class_files(tmp_path):
    reports = [make_report(name) for name in ("ann", "bob", "cy")] + [make_report("dee", points=(2.5, 0.1, 0.3))]
    shared: dict = {}
    slim = [gradebook.slim(r, shared) for r in reports]
    assert slim[0].exercises[0] is slim[1].exercises[0] is slim[3].exercises[0]  # equal: one object
    assert slim[0].exercises[1] is slim[2].exercises[1] and slim[0].exercises[1] is not slim[3].exercises[1]
    assert all(c.evidence == () for r in slim for ex in r.exercises for c in ex.checks)
    assert [r.points for r in slim] == [r.points for r in reports]
    write_class_outputs(tmp_path / "full", reports, [EX1, EX2])
    write_class_outputs(tmp_path / "slim", slim, [EX1, EX2])
    for name in ("grades.csv", "summary.md", "summary.html"):
        assert (tmp_path / "full" / name).read_bytes() == (tmp_path / "slim" / name).read_bytes(), name
