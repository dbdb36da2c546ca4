"""The scenario is validated into immutable, typed objects."""

from __future__ import annotations

import datetime as dt

import pydantic
import pytest

import linesim
from linesim.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from linesim.scenario.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Lognormal,
    Normal,
    Triangular,
    Uniform,
)
from linesim.scenario.model import Line, Station


def test_baseline_loads_into_typed_objects(baseline_path):
    sc = load_scenario(baseline_path)
    assert isinstance(sc, Scenario)
    assert sc.name == "baseline"
    assert sc.horizon.start == dt.date(2023, 8, 1) and sc.horizon.days == 31
    assert [ln.name for ln in sc.lines] == ["L1", "L2", "L3", "L4", "L5"]
    assert isinstance(sc.lines, tuple) and isinstance(sc.lines[0].stations, tuple)
    assert all(isinstance(ln, Line) for ln in sc.lines)
    st = sc.lines[0].stations[0]
    assert isinstance(st, Station) and st.name == "winding"
    assert isinstance(st.cycle_time, Lognormal) and st.cycle_time.mean == pytest.approx(1.90)
    assert st.failures[0].ttf.mean == 300 and st.failures[0].clock == "operating"
    assert sc.calendar.shifts[0].length_min == 630
    assert sc.plan["L3"].daily[0].product == "MD-300"


def test_public_api_exports_scenario_layer():
    assert linesim.Scenario is Scenario
    assert linesim.ScenarioError is ScenarioError
    assert linesim.scenario_from_dict is scenario_from_dict
    assert issubclass(ScenarioError, ValueError)


@pytest.mark.parametrize("setter", [
    lambda sc: setattr(sc, "name", "other"),
    lambda sc: setattr(sc.horizon, "days", 3),
    lambda sc: setattr(sc.lines[0], "name", "X"),
    lambda sc: setattr(sc.lines[0].stations[0], "buffer", 99),
    lambda sc: setattr(sc.lines[0].stations[0].cycle_time, "spread", 0.0),
    lambda sc: setattr(sc.calendar.shifts[0], "start", "06:00"),
])
def test_scenario_objects_are_frozen(baseline_path, setter):
    sc = load_scenario(baseline_path)
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        setter(sc)


def test_sequences_are_tuples(baseline_path):
    sc = load_scenario(baseline_path)
    with pytest.raises((TypeError, AttributeError)):
        sc.lines[0].stations.append(sc.lines[0].stations[0])  # type: ignore[attr-defined]
    assert isinstance(sc.products, tuple) and isinstance(sc.calendar.workdays, tuple)


@pytest.mark.parametrize("mutate", [
    lambda sc: sc.plan.__setitem__("L9", sc.plan["L1"]),
    lambda sc: sc.plan.pop("L1"),
    lambda sc: sc.plan.update(L9=sc.plan["L1"]),
    lambda sc: sc.plan.clear(),
    lambda sc: sc.lines[0].stations[0].cycle_times.__setitem__("LB-200", Fixed(value=1)),
    lambda sc: sc.lines[0].changeover.matrix.setdefault("LB-100", {}),
    lambda sc: sc.plan["L1"].dates.__setitem__(dt.date(2023, 8, 2), ()),
])
def test_mapping_fields_are_immutable_too(tiny_data, mutate):
    tiny_data["lines"][0]["stations"][0]["cycle_times"] = {"B": 2}
    tiny_data["lines"][0]["changeover"] = {"matrix": {"A": {"B": 5}}}
    tiny_data["plan"]["L1"]["dates"] = {"2023-08-03": []}
    sc = scenario_from_dict(tiny_data)
    before = sc.model_dump()
    with pytest.raises(TypeError):
        mutate(sc)
    assert sc.model_dump() == before


def test_scenarios_are_hashable_and_equal_by_value(baseline_path):
    a, b = load_scenario(baseline_path), load_scenario(baseline_path)
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1


def test_unknown_keys_and_missing_fields_are_errors(tiny_data):
    tiny_data["lines"][0]["stations"][0]["cycle_tme"] = 2
    del tiny_data["horizon"]["start"]
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(tiny_data)
    station_keys = ", ".join(f.alias or n for n, f in Station.model_fields.items())
    assert station_keys.startswith("name, servers, cycle_time, cycle_times, ")
    assert sorted(e.value.problems) == [
        "horizon.start: required field is missing",
        "lines[0].stations[0].cycle_tme: unknown key 'cycle_tme'; did you mean 'cycle_time'? "
        f"(valid keys: {station_keys})",
    ]


@pytest.mark.parametrize("spec, cls, mean", [
    (1.5, Fixed, 1.5),
    (2, Fixed, 2.0),
    (0, Fixed, 0.0),
    ({"dist": "fixed", "value": 3}, Fixed, 3.0),
    ({"dist": "exponential", "mean": 4}, Exponential, 4.0),
    ({"dist": "normal", "mean": 5, "spread": 1}, Normal, 5.0),
    ({"dist": "lognormal", "mean": 6, "spread": 2}, Lognormal, 6.0),
    ({"dist": "uniform", "mean": 7, "spread": 7}, Uniform, 7.0),
    ({"dist": "triangular", "mean": 8, "spread": 1}, Triangular, 8.0),
    ({"dist": "empirical", "samples": [1, 2, 6]}, Empirical, 3.0),
])
def test_distribution_specs(tiny_data, spec, cls, mean):
    tiny_data["lines"][0]["stations"][0]["rework_time"] = spec
    tiny_data["lines"][0]["changeover"] = {"default": spec, "matrix": {"A": {"B": spec}}}
    sc = scenario_from_dict(tiny_data)
    st = sc.lines[0].stations[0]
    for d in (st.rework_time, sc.lines[0].changeover.default, sc.lines[0].changeover.time("A", "B")):
        assert type(d) is cls
        assert d.mean == pytest.approx(mean)


