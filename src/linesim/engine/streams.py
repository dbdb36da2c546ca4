"""One random stream per purpose.

Every random source of a run (a station's cycle times, a failure mode's times to failure,
...) gets its own :class:`numpy.random.Generator`, seeded from the run's seed, the
replication number and a *stable* hash (BLAKE2b) of the source's name. Two runs with the
same seed draw the same numbers in any process; a change that does not touch a source
leaves that source's draws unchanged (common random numbers).

Standard variates are drawn in blocks (fast) and transformed by the distribution spec, so
a change of mean or spread also keeps a source's underlying random numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from ..scenario.distributions import DistSpec

BLOCK = 512


def seed_sequence(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """The SeedSequence of source ``name`` in replication ``replication`` of ``seed``."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence(
        entropy=[seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, replication, *words]
    )


class Stream:
    """Buffered standard variates from one named Generator."""

    __slots__ = ("name", "gen", "_u", "_ui", "_e", "_ei", "_n", "_ni")

    def __init__(self, seed: int, replication: int, name: str):
        self.name = name
        self.gen = np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, name)))
        self._u: list[float] = []
        self._e: list[float] = []
        self._n: list[float] = []
        self._ui = self._ei = self._ni = 0

    def uniform(self) -> float:
        """One U(0, 1) variate."""
        i = self._ui
        if i == len(self._u):
            self._u = self.gen.random(BLOCK).tolist()
            i = 0
        self._ui = i + 1
        return self._u[i]

    def exponential(self) -> float:
        """One standard exponential variate (mean 1)."""
        i = self._ei
        if i == len(self._e):
            self._e = self.gen.standard_exponential(BLOCK).tolist()
            i = 0
        self._ei = i + 1
        return self._e[i]

    def normal(self) -> float:
        """One standard normal variate."""
        i = self._ni
        if i == len(self._n):
            self._n = self.gen.standard_normal(BLOCK).tolist()
            i = 0
        self._ni = i + 1
        return self._n[i]


def sampler(dist: DistSpec, stream: Stream | None) -> Callable[[], float]:
    """A zero-argument function that draws one value of ``dist`` from ``stream``."""
    f = dist.transform()
    kind = dist.std_kind
    if kind == "none":
        value = f(0.0)
        return lambda: value
    assert stream is not None, "a random distribution needs a stream"
    draw = {"uniform": stream.uniform, "exponential": stream.exponential,
            "normal": stream.normal}[kind]
    if kind == "exponential":
        m = dist.mean
        return lambda: draw() * m
    return lambda: f(draw())


class Streams:
    """The named streams of one run, created on first use."""

    def __init__(self, seed: int, replication: int = 0):
        self.seed = seed
        self.replication = replication
        self._streams: dict[str, Stream] = {}

    def get(self, name: str) -> Stream:
        s = self._streams.get(name)
        if s is None:
            s = self._streams[name] = Stream(self.seed, self.replication, name)
        return s

    def sampler(self, dist: DistSpec, name: str) -> Callable[[], float]:
        """A sampler of ``dist`` on the stream ``name`` (no stream for fixed values)."""
        return sampler(dist, None if dist.is_deterministic else self.get(name))

    @property
    def names(self) -> list[str]:
        return sorted(self._streams)
