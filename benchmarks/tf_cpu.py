"""Benchmark: where a TensorFlow submission's CPU goes, in a worker and in the grading process.

    .venv/bin/python benchmarks/tf_cpu.py [--submission examples/tf_intro/correct_course_style.py]
                                          [--workers 3] [--gradings 10]

1. Workers: forks children of a process that imported TensorFlow and prepared the model check's
   digits without running an op (as the zygote does; one TensorFlow thread each, as confinement
   sets), and in each runs the submission's TensorFlow work as the checks do: its first op, the
   public three eager steps, the steps under tf.function, the three-epoch model check. Prints
   each part's seconds and the child's CPU.
2. The compiled training step with Keras's Adam and with the Adam a student's model gets while
   graded (tf_intro_utils._CompiledAdam: the update fused per variable): trace and step times.
3. The grading process: grades the submission ``--gradings`` times on one job (after two warm-up
   gradings) and prints its CPU per grading (all its threads), with numpy's BLAS free and then
   limited to one thread (classrun.one_blas_thread, as a class run does).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import resource
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1")

import numpy as np  # noqa: E402

from graders.engine.grading import runner, submission  # noqa: E402
from graders.engine.grading.classrun import lean_packages, load_suite, one_blas_thread  # noqa: E402
from graders.engine.grading.oracle import LiveOracle  # noqa: E402
from graders.engine.sandbox import imports  # noqa: E402
from graders.engine.sandbox.parent import Zygote  # noqa: E402


def timed(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def workers(source: Path, count: int) -> None:
    """Part 1, in forked children of this process."""
    imports.import_module("tensorflow")
    from assignments import tf_intro_utils as U
    from graders.tf_intro import PUBLIC_STEP_INPUTS, SHAPES, STEP_RATES, batch, small_parameters

    U.check_digit_rows()
    rng = np.random.default_rng(0)
    small = batch(rng, 8, PUBLIC_STEP_INPUTS) + (small_parameters(rng, PUBLIC_STEP_INPUTS),)
    full = batch(rng, 8) + (small_parameters(rng),)
    print("workers: first op, eager steps, tf.function steps, model check (s); the child's CPU")
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            def fresh():  # each check loads the submission again, as a fresh check does
                return runpy.run_path(str(source))

            namespace = fresh()
            parts = [timed(lambda: namespace["linear_function"]()),
                     timed(lambda: U.run_train_steps(*small, 3, STEP_RATES[PUBLIC_STEP_INPUTS], False, "sgd",
                                                     namespace))]
            namespace = fresh()
            parts.append(timed(lambda: U.run_train_steps(*full, 3, STEP_RATES[SHAPES["W1"][1]], True, "sgd",
                                                         namespace)))
            namespace = fresh()
            parts.append(timed(lambda: U.run_model(3, 0.0001, 32, namespace)))
            cpu = sum(os.times()[:2])
            print("  " + "  ".join(f"{p:.3f}" for p in parts) + f"   cpu {cpu:.2f} s", flush=True)
            os._exit(0)
        os.waitpid(pid, 0)


def adam_step(source: Path, repeats: int = 3) -> None:
    """Part 2, in this process (TensorFlow ops run here from now on)."""
    import tensorflow as tf
    from assignments import tf_intro_utils as U

    rows = [tf.constant(a) for a in U.check_digit_rows()[:2]]
    indices = tf.constant(np.arange(32, dtype=np.int64))
    print("compiled step: trace and first call (s), then one step (ms)")
    for _ in range(repeats):
        for label, patch in (("Keras's Adam", contextlib.nullcontext), ("while graded", U._CompiledAdam)):
            namespace = runpy.run_path(str(source))
            with patch():
                parameters = namespace["initialize_parameters"]()
                optimizer = U._adam_for(parameters, 0.0001)
                step = tf.function(lambda i: namespace["train_step"](
                    tf.transpose(tf.gather(rows[0], i)), tf.transpose(tf.gather(rows[1], i)), parameters, optimizer),
                    input_signature=(tf.TensorSpec([None], tf.int64),), autograph=False)
                first = timed(lambda: step(indices))
                each = timed(lambda: [step(indices) for _ in range(50)]) / 50
            print(f"  {label:13s} {first:.3f}  {each * 1000:.2f}")


def grading_process(source: Path, gradings: int) -> None:
    """Part 3: the grading process's own CPU per grading."""
    suite = load_suite("tf_intro")
    oracle = LiveOracle("tf_intro", lean_packages(suite))
    read = submission.read(source, "tf_intro")
    print("grading process: CPU per grading (s), all threads")
    with Zygote.for_suite(suite, hidden=[source.parent]) as zygote:
        for _ in range(2):
            runner.grade(suite, read, zygote, oracle, "grade", 0, False)
        for label, limit in (("BLAS free", contextlib.nullcontext), ("one BLAS thread", one_blas_thread)):
            with limit():
                before = resource.getrusage(resource.RUSAGE_SELF)
                for _ in range(gradings):
                    runner.grade(suite, read, zygote, oracle, "grade", 0, False)
                after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"  {label:16s} {cpu / gradings:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submission", type=Path, default=ROOT / "examples" / "tf_intro" / "correct_course_style.py")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--gradings", type=int, default=10)
    args = parser.parse_args()
    source = args.submission.resolve()
    workers(source, args.workers)  # first: the children must fork before this process runs an op
    grading_process(source, args.gradings)
    adam_step(source)


if __name__ == "__main__":
    main()
