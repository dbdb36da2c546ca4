"""Reports of ``linesim fit`` and ``linesim backtest``: text, tables and figures.

A face: it reads the data layer's results and writes files atomically (mode 0644).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from .. import plots
from ..atomic import write_atomic, write_bytes_atomic
from ..data.backtest import PASS_SHARE, Backtest
from ..data.fit_plant import FitOutcome, write_provenance
from ..figures import save_png


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")


def format_fit(outcome: FitOutcome) -> str:
    """A plain-text table of the fitted fields (family, estimate and interval)."""
    lines = [f"{'field':62s} {'records':>7s} {'cens':>4s} {'family':11s} {'estimate':>10s}  "
             "95% interval"]
    for it in outcome.items:
        if it.value is None:
            lines.append(f"{it.path:62s} {it.records:7d} {'':4s} {'base':11s} {'':>10s}  "
                         f"{it.note}")
            continue
        ci = f"{it.low:.4g} .. {it.high:.4g}" if it.low is not None else ""
        lines.append(f"{it.path:62s} {it.records:7d} {it.censored:4d} {it.family:11s} "
                     f"{it.estimate:10.4g}  {ci}")
    return "\n".join(lines)


def write_fit_report(outcome: FitOutcome, out: Path) -> list[Path]:
    """``provenance.csv``, ``fit.txt`` and one P-P plot per fitted distribution in ``out``."""
    files = [write_atomic(out / "provenance.csv", lambda f: write_provenance(outcome.provenance, f)),
             write_atomic(out / "fit.txt", lambda f: f.write(format_fit(outcome) + "\n"))]
    for it in outcome.items:
        if it.fit is not None and it.fit.family != "fixed":
            files.append(save_png(plots.pp_plot(it), out / f"pp_{_slug(it.path)}.png"))
    return files


def format_backtest(bt: Backtest) -> str:
    """Per line: days, mean error, share of days inside the band, pass or fail."""
    rows = [f"back-test over {bt.replications} replications (a band that holds "
            f"{bt.coverage:.0%} of a correct scenario's days; 95% from 39 replications); a line "
            f"passes with at least {PASS_SHARE:.0%} of its days inside",
            f"{'line':8s} {'days':>5s} {'mean error':>11s} {'relative':>9s} {'inside':>7s}  result"]
    for _, r in bt.lines.iterrows():
        rows.append(f"{r['line']:8s} {r['days']:5d} {r['mean_error']:+11.1f} "
                    f"{r['relative_error']:+9.1%} {r['inside_share']:7.0%}  "
                    f"{'pass' if r['passed'] else 'FAIL'}")
    return "\n".join(rows)


def write_backtest_report(bt: Backtest, out: Path) -> list[Path]:
    """``backtest_daily.csv``, ``backtest_lines.csv`` and one band plot per line."""
    def table(df: pd.DataFrame):
        return lambda f: df.to_csv(f, index=False, float_format="%.6g")

    files = [write_atomic(out / "backtest_daily.csv", table(bt.daily)),
             write_atomic(out / "backtest_lines.csv", table(bt.lines))]
    for line in bt.lines["line"]:
        files.append(save_png(plots.backtest_band(bt, line), out / f"backtest_{line}.png"))
    return files
