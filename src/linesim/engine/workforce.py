"""Operators at run time: daily absence, posts, short absences, sections and relief.

See :mod:`linesim.scenario.workforce` for the rules. Each server of a station with ``crew``
c holds c operator places; a server with an empty place is in state ``no_operator``. A
reliever (floater, or a present operator with no free place at home) is sent to the oldest
uncovered place it is skilled for; when the regular operator comes back the reliever leaves
and covers the next uncovered place.
"""

from __future__ import annotations

from simpy import Event, Timeout

from ..scenario.workforce import Workforce
from .calendar import WorkDay
from .context import Build
from .line import LineRuntime
from .server import Server
from .streams import stream_name


class Person:
    """An operator or floater during a run."""

    __slots__ = ("name", "eff", "skills", "home", "section", "at", "absent", "away", "covering")

    def __init__(self, name: str, eff: float, skills: set[str], home: str | None):
        self.name = name
        self.eff = eff
        self.skills = skills | ({home} if home else set())
        self.home = home
        self.section: SectionRT | None = None
        self.at: Server | None = None  # the server the person runs now
        self.absent = False  # misses today
        self.away = False  # left the post for a while
        self.covering: Person | None = None  # whose place a reliever is taking


class SectionRT:
    __slots__ = ("max_away", "away", "waiters")

    def __init__(self, max_away: int):
        self.max_away = max_away
        self.away = 0
        self.waiters: list[Event] = []


class WorkforceRT:
    """The plant's people: assigns them each day, sends relief, runs short absences."""

    def __init__(self, build: Build, wf: Workforce, lines: list[LineRuntime]):
        self.env = env = build.env
        streams = build.streams
        self.wf = wf
        self.servers_at: dict[str, list[Server]] = {}
        for line in lines:
            for st in line.stations:
                for s in st.servers:
                    s.set_crew(st.spec.crew)
                self.servers_at[f"{line.name}/{st.name}"] = st.servers
        self.line_of = {f"{ln.name}/{st.name}": ln for ln in lines for st in ln.stations}
        self.people = [Person(o.name, o.efficiency, set(o.skills), o.post) for o in wf.operators]
        self.people += [Person(f.name, f.efficiency, set(f.skills), None) for f in wf.floaters]
        sections = {}
        for sec in wf.sections:
            rt = SectionRT(sec.max_away)
            for post in sec.posts:
                sections.setdefault(post, rt)
        for p in self.people:
            p.section = sections.get(p.home) if p.home else None
        self.order = {p.name: i for i, p in enumerate(self.people)}
        self.free: list[Person] = []
        self.uncovered: list[Server] = []
        self.absence = {p.name: streams.get(stream_name("absence", p.name)).uniform for p in self.people}
        sa = wf.short_absence
        self.leaves = sa.rate_per_hour > 0
        if self.leaves:
            for p in self.people:
                gap = streams.get(stream_name("leave", p.name)).exponential
                dur = streams.sampler(sa.duration, stream_name("leave", p.name, "duration"))
                env.process(self._short_absences(p, gap, 60.0 / sa.rate_per_hour, dur))

    # -- the day -------------------------------------------------------------------------
    def daily(self, days: list[WorkDay]):
        env = self.env
        for day in days:
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            self.start_day()

    def start_day(self) -> None:
        for p in self.people:
            if p.at is not None:
                self._leave(p)
        self.free = []
        self.uncovered = []
        p_absent = self.wf.absenteeism
        arriving = []
        for p in self.people:
            p.absent = self.absence[p.name]() < p_absent if p_absent > 0 else False
            p.covering = None
            if not p.absent and not p.away:
                arriving.append(p)
        for p in arriving:  # regular operators first take their home places
            if p.home is not None:
                server = self._open_place(p.home)
                if server is not None:
                    self._join(p, server)
                    continue
        for p in arriving:
            if p.at is None:
                self.free.append(p)
        for servers in self.servers_at.values():
            for s in servers:
                if s.unmanned:
                    self.uncovered.append(s)
        self._dispatch_all()

    # -- assignment ----------------------------------------------------------------------
    def _open_place(self, post: str) -> Server | None:
        for s in self.servers_at[post]:
            if s.unmanned:
                return s
        return None

    def _join(self, p: Person, server: Server) -> None:
        p.at = server
        server.join(p)

    def _leave(self, p: Person) -> Server:
        server = p.at
        p.at = None
        server.leave(p)
        return server

    def _pick(self, post: str) -> Person | None:
        able = [p for p in self.free if post in p.skills]
        if not able:
            return None
        if self.wf.relief_rule == "fewest_skills":
            return min(able, key=lambda p: (len(p.skills), self.order[p.name]))
        return min(able, key=lambda p: self.order[p.name])

    def _cover(self, server: Server, missing: Person | None) -> bool:
        post = server.post
        r = self._pick(post)
        if r is None:
            return False
        self.free.remove(r)
        r.covering = missing
        self._join(r, server)
        return True

    def _dispatch_all(self) -> None:
        still = []
        for s in self.uncovered:
            while s.unmanned and self._cover(s, None):
                pass
            if s.unmanned:
                still.append(s)
        self.uncovered = still

    def _free(self, p: Person) -> None:
        p.covering = None
        self.free.append(p)
        self._dispatch_all()

    # -- short absences ------------------------------------------------------------------
    def _short_absences(self, p: Person, gap, mean_gap: float, duration):
        env = self.env
        line = self.line_of[p.home] if p.home else next(iter(self.line_of.values()))
        while True:
            yield from line.wait_worked(gap() * mean_gap)
            if p.absent or p.away or p.at is None:
                continue
            sec = p.section
            while sec is not None and sec.away >= sec.max_away:
                ev = Event(env)
                sec.waiters.append(ev)
                yield ev
            if p.absent or p.at is None:
                continue
            server = self._leave(p)
            p.away = True
            if sec is not None:
                sec.away += 1
            covered_for = p.covering
            if not self._cover(server, p):
                self.uncovered.append(server)
            yield Timeout(env, duration())
            p.away = False
            if sec is not None:
                sec.away -= 1
                waiters, sec.waiters = sec.waiters, []
                for ev in waiters:
                    ev.succeed()
            self._come_back(p, server, covered_for)

    def _come_back(self, p: Person, server: Server, covered_for: Person | None) -> None:
        if p.absent:
            return
        if server.unmanned:
            if server in self.uncovered and server.unmanned == 1:
                self.uncovered.remove(server)
            p.covering = covered_for
            self._join(p, server)
            return
        for r in server.crew_ops:
            if r.covering is p:  # the reliever hands the place back
                self._leave(r)
                self._join(p, server)
                self._free(r)
                return
        self._free(p)
