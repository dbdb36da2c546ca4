"""Validation errors: field path, bad value and what is allowed; every problem at once."""

from __future__ import annotations

import copy
import math

import pytest

from linesim.scenario import ScenarioError, scenario_from_dict
from linesim.scenario.distributions import DIST_TYPES
from linesim.scenario.load import validate_data
from linesim.scenario.model import MAX_DAYS, Scenario


def problems(data) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(data)
    assert e.value.problems, "a ScenarioError must list at least one problem"
    return e.value.problems


def station(data, line=0, st=0) -> dict:
    return data["lines"][line]["stations"][st]


# ------------------------------------------------------------------ exact messages


def test_example_of_the_promise(baseline_data):
    station(baseline_data, 2, 0)["cycle_time"]["mean"] = -3
    assert problems(baseline_data) == ["lines[2].stations[0].cycle_time.mean: must be > 0, got -3"]


def test_error_str_names_source_count_and_each_problem(baseline_data):
    station(baseline_data, 2, 0)["cycle_time"]["mean"] = -3
    baseline_data["horizon"]["days"] = 0
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(baseline_data)
    text = str(e.value)
    assert text.splitlines()[0] == "<dict>: 2 problem(s)"
    assert "  horizon.days: must be >= 1, got 0" in text.splitlines()
    assert "  lines[2].stations[0].cycle_time.mean: must be > 0, got -3" in text.splitlines()
    assert e.value.source == "<dict>"


@pytest.mark.parametrize("path, value, expected", [
    (("seed",), -5, "seed: must be >= 0, got -5"),
    (("horizon", "days"), 0, "horizon.days: must be >= 1, got 0"),
    (("horizon", "days"), 10**9, f"horizon.days: must be <= {MAX_DAYS}, got 1000000000"),
    (("horizon", "days"), "abc", "horizon.days: must be a whole number, got 'abc'"),
    (("horizon", "days"), 1.5, "horizon.days: must be a whole number, got 1.5"),
    (("horizon", "start"), "2023-13-01", "horizon.start: must be a date YYYY-MM-DD, got '2023-13-01'"),
    (("horizon", "warmup_days"), 31, "horizon: warmup_days (31.0) must be < days (31)"),
    (("horizon",), None, "horizon: must be a mapping of keys, got None"),
    (("lines",), "abc", "lines: must be a list, got 'abc'"),
    (("lines",), [], "lines: must have at least 1 item(s), got 0"),
    (("plan",), [], "plan: must be a mapping of keys, got []"),
    (("name",), "bad/name", "name: must be a name of letters, digits, '_', '.', '-' or spaces, got 'bad/name'"),
    (("name",), "", "name: must have at least 1 character(s), got ''"),
    (("name",), 7, "name: must be a text string, got 7"),
    (("calendar", "workdays", 1), "funday",
     "calendar.workdays[1]: must be one of 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun', got 'funday'"),
    (("calendar", "shifts", 0, "start"), "25:00",
     "calendar.shifts[0].start: must be a time of day between 00:00 and 24:00, got '25:00'"),
    (("calendar", "shifts", 0, "end"), "noon",
     "calendar.shifts[0].end: must be a time of day 'HH:MM', got 'noon'"),
    (("calendar", "breaks", 0), {"start": "13:00", "end": "12:00"},
     "calendar.breaks[0]: end 12:00 must be after start 13:00"),
    (("calendar", "breaks", 0), {"start": "19:00", "end": "19:30"},
     "calendar: breaks[0] (19:00-19:30) is not inside a shift"),
    (("calendar", "overtime"), {"mode": "fixed"}, "calendar.overtime: mode 'fixed' needs hours > 0"),
    (("calendar", "overtime", "mode"), "always",
     "calendar.overtime.mode: must be one of 'none', 'fixed' or 'until_plan', got 'always'"),
    (("lines", 0, "stations", 0, "buffer"), -1, "lines[0].stations[0].buffer: must be >= 0, got -1"),
    (("lines", 0, "stations", 0, "servers"), 0, "lines[0].stations[0].servers: must be >= 1, got 0"),
    (("lines", 0, "stations", 0, "scrap_rate"), 1.0, "lines[0].stations[0].scrap_rate: must be < 1, got 1.0"),
    (("lines", 0, "stations", 4, "rework_rate"), 0.998,
     "lines[0].stations[4]: scrap_rate + rework_rate must be < 1"),
    (("lines", 0, "stations", 0, "cycle_time"), -3, "lines[0].stations[0].cycle_time.value: must be >= 0, got -3"),
    (("lines", 0, "stations", 0, "cycle_time"), 0.001,
     "lines[0].stations[0]: cycle time cycle_time mean must be >= 0.01 minutes, got 0.001"),
    (("lines", 0, "stations", 0, "cycle_time"), {"dist": "uniform", "mean": 1, "spread": 2},
     "lines[0].stations[0].cycle_time: spread must be <= mean so values stay >= 0, got mean 1.0 and spread 2.0"),
    (("lines", 0, "stations", 0, "failures", 0, "ttf"), 0.01,
     "lines[0].stations[0].failures[0]: ttf mean must be >= 0.1 minutes, got 0.01"),
    (("lines", 0, "stations", 0, "failures", 0, "clock"), "wall",
     "lines[0].stations[0].failures[0].clock: must be one of 'calendar', 'working' or 'operating', got 'wall'"),
    (("lines", 0, "changeover", "default"), {"dist": "empirical", "samples": [1, -2]},
     "lines[0].changeover.default.samples[1]: must be >= 0, got -2"),
    (("lines", 0), "abc", "lines[0]: must be a mapping of keys, got 'abc'"),
    (("plan", "L1", "daily", 0, "quantity"), 0, "plan.L1.daily[0].quantity: must be >= 1, got 0"),
    (("plan", "L1", "dates"), {"notadate": []}, "plan.L1.dates.notadate: invalid key: must be a date YYYY-MM-DD, got 'notadate'"),
    (("plan", "L1", "dates"), {"2023-08-02": [{"product": "LB-100", "quantity": 0}]},
     "plan.L1.dates.2023-08-02[0].quantity: must be >= 1, got 0"),
])
def test_field_messages(baseline_data, path, value, expected):
    node = baseline_data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert problems(baseline_data) == [expected]


