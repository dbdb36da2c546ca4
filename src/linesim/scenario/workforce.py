"""Operators, absences and relief (the seed's man causes) as data.

A *post* is ``"LINE/STATION"``. A station with ``crew: c`` needs ``c`` operators on each of
its servers; a server short of operators stops in state ``no_operator``. Each working day
the named operators take their home post; an operator misses the whole day with probability
``absenteeism``. During the shift an operator leaves the post now and then (``short_absence``:
a rate per working hour and a duration), unless the section already has ``max_away``
operators away (then the operator waits until one comes back). Floaters (the relief pool),
and operators with no free place at their home post, cover uncovered posts they are skilled
for, chosen by ``relief_rule``; a floater needs ``handover_minutes`` to walk to the post and
take it over. An operator's ``efficiency`` (1 = standard) stretches the cycle times of the
server the operator runs: time = sampled time / efficiency.

Levers, each off unless set (a scenario without them runs as before they existed):

- ``rebalance``: team leads move an *idle* operator (own server starved, blocked or without
  plan for at least ``idle_minutes``) to an uncovered place with work waiting that the operator is skilled for (extra
  ``skills`` of regular operators are used only this way), after ``walk_minutes``; a moved
  operator goes back home when the home place has work waiting and the covered place is
  idle, or when its own operator comes back.
- a section's ``cover_units``: an operator leaves the post only when a free reliever can
  take it over or the buffer after the station holds at least that many units (else waits).
- ``efficiency_incentive``: pay tied to individual efficiency and a team bonus raise every
  operator's and floater's efficiency by ``gain`` (at most to ``cap``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Frozen, Name
from .distributions import Dist, Fixed

class Operator(Frozen):
    """A named operator with a home post and extra skills (other posts)."""

    name: Name
    post: str = Field(pattern=r"^[^/]+/[^/]+$", description="home post, LINE/STATION")
    skills: tuple[str, ...] = Field((), max_length=500, description="other posts, LINE/STATION")
    efficiency: float = Field(1.0, gt=0.1, le=2.0, description="1 = standard pace")


class Floater(Frozen):
    """A relief operator with no home post."""

    name: Name
    skills: tuple[str, ...] = Field(min_length=1, max_length=500)
    efficiency: float = Field(1.0, gt=0.1, le=2.0, description="1 = standard pace")
    handover_minutes: float = Field(0.0, ge=0, le=120, description=(
        "minutes from being sent to a post until running it (walking and hand-over); the "
        "post stays without operator meanwhile"))


class ShortAbsence(Frozen):
    """Leaving the post during the shift: ``rate_per_hour`` of working time, ``duration``."""

    rate_per_hour: float = Field(0.0, ge=0, le=10)
    duration: Dist = Fixed(value=10.0)


class Section(Frozen):
    """A group of posts of which at most ``max_away`` operators may be away at once."""

    name: Name
    posts: tuple[str, ...] = Field(min_length=1, max_length=500)
    max_away: int = Field(1, ge=0, le=1000)
    cover_units: int | None = Field(None, ge=1, le=10000, description=(
        "if set, an operator leaves only when a free reliever can take the post or the "
        "buffer after the station holds at least this many units; else waits (re-checked "
        "every working minute); none = leave whenever max_away allows. The last station of "
        "a line has no buffer after it: only a reliever covers it"))
    cover_wait_minutes: float = Field(30.0, gt=0, le=1440, description=(
        "with cover_units: after waiting this many working minutes for cover the operator "
        "leaves anyway (max_away still holds)"))


class Rebalance(Frozen):
    """Team leads move idle operators to uncovered places (see the module docstring)."""

    walk_minutes: float = Field(2.0, ge=0, le=120, description=(
        "minutes from being moved until running the new place (walking and hand-over)"))
    idle_minutes: float = Field(3.0, ge=0, le=1440, description=(
        "an operator is moved only once the own server has been idle (starved, blocked, "
        "no plan) this long: a lead does not pull somebody whose post will need them in a "
        "moment"))
    review_minutes: float = Field(15.0, ge=0, le=1440, description=(
        "a line's team lead looks for uncovered places with work waiting every this many "
        "working minutes (0: only when an operator goes idle or a place is left)"))


class EfficiencyIncentive(Frozen):
    """Pay tied to individual efficiency plus a team target and bonus (the seed's line plan):
    every operator's efficiency rises by ``gain``, at most to ``cap``."""

    gain: float = Field(0.03, ge=-0.5, le=0.5, description="added to every efficiency")
    cap: float = Field(1.0, gt=0.1, le=2.0, description="efficiency does not rise above this")


class Workforce(Frozen):
    """The roster, the relief pool and the absence processes."""

    operators: tuple[Operator, ...] = Field((), max_length=5000)
    floaters: tuple[Floater, ...] = Field((), max_length=1000)
    absenteeism: float = Field(0.0, ge=0, le=1, description="chance to miss a whole day")
    short_absence: ShortAbsence = ShortAbsence()
    relief_rule: Literal["fewest_skills", "listed_order"] = Field(
        "fewest_skills", description="which free reliever covers a post: the one with the "
        "fewest skills (keeps versatile people free) or the first listed")
    sections: tuple[Section, ...] = Field((), max_length=200)
    rebalance: Rebalance | None = Field(None, description="team leads move idle operators; "
                                        "none = nobody moves (extra skills serve relief only)")
    efficiency_incentive: EfficiencyIncentive | None = None

    def efficiency_of(self, efficiency: float) -> float:
        """An operator's efficiency with the incentive applied (if any)."""
        inc = self.efficiency_incentive
        if inc is None:
            return efficiency
        return max(min(efficiency + inc.gain, max(inc.cap, efficiency)), 0.11)

    @model_validator(mode="after")
    def _unique(self) -> "Workforce":
        names = [o.name for o in self.operators] + [f.name for f in self.floaters]
        seen: set[str] = set()
        dupes = sorted({n for n in names if n in seen or seen.add(n)})  # type: ignore[func-returns-value]
        if dupes:
            raise ValueError(f"operator and floater names must be unique, repeated: {dupes}")
        return self
