"""Ranges files: plausible ranges of a scenario's uncertain parameters, with their sources.

A ranges file names the parameters whose values are not known for sure and, for each, a low
and a high value and where the range comes from::

    name: baseline uncertainty
    parameters:
      - name: absence rate
        path: workforce.absenteeism                # a field path, as in countermeasures
        low: 0.003                                 # set the field to low ... high
        high: 0.03
        source: "assumption: 0.3-3% of operator-days; the seed gives no figure"
      - name: operator efficiency
        path: "workforce.operators[*].efficiency"  # [*]: every item
        scale: [0.95, 1.05]                        # multiply every nominal value by 0.95 ... 1.05
        source: "seed: target 90% individual efficiency; +-5% around the assumed spread"
      - name: repair times
        path: ["lines[*].stations[*].failures[*].ttr.mean"]   # a list of paths moves together
        scale: [0.7, 1.5]
        source: "assumption"

Each parameter either sets its paths to a value between ``low`` and ``high`` or scales them
by a factor between the two numbers of ``scale``; ``integer: true`` rounds set values to
whole numbers; ``mode`` gives a most likely value, around which the joint points gather
(triangular distribution). A parameter with ``countermeasures: [NAME, ...]`` is an assumption of those
countermeasures (say, the pace an incentive buys): it is set on a measure's scenario after
the measure is applied, and the base and the other measures do not see it. ``source`` is required: a range nobody can explain is not a range.
:func:`parameter_change` turns a parameter at a position in its range into the
countermeasure-style changes that :func:`linesim.scenario.countermeasure.apply` applies.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from .base import Frozen, Name
from .countermeasure import Change, Countermeasure
from .load import read_yaml, validate_data
from .patch import parse_path

MAX_PARAMETERS = 200


class Parameter(Frozen):
    """One uncertain parameter: its field path(s), its range and its source."""

    name: Name
    path: tuple[str, ...] = Field(min_length=1, max_length=50,
                                  description="a field path or a list of paths moved together")
    low: float | None = None
    high: float | None = None
    scale: tuple[float, float] | None = Field(
        None, description="[low factor, high factor] applied to every nominal value")
    integer: bool = Field(False, description="round set values to whole numbers")
    mode: float | None = Field(
        None, description="most likely value (a factor for a scale range), from low to high: "
                          "joint points are drawn from a triangular distribution with this "
                          "mode instead of uniformly (the ends stay the one-at-a-time points)")
    countermeasures: tuple[Name, ...] = Field(
        (), max_length=50,
        description="names of the countermeasures this parameter belongs to: it is set after "
                    "such a measure is applied, on its scenarios only (an assumption of the "
                    "measure, e.g. its effect size); empty: a parameter of the base scenario")
    source: str = Field(min_length=3, max_length=2000,
                        description="where the range comes from (seed, reference, data, "
                                    "or a stated assumption)")

    @field_validator("path", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return (v,) if isinstance(v, str) else v

    @field_validator("countermeasures", mode="before")
    @classmethod
    def _one_or_many_measures(cls, v):
        return (v,) if isinstance(v, str) else v

    @field_validator("path")
    @classmethod
    def _paths_parse(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            parse_path(p.replace("[*]", "[x]"))  # ValueError names the bad path
        return v

    @model_validator(mode="after")
    def _one_range(self) -> "Parameter":
        absolute = self.low is not None or self.high is not None
        if absolute == (self.scale is not None):
            raise ValueError("give either low and high (values to set) or scale "
                             "([low factor, high factor]), not both and not neither")
        lo, hi = (self.low, self.high) if absolute else self.scale
        if lo is None or hi is None:
            raise ValueError("give both low and high")
        if not lo < hi:
            raise ValueError(f"low ({lo}) must be below high ({hi})")
        if self.scale is not None and lo < 0:
            raise ValueError(f"scale factors must be >= 0, got {lo}")
        if self.mode is not None and not lo <= self.mode <= hi:
            raise ValueError(f"mode ({self.mode}) must lie from low ({lo}) to high ({hi})")
        return self

    @property
    def mode_position(self) -> float | None:
        """Where ``mode`` lies in the range (0 = low end, 1 = high end), or None."""
        if self.mode is None:
            return None
        lo, hi = self.bounds
        return (self.mode - lo) / (hi - lo)

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high): values to set, or factors to scale by."""
        return (self.low, self.high) if self.scale is None else self.scale

    def value_at(self, u: float) -> float:
        """The value (or factor) at position ``u`` in [0, 1] of the range."""
        lo, hi = self.bounds
        v = lo + u * (hi - lo)
        return float(round(v)) if self.integer and self.scale is None else v


class Ranges(Frozen):
    """A named set of uncertain parameters (see the module docstring)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    parameters: tuple[Parameter, ...] = Field(min_length=1, max_length=MAX_PARAMETERS)

    @model_validator(mode="after")
    def _unique(self) -> "Ranges":
        names = [p.name for p in self.parameters]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"parameter names must be unique; repeated: {dup}")
        return self


def load_ranges(path: str | Path) -> Ranges:
    """Load and validate a ranges YAML file (errors name the file and field)."""
    return validate_data(Ranges, read_yaml(path), str(path))


def parameter_change(params: dict[Parameter, float], label: str) -> Countermeasure:
    """The changes that put each parameter at its value (or factor), as a countermeasure
    named ``label`` (it has no cost; it only carries the changes)."""
    changes = []
    for p, v in params.items():
        for path in p.path:
            if p.scale is None:
                value = int(v) if p.integer else v
                changes.append(Change(path=path, set=value))
            else:
                changes.append(Change(path=path, scale=v))
    return Countermeasure(name=label[:100], changes=tuple(changes), source=label)