def test_long_values_are_shortened(baseline_data):
    baseline_data["name"] = "x/" * 30
    (p,) = problems(baseline_data)
    assert p.startswith("name: must be a name") and p.endswith(", got 'x/x/x/" + "x/" * 25 + "...")
    assert len(p) < 160


# ------------------------------------------------------- the distribution tag never in paths

DIST_SITES = [
    ("lines", 0, "stations", 0, "cycle_time"),
    ("lines", 0, "stations", 0, "rework_time"),
    ("lines", 0, "stations", 0, "cycle_times", "LB-200"),
    ("lines", 0, "stations", 0, "failures", 0, "ttf"),
    ("lines", 0, "stations", 0, "failures", 0, "ttr"),
    ("lines", 0, "changeover", "default"),
    ("lines", 0, "changeover", "matrix", "LB-100", "LB-200"),
]


def _put(data, path, value):
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[path[-1]] = value


def _dotted(path) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else ("." if out else "") + key
    return out


@pytest.mark.parametrize("site", DIST_SITES, ids=_dotted)
@pytest.mark.parametrize("kind", [k for k in DIST_TYPES if k != "fixed"])
def test_distribution_tag_is_not_in_the_path(baseline_data, site, kind):
    spec = {"dist": kind, "mean": -3, "spread": 1} if kind != "empirical" else {
        "dist": kind, "samples": [-3]}
    if kind == "exponential":
        del spec["spread"]
    if kind in ("gamma", "weibull"):
        spec = {"dist": kind, "shape": 2, "scale": -3}
    _put(baseline_data, site, spec)
    found = problems(baseline_data)
    field = {"empirical": "samples[0]", "gamma": "scale", "weibull": "scale"}.get(kind, "mean")
    assert found == [f"{_dotted(site)}.{field}: must be {'>=' if kind == 'empirical' else '>'} 0, got -3"]
    assert all(f".{kind}." not in p for p in found)


@pytest.mark.parametrize("site", DIST_SITES, ids=_dotted)
def test_unknown_key_in_a_distribution_suggests_the_right_key(baseline_data, site):
    _put(baseline_data, site, {"dist": "lognormal", "mean": 2, "sprd": 1})
    assert set(problems(baseline_data)) == {
        f"{_dotted(site)}.spread: required field is missing",
        f"{_dotted(site)}.sprd: unknown key 'sprd'; did you mean 'spread'? (valid keys: mean, spread, dist)",
    }


# ------------------------------------------------------------------ unknown keys


@pytest.mark.parametrize("where, key, suggestion", [
    ((), "horizn", "horizon"),
    (("horizon",), "warmup", "warmup_days"),
    (("calendar",), "shift", "shifts"),
    (("lines", 0), "stattions", "stations"),
    (("lines", 0, "stations", 0), "cycle_tme", "cycle_time"),
    (("lines", 0, "stations", 0), "buffers", "buffer"),
    (("lines", 0, "stations", 0, "failures", 0), "tff", "ttf"),
    (("plan", "L1"), "dayly", "daily"),
])
def test_unknown_key_suggests_the_closest(baseline_data, where, key, suggestion):
    node = baseline_data
    for k in where:
        node = node[k]
    node[key] = 1
    found = [p for p in problems(baseline_data) if "unknown key" in p]
    assert len(found) == 1
    assert found[0].startswith(f"{_dotted(where + (key,))}: unknown key {key!r}; did you mean {suggestion!r}? (valid keys: ")


