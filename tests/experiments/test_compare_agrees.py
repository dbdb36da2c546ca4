"""The sequential main job agrees with the plain job's answers: a reduced job (the baseline
over 3 days, 4 shipped measures) against intervals stored from the plain job (10 paired
replications, exact Shapley; ``data/compare_before_issue16.json``, first written by the code
before issue 16, rewritten by ``data/make_compare_stored.py`` when the model changes on
purpose)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT

import linesim
from linesim.experiments.compare import compare
from linesim.experiments.sequential import Target
from linesim.scenario.countermeasure import load_countermeasure
from linesim.scenario.patch import with_values

STORED = json.loads((Path(__file__).parent / "data" / "compare_before_issue16.json").read_text())


@pytest.mark.slow
def test_the_sequential_job_agrees_with_the_stored_intervals():
    base = with_values(linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml"),
                       {"horizon.days": STORED["days"]})
    ms = [load_countermeasure(ROOT / "scenarios" / "countermeasures" / f) for f in STORED["files"]]
    res = compare(base, ms, replications=4, workers=2, target=Target(like=10, cap=10))
    assert res.seed == STORED["seed"] and res.shapley_mode == "exact"
    t = res.table
    for name, (mean, lo, hi) in STORED["gain"].items():
        assert lo <= t.loc[name, "gain"] <= hi, name
        assert t.loc[name, "gain_low"] <= mean <= t.loc[name, "gain_high"], name
        if res.counts[list(t.index).index(name)] == STORED["replications"]:
            # the same seeds: the same paired replications, the same interval
            assert [t.loc[name, k] for k in ("gain", "gain_low", "gain_high")] == \
                pytest.approx([mean, lo, hi], rel=1e-12, abs=1e-9)
    assert res.counts == [10, 10, 10, 10]  # the cap
    for name, (mean, lo, hi) in STORED["shapley"].items():
        assert lo <= t.loc[name, "shapley"] <= hi or lo == hi == t.loc[name, "shapley"], name
    mean, lo, hi = STORED["combined"]
    assert lo <= res.combined[0] <= hi
