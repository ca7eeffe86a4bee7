"""The zygote: a clean interpreter that preloads what workers need and forks them on request.

Started by the trusted process as ``python -m graders.engine.sandbox.zygote CONTROL_FD CONFIG_JSON``. It
imports numpy, the worker runtime, the assignment's student-side helper modules (and TensorFlow for
an assignment that needs it, without running any op), and never anything from ``solutions/``: a
worker forked from it holds no reference solution and no expected value in memory.

Control messages are JSON over a SOCK_SEQPACKET socket:
    trusted -> zygote  {"op": "fork", "hidden": [...]} + file descriptors [channel, output]
                       {"op": "status", "pid": n}
    zygote -> trusted  {"isolation": level} once at start; {"pid": n}; {"exit": code-or-null}
"""
from __future__ import annotations

import importlib
import json
import os
import socket
import sys

# Stdlib modules a student may use, imported now: after the drop to an unprivileged user the
# interpreter's own files may be unreadable, so later first-time imports could fail.
STDLIB = ("math", "random", "copy", "functools", "itertools", "collections", "operator", "time",
          "traceback", "linecache", "ast", "json", "io", "re", "string", "inspect", "typing",
          "dataclasses", "warnings", "contextlib", "numbers", "statistics", "decimal", "fractions",
          "textwrap", "pprint", "enum", "abc", "types", "weakref", "heapq", "bisect", "threading",
          "struct", "tokenize", "codecs", "zlib", "hashlib", "secrets", "random", "bz2", "lzma", "encodings.idna", "encodings.ascii", "encodings.latin_1")


def main(argv: list[str]) -> None:
    control = socket.socket(fileno=int(argv[0]))
    config = json.loads(argv[1])
    from graders.engine.sandbox import confine, imports, worker  # noqa: F401 - preloaded for the children

    for name in STDLIB + ("numpy",) + tuple(config["preload"]) + tuple(config["warm"]):
        module, _, function = name.partition(":")
        imported = imports.import_module(module)
        if function:  # "module:function": its result is then in memory every worker shares
            getattr(imported, function)()
    _warm_up_numpy()
    limits = confine.Limits(**config["limits"])
    level = confine.probe(config.get("isolation") or confine.LEVELS[0])
    control.send(json.dumps({"isolation": level}).encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 65536, 2)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        if request["op"] == "fork":
            pid = os.fork()
            if pid == 0:
                control.close()
                _run_worker(fds, limits, request["hidden"], level, config)
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"pid": pid}).encode())
        elif request["op"] == "status":
            control.send(json.dumps({"exit": _exit_code(request["pid"])}).encode())


def _run_worker(fds: list[int], limits, hidden: list[str], level: str, config: dict) -> None:
    """In the forked child: wire stdio, confine, serve. Never returns."""
    from graders.engine.sandbox import confine, worker

    code = 0
    try:
        channel_fd, output_fd = fds
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(null)
        os.close(output_fd)
        confine.confine(limits, hidden, level)
        preload = {}
        for module in config["preload"]:
            exported = importlib.import_module(module)
            preload.update({k: v for k, v in vars(exported).items() if not k.startswith("_")})
        worker.serve(socket.socket(fileno=channel_fd), preload, frozenset(config["drivers"]))
    except BaseException:  # noqa: BLE001 - whatever happens, never return into the zygote loop
        code = 70
    os._exit(code)


def _warm_up_numpy() -> None:
    """Trigger numpy's lazy imports (the legacy and new random generators, linalg) now."""
    import numpy as np

    np.random.seed(0)
    np.random.rand(2)
    np.random.randn(2)
    np.random.default_rng(0).random(2)
    np.random.binomial(1, 0.5, 2)
    np.linalg.norm(np.ones(2))
    np.random.permutation(3)


def _exit_code(pid: int) -> int | None:
    """Exit code of a finished worker (negative: killed by that signal), None if still running."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return -9
    return os.waitstatus_to_exitcode(status) if done else None


if __name__ == "__main__":
    main(sys.argv[1:])
    os._exit(0)  # nothing to flush or clean up; a normal exit would tear numpy and the rest down
