"""Quality stoppages and the escalation ladder (the seed's measure 2.3) as data.

A quality stoppage stops a whole line for the product it is making. Stoppages arrive at a
rate per *running hour* of the line (on-shift time outside stoppages); each needs a
resolution time (minutes of working time at the first responder's pace). While a stoppage
lasts it climbs the escalation ladder: after ``after_minutes`` of working time at each
level, a higher level takes it over and the remaining work goes ``speedup`` times faster.
At the ``decision_level`` the line changes over to its first usable backup product, or, if
there is none, is idled and its operators are sent home. When the problem is solved the
line returns to the planned product (``return_policy: return``) or stays on the backup
until the next plan item or day (``stay``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .distributions import Dist
from .base import Frozen, Name

#: the seed's ladder: 30 min, 1 h, 1 working day, 3 working days
SEED_LADDER = (
    {"name": "engineer decides: change over or send home", "after_minutes": 30, "speedup": 1.0},
    {"name": "engineering manager", "after_minutes": 60, "speedup": 1.5},
    {"name": "production VP with R&D, quality, engineering", "after_working_days": 1,
     "speedup": 2.0},
    {"name": "written report to the chairman", "after_working_days": 3, "speedup": 2.0},
)


class EscalationLevel(Frozen):
    """One rung of the ladder: reached after ``after_minutes`` of working time, or after
    ``after_working_days`` (a working day is the calendar's scheduled minutes of a day:
    shifts less breaks)."""

    name: str = Field(max_length=200)
    after_minutes: float | None = Field(None, gt=0, le=1e6,
                                        description="working minutes since the stop")
    after_working_days: float | None = Field(None, gt=0, le=1000,
                                             description="working days since the stop")
    speedup: float = Field(1.0, gt=0, le=100, description="resolution speed from this level on")

    @model_validator(mode="after")
    def _one_threshold(self) -> "EscalationLevel":
        if (self.after_minutes is None) == (self.after_working_days is None):
            raise ValueError("give exactly one of after_minutes and after_working_days")
        return self

    def threshold(self, day_minutes: float) -> float:
        """Working minutes after which this level is reached."""
        if self.after_minutes is not None:
            return self.after_minutes
        return self.after_working_days * day_minutes


class Escalation(Frozen):
    """The escalation ladder, its decision level and what happens after the fix."""

    levels: tuple[EscalationLevel, ...] = Field(
        tuple(EscalationLevel(**lv) for lv in SEED_LADDER), min_length=1, max_length=10)
    decision_level: int = Field(1, ge=1, description="level (1 = first) that decides")
    return_policy: Literal["return", "stay"] = "return"

    def thresholds(self, day_minutes: float) -> list[float]:
        """Working minutes at which each level is reached."""
        return [lv.threshold(day_minutes) for lv in self.levels]

    @model_validator(mode="after")
    def _ladder(self) -> "Escalation":
        if self.decision_level > len(self.levels):
            raise ValueError(f"decision_level {self.decision_level} is beyond the "
                             f"{len(self.levels)} levels")
        return self


class StoppageSource(Frozen):
    """Quality stoppages of one origin on the listed lines (all lines if empty)."""

    name: Name
    lines: tuple[Name, ...] = Field((), description="lines it hits; empty = every line")
    products: tuple[Name, ...] = Field((), description="products it hits; empty = any")
    origin: Literal["process", "incoming part"] = "process"
    part: Name | None = Field(None, description="the part, for origin 'incoming part'")
    rate_per_hour: float = Field(0.0, ge=0, le=10, description="stoppages per running hour")
    per_defective: float | None = Field(
        None, ge=0, le=1, description="origin 'incoming part': chance that a defective part "
        "found at the line comes from a bad batch that stops the line (the stoppages then "
        "follow the part's defect process; rate_per_hour must be 0)")
    resolution: Dist = Field(description="working minutes to solve at the first level's pace")

    @model_validator(mode="after")
    def _part(self) -> "StoppageSource":
        if self.origin == "incoming part" and self.part is None:
            raise ValueError("origin 'incoming part' needs a part")
        if self.per_defective is not None and (self.origin != "incoming part"
                                               or self.rate_per_hour > 0):
            raise ValueError("per_defective is for origin 'incoming part' with no "
                             "rate_per_hour")
        if self.resolution.mean < 0.1:
            raise ValueError(f"resolution mean must be >= 0.1 minutes, got {self.resolution.mean}")
        return self


class Quality(Frozen):
    """Quality stoppages and the escalation ladder."""

    stoppages: tuple[StoppageSource, ...] = Field((), max_length=50)
    escalation: Escalation = Escalation()
    batch_threshold: float = Field(0.01, ge=0, le=1, description=(
        "a line's working day (a batch) needs rework when its first-pass failures (units "
        "reworked or scrapped at any station) over the units finished pass this share "
        "(the seed's 2.4: 1%)"))
