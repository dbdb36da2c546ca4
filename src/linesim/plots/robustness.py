"""Figures of a robustness study (:mod:`linesim.experiments.robustness`): a tornado of how
each countermeasure's gain moves with each uncertain parameter, and how often each measure
takes each rank over the joint points. Every function takes the results and an optional ``ax``
and returns the Axes it drew on."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

LOW, HIGH = "#1f77b4", "#d62728"


def tornado(res, measure: str, ax: Axes | None = None, top: int = 12) -> Axes:
    """Gain of ``measure`` (good units a month) with each parameter at its low end (blue)
    and its high end (red), around the gain at the nominal point; largest swing on top."""
    t = res.tornado
    t = t[t.measure == measure].head(top).iloc[::-1]
    if ax is None:
        ax = plt.subplots(figsize=(9, 0.45 * len(t) + 1.6), layout="constrained")[1]
    nominal = float(t["gain_nominal"].iloc[0]) if len(t) else 0.0
    noise = float(t["noise"].iloc[0]) if len(t) else 0.0
    y = np.arange(len(t))
    ax.axvspan(nominal - noise, nominal + noise, color="#dddddd", zorder=0,
               label=f"noise: 95% range of an end on {res.oat_replications} replication"
                     f"{'s' if res.oat_replications > 1 else ''}")
    for col, colour, label, dy in (("gain_low", LOW, "parameter at its low end", 0.2),
                                   ("gain_high", HIGH, "parameter at its high end", -0.2)):
        ax.barh(y + dy, t[col] - nominal, left=nominal, height=0.38, color=colour,
                label=label)
        for yi, v in zip(y + dy, t[col]):
            ax.annotate(f"{v:,.0f}", (v, yi), fontsize=7, va="center",
                        ha="left" if v >= nominal else "right",
                        xytext=(3 if v >= nominal else -3, 0), textcoords="offset points")
    ax.axvline(nominal, color="black", lw=0.8)
    ax.set_yticks(y, [f"{p} [{_end(c, lo)} .. {_end(c, hi)}]" for p, c, lo, hi in
                      zip(t["parameter"], t["change"], t["low"], t["high"])], fontsize=8)
    ax.set_xlabel("gain, good units per month")
    ax.set_title(f"{measure}: gain {nominal:,.0f} units/month at the nominal point,\nand with "
                 f"each parameter at each end of its range (against the nominal on the same "
                 f"replications)",
                 fontsize=10)
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


def _end(change: str, v: float) -> str:
    return f"x{v:g}" if change == "scale" else f"{v:g}"


def rank_shares(res, ax: Axes | None = None) -> Axes:
    """Share of the joint points at which each measure takes each rank (rows: measures in
    nominal order; a dark first column means a stable winner)."""
    t = res.table
    j = t[t.kind == "joint"]
    order = list(res.rank_stability["measure"])
    n = len(order)
    counts = pd.crosstab(j["measure"], j["rank"]).reindex(index=order, columns=range(1, n + 1),
                                                          fill_value=0)
    shares = counts / max(1, j["point"].nunique())
    if ax is None:
        ax = plt.subplots(figsize=(max(7.5, 3 + 0.6 * n), 1.5 + 0.45 * n),
                          layout="constrained")[1]
    im = ax.imshow(shares.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (i, k), v in np.ndenumerate(shares.to_numpy()):
        if v > 0:
            ax.text(k, i, f"{100 * v:.0f}%", ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 else "black")
    ax.set_xticks(range(n), [str(k) for k in range(1, n + 1)])
    ax.set_yticks(range(n), order, fontsize=8)
    ax.set_xlabel(f"rank by {res.rank_by} (1 = best)")
    ax.set_title(f"How often each measure takes each rank\nover {j['point'].nunique()} joint "
                 "points of the uncertain parameters", fontsize=10)
    ax.figure.colorbar(im, ax=ax, label="share of joint points")
    return ax
