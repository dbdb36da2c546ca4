"""``linesim fit``, ``linesim plan import`` and ``linesim backtest`` as a user runs them."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook

from linesim.cli import main
from linesim.scenario import load_scenario

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plant-data"


def cli(capsys, *args) -> tuple[int, str, str]:
    """Run the command line in this process: exit code, stdout, stderr."""
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def records(tmp_path):
    """A private copy of the sample records to spoil."""
    d = tmp_path / "records"
    d.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, d / f.name)
    return d


@pytest.mark.slow
def test_fit_writes_a_valid_scenario_provenance_and_report(tmp_path, run_cli):
    out = tmp_path / "fitted.yaml"
    proc = run_cli("fit", SAMPLE / "base.yaml", "--data", SAMPLE, "--out", out,
                   "--report", tmp_path / "report")
    assert proc.returncode == 0, proc.stderr
    sc = load_scenario(out)
    assert sc.line("L1").stations[0].failures[0].ttf.mean == pytest.approx(501.327, rel=1e-5)
    prov = (tmp_path / "fitted.provenance.csv").read_text(encoding="utf-8").splitlines()
    assert prov[0] == ("path,source,records,censored,family,parameters,aic,p_value,estimate,"
                       "low,high,base,note")
    assert len(prov) == 21
    pngs = sorted((tmp_path / "report").glob("pp_*.png"))
    assert len(pngs) == 13
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert "workforce.absenteeism" in proc.stdout


@pytest.mark.parametrize("file, line, fragment", [
    ("stoppages.csv", "L1,winding,2023-03-02T09:00,2023-03-02T08:00,failure,wire-break",
     "stoppages.csv, row 300, column end: end 2023-03-02 08:00:00 is before start"),
    ("stoppages.csv", "L7,winding,2023-03-02T09:00,2023-03-02T09:30,failure,wire-break",
     "stoppages.csv, row 300, column line: unknown line 'L7'"),
    ("output.csv", "2023-03-03,L1,LB-100,many",
     "output.csv, row 106, column good_units: must be a whole number, got 'many'"),
    ("absences.csv", "2023-03-05,L1-winding,day,,",
     "absences.csv, row 474, column date: 2023-03-05 is not a working day"),
])
def test_bad_records_exit_2_naming_file_row_and_column(records, tmp_path, file, line, fragment,
                                                      capsys):
    with (records / file).open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    out = tmp_path / "fitted.yaml"
    code, stdout, err = cli(capsys, "fit", SAMPLE / "base.yaml", "--data", records, "--out", out)
    assert code == 2 and stdout == "" and fragment in err, err
    assert not out.exists() and not (tmp_path / "fitted.provenance.csv").exists()


def test_plan_import_from_csv_and_excel(tmp_path, capsys):
    out = tmp_path / "planned.yaml"
    proc = cli(capsys, "plan", "import", SAMPLE / "plan.csv", "--scenario", SAMPLE / "base.yaml",
                   "--out", out)
    assert proc[0] == 0, proc[2]
    truth, sc = load_scenario(SAMPLE / "truth.yaml"), load_scenario(out)
    day = truth.horizon.start
    assert sc.plan["L1"].items_on(day) == truth.plan["L1"].items_on(day)
    assert len(sc.plan["L2"].dates) == 52 and sc.plan["L2"].daily == ()
    wb = Workbook()
    ws = wb.active
    ws.title = "plan"
    ws.append(["date", "line", "product", "quantity", "backups"])
    ws.append(["2023-03-01", "L1", "LB-100", 200, "LB-200"])
    ws.append(["2023-03-01", "L1", "LB-200", 100, "LB-200"])
    wb.save(tmp_path / "plan.xlsx")
    proc = cli(capsys, "plan", "import", tmp_path / "plan.xlsx", "--scenario",
               SAMPLE / "base.yaml", "--out", out)
    assert proc[0] == 0, proc[2]
    sc = load_scenario(out)
    assert [i.quantity for i in sc.plan["L1"].items_on(day)] == [200, 100]
    assert sc.plan["L1"].backups == ("LB-200",)


@pytest.mark.parametrize("row, fragment", [
    ("2023-03-05,L1,LB-100,300,", "row 2, column date: 2023-03-05 is not a working day"),
    ("2023-06-01,L1,LB-100,300,", "row 2, column date: date 2023-06-01 is outside the horizon"),
    ("2023-03-01,L1,SL-400,300,", "row 2, column product: line L1 does not make product"),
    ("2023-03-01,L1,LB-100,-3,", "row 2, column quantity: must be >= 1, got -3"),
])
def test_plan_import_errors_name_the_row(tmp_path, row, fragment, capsys):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,line,product,quantity,backups\n" + row + "\n", encoding="utf-8")
    out = tmp_path / "new.yaml"
    code, stdout, err = cli(capsys, "plan", "import", plan, "--scenario", SAMPLE / "base.yaml",
                            "--out", out)
    assert code == 2 and stdout == "" and f"{plan}, {fragment}" in err, err
    assert not out.exists()


def test_bad_plan_as_a_process_exits_2_without_traceback(tmp_path, run_cli, clean_failure):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,line,product,quantity\n2023-03-01,L1,LB-100,x\n", encoding="utf-8")
    proc = run_cli("plan", "import", plan, "--scenario", SAMPLE / "base.yaml", "--out",
                   tmp_path / "new.yaml")
    clean_failure(proc, f"{plan}, row 2, column quantity: must be a whole number, got 'x'")
