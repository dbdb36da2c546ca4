"""The typed, immutable scenario: calendar, products, lines, stations, failures, plan.

Units: every duration is in **minutes**, times of day are ``"HH:MM"`` strings, dates are
ISO dates (``2023-08-01``), rates are fractions in [0, 1]. The model knows nothing of SimPy.

A scenario is validated as a whole: field checks first, then cross-references (a plan that
names a missing line or product, ...), all reported together, each with its field path.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Frozen, FrozenDict, FrozenMap, Name, TimeOfDay, minutes_of  # noqa: F401
from .crossref import MAX_STATION_CYCLES, cross_reference_problems, working_day_minutes  # noqa: F401
from .distributions import Dist, Fixed
from .materials import Materials
from .plans import Planning
from .quality import Quality
from .workforce import Workforce

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Upper bounds that keep a colleague's file from turning into a hang.
MAX_DAYS = 3660
#: the horizon ends by this date (later dates leave no room for the day after the horizon)
LAST_START = dt.date(9999, 1, 1)


class Shift(Frozen):
    """A daily shift on each working day. ``end`` at or before ``start`` ends the next day."""

    name: Name = "day"
    start: TimeOfDay = Field(description="start time of day, HH:MM")
    end: TimeOfDay = Field(description="end time of day, HH:MM")

    @property
    def start_min(self) -> int:
        return minutes_of(self.start)

    @property
    def length_min(self) -> int:
        s, e = minutes_of(self.start), minutes_of(self.end)
        return e - s if e > s else e + 1440 - s


class Break(Frozen):
    """A paused period inside a shift (lunch, tea): no work, not counted as planned time."""

    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="after")
    def _order(self) -> "Break":
        if minutes_of(self.end) <= minutes_of(self.start):
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


class Overtime(Frozen):
    """What happens after the last shift of a working day.

    ``none``: nothing. ``fixed``: every working day's last shift is extended by ``hours``.
    ``until_plan``: a line whose daily plan is not finished at shift end keeps working until
    it is, for at most ``max_hours``. The seed's rules for ``until_plan`` (off unless set):
    ``uniform``: overtime is the same for the whole assembly section: every line stays on
    while any line's plan is unfinished; ``max_hours_per_month``: a line's overtime in a
    calendar month is capped (PRC Labour Law art. 41: at most 36 hours a month).
    """

    mode: Literal["none", "fixed", "until_plan"] = "none"
    hours: float = Field(0.0, ge=0, le=12, description="fixed extension, hours")
    max_hours: float = Field(0.0, ge=0, le=12, description="cap for until_plan, hours")
    uniform: bool = Field(False, description=(
        "until_plan: every line stays on while any line's plan is unfinished (overtime "
        "uniform for the assembly section)"))
    max_hours_per_month: float | None = Field(None, ge=0, le=744, description=(
        "until_plan: a line's overtime hours in a calendar month at most this (none: no "
        "monthly cap)"))

    @model_validator(mode="after")
    def _consistent(self) -> "Overtime":
        if self.mode == "fixed" and self.hours <= 0:
            raise ValueError("mode 'fixed' needs hours > 0")
        if self.mode == "until_plan" and self.max_hours <= 0:
            raise ValueError("mode 'until_plan' needs max_hours > 0")
        if self.mode != "until_plan" and (self.uniform or self.max_hours_per_month is not None):
            raise ValueError("uniform and max_hours_per_month are rules of mode 'until_plan'")
        return self


class Calendar(Frozen):
    """Working days, shifts, breaks and overtime, shared by every line of the plant."""

    workdays: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = Field(
        ("mon", "tue", "wed", "thu", "fri", "sat"), min_length=1, max_length=7)
    holidays: tuple[dt.date, ...] = Field((), max_length=5000)
    shifts: tuple[Shift, ...] = Field(
        (Shift(start="08:00", end="18:00"),), min_length=1, max_length=3)
    breaks: tuple[Break, ...] = Field((), max_length=20)
    overtime: Overtime = Overtime()

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is one of ``workdays`` and not a holiday."""
        return WEEKDAYS[day.weekday()] in self.workdays and day not in self.holidays

    @model_validator(mode="after")
    def _shifts_fit(self) -> "Calendar":
        spans = sorted((s.start_min, s.start_min + s.length_min) for s in self.shifts)
        for (a0, a1), (b0, _b1) in zip(spans, spans[1:]):
            if b0 < a1:
                raise ValueError("shifts overlap")
        if spans[-1][1] - spans[0][0] + self.overtime.hours * 60 + self.overtime.max_hours * 60 > 1440:
            raise ValueError("shifts plus overtime must fit in 24 hours")
        for i, b in enumerate(self.breaks):
            bs, be = minutes_of(b.start), minutes_of(b.end)
            if not any(s0 <= bs and be <= s1 or s0 <= bs + 1440 and be + 1440 <= s1 for s0, s1 in spans):
                raise ValueError(f"breaks[{i}] ({b.start}-{b.end}) is not inside a shift")
        return self


