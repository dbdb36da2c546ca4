"""The recorder: the one place a run's counts are kept, warm-up is applied and records made.

Every part of the engine reports to the recorder it was built with: lines count units in
their :class:`LineCounts`, servers charge time to their state clocks, the root-cause tracker
and the materials keep their tables. Each registers its ``reset`` here, and at the end of the
warm-up the recorder applies the one rule to every table: the open state intervals are
charged, then everything counted so far is forgotten (units in the line are kept). Quality
stoppages count when they *begin* in the measured period.

A new counter of a line is one field of :class:`LineCounts` (with its default) and one of
:class:`LineRecord`. Parts that bring an optional state (see ``optional`` in
:data:`~linesim.engine.states.STATE_TABLE`) declare it with :meth:`Recorder.declare_state`;
only declared optional states appear in the records, so that a scenario without the feature
gives the same tables as before it existed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from simpy import Environment

from ..scenario.model import Scenario
from .states import STATE_TABLE, STATES


@dataclass(slots=True)
class LineCounts:
    """What one line counts over the measured period (units, unit-minutes, minutes)."""

    started: int = 0  #: units released into the line
    good: int = 0  #: good units finished
    scrapped: int = 0  #: units scrapped anywhere in the line
    flow_sum: float = 0.0  #: sum of release-to-finish minutes of good units
    sent_home_minutes: float = 0.0  #: operator-minutes sent home by idled quality stops
    daily: dict = field(default_factory=lambda: defaultdict(int))  #: (product, day) -> good
    planned: dict = field(default_factory=lambda: defaultdict(int))  #: (product, day) -> plan
    # -- work in progress: a level (kept at warm-up) and its time integral
    wip: int = 0  #: units in the line now
    wip_start: int = 0  #: units in the line when measuring began
    wip_area: float = 0.0  #: integral of ``wip`` over measured time, unit-minutes
    wip_t: float = 0.0  #: time of the last WIP change, minutes

    def wip_change(self, now: float, delta: int) -> None:
        """``delta`` units entered (left) the line at minute ``now``."""
        self.wip_area += self.wip * (now - self.wip_t)
        self.wip_t = now
        self.wip += delta

    def reset(self, now: float) -> None:
        """Forget the counts; the units in the line stay, as the new start level."""
        wip = self.wip
        for f in fields(self):
            setattr(self, f.name, f.default_factory() if callable(f.default_factory)
                    else f.default)
        self.wip = self.wip_start = wip
        self.wip_t = now


class Recorder:
    """The run's counts, its warm-up and its optional states."""

    def __init__(self, env: Environment, scenario: Scenario):
        self.env = env
        #: first measured minute (end of the warm-up)
        self.start = scenario.horizon.warmup_days * 1440.0
        self._flush: list[Callable[[], None]] = []
        self._reset: list[Callable[[], None]] = []
        self._declared: set[int] = set()
        self.scenario = scenario
        #: quality stoppages as they begin (those begun in the warm-up are left out)
        self.stoppages: list[Stoppage] = []
        #: replans (3.4): (minute, line, order before, order after, why); see engine.replan
        self.replans: list[tuple] = []
        #: backup decisions (1.1): (minute, line, product, cause, choice, why); engine.backup
        self.decisions: list[tuple] = []

    def register(self, reset: Callable[[], None], flush: Callable[[], None] | None = None
                 ) -> None:
        """Call ``reset()`` at the end of the warm-up, after every ``flush()`` (charging of
        open intervals up to then)."""
        self._reset.append(reset)
        if flush is not None:
            self._flush.append(flush)

    def line_counts(self) -> LineCounts:
        """A new line's counters, reset with every other table at the end of the warm-up."""
        counts = LineCounts()
        self.register(lambda: counts.reset(self.env.now))
        return counts

    def end_warmup(self) -> None:
        """Apply the warm-up rule to every registered table (at minute :attr:`start`)."""
        for flush in self._flush:
            flush()
        for reset in self._reset:
            reset()

    def declare_state(self, code: int) -> None:
        """A part of this run can put servers in the optional state ``code``."""
        self._declared.add(code)

    def run_record(self, lines: list, materials, seed: int, replication: int, days,
                   streams: list[str], log: list | None) -> RunRecord:
        """The record of the run, at the end of the horizon: every line's record, the
        quality stoppages begun in the measured period, the materials' tables (``materials``:
        the plant's MaterialsRT or None), the measured working days (``days``: every
        working day), the names of the random streams used and the event log."""
        start = self.start
        return RunRecord(
            scenario=self.scenario, seed=seed, replication=replication, start=start,
            end=self.scenario.horizon.days * 1440.0,
            lines=[self.line_record(line) for line in lines],
            working_days=[d.index for d in days if d.index * 1440.0 >= start],
            stoppages=[s for s in self.stoppages if s.start >= start],
            replans=[r for r in self.replans if r[0] >= start],
            decisions=[d for d in self.decisions if d[0] >= start],
            material_waits=dict(materials.waits) if materials else {},
            part_days=materials.defect_days() if materials else [],
            stock={p.name: (p.physical, p.recorded) for p in materials.parts.values()}
            if materials else {},
            events=log, streams=streams)

    def line_record(self, line) -> LineRecord:
        """What ``line`` (a :class:`~linesim.engine.line.LineRuntime`) did since the
        warm-up, open intervals charged up to now (the end of the run)."""
        counts = line.counts
        counts.wip_change(self.env.now, 0)
        line.rootcause.flush()
        codes = self.reported_states()
        names = [STATES[i] for i in codes]
        stations = []
        for st in line.stations:
            minutes = [0.0] * len(STATES)
            units = [0.0] * len(STATES)
            failures = 0
            for s in st.servers:
                s.flush()
                failures += s.failures
                for i in range(len(STATES)):
                    minutes[i] += s.minutes[i]
                    units[i] += s.ideal_units[i]
            stations.append(StationRecord(
                name=st.name, servers=len(st.servers),
                minutes=dict(zip(names, (minutes[i] for i in codes))),
                ideal_units=dict(zip(names, (units[i] for i in codes))),
                processed=st.done, scrapped=st.scrapped, failures=failures,
                reworked=st.reworked))
        return LineRecord(
            name=line.name, constraint=line.constraint, stations=stations,
            started=counts.started, good=counts.good, scrapped=counts.scrapped,
            wip_start=counts.wip_start, wip_end=counts.wip, wip_area=counts.wip_area,
            flow_sum=counts.flow_sum, sent_home_hours=counts.sent_home_minutes / 60.0,
            rootcause={k: v[0] for k, v in line.rootcause.charged.items() if v[0] > 0},
            daily=dict(counts.daily), planned=dict(counts.planned))

    def reported_states(self) -> tuple[int, ...]:
        """Codes of the states the records report: every state that is not optional, and
        the optional ones declared by a part of this run."""
        return tuple(s.code for s in STATE_TABLE if not s.optional or s.code in self._declared)


