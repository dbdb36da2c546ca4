"""Untrusted YAML -> a validated :class:`Scenario`, with errors a colleague can act on.

Every problem is reported at once as ``field.path[2].name: what is wrong, got X``; unknown
keys suggest the closest valid key. YAML is loaded with ``safe_load``, files are bounded in
size and YAML aliases are refused (no "billion laughs").
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .base import parse_hhmm
from .fieldtypes import _fields_of, _is_sequence, _members, _step
from .model import Scenario
from .partial import later_problems

MAX_FILE_BYTES = 5_000_000
MAX_ALIASES = 0
#: problems listed in one error at most (the rest are counted)
MAX_PROBLEMS = 50

M = TypeVar("M", bound=BaseModel)


class ScenarioError(ValueError):
    """A scenario (or countermeasure, sweep) file that cannot be used.

    ``problems`` lists one line per problem, each naming the field path."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        #: how many problems there were; ``problems`` keeps the first :data:`MAX_PROBLEMS`
        self.total = len(problems)
        self.problems = list(problems[:MAX_PROBLEMS])
        more = self.total - len(self.problems)
        tail = [f"... and {more} more problem(s); fix these first"] if more else []
        super().__init__(f"{source}: {self.total} problem(s)\n" + "\n".join(
            f"  {p}" for p in self.problems + tail))


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file safely: size-bounded, no aliases, no arbitrary objects."""
    p = Path(path)
    src = str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ScenarioError(src, [f"cannot read file: {exc.strerror}"]) from None
    if p.is_dir():
        raise ScenarioError(src, ["is a directory, expected a YAML file"])
    if not p.is_file():  # a named pipe or device would block or never end
        raise ScenarioError(src, ["is not a regular file (a pipe, device or socket); "
                                  "give a YAML file"])
    if size > MAX_FILE_BYTES:
        raise ScenarioError(src, [f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"])
    try:
        # bounded read: a device or pipe (/dev/zero, <(...)) reports size 0 but never ends
        with p.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(src, [f"cannot read file: {exc.strerror or exc}"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(src, [f"file is more than {MAX_FILE_BYTES} bytes; the limit is "
                                  f"{MAX_FILE_BYTES}"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(src, [f"cannot read file as UTF-8 text: {exc}"]) from None
    return parse_yaml(text, src)


#: libyaml's safe loader when PyYAML has it: linear time and a nesting limit, where the pure
#: Python parser takes quadratic time on deeply nested flow collections ("[[[[...").
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """``SafeLoader`` that refuses a key repeated in one mapping (YAML forbids it; PyYAML
    would silently keep the last value, hiding a typo such as two ``cycle_time:`` lines)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, Any] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # unhashable key: let SafeLoader report it
                continue
            if first is not key_node:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"duplicate key {key!r} (first at line {first.start_mark.line + 1})",
                    key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text safely (see :func:`read_yaml`)."""
    try:
        aliases = sum(isinstance(ev, yaml.AliasEvent) for ev in yaml.parse(text, Loader=_SafeLoader))
        if aliases > MAX_ALIASES:
            raise ScenarioError(source, ["YAML aliases (*name) are not allowed; write values out"])
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except RecursionError:
        raise ScenarioError(source, ["invalid YAML: lists or mappings nested too deeply"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(source, [f"invalid YAML: {where}{problem}"]) from None


def validate_data(model: type[M], data: Any, source: str = "<data>") -> M:
    """Validate plain data into ``model``, raising :class:`ScenarioError` with every problem."""
    if data is None:
        raise ScenarioError(source, ["is empty; expected a mapping of keys (name: ..., horizon: ...)"])
    if not isinstance(data, Mapping):
        raise ScenarioError(source, [f"top level must be a mapping of keys, got {type(data).__name__}"])
    bad_numbers = _non_finite(data)
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        problems = format_errors(model, exc)
        if len(problems) < MAX_PROBLEMS:
            shown = set(problems)
            problems += [p for p in later_problems(model, data, exc) if p not in shown]
    except TypeError as exc:  # a validator that choked on odd input, e.g. ``dist: [fixed]``
        raise ScenarioError(source, [
            f"cannot be validated ({exc}); look for a list or mapping where a name or number "
            "is expected"]) from None
    else:
        if not bad_numbers:
            return result
        problems = []
    # a field already reported as a non-finite number is not reported a second time
    problems = [p for p in problems if not any(
        p.startswith(path) and p[len(path):len(path) + 1] in (":", ".", "[")
        for path in bad_numbers)]
    raise ScenarioError(source, [f"{path}: must be a finite number, got {value}"
                                 for path, value in bad_numbers.items()] + problems)


def _non_finite(data: Any) -> dict[str, float]:
    """Field paths of every infinite or NaN number in plain data (YAML ``.inf``, ``.nan``):
    never a meaningful duration, rate or count, and they would turn KPIs into NaN."""
    out: dict[str, float] = {}
    stack: list[tuple[str, Any]] = [("", data)]  # iterative: any nesting depth is fine
    while stack:
        path, node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            out[path or "<value>"] = node
        elif isinstance(node, Mapping):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in node.items())
        elif isinstance(node, (list, tuple)):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))
    return dict(sorted(out.items()))


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario YAML file (see :class:`Scenario`).

    A top-level ``plan_file`` (CSV or Excel ``plan`` records, relative to the YAML file)
    gives the scenario's plan instead of a ``plan`` mapping; every bad row of it is
    reported with file, row and column."""
    data = read_yaml(path)
    if isinstance(data, Mapping) and "plan_file" in data:
        data = _with_plan_file(dict(data), Path(path))
    return validate_data(Scenario, data, str(path))


