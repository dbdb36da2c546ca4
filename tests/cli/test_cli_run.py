"""``linesim run``: the JSON object, the tables written by --out, the report, bad flags."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from linesim.cli import main
from linesim.scenario.load import read_yaml

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"

LINES = ["L1", "L2", "L3", "L4", "L5"]


def _is_interval(v) -> bool:
    return (isinstance(v, dict) and set(v) == {"mean", "ci_low", "ci_high"}
            and all(x is None or isinstance(x, (int, float)) for x in v.values()))


# ------------------------------------------------------------------------------ --json


def test_json_run_succeeds_cleanly(json_run):
    assert json_run.returncode == 0, json_run.stderr
    assert "Traceback" not in json_run.stderr
    json.loads(json_run.stdout)  # the whole of stdout is one JSON object


def test_json_has_plant_kpis_with_intervals(json_run):
    out = json.loads(json_run.stdout)
    assert out["scenario"] == "baseline" and out["seed"] == 11 and out["replications"] == 3
    kpis = out["kpis"]
    assert {"units", "oee"} <= set(kpis)
    assert all(_is_interval(v) for v in kpis.values()), kpis
    for name in ("units", "oee", "availability", "performance", "quality"):
        k = kpis[name]
        assert k["ci_low"] <= k["mean"] <= k["ci_high"], name
    assert kpis["units"]["mean"] > 0
    assert 0 < kpis["oee"]["mean"] <= 1
    assert kpis["units"]["ci_low"] < kpis["units"]["ci_high"]  # 3 replications really differ


def test_json_has_every_line_in_the_same_shape(json_run):
    out = json.loads(json_run.stdout)
    assert list(out["lines"]) == LINES
    for name, kpis in out["lines"].items():
        assert {"units", "oee"} <= set(kpis), name
        assert all(_is_interval(v) for v in kpis.values()), name
        assert 0 < kpis["oee"]["mean"] <= 1
    total = sum(kpis["units"]["mean"] for kpis in out["lines"].values())
    assert total == pytest.approx(out["kpis"]["units"]["mean"])


def test_json_losses_map_causes_to_units(json_run):
    losses = json.loads(json_run.stdout)["losses"]
    assert isinstance(losses, dict) and losses
    assert all(isinstance(k, str) and k for k in losses)
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in losses.values())
    assert losses["failure"] > 0  # the baseline has breakdowns on every line


def test_result_does_not_depend_on_worker_count(json_run, out_run):
    code, in_process, _ = out_run
    assert code == 0
    assert json.loads(json_run.stdout) == in_process  # 2 workers (subprocess) == 1 worker


def test_default_seed_is_the_scenarios(capsys):
    assert main(["run", str(BASELINE), "-r", "1", "--days", "1", "--workers", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seed"] == read_yaml(BASELINE)["seed"] == 20230815
    assert out["replications"] == 1


def test_same_seed_same_result_other_seed_other_result(capsys):
    def run(seed):
        assert main(["run", str(BASELINE), "-r", "2", "--days", "1", "-w", "1", "--json",
                     "--seed", str(seed)]) == 0
        return json.loads(capsys.readouterr().out)
    a, b, c = run(5), run(5), run(6)
    assert a == b
    assert a["kpis"]["units"] != c["kpis"]["units"]


def test_days_flag_shortens_the_horizon(capsys):
    def units(days):
        assert main(["run", str(BASELINE), "-r", "1", "--days", str(days), "-w", "1", "--json"]) == 0
        return json.loads(capsys.readouterr().out)["kpis"]["units"]["mean"]
    one, two = units(1), units(2)
    assert 0 < one < two


# ------------------------------------------------------------------------------ --out

TABLES = ["kpis.csv", "summary.csv", "line_summary.csv", "line_kpis.csv", "losses.csv",
          "waterfall.csv", "states.csv", "output.csv", "summary.json", "first_pass.csv",
          "batches.csv", "plan_attainment.csv", "stoppages.csv", "backup_decisions.csv",
          "replans.csv", "material_waits.csv"]


def test_out_writes_every_table_and_nothing_else(out_run):
    _, _, out = out_run
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLES)  # no temporary files left


def test_first_pass_and_batches_are_written_for_every_replication(out_run):
    _, _, out = out_run
    fp = pd.read_csv(out / "first_pass.csv")
    batches = pd.read_csv(out / "batches.csv")
    reps = sorted(pd.read_csv(out / "kpis.csv")["replication"])
    assert sorted(fp["replication"].unique()) == reps == sorted(batches["replication"].unique())
    assert ((fp["fpy"] >= 0) & (fp["fpy"] <= 1)).all()
    assert (batches["failures"] <= batches["finished"]).all()


def test_summary_json_is_the_printed_json(out_run):
    _, printed, out = out_run
    assert json.loads((out / "summary.json").read_text()) == printed


def test_csv_tables_agree_with_the_json(out_run):
    _, js, out = out_run
    summary = pd.read_csv(out / "summary.csv", index_col=0)
    for kpi, v in js["kpis"].items():
        for col in ("mean", "ci_low", "ci_high"):
            if v[col] is None:
                assert math.isnan(summary.loc[kpi, col])
            else:
                assert summary.loc[kpi, col] == pytest.approx(v[col]), (kpi, col)
    assert (summary["n"] == 3).all()

    kpis = pd.read_csv(out / "kpis.csv", index_col=0)
    assert list(kpis.index) == [0, 1, 2]
    assert kpis["units"].mean() == pytest.approx(js["kpis"]["units"]["mean"])
    assert kpis["oee"].mean() == pytest.approx(js["kpis"]["oee"]["mean"])

    ls = pd.read_csv(out / "line_summary.csv", index_col=[0, 1])
    for line, k in js["lines"].items():
        assert ls.loc[(line, "units"), "mean"] == pytest.approx(k["units"]["mean"])
        assert ls.loc[(line, "oee"), "mean"] == pytest.approx(k["oee"]["mean"])

    lk = pd.read_csv(out / "line_kpis.csv")
    assert len(lk) == 3 * len(LINES)
    assert lk.groupby("line")["units"].mean().to_dict() == pytest.approx(
        {line: k["units"]["mean"] for line, k in js["lines"].items()})

    losses = pd.read_csv(out / "losses.csv", index_col=0)
    assert len(losses) == 3
    assert losses.mean().to_dict() == pytest.approx(js["losses"])


def test_output_and_states_tables_are_consistent(out_run):
    _, _, out = out_run
    kpis = pd.read_csv(out / "kpis.csv", index_col=0)
    output = pd.read_csv(out / "output.csv")
    assert {"line", "product", "day", "date", "good_units", "planned_units", "replication"} <= set(output)
    per_rep = output.groupby("replication")["good_units"].sum()
    assert per_rep.to_dict() == kpis["units"].to_dict()

    states = pd.read_csv(out / "states.csv")
    per_station = states.groupby(["line", "station"])["minutes"].sum()
    assert len(per_station) == 29
    assert per_station.to_numpy() == pytest.approx(3 * 1440)  # 3 days, no warm-up

    wf = pd.read_csv(out / "waterfall.csv")
    assert {"line", "step", "kind", "units"} <= set(wf)


# --------------------------------------------------------------------------- report


def test_human_report(capsys, tmp_path):
    code = main(["run", str(BASELINE), "-r", "2", "--days", "1", "-w", "1", "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("linesim run: baseline  (seed 20230815, 2 replications, 2023-08-01 + 1 days")
    for text in ("Plant", "good units", "OEE", "95% interval", "Where the capacity went",
                 "= good units", *LINES):
        assert text in out, text
    assert out.rstrip().endswith(f"Tables written to {tmp_path / 'o'}/")
    assert (tmp_path / "o" / "summary.json").is_file()


# ------------------------------------------------------------------------ bad flags


@pytest.mark.slow
@pytest.mark.parametrize("args, flag, says", [
    (["--replications", "0"], "--replications", "must be between 1 and 10000, got 0"),
    (["--replications", "abc"], "--replications", "must be a whole number, got 'abc'"),
    (["--days", "100000"], "--days", "must be between 1 and 3660, got 100000"),
    (["--seed", "-1"], "--seed", "must be between 0 and 9223372036854775807, got -1"),
])
def test_bad_flags_subprocess(run_cli, clean_failure, args, flag, says):
    proc = run_cli("run", BASELINE, *args)
    clean_failure(proc, f"argument {flag}", f"{flag} {says}")


@pytest.mark.parametrize("args, says", [
    (["-r", "10001"], "--replications must be between 1 and 10000, got 10001"),
    (["-r", "1.5"], "--replications must be a whole number, got '1.5'"),
    (["--days", "0"], "--days must be between 1 and 3660, got 0"),
    (["--seed", "abc"], "--seed must be a whole number, got 'abc'"),
    (["--seed", str(2**63)], "--seed must be between 0 and 9223372036854775807"),
    (["--workers", "0"], "--workers must be between 1 and 256, got 0"),
    (["-w", "x"], "--workers must be a whole number, got 'x'"),
    (["--reps", "3"], "unrecognized arguments: --reps 3"),
    (["--json=yes"], "--json: ignored explicit argument 'yes'"),
])
def test_bad_flags_in_process(capsys, clean_failure, args, says):
    with pytest.raises(SystemExit) as e:
        main(["run", str(BASELINE), *args])
    assert e.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    clean_failure(captured.err, says)


def test_days_that_make_the_scenario_invalid(tmp_path, capsys):
    f = tmp_path / "warm.yaml"
    f.write_text(BASELINE.read_text().replace("warmup_days: 0", "warmup_days: 2"))
    assert main(["run", str(f), "--days", "2", "-r", "1", "-w", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("linesim: --days: 1 problem(s)\n"
                            "  horizon: warmup_days (2.0) must be < days (2)\n")


def test_out_is_an_existing_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["run", str(BASELINE), "-r", "1", "--days", "1", "-w", "1", "--out", str(f)]) == 2
    assert capsys.readouterr().err == f"linesim: error: --out {f}: exists and is not a directory\n"
    assert f.read_text() == "x"


def test_out_cannot_be_created_fails_before_running(tmp_path, capsys, monkeypatch):
    from linesim.cli import run as cli

    def no_run(*a, **k):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the runs started although --out cannot be written")
    monkeypatch.setattr(cli, "replicate", no_run)
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "sub"
    assert main(["run", str(BASELINE), "-r", "1", "--days", "1", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"linesim: error: --out {target}: cannot create the directory: ")
    assert "Traceback" not in err


def test_interrupt_exits_130(monkeypatch, capsys):
    from linesim.cli import run as cli

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "replicate", interrupted)
    assert main(["run", str(BASELINE), "-r", "1", "--days", "1"]) == 130
    assert capsys.readouterr().err == "linesim: interrupted\n"
