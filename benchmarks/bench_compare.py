"""The main job at 30-replication precision: the baseline against every shipped
countermeasure, replications added to each measure until its gain interval is as narrow as
30 plain paired replications would give (as ``linesim compare BASE CMS...`` does by default),
on 1 and on 2 worker processes. Prints the runs made, wall and CPU seconds (this process and
its workers), the speed-up, each measure's interval against the 30-replication one, a check
that both tables are identical, and, measured in the same process as the yardstick, the CPU
time of the hand-written SERIAL5 model (``handwritten.py``, 30 days) before and after.

    python benchmarks/bench_compare.py                       # the main job, 1 and 2 workers
    python benchmarks/bench_compare.py --workers 2           # only 2 workers (quicker)
    python benchmarks/bench_compare.py --shapley antithetic  # with Shapley shares
    python benchmarks/bench_compare.py --as-precise-as 0 --first 30   # plain 30 replications
    python benchmarks/bench_compare.py --shapley-error 6 --days 3      # Shapley sampling error
    python benchmarks/bench_compare.py --controls 30         # control variates, measured

``--shapley-error N``: exact Shapley of the first N measures (every subset, ``--first``
replications), then the error against it of one random order and of an order plus its
reverse, over 2,000 random orders per replication (root-mean-square over measures, orders
and replications, units a month). ``--controls R``: the base and every measure alone over R
replications; for each measure, the base run's realised counts (failures, quality stops,
stop minutes, minutes without operator, without material, material waits, defective parts)
that best explain its paired gains, and the share of the gain's variance a control variate
with a *known* mean would remove (R squared, in-sample: an upper bound).
"""

from __future__ import annotations

import argparse
import gc
import math
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import handwritten  # noqa: E402
import linesim  # noqa: E402
from linesim.experiments.compare import compare  # noqa: E402
from linesim.experiments.sequential import Target  # noqa: E402
from linesim.results.stats import t_quantile  # noqa: E402
from linesim.scenario.countermeasure import load_countermeasure  # noqa: E402
from linesim.scenario.patch import with_values  # noqa: E402

ROOT = HERE.parent


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished (joined) worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def serial5(rounds: int, days: int) -> float:
    """Median CPU seconds of the hand-written SERIAL5 model over ``days`` days."""
    times = []
    for r in range(rounds):
        gc.collect()
        t0 = time.process_time()
        handwritten.run(days * 1440.0, 1, r)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def shapley_error(base, measures, n: int, reps: int, workers: int) -> None:
    """Print the sampling error of one order and of an antithetic pair against exact."""
    from linesim.experiments.shapley import sampling_error

    res = compare(base, measures[:n], reps, workers=workers, shapley="exact")
    err = {"sampled": [], "antithetic": []}
    for r in range(reps):
        e = sampling_error(n, lambda s, r=r: res.gain(s, r) if s else 0.0, 2000, seed=r)
        for k in err:
            err[k].append(e[k] ** 2)
    noise = statistics.mean(float(res.shapley_table[m.name].std(ddof=1)) for m in res.measures)
    rms = {k: math.sqrt(statistics.mean(v)) for k, v in err.items()}
    print(f"Shapley sampling error, {n} measures, {reps} replications x 2,000 orders, "
          f"{base.horizon.days} days ({len(res.runs)} runs): one order {rms['sampled']:,.0f}, "
          f"an order and its reverse {rms['antithetic']:,.0f} units a month (rms); "
          f"simulation noise (sd of the exact shares over replications) {noise:,.0f}")


CONTROLS = ("failures", "quality_stops", "stop_minutes", "no_operator", "no_material",
            "material_waits", "defective_parts", "failed")


def counted_run(args) -> dict[str, float]:
    """Good units of one run and the realised counts of its random inputs (from the record)."""
    from linesim.engine import simulate_record

    scenario, seed, rep = args
    rec = simulate_record(scenario, seed, rep)
    stations = [s for ln in rec.lines for s in ln.stations]
    return {"units": float(sum(ln.good for ln in rec.lines)),
            "working_days": float(len(rec.working_days)),
            "failures": float(sum(s.failures for s in stations)),
            "quality_stops": float(len(rec.stoppages)),
            "stop_minutes": float(sum(min(x.end, rec.end) - x.start if x.end == x.end
                                      else rec.end - x.start for x in rec.stoppages)),
            "no_operator": sum(s.minutes.get("no_operator", 0.0) for s in stations),
            "no_material": sum(s.minutes.get("no_material", 0.0) for s in stations),
            "failed": sum(s.minutes.get("failed", 0.0) for s in stations),
            "material_waits": float(sum(rec.material_waits.values())),
            "defective_parts": float(sum(d[4] for d in rec.part_days))}