def _with_plan_file(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Scenario data whose ``plan_file`` is replaced by the plan read from that file."""
    from ..records.errors import RecordsError  # pandas only for a scenario with a plan file
    from ..records.plan import plan_data
    from ..records.tables import read_table
    source, ref = str(path), data.pop("plan_file")
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError(source, [f"plan_file: must be the name of a CSV or Excel file "
                                     f"(relative to {path.name}), got {_show(ref)}"])
    if "plan" in data:
        raise ScenarioError(source, ["plan_file: give either plan or plan_file, not both"])
    base = validate_data(Scenario, data, source)
    try:
        data["plan"] = plan_data(read_table(path.parent / ref, "plan"), base)
    except RecordsError as exc:
        raise ScenarioError(source, [f"plan_file: {p}" for p in exc.problems]) from None
    return data


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:
    """Validate a scenario given as a dict (for notebooks and tests)."""
    return validate_data(Scenario, dict(data), "<dict>")


# ----------------------------------------------------------------------------- messages

def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_errors(model: type[BaseModel], exc: ValidationError) -> list[str]:
    """Turn pydantic errors into ``path: message`` lines (one per problem)."""
    lines: list[str] = []
    errors = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in errors]
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(len(o) > len(loc) and o[:len(loc)] == loc for o in locs):
            continue  # a list whose items failed also looks "too short": say only the cause
        if len(lines) >= MAX_PROBLEMS:  # counted, not shown: skip the cost of the message
            lines.append("(not shown)")
            continue
        tp: Any = model
        parts: list[str] = []
        parent = model
        bad_key = False
        for seg in err["loc"]:
            if seg == "[key]":  # pydantic's marker: the mapping key itself is invalid
                bad_key = True
                continue
            parent = tp
            in_sequence = tp is not None and _is_sequence(tp)
            tp, is_tag = _step(tp, seg) if tp is not None else (None, False)
            if is_tag:
                continue
            if isinstance(seg, int) and in_sequence:
                parts.append(f"[{seg}]")
            else:
                parts.append(("." if parts else "") + str(seg))
        path = "".join(parts)
        msg = _message(err, parent)
        if bad_key:
            msg = f"invalid key: {msg}"
        if not path:
            lines.extend(msg.splitlines())
        else:
            lines.append(f"{path}: {msg}")
    return lines


def _type_message(what: str, err: Mapping[str, Any], parent: Any) -> str:
    """``what`` (e.g. "must be a whole number") with the value given, and a hint for the two
    YAML traps: true/false where a number is expected, an unquoted time read as a number."""
    kind, got = err["type"], err.get("input")
    if kind in ("int_parsing", "float_parsing") and got in ("true", "false"):
        return f"{what}, got {got} (true/false is not a number)"
    if kind == "string_type" and isinstance(got, int) and _is_time(err, parent):
        h, m = divmod(got, 60)  # YAML 1.1 reads an unquoted 14:30 as 14 * 60 + 30
        return (f"must be a time 'HH:MM' in quotes, got {got}: YAML reads an unquoted "
                f"{h}:{m:02d} as a number; write '{h:02d}:{m:02d}'")
    return f"{what}, got {_show(got)}"


def _is_time(err: Mapping[str, Any], parent: Any) -> bool:
    """True if the error is at a time-of-day field (``HH:MM``) of ``parent``."""
    key = err["loc"][-1] if err["loc"] else None
    for m in _members(parent):
        if isinstance(m, type) and issubclass(m, BaseModel) and key in m.model_fields:
            return any(getattr(v, "func", None) is parse_hhmm
                       for v in m.model_fields[key].metadata)
    return False


def _message(err: Mapping[str, Any], parent: Any) -> str:
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        valid = _fields_of(parent)
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown key {key!r}{hint} (valid keys: {', '.join(valid)})"
    if kind == "missing":
        return "required field is missing"
    bounds = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
              "less_than_equal": "<="}
    if kind in bounds:
        limit = next(iter(ctx.values()))
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # "must be > 0", not "must be > 0.0"
        return f"must be {bounds[kind]} {limit}, got {_show(got)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, got {_show(got)}"
    if kind == "string_pattern_mismatch":
        return f"must be a name of letters, digits, '_', '.', '-' or spaces, got {_show(got)}"
    if kind in ("too_short", "too_long"):
        word = "at least" if kind == "too_short" else "at most"
        n = ctx.get("min_length", ctx.get("max_length"))
        return f"must have {word} {n} item(s), got {ctx.get('actual_length')}"
    if kind in ("string_too_short", "string_too_long"):
        word, n = (("at least", ctx.get("min_length")) if kind == "string_too_short"
                   else ("at most", ctx.get("max_length")))
        return f"must have {word} {n} character(s), got {_show(got)}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    plain = {
        "tuple_type": "must be a list", "list_type": "must be a list",
        "dict_type": "must be a mapping of keys", "model_type": "must be a mapping of keys",
        "model_attributes_type": "must be a mapping of keys",
        "int_type": "must be a whole number", "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_type": "must be a number", "float_parsing": "must be a number",
        "string_type": "must be a text string",
        "invalid_key": "keys must be text",
    }
    if kind in plain:
        return _type_message(plain[kind], err, parent)
    if kind.startswith(("date_", "datetime_")):
        return f"must be a date YYYY-MM-DD, got {_show(got)}"
    msg = err["msg"]
    msg = msg[0].lower() + msg[1:] if msg else kind
    return f"{msg}, got {_show(got)}"
