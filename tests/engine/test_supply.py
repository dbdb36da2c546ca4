"""Material supply from a starting state: open orders, ordering policies, staging by
warehouse people, per-line staging streams, defects that cost time at the station."""

from __future__ import annotations

import pytest
from helpers import check_invariants

import linesim
from linesim.engine import supply
from linesim.scenario.ordering import Ordering, SafetyStock, safety_stock


def plant(parts, suppliers=(), days=4, lines=("L",), warehouse=None, open_orders=(),
          cycles=None, quantity=100000):
    """Lines of two 1-minute stations making A (one part p at s0), 08:00-18:00 daily."""
    cycles = cycles or {}
    return linesim.scenario_from_dict({
        "name": "supply", "horizon": {"start": "2023-08-01", "days": days},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "shifts": [{"start": "08:00", "end": "18:00"}]},
        "products": [{"name": "A", "bom": [{"part": "p", "station": "s0"}]}],
        "lines": [{"name": ln, "products": ["A"],
                   "stations": [{"name": f"s{i}", "cycle_time": cycles.get(ln, 1.0),
                                 "buffer": 2} for i in range(2)]} for ln in lines],
        "plan": {ln: {"daily": [{"product": "A", "quantity": quantity}]} for ln in lines},
        "materials": {"parts": parts, "suppliers": list(suppliers),
                      "warehouse": warehouse or {"staging_time": 30},
                      "open_orders": list(open_orders)},
    })


def daily(res, line="L"):
    return res.output.query("line == @line")["good_units"].tolist()


NEVER = {"name": "S", "lead_time": 100}  # orders placed during the run come too late


def test_an_open_order_of_the_starting_state_arrives_on_its_due_date():
    part = {"name": "p", "source": "S", "stock": 0,
            "line_side": {"max": 5000, "reorder_at": 0, "initial": 0},
            "ordering": {"policy": "reorder_point", "reorder_point": 0, "quantity": 1}}
    order = {"part": "p", "quantity": 700, "due": "2023-08-03", "owner": "buyer"}
    res = linesim.simulate(plant([part], [NEVER], open_orders=[order]), 1, event_log=True)
    out = daily(res)
    assert out[:2] == [0, 0] and sum(out) == 700  # arrives 3 Aug at 00:00
    ev = res.events
    first = ev[(ev.station == "s0") & (ev.state == "working")].time.min()
    assert first == pytest.approx(2 * 1440 + 8 * 60 + 30)
    check_invariants(res)
    # an open order bears its supplier's lateness like any other: always 1 day late
    late = {**NEVER, "on_time": 0.0, "late_by": 1}
    res = linesim.simulate(plant([part], [late], open_orders=[order]), 1)
    assert daily(res)[:3] == [0, 0, 0] and daily(res)[3] > 500


def test_orders_keep_a_readable_due_date(monkeypatch):
    seen = []
    real = supply.PartRT.receive

    def receive(self, qty, ordered, order=None, done=True):
        if order is not None:
            seen.append((order.part, order.quantity, order.due_date.isoformat(), order.owner,
                         order.due))
        real(self, qty, ordered, order, done)

    monkeypatch.setattr(supply.PartRT, "receive", receive)
    part = {"name": "p", "source": "S", "stock": 0,
            "line_side": {"max": 5000, "reorder_at": 0, "initial": 0},
            "ordering": {"policy": "reorder_point", "reorder_point": 20, "quantity": 50,
                         "owner": "Li"}}
    order = {"part": "p", "quantity": 10, "due": "2023-08-02"}
    linesim.simulate(plant([part], [{"name": "S", "lead_time": 1}], days=3,
                           open_orders=[order]), 1)
    assert seen[0] == ("p", 10, "2023-08-02", "", 1440.0)
    # the buyer's first order, on 1 August at 08:00, is due a day later
    assert seen[1] == ("p", 50, "2023-08-02", "Li", 1440.0 + 480)


