"""Confinement of a freshly forked worker (runs in the child, before any student code).

Levels, strongest first (see README, "Security"):

    namespaces+user  root: private mount, network and PID namespaces; solutions/, the submissions and
                     the output folder covered by empty tmpfs mounts; a private /tmp; then the
                     process drops to the unprivileged user ``nobody``.
    namespaces       not root, user namespaces allowed: the same namespaces, inside a user namespace.
    user             root but no namespaces: only the drop to ``nobody``; solutions/ is readable if
                     its files are world-readable.
    none             nothing beyond resource limits: student code can read solutions/.

Resource limits (address space, CPU seconds, file size, open files), a new session, a scrubbed
environment and no stdin apply at every level.
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import time
from dataclasses import dataclass

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
CGROUP_ROOT = "/sys/fs/cgroup"
NOBODY = 65534
WORKDIR = "/tmp/work"

_libc = ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class Limits:
    """Per-worker limits. Seconds are wall-clock per request; the CPU limit is per worker."""

    call_seconds: float = 10.0
    load_seconds: float = 20.0
    address_space: int = 2 << 30
    cpu_seconds: int = 300
    file_size: int = 16 << 20
    open_files: int = 64
    tmpfs_size: str = "64m"
    output_bytes: int = 16 << 10
    processes: int = 64  #: processes and threads of one worker (cgroup pids.max; else RLIMIT_NPROC)


def confine(limits: Limits, hidden: list[str], level: str) -> None:
    """Confine this process at ``level`` (as probed by :func:`probe`). With namespaces, this
    forks: the caller's process becomes a relay that waits for the confined PID-1 child and exits
    with its status, and only the child returns from this call."""
    os.setsid()
    counted = os.geteuid() == 0 and _join_cgroups(os.getpid(), limits)
    if level in ("namespaces+user", "namespaces"):
        _enter_namespaces(user_namespace=(level == "namespaces"))
        _become_pid_one()
        _mount_private(hidden, limits.tmpfs_size)
    else:
        os.makedirs(WORKDIR, mode=0o700, exist_ok=True)
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # setuid programs cannot raise privileges again
    if level in ("namespaces+user", "user"):
        os.chown(WORKDIR, NOBODY, NOBODY)
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    os.chdir(WORKDIR)
    _set_limits(limits, per_user_processes=not counted)
    _scrub_environment()


#: The isolation levels, strongest first.
LEVELS = ("namespaces+user", "namespaces", "user", "none")


def probe(ceiling: str = LEVELS[0]) -> str:
    """The strongest level this machine allows, no stronger than ``ceiling``, found by trying it in
    a throw-away child."""
    for level in LEVELS[LEVELS.index(ceiling):]:
        if level in ("namespaces+user", "user") and os.geteuid() != 0:
            continue  # both drop from root to nobody
        pid = os.fork()
        if pid == 0:
            try:
                if level != "none":
                    confine(Limits(), [], level)
                os._exit(0)
            except BaseException:  # noqa: BLE001
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        remove_cgroups(pid)
        if os.waitstatus_to_exitcode(status) == 0:
            return level
    return "none"


def _cgroup_dirs(pid: int) -> list[str]:
    """The per-worker cgroups (v1 memory and pids hierarchies, or one v2 group) for ``pid``."""
    v1 = [f"{CGROUP_ROOT}/{c}/dlgrade/{pid}" for c in ("memory", "pids") if os.path.isdir(f"{CGROUP_ROOT}/{c}")]
    if v1:
        return v1
    if os.path.exists(f"{CGROUP_ROOT}/cgroup.controllers"):
        return [f"{CGROUP_ROOT}/dlgrade/{pid}"]
    return []


def _join_cgroups(pid: int, limits: Limits) -> bool:
    """Put this worker in its own cgroups: one memory limit and one process limit for everything
    it starts (rlimits are per process). Best effort; returns whether a pids limit is in force."""
    values = {"memory.limit_in_bytes": limits.address_space, "memory.memsw.limit_in_bytes": limits.address_space,
              "memory.max": limits.address_space, "memory.swap.max": 0, "pids.max": limits.processes}
    counted = False
    for folder in _cgroup_dirs(pid):
        try:
            os.makedirs(folder, exist_ok=True)
            for name, value in values.items():
                if os.path.exists(f"{folder}/{name}"):
                    _write(f"{folder}/{name}", str(value))
            _write(f"{folder}/cgroup.procs", str(pid))
            counted = counted or os.path.exists(f"{folder}/pids.max")
        except OSError:
            continue
    return counted


def remove_cgroups(pid: int, wait: float = 2.0) -> None:
    """Remove an ended worker's cgroups (trusted side). A group stays busy while its last
    processes are still being torn down, so this retries for up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    for folder in _cgroup_dirs(pid):
        while os.path.isdir(folder):
            try:
                os.rmdir(folder)
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)


