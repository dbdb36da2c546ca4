"""Changing a scenario by field path: parse_path, get_value, set_value, with_values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linesim.scenario import ScenarioError, load_scenario, scenario_from_dict
from linesim.scenario.distributions import Exponential, Fixed
from linesim.scenario.load import read_yaml
from linesim.scenario.patch import (
    get_value,
    parse_path,
    scenario_data,
    set_value,
    with_values,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def baseline(baseline_path):
    return load_scenario(baseline_path)


# ----------------------------------------------------------------------- parse_path


@pytest.mark.parametrize("path, parts", [
    ("name", ["name"]),
    ("horizon.days", ["horizon", "days"]),
    ("a.b[2].c[name]", ["a", "b", 2, "c", "[name]"]),
    ("lines[0].stations[12].buffer", ["lines", 0, "stations", 12, "buffer"]),
    ("lines[L1].stations[laser welding].failures[minor stop].ttr",
     ["lines", "[L1]", "stations", "[laser welding]", "failures", "[minor stop]", "ttr"]),
    ("plan.L1.dates.2023-08-02[0].quantity", ["plan", "L1", "dates", "2023-08-02", 0, "quantity"]),
    ("x[v1.2]", ["x", "[v1.2]"]),
    ("a[0][1]", ["a", 0, 1]),
    ("lines[-1].name", ["lines", -1, "name"]),
    ("[3]", [3]),
])
def test_parse_path(path, parts):
    assert parse_path(path) == parts


@pytest.mark.parametrize("path", [
    "", ".", "a.", ".a", "a..b", "a[]", "a[0", "a]", "a[0]b", "a.[0]", "[", "a[[0]]",
])
def test_parse_path_rejects_malformed_paths(path):
    with pytest.raises(ValueError, match="bad field path"):
        parse_path(path)


# ------------------------------------------------------------------------ get_value


def test_get_value(baseline):
    data = scenario_data(baseline)
    assert get_value(data, "horizon.days") == 31
    assert get_value(data, "lines[2].name") == "L3"
    assert get_value(data, "lines[-1].name") == "L5"
    assert get_value(data, "lines[L4].stations[2].name") == "laser welding"
    raw = read_yaml(ROOT / "scenarios" / "baseline.yaml")  # the value as written in the file
    path = "lines[L1].stations[laser welding].failures[minor stop].ttf"
    assert get_value(data, path) == get_value(raw, path)
    assert get_value(data, path)["dist"] == "exponential"
    assert get_value(data, "plan.L3.daily[0].quantity") == 290
    assert get_value(data, "plan[L3].daily[0].product") == "MD-300"  # [key] on a mapping
    assert get_value(data, "lines[L1].stations[0].cycle_time.mean") == 1.9  # alias, not mean_


@pytest.mark.parametrize("path, message", [
    ("horizon.dayz", "horizon.dayz: no field 'dayz'"),
    ("lines[9].name", r"lines\[9\].name: index \[9\] is out of range"),
    ("lines[L9].name", r"lines\[L9\].name: no item named 'L9'; names: \['L1', 'L2', 'L3', 'L4', 'L5'\]"),
    ("horizon[0]", r"horizon\[0\]: index \[0\] is out of range"),
    ("name[x]", r"name\[x\]: \[x\] needs a list or a mapping"),
    ("name.first", r"name.first: 'first' needs a mapping"),
    ("plan[L9].daily", r"plan\[L9\].daily: no field 'L9'"),
])
def test_get_value_errors(baseline, path, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        get_value(scenario_data(baseline), path)


# ------------------------------------------------------------------------ set_value


def test_set_value_in_place_and_creates_mappings():
    data = {"a": [{"name": "x", "v": 1}, {"name": "y", "v": 2}]}
    set_value(data, "a[y].v", 5)
    set_value(data, "a[0].w.z", 7)
    set_value(data, "b[k.1]", 3)
    assert data == {"a": [{"name": "x", "v": 1, "w": {"z": 7}}, {"name": "y", "v": 5}],
                    "b": {"k.1": 3}}


def test_set_value_never_extends_a_list():
    data = {"a": [1]}
    with pytest.raises(ValueError, match=r"index \[1\] is out of range"):
        set_value(data, "a[1]", 2)
    assert data == {"a": [1]}


# ---------------------------------------------------------------------- with_values


def test_scenario_data_is_plain_json_and_round_trips(baseline):
    data = scenario_data(baseline)
    assert json.loads(json.dumps(data)) == data
    assert data["horizon"]["start"] == "2023-08-01"
    assert scenario_from_dict(data) == baseline
    assert with_values(baseline, {}) == baseline


def test_with_values_returns_a_new_validated_scenario(baseline):
    new = with_values(baseline, {
        "horizon.days": 3,
        "lines[L1].stations[laser welding].buffer": 7,
        "lines[4].stations[0].cycle_time": 2.5,
        "lines[L2].stations[winding].failures[wire-break].ttf": {"dist": "exponential", "mean": 99},
        "plan.L3.daily[0].quantity": 10,
        "description": "what if",
    })
    assert new is not baseline
    assert new.horizon.days == 3 and baseline.horizon.days == 31
    assert new.lines[0].stations[2].buffer == 7 and baseline.lines[0].stations[2].buffer == 3
    assert new.lines[4].stations[0].cycle_time == Fixed(value=2.5)
    assert new.lines[1].stations[0].failures[0].ttf == Exponential(mean=99)
    assert new.plan["L3"].daily[0].quantity == 10
    assert new.description == "what if"
    # everything else is untouched
    assert with_values(new, {"horizon.days": 31, "lines[0].stations[2].buffer": 3,
                             "lines[4].stations[0].cycle_time": {"dist": "lognormal", "mean": 1.9, "spread": 0.25},
                             "lines[1].stations[0].failures[0].ttf": {"dist": "exponential", "mean": 300},
                             "plan.L3.daily[0].quantity": 290,
                             "description": baseline.description}) == baseline


def test_with_values_can_add_new_optional_fields(baseline):
    new = with_values(baseline, {
        "lines[L1].stations[packing].cycle_times.LB-200": 1.1,
        "lines[L1].changeover.matrix.LB-100.LB-200": 5,
        "plan.L1.dates.2023-08-02": [],
    })
    assert new.lines[0].stations[5].cycle_for("LB-200") == Fixed(value=1.1)
    assert new.lines[0].changeover.time("LB-100", "LB-200") == Fixed(value=5)
    assert new.plan["L1"].items_on(__import__("datetime").date(2023, 8, 2)) == ()


def test_with_values_revalidates(baseline):
    with pytest.raises(ScenarioError) as e:
        with_values(baseline, {"horizon.days": 0, "lines[L2].stations[0].buffer": -1},
                    source="--set")
    assert e.value.source == "--set"
    assert e.value.problems == ["horizon.days: must be >= 1, got 0",
                                "lines[1].stations[0].buffer: must be >= 0, got -1"]


def test_with_values_cross_references(baseline):
    with pytest.raises(ScenarioError) as e:
        with_values(baseline, {"plan.L1.daily[0].product": "SL-400"})
    assert e.value.problems == [
        "plan.L1.daily[0].product: line 'L1' does not make 'SL-400'; it makes ['LB-100', 'LB-200']"]


def test_with_values_misspelt_field_suggests(baseline):
    with pytest.raises(ScenarioError) as e:
        with_values(baseline, {"horizon.dayz": 3})
    assert e.value.problems == [
        "horizon.dayz: unknown key 'dayz'; did you mean 'days'? (valid keys: start, days, warmup_days)"]


def test_with_values_reports_every_bad_path(baseline):
    with pytest.raises(ScenarioError) as e:
        with_values(baseline, {"lines[L9].name": "x", "lines[99].buffer": 1, "a..b": 1,
                               "horizon.days": 3}, source="changes.yaml")
    assert e.value.source == "changes.yaml"
    assert e.value.problems == [
        "lines[L9].name: no item named 'L9'; names: ['L1', 'L2', 'L3', 'L4', 'L5']",
        "lines[99].buffer: index [99] is out of range",
        "bad field path 'a..b' near position 1",
    ]


def test_with_values_does_not_change_the_original(baseline):
    before = scenario_data(baseline)
    with_values(baseline, {"lines[0].stations[0].buffer": 9})
    with pytest.raises(ScenarioError):
        with_values(baseline, {"lines[0].stations[0].buffer": -9})
    assert scenario_data(baseline) == before
