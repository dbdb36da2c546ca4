"""Root causes of the constraint's starved and blocked time, and 4M1E categories."""

from __future__ import annotations

import pytest
from helpers import check_invariants

import linesim
from linesim.results.losses import CATEGORIES


def three_stations(fail_at: str, clock="calendar"):
    sts = [{"name": "up", "cycle_time": 0.5, "buffer": 1},
           {"name": "neck", "cycle_time": 1.0, "buffer": 1},
           {"name": "down", "cycle_time": 0.5}]
    for s in sts:
        if s["name"] == fail_at:
            s["failures"] = [{"ttf": 100, "ttr": 50, "clock": clock}]
    return linesim.scenario_from_dict({
        "name": "rc", "horizon": {"start": "2023-08-01", "days": 2},
        "calendar": {"shifts": [{"start": "08:00", "end": "18:00"}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": sts}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}},
    })


@pytest.mark.parametrize("fail_at, via", [("up", "starved"), ("down", "blocked")])
def test_neighbour_failure_is_the_root_cause(fail_at, via):
    res = linesim.simulate(three_stations(fail_at), 1)
    wf = res.waterfall
    routed = wf[wf.via == via]
    st = res.states.set_index(["station", "state"])["minutes"]
    assert st["neck", via] > 100
    # nearly all of it is charged to the failure of the neighbour (machine); the rest is
    # the neighbour's first half-minute cycle after each repair (line balance, method)
    fail = routed[routed.step == "failure"]
    assert set(fail.station) == {fail_at} and set(fail.category) == {"machine"}
    assert fail.units.sum() > 0.97 * routed.units.sum()
    assert set(routed.step) <= {"failure", "line_balance"}
    assert routed.units.sum() == pytest.approx(st["neck", via] / 1.0)
    assert res.record.lines[0].rootcause  # minutes were charged
    assert sum(res.record.lines[0].rootcause.values()) == pytest.approx(
        st["neck", "starved"] + st["neck", "blocked"])
    check_invariants(res)


def test_root_causes_sum_to_starved_and_blocked_on_a_stochastic_line(small):
    res = linesim.simulate(small, 8)
    ln = res.record.lines[0]
    c = ln.stations[ln.constraint]
    charged = sum(ln.rootcause.values())
    assert charged == pytest.approx(c.minutes["starved"] + c.minutes["blocked"], rel=1e-9)
    cats = res.loss_categories
    assert set(cats) == set(CATEGORIES)
    assert sum(cats.values()) == pytest.approx(sum(res.losses.values()), rel=1e-12)
    check_invariants(res)


def test_json_has_loss_categories_and_escalations(small):
    out = linesim.replicate(small, 2, seed=1).to_dict()
    assert set(out["loss_categories"]) == set(CATEGORIES)
    assert set(out["escalations"]) == {"1", "2", "3", "4"}


def test_mean_losses_count_a_cause_missing_from_a_run_as_zero(small):
    reps = linesim.replicate(small, 3, seed=2)
    runs = [r.losses for r in reps.runs]
    for cause, mean in reps.losses.items():
        assert mean == pytest.approx(sum(r.get(cause, 0.0) for r in runs) / 3)
    assert sum(reps.losses) == pytest.approx(sum(reps.loss_categories))
