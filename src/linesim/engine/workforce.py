"""Operators at run time: daily absence, posts, relief and hand-over.

See :mod:`linesim.scenario.workforce` for the rules. Each server of a station with ``crew``
c holds c operator places; a server with an empty place is in state ``no_operator``. A
reliever (floater, or a present operator with no free place at home) is sent to the oldest
uncovered place it is skilled for and runs it after its hand-over time (floaters'
``handover_minutes``); when the regular operator comes back the reliever leaves and covers
the next uncovered place. Short absences and the section rule live in
:mod:`linesim.engine.absence`, team leads' moves of idle operators in
:mod:`linesim.engine.teamlead`.
"""

from __future__ import annotations

from simpy import Timeout

from ..scenario.workforce import Workforce
from .absence import start_short_absences
from .calendar import WorkDay
from .context import Build
from .line import LineRuntime
from .people import Person, SectionRT
from .server import Server
from .streams import stream_name
from .teamlead import TeamLead


class WorkforceRT:
    """The plant's people: assigns them each day, sends relief, runs short absences."""

    def __init__(self, build: Build, wf: Workforce, lines: list[LineRuntime]):
        self.env = build.env
        streams = build.streams
        self.wf = wf
        self.servers_at: dict[str, list[Server]] = {}
        for line in lines:
            for st in line.stations:
                for s in st.servers:
                    s.set_crew(st.spec.crew)
                self.servers_at[f"{line.name}/{st.name}"] = st.servers
        self.line_of = {f"{ln.name}/{st.name}": ln for ln in lines for st in ln.stations}
        eff = wf.efficiency_of
        self.people = [Person(o.name, eff(o.efficiency), set(o.skills), o.post)
                       for o in wf.operators]
        self.people += [Person(f.name, eff(f.efficiency), set(f.skills), None,
                               f.handover_minutes) for f in wf.floaters]
        #: post -> its section (the first that lists it)
        self.section_of: dict[str, SectionRT] = {}
        for sec in wf.sections:
            rt = SectionRT(sec.max_away, sec.cover_units, sec.cover_wait_minutes)
            for post in sec.posts:
                self.section_of.setdefault(post, rt)
        for p in self.people:
            p.section = self.section_of.get(p.home) if p.home else None
        self.order = {p.name: i for i, p in enumerate(self.people)}
        self.free: list[Person] = []
        self.uncovered: list[Server] = []
        self.coming: dict[Server, int] = {}  # relievers walking to a place
        self.absence = {p.name: streams.get(stream_name("absence", p.name)).uniform
                        for p in self.people}
        #: team leads who move idle operators (None: nobody moves)
        self.lead = TeamLead(self, wf.rebalance, lines) if wf.rebalance is not None else None
        start_short_absences(self, wf.short_absence, streams)

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
                self.leave(p)
            p.heading = None
            p.trip += 1  # walks under way are called off
        self.coming = {}
        if self.lead is not None:
            self.lead.new_day()
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
                server = self.open_place(p.home)
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
        self.dispatch_all()

    # -- assignment ----------------------------------------------------------------------
    def needs(self, server: Server) -> int:
        """Empty places at ``server`` that nobody is walking to."""
        return server.unmanned - self.coming.get(server, 0) if self.coming else server.unmanned

    def open_place(self, post: str) -> Server | None:
        for s in self.servers_at[post]:
            if self.needs(s) > 0:
                return s
        return None

    def _join(self, p: Person, server: Server) -> None:
        p.at = server
        server.join(p)

    def leave(self, p: Person) -> Server:
        server = p.at
        p.at = None
        server.leave(p)
        return server

    def pick(self, post: str) -> Person | None:
        able = [p for p in self.free if post in p.skills]
        if not able:
            return None
        if self.wf.relief_rule == "fewest_skills":
            return min(able, key=lambda p: (len(p.skills), self.order[p.name]))
        return min(able, key=lambda p: self.order[p.name])

    def send(self, p: Person, server: Server, minutes: float, covering: Person | None) -> None:
        """``p`` takes a place at ``server`` after ``minutes`` (walking and hand-over); the
        place stays empty meanwhile, and nobody else is sent to it."""
        p.covering = covering
        if minutes <= 0:
            self._join(p, server)
            return
        p.heading = server
        p.trip += 1
        self.coming[server] = self.coming.get(server, 0) + 1
        self.env.process(self._walk(p, server, minutes, p.trip))

    def _walk(self, p: Person, server: Server, minutes: float, trip: int):
        yield Timeout(self.env, minutes)
        if p.trip != trip:  # a new day began on the way
            return
        p.heading = None
        self.coming[server] -= 1
        if server.unmanned > 0 and not p.absent:
            self._join(p, server)
            if not server.unmanned and server in self.uncovered:
                self.uncovered.remove(server)
        else:  # the place was taken back meanwhile
            self._free(p)

    def _cover(self, server: Server, missing: Person | None) -> bool:
        r = self.pick(server.post)
        if r is None:
            return False
        self.free.remove(r)
        self.send(r, server, r.handover, missing)
        return True

    def dispatch_all(self) -> None:
        still = []
        for s in self.uncovered:
            while self.needs(s) > 0 and self._cover(s, None):
                pass
            if s.unmanned:
                still.append(s)
        self.uncovered = still

    def _free(self, p: Person) -> None:
        p.covering = None
        if self.lead is not None and self.lead.send_home(p):
            return
        self.free.append(p)
        self.dispatch_all()

    def left_post(self, p: Person) -> Server:
        """``p`` leaves the post for a while (a short absence): a reliever is sent or the
        place is uncovered (and a team lead may move an idle operator to it)."""
        server = self.leave(p)
        if not self._cover(server, p):
            self.uncovered.append(server)
            if self.lead is not None:
                self.lead.place_left(server)
        return server

    def come_back(self, p: Person, server: Server, covered_for: Person | None) -> None:
        """``p`` is back from a short absence at ``server``."""
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
                self.leave(r)
                self._join(p, server)
                self._free(r)
                return
        self._free(p)
