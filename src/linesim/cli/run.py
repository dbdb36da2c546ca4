"""``linesim run SCENARIO``: simulate a scenario over independent replications."""

from __future__ import annotations

import argparse
import os
import sys

from ..experiments.replicate import MAX_REPLICATIONS, replicate
from .common import add_output_options, add_simulation_options, load_base, bounded_int, finish, out_dir, progress

NAME = "run"
HELP = "simulate a scenario over replications"


def add_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("scenario", help="scenario YAML file")
    r.add_argument("--apply", metavar="COUNTERMEASURE", action="append", default=None,
                   help="simulate the scenario with this countermeasure file applied "
                        "(repeat to apply several)")
    r.add_argument("--replications", "-r", type=bounded_int("--replications", 1, MAX_REPLICATIONS),
                   default=20, help="independent replications (default 20)")
    add_simulation_options(r)
    add_output_options(r, "write the result tables (CSV) and summary.json here")


def run(args: argparse.Namespace) -> int:
    from ..figures import run_figures
    from ..report import format_report, write_tables

    sc = load_base(args)
    out = out_dir(args.out)
    out_dir(args.plots, "--plots")  # a bad --plots fails before the runs
    bar, tick = progress(args.replications, sys.stderr.isatty() and not args.json)
    try:
        res = replicate(sc, args.replications, args.seed, workers=args.workers or os.cpu_count(),
                        progress=tick)
    finally:
        if bar is not None:
            bar.close()
    return finish(args, out, res, write_tables, run_figures, format_report)
