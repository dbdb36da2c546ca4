"""Unit tests of the exact side (``theory.py``): the CTMC solver of the two-machine line and
the closed forms, against the project's reference values. No simulation here."""

from __future__ import annotations

import numpy as np
import pytest

from theory import (
    machine_efficiency,
    mm1_number_in_system,
    mm1_sojourn,
    mmc_number_in_system,
    single_machine_operating_failures,
    two_machine_line,
    two_machine_reliable,
)


@pytest.mark.parametrize("cycle, mtbf, mttr, reference", [
    (1.0, 100.0, 10.0, 0.909091),
    (2.0, 60.0, 30.0, 0.333333),
])
def test_single_machine_reference(cycle, mtbf, mttr, reference):
    assert single_machine_operating_failures(cycle, mtbf, mttr) == pytest.approx(reference, abs=1e-6)


@pytest.mark.parametrize("mu1, mu2, buffer, reference", [
    (1.0, 2.0, 3, 62 / 63),
    (1.0, 1.0, 3, 0.8333),
    (1.0, 1.0, 0, 2 / 3),
])
def test_closed_form_reference(mu1, mu2, buffer, reference):
    assert two_machine_reliable(mu1, mu2, buffer) == pytest.approx(reference, abs=1e-4)


@pytest.mark.parametrize("mu1, mu2", [(1.0, 2.0), (1.0, 1.0), (2.0, 1.0), (0.7, 1.3), (1.0, 1.0 + 1e-9)])
@pytest.mark.parametrize("buffer", [0, 1, 3, 10, 40])
def test_ctmc_without_failures_is_the_closed_form(mu1, mu2, buffer):
    sol = two_machine_line(mu1, mu2, buffer)
    assert sol.throughput == pytest.approx(two_machine_reliable(mu1, mu2, buffer), abs=1e-9)


@pytest.mark.parametrize("mu1, mu2, p1, p2, r, buffer, reference", [
    (1.0, 1.0, 0.01, 0.01, 0.1, 0, 0.589955),
    (1.0, 1.0, 0.01, 0.01, 0.1, 3, 0.722006),
    (1.0, 1.0, 0.01, 0.01, 0.1, 10, 0.799026),
    (1.0, 1.0, 0.01, 0.01, 0.1, 50, 0.870618),
    (1.2, 1.0, 0.02, 0.01, 0.1, 10, 0.811696),
])
def test_ctmc_reference_values_with_failures(mu1, mu2, p1, p2, r, buffer, reference):
    sol = two_machine_line(mu1, mu2, buffer, p1, p2, r, r)
    assert abs(sol.throughput - reference) < 1e-5


@pytest.mark.parametrize("args", [
    (1.0, 1.0, 0, 0.01, 0.01, 0.1, 0.1),
    (1.2, 1.0, 10, 0.02, 0.01, 0.1, 0.1),
    (1.0, 2.0, 3, 0.05, 0.01, 0.2, 0.1),
    (1.0, 1.0, 5, 0.0, 0.0, 1.0, 1.0),
])
def test_ctmc_solution_is_consistent(args):
    mu1, mu2, buffer, p1, p2, r1, r2 = args
    sol = two_machine_line(*args)
    assert sol.throughput == pytest.approx(
        two_machine_line(*args, failures="operating").throughput, abs=0)
    pi = sol.pi
    assert pi.shape == (buffer + 3, 2, 2)
    assert pi.min() >= 0 and pi.sum() == pytest.approx(1.0, abs=1e-12)
    # what enters machine 1 leaves machine 2
    assert sol.throughput_m1 == pytest.approx(sol.throughput, rel=1e-9)
    # each machine is in exactly one state
    assert sol.m1_working + sol.m1_failed + sol.m1_blocked == pytest.approx(1.0, abs=1e-12)
    assert sol.m2_working + sol.m2_failed + sol.m2_starved == pytest.approx(1.0, abs=1e-12)
    # operation-dependent failures: failures per unit of processing = repairs per unit of down
    assert sol.m1_failed * r1 == pytest.approx(sol.m1_working * p1, abs=1e-12)
    assert sol.m2_failed * r2 == pytest.approx(sol.m2_working * p2, abs=1e-12)
    # a machine cannot fail while blocked or starved: those states are never reached
    assert pi[-1, 0, :].sum() == 0 and pi[0, :, 0].sum() == 0
    assert 0 <= sol.mean_level <= buffer + 2
    assert 1 <= sol.mean_wip <= buffer + 2


