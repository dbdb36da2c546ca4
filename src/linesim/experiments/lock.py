"""A lock file on an output folder: two sweeps writing into one folder would run the same
runs twice. The lock is an advisory ``flock`` on ``FOLDER/.lock`` (released by the kernel
when its process ends, even by ``kill -9``, so a crash never leaves a stale lock)."""

from __future__ import annotations

import os
from pathlib import Path

from ..scenario.load import ScenarioError

try:
    import fcntl
except ImportError:  # Windows: no flock; the lock is not taken there
    fcntl = None  # type: ignore[assignment]


class FolderLock:
    """Context manager holding the lock on ``folder``; raises :class:`ScenarioError` naming
    the folder (and the holder's process id) if another process holds it."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".lock"
        self._fd: int | None = None

    def __enter__(self) -> "FolderLock":
        if fcntl is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ScenarioError(str(self.path.parent), [
                f"another linesim process (pid {holder}) is writing here; wait for it to "
                "finish or use another --out"]) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
