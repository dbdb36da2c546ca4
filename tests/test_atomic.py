"""Atomic writes: whole file or the old one, fsynced before the rename, mode 0644."""

from __future__ import annotations

import os

import pytest

from linesim import atomic
from linesim.atomic import remove_stale_temps, write_file_atomic, write_text_atomic


def test_writes_the_text_with_mode_644_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        f = write_text_atomic(tmp_path / "sub" / "a.json", "{}\n")
    finally:
        os.umask(old)
    assert f.read_text() == "{}\n" and oct(f.stat().st_mode & 0o777) == "0o644"
    assert os.listdir(tmp_path / "sub") == ["a.json"]


def test_a_failing_writer_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("old")

    def half(tmp):
        tmp.write_text("ha")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_file_atomic(f, half)
    assert f.read_text() == "old" and os.listdir(tmp_path) == ["a.csv"]


def test_the_file_is_fsynced_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(atomic.os, "replace",
                        lambda a, b: (events.append("replace"), real_replace(a, b)))
    write_text_atomic(tmp_path / "a.txt", "x")
    assert events[:2] == ["fsync", "replace"]


def test_stale_temps_are_removed(tmp_path):
    (tmp_path / ".p1.parquet.x1.tmp").write_text("half")
    (tmp_path / "p1.parquet").write_text("whole")
    assert remove_stale_temps(tmp_path) == 1
    assert os.listdir(tmp_path) == ["p1.parquet"]
