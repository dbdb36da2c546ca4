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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert all(pd.read_parquet(f) is not None for f in (out / "runs").glob("*.parquet"))
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


def test_a_run_that_raises_is_recorded_the_others_finish_and_the_exit_is_1(tmp_path, capsys):
    # each level is valid alone, but a decision after 200 minutes with the manager at 150
    # is not: only that point fails, when it runs
    f = tmp_path / "sweep.yaml"
    f.write_text(f"""
name: combination
base: {BASE}
replications: 2
days: 2
factors:
  - {{name: decision, path: "quality.escalation.levels[0].after_minutes", values: [120, 200]}}
  - {{name: manager, path: "quality.escalation.levels[1].after_minutes", values: [240, 150]}}
""")
    res = run_sweep(f, tmp_path / "out", workers=2)
    runs = res.runs
    bad = (runs["factor_decision"] == 200) & (runs["factor_manager"] == 150)
    assert bad.sum() == 2 and runs.loc[bad, "error"].str.contains("increasing times").all()
    assert runs.loc[~bad, "error"].isna().all() and (runs.loc[~bad, "units"] > 0).all()
    assert len(res.errors) == 2
    s = res.summary(["units"])
    assert len(s) == 3  # failed points have no summary rows
    assert main(["sweep", str(f), "--out", str(tmp_path / "cli"), "-w", "1"]) == 1
    err = capsys.readouterr().err
    assert "2 run(s) failed" in err and "increasing times" in err


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


def _no_runs(out: Path) -> bool:
    return not list(out.glob("runs/*.parquet"))


@pytest.mark.parametrize("factor, words", [
    ('{name: a, path: foo.bar, values: [1, 2]}', ["factors[0] (a): foo.bar = 1", "foo"]),
    ('{name: a, path: "lines[*].stations[winding].buffer", values: [1, 2]}',
     ["factors[0] (a)", "no item named 'winding'"]),
    ('{name: a, path: horizon.days, values: [2, -1]}', ["horizon.days = -1", "must be >= 1"]),
])
def test_a_factor_that_cannot_work_on_the_base_is_refused_before_any_run(tmp_path, capsys,
                                                                          factor, words):
    f = tmp_path / "s.yaml"
    f.write_text(f"name: s\nbase: {BASE}\nreplications: 1\ndays: 1\nfactors:\n  - {factor}\n")
    assert main(["sweep", str(f), "--out", str(tmp_path / "o"), "-w", "1"]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words), err
    assert "Traceback" not in err and _no_runs(tmp_path / "o")


@pytest.mark.parametrize("paths", [
    ("workforce.floaters", "workforce.floaters"),
    ("lines[*].stations[laser welding].buffer", "lines[*].stations[laser welding].buffer"),
    ("quality.escalation", "quality.escalation.levels[0].after_minutes"),
])
def test_two_factors_on_one_field_are_refused(tmp_path, paths):
    from linesim.scenario import ScenarioError
    from linesim.scenario.sweep import load_sweep

    f = tmp_path / "s.yaml"
    f.write_text(f"name: s\nbase: {BASE}\nfactors:\n  - {{name: a, path: '{paths[0]}', "
                 f"values: [1]}}\n  - {{name: b, path: '{paths[1]}', values: [2]}}\n")
    with pytest.raises(ScenarioError) as e:
        load_sweep(f)
    assert "'a'" in str(e.value) and "'b'" in str(e.value) and "same field" in str(e.value)


def test_bad_kpi_and_bad_plots_are_refused_before_any_run(tmp_path, capsys):
    f = write_sweep(tmp_path, replications=1, days=1)
    assert main(["sweep", str(f), "--out", str(tmp_path / "o"), "--kpi", "unitz"]) == 2
    err = capsys.readouterr().err
    assert "unknown KPI 'unitz'" in err and _no_runs(tmp_path / "o")
    plots = tmp_path / "plots.png"
    plots.write_text("a file")
    assert main(["sweep", str(f), "--out", str(tmp_path / "p"), "--plots", str(plots)]) == 2
    err = capsys.readouterr().err
    assert "--plots" in err and "--out" not in err and _no_runs(tmp_path / "p")


def test_lower_is_better_kpis_rank_from_the_smallest(tmp_path, capsys):
    f = write_sweep(tmp_path, replications=1, days=2)
    out = tmp_path / "o"
    res = run_sweep(f, out, workers=1)
    assert res.best("flow_time", n=4)["mean"].is_monotonic_increasing
    assert res.best("units", n=4)["mean"].is_monotonic_decreasing
    assert res.best("units", n=4, largest=False)["mean"].is_monotonic_increasing
    for flags in (["--kpi", "flow_time"], ["--kpi", "units", "--minimise"], ["--kpi=-units"]):
        assert main(["sweep", str(f), "--out", str(out), "--resume", "--json"] + flags) == 0
        best = [b["mean"] for b in json.loads(capsys.readouterr().out)["best"]]
        assert best == sorted(best) and len(best) == 4, flags


