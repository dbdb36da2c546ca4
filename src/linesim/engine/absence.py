"""Short absences (leaving the post for a while) and the section rule.

Every present operator leaves the post now and then (``short_absence``: exponential gaps of
working time, a sampled duration). A section lets at most ``max_away`` of the people running
its posts (regular operators or relievers) be away at once: one more waits until somebody comes back. With ``cover_units`` set, an
operator also waits until the post is covered: a free reliever skilled for it, or at least
``cover_units`` units in the buffer after the station (re-checked every
:data:`RECHECK_MINUTES` of working time), but for at most ``cover_wait_minutes``: then the
operator leaves anyway (if ``max_away`` allows). The absence's duration is drawn when the operator
leaves, from the operator's own stream, so the rule never re-sequences the draws.
"""

from __future__ import annotations

from simpy import Event, Timeout

from ..scenario.workforce import ShortAbsence
from .people import Person, Staff
from .streams import Streams, stream_name

#: how often (working minutes) an operator waiting for cover looks again
RECHECK_MINUTES = 1.0


def start_short_absences(rt: Staff, sa: ShortAbsence, streams: Streams) -> None:
    """Start every person's short-absence process (none when the rate is 0)."""
    if sa.rate_per_hour <= 0:
        return
    for p in rt.people:
        gap = streams.get(stream_name("leave", p.name)).exponential
        dur = streams.sampler(sa.duration, stream_name("leave", p.name, "duration"))
        rt.env.process(_short_absences(rt, p, gap, 60.0 / sa.rate_per_hour, dur))


def covered(rt: Staff, p: Person) -> bool:
    """Whether ``p`` may leave under the section's cover rule: a free reliever can take the
    post, or the buffer after it holds at least ``cover_units`` units."""
    server = p.at
    sec = rt.section_of.get(server.post)
    if sec is None or sec.cover_units is None:
        return True
    if rt.pick(server.post) is not None:
        return True
    outbuf = server.st.outbuf
    return outbuf is not None and len(outbuf) >= sec.cover_units


def _short_absences(rt: Staff, p: Person, gap, mean_gap: float, duration):
    env = rt.env
    line = rt.line_of[p.home] if p.home else next(iter(rt.line_of.values()))
    while True:
        yield from line.wait_worked(gap() * mean_gap)
        if p.absent or p.away or p.at is None:
            continue
        # the section of the post the person runs now (a reliever counts where it works)
        sec = rt.section_of.get(p.at.post) if rt.section_of else None
        waited = 0.0  # working minutes waited for cover
        while True:
            while sec is not None and sec.away >= sec.max_away:
                ev = Event(env)
                sec.waiters.append(ev)
                yield ev
            if p.absent or p.at is None or covered(rt, p) or waited >= sec.cover_wait:
                break
            yield from line.wait_worked(RECHECK_MINUTES)
            waited += RECHECK_MINUTES
            if p.absent or p.at is None:
                break
        if p.absent or p.at is None:
            continue
        p.away = True
        if sec is not None:
            sec.away += 1
        covered_for = p.covering
        server = rt.left_post(p)
        yield Timeout(env, duration())
        p.away = False
        if sec is not None:
            sec.away -= 1
            waiters, sec.waiters = sec.waiters, []
            for ev in waiters:
                ev.succeed()
        rt.come_back(p, server, covered_for)
