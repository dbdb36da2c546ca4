"""Import cycles and upward imports between layers, read from the source with ``ast``.

Layers, lowest first (a module may import its own layer and lower ones, never a higher one):
scenario, atomic and records -> engine -> results -> experiments and data -> faces (cli, plots,
figures, report, reference, tools, the package's ``__init__``). Imports made only for type
hints (under ``if TYPE_CHECKING:``) count too: they are dependencies all the same.

Run ``python -m linesim.tools.imports``: it prints every cycle and every upward import and
exits with 1 if there is any, else 0.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = "linesim"
#: first name below the package -> layer number (higher layers may import lower ones)
LAYERS: dict[str, int] = {
    "scenario": 0, "atomic": 0, "records": 0,
    "engine": 1,
    "results": 2,
    "experiments": 3, "data": 3,
    "cli": 4, "plots": 4, "figures": 4, "report": 4, "reference": 4, "tools": 4, "": 4,
}


def package_root() -> Path:
    """The folder of the installed ``linesim`` package."""
    return Path(__file__).resolve().parents[1]


def module_name(root: Path, path: Path) -> str:
    """The dotted name of the module in ``path`` below the package folder ``root``."""
    parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_pkg: bool, node: ast.ImportFrom, known: set[str]) -> list[str]:
    """The linesim modules named by one ``from ... import ...`` statement."""
    if node.level:
        base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_pkg else 0)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    out = [target]
    out += [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
    return [t for t in out if t in known]


def import_graph(root: Path | None = None) -> dict[str, dict[str, int]]:
    """{module: {imported linesim module: line number}} for every module of the package."""
    root = root or package_root()
    files = {module_name(root, p): p for p in sorted(root.rglob("*.py"))}
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        edges: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom):
                targets = _resolve(module, path.name == "__init__.py", node, known)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name in known]
            else:
                continue
            for t in targets:
                if t != module:
                    edges.setdefault(t, node.lineno)
        graph[module] = edges
    return graph


def layer_of(module: str) -> int:
    """The layer of a linesim module (see :data:`LAYERS`)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if top not in LAYERS:
        raise KeyError(f"{module}: {top!r} has no layer; add it to LAYERS in {__name__}")
    return LAYERS[top]


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every import of a higher layer by a lower one, as readable lines."""
    return [f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)}) at line {line}"
            for m, edges in sorted(graph.items()) for t, line in sorted(edges.items())
            if layer_of(t) > layer_of(m)]


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def main() -> int:
    """Print cycles and upward imports; 1 if there is any, else 0."""
    graph = import_graph()
    problems = [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph)]
    problems += [f"upward import: {p}" for p in upward_imports(graph)]
    for p in problems:
        print(p)
    if not problems:
        print(f"{len(graph)} modules: no import cycle, no upward import between layers")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
