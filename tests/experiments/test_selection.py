"""KN ranking and selection on synthetic alternatives with known means."""

from __future__ import annotations

import numpy as np
import pytest

from linesim.experiments.selection import kn_constant, select_best


def synthetic(means: dict, common: float = 10.0, own: float = 1.0, seed: int = 0):
    """Values = true mean + a common shock per replication (common random numbers) + own
    noise; deterministic in (alternative, replication)."""
    def sample(pairs):
        out = []
        for a, r in pairs:
            c = np.random.default_rng([seed, r]).normal(0, common)
            e = np.random.default_rng([seed, r, sum(map(ord, a))]).normal(0, own)
            out.append(means[a] + c + e)
        return out
    return sample


def test_kn_constant_matches_the_formula():
    # k = 2, n0 = 10, alpha = 0.05: eta = (0.1^(-2/9) - 1) / 2
    eta = (0.1 ** (-2 / 9) - 1) / 2
    assert kn_constant(2, 10, 0.05) == pytest.approx(2 * eta * 9)


def test_the_true_best_is_selected_and_separated():
    means = {"a": 100.0, "b": 97.0, "c": 96.0, "d": 80.0}
    picks = [select_best(list(means), synthetic(means, own=1.0, seed=s), delta=1.0, n0=5,
                         max_replications=500) for s in range(40)]
    right = [p for p in picks if p.best == "a" and p.separable]
    assert len(right) >= 36  # KN: P(correct selection) >= 95% (the check costs a little)
    assert all(p.best == "a" for p in picks)
    sel = right[0]
    assert sel.replications["d"] <= sel.replications["b"] <= sel.replications["a"]
    assert sel.runs < 4 * 500  # screening dropped the worse ones early
    assert "a is the best with probability at least 95%" in sel.describe()


def test_two_truly_equal_alternatives_are_reported_not_separable():
    means = {"a": 100.0, "b": 100.0, "c": 90.0}
    picks = [select_best(list(means), synthetic(means, seed=s), delta=1.0, n0=5,
                         max_replications=2000) for s in range(40)]
    assert all(p.best in ("a", "b") for p in picks)
    apart = [p for p in picks if p.status == "indifferent" and set(p.contenders) == {"a", "b"}]
    assert len(apart) >= 34
    assert apart[0].describe().startswith("not separable")


def test_a_small_run_budget_says_so():
    means = {"a": 100.0, "b": 99.5}
    sel = select_best(list(means), synthetic(means), delta=0.1, n0=3, max_replications=6)
    assert sel.status == "budget"
    assert sel.runs == 12
    assert "at this budget of runs" in sel.describe()


def test_equal_deterministic_alternatives_are_not_separable():
    sel = select_best(["x", "y"], lambda pairs: [5.0 for _ in pairs], delta=1.0, n0=2)
    assert sel.status == "indifferent" and set(sel.contenders) == {"x", "y"}
