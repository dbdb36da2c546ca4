"""Quality stoppages, the escalation ladder and backup products: known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import check_invariants

import linesim
from linesim.results import t_interval

LADDER = [{"name": "engineer", "after_minutes": 30, "speedup": 1.0},
          {"name": "manager", "after_minutes": 60, "speedup": 2.0},
          {"name": "VP", "after_minutes": 600, "speedup": 2.0},
          {"name": "chairman", "after_minutes": 1800, "speedup": 2.0}]


def scenario(resolution=45, backups=("B",), policy="return", days=1, rate=0.5, stations=2,
             always_on=False, b_cycle=1.0, changeover=10, products=("A",), ladder=LADDER):
    cal = ({"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "shifts": [{"start": "00:00", "end": "24:00"}]} if always_on
           else {"shifts": [{"start": "08:00", "end": "18:00"}]})
    sts = [{"name": f"s{i + 1}", "cycle_time": 1.0, "cycle_times": {"B": b_cycle}, "buffer": 2}
           for i in range(stations)]
    return linesim.scenario_from_dict({
        "name": "q", "horizon": {"start": "2023-08-01", "days": days}, "calendar": cal,
        "products": [{"name": "A"}, {"name": "B"}],
        "lines": [{"name": "L", "products": ["A", "B"], "changeover": {"default": changeover},
                   "stations": sts}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 1_000_000}],
                       "backups": list(backups)}},
        "quality": {"stoppages": [{"name": "weld", "rate_per_hour": rate,
                                   "resolution": resolution, "products": list(products)}],
                    "escalation": {"return_policy": policy, "levels": ladder}},
    })


def first_stop(res):
    stops = res.record.stoppages
    assert stops, "no stoppage happened"
    return stops[0]


def test_backup_changeover_starts_at_exactly_30_minutes_and_only_level_1():
    res = linesim.simulate(scenario(), seed=1, event_log=True)
    rec = first_stop(res)
    assert rec.end == pytest.approx(rec.start + 45)
    assert [lv[0] for lv in rec.levels] == [1]
    assert rec.levels[0][2] == pytest.approx(rec.start + 30)
    assert rec.decision == "backup" and rec.backup == "B"
    ev = res.events
    s1 = ev[(ev.station == "s1") & (ev.time >= rec.start - 1e-9)]
    assert s1.state.iloc[0] == "quality_stop" and s1.time.iloc[0] == pytest.approx(rec.start)
    first_co = s1.loc[s1.state == "changeover", "time"].iloc[0]
    assert first_co == pytest.approx(rec.start + 30)
    check_invariants(res)


def test_no_backup_idles_the_line_and_sends_operators_home():
    res = linesim.simulate(scenario(backups=()), seed=1, event_log=True)
    rec = first_stop(res)
    assert rec.decision == "idle"
    # 2 operators (one per server) sent home for the 15 minutes after the decision
    assert rec.sent_home_hours == pytest.approx(2 * 15 / 60)
    ev = res.events
    during = ev[(ev.time > rec.start + 1e-9) & (ev.time < rec.end - 1e-9)]
    assert during.empty  # nothing changes state while the line is stopped
    n = len(res.record.stoppages)
    st = res.states.set_index(["station", "state"])["minutes"]
    assert st["s1", "quality_stop"] == pytest.approx(45 * n)
    assert res.record.lines[0].sent_home_hours == pytest.approx(n * 0.5)
    check_invariants(res)


def test_speedup_at_higher_levels():
    # 100 minutes of work: 60 at pace 1 (levels 0 and 1), the other 40 at pace 2 -> 80
    res = linesim.simulate(scenario(resolution=100, backups=()), seed=2)
    rec = first_stop(res)
    assert rec.end == pytest.approx(rec.start + 80)
    assert [lv[0] for lv in rec.levels] == [1, 2]


def test_escalation_runs_on_working_time_across_nights():
    # 1300 minutes of work: 60 at pace 1, then pace 2 -> 60 + 620 = 680 working minutes;
    # level 3 at 600 working minutes. Shift 08:00-18:00 (600 min a day).
    res = linesim.simulate(scenario(resolution=1300, backups=(), rate=0.2, days=4), seed=3)
    rec = first_stop(res)
    assert [lv[0] for lv in rec.levels] == [1, 2, 3]
    day, minute = divmod(rec.start, 1440)

    def at_working(w):  # calendar time w working minutes after the start
        left_today = 18 * 60 - minute
        if w <= left_today:
            return rec.start + w
        w -= left_today
        d = day + 1
        while w > 600:
            w -= 600
            d += 1
        return d * 1440 + 8 * 60 + w

    assert rec.levels[2][2] == pytest.approx(at_working(600))
    assert rec.end == pytest.approx(at_working(680))


def test_stay_policy_keeps_the_backup_running():
    res = linesim.simulate(scenario(policy="stay", resolution=40, rate=0.3), seed=4,
                           event_log=True)
    rec = first_stop(res)
    ev = res.events
    after = ev[(ev.time > rec.end) & (ev.station == "s1")]
    assert "changeover" not in set(after.state)  # no change back to A
    out = res.output.set_index("product")["good_units"]
    # B made for the rest of the day (less the 10-minute changeover of s2 and one cycle)
    assert out["B"] >= 18 * 60 - rec.end % 1440 - 12
    ret = linesim.simulate(scenario(policy="return", resolution=40, rate=0.3), seed=4,
                           event_log=True)
    ev = ret.events
    after = ev[(ev.time > first_stop(ret).end) & (ev.station == "s1")]
    assert "changeover" in set(after.state)  # with 'return' the line changes back
    check_invariants(res)


def test_return_policy_goes_back_and_set_aside_units_are_finished():
    res = linesim.simulate(scenario(stations=4, resolution=50, rate=0.3, days=3), seed=5)
    ln = res.record.lines[0]
    assert ln.wip_start + ln.started == ln.good + ln.scrapped + ln.wip_end
    out = res.output.groupby("product")["good_units"].sum()
    assert out["A"] > out["B"] > 0
    check_invariants(res)


def expected_loss(m, tau, s, sb, b):
    """Reference: expected lost rate-minutes per stop with a backup decision at tau."""
    return m * (1 - math.exp(-tau / m)) + math.exp(-tau / m) * (
        s + sb + (1 - b) * m * math.exp(-s / m))


def test_expected_loss_formula():
    assert expected_loss(120, 30, 20, 20, 0.8) == pytest.approx(73.5, abs=0.05)
    assert expected_loss(30, 30, 20, 20, 0.8) == pytest.approx(34.8, abs=0.05)


@pytest.mark.parametrize("mean, backups, exact", [
    (120, ("B",), expected_loss(120, 30, 20, 20, 0.8)),
    (120, (), 120.0),
])
def test_backup_trade_off_matches_the_reference(mean, backups, exact):
    """One machine at rate 1/min; stops exponential with mean m; backup B at rate 0.8;
    20-minute changeovers both ways: lost output per stop against the reference formula."""
    sc = scenario(resolution={"dist": "exponential", "mean": mean}, backups=backups,
                  stations=1, always_on=True, days=60, rate=0.1, b_cycle=1.25,
                  changeover=20, ladder=[{"name": "engineer", "after_minutes": 30}])
    per_stop = []
    for rep in range(6):
        rec = linesim.simulate(sc, seed=11, replication=rep).record
        ln = rec.lines[0]
        stops = [s for s in rec.stoppages if not np.isnan(s.end)]
        span = rec.end - rec.start
        per_stop.append((span - ln.good - ln.wip_end) / len(stops))
    mean_loss, lo, hi = t_interval(per_stop, 0.99)
    assert lo <= exact <= hi, (mean_loss, lo, hi, exact)
    assert hi - lo < 0.3 * exact  # the interval is tight enough to mean something
