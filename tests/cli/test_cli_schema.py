"""``linesim schema``: a JSON Schema of scenario files, printed as JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from linesim.cli import main
from linesim.scenario.load import read_yaml
from linesim.scenario.model import Scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
TOP = {"name", "description", "seed", "horizon", "calendar", "products", "lines", "plan"}


@pytest.mark.slow
def test_schema_subprocess(run_cli):
    proc = run_cli("schema")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    schema = json.loads(proc.stdout)
    assert schema["type"] == "object" and schema["title"] == "Scenario"
    assert TOP <= set(schema["properties"])
    assert {"Station", "Line", "Horizon", "Calendar"} <= set(schema["$defs"])


def test_schema_in_process_is_the_models_plus_plan_file(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema.pop("properties").pop("plan_file")["type"] == "string"
    model = Scenario.model_json_schema(by_alias=True)
    model.pop("properties")
    assert schema == model


def test_schema_accepts_bare_numbers_and_the_baseline(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    data = json.loads(json.dumps(read_yaml(BASELINE), default=str))
    assert v.is_valid(data)
    data["lines"][0]["stations"][0]["cycle_time"] = 1.5
    assert v.is_valid(data)
    data["lines"][0]["stations"][0]["cycle_time"] = -1.5
    assert not v.is_valid(data)
    data["lines"][0]["stations"][0]["cycle_time"] = 1.5
    data["lines"][0]["stations"][0]["cycle_tme"] = 1.5
    assert not v.is_valid(data)


@pytest.mark.slow
def test_console_script_is_installed():
    exe = shutil.which("linesim", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the linesim console script is not installed next to this interpreter")
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("linesim ")


def test_schema_prints_no_warnings(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["schema"]) == 0
    assert capsys.readouterr().err == ""
