"""The best package of countermeasures under a budget.

A *package* is a set of countermeasures applied together. It is feasible when its one-off
costs add up to at most the budget and no two of its measures conflict (change the same
field in ways that do not commute). Its value is the net present value of its monthly net
(gain in good units a month x margin - running costs) over the appraisal horizon, less its
one-off cost (:class:`~linesim.experiments.economics.Appraisal`). "No measure" is a package
too (value 0), so a budget that buys nothing worth having says so.

Candidates: with up to ``exhaustive_max`` (12) measures, every feasible subset (the subset
runs are those of the exact Shapley computation of :func:`~linesim.experiments.compare.compare`
and are reused from a comparison given). With more, a forward search: start from no
measure; at each step evaluate every feasible package with one more measure and keep the
one with the largest mean value; stop when no addition raises it. Every package evaluated
on the way is a candidate.

Selection: the KN procedure (:mod:`linesim.experiments.selection`) on the candidates'
values, paired on common random numbers (replication r of every package uses the streams
of (seed, r)); the indifference zone ``delta`` is in currency a month of net value
(default: 1% of the base plant's monthly contribution), i.e. ``delta`` x annuity in net
present value. The result says how sure the choice is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..results.stats import t_interval
from ..scenario.countermeasure import Countermeasure, apply, conflicts
from ..scenario.model import Scenario
from .compare import Comparison, Subset, check_measures, plant_run
from .economics import Appraisal, monthly_net, working_days_per_month
from .jobs import Runner, check
from .selection import Selection, select_best

EXHAUSTIVE_MAX = 12
#: gains(list of (package, replication)) -> gain of each, good units a month
Gains = Callable[[list[tuple[Subset, int]]], list[float]]


@dataclass
class Portfolio:
    """Result of :func:`best_package` / :func:`portfolio`: every candidate package
    (:attr:`packages`), the KN :attr:`selection` and what it was chosen under."""

    measures: list[Countermeasure]
    budget: float | None
    appraisal: Appraisal
    margin: float
    currency: str
    delta: float  #: indifference zone, currency a month of net value
    search: str
    packages: pd.DataFrame
    selection: Selection

    @property
    def best(self) -> tuple[str, ...]:
        """Names of the measures of the selected package (empty: no measure)."""
        return tuple(self.measures[i].name for i in sorted(self.selection.best))

    def label(self, subset: Subset) -> str:
        return " + ".join(self.measures[i].name for i in sorted(subset)) or "no measure"

    def describe(self) -> str:
        """The choice in one sentence, and how sure it is."""
        row = self.packages.loc[self.label(self.selection.best)]
        budget = ("no budget limit" if self.budget is None
                  else f"a budget of {self.budget:,.0f} {self.currency}")
        sure = self.selection.describe(self.label, f" {self.currency} (net present value)")
        return (f"Under {budget}, the best package is {self.label(self.selection.best)}: "
                f"{row['gain']:,.0f} more good units a month "
                f"[{row['gain_low']:,.0f}, {row['gain_high']:,.0f}], one-off "
                f"{row['one_off_cost']:,.0f} {self.currency}, net {row['monthly_net']:,.0f} "
                f"{self.currency} a month, {self.appraisal.describe()} "
                f"{row['npv']:,.0f} {self.currency}. How sure: {sure}")

    def to_dict(self) -> dict:
        """The JSON shape of ``linesim portfolio --json``."""
        t = self.packages.reset_index()
        t["measures"] = t["measures"].map(list)
        return {"budget": self.budget, "currency": self.currency, "margin": self.margin,
                "rate": self.appraisal.rate, "horizon_months": self.appraisal.horizon_months,
                "delta_per_month": self.delta, "alpha": self.selection.alpha,
                "search": self.search, "best": list(self.best),
                "status": self.selection.status,
                "contenders": [self.label(c) for c in self.selection.contenders],
                "runs": self.selection.runs, "summary": self.describe(),
                "packages": json_rows(t)}


def json_rows(df: pd.DataFrame) -> list[dict]:
    """Rows of ``df`` as dicts, non-finite numbers as None."""
    def clean(v):
        if isinstance(v, (float, np.floating)):
            return float(v) if math.isfinite(v) else None
        return v.item() if isinstance(v, np.generic) else v
    return [{k: clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def feasible(subset: Subset, costs: Sequence[float], budget: float | None,
             clashes: set[frozenset[int]]) -> bool:
    """Within the budget and free of conflicting pairs."""
    if budget is not None and sum(costs[i] for i in subset) > budget + 1e-9:
        return False
    return not any(frozenset(p) in clashes for p in combinations(sorted(subset), 2))


class _Values:
    """Cached package gains and their net present values per replication."""

    def __init__(self, measures, gains: Gains, margin: float, appraisal: Appraisal):
        self.measures, self.gains, self.margin, self.appraisal = measures, gains, margin, appraisal
        self.cache: dict[tuple[Subset, int], float] = {}

    def gain(self, pairs: list[tuple[Subset, int]]) -> list[float]:
        todo = [p for p in dict.fromkeys(pairs) if p not in self.cache]
        if todo:
            self.cache.update(zip(todo, self.gains(todo)))
        return [self.cache[p] for p in pairs]

    def npv(self, subset: Subset, gain: float) -> float:
        ms = [self.measures[i] for i in subset]
        net = monthly_net(gain, self.margin, sum(m.monthly_cost for m in ms))
        return self.appraisal.npv(net, sum(m.one_off_cost for m in ms))

    def values(self, pairs: list[tuple[Subset, int]]) -> list[float]:
        return [self.npv(s, g) for (s, _), g in zip(pairs, self.gain(pairs))]


def _forward_search(n: int, ok: Callable[[Subset], bool], vals: _Values, n0: int) -> list[Subset]:
    current: Subset = frozenset()
    seen = [current]

    def mean(s: Subset) -> float:
        return float(np.mean(vals.values([(s, r) for r in range(n0)])))

    best_value = mean(current)
    while True:
        options = [current | {i} for i in range(n) if i not in current and ok(current | {i})]
        if not options:
            return seen
        vals.values([(s, r) for s in options for r in range(n0)])  # one batch of runs
        seen += options
        top = max(options, key=mean)
        if mean(top) <= best_value:
            return seen
        current, best_value = top, mean(top)


def best_package(measures: Sequence[Countermeasure], budget: float | None, gains: Gains,
                 margin: float, delta: float, appraisal: Appraisal | None = None,
                 clashes: set[frozenset[int]] | None = None, currency: str = "",
                 alpha: float = 0.05, n0: int = 5, max_replications: int = 50,
                 exhaustive_max: int = EXHAUSTIVE_MAX) -> Portfolio:
    """Select the package of ``measures`` with the largest net present value under
    ``budget`` (see the module). ``gains`` gives each (package, replication)'s gain in good
    units a month; ``delta`` is the indifference zone in currency a month of net value;
    ``clashes`` the pairs of measure indices that conflict."""
    measures = list(measures)
    if budget is not None and budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    if margin <= 0:
        raise ValueError("economics.margin_per_unit must be > 0 to value packages")
    appraisal = appraisal or Appraisal()
    clashes = clashes or set()
    costs = [m.one_off_cost for m in measures]
    n = len(measures)

    def ok(s: Subset) -> bool:
        return feasible(s, costs, budget, clashes)

    vals = _Values(measures, gains, margin, appraisal)
    if n <= exhaustive_max:
        cands = [frozenset(s) for k in range(n + 1) for s in combinations(range(n), k)
                 if ok(frozenset(s))]
        search = f"every feasible package of the {n} measures"
    else:
        cands = _forward_search(n, ok, vals, n0)
        search = "forward search (add the measure that raises the value most, until none does)"
    sel = select_best(cands, vals.values, delta * appraisal.annuity, alpha, n0, max_replications)
    table = _table(cands, vals, measures, appraisal, sel)
    return Portfolio(measures, budget, appraisal, margin, currency, delta, search, table, sel)


def _table(cands, vals: _Values, measures, appraisal: Appraisal, sel: Selection) -> pd.DataFrame:
    rows = []
    reps_of: dict[Subset, list[int]] = {}
    for p, r in vals.cache:
        reps_of.setdefault(p, []).append(r)
    for s in cands:
        reps = sorted(reps_of.get(s, []))
        g = vals.gain([(s, r) for r in reps])
        gm, glo, ghi = t_interval(g)
        ms = [measures[i] for i in sorted(s)]
        one_off, running = sum(m.one_off_cost for m in ms), sum(m.monthly_cost for m in ms)
        nets = [monthly_net(x, vals.margin, running) for x in (gm, glo, ghi)]
        rows.append({"package": " + ".join(m.name for m in ms) or "no measure",
                     "measures": tuple(m.name for m in ms), "size": len(ms),
                     "one_off_cost": one_off, "monthly_cost": running, "gain": gm,
                     "gain_low": glo, "gain_high": ghi, "monthly_net": nets[0],
                     "net_low": nets[1], "net_high": nets[2],
                     **{k: appraisal.npv(x, one_off) for k, x in
                        zip(("npv", "npv_low", "npv_high"), nets)},
                     "replications": len(reps), "selected": s == sel.best,
                     "contender": s in sel.contenders})
    df = pd.DataFrame(rows).set_index("package")
    df["frontier"] = _frontier(df)
    return df.sort_values("npv", ascending=False)


def _frontier(df: pd.DataFrame) -> pd.Series:
    """Cost-gain frontier: no package costing as little or less has a larger mean gain."""
    order = df.sort_values(["one_off_cost", "gain"], ascending=[True, False])
    best, on = -math.inf, {}
    for name, row in order.iterrows():
        on[name] = row["gain"] > best
        best = max(best, row["gain"])
    return pd.Series(on).reindex(df.index)


def portfolio(base: Scenario, measures: Sequence[Countermeasure], budget: float | None = None,
              replications: int = 5, seed: int | None = None, workers: int | None = None,
              delta: float | None = None, alpha: float = 0.05, max_replications: int = 50,
              appraisal: Appraisal | None = None, comparison: Comparison | None = None,
              progress: Callable[[int], None] | None = None) -> Portfolio:
    """Simulate and select the best package under ``budget`` (see the module):
    ``replications`` is KN's first stage n0, ``max_replications`` its run budget per
    package. A ``comparison`` of the same measures and seed lends its runs."""
    measures = check_measures(base, measures, allow_conflicts=True)
    seed = base.seed_for(seed)
    runs: dict[tuple[Subset, int], dict[str, float]] = {}
    if comparison is not None and comparison.seed == seed and \
            [m.name for m in comparison.measures] == [m.name for m in measures]:
        runs.update(comparison.runs)
    clashes = {frozenset((i, j)) for i, j in combinations(range(len(measures)), 2)
               if conflicts(base, [measures[i], measures[j]])}
    scenarios: dict[Subset, Scenario] = {frozenset(): base}
    tick = (lambda: progress(1)) if progress else None
    with Runner(workers) as runner:
        def gains(pairs: list[tuple[Subset, int]]) -> list[float]:
            need = list(dict.fromkeys(p for s, r in pairs for p in ((s, r), (frozenset(), r))
                                      if p not in runs))
            for s, _ in need:
                if s not in scenarios:
                    scenarios[s] = apply(base, [measures[i] for i in sorted(s)])
            args = [(scenarios[s], seed, r) for s, r in need]
            runs.update(zip(need, check(runner.run(plant_run, args, progress=tick), "run")))
            per_month = working_days_per_month(base) / runs[frozenset(), 0]["working_days"]
            return [(runs[s, r]["units"] - runs[frozenset(), r]["units"]) * per_month
                    for s, r in pairs]

        if delta is None:
            gains([(frozenset(), r) for r in range(replications)])
            per_month = working_days_per_month(base) / runs[frozenset(), 0]["working_days"]
            units = np.mean([runs[frozenset(), r]["units"] for r in range(replications)])
            delta = max(0.01 * units * per_month * base.economics.margin_per_unit, 1.0)
        return best_package(measures, budget, gains, base.economics.margin_per_unit, delta,
                            appraisal, clashes, base.economics.currency, alpha, replications,
                            max_replications)
