"""The red-team corpus (tests/redteam/) graded in one class run, against tests/redteam/expected.json.

Every hostile submission of the corpus, plus two well-behaved students (copies of samples from
examples/regularization/), is graded once through ``classrun.grade_class`` in the sandbox, from a
submissions folder and into an output folder that no worker is told about. Then:

* each entry gets exactly its recorded outcome (points, problem, every check, notes, output);
* the well-behaved students' report.json files are byte-identical to those of a run of the two alone;
* no file changed outside the output folder (the repository tree and the submissions folder);
* nothing the run started is still running (this process is made a child subreaper for the run, so
  that anything orphaned by a worker would be reparented here and seen);
* hostile text reaches the written reports only as text (no raw HTML tag, no terminal control);
* the whole run stays within a wall-clock bound.
"""
from __future__ import annotations

import csv
import ctypes
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from graders.engine.grading.classrun import grade_class, load_suite
from graders.engine.reports.store import student_dirname

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "redteam"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
ENTRIES = EXPECTED["entries"]
EXAMPLES = ROOT / "examples" / "regularization"
SAMPLES = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))["submissions"]
#: the well-behaved students graded with the corpus: file name in the class -> sample it copies
WELL_BEHAVED = {"well_behaved_course_style.py": "correct_course_style.py",
                "well_behaved_l2_without_half.py": "l2_without_half.py"}
SUITE = load_suite("regularization")
CHECK_KEYS = [c.key for c in SUITE.checks()]
WALL_CLOCK_BOUND = 240.0  #: seconds for grading the whole corpus (measured: about 65 s on 2 cores)
SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache"}
PICKLE_MARKER = Path("/var/tmp/dlgrade-redteam-unpickled")  #: made only if the grader unpickled forged_pickle_frame's array
REQUIRED_CATEGORIES = {"denial of service", "resource exhaustion", "escape", "information leak", "forgery",
                       "output injection"}
PR_SET_CHILD_SUBREAPER = 36


def submitted_name(entry: str) -> str:
    return ENTRIES[entry].get("submit_as", f"{entry}.py")


# ------------------------------------------------------------------------------------ the run


