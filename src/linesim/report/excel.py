"""A :class:`~linesim.report.document.Document` as an Excel workbook (openpyxl): a summary
sheet (question, answer, settings) and one sheet per table, numbers kept as numbers with
display formats."""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..atomic import write_file_atomic
from .document import Document, Table

HEADER = PatternFill("solid", fgColor="DDEBF7")


def _value(v):
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isinf(v):
        return "never"
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _sheet_title(name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    title, k = base, 2
    while title in taken:
        title = f"{base[:28]} {k}"
        k += 1
    taken.add(title)
    return title


def _write_table(ws: Worksheet, t: Table, row: int = 1) -> int:
    ws.cell(row, 1, t.title).font = Font(bold=True, size=12)
    row += 1
    for j, col in enumerate(t.frame.columns, start=1):
        c = ws.cell(row, j, str(col))
        c.font, c.fill = Font(bold=True), HEADER
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in t.frame.itertuples(index=False):
        row += 1
        for j, (col, v) in enumerate(zip(t.frame.columns, rec), start=1):
            c = ws.cell(row, j, _value(v))
            if col in t.formats and isinstance(c.value, (int, float)):
                c.number_format = t.formats[col]
    if t.note:
        row += 1
        ws.cell(row, 1, t.note).font = Font(italic=True)
    for j, col in enumerate(t.frame.columns, start=1):
        width = max([len(str(col))] + [len(str(_value(v))) for v in t.frame[col]])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)
    ws.freeze_panes = ws.cell(3, 1)
    return row + 2


def build_workbook(doc: Document) -> Workbook:
    """The workbook of the report."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws["A1"] = doc.title
    ws["A1"].font = Font(bold=True, size=14)
    for r, (key, text) in enumerate([("Question", doc.question), ("Answer", doc.answer)], 3):
        ws.cell(r, 1, key).font = Font(bold=True)
        ws.cell(r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(6, 1, "Settings").font = Font(bold=True, size=12)
    for r, (key, text) in enumerate(doc.settings, 7):
        ws.cell(r, 1, key).font = Font(bold=True)
        ws.cell(r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    taken = {"Summary"}
    for sec in doc.sections:
        for t in sec.tables:
            _write_table(wb.create_sheet(_sheet_title(t.sheet or t.title, taken)), t)
    return wb


def write_workbook(doc: Document, path: Path) -> Path:
    """Write the workbook atomically (mode 0644)."""
    wb = build_workbook(doc)
    return write_file_atomic(path, lambda tmp: wb.save(tmp))
