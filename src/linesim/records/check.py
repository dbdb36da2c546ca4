"""Records checked against a scenario: every name known, every time in order and in range.

Each problem names the file, the row and the column, like the readers' own problems, and
all of them are reported together (:class:`RecordsError`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pandas as pd

from ..scenario.model import Scenario
from .errors import RecordsError

Rule = Callable[[pd.Series], Iterator[tuple[str, str]]]


def _where(df: pd.DataFrame, row: pd.Series, column: str) -> str:
    return f"{df.attrs.get('source', '<records>')}, row {row['row']}, column {column}"


def scenario_names(sc: Scenario) -> dict[str, set]:
    """The names records may use, by kind (line, station, product, operator, ...)."""
    stations = {(ln.name, st.name) for ln in sc.lines for st in ln.stations}
    wf = sc.workforce
    return {
        "line": {ln.name for ln in sc.lines},
        "station": stations,
        "product": {(ln.name, p) for ln in sc.lines for p in ln.products},
        "operator": {o.name for o in wf.operators} | {f.name for f in wf.floaters} if wf else set(),
        "part": {p.name for p in sc.materials.parts},
        "supplier": {s.name for s in sc.materials.suppliers},
        "quality": {s.name for s in sc.quality.stoppages},
        "mode": {(ln.name, st.name, f.name) for ln in sc.lines for st in ln.stations
                 for f in st.failures},
    }


def line_product_rule(names: dict[str, set]) -> Rule:
    """Known line; a product (and backups) the line makes."""
    def rule(r: pd.Series) -> Iterator[tuple[str, str]]:
        if r["line"] not in names["line"]:
            yield "line", f"unknown line {r['line']!r} (lines: {', '.join(sorted(names['line']))})"
        elif "product" in r and (r["line"], r["product"]) not in names["product"]:
            yield "product", f"line {r['line']} does not make product {r['product']!r}"
        for b in r.get("backups") or ():
            if r["line"] in names["line"] and (r["line"], b) not in names["product"]:
                yield "backups", f"line {r['line']} does not make backup product {b!r}"
    return rule


def _stoppage(names: dict[str, set]) -> Rule:
    def rule(r: pd.Series) -> Iterator[tuple[str, str]]:
        yield from line_product_rule(names)(r)
        st = r["station"]
        if st is not None and r["line"] in names["line"] and (r["line"], st) not in names["station"]:
            yield "station", f"line {r['line']} has no station {st!r}"
        if r["end"] is not None and r["end"] < r["start"]:
            yield "end", f"end {r['end']} is before start {r['start']}"
        if r["kind"] == "failure" and st is None:
            yield "station", "a failure needs the station that failed"
        elif r["kind"] == "failure" and (r["line"], st, r["cause"]) not in names["mode"]:
            yield "cause", (f"{r['cause']!r} is not a failure mode of {r['line']}/{st} in the "
                            "scenario")
        if r["kind"] == "quality" and r["cause"] not in names["quality"]:
            yield "cause", (f"{r['cause']!r} is not a quality stoppage of the scenario "
                            f"({', '.join(sorted(names['quality']))})")
    return rule


def _absence(names: dict[str, set]) -> Rule:
    def rule(r: pd.Series) -> Iterator[tuple[str, str]]:
        if r["operator"] not in names["operator"]:
            yield "operator", f"unknown operator {r['operator']!r}"
        if r["kind"] == "leave":
            for col in ("start", "end"):
                if r[col] is None:
                    yield col, "a leave needs start and end times"
            if r["start"] is not None and r["end"] is not None and r["end"] <= r["start"]:
                yield "end", f"end {r['end']} is not after start {r['start']}"
    return rule


def _delivery(names: dict[str, set]) -> Rule:
    def rule(r: pd.Series) -> Iterator[tuple[str, str]]:
        if r["part"] not in names["part"]:
            yield "part", f"unknown part {r['part']!r}"
        if r["supplier"] not in names["supplier"]:
            yield "supplier", f"unknown supplier {r['supplier']!r}"
        if r["due_date"] < r["order_date"]:
            yield "due_date", f"due date {r['due_date']} is before order date {r['order_date']}"
        rec = r["received_date"]
        if rec is not None and rec < r["order_date"]:
            yield "received_date", f"received {rec} before the order date {r['order_date']}"
        if (rec is None) != (r["quantity_received"] is None):
            yield "quantity_received", "give both received_date and quantity_received, or neither"
    return rule


def dates_rule(sc: Scenario, column: str, inside: tuple[dt.date, dt.date] | None,
               working: bool) -> Rule:
    """The date in ``column`` lies ``inside`` (first, last) and, if ``working``, is a
    working day of the calendar."""
    def rule(r: pd.Series) -> Iterator[tuple[str, str]]:
        day = r[column]
        if inside is not None and not inside[0] <= day <= inside[1]:
            yield column, f"date {day} is outside the horizon {inside[0]} .. {inside[1]}"
        elif working and not sc.calendar.is_working_day(day):
            yield column, f"{day} is not a working day of the scenario calendar"
    return rule


def check_rows(df: pd.DataFrame, rules: list[Rule]) -> list[str]:
    """Problems of every row of ``df`` under ``rules`` (each yields column, problem)."""
    problems = []
    for _, r in df.iterrows():
        for rule in rules:
            problems += [f"{_where(df, r, col)}: {msg}" for col, msg in rule(r)]
    return problems


def check_records(tables: dict[str, pd.DataFrame], sc: Scenario) -> None:
    """Raise :class:`RecordsError` with every row of ``tables`` that does not fit ``sc``."""
    names = scenario_names(sc)
    rules: dict[str, list[Rule]] = {
        "plan": [line_product_rule(names), dates_rule(sc, "date", None, True)],
        "stoppages": [_stoppage(names)],
        "absences": [_absence(names), dates_rule(sc, "date", None, True)],
        "deliveries": [_delivery(names)],
        "output": [line_product_rule(names)],
    }
    problems: list[str] = []
    for kind, df in tables.items():
        problems += check_rows(df, rules[kind])
    if problems:
        raise RecordsError(problems)


def records_period(tables: dict[str, pd.DataFrame]) -> tuple[dt.date, dt.date]:
    """First and last day of the records: the output table's dates, else the days of the
    stoppages and absences."""
    if "output" in tables and len(tables["output"]):
        days = list(tables["output"]["date"])
    else:
        days = [t.date() for t in tables.get("stoppages", pd.DataFrame({"start": []}))["start"]]
        days += list(tables.get("absences", pd.DataFrame({"date": []}))["date"])
    if not days:
        raise RecordsError(["the records have no output, stoppage or absence rows: no period "
                            "to fit over"])
    return min(days), max(days)


def check_in_period(tables: dict[str, pd.DataFrame], first: dt.date, last: dt.date) -> None:
    """Stoppages and absences must lie in the period (so that clocks cover them)."""
    problems: list[str] = []
    if "stoppages" in tables:
        df = tables["stoppages"]
        problems += check_rows(df, [lambda r: iter(
            [("start", f"{r['start']} is outside the records' period {first} .. {last}")]
            if not first <= r["start"].date() <= last else [])])
    if "absences" in tables:
        problems += check_rows(tables["absences"], [_dates_only(first, last)])
    if problems:
        raise RecordsError(problems)


def _dates_only(first: dt.date, last: dt.date) -> Rule:
    def rule(r: pd.Series) -> Iterator[tuple[str, str]]:
        if not first <= r["date"] <= last:
            yield "date", f"date {r['date']} is outside the records' period {first} .. {last}"
    return rule
