"""Confidence intervals for replicated KPIs (Student t)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import stats


@lru_cache(maxsize=4096)
def t_quantile(level: float, df: int) -> float:
    """The two-sided ``level`` quantile of Student's t with ``df`` degrees of freedom
    (t(df) such that mean +- t s / sqrt(n) covers ``level``); nan for df < 1."""
    if df < 1:
        return math.nan
    return float(stats.t.ppf(0.5 + level / 2, df))


def t_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and ``level`` two-sided t-interval: mean +- t(n-1) s / sqrt(n).

    One value gives (value, nan, nan); NaNs are ignored."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if n == 1:
        return (mean, math.nan, math.nan)
    half = t_quantile(level, n - 1) * float(x.std(ddof=1)) / math.sqrt(n)
    return (mean, mean - half, mean + half)


def half_width(values: Sequence[float], level: float = 0.95) -> float:
    """Half-width of the t-interval (nan for fewer than two values)."""
    mean, lo, hi = t_interval(values, level)
    return (hi - lo) / 2
