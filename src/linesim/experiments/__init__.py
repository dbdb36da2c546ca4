"""Experiments: replications, comparisons of countermeasures, sweeps."""

from .compare import Comparison, compare
from .replicate import Replications, replicate, run_many
from .sweep import SweepResult, run_sweep

__all__ = ["Comparison", "Replications", "SweepResult", "compare", "replicate", "run_many",
           "run_sweep"]
