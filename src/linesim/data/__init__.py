"""Plant records in: readers (CSV/Excel), checks against a scenario, fitting of
distributions with censoring, plan import and the back-test against daily output.

A lower layer than the faces: imports only ``scenario``, ``engine``, ``results`` and
``experiments``."""

from .backtest import Backtest, backtest
from ..records.errors import RecordsError
from .fit_plant import FitOutcome, fit_scenario
from .plan import import_plan
from .provenance import field_value
from ..records.tables import FORMATS, read_folder, read_table

__all__ = ["FORMATS", "Backtest", "FitOutcome", "RecordsError", "backtest", "field_value",
           "fit_scenario", "import_plan", "read_folder", "read_table"]
