"""``linesim backtest SCENARIO --data DIR``: simulate the records' period and compare the
daily good units of each line with the ``output`` records."""

from __future__ import annotations

import argparse

from ..data import RecordsError, read_folder
from ..data.backtest import backtest
from ..experiments.replicate import MAX_REPLICATIONS
from ..report.plant_data import format_backtest, write_backtest_report
from ..scenario import load_scenario
from .common import bounded_int, out_dir, write_out

NAME = "backtest"
HELP = "compare the simulated daily output of the records' period with the output records"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario YAML file (e.g. from linesim fit)")
    p.add_argument("--data", required=True, metavar="DIR", help="folder with the output records")
    p.add_argument("--replications", "-r", type=bounded_int("--replications", 1, MAX_REPLICATIONS),
                   default=39, help="replications (default 39: a full 95%% band)")
    p.add_argument("--seed", type=bounded_int("--seed", 0, 2**63 - 1), default=None,
                   help="random seed (default: the scenario's)")
    p.add_argument("--workers", "-w", type=bounded_int("--workers", 1, 256), default=None,
                   help="worker processes (default: all cores)")
    p.add_argument("--report", metavar="DIR",
                   help="write the daily comparison, the per-line table and a plot per line here")


def run(args: argparse.Namespace) -> int:
    sc = load_scenario(args.scenario)
    report = out_dir(args.report, "--report")
    tables = read_folder(args.data)
    if "output" not in tables:
        raise RecordsError([f"{args.data}: no output records (output.csv, output.xlsx or a "
                            "workbook with a sheet named output)"])
    bt = backtest(sc, tables["output"], args.replications, args.seed, args.workers)
    if report is not None:
        write_out(args.report, lambda: write_backtest_report(bt, report), "--report")
    print(format_backtest(bt))
    if report is not None:
        print(f"\nreport written to {report}/")
    return 0
