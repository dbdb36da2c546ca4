"""Every plot function renders a PNG of the baseline."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from helpers import ROOT  # noqa: E402

import linesim  # noqa: E402
from linesim import plots  # noqa: E402
from linesim.experiments.compare import compare  # noqa: E402
from linesim.scenario.countermeasure import load_countermeasure  # noqa: E402
from linesim.scenario.patch import with_values  # noqa: E402


@pytest.fixture(scope="module")
def short(baseline):
    return with_values(baseline, {"horizon.days": 4})


@pytest.fixture(scope="module")
def run(short):
    return linesim.simulate(short, 2, event_log=True)


@pytest.fixture(scope="module")
def cmp(short):
    files = ["laser-fixture.yaml", "prekit.yaml", "relief-pool.yaml"]
    ms = [load_countermeasure(ROOT / "scenarios" / "countermeasures" / f) for f in files]
    return compare(short, ms, replications=3, workers=1)


def _png(ax, tmp_path, name):
    assert isinstance(ax, matplotlib.axes.Axes)
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path)
    plt.close(ax.figure)
    assert path.stat().st_size > 5000
    return path


@pytest.mark.slow
def test_run_plots(run, tmp_path):
    _png(plots.waterfall(run), tmp_path, "waterfall")
    _png(plots.waterfall(run, line="L1"), tmp_path, "waterfall_l1")
    _png(plots.gantt(run, "L1", 1), tmp_path, "gantt")
    _png(plots.utilisation(run, "L2"), tmp_path, "utilisation")
    fig, ax = plt.subplots()
    assert plots.waterfall(run, ax=ax) is ax  # draws on the given Axes
    plt.close(fig)


def test_replication_plots(short, tmp_path):
    reps = linesim.replicate(short, 3, workers=1)
    _png(plots.cumulative_output(reps), tmp_path, "cumulative")
    _png(plots.waterfall(reps), tmp_path, "waterfall_mean")


@pytest.mark.slow
def test_comparison_plots(cmp, tmp_path):
    _png(plots.gains(cmp), tmp_path, "gains")
    _png(plots.shapley(cmp), tmp_path, "shapley")
    _png(plots.payback(cmp), tmp_path, "payback")


@pytest.mark.slow
def test_sweep_plots(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(f"""
name: plot-sweep
base: {ROOT / "scenarios" / "baseline.yaml"}
replications: 2
days: 2
factors:
  - {{name: prekit, path: materials.warehouse.prekit, values: [false, true]}}
  - {{name: staging, path: materials.warehouse.staging_time.mean, values: [20, 40, 60]}}
""")
    res = linesim.run_sweep(f, tmp_path / "out", workers=1)
    _png(plots.sweep_heatmap(res, "staging", "prekit"), tmp_path, "heatmap")
    _png(plots.sweep_lines(res, "staging", hue="prekit"), tmp_path, "lines")


def test_gantt_needs_the_event_log(short):
    with pytest.raises(ValueError, match="event_log"):
        plots.gantt(linesim.simulate(short, 1), "L1", 0)


@pytest.mark.slow
def test_cli_writes_plots(tmp_path):
    from linesim.cli import main

    base = str(ROOT / "scenarios" / "baseline.yaml")
    assert main(["run", base, "-r", "2", "--days", "3", "-w", "1", "--json", "--plots",
                 str(tmp_path / "run")]) == 0
    assert {p.name for p in (tmp_path / "run").glob("*.png")} >= {"waterfall.png",
                                                                  "cumulative_output.png"}
    cm = str(ROOT / "scenarios" / "countermeasures" / "prekit.yaml")
    assert main(["compare", base, cm, "-r", "2", "--days", "2", "-w", "1", "--json",
                 "--plots", str(tmp_path / "cmp")]) == 0
    assert {p.name for p in (tmp_path / "cmp").glob("*.png")} == {"gains.png", "shapley.png",
                                                                  "payback.png"}
    assert main(["compare", base, cm, "-r", "2", "--days", "2", "-w", "1", "--json",
                 "--shapley", "off", "--plots", str(tmp_path / "off")]) == 0
    assert {p.name for p in (tmp_path / "off").glob("*.png")} == {"gains.png", "payback.png"}


@pytest.mark.slow
def test_results_render_as_html_tables(run, cmp, short):
    assert "<table" in run._repr_html_()
    assert "<table" in linesim.replicate(short, 2, workers=1)._repr_html_()
    assert "<table" in cmp._repr_html_()
