"""The ``linesim`` command line: thin; parses, calls the library, prints.

One module per command, each with ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> exit code``; a new command is a new module and one entry in :data:`COMMANDS`.

Exit codes: 0 success (warnings about a scenario are printed, and still 0); 1 the work
could not all be done (a run failed, a worker process died, the Dask cluster was lost:
finished runs are kept);
2 bad input (scenario, countermeasure or sweep file, flag, output folder), never a
traceback; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..experiments.jobs import ClusterLost, JobFailed
from ..scenario import ScenarioError
from ..data import RecordsError
from . import (
    backtest, bottlenecks, compare, fit, plan, portfolio, report, robustness, run, schema, sweep,
    validate,
)
from .common import UsageError

#: the commands, in the order ``linesim --help`` lists them
COMMANDS = (validate, run, compare, portfolio, report, bottlenecks, sweep, robustness, plan, fit,
            backtest, schema)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    p = argparse.ArgumentParser(
        prog="linesim",
        description="Discrete-event simulation of assembly lines for capacity what-if analysis.")
    p.add_argument("--version", action="version", version=f"linesim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in COMMANDS:
        cmd.add_arguments(sub.add_parser(cmd.NAME, help=cmd.HELP))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    args = build_parser().parse_args(argv)
    handler = {cmd.NAME: cmd.run for cmd in COMMANDS}[args.command]
    try:
        return handler(args)
    except ScenarioError as exc:
        print(f"linesim: {exc}", file=sys.stderr)
        return 2
    except RecordsError as exc:
        print(f"linesim: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"linesim: error: {exc}", file=sys.stderr)
        return 2
    except (JobFailed, ClusterLost) as exc:
        print(f"linesim: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("linesim: interrupted", file=sys.stderr)
        return 130


__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]
