"""``linesim compare BASE COUNTERMEASURE...``: paired gains, Shapley shares and paybacks."""

from __future__ import annotations

import argparse
import os
import sys

from .common import (
    UsageError, add_base_and_measures, add_output_options, add_simulation_options, bounded,
    bounded_int, finish, load_base, out_dir, progress,
)

NAME = "compare"
HELP = "gains, Shapley shares and paybacks of countermeasures"


def add_arguments(c: argparse.ArgumentParser) -> None:
    add_base_and_measures(c)
    c.add_argument("--replications", "-r", type=bounded_int("--replications", 2, 1000),
                   default=10, help="paired replications to start with (default 10)")
    c.add_argument("--precision", type=bounded("--precision", 0.001, 10, float), default=None,
                   help="add replications until every gain's interval half-width is at most "
                        "this fraction of the gain (e.g. 0.1)")
    c.add_argument("--max-replications", type=bounded_int("--max-replications", 2, 1000),
                   default=100, help="cap for --precision (default 100)")
    add_simulation_options(c)
    add_output_options(c, "write the tables (CSV) and comparison.json here")
    c.add_argument("--report", metavar="DIR",
                   help="also write report.html and report.xlsx (for management) here")


def run(args: argparse.Namespace) -> int:
    from ..experiments.compare import compare
    from ..figures import comparison_figures
    from ..report import format_comparison, write_comparison
    from ..scenario.countermeasure import load_countermeasure

    sc = load_base(args)
    measures = [load_countermeasure(p) for p in args.countermeasures]
    out = out_dir(args.out)
    out_dir(args.plots, "--plots")  # a bad --plots fails before the runs
    if args.precision is not None and args.max_replications < args.replications:
        raise UsageError("--max-replications must be at least --replications")
    bar, tick = progress(None, sys.stderr.isatty() and not args.json)
    try:
        cmp = compare(sc, measures, args.replications, args.seed,
                      workers=args.workers or os.cpu_count(), precision=args.precision,
                      max_replications=args.max_replications if args.precision else
                      max(args.replications, args.max_replications),
                      progress=(lambda n: tick()) if tick else None)
    finally:
        if bar is not None:
            bar.close()
    missed = _missed_precision(cmp, args.precision)
    if missed:
        print(f"linesim: warning: --precision {args.precision:g} not reached after "
              f"{cmp.replications} replications (the --max-replications cap) for: "
              f"{', '.join(missed)}", file=sys.stderr)
    if args.report:
        from .report import make_report

        make_report(args, sc, measures, cmp, "--report")
    return finish(args, out, cmp, write_comparison, comparison_figures, format_comparison)


def _missed_precision(cmp, precision: float | None) -> list[str]:
    """The countermeasures whose gain interval is wider than ``precision`` x the gain."""
    if precision is None:
        return []
    t = cmp.table
    half = (t["gain_high"] - t["gain_low"]) / 2
    ok = (half <= precision * t["gain"].abs()) | (half == 0)
    return [str(name) for name in t.index[~ok]]
