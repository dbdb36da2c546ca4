"""Quality stoppages and their escalation (see :mod:`linesim.scenario.quality`).

Each stoppage source of a line is a process: it waits an exponential *running* time (the
line on shift and not stopped), then stops the line for the product it is making. The
stoppage's own process then works the problem off in *working* time (escalation timers run
on working time), climbing the ladder; at the decision level the line changes over to a
backup product or, with none usable, is idled and its operators sent home; when solved the
line returns to the product or stays on the backup.

While halted, the line's servers are in state ``quality_stop``, or ``part_quality_stop``
(4M1E material) when every stoppage halting the line has origin "incoming part" (the state
is reported only where such a source exists).
"""

from __future__ import annotations

import math

from ..scenario.model import working_day_minutes
from ..scenario.quality import Escalation, StoppageSource
from .context import Build
from .line import LineRuntime
from .recorder import Stoppage
from .states import PART_QUALITY_STOP, QUALITY_STOP
from .streams import Streams, stream_name


class Halts:
    """The stoppages of a line under way; the line's halt state follows their origins."""

    def __init__(self, line: LineRuntime):
        self.line = line
        self.active: list[Stoppage] = []

    def update(self) -> None:
        """Set the line's halt state: part_quality_stop if every stoppage that halts it
        (under way, not contained by a backup) has an incoming part as origin."""
        halting = [r for r in self.active if r.decision in ("", "idle")]
        state = PART_QUALITY_STOP if halting and all(
            r.origin == "incoming part" for r in halting) else QUALITY_STOP
        line = self.line
        if state != line.halt_state:
            line.halt_state = state
            for s in line.servers:
                s.refresh()


def attach_quality(line: LineRuntime, build: Build, materials=None) -> None:
    """Start a stoppage process for every source that hits ``line``; each stoppage is
    reported to the run's recorder as it begins. Sources that follow a part's defect
    process (``per_defective``) are told of every defective part by ``materials``
    (a :class:`~linesim.engine.materials.MaterialsRT`, via ``on_defect``)."""
    scenario, streams, records = build.scenario, build.streams, build.recorder.stoppages
    q = scenario.quality
    halts = Halts(line)
    for src in q.stoppages:
        if src.lines and line.name not in src.lines:
            continue
        by_rate = src.rate_per_hour > 0
        by_defects = bool(src.per_defective) and materials is not None
        if src.origin == "incoming part" and (by_rate or by_defects):
            build.recorder.declare_state(PART_QUALITY_STOP)
        thresholds = q.escalation.thresholds(working_day_minutes(scenario.calendar))
        if by_rate:
            line.env.process(_arrivals(line, src, q.escalation, thresholds, streams, records,
                                       halts))
        elif by_defects:
            materials.on_defect(line.name, src.part, _bad_batch(
                line, src, q.escalation, thresholds, streams, records, halts))


def _bad_batch(line: LineRuntime, src: StoppageSource, esc: Escalation,
               thresholds: list[float], streams: Streams, records: list[Stoppage],
               halts: Halts):
    """What happens when a defective ``src.part`` is found on ``line`` making a product:
    with chance ``per_defective`` it is from a bad batch and the line stops."""
    key = (line.name, src.name)
    draw = streams.get(stream_name("quality", *key, "batch")).uniform
    resolution = streams.sampler(src.resolution, stream_name("quality", *key, "resolution"))

    def found(product: str) -> None:
        if draw() < src.per_defective:
            _begin(line, src, product, resolution, esc, thresholds, records, halts)
    return found


def _arrivals(line: LineRuntime, src: StoppageSource, esc: Escalation, thresholds: list[float],
              streams: Streams, records: list[Stoppage], halts: Halts):
    key = (line.name, src.name)
    gap = streams.get(stream_name("quality", *key, "arrival")).exponential
    mean_gap = 60.0 / src.rate_per_hour
    resolution = streams.sampler(src.resolution, stream_name("quality", *key, "resolution"))
    while True:
        yield from line.wait_running(gap() * mean_gap)
        product = line.plan.last_product
        if product is not None:
            _begin(line, src, product, resolution, esc, thresholds, records, halts)


def _begin(line: LineRuntime, src: StoppageSource, product: str, resolution,
           esc: Escalation, thresholds: list[float], records: list[Stoppage],
           halts: Halts) -> None:
    """Stop ``line`` for ``product`` unless it is stopped already or the source does not
    hit the product; ``resolution`` samples the work in minutes (drawn only when the line
    stops)."""
    if line.plan.is_stopped(product) or (src.products and product not in src.products):
        return
    rec = Stoppage(line.name, src.name, src.origin, src.part, product, line.env.now)
    records.append(rec)
    line.env.process(_stoppage(line, rec, resolution(), esc, thresholds, halts))


def _stoppage(line: LineRuntime, rec: Stoppage, work: float, esc: Escalation,
              thresholds: list[float], halts: Halts):
    """Stop the line for ``rec.product`` until ``work`` minutes of resolution are done."""
    product = rec.product
    halts.active.append(rec)
    halts.update()
    line.plan.stop(product)
    levels = esc.levels
    speed = 1.0
    start = line.worked()
    level = 0
    while True:
        elapsed = line.worked() - start
        threshold = thresholds[level] if level < len(levels) else math.inf
        need = work / speed
        if elapsed + need <= threshold:
            yield from line.wait_worked(need)
            break
        step = threshold - elapsed
        yield from line.wait_worked(step)
        work -= step * speed
        level += 1
        speed = levels[level - 1].speedup
        rec.level = level
        rec.levels.append((level, levels[level - 1].name, line.env.now))
        if level == esc.decision_level:
            _decide(line, rec)
            halts.update()
    halts.active.remove(rec)
    halts.update()
    _resolve(line, rec, esc.return_policy)


def _decide(line: LineRuntime, rec: Stoppage) -> None:
    """Change over to a backup, or idle the line and send its operators home: the line's
    backup controller decides, and keeps deciding while the stop lasts."""
    line.backup.on_decision(rec)


def _resolve(line: LineRuntime, rec: Stoppage, policy: str) -> None:
    rec.end = line.env.now
    line.backup.on_resolved(rec, policy)
