"""The readable report of ``linesim bottlenecks`` and the CSV files of ``--out``."""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_atomic, write_text_atomic
from ..experiments.bottlenecks import Diagnosis
from ..results.bottlenecks import shift_bottleneck


def format_bottlenecks(d: Diagnosis) -> str:
    """Each line's bottleneck and its shares, the shifts it moved, and where capacity pays."""
    s = d.summary
    lines = [f"linesim bottlenecks: {d.scenario.name} (seed {d.seed}, {d.replications} "
             "replications; active-period method, Roser 2002)", "",
             f"{'line':<6}{'station':<22}{'sole':>7}{'shifting':>10}{'total':>8}"
             f"{'shifts as main':>16}"]
    for _, r in s.sort_values(["line", "rank"]).iterrows():
        if r["share"] < 0.01 and r["rank"] > 2:
            continue
        lines.append(f"{r['line']:<6}{r['station']:<22}{100 * r['sole_share']:>6.0f}%"
                     f"{100 * r['shifting_share']:>9.0f}%{100 * r['share']:>7.0f}%"
                     f"{r['shifts_as_bottleneck']:>16d}")
    top = shift_bottleneck(d.table[d.table["replication"] == 0])
    moves = []
    for line, g in top.groupby("line", sort=False):
        changes = (g["station"] != g["station"].shift()).sum() - 1
        if changes:
            times = "once" if changes == 1 else f"{changes} times"
            moves.append(f"{line}: the main bottleneck changed {times} over "
                         f"{len(g)} shifts ({', '.join(dict.fromkeys(g['station']))})")
    lines += ["", "Shifting bottlenecks (replication 0):", *(f"  {m}" for m in moves or
                                                            ["  none: each line kept one"])]
    if d.sensitivity is not None:
        lines += ["", "Where 10% more capacity pays most (good units a month, 95% interval):"]
        scale = d.sensitivity["gain_month"] / d.sensitivity["gain"].where(d.sensitivity["gain"] != 0)
        for (_, r), k in zip(d.sensitivity.head(8).iterrows(), scale.head(8)):
            k = 0.0 if k != k else k
            lines.append(f"  {r['rank']:>2}. {r['line']} {r['station']:<22}{r['gain_month']:>8,.0f}"
                         f"  [{r['gain_low'] * k:,.0f}, {r['gain_high'] * k:,.0f}]")
    lines += ["", "sole: share of working time the station alone held the line back; shifting: "
              "share of time the bottleneck was passing to or from it."]
    return "\n".join(lines)


def write_bottlenecks(d: Diagnosis, out_dir: Path) -> None:
    """bottlenecks.csv (per line and station), bottlenecks_by_shift.csv (per replication,
    shift and station), waterfall.csv, sensitivity.csv if computed, bottlenecks.json."""
    tables = {"bottlenecks.csv": d.summary, "bottlenecks_by_shift.csv": d.table,
              "waterfall.csv": d.waterfall}
    if d.sensitivity is not None:
        tables["sensitivity.csv"] = d.sensitivity
    for name, df in tables.items():
        write_atomic(out_dir / name, lambda f, df=df: df.to_csv(f, index=False))
    write_text_atomic(out_dir / "bottlenecks.json", json.dumps(d.to_dict(), indent=2) + "\n")
