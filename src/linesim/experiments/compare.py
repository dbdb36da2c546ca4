"""What-if comparisons: countermeasures against a base scenario, with common random numbers.

Every variant runs with the same seeds as the base (replication r of every variant uses the
streams of (seed, r)), so each gain is a *paired* difference with a t-interval. With a
precision target, replications are added only to the measures whose interval is still too
wide (:mod:`linesim.experiments.sequential`). The combined effect of all measures is split
among them by Shapley values over the first-stage replications (:mod:`linesim.experiments.
shapley`: exact, an order and its reverse, one order, or off); in every replication the
shares add up exactly to the combined gain. No (subset, replication) is ever run twice. Gains are in good units **per month**: the horizon's gain per measured
working day times the calendar's working days per month (see
:mod:`linesim.experiments.economics`). Money: monthly net = gain x margin - running cost,
payback in working days with the interval that the gain's interval implies, and the net
present value at a stated yearly rate over a stated horizon (:class:`Appraisal`); measures
are ranked by that net present value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from functools import cached_property

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
from .sequential import Progress, Target, gain_estimate, plan_round, round_jobs
from .shapley import EXACT_MAX, Subset, resolve, shares, subsets

MAX_MEASURES = 30


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
    """Results of :func:`compare`: paired gains, Shapley shares, economics.

    ``replications``: the base's replications (0..replications-1, the most any measure
    has); ``counts``: each measure's paired replications (default: all); ``first``: the
    replications of the first stage, over which the combined gain and the Shapley shares
    (``shapley_mode``) are computed (default: all); ``capped``: the measures that reached the
    cap of a precision target before meeting it; ``rule``: that target in words."""

    base: Scenario
    measures: list[Countermeasure]
    seed: int
    replications: int
    runs: dict[tuple[Subset, int], dict[str, float]]
    shapley_mode: str = "exact"
    level: float = 0.95
    appraisal: Appraisal = field(default_factory=Appraisal)
    counts: list[int] | None = None
    first: int | None = None
    capped: list[str] = field(default_factory=list)
    rule: str = ""

    def __post_init__(self) -> None:
        if self.counts is None:
            self.counts = [self.replications] * len(self.measures)
        if self.first is None:
            self.first = self.replications

    @property
    def exact(self) -> bool:
        """Whether the Shapley shares are exact (every subset run)."""
        return self.shapley_mode == "exact"

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
        """Each measure's Shapley share of the combined gain in replication ``rep`` (nan
        with ``shapley_mode`` off)."""
        n = len(self.measures)
        if self.shapley_mode == "off":
            return [math.nan] * n
        return shares(self.shapley_mode, n, lambda s: self.gain(s, rep) if s else 0.0,
                      self.seed, rep)

    # -- tables ----------------------------------------------------------------------
    def _ci(self, values: Sequence[float]) -> tuple[float, float, float]:
        return t_interval(values, self.level)

    @cached_property
    def gains(self) -> pd.DataFrame:
        """One row per replication, one column per measure (alone) and ``combined``; nan
        where a measure (or ``combined``, past the first stage) was not run."""
        reps = range(self.replications)
        nan = math.nan
        cols = {m.name: [self.gain(frozenset({i}), r) if r < self.counts[i] else nan
                         for r in reps] for i, m in enumerate(self.measures)}
        full = frozenset(range(len(self.measures)))
        cols["combined"] = [self.gain(full, r) if r < self.first else nan for r in reps]
        df = pd.DataFrame(cols)
        df.index.name = "replication"
        return df

    @cached_property
    def shapley_table(self) -> pd.DataFrame:
        """One row per replication of the first stage, one column per measure: Shapley
        shares (units/month; nan with ``shapley_mode`` off)."""
        df = pd.DataFrame([self.shapley(r) for r in range(self.first)],
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
        base = np.array([self.units(frozenset(), r) * self.per_month for r in range(len(g))])
        indep = math.sqrt(np.var(base, ddof=1) + np.var(base + g, ddof=1))
        paired = float(np.std(g, ddof=1))
        return indep / paired if paired > 0 else math.inf

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per measure: gain alone and Shapley share (mean and interval, units per
        month), costs, monthly net (currency/month) with interval, payback in working days
        with interval and in months, net present value with interval (see
        :attr:`appraisal`), how much pairing narrowed the interval (independent / paired
        half-width), its paired replications and whether it hit the cap of the precision
        target, and rank by net present value (1 = best)."""
        rows = []
        for i, m in enumerate(self.measures):
            g = self.gains[m.name].to_numpy()[:self.counts[i]]
            gain = self._ci(g)
            sm, slo, shi = self._ci(self.shapley_table[m.name].to_numpy())
            rows.append({"measure": m.name, "seed_measure": m.measure, "gain": gain[0],
                         "gain_low": gain[1], "gain_high": gain[2], "shapley": sm,
                         "shapley_low": slo, "shapley_high": shi,
                         **self._economics(m, gain), "pairing_ratio": self._pairing_ratio(g),
                         "replications": self.counts[i], "capped": m.name in self.capped})
        df = pd.DataFrame(rows).set_index("measure")
        df["rank"] = df["npv"].rank(method="min", ascending=False).astype(int)
        return df

    @cached_property
    def combined(self) -> tuple[float, float, float]:
        """Gain of all measures together: mean and interval, units per month."""
        return self._ci(self.gains["combined"].to_numpy()[:self.first])

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
            "shapley": self.shapley_mode,
            "first_stage": self.first,
            "target": self.rule or None,
            "capped": list(self.capped),
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
                 "pairing_ratio": _num(row["pairing_ratio"]), "rank": int(row["rank"]),
                 "replications": int(row["replications"]), "capped": bool(row["capped"])}
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


