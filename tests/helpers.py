"""Helpers shared by the test folders: paths and a small stochastic line."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def small_line(**changes) -> dict:
    """A three-station line as scenario data, always on shift unless changed."""
    data = {
        "name": "small",
        "seed": 7,
        "horizon": {"start": "2023-08-01", "days": 3},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "00:00", "end": "24:00"}]},
        "products": [{"name": "A"}, {"name": "B"}],
        "lines": [{
            "name": "L1",
            "products": ["A", "B"],
            "changeover": {"default": 15},
            "stations": [
                {"name": "s1", "cycle_time": {"dist": "exponential", "mean": 1.0}, "buffer": 2,
                 "failures": [{"ttf": {"dist": "exponential", "mean": 100},
                               "ttr": {"dist": "exponential", "mean": 8}}]},
                {"name": "s2", "cycle_time": {"dist": "lognormal", "mean": 1.2, "spread": 0.3},
                 "buffer": 2,
                 "failures": [{"ttf": {"dist": "exponential", "mean": 300},
                               "ttr": {"dist": "exponential", "mean": 20},
                               "clock": "calendar"}]},
                {"name": "s3", "cycle_time": 0.9, "scrap_rate": 0.02, "rework_rate": 0.03,
                 "failures": [{"ttf": {"dist": "exponential", "mean": 200},
                               "ttr": {"dist": "exponential", "mean": 10},
                               "clock": "working"}]},
            ],
        }],
        "plan": {"L1": {"daily": [{"product": "A", "quantity": 600},
                                  {"product": "B", "quantity": 600}]}},
    }
    data.update(changes)
    return data
