"""The committed sample records are exactly what make_data.py draws from the truth."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_make_data_reproduces_the_committed_records(sample_dir, tmp_path):
    proc = subprocess.run([sys.executable, str(sample_dir / "make_data.py"), "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = ["stoppages.csv", "absences.csv", "deliveries.csv", "output.csv", "plan.csv"]
    for name in names:
        assert (tmp_path / name).read_bytes() == (sample_dir / name).read_bytes(), name
