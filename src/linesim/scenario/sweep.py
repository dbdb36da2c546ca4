"""Sweep files: a base scenario, countermeasures, factors and a design, as data.

::

    name: floaters x pre-kit x escalation
    base: ../baseline.yaml                 # relative to this file
    countermeasures: [../countermeasures/backup-products.yaml]   # applied to every point
    replications: 30
    seed: 1
    days: 30                               # optional horizon override
    design: full                           # full | random | lhs
    factors:
      - {name: floaters, path: workforce.floaters, count: [0, 1, 2],
         item: {name: "floater-{i}", skills: [L1/packing, L2/packing]}}
      - {name: prekit, path: materials.warehouse.prekit, values: [false, true]}
      - {name: decision, path: "quality.escalation.levels[0].after_minutes",
         values: [15, 30, 60]}
      - {name: staging, path: materials.warehouse.staging_time.mean,
         range: {low: 10, high: 60, step: 10}}

A factor takes ``values`` (a list), a ``range`` (``low``, ``high`` and a ``step``, both
ends included; for the random and lhs designs only ``low`` and ``high`` matter), or a
``count`` of copies of ``item`` (``{i}`` in its strings becomes 1, 2, ...). The ``full``
design is every combination; ``random`` and ``lhs`` (Latin hypercube) draw ``samples``
points from the seed (a ``values`` or ``count`` factor is drawn among its levels). Each point
runs ``replications`` replications; replication r of every point uses the streams of
(seed, r): common random numbers across points.

A sweep is checked completely before it runs: no two factors on one field (or one inside
the other), the copies of ``count`` factors bounded in memory, and (:func:`sweep_base`,
:func:`factor_problems`) the base and countermeasure files found relative to the sweep file
and every factor's path and levels valid on the base scenario.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from .base import Frozen, Name
from .countermeasure import apply, load_countermeasure
from .load import ScenarioError, load_scenario, read_yaml, validate_data
from .model import Scenario
from .patch import parse_path, with_values

MAX_POINTS = 100_000
MAX_RUNS = 1_000_000
#: bound of the text of all copies of ``count`` factors' items (sum of counts x item size);
#: the copies live in memory as Python objects, several times larger
MAX_COPY_BYTES = 20_000_000
#: levels of a factor tried on the base scenario before a sweep runs (first, last and
#: evenly spaced ones in between)
CHECKED_LEVELS = 50


class Range(Frozen):
    """Numbers from ``low`` to ``high``: every ``step`` (full design) or drawn (samples)."""

    low: float
    high: float
    step: float | None = Field(None, gt=0)
    integer: bool = Field(False, description="round drawn values to whole numbers")

    @model_validator(mode="after")
    def _order(self) -> "Range":
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        if self.step is not None and (self.high - self.low) / self.step > MAX_POINTS:
            raise ValueError(f"more than {MAX_POINTS} values from low to high by step")
        return self

    def grid(self) -> list[float]:
        if self.step is None:
            raise ValueError("a range needs a step in a full design")
        n = int(np.floor((self.high - self.low) / self.step + 1e-9)) + 1
        vals = [self.low + k * self.step for k in range(n)]
        return [int(round(v)) if self.integer else round(v, 12) for v in vals]


class Factor(Frozen):
    """A field path and the values it takes in the sweep."""

    name: Name
    path: str = Field(min_length=1, max_length=500)
    values: tuple[Any, ...] | None = Field(None, min_length=1, max_length=MAX_POINTS)
    range: Range | None = None
    count: tuple[int, ...] | None = Field(None, min_length=1, max_length=1000)
    item: Any = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Factor":
        given = [k for k in ("values", "range", "count") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of values, range, count (got {given or 'none'})")
        if self.count is not None:
            if self.item is None:
                raise ValueError("count needs an item to copy")
            if any(c < 0 or c > 1000 for c in self.count):
                raise ValueError("counts must be between 0 and 1000")
            size = sum(self.count) * len(json.dumps(self.item))
            if size > MAX_COPY_BYTES:
                raise ValueError(f"count x item would hold {size / 1e6:.0f} MB of copies "
                                 f"(sum of counts x size of item); the limit is "
                                 f"{MAX_COPY_BYTES / 1e6:.0f} MB: use a smaller item or counts")
        return self

    def levels(self) -> list[Any]:
        """The values of the factor in a full design (what gets set at ``path``)."""
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            return self.range.grid()
        return [self.copies(c) for c in self.count]

    def n_levels(self) -> int:
        """How many levels a full design takes of this factor (without building them)."""
        if self.values is not None:
            return len(self.values)
        if self.count is not None:
            return len(self.count)
        return len(self.range.grid())

    def labels(self) -> list[Any]:
        """What the results table shows for each level (the count, not the copies)."""
        return list(self.count) if self.count is not None else self.levels()

    def copies(self, n: int) -> list[Any]:
        text = json.dumps(self.item)
        return [json.loads(text.replace("{i}", str(i))) for i in range(1, n + 1)]


class Sweep(Frozen):
    """A sweep: the base, the countermeasures, the factors, the design, replications."""

    name: Name
    description: str = Field("", max_length=5000)
    base: str = Field(description="scenario file, relative to the sweep file")
    countermeasures: tuple[str, ...] = Field((), max_length=100)
    factors: tuple[Factor, ...] = Field(min_length=1, max_length=20)
    design: Literal["full", "random", "lhs"] = "full"
    samples: int | None = Field(None, ge=1, le=MAX_POINTS, description="random and lhs designs")
    replications: int = Field(10, ge=1, le=10_000)
    seed: int = Field(0, ge=0, lt=2**63)
    days: int | None = Field(None, ge=1, le=3660, description="override the horizon")

    @model_validator(mode="after")
    def _design(self) -> "Sweep":
        names = [f.name for f in self.factors]
        if len(set(names)) != len(names):
            raise ValueError(f"factor names must be unique, got {names}")
        _no_shared_paths(self.factors)
        if self.design == "full":
            n = 1
            for f in self.factors:
                n *= f.n_levels()
            if n > MAX_POINTS:
                raise ValueError(f"the full design has {n} points; the limit is {MAX_POINTS}")
        else:
            if self.samples is None:
                raise ValueError(f"design {self.design!r} needs samples")
            n = self.samples
        if n * self.replications > MAX_RUNS:
            raise ValueError(f"{n} points x {self.replications} replications is more than "
                             f"{MAX_RUNS} runs")
        return self

    def points(self) -> list[dict[str, Any]]:
        """Every point of the design as {factor name: label}, in a stable order."""
        return [{f.name: lab for f, (lab, _) in zip(self.factors, p)} for p in self._design_points()]

    def settings(self) -> list[dict[str, Any]]:
        """Every point as {field path: value to set}."""
        return [{f.path: val for f, (_, val) in zip(self.factors, p)}
                for p in self._design_points()]

    def _design_points(self) -> list[tuple[tuple[Any, Any], ...]]:
        if self.design == "full":
            axes = [list(zip(f.labels(), f.levels())) for f in self.factors]
            return list(itertools.product(*axes))
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, 7919])))
        n, k = self.samples, len(self.factors)
        if self.design == "random":
            u = rng.random((n, k))
        else:  # Latin hypercube: one draw in each of n strata per factor, shuffled
            u = (np.argsort(rng.random((n, k)), axis=0) + rng.random((n, k))) / n
        axes = [None if f.range is not None else list(zip(f.labels(), f.levels()))
                for f in self.factors]
        out = []
        for row in u:
            point = []
            for f, axis, x in zip(self.factors, axes, row):
                if axis is None:
                    v = f.range.low + float(x) * (f.range.high - f.range.low)
                    v = int(round(v)) if f.range.integer else v
                    point.append((v, v))
                else:  # values or counts: one of the levels
                    point.append(axis[min(int(x * len(axis)), len(axis) - 1)])
            out.append(tuple(point))
        return out


def _no_shared_paths(factors: tuple[Factor, ...]) -> None:
    """Two factors may not set one field, nor one a field inside the other's: the last
    would silently win while both label the results."""
    keys = []
    for f in factors:
        try:
            keys.append(parse_path(f.path.replace("[*]", "[x]")))
        except ValueError as exc:
            raise ValueError(f"factor {f.name!r}: {exc}") from None
    for i, a in enumerate(factors):
        for j in range(i):
            short, long_ = sorted((keys[i], keys[j]), key=len)
            if long_[:len(short)] == short:
                raise ValueError(f"factors {factors[j].name!r} ({factors[j].path}) and {a.name!r} "
                                 f"({a.path}) set the same field; give each field one factor")


def load_sweep(path: str | Path) -> Sweep:
    """Load and validate a sweep file."""
    return validate_data(Sweep, read_yaml(path), str(path))


def _relative(sweep_path: Path, field: str, name: str) -> Path:
    """``name`` relative to the sweep file's folder; a clear error if there is no such file."""
    target = sweep_path.parent / name
    if not target.is_file():
        raise ScenarioError(str(sweep_path), [
            f"{field}: no file {name!r} (looked for {target.resolve()}, relative to the sweep "
            "file's folder)"])
    return target


