"""A :class:`~linesim.report.document.Document` as one self-contained HTML file: styles
inline, figures embedded as base64 PNG, no script and nothing fetched from the network."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import pandas as pd

from ..atomic import write_text_atomic
from .document import NUM, ONE, PCT, Document, Table

STYLE = """
body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222;
line-height:1.45;padding:0 1em}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #1f77b4;padding-bottom:.2em;
margin-top:2em}h3{font-size:1.05em;margin-bottom:.3em}
.question{font-size:1.1em;color:#444}
.answer{font-size:1.15em;background:#eef5fb;border-left:5px solid #1f77b4;padding:.8em 1em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.85em}
th,td{border:1px solid #ccc;padding:.25em .5em}th{background:#f0f0f0;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{font-size:.85em;color:#555}figure{margin:1em 0}img{max-width:100%}
figcaption{font-size:.85em;color:#555}
"""


def _cell(v, fmt: str | None) -> tuple[str, bool]:
    """Display text of a cell and whether it is a number."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if isinstance(v, float) and math.isnan(v):
            return "-", True
        if isinstance(v, float) and math.isinf(v):
            return "never", True
        if fmt == PCT:
            return f"{100 * v:.0f}%", True
        if fmt == ONE:
            return f"{v:,.1f}", True
        if fmt == NUM or isinstance(v, float):
            return f"{v:,.0f}", True
        return str(v), True
    return str(v), False


def table_html(t: Table) -> str:
    """A table with its title and note; numbers right-aligned."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in t.frame.columns)
    rows = []
    for rec in t.frame.itertuples(index=False):
        cells = []
        for col, v in zip(t.frame.columns, rec):
            text, is_num = _cell(v.item() if hasattr(v, "item") else v, t.formats.get(col))
            cls = ' class="num"' if is_num else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(t.note)}</p>' if t.note else ""
    return (f"<h3>{html.escape(t.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table>{note}")


def render_html(doc: Document) -> str:
    """The whole report as one HTML string."""
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{html.escape(doc.title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{html.escape(doc.title)}</h1>",
             f'<p class="question"><b>The question.</b> {html.escape(doc.question)}</p>',
             f'<p class="answer"><b>The answer.</b> {html.escape(doc.answer)}</p>']
    for sec in doc.sections:
        parts.append(f"<h2>{html.escape(sec.heading)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in sec.paragraphs]
        parts += [table_html(t) for t in sec.tables]
        for f in sec.figures:
            data = base64.b64encode(f.png).decode("ascii")
            parts.append(f'<figure><img alt="{html.escape(f.title)}" '
                         f'src="data:image/png;base64,{data}"><figcaption>'
                         f"{html.escape(f.caption or f.title)}</figcaption></figure>")
    settings = pd.DataFrame(doc.settings, columns=["Setting", "Value"])
    parts += ["<h2>How this was computed and how to reproduce it</h2>",
              table_html(Table("Settings", settings)), "</body></html>"]
    return "\n".join(parts) + "\n"


def write_html(doc: Document, path: Path) -> Path:
    """Write the report atomically (mode 0644)."""
    return write_text_atomic(path, render_html(doc))
