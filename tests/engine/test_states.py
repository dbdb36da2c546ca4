"""The state table: every state declared once, and what reads it."""

from __future__ import annotations

import pytest

from linesim.engine import states as S
from linesim.results import losses


def test_codes_are_indices_and_names_unique():
    assert [s.code for s in S.STATE_TABLE] == list(range(len(S.STATE_TABLE)))
    assert len(set(S.STATES)) == len(S.STATES)
    assert S.STATES[S.NO_OPERATOR] == "no_operator"
    assert S.UNSCHEDULED == {S.BREAK, S.OFF_SHIFT}


def test_every_state_has_a_colour_and_a_plain_name():
    for s in S.STATE_TABLE:
        assert s.colour.startswith("#") and len(s.colour) == 7, s
        assert s.plain, s
    assert len({s.colour for s in S.STATE_TABLE}) == len(S.STATE_TABLE)


def test_every_loss_cause_has_a_category():
    for cause in S.CAUSES:
        assert S.category_of(cause) in S.CATEGORIES, cause
    assert S.category_of("failure") == "machine"
    assert S.category_of("no_operator") == "man"
    assert S.category_of("no_material: insert (supplier)") == "material"


def test_root_cause_precedence_orders_the_neighbours_states():
    order = sorted(S.STATE_TABLE, key=lambda s: s.precedence)
    assert [s.name for s in order[:4]] == ["planned_maintenance", "failed", "no_operator",
                                           "no_material"]
    assert [S.STATES[c] for c in S.DOWN_STATES] == ["planned_maintenance", "failed"]
    assert S.CAUSE_OF_STATE[S.WORKING] == "line_balance"


def test_losses_read_the_table():
    assert losses.STATE_CAUSES == {s.name: s.cause for s in S.STATE_TABLE if s.kind == S.LOSS}
    assert list(losses.STATE_CAUSES) == ["failed", "quality_stop", "part_quality_stop",
                                         "no_operator", "changeover", "no_plan", "rework",
                                         "planned_maintenance"]
    assert "planned_maintenance" not in S.CAUSES  # optional: only in runs that have it


@pytest.mark.parametrize("label, via, station, want", [
    ("no_operator", "", "", "operator away, no relief"),
    ("failure", "starved", "weld", "machine broken down at weld (the constraint starved)"),
    ("no_material: insert (supplier)", "", "", "waiting for material: insert (supplier)"),
    ("no_material: insert (supplier)", "no_material", "wind",
     "waiting for material: insert (supplier) at wind"),
    ("line_balance", "blocked", "test", "line imbalance: a neighbour is slower at test "
     "(the constraint blocked)"),
    ("speed", "", "", "working slower than the standard time"),
    ("off_shift", "", "", "off shift"),
    ("tool_wear", "", "", "tool wear"),
])
def test_plain_name(label, via, station, want):
    assert S.plain_name(label, via, station) == want
