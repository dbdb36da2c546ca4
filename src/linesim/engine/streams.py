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
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from operator import mul

import numpy as np

from ..scenario.distributions import DistSpec

BLOCK = 512

#: every purpose of a random stream and what follows it in the stream's name; the names are
#: built here only (:func:`stream_name`), so one purpose per entity is one stream
PURPOSES: dict[str, str] = {
    "cycle": "line/station: processing times",
    "rework": "line/station: rework times",
    "changeover": "line/station, or line/'line' for line-wide changeovers: changeover times",
    "quality": "line/station: scrap and rework draws; line/source/arrival|resolution|batch: "
               "quality stoppages",
    "failure": "line/station/server/mode/ttf|ttr: times to failure and to repair",
    "absence": "operator: absent for the day",
    "leave": "operator: short absences (gaps), operator/duration: their lengths",
    "warehouse": "line/refill|kit: staging times of the line's kanban refills and kits",
    "defects": "line/part: incoming defective parts",
    "supplier": "supplier/part/lead|reliability|late: deliveries",
    "shop": "shop/lead: in-house shop lead times",
    "records": "part: warehouse record errors, part/size: their sizes",
}


def stream_name(purpose: str, *parts: object) -> str:
    """The name of the stream of ``purpose`` for the entity ``parts`` (joined by '/')."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown stream purpose {purpose!r}; known: {sorted(PURPOSES)}")
    return "/".join([purpose, *map(str, parts)])


def seed_sequence(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """The SeedSequence of source ``name`` in replication ``replication`` of ``seed``."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence(
        entropy=[seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, replication, *words]
    )


def _blocks(draw: Callable[[int], np.ndarray]) -> Iterator[float]:
    """Endless standard variates, drawn ``BLOCK`` at a time when the previous block is used
    up. A C-level iterator (``chain`` over lists): a draw resumes no Python frame, only a
    new block calls ``draw``."""
    return chain.from_iterable(map(np.ndarray.tolist, map(draw, repeat(BLOCK))))


class Stream:
    """Buffered standard variates from one named Generator.

    ``uniform()``, ``exponential()`` and ``normal()`` each return one U(0, 1), standard
    exponential or standard normal variate; each kind is drawn from the generator in blocks.
    """

    __slots__ = ("name", "gen", "_u", "_e", "_n", "uniform", "exponential", "normal")

    def __init__(self, seed: int, replication: int, name: str):
        self.name = name
        g = np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, name)))
        self.gen = g
        self._u = _blocks(g.random)
        self._e = _blocks(g.standard_exponential)
        self._n = _blocks(g.standard_normal)
        self.uniform = self._u.__next__
        self.exponential = self._e.__next__
        self.normal = self._n.__next__

    def variates(self, kind: str) -> Iterator[float]:
        """The iterator of standard variates of ``kind`` (uniform, exponential, normal)."""
        return {"uniform": self._u, "exponential": self._e, "normal": self._n}[kind]


def sampler(dist: DistSpec, stream: Stream | None) -> Callable[[], float]:
    """A zero-argument function that draws one value of ``dist`` from ``stream``.

    Built from C-level iterators (``map``/``repeat``) so a draw costs no Python frame."""
    kind = dist.std_kind
    if kind == "none":
        return repeat(dist.transform()(0.0)).__next__
    assert stream is not None, "a random distribution needs a stream"
    it = stream.variates(kind)
    if kind == "exponential":
        return map(mul, it, repeat(dist.mean)).__next__
    return map(dist.transform(), it).__next__


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
