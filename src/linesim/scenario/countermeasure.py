"""Countermeasures: named, priced changes to a scenario (scenario patches).

A countermeasure file::

    name: pre-kit
    description: assembly stages the next day's material before the shift ends (1.3)
    one_off_cost: 0          # currency units, once
    monthly_cost: 6000       # currency units a month (running cost)
    changes:
      - {path: materials.warehouse.prekit, set: true}
      - {path: "lines[*].stations[laser welding].cycle_time.mean", scale: 0.88}
      - {path: workforce.floaters, add: [{name: F1, skills: [L1/winding]}]}

Each change names a field path (see :mod:`linesim.scenario.patch`; ``[*]`` stands for every
item) and one operation: ``set`` a value, ``scale`` a number by a factor, ``add`` to a number
or append to a list. Several countermeasures combine; two that change the same field in ways
that do not commute (a set and a different set, a set and a scale, ...) are an error that
names both. The result is validated like any scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from .base import Frozen
from .load import ScenarioError, read_yaml, validate_data
from .model import Scenario
from .patch import expand_path, get_value, parse_path, scenario_data, set_value


class Change(Frozen):
    """One change: ``path`` and exactly one of ``set``, ``scale``, ``add``."""

    path: str = Field(min_length=1, max_length=500)
    set_: Any = Field(None, alias="set")
    scale: float | None = Field(None, ge=0, le=1000)
    add: Any = None

    @model_validator(mode="after")
    def _one_operation(self) -> "Change":
        given = [k for k in ("set", "scale", "add") if k in self.model_fields_set
                 or (k == "set" and "set_" in self.model_fields_set)]
        if len(given) != 1:
            raise ValueError(f"give exactly one of set, scale, add (got {given or 'none'})")
        parse_path(self.path.replace("[*]", "[x]"))  # raises ValueError on a bad path
        return self

    @property
    def op(self) -> str:
        if self.scale is not None:
            return "scale"
        return "add" if "add" in self.model_fields_set else "set"


class Countermeasure(Frozen):
    """A named, priced set of changes to a scenario."""

    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=5000)
    measure: str = Field("", max_length=20, description="the seed's measure number, e.g. 1.1")
    one_off_cost: float = Field(0.0, ge=0, le=1e12, description="currency units, once")
    monthly_cost: float = Field(0.0, ge=0, le=1e12, description="currency units a month")
    changes: tuple[Change, ...] = Field(min_length=0, max_length=500)
    source: str = Field("", exclude=True, description="the file it came from")


def load_countermeasure(path: str | Path) -> Countermeasure:
    """Load and validate a countermeasure YAML file."""
    data = read_yaml(path)
    cm = validate_data(Countermeasure, data, str(path))
    return cm.model_copy(update={"source": str(path)})


def _apply_one(data: dict, change: Change, where: str) -> None:
    for path in expand_path(data, change.path):
        if change.op == "set":
            set_value(data, path, change.set_)
            continue
        current = get_value(data, path)
        if change.op == "scale":
            if not isinstance(current, (int, float)) or isinstance(current, bool):
                raise ValueError(f"{where}: scale needs a number at {path}, found "
                                 f"{type(current).__name__}")
            value = current * change.scale
            set_value(data, path, int(round(value)) if isinstance(current, int) else value)
        elif isinstance(current, list):
            set_value(data, path, current + (change.add if isinstance(change.add, list)
                                             else [change.add]))
        elif isinstance(current, (int, float)) and isinstance(change.add, (int, float)):
            set_value(data, path, current + change.add)
        else:
            raise ValueError(f"{where}: add needs a list or a number at {path}, found "
                             f"{type(current).__name__}")


def _overlap(a: str, b: str) -> bool:
    pa, pb = parse_path(a), parse_path(b)
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def conflicts(base: Scenario, measures: Sequence[Countermeasure]) -> list[str]:
    """Pairs of countermeasures that change the same field in ways that do not commute."""
    data = scenario_data(base)
    concrete = []
    for m in measures:
        for c in m.changes:
            try:
                paths = expand_path(data, c.path)
            except ValueError:
                paths = [c.path]
            concrete.extend((m, c, p) for p in paths)
    out: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for i, (ma, ca, pa) in enumerate(concrete):
        for mb, cb, pb in concrete[i + 1:]:
            if ma is mb or not _overlap(pa, pb):
                continue
            if ca.op == cb.op == "add" or ca.op == cb.op == "scale" and pa == pb:
                continue
            if ca.op == cb.op == "set" and pa == pb and ca.set_ == cb.set_:
                continue
            key = (ma.name, mb.name, pa)
            if key in seen:
                continue
            seen.add(key)
            out.append(f"{ma.source or ma.name} ({ca.op} {pa}) conflicts with "
                       f"{mb.source or mb.name} ({cb.op} {pb})")
    return out


def apply(base: Scenario, measures: Sequence[Countermeasure]) -> Scenario:
    """``base`` with every countermeasure's changes, validated; raises ScenarioError naming
    the countermeasure file and field when a change does not fit."""
    clash = conflicts(base, measures)
    if clash:
        raise ScenarioError("countermeasures", clash)
    data = scenario_data(base)
    for m in measures:
        where = m.source or m.name
        problems = []
        for k, c in enumerate(m.changes):
            try:
                _apply_one(data, c, f"changes[{k}]")
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ScenarioError(where, problems)
    names = " + ".join(m.source or m.name for m in measures) or "base"
    try:
        return validate_data(Scenario, data, names)
    except ScenarioError as exc:
        raise ScenarioError(f"{base.name} with {names}", exc.problems) from None
