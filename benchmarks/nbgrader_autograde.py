"""Seconds per submission, in one run, for the same notebooks graded three ways (DESIGN.md section 7):

1. stock nbgrader autograde: the course's notebook with its check cells as grade cells, executed in a
   kernel (nbgrader's Execute; the experiment cell runs too, as it would in any stock course);
2. nbgrader autograde with dlgrade inside (the course `dlgrade nbgrader init` writes);
3. `dlgrade grade` on the same notebooks (no figures, ``--jobs`` 2 by default).

    .venv/bin/python benchmarks/nbgrader_autograde.py [--assignment regularization] [--n 4] [--jobs 2]

The class is the released notebook filled with the sample class's functions (correct, mistakes, the
stub), replicated to N students (``--n 1``: what one notebook costs). Prints a Markdown table and
each way's seconds per submission relative to ``dlgrade grade``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BIN = Path(sys.executable).parent
#: per assignment, the samples the class is made of (None: the released stub, untouched)
SAMPLES = {
    "regularization": ("correct_course_style.py", "l2_without_half.py", "dropout_missing_scaling_forward.py", None),
    "tf_intro": ("correct_course_style.py", "loss_is_mean.py", "release_mid2021.py", None),
}

from test_nbgrader import fill  # noqa: E402  (the same filling as the end-to-end test)

from graders.engine.authoring import nbgrader as course_init  # noqa: E402
from graders.engine.grading import classrun  # noqa: E402

STOCK_CONFIG = "c = get_config()\n"  # nbgrader's own autograde preprocessors


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "jc"), JUPYTER_DATA_DIR=str(home / "jd"),
               PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]))
    return env


def _course(assignment: str, folder: Path, stock: bool, n: int, home: Path) -> list[Path]:
    """A course with N submitted notebooks; returns their paths."""
    course_init.init_course(ROOT, folder, [assignment])
    if stock:
        (folder / "nbgrader_config.py").write_text(STOCK_CONFIG)
    subprocess.run([str(BIN / "nbgrader"), "generate_assignment", assignment], cwd=folder, env=_env(home),
                   check=True, capture_output=True)
    release = nbformat.read(folder / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    paths = []
    for i in range(n):
        sample = SAMPLES[assignment][i % len(SAMPLES[assignment])]
        path = folder / "submitted" / f"s{i:03d}" / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fill(release, ROOT / "examples" / assignment / sample) if sample else release, path)
        paths.append(path)
    return paths


def _autograde(assignment: str, folder: Path, home: Path) -> tuple[float, dict[str, float], list[float]]:
    """Run nbgrader autograde; (wall seconds, scores by student, dlgrade's seconds per notebook
    as its log lines give them)."""
    began = time.perf_counter()
    done = subprocess.run([str(BIN / "nbgrader"), "autograde", assignment], cwd=folder, env=_env(home),
                          capture_output=True, text=True)
    seconds = time.perf_counter() - began
    inside = [float(m) for m in re.findall(r"\(dlgrade, isolation [^,]+, ([0-9.]+) s\)", done.stdout + done.stderr)]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
        scores = {s.student.id: s.score for s in gb.find_assignment(assignment).submissions}
    return seconds, scores, inside


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignment", choices=sorted(SAMPLES), default="regularization")
    parser.add_argument("--n", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2, help="dlgrade grade's --jobs (nbgrader grades one at a time)")
    args = parser.parse_args()
    assignment, n = args.assignment, args.n
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        results = {}
        for label, stock in (("stock nbgrader autograde (cells executed in a kernel)", True),
                             ("nbgrader autograde with dlgrade inside", False)):
            folder = Path(tmp) / ("stock" if stock else "dlgrade")
            paths = _course(assignment, folder, stock, n, home)
            seconds, scores, inside = _autograde(assignment, folder, home)
            results[label] = scores
            if inside:
                print(f"dlgrade's own part inside autograde: median {statistics.median(inside):.2f} s, "
                      f"first notebook {inside[0]:.2f} s (zygote start), n={len(inside)}")
            rows.append((label, seconds / n, seconds))
        began = time.perf_counter()
        run = classrun.grade_class(assignment, paths, figures=False, jobs=args.jobs)
        seconds = time.perf_counter() - began
        rows.append((f"dlgrade grade (same notebooks, no figures, --jobs {args.jobs})", seconds / n, seconds))
        dl = {Path(r.submission).parents[1].name: r.points for r in run.reports}
    print(f"| {assignment}: run ({n} submissions: {', '.join(s or 'the stub' for s in SAMPLES[assignment])} "
          "replicated) | seconds per submission | total wall | against dlgrade grade |")
    print("|---|---|---|---|")
    for label, per, total in rows:
        print(f"| {label} | {per:.2f} s | {total:.1f} s | {total / rows[-1][2]:.1f}x |")
    print()
    print("scores (student: stock, dlgrade inside, dlgrade grade):")
    stock_scores, inside = results[rows[0][0]], results[rows[1][0]]
    print(json.dumps({s: [stock_scores.get(s), inside.get(s), dl.get(s)] for s in sorted(dl)}))
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
