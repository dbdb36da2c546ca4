"""The warehouse's stock and its replenishment at run time: physical and recorded stock per
part, buyers ordering every working morning (reorder point, periodic review, or from the
plan a stated horizon ahead), suppliers and in-house shops delivering, the starting state's
open orders arriving on their due dates, stock records going wrong.

See :mod:`linesim.scenario.materials` for the rules. Times: minutes; supplier and shop lead
times are given in days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simpy import Timeout

from ..scenario.materials import OpenOrder, Part, Shop, Supplier
from ..scenario.model import Scenario
from .calendar import is_working_day
from .context import Build
from .streams import Streams, stream_name

DAY = 1440.0
#: days beyond the horizon over which the plan's need is known: forecasts look up to
#: ``lead_days`` (<= 366) + ``review_days`` (<= 92) ahead
LOOKAHEAD_DAYS = 366 + 92


@dataclass
class PurchaseOrder:
    """An open order of a part: placed at ``placed`` and due at ``due`` (simulation
    minutes; ``due_date`` is its calendar date), ``quantity`` parts, ``received`` so far."""

    part: str
    quantity: int
    source: str
    placed: float
    due: float
    due_date: dt.date
    owner: str = ""
    received: int = 0


class PartRT:
    """A part in the warehouse: physical and recorded stock, open orders, backorders."""

    def __init__(self, spec: Part, source: str | None, defect_rate: float):
        self.spec = spec
        self.name = spec.name
        self.source = source
        self.label = f"{spec.name} ({source})" if source else spec.name
        self.physical = spec.stock if spec.physical is None else spec.physical
        self.recorded = spec.stock
        self.on_order = 0
        self.defect_rate = defect_rate
        self.backorders: list = []  # line-side stocks to refill when stock arrives
        self.need: list[int] = []  # planned need per calendar day index, all lines
        #: orders not yet received in full (the pipeline), oldest first
        self.orders: list[PurchaseOrder] = []

    def pick(self, qty: int) -> int:
        """Take up to ``qty`` from the shelf; an empty shelf corrects the record."""
        take = min(qty, self.physical)
        self.physical -= take
        self.recorded = max(self.recorded - take, 0)
        if take < qty:
            self.recorded = self.physical  # the picker finds the shelf short
        return take

    def receive(self, qty: int, ordered: int, order: PurchaseOrder | None = None,
                done: bool = True) -> None:
        """``qty`` parts arrive; ``ordered`` parts leave the open orders; ``order`` is the
        order they belong to (closed when ``done``)."""
        self.physical += qty
        self.recorded += qty
        self.on_order -= ordered
        if order is not None:
            order.received += qty
            if done and order in self.orders:
                self.orders.remove(order)
        waiting, self.backorders = self.backorders, []
        for ls in waiting:
            ls.check()


class Supply:
    """Buyers, suppliers, shops, open orders and record errors of the plant's warehouse."""

    def __init__(self, build: Build, parts: dict[str, PartRT]):
        """``parts``: the warehouse's parts (their stock is received here)."""
        self.env = env = build.env
        self.m = m = build.scenario.materials
        self.streams = streams = build.streams
        self.days = build.days
        self.start = build.scenario.horizon.start
        self.parts = parts
        #: told ``(part, True)`` when planning learns that a purchase order will be late
        #: (``planning.late_notice_days`` before its due date, or at the due date) and
        #: ``(part, False)`` when that late order arrives (replanning, 3.4)
        self.late_listeners: list = []
        self.notice_days = build.scenario.planning.late_notice_days
        self.shops = shops = {s.name: s for s in m.shops}
        self.suppliers = {s.name: s for s in m.suppliers}
        self._need_per_day(build.scenario, {p.name: p for p in build.scenario.products})
        self.shop_queue: dict[str, list[list]] = {s: [] for s in shops}
        for order in m.open_orders:
            self._open(order)
        for shop in shops.values():
            env.process(self._shop(shop, streams))
        for part in parts.values():
            if part.source is not None:
                env.process(self._buyer(part))
            if m.warehouse.record_errors.rate_per_day > 0:
                env.process(self._record_errors(part))

    def _need_per_day(self, scenario: Scenario, products) -> None:
        """Planned need of every part on every calendar day of the horizon and
        ``LOOKAHEAD_DAYS`` beyond it (all lines; what a forecast from the plan sees)."""
        n = scenario.horizon.days + LOOKAHEAD_DAYS
        for p in self.parts.values():
            p.need = [0] * n
        for d in range(n):
            date = self.start + dt.timedelta(days=d)
            if not is_working_day(scenario, date):
                continue
            for line in scenario.lines:
                plan = scenario.plan.get(line.name)
                if plan is None:
                    continue
                for it in plan.items_on(date):
                    for b in products[it.product].bom:
                        self.parts[b.part].need[d] += it.quantity * b.quantity

    def _open(self, o: OpenOrder) -> None:
        """An order of the starting state: due on its date (a supplier's order then bears
        the supplier's on-time and complete chances like any other), or queued at its
        shop."""
        part = self.parts[o.part]
        part.on_order += o.quantity
        source = o.supplier or part.source or ""
        if o.due is None:
            self.shop_queue[source].append([part, o.quantity, o.quantity])
            return
        due = (o.due - self.start).days * DAY
        order = PurchaseOrder(part.name, o.quantity, source, 0.0, due, o.due, o.owner)
        part.orders.append(order)
        if source in self.suppliers:
            self.env.process(self._delivery(part, self.suppliers[source], o.quantity, order))
        else:
            self.env.process(self._arrive(part, o.quantity, due, order))

    def _buyer(self, part: PartRT):
        """Every working morning, the buyer looks at the recorded stock and orders."""
        env = self.env
        o = part.spec.ordering
        for k, day in enumerate(self.days):
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            position = part.recorded + part.on_order
            if o.policy == "reorder_point":
                if position <= o.point:
                    self._order(part, o.amount(position))
            elif k % o.review_days:
                continue
            elif o.policy == "periodic":
                self._order(part, o.amount(position))  # up to the level, if below it
            else:
                d = day.index
                before = sum(part.need[d:d + o.lead_days])
                window = sum(part.need[d + o.lead_days:d + o.lead_days + o.review_days])
                qty = window + o.buffer - (position - before)
                self._order(part, qty)

    def _order(self, part: PartRT, qty: int) -> None:
        if qty <= 0:
            return
        part.on_order += qty
        if part.source in self.shops:
            self.shop_queue[part.source].append([part, qty, qty])
        else:
            self.env.process(self._delivery(part, self.suppliers[part.source], qty))

    def _delivery(self, part: PartRT, sup: Supplier, qty: int,
                  order: PurchaseOrder | None = None):
        """Deliver ``qty`` of ``part``: due after the supplier's lead time (or on the due
        date of an open ``order``), late or incomplete by the supplier's chances."""
        s = self.streams
        env = self.env
        key = (sup.name, part.name)
        if order is None:
            lead = s.sampler(sup.lead_time, stream_name("supplier", *key, "lead"))()
            due = env.now + max(lead, 0.0) * DAY
            order = PurchaseOrder(part.name, qty, sup.name, env.now, due,
                                  self.start + dt.timedelta(days=int(due // DAY)),
                                  part.spec.ordering.owner)
            part.orders.append(order)
        u = s.get(stream_name("supplier", *key, "reliability"))
        late = (s.sampler(sup.late_by, stream_name("supplier", *key, "late"))()
                if u.uniform() >= sup.on_time else 0.0)
        told = late > 0 and bool(self.late_listeners)
        if told:  # planning hears that the order will be late (3.4)
            env.process(self._tell_late(part.name, order.due))
        yield Timeout(env, max(order.due + late * DAY - env.now, 0.0))
        if told:
            self._tell(part.name, False)
        if u.uniform() < sup.complete:
            part.receive(qty, qty, order)
            return
        missing = max(int(round(qty * sup.short_fraction)), 1)
        if sup.follow_up_days is None:
            part.receive(qty - missing, qty, order)  # the rest never comes; buyers order again
            return
        part.receive(qty - missing, qty - missing, order, done=False)
        yield Timeout(env, sup.follow_up_days * DAY)
        part.receive(missing, missing, order)

    def _tell_late(self, part: str, due: float):
        """Purchasing tells planning that the order of ``part`` due at minute ``due`` will
        be late: ``notice_days`` before the due date (not before now), or at it."""
        at = due if self.notice_days is None else max(due - self.notice_days * DAY,
                                                       self.env.now)
        yield Timeout(self.env, at - self.env.now)
        self._tell(part, True)

    def _tell(self, part: str, late: bool) -> None:
        for listener in self.late_listeners:
            listener(part, late)

    def _shop(self, shop: Shop, streams: Streams):
        """Each working morning the shop makes up to its capacity, oldest order first."""
        env = self.env
        lead = streams.sampler(shop.lead_time, stream_name("shop", shop.name, "lead"))
        queue = self.shop_queue[shop.name]
        for day in self.days:
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            cap = shop.capacity_per_day
            while cap > 0 and queue:
                job = queue[0]
                n = min(cap, job[2])
                job[2] -= n
                cap -= n
                env.process(self._arrive(job[0], n, lead() * DAY))
                if job[2] == 0:
                    queue.pop(0)

    def _arrive(self, part: PartRT, qty: int, delay: float,
                order: PurchaseOrder | None = None):
        yield Timeout(self.env, delay)
        part.receive(qty, qty, order)

    def _record_errors(self, part: PartRT):
        """Stock that vanishes unseen: the record keeps counting it."""
        env = self.env
        re = self.m.warehouse.record_errors
        u = self.streams.get(stream_name("records", part.name)).uniform
        size = self.streams.sampler(re.size, stream_name("records", part.name, "size"))
        for day in self.days:
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            if u() < re.rate_per_day:
                part.physical -= min(int(round(size())), part.physical)
