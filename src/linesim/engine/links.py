"""What the parts of a line see of each other: the named attributes and methods a server
uses of its line and of its station (typing protocols; the classes that provide them are
:class:`~linesim.engine.line.LineRuntime` and :class:`~linesim.engine.station.StationRuntime`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from simpy import Environment

from ..scenario.model import Line
from .buffer import Buffer


class LineLink(Protocol):
    """What the stations of a line use of it (:class:`~linesim.engine.line.LineRuntime`):
    its shift and halt state, the products set aside, and the plan's release and finish."""

    env: Environment
    name: str
    spec: Line
    log: list | None
    rootcause: object  #: told of every state change (``on_switch``)
    shift: int  #: ON, BREAK, OFF or HALTED (see :mod:`linesim.engine.calendar`)
    changing: bool  #: the whole line changes over
    #: the daily plan (:class:`~linesim.engine.plan.DailyPlan`): ``release()``,
    #: ``release_event()``, ``releasing``, ``wait_input(server)``, ``input_came(server)``,
    #: ``aside`` (products set aside), ``set_aside(unit, station)``, ``scrap(unit, station)``,
    #: ``finish(unit)``
    plan: object
    #: the backup controller (:class:`~linesim.engine.backup.BackupController`):
    #: ``problems`` (open problems), ``poke()`` (decide again)
    backup: object


class StationLink(Protocol):
    """What a server uses of its station (:class:`~linesim.engine.station.StationRuntime`):
    where units come from and go, samplers per product, and the station's counts."""

    line: LineLink
    idx: int  #: position in the line
    name: str
    inbuf: Buffer | None  #: None at the first station (units come from the plan)
    outbuf: Buffer | None  #: None at the last station (units leave the line)
    ideal: dict[str, float]  #: product -> standard minutes per unit
    cycle: dict[str, Callable[[], float]]  #: product -> cycle-time sampler
    changeover: dict[tuple[str, str], Callable[[], float]]  #: (from, to) -> sampler
    rework: dict[str, Callable[[], float]]  #: product -> rework-time sampler
    quality: Callable[[], float] | None  #: uniform draw for scrap/rework, None if never
    scrap_rate: float
    rework_rate: float
    consume: dict[str, list]  #: product -> [(line-side stock, parts per unit)]
    done: int  #: units processed (first pass), counted by the servers
    scrapped: int  #: units scrapped here, counted by the servers
    servers: list  #: the station's servers (parallel servers keep product order)

    def take_seq(self) -> int: ...
    def in_order(self, server, unit): ...
    def let_go(self, server) -> None: ...
