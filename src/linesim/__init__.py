"""linesim: discrete-event simulation of assembly lines for capacity what-if analysis.

>>> import linesim
>>> sc = linesim.load_scenario("scenarios/baseline.yaml")   # doctest: +SKIP
>>> res = linesim.replicate(sc, replications=10)            # doctest: +SKIP
>>> res.summary                                             # doctest: +SKIP
"""

from .experiments import Comparison, Replications, SweepResult, compare, replicate, run_sweep
from .results import RunResult, simulate
from .scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict

__version__ = "0.1.0"

__all__ = ["Comparison", "Replications", "RunResult", "Scenario", "ScenarioError",
           "SweepResult", "compare", "load_scenario", "replicate", "run_sweep",
           "scenario_from_dict", "simulate", "__version__"]
