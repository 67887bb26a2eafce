"""Run: building a run report from a dict, YAML or field by field."""
import pytest

import postrun
from conftest import RUNS


def test_run_from_dict_reads_back_every_kind_of_field(kb, report):
    run = kb.run(report)
    assert run.kb is kb
    assert run["athlete.body_mass_kg"] == 68.0
    assert run["athlete.sex"] == "female"
    assert run["observations.dizziness"] is False
    assert run.get("symptoms") == ["muscles_feel_smaller", "fatigue"]
    assert run.items("symptoms[0].where") == ["calves", "quadriceps"]
    assert run["symptoms[0].severity"] == 5
    assert run.count("observations") == 2
    assert run.id == "dict-long-run"


def test_set_get_unset_has(kb, minimal):
    run = postrun.Run(minimal, kb)
    run["environment.temperature_c"] = 30
    run["intake.fasted"] = True
    run["run.intensity"] = "tempo"
    run.append("symptoms", "cramps")
    run.set("symptoms[0].where", ["calves"])
    assert run["environment.temperature_c"] == 30.0
    assert run["intake.fasted"] is True
    assert run["run.intensity"] == "tempo"
    assert "run.intensity" in run and "run.rpe" not in run
    assert run.get("run.rpe", "none") == "none"
    del run["run.intensity"]
    assert not run.has("run.intensity")
    with pytest.raises(postrun.NotFoundError):
        run["run.intensity"]


def test_empty_run_without_knowledge_base():
    run = postrun.Run()
    assert run.kb is None and run.id is None
    run["postrun"] = 1
    run["athlete.body_mass_kg"] = 70
    with pytest.raises(postrun.ValidationError) as info:
        run.validate()
    assert info.value.code == postrun.ERR_MISSING
    assert info.value.field == "run.duration_min"


def test_validate_passes_a_complete_report(kb, report):
    kb.run(report).validate()


def test_apply_defaults_fills_fields_and_lists_assumptions(kb, minimal):
    run = kb.run(minimal)
    assumptions = run.apply_defaults()
    assert assumptions == run.assumptions and assumptions
    assert run["environment.temperature_c"] == 18


def test_parse_and_load_give_positions(kb):
    run = kb.parse("postrun: 1\nathlete: {body_mass_kg: 60}\nrun: {duration_min: 30}\n")
    assert run["athlete.body_mass_kg"] == 60
    loaded = kb.load_run(RUNS / "01_warm_long_run_muscles_smaller.yaml")
    line, column = loaded.position
    assert line >= 1 and column >= 1
    assert postrun.Run().position == (0, 0)
    assert postrun.Run.load(RUNS / "02_hard_race_feeling_dead.yaml").id


def test_clear_removes_every_field(kb, report):
    run = kb.run(report)
    run.clear()
    assert not run.has("athlete.body_mass_kg") and run.count("symptoms") == 0


def test_runs_reads_every_document_of_a_stream(kb):
    runs = list(kb.runs(RUNS / "season.yaml"))
    assert len(runs) >= 5 and all(isinstance(r, postrun.Run) for r in runs)
    text = (RUNS / "season.yaml").read_text()
    assert [r.id for r in kb.runs(text)] == [r.id for r in runs]
    with open(RUNS / "season.yaml") as f:
        assert [r.id for r in kb.runs(f)] == [r.id for r in runs]


def test_setting_a_bad_value_raises_with_the_field(kb, minimal):
    run = kb.run(minimal)
    with pytest.raises(postrun.ValidationError) as info:
        run["run.duration_min"] = 5000
    assert info.value.code == postrun.ERR_RANGE and info.value.field == "run.duration_min"
    with pytest.raises(postrun.ValidationError):
        run.set("run.duration_min", object())
    with pytest.raises(postrun.ValidationError):
        run.append("symptoms", 3)
    with pytest.raises(postrun.ValidationError) as info:
        run.append("symptoms", "not_a_symptom")
    assert info.value.code == postrun.ERR_UNKNOWN_ID


def test_repr(kb, report):
    assert "dict-long-run" in repr(kb.run(report))
