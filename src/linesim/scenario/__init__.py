"""Scenario layer: validated, immutable data. Imports nothing else of linesim."""

from .distributions import Dist, DistSpec
from .load import ScenarioError, load_scenario, parse_yaml, read_yaml, scenario_from_dict, validate_data
from .model import (
    Break, Calendar, Changeover, FailureMode, Horizon, Line, LinePlan, Overtime, PlanItem,
    Product, Scenario, Shift, Station,
)

__all__ = [
    "Break", "Calendar", "Changeover", "Dist", "DistSpec", "FailureMode", "Horizon", "Line",
    "LinePlan", "Overtime", "PlanItem", "Product", "Scenario", "ScenarioError", "Shift",
    "Station", "load_scenario", "parse_yaml", "read_yaml", "scenario_from_dict", "validate_data",
]