def test_unknown_key_without_a_close_match_lists_valid_keys(baseline_data):
    baseline_data["horizon"]["zzzzzz"] = 1
    assert problems(baseline_data) == [
        "horizon.zzzzzz: unknown key 'zzzzzz' (valid keys: start, days, warmup_days)"]


def test_non_text_top_level_key(baseline_data):
    baseline_data[5] = 1
    assert problems(baseline_data) == ["5: keys must be text, got 5"]


# ----------------------------------------------------------- every problem at once


def test_all_field_problems_reported_together(baseline_data):
    baseline_data["seed"] = -1
    baseline_data["horizon"]["days"] = "many"
    station(baseline_data, 0, 1)["buffer"] = -4
    station(baseline_data, 3, 2)["cycle_time"]["spread"] = -1
    station(baseline_data, 4, 5)["cycl_time"] = 1
    baseline_data["plan"]["L2"]["daily"][0]["quantity"] = 0
    found = problems(baseline_data)
    assert len(found) == 6, found
    paths = {p.split(": ")[0] for p in found}
    assert paths == {"seed", "horizon.days", "lines[0].stations[1].buffer",
                     "lines[3].stations[2].cycle_time.spread", "lines[4].stations[5].cycl_time",
                     "plan.L2.daily[0].quantity"}


def test_a_list_whose_items_failed_is_not_also_too_short(baseline_data):
    baseline_data["lines"] = [{"name": "L1"}]
    found = problems(baseline_data)
    assert "lines[0].products: required field is missing" in found
    assert "lines[0].stations: required field is missing" in found
    assert not any(p.startswith("lines:") for p in found)


# ----------------------------------------------------------------- cross-references


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["plan"].update(L9={"daily": [{"product": "LB-100", "quantity": 1}]}),
     "plan.L9: unknown line 'L9'; lines: ['L1', 'L2', 'L3', 'L4', 'L5']"),
    (lambda d: d["plan"]["L1"].update(daily=[{"product": "SL-400", "quantity": 1}]),
     "plan.L1.daily[0].product: line 'L1' does not make 'SL-400'; it makes ['LB-100', 'LB-200']"),
    (lambda d: d["plan"]["L1"].update(dates={"2023-08-03": [{"product": "MD-300", "quantity": 5}]}),
     "plan.L1.dates.2023-08-03[0].product: line 'L1' does not make 'MD-300'; it makes ['LB-100', 'LB-200']"),
    (lambda d: d["plan"]["L1"].update(daily=[{"product": "XX-1", "quantity": 1}]),
     "plan.L1.daily[0].product: line 'L1' does not make 'XX-1'; it makes ['LB-100', 'LB-200']"),
    (lambda d: d["lines"][0]["products"].append("XX-1"),
     "lines[0].products[2]: unknown product 'XX-1'; known: ['LB-100', 'LB-200', 'MD-300', 'SL-400', 'SL-500']"),
    (lambda d: d["lines"][0]["stations"][1].update(cycle_times={"SL-400": 2}),
     "lines[0].stations[1].cycle_times.SL-400: line 'L1' does not make 'SL-400'; it makes ['LB-100', 'LB-200']"),
    (lambda d: d["lines"][0]["changeover"].update(matrix={"LB-100": {"XX": 2}}),
     "lines[0].changeover.matrix.LB-100: line 'L1' does not make 'XX'; it makes ['LB-100', 'LB-200']"),
    (lambda d: d["lines"][0]["changeover"].update(matrix={"SL-500": {"LB-100": 2}}),
     "lines[0].changeover.matrix.SL-500: line 'L1' does not make 'SL-500'; it makes ['LB-100', 'LB-200']"),
    (lambda d: d["products"].append({"name": "LB-100"}),
     "products: product name 'LB-100' appears more than once"),
    (lambda d: d["lines"].append(copy.deepcopy(d["lines"][2])),
     "lines: line name 'L3' appears more than once"),
    (lambda d: d["lines"][1]["stations"].append(copy.deepcopy(d["lines"][1]["stations"][0])),
     "lines[1].stations: station name 'winding' appears more than once"),
    (lambda d: d["lines"][0]["stations"][0]["failures"].append(
        copy.deepcopy(d["lines"][0]["stations"][0]["failures"][0])),
     "lines[0].stations[0]: failure mode names must be unique within a station"),
    (lambda d: d["lines"][0].update(constraint="nope"),
     "lines[0].constraint: no station 'nope' on line 'L1'"),
])
def test_cross_references(baseline_data, mutate, expected):
    mutate(baseline_data)
    assert problems(baseline_data) == [expected]


