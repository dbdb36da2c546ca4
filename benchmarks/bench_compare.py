"""Wall time of the main job: the baseline against every shipped countermeasure, over one
month, on 1 and on 2 worker processes, and the speed-up (target: at least 1.8x on 2 cores).
Also checks that both give the same table.

    python benchmarks/bench_compare.py                      # 30 replications, 30 days
    python benchmarks/bench_compare.py --replications 6     # a quicker look
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import linesim
from linesim.experiments.compare import compare
from linesim.scenario.countermeasure import load_countermeasure
from linesim.scenario.patch import with_values

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--days", type=int, default=30)
    args = ap.parse_args(argv)
    base = with_values(linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml"),
                       {"horizon.days": args.days})
    files = sorted((ROOT / "scenarios" / "countermeasures").glob("*.yaml"))
    measures = [load_countermeasure(f) for f in files]
    walls = {}
    tables = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        res = compare(base, measures, replications=args.replications, workers=workers)
        walls[workers] = time.perf_counter() - t0
        tables[workers] = res.to_dict()
        print(f"{workers} worker(s): {walls[workers]:.1f} s wall for {len(res.runs)} runs "
              f"({len(measures)} countermeasures, {args.replications} replications, "
              f"{args.days} days)")
    same = tables[1] == tables[2]
    speedup = walls[1] / walls[2]
    print(f"speed-up 1 -> 2 workers: {speedup:.2f}x (target >= 1.8: "
          f"{'met' if speedup >= 1.8 else 'NOT met'}); identical results: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
