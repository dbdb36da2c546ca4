"""Plant-wide planning rules as data: carry-over of unmet quantity and how planning hears
of late purchase orders (the seed's 3.4). The line plans themselves are
:class:`~linesim.scenario.model.LinePlan` (``plan:`` per line name).

Units: days for notice times.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Frozen


class Planning(Frozen):
    """How daily line plans are carried out from day to day.

    ``carry_over``: what becomes of a plan item's quantity not started by the end of its
    day (and of replacements for units scrapped after it). ``drop`` (default, the meaning
    of earlier versions): it is forgotten. ``next_day``: it is added to the line's next
    working day's first item of the same product or, when that day has none, goes first
    (one item a product, in the order they were left). Backup items never carry over.

    ``late_notice_days``: with replanning on (``materials.replan_on_shortage``), purchasing
    tells planning of a purchase order that will be late this many days before its due date
    (never before the order is placed); ``null``: planning learns only when the due date
    passes without the delivery. Planning then re-sequences today's and the following days'
    plan items until the order arrives (see :mod:`linesim.engine.replan`).
    """

    carry_over: Literal["drop", "next_day"] = Field(
        "drop", description=("unmet plan quantity: dropped, or added to the next working "
                             "day's item of its product (first if it has none)"))
    late_notice_days: float | None = Field(
        None, ge=0, le=365,
        description=("days before a late purchase order's due date that purchasing tells "
                     "planning; null: when the due date passes"))
