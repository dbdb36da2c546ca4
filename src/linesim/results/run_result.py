"""One run's results as tidy pandas tables, and :func:`simulate`."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import pandas as pd

from ..engine import RunRecord, simulate_record
from ..scenario.model import Scenario
from .fpy import batch_table, fpy_table
from .kpis import line_kpis, plant_kpis
from .losses import loss_categories, plant_losses, waterfall
from .plans import decision_table, plan_attainment_table, replan_table


class RunResult:
    """Results of one run of a scenario with one seed.

    Tables (pandas DataFrames, tidy): :attr:`output` (good units per line, product and day),
    :attr:`states` (station time in state), :attr:`waterfall` (loss waterfall),
    :attr:`line_kpis`, :attr:`events` (only with ``event_log=True``). Plain dicts:
    :attr:`kpis` (plant) and :attr:`losses` (plant lost units per cause).
    """

    def __init__(self, record: RunRecord):
        self.record = record

    @property
    def scenario(self) -> Scenario:
        return self.record.scenario

    @property
    def seed(self) -> int:
        return self.record.seed

    @property
    def replication(self) -> int:
        return self.record.replication

    @cached_property
    def kpis(self) -> dict[str, float]:
        """Plant KPIs (see :mod:`linesim.results.kpis`)."""
        return plant_kpis(self.record)

    @cached_property
    def line_kpis(self) -> pd.DataFrame:
        """One row per line, one column per KPI."""
        df = pd.DataFrame.from_dict(line_kpis(self.record), orient="index")
        df.index.name = "line"
        return df

    @cached_property
    def losses(self) -> dict[str, float]:
        """Plant lost units per cause (sum over lines)."""
        return plant_losses(self.record)

    @cached_property
    def loss_categories(self) -> dict[str, float]:
        """Plant lost units per 4M1E category (man, machine, material, method, environment)."""
        return loss_categories(self.record)

    @cached_property
    def waterfall(self) -> pd.DataFrame:
        """Columns ``line, step, kind, station, via, category, units``; see
        :mod:`linesim.results.losses`."""
        return waterfall(self.record)

    @cached_property
    def states(self) -> pd.DataFrame:
        """Columns ``line, station, state, minutes, share, server_minutes``: minutes is the
        station's time in the state (server-minutes / servers); shares sum to 1 per station."""
        rows = []
        span = self.record.end - self.record.start
        for ln in self.record.lines:
            for st in ln.stations:
                for state, sm in st.minutes.items():
                    rows.append((ln.name, st.name, state, sm / st.servers, sm / st.servers / span, sm))
        return pd.DataFrame(rows, columns=["line", "station", "state", "minutes", "share",
                                           "server_minutes"])

    @cached_property
    def output(self) -> pd.DataFrame:
        """Columns ``line, product, day, date, good_units, planned_units``: one row per
        line, product it makes and measured working day (zeros included)."""
        rec = self.record
        start = rec.scenario.horizon.start
        rows = []
        for ln, spec in zip(rec.lines, rec.scenario.lines):
            for p in spec.products:
                for d in rec.working_days:
                    rows.append((ln.name, p, d, start + dt.timedelta(days=d),
                                 ln.daily.get((p, d), 0), ln.planned.get((p, d), 0)))
            # units finished on non-working days (overnight shifts, overtime) are kept too
            for (p, d), n in sorted(ln.daily.items()):
                if d not in rec.working_days:
                    rows.append((ln.name, p, d, start + dt.timedelta(days=d), n, 0))
        df = pd.DataFrame(rows, columns=["line", "product", "day", "date", "good_units",
                                         "planned_units"])
        return df.sort_values(["line", "product", "day"], ignore_index=True)

    @cached_property
    def stoppages(self) -> pd.DataFrame:
        """One row per quality stoppage begun in the measured period: ``line, source,
        origin, part, product, start, end, minutes, level, decision, backup,
        sent_home_hours`` (times in simulation minutes; ``end`` NaN if still open)."""
        cols = ["line", "source", "origin", "part", "product", "start", "end", "minutes",
                "level", "decision", "backup", "sent_home_hours"]
        rows = [(s.line, s.source, s.origin, s.part, s.product, s.start, s.end, s.end - s.start,
                 s.level, s.decision, s.backup, s.sent_home_hours) for s in self.record.stoppages]
        return pd.DataFrame(rows, columns=cols)

    @cached_property
    def plan_attainment(self) -> pd.DataFrame:
        """Per product: ``product, planned, good, attainment, backlog, met`` (see
        :mod:`linesim.results.plans`)."""
        return plan_attainment_table(self.record)

    @cached_property
    def replans(self) -> pd.DataFrame:
        """Replans on late purchase orders (3.4): ``time, line, before, after, why``."""
        return replan_table(self.record)

    @cached_property
    def backup_decisions(self) -> pd.DataFrame:
        """Backup decisions (1.1, 2.3): ``time, line, product, cause, choice, why``."""
        return decision_table(self.record)

    @cached_property
    def escalations(self) -> pd.DataFrame:
        """One row per escalation: ``stoppage`` (row of :attr:`stoppages`), ``line, level,
        name, start, end`` (a level lasts until the stoppage is solved)."""
        rows = [(i, s.line, level, name, start, s.end)
                for i, s in enumerate(self.record.stoppages) for level, name, start in s.levels]
        return pd.DataFrame(rows, columns=["stoppage", "line", "level", "name", "start", "end"])

    @cached_property
    def part_quality(self) -> pd.DataFrame:
        """Incoming part quality per part and day (2.1): ``part, source, day, used,
        defective, share, breach`` where ``breach`` marks a defect share above the
        scenario's ``materials.quality_threshold`` (1%): a quality abnormality."""
        df = pd.DataFrame(self.record.part_days,
                          columns=["part", "source", "day", "used", "defective"])
        df["share"] = df["defective"] / df["used"].where(df["used"] > 0)
        df["breach"] = df["share"] > self.scenario.materials.quality_threshold
        return df

    @cached_property
    def first_pass(self) -> pd.DataFrame:
        """First-pass yield per station: ``line, station, processed, reworked, scrapped,
        fpy`` (see :mod:`linesim.results.fpy`)."""
        return fpy_table(self.record)

    @cached_property
    def batches(self) -> pd.DataFrame:
        """Finished-goods check per line and working day (2.4): ``line, day, finished,
        failures, share, needs_rework``."""
        return batch_table(self.record)

    @cached_property
    def material_waits(self) -> pd.DataFrame:
        """Working minutes each station waited for each part: ``line, station, part,
        minutes`` (the part is labelled 'PART (SOURCE)')."""
        rows = [(*k, v) for k, v in sorted(self.record.material_waits.items())]
        return pd.DataFrame(rows, columns=["line", "station", "part", "minutes"])

    @cached_property
    def events(self) -> pd.DataFrame | None:
        """State changes (``time, line, station, server, state``) if the run kept them."""
        if self.record.events is None:
            return None
        return pd.DataFrame(self.record.events,
                            columns=["time", "line", "station", "server", "state"])

    def _repr_html_(self) -> str:
        head = (f"<b>linesim run</b> of <code>{self.scenario.name}</code>, seed {self.seed}, "
                f"replication {self.replication}")
        k = pd.DataFrame({"value": self.kpis}).T
        return head + k.to_html(float_format=lambda v: f"{v:,.3f}") + self.line_kpis.to_html(
            float_format=lambda v: f"{v:,.3f}")

    def __repr__(self) -> str:
        return (f"RunResult(scenario={self.scenario.name!r}, seed={self.seed}, "
                f"replication={self.replication}, units={self.kpis['units']:.0f})")


def simulate(scenario: Scenario, seed: int | None = None, replication: int = 0,
             event_log: bool = False) -> RunResult:
    """Run ``scenario`` once and return its :class:`RunResult`.

    ``seed`` defaults to the scenario's seed; ``replication`` selects an independent set of
    random streams for the same seed. Same scenario, seed and replication -> identical
    results in any process."""
    return RunResult(simulate_record(scenario, seed, replication, event_log))
