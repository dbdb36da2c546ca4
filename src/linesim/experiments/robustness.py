"""How far a ranking of countermeasures can be trusted: the uncertain parameters of a
scenario moved one at a time and jointly, every measure's gain measured again at each point.

Design (points at which the base and every measure are simulated):

- **nominal**: the base scenario as it is, with ``nominal_replications`` replications;
- **one at a time**: each parameter of the ranges file at its low and at its high end, the
  others as in the base (a tornado per measure);
- **joint**: ``samples`` points of a Latin hypercube over every parameter's range
  (``scipy.stats.qmc.LatinHypercube``, seeded), for how often the ranking changes and which
  parameters drive the change.

Every point and measure runs replications 0..R-1 of the same seed: common random numbers
across points and measures, so differences between points are not noise of the streams.
Identical scenarios are simulated once (a parameter of ``economics`` needs no new run).

Measures are ranked by ``rank_by``: ``net`` (monthly net value: gain x margin - running cost,
currency a month; higher is better), ``gain`` (good units a month) or ``payback`` (working
days; lower is better). The noise floor says how often the first place changes from noise
alone: the nominal point re-ranked on every subset of R of its replications.
"""

from __future__ import annotations

import hashlib
import os
import json
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from ..results.stats import t_interval
from ..scenario.countermeasure import Countermeasure, apply
from ..scenario.load import ScenarioError
from ..scenario.model import Scenario
from ..scenario.patch import scenario_data
from ..scenario.ranges import Parameter, Ranges, parameter_change
from .compare import DAYS_PER_MONTH, _run

RANK_BY = ("net", "gain", "payback")
MAX_RUNS = 200_000
NOMINAL = "nominal"


@dataclass(frozen=True)
class Point:
    """A point of the design: its kind, the parameter moved (one at a time) and the
    position of every moved parameter in its range (0 = low end, 1 = high end)."""

    id: int
    kind: str  # nominal | low | high | joint
    parameter: str | None
    position: tuple[tuple[str, float], ...]


def design(ranges: Ranges, samples: int, seed: int) -> list[Point]:
    """The nominal point, two one-at-a-time points per parameter, ``samples`` joint points."""
    pts = [Point(0, NOMINAL, None, ())]
    for p in ranges.parameters:
        for kind, u in (("low", 0.0), ("high", 1.0)):
            pts.append(Point(len(pts), kind, p.name, ((p.name, u),)))
    if samples > 0:
        lhs = qmc.LatinHypercube(d=len(ranges.parameters), seed=_seed_of(seed, "robustness/lhs"))
        for row in lhs.random(samples):
            pos = tuple((p.name, float(u)) for p, u in zip(ranges.parameters, row))
            pts.append(Point(len(pts), "joint", None, pos))
    return pts


