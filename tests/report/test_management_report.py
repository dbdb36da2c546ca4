"""The management report: HTML read back with an HTML parser, the workbook with openpyxl."""

from __future__ import annotations

import json
import stat
from html.parser import HTMLParser

import openpyxl
import pytest
from helpers import ROOT

from linesim.cli import main

#: builds comparisons and reports: the full suite runs it, the fast tier does not
pytestmark = pytest.mark.slow

BASE = str(ROOT / "scenarios" / "baseline.yaml")
CMS = [str(ROOT / "scenarios" / "countermeasures" / f) for f in
       ("laser-fixture.yaml", "relief-pool.yaml", "prekit.yaml")]


class Tables(HTMLParser):
    """Every table (rows of cell texts), every h3 title, image sources and links."""

    def __init__(self):
        super().__init__()
        self.tables, self.titles, self.images, self.links = [], [], [], []
        self._cell = None
        self._in_h3 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "h3":
            self._in_h3 = True
            self.titles.append("")
        elif tag == "img":
            self.images.append(a.get("src", ""))
        elif tag in ("a", "link", "script"):
            self.links.append(a.get("href") or a.get("src") or tag)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None
        elif tag == "h3":
            self._in_h3 = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._in_h3:
            self.titles[-1] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    code = main(["report", BASE, *CMS, "--out", str(out), "-r", "2", "--days", "2", "-w", "1",
                 "--budget", "50000", "--max-replications", "3",
                 "--bottleneck-replications", "1", "--seed", "11"])
    assert code == 0
    return out


def test_report_files_are_readable_by_others(report):
    for name in ("report.html", "report.xlsx"):
        mode = stat.S_IMODE((report / name).stat().st_mode)
        assert mode == 0o644, (name, oct(mode))
    assert not list(report.glob(".*tmp"))


def test_html_report_is_self_contained_and_has_the_tables(report):
    p = Tables()
    p.feed((report / "report.html").read_text())
    assert p.links == []  # no script, stylesheet or link to fetch
    assert len(p.images) >= 6 and all(s.startswith("data:image/png;base64,") for s in p.images)
    measures = p.tables[p.titles.index("Each measure on its own")]
    head = measures[0]
    assert {"Measure", "Gain, good units a month", "Shapley share, units a month",
            "Net a month", "Payback, working days", "Payback, months",
            "Net present value"} <= set(head)
    names = {row[head.index("Measure")] for row in measures[1:]}
    assert names == {"laser-welding fixture", "relief pool", "pre-kit next day"}
    assert sorted(int(row[0]) for row in measures[1:]) == [1, 2, 3]
    losses = p.tables[p.titles.index(
        "Where the capacity went (all lines, mean of the replications)")]
    causes = [row[0] for row in losses[1:]]
    assert causes and not any("_" in c for c in causes)  # plain words, not code names
    bottle = p.tables[p.titles.index("Bottlenecks by the active-period method")]
    assert bottle[0][:3] == ["Line", "Station", "Rank"]
    assert {row[0] for row in bottle[1:]} == {"L1", "L2", "L3", "L4", "L5"}
    packages = p.tables[p.titles.index("Best packages by net present value")]
    assert sum(row[packages[0].index("Selected")] == "yes" for row in packages[1:]) == 1
    settings = p.tables[p.titles.index("Settings")]
    values = {row[0]: row[1] for row in settings[1:]}
    assert values["Seed"] == "11" and values["Paired replications"] == "2"
    assert values["Command"].startswith("linesim report ") and "--seed 11" in values["Command"]
    text = (report / "report.html").read_text()
    assert "The answer." in text and "How sure:" in text


def test_workbook_has_the_same_tables(report):
    wb = openpyxl.load_workbook(report / "report.xlsx")
    assert wb.sheetnames[0] == "Summary"
    assert {"Measures", "Packages", "Losses", "Bottlenecks", "Bottlenecks by shift",
            "Assumptions"} <= set(wb.sheetnames)
    ws = wb["Measures"]
    head = [c.value for c in ws[2]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_row=5)]
    assert {r[head.index("Measure")] for r in rows} == {"laser-welding fixture", "relief pool",
                                                         "pre-kit next day"}
    gain = rows[0][head.index("Gain, good units a month")]
    assert isinstance(gain, float)  # numbers stay numbers
    assert ws.cell(3, head.index("Gain, good units a month") + 1).number_format == "#,##0"
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=3) if r[0].value}
    assert summary["Question"].startswith("Which of 3 countermeasures")
    assert "budget of 50,000 CNY" in summary["Answer"]
    a = wb["Assumptions"]
    words = [r[1].value for r in a.iter_rows(min_row=3) if r[1].value]
    assert "multiply the mean cycle time of station laser welding of every line by 0.88 " \
           "(12% less)" in words


def test_compare_writes_the_report_too(tmp_path):
    assert main(["compare", BASE, CMS[0], "-r", "2", "--days", "2", "-w", "1", "--json",
                 "--report", str(tmp_path / "rep")]) == 0
    assert (tmp_path / "rep" / "report.html").exists()
    assert (tmp_path / "rep" / "report.xlsx").exists()


def test_portfolio_and_bottlenecks_commands(tmp_path, capsys):
    assert main(["portfolio", BASE, *CMS[1:], "--budget", "20000", "-r", "2",
                 "--max-replications", "3", "--days", "2", "-w", "1", "--json",
                 "--out", str(tmp_path / "p")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["budget"] == 20000 and d["status"] in ("separated", "indifferent", "budget")
    assert {p["package"] for p in d["packages"]} == {"no measure", "relief pool",
                                                      "pre-kit next day"}
    assert (tmp_path / "p" / "packages.csv").exists()
    assert main(["bottlenecks", BASE, "-r", "1", "--days", "2", "-w", "1"]) == 0
    out = capsys.readouterr().out
    assert "active-period method" in out and "laser welding" in out


def test_a_budget_without_a_margin_is_a_clear_error(tmp_path, capsys):
    sc = tmp_path / "nomargin.yaml"
    sc.write_text((ROOT / "scenarios" / "baseline.yaml").read_text().replace(
        "margin_per_unit: 80", "margin_per_unit: 0"))
    code = main(["portfolio", str(sc), CMS[1], "--budget", "1000", "-r", "2", "--days", "1",
                 "-w", "1"])
    assert code == 2
    assert "margin_per_unit" in capsys.readouterr().err
