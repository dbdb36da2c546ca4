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

from .data import (Backtest, FitOutcome, RecordsError, backtest, field_value, fit_scenario,
                   import_plan)
from .data import read_folder as read_records
from .data import read_table as read_record_table
from .engine.states import plain_name
from .experiments import (Appraisal, Comparison, Diagnosis, Portfolio, Replications, SweepResult,
                          capacity_sensitivity, compare, diagnose, portfolio, replicate,
                          run_sweep, working_days_per_month)
from .report.management import write_report
from .results import RunResult, simulate
from .scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from .scenario.countermeasure import Countermeasure, apply, load_countermeasure
from .scenario.sweep import Sweep, load_sweep

__version__ = "0.1.0"

__all__ = ["Appraisal", "Backtest", "Comparison", "Countermeasure", "Diagnosis", "FitOutcome",
           "Portfolio", "RecordsError", "Replications", "RunResult", "Scenario", "ScenarioError",
           "Sweep", "SweepResult", "apply", "backtest", "capacity_sensitivity", "compare",
           "diagnose", "field_value", "fit_scenario", "import_plan", "load_countermeasure",
           "load_scenario", "load_sweep", "plain_name", "portfolio", "read_record_table",
           "read_records", "replicate", "run_sweep", "scenario_from_dict", "simulate",
           "working_days_per_month", "write_report", "__version__"]
