"""How far a ranking of countermeasures can be trusted: the uncertain parameters of a
scenario moved one at a time and jointly, every measure's gain measured again at each point.

Design (points at which the base and every measure are simulated):

- **nominal**: the base scenario as it is, with ``nominal_replications`` replications;
- **one at a time**: each parameter of the ranges file at its low and at its high end, the
  others as in the base (a tornado per measure), ``oat_replications`` each;
- **joint**: ``samples`` points of a Latin hypercube over every parameter's range
  (``scipy.stats.qmc.LatinHypercube``, seeded; a parameter with a ``mode`` maps its strata
  through the triangular distribution), ``replications`` each, for how often the ranking
  changes and which parameters drive the change.

Every point runs some of the nominal point's replications of the same seed (drawn, seeded;
the two ends of a parameter the same ones): common random numbers between a point and the
nominal. A point's gain is estimated with the nominal point on the same replications as
control variate (:mod:`linesim.experiments.controlvariate`), which removes most of the noise
of rare events that a replication shares at the point and at the nominal. Identical scenarios are
simulated once (a parameter of ``economics`` needs no new run).

Default size: 10 nominal replications, 1 at each one-at-a-time point, 2 at each of 16 joint
points. On the shipped files (16 measures, 28 ranges, 8 of them of countermeasures, the month
baseline) 1,376 runs: 9 min 58 s on 2 quiet cores.

Measures are ranked by ``rank_by``: ``net`` (monthly net value: gain x margin - running cost,
currency a month; higher is better), ``gain`` (good units a month) or ``payback`` (working
days; lower is better). The noise floor says how often the first place changes from noise
alone: the nominal point re-ranked on every subset of R of its replications.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from ..scenario.countermeasure import Countermeasure, apply
from ..scenario.load import ScenarioError
from ..scenario.model import Scenario
from ..scenario.patch import scenario_data
from ..scenario.ranges import Parameter, Ranges, parameter_change
from .compare import plant_run as _run
from .economics import working_days_per_month
from .jobs import check, run_jobs
from .ranking import NOMINAL, Point, Robustness, seed_of

RANK_BY = ("net", "gain", "payback")
MAX_RUNS = 200_000


def design(ranges: Ranges, samples: int, seed: int, nominal: int = 10, oat: int = 1,
           joint: int = 2) -> list[Point]:
    """The nominal point (replications 0..nominal-1), two one-at-a-time points per parameter
    (``oat`` replications, the same at both ends), ``samples`` joint points (``joint``
    replications each). The replications of a parameter's ends and of each joint point are
    drawn (seeded) from the nominal ones, so that different points meet different nominal
    replications: what lets the nominal point serve as control variate."""
    rng = np.random.default_rng(seed_of(seed, "robustness/replications"))

    def draw(k: int) -> tuple[int, ...]:
        return tuple(sorted(int(r) for r in rng.choice(nominal, k, replace=False)))

    pts = [Point(0, NOMINAL, None, (), tuple(range(nominal)))]
    for p in ranges.parameters:
        reps = draw(oat)
        for kind, u in (("low", 0.0), ("high", 1.0)):
            pts.append(Point(len(pts), kind, p.name, ((p.name, u),), reps))
    if samples > 0:
        lhs = qmc.LatinHypercube(d=len(ranges.parameters), seed=seed_of(seed, "robustness/lhs"))
        for row in lhs.random(samples):
            pos = tuple((p.name, _position(p, float(u))) for p, u in zip(ranges.parameters, row))
            pts.append(Point(len(pts), "joint", None, pos, draw(joint)))
    return pts


def _position(p: Parameter, u: float) -> float:
    """The position in ``p``'s range of the joint draw ``u`` in [0, 1): ``u`` itself, or its
    triangular quantile when the parameter has a ``mode`` (``scipy.stats.triang``)."""
    c = p.mode_position
    return u if c is None else float(stats.triang.ppf(u, c))


def _sim_key(sc: Scenario) -> str:
    """What the simulation depends on: the scenario without its name, text and economics."""
    data = scenario_data(sc)
    for k in ("name", "description", "economics"):
        data.pop(k, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def for_measures(ranges: Ranges, names: Sequence[str]) -> tuple[Ranges, list[str]]:
    """``ranges`` without the parameters of countermeasures none of which is in ``names``
    (nothing they move is simulated), and the names of the parameters left out."""
    keep = [p for p in ranges.parameters if not p.countermeasures
            or set(p.countermeasures) & set(names)]
    out = [p.name for p in ranges.parameters if p not in keep]
    if not keep:
        raise ScenarioError("ranges", ["no parameter applies to the base or to the "
                                       "countermeasures given"])
    return ranges.model_copy(update={"parameters": tuple(keep)}), out


def check_ranges(base: Scenario, ranges: Ranges, source: str = "ranges",
                 measures: Sequence[Countermeasure] = ()) -> None:
    """Every parameter must apply at both ends of its range and in between (a whole-number
    field needs ``integer: true``): to ``base``, or for a parameter of countermeasures, to
    the base with each of those in ``measures`` applied; one error lists every parameter that
    does not (field path and problem)."""
    problems = []
    for p in ranges.parameters:
        targets = [apply(base, [m]) for m in measures if m.name in p.countermeasures]
        for target in targets if p.countermeasures else [base]:
            for u in (0.0, 1.0, 0.437):
                try:
                    apply(target, [parameter_change({p: p.value_at(u)}, f"{p.name}")])
                except ScenarioError as exc:
                    problems += [f"parameters[{p.name}] at {p.value_at(u):g}: {q}"
                                 for q in exc.problems]
                    break
    if problems:
        raise ScenarioError(source, sorted(set(problems), key=problems.index))


def _at(sc: Scenario, by_name: dict[str, Parameter], pt: Point, measure: str | None) -> Scenario:
    """``sc`` with the point's parameters of the base (``measure`` None) or of ``measure``."""
    values = {by_name[n]: by_name[n].value_at(u) for n, u in pt.position
              if (measure in by_name[n].countermeasures if measure
                  else not by_name[n].countermeasures)}
    return apply(sc, [parameter_change(values, f"point {pt.id}")]) if values else sc


