"""First-pass yield, batches against the 1% of 2.4, and 4M1E categories that follow the
cause: known answers."""

from __future__ import annotations

import pytest
from helpers import check_invariants

import linesim
from linesim.engine import states as S
from linesim.results import t_interval


def one_station(rework=0.05, scrap=0.0, days=5, quality=None, materials=None):
    return linesim.scenario_from_dict({
        "name": "fpy", "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "08:00", "end": "18:00"}]},
        "products": [{"name": "A"}],
        "lines": [{"name": "L", "products": ["A"], "stations": [
            {"name": "s", "cycle_time": 1.0, "rework_rate": rework, "scrap_rate": scrap,
             "rework_time": 2.0}]}],
        "plan": {"L": {"daily": [{"product": "A", "quantity": 100000}]}},
        **({"quality": quality} if quality else {}),
        **({"materials": materials} if materials else {}),
    })


def test_first_pass_yield_is_one_minus_the_rework_rate_on_one_station():
    """Each unit is reworked with probability r = 5%: the station's and the line's
    first-pass yield estimate 1 - r; the 95% interval over 20 replications holds it."""
    r = 0.05
    sc = one_station(r)
    fpys = [linesim.simulate(sc, 11, replication=k).kpis["fpy"] for k in range(20)]
    _mean, lo, hi = t_interval(fpys)
    assert lo <= 1 - r <= hi
    res = linesim.simulate(sc, 11)
    row = res.first_pass.iloc[0]
    assert row.fpy == pytest.approx(1 - row.reworked / row.processed)
    assert res.line_kpis.loc["L", "fpy"] == res.kpis["fpy"] == row.fpy
    check_invariants(res)


def test_scrap_counts_as_a_first_pass_failure_and_lines_multiply():
    res = linesim.simulate(one_station(rework=0.03, scrap=0.02), 3)
    row = res.first_pass.iloc[0]
    assert row.fpy == pytest.approx(1 - (row.reworked + row.scrapped) / row.processed)
    assert 0.93 < row.fpy < 0.97


def test_batches_add_up_to_the_run_and_pass_the_threshold():
    res = linesim.simulate(one_station(0.05, days=6), 2)
    b = res.batches
    st = res.record.lines[0].stations[0]
    assert b["finished"].sum() == st.processed
    assert b["failures"].sum() == st.reworked + st.scrapped
    assert len(b) == 6
    # 5% rework against a 1% threshold: every day needs rework
    assert res.kpis["rework_batches"] == 6
    clean = linesim.simulate(one_station(0.0, days=6), 2)
    assert clean.kpis["rework_batches"] == 0 and clean.kpis["fpy"] == 1.0
    # a threshold above every day's share: no batch needs rework
    lax = linesim.simulate(one_station(0.05, days=6, quality={"batch_threshold": 0.5}), 2)
    assert lax.kpis["rework_batches"] == 0


def test_rework_is_a_method_loss():
    assert S.category_of("rework") == "method"
    res = linesim.simulate(one_station(0.05), 1)
    assert res.loss_categories["machine"] == 0
    assert res.loss_categories["method"] > 0


def _stop_line(origin: str):
    src = {"name": "stop", "rate_per_hour": 0.2, "resolution": 30.0, "origin": origin,
           **({"part": "motor"} if origin == "incoming part" else {})}
    # the part exists (in stock, fitted nowhere) so that both lines are the same but for
    # the stoppages' origin
    materials = {"parts": [{"name": "motor", "source": "S", "stock": 1000}],
                 "suppliers": [{"name": "S", "lead_time": 1}]}
    return one_station(0.0, days=3, quality={"stoppages": [src]}, materials=materials)


def test_incoming_part_stoppages_are_material_losses():
    part = linesim.simulate(_stop_line("incoming part"), 4)
    proc = linesim.simulate(_stop_line("process"), 4)
    # the same draws: the same stops, filed under a different state and category
    assert part.kpis["units"] == proc.kpis["units"]
    st_part = part.states.set_index("state")["minutes"]
    st_proc = proc.states.set_index("state")["minutes"]
    assert st_part["part_quality_stop"] == pytest.approx(st_proc["quality_stop"])
    assert st_part["part_quality_stop"] > 0 and st_part["quality_stop"] == 0
    assert "part_quality_stop" not in st_proc.index  # reported only where declared
    assert part.loss_categories["material"] == pytest.approx(proc.loss_categories["method"])
    check_invariants(part)
