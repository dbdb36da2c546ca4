"""A line's daily plan at run time: plan items, carry-over, releases, stops, set-aside units.

Plan semantics: at the start of each working day's first shift the line loads that day's
plan items. What is left of the previous day's items (quantity not yet started, and
replacements for scrapped units) is dropped or, with ``planning.carry_over: next_day``,
added to the new day's first item of its product (or, without one, put first); backup
items never carry over. Units in progress still finish and count on the day they finish. The first station starts units of the first item with
quantity left, then the next item (a line changes product as the first unit of the next
item reaches each station, see :mod:`linesim.engine.server` for the no-overtaking rule). A
scrapped unit is started again as long as its item is today's. Once every unit of the
day's plan has been started, the first station waits in state ``no_plan``, and so does any
station waiting for input (nothing more to make today).

Backups (1.1) are decided by the :class:`~linesim.engine.backup.BackupController`; the plan
carries them out: a backup item goes first, the units of the product switched away from
are set aside where a station meets them (they stay work in progress) and go back into
the line, at the first station and ahead of new units, the next time the line releases
that product; they pass the stations they had already done untouched. Replanning (3.4)
re-sequences the items (:mod:`linesim.engine.replan`).
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from simpy import Event

from ..scenario.model import Line
from .calendar import WorkDay
from .context import Build
from .recorder import LineCounts
from .replan import Replanner
from .states import NO_PLAN, STARVED
from .units import Slot, Unit


class PlanLine(Protocol):
    """What the daily plan uses of its line (:class:`~linesim.engine.line.LineRuntime`)."""

    name: str
    spec: Line  #: the line's scenario
    stations: list  #: the line's stations, in order
    servers: list  #: every server of the line
    crew: int  #: operators on the line

    def set_halted(self, halted: bool) -> None: ...
    def change_over_all(self, product: str, minutes: float): ...
    def wait_worked(self, minutes: float): ...
    def worked(self) -> float: ...


class DailyPlan:
    """A line's daily plan at run time: plan items, releases to the first station, stops
    of products, backup items and set-aside units (see the module's text)."""

    def __init__(self, build: Build, spec: Line, line: PlanLine, counts: LineCounts):
        """``spec``: the line's scenario; ``line``: the line it plans for; ``counts``: where
        released, finished, scrapped and planned units are counted."""
        self.env = build.env
        self.line = line
        self.counts = counts
        self.plan = build.scenario.plan.get(spec.name)
        self.carry_over = build.scenario.planning.carry_over == "next_day"
        self.replanner = None  # the line's Replanner (3.4), once connected
        self.replans: list[tuple] = build.recorder.replans  # the run's replan table
        self.backup = None  # the line's BackupController, once connected
        self.releasing = False
        self._release_waiters: list[Event] = []
        self._idle_waiters: list[Event] = []  # told when there is nothing to start
        self.waiting: set = set()  # servers waiting for input: told when releasing changes
        self.slots: list[Slot] = []
        self.slot_i = 0
        self.todo = 0  # units of today's (non-backup) items not yet made good
        self._carried: dict[str, int] = {}  # carried over outside the day's items (scrap)
        self.met_event: Event | None = None
        self.last_product: str | None = None
        self.stopped: set[str] = set()  # products held or under a quality stop
        self.halting: set[str] = set()  # stopped products that keep the line halted
        self.aside: set[str] = set()  # products whose units are set aside when met
        self.quarantine: list[tuple[int, Unit]] = []  # (station index, unit) set aside
        self.reinject: deque[Unit] = deque()  # set-aside units going back to station 0

    # -- connect -------------------------------------------------------------------------
    def connect_backup(self, backup) -> None:
        """The line's :class:`~linesim.engine.backup.BackupController`."""
        self.backup = backup

    def connect_materials(self, materials) -> None:
        """Plan with the plant's materials: with ``materials.replan_on_shortage`` the line
        gets a :class:`~linesim.engine.replan.Replanner` (3.4)."""
        if materials.m.replan_on_shortage:
            self.replanner = Replanner(self, materials)

    def connect_supply(self, supply) -> None:
        """Hear of late purchase orders from the warehouse's supply (for replanning)."""
        if self.replanner is not None:
            supply.late_listeners.append(self.replanner.order_news)

    def items_on(self, date) -> tuple:
        """The plan items of ``date`` (none without a plan)."""
        return self.plan.items_on(date) if self.plan is not None else ()

    def unmet(self) -> bool:
        """Whether today's plan has items that are not yet met."""
        return bool(self.slots) and not self.met_event.triggered

    # -- stops and holds -----------------------------------------------------------------
    def stop(self, product: str) -> None:
        """A quality stop on ``product``: none is started; the line halts while it needs it."""
        self.stopped.add(product)
        self.halting.add(product)
        self.update_halt()
        self.backup.poke()  # a backup that is itself stopped is re-decided

    def halt_for(self, product: str, halt: bool = True) -> None:
        """The stop on ``product`` halts the line (idle) or, ``halt`` False, no longer
        does (the line runs a backup)."""
        (self.halting.add if halt else self.halting.discard)(product)
        self.update_halt()

    def unstop(self, product: str) -> None:
        """The stop on ``product`` is over."""
        self.halting.discard(product)
        self.stopped.discard(product)
        self.update_halt()

    def hold(self, product: str) -> None:
        """Start nothing more of ``product`` (a shortage being dealt with)."""
        self.stopped.add(product)
        self.backup.poke()

    def unhold(self, product: str) -> None:
        """``product`` may be started again (as far as holds go)."""
        self.stopped.discard(product)

    def is_stopped(self, product: str) -> bool:
        """Whether ``product`` is held or under a quality stop."""
        return product in self.stopped

    # -- making a backup instead (decided by the backup controller) ----------------------
    def make_instead(self, product: str, backup: str) -> None:
        """Make ``backup`` for the rest of today's quantity of ``product`` (a backup item,
        first); units of ``product`` met from now on are set aside, and so are those of a
        backup made for it until now."""
        self.stop_instead(product)
        qty = sum(s.remaining for s in self.slots if s.product == product and s.active
                  and s.backup_for is None)
        if qty > 0:
            self.slots.insert(self.slot_i, Slot(backup, qty, backup_for=product))
        self.aside.add(product)
        self.aside.discard(backup)
        self.put_back(backup)

    def stop_instead(self, product: str) -> None:
        """Stop making a backup for ``product``: its items end, units met are set aside."""
        for s in self.slots:
            if s.active and s.backup_for == product and s.remaining > 0:
                s.remaining = 0
                self.aside.add(s.product)

    def keep_product(self, product: str) -> None:
        """Units of ``product`` are no longer set aside (no backup for it)."""
        self.aside.discard(product)

    def end_instead(self, product: str, policy: str) -> None:
        """The backup for ``product`` ends: ``return`` to ``product`` (the backup's item
        ends, its units in the line are set aside, ``product``'s set-aside units go back)
        or ``stay`` on the backup (what is left of ``product`` today is carried over or
        dropped by the carry-over rule; its units wait until it is made again)."""
        if policy == "return":
            self.stop_instead(product)
            self.aside.discard(product)
            self.put_back(product)
        else:
            for s in self.slots:
                if s.active and s.product == product and s.backup_for is None:
                    self.drop(s, s.remaining, carry=True)
        self.slot_i = 0
        self.replan()

    # -- the first station and its waiting servers ---------------------------------------
    def wait_input(self, server) -> None:
        """``server`` waits for input: it is told when there is (no) plan to start."""
        self.waiting.add(server)

    def input_came(self, server) -> None:
        """``server`` has its input."""
        self.waiting.discard(server)

    # -- loading and releasing -------------------------------------------------------------
    def load_plan(self, day: WorkDay) -> None:
        """Load the plan items of ``day`` (with yesterday's carried over, first)."""
        carry: dict[str, int] = dict(self._carried) if self.carry_over else {}
        for s in self.slots:
            if self.carry_over and s.active and s.backup_for is None and s.remaining > 0:
                carry[s.product] = carry.get(s.product, 0) + s.remaining
            s.active = False
            s.remaining = 0
        self._carried = {}
        items = self.items_on(day.date)
        listed = {it.product for it in items}
        merged = [[p, q] for p, q in carry.items() if q > 0 and p not in listed]
        for it in items:
            self.counts.planned[it.product, day.index] += it.quantity
            merged.append([it.product, it.quantity + carry.pop(it.product, 0)])
        self.slots = [Slot(p, q) for p, q in merged]
        self.slot_i = 0
        self.todo = sum(s.quantity for s in self.slots)
        self.met_event = Event(self.env)
        if self.replanner is not None:
            self.replanner.new_day()
        self.backup.new_day()
        self.update_halt()
        self.replan()

    def drop(self, slot: Slot, n: int, carry: bool) -> None:
        """``n`` not-started units of ``slot`` leave today's plan (carried over when the
        carry-over rule says so and ``carry``)."""
        if n <= 0:
            return
        slot.remaining -= n
        slot.quantity -= n
        if slot.backup_for is None:
            self.todo -= n
            if carry and self.carry_over:
                self._carried[slot.product] = self._carried.get(slot.product, 0) + n
            self._check_met()

    def _check_met(self) -> None:
        if self.todo <= 0 and self.met_event is not None and not self.met_event.triggered:
            self.met_event.succeed()

    def replan(self) -> None:
        """Re-check whether there is anything to start, and wake the first station."""
        stopped = self.stopped
        ok = bool(self.reinject) or any(
            s.remaining > 0 and s.product not in stopped for s in self.slots[self.slot_i:])
        self._set_releasing(ok)
        if ok and self._release_waiters:
            waiters, self._release_waiters = self._release_waiters, []
            for ev in waiters:
                ev.succeed()

    def _set_releasing(self, flag: bool) -> None:
        if flag == self.releasing:
            return
        self.releasing = flag
        activity = STARVED if flag else NO_PLAN
        for s in self.waiting:
            s.set_activity(activity)
        if not flag and self._idle_waiters:
            waiters, self._idle_waiters = self._idle_waiters, []
            for ev in waiters:
                ev.succeed()

    def release_event(self) -> Event:
        """An event that succeeds when there is something to start again."""
        ev = Event(self.env)
        self._release_waiters.append(ev)
        return ev

    def idle_event(self) -> Event:
        """An event that succeeds when the plan next has nothing to start."""
        self._idle_waiters.append(ev := Event(self.env))
        return ev

    def release(self) -> Unit | None:
        """The next unit for the first station, or None when there is nothing to start.
        Set-aside units go first; a product set aside that the plan makes again has its
        set-aside units put back first."""
        if self.reinject:
            return self.reinject.popleft()
        slots = self.slots
        n = len(slots)
        i = self.slot_i
        while i < n and slots[i].remaining == 0:
            i += 1
        self.slot_i = i
        stopped = self.stopped
        for j in range(i, n):
            slot = slots[j]
            if slot.remaining > 0 and (not stopped or slot.product not in stopped):
                if self.quarantine or self.aside:
                    self.aside.discard(slot.product)
                    self.put_back(slot.product)
                    if self.reinject:
                        return self.reinject.popleft()
                slot.remaining -= 1
                counts = self.counts
                counts.started += 1
                counts.wip_change(self.env._now, 1)
                self.last_product = slot.product
                return Unit(slot.product, slot, self.env._now)
        self._set_releasing(False)
        return None

    def finish(self, unit: Unit) -> None:
        """A good unit leaves the last station."""
        now = self.env._now
        counts = self.counts
        counts.good += 1
        counts.wip_change(now, -1)
        counts.flow_sum += now - unit.t0
        counts.daily[unit.product, int(now // 1440)] += 1
        slot = unit.slot
        slot.good += 1
        if slot.active and slot.backup_for is None and slot.good <= slot.quantity:
            self.todo -= 1
            self._check_met()

    def scrap(self, unit: Unit, station: int) -> None:
        """A unit is scrapped at ``station``; today's plan starts another in its place (a
        past day's item: carried over by the carry-over rule)."""
        counts = self.counts
        counts.scrapped += 1
        counts.wip_change(self.env._now, -1)
        slot = unit.slot
        if slot.active:
            slot.remaining += 1
            self.slot_i = min(self.slot_i, self.slots.index(slot))
            self.replan()
        elif self.carry_over and slot.backup_for is None:
            self._carried[slot.product] = self._carried.get(slot.product, 0) + 1

    def needs(self, product: str) -> bool:
        """Whether today's plan still has units of ``product`` to start."""
        return any(s.product == product and s.active and s.remaining > 0 for s in self.slots)

    def update_halt(self) -> None:
        """Halt the line while a stop without a backup hits a product it still has to make."""
        self.line.set_halted(any(self.needs(p) for p in self.halting))

    def set_aside(self, unit: Unit, station: int) -> None:
        """Take ``unit`` out of the line at ``station`` (it stays work in progress)."""
        unit.skip = station
        self.quarantine.append((station, unit))

    def put_back(self, product: str) -> None:
        """Return the set-aside units of ``product`` to the line. They enter at the first
        station, behind every unit already in the line, furthest along first, and pass the
        stations they had already done untouched."""
        if not self.quarantine:
            return
        back = [(i, u) for i, u in self.quarantine if u.product == product]
        if not back:
            return
        self.quarantine = [(i, u) for i, u in self.quarantine if u.product != product]
        back.sort(key=lambda iu: -iu[0])
        self.reinject.extend(u for _, u in back)
