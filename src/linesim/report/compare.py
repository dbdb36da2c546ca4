"""The readable table of ``linesim compare`` and the CSV files of ``--out``."""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..atomic import write_atomic, write_text_atomic
from ..experiments.compare import Comparison


def _money(v: float) -> str:
    return "-" if not math.isfinite(v) else f"{v:,.0f}"


def _days(v: float) -> str:
    return "never" if not math.isfinite(v) else f"{v:,.0f}"


def format_comparison(cmp: Comparison) -> str:
    """Gains with intervals, Shapley shares, costs, monthly net, payback with its interval
    and net present value, ranked by net present value."""
    t = cmp.table.sort_values(["rank", "gain"], ascending=[True, False])
    cur = cmp.base.economics.currency
    pct = int(round(100 * cmp.level))
    base = cmp.base_summary.loc["units"]
    k = cmp.runs[frozenset(), 0]
    lines = [
        f"linesim compare: {len(cmp.measures)} countermeasures against {cmp.base.name} "
        f"(seed {cmp.seed}, {_reps(cmp)}, Shapley {cmp.shapley_mode})",
        f"base: {base['mean']:,.0f} good units over {k['working_days']:g} working days "
        f"[{base['ci_low']:,.0f}, {base['ci_high']:,.0f}]; gains below are good units per "
        f"month ({cmp.working_days_per_month:.1f} working days a month in the plant calendar), "
        f"margin {cmp.base.economics.margin_per_unit:,.0f} {cur} a unit",
        "",
    ]
    w = max(12, *(len(n) for n in t.index))
    head = (f"{'#':>2} {'measure':<{w}} {'gain/month':>10}  {pct}% interval{'':>6}"
            f"{'Shapley':>9}{'one-off':>11}{'net/month':>11}{'payback d':>10}  "
            f"{'interval':<14}{'NPV':>12}{'pairing':>8}{'reps':>6}")
    lines += [head, "-" * len(head)]
    for name, r in t.iterrows():
        ci = f"[{r['gain_low']:,.0f}, {r['gain_high']:,.0f}]"
        pay = f"[{_days(r['payback_low'])}, {_days(r['payback_high'])}]"
        lines.append(f"{r['rank']:>2} {name:<{w}} {r['gain']:>10,.0f}  {ci:<18}"
                     f"{_money(r['shapley']):>9}{_money(r['one_off_cost']):>11}"
                     f"{_money(r['monthly_net']):>11}{_days(r['payback_days']):>10}  {pay:<14}"
                     f"{_money(r['npv']):>12}{r['pairing_ratio']:>7.1f}x"
                     f"{r['replications']:>5}{'*' if r['capped'] else ' '}")
    m, lo, hi = cmp.combined
    lines += ["-" * len(head),
              f"   {'all together':<{w}} {m:>10,.0f}  [{lo:,.0f}, {hi:,.0f}]  "
              + ("(Shapley off: --shapley antithetic or exact for shares)"
                 if cmp.shapley_mode == "off" else "(= the sum of the Shapley shares)"), "",
              "gain: the measure alone; Shapley: its share of the combined gain; net/month: "
              f"gain x margin - running cost ({cur}); payback: working days to earn the one-off "
              "cost, with the interval the gain's interval implies; NPV: "
              f"{cmp.appraisal.describe()}, less the one-off cost (the rank); pairing: how much "
              "narrower the paired interval is than independent runs'; reps: its paired "
              "replications (* = stopped by the cap before the precision target)."]
    return "\n".join(lines)


def _reps(cmp: Comparison) -> str:
    """The replications in words: all alike, or the first stage and the range added."""
    lo, hi = min(cmp.counts), max(cmp.counts)
    if lo == hi == cmp.first:
        return f"{hi} paired replications"
    return (f"{lo}-{hi} paired replications a measure (first stage {cmp.first}; "
            f"{cmp.rule})")


def write_comparison(cmp: Comparison, out_dir: Path) -> None:
    """Write the tables as CSV and the JSON summary, each file atomically."""
    tables = {"countermeasures.csv": cmp.table, "gains.csv": cmp.gains,
              "shapley.csv": cmp.shapley_table, "base.csv": cmp.base_summary}
    for name, df in tables.items():
        write_atomic(out_dir / name, lambda f, df=df: df.to_csv(f))
    write_text_atomic(out_dir / "comparison.json", json.dumps(cmp.to_dict(), indent=2) + "\n")
