"""KPI and waterfall definitions on hand-built records with known answers."""

from __future__ import annotations

import math

import pytest

import linesim
from linesim.engine import STATES, LineRecord, RunRecord, StationRecord
from linesim.results import line_kpis, t_interval, waterfall


def _record(minutes: dict[str, float], processed: int, good: int, scrapped: int) -> RunRecord:
    full = dict.fromkeys(STATES, 0.0) | minutes
    st = StationRecord("s", 1, full, dict(full), processed, scrapped, 0)
    line = LineRecord("L", 0, [st], started=processed, good=good, scrapped=scrapped, wip_start=0,
                      wip_end=0, wip_area=0.0, flow_sum=0.0, sent_home_hours=0.0, rootcause={}, daily={},
                      planned={})
    sc = linesim.scenario_from_dict({
        "name": "x", "horizon": {"start": "2023-08-01", "days": 1}, "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": [{"name": "s", "cycle_time": 1}]}]})
    return RunRecord(sc, 0, 0, 0.0, 1440.0, [line], [0])


def test_oee_textbook_example():
    # 480 min planned, 60 min down, ideal cycle 1 min, 380 made, 361 good
    rec = _record({"working": 420, "failed": 60, "off_shift": 960}, processed=380, good=361,
                  scrapped=19)
    k = line_kpis(rec)["L"]
    assert k["availability"] == pytest.approx(0.875)
    assert k["performance"] == pytest.approx(380 / 420)
    assert round(k["performance"], 3) == 0.905
    assert k["quality"] == pytest.approx(0.95)
    assert round(k["oee"], 3) == 0.752
    wf = waterfall(rec).groupby("step")["units"].sum()
    assert wf["ideal_capacity"] == 480
    assert wf["failure"] == 60
    assert wf["speed"] == 40
    assert wf["scrap"] == 19
    assert wf["wip_change"] == 0
    assert wf["good"] == 361


def test_t_interval():
    mean, lo, hi = t_interval([1.0, 2.0, 3.0, 4.0])
    # t(3, 0.975) = 3.182446; s = 1.290994
    assert mean == 2.5
    assert hi - mean == pytest.approx(3.182446 * 1.290994 / 2, rel=1e-5)
    assert lo == pytest.approx(2 * mean - hi)
    m1, l1, h1 = t_interval([5.0])
    assert m1 == 5.0 and math.isnan(l1) and math.isnan(h1)
