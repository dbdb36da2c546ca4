"""The plant's record tables: formats and readers (CSV or Excel) with file/row/column errors,
checks against a scenario, and the plan table turned into a scenario's plan.

Part of the lowest layer, beside ``scenario``: the scenario loader reads a ``plan_file``
with it. Fitting and the back-test, which simulate, live in :mod:`linesim.data`."""
