"""Plots of linesim results (matplotlib), ready for a slide deck: plain-language names from
the state table, units on every axis, values on bars, intervals drawn, titles, dates and
clock times on time axes. Every function takes results and an optional ``ax`` and returns
the Axes it drew on.

- runs (:mod:`.run`): :func:`waterfall`, :func:`gantt`, :func:`cumulative_output`,
  :func:`utilisation`
- decisions (:mod:`.decisions`): :func:`gains`, :func:`shapley`, :func:`payback`,
  :func:`frontier` (packages under a budget), :func:`sensitivity` (capacity)
- bottlenecks (:mod:`.bottlenecks`): :func:`bottleneck_shares`, :func:`bottleneck_timeline`
- sweeps (:mod:`.sweep`): :func:`sweep_heatmap`, :func:`sweep_lines`
- robustness (:mod:`.robustness`): :func:`tornado`, :func:`rank_shares`
- plant records (:mod:`.data`): :func:`pp_plot`, :func:`backtest_band`
"""

from ..engine.states import STATE_COLOURS
from .bottlenecks import bottleneck_shares, bottleneck_timeline
from .data import backtest_band, pp_plot
from .decisions import frontier, gains, payback, sensitivity, shapley
from .robustness import rank_shares, tornado
from .run import cumulative_output, gantt, utilisation, waterfall
from .sweep import sweep_heatmap, sweep_lines


__all__ = ["STATE_COLOURS", "backtest_band", "bottleneck_shares", "bottleneck_timeline",
           "cumulative_output", "frontier", "gains", "gantt", "payback", "pp_plot", "rank_shares",
           "sensitivity", "shapley", "sweep_heatmap", "sweep_lines", "tornado", "utilisation",
           "waterfall"]
