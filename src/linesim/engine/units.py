"""Units in a line and the plan items they belong to."""

from __future__ import annotations


class Slot:
    """One plan item of one day at run time."""

    __slots__ = ("product", "quantity", "remaining", "good", "active", "backup_for")

    def __init__(self, product: str, quantity: int, backup_for: str | None = None):
        self.product = product
        self.quantity = quantity
        self.remaining = quantity
        self.good = 0
        self.active = True
        self.backup_for = backup_for


class Unit:
    """A unit in the line: its product, its plan slot, when it was started (minutes) and,
    for a unit put back after being set aside, the station it goes back to (``skip``:
    stations before it pass it on untouched)."""

    __slots__ = ("product", "slot", "t0", "skip")

    def __init__(self, product: str, slot: Slot, t0: float):
        self.product = product
        self.slot = slot
        self.t0 = t0
        self.skip = 0


class SetAside(Exception):
    """Raised in a server when the unit in hand belongs to a product switched away from."""
