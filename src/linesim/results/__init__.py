"""Results layer: run records -> tidy DataFrames, KPIs, the loss waterfall, intervals."""

from .kpis import KPI_NAMES, line_kpis, plant_kpis
from .losses import CAUSES, line_waterfall, plant_losses, waterfall
from .run_result import RunResult, simulate
from .stats import half_width, t_interval

__all__ = ["CAUSES", "KPI_NAMES", "RunResult", "half_width", "line_kpis", "line_waterfall",
           "plant_kpis", "plant_losses", "simulate", "t_interval", "waterfall"]
