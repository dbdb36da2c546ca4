"""Cost of a simulated line-day as the plant grows: plants of 5, 10, 20 and 50 lines made of
copies of the baseline's five lines (each copy with its own plan, operators and line-side
stock; the plant-wide warehouse stock, shop capacities and order quantities scaled with the
number of copies so that each copy sees the material supply of the baseline: stocks, open
orders, order quantities and warehouse pickers).

Rounds are interleaved (every plant size once per round, in a rotating order), so that a
machine that is busier in one minute than the next loads every size alike. Reported: CPU
seconds per simulated line-day (``time.process_time``, building plus running the SimPy
model, no result tables), relative to the 5-line plant, and good units per line-day (the
copies are the same plant, so it should not move).

    python benchmarks/bench_scale.py                 # 5, 10, 20, 50 lines, 5 rounds
    python benchmarks/bench_scale.py --copies 1 4 --rounds 3 --days 10
"""

from __future__ import annotations

import argparse
import copy
import gc
import statistics
import sys
import time
from pathlib import Path

import linesim
from linesim.engine import simulate_record
from linesim.scenario import read_yaml

ROOT = Path(__file__).resolve().parent.parent


def plant(data: dict, copies: int, days: int) -> linesim.Scenario:
    """The baseline's data with its lines repeated ``copies`` times (names suffixed ``-cN``)."""
    d = copy.deepcopy(data)
    d["horizon"]["days"] = days
    lines, plan, operators = [], {}, []
    names = [ln["name"] for ln in data["lines"]]
    for c in range(copies):
        suffix = "" if c == 0 else f"-c{c}"
        ren = {n: n + suffix for n in names}
        for ln in data["lines"]:
            new = copy.deepcopy(ln)
            new["name"] = ren[ln["name"]]
            lines.append(new)
        for ln, p in data["plan"].items():
            plan[ren[ln]] = copy.deepcopy(p)
        for op in data.get("workforce", {}).get("operators", []):
            new = copy.deepcopy(op)
            new["name"] = op["name"] + suffix
            line, _, station = op["post"].partition("/")
            new["post"] = f"{ren[line]}/{station}"
            new["skills"] = [f"{ren[s.partition('/')[0]]}/{s.partition('/')[2]}"
                             for s in op.get("skills", [])]
            operators.append(new)
    d["lines"], d["plan"] = lines, plan
    if "workforce" in d:
        d["workforce"]["operators"] = operators
    m = d.get("materials", {})
    for shop in m.get("shops", []):
        shop["capacity_per_day"] *= copies
    if "pickers" in m.get("warehouse", {}):
        m["warehouse"]["pickers"] *= copies
    for part in m.get("parts", []):
        for key in ("stock", "physical"):
            if key in part:
                part[key] *= copies
        o = part.get("ordering", {})
        for key in ("reorder_point", "quantity", "safety_stock", "order_up_to"):
            if o.get(key) is not None:
                o[key] *= copies
    for order in m.get("open_orders", []):
        order["quantity"] *= copies
    return linesim.scenario_from_dict(d)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4, 10],
                    help="copies of the baseline's 5 lines (default 1 2 4 10 = 5..50 lines)")
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    ap.add_argument("--days", type=int, default=15, help="horizon in days (default 15)")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.days < 1 or min(args.copies) < 1:
        ap.error("--rounds, --days and --copies must be at least 1")
    data = read_yaml(ROOT / "scenarios" / "baseline.yaml")
    plants = {k: plant(data, k, args.days) for k in args.copies}
    for sc in plants.values():
        simulate_record(sc, None, 10_000)  # warm up, untimed
    cpu: dict[int, list[float]] = {k: [] for k in plants}
    good: dict[int, list[float]] = {k: [] for k in plants}
    order = list(plants)
    for r in range(args.rounds):
        for k in order[r % len(order):] + order[:r % len(order)]:
            sc = plants[k]
            gc.collect()
            t0 = time.process_time()
            rec = simulate_record(sc, None, r)
            t = time.process_time() - t0
            line_days = len(sc.lines) * args.days
            cpu[k].append(t / line_days)
            good[k].append(sum(ln.good for ln in rec.lines) / line_days)
    ref = statistics.median(cpu[order[0]])
    print(f"{'lines':>6}{'CPU ms/line-day':>17}{'relative':>10}{'min-max rel.':>15}"
          f"{'good/line-day':>15}")
    for k in order:
        med = statistics.median(cpu[k])
        lo, hi = min(cpu[k]) / ref, max(cpu[k]) / ref
        print(f"{5 * k:>6}{1000 * med:>17.2f}{med / ref:>10.2f}{f'{lo:.2f}-{hi:.2f}':>15}"
              f"{statistics.mean(good[k]):>15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
