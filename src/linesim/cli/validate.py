"""``linesim validate SCENARIO``: check a scenario file and report every problem."""

from __future__ import annotations

import argparse

from ..scenario import load_scenario

NAME = "validate"
HELP = "check a scenario file and report every problem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario YAML file")


def run(args: argparse.Namespace) -> int:
    sc = load_scenario(args.scenario)
    stations = sum(len(ln.stations) for ln in sc.lines)
    print(f"{args.scenario}: OK - scenario {sc.name!r}: {len(sc.lines)} lines, {stations} "
          f"stations, {len(sc.products)} products, {sc.horizon.days} days from "
          f"{sc.horizon.start.isoformat()}")
    return 0
