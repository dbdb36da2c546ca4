"""Warnings: scenarios that validate but cannot work as the author surely meant.

A warning does not stop anything (the scenario is valid and runs); ``linesim validate``
lists them and every simulating command prints them to stderr. Each is ``(field path,
message)`` like a validation problem.
"""

from __future__ import annotations

import datetime as dt

from .model import WEEKDAYS, Scenario


def scenario_warnings(sc: Scenario) -> list[tuple[str, str]]:
    """Every warning about ``sc`` as (field path, message), in a stable order."""
    return [*_workforce_warnings(sc), *_backup_warnings(sc), *_plan_date_warnings(sc)]


def _workforce_warnings(sc: Scenario) -> list[tuple[str, str]]:
    wf = sc.workforce
    if wf is None:
        return []
    homes: dict[str, int] = {}
    for op in wf.operators:
        homes[op.post] = homes.get(op.post, 0) + 1
    short = [f"{ln.name}/{st.name}" for ln in sc.lines for st in ln.stations
             if st.crew > 0 and homes.get(f"{ln.name}/{st.name}", 0) < st.crew]
    if not short:
        return []
    if not wf.operators:
        return [("workforce.operators", "no operators: with a workforce every station needs "
                 f"its crew of named operators, so only the posts the {len(wf.floaters)} "
                 "floater(s) can cover will run (often 0 good units); list operators with "
                 "their home post, or remove the workforce")]
    return [("workforce.operators", f"{len(short)} post(s) have fewer home operators than "
             f"their crew needs ({', '.join(short[:5])}{', ...' if len(short) > 5 else ''}); "
             "they run only while a floater or a spare operator covers them")]


def _backup_warnings(sc: Scenario) -> list[tuple[str, str]]:
    out = []
    for name, lp in sc.plan.items():
        if not lp.backups:
            continue
        hit = [s for s in sc.quality.stoppages
               if s.rate_per_hour > 0 and (not s.lines or name in s.lines)]
        if not hit:
            out.append((f"plan.{name}.backups", f"no quality stoppage source stops line "
                        f"{name!r}, so its backup products are never used"))
    return out


def _plan_date_warnings(sc: Scenario) -> list[tuple[str, str]]:
    start = sc.horizon.start
    end = start + dt.timedelta(days=sc.horizon.days)
    workdays = {WEEKDAYS.index(w) for w in sc.calendar.workdays}
    holidays = set(sc.calendar.holidays)
    out = []
    for name, lp in sc.plan.items():
        for day in sorted(lp.dates):
            where = f"plan.{name}.dates.{day.isoformat()}"
            if not start <= day < end:
                out.append((where, f"outside the horizon ({start.isoformat()} to "
                            f"{(end - dt.timedelta(days=1)).isoformat()}): never used"))
            elif day.weekday() not in workdays or day in holidays:
                why = "a holiday" if day in holidays else f"a {day.strftime('%A')}"
                out.append((where, f"{why}, not a working day of the calendar: never used"))
    return out
