"""The generated references are up to date (regenerate: python -m linesim.reference)."""

from __future__ import annotations

from helpers import ROOT

from linesim.reference import cli_reference, scenario_reference


def test_scenario_reference_is_current():
    text = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert text == scenario_reference(), "run: python -m linesim.reference"
    for field in ("cycle_time", "failures", "backup_after_minutes", "after_working_days",
                  "margin_per_unit", "short_absence", "design"):
        assert f"`{field}`" in text


def test_cli_reference_is_current():
    text = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    assert text == cli_reference(), "run: python -m linesim.reference"
    for cmd in ("validate", "run", "compare", "sweep", "schema"):
        assert f"## linesim {cmd}" in text
