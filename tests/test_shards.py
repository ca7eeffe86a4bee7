"""Classes at scale, end to end through the CLI on real submissions: students named from their paths
(nbgrader's layout, LMS downloads, a students CSV), ``--shard K/N`` and ``dlgrade merge``."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.engine.grading.naming import name_students
from graders.engine.grading.shards import shard_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "regularization"
#: nbgrader's submitted/<student>/regularization/regularization.py, one sample each
CLASS = {"ana": "correct_course_style.py", "ben": "l2_without_half.py", "chloe": "correct_generator.py",
         "dev": "mask_keeps_complement.py", "eli": "syntax_error.py", "fay": "dropout_missing_scaling_forward.py",
         "gus": "untouched_stub.py"}


def dlgrade(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders.cli", *map(str, args)], cwd=ROOT, text=True,
                          capture_output=True, timeout=600)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    for student, sample in CLASS.items():
        folder = root / "submitted" / student / "regularization"
        folder.mkdir(parents=True)
        shutil.copy(SAMPLES / sample, folder / "regularization.py")
    return root


def paths_of(course: Path) -> list[Path]:
    return sorted(course.glob("submitted/*/regularization/regularization.py"))


@pytest.fixture(scope="module")
def whole(course) -> tuple[subprocess.CompletedProcess, Path]:
    out = course / "whole"
    return dlgrade("grade", "regularization", *paths_of(course), "--out", out, "--no-figures"), out


@pytest.fixture(scope="module")
def sharded(course) -> list[tuple[subprocess.CompletedProcess, Path]]:
    """Three shards, each given the paths in another order."""
    paths = paths_of(course)
    orders = [paths, paths[::-1], paths[3:] + paths[:3]]
    runs = []
    for k, order in enumerate(orders, start=1):
        out = course / f"shard{k}"
        runs.append((dlgrade("grade", "regularization", *order, "--out", out, "--no-figures", "--shard", f"{k}/3"), out))
    return runs


def rows(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv", newline="") as handle:
        return {r["student"]: r for r in csv.DictReader(handle)}


def test_nbgrader_layout_names_students_after_their_folder(whole):
    result, out = whole
    assert result.returncode == 0, result.stderr
    graded = rows(out)
    assert set(graded) == set(CLASS)
    assert graded["ana"]["total"] == "28" and graded["ben"]["total"] == "24"
    assert graded["eli"]["problem"] == "syntax_error"
    assert "Students named: 7 from the folder in submitted/<student>/regularization/regularization." in result.stdout
    assert "submitted/&lt;student&gt;/regularization" in (out / "summary.md").read_text()
    assert {p.name for p in out.iterdir() if p.is_dir()} == set(CLASS)


def test_every_student_is_in_exactly_one_shard_whatever_the_order(sharded):
    for result, _ in sharded:
        assert result.returncode == 0, result.stderr
    found = [set(rows(out)) for _, out in sharded]
    assert set().union(*found) == set(CLASS)
    assert sum(len(f) for f in found) == len(CLASS)
    for k, students in enumerate(found, start=1):
        assert students == {s for s in CLASS if shard_of(s, 3) == k}
        assert students, "each shard of this class holds someone"
    assert f"Shard 1/3: {len(found[0])} of the class's 7 submissions" in sharded[0][0].stdout


def test_three_shards_merged_equal_one_run(whole, sharded, tmp_path):
    _, single = whole
    merged = tmp_path / "merged"
    result = dlgrade("merge", *[out for _, out in sharded], "--out", merged)
    assert result.returncode == 0, result.stderr
    assert "Merged 3 outputs (7 students)" in result.stdout
    assert (merged / "grades.csv").read_bytes() == (single / "grades.csv").read_bytes()
    assert (merged / "summary.md").read_bytes() == (single / "summary.md").read_bytes()
    for student in CLASS:
        for name in ("report.json", "results.json", "report.txt"):
            assert (merged / student / name).read_bytes() == (single / student / name).read_bytes(), (student, name)
    html = (merged / "summary.html").read_text()
    assert html.count("data:image/png;base64,") >= 3 and "ben" in html
    run = json.loads((merged / "run.json").read_text())
    assert run["shard"] is None and [s["student"] for s in run["students"]] == sorted(CLASS)
    assert all(s["seconds"] > 0 for s in run["students"])


def test_merge_refuses_another_seed(course, sharded, tmp_path):
    other = tmp_path / "seed1"
    assert dlgrade("grade", "regularization", *paths_of(course), "--out", other, "--no-figures", "--shard", "2/3",
                   "--seed", "1").returncode == 0
    line = one_line_error(dlgrade("merge", sharded[0][1], other, sharded[2][1], "--out", tmp_path / "m"))
    assert "seed: 0 vs 1" in line and "same command" in line


@pytest.mark.parametrize("field, value, words", [
    ("fingerprint", "0000000000000000", "version of the references"),
    ("assignment", "optimization", "assignment: regularization vs optimization"),
    ("class_digest", "ffffffffffffffff", "list of submissions"),
])
def test_merge_refuses_outputs_graded_differently(sharded, tmp_path, field, value, words):
    """A shard graded with other references (or of another assignment, or of another list of paths)
    is simulated by its run.json saying so: the repository's references cannot change under a test."""
    copy = tmp_path / "shard3"
    shutil.copytree(sharded[2][1], copy)
    run = json.loads((copy / "run.json").read_text())
    run[field] = value
    (copy / "run.json").write_text(json.dumps(run))
    line = one_line_error(dlgrade("merge", sharded[0][1], sharded[1][1], copy, "--out", tmp_path / "m"))
    assert words in line


