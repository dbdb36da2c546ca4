"""Planned maintenance windows: known answers on a deterministic line."""

from __future__ import annotations

import pytest

import linesim


def line(windows: list[dict], stations: int = 1, breaks: list | None = None,
         days: int = 3) -> linesim.Scenario:
    """A deterministic line always on shift; maintenance on its last station."""
    sts = [{"name": f"s{i}", "cycle_time": 1.0 if i == stations - 1 else 0.5, "buffer": 5}
           for i in range(stations)]
    sts[-1].pop("buffer")
    sts[0]["maintenance"] = windows
    return linesim.scenario_from_dict({
        "name": "pm", "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "00:00", "end": "24:00"}], "breaks": breaks or []},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": sts}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}},
    })


def minutes_in(run, state: str, station: str = "s0") -> float:
    s = run.states
    return float(s[(s["station"] == station) & (s["state"] == state)]["minutes"].sum())


def test_window_every_day_is_charged_exactly():
    run = linesim.simulate(line([{"start": "06:00", "minutes": 120}]), seed=1)
    assert minutes_in(run, "planned_maintenance") == pytest.approx(3 * 120)
    assert minutes_in(run, "working") == pytest.approx(3 * 1440 - 3 * 120, abs=1.0)
    assert run.kpis["units"] == pytest.approx(3 * 1440 - 3 * 120, abs=1)
    wf = run.waterfall.set_index("step")
    assert wf.loc["planned_maintenance", "units"] == pytest.approx(360)
    assert wf.loc["planned_maintenance", "category"] == "machine"
    assert run.losses["planned_maintenance"] == pytest.approx(360)
    assert run.loss_categories["machine"] == pytest.approx(360)


def test_every_other_working_day():
    run = linesim.simulate(line([{"start": "22:00", "minutes": 60, "every_days": 2}]), seed=1)
    assert minutes_in(run, "planned_maintenance") == pytest.approx(2 * 60)  # days 0 and 2


def test_a_break_takes_precedence_over_maintenance():
    sc = line([{"start": "06:00", "minutes": 120}], breaks=[{"start": "07:00", "end": "07:30"}])
    run = linesim.simulate(sc, seed=1)
    assert minutes_in(run, "planned_maintenance") == pytest.approx(3 * 90)
    assert minutes_in(run, "break") == pytest.approx(3 * 30)


def test_upstream_maintenance_is_the_root_cause_of_starving():
    sc = line([], stations=2)
    data = sc.model_dump(mode="json")
    data["lines"][0]["stations"][0]["maintenance"] = [{"start": "06:00", "minutes": 120}]
    run = linesim.simulate(linesim.scenario_from_dict(data), seed=1)
    wf = run.waterfall
    row = wf[(wf["step"] == "planned_maintenance") & (wf["via"] == "starved")]
    # the constraint (1 min a unit) works off the unit in hand and the 5 in the buffer, 6 to
    # 7 minutes, then starves until s0 is back and has made a unit (0.5 min)
    assert row["station"].tolist() == ["s0"]
    assert 3 * (120 - 7) <= row["units"].sum() <= 3 * (120 - 6 + 0.5)


def test_without_windows_the_state_is_not_reported():
    run = linesim.simulate(line([]), seed=1)
    assert "planned_maintenance" not in set(run.states["state"])
    assert "planned_maintenance" not in run.losses
    assert linesim.plain_name("planned_maintenance") == "planned maintenance"


@pytest.mark.parametrize("window, field", [
    ({"start": "25:00", "minutes": 10}, "start"),
    ({"start": "06:00", "minutes": 0}, "minutes"),
    ({"start": "06:00", "minutes": 10, "every_days": 0}, "every_days"),
])
def test_bad_windows_are_named(window, field):
    with pytest.raises(linesim.ScenarioError) as err:
        line([window])
    assert "maintenance" in str(err.value) and field in str(err.value)
