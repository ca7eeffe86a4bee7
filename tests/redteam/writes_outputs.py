# Writes where it must not: forged grades.csv and report.json in the output folders a teacher would
# choose and in the folders around every mount point; changes to the grader (frozen expected
# values, the examples, this corpus's expected outcomes, README), a sitecustomize.py and a .pth
# file in the virtual environment (code the trusted interpreter would run at its next start),
# timestamps and permissions of project files. It then computes correctly, unless some write
# worked: every write outside its own private /tmp must fail.
import os
import sys

import numpy as np

_MINE = ("/tmp/", "/dev/shm/")  # the worker's private scratch space


def _targets():
    project = None
    if "graders" in sys.modules and getattr(sys.modules["graders"], "__file__", None):
        project = os.path.dirname(os.path.dirname(os.path.realpath(sys.modules["graders"].__file__)))
    project = project or "/work/main"
    folders = {"/", "/work", "/var/tmp", "/run/lock", "/home", "/srv", "/out", os.path.join(project, "out"),
               os.path.join(project, "build"), project, os.path.join(project, "tests", "redteam"),
               os.path.join(project, "examples", "regularization"), os.path.join(project, "graders", "expected")}
    try:
        with open("/proc/self/mountinfo") as handle:
            for line in handle:
                folder = line.split()[4]
                while folder != os.path.dirname(folder):
                    folders.add(folder)
                    folder = os.path.dirname(folder)
    except (OSError, IndexError):
        pass
    files = [os.path.join(f, name) for f in sorted(folders) for name in ("grades.csv", "report.json")]
    files += [os.path.join(project, rel) for rel in (
        "graders/expected/regularization.json", "examples/regularization/expected.json",
        "tests/redteam/expected.json", "README.md", "graders/__init__.py")]
    site = [p for p in sys.path if p.endswith("site-packages")]
    files += [os.path.join(p, name) for p in site for name in ("sitecustomize.py", "zzz_redteam.pth")]
    return project, files


def _try_all():
    wrote = []
    project, files = _targets()
    for path in files:
        if os.path.realpath(path).startswith(_MINE):
            continue
        try:
            with open(path, "a") as handle:
                handle.write("\nimport os; os.system('echo pwned')\n" if path.endswith((".py", ".pth"))
                             else "\nforged,28\n")
            wrote.append(path)
        except OSError:
            pass
    for path in (os.path.join(project, "README.md"), os.path.join(project, "graders", "expected", "regularization.json")):
        for label, action in (("utime", lambda: os.utime(path, (0, 0))), ("chmod", lambda: os.chmod(path, 0o777)),
                              ("rename", lambda: os.rename(path, path + ".bak"))):
            try:
                action()
                wrote.append(f"{label} {path}")
            except OSError:
                pass
    for folder in ("/work/main/out", os.path.join(project, "out"), "/var/tmp/redteam", "/out"):
        try:
            os.makedirs(os.path.join(folder, "student"), exist_ok=False)
            wrote.append(folder)
        except OSError:
            pass
    return wrote


_at_import = _try_all()


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    wrote = _at_import + _try_all()
    if wrote:
        raise RuntimeError("wrote: " + ", ".join(wrote))
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return float(np.nansum(logprobs) / m) + lambd / (2 * m) * squares


# ---- the functions this attack leaves alone: a correct implementation ----

def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T) + lambd / m * W3
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) + lambd / m * W2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T) + lambd / m * W1
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    D1 = (np.random.rand(*Z1.shape) < keep_prob).astype(int)
    A1 = np.maximum(0, Z1) * D1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    D2 = (np.random.rand(*Z2.shape) < keep_prob).astype(int)
    A2 = np.maximum(0, Z2) * D2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    with np.errstate(over="ignore"):
        A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3) * D2 / keep_prob
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2) * D1 / keep_prob
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
