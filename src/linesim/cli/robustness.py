"""``linesim robustness BASE COUNTERMEASURE... --ranges RANGES``: how far the ranking of the
countermeasures can be trusted when the scenario's uncertain parameters move."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

from .common import (
    UsageError, add_base_and_measures, add_output_options, add_simulation_options, bounded_int,
    load_base, out_dir, progress, write_out,
)

NAME = "robustness"
HELP = "tornado and rank stability of countermeasures over uncertain parameters"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_base_and_measures(p)
    p.add_argument("--ranges", required=True, metavar="RANGES",
                   help="ranges YAML file: uncertain parameters with low, high and source")
    p.add_argument("--replications", "-r", type=bounded_int("--replications", 1, 100), default=2,
                   help="paired replications at each joint point (default 2; 2 or more give "
                        "the noise floor)")
    p.add_argument("--oat-replications", type=bounded_int("--oat-replications", 1, 100),
                   default=1, help="paired replications at each one-at-a-time point "
                                   "(default 1)")
    p.add_argument("--nominal-replications", type=bounded_int("--nominal-replications", 2, 1000),
                   default=10, help="replications at the nominal point (default 10)")
    p.add_argument("--samples", type=bounded_int("--samples", 0, 10_000), default=16,
                   help="joint points (Latin hypercube over every range; default 16)")
    p.add_argument("--rank-by", choices=("net", "gain", "payback"), default="net",
                   help="rank by monthly net value (default), gain in units, or payback")
    add_simulation_options(p)
    add_output_options(p, "write the tables (CSV) and robustness.json here")


def run(args: argparse.Namespace) -> int:
    from ..experiments.robustness import robustness
    from ..scenario.countermeasure import load_countermeasure
    from ..scenario.ranges import load_ranges

    if max(args.replications, args.oat_replications) > args.nominal_replications:
        raise UsageError("--nominal-replications must be at least --replications and "
                         "--oat-replications")
    base = load_base(args)
    measures = [load_countermeasure(p) for p in args.countermeasures]
    ranges = load_ranges(args.ranges)
    out = out_dir(args.out)
    plots = out_dir(args.plots, "--plots")
    bar, tick = progress(None, sys.stderr.isatty() and not args.json)
    try:
        res = robustness(base, measures, ranges, args.replications, args.samples,
                         args.nominal_replications, args.seed, args.rank_by,
                         args.workers or os.cpu_count(), (lambda n: tick()) if tick else None,
                         ranges_source=args.ranges, oat_replications=args.oat_replications)
    finally:
        if bar is not None:
            bar.close()
    if out is not None:
        write_out(args.out, lambda: write_tables(res, out))
    if plots is not None:
        from ..figures import robustness_figures

        write_out(args.plots, lambda: robustness_figures(res, plots), "--plots")
    if args.json:
        print(json.dumps(to_dict(res), indent=2))
    else:
        print(format_robustness(res))
    return 0


def _clean(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def to_dict(res) -> dict:
    """The JSON shape of ``linesim robustness --json``."""
    recs = lambda df: [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]  # noqa: E731
    return {"summary": {k: _clean(v) for k, v in res.summary.items()},
            "rank_stability": recs(res.rank_stability), "drivers": recs(res.drivers),
            "tornado": recs(res.tornado)}


def write_tables(res, out) -> None:
    """points.csv (every point x measure), gains.csv (every point x measure x replication),
    tornado.csv, rank_stability.csv, drivers.csv and robustness.json, each written
    atomically."""
    from ..atomic import write_atomic, write_text_atomic

    for name, df in (("points.csv", res.table), ("gains.csv", res.gains),
                     ("tornado.csv", res.tornado),
                     ("rank_stability.csv", res.rank_stability), ("drivers.csv", res.drivers)):
        write_atomic(out / name, lambda f, df=df: df.to_csv(f, index=False))
    write_text_atomic(out / "robustness.json", json.dumps(to_dict(res), indent=2) + "\n")


def _pct(v: float) -> str:
    return "-" if v is None or not math.isfinite(v) else f"{100 * v:.0f}%"


def format_robustness(res) -> str:
    """The answer first, then the rank stability and the parameters that drive the ranking."""
    s = res.summary
    lines = [f"linesim robustness: {len(res.measures)} countermeasures, "
             f"{len(res.ranges.parameters)} uncertain parameters ({res.ranges.name}); ranked by "
             f"{s['rank_by']}; replications: nominal {s['nominal_replications']}, one at a time "
             f"{s['oat_replications']}, {s['joint_points']} joint points x "
             f"{s['replications']}; seed {res.seed}", "",
             f"First place at the nominal point: {s['nominal_first']}. It stays first at "
             f"{_pct(s['share_first_kept'])} of the joint points (noise alone, at "
             f"{s['replications']} replications: {_pct(s['noise_floor_first_kept'])}).",
             *([f"Left out (parameters of countermeasures not compared): {s['left_out']}."]
               if s["left_out"] else []),
             f"Top three ({s['nominal_top3']}): the same three at "
             f"{_pct(s['share_top3_set_kept'])} of the joint points, in the same order at "
             f"{_pct(s['share_top3_order_kept'])}.", ""]
    rs = res.rank_stability
    lines.append(f"{'':<32}{'nominal':>8}{'gain/month':>12}{'joint':>8}{'':>16}")
    lines.append(f"{'measure':<32}{'rank':>8}{'nominal':>12}{'mean':>8}{'first':>8}{'top 3':>8}"
                 f"{'ranks':>10}")
    for _, r in rs.iterrows():
        ranks = f"{r['best_rank']:.0f}-{r['worst_rank']:.0f}" if math.isfinite(r["best_rank"]) else "-"
        jm = f"{r['joint_mean_gain']:,.0f}" if math.isfinite(r["joint_mean_gain"]) else "-"
        lines.append(f"  {r['measure'][:30]:<30}{r['nominal_rank']:>8}{r['nominal_gain']:>12,.0f}"
                     f"{jm:>8}{_pct(r['share_first']):>8}{_pct(r['share_top3']):>8}{ranks:>10}")
    d = res.drivers
    flips = d[(d.first_at_low != "") | (d.first_at_high != "")]
    lines += ["", "Parameters that move the first place (one at a time: who comes first at an "
              "end of the range; jointly: Spearman correlation with the leader's lead, p adjusted "
              "for testing every parameter):"]
    for _, r in d.iterrows():
        ends = ", ".join(
            f"{end} -> {r[f'first_at_{end}']}{'' if r[f'first_at_{end}_clear'] else ' (within noise)'}"
            for end in ("low", "high") if r[f"first_at_{end}"])
        sig = "significant" if r["p_adjusted"] < 0.05 else "not significant"
        lines.append(f"  {r['parameter'][:34]:<34} rho {r['spearman_rho']:+.2f} (p {r['p_value']:.2f}, "
                     f"adjusted {r['p_adjusted']:.2f}, {sig}){'; ' + ends if ends else ''}")
    if flips.empty and (d["p_adjusted"] >= 0.05).all():
        lines.append("  none: no end of any range changes the first place")
    return "\n".join(lines)
