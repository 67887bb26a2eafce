"""Histories from Python: kb.history() and kb.assess(report, history=...)."""
import datetime
import gc

import pytest

import postrun

T0 = datetime.datetime(2026, 6, 29, 7, 0, tzinfo=datetime.timezone.utc)


def report(days, km=18.0, minutes=100, cramps=False):
    r = {"postrun": 1, "athlete": {"body_mass_kg": 70},
         "run": {"started_at": (T0 - datetime.timedelta(days=days)).isoformat(),
                 "duration_min": minutes, "distance_km": km}}
    if cramps:
        r["symptoms"] = [{"id": "cramps", "severity": 5}]
    return r


def season():
    """Four weeks: long runs (20 km) 21, 14 and 7 days before, 8 km on the other days."""
    return [report(d, 20 if d in (21, 14, 7) else 8, 110 if d in (21, 14, 7) else 45,
                   cramps=d in (14, 7)) for d in range(27, 0, -1)]


def test_a_history_of_dicts_fills_the_load(kb):
    h = kb.history(season())
    assert len(h) == 27
    a = kb.assess(report(0, 20, 110, cramps=True), history=h)
    # by hand: 20 + 6 x 8 = 68 km in 7 days; 272 km in 28, 68 a week
    assert a.metric("load.acute_km").expected == 68
    assert a.metric("load.acwr").expected == 1
    assert a.to_dict()["patterns"] == [
        {"id": "recurring_symptom", "symptom": "cramps", "count": 3, "of": 4}]


def test_a_list_is_built_on_the_fly_and_paths_are_read(kb, tmp_path):
    f = tmp_path / "runs.yaml"
    f.write_text("postrun: 1\nathlete: {body_mass_kg: 70}\n"
                 "run: {started_at: 2026-06-28T22:30:00Z, duration_min: 150, distance_km: 24}\n")
    today = dict(report(0), recent={"carbohydrate_since_last_run_g": 0})
    a = kb.assess(today, history=[f])
    assert a.metric("history.runs").expected == 1
    assert a.metric("glycogen.muscle_store_before_g").expected < \
        kb.assess(today).metric("glycogen.muscle_store_before_g").expected


def test_trends_render_as_text_and_dict(kb):
    h = kb.history(season())
    assert "History: 27 runs" in h.render()
    assert h.trends()["as_of_last_run"]["long_runs"] == 3
    with pytest.raises(ValueError):
        h.render("xml")


def test_errors_name_the_field(kb):
    undated = {"postrun": 1, "athlete": {"body_mass_kg": 70}, "run": {"duration_min": 30}}
    with pytest.raises(postrun.Error) as e:
        kb.history([undated])
    assert e.value.field == "run.started_at"
    with pytest.raises(postrun.Error) as e:
        kb.assess(undated, history=kb.history(season()))
    assert e.value.field == "run.started_at"
    with pytest.raises(TypeError):
        kb.history([42])


def test_histories_are_freed(kb):
    gc.collect()
    before = postrun.live_objects("history")
    h = kb.history(season())
    kb.assess(report(0), history=h)
    assert postrun.live_objects("history") == before + 1
    del h
    gc.collect()
    assert postrun.live_objects("history") == before
