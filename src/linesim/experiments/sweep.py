"""Scenario sweeps: every point x replication of a sweep file, on local processes or a Dask
cluster, stored run by run in a Parquet dataset that survives a crash.

Layout of ``out/``: ``manifest.json`` (the sweep, its points, written once), ``runs/`` (one
Parquet file per finished run, ``p{point}-r{replication}.parquet``, each written atomically)
and ``log.jsonl`` (one line per run executed: which, by which process, when). ``resume``
skips every run whose file exists and recomputes none; a kill loses at most the runs in
flight. A run that raises is stored with its error and the sweep goes on.

Replication r of every point uses the streams of (sweep seed, r), so results do not depend
on the executor, the number of workers or the order of execution.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import write_text_atomic
from ..engine import simulate_record
from ..results.kpis import KPI_NAMES, plant_kpis
from ..results.losses import CATEGORIES, CAUSES, loss_categories, plant_losses
from ..results.stats import t_interval
from ..scenario.countermeasure import apply, load_countermeasure
from ..scenario.load import ScenarioError, load_scenario
from ..scenario.model import Scenario
from ..scenario.patch import with_values
from ..scenario.sweep import Sweep, load_sweep

_CACHE: dict[str, Scenario] = {}
BATCH = 4  # runs per task at most


def _point_scenario(base: Scenario, base_key: str, settings: dict[str, Any]) -> Scenario:
    key = base_key + json.dumps(settings, sort_keys=True, default=str)
    sc = _CACHE.get(key)
    if sc is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        sc = _CACHE[key] = with_values(base, settings, source="sweep point")
    return sc


def run_one(job: tuple[Scenario, str, dict[str, Any], int, int, int]) -> dict[str, Any]:
    """Run point ``p`` replication ``r``; returns the row (errors are caught and kept).
    ``base_key`` identifies the base scenario for the per-process cache of points."""
    base, base_key, settings, seed, p, r = job
    row: dict[str, Any] = {"point": p, "replication": r, "seed": seed, "error": None}
    try:
        rec = simulate_record(_point_scenario(base, base_key, settings), seed, r)
        row.update(plant_kpis(rec))
        row.update({f"loss_{k}": v for k, v in plant_losses(rec).items()})
        row.update({f"category_{k}": v for k, v in loss_categories(rec).items()})
    except ScenarioError as exc:
        row["error"] = "; ".join(exc.problems)
    except Exception as exc:  # a run that raises is recorded and the sweep goes on
        row["error"] = f"{type(exc).__name__}: {exc}"
    return row


def run_batch(jobs: list[tuple]) -> list[dict[str, Any]]:
    """Several runs in one task (see :func:`run_one`)."""
    return [run_one(j) for j in jobs]


def _label(v: Any) -> Any:
    return v if isinstance(v, (int, float, str, bool)) or v is None else json.dumps(v)


class SweepRun:
    """A sweep bound to its output directory."""

    def __init__(self, sweep: Sweep, base_dir: Path, out: Path):
        self.sweep = sweep
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        base = load_scenario(base_dir / sweep.base)
        if sweep.countermeasures:
            base = apply(base, [load_countermeasure(base_dir / c) for c in sweep.countermeasures])
        if sweep.days is not None:
            base = with_values(base, {"horizon.days": sweep.days}, source="sweep days")
        self.base = base
        self.points = sweep.points()
        self.settings = sweep.settings()
        spec = json.dumps({"sweep": sweep.model_dump(mode="json"),
                           "base": base.model_dump(mode="json", by_alias=True)},
                          sort_keys=True)
        self.digest = hashlib.sha256(spec.encode()).hexdigest()
        parts = [f"{p.name} ({p.source})" if p.source else p.name for p in base.materials.parts]
        #: the columns every run file has, in order, so the dataset has one schema
        self.columns = ["point", "replication", "seed", "error", *KPI_NAMES,
                        *(f"loss_{c}" for c in CAUSES), *(f"loss_no_material: {p}" for p in parts),
                        *(f"category_{c}" for c in CATEGORIES),
                        *(f"factor_{f.name}" for f in sweep.factors)]

    def path_of(self, p: int, r: int) -> Path:
        return self.runs_dir / f"p{p:06d}-r{r:05d}.parquet"

    def prepare(self, resume: bool) -> None:
        """Write the manifest, or check it against this sweep when resuming."""
        manifest = self.out / "manifest.json"
        if manifest.exists():
            old = json.loads(manifest.read_text())
            if not resume:
                raise ScenarioError(str(self.out), ["already holds a sweep; use --resume to "
                                                    "finish it, or another --out"])
            if old.get("digest") != self.digest:
                raise ScenarioError(str(self.out), ["holds a different sweep (the sweep file, "
                                                    "base or countermeasures changed)"])
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if not manifest.exists():
            write_text_atomic(manifest, json.dumps({
                "name": self.sweep.name, "digest": self.digest, "seed": self.sweep.seed,
                "replications": self.sweep.replications,
                "factors": [f.name for f in self.sweep.factors],
                "points": [{k: _label(v) for k, v in pt.items()} for pt in self.points],
            }, indent=2) + "\n")

    def pending(self) -> list[tuple[int, int]]:
        done = {f.name for f in self.runs_dir.glob("p*-r*.parquet")}
        return [(p, r) for p in range(len(self.points)) for r in range(self.sweep.replications)
                if self.path_of(p, r).name not in done]

    def store(self, row: dict[str, Any]) -> None:
        p, r = row["point"], row["replication"]
        for name, label in self.points[p].items():
            row[f"factor_{name}"] = _label(label)
        ok = row["error"] is None
        for c in self.columns:
            if c not in row:
                row[c] = 0.0 if ok and c.startswith(("loss_", "category_")) else float("nan")
        df = pd.DataFrame([row])[self.columns + [c for c in row if c not in self.columns]]
        df["error"] = df["error"].astype("string")
        target = self.path_of(p, r)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        df.to_parquet(tmp, index=False)
        os.replace(tmp, target)
        with open(self.out / "log.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps({"point": p, "replication": r, "pid": os.getpid(),
                                  "time": time.time()}) + "\n")

    def execute(self, jobs: Iterable[tuple[int, int]], executor: Executor | None,
                workers: int | None, progress: Callable[[], None] | None) -> int:
        jobs = list(jobs)
        seed = self.sweep.seed
        args = [(self.base, self.digest, self.settings[p], seed, p, r) for p, r in jobs]
        if not args:
            return 0
        if executor is None and (workers or 1) <= 1:
            for a in args:
                self.store(run_one(a))
                if progress:
                    progress()
            return len(args)
        own = executor is None
        ex = executor or ProcessPoolExecutor(max_workers=workers)
        # a few runs per task amortise the executor's per-task cost (a Dask scheduler's
        # especially); a kill loses at most the runs of the tasks in flight
        size = max(1, min(BATCH, len(args) // (4 * (workers or 2))))
        batches = [args[i:i + size] for i in range(0, len(args), size)]
        try:
            futures = [ex.submit(run_batch, b) for b in batches]
            for f in as_completed(futures):
                for row in f.result():
                    self.store(row)
                    if progress:
                        progress()
        finally:
            if own:
                ex.shutdown(cancel_futures=True)
        return len(args)


def run_sweep(path: str | Path, out: str | Path, workers: int | None = None,
          executor: Executor | None = None, client: Any = None, resume: bool = False,
          progress: Callable[[], None] | None = None) -> "SweepResult":
    """Run the sweep file ``path`` into the directory ``out`` (see the module docstring).

    ``workers`` local processes (default all cores), or an ``executor``
    (concurrent.futures), or a ``dask.distributed.Client`` as ``client``."""
    path = Path(path)
    sw = load_sweep(path)
    run = SweepRun(sw, path.parent, Path(out))
    run.prepare(resume)
    if client is not None and executor is None:
        executor = client.get_executor()
    run.execute(run.pending(), executor, workers or os.cpu_count(), progress)
    return SweepResult(run.out)


class SweepResult:
    """The stored runs of a sweep directory, as tidy tables."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.manifest = json.loads((self.out / "manifest.json").read_text())

    @property
    def factors(self) -> list[str]:
        return list(self.manifest["factors"])

    @property
    def runs(self) -> pd.DataFrame:
        """One row per finished run: point, replication, seed, factor_*, KPIs, loss_*,
        category_*, error; sorted by point and replication."""
        files = sorted((self.out / "runs").glob("p*-r*.parquet"))
        if not files:
            return pd.DataFrame()
        df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
        ok = df["error"].isna()
        for c in df.columns:  # a cause that did not occur in a run lost it nothing
            if c.startswith(("loss_", "category_")):
                df.loc[ok, c] = df.loc[ok, c].fillna(0.0)
        return df.sort_values(["point", "replication"], ignore_index=True)

    def summary(self, kpis: Iterable[str] = ("units", "oee", "plan_attainment"),
                level: float = 0.95) -> pd.DataFrame:
        """Per point and KPI: the factors, mean, interval and the number of good runs."""
        df = self.runs
        ok = df[df["error"].isna()] if "error" in df else df
        fcols = [f"factor_{f}" for f in self.factors]
        rows = []
        for point, g in ok.groupby("point"):
            for k in kpis:
                mean, lo, hi = t_interval(g[k].to_numpy(), level)
                rows.append({"point": point, **{c[7:]: g[c].iloc[0] for c in fcols},
                             "kpi": k, "mean": mean, "ci_low": lo, "ci_high": hi,
                             "n": len(g)})
        return pd.DataFrame(rows)

    def best(self, kpi: str = "units", n: int = 5, largest: bool = True) -> pd.DataFrame:
        """The ``n`` best points by the mean of ``kpi``."""
        s = self.summary([kpi])
        return s.sort_values("mean", ascending=not largest).head(n).reset_index(drop=True)

    def _repr_html_(self) -> str:
        runs = self.runs
        failed = int(runs["error"].notna().sum()) if len(runs) else 0
        return (f"<b>sweep {self.manifest['name']}</b>: {len(self.manifest['points'])} points, "
                f"{len(runs)} runs stored ({failed} failed)"
                + self.best("units").to_html(float_format=lambda v: f"{v:,.2f}"))

    @property
    def errors(self) -> pd.DataFrame:
        df = self.runs
        return df[df["error"].notna()] if "error" in df else df.iloc[0:0]
