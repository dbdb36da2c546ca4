"""Key performance indicators of one run, for the plant and for each line.

``units``: good units over the measured period; ``units_per_day``: per measured working day;
``plan_attainment``: good / planned units; ``oee`` = ``availability`` x ``performance`` x
``quality`` at the constraint station (good units / ideal capacity, capacity-weighted over
lines for the plant); ``wip``: time-average units in the line; ``flow_time``: mean minutes
from start to finish of a good unit; ``scrap``: units scrapped; ``quality_stops``: quality
stoppages begun; ``sent_home_hours``: operator-hours sent home from idled lines;
``fpy``: first-pass yield (rolled over a line's stations; the plant's weighted by the units
finished at the lines' last stations) and ``rework_batches``: line-days whose first-pass
failures pass the 1% of measure 2.4 (see :mod:`linesim.results.fpy`).
"""

from __future__ import annotations

import math

from ..engine import RunRecord
from ..engine.run import LineRecord
from .fpy import line_fpy, rework_batches
from .losses import line_waterfall

KPI_NAMES = ("units", "units_per_day", "plan_attainment", "oee", "availability", "performance",
             "quality", "wip", "flow_time", "scrap", "started", "quality_stops",
             "sent_home_hours", "quality_breaches", "fpy", "rework_batches")


def _stop_counts(record: RunRecord) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in record.stoppages:
        out[s.line] = out.get(s.line, 0) + 1
    return out


def escalation_counts(record: RunRecord, levels: int) -> dict[int, int]:
    """{level: number of stoppages that reached it} for levels 1..``levels``."""
    return {k: sum(1 for s in record.stoppages if s.level >= k) for k in range(1, levels + 1)}


def _div(a: float, b: float) -> float:
    return a / b if b else math.nan


def _parts(line: LineRecord, stops: dict[str, int], batches: dict[str, int]
           ) -> dict[str, float]:
    c = line.stations[line.constraint]
    capacity, _ = line_waterfall(line)
    finished = float(line.stations[-1].processed)
    return {
        "capacity": capacity,
        "run": c.ideal_units["working"] + c.ideal_units["rework"],
        "processed": float(c.processed),
        "good": float(line.good),
        "planned": float(sum(line.planned.values())),
        "wip_area": line.wip_area,
        "flow_sum": line.flow_sum,
        "scrap": float(line.scrapped),
        "started": float(line.started),
        "quality_stops": float(stops.get(line.name, 0)),
        "sent_home_hours": line.sent_home_hours,
        "finished": finished,
        "fpy_finished": line_fpy(line) * finished,
        "rework_batches": float(batches.get(line.name, 0)),
    }


def _kpis(p: dict[str, float], minutes: float, days: int) -> dict[str, float]:
    return {
        "units": p["good"],
        "units_per_day": _div(p["good"], days),
        "plan_attainment": _div(p["good"], p["planned"]),
        "oee": _div(p["good"], p["capacity"]),
        "availability": _div(p["run"], p["capacity"]),
        "performance": _div(p["processed"], p["run"]),
        "quality": _div(p["good"], p["processed"]),
        "wip": _div(p["wip_area"], minutes),
        "flow_time": _div(p["flow_sum"], p["good"]),
        "scrap": p["scrap"],
        "started": p["started"],
        "quality_stops": p["quality_stops"],
        "sent_home_hours": p["sent_home_hours"],
        "fpy": _div(p["fpy_finished"], p["finished"]),
        "rework_batches": p["rework_batches"],
    }


def line_kpis(record: RunRecord) -> dict[str, dict[str, float]]:
    """{line name: {kpi: value}}."""
    minutes, days = record.end - record.start, len(record.working_days)
    stops, batches = _stop_counts(record), rework_batches(record)
    return {ln.name: _kpis(_parts(ln, stops, batches), minutes, days) for ln in record.lines}


def quality_breaches(record: RunRecord) -> int:
    """Part-days whose incoming defect share passed the threshold (2.1)."""
    thr = record.scenario.materials.quality_threshold
    return sum(1 for *_, used, bad in record.part_days if used > 0 and bad / used > thr)


def plant_kpis(record: RunRecord) -> dict[str, float]:
    """{kpi: value} for the whole plant (sums over lines, ratios of sums), with
    ``quality_breaches``."""
    total: dict[str, float] = {}
    stops, batches = _stop_counts(record), rework_batches(record)
    for ln in record.lines:
        for k, v in _parts(ln, stops, batches).items():
            total[k] = total.get(k, 0.0) + v
    out = _kpis(total, record.end - record.start, len(record.working_days))
    out["quality_breaches"] = float(quality_breaches(record))
    return out
