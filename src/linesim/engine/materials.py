"""Material at run time: line-side stock, staging from the warehouse, kits and pre-kits.

See :mod:`linesim.scenario.materials` for the rules. Stations take their parts before they
process a unit (:meth:`LineStock.take`); a defective part costs the station
``defect_minutes`` (charged to waiting for the part). Warehouse people (``pickers``, one per
staging) stage line-side refills (kanban) in working time, the day's kits in the morning
and, with pre-kitting, the next day's kit in the evening, handed over as the next shift
starts (late only if its staging ran over). Kanban refills and kits are independent: each
brings, when it arrives, what the line lacks of its own target. Staging times come from one
stream per line and purpose. The warehouse's own replenishment (buyers, suppliers, shops,
record errors) is the :class:`~linesim.engine.supply.Supply` part. Times: minutes.
"""

from __future__ import annotations

from collections import defaultdict

from simpy import Event, Resource, Timeout

from .calendar import ON, WorkDay
from .context import Build
from .line import LineRuntime
from .states import NO_MATERIAL
from .streams import stream_name
from .supply import DAY, PartRT, Supply
from .units import SetAside


class LineStock:
    """Stock of one part at one line, refilled from the warehouse (kanban)."""

    __slots__ = ("mat", "line", "part", "qty", "max", "reorder_at", "pending", "kit_pending",
                 "waiters", "defect", "found_defective")

    def __init__(self, mat: "MaterialsRT", line: LineRuntime, part: PartRT, defect):
        self.mat = mat
        self.line = line
        self.part = part
        ls = part.spec.line_side
        self.qty = ls.max if ls.initial is None else ls.initial
        self.max = ls.max
        self.reorder_at = ls.reorder_at
        self.pending = False  # a kanban refill is on its way
        self.kit_pending = False  # a kit (morning or pre-kit) is on its way
        self.waiters: list[Event] = []
        self.defect = defect  # uniform draw, or None when the part is never defective
        #: told ``(product)`` of every defective part found (bad-batch stoppages)
        self.found_defective: list = []

    def take(self, server, qty: int, product: str):
        """Take ``qty`` good parts for one unit of ``product`` (``yield from``); waits in
        ``no_material``; a defective part costs ``defect_minutes`` at the station (charged
        to waiting for the part); raises SetAside if the line switches away from the
        product."""
        line = self.line
        while qty > 0:
            if self.qty <= 0:
                server.wait_material(self.part.label)
                ev = self.refill_event()
                self.check()
                line.backup.material_short(self, product)
                since = line.worked()
                yield ev
                self.mat.waits[line.name, server.st.name, self.part.label] += (
                    line.worked() - since)
                if product in line.plan.aside:
                    raise SetAside
                continue
            if self.defect is None:
                self.qty -= 1
            elif not self._take_one(product):
                if self.part.spec.defect_minutes > 0:  # set it aside, fetch another
                    server.wait_material(self.part.label)
                    yield from server.work(self.part.spec.defect_minutes, NO_MATERIAL)
                continue
            qty -= 1
        self.check()

    def _take_one(self, product: str) -> bool:
        """Take one part (of a part that can be defective) for ``product``: whether it is
        good; a defective one is counted and reported to the bad-batch listeners."""
        self.qty -= 1
        key = (self.part.name, int(self.line.env._now // DAY))
        self.mat.used[key] += 1
        if self.defect() < self.part.defect_rate:
            self.mat.defects[key] += 1
            for tell in self.found_defective:
                tell(product)
            return False
        return True

    def take_now(self, qty: int, product: str) -> int:
        """Take what :meth:`take` would before it first waits, in one step (no generator):
        how many of the ``qty`` good parts are still missing (0: done; else go on with
        ``take`` for the rest). A part whose defects cost station time is left to ``take``."""
        if self.defect is None:
            n = qty if qty <= self.qty else max(self.qty, 0)
            self.qty -= n
            qty -= n
        elif self.part.spec.defect_minutes > 0:
            return qty
        else:
            while qty > 0 and self.qty > 0:
                if self._take_one(product):
                    qty -= 1
        if qty <= 0:
            self.check()
        return qty

    def refill_event(self) -> Event:
        """An event that succeeds when parts next come to this stock."""
        ev = Event(self.line.env)
        self.waiters.append(ev)
        return ev

    def wake_waiters(self) -> None:
        """Wake everything waiting for this stock now (they look again)."""
        waiters, self.waiters = self.waiters, []
        for ev in waiters:
            ev.succeed()

    def add(self, n: int) -> None:
        """``n`` parts come to this stock."""
        self.qty += n
        if n > 0 and self.waiters:
            self.wake_waiters()

    def check(self) -> None:
        """Ask the warehouse for a refill if the stock is at or below the kanban point."""
        if not self.pending and self.qty <= self.reorder_at:
            self.pending = True
            self.line.env.process(self.mat.stage(self))


class MaterialsRT:
    """The plant's material flow."""

    def __init__(self, build: Build, lines: list[LineRuntime]):
        self.env = env = build.env
        scenario, streams, days = build.scenario, build.streams, build.days
        self.m = m = scenario.materials
        self.streams = streams
        self.days = days
        shops = {s.name: s for s in m.shops}
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
        #: line -> staging time samplers of its kanban refills and of its kits
        self.refill_time = {ln.name: streams.sampler(
            m.warehouse.staging_time, stream_name("warehouse", ln.name, "refill"))
            for ln in lines}
        self.kit_time = {ln.name: streams.sampler(
            m.warehouse.staging_time, stream_name("warehouse", ln.name, "kit")) for ln in lines}
        #: the warehouse people who stage (None: as many as needed)
        self.pickers = (Resource(env, m.warehouse.pickers) if m.warehouse.pickers is not None
                        else None)
        products = {p.name: p for p in scenario.products}
        self.stocks: dict[tuple[str, str], LineStock] = {}
        for line in lines:
            line.plan.connect_materials(self)
            line.backup.connect_materials(self)
            names = [s.name for s in line.spec.stations]
            for prod in line.spec.products:
                for item in products[prod].bom:
                    idx = names.index(item.station) if item.station in names else 0
                    ls = self._stock(line, item.part)
                    line.stations[idx].consumes(prod, ls, item.quantity)
        #: the warehouse's replenishment (buyers, suppliers, shops, record errors)
        self.supply = Supply(build, self.parts)
        for line in lines:  # replanning (3.4) hears of late purchase orders
            line.plan.connect_supply(self.supply)
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

    def on_defect(self, line: str, part: str, tell) -> None:
        """Call ``tell(product)`` whenever ``line`` finds a defective ``part``."""
        ls = self.stocks.get((line, part))
        if ls is not None:
            ls.found_defective.append(tell)

    # -- line side -----------------------------------------------------------------------
    def _staged(self, line: LineRuntime, minutes: float):
        """A picker stages for ``minutes`` of the line's working time (``yield from``),
        after waiting for a free picker if their number is limited."""
        if self.pickers is None:
            yield from line.wait_worked(minutes)
            return
        with self.pickers.request() as req:
            yield req
            yield from line.wait_worked(minutes)

    def _bring(self, ls: LineStock, target: int) -> int:
        """Pick what ``ls`` lacks of ``target`` parts and put it there; returns how many
        parts were missing in the warehouse."""
        want = target - ls.qty
        if want <= 0:
            return 0
        take = ls.part.pick(want)
        ls.add(take)
        return want - take

    def stage(self, ls: LineStock):
        """A kanban refill: a picker brings the stock up to ``max`` after the staging time."""
        yield from self._staged(ls.line, self.refill_time[ls.line.name]())
        ls.pending = False
        if self._bring(ls, ls.max) > 0:
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
        """Each working morning the warehouse stages the day's kit (what the plan needs, up
        to the line-side space ``max``, beyond the stock there) at every line, unless a
        pre-kit is on its way; it arrives after the staging time."""
        env = self.env
        for day in self.days:
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            for line in lines:
                for ls, n in self._day_need(line, day).items():
                    if min(n, ls.max) > ls.qty and not ls.kit_pending:
                        ls.kit_pending = True
                        env.process(self._kit(ls, min(n, ls.max)))

    def _kit(self, ls: LineStock, target: int, hand_over: float = 0.0):
        """Stage a kit of ``target`` parts at ``ls`` (the line-side stock is topped up to
        it), no earlier than ``hand_over`` (minutes)."""
        yield from self._staged(ls.line, self.kit_time[ls.line.name]())
        if hand_over > self.env.now:
            yield Timeout(self.env, hand_over - self.env.now)
        ls.kit_pending = False
        self._bring(ls, target)
        ls.check()

    def _prekit(self, lines: list[LineRuntime]):
        """Pre-kit (1.3): ``prekit_minutes`` before each working day's shift ends, the
        pickers start staging the next day's kit at every line; it is handed over as the
        next shift starts, or when its staging ends if that is later (a late kit)."""
        env = self.env
        lead = self.m.warehouse.prekit_minutes
        for k, day in enumerate(self.days[:-1]):
            at = self._before_end(day, lead)
            if at > env.now:
                yield Timeout(env, at - env.now)
            nxt = self.days[k + 1]
            for line in lines:
                for ls, n in self._day_need(line, nxt).items():
                    if n > 0 and not ls.kit_pending:
                        ls.kit_pending = True
                        env.process(self._kit(ls, min(n, ls.max), nxt.start))

    @staticmethod
    def _before_end(day: WorkDay, minutes: float) -> float:
        """The instant ``minutes`` of working time before ``day``'s last shift ends."""
        for a, b, state in reversed(day.periods):
            if state != ON:
                continue
            if b - a >= minutes:
                return b - minutes
            minutes -= b - a
        return day.start

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
