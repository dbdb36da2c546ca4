"""Sets of PNG figures for ``linesim run|compare|sweep|bottlenecks|portfolio --plots DIR``,
and the figures of a report as PNG bytes (:func:`png`)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib.pyplot as plt

from .plots import (
    bottleneck_shares, rank_shares, tornado, bottleneck_timeline, cumulative_output, frontier, gains,
    gantt, payback, sensitivity, shapley, sweep_heatmap, sweep_lines,
    utilisation, waterfall)
from .atomic import write_file_atomic
from .results.run_result import simulate


def png(ax, dpi: int = 110) -> bytes:
    """The figure of ``ax`` as PNG bytes (the figure is closed)."""
    buf = io.BytesIO()
    ax.figure.savefig(buf, dpi=dpi, format="png")
    plt.close(ax.figure)
    return buf.getvalue()


def save_png(ax, path: Path) -> Path:
    """Save the figure of ``ax`` as a PNG (atomically, mode 0644) and close it."""
    write_file_atomic(path, lambda tmp: ax.figure.savefig(tmp, dpi=110, format="png"))
    plt.close(ax.figure)
    return path


def run_figures(reps, out: Path) -> list[Path]:
    """Waterfall and cumulative output of the replications; Gantt of the first line's
    busiest day and utilisation, from replication 0 re-run with its event log."""
    files = [save_png(waterfall(reps), out / "waterfall.png"),
             save_png(cumulative_output(reps), out / "cumulative_output.png")]
    first = simulate(reps.scenario, reps.seed, 0, event_log=True)
    line = reps.scenario.lines[0].name
    day = first.record.working_days[min(1, len(first.record.working_days) - 1)]
    stops = first.stoppages
    if len(stops):
        line, day = stops.iloc[0]["line"], int(stops.iloc[0]["start"] // 1440)
    files.append(save_png(gantt(first, line, day), out / f"gantt_{line}_day{day}.png"))
    files.append(save_png(utilisation(first, line), out / f"utilisation_{line}.png"))
    return files


def comparison_figures(cmp, out: Path) -> list[Path]:
    """Gains with intervals, Shapley shares (when they were computed), paybacks."""
    files = [save_png(gains(cmp), out / "gains.png")]
    if getattr(cmp, "shapley_mode", "exact") != "off":
        files.append(save_png(shapley(cmp), out / "shapley.png"))
    return files + [save_png(payback(cmp), out / "payback.png")]


def bottleneck_figures(diag, out: Path) -> list[Path]:
    """Bottleneck shares, the main bottleneck shift by shift, the loss waterfall, and the
    capacity sensitivity when it was computed."""
    files = [save_png(bottleneck_shares(diag.summary), out / "bottlenecks.png"),
             save_png(bottleneck_timeline(diag.table), out / "bottlenecks_by_shift.png"),
             save_png(waterfall(diag.waterfall), out / "waterfall.png")]
    if diag.sensitivity is not None:
        files.append(save_png(sensitivity(diag.sensitivity), out / "sensitivity.png"))
    return files


def portfolio_figures(port, out: Path) -> list[Path]:
    """The cost-gain frontier of the packages."""
    return [save_png(frontier(port), out / "frontier.png")]


def sweep_figures(res, out: Path, kpi: str = "units") -> list[Path]:
    """A heatmap over the first two factors and lines over the first factor."""
    f = res.factors
    files = []
    if len(f) >= 2:
        files.append(save_png(sweep_heatmap(res, f[0], f[1], kpi), out / "heatmap.png"))
    files.append(save_png(sweep_lines(res, f[0], kpi, hue=f[1] if len(f) > 1 else None),
                       out / "lines.png"))
    return files


def robustness_figures(res, out: Path) -> list[Path]:
    """``rank_shares.png`` and one ``tornado_<measure>.png`` per countermeasure in ``out``."""
    files = [save_png(rank_shares(res), out / "rank_shares.png")]
    for m in res.measures:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", m).strip("-").lower() or "measure"
        files.append(save_png(tornado(res, m), out / f"tornado_{slug}.png"))
    return files
