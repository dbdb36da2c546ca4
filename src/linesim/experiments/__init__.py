"""Experiments: replications, comparisons of countermeasures, packages under a budget,
bottleneck diagnoses, sweeps."""

from .bottlenecks import Diagnosis, capacity_sensitivity, diagnose
from .compare import Comparison, compare
from .economics import Appraisal, working_days_per_month
from .portfolio import Portfolio, best_package, portfolio
from .replicate import Replications, replicate, run_many
from .sweep import SweepResult, run_sweep

__all__ = ["Appraisal", "Comparison", "Diagnosis", "Portfolio", "Replications", "SweepResult",
           "best_package", "capacity_sensitivity", "compare", "diagnose", "portfolio",
           "replicate", "run_many", "run_sweep", "working_days_per_month"]
