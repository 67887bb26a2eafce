"""Threads: one shared knowledge base, the GIL released while assessing, the same results as
one thread."""
import copy
import threading

import pytest

import postrun
from conftest import RUNS


def variants(report, n):
    """n distinct reports: the same run at different temperatures and durations."""
    out = []
    for i in range(n):
        r = copy.deepcopy(report)
        r["id"] = f"run-{i}"
        r["environment"]["temperature_c"] = -5 + (i % 40)
        r["run"]["duration_min"] = 20 + (i * 7) % 200
        out.append(r)
    return out


def test_assess_many_with_threads_equals_one_thread(kb, report):
    reports = variants(report, 300) + sorted(RUNS.glob("0*.yaml"))
    one = [a.to_dict() for a in kb.assess_many(reports, threads=1)]
    four = [a.to_dict() for a in kb.assess_many(reports, threads=4)]
    assert one == four
    assert [d.get("id") for d in one[:3]] == ["run-0", "run-1", "run-2"]


def test_threads_sharing_one_knowledge_base(kb, report):
    reports = variants(report, 120)
    expected = [kb.assess(r).to_dict() for r in reports]
    results = {}
    errors = []

    def worker(k):
        try:
            for i in range(k, len(reports), 6):
                a = kb.assess(reports[i])
                results[i] = (a.to_dict(), a.causes[0].id, a.fluid.sweat_loss_l)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [results[i][0] for i in range(len(reports))] == expected


def test_a_run_shared_by_threads_gives_identical_assessments(kb, report):
    run = kb.run(report)
    out = []
    threads = [threading.Thread(target=lambda: out.append(kb.assess(run).to_dict()))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 8 and all(d == out[0] for d in out)


def test_errors_in_threads_come_back_in_order(kb, minimal):
    reports = [minimal, dict(minimal, athlete={"body_mass_kg": 3})] * 50
    got = kb.assess_many(reports, threads=4, errors="return")
    assert all(isinstance(x, postrun.Assessment) for x in got[::2])
    assert all(isinstance(x, postrun.ValidationError) for x in got[1::2])


def mixed_reports(report, minimal, n):
    """n generated reports, every fifth one invalid in a different way (a value out of range,
    a wrong type, an unknown key, an unknown symptom, a missing section), with YAML text, paths
    and Run objects among them (reports that are not mappings raise TypeError from
    assess_many whatever `errors` says, as from assess)."""
    import random
    rnd = random.Random(1234)
    runs = sorted(RUNS.glob("0*.yaml"))
    out = []
    for i in range(n):
        r = copy.deepcopy(report if i % 2 else minimal)
        r["id"] = f"gen-{i}"
        r["athlete"]["body_mass_kg"] = rnd.uniform(40, 110)
        r["run"]["duration_min"] = rnd.uniform(10, 300)
        kind = i % 5 if i % 10 < 5 else None
        if kind == 0:
            r["athlete"]["body_mass_kg"] = rnd.choice([1, 900, -3])
        elif kind == 1:
            r["run"]["duration_min"] = "long"
        elif kind == 2:
            r["run"]["duratoin_min"] = 30
        elif kind == 3:
            r["symptoms"] = ["fatigue", "no_such_symptom"]
        elif kind == 4:
            del r["run"]
            if i % 20 < 10:
                r["symptoms"] = "fatigue"
        out.append(r)
        if i % 97 == 0:
            out.append(runs[i % len(runs)])
        if i % 89 == 0:
            out.append(runs[i % len(runs)].read_text())
        if i % 83 == 0:
            out.append(postrun.KnowledgeBase.default().run(minimal))
    return out


def outcome(x):
    if isinstance(x, postrun.Assessment):
        return ("ok", x.to_dict(), x.causes, x.metric("fluid.sweat_loss_l"))
    return ("error", type(x).__name__, str(x),
            [tuple(p) for p in getattr(x, "problems", [])])


def test_assess_many_two_threads_equals_one_on_generated_runs(kb, report, minimal):
    reports = mixed_reports(report, minimal, 1500)
    one = kb.assess_many(reports, threads=1, errors="return")
    two = kb.assess_many(reports, threads=2, errors="return")
    assert len(one) == len(two) == len(reports)
    assert sum(isinstance(x, postrun.Error) for x in one) > 100
    assert [outcome(x) for x in one] == [outcome(x) for x in two]
    # And each one is what kb.assess gives (or raises) for the same report.
    for r, x in list(zip(reports, one))[:300]:
        try:
            expected = outcome(kb.assess(r))
        except postrun.Error as e:
            expected = outcome(e)
        assert outcome(x) == expected


def test_assess_many_raises_the_first_bad_report(kb, report, minimal):
    reports = mixed_reports(report, minimal, 40)
    with pytest.raises(postrun.ValidationError) as e:
        kb.assess_many(reports, threads=2)
    first = next(x for x in kb.assess_many(reports, errors="return")
                 if isinstance(x, Exception))
    assert str(e.value) == str(first)
