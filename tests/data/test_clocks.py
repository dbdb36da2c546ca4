"""Clocks rebuilt from the calendar, and times between failures measured on them."""

from __future__ import annotations

import datetime as dt
import importlib.util

import numpy as np
import pandas as pd
import pytest

from linesim.data.clock import WorkingClock, merge, period_scenario
from linesim.data.fit_stops import StopTimes, _clock_of, failure_items, ladder_work
from linesim.scenario import load_scenario
from linesim.scenario.patch import with_values

DAY1 = dt.date(2023, 3, 1)  # a Wednesday; shifts 07:30-18:00 with lunch 12:00-12:30


@pytest.fixture(scope="module")
def base(sample_dir):
    return load_scenario(sample_dir / "base.yaml")


@pytest.fixture(scope="module")
def clock(base):
    return WorkingClock(period_scenario(base, DAY1, DAY1 + dt.timedelta(days=1)))


def test_working_clock_counts_shift_minutes_only(clock):
    # 07:30 -> 0; 12:00 -> 270; lunch adds nothing; 18:00 -> 600; the next day 07:40 -> 610
    assert clock.at([450, 720, 750, 1080, 1440 + 460]).tolist() == [0, 270, 270, 600, 610]
    assert clock.total == 1200 and clock.working_days == 2
    for w in [0, 100, 270, 271, 600, 601, 1199]:
        assert clock.at(clock.calendar_at(w)) == pytest.approx(w)
    assert clock.calendar_at(271) == 751  # the first working minute after lunch


def test_running_clock_leaves_out_stops(clock):
    stops = merge([(500, 560), (540, 600), (1000, 1200)])
    assert stops == [(500, 600), (1000, 1200)]
    # up to 18:00 of day one: 600 working minutes, 100 in the first stop, 80 in the second
    assert float(clock.running(1080, stops)) == pytest.approx(600 - 100 - 80)


def test_ladder_work_inverts_the_generators_ladder(sample_dir):
    spec = importlib.util.spec_from_file_location("make_data", sample_dir / "make_data.py")
    md = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(md)
    thresholds, speedups = [30.0, 60.0, 600.0], [1.0, 1.5, 2.0]
    work = np.array([5.0, 30.0, 50.0, 400.0, 2000.0])
    minutes = np.array([md._ladder_minutes(w, thresholds, speedups) for w in work])
    # speed 1 up to 60 minutes (the first level keeps speedup 1), then 1.5, then 2 after 600
    assert minutes[:3].tolist() == [5.0, 30.0, 50.0]
    assert minutes[3] == pytest.approx(60 + 340 / 1.5)
    assert minutes[4] == pytest.approx(600 + (2000 - 60 - 540 * 1.5) / 2)
    assert ladder_work(minutes, thresholds, speedups) == pytest.approx(work)


def _stops(rows):
    df = pd.DataFrame(rows, columns=["line", "station", "start", "end", "kind", "cause"],
                      dtype=object)
    for c in ("start", "end"):
        df[c] = [None if v is None else dt.datetime.fromisoformat(v) for v in df[c]]
    return df


@pytest.mark.parametrize("clock_kind, expected", [
    # failures end 08:00 and start 09:00, 13:00 (lunch in between), then open to the end
    ("calendar", [60.0, 240.0 - 10.0, 2 * 1440 - 13 * 60 - 10.0]),
    ("working", [60.0, 240.0 - 10.0 - 30.0, 600 - (13 * 60 + 10 - 450 - 30) + 600]),
    # the operating clock also leaves out a whole-line stop 10:00-10:20
    ("operating", [60.0, 240.0 - 10.0 - 30.0 - 20.0,
                   600 - (13 * 60 + 10 - 450 - 30) + 600]),
])
def test_times_between_failures_on_each_clock(base, clock, clock_kind, expected):
    sc = with_values(base, {"lines[L1].stations[winding].failures[wire-break].clock": clock_kind})
    df = _stops([
        ["L1", "winding", "2023-03-01T07:50", "2023-03-01T08:00", "failure", "wire-break"],
        ["L1", "winding", "2023-03-01T09:00", "2023-03-01T09:10", "failure", "wire-break"],
        ["L1", None, "2023-03-01T10:00", "2023-03-01T10:20", "quality", "process problem"],
        ["L1", "winding", "2023-03-01T13:00", "2023-03-01T13:10", "failure", "wire-break"],
    ])
    times = StopTimes(df, clock, DAY1)
    idx = times.select(kind="failure", line="L1", station="winding", cause="wire-break")
    c = _clock_of(times, clock_kind, "L1", "winding")
    got = [*(c(times.start[idx][1:]) - c(times.end[idx][:-1])),
           float(c(times.clock.end) - c(times.end[idx][-1]))]
    assert got == pytest.approx(expected)
    item = next(it for it in failure_items(sc, times)
                if it.path == "lines[L1].stations[winding].failures[wire-break].ttf")
    assert item.value is None and item.records == 2  # too few to fit: the base value is kept