@pytest.mark.parametrize("args", [
    (1.2, 1.0, 10, 0.02, 0.01, 0.1, 0.1),
    (1.0, 2.0, 3, 0.05, 0.01, 0.2, 0.1),
    (1.0, 1.0, 0, 0.01, 0.03, 0.1, 0.3),
])
def test_ctmc_reversed_line_has_the_same_throughput(args):
    """Reversibility of tandem lines: swapping the machines keeps the throughput, and the
    blocking of machine 1 becomes the starving of (the new) machine 2."""
    mu1, mu2, buffer, p1, p2, r1, r2 = args
    sol = two_machine_line(*args)
    rev = two_machine_line(mu2, mu1, buffer, p2, p1, r2, r1)
    assert rev.throughput == pytest.approx(sol.throughput, rel=1e-9)
    assert rev.m2_starved == pytest.approx(sol.m1_blocked, rel=1e-9)


@pytest.mark.parametrize("args", [
    (1.0, 1.0, 0, 0.01, 0.03, 0.1, 0.3),
    (1.2, 1.0, 10, 0.02, 0.01, 0.1, 0.1),
    (1.0, 2.0, 3, 0.05, 0.01, 0.2, 0.1),
])
def test_ctmc_time_dependent_failures(args):
    """Failures on the calendar clock: an up machine fails at p whatever it is doing."""
    mu1, mu2, buffer, p1, p2, r1, r2 = args
    sol = two_machine_line(*args, failures="time")
    assert sol.pi.min() >= 0 and sol.pi.sum() == pytest.approx(1.0, abs=1e-12)
    assert sol.throughput_m1 == pytest.approx(sol.throughput, rel=1e-9)
    # each machine is an independent on/off process: down p/(p+r) of the time
    assert sol.m1_failed == pytest.approx(p1 / (p1 + r1), rel=1e-9)
    assert sol.m2_failed == pytest.approx(p2 / (p2 + r2), rel=1e-9)
    # blocked or starved machines can be down now
    assert sol.pi[-1, 0, :].sum() > 0 and sol.pi[0, :, 0].sum() > 0
    # the same rates now also apply while blocked or starved: more down time, so less
    # throughput than with operation-dependent failures
    op = two_machine_line(*args)
    assert sol.throughput < op.throughput
    rev = two_machine_line(mu2, mu1, buffer, p2, p1, r2, r1, failures="time")
    assert rev.throughput == pytest.approx(sol.throughput, rel=1e-9)
    # without failures both models are the closed form
    assert two_machine_line(mu1, mu2, buffer, failures="time").throughput == pytest.approx(
        two_machine_reliable(mu1, mu2, buffer), abs=1e-12)


def test_ctmc_large_buffer_tends_to_the_slower_isolated_machine():
    iso = min(1.2 * machine_efficiency(0.01, 0.1), 1.0 * machine_efficiency(0.01, 0.1))
    ths = [two_machine_line(1.2, 1.0, c, 0.01, 0.01, 0.1, 0.1).throughput for c in (0, 10, 100, 400)]
    assert np.all(np.diff(ths) > 0)  # more buffer, more throughput
    assert ths[-1] < iso and ths[-1] == pytest.approx(iso, rel=1e-8)


def test_mmc():
    assert mmc_number_in_system(1.5, 1.0, 2) == pytest.approx(24 / 7)
    assert mmc_number_in_system(0.8, 1.0, 1) == pytest.approx(mm1_number_in_system(0.8, 1.0))
    # many servers, light load: almost no queue
    assert mmc_number_in_system(1.0, 1.0, 20) == pytest.approx(1.0, abs=1e-12)


def test_mm1():
    assert mm1_number_in_system(0.5, 1.0) == pytest.approx(1.0)
    assert mm1_number_in_system(0.8, 1.0) == pytest.approx(4.0)
    assert mm1_sojourn(0.8, 1.0) == pytest.approx(5.0)
    with pytest.raises(ValueError):
        mm1_number_in_system(1.0, 1.0)
