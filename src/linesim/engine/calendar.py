"""The plant calendar as simulation time: working days, shift and break periods.

Simulation time is in minutes from 00:00 of the horizon's first day. A working day is a
day whose weekday is in ``calendar.workdays`` and that is not a holiday. Each working day
has one or more shifts (a shift may run past midnight); breaks pause work inside shifts;
fixed overtime extends the day's last shift; ``until_plan`` overtime lets a line keep
working after the last shift, up to a cap, until its daily plan is met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..scenario.model import Scenario, minutes_of

#: line states: on shift and running, break, off shift, on shift but halted (quality stop)
ON, BREAK, OFF, HALTED = 0, 1, 2, 3


@dataclass(frozen=True)
class WorkDay:
    """One working day: ``periods`` are (start, end, ON or BREAK) in simulation minutes,
    sorted; time between periods is off shift. ``overtime_cap`` (minutes) is how long a
    line may stay on after ``periods[-1]`` ends to finish its plan (0: not allowed)."""

    index: int
    date: dt.date
    periods: tuple[tuple[float, float, int], ...]
    overtime_cap: float

    @property
    def start(self) -> float:
        return self.periods[0][0]

    @property
    def scheduled_minutes(self) -> float:
        return sum(b - a for a, b, s in self.periods if s == ON)


def is_working_day(scenario: Scenario, day: dt.date) -> bool:
    """Whether ``day`` is a working day of ``scenario``'s calendar."""
    return scenario.calendar.is_working_day(day)


def work_days(scenario: Scenario) -> list[WorkDay]:
    """All working days of the horizon with their periods, clipped to the horizon."""
    cal = scenario.calendar
    horizon = scenario.horizon.days * 1440.0
    shifts = sorted(cal.shifts, key=lambda s: s.start_min)
    ot = cal.overtime
    out: list[WorkDay] = []
    for d in range(scenario.horizon.days):
        date = scenario.horizon.start + dt.timedelta(days=d)
        if not is_working_day(scenario, date):
            continue
        base = d * 1440.0
        periods: list[tuple[float, float, int]] = []
        for k, sh in enumerate(shifts):
            s0 = base + sh.start_min
            s1 = s0 + sh.length_min
            if k == len(shifts) - 1 and ot.mode == "fixed":
                s1 += ot.hours * 60
            cuts = []
            for b in cal.breaks:
                for shift_day in (0, 1440):
                    b0, b1 = base + minutes_of(b.start) + shift_day, base + minutes_of(b.end) + shift_day
                    if s0 <= b0 and b1 <= s1:
                        cuts.append((b0, b1))
            t = s0
            for b0, b1 in sorted(cuts):
                if b0 > t:
                    periods.append((t, b0, ON))
                periods.append((b0, b1, BREAK))
                t = b1
            if s1 > t:
                periods.append((t, s1, ON))
        clipped = tuple((a, min(b, horizon), s) for a, b, s in periods if a < horizon)
        if clipped:
            cap = ot.max_hours * 60 if ot.mode == "until_plan" else 0.0
            out.append(WorkDay(d, date, clipped, cap))
    return out
