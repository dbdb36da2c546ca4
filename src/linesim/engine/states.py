"""Station states, declared once, and exact time accounting.

:data:`STATE_TABLE` is the one place that says what a state *is*: its code, its precedence
when a neighbour's servers are looked at for a root cause, the cause label its time is
charged to, its 4M1E category, its plot colour and a plain-language name for reports.
Engine (stations, root causes), results (losses, categories) and plots read it.

Every server of every station is in exactly one state at every instant. The state is the
first that applies of: off shift, break, quality stop (the whole line), the machine being
down (the machine-down state of lowest ``down`` rank, e.g. failed), no operator, then the
server's own activity (working, rework, changeover, waiting for material, blocked,
starved, no plan). Each change of state charges the time since
the last change to the old state, in minutes and in *ideal units* (minutes divided by the
standard minutes per unit of the product in hand), so that the loss waterfall can turn time
into units exactly.
"""

from __future__ import annotations

from typing import NamedTuple

#: kinds of state: time at the constraint that is output, a loss in itself, a loss charged
#: to a root cause elsewhere (routed), or time outside planned production
PRODUCTIVE, LOSS, ROUTED, UNSCHEDULED_KIND = "productive", "loss", "routed", "unscheduled"


class StateInfo(NamedTuple):
    """One station state (a row of :data:`STATE_TABLE`)."""

    code: int  #: index into every per-state array of the engine
    name: str  #: the state's name in tables and event logs
    kind: str  #: productive, loss, routed or unscheduled
    cause: str  #: cause label of time a neighbour spends in this state (root causes)
    precedence: int  #: lower wins among a neighbour station's servers (root causes)
    loss_order: int  #: position of a ``loss`` state among the waterfall's own losses, else -1
    category: str  #: 4M1E category of the state's cause ("" for productive/unscheduled)
    colour: str  #: plot colour
    plain: str  #: plain-language name for reports
    #: reported only in runs where a part declares it (a feature off in a scenario leaves
    #: its tables as they were without it)
    optional: bool = False
    #: rank among the machine-down states (lower wins when a server is down for two
    #: reasons at once); -1 for a state that is not a machine being down
    down: int = -1


_ROWS = (
    # name, kind, cause, precedence, loss order, category, colour, plain name
    # [, optional, down rank]
    ("working", PRODUCTIVE, "line_balance", 7, -1, "", "#2ca02c", "working"),
    # a defect made by the process: method (the 4M1E of the seed has no quality category)
    ("rework", LOSS, "rework", 6, 5, "method", "#98df8a", "reworking defective units"),
    ("changeover", LOSS, "changeover", 5, 3, "method", "#9467bd",
     "changing over to another product"),
    ("failed", LOSS, "failure", 1, 0, "machine", "#d62728", "machine broken down", False, 1),
    ("quality_stop", LOSS, "quality_stop", 4, 1, "method", "#ff7f0e",
     "line stopped by a quality problem"),
    ("blocked", ROUTED, "line_balance", 8, -1, "", "#1f77b4",
     "blocked: the next buffer is full"),
    ("starved", ROUTED, "line_balance", 9, -1, "", "#aec7e8",
     "starved: nothing comes from upstream"),
    ("no_plan", LOSS, "no_plan", 10, 4, "method", "#c7c7c7", "nothing left to make in the plan"),
    ("break", UNSCHEDULED_KIND, "line_balance", 99, -1, "", "#f7f7f7", "break"),
    ("off_shift", UNSCHEDULED_KIND, "line_balance", 99, -1, "", "#ffffff", "off shift"),
    ("no_operator", LOSS, "no_operator", 2, 2, "man", "#e377c2", "operator away, no relief"),
    ("no_material", ROUTED, "no_material", 3, -1, "material", "#8c564b",
     "waiting for material"),
    ("planned_maintenance", LOSS, "planned_maintenance", 0, 6, "machine", "#bcbd22",
     "planned maintenance", True, 0),
    # a quality stop whose origin is a defective incoming part (reported where a stoppage
    # source has origin "incoming part"): material
    ("part_quality_stop", LOSS, "part_quality_stop", 4, 1, "material", "#ffbb78",
     "line stopped by defective incoming parts", True),
)

#: every station state, indexed by code
STATE_TABLE: tuple[StateInfo, ...] = tuple(StateInfo(i, *row) for i, row in enumerate(_ROWS))
#: state name -> its row
BY_NAME: dict[str, StateInfo] = {s.name: s for s in STATE_TABLE}

(WORKING, REWORK, CHANGEOVER, FAILED, QUALITY_STOP, BLOCKED, STARVED, NO_PLAN, BREAK,
 OFF_SHIFT, NO_OPERATOR, NO_MATERIAL, PLANNED_MAINTENANCE) = (BY_NAME[n].code for n in (
     "working", "rework", "changeover", "failed", "quality_stop", "blocked", "starved",
     "no_plan", "break", "off_shift", "no_operator", "no_material", "planned_maintenance"))
