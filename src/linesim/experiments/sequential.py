"""Sequential replications: add paired replications only to the measures whose gain interval
is still too wide, until a stated precision or a cap.

A :class:`Target` says when a measure's interval is narrow enough: as narrow as ``like``
plain paired replications would give (half-width at most t(like-1) s / sqrt(like), s the
standard deviation of its paired gains so far), and/or at most ``relative`` x |gain|, and/or
at most ``absolute`` units a month; an interval of width zero (a measure that changed
nothing in any replication so far) is narrow enough at ``like`` replications (at once
without ``like``): some measures act only in the few replications where a rare event
happens (the shipped purchase plan leaves 21 of 30 baseline replications unchanged). A measure still too wide at ``cap`` replications is
*capped* and reported as such.

Each round asks, for every measure still too wide, how many replications its current
standard deviation says it needs (at most ``growth`` times what it has, and at least 2 more),
and runs only the base and that measure for the missing replications, with the same seeds as
every other run of replication r (common random numbers). The choice depends only on the
results so far, which are bit-identical in any process: the same inputs give the same
replications in any executor and with any number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..results.stats import t_quantile

#: how many times its current replications a measure may grow to in one round
GROWTH = 3.0


@dataclass(frozen=True)
class Target:
    """When a measure's gain interval is narrow enough, and the cap on its replications.

    ``like``: as narrow as this many plain paired replications would give; ``relative``: a
    half-width at most this fraction of |gain|; ``absolute``: at most this many good units
    a month. With several, any one met is enough. ``cap``: replications at most."""

    like: int | None = None
    relative: float | None = None
    absolute: float | None = None
    cap: int = 100
    level: float = 0.95

    def __post_init__(self) -> None:
        if self.like is None and self.relative is None and self.absolute is None:
            raise ValueError("a precision target needs like, relative or absolute")
        if self.like is not None and self.like < 2:
            raise ValueError(f"like must be at least 2 replications, got {self.like}")
        if self.cap < 2:
            raise ValueError(f"the cap must be at least 2 replications, got {self.cap}")

    def describe(self) -> str:
        """The rule in words."""
        parts = []
        if self.like is not None:
            parts.append(f"as narrow as {self.like} paired replications would give")
        if self.relative is not None:
            parts.append(f"within {100 * self.relative:g}% of the gain")
        if self.absolute is not None:
            parts.append(f"within {self.absolute:g} units a month")
        return (" or ".join(parts) + f" (at most {self.cap} replications)")

    def half_width(self, mean: float, sd: float) -> float:
        """The widest half-width that meets the target for a gain of ``mean`` whose paired
        replications have standard deviation ``sd`` (units a month)."""
        widest = 0.0
        if self.like is not None:
            widest = max(widest, t_quantile(self.level, self.like - 1) * sd / math.sqrt(self.like))
        if self.relative is not None:
            widest = max(widest, self.relative * abs(mean))
        if self.absolute is not None:
            widest = max(widest, self.absolute)
        return widest

    def met(self, half: float, mean: float, sd: float, n: int | None = None) -> bool:
        """Whether an interval of half-width ``half`` from ``n`` replications is narrow
        enough. A zero width (the measure changed nothing in any replication so far) is
        trusted only from ``like`` replications on: a measure that acts in a few
        replications only (a shortage it prevents) can look like nothing in the first ones."""
        if half == 0:
            return self.like is None or n is None or n >= self.like
        return half <= self.half_width(mean, sd)

    def needed(self, n: int, mean: float, sd: float, sd_estimate: float, lost_df: int = 0
               ) -> int:
        """Replications the target asks for, judged from ``n`` so far: the least m whose
        half-width t(m-1-lost_df) sd_estimate / sqrt(m) meets it (``sd``: of the plain paired
        gains; ``sd_estimate``: of the estimator used, e.g. after control variates), between
        n+2 and min(cap, GROWTH x n)."""
        widest = self.half_width(mean, sd)
        top = max(n + 2, min(self.cap, math.ceil(GROWTH * n)))
        m = n + 2
        while m < top:
            if t_quantile(self.level, m - 1 - lost_df) * sd_estimate / math.sqrt(m) <= widest:
                break
            m += 1
        return min(m, self.cap)


@dataclass
class Progress:
    """One measure's state in the sequence: paired replications so far, done or capped."""

    count: int
    done: bool = False
    capped: bool = False


def plan_round(target: Target, state: Sequence[Progress], estimates: Sequence[tuple]
               ) -> dict[int, int]:
    """Update ``state`` from ``estimates`` (per measure: half-width, mean, sd of the plain
    gains, sd of the estimator, degrees of freedom lost) and return, for every measure that
    needs more, the replication count to run it to."""
    more: dict[int, int] = {}
    for i, (p, (half, mean, sd, sd_est, lost)) in enumerate(zip(state, estimates)):
        if p.done:
            continue
        if not math.isfinite(half) or target.met(half, mean, sd, p.count):
            p.done = math.isfinite(half)
            if p.done:
                continue
        if p.count >= target.cap:
            p.done, p.capped = True, True
            continue
        if half == 0:  # zero so far: straight to ``like`` (see Target.met)
            more[i] = min(target.cap, max(p.count + 2, target.like or 0))
        elif math.isfinite(half):
            more[i] = target.needed(p.count, mean, sd, sd_est, lost)
        else:
            more[i] = min(target.cap, p.count + 2)
    return more


def round_jobs(more: dict[int, int], state: Sequence[Progress], have: set
               ) -> list[tuple[frozenset[int], int]]:
    """The (subset, replication) runs to make for ``more``: the measure alone and the base,
    for its new replications, each once, in a stable order; updates the counts."""
    jobs: dict[tuple[frozenset[int], int], None] = {}
    for i in sorted(more):
        for r in range(state[i].count, more[i]):
            for s in (frozenset(), frozenset({i})):
                if (s, r) not in have:
                    jobs[s, r] = None
        state[i].count = more[i]
    return sorted(jobs, key=lambda j: (j[1], len(j[0]), sorted(j[0])))


def gain_estimate(g: np.ndarray, level: float) -> tuple[float, float, float]:
    """Half-width, mean and standard deviation of paired gains ``g`` (nan for fewer than 2)."""
    n = len(g)
    if n < 2:
        return math.nan, float(g.mean()) if n else math.nan, math.nan
    sd = float(g.std(ddof=1))
    return t_quantile(level, n - 1) * sd / math.sqrt(n), float(g.mean()), sd
