"""Independent replications of one scenario, and their confidence intervals.

Replication ``r`` of seed ``s`` uses the random streams of (s, r), so the results do not
depend on how many worker processes run them or in what order.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor
from functools import cached_property

import pandas as pd

from ..engine import RunRecord, simulate_record
from ..results.kpis import KPI_NAMES, escalation_counts
from ..results.run_result import RunResult
from ..results.stats import t_interval
from ..scenario.model import Scenario
from .jobs import check, run_jobs

MAX_REPLICATIONS = 10_000


class Replications:
    """The runs of one scenario over replications 0..n-1 of one seed."""

    def __init__(self, scenario: Scenario, seed: int, records: list[RunRecord], level: float = 0.95):
        self.scenario = scenario
        self.seed = seed
        self.runs = [RunResult(r) for r in records]
        self.level = level

    def __len__(self) -> int:
        return len(self.runs)

    @cached_property
    def kpi_table(self) -> pd.DataFrame:
        """One row per replication, one column per plant KPI."""
        df = pd.DataFrame([r.kpis for r in self.runs], columns=list(KPI_NAMES))
        df.index.name = "replication"
        return df

    @cached_property
    def line_table(self) -> pd.DataFrame:
        """One row per replication and line, one column per KPI."""
        frames = [r.line_kpis.reset_index().assign(replication=i) for i, r in enumerate(self.runs)]
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def loss_table(self) -> pd.DataFrame:
        """One row per replication, one column per loss cause (plant lost units)."""
        df = pd.DataFrame([r.losses for r in self.runs]).fillna(0.0)  # absent cause: 0 lost
        df.index.name = "replication"
        return df

    def _summarise(self, table: pd.DataFrame) -> pd.DataFrame:
        rows = {}
        for col in table.columns:
            mean, lo, hi = t_interval(table[col].to_numpy(), self.level)
            rows[col] = {"mean": mean, "ci_low": lo, "ci_high": hi}
        out = pd.DataFrame.from_dict(rows, orient="index")
        out["n"] = len(table)
        return out

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Plant KPIs: index KPI name, columns ``mean, ci_low, ci_high, n``."""
        out = self._summarise(self.kpi_table)
        out.index.name = "kpi"
        return out

    @cached_property
    def line_summary(self) -> pd.DataFrame:
        """Line KPIs: index (line, kpi), columns ``mean, ci_low, ci_high, n``."""
        parts = []
        for line, group in self.line_table.groupby("line", sort=False):
            s = self._summarise(group[[k for k in KPI_NAMES if k in group]])
            s.index = pd.MultiIndex.from_product([[line], s.index], names=["line", "kpi"])
            parts.append(s)
        return pd.concat(parts)

    @cached_property
    def losses(self) -> pd.Series:
        """Mean plant lost units per cause."""
        return self.loss_table.mean()

    @cached_property
    def category_table(self) -> pd.DataFrame:
        """One row per replication, one column per 4M1E category (plant lost units)."""
        df = pd.DataFrame([r.loss_categories for r in self.runs])
        df.index.name = "replication"
        return df

    @cached_property
    def loss_categories(self) -> pd.Series:
        """Mean plant lost units per 4M1E category."""
        return self.category_table.mean()

    @cached_property
    def escalations(self) -> pd.Series:
        """Mean number of quality stoppages that reached each escalation level (1..n)."""
        n = len(self.scenario.quality.escalation.levels)
        df = pd.DataFrame([escalation_counts(r.record, n) for r in self.runs],
                          columns=range(1, n + 1))
        s = df.mean()
        s.index.name = "level"
        return s

    @cached_property
    def waterfall(self) -> pd.DataFrame:
        """Mean waterfall over replications (columns ``line, step, kind, units``)."""
        df = pd.concat([r.waterfall for r in self.runs])
        keys = ["line", "step", "kind", "station", "via", "category"]
        total = df.groupby(keys, sort=False, as_index=False)["units"].sum()
        total["units"] /= len(self.runs)  # a cause absent from a run counts as 0 there
        return total

    @cached_property
    def states(self) -> pd.DataFrame:
        """Mean station time in state over replications."""
        df = pd.concat([r.states for r in self.runs])
        return df.groupby(["line", "station", "state"], sort=False, as_index=False)[
            ["minutes", "share", "server_minutes"]].mean()

    @cached_property
    def output(self) -> pd.DataFrame:
        """Good units per line, product and day, with a ``replication`` column."""
        return pd.concat([r.output.assign(replication=i) for i, r in enumerate(self.runs)],
                         ignore_index=True)

    def to_dict(self) -> dict:
        """The JSON shape of ``linesim run --json``."""
        def ci(row: pd.Series) -> dict[str, float | None]:
            return {k: _num(row[k]) for k in ("mean", "ci_low", "ci_high")}

        lines: dict[str, dict] = {}
        for (line, kpi), row in self.line_summary.iterrows():
            lines.setdefault(line, {})[kpi] = ci(row)
        return {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "replications": len(self),
            "kpis": {k: ci(row) for k, row in self.summary.iterrows()},
            "lines": lines,
            "losses": {k: _num(v) for k, v in self.losses.items()},
            "loss_categories": {k: _num(v) for k, v in self.loss_categories.items()},
            "escalations": {str(k): _num(v) for k, v in self.escalations.items()},
        }

    def _repr_html_(self) -> str:
        return (f"<b>{len(self)} replications</b> of <code>{self.scenario.name}</code>, seed "
                f"{self.seed}" + self.summary.to_html(float_format=lambda v: f"{v:,.3f}"))


def _num(v: float) -> float | None:
    v = float(v)
    return None if v != v else v


def _one(args: tuple[Scenario, int, int]) -> RunRecord:
    scenario, seed, rep = args
    return simulate_record(scenario, seed, rep)


def run_many(jobs: Iterable[tuple[Scenario, int, int]], workers: int | None = None,
             executor: Executor | None = None, progress=None) -> list[RunRecord]:
    """Run (scenario, seed, replication) jobs, in order, on ``workers`` processes (default:
    all cores; 1 = in this process) or on ``executor``, through the one job runner
    (:mod:`linesim.experiments.jobs`). ``progress`` is called once per finished run; a run
    that raises raises :class:`~linesim.experiments.jobs.JobFailed` naming it."""
    return check(run_jobs(_one, list(jobs), workers, executor, progress=progress),
                 "replication")


def replicate(scenario: Scenario, replications: int = 20, seed: int | None = None,
              workers: int | None = 1, level: float = 0.95, progress=None) -> Replications:
    """Run replications 0..``replications``-1 of ``scenario`` with ``seed`` (default: the
    scenario's) on ``workers`` processes (None: all cores). Results are identical whatever
    the number of workers."""
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValueError(f"replications must be between 1 and {MAX_REPLICATIONS}, got {replications}")
    seed = scenario.seed_for(seed)
    records = run_many(((scenario, seed, r) for r in range(replications)), workers,
                       progress=progress)
    return Replications(scenario, seed, records, level)
