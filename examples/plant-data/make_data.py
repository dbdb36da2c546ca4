"""Make the sample plant records of this folder from the known truth in ``truth.yaml``.

    python examples/plant-data/make_data.py [--out DIR] [--seed S]

Every record is drawn from the truth with the semantics linesim's engine uses (and that
``linesim fit`` assumes), from named random streams of the truth's seed, so the same
command always writes the same files:

- ``stoppages.csv``: failures of each failure mode (time to failure on the mode's clock,
  from the end of the previous repair; repair in calendar minutes) and quality stoppages
  (arrivals per running hour of the line, resolution through the escalation ladder); a stop
  still open at the end of the period has an empty end;
- ``absences.csv``: whole days missed (each person, each working day) and leaves during the
  shift (per working hour at the post);
- ``deliveries.csv``: one order of the supplier's part a working day; due after the lead
  time; late by whole days (at least one) or on time; complete or short;
- ``output.csv``: daily good units per line and product from one engine run of the truth
  (seed = the truth's seed), i.e. the history a back-test compares against;
- ``plan.csv``: the truth's daily plan, one row per line and working day.

The records are statistically the truth's, but not the same realisation as the output run:
the engine does not log its failures and absences one by one.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
from pathlib import Path

from linesim import load_scenario, simulate
from linesim.atomic import write_text_atomic
from linesim.data.clock import WorkingClock
from linesim.engine.calendar import work_days
from linesim.engine.streams import Streams
from linesim.scenario.model import Scenario, working_day_minutes

HERE = Path(__file__).resolve().parent


def _ts(sc: Scenario, minute: float) -> str:
    t = dt.datetime.combine(sc.horizon.start, dt.time()) + dt.timedelta(minutes=minute)
    return t.replace(microsecond=0).isoformat()


def failures(sc: Scenario, clock: WorkingClock, streams: Streams) -> list[list]:
    """Failure records of every mode of every (single-server) station."""
    rows = []
    for ln in sc.lines:
        for st in ln.stations:
            for mode in st.failures:
                key = f"records/failure/{ln.name}/{st.name}/{mode.name}"
                ttf, ttr = streams.sampler(mode.ttf, key + "/ttf"), streams.sampler(mode.ttr, key + "/ttr")
                on = (lambda t: t) if mode.clock == "calendar" else clock.at
                back = (lambda w: w) if mode.clock == "calendar" else clock.calendar_at
                c = 0.0  # the mode's clock at the end of the last repair
                while True:
                    start = back(c + ttf())
                    if start >= clock.end:
                        break
                    end = start + ttr()
                    rows.append([ln.name, st.name, _ts(sc, start),
                                 _ts(sc, end) if end < clock.end else "", "failure", mode.name])
                    if end >= clock.end:
                        break
                    c = float(on(end))
    return rows


def _ladder_minutes(work: float, thresholds: list[float], speedups: list[float]) -> float:
    """Working minutes a stop lasts when it needs ``work`` minutes at the first pace."""
    bounds, speeds = [0.0, *thresholds, math.inf], [1.0, *speedups]
    for a, b, v in zip(bounds, bounds[1:], speeds):
        if work <= (b - a) * v:
            return a + work / v
        work -= (b - a) * v
    return math.inf


def quality(sc: Scenario, clock: WorkingClock, streams: Streams) -> list[list]:
    """Quality stoppages of every line: all sources' arrivals on the running clock (working
    time outside the line's stops), one stop at a time."""
    esc = sc.quality.escalation
    thresholds = esc.thresholds(working_day_minutes(sc.calendar))
    speedups = [lv.speedup for lv in esc.levels]
    rows = []
    for ln in sc.lines:
        sources = [s for s in sc.quality.stoppages if not s.lines or ln.name in s.lines]
        total = sum(s.rate_per_hour for s in sources)
        if total <= 0:
            continue
        key = f"records/quality/{ln.name}"
        gap, pick = streams.get(key + "/arrival").exponential, streams.get(key + "/source").uniform
        work = {s.name: streams.sampler(s.resolution, f"{key}/{s.name}/resolution") for s in sources}
        w = 0.0
        while True:
            w += gap() * 60.0 / total
            start = clock.calendar_at(w)
            if start >= clock.end:
                break
            u, src = pick() * total, sources[-1]
            for s in sources:
                if u < s.rate_per_hour:
                    src = s
                    break
                u -= s.rate_per_hour
            w += _ladder_minutes(work[src.name](), thresholds, speedups)
            end = clock.calendar_at(w)
            rows.append([ln.name, "", _ts(sc, start), _ts(sc, end) if end < clock.end else "",
                         "quality", src.name])
    return rows


