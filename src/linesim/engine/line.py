"""A line at run time: builds and connects its stations, buffers and daily plan, and keeps
its shift (calendar state, halts, line-wide changeovers) and working/running clocks.

The line's state is derived from the calendar (on, break, off shift) and from quality stops:
on shift but halted by a quality stop, every server is in state ``quality_stop``; while the
whole line changes over to a backup product, in state ``changeover``.
"""

from __future__ import annotations

import datetime as dt

from simpy import AnyOf, Event, Timeout

from ..scenario.model import Line
from .backup import BackupController
from .buffer import Buffer
from .calendar import HALTED, OFF, ON, WorkDay
from .context import Build
from .plan import DailyPlan
from .rootcause import RootCause
from .states import QUALITY_STOP
from .station import StationRuntime
from .units import Slot, Unit


class LineRuntime:
    """One line during a run: its stations, buffers and plan (parts of their own), its shift."""

    __slots__ = ("_changes", "_on_waiters", "_run_waiters", "backup", "calendar", "changing",
                 "constraint", "counts", "crew", "env", "halt_state", "halted", "log",
                 "name", "on_since", "plan", "rootcause", "running_acc", "running_since",
                 "servers", "shift", "spec", "stations", "worked_acc")

    def __init__(self, build: Build, spec: Line):
        self.env = env = build.env
        self.spec = spec
        self.name = spec.name
        self.log = build.log
        #: the line's counters (units, WIP, flow time), kept by the run's recorder
        self.counts = build.recorder.line_counts()
        self.shift = OFF  # derived: calendar state, or HALTED when on shift but stopped
        self.calendar = OFF
        self.halted = False
        self.changing = False  # the whole line changes over (to or from a backup product)
        self._changes = 0  # line changeovers begun (the latest one ends the changing)
        #: the state of every server while the line is halted (set by the quality stops)
        self.halt_state = QUALITY_STOP
        self.on_since = self.running_since = 0.0
        self.worked_acc = self.running_acc = 0.0
        self._on_waiters: list[Event] = []
        self._run_waiters: list[Event] = []
        n = len(spec.stations)
        self.constraint = spec.constraint_index()
        self.stations: list[StationRuntime] = []
        #: told of every state change of the line's servers (it reads the stations list)
        self.rootcause = RootCause(env, self.stations, self.constraint)
        inbuf: Buffer | None = None
        for i, st in enumerate(spec.stations):
            outbuf = Buffer(env, st.buffer) if i < n - 1 else None
            self.stations.append(StationRuntime(self, i, st, build, inbuf, outbuf))
            inbuf = outbuf
        self.servers = [s for st in self.stations for s in st.servers]
        self.crew = len(self.servers)  # operators on the line (one per server)
        build.recorder.register(self.rootcause.reset)
        #: the line's daily plan (releases, stops, backups)
        self.plan = DailyPlan(build, spec, self, self.counts)
        #: the line's backup controller (when and to which backup product it changes over)
        self.backup = BackupController(build, spec, self, self.plan)
        self.plan.connect_backup(self.backup)
        self._start_units(spec, build)

    def _start_units(self, spec: Line, build: Build) -> None:
        """Put the stations' ``start_units`` in their buffers at minute 0: units of the
        product the line's plan makes first, counted as work in progress (outside the plan:
        they count as good units of their product, not against a plan item)."""
        loads = [(st, st.spec.start_units) for st in self.stations if st.spec.start_units]
        if not loads:
            return
        line_plan = build.scenario.plan.get(spec.name)
        product = next((items[0].product for wd in build.days
                        if line_plan and (items := line_plan.items_on(wd.date))), spec.products[0])
        slot = Slot(product, sum(n for _, n in loads))
        slot.remaining, slot.active = 0, False
        for st, n in loads:
            st.outbuf.items.extend(Unit(product, slot, 0.0) for _ in range(n))
        self.counts.wip_change(0.0, slot.quantity)
        self.counts.wip_start = self.counts.wip  # the level measuring starts from

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
        yield from self._wait_clock(self.worked, lambda: self.calendar == ON, self.on_event,
                                    minutes)

    def _wait_clock(self, clock, ticking, resumed, minutes: float):
        """Wait until ``clock()`` has advanced ``minutes``: sleep while it ticks (it never
        runs faster than time), else wait for the event ``resumed()``."""
        env = self.env
        target = clock() + minutes
        while True:
            left = target - clock()
            if left <= 1e-9:
                return
            if ticking():
                yield Timeout(env, left)
            else:
                yield resumed()

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

    def change_over_all(self, product: str, minutes: float):
        """Change every station over to ``product`` at once (``yield from``): the line
        stops in state ``changeover`` for ``minutes`` of working time."""
        for s in self.servers:
            s.take_product(product)
        self._changes += 1  # a newer line changeover takes over from one still running
        token = self._changes
        self.changing = True
        self._apply()
        yield from self.wait_worked(minutes)
        if token == self._changes:
            self.changing = False
            self._apply()

    def _apply(self) -> None:
        """Derive the line state from calendar and halt; stop or resume the servers."""
        stopped = self.halted or self.changing
        new = self.calendar if self.calendar != ON else (HALTED if stopped else ON)
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
            waiters, self._run_waiters = self._run_waiters, []
            for ev in waiters:
                ev.succeed()

    def run_event(self) -> Event:
        """An event that succeeds when the line next runs (on shift and not halted)."""
        ev = Event(self.env)
        self._run_waiters.append(ev)
        return ev

    def wait_running(self, minutes: float):
        """Wait (``yield from``) until ``minutes`` more of running time have passed."""
        yield from self._wait_clock(self.running, lambda: self.shift == ON, self.run_event,
                                    minutes)

    def controller(self, days: list[WorkDay], overtime=None):
        """The line's calendar: shifts, breaks, plan loading and overtime (``overtime``: the
        plant's :class:`~linesim.engine.overtime.OvertimeRule`, when the seed's rules are
        on)."""
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
                    self.plan.load_plan(day)
                self.set_shift(state)
                if b > env.now:
                    yield Timeout(env, b - env.now)
                if j + 1 < len(periods) and periods[j + 1][0] > b:
                    self.set_shift(OFF)
            if overtime is not None:
                yield from overtime.stay(self, day)
            elif day.overtime_cap > 0 and self.plan.unmet():
                self.set_shift(ON)
                yield AnyOf(env, [Timeout(env, day.overtime_cap), self.plan.met_event])
            if next_start is None or next_start > env.now:
                self.set_shift(OFF)


def day_of(t: float, start: dt.date) -> dt.date:
    """The calendar date of simulation minute ``t``."""
    return start + dt.timedelta(days=int(t // 1440))
