"""People during a run: a person, a section, and what the workforce's helpers (short
absences, team leads) may ask of the workforce (:class:`Staff`)."""

from __future__ import annotations

from typing import Protocol

from simpy import Environment, Event

from ..scenario.workforce import Workforce
from .server import Server


class Person:
    """An operator or floater during a run."""

    __slots__ = ("name", "eff", "skills", "home", "section", "at", "absent", "away", "covering",
                 "handover", "heading", "trip")

    def __init__(self, name: str, eff: float, skills: set[str], home: str | None,
                 handover: float = 0.0):
        self.name = name
        self.eff = eff
        self.skills = skills | ({home} if home else set())
        self.home = home
        self.section: SectionRT | None = None
        self.at: Server | None = None  # the server the person runs now
        self.absent = False  # misses today
        self.away = False  # left the post for a while
        self.covering: Person | None = None  # whose place a reliever is taking
        self.handover = handover  # minutes to take over a place as a reliever
        self.heading: Server | None = None  # the place the person is walking to
        self.trip = 0  # counts the person's walks (a new day calls every walk off)


class SectionRT:
    """A section's operators away now and the ones waiting to leave."""

    __slots__ = ("max_away", "cover_units", "cover_wait", "away", "waiters")

    def __init__(self, max_away: int, cover_units: int | None = None,
                 cover_wait: float = 30.0):
        self.max_away = max_away
        self.cover_units = cover_units
        self.cover_wait = cover_wait
        self.away = 0
        self.waiters: list[Event] = []


class Staff(Protocol):
    """What :mod:`~linesim.engine.absence` and :mod:`~linesim.engine.teamlead` use of the
    workforce (:class:`~linesim.engine.workforce.WorkforceRT`)."""

    env: Environment
    wf: Workforce
    people: list[Person]
    order: dict[str, int]
    servers_at: dict[str, list[Server]]
    line_of: dict
    section_of: dict[str, SectionRT]
    uncovered: list[Server]

    def needs(self, server: Server) -> int: ...
    def send(self, p: Person, server: Server, minutes: float, covering: Person | None) -> None: ...
    def left_post(self, p: Person) -> Server: ...
    def come_back(self, p: Person, server: Server, covered_for: Person | None) -> None: ...
    def open_place(self, post: str) -> Server | None: ...
    def pick(self, post: str) -> Person | None: ...
    def leave(self, p: Person) -> Server: ...
    def dispatch_all(self) -> None: ...
