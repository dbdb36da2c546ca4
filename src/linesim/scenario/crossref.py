"""Cross-reference checks of a whole scenario: every name that points somewhere must exist.

Each problem comes back as (field path, message); :class:`~linesim.scenario.model.Scenario`
reports them all at once.
"""

from __future__ import annotations

from typing import Any

from .base import minutes_of
from .ordering import open_order_problems
from .workforce import Workforce

#: The validated :class:`~linesim.scenario.model.Scenario` and its ``Calendar``. They are not
#: imported: ``model`` runs these checks from its validator, so importing it back here, even
#: for type hints only, would make an import cycle.
Scenario = Any
Calendar = Any

#: Upper bound of the work a scenario may ask for (station cycles over the horizon).
MAX_STATION_CYCLES = 2e8


def working_day_minutes(cal: Calendar) -> float:
    """Scheduled minutes of a working day: shifts (with fixed overtime) less breaks."""
    total = sum(sh.length_min for sh in cal.shifts) + (
        cal.overtime.hours * 60 if cal.overtime.mode == "fixed" else 0)
    return total - sum(minutes_of(b.end) - minutes_of(b.start) for b in cal.breaks)


def _dupes(names: list[str]) -> set[str]:
    seen: set[str] = set()
    return {n for n in names if n in seen or seen.add(n)}  # type: ignore[func-returns-value]


def cross_reference_problems(sc: Scenario) -> list[tuple[str, str]]:
    """Every cross-reference problem of a scenario as (field path, message)."""
    out: list[tuple[str, str]] = []
    for d in sorted(_dupes([p.name for p in sc.products])):
        out.append(("products", f"product name {d!r} appears more than once"))
    for d in sorted(_dupes([ln.name for ln in sc.lines])):
        out.append(("lines", f"line name {d!r} appears more than once"))
    for i, ln in enumerate(sc.lines):
        out += _line_problems(sc, i)
    work = work_estimate(sc)
    if work > MAX_STATION_CYCLES:
        out.append(("horizon.days", f"about {work:.2g} station cycles and failures to simulate; "
                    f"the limit is {MAX_STATION_CYCLES:.0e}: shorten the horizon or lengthen the "
                    "cycle times or times to failure"))
    out += _plan_problems(sc)
    if sc.workforce is not None:
        out.extend(_workforce_problems(sc, sc.workforce))
    out.extend(_material_problems(sc))
    out.extend(_quality_problems(sc))
    return out


def _line_problems(sc: Scenario, i: int) -> list[tuple[str, str]]:
    """Problems of line ``i``: unknown products, duplicate stations, cycle times,
    changeovers and the constraint for products or stations it does not have."""
    ln, here = sc.lines[i], f"lines[{i}]"
    known = {p.name for p in sc.products}
    out = [(f"{here}.products[{j}]", f"unknown product {p!r}; known: {sorted(known)}")
           for j, p in enumerate(ln.products) if p not in known]
    for d in sorted(_dupes([s.name for s in ln.stations])):
        out.append((f"{here}.stations", f"station name {d!r} appears more than once"))
    if ln.stations[-1].start_units:
        out.append((f"{here}.stations[{len(ln.stations) - 1}].start_units",
                    "the last station has no buffer after it: finished units have left the line"))
    can = set(ln.products)
    for k, st in enumerate(ln.stations):
        out += [(f"{here}.stations[{k}].cycle_times.{p}",
                 f"line {ln.name!r} does not make {p!r}; it makes {sorted(can)}")
                for p in st.cycle_times if p not in can]
    for a, row in ln.changeover.matrix.items():
        out += [(f"{here}.changeover.matrix.{a}",
                 f"line {ln.name!r} does not make {b!r}; it makes {sorted(can)}")
                for b in [a, *row] if b not in can]
    if ln.constraint is not None and ln.constraint not in {s.name for s in ln.stations}:
        out.append((f"{here}.constraint", f"no station {ln.constraint!r} on line {ln.name!r}"))
    return out


def work_estimate(sc: Scenario) -> float:
    """About how many station cycles and failure events a run of ``sc`` simulates: every
    server at its fastest cycle over the whole horizon, plus a failure and a repair per
    mean time to failure (on the calendar clock, the fastest)."""
    horizon_min = sc.horizon.days * 1440.0
    work = 0.0
    for ln in sc.lines:
        for st in ln.stations:
            work += st.servers * horizon_min / min(
                [st.cycle_time.mean, *(d.mean for d in st.cycle_times.values())])
            work += sum(2 * st.servers * horizon_min / f.ttf.mean for f in st.failures)
    return work


def _plan_problems(sc: Scenario) -> list[tuple[str, str]]:
    line_names = {ln.name for ln in sc.lines}
    out: list[tuple[str, str]] = []
    for name, lp in sc.plan.items():
        if name not in line_names:
            out.append((f"plan.{name}", f"unknown line {name!r}; lines: {sorted(line_names)}"))
            continue
        can = set(sc.line(name).products)
        days = [("daily", lp.daily)] + [(f"dates.{d.isoformat()}", its) for d, its in lp.dates.items()]
        for where, items in days:
            out += [(f"plan.{name}.{where}[{j}].product",
                     f"line {name!r} does not make {it.product!r}; it makes {sorted(can)}")
                    for j, it in enumerate(items) if it.product not in can]
        out += [(f"plan.{name}.backups[{j}]",
                 f"line {name!r} does not make {b!r}; it makes {sorted(can)}")
                for j, b in enumerate(lp.backups) if b not in can]
    return out


