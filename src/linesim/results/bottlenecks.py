"""Shifting bottlenecks by the active-period method (Roser, Nakano and Tanaka 2002).

A station is *active* while it works, reworks, changes over, is being repaired (failed) or
waits for its operator: the line waits for it. It is *inactive* while starved, blocked,
without a plan, without material or stopped with the whole line (quality stop); breaks and
off-shift time are outside the shift's working time. A station with several servers is
active while every server is active. An *active period* is an uninterrupted stretch of
active time.

At each instant the station whose current active period is the longest is the momentary
bottleneck. Where the active period of one bottleneck overlaps the active period of the
previous or next bottleneck, both are *shifting* bottlenecks; the rest of a bottleneck's
time is *sole* bottleneck time. The analysis is done separately for every shift of every
measured working day; shares are of the shift's working minutes (breaks excluded). Input is
a run simulated with ``event_log=True``; this module is a pure function of its events.

Reference: C. Roser, M. Nakano, M. Tanaka, "Shifting bottleneck detection", Proceedings of
the 2002 Winter Simulation Conference, pp. 1079-1086.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..engine.calendar import BREAK, work_days

#: states in which a station holds the line up
ACTIVE_STATES = frozenset({"working", "rework", "changeover", "failed", "no_operator"})

Intervals = list[tuple[float, float]]
COLUMNS = ["line", "day", "date", "shift", "shift_start", "station", "sole_minutes",
           "shifting_minutes", "shift_minutes", "sole_share", "shifting_share"]


def _union(iv: Intervals) -> Intervals:
    """Sorted, merged intervals."""
    out: Intervals = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif b > a:
            out.append((a, b))
    return out


def _intersect(x: Intervals, y: Intervals) -> Intervals:
    """Intersection of two sorted, merged interval lists."""
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        a, b = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if b > a:
            out.append((a, b))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def _measure(iv: Intervals) -> float:
    return float(sum(b - a for a, b in iv))


def server_active(times: np.ndarray, states: np.ndarray, end: float) -> Intervals:
    """Active intervals of one server from its state changes (``times`` sorted, minutes)."""
    ends = np.append(times[1:], end)
    return _union([(float(a), float(b)) for a, b, s in zip(times, ends, states)
                   if s in ACTIVE_STATES])


def station_active(events: pd.DataFrame, end: float) -> dict[tuple[str, str], Intervals]:
    """(line, station) -> active periods (every server active), minutes."""
    out: dict[tuple[str, str], Intervals] = {}
    for (line, station), g in events.groupby(["line", "station"], sort=False):
        periods = None
        for _, srv in g.groupby("server", sort=True):
            act = server_active(srv["time"].to_numpy(), srv["state"].to_numpy(), end)
            periods = act if periods is None else _intersect(periods, act)
        out[line, station] = periods or []
    return out


def momentary(periods: list[Intervals], t0: float, t1: float) -> list[tuple[int, float, float,
                                                                             float, float]]:
    """Segments (station index, period start, period end, from, to) during which a station's
    active period was the longest of those in progress, in [t0, t1)."""
    clipped = [[(max(a, t0), min(b, t1)) for a, b in p if b > t0 and a < t1] for p in periods]
    cuts = sorted({t0, t1, *(x for p in clipped for iv in p for x in iv)})
    if len(cuts) < 2:
        return []
    mid = (np.array(cuts[:-1]) + np.array(cuts[1:])) / 2
    length = np.full((len(clipped), len(mid)), -1.0)
    which = np.full((len(clipped), len(mid)), -1)
    for k, p in enumerate(clipped):
        if not p:
            continue
        starts = np.array([a for a, _ in p])
        ends = np.array([b for _, b in p])
        idx = np.searchsorted(starts, mid, side="right") - 1
        ok = (idx >= 0) & (ends[np.maximum(idx, 0)] > mid)
        length[k, ok] = (ends - starts)[idx[ok]]
        which[k, ok] = idx[ok]
    best = length.argmax(axis=0)
    segs: list[list] = []
    for e, k in enumerate(best):
        if length[k, e] < 0:
            continue
        a, b = clipped[k][which[k, e]]
        if segs and segs[-1][0] == k and segs[-1][1] == a and segs[-1][4] == cuts[e]:
            segs[-1][4] = cuts[e + 1]
        else:
            segs.append([int(k), a, b, cuts[e], cuts[e + 1]])
    return [tuple(s) for s in segs]


def sole_and_shifting(segs, n: int) -> tuple[list[float], list[float]]:
    """Sole and shifting bottleneck minutes of each of ``n`` stations from the segments."""
    sole: list[Intervals] = [[] for _ in range(n)]
    shift: list[Intervals] = [[] for _ in range(n)]
    for i, (k, a, b, u, v) in enumerate(segs):
        sole[k].append((u, v))
        for j in (i - 1, i + 1):
            if 0 <= j < len(segs) and segs[j][0] != k:
                lo, hi = max(a, segs[j][1]), min(b, segs[j][2])
                if hi > lo:
                    shift[k].append((lo, hi))
    sole_min, shift_min = [], []
    for k in range(n):
        s, h = _union(sole[k]), _union(shift[k])
        shift_min.append(_measure(h))
        sole_min.append(_measure(s) - _measure(_intersect(s, h)))
    return sole_min, shift_min


def shift_windows(run) -> list[tuple[int, dt.date, str, float, float, float]]:
    """(day, date, shift name, start, end, working minutes) of every shift of every measured
    working day; the last shift of a day takes the day's overtime."""
    rec = run.record
    cal = rec.scenario.calendar
    shifts = sorted(cal.shifts, key=lambda s: s.start_min)
    extra = {"fixed": cal.overtime.hours * 60, "until_plan": cal.overtime.max_hours * 60}
    days = {d.index: d for d in work_days(rec.scenario)}
    out = []
    for d in rec.working_days:
        wd = days[d]
        for k, sh in enumerate(shifts):
            a = d * 1440.0 + sh.start_min
            b = a + sh.length_min + (extra.get(cal.overtime.mode, 0.0)
                                     if k == len(shifts) - 1 else 0.0)
            a, b = max(a, rec.start), min(b, rec.end)
            if b <= a:
                continue
            brk = _measure(_intersect([(a, b)], [(p0, p1) for p0, p1, s in wd.periods
                                                 if s == BREAK]))
            out.append((d, wd.date, sh.name or f"shift {k + 1}", a, b, b - a - brk))
    return out


