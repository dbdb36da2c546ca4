"""Units in the line's buffers at the start (``stations[].start_units``, issue 11's starting
state): on a multi-station line they are worked on from the first minute, counted as work in
progress, and every invariant holds."""

from __future__ import annotations

import copy

import pytest
from helpers import check_invariants, small_line

import linesim
from linesim.scenario.load import ScenarioError


def line_with(start: dict[int, int], days: int = 1) -> dict:
    data = small_line(horizon={"start": "2023-08-01", "days": days})
    for i, n in start.items():
        data["lines"][0]["stations"][i]["start_units"] = n
    return data


def first_busy(res: linesim.RunResult, station: str) -> float:
    ev = res.events
    rows = ev[(ev.station == station) & (ev.state == "working")]
    return float(rows.time.min())


def test_start_units_are_worked_first_and_counted():
    empty = linesim.simulate(linesim.scenario_from_dict(line_with({})), 3, event_log=True)
    full = linesim.simulate(linesim.scenario_from_dict(line_with({0: 2, 1: 2})), 3,
                            event_log=True)
    # empty line: s2 and s3 wait for the first units; with units in the buffers they start at 0
    assert first_busy(empty, "s2") > 0 and first_busy(empty, "s3") > 0
    assert first_busy(full, "s2") == 0.0 and first_busy(full, "s3") == 0.0
    ln = full.record.lines[0]
    assert ln.wip_start == 4
    check_invariants(full)


@pytest.mark.parametrize("warmup", [0.0, 0.5])
def test_invariants_with_start_units(warmup):
    data = line_with({0: 1, 1: 2}, days=2)
    data["horizon"]["warmup_days"] = warmup
    check_invariants(linesim.simulate(linesim.scenario_from_dict(data), 5))


def test_start_units_must_fit_and_not_sit_after_the_last_station():
    with pytest.raises(ScenarioError, match="start_units .3. must be <= buffer .2."):
        linesim.scenario_from_dict(line_with({0: 3}))
    data = copy.deepcopy(line_with({}))
    data["lines"][0]["stations"][2].update(buffer=2, start_units=1)
    with pytest.raises(ScenarioError, match="last station has no buffer after it"):
        linesim.scenario_from_dict(data)
