"""Plots of plant records against the model: P-P plots of fitted durations and the back-test
of daily output against the simulation's band (:mod:`linesim.data`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .style import axes


def pp_plot(item, ax: Axes | None = None) -> Axes:
    """P-P plot of one fitted duration (a provenance item with a fit): the fitted law's CDF
    against the Kaplan-Meier estimate of the records at each finished record."""
    from ..data.fitting import pp_points

    ax = axes(ax, (4.5, 4.5))
    model, km = pp_points(item.fit)
    ax.plot([0, 1], [0, 1], color="#999999", lw=1, label="perfect fit")
    ax.plot(model, km, "o", ms=3, color="#1f77b4", label="records")
    ax.set_xlabel(f"fitted {item.family} CDF")
    ax.set_ylabel("records (Kaplan-Meier)")
    p = f", KS p = {item.p_value:.2f}" if item.p_value is not None else ""
    ax.set_title(f"{item.path}\n{item.records} records, {item.censored} censored{p}",
                 fontsize=8)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def backtest_band(bt, line: str, ax: Axes | None = None) -> Axes:
    """History of daily good units of ``line`` against the simulation's band and mean
    (a :class:`linesim.data.backtest.Backtest`)."""
    ax = axes(ax)
    d = bt.daily[bt.daily["line"] == line].sort_values("date")
    x = pd.to_datetime(d["date"])
    height = np.maximum(d["high"] - d["low"], 0.5)  # a band of one value stays visible
    ax.bar(x, height, bottom=d["low"], width=0.7, color="#aec7e8",
           label=f"simulated {bt.coverage:.0%} band ({bt.replications} replications)")
    ax.plot(x, d["mean"], "_", ms=8, color="#1f77b4", label="simulated mean")
    inside = d["inside"].to_numpy(dtype=bool)
    ax.plot(x[inside], d["history"][inside], "o", ms=4, color="#2ca02c", label="history, inside")
    ax.plot(x[~inside], d["history"][~inside], "x", ms=6, color="#d62728",
            label="history, outside")
    row = bt.lines[bt.lines["line"] == line].iloc[0]
    ax.set_title(f"{line}: {row['inside_share']:.0%} of {row['days']} days inside the band, "
                 f"mean error {row['mean_error']:+.1f} units a day")
    ax.set_ylabel("good units a day")
    ax.legend(fontsize=8, loc="lower left")
    ax.figure.autofmt_xdate()
    return ax
