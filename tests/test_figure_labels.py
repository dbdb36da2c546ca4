"""Deck-ready figures: every figure is rendered and its title, axis labels (with units),
value labels and time axes are checked through matplotlib's objects."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from helpers import ROOT  # noqa: E402

import linesim  # noqa: E402
from linesim import plots  # noqa: E402
from linesim.experiments.bottlenecks import diagnose  # noqa: E402
from linesim.experiments.compare import compare  # noqa: E402
from linesim.experiments.portfolio import portfolio  # noqa: E402
from linesim.scenario.countermeasure import load_countermeasure  # noqa: E402
from linesim.scenario.patch import with_values  # noqa: E402

UNITS = re.compile(r"units|%|days|CNY|minutes|share|date|time|station|line")


@pytest.fixture(scope="module")
def short(baseline):
    return with_values(baseline, {"horizon.days": 3})


@pytest.fixture(scope="module")
def cmp(short):
    ms = [load_countermeasure(ROOT / "scenarios" / "countermeasures" / f)
          for f in ("laser-fixture.yaml", "prekit.yaml")]
    return compare(short, ms, replications=2, workers=1)


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_xticklabels()] + \
        [t.get_text() for t in ax.get_yticklabels()]


def deck_ready(ax, title: str) -> None:
    ax.figure.canvas.draw()  # renders the figure (tick labels are filled in)
    assert title in ax.get_title()
    assert UNITS.search(ax.get_xlabel()) or UNITS.search(ax.get_ylabel())
    assert not any("_" in t for t in texts(ax) if t), texts(ax)  # no code names
    plt.close(ax.figure)


def test_waterfall_uses_plain_names_and_writes_values(short):
    run = linesim.simulate(short, 1)
    ax = plots.waterfall(run)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "ideal capacity" and labels[-1] == "good units"
    assert "operator away, no relief" in labels or "machine broken down" in labels
    assert len(ax.texts) == len(labels)  # a value on every bar
    assert ax.get_ylabel().startswith("units")
    deck_ready(ax, "Where the capacity went")


def test_gains_one_bar_per_measure_with_values_and_intervals(cmp):
    ax = plots.gains(cmp)
    bars = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)
            and p.get_height() > 0]
    assert len(bars) == len(cmp.measures)  # one bar per measure
    values = {t.get_text() for t in ax.texts}
    assert f"{cmp.table.loc['laser-welding fixture', 'gain']:,.0f}" in values
    assert len(ax.collections) >= 2  # interval lines: gains and Shapley shares
    assert ax.get_xlabel() == "good units per month"
    deck_ready(ax, "Gain of each measure")


def test_shapley_and_payback_have_axis_labels_and_values(cmp):
    ax = plots.shapley(cmp)
    assert "good units per month" in ax.get_xlabel()
    assert ax.texts
    deck_ready(ax, "Shares of the combined gain")
    ax = plots.payback(cmp)
    assert "working days" in ax.get_xlabel()
    fixture = cmp.table.loc["laser-welding fixture"]
    shown = " ".join(t.get_text() for t in ax.texts)
    assert "months" in shown or "never" in shown
    if fixture["payback_days"] < float("inf"):
        assert f"{fixture['payback_days']:,.0f} days" in shown
    deck_ready(ax, "Payback")


@pytest.mark.slow
def test_time_axes_show_dates_and_clock_times(short):
    run = linesim.simulate(short, 1, event_log=True)
    ax = plots.gantt(run, "L1", 1)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(r"\d\d:\d\d", t) for t in ticks), ticks
    assert "02 Aug 2023" in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "machine broken down" in legend and "no_operator" not in legend
    deck_ready(ax, "L1: what each station was doing")
    ax = plots.utilisation(run, "L1")
    ax.figure.canvas.draw()
    assert any(re.search(r"\d\d [A-Z][a-z]{2}", t.get_text()) for t in ax.get_xticklabels())
    assert "%" in ax.get_ylabel()
    deck_ready(ax, "utilisation")
    reps = linesim.replicate(short, 2, workers=1)
    ax = plots.cumulative_output(reps)
    ax.figure.canvas.draw()
    assert any("Aug" in t.get_text() for t in ax.get_xticklabels())
    deck_ready(ax, "Output against plan")


def test_bottleneck_and_sensitivity_figures(short):
    d = diagnose(short, replications=1, workers=1)
    ax = plots.bottleneck_shares(d.summary)
    assert "%" in ax.get_xlabel()
    assert any(t.get_text().endswith("%") for t in ax.texts)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sole bottleneck",
                                                                   "shifting bottleneck"]
    deck_ready(ax, "Bottlenecks by the active-period method")
    ax = plots.bottleneck_timeline(d.table)
    ax.figure.canvas.draw()
    assert any("Aug" in t.get_text() for t in ax.get_xticklabels())
    assert "laser welding" in [t.get_text() for t in ax.get_legend().get_texts()]
    deck_ready(ax, "shift by shift")
    gain = [float(i) for i in range(len(d.summary))]
    table = d.summary.assign(gain=gain, gain_low=[g - 1 for g in gain],
                             gain_high=[g + 1 for g in gain], gain_month=[2 * g for g in gain])
    ax = plots.sensitivity(table)
    assert "10% more capacity" in ax.get_xlabel()
    deck_ready(ax, "Where capacity pays")


def test_frontier_marks_the_budget_and_the_selected_package(short):
    ms = [load_countermeasure(ROOT / "scenarios" / "countermeasures" / f)
          for f in ("relief-pool.yaml", "prekit.yaml")]
    port = portfolio(short, ms, budget=20000, replications=2, workers=1, max_replications=2)
    ax = plots.frontier(port)
    shown = " ".join(t.get_text() for t in ax.texts)
    assert "budget" in shown and port.label(port.selection.best) in shown
    assert ax.get_xlabel() == "one-off cost (CNY)"
    assert ax.get_ylabel() == "gain, good units per month"
    deck_ready(ax, "Packages of measures")
