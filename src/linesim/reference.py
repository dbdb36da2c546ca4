"""Reference documentation generated from the schemas, so that it cannot drift.

``python -m linesim.reference`` rewrites ``docs/scenario-reference.md`` and
``docs/cli-reference.md``; a test regenerates them and compares.
"""

from __future__ import annotations

import argparse
import os
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .cli import build_parser
from .scenario.countermeasure import Change, Countermeasure
from .scenario.model import Scenario
from .scenario.sweep import Sweep

ROOT = Path(__file__).resolve().parents[2]


def _type(tp) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        names = [_type(a) for a in args if a is not type(None)]
        dists = {"Fixed", "Exponential", "Normal", "Lognormal", "Uniform", "Triangular",
                 "Empirical"}
        if set(names) <= dists and len(names) > 1:
            return "distribution"
        out = " or ".join(dict.fromkeys(names))
        return out + (" or null" if type(None) in args else "")
    if origin is typing.Literal:
        return " \\| ".join(repr(a) for a in args)
    if origin in (tuple, list):
        return f"list of {_type(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {_type(args[0])} to {_type(args[1])}"
    if isinstance(tp, type):
        return {"str": "text", "int": "whole number", "float": "number", "bool": "true/false",
                "date": "date", "Any": "any"}.get(tp.__name__, tp.__name__)
    return str(tp).replace("typing.", "")


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model reachable from its fields, in order of first use."""
    seen: list[type[BaseModel]] = []

    def visit(tp) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.append(tp)
            for f in tp.model_fields.values():
                visit(f.annotation)
            return
        for a in typing.get_args(tp):
            visit(a)

    visit(root)
    return seen


def _default(f) -> str:
    if f.is_required():
        return "required"
    d = f.default
    if d is PydanticUndefined:
        return "(empty)"
    if isinstance(d, BaseModel):
        return "see below"
    if d in ((), {}, None) or d == {}:
        return "empty" if d != None else "none"  # noqa: E711
    return f"`{d!r}`"


def _constraints(f) -> str:
    unit = " characters" if f.annotation is str else " items"
    out = []
    for m in f.metadata:
        for name, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="),
                          ("min_length", "at least"), ("max_length", "at most")):
            v = getattr(m, name, None)
            if v is not None:
                out.append(f"{sym} {v}" + (unit if "length" in name else ""))
    return ", ".join(out)


def model_reference(root: type[BaseModel], title: str, intro: str) -> str:
    lines = [f"# {title}", "", intro.strip(), ""]
    for m in _models(root):
        doc = (m.__doc__ or "").strip()
        lines += [f"## {m.__name__}", ""]
        if doc:
            lines += [" ".join(doc.split()), ""]
        lines += ["| field | type | default | limits | meaning |", "| --- | --- | --- | --- | --- |"]
        for name, f in m.model_fields.items():
            if f.exclude:
                continue
            key = f.alias or name
            desc = (f.description or "").replace("|", "\\|")
            lines.append(f"| `{key}` | {_type(f.annotation)} | {_default(f)} | "
                         f"{_constraints(f)} | {desc} |")
        lines.append("")
    return "\n".join(lines)


def scenario_reference() -> str:
    intro = """
Generated from the schema by `python -m linesim.reference`; do not edit by hand. Every
duration is in **minutes** unless the field says days; a *distribution* is a number (fixed)
or a mapping with `dist:` one of fixed (`value`), exponential (`mean`), normal, lognormal,
uniform, triangular (`mean`, `spread`), gamma, weibull (`shape`, `scale`) or empirical
(`samples`). See
`docs/model.md` for how the engine uses each field and `linesim schema` for the JSON Schema.

A scenario file may give `plan_file:` (a CSV or Excel plan table, relative to the file)
instead of `plan:`; the loader reads it into `plan` each time the file is loaded (see
`docs/plant-data.md`, table `plan`).
"""
    parts = [model_reference(Scenario, "Scenario reference", intro),
             model_reference(Countermeasure, "Countermeasure reference", """
A countermeasure file: a name, costs and changes by field path (`a.b[2].c`, `[name]` picks
the item with that name, `[*]` every item). Each change has `path` and one of `set`,
`scale`, `add`."""),
             model_reference(Change, "Change", "One change of a countermeasure."),
             model_reference(Sweep, "Sweep reference", """
A sweep file: a base scenario (path relative to the sweep file), countermeasures applied to
every point, factors by field path and a design.""")]
    return "\n".join(parts)


def cli_reference() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: make it fixed
    parser = build_parser()
    lines = ["# Command-line reference", "",
             "Generated from the argument parser by `python -m linesim.reference`.", "",
             "```", parser.format_help().rstrip(), "```", ""]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        p.prog = f"linesim {name}"
        lines += [f"## linesim {name}", "", "```", p.format_help().rstrip(), "```", ""]
    return "\n".join(lines)


def write(docs: Path = ROOT / "docs") -> list[Path]:
    docs.mkdir(exist_ok=True)
    out = []
    for name, text in (("scenario-reference.md", scenario_reference()),
                       ("cli-reference.md", cli_reference())):
        path = docs / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover
    for p in write():
        print(p)
