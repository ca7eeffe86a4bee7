"""nbgrader for real: `dlgrade nbgrader init`, then nbgrader 0.9's own commands (generate_assignment,
validate, autograde, generate_feedback, export) on a small class, graded inside by dlgrade's sandbox;
the same class autograded again at an isolation level without namespaces, and shown by formgrader in a
running Jupyter server."""
from __future__ import annotations

import ast
import csv
import html
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from graders.engine.grading import classrun
from graders.engine.grading.nbgrader_autograde import Finding, SourceCell, inspect_cells
from graders.engine.reports import render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "regularization"
BIN = Path(sys.executable).parent
ASSIGNMENT = "regularization"

#: student -> the .py sample whose functions fill the released notebook (None: the release as is)
FILLED = {
    "alice": "correct_course_style.py",
    "bob": "l2_without_half.py",
    "carol": "dropout_missing_scaling_forward.py",
    "dave": None,
    "erin": "noisy_html_ansi.py",
    "rita": "rigged_equality.py",
}


#: students whose folder lacks regularization.ipynb -> {file: whose notebook it is (None: a blank notebook)}
RENAMED = {
    "rene": {"my_regularization.ipynb": "alice"},  # the only notebook: graded as the assignment's
    "mia": {"regularization_final.ipynb": "alice", "scratch.ipynb": None},  # the only one of this assignment
    "nina": {"notes.ipynb": None, "draft.ipynb": None},  # none is clearly the assignment's: refused
}


def tool(name: str) -> str:
    path = BIN / name
    if not path.is_file():
        pytest.skip(f"{name} is not installed in this environment")
    return str(path)


def run(args: list[str], cwd: Path, home: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command as an instructor would, with a private Jupyter home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "jc"), JUPYTER_DATA_DIR=str(home / "jd"),
               PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]))
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def fill(release: nbformat.NotebookNode, sample: str | Path) -> nbformat.NotebookNode:
    """The released notebook with its solution cells holding the sample's functions (the sample's
    other top-level code goes into the first solution cell); ``sample`` is a file name of this
    assignment's sample class, or a path (another assignment's sample)."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    text = (EXAMPLES / sample).read_text()
    tree = ast.parse(text)
    solution = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    by_id = {c.metadata.nbgrader["grade_id"]: c for c in solution}
    preamble, bodies = [], {}
    for node in tree.body:
        segment = ast.get_source_segment(text, node, padded=True)
        if isinstance(node, ast.FunctionDef) and node.name in by_id:
            start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            bodies[node.name] = "\n".join(text.splitlines()[start - 1:node.end_lineno])
        else:
            preamble.append(segment)
    for name, cell in by_id.items():
        cell.source = bodies.get(name, cell.source)
    solution[0].source = "\n".join(preamble) + "\n\n" + solution[0].source
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course graded end to end; returns (course folder, submitted paths by student, logs)."""
    tmp = tmp_path_factory.mktemp("nbgrader")
    home, course = tmp / "home", tmp / "course"
    home.mkdir()
    init = run([tool("dlgrade"), "nbgrader", "init", str(course), ASSIGNMENT], tmp, home)
    nbgrader = tool("nbgrader")
    run([nbgrader, "generate_assignment", ASSIGNMENT], course, home)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)

    notebooks = {student: (fill(release, sample) if sample else release) for student, sample in FILLED.items()}
    # tampered: the stub, its test cells rewritten to claim full marks, one deleted, one moved,
    # its points and grade flag changed, a fake score as output
    tampered = nbformat.from_dict(json.loads(json.dumps(release)))
    tests = [c for c in tampered.cells if c.metadata.nbgrader["grade_id"].startswith("check_")]
    tests[0].source = "print('all tests passed')\n28"
    tests[0].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "6"}, execution_count=1)]
    tests[1].metadata.nbgrader.update(points=100, grade=False)
    tampered.cells.remove(tests[2])
    tampered.cells.remove(tests[3])
    tampered.cells.insert(0, tests[3])
    notebooks["trent"] = tampered
    # a correct notebook of another assignment
    other = fill(release, "correct_course_style.py")
    other.metadata["dlgrade"]["assignment"] = "optimization"
    notebooks["olga"] = other

    submitted = {}
    for student, nb in notebooks.items():
        path = course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
        submitted[student] = path
    corrupt = course / "submitted" / "cora" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_text('{"cells": [{"cell_type": "code", "source": "def compute_cost')  # truncated
    for student, files in RENAMED.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, whose in files.items():
            nbformat.write(notebooks[whose] if whose else nbformat.v4.new_notebook(), folder / name)

    validate = {student: run([nbgrader, "validate", str(submitted[student])], course, home, check=False)
                for student in ("alice", "dave")}
    autograde = run([nbgrader, "autograde", ASSIGNMENT], course, home, check=False)
    feedback = run([nbgrader, "generate_feedback", ASSIGNMENT], course, home, check=False)
    run([nbgrader, "export"], course, home)
    return course, submitted, {"init": init.stdout, "autograde": autograde.stdout + autograde.stderr,
                               "feedback": feedback.stdout + feedback.stderr,
                               **{f"validate_{s}": v.stdout + v.stderr for s, v in validate.items()}}


