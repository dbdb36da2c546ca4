"""Engine layer: the SimPy runtime built from a scenario. Knows nothing of statistics."""

from .run import LineRecord, RunRecord, StationRecord, simulate_record
from .states import STATES, UNSCHEDULED

__all__ = ["LineRecord", "RunRecord", "STATES", "StationRecord", "UNSCHEDULED", "simulate_record"]
