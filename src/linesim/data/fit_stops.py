"""Failure modes and quality stoppages fitted from the ``stoppages`` records.

Failures (kind ``failure``, cause = the mode's name): the *time to failure* is measured on
the mode's own clock from the end of one failure to the start of the next (the time before
the first recorded failure is not a whole time between failures and is not used); after the
last failure the time to the end of the records is a right-censored time to failure. The
*time to repair* is end minus start in calendar minutes; a failure still open at the end is
a censored repair. A station with several servers keeps its base values: the records do not
say which server failed.

Quality stoppages (kind ``quality``, cause = the stoppage source's name): the *rate* is the
number of stops over the running hours of the lines the source hits (working time outside
the line's quality stops); the *resolution* is the stop's length in working minutes turned
back into work at the first responder's pace by the escalation ladder (after each level's
threshold the work went ``speedup`` times faster), censored when still open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario.model import Scenario, working_day_minutes
from .clock import WorkingClock, merge, minutes_since
from .fitting import poisson_rate
from .provenance import Item, duration_item, estimate_item, kept


class StopTimes:
    """Stoppage records as minutes of the period (open ends at the period's end)."""

    def __init__(self, df: pd.DataFrame, clock: WorkingClock, first):
        self.df = df
        self.source = df.attrs.get("source", "stoppages")
        self.clock = clock
        self.start = np.array([minutes_since(first, t) for t in df["start"]], dtype=float)
        self.open = np.array([e is None for e in df["end"]], dtype=bool)
        self.end = np.array([clock.end if e is None else minutes_since(first, e)
                             for e in df["end"]], dtype=float)

    def select(self, **match: object) -> np.ndarray:
        """Row positions whose columns equal ``match``, in order of start."""
        mask = np.ones(len(self.df), dtype=bool)
        for col, value in match.items():
            mask &= (self.df[col] == value).to_numpy() if value is not None else (
                self.df[col].isna().to_numpy())
        idx = np.flatnonzero(mask)
        return idx[np.argsort(self.start[idx], kind="stable")]

    def intervals(self, idx: np.ndarray) -> list[tuple[float, float]]:
        return merge(zip(self.start[idx], self.end[idx]))


def _clock_of(times: StopTimes, kind: str, line: str, station: str):
    c = times.clock
    if kind == "calendar":
        return lambda t: np.asarray(t, dtype=float)
    if kind == "working":
        return c.at
    stops = times.intervals(np.concatenate([times.select(line=line, station=station),
                                            times.select(line=line, station=None)]))
    return lambda t: c.running(t, stops)


def failure_items(sc: Scenario, times: StopTimes) -> list[Item]:
    """One time-to-failure and one time-to-repair item per failure mode of ``sc``."""
    items: list[Item] = []
    for ln in sc.lines:
        for st in ln.stations:
            for mode in st.failures:
                path = f"lines[{ln.name}].stations[{st.name}].failures[{mode.name}]"
                idx = times.select(kind="failure", line=ln.name, station=st.name,
                                   cause=mode.name)
                if st.servers > 1:
                    why = f"the station has {st.servers} servers; records do not say which failed"
                    items += [kept(path + ".ttf", times.source, len(idx), why),
                              kept(path + ".ttr", times.source, len(idx), why)]
                    continue
                clock = _clock_of(times, mode.clock, ln.name, st.name)
                s, e, is_open = times.start[idx], times.end[idx], times.open[idx]
                ttf = list(clock(s[1:]) - clock(e[:-1]))
                ttf_open = [False] * len(ttf)
                if len(idx) and not is_open[-1]:
                    ttf.append(float(clock(times.clock.end) - clock(e[-1])))
                    ttf_open.append(True)
                items.append(duration_item(path + ".ttf", times.source, np.array(ttf),
                                           np.array(ttf_open, dtype=bool),
                                           f"{mode.clock} minutes"))
                items.append(duration_item(path + ".ttr", times.source, e - s, is_open,
                                           "calendar minutes"))
    return items


def ladder_work(minutes: np.ndarray, thresholds: list[float], speedups: list[float]) -> np.ndarray:
    """Resolution work (minutes at the first responder's pace) done in ``minutes`` of working
    time: speed 1 until the first threshold, then each level's speedup."""
    bounds = [0.0, *thresholds, np.inf]
    speeds = [1.0, *speedups]
    d = np.asarray(minutes, dtype=float)
    return sum(v * np.clip(d - a, 0, b - a) for a, b, v in zip(bounds, bounds[1:], speeds))


def quality_items(sc: Scenario, times: StopTimes) -> list[Item]:
    """Rate and resolution items for every quality stoppage source of ``sc``."""
    esc = sc.quality.escalation
    thresholds = esc.thresholds(working_day_minutes(sc.calendar))
    speedups = [lv.speedup for lv in esc.levels]
    items: list[Item] = []
    for src in sc.quality.stoppages:
        path = f"quality.stoppages[{src.name}]"
        lines = src.lines or tuple(ln.name for ln in sc.lines)
        minutes = sum(float(times.clock.running(times.clock.end, times.intervals(
            times.select(kind="quality", line=ln)))) for ln in lines)
        idx = np.concatenate([times.select(kind="quality", line=ln, cause=src.name)
                              for ln in lines])
        items.append(estimate_item(path + ".rate_per_hour", times.source,
                                   poisson_rate(len(idx), minutes / 60.0), "rate",
                                   "stops per running hour"))
        span = times.clock.at(times.end[idx]) - times.clock.at(times.start[idx])
        items.append(duration_item(path + ".resolution", times.source,
                                   ladder_work(span, thresholds, speedups), times.open[idx],
                                   "working minutes at the first level's pace"))
    return items