def sweep_base(sweep: Sweep, sweep_path: str | Path) -> Scenario:
    """The scenario every point starts from: the base file with the countermeasures applied
    and ``days`` set, files found relative to the sweep file ``sweep_path``."""
    sweep_path = Path(sweep_path)
    base = load_scenario(_relative(sweep_path, "base", sweep.base))
    if sweep.countermeasures:
        base = apply(base, [load_countermeasure(_relative(sweep_path, f"countermeasures[{i}]", c))
                            for i, c in enumerate(sweep.countermeasures)])
    if sweep.days is not None:
        base = with_values(base, {"horizon.days": sweep.days}, source="sweep days")
    return base


def _checked(levels: list[Any]) -> list[Any]:
    if len(levels) <= CHECKED_LEVELS:
        return levels
    step = (len(levels) - 1) / (CHECKED_LEVELS - 1)
    return [levels[round(k * step)] for k in range(CHECKED_LEVELS)]


def factor_problems(sweep: Sweep, base: Scenario) -> list[str]:
    """Every factor whose path does not resolve on ``base`` or whose levels the scenario
    refuses (first, last and up to :data:`CHECKED_LEVELS` levels of each, one at a time)."""
    problems: list[str] = []
    for i, f in enumerate(sweep.factors):
        if f.range is not None and sweep.design != "full":
            levels = [f.range.low, f.range.high]
            levels = [int(round(v)) for v in levels] if f.range.integer else levels
        else:
            levels = _checked(f.levels())
        for level in levels:
            try:
                with_values(base, {f.path: level}, source="")
            except ScenarioError as exc:
                shown = json.dumps(level, default=str)
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                problems += [f"factors[{i}] ({f.name}): {f.path} = {shown}: {p}"
                             for p in exc.problems[:3]]
                break
    return problems
