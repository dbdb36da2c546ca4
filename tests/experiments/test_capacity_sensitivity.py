"""Capacity sensitivity and active-period shares over replications."""

from __future__ import annotations

import pytest

import linesim
from linesim.experiments.bottlenecks import (
    diagnose,
    capacity_sensitivity,
    scaled,
    with_capacity,
)
from linesim.scenario.distributions import Fixed


def line(cycles) -> linesim.Scenario:
    return linesim.scenario_from_dict({
        "name": "serial", "seed": 5, "horizon": {"start": "2023-08-01", "days": 2},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"],
                     "shifts": [{"start": "08:00", "end": "16:00"}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L1", "products": ["A"], "stations": [
            {"name": f"s{i + 1}", "cycle_time": c, "buffer": 3} for i, c in enumerate(cycles)]}],
        "plan": {"L1": {"daily": [{"product": "A", "quantity": 100000}]}},
    })


def test_scaling_a_station_scales_every_cycle_time_distribution():
    assert scaled(Fixed(value=2.2), 1 / 1.1).mean == pytest.approx(2.0)
    logn = {"dist": "lognormal", "mean": 2.0, "spread": 0.5}
    sc = line([1.0, logn])
    faster = with_capacity(sc, "L1", "s2", 1.1)
    st = faster.lines[0].stations[1]
    assert st.cycle_time.mean == pytest.approx(2.0 / 1.1)
    assert st.cycle_time.spread == pytest.approx(0.5 / 1.1)
    assert faster.lines[0].stations[0] == sc.lines[0].stations[0]


def test_capacity_at_the_bottleneck_is_the_only_capacity_that_pays():
    sc = line([1.0, 2.0, 1.2])
    t = capacity_sensitivity(sc, replications=2, workers=1).set_index("station")
    assert t.loc["s2", "rank"] == 1
    # 8 h a day, 2 working days: 480 / 2.0 = 240 a day; 10% more capacity: about 24 a day
    assert t.loc["s2", "gain"] == pytest.approx(48, abs=3)
    assert t.loc["s1", "gain"] == 0 and t.loc["s3", "gain"] == 0
    assert t.loc["s2", "gain_month"] == pytest.approx(t.loc["s2", "gain"] * 21.75 / 2, rel=0.01)


def test_active_period_shares_over_replications_name_the_slowest_station():
    exp = lambda m: {"dist": "exponential", "mean": m}  # noqa: E731
    d = diagnose(line([exp(1.0), exp(1.6), exp(1.0)]), replications=2, workers=1)
    table, summary = d.table, d.summary
    assert set(table["replication"]) == {0, 1}
    wf = d.waterfall
    assert wf.loc[wf["kind"] == "good", "units"].sum() > 0
    assert d.to_dict()["bottlenecks"][1]["station"] == "s2"
    top = summary[summary["rank"] == 1]
    assert list(top["station"]) == ["s2"]
    assert summary["shifts_as_bottleneck"].sum() == 4  # 2 days x 2 replications
