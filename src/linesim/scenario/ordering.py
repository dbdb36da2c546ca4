"""How the warehouse orders a part, and the orders already open at the start (as data).

Policies (``Ordering.policy``), as materials planners mean them; quantities in parts, times
in days:

- ``reorder_point`` (continuous review, checked every working morning): when the *recorded*
  stock plus open orders (the inventory position) is at or below the reorder point, order
  ``quantity`` (s, Q) or up to ``order_up_to`` (s, S). The reorder point is given, or, with
  ``safety``, computed as the demand over the lead time plus the safety stock
  (:func:`safety_stock`).
- ``periodic`` (periodic review, R, S): every ``review_days`` working days, order up to
  ``order_up_to`` (or up to the computed reorder point plus ``quantity``).
- ``plan`` (ordering from the plan, a forecast ``lead_days`` ahead): every ``review_days``
  working days, order the planned need (the production plan's quantities and product mix)
  from ``lead_days`` to ``lead_days + review_days`` ahead, plus the safety stock, less the
  projected stock. This is the monthly purchase plan of 3.2 and the forecast one month ahead
  for long-lead parts of 3.5.

:class:`OpenOrder` is the starting state's pipeline: an order placed before the horizon,
due on a date (00:00). A supplier's open order bears the supplier's on-time and complete
chances like any order (when on time it arrives on its due date); a shop's arrives on its
date. An open order of an in-house part without a due date waits in its shop's queue (shop
work in progress not yet started).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import Field, model_validator

from .base import Frozen, Name


def safety_stock(z: float, demand: float, demand_sd: float, lead: float,
                 lead_sd: float) -> float:
    """Safety stock SS = z * sqrt(sigma_D^2 * L + D^2 * sigma_L^2) (parts).

    ``demand``: mean demand D per day; ``demand_sd``: its standard deviation sigma_D per
    day; ``lead``: mean lead time L (days); ``lead_sd``: its standard deviation sigma_L
    (days); ``z``: the service factor (1.65 for 95% cycle service, 2.33 for 99%)."""
    return z * math.sqrt(demand_sd ** 2 * lead + demand ** 2 * lead_sd ** 2)


class SafetyStock(Frozen):
    """The figures a safety stock is computed from (:func:`safety_stock`)."""

    z: float = Field(ge=0, le=5, description="service factor (1.65: 95%, 2.33: 99%)")
    demand: float = Field(ge=0, le=10_000_000, description="mean demand D, parts a day")
    demand_sd: float = Field(0.0, ge=0, le=10_000_000,
                             description="standard deviation of daily demand, parts")
    lead: float = Field(ge=0, le=366, description="mean lead time L, days")
    lead_sd: float = Field(0.0, ge=0, le=366, description="standard deviation of L, days")

    @property
    def value(self) -> int:
        """The safety stock, parts (rounded up)."""
        return math.ceil(safety_stock(self.z, self.demand, self.demand_sd, self.lead,
                                      self.lead_sd))

    @property
    def reorder_point(self) -> int:
        """Demand over the lead time plus the safety stock, parts (rounded up)."""
        return math.ceil(self.demand * self.lead) + self.value


class Ordering(Frozen):
    """How the warehouse stock of a part is replenished: a reorder point with an order
    quantity or an order-up-to level (continuous review), periodic review up to a level, or
    orders from the production plan a stated horizon ahead; the safety stock given or
    computed (SS = z sqrt(sigma_D^2 L + D^2 sigma_L^2))."""

    policy: Literal["reorder_point", "periodic", "plan"] = "reorder_point"
    reorder_point: int = Field(0, ge=0, description="reorder_point: order at or below this "
                               "inventory position (recorded stock + open orders)")
    quantity: int = Field(0, ge=0, le=10_000_000, description="reorder_point: order size; "
                          "periodic: order up to the reorder point plus this")
    order_up_to: int | None = Field(
        None, ge=1, le=100_000_000, description="reorder_point, periodic: order up to this "
        "inventory position instead of a fixed quantity")
    review_days: int = Field(7, ge=1, le=92,
                             description="plan, periodic: working days between orders")
    lead_days: int = Field(0, ge=0, le=366,
                           description="plan: order this many calendar days ahead (the "
                           "forecast horizon)")
    safety_stock: int = Field(0, ge=0, description="plan: stock to keep on top of the need "
                              "(parts); replaced by the computed one when safety is given")
    safety: SafetyStock | None = Field(
        None, description="compute the safety stock (and the reorder point of reorder_point "
        "and periodic: demand over the lead time plus it) from these figures")
    owner: str = Field("", max_length=100, description="who places and follows the orders "
                       "(3.2); recorded on every order")

    @model_validator(mode="after")
    def _consistent(self) -> "Ordering":
        if self.policy in ("reorder_point", "periodic") and self.quantity <= 0 \
                and self.order_up_to is None:
            raise ValueError(f"policy {self.policy!r} needs quantity > 0 or order_up_to")
        if self.order_up_to is not None and self.order_up_to <= self.point:
            raise ValueError(f"order_up_to ({self.order_up_to}) must be above the reorder "
                             f"point ({self.point})")
        return self

    @property
    def point(self) -> int:
        """The reorder point in use: computed from ``safety`` if given, else the field."""
        return self.safety.reorder_point if self.safety is not None else self.reorder_point

    @property
    def buffer(self) -> int:
        """The safety stock in use (plan policy): computed if ``safety`` is given."""
        return self.safety.value if self.safety is not None else self.safety_stock

    def amount(self, position: int) -> int:
        """Parts to order at inventory position ``position`` (reorder_point, periodic)."""
        if self.order_up_to is not None:
            return self.order_up_to - position
        if self.policy == "periodic":
            return self.point + self.quantity - position
        return self.quantity


class OpenOrder(Frozen):
    """An order placed before the horizon starts: the starting state's pipeline."""

    part: Name
    quantity: int = Field(ge=1, le=100_000_000, description="parts ordered")
    due: dt.date | None = Field(
        None, description="date it is due (00:00; a supplier's order may be late or "
        "incomplete like any other); none: an in-house order still queued at its shop")
    supplier: Name | None = Field(None, description="supplier or shop; default: the part's "
                                  "source (must be it)")
    owner: str = Field("", max_length=100, description="who follows the order (3.2)")


def open_order_problems(materials, start: dt.date) -> list[tuple[str, str]]:
    """(field path, message) for every open order of ``materials`` (a ``Materials``) that
    names an unknown part, a source that is not the part's, a due date before ``start``
    (the horizon's first day), or no due date for a purchased part."""
    parts = {p.name: p for p in materials.parts}
    shops = {s.name for s in materials.shops}
    out: list[tuple[str, str]] = []
    for i, o in enumerate(materials.open_orders):
        path = f"materials.open_orders[{i}]"
        part = parts.get(o.part)
        if part is None:
            out.append((f"{path}.part", f"unknown part {o.part!r}; parts: {sorted(parts)}"))
            continue
        source = o.supplier or part.source
        if part.source is None or source != part.source:
            out.append((f"{path}.supplier", f"part {o.part!r} comes from "
                        f"{part.source!r}, not {source!r}"))
        elif o.due is None and source not in shops:
            out.append((f"{path}.due", f"an order from supplier {source!r} needs a due date"))
        if o.due is not None and o.due < start:
            out.append((f"{path}.due", f"due {o.due.isoformat()} is before the horizon "
                        f"starts ({start.isoformat()}); leave a received order out"))
    return out
