"""Exact behaviour of shifts, breaks, overtime, plans, changeovers, scrap and servers,
on deterministic lines where the answer is known in advance."""

from __future__ import annotations

import pytest

import linesim


def one_station(cycle=1.0, quantity=100_000, days=1, start="2023-08-01", servers=1,
                calendar=None, plan=None, **station):
    """A one-station line, 2023-08-01 is a Tuesday."""
    cal = calendar or {"shifts": [{"start": "08:00", "end": "18:00"}],
                       "breaks": [{"start": "12:00", "end": "12:30"}]}
    return linesim.scenario_from_dict({
        "name": "one",
        "horizon": {"start": start, "days": days},
        "calendar": cal,
        "products": [{"name": "A"}, {"name": "B"}],
        "lines": [{"name": "L", "products": ["A", "B"], "changeover": {"default": 15},
                   "stations": [{"name": "s", "cycle_time": cycle, "servers": servers, **station}]}],
        "plan": {"L": plan or {"daily": [{"product": "A", "quantity": quantity}]}},
    })


def states(res) -> dict[str, float]:
    return res.states.set_index("state")["minutes"].to_dict()


def test_shift_and_break():
    res = linesim.simulate(one_station())
    assert res.kpis["units"] == 570
    s = states(res)
    assert s["working"] == pytest.approx(570)
    assert s["break"] == pytest.approx(30)
    assert s["off_shift"] == pytest.approx(840)
    assert res.kpis["oee"] == pytest.approx(1.0)


def test_sundays_and_holidays_are_off():
    cal = {"shifts": [{"start": "08:00", "end": "18:00"}], "holidays": ["2023-08-05"]}
    # 1-7 Aug 2023: Tue..Mon; Sunday 6th off by the default workdays, Saturday 5th a holiday
    res = linesim.simulate(one_station(days=7, calendar=cal))
    assert len(res.record.working_days) == 5
    assert res.kpis["units"] == 5 * 600
    daily = res.output.query("product == 'A'").set_index("date")["good_units"]
    assert set(daily.values) == {600}


def test_fixed_overtime():
    cal = {"shifts": [{"start": "08:00", "end": "18:00"}], "overtime": {"mode": "fixed", "hours": 2}}
    assert linesim.simulate(one_station(calendar=cal)).kpis["units"] == 720


@pytest.mark.parametrize("quantity, expected", [(650, 650), (700, 660), (500, 500)])
def test_overtime_until_plan_met_with_cap(quantity, expected):
    cal = {"shifts": [{"start": "08:00", "end": "18:00"}],
           "overtime": {"mode": "until_plan", "max_hours": 1}}
    res = linesim.simulate(one_station(calendar=cal, quantity=quantity))
    assert res.kpis["units"] == expected
    s = states(res)
    assert s["working"] == pytest.approx(expected)
    # after the plan is met in the shift the line waits in 'no plan'; overtime adds none
    assert s["no_plan"] == pytest.approx(max(0, 600 - quantity))


def test_work_in_progress_survives_shift_ends():
    # 10-minute shifts, 7-minute cycle: 3 days = 30 minutes of work = 4 units, nothing lost
    cal = {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
           "shifts": [{"start": "08:00", "end": "08:10"}]}
    res = linesim.simulate(one_station(cycle=7.0, days=3, calendar=cal))
    assert res.kpis["units"] == 4
    assert states(res)["working"] == pytest.approx(28 + 2)  # the 5th unit is 2 min along


def test_daily_plan_stops_the_line():
    res = linesim.simulate(one_station(quantity=100, days=2))
    assert res.output["good_units"].tolist() == [100, 100, 0, 0]  # product A, then B rows
    s = states(res)
    assert s["working"] == pytest.approx(200)
    assert s["no_plan"] == pytest.approx(2 * 570 - 200)
    assert res.kpis["plan_attainment"] == pytest.approx(1.0)


