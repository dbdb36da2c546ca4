"""Censoring matters: records still open at the end carry information about the mean."""

from __future__ import annotations

import numpy as np
import pytest

from linesim.data.fitting import fit_durations


def machines_observed(n: int, window: float, mean: float, seed: int):
    """Times between failures of ``n`` machines each watched for ``window`` minutes: the
    last interval of each machine is still open when the watch ends (censored)."""
    rng = np.random.default_rng(seed)
    values, open_ = [], []
    for _ in range(n):
        t = 0.0
        while True:
            x = rng.exponential(mean)
            if t + x > window:
                values.append(window - t)
                open_.append(True)
                break
            values.append(x)
            open_.append(False)
            t += x
    return np.array(values), np.array(open_)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dropping_open_records_biases_the_mean_and_keeping_them_does_not(seed):
    values, open_ = machines_observed(150, 1000.0, 800.0, seed)
    assert open_.sum() == 150
    kept = fit_durations(values, open_)
    dropped = fit_durations(values[~open_], open_[~open_])
    assert kept.censored == 150 and dropped.censored == 0
    assert kept.mean_ci[0] <= 800.0 <= kept.mean_ci[1]
    assert dropped.mean < 0.6 * 800.0  # only the short intervals finished in the window
    assert not dropped.mean_ci[0] <= 800.0 <= dropped.mean_ci[1]


def test_too_few_finished_records_give_no_fit():
    assert fit_durations(np.arange(1.0, 10.0), np.zeros(9, dtype=bool)) is None
