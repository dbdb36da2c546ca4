"""Fitting distributions, rates and shares to records, with right-censoring (scipy.stats).

Durations (minutes, or days for suppliers) are fitted by maximum likelihood to four
families with the location fixed at 0: exponential, lognormal, gamma and Weibull. Records
still open when the records end are *right-censored*: they count with their survival
probability, not as finished durations (``scipy.stats.CensoredData``). The family with the
lowest AIC (2k - 2 log L, log L from the censored likelihood) is taken and checked with a
Kolmogorov-Smirnov test of the records (their Kaplan-Meier estimate when some are censored)
against it; when that test rejects it
(p < 0.01) and nothing is censored, the records themselves (an empirical distribution) are
taken instead. Fewer than ``MIN_RECORDS`` finished records: no fit (the caller keeps the
base value and warns).

Rates (events per hour) get exact Poisson 95% intervals, shares exact binomial ones.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.stats as ss

MIN_RECORDS = 10
#: KS p-value below which a parametric family is rejected in favour of the records
REJECT_P = 0.01
#: durations of zero are taken as this many minutes (every family needs x > 0)
SMALLEST = 1e-3

FAMILIES: dict[str, Any] = {
    "exponential": ss.expon,
    "lognormal": ss.lognorm,
    "gamma": ss.gamma,
    "weibull": ss.weibull_min,
}


def _sig(v: float) -> float:
    return float(f"{v:.6g}")


@dataclass
class DurationFit:
    """The chosen distribution for a set of durations and how it was chosen."""

    family: str  #: exponential, lognormal, gamma, weibull or empirical
    spec: dict[str, Any]  #: the scenario distribution spec (``dist: ...``)
    records: int  #: finished records used
    censored: int  #: open (right-censored) records used
    aic: float | None  #: of the chosen family (None for empirical)
    p_value: float | None  #: KS test of the finished records against the chosen law
    mean: float  #: mean of the chosen law
    #: 95% interval of the mean: exact for the exponential, else the delta method on the
    #: censored likelihood (a t-interval for empirical)
    mean_ci: tuple[float, float] | None = None
    candidates: dict[str, float] = field(default_factory=dict)  #: family -> AIC
    law: Any = None  #: the frozen scipy law (None for empirical)
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    is_censored: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def params(self) -> str:
        """The spec's parameters as text, e.g. ``mean=15.2 spread=7.9``."""
        if self.family == "empirical":
            return f"samples={len(self.spec['samples'])}"
        return " ".join(f"{k}={v:.6g}" for k, v in self.spec.items() if k != "dist")


def _spec(family: str, law: Any) -> dict[str, Any]:
    if family == "exponential":
        return {"dist": "exponential", "mean": _sig(law.mean())}
    if family == "lognormal":
        return {"dist": "lognormal", "mean": _sig(law.mean()), "spread": _sig(law.std())}
    shape = law.args[0]
    return {"dist": family, "shape": _sig(shape), "scale": _sig(law.kwds["scale"])}


def _loglik(law: Any, done: np.ndarray, open_: np.ndarray) -> float:
    return float(np.sum(law.logpdf(done)) + np.sum(law.logsf(open_)))


def _fit_family(name: str, done: np.ndarray, open_: np.ndarray) -> tuple[Any, float] | None:
    dist = FAMILIES[name]
    data = ss.CensoredData(uncensored=done, right=open_) if len(open_) else done
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            params = dist.fit(data, floc=0)
        except (ValueError, RuntimeError, FloatingPointError):
            return None
    law = dist(*params[:-2], loc=params[-2], scale=params[-1])
    ll = _loglik(law, done, open_)
    if not math.isfinite(ll):
        return None
    k = len(params) - 1  # the location is fixed
    return law, 2 * k - 2 * ll


def _exponential_ci(done: np.ndarray, open_: np.ndarray) -> tuple[float, float]:
    total, r = float(done.sum() + open_.sum()), len(done)
    return (2 * total / ss.chi2.ppf(0.975, 2 * r), 2 * total / ss.chi2.ppf(0.025, 2 * r))


def _law(family: str, theta: np.ndarray) -> Any:
    p = np.exp(theta)
    return FAMILIES[family](*p[:-1], loc=0, scale=p[-1])


