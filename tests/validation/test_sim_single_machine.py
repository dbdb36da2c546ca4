"""Single unreliable machine with operation-dependent failures (theory test 1).

One station, fixed cycle time c, exponential time to failure counted on the operating clock
(mean MTBF minutes of processing) and exponential repair (mean MTTR). Failures only happen
while processing, so every MTBF minutes of processing cost MTTR minutes of repair:

    TH = (1/c) * MTBF / (MTBF + MTTR),  failed share = MTTR / (MTBF + MTTR),
    availability (working share) = MTBF / (MTBF + MTTR), failures per working minute = 1/MTBF.

Also checks that the "always on" calendar used by the whole suite really is always on.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from harness import always_on_scenario, assert_covers, measures, op_failure, replicate_measures, station
from theory import single_machine_operating_failures

import linesim
from linesim.engine.calendar import ON, work_days

# (cycle, failure mode, replications, days); days include one warm-up day
CASES = {
    "c1-mtbf100-mttr10": (1.0, op_failure(100.0, 10.0), 20, 31),
    "c2-mtbf60-mttr30": (2.0, op_failure(60.0, 30.0), 40, 46),
    # the formula is a renewal-reward result: it holds for any ttf / ttr distributions
    "c1-lognormal100-triangular10": (1.0, {
        "ttf": {"dist": "lognormal", "mean": 100.0, "spread": 50.0},
        "ttr": {"dist": "triangular", "mean": 10.0, "spread": 8.0},
        "clock": "operating"}, 20, 31),
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    c, mode, reps, days = CASES[request.param]
    sc = always_on_scenario([station("M", c, failures=[mode])], days=days)
    f = sc.lines[0].stations[0].failures[0]
    return request.param, c, f.ttf.mean, f.ttr.mean, replicate_measures(sc, reps, seed=101)


def test_throughput(case):
    name, c, mtbf, mttr, df = case
    exact = single_machine_operating_failures(c, mtbf, mttr)
    assert_covers(df.th, exact, f"TH {name}", max_half_width=0.015)


def test_failed_share_availability_and_failure_rate(case):
    name, c, mtbf, mttr, df = case
    # the machine is never starved or blocked: it is either working or failed
    assert df.s0_working.add(df.s0_failed).sub(1).abs().max() < 1e-9
    for state in ("starved", "blocked", "no_plan", "off_shift", "break", "changeover", "rework"):
        assert df[f"s0_{state}"].abs().max() < 1e-9, state
    # failed share = MTTR/MTBF x working share = MTTR / (MTBF + MTTR)
    assert_covers(df.s0_failed, mttr / (mtbf + mttr), f"failed share {name}", max_half_width=0.06)
    assert_covers(df.availability, mtbf / (mtbf + mttr), f"availability KPI {name}",
                  max_half_width=0.015)
    assert_covers(df.s0_fail_rate, 1 / mtbf, f"failures per working minute {name}",
                  max_half_width=0.05)


def test_always_on_calendar_is_contiguous():
    """00:00-24:00 on all seven days: one 1440-minute ON period per day, back to back."""
    sc = always_on_scenario([station("M", 1.0)], days=10)
    assert sc.calendar.shifts[0].length_min == 1440
    days = work_days(sc)
    assert [d.index for d in days] == list(range(10))
    assert [d.date for d in days] == [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    for d in days:
        assert d.periods == ((d.index * 1440.0, (d.index + 1) * 1440.0, ON),)


def test_always_on_calendar_loses_no_time_at_midnight():
    """A reliable machine with a fixed 0.7-minute cycle makes span/0.7 units (+-1) although
    the plan is reloaded and the shift ends and restarts at every midnight."""
    sc = always_on_scenario([station("M", 0.7)], days=8, warmup_days=1)
    run = linesim.simulate(sc, seed=1)
    m = measures(run)
    assert abs(m["good"] - m["span"] / 0.7) <= 1
    assert m["s0_working"] == pytest.approx(1.0, abs=1e-9)
    assert m["s0_off_shift"] == 0.0
    assert m["s0_no_plan"] == 0.0


def _units_made(t: float, cycle: float, ttf: float, ttr: float) -> int:
    """Units a machine with fixed cycle, fixed time to failure (operating clock) and fixed
    repair has finished by time t when it starts at 0: it alternates ttf minutes of
    processing and ttr minutes of repair."""
    k = math.floor(t / (ttf + ttr))
    operating = k * ttf + min(t - k * (ttf + ttr), ttf)
    return math.floor(operating / cycle + 1e-9)


@pytest.mark.parametrize("cycle, ttf, ttr", [
    (1.0, 50.0, 5.0),     # failures between cycles
    (0.7, 10.0, 3.0),     # failures in mid-cycle: the work resumes after the repair
    (1.3, 144.0, 0.5),
    # The time to failure runs out at midnight, at a day boundary. A regression case: an
    # interrupted step once left the operating-clock budget at about -1e-13 and the next
    # Timeout got a negative delay (ValueError from SimPy); the engine now clamps it.
    (0.4, 1440.0, 10.0),
])
def test_deterministic_failures_exact_count(cycle, ttf, ttr):
    """Fixed times: the machine alternates exactly ttf minutes of processing and ttr of
    repair, TH = (1/c) ttf / (ttf + ttr); the count over the window is exact up to a unit."""
    mode = {"ttf": ttf, "ttr": ttr, "clock": "operating"}
    sc = always_on_scenario([station("M", cycle, failures=[mode])], days=5, warmup_days=1)
    run = linesim.simulate(sc, seed=1)
    m = measures(run)
    start, end = run.record.start, run.record.end
    expected = _units_made(end, cycle, ttf, ttr) - _units_made(start, cycle, ttf, ttr)
    print(f"deterministic c={cycle} ttf={ttf} ttr={ttr}: good {m['good']:.0f}, exact {expected}, "
          f"TH formula x span {single_machine_operating_failures(cycle, ttf, ttr) * m['span']:.1f}")
    assert abs(m["good"] - expected) <= 1
    assert abs(m["good"] - single_machine_operating_failures(cycle, ttf, ttr) * m["span"]) \
        <= ttf / cycle + 1
