"""``linesim schema``: print the JSON Schema of scenario files."""

from __future__ import annotations

import argparse
import json

from ..scenario import Scenario

NAME = "schema"
HELP = "print the JSON Schema of scenario files"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """No arguments."""


def run(args: argparse.Namespace) -> int:
    print(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))
    return 0
