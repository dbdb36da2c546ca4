"""Figures of bottlenecks by the active-period method: each station's sole and shifting
bottleneck shares of working time, and the main bottleneck of every line shift by shift."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .style import axes

SOLE, SHIFTING = "#8c2d04", "#fdae6b"


def bottleneck_shares(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Per line and station, the share of working time it was the sole bottleneck (dark)
    and a shifting bottleneck (light), in %, with the total written beside."""
    t = summary.iloc[::-1]
    ax = axes(ax, (9, 1.5 + 0.28 * len(t)))
    y = np.arange(len(t))
    ax.barh(y, 100 * t["sole_share"], color=SOLE, label="sole bottleneck")
    ax.barh(y, 100 * t["shifting_share"], left=100 * t["sole_share"], color=SHIFTING,
            label="shifting bottleneck")
    for yy, v in zip(y, 100 * t["share"]):
        ax.annotate(f"{v:.0f}%", (v, yy), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)
    ax.set_yticks(y, [f"{a}  {b}" for a, b in zip(t["line"], t["station"])], fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("share of working time as the bottleneck (%)")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Bottlenecks by the active-period method")
    return ax


def bottleneck_timeline(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The main bottleneck station of each line in each shift (the one with the largest
    sole + shifting share), as a coloured strip by date; replication 0 when there are
    several."""
    if "replication" in table:
        table = table[table["replication"] == table["replication"].min()]
    t = table.assign(share=table["sole_share"] + table["shifting_share"])
    top = t.loc[t.groupby(["line", "day", "shift"], sort=False)["share"].idxmax()]
    lines = list(dict.fromkeys(top["line"]))
    stations = list(dict.fromkeys(top["station"]))
    colours = dict(zip(stations, plt.get_cmap("tab10").colors))
    ax = axes(ax, (10, 1.2 + 0.5 * len(lines)))
    per_day = max(1, int(top.groupby(["line", "day"]).size().max()))
    width = pd.Timedelta(hours=22) / per_day
    slot = top.groupby(["line", "day"]).cumcount()
    for (_, r), k in zip(top.iterrows(), slot):
        x = pd.Timestamp(r["date"]) + pd.Timedelta(hours=1) + k * width
        ax.broken_barh([(x, width * 0.95)], (lines.index(r["line"]) - 0.35, 0.7),
                       color=colours[r["station"]])
    ax.set_yticks(range(len(lines)), lines)
    ax.set_ylabel("line")
    ax.invert_yaxis()
    dates = sorted(pd.to_datetime(top["date"].unique()))
    step = max(1, len(dates) // 12)
    ax.set_xticks([d + pd.Timedelta(hours=12) for d in dates[::step]],
                  [f"{d:%a %d %b}" for d in dates[::step]], fontsize=8)
    ax.set_xlabel("date (one block per shift" + (", in shift order)" if per_day > 1 else ")"))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, stations, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
              title="main bottleneck", title_fontsize=8)
    ax.set_title("Which station held each line back, shift by shift")
    return ax
