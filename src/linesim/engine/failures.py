"""Downtime of a server: failure processes for the calendar and working-time clocks, and
planned maintenance windows.

A failure mode on the *calendar* clock counts every minute; on the *working* clock only the
minutes its line is on shift (overtime included, breaks and off-shift excluded). When the
time to failure has run out the server goes down (interrupting any processing) for a time to
repair in calendar minutes; the next time to failure starts after the repair. Modes on the
*operating* clock are handled by the server itself (see :mod:`linesim.engine.station`).

A planned maintenance window (:class:`~linesim.scenario.model.MaintenanceWindow`) takes the
server down in state ``planned_maintenance`` at a fixed clock time of every n-th working
day, for a fixed number of calendar minutes; it draws no random numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from simpy import Timeout

from ..scenario.base import minutes_of
from ..scenario.model import MaintenanceWindow
from .calendar import WorkDay
from .context import Build
from .server import Server
from .states import PLANNED_MAINTENANCE
from .streams import stream_name


def attach_failures(server: Server, build: Build) -> None:
    """Create the streams and processes of every failure mode of ``server``."""
    st, line = server.st, server.line
    streams = build.streams
    for mode in st.spec.failures:
        key = (line.name, st.name, server.k, mode.name)
        ttf = streams.sampler(mode.ttf, stream_name("failure", *key, "ttf"))
        ttr = streams.sampler(mode.ttr, stream_name("failure", *key, "ttr"))
        if mode.clock == "operating":
            server.add_operating_mode(ttf, ttr)
        else:
            line.env.process(_failure_process(server, ttf, ttr, mode.clock == "working"))
    for window in st.spec.maintenance:
        build.recorder.declare_state(PLANNED_MAINTENANCE)
        line.env.process(_maintenance(server, window, build.days))


def _failure_process(server: Server, ttf: Callable[[], float], ttr: Callable[[], float],
                     working_clock: bool):
    env = server.env
    line = server.line
    while True:
        if working_clock:
            yield from line.wait_worked(ttf())
        else:
            yield Timeout(env, ttf())
        server.fail_begin()
        yield Timeout(env, ttr())
        server.fail_end()


def _maintenance(server: Server, window: MaintenanceWindow, days: tuple[WorkDay, ...]):
    """Take ``server`` down for ``window`` on every ``every_days``-th working day."""
    env = server.env
    offset = minutes_of(window.start)
    for day in days[::window.every_days]:
        start = day.index * 1440.0 + offset
        if start < env.now:
            continue
        yield Timeout(env, start - env.now)
        server.fail_begin(PLANNED_MAINTENANCE)
        yield Timeout(env, window.minutes)
        server.fail_end(PLANNED_MAINTENANCE)
