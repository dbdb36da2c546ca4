"""The backup controller of a line (the seed's measures 1.1 and 2.3): whether the line
changes over to a backup product while its product is stopped, and to which.

A *problem* of product P is opened by a quality stop that reaches the decision level of
the escalation ladder (:meth:`BackupController.on_decision`) or by a part that a station
has waited ``materials.backup_after_minutes`` of working time for, with the warehouse out
of it too (:meth:`BackupController.material_short`). While the problem lasts the
controller keeps deciding: it re-checks whenever what the choice depends on changes (an
operator comes back to a post, parts come to the line for a refused backup, a product is
stopped or held, a new day's plan is loaded) and keeps the backup it runs while that one
can still run, else takes the first of the line's backups that can run, else idles.

A backup can run when it is not P, not stopped or held, not itself a problem, does not
need the part of the problem (the defective incoming part, or the missing part), every
station has a manned server, and (with materials) the parts of one unit are at the line
or recorded in the warehouse.

Changing to a backup and back are both line-level changeovers: the line is emptied of the
units of the product it leaves (they are set aside, see :mod:`linesim.engine.plan`) and
every station changes over at once, for one changeover time drawn for the line. A quality
problem without a usable backup halts the line (``quality_stop``) and its operators are
sent home; that time and the operator-hours are charged to the stoppage. Every decision
is recorded: (minute, line, product, cause, choice, why the earlier backups were refused).
"""

from __future__ import annotations

from simpy import Event

from ..scenario.model import Line
from .context import Build
from .plan import DailyPlan, PlanLine
from .streams import stream_name


class Problem:
    """An open problem of one product: what stops it and, when idle, since when."""

    __slots__ = ("product", "part", "rec", "cause", "idle_from")

    def __init__(self, product: str, part: str | None, rec, cause: str):
        self.product = product
        self.part = part  #: the part a backup must not need (None: any part)
        self.rec = rec  #: the quality Stoppage record, or None (a shortage)
        self.cause = cause
        self.idle_from: float | None = None  #: working minute the idling began


