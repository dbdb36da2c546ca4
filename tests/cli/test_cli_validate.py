"""``linesim validate`` (and ``run``) on good and bad scenario files: exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linesim import __version__
from linesim.cli import main
from linesim.scenario import load as load_mod

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
TEXT = BASELINE.read_text()


def test_validate_ok_subprocess(run_cli):
    proc = run_cli("validate", "scenarios/baseline.yaml")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == ("scenarios/baseline.yaml: OK - scenario 'baseline': 5 lines, 29 stations, "
                           "5 products, 31 days from 2023-08-01\n")


def _edit(old: str, new: str, count: int = 1):
    """A function making the baseline text with ``old`` replaced (built when a test runs, so
    that a changed baseline fails one test, not the collection of the module)."""
    def make() -> str:
        assert old in TEXT, f"the baseline no longer contains {old!r}"
        return TEXT.replace(old, new, count)
    return make


def _line_of(text: str, nth: int = 1) -> int:
    """1-based line number of the nth occurrence of ``text`` in the baseline."""
    at = -1
    for _ in range(nth):
        at = TEXT.find(text, at + 1)
    return TEXT[:at].count("\n") + 1 if at >= 0 else 0  # 0: the test's _edit reports it


#: (file name, file text or None for a special case, fragments stderr must contain)
BAD_FILES = {
    "syntax": ("syntax.yaml", "name: [unclosed\nhorizon: {}\n", ["1 problem(s)", "invalid YAML: line "]),
    "alias": ("alias.yaml", _edit("seed: 20230815", "seed: &s 20230815\ndescription2: *s"),
              ["YAML aliases (*name) are not allowed"]),
    "duplicate key": ("dup.yaml", _edit("        buffer: 4\n", "        buffer: 4\n        buffer: 5\n"),
                      [f"invalid YAML: line {_line_of('        buffer: 4') + 1}, column 9: duplicate "
                       f"key 'buffer' (first at line {_line_of('        buffer: 4')})"]),
    "missing": ("missing.yaml", None, ["cannot read file: No such file or directory"]),
    "directory": ("a_dir", None, ["is a directory, expected a YAML file"]),
    "list": ("list.yaml", "- name: x\n", ["top level must be a mapping of keys, got list"]),
    "scalar": ("scalar.yaml", "baseline\n", ["top level must be a mapping of keys, got str"]),
    "empty": ("empty.yaml", "", ["is empty; expected a mapping of keys"]),
    "days 1e9": ("days.yaml", _edit("days: 31", "days: 1000000000"),
                 ["horizon.days: must be <= 3660, got 1000000000"]),
    "typo": ("typo.yaml", _edit("    cycle_time: {dist: lognormal, mean: 1.70", "    cycle_tme: {dist: lognormal, mean: 1.70"),
             ["lines[0].stations[1].cycle_tme: unknown key 'cycle_tme'; did you mean 'cycle_time'?",
              "lines[0].stations[1].cycle_time: required field is missing"]),
    "negative": ("neg.yaml", _edit("mean: 2.25, spread: 0.30", "mean: -3, spread: 0.30"),
                 ["lines[2].stations[0].cycle_time.mean: must be > 0, got -3"]),
    "cross refs": ("xref.yaml", lambda: _edit("L5: {daily: [{product: SL-500,", "L6: {daily: [{product: SL-500,")()
                   .replace("L1: {daily: [{product: LB-100", "L1: {daily: [{product: MD-300"),
                   ["2 problem(s)", "plan.L6: unknown line 'L6'",
                    "plan.L1.daily[0].product: line 'L1' does not make 'MD-300'"]),
    "infinite": ("inf.yaml", _edit("mean: 1.30, spread: 0.20}", "mean: .inf, spread: 0.20}"),
                 ["lines[0].stations[5].cycle_time.mean: must be a finite number, got inf"]),
    "unhashable tag": ("tag.yaml", _edit("{dist: lognormal, mean: 1.90", "{dist: [lognormal], mean: 1.90"),
                       ["lines[0].stations[0].cycle_time: must be a number of minutes or a mapping "
                        "with 'dist' one of: fixed, exponential"]),
    "not utf-8": ("latin1.yaml", None, ["cannot read file as UTF-8 text"]),
}


def _make(tmp_path: Path, case: str) -> Path:
    name, text, _ = BAD_FILES[case]
    path = tmp_path / name
    if case == "directory":
        path.mkdir()
    elif case == "not utf-8":
        path.write_bytes(TEXT.replace("lock body", "Schlo\xdf").encode("latin-1"))
    elif text is not None:
        path.write_text(text() if callable(text) else text)
    return path


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_in_process(tmp_path, capsys, clean_failure, case, command):
    path = _make(tmp_path, case)
    args = [command, str(path)] + (["-r", "1", "--days", "1", "-w", "1"] if command == "run" else [])
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = clean_failure(captured.err, *BAD_FILES[case][2])
    assert err.startswith(f"linesim: {path}: ")


@pytest.mark.slow
@pytest.mark.parametrize("case, command", [
    ("syntax", "validate"), ("missing", "validate"), ("directory", "run"), ("days 1e9", "run"),
    ("typo", "validate"), ("unhashable tag", "validate"),
])
def test_bad_file_subprocess(tmp_path, run_cli, clean_failure, case, command):
    path = _make(tmp_path, case)
    proc = run_cli(command, path, *(["-r", "1", "--days", "1"] if command == "run" else []))
    clean_failure(proc, f"linesim: {path}: ", *BAD_FILES[case][2])


@pytest.mark.slow
def test_too_big_file_subprocess(tmp_path, run_cli, clean_failure):
    big = tmp_path / "big.yaml"
    big.write_text(TEXT + "#" * load_mod.MAX_FILE_BYTES)
    proc = run_cli("validate", big)
    clean_failure(proc, f"file is {big.stat().st_size} bytes; the limit is {load_mod.MAX_FILE_BYTES}")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_input_subprocess(clean_failure):
    """/dev/zero reports size 0 and never ends: it is refused before any read. Memory is
    capped so that a regression fails with MemoryError instead of eating the machine."""
    resource = pytest.importorskip("resource")

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    proc = subprocess.run([sys.executable, "-m", "linesim.cli", "validate", "/dev/zero"],
                          capture_output=True, text=True, timeout=60, preexec_fn=cap)
    clean_failure(proc, "linesim: /dev/zero: 1 problem(s)\n  is not a regular file (a pipe, "
                        "device or socket); give a YAML file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path, clean_failure):
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "linesim.cli", "validate", str(fifo)],
                          capture_output=True, text=True, timeout=60)
    clean_failure(proc, "is not a regular file")


def test_many_problems_listed_one_per_line(tmp_path, capsys):
    f = tmp_path / "many.yaml"
    f.write_text(_edit("days: 31", "days: 0")().replace("seed: 20230815", "seed: -1")
                 .replace("buffer: 4", "buffer: -4", 1))
    assert main(["validate", str(f)]) == 2
    assert capsys.readouterr().err == (
        f"linesim: {f}: 3 problem(s)\n"
        "  seed: must be >= 0, got -1\n"
        "  horizon.days: must be >= 1, got 0\n"
        "  lines[0].stations[0].buffer: must be >= 0, got -4\n")


def test_bare_number_cycle_time_validates(tmp_path, capsys):
    f = tmp_path / "fixed.yaml"
    f.write_text(_edit("cycle_time: {dist: lognormal, mean: 1.90, spread: 0.25}", "cycle_time: 1.5")())
    assert main(["validate", str(f)]) == 0
    assert ": OK - scenario 'baseline'" in capsys.readouterr().out


def test_no_command(capsys):
    with pytest.raises(SystemExit) as e:
        main([])
    assert e.value.code == 2
    assert "the following arguments are required: COMMAND" in capsys.readouterr().err


def test_run_without_a_scenario(capsys):
    with pytest.raises(SystemExit) as e:
        main(["run"])
    assert e.value.code == 2
    assert "the following arguments are required: scenario" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out == f"linesim {__version__}\n"
