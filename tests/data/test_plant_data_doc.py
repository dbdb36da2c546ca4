"""docs/plant-data.md documents every column of every record format with its example."""

from __future__ import annotations

from pathlib import Path

import pytest

from linesim.records.tables import FORMATS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "plant-data.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind, column", [(k, c) for k, cols in FORMATS.items() for c in cols])
def test_every_column_is_documented_with_its_example(kind, column):
    section = DOC.split(f"## `{kind}`", 1)[1].split("\n## ", 1)[0]
    row = (f"| `{column.name}` | {'yes' if column.required else 'no'} | {column.meaning} | "
           f"`{column.example}` |")
    assert row in section
