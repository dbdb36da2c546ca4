"""Operators, absences, relief and efficiency: known answers."""

from __future__ import annotations

import pytest
from helpers import check_invariants, small_line

import linesim
from linesim.results import t_interval


def line_with(workforce, n=3, cycle=1.0, days=1, crew=1, seed_line=None):
    data = {
        "name": "wf", "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "08:00", "end": "18:00"}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": [
            {"name": f"s{i}", "cycle_time": cycle, "buffer": 0, "crew": crew}
            for i in range(n)]}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}},
        "workforce": workforce,
    }
    return linesim.scenario_from_dict(data)


def roster(n=3, eff=1.0):
    return [{"name": f"op{i}", "post": f"L/s{i}", "efficiency": eff} for i in range(n)]


def test_no_absence_gives_the_same_output_as_no_operators():
    data = small_line()
    plain = linesim.simulate(linesim.scenario_from_dict(data), 4)
    data["workforce"] = {"operators": [{"name": f"o{i}", "post": f"L1/s{i + 1}"}
                                       for i in range(3)]}
    staffed = linesim.simulate(linesim.scenario_from_dict(data), 4)
    assert staffed.kpis == plain.kpis
    st = staffed.states.set_index(["station", "state"])["minutes"]
    assert st.xs("no_operator", level="state").sum() == 0


def test_always_absent_only_operator_means_no_output():
    sc = line_with({"operators": roster(), "absenteeism": 1.0}, days=2)
    res = linesim.simulate(sc, 1)
    assert res.kpis["units"] == 0
    st = res.states.set_index(["station", "state"])["minutes"]
    assert st.xs("no_operator", level="state").tolist() == pytest.approx([1200] * 3)
    check_invariants(res)


def test_missing_operator_without_roster_stops_the_station():
    sc = line_with({"operators": roster(2)})  # nobody for s2
    res = linesim.simulate(sc, 1)
    assert res.kpis["units"] == 0


def test_efficiency_stretches_cycle_times():
    sc = line_with({"operators": roster(1, eff=0.5)}, n=1)
    assert linesim.simulate(sc, 1).kpis["units"] == 300
    res = linesim.simulate(line_with({"operators": roster(1, eff=0.8)}, n=1), 1)
    assert res.kpis["units"] == 480
    # the lost pace shows as speed loss in the waterfall
    wf = res.waterfall.set_index("step")["units"]
    assert wf["speed"] == pytest.approx(120)


@pytest.mark.parametrize("floaters", [0, 1])
def test_one_floater_matches_the_binomial_prediction(floaters):
    """n single-operator stations in series, each operator absent with probability p: the
    line runs a day only if every station is covered. Without relief P = (1-p)^n; with one
    floater who can run every station P = (1-p)^n + n p (1-p)^(n-1)."""
    n, p, days = 5, 0.1, 300
    wf = {"operators": roster(n), "absenteeism": p,
          "floaters": [{"name": "F", "skills": [f"L/s{i}" for i in range(n)]}] * floaters}
    sc = line_with(wf, n=n, cycle=10.0, days=days)
    res = linesim.simulate(sc, 2)
    daily = res.output["good_units"].to_numpy()
    # a covered day makes 56-60 units (60 with the line full from the day before); an
    # uncovered one at most the n-1 units in the line that can still be finished
    runs = daily >= 56
    expected = (1 - p) ** n + (n * p * (1 - p) ** (n - 1) if floaters else 0)
    mean, lo, hi = t_interval(runs.astype(float), 0.99)
    assert lo <= expected <= hi, (mean, expected)
    assert daily[~runs].max() < n


def test_short_absences_stop_the_station_unless_relieved():
    wf = {"operators": roster(1), "short_absence": {"rate_per_hour": 1.0, "duration": 10}}
    alone = linesim.simulate(line_with(wf, n=1, days=3), 3)
    st = alone.states.set_index("state")["minutes"]
    assert st["no_operator"] > 100
    assert alone.kpis["units"] == pytest.approx(1800 - st["no_operator"], abs=1)
    wf["floaters"] = [{"name": "F", "skills": ["L/s0"]}]
    relieved = linesim.simulate(line_with(wf, n=1, days=3), 3)
    # the floater covers every absence of the operator; only the floater's own short
    # absences while covering leave the station uncovered
    lost = relieved.states.set_index("state")["minutes"]["no_operator"]
    assert lost < st["no_operator"] / 4
    assert relieved.kpis["units"] == pytest.approx(1800 - lost, abs=1)
    check_invariants(relieved)


def test_section_rule_limits_how_many_are_away():
    base = {"operators": roster(4), "short_absence": {"rate_per_hour": 2.0, "duration": 20}}
    free = linesim.simulate(line_with(base, n=4, days=2), 5, event_log=True)
    ruled = dict(base, sections=[{"name": "S", "posts": [f"L/s{i}" for i in range(4)],
                                  "max_away": 1}])
    res = linesim.simulate(line_with(ruled, n=4, days=2), 5, event_log=True)

    def most_away(r):
        ev = r.events.sort_values("time", kind="stable")
        away, worst = set(), 0
        for _, e in ev.iterrows():
            if e.state == "no_operator":
                away.add(e.station)
            else:
                away.discard(e.station)
            worst = max(worst, len(away))
        return worst

    assert most_away(free) >= 2
    assert most_away(res) == 1
    check_invariants(res)
