"""``linesim bottlenecks SCENARIO``: which station holds each line back, shift by shift."""

from __future__ import annotations

import argparse
import sys

from .common import (add_output_options, add_simulation_options, bounded_int, finish,
                     load_base, out_dir, progress)

NAME = "bottlenecks"
HELP = "bottlenecks by the active-period method, and where more capacity pays"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--replications", "-r", type=bounded_int("--replications", 1, 1000),
                   default=3, help="replications analysed (default 3)")
    p.add_argument("--sensitivity", action="store_true",
                   help="also rank stations by the paired gain from 10%% more capacity "
                        "(one extra run per station and replication)")
    add_simulation_options(p)
    add_output_options(p, "write the tables (CSV) and bottlenecks.json here")


def run(args: argparse.Namespace) -> int:
    from ..experiments.bottlenecks import diagnose
    from ..figures import bottleneck_figures
    from ..report.bottlenecks import format_bottlenecks, write_bottlenecks

    sc = load_base(args)
    out = out_dir(args.out)
    stations = sum(len(ln.stations) for ln in sc.lines)
    total = args.replications + (max(2, args.replications) * (stations + 1)
                                 if args.sensitivity else 0)
    bar, tick = progress(total, sys.stderr.isatty() and not args.json)
    try:
        d = diagnose(sc, args.replications, args.seed, args.workers, args.sensitivity,
                     progress=(lambda n: tick()) if tick else None)
    finally:
        if bar is not None:
            bar.close()
    return finish(args, out, d, write_bottlenecks, bottleneck_figures, format_bottlenecks)
