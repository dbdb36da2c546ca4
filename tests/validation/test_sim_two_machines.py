"""Two exponential machines with a finite buffer, blocking after service (theory test 2).

Station 1 (exponential cycle, mean 1/mu1) always has material (endless plan), puts finished
units into its ``buffer`` of C places, and holds a unit (blocked) when the buffer is full;
station 2 (mean 1/mu2) is never blocked. Optional failures, exponential with rate p_i and
repair rate r_i: operation-dependent (``operating`` clock, the reference model) or
time-dependent (``calendar`` clock). The engine is compared with the exact CTMC of
``theory.two_machine_line`` (itself checked against the closed form and the reference values
in ``test_theory_formulas.py``).

Primary check (99% t-interval): throughput. Secondary checks (99.9%, several per case):
station state shares and time-average WIP against the same CTMC solution.
"""

from __future__ import annotations

import pytest

from harness import always_on_scenario, assert_covers, exp, replicate_measures, station
from theory import two_machine_line, two_machine_reliable

# name: (mu1, mu2, C, p1, p2, r1, r2, failure clock, replications, days incl. one warm-up day)
CASES = {
    "reliable-mu1,1-C0": (1.0, 1.0, 0, 0.0, 0.0, 0.0, 0.0, "operating", 20, 21),
    "reliable-mu1,2-C3": (1.0, 2.0, 3, 0.0, 0.0, 0.0, 0.0, "operating", 20, 21),
    "opfail-mu1,1-C0": (1.0, 1.0, 0, 0.01, 0.01, 0.1, 0.1, "operating", 24, 26),
    "opfail-mu1,1-C3": (1.0, 1.0, 3, 0.01, 0.01, 0.1, 0.1, "operating", 24, 26),
    "opfail-mu1.2,1-C10": (1.2, 1.0, 10, 0.02, 0.01, 0.1, 0.1, "operating", 24, 26),
    # time-dependent failures (calendar clock): machines also fail while blocked or starved
    "calfail-mu1,1-C0": (1.0, 1.0, 0, 0.01, 0.03, 0.1, 0.3, "calendar", 24, 26),
    "calfail-mu1.2,1-C10": (1.2, 1.0, 10, 0.02, 0.01, 0.1, 0.1, "calendar", 24, 26),
}


def _station(name: str, mu: float, buffer: int, p: float, r: float, clock: str) -> dict:
    failures = []
    if p > 0:
        failures = [{"ttf": exp(1 / p), "ttr": exp(1 / r), "clock": clock}]
    return station(name, exp(1 / mu), buffer, failures)


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    mu1, mu2, c, p1, p2, r1, r2, clock, reps, days = CASES[request.param]
    sc = always_on_scenario([_station("M1", mu1, c, p1, r1, clock),
                             _station("M2", mu2, 0, p2, r2, clock)], days=days)
    sol = two_machine_line(mu1, mu2, c, p1, p2, r1 or 1.0, r2 or 1.0,
                           failures="operating" if clock == "operating" else "time")
    if p1 == p2 == 0:
        assert sol.throughput == pytest.approx(two_machine_reliable(mu1, mu2, c), abs=1e-12)
    return request.param, sol, replicate_measures(sc, reps, seed=202)


def test_throughput(case):
    name, sol, df = case
    assert_covers(df.th, sol.throughput, f"TH {name}", max_half_width=0.01)


def test_station_states_and_wip(case):
    name, sol, df = case
    checks = [
        ("s0_working", sol.m1_working), ("s0_blocked", sol.m1_blocked),
        ("s1_working", sol.m2_working), ("s1_starved", sol.m2_starved),
    ]
    if sol.m1_failed > 0:
        checks += [("s0_failed", sol.m1_failed), ("s1_failed", sol.m2_failed)]
    for col, exact in checks:
        assert_covers(df[col], exact, f"{col} {name}", level=0.999, max_half_width=0.1)
    assert_covers(df.wip, sol.mean_wip, f"WIP {name}", level=0.999, max_half_width=0.05)
    # nothing else happens on an always-on line with an endless plan
    for k in (0, 1):
        for state in ("no_plan", "off_shift", "break", "changeover", "rework"):
            assert df[f"s{k}_{state}"].abs().max() < 1e-9, (k, state)
    assert df.s0_starved.abs().max() < 1e-9 and df.s1_blocked.abs().max() < 1e-9
