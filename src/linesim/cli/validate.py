"""``linesim validate FILE...``: check scenario, countermeasure and sweep files; report every
problem (exit 2) and every warning (exit 0)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from ..scenario import Scenario, ScenarioError, load_scenario, read_yaml
from ..scenario.countermeasure import apply, load_countermeasure
from ..scenario.lint import scenario_warnings
from ..scenario.ranges import load_ranges
from ..scenario.sweep import factor_problems, load_sweep, sweep_base

NAME = "validate"
HELP = "check scenario, countermeasure, sweep and ranges files; report problems and warnings"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario, countermeasure, sweep or ranges YAML files (told apart by "
                        "their keys: a sweep has factors, a countermeasure changes, a ranges "
                        "file parameters)")
    p.add_argument("--base", metavar="SCENARIO", default=None,
                   help="scenario to apply countermeasures to, to check that their changes "
                        "fit (without it only their own fields are checked)")


def kind_of(path: str | Path) -> str:
    """'sweep', 'countermeasure', 'ranges' or 'scenario', from the file's top-level keys."""
    data = read_yaml(path)
    keys = set(data) if isinstance(data, Mapping) else set()
    for key, kind in (("factors", "sweep"), ("changes", "countermeasure"),
                      ("parameters", "ranges")):
        if key in keys:
            return kind
    return "scenario"


def _scenario_line(sc: Scenario) -> str:
    stations = sum(len(ln.stations) for ln in sc.lines)
    return (f"scenario {sc.name!r}: {len(sc.lines)} lines, {stations} stations, "
            f"{len(sc.products)} products, {sc.horizon.days} days from "
            f"{sc.horizon.start.isoformat()}")


def check(path: str, base: Scenario | None) -> tuple[str, Scenario | None]:
    """Validate one file; returns the OK line and the scenario whose warnings apply."""
    kind = kind_of(path)
    if kind == "sweep":
        sw = load_sweep(path)
        sc = sweep_base(sw, path)
        problems = factor_problems(sw, sc)
        if problems:
            raise ScenarioError(path, problems)
        n = len(sw.points())
        return (f"sweep {sw.name!r}: {n} points x {sw.replications} replications = "
                f"{n * sw.replications} runs on {sc.name!r}"), sc
    if kind == "ranges":
        rg = load_ranges(path)
        return f"ranges {rg.name!r}: {len(rg.parameters)} uncertain parameter(s)", None
    if kind == "countermeasure":
        cm = load_countermeasure(path)
        if base is None:
            return (f"countermeasure {cm.name!r}: {len(cm.changes)} change(s) (give --base "
                    "SCENARIO to check that they fit a scenario)"), None
        sc = apply(base, [cm])
        return f"countermeasure {cm.name!r}: {len(cm.changes)} change(s) fit {base.name!r}", sc
    sc = load_scenario(path)
    return _scenario_line(sc), sc


def run(args: argparse.Namespace) -> int:
    base = load_scenario(args.base) if args.base else None
    failed = 0
    for path in args.files:
        try:
            line, sc = check(path, base)
        except ScenarioError as exc:
            print(f"linesim: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{path}: OK - {line}")
        for where, msg in scenario_warnings(sc) if sc is not None else []:
            print(f"  warning: {where}: {msg}")
    return 2 if failed else 0


__all__ = ["add_arguments", "check", "kind_of", "run"]