def test_bad_open_orders_are_named():
    part = {"name": "p", "source": "S", "stock": 0,
            "ordering": {"policy": "reorder_point", "quantity": 1}}
    with pytest.raises(linesim.ScenarioError) as err:
        plant([part], [NEVER], open_orders=[
            {"part": "q", "quantity": 1, "due": "2023-08-02"},
            {"part": "p", "quantity": 1, "due": "2023-07-30"},
            {"part": "p", "quantity": 1},
            {"part": "p", "quantity": 1, "due": "2023-08-02", "supplier": "T"}])
    text = str(err.value)
    assert "materials.open_orders[0].part: unknown part 'q'" in text
    assert "materials.open_orders[1].due: due 2023-07-30 is before the horizon" in text
    assert "materials.open_orders[2].due: an order from supplier 'S' needs a due date" in text
    assert "materials.open_orders[3].supplier: part 'p' comes from 'S', not 'T'" in text


def test_safety_stock_formula():
    # SS = z sqrt(sigma_D^2 L + D^2 sigma_L^2) = 1.65 sqrt(400 * 4 + 10000 * 1)
    assert safety_stock(1.65, 100, 20, 4, 1) == pytest.approx(1.65 * 107.7033, rel=1e-5)
    assert safety_stock(2, 50, 0, 9, 0) == 0
    s = SafetyStock(z=1.65, demand=100, demand_sd=20, lead=4, lead_sd=1)
    assert s.value == 178 and s.reorder_point == 400 + 178
    o = Ordering(policy="reorder_point", safety=s.model_dump(), quantity=10)
    assert o.point == 578
    assert Ordering(policy="plan", safety=s.model_dump(), safety_stock=5).buffer == 178


def test_ordering_rules():
    with pytest.raises(ValueError, match="needs quantity > 0 or order_up_to"):
        Ordering(policy="periodic")
    with pytest.raises(ValueError, match="must be above the reorder point"):
        Ordering(policy="reorder_point", reorder_point=100, order_up_to=100)
    up_to = Ordering(policy="reorder_point", reorder_point=100, order_up_to=1000)
    assert up_to.amount(60) == 940
    assert Ordering(policy="reorder_point", reorder_point=100, quantity=300).amount(60) == 300
    assert Ordering(policy="periodic", reorder_point=100, quantity=300).amount(60) == 340


