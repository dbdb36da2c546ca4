"""Replanning on known shortages (the seed's 3.4) for one line.

Purchasing tells planning of a purchase order that will be late
(``planning.late_notice_days`` before its due date, or when the due date passes; see
:meth:`linesim.engine.supply.Supply`'s ``late_listeners``). While such an order is open,
planning re-sequences the line's plan items: items whose product needs the late part and
whose known stock (line side plus recorded warehouse stock) does not cover what is left
of them move behind the others (the order among each group is kept); when every item left
is short and none of their material is there, an item of the first other product the line
can make whose material is there replaces them for their quantity (a substitute: not new
demand, never carried over; what is left of them follows the carry-over rule); while some
of their material is there they are made first. A station that runs out of a part known
to be late steps around it at once; for another part, after it has waited
``materials.backup_after_minutes`` with the warehouse out of it too. It does so when it
hears of the late order (today's items not yet finished) and when each following day's plan
is loaded, until the order arrives. When a station runs short and another of today's items
(or a substitute) can run, planning steps around the short item (see
:meth:`linesim.engine.backup.BackupController.material_short`). Every change of order is
recorded: (minute, line, order before, order after, why).
"""

from __future__ import annotations

from simpy import AnyOf

from .units import Slot


class Replanner:
    """Re-sequences one line's daily plan away from products short of a late part."""

    def __init__(self, plan, materials):
        """``plan``: the line's :class:`~linesim.engine.plan.DailyPlan`; ``materials``: the
        plant's MaterialsRT (stock that planning can know)."""
        self.plan = plan
        self.env = plan.env
        self.materials = materials
        self.log: list[tuple] = plan.replans
        self.late: dict[str, int] = {}  # part -> open purchase orders known to be late

    def order_news(self, part: str, late: bool) -> None:
        """Purchasing's news of ``part``: an order will be late (``late``) or a late order
        has arrived."""
        if late:
            self.late[part] = self.late.get(part, 0) + 1
            self.resequence(f"late order: {part}")
        else:
            left = self.late.get(part, 0) - 1
            if left > 0:
                self.late[part] = left
            else:
                self.late.pop(part, None)

    def new_day(self) -> None:
        """A new day's plan is loaded: re-sequence it while late orders are open."""
        if self.late:
            self.resequence("late order: " + ", ".join(sorted(self.late)))

    def short(self, product: str, units: int, parts=None) -> bool:
        """Whether known stock fails to cover ``units`` of ``product`` for a part in
        ``parts`` (default: the parts of open late orders)."""
        parts = self.late if parts is None else parts
        for st in self.plan.line.stations:
            for ls, q in st.consume.get(product, ()):
                if ls.part.name in parts and ls.qty + ls.part.recorded < q * units:
                    return True
        return False

    def resequence(self, why: str, product: str | None = None) -> bool:
        """Move the items of today's plan that are short (or, given ``product``, that
        product's items) behind the others; True if the order changed."""
        plan = self.plan
        head = plan.slots[:plan.slot_i]
        rest = plan.slots[plan.slot_i:]
        live = [s for s in rest if s.remaining > 0]
        if product is None:  # (a held or stopped product is the backup controller's)
            bad = [s for s in live if not plan.is_stopped(s.product)
                   and self.short(s.product, s.remaining)]
        else:
            bad = [s for s in live if s.product == product]
        if not bad:
            return False
        if len(bad) == len(live):  # nothing else planned today: a substitute product
            if product is None and any(not self.short(b.product, 1) for b in bad):
                return False  # make what there is first; step around when it runs out
            sub = self.substitute(bad)
            if sub is None:
                return False
            for b in bad:  # the substitute replaces them (their rest: carry-over rule)
                plan.drop(b, b.remaining, carry=True)
            new = [sub]
        else:
            new = [s for s in live if s not in bad] + bad
        before = [s.product for s in live]
        after = [s.product + (f" (instead of {s.backup_for})" if s.backup_for else "")
                 for s in new]
        if before == after:
            return False
        plan.slots = head + new + [s for s in rest if s not in new]
        self.log.append((self.env.now, plan.line.name, " > ".join(before),
                         " > ".join(after), why))
        if product is None:  # stations already waiting for a late part stop waiting
            for s in bad:
                self._unblock(s.product)
        plan.replan()
        return True

    def _unblock(self, product: str) -> None:
        plan = self.plan
        if plan.is_stopped(product):
            return
        for st in plan.line.stations:
            for ls, _q in st.consume.get(product, ()):
                if ls.part.name in self.late and ls.qty <= 0 and ls.waiters:
                    self.env.process(self.step_around(product, ls))
                    return

    def step_around(self, product: str, stock, why: str | None = None):
        """Make the line's other items while ``stock`` (a line-side stock of a part of
        ``product``) is empty (``yield from``): ``product`` is held and its units in the
        line are set aside until parts come (or nothing else is left to start); the line
        changes over at once (line-level) to the next item's product, as for a backup."""
        plan = self.plan
        plan.hold(product)
        if why is not None:
            self.resequence(why, product)
        plan.aside.add(product)
        nxt = next((s.product for s in plan.slots[plan.slot_i:]
                    if s.remaining > 0 and not plan.is_stopped(s.product)), None)
        if nxt is not None:  # the line is emptied of product: a line-level changeover
            plan.backup.change_line(product, nxt)
        stock.wake_waiters()
        # until parts come, or until nothing else is left to start: then the line waits
        # for the part at the station (a material loss, not an empty plan)
        while stock.qty <= 0 and (plan.releasing or plan.reinject):
            yield AnyOf(self.env, [stock.refill_event(), plan.idle_event()])
        plan.unhold(product)
        plan.replan()

    def substitute(self, bad: list) -> Slot | None:
        """An item of the first other product the line can make whose material is there
        (not short of a late part, parts of its whole quantity known in stock), for the
        quantity of the short items ``bad`` (a substitute, like a backup: it is not new
        demand and does not carry over); None if there is none."""
        plan = self.plan
        qty = sum(s.remaining for s in bad)
        avoid = {s.product for s in bad}
        for p in plan.line.spec.products:
            if (p not in avoid and not plan.is_stopped(p) and not self.short(p, qty)
                    and self.materials.available(plan.line, p, qty)):
                return Slot(p, qty, backup_for=bad[0].product)
        return None

    def can_step_around(self, product: str, part: str) -> bool:
        """Whether another of today's items, or a substitute product, not short of
        ``part`` and not stopped, could run instead of ``product``."""
        plan = self.plan
        live = [s for s in plan.slots[plan.slot_i:] if s.remaining > 0]
        if any(s.product != product and not plan.is_stopped(s.product)
               and not self.short(s.product, 1, (part,)) for s in live):
            return True
        return self.substitute([s for s in live if s.product == product]) is not None
