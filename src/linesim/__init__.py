"""linesim: discrete-event simulation of assembly lines for capacity what-if analysis.

>>> import linesim
>>> sc = linesim.load_scenario("scenarios/baseline.yaml")   # doctest: +SKIP
>>> res = linesim.replicate(sc, replications=10)            # doctest: +SKIP
>>> res.summary                                             # doctest: +SKIP
>>> fixture = linesim.load_countermeasure("scenarios/countermeasures/laser-fixture.yaml")  # doctest: +SKIP
>>> cmp = linesim.compare(sc, [fixture], replications=10)   # doctest: +SKIP

>>> records = linesim.read_records("examples/plant-data")        # doctest: +SKIP
>>> fit = linesim.fit_scenario(sc, records)                     # doctest: +SKIP
>>> linesim.backtest(fit.scenario, records["output"]).lines     # doctest: +SKIP

Users import from here only; deeper paths may move.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: public name -> (module, attribute): imported on first use, so that ``import linesim`` and a
#: worker process that only simulates do not pay for pandas, scipy and matplotlib.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Appraisal": ("linesim.experiments", "Appraisal"),
    "Backtest": ("linesim.data", "Backtest"),
    "Comparison": ("linesim.experiments", "Comparison"),
    "Countermeasure": ("linesim.scenario.countermeasure", "Countermeasure"),
    "Diagnosis": ("linesim.experiments", "Diagnosis"),
    "FitOutcome": ("linesim.data", "FitOutcome"),
    "Portfolio": ("linesim.experiments", "Portfolio"),
    "Ranges": ("linesim.scenario.ranges", "Ranges"),
    "RecordsError": ("linesim.data", "RecordsError"),
    "Replications": ("linesim.experiments", "Replications"),
    "Robustness": ("linesim.experiments.ranking", "Robustness"),
    "RunResult": ("linesim.results", "RunResult"),
    "Scenario": ("linesim.scenario", "Scenario"),
    "ScenarioError": ("linesim.scenario", "ScenarioError"),
    "Sweep": ("linesim.scenario.sweep", "Sweep"),
    "SweepResult": ("linesim.experiments", "SweepResult"),
    "apply": ("linesim.scenario.countermeasure", "apply"),
    "backtest": ("linesim.data", "backtest"),
    "capacity_sensitivity": ("linesim.experiments", "capacity_sensitivity"),
    "compare": ("linesim.experiments", "compare"),
    "diagnose": ("linesim.experiments", "diagnose"),
    "field_value": ("linesim.data", "field_value"),
    "fit_scenario": ("linesim.data", "fit_scenario"),
    "import_plan": ("linesim.data", "import_plan"),
    "load_countermeasure": ("linesim.scenario.countermeasure", "load_countermeasure"),
    "load_ranges": ("linesim.scenario.ranges", "load_ranges"),
    "load_scenario": ("linesim.scenario", "load_scenario"),
    "load_sweep": ("linesim.scenario.sweep", "load_sweep"),
    "plain_name": ("linesim.engine.states", "plain_name"),
    "portfolio": ("linesim.experiments", "portfolio"),
    "read_record_table": ("linesim.data", "read_table"),
    "read_records": ("linesim.data", "read_folder"),
    "replicate": ("linesim.experiments", "replicate"),
    "robustness": ("linesim.experiments.robustness", "robustness"),
    "run_sweep": ("linesim.experiments", "run_sweep"),
    "scenario_from_dict": ("linesim.scenario", "scenario_from_dict"),
    "simulate": ("linesim.results", "simulate"),
    "working_days_per_month": ("linesim.experiments", "working_days_per_month"),
    "write_report": ("linesim.report.management", "write_report"),
}


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'linesim' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = ["Appraisal", "Backtest", "Comparison", "Countermeasure", "Diagnosis", "FitOutcome",
           "Portfolio", "Ranges", "RecordsError", "Replications", "Robustness", "RunResult",
           "Scenario", "ScenarioError", "Sweep", "SweepResult", "apply", "backtest",
           "capacity_sensitivity", "compare", "diagnose", "field_value", "fit_scenario",
           "import_plan", "load_countermeasure", "load_ranges", "load_scenario", "load_sweep",
           "plain_name", "portfolio", "read_record_table", "read_records", "replicate",
           "robustness", "run_sweep", "scenario_from_dict", "simulate",
           "working_days_per_month", "write_report", "__version__"]
