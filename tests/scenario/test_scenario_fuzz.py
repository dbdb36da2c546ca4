"""Hypothesis fuzzing of the scenario layer.

1. Random mutations of a (richer) baseline: validation either returns a Scenario or raises a
   ScenarioError whose problems are one-line ``field.path: message`` strings - never any
   other exception, never a distribution tag in a path.
2. Random small valid scenarios simulate, and the run's books balance: time in state per
   station sums to the measured horizon, and units started = good + scrapped + WIP change.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linesim
from linesim.engine import STATES
from linesim.scenario import Scenario, ScenarioError
from linesim.scenario.distributions import DIST_TYPES
from linesim.scenario.load import read_yaml
from linesim.scenario.patch import get_value, parse_path, with_values

BASELINE = read_yaml(Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml")

# the baseline plus the optional fields it leaves out, so that mutations reach them too
RICH = copy.deepcopy(BASELINE)
RICH["calendar"]["holidays"] = ["2023-08-15"]
RICH["calendar"]["overtime"] = {"mode": "until_plan", "max_hours": 2}
_st0 = RICH["lines"][0]["stations"][0]
_st0["rework_time"] = {"dist": "triangular", "mean": 3, "spread": 1}
_st0["cycle_times"] = {"LB-200": {"dist": "uniform", "mean": 2.1, "spread": 0.2}}
_st0["ideal_cycle_time"] = 1.8
_st0["failures"].append({"name": "jam", "ttf": 400, "ttr": {"dist": "empirical", "samples": [2, 4, 9]},
                         "clock": "working"})
RICH["lines"][0]["changeover"]["matrix"] = {"LB-100": {"LB-200": {"dist": "normal", "mean": 20, "spread": 5}}}
RICH["lines"][0]["constraint"] = "final assembly"
RICH["plan"]["L1"]["dates"] = {"2023-08-05": [{"product": "LB-200", "quantity": 100}]}
RICH["horizon"]["warmup_days"] = 1


def _paths(node, prefix=()):
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


PATHS = _paths(RICH)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "abc", "-1", "1e3", "12:00", "2023-02-30", "x" * 200, "L1", "LB-100"]),
    st.text(max_size=10),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["name", "dist", "mean", "spread", "value", "x"]), inner, max_size=3),
), max_leaves=6)
UNKNOWN_KEYS = st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True)


def _locate(data, path):
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]]
    return node, path[-1]


def _mutate(data, draw) -> None:
    path = draw(st.sampled_from(PATHS))
    try:
        parent, key = _locate(data, path)
    except (KeyError, IndexError, TypeError):
        return
    old = parent[key]
    op = draw(st.sampled_from(["delete", "negate", "string", "unknown_key", "value", "zero",
                               "huge", "nonfinite", "empty", "wrap", "duplicate"]))
    if op == "delete":
        del parent[key]
    elif op == "negate":
        parent[key] = -abs(old) if isinstance(old, (int, float)) and not isinstance(old, bool) else -1
    elif op == "string":
        parent[key] = draw(st.sampled_from(["abc", "", "1.5", "none", "fast"]))
    elif op == "unknown_key":
        target = old if isinstance(old, dict) else parent if isinstance(parent, dict) else None
        if target is not None:
            target[draw(UNKNOWN_KEYS)] = draw(SCALARS)
    elif op == "value":
        parent[key] = draw(VALUES)
    elif op == "zero":
        parent[key] = 0
    elif op == "huge":
        parent[key] = draw(st.sampled_from([10**9, 10**30, 1e300, 2**63]))
    elif op == "nonfinite":
        parent[key] = draw(st.sampled_from([math.inf, -math.inf, math.nan]))
    elif op == "empty":
        parent[key] = draw(st.sampled_from([[], {}, None]))
    elif op == "wrap":
        parent[key] = [old]
    elif op == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(old))


def check_problems(exc: ScenarioError) -> None:
    assert isinstance(exc.problems, list) and exc.problems
    for p in exc.problems:
        assert isinstance(p, str) and p.strip(), p
        assert "\n" not in p and "Traceback" not in p, p
        assert "errors.pydantic.dev" not in p and "Value error," not in p, p
        path, sep, msg = p.partition(": ")
        assert sep and msg.strip(), f"problem without 'path: message': {p!r}"
        segments = parse_path(path)  # every problem starts with a well-formed field path
        assert not any(s in DIST_TYPES for s in segments if isinstance(s, str)), (
            f"distribution tag in the path of {p!r}")
    assert str(exc).startswith(f"{exc.source}: {len(exc.problems)} problem(s)")


def test_rich_baseline_is_valid():
    sc = linesim.scenario_from_dict(RICH)
    assert sc.lines[0].stations[0].rework_time.mean == 3
    assert len(PATHS) > 500


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_scenarios_validate_or_explain(data):
    d = copy.deepcopy(RICH)
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(d, data.draw)
    try:
        sc = linesim.scenario_from_dict(d)
    except ScenarioError as exc:
        check_problems(exc)
    else:
        assert isinstance(sc, Scenario)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "horizon", "products", "lines", "plan",
                                        "calendar", "seed", "bogus"]), VALUES, max_size=6))
def test_random_documents_validate_or_explain(doc):
    try:
        linesim.scenario_from_dict(doc)
    except ScenarioError as exc:
        check_problems(exc)


def _dotted(path) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else ("." if out else "") + str(k)
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=3))
def test_with_values_validates_or_explains(changes):
    base = linesim.scenario_from_dict(RICH)
    values = {_dotted(p): v for p, v in changes}
    try:
        new = with_values(base, values)
    except ScenarioError as exc:
        assert exc.source == "<changes>" and exc.problems
        assert all(isinstance(p, str) and p.strip() and "\n" not in p for p in exc.problems)
    else:
        assert isinstance(new, Scenario)
        assert linesim.scenario_from_dict(RICH) == base  # the original is untouched


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ab0-1.[] _", max_size=12))
def test_parse_path_never_crashes(path):
    try:
        parts = parse_path(path)
    except ValueError as exc:
        assert "bad field path" in str(exc)
    else:
        assert parts and all(isinstance(p, (str, int)) and p != "" for p in parts)
        try:
            get_value({"a": [{"name": "b", "0": 1}], "b": {"a": 2}}, path)
        except ValueError as exc:
            assert str(exc).startswith(path)


# ------------------------------------------------------------ random valid scenarios


def _dist(mean_lo: float, mean_hi: float):
    mean = st.floats(mean_lo, mean_hi)
    return st.one_of(
        mean,
        mean.map(lambda m: {"dist": "fixed", "value": m}),
        mean.map(lambda m: {"dist": "exponential", "mean": m}),
        st.tuples(st.sampled_from(["normal", "lognormal"]), mean, st.floats(0, 1)).map(
            lambda t: {"dist": t[0], "mean": t[1], "spread": t[1] * t[2]}),
        st.tuples(st.sampled_from(["uniform", "triangular"]), mean, st.floats(0, 1)).map(
            lambda t: {"dist": t[0], "mean": t[1], "spread": t[1] * t[2]}),
        st.lists(mean, min_size=1, max_size=5).map(lambda s: {"dist": "empirical", "samples": s}),
    )


CALENDARS = [
    None,  # the default: mon-sat, 08:00-18:00
    {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
     "shifts": [{"name": "a", "start": "06:00", "end": "14:00"},
                {"name": "b", "start": "14:00", "end": "22:00"}],
     "breaks": [{"start": "12:00", "end": "12:30"}]},
    {"shifts": [{"name": "night", "start": "22:00", "end": "06:00"}]},
    {"shifts": [{"start": "07:00", "end": "15:00"}], "overtime": {"mode": "until_plan", "max_hours": 3}},
    {"shifts": [{"start": "07:00", "end": "15:00"}], "overtime": {"mode": "fixed", "hours": 1.5}},
    {"workdays": ["tue"], "shifts": [{"start": "00:00", "end": "24:00"}]},
]


@st.composite
def small_scenarios(draw):
    products = ["A", "B"]
    lines, plan = [], {}
    for j in range(draw(st.integers(1, 2))):
        made = draw(st.lists(st.sampled_from(products), min_size=1, max_size=2, unique=True))
        stations = []
        for k in range(draw(st.integers(1, 3))):
            s = {"name": f"s{k}", "cycle_time": draw(_dist(0.5, 3)),
                 "servers": draw(st.integers(1, 2)), "buffer": draw(st.integers(0, 3))}
            if draw(st.booleans()):
                s["failures"] = [{"ttf": {"dist": "exponential", "mean": draw(st.floats(20, 300))},
                                  "ttr": draw(_dist(1, 20)),
                                  "clock": draw(st.sampled_from(["calendar", "working", "operating"]))}]
            s["scrap_rate"] = draw(st.sampled_from([0, 0.02, 0.2]))
            s["rework_rate"] = draw(st.sampled_from([0, 0.05]))
            if len(made) > 1 and draw(st.booleans()):
                s["cycle_times"] = {made[1]: draw(_dist(0.5, 3))}
            stations.append(s)
        line = {"name": f"L{j}", "products": made, "stations": stations,
                "changeover": {"default": draw(st.one_of(st.just(0), _dist(0.1, 10)))}}
        lines.append(line)
        if draw(st.booleans()):
            plan[f"L{j}"] = {"daily": [{"product": p, "quantity": draw(st.integers(1, 400))}
                                       for p in made]}
    days = draw(st.integers(1, 2))
    sc = {"name": "fuzz", "horizon": {"start": draw(st.sampled_from(
              ["2023-07-31", "2023-08-04", "2023-08-05", "2023-08-06"])),
              "days": days, "warmup_days": draw(st.sampled_from([0, 0.25, 0.5]))},
          "products": [{"name": p} for p in products], "lines": lines, "plan": plan}
    cal = draw(st.sampled_from(CALENDARS))
    if cal is not None:
        sc["calendar"] = cal
    return sc


@settings(max_examples=40, deadline=None)
@given(small_scenarios(), st.integers(0, 2**32))
def test_small_scenarios_simulate_and_balance(data, seed):
    sc = linesim.scenario_from_dict(data)  # a generated valid scenario must validate
    res = linesim.simulate(sc, seed)
    rec = res.record
    span = rec.end - rec.start
    assert span == pytest.approx((sc.horizon.days - sc.horizon.warmup_days) * 1440)

    states = res.states
    assert set(states["state"]) <= set(STATES)
    assert (states["minutes"] >= -1e-9).all()
    per_station = states.groupby(["line", "station"], sort=False)["minutes"].sum()
    assert len(per_station) == sum(len(ln.stations) for ln in sc.lines)
    for (line, station), minutes in per_station.items():
        assert minutes == pytest.approx(span, rel=1e-9, abs=1e-6), (line, station)
    shares = states.groupby(["line", "station"])["share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0)

    assert [ln.name for ln in rec.lines] == [ln.name for ln in sc.lines]
    for ln in rec.lines:
        assert min(ln.started, ln.good, ln.scrapped, ln.wip_start, ln.wip_end) >= 0
        assert ln.started == ln.good + ln.scrapped + ln.wip_end - ln.wip_start, ln.name
        assert ln.scrapped == sum(s.scrapped for s in ln.stations)
    assert res.kpis["units"] == sum(ln.good for ln in rec.lines)
