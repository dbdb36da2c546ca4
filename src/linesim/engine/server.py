"""The servers of a station: each a SimPy process that moves units, and its state clock.

A server repeats: take a unit (from the plan at the first station, else from the buffer
before it), change over if the product differs from the last one, process it, maybe scrap or
rework it, then hand it on (blocking after service: while the buffer after it is full the
server holds the unit and is blocked).

Work is interruptible: a shift end, a break, a failure on a calendar or working-time clock
or planned maintenance interrupts processing; the remaining work resumes once the server is
on shift and up, nothing is lost. Failures on the operating-time clock are handled inline:
the server spends its remaining time-to-failure while processing, then goes down for a
repair.
"""

from __future__ import annotations

from collections.abc import Callable

from heapq import heappush

from simpy import Event, Interrupt, Timeout
from simpy.events import NORMAL

from .calendar import BREAK as BREAK_, OFF, ON
from .links import StationLink
from .states import (
    BLOCKED, BREAK, CHANGEOVER, DOWN_STATES, FAILED, NO_MATERIAL, NO_OPERATOR, NO_PLAN,
    OFF_SHIFT, REWORK, STARVED, STATES, WORKING, StateClock,
)
from .units import SetAside, Unit

EPS = 1e-9


def _timeout(env) -> Timeout:
    """A Timeout not yet scheduled (:meth:`Server.work` arms and schedules it)."""
    tm = object.__new__(Timeout)
    tm.env, tm.callbacks, tm._value, tm._delay, tm._ok = env, None, None, 0.0, True
    return tm


