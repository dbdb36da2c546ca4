"""The backup controller of a line (the seed's measure 1.1): when the line changes over to a
backup product, and to which.

A quality stop that reaches the decision level (see :mod:`linesim.engine.quality`) or a
part a station has waited for ``materials.backup_after_minutes`` of working time, with the
warehouse out of it too, makes the controller pick the first backup that can run (not
stopped, every station manned, parts for one unit at hand or recorded). The plan then
makes the backup instead (:meth:`~linesim.engine.plan.DailyPlan.make_instead`) and every
station changes over at once (the line is stopped anyway). When the problem is over the
plan returns to the product or stays on the backup. A product switched to a backup stays
switched on the following days until its problem is over.
"""

from __future__ import annotations

from ..scenario.model import Line
from .context import Build
from .plan import DailyPlan, PlanLine
from .streams import stream_name


class BackupController:
    """Decides the backups of one line; the plan carries them out."""

    def __init__(self, build: Build, spec: Line, line: PlanLine, plan: DailyPlan):
        """``spec``: the line's scenario; ``line``: the line (clocks, changeovers);
        ``plan``: its daily plan."""
        self.env = build.env
        self.line = line
        self.plan = plan
        lineplan = build.scenario.plan.get(spec.name)
        self.backups: tuple[str, ...] = lineplan.backups if lineplan is not None else ()
        self.materials = None  # the plant's MaterialsRT, once connected
        self.switched: dict[str, str] = {}  # stopped product -> backup running instead
        self._short_watch: set[str] = set()  # products whose material shortage is watched
        products = spec.products
        co = self._changeover = spec.changeover
        self._line_changeover = {
            (a, b): build.streams.sampler(co.time(a, b),
                                           stream_name("changeover", spec.name, "line"))
            for a in products for b in products if a != b}

    def connect_materials(self, materials) -> None:
        """Check parts before choosing a backup, and watch shortages."""
        self.materials = materials

    def is_switched(self, product: str) -> bool:
        """Whether a backup runs instead of ``product``."""
        return product in self.switched

    def new_day(self) -> None:
        """A new day's plan is loaded: products still switched get their backup again."""
        for product in list(self.switched):
            self.switch_to_backup(product)

    # -- backups -------------------------------------------------------------------------
    def can_run(self, product: str) -> bool:
        """Whether the line could make ``product`` now: not stopped, every station has
        operators (with a workforce), and (with materials) the parts of at least one unit
        are at the line or recorded in the warehouse."""
        if self.plan.is_stopped(product):
            return False
        # every station needs at least one server with its operators
        if not all(any(not s.unmanned for s in st.servers) for st in self.line.stations):
            return False
        return self.materials is None or self.materials.available(self.line, product, 1)

    def first_backup(self, product: str) -> str | None:
        """The first backup of the line, other than ``product``, that can run now."""
        for b in self.backups:
            if b != product and self.can_run(b):
                return b
        return None

    def switch_to_backup(self, product: str) -> str | None:
        """Make the first usable backup instead of ``product`` for the rest of today's
        quantity of ``product``; None if there is no usable backup."""
        backup = self.first_backup(product)
        plan = self.plan
        if backup is None:
            self.switched.pop(product, None)
            plan.keep_product(product)
            return None
        plan.make_instead(product, backup)
        self.switched[product] = backup
        if not all(s.product == backup for s in self.line.servers):
            # the line is stopped anyway: every station changes over at once
            co = self._changeover.time(product, backup)
            minutes = self._line_changeover[product, backup]() if not co.is_deterministic \
                else co.mean
            if minutes > 0:
                self.env.process(self.line.change_over_all(backup, minutes))
        plan.replan()
        return backup

    def end_switch(self, product: str, policy: str) -> None:
        """``product``'s problem is over: return to it, or stay on the backup (policy)."""
        if self.switched.pop(product, None) is not None:
            self.plan.end_instead(product, policy)

    # -- material shortages --------------------------------------------------------------
    def material_short(self, stock, product: str) -> None:
        """A station started waiting for a part of ``product``: if after the materials'
        ``backup_after_minutes`` of working time the part is still short, at the line and in
        the warehouse, the line changes over to a backup until the part comes."""
        if (not self.backups or self.plan.is_stopped(product) or product in self._short_watch
                or self.materials is None):
            return
        self._short_watch.add(product)
        self.env.process(self._watch_shortage(stock, product))

    def _watch_shortage(self, stock, product: str):
        plan = self.plan
        try:
            yield from self.line.wait_worked(self.materials.m.backup_after_minutes)
            # a refill that the warehouse can serve is worth waiting for; only a part the
            # warehouse is out of too makes the line change over
            if (stock.qty > 0 or stock.part.physical > 0 or plan.is_stopped(product)
                    or not plan.needs(product)):
                return
            plan.hold(product)
            if self.switch_to_backup(product) is None:
                plan.unhold(product)
                return
            stock.wake_waiters()  # servers waiting for the part set their units aside
            while stock.qty <= 0:
                yield stock.refill_event()
            plan.unhold(product)
            self.end_switch(product, "return")
            plan.update_halt()
            plan.replan()
        finally:
            self._short_watch.discard(product)
