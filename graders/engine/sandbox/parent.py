"""Trusted side of the sandbox: the zygote client and the worker handles.

A :class:`Zygote` is one clean interpreter per run; :meth:`Zygote.spawn` forks a confined
:class:`Worker` from it in a few milliseconds. A worker serves one submission. Every request has a
wall-clock timeout; a worker that times out, crashes, exits or answers garbage is killed and
reported through the exceptions below, and the caller starts a new one for the remaining checks.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Sequence

from graders.engine.sandbox import protocol
from graders.engine.sandbox.confine import LEVELS, Limits, prune_cgroups, remove_cgroups

ROOT = Path(__file__).resolve().parents[3]
#: Send buffer of each end of a worker's channel, in bytes (the kernel caps it at net.core.wmem_max).
CHANNEL_BUFFER = 4 << 20


class WorkerTimeout(Exception):
    """The worker did not answer within the time limit (it has been killed)."""


class WorkerCrashed(Exception):
    """The worker died or closed its channel; ``reason`` says how (exit code, signal)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Zygote:
    """A clean, preloaded parent for workers. Thread-safe: many graders may spawn at once."""

    def __init__(self, preload: Sequence[str], drivers: Sequence[str] = (), limits: Limits = Limits(),
                 hidden: Sequence[Path] = (), warm: Sequence[str] = (), isolation: str | None = None):
        """``isolation``: the strongest level the workers may get (one of ``confine.LEVELS``; default:
        the strongest this machine allows). ``self.isolation`` is the level actually in force."""
        if isolation is not None and isolation not in LEVELS:
            raise ValueError(f"unknown isolation level {isolation!r} (one of: {', '.join(LEVELS)})")
        self.limits = limits
        if os.geteuid() == 0:
            prune_cgroups()
        # solutions/ and the git history (which holds every version of them) are never visible
        self.hidden = [str(Path(p).resolve()) for p in (ROOT / "solutions", ROOT / ".git", *hidden)]
        self._lock = threading.Lock()
        self._reapers: list[threading.Thread] = []  # threads killing and reaping closed workers
        self._reapers_lock = threading.Lock()
        self._control, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"preload": list(preload), "drivers": list(drivers), "warm": list(warm), "limits": asdict(limits),
                  "isolation": isolation}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTEST_"))}
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   TF_CPP_MIN_LOG_LEVEL="2", MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "graders.engine.sandbox.zygote", str(child_end.fileno()), json.dumps(config)],
            pass_fds=[child_end.fileno()], stdin=subprocess.DEVNULL, env=env, cwd=str(ROOT))
        child_end.close()
        hello = self._receive()
        if hello is None:
            raise RuntimeError("the worker parent (zygote) failed to start")
        self.isolation: str = hello["isolation"]

    @classmethod
    def for_suite(cls, suite, limits: Limits | None = None, hidden: Sequence[Path] = (),
                  warm: Sequence[str] | None = None, isolation: str | None = None) -> "Zygote":
        """The zygote a grader suite's workers need (its preloads, drivers, limits, and its warm
        modules or the given ones), isolated at most at ``isolation``."""
        return cls(suite.preload, suite.drivers, limits or suite.limits, hidden, suite.warm if warm is None else warm,
                   isolation)

    def spawn(self) -> "Worker":
        """Fork a new confined worker."""
        channel, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        for end in (channel, worker_end):  # a large array crosses in one go, not in 200 KB turns
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CHANNEL_BUFFER)
        output_read, output_write = os.pipe()
        with self._lock:
            socket.send_fds(self._control, [json.dumps({"op": "fork", "hidden": self.hidden}).encode()],
                            [worker_end.fileno(), output_write])
            answer = self._receive()
        worker_end.close()
        os.close(output_write)
        if answer is None:
            os.close(output_read)
            channel.close()
            raise RuntimeError("the worker parent (zygote) has died")
        return Worker(self, answer["pid"], channel, output_read)

    def exit_code(self, pid: int) -> int | None:
        """The worker's exit code once it has ended (reaping it), else None."""
        with self._lock:
            self._control.send(json.dumps({"op": "status", "pid": pid}).encode())
            answer = self._receive()
        return None if answer is None else answer["exit"]

    def reap_later(self, worker: "Worker") -> None:
        """Kill and reap ``worker`` in a thread of its own, so that a grading thread need not wait
        for it (about 10 to 30 ms a worker); ``close`` waits for every such thread."""
        reaper = threading.Thread(target=worker.kill, daemon=True)
        reaper.start()
        with self._reapers_lock:
            self._reapers = [r for r in self._reapers if r.is_alive()] + [reaper]

    def close(self) -> None:
        with self._reapers_lock:
            reapers, self._reapers = self._reapers, []
        for reaper in reapers:
            reaper.join()
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _receive(self) -> dict | None:
        message = self._control.recv(65536)
        return json.loads(message) if message else None

    def __enter__(self) -> "Zygote":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Worker:
    """One confined process holding one submission."""

    def __init__(self, zygote: Zygote, pid: int, channel: socket.socket, output_fd: int):
        self.zygote, self.pid, self.channel = zygote, pid, channel
        self.alive = True
        self.closed = False  # closed normally: being (or already) killed and reaped in the background
        self._output = _OutputDrain(output_fd, zygote.limits.output_bytes)

    def request(self, message: dict, seconds: float) -> Any:
        """Send one request and return the decoded answer; raises WorkerTimeout, WorkerCrashed or
        protocol.Malformed (in all three cases the worker has been killed)."""
        deadline = time.monotonic() + seconds
        try:
            self.channel.settimeout(seconds)
            protocol.send(self.channel, message)
            self.channel.settimeout(max(0.01, deadline - time.monotonic()))
            return protocol.receive(self.channel)
        except (socket.timeout, TimeoutError):
            self.kill()
            raise WorkerTimeout() from None
        except (protocol.ChannelClosed, BrokenPipeError, ConnectionResetError):
            raise WorkerCrashed(self.kill()) from None
        except protocol.Malformed:
            self.kill()
            raise

    @property
    def output(self) -> tuple[str, bool]:
        """What the student's code printed so far (first bytes only) and whether it was cut."""
        return self._output.text()

    def kill(self) -> str:
        """Kill the worker (its whole process group) and reap it; returns how it ended."""
        if not self.alive:
            return "ended"
        self.alive = False
        code = self.zygote.exit_code(self.pid)
        if code is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for _ in range(200):
                code = self.zygote.exit_code(self.pid)
                if code is not None:
                    break
                time.sleep(0.005)
        self.channel.close()
        self._output.join()
        threading.Thread(target=remove_cgroups, args=(self.pid,), daemon=True).start()
        return describe_exit(code)

    def close(self) -> None:
        """Normal end: closing the channel makes the worker exit; it is killed (with anything it
        started) and reaped in the background."""
        if self.alive and not self.closed:
            self.closed = True
            self.channel.shutdown(socket.SHUT_RDWR)
            self.zygote.reap_later(self)


def describe_exit(code: int | None) -> str:
    """Data describing an exit code, e.g. "exit code 3", "signal 9"."""
    if code is None:
        return "unknown"
    if code > 128:
        return f"signal {code - 128}"
    return f"signal {-code}" if code < 0 else f"exit code {code}"


class _OutputDrain:
    """Reads a worker's stdout/stderr pipe in a thread, keeping only the first ``limit`` bytes so
    that a flood can neither block the worker nor fill the grader's memory."""

    def __init__(self, fd: int, limit: int):
        self._fd, self._limit = fd, limit
        self._kept, self._dropped = bytearray(), 0
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        with os.fdopen(self._fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                room = self._limit - len(self._kept)
                self._kept += chunk[:room]
                self._dropped += max(0, len(chunk) - room)

    def join(self) -> None:
        self._thread.join(timeout=0.5)

    def text(self) -> tuple[str, bool]:
        return bytes(self._kept).decode("utf-8", "replace"), self._dropped > 0
