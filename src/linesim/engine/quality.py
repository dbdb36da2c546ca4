"""Quality stoppages and their escalation (see :mod:`linesim.scenario.quality`).

Each stoppage source of a line is a process: it waits an exponential *running* time (the
line on shift and not stopped), then stops the line for the product it is making. The
stoppage's own process then works the problem off in *working* time (escalation timers run
on working time), climbing the ladder; at the decision level the line changes over to a
backup product or, with none usable, is idled and its operators sent home; when solved the
line returns to the product or stays on the backup.
"""

from __future__ import annotations

import math

from ..scenario.model import working_day_minutes
from ..scenario.quality import Escalation, StoppageSource
from .context import Build
from .line import LineRuntime
from .recorder import Stoppage
from .streams import Streams, stream_name


def attach_quality(line: LineRuntime, build: Build) -> None:
    """Start a stoppage process for every source that hits ``line``; each stoppage is
    reported to the run's recorder as it begins."""
    scenario, streams, records = build.scenario, build.streams, build.recorder.stoppages
    q = scenario.quality
    for src in q.stoppages:
        if src.rate_per_hour > 0 and (not src.lines or line.name in src.lines):
            thresholds = q.escalation.thresholds(working_day_minutes(scenario.calendar))
            line.env.process(_arrivals(line, src, q.escalation, thresholds, streams, records))


def _arrivals(line: LineRuntime, src: StoppageSource, esc: Escalation, thresholds: list[float],
              streams: Streams, records: list[Stoppage]):
    key = (line.name, src.name)
    gap = streams.get(stream_name("quality", *key, "arrival")).exponential
    mean_gap = 60.0 / src.rate_per_hour
    resolution = streams.sampler(src.resolution, stream_name("quality", *key, "resolution"))
    while True:
        yield from line.wait_running(gap() * mean_gap)
        product = line.plan.last_product
        if product is None or line.plan.is_stopped(product) or (
                src.products and product not in src.products):
            continue
        rec = Stoppage(line.name, src.name, src.origin, src.part, product, line.env.now)
        records.append(rec)
        line.env.process(_stoppage(line, rec, resolution(), esc, thresholds))


def _stoppage(line: LineRuntime, rec: Stoppage, work: float, esc: Escalation,
              thresholds: list[float]):
    """Stop the line for ``rec.product`` until ``work`` minutes of resolution are done."""
    product = rec.product
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
    _resolve(line, rec, esc.return_policy)


def _decide(line: LineRuntime, rec: Stoppage) -> None:
    """Change over to a backup, or idle the line and send its operators home: the line's
    backup controller decides, and keeps deciding while the stop lasts."""
    line.backup.on_decision(rec)


def _resolve(line: LineRuntime, rec: Stoppage, policy: str) -> None:
    rec.end = line.env.now
    line.backup.on_resolved(rec, policy)
