"""The nominal point as control variate for a point's gain: known coefficients, unbiased,
the stated variance, and the noise floor's two extremes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from linesim.experiments.controlvariate import estimate, fit, noise_draws
from linesim.experiments.ranking import Point, Robustness
from linesim.scenario.ranges import Ranges


def frame(nominal: dict[str, list[float]], points: dict[int, dict[str, list[float]]]):
    rows = [(0, m, r, g) for m, gs in nominal.items() for r, g in enumerate(gs)]
    rows += [(p, m, r, g) for p, per in points.items() for m, gs in per.items()
             for r, g in enumerate(gs)]
    return pd.DataFrame(rows, columns=["point", "measure", "replication", "gain"])


def test_a_point_that_follows_the_nominal_gets_beta_one_and_the_nominal_mean_plus_shift():
    y = [100.0, 900.0, 200.0, 1500.0, 50.0, 300.0]  # rare large gains
    shifts = {1: -40.0, 2: 25.0, 3: 10.0}
    g = frame({"A": y}, {p: {"A": [v + s for v in y[:2]]} for p, s in shifts.items()})
    ctl = fit(g, ["A"], 6)
    assert ctl.beta["A"] == pytest.approx(1.0) and ctl.spread["A"] == pytest.approx(0.0)
    est = estimate(g, ctl).set_index("point")["gain"]
    for p, s in shifts.items():
        assert est[p] == pytest.approx(np.mean(y) + s)  # not mean(y[:2]) + s = 500 + s


def test_a_point_that_ignores_the_nominal_gets_beta_zero_and_its_own_mean():
    y = [100.0, 900.0, 200.0, 1500.0]
    g = frame({"A": y}, {1: {"A": [0.0, 0.0]}, 2: {"A": [12.0, 10.0]}})  # cov < 0: kept at 0
    ctl = fit(g, ["A"], 4)
    assert ctl.beta["A"] == 0.0
    est = estimate(g, ctl).set_index("point")["gain"]
    assert est[1] == 0.0 and est[2] == 11.0
    assert ctl.spread["A"] == pytest.approx(1.0)  # (1 + 1) / 2 dof


def test_unbiased_and_as_noisy_as_stated_on_correlated_replications():
    rng = np.random.default_rng(7)
    n, reps, points, trials = 10, 2, 16, 400
    truth = np.linspace(-200, 200, points)
    est, raw, var = [], [], []
    for _ in range(trials):
        y = rng.exponential(500.0, n)  # a measure's gain at the nominal: rare large ones
        rows = [(0, "A", r, v) for r, v in enumerate(y)]
        means = []
        for p in range(points):  # each point meets its own two nominal replications
            use = rng.choice(n, reps, replace=False)
            x = 0.8 * y[use] + truth[p] + rng.normal(0, 100, reps) + 0.2 * 500
            rows += [(p + 1, "A", int(r), v) for r, v in zip(use, x)]
            means.append(x.mean())
        g = pd.DataFrame(rows, columns=["point", "measure", "replication", "gain"])
        ctl = fit(g, ["A"], n)
        e = estimate(g, ctl).set_index("point")["gain"].sort_index()
        est.append(e.to_numpy() - truth)
        raw.append(np.array(means) - truth)
        var.append(ctl.variance("A", reps))
    err, raw_err = np.array(est), np.array(raw)
    # E[x] = 0.8 * 500 + truth + 100 = truth + 500: centred on the truth, within noise
    per_trial = err.mean(axis=1)  # the points of one trial share its nominal replications
    assert abs(per_trial.mean() - 500) < 4 * per_trial.std() / math.sqrt(trials)
    assert err.var() < 0.5 * raw_err.var()  # the control removes most of the rare events
    assert err.var() == pytest.approx(np.mean(var), rel=0.2)


def econ(measures, points, margin=1.0):
    idx = pd.MultiIndex.from_tuples([(p, m) for p in points for m in measures],
                                    names=["point", "measure"])
    return pd.DataFrame({"margin": margin, "monthly_cost": 0.0, "one_off_cost": 0.0,
                         "working_days_per_month": 21.0}, index=idx)


@pytest.mark.parametrize("noise,expected", [(0.0, (1.0, 1.0)), (5000.0, (0.4, 0.75))])
def test_noise_floor_is_one_without_noise_and_near_a_coin_flip_with_much(noise, expected):
    rng = np.random.default_rng(3)
    measures, joint = ["A", "B"], list(range(1, 13))
    y = {"A": [110.0] * 6, "B": [100.0] * 6}
    pts = {p: {m: [v + rng.normal(0, noise) for v in y[m][:2]] for m in measures}
           for p in joint}
    g = frame(y, pts)
    ranges = Ranges(name="t", parameters=[{"name": "x", "path": "economics.margin_per_unit",
                                           "low": 1, "high": 2, "source": "a test range"}])
    res = Robustness(ranges, measures, [Point(0, "nominal", None, ())]
                     + [Point(p, "joint", None, (("x", 0.5),)) for p in joint], g,
                     econ(measures, [0, *joint]), 2, 6, "gain", 1)
    floor = res.noise_floor("A")
    assert expected[0] <= floor <= expected[1]
    if noise == 0:
        assert (noise_draws(g, res.control("joint"), joint, 2, 50, rng, measures) == 0).all()
