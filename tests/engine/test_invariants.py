"""Invariants on every shipped scenario and on a small stochastic line."""

from __future__ import annotations

import pytest
from helpers import SCENARIOS, check_invariants, small_line

import linesim


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