def test_changeover_between_items_and_days():
    plan = {"daily": [{"product": "A", "quantity": 10}, {"product": "B", "quantity": 10}]}
    res = linesim.simulate(one_station(plan=plan, days=2))
    s = states(res)
    # day 1: A, change to B (15); day 2 starts on B -> change to A (15), A, change to B (15)
    assert s["changeover"] == pytest.approx(45)
    assert s["working"] == pytest.approx(40)
    assert res.kpis["units"] == 40


def test_scrap_is_replaced_so_the_plan_is_still_met():
    res = linesim.simulate(one_station(quantity=200, scrap_rate=0.1))
    rec = res.record.lines[0]
    assert rec.good == 200
    assert rec.started == 200 + rec.scrapped
    assert rec.scrapped > 5


def test_rework_costs_a_second_cycle():
    res = linesim.simulate(one_station(rework_rate=0.2, quantity=300))
    s = states(res)
    n_rework = s["rework"]  # fixed 1-minute cycle: minutes == reworked units
    assert res.kpis["units"] == 300
    assert s["working"] == pytest.approx(300)
    assert 30 < n_rework < 90


def test_parallel_servers():
    res = linesim.simulate(one_station(cycle=2.0, servers=3))
    assert res.kpis["units"] == 3 * 570 // 2


def test_repair_runs_overnight_and_off_shift_is_not_downtime():
    # one failure after 590 operating minutes, 600-minute repair; shift is 600 min, no break
    cal = {"shifts": [{"start": "08:00", "end": "18:00"}]}
    res = linesim.simulate(one_station(calendar=cal, days=2, failures=[
        {"ttf": 590, "ttr": 600, "clock": "operating"}]))
    s = states(res)
    # day 1: 590 working, failed 10 until 18:00, repair goes on overnight and ends 03:50
    # day 2: 590 working, then fails again for 10 minutes
    assert s["failed"] == pytest.approx(20)
    assert s["working"] == pytest.approx(1180)
    assert res.kpis["units"] == 1180


def test_working_time_failure_clock_ignores_off_shift():
    cal = {"shifts": [{"start": "08:00", "end": "18:00"}]}
    res = linesim.simulate(one_station(calendar=cal, days=2, failures=[
        {"ttf": 900, "ttr": 30, "clock": "working"}]), event_log=True)
    ev = res.events
    fails = ev.loc[ev.state == "failed", "time"].tolist()
    # 600 working minutes on day 1, the remaining 300 on day 2: 1440 + 480 + 300
    assert fails == [pytest.approx(1440 + 480 + 300)]


def test_calendar_failure_clock_counts_every_minute():
    cal = {"shifts": [{"start": "08:00", "end": "18:00"}]}
    res = linesim.simulate(one_station(calendar=cal, days=2, failures=[
        {"ttf": 1000, "ttr": 30, "clock": "calendar"}]), event_log=True)
    ev = res.events
    # fails at minute 1000 (day 1, 16:40), repaired at 1030, fails again 1000 calendar
    # minutes later at 2030 (day 2, 09:50), though the line was off most of that time
    assert ev.loc[ev.state == "failed", "time"].tolist() == [1000, 2030]
    assert states(res)["failed"] == pytest.approx(60)


def test_zero_buffer_blocks_upstream():
    sc = linesim.scenario_from_dict({
        "name": "blocking", "horizon": {"start": "2023-08-01", "days": 1},
        "calendar": {"shifts": [{"start": "08:00", "end": "18:00"}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": [
            {"name": "fast", "cycle_time": 1.0, "buffer": 0},
            {"name": "slow", "cycle_time": 2.0}]}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}},
    })
    res = linesim.simulate(sc)
    st = res.states.set_index(["station", "state"])["minutes"]
    assert res.kpis["units"] == 299  # first unit reaches 'slow' at minute 1
    assert st["fast", "blocked"] == pytest.approx(600 - 300, abs=1)
    assert st["slow", "starved"] == pytest.approx(1)
