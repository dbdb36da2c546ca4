"""Figures of runs: where the capacity went, station states over a day, output against plan,
utilisation over time. Units: good units, ideal units of the constraint, dates and clock
times."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..engine.states import STATE_COLOURS
from .style import axes, clock_axis, date_axis, label_bars, plain_name, to_datetime


def waterfall(result, ax: Axes | None = None, line: str | None = None, top: int = 10) -> Axes:
    """Ideal capacity -> losses by cause in plain words (largest first, the rest grouped)
    -> good units, with the units on every bar. ``result``: a RunResult, Replications
    (mean waterfall) or a waterfall DataFrame."""
    ax = axes(ax, (10, 5))
    wf = result if isinstance(result, pd.DataFrame) else result.waterfall
    if line is not None:
        wf = wf[wf["line"] == line]
    cap = wf.loc[wf["kind"] == "capacity", "units"].sum()
    good = wf.loc[wf["kind"] == "good", "units"].sum()
    losses = wf[wf["kind"] == "loss"].groupby("step")["units"].sum().sort_values(ascending=False)
    losses = losses[losses.abs() >= 0.5]
    if len(losses) > top:
        losses = pd.concat([losses.iloc[:top], pd.Series({"other causes": losses.iloc[top:].sum()})])
    labels = ["ideal capacity", *(plain_name(c) for c in losses.index), "good units"]
    level = cap
    for i, v in enumerate(losses, start=1):
        bars = ax.bar(i, -v, bottom=level, color="#d62728" if v > 0 else "#2ca02c")
        label_bars(ax, bars, [-v])
        level -= v
    label_bars(ax, ax.bar(0, cap, color="#7f7f7f"))
    label_bars(ax, ax.bar(len(labels) - 1, good, color="#1f77b4"))
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("units (ideal units of the constraint station)")
    ax.set_title("Where the capacity went" + (f": {line}" if line else ": all lines"))
    return ax


def _server_spans(g: pd.DataFrame, end: float):
    for _, g2 in g.groupby("server"):
        times = g2["time"].to_numpy()
        yield from zip(times, np.append(times[1:], end), g2["state"].to_numpy())


def gantt(run, line: str, day: int, ax: Axes | None = None) -> Axes:
    """Station states of ``line`` over day ``day`` (index from the horizon start) against
    the clock, from a run made with ``event_log=True``; quality stoppages are shaded with
    their escalation levels."""
    ax = axes(ax, (11, 4.5))
    if run.events is None:
        raise ValueError("gantt needs a run simulated with event_log=True")
    start = run.scenario.horizon.start
    t0, t1 = day * 1440.0, (day + 1) * 1440.0
    ev = run.events[run.events["line"] == line]
    stations = list(dict.fromkeys(ev["station"]))
    first, last = t1, t0
    for y, (_, g) in enumerate(ev.groupby("station", sort=False)):
        for a, b, s in _server_spans(g, run.record.end):
            a, b = max(a, t0), min(b, t1)
            if b > a and s != "off_shift":
                x = to_datetime(start, [a])[0]
                ax.broken_barh([(x, np.timedelta64(int((b - a) * 60), "s"))], (y - 0.4, 0.8),
                               color=STATE_COLOURS.get(s, "#000000"))
                first, last = min(first, a), max(last, b)
    stops = run.stoppages
    for _, s in stops[stops["line"] == line].iterrows():
        a, b = max(s["start"], t0), min(s["end"] if not math.isnan(s["end"]) else t1, t1)
        if b > a:
            xa, xb = to_datetime(start, [a, b])
            ax.axvspan(xa, xb, color="#ff7f0e", alpha=0.15)
            ax.text(xa, len(stations) - 0.4, f"quality stop, level {s['level']}", fontsize=7)
    if last > first:
        ax.set_xlim(*to_datetime(start, [first, last]))
    ax.set_yticks(range(len(stations)), stations)
    ax.set_ylabel("station")
    date = to_datetime(start, [t0])[0].astype("datetime64[D]").item()
    clock_axis(ax, f"clock time on {date:%a %d %b %Y}")
    shown = [s for s in STATE_COLOURS if s != "off_shift"]
    handles = [plt.Rectangle((0, 0), 1, 1, color=STATE_COLOURS[s]) for s in shown]
    ax.legend(handles, [plain_name(s) for s in shown], fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1))
    ax.set_title(f"{line}: what each station was doing on {date:%d %b %Y}")
    return ax


def cumulative_output(reps, ax: Axes | None = None) -> Axes:
    """Cumulative good units against the plan by date, with the band of the replications
    (min to max) and their mean."""
    ax = axes(ax)
    out = reps.output.groupby(["replication", "date"])[["good_units", "planned_units"]].sum()
    good = out["good_units"].unstack(0).sort_index().cumsum()
    plan = out["planned_units"].unstack(0).sort_index().cumsum().iloc[:, 0]
    dates = pd.to_datetime(good.index)
    ax.fill_between(dates, good.min(axis=1), good.max(axis=1), alpha=0.3,
                    label=f"range of {good.shape[1]} replications")
    ax.plot(dates, good.mean(axis=1), marker=".", label="mean good units")
    ax.plot(dates, plan.to_numpy(), "k--", label="plan")
    ax.annotate(f"{good.mean(axis=1).iloc[-1]:,.0f}", (dates[-1], good.mean(axis=1).iloc[-1]),
                xytext=(4, -10), textcoords="offset points", fontsize=8)
    ax.annotate(f"plan {plan.iloc[-1]:,.0f}", (dates[-1], plan.iloc[-1]), xytext=(4, 2),
                textcoords="offset points", fontsize=8)
    date_axis(ax)
    ax.set_ylabel("cumulative good units")
    ax.legend()
    ax.set_title("Output against plan")
    return ax


def _daily_minutes(ev: pd.DataFrame, end: float) -> pd.DataFrame:
    rows = []
    for st, g in ev.groupby("station", sort=False):
        for a, b, s in _server_spans(g, end):
            for d in range(int(a // 1440), int(b // 1440) + 1):
                lo, hi = max(a, d * 1440), min(b, (d + 1) * 1440)
                if hi > lo:
                    rows.append((st, d, s, hi - lo))
    return pd.DataFrame(rows, columns=["station", "day", "state", "minutes"])


def utilisation(run, line: str, ax: Axes | None = None) -> Axes:
    """Share of each station's scheduled time spent working, date by date (needs a run
    with ``event_log=True``)."""
    ax = axes(ax)
    if run.events is None:
        raise ValueError("utilisation needs a run simulated with event_log=True")
    df = _daily_minutes(run.events[run.events["line"] == line], run.record.end)
    sched = df[~df["state"].isin(["off_shift", "break"])]
    work = sched[sched["state"] == "working"].groupby(["station", "day"])["minutes"].sum()
    total = sched.groupby(["station", "day"])["minutes"].sum()
    util = (100 * work / total).fillna(0).unstack(0)
    dates = to_datetime(run.scenario.horizon.start, util.index.to_numpy() * 1440.0)
    for st in util.columns:
        ax.plot(dates, util[st], marker=".", label=st)
    ax.set_ylim(0, 100)
    date_axis(ax)
    ax.set_ylabel("working time, % of scheduled time")
    ax.legend(fontsize=7, title="station", title_fontsize=7)
    ax.set_title(f"{line}: utilisation day by day")
    return ax
