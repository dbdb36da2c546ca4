"""Over many draws of the sample plant, the fitted 95% intervals hold the truth about 95% of
the time: the fit is neither biased nor over-confident."""

from __future__ import annotations

import importlib.util

import pytest
from test_fit_sample import true_value

from linesim.data import read_folder
from linesim.data.fit_plant import fit_scenario
from linesim.scenario import load_scenario


@pytest.mark.slow
def test_intervals_cover_the_truth_over_draws(sample_dir, tmp_path):
    spec = importlib.util.spec_from_file_location("make_data", sample_dir / "make_data.py")
    md = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(md)
    base, truth = (load_scenario(sample_dir / f) for f in ("base.yaml", "truth.yaml"))
    hits = total = 0
    for seed in range(8):
        out = tmp_path / f"draw{seed}"
        md.quiet_main(out, 100 + seed)
        prov = fit_scenario(base, read_folder(out)).provenance.dropna(subset=["low"])
        for _, r in prov.iterrows():
            t = true_value(truth, r["path"])
            hits += r["low"] <= t <= r["high"]
            total += 1
    print(f"coverage {hits}/{total} = {hits / total:.3f}")
    # nominal 95%; about 150 intervals: 88% is more than 3 standard errors below
    assert total >= 140
    assert hits / total >= 0.88, (hits, total)
