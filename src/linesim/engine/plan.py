"""A line's daily plan at run time: plan items, releases, stops, set-aside units, and the
backup items that the :class:`~linesim.engine.backup.BackupController` decides on.

Plan semantics: at the start of each working day's first shift the line loads that day's
plan items; what is left of the previous day's plan is dropped (no carry-over; units in
progress still finish and count on the day they finish). The first station starts units of
the first item with quantity left, then the next item. A scrapped unit of today's plan is
started again. Once every unit of the day's plan has been started, the first station waits
in state ``no_plan``, and so does any station waiting for input (nothing more to make today).

Backups (the seed's measure 1.1): when a quality stop on product P reaches the decision
level, or a station has waited ``materials.backup_after_minutes`` for a part of P, the
backup controller changes the line over to the first backup product that is not stopped
and can run: every station changes over at once (the line is stopped anyway), a new plan item of that
product for P's remaining quantity goes first, units of P met by a station are set aside
(they stay work in progress), and when P's problem is solved the line
either returns to P (the set-aside units go back into the line behind the units in it, and
pass the stations they had already done) or stays on the backup, and the set-aside units of P go back the next time the line makes P.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from simpy import Event

from ..scenario.model import Line
from .calendar import WorkDay
from .context import Build
from .recorder import LineCounts
from .states import NO_PLAN, STARVED
from .units import Slot, Unit


class PlanLine(Protocol):
    """What the daily plan uses of its line (:class:`~linesim.engine.line.LineRuntime`)."""

    name: str
    stations: list  #: the line's stations, in order
    servers: list  #: every server of the line

    def set_halted(self, halted: bool) -> None: ...
    def change_over_all(self, product: str, minutes: float): ...
    def wait_worked(self, minutes: float): ...


class DailyPlan:
    """A line's daily plan at run time: plan items, releases to the first station, stops
    of products, backups and set-aside units (see the module's text)."""

    def __init__(self, build: Build, spec: Line, line: PlanLine, counts: LineCounts):
        """``spec``: the line's scenario; ``line``: the line it plans for; ``counts``: where
        released, finished, scrapped and planned units are counted."""
        self.env = build.env
        self.line = line
        self.counts = counts
        self.plan = build.scenario.plan.get(spec.name)
        self.materials = None  # the plant's MaterialsRT, once connected
        self.backup = None  # the line's BackupController, once connected
        self.releasing = False
        self._release_waiters: list[Event] = []
        self.waiting: set = set()  # servers waiting for input: told when releasing changes
        self.slots: list[Slot] = []
        self.slot_i = 0
        self.met = 0
        self.met_event: Event | None = None
        self.last_product: str | None = None
        self.stopped: set[str] = set()  # products under a quality stop
        self.halting: set[str] = set()  # stopped products that keep the line halted
        self.aside: set[str] = set()  # products whose units are set aside when met
        self.quarantine: list[tuple[int, Unit]] = []  # (station index, unit) set aside
        self.reinject: deque[Unit] = deque()  # set-aside units going back to station 0

    # -- connect -------------------------------------------------------------------------
    def connect_materials(self, materials) -> None:
        """Plan with the plant's materials: replanning on known shortages (3.4)."""
        self.materials = materials

    def connect_backup(self, backup) -> None:
        """The line's :class:`~linesim.engine.backup.BackupController`."""
        self.backup = backup

    def items_on(self, date) -> tuple:
        """The plan items of ``date`` (none without a plan)."""
        return self.plan.items_on(date) if self.plan is not None else ()

    def unmet(self) -> bool:
        """Whether today's plan has items that are not yet met."""
        return bool(self.slots) and not self.met_event.triggered

    # -- stops (quality) -----------------------------------------------------------------
    def stop(self, product: str) -> None:
        """A quality stop on ``product``: nothing of it is started, and the line halts while
        it still has to make it."""
        self.stopped.add(product)
        self.halting.add(product)
        self.update_halt()

    def contain(self, product: str) -> None:
        """The stop on ``product`` no longer halts the line (it runs a backup)."""
        self.halting.discard(product)
        self.update_halt()

    def resolve(self, product: str, policy: str) -> None:
        """The stop on ``product`` is over: return to it or stay on the backup (policy)."""
        self.halting.discard(product)
        self.stopped.discard(product)
        self.backup.end_switch(product, policy)
        self.update_halt()
        self.replan()

    def hold(self, product: str) -> None:
        """Start nothing more of ``product`` (a shortage being dealt with)."""
        self.stopped.add(product)

    def unhold(self, product: str) -> None:
        """``product`` may be started again (as far as holds go)."""
        self.stopped.discard(product)

    def is_stopped(self, product: str) -> bool:
        """Whether ``product`` is held or under a quality stop."""
        return product in self.stopped

    # -- making a backup instead (decided by the backup controller) ----------------------
    def make_instead(self, product: str, backup: str) -> None:
        """Make ``backup`` for the rest of today's quantity of ``product``; units of
        ``product`` met from now on are set aside, ``backup``'s set-aside units go back."""
        qty = sum(s.remaining for s in self.slots if s.product == product and s.active)
        if qty > 0:
            self.slots.insert(self.slot_i, Slot(backup, qty, backup_for=product))
            self.met_event = Event(self.env) if self.met_event.triggered else self.met_event
        self.aside.add(product)
        self.aside.discard(backup)
        self.put_back(backup)

    def keep_product(self, product: str) -> None:
        """Units of ``product`` are no longer set aside (no backup for it)."""
        self.aside.discard(product)

    def end_instead(self, product: str, policy: str) -> None:
        """The backup for ``product`` ends: ``return`` to ``product`` (its backup item is
        dropped and its set-aside units go back) or ``stay`` on the backup (what is left of
        ``product`` today is dropped; its units wait until it is made again)."""
        if policy == "return":
            self.aside.discard(product)
        for s in self.slots:
            if not s.active:
                continue
            if policy == "return" and s.backup_for == product:
                s.remaining = 0
            elif policy == "stay" and s.product == product:
                s.remaining = 0
        if policy == "return":
            self.put_back(product)
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
        for s in self.slots:
            s.active = False
            s.remaining = 0
        items = self.items_on(day.date)
        self.slots = [Slot(it.product, it.quantity) for it in items]
        mat = self.materials
        if mat is not None and mat.m.replan_on_shortage and len(self.slots) > 1:
            # 3.4: items that the known stock cannot cover move behind those it can
            ok = [s for s in self.slots if mat.available(self.line, s.product, s.quantity)]
            self.slots = ok + [s for s in self.slots if s not in ok]
        self.slot_i = 0
        self.met = 0
        self.met_event = Event(self.env)
        for it in items:
            self.counts.planned[it.product, day.index] += it.quantity
        self.backup.new_day()
        for product in dict.fromkeys(s.product for s in self.slots):  # in plan order
            if product in self.stopped or self.backup.is_switched(product):
                continue
            self.aside.discard(product)
            self.put_back(product)
        self.update_halt()
        self.replan()

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

    def release_event(self) -> Event:
        """An event that succeeds when there is something to start again."""
        ev = Event(self.env)
        self._release_waiters.append(ev)
        return ev

    def release(self) -> Unit | None:
        """The next unit for the first station, or None when there is nothing to start."""
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
        if slot.active and slot.good == slot.quantity:
            self.met += 1
            if self.met == len(self.slots):
                self.met_event.succeed()

    def scrap(self, unit: Unit, station: int) -> None:
        """A unit is scrapped at ``station``; today's plan starts another in its place."""
        counts = self.counts
        counts.scrapped += 1
        counts.wip_change(self.env._now, -1)
        slot = unit.slot
        if slot.active:
            slot.remaining += 1
            self.slot_i = min(self.slot_i, self.slots.index(slot))
            self.replan()

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
        station, behind every unit already in the line (one changeover a station, not a
        product change back and forth), furthest along first, and pass the stations they
        had already done untouched."""
        if not self.quarantine:
            return
        back = [(i, u) for i, u in self.quarantine if u.product == product]
        if not back:
            return
        self.quarantine = [(i, u) for i, u in self.quarantine if u.product != product]
        back.sort(key=lambda iu: -iu[0])
        self.reinject.extend(u for _, u in back)
