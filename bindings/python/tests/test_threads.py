"""Threads: one shared knowledge base, the GIL released while assessing, the same results as
one thread."""
import copy
import threading

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
