"""The results of a robustness study (:func:`linesim.experiments.robustness.robustness`):
each measure's gain at every point of the design, and what they say about the ranking.

All tables are built from :attr:`Robustness.gains` (one row per point, measure and
replication: the paired gain in good units a month) and the economics of each point.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..results.stats import t_interval
from ..scenario.ranges import Ranges
from .controlvariate import Control, estimate, fit, noise_draws

NOMINAL = "nominal"


@dataclass(frozen=True)
class Point:
    """A point of the design: its kind, the parameter moved (one at a time), the position
    of every moved parameter in its range (0 = low end, 1 = high end) and the replications
    it runs (numbers among the nominal point's)."""

    id: int
    kind: str  # nominal | low | high | joint
    parameter: str | None
    position: tuple[tuple[str, float], ...]
    replications: tuple[int, ...] = ()


def seed_of(seed: int, name: str) -> int:
    """A 64-bit seed for the purpose ``name`` derived from ``seed`` (stable, BLAKE2b)."""
    h = hashlib.blake2b(f"{name}/{seed}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "little")


@dataclass
class Robustness:
    """Results of :func:`robustness`; tables are built from :attr:`gains`.

    A point's gain of a measure is estimated with the nominal point on the same replications
    as control variate (:mod:`linesim.experiments.controlvariate`): rare events that a
    replication shares at the point and at the nominal no longer decide a point's ranking
    alone, and a parameter that removes a measure's mechanism is still seen."""

    ranges: Ranges
    measures: list[str]
    points: list[Point]
    gains: pd.DataFrame  # point, measure, replication, gain (units/month)
    economics: pd.DataFrame  # point, measure: margin, monthly_cost, one_off_cost, wd_per_month
    replications: int  # at each joint point
    nominal_replications: int
    rank_by: str
    seed: int
    oat_replications: int = 1  # at each one-at-a-time point
    left_out: tuple[str, ...] = ()  # parameters of countermeasures not compared
    level: float = 0.95

    def _groups(self) -> dict[str, list[int]]:
        """Points estimated together: the one-at-a-time points and the joint points."""
        kinds = {"low": "oat", "high": "oat", "joint": "joint"}
        out: dict[str, list[int]] = {"oat": [], "joint": []}
        for p in self.points:
            if p.kind in kinds:
                out[kinds[p.kind]].append(p.id)
        return out

    def control(self, group: str = "joint") -> Control:
        """The control-variate coefficients and noise of the estimates of the ``group``
        (``oat`` or ``joint``) points (:mod:`linesim.experiments.controlvariate`)."""
        return fit(self.gains, self.measures, self.nominal_replications, self._groups()[group])

    def metric_table(self) -> pd.DataFrame:
        """One row per (point, measure): gain (units/month) with its ``level`` interval,
        monthly net, payback in working days, and rank by :attr:`rank_by` (1 = best). The
        nominal point: mean and t-interval over its replications; other points: the
        control-variate estimate (class docstring), interval NaN when no point runs two
        replications."""
        rows = [(0, m, *t_interval(grp["gain"].to_numpy(), self.level)) for m, grp in
                self.gains[self.gains.point == 0].groupby("measure", sort=False)]
        for group, ids in self._groups().items():
            if not ids:
                continue
            ctl = self.control(group)
            q = (stats.t.ppf(0.5 + self.level / 2, min(ctl.n - 1, ctl.dof)) if ctl.dof > 0
                 else math.nan)
            for pt, m, gain, reps in estimate(self.gains, ctl, ids).itertuples(index=False):
                half = q * math.sqrt(ctl.variance(m, reps))
                rows.append((pt, m, gain, gain - half, gain + half))
        df = pd.DataFrame(rows, columns=["point", "measure", "gain", "gain_low", "gain_high"])
        e = self.economics.loc[list(zip(df.point, df.measure))]
        df["monthly_net"], df["payback_days"] = _value(df["gain"].to_numpy(), e)
        key = {"net": ("monthly_net", False), "gain": ("gain", False),
               "payback": ("payback_days", True)}[self.rank_by]
        df["rank"] = df.groupby("point")[key[0]].rank(ascending=key[1], method="min").astype(int)
        return df.sort_values(["point"], kind="stable", ignore_index=True)

    @property
    def table(self) -> pd.DataFrame:
        """:meth:`metric_table` with each point's kind and parameter."""
        pts = pd.DataFrame([(p.id, p.kind, p.parameter) for p in self.points],
                           columns=["point", "kind", "parameter"])
        return pts.merge(self.metric_table(), on="point")

    @property
    def tornado(self) -> pd.DataFrame:
        """One row per (measure, parameter): how the parameter changes (``set`` to a value or
        ``scale`` by a factor), its low and high end, the measure's gain (units/month) at each
        end and at the nominal point, the swing |high - low|, the noise (95% half-width of an
        end's difference from the nominal gain from noise alone, on the one-at-a-time points'
        replications: an end inside that band of the nominal may differ by noise), and the
        measure that comes first at either end when it is not the nominal first. Sorted by
        measure, then swing."""
        t = self.table
        nom = t[t.point == 0].set_index("measure")
        first = self._nominal_full_ranking()[0]
        noise = self._noise_half_width(self.oat_replications)
        rows = []
        for p in self.ranges.parameters:
            sub = t[t.parameter == p.name]
            lo = sub[sub.kind == "low"].set_index("measure")
            hi = sub[sub.kind == "high"].set_index("measure")
            best_lo, best_hi = lo["rank"].idxmin(), hi["rank"].idxmin()
            clear = (self._clear(lo, first, best_lo), self._clear(hi, first, best_hi))
            for m in self.measures:
                g_lo, g_hi = lo.at[m, "gain"], hi.at[m, "gain"]
                rows.append((m, p.name, "set" if p.scale is None else "scale", *p.bounds, g_lo,
                             nom.at[m, "gain"], g_hi, abs(g_hi - g_lo), noise[m],
                             best_lo if best_lo != first else "",
                             best_hi if best_hi != first else "", *clear))
        df = pd.DataFrame(rows, columns=["measure", "parameter", "change", "low", "high",
                                         "gain_low", "gain_nominal", "gain_high", "swing",
                                         "noise", "first_at_low", "first_at_high",
                                         "first_at_low_clear", "first_at_high_clear"])
        return df.sort_values(["measure", "swing"], ascending=[True, False], ignore_index=True)

    def _clear(self, end: pd.DataFrame, first: str, best: str) -> bool:
        """Whether ``best`` leads the nominal ``first`` at a one-at-a-time ``end`` (rows by
        measure) by more than the noise: the two gains' 95% half-widths combined as if
        independent, in the ranking's units (net: x margin). Payback: never judged (False)."""
        if best == first or self.rank_by == "payback":
            return False
        col = "monthly_net" if self.rank_by == "net" else "gain"
        half = math.hypot(*((end.at[m, "gain_high"] - end.at[m, "gain_low"]) / 2
                            for m in (best, first)))
        scale = (self.economics.loc[(int(end.at[best, "point"]), best), "margin"]
                 if self.rank_by == "net" else 1.0)
        return bool(end.at[best, col] - end.at[first, col] > half * scale)

    def _noise_half_width(self, reps: int) -> dict[str, float]:
        """Per measure: 95% half-width of a one-at-a-time estimate's difference from the
        nominal gain from noise alone, on ``reps`` replications (when those points run one
        replication, the typical spread across them; see
        :func:`~linesim.experiments.controlvariate.fit`)."""
        ctl = self.control("oat")
        if ctl.dof == 0:
            return {m: math.nan for m in self.measures}
        q = stats.t.ppf(0.5 + self.level / 2, min(ctl.n - 1, ctl.dof))
        return {m: float(q * math.sqrt(ctl.variance(m, reps, of_difference=True)))
                for m in self.measures}

    @property
    def rank_stability(self) -> pd.DataFrame:
        """One row per measure: nominal rank, gain and net (all nominal replications), and
        over the joint points the mean gain (units/month; where the ranges are not centred on
        the nominal values it moves), the share at first place, in the top three, the mean,
        best and worst rank."""
        nom = self.metric_table()
        nom = nom[nom.point == 0].set_index("measure")
        t = self.table
        j = t[t.kind == "joint"]
        rows = []
        for m in self.measures:
            r = j.loc[j.measure == m, "rank"]
            g = j.loc[j.measure == m, "gain"]
            rows.append((m, int(nom.at[m, "rank"]), nom.at[m, "gain"], nom.at[m, "monthly_net"],
                         g.mean() if len(g) else math.nan,
                         _share(r == 1), _share(r <= 3), r.mean() if len(r) else math.nan,
                         r.min() if len(r) else math.nan, r.max() if len(r) else math.nan))
        return pd.DataFrame(rows, columns=["measure", "nominal_rank", "nominal_gain",
                                           "nominal_net", "joint_mean_gain", "share_first",
                                           "share_top3", "mean_rank", "best_rank", "worst_rank"]
                            ).sort_values("nominal_rank", ignore_index=True)

    @property
    def summary(self) -> dict[str, float | str | int]:
        """How often the joint points keep the nominal first place and top three (as a set
        and in order), against the noise floor (how often noise alone keeps the first place
        at the joint points' replications; see :meth:`noise_floor`)."""
        nom = self._nominal_full_ranking()
        t = self.table
        kept_first, kept_set, kept_order = [], [], []
        for _pt, grp in t[t.kind == "joint"].groupby("point"):
            order = list(grp.sort_values(["rank", "measure"])["measure"])
            kept_first.append(order[0] == nom[0])
            kept_set.append(set(order[:3]) == set(nom[:3]))
            kept_order.append(order[:3] == nom[:3])
        return {"nominal_first": nom[0], "nominal_top3": ", ".join(nom[:3]),
                "joint_points": len(kept_first), "share_first_kept": _share(kept_first),
                "share_top3_set_kept": _share(kept_set), "share_top3_order_kept": _share(kept_order),
                "noise_floor_first_kept": self.noise_floor(nom[0]),
                "replications": self.replications, "oat_replications": self.oat_replications,
                "nominal_replications": self.nominal_replications, "rank_by": self.rank_by,
                "left_out": ", ".join(self.left_out)}

    def _nominal_full_ranking(self) -> list[str]:
        t = self.metric_table()
        return list(t[t.point == 0].sort_values(["rank", "measure"])["measure"])

    def noise_floor(self, first: str, draws: int = 1000) -> float:
        """Share of ``draws`` on which ``first`` keeps first place when the nominal gains get
        only the noise of a joint point's estimate
        (:func:`~linesim.experiments.controlvariate.noise_draws`, seeded). NaN when the joint
        points run fewer than two replications."""
        joint = self._groups()["joint"]
        ctl = self.control("joint")
        if self.replications < 2 or not joint or ctl.dof == 0:
            return math.nan
        rng = np.random.default_rng(seed_of(self.seed, "robustness/noise"))
        noise = noise_draws(self.gains, ctl, joint, self.replications, draws, rng,
                            self.measures)
        nom = self.metric_table()
        nom = nom[nom.point == 0].set_index("measure").reindex(self.measures)
        gains = (nom["gain"].to_numpy() + noise).ravel()
        e = self.economics.loc[[(0, m) for m in self.measures] * draws]
        net, payback = _value(gains, e)
        metric = {"net": net, "gain": gains, "payback": -payback}[self.rank_by]
        best = np.argmax(metric.reshape(draws, len(self.measures)), axis=1)
        return float(np.mean(best == self.measures.index(first)))

    @property
    def drivers(self) -> pd.DataFrame:
        """One row per parameter: Spearman correlation over the joint points between the
        parameter's position in its range and the nominal first's lead (its metric minus the
        best other measure's; below zero it has lost first place), with the p-value and the
        p-value adjusted for testing every parameter (Benjamini-Hochberg); and the
        one-at-a-time ends at which another measure comes first, with whether it leads there
        by more than the noise (``..._clear``)."""
        first = self._nominal_full_ranking()[0]
        col = {"net": "monthly_net", "gain": "gain", "payback": "payback_days"}[self.rank_by]
        sign = -1.0 if self.rank_by == "payback" else 1.0
        t = self.table
        joint = [p for p in self.points if p.kind == "joint"]
        lead = []
        for p in joint:
            v = t[t.point == p.id].set_index("measure")[col].replace([np.inf, -np.inf], np.nan)
            lead.append(sign * (v[first] - v.drop(first).max()) if len(v) > 1 else np.nan)
        tor = self.tornado
        rows = []
        for i, prm in enumerate(self.ranges.parameters):
            u = [dict(p.position)[prm.name] for p in joint]
            rho, pval = (stats.spearmanr(u, lead, nan_policy="omit") if len(joint) >= 3
                         else (math.nan, math.nan))
            flips = tor[(tor.parameter == prm.name) & (tor.measure == first)]
            pick = (lambda c: flips[c].iloc[0] if len(flips) else "")  # noqa: E731
            rows.append((prm.name, float(rho), float(pval), pick("first_at_low"),
                         bool(pick("first_at_low_clear")), pick("first_at_high"),
                         bool(pick("first_at_high_clear")), prm.source))
        df = pd.DataFrame(rows, columns=["parameter", "spearman_rho", "p_value",
                                         "first_at_low", "first_at_low_clear", "first_at_high",
                                         "first_at_high_clear", "source"])
        ok = df["p_value"].notna()
        df["p_adjusted"] = np.nan
        if ok.any():  # Benjamini-Hochberg over the parameters tested
            df.loc[ok, "p_adjusted"] = stats.false_discovery_control(df.loc[ok, "p_value"])
        return df.sort_values("p_value", ignore_index=True, na_position="last")


def _value(gain: np.ndarray, e: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Monthly net value (gain x margin - monthly cost, currency a month) and payback in
    working days (one-off cost / daily net; infinite when the net is not positive) of gains
    (units a month) with economics rows ``e`` (one per gain)."""
    net = gain * e["margin"].to_numpy() - e["monthly_cost"].to_numpy()
    per_day = net / e["working_days_per_month"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = np.where(per_day > 0, e["one_off_cost"].to_numpy() / per_day, np.inf)
    return net, payback


def _share(flags) -> float:
    flags = list(flags)
    return float(np.mean(flags)) if flags else math.nan


