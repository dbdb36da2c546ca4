"""Cross-reference problems of a file that also has field problems, so that every problem
is reported at once: the field problems are set aside (an unknown key dropped, a bad value
with a default given its default) and the whole file validated again. If a field problem
cannot be set aside (a bad required value) only the field problems are reported."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from .fieldtypes import _members, _step


def _default(tp: Any, key: Any) -> tuple[bool, Any]:
    """(True, default) of field ``key`` of the model ``tp``; (False, None) if it has none."""
    for m in _members(tp):
        if isinstance(m, type) and issubclass(m, BaseModel):
            for name, f in m.model_fields.items():
                if key in (name, f.alias):
                    if f.default_factory is not None:
                        return True, f.default_factory()
                    return (f.default is not PydanticUndefined), f.default
    return False, None


def _set_aside(model: type[BaseModel], data: Any, loc: tuple, kind: str) -> bool:
    """Drop the unknown key or reset the bad value at ``loc`` in ``data``; False if not
    possible."""
    if not loc or "[key]" in loc:
        return False
    node, tp = data, model
    for seg in loc[:-1]:
        tp = _step(tp, seg)[0] if tp is not None else None
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and -len(node) <= seg < len(node):
            node = node[seg]
        elif not isinstance(seg, str):  # a string not in the data is a union tag
            return False
    last = loc[-1]
    if not isinstance(node, dict) or last not in node:
        return False
    if kind == "extra_forbidden":
        del node[last]
        return True
    found, default = _default(tp, last)
    if found:
        node[last] = default
    return found


def later_problems(model: type[BaseModel], data: Any, exc: ValidationError) -> list[str]:
    """The whole-model problems (cross-references) that ``data`` would have once its field
    problems ``exc`` are set aside, as ``path: message`` lines; [] if they cannot be."""
    fixed = copy.deepcopy(data)
    for err in exc.errors(include_url=False):
        if not _set_aside(model, fixed, tuple(err["loc"]), err["type"]):
            return []
    try:
        model.model_validate(fixed)
    except ValidationError as again:
        errors = again.errors(include_url=False)
        if any(e["loc"] or e["type"] != "value_error" for e in errors):
            return []  # still a field problem: the first report stands alone
        return [line for e in errors for line in str(e["ctx"]["error"]).splitlines()]
    except (TypeError, ValueError, RecursionError):
        return []
    return []