def report_controls(base, measures, reps: int, workers: int) -> None:
    """Print, per measure, the base-run count that best explains its paired gains."""
    import numpy as np

    from linesim.experiments.jobs import Runner, check
    from linesim.scenario.countermeasure import apply

    subsets = [()] + [(i,) for i in range(len(measures))]
    scs = {s: apply(base, [measures[i] for i in s]) if s else base for s in subsets}
    jobs = [(s, r) for r in range(reps) for s in subsets]
    with Runner(workers) as runner:
        out = dict(zip(jobs, check(runner.run(counted_run, [(scs[s], base.seed, r)
                                                              for s, r in jobs]))))
    print(f"control variates: base and {len(measures)} measures x {reps} replications; "
          "R^2 of the paired gain on the base run's count (in-sample, best of "
          f"{len(CONTROLS)})")
    for i, m in enumerate(measures):
        g = np.array([out[(i,), r]["units"] - out[(), r]["units"] for r in range(reps)])
        if g.std() == 0:
            print(f"  {m.name:<34} gain identical in every replication: nothing to reduce")
            continue
        r2 = {c: float(np.corrcoef(g, [out[(), r][c] for r in range(reps)])[0, 1] ** 2)
              for c in CONTROLS if np.std([out[(), r][c] for r in range(reps)]) > 0}
        best = sorted(r2, key=r2.get, reverse=True)[:2]
        print(f"  {m.name:<34} " + ", ".join(f"{c} {r2[c]:.2f}" for c in best)
              + f"; 30-replication precision with a known mean: ~{30 * (1 - r2[best[0]]):.0f}"
              " replications")


def widths(res, like: int) -> list[str]:
    """Each measure's half-width against what ``like`` plain paired replications give."""
    rows = []
    for i, m in enumerate(res.measures):
        g = res.gains[m.name].to_numpy()[:res.counts[i]]
        half = (res.table.loc[m.name, "gain_high"] - res.table.loc[m.name, "gain_low"]) / 2
        ref = t_quantile(res.level, like - 1) * float(g.std(ddof=1)) / math.sqrt(like)
        ratio = "-" if ref == 0 else f"{half / ref:.2f}"
        rows.append(f"  {m.name:<34}{res.counts[i]:>5}{res.table.loc[m.name, 'gain']:>9,.0f}"
                    f"  +-{half:>6,.0f}  (+-{ref:>6,.0f} at {like}: {ratio})"
                    f"{'  CAPPED' if m.name in res.capped else ''}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--as-precise-as", type=int, default=30, help="0: plain replications")
    ap.add_argument("--first", type=int, default=10, help="first-stage replications")
    ap.add_argument("--max-replications", type=int, default=100)
    ap.add_argument("--shapley", default="off")
    ap.add_argument("--days", type=int, default=None, help="default: the baseline's horizon")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--serial-rounds", type=int, default=5)
    ap.add_argument("--shapley-error", type=int, default=0, metavar="N")
    ap.add_argument("--controls", type=int, default=0, metavar="R")
    args = ap.parse_args(argv)
    base = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    if args.days:
        base = with_values(base, {"horizon.days": args.days})
    measures = [load_countermeasure(f) for f in
                sorted((ROOT / "scenarios" / "countermeasures").glob("*.yaml"))]
    if args.shapley_error:
        shapley_error(base, measures, args.shapley_error, args.first, max(args.workers))
        return 0
    if args.controls:
        report_controls(base, measures, args.controls, max(args.workers))
        return 0
    target = (Target(like=args.as_precise_as, cap=args.max_replications)
              if args.as_precise_as else None)
    hw = [serial5(args.serial_rounds, 30)]
    print(f"hand-written SERIAL5, 30 days: {hw[0]:.2f} CPU s (median of {args.serial_rounds})")
    tables, walls = {}, {}
    for workers in args.workers:
        gc.collect()
        c0, t0 = cpu_seconds(), time.perf_counter()
        res = compare(base, measures, args.first, workers=workers, shapley=args.shapley,
                      target=target, max_replications=args.max_replications)
        walls[workers], cpu = time.perf_counter() - t0, cpu_seconds() - c0
        tables[workers] = res.to_dict()
        print(f"{workers} worker(s): {len(res.runs)} runs, {walls[workers]:.1f} s wall, "
              f"{cpu:.1f} CPU s ({cpu / len(res.runs):.2f} a run) = {cpu / hw[0]:.0f} SERIAL5 "
              f"runs; {len(measures)} measures, {base.horizon.days} days, first stage "
              f"{args.first}, Shapley {res.shapley_mode}, {res.rule or 'plain'}")
    print("  measure                            reps     gain  half-width")
    print("\n".join(widths(res, args.as_precise_as or args.first)))
    hw.append(serial5(args.serial_rounds, 30))
    print(f"hand-written SERIAL5 again: {hw[1]:.2f} CPU s; the job's wall on "
          f"{max(args.workers)} workers = {walls[max(args.workers)] / statistics.mean(hw):.0f}"
          " SERIAL5 runs")
    same = all(t == tables[args.workers[0]] for t in tables.values())
    if len(walls) > 1:
        print(f"speed-up {min(walls)} -> {max(walls)} workers: "
              f"{walls[min(walls)] / walls[max(walls)]:.2f}x")
    print(f"identical results on {', '.join(map(str, walls))} workers: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
