"""Atomic file writes: a crash or kill never leaves a half-written result file.

Each file is written to a temporary file in the same directory (``.NAME.XXXX.tmp``), flushed
and fsynced, given mode 0644, then moved over the target with :func:`os.replace` (atomic on
POSIX and Windows); the directory is fsynced so that the rename survives a power cut.
A temporary file left by a kill is never mistaken for a result (it starts with a dot and
ends in ``.tmp``); :func:`remove_stale_temps` clears them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

#: permissions of every file linesim writes (rw-r--r--)
FILE_MODE = 0o644


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on some systems (Windows): the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_file_atomic(path: str | Path, write_to: Callable[[Path], None]) -> Path:
    """Write ``path`` atomically: ``write_to(tmp)`` writes the whole file at the temporary
    path ``tmp`` (any writer that takes a path: pandas, pyarrow, matplotlib), which is then
    fsynced and moved over ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write_to(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def write_atomic(path: str | Path, write: Callable[[IO[str]], None]) -> Path:
    """Write a text file atomically: ``write(f)`` fills a temporary text file (UTF-8) that
    then replaces ``path``."""
    def write_to(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            write(f)
    return write_file_atomic(path, write_to)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically."""
    return write_atomic(path, lambda f: f.write(text))


def remove_stale_temps(folder: str | Path) -> int:
    """Remove the temporary files that a killed writer left in ``folder``; returns how many."""
    n = 0
    for tmp in Path(folder).glob(".*.tmp"):
        try:
            tmp.unlink()
            n += 1
        except FileNotFoundError:  # another process cleared it first
            pass
    return n
