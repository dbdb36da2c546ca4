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
#: the main job's precision: every gain interval as narrow as this many paired replications
DEFAULT_LIKE = 30
#: the main job's first stage (paired replications of every measure)
DEFAULT_FIRST = 10
SHAPLEY_MODES = ("auto", "off", "exact", "antithetic", "sampled")


def add_arguments(c: argparse.ArgumentParser) -> None:
    add_base_and_measures(c)
    c.add_argument("--replications", "-r", type=bounded_int("--replications", 2, 1000),
                   default=None, help="paired replications of every measure: exactly these "
                   "alone; the first stage with --precision or --as-precise-as "
                   f"(default {DEFAULT_FIRST})")
    c.add_argument("--as-precise-as", type=bounded_int("--as-precise-as", 0, 1000),
                   default=None, metavar="N",
                   help="add replications to each measure (and the base) until its gain's "
                        "interval is as narrow as N paired replications would give (default "
                        f"{DEFAULT_LIKE} unless -r or --precision is given; 0: off)")
    c.add_argument("--precision", type=bounded("--precision", 0.001, 10, float), default=None,
                   help="add replications to each measure until its gain's interval "
                        "half-width is at most this fraction of the gain (e.g. 0.1)")
    c.add_argument("--max-replications", type=bounded_int("--max-replications", 2, 1000),
                   default=100, help="cap of the replications of a measure (default 100); the "
                   "measures that reach it first are named")
    c.add_argument("--shapley", choices=SHAPLEY_MODES, default="auto",
                   help="Shapley shares of the combined gain, over the first stage: exact "
                        "(2^n runs a replication), antithetic (an order and its reverse), "
                        "sampled (one order), off; auto (default): exact up to 5 measures, "
                        "else off")
    add_simulation_options(c)
    add_output_options(c, "write the tables (CSV) and comparison.json here")
    c.add_argument("--report", metavar="DIR",
                   help="also write report.html and report.xlsx (for management) here")


def target_of(args: argparse.Namespace):
    """The precision target of the flags (None: fixed replications) and the first stage."""
    from ..experiments.sequential import Target

    like = args.as_precise_as
    if like is None and args.replications is None and args.precision is None:
        like = DEFAULT_LIKE
    first = args.replications or DEFAULT_FIRST
    if not like and args.precision is None:
        return None, first
    if args.max_replications < first:
        raise UsageError("--max-replications must be at least --replications")
    if like == 1:
        raise UsageError("--as-precise-as must be 0 (off) or at least 2 replications")
    return Target(like=like or None, relative=args.precision, cap=args.max_replications), first


def run(args: argparse.Namespace) -> int:
    from ..experiments.compare import compare
    from ..figures import comparison_figures
    from ..report import format_comparison, write_comparison
    from ..scenario.countermeasure import load_countermeasure

    sc = load_base(args)
    measures = [load_countermeasure(p) for p in args.countermeasures]
    out = out_dir(args.out)
    out_dir(args.plots, "--plots")  # a bad --plots fails before the runs
    target, first = target_of(args)
    bar, tick = progress(None, sys.stderr.isatty() and not args.json)
    try:
        cmp = compare(sc, measures, first, args.seed, workers=args.workers or os.cpu_count(),
                      max_replications=max(first, args.max_replications),
                      progress=(lambda n: tick()) if tick else None,
                      shapley=_shapley(args.shapley, len(measures)), target=target)
    finally:
        if bar is not None:
            bar.close()
    if cmp.capped:
        flags = [f"--{k.replace('_', '-')} {v:g}" for k, v in
                 (("precision", args.precision), ("as_precise_as", target.like)) if v]
        print(f"linesim: warning: {' or '.join(flags)} not reached after "
              f"{args.max_replications} replications (the --max-replications cap) for: "
              f"{', '.join(cmp.capped)}", file=sys.stderr)
    if args.report:
        from .report import make_report

        args.replications = cmp.replications  # the report's command: -r the most replications
        make_report(args, sc, measures, cmp, "--report")
    return finish(args, out, cmp, write_comparison, comparison_figures, format_comparison)


def _shapley(mode: str, n: int) -> str:
    """The command line's ``auto``: exact for few measures, else off (the shares of many
    measures cost 2(n-2) runs a replication and are not needed for the ranking)."""
    from ..experiments.shapley import EXACT_MAX

    if mode != "auto":
        return mode
    return "exact" if n <= EXACT_MAX else "off"
