"""Golden outputs: results change only on purpose.

For every shipped scenario and every shipped countermeasure applied to the baseline, two
replications with a fixed seed are simulated and every result table (plant and line KPIs,
losses, station states, waterfall, output, quality stoppages, escalations, part quality,
material waits) is hashed. A refactor must keep every hash; a deliberate change to results
regenerates ``golden.json`` in its own commit that says why:

    LINESIM_UPDATE_GOLDEN=1 python -m pytest tests/golden

The stored file also keeps a few KPIs in clear text so that a failure shows what moved.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

import linesim
from linesim.cli.validate import kind_of
from linesim.scenario.countermeasure import apply, load_countermeasure

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden.json")
SEED = 20230801
REPLICATIONS = 2
#: the scenario files (not the ranges file of linesim robustness, which lives there too)
SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if kind_of(p) == "scenario")
MEASURES = sorted((ROOT / "scenarios" / "countermeasures").glob("*.yaml"))
TABLES = ("line_kpis", "states", "waterfall", "output", "stoppages", "escalations",
          "part_quality", "material_waits")


def _digest(obj) -> str:
    """SHA-256 of a table or mapping, floats written with full precision (repr)."""
    if isinstance(obj, pd.DataFrame):
        text = obj.astype(object).map(lambda v: repr(v)).to_csv(index=True)
    else:
        text = json.dumps({k: repr(v) for k, v in sorted(obj.items())})
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cases() -> list[tuple[str, Path, Path | None]]:
    cases = [(f"scenario:{p.stem}", p, None) for p in SCENARIOS]
    base = ROOT / "scenarios" / "baseline.yaml"
    cases += [(f"baseline+{m.stem}", base, m) for m in MEASURES]
    return cases


def _fingerprint(scenario_path: Path, measure_path: Path | None) -> dict:
    sc = linesim.load_scenario(scenario_path)
    if measure_path is not None:
        sc = apply(sc, [load_countermeasure(measure_path)])
    out = {}
    for rep in range(REPLICATIONS):
        run = linesim.simulate(sc, seed=SEED, replication=rep)
        entry = {"kpis": _digest(run.kpis), "losses": _digest(run.losses),
                 "loss_categories": _digest(run.loss_categories)}
        for name in TABLES:
            entry[name] = _digest(getattr(run, name))
        entry["units"] = run.kpis["units"]
        entry["oee"] = round(run.kpis["oee"], 9)
        out[f"rep{rep}"] = entry
    return out


@pytest.fixture(scope="module")
def golden() -> dict:
    if GOLDEN.exists():
        return json.loads(GOLDEN.read_text())
    return {}


@pytest.mark.parametrize("case,scenario,measure", _cases(), ids=[c[0] for c in _cases()])
def test_results_unchanged(case: str, scenario: Path, measure: Path | None, golden: dict):
    got = _fingerprint(scenario, measure)
    if os.environ.get("LINESIM_UPDATE_GOLDEN"):
        data = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        data[case] = got
        GOLDEN.write_text(json.dumps(dict(sorted(data.items())), indent=1) + "\n")
        return
    assert case in golden, (f"no golden output for {case}: run with LINESIM_UPDATE_GOLDEN=1 "
                            "in a commit that says why")
    want = golden[case]
    for rep, tables in want.items():
        changed = [k for k, v in tables.items() if got[rep].get(k) != v]
        assert not changed, (f"{case} {rep}: results changed in {changed} "
                             f"(units {tables['units']} -> {got[rep]['units']}, "
                             f"oee {tables['oee']} -> {got[rep]['oee']})")


def test_every_golden_case_still_exists(golden: dict):
    """A removed scenario or countermeasure must also leave the golden file (on purpose)."""
    if os.environ.get("LINESIM_UPDATE_GOLDEN"):
        pytest.skip("updating")
    assert set(golden) == {c[0] for c in _cases()}
