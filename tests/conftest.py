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


#: folders whose every test is in the slow tier: statistical validation against theory
#: (many long runs each) and the golden outputs of every shipped scenario and countermeasure
SLOW_FOLDERS = ("validation", "golden")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of :data:`SLOW_FOLDERS` ``slow`` (``pytest -m "not slow"`` skips them;
    the full suite, the CI command, runs them)."""
    for item in items:
        if item.path.parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
