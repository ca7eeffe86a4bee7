"""The sandbox holds: timeouts, crashes, floods, leftovers and peeking are contained."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from graders.engine.sandbox.confine import Limits
from graders.engine.sandbox.parent import WorkerCrashed, WorkerTimeout, Zygote

CODE = '''
import os, sys, time, socket, subprocess
import numpy as np

def double(x):
    return 2 * x

def spin():
    while True:
        pass

def die():
    os._exit(3)

def flood():
    for _ in range(200000):
        print("spam " * 20)
    return "done"

def hog():
    return np.ones((1 << 40,)).sum()

def peek(path):
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return []

def whoami():
    return os.getuid(), os.getpid()

def leave_child():
    pid = os.fork()
    if pid == 0:
        os.setsid()
        time.sleep(600)
        os._exit(0)
    return pid

def fork_many(n):
    for _ in range(n):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)

def connect():
    socket.create_connection(("127.0.0.1", 9), timeout=1)
'''


@pytest.fixture(scope="module")
def zygote():
    with Zygote(preload=(), limits=Limits(call_seconds=2, load_seconds=5)) as z:
        yield z


def loaded(zygote):
    worker = zygote.spawn()
    answer = worker.request({"op": "load", "cells": [["file", CODE]], "keep_all": True}, 5)
    assert answer["ok"] and "double" in answer["functions"]
    return worker


def call(worker, fn, *args, seconds=2):
    return worker.request({"op": "call", "fn": fn, "args": list(args), "kwargs": {}}, seconds)


def test_a_call_returns_data(zygote):
    worker = loaded(zygote)
    answer = call(worker, "double", np.arange(3))
    np.testing.assert_array_equal(answer["value"], [0, 2, 4])
    worker.close()


def test_an_infinite_loop_times_out_and_the_next_worker_serves(zygote):
    worker = loaded(zygote)
    start = time.monotonic()
    with pytest.raises(WorkerTimeout):
        call(worker, "spin", seconds=1)
    assert time.monotonic() - start < 3
    assert not worker.alive
    fresh = loaded(zygote)
    assert call(fresh, "double", 4)["value"] == 8
    fresh.close()


def test_an_exiting_worker_is_reported_with_its_exit_code(zygote):
    worker = loaded(zygote)
    with pytest.raises(WorkerCrashed) as crash:
        call(worker, "die")
    assert crash.value.reason == "exit code 3"


def test_an_output_flood_is_truncated_and_does_not_block(zygote):
    worker = loaded(zygote)
    assert call(worker, "flood", seconds=10)["value"] == "done"
    worker.close()
    text, truncated = worker.output
    assert truncated and len(text.encode()) <= zygote.limits.output_bytes


def test_a_memory_hog_gets_a_memory_error(zygote):
    worker = loaded(zygote)
    answer = call(worker, "hog")
    assert answer["ok"] is False and answer["error"]["type"] == "MemoryError"
    worker.close()


def test_the_strongest_isolation_this_machine_allows_is_in_force(zygote):
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("not root, or no unshare(1) to tell what this machine allows")
    allowed = subprocess.run(["unshare", "--mount", "--net", "--pid", "--fork", "true"]).returncode == 0
    assert zygote.isolation == ("namespaces+user" if allowed else "user")


def test_isolation_hides_solutions_and_network_and_drops_root(zygote):
    if zygote.isolation not in ("namespaces+user", "namespaces"):
        pytest.skip(f"isolation level here is {zygote.isolation!r}: no namespaces to test")
    worker = loaded(zygote)
    solutions = zygote.hidden[0]
    assert os.listdir(solutions), "the trusted side sees the solutions"
    assert call(worker, "peek", solutions)["value"] == []
    assert call(worker, "peek", str(Path(solutions).parent / ".git"))["value"] == []
    project = Path(solutions).parent
    assert call(worker, "peek", str(project / "examples"))["value"] == [], "only the code workers need"
    assert call(worker, "peek", str(project / "graders"))["value"], "the engine is there"
    code_under_tmp = {Path(p).resolve().parts[2] for p in (solutions, sys.prefix) if Path(p).resolve().parts[1] == "tmp"}
    assert set(call(worker, "peek", "/tmp")["value"]) == {"work"} | code_under_tmp, "a private /tmp"
    assert call(worker, "connect")["ok"] is False
    uid, pid = call(worker, "whoami")["value"]
    assert pid == 1
    if os.geteuid() == 0:
        assert uid == 65534
    worker.close()


def test_a_fork_bomb_hits_the_process_limit(zygote):
    worker = loaded(zygote)
    answer = call(worker, "fork_many", 500)
    assert answer["ok"] is False and answer["error"]["type"] in ("BlockingIOError", "OSError")
    worker.close()


def test_processes_left_behind_die_with_the_worker(zygote):
    if zygote.isolation not in ("namespaces+user", "namespaces"):
        pytest.skip(f"isolation level here is {zygote.isolation!r}: no PID namespace")
    before = set(os.listdir("/proc"))
    worker = loaded(zygote)
    assert call(worker, "leave_child")["ok"]
    worker.close()
    time.sleep(0.2)
    sleepers = [p for p in set(os.listdir("/proc")) - before if p.isdigit() and _is_zygote_child(p)]
    assert sleepers == []


def _is_zygote_child(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"graders.engine.sandbox.zygote" in handle.read()
    except OSError:
        return False


def test_a_renewed_session_loads_the_code_again_in_the_same_worker(zygote):
    # a check marked fresh (TensorFlow's tf.function checks) needs new function objects and
    # globals, not a new process: the worker loads the submission again into a new namespace
    from graders.engine.grading import runner, submission

    code = "calls = []\n\ndef bump():\n    calls.append(1)\n    return len(calls)\n"
    session = runner.Session(zygote, submission.Submission("alice", "alice.py", (("alice.py", code),)))
    try:
        assert [session.call("bump", (), {}, 2) for _ in range(2)] == [1, 2]
        pid = session.worker.pid
        session.renew()
        assert session.call("bump", (), {}, 2) == 1
        assert session.worker.pid == pid
    finally:
        session.close()


def test_a_closed_worker_is_reaped_in_the_background_and_the_zygote_waits_for_it():
    with Zygote(preload=(), limits=Limits(call_seconds=2, load_seconds=5)) as zygote:
        workers = [loaded(zygote) for _ in range(3)]
        for worker in workers:
            worker.close()
            worker.close()  # twice is harmless
        fresh = loaded(zygote)
        assert call(fresh, "double", 4)["value"] == 8
        fresh.close()
    assert not any(w.alive for w in workers + [fresh])  # closing the zygote waited for every reaper
    for worker in workers + [fresh]:
        with pytest.raises(ProcessLookupError):
            os.kill(worker.pid, 0)  # gone, and reaped: no zombie left behind
