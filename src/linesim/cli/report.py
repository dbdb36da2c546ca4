"""``linesim report BASE COUNTERMEASURE... --out DIR``: a report management can act on
(one self-contained HTML file and an Excel workbook)."""

from __future__ import annotations

import argparse
import shlex
import sys

from .common import (add_simulation_options, bounded_int, load_base, out_dir, progress,
                     write_out, UsageError)
from .portfolio import add_budget_options, add_money_options, appraisal_of, select

NAME = "report"
HELP = "an HTML report and an Excel workbook of countermeasures, for management"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="base scenario YAML file")
    p.add_argument("countermeasures", nargs="+", metavar="COUNTERMEASURE",
                   help="countermeasure YAML files")
    p.add_argument("--out", metavar="DIR", required=True,
                   help="write report.html and report.xlsx here")
    p.add_argument("--replications", "-r", type=bounded_int("--replications", 2, 1000),
                   default=10, help="paired replications of the comparison (default 10)")
    p.add_argument("--bottleneck-replications", type=bounded_int(
        "--bottleneck-replications", 1, 1000), default=3,
        help="replications of the base analysed for losses and bottlenecks (default 3)")
    p.add_argument("--sensitivity", action="store_true",
                   help="add where 10%% more capacity pays (one run per station and "
                        "replication)")
    add_budget_options(p)
    add_money_options(p)
    add_simulation_options(p)


def command_line(args: argparse.Namespace, seed: int, folder: str) -> str:
    """The command that reproduces this report (with the seed it used)."""
    parts = ["linesim", "report", args.scenario, *args.countermeasures, "--out", folder,
             "-r", str(args.replications), "--seed", str(seed)]
    for flag, key in (("--bottleneck-replications", "bottleneck_replications"),
                      ("--budget", "budget"), ("--indifference", "indifference"),
                      ("--max-replications", "max_replications"), ("--rate", "rate"),
                      ("--horizon-months", "horizon_months"), ("--days", "days"),
                      ("--workers", "workers")):
        if getattr(args, key, None) is not None:
            parts += [flag, f"{getattr(args, key):g}"]
    if getattr(args, "sensitivity", False):
        parts.append("--sensitivity")
    return " ".join(shlex.quote(str(p)) for p in parts)


def make_report(args: argparse.Namespace, sc, measures, cmp=None, flag: str = "--out") -> list:
    """Compare (unless ``cmp`` is given), diagnose the base, select a package if there is a
    budget, and write the report to the folder given to ``flag`` (--out or --report)."""
    from ..experiments.bottlenecks import diagnose
    from ..experiments.compare import compare
    from ..report.management import write_report

    given = getattr(args, flag.lstrip("-"))
    folder = out_dir(given, flag)
    bar, tick = progress(None, sys.stderr.isatty())
    step = (lambda n: tick()) if tick else None
    try:
        if cmp is None:
            cmp = compare(sc, measures, args.replications, args.seed, workers=args.workers,
                          appraisal=appraisal_of(args), progress=step)
        diag = diagnose(sc, getattr(args, "bottleneck_replications", 3), cmp.seed,
                        args.workers, getattr(args, "sensitivity", False), progress=step)
    finally:
        if bar is not None:
            bar.close()
    port = None
    if getattr(args, "budget", None) is not None:
        if sc.economics.margin_per_unit <= 0:
            raise UsageError(f"{args.scenario}: economics.margin_per_unit must be > 0 to "
                             "choose a package under --budget")
        port = select(args, sc, measures, comparison=cmp)
    files: list = []
    command = command_line(args, cmp.seed, given)
    write_out(given, lambda: files.extend(write_report(cmp, diag, port, folder, command)), flag)
    return files


def run(args: argparse.Namespace) -> int:
    from ..scenario.countermeasure import load_countermeasure

    sc = load_base(args)
    measures = [load_countermeasure(p) for p in args.countermeasures]
    files = make_report(args, sc, measures)
    print("Report written: " + ", ".join(str(f) for f in files))
    return 0
