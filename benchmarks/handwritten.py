"""A lean, hand-written SimPy model of the benchmark serial line (the yardstick for linesim).

Five stations in series, always on (no shifts, no plan limit):

* station i takes a unit from the buffer before it (station 1 has an endless supply),
  processes it for an exponential cycle time, then puts it into the buffer after it; while
  that buffer is full the station holds the unit and is blocked (blocking after service);
  the last station hands good units to a counter;
* buffers are ``simpy.Store`` objects with ``capacity`` places;
* stations 2 and 4 fail on the operating clock (operation-dependent failures): the time to
  failure (exponential, mean 200) only runs down while the station processes; when it runs
  out in the middle of a unit, the station stops, is repaired (exponential, mean 10 calendar
  minutes) and then finishes the unit. The failure is handled inline in the station's
  process, which needs no extra process and no ``Interrupt``;
* randomness: one ``numpy.random.Generator`` per source (cycle times, times to failure,
  times to repair of each station), drawn in blocks, as any performance-minded modeller
  would do.

It is deliberately lean but not crippled: no state accounting, no logs, one process per
station, plain SimPy primitives. ``run(minutes, seed)`` returns the number of good units.

``run(..., buffers="direct")`` is a second, *non-idiomatic* variant for analysis only: the
``Store`` is replaced by a hand-rolled deque buffer with non-blocking fast paths (the same
trick linesim's ``engine/buffer.py`` uses), so a unit that finds its input waiting or room
downstream costs no SimPy event. With it the hand-written model schedules essentially the
events linesim schedules for this line (one timeout per unit and station, plus wake-ups of
waiting stations), so the difference in CPU time is linesim's bookkeeping. Both variants
draw the same random numbers and give the same counts.

Run it directly to print its throughput::

    python benchmarks/handwritten.py --days 30 --reps 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import deque

import numpy as np
import simpy

#: mean cycle time (minutes) of each station
CYCLE_MEANS = (1.0, 1.1, 0.9, 1.05, 0.95)
#: places in each buffer between two stations
BUFFER = 3
#: (mean time to failure in operating minutes, mean time to repair) per station, or None
FAILURES = (None, (200.0, 10.0), None, (200.0, 10.0), None)

BLOCK = 4096


def exponential(rng: np.random.Generator, mean: float):
    """An endless iterator of exponential variates with ``mean``, drawn in blocks."""
    while True:
        yield from (rng.standard_exponential(BLOCK) * mean).tolist()


def station(env: simpy.Environment, inbuf: simpy.Store | None, outbuf: simpy.Store | None,
            cycle, failure, good: list[int]):
    """One station: take, process (failing inline on the operating clock), hand on."""
    timeout = env.timeout
    get = inbuf.get if inbuf is not None else None
    put = outbuf.put if outbuf is not None else None
    if failure is not None:
        ttf, ttr = failure
        budget = next(ttf)  # operating minutes left until the next failure
    unit = 0
    while True:
        if get is not None:
            unit = yield get()
        t = next(cycle)
        if failure is not None:
            while budget < t:  # the station fails before this unit is done
                yield timeout(budget)
                t -= budget
                yield timeout(next(ttr))  # repair
                budget = next(ttf)
            budget -= t
        yield timeout(t)
        if put is not None:
            yield put(unit)  # blocks while the buffer is full, holding the unit
        else:
            good[0] += 1


class DirectBuffer:
    """A FIFO buffer with ``capacity`` places and event-free fast paths (variant "direct")."""

    __slots__ = ("env", "capacity", "items", "getters", "putters")

    def __init__(self, env: simpy.Environment, capacity: int):
        self.env = env
        self.capacity = capacity
        self.items: deque = deque()
        self.getters: deque = deque()  # events of stations waiting for a unit
        self.putters: deque = deque()  # (event, unit) of stations blocked on a full buffer

    def get(self):
        """A unit now, or an event to yield for the next unit."""
        items = self.items
        if items:
            unit = items.popleft()
            if self.putters:
                ev, waiting = self.putters.popleft()
                items.append(waiting)
                ev.succeed()
            return True, unit
        ev = simpy.Event(self.env)
        self.getters.append(ev)
        return False, ev

    def put(self, unit):
        """None if the unit was placed, else an event to yield until it is."""
        if self.getters:
            self.getters.popleft().succeed(unit)
            return None
        if len(self.items) < self.capacity:
            self.items.append(unit)
            return None
        ev = simpy.Event(self.env)
        self.putters.append((ev, unit))
        return ev


def station_direct(env: simpy.Environment, inbuf: DirectBuffer | None,
                   outbuf: DirectBuffer | None, cycle, failure, good: list[int]):
    """:func:`station` on :class:`DirectBuffer` buffers."""
    timeout = env.timeout
    if failure is not None:
        ttf, ttr = failure
        budget = next(ttf)
    unit = 0
    while True:
        if inbuf is not None:
            ok, unit = inbuf.get()
            if not ok:
                unit = yield unit
        t = next(cycle)
        if failure is not None:
            while budget < t:
                yield timeout(budget)
                t -= budget
                yield timeout(next(ttr))
                budget = next(ttf)
            budget -= t
        yield timeout(t)
        if outbuf is not None:
            ev = outbuf.put(unit)
            if ev is not None:
                yield ev
        else:
            good[0] += 1


def build(env: simpy.Environment, seed: int, replication: int = 0,
          cycle_means=CYCLE_MEANS, buffer: int = BUFFER, failures=FAILURES,
          buffers: str = "store") -> list[int]:
    """Create the buffers and station processes; return the good-unit counter ``[n]``.

    ``buffers``: ``"store"`` (idiomatic ``simpy.Store``, the default) or ``"direct"``."""
    n = len(cycle_means)
    seeds = np.random.SeedSequence([seed, replication]).spawn(3 * n)
    rngs = [np.random.Generator(np.random.PCG64(s)) for s in seeds]
    if buffers == "store":
        bufs = [simpy.Store(env, capacity=buffer) for _ in range(n - 1)]
        proc = station
    elif buffers == "direct":
        bufs = [DirectBuffer(env, buffer) for _ in range(n - 1)]
        proc = station_direct
    else:
        raise ValueError(f"buffers must be 'store' or 'direct', got {buffers!r}")
    good = [0]
    for i, mean in enumerate(cycle_means):
        fail = failures[i]
        failure = None
        if fail is not None:
            failure = (exponential(rngs[3 * i + 1], fail[0]), exponential(rngs[3 * i + 2], fail[1]))
        env.process(proc(
            env,
            bufs[i - 1] if i > 0 else None,
            bufs[i] if i < n - 1 else None,
            exponential(rngs[3 * i], mean),
            failure,
            good,
        ))
    return good


def run(minutes: float, seed: int = 1, replication: int = 0, buffers: str = "store") -> int:
    """Simulate ``minutes`` from an empty line; return the number of good units."""
    env = simpy.Environment()
    good = build(env, seed, replication, buffers=buffers)
    env.run(until=minutes)
    return good[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=float, default=30, help="simulated days (default 30)")
    ap.add_argument("--reps", type=int, default=5, help="replications (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--buffers", choices=("store", "direct"), default="store",
                    help="simpy.Store buffers (default) or the hand-rolled fast-path variant")
    args = ap.parse_args(argv)
    minutes = args.days * 1440
    rates = []
    for r in range(args.reps):
        t0 = time.process_time()
        good = run(minutes, args.seed, r, args.buffers)
        cpu = time.process_time() - t0
        rates.append(good / minutes)
        print(f"rep {r}: {good} good units, {good / minutes:.4f} units/min, "
              f"{cpu:.2f} CPU s, {good / cpu:,.0f} units/CPU s")
    if len(rates) > 1:
        print(f"throughput: {statistics.mean(rates):.4f} +- {statistics.stdev(rates):.4f} "
              f"units/min (mean +- sd of {len(rates)} reps)")


if __name__ == "__main__":
    main()
