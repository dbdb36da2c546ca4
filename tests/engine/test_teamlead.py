"""People levers: idle operators moved by team leads, floaters' hand-over, the section
rule in full, the efficiency incentive. Known answers and traces."""

from __future__ import annotations

import pytest
from helpers import check_invariants

import linesim

DAY = 1440.0


def line(workforce: dict, n: int = 2, cycle: float = 1.0, buffer: int = 3, days: int = 1,
         shift: tuple[str, str] = ("00:00", "24:00")):
    data = {
        "name": "people", "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": shift[0], "end": shift[1]}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": [
            {"name": f"s{i}", "cycle_time": cycle, "buffer": buffer} for i in range(n)]}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}},
        "workforce": workforce,
    }
    return linesim.scenario_from_dict(data)


def one_operator_two_posts(rebalance, skills=("L/s1",)):
    return {"operators": [{"name": "a", "post": "L/s0", "skills": list(skills)}],
            **({"rebalance": rebalance} if rebalance is not None else {})}


@pytest.mark.parametrize(("walk", "idle"), [(2.0, 0.0), (2.0, 3.0), (5.0, 1.0)])
def test_an_idle_operator_with_the_skill_runs_the_post_nobody_holds(walk, idle):
    """One operator for two stations (cycle 1 min, buffer C = 3 between them): s0 fills
    the buffer until blocked, the operator waits ``idle`` minutes (the lead's threshold),
    walks ``walk`` minutes to s1 and empties it until starved, waits and walks back. Each
    round moves C + 2 = 5 units in 5 + 5 + 2 (walk + idle) minutes, so a day of 1,440
    minutes makes 1,440 x 5 / (10 + 2 (walk + idle)) units; nobody moving makes none."""
    rebalance = {"walk_minutes": walk, "idle_minutes": idle}
    none = linesim.simulate(line(one_operator_two_posts(None)), 1)
    assert none.kpis["units"] == 0
    unskilled = linesim.simulate(line(one_operator_two_posts(rebalance, ())), 1)
    assert unskilled.kpis["units"] == 0
    res = linesim.simulate(line(one_operator_two_posts(rebalance)), 1)
    # within one round's 5 units: the day may end in the middle of a round
    assert res.kpis["units"] == pytest.approx(DAY * 5 / (10 + 2 * (walk + idle)), abs=5)
    check_invariants(res)
    # s1 has nobody while the operator walks there and back and works s0 (5 + 2 walk +
    # idle a round); idle at s1 (starved) for the lead's threshold
    st = res.states.set_index(["station", "state"])["minutes"]
    rounds = res.kpis["units"] / 5
    assert st["s1", "no_operator"] == pytest.approx(rounds * (5 + 2 * walk + idle), rel=0.02)
    assert st.get(("s1", "starved"), 0.0) == pytest.approx(rounds * idle, rel=0.02, abs=1)


def _intervals(events, station: str, state: str):
    """(start, end) of every stay of ``station`` (server 0) in ``state``."""
    out, since = [], None
    for t, _line, st, _k, name in events:
        if st != station:
            continue
        if name == state and since is None:
            since = t
        elif name != state and since is not None:
            out.append((since, t))
            since = None
    return out


def test_trace_a_team_lead_move_takes_the_walking_time():
    walk = 3.5
    sc = line(one_operator_two_posts({"walk_minutes": walk, "review_minutes": 0,
                                      "idle_minutes": 0}))
    ev = linesim.simulate(sc, 1, event_log=True).record.events
    left = next(t for t, _l, st, _k, name in ev if st == "s0" and name == "no_operator")
    started = next(t for t, _l, st, _k, name in ev if st == "s1" and name == "working")
    assert started - left == pytest.approx(walk)


