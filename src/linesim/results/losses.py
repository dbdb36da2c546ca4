"""The loss waterfall: where each line's ideal capacity went, in units, by root cause.

Per line, at its constraint station: ideal capacity is the planned time (every state but
break and off shift) in ideal units (minutes / standard minutes per unit). Each non-working
state is a loss of the same time in ideal units; starved and blocked time is charged to its
root cause (a failure two stations upstream is a ``failure`` at that station, reached
``via`` starved). ``speed`` is working time in ideal units minus units processed; ``scrap``
the units scrapped at or after the constraint; ``wip_change`` the units processed at the
constraint that have not (yet) left the line as good units, net of those already past it at
the start. So ``ideal capacity - sum(losses) = good units`` holds exactly (to rounding).

Every cause belongs to one 4M1E category (man, machine, material, method, environment):
see :data:`CATEGORY`. Causes, their categories and plain names are declared in
:data:`linesim.engine.states.STATE_TABLE`.
"""

from __future__ import annotations

import pandas as pd

from ..engine import RunRecord
from ..engine.run import LineRecord
from ..engine.states import (
    CATEGORIES, CAUSE_CATEGORY, CAUSES, LOSS_STATES, ROUTED_STATES, category_of,
)

#: constraint states that are losses in themselves, and their cause label
STATE_CAUSES: dict[str, str] = LOSS_STATES
#: states whose time is charged to a root cause (elsewhere in the line, or a missing part)
ROUTED = ROUTED_STATES
SCHEDULED_STATES = ("working", *STATE_CAUSES, *ROUTED)
#: the 4M1E category of every cause
CATEGORY: dict[str, str] = CAUSE_CATEGORY

WATERFALL_COLUMNS = ["line", "step", "kind", "station", "via", "category", "units"]


def line_losses(line: LineRecord) -> tuple[float, list[tuple[str, str, str, float]]]:
    """(ideal capacity, [(cause, station, via, lost units)]) of one line."""
    stations = line.stations
    c = stations[line.constraint]
    u = c.ideal_units
    capacity = sum(u[s] for s in SCHEDULED_STATES)
    rows = [(cause, c.name, "", u[state]) for state, cause in STATE_CAUSES.items()]
    for via in ROUTED:
        parts = {k: m for k, m in line.rootcause.items() if k[0] == via}
        total = sum(parts.values())
        if total > 0:  # split the state's ideal units in proportion to the charged minutes
            rows += [(cause, station, via, u[via] * m / total)
                     for (_, cause, station), m in sorted(parts.items())]
        elif u[via]:
            rows.append(("no_material" if via == "no_material" else "line_balance", "", via,
                         u[via]))
    rows.append(("speed", c.name, "", u["working"] - c.processed))
    scrap_after = sum(st.scrapped for st in stations[line.constraint:])
    rows.append(("scrap", "", "", float(scrap_after)))
    rows.append(("wip_change", "", "", float(c.processed - scrap_after - line.good)))
    return capacity, rows


__all__ = ["CATEGORIES", "CATEGORY", "CAUSES", "ROUTED", "STATE_CAUSES", "category_of",
           "line_losses", "line_waterfall", "loss_categories", "plant_losses", "waterfall"]


def line_waterfall(line: LineRecord) -> tuple[float, dict[str, float]]:
    """(ideal capacity, {cause: lost units}) of one line."""
    capacity, rows = line_losses(line)
    out: dict[str, float] = dict.fromkeys(CAUSES, 0.0)
    for cause, _, _, units in rows:
        out[cause] = out.get(cause, 0.0) + units
    return capacity, out


def waterfall(record: RunRecord) -> pd.DataFrame:
    """Tidy waterfall: one row per line and step (``ideal_capacity``, each root cause at
    each station, ``good``); columns ``line, step, kind, station, via, category, units``;
    losses are positive numbers of units lost."""
    rows = []
    for line in record.lines:
        capacity, losses = line_losses(line)
        rows.append((line.name, "ideal_capacity", "capacity", "", "", "", capacity))
        rows.extend((line.name, cause, "loss", station, via, category_of(cause), units)
                    for cause, station, via, units in losses)
        rows.append((line.name, "good", "good", "", "", "", float(line.good)))
    return pd.DataFrame(rows, columns=WATERFALL_COLUMNS)


def plant_losses(record: RunRecord) -> dict[str, float]:
    """Lost units per root cause, summed over lines."""
    total = dict.fromkeys(CAUSES, 0.0)
    for line in record.lines:
        for cause, units in line_waterfall(line)[1].items():
            total[cause] = total.get(cause, 0.0) + units
    return total


def loss_categories(record: RunRecord) -> dict[str, float]:
    """Lost units per 4M1E category, summed over lines."""
    out = dict.fromkeys(CATEGORIES, 0.0)
    for cause, units in plant_losses(record).items():
        out[category_of(cause)] += units
    return out
