"""How fast could the main job be on SimPy at all? The kernel's floor, measured in one run.

For the month baseline (``scenarios/baseline.yaml``) this counts, over ``--rounds``
replications, the SimPy events a linesim run processes and the unit-station operations it
simulates (units whose processing finished at a station, from the run's own record: any
model that moves units through stations one at a time needs at least one event for each).
In the same process, alternately, it times

* the linesim run (CPU seconds: building plus running, no result tables), and
* a bare SimPy model: as many processes as the baseline has servers, each doing nothing
  but ``yield env.timeout(d)`` with exponential ``d``, run for the same number of events.
  That is the kernel's cost per event with no model logic at all (the heap, ``step``, the
  generator resume) — a floor no SimPy model of this plant can go below.

Printed: events and unit-station operations per run, CPU per run, the bare kernel's cost
per event, and for the main job (``--runs`` runs, default 520 as ``bench_compare.py``
measured, on ``--workers`` cores) three walls: linesim's, the kernel at linesim's event
count (model logic free), and the kernel at one event per unit-station operation.

    python benchmarks/bench_floor.py                 # 5 rounds
    python benchmarks/bench_floor.py --rounds 9 --runs 520 --workers 2
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from pathlib import Path

import simpy

import linesim
from linesim.engine import simulate_record

ROOT = Path(__file__).resolve().parent.parent


class Counted(simpy.Environment):
    """A SimPy environment that counts the events it processes."""

    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def step(self) -> None:
        self.events += 1
        super().step()


def count(sc: linesim.Scenario, seed: int) -> tuple[int, int]:
    """(events processed, unit-station operations) of one run of ``sc``."""
    real = simpy.Environment
    envs: list[Counted] = []

    def make() -> Counted:
        envs.append(Counted())
        return envs[-1]

    simpy.Environment = make  # the engine builds its environment as simpy.Environment()
    try:
        rec = simulate_record(sc, seed)
    finally:
        simpy.Environment = real
    ops = sum(st.processed for ln in rec.lines for st in ln.stations)
    return envs[0].events, ops


def bare(processes: int, events: int, seed: int) -> float:
    """CPU seconds of a bare SimPy model: ``processes`` timeout loops, ``events`` events."""

    def loop(env: simpy.Environment, draw):
        timeout = env.timeout
        while True:
            yield timeout(draw())

    env = simpy.Environment()
    rnd = random.Random(seed)
    for _ in range(processes):
        env.process(loop(env, rnd.random))
    # each process makes one event per timeout: mean 0.5, so 2 events per time unit each
    until = events / processes / 2.0
    gc.collect()
    t0 = time.process_time()
    env.run(until=until)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=520, help="runs of the main job")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    sc = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    servers = sum(st.servers for ln in sc.lines for st in ln.stations)
    ev, ops, own, kernel = [], [], [], []
    for r in range(args.rounds):
        e, o = count(sc, r)
        ev.append(e)
        ops.append(o)
        gc.collect()
        t0 = time.process_time()
        simulate_record(sc, r)
        own.append(time.process_time() - t0)
        kernel.append(bare(servers, e, r) / e)
        print(f"round {r}: {e:,} events, {o:,} unit-station operations, linesim "
              f"{own[-1]:.3f} s, bare kernel {kernel[-1] * 1e6:.2f} us/event")
    e, o = statistics.median(ev), statistics.median(ops)
    cpu, k = statistics.median(own), statistics.median(kernel)
    per_run = {"linesim": cpu, "kernel at linesim's events": e * k,
               "kernel at one event per operation": o * k}
    print(f"\nmonth baseline: {servers} servers, {e:,.0f} events ({e / o:.2f} per "
          f"unit-station operation), linesim {cpu * 1e6 / e:.2f} us/event, bare SimPy "
          f"{k * 1e6:.2f} us/event")
    print(f"main job, {args.runs} runs on {args.workers} workers (wall = runs x CPU per run "
          f"/ workers):")
    for name, s in per_run.items():
        print(f"  {name:36s} {s:6.3f} CPU-s a run  {args.runs * s / args.workers:7.1f} s wall")


if __name__ == "__main__":
    main()
