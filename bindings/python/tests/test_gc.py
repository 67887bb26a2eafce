"""Ownership: the garbage collector frees every library object exactly once, and a child
keeps its knowledge base alive whatever order objects die in (live-object counters)."""
import gc
import weakref

import pytest

import postrun
from conftest import RUNS, collect


@pytest.fixture(autouse=True)
def settled():
    collect()
    yield


def live():
    return {k: postrun.live_objects(k) for k in ("kb", "run", "assessment", "stream",
                                                   "builder")}


def test_assessments_are_freed_when_dropped(kb, report):
    before = live()
    results = [kb.assess(report) for _ in range(200)]
    assert postrun.live_objects("assessment") == before["assessment"] + 200
    del results
    collect()
    assert live() == before


def test_a_child_keeps_its_knowledge_base_alive():
    before = live()
    kb = postrun.KnowledgeBase.load()
    run = kb.run({"postrun": 1, "athlete": {"body_mass_kg": 60}, "run": {"duration_min": 90},
                  "symptoms": ["fatigue"]})
    a = kb.assess(run)
    ref = weakref.ref(kb)
    del kb
    collect()
    assert ref() is not None  # the Python object, held by the children
    assert postrun.live_objects("kb") == before["kb"] + 1
    assert a.causes and a.to_dict()  # still usable
    del a
    collect()
    assert postrun.live_objects("kb") == before["kb"] + 1  # the run still holds it
    del run
    collect()
    assert live() == before


def test_the_c_knowledge_base_outlives_its_python_object_in_any_order():
    """Even when the collector finalises the knowledge base's own handle first (a cycle),
    the C object stays until the last child is gone: the handle is reference-counted."""
    before = live()
    from postrun import postrun_core as core
    h = core.kb_load(None, None)
    a = core.assessment_new(h)
    run = core.py_run_from_dict(h, {"postrun": 1, "athlete": {"body_mass_kg": 60},
                                    "run": {"duration_min": 90}, "symptoms": ["fatigue"]})
    del h  # the kb handle goes first
    collect()
    assert postrun.live_objects("kb") == before["kb"] + 1
    core.assess(a, run)
    assert core.assessment_cause_count(a) > 0
    del a, run
    collect()
    assert live() == before


def test_cycles_are_collected(kb, report):
    before = live()
    holder = []
    a = kb.assess(report)
    holder.append(a)
    holder.append(holder)
    a._cache["loop"] = holder
    del a, holder
    collect()
    assert live() == before


def test_errors_leak_nothing(kb, minimal):
    before = live()
    for _ in range(100):
        with pytest.raises(postrun.ValidationError):
            kb.assess(dict(minimal, athlete={"body_mass_kg": 1}, symptoms=["nope"]))
        with pytest.raises(postrun.ParseError):
            kb.assess("postrun: [\n")
        with pytest.raises(postrun.FileError):
            kb.assess(RUNS / "missing.yaml")
    collect()
    assert live() == before


def test_streams_and_builders_are_freed(kb):
    before = live()
    list(kb.assess_stream(RUNS / "season.yaml", errors="skip"))
    it = kb.runs(RUNS / "season.yaml")
    next(it)
    del it
    postrun.KnowledgeBase.build(overlay_texts=["postrun_overlay: 1\n"])
    collect()
    assert live() == before


def test_knowledge_bases_are_freed(kb):
    before = live()
    for _ in range(20):
        postrun.KnowledgeBase.load()
    collect()
    assert live() == before


def test_batches_free_everything(kb, report):
    before = live()
    results = kb.assess_many([report] * 50, threads=3)
    assert len(results) == 50
    del results
    collect()
    assert live() == before
    assert gc.garbage == []


def test_reused_assessment_objects_hold_only_their_own_result(kb, report, minimal):
    """Freed assessments are kept by their knowledge base for the next assess call: a result
    made in a reused object is the same as in a new one, and an object made empty
    (core.assessment_new) never shows an old result."""
    from postrun import postrun_core as core
    before = live()
    fresh = [kb.assess(r).to_dict() for r in (report, minimal)]
    for _ in range(50):
        for r, want in zip((report, minimal), fresh):
            a = kb.assess(r)
            assert a.to_dict() == want
            del a
        with pytest.raises(postrun.ValidationError):
            kb.assess(dict(minimal, athlete={"body_mass_kg": 1}))
        empty = core.assessment_new(kb._h)
        assert core.assessment_cause_count(empty) == 0
        assert core.assessment_id(empty) == ""
        del empty
    collect()
    assert live() == before