def test_merge_refuses_incomplete_shards_and_missing_folders(sharded, tmp_path):
    line = one_line_error(dlgrade("merge", sharded[0][1], sharded[2][1], "--out", tmp_path / "m"))
    assert "missing 2" in line
    line = one_line_error(dlgrade("merge", sharded[0][1], sharded[0][1], sharded[2][1], "--out", tmp_path / "m"))
    assert "given twice: 1" in line
    line = one_line_error(dlgrade("merge", tmp_path / "nowhere", "--out", tmp_path / "m"))
    assert "not a folder" in line
    (tmp_path / "empty").mkdir()
    line = one_line_error(dlgrade("merge", tmp_path / "empty", "--out", tmp_path / "m"))
    assert "no run.json" in line and "dlgrade grade --out" in line
    line = one_line_error(dlgrade("merge", sharded[0][1], "--out", sharded[0][1]))
    assert "choose a new folder" in line


@pytest.mark.parametrize("spec", ["0/3", "4/3", "2", "a/b", "1/0", "-1/2"])
def test_a_wrong_shard_spec_is_one_line(spec, tmp_path):
    line = one_line_error(dlgrade("grade", "regularization", SAMPLES / "correct_generator.py", "--out", tmp_path,
                                  f"--shard={spec}"))
    assert "--shard must be K/N" in line


def test_students_csv_maps_paths_to_ids(course, tmp_path):
    table = course / "students.csv"
    table.write_text("path,student\nsubmitted/ana,s1001\nsubmitted/ben/regularization/regularization.py,s1002\n")
    paths = paths_of(course)[:3]  # ana, ben, chloe
    out = tmp_path / "out"
    result = dlgrade("grade", "regularization", *paths, "--out", out, "--no-figures", "--students", table)
    assert result.returncode == 0, result.stderr
    assert set(rows(out)) == {"s1001", "s1002", "chloe"}
    assert "2 from students.csv" in result.stdout and "1 from the folder in" in result.stdout
    line = one_line_error(dlgrade("grade", "regularization", *paths, "--out", out, "--students", course / "no.csv"))
    assert "no students CSV" in line
    (course / "bad.csv").write_text("file,id\nx,y\n")
    line = one_line_error(dlgrade("grade", "regularization", *paths, "--out", out, "--students", course / "bad.csv"))
    assert "path and student" in line


def test_names_from_paths():
    """The naming rules on paths alone (no grading): flat folders keep their file names, nbgrader and
    LMS layouts name the student, and the order of the paths changes nothing."""
    flat = [Path("subs/alice.py"), Path("subs/bob.ipynb"), Path("subs/carol"), Path("subs/notes.txt")]
    assert name_students(flat).names == ("alice", "bob", "carol", "notes.txt")
    lms = [Path("dl/smithjane_12345_67890_regularization.py"), Path("dl/doejohn_LATE_23456_78901_regularization.ipynb"),
           Path("dl/smithjane_34567_89012_regularization.py")]
    assert name_students(lms).names == ("smithjane_12345", "doejohn", "smithjane_34567")
    moodle = [Path("dl/Jane Smith_12345_assignsubmission_file_/regularization.ipynb"),
              Path("dl/Li Wei_23456_assignsubmission_file_/regularization.ipynb")]
    assert name_students(moodle).names == ("Jane Smith", "Li Wei")
    nested = [Path(f"submitted/{s}/regularization/regularization.ipynb") for s in ("x", "y", "z")]
    assert name_students(nested).names == ("x", "y", "z")
    twice = [Path("a/one.py"), Path("a/one.py"), Path("b/two.py")]
    assert name_students(twice).names == ("one", "one-2", "two")
    assert name_students(nested[::-1]).names == ("z", "y", "x")
