"""Root causes of the constraint's starved, blocked and no-material time.

While a server of a line's constraint station is starved (blocked), the time is charged to
what starves (blocks) it: walking upstream (downstream) past stations that are themselves
starved (blocked), the first station with a reason, in this order of precedence over its
servers: the ``precedence`` of :data:`~linesim.engine.states.STATE_TABLE` (failed, no
operator, no material, quality stop, changeover, rework, working (the neighbour is simply
slower or had a slow unit: ``line_balance``), blocked, starved, no plan), charged to the
state's ``cause``. The cause is looked at again
each time any server of the line changes state, so every minute is charged to the cause in
force at that minute. Time the constraint itself waits for a part is charged to that part
and its source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from simpy import Environment

from .states import BLOCKED, CAUSE_OF_STATE, NO_MATERIAL, PRECEDENCE, STARVED, STATES

_ROUTED = (STARVED, BLOCKED, NO_MATERIAL)


class RootCause:
    """Open blame intervals of the constraint's servers and the time charged so far."""

    def __init__(self, env: Environment, stations: Sequence, constraint: int):
        """``stations``: the line's stations in order (each with ``name`` and ``servers``);
        ``constraint``: the index of the constraint station."""
        self.env = env
        self.stations = stations
        self.c = constraint
        self.open: dict = {}  # server -> [via state, (cause, station), since]
        #: (via, cause, station) -> [minutes, ideal units]
        self.charged: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        #: also told of every state change (``f(server, old, new)``), e.g. team leads
        self.listeners: list = []

    def add_listener(self, listener) -> None:
        """Tell ``listener(server, old, new)`` of every state change of the line's servers
        (after the root causes are updated). A line without listeners keeps the plain
        :meth:`on_switch` on its hot path."""
        self.listeners.append(listener)
        self.on_switch = self._switch_and_tell  # type: ignore[method-assign]

    def _switch_and_tell(self, server, old: int, new: int) -> None:
        RootCause.on_switch(self, server, old, new)
        for listener in self.listeners:
            listener(server, old, new)

    def reset(self) -> None:
        now = self.env._now
        self.charged.clear()
        for entry in self.open.values():
            entry[2] = now

    def on_switch(self, server, old: int, new: int) -> None:
        """Called by every server of the line after it changed state."""
        if server.st.idx == self.c and old != new:
            if old in _ROUTED and server in self.open:
                self._close(server)
            if new == NO_MATERIAL:  # the constraint itself waits for a part
                self.open[server] = [new, (f"no_material: {server.waiting_part}",
                                           server.st.name), server.env._now]
                return
            if new in (STARVED, BLOCKED):
                self.open[server] = [new, self._find(new), server.env._now]
                return
        if self.open:
            for s, entry in self.open.items():
                if entry[0] == NO_MATERIAL:
                    continue
                cause = self._find(entry[0])
                if cause != entry[1]:
                    self._charge(s, entry)
                    entry[1] = cause

    def flush(self) -> None:
        for s, entry in self.open.items():
            self._charge(s, entry)

    def _close(self, server) -> None:
        self._charge(server, self.open.pop(server))

    def _charge(self, server, entry: list) -> None:
        now = server.env._now
        dt = now - entry[2]
        cause, station = entry[1]
        acc = self.charged[STATES[entry[0]], cause, station]
        acc[0] += dt
        acc[1] += dt / server.ideal
        entry[2] = now

    def _find(self, via: int) -> tuple[str, str]:
        stations = self.stations
        step = -1 if via == STARVED else 1
        i = self.c + step
        while 0 <= i < len(stations):
            st = stations[i]
            server = min(st.servers, key=lambda s: PRECEDENCE[s.state])
            best = server.state
            if best == via:  # the neighbour is starved (blocked) too: look further
                i += step
                continue
            if best == NO_MATERIAL:
                return f"no_material: {server.waiting_part}", st.name
            return CAUSE_OF_STATE[best], st.name
        return ("no_plan", stations[0].name) if via == STARVED else ("line_balance", "")
