"""The public API lives at the top level; the README and notebooks import from it only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import linesim

ROOT = Path(__file__).resolve().parents[1]
DEEP = re.compile(r"(from|import)\s+linesim\.")


def test_every_public_name_resolves():
    for name in linesim.__all__:
        assert getattr(linesim, name) is not None, name
    for name in ("load_countermeasure", "apply", "compare", "run_sweep", "load_sweep"):
        assert callable(getattr(linesim, name)), name


def test_apply_and_compare_from_the_top_level():
    sc = linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    cm = linesim.load_countermeasure(ROOT / "scenarios" / "countermeasures" / "prekit.yaml")
    changed = linesim.apply(sc, [cm])
    assert changed != sc
    assert linesim.load_sweep(next((ROOT / "scenarios" / "sweeps").glob("*.yaml"))).factors


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted((ROOT / "notebooks").glob("*.ipynb"))],
                         ids=lambda p: p.name)
def test_users_import_from_linesim_only(path: Path):
    deep = [ln.strip() for ln in path.read_text().splitlines() if DEEP.search(ln)]
    assert not deep, f"{path.name} imports from deep paths: {deep}"


def test_import_linesim_and_the_engine_load_no_statistics_or_plotting():
    """The public names are imported on first use: ``import linesim`` (and a worker that only
    simulates) pays for neither pandas, scipy nor matplotlib."""
    import subprocess
    import sys

    code = ("import sys, linesim, linesim.engine; "
            "print(sorted(m for m in ('pandas', 'scipy.stats', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves():
    import linesim

    for name in linesim.__all__:
        assert getattr(linesim, name) is not None
    assert set(linesim.__all__) <= set(dir(linesim))
