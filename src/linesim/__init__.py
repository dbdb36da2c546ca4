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
from .experiments import Comparison, Replications, SweepResult, compare, replicate, run_sweep
from .results import RunResult, simulate
from .scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from .scenario.countermeasure import Countermeasure, apply, load_countermeasure
from .scenario.sweep import Sweep, load_sweep

__version__ = "0.1.0"

__all__ = ["Comparison", "Countermeasure", "Replications", "RunResult", "Scenario",
           "ScenarioError", "Sweep", "SweepResult", "apply", "compare", "load_countermeasure",
           "load_scenario", "load_sweep", "plain_name", "replicate", "run_sweep",
           "scenario_from_dict", "simulate", "__version__"]