class Horizon(Frozen):
    """The simulated period: from ``start`` (00:00) for ``days`` calendar days."""

    start: dt.date = Field(description="first simulated day (ISO date)")
    days: int = Field(ge=1, le=MAX_DAYS, description=(
        "calendar days simulated; the work a run asks for (every server's cycles at its "
        "fastest plus a failure and a repair per mean time to failure, over these days) is "
        f"limited to {MAX_STATION_CYCLES:.0e} events"))
    warmup_days: float = Field(
        0.0, ge=0, description="calendar days run before statistics are collected")

    @model_validator(mode="after")
    def _warmup(self) -> "Horizon":
        if self.warmup_days >= self.days:
            raise ValueError(f"warmup_days ({self.warmup_days}) must be < days ({self.days})")
        if self.start > LAST_START - dt.timedelta(days=self.days):
            raise ValueError(f"start {self.start.isoformat()} + {self.days} days ends too late: "
                             f"the horizon must end by {LAST_START.isoformat()}")
        return self


class BomItem(Frozen):
    """``quantity`` of ``part`` go into one unit, fitted at ``station`` (default: the
    line's first station). The station must exist on a line that makes the product; a
    line that makes it without such a station fits the part at its first station."""

    part: Name
    quantity: int = Field(1, ge=1, le=10_000)
    station: Name | None = None


class Product(Frozen):
    """A product that lines may make, and its bill of materials."""

    name: Name
    description: str = Field("", max_length=500)
    bom: tuple[BomItem, ...] = Field((), max_length=500, description="parts of one unit")


class FailureMode(Frozen):
    """A way a server breaks down: time to failure, time to repair (minutes), and the clock
    that the time to failure runs on: ``calendar`` (always), ``working`` (on-shift time) or
    ``operating`` (only while the server is processing). Repairs run in calendar time."""

    name: Name = "breakdown"
    ttf: Dist = Field(description="time to failure, minutes on the chosen clock")
    ttr: Dist = Field(description="time to repair, calendar minutes")
    clock: Literal["calendar", "working", "operating"] = "operating"

    @model_validator(mode="after")
    def _positive(self) -> "FailureMode":
        if self.ttf.mean < 0.1:
            raise ValueError(f"ttf mean must be >= 0.1 minutes, got {self.ttf.mean}")
        return self


class MaintenanceWindow(Frozen):
    """Planned maintenance of every server of a station: on every ``every_days``-th working
    day of the horizon (the first working day counts as the first), from ``start`` for
    ``minutes`` calendar minutes the servers are down in state ``planned_maintenance``.
    Off shift and breaks take precedence over it; a failure during the window is charged to
    the maintenance."""

    start: TimeOfDay = Field(description="clock time the window begins, HH:MM")
    minutes: float = Field(gt=0, le=1440, description="length of the window, calendar minutes")
    every_days: int = Field(1, ge=1, le=366, description="every how many working days")


class Station(Frozen):
    """A station: ``servers`` identical parallel machines, each taking one unit at a time.

    After service a unit moves to the buffer after the station (``buffer`` places); when it
    is full the server holds the unit and is blocked (blocking after service).
    """

    name: Name
    servers: int = Field(1, ge=1, le=100, description="identical parallel servers")
    cycle_time: Dist = Field(description="processing time per unit, minutes")
    cycle_times: FrozenMap[Name, Dist] = Field(
        default_factory=FrozenDict, description="per-product cycle times overriding cycle_time"
    )
    ideal_cycle_time: float | None = Field(
        None, gt=0, description="standard time per unit for OEE and losses; default: the mean"
    )
    buffer: int = Field(0, ge=0, le=100_000, description="places in the buffer after the station")
    start_units: int = Field(0, ge=0, le=100_000, description=(
        "units in the buffer after the station at the start (of the line's first planned "
        "product); at most buffer"))
    crew: int = Field(1, ge=0, le=20, description="operators needed per server (with a workforce)")
    failures: tuple[FailureMode, ...] = Field((), max_length=20)
    scrap_rate: float = Field(0.0, ge=0, lt=1, description="fraction of units scrapped here")
    rework_rate: float = Field(0.0, ge=0, lt=1, description="fraction of units reworked here")
    rework_time: Dist | None = Field(None, description="rework time; default: a cycle time")
    maintenance: tuple[MaintenanceWindow, ...] = Field(
        (), max_length=20, description="planned maintenance windows (none by default)")

    @model_validator(mode="after")
    def _rates(self) -> "Station":
        if self.scrap_rate + self.rework_rate >= 1:
            raise ValueError("scrap_rate + rework_rate must be < 1")
        if self.start_units > self.buffer:
            raise ValueError(f"start_units ({self.start_units}) must be <= buffer ({self.buffer})")
        for key, d in [("cycle_time", self.cycle_time), *self.cycle_times.items()]:
            if d.mean < 0.01:
                raise ValueError(f"cycle time {key} mean must be >= 0.01 minutes, got {d.mean}")
        names = [f.name for f in self.failures]
        if len(set(names)) != len(names):
            raise ValueError("failure mode names must be unique within a station")
        return self

    def cycle_for(self, product: str) -> Dist:
        """The cycle-time distribution for ``product``."""
        return self.cycle_times.get(product, self.cycle_time)

    def ideal_for(self, product: str) -> float:
        """Standard minutes per unit of ``product`` on one server."""
        if self.ideal_cycle_time is not None and product not in self.cycle_times:
            return self.ideal_cycle_time
        return self.cycle_for(product).mean


