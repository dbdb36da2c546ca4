"""A scenario that takes its plan from a plan file (``plan_file:``), and ``plan import --link``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from linesim.cli import main
from linesim.data import import_plan, read_table
from linesim.scenario import load_scenario
from linesim.scenario.load import ScenarioError

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plant-data"
HEADER = "date,line,product,quantity,backups\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A scenario folder: ``base.yaml`` with ``plan_file: plans/plan.csv`` and that plan."""
    data = yaml.safe_load((SAMPLE / "base.yaml").read_text(encoding="utf-8"))
    data.pop("plan", None)
    (tmp_path / "plans").mkdir()
    shutil.copy(SAMPLE / "plan.csv", tmp_path / "plans" / "plan.csv")
    (tmp_path / "base.yaml").write_text(
        yaml.safe_dump({"plan_file": "plans/plan.csv", **data}, sort_keys=False), encoding="utf-8")
    return tmp_path


def test_plan_file_gives_the_same_plan_as_plan_import(folder):
    linked = load_scenario(folder / "base.yaml")
    imported = import_plan(load_scenario(SAMPLE / "base.yaml"), read_table(SAMPLE / "plan.csv", "plan"))
    assert linked.plan == imported.plan
    assert linked.plan["L2"].dates and linked.plan["L2"].daily == ()


def test_plan_file_is_read_again_on_each_load(folder):
    plan = folder / "plans" / "plan.csv"
    plan.write_text(HEADER + "2023-03-01,L1,LB-100,200,LB-200\n2023-03-01,L1,LB-200,100,LB-200\n",
                    encoding="utf-8")
    sc = load_scenario(folder / "base.yaml")
    day = sc.horizon.start
    assert [(i.product, i.quantity) for i in sc.plan["L1"].items_on(day)] == [
        ("LB-100", 200), ("LB-200", 100)]
    assert sc.plan["L1"].backups == ("LB-200",) and sc.plan["L2"].dates == {}


@pytest.mark.parametrize("row, fragment", [
    ("2023-03-05,L1,LB-100,300,", "row 2, column date: 2023-03-05 is not a working day"),
    ("2023-06-01,L1,LB-100,300,", "row 2, column date: date 2023-06-01 is outside the horizon"),
    ("2023-03-01,L9,LB-100,300,", "row 2, column line: unknown line 'L9'"),
    ("2023-03-01,L1,LB-100,x,", "row 2, column quantity: must be a whole number, got 'x'"),
])
def test_bad_plan_file_rows_are_named(folder, row, fragment):
    plan = folder / "plans" / "plan.csv"
    plan.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder / "base.yaml")
    assert f"plan_file: {plan}, {fragment}" in str(err.value), str(err.value)


def test_plan_file_problems_of_the_key_itself(folder):
    path = folder / "base.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for value, fragment in [("missing.csv", "missing.csv: no such file"),
                            (3, "plan_file: must be the name of a CSV or Excel file")]:
        path.write_text(yaml.safe_dump({**data, "plan_file": value}), encoding="utf-8")
        with pytest.raises(ScenarioError, match=fragment):
            load_scenario(path)
    path.write_text(yaml.safe_dump({**data, "plan": {}}), encoding="utf-8")
    with pytest.raises(ScenarioError, match="either plan or plan_file, not both"):
        load_scenario(path)


def test_validate_names_the_row_and_exits_2(folder, capsys):
    (folder / "plans" / "plan.csv").write_text(HEADER + "2023-03-01,L1,SL-400,3,\n", encoding="utf-8")
    assert main(["validate", str(folder / "base.yaml")]) == 2
    err = capsys.readouterr().err
    assert "row 2, column product: line L1 does not make product 'SL-400'" in err
    assert "Traceback" not in err


def test_plan_import_link_writes_a_scenario_that_reads_the_file(tmp_path, capsys):
    plan = tmp_path / "sheets" / "plan.csv"
    plan.parent.mkdir()
    shutil.copy(SAMPLE / "plan.csv", plan)
    out = tmp_path / "scen" / "planned.yaml"
    out.parent.mkdir()
    assert main(["plan", "import", str(plan), "--scenario", str(SAMPLE / "base.yaml"),
                 "--out", str(out), "--link"]) == 0
    assert "linked to" in capsys.readouterr().out
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["plan_file"] == "../sheets/plan.csv" and "plan" not in data
    base = load_scenario(SAMPLE / "base.yaml")
    assert load_scenario(out).plan == import_plan(base, read_table(plan, "plan")).plan
    plan.write_text(HEADER + "2023-03-01,L1,LB-100,7,\n", encoding="utf-8")
    after = load_scenario(out)
    assert [i.quantity for i in after.plan["L1"].items_on(after.horizon.start)] == [7]
