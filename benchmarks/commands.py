"""How long the commands a student waits for take: ``dlgrade list`` and ``dlgrade check``.

    .venv/bin/python benchmarks/commands.py [--runs 7] [--assignment NAME ...]

Each command runs ``--runs`` times in a fresh process after one warm-up run (a warm disk: Python's
bytecode and Jinja's template cache written, as on any machine after the first use); the figures
are the median and the fastest wall time. The environment is the caller's minus
PYTHONDONTWRITEBYTECODE, so the project's modules load from bytecode as they do for a user. Prints
whether nbgrader is installed beside dlgrade (the issue's case: its jsonschema extras made every
command pay about 2 s of imports).
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMPY_ASSIGNMENTS = ("initialization", "regularization", "gradient_checking", "optimization")


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """(median, fastest) wall seconds of ``command`` over ``runs`` runs after one warm-up."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds)


def sample_for(assignment: str) -> Path:
    """A correct sample submission of ``assignment`` (the first ``correct*.py`` of its class)."""
    return sorted((ROOT / "examples" / assignment).glob("correct*.py"))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--assignment", action="append", choices=NUMPY_ASSIGNMENTS + ("tf_intro",))
    args = parser.parse_args()
    try:
        nbgrader = f"nbgrader {importlib.metadata.version('nbgrader')} installed beside dlgrade"
    except importlib.metadata.PackageNotFoundError:
        nbgrader = "nbgrader not installed"
    dlgrade = [sys.executable, "-m", "graders.cli"]
    print(f"{nbgrader}; {args.runs} runs each after a warm-up, load average {os.getloadavg()[0]:.1f}")
    print("| command | median | fastest |")
    print("|---|---|---|")
    median, fastest = timed(dlgrade + ["list"], args.runs)
    print(f"| `dlgrade list` | {median:.2f} s | {fastest:.2f} s |")
    for assignment in args.assignment or NUMPY_ASSIGNMENTS:
        sample = sample_for(assignment)
        median, fastest = timed(dlgrade + ["check", assignment, str(sample.relative_to(ROOT))], args.runs)
        print(f"| `dlgrade check {assignment} {sample.name}` | {median:.2f} s | {fastest:.2f} s |")


if __name__ == "__main__":
    main()
