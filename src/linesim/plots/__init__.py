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
"""

from ..engine.states import STATE_COLOURS
from .bottlenecks import bottleneck_shares, bottleneck_timeline
from .decisions import frontier, gains, payback, sensitivity, shapley
from .run import cumulative_output, gantt, utilisation, waterfall
from .sweep import sweep_heatmap, sweep_lines

