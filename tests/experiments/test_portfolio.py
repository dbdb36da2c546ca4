"""The best package under a budget: synthetic gains with known values, then a small
simulated case."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import small_line

import linesim
from linesim.experiments.economics import Appraisal
from linesim.experiments.portfolio import best_package, feasible, portfolio
from linesim.scenario.countermeasure import Countermeasure


def cm(name, one_off=0.0, monthly=0.0, *changes):
    return Countermeasure(name=name, one_off_cost=one_off, monthly_cost=monthly,
                          changes=list(changes))


def synthetic(true: dict, noise: float = 3.0, common: float = 40.0, seed: int = 1):
    """Gain of a package = its known value + a shock shared by every package in the
    replication (common random numbers) + a little noise of its own."""
    def gains(pairs):
        out = []
        for s, r in pairs:
            shared = np.random.default_rng([seed, r]).normal(0, common)
            own = np.random.default_rng([seed, r, *sorted(s), 99]).normal(0, noise)
            out.append(true(s) + (shared + own if s else 0.0))
        return out
    return gains


MEASURES = [cm("a", 100_000), cm("b", 80_000), cm("c", 60_000, 500), cm("d", 150_000)]
GAIN = {0: 300.0, 1: 200.0, 2: 180.0, 3: 420.0}  # good units a month, additive


def additive(s):
    return sum(GAIN[i] for i in s) - (60.0 if {0, 1} <= s else 0.0)  # a and b overlap


def test_feasibility_is_budget_and_conflicts():
    costs = [m.one_off_cost for m in MEASURES]
    assert feasible(frozenset({0, 1}), costs, 200_000, set())
    assert not feasible(frozenset({0, 3}), costs, 200_000, set())
    assert not feasible(frozenset({0, 2}), costs, None, {frozenset({0, 2})})


def test_the_true_best_package_under_the_budget_is_picked():
    # margin 100 a unit, 12 months undiscounted: value = 12 (100 gain - running) - one-off.
    # Under 200,000: a+c = 480 units -> 12 (48,000 - 500) - 160,000 = 410,000; d alone
    # 420 -> 354,000; a+b 440 -> 348,000; b+c 380 -> 310,000; a 300 -> 260,000.
    p = best_package(MEASURES, 200_000, synthetic(additive), margin=100, delta=500,
                     appraisal=Appraisal(0.0, 12), currency="CNY", n0=5)
    assert p.best == ("a", "c")
    assert p.selection.status == "separated"
    t = p.packages
    assert t.loc["a + c", "npv"] == pytest.approx(410_000, rel=0.02)
    assert "a + b + c" not in t.index  # 240,000 is over the budget
    assert t.loc["a + c", "selected"] and t["selected"].sum() == 1
    assert "no measure" in t.index and t.loc["no measure", "npv"] == 0
    assert t.loc["no measure", "frontier"] and t.loc["a + c", "frontier"]
    assert "a + c" in p.describe() and "probability at least 95%" in p.describe()
    # a larger budget buys the larger package
    big = best_package(MEASURES, None, synthetic(additive), margin=100, delta=500,
                       appraisal=Appraisal(0.0, 12), n0=5)
    assert big.best == ("a", "b", "c", "d")


def test_two_truly_equal_packages_are_not_separable():
    ms = [cm("x", 50_000), cm("y", 50_000)]
    equal = {0: 250.0, 1: 250.0}
    p = best_package(ms, 60_000, synthetic(lambda s: sum(equal[i] for i in s), seed=4),
                     margin=100, delta=500, appraisal=Appraisal(0.0, 12), n0=5,
                     max_replications=400)
    assert p.selection.status in ("indifferent", "budget")
    assert {p.label(c) for c in p.selection.contenders} == {"x", "y"}
    assert p.describe().split("How sure: ")[1].startswith("not separable")


def test_forward_search_beyond_twelve_measures_finds_an_additive_optimum():
    ms = [cm(f"m{i}", 10_000 * (i + 1)) for i in range(14)]
    gain = {i: 100.0 + 5 * i for i in range(14)}
    p = best_package(ms, 30_000, synthetic(lambda s: sum(gain[i] for i in s)), margin=100,
                     delta=500, appraisal=Appraisal(0.0, 12), n0=4)
    assert p.search.startswith("forward search")
    # per 10,000 spent the cheapest measures pay most: m0 + m1 (30,000) is the best
    assert p.best == ("m0", "m1")


@pytest.fixture(scope="module")
def small():
    return linesim.scenario_from_dict(small_line(economics={"margin_per_unit": 50}))


def test_simulated_portfolio_respects_conflicts_and_budget(small):
    faster = {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.8}
    slower = {"path": "lines[L1].stations[s2].cycle_time.mean", "set": 1.5}
    buffer = {"path": "lines[L1].stations[s1].buffer", "add": 3}
    ms = [cm("faster s2", 1000, 0, faster), cm("slower s2", 0, 0, slower),
          cm("bigger buffer", 500, 0, buffer)]
    p = portfolio(small, ms, budget=1200, replications=3, workers=1, max_replications=6)
    t = p.packages
    assert "faster s2 + slower s2" not in t.index  # they conflict
    assert "faster s2 + bigger buffer" not in t.index  # 1,500 is over the budget
    assert set(t.index) == {"no measure", "faster s2", "slower s2", "bigger buffer",
                            "slower s2 + bigger buffer"}
    assert t.loc["faster s2", "gain"] > 0 > t.loc["slower s2", "gain"]
    assert p.best == ("faster s2",)
    d = p.to_dict()
    assert d["best"] == ["faster s2"] and d["budget"] == 1200
