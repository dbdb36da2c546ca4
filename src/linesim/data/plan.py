"""A scenario with its plan replaced by a ``plan`` records table (see
:mod:`linesim.records.plan` for the rules)."""

from __future__ import annotations

import pandas as pd

from ..records.plan import plan_data
from ..scenario.model import Scenario
from ..scenario.patch import with_values


def import_plan(sc: Scenario, df: pd.DataFrame) -> Scenario:
    """``sc`` with its plan replaced by the plan table ``df`` (validated again)."""
    return with_values(sc, {"plan": plan_data(df, sc)}, df.attrs.get("source", "plan"))
