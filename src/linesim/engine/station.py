"""Stations: a station's samplers, buffers, counters and servers (see
:mod:`linesim.engine.server` for what a server does)."""

from __future__ import annotations

from simpy import Event

from ..scenario.model import Station
from .buffer import Buffer
from .context import Build
from .links import LineLink
from .server import Server
from .states import BLOCKED
from .streams import stream_name

class StationRuntime:
    """Runtime data of one station: samplers, buffers and counters.

    Built before the line's plan exists: servers find the plan through their line when
    their process starts."""

    __slots__ = ("_order_waiters", "_taken", "changeover", "consume", "cycle", "done",
                 "ideal", "idx", "inbuf", "line", "name", "outbuf", "quality", "rework",
                 "rework_rate", "reworked", "scrap_rate", "scrapped", "servers", "spec")

    def __init__(self, line: LineLink, idx: int, spec: Station, build: Build,
                 inbuf: Buffer | None, outbuf: Buffer | None):
        streams = build.streams
        self.line = line
        self.idx = idx
        self.spec = spec
        self.name = spec.name
        self.inbuf = inbuf
        self.outbuf = outbuf
        key = (line.name, spec.name)
        products = line.spec.products
        self.cycle = {p: streams.sampler(spec.cycle_for(p), stream_name("cycle", *key))
                      for p in products}
        self.ideal = {p: spec.ideal_for(p) for p in products}
        self.rework = {
            p: self._counted(streams.sampler(spec.rework_time or spec.cycle_for(p),
                                             stream_name("rework", *key)))
            for p in products
        }
        co = line.spec.changeover
        self.changeover = {
            (a, b): streams.sampler(co.time(a, b), stream_name("changeover", *key))
            for a in products for b in products if a != b
        }
        self.scrap_rate = spec.scrap_rate
        self.rework_rate = spec.rework_rate
        self.quality = (streams.get(stream_name("quality", *key)).uniform
                        if spec.scrap_rate > 0 or spec.rework_rate > 0 else None)
        self.done = 0
        self.scrapped = 0
        self.reworked = 0  # units sent to rework here (first pass)
        #: product -> [(line-side stock, parts per unit)] taken here (see :meth:`consumes`)
        self.consume: dict[str, list] = {}
        self.servers = [Server(self, k) for k in range(spec.servers)]
        self._taken = 0  # units taken by the servers (their order, parallel servers)
        self._order_waiters: list[Event] = []  # servers waiting to keep product order
        build.recorder.register(self.reset, self.flush)

    def _counted(self, sampler):
        """``sampler`` of rework times that counts the units sent to rework (one draw each)."""
        def draw() -> float:
            self.reworked += 1
            return sampler()
        return draw

    def consumes(self, product: str, stock, qty: int) -> None:
        """Each unit of ``product`` takes ``qty`` parts from ``stock`` (a line-side stock of
        the materials) here, before its changeover and processing."""
        self.consume.setdefault(product, []).append((stock, qty))

    def take_seq(self) -> int:
        """The number of the unit a server takes now (in the order units are taken)."""
        self._taken += 1
        return self._taken

    def in_order(self, server: Server, unit):
        """No overtaking across a product change at parallel servers (``yield from``):
        ``server`` hands ``unit`` on only after every unit of another product that a
        sibling took earlier has been handed on (it is blocked meanwhile), so that the next
        station sees one product change, not several."""
        product, seq = unit.product, server.seq
        while any(s.held is not None and s.seq < seq and s.held.product != product
                  for s in self.servers):
            server.set_activity(BLOCKED)
            ev = Event(self.line.env)
            self._order_waiters.append(ev)
            yield ev

    def let_go(self, server: Server) -> None:
        """The unit in ``server``'s hand has left it: siblings waiting to keep product
        order look again."""
        if server.held is not None:
            server.held = None
            if self._order_waiters:
                waiters, self._order_waiters = self._order_waiters, []
                for ev in waiters:
                    ev.succeed()

    def flush(self) -> None:
        """Charge every server's open state interval up to now."""
        for s in self.servers:
            s.flush()

    def reset(self) -> None:
        """Forget the counts and state times so far (end of the warm-up)."""
        self.done = 0
        self.scrapped = 0
        self.reworked = 0
        for s in self.servers:
            s.reset()
