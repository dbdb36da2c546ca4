"""Where the bottlenecks are: active-period shares over replications, and capacity
sensitivity.

*Active period* (:mod:`linesim.results.bottlenecks`): replications 0..R-1 are simulated with
their event logs and every shift of every line is analysed; the summary pools the shifts of
every replication (:func:`diagnose`, which also gives the mean loss waterfall).

*Capacity sensitivity*: for every station of every line, the paired gain in good units
from giving that station 10% more capacity (every cycle-time distribution of the station,
per-product ones included, scaled by 1/1.1: the whole distribution, so its spread too),
against the unchanged scenario on common random numbers (replication r of every variant
uses the streams of (seed, r)). Gains are plant good units over the measured period and
per month (the calendar's working days per month, see
:mod:`linesim.experiments.economics`), with t-intervals; the station with the largest gain
is where capacity pays most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..results.bottlenecks import bottleneck_summary, bottlenecks, shift_bottleneck
from ..results.run_result import simulate
from ..results.stats import t_interval
from ..scenario.model import Scenario
from .compare import plant_run
from .economics import working_days_per_month
from .jobs import run_jobs, check


def scaled(dist, factor: float):
    """The distribution ``dist`` with every duration multiplied by ``factor``."""
    data = dist.model_dump(by_alias=True)
    for key in ("value", "mean", "spread"):
        if key in data:
            data[key] *= factor
    if "samples" in data:
        data["samples"] = [x * factor for x in data["samples"]]
    return type(dist).model_validate(data)


def with_capacity(scenario: Scenario, line: str, station: str, factor: float) -> Scenario:
    """``scenario`` with ``station`` of ``line`` ``factor`` times as fast (every cycle time
    divided by ``factor``)."""
    lines = []
    for ln in scenario.lines:
        if ln.name == line:
            stations = tuple(
                st.model_copy(update={
                    "cycle_time": scaled(st.cycle_time, 1 / factor),
                    "cycle_times": type(st.cycle_times)(
                        {k: scaled(v, 1 / factor) for k, v in st.cycle_times.items()})})
                if st.name == station else st for st in ln.stations)
            ln = ln.model_copy(update={"stations": stations})
        lines.append(ln)
    return scenario.model_copy(update={"lines": tuple(lines)})


def _run_all(fn, args, workers, progress) -> list:
    tick = (lambda: progress(1)) if progress else None
    return check(run_jobs(fn, args, workers, progress=tick), "run")


def capacity_sensitivity(scenario: Scenario, replications: int = 3, seed: int | None = None,
                         factor: float = 1.1, workers: int | None = None,
                         progress: Callable[[int], None] | None = None,
                         level: float = 0.95) -> pd.DataFrame:
    """One row per (line, station): ``gain, gain_low, gain_high`` (plant good units over the
    measured period, mean and ``level`` t-interval of the paired differences),
    ``gain_month`` (the same per month), ``rank`` (1 = largest gain). See the module."""
    if not 2 <= replications <= 1000:
        raise ValueError(f"replications must be between 2 and 1000, got {replications}")
    if not 1 < factor <= 10:
        raise ValueError(f"factor must be above 1 and at most 10, got {factor}")
    seed = scenario.seed_for(seed)
    keys = [(ln.name, st.name) for ln in scenario.lines for st in ln.stations]
    variants = [scenario] + [with_capacity(scenario, ln, st, factor) for ln, st in keys]
    args = [(sc, seed, r) for sc in variants for r in range(replications)]
    kpis = _run_all(plant_run, args, workers, progress)
    units = [[k["units"] for k in kpis[i * replications:(i + 1) * replications]]
             for i in range(len(variants))]
    per_month = working_days_per_month(scenario) / kpis[0]["working_days"]
    rows = []
    for i, (ln, st) in enumerate(keys, start=1):
        diffs = [a - b for a, b in zip(units[i], units[0])]
        m, lo, hi = t_interval(diffs, level)
        rows.append((ln, st, m, lo, hi, m * per_month))
    df = pd.DataFrame(rows, columns=["line", "station", "gain", "gain_low", "gain_high",
                                     "gain_month"])
    df["rank"] = df["gain"].rank(method="min", ascending=False).astype(int)
    return df.sort_values(["rank", "line"], ignore_index=True)


def _diagnose_one(args: tuple[Scenario, int, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    scenario, seed, rep = args
    run = simulate(scenario, seed, rep, event_log=True)
    return bottlenecks(run).assign(replication=rep), run.waterfall


@dataclass
class Diagnosis:
    """Where a scenario loses capacity and which stations hold it back: the per-shift
    active-period table (with ``replication``), its summary per line and station, the mean
    loss waterfall, and (if asked for) the capacity sensitivity table."""

    scenario: Scenario
    seed: int
    replications: int
    table: pd.DataFrame
    summary: pd.DataFrame
    waterfall: pd.DataFrame
    sensitivity: pd.DataFrame | None = None

    def to_dict(self) -> dict:
        """The JSON shape of ``linesim bottlenecks --json``."""
        from .portfolio import json_rows

        return {"scenario": self.scenario.name, "seed": self.seed,
                "replications": self.replications, "method": "active period (Roser 2002)",
                "bottlenecks": json_rows(self.summary),
                "by_shift": json_rows(shift_bottleneck(self.table).astype({"date": str})),
                "sensitivity": None if self.sensitivity is None else json_rows(self.sensitivity)}


def diagnose(scenario: Scenario, replications: int = 3, seed: int | None = None,
             workers: int | None = None, sensitivity: bool = False, factor: float = 1.1,
             progress: Callable[[int], None] | None = None) -> Diagnosis:
    """Active-period analysis of replications 0..R-1 (every shift of every line; the
    summary pools the shifts of every replication) and their mean loss waterfall; with
    ``sensitivity``, also :func:`capacity_sensitivity` on the same replications."""
    if not 1 <= replications <= 1000:
        raise ValueError(f"replications must be between 1 and 1000, got {replications}")
    seed = scenario.seed_for(seed)
    args = [(scenario, seed, r) for r in range(replications)]
    done = _run_all(_diagnose_one, args, workers, progress)
    table = pd.concat([t for t, _ in done], ignore_index=True)
    pooled = table.assign(day=table["replication"] * 100_000 + table["day"])
    wf = pd.concat([w for _, w in done])
    keys = ["line", "step", "kind", "station", "via", "category"]
    mean_wf = wf.groupby(keys, sort=False, as_index=False)["units"].sum()
    mean_wf["units"] /= replications
    sens = (capacity_sensitivity(scenario, max(2, replications), seed, factor, workers, progress)
            if sensitivity else None)
    return Diagnosis(scenario, seed, replications, table, bottleneck_summary(pooled), mean_wf,
                     sens)
