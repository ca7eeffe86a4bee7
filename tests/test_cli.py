"""The dlgrade command line, end to end, as an instructor and a student use it."""
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "regularization"


def dlgrade(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders.cli", *map(str, args)], cwd=ROOT, text=True,
                          capture_output=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    (folder / "corrupt.ipynb").write_text("{ this is not json")
    (folder / "notes.txt").write_text("not python")
    (folder / "empty").mkdir()
    return {"corrupt": folder / "corrupt.ipynb", "text": folder / "notes.txt", "empty": folder / "empty",
            "missing": folder / "nowhere.py"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, bad_inputs):
    out = tmp_path_factory.mktemp("out")
    paths = [SAMPLES / "correct_course_style.py", SAMPLES / "l2_without_half.py", SAMPLES / "correct_notebook.ipynb",
             SAMPLES / "syntax_error.py", *bad_inputs.values()]
    result = dlgrade("grade", "regularization", *paths, "--out", out, "--jobs", "2")
    return result, out


def test_grade_writes_every_output_and_a_row_per_student(graded):
    result, out = graded
    assert result.returncode == 0, result.stderr
    assert "Isolation" in result.stderr or "WARNING" in result.stderr
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert set(rows) == {"correct_course_style", "l2_without_half", "correct_notebook", "syntax_error",
                         "corrupt", "notes.txt", "empty", "nowhere"}
    assert float(rows["correct_course_style"]["total"]) == 28
    assert float(rows["correct_notebook"]["total"]) == 28
    assert float(rows["l2_without_half"]["total"]) == 24
    assert float(rows["syntax_error"]["total"]) == 0 and rows["syntax_error"]["problem"] == "syntax_error"
    assert rows["corrupt"]["problem"] == "corrupt_notebook" and rows["notes.txt"]["problem"] == "not_python"
    assert rows["empty"]["problem"] == "empty_folder" and rows["nowhere"]["problem"] == "file_missing"
    for student in rows:
        folder = out / student
        for name in ("report.html", "report.md", "report.txt", "results.json", "report.json"):
            assert (folder / name).stat().st_size > 0, (student, name)
    results = json.loads((out / "l2_without_half" / "results.json").read_text())
    assert results["score"] == 24 and sum(t["score"] for t in results["tests"]) == 24
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}
    assert "Traceback" not in result.stderr


def test_the_html_report_is_self_contained_and_shows_the_boundary_figure(graded):
    _, out = graded
    html = (out / "correct_course_style" / "report.html").read_text()
    assert "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html


def test_a_hint_names_the_known_mistake(graded):
    _, out = graded
    text = (out / "l2_without_half" / "report.txt").read_text()
    assert "1/2" in text


def test_usage_errors_are_one_line_with_status_2():
    for args in (["grade", "nope", "x.py", "--out", "/tmp/x"], ["grade", "regularization", "x.py", "--out", "/tmp/x", "--jobs", "0"]):
        result = dlgrade(*args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_check_runs_public_checks_and_counts_the_hidden_ones():
    result = dlgrade("check", "regularization", SAMPLES / "correct_generator.py")
    assert result.returncode == 0, result.stderr
    assert "hidden" in result.stdout and "9 more checks" in result.stdout
    assert "all tests passed" not in result.stdout.lower()


def test_check_of_a_notebook_that_plots_imports_matplotlib_in_its_worker(tmp_path):
    # `check` warms only what the submission imports (matplotlib costs about 1 s in the zygote);
    # one that imports pyplot gets it warmed, and its plotting cell is still never run.
    source = (SAMPLES / "correct_course_style.py").read_text()
    plotting = tmp_path / "plots.py"
    plotting.write_text("import matplotlib.pyplot as plt\n\n" + source + "\n\ndef show():\n    plt.plot([1, 2])\n")
    result = dlgrade("check", "regularization", plotting)
    assert result.returncode == 0, result.stderr
    assert "FAIL" not in result.stdout and "matplotlib" not in result.stdout


def test_list_shows_exercises_and_points():
    result = dlgrade("list")
    assert "forward_propagation_with_dropout" in result.stdout and "28" not in result.stderr


def test_experiment_trains_with_the_students_functions(tmp_path):
    result = dlgrade("experiment", "regularization", SAMPLES / "correct_course_style.py", "--iterations", "400",
                     "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "L2 regularization" in result.stdout and "dropout" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1_boundary.png", "1_cost.png", "2_boundary.png",
                                                           "2_cost.png", "3_boundary.png", "3_cost.png"]


def test_a_killed_run_resumes_to_the_same_outputs(tmp_path):
    paths = [SAMPLES / n for n in ("correct_course_style.py", "l2_without_m.py", "mask_gaussian.py",
                                   "dropout_missing_scaling_backward.py", "l2_added_to_db.py", "correct_generator.py")]
    whole = tmp_path / "whole"
    assert dlgrade("grade", "regularization", *paths, "--out", whole, "--jobs", "1", "--no-figures").returncode == 0
    cut = tmp_path / "cut"
    process = subprocess.Popen([sys.executable, "-m", "graders.cli", "grade", "regularization", *map(str, paths),
                                "--out", str(cut), "--jobs", "1", "--no-figures"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(cut.glob("*/report.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished_before = len(list(cut.glob("*/report.json")))
    assert 1 <= finished_before < len(paths), "the run should have been cut half way"
    resumed = dlgrade("grade", "regularization", *paths, "--out", cut, "--jobs", "1", "--no-figures")
    assert resumed.returncode == 0, resumed.stderr
    assert "kept from an earlier" in resumed.stdout
    assert (cut / "grades.csv").read_text() == (whole / "grades.csv").read_text()
    for report in whole.glob("*/report.json"):
        assert (cut / report.parent.name / "report.json").read_text() == report.read_text()
    assert not list(cut.rglob("*.tmp*")), "no temporary files left behind"
