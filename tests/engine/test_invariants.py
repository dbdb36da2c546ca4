"""Invariants on every shipped scenario and on a small stochastic line."""

from __future__ import annotations

import math

import pytest
from helpers import SCENARIOS, small_line

import linesim
from linesim.results.losses import line_waterfall


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
    assert k["oee"] == pytest.approx(k["availability"] * k["performance"] * k["quality"], rel=1e-12)
    assert res.output["good_units"].sum() == k["units"]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
@pytest.mark.parametrize("seed", [1, 2])
def test_shipped_scenarios_keep_invariants(path, seed):
    sc = linesim.load_scenario(path)
    check_invariants(linesim.simulate(sc, seed))


@pytest.mark.parametrize("warmup", [0, 0.5, 1])
def test_small_line_invariants_with_warmup(warmup):
    data = small_line()
    data["horizon"] = {"start": "2023-08-01", "days": 3, "warmup_days": warmup}
    res = linesim.simulate(linesim.scenario_from_dict(data), 3)
    check_invariants(res)
    assert res.record.end - res.record.start == pytest.approx((3 - warmup) * 1440)
    if warmup:
        assert res.record.lines[0].wip_start > 0  # the line was full when measuring began


def test_every_state_can_occur_and_failures_are_counted(small):
    res = linesim.simulate(small, 11)
    st = res.states.set_index(["station", "state"])["minutes"]
    for state in ("working", "failed", "changeover", "starved", "blocked", "rework"):
        assert st.xs(state, level="state").sum() > 0, state
    assert all(s.failures > 0 for s in res.record.lines[0].stations)
