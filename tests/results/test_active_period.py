"""Active-period bottleneck detection on reference cases with a known bottleneck."""

from __future__ import annotations

import pytest

import linesim
from linesim.results.bottlenecks import (
    bottleneck_summary,
    bottlenecks,
    momentary,
    shift_bottleneck,
    sole_and_shifting,
)


def serial(cycle, buffers=2, days=2, **extra) -> linesim.Scenario:
    stations = [{"name": f"s{i + 1}", "cycle_time": c, "buffer": buffers}
                for i, c in enumerate(cycle)]
    data = {
        "name": "serial", "seed": 3, "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"name": "early", "start": "06:00", "end": "14:00"},
                                {"name": "late", "start": "14:00", "end": "22:00"}]},
        "products": [{"name": "A"}, {"name": "B"}],
        "lines": [{"name": "L1", "products": ["A", "B"], "stations": stations}],
        "plan": {"L1": {"daily": [{"product": "A", "quantity": 100000}]}},
    }
    data.update(extra)
    return linesim.scenario_from_dict(data)


def test_two_overlapping_active_periods_are_a_shift_from_one_to_the_other():
    # station 0 active 0-10, station 1 active 8-20: 1 takes over at 8 (its period is longer)
    segs = momentary([[(0.0, 10.0)], [(8.0, 20.0)]], 0.0, 30.0)
    assert segs == [(0, 0.0, 10.0, 0.0, 8.0), (1, 8.0, 20.0, 8.0, 20.0)]
    sole, shifting = sole_and_shifting(segs, 2)
    assert sole == [8.0, 10.0]
    assert shifting == [2.0, 2.0]


def test_deterministic_serial_line_slowest_station_is_the_sole_bottleneck():
    run = linesim.simulate(serial([1.0, 2.0, 1.5]), event_log=True)
    table = bottlenecks(run)
    assert set(table["shift"]) == {"early", "late"}
    assert len(table) == 2 * 2 * 3  # days x shifts x stations
    s = bottleneck_summary(table).set_index("station")
    assert s.loc["s2", "rank"] == 1
    assert s.loc["s2", "sole_share"] > 0.95
    assert s.loc[["s1", "s3"], "share"].max() < 0.05
    assert (shift_bottleneck(table)["station"] == "s2").all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stochastic_serial_line_slowest_station_is_found(seed):
    exp = lambda m: {"dist": "exponential", "mean": m}  # noqa: E731
    run = linesim.simulate(serial([exp(1.0), exp(1.5), exp(1.0)], buffers=3), seed=seed,
                           event_log=True)
    s = bottleneck_summary(bottlenecks(run)).set_index("station")
    assert s.loc["s2", "rank"] == 1
    assert s.loc["s2", "share"] > 0.5
    assert s.loc["s2", "share"] > 2 * s.loc[["s1", "s3"], "share"].max()


def test_bottleneck_moves_between_two_stations_at_a_known_shift():
    """Product A is slow at s1, product B at s2; the plan switches from A to B on the
    third day, so the bottleneck moves from s1 to s2 at the third day's early shift."""
    sc = serial([1.0, 1.0], days=4)
    data = sc.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    st = data["lines"][0]["stations"]
    st[0]["cycle_times"] = {"A": 2.0}
    st[1]["cycle_times"] = {"B": 2.0}
    b = [{"product": "B", "quantity": 100000}]
    data["plan"]["L1"]["dates"] = {"2023-08-03": b, "2023-08-04": b}
    data["lines"][0]["changeover"] = {"default": 0}
    run = linesim.simulate(linesim.scenario_from_dict(data), event_log=True)
    top = shift_bottleneck(bottlenecks(run))
    assert list(top["station"]) == ["s1"] * 4 + ["s2"] * 4
    assert list(top["shift"]) == ["early", "late"] * 4


def test_needs_an_event_log():
    run = linesim.simulate(serial([1.0, 2.0]))
    with pytest.raises(ValueError, match="event_log"):
        bottlenecks(run)
