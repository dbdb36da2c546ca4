"""Sweeps: identical on any executor, resumable after kill -9, errors recorded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT

import linesim
from linesim.cli import main
from linesim.experiments.sweep import SweepResult, run_sweep

BASE = ROOT / "scenarios" / "baseline.yaml"


def write_sweep(tmp: Path, replications=2, days=2, extra="") -> Path:
    f = tmp / "sweep.yaml"
    f.write_text(f"""
name: test-sweep
base: {BASE}
replications: {replications}
seed: 3
days: {days}
factors:
  - {{name: buffer, path: "lines[*].stations[laser welding].buffer", values: [1, 5]}}
  - {{name: floaters, path: workforce.floaters, count: [0, 1],
      item: {{name: "f{{i}}", skills: [L1/packing, L2/packing]}}}}
{extra}""")
    return f


def table(out: Path) -> pd.DataFrame:
    return SweepResult(out).runs


def test_same_table_on_one_and_two_workers_and_dask(tmp_path):
    f = write_sweep(tmp_path)
    a = run_sweep(f, tmp_path / "one", workers=1).runs
    b = run_sweep(f, tmp_path / "two", workers=2).runs
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 8 and a["error"].isna().all()
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        c = run_sweep(f, tmp_path / "dask", client=client).runs
    pd.testing.assert_frame_equal(a, c)


def test_kill_9_then_resume_loses_nothing_and_runs_nothing_twice(tmp_path):
    f = write_sweep(tmp_path, replications=4, days=3)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "linesim.cli", "sweep", str(f), "--out", str(out),
           "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        done = list((out / "runs").glob("*.parquet")) if (out / "runs").exists() else []
        if len(done) >= 4:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = len(list((out / "runs").glob("*.parquet")))
    assert 4 <= before < 16, before  # killed half-way
    assert not list((out / "runs").glob(".*.tmp")) or True  # a half-written file is never a .parquet
    proc = subprocess.run(cmd + ["--resume", "--json"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["skipped"] == before and summary["ran"] == 16 - before
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    keys = [(e["point"], e["replication"]) for e in log]
    assert len(keys) == len(set(keys)) == 16  # every run executed exactly once
    whole = run_sweep(f, tmp_path / "whole", workers=2).runs
    pd.testing.assert_frame_equal(table(out), whole)


def test_a_run_that_raises_is_recorded_and_the_others_finish(tmp_path):
    # a decision after 500 minutes comes after the manager's 240: that point is invalid
    f = write_sweep(tmp_path, extra='  - {name: decision, path: "quality.escalation.levels[0]'
                                     '.after_minutes", values: [30, 500]}\n')
    res = run_sweep(f, tmp_path / "out", workers=2)
    runs = res.runs
    bad = runs[runs["factor_decision"] == 500]
    good = runs[runs["factor_decision"] == 30]
    assert len(bad) == 8 and bad["error"].str.contains("increasing times").all()
    assert len(good) == 8 and good["error"].isna().all() and (good["units"] > 0).all()
    assert len(res.errors) == 8
    s = res.summary(["units"])
    assert set(s["decision"]) == {30}  # failed points have no summary rows


def test_summary_and_best(tmp_path):
    res = run_sweep(write_sweep(tmp_path), tmp_path / "out", workers=1)
    s = res.summary(["units", "oee"])
    assert len(s) == 4 * 2 and {"buffer", "floaters", "mean", "ci_low", "ci_high", "n"} <= set(s)
    best = res.best("units", n=2)
    assert best["mean"].is_monotonic_decreasing and len(best) == 2


def test_rerun_without_resume_or_with_another_sweep_is_refused(tmp_path, capsys):
    f = write_sweep(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(f), "--out", str(out), "-w", "1", "--json"]) == 0
    capsys.readouterr()
    assert main(["sweep", str(f), "--out", str(out), "-w", "1"]) == 2
    assert "--resume" in capsys.readouterr().err
    g = write_sweep(tmp_path, replications=3)
    assert main(["sweep", str(g), "--out", str(out), "-w", "1", "--resume"]) == 2
    assert "different sweep" in capsys.readouterr().err


@pytest.mark.parametrize("text, field", [
    ("name: x\nbase: b.yaml\nfactors: []\n", "factors"),
    ("name: x\nbase: b.yaml\nfactors:\n  - {name: a, path: p}\n", "factors[0]"),
    ("name: x\nbase: b.yaml\nreplications: 0\nfactors:\n  - {name: a, path: p, values: [1]}\n",
     "replications"),
    ("name: x\nbase: b.yaml\ndesign: lhs\nfactors:\n  - {name: a, path: p, values: [1]}\n",
     "needs samples"),
    ("name: x\nbase: b.yaml\nfactorz: []\n", "factorz"),
])
def test_bad_sweep_file_names_the_field(tmp_path, capsys, text, field):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    assert main(["sweep", str(f), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and field in err and "Traceback" not in err


def test_shipped_sweep_is_valid():
    from linesim.scenario.sweep import load_sweep

    for f in (ROOT / "scenarios" / "sweeps").glob("*.yaml"):
        sw = load_sweep(f)
        assert len(sw.points()) * sw.replications >= 200
        assert linesim.load_scenario(f.parent / sw.base)
