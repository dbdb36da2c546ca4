"""Little's law, M/M/1, M/M/2 and a tandem of M/M/1 queues (theory tests 4 and 5).

How the engine's WIP maps onto a queue: ``kpis['wip']`` is the time average of units started
(released at the first station) and not yet finished. An "arrival" station with exponential
cycle time 1/lambda and a buffer so large that it never blocks takes a new unit the instant
it hands the previous one on, so it always holds exactly one unit in process, and the units
it has handed on form a Poisson(lambda) arrival stream into the rest of the line. Hence

    WIP = 1 + (number in the queueing system downstream),
    flow time = (service at the arrival station, mean 1/lambda) + (sojourn downstream).

M/M/1 (rate mu): L = rho/(1-rho), W = 1/(mu-lambda). Tandem of M/M/1 stations (Jackson):
L = sum rho_i/(1-rho_i), W = sum 1/(mu_i-lambda); station i idle (starved) 1-rho_i of the time.
"""

from __future__ import annotations

import pytest

from harness import always_on_scenario, assert_covers, exp, measures, op_failure, replicate_measures, station
from theory import mm1_number_in_system, mm1_sojourn, mmc_number_in_system

import linesim

NEVER_FULL = 100_000


@pytest.mark.parametrize("lam, mu, reps, days", [(0.5, 1.0, 16, 31), (0.8, 1.0, 20, 32)],
                         ids=["rho0.5", "rho0.8"])
def test_mm1(lam, mu, reps, days):
    sc = always_on_scenario([station("arrivals", exp(1 / lam), NEVER_FULL),
                             station("server", exp(1 / mu))], days=days)
    df = replicate_measures(sc, reps, seed=404)
    rho = lam / mu
    big_l, w = mm1_number_in_system(lam, mu), mm1_sojourn(lam, mu)
    assert_covers(df.wip - 1, big_l, f"M/M/1 rho={rho} L", max_half_width=0.05)
    assert_covers(df.flow_time - 1 / lam, w, f"M/M/1 rho={rho} W", max_half_width=0.05)
    assert_covers(df.th, lam, f"M/M/1 rho={rho} TH", max_half_width=0.015)
    assert_covers(df.s1_starved, 1 - rho, f"M/M/1 rho={rho} idle", level=0.999, max_half_width=0.05)
    # the arrival station never blocks and always holds a unit
    assert df.s0_blocked.max() == 0 and df.s0_starved.max() == 0
    assert df.s0_working.min() == pytest.approx(1.0, abs=1e-9)


def test_tandem_jackson():
    lam, mus = 0.5, (1.0, 0.8)
    sc = always_on_scenario([station("arrivals", exp(1 / lam), NEVER_FULL),
                             station("Q1", exp(1 / mus[0]), NEVER_FULL),
                             station("Q2", exp(1 / mus[1]))], days=31)
    df = replicate_measures(sc, 16, seed=505)
    big_l = sum(mm1_number_in_system(lam, mu) for mu in mus)
    w = sum(mm1_sojourn(lam, mu) for mu in mus)
    assert_covers(df.wip - 1, big_l, "tandem L", max_half_width=0.05)
    assert_covers(df.flow_time - 1 / lam, w, "tandem W", max_half_width=0.05)
    assert_covers(df.th, lam, "tandem TH", max_half_width=0.015)
    for k, mu in enumerate(mus, start=1):
        assert_covers(df[f"s{k}_starved"], 1 - lam / mu, f"tandem Q{k} idle", level=0.999,
                      max_half_width=0.05)


@pytest.mark.parametrize("seed", [1, 2])
def test_littles_law_on_a_line_with_failures_and_blocking(seed):
    """WIP = TH x flow time on one long run of a mixed line (no scrap): lognormal, uniform,
    exponential and fixed cycles, finite buffers (blocking), operating- and calendar-clock
    failures."""
    stations = [
        station("S1", {"dist": "lognormal", "mean": 1.0, "spread": 0.5}, 2,
                [op_failure(200, 20)]),
        station("S2", {"dist": "uniform", "mean": 1.05, "spread": 0.5}, 0),
        station("S3", exp(0.9), 5,
                [{"ttf": exp(300), "ttr": exp(15), "clock": "calendar"}]),
        station("S4", 1.0, 0, [op_failure(500, 10)]),
    ]
    run = linesim.simulate(always_on_scenario(stations, days=41), seed=seed)
    m = measures(run)
    rec = run.record.lines[0]
    assert rec.scrapped == 0 and rec.good > 30_000
    little = m["th"] * m["flow_time"]
    print(f"Little seed {seed}: WIP {m['wip']:.4f}, TH x flow time {little:.4f}, "
          f"rel. diff {(little - m['wip']) / m['wip']:+.3%}")
    assert little == pytest.approx(m["wip"], rel=0.005)
    # the balance of units over the window is exact
    assert rec.wip_start + rec.started - rec.good - rec.scrapped == rec.wip_end


def test_mmc_parallel_servers():
    """M/M/2 behind the arrival station: a station with ``servers: 2``."""
    lam, mu, c = 1.5, 1.0, 2
    server = station("server", exp(1 / mu))
    server["servers"] = c
    sc = always_on_scenario([station("arrivals", exp(1 / lam), NEVER_FULL), server], days=21)
    df = replicate_measures(sc, 12, seed=606)
    big_l = mmc_number_in_system(lam, mu, c)
    assert_covers(df.wip - 1, big_l, "M/M/2 L", max_half_width=0.05)
    assert_covers(df.flow_time - 1 / lam, big_l / lam, "M/M/2 W", max_half_width=0.05)
    # each server idle 1 - rho of the time (shares are per server)
    assert_covers(df.s1_starved, 1 - lam / (c * mu), "M/M/2 idle", level=0.999, max_half_width=0.05)
