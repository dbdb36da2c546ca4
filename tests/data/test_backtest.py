"""The back-test: the fitted sample plant matches its history, a wrong plant does not."""

from __future__ import annotations

import pytest

from linesim.data import read_folder
from linesim.data.backtest import PASS_SHARE, backtest, band_index
from linesim.data.fit_plant import fit_scenario
from linesim.scenario import load_scenario
from linesim.scenario.patch import with_values


def test_band_index_gives_a_95_percent_prediction_band():
    assert band_index(39) == 1 and band_index(79) == 2 and band_index(5) == 1
    # P(a new day falls between the k-th smallest and largest of R) = (R + 1 - 2k) / (R + 1)
    assert (39 + 1 - 2 * band_index(39)) / 40 == 0.95


@pytest.mark.slow
def test_fitted_sample_plant_passes_and_a_wrong_one_fails(sample_dir):
    tables = read_folder(sample_dir)
    fitted = fit_scenario(load_scenario(sample_dir / "base.yaml"), tables).scenario
    good = backtest(fitted, tables["output"], replications=39, workers=2)
    assert good.passed, good.lines
    assert (good.lines["inside_share"] >= PASS_SHARE).all()
    assert (good.lines["relative_error"].abs() < 0.05).all()
    # final assembly 30% slower than it really is: the plant the records came from is faster
    wrong = with_values(fitted, {"lines[*].stations[final assembly].cycle_time.mean": 4.5})
    bad = backtest(wrong, tables["output"], replications=39, workers=2)
    assert not bad.passed
    assert (bad.lines["inside_share"] < 0.5).all(), bad.lines
