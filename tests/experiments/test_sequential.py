"""Sequential replications: only the measures whose gain interval is too wide get more, the
cap is reported, and the replications chosen do not depend on the workers."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import small_line

import linesim
from linesim.experiments.compare import compare
from linesim.experiments.sequential import Progress, Target, plan_round, round_jobs
from linesim.results.stats import t_quantile
from linesim.scenario.countermeasure import Countermeasure


def cm(name, *changes):
    return Countermeasure(name=name, changes=list(changes))


@pytest.fixture(scope="module")
def stochastic():
    return linesim.scenario_from_dict(small_line())


NOTHING = cm("nothing")
FASTER = cm("faster", {"path": "lines[L1].stations[s2].cycle_time.mean", "scale": 0.9})
BUFFER = cm("buffer", {"path": "lines[L1].stations[*].buffer", "add": 2})


def test_a_target_like_n_replications_is_met_at_n_plain_replications():
    t = Target(like=30)
    sd = 100.0
    for n in (10, 29):
        half = t_quantile(0.95, n - 1) * sd / math.sqrt(n)
        assert not t.met(half, 500.0, sd)
    assert t.met(t_quantile(0.95, 29) * sd / math.sqrt(30), 500.0, sd)
    assert t.needed(10, 500.0, sd, sd) == 30  # straight to 30 (within 3x)
    assert t.needed(5, 500.0, sd, sd) == 15  # at most 3x a round
    assert t.needed(10, 500.0, sd, sd / 2) < 10 + 3  # a sharper estimator needs fewer
    assert t.met(0.0, 0.0, 0.0, 30) and not t.met(0.0, 0.0, 0.0, 10)  # zero so far
    assert Target(relative=0.1).met(0.0, 0.0, 0.0, 2)


def test_plan_round_adds_only_to_wide_measures_and_caps():
    t = Target(like=30, cap=12)
    state = [Progress(10), Progress(10), Progress(12)]
    est = [(0.0, 0.0, 0.0, 0.0, 0),  # changed nothing so far: done at like (capped at 12)
           (50.0, 400.0, 100.0, 100.0, 0),  # too wide: more
           (80.0, 400.0, 100.0, 100.0, 0)]  # too wide but at the cap: capped
    more = plan_round(t, state, est)
    assert more == {0: 12, 1: 12}
    assert [p.done for p in state] == [False, False, True]
    assert [p.capped for p in state] == [False, False, True]
    jobs = round_jobs({1: 12}, state, {(frozenset(), 10)})
    assert jobs == [(frozenset({1}), 10), (frozenset(), 11), (frozenset({1}), 11)]
    assert state[1].count == 12


TTR = cm("ttr", {"path": "lines[L1].stations[s1].failures[0].ttr.mean", "scale": 0.5})


@pytest.mark.slow
def test_sequential_stopping_runs_only_the_base_and_the_wide_measures(stochastic):
    # first stage (3 replications) half-widths: nothing 0, faster 95, buffer 343, ttr 354
    res = compare(stochastic, [NOTHING, FASTER, BUFFER, TTR], replications=3, workers=1,
                  target=Target(absolute=250, cap=40), shapley="exact")
    assert res.counts[:2] == [3, 3] and min(res.counts[2:]) > 3
    assert res.capped == [] and res.replications == max(res.counts) and res.first == 3
    later = {s for s, r in res.runs if r >= 3}
    assert later == {frozenset(), frozenset({2}), frozenset({3})}  # base and the wide ones
    t = res.table
    assert ((t["gain_high"] - t["gain_low"]) / 2 <= 250).all()
    assert t.loc["buffer", "replications"] == res.counts[2]
    assert res.gains["buffer"].notna().sum() == res.counts[2]
    assert res.gains["combined"].notna().sum() == 3 and len(res.shapley_table) == 3


def test_a_zero_gain_is_trusted_only_at_like_replications(stochastic):
    res = compare(stochastic, [NOTHING, FASTER], replications=3, workers=1,
                  target=Target(like=6, cap=20), shapley="off")
    assert res.counts == [6, 6] and res.capped == []  # plain replications: like = 6


def test_the_cap_is_reported(stochastic, capsys):
    res = compare(stochastic, [NOTHING, FASTER], replications=2, workers=1,
                  target=Target(like=30, cap=4), shapley="off")
    # 'nothing' changed nothing in 4 replications, which is not 30: capped as well
    assert res.capped == ["nothing", "faster"] and res.counts == [4, 4]
    assert bool(res.table.loc["faster", "capped"]) and bool(res.table.loc["nothing", "capped"])
    assert res.to_dict()["capped"] == ["nothing", "faster"]


def test_sequential_replications_do_not_depend_on_the_workers(stochastic):
    kw = dict(replications=2, target=Target(like=4, relative=0.5, cap=5), shapley="antithetic")
    one = compare(stochastic, [FASTER, BUFFER, NOTHING], workers=1, **kw)
    two = compare(stochastic, [FASTER, BUFFER, NOTHING], workers=2, **kw)
    assert one.counts == two.counts and set(one.runs) == set(two.runs)
    assert one.to_dict() == two.to_dict()
    assert one.table.equals(two.table)
    with ThreadPoolExecutor(3) as ex:  # any executor (a Dask client's too)
        other = compare(stochastic, [FASTER, BUFFER, NOTHING], executor=ex, **kw)
    assert other.runs == one.runs and other.table.equals(one.table)


def test_cli_names_the_capped_measures(capsys):
    from helpers import ROOT

    from linesim.cli import main
    base = str(ROOT / "scenarios" / "baseline.yaml")
    cms = ROOT / "scenarios" / "countermeasures"
    assert main(["compare", base, str(cms / "laser-fixture.yaml"), str(cms / "replanning.yaml"),
                 "-r", "2", "--as-precise-as", "30", "--max-replications", "3", "--days", "1",
                 "-w", "1", "--json"]) == 0
    err = capsys.readouterr().err
    assert "--as-precise-as 30 not reached after 3 replications" in err
    assert "laser-welding fixture" in err


def test_bad_precision_flags_exit_2(capsys):
    from helpers import ROOT

    from linesim.cli import main
    base = str(ROOT / "scenarios" / "baseline.yaml")
    cm_file = str(ROOT / "scenarios" / "countermeasures" / "prekit.yaml")
    assert main(["compare", base, cm_file, "--as-precise-as", "1"]) == 2
    assert "--as-precise-as must be 0 (off) or at least 2" in capsys.readouterr().err
    assert main(["compare", base, cm_file, "-r", "20", "--max-replications", "10",
                 "--precision", "0.1"]) == 2
    assert "--max-replications must be at least --replications" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["compare", base, cm_file, "--shapley", "half"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'half'" in err and "Traceback" not in err
