"""Shared fixtures of the command-line tests.

Two styles: a real subprocess (``sys.executable -m linesim.cli``: exit code, stderr without a
traceback) and ``linesim.cli.main([...])`` in this process (fast; output via capsys).
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from linesim.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"

#: the run every --json / --out test looks at: short, but with real intervals
RUN_ARGS = ["--replications", "3", "--days", "3", "--seed", "11", "--json"]


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linesim.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT)


def assert_clean_failure(proc_or_err: subprocess.CompletedProcess | str, *fragments: str) -> str:
    """Exit 2 (when a process), no traceback, and every fragment in stderr."""
    if isinstance(proc_or_err, subprocess.CompletedProcess):
        assert proc_or_err.returncode == 2, proc_or_err.stderr
        assert proc_or_err.stdout == ""
        err = proc_or_err.stderr
    else:
        err = proc_or_err
    assert "Traceback" not in err, err
    assert err.strip(), "an error must say something"
    for f in fragments:
        assert f in err, f"{f!r} not in:\n{err}"
    return err


@pytest.fixture
def baseline_path() -> Path:
    return BASELINE


@pytest.fixture(name="run_cli")
def _run_cli_fixture():
    """``run_cli(*args)``: run ``python -m linesim.cli *args`` -> CompletedProcess."""
    return run_cli


@pytest.fixture(name="clean_failure")
def _clean_failure_fixture():
    """``clean_failure(proc or stderr, *fragments)``: exit 2, no traceback, fragments said."""
    return assert_clean_failure


@pytest.fixture(scope="session")
def json_run() -> subprocess.CompletedProcess:
    """``linesim run baseline.yaml -r 3 --days 3 --json`` in a subprocess, on 2 workers."""
    return run_cli("run", BASELINE, *RUN_ARGS, "--workers", "2")


@pytest.fixture(scope="session")
def out_run(tmp_path_factory) -> tuple[int, dict, Path]:
    """The same run in this process on 1 worker, with ``--out``: (exit code, JSON, out dir)."""
    out = tmp_path_factory.mktemp("out") / "tables"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["run", str(BASELINE), *RUN_ARGS, "--workers", "1", "--out", str(out)])
    return code, json.loads(buf.getvalue()), out
