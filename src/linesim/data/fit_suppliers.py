"""Supplier reliability fitted from the ``deliveries`` records (days).

Per supplier: ``lead_time`` is due date - order date; ``on_time`` the share of deliveries
received by their due date, among those received and those still missing after their due
date at the end of the records (late); ``late_by`` the days late of late deliveries (a
delivery still missing is late by at least the days from its due date to the end of the
records: right-censored); ``complete`` the share of received deliveries with the whole
quantity; ``short_fraction`` the mean share missing of the incomplete ones.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..scenario.model import Scenario
from .fitting import MIN_RECORDS, share
from .provenance import Item, duration_item, estimate_item, kept


def supplier_items(sc: Scenario, df: pd.DataFrame, last: dt.date) -> list[Item]:
    """Lead time, on-time, lateness and completeness items for every supplier of ``sc``."""
    source = df.attrs.get("source", "deliveries")
    items: list[Item] = []
    for sup in sc.materials.suppliers:
        path = f"materials.suppliers[{sup.name}]"
        d = df[df["supplier"] == sup.name]
        got = d[d["received_date"].notna()]
        missing = d[d["received_date"].isna() & (d["due_date"] < last)]
        lead = np.array([(a - b).days for a, b in zip(d["due_date"], d["order_date"])], float)
        late_days = [(r - due).days for r, due in zip(got["received_date"], got["due_date"])
                     if r > due]
        open_days = [(last - due).days for due in missing["due_date"]]
        on_time = len(got) - len(late_days)
        items.append(duration_item(path + ".lead_time", source, lead,
                                   np.zeros(len(lead), dtype=bool), "days"))
        items.append(estimate_item(path + ".on_time", source,
                                   share(on_time, max(len(got) + len(missing), 1)), "share",
                                   "deliveries"))
        items.append(duration_item(path + ".late_by", source,
                                   np.array(late_days + open_days, float),
                                   np.array([False] * len(late_days) + [True] * len(open_days)),
                                   "days"))
        complete = int(sum(got["quantity_received"] >= got["quantity_ordered"]))
        items.append(estimate_item(path + ".complete", source, share(complete, max(len(got), 1)),
                                   "share", "deliveries"))
        short = [1 - r / o for r, o in zip(got["quantity_received"], got["quantity_ordered"])
                 if r < o]
        items.append(_short_fraction(path + ".short_fraction", source, short))
    return items


def _short_fraction(path: str, source: str, short: list[float]) -> Item:
    if len(short) < MIN_RECORDS:
        return kept(path, source, len(short), f"{len(short)} incomplete deliveries "
                    f"(fewer than {MIN_RECORDS})")
    m = float(np.mean(short))
    half = float(np.std(short, ddof=1) / np.sqrt(len(short))) * 1.96
    value = min(max(float(f"{m:.6g}"), 1e-6), 1 - 1e-6)
    return Item(path, source, value, len(short), 0, "mean", f"mean of {len(short)}",
                estimate=m, low=m - half, high=m + half, note="share missing when incomplete")
