"""Fixtures shared by all test folders (helpers live in ``helpers.py``)."""

from __future__ import annotations

import pytest
from helpers import ROOT, small_line

import linesim


@pytest.fixture
def small() -> linesim.Scenario:
    return linesim.scenario_from_dict(small_line())


@pytest.fixture(scope="session")
def baseline() -> linesim.Scenario:
    return linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
