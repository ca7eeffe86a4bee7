"""Could tf_intro's model check train less? Test accuracy and seconds of several training budgets.

    .venv/bin/python benchmarks/model_check_epochs.py [EPOCHS,LEARNING_RATE,MINIBATCH,M_TRAIN ...]

For each budget (default: the check's 3,0.0001,32,867 and the one-epoch ones the README mentions),
runs the model of the reference, of the course's two released notebooks (their own unshuffled
loops: samples release_mid2021.py and release_first_tf2.py) and of two known mistakes
(loss_wrong_orientation.py, loss_not_from_logits.py) in this process, on the check's digits, and
prints each one's test accuracy and time. A budget is only safe when every correct model clears
the bar (graders.engine.grading.tolerances.TRAINED_TEST_ACCURACY) by a wide margin and every
mistake stays well under it.
"""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assignments.tf_intro_utils import check_digits, train_with_model  # noqa: E402
from graders.engine.grading import submission  # noqa: E402
from graders.engine.grading.tolerances import TRAINED_TEST_ACCURACY  # noqa: E402
from graders.engine.sandbox import worker  # noqa: E402
from graders.tf_intro import accuracy  # noqa: E402

SAMPLES = ("release_mid2021.py", "release_first_tf2.py", "loss_wrong_orientation.py", "loss_not_from_logits.py")
DEFAULT = ("3,0.0001,32,867", "1,0.0001,32,867", "1,0.0005,32,867", "1,0.001,32,867")


def functions_of(sample: str) -> dict:
    """A sample submission's namespace, loaded the way a worker loads it (in this process)."""
    namespace = {"__name__": "submission"}
    helpers = importlib.import_module("assignments.tf_intro_utils")
    namespace.update({k: v for k, v in vars(helpers).items() if not k.startswith("_")})
    sub = submission.read(ROOT / "examples" / "tf_intro" / sample, "tf_intro")
    worker.load(namespace, [list(c) for c in sub.cells], sub.keep_all)
    return namespace


def main() -> None:
    budgets = sys.argv[1:] or DEFAULT
    X_train, Y_train, X_test, Y_test = check_digits()
    models = {"reference": vars(importlib.import_module("solutions.tf_intro"))}
    models.update({sample.removesuffix(".py"): functions_of(sample) for sample in SAMPLES})
    print(f"bar {TRAINED_TEST_ACCURACY}; columns: test accuracy (seconds)")
    for budget in budgets:
        epochs, learning_rate, minibatch, m = budget.split(",")
        row = []
        for name, functions in models.items():
            began = time.perf_counter()
            parameters = train_with_model(X_train[:, :int(m)], Y_train[:, :int(m)], X_test, Y_test, int(epochs),
                                   float(learning_rate), int(minibatch), functions)
            row.append(f"{name} {accuracy(X_test, Y_test, parameters):.3f} ({time.perf_counter() - began:.1f} s)")
        print(f"epochs={epochs} learning_rate={learning_rate} minibatch={minibatch} m={m}: " + ", ".join(row),
              flush=True)


if __name__ == "__main__":
    main()
