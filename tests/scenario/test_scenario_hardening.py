"""Inputs that used to validate and then crash or silently do the wrong thing, and the
warnings for scenarios that validate but cannot work."""

from __future__ import annotations

import pytest

from linesim.scenario import ScenarioError, parse_yaml, scenario_from_dict
from linesim.scenario.lint import scenario_warnings
from linesim.scenario.load import MAX_PROBLEMS


def problems(data: dict) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(data)
    return e.value.problems


def test_true_is_not_one_day(tiny_data):
    tiny_data["horizon"]["days"] = True
    tiny_data["lines"][0]["stations"][0]["buffer"] = False
    tiny_data["lines"][0]["stations"][1]["cycle_time"] = {"dist": "exponential", "mean": True}
    assert problems(tiny_data) == [
        "horizon.days: must be a whole number, got true (true/false is not a number)",
        "lines[0].stations[0].buffer: must be a whole number, got false (true/false is not a "
        "number)",
        "lines[0].stations[1].cycle_time.mean: must be a number, got true (true/false is not a "
        "number)",
    ]


def test_an_unquoted_time_says_to_quote_it(tiny_data):
    tiny_data["calendar"] = parse_yaml('shifts: [{start: 14:30, end: "22:00"}]')
    assert problems(tiny_data) == [
        "calendar.shifts[0].start: must be a time 'HH:MM' in quotes, got 870: YAML reads an "
        "unquoted 14:30 as a number; write '14:30'"]


def test_a_lognormal_spread_that_overflows_is_refused(tiny_data):
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = {"dist": "lognormal", "mean": 1,
                                                          "spread": 1e153}
    assert problems(tiny_data) == ["lines[0].stations[0].cycle_time: spread (1e+153) must be at "
                                   "most 100.0 x mean (1) for a lognormal"]


def test_a_horizon_at_the_end_of_time_is_refused(tiny_data):
    tiny_data["horizon"]["start"] = "9999-12-25"
    assert problems(tiny_data) == ["horizon: start 9999-12-25 + 2 days ends too late: the "
                                   "horizon must end by 9999-01-01"]


def test_duplicate_stoppage_source_names_are_refused(baseline_data):
    src = baseline_data["quality"]["stoppages"]
    src[1]["name"] = src[0]["name"]
    assert problems(baseline_data) == [
        "quality.stoppages: stoppage source name 'process problem' appears more than once "
        "(each source has its own random stream, named after it)"]


def test_a_bom_station_typo_is_refused(baseline_data):
    baseline_data["products"][0]["bom"][0]["station"] = "rotor asembly"
    (p,) = problems(baseline_data)
    assert p.startswith("products[0].bom[0].station: no line that makes")
    assert "'rotor asembly'" in p and "'rotor assembly'" in p


def test_failures_count_in_the_work_limit(baseline_data):
    baseline_data["horizon"]["days"] = 3660
    for ln in baseline_data["lines"]:
        for st in ln["stations"]:
            st["failures"] = [{"ttf": {"dist": "exponential", "mean": 0.1}, "ttr": 1,
                               "clock": "calendar"}]
    (p,) = problems(baseline_data)
    assert p.startswith("horizon.days: about") and "failures" in p


def test_the_error_list_is_capped(tiny_data):
    for i in range(300):
        tiny_data["lines"][0][f"k{i}"] = 1
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(tiny_data)
    assert e.value.total == 300 and len(e.value.problems) == MAX_PROBLEMS
    assert str(e.value).endswith(f"... and {300 - MAX_PROBLEMS} more problem(s); fix these first")


def test_the_baseline_has_no_warnings(baseline_data):
    assert scenario_warnings(scenario_from_dict(baseline_data)) == []


def test_a_workforce_of_floaters_only_is_a_warning(baseline_data):
    baseline_data["workforce"]["operators"] = []
    baseline_data["workforce"]["floaters"] = [{"name": "F1", "skills": ["L1/winding"]}]
    ((path, msg),) = scenario_warnings(scenario_from_dict(baseline_data))
    assert path == "workforce.operators" and "no operators" in msg and "1 floater" in msg


def test_posts_without_a_home_operator_are_a_warning(baseline_data):
    ops = baseline_data["workforce"]["operators"]
    baseline_data["workforce"]["operators"] = [o for o in ops if o["post"] != "L1/winding"]
    ((path, msg),) = scenario_warnings(scenario_from_dict(baseline_data))
    assert path == "workforce.operators" and "L1/winding" in msg and msg.startswith("1 post(s)")


def test_backups_without_stoppages_are_a_warning(baseline_data):
    baseline_data["quality"]["stoppages"] = []
    baseline_data["plan"]["L1"]["backups"] = [baseline_data["lines"][0]["products"][-1]]
    assert scenario_warnings(scenario_from_dict(baseline_data)) == [
        ("plan.L1.backups", "no quality stoppage source stops line 'L1', so its backup "
                            "products are never used")]


def test_plan_dates_that_are_never_used_are_warnings(tiny_data):
    item = [{"product": "A", "quantity": 5}]
    tiny_data["horizon"] = {"start": "2023-08-04", "days": 5}  # Friday to Tuesday
    tiny_data["calendar"] = {"workdays": ["mon", "tue", "wed", "thu", "fri"],
                             "holidays": ["2023-08-07"]}
    tiny_data["plan"]["L1"]["dates"] = {"2023-08-05": item, "2023-08-07": item,
                                        "2023-08-08": item, "2023-09-01": item}
    assert scenario_warnings(scenario_from_dict(tiny_data)) == [
        ("plan.L1.dates.2023-08-05", "a Saturday, not a working day of the calendar: never used"),
        ("plan.L1.dates.2023-08-07", "a holiday, not a working day of the calendar: never used"),
        ("plan.L1.dates.2023-09-01", "outside the horizon (2023-08-04 to 2023-08-08): never used"),
    ]


def test_cross_reference_problems_come_with_the_field_problems(baseline_data):
    baseline_data["lines"][0]["stations"][0]["buffr"] = 3
    baseline_data["lines"][0]["stations"][1]["buffer"] = -3
    baseline_data["plan"]["L9"] = baseline_data["plan"]["L1"]
    got = problems(baseline_data)
    assert got[0].startswith("lines[0].stations[0].buffr: unknown key 'buffr'")
    assert got[1:] == ["lines[0].stations[1].buffer: must be >= 0, got -3",
                       "plan.L9: unknown line 'L9'; lines: ['L1', 'L2', 'L3', 'L4', 'L5']"]


def test_a_bad_required_value_is_reported_alone(baseline_data):
    baseline_data["lines"][0]["stations"][0]["cycle_time"] = "fast"
    baseline_data["plan"]["L9"] = baseline_data["plan"]["L1"]
    (p,) = problems(baseline_data)
    assert p.startswith("lines[0].stations[0].cycle_time: must be a number of minutes")
