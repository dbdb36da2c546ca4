"""Plant records in: readers (CSV/Excel), checks against a scenario, fitting of
distributions with censoring, plan import and the back-test against daily output.

A lower layer than the faces: imports only ``scenario``, ``engine``, ``results`` and
``experiments``."""

from .errors import RecordsError
from .records import FORMATS, read_folder, read_table

__all__ = ["FORMATS", "RecordsError", "read_folder", "read_table"]
