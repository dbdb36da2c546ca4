"""Stations and their servers: the SimPy processes that move units down a line.

A server repeats: take a unit (from the plan at the first station, else from the buffer
before it), change over if the product differs from the last one, process it, maybe scrap or
rework it, then hand it on (blocking after service: while the buffer after it is full the
server holds the unit and is blocked).

Work is interruptible: a shift end, a break or a failure on a calendar or working-time clock
interrupts processing; the remaining work resumes once the server is on shift and repaired,
nothing is lost. Failures on the operating-time clock are handled inline: the server spends
its remaining time-to-failure while processing, then goes down for a repair.
"""

from __future__ import annotations

from typing import Protocol

from simpy import Environment, Event, Interrupt, Timeout

from ..scenario.model import Line, Station
from .buffer import Buffer
from .plan import SetAside, Unit
from .calendar import BREAK as BREAK_
from .calendar import OFF, ON
from .states import (
    BLOCKED, BREAK, CHANGEOVER, FAILED, NO_MATERIAL, NO_OPERATOR, NO_PLAN, OFF_SHIFT, QUALITY_STOP, REWORK, STARVED, WORKING,
    StateClock,
)
from .streams import Streams

EPS = 1e-9


class LineLink(Protocol):
    """What the stations of a line use of it (:class:`~linesim.engine.line.LineRuntime`):
    its shift and halt state, the products set aside, and the plan's release and finish."""

    env: Environment
    name: str
    spec: Line
    log: list | None
    shift: int  #: ON, BREAK, OFF or HALTED (see :mod:`linesim.engine.calendar`)
    changing: bool  #: the whole line changes over
    aside: set[str]  #: products whose units are set aside when met
    releasing: bool  #: the plan has units to start
    waiting: set  #: servers waiting for input (told when ``releasing`` changes)

    def release(self) -> Unit | None: ...
    def release_event(self) -> Event: ...
    def set_aside(self, unit: Unit, station: int) -> None: ...
    def scrap(self, unit: Unit, station: int) -> None: ...
    def finish(self, unit: Unit) -> None: ...


class StationRuntime:
    """Runtime data of one station: samplers, buffers and counters."""

    def __init__(self, line: LineLink, idx: int, spec: Station, streams: Streams,
                 inbuf: Buffer | None, outbuf: Buffer | None):
        self.line = line
        self.idx = idx
        self.spec = spec
        self.name = spec.name
        self.inbuf = inbuf
        self.outbuf = outbuf
        key = f"{line.name}/{spec.name}"
        products = line.spec.products
        self.cycle = {p: streams.sampler(spec.cycle_for(p), f"cycle/{key}") for p in products}
        self.ideal = {p: spec.ideal_for(p) for p in products}
        self.rework = {
            p: streams.sampler(spec.rework_time or spec.cycle_for(p), f"rework/{key}")
            for p in products
        }
        co = line.spec.changeover
        self.changeover = {
            (a, b): streams.sampler(co.time(a, b), f"changeover/{key}")
            for a in products for b in products if a != b
        }
        self.scrap_rate = spec.scrap_rate
        self.rework_rate = spec.rework_rate
        self.quality = (streams.get(f"quality/{key}").uniform
                        if spec.scrap_rate > 0 or spec.rework_rate > 0 else None)
        self.done = 0
        self.scrapped = 0
        #: product -> [(line-side stock, parts per unit)] taken here (set by the materials)
        self.consume: dict[str, list] = {}
        self.servers = [Server(self, k) for k in range(spec.servers)]

    def reset(self) -> None:
        self.done = 0
        self.scrapped = 0
        for s in self.servers:
            s.reset()


