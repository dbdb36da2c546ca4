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
points from the seed. Each point runs ``replications`` replications; replication r of
every point uses the streams of (seed, r): common random numbers across points.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from .base import Frozen, Name
from .load import read_yaml, validate_data

MAX_POINTS = 100_000
MAX_RUNS = 1_000_000


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
        return self

    def levels(self) -> list[Any]:
        """The values of the factor in a full design (what gets set at ``path``)."""
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            return self.range.grid()
        return [self.copies(c) for c in self.count]

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
        if self.design == "full":
            n = 1
            for f in self.factors:
                n *= len(f.levels())
            if n > MAX_POINTS:
                raise ValueError(f"the full design has {n} points; the limit is {MAX_POINTS}")
        else:
            if self.samples is None:
                raise ValueError(f"design {self.design!r} needs samples")
            for f in self.factors:
                if f.range is None and f.values is None:
                    raise ValueError(f"factor {f.name!r}: a sampled design needs values or a "
                                     "range")
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
        out = []
        for row in u:
            point = []
            for f, x in zip(self.factors, row):
                if f.range is not None:
                    v = f.range.low + float(x) * (f.range.high - f.range.low)
                    v = int(round(v)) if f.range.integer else v
                else:
                    vals = list(f.values)
                    v = vals[min(int(x * len(vals)), len(vals) - 1)]
                point.append((v, v))
            out.append(tuple(point))
        return out


def load_sweep(path: str | Path) -> Sweep:
    """Load and validate a sweep file."""
    return validate_data(Sweep, read_yaml(path), str(path))