def test_all_cross_reference_problems_reported_together(baseline_data):
    baseline_data["plan"]["L9"] = {"daily": [{"product": "LB-100", "quantity": 1}]}
    baseline_data["plan"]["L4"]["daily"][0]["product"] = "LB-100"
    station(baseline_data, 2, 1)["cycle_times"] = {"SL-500": 3}
    baseline_data["lines"][3]["changeover"]["matrix"] = {"SL-400": {"MD-300": 5}}
    baseline_data["lines"][4]["constraint"] = "missing"
    baseline_data["products"].append({"name": "MD-300"})
    found = problems(baseline_data)
    assert len(found) == 6, found
    assert {p.split(": ")[0] for p in found} == {
        "plan.L9", "plan.L4.daily[0].product", "lines[2].stations[1].cycle_times.SL-500",
        "lines[3].changeover.matrix.SL-400", "lines[4].constraint", "products"}


def test_too_many_station_cycles_is_refused(tiny_data):
    tiny_data["horizon"]["days"] = MAX_DAYS
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = 0.01
    tiny_data["lines"][0]["stations"][0]["servers"] = 100
    (p,) = problems(tiny_data)
    assert p.startswith("horizon.days: about ") and "station cycles" in p and "limit" in p


def test_the_baseline_over_the_longest_horizon_is_allowed(baseline_data):
    baseline_data["horizon"]["days"] = MAX_DAYS
    assert scenario_from_dict(baseline_data).horizon.days == MAX_DAYS


# ------------------------------------------------------------- non-finite numbers


@pytest.mark.parametrize("path, expected_path", [
    (("lines", 0, "stations", 0, "cycle_time"), "lines[0].stations[0].cycle_time"),
    (("lines", 0, "stations", 0, "cycle_time", "mean"), "lines[0].stations[0].cycle_time.mean"),
    (("lines", 0, "stations", 0, "ideal_cycle_time"), "lines[0].stations[0].ideal_cycle_time"),
    (("lines", 0, "stations", 0, "failures", 0, "ttf", "mean"), "lines[0].stations[0].failures[0].ttf.mean"),
    (("calendar", "overtime", "hours"), "calendar.overtime.hours"),
])
@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_infinite_and_nan_numbers_are_refused(baseline_data, path, expected_path, value):
    node = baseline_data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert problems(baseline_data) == [f"{expected_path}: must be a finite number, got {value}"]


def test_non_finite_numbers_reported_with_other_problems(baseline_data):
    station(baseline_data, 0, 0)["cycle_time"] = math.inf
    station(baseline_data, 1, 0)["buffer"] = -1
    assert problems(baseline_data) == [
        "lines[0].stations[0].cycle_time: must be a finite number, got inf",
        "lines[1].stations[0].buffer: must be >= 0, got -1",
    ]


# ----------------------------------------------------------------- validate_data


@pytest.mark.parametrize("data, expected", [
    (None, "is empty; expected a mapping of keys (name: ..., horizon: ...)"),
    ([1, 2], "top level must be a mapping of keys, got list"),
    ("text", "top level must be a mapping of keys, got str"),
    (3, "top level must be a mapping of keys, got int"),
])
def test_top_level_must_be_a_mapping(data, expected):
    with pytest.raises(ScenarioError) as e:
        validate_data(Scenario, data, "file.yaml")
    assert e.value.problems == [expected]
    assert str(e.value).startswith("file.yaml: 1 problem(s)")


def test_empty_mapping_lists_each_required_field():
    assert sorted(problems({})) == sorted(
        f"{k}: required field is missing" for k in ("name", "horizon", "products", "lines"))


# ------------------------------------------------------------- odd input, no crash


@pytest.mark.parametrize("tag", [["fixed"], {"a": 1}, 1, None])
def test_odd_distribution_tag_names_the_field(tiny_data, tag):
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = {"dist": tag, "value": 1}
    (p,) = problems(tiny_data)
    assert p.startswith("lines[0].stations[0].cycle_time: must be a number of minutes or a mapping")


def test_a_validator_type_error_is_still_a_scenario_error():
    """Safety net of validate_data: a validator choking on odd input with TypeError must
    not escape as a traceback from ``linesim validate``."""

    class Choking:
        @classmethod
        def model_validate(cls, data):
            raise TypeError("unhashable type: 'list'")

    with pytest.raises(ScenarioError) as e:
        validate_data(Choking, {"a": 1}, "x.yaml")  # type: ignore[type-var]
    assert e.value.problems == [
        "cannot be validated (unhashable type: 'list'); look for a list or mapping where a "
        "name or number is expected"]
