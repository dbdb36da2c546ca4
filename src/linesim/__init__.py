"""linesim: discrete-event simulation of assembly lines for capacity what-if analysis.

>>> import linesim
>>> sc = linesim.load_scenario("scenarios/baseline.yaml")   # doctest: +SKIP
>>> res = linesim.replicate(sc, replications=10)            # doctest: +SKIP
>>> res.summary                                             # doctest: +SKIP
"""

from .experiments import Replications, replicate
from .results import RunResult, simulate
from .scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict

__version__ = "0.1.0"

__all__ = ["Replications", "RunResult", "Scenario", "ScenarioError", "load_scenario",
           "replicate", "scenario_from_dict", "simulate", "__version__"]