def test_trace_a_floater_takes_over_after_the_hand_over_time():
    handover = 3.0
    wf = {"operators": [{"name": "a", "post": "L/s0"}, {"name": "b", "post": "L/s1"}],
          "floaters": [{"name": "F", "skills": ["L/s0"], "handover_minutes": handover,
                        "efficiency": 0.8}],
          "short_absence": {"rate_per_hour": 1.0, "duration": 20.0}}
    res = linesim.simulate(line(wf, days=2), 3, event_log=True)
    # zero-length stays are the instants a reliever hands back; longer ones than the
    # hand-over are the floater's own absences while covering
    gaps = [b - a for a, b in _intervals(res.record.events, "s0", "no_operator") if b > a]
    assert sum(g == pytest.approx(handover) for g in gaps) > 10
    assert min(gaps) == pytest.approx(handover)
    check_invariants(res)


def _most_away(events, stations: set[str]) -> int:
    """Most stations of ``stations`` without operator at once (stays of no length, the
    instants people change places, left out)."""
    marks = []
    for station in stations:
        for a, b in _intervals(events, station, "no_operator"):
            if b > a:
                marks += [(a, 1), (b, -1)]
    now = most = 0
    for _t, step in sorted(marks):  # an end sorts before a start at the same time
        now += step
        most = max(most, now)
    return most


@pytest.mark.parametrize("max_away", [1, 2])
def test_the_section_rule_never_lets_one_more_away(max_away):
    """Five operators who leave their post twice an hour for 15 minutes would often be
    away three or four at once; a section of all five lets at most max_away go (long run:
    30 days round the clock)."""
    n = 5
    ops = [{"name": f"o{i}", "post": f"L/s{i}"} for i in range(n)]
    sa = {"rate_per_hour": 2.0, "duration": 15.0}
    free = linesim.simulate(line({"operators": ops, "short_absence": sa}, n=n, cycle=5.0,
                                 days=30), 2, event_log=True)
    stations = {f"s{i}" for i in range(n)}
    assert _most_away(free.record.events, stations) > max_away
    wf = {"operators": ops, "short_absence": sa,
          "sections": [{"name": "all", "posts": [f"L/s{i}" for i in range(n)],
                        "max_away": max_away}]}
    res = linesim.simulate(line(wf, n=n, cycle=5.0, days=30), 2, event_log=True)
    assert _most_away(res.record.events, stations) == max_away
    check_invariants(res)


def test_cover_rule_keeps_people_at_uncovered_posts():
    """With cover_units and no reliever, nobody leaves a post whose next buffer cannot
    hold that many units (buffers of 0) or the last post: no minute without operator."""
    n = 3
    ops = [{"name": f"o{i}", "post": f"L/s{i}"} for i in range(n)]
    wf = {"operators": ops, "short_absence": {"rate_per_hour": 2.0, "duration": 15.0},
          "sections": [{"name": "all", "posts": [f"L/s{i}" for i in range(n)],
                        "max_away": 3, "cover_units": 1, "cover_wait_minutes": 1440}]}
    res = linesim.simulate(line(wf, n=n, buffer=0, days=1), 1)
    st = res.states.set_index(["station", "state"])["minutes"]
    assert st.xs("no_operator", level="state").sum() == 0
    steady = linesim.simulate(line({"operators": ops}, n=n, buffer=0, days=1), 1)
    assert res.kpis["units"] == steady.kpis["units"]


def test_cover_rule_waits_at_most_cover_wait_minutes():
    """One operator, no buffer after, no reliever: every absence (fixed 15 minutes) is put
    off by exactly the 20 minutes of cover_wait_minutes (the next gap starts on return)."""
    wf = {"operators": [{"name": "o", "post": "L/s0"}],
          "short_absence": {"rate_per_hour": 1.0, "duration": 15.0},
          "sections": [{"name": "one", "posts": ["L/s0"], "max_away": 1, "cover_units": 1,
                        "cover_wait_minutes": 20}]}
    res = linesim.simulate(line(wf, n=1, days=2), 1, event_log=True)
    gaps = [b - a for a, b in _intervals(res.record.events, "s0", "no_operator") if b > a]
    assert len(gaps) > 10 and gaps == pytest.approx([15.0] * len(gaps))
    free = {**wf, "sections": []}
    plain = linesim.simulate(line(free, n=1, days=2), 1, event_log=True)
    plain_gaps = [b - a for a, b in _intervals(plain.record.events, "s0", "no_operator")
                  if b > a]
    # the same draws, each absence 20 minutes later: fewer absences fit in the run
    assert len(gaps) < len(plain_gaps)


