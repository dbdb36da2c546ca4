"""Station states and exact time accounting.

Every server of every station is in exactly one state at every instant. The state is the
first that applies of: off shift, break, quality stop (the whole line), failed, no operator,
then the server's own activity (working, rework, changeover, waiting for material, blocked,
starved, no plan). Each change of state charges the time since
the last change to the old state, in minutes and in *ideal units* (minutes divided by the
standard minutes per unit of the product in hand), so that the loss waterfall can turn time
into units exactly.
"""

from __future__ import annotations

(WORKING, REWORK, CHANGEOVER, FAILED, QUALITY_STOP, BLOCKED, STARVED, NO_PLAN, BREAK,
 OFF_SHIFT, NO_OPERATOR, NO_MATERIAL) = range(12)

#: state names, indexed by state code
STATES: tuple[str, ...] = (
    "working", "rework", "changeover", "failed", "quality_stop", "blocked", "starved",
    "no_plan", "break", "off_shift", "no_operator", "no_material",
)
#: states outside planned production time (not part of capacity)
UNSCHEDULED: frozenset[int] = frozenset({BREAK, OFF_SHIFT})


class StateClock:
    """Time-in-state accumulator of one server."""

    __slots__ = ("env", "state", "since", "minutes", "ideal_units", "ideal", "log", "tag", "rc")

    def __init__(self, env, ideal: float, log: list | None = None, tag: tuple = ()):
        self.env = env
        self.state = OFF_SHIFT
        self.since = env.now
        self.minutes = [0.0] * len(STATES)
        self.ideal_units = [0.0] * len(STATES)
        self.ideal = ideal
        self.log = log
        self.tag = tag
        self.rc = None  # the line's root-cause tracker, told of every change

    def switch(self, new: int) -> None:
        """Charge the time since the last change to the current state; enter ``new``."""
        now = self.env._now
        dt = now - self.since
        old = self.state
        self.minutes[old] += dt
        self.ideal_units[old] += dt / self.ideal
        self.state = new
        self.since = now
        if new != old:
            if self.rc is not None:
                self.rc.on_switch(self, old, new)
            if self.log is not None:
                self.log.append((now, *self.tag, STATES[new]))

    def flush(self) -> None:
        """Charge the open interval up to now (at the end of the run)."""
        self.switch(self.state)

    def reset(self) -> None:
        """Forget everything before now (end of warm-up)."""
        self.since = self.env._now
        self.minutes = [0.0] * len(STATES)
        self.ideal_units = [0.0] * len(STATES)
