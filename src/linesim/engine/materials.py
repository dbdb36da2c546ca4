"""Material supply at run time: line-side stock, warehouse, orders, shops, suppliers.

See :mod:`linesim.scenario.materials` for the rules. Stations take their parts before they
process a unit (:meth:`LineStock.take`); everything else is plant-level processes: the
warehouse staging line-side refills in working time, pre-kitting at shift end, buyers
ordering every working morning, suppliers and shops delivering, stock records going wrong.
Times: minutes; supplier and shop lead times are given in days.
"""

from __future__ import annotations

from collections import defaultdict

from simpy import Event, Timeout

from ..scenario.materials import Part, Shop, Supplier
from ..scenario.model import Scenario
from .calendar import WorkDay
from .line import LineRuntime
from .units import SetAside
from .context import Build
from .streams import Streams, stream_name

DAY = 1440.0


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
        self.backorders: list[LineStock] = []
        self.need = None  # numpy-free list: planned need per day index, all lines

    def pick(self, qty: int) -> int:
        """Take up to ``qty`` from the shelf; an empty shelf corrects the record."""
        take = min(qty, self.physical)
        self.physical -= take
        self.recorded = max(self.recorded - take, 0)
        if take < qty:
            self.recorded = self.physical  # the picker finds the shelf short
        return take

    def receive(self, qty: int, ordered: int) -> None:
        self.physical += qty
        self.recorded += qty
        self.on_order -= ordered
        waiting, self.backorders = self.backorders, []
        for ls in waiting:
            ls.check()


