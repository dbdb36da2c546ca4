"""First-pass yield and batches that need rework (the seed's measure 2.4).

- A station's **first-pass yield** is the share of the units it processed (first pass)
  that passed without rework or scrap: ``1 - (reworked + scrapped) / processed``.
- A line's first-pass yield is the product of its stations' (the rolled first-pass yield:
  the chance that a unit passes every station first time; stations that processed nothing
  count as 1). The plant's is the lines' weighted by the units finished at their last
  station.
- A **batch** is a line's working day (:mod:`linesim.engine.batches`); its failure share is
  the first-pass failures at the line's stations over the units finished at its last
  station. A batch *needs rework* when the share passes ``quality.batch_threshold`` (the
  seed's 1%) or, finishing nothing, it has any failure.
"""

from __future__ import annotations

import math

import pandas as pd

from ..engine import RunRecord
from ..engine.recorder import LineRecord, StationRecord


def station_fpy(st: StationRecord) -> float:
    """First-pass yield of one station (NaN if it processed nothing)."""
    if st.processed <= 0:
        return math.nan
    return 1.0 - (st.reworked + st.scrapped) / st.processed


def line_fpy(line: LineRecord) -> float:
    """Rolled first-pass yield of a line: product over its stations."""
    out = 1.0
    for st in line.stations:
        y = station_fpy(st)
        if not math.isnan(y):
            out *= y
    return out


def batch_needs_rework(finished: int, failures: int, threshold: float) -> bool:
    """Whether a batch passes the threshold (see the module docstring)."""
    if finished <= 0:
        return failures > 0
    return failures / finished > threshold


def rework_batches(record: RunRecord) -> dict[str, int]:
    """{line: batches (working days) that need rework}."""
    thr = record.scenario.quality.batch_threshold
    out = {ln.name: 0 for ln in record.lines}
    for line, _day, finished, failures in record.batches:
        if batch_needs_rework(finished, failures, thr):
            out[line] += 1
    return out


def fpy_table(record: RunRecord) -> pd.DataFrame:
    """One row per station: ``line, station, processed, reworked, scrapped, fpy``."""
    rows = [(ln.name, st.name, st.processed, st.reworked, st.scrapped, station_fpy(st))
            for ln in record.lines for st in ln.stations]
    return pd.DataFrame(rows, columns=["line", "station", "processed", "reworked",
                                       "scrapped", "fpy"])


def batch_table(record: RunRecord) -> pd.DataFrame:
    """One row per line and working day: ``line, day, finished, failures, share,
    needs_rework``."""
    thr = record.scenario.quality.batch_threshold
    df = pd.DataFrame(record.batches, columns=["line", "day", "finished", "failures"])
    df["share"] = df["failures"] / df["finished"].where(df["finished"] > 0)
    df["needs_rework"] = [batch_needs_rework(f, b, thr)
                          for f, b in zip(df["finished"], df["failures"])]
    return df
