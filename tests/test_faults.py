"""Faults around a class run: a full output disk, files that change between runs, unreadable files."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.engine.grading import classrun, submission

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "regularization"


def test_a_full_output_disk_is_reported_and_the_class_still_graded(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root")
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=60k", "tmpfs", str(small)], check=True)
    try:
        paths = [SAMPLES / n for n in ("correct_course_style.py", "l2_without_m.py", "mask_gaussian.py")]
        result = subprocess.run([sys.executable, "-m", "graders.cli", "grade", "regularization", *map(str, paths),
                                 "--out", str(small / "out"), "--no-figures"], cwd=ROOT, capture_output=True, text=True,
                                timeout=300)
    finally:
        subprocess.run(["umount", str(small)], check=True)
    assert result.returncode == 1
    assert "No space left on device" in result.stdout and "run the same command again" in result.stdout
    assert "l2_without_m" in result.stdout and "28 / 28" in result.stdout, "every grade is still shown"
    assert "Traceback" not in result.stderr


def test_a_resumed_run_regrades_a_file_that_changed(tmp_path):
    student = tmp_path / "subs" / "alice.py"
    student.parent.mkdir()
    shutil.copy(SAMPLES / "l2_without_half.py", student)
    out = tmp_path / "out"
    first = classrun.grade_class("regularization", [student], out, figures=False)
    assert first.reports[0].points == 24
    shutil.copy(SAMPLES / "correct_course_style.py", student)
    second = classrun.grade_class("regularization", [student], out, figures=False)
    assert second.resumed == 0 and second.reports[0].points == 28
    third = classrun.grade_class("regularization", [student], out, figures=False)
    assert third.resumed == 1 and third.reports[0].points == 28


def test_unreadable_and_ambiguous_submissions_get_a_problem_not_a_crash(tmp_path):
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00 not utf-8")
    both = tmp_path / "both"
    both.mkdir()
    shutil.copy(SAMPLES / "l2_without_m.py", both / "one.py")
    shutil.copy(SAMPLES / "l2_without_m.py", both / "two.py")
    run = classrun.grade_class("regularization", [binary, both, SAMPLES / "correct_generator.py"], None, figures=False)
    problems = {r.student: (r.problem.kind if r.problem else None, r.points) for r in run.reports}
    assert problems == {"binary": ("unreadable", 0), "both": ("ambiguous_folder", 0), "correct_generator": (None, 28)}


def test_a_report_that_cannot_be_rendered_costs_only_that_student(tmp_path, monkeypatch):
    """A bug in rendering one student's report (any exception, not only a full disk) is reported for
    that student; the others' outputs and the gradebook are still written."""
    from graders.engine.reports import gradebook

    real = gradebook.write_student_outputs

    def fails_for_one(out, report):
        if report.student == "l2_without_m":
            raise ValueError("template bug")
        return real(out, report)

    monkeypatch.setattr(gradebook, "write_student_outputs", fails_for_one)
    paths = [SAMPLES / n for n in ("correct_course_style.py", "l2_without_m.py")]
    run = classrun.grade_class("regularization", paths, out=tmp_path / "out", figures=False)
    assert run.unwritten == (("l2_without_m", "ValueError"),)
    assert (tmp_path / "out" / "correct_course_style" / "report.json").is_file()
    assert (tmp_path / "out" / "grades.csv").is_file()


def test_the_packages_a_submission_imports_are_read_from_its_text_even_when_it_does_not_parse():
    cells = (("cell 1", "import numpy as np, matplotlib.pyplot as plt\nfrom . import local\n"),
             ("cell 2", "def f():\n    from scipy import special\n    return special\n"),
             ("cell 3", "import sklearn.datasets\ndef broken(:\n"),
             ("cell 4", "x = 'import os'\n"))
    sub = submission.Submission("alice", "alice.ipynb", cells, keep_all=False)
    assert sub.imported_packages == {"numpy", "matplotlib", "scipy", "sklearn"}
