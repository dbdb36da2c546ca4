"""Shared fixtures of the scenario-layer tests: the shipped baseline and a tiny scenario."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from linesim.scenario.load import read_yaml

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"

_BASELINE_DATA = read_yaml(BASELINE)

TINY = {
    "name": "tiny",
    "horizon": {"start": "2023-08-01", "days": 2},
    "products": [{"name": "A"}, {"name": "B"}],
    "lines": [
        {
            "name": "L1",
            "products": ["A", "B"],
            "stations": [
                {"name": "s1", "cycle_time": 1.0, "buffer": 2},
                {"name": "s2", "cycle_time": {"dist": "exponential", "mean": 0.8}},
            ],
        }
    ],
    "plan": {"L1": {"daily": [{"product": "A", "quantity": 50}]}},
}


@pytest.fixture
def baseline_path() -> Path:
    return BASELINE


@pytest.fixture
def baseline_data() -> dict:
    """The baseline as plain YAML data, a fresh deep copy for each test to mutate."""
    return copy.deepcopy(_BASELINE_DATA)


@pytest.fixture
def tiny_data() -> dict:
    """A small valid scenario as plain data, a fresh deep copy for each test to mutate."""
    return copy.deepcopy(TINY)
