"""Deterministic serial line (theory test 3).

With fixed cycle times and no failures, a serial line with an endless supply settles into a
periodic regime paced by its slowest station: TH = 1 / max(c_i), exactly, whatever the
buffers (blocking after service). Over a measured window after warm-up the good units are
span / c_max up to one unit, and every station works exactly c_i / c_max of the time (up to
one cycle over the window).
"""

from __future__ import annotations

import pytest

from harness import always_on_scenario, measures, station

import linesim

CASES = [
    ((1.0, 1.5, 0.7), (0, 2)),
    ((1.0, 1.5, 0.7), (0, 0)),
    ((1.0, 1.5, 0.7), (2, 0)),
    ((1.5, 1.0, 0.7), (0, 2)),
    ((0.7, 1.0, 1.5), (0, 2)),
    ((1.2, 0.9, 1.2, 0.4), (1, 0, 3)),
]


@pytest.mark.parametrize("cycles, buffers", CASES, ids=lambda v: "-".join(map(str, v)))
def test_throughput_is_one_over_the_slowest_cycle(cycles, buffers):
    stations = [station(f"S{k}", c, b) for k, (c, b) in enumerate(zip(cycles, (*buffers, 0)))]
    run = linesim.simulate(always_on_scenario(stations, days=4, warmup_days=1), seed=3)
    m = measures(run)
    c_max = max(cycles)
    expected = m["span"] / c_max
    print(f"cycles {cycles} buffers {buffers}: good {m['good']:.0f}, span/c_max {expected:.3f}")
    assert abs(m["good"] - expected) <= 1
    assert run.kpis["wip"] <= len(cycles) + sum(buffers)
    for k, c in enumerate(cycles):
        assert m[f"s{k}_working"] == pytest.approx(c / c_max, abs=c / m["span"] + 1e-9), k
        assert m[f"s{k}_off_shift"] == 0.0
    # the first slowest station is never starved (every station upstream is faster) and,
    # in these cases, never blocked: it works all the time
    b = cycles.index(c_max)
    assert m[f"s{b}_working"] == pytest.approx(1.0, abs=1e-9)