def _quality_problems(sc: Scenario) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    day = working_day_minutes(sc.calendar)
    times = sc.quality.escalation.thresholds(day)
    if sc.quality.stoppages and (times != sorted(times) or len(set(times)) != len(times)):
        out.append(("quality.escalation.levels", "levels must be reached at increasing "
                    f"times; in working minutes ({day:g} a working day) they are {times}"))
    for d in sorted(_dupes([src.name for src in sc.quality.stoppages])):
        out.append(("quality.stoppages", f"stoppage source name {d!r} appears more than once "
                    "(each source has its own random stream, named after it)"))
    line_names = {ln.name for ln in sc.lines}
    known = {p.name for p in sc.products}
    for i, src in enumerate(sc.quality.stoppages):
        out += _unknown(f"quality.stoppages[{i}].lines", src.lines, line_names, "line")
        out += _unknown(f"quality.stoppages[{i}].products", src.products, known, "product")
    return out


def _unknown(path: str, names, known, what: str) -> list[tuple[str, str]]:
    """A problem for every name in ``names`` (a list at ``path``) that is not ``known``."""
    return [(f"{path}[{j}]", f"unknown {what} {n!r}; known: {sorted(known)}")
            for j, n in enumerate(names) if n not in known]


def _workforce_problems(sc: Scenario, wf: Workforce) -> list[tuple[str, str]]:
    posts = {f"{ln.name}/{st.name}" for ln in sc.lines for st in ln.stations}

    def check(path: str, post: str) -> list[tuple[str, str]]:
        if post in posts:
            return []
        return [(path, f"unknown post {post!r}; posts are LINE/STATION, e.g. {min(posts)!r}")]

    out: list[tuple[str, str]] = []
    for i, op in enumerate(wf.operators):
        out += check(f"workforce.operators[{i}].post", op.post)
        for j, p in enumerate(op.skills):
            out += check(f"workforce.operators[{i}].skills[{j}]", p)
    for i, fl in enumerate(wf.floaters):
        for j, p in enumerate(fl.skills):
            out += check(f"workforce.floaters[{i}].skills[{j}]", p)
    for i, sec in enumerate(wf.sections):
        for j, p in enumerate(sec.posts):
            out += check(f"workforce.sections[{i}].posts[{j}]", p)
    return out


def _material_problems(sc: Scenario) -> list[tuple[str, str]]:
    m = sc.materials
    out: list[tuple[str, str]] = []
    parts = {p.name: p for p in m.parts}
    suppliers = {s.name for s in m.suppliers}
    shops = {s.name for s in m.shops}
    for label, names in (("parts", [p.name for p in m.parts]),
                         ("suppliers", [s.name for s in m.suppliers]),
                         ("shops", [s.name for s in m.shops])):
        for d in sorted(_dupes(names)):
            out.append((f"materials.{label}", f"name {d!r} appears more than once"))
    for d in sorted(suppliers & shops):
        out.append(("materials.shops", f"{d!r} is both a supplier and a shop"))
    for i, p in enumerate(m.parts):
        if p.source is not None and p.source not in suppliers | shops:
            out.append((f"materials.parts[{i}].source", f"unknown source {p.source!r}; "
                        f"suppliers: {sorted(suppliers)}, shops: {sorted(shops)}"))
        if p.kind == "in_house" and p.source is not None and p.source not in shops:
            out.append((f"materials.parts[{i}].source",
                        f"an in_house part must come from a shop; shops: {sorted(shops)}"))
    for i, prod in enumerate(sc.products):
        out += _bom_problems(sc, i, set(parts))
    out += open_order_problems(m, sc.horizon.start)
    for i, src in enumerate(sc.quality.stoppages):
        if src.part is not None and src.part not in parts:
            out.append((f"quality.stoppages[{i}].part",
                        f"unknown part {src.part!r}; parts: {sorted(parts)}"))
    return out


def _bom_problems(sc: Scenario, i: int, parts: set[str]) -> list[tuple[str, str]]:
    """Unknown parts and stations in the bill of materials of product ``i``."""
    prod = sc.products[i]
    stations = {st.name for ln in sc.lines if prod.name in ln.products for st in ln.stations}
    out = []
    for j, item in enumerate(prod.bom):
        if item.part not in parts:
            out.append((f"products[{i}].bom[{j}].part",
                        f"unknown part {item.part!r}; parts: {sorted(parts)}"))
        if item.station is not None and stations and item.station not in stations:
            out.append((f"products[{i}].bom[{j}].station",
                        f"no line that makes {prod.name!r} has a station {item.station!r}; "
                        f"stations: {sorted(stations)}"))
    return out