@pytest.fixture(scope="module")
def dlgrade_reports(course):
    """`dlgrade grade`'s reports on the same notebooks, by student."""
    _, submitted, _ = course
    students = sorted(submitted)
    run_ = classrun.grade_class(ASSIGNMENT, [submitted[s] for s in students], figures=False)
    by_path = {r.submission: r for r in run_.reports}
    return {s: by_path[str(submitted[s])] for s in students}


def exported(course_dir: Path) -> dict[str, float]:
    with open(course_dir / "grades.csv", newline="") as handle:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}


def feedback_html(course_dir: Path, student: str) -> str:
    return (course_dir / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()


def test_init_writes_the_course_and_says_so(course):
    course_dir, _, logs = course
    assert (course_dir / "nbgrader_config.py").is_file()
    assert "DlgradeGrade" in (course_dir / "nbgrader_config.py").read_text()
    assert "wrote" in logs["init"] and "regularization.ipynb" in logs["init"]
    source = nbformat.read(course_dir / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    tests = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader["points"]
             for c in source.cells if c.metadata.nbgrader.get("grade")}
    suite = classrun.load_suite(ASSIGNMENT)
    assert tests == {f"check_{e.function}": e.max_points for e in suite.exercises}


def test_exported_scores_equal_dlgrade_grade(course, dlgrade_reports):
    course_dir, _, _ = course
    scores = exported(course_dir)
    for student in FILLED:
        assert scores[student] == pytest.approx(dlgrade_reports[student].points), student
    assert scores["alice"] == 28 and scores["dave"] == 0
    assert 0 < scores["bob"] < 28 and 0 < scores["carol"] < 28  # partial credit per check


def test_gradebook_holds_one_submission_per_student(course):
    from nbgrader.api import Gradebook

    course_dir, submitted, _ = course
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        names = sorted(s.student.id for s in gb.find_assignment(ASSIGNMENT).submissions)
        renamed = {s: gb.find_submission(ASSIGNMENT, s).score for s in RENAMED}
        per_cell = {g.name: g.auto_score for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "bob").grades}
    assert names == sorted([*submitted, "cora", *RENAMED])
    assert renamed == {"rene": 28, "mia": 28, "nina": 0}
    assert per_cell["check_compute_cost_with_regularization"] == 2  # 4 of 6 points lost to the missing 1/2
    maximum = {e.function: e.max_points for e in classrun.load_suite(ASSIGNMENT).exercises}
    assert per_cell["check_backward_propagation_with_regularization"] == maximum["backward_propagation_with_regularization"]


def test_feedback_carries_dlgrade_text_and_hints(course, dlgrade_reports):
    course_dir, _, _ = course
    for student in ("bob", "carol"):
        page = html.unescape(feedback_html(course_dir, student))
        report = dlgrade_reports[student]
        hinted = [c for e in report.exercises for c in e.checks if c.hint is not None and c.outcome != "passed"]
        assert hinted, student
        for check in hinted:
            hint = render.render_check_text(report, check).split("Hint: ", 1)[1].split()
            assert " ".join(hint[:8]) in " ".join(page.split()), (student, check.name)
        assert f"Graded by dlgrade in its sandbox (isolation: {report.isolation})" in " ".join(page.split())


def test_hostile_samples_are_contained(course, dlgrade_reports):
    course_dir, _, _ = course
    page = feedback_html(course_dir, "erin")
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
    assert "\x1b[" not in page
    expected = json.loads((EXAMPLES / "expected.json").read_text())["submissions"]
    assert exported(course_dir)["rita"] == expected["rigged_equality.py"]["points"] < 28  # forged equality earns nothing


