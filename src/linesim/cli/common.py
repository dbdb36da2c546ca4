"""What every command shares: bounded numbers, the --out folder, progress, the finishing step."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


from ..scenario import Scenario, load_scenario
from ..scenario.model import MAX_DAYS
from ..scenario.patch import with_values


class UsageError(Exception):
    """A bad flag value; printed as ``linesim: error: ...`` with exit code 2."""


def bounded(name: str, lo: float, hi: float, kind: type = int):
    """An argparse type: a whole number (or, with ``kind=float``, a number) in [lo, hi]."""
    what = "a whole number" if kind is int else "a number"

    def parse(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be {what}, got {text!r}") from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{name} must be between {lo} and {hi}, got {v}")
        return v
    return parse


def bounded_int(name: str, lo: int, hi: int):
    return bounded(name, lo, hi, int)


def progress(total: int, enabled: bool):
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="run", file=sys.stderr, leave=False)
    return bar, lambda: bar.update(1)


def out_dir(out: str | None, flag: str = "--out") -> Path | None:
    """The output directory given to ``flag``, created now so that a bad one fails before
    the runs."""
    if not out:
        return None
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {out}: exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{flag} {out}: cannot create the directory: "
                         f"{exc.strerror or exc}") from None
    return path


def write_out(out: str, write, flag: str = "--out") -> None:
    """Run ``write()``; a failure to write is a usage error naming ``flag``."""
    try:
        write()
    except OSError as exc:
        raise UsageError(f"{flag} {out}: cannot write: {exc.strerror or exc}") from None


def finish(args: argparse.Namespace, out: Path | None, result, write_tables_to,
            figures_to, report) -> int:
    """Write the tables (--out) and figures (--plots), then print JSON or the report."""
    if out is not None:
        write_out(args.out, lambda: write_tables_to(result, out))
    if args.plots:
        write_out(args.plots, lambda: figures_to(result, out_dir(args.plots, "--plots")),
                  "--plots")
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(report(result))
        if out is not None:
            print(f"\nTables written to {out}/")
    return 0


def add_simulation_options(p: argparse.ArgumentParser) -> None:
    """--seed, --days and --workers, as every simulating command takes them."""
    p.add_argument("--seed", type=bounded_int("--seed", 0, 2**63 - 1), default=None,
                   help="random seed (default: the scenario's)")
    p.add_argument("--days", type=bounded_int("--days", 1, MAX_DAYS), default=None,
                   help="override the horizon length in calendar days")
    p.add_argument("--workers", "-w", type=bounded_int("--workers", 1, 256), default=None,
                   help="worker processes (default: all cores)")


def add_output_options(p: argparse.ArgumentParser, out_help: str) -> None:
    """--json, --out DIR and --plots DIR."""
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--out", metavar="DIR", help=out_help)
    p.add_argument("--plots", metavar="DIR", help="write the plots here as PNG files")


def load_base(args: argparse.Namespace) -> Scenario:
    """The scenario named by ``args.scenario``, with the countermeasures of ``--apply`` (if
    the command has it) and ``--days`` applied; its warnings are printed to stderr."""
    sc = load_scenario(args.scenario)
    measures = getattr(args, "apply", None)
    if measures:
        from ..scenario.countermeasure import apply, load_countermeasure

        sc = apply(sc, [load_countermeasure(p) for p in measures])
    if args.days is not None:
        sc = with_values(sc, {"horizon.days": args.days}, source="--days")
    print_warnings(sc)
    return sc


def print_warnings(sc: Scenario) -> None:
    """Print the warnings about a scenario that validates but may not work (stderr)."""
    from ..scenario.lint import scenario_warnings

    for where, msg in scenario_warnings(sc):
        print(f"linesim: warning: {where}: {msg}", file=sys.stderr)


def add_base_and_measures(p: argparse.ArgumentParser) -> None:
    """The positional arguments BASE COUNTERMEASURE... of the comparing commands."""
    p.add_argument("scenario", help="base scenario YAML file")
    p.add_argument("countermeasures", nargs="+", metavar="COUNTERMEASURE",
                   help="countermeasure YAML files")
