"""The Python module against a careless or hostile caller.

Each test reproduces a way the module used to crash the interpreter, read freed or foreign
memory, cut a string short at a NUL byte, swallow an interrupt, or leak a SWIG message; each
must now give a clear exception (or, for interrupts and the caller's own exceptions, the very
exception raised), with every object freed exactly once.
"""
import copy
import gc
import os
import pickle
import signal
import threading
import time

import pytest

import postrun
from postrun import _postrun_core as _private, postrun_core as core

from conftest import REPORT, RUNS


def report(**sections):
    r = copy.deepcopy(REPORT)
    for k, v in sections.items():
        r[k] = v
    return r


# ---- handles ----

def test_an_object_merely_named_like_a_swig_object_is_refused():
    fake = type("SwigPyObject", (), {})()
    with pytest.raises(TypeError, match="must be a knowledge base, not SwigPyObject"):
        core.kb_count(fake, 0)
    with pytest.raises(TypeError, match="must be a knowledge base"):
        core.run_new(fake)
    run = core.run_new(None)
    with pytest.raises(TypeError, match="must be an assessment"):
        core.assessment_cause_count(run)


def test_a_private_delete_twice_frees_once_and_later_use_is_an_error():
    gc.collect()
    before = postrun.live_objects("kb")
    h = core.kb_load(None, None)
    assert postrun.live_objects("kb") == before + 1
    _private.delete_KnowledgeBase(h)
    assert postrun.live_objects("kb") == before
    _private.delete_KnowledgeBase(h)  # nothing left to free
    _private.delete_KnowledgeBase(type("SwigPyObject", (), {})())  # not ours: nothing
    with pytest.raises(TypeError, match="already released"):
        core.kb_count(h, 0)
    del h
    gc.collect()
    assert postrun.live_objects("kb") == before


def test_every_handle_type_survives_a_double_delete():
    kb = postrun.KnowledgeBase.default()
    gc.collect()
    before = postrun.live_objects()
    run = core.run_new(kb._h)
    a = core.assessment_new(kb._h)
    b = core.builder_new()
    for h, delete in ((run, _private.delete_Run), (a, _private.delete_Assessment),
                      (b, _private.delete_Builder)):
        delete(h)
        delete(h)
    del run, a, b
    gc.collect()
    assert postrun.live_objects() == before


# ---- sequences ----

class LyingList(list):
    def __len__(self):
        return 1_000_000


def test_a_list_whose_len_lies_is_read_as_it_is():
    r = report()
    r["symptoms"] = [{"id": "muscles_feel_smaller", "severity": 5,
                      "where": LyingList(["calves", "quadriceps"])}]
    a = postrun.assess(r)
    assert a is not None
    r["symptoms"] = LyingList(["fatigue"])
    assert postrun.assess(r) is not None


# ---- NUL bytes and bad text ----

def test_a_path_with_a_nul_byte_is_refused_not_cut():
    kb = postrun.KnowledgeBase.default()
    path = str(RUNS / "01_warm_long_run_muscles_smaller.yaml")
    for call in (lambda: kb.load_run(path + "\0.txt"),
                 lambda: postrun.KnowledgeBase.load(str(RUNS.parent.parent / "data") + "\0x"),
                 lambda: postrun.Run.load(path + "\0.txt"),
                 lambda: postrun.KnowledgeBase.load(None, [path + "\0.yaml"])):
        with pytest.raises(postrun.ArgumentError, match="NUL byte"):
            call()


@pytest.mark.parametrize("where", ["value", "key"])
def test_a_nul_byte_in_a_value_or_a_key_is_refused_with_its_field(where):
    r = report()
    if where == "value":
        r["athlete"]["sex"] = "female\0x"
    else:
        r["run"]["intensity\0x"] = "race"
    with pytest.raises(postrun.ValidationError) as e:
        postrun.assess(r)
    assert "NUL byte" in str(e.value)
    field = "athlete.sex" if where == "value" else "run"
    assert any(p.field == field for p in e.value.problems), e.value.problems


def test_a_nul_byte_through_run_set_is_refused():
    run = postrun.Run()
    with pytest.raises(postrun.ArgumentError, match="NUL byte"):
        run.set("athlete.sex", "female\0x")
    with pytest.raises(postrun.ArgumentError, match="NUL byte"):
        run.set("athlete.sex\0x", "female")