def test_tampered_test_cells_earn_nothing_and_are_named(course):
    course_dir, _, _ = course
    assert exported(course_dir)["trent"] == 0
    page = " ".join(html.unescape(feedback_html(course_dir, "trent")).split())
    assert "was edited" in page and "was deleted" in page and "was moved" in page
    assert "metadata of the test cell" in page


def test_notebook_of_another_assignment_is_refused_with_a_reason(course):
    course_dir, _, _ = course
    assert exported(course_dir)["olga"] == 0
    page = " ".join(html.unescape(feedback_html(course_dir, "olga")).split())
    assert "belongs to the assignment 'optimization'" in page


def test_a_corrupt_notebook_scores_zero_with_a_reason_and_the_class_is_graded(course):
    course_dir, _, _ = course
    assert exported(course_dir)["cora"] == 0
    page = " ".join(html.unescape(feedback_html(course_dir, "cora")).split())
    assert "is not a readable Jupyter notebook" in page and "JSON" in page
    assert all((course_dir / "feedback" / s).is_dir() for s in FILLED)


def test_a_renamed_notebook_is_graded_as_the_assignment_and_says_so(course, dlgrade_reports):
    course_dir, _, logs = course
    scores = exported(course_dir)
    for student, files in RENAMED.items():
        graded = [name for name, whose in files.items() if whose]
        if not graded:
            continue
        assert scores[student] == dlgrade_reports["alice"].points == 28, student
        page = " ".join(html.unescape(feedback_html(course_dir, student)).split())
        assert f"dlgrade graded {graded[0]} as regularization.ipynb" in page, student
        assert f"{student}: This notebook was submitted as {graded[0]}" in logs["autograde"]


def test_without_a_notebook_of_the_assignment_the_feedback_says_what_was_expected_and_found(course):
    course_dir, _, logs = course
    assert exported(course_dir)["nina"] == 0
    page = " ".join(html.unescape(feedback_html(course_dir, "nina")).split())
    assert "No notebook named regularization.ipynb was submitted" in page
    assert "Found: draft.ipynb, notes.ipynb" in page and "scores 0 points" in page
    assert "There was an error processing" not in logs["autograde"]


