"""Write ``compare_before_issue16.json``: the plain (non-sequential) job's answers that
``test_compare_agrees.py`` checks the sequential job against. Run it only when results change
on purpose (a model change), in the same commit as the golden outputs:

    python tests/experiments/data/make_compare_stored.py
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import linesim
from linesim.experiments.compare import compare
from linesim.scenario.countermeasure import load_countermeasure
from linesim.scenario.patch import with_values

ROOT = Path(__file__).resolve().parents[3]
FILES = ["laser-fixture.yaml", "relief-pool.yaml", "faster-escalation.yaml", "replanning.yaml"]
DAYS, REPS = 3, 10


def main() -> None:
    base = with_values(linesim.load_scenario(ROOT / "scenarios" / "baseline.yaml"),
                       {"horizon.days": DAYS})
    ms = [load_countermeasure(ROOT / "scenarios" / "countermeasures" / f) for f in FILES]
    res = compare(base, ms, replications=REPS, workers=2, shapley="exact")
    t = res.table
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    out = {
        "files": FILES, "days": DAYS, "replications": REPS, "seed": res.seed,
        "code": f"{commit} (plain job, exact Shapley)",
        "gain": {n: [t.loc[n, "gain"], t.loc[n, "gain_low"], t.loc[n, "gain_high"]]
                 for n in t.index},
        "shapley": {n: [t.loc[n, "shapley"], t.loc[n, "shapley_low"], t.loc[n, "shapley_high"]]
                    for n in t.index},
        "combined": list(res.combined),
    }
    path = Path(__file__).with_name("compare_before_issue16.json")
    path.write_text(json.dumps(out, indent=1, default=float) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
