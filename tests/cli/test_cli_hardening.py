"""validate on every kind of file, run --apply, warnings, compare --precision that is missed."""

from __future__ import annotations

import json

import yaml
from helpers import ROOT

import linesim
from linesim.cli import main
from linesim.scenario import read_yaml
from linesim.scenario.countermeasure import apply, load_countermeasure

BASE = ROOT / "scenarios" / "baseline.yaml"
CM = ROOT / "scenarios" / "countermeasures"
SWEEP = ROOT / "scenarios" / "sweeps" / "relief-prekit-escalation.yaml"


def test_validate_takes_countermeasures_and_sweeps(capsys):
    assert main(["validate", str(BASE), str(CM / "prekit.yaml"), str(SWEEP)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{BASE}: OK - scenario 'baseline'")
    assert out[1].startswith(f"{CM / 'prekit.yaml'}: OK - countermeasure 'pre-kit next day'")
    assert out[2].startswith(f"{SWEEP}: OK - sweep 'relief-prekit-escalation': 42 points x 30")
    ranges = ROOT / "scenarios" / "uncertainty.yaml"
    assert main(["validate", str(ranges)]) == 0
    assert capsys.readouterr().out.startswith(f"{ranges}: OK - ranges 'baseline uncertainty'")


def test_validate_checks_a_countermeasure_against_base(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: typo\nchanges:\n  - {path: 'lines[*].stations[laser weld].buffer', "
                   "set: 3}\n")
    assert main(["validate", str(bad)]) == 0  # its own fields are fine
    capsys.readouterr()
    assert main(["validate", "--base", str(BASE), str(bad), str(CM / "prekit.yaml")]) == 2
    captured = capsys.readouterr()
    assert "no item named 'laser weld'" in captured.err and "Traceback" not in captured.err
    assert "prekit.yaml: OK - countermeasure 'pre-kit next day': 3 change(s) fit" in captured.out


def test_validate_finds_a_sweep_factor_that_cannot_work(tmp_path, capsys):
    f = tmp_path / "s.yaml"
    f.write_text(f"name: s\nbase: {BASE}\nfactors:\n  - {{name: a, path: foo.bar, values: [1]}}\n")
    assert main(["validate", str(f)]) == 2
    assert "factors[0] (a): foo.bar = 1" in capsys.readouterr().err


def test_validate_lists_warnings_and_exits_0(tmp_path, capsys):
    data = read_yaml(BASE)
    data["workforce"]["operators"] = []
    data["workforce"]["floaters"] = [{"name": "F1", "skills": ["L1/winding"]}]
    f = tmp_path / "floaters-only.yaml"
    f.write_text(yaml.safe_dump(data))
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out
    assert "OK - scenario" in out and "warning: workforce.operators: no operators" in out
    assert main(["run", str(f), "-r", "1", "--days", "1", "-w", "1", "--json"]) == 0
    assert "linesim: warning: workforce.operators: no operators" in capsys.readouterr().err


def test_run_apply_simulates_the_countermeasure(capsys):
    args = ["run", str(BASE), "-r", "1", "--days", "2", "-w", "1", "--json"]
    assert main(args + ["--apply", str(CM / "laser-fixture.yaml")]) == 0
    got = json.loads(capsys.readouterr().out)
    sc = linesim.load_scenario(BASE)
    sc = apply(sc, [load_countermeasure(CM / "laser-fixture.yaml")])
    sc = linesim.scenario.patch.with_values(sc, {"horizon.days": 2})
    want = linesim.replicate(sc, 1, workers=1).to_dict()
    assert got["kpis"] == json.loads(json.dumps(want["kpis"]))
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)
    assert plain["kpis"]["units"] != got["kpis"]["units"]


def test_run_apply_names_a_bad_countermeasure(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: typo\nchanges:\n  - {path: horizon.dayz, set: 3}\n")
    assert main(["run", str(BASE), "-r", "1", "--days", "1", "--apply", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "dayz" in err and "Traceback" not in err


def test_compare_says_when_precision_is_missed(capsys):
    assert main(["compare", str(BASE), str(CM / "laser-fixture.yaml"), "-r", "2",
                 "--precision", "0.001", "--max-replications", "3", "--days", "2", "-w", "1",
                 "--json"]) == 0
    err = capsys.readouterr().err
    assert "--precision 0.001 not reached after 3 replications" in err
    assert "laser-welding fixture" in err


def test_a_bad_plots_folder_fails_before_any_run(tmp_path, capsys, monkeypatch):
    import importlib

    import linesim.cli.run

    def never(*a, **k):
        raise AssertionError("simulated before checking --plots")

    monkeypatch.setattr(linesim.cli.run, "replicate", never)
    monkeypatch.setattr(importlib.import_module("linesim.experiments.compare"), "compare", never)
    plots = tmp_path / "plots.png"
    plots.write_text("a file")
    assert main(["run", str(BASE), "-r", "1", "--plots", str(plots)]) == 2
    assert f"--plots {plots}: exists and is not a directory" in capsys.readouterr().err
    assert main(["compare", str(BASE), str(CM / "prekit.yaml"), "--plots", str(plots)]) == 2
    assert f"--plots {plots}: exists and is not a directory" in capsys.readouterr().err