def test_cover_rule_lets_people_go_with_a_reliever():
    n = 2
    ops = [{"name": f"o{i}", "post": f"L/s{i}"} for i in range(n)]
    wf = {"operators": ops, "short_absence": {"rate_per_hour": 1.0, "duration": 15.0},
          "floaters": [{"name": "F", "skills": ["L/s1"]}],
          "sections": [{"name": "all", "posts": ["L/s0", "L/s1"], "max_away": 2,
                        "cover_units": 1, "cover_wait_minutes": 1440}]}
    res = linesim.simulate(line(wf, n=n, buffer=0, days=1), 1)
    st = res.states.set_index(["station", "state"])["minutes"]
    assert st.xs("no_operator", level="state").sum() == 0
    # s1's operator does leave (covered by F at standard pace: no loss); s0's never does,
    # nor F while covering s1 (the rule holds for whoever runs the post)
    steady = linesim.simulate(line({"operators": ops}, n=n, buffer=0, days=1), 1)
    assert res.kpis["units"] == steady.kpis["units"]


@pytest.mark.parametrize(("gain", "cap", "units"), [(0.1, 1.0, 540), (0.1, 0.85, 510),
                                                    (0.0, 1.0, 480)])
def test_efficiency_incentive_shifts_every_efficiency(gain, cap, units):
    wf = {"operators": [{"name": "a", "post": "L/s0", "efficiency": 0.8}],
          "efficiency_incentive": {"gain": gain, "cap": cap}}
    res = linesim.simulate(line(wf, n=1, shift=("08:00", "18:00")), 1)
    assert res.kpis["units"] == units


def test_levers_off_leave_results_unchanged():
    wf = {"operators": [{"name": "a", "post": "L/s0"}, {"name": "b", "post": "L/s1"}],
          "short_absence": {"rate_per_hour": 0.5, "duration": 10.0}}
    plain = linesim.simulate(line(wf, days=2), 5)
    wf2 = {**wf, "floaters": [], "sections": []}
    assert linesim.simulate(line(wf2, days=2), 5).kpis == plain.kpis


PEOPLE_MEASURES = ("multi-skill", "relief-pool", "team-leads", "section-rule",
                   "efficiency-incentive")


@pytest.mark.slow
def test_people_countermeasures_keep_the_invariants_on_the_baseline():
    """Every people lever at once on the shipped plant: every minute one state, the
    waterfall adds up, units are conserved; and the levers do what they say."""
    from helpers import ROOT

    from linesim.scenario.countermeasure import apply, load_countermeasure
    base = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    measures = [load_countermeasure(ROOT / "scenarios" / "countermeasures" / f"{m}.yaml")
                for m in PEOPLE_MEASURES]
    res = linesim.simulate(apply(base, measures), 3)
    check_invariants(res)
    plain = linesim.simulate(base, 3)
    assert res.losses["speed"] < plain.losses["speed"]  # the incentive
    assert res.losses["no_operator"] < plain.losses["no_operator"]  # relief and moves


def test_levers_draw_no_random_numbers_of_their_own():
    """Common random numbers: team leads, hand-over, cover rule and incentive use the
    streams the plant already had, so each source's draws stay the same."""
    wf = {"operators": [{"name": "a", "post": "L/s0", "skills": ["L/s1"]},
                        {"name": "b", "post": "L/s1"}],
          "short_absence": {"rate_per_hour": 0.5, "duration": 10.0}}
    plain = linesim.simulate(line(wf, days=2), 5)
    levers = {**wf, "rebalance": {}, "efficiency_incentive": {},
              "sections": [{"name": "s", "posts": ["L/s0", "L/s1"], "cover_units": 1}]}
    res = linesim.simulate(line(levers, days=2), 5)
    assert res.record.streams == plain.record.streams
    check_invariants(res)
