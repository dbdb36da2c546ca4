"""The loss waterfall: where each line's ideal capacity went, in units.

Per line, at its constraint station: ideal capacity is the planned time (every state but
break and off shift) in ideal units; each non-working state is a loss of the same time in
ideal units; ``speed`` is working time in ideal units minus units processed; ``scrap`` the
units scrapped at or after the constraint; ``wip_change`` the units processed at the
constraint that have not (yet) left the line as good units, net of those already past it at
the start. So ``ideal capacity - sum(losses) = good units`` holds exactly (to rounding).
"""

from __future__ import annotations

import pandas as pd

from ..engine import RunRecord
from ..engine.run import LineRecord

#: loss causes in waterfall order; the first entries are states of the constraint station
STATE_CAUSES: dict[str, str] = {
    "failed": "failure",
    "quality_stop": "quality_stop",
    "no_operator": "no_operator",
    "changeover": "changeover",
    "starved": "starved",
    "blocked": "blocked",
    "no_plan": "no_plan",
    "rework": "rework",
}
FLOW_CAUSES = ("speed", "scrap", "wip_change")
CAUSES: tuple[str, ...] = (*STATE_CAUSES.values(), *FLOW_CAUSES)
SCHEDULED_STATES = ("working", *STATE_CAUSES)


def line_waterfall(line: LineRecord) -> tuple[float, dict[str, float]]:
    """(ideal capacity, {cause: lost units}) of one line."""
    c = line.stations[line.constraint]
    u = c.ideal_units
    capacity = sum(u[s] for s in SCHEDULED_STATES)
    losses = {cause: u[state] for state, cause in STATE_CAUSES.items()}
    losses["speed"] = u["working"] - c.processed
    scrap_after = sum(st.scrapped for st in line.stations[line.constraint:])
    losses["scrap"] = float(scrap_after)
    losses["wip_change"] = float(c.processed - scrap_after - line.good)
    return capacity, losses


def waterfall(record: RunRecord) -> pd.DataFrame:
    """Tidy waterfall: one row per line and step (``ideal_capacity``, each cause, ``good``),
    columns ``line, step, kind, units``; losses are positive numbers of units lost."""
    rows = []
    for line in record.lines:
        capacity, losses = line_waterfall(line)
        rows.append((line.name, "ideal_capacity", "capacity", capacity))
        rows.extend((line.name, cause, "loss", units) for cause, units in losses.items())
        rows.append((line.name, "good", "good", float(line.good)))
    return pd.DataFrame(rows, columns=["line", "step", "kind", "units"])


def plant_losses(record: RunRecord) -> dict[str, float]:
    """Lost units per cause, summed over lines."""
    total = dict.fromkeys(CAUSES, 0.0)
    for line in record.lines:
        for cause, units in line_waterfall(line)[1].items():
            total[cause] += units
    return total
