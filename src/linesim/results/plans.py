"""Plan tables of one run: attainment and backlog per product, the replans (3.4) and the
backup decisions (1.1, 2.3).

Attainment counts what the plant made of each product against that product's own demand
(all lines' planned units of it over the measured days): a backup's output counts against
its product's demand, not against the product it stood in for, and output beyond a
product's demand does not make up for another's backlog.
"""

from __future__ import annotations

import pandas as pd

from ..engine import RunRecord


def product_totals(record: RunRecord) -> dict[str, tuple[int, int]]:
    """{product: (planned units, good units)} over the measured period, all lines."""
    out: dict[str, list[int]] = {}
    for ln in record.lines:
        for (p, _d), n in ln.planned.items():
            out.setdefault(p, [0, 0])[0] += n
        for (p, _d), n in ln.daily.items():
            out.setdefault(p, [0, 0])[1] += n
    return {p: (v[0], v[1]) for p, v in sorted(out.items())}


def backlog(record: RunRecord) -> float:
    """Planned units not made, summed over products (each at least 0)."""
    return float(sum(max(plan - good, 0) for plan, good in product_totals(record).values()))


def plan_attainment_table(record: RunRecord) -> pd.DataFrame:
    """One row per product: ``product, planned, good, attainment`` (good / planned),
    ``backlog`` (planned less good, at least 0) and ``met`` (good, at most planned)."""
    rows = [(p, plan, good, good / plan if plan else float("nan"), max(plan - good, 0),
             min(good, plan)) for p, (plan, good) in product_totals(record).items()]
    return pd.DataFrame(rows, columns=["product", "planned", "good", "attainment", "backlog",
                                       "met"])


def replan_table(record: RunRecord) -> pd.DataFrame:
    """One row per replan: ``time`` (minute), ``line``, ``before`` and ``after`` (the order
    of the day's items not yet finished, 'A > B'), ``why``."""
    return pd.DataFrame(record.replans, columns=["time", "line", "before", "after", "why"])


def decision_table(record: RunRecord) -> pd.DataFrame:
    """One row per backup decision: ``time`` (minute), ``line``, ``product`` (stopped),
    ``cause`` ('quality: SOURCE' or 'shortage: PART'), ``choice`` (a backup or 'idle'),
    ``why`` (why each earlier backup was refused)."""
    return pd.DataFrame(record.decisions,
                        columns=["time", "line", "product", "cause", "choice", "why"])
