"""Sizes of modules and functions, and branches per function, counted with ``ast``.

Limits: a module at most :data:`MAX_MODULE_LINES` lines; a function at most
:data:`MAX_FUNCTION_LINES` lines (``def`` to its last line) and :data:`MAX_BRANCHES`
branches. Branches are ``if``, ``for``, ``while``, ``try``, ``with``, ``match``, each
``except`` handler, each boolean operator (``a and b or c`` is two), each comprehension
``for`` and each conditional expression; a nested function's branches count for it, not for
the function around it.

Run ``python -m linesim.tools.sizes``: it prints every breach (known exceptions listed by the
tests are not exempt here) and exits with 1 if there is any, else 0.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import NamedTuple

from .imports import module_name, package_root

MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 60
MAX_BRANCHES = 20

_BRANCH_NODES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith,
                 ast.Match, ast.ExceptHandler, ast.comprehension, ast.IfExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
if sys.version_info >= (3, 11):
    _BRANCH_NODES += (ast.TryStar,)


class Breach(NamedTuple):
    """One module or function over a limit."""

    where: str  #: ``module`` or ``module:function`` (methods as ``Class.method``)
    what: str  #: ``module lines``, ``function lines`` or ``branches``
    value: int
    limit: int

    def __str__(self) -> str:
        return f"{self.where}: {self.value} {self.what} (limit {self.limit})"


def branches(func: ast.AST) -> int:
    """Branches of one function, not counting those of functions defined inside it."""
    count = 0
    todo = list(ast.iter_child_nodes(func))
    while todo:
        node = todo.pop()
        if isinstance(node, _FUNCTIONS):
            continue
        if isinstance(node, _BRANCH_NODES):
            count += 1
        elif isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
        todo.extend(ast.iter_child_nodes(node))
    return count


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) of every function and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from _functions(node, prefix + node.name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)


def breaches(root: Path | None = None) -> list[Breach]:
    """Every module and function of the package over a limit."""
    root = root or package_root()
    out = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(root, path)
        text = path.read_text()
        n = len(text.splitlines())
        if n > MAX_MODULE_LINES:
            out.append(Breach(module, "module lines", n, MAX_MODULE_LINES))
        for name, node in _functions(ast.parse(text, str(path))):
            where = f"{module}:{name}"
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                out.append(Breach(where, "function lines", lines, MAX_FUNCTION_LINES))
            b = branches(node)
            if b > MAX_BRANCHES:
                out.append(Breach(where, "branches", b, MAX_BRANCHES))
    return out


def main() -> int:
    """Print every breach; 1 if there is any, else 0."""
    found = breaches()
    for b in found:
        print(b)
    if not found:
        print("no module, function or branch count over its limit")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
