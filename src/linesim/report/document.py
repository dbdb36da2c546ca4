"""What a management report says, independent of its format (HTML, Excel).

:func:`build_document` turns a comparison, a diagnosis of the base (loss waterfall and
bottlenecks) and, if a budget was given, a package selection into a :class:`Document`:
the question, the answer in one sentence, sections of tables (plain headers, numbers kept as
numbers with a display format) and figures (PNG bytes), the assumptions and how to
reproduce it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib.metadata import version

import pandas as pd

from ..plots import (
    bottleneck_shares, bottleneck_timeline, frontier, gains, payback, sensitivity,
    shapley, waterfall)
from ..engine.states import plain_name
from ..experiments.bottlenecks import Diagnosis
from ..experiments.compare import Comparison
from ..experiments.portfolio import Portfolio
from ..figures import png
from ..results.bottlenecks import shift_bottleneck
from .words import days, interval, measure_assumptions, money

#: display formats: whole numbers, one decimal, percentages
NUM, ONE, PCT = "#,##0", "#,##0.0", "0%"


@dataclass
class Table:
    """A table to show: ``frame`` with plain column names; ``formats`` maps a column to an
    Excel-style number format (``#,##0``, ``0%``); ``sheet`` names its Excel sheet."""

    title: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    note: str = ""
    sheet: str = ""


@dataclass
class Figure:
    title: str
    png: bytes
    caption: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Document:
    title: str
    question: str
    answer: str
    sections: list[Section]
    settings: list[tuple[str, str]]


def _measures_table(cmp: Comparison) -> Table:
    t = cmp.table.sort_values("rank")
    pct = f"{100 * cmp.level:g}%"
    df = pd.DataFrame({
        "Rank": t["rank"], "Measure": t.index, "Seed measure": t["seed_measure"],
        "Gain, good units a month": t["gain"],
        f"Gain {pct} interval": [interval(a, b) for a, b in zip(t["gain_low"], t["gain_high"])],
        "Shapley share, units a month": t["shapley"],
        "One-off cost": t["one_off_cost"], "Running cost a month": t["monthly_cost"],
        "Net a month": t["monthly_net"],
        f"Net {pct} interval": [interval(a, b) for a, b in zip(t["net_low"], t["net_high"])],
        "Payback, working days": [days(v) for v in t["payback_days"]],
        f"Payback {pct} interval": [interval(a, b) for a, b in
                                     zip(t["payback_low"], t["payback_high"])],
        "Payback, months": [("never" if math.isinf(v) else v) for v in t["payback_months"]],
        "Net present value": t["npv"],
        f"NPV {pct} interval": [interval(a, b) for a, b in zip(t["npv_low"], t["npv_high"])],
    })
    cur = cmp.base.economics.currency
    return Table("Each measure on its own", df.reset_index(drop=True),
                 {c: NUM for c in ("Gain, good units a month", "Shapley share, units a month",
                                   "One-off cost", "Running cost a month", "Net a month",
                                   "Net present value")} | {"Payback, months": ONE},
                 note=(f"Money in {cur}. Net a month = gain x margin "
                       f"({cmp.base.economics.margin_per_unit:,.0f} {cur} a unit) - running "
                       f"cost. Ranked by {cmp.appraisal.describe()}."), sheet="Measures")


def _answer(cmp: Comparison, port: Portfolio | None) -> str:
    cur = cmp.base.economics.currency
    if port is not None:
        r = port.packages.loc[port.label(port.selection.best)]
        wd = cmp.working_days_per_month
        pay = days(r["one_off_cost"] / (r["monthly_net"] / wd)) if r["monthly_net"] > 0 \
            else "never"
        head = port.describe().split(" How sure: ")[0]
        sure = port.selection.describe(port.label, f" {cur}")
        return (f"{head} It pays back its one-off cost in {pay} working days. "
                f"How sure: {sure}")
    t = cmp.table.sort_values("rank")
    name, r = t.index[0], t.iloc[0]
    months = "never" if math.isinf(r["payback_months"]) else f"{r['payback_months']:.1f}"
    return (f"{name[:1].upper()}{name[1:]} earns most: {r['gain']:,.0f} more good units a month "
            f"{interval(r['gain_low'], r['gain_high'])}, net {money(r['monthly_net'], cur)} a "
            f"month, payback {days(r['payback_days'])} working days "
            f"{interval(r['payback_low'], r['payback_high'])} ({months} months), "
            f"{cmp.appraisal.describe()} {money(r['npv'], cur)}.")


def _measure_section(cmp: Comparison) -> Section:
    m, lo, hi = cmp.combined
    return Section(
        "What each measure is worth",
        [f"Gains are good units a month ({cmp.working_days_per_month:.1f} working days a "
         f"month from the plant calendar), each paired with the base on the same random "
         f"numbers over {cmp.replications} replications. All measures together gain "
         f"{m:,.0f} {interval(lo, hi)} good units a month; the Shapley share splits that "
         "fairly among the measures when they help or get in each other's way."],
        [_measures_table(cmp)],
        [Figure("Gain of each measure", png(gains(cmp))),
         Figure("Payback", png(payback(cmp))),
         Figure("Shares of the combined gain", png(shapley(cmp)))])


def _package_section(port: Portfolio) -> Section:
    t = port.packages.head(15)
    df = pd.DataFrame({"Package": t.index, "Measures": t["size"],
                       "One-off cost": t["one_off_cost"], "Gain, units a month": t["gain"],
                       "Gain interval": [interval(a, b) for a, b in
                                         zip(t["gain_low"], t["gain_high"])],
                       "Net a month": t["monthly_net"], "Net present value": t["npv"],
                       "Replications": t["replications"], "Selected": t["selected"].map(
                           {True: "yes", False: ""}),
                       "On the frontier": t["frontier"].map({True: "yes", False: ""})})
    return Section(
        "The best package under the budget",
        [port.describe(), f"Candidates: {port.search}. Selection: KN procedure (Kim and "
         f"Nelson 2001) on paired replications with an indifference zone of "
         f"{port.delta:,.0f} {port.currency} a month of net value."],
        [Table("Best packages by net present value", df.reset_index(drop=True),
               {c: NUM for c in ("One-off cost", "Gain, units a month", "Net a month",
                                 "Net present value")}, sheet="Packages")],
        [Figure("Cost and gain of every package", png(frontier(port)))])


def _loss_table(diag: Diagnosis) -> Table:
    wf = diag.waterfall
    cap = wf.loc[wf["kind"] == "capacity", "units"].sum()
    loss = wf[wf["kind"] == "loss"].groupby(["step", "category"], sort=False)["units"].sum()
    loss = loss[loss.abs() >= 0.5].sort_values(ascending=False).reset_index()
    df = pd.DataFrame({"Cause": [plain_name(s) for s in loss["step"]],
                       "4M1E category": loss["category"], "Good units lost": loss["units"],
                       "Share of capacity": loss["units"] / cap if cap else 0.0})
    return Table("Where the capacity went (all lines, mean of the replications)", df,
                 {"Good units lost": NUM, "Share of capacity": PCT}, sheet="Losses",
                 note=f"Ideal capacity {cap:,.0f} units; good units "
                      f"{wf.loc[wf['kind'] == 'good', 'units'].sum():,.0f}.")


def _bottleneck_tables(diag: Diagnosis) -> list[Table]:
    s = diag.summary.sort_values(["line", "rank"])
    df = pd.DataFrame({"Line": s["line"], "Station": s["station"], "Rank": s["rank"],
                       "Sole bottleneck": s["sole_share"], "Shifting bottleneck":
                       s["shifting_share"], "Total": s["share"],
                       "Shifts as main bottleneck": s["shifts_as_bottleneck"]})
    top = shift_bottleneck(diag.table[diag.table["replication"] == 0])
    by_shift = pd.DataFrame({"Line": top["line"], "Date": top["date"].astype(str),
                             "Shift": top["shift"], "Main bottleneck": top["station"],
                             "Share of the shift": top["share"]})
    return [Table("Bottlenecks by the active-period method", df.reset_index(drop=True),
                  {c: PCT for c in ("Sole bottleneck", "Shifting bottleneck", "Total")},
                  sheet="Bottlenecks",
                  note="Share of working time a station alone held its line back (sole) or "
                       "was taking over from or handing over to another (shifting)."),
            Table("Main bottleneck shift by shift (replication 0)", by_shift,
                  {"Share of the shift": PCT}, sheet="Bottlenecks by shift")]


def _base_section(diag: Diagnosis) -> Section:
    figs = [Figure("Where the capacity went", png(waterfall(diag.waterfall))),
            Figure("Bottleneck shares", png(bottleneck_shares(diag.summary))),
            Figure("Main bottleneck shift by shift", png(bottleneck_timeline(diag.table)))]
    tables = [_loss_table(diag), *_bottleneck_tables(diag)]
    if diag.sensitivity is not None:
        figs.append(Figure("Where 10% more capacity pays", png(sensitivity(diag.sensitivity))))
    return Section("Why the plant loses output today",
                   [f"The base scenario over {diag.replications} replications: the loss "
                    "waterfall charges every lost unit at each line's constraint to its root "
                    "cause; the active-period method (Roser 2002) names the station that held "
                    "each line back in each shift."], tables, figs)


def _assumptions(cmp: Comparison) -> Section:
    rows = []
    for m in cmp.measures:
        for words, path in measure_assumptions(m) or [("no change to the scenario", "")]:
            rows.append({"Measure": m.name, "Change in words": words, "Field path": path,
                         "Description": " ".join(m.description.split())})
    return Section("Assumptions", ["Each measure is a set of changes to the base scenario; "
                                   "nothing else differs between the runs."],
                   [Table("What each measure changes", pd.DataFrame(rows), sheet="Assumptions")])


def build_document(cmp: Comparison, diag: Diagnosis | None, port: Portfolio | None,
                   command: str) -> Document:
    """The report of a comparison (see the module); ``command`` reproduces it."""
    sc = cmp.base
    budget = "" if port is None or port.budget is None else \
        f", and which of them together under a budget of {money(port.budget, sc.economics.currency)}"
    question = (f"Which of {len(cmp.measures)} countermeasures raise the output of "
                f"{sc.name} most for the money{budget}?")
    sections = [_measure_section(cmp)]
    if port is not None:
        sections.append(_package_section(port))
    if diag is not None:
        sections.append(_base_section(diag))
    sections.append(_assumptions(cmp))
    settings = [("Scenario", f"{sc.name}: {' '.join(sc.description.split())}"),
                ("Period simulated", f"{sc.horizon.start.isoformat()} + {sc.horizon.days} days"),
                ("Seed", str(cmp.seed)), ("Paired replications", str(cmp.replications)),
                ("Working days a month", f"{cmp.working_days_per_month:.2f}"),
                ("Margin a unit", money(sc.economics.margin_per_unit, sc.economics.currency)),
                ("Net present value", cmp.appraisal.describe()),
                ("Shapley values", "exact" if cmp.exact else "sampled"),
                ("linesim version", version("linesim")), ("Command", command)]
    return Document(f"Where to invest: {sc.name}", question, _answer(cmp, port), sections,
                    settings)
