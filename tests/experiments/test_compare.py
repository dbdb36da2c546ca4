"""Countermeasure comparisons: paired gains, Shapley shares, economics, errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT, small_line

import linesim
from linesim.cli import main
from linesim.experiments.compare import compare
from linesim.scenario.countermeasure import Countermeasure, apply, load_countermeasure


def cm(name, *changes, one_off=0.0, monthly=0.0):
    return Countermeasure(name=name, changes=list(changes), one_off_cost=one_off,
                          monthly_cost=monthly)


@pytest.fixture(scope="module")
def stochastic():
    return linesim.scenario_from_dict(small_line())


def two_lines():
    """Two independent deterministic lines: effects on them add up exactly."""
    line = lambda name, c: {"name": name, "products": ["A"], "stations": [  # noqa: E731
        {"name": "s1", "cycle_time": c, "buffer": 2}, {"name": "s2", "cycle_time": 1.0}]}
    return linesim.scenario_from_dict({
        "name": "additive", "horizon": {"start": "2023-08-01", "days": 3},
        "calendar": {"shifts": [{"start": "08:00", "end": "18:00"}]},
        "economics": {"margin_per_unit": 10},
        "products": [{"name": "A"}],
        "lines": [line("L1", 2.0), line("L2", 4.0)],
        "plan": {"L1": {"daily": [{"product": "A", "quantity": 100000}]},
                 "L2": {"daily": [{"product": "A", "quantity": 100000}]}},
    })


def test_a_countermeasure_that_changes_nothing_gains_exactly_zero(stochastic):
    nothing = cm("nothing")
    same = cm("same value", {"path": "lines[L1].stations[s1].buffer", "set": 2})
    faster = cm("faster", {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.9})
    res = compare(stochastic, [nothing, same, faster], replications=4, workers=1)
    assert (res.gains["nothing"] == 0).all()
    assert (res.gains["same value"] == 0).all()
    assert (res.shapley_table["nothing"] == 0).all()
    assert (res.gains["faster"] != 0).any()


def test_known_additive_effects_are_recovered():
    sc = two_lines()
    m1 = cm("L1 twice as fast", {"path": "lines[L1].stations[s1].cycle_time", "set": 1.0},
            one_off=1000)
    m2 = cm("L2 faster", {"path": "lines[L2].stations[s1].cycle_time", "set": 2.0},
            monthly=50)
    res = compare(sc, [m1, m2], replications=3, workers=1)
    per_month = res.per_month
    # L1: bottleneck 2.0 -> 1.0 min: 300 -> 600 a day; L2: 4.0 -> 2.0: 150 -> 300 a day
    day1 = (600 - 300) * 3
    day2 = (300 - 150) * 3
    g = res.gains
    assert g["L1 twice as fast"].tolist() == pytest.approx([day1 * per_month] * 3, abs=3 * per_month)
    assert g["L2 faster"].tolist() == pytest.approx([day2 * per_month] * 3, abs=3 * per_month)
    assert g["combined"].to_numpy() == pytest.approx((g["L1 twice as fast"] + g["L2 faster"]).to_numpy())
    t = res.table
    assert t.loc["L1 twice as fast", "shapley"] == pytest.approx(t.loc["L1 twice as fast", "gain"])
    assert t.loc["L2 faster", "shapley"] == pytest.approx(t.loc["L2 faster", "gain"])
    # economics: net = gain x margin - running cost; payback = one-off / net per working day
    net = t.loc["L2 faster", "gain"] * 10 - 50
    assert t.loc["L2 faster", "monthly_net"] == pytest.approx(net)
    wd = res.working_days_per_month
    assert t.loc["L1 twice as fast", "payback_days"] == pytest.approx(
        1000 / (t.loc["L1 twice as fast", "monthly_net"] / wd))


@pytest.mark.parametrize("exact_max", [8, 0])
def test_shapley_shares_sum_to_the_combined_gain(stochastic, exact_max):
    ms = [cm("a", {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.85}),
          cm("b", {"path": "lines[L1].stations[*].buffer", "add": 2}),
          cm("c", {"path": "lines[L1].stations[s1].failures[0].ttr.mean", "scale": 0.5})]
    res = compare(stochastic, ms, replications=4, workers=1, exact_max=exact_max)
    assert res.exact == (exact_max >= 3)
    total = res.shapley_table.sum(axis=1).to_numpy()
    assert total == pytest.approx(res.gains["combined"].to_numpy(), abs=1e-6)
    t = res.table
    assert t["shapley"].sum() == pytest.approx(res.combined[0], abs=1e-6)


@pytest.mark.slow
def test_pairing_narrows_the_interval(stochastic):
    m = cm("faster s2", {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.95})
    res = compare(stochastic, [m], replications=8, workers=1)
    assert res.table.loc["faster s2", "pairing_ratio"] > 2
    # the same variant on other seeds: the independent difference is much noisier
    variant = apply(stochastic, [m])
    paired = res.gains["faster s2"].to_numpy()
    indep = np.array([
        linesim.simulate(variant, 1000 + r).kpis["units"] - linesim.simulate(stochastic, r).kpis["units"]
        for r in range(8)]) * res.per_month
    assert indep.std(ddof=1) > 2 * paired.std(ddof=1)


def test_results_do_not_depend_on_the_number_of_workers(stochastic):
    ms = [cm("a", {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.85}),
          cm("b", {"path": "lines[L1].stations[*].buffer", "add": 2})]
    one = compare(stochastic, ms, replications=3, workers=1)
    two = compare(stochastic, ms, replications=3, workers=2)
    assert one.to_dict() == two.to_dict()


def test_precision_adds_replications_up_to_the_cap(stochastic):
    m = cm("tiny", {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.999})
    res = compare(stochastic, [m], replications=2, workers=1, precision=0.01,
                  max_replications=5)
    assert res.replications == 5
    runs = {(s, r) for s, r in res.runs}
    assert len(runs) == len(res.runs)  # never the same subset and seed twice


def test_conflicting_countermeasures_are_an_error_naming_both(stochastic):
    a = cm("a", {"path": "lines[L1].stations[s2].buffer", "set": 3}).model_copy(
        update={"source": "a.yaml"})
    b = cm("b", {"path": "lines[*].stations[*].buffer", "set": 5}).model_copy(
        update={"source": "b.yaml"})
    with pytest.raises(linesim.ScenarioError) as exc:
        compare(stochastic, [a, b], replications=2, workers=1)
    msg = str(exc.value)
    assert "a.yaml" in msg and "b.yaml" in msg and "lines[L1].stations[s2].buffer" in msg


def test_bad_countermeasure_file_names_file_and_field(tmp_path, capsys):
    f = tmp_path / "bad.yaml"
    f.write_text("name: bad\nchanges:\n  - {path: 'lines[L1].stations[laser welding].cycle_time.mean',"
                 " scale: -2}\n")
    assert main(["compare", str(ROOT / "scenarios" / "baseline.yaml"), str(f), "-r", "2",
                 "-w", "1", "--days", "1"]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "changes[0].scale" in err and "Traceback" not in err
    g = tmp_path / "wrong_field.yaml"
    g.write_text("name: wrong\nchanges:\n  - {path: 'lines[L1].stations[laser welding].cycle_tme', set: 2}\n")
    assert main(["compare", str(ROOT / "scenarios" / "baseline.yaml"), str(g), "-r", "2",
                 "-w", "1", "--days", "1"]) == 2
    err = capsys.readouterr().err
    assert "wrong_field.yaml" in err and "cycle_tme" in err and "cycle_time" in err


def test_shipped_countermeasures_load_and_apply(baseline):
    files = sorted((ROOT / "scenarios" / "countermeasures").glob("*.yaml"))
    assert len(files) >= 12
    measures = [load_countermeasure(f) for f in files]
    combined = apply(baseline, measures)  # no conflicts, a valid scenario
    assert combined != baseline
    for m in measures:
        assert m.description and m.one_off_cost + m.monthly_cost > 0 or m.measure == "3.4"
        assert apply(baseline, [m]) != baseline


@pytest.mark.slow
def test_cli_compare_json(tmp_path):
    cms = [str(ROOT / "scenarios" / "countermeasures" / f) for f in
           ("prekit.yaml", "laser-fixture.yaml")]
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "linesim.cli", "compare",
                           str(ROOT / "scenarios" / "baseline.yaml"), *cms, "-r", "3",
                           "--days", "3", "--workers", "2", "--json", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"base", "countermeasures", "combined"}
    assert {"mean", "ci_low", "ci_high"} <= set(data["base"]["units"])
    for c in data["countermeasures"]:
        assert set(c) >= {"name", "gain_units", "shapley_units", "one_off_cost", "monthly_net",
                          "payback_days"}
        assert set(c["gain_units"]) == {"mean", "ci_low", "ci_high"}
    total = sum(c["shapley_units"]["mean"] for c in data["countermeasures"])
    assert total == pytest.approx(data["combined"]["gain_units"]["mean"])
    assert (out / "countermeasures.csv").exists() and (out / "comparison.json").exists()


def test_monthly_figures_scale_by_the_calendars_working_days():
    """A Mon-Fri plant has about 21.7 working days a month, whatever period was simulated."""
    from linesim.experiments.economics import working_days_per_month
    from linesim.scenario.patch import with_values

    sc = with_values(two_lines(), {"calendar.workdays": ["mon", "tue", "wed", "thu", "fri"]})
    assert working_days_per_month(sc) == pytest.approx(21.75, abs=0.1)
    six = with_values(sc, {"calendar.workdays": ["mon", "tue", "wed", "thu", "fri", "sat"]})
    assert working_days_per_month(six) == pytest.approx(26.08, abs=0.1)
    m = cm("faster", {"path": "lines[L2].stations[s1].cycle_time", "set": 2.0}, one_off=5000,
           monthly=100)
    res = compare(sc, [m], replications=2, workers=1)
    measured = res.runs[frozenset(), 0]["working_days"]
    assert res.per_month == pytest.approx(working_days_per_month(sc) / measured)
    t = res.table.loc["faster"]
    # deterministic: the interval collapses and payback/NPV follow from the monthly net
    assert t["payback_low"] == pytest.approx(t["payback_days"])
    assert t["payback_months"] == pytest.approx(t["payback_days"] / res.working_days_per_month)
    assert t["npv"] == pytest.approx(t["monthly_net"] * res.appraisal.annuity - 5000)


def test_payback_interval_follows_the_net_interval_and_ranking_is_by_net_value():
    from linesim.experiments.economics import Appraisal, payback_interval

    assert payback_interval(1000, (50.0, -10.0, 100.0), 20.0) == (400.0, 200.0, math.inf)
    assert Appraisal(0.0, 12).annuity == 12
    assert Appraisal(0.08, 12).annuity < 12
    sc = two_lines()
    cheap = cm("cheap small", {"path": "lines[L2].stations[s1].cycle_time", "set": 3.5},
               one_off=10)
    dear = cm("dear big", {"path": "lines[L1].stations[s1].cycle_time", "set": 1.0},
              one_off=20000)
    t = compare(sc, [cheap, dear], replications=2, workers=1).table
    assert t.loc["cheap small", "payback_days"] < t.loc["dear big", "payback_days"]
    assert t.loc["dear big", "monthly_net"] > 2 * t.loc["cheap small", "monthly_net"]
    assert t.loc["dear big", "rank"] == 1  # the larger net value ranks first
