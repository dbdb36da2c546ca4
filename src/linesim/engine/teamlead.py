"""Team leads who rebalance: idle operators move to uncovered places with work waiting.

The rule (see :class:`~linesim.scenario.workforce.Rebalance`):

- an operator is *idle* when the server it runs has been starved, blocked or without plan
  for at least ``idle_minutes``;
- a place is *uncovered with work waiting* when it lacks an operator, nobody is walking to
  it, its machine is up, and its server holds a unit to work on (it would be working,
  reworking or changing over);
- ``idle_minutes`` after an operator's server goes idle, when a place is left with no
  reliever, and every
  ``review_minutes`` of a line's working time, the team leads (one rule for the plant):
  1. send every moved operator whose place is idle back home if the home place is
     uncovered with work waiting;
  2. fill each uncovered place with work waiting, oldest first, with an idle operator
     skilled for it (the one with the fewest skills, or the first listed, as
     ``relief_rule`` says), who leaves the own place at once and runs the new one after
     ``walk_minutes``. An operator relieved by the place's own operator coming back goes
     home (walking) if the home place is empty.

Nothing here draws random numbers, so the lever leaves every stream's draws unchanged.
"""

from __future__ import annotations

from simpy import Timeout

from ..scenario.workforce import Rebalance
from .line import LineRuntime
from .people import Person, Staff
from .server import Server
from .states import BLOCKED, CHANGEOVER, NO_PLAN, REWORK, STARVED, WORKING

IDLE = frozenset((STARVED, BLOCKED, NO_PLAN))
PENDING = frozenset((WORKING, REWORK, CHANGEOVER))


class TeamLead:
    """The plant's team leads: move idle operators (see the module docstring)."""

    def __init__(self, rt: Staff, spec: Rebalance, lines: list[LineRuntime]):
        self.rt = rt
        self.env = rt.env
        self.walk = spec.walk_minutes
        self.idle = spec.idle_minutes
        self.moved: list[Person] = []  # regular operators sent away from home
        self._due = False
        self.moves = 0  #: moves made (for tests and traces)
        for line in lines:
            line.rootcause.add_listener(self._on_switch)
            if spec.review_minutes > 0:
                self.env.process(self._review(line, spec.review_minutes))

    # -- triggers ------------------------------------------------------------------------
    def _on_switch(self, server: Server, old: int, new: int) -> None:
        if new in IDLE and server.crew_ops:
            if self.idle > 0:
                self.env.timeout(self.idle).callbacks.append(self._look)
            else:
                self._soon()

    def place_left(self, server: Server) -> None:
        """A place was left with no reliever."""
        self._soon()

    def _soon(self) -> None:
        """Rebalance once the current instant's moves are done (never inside a server's
        state change)."""
        if not self._due:
            self._due = True
            self.env.timeout(0).callbacks.append(self._act)

    def _act(self, _event) -> None:
        self._due = False
        self.rebalance()

    def _look(self, _event) -> None:
        """An operator's server has been idle for ``idle_minutes`` (or is busy again)."""
        self.rebalance()

    def _review(self, line: LineRuntime, minutes: float):
        while True:
            yield from line.wait_worked(minutes)
            self.rebalance()

    def new_day(self) -> None:
        """Everybody starts the day at home."""
        self.moved = []

    # -- the rule ------------------------------------------------------------------------
    def rebalance(self) -> None:
        rt = self.rt
        for p in list(self.moved):
            s = p.at
            if s is None or s.post == p.home:
                if p.heading is None or p.heading.post == p.home:
                    self.moved.remove(p)
                continue
            if not p.away and s.state in IDLE:
                home = self._home_waiting(p)
                if home is not None:
                    self._move(p, home)
        for s in list(rt.uncovered):
            while rt.needs(s) > 0 and self._waiting(s):
                p = self._idle_for(s)
                if p is None:
                    break
                self._move(p, s)

    def send_home(self, p: Person) -> bool:
        """``p`` was relieved: walk home if the home place is empty (True), else False."""
        if p.home is None or p.absent:
            return False
        home = self.rt.open_place(p.home)
        if home is None:
            return False
        self.rt.send(p, home, self.walk, None)
        return True

    def _waiting(self, s: Server) -> bool:
        return s.unmanned > 0 and not s.failed and s.activity in PENDING

    def _home_waiting(self, p: Person) -> Server | None:
        for s in self.rt.servers_at[p.home]:
            if self.rt.needs(s) > 0 and self._waiting(s):
                return s
        return None

    def _idle_for(self, place: Server) -> Person | None:
        rt = self.rt
        post = place.post
        since = self.env.now - self.idle + 1e-9
        able = [p for p in rt.people if p.at is not None and p.at is not place
                and not p.away and post in p.skills and p.at.state in IDLE
                and p.at.since <= since]
        if not able:
            return None
        if rt.wf.relief_rule == "fewest_skills":
            return min(able, key=lambda p: (len(p.skills), rt.order[p.name]))
        return min(able, key=lambda p: rt.order[p.name])

    def _move(self, p: Person, place: Server) -> None:
        """``p`` leaves its place now and runs ``place`` after the walk."""
        rt = self.rt
        self.moves += 1
        old = rt.leave(p)
        missing = next((q for q in rt.people if q.away and q.home == place.post
                        and q.at is None), None)
        covering = p.covering if place.post == p.home else missing
        rt.send(p, place, self.walk, covering)
        if p.home is not None and place.post != p.home and p not in self.moved:
            self.moved.append(p)
        if old.unmanned and old not in rt.uncovered:
            rt.uncovered.append(old)
        rt.dispatch_all()