class BackupController:
    """Decides the backups of one line; the plan carries them out."""

    def __init__(self, build: Build, spec: Line, line: PlanLine, plan: DailyPlan):
        """``spec``: the line's scenario; ``line``: the line (clocks, changeovers);
        ``plan``: its daily plan."""
        self.env = build.env
        self.line = line
        self.plan = plan
        self.log = build.recorder.decisions
        lineplan = build.scenario.plan.get(spec.name)
        self.backups: tuple[str, ...] = lineplan.backups if lineplan is not None else ()
        self.parts = {p.name: frozenset(b.part for b in p.bom) for p in build.scenario.products}
        self.materials = None  # the plant's MaterialsRT, once connected
        self.switched: dict[str, str] = {}  # stopped product -> backup running instead
        self.problems: dict[str, Problem] = {}  # product -> its open problem
        self._short_watch: set[str] = set()  # products whose material shortage is watched
        self._poked = False
        co = self._changeover = spec.changeover
        self._line_changeover = {
            (a, b): build.streams.sampler(co.time(a, b),
                                           stream_name("changeover", spec.name, "line"))
            for a in spec.products for b in spec.products if a != b}

    def connect_materials(self, materials) -> None:
        """Check parts before choosing a backup, and watch shortages."""
        self.materials = materials

    def is_switched(self, product: str) -> bool:
        """Whether a backup runs instead of ``product``."""
        return product in self.switched

    def new_day(self) -> None:
        """A new day's plan is loaded: every open problem is decided again."""
        for product in list(self.switched):
            self.plan.make_instead(product, self.switched[product])
        self.poke()

    # -- deciding ------------------------------------------------------------------------
    def refusal(self, backup: str, prob: Problem) -> str:
        """Why ``backup`` cannot run instead of ``prob.product`` now ('' if it can); with a
        material refusal, the line stocks short of parts are watched for refills."""
        if backup == prob.product or backup in self.problems or self.plan.is_stopped(backup):
            return "stopped"
        if prob.part is not None and prob.part in self.parts.get(backup, ()):
            return f"needs {prob.part}"
        for st in self.line.stations:
            if all(s.unmanned for s in st.servers):
                return f"{st.name} unmanned"
        if self.materials is None:
            return ""
        short = [ls for st in self.line.stations for ls, q in st.consume.get(backup, ())
                 if ls.qty + ls.part.recorded < q]
        for ls in short:  # a refill may make it usable: decide again then
            ls.refill_event().callbacks.append(self._poke_cb)
        return f"no {short[0].part.name}" if short else ""

    def decide(self, product: str) -> None:
        """Decide (again) what the line does while ``product``'s problem lasts."""
        prob = self.problems[product]
        current = self.switched.get(product)
        if current is not None and not self.refusal(current, prob):
            return
        why = []
        for b in self.backups:
            r = self.refusal(b, prob)
            if not r:
                self._to_backup(prob, b, current, why)
                return
            why.append(f"{b}: {r}")
        if current is not None or prob.idle_from is None:
            self._to_idle(prob, current, why)

    def _record(self, prob: Problem, choice: str, why: list[str]) -> None:
        self.log.append((self.env.now, self.line.name, prob.product, prob.cause, choice,
                         "; ".join(why)))
        rec = prob.rec
        if rec is not None and not rec.decision:
            rec.decision = "backup" if choice != "idle" else "idle"
            rec.backup = choice if choice != "idle" else None

    def _to_backup(self, prob: Problem, backup: str, current: str | None, why: list[str]):
        plan = self.plan
        self._end_idle(prob)
        if prob.rec is None:
            plan.hold(prob.product)
        plan.make_instead(prob.product, backup)
        self.switched[prob.product] = backup
        self.change_line(current or prob.product, backup)
        if prob.rec is not None:
            plan.halt_for(prob.product, False)
        self._record(prob, backup, why)
        if prob.rec is None:  # servers waiting for the missing part set their units aside
            self._wake_part(prob.part)
        plan.replan()

    def _to_idle(self, prob: Problem, current: str | None, why: list[str]) -> None:
        plan = self.plan
        if current is not None:  # the backup's units are set aside; the line changes
            plan.stop_instead(prob.product)  # back when the product resumes
            del self.switched[prob.product]
        plan.keep_product(prob.product)
        if prob.rec is not None:  # a quality stop idles the line: operators sent home
            prob.idle_from = self.line.worked()
            plan.halt_for(prob.product)
        else:  # a shortage: the stations wait for the part (material)
            prob.idle_from = -1.0
            plan.unhold(prob.product)
        self._record(prob, "idle", why)
        plan.replan()

    def _end_idle(self, prob: Problem) -> None:
        """The idling of ``prob`` ends: charge the sent-home operator time to it."""
        if prob.idle_from is not None and prob.rec is not None and prob.idle_from >= 0:
            minutes = self.line.crew * (self.line.worked() - prob.idle_from)
            prob.rec.sent_home_hours += minutes / 60.0
            self.plan.counts.sent_home_minutes += minutes
        prob.idle_from = None

    def change_line(self, old: str, new: str) -> None:
        """A line-level changeover from ``old`` to ``new`` (skipped if already on it): the
        line is being emptied of ``old`` (its units are set aside)."""
        if all(s.product == new for s in self.line.servers):
            return
        co = self._changeover.time(old, new)
        minutes = self._line_changeover[old, new]() if not co.is_deterministic else co.mean
        for s in self.line.servers:  # every station changes over now
            s.take_product(new)
        if minutes > 0:
            self.env.process(self.line.change_over_all(new, minutes))

    def _wake_part(self, part: str | None) -> None:
        if self.materials is None or part is None:
            return
        ls = self.materials.stocks.get((self.line.name, part))
        if ls is not None:
            ls.wake_waiters()

    def poke(self) -> None:
        """Something a decision depends on changed: decide again (once, right after)."""
        if self.problems and not self._poked:
            self._poked = True
            ev = Event(self.env)
            ev.callbacks.append(self._redecide)
            ev.succeed()

    def _poke_cb(self, _event) -> None:
        self.poke()

    def _redecide(self, _event) -> None:
        self._poked = False
        for product in list(self.problems):
            if product in self.problems:
                self.decide(product)

    # -- quality stops (2.3) -------------------------------------------------------------
    def on_decision(self, rec) -> None:
        """A quality stop ``rec`` (a :class:`~linesim.engine.recorder.Stoppage`) reached
        the decision level: change over to a backup, or idle and send the operators home."""
        if not self.plan.needs(rec.product):
            rec.decision = "not needed"  # the line has already moved on to another product
            return
        part = rec.part if rec.origin == "incoming part" else None
        self.problems[rec.product] = Problem(rec.product, part, rec,
                                             f"quality: {rec.source}")
        self.decide(rec.product)

    def on_resolved(self, rec, policy: str) -> None:
        """The quality stop ``rec`` is solved: return to its product or stay on the backup
        (``policy``)."""
        prob = self.problems.pop(rec.product, None)
        if prob is not None:
            self._end_idle(prob)
        self.plan.unstop(rec.product)
        self._end_switch(rec.product, policy)
        self.poke()

    def _end_switch(self, product: str, policy: str) -> None:
        """``product`` may run again: with ``return`` (or no backup running) the line
        changes over back to it at once if it is set up for another product."""
        backup = self.switched.pop(product, None)
        if policy == "return" or backup is None:
            old = self.line.servers[0].product
            if old is not None and old != product:
                self.change_line(old, product)
        if backup is None:
            self.plan.keep_product(product)
            self.plan.put_back(product)
            self.plan.replan()
            return
        self.plan.end_instead(product, policy)

    # -- material shortages --------------------------------------------------------------
    def material_short(self, stock, product: str) -> None:
        """A station started waiting for a part of ``product``: if after the materials'
        ``backup_after_minutes`` of working time (at once for a part planning knows to be
        late) the part is still short, at the line and in the warehouse, planning steps
        around the item (with replanning) or the line changes over to a backup until the
        part comes."""
        if (not (self.backups or self.plan.replanner) or self.materials is None
                or self.plan.is_stopped(product) or product in self._short_watch):
            return
        self._short_watch.add(product)
        self.env.process(self._watch_shortage(stock, product))

    def _watch_shortage(self, stock, product: str):
        plan = self.plan
        rp = plan.replanner
        try:
            if rp is None or stock.part.name not in rp.late:  # a known late part: at once
                yield from self.line.wait_worked(self.materials.m.backup_after_minutes)
            # a refill that the warehouse can serve is worth waiting for; only a part the
            # warehouse is out of too makes the line change
            if (stock.qty > 0 or stock.part.physical > 0 or plan.is_stopped(product)
                    or not plan.needs(product)):
                return
            part = stock.part.name
            if rp is not None and rp.can_step_around(product, part):
                yield from rp.step_around(product, stock, f"short at the line: {part}")
                return
            if not self.backups:
                return
            self.problems[product] = Problem(product, part, None, f"shortage: {part}")
            self.decide(product)
            while stock.qty <= 0:
                yield stock.refill_event()
            self.problems.pop(product, None)
            plan.unhold(product)
            self._end_switch(product, "return")
            plan.update_halt()
            plan.replan()
            self.poke()
        finally:
            self._short_watch.discard(product)