def _mean_ci(family: str, law: Any, done: np.ndarray, open_: np.ndarray,
             h: float = 1e-3) -> tuple[float, float] | None:
    """Approximate 95% interval of the fitted law's mean: the delta method on the observed
    information of the censored log-likelihood in log-parameters (log scale for the mean)."""
    theta = np.log([*law.args, law.kwds["scale"]])
    k = len(theta)
    e = np.eye(k) * h

    def ll(t: np.ndarray) -> float:
        return _loglik(_law(family, t), done, open_)

    hess = np.array([[(ll(theta + e[i] + e[j]) - ll(theta + e[i] - e[j]) - ll(theta - e[i] + e[j])
                       + ll(theta - e[i] - e[j])) / (4 * h * h) for j in range(k)]
                     for i in range(k)])
    grad = np.array([(math.log(_law(family, theta + e[i]).mean())
                      - math.log(_law(family, theta - e[i]).mean())) / (2 * h) for i in range(k)])
    try:
        var = float(grad @ np.linalg.inv(-hess) @ grad)
    except np.linalg.LinAlgError:
        return None
    if not math.isfinite(var) or var <= 0:
        return None
    m, half = float(law.mean()), 1.959964 * math.sqrt(var)
    return (m * math.exp(-half), m * math.exp(half))


def fit_durations(values: np.ndarray, censored: np.ndarray) -> DurationFit | None:
    """Fit durations (``censored[i]``: record i was still open, ``values[i]`` is a lower
    bound). None if fewer than :data:`MIN_RECORDS` records are finished."""
    x = np.maximum(np.asarray(values, dtype=float), SMALLEST)
    c = np.asarray(censored, dtype=bool)
    done, open_ = x[~c], x[c]
    if len(done) < MIN_RECORDS:
        return None
    if np.ptp(done) < 1e-9 and not len(open_):
        return DurationFit("fixed", {"dist": "fixed", "value": _sig(done[0])}, len(done), 0,
                           None, None, float(done[0]), values=x, is_censored=c)
    fitted = {n: f for n in FAMILIES if (f := _fit_family(n, done, open_)) is not None}
    best = min(fitted, key=lambda n: fitted[n][1])
    law, aic = fitted[best]
    p = ks_p_value(done, open_, law.cdf)
    out = DurationFit(best, _spec(best, law), len(done), len(open_), aic, p, float(law.mean()),
                      _exponential_ci(done, open_) if best == "exponential"
                      else _mean_ci(best, law, done, open_),
                      {n: a for n, (_, a) in fitted.items()}, law, x, c)
    if p < REJECT_P and not len(open_):
        samples = tuple(_sig(v) for v in np.sort(done))
        out.family, out.spec, out.aic, out.law = "empirical", {
            "dist": "empirical", "samples": list(samples)}, None, None
        half = float(ss.t.ppf(0.975, len(done) - 1) * np.std(done, ddof=1) / np.sqrt(len(done)))
        out.mean = float(np.mean(samples))
        out.mean_ci = (out.mean - half, out.mean + half)
    return out


@dataclass(frozen=True)
class Estimate:
    """A rate or share with its exact 95% interval."""

    value: float
    low: float
    high: float
    records: int  #: events (rate) or successes (share)
    exposure: float  #: hours (rate) or trials (share)


def poisson_rate(events: int, hours: float) -> Estimate:
    """Events per hour with the exact (Garwood) 95% interval."""
    lo = ss.chi2.ppf(0.025, 2 * events) / 2 / hours if events else 0.0
    hi = ss.chi2.ppf(0.975, 2 * events + 2) / 2 / hours
    return Estimate(events / hours, float(lo), float(hi), events, hours)


def share(successes: int, trials: int) -> Estimate:
    """A share with the exact (Clopper-Pearson) 95% interval."""
    ci = ss.binomtest(successes, trials).proportion_ci(0.95, method="exact")
    return Estimate(successes / trials, float(ci.low), float(ci.high), successes, trials)


def ks_p_value(done: np.ndarray, open_: np.ndarray, cdf: Any) -> float:
    """Kolmogorov-Smirnov p-value of a fitted CDF against the Kaplan-Meier estimate of the
    records (the plain empirical CDF when nothing is censored). With censored records the
    p-value takes the finished records as the sample size: approximate, and only fair when
    a small share is censored."""
    if not len(open_):
        return float(ss.kstest(done, cdf).pvalue)
    t = np.sort(done)
    km = ss.ecdf(ss.CensoredData(uncensored=done, right=open_)).cdf.evaluate(t)
    before = np.concatenate([[0.0], km[:-1]])
    model = cdf(t)
    d = float(max(np.max(np.abs(km - model)), np.max(np.abs(before - model))))
    return float(ss.kstwo(len(t)).sf(d))


def pp_points(fit: DurationFit) -> tuple[np.ndarray, np.ndarray]:
    """Points of a P-P plot: the fitted CDF against the Kaplan-Meier estimate (which takes
    the censored records into account) at each finished record."""
    done = np.sort(fit.values[~fit.is_censored])
    data = ss.CensoredData(uncensored=fit.values[~fit.is_censored],
                           right=fit.values[fit.is_censored])
    km = ss.ecdf(data).cdf.evaluate(done)
    if fit.law is not None:
        model = fit.law.cdf(done)
    else:
        model = np.searchsorted(np.sort(fit.spec["samples"]), done, side="right") / len(
            fit.spec["samples"])
    return model, km
