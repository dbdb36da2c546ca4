"""Results layer: run records -> tidy DataFrames, KPIs, the loss waterfall, intervals."""

from .kpis import KPI_NAMES, line_kpis, plant_kpis
from .losses import CATEGORIES, CAUSES, line_waterfall, loss_categories, plant_losses, waterfall
from .run_result import RunResult, simulate
from .stats import half_width, t_interval

__all__ = ["CATEGORIES", "CAUSES", "loss_categories", "KPI_NAMES", "RunResult", "half_width", "line_kpis", "line_waterfall",
           "plant_kpis", "plant_losses", "simulate", "t_interval", "waterfall"]