def prune_cgroups() -> None:
    """Remove the empty cgroups of workers that ended without cleanup (e.g. a killed run)."""
    for parent in {os.path.dirname(f) for f in _cgroup_dirs(0)}:
        for name in os.listdir(parent) if os.path.isdir(parent) else ():
            if name.isdigit():
                try:
                    os.rmdir(os.path.join(parent, name))
                except OSError:
                    pass


def _enter_namespaces(user_namespace: bool) -> None:
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID
    uid, gid = os.geteuid(), os.getegid()
    if user_namespace:
        flags |= CLONE_NEWUSER
    if _libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    if user_namespace:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")


def _become_pid_one() -> None:
    """Fork into the new PID namespace. The parent relays the child's exit status; when the child
    (PID 1 there) dies, the kernel kills everything the student started inside."""
    child = os.fork()
    if child:
        signal.signal(signal.SIGTERM, lambda *_: os.kill(child, signal.SIGKILL))
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        os._exit(code if code >= 0 else 128 - code)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc")  #: shared read-only system folders


def _mount_private(hidden: list[str], tmpfs_size: str) -> None:
    """Build a new root that holds only what the worker's code needs, read-only (system folders,
    Python, the virtual environment, the project without ``hidden``), plus a private /tmp, a
    fresh /proc and /dev; then chroot into it. Nothing else on the machine is visible: not
    solutions/, not another checkout of them, not the submissions, not the output folder."""
    if _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "cannot make / private")
    keep = [p for p in SYSTEM + tuple(_code_paths()) if os.path.lexists(p)]
    handles = {p: os.open(p, os.O_PATH | os.O_NOFOLLOW) for p in keep if not os.path.islink(p)}
    links = {p: os.readlink(p) for p in keep if os.path.islink(p)}
    devices = os.open("/dev", os.O_PATH | os.O_DIRECTORY)
    _mount_tmpfs("/tmp", f"size={tmpfs_size},mode=0755")
    new_root = "/tmp/root"
    for path, target in links.items():
        os.makedirs(os.path.dirname(new_root + path), exist_ok=True)
        os.symlink(target, new_root + path)
    for path, handle in sorted(handles.items()):
        _bind(handle, new_root + path, read_only=True)
    _bind(devices, new_root + "/dev", read_only=False)
    _mount_tmpfs(new_root + "/dev/shm", "size=1m,mode=1777")
    os.makedirs(new_root + "/tmp", exist_ok=True)  # exists already when the project lives under /tmp
    os.chmod(new_root + "/tmp", 0o1777)
    os.makedirs(new_root + "/proc")
    if _libc.mount(b"proc", (new_root + "/proc").encode(), b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
        raise OSError(ctypes.get_errno(), "cannot mount /proc")
    for path in hidden:
        if os.path.isdir(new_root + path):
            _mount_tmpfs(new_root + path, "size=1m,mode=0555")
    os.chroot(new_root)
    os.makedirs(WORKDIR, mode=0o700)


def _bind(handle: int, target: str, read_only: bool) -> None:
    """Bind-mount the folder open as ``handle`` (an O_PATH descriptor) on ``target``."""
    os.makedirs(target, exist_ok=True)
    source = f"/proc/self/fd/{handle}".encode()
    if _libc.mount(source, target.encode(), None, MS_BIND | MS_REC, None) != 0:
        raise OSError(ctypes.get_errno(), f"cannot bind {target}")
    flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
    if read_only and _libc.mount(None, target.encode(), None, flags, None) != 0:
        raise OSError(ctypes.get_errno(), f"cannot make {target} read-only")
    os.close(handle)


def _code_paths() -> list[str]:
    """Folders the worker's own code lives in: the engine and grader suites, the student-side
    package, the virtual environment and Python. Not the rest of the project (examples, tests,
    solutions, git history)."""
    project = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))))
    code = (os.path.join(project, "graders"), os.path.join(project, "assignments"), sys.prefix, sys.base_prefix)
    return sorted({os.path.realpath(p) for p in code})


def _mount_tmpfs(path: str, options: str) -> None:
    if _libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options.encode()) != 0:
        raise OSError(ctypes.get_errno(), f"cannot mount tmpfs on {path}")


def _set_limits(limits: Limits, per_user_processes: bool) -> None:
    """Per-process limits. RLIMIT_NPROC counts every process of the user (all workers share
    nobody), so it is the fallback for a worker without its own pids cgroup."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.address_space, limits.address_space))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if per_user_processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


def _scrub_environment() -> None:
    # One thread per worker for the numeric libraries (a class runs one worker per core): TensorFlow's
    # own pools (read at its first op) otherwise take some 10% more CPU for the same work.
    keep = {"PATH": "/usr/bin:/bin", "HOME": WORKDIR, "TMPDIR": WORKDIR, "LANG": "C.UTF-8",
            "MPLCONFIGDIR": WORKDIR, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}
    os.environ.clear()
    os.environ.update(keep)


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)
