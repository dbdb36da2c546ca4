"""Material supply as data: parts, line-side stock, warehouse, suppliers, in-house shops.

A product's bill of materials (``products[].bom``) names the parts one unit takes and the
station that fits them. Each line keeps line-side stock of every part it uses; a station
that lacks a part waits in state ``no_material`` (the part and its source are recorded).
Every working morning the warehouse stages the day's kit (the plan's need beyond the
line-side stock) at each line, which arrives after the staging time (working minutes);
with ``prekit`` it stages the next day's kit before the shift ends instead, so that no line
waits at the start of a shift (1.2, 1.3). During the day, line-side stock that falls to
``line_side.reorder_at`` is refilled to ``line_side.max`` (kanban), again after the staging
time.

The warehouse holds *physical* and *recorded* stock; ``record_errors`` make physical stock
vanish unseen (3.3), and the buyers order from the recorded figure. Parts come from a
``supplier`` (lead time in days, on-time and complete-delivery chances; 3.2) or an in-house
``shop`` (daily capacity, lead time, defect rate; 2.1, 3.1). Ordering is either a
``reorder_point`` (order ``quantity`` when recorded stock plus open orders falls to the
point: a safety stock for cheap common parts, 3.5) or ``plan`` (every ``review_days`` order
the planned need from ``lead_days`` to ``lead_days + review_days`` ahead, less projected
stock: the monthly purchase plan, and forecast orders a month ahead for long-lead parts,
3.2 and 3.5). Parts found defective at the line (``defect_rate``) are discarded and another
is taken; a part whose daily defect share exceeds ``quality_threshold`` (1%) is recorded as
a quality abnormality (2.1).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Frozen, Name
from .distributions import Dist, Fixed


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


class Ordering(Frozen):
    """How the warehouse stock of a part is replenished."""

    policy: Literal["reorder_point", "plan"] = "reorder_point"
    reorder_point: int = Field(0, ge=0, description="reorder_point: order at or below this")
    quantity: int = Field(0, ge=0, le=10_000_000, description="reorder_point: order size")
    review_days: int = Field(7, ge=1, le=92, description="plan: days between orders")
    lead_days: int = Field(0, ge=0, le=366, description="plan: order this many days ahead")
    safety_stock: int = Field(0, ge=0, description="plan: stock to keep on top of the need")

    @model_validator(mode="after")
    def _consistent(self) -> "Ordering":
        if self.policy == "reorder_point" and self.quantity <= 0:
            raise ValueError("policy 'reorder_point' needs quantity > 0")
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
    prekit: bool = Field(False, description="stage the next day's material before shift end")
    record_errors: RecordErrors = RecordErrors()


class Materials(Frozen):
    """Everything about material supply."""

    parts: tuple[Part, ...] = Field((), max_length=2000)
    suppliers: tuple[Supplier, ...] = Field((), max_length=500)
    shops: tuple[Shop, ...] = Field((), max_length=100)
    warehouse: Warehouse = Warehouse()
    replan_on_shortage: bool = Field(
        False, description="replanning (3.4): re-sequence plan items away from parts of "
        "purchase orders known to be late (see planning.late_notice_days)")
    backup_after_minutes: float = Field(
        30.0, ge=0, le=100_000, description="working minutes a station waits for a part "
        "before its line changes over to a backup product (if it has one)")
    quality_threshold: float = Field(0.01, ge=0, le=1, description="incoming defect share "
                                     "of a part per day above which it is recorded (2.1)")
