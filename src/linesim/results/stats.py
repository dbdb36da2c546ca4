"""Confidence intervals for replicated KPIs (Student t)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats


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
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return (mean, mean - half, mean + half)


def half_width(values: Sequence[float], level: float = 0.95) -> float:
    """Half-width of the t-interval (nan for fewer than two values)."""
    mean, lo, hi = t_interval(values, level)
    return (hi - lo) / 2
