"""Batches for the finished-goods check (the seed's measure 2.4): a line's working day.

At the start of every working day (and at the end of the run) each line's day just ended is
closed: the units finished at its last station and its first-pass failures (units sent to
rework or scrapped at any of its stations) during the day. A batch "needs rework" when its
failure share passes the scenario's ``quality.batch_threshold`` (see
:mod:`linesim.results.fpy`). Nothing here draws random numbers.
"""

from __future__ import annotations

from simpy import Timeout

from .calendar import WorkDay
from .context import Build
from .line import LineRuntime


class BatchLog:
    """Per line and working day: units finished at the last station, first-pass failures."""

    def __init__(self, build: Build, lines: list[LineRuntime]):
        self.env = build.env
        self.lines = lines
        #: (line, day index, finished at the last station, first-pass failures)
        self.rows: list[tuple[str, int, int, int]] = []
        self.day: int | None = None
        self.marks: dict[str, tuple[int, int]] = {}
        self._mark()
        build.recorder.register(self._warmup)
        self.env.process(self._days(build.days))

    @staticmethod
    def _counts(line: LineRuntime) -> tuple[int, int]:
        return (line.stations[-1].done,
                sum(st.reworked + st.scrapped for st in line.stations))

    def _mark(self) -> None:
        self.marks = {line.name: self._counts(line) for line in self.lines}

    def _warmup(self) -> None:
        """End of the warm-up: the day under way counts from now (counters were reset)."""
        self.rows = []
        self._mark()

    def close(self) -> None:
        """Close the day under way (if any) for every line."""
        if self.day is not None:
            for line in self.lines:
                done, bad = self._counts(line)
                done0, bad0 = self.marks[line.name]
                self.rows.append((line.name, self.day, done - done0, bad - bad0))
        self._mark()

    def _days(self, days: tuple[WorkDay, ...]):
        env = self.env
        for day in days:
            if day.start > env.now:
                yield Timeout(env, day.start - env.now)
            self.close()
            self.day = day.index
