"""What every part of the engine is built with (desmod's build step).

A part receives the :class:`Build` of its run in its constructor together with its slice of
the scenario and the few collaborators it talks to; it never looks for them elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from simpy import Environment

from ..scenario.model import Scenario
from .calendar import WorkDay
from .recorder import Recorder
from .streams import Streams


@dataclass(frozen=True)
class Build:
    """The run-wide things every part may use."""

    env: Environment  #: the SimPy environment (time in minutes)
    scenario: Scenario  #: the whole scenario (parts read their own slice of it)
    streams: Streams  #: one random stream per purpose per entity
    days: tuple[WorkDay, ...]  #: the working days of the horizon, in order
    recorder: Recorder  #: where counts and state changes are reported
    log: list | None = None  #: the event log (every state change), when asked for
