"""Distribution specifications: validated data that knows its mean and how to sample.

Every duration in a scenario (cycle times, times to failure and to repair, changeovers) is
one of these specs, in **minutes**. A plain number in YAML is shorthand for ``fixed``.

Sampling is done by the engine through :meth:`Dist.sampler`, which turns a stream of
*standard* variates (uniforms, standard exponentials or standard normals, drawn in blocks
from the source's own numpy Generator) into values. Because the spec only transforms
standard variates, changing a mean or spread keeps the underlying random numbers of that
source the same (common random numbers across what-if variants).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, Union

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from .base import no_bool_numbers

#: Largest spread / mean of a lognormal: beyond it nearly every value is ~0 and a rare one
#: is astronomically large (and (spread/mean)^2 overflows a float near 1e154)
MAX_LOGNORMAL_CV = 100.0

#: The standard variate each distribution draws from; the engine fills blocks of these.
StdKind = Literal["none", "uniform", "exponential", "normal"]


def _dist_required(schema: dict) -> None:
    """In the JSON schema ``dist`` is required (only a bare number may leave it out)."""
    req = schema.setdefault("required", [])
    if "dist" not in req:
        req.insert(0, "dist")


class _DistBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_dist_required)

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, data: Any) -> Any:
        return no_bool_numbers(cls, data)

    #: which standard variate the distribution consumes
    std_kind: ClassVar[StdKind] = "none"

    @property
    def mean(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def transform(self) -> Callable[[float], float]:
        """Return a function mapping one standard variate to one value (minutes)."""
        raise NotImplementedError  # pragma: no cover - overridden

    @property
    def is_deterministic(self) -> bool:
        return self.std_kind == "none"


class Fixed(_DistBase):
    """Always ``value`` minutes."""

    dist: Literal["fixed"] = "fixed"
    value: float = Field(ge=0, description="the constant value, minutes")

    @property
    def mean(self) -> float:
        return self.value

    def transform(self) -> Callable[[float], float]:
        v = self.value
        return lambda _z: v


class Exponential(_DistBase):
    """Exponential with the given mean (minutes)."""

    dist: Literal["exponential"] = "exponential"
    mean_: float = Field(gt=0, alias="mean", description="mean, minutes")
    std_kind: ClassVar[StdKind] = "exponential"

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              json_schema_extra=_dist_required)

    @property
    def mean(self) -> float:
        return self.mean_

    def transform(self) -> Callable[[float], float]:
        m = self.mean_
        return lambda z: z * m


class _MeanSpread(_DistBase):
    mean_: float = Field(gt=0, alias="mean", description="mean, minutes")
    spread: float = Field(ge=0, description="spread, minutes (see the distribution)")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              json_schema_extra=_dist_required)

    @property
    def mean(self) -> float:
        return self.mean_


class Normal(_MeanSpread):
    """Normal with ``mean`` and standard deviation ``spread``; values below 0 become 0."""

    dist: Literal["normal"] = "normal"
    std_kind: ClassVar[StdKind] = "normal"

    def transform(self) -> Callable[[float], float]:
        m, s = self.mean_, self.spread
        return lambda z: max(m + s * z, 0.0)


class Lognormal(_MeanSpread):
    """Lognormal whose own mean is ``mean`` and own standard deviation is ``spread`` (at
    most :data:`MAX_LOGNORMAL_CV` times the mean)."""

    dist: Literal["lognormal"] = "lognormal"
    std_kind: ClassVar[StdKind] = "normal"

    @model_validator(mode="after")
    def _spread(self) -> "Lognormal":
        if self.spread > MAX_LOGNORMAL_CV * self.mean_:
            raise ValueError(f"spread ({self.spread:g}) must be at most {MAX_LOGNORMAL_CV} x "
                             f"mean ({self.mean_:g}) for a lognormal")
        return self

    def transform(self) -> Callable[[float], float]:
        m, s = self.mean_, self.spread
        sigma2 = math.log1p((s / m) ** 2)
        mu = math.log(m) - sigma2 / 2
        sigma = math.sqrt(sigma2)
        exp = math.exp
        return lambda z: exp(mu + sigma * z)


class _Bounded(_MeanSpread):
    @model_validator(mode="after")
    def _non_negative(self) -> "_Bounded":
        if self.spread > self.mean_:
            raise ValueError(
                f"spread must be <= mean so values stay >= 0, got mean {self.mean_} "
                f"and spread {self.spread}"
            )
        return self


class Uniform(_Bounded):
    """Uniform on [mean - spread, mean + spread]."""

    dist: Literal["uniform"] = "uniform"
    std_kind: ClassVar[StdKind] = "uniform"

    def transform(self) -> Callable[[float], float]:
        lo, width = self.mean_ - self.spread, 2 * self.spread
        return lambda u: lo + width * u


class Triangular(_Bounded):
    """Symmetric triangular on [mean - spread, mean + spread] with its mode at the mean."""

    dist: Literal["triangular"] = "triangular"
    std_kind: ClassVar[StdKind] = "uniform"

    def transform(self) -> Callable[[float], float]:
        m, s = self.mean_, self.spread
        sqrt = math.sqrt

        def tri(u: float) -> float:
            if u < 0.5:
                return m - s + s * sqrt(2 * u)
            return m + s - s * sqrt(2 * (1 - u))

        return tri


class Empirical(_DistBase):
    """Draws one of the observed ``samples`` (minutes) with equal probability."""

    dist: Literal["empirical"] = "empirical"
    samples: tuple[Annotated[float, Field(ge=0)], ...] = Field(
        min_length=1, max_length=100_000, description="observed values, minutes"
    )
    std_kind: ClassVar[StdKind] = "uniform"

    @property
    def mean(self) -> float:
        return float(np.mean(self.samples))

    def transform(self) -> Callable[[float], float]:
        s = self.samples
        n = len(s)
        return lambda u: s[min(int(u * n), n - 1)]


DIST_TYPES: dict[str, type[_DistBase]] = {
    "fixed": Fixed,
    "exponential": Exponential,
    "normal": Normal,
    "lognormal": Lognormal,
    "uniform": Uniform,
    "triangular": Triangular,
    "empirical": Empirical,
}


def _dist_tag(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "fixed"
    if isinstance(value, dict):
        d = value.get("dist")
        return d if isinstance(d, str) and d in DIST_TYPES else None
    if isinstance(value, _DistBase):
        return value.dist  # type: ignore[attr-defined]
    return None


def _number_to_fixed(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


class _Coerce:
    """A before-validator that turns a bare number into ``{dist: fixed, value: x}``."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_number_to_fixed, handler(source))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        inner = handler(schema)
        return {"anyOf": [{"type": "number", "minimum": 0, "description": "fixed minutes"},
                          inner]}


#: A duration distribution in minutes: a number (fixed) or a mapping with ``dist:``.
Dist = Annotated[
    Union[
        Annotated[Fixed, Tag("fixed")],
        Annotated[Exponential, Tag("exponential")],
        Annotated[Normal, Tag("normal")],
        Annotated[Lognormal, Tag("lognormal")],
        Annotated[Uniform, Tag("uniform")],
        Annotated[Triangular, Tag("triangular")],
        Annotated[Empirical, Tag("empirical")],
    ],
    Discriminator(
        _dist_tag,
        custom_error_type="invalid_distribution",
        custom_error_message=(
            "must be a number of minutes or a mapping with 'dist' one of: "
            + ", ".join(DIST_TYPES)
        ),
    ),
    _Coerce,
]

DistSpec = Union[Fixed, Exponential, Normal, Lognormal, Uniform, Triangular, Empirical]
