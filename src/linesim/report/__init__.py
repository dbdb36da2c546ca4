"""Reports of runs and comparisons: readable text for the terminal and the files of ``--out``.

A face: it reads results and experiments and never reaches into the engine.
"""

from .compare import format_comparison, write_comparison
from .run import format_report, write_tables

__all__ = ["format_comparison", "format_report", "write_comparison", "write_tables"]
