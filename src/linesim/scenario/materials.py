"""Material supply as data: parts, line-side stock, warehouse, suppliers, in-house shops.

A product's bill of materials (``products[].bom``) names the parts one unit takes and the
station that fits them. Each line keeps line-side stock of every part it uses; a station
that lacks a part waits in state ``no_material`` (the part and its source are recorded).
Warehouse people (``warehouse.pickers``; each staging takes one for the staging time, in
working minutes) stage, every working morning, the day's kit at each line (the plan's need
up to the line-side space ``max``); with ``prekit`` they start the next day's kit
``prekit_minutes`` before the shift ends and hand it over as the next shift starts, so a
line waits at the start of a shift only when its kit is late (1.2, 1.3). During the day,
line-side stock that falls to ``line_side.reorder_at`` is refilled to ``line_side.max``
(kanban), independently of the kits.

The warehouse holds *physical* and *recorded* stock; ``record_errors`` make physical stock
vanish unseen (3.3), and the buyers order from the recorded figure. Parts come from a
``supplier`` (lead time in days, on-time and complete-delivery chances, a follow-up that
chases missing quantities; 3.2) or an in-house ``shop`` (daily capacity, lead time, defect
rate; 2.1, 3.1). Ordering policies (:mod:`linesim.scenario.ordering`): reorder point with a
quantity or an order-up-to level, periodic review, or from the plan a stated horizon ahead
(the monthly purchase plan, and forecasts a month ahead for long-lead parts; 3.2, 3.5), with
a safety stock given or computed. ``open_orders`` are the starting state's pipeline, each due
on its date. A part found defective at the line (``defect_rate``) costs the
station ``defect_minutes`` and another is taken; a part whose daily defect share exceeds
``quality_threshold`` (1%) is recorded as a quality abnormality, and quality stoppages of
``origin: incoming part`` with ``per_defective`` follow its defect process (2.1).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Frozen, Name
from .distributions import Dist, Fixed
from .ordering import OpenOrder, Ordering, SafetyStock

__all__ = ["LineSide", "Materials", "OpenOrder", "Ordering", "Part", "RecordErrors",
           "SafetyStock", "Shop", "Supplier", "Warehouse"]


class LineSide(Frozen):
    """Kanban at the line: refill up to ``max`` when stock falls to ``reorder_at``."""

    max: int = Field(ge=1, le=10_000_000, description="units of the part at most")
    reorder_at: int = Field(ge=0, le=10_000_000, description="refill when stock <= this")
    initial: int | None = Field(None, ge=0, description="stock at the start; default max")

    @model_validator(mode="after")
    def _order(self) -> "LineSide":
        if self.reorder_at >= self.max:
            raise ValueError(f"reorder_at ({self.reorder_at}) must be < max ({self.max})")
        return self


class Part(Frozen):
    """A part: where it comes from, its stock and how it is ordered."""

    name: Name
    source: Name | None = Field(None, description="supplier or shop name; none: never short")
    kind: Literal["purchased", "in_house", "standard"] = "purchased"
    defect_rate: float | None = Field(
        None, ge=0, lt=1, description="share found defective at the line; default: the shop's")
    stock: int = Field(0, ge=0, le=100_000_000, description="warehouse stock on record at the start")
    physical: int | None = Field(
        None, ge=0, le=100_000_000, description="warehouse stock really there; default: stock")
    line_side: LineSide = LineSide(max=100, reorder_at=30)
    ordering: Ordering = Ordering(policy="plan")
    defect_minutes: float = Field(
        0.0, ge=0, le=600, description="working minutes a station spends on each defective "
        "part it finds (set it aside, fetch and fit another); charged to waiting for the part")


class Supplier(Frozen):
    """A supplier: lead time (days), chance to deliver on time and complete."""

    name: Name
    lead_time: Dist = Field(description="days from order to due date")
    on_time: float = Field(1.0, ge=0, le=1, description="chance a delivery arrives when due")
    late_by: Dist = Field(Fixed(value=2.0), description="days late when late")
    complete: float = Field(1.0, ge=0, le=1, description="chance a delivery is complete")
    short_fraction: float = Field(0.5, gt=0, lt=1, description="share missing when incomplete")
    follow_up_days: float | None = Field(
        None, ge=0, le=60,
        description="a missing share is chased and arrives this many days later; none: lost")


class Shop(Frozen):
    """An in-house parts shop: daily capacity, lead time (days) and defect rate."""

    name: Name
    capacity_per_day: int = Field(ge=1, le=10_000_000, description="parts a working day")
    lead_time: Dist = Field(Fixed(value=1.0), description="days from finishing to the warehouse")
    defect_rate: float = Field(0.0, ge=0, lt=1, description="share of defective parts")


class RecordErrors(Frozen):
    """Physical stock that vanishes without the record knowing (per part, per day)."""

    rate_per_day: float = Field(0.0, ge=0, le=1, description="chance of a loss each day")
    size: Dist = Field(Fixed(value=10.0), description="units lost when it happens")


class Warehouse(Frozen):
    """Staging of line-side refills, pre-kitting and stock records."""

    staging_time: Dist = Field(Fixed(value=60.0), description="working minutes to stage a refill")
    pickers: int | None = Field(
        None, ge=1, le=1000, description="warehouse people staging at the same time (each "
        "refill, kit or pre-kit takes one for its staging time); none: as many as needed")
    prekit: bool = Field(False, description="stage the next day's material before shift end")
    prekit_minutes: float = Field(
        60.0, ge=0, le=1440, description="working minutes before the shift ends at which "
        "the pickers start the next day's pre-kit")
    record_errors: RecordErrors = RecordErrors()


class Materials(Frozen):
    """Everything about material supply."""

    parts: tuple[Part, ...] = Field((), max_length=2000)
    suppliers: tuple[Supplier, ...] = Field((), max_length=500)
    shops: tuple[Shop, ...] = Field((), max_length=100)
    warehouse: Warehouse = Warehouse()
    open_orders: tuple[OpenOrder, ...] = Field(
        (), max_length=5000, description="orders open at the start (the starting state's "
        "pipeline), each due on its date")
    replan_on_shortage: bool = Field(
        False, description="replanning (3.4): re-sequence plan items away from parts of "
        "purchase orders known to be late (see planning.late_notice_days)")
    backup_after_minutes: float = Field(
        30.0, ge=0, le=100_000, description="working minutes a station waits for a part "
        "before its line changes over to a backup product (if it has one)")
    quality_threshold: float = Field(0.01, ge=0, le=1, description="incoming defect share "
                                     "of a part per day above which it is recorded (2.1)")