def _orders(monkeypatch, ordering, days=6):
    placed = []
    real = supply.Supply._order

    def order(self, part, qty):
        if qty > 0:
            placed.append((int(self.env.now // 1440), qty))
        real(self, part, qty)

    monkeypatch.setattr(supply.Supply, "_order", order)
    part = {"name": "p", "source": "S", "stock": 1000,
            "line_side": {"max": 200, "reorder_at": 50}, "ordering": ordering}
    linesim.simulate(plant([part], [{"name": "S", "lead_time": 1}], days=days,
                           quantity=400), 1)
    return placed


def test_order_up_to_and_periodic_review(monkeypatch):
    # (s, S): at or below 800 on record + on order, order up to 2000
    sS = _orders(monkeypatch, {"policy": "reorder_point", "reorder_point": 800,
                               "order_up_to": 2000})
    assert sS and all(q >= 1200 for _, q in sS)
    # (R, S): every 2 working days order up to 2000, whatever the position
    placed = _orders(monkeypatch, {"policy": "periodic", "review_days": 2,
                                   "order_up_to": 2000}, days=6)
    assert [d for d, _ in placed] == [0, 2, 4]


def test_a_forecast_orders_from_the_plan_beyond_the_horizon(monkeypatch):
    # ordering 5 days ahead near the end of a run sees the plan's need beyond it: a 3-day
    # run orders what the first 3 days of a 6-day run do
    policy = {"policy": "plan", "review_days": 1, "lead_days": 5}
    short = tuple(_orders(monkeypatch, policy, days=3))
    assert [d for d, _ in short] == [0, 1, 2]
    assert short == tuple(_orders(monkeypatch, policy, days=6)[:3])


def test_staging_streams_are_per_line():
    """A change on L1 (its cycle time, hence its refills) leaves L2 bit-identical."""
    part = {"name": "p", "stock": 10**7, "line_side": {"max": 60, "reorder_at": 20}}
    wh = {"staging_time": {"dist": "lognormal", "mean": 30, "spread": 20}}
    a = linesim.simulate(plant([part], lines=("L1", "L2"), warehouse=wh, days=3), 5)
    b = linesim.simulate(plant([part], lines=("L1", "L2"), warehouse=wh, days=3,
                               cycles={"L1": 1.3}), 5)
    assert daily(a, "L1") != daily(b, "L1")
    assert daily(a, "L2") == daily(b, "L2")
    sa, sb = (r.states.query("line == 'L2'").reset_index(drop=True) for r in (a, b))
    assert sa.equals(sb)


def test_pickers_are_a_capacity():
    """Two lines, staging 30 minutes: one picker stages the second line's morning kit
    only after the first (it waits 60 minutes instead of 30)."""
    part = {"name": "p", "stock": 10**7, "line_side": {"max": 600, "reorder_at": 0,
                                                       "initial": 0}}

    def waited(pickers):
        wh = {"staging_time": 30, "pickers": pickers}
        res = linesim.simulate(plant([part], lines=("L1", "L2"), warehouse=wh, days=1,
                                     quantity=500), 1)
        st = res.states.set_index(["line", "station", "state"])["minutes"]
        check_invariants(res)
        return sorted(round(st[ln, "s0", "no_material"]) for ln in ("L1", "L2"))

    assert waited(None) == [30, 30]
    assert waited(1) == [30, 60]


def test_a_late_prekit_makes_the_morning_wait():
    """Staging takes 200 working minutes. Without pre-kit every morning waits about 200
    minutes (the kanban refill the line asked for as its stock ran out the evening before
    comes a minute before the kit); the pre-kit starts 60 minutes before the shift ends, is
    140 minutes late and the second morning waits those 140 minutes only."""
    part = {"name": "p", "stock": 10**7, "line_side": {"max": 400, "reorder_at": 0,
                                                       "initial": 0}}

    def morning_waits(prekit):
        wh = {"staging_time": 200, "prekit": prekit, "prekit_minutes": 60}
        res = linesim.simulate(plant([part], warehouse=wh, days=2, quantity=400), 1,
                               event_log=True)
        check_invariants(res)
        ev = res.events
        work = ev[(ev.station == "s0") & (ev.state == "working")].time
        return [round(work[work >= t0].min() - t0) for t0 in (480, 1440 + 480)]

    assert morning_waits(False) == [200, 199]
    assert morning_waits(True) == [200, 140]


def test_a_defective_part_costs_time_at_the_station():
    part = {"name": "p", "defect_rate": 0.05, "defect_minutes": 3, "stock": 0,
            "line_side": {"max": 100000, "reorder_at": 0}}
    res = linesim.simulate(plant([part], days=2), 3)
    bad = sum(d[4] for d in res.record.part_days)
    st = res.states.set_index(["station", "state"])["minutes"]
    assert bad > 20
    assert st["s0", "no_material"] == pytest.approx(3 * bad)
    assert res.loss_categories["material"] > 0
    check_invariants(res)


def test_incoming_part_stoppages_follow_the_defect_process():
    """A bad-batch stoppage comes only with a defective part: none when the part is never
    defective, and more of them the more defective parts are found."""
    def stops(rate):
        part = {"name": "p", "defect_rate": rate, "stock": 0,
                "line_side": {"max": 100000, "reorder_at": 0}}
        sc = plant([part], days=6).model_dump(mode="json")
        sc["quality"] = {"stoppages": [
            {"name": "bad batch", "origin": "incoming part", "part": "p",
             "per_defective": 0.05, "resolution": 30}]}
        res = linesim.simulate(linesim.scenario_from_dict(sc), 2)
        check_invariants(res)
        return len(res.stoppages), sum(d[4] for d in res.record.part_days)

    assert stops(0.0) == (0, 0)
    few, bad_few = stops(0.01)
    many, bad_many = stops(0.05)
    assert 0 < few < many and many <= 0.05 * bad_many * 3
    with pytest.raises(linesim.ScenarioError, match="per_defective is for origin"):
        linesim.scenario_from_dict({**plant([{"name": "p"}]).model_dump(mode="json"),
                                    "quality": {"stoppages": [
                                        {"name": "x", "per_defective": 0.1, "resolution": 5}]}})
