"""Why the paired gains are noisy: a change too small to matter, and what spreads it.

On the month baseline, a change of no practical size (line L1's laser-welding cycle 0.1%
longer: its true effect is a few units a month) is compared with the plant on common
random numbers, replication by replication. With perfectly synchronised random numbers
and a plant that does not amplify small timing differences, its paired gain would be a
few units in every replication. Whatever spread it has is noise that every measure's
paired gain carries too, and that only more replications average away.

The same is done on variants of the baseline that switch off one mechanism each, to find
what spreads a small timing change from line L1 to the others:

* ``no shortage``: every part's warehouse stock (record and shelf) 10 million: the shared
  warehouse never runs short, so no line takes parts another one needed;
* ``pickers unlimited``: no queue of lines for the warehouse's pickers;
* ``no leave``: operators never leave their post;
* ``no stoppages``: no quality stoppages.

Printed for each: the plant's good units, the spread (sd over replications) of the tiny
change's paired gain for the plant, for L1 itself and for the other four lines together
(units in the run's 31 days), and, with ``--measure FILE``, the same spread of that
countermeasure's paired gain on the baseline and the variant.

    python benchmarks/study_chaos.py                          # 10 replications, 2 workers
    python benchmarks/study_chaos.py --reps 6 --variants baseline "no shortage"
    python benchmarks/study_chaos.py --measure scenarios/countermeasures/laser-fixture.yaml
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import linesim
from linesim.engine import simulate_record
from linesim.scenario.countermeasure import apply, load_countermeasure
from linesim.scenario.patch import get_value, scenario_data, with_values

ROOT = Path(__file__).resolve().parent.parent
BIG = 10_000_000
TINY = "lines[0].stations[laser welding].cycle_time.mean"
VARIANTS: dict[str, dict] = {
    "baseline": {},
    "no shortage": {"materials.parts[*].stock": BIG, "materials.parts[*].physical": BIG},
    "pickers unlimited": {"materials.warehouse.pickers": None},
    "no leave": {"workforce.short_absence.rate_per_hour": 0.0},
    "no stoppages": {"quality.stoppages": []},
}


def scenario(variant: str, change: str) -> linesim.Scenario:
    """The baseline under ``variant`` with ``change``: '' (none), 'tiny' or a measure file."""
    sc = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    values = dict(VARIANTS[variant])
    if change == "tiny":
        values[TINY] = get_value(scenario_data(sc), TINY) * 1.001
    if values:
        sc = with_values(sc, values, variant)
    if change not in ("", "tiny"):
        sc = apply(sc, [load_countermeasure(change)])
    return sc


def units(args: tuple[str, str, int]) -> dict[str, int]:
    """Good units per line of one run."""
    variant, change, seed = args
    rec = simulate_record(scenario(variant, change), seed)
    return {ln.name: ln.good for ln in rec.lines}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--measure", default="", help="a countermeasure file to compare as well")
    args = ap.parse_args(argv)
    changes = ["", "tiny"] + ([args.measure] if args.measure else [])
    jobs = [(v, c, s) for v in args.variants for c in changes for s in range(args.reps)]
    with ProcessPoolExecutor(args.workers) as pool:
        res = dict(zip(jobs, pool.map(units, jobs)))
    sd = statistics.stdev
    print(f"{args.reps} replications; spreads are sd of paired gains, good units in the run")
    head = f"{'variant':18s} {'plant':>7s} {'tiny: plant':>12s} {'L1':>6s} {'others':>7s}"
    print(head + (f" {'measure: gain':>14s} {'sd':>6s}" if args.measure else ""))
    for v in args.variants:
        base = [res[v, "", s] for s in range(args.reps)]
        tiny = [res[v, "tiny", s] for s in range(args.reps)]
        d = [{k: t[k] - b[k] for k in b} for b, t in zip(base, tiny)]
        plant = [sum(x.values()) for x in d]
        others = [p - x["L1"] for p, x in zip(plant, d)]
        line = (f"{v:18s} {statistics.mean(sum(b.values()) for b in base):7.0f} "
                f"{sd(plant):12.1f} {sd([x['L1'] for x in d]):6.1f} {sd(others):7.1f}")
        if args.measure:
            g = [sum(res[v, args.measure, s].values()) - sum(b.values())
                 for s, b in enumerate(base)]
            line += f" {statistics.mean(g):14.1f} {sd(g):6.1f}"
        print(line)


if __name__ == "__main__":
    main()
