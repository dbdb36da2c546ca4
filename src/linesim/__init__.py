"""linesim: discrete-event simulation of assembly lines for capacity what-if analysis.

>>> import linesim
>>> sc = linesim.load_scenario("scenarios/baseline.yaml")   # doctest: +SKIP
>>> res = linesim.replicate(sc, replications=10)            # doctest: +SKIP
>>> res.summary                                             # doctest: +SKIP
>>> fixture = linesim.load_countermeasure("scenarios/countermeasures/laser-fixture.yaml")  # doctest: +SKIP
>>> cmp = linesim.compare(sc, [fixture], replications=10)   # doctest: +SKIP

Users import from here only; deeper paths may move.
"""

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

__all__ = ["Appraisal", "Comparison", "Countermeasure", "Diagnosis", "Portfolio",
           "Replications", "RunResult", "Scenario", "ScenarioError", "Sweep", "SweepResult",
           "apply", "capacity_sensitivity", "compare", "diagnose", "load_countermeasure",
           "load_scenario", "load_sweep", "plain_name", "portfolio", "replicate", "run_sweep",
           "scenario_from_dict", "simulate", "working_days_per_month", "write_report",
           "__version__"]
