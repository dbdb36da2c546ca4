"""Absence rates fitted from the ``absences`` records (workforce fields).

``day`` records: ``workforce.absenteeism`` is the share of person-days missed (every named
operator and floater on every working day of the records' period). ``leave`` records:
``workforce.short_absence.rate_per_hour`` is the number of leaves over the hours people were
at work and not already away (working hours of the days they came, less their leaves), and
``workforce.short_absence.duration`` the leaves' lengths in minutes (end - start).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..scenario.model import Scenario
from .clock import WorkingClock
from .fitting import poisson_rate, share
from .provenance import Item, duration_item, estimate_item, kept


def _minutes(t: dt.time) -> float:
    return t.hour * 60.0 + t.minute + t.second / 60.0


def absence_items(sc: Scenario, df: pd.DataFrame, clock: WorkingClock) -> list[Item]:
    """Absenteeism, short-absence rate and duration items."""
    source = df.attrs.get("source", "absences")
    wf = sc.workforce
    if wf is None:
        return [kept("workforce", source, len(df), "the scenario has no workforce")]
    people = len(wf.operators) + len(wf.floaters)
    person_days = people * clock.working_days
    days = df[df["kind"] == "day"]
    leaves = df[df["kind"] == "leave"]
    length = np.array([_minutes(e) - _minutes(s) for s, e in zip(leaves["start"], leaves["end"])],
                      dtype=float)
    day_minutes = clock.total / max(clock.working_days, 1)
    hours = ((person_days - len(days)) * day_minutes - float(length.sum())) / 60.0
    return [
        estimate_item("workforce.absenteeism", source, share(len(days), person_days), "share",
                      "share of person-days missed"),
        estimate_item("workforce.short_absence.rate_per_hour", source,
                      poisson_rate(len(leaves), hours), "rate", "leaves per person-hour at work"),
        duration_item("workforce.short_absence.duration", source, length,
                      np.zeros(len(length), dtype=bool)),
    ]
