"""What every linesim figure shares: a fresh Axes, values on bars, intervals, time axes.

Times in a run are simulation minutes from 00:00 of the horizon's first day; the time axes
of the figures show dates and clock times instead (:func:`to_datetime`).
"""

from __future__ import annotations

import datetime as dt
import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..engine.states import plain_name

__all__ = ["axes", "label_bars", "to_datetime", "date_axis", "clock_axis", "plain_name",
           "fmt_number", "hbar_intervals"]


def axes(ax: Axes | None, size: tuple[float, float] = (9, 4.5)) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches."""
    return ax if ax is not None else plt.subplots(figsize=size, layout="constrained")[1]


def fmt_number(v: float, digits: int = 0) -> str:
    """A number with thousands separators; '-' for NaN, 'never' for infinity."""
    if isinstance(v, float) and math.isnan(v):
        return "-"
    if isinstance(v, float) and math.isinf(v):
        return "never"
    return f"{v:,.{digits}f}"


def label_bars(ax: Axes, bars, values=None, digits: int = 0, suffix: str = "") -> None:
    """Write each bar's value (or ``values``) at its end."""
    vals = bars.datavalues if values is None else list(values)
    ax.bar_label(bars, [fmt_number(float(v), digits) + suffix for v in vals], padding=3,
                 fontsize=8)


def hbar_intervals(ax: Axes, y, mean, low, high, colour: str, label: str | None = None,
                   height: float = 0.6, digits: int = 0):
    """Horizontal bars of ``mean`` with ``low``-``high`` intervals and the value written
    beside each bar's interval."""
    mean, low, high = (np.asarray(a, dtype=float) for a in (mean, low, high))
    bars = ax.barh(y, mean, height=height, color=colour, label=label)
    lo = np.where(np.isnan(low), mean, low)
    hi = np.where(np.isnan(high), mean, high)
    err = [np.clip(mean - lo, 0, None), np.clip(hi - mean, 0, None)]
    ax.errorbar(mean, y, xerr=err, fmt="none", ecolor="black", capsize=3, lw=1)
    for yy, m, h in zip(np.atleast_1d(y), mean, hi):
        ax.annotate(fmt_number(float(m), digits), (max(h, m, 0), yy), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    return bars


def to_datetime(start: dt.date, minutes) -> np.ndarray:
    """Simulation minutes -> datetimes (numpy datetime64[s]) from 00:00 of ``start``."""
    t0 = np.datetime64(dt.datetime.combine(start, dt.time()), "s")
    return t0 + (np.asarray(minutes, dtype=float) * 60).astype("timedelta64[s]")


def date_axis(ax: Axes, label: str = "date") -> None:
    """Dates on the x axis (day and month)."""
    loc = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_xlabel(label)


def clock_axis(ax: Axes, label: str) -> None:
    """Clock times (HH:MM) on the x axis."""
    ax.xaxis.set_major_locator(mdates.HourLocator(interval=1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    for t in ax.get_xticklabels():
        t.set_rotation(45)
    ax.set_xlabel(label)
