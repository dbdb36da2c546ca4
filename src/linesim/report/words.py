"""Plain words for a report: field paths and countermeasure changes, money, days, shares."""

from __future__ import annotations

import math
import re

from ..scenario.countermeasure import Change, Countermeasure

_PART = re.compile(r"^(?P<key>[^\[\]]+)(\[(?P<sel>[^\]]*)\])?$")


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def path_in_words(path: str) -> str:
    """``lines[*].stations[laser welding].cycle_time.mean`` -> "mean cycle time of station
    laser welding on every line"."""
    words = []
    for part in path.split("."):
        m = _PART.match(part)
        if m is None:
            words.append(part)
            continue
        key = m["key"].replace("_", " ")
        sel = m["sel"]
        if sel is None:
            words.append(key)
        elif sel == "*":
            words.append(f"every {_singular(key)}")
        else:
            words.append(f"{_singular(key)} {sel}")
    joined = len(words) >= 2 and words[-1] in ("mean", "spread", "value")
    head = " ".join(reversed(words[-2:])) if joined else words[-1]
    rest = words[:-2] if joined else words[:-1]
    return head + "".join(f" of {w}" for w in reversed(rest))


def change_in_words(c: Change) -> str:
    """One change of a countermeasure in words."""
    where = path_in_words(c.path)
    if c.op == "scale":
        pct = (c.scale - 1) * 100
        how = f"{abs(pct):.0f}% {'more' if pct > 0 else 'less'}" if pct else "unchanged"
        return f"multiply the {where} by {c.scale:g} ({how})"
    if c.op == "add":
        v = c.add
        if isinstance(v, list):
            return f"add {len(v)} to the {where}: {_value(v)}"
        return f"add {_value(v)} to the {where}"
    return f"set the {where} to {_value(c.set_)}"


def _value(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v)
    if isinstance(v, dict):
        return str(v.get("name") or ", ".join(f"{k} {_value(x)}" for k, x in v.items()))
    return str(v)


def measure_assumptions(m: Countermeasure) -> list[tuple[str, str]]:
    """(words, field path) of each change of ``m``."""
    out = []
    for c in m.changes:
        value = c.scale if c.op == "scale" else (c.add if c.op == "add" else c.set_)
        out.append((change_in_words(c), f"{c.path}: {c.op} {_value(value)}"))
    return out


def money(v: float, currency: str = "") -> str:
    if not math.isfinite(v):
        return "-"
    return f"{v:,.0f}" + (f" {currency}" if currency else "")


def days(v: float) -> str:
    return "never" if not math.isfinite(v) else f"{v:,.0f}"


def interval(lo: float, hi: float, fmt=lambda v: f"{v:,.0f}") -> str:
    """'[lo, hi]' with 'never' for an infinite end."""
    def one(v):
        return "never" if isinstance(v, float) and math.isinf(v) else (
            "-" if v != v else fmt(v))
    return f"[{one(lo)}, {one(hi)}]"
