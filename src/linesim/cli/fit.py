"""``linesim fit BASE --data DIR --out FITTED.yaml [--report DIR]``: fit a scenario to the
plant's records; the provenance table goes beside the fitted scenario."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..atomic import write_atomic, write_text_atomic
from ..data import read_folder
from ..data.fit_plant import fit_scenario, provenance_path, scenario_yaml, write_provenance
from ..report.plant_data import format_fit, write_fit_report
from ..scenario import load_scenario
from .common import out_dir, write_out

NAME = "fit"
HELP = "fit failure, quality, absence and supplier values of a scenario to plant records"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="base scenario YAML file")
    p.add_argument("--data", required=True, metavar="DIR",
                   help="folder of records: stoppages, absences, deliveries, output (CSV or Excel)")
    p.add_argument("--out", required=True, metavar="FITTED.yaml", help="fitted scenario to write")
    p.add_argument("--report", metavar="DIR",
                   help="write the provenance, a text summary and a P-P plot per fit here")


def run(args: argparse.Namespace) -> int:
    base = load_scenario(args.scenario)
    outcome = fit_scenario(base, read_folder(args.data))
    report = out_dir(args.report, "--report")
    target = Path(args.out)
    out_dir(str(target.parent) if str(target.parent) else ".", "--out")
    write_out(args.out, lambda: write_text_atomic(target, scenario_yaml(outcome.scenario)))
    prov = provenance_path(target)
    write_out(args.out, lambda: write_atomic(prov, lambda f: write_provenance(
        outcome.provenance, f)))
    if report is not None:
        write_out(args.report, lambda: write_fit_report(outcome, report), "--report")
    print(format_fit(outcome))
    for w in outcome.warnings:
        print(f"linesim: warning: {w}", file=sys.stderr)
    print(f"\nwrote {target} and {prov}" + (f"; report in {report}/" if report else ""))
    return 0
