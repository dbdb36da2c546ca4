"""The ``linesim`` command line: thin; parses, calls the library, prints.

Exit codes: 0 success, 2 bad input (scenario file, flag), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .atomic import write_atomic, write_text_atomic
from .experiments.replicate import MAX_REPLICATIONS, Replications, replicate
from .scenario import Scenario, ScenarioError, load_scenario
from .scenario.model import MAX_DAYS
from .scenario.patch import with_values


class UsageError(Exception):
    """A bad flag value; printed as ``linesim: error: ...`` with exit code 2."""


def _bounded(name: str, lo: float, hi: float, kind: type = int):
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


def _bounded_int(name: str, lo: int, hi: int):
    return _bounded(name, lo, hi, int)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="linesim",
        description="Discrete-event simulation of assembly lines for capacity what-if analysis.")
    p.add_argument("--version", action="version", version=f"linesim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check a scenario file and report every problem")
    v.add_argument("scenario", help="scenario YAML file")

    r = sub.add_parser("run", help="simulate a scenario over replications")
    r.add_argument("scenario", help="scenario YAML file")
    r.add_argument("--replications", "-r", type=_bounded_int("--replications", 1, MAX_REPLICATIONS),
                   default=20, help="independent replications (default 20)")
    r.add_argument("--seed", type=_bounded_int("--seed", 0, 2**63 - 1), default=None,
                   help="random seed (default: the scenario's)")
    r.add_argument("--days", type=_bounded_int("--days", 1, MAX_DAYS), default=None,
                   help="override the horizon length in calendar days")
    r.add_argument("--workers", "-w", type=_bounded_int("--workers", 1, 256), default=None,
                   help="worker processes (default: all cores)")
    r.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    r.add_argument("--out", metavar="DIR", help="write the result tables (CSV) and summary.json here")
    r.add_argument("--plots", metavar="DIR", help="write the plots here as PNG files")

    c = sub.add_parser("compare", help="gains, Shapley shares and paybacks of countermeasures")
    c.add_argument("scenario", help="base scenario YAML file")
    c.add_argument("countermeasures", nargs="+", metavar="COUNTERMEASURE",
                   help="countermeasure YAML files")
    c.add_argument("--replications", "-r", type=_bounded_int("--replications", 2, 1000),
                   default=10, help="paired replications to start with (default 10)")
    c.add_argument("--precision", type=_bounded("--precision", 0.001, 10, float), default=None,
                   help="add replications until every gain's interval half-width is at most "
                        "this fraction of the gain (e.g. 0.1)")
    c.add_argument("--max-replications", type=_bounded_int("--max-replications", 2, 1000),
                   default=100, help="cap for --precision (default 100)")
    c.add_argument("--seed", type=_bounded_int("--seed", 0, 2**63 - 1), default=None)
    c.add_argument("--days", type=_bounded_int("--days", 1, MAX_DAYS), default=None,
                   help="override the horizon length in calendar days")
    c.add_argument("--workers", "-w", type=_bounded_int("--workers", 1, 256), default=None,
                   help="worker processes (default: all cores)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.add_argument("--out", metavar="DIR", help="write the tables (CSV) and comparison.json")
    c.add_argument("--plots", metavar="DIR", help="write the plots here as PNG files")

    w = sub.add_parser("sweep", help="run a sweep file into a Parquet dataset")
    w.add_argument("sweep", help="sweep YAML file")
    w.add_argument("--out", metavar="DIR", required=True,
                   help="directory of the results (manifest.json, runs/*.parquet, log.jsonl)")
    w.add_argument("--workers", "-w", type=_bounded_int("--workers", 1, 256), default=None,
                   help="local worker processes (default: all cores)")
    w.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on a Dask cluster, e.g. tcp://host:8786")
    w.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep: skip every finished run")
    w.add_argument("--kpi", default="units", help="KPI to rank the points by (default units)")
    w.add_argument("--json", action="store_true", help="print the summary as JSON")
    w.add_argument("--plots", metavar="DIR", help="write the plots here as PNG files")

    sub.add_parser("schema", help="print the JSON Schema of scenario files")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "run":
            return cmd_run(args)
        if args.command == "compare":
            return cmd_compare(args)
        if args.command == "sweep":
            return cmd_sweep(args)
        if args.command == "schema":
            print(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))
            return 0
    except ScenarioError as exc:
        print(f"linesim: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"linesim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("linesim: interrupted", file=sys.stderr)
        return 130
    return 2  # pragma: no cover - argparse requires a command


def cmd_validate(args: argparse.Namespace) -> int:
    sc = load_scenario(args.scenario)
    stations = sum(len(ln.stations) for ln in sc.lines)
    print(f"{args.scenario}: OK - scenario {sc.name!r}: {len(sc.lines)} lines, {stations} "
          f"stations, {len(sc.products)} products, {sc.horizon.days} days from "
          f"{sc.horizon.start.isoformat()}")
    return 0


def _progress(total: int, enabled: bool):
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="run", file=sys.stderr, leave=False)
    return bar, lambda: bar.update(1)


def _out_dir(out: str | None) -> Path | None:
    """The --out directory, created now so that a bad one fails before the runs."""
    if not out:
        return None
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot create the directory: "
                         f"{exc.strerror or exc}") from None
    return out_dir


def cmd_compare(args: argparse.Namespace) -> int:
    from .comparison_report import format_comparison, write_comparison
    from .experiments.compare import compare
    from .scenario.countermeasure import load_countermeasure

    sc = load_scenario(args.scenario)
    if args.days is not None:
        sc = with_values(sc, {"horizon.days": args.days}, source="--days")
    measures = [load_countermeasure(p) for p in args.countermeasures]
    out_dir = _out_dir(args.out)
    if args.precision is not None and args.max_replications < args.replications:
        raise UsageError("--max-replications must be at least --replications")
    bar, tick = _progress(None, sys.stderr.isatty() and not args.json)
    try:
        cmp = compare(sc, measures, args.replications, args.seed,
                      workers=args.workers or os.cpu_count(), precision=args.precision,
                      max_replications=args.max_replications if args.precision else
                      max(args.replications, args.max_replications),
                      progress=(lambda n: tick()) if tick else None)
    finally:
        if bar is not None:
            bar.close()
    from .figures import comparison_figures

    return _finish(args, out_dir, cmp, write_comparison, comparison_figures, format_comparison)


def _write_out(out: str, write) -> None:
    """Run ``write()``; a failure to write is a usage error naming --out."""
    try:
        write()
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write the tables: {exc.strerror or exc}") from None


def cmd_sweep(args: argparse.Namespace) -> int:
    from .experiments.sweep import SweepRun, SweepResult
    from .scenario.sweep import load_sweep

    path = Path(args.sweep)
    sw = load_sweep(path)
    out_dir = _out_dir(args.out)
    run = SweepRun(sw, path.parent, out_dir)
    run.prepare(args.resume)
    todo = run.pending()
    total = len(run.points) * sw.replications
    executor, client = None, None
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs dask.distributed: pip install "
                             "'dask[distributed]'") from None
        try:
            client = Client(args.scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--scheduler {args.scheduler}: cannot connect: {exc}") from None
        executor = client.get_executor()
    bar, tick = _progress(len(todo), sys.stderr.isatty() and not args.json)
    try:
        ran = run.execute(todo, executor, args.workers or os.cpu_count(), tick)
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
    res = SweepResult(out_dir)
    runs = res.runs
    if args.kpi not in runs.columns:
        raise UsageError(f"--kpi {args.kpi}: not a result column; try units, oee, "
                         "plan_attainment, wip, flow_time")
    best = res.best(args.kpi, n=5)
    if args.plots:
        from .figures import sweep_figures

        _write_out(args.plots, lambda: sweep_figures(res, _out_dir(args.plots), args.kpi))
    if args.json:
        print(json.dumps({"runs": total, "ran": ran, "skipped": total - ran,
                          "errors": int(runs["error"].notna().sum()),
                          "best": json.loads(best.to_json(orient="records"))}, indent=2))
        return 0
    print(f"linesim sweep {sw.name}: {len(run.points)} points x {sw.replications} replications "
          f"= {total} runs; ran {ran}, skipped {total - ran} already finished; "
          f"{int(runs['error'].notna().sum())} failed (see the 'error' column)")
    print(f"results: {out_dir}/runs (Parquet, one file per run), {out_dir}/manifest.json")
    print(f"\nbest points by mean {args.kpi}:")
    print(best.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    return 0


def _finish(args: argparse.Namespace, out_dir: Path | None, result, write_tables_to,
            figures_to, report) -> int:
    """Write the tables (--out) and figures (--plots), then print JSON or the report."""
    if out_dir is not None:
        _write_out(args.out, lambda: write_tables_to(result, out_dir))
    if args.plots:
        _write_out(args.plots, lambda: figures_to(result, _out_dir(args.plots)))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(report(result))
        if out_dir is not None:
            print(f"\nTables written to {out_dir}/")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    sc = load_scenario(args.scenario)
    if args.days is not None:
        sc = with_values(sc, {"horizon.days": args.days}, source="--days")
    out_dir = _out_dir(args.out)
    bar, tick = _progress(args.replications, sys.stderr.isatty() and not args.json)
    try:
        res = replicate(sc, args.replications, args.seed, workers=args.workers or os.cpu_count(),
                        progress=tick)
    finally:
        if bar is not None:
            bar.close()
    from .figures import run_figures

    return _finish(args, out_dir, res, write_tables, run_figures, format_report)


def write_tables(res: Replications, out_dir: Path) -> None:
    """Write every result table as CSV, and summary.json, each file atomically."""
    tables = {
        "kpis.csv": res.kpi_table,
        "summary.csv": res.summary,
        "line_summary.csv": res.line_summary,
        "line_kpis.csv": res.line_table,
        "losses.csv": res.loss_table,
        "waterfall.csv": res.waterfall,
        "states.csv": res.states,
        "output.csv": res.output,
    }
    for name, df in tables.items():
        index = name in ("kpis.csv", "summary.csv", "line_summary.csv", "losses.csv")
        write_atomic(out_dir / name, lambda f, df=df, index=index: df.to_csv(f, index=index))
    write_text_atomic(out_dir / "summary.json", json.dumps(res.to_dict(), indent=2) + "\n")


def _fmt(v: float, kpi: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if kpi in ("oee", "availability", "performance", "quality", "plan_attainment"):
        return f"{100 * v:.1f}%"
    if kpi in ("units", "scrap", "started", "units_per_day"):
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def format_report(res: Replications) -> str:
    """A readable report: plant KPIs with intervals, per-line table, losses."""
    sc = res.scenario
    h = sc.horizon
    pct = int(round(100 * res.level))
    lines = [f"linesim run: {sc.name}  (seed {res.seed}, {len(res)} replications, "
             f"{h.start.isoformat()} + {h.days} days, warm-up {h.warmup_days:g} days, "
             f"{len(res.runs[0].record.working_days)} working days measured)", ""]
    labels = {"units": "good units", "units_per_day": "units per working day",
              "plan_attainment": "plan attainment", "oee": "OEE", "availability": "  availability",
              "performance": "  performance", "quality": "  quality", "wip": "WIP (units)",
              "flow_time": "flow time (min)", "scrap": "scrapped units"}
    lines.append(f"{'Plant':<24}{'mean':>12}   {pct}% interval")
    for kpi, label in labels.items():
        row = res.summary.loc[kpi]
        lines.append(f"  {label:<22}{_fmt(row['mean'], kpi):>12}   "
                     f"[{_fmt(row['ci_low'], kpi)}, {_fmt(row['ci_high'], kpi)}]")
    lines += ["", f"{'Line':<12}{'good units':>12}  {pct}% interval{'':>8}{'OEE':>7}"
              f"{'attain.':>9}{'WIP':>7}"]
    ls = res.line_summary
    for line in dict.fromkeys(ls.index.get_level_values(0)):
        u, o = ls.loc[(line, "units")], ls.loc[(line, "oee")]
        a, w = ls.loc[(line, "plan_attainment")], ls.loc[(line, "wip")]
        ci = f"[{_fmt(u['ci_low'], 'units')}, {_fmt(u['ci_high'], 'units')}]"
        lines.append(f"  {line:<10}{_fmt(u['mean'], 'units'):>12}  {ci:<20}"
                     f"{_fmt(o['mean'], 'oee'):>7}{_fmt(a['mean'], 'oee'):>9}"
                     f"{_fmt(w['mean'], 'wip'):>7}")
    wf = res.waterfall
    cap = wf.loc[wf.kind == "capacity", "units"].sum()
    losses = res.losses[res.losses.abs() >= 0.5].sort_values(ascending=False)
    width = max([22, *(len(c) + 2 for c in losses.index)])
    lines += ["", "Where the capacity went (mean units lost at each line's constraint, by root "
              "cause)", f"  {'ideal capacity':<{width + 2}}{cap:>10,.0f}"]
    for cause, units in losses.items():
        lines.append(f"  - {cause:<{width}}{units:>10,.0f}  {100 * units / cap if cap else 0:5.1f}%")
    lines.append(f"  {'= good units':<{width + 2}}{res.summary.loc['units', 'mean']:>10,.0f}")
    cats = ", ".join(f"{k} {v:,.0f}" for k, v in res.loss_categories.items())
    lines += ["", f"By 4M1E category: {cats}"]
    k = res.summary["mean"]
    if k["quality_stops"] > 0:
        esc = ", ".join(f"level {lv}: {n:.1f}" for lv, n in res.escalations.items())
        lines.append(f"Quality stoppages: {k['quality_stops']:.1f} per run; reached {esc}; "
                     f"operator-hours sent home {k['sent_home_hours']:,.1f}")
    if k["quality_breaches"] > 0:
        lines.append(f"Incoming-part quality breaches (part-days above "
                     f"{100 * sc.materials.quality_threshold:g}% defective): "
                     f"{k['quality_breaches']:.1f} per run")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
