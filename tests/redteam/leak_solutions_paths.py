# Reads the reference solution by path: the absolute path of the development checkout, the path
# computed from the __file__ of the graders package and of every module the worker preloaded, the
# folders above the working directory, and plain imports (solutions.regularization, after putting
# each candidate root on sys.path). Any hit would give full marks; nothing must be found.
import importlib
import os
import sys

import numpy as np

_reference = {}


def _try_source(path):
    """Run a file that looks like the reference solution and keep its functions."""
    try:
        with open(path, "rb") as handle:
            source = handle.read(1 << 20).decode("utf-8", "replace")
    except OSError:
        return False
    if "def compute_cost_with_regularization" not in source or "NotImplementedError()" in source:
        return False  # not a reference (the public stub is no prize)
    namespace = {"__name__": "stolen", "__file__": path}
    try:
        exec(compile(source, path, "exec"), namespace)
    except Exception:
        return False
    if callable(namespace.get("compute_cost_with_regularization")):
        _reference.update(namespace)
        print("reference found at:", path)
        return True
    return False


def _use(name, *args):
    if name not in _reference:
        raise RuntimeError("could not find the reference solution")
    return _reference[name](*args)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    return _use("compute_cost_with_regularization", A3, Y, parameters, lambd)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    return _use("backward_propagation_with_regularization", X, Y, cache, lambd)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    return _use("forward_propagation_with_dropout", X, parameters, keep_prob)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    return _use("backward_propagation_with_dropout", X, Y, cache, keep_prob)


def _candidates():
    yield "/work/main/solutions/regularization.py"
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not (name.startswith(("graders", "assignments")) or name == "__main__"):
            continue
        folder = os.path.dirname(os.path.abspath(path))
        while folder != os.path.dirname(folder):
            yield os.path.join(folder, "solutions", "regularization.py")
            folder = os.path.dirname(folder)
    here = os.path.abspath(os.getcwd())
    while True:
        yield os.path.join(here, "solutions", "regularization.py")
        if here == os.path.dirname(here):
            break
        here = os.path.dirname(here)


def _steal():
    for path in _candidates():
        if _try_source(path):
            return path
        pycache = os.path.join(os.path.dirname(path), "__pycache__")
        try:
            for entry in os.listdir(pycache):
                if entry.startswith("regularization.") and entry.endswith(".pyc"):
                    import marshal
                    with open(os.path.join(pycache, entry), "rb") as handle:
                        code = marshal.loads(handle.read()[16:])
                    namespace = {"__name__": "stolen"}
                    exec(code, namespace)
                    _reference.update(namespace)
                    return pycache
        except Exception:
            pass
    roots = {os.path.dirname(os.path.dirname(p)) for p in _candidates()}
    for root in sorted(roots):
        sys.path.insert(0, root)
        for name in ("solutions.regularization", "solutions"):
            sys.modules.pop(name, None)
        try:
            module = importlib.import_module("solutions.regularization")
            if hasattr(module, "compute_cost_with_regularization"):
                _reference.update(vars(module))
                return root
        except Exception:
            pass
        finally:
            sys.path.remove(root)
    return None


print("reference found at:", _steal())
