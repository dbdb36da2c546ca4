"""What-if comparisons: countermeasures against a base scenario, with common random numbers.

Every variant runs with the same seeds as the base (replication r of every variant uses the
streams of (seed, r)), so each gain is a *paired* difference with a t-interval. The combined
effect of all measures is split among them by Shapley values: exact (every subset) for up
to ``exact_max`` measures, otherwise sampled (one random order of the measures per
replication; the interval over replications then includes the sampling error). In every
replication the shares add up exactly to the combined gain. No (subset, replication) is
ever run twice. Gains are in good units **per month**: the horizon's gain per measured
working day times the calendar's working days per month (see
:mod:`linesim.experiments.economics`). Money: monthly net = gain x margin - running cost,
payback in working days with the interval that the gain's interval implies, and the net
present value at a stated yearly rate over a stated horizon (:class:`Appraisal`); measures
are ranked by that net present value.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import numpy as np
import pandas as pd

from ..engine import simulate_record
from ..results.kpis import plant_kpis
from ..results.stats import t_interval
from ..scenario.countermeasure import Countermeasure, apply, conflicts
from ..scenario.load import ScenarioError
from ..scenario.model import Scenario
from .economics import Appraisal, monthly_net, payback_interval, working_days_per_month
from .jobs import Runner, check

MAX_MEASURES = 30

Subset = frozenset[int]


def plant_run(args: tuple[Scenario, int, int]) -> dict[str, float]:
    """Plant KPIs of one (scenario, seed, replication), with the measured working days and
    calendar days."""
    scenario, seed, rep = args
    rec = simulate_record(scenario, seed, rep)
    k = plant_kpis(rec)
    k["working_days"] = float(len(rec.working_days))
    k["calendar_days"] = (rec.end - rec.start) / 1440.0
    return k


@dataclass
class Comparison:
    """Results of :func:`compare`: paired gains, Shapley shares, economics."""

    base: Scenario
    measures: list[Countermeasure]
    seed: int
    replications: int
    runs: dict[tuple[Subset, int], dict[str, float]]
    orders: dict[int, list[int]]  # replication -> order of the measures (sampled Shapley)
    exact: bool
    level: float = 0.95
    pairing: dict[str, float] = field(default_factory=dict)
    appraisal: Appraisal = field(default_factory=Appraisal)

    # -- per replication -------------------------------------------------------------
    def units(self, subset: Subset, rep: int) -> float:
        return self.runs[subset, rep]["units"]

    @cached_property
    def per_month(self) -> float:
        """Factor from the measured period to a month: the calendar's working days per
        month / the measured working days."""
        return self.working_days_per_month / self.runs[frozenset(), 0]["working_days"]

    @cached_property
    def working_days_per_month(self) -> float:
        """The calendar's average working days in a month."""
        return working_days_per_month(self.base)

    def gain(self, subset: Subset, rep: int) -> float:
        """Gain of ``subset`` in replication ``rep``, good units per month."""
        return (self.units(subset, rep) - self.units(frozenset(), rep)) * self.per_month

    def shapley(self, rep: int) -> list[float]:
        """Each measure's Shapley share of the combined gain in replication ``rep``."""
        n = len(self.measures)
        if self.exact:
            phi = [0.0] * n
            for i in range(n):
                others = [j for j in range(n) if j != i]
                for size in range(n):
                    w = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                    for s in combinations(others, size):
                        s = frozenset(s)
                        phi[i] += w * (self.gain(s | {i}, rep) - self.gain(s, rep))
            return phi
        phi = [0.0] * n
        prefix: Subset = frozenset()
        for i in self.orders[rep]:
            nxt = prefix | {i}
            phi[i] = self.gain(nxt, rep) - self.gain(prefix, rep)
            prefix = nxt
        return phi

    # -- tables ----------------------------------------------------------------------
    def _ci(self, values: Sequence[float]) -> tuple[float, float, float]:
        return t_interval(values, self.level)

    @cached_property
    def gains(self) -> pd.DataFrame:
        """One row per replication, one column per measure (alone) and ``combined``."""
        reps = range(self.replications)
        cols = {m.name: [self.gain(frozenset({i}), r) for r in reps]
                for i, m in enumerate(self.measures)}
        cols["combined"] = [self.gain(frozenset(range(len(self.measures))), r) for r in reps]
        df = pd.DataFrame(cols)
        df.index.name = "replication"
        return df

    @cached_property
    def shapley_table(self) -> pd.DataFrame:
        """One row per replication, one column per measure: Shapley shares (units/month)."""
        df = pd.DataFrame([self.shapley(r) for r in range(self.replications)],
                          columns=[m.name for m in self.measures])
        df.index.name = "replication"
        return df

    def _economics(self, m: Countermeasure, gain: tuple[float, float, float]) -> dict:
        margin = self.base.economics.margin_per_unit
        nets = tuple(monthly_net(g, margin, m.monthly_cost) for g in gain)
        pay = payback_interval(m.one_off_cost, nets, self.working_days_per_month)
        npv = [self.appraisal.npv(n, m.one_off_cost) for n in nets]
        return {"one_off_cost": m.one_off_cost, "monthly_cost": m.monthly_cost,
                "monthly_net": nets[0], "net_low": nets[1], "net_high": nets[2],
                "payback_days": pay[0], "payback_low": pay[1], "payback_high": pay[2],
                "payback_months": pay[0] / self.working_days_per_month,
                "npv": npv[0], "npv_low": npv[1], "npv_high": npv[2]}

    def _pairing_ratio(self, g: np.ndarray) -> float:
        """Independent / paired half-width of the gain interval."""
        if len(g) < 2:
            return math.nan
        base = np.array([self.units(frozenset(), r) * self.per_month
                         for r in range(self.replications)])
        indep = math.sqrt(np.var(base, ddof=1) + np.var(base + g, ddof=1))
        paired = float(np.std(g, ddof=1))
        return indep / paired if paired > 0 else math.inf

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per measure: gain alone and Shapley share (mean and interval, units per
        month), costs, monthly net (currency/month) with interval, payback in working days
        with interval and in months, net present value with interval (see
        :attr:`appraisal`), how much pairing narrowed the interval (independent / paired
        half-width), and rank by net present value (1 = best)."""
        rows = []
        for m in self.measures:
            g = self.gains[m.name].to_numpy()
            gain = self._ci(g)
            sm, slo, shi = self._ci(self.shapley_table[m.name].to_numpy())
            rows.append({"measure": m.name, "seed_measure": m.measure, "gain": gain[0],
                         "gain_low": gain[1], "gain_high": gain[2], "shapley": sm,
                         "shapley_low": slo, "shapley_high": shi,
                         **self._economics(m, gain), "pairing_ratio": self._pairing_ratio(g)})
        df = pd.DataFrame(rows).set_index("measure")
        df["rank"] = df["npv"].rank(method="min", ascending=False).astype(int)
        return df

    @cached_property
    def combined(self) -> tuple[float, float, float]:
        """Gain of all measures together: mean and interval, units per month."""
        return self._ci(self.gains["combined"].to_numpy())

    @cached_property
    def base_summary(self) -> pd.DataFrame:
        """The base runs' plant KPIs: mean and interval."""
        keys = [k for k in self.runs[frozenset(), 0] if k not in ("working_days", "calendar_days")]
        rows = {}
        for k in keys:
            vals = [self.runs[frozenset(), r][k] for r in range(self.replications)]
            mean, lo, hi = self._ci(vals)
            rows[k] = {"mean": mean, "ci_low": lo, "ci_high": hi}
        return pd.DataFrame.from_dict(rows, orient="index")

    def to_dict(self) -> dict:
        """The JSON shape of ``linesim compare --json``."""
        def ci(mean, lo, hi):
            return {"mean": _num(mean), "ci_low": _num(lo), "ci_high": _num(hi)}

        t = self.table
        return {
            "base": {k: ci(*row) for k, row in self.base_summary.iterrows()},
            "replications": self.replications,
            "seed": self.seed,
            "per": "month",
            "shapley": "exact" if self.exact else "sampled",
            "currency": self.base.economics.currency,
            "working_days_per_month": self.working_days_per_month,
            "appraisal": {"rate": self.appraisal.rate,
                          "horizon_months": self.appraisal.horizon_months},
            "countermeasures": [
                {"name": name, "measure": row["seed_measure"],
                 "gain_units": ci(row["gain"], row["gain_low"], row["gain_high"]),
                 "shapley_units": ci(row["shapley"], row["shapley_low"], row["shapley_high"]),
                 "one_off_cost": row["one_off_cost"], "monthly_cost": row["monthly_cost"],
                 "monthly_net": ci(row["monthly_net"], row["net_low"], row["net_high"]),
                 "payback_days": ci(row["payback_days"], row["payback_low"],
                                    row["payback_high"]),
                 "npv": ci(row["npv"], row["npv_low"], row["npv_high"]),
                 "pairing_ratio": _num(row["pairing_ratio"]), "rank": int(row["rank"])}
                for name, row in t.sort_values("rank").iterrows()],
            "combined": {"gain_units": ci(*self.combined)},
        }

    def _repr_html_(self) -> str:
        return (f"<b>{len(self.measures)} countermeasures</b> against "
                f"<code>{self.base.name}</code>, {self.replications} paired replications"
                + self.table.to_html(float_format=lambda v: f"{v:,.1f}"))