def _variants(base: Scenario, measures: list[Countermeasure], ranges: Ranges,
              points: list[Point]) -> tuple[dict, dict, pd.DataFrame]:
    """Every (point, measure or None for the base) -> its simulation key; key -> scenario;
    and each point's economics per measure."""
    by_name = {p.name: p for p in ranges.parameters}
    variants: dict[tuple[int, str | None], str] = {}
    scenarios: dict[str, Scenario] = {}
    econ = []
    for pt in points:
        b = _at(base, by_name, pt, None)
        for m in [None, *measures]:
            sc = b if m is None else _at(apply(b, [m]), by_name, pt, m.name)
            key = _sim_key(sc)
            scenarios.setdefault(key, sc)
            variants[pt.id, None if m is None else m.name] = key
            if m is not None:
                econ.append((pt.id, m.name, b.economics.margin_per_unit, m.monthly_cost,
                             m.one_off_cost))
    return variants, scenarios, pd.DataFrame(econ, columns=["point", "measure", "margin",
                                                            "monthly_cost", "one_off_cost"])


def robustness(base: Scenario, measures: Sequence[Countermeasure], ranges: Ranges,
               replications: int = 2, samples: int = 16, nominal_replications: int = 10,
               seed: int | None = None, rank_by: str = "net", workers: int | None = None,
               progress: Callable[[int], None] | None = None,
               ranges_source: str = "ranges", oat_replications: int = 1) -> Robustness:
    """Move the uncertain parameters of ``ranges`` one at a time and jointly and measure every
    countermeasure's paired gain again at each point (see the module docstring)."""
    measures = list(measures)
    names = [m.name for m in measures]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if not measures or dupes:
        raise ScenarioError("countermeasures", [f"name {d!r} is used by more than one file"
                                                for d in dupes] or ["give at least one"])
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {RANK_BY}, got {rank_by!r}")
    if not (1 <= replications <= nominal_replications
            and 1 <= oat_replications <= nominal_replications and nominal_replications >= 2):
        raise ValueError("need 1 <= replications, oat_replications <= nominal_replications "
                         "and nominal_replications >= 2")
    seed = base.seed_for(seed)
    ranges, left_out = for_measures(ranges, names)
    check_ranges(base, ranges, ranges_source, measures)
    points = design(ranges, samples, seed, nominal_replications, oat_replications, replications)
    variants, scenarios, econ = _variants(base, measures, ranges, points)
    jobs = sorted({(variants[pt.id, m], r) for pt in points for m in [None, *names]
                   for r in pt.replications})
    if len(jobs) > MAX_RUNS:
        raise ValueError(f"{len(jobs)} runs; the limit is {MAX_RUNS}")
    results = check(run_jobs(_run, [(scenarios[k], seed, r) for k, r in jobs], workers,
                             progress=(lambda: progress(1)) if progress else None), "run")
    runs = dict(zip(jobs, results))
    gains, wd = [], {}
    month = working_days_per_month(base)  # the calendar's working days a month, as compare
    for pt in points:
        for r in pt.replications:
            k0 = runs[variants[pt.id, None], r]
            wd[pt.id] = month
            for m in names:
                gains.append((pt.id, m, r, (runs[variants[pt.id, m], r]["units"] - k0["units"])
                              * month / k0["working_days"]))
    econ["working_days_per_month"] = econ["point"].map(wd)
    return Robustness(ranges, names, points,
                      pd.DataFrame(gains, columns=["point", "measure", "replication", "gain"]),
                      econ.set_index(["point", "measure"]), replications, nominal_replications,
                      rank_by, seed, oat_replications, tuple(left_out))
