"""The batch examples (examples/batch/) work: the Slurm array task script run once per task with the
variables Slurm sets, then the merge job; and the CI matrix's own steps (the same scripts with SHARD
and SHARDS) give the same class output."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BATCH = ROOT / "examples" / "batch"
SAMPLES = ROOT / "examples" / "regularization"
CLASS = {"ana": "correct_course_style.py", "ben": "l2_without_half.py", "chloe": "syntax_error.py",
         "dev": "mask_keeps_complement.py"}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    for student, sample in CLASS.items():
        folder = root / "submitted" / student / "regularization"
        folder.mkdir(parents=True)
        shutil.copy(SAMPLES / sample, folder / "regularization.py")
    return root


def run(script: str, course: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "BATCH_DIR": str(BATCH), "DLGRADE": f"{sys.executable} -m graders.cli",
                   "PYTHONPATH": str(ROOT), "SUBMISSIONS": "submitted/*/regularization/regularization.py",
                   "JOBS": "1", **env}
    done = subprocess.run(["bash", str(BATCH / script)], cwd=course, env=environment, text=True,
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def students(folder: Path) -> dict[str, str]:
    with open(folder / "grades.csv", newline="") as handle:
        return {r["student"]: r["total"] for r in csv.DictReader(handle)}


def test_the_slurm_array_and_the_ci_matrix_grade_the_class_in_shards(course):
    for task in ("1", "2"):
        run("slurm_array.sbatch", course, SLURM_ARRAY_TASK_ID=task, SLURM_ARRAY_TASK_COUNT="2",
            SLURM_SUBMIT_DIR=str(course), SLURM_CPUS_PER_TASK="1", OUT="slurm")
    run("slurm_merge.sbatch", course, SLURM_SUBMIT_DIR=str(course), OUT="slurm", CLASS_OUT="slurm-class")
    graded = students(course / "slurm-class")
    assert graded == {"ana": "28", "ben": "24", "chloe": "0", "dev": graded["dev"]} and set(graded) == set(CLASS)
    assert sorted(p.name for p in (course / "slurm").iterdir()) == ["shard-1-of-2", "shard-2-of-2"]

    workflow = yaml.safe_load((BATCH / "github-actions.yml").read_text())
    jobs = workflow["jobs"]
    assert len(jobs["shard"]["strategy"]["matrix"]["shard"]) == int(workflow["env"]["SHARDS"])
    assert jobs["merge"]["needs"] == "shard"
    shard_steps = [s["run"] for s in jobs["shard"]["steps"] if "run" in s]
    merge_steps = [s["run"] for s in jobs["merge"]["steps"] if "run" in s]
    assert "bash examples/batch/grade_shard.sh" in shard_steps and "bash examples/batch/merge_shards.sh" in merge_steps
    for shard in ("1", "2"):  # what each matrix job runs, with two shards
        run("grade_shard.sh", course, SHARD=shard, SHARDS="2", OUT="ci")
    run("merge_shards.sh", course, OUT="ci", CLASS_OUT="ci-class")
    assert (course / "ci-class" / "grades.csv").read_bytes() == (course / "slurm-class" / "grades.csv").read_bytes()


def test_a_task_without_its_shard_says_so(course):
    done = subprocess.run(["bash", str(BATCH / "grade_shard.sh")], cwd=course, text=True, capture_output=True,
                          env={k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "SHARD"))})
    assert done.returncode != 0 and "set SHARD" in done.stderr