def bottlenecks(run) -> pd.DataFrame:
    """Sole and shifting bottleneck minutes and shares of each station in each shift.

    ``run``: a RunResult simulated with ``event_log=True``. Columns ``line, day, date,
    shift, shift_start`` (minutes), ``station, sole_minutes, shifting_minutes,
    shift_minutes`` (working minutes of the shift), ``sole_share, shifting_share``."""
    ev = run.events
    if ev is None:
        raise ValueError("bottleneck analysis needs a run simulated with event_log=True")
    active = station_active(ev, run.record.end)
    rows = []
    for ln in run.record.lines:
        names = [st.name for st in ln.stations]
        periods = [active.get((ln.name, s), []) for s in names]
        for day, date, shift, a, b, working in shift_windows(run):
            sole, shifting = sole_and_shifting(momentary(periods, a, b), len(names))
            for k, s in enumerate(names):
                rows.append((ln.name, day, date, shift, a, s, sole[k], shifting[k], working,
                             sole[k] / working if working else 0.0,
                             shifting[k] / working if working else 0.0))
    return pd.DataFrame(rows, columns=COLUMNS)


def bottleneck_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per line and station over all shifts: sole and shifting shares of the working time,
    their sum, the number of shifts in which the station was the main bottleneck (largest
    sole + shifting), and ``rank`` within the line (1 = the bottleneck)."""
    t = table.assign(total=table["sole_minutes"] + table["shifting_minutes"])
    g = t.groupby(["line", "station"], sort=False)
    out = pd.DataFrame({"sole_share": g["sole_minutes"].sum(),
                        "shifting_share": g["shifting_minutes"].sum()})
    work = t.drop_duplicates(["line", "day", "shift"]).groupby("line")["shift_minutes"].sum()
    out = out.div(work, level="line", axis=0)
    out["share"] = out["sole_share"] + out["shifting_share"]
    top = t.loc[t.groupby(["line", "day", "shift"], sort=False)["total"].idxmax()]
    top = top[top["total"] > 0]
    out["shifts_as_bottleneck"] = top.groupby(["line", "station"]).size().reindex(
        out.index, fill_value=0)
    out["rank"] = out.groupby(level="line")["share"].rank(method="min", ascending=False)
    out["rank"] = out["rank"].astype(int)
    return out.reset_index()


def shift_bottleneck(table: pd.DataFrame) -> pd.DataFrame:
    """The main bottleneck of each line in each shift: ``line, day, date, shift, station,
    share`` (sole + shifting share of the shift's working time)."""
    t = table.assign(share=table["sole_share"] + table["shifting_share"])
    top = t.loc[t.groupby(["line", "day", "shift"], sort=False)["share"].idxmax()]
    return top[["line", "day", "date", "shift", "station", "share"]].reset_index(drop=True)
