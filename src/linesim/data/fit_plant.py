"""``fit_scenario(base, tables)``: a base scenario with every value the records can tell
replaced by a fitted one, and the provenance of each.

What is fitted (see the modules for how): failure modes' times to failure (on each mode's
own clock) and to repair, quality stoppage rates and resolution times (``fit_stops``),
absence rates and leave durations (``fit_absences``), supplier lead times, on-time and
complete shares and lateness (``fit_suppliers``). Fields with too few records keep the base
value, with a warning. The records' period (first to last day of the output records, else
of the stoppages and absences) and the base calendar give the clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd
import yaml

from ..scenario.model import Scenario
from ..scenario.patch import scenario_data, with_values
from ..records.check import check_in_period, check_records, records_period
from .clock import WorkingClock, period_scenario
from .fit_absences import absence_items
from .fit_stops import StopTimes, failure_items, quality_items
from .fit_suppliers import supplier_items
from .provenance import Item, table


@dataclass
class FitOutcome:
    """The fitted scenario, its provenance table, warnings and the items (with fits)."""

    scenario: Scenario
    provenance: pd.DataFrame
    warnings: list[str]
    items: list[Item]


def fit_items(base: Scenario, tables: dict[str, pd.DataFrame]) -> list[Item]:
    """Every provenance item the records give for ``base`` (records checked first)."""
    check_records(tables, base)
    first, last = records_period(tables)
    check_in_period(tables, first, last)
    clock = WorkingClock(period_scenario(base, first, last))
    items: list[Item] = []
    if "stoppages" in tables:
        times = StopTimes(tables["stoppages"], clock, first)
        items += failure_items(base, times) + quality_items(base, times)
    if "absences" in tables:
        items += absence_items(base, tables["absences"], clock)
    if "deliveries" in tables:
        items += supplier_items(base, tables["deliveries"], last)
    return items


def fit_scenario(base: Scenario, tables: dict[str, pd.DataFrame]) -> FitOutcome:
    """Fit ``base`` to the record ``tables`` (from :func:`linesim.data.read_folder`)."""
    items = fit_items(base, tables)
    values = {it.path: it.value for it in items if it.value is not None}
    fitted = with_values(base, values, "<fitted values>")
    if not fitted.description.startswith("Fitted"):
        fitted = with_values(fitted, {"description": (
            f"Fitted from plant records ({len(values)} values). " + base.description)[:5000]})
    warnings = [f"{it.path}: {it.note}" for it in items if it.value is None]
    return FitOutcome(fitted, table(items, base), warnings, items)


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that loads back to an equal scenario."""
    return yaml.safe_dump(scenario_data(scenario), sort_keys=False, allow_unicode=True,
                          width=100)


def write_provenance(df: pd.DataFrame, f: IO[str]) -> None:
    """Write the provenance table as CSV to ``f``."""
    df.to_csv(f, index=False, float_format="%.6g")


def provenance_path(scenario_path: str | Path) -> Path:
    """Where the provenance table of a fitted scenario goes: beside it,
    ``NAME.provenance.csv``."""
    p = Path(scenario_path)
    return p.with_name(p.stem + ".provenance.csv")
