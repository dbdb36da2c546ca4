"""Reading untrusted YAML files: bounded, safe, and every failure a clear ScenarioError."""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
from pathlib import Path

import pytest
import yaml

from linesim.scenario import ScenarioError, load_scenario, parse_yaml, read_yaml
from linesim.scenario import load as load_mod
from linesim.scenario.model import Station


def error_of(fn, *args) -> ScenarioError:
    with pytest.raises(ScenarioError) as e:
        fn(*args)
    assert e.value.problems and all(isinstance(p, str) and p for p in e.value.problems)
    return e.value


def test_load_scenario_from_path_or_str(baseline_path):
    a = load_scenario(baseline_path)
    b = load_scenario(str(baseline_path))
    assert a == b and a.name == "baseline"


def test_yaml_dates_and_times(tmp_path, baseline_path):
    data = read_yaml(baseline_path)
    assert data["horizon"]["start"] == dt.date(2023, 8, 1)  # YAML date, validated as a date
    assert data["calendar"]["shifts"][0]["start"] == "07:30"


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    e = error_of(load_scenario, missing)
    assert e.source == str(missing)
    assert e.problems == ["cannot read file: No such file or directory"]


def test_directory(tmp_path):
    e = error_of(load_scenario, tmp_path)
    assert e.problems == ["is a directory, expected a YAML file"]


def test_file_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(load_mod, "MAX_FILE_BYTES", 100)
    f = tmp_path / "big.yaml"
    f.write_text("name: " + "x" * 200)
    e = error_of(load_scenario, f)
    assert e.problems == ["file is 206 bytes; the limit is 100"]


def test_file_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(load_mod, "MAX_FILE_BYTES", 100)
    f = tmp_path / "ok.yaml"
    f.write_text("a: " + "x" * 97)
    assert read_yaml(f) == {"a": "x" * 97}


# an endless input (/dev/zero) is tested through the CLI, in a memory-capped subprocess:
# tests/cli/test_cli_validate.py::test_endless_input_subprocess


def test_not_utf8(tmp_path):
    f = tmp_path / "bin.yaml"
    f.write_bytes(b"name: \xff\xfe\n")
    (p,) = error_of(load_scenario, f).problems
    assert p.startswith("cannot read file as UTF-8 text:")


@pytest.mark.parametrize("text, expected", [
    ("a: &x 1\nb: *x\n", "YAML aliases (*name) are not allowed; write values out"),
    ("a: &x [1]\nb: {<<: *x}\n", "YAML aliases (*name) are not allowed; write values out"),
    ("a: 1\nb: 2\na: 3\n", "invalid YAML: line 3, column 1: duplicate key 'a' (first at line 1)"),
    ("s:\n  cycle_time: 1\n  buffer: 2\n  cycle_time: 3\n",
     "invalid YAML: line 4, column 3: duplicate key 'cycle_time' (first at line 2)"),
    ("a: !!python/object/apply:os.system ['true']\n",
     "invalid YAML: line 1, column 4: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system'"),
])
def test_bad_yaml(text, expected):
    e = error_of(parse_yaml, text, "s.yaml")
    assert e.problems == [expected]
    assert e.source == "s.yaml"


# the wording of syntax errors depends on whether PyYAML uses libyaml; the place does not
@pytest.mark.parametrize("text, where, words", [
    ("a: [1, 2\n", "line 2, column 1: ", ("expected ',' or ']'",)),
    ("a: 1\n b: 2\n", "line 2, column 3: ", ("mapping values are not allowed",)),
    ("a: 'open\n", "line 2, column 1: ", ("unexpected end of stream",)),
])
def test_yaml_syntax_errors_say_where(text, where, words):
    (p,) = error_of(parse_yaml, text).problems
    assert p.startswith(f"invalid YAML: {where}")
    assert all(w in p for w in words)


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail (instead of hanging) when the block runs longer than ``seconds`` (Unix)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(*_):
        raise TimeoutError(f"took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeoutError as exc:  # fail with a short message, not a huge interrupted traceback
        pytest.fail(str(exc), pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("depth", [5_000, 1_000_000])
def test_deep_nesting_is_refused_quickly(depth):
    if depth > 5_000 and not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("the pure-Python YAML parser is quadratic in nesting depth")
    with time_limit(5):
        (p,) = error_of(parse_yaml, "a: " + "[" * depth + "]" * depth).problems
    assert p.startswith("invalid YAML: ")
    assert "nest" in p  # "nested too deeply" / "exceeded maximum nesting depth"


def test_billion_laughs_is_refused_quickly():
    lol = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    assert error_of(parse_yaml, lol).problems == [
        "YAML aliases (*name) are not allowed; write values out"]


def test_yaml_keeps_plain_values():
    assert parse_yaml("a: 1\nb: [x, 2.5]\nc: {d: null}\n") == {"a": 1, "b": ["x", 2.5], "c": {"d": None}}
    assert parse_yaml("") is None
    assert parse_yaml("a: 1\nb: 1\n") == {"a": 1, "b": 1}  # equal values, distinct keys


@pytest.mark.parametrize("text, expected", [
    ("", "is empty; expected a mapping of keys (name: ..., horizon: ...)"),
    ("# only a comment\n", "is empty; expected a mapping of keys (name: ..., horizon: ...)"),
    ("- 1\n- 2\n", "top level must be a mapping of keys, got list"),
    ("just text\n", "top level must be a mapping of keys, got str"),
    ("42\n", "top level must be a mapping of keys, got int"),
])
def test_top_level_not_a_mapping(tmp_path, text, expected):
    f = tmp_path / "s.yaml"
    f.write_text(text)
    assert error_of(load_scenario, f).problems == [expected]


def test_file_problems_carry_the_file_name(tmp_path, baseline_path):
    text = Path(baseline_path).read_text().replace("days: 31", "days: 1000000000")
    text = text.replace("buffer: 4", "buffr: 4", 1)
    f = tmp_path / "s.yaml"
    f.write_text(text)
    e = error_of(load_scenario, f)
    assert str(e).startswith(f"{f}: 2 problem(s)\n")
    station_keys = ", ".join(f.alias or n for n, f in Station.model_fields.items())
    assert e.problems == [
        "horizon.days: must be <= 3660, got 1000000000",
        "lines[0].stations[0].buffr: unknown key 'buffr'; did you mean 'buffer'? (valid keys: "
        f"{station_keys})",
    ]


def test_yaml_inf_and_nan_are_refused(tmp_path, baseline_path):
    text = Path(baseline_path).read_text()
    text = text.replace("cycle_time: {dist: lognormal, mean: 1.30, spread: 0.20}", "cycle_time: .inf", 1)
    text = text.replace("ttf: {dist: exponential, mean: 300}", "ttf: {dist: exponential, mean: .nan}", 1)
    f = tmp_path / "s.yaml"
    f.write_text(text)
    assert error_of(load_scenario, f).problems == [
        "lines[0].stations[0].failures[0].ttf.mean: must be a finite number, got nan",
        "lines[0].stations[5].cycle_time: must be a finite number, got inf",
    ]

