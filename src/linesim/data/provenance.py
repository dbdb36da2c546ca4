"""Where each fitted value came from: one :class:`Item` per scenario field, and the table.

The provenance table has one row per field the fitter looked at: ``path`` (the scenario
field path), ``source`` (records file), ``records`` (finished records or events used),
``censored`` (open records used), ``family`` (distribution family, ``rate``, ``share``, or
``base`` when the base value was kept), ``parameters``, ``aic``, ``p_value`` (goodness of
fit), ``estimate`` (the mean of a distribution, the rate or the share), ``low`` and ``high``
(its 95% interval where one applies), ``base`` (the base scenario's value, a distribution's
mean) and ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pydantic import TypeAdapter

from ..scenario.distributions import Dist
from ..scenario.model import Scenario
from ..scenario.patch import get_value, scenario_data
from .fitting import MIN_RECORDS, DurationFit, Estimate, fit_durations

COLUMNS = ["path", "source", "records", "censored", "family", "parameters", "aic", "p_value",
           "estimate", "low", "high", "base", "note"]

_DIST: TypeAdapter = TypeAdapter(Dist)


def field_value(scenario: Scenario, path: str) -> float:
    """The number a scenario holds at field ``path``: a rate or share as it is, a
    distribution as its mean (minutes, or days for supplier times)."""
    v = get_value(scenario_data(scenario), path)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return float(_DIST.validate_python(v).mean)


@dataclass
class Item:
    """One fitted (or kept) scenario field."""

    path: str
    source: str
    value: Any  #: the new value of the field; None: the base value is kept
    records: int
    censored: int = 0
    family: str = "base"
    parameters: str = ""
    aic: float | None = None
    p_value: float | None = None
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    note: str = ""
    fit: DurationFit | None = None
    base: float | None = None  #: the base scenario's value (a distribution's mean)

    def row(self) -> list[Any]:
        return [self.path, self.source, self.records, self.censored, self.family,
                self.parameters, self.aic, self.p_value, self.estimate, self.low, self.high,
                self.base, self.note]


def kept(path: str, source: str, records: int, why: str) -> Item:
    """An item that keeps the base value, saying why."""
    return Item(path, source, None, records, note=f"base value kept: {why}")


def duration_item(path: str, source: str, values: np.ndarray, censored: np.ndarray,
                  unit: str = "minutes") -> Item:
    """Fit durations for ``path``; too few finished records keep the base value."""
    fit = fit_durations(values, censored)
    n_open = int(np.sum(censored))
    if fit is None:
        return kept(path, source, len(values) - n_open,
                    f"{len(values) - n_open} finished records (fewer than {MIN_RECORDS})")
    low, high = fit.mean_ci if fit.mean_ci else (None, None)
    return Item(path, source, fit.spec, fit.records, fit.censored, fit.family, fit.params,
                fit.aic, fit.p_value, fit.mean, low, high, f"mean in {unit}", fit)


def estimate_item(path: str, source: str, est: Estimate, family: str, unit: str,
                  minimum: int = MIN_RECORDS) -> Item:
    """A rate or share for ``path``; fewer than ``minimum`` trials keep the base value."""
    trials = int(est.exposure) if family == "share" else est.records
    if trials < minimum:
        return kept(path, source, trials, f"{trials} records (fewer than {minimum})")
    value = float(f"{est.value:.6g}")
    return Item(path, source, value, est.records, 0, family,
                f"{est.records} in {est.exposure:.6g} {unit}", estimate=est.value,
                low=est.low, high=est.high, note=unit)


def table(items: list[Item], base: Scenario) -> pd.DataFrame:
    """The provenance table of ``items`` (the ``base`` column from the base scenario)."""
    for it in items:
        if it.base is None:
            try:
                it.base = field_value(base, it.path)
            except (ValueError, TypeError):
                it.base = None
    return pd.DataFrame([it.row() for it in items], columns=COLUMNS)