@dataclass
class Stoppage:
    """One quality stoppage, as recorded (times in simulation minutes)."""

    line: str
    source: str
    origin: str
    part: str | None
    product: str
    start: float
    end: float = math.nan
    level: int = 0  #: highest escalation level reached (0: solved before the first)
    decision: str = ""  #: "backup" or "idle" once decided
    backup: str | None = None
    sent_home_hours: float = 0.0  #: operator-hours sent home while idled
    levels: list[tuple[int, str, float]] = field(default_factory=list)  #: (level, name, start)


@dataclass
class StationRecord:
    """What one station did during the measured period."""

    name: str
    servers: int
    #: server-minutes per state (sums to servers x measured minutes)
    minutes: dict[str, float]
    #: the same time in ideal units (server-minutes / standard minutes per unit)
    ideal_units: dict[str, float]
    processed: int  #: units whose processing finished here (first pass)
    scrapped: int  #: units scrapped here
    failures: int  #: failures that started here
    reworked: int = 0  #: units sent to rework here (first pass)


@dataclass
class LineRecord:
    """What one line did during the measured period."""

    name: str
    constraint: int  #: index of the constraint station
    stations: list[StationRecord]
    started: int = 0  #: units released into the line
    good: int = 0  #: good units finished
    scrapped: int = 0  #: units scrapped in the line
    wip_start: int = 0  #: units in the line when measuring began
    wip_end: int = 0  #: units in the line at the end
    wip_area: float = 0.0  #: integral of units in the line over time, unit-minutes
    flow_sum: float = 0.0  #: sum of release-to-finish minutes of good units
    sent_home_hours: float = 0.0  #: operator-hours sent home by quality stops without a backup
    #: (via starved/blocked, root cause, station) -> minutes of the constraint's servers
    rootcause: dict[tuple[str, str, str], float] = field(default_factory=dict)
    daily: dict[tuple[str, int], int] = field(default_factory=dict)  #: (product, day) -> good
    planned: dict[tuple[str, int], int] = field(default_factory=dict)  #: (product, day) -> plan

@dataclass
class RunRecord:
    """The raw result of one run; :mod:`linesim.results` turns it into tables and KPIs."""

    scenario: Scenario
    seed: int
    replication: int
    start: float  #: first measured minute (end of warm-up)
    end: float  #: last minute (end of horizon)
    lines: list[LineRecord]
    working_days: list[int]  #: indices of the measured working days
    stoppages: list[Stoppage] = field(default_factory=list)  #: quality stops begun when measured
    #: (line, station, part label) -> working minutes the station waited for the part
    material_waits: dict[tuple[str, str, str], float] = field(default_factory=dict)
    #: (part, source, day index, parts used, parts found defective) for defect-prone parts
    part_days: list[tuple] = field(default_factory=list)
    #: part -> (physical, recorded) warehouse stock at the end
    stock: dict[str, tuple[int, int]] = field(default_factory=dict)
    events: list[tuple] | None = None
    streams: list[str] = field(default_factory=list)
    #: (line, day index, units finished at the last station, first-pass failures) per
    #: measured working day (see :mod:`linesim.engine.batches`)
    batches: list[tuple[str, int, int, int]] = field(default_factory=list)
    #: replans (3.4) in the measured period: (minute, line, order before, after, why)
    replans: list[tuple] = field(default_factory=list)
    #: backup decisions (1.1, 2.3): (minute, line, product, cause, choice, why)
    decisions: list[tuple] = field(default_factory=list)


