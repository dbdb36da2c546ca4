"""Gamma and Weibull distribution specs: their means and the law of their samples."""

import numpy as np
import pytest
import scipy.stats as ss

from linesim.scenario.distributions import Gamma, Weibull
from linesim.scenario.load import ScenarioError, scenario_from_dict


@pytest.mark.parametrize("spec, law, std", [
    (Gamma(shape=2.5, scale=10.0), ss.gamma(2.5, scale=10.0), "uniform"),
    (Weibull(shape=1.5, scale=100.0), ss.weibull_min(1.5, scale=100.0), "exponential"),
])
def test_samples_follow_the_law(spec, law, std):
    rng = np.random.default_rng(7)
    draw = rng.random if std == "uniform" else rng.standard_exponential
    t = spec.transform()
    xs = np.array([t(z) for z in draw(5000)])
    assert spec.mean == pytest.approx(law.mean(), rel=1e-9)
    assert ss.kstest(xs, law.cdf).pvalue > 0.001


def test_shape_must_be_positive(tiny_data):
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = {"dist": "weibull", "shape": 0,
                                                          "scale": 1}
    with pytest.raises(ScenarioError, match="shape: must be > 0"):
        scenario_from_dict(tiny_data)