def test_no_cell_ran_in_a_kernel(course):
    course_dir, _, _ = course
    nb = nbformat.read(course_dir / "autograded" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    outputs = {c.metadata.get("nbgrader", {}).get("grade_id"): c.outputs for c in nb.cells if c.cell_type == "code"}
    assert all(not out for grade_id, out in outputs.items() if not str(grade_id).startswith("check_"))
    assert outputs["experiment"] == []


def test_validate_runs_the_public_checks_only_and_says_so(course):
    _, _, logs = course
    hidden = sum(not spec.public for spec in classrun.load_suite(ASSIGNMENT).checks())
    note = f"nbgrader validate runs the public checks only. {hidden} hidden checks run only when your notebook is graded"
    correct = logs["validate_alice"]
    assert note in correct and "Success" in correct, correct
    assert correct.index(note) < correct.index("Success")  # nbgrader's fixed line follows the note
    stub = logs["validate_dave"]
    assert note in stub and "PublicChecksFailed" in stub and "not implemented" in stub
    assert "(hidden)" not in stub and "checks are hidden and run only when your work is graded" in stub


def test_autograde_at_a_level_without_namespaces_gives_the_same_scores_and_names_the_level(course, tmp_path):
    """A copy of the course (a few students) autograded with the sandbox capped at "user" (no
    namespaces; as root the workers still drop to nobody, otherwise "none" is what remains)."""
    course_dir, _, _ = course
    level = "user" if os.geteuid() == 0 else "none"
    strong_level = re.search(r"\(isolation: ([\w+]+)\)", html.unescape(feedback_html(course_dir, "bob"))).group(1)
    if strong_level == level:
        pytest.skip(f"the class was graded at {level!r} already: no stronger level here to compare with")
    home, copy = tmp_path / "home", tmp_path / "course"
    home.mkdir()
    copy.mkdir()
    shutil.copy(course_dir / "nbgrader_config.py", copy)
    shutil.copytree(course_dir / "source", copy / "source")
    students = ("alice", "bob", "carol", "dave", "rene")
    for student in students:
        shutil.copytree(course_dir / "submitted" / student, copy / "submitted" / student)
    nbgrader = tool("nbgrader")
    run([nbgrader, "generate_assignment", ASSIGNMENT], copy, home)
    done = run([nbgrader, "autograde", ASSIGNMENT, "--DlgradeGrade.isolation=user"], copy, home)
    run([nbgrader, "export"], copy, home)
    strong = exported(course_dir)
    assert exported(copy) == {s: strong[s] for s in students}
    log = done.stdout + done.stderr
    for student in students:
        graded = re.search(rf"{student}: [\d.]+ of [\d.]+ points \(dlgrade, isolation ([\w+]+),", log)
        assert graded is not None and graded.group(1) == level, student
        nb = nbformat.read(copy / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("check_"))
        assert f"Graded by dlgrade in its sandbox (isolation: {level})" in " ".join(first.outputs[0].text.split())


# ------------------------------------------------------------------------------------ init, in-process


def test_init_again_keeps_edits_and_force_replaces_them(tmp_path):
    from graders.engine.authoring import nbgrader as course_init

    first = course_init.init_course(ROOT, tmp_path, [ASSIGNMENT])
    assert {w.action for w in first} == {"wrote"}
    config = tmp_path / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Execute.timeout = 5\n")
    (tmp_path / "source" / ASSIGNMENT / "assignments" / "plots.py").unlink()
    again = {w.path.name: w.action for w in course_init.init_course(ROOT, tmp_path, [ASSIGNMENT])}
    assert again["nbgrader_config.py"] == "kept" and again["plots.py"] == "wrote"
    assert again[f"{ASSIGNMENT}.ipynb"] == "same"
    assert "timeout = 5" in config.read_text()
    forced = {w.path.name: w.action for w in course_init.init_course(ROOT, tmp_path, [ASSIGNMENT], force=True)}
    assert forced["nbgrader_config.py"] == "replaced" and "timeout = 5" not in config.read_text()


def test_inspect_names_each_change():
    source = [SourceCell("f", "a", False, None), SourceCell("check_f", "b", True, 2.0),
              SourceCell("g", "c", False, None), SourceCell("check_g", "d", True, 3.0)]

    def cell(grade_id, **meta):
        return nbformat.v4.new_code_cell("x", metadata={"nbgrader": {"grade_id": grade_id, **meta}})

    found = inspect_cells([cell("f"), cell("g"), cell("check_g", grade=True, points=1.0)], source,
                          ASSIGNMENT, "initialization")
    kinds = {f.kind for f in found}
    assert {"other_assignment", "deleted_test_cell", "changed_metadata", "edited_test_cell"} <= kinds
    assert Finding("other_assignment", {"found": "initialization", "expected": ASSIGNMENT}).fatal
    assert inspect_cells([nbformat.v4.new_code_cell("x")], source, ASSIGNMENT, None) == (
        Finding("not_from_release", {}),)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install -y chromium)")