class Server(StateClock):
    """One server of a station: a SimPy process plus its state clock."""

    __slots__ = ("st", "line", "k", "proc", "busy", "pending", "failed", "downs", "activity",
                 "avail_ev", "product", "plan", "op_modes", "op_budget", "failures", "crew",
                 "crew_ops", "unmanned", "eff", "post", "waiting_part", "held", "seq", "tm")

    def __init__(self, st: StationLink, k: int):
        line = st.line
        first = line.spec.products[0]
        super().__init__(line.env, st.ideal[first], line.log, (line.name, st.name, k),
                         line.rootcause)
        self.st = st
        self.line = line
        self.k = k
        self.busy = False
        self.pending = False
        self.failed = 0  # reasons the machine is down now (failures, ...)
        self.downs = [0] * len(STATES)  # the same, per machine-down state
        self.activity = NO_PLAN
        self.avail_ev: Event | None = None
        self.product: str | None = None
        self.plan = None  # the line's daily plan, from the start of the process
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
        self.tm = _timeout(line.env)  # the processing timeout, reused (see :meth:`work`)
        self.held: Unit | None = None  # unit in hand (stations with parallel servers)
        self.seq = 0  # when it was taken (the station's count of units taken)

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
            return CHANGEOVER if self.line.changing else self.line.halt_state
        if self.failed:
            downs = self.downs
            for code in DOWN_STATES:
                if downs[code]:
                    return code
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

    def start(self) -> None:
        """Start the server's process (connect phase)."""
        self.proc = self.env.process(self.run())

    def add_operating_mode(self, ttf: Callable[[], float], ttr: Callable[[], float]) -> None:
        """A failure mode on the operating clock: ``ttf`` minutes of processing to failure,
        ``ttr`` minutes to repair (handled while processing, see :meth:`work`)."""
        self.op_modes.append((ttf, ttr))
        self.op_budget.append(ttf())

    def join(self, person) -> None:
        """An operator takes a place here."""
        self.crew_ops.append(person)
        self.staff_changed()

    def leave(self, person) -> None:
        """An operator leaves a place here."""
        self.crew_ops.remove(person)
        self.staff_changed()

    def take_product(self, product: str) -> None:
        """The line changed this server over to ``product`` (a line-wide changeover)."""
        self.product = product
        self.ideal = self.st.ideal[product]

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
        elif self.line.backup.problems:  # an operator is back: backups are decided again
            self.line.backup.poke()
        self.refresh()
        self.wake()

    def fail_begin(self, state: int = FAILED) -> None:
        """The machine goes down in ``state`` (a machine-down state of the table, a
        failure by default): processing stops until :meth:`fail_end`."""
        self.failed += 1
        self.downs[state] += 1
        if state == FAILED:
            self.failures += 1
        self.interrupt()
        self.refresh()

    def fail_end(self, state: int = FAILED) -> None:
        """One reason for the machine to be down (in ``state``) is over."""
        self.failed -= 1
        self.downs[state] -= 1
        self.refresh()
        self.wake()

    # -- processes -----------------------------------------------------------------------
    def work(self, duration: float, kind: int):
        """Spend ``duration`` minutes of on-shift, up time in activity ``kind``."""
        env = self.env
        line = self.line
        aside = self.plan.aside
        remaining = duration
        counts = kind <= REWORK and self.op_modes  # operating clock runs while processing
        while remaining > EPS:
            if aside and self.product in aside:
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
            # Timeout(env, step), inlined: the same event and schedule, two frames fewer;
            # the server's own Timeout object is re-armed once processed (less memory
            # touched per event), a new one made after an interrupt left it in the queue
            tm = self.tm
            tm.callbacks, tm._delay = [], step
            heappush(env._queue, (start + step, NORMAL, next(env._eid), tm))
            try:
                yield tm
            except Interrupt:
                self.tm = _timeout(env)  # the old one is still queued (no callbacks)
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

    def _wait_release(self, plan):
        """Wait in ``no_plan`` until the plan releases a unit; return it (``yield from``)."""
        unit = None
        while unit is None:
            self.set_activity(NO_PLAN)
            yield plan.release_event()
            unit = plan.release()
        return unit

    def _inspect(self, unit: Unit, u: float):
        """Scrap (return True) or rework ``unit`` by the uniform draw ``u`` (``yield
        from``)."""
        st = self.st
        if u < st.scrap_rate:
            st.scrapped += 1
            self.plan.scrap(unit, st.idx)
            return True
        if u < st.scrap_rate + st.rework_rate:
            yield from self.work(st.rework[unit.product](), REWORK)
        return False

    def _pass_on(self, unit: Unit, ordered: bool = False):
        """Hand a unit this station has already done to the next (``yield from``)."""
        if ordered:
            yield from self.st.in_order(self, unit)
        outbuf = self.st.outbuf
        if outbuf is not None and not outbuf.try_put(unit):
            self.set_activity(BLOCKED)
            yield outbuf.put(unit)

    def run(self):
        """The server's process: take, change over, process, inspect, hand on; forever."""
        st = self.st
        self.plan = plan = self.line.plan
        aside = plan.aside
        inbuf, outbuf = st.inbuf, st.outbuf
        cycle = st.cycle
        quality = st.quality
        work, consume = self.work, st.consume
        ordered = len(st.servers) > 1  # parallel servers keep product order (no overtaking)
        while True:
            if ordered:
                st.let_go(self)
            # -- take a unit
            if inbuf is None:
                unit = plan.release() or (yield from self._wait_release(plan))
            else:
                ok, unit = inbuf.try_get()
                if not ok:
                    self.set_activity(STARVED if plan.releasing else NO_PLAN)
                    plan.wait_input(self)
                    unit = yield inbuf.get()
                    plan.input_came(self)
            if aside and unit.product in aside:
                plan.set_aside(unit, st.idx)
                continue
            if ordered:
                self.held, self.seq = unit, st.take_seq()
            if unit.skip > st.idx:  # back from the set-aside area: done here already
                yield from self._pass_on(unit, ordered)
                continue
            try:
                for stock, qty in consume.get(unit.product, ()):
                    if qty := stock.take_now(qty, unit.product):  # parts missing: wait for them
                        yield from stock.take(self, qty, unit.product)
                # -- change over
                product = unit.product
                if product != self.product:
                    yield from self._change_over(product)
                # -- process
                yield from work(cycle[product]() / self.eff, WORKING)
                st.done += 1
                if quality is not None and (yield from self._inspect(unit, quality())):
                    continue  # scrapped
            except SetAside:
                plan.set_aside(unit, st.idx)
                continue
            # -- hand on
            if ordered:
                yield from st.in_order(self, unit)
            if outbuf is None:
                plan.finish(unit)
            elif not outbuf.try_put(unit):
                self.set_activity(BLOCKED)
                yield outbuf.put(unit)
