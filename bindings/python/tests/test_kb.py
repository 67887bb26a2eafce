"""KnowledgeBase: loading, overlays, building from parts, contents."""
import pathlib

import pytest

import postrun
from conftest import OVERLAY, ROOT


def test_default_is_loaded_once_and_shared():
    assert postrun.KnowledgeBase.default() is postrun.KnowledgeBase.default()


def test_constructor_is_not_public():
    with pytest.raises(TypeError):
        postrun.KnowledgeBase()


def test_load_without_path_gives_the_bundled_knowledge_base(kb):
    other = postrun.KnowledgeBase.load()
    assert other is not kb
    assert other.causes == kb.causes


def test_load_a_directory_and_a_path_object():
    kb = postrun.KnowledgeBase.load(pathlib.Path(ROOT / "data"))
    assert "glycogen_depletion" in kb.causes


def test_overlay_adds_a_recommendation_and_changes_a_parameter(kb):
    coached = postrun.KnowledgeBase.load(None, overlays=[OVERLAY])
    assert "coach_recovery_shake" in coached.recommendations
    assert "coach_recovery_shake" not in kb.recommendations
    assert coached.parameter("sweat_sodium_mmol_l").value == 50
    entry = coached.entry("coach_recovery_shake")
    assert entry.file.endswith("coach.yaml") and entry.line > 0


def test_build_from_texts_applies_overlay_texts():
    kb = postrun.KnowledgeBase.build(overlay_texts=[
        ("mine.yaml", "postrun_overlay: 1\nparameters:\n  - id: sweat_sodium_mmol_l\n"
                      "    value: 44\n")])
    assert kb.parameter("sweat_sodium_mmol_l").value == 44


def test_build_from_paths_and_overlays():
    kb = postrun.KnowledgeBase.build(default=False, paths=[ROOT / "data"], overlays=[OVERLAY])
    assert "coach_recovery_shake" in kb.recommendations


def test_warnings_are_problems(kb):
    for w in kb.warnings:
        assert isinstance(w, postrun.Problem) and w.severity == "warning"


def test_ids_and_count_by_kind_word_or_enum(kb):
    assert kb.ids("cause") == kb.ids(postrun.Kind.CAUSE) == kb.causes
    assert kb.count("symptom") == len(kb.symptoms)
    for required in ("muscles_feel_smaller", "fatigue", "tightness", "aching", "twitching",
                     "cramps"):
        assert required in kb.symptoms
    assert "numbness" in kb.observations
    assert "suspected_hyponatremia" in kb.red_flags
    assert kb.body_areas and kb.misconceptions and kb.parameters


def test_unknown_kind_is_a_value_error(kb):
    with pytest.raises(ValueError, match="unknown kind"):
        kb.ids("bogus")


def test_entry_has_position_and_sources(kb):
    e = kb.entry("doms")
    assert e.kind is postrun.Kind.CAUSE
    assert e.id == "doms" and e.name and e.description
    assert e.line > 0 and e.column > 0
    assert e.sources and all(s.key and s.title for s in e.sources)


def test_unknown_entry_raises_not_found_which_is_a_key_error(kb):
    with pytest.raises(postrun.NotFoundError) as info:
        kb.entry("no_such_thing")
    assert isinstance(info.value, KeyError)
    assert info.value.code == postrun.ERR_NOT_FOUND
    assert "doms" in kb and "no_such_thing" not in kb and 5 not in kb


def test_parameter_value_lies_in_its_range(kb):
    for pid in kb.parameters[:20]:
        p = kb.parameter(pid)
        assert p.low <= p.value <= p.high


def test_bad_overlay_raises_knowledge_base_error_with_positions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("postrun_overlay: 1\nparameters:\n  - id: no_such_parameter\n    value: 3\n")
    with pytest.raises(postrun.KnowledgeBaseError) as info:
        postrun.KnowledgeBase.load(None, overlays=[bad])
    e = info.value
    assert e.file.endswith("bad.yaml") and e.line >= 3 and e.column >= 1
    assert all(p.file for p in e.problems)


def test_overlay_with_bad_yaml_is_a_knowledge_base_error_not_a_parse_error(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("postrun_overlay: 1\nparameters: [\n")
    with pytest.raises(postrun.KnowledgeBaseError) as info:
        postrun.KnowledgeBase.load(None, overlays=[bad])
    assert info.value.code == postrun.ERR_SYNTAX and info.value.line >= 2


def test_missing_knowledge_base_is_a_file_error(tmp_path):
    with pytest.raises(postrun.FileError) as info:
        postrun.KnowledgeBase.load(tmp_path / "nowhere")
    assert isinstance(info.value, OSError)
    assert info.value.code == postrun.ERR_IO


def test_overlays_must_be_paths(kb):
    with pytest.raises(TypeError):
        postrun.KnowledgeBase.load(None, overlays=[3])


def test_repr_names_counts(kb):
    assert "causes" in repr(kb)
