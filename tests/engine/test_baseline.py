"""The shipped baseline is calibrated to the seed: about 14,183 good units, 1-15 Aug 2023."""

from __future__ import annotations

import pytest

import linesim

SEED_UNITS = 14_183


@pytest.mark.slow
def test_baseline_is_calibrated_to_the_seed(baseline):
    assert baseline.horizon.start.isoformat() == "2023-08-01" and baseline.horizon.days == 15
    reps = linesim.replicate(baseline, 12, workers=2)
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
