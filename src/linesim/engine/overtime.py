"""The seed's overtime rules for ``until_plan`` overtime (see
:class:`~linesim.scenario.model.Overtime`): uniform for the assembly section, and a cap a
calendar month per line.

Without them the line's calendar (:meth:`~linesim.engine.line.LineRuntime.controller`)
keeps a line on after its last shift while its own plan is unfinished, for at most the
day's cap. With ``uniform``, every line stays on while any line's plan is unfinished (a
line that finished waits in state ``no_plan``); with ``max_hours_per_month``, the day's cap
is at most what is left of the line's monthly hours (the hours used are counted from the
overtime actually worked).
"""

from __future__ import annotations

from simpy import AnyOf, Timeout

from ..scenario.model import Scenario
from .calendar import ON, WorkDay
from .context import Build
from .line import LineRuntime


class OvertimeRule:
    """The plant's overtime rule for ``until_plan`` overtime."""

    def __init__(self, build: Build, lines: list[LineRuntime]):
        ot = build.scenario.calendar.overtime
        self.env = build.env
        self.lines = lines
        self.uniform = ot.uniform
        self.month_cap = (ot.max_hours_per_month * 60.0 if ot.max_hours_per_month is not None
                          else None)
        #: (line, year, month) -> overtime minutes worked
        self.used: dict[tuple[str, int, int], float] = {}

    @staticmethod
    def wanted(scenario: Scenario) -> bool:
        """Whether the scenario asks for one of the rules."""
        ot = scenario.calendar.overtime
        return ot.mode == "until_plan" and (ot.uniform or ot.max_hours_per_month is not None)

    def stay(self, line: LineRuntime, day: WorkDay):
        """Keep ``line`` on after ``day``'s last shift as the rules say (``yield from``)."""
        env = self.env
        key = (line.name, day.date.year, day.date.month)
        cap = day.overtime_cap
        if self.month_cap is not None:
            cap = min(cap, self.month_cap - self.used.get(key, 0.0))
        unmet = line.plan.unmet() or (self.uniform and any(ln.plan.unmet() for ln in self.lines))
        if cap <= 1e-9 or not unmet:
            return
        line.set_shift(ON)
        start = env.now
        done = env.process(self._all_met()) if self.uniform else line.plan.met_event
        yield AnyOf(env, [Timeout(env, cap), done])
        self.used[key] = self.used.get(key, 0.0) + env.now - start

    def _all_met(self):
        """Succeeds when no line has an unfinished plan."""
        for ln in self.lines:
            while ln.plan.unmet():
                yield ln.plan.met_event
