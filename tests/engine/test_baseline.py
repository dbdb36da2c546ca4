"""The shipped baseline: 1-31 August 2023 from a stated running state, calibrated to the
seed's 14,183 good units by 15 August, and in steady state (no pipeline collapse, no
start-up bonus)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import linesim
from linesim.scenario.patch import with_values

SEED_UNITS = 14_183


@pytest.mark.slow
def test_baseline_is_calibrated_to_the_seed(baseline):
    assert baseline.horizon.start.isoformat() == "2023-08-01" and baseline.horizon.days == 31
    assert baseline.horizon.warmup_days == 0  # it starts from a stated running state
    # good units by 15 August: the first 15 days of the month (the same run cut short)
    to_15 = with_values(baseline, {"horizon.days": 15})
    reps = linesim.replicate(to_15, 12, workers=2)
    assert len(reps.runs[0].record.working_days) == 13  # Sundays 6 and 13 August off
    mean = reps.summary.loc["units", "mean"]
    assert abs(mean - SEED_UNITS) / SEED_UNITS < 0.05, mean
    # the plan is well above what the plant makes, as in the seed
    assert reps.summary.loc["plan_attainment", "mean"] < 0.8
    # every family of causes of the seed is present
    cats = reps.loss_categories
    for category in ("man", "machine", "material", "method"):
        assert cats[category] > 100, (category, cats[category])
    assert reps.summary.loc["quality_stops", "mean"] > 1


def _half_width(x: list[float]) -> float:
    return float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / np.sqrt(len(x)))


@pytest.mark.slow
def test_baseline_is_stationary(baseline):
    """Mean good units per working day over 60 days and over the first 30 differ by less
    than their combined 95% interval; the first and last 20 working days of the 60-day run
    do too (no trend: no pipeline that runs dry, no start-up stock that carries it)."""
    reps = linesim.replicate(with_values(baseline, {"horizon.days": 60}), 8, workers=2)
    whole, first, early, late = [], [], [], []
    for run in reps.runs:
        per_day = run.output.groupby("day")["good_units"].sum()
        assert len(per_day) == 52  # working days in 60 days from 1 August
        whole.append(per_day.mean())
        first.append(per_day[per_day.index < 30].mean())
        early.append(per_day.iloc[:20].mean())
        late.append(per_day.iloc[-20:].mean())
    for a, b in ((whole, first), (early, late)):
        gap = abs(np.mean(a) - np.mean(b))
        assert gap < np.hypot(_half_width(a), _half_width(b)), (np.mean(a), np.mean(b))
    assert abs(np.mean(whole) - np.mean(first)) / np.mean(first) < 0.05
