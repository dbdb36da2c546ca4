"""``linesim sweep SWEEP --out DIR``: every point x replication of a sweep file."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .common import UsageError, bounded_int, out_dir, progress, write_out

NAME = "sweep"
HELP = "run a sweep file into a Parquet dataset"


def add_arguments(w: argparse.ArgumentParser) -> None:
    w.add_argument("sweep", help="sweep YAML file")
    w.add_argument("--out", metavar="DIR", required=True,
                   help="directory of the results (manifest.json, runs/*.parquet, log.jsonl)")
    w.add_argument("--workers", "-w", type=bounded_int("--workers", 1, 256), default=None,
                   help="local worker processes (default: all cores)")
    w.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on a Dask cluster, e.g. tcp://host:8786")
    w.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep: skip every finished run")
    w.add_argument("--kpi", default="units", help="KPI to rank the points by (default units)")
    w.add_argument("--json", action="store_true", help="print the summary as JSON")
    w.add_argument("--plots", metavar="DIR", help="write the plots here as PNG files")


def run(args: argparse.Namespace) -> int:
    from ..experiments.sweep import SweepResult, SweepRun
    from ..scenario.sweep import load_sweep

    path = Path(args.sweep)
    sw = load_sweep(path)
    out = out_dir(args.out)
    run = SweepRun(sw, path.parent, out)
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
    bar, tick = progress(len(todo), sys.stderr.isatty() and not args.json)
    try:
        ran = run.execute(todo, executor, args.workers or os.cpu_count(), tick)
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
    res = SweepResult(out)
    runs = res.runs
    if args.kpi not in runs.columns:
        raise UsageError(f"--kpi {args.kpi}: not a result column; try units, oee, "
                         "plan_attainment, wip, flow_time")
    best = res.best(args.kpi, n=5)
    if args.plots:
        from ..figures import sweep_figures

        write_out(args.plots, lambda: sweep_figures(res, out_dir(args.plots, "--plots"), args.kpi),
                  "--plots")
    if args.json:
        print(json.dumps({"runs": total, "ran": ran, "skipped": total - ran,
                          "errors": int(runs["error"].notna().sum()),
                          "best": json.loads(best.to_json(orient="records"))}, indent=2))
        return 0
    print(f"linesim sweep {sw.name}: {len(run.points)} points x {sw.replications} replications "
          f"= {total} runs; ran {ran}, skipped {total - ran} already finished; "
          f"{int(runs['error'].notna().sum())} failed (see the 'error' column)")
    print(f"results: {out}/runs (Parquet, one file per run), {out}/manifest.json")
    print(f"\nbest points by mean {args.kpi}:")
    print(best.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    return 0
