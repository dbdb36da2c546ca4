"""A scenario's daily plan from a ``plan`` records table (CSV or Excel).

Each row is one item of one line's plan on one date, in the order the line makes them; a
line's ``backups`` (products it may change over to, in order) must be the same on every row
that gives them. The table replaces the whole plan: a line has a plan on the dates it has
rows for and none on the other days. A date that is not a working day of the scenario's
calendar, or outside its horizon, is an error naming the row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..scenario.model import Scenario
from .check import check_rows, dates_rule, line_product_rule, scenario_names
from .errors import RecordsError


def _backups(df: pd.DataFrame, line: str) -> tuple[list[str], list[str]]:
    """The line's backup list and the problems of rows that disagree with it."""
    source = df.attrs.get("source", "plan")
    rows = df[(df["line"] == line) & df["backups"].map(bool)]
    if rows.empty:
        return [], []
    first = rows.iloc[0]
    problems = [f"{source}, row {r['row']}, column backups: {';'.join(r['backups'])!r} differs "
                f"from row {first['row']} ({';'.join(first['backups'])!r}); a line has one "
                "backup list" for _, r in rows.iterrows() if r["backups"] != first["backups"]]
    return list(first["backups"]), problems


def plan_data(df: pd.DataFrame, sc: Scenario) -> dict[str, Any]:
    """The ``plan`` field of ``sc`` rebuilt from the plan table ``df`` (plain data).

    Raises :class:`RecordsError` naming every bad row (file, row, column)."""
    start = sc.horizon.start
    horizon = (start, start + dt.timedelta(days=sc.horizon.days - 1))
    problems = check_rows(df, [line_product_rule(scenario_names(sc)), dates_rule(sc, "date", horizon, True)])
    plan: dict[str, Any] = {}
    for ln in sc.lines:
        backups, bad = _backups(df, ln.name)
        problems += bad
        dates: dict[str, list[dict[str, Any]]] = {}
        for _, r in df[df["line"] == ln.name].iterrows():
            dates.setdefault(r["date"].isoformat(), []).append(
                {"product": r["product"], "quantity": int(r["quantity"])})
        plan[ln.name] = {"daily": [], "backups": backups, "dates": dates}
    if problems:
        raise RecordsError(problems)
    return plan
