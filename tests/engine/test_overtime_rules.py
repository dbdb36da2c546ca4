"""The seed's overtime rules for until_plan overtime: uniform for the section, a monthly
cap. Known answers."""

from __future__ import annotations

import pytest
from helpers import check_invariants

import linesim


def plant(overtime: dict, days: int = 3, quantities=(700, 500)):
    """Two lines of one station (cycle 1 min), a 10-hour shift (600 units a day)."""
    return linesim.scenario_from_dict({
        "name": "ot", "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "08:00", "end": "18:00"}],
                     "overtime": overtime},
        "products": [{"name": "A"}],
        "lines": [{"name": n, "products": ["A"], "stations": [{"name": "s", "cycle_time": 1.0}]}
                  for n in ("L1", "L2")],
        "plan": {n: {"daily": [{"product": "A", "quantity": q}]}
                 for n, q in zip(("L1", "L2"), quantities)},
    })


def _on_minutes(res, line):
    st = res.states.query("line == @line").set_index("state")["minutes"]
    return st.drop(["off_shift", "break"], errors="ignore").sum()


def test_until_plan_alone_keeps_only_the_late_line_on():
    res = linesim.simulate(plant({"mode": "until_plan", "max_hours": 3}), 1)
    assert _on_minutes(res, "L1") == pytest.approx(3 * 700)  # 100 minutes over each day
    assert _on_minutes(res, "L2") == pytest.approx(3 * 600)
    check_invariants(res)


def test_uniform_overtime_keeps_every_line_on_while_one_is_late():
    res = linesim.simulate(plant({"mode": "until_plan", "max_hours": 3, "uniform": True}), 1)
    assert _on_minutes(res, "L1") == pytest.approx(3 * 700)
    assert _on_minutes(res, "L2") == pytest.approx(3 * 700)  # waits with no plan
    st = res.states.query("line == 'L2'").set_index("state")["minutes"]
    assert st["no_plan"] == pytest.approx(3 * 200)
    assert res.kpis["units"] == 3 * (700 + 500)
    check_invariants(res)


def test_monthly_cap_limits_the_overtime_hours():
    """Plans of 1,000 a day need 400 minutes over the shift; the day's cap is 3 hours and
    the month's 5 hours: 180 + 120 + 0 minutes over three days."""
    ot = {"mode": "until_plan", "max_hours": 3, "max_hours_per_month": 5}
    res = linesim.simulate(plant(ot, quantities=(1000, 1000)), 1)
    assert res.kpis["units"] == 2 * (3 * 600 + 300)
    assert _on_minutes(res, "L1") == pytest.approx(3 * 600 + 300)
    check_invariants(res)


@pytest.mark.parametrize("rule", [{"uniform": True}, {"max_hours_per_month": 10}])
def test_the_rules_need_until_plan(rule):
    with pytest.raises(linesim.ScenarioError, match="overtime"):
        plant({"mode": "fixed", "hours": 1, **rule})


def test_a_new_month_brings_new_hours():
    ot = {"mode": "until_plan", "max_hours": 3, "max_hours_per_month": 3}
    sc = plant(ot, days=3, quantities=(1000, 1000))
    sc = sc.model_copy(update={"horizon": sc.horizon.model_copy(
        update={"start": sc.horizon.start.replace(day=30)})})  # 30, 31 August, 1 September
    res = linesim.simulate(sc, 1)
    # 30 August uses August's hours (180), 31 August none, 1 September 180 again
    assert _on_minutes(res, "L1") == pytest.approx(3 * 600 + 360)
