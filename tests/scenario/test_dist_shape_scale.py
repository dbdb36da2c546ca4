"""Gamma and Weibull distribution specs: their means and the law of their samples."""

import numpy as np
import pytest
import scipy.stats as ss

from linesim.engine.streams import Streams
from linesim.scenario.distributions import Gamma, Weibull
from linesim.scenario.load import ScenarioError, scenario_from_dict


@pytest.mark.parametrize("spec, law", [
    (Gamma(shape=2.5, scale=10.0), ss.gamma(2.5, scale=10.0)),
    (Weibull(shape=1.5, scale=100.0), ss.weibull_min(1.5, scale=100.0)),
])
def test_samples_follow_the_law(spec, law):
    draw = Streams(7).sampler(spec, "test/source")  # as the engine draws them
    xs = np.array([draw() for _ in range(5000)])
    assert spec.mean == pytest.approx(law.mean(), rel=1e-9)
    assert ss.kstest(xs, law.cdf).pvalue > 0.001


def test_shape_must_be_positive(tiny_data):
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = {"dist": "weibull", "shape": 0,
                                                          "scale": 1}
    with pytest.raises(ScenarioError, match="shape: must be > 0"):
        scenario_from_dict(tiny_data)
