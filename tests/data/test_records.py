"""Record readers and checks: every bad cell named by file, row and column; nothing half-read."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import Workbook

from linesim.data import RecordsError, read_folder, read_table
from linesim.records.check import check_records
from linesim.scenario import load_scenario

STOP_HEADER = "line,station,start,end,kind,cause\n"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_folder_reads_every_kind(sample_dir):
    tables = read_folder(sample_dir)
    assert set(tables) == {"plan", "stoppages", "absences", "deliveries", "output"}
    st = tables["stoppages"]
    assert st["end"].isna().sum() >= 1  # open records are kept, not dropped
    assert st.attrs["source"].endswith("stoppages.csv")


def test_non_number_and_bad_choice_name_row_and_column(tmp_path):
    p = _write(tmp_path / "output.csv", "date,line,product,good_units\n"
               "2023-03-01,L1,LB-100,280\n2023-03-02,L1,LB-100,lots\n2023-03-0x,L1,LB-100,3\n")
    with pytest.raises(RecordsError) as exc:
        read_table(p, "output")
    assert f"{p}, row 3, column good_units: must be a whole number, got 'lots'" in exc.value.problems
    assert any("row 4, column date: must be a date" in m for m in exc.value.problems)
    assert len(exc.value.problems) == 2


def test_missing_required_and_unknown_column(tmp_path):
    p = _write(tmp_path / "stoppages.csv", "line,station,start,kind,colour\nL1,,2023-03-01T08:00,failure,red\n")
    with pytest.raises(RecordsError) as exc:
        read_table(p, "stoppages")
    text = "\n".join(exc.value.problems)
    assert "row 1, column 5: unknown column 'colour'" in text
    p2 = _write(tmp_path / "s2.csv", STOP_HEADER + "L1,,2023-03-01T08:00,,,x\n")
    with pytest.raises(RecordsError, match="row 2, column kind: is empty; a value is required"):
        read_table(p2, "stoppages")


def test_end_before_start_and_unknown_line(tmp_path, sample_dir):
    base = load_scenario(sample_dir / "base.yaml")
    p = _write(tmp_path / "stoppages.csv", STOP_HEADER
               + "L1,winding,2023-03-01T09:00,2023-03-01T08:00,failure,wire-break\n"
               + "L9,winding,2023-03-01T09:00,2023-03-01T09:10,failure,wire-break\n")
    df = read_table(p, "stoppages")
    df.attrs["source"] = str(p)
    with pytest.raises(RecordsError) as exc:
        check_records({"stoppages": df}, base)
    assert exc.value.problems[0].startswith(f"{p}, row 2, column end: end 2023-03-01 08:00:00 "
                                            "is before start")
    assert exc.value.problems[1].startswith(f"{p}, row 3, column line: unknown line 'L9'")


def test_excel_sheet_per_kind(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "output"
    ws.append(["Date", "Line", "Product", "Good units"])
    ws.append(["2023-03-01", "L1", "LB-100", 280])
    ws.append(["2023-03-02", "L1", "LB-100", "n/a"])
    path = tmp_path / "records.xlsx"
    wb.save(path)
    with pytest.raises(RecordsError) as exc:
        read_folder(tmp_path)
    assert exc.value.problems == [f"{path} sheet output, row 3, column good_units: must be a "
                                  "whole number, got 'n/a'"]


def test_a_bad_table_stops_the_whole_folder(tmp_path, sample_dir):
    for f in sample_dir.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "deliveries.csv").open("a", encoding="utf-8") as f:
        f.write("pcb,pcb supplier,2023-03-01,2023-03-06,,-5,\n")
    with pytest.raises(RecordsError, match="row 54, column quantity_ordered: must be >= 1"):
        read_folder(tmp_path)