def absences(sc: Scenario, clock: WorkingClock, streams: Streams) -> list[list]:
    """Whole days missed and leaves during the shift, per person and working day."""
    wf = sc.workforce
    sa = wf.short_absence
    rows = []
    for person in [o.name for o in wf.operators] + [f.name for f in wf.floaters]:
        key = f"records/absence/{person}"
        day_u, gap = streams.get(key + "/day").uniform, streams.get(key + "/leave").exponential
        length = streams.sampler(sa.duration, key + "/duration")
        for day in work_days(sc):
            if day_u() < wf.absenteeism:
                rows.append([day.date.isoformat(), person, "day", "", ""])
                continue
            w = float(clock.at(day.start))  # leaves arrive per working hour at the post
            w_end = w + day.scheduled_minutes
            while sa.rate_per_hour > 0:
                w += gap() * 60.0 / sa.rate_per_hour
                if w >= w_end:
                    break
                start = clock.calendar_at(w)
                back = start + length()
                rows.append([day.date.isoformat(), person, "leave",
                             _ts(sc, start)[11:], _ts(sc, back)[11:]])
                w = float(clock.at(back))
    return rows


def deliveries(sc: Scenario, streams: Streams) -> list[list]:
    """One order a working day for each part of each supplier."""
    rows = []
    for part in sc.materials.parts:
        sup = next(s for s in sc.materials.suppliers if s.name == part.source)
        key = f"records/delivery/{part.name}"
        lead = streams.sampler(sup.lead_time, key + "/lead")
        late = streams.sampler(sup.late_by, key + "/late")
        u, qty = streams.get(key + "/chance").uniform, streams.get(key + "/quantity").uniform
        for day in work_days(sc):
            ordered = 200 + int(qty() * 600)
            due = day.date + dt.timedelta(days=round(lead()))
            on_time, complete = u() < sup.on_time, u() < sup.complete
            received = due if on_time else due + dt.timedelta(days=max(1, round(late())))
            got = ordered if complete else round(ordered * (1 - sup.short_fraction))
            last = sc.horizon.start + dt.timedelta(days=sc.horizon.days - 1)
            rows.append([part.name, sup.name, day.date.isoformat(), due.isoformat(),
                         received.isoformat() if received <= last else "", ordered,
                         got if received <= last else ""])
    return rows


def output_and_plan(sc: Scenario, seed: int) -> tuple[list[list], list[list]]:
    """Daily good units from one engine run of the truth, and the plan as a plan file."""
    out = simulate(sc, seed).output
    out = out[(out["good_units"] > 0) | (out["planned_units"] > 0)]
    output = [[d.isoformat(), ln, p, int(n)] for d, ln, p, n in
              zip(out["date"], out["line"], out["product"], out["good_units"])]
    plan = [[day.date.isoformat(), line, item.product, item.quantity,
             ";".join(sc.plan[line].backups)]
            for day in work_days(sc) for line in sc.plan for item in sc.plan[line].items_on(day.date)]
    return output, plan


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def main(out: Path, seed: int | None = None) -> None:
    """Write the five record files to ``out``, drawn with ``seed`` (default: the truth's)."""
    sc = load_scenario(HERE / "truth.yaml")
    seed = sc.seed if seed is None else seed
    clock = WorkingClock(sc)
    streams = Streams(seed)
    output, plan = output_and_plan(sc, seed)
    files = {
        "stoppages.csv": _csv(["line", "station", "start", "end", "kind", "cause"],
                              failures(sc, clock, streams) + quality(sc, clock, streams)),
        "absences.csv": _csv(["date", "operator", "kind", "start", "end"], absences(sc, clock, streams)),
        "deliveries.csv": _csv(["part", "supplier", "order_date", "due_date", "received_date",
                                "quantity_ordered", "quantity_received"], deliveries(sc, streams)),
        "output.csv": _csv(["date", "line", "product", "good_units"], output),
        "plan.csv": _csv(["date", "line", "product", "quantity", "backups"], plan),
    }
    for name, text in files.items():
        write_text_atomic(out / name, text)
        print(f"wrote {out / name} ({text.count(chr(10)) - 1} rows)")


def quiet_main(out: Path, seed: int) -> None:
    """:func:`main` without the progress lines (for tests)."""
    import contextlib

    with contextlib.redirect_stdout(io.StringIO()):
        main(out, seed)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    ap.add_argument("--seed", type=int, default=None,
                    help="another draw of the same plant (default: the truth's seed)")
    args = ap.parse_args()
    main(args.out, args.seed)