def test_count_copies_are_bounded_before_memory_is_used(tmp_path):
    from linesim.scenario import ScenarioError
    from linesim.scenario.sweep import load_sweep

    item = "{name: 'f{i}', skills: [" + ", ".join(["L1/packing"] * 300) + "]}"
    f = tmp_path / "s.yaml"
    f.write_text(f"name: s\nbase: {BASE}\nfactors:\n  - {{name: a, path: workforce.floaters, "
                 f"count: [{', '.join(['1000'] * 100)}], item: {item}}}\n")
    assert f.stat().st_size < 8000
    with pytest.raises(ScenarioError) as e:
        load_sweep(f)
    assert "MB of copies" in str(e.value) and "factors[0]" in str(e.value)


def test_latin_hypercube_takes_count_factors(tmp_path):
    from linesim.scenario.sweep import load_sweep

    f = tmp_path / "s.yaml"
    f.write_text(f"name: s\nbase: {BASE}\ndesign: lhs\nsamples: 6\nfactors:\n"
                 "  - {name: floaters, path: workforce.floaters, count: [0, 1, 2], "
                 "item: {name: 'f{i}', skills: [L1/packing]}}\n"
                 "  - {name: b, path: horizon.days, range: {low: 1, high: 3, integer: true}}\n")
    sw = load_sweep(f)
    pts, sets = sw.points(), sw.settings()
    assert sorted(p["floaters"] for p in pts) == [0, 0, 1, 1, 2, 2]  # one in each stratum
    assert all(len(s["workforce.floaters"]) == p["floaters"] for p, s in zip(pts, sets))


def test_a_copied_sweep_file_names_the_base_path_it_tried(tmp_path, capsys):
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nbase: ../baseline.yaml\nfactors:\n  - {name: a, path: horizon.days, "
                 "values: [1]}\n")
    assert main(["sweep", str(f), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "base: no file '../baseline.yaml'" in err
    assert str((tmp_path.parent / "baseline.yaml").resolve()) in err


def test_resume_reruns_a_truncated_run_file_and_clears_temp_files(tmp_path):
    f = write_sweep(tmp_path, replications=1, days=1)
    out = tmp_path / "o"
    whole = run_sweep(f, out, workers=1).runs
    victim = sorted((out / "runs").glob("*.parquet"))[1]
    victim.write_bytes(victim.read_bytes()[:100])  # a torn write by an older version
    stale = out / "runs" / ".p000000-r00000.parquet.abc.tmp"
    stale.write_bytes(b"half")
    res = run_sweep(f, out, workers=1, resume=True)
    assert res.ran == 1 and res.skipped == 3
    assert not stale.exists()
    pd.testing.assert_frame_equal(res.runs, whole)


def test_run_files_are_mode_644(tmp_path):
    f = write_sweep(tmp_path, replications=1, days=1)
    run_sweep(f, tmp_path / "o", workers=1)
    files = [p for p in (tmp_path / "o").rglob("*") if p.is_file() and p.name != ".lock"]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o644"}


def test_a_truncated_manifest_is_a_clean_error(tmp_path, capsys):
    f = write_sweep(tmp_path, replications=1, days=1)
    out = tmp_path / "o"
    run_sweep(f, out, workers=1)
    (out / "manifest.json").write_text('{"name": "test-sw')
    assert main(["sweep", str(f), "--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert "manifest.json" in err and "cannot be read" in err and "Traceback" not in err


def test_a_second_sweep_into_a_locked_folder_is_refused(tmp_path, capsys):
    from linesim.experiments.lock import FolderLock

    f = write_sweep(tmp_path, replications=1, days=1)
    out = tmp_path / "o"
    out.mkdir()
    with FolderLock(out):
        assert main(["sweep", str(f), "--out", str(out), "-w", "1"]) == 2
    assert "another linesim process" in capsys.readouterr().err and _no_runs(out)
    assert main(["sweep", str(f), "--out", str(out), "-w", "1", "--json"]) == 0  # released


def test_plots_of_a_three_factor_sweep_say_what_they_average(tmp_path, capsys):
    f = tmp_path / "s.yaml"
    f.write_text(f"name: s\nbase: {BASE}\nreplications: 1\ndays: 1\nfactors:\n"
                 "  - {name: a, path: 'lines[*].stations[laser welding].buffer', values: [1, 4]}\n"
                 "  - {name: b, path: horizon.warmup_days, values: [0, 0.5]}\n"
                 "  - {name: c, path: seed, values: [1, 2]}\n")
    plots = tmp_path / "plots"
    assert main(["sweep", str(f), "--out", str(tmp_path / "o"), "-w", "1", "--plots",
                 str(plots)]) == 0
    assert "each cell averages over c" in capsys.readouterr().err
    assert {p.name for p in plots.glob("*.png")} == {"heatmap.png", "lines.png"}
