"""The plant's record formats and their readers (CSV or Excel), with row/column errors.

Five kinds of record, one table each (see ``docs/plant-data.md``):

- ``plan``: date, line, product, quantity, backups (optional: products separated by ``;``)
- ``stoppages``: line, station (empty: the whole line), start, end (ISO timestamps; empty
  end: still open when the records end), kind (failure, quality, material, other), cause
- ``absences``: date, operator, kind (day or leave), start, end (``HH:MM``, leave only)
- ``deliveries``: part, supplier, order_date, due_date, received_date (empty: not yet),
  quantity_ordered, quantity_received
- ``output``: date, line, product, good_units

A table is read as a whole: every bad cell is reported (file, row, column, problem) and
nothing is returned unless all rows are good. Rows are numbered as a spreadsheet shows them
(the header is row 1). Column names are case-insensitive; spaces count as ``_``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import RecordsError

MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 200_000_000


@dataclass(frozen=True)
class Column:
    """One column of a record format: ``kind`` is how its cells are parsed."""

    name: str
    kind: str  #: date, datetime, time, text, int, list or one of the choices
    required: bool = True
    choices: tuple[str, ...] = ()
    example: str = ""
    meaning: str = ""


FORMATS: dict[str, tuple[Column, ...]] = {
    "plan": (
        Column("date", "date", example="2023-08-01", meaning="working day of the plan"),
        Column("line", "text", example="L1", meaning="line name as in the scenario"),
        Column("product", "text", example="LB-100", meaning="product to make"),
        Column("quantity", "int", example="320", meaning="good units to make, >= 1"),
        Column("backups", "list", False, example="LB-200;LB-300",
               meaning="backup products of the line in order, separated by ';'"),
    ),
    "stoppages": (
        Column("line", "text", example="L1", meaning="line name"),
        Column("station", "text", False, example="laser welding",
               meaning="station name; empty for a whole-line stop"),
        Column("start", "datetime", example="2023-08-01T09:12", meaning="when it stopped"),
        Column("end", "datetime", False, example="2023-08-01T09:40",
               meaning="when it ran again; empty: still open when the records end"),
        Column("kind", "choice", choices=("failure", "quality", "material", "other"),
               example="failure", meaning="failure, quality, material or other"),
        Column("cause", "text", False, example="laser fault",
               meaning="failure mode, quality stoppage source or part"),
    ),
    "absences": (
        Column("date", "date", example="2023-08-03", meaning="working day"),
        Column("operator", "text", example="L1-winding", meaning="operator name"),
        Column("kind", "choice", choices=("day", "leave"), example="leave",
               meaning="day: missed the whole day; leave: left the post during the shift"),
        Column("start", "time", False, example="10:05", meaning="leave only: left at HH:MM"),
        Column("end", "time", False, example="10:17", meaning="leave only: back at HH:MM"),
    ),
    "deliveries": (
        Column("part", "text", example="pcb", meaning="part name"),
        Column("supplier", "text", example="pcb supplier", meaning="supplier name"),
        Column("order_date", "date", example="2023-07-20", meaning="day the order was placed"),
        Column("due_date", "date", example="2023-07-25", meaning="day it was due"),
        Column("received_date", "date", False, example="2023-07-27",
               meaning="day it arrived; empty: not yet received"),
        Column("quantity_ordered", "int", example="1000", meaning="units ordered, >= 1"),
        Column("quantity_received", "int", False, example="600",
               meaning="units received; empty when not yet received"),
    ),
    "output": (
        Column("date", "date", example="2023-08-01", meaning="working day"),
        Column("line", "text", example="L1", meaning="line name"),
        Column("product", "text", example="LB-100", meaning="product"),
        Column("good_units", "int", example="287", meaning="good units finished that day, >= 0"),
    ),
}


def _parse_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v).strip())


def _parse_datetime(v: Any) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.date):
        return dt.datetime.combine(v, dt.time())
    return dt.datetime.fromisoformat(str(v).strip())


def _parse_time(v: Any) -> dt.time:
    if isinstance(v, dt.time):
        return v
    parts = [int(p) for p in str(v).strip().split(":")]
    if not 2 <= len(parts) <= 3:
        raise ValueError
    return dt.time(*parts)


def _parse_int(v: Any) -> int:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, bool) or isinstance(v, (float, dt.date)):
        raise ValueError
    return int(str(v).strip())


def _parse_list(v: Any) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(v).split(";") if p.strip())


_PARSERS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "date": (_parse_date, "a date YYYY-MM-DD"),
    "datetime": (_parse_datetime, "a timestamp YYYY-MM-DDTHH:MM"),
    "time": (_parse_time, "a time of day HH:MM or HH:MM:SS"),
    "int": (_parse_int, "a whole number"),
    "text": (lambda v: str(v).strip(), "text"),
    "list": (_parse_list, "names separated by ';'"),
}


def _cell(col: Column, raw: Any) -> Any:
    """Parse one cell; raise ValueError with the problem."""
    if col.kind == "choice":
        text = str(raw).strip().lower()
        if text not in col.choices:
            raise ValueError(f"must be one of {', '.join(col.choices)}, got {str(raw)!r}")
        return text
    parse, what = _PARSERS[col.kind]
    try:
        value = parse(raw)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"must be {what}, got {str(raw)!r}") from None
    if col.kind == "int" and value < (1 if col.name in ("quantity", "quantity_ordered") else 0):
        raise ValueError(f"must be >= {1 if 'quantity' in col.name else 0}, got {value}")
    return value


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == ""


def _header(cells: list[Any], kind: str, where: str) -> list[str | None]:
    """Map header cells to column names; unknown or missing columns are problems."""
    known = {c.name for c in FORMATS[kind]}
    names = [None if _empty(c) else str(c).strip().lower().replace(" ", "_") for c in cells]
    problems = [f"{where}, row 1, column {i + 1}: unknown column {n!r} (columns of "
                f"{kind}: {', '.join(c.name for c in FORMATS[kind])})"
                for i, n in enumerate(names) if n is not None and n not in known]
    problems += [f"{where}, row 1: required column {c.name!r} is missing"
                 for c in FORMATS[kind] if c.required and c.name not in names]
    problems += [f"{where}, row 1: column {n!r} appears twice"
                 for n in sorted({n for n in names if n and names.count(n) > 1})]
    if problems:
        raise RecordsError(problems)
    return names


def _rows_to_frame(kind: str, where: str, header: list[Any],
                   rows: list[tuple[int, list[Any]]]) -> pd.DataFrame:
    """Parse data rows (row number, cells) into a typed table with a ``row`` column."""
    names = _header(header, kind, where)
    cols = {c.name: c for c in FORMATS[kind]}
    problems: list[str] = []
    out: list[dict[str, Any]] = []
    for rownum, cells in rows:
        rec: dict[str, Any] = {c: None for c in cols}
        rec["row"] = rownum
        bad: set[str] = set()
        for name, raw in zip(names, cells):
            if name is None or _empty(raw):
                continue
            try:
                rec[name] = _cell(cols[name], raw)
            except ValueError as exc:
                bad.add(name)
                problems.append(f"{where}, row {rownum}, column {name}: {exc}")
        problems += [f"{where}, row {rownum}, column {c.name}: is empty; a value is required"
                     for c in cols.values()
                     if c.required and rec[c.name] is None and c.name not in bad]
        out.append(rec)
    if problems:
        raise RecordsError(problems)
    return pd.DataFrame(out, columns=[*cols, "row"], dtype=object)


def _csv_rows(path: Path) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    if not table:
        raise RecordsError([f"{path}: is empty; expected a header row"])
    return table[0], [(i + 2, r) for i, r in enumerate(table[1:]) if any(c.strip() for c in r)]


def _excel_rows(path: Path, sheet: str | None) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        table = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not table:
        raise RecordsError([f"{path}: sheet {ws.title!r} is empty; expected a header row"])
    return table[0], [(i + 2, r) for i, r in enumerate(table[1:]) if any(not _empty(c) for c in r)]


def read_table(path: str | Path, kind: str, sheet: str | None = None) -> pd.DataFrame:
    """Read one table of ``kind`` records from a CSV file or an Excel sheet (``sheet``, by
    default the sheet named ``kind`` or else the first). Raises :class:`RecordsError` naming
    file, row and column of every bad cell."""
    p = Path(path)
    if kind not in FORMATS:
        raise RecordsError([f"{p}: unknown record kind {kind!r} (kinds: {', '.join(FORMATS)})"])
    if not p.is_file():
        raise RecordsError([f"{p}: no such file"])
    if p.stat().st_size > MAX_FILE_BYTES:
        raise RecordsError([f"{p}: file is larger than {MAX_FILE_BYTES} bytes"])
    where = str(p)
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            sheet = sheet or (kind if _has_sheet(p, kind) else None)
            header, rows = _excel_rows(p, sheet)
            where = f"{p} sheet {sheet}" if sheet else where
        else:
            header, rows = _csv_rows(p)
    except (OSError, UnicodeDecodeError, csv.Error, KeyError, ValueError) as exc:
        raise RecordsError([f"{p}: cannot read as {p.suffix or 'CSV'} records: {exc}"]) from None
    if len(rows) > MAX_ROWS:
        raise RecordsError([f"{p}: {len(rows)} rows; the limit is {MAX_ROWS}"])
    df = _rows_to_frame(kind, where, header, rows)
    df.attrs["source"] = where
    return df


def _has_sheet(path: Path, name: str) -> bool:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return name in wb.sheetnames
    finally:
        wb.close()


def find_table(folder: str | Path, kind: str) -> Path | None:
    """The file holding ``kind`` records in ``folder``: ``KIND.csv``, ``KIND.xlsx`` or a
    workbook with a sheet named ``KIND``; None if there is none."""
    d = Path(folder)
    for name in (f"{kind}.csv", f"{kind}.xlsx"):
        if (d / name).is_file():
            return d / name
    for book in sorted(d.glob("*.xlsx")):
        if _has_sheet(book, kind):
            return book
    return None


def read_folder(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Every record table found in ``folder`` by kind (all problems reported together);
    the table's source (file, and sheet) is in ``df.attrs['source']``."""
    d = Path(folder)
    if not d.is_dir():
        raise RecordsError([f"{d}: not a folder of records"])
    tables: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for kind in FORMATS:
        path = find_table(d, kind)
        if path is None:
            continue
        try:
            df = read_table(path, kind)
        except RecordsError as exc:
            problems += exc.problems
            continue
        tables[kind] = df
    if problems:
        raise RecordsError(problems)
    return tables
