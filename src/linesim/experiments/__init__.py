"""Experiments: replications (and, later, comparisons and sweeps) built on runs."""

from .replicate import Replications, replicate, run_many

__all__ = ["Replications", "replicate", "run_many"]