def _first_jobs(mode: str, n: int, seed: int, reps: int) -> list[tuple[Subset, int]]:
    """The (subset, replication) runs of the first stage: every subset the Shapley mode
    needs (with no measure, each alone and all together), replication by replication."""
    return [(s, r) for r in range(reps)
            for s in sorted(subsets(mode, n, seed, r), key=lambda s: (len(s), sorted(s)))]


def _estimates(cmp: Comparison) -> list[tuple[float, float, float, float, int]]:
    """Per measure: half-width, mean and sd of its paired gains, sd of its estimator,
    degrees of freedom lost (see :func:`~linesim.experiments.sequential.plan_round`)."""
    out = []
    for i, m in enumerate(cmp.measures):
        half, mean, sd = gain_estimate(cmp.gains[m.name].to_numpy()[:cmp.counts[i]], cmp.level)
        out.append((half, mean, sd, sd, 0))
    return out


def compare(base: Scenario, measures: Sequence[Countermeasure], replications: int = 10,
            seed: int | None = None, workers: int | None = None, precision: float | None = None,
            max_replications: int = 100, exact_max: int = EXACT_MAX, level: float = 0.95,
            executor: Executor | None = None,
            progress: Callable[[int], None] | None = None,
            appraisal: Appraisal | None = None, shapley: str = "auto",
            target: Target | None = None) -> Comparison:
    """Compare ``measures`` against ``base`` (see the module docstring).

    ``replications`` paired replications of every measure first (the first stage: the
    combined gain and the Shapley shares, ``shapley`` one of
    :data:`~linesim.experiments.shapley.MODES`, ``auto`` = exact up to ``exact_max``
    measures, else antithetic). With a precision ``target`` (or ``precision``, a relative
    half-width such as 0.1, capped at ``max_replications``), more replications are added to
    each measure whose gain interval is still too wide, running only the base and that
    measure (:mod:`linesim.experiments.sequential`). ``workers`` processes (default all
    cores; 1 = this process) or an ``executor``. ``progress(n)`` is called with the number of
    runs just finished. ``appraisal``: rate and horizon of the net present values."""
    measures = check_measures(base, measures, allow_conflicts=False)
    if target is None and precision is not None:
        target = Target(relative=precision, cap=max_replications)
    if target is not None and target.level != level:
        target = replace(target, level=level)  # the intervals' level, not the default
    cap = target.cap if target is not None else max_replications
    if not 2 <= replications <= max(cap, 2):
        raise ValueError(f"replications must be between 2 and {cap}")
    seed = base.seed_for(seed)
    n = len(measures)
    mode = resolve(shapley, n, exact_max)
    scenarios: dict[Subset, Scenario] = {frozenset(): base}
    runs: dict[tuple[Subset, int], dict[str, float]] = {}
    state = [Progress(replications) for _ in range(n)]
    tick = (lambda: progress(1)) if progress else None

    def result() -> Comparison:
        return Comparison(base, measures, seed, max(p.count for p in state), runs, mode, level,
                          appraisal or Appraisal(), [p.count for p in state], replications,
                          [m.name for m, p in zip(measures, state) if p.capped],
                          target.describe() if target is not None else "")

    with Runner(workers, executor) as runner:
        def make(jobs: list[tuple[Subset, int]]) -> None:
            for s, _ in jobs:
                if s not in scenarios:
                    scenarios[s] = apply(base, [measures[i] for i in sorted(s)])
            args = [(scenarios[s], seed, r) for s, r in jobs]
            runs.update(zip(jobs, check(runner.run(plant_run, args, progress=tick), "run")))

        make(_first_jobs(mode, n, seed, replications))
        while target is not None:
            more = plan_round(target, state, _estimates(result()))
            if not more:
                break
            make(round_jobs(more, state, set(runs)))
    return result()
