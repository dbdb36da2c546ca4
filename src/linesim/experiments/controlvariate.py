"""A measure's gain at the points of a robustness design, with the nominal point as control
variate.

Every point runs replications 0..R-1 of the seed the nominal point runs (0..n-1, n >= R), so
replication r of a point and of the nominal share their random streams: a late delivery or a
long stoppage that makes a measure gain much on replication r at the nominal point often does
so at the point too. With ``x_r`` the measure's gain at the point and ``y_r`` at the nominal
(good units a month), the point's gain is estimated as

    x_bar(R) - beta * (y_bar(R) - y_bar(n))

which is unbiased for any fixed ``beta``: ``beta = 0`` is the point's own mean, ``beta = 1``
the nominal mean plus the mean paired difference. The variance is smallest at
``beta = cov(x, y) / var(y)``; ``beta`` is estimated per measure from the pooled within-point
spread of the points that run two or more replications and kept in [0, 1]. A measure whose
gain comes from rare events shared by the point and the nominal gets a ``beta`` near 1; one
whose gain a parameter removes (then ``x`` does not follow ``y``) a ``beta`` near 0.

With ``s2`` the pooled within-point variance of ``x - beta y`` and ``v0`` the nominal
variance of ``y``, the estimate's variance is ``s2 / R + beta^2 v0 / n`` and its difference
from the nominal mean has variance ``s2 / R + (1 - beta)^2 v0 / n`` (the cross terms vanish at
the optimal ``beta``, because replications 0..R-1 are among the nominal ones).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Control:
    """Per measure: ``beta``, ``spread`` (standard deviation of one replication's
    ``x - beta y``, units a month) and ``nominal_sd`` (of ``y``); ``dof`` the degrees of
    freedom of the pooled spread (0 when no point runs two replications: spreads are NaN);
    ``n`` the nominal replications; ``within``: the spreads come from replications within
    points (noise alone), else from across points (noise and the points' own effects)."""

    beta: dict[str, float]
    spread: dict[str, float]
    nominal_sd: dict[str, float]
    dof: int
    n: int
    within: bool = True  # spreads from within points (noise), else across points

    def variance(self, measure: str, reps: int, of_difference: bool = False) -> float:
        """Variance of a point's estimate on ``reps`` replications (``of_difference``: of its
        difference from the nominal mean)."""
        b = self.beta[measure]
        w = 1.0 - b if of_difference else b
        return self.spread[measure] ** 2 / reps + w * w * self.nominal_sd[measure] ** 2 / self.n


def paired(gains: pd.DataFrame) -> pd.DataFrame:
    """The rows of points other than the nominal (point 0), each with ``nominal``: the
    measure's gain at the nominal point on the same replication."""
    nom = gains[gains.point == 0].set_index(["measure", "replication"])["gain"]
    d = gains[gains.point != 0].copy()
    d["nominal"] = nom.reindex(pd.MultiIndex.from_arrays([d["measure"], d["replication"]])
                               ).to_numpy()
    return d


def within(d: pd.DataFrame, col: str) -> pd.Series:
    """``col`` minus its mean over the replications of the same point and measure."""
    return d[col] - d.groupby(["point", "measure"])[col].transform("mean")


def fit(gains: pd.DataFrame, measures: list[str], n: int,
        points: Collection[int] | None = None) -> Control:
    """``beta`` and the pooled spreads from ``gains`` (point, measure, replication, gain;
    point 0 the nominal, with ``n`` replications), over ``points`` (default: all others).

    When every point runs two or more replications, from the deviations within each point.
    Otherwise (one replication a point, as the one-at-a-time points by default) across the
    points: each point meets a nominal replication drawn at random, independently of what the
    point changes, so the regression of the points' gains on the nominal gains of their
    replications still estimates ``beta``; the spread is then the typical one across the
    points (1.4826 x the median absolute deviation, so that the few parameters with large
    effects do not count as noise), which holds the points' small effects too; a parameter
    whose change desynchronises the replication more can be noisier (``within`` False)."""
    nominal_sd = gains[gains.point == 0].groupby("measure")["gain"].std(ddof=1)
    d = paired(gains)
    if points is not None:
        d = d[d.point.isin(list(points))]
    size = d.groupby(["point", "measure"])["gain"].transform("count")
    inside = bool(len(d)) and bool((size >= 2).all())
    beta, spread = {}, {}
    dof = 0
    if len(d) > 2:
        if inside:
            x, y = within(d, "gain"), within(d, "nominal")
            df = d.groupby(["point", "measure"]).size().sub(1).groupby(level="measure").sum()
        else:
            x = d["gain"] - d.groupby("measure")["gain"].transform("mean")
            y = d["nominal"] - d.groupby("measure")["nominal"].transform("mean")
            df = d.groupby("measure").size().sub(2)
        sums = pd.DataFrame({"xx": x * x, "xy": x * y, "yy": y * y, "m": d["measure"]}
                            ).groupby("m").sum()
        dof = max(0, int(df.min()))
    for m in measures:
        if dof == 0:
            beta[m], spread[m] = 0.0, math.nan
            continue
        xx, xy, yy = sums.loc[m, ["xx", "xy", "yy"]]
        b = float(np.clip(xy / yy, 0.0, 1.0)) if yy > 0 else 0.0
        beta[m] = b
        if inside:
            spread[m] = math.sqrt(max(0.0, xx - 2 * b * xy + b * b * yy) / df[m])
        else:  # robust: a few parameters with large effects do not widen the noise
            r = (x - b * y)[d["measure"] == m].to_numpy()
            spread[m] = float(1.4826 * np.median(np.abs(r - np.median(r))))
    return Control(beta, spread, {m: float(nominal_sd.get(m, math.nan)) for m in measures},
                   dof, n, inside)


def estimate(gains: pd.DataFrame, control: Control,
             points: Collection[int] | None = None) -> pd.DataFrame:
    """One row per (point, measure) of ``points`` (default: all but the nominal): ``gain``
    (the control-variate estimate, units a month) and ``replications``."""
    d = paired(gains)
    if points is not None:
        d = d[d.point.isin(list(points))]
    nominal_mean = gains[gains.point == 0].groupby("measure")["gain"].mean()
    g = d.groupby(["point", "measure"], sort=False).agg(
        x=("gain", "mean"), y=("nominal", "mean"), replications=("gain", "count")).reset_index()
    beta = g["measure"].map(control.beta)
    g["gain"] = g["x"] - beta * (g["y"] - g["measure"].map(nominal_mean))
    return g[["point", "measure", "gain", "replications"]]


def noise_draws(gains: pd.DataFrame, control: Control, joint: list[int], reps: int,
                draws: int, rng: np.random.Generator, measures: list[str]) -> np.ndarray:
    """``draws`` x measures: noise of a joint point's estimate's difference from the nominal
    mean, by a wild bootstrap (random signs) of one joint point's within-point deviations of
    ``x - beta y`` and of the nominal replications' deviations, all measures of one draw from
    the same replications (noise that moves every measure alike moves them alike)."""
    beta = np.array([control.beta[m] for m in measures])
    d = paired(gains)
    d = d[d.point.isin(joint)].copy()
    d["cv"] = d["gain"] - d["measure"].map(control.beta) * d["nominal"]
    d["dev"] = within(d, "cv")
    cube = d.pivot_table(index=["point", "replication"], columns="measure", values="dev"
                         ).reindex(columns=measures).to_numpy().reshape(-1, reps, len(measures))
    signs = rng.choice((-1.0, 1.0), size=(draws, reps, 1))
    part = (signs * cube[rng.integers(0, len(cube), draws)]).sum(axis=1)
    part *= math.sqrt(reps / (reps - 1)) / reps
    nom = gains[gains.point == 0].pivot_table(index="replication", columns="measure",
                                              values="gain").reindex(columns=measures)
    dev0 = (nom - nom.mean()).to_numpy()
    n = control.n
    nom_part = (rng.choice((-1.0, 1.0), size=(draws, 1)) * dev0[rng.integers(0, n, draws)]
                * math.sqrt(n / (n - 1)) / math.sqrt(n))
    return part - (1.0 - beta) * nom_part
