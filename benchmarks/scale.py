"""Benchmark: a class of N students per assignment, graded by the real CLI (``dlgrade grade``).

    .venv/bin/python benchmarks/scale.py [--assignments regularization,optimization] [--n 100,1000]
                                         [--jobs 2] [--figures]

The class is the assignment's sample class without its hostile samples (infinite loops, crashes,
memory hogs, exits, forgeries...), replicated to N submissions in a flat folder. For every assignment
and N it prints the total wall time of the ``dlgrade grade`` process, the median and 90th percentile
of the per-student grading time (from the run's run.json), and the peak memory (max RSS) of the
grading process itself (the trusted process; the zygote and the workers are separate processes,
their memory is bounded per worker by the sandbox's limits), then a total over all assignments.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE_ORDER = ("initialization", "regularization", "gradient_checking", "optimization", "tf_intro")
HOSTILE_NAME = re.compile(r"loop|memory|hog|exit|crash|reads_solutions|rigged|noisy|huge|forged|pwn|flood")

#: Runs the CLI in this process and prints its own peak RSS (kB) on the last line of stderr.
RUN_CLI = """
import resource, sys
from graders.cli import main
status = main(sys.argv[1:])
print(f"maxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(status)
"""


def well_behaved(assignment: str) -> list[Path]:
    """The sample class's submissions that are neither hostile nor slow by design."""
    folder = ROOT / "examples" / assignment
    expected = json.loads((folder / "expected.json").read_text())["submissions"]
    keep = []
    for name, want in sorted(expected.items()):
        outcomes = {c.get("outcome") for c in want.get("checks", {}).values()}
        outcomes |= {want["all_checks"]["outcome"]} if "all_checks" in want else set()
        problem = (want.get("problem") or {}).get("kind")
        if outcomes & {"timeout", "crashed"} or problem in ("import_timeout", "import_crashed"):
            continue
        if HOSTILE_NAME.search(name):
            continue
        keep.append(folder / name)
    return keep


def replicate(samples: list[Path], n: int, folder: Path) -> list[Path]:
    """n submissions cycling through the samples, each under its own name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        source = samples[i % len(samples)]
        target = folder / f"s{i:04d}_{source.name}"
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target)
        paths.append(target)
    return paths


def grade(assignment: str, paths: list[Path], out: Path, jobs: int, figures: bool) -> dict:
    """Run ``dlgrade grade`` once; wall seconds, per-student seconds, peak RSS of the process."""
    cmd = [sys.executable, "-c", RUN_CLI, "grade", assignment, *map(str, paths), "--out", str(out),
           "--jobs", str(jobs), *([] if figures else ["--no-figures"])]
    began = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"dlgrade grade failed ({done.returncode}): {done.stderr[-2000:]}")
    rss = int(re.findall(r"maxrss_kb=(\d+)", done.stderr)[-1])
    run = json.loads((out / "run.json").read_text())
    seconds = [s["seconds"] for s in run["students"] if s["seconds"] is not None]
    return {"wall": wall, "seconds": seconds, "rss_mb": rss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", default=",".join(COURSE_ORDER))
    parser.add_argument("--n", default="100,1000", help="class sizes, comma-separated")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--figures", action="store_true", help="also draw the report figures")
    args = parser.parse_args()
    sizes = [int(n) for n in args.n.split(",")]
    total = 0.0
    print(f"jobs={args.jobs} figures={'on' if args.figures else 'off'} cores={os.cpu_count()} "
          f"load average at start {os.getloadavg()[0]:.1f}")
    print(f"{'assignment':<18} {'n':>5} {'samples':>7} {'wall s':>8} {'median s':>9} {'p90 s':>7} {'peak RSS MB':>11}")
    for assignment in args.assignments.split(","):
        samples = well_behaved(assignment)
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix=f"dlgrade-scale-{assignment}-") as tmp:
                paths = replicate(samples, n, Path(tmp) / "class")
                figures = grade(assignment, paths, Path(tmp) / "out", args.jobs, args.figures)
            seconds = figures["seconds"]
            p90 = statistics.quantiles(seconds, n=10)[-1] if len(seconds) > 1 else seconds[0]
            if n == max(sizes):
                total += figures["wall"]
            print(f"{assignment:<18} {n:>5} {len(samples):>7} {figures['wall']:>8.1f} "
                  f"{statistics.median(seconds):>9.3f} {p90:>7.3f} {figures['rss_mb']:>11.1f}", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print(f"total wall time at n={max(sizes)} over {args.assignments}: {total:.1f} s ({total / 60:.1f} min)")


if __name__ == "__main__":
    main()
