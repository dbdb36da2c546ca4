"""The one job runner of linesim: a list of jobs through one function, in this process, on
local worker processes or on a Dask cluster; progress per job; errors captured per job.

Every experiment (replicate, compare, sweep) runs its simulations through :class:`Runner`.

- **Serial** (``workers=1``, or a single job): in this process.
- **Processes**: a ``ProcessPoolExecutor`` whose workers die with their parent. Each worker
  asks the kernel for SIGKILL when its parent dies (Linux ``PR_SET_PDEATHSIG``) and, on any
  system, watches its parent process id once a second: a ``kill -9`` of the main process
  leaves no worker behind holding memory and output pipes.
- **Dask**: a ``dask.distributed.Client`` (or any ``concurrent.futures.Executor``). Losing the
  scheduler, or every worker for ``lost_after`` seconds, raises :class:`ClusterLost` instead of
  a traceback or a wait without end.

A job that raises becomes a :class:`JobError` in the results (its index, exception type and
message); the other jobs go on. Results come back in job order whatever order they finish in.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: seconds between two looks at a Dask cluster while waiting for results
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class JobError:
    """A job that raised: its index in the job list, the exception type and message."""

    index: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class JobFailed(RuntimeError):
    """Raised by :func:`check` when a job of an experiment that needs all of them failed."""

    def __init__(self, what: str, error: JobError):
        self.error = error
        super().__init__(f"{what} {error.index} failed: {error}")


class ClusterLost(RuntimeError):
    """The Dask scheduler, or every one of its workers, went away during a run."""


def check(results: Sequence[Any], what: str = "job") -> list[Any]:
    """``results`` as a list, or :class:`JobFailed` naming the first failed job."""
    for r in results:
        if isinstance(r, JobError):
            raise JobFailed(what, r)
    return list(results)


# ----------------------------------------------------------------------------- workers

def _watch_parent(parent: int) -> None:
    """In a worker: exit at once when the parent process is gone (re-parented)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def guard_worker(parent: int) -> None:
    """Worker initializer: die with the parent process ``parent`` (see the module docstring)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # no prctl: the watcher thread alone does it
            pass
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="linesim-parent-watch").start()


def run_chunk(fn: Callable[[Any], Any], start: int, args: Sequence[Any]) -> list[Any]:
    """Run ``fn`` on each of ``args`` (jobs ``start``, ``start+1``, ...); a job that raises
    gives a :class:`JobError` and the next one runs."""
    out: list[Any] = []
    for i, a in enumerate(args, start):
        try:
            out.append(fn(a))
        except Exception as exc:  # captured per job, reported by the caller
            out.append(JobError(i, type(exc).__name__, str(exc)))
    return out


def _kill_pool(ex: cf.ProcessPoolExecutor) -> None:
    """Stop a process pool now: cancel what waits, terminate what runs."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()


# ----------------------------------------------------------------------------- runner

class Runner:
    """Runs job lists; use as a context manager so that its worker pool ends with it.

    ``workers`` local processes (None: all cores; 1: this process), or an ``executor``, or
    a Dask ``client``. ``lost_after``: seconds without a Dask worker before
    :class:`ClusterLost`."""

    def __init__(self, workers: int | None = None, executor: cf.Executor | None = None,
                 client: Any = None, lost_after: float = 60.0):
        self.workers = workers or os.cpu_count() or 1
        self.client = client
        self.executor = executor
        if client is not None and executor is None:
            self.executor = client.get_executor()
        self.lost_after = lost_after
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.shutdown(cancel_futures=True)
            else:  # interrupted or failed: do not wait for the runs in flight
                _kill_pool(self._pool)
            self._pool = None

    def _executor(self, n_jobs: int) -> cf.Executor | None:
        if self.executor is not None:
            return self.executor
        if self.workers <= 1 or n_jobs <= 1:
            return None
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers, initializer=guard_worker, initargs=(os.getpid(),))
        return self._pool

    def run(self, fn: Callable[[Any], Any], args: Sequence[Any], batch: int = 1,
            progress: Callable[[], None] | None = None,
            on_result: Callable[[int, Any], None] | None = None) -> list[Any]:
        """``fn(a)`` for every ``a`` of ``args``, in job order; a job that raised is a
        :class:`JobError`. ``batch`` jobs go in one task (fewer round trips to a cluster).
        ``on_result(index, result)`` and ``progress()`` are called, in this process, as
        each job finishes. ``fn`` must be a module-level function (it is pickled)."""
        args = list(args)
        results: list[Any] = [None] * len(args)

        def take(start: int, chunk: list[Any]) -> None:
            for i, r in enumerate(chunk, start):
                results[i] = r
                if on_result:
                    on_result(i, r)
                if progress:
                    progress()

        ex = self._executor(len(args))
        if ex is None:
            for i, a in enumerate(args):
                take(i, run_chunk(fn, i, [a]))
            return results
        size = max(1, batch)
        futures = {ex.submit(run_chunk, fn, s, args[s:s + size]): s
                   for s in range(0, len(args), size)}
        for f in self._as_completed(futures):
            take(futures[f], self._result(f))
        return results

    def _result(self, f: cf.Future) -> list[Any]:
        try:
            return f.result()
        except cf.CancelledError:
            if self.client is None:
                raise
            raise ClusterLost("the Dask scheduler went away (its tasks were cancelled); "
                              "finished runs are kept") from None
        except OSError as exc:
            if self.client is None:
                raise
            raise ClusterLost(f"lost the Dask scheduler: {exc}") from None

    def _as_completed(self, futures: dict[cf.Future, int]):
        """Futures as they finish; with a Dask client, checks the cluster while waiting."""
        if self.client is None:
            yield from cf.as_completed(futures)
            return
        pending = set(futures)
        alone_since: float | None = None
        while pending:
            done, pending = cf.wait(pending, timeout=POLL_SECONDS,
                                    return_when=cf.FIRST_COMPLETED)
            yield from done
            if done or not pending:
                alone_since = None
                continue
            alone_since = self._check_cluster(alone_since)

    def _check_cluster(self, alone_since: float | None) -> float | None:
        """None while the cluster has workers; else when it was first seen without any
        (monotonic seconds). Raises :class:`ClusterLost` past ``lost_after``."""
        try:
            workers = len(self.client.nthreads())
        except Exception as exc:  # any failure to reach the scheduler means it is gone
            raise ClusterLost(f"lost the Dask scheduler: {type(exc).__name__}: {exc}") from None
        if workers:
            return None
        now = time.monotonic()
        if alone_since is None:
            return now
        if now - alone_since > self.lost_after:
            raise ClusterLost(f"the Dask cluster has had no worker for {self.lost_after:g} s; "
                              "finished runs are kept")
        return alone_since


def run_jobs(fn: Callable[[Any], Any], args: Sequence[Any], workers: int | None = None,
             executor: cf.Executor | None = None, client: Any = None, batch: int = 1,
             progress: Callable[[], None] | None = None,
             on_result: Callable[[int, Any], None] | None = None) -> list[Any]:
    """One job list through a fresh :class:`Runner` (see :meth:`Runner.run`)."""
    with Runner(workers, executor, client) as runner:
        return runner.run(fn, args, batch, progress, on_result)