def test_bare_number_cycle_time_is_fixed(tiny_data):
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = 1.5
    tiny_data["lines"][0]["stations"][0]["cycle_times"] = {"B": 2}
    st = scenario_from_dict(tiny_data).lines[0].stations[0]
    assert st.cycle_time == Fixed(value=1.5)
    assert st.cycle_for("A") == Fixed(value=1.5) and st.cycle_for("B") == Fixed(value=2.0)
    assert st.ideal_for("A") == 1.5 and st.ideal_for("B") == 2.0


@pytest.mark.parametrize("bad", [True, False, None, "1.5", [1.5], {"value": 1.5}])
def test_non_numbers_are_not_fixed_distributions(tiny_data, bad):
    tiny_data["lines"][0]["stations"][0]["cycle_time"] = bad
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(tiny_data)
    assert e.value.problems == [
        "lines[0].stations[0].cycle_time: must be a number of minutes or a mapping with "
        "'dist' one of: fixed, exponential, normal, lognormal, uniform, triangular, "
        f"empirical, gamma, weibull, got {bad!r}"]


def test_defaults_are_filled(tiny_data):
    sc = scenario_from_dict(tiny_data)
    assert sc.seed == 0 and sc.description == ""
    assert sc.calendar.workdays == ("mon", "tue", "wed", "thu", "fri", "sat")
    assert sc.calendar.overtime.mode == "none"
    assert sc.lines[0].changeover.default == Fixed(value=0.0)
    st = sc.lines[0].stations[1]
    assert (st.servers, st.buffer, st.scrap_rate, st.rework_rate, st.failures) == (1, 0, 0.0, 0.0, ())


def test_times_of_day_are_normalised(tiny_data):
    tiny_data["calendar"] = {"shifts": [{"start": "7:05", "end": "24:00"}]}
    sc = scenario_from_dict(tiny_data)
    assert (sc.calendar.shifts[0].start, sc.calendar.shifts[0].end) == ("07:05", "24:00")
    assert sc.calendar.shifts[0].length_min == 16 * 60 + 55


def test_constraint_index(tiny_data):
    sc = scenario_from_dict(tiny_data)
    assert sc.lines[0].constraint_index() == 0  # s1 (1.0 min) is slower than s2 (0.8)
    tiny_data["lines"][0]["constraint"] = "s2"
    assert scenario_from_dict(tiny_data).lines[0].constraint_index() == 1


def test_line_lookup(tiny_data):
    sc = scenario_from_dict(tiny_data)
    assert sc.line("L1") is sc.lines[0]
    with pytest.raises(KeyError):
        sc.line("L2")


# ------------------------------------------- defaults of distribution fields are distributions


def _models_and_dist_fields():
    """(model, field name) of every distribution-typed field reachable from Scenario."""
    import typing

    from pydantic import BaseModel

    from linesim.scenario.distributions import _DistBase

    def walk(tp, seen):
        for arg in (tp, *typing.get_args(tp)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                if arg not in seen and not issubclass(arg, _DistBase):
                    seen.add(arg)
                    for f in arg.model_fields.values():
                        walk(f.annotation, seen)
            elif typing.get_args(arg) and arg is not tp:
                walk(arg, seen)
        return seen

    def is_dist(tp) -> bool:
        return any(isinstance(a, type) and issubclass(a, _DistBase) for a in typing.get_args(tp)) or any(
            is_dist(a) for a in typing.get_args(tp) if typing.get_args(a))

    out = []
    for model in sorted(walk(Scenario, set()), key=lambda m: m.__name__):
        for name, f in model.model_fields.items():
            if is_dist(f.annotation):
                out.append(pytest.param(model, name, id=f"{model.__name__}.{name}"))
    return out


#: known offenders in files this suite's author may not edit (remove once fixed)
_BARE_DEFAULTS: set[str] = set()


@pytest.mark.parametrize("model, field", [
    pytest.param(*p.values, id=p.id, marks=pytest.mark.xfail(strict=True, reason=(
        "scenario/workforce.py: `duration: Dist = 10.0` - pydantic does not validate "
        "defaults, so the default stays a float: simulate() with a workforce and default "
        "short absences crashes (AttributeError: 'float' object has no attribute "
        "'is_deterministic') and `linesim schema` warns. Use Fixed(value=10.0).")))
    if p.id in _BARE_DEFAULTS else p
    for p in _models_and_dist_fields()
])
def test_distribution_field_defaults_are_distributions(model, field):
    from pydantic_core import PydanticUndefined

    from linesim.scenario.distributions import _DistBase

    default = model.model_fields[field].default
    assert default is PydanticUndefined or default is None or isinstance(default, _DistBase), (
        f"{model.__name__}.{field} defaults to {default!r}, not a distribution: write "
        f"Fixed(value={default!r})")