class Server(StateClock):
    """One server of a station: a SimPy process plus its state clock."""

    __slots__ = ("st", "line", "k", "proc", "busy", "pending", "failed", "activity",
                 "avail_ev", "product", "op_modes", "op_budget", "failures", "crew",
                 "crew_ops", "unmanned", "eff", "post", "waiting_part")

    def __init__(self, st: StationRuntime, k: int):
        line = st.line
        first = line.spec.products[0]
        super().__init__(line.env, st.ideal[first], line.log, (line.name, st.name, k))
        self.st = st
        self.line = line
        self.k = k
        self.busy = False
        self.pending = False
        self.failed = 0
        self.activity = NO_PLAN
        self.avail_ev: Event | None = None
        self.product: str | None = None
        self.op_modes: list = []  # (ttf sampler, ttr sampler) of operating-clock modes
        self.op_budget: list[float] = []
        self.failures = 0
        self.proc = None
        self.crew = 0  # operator places (with a workforce)
        self.crew_ops: list = []
        self.unmanned = 0
        self.eff = 1.0
        self.post = f"{line.name}/{st.name}"
        self.waiting_part = ""  # label of the part this server last waited for

    def reset(self) -> None:
        super().reset()
        self.failures = 0

    # -- state -------------------------------------------------------------------------
    def effective(self) -> int:
        shift = self.line.shift
        if shift != ON:
            if shift == OFF:
                return OFF_SHIFT
            if shift == BREAK_:
                return BREAK
            return CHANGEOVER if self.line.changing else QUALITY_STOP
        if self.failed:
            return FAILED
        if self.unmanned:
            return NO_OPERATOR
        return self.activity

    def set_activity(self, activity: int) -> None:
        self.activity = activity
        if self.line.shift == ON and not self.failed and not self.unmanned:  # no overlay
            if activity != self.state:
                self.switch(activity)
            return
        eff = self.effective()
        if eff != self.state:
            self.switch(eff)

    def refresh(self) -> None:
        eff = self.effective()
        if eff != self.state:
            self.switch(eff)

    def interrupt(self) -> None:
        """Stop processing now (shift end, break or failure); the work resumes later."""
        if self.busy and not self.pending:
            self.pending = True
            self.proc.interrupt()

    def wake(self) -> None:
        """Resume a server waiting for the shift or a repair, if it may work now."""
        ev = self.avail_ev
        if ev is not None and not self.failed and not self.unmanned and self.line.shift == ON:
            self.avail_ev = None
            ev.succeed()

    def wait_material(self, part: str) -> None:
        """The server waits for ``part`` (a label 'part (source)')."""
        self.waiting_part = part
        self.set_activity(NO_MATERIAL)

    def set_crew(self, crew: int) -> None:
        """This server needs ``crew`` operators (a workforce is modelled)."""
        self.crew = crew
        self.staff_changed()

    def staff_changed(self) -> None:
        """Operators joined or left: update the missing count, pace and state."""
        ops = self.crew_ops
        self.unmanned = max(self.crew - len(ops), 0)
        self.eff = sum(p.eff for p in ops) / len(ops) if ops else 1.0
        if self.unmanned:
            self.interrupt()
        self.refresh()
        self.wake()

    def fail_begin(self) -> None:
        self.failed += 1
        self.failures += 1
        self.interrupt()
        self.refresh()

    def fail_end(self) -> None:
        self.failed -= 1
        self.refresh()
        self.wake()

    # -- processes -----------------------------------------------------------------------
    def work(self, duration: float, kind: int):
        """Spend ``duration`` minutes of on-shift, up time in activity ``kind``."""
        env = self.env
        line = self.line
        remaining = duration
        counts = kind <= REWORK and self.op_modes  # operating clock runs while processing
        while remaining > EPS:
            if line.aside and self.product in line.aside:
                raise SetAside
            if line.shift != ON or self.failed or self.unmanned:
                self.set_activity(kind)
                self.avail_ev = ev = Event(env)
                yield ev
                continue
            step = remaining
            due = -1
            if counts:
                budget = self.op_budget
                for i in range(len(budget)):
                    if budget[i] < step:
                        step = budget[i]
                        due = i
                if step < 0.0:
                    step = 0.0
            if self.activity != kind or self.state != kind:
                self.set_activity(kind)
            self.busy = True
            start = env._now
            try:
                yield Timeout(env, step)
            except Interrupt:
                self.pending = False
                self.busy = False
                spent = env._now - start
                remaining -= spent
                if counts:  # float rounding may overshoot a budget by ~1e-13: clamp
                    self.op_budget = [max(b - spent, 0.0) for b in self.op_budget]
                continue
            self.busy = False
            remaining -= step
            if counts:
                budget = self.op_budget
                for i in range(len(budget)):
                    budget[i] -= step
                if due >= 0:
                    yield from self._operating_failure(due)

    def _operating_failure(self, i: int):
        ttf, ttr = self.op_modes[i]
        self.fail_begin()
        yield Timeout(self.env, ttr())
        self.op_budget[i] = ttf()
        self.fail_end()

    def _change_over(self, product: str):
        """Take up ``product`` (``yield from``): a changeover unless it is the first."""
        previous = self.product
        self.product = product
        self.ideal = self.st.ideal[product]
        if previous is not None:
            d = self.st.changeover[previous, product]()
            if d > 0:
                yield from self.work(d, CHANGEOVER)

    def _pass_on(self, unit: Unit):
        """Hand a unit this station has already done to the next (``yield from``)."""
        outbuf = self.st.outbuf
        if outbuf is not None and not outbuf.try_put(unit):
            self.set_activity(BLOCKED)
            yield outbuf.put(unit)

    def run(self):
        """The server's process: take, change over, process, inspect, hand on; forever."""
        st = self.st
        line = self.line
        inbuf, outbuf = st.inbuf, st.outbuf
        cycle = st.cycle
        quality, scrap_rate = st.quality, st.scrap_rate
        rework_cut = st.scrap_rate + st.rework_rate
        work = self.work
        consume = st.consume
        while True:
            # -- take a unit
            if inbuf is None:
                unit = line.release()
                while unit is None:
                    self.set_activity(NO_PLAN)
                    yield line.release_event()
                    unit = line.release()
            else:
                ok, unit = inbuf.try_get()
                if not ok:
                    self.set_activity(STARVED if line.releasing else NO_PLAN)
                    line.waiting.add(self)
                    unit = yield inbuf.get()
                    line.waiting.discard(self)
            if line.aside and unit.product in line.aside:
                line.set_aside(unit, st.idx)
                continue
            if unit.skip > st.idx:  # back from the set-aside area: done here already
                yield from self._pass_on(unit)
                continue
            try:
                needs = consume.get(unit.product) if consume else None
                if needs:
                    for stock, qty in needs:
                        yield from stock.take(self, qty, unit.product)
                # -- change over
                product = unit.product
                if product != self.product:
                    yield from self._change_over(product)
                # -- process
                yield from work(cycle[product]() / self.eff, WORKING)
                st.done += 1
                if quality is not None:
                    u = quality()
                    if u < scrap_rate:
                        st.scrapped += 1
                        line.scrap(unit, st.idx)
                        continue
                    if u < rework_cut:
                        yield from work(st.rework[product](), REWORK)
            except SetAside:
                line.set_aside(unit, st.idx)
                continue
            # -- hand on
            if outbuf is None:
                line.finish(unit)
            elif not outbuf.try_put(unit):
                self.set_activity(BLOCKED)
                yield outbuf.put(unit)