def test_a_surrogate_key_says_what_is_wrong():
    r = report()
    r["run"]["\udcff"] = 1
    with pytest.raises(postrun.ValidationError) as e:
        postrun.assess(r)
    assert "not valid Unicode" in str(e.value)
    assert "got str" not in str(e.value)


# ---- numbers and user objects ----

def test_a_huge_int_through_run_set_is_a_validation_error():
    run = postrun.Run()
    for v in (10 ** 400, -(10 ** 400)):
        with pytest.raises(postrun.ValidationError):
            run.set("athlete.body_mass_kg", v)


class Raising:
    def __init__(self, exc):
        self.exc = exc

    def __float__(self):
        raise self.exc

    # PyNumber_Check looks for these
    def __index__(self):
        raise self.exc


class Oops(Exception):
    pass


@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit, Oops])
def test_an_exception_raised_by_a_value_is_propagated_unchanged(exc):
    r = report()
    r["athlete"]["body_mass_kg"] = Raising(exc("from __float__"))
    with pytest.raises(exc, match="from __float__"):
        postrun.assess(r)


def test_a_signalling_nan_raises_its_own_error():
    import decimal
    r = report()
    r["athlete"]["body_mass_kg"] = decimal.Decimal("sNaN")
    with pytest.raises(ValueError, match="signaling NaN") as e:
        postrun.assess(r)
    assert not isinstance(e.value, postrun.Error)  # the value's own exception, unchanged


def test_a_type_that_is_no_number_is_still_a_validation_error():
    r = report()
    r["athlete"]["body_mass_kg"] = 1 + 2j
    with pytest.raises(postrun.ValidationError, match="expected a number"):
        postrun.assess(r)


# ---- interrupts in assess_many ----

@pytest.mark.parametrize("threads", [1, 4])
@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_in_a_report_stops_assess_many_and_its_workers(threads, exc):
    kb = postrun.KnowledgeBase.default()
    reports = [report() for _ in range(300)]
    bad = report()
    bad["athlete"]["body_mass_kg"] = Raising(exc("stop"))
    reports[150] = bad
    before = threading.active_count()
    with pytest.raises(exc, match="stop"):
        kb.assess_many(reports, threads=threads)
    assert threading.active_count() == before  # every worker stopped and joined


def test_a_real_sigint_stops_assess_many_and_joins_its_workers():
    kb = postrun.KnowledgeBase.default()
    reports = [report()] * 300000  # seconds of work: the signal lands in the middle
    # Threads that run: a joined worker can linger in threading.enumerate() as "stopped" for
    # a moment after join() returns (CPython's bookkeeping); it is not a live thread.
    def running():
        return [t for t in threading.enumerate() if t.is_alive()]
    before = len(running())
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            kb.assess_many(reports, threads=4)
            time.sleep(10)  # the batch ended first: the signal still comes
    finally:
        timer.cancel()
    timer.join()
    assert len(running()) == before, threading.enumerate()
    assert time.monotonic() - t0 < 30


# ---- messages ----

def test_swig_type_names_do_not_reach_messages():
    run = postrun.Run()
    for call in (lambda: run.set(3, 1.0), lambda: run.append("symptoms", b"fatigue"),
                 lambda: run.get(None) if False else core.run_set_string(run._h, "id", 3)):
        with pytest.raises((TypeError, postrun.Error)) as e:
            call()
        assert "char const" not in str(e.value) and "argument 3 of type" not in str(e.value)


@pytest.mark.parametrize("make", [
    lambda: postrun.KnowledgeBase.default(),
    lambda: postrun.Run(),
    lambda: postrun.assess(report()),
])
def test_pickling_is_refused_with_a_message_that_says_what_to_do(make):
    obj = make()
    with pytest.raises(TypeError, match="cannot be pickled: "):
        pickle.dumps(obj)


def test_an_exception_from_a_mappings_own_attribute_lookup_is_propagated():
    # PyObject_HasAttrString() would swallow it and treat the object as no mapping.
    import collections.abc

    class Odd(collections.abc.Mapping):
        def __getitem__(self, k):
            raise KeyError(k)

        def __iter__(self):
            return iter(())

        def __len__(self):
            return 0

        def __getattribute__(self, name):
            if name == "items":
                raise KeyboardInterrupt
            return object.__getattribute__(self, name)

    kb = postrun.KnowledgeBase.default()
    with pytest.raises(KeyboardInterrupt):
        kb.assess({"postrun": 1, "athlete": Odd(), "run": {"duration_min": 30}})
