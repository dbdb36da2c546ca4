"""Every number of the shipped baseline has a written source (``scenarios/sources.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linesim.scenario.load import read_yaml

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
KINDS = {"seed", "reference", "data", "assumption", "tuned", "convention"}


def numeric_leaves(node: Any, path: str = "") -> Iterator[str]:
    """Concrete paths of every number written in ``node`` (list items by name or index)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from numeric_leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key = v["name"] if isinstance(v, dict) and "name" in v else i
            yield from numeric_leaves(v, f"{path}[{key}]")
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path


def pattern(path: str) -> re.Pattern[str]:
    """``[*]`` any item, ``.*`` any mapping key, anything else literally."""
    rx = re.escape(path).replace(re.escape("[*]"), r"\[[^\]]+\]").replace(r"\.\*", r"\.[^.\[]+")
    return re.compile(rx)


def entries() -> list[dict[str, Any]]:
    return read_yaml(SCENARIOS / "sources.yaml")["parameters"]


def paths_of(entry: dict[str, Any]) -> list[str]:
    p = entry["path"]
    return [p] if isinstance(p, str) else list(p)


def test_every_number_of_the_baseline_has_exactly_one_source():
    leaves = list(numeric_leaves(read_yaml(SCENARIOS / "baseline.yaml")))
    pats = [(pattern(p), p) for e in entries() for p in paths_of(e)]
    missing = [leaf for leaf in leaves if not any(rx.fullmatch(leaf) for rx, _ in pats)]
    assert not missing, f"no source in sources.yaml for {len(missing)} numbers, e.g. {missing[:8]}"
    twice = {leaf: [p for rx, p in pats if rx.fullmatch(leaf)] for leaf in leaves}
    twice = {k: v for k, v in twice.items() if len(v) > 1}
    assert not twice, f"numbers with more than one source: {dict(list(twice.items())[:5])}"


def test_every_source_entry_covers_a_number_and_is_complete():
    leaves = list(numeric_leaves(read_yaml(SCENARIOS / "baseline.yaml")))
    ranges = {p["name"] for p in read_yaml(SCENARIOS / "uncertainty.yaml")["parameters"]}
    for e in entries():
        for p in paths_of(e):
            assert any(pattern(p).fullmatch(leaf) for leaf in leaves), f"{p}: matches no number"
        assert e["kind"] in KINDS, e
        assert str(e.get("source", "")).strip(), f"{e['path']}: no source text"
        if e["kind"] in ("assumption", "tuned"):
            assert ("range" in e) != ("fixed" in e), f"{e['path']}: give a range or why fixed"
        if "range" in e:
            assert e["range"] in ranges, f"{e['path']}: no range {e['range']!r} in uncertainty.yaml"


@pytest.mark.parametrize("path, leaf, hit", [
    ("lines[*].stations[*].buffer", "lines[L1].stations[winding].buffer", True),
    ("lines[*].stations[laser welding].failures[*].ttf.mean",
     "lines[L1].stations[laser welding].failures[laser fault].ttf.mean", True),
    ("lines[*].stations[laser welding].failures[*].ttf.mean",
     "lines[L1].stations[winding].failures[wire-break].ttf.mean", False),
    ("plan.*.daily[*].quantity", "plan.L1.daily[0].quantity", True),
    ("plan.*.daily[*].quantity", "plan.L1.x.daily[0].quantity", False),
])
def test_patterns(path, leaf, hit):
    assert bool(pattern(path).fullmatch(leaf)) is hit