class Changeover(Frozen):
    """Changeover times (minutes) at each station when the product changes.

    ``matrix[a][b]`` is the time from product a to product b; pairs not listed take
    ``default``.
    """

    default: Dist = Fixed(value=0.0)
    matrix: FrozenMap[Name, FrozenMap[Name, Dist]] = Field(default_factory=FrozenDict)

    def time(self, a: str, b: str) -> Dist:
        return self.matrix.get(a, {}).get(b, self.default)


class Line(Frozen):
    """An assembly line: stations in order; units flow from the first to the last."""

    name: Name
    products: tuple[Name, ...] = Field(min_length=1, description="products this line can make")
    stations: tuple[Station, ...] = Field(min_length=1, max_length=100)
    changeover: Changeover = Changeover()
    constraint: Name | None = Field(
        None, description="station whose time the loss waterfall uses; default: the slowest"
    )

    def constraint_index(self) -> int:
        """Index of the constraint station (given, or the slowest by ideal time per server)."""
        if self.constraint is not None:
            return [s.name for s in self.stations].index(self.constraint)
        loads = [
            sum(s.ideal_for(p) for p in self.products) / len(self.products) / s.servers
            for s in self.stations
        ]
        return max(range(len(loads)), key=lambda i: (loads[i], -i))


class PlanItem(Frozen):
    """Make ``quantity`` good units of ``product``."""

    product: Name
    quantity: int = Field(ge=1, le=1_000_000)


class LinePlan(Frozen):
    """A line's daily plan: ``daily`` on every working day unless ``dates`` overrides a date.
    An empty list means no plan for that day; a day's items are made in the order listed.
    Unfinished quantity carries over as ``planning.carry_over`` says (by default it does
    not). ``backups`` lists products the line may change over to when its planned item is
    stopped (by quality or a missing part); the first usable one is taken, and the choice is
    re-made while the stop lasts (see :mod:`linesim.engine.backup`)."""

    daily: tuple[PlanItem, ...] = Field((), max_length=50)
    backups: tuple[Name, ...] = Field(
        (), max_length=20,
        description="backup products, in order, for when the planned item is stopped")
    dates: FrozenMap[dt.date, tuple[PlanItem, ...]] = Field(default_factory=FrozenDict, max_length=5000)

    def items_on(self, day: dt.date) -> tuple[PlanItem, ...]:
        return self.dates.get(day, self.daily)


class Economics(Frozen):
    """Money: what one more good unit is worth, for paybacks of countermeasures."""

    currency: str = Field("CNY", max_length=10)
    margin_per_unit: float = Field(
        0.0, ge=0, le=1e9, description="contribution margin of one good unit, currency units")


class Scenario(Frozen):
    """A whole plant: validated, immutable. Simulate it with :func:`linesim.simulate`."""

    name: Name
    description: str = Field("", max_length=5000)
    seed: int = Field(0, ge=0, lt=2**63, description="default random seed")
    horizon: Horizon
    calendar: Calendar = Calendar()
    products: tuple[Product, ...] = Field(min_length=1, max_length=500)
    lines: tuple[Line, ...] = Field(min_length=1, max_length=50)
    plan: FrozenMap[Name, LinePlan] = Field(default_factory=FrozenDict, description="per line name")
    planning: Planning = Field(Planning(), description="carry-over and replanning rules")
    quality: Quality = Quality()
    materials: Materials = Materials()
    economics: Economics = Economics()
    workforce: Workforce | None = Field(
        None, description="operators and relief; without it stations need no operators")

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        problems = cross_reference_problems(self)
        if problems:
            raise ValueError("\n".join(f"{path}: {msg}" for path, msg in problems))
        return self

    def seed_for(self, seed: int | None) -> int:
        """The seed a run uses: ``seed``, or the scenario's own when None (the one place
        where the default is resolved)."""
        return self.seed if seed is None else int(seed)

    def line(self, name: str) -> Line:
        for ln in self.lines:
            if ln.name == name:
                return ln
        raise KeyError(name)
