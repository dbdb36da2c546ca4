"""The back-test: simulate the records' period and compare daily good units with history.

The scenario's horizon is set to the days of the ``output`` records and simulated over
``replications``; for each line and working day the simulated daily good units give a
distribution-free 95% *prediction* band from order statistics (the k-th smallest and
largest of R replications with k = floor(0.025 (R + 1)), at least 1: it covers a new day
with probability (R + 1 - 2k) / (R + 1), 95% from R = 39, about 90% with R = 20). Per line:
the mean error (history - simulated mean, units a day, and as a share of the simulated
mean), the share of days inside the band, and whether that share reaches ``PASS_SHARE``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..experiments.replicate import replicate
from ..scenario.model import Scenario
from ..records.check import check_records, check_rows, dates_rule, records_period
from .clock import period_scenario
from ..records.errors import RecordsError

#: share of days inside the band at which a line passes
PASS_SHARE = 0.90


@dataclass
class Backtest:
    """``daily``: line, date, history, mean, low, high, inside; ``lines``: line, days,
    mean_error, relative_error, inside_share, passed."""

    daily: pd.DataFrame
    lines: pd.DataFrame
    replications: int

    @property
    def coverage(self) -> float:
        """Chance that a day of a correct scenario falls inside the band."""
        k = band_index(self.replications)
        return (self.replications + 1 - 2 * k) / (self.replications + 1)

    @property
    def passed(self) -> bool:
        return bool(self.lines["passed"].all())


def band_index(replications: int) -> int:
    """k of the order-statistics band: the k-th smallest and largest replication."""
    return max(1, int(np.floor(0.025 * (replications + 1))))


def _history(output: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    problems = check_rows(output, [dates_rule(sc, "date", None, True)])
    if problems:
        raise RecordsError(problems)
    h = output.assign(good_units=output["good_units"].astype(int))
    return h.groupby(["line", "date"], as_index=False)["good_units"].sum()


def backtest(sc: Scenario, output: pd.DataFrame, replications: int = 39,
             seed: int | None = None, workers: int | None = 1) -> Backtest:
    """Back-test ``sc`` against the ``output`` records table."""
    check_records({"output": output}, sc)
    first, last = records_period({"output": output})
    period = period_scenario(sc, first, last)
    history = _history(output, period)
    reps = replicate(period, replications, seed=seed, workers=workers)
    sims = pd.concat([r.output.assign(rep=i) for i, r in enumerate(reps.runs)])
    per_day = sims.groupby(["line", "date", "rep"])["good_units"].sum().unstack("rep")
    k = band_index(replications)
    ordered = np.sort(per_day.to_numpy(dtype=float), axis=1)
    band = pd.DataFrame({"mean": ordered.mean(axis=1), "low": ordered[:, k - 1],
                         "high": ordered[:, -k]}, index=per_day.index).reset_index()
    daily = history.rename(columns={"good_units": "history"}).merge(
        band, on=["line", "date"], how="left")
    daily["inside"] = (daily["history"] >= daily["low"]) & (daily["history"] <= daily["high"])
    rows = []
    for line, d in daily.groupby("line"):
        err = float((d["history"] - d["mean"]).mean())
        share = float(d["inside"].mean())
        rows.append((line, len(d), err, err / float(d["mean"].mean()), share, share >= PASS_SHARE))
    lines = pd.DataFrame(rows, columns=["line", "days", "mean_error", "relative_error",
                                        "inside_share", "passed"])
    return Backtest(daily, lines, replications)
