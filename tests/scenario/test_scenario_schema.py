"""The JSON Schema of scenario files agrees with the validator on typical files."""

from __future__ import annotations

import json

import pytest

from linesim.scenario import ScenarioError, scenario_from_dict
from linesim.scenario.model import Scenario

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator():
    schema = Scenario.model_json_schema(by_alias=True)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(data):
    """YAML data as JSON data (dates become ISO strings, as in a JSON scenario)."""
    return json.loads(json.dumps(data, default=str))


def test_top_level_properties():
    schema = Scenario.model_json_schema(by_alias=True)
    assert schema["type"] == "object"
    assert set(schema["properties"]) == set(Scenario.model_fields)
    assert {"name", "description", "seed", "horizon", "calendar", "products", "lines",
            "plan"} <= set(schema["properties"])
    assert set(schema["required"]) == {"name", "horizon", "products", "lines"}
    assert schema.get("additionalProperties") is False


def test_baseline_is_valid_under_the_schema(validator, baseline_data):
    errors = list(validator.iter_errors(as_json(baseline_data)))
    assert errors == []


@pytest.mark.parametrize("value", [1.5, 2])
def test_bare_number_distribution_is_valid_under_the_schema(validator, baseline_data, value):
    st = baseline_data["lines"][0]["stations"][0]
    st["cycle_time"] = value
    st["rework_time"] = value
    st["cycle_times"] = {"LB-200": value}
    st["failures"][0]["ttr"] = value
    baseline_data["lines"][0]["changeover"] = {"default": value, "matrix": {"LB-100": {"LB-200": value}}}
    scenario_from_dict(baseline_data)  # the validator accepts it ...
    assert list(validator.iter_errors(as_json(baseline_data))) == []  # ... and so does the schema


@pytest.mark.parametrize("value", [-1.5, "fast", None, [1], {"dist": "weird"}, {"dist": "exponential"}])
def test_bad_distribution_is_invalid_under_both(validator, baseline_data, value):
    baseline_data["lines"][0]["stations"][0]["cycle_time"] = value
    with pytest.raises(ScenarioError):
        scenario_from_dict(baseline_data)
    assert not validator.is_valid(as_json(baseline_data))


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(cycle_tme=1),
    lambda d: d["horizon"].update(days=0),
    lambda d: d["horizon"].update(days=10**9),
    lambda d: d["lines"][0]["stations"][0].update(buffer=-1),
    lambda d: d["lines"][0]["stations"][0].update(cycle_tme=1),
    lambda d: d.update(lines=[]),
    lambda d: d["calendar"].update(workdays=["funday"]),
])
def test_field_errors_are_invalid_under_both(validator, baseline_data, mutate):
    mutate(baseline_data)
    with pytest.raises(ScenarioError):
        scenario_from_dict(baseline_data)
    assert not validator.is_valid(as_json(baseline_data))


@pytest.mark.parametrize("value", [{"mean": 2}, {"value": 2}, {"samples": [1, 2]}])
def test_mapping_without_dist_is_invalid_under_the_schema_too(validator, baseline_data, value):
    baseline_data["lines"][0]["stations"][0]["cycle_time"] = value
    with pytest.raises(ScenarioError):
        scenario_from_dict(baseline_data)
    assert not validator.is_valid(as_json(baseline_data))
