"""Shared fixtures of the data-layer tests: the sample plant and its truth."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "plant-data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE
