"""The readable report of ``linesim run`` and the CSV files of ``--out``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ..atomic import write_atomic, write_text_atomic
from ..experiments.replicate import Replications


#: tables of :class:`~linesim.results.run_result.RunResult` written for every replication
#: (with a ``replication`` column): first-pass yield, finished-goods batches, plan
#: attainment, quality stoppages, backup decisions, replans and material waits
PER_RUN = ("first_pass", "batches", "plan_attainment", "stoppages", "backup_decisions",
           "replans", "material_waits")


def write_tables(res: Replications, out_dir: Path) -> None:
    """Write every result table as CSV (the summaries and, per replication, the tables of
    :data:`PER_RUN`), and summary.json, each file atomically."""
    tables = {
        "kpis.csv": res.kpi_table,
        "summary.csv": res.summary,
        "line_summary.csv": res.line_summary,
        "line_kpis.csv": res.line_table,
        "losses.csv": res.loss_table,
        "waterfall.csv": res.waterfall,
        "states.csv": res.states,
        "output.csv": res.output,
    }
    for name in PER_RUN:  # one table per kind over every replication
        tables[f"{name}.csv"] = pd.concat(
            [getattr(r, name).assign(replication=r.replication) for r in res.runs],
            ignore_index=True)
    for name, df in tables.items():
        index = name in ("kpis.csv", "summary.csv", "line_summary.csv", "losses.csv")
        write_atomic(out_dir / name, lambda f, df=df, index=index: df.to_csv(f, index=index))
    write_text_atomic(out_dir / "summary.json", json.dumps(res.to_dict(), indent=2) + "\n")


def _fmt(v: float, kpi: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if kpi in ("oee", "availability", "performance", "quality", "plan_attainment"):
        return f"{100 * v:.1f}%"
    if kpi in ("units", "scrap", "started", "units_per_day"):
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def format_report(res: Replications) -> str:
    """A readable report: plant KPIs with intervals, per-line table, losses."""
    sc = res.scenario
    h = sc.horizon
    pct = int(round(100 * res.level))
    lines = [f"linesim run: {sc.name}  (seed {res.seed}, {len(res)} replications, "
             f"{h.start.isoformat()} + {h.days} days, warm-up {h.warmup_days:g} days, "
             f"{len(res.runs[0].record.working_days)} working days measured)", ""]
    labels = {"units": "good units", "units_per_day": "units per working day",
              "plan_attainment": "plan attainment", "oee": "OEE", "availability": "  availability",
              "performance": "  performance", "quality": "  quality", "wip": "WIP (units)",
              "flow_time": "flow time (min)", "scrap": "scrapped units"}
    lines.append(f"{'Plant':<24}{'mean':>12}   {pct}% interval")
    for kpi, label in labels.items():
        row = res.summary.loc[kpi]
        lines.append(f"  {label:<22}{_fmt(row['mean'], kpi):>12}   "
                     f"[{_fmt(row['ci_low'], kpi)}, {_fmt(row['ci_high'], kpi)}]")
    lines += ["", f"{'Line':<12}{'good units':>12}  {pct}% interval{'':>8}{'OEE':>7}"
              f"{'attain.':>9}{'WIP':>7}"]
    ls = res.line_summary
    for line in dict.fromkeys(ls.index.get_level_values(0)):
        u, o = ls.loc[(line, "units")], ls.loc[(line, "oee")]
        a, w = ls.loc[(line, "plan_attainment")], ls.loc[(line, "wip")]
        ci = f"[{_fmt(u['ci_low'], 'units')}, {_fmt(u['ci_high'], 'units')}]"
        lines.append(f"  {line:<10}{_fmt(u['mean'], 'units'):>12}  {ci:<20}"
                     f"{_fmt(o['mean'], 'oee'):>7}{_fmt(a['mean'], 'oee'):>9}"
                     f"{_fmt(w['mean'], 'wip'):>7}")
    wf = res.waterfall
    cap = wf.loc[wf.kind == "capacity", "units"].sum()
    losses = res.losses[res.losses.abs() >= 0.5].sort_values(ascending=False)
    width = max([22, *(len(c) + 2 for c in losses.index)])
    lines += ["", "Where the capacity went (mean units lost at each line's constraint, by root "
              "cause)", f"  {'ideal capacity':<{width + 2}}{cap:>10,.0f}"]
    for cause, units in losses.items():
        lines.append(f"  - {cause:<{width}}{units:>10,.0f}  {100 * units / cap if cap else 0:5.1f}%")
    lines.append(f"  {'= good units':<{width + 2}}{res.summary.loc['units', 'mean']:>10,.0f}")
    cats = ", ".join(f"{k} {v:,.0f}" for k, v in res.loss_categories.items())
    lines += ["", f"By 4M1E category: {cats}"]
    k = res.summary["mean"]
    if k["quality_stops"] > 0:
        esc = ", ".join(f"level {lv}: {n:.1f}" for lv, n in res.escalations.items())
        lines.append(f"Quality stoppages: {k['quality_stops']:.1f} per run; reached {esc}; "
                     f"operator-hours sent home {k['sent_home_hours']:,.1f}")
    if k["quality_breaches"] > 0:
        lines.append(f"Incoming-part quality breaches (part-days above "
                     f"{100 * sc.materials.quality_threshold:g}% defective): "
                     f"{k['quality_breaches']:.1f} per run")
    return "\n".join(lines)
