# Copies a correct answer from the grader's own checkout: finds the project folder from the graders
# package's __file__, walks everything of it the worker can see (examples/ and tests/ hold complete
# correct submissions), runs every .py that defines the four graded functions, checks one on a tiny
# case, and uses it. Full marks mean the copy worked; workers must see only graders/ and
# assignments/ (whose public stub raises NotImplementedError): nothing to copy.
import os
import sys

import numpy as np

_NAMES = ("compute_cost_with_regularization", "backward_propagation_with_regularization",
          "forward_propagation_with_dropout", "backward_propagation_with_dropout")
_found = {}


def _project():
    module = sys.modules.get("graders") or sys.modules.get("graders.engine.sandbox.worker")
    path = os.path.realpath(module.__file__)
    while os.path.basename(path) != "graders":
        path = os.path.dirname(path)
    return os.path.dirname(path)


def _steal():
    for folder, _, files in os.walk(_project()):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(".py"):
                continue
            try:
                with open(path) as handle:
                    source = handle.read()
            except (OSError, UnicodeDecodeError):
                continue
            if not all(f"def {n}(" in source for n in _NAMES) or "def _steal(" in source:
                continue  # not a candidate, or a copy of this file (it would walk again when run)
            namespace = dict(globals())
            try:
                exec(compile(source, path, "exec"), namespace)
                A3 = np.array([[0.4, 0.7]])
                Y = np.array([[0.0, 1.0]])
                p = {"W1": np.ones((2, 2)), "W2": np.ones((2, 2)), "W3": np.ones((1, 2))}
                if abs(namespace["compute_cost_with_regularization"](A3, Y, p, 0.1) - 0.68375) > 1e-4:
                    continue
            except BaseException:
                continue
            _found.update({n: namespace[n] for n in _NAMES})
            return path
    return None


print("copied from:", _steal())


def _use(name, *args):
    if name not in _found:
        raise RuntimeError("nothing to copy")
    return _found[name](*args)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    return _use("compute_cost_with_regularization", A3, Y, parameters, lambd)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    return _use("backward_propagation_with_regularization", X, Y, cache, lambd)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    return _use("forward_propagation_with_dropout", X, parameters, keep_prob)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    return _use("backward_propagation_with_dropout", X, Y, cache, keep_prob)
