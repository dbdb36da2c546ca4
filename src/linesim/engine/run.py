"""``simulate(scenario, seed)``: build the SimPy model, run it, return the raw record.

Phases, as in desmod: build (runtime objects from the scenario), connect (processes),
run (to the end of the warm-up, reset statistics, to the end of the horizon), collect
(a :class:`RunRecord` of plain numbers, no SimPy objects, made by the
:class:`~linesim.engine.recorder.Recorder`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import simpy

from ..scenario.model import Scenario
from .calendar import work_days
from .batches import BatchLog
from .context import Build
from .failures import attach_failures
from .line import LineRuntime
from .materials import MaterialsRT
from .overtime import OvertimeRule
from .quality import attach_quality
from .recorder import LineRecord, Recorder, RunRecord, StationRecord, Stoppage
from .streams import Streams
from .workforce import WorkforceRT


def simulate_record(scenario: Scenario, seed: int | None = None, replication: int = 0,
                    event_log: bool = False) -> RunRecord:
    """Run ``scenario`` once with ``seed`` (default: the scenario's) and replication number
    ``replication``; ``event_log`` keeps every state change (memory grows with time)."""
    seed = scenario.seed_for(seed)
    env = simpy.Environment()
    streams = Streams(seed, replication)
    recorder = Recorder(env, scenario)
    build = Build(env, scenario, streams, tuple(work_days(scenario)), recorder,
                  [] if event_log else None)
    # build
    lines = [LineRuntime(build, spec) for spec in scenario.lines]
    # connect (people first: at the start of a day they take their places before work)
    if scenario.workforce is not None:
        people = WorkforceRT(build, scenario.workforce, lines)
        env.process(people.daily(build.days))
    materials = MaterialsRT(build, lines) if scenario.materials.parts else None
    overtime = OvertimeRule(build, lines) if OvertimeRule.wanted(scenario) else None
    for line in lines:
        for st in line.stations:
            for server in st.servers:
                attach_failures(server, build)
                server.start()
        env.process(line.controller(build.days, overtime))
        attach_quality(line, build, materials)
    batches = BatchLog(build, lines)
    # run
    start, end = recorder.start, scenario.horizon.days * 1440.0
    with model_frozen():
        if start > 0:
            env.run(until=start)
            recorder.end_warmup()
        env.run(until=end)
    # collect
    batches.close()
    record = recorder.run_record(lines, materials, seed, replication, build.days,
                                 streams.names, build.log)
    record.batches = batches.rows
    return record


#: objects (net) made between collections of the youngest generation during a run
YOUNG = 5000


@contextmanager
def model_frozen() -> Iterator[None]:
    """Run the block with every object that exists now (the built model) moved out of the
    cyclic garbage collector's reach (``gc.freeze``): the collections during the run scan only
    what the run makes, not the whole plant again and again. The youngest generation is
    collected after :data:`YOUNG` more objects instead of 700: each collection also reads
    what the young objects refer to, in a large plant memory gone cold (50 lines: 3x fewer
    collections, a third of their time). Afterwards the objects go back to the oldest
    generation (``gc.unfreeze``) and the thresholds are restored, as a process that never
    ran a simulation would have them. Nothing is done if the process already froze objects
    of its own (a pre-fork server), whose frozen set is not ours to release."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
