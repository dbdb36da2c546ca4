"""The one job runner: errors per job, order kept, workers that die with their parent, a
lost Dask cluster as a clean error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import ROOT

from linesim.experiments.jobs import ClusterLost, JobError, JobFailed, Runner, check, run_jobs


def _square_or_fail(x: int) -> int:
    if x == 3:
        raise ValueError("three is bad")
    return x * x


def _slow(x: float) -> float:
    time.sleep(x)
    return x


@pytest.mark.parametrize("workers, batch", [(1, 1), (2, 1), (2, 3)])
def test_errors_are_captured_per_job_and_order_is_kept(workers, batch):
    seen = []
    out = run_jobs(_square_or_fail, range(6), workers=workers, batch=batch,
                   on_result=lambda i, r: seen.append(i))
    assert out[:3] == [0, 1, 4] and out[4:] == [16, 25]
    assert out[3] == JobError(3, "ValueError", "three is bad")
    assert sorted(seen) == list(range(6))
    with pytest.raises(JobFailed, match="replication 3 failed: ValueError: three is bad"):
        check(out, "replication")


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(cond, limit: float = 60.0) -> bool:
    """Poll ``cond`` until it holds (a hang guard, not a speed check)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_main_process_leaves_no_worker_behind(tmp_path, sig):
    cmd = [sys.executable, "-m", "linesim.cli", "run", str(ROOT / "scenarios" / "baseline.yaml"),
           "-r", "6", "-w", "2", "--days", "20"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        assert _wait(lambda: len(_children(proc.pid)) >= 2), "the pool never started"
        workers = _children(proc.pid)
        os.kill(proc.pid, sig)
        proc.wait()
        assert _wait(lambda: not any(_alive(w) for w in workers)), "workers outlived the parent"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
def test_a_dask_cluster_without_workers_is_a_clean_error():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as cl, \
            distributed.Client(cl) as client:
        with Runner(client=client, lost_after=2) as runner:
            with pytest.raises(ClusterLost, match="no worker"):
                runner.run(_square_or_fail, [1, 2])


def test_losing_the_dask_scheduler_is_a_clean_error():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    try:
        threading.Timer(1.0, cluster.close).start()
        with Runner(client=client, lost_after=2) as runner:
            with pytest.raises(ClusterLost, match="scheduler|no worker"):
                runner.run(_slow, [0.5] * 40)
    finally:
        client.close()
        cluster.close()


def _die(x: int) -> int:
    if x == 2:
        os._exit(9)  # a worker killed mid-job (the OOM killer, kill -9)
    return x


def test_a_worker_that_dies_is_a_clean_error():
    with pytest.raises(ClusterLost, match="a worker process died"):
        run_jobs(_die, range(4), workers=2)