PART_QUALITY_STOP = BY_NAME["part_quality_stop"].code

#: state names, indexed by state code
STATES: tuple[str, ...] = tuple(s.name for s in STATE_TABLE)
#: states outside planned production time (not part of capacity)
UNSCHEDULED: frozenset[int] = frozenset(s.code for s in STATE_TABLE
                                        if s.kind == UNSCHEDULED_KIND)
#: root-cause precedence and cause label, indexed by state code (for the hot path)
PRECEDENCE: tuple[int, ...] = tuple(s.precedence for s in STATE_TABLE)
CAUSE_OF_STATE: tuple[str, ...] = tuple(s.cause for s in STATE_TABLE)
#: machine-down states, the one a server shows first (see ``down``)
DOWN_STATES: tuple[int, ...] = tuple(s.code for s in sorted(
    (s for s in STATE_TABLE if s.down >= 0), key=lambda s: s.down))
#: plot colour of every state, by name
STATE_COLOURS: dict[str, str] = {s.name: s.colour for s in STATE_TABLE}

#: causes of lost units that are no station state: (cause, category, plain name)
_OTHER_CAUSES = (
    ("line_balance", "method", "line imbalance: a neighbour is slower"),
    ("speed", "man", "working slower than the standard time"),
    ("scrap", "method", "units scrapped"),
    ("wip_change", "method", "units still in the line (work in progress)"),
)
#: 4M1E category of every cause label (composite ``no_material: ...`` labels: see
#: :func:`category_of`)
CAUSE_CATEGORY: dict[str, str] = {
    **{s.cause: s.category for s in STATE_TABLE if s.kind == LOSS or s.name == "no_material"},
    **{c: cat for c, cat, _ in _OTHER_CAUSES}}
_CAUSE_PLAIN: dict[str, str] = {
    **{s.cause: s.plain for s in STATE_TABLE if s.kind == LOSS or s.name == "no_material"},
    **{c: plain for c, _, plain in _OTHER_CAUSES}}
#: loss states in waterfall order (state name -> cause label)
LOSS_STATES: dict[str, str] = {s.name: s.cause for s in sorted(
    (s for s in STATE_TABLE if s.kind == LOSS), key=lambda s: s.loss_order)}
#: states whose time is charged to a root cause, in waterfall order
ROUTED_STATES: tuple[str, ...] = ("starved", "blocked", "no_material")
#: every cause label that is not composite, in waterfall order (optional states' causes
#: are added to a run's losses only where the state is reported)
CAUSES: tuple[str, ...] = tuple(dict.fromkeys([
    *(cause for state, cause in LOSS_STATES.items() if not BY_NAME[state].optional),
    *(c for c, _, _ in _OTHER_CAUSES)]))
CATEGORIES = ("man", "machine", "material", "method", "environment")


def category_of(cause: str) -> str:
    """The 4M1E category of a cause label (``no_material: PART (SOURCE)`` is material;
    an unknown label is method)."""
    if cause.startswith("no_material"):
        return "material"
    return CAUSE_CATEGORY.get(cause, "method")


def plain_name(label: str, via: str = "", station: str = "") -> str:
    """Plain-language name of a state or cause label for reports.

    Knows every state name, every cause label and composite labels such as
    ``no_material: PART (SOURCE)``; ``via`` (a routed state: starved, blocked) and
    ``station`` add where the loss came from, e.g. ``plain_name("failure", "starved", "weld")``
    is ``"machine broken down at weld (the constraint starved)"``. An unknown label comes
    back with underscores as spaces."""
    head, sep, tail = label.partition(": ")
    base = _CAUSE_PLAIN.get(head) or (BY_NAME[head].plain if head in BY_NAME
                                      else head.replace("_", " "))
    text = f"{base}: {tail}" if sep else base
    if station:
        text += f" at {station}"
    if via in ("starved", "blocked"):
        text += f" (the constraint {via})"
    return text


class StateClock:
    """Time-in-state accumulator of one server."""

    __slots__ = ("env", "state", "since", "minutes", "ideal_units", "ideal", "log", "tag", "rc")

    def __init__(self, env, ideal: float, log: list | None = None, tag: tuple = (),
                 rc=None):
        """``ideal``: standard minutes per unit of the product in hand; ``log``: the event
        log (or None); ``tag``: what the log entries start with; ``rc``: an object whose
        ``on_switch(clock, old, new)`` is told of every change (the line's root causes)."""
        self.env = env
        self.state = OFF_SHIFT
        self.since = env.now
        self.minutes = [0.0] * len(STATES)
        self.ideal_units = [0.0] * len(STATES)
        self.ideal = ideal
        self.log = log
        self.tag = tag
        self.rc = rc

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
