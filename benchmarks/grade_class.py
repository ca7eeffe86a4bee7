"""Benchmark: grade the sample class replicated to N submissions, against a naive baseline.

    .venv/bin/python benchmarks/grade_class.py [--assignment regularization] [--n 200] [--jobs 2]
                                               [--naive 20] [--figures] [--correct-only]

Prints, for dlgrade (one zygote, forked workers, --jobs threads): the median and 90th percentile
seconds per submission (each submission's own wall time, from start of grading to its report) and
the total wall time; and for the naive way (a fresh interpreter per submission that imports numpy,
the suite and the reference, then runs every check in-process, as a per-submission pytest run
would): the median seconds per submission over a sample, and the total that implies for N.
``--correct-only`` replicates only the class's correct samples (the hostile ones cost their time
limits); ``--naive 0`` skips the baseline.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.engine.grading import runner, submission  # noqa: E402
from graders.engine.grading.classrun import lean_packages, load_suite, one_blas_thread  # noqa: E402
from graders.engine.grading.oracle import LiveOracle  # noqa: E402
from graders.engine.sandbox.parent import Zygote  # noqa: E402

NAIVE_SCRIPT = """
import importlib, sys
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.oracle import LiveOracle
from graders.engine.grading.runner import run_check
assignment, path = sys.argv[1], sys.argv[2]
suite = importlib.import_module(f"graders.{assignment}").suite
namespace = {"__name__": "submission"}
for module in suite.preload:
    namespace.update({k: v for k, v in vars(importlib.import_module(module)).items() if not k.startswith("_")})
from graders.engine.grading.submission import read
from graders.engine.sandbox import worker
sub = read(__import__("pathlib").Path(path), assignment)
worker.load(namespace, [list(c) for c in sub.cells], sub.keep_all)  # statement by statement, as a worker loads
oracle, calls = LiveOracle(assignment), LocalCalls(namespace, frozenset(suite.drivers))
print(sum(run_check(spec, calls, oracle, 0).points for spec in suite.checks()))
"""


def naive_safe(path: Path) -> bool:
    """The naive baseline has no sandbox: hostile samples would hang or kill it, so it only runs
    the correct samples and the untouched stub (plain .py files)."""
    name = path.name.split("_", 1)[1]
    return path.suffix == ".py" and (name.startswith("correct") or name == "untouched_stub.py")


def replicate(samples_folder: Path, n: int, folder: Path, correct_only: bool = False) -> list[Path]:
    """n submission paths cycling through the sample class (its correct samples only, if asked)."""
    samples = sorted(p for p in samples_folder.iterdir() if p.suffix in (".py", ".ipynb") or p.is_dir())
    samples = [p for p in samples if p.name.startswith("correct")] if correct_only else samples
    paths = []
    for i in range(n):
        source = samples[i % len(samples)]
        target = folder / f"s{i:04d}_{source.name}"
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
        paths.append(target)
    return paths


def dlgrade(assignment: str, paths: list[Path], jobs: int, figures: bool) -> tuple[list[float], float, float]:
    """Grade ``paths`` as ``dlgrade grade`` does (the reference imported lean, one BLAS thread in the
    grading process, a thread per job), without writing reports."""
    suite = load_suite(assignment)
    oracle = LiveOracle(assignment, lean_packages(suite))
    start = time.perf_counter()
    with Zygote.for_suite(suite, hidden=[paths[0].parent]) as zygote, one_blas_thread():
        startup = time.perf_counter() - start

        def one(path: Path) -> float:
            began = time.perf_counter()
            runner.grade(suite, submission.read(path, assignment), zygote, oracle, "grade", 0, figures)
            return time.perf_counter() - began

        with ThreadPoolExecutor(jobs) as pool:
            times = list(pool.map(one, paths))
    return times, time.perf_counter() - start, startup


def naive(assignment: str, paths: list[Path]) -> list[float]:
    times = []
    for path in paths:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", NAIVE_SCRIPT, assignment, str(path)], cwd=ROOT, check=True,
                       capture_output=True, timeout=300)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="regularization")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--naive", type=int, default=20, help="submissions in the naive sample")
    parser.add_argument("--figures", action="store_true", help="also draw the report figures")
    parser.add_argument("--correct-only", action="store_true", help="replicate only the correct samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = replicate(ROOT / "examples" / args.assignment, args.n, Path(tmp), args.correct_only)
        times, total, startup = dlgrade(args.assignment, paths, args.jobs, args.figures)
        naive_times = naive(args.assignment, [p for p in paths if naive_safe(p)][: args.naive])
    q = statistics.quantiles(times, n=10)
    print(f"dlgrade  {args.assignment} n={args.n} jobs={args.jobs} figures={'on' if args.figures else 'off'}"
          f"{' correct samples only' if args.correct_only else ''}")
    print(f"  per submission: median {statistics.median(times):.3f} s, p90 {q[-1]:.3f} s, max {max(times):.1f} s")
    print(f"  total {total:.1f} s wall ({total / args.n:.3f} s per submission), zygote start {startup:.2f} s")
    if not naive_times:
        return
    print(f"naive (fresh interpreter per submission, no sandbox, well-behaved samples only) n={len(naive_times)}")
    print(f"  per submission: median {statistics.median(naive_times):.3f} s; "
          f"{args.n} submissions would take about {statistics.median(naive_times) * args.n:.0f} s sequentially")


if __name__ == "__main__":
    main()
