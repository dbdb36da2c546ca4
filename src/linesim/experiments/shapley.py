"""Shapley shares of a combined gain, and the subsets each way of computing them needs.

The value of a subset S of the n measures in replication r is its paired gain v_r(S) (good
units a month; v_r of no measure is 0). A measure's Shapley share is its marginal
contribution v(S + i) - v(S) averaged over the n! orders in which the measures can be added.
Every mode below gives shares that add up exactly to v_r(all measures) in each replication.

Modes (the runs a replication needs, besides no measure, each measure alone and all together):

- ``exact``: every subset (2^n runs a replication); no sampling error.
- ``antithetic``: one random order of the measures *and its reverse* (2(n-2) more runs);
  a measure that comes late in the order comes early in the reverse, so the two marginal
  contributions are negatively correlated and their mean has less sampling error than two
  independent orders (for gains whose interactions are only pairwise, it is exact).
- ``sampled``: one random order (n-2 more runs), the error-prone method linesim used before.
- ``off``: no shares (no extra runs).
- ``auto``: ``exact`` for up to ``exact_max`` measures, else ``antithetic``.

The random order of replication r is a stable function of (seed, r): the same in any
process, and the same as the sampled Shapley of earlier versions.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations

import numpy as np

Subset = frozenset[int]
MODES = ("auto", "off", "exact", "antithetic", "sampled")
#: ``auto`` computes exact shares up to this many measures (2^5 = 32 runs a replication)
EXACT_MAX = 5


def resolve(mode: str, n: int, exact_max: int = EXACT_MAX) -> str:
    """The mode actually used for ``n`` measures (``auto`` resolved); an unknown mode is a
    ValueError."""
    if mode not in MODES:
        raise ValueError(f"shapley must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "auto":
        return "exact" if n <= exact_max else "antithetic"
    return mode


def order(seed: int, rep: int, n: int) -> list[int]:
    """A random order of n measures for replication ``rep`` (stable, seed-derived)."""
    h = hashlib.blake2b(f"shapley/{seed}/{rep}".encode(), digest_size=8).digest()
    rng = np.random.Generator(np.random.PCG64(int.from_bytes(h, "little")))
    return [int(i) for i in rng.permutation(n)]


def orders_of(mode: str, seed: int, rep: int, n: int) -> list[list[int]]:
    """The orders a sampling mode averages over in replication ``rep`` (none for exact/off)."""
    if mode == "sampled":
        return [order(seed, rep, n)]
    if mode == "antithetic":
        o = order(seed, rep, n)
        return [o, o[::-1]]
    return []


def _prefixes(o: Sequence[int]) -> Iterable[Subset]:
    prefix: Subset = frozenset()
    for i in o:
        prefix = prefix | {i}
        yield prefix


def subsets(mode: str, n: int, seed: int, rep: int) -> set[Subset]:
    """The subsets replication ``rep`` needs: no measure, each alone, all together, and the
    mode's own (every subset for exact, the orders' prefixes for the sampling modes)."""
    need: set[Subset] = {frozenset(), frozenset(range(n))}
    need |= {frozenset({i}) for i in range(n)}
    if mode == "exact":
        for size in range(2, n):
            need |= {frozenset(s) for s in combinations(range(n), size)}
    for o in orders_of(mode, seed, rep, n):
        need |= set(_prefixes(o))
    return need


def exact_shares(n: int, value: Callable[[Subset], float]) -> list[float]:
    """Exact Shapley values of the n players of ``value`` (every subset)."""
    phi = [0.0] * n
    for i in range(n):
        others = [j for j in range(n) if j != i]
        for size in range(n):
            w = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for s in combinations(others, size):
                fs = frozenset(s)
                phi[i] += w * (value(fs | {i}) - value(fs))
    return phi


def order_shares(orders: Sequence[Sequence[int]], n: int,
                 value: Callable[[Subset], float]) -> list[float]:
    """Marginal contributions along each of ``orders``, averaged over the orders."""
    phi = [0.0] * n
    for o in orders:
        prev: Subset = frozenset()
        for nxt in _prefixes(o):
            (i,) = nxt - prev
            phi[i] += (value(nxt) - value(prev)) / len(orders)
            prev = nxt
    return phi


def shares(mode: str, n: int, value: Callable[[Subset], float], seed: int,
           rep: int) -> list[float]:
    """Each measure's share in replication ``rep`` for a resolved ``mode`` (not ``off``)."""
    if mode == "exact":
        return exact_shares(n, value)
    if mode in ("sampled", "antithetic"):
        return order_shares(orders_of(mode, seed, rep, n), n, value)
    raise ValueError(f"no Shapley shares in mode {mode!r}")


def sampling_error(n: int, value: Callable[[Subset], float], orders: int, seed: int = 0
                   ) -> dict[str, float]:
    """The sampling error of one random order and of an order plus its reverse against
    the exact shares of ``value``: the root-mean-square error per measure over ``orders``
    random orders (in ``value``'s units). ``value`` must be defined on every subset."""
    exact = np.array(exact_shares(n, value))
    rng = np.random.default_rng(seed)
    err = {"sampled": [], "antithetic": []}
    for _ in range(orders):
        o = [int(i) for i in rng.permutation(n)]
        err["sampled"].append(np.array(order_shares([o], n, value)) - exact)
        err["antithetic"].append(np.array(order_shares([o, o[::-1]], n, value)) - exact)
    return {k: float(np.sqrt(np.mean(np.square(v)))) for k, v in err.items()}