def _num(v) -> float | None:
    v = float(v)
    return None if not math.isfinite(v) else v


def _order(seed: int, rep: int, n: int) -> list[int]:
    """A random order of n measures for replication ``rep`` (stable, seed-derived)."""
    h = hashlib.blake2b(f"shapley/{seed}/{rep}".encode(), digest_size=8).digest()
    rng = np.random.Generator(np.random.PCG64(int.from_bytes(h, "little")))
    return [int(i) for i in rng.permutation(n)]


def _subsets(n: int, exact: bool, orders: dict[int, list[int]], rep: int) -> set[Subset]:
    need: set[Subset] = {frozenset(), frozenset(range(n))}
    need |= {frozenset({i}) for i in range(n)}
    if exact:
        for size in range(2, n):
            need |= {frozenset(s) for s in combinations(range(n), size)}
    else:
        prefix: Subset = frozenset()
        for i in orders[rep]:
            prefix = prefix | {i}
            need.add(prefix)
    return need


def _new_jobs(reps: range, seed: int, n: int, exact: bool, orders: dict[int, list[int]],
              runs: dict) -> list[tuple[Subset, int]]:
    """The (subset, replication) runs that replications ``reps`` need and ``runs`` lacks;
    fills ``orders`` for them."""
    jobs = []
    for r in reps:
        orders[r] = _order(seed, r, n)
        for s in sorted(_subsets(n, exact, orders, r), key=lambda s: (len(s), sorted(s))):
            if (s, r) not in runs:
                jobs.append((s, r))
    return jobs


