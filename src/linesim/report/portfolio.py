"""The readable report of ``linesim portfolio`` and the CSV files of ``--out``."""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..atomic import write_atomic, write_text_atomic
from ..experiments.portfolio import Portfolio


def _days(v: float) -> str:
    return "never" if not math.isfinite(v) else f"{v:,.0f}"


def format_portfolio(p: Portfolio, top: int = 10) -> str:
    """The choice and how sure it is, then the best packages by net present value."""
    cur = p.currency
    t = p.packages
    lines = [f"linesim portfolio: {len(p.measures)} countermeasures, "
             + ("no budget limit" if p.budget is None else f"budget {p.budget:,.0f} {cur}")
             + f"; {p.search}; {len(t)} feasible packages; {p.appraisal.describe()}; "
             f"indifference zone {p.delta:,.0f} {cur} a month", "", p.describe(), "",
             f"{'package':<48}{'one-off':>11}{'gain/month':>12}  {'interval':<18}"
             f"{'net/month':>11}{'NPV':>13}{'reps':>6}"]
    for name, r in t.head(top).iterrows():
        mark = "*" if r["selected"] else ("~" if r["contender"] else " ")
        ci = f"[{r['gain_low']:,.0f}, {r['gain_high']:,.0f}]"
        lines.append(f"{mark}{name[:47]:<47}{r['one_off_cost']:>11,.0f}{r['gain']:>12,.0f}  "
                     f"{ci:<18}{r['monthly_net']:>11,.0f}{r['npv']:>13,.0f}"
                     f"{r['replications']:>6d}")
    if len(t) > top:
        lines.append(f"  ... and {len(t) - top} more (packages.csv)")
    lines += ["", "* selected, ~ still a contender; gain: good units a month with its 95% "
              f"interval; net: gain x margin ({p.margin:,.0f} {cur}) - running costs; NPV: "
              "net present value less the one-off cost; reps: replications of the package."]
    return "\n".join(lines)


def write_portfolio(p: Portfolio, out_dir: Path) -> None:
    """packages.csv (every candidate) and portfolio.json, each atomically."""
    df = p.packages.assign(measures=p.packages["measures"].map(" + ".join))
    write_atomic(out_dir / "packages.csv", lambda f: df.to_csv(f))
    write_text_atomic(out_dir / "portfolio.json", json.dumps(p.to_dict(), indent=2) + "\n")