def _seed_of(seed: int, name: str) -> int:
    h = hashlib.blake2b(f"{name}/{seed}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "little")


def _sim_key(sc: Scenario) -> str:
    """What the simulation depends on: the scenario without its name, text and economics."""
    data = scenario_data(sc)
    for k in ("name", "description", "economics"):
        data.pop(k, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def check_ranges(base: Scenario, ranges: Ranges, source: str = "ranges") -> None:
    """Every parameter must apply to ``base`` at both ends of its range; one error lists
    every parameter that does not (field path and problem)."""
    problems = []
    for p in ranges.parameters:
        for u in (0.0, 1.0):
            try:
                apply(base, [parameter_change({p: p.value_at(u)}, f"{p.name}")])
            except ScenarioError as exc:
                problems += [f"parameters[{p.name}] at {p.value_at(u):g}: {q}" for q in exc.problems]
                break
    if problems:
        raise ScenarioError(source, problems)


def _base_at(base: Scenario, by_name: dict[str, Parameter], pt: Point) -> Scenario:
    if not pt.position:
        return base
    values = {by_name[n]: by_name[n].value_at(u) for n, u in pt.position}
    return apply(base, [parameter_change(values, f"point {pt.id}")])


@dataclass
class Robustness:
    """Results of :func:`robustness`; tables are built from :attr:`gains`."""

    ranges: Ranges
    measures: list[str]
    points: list[Point]
    gains: pd.DataFrame  # point, measure, replication, gain (units/month)
    economics: pd.DataFrame  # point, measure: margin, monthly_cost, one_off_cost, wd_per_month
    replications: int
    nominal_replications: int
    rank_by: str
    seed: int
    level: float = 0.95

    def metric_table(self, reps: int | None = None) -> pd.DataFrame:
        """One row per (point, measure): mean gain with interval, monthly net, payback in
        working days, and rank by :attr:`rank_by` (1 = best), from replications < ``reps``."""
        g = self.gains if reps is None else self.gains[self.gains.replication < reps]
        rows = []
        for (pt, m), grp in g.groupby(["point", "measure"], sort=False):
            mean, lo, hi = t_interval(grp["gain"].to_numpy(), self.level)
            e = self.economics.loc[(pt, m)]
            net = mean * e["margin"] - e["monthly_cost"]
            per_day = net / e["working_days_per_month"]
            payback = e["one_off_cost"] / per_day if per_day > 0 else math.inf
            rows.append((pt, m, mean, lo, hi, net, payback))
        df = pd.DataFrame(rows, columns=["point", "measure", "gain", "gain_low", "gain_high",
                                         "monthly_net", "payback_days"])
        key = {"net": ("monthly_net", False), "gain": ("gain", False),
               "payback": ("payback_days", True)}[self.rank_by]
        df["rank"] = df.groupby("point")[key[0]].rank(ascending=key[1], method="min").astype(int)
        return df

    @property
    def table(self) -> pd.DataFrame:
        """:meth:`metric_table` with each point's kind and parameter."""
        pts = pd.DataFrame([(p.id, p.kind, p.parameter) for p in self.points],
                           columns=["point", "kind", "parameter"])
        return pts.merge(self.metric_table(), on="point")

    def _nominal_same_reps(self) -> pd.DataFrame:
        t = self.metric_table(self.replications)
        return t[t.point == 0].set_index("measure")

    @property
    def tornado(self) -> pd.DataFrame:
        """One row per (measure, parameter): how the parameter changes (``set`` to a value or
        ``scale`` by a factor), its low and high end, the measure's gain (units/month) at each
        end and at the nominal point (same replications), the swing |high - low|, and the
        measure that comes first at either end when it is not the nominal first. Sorted by measure, then swing (largest first)."""
        t = self.table
        nom = self._nominal_same_reps()
        first = nom["rank"].idxmin()
        rows = []
        for p in self.ranges.parameters:
            sub = t[t.parameter == p.name]
            lo = sub[sub.kind == "low"].set_index("measure")
            hi = sub[sub.kind == "high"].set_index("measure")
            best_lo, best_hi = lo["rank"].idxmin(), hi["rank"].idxmin()
            for m in self.measures:
                rows.append((m, p.name, "set" if p.scale is None else "scale", *p.bounds,
                             lo.at[m, "gain"], nom.at[m, "gain"],
                             hi.at[m, "gain"], abs(hi.at[m, "gain"] - lo.at[m, "gain"]),
                             best_lo if best_lo != first else "", best_hi if best_hi != first else ""))
        df = pd.DataFrame(rows, columns=["measure", "parameter", "change", "low", "high", "gain_low",
                                         "gain_nominal", "gain_high", "swing",
                                         "first_at_low", "first_at_high"])
        return df.sort_values(["measure", "swing"], ascending=[True, False], ignore_index=True)

    @property
    def rank_stability(self) -> pd.DataFrame:
        """One row per measure: nominal rank (all nominal replications), and over the joint
        points the share at first place, in the top three, the mean, best and worst rank."""
        nom = self.metric_table()
        nom = nom[nom.point == 0].set_index("measure")
        t = self.table
        j = t[t.kind == "joint"]
        rows = []
        for m in self.measures:
            r = j.loc[j.measure == m, "rank"]
            rows.append((m, int(nom.at[m, "rank"]), nom.at[m, "gain"], nom.at[m, "monthly_net"],
                         _share(r == 1), _share(r <= 3), r.mean() if len(r) else math.nan,
                         r.min() if len(r) else math.nan, r.max() if len(r) else math.nan))
        return pd.DataFrame(rows, columns=["measure", "nominal_rank", "nominal_gain",
                                           "nominal_net", "share_first", "share_top3",
                                           "mean_rank", "best_rank", "worst_rank"]
                            ).sort_values("nominal_rank", ignore_index=True)

    @property
    def summary(self) -> dict[str, float | str | int]:
        """How often the joint points keep the nominal first place and top three (as a set
        and in order), against the noise floor (first place kept on subsets of R nominal
        replications)."""
        nom = self._nominal_full_ranking()
        t = self.table
        kept_first, kept_set, kept_order = [], [], []
        for _pt, grp in t[t.kind == "joint"].groupby("point"):
            order = list(grp.sort_values(["rank", "measure"])["measure"])
            kept_first.append(order[0] == nom[0])
            kept_set.append(set(order[:3]) == set(nom[:3]))
            kept_order.append(order[:3] == nom[:3])
        return {"nominal_first": nom[0], "nominal_top3": ", ".join(nom[:3]),
                "joint_points": len(kept_first), "share_first_kept": _share(kept_first),
                "share_top3_set_kept": _share(kept_set), "share_top3_order_kept": _share(kept_order),
                "noise_floor_first_kept": self._noise_floor(nom[0]),
                "replications": self.replications,
                "nominal_replications": self.nominal_replications, "rank_by": self.rank_by}

    def _nominal_full_ranking(self) -> list[str]:
        t = self.metric_table()
        return list(t[t.point == 0].sort_values(["rank", "measure"])["measure"])

    def _noise_floor(self, first: str) -> float:
        """Share of subsets of ``replications`` nominal replications (at most 200, seeded)
        on which ``first`` keeps first place: what noise alone does at the points' size."""
        n, k = self.nominal_replications, self.replications
        if k >= n:
            return math.nan
        subsets = list(combinations(range(n), k))
        if len(subsets) > 200:
            rng = np.random.default_rng(_seed_of(self.seed, "robustness/noise"))
            subsets = [subsets[i] for i in rng.choice(len(subsets), 200, replace=False)]
        nominal = self.gains[self.gains.point == 0]
        kept = []
        for s in subsets:
            sub = Robustness(self.ranges, self.measures, self.points[:1],
                             nominal[nominal.replication.isin(s)], self.economics, k, n,
                             self.rank_by, self.seed, self.level)
            kept.append(sub._nominal_full_ranking()[0] == first)
        return _share(kept)

    @property
    def drivers(self) -> pd.DataFrame:
        """One row per parameter: Spearman correlation over the joint points between the
        parameter's position in its range and the nominal first's lead (its metric minus the
        best other measure's; below zero it has lost first place), with the p-value; and the
        one-at-a-time ends at which another measure comes first."""
        first = self._nominal_full_ranking()[0]
        col = {"net": "monthly_net", "gain": "gain", "payback": "payback_days"}[self.rank_by]
        sign = -1.0 if self.rank_by == "payback" else 1.0
        t = self.table
        joint = [p for p in self.points if p.kind == "joint"]
        lead = []
        for p in joint:
            v = t[t.point == p.id].set_index("measure")[col].replace([np.inf, -np.inf], np.nan)
            lead.append(sign * (v[first] - v.drop(first).max()) if len(v) > 1 else np.nan)
        tor = self.tornado
        rows = []
        for i, prm in enumerate(self.ranges.parameters):
            u = [dict(p.position)[prm.name] for p in joint]
            rho, pval = (stats.spearmanr(u, lead, nan_policy="omit") if len(joint) >= 3
                         else (math.nan, math.nan))
            flips = tor[(tor.parameter == prm.name) & (tor.measure == first)]
            rows.append((prm.name, float(rho), float(pval),
                         flips["first_at_low"].iloc[0] if len(flips) else "",
                         flips["first_at_high"].iloc[0] if len(flips) else "", prm.source))
        df = pd.DataFrame(rows, columns=["parameter", "spearman_rho", "p_value",
                                         "first_at_low", "first_at_high", "source"])
        return df.sort_values("p_value", ignore_index=True, na_position="last")


def _run_jobs(fn, args: list, workers: int | None, progress) -> list:
    """``fn`` on every job, in order, on ``workers`` processes (1: this process)."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(args) <= 1:
        out = []
        for a in args:
            out.append(fn(a))
            if progress:
                progress(1)
        return out
    with ProcessPoolExecutor(max_workers=workers) as ex:
        futures = [ex.submit(fn, a) for a in args]
        out = []
        for f in futures:
            out.append(f.result())
            if progress:
                progress(1)
        return out


def _share(flags) -> float:
    flags = list(flags)
    return float(np.mean(flags)) if flags else math.nan


def robustness(base: Scenario, measures: Sequence[Countermeasure], ranges: Ranges,
               replications: int = 2, samples: int = 16, nominal_replications: int = 10,
               seed: int | None = None, rank_by: str = "net", workers: int | None = None,
               progress: Callable[[int], None] | None = None,
               ranges_source: str = "ranges") -> Robustness:
    """Move the uncertain parameters of ``ranges`` one at a time and jointly and measure every
    countermeasure's paired gain again at each point (see the module docstring)."""
    measures = list(measures)
    if not measures:
        raise ValueError("give at least one countermeasure")
    names = [m.name for m in measures]
    if len(set(names)) != len(names):
        raise ScenarioError("countermeasures", ["two countermeasures have the same name"])
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {RANK_BY}, got {rank_by!r}")
    if not 2 <= replications <= nominal_replications:
        raise ValueError("need 2 <= replications <= nominal_replications")
    seed = base.seed if seed is None else seed
    check_ranges(base, ranges, ranges_source)
    points = design(ranges, samples, seed)
    by_name = {p.name: p for p in ranges.parameters}
    variants: dict[tuple[int, str | None], str] = {}
    scenarios: dict[str, Scenario] = {}
    econ_rows = []
    for pt in points:
        b = _base_at(base, by_name, pt)
        for m in [None, *measures]:
            sc = b if m is None else apply(b, [m])
            key = _sim_key(sc)
            scenarios.setdefault(key, sc)
            variants[pt.id, None if m is None else m.name] = key
            if m is not None:
                econ_rows.append((pt.id, m.name, b.economics.margin_per_unit, m.monthly_cost,
                                  m.one_off_cost))
    jobs = sorted({(variants[pt.id, m], r) for pt in points for m in [None, *names]
                   for r in range(nominal_replications if pt.kind == NOMINAL else replications)})
    if len(jobs) > MAX_RUNS:
        raise ValueError(f"{len(jobs)} runs; the limit is {MAX_RUNS}")
    results = _run_jobs(_run, [(scenarios[k], seed, r) for k, r in jobs], workers, progress)
    runs = dict(zip(jobs, results))
    gains, wd = [], {}
    for pt in points:
        for r in range(nominal_replications if pt.kind == NOMINAL else replications):
            k0 = runs[variants[pt.id, None], r]
            per_month = DAYS_PER_MONTH / k0["calendar_days"]
            wd[pt.id] = k0["working_days"] / k0["calendar_days"] * DAYS_PER_MONTH
            for m in names:
                gains.append((pt.id, m, r, (runs[variants[pt.id, m], r]["units"] - k0["units"])
                              * per_month))
    econ = pd.DataFrame(econ_rows, columns=["point", "measure", "margin", "monthly_cost",
                                            "one_off_cost"])
    econ["working_days_per_month"] = econ["point"].map(wd)
    return Robustness(ranges, names, points,
                      pd.DataFrame(gains, columns=["point", "measure", "replication", "gain"]),
                      econ.set_index(["point", "measure"]), replications, nominal_replications,
                      rank_by, seed)
