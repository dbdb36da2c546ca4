"""Fitting the sample plant recovers the known truth it was drawn from."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
from linesim.data import field_value, read_folder
from linesim.data.fit_plant import fit_scenario, provenance_path, scenario_yaml
from linesim.scenario import load_scenario
from linesim.scenario.load import parse_yaml, validate_data
from linesim.scenario.model import Scenario

#: the truth's number at a field path: a rate or share, or a distribution's mean
true_value = field_value


@pytest.fixture(scope="module")
def fitted(sample_dir):
    base = load_scenario(sample_dir / "base.yaml")
    return fit_scenario(base, read_folder(sample_dir))


def test_every_field_is_fitted_and_the_scenario_validates(fitted):
    prov = fitted.provenance
    assert fitted.warnings == []
    assert (prov["family"] != "base").all()
    assert prov["censored"].sum() >= 6  # open records are used, not dropped
    again = validate_data(Scenario, parse_yaml(scenario_yaml(fitted.scenario)), "<yaml>")
    assert again == fitted.scenario
    assert provenance_path("out/fitted.yaml").name == "fitted.provenance.csv"
    wire = prov[prov["path"] == "lines[L1].stations[winding].failures[wire-break].ttf"]
    assert wire["base"].item() == 300.0  # the guess in base.yaml


def test_true_values_lie_in_their_intervals(fitted, sample_dir):
    """Each interval is a 95% interval, so with ~20 of them about one misses by chance:
    at most the number a binomial(k, 0.05) reaches with 99% probability may miss, and a
    miss must still be within a factor of 1.5 of the truth. Where no interval applies (a
    fixed lead time) the fit must be within 10%."""
    truth = load_scenario(sample_dir / "truth.yaml")
    prov = fitted.provenance
    misses = []
    for _, r in prov.iterrows():
        t = true_value(truth, r["path"])
        if r["low"] is None or np.isnan(r["low"]):
            assert r["estimate"] == pytest.approx(t, rel=0.10), r["path"]
        elif not r["low"] <= t <= r["high"]:
            misses.append((r["path"], t, r["estimate"], r["low"], r["high"]))
            assert 1 / 1.5 < r["estimate"] / t < 1.5, misses[-1]
    assert len(misses) <= ss.binom.ppf(0.99, len(prov), 0.05), misses


def test_fitted_values_replace_the_guesses(fitted, sample_dir):
    base = load_scenario(sample_dir / "base.yaml")
    wb = fitted.scenario.line("L1").stations[0].failures[0]
    assert wb.ttf.mean != base.line("L1").stations[0].failures[0].ttf.mean
    assert fitted.scenario.workforce.absenteeism == pytest.approx(18 / 572, rel=1e-5)