@pytest.fixture(scope="module")
def graded():
    """Grade the corpus and the two well-behaved students once; then the two alone."""
    base = Path(tempfile.mkdtemp(prefix="dlgrade-redteam-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None))
    base.chmod(0o755)  # readable folders, as a teacher's usually are: only the sandbox may hide them
    submissions, out, alone = base / "submissions", base / "out", base / "alone"
    submissions.mkdir(mode=0o755)
    for entry in ENTRIES:
        shutil.copyfile(CORPUS / f"{entry}.py", submissions / submitted_name(entry))
    for name, sample in WELL_BEHAVED.items():
        shutil.copyfile(EXAMPLES / sample, submissions / name)
    paths = sorted(submissions.iterdir())
    if PICKLE_MARKER.is_dir():
        PICKLE_MARKER.rmdir()

    before = {"repo": snapshot(ROOT), "submissions": snapshot(submissions)}
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    zygotes_before = zygote_processes()
    try:
        start = time.monotonic()
        run = grade_class("regularization", paths, out=out, jobs=2, figures=False)
        elapsed = time.monotonic() - start
        leftovers = wait_for_no_descendants(seconds=10)
        new_zygotes = {p: c for p, c in zygote_processes().items() if p not in zygotes_before and p in descendants()}
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
    after = {"repo": snapshot(ROOT), "submissions": snapshot(submissions)}
    alone_run = grade_class("regularization", [submissions / name for name in WELL_BEHAVED], out=alone, jobs=2,
                            figures=False)
    yield {"run": run, "elapsed": elapsed, "out": out, "alone": alone, "alone_run": alone_run,
           "reports": {Path(r.submission).name: r for r in run.reports}, "before": before, "after": after,
           "leftovers": leftovers, "new_zygotes": new_zygotes, "marker": PICKLE_MARKER.exists()}
    shutil.rmtree(base, ignore_errors=True)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file under ``root`` (but .git, .venv, caches): path -> (size, mtime, sha256); every
    folder: path -> ("dir",)."""
    found: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = ("dir",)
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            digest = ""
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            found[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns, digest)
    return found


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process visible here."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            table[int(entry)] = (int(fields[1]), fields[0])
        except (OSError, IndexError, ValueError):
            pass
    return table


def descendants(include_zombies: bool = False) -> set[int]:
    """Processes below this one (alive ones, unless ``include_zombies``)."""
    table = process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {p for p in found if include_zombies or table.get(p, (0, "Z"))[1] != "Z"}


def wait_for_no_descendants(seconds: float) -> dict[int, str]:
    """Reap orphans reparented here; return the processes still running below this one after
    ``seconds`` (pid -> command line)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        alive = descendants()
        if not alive or time.monotonic() > deadline:
            return {pid: command_line(pid) for pid in alive}
        time.sleep(0.1)


def zygote_processes() -> dict[int, str]:
    return {pid: cmd for pid in process_table() if "graders.engine.sandbox.zygote" in (cmd := command_line(pid))}


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def report_of(graded, entry: str):
    return graded["reports"][submitted_name(entry)]


def output_text(report) -> str:
    return "".join(n.data.get("text", "") for n in report.notes if n.kind == "output")


def isolation_allows(graded, entry: str) -> bool:
    wanted = ENTRIES[entry].get("requires_isolation")
    return wanted is None or graded["run"].isolation in wanted


# ------------------------------------------------------------------------------- the corpus


def test_every_corpus_file_has_a_recorded_outcome():
    on_disk = {p.stem for p in CORPUS.glob("*.py")}
    assert on_disk == set(ENTRIES)
    assert len(ENTRIES) >= 30
    assert REQUIRED_CATEGORIES <= {e["attack"] for e in ENTRIES.values()}
    for name, entry in ENTRIES.items():
        for field in ("attack", "description", "contained_by"):
            assert entry[field].strip() and "\n" not in entry[field], (name, field)
        assert set(entry["checks"]) <= set(CHECK_KEYS), name
        for check in [*entry["checks"].values(), entry.get("all_checks") or {}]:
            if "message_matches" in check:
                re.compile(check["message_matches"])
        assert "/" not in submitted_name(name) and submitted_name(name).endswith(".py"), name


def test_corpus_files_are_student_code():
    """Entries import nothing from the project: whatever they reach, they reach at run time."""
    for path in CORPUS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(graders|solutions|assignments|tests)\b", source, re.M), path.name


def _mismatches(found: dict, want: dict, points: float) -> list[str]:
    """How the graded checks (and total) differ from one recorded expectation of an entry."""
    mismatches = []
    for key, check in found.items():
        expected = want.get("all_checks") or want["checks"].get(key) or {"outcome": "passed"}
        evidence = check.evidence[0] if check.evidence else None
        got = {"outcome": check.outcome, "hint": check.hint.key if check.hint else None,
               "evidence": evidence.kind if evidence else None,
               "error_type": evidence.data.get("type") if evidence else None,
               "message": evidence.data.get("message") if evidence else None,
               "reason": evidence.data.get("reason") if evidence else None}
        wanted = {"outcome": expected["outcome"], "hint": expected.get("hint")}
        wanted.update({k: expected[k] for k in ("evidence", "error_type", "message", "reason") if k in expected})
        pattern = expected.get("message_matches")
        if {k: got[k] for k in wanted} != wanted or (
                pattern is not None and not re.fullmatch(pattern, str(got["message"]), re.S)):
            mismatches.append(f"{key}: got {got}, expected {wanted}" + (f" and a message matching {pattern!r}"
                                                                        if pattern is not None else ""))
    if points != want["points"]:
        mismatches.append(f"points: got {points}, expected {want['points']}")
    return mismatches


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_entry_is_graded_as_recorded(graded, entry):
    want = ENTRIES[entry]
    if not isolation_allows(graded, entry):
        pytest.skip(f"recorded outcome needs isolation {want['requires_isolation']}, "
                    f"this machine has {graded['run'].isolation}")
    report = report_of(graded, entry)
    found = {f"{e.name}/{c.name}": c for e in report.exercises for c in e.checks}
    assert list(found) == CHECK_KEYS

    problem = want["problem"]
    if problem is None:
        assert report.problem is None, f"unexpected problem {report.problem}"
    else:
        assert report.problem is not None and report.problem.kind == problem["kind"], report.problem

    mismatches = _mismatches(found, want, report.points)
    if mismatches and "alternative" in want:  # an outcome that depends on the host (see expected.json)
        mismatches = _mismatches(found, {**want, **want["alternative"]}, report.points)
    assert not mismatches, "\n".join(mismatches)
    assert report.max_points == EXPECTED["max_points"]

    kinds = [n.kind for n in report.notes]
    for kind in want.get("notes", []):
        assert kind in kinds, report.notes
    text = output_text(report)
    for snippet in want.get("output_contains", []):
        assert snippet in text, text[:2000]
    truncated = any(n.data.get("truncated") for n in report.notes if n.kind == "output")
    assert truncated == want.get("output_truncated", False)


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_entry_evidence_stays_small(graded, entry):
    """Whatever the submission raised or printed, the report holds a bounded amount of it."""
    report = report_of(graded, entry)
    for exercise in report.exercises:
        for check in exercise.checks:
            for evidence in check.evidence:
                assert len(str(evidence.data.get("message", ""))) <= 2000, (check.name, evidence.kind)
    for note in report.notes:
        if note.kind == "output":
            assert len(note.data["text"].encode("utf-8")) <= SUITE.limits.output_bytes


# ------------------------------------------------------------------------------- containment


def test_the_run_is_bounded_in_time(graded):
    assert graded["elapsed"] < WALL_CLOCK_BOUND, f"the corpus took {graded['elapsed']:.0f} s"
    assert len(graded["run"].reports) == len(ENTRIES) + len(WELL_BEHAVED)
    assert graded["run"].unwritten == ()


def test_well_behaved_students_are_untouched_by_the_corpus(graded):
    """Their report.json files are byte-identical to those of a run of the two alone, and hold the
    grades the sample class records for them."""
    for name, sample in WELL_BEHAVED.items():
        folder = student_dirname(Path(name).stem)
        with_corpus = (graded["out"] / folder / "report.json").read_bytes()
        alone = (graded["alone"] / folder / "report.json").read_bytes()
        assert with_corpus == alone, name
        assert graded["reports"][name].points == SAMPLES[sample]["points"], name


def test_no_file_changes_outside_the_output_folder(graded):
    for place in ("repo", "submissions"):
        before, after = graded["before"][place], graded["after"][place]
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
        assert not changed, f"{place}: {changed[:20]}"


def test_nothing_is_left_running(graded):
    assert graded["leftovers"] == {}, graded["leftovers"]
    assert graded["new_zygotes"] == {}, graded["new_zygotes"]


def test_the_grader_never_unpickles_what_a_worker_sends(graded):
    assert graded["marker"] is False


def test_workers_hold_no_reference(graded):
    """leak_memory_search looked through its own memory for anything from solutions/: nothing."""
    report = report_of(graded, "leak_memory_search")
    messages = {e.data.get("message") for ex in report.exercises for c in ex.checks for e in c.evidence
                if ex.name == "compute_cost_with_regularization"}
    assert messages == {"[]"}


def test_hostile_text_reaches_the_reports_only_as_text(graded):
    out = graded["out"]
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == len(ENTRIES) + len(WELL_BEHAVED)
    for folder in folders:
        assert re.fullmatch(r"[A-Za-z0-9._@+\-]+", folder.name), folder.name
        html = (folder / "report.html").read_text(encoding="utf-8").lower()
        assert "<script" not in html and "<img" not in html, folder.name
        for name in ("report.txt", "report.md", "results.json"):
            text = (folder / name).read_text(encoding="utf-8")
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, (folder.name, name)
        assert "<script" not in outside_code_fences((folder / "report.md").read_text(encoding="utf-8")), folder.name
    injected = report_of(graded, "html_injection")
    assert "<script>alert('redteam')</script>" in output_text(injected)  # kept as data, shown as text
    html = (out / student_dirname(injected.student) / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "\x1b" not in summary and "<script" not in outside_code_fences(summary)
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not (cell.startswith("-") and not re.fullmatch(r"-?[0-9.]+", cell)), cell


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


# ----------------------------------------------------------------------------- security table


def test_security_table_matches_the_corpus_and_the_readme():
    """benchmarks/security_table.py renders expected.json; the README's security table section (between
    its markers) is exactly that output."""
    table = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "security_table.py")], check=True,
                           capture_output=True, text=True).stdout
    categories = {e["attack"] for e in ENTRIES.values()}
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| attack |")]
    assert {row.split(" | ")[0][2:] for row in rows} == categories
    assert sum(int(row.split(" | ")[1]) for row in rows) == len(ENTRIES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- security-table:start -->", "<!-- security-table:end -->"
    assert start in readme and end in readme, "README.md lost its security table markers"
    section = readme.split(start, 1)[1].split(end, 1)[0]
    assert section.strip() == table.strip(), "README's security table is stale: rerun benchmarks/security_table.py"
