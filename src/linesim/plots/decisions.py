"""Figures for decisions: each countermeasure's gain, Shapley share and payback, the best
package under a budget, and where capacity pays most. Units: good units per month, working
days, the scenario's currency. Intervals are the comparison's (95% by default)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes

from .style import axes, fmt_number, hbar_intervals


def _pct(cmp) -> str:
    return f"{100 * cmp.level:g}%"


def gains(cmp, ax: Axes | None = None) -> Axes:
    """One bar per countermeasure: its gain alone, good units per month, with its interval
    and value; a diamond marks its Shapley share of the combined gain (with its interval)."""
    t = cmp.table.sort_values("gain")
    ax = axes(ax, (9, 1.2 + 0.5 * len(t)))
    y = np.arange(len(t))
    hbar_intervals(ax, y, t["gain"], t["gain_low"], t["gain_high"], "#1f77b4",
                   label="gain of the measure alone")
    ax.errorbar(t["shapley"], y, xerr=[t["shapley"] - t["shapley_low"],
                                       t["shapley_high"] - t["shapley"]],
                fmt="D", color="#ff7f0e", ecolor="#ff7f0e", capsize=2, ms=6,
                label="its Shapley share of the combined gain")
    ax.set_yticks(y, t.index, fontsize=9)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("good units per month")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Gain of each measure, with {_pct(cmp)} intervals")
    return ax


def shapley(cmp, ax: Axes | None = None) -> Axes:
    """Shapley shares of the combined gain (they add up to it), good units per month."""
    t = cmp.table.sort_values("shapley")
    ax = axes(ax, (9, 1.2 + 0.5 * len(t)))
    hbar_intervals(ax, np.arange(len(t)), t["shapley"], t["shapley_low"], t["shapley_high"],
                   "#ff7f0e")
    ax.set_yticks(range(len(t)), t.index, fontsize=9)
    m, lo, hi = cmp.combined
    ax.set_xlabel("share of the combined gain, good units per month")
    ax.set_title(f"Shares of the combined gain of {m:,.0f} [{lo:,.0f}, {hi:,.0f}] "
                 "good units a month")
    ax.axvline(0, color="black", lw=0.8)
    return ax


def payback(cmp, ax: Axes | None = None) -> Axes:
    """Payback in working days of each countermeasure with a one-off cost, with the interval
    the gain's interval implies; an interval without an upper end (the low end of the gain
    never pays back) is drawn to the edge and marked."""
    t = cmp.table[(cmp.table["one_off_cost"] > 0)].sort_values("payback_days", ascending=False)
    ax = axes(ax, (9, 1.2 + 0.5 * len(t)))
    finite = t["payback_days"].replace(math.inf, np.nan)
    edge = float(np.nanmax([*finite, *t["payback_high"].replace(math.inf, np.nan), 1.0])) * 1.15
    y = np.arange(len(t))
    bars = ax.barh(y, finite.fillna(0), color="#2ca02c", height=0.6)
    some = t["payback_low"].to_numpy() < edge  # an interval that starts inside the axis
    lo, hi = t["payback_low"].clip(upper=edge)[some], t["payback_high"].clip(upper=edge)[some]
    ax.hlines(y[some], lo, hi, color="black", lw=1)
    ax.plot(lo, y[some], "|", color="black", ms=8)
    ax.plot(hi, y[some], "|", color="black", ms=8)
    wd = cmp.working_days_per_month
    for yy, (_, r), b in zip(y, t.iterrows(), bars):
        text = ("never pays back" if math.isinf(r["payback_days"]) else
                f"{r['payback_days']:,.0f} days ({r['payback_days'] / wd:,.1f} months)")
        if math.isinf(r["payback_high"]) and not math.isinf(r["payback_days"]):
            text += ", upper end: never"
        ax.annotate(text, (b.get_width(), yy), xytext=(4, 6), textcoords="offset points",
                    fontsize=8)
    ax.set_yticks(y, t.index, fontsize=9)
    ax.set_xlim(0, edge * 1.25)
    ax.set_xlabel(f"working days to earn back the one-off cost ({wd:.1f} working days a month)")
    ax.set_title(f"Payback with {_pct(cmp)} intervals")
    return ax


def frontier(port, ax: Axes | None = None) -> Axes:
    """Every candidate package: one-off cost against gain (good units per month) with
    intervals; the cost-gain frontier joined, the budget marked, the selected package and
    the other contenders labelled."""
    ax = axes(ax, (9, 5))
    t = port.packages.sort_values("one_off_cost")
    err = [t["gain"] - t["gain_low"].fillna(t["gain"]), t["gain_high"].fillna(t["gain"]) - t["gain"]]
    ax.errorbar(t["one_off_cost"], t["gain"], yerr=err, fmt="o", color="#9a9a9a", ms=4,
                capsize=2, lw=0.8, label="a package (mean and interval)")
    f = t[t["frontier"]]
    ax.plot(f["one_off_cost"], f["gain"], "-", color="#1f77b4", lw=1.5,
            label="cost-gain frontier")
    for name, r in t[t["contender"] | t["selected"]].iterrows():
        colour = "#d62728" if r["selected"] else "#ff7f0e"
        ax.plot(r["one_off_cost"], r["gain"], "o", color=colour, ms=9)
        ax.annotate(f"{name}\n{r['gain']:,.0f} units/month", (r["one_off_cost"], r["gain"]),
                    xytext=(6, 6), textcoords="offset points", fontsize=8, color=colour)
    if port.budget is not None:
        ax.axvline(port.budget, color="black", ls="--", lw=1)
        ax.annotate(f"budget\n{port.budget:,.0f}", (port.budget, ax.get_ylim()[1]),
                    xytext=(-4, -24), textcoords="offset points", fontsize=8, ha="right")
    ax.set_xlabel(f"one-off cost ({port.currency})")
    ax.set_ylabel("gain, good units per month")
    ax.xaxis.set_major_formatter(lambda v, _: fmt_number(v))
    ax.legend(fontsize=8, loc="best")
    ax.set_title("Packages of measures: what each costs and gains (selected in red)")
    return ax


def sensitivity(table, ax: Axes | None = None, top: int = 15) -> Axes:
    """Capacity sensitivity: good units a month gained from 10% more capacity at each
    station (the ``top`` largest), with intervals."""
    t = table.sort_values("gain", ascending=False).head(top).iloc[::-1]
    ax = axes(ax, (9, 1.2 + 0.4 * len(t)))
    scale = t["gain_month"] / t["gain"].where(t["gain"] != 0)
    scale = float(scale.dropna().iloc[0]) if scale.notna().any() else 1.0
    hbar_intervals(ax, np.arange(len(t)), t["gain_month"], t["gain_low"] * scale,
                   t["gain_high"] * scale, "#17becf")
    ax.set_yticks(range(len(t)), [f"{a} {b}" for a, b in zip(t["line"], t["station"])],
                  fontsize=9)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("good units per month from 10% more capacity at the station")
    ax.set_title("Where capacity pays: gain from a 10% faster station")
    return ax
