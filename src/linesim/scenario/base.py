"""Building blocks of the scenario schema: immutable models, names, mappings, times."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\- ]*$",
        description="a name: letters, digits, '_', '.', '-', spaces; starts with a letter or digit",
    ),
]


class FrozenDict(dict):
    """A dict that cannot be changed after validation, hashable, picklable: the mapping
    fields of an immutable scenario."""

    def _readonly(self, *args, **kwargs):
        raise TypeError("scenario mappings are immutable; use linesim.scenario.patch")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]
    __ior__ = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> "FrozenDict":
        return self

    def __deepcopy__(self, memo: dict) -> "FrozenDict":
        return self


K = TypeVar("K")
V = TypeVar("V")
#: an immutable mapping field
FrozenMap = Annotated[dict[K, V], AfterValidator(FrozenDict)]


def parse_hhmm(value: str) -> str:
    try:
        hh, mm = value.split(":")
        h, m = int(hh), int(mm)
    except (ValueError, AttributeError):
        raise ValueError(f"must be a time of day 'HH:MM', got {value!r}") from None
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m != 0):
        raise ValueError(f"must be a time of day between 00:00 and 24:00, got {value!r}")
    return f"{h:02d}:{m:02d}"


TimeOfDay = Annotated[str, AfterValidator(parse_hhmm)]


def minutes_of(hhmm: str) -> int:
    """Minutes after midnight of an ``HH:MM`` string."""
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _is_number(tp: Any) -> bool:
    """True for a field type ``int`` or ``float`` (optional or annotated), not ``bool``."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = typing.get_args(tp)
        return bool not in members and any(_is_number(m) for m in members)
    return tp in (int, float)


def no_bool_numbers(model: type[BaseModel], data: Any) -> Any:
    """``data`` with true/false in a number field replaced by the text ``'true'``/``'false'``,
    so that validation reports it at the field ("must be a whole number, got 'true'")
    instead of reading true as 1 (``days: true`` would be one day)."""
    if not isinstance(data, dict):
        return data
    bad = {}
    for name, f in model.model_fields.items():
        for key in {name, f.alias or name}:
            if isinstance(data.get(key), bool) and _is_number(f.annotation):
                bad[key] = str(data[key]).lower()
    return {**data, **bad} if bad else data


class Frozen(BaseModel):
    """Base of every scenario object: immutable, unknown keys forbidden, true/false never
    taken for a number."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, data: Any) -> Any:
        return no_bool_numbers(cls, data)
