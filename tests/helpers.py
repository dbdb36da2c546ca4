"""Helpers shared by the test folders: paths and a small stochastic line."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import linesim
from linesim.cli.validate import kind_of
from linesim.results.losses import line_waterfall

ROOT = Path(__file__).resolve().parents[1]
#: the shipped scenario files (scenarios/ also holds the ranges file of linesim robustness)
SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if kind_of(p) == "scenario")


def small_line(**changes) -> dict:
    """A three-station line as scenario data, always on shift unless changed."""
    data = {
        "name": "small",
        "seed": 7,
        "horizon": {"start": "2023-08-01", "days": 3},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "00:00", "end": "24:00"}]},
        "products": [{"name": "A"}, {"name": "B"}],
        "lines": [{
            "name": "L1",
            "products": ["A", "B"],
            "changeover": {"default": 15},
            "stations": [
                {"name": "s1", "cycle_time": {"dist": "exponential", "mean": 1.0}, "buffer": 2,
                 "failures": [{"ttf": {"dist": "exponential", "mean": 100},
                               "ttr": {"dist": "exponential", "mean": 8}}]},
                {"name": "s2", "cycle_time": {"dist": "lognormal", "mean": 1.2, "spread": 0.3},
                 "buffer": 2,
                 "failures": [{"ttf": {"dist": "exponential", "mean": 300},
                               "ttr": {"dist": "exponential", "mean": 20},
                               "clock": "calendar"}]},
                {"name": "s3", "cycle_time": 0.9, "scrap_rate": 0.02, "rework_rate": 0.03,
                 "failures": [{"ttf": {"dist": "exponential", "mean": 200},
                               "ttr": {"dist": "exponential", "mean": 10},
                               "clock": "working"}]},
            ],
        }],
        "plan": {"L1": {"daily": [{"product": "A", "quantity": 600},
                                  {"product": "B", "quantity": 600}]}},
    }
    data.update(changes)
    return data


def check_invariants(res: linesim.RunResult) -> None:
    rec = res.record
    span = rec.end - rec.start
    for ln in rec.lines:
        # units in = out + WIP + scrap
        assert ln.wip_start + ln.started == ln.good + ln.scrapped + ln.wip_end, ln.name
        for st in ln.stations:
            # every server-minute is in exactly one state
            assert math.isclose(sum(st.minutes.values()), st.servers * span, rel_tol=1e-12), st.name
            assert all(v >= -1e-9 for v in st.minutes.values()), st.minutes
        # the waterfall adds up: capacity - losses = good
        capacity, losses = line_waterfall(ln)
        assert capacity - sum(losses.values()) == pytest.approx(ln.good, abs=1e-6)
    shares = res.states.groupby(["line", "station"])["share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0, abs=1e-12)
    wf = res.waterfall
    for line, g in wf.groupby("line"):
        cap = g.loc[g.kind == "capacity", "units"].sum()
        assert cap - g.loc[g.kind == "loss", "units"].sum() == pytest.approx(
            g.loc[g.kind == "good", "units"].sum(), abs=1e-6)
    k = res.kpis
    if k["units"] > 0:
        assert k["oee"] == pytest.approx(k["availability"] * k["performance"] * k["quality"],
                                         rel=1e-12)
    assert res.output["good_units"].sum() == k["units"]
