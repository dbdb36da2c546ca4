"""``linesim sweep SWEEP --out DIR``: every point x replication of a sweep file."""

from __future__ import annotations

import argparse
import json
import logging
import sys

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
    w.add_argument("--kpi", default="units",
                   help="KPI to rank the points by (default units); less is better for wip, "
                        "flow_time, scrap, quality_stops, sent_home_hours, quality_breaches "
                        "and loss_*; --kpi=-NAME ranks by the smallest mean")
    order = w.add_mutually_exclusive_group()
    order.add_argument("--minimise", "--minimize", dest="largest", action="store_false",
                       default=None, help="rank the points by the smallest mean of --kpi")
    order.add_argument("--maximise", "--maximize", dest="largest", action="store_true",
                       help="rank the points by the largest mean of --kpi")
    w.add_argument("--json", action="store_true", help="print the summary as JSON")
    w.add_argument("--plots", metavar="DIR", help="write the plots here as PNG files")


def _connect(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: pip install "
                         "'dask[distributed]'") from None
    # the client logs its own tracebacks when the scheduler goes away; the runner reports
    # that as one clean line (ClusterLost), so only critical messages pass
    for name in ["distributed", *logging.root.manager.loggerDict]:
        if name.startswith("distributed"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--scheduler {address}: cannot connect: {exc}") from None


def run(args: argparse.Namespace) -> int:
    from ..experiments.sweep import lower_is_better, run_sweep

    kpi, largest = args.kpi, args.largest
    if kpi.startswith("-"):
        if largest:
            raise UsageError(f"--kpi={kpi} ranks by the smallest mean; drop --maximise")
        kpi, largest = kpi[1:], False
    out = out_dir(args.out)
    plots = out_dir(args.plots, "--plots") if args.plots else None
    client = _connect(args.scheduler) if args.scheduler else None
    bar, tick = progress(None, sys.stderr.isatty() and not args.json)
    try:
        res = run_sweep(args.sweep, out, workers=args.workers, client=client,
                        resume=args.resume, progress=tick, kpis=[kpi])
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
    best = res.best(kpi, n=5, largest=largest)
    if plots is not None:
        from ..figures import sweep_figures

        write_out(args.plots, lambda: sweep_figures(res, plots, kpi), "--plots")
        if len(res.factors) > 2:
            print(f"linesim: note: the plots show {res.factors[0]} and {res.factors[1]}; each "
                  f"cell averages over {', '.join(res.factors[2:])}", file=sys.stderr)
    failed = len(res.errors)
    total = res.ran + res.skipped
    if args.json:
        print(json.dumps({"runs": total, "ran": res.ran, "skipped": res.skipped,
                          "errors": failed,
                          "best": json.loads(best.to_json(orient="records"))}, indent=2))
    else:
        points = len(res.manifest["points"])
        print(f"linesim sweep {res.manifest['name']}: {points} points x "
              f"{res.manifest['replications']} replications = {total} runs; ran {res.ran}, "
              f"skipped {res.skipped} already finished; {failed} failed (see the 'error' column)")
        print(f"results: {out}/runs (Parquet, one file per run), {out}/manifest.json")
        low = largest is False or (largest is None and lower_is_better(kpi))
        print(f"\nbest points by {'smallest' if low else 'largest'} mean {kpi}:")
        print(best.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    if failed:
        first = res.errors.iloc[0]
        print(f"linesim: {failed} run(s) failed; the first, point {first['point']} replication "
              f"{first['replication']}: {first['error']}", file=sys.stderr)
        return 1
    return 0

