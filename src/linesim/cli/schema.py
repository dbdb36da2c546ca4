"""``linesim schema``: print the JSON Schema of scenario files."""

from __future__ import annotations

import argparse
import json

from ..scenario import Scenario

NAME = "schema"
HELP = "print the JSON Schema of scenario files"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """No arguments."""


def file_schema() -> dict:
    """The scenario model's JSON Schema plus the loader's ``plan_file`` key."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["properties"]["plan_file"] = {
        "type": "string", "title": "Plan File",
        "description": "plan records (CSV or Excel: date, line, product, quantity, backups), "
                       "relative to the scenario file; read instead of plan when loaded"}
    return schema


def run(args: argparse.Namespace) -> int:
    print(json.dumps(file_schema(), indent=2))
    return 0
