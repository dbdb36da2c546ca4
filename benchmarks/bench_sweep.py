"""Sweep throughput: a 200-run sweep of one-month baseline runs (10 points x 20
replications) on 1 and 2 local workers and on a 2-worker Dask LocalCluster. Prints runs per
second, the 1 -> 2 worker speed-up (target at least 1.8x) and Dask's overhead over local
processes (target at most 10%), and checks the three tables are identical.

    python benchmarks/bench_sweep.py
    python benchmarks/bench_sweep.py --replications 4 --days 10   # a quick look
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from linesim.experiments.sweep import run_sweep

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--skip-one", action="store_true", help="skip the 1-worker run")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sweep = tmp / "sweep.yaml"
        sweep.write_text(f"""
name: bench
base: {ROOT / "scenarios" / "baseline.yaml"}
replications: {args.replications}
seed: 1
days: {args.days}
factors:
  - {{name: prekit, path: materials.warehouse.prekit, values: [false, true]}}
  - {{name: decision, path: "quality.escalation.levels[0].after_minutes",
      values: [15, 30, 60, 90, 120]}}
""")
        n = 10 * args.replications
        times, tables = {}, {}
        modes = [("2 workers", {"workers": 2})] if args.skip_one else \
            [("1 worker", {"workers": 1}), ("2 workers", {"workers": 2})]
        for label, kw in modes:
            t0 = time.perf_counter()
            tables[label] = run_sweep(sweep, tmp / label, **kw).runs
            times[label] = time.perf_counter() - t0
        import dask
        from distributed import Client, LocalCluster

        # the workers' statistical profiler samples every thread every 10 ms: a diagnostic
        # that costs several per cent of a CPU-bound task; a production cluster may keep it
        dask.config.set({"distributed.worker.profile.enabled": False})
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            client.submit(sum, [1]).result()  # cluster up, untimed
            t0 = time.perf_counter()
            tables["dask 2 workers"] = run_sweep(sweep, tmp / "dask", client=client).runs
            times["dask 2 workers"] = time.perf_counter() - t0
    for label, t in times.items():
        print(f"{label:<15} {t:7.1f} s wall, {n / t:5.2f} runs/s ({n} runs of {args.days} days)")
    speedup = times["1 worker"] / times["2 workers"] if "1 worker" in times else float("nan")
    overhead = times["dask 2 workers"] / times["2 workers"] - 1
    same = all(tables["2 workers"].equals(t) for t in tables.values())
    print(f"speed-up 1 -> 2 workers {speedup:.2f}x (target >= 1.8); Dask overhead "
          f"{100 * overhead:+.1f}% (target <= 10%); identical tables: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
