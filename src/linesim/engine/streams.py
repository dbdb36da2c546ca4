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
from array import array
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from operator import mul

import numpy as np

from ..scenario.distributions import DistSpec

#: the size of a stream's blocks of standard variates, after its first, smaller ones: small
#: blocks keep the memory of a large plant's thousands of streams small (issue 16: 50 lines
#: held 2,800 streams' blocks of 512 floats, most of a 50 MB heap; a block costs about
#: 1.3 us of numpy overhead, about 20 ns a draw at 64)
BLOCK = 64
FIRST_BLOCKS: tuple[int, ...] = (8, 16, 32)

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


def _sizes() -> Iterator[int]:
    """The sizes of a stream's successive blocks: :data:`FIRST_BLOCKS` then ``BLOCK``."""
    return chain([n for n in FIRST_BLOCKS if n < BLOCK], repeat(BLOCK))


def _blocks(draw: Callable[[int], np.ndarray]) -> Iterator[float]:
    """Endless standard variates, drawn a block at a time (:func:`_sizes`) when the previous
    block is used up. A C-level iterator (``chain`` over the blocks as ``array('d')``): a
    draw resumes no Python frame, only a new block calls ``draw``. A draw makes its float
    from the block's packed doubles (the value ``tolist`` gives): in a large plant a block's
    64 float objects made in advance were scattered over memory and cold by the time they
    were used (a cache miss a draw), 8 packed doubles share a cache line (an array's
    iterator reads less memory than a memoryview's). The block sizes do not change the
    numbers of a stream that draws one kind only (each purpose draws one; ``tests/golden``
    checks): they are consecutive draws of the generator in any blocks."""
    return chain.from_iterable(map(array, repeat("d"), map(np.ndarray.tobytes,
                                                           map(draw, _sizes()))))


#: a kind of standard variate -> the Generator method that draws it
KINDS = {"uniform": "random", "exponential": "standard_exponential",
         "normal": "standard_normal"}


class Stream:
    """Buffered standard variates from one named Generator.

    ``uniform()``, ``exponential()`` and ``normal()`` each return one U(0, 1), standard
    exponential or standard normal variate; each kind is drawn from the generator in blocks.
    A kind's iterator is made on first use (most streams draw one kind only).
    """

    __slots__ = ("name", "gen", "uniform", "exponential", "normal")

    def __init__(self, seed: int, replication: int, name: str):
        self.name = name
        self.gen = np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, name)))

    def __getattr__(self, kind: str) -> Callable[[], float]:
        """``uniform``, ``exponential`` or ``normal`` on first use (an unset slot): the
        ``__next__`` of the kind's block iterator, kept in the slot from then on."""
        method = KINDS.get(kind)
        if method is None:
            raise AttributeError(f"'Stream' object has no attribute {kind!r}")
        draw = _blocks(getattr(self.gen, method)).__next__
        setattr(self, kind, draw)
        return draw

    def variates(self, kind: str) -> Iterator[float]:
        """The iterator of standard variates of ``kind`` (uniform, exponential, normal)."""
        if kind not in KINDS:
            raise KeyError(kind)
        return getattr(self, kind).__self__


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
