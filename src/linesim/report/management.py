"""The management report of ``linesim report`` and ``linesim compare --report DIR``: one
self-contained HTML file and an Excel workbook with the same content."""

from __future__ import annotations

from pathlib import Path

from ..experiments.bottlenecks import Diagnosis
from ..experiments.compare import Comparison
from ..experiments.portfolio import Portfolio
from .document import build_document
from .excel import write_workbook
from .html import write_html

HTML_NAME, EXCEL_NAME = "report.html", "report.xlsx"


def write_report(cmp: Comparison, diag: Diagnosis | None, port: Portfolio | None,
                 out_dir: Path, command: str) -> list[Path]:
    """Write ``report.html`` and ``report.xlsx`` in ``out_dir`` (each atomically, mode
    0644); returns their paths."""
    doc = build_document(cmp, diag, port, command)
    return [write_html(doc, out_dir / HTML_NAME), write_workbook(doc, out_dir / EXCEL_NAME)]
