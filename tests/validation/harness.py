"""Scenario builders and measurement helpers of the validation suite.

Every scenario here runs on an "always on" calendar (all seven days, one shift 00:00-24:00)
with a daily plan far larger than a line can make, so that the line is never off shift and
never out of plan: the engine then behaves like the textbook models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

import linesim
from linesim.results import t_interval

ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HUGE_PLAN = 1_000_000  # the schema's maximum daily quantity
#: workers for replications (results do not depend on it)
WORKERS = 2


def exp(mean: float) -> dict:
    """An exponential distribution spec with the given mean (minutes)."""
    return {"dist": "exponential", "mean": float(mean)}


def op_failure(mtbf: float, mttr: float, name: str = "breakdown") -> dict:
    """An operation-dependent failure mode: exponential time to failure counted on the
    operating clock (mean ``mtbf`` minutes of processing), exponential repair."""
    return {"name": name, "ttf": exp(mtbf), "ttr": exp(mttr), "clock": "operating"}


def station(name: str, cycle, buffer: int = 0, failures: Sequence[dict] = ()) -> dict:
    """A one-server station; ``cycle`` is a number (fixed) or a distribution spec."""
    return {"name": name, "cycle_time": cycle, "buffer": buffer, "failures": list(failures)}


def always_on_scenario(stations: Sequence[dict], days: int, warmup_days: float = 1.0,
                       name: str = "validation") -> linesim.Scenario:
    """One line with ``stations``, running around the clock with an endless plan."""
    return linesim.scenario_from_dict({
        "name": name,
        "horizon": {"start": "2024-01-01", "days": days, "warmup_days": warmup_days},
        "calendar": {"workdays": ALL_DAYS, "shifts": [{"start": "00:00", "end": "24:00"}]},
        "products": [{"name": "P"}],
        "lines": [{"name": "L", "products": ["P"], "stations": list(stations)}],
        "plan": {"L": {"daily": [{"product": "P", "quantity": HUGE_PLAN}]}},
    })


def measures(run: linesim.RunResult) -> dict[str, float]:
    """Per-run measures of the (single) line: throughput (good units per measured minute),
    KPIs and, per station ``k``, the share of the measured time in each state
    (``s{k}_{state}``) and failures per minute of working time (``s{k}_fail_rate``)."""
    rec = run.record
    span = rec.end - rec.start
    line = rec.lines[0]
    out = {
        "th": line.good / span,
        "wip": run.kpis["wip"],
        "flow_time": run.kpis["flow_time"],
        "availability": run.kpis["availability"],
        "good": float(line.good),
        "span": span,
    }
    for k, st in enumerate(line.stations):
        for state, minutes in st.minutes.items():
            out[f"s{k}_{state}"] = minutes / span / st.servers
        work = st.minutes["working"]
        out[f"s{k}_fail_rate"] = st.failures / work if work else math.nan
    return out


def replicate_measures(scenario: linesim.Scenario, replications: int, seed: int) -> pd.DataFrame:
    """One row of :func:`measures` per replication (fixed seed: deterministic)."""
    reps = linesim.replicate(scenario, replications, seed=seed, workers=WORKERS)
    return pd.DataFrame([measures(r) for r in reps.runs])


@dataclass(frozen=True)
class Check:
    """A replicated estimate against an exact value."""

    what: str
    exact: float
    mean: float
    lo: float
    hi: float
    n: int

    @property
    def half(self) -> float:
        return (self.hi - self.lo) / 2

    def __str__(self) -> str:
        return (f"{self.what}: exact {self.exact:.6f}, simulated {self.mean:.6f} "
                f"[{self.lo:.6f}, {self.hi:.6f}] (n={self.n}, "
                f"rel. error {(self.mean - self.exact) / self.exact:+.3%})")


def assert_covers(values, exact: float, what: str, level: float = 0.99,
                  max_half_width: float | None = None) -> Check:
    """Assert that the ``level`` t-interval of ``values`` contains ``exact``.

    ``max_half_width`` (relative to ``exact``) guards the power of the check: an interval
    so wide that it would contain any plausible wrong value fails the test too."""
    values = np.asarray(values, dtype=float)
    mean, lo, hi = t_interval(values, level)
    c = Check(what, float(exact), mean, lo, hi, len(values))
    print(c)
    assert lo <= exact <= hi, f"exact value outside the {level:.1%} interval: {c}"
    if max_half_width is not None:
        assert c.half <= max_half_width * abs(exact), (
            f"interval too wide to be a test (half-width {c.half:.3g} > "
            f"{max_half_width:.1%} of {exact:.6g}): {c}")
    return c
