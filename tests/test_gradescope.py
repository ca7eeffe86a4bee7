"""The Gradescope autograder, end to end: ``dlgrade gradescope`` builds the zip; it is unpacked into a
scratch root laid out like Gradescope's (``source/``, ``submission/``, ``results/``; the scripts take
the root from ``AUTOGRADER_ROOT``); ``setup.sh`` installs the dependencies into a fresh virtual
environment from the package registry (about 90 s here); then ``run_autograder`` grades every sample
of the regularization class, uploaded under another name, and each results.json is compared with the
one ``dlgrade grade`` writes for the same file."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "regularization"
NAMES = sorted(json.loads((SAMPLES / "expected.json").read_text())["submissions"])
COMPARED = ("name", "score", "max_score", "status", "output", "visibility")


def dlgrade(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders.cli", *map(str, args)], cwd=ROOT, text=True,
                          capture_output=True, timeout=900)


@pytest.fixture(scope="module")
def scratch():
    """A world-readable scratch folder (workers may run as nobody, who must read the venv)."""
    base = Path(tempfile.mkdtemp(prefix="dlgrade-gradescope-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def bundle(scratch) -> Path:
    result = dlgrade("gradescope", "regularization", "--out", scratch / "autograder.zip")
    assert result.returncode == 0, result.stderr
    return scratch / "autograder.zip"


@pytest.fixture(scope="module")
def autograder_root(scratch, bundle) -> Path:
    """Gradescope's layout with the bundle in source/, after setup.sh ran into a fresh venv."""
    root = scratch / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():  # zipfile drops the mode bits: restore them as unzip does
            (root / "source" / info.filename).chmod((info.external_attr >> 16) & 0o777)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "DLGRADE_VENV": str(root / "venv"),
           "DLGRADE_PYTHON": getattr(sys, "_base_executable", sys.executable)}
    env.pop("VIRTUAL_ENV", None)
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, text=True, capture_output=True,
                           timeout=900)
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-3000:]
    assert (root / "venv" / "bin" / "python").exists()
    return root


def run_autograder(root: Path, files: dict[str, Path | str]) -> dict:
    """Upload ``files`` (name in the upload -> sample path, or text) and run the autograder."""
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir(mode=0o755)
    for name, source in files.items():
        target = root / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path) and source.is_dir():
            shutil.copytree(source, target)
        elif isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(AUTOGRADER_ROOT=str(root), DLGRADE_VENV=str(root / "venv"))
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, text=True, capture_output=True,
                          timeout=600, cwd="/")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((root / "results" / "results.json").read_text())


@pytest.fixture(scope="module")
def local(scratch) -> Path:
    """``dlgrade grade`` on the sample class (the Gradescope runs draw no figures either)."""
    out = scratch / "local"
    result = dlgrade("grade", "regularization", *[SAMPLES / n for n in NAMES], "--out", out, "--no-figures")
    assert result.returncode == 0, result.stderr
    return out


def test_the_zip_holds_one_assignment_its_references_and_executable_scripts(bundle):
    with zipfile.ZipFile(bundle) as archive:
        infos = {i.filename: i for i in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert (infos[script].external_attr >> 16) & 0o111, script
    assert "solutions/regularization.py" in infos and "graders/expected/regularization.json" in infos
    assert not [n for n in infos if n.startswith(("tests/", "examples/", ".git"))]
    others = ("initialization", "gradient_checking", "optimization", "tf_intro")
    assert not [n for n in infos if any(f"/{o}.py" in n or f"/{o}_utils.py" in n for o in others)]
    config = json.loads(archive_text(bundle, "dlgrade-autograder.json"))
    assert config == {"assignment": "regularization", "hidden_visibility": "after_published", "seed": 0}
    assert "tensorflow" not in archive_text(bundle, "requirements.txt")


def archive_text(bundle: Path, name: str) -> str:
    with zipfile.ZipFile(bundle) as archive:
        return archive.read(name).decode()


def upload_of(name: str) -> dict[str, Path | str]:
    """Each sample uploaded under another name: .py as a file called homework.py beside a README,
    notebooks as they are, a folder as a folder."""
    sample = SAMPLES / name
    if sample.is_dir():
        return {"my_upload": sample}
    if sample.suffix == ".py":
        return {"homework.py": sample, "README.txt": "my notes"}
    return {f"{name}": sample}


@pytest.mark.parametrize("name", NAMES)
def test_run_autograder_gives_the_results_of_dlgrade_grade(autograder_root, local, name):
    results = run_autograder(autograder_root, upload_of(name))
    want = json.loads((local / Path(name).stem / "results.json").read_text())
    assert results["score"] == want["score"] and results["max_score"] == want["max_score"]
    assert [{k: t[k] for k in COMPARED} for t in results["tests"]] == [{k: t[k] for k in COMPARED} for t in want["tests"]]
    assert results["output"].startswith(want["output"])
    assert results["extra_data"]["isolation"] in results["output"] or "Isolation" in results["output"]
    assert isinstance(results["execution_time"], float) and results["execution_time"] > 0
    assert results["extra_data"]["isolation"]


def test_the_assignments_file_is_found_among_others(autograder_root):
    """A zip-style upload with folders: the file defining the graded functions wins over helpers."""
    results = run_autograder(autograder_root, {
        "work/helpers.py": "def unrelated():\n    return 1\n",
        "work/final_version.py": SAMPLES / "correct_course_style.py",
        "notes.md": "notes"})
    assert results["score"] == 28.0
    assert "Graded file: work/final_version.py." in results["output"]


def test_an_upload_without_the_assignment_scores_zero_with_a_reason(autograder_root):
    results = run_autograder(autograder_root, {"essay.txt": "I did not do it"})
    assert results["score"] == 0.0
    assert "could not be graded" in results["output"] and "No submission file was found" in results["output"]
    assert {t["score"] for t in results["tests"]} == {0.0}


def test_the_visibility_of_hidden_checks_is_chosen_at_build_time(autograder_root, scratch):
    other = scratch / "hidden.zip"
    assert dlgrade("gradescope", "regularization", "--out", other, "--hidden-visibility", "hidden").returncode == 0
    config = autograder_root / "source" / "dlgrade-autograder.json"
    before = config.read_text()
    config.write_text(archive_text(other, "dlgrade-autograder.json"))
    try:
        results = run_autograder(autograder_root, {"regularization.py": SAMPLES / "l2_without_half.py"})
    finally:
        config.write_text(before)
    assert {t["visibility"] for t in results["tests"]} == {"visible", "hidden"}
    assert results["score"] == 24.0


def test_a_wrong_assignment_is_one_line():
    result = dlgrade("gradescope", "nope", "--out", "/tmp/x.zip")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "unknown assignment" in result.stderr
