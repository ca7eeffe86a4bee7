"""Where one submission's grading time goes: each check's wall time, over repeated gradings.

    .venv/bin/python benchmarks/check_times.py ASSIGNMENT SUBMISSION [--times 3]

Grades SUBMISSION ``--times`` times in one zygote (one job, no figures) and prints the zygote's
start-up, each grading's total and points, then each check's seconds per grading, slowest first.
The first grading also pays what a class pays once (reference values, first traces).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.engine.grading import runner, submission  # noqa: E402
from graders.engine.grading.classrun import load_suite  # noqa: E402
from graders.engine.grading.oracle import LiveOracle  # noqa: E402
from graders.engine.sandbox.parent import Zygote  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("submission", type=Path)
    parser.add_argument("--times", type=int, default=3)
    args = parser.parse_args()
    suite, oracle = load_suite(args.assignment), LiveOracle(args.assignment)
    seconds: dict[str, list[float]] = {}
    run_check = runner.run_check

    def timed(spec, *rest, **options):
        began = time.perf_counter()
        try:
            return run_check(spec, *rest, **options)
        finally:
            seconds.setdefault(spec.key, []).append(time.perf_counter() - began)

    runner.run_check = timed  # runner.grade looks it up at each call
    began = time.perf_counter()
    with Zygote.for_suite(suite) as zygote:
        print(f"zygote start {time.perf_counter() - began:.2f} s")
        sub = submission.read(args.submission, args.assignment)
        for _ in range(args.times):
            began = time.perf_counter()
            report = runner.grade(suite, sub, zygote, oracle, "grade", 0, False)
            points = sum(e.points for e in report.exercises)
            print(f"grading {time.perf_counter() - began:.3f} s, {points:g} points")
    for key, values in sorted(seconds.items(), key=lambda item: -item[1][-1]):
        print(" ".join(f"{v:.3f}" for v in values), key)


if __name__ == "__main__":
    main()
