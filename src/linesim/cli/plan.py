"""``linesim plan import PLAN --scenario BASE.yaml --out NEW.yaml [--link]``: a scenario whose
daily plan comes from a plan file (CSV, or Excel with a sheet named ``plan`` or a first sheet).

By default the plan is written into the new scenario; with ``--link`` the new scenario names
the plan file (``plan_file:``, relative to the new scenario) and reads it each time it is
loaded, so a planner edits the spreadsheet and runs again."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import yaml

from ..atomic import write_text_atomic
from ..data import read_table
from ..data.fit_plant import scenario_yaml
from ..data.plan import import_plan
from ..scenario import load_scenario
from ..scenario.model import Scenario
from ..scenario.patch import scenario_data
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
    imp.add_argument("--link", action="store_true",
                     help="write plan_file: PLAN into the scenario instead of the plan itself; "
                          "the plan file is read again whenever the scenario is loaded")


def run(args: argparse.Namespace) -> int:
    base = load_scenario(args.scenario)
    df = read_table(args.plan, "plan")
    new = import_plan(base, df)
    target = Path(args.out)
    out_dir(str(target.parent), "--out")
    text = _linked_yaml(new, Path(args.plan), target) if args.link else scenario_yaml(new)
    write_out(args.out, lambda: write_text_atomic(target, text))
    days = {d for ln in new.plan.values() for d in ln.dates}
    how = "linked to" if args.link else "from"
    print(f"wrote {target}: plan of {len(new.plan)} lines on {len(days)} days {how} {args.plan}")
    return 0


def _linked_yaml(scenario: Scenario, plan: Path, target: Path) -> str:
    """The scenario as YAML with ``plan_file`` (relative to ``target``'s folder) for its plan."""
    data = scenario_data(scenario)
    data.pop("plan", None)
    ref = Path(os.path.relpath(plan.resolve(), target.resolve().parent)).as_posix()
    linked = {"name": data.pop("name"), "plan_file": ref, **data}
    return yaml.safe_dump(linked, sort_keys=False, allow_unicode=True, width=100)
