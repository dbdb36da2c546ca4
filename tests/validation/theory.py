"""Exact results of queueing theory used by the validation suite.

``two_machine_line`` solves the continuous-time Markov chain of a two-machine line with a
finite buffer, blocking after service and operation-dependent failures; the other functions
are closed forms. Nothing here imports linesim: this is the independent side of the check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve


@dataclass(frozen=True)
class TwoMachineSolution:
    """Steady state of the two-machine line (see :func:`two_machine_line`)."""

    buffer: int
    #: pi[n, a1, a2]: probability of level n with machine i up (a_i = 1) or down (a_i = 0)
    pi: np.ndarray
    mu1: float
    mu2: float

    @property
    def levels(self) -> int:
        """N + 1 with N = buffer + 2, the largest level."""
        return self.pi.shape[0]

    @property
    def throughput(self) -> float:
        """Units per time unit leaving machine 2 (it works when up and n > 0)."""
        return self.mu2 * float(self.pi[1:, :, 1].sum())

    @property
    def throughput_m1(self) -> float:
        """Units per time unit leaving machine 1 (it works when up and n < N): equal to
        :attr:`throughput` in steady state (a conservation check of the solution)."""
        return self.mu1 * float(self.pi[:-1, 1, :].sum())

    @property
    def m1_working(self) -> float:
        return float(self.pi[:-1, 1, :].sum())

    @property
    def m1_failed(self) -> float:
        return float(self.pi[:, 0, :].sum())

    @property
    def m1_blocked(self) -> float:
        """Machine 1 up, holding a finished unit: level N."""
        return float(self.pi[-1, 1, :].sum())

    @property
    def m2_working(self) -> float:
        return float(self.pi[1:, :, 1].sum())

    @property
    def m2_failed(self) -> float:
        return float(self.pi[:, :, 0].sum())

    @property
    def m2_starved(self) -> float:
        """Machine 2 up with nothing to work on: level 0."""
        return float(self.pi[0, :, 1].sum())

    @property
    def mean_level(self) -> float:
        """Mean number of units past machine 1's processing and not yet through machine 2
        (in the buffer, in machine 2, or finished and blocked in machine 1)."""
        n = np.arange(self.levels)
        return float((self.pi.sum(axis=(1, 2)) * n).sum())

    @property
    def mean_wip(self) -> float:
        """Mean number of units started and not finished when machine 1 starts a new unit
        the moment it is free: the level n, plus the unit in machine 1 unless it is blocked
        (then its unit is already counted in n = N)."""
        return self.mean_level + 1.0 - float(self.pi[-1].sum())


def two_machine_line(mu1: float, mu2: float, buffer: int, p1: float = 0.0, p2: float = 0.0,
                     r1: float = 1.0, r2: float = 1.0,
                     failures: str = "operating") -> TwoMachineSolution:
    """Solve the CTMC of machine 1 -> buffer of ``buffer`` places -> machine 2.

    Machine i processes at exponential rate ``mu_i``; while it is *processing* (and only
    then: operation-dependent failures) it fails at rate ``p_i``; a repair takes an
    exponential time of rate ``r_i``; interrupted work resumes (memoryless, so the remaining
    work is again exponential). Machine 1 always has material; machine 2 is never blocked.

    Blocking after service: a unit finished at machine 1 goes to the buffer, or directly to
    machine 2 if it is idle; when the buffer is full machine 1 keeps the unit and is blocked
    until machine 2 finishes and takes the next unit from the buffer.

    State (n, a1, a2): n = 0..N, N = buffer + 2, counts units finished at machine 1 and not
    yet finished at machine 2 (in machine 2, in the buffer, blocked in machine 1);
    n = N is exactly "machine 1 blocked". a_i = 1 if machine i is up. Machine 1 processes iff
    a1 = 1 and n < N; machine 2 processes iff a2 = 1 and n > 0.

    Transitions: machine 1 completes (n+1) at mu1, fails at p1 while processing; machine 2
    completes (n-1) at mu2, fails at p2 while processing; a down machine is repaired at r_i.
    States (N, a1=0) and (0, a2=0) are transient (a machine cannot fail while not
    processing and no unit moves in a way that puts it there); they get probability 0.

    ``failures="time"`` gives time-dependent failures instead (linesim's ``calendar`` clock
    on an always-on calendar): an up machine fails at rate p_i whether it is processing,
    blocked or starved. A blocked machine that is down still hands its finished unit on
    when machine 2 takes it (the unit is done; only new processing waits for the repair).
    """
    if failures not in ("operating", "time"):
        raise ValueError("failures must be 'operating' or 'time'")
    always = failures == "time"
    if buffer < 0 or min(mu1, mu2) <= 0 or min(p1, p2) < 0:
        raise ValueError("need buffer >= 0, mu > 0, p >= 0")
    if (p1 > 0 and r1 <= 0) or (p2 > 0 and r2 <= 0):
        raise ValueError("a machine that can fail needs a repair rate > 0")
    big_n = buffer + 2
    shape = (big_n + 1, 2, 2)
    size = int(np.prod(shape))

    def idx(n: int, a1: int, a2: int) -> int:
        return int(np.ravel_multi_index((n, a1, a2), shape))

    rows: list[int] = []
    cols: list[int] = []
    rates: list[float] = []
    for n in range(big_n + 1):
        for a1 in (0, 1):
            for a2 in (0, 1):
                i = idx(n, a1, a2)
                out = []
                if a1 == 1 and n < big_n:  # machine 1 processing
                    out.append((idx(n + 1, 1, a2), mu1))
                if a1 == 1 and p1 > 0 and (n < big_n or always):
                    out.append((idx(n, 0, a2), p1))
                if a1 == 0:
                    out.append((idx(n, 1, a2), r1))
                if a2 == 1 and n > 0:  # machine 2 processing
                    out.append((idx(n - 1, a1, 1), mu2))
                if a2 == 1 and p2 > 0 and (n > 0 or always):
                    out.append((idx(n, a1, 0), p2))
                if a2 == 0:
                    out.append((idx(n, a1, 1), r2))
                for j, rate in out:
                    rows += [i, i]
                    cols += [j, i]
                    rates += [rate, -rate]
    q = sparse.csr_matrix((rates, (rows, cols)), shape=(size, size))
    # pi Q = 0 with sum(pi) = 1: replace the last balance equation by the normalisation.
    a = sparse.lil_matrix(q.T)
    a[size - 1, :] = np.ones(size)
    b = np.zeros(size)
    b[-1] = 1.0
    pi = spsolve(a.tocsc(), b)
    residual = np.abs(pi @ q).max()
    if not np.isfinite(pi).all() or residual > 1e-9 * max(mu1, mu2, p1, p2, r1, r2):
        raise ArithmeticError(f"CTMC solve failed (residual {residual:.3g})")
    pi[np.abs(pi) < 1e-15] = 0.0
    return TwoMachineSolution(buffer=buffer, pi=pi.reshape(shape), mu1=mu1, mu2=mu2)


def two_machine_reliable(mu1: float, mu2: float, buffer: int) -> float:
    """Closed form throughput of two reliable exponential machines with ``buffer`` places
    between them (blocking after service): a birth-death chain on n = 0..N, N = buffer + 2,
    TH = mu2 (rho - rho^(N+1)) / (1 - rho^(N+1)), rho = mu1/mu2; mu N / (N+1) if rho = 1."""
    big_n = buffer + 2
    rho = mu1 / mu2
    if abs(rho - 1.0) < 1e-12:
        return mu2 * big_n / (big_n + 1)
    return mu2 * (rho - rho ** (big_n + 1)) / (1 - rho ** (big_n + 1))


def single_machine_operating_failures(cycle: float, mtbf: float, mttr: float) -> float:
    """Throughput of one machine with fixed ``cycle``, failures counted on operating time
    (mean time between failures ``mtbf`` of processing) and mean repair ``mttr``."""
    return (1.0 / cycle) * mtbf / (mtbf + mttr)


def mm1_number_in_system(lam: float, mu: float) -> float:
    """L = rho / (1 - rho) of the M/M/1 queue."""
    rho = lam / mu
    if rho >= 1:
        raise ValueError("unstable queue")
    return rho / (1 - rho)


def mm1_sojourn(lam: float, mu: float) -> float:
    """W = 1 / (mu - lambda) of the M/M/1 queue."""
    return 1.0 / (mu - lam)


def machine_efficiency(p: float, r: float) -> float:
    """Fraction of time an isolated machine with operation-dependent failures (rate ``p``
    while processing, repair rate ``r``) is processing: r / (r + p)."""
    return r / (r + p)


def mmc_number_in_system(lam: float, mu: float, c: int) -> float:
    """L of the M/M/c queue (Erlang C): Lq + lambda/mu."""
    a = lam / mu
    rho = a / c
    if rho >= 1:
        raise ValueError("unstable queue")
    head = sum(a ** k / math.factorial(k) for k in range(c))
    tail = a ** c / (math.factorial(c) * (1 - rho))
    p0 = 1.0 / (head + tail)
    lq = p0 * a ** c * rho / (math.factorial(c) * (1 - rho) ** 2)
    return lq + a
