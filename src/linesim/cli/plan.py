"""``linesim plan import PLAN --scenario BASE.yaml --out NEW.yaml``: a scenario whose daily
plan comes from a plan file (CSV, or Excel with a sheet named ``plan`` or a first sheet)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..atomic import write_text_atomic
from ..data import read_table
from ..data.fit_plant import scenario_yaml
from ..data.plan import import_plan
from ..scenario import load_scenario
from .common import out_dir, write_out

NAME = "plan"
HELP = "import a daily plan from a spreadsheet into a scenario"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    imp = sub.add_parser("import", help="write a scenario with the plan of a plan file")
    imp.add_argument("plan", help="plan records: CSV or Excel (date, line, product, quantity, "
                                  "backups)")
    imp.add_argument("--scenario", required=True, metavar="BASE.yaml", help="base scenario")
    imp.add_argument("--out", required=True, metavar="NEW.yaml", help="scenario to write")


def run(args: argparse.Namespace) -> int:
    base = load_scenario(args.scenario)
    df = read_table(args.plan, "plan")
    new = import_plan(base, df)
    target = Path(args.out)
    out_dir(str(target.parent), "--out")
    write_out(args.out, lambda: write_text_atomic(target, scenario_yaml(new)))
    days = {d for ln in new.plan.values() for d in ln.dates}
    print(f"wrote {target}: plan of {len(new.plan)} lines on {len(days)} days from {args.plan}")
    return 0
