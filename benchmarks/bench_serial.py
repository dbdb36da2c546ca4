"""linesim against a lean hand-written SimPy model of the same 5-station serial line.

Both models run in this process, alternately (hand-written, linesim, hand-written, ...),
for ``--rounds`` rounds of ``--days`` simulated days each, always on. Round ``r`` uses
replication ``r`` in both, so every round simulates a different random history of the
same line. Times are CPU seconds (``time.process_time``) of the run alone: building the
SimPy model plus running it; validating the scenario file is done once, untimed.

Printed: per-round CPU times and the ratio linesim / hand-written, the median ratio (the
figure of merit; target <= 1.5), good units simulated per CPU second for each model, and
both models' throughputs (good units per minute) with a Welch t-test of their difference,
which checks that they simulate the same line (exit status 1 if p < 0.01).

    python benchmarks/bench_serial.py                # 7 rounds of 30 days
    python benchmarks/bench_serial.py --rounds 11 --days 60
    python benchmarks/bench_serial.py --direct       # also time the "direct" variant
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
from pathlib import Path

from scipy import stats

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import handwritten  # noqa: E402
import linesim  # noqa: E402
from linesim.engine import simulate_record  # noqa: E402
from linesim.scenario import read_yaml  # noqa: E402

TARGET = 1.5


def load_serial(path: Path, days: int) -> linesim.Scenario:
    """The serial-line scenario with its horizon set to ``days`` (no warm-up)."""
    data = read_yaml(path)
    data["horizon"]["days"] = days
    data["horizon"]["warmup_days"] = 0
    return linesim.scenario_from_dict(data)


def timed(fn, *args):
    """(result, CPU seconds) of ``fn(*args)``, after a garbage collection."""
    gc.collect()
    t0 = time.process_time()
    out = fn(*args)
    return out, time.process_time() - t0


def run_linesim(sc: linesim.Scenario, seed: int, replication: int) -> int:
    return simulate_record(sc, seed, replication).lines[0].good


def welch(a: list[float], b: list[float]) -> tuple[float, float, float, float]:
    """(difference of means, its standard error, t, two-sided p) of samples a and b."""
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    se = math.sqrt(va + vb)
    d = statistics.mean(a) - statistics.mean(b)
    if se == 0:
        return d, se, 0.0, 1.0 if d == 0 else 0.0
    t = d / se
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return d, se, t, 2 * stats.t.sf(abs(t), df)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7, help="timed rounds (default 7)")
    ap.add_argument("--days", type=int, default=30, help="simulated days per run (default 30)")
    ap.add_argument("--seed", type=int, default=1, help="seed of both models (default 1)")
    ap.add_argument("--scenario", type=Path, default=HERE / "serial_line.yaml",
                    help="linesim scenario of the line (default benchmarks/serial_line.yaml)")
    ap.add_argument("--direct", action="store_true",
                    help="also time the hand-written model with its event-free 'direct' "
                         "buffers (the same event structure as linesim)")
    args = ap.parse_args(argv)
    if args.rounds < 2:
        ap.error("--rounds must be at least 2")

    sc = load_serial(args.scenario, args.days)
    minutes = args.days * 1440.0
    models = [("handwritten", lambda r: handwritten.run(minutes, args.seed, r)),
              ("linesim", lambda r: run_linesim(sc, args.seed, r))]
    if args.direct:
        models.insert(1, ("hw-direct", lambda r: handwritten.run(minutes, args.seed, r, "direct")))
    names = [m for m, _ in models]

    # warm up imports and caches once, untimed
    for _, fn in models:
        fn(10_000)

    cpu: dict[str, list[float]] = {m: [] for m in names}
    good: dict[str, list[int]] = {m: [] for m in names}
    print(f"serial line, {args.days} days per run, seed {args.seed}, {args.rounds} rounds "
          f"(python {sys.version.split()[0]})")
    head = "round " + "".join(f"{m + ' s':>14}" for m in names) + f"{'ratio':>8}"
    print(head)
    for r in range(args.rounds):
        order = models if r % 2 == 0 else models[::-1]  # alternate who goes first
        for m, fn in order:
            n, t = timed(fn, r)
            cpu[m].append(t)
            good[m].append(n)
        ratio = cpu["linesim"][-1] / cpu["handwritten"][-1]
        print(f"{r:5d} " + "".join(f"{cpu[m][-1]:14.3f}" for m in names) + f"{ratio:8.2f}")

    ratios = [ls / hw for ls, hw in zip(cpu["linesim"], cpu["handwritten"])]
    med = statistics.median(ratios)
    print()
    print(f"median ratio linesim / handwritten: {med:.2f}  (min {min(ratios):.2f}, "
          f"max {max(ratios):.2f}; target <= {TARGET}: {'met' if med <= TARGET else 'NOT met'})")
    if args.direct:
        rd = [ls / hd for ls, hd in zip(cpu["linesim"], cpu["hw-direct"])]
        print(f"median ratio linesim / hw-direct:   {statistics.median(rd):.2f}  "
              f"(linesim's bookkeeping over the same event structure)")
    print()
    print(f"{'model':<12}{'median CPU s':>14}{'units/CPU s':>14}{'throughput /min':>18}")
    for m in names:
        ups = [n / t for n, t in zip(good[m], cpu[m])]
        thr = [n / minutes for n in good[m]]
        print(f"{m:<12}{statistics.median(cpu[m]):14.3f}{statistics.median(ups):14,.0f}"
              f"{statistics.mean(thr):12.4f} +- {statistics.stdev(thr):.4f}")
    d, se, t, p = welch([n / minutes for n in good["linesim"]],
                        [n / minutes for n in good["handwritten"]])
    same = p >= 0.01
    print(f"throughput linesim - handwritten: {d:+.4f} units/min (se {se:.4f}, Welch t "
          f"{t:+.2f}, p {p:.2f}): {'same within noise' if same else 'DIFFERENT: check the models'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
