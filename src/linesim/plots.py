"""Plots of linesim results (matplotlib). Every function takes results and an optional
``ax`` and returns the Axes it drew on. Units: good units, minutes, days.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .engine.states import STATE_COLOURS, plain_name


def _ax(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(9, 4.5), layout="constrained")[1]


def waterfall(result, ax: Axes | None = None, line: str | None = None, top: int = 10) -> Axes:
    """Ideal capacity -> losses by cause (largest first, the rest grouped) -> good units.
    ``result``: a RunResult, Replications (mean waterfall) or a waterfall DataFrame."""
    ax = _ax(ax)
    wf = result if isinstance(result, pd.DataFrame) else result.waterfall
    if line is not None:
        wf = wf[wf["line"] == line]
    cap = wf.loc[wf["kind"] == "capacity", "units"].sum()
    good = wf.loc[wf["kind"] == "good", "units"].sum()
    losses = wf[wf["kind"] == "loss"].groupby("step")["units"].sum().sort_values(ascending=False)
    losses = losses[losses.abs() > 1e-9]
    if len(losses) > top:
        losses = pd.concat([losses.iloc[:top], pd.Series({"other": losses.iloc[top:].sum()})])
    labels = ["ideal capacity", *losses.index, "good units"]
    level = cap
    for i, (name, v) in enumerate(losses.items(), start=1):
        ax.bar(i, -v, bottom=level, color="#d62728" if v > 0 else "#2ca02c")
        level -= v
    ax.bar(0, cap, color="#7f7f7f")
    ax.bar(len(labels) - 1, good, color="#1f77b4")
    ax.set_xticks(range(len(labels)), labels, rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("units")
    ax.set_title("Where the capacity went" + (f" - {line}" if line else ""))
    return ax


def gantt(run, line: str, day: int, ax: Axes | None = None) -> Axes:
    """Station states of ``line`` over working day ``day`` (index from the horizon start),
    from a run made with ``event_log=True``; quality stoppages are shaded with their
    escalation levels."""
    ax = _ax(ax)
    if run.events is None:
        raise ValueError("gantt needs a run simulated with event_log=True")
    t0, t1 = day * 1440.0, (day + 1) * 1440.0
    ev = run.events[run.events["line"] == line]
    stations = list(dict.fromkeys(ev["station"]))
    for y, (st, g) in enumerate(ev.groupby("station", sort=False)):
        for k, g2 in g.groupby("server"):
            times = g2["time"].to_numpy()
            states = g2["state"].to_numpy()
            ends = np.append(times[1:], run.record.end)
            for a, b, s in zip(times, ends, states):
                a, b = max(a, t0), min(b, t1)
                if b > a and s != "off_shift":
                    ax.broken_barh([((a - t0) / 60, (b - a) / 60)], (y - 0.4, 0.8),
                                   color=STATE_COLOURS.get(s, "#000000"))
    stops = run.stoppages
    for _, s in stops[stops["line"] == line].iterrows():
        a, b = max(s["start"], t0), min(s["end"] if not math.isnan(s["end"]) else t1, t1)
        if b > a:
            ax.axvspan((a - t0) / 60, (b - t0) / 60, color="#ff7f0e", alpha=0.15)
            ax.text((a - t0) / 60, len(stations) - 0.4, f"quality stop, level {s['level']}",
                    fontsize=7)
    ax.set_yticks(range(len(stations)), stations)
    ax.set_xlabel(f"hour of day {day}")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for s, c in STATE_COLOURS.items()
               if s not in ("off_shift",)]
    ax.legend(handles, [plain_name(s) for s in STATE_COLOURS if s != "off_shift"], fontsize=7,
              loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(f"{line}: station states")
    return ax


def cumulative_output(reps, ax: Axes | None = None) -> Axes:
    """Cumulative good units against the plan over the horizon, with the band of the
    replications (min to max) and their mean."""
    ax = _ax(ax)
    out = reps.output.groupby(["replication", "day"])[["good_units", "planned_units"]].sum()
    good = out["good_units"].unstack(0).sort_index().cumsum()
    plan = out["planned_units"].unstack(0).sort_index().cumsum().iloc[:, 0]
    days = good.index.to_numpy()
    ax.fill_between(days, good.min(axis=1), good.max(axis=1), alpha=0.3, label="replications")
    ax.plot(days, good.mean(axis=1), label="mean good units")
    ax.plot(days, plan.to_numpy(), "k--", label="plan")
    ax.set_xlabel("day")
    ax.set_ylabel("cumulative units")
    ax.legend()
    ax.set_title("Output against plan")
    return ax


def _intervals(t: pd.DataFrame, col: str, ax: Axes, colour: str, offset: float, label: str):
    y = np.arange(len(t)) + offset
    err = [t[col] - t[f"{col}_low"], t[f"{col}_high"] - t[col]]
    ax.barh(y, t[col], height=0.38, color=colour, label=label)
    ax.errorbar(t[col], y, xerr=err, fmt="none", ecolor="black", capsize=2)


def gains(cmp, ax: Axes | None = None) -> Axes:
    """Each countermeasure's gain alone and its Shapley share, units per month, with 95%
    intervals."""
    ax = _ax(ax)
    t = cmp.table.sort_values("gain")
    _intervals(t, "gain", ax, "#1f77b4", -0.2, "alone")
    _intervals(t, "shapley", ax, "#ff7f0e", 0.2, "Shapley share")
    ax.set_yticks(range(len(t)), t.index, fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("good units per month")
    ax.legend()
    ax.set_title("Gains with 95% intervals")
    return ax


def shapley(cmp, ax: Axes | None = None) -> Axes:
    """Shapley shares of the combined gain (they add up to it)."""
    ax = _ax(ax)
    t = cmp.table.sort_values("shapley")
    _intervals(t, "shapley", ax, "#ff7f0e", 0.0, "Shapley share")
    ax.set_yticks(range(len(t)), t.index, fontsize=8)
    m, lo, hi = cmp.combined
    ax.set_title(f"Shares of the combined gain {m:,.0f} [{lo:,.0f}, {hi:,.0f}] units/month")
    ax.axvline(0, color="black", lw=0.8)
    return ax


def payback(cmp, ax: Axes | None = None) -> Axes:
    """Payback in working days of each countermeasure that pays back."""
    ax = _ax(ax)
    t = cmp.table[np.isfinite(cmp.table["payback_days"])].sort_values("payback_days")
    ax.barh(range(len(t)), t["payback_days"], color="#2ca02c")
    ax.set_yticks(range(len(t)), t.index, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("working days to pay back the one-off cost")
    ax.set_title("Payback (measures that never pay back are left out)")
    return ax


def sweep_heatmap(res, x: str, y: str, kpi: str = "units", ax: Axes | None = None) -> Axes:
    """Mean ``kpi`` over two factors of a sweep (other factors averaged)."""
    ax = _ax(ax)
    s = res.summary([kpi])
    grid = s.pivot_table(index=y, columns=x, values="mean", aggfunc="mean")
    im = ax.imshow(grid.to_numpy(), aspect="auto", origin="lower", cmap="viridis")
    ax.set_xticks(range(grid.shape[1]), grid.columns)
    ax.set_yticks(range(grid.shape[0]), grid.index)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.figure.colorbar(im, ax=ax, label=f"mean {kpi}")
    ax.set_title(f"{kpi} by {x} and {y}")
    return ax


def sweep_lines(res, x: str, kpi: str = "units", hue: str | None = None,
                ax: Axes | None = None) -> Axes:
    """Mean ``kpi`` against factor ``x`` with its interval band, one line per ``hue`` level
    (other factors fixed at their first level)."""
    ax = _ax(ax)
    s = res.summary([kpi])
    others = [f for f in res.factors if f not in (x, hue)]
    for f in others:
        s = s[s[f] == s[f].iloc[0]]
    groups = s.groupby(hue) if hue else [(None, s)]
    for level, g in groups:
        g = g.sort_values(x)
        ax.plot(g[x], g["mean"], marker="o", label=f"{hue}={level}" if hue else kpi)
        ax.fill_between(g[x], g["ci_low"], g["ci_high"], alpha=0.2)
    ax.set_xlabel(x)
    ax.set_ylabel(kpi)
    ax.legend()
    return ax


def utilisation(run, line: str, ax: Axes | None = None) -> Axes:
    """Share of each station's scheduled time spent working, day by day (needs a run with
    ``event_log=True``)."""
    ax = _ax(ax)
    if run.events is None:
        raise ValueError("utilisation needs a run simulated with event_log=True")
    ev = run.events[run.events["line"] == line]
    end = run.record.end
    rows = []
    for (st, k), g in ev.groupby(["station", "server"], sort=False):
        times = np.append(g["time"].to_numpy(), end)
        for a, b, s in zip(times[:-1], times[1:], g["state"]):
            d0, d1 = int(a // 1440), int(b // 1440)
            for d in range(d0, d1 + 1):
                lo, hi = max(a, d * 1440), min(b, (d + 1) * 1440)
                if hi > lo:
                    rows.append((st, d, s, hi - lo))
    df = pd.DataFrame(rows, columns=["station", "day", "state", "minutes"])
    sched = df[~df["state"].isin(["off_shift", "break"])]
    work = sched[sched["state"] == "working"].groupby(["station", "day"])["minutes"].sum()
    total = sched.groupby(["station", "day"])["minutes"].sum()
    util = (work / total).fillna(0).unstack(0)
    for st in util.columns:
        ax.plot(util.index, util[st], marker=".", label=st)
    ax.set_ylim(0, 1)
    ax.set_xlabel("day")
    ax.set_ylabel("working / scheduled time")
    ax.legend(fontsize=7)
    ax.set_title(f"{line}: utilisation over time")
    return ax
