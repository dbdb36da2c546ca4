"""Material at run time: line-side stock, staging from the warehouse, kits and pre-kits.

See :mod:`linesim.scenario.materials` for the rules. Stations take their parts before they
process a unit (:meth:`LineStock.take`); the warehouse stages line-side refills in working
time, the day's kits in the morning and, with pre-kitting, the next day's at shift end. The
warehouse's own replenishment (buyers, suppliers, shops, record errors) is the
:class:`~linesim.engine.supply.Supply` part. Times: minutes.
"""

from __future__ import annotations

from collections import defaultdict

from simpy import Event, Timeout

from .calendar import WorkDay
from .context import Build
from .line import LineRuntime
from .streams import stream_name
from .supply import DAY, PartRT, Supply
from .units import SetAside


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
            self.qty -= 1
            if self.defect is not None:
                key = (self.part.name, int(self.line.env._now // DAY))
                self.mat.used[key] += 1
                if self.defect() < rate:
                    self.mat.defects[key] += 1
                    continue
            qty -= 1
        self.check()

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
