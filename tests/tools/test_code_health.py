"""The house rules of the code base, checked on the source with ``ast``: no import cycles, no
upward imports between layers, no module over 350 lines, no function over 60 lines or 20
branches (see :mod:`linesim.tools.imports` and :mod:`linesim.tools.sizes`)."""

from __future__ import annotations

import ast
import warnings

from linesim.tools import imports, sizes

#: KNOWN EXCEPTIONS: none. An entry may only be added with a reason and an owner, and must be
#: removed when its code is brought within the rules (a stale entry gives a warning).
KNOWN_CYCLES: list[list[str]] = []
KNOWN_BREACHES: set[tuple[str, str]] = set()


def test_no_import_cycles():
    found = imports.cycles(imports.import_graph())
    new = [c for c in found if c not in KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"
    stale = [c for c in KNOWN_CYCLES if c not in found]
    if stale:
        warnings.warn(f"no longer cycles, remove from KNOWN_CYCLES: {stale}", stacklevel=1)


def test_no_upward_imports_between_layers():
    assert imports.upward_imports(imports.import_graph()) == []


def test_every_module_has_a_layer():
    for module in imports.import_graph():
        assert imports.layer_of(module) in range(5), module


def test_sizes_and_branches_within_limits():
    found = {(b.where, b.what): b for b in sizes.breaches()}
    new = [str(b) for key, b in found.items() if key not in KNOWN_BREACHES]
    assert not new, "over the limits:\n" + "\n".join(new)
    stale = KNOWN_BREACHES - set(found)
    if stale:
        warnings.warn(f"within the limits now, remove from KNOWN_BREACHES: {stale}",
                      stacklevel=1)


def test_engine_results_scenario_have_no_known_exception_of_their_own():
    lanes = ("linesim.engine", "linesim.results")
    assert not [w for w, _ in KNOWN_BREACHES if w.startswith(lanes)]


# -- the checkers themselves find what they must ------------------------------------------

def test_branch_count_follows_the_stated_rules():
    src = '''
def f(xs):
    if xs and xs[0] or not xs:          # if + 2 boolean operators
        return [x for x in xs if x]     # comprehension (its if is part of it)
    for x in xs:                        # for
        try:                            # try
            y = 1 if x else 2           # conditional expression
        except ValueError:              # except
            pass
        with open(x) as fh:             # with
            while fh:                   # while
                def inner():
                    if x: pass          # counts for inner only
    return None
'''
    func = ast.parse(src).body[0]
    assert sizes.branches(func) == 10


def test_cycle_and_upward_import_are_found():
    graph = {"linesim.engine.a": {"linesim.engine.b": 3, "linesim.results.kpis": 4},
             "linesim.engine.b": {"linesim.engine.a": 5}, "linesim.results.kpis": {}}
    assert imports.cycles(graph) == [["linesim.engine.a", "linesim.engine.b"]]
    assert imports.upward_imports(graph) == [
        "linesim.engine.a (layer 1) imports linesim.results.kpis (layer 2) at line 4"]