def test_a_feedback_page_in_a_real_browser(course, tmp_path):
    """bob's nbgrader feedback page, drawn by headless Chromium: not blank, and as tall as its text."""
    from matplotlib import image

    course_dir, _, _ = course
    page = course_dir / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    png = tmp_path / "feedback.png"
    done = screenshot(page.as_uri(), png, tmp_path / "profile", size="1100,2400")
    assert png.is_file(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"
    pixels = image.imread(str(png))[..., :3]
    assert pixels.shape[0] >= 2000 and pixels.std() > 0.05
    shot = os.environ.get("DLGRADE_SCREENSHOT")  # where to keep it for a person to look at
    if shot:
        shutil.copy(png, shot)


def free_port() -> int:
    """A TCP port free on the loopback interface (the kernel's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch_json(url: str, token: str) -> object:
    """GET ``url`` from the test's Jupyter server with its token; the decoded JSON."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def wait_for_server(server: subprocess.Popen, base: str, token: str, log: Path, seconds: float = 90) -> None:
    """Wait (at most ``seconds``) until the Jupyter server answers; fail with its log if it exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"jupyter server exited {server.returncode}: {log.read_text()[-3000:]}"
        try:
            fetch_json(f"{base}/api/status", token)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    pytest.fail(f"jupyter server did not answer within {seconds} s: {log.read_text()[-3000:]}")


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium with its own profile (cookies kept between calls); a page's scripts get
    15 s of virtual time."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
           "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
           "--virtual-time-budget=15000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def screenshot(url: str, png: Path, profile: Path, size: str = "1200,900") -> subprocess.CompletedProcess:
    """Headless Chromium draws ``url`` into ``png``."""
    return chromium([f"--screenshot={png}", f"--window-size={size}", url], profile)


#: A student's row of formgrader's "Manage Submissions" table, once its scripts have filled it.
SUBMISSION_ROW = re.compile(r'student-id" data-order="([^"]+)">.*?class="text-center score"[^>]*>([\d.]+) / [\d.]+<')


def test_formgrader_in_a_running_server_shows_dlgrade_totals(course, dlgrade_reports, tmp_path):
    """A real Jupyter server with nbgrader's formgrader on the autograded course (loopback, a free
    port, a token): its submissions API gives each student dlgrade's total; its page is drawn."""
    course_dir, _, _ = course
    port, token = free_port(), secrets.token_hex(16)
    base, home, log = f"http://127.0.0.1:{port}", tmp_path / "home", tmp_path / "server.log"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "jc"), JUPYTER_DATA_DIR=str(home / "jd"),
               JUPYTER_RUNTIME_DIR=str(home / "jr"), PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]))
    cmd = [tool("jupyter-server"), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course_dir}",
           "--ServerApp.allow_root=True"]
    with open(log, "w") as output:
        server = subprocess.Popen(cmd, cwd=course_dir, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    try:
        wait_for_server(server, base, token, log)
        shown = {s["student"]: s["score"] for s in fetch_json(f"{base}/formgrader/api/submissions/{ASSIGNMENT}", token)}
        expected = {s: dlgrade_reports[s].points for s in FILLED}
        expected.update(rene=dlgrade_reports["alice"].points, mia=dlgrade_reports["alice"].points,
                        nina=0, cora=0, trent=0, olga=0)
        assert shown == pytest.approx(expected)
        if CHROMIUM is None:
            pytest.skip("chromium is not installed: formgrader's API checked, its page not drawn")
        png, profile, page = tmp_path / "formgrader.png", tmp_path / "profile", f"{base}/formgrader/manage_submissions/{ASSIGNMENT}"
        chromium(["--dump-dom", f"{base}/api/status?token={token}"], profile)  # the token buys a login cookie
        dom = chromium(["--dump-dom", page], profile).stdout
        drawn = {m.group(1): float(m.group(2)) for m in SUBMISSION_ROW.finditer(dom)}
        assert drawn == pytest.approx(expected), dom[-2000:]
        done = screenshot(page, png, profile, size="1200,1100")
        assert png.is_file(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"
        from matplotlib import image

        assert image.imread(str(png))[..., :3].std() > 0.05
        shot = os.environ.get("DLGRADE_FORMGRADER_SCREENSHOT")  # where to keep it for a person to look at
        if shot:
            shutil.copy(png, shot)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def test_every_assignment_grades_its_reference_in_full_and_its_stub_at_zero(tmp_path):
    """The same code for every assignment: the source notebook (the reference's solutions in it)
    submitted as a student's work earns every point through nbgrader, the released stub none."""
    home, course = tmp_path / "home", tmp_path / "course"
    home.mkdir()
    run([tool("dlgrade"), "nbgrader", "init", str(course)], tmp_path, home)
    nbgrader = tool("nbgrader")
    for assignment in classrun.ASSIGNMENTS:
        run([nbgrader, "generate_assignment", assignment], course, home)
        for student, folder in (("ref", "source"), ("stub", "release")):
            target = course / "submitted" / student / assignment
            target.mkdir(parents=True)
            shutil.copy(course / folder / assignment / f"{assignment}.ipynb", target)
        run([nbgrader, "autograde", assignment], course, home)
    run([nbgrader, "export"], course, home)
    with open(course / "grades.csv", newline="") as handle:
        rows = {(r["assignment"], r["student_id"]): (float(r["score"]), float(r["max_score"]))
                for r in csv.DictReader(handle)}
    for assignment in classrun.ASSIGNMENTS:
        maximum = sum(e.max_points for e in classrun.load_suite(assignment).exercises)
        assert rows[(assignment, "ref")] == (maximum, maximum), assignment
        assert rows[(assignment, "stub")] == (0, maximum), assignment


def test_init_of_an_unknown_assignment_is_one_line_with_status_2(tmp_path):
    done = subprocess.run([tool("dlgrade"), "nbgrader", "init", str(tmp_path / "c"), "no_such"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "unknown assignment 'no_such'" in done.stderr and not (tmp_path / "c").exists()
    again = subprocess.run([tool("dlgrade"), "nbgrader", "init", str(tmp_path / "c"), ASSIGNMENT, "--force"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "nbgrader generate_assignment" in again.stdout