class LineStock:
    """Stock of one part at one line, refilled from the warehouse (kanban)."""

    __slots__ = ("mat", "line", "part", "qty", "max", "reorder_at", "pending", "waiters",
                 "defect")

    def __init__(self, mat: "MaterialsRT", line: LineRuntime, part: PartRT, defect):
        self.mat = mat
        self.line = line
        self.part = part
        ls = part.spec.line_side
        self.qty = ls.max if ls.initial is None else ls.initial
        self.max = ls.max
        self.reorder_at = ls.reorder_at
        self.pending = False
        self.waiters: list[Event] = []
        self.defect = defect  # uniform draw, or None when the part is never defective

    def take(self, server, qty: int, product: str):
        """Take ``qty`` good parts for one unit of ``product`` (``yield from``); waits in
        ``no_material``; raises SetAside if the line switches away from the product."""
        rate = self.part.defect_rate
        line = self.line
        while qty > 0:
            if self.qty <= 0:
                server.wait_material(self.part.label)
                ev = Event(line.env)
                self.waiters.append(ev)
                self.check()
                line.plan.material_short(self, product)
                since = line.worked()
                yield ev
                self.mat.waits[line.name, server.st.name, self.part.label] += (
                    line.worked() - since)
                if product in line.plan.aside:
                    raise SetAside
                continue
            self.qty -= 1
            if self.defect is not None:
                key = (self.part.name, int(self.line.env._now // DAY))
                self.mat.used[key] += 1
                if self.defect() < rate:
                    self.mat.defects[key] += 1
                    continue
            qty -= 1
        self.check()

    def add(self, n: int) -> None:
        self.qty += n
        if n > 0 and self.waiters:
            waiters, self.waiters = self.waiters, []
            for ev in waiters:
                ev.succeed()

    def check(self) -> None:
        """Ask the warehouse for a refill if the stock is at or below the kanban point."""
        if not self.pending and self.qty <= self.reorder_at:
            self.pending = True
            self.line.env.process(self.mat.stage(self, self.max - self.qty))


class MaterialsRT:
    """The plant's material flow."""

    def __init__(self, build: Build, lines: list[LineRuntime]):
        self.env = env = build.env
        scenario, streams, days = build.scenario, build.streams, build.days
        self.m = m = scenario.materials
        self.streams = streams
        self.days = days
        shops = {s.name: s for s in m.shops}
        suppliers = {s.name: s for s in m.suppliers}
        self.parts: dict[str, PartRT] = {}
        for p in m.parts:
            rate = p.defect_rate
            if rate is None:
                rate = shops[p.source].defect_rate if p.source in shops else 0.0
            self.parts[p.name] = PartRT(p, p.source, rate)
        self.used: dict[tuple[str, int], int] = defaultdict(int)  # (part, day) -> parts taken
        self.defects: dict[tuple[str, int], int] = defaultdict(int)  # ... found defective
        #: (line, station, part label) -> working minutes stations waited for the part
        self.waits: dict[tuple[str, str, str], float] = defaultdict(float)
        self.staging = streams.sampler(m.warehouse.staging_time,
                                       stream_name("warehouse", "staging"))
        products = {p.name: p for p in scenario.products}
        self.stocks: dict[tuple[str, str], LineStock] = {}
        self._need_per_day(scenario, products)
        for line in lines:
            line.plan.connect_materials(self)
            names = [s.name for s in line.spec.stations]
            for prod in line.spec.products:
                for item in products[prod].bom:
                    idx = names.index(item.station) if item.station in names else 0
                    ls = self._stock(line, item.part)
                    line.stations[idx].consumes(prod, ls, item.quantity)
        self.shop_queue: dict[str, list[list]] = {s: [] for s in shops}
        for name, shop in shops.items():
            env.process(self._shop(shop, streams))
        self.suppliers = suppliers
        self.shops = shops
        for part in self.parts.values():
            if part.source is not None:
                env.process(self._buyer(part))
            if m.warehouse.record_errors.rate_per_day > 0:
                env.process(self._record_errors(part))
        if m.warehouse.prekit:
            env.process(self._prekit(lines))
        env.process(self._kits(lines))
        build.recorder.register(self.reset)

    def _stock(self, line: LineRuntime, part: str) -> LineStock:
        key = (line.name, part)
        if key not in self.stocks:
            p = self.parts[part]
            draw = (self.streams.get(stream_name("defects", line.name, part)).uniform
                    if p.defect_rate > 0 else None)
            self.stocks[key] = LineStock(self, line, p, draw)
        return self.stocks[key]

    def _need_per_day(self, scenario: Scenario, products) -> None:
        """Planned need of every part on every day of the horizon (all lines)."""
        n = scenario.horizon.days + 400
        for p in self.parts.values():
            p.need = [0] * n
        for day in self.days:
            for line in scenario.lines:
                plan = scenario.plan.get(line.name)
                if plan is None:
                    continue
                for it in plan.items_on(day.date):
                    for b in products[it.product].bom:
                        self.parts[b.part].need[day.index] += it.quantity * b.quantity

    # -- line side -----------------------------------------------------------------------
    def stage(self, ls: LineStock, qty: int):
        """The warehouse picks and brings a refill after the staging time (working time)."""
        yield from ls.line.wait_worked(self.staging())
        take = ls.part.pick(qty)
        ls.pending = False
        ls.add(take)
        if take < qty:
            ls.part.backorders.append(ls)  # asked again when stock arrives
        else:
            ls.check()

    def available(self, line: LineRuntime, product: str, units: int) -> bool:
        """Whether line-side plus recorded warehouse stock covers ``units`` of ``product``
        (what planning can know)."""
        for st in line.stations:
            for ls, q in st.consume.get(product, ()):
                if ls.qty + ls.part.recorded < q * units:
                    return False
        return True

    def _day_need(self, line: LineRuntime, day: WorkDay) -> dict[LineStock, int]:
        need: dict[LineStock, int] = defaultdict(int)
        for it in line.plan.items_on(day.date):
            for st in line.stations:
                for ls, q in st.consume.get(it.product, ()):
                    need[ls] += q * it.quantity
        return need

    def _kits(self, lines: list[LineRuntime]):
        """Each working morning the warehouse stages the day's kit (what the plan needs,
        up to the line-side space ``max``, beyond the stock there) at every line, after the
        staging time."""
        env = self.env
        for day in self.days:
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            for line in lines:
                for ls, n in self._day_need(line, day).items():
                    want = min(n, ls.max) - ls.qty  # line-side space is limited to max
                    if want > 0 and not ls.pending:  # (a refill on its way does instead)
                        ls.pending = True
                        env.process(self._kit(ls, want))

    def _kit(self, ls: LineStock, qty: int):
        yield from ls.line.wait_worked(self.staging())
        ls.pending = False
        ls.add(ls.part.pick(qty))
        ls.check()

    def _prekit(self, lines: list[LineRuntime]):
        """Pre-kit (1.3): just before each working day's shift ends, stage the next day's
        kit at every line, so that no line waits for material at the start of a shift."""
        env = self.env
        for k, day in enumerate(self.days[:-1]):
            end = day.periods[-1][1] - 1e-6
            if end > env.now:
                yield Timeout(env, end - env.now)
            nxt = self.days[k + 1]
            for line in lines:
                for ls, n in self._day_need(line, nxt).items():
                    want = min(n, ls.max) - ls.qty
                    if want > 0:
                        ls.add(ls.part.pick(want))

    # -- warehouse replenishment ---------------------------------------------------------
    def _buyer(self, part: PartRT):
        """Every working morning, the buyer looks at the recorded stock and orders."""
        env = self.env
        o = part.spec.ordering
        for k, day in enumerate(self.days):
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            if o.policy == "reorder_point":
                if part.recorded + part.on_order <= o.reorder_point:
                    self._order(part, o.quantity)
            elif k % o.review_days == 0:
                d = day.index
                before = sum(part.need[d:d + o.lead_days])
                window = sum(part.need[d + o.lead_days:d + o.lead_days + o.review_days])
                projected = part.recorded + part.on_order - before
                qty = window + o.safety_stock - projected
                if qty > 0:
                    self._order(part, qty)

    def _order(self, part: PartRT, qty: int) -> None:
        part.on_order += qty
        if part.source in self.shops:
            self.shop_queue[part.source].append([part, qty, qty])
        else:
            self.env.process(self._delivery(part, self.suppliers[part.source], qty))

    def _delivery(self, part: PartRT, sup: Supplier, qty: int):
        s = self.streams
        key = (sup.name, part.name)
        lead = s.sampler(sup.lead_time, stream_name("supplier", *key, "lead"))()
        u = s.get(stream_name("supplier", *key, "reliability"))
        late = (s.sampler(sup.late_by, stream_name("supplier", *key, "late"))()
                if u.uniform() >= sup.on_time else 0.0)
        yield Timeout(self.env, max(lead + late, 0.0) * DAY)
        if u.uniform() < sup.complete:
            part.receive(qty, qty)
            return
        missing = max(int(round(qty * sup.short_fraction)), 1)
        if sup.follow_up_days is None:
            part.receive(qty - missing, qty)  # the rest never comes; buyers order again
            return
        part.receive(qty - missing, qty - missing)
        yield Timeout(self.env, sup.follow_up_days * DAY)
        part.receive(missing, missing)

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

    def _arrive(self, part: PartRT, qty: int, delay: float):
        yield Timeout(self.env, delay)
        part.receive(qty, qty)

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

    # -- results -------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the statistics gathered so far (end of warm-up)."""
        self.used.clear()
        self.defects.clear()
        self.waits.clear()

    def defect_days(self) -> list[tuple[str, str | None, int, int, int]]:
        """(part, source, day, parts used, parts found defective) per part and day."""
        return [(name, self.parts[name].source, day, used, self.defects.get((name, day), 0))
                for (name, day), used in sorted(self.used.items())]
