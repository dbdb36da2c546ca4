"""Walking the field types of a pydantic model along an error's location: which type a
path segment leads to, the members of a union, the keys of a model. Used to word
validation errors and to set field problems aside."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _members(tp: Any) -> list[Any]:
    """The members of a (possibly annotated, optional, nested) union; ``[tp]`` otherwise.
    ``Dist | None`` is a union whose member is the annotated ``Dist`` union: flatten it, so
    that ``rework_time`` paths drop the distribution tag like ``cycle_time`` paths do."""
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) if a is not type(None) for m in _members(a)]
    return [tp]


def _is_sequence(tp: Any) -> bool:
    return any(typing.get_origin(m) in (tuple, list) for m in _members(tp))


def _step(tp: Any, seg: Any) -> tuple[Any, bool]:
    """The type reached from ``tp`` through loc segment ``seg``; True if seg is a union tag."""
    members = _members(tp)
    if isinstance(seg, str):
        for m in members:
            if isinstance(m, type) and issubclass(m, BaseModel) and len(members) > 1:
                f = m.model_fields.get("dist")
                if f is not None and f.default == seg:
                    return m, True
    for m in members:
        if isinstance(m, type) and issubclass(m, BaseModel):
            for name, f in m.model_fields.items():
                if seg in (name, f.alias):
                    return f.annotation, False
            return None, False
        origin = typing.get_origin(m)
        args = typing.get_args(m)
        if origin in (tuple, list) and args:
            return args[0], False
        if origin is dict and len(args) == 2:
            return args[1], False
    return None, False


def _fields_of(tp: Any) -> list[str]:
    for m in _members(tp):
        if isinstance(m, type) and issubclass(m, BaseModel):
            return [f.alias or n for n, f in m.model_fields.items()]
    return []
