"""A line at run time: its stations and buffers, its daily plan, its shift, its counters.

Plan semantics: at the start of each working day's first shift the line loads that day's
plan items; what is left of the previous day's plan is dropped (no carry-over; units in
progress still finish and count on the day they finish). The first station starts units of
the first item with quantity left, then the next item. A scrapped unit of today's plan is
started again. Once every unit of the day's plan has been started, the first station waits
in state ``no_plan``, and so does any station waiting for input (it is not starved: there is
nothing more to make today).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from simpy import AnyOf, Environment, Event, Timeout

from ..scenario.model import Line, Scenario
from .buffer import Buffer
from .calendar import HALTED, OFF, ON, WorkDay
from .states import NO_PLAN, STARVED
from .station import StationRuntime
from .streams import Streams


class Slot:
    """One plan item of one day at run time."""

    __slots__ = ("product", "quantity", "remaining", "good", "active")

    def __init__(self, product: str, quantity: int):
        self.product = product
        self.quantity = quantity
        self.remaining = quantity
        self.good = 0
        self.active = True


class Unit:
    """A unit in the line: its product, its plan slot and when it was started (minutes)."""

    __slots__ = ("product", "slot", "t0")

    def __init__(self, product: str, slot: Slot, t0: float):
        self.product = product
        self.slot = slot
        self.t0 = t0


class LineRuntime:
    """Everything of one line during a run."""

    def __init__(self, env: Environment, scenario: Scenario, spec: Line, streams: Streams,
                 log: list | None):
        self.env = env
        self.spec = spec
        self.name = spec.name
        self.log = log
        self.plan = scenario.plan.get(spec.name)
        self.shift = OFF  # derived: calendar state, or HALTED when on shift but stopped
        self.calendar = OFF
        self.halted = False
        self.on_since = self.running_since = 0.0
        self.worked_acc = self.running_acc = 0.0
        self._on_waiters: list[Event] = []
        self.releasing = False
        self._release_waiters: list[Event] = []
        self.waiting: set = set()
        self.slots: list[Slot] = []
        self.slot_i = 0
        self.met = 0
        self.met_event: Event | None = None
        n = len(spec.stations)
        self.constraint = spec.constraint_index()
        self.stations: list[StationRuntime] = []
        inbuf: Buffer | None = None
        for i, st in enumerate(spec.stations):
            outbuf = Buffer(env, st.buffer) if i < n - 1 else None
            self.stations.append(StationRuntime(self, i, st, streams, inbuf, outbuf))
            inbuf = outbuf
        self.servers = [s for st in self.stations for s in st.servers]
        self.reset_counters()

    # -- counters ------------------------------------------------------------------------
    def reset_counters(self) -> None:
        """Start the statistics now (t=0 or end of warm-up); WIP in the line is kept."""
        now = self.env.now
        self.started = 0
        self.good = 0
        self.scrapped = 0
        self.wip_start = getattr(self, "wip", 0)
        self.wip = self.wip_start
        self.wip_area = 0.0
        self.wip_t = now
        self.flow_sum = 0.0
        self.daily: dict[tuple[str, int], int] = defaultdict(int)
        self.planned: dict[tuple[str, int], int] = defaultdict(int)
        self.t0 = now
        for st in self.stations:
            st.reset()

    def _wip_change(self, delta: int) -> None:
        now = self.env._now
        self.wip_area += self.wip * (now - self.wip_t)
        self.wip_t = now
        self.wip += delta

    # -- plan ----------------------------------------------------------------------------
    def load_plan(self, day: WorkDay) -> None:
        for s in self.slots:
            s.active = False
            s.remaining = 0
        items = self.plan.items_on(day.date) if self.plan is not None else ()
        self.slots = [Slot(it.product, it.quantity) for it in items]
        self.slot_i = 0
        self.met = 0
        self.met_event = Event(self.env)
        if self.env.now >= self.t0:
            for it in items:
                self.planned[it.product, day.index] += it.quantity
        self._set_releasing(bool(self.slots))

    def _set_releasing(self, flag: bool) -> None:
        if flag == self.releasing:
            return
        self.releasing = flag
        activity = STARVED if flag else NO_PLAN
        for s in self.waiting:
            s.set_activity(activity)
        if flag:
            waiters, self._release_waiters = self._release_waiters, []
            for ev in waiters:
                ev.succeed()

    def release_event(self) -> Event:
        """An event that succeeds when there is something to start again."""
        ev = Event(self.env)
        self._release_waiters.append(ev)
        return ev

    def release(self) -> Unit | None:
        """Start the next unit of today's plan, or None when all of it has been started."""
        slots = self.slots
        while self.slot_i < len(slots):
            slot = slots[self.slot_i]
            if slot.remaining > 0:
                slot.remaining -= 1
                self.started += 1
                self._wip_change(1)
                return Unit(slot.product, slot, self.env._now)
            self.slot_i += 1
        self._set_releasing(False)
        return None

    def finish(self, unit: Unit) -> None:
        """A good unit leaves the last station."""
        now = self.env._now
        self.good += 1
        self._wip_change(-1)
        self.flow_sum += now - unit.t0
        self.daily[unit.product, int(now // 1440)] += 1
        slot = unit.slot
        slot.good += 1
        if slot.active and slot.good == slot.quantity:
            self.met += 1
            if self.met == len(self.slots):
                self.met_event.succeed()

    def scrap(self, unit: Unit, station: int) -> None:
        """A unit is scrapped at ``station``; today's plan starts another in its place."""
        self.scrapped += 1
        self._wip_change(-1)
        slot = unit.slot
        if slot.active:
            slot.remaining += 1
            self.slot_i = min(self.slot_i, self.slots.index(slot))
            self._set_releasing(True)

    # -- shift ---------------------------------------------------------------------------
    def worked(self) -> float:
        """On-shift minutes since t=0 (the working-time clock; quality stops included)."""
        if self.calendar == ON:
            return self.worked_acc + self.env._now - self.on_since
        return self.worked_acc

    def running(self) -> float:
        """On-shift minutes outside quality stops since t=0 (the running clock)."""
        if self.shift == ON:
            return self.running_acc + self.env._now - self.running_since
        return self.running_acc

    def shift_on(self) -> bool:
        return self.calendar == ON

    def on_event(self) -> Event:
        """An event that succeeds when the line next goes on shift."""
        ev = Event(self.env)
        self._on_waiters.append(ev)
        return ev

    def wait_worked(self, minutes: float):
        """Wait (``yield from``) until ``minutes`` more of working time have passed."""
        env = self.env
        target = self.worked() + minutes
        while True:
            left = target - self.worked()
            if left <= 1e-9:
                return
            if self.calendar == ON:
                yield Timeout(env, left)
            else:
                yield self.on_event()

    def set_shift(self, state: int) -> None:
        """The calendar says the line is ON, on BREAK or OFF shift."""
        if state == self.calendar:
            return
        now = self.env.now
        if self.calendar == ON:
            self.worked_acc += now - self.on_since
        self.calendar = state
        if state == ON:
            self.on_since = now
            waiters, self._on_waiters = self._on_waiters, []
            for ev in waiters:
                ev.succeed()
        self._apply()

    def set_halted(self, halted: bool) -> None:
        """A quality stop halts (or releases) the whole line."""
        if halted != self.halted:
            self.halted = halted
            self._apply()

    def _apply(self) -> None:
        """Derive the line state from calendar and halt; stop or resume the servers."""
        new = self.calendar if self.calendar != ON else (HALTED if self.halted else ON)
        old = self.shift
        if new == old:
            return
        now = self.env.now
        if old == ON:
            self.running_acc += now - self.running_since
            for s in self.servers:
                s.interrupt()
        self.shift = new
        for s in self.servers:
            s.refresh()
        if new == ON:
            self.running_since = now
            for s in self.servers:
                s.wake()

    def controller(self, days: list[WorkDay]):
        """The line's calendar: shifts, breaks, plan loading and overtime."""
        env = self.env
        for n, day in enumerate(days):
            periods = day.periods
            # a day that ends exactly when the next begins (round-the-clock work) does not
            # go off shift in between
            next_start = days[n + 1].start if n + 1 < len(days) else None
            for j, (a, b, state) in enumerate(periods):
                if a > env.now:
                    yield Timeout(env, a - env.now)
                if j == 0:
                    self.load_plan(day)
                self.set_shift(state)
                if b > env.now:
                    yield Timeout(env, b - env.now)
                if j + 1 < len(periods) and periods[j + 1][0] > b:
                    self.set_shift(OFF)
            if day.overtime_cap > 0 and self.slots and not self.met_event.triggered:
                self.set_shift(ON)
                yield AnyOf(env, [Timeout(env, day.overtime_cap), self.met_event])
            if next_start is None or next_start > env.now:
                self.set_shift(OFF)


def day_of(t: float, start: dt.date) -> dt.date:
    """The calendar date of simulation minute ``t``."""
    return start + dt.timedelta(days=int(t // 1440))
