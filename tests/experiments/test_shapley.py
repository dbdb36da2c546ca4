"""Shapley shares: exact, antithetic (an order and its reverse), one order; toy games with
known answers, and the antithetic variance reduction measured on a seeded toy."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from linesim.experiments.shapley import (
    exact_shares, order_shares, orders_of, resolve, sampling_error, shares, subsets,
)


def additive(a):
    return lambda s: float(sum(a[i] for i in s))


def pairwise(a, b):
    """v(S) = sum a_i + sum over pairs in S of b_ij: Shapley = a_i + half of i's pairs."""
    return lambda s: float(sum(a[i] for i in s) + sum(b[i][j] for i, j in combinations(sorted(s), 2)))


def test_every_mode_recovers_an_additive_game_exactly():
    a = [3.0, -1.0, 7.5, 0.0, 2.0, 11.0]
    for mode in ("exact", "antithetic", "sampled"):
        for rep in range(3):
            assert shares(mode, 6, additive(a), seed=5, rep=rep) == pytest.approx(a)


def test_shares_add_up_to_the_value_of_all_measures():
    rng = np.random.default_rng(1)
    table = {frozenset(s): float(rng.normal()) for k in range(7) for s in combinations(range(6), k)}
    table[frozenset()] = 0.0
    for mode in ("exact", "antithetic", "sampled"):
        assert sum(shares(mode, 6, table.__getitem__, 3, 0)) == pytest.approx(table[frozenset(range(6))])


def test_antithetic_is_exact_for_pairwise_interactions_and_one_order_is_not():
    rng = np.random.default_rng(2)
    n = 6
    a = rng.normal(100, 30, n)
    b = np.triu(rng.normal(0, 40, (n, n)), 1)
    v = pairwise(a, b)
    known = [a[i] + 0.5 * (b[i, :].sum() + b[:, i].sum()) for i in range(n)]
    assert exact_shares(n, v) == pytest.approx(known)
    assert shares("antithetic", n, v, seed=9, rep=0) == pytest.approx(known)
    assert shares("sampled", n, v, seed=9, rep=0) != pytest.approx(known)


def test_antithetic_orders_reduce_the_sampling_error_of_a_seeded_toy():
    """Third-order interactions: the antithetic pair is not exact, but its error against
    the exact shares is measured well below one random order's."""
    rng = np.random.default_rng(3)
    n = 7
    a = rng.normal(100, 30, n)
    b = np.triu(rng.normal(0, 40, (n, n)), 1)
    c = {t: float(rng.normal(0, 25)) for t in combinations(range(n), 3)}

    def v(s):
        s = sorted(s)
        return (pairwise(a, b)(s) + sum(c[t] for t in combinations(s, 3)))

    err = sampling_error(n, v, orders=400, seed=4)
    assert err["antithetic"] < 0.5 * err["sampled"]
    # the antithetic pair costs two orders: it still beats two independent orders
    # (whose error is 1/sqrt(2) of one order's)
    assert err["antithetic"] < err["sampled"] / np.sqrt(2)


def test_runs_a_replication_needs():
    n = 12
    assert len(subsets("exact", 5, 0, 0)) == 32
    assert len(subsets("off", n, 0, 0)) == n + 2
    assert len(subsets("sampled", n, 0, 0)) == n + 2 + (n - 2)
    assert len(subsets("antithetic", n, 0, 0)) == n + 2 + 2 * (n - 2)
    o, rev = orders_of("antithetic", 7, 1, n)
    assert rev == o[::-1] and orders_of("sampled", 7, 1, n) == [o]
    assert order_shares([[2, 0, 1]], 3, additive([1, 2, 3])) == [1, 2, 3]


def test_auto_is_exact_for_few_measures_and_antithetic_for_many():
    assert resolve("auto", 5) == "exact"
    assert resolve("auto", 6) == "antithetic"
    assert resolve("off", 3) == "off"
    with pytest.raises(ValueError, match="shapley must be one of"):
        resolve("bogus", 3)