def check_measures(base: Scenario, measures: Sequence[Countermeasure],
                   allow_conflicts: bool = False) -> list[Countermeasure]:
    """``measures`` as a list, or an error: none, too many, a name used twice, or (unless
    ``allow_conflicts``) two that change the same field in ways that do not commute."""
    measures = list(measures)
    if not measures:
        raise ValueError("give at least one countermeasure")
    if len(measures) > MAX_MEASURES:
        raise ValueError(f"at most {MAX_MEASURES} countermeasures, got {len(measures)}")
    names = [m.name for m in measures]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ScenarioError("countermeasures", [f"name {d!r} is used by more than one file"
                                                for d in dupes])
    clash = [] if allow_conflicts else conflicts(base, measures)
    if clash:
        raise ScenarioError("countermeasures", clash)
    return measures


def compare(base: Scenario, measures: Sequence[Countermeasure], replications: int = 10,
            seed: int | None = None, workers: int | None = None, precision: float | None = None,
            max_replications: int = 100, exact_max: int = 8, level: float = 0.95,
            executor: Executor | None = None,
            progress: Callable[[int], None] | None = None,
            appraisal: Appraisal | None = None) -> Comparison:
    """Compare ``measures`` against ``base`` (see the module docstring).

    ``replications`` paired replications to start with; with ``precision`` (a relative
    half-width, e.g. 0.1) more are added until every measure's gain interval is that narrow
    (or exactly zero), at most ``max_replications``. ``workers`` processes (default all
    cores; 1 = this process) or an ``executor``. ``progress(n)`` is called with the number of
    runs just finished. ``appraisal``: rate and horizon of the net present values."""
    measures = check_measures(base, measures, allow_conflicts=False)
    if not 2 <= replications <= max(max_replications, 2):
        raise ValueError(f"replications must be between 2 and {max_replications}")
    seed = base.seed_for(seed)
    n = len(measures)
    exact = n <= exact_max
    scenarios: dict[Subset, Scenario] = {}
    runs: dict[tuple[Subset, int], dict[str, float]] = {}
    orders: dict[int, list[int]] = {}

    def scenario_of(s: Subset) -> Scenario:
        if s not in scenarios:
            scenarios[s] = apply(base, [measures[i] for i in sorted(s)]) if s else base
        return scenarios[s]

    tick = (lambda: progress(1)) if progress else None
    with Runner(workers, executor) as runner:
        done = 0
        target = replications
        while True:
            jobs = _new_jobs(range(done, target), seed, n, exact, orders, runs)
            args = [(scenario_of(s), seed, r) for s, r in jobs]
            results = check(runner.run(plant_run, args, progress=tick), "run")
            runs.update(zip(jobs, results))
            done = target
            cmp = Comparison(base, measures, seed, done, runs, orders, exact, level,
                             appraisal=appraisal or Appraisal())
            if precision is None or done >= max_replications:
                return cmp
            t = cmp.table
            half = (t["gain_high"] - t["gain_low"]) / 2
            ok = (half <= precision * t["gain"].abs()) | (half == 0)
            if bool(ok.all()):
                return cmp
            target = min(max_replications, done + max(2, done // 2))
