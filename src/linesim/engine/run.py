"""``simulate(scenario, seed)``: build the SimPy model, run it, return the raw record.

Phases, as in desmod: build (runtime objects from the scenario), connect (processes),
run (to the end of the warm-up, reset statistics, to the end of the horizon), collect
(a :class:`RunRecord` of plain numbers, no SimPy objects).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import simpy

from ..scenario.model import Scenario
from .calendar import work_days
from .failures import attach_failures
from .line import LineRuntime
from .materials import MaterialsRT
from .quality import Stoppage, attach_quality
from .states import STATES
from .streams import Streams
from .workforce import WorkforceRT


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


@dataclass
class LineRecord:
    """What one line did during the measured period."""

    name: str
    constraint: int  #: index of the constraint station
    stations: list[StationRecord]
    started: int
    good: int
    scrapped: int
    wip_start: int
    wip_end: int
    wip_area: float  #: integral of units in the line over time, unit-minutes
    flow_sum: float  #: sum of release-to-finish minutes of good units
    sent_home_hours: float  #: operator-hours sent home by quality stops without a backup
    #: (via starved/blocked, root cause, station) -> minutes of the constraint's servers
    rootcause: dict[tuple[str, str, str], float]
    daily: dict[tuple[str, int], int]  #: (product, day index) -> good units
    planned: dict[tuple[str, int], int]  #: (product, day index) -> planned units


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


def simulate_record(scenario: Scenario, seed: int | None = None, replication: int = 0,
                    event_log: bool = False) -> RunRecord:
    """Run ``scenario`` once with ``seed`` (default: the scenario's) and replication number
    ``replication``; ``event_log`` keeps every state change (memory grows with time)."""
    seed = scenario.seed if seed is None else int(seed)
    env = simpy.Environment()
    streams = Streams(seed, replication)
    log: list[tuple] | None = [] if event_log else None
    days = work_days(scenario)
    stoppages: list[Stoppage] = []
    # build
    lines = [LineRuntime(env, scenario, spec, streams, log) for spec in scenario.lines]
    # connect (people first: at the start of a day they take their places before work)
    if scenario.workforce is not None:
        people = WorkforceRT(env, scenario, scenario.workforce, lines, streams)
        env.process(people.daily(days))
    materials = (MaterialsRT(env, scenario, lines, streams, days)
                 if scenario.materials.parts else None)
    for line in lines:
        for st in line.stations:
            for server in st.servers:
                attach_failures(server, st.spec.failures, streams)
                server.proc = env.process(server.run())
        env.process(line.controller(days))
        attach_quality(line, scenario, streams, stoppages)
    # run
    start = scenario.horizon.warmup_days * 1440.0
    end = scenario.horizon.days * 1440.0
    if start > 0:
        env.run(until=start)
        for line in lines:
            for s in line.servers:
                s.flush()
            line.reset_counters()
        if materials is not None:
            materials.reset()
    env.run(until=end)
    # collect
    return RunRecord(
        scenario=scenario,
        seed=seed,
        replication=replication,
        start=start,
        end=end,
        lines=[_line_record(line) for line in lines],
        working_days=[d.index for d in days if d.index * 1440.0 >= start],
        stoppages=[s for s in stoppages if s.start >= start],
        material_waits=dict(materials.waits) if materials else {},
        part_days=materials.defect_days() if materials else [],
        stock={p.name: (p.physical, p.recorded) for p in materials.parts.values()}
        if materials else {},
        events=log,
        streams=streams.names,
    )


def _line_record(line: LineRuntime) -> LineRecord:
    line._wip_change(0)
    line.rootcause.flush()
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
            minutes=dict(zip(STATES, minutes)), ideal_units=dict(zip(STATES, units)),
            processed=st.done, scrapped=st.scrapped, failures=failures))
    return LineRecord(
        name=line.name, constraint=line.constraint, stations=stations, started=line.started,
        good=line.good, scrapped=line.scrapped, wip_start=line.wip_start, wip_end=line.wip,
        wip_area=line.wip_area, flow_sum=line.flow_sum,
        sent_home_hours=line.sent_home_minutes / 60.0,
        rootcause={k: v[0] for k, v in line.rootcause.charged.items() if v[0] > 0},
        daily=dict(line.daily),
        planned=dict(line.planned))
