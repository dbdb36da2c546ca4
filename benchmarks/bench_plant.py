"""Speed of linesim on a whole plant scenario: simulated plant-days per CPU second.

Validates the scenario once (timed separately), then runs ``simulate_record`` for
``--rounds`` rounds, replication ``r`` in round ``r``, and times each run with
``time.process_time`` (CPU seconds: building the SimPy model plus running it; no results
tables). A plant-day is one calendar day of the scenario's horizon (warm-up included) for
the whole plant, all lines together.

    python benchmarks/bench_plant.py                          # scenarios/baseline.yaml
    python benchmarks/bench_plant.py --scenario benchmarks/serial_line.yaml --rounds 5
    python benchmarks/bench_plant.py --days 60                # override the horizon
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import linesim
from linesim.engine import simulate_record
from linesim.scenario import read_yaml

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "baseline.yaml",
                    help="scenario YAML (default scenarios/baseline.yaml)")
    ap.add_argument("--rounds", type=int, default=7, help="timed runs (default 7)")
    ap.add_argument("--seed", type=int, default=None, help="seed (default: the scenario's)")
    ap.add_argument("--days", type=int, default=None,
                    help="override the horizon's days (default: the scenario's)")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if not args.scenario.exists():
        ap.error(f"no scenario file {args.scenario}; give one with --scenario")

    t0 = time.process_time()
    if args.days is None:
        sc = linesim.load_scenario(args.scenario)
    else:
        data = read_yaml(args.scenario)
        data["horizon"]["days"] = args.days
        sc = linesim.scenario_from_dict(data)
    load_s = time.process_time() - t0
    days = sc.horizon.days
    stations = sum(len(ln.stations) for ln in sc.lines)
    print(f"{args.scenario}: {sc.name!r}, {len(sc.lines)} line(s), {stations} stations, "
          f"{days} days (warm-up {sc.horizon.warmup_days:g}); load + validate {load_s:.3f} CPU s")

    simulate_record(sc, args.seed, 10_000)  # warm up, untimed
    cpu: list[float] = []
    goods: list[int] = []
    print(f"{'round':>5}{'CPU s':>10}{'days/CPU s':>12}{'good units':>12}")
    for r in range(args.rounds):
        gc.collect()
        t0 = time.process_time()
        rec = simulate_record(sc, args.seed, r)
        t = time.process_time() - t0
        cpu.append(t)
        goods.append(sum(ln.good for ln in rec.lines))
        print(f"{r:5d}{t:10.3f}{days / t:12.1f}{goods[-1]:12d}")
    med = statistics.median(cpu)
    print()
    print(f"median: {med:.3f} CPU s per run, {days / med:.1f} plant-days per CPU second, "
          f"{statistics.median(g / t for g, t in zip(goods, cpu)):,.0f} good units per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
