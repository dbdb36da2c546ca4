"""Changing a scenario by field path: ``horizon.days``, ``lines[L1].stations[laser].buffer``.

A path is dot-separated keys; ``[i]`` indexes a list by position (``[-1]``: the last) and
``[name]`` by the ``name`` of its items; on a mapping ``[key]`` is the key, for keys with a
dot (``cycle_times[v1.2]``). Changes are applied to the scenario's plain data and the result
is validated again, so a change can never produce an invalid scenario.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .load import ScenarioError, validate_data
from .model import Scenario

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def parse_path(path: str) -> list[str | int]:
    """Split ``a.b[2].c[name]`` into ``['a', 'b', 2, 'c', '[name]']``."""
    parts: list[str | int] = []
    pos = 0
    for m in _TOKEN.finditer(path):
        key, index = m.groups()
        # a key follows a '.' (except the first); a [..] follows directly: no 'a..b', '.a',
        # 'a.[0]' or 'a[0]b'
        expected = "." if key is not None and parts else ""
        if path[pos:m.start()] != expected:
            raise ValueError(f"bad field path {path!r} near position {pos}")
        if key is not None:
            parts.append(key)
        elif re.fullmatch(r"-?[0-9]+", index):  # [-1]: the last (names never start with '-')
            parts.append(int(index))
        else:
            parts.append(f"[{index}]")
        pos = m.end()
    if not parts or pos != len(path):
        raise ValueError(f"bad field path {path!r}")
    return parts


def _child(node: Any, part: str | int, path: str) -> tuple[Any, Any]:
    """(container, key) for ``part`` inside ``node``."""
    if isinstance(part, int):
        if not isinstance(node, list) or not -len(node) <= part < len(node):
            raise ValueError(f"{path}: index [{part}] is out of range")
        return node, part
    if part.startswith("["):
        name = part[1:-1]
        if isinstance(node, dict):
            return node, name
        if not isinstance(node, list):
            raise ValueError(f"{path}: [{name}] needs a list or a mapping")
        for i, item in enumerate(node):
            if isinstance(item, Mapping) and item.get("name") == name:
                return node, i
        names = [it.get("name") for it in node if isinstance(it, Mapping)]
        raise ValueError(f"{path}: no item named {name!r}; names: {names}")
    if not isinstance(node, dict):
        raise ValueError(f"{path}: {part!r} needs a mapping")
    return node, part


def set_value(data: dict, path: str, value: Any) -> None:
    """Set ``path`` to ``value`` in plain scenario data (in place)."""
    parts = parse_path(path)
    node: Any = data
    for part in parts[:-1]:
        container, key = _child(node, part, path)
        if isinstance(container, dict) and key not in container:
            container[key] = {}
        node = container[key]
    container, key = _child(node, parts[-1], path)
    container[key] = value


def get_value(data: Any, path: str) -> Any:
    """The value at ``path`` in plain scenario data."""
    node = data
    for part in parse_path(path):
        container, key = _child(node, part, path)
        if isinstance(container, dict) and key not in container:
            raise ValueError(f"{path}: no field {key!r}")
        node = container[key]
    return node


def scenario_data(scenario: Scenario) -> dict:
    """The scenario as plain JSON-compatible data (as it would be written in YAML)."""
    return scenario.model_dump(mode="json", by_alias=True)


def with_values(scenario: Scenario, values: Mapping[str, Any], source: str = "<changes>") -> Scenario:
    """A new scenario with each ``path: value`` of ``values`` set (``[*]`` sets every item),
    validated again."""
    data = scenario_data(scenario)
    problems = []
    for path, value in values.items():
        try:
            for concrete in expand_path(data, path):
                set_value(data, concrete, value)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ScenarioError(source, problems)
    return validate_data(Scenario, data, source)


def expand_path(data: Any, path: str) -> list[str]:
    """Concrete paths for ``path``, where ``[*]`` stands for every item of a list (by name
    when items have one, else by index) or every key of a mapping. Paths without ``[*]``
    come back as they are."""
    if "[*]" not in path:
        return [path]
    head, _, tail = path.partition("[*]")
    node = get_value(data, head) if head else data
    if isinstance(node, list):
        keys = [f"[{it['name']}]" if isinstance(it, Mapping) and "name" in it else f"[{i}]"
                for i, it in enumerate(node)]
    elif isinstance(node, dict):
        keys = [f"[{k}]" for k in node]
    else:
        raise ValueError(f"{path}: [*] needs a list or a mapping at {head!r}")
    out: list[str] = []
    for k in keys:
        out.extend(expand_path(data, head + k + tail))
    return out
