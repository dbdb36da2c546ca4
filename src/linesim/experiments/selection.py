"""Selecting the best of several alternatives from paired simulation output.

The procedure is KN (Kim and Nelson 2001), a fully sequential indifference-zone procedure
for the largest mean that works on *paired* differences, so common random numbers shrink
the work: after ``n0`` replications of every alternative it computes, for every pair, the
variance of their difference; then, one replication at a time, it drops every alternative
whose mean falls below another's by more than a shrinking allowance, until one is left or
the procedure's maximum is reached. If the best alternative is at least ``delta`` better
than every other, it is selected with probability at least ``1 - alpha``; otherwise the one
selected is within ``delta`` of the best with that probability. KN always ends with one
alternative, even when two are equal; so the choice is then checked against every other
alternative with a paired one-sided lower confidence bound on the difference of means over
their common replications (t, Bonferroni over the k - 1 others, overall level 1 - alpha, as
in multiple comparisons with the best): an alternative whose bound is not above zero stays a
contender.

Outcomes (:attr:`Selection.status`):
``separated``: the chosen alternative is better than every other with confidence 1 - alpha;
``indifferent``: KN chose, but some others cannot be told apart from the choice (not
separable: the choice is within ``delta`` of the best with probability >= 1 - alpha, and
so may be any of the contenders);
``budget``: the run budget (``max_replications``) ended the procedure before it could
separate the contenders (it cannot be decided at this budget of runs).

Reference: S.-H. Kim and B. L. Nelson, "A fully sequential procedure for
indifference-zone selection in simulation", ACM Transactions on Modeling and Computer
Simulation 11(3), 2001, pp. 251-273.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

#: sample(list of (alternative, replication)) -> list of values (larger is better)
Sampler = Callable[[list[tuple[Hashable, int]]], list[float]]


@dataclass(frozen=True)
class Selection:
    """Result of :func:`select_best`: the chosen alternative, the contenders still in at the
    end (best mean first), the status (see the module), replications used per alternative
    and in total, and the procedure's parameters."""

    best: Hashable
    contenders: tuple[Hashable, ...]
    status: str
    replications: dict[Hashable, int]
    runs: int
    delta: float
    alpha: float
    means: dict[Hashable, float]

    @property
    def separable(self) -> bool:
        return self.status == "separated"

    def describe(self, name: Callable[[Hashable], str] = str, unit: str = "") -> str:
        """One sentence saying how sure the choice is."""
        conf = f"{100 * (1 - self.alpha):g}%"
        zone = f"{self.delta:,.0f}{unit}"
        if self.status == "separated":
            return (f"{name(self.best)} is the best with probability at least {conf} if it "
                    f"is at least {zone} better than the next (KN procedure, "
                    f"{self.runs} runs).")
        others = ", ".join(name(c) for c in self.contenders)
        if self.status == "indifferent":
            return (f"not separable: {others} are within {zone} of each other; each is "
                    f"within {zone} of the best with probability at least {conf} "
                    f"({name(self.best)} has the largest mean; KN procedure, {self.runs} runs).")
        return (f"not separable at this budget of runs: {others} are still contenders after "
                f"{self.runs} runs ({name(self.best)} has the largest mean so far); allow more "
                "replications or a wider indifference zone.")


def kn_constant(k: int, n0: int, alpha: float) -> float:
    """h^2 of KN: 2 eta (n0 - 1), eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2."""
    eta = ((2 * alpha / (k - 1)) ** (-2 / (n0 - 1)) - 1) / 2
    return 2 * eta * (n0 - 1)


def _screen(alive: list[int], means: np.ndarray, s2: np.ndarray, h2: float, delta: float,
            r: int) -> list[int]:
    """KN screening: keep i if mean_i >= mean_l - W_il for every other l still in."""
    idx = np.array(alive)
    keep = []
    for i in alive:
        w = np.maximum(0.0, delta / (2 * r) * (h2 * s2[i, idx] / delta ** 2 - r))
        ok = means[i] >= means[idx] - w
        ok[idx == i] = True
        if ok.all():
            keep.append(i)
    return keep


def select_best(alternatives: Sequence[Hashable], sample: Sampler, delta: float,
                alpha: float = 0.05, n0: int = 5, max_replications: int = 100) -> Selection:
    """Select the alternative with the largest mean by KN (see the module). ``sample`` gives
    the values of (alternative, replication) pairs, replication r of every alternative on
    the same random numbers; ``delta`` > 0 is the indifference zone (units of the values)."""
    alts = list(alternatives)
    k = len(alts)
    if k == 0:
        raise ValueError("no alternatives to select from")
    if not delta > 0 or not 0 < alpha < 1 or not 2 <= n0 <= max_replications:
        raise ValueError("need delta > 0, 0 < alpha < 1 and 2 <= n0 <= max_replications")
    x = np.zeros((k, max_replications))
    x[:, :n0] = np.reshape(sample([(a, r) for a in alts for r in range(n0)]), (k, n0))
    reps = [n0] * k
    if k == 1:
        return _result(alts, [0], [0], x, reps, "separated", delta, alpha)
    h2 = kn_constant(k, n0, alpha)
    cov = np.atleast_2d(np.cov(x[:, :n0]))
    var = np.diag(cov)
    s2 = np.maximum(var[:, None] + var[None, :] - 2 * cov, 0.0)  # Var(X_i - X_l)
    n_i = np.floor(h2 * s2.max(axis=1) / delta ** 2)
    alive, r = list(range(k)), n0
    while True:
        means = x[:, :r].mean(axis=1)
        if r > n_i[alive].max():  # the procedure's last stage: pick the largest mean
            return _end(alts, alive, means, x, reps, delta, alpha)
        alive = _screen(alive, means, s2, h2, delta, r)
        if len(alive) == 1:
            return _checked(alts, alive[0], x, reps, delta, alpha)
        if r >= max_replications:
            order = sorted(alive, key=lambda i: -means[i])
            return _result(alts, order, order, x, reps, "budget", delta, alpha)
        x[alive, r] = sample([(alts[i], r) for i in alive])
        for i in alive:
            reps[i] += 1
        r += 1


def _end(alts, alive, means, x, reps, delta, alpha) -> Selection:
    best = max(alive, key=lambda i: means[i])
    return _checked(alts, best, x, reps, delta, alpha)


def _checked(alts, best, x, reps, delta, alpha) -> Selection:
    """The KN choice ``best``, with every alternative not separated from it (see module)."""
    k = len(alts)
    close = [best]
    for i in range(k):
        n = min(reps[i], reps[best])
        if i == best:
            continue
        d = x[best, :n] - x[i, :n]
        bound = d.mean() - stats.t.ppf(1 - alpha / (k - 1), n - 1) * d.std(ddof=1) / np.sqrt(n)
        if bound <= 0 or d.mean() < delta:
            close.append(i)
    close = [best] + sorted(close[1:], key=lambda i: -x[i, :reps[i]].mean())
    status = "separated" if len(close) == 1 else "indifferent"
    return _result(alts, close, close, x, reps, status, delta, alpha)


def _result(alts, contenders, order, x, reps, status, delta, alpha) -> Selection:
    means = {alts[i]: float(x[i, :reps[i]].mean()) for i in range(len(alts))}
    return Selection(best=alts[order[0]], contenders=tuple(alts[i] for i in contenders),
                     status=status, replications={alts[i]: reps[i] for i in range(len(alts))},
                     runs=int(sum(reps)), delta=delta, alpha=alpha, means=means)
