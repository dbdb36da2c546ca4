"""A run leaves the process's garbage collector as it found it (issue 16: the built model is
frozen out of the collector's reach during the run only)."""

from __future__ import annotations

import gc

import pytest

from linesim.engine import simulate_record
from linesim.engine.run import model_frozen


def _gc_state() -> tuple:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


def test_run_restores_gc_state(small):
    before = _gc_state()
    simulate_record(small, 3)
    assert _gc_state() == before


def test_run_keeps_a_disabled_gc_disabled(small):
    gc.disable()
    try:
        simulate_record(small, 3)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_model_is_frozen_during_the_block_only():
    assert gc.get_freeze_count() == 0
    with model_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_unfrozen_after_an_error():
    with pytest.raises(RuntimeError), model_frozen():
        raise RuntimeError("run failed")
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_its_own_objects_keeps_them_frozen(small):
    mine = [[]]  # a container the process froze (gc.get_objects lists no frozen object)
    gc.freeze()
    try:
        simulate_record(small, 3)
        assert gc.get_freeze_count() > 0
        assert not any(o is mine for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is mine for o in gc.get_objects())


def test_results_do_not_depend_on_the_collector(small):
    a = simulate_record(small, 5)
    gc.disable()
    try:
        b = simulate_record(small, 5)
    finally:
        gc.enable()
    assert [ln.good for ln in a.lines] == [ln.good for ln in b.lines]
