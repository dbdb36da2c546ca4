"""Scenario sweeps: every point x replication of a sweep file, on local processes or a Dask
cluster, stored run by run in a Parquet dataset that survives a crash.

Layout of ``out/``: ``manifest.json`` (the sweep, its points, written once), ``runs/`` (one
Parquet file per finished run, ``p{point}-r{replication}.parquet``, each written atomically
and fsynced), ``log.jsonl`` (one line per run executed: which, by which process, when) and
``.lock`` (held while a sweep writes there: a second sweep into the same folder is refused).
``resume`` skips every run whose file is complete (its Parquet footer reads), removes the
temporary files a kill left behind and recomputes nothing else; a kill loses at most the
runs in flight. A run that raises is stored with its error and the sweep goes on.

Before anything runs the whole sweep is checked: the files it names, every factor's path and
levels on the base scenario (:func:`~linesim.scenario.sweep.factor_problems`) and the KPIs
asked for.

Replication r of every point uses the streams of (sweep seed, r), so results do not depend
on the executor, the number of workers or the order of execution.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ..atomic import remove_stale_temps, write_file_atomic, write_text_atomic
from ..engine import simulate_record
from ..results.kpis import KPI_NAMES, plant_kpis
from ..results.losses import CATEGORIES, CAUSES, loss_categories, plant_losses
from ..results.stats import t_interval
from ..scenario.load import ScenarioError
from ..scenario.model import Scenario
from ..scenario.patch import with_values
from ..scenario.sweep import Sweep, factor_problems, load_sweep, sweep_base
from .jobs import JobError, Runner
from .lock import FolderLock

_CACHE: dict[str, Scenario] = {}
BATCH = 4  # runs per task at most
#: KPIs where less is better (a sweep ranks their points from the smallest mean)
LOWER_IS_BETTER = frozenset({"wip", "flow_time", "scrap", "quality_stops", "sent_home_hours",
                             "quality_breaches", "rework_batches"})


def lower_is_better(kpi: str) -> bool:
    """True for KPIs where a smaller value is better (WIP, flow time, losses, ...)."""
    return kpi in LOWER_IS_BETTER or kpi.startswith(("loss_", "category_"))


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


def _label(v: Any) -> Any:
    return v if isinstance(v, (int, float, str, bool)) or v is None else json.dumps(v)


def _valid_run_file(path: Path) -> bool:
    """True if ``path`` is a complete Parquet file of one run (its footer reads)."""
    try:
        return pq.read_metadata(path).num_rows == 1
    except (OSError, ValueError):  # pyarrow's ArrowInvalid is a ValueError
        return False


class SweepRun:
    """A sweep bound to its output directory, checked completely before it runs."""

    def __init__(self, sweep: Sweep, sweep_path: str | Path, out: Path,
                 kpis: Sequence[str] = ()):
        self.sweep = sweep
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        base = sweep_base(sweep, sweep_path)
        problems = factor_problems(sweep, base)
        if problems:
            raise ScenarioError(str(sweep_path), problems)
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
        results = [c for c in self.columns[4:] if not c.startswith("factor_")]
        bad = [k for k in kpis if k not in results]
        if bad:
            raise ScenarioError("--kpi", [f"unknown KPI {k!r}; KPIs: {', '.join(KPI_NAMES)} "
                                          "(and loss_*, category_* columns)" for k in bad])
        self.ran = 0
        self.skipped = 0

    def path_of(self, p: int, r: int) -> Path:
        return self.runs_dir / f"p{p:06d}-r{r:05d}.parquet"

    def prepare(self, resume: bool) -> None:
        """Write the manifest, or check it against this sweep when resuming."""
        manifest = self.out / "manifest.json"
        if manifest.exists():
            old = read_manifest(self.out)
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
        """The runs still to do. Clears temporary files left by a kill and removes (to run
        again) every run file that is not complete."""
        remove_stale_temps(self.runs_dir)
        remove_stale_temps(self.out)
        done = set()
        for f in self.runs_dir.glob("p*-r*.parquet"):
            if _valid_run_file(f):
                done.add(f.name)
            else:
                f.unlink(missing_ok=True)
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
        write_file_atomic(self.path_of(p, r), lambda tmp: df.to_parquet(tmp, index=False))
        with open(self.out / "log.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps({"point": p, "replication": r, "pid": os.getpid(),
                                  "time": time.time()}) + "\n")

    def execute(self, jobs: Iterable[tuple[int, int]], runner: Runner,
                progress: Callable[[], None] | None = None) -> int:
        """Run ``jobs`` (point, replication) through ``runner``, storing each as it ends."""
        jobs = list(jobs)
        seed = self.sweep.seed
        args = [(self.base, self.digest, self.settings[p], seed, p, r) for p, r in jobs]

        def on_result(i: int, row: Any) -> None:
            if isinstance(row, JobError):  # failed outside the run itself (e.g. pickling)
                row = {"point": jobs[i][0], "replication": jobs[i][1], "seed": seed,
                       "error": str(row)}
            self.store(row)

        # a few runs per task amortise the executor's per-task cost (a Dask scheduler's
        # especially); a kill loses at most the runs of the tasks in flight
        size = max(1, min(BATCH, len(args) // (4 * runner.workers)))
        runner.run(run_one, args, batch=size, progress=progress, on_result=on_result)
        return len(args)


def read_manifest(out: Path) -> dict[str, Any]:
    """The ``manifest.json`` of a sweep folder; a clear error if it is missing or broken."""
    path = Path(out) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(str(out), ["holds no sweep (no manifest.json)"]) from None
    except (ValueError, OSError) as exc:
        raise ScenarioError(str(path), [f"cannot be read ({exc}); the folder is damaged: "
                                        "run the sweep again into another --out"]) from None
    if not isinstance(data, dict) or not {"factors", "points", "name"} <= set(data):
        raise ScenarioError(str(path), ["is not a linesim sweep manifest"])
    return data


def run_sweep(path: str | Path, out: str | Path, workers: int | None = None,
              executor: Executor | None = None, client: Any = None, resume: bool = False,
              progress: Callable[[], None] | None = None,
              kpis: Sequence[str] = ()) -> "SweepResult":
    """Run the sweep file ``path`` into the directory ``out`` (see the module docstring).

    ``workers`` local processes (default all cores), or an ``executor``
    (concurrent.futures), or a ``dask.distributed.Client`` as ``client``. ``kpis`` are
    checked to be result columns before anything runs. The result's ``ran`` and
    ``skipped`` count the runs done now and those already finished."""
    path = Path(path)
    sw = load_sweep(path)
    run = SweepRun(sw, path, Path(out), kpis)
    Path(out).mkdir(parents=True, exist_ok=True)
    with FolderLock(Path(out)):
        run.prepare(resume)
        todo = run.pending()
        with Runner(workers, executor, client) as runner:
            ran = run.execute(todo, runner, progress)
    res = SweepResult(run.out)
    res.ran, res.skipped = ran, len(run.points) * sw.replications - ran
    return res


class SweepResult:
    """The stored runs of a sweep directory, as tidy tables."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.manifest = read_manifest(self.out)
        #: runs done by the call that made this result, and runs found already finished
        self.ran: int = 0
        self.skipped: int = 0

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
        frames = []
        for f in files:
            try:
                frames.append(pd.read_parquet(f))
            except (OSError, ValueError):  # an incomplete file (an old kill): not finished
                continue
        if not frames:
            return pd.DataFrame()
        df = pd.concat(frames, ignore_index=True)
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

    def best(self, kpi: str = "units", n: int = 5, largest: bool | None = None) -> pd.DataFrame:
        """The ``n`` best points by the mean of ``kpi``: the largest means, or the smallest
        for a KPI where less is better (:func:`lower_is_better`) or ``largest=False``."""
        if largest is None:
            largest = not lower_is_better(kpi)
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
