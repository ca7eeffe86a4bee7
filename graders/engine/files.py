"""Writing files so that a reader, or a run killed half-way, never sees a partial one."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, durable: bool = False) -> Path:
    """Write ``data`` (str as UTF-8, or bytes) to ``path`` atomically and return the path.

    The bytes go to a temporary file in the same folder, which then replaces ``path`` with
    ``os.replace``: readers see the old file or the new one, never a partial one. Missing parent
    folders are created. ``durable=True`` also fsyncs the file before the rename.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
