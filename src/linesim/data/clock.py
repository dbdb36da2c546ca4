"""The records' period and its clocks, rebuilt from the scenario calendar.

Times are minutes from 00:00 of the period's first day, as in a simulation. The *working*
clock counts on-shift minutes (shifts less breaks; fixed overtime included, ``until_plan``
overtime not, since it depends on the day); the *running* clock of a line is its working
time outside the given stop intervals (quality stops for the stoppage rate; the station's
own and whole-line stops for the *operating* clock of a failure mode, an upper bound of the
time the station really processed, since records do not show starved or blocked time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np

from ..engine.calendar import ON, work_days
from ..scenario.model import Scenario
from ..scenario.patch import with_values


def period_scenario(base: Scenario, first: dt.date, last: dt.date) -> Scenario:
    """``base`` with its horizon set to the days ``first`` .. ``last`` (no warm-up)."""
    return with_values(base, {"horizon.start": first.isoformat(),
                              "horizon.days": (last - first).days + 1,
                              "horizon.warmup_days": 0}, "<records period>")


def minutes_since(start: dt.date, when: dt.datetime | dt.date) -> float:
    """Minutes from 00:00 of ``start`` to ``when``."""
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time())
    return (when - dt.datetime.combine(start, dt.time())).total_seconds() / 60.0


def merge(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of (start, end) intervals as sorted, disjoint intervals."""
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


class WorkingClock:
    """Working minutes elapsed since the period start, at any calendar minute."""

    def __init__(self, scenario: Scenario):
        spans = [(a, b) for day in work_days(scenario) for a, b, s in day.periods if s == ON]
        self.starts = np.array([a for a, _ in spans], dtype=float)
        self.ends = np.array([b for _, b in spans], dtype=float)
        lengths = self.ends - self.starts
        self.before = np.concatenate([[0.0], np.cumsum(lengths)])
        self.end = scenario.horizon.days * 1440.0
        self.working_days = len(work_days(scenario))

    def at(self, t: float | Sequence[float] | np.ndarray) -> np.ndarray:
        """Working minutes in [0, t] (vectorised over ``t``)."""
        tt = np.asarray(t, dtype=float)
        i = np.searchsorted(self.starts, tt, side="right") - 1
        inside = np.where(i >= 0, np.clip(tt - self.starts[np.maximum(i, 0)], 0,
                                           (self.ends - self.starts)[np.maximum(i, 0)]), 0.0)
        return np.where(i >= 0, self.before[np.maximum(i, 0)] + inside, 0.0)

    @property
    def total(self) -> float:
        """Working minutes of the whole period."""
        return float(self.before[-1])

    def lost(self, t: float | np.ndarray, stops: list[tuple[float, float]]) -> np.ndarray:
        """Working minutes in [0, t] spent inside the (merged) ``stops``."""
        tt = np.asarray(t, dtype=float)
        out = np.zeros_like(tt)
        for a, b in stops:
            out += self.at(np.clip(tt, a, b)) - self.at(a)
        return out

    def running(self, t: float | np.ndarray, stops: list[tuple[float, float]]) -> np.ndarray:
        """Working minutes in [0, t] outside the (merged) ``stops``."""
        return self.at(t) - self.lost(t, stops)

    def calendar_at(self, w: float) -> float:
        """The first calendar minute at which ``w`` working minutes have passed (the end of
        the period if they never do)."""
        i = int(np.searchsorted(self.before, w, side="left")) - 1
        if i < 0:
            return float(self.starts[0]) if len(self.starts) else 0.0
        if i >= len(self.starts):
            return self.end
        return float(self.starts[i] + (w - self.before[i]))
