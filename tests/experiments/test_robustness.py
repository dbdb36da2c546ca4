"""Robustness of a ranking: ranges files, one-at-a-time and joint designs, known answers on a
deterministic line, the CLI and its errors."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT

import linesim
from linesim.cli import main
from linesim.experiments.robustness import design, robustness
from linesim.scenario.countermeasure import Countermeasure
from linesim.scenario.load import ScenarioError
from linesim.scenario.ranges import Ranges, load_ranges

DAYS = 3
MINUTES = 600  # 08:00-18:00


def line(c1: float = 1.2) -> linesim.Scenario:
    """A deterministic two-station line: s1 takes c1 minutes, s2 (the constraint) 2."""
    return linesim.scenario_from_dict({
        "name": "two stations", "seed": 3, "horizon": {"start": "2023-08-01", "days": DAYS},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "08:00", "end": "18:00"}]},
        "economics": {"margin_per_unit": 5},
        "products": [{"name": "A"}],
        "lines": [{"name": "L1", "products": ["A"], "stations": [
            {"name": "s1", "cycle_time": c1, "buffer": 2}, {"name": "s2", "cycle_time": 2.0}]}],
        "plan": {"L1": {"daily": [{"product": "A", "quantity": 100000}]}},
    })


FAST = Countermeasure(name="fast s2", monthly_cost=20000, changes=[
    {"path": "lines[L1].stations[s2].cycle_time.value", "scale": 0.5}])
CHEAP = Countermeasure(name="cheap s2", changes=[
    {"path": "lines[L1].stations[s2].cycle_time.value", "scale": 0.9}])
RANGES = Ranges(name="test", parameters=[
    {"name": "s1 cycle", "path": "lines[L1].stations[s1].cycle_time.value", "low": 1.0, "high": 1.6,
     "source": "test"},
    {"name": "margin", "path": "economics.margin_per_unit", "low": 1, "high": 10,
     "source": "test"},
])


@pytest.fixture(scope="module")
def res():
    return robustness(line(), [FAST, CHEAP], RANGES, replications=2, samples=8,
                      nominal_replications=3, workers=1, oat_replications=2)


def per_month(units_per_day: float) -> float:
    return units_per_day * 365.25 / 12


def test_design_has_nominal_two_ends_per_parameter_and_a_latin_hypercube():
    pts = design(RANGES, 8, seed=1)
    assert [p.kind for p in pts[:5]] == ["nominal", "low", "high", "low", "high"]
    joint = [dict(p.position) for p in pts if p.kind == "joint"]
    assert len(joint) == 8
    for name in ("s1 cycle", "margin"):
        # Latin hypercube: one point in each eighth of every range
        assert sorted(int(8 * j[name]) for j in joint) == list(range(8))
    assert design(RANGES, 8, seed=1) == pts and design(RANGES, 8, seed=2) != pts


def test_tornado_matches_the_line_rates(res):
    t = res.tornado.set_index(["measure", "parameter"])
    fast = t.loc[("fast s2", "s1 cycle")]
    # with s2 at 1 min, s1 becomes the constraint: gain = 600/c1 - 600/2 units a day
    assert fast["gain_low"] == pytest.approx(per_month(MINUTES / 1.0 - MINUTES / 2), rel=0.03)
    assert fast["gain_high"] == pytest.approx(per_month(MINUTES / 1.6 - MINUTES / 2), rel=0.03)
    assert fast["gain_nominal"] == pytest.approx(per_month(MINUTES / 1.2 - MINUTES / 2), rel=0.03)
    cheap = t.loc[("cheap s2", "s1 cycle")]
    # s2 at 1.8 min stays the constraint whatever s1 does (at most 1.6): no swing
    assert cheap["swing"] == pytest.approx(0, abs=per_month(2))
    # the margin does not change any unit: exactly no swing (the same runs are reused)
    assert t.loc[("fast s2", "margin"), "swing"] == 0
    assert t.loc[("cheap s2", "margin"), "swing"] == 0
    # a deterministic line: the replications agree, so the noise band is empty
    assert (res.tornado["noise"] == 0).all()


def test_one_replication_a_point_gives_a_noise_band_that_holds_the_effects_too():
    one = robustness(line(), [FAST, CHEAP], RANGES, replications=2, samples=4,
                     nominal_replications=3, workers=1, oat_replications=1)
    t = one.tornado.set_index(["measure", "parameter"])
    # the same gains as with two replications (a deterministic line) ...
    assert t.loc[("fast s2", "s1 cycle"), "gain_low"] == pytest.approx(
        per_month(MINUTES / 1.0 - MINUTES / 2), rel=0.03)
    # ... but the band comes from across the points, where s1's own effect counts as spread
    assert t.loc[("fast s2", "s1 cycle"), "noise"] > 0
    assert not one.control("oat").within and one.control("joint").within


def test_flips_are_found_where_the_economics_say(res):
    s = res.summary
    assert s["nominal_first"] == "fast s2"
    d = res.drivers.set_index("parameter")
    # net = gain x margin - 20,000: at margin 1 the cheap measure wins; at s1 = 1.6 min the
    # fast one gains only 75 units a day, 11,400 a month at margin 5: the cheap one wins
    assert d.at["margin", "first_at_low"] == "cheap s2"
    assert d.at["margin", "first_at_high"] == ""
    assert d.at["s1 cycle", "first_at_high"] == "cheap s2"
    assert d.at["s1 cycle", "first_at_low"] == ""
    assert d.at["margin", "spearman_rho"] > 0 > d.at["s1 cycle", "spearman_rho"]
    # a deterministic line has no noise: both flips are clear; p-values are adjusted upward
    assert d.at["margin", "first_at_low_clear"] and d.at["s1 cycle", "first_at_high_clear"]
    assert (d["p_adjusted"] >= d["p_value"]).all()
    # a deterministic line has no noise: noise alone always keeps the first place
    assert s["noise_floor_first_kept"] == 1.0
    assert 0 < s["share_first_kept"] < 1


def test_rank_stability_counts_the_joint_points(res):
    rs = res.rank_stability.set_index("measure")
    assert rs["share_first"].sum() == pytest.approx(1.0)
    assert (rs["share_top3"] == 1.0).all()  # two measures: both always in the top three
    t = res.table
    assert len(t) == len(res.points) * 2


def test_identical_scenarios_run_once_and_results_do_not_depend_on_workers(res):
    calls = []
    again = robustness(line(), [FAST, CHEAP], RANGES, replications=2, samples=8,
                       nominal_replications=3, workers=2, progress=calls.append,
                       oat_replications=2)
    assert again.table.equals(res.table)
    # 3 variants (base, fast, cheap) x (nominal 3 reps + s1 low/high and 8 joint points, 2
    # reps each); the margin's one-at-a-time points reuse the nominal runs
    assert sum(calls) == 3 * 3 + 3 * 2 * (2 + 8)


def test_ranges_file_errors_name_the_field(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("name: r\nparameters:\n"
                 "  - {name: a, path: x.y, low: 2, high: 1, source: because}\n"
                 "  - {name: b, path: x.y, scale: [0.5, 2], low: 1, source: because}\n"
                 "  - {name: c, path: x.y, low: 1, high: 2}\n")
    with pytest.raises(ScenarioError) as exc:
        load_ranges(f)
    text = str(exc.value)
    assert str(f) in text
    assert "parameters[0]" in text and "low (2.0) must be below high (1.0)" in text
    assert "parameters[1]" in text and "either low and high" in text
    assert "parameters[2].source" in text


def test_a_path_missing_from_the_base_is_named_before_any_run(tmp_path, capsys):
    f = tmp_path / "r.yaml"
    f.write_text("name: r\nparameters:\n"
                 "  - {name: ghost, path: 'lines[L9].stations[s1].buffer', low: 1, high: 3,"
                 " source: test}\n")
    base = tmp_path / "base.yaml"
    base.write_text(json.dumps(linesim.scenario.patch.scenario_data(line())))
    cm = tmp_path / "cm.yaml"
    cm.write_text("name: cm\nchanges: [{path: 'lines[L1].stations[s2].cycle_time.value', scale: 0.5}]\n")
    assert main(["robustness", str(base), str(cm), "--ranges", str(f), "-w", "1"]) == 2
    err = capsys.readouterr().err
    assert "parameters[ghost]" in err and "L9" in err and "Traceback" not in err


def test_shipped_ranges_apply_to_the_baseline():
    from linesim.experiments.robustness import check_ranges

    from linesim.scenario.countermeasure import load_countermeasure

    ranges = load_ranges(ROOT / "scenarios" / "uncertainty.yaml")
    base = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    measures = [load_countermeasure(p)
                for p in sorted((ROOT / "scenarios" / "countermeasures").glob("*.yaml"))]
    check_ranges(base, ranges, "uncertainty.yaml", measures)  # raises with every bad path
    names = {m.name for m in measures}
    assert all(set(p.countermeasures) <= names for p in ranges.parameters)
    assert all(len(p.source.split()) >= 3 for p in ranges.parameters)


@pytest.mark.slow
def test_cli_writes_tables_and_figures(tmp_path, capsys):
    ranges = tmp_path / "r.yaml"
    ranges.write_text("name: r\nparameters:\n"
                      "  - {name: absence, path: workforce.absenteeism, low: 0.0, high: 0.03,"
                      " source: test}\n")
    cms = [str(ROOT / "scenarios" / "countermeasures" / f"{n}.yaml")
           for n in ("prekit", "relief-pool")]
    out, plots = tmp_path / "out", tmp_path / "plots"
    code = main(["robustness", str(ROOT / "scenarios" / "baseline.yaml"), *cms, "--ranges",
                 str(ranges), "--days", "3", "--samples", "3", "--nominal-replications", "3",
                 "-w", "2", "--out", str(out), "--plots", str(plots)])
    assert code == 0
    text = capsys.readouterr().out
    assert "First place at the nominal point" in text and "absence" in text
    for name in ("points.csv", "gains.csv", "tornado.csv", "rank_stability.csv", "drivers.csv",
                 "robustness.json"):
        assert (out / name).stat().st_size > 0
    pngs = sorted(p.name for p in plots.glob("*.png"))
    assert pngs == ["rank_shares.png", "tornado_pre-kit-next-day.png", "tornado_relief-pool.png"]


def test_a_whole_number_field_without_integer_is_reported_before_any_run(tmp_path):
    from linesim.experiments.robustness import check_ranges
    from linesim.scenario.load import ScenarioError

    f = tmp_path / "r.yaml"
    f.write_text("name: r\nparameters:\n  - {name: pickers, path: materials.warehouse.pickers,"
                 " low: 6, high: 12, source: a test range}\n")
    base = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    with pytest.raises(ScenarioError, match=r"parameters\[pickers\] at 8.622.*whole number"):
        check_ranges(base, load_ranges(f))


BOUND = Ranges(name="bound", parameters=[
    {"name": "s1 cycle", "path": "lines[L1].stations[s1].cycle_time.value", "low": 1.0,
     "high": 1.6, "source": "test"},
    {"name": "fast s2 cycle", "countermeasures": "fast s2",
     "path": "lines[L1].stations[s2].cycle_time.value", "low": 0.9, "high": 1.4,
     "source": "the measure's own effect, a test range"},
    {"name": "ghost measure", "countermeasures": ["not compared"],
     "path": "lines[L1].stations[s2].buffer", "low": 1, "high": 3, "source": "test"},
])


def test_a_parameter_of_a_countermeasure_moves_only_that_measure():
    calls = []
    res = robustness(line(), [FAST, CHEAP], BOUND, replications=2, samples=4,
                     nominal_replications=3, workers=1, progress=calls.append)
    t = res.tornado.set_index(["measure", "parameter"])
    # the fast measure's s2 at 1.4 min stays the constraint: 600/1.4 - 600/2 units a day
    fast = t.loc[("fast s2", "fast s2 cycle")]
    assert fast["gain_high"] == pytest.approx(per_month(MINUTES / 1.4 - MINUTES / 2), rel=0.03)
    # ... at 0.9 min s1 (1.2 min) is the constraint
    assert fast["gain_low"] == pytest.approx(per_month(MINUTES / 1.2 - MINUTES / 2), rel=0.03)
    assert t.loc[("cheap s2", "fast s2 cycle"), "swing"] == 0  # the other measure: untouched
    assert res.left_out == ("ghost measure",)
    assert "ghost measure" in res.summary["left_out"]
    assert "ghost measure" not in set(res.tornado["parameter"])
    # the base and the cheap measure at the bound parameter's ends are the nominal runs:
    # 3 x 3 nominal + s1 ends 3 x 2 x 1 + fast ends 1 x 2 x 1 + joint 3 x 4 x 2
    assert sum(calls) == 9 + 6 + 2 + 24


def test_a_parameter_of_a_countermeasure_is_checked_on_that_measure(tmp_path):
    from linesim.experiments.robustness import check_ranges

    bad = Ranges(name="bad", parameters=[
        {"name": "fast typo", "countermeasures": "fast s2",
         "path": "lines[L1].stations[s9].cycle_time.value", "low": 1, "high": 2,
         "source": "test"}])
    with pytest.raises(ScenarioError, match=r"parameters\[fast typo\].*s9"):
        check_ranges(line(), bad, "r.yaml", [FAST, CHEAP])


def test_a_mode_gathers_the_joint_points_around_it():
    r = Ranges(name="m", parameters=[
        {"name": "a", "path": "economics.margin_per_unit", "low": 0, "high": 10, "mode": 0,
         "source": "a test range"},
        {"name": "b", "path": "economics.margin_per_unit", "low": 0, "high": 10,
         "source": "a test range"}])
    pts = design(r, 300, seed=1)
    a = [dict(p.position)["a"] for p in pts if p.kind == "joint"]
    b = [dict(p.position)["b"] for p in pts if p.kind == "joint"]
    assert sum(a) / 300 == pytest.approx(1 / 3, abs=0.01)  # triangular(0, 0, 1): mean 1/3
    assert sum(b) / 300 == pytest.approx(1 / 2, abs=0.01)  # uniform
    # still a Latin hypercube: one point in each 1/300 of the triangular CDF 1 - (1 - x)^2
    assert sorted(int(300 * (1 - (1 - x) ** 2)) for x in a) == list(range(300))
    # the one-at-a-time points stay at the ends
    assert [dict(p.position)["a"] for p in pts if p.parameter == "a"] == [0.0, 1.0]


def test_a_mode_outside_the_range_is_named(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("name: r\nparameters:\n  - {name: a, path: x.y, scale: [0.5, 2], mode: 3,"
                 " source: a test range}\n")
    with pytest.raises(ScenarioError, match=r"parameters\[0\].*mode \(3.0\) must lie"):
        load_ranges(f)
