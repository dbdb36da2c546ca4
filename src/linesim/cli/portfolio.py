"""``linesim portfolio BASE COUNTERMEASURE... --budget CNY``: the best package under a
budget, selected by a ranking-and-selection procedure on paired replications."""

from __future__ import annotations

import argparse
import sys

from .common import (add_output_options, add_simulation_options, bounded, bounded_int,
                     finish, load_base, out_dir, progress, UsageError)

NAME = "portfolio"
HELP = "the best package of countermeasures under a budget"


def add_money_options(p: argparse.ArgumentParser) -> None:
    """--rate and --horizon-months: how net values are discounted."""
    p.add_argument("--rate", type=bounded("--rate", 0, 1, float), default=0.08,
                   help="yearly discount rate of net present values (default 0.08)")
    p.add_argument("--horizon-months", type=bounded_int("--horizon-months", 1, 600),
                   default=24, help="months over which net values count (default 24)")


def appraisal_of(args: argparse.Namespace):
    from ..experiments.economics import Appraisal

    return Appraisal(args.rate, args.horizon_months)


def add_budget_options(p: argparse.ArgumentParser) -> None:
    """--budget, --indifference and --max-replications of a package selection."""
    p.add_argument("--budget", type=bounded("--budget", 0, 1e12, float), default=None,
                   help="most one-off money to spend, currency units (default: no limit)")
    p.add_argument("--indifference", type=bounded("--indifference", 0.01, 1e12, float),
                   default=None, help="net value a month below which two packages count as "
                   "equal (default: 1%% of the base plant's monthly contribution)")
    p.add_argument("--max-replications", type=bounded_int("--max-replications", 2, 1000),
                   default=30, help="run budget: most replications of any package (default 30)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="base scenario YAML file")
    p.add_argument("countermeasures", nargs="+", metavar="COUNTERMEASURE",
                   help="countermeasure YAML files (conflicting ones are never combined)")
    p.add_argument("--replications", "-r", type=bounded_int("--replications", 2, 100),
                   default=5, help="first-stage replications of every package (default 5)")
    add_budget_options(p)
    add_money_options(p)
    add_simulation_options(p)
    add_output_options(p, "write packages.csv and portfolio.json here")


def select(args: argparse.Namespace, sc, measures, comparison=None):
    """Run the package selection that the options ask for."""
    from ..experiments.portfolio import portfolio

    if args.max_replications < args.replications:
        raise UsageError("--max-replications must be at least --replications")
    bar, tick = progress(None, sys.stderr.isatty() and not getattr(args, "json", False))
    try:
        return portfolio(sc, measures, args.budget, args.replications, args.seed, args.workers,
                         args.indifference, max_replications=args.max_replications,
                         appraisal=appraisal_of(args), comparison=comparison,
                         progress=(lambda n: tick()) if tick else None)
    except ValueError as exc:
        raise UsageError(f"{args.scenario}: {exc}") from None
    finally:
        if bar is not None:
            bar.close()


def run(args: argparse.Namespace) -> int:
    from ..figures import portfolio_figures
    from ..report.portfolio import format_portfolio, write_portfolio
    from ..scenario.countermeasure import load_countermeasure

    sc = load_base(args)
    measures = [load_countermeasure(p) for p in args.countermeasures]
    out = out_dir(args.out)
    port = select(args, sc, measures)
    return finish(args, out, port, write_portfolio, portfolio_figures, format_portfolio)
