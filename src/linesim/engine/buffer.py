"""A finite FIFO buffer between two stations with blocking after service.

``capacity`` places; a capacity of 0 means a direct hand-over: a put completes only when a
server downstream is waiting for the unit. Callers first try the non-blocking
:meth:`try_get` / :meth:`try_put` and yield the returned event only when they must wait.

The buffer counts its waiting getters and putters itself (``n_get``, ``n_put``): a put or a
get that finds nobody waiting reads the buffer object and its items only, not the two
queues of waiters too (in a large plant, memory gone cold since the buffer's last unit).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from simpy import Environment, Event


class Buffer:
    __slots__ = ("env", "capacity", "items", "getters", "putters", "n_get", "n_put")

    def __init__(self, env: Environment, capacity: int):
        self.env = env
        self.capacity = capacity
        self.items: deque[Any] = deque()
        self.getters: deque[Event] = deque()
        self.putters: deque[tuple[Event, Any]] = deque()
        self.n_get = 0  # len(getters)
        self.n_put = 0  # len(putters)

    def __len__(self) -> int:
        return len(self.items)

    def try_get(self) -> tuple[bool, Any]:
        """Take a unit at once if one is there (or a putter is waiting to hand one over)."""
        items = self.items
        if items:
            unit = items.popleft()
            if self.n_put:
                self.n_put -= 1
                ev, waiting = self.putters.popleft()
                items.append(waiting)
                ev.succeed()
            return True, unit
        if self.n_put:
            self.n_put -= 1
            ev, unit = self.putters.popleft()
            ev.succeed()
            return True, unit
        return False, None

    def get(self) -> Event:
        """An event that succeeds with the next unit (call after a failed try_get)."""
        ev = Event(self.env)
        self.getters.append(ev)
        self.n_get += 1
        return ev

    def try_put(self, unit: Any) -> bool:
        """Hand the unit to a waiting getter or store it if there is room."""
        if self.n_get:
            self.n_get -= 1
            self.getters.popleft().succeed(unit)
            return True
        if len(self.items) < self.capacity:
            self.items.append(unit)
            return True
        return False

    def put(self, unit: Any) -> Event:
        """An event that succeeds once the unit is taken (call after a failed try_put)."""
        ev = Event(self.env)
        self.putters.append((ev, unit))
        self.n_put += 1
        return ev
