"""Figures of sweeps: a KPI over two factors, and a KPI against one factor."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from .style import axes

#: axis labels of the KPIs, with their units
KPI_LABELS = {"units": "good units", "oee": "OEE (fraction)", "units_per_day":
              "good units per working day", "plan_attainment": "plan attainment (fraction)",
              "wip": "work in progress (units)", "flow_time": "flow time (minutes)"}


def sweep_heatmap(res, x: str, y: str, kpi: str = "units", ax: Axes | None = None) -> Axes:
    """Mean ``kpi`` over two factors of a sweep (other factors averaged)."""
    ax = axes(ax)
    s = res.summary([kpi])
    grid = s.pivot_table(index=y, columns=x, values="mean", aggfunc="mean")
    im = ax.imshow(grid.to_numpy(), aspect="auto", origin="lower", cmap="viridis")
    ax.set_xticks(range(grid.shape[1]), grid.columns)
    ax.set_yticks(range(grid.shape[0]), grid.index)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for (i, j), v in np.ndenumerate(grid.to_numpy()):
        ax.annotate(f"{v:,.{_digits(v)}f}", (j, i), ha="center", va="center", fontsize=8,
                    color="white")
    ax.figure.colorbar(im, ax=ax, label=f"mean {_label(kpi)}")
    ax.set_title(f"Mean {_label(kpi)} by {x} and {y}")
    return ax


def sweep_lines(res, x: str, kpi: str = "units", hue: str | None = None,
                ax: Axes | None = None) -> Axes:
    """Mean ``kpi`` against factor ``x`` with its interval band, one line per ``hue`` level
    (other factors fixed at their first level)."""
    ax = axes(ax)
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
    ax.set_ylabel(f"mean {_label(kpi)} (band: interval)")
    ax.legend()
    ax.set_title(f"Mean {_label(kpi)} against {x}")
    return ax


def _label(kpi: str) -> str:
    return KPI_LABELS.get(kpi, kpi.replace("_", " "))


def _digits(v: float) -> int:
    return 0 if abs(v) >= 100 else 2
