"""Stress: N consecutive TensorFlow workers forked from one TF-preloaded zygote.

    .venv/bin/python benchmarks/tf_workers.py [--n 200]

Each worker loads a small module and runs a tf.function GradientTape step with Keras' Adam. Prints
the zygote's start-up time, the median and maximum seconds per worker (fork, load, first op,
step, exit), how many hung (a 60 s limit each), and the zygote's and this process's resident
memory before and after (a leak would show as growth).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graders.engine.sandbox.confine import Limits  # noqa: E402
from graders.engine.sandbox.parent import WorkerCrashed, WorkerTimeout, Zygote  # noqa: E402
from graders.engine.sandbox.protocol import AsTF  # noqa: E402

CODE = '''
import tensorflow as tf

def step(x):
    w = tf.Variable(tf.ones((3, 1)))
    optimizer = tf.keras.optimizers.Adam(0.1)

    @tf.function
    def one():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.matmul(tf.transpose(w), x) ** 2)
        optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
        return loss
    return one(), w
'''


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    limits = Limits(call_seconds=60, load_seconds=60, address_space=4 << 30, processes=256)
    with Zygote((), limits=limits, warm=("tensorflow",)) as zygote:
        startup = time.perf_counter() - started
        zygote_pid = zygote._process.pid
        before = (rss_mb(zygote_pid), rss_mb())
        x = AsTF("constant", np.arange(6, dtype=np.float32).reshape(3, 2))
        times, failures = [], []
        for i in range(args.n):
            began = time.perf_counter()
            worker = zygote.spawn()
            try:
                worker.request({"op": "load", "cells": [["f", CODE]], "keep_all": True}, 60)
                answer = worker.request({"op": "call", "fn": "step", "args": [x], "kwargs": {}}, 60)
                if not answer.get("ok"):
                    failures.append((i, answer.get("error")))
                worker.close()
            except (WorkerTimeout, WorkerCrashed) as error:
                failures.append((i, repr(error)))
            times.append(time.perf_counter() - began)
        after = (rss_mb(zygote_pid), rss_mb())
    print(f"{args.n} consecutive TensorFlow workers (tf.function + GradientTape + Adam each)")
    print(f"  zygote start (imports TensorFlow, runs no op): {startup:.1f} s")
    print(f"  per worker: median {statistics.median(times):.3f} s, max {max(times):.2f} s; failed or hung: {len(failures)}")
    print(f"  zygote RSS {before[0]:.0f} -> {after[0]:.0f} MB; grading process RSS {before[1]:.0f} -> {after[1]:.0f} MB")
    for failure in failures[:5]:
        print("  failure:", failure)


if __name__ == "__main__":
    main()
