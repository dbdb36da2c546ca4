"""What the seed's causes cost in speed: the baseline with all causes against the same plant
with operators, material and quality stoppages switched off, timed alternately in one run.

Reports simulated plant-days per CPU second for each and the median ratio (target: the
causes cost at most 2x).

    python benchmarks/bench_causes.py                   # 7 rounds of scenarios/baseline.yaml
    python benchmarks/bench_causes.py --rounds 11 --days 30
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

import linesim
from linesim.engine import simulate_record
from linesim.scenario.patch import scenario_data

ROOT = Path(__file__).resolve().parent.parent


def without_causes(sc: linesim.Scenario) -> linesim.Scenario:
    """The same plant with no workforce, no materials and no quality stoppages."""
    data = scenario_data(sc)
    data["workforce"] = None
    data["materials"] = {}
    data["quality"] = {}
    for p in data["products"]:
        p["bom"] = []
    return linesim.scenario_from_dict(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "baseline.yaml")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--days", type=int, default=None, help="override the horizon's days")
    args = ap.parse_args(argv)
    full = linesim.load_scenario(args.scenario)
    if args.days:
        from linesim.scenario.patch import with_values
        full = with_values(full, {"horizon.days": args.days})
    bare = without_causes(full)
    days = full.horizon.days
    for sc in (full, bare):
        simulate_record(sc, None, 10_000)  # warm up, untimed
    times: dict[str, list[float]] = {"all causes": [], "no causes": []}
    units: dict[str, list[int]] = {"all causes": [], "no causes": []}
    print(f"{'round':>5}{'all causes s':>14}{'no causes s':>13}{'ratio':>8}")
    for r in range(args.rounds):
        row = []
        for name, sc in (("all causes", full), ("no causes", bare)):
            gc.collect()
            t0 = time.process_time()
            rec = simulate_record(sc, None, r)
            dt = time.process_time() - t0
            times[name].append(dt)
            units[name].append(sum(ln.good for ln in rec.lines))
            row.append(dt)
        print(f"{r:>5}{row[0]:>14.3f}{row[1]:>13.3f}{row[0] / row[1]:>8.2f}")
    ratios = [a / b for a, b in zip(times["all causes"], times["no causes"])]
    print()
    for name in times:
        med = statistics.median(times[name])
        print(f"{name:<11} median {med:.3f} CPU s per run, {days / med:.1f} plant-days per CPU s, "
              f"{statistics.mean(units[name]):,.0f} good units")
    med = statistics.median(ratios)
    print(f"median ratio all causes / no causes: {med:.2f} (min {min(ratios):.2f}, max "
          f"{max(ratios):.2f}; target <= 2: {'met' if med <= 2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
