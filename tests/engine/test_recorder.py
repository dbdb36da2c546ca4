"""The recorder: one warm-up rule for every table, counters declared once with defaults."""

from __future__ import annotations

import simpy

import linesim
from linesim.engine.recorder import LineCounts, LineRecord, Recorder
from linesim.engine.states import STATE_TABLE, PLANNED_MAINTENANCE, STATES


def _scenario(warmup: int = 0) -> linesim.Scenario:
    return linesim.scenario_from_dict({
        "name": "r", "horizon": {"start": "2023-08-01", "days": 3, "warmup_days": warmup},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "00:00", "end": "24:00"}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": [{"name": "s", "cycle_time": 1}]}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}}})


def test_line_counts_reset_keeps_the_units_in_the_line():
    c = LineCounts()
    c.started, c.good, c.flow_sum = 5, 3, 12.0
    c.daily["A", 0] += 3
    c.wip_change(0.0, 2)
    c.wip_change(10.0, 0)
    assert c.wip_area == 20.0
    c.reset(10.0)
    assert (c.started, c.good, c.flow_sum, dict(c.daily)) == (0, 0, 0.0, {})
    assert (c.wip, c.wip_start, c.wip_area, c.wip_t) == (2, 2, 0.0, 10.0)
    c.daily["A", 1] += 1  # a fresh default dict after the reset
    assert c.daily["A", 1] == 1


def test_end_warmup_flushes_every_table_before_any_reset():
    env = simpy.Environment()
    rec = Recorder(env, _scenario())
    calls = []
    rec.register(lambda: calls.append("reset a"), lambda: calls.append("flush a"))
    rec.register(lambda: calls.append("reset b"), lambda: calls.append("flush b"))
    counts = rec.line_counts()
    counts.good = 7
    rec.end_warmup()
    assert calls == ["flush a", "flush b", "reset a", "reset b"]
    assert counts.good == 0


def test_optional_states_are_reported_only_when_declared():
    rec = Recorder(simpy.Environment(), _scenario())
    assert PLANNED_MAINTENANCE not in rec.reported_states()
    optional = [s.code for s in STATE_TABLE if s.optional]
    assert len(rec.reported_states()) == len(STATES) - len(optional)
    rec.declare_state(PLANNED_MAINTENANCE)
    assert PLANNED_MAINTENANCE in rec.reported_states()
    for code in optional:
        rec.declare_state(code)
    assert rec.reported_states() == tuple(range(len(STATES)))


def test_line_record_has_defaults():
    assert LineRecord("L", 0, []).good == 0


def test_warmup_rule_on_a_deterministic_line():
    # always on, 1 minute a unit: the measured two days make 2880 units; the first day not
    run = linesim.simulate(_scenario(warmup=1), seed=1)
    assert run.record.start == 1440.0
    assert abs(run.kpis["units"] - 2880) <= 1
    s = run.states.set_index("state")["minutes"]
    assert abs(s.sum() - 2880.0) < 1e-6
