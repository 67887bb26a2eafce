"""Every error class, its attributes, and the problems it carries."""
import pickle

import pytest

import postrun
from postrun import postrun_core as core
from postrun._errors import _make_error


def problem_fields(e):
    return {p.field for p in e.problems}


def test_the_hierarchy():
    for cls in (postrun.ParseError, postrun.ValidationError, postrun.KnowledgeBaseError,
                postrun.FileError, postrun.MemoryError, postrun.ArgumentError,
                postrun.NotFoundError):
        assert issubclass(cls, postrun.Error)
    assert issubclass(postrun.ParseError, ValueError)
    assert issubclass(postrun.ValidationError, ValueError)
    assert not issubclass(postrun.ParseError, SyntaxError)
    assert issubclass(postrun.FileError, OSError)
    assert issubclass(postrun.NotFoundError, KeyError)
    assert issubclass(postrun.MemoryError, MemoryError)


@pytest.mark.parametrize("code, cls", [
    (core.ERR_NOMEM, postrun.MemoryError),
    (core.ERR_ARGUMENT, postrun.ArgumentError),
    (core.ERR_IO, postrun.FileError),
    (core.ERR_SYNTAX, postrun.ParseError),
    (core.ERR_LIMIT, postrun.ParseError),
    (core.ERR_TYPE, postrun.ValidationError),
    (core.ERR_RANGE, postrun.ValidationError),
    (core.ERR_VALUE, postrun.ValidationError),
    (core.ERR_MISSING, postrun.ValidationError),
    (core.ERR_UNKNOWN_KEY, postrun.ValidationError),
    (core.ERR_DUPLICATE, postrun.ValidationError),
    (core.ERR_UNKNOWN_ID, postrun.ValidationError),
    (core.ERR_KB, postrun.KnowledgeBaseError),
    (core.ERR_NOT_FOUND, postrun.NotFoundError),
])
def test_every_status_maps_to_its_class(code, cls):
    e = _make_error(code, [], 0)
    assert type(e) is cls and e.code == code
    assert e.message == postrun.strerror(code)
    assert e.status == core.status_name(code)


def test_invalid_input_while_loading_a_knowledge_base_is_a_knowledge_base_error():
    assert type(_make_error(core.ERR_SYNTAX, [], 1)) is postrun.KnowledgeBaseError
    assert type(_make_error(core.ERR_UNKNOWN_ID, [], 1)) is postrun.KnowledgeBaseError
    assert type(_make_error(core.ERR_IO, [], 1)) is postrun.FileError


def test_syntax_error_carries_file_line_column(kb):
    with pytest.raises(postrun.ParseError) as info:
        kb.parse("postrun: 1\nathlete: [body_mass_kg: 68\n", name="bad.yaml")
    e = info.value
    assert e.code == postrun.ERR_SYNTAX and e.status == "syntax"
    assert e.file == "bad.yaml" and e.line >= 2 and e.column >= 1
    assert str(e).startswith(f"bad.yaml:{e.line}:{e.column}: ")


def test_limit_is_a_parse_error(kb):
    deep = "postrun: 1\nid: " + "[" * 500 + "]" * 500 + "\n"
    with pytest.raises(postrun.ParseError) as info:
        kb.parse(deep)
    assert info.value.code in (postrun.ERR_LIMIT, postrun.ERR_SYNTAX)
    alias = "postrun: 1\nathlete: &a {body_mass_kg: 60}\nrun: *a\n"
    with pytest.raises(postrun.ParseError) as info:
        kb.parse(alias)
    assert info.value.code == postrun.ERR_LIMIT


def test_type_range_value_errors_name_the_field(kb, minimal):
    cases = [
        ({"athlete": {"body_mass_kg": "heavy"}}, postrun.ERR_TYPE, "athlete.body_mass_kg"),
        ({"athlete": {"body_mass_kg": 2.0}}, postrun.ERR_RANGE, "athlete.body_mass_kg"),
        ({"athlete": {"body_mass_kg": 68, "sex": "robot"}}, postrun.ERR_VALUE, "athlete.sex"),
        ({"run": {"distance_km": 5}}, postrun.ERR_MISSING, "run.duration_min"),
        ({"run": {"duration_min": 30, "pace": 5}}, postrun.ERR_UNKNOWN_KEY, "run.pace"),
        ({"symptoms": ["no_such_symptom"]}, postrun.ERR_UNKNOWN_ID, "symptoms"),
    ]
    for change, code, field in cases:
        report = dict(minimal, **change)
        with pytest.raises(postrun.ValidationError) as info:
            kb.assess(report)
        e = info.value
        assert e.code == code, (change, e)
        assert e.field.startswith(field), (change, e.field)
        assert e.line == 0 and e.column == 0 and e.file == ""


def test_duplicate_keys_in_yaml(kb):
    with pytest.raises(postrun.ValidationError) as info:
        kb.parse("postrun: 1\nathlete: {body_mass_kg: 60, body_mass_kg: 61}\n"
                 "run: {duration_min: 30}\n")
    e = info.value
    assert e.code == postrun.ERR_DUPLICATE and e.line == 2 and e.column > 1


def test_duplicate_symptom_is_an_error(kb, minimal):
    with pytest.raises(postrun.ValidationError) as info:
        kb.assess(dict(minimal, symptoms=["fatigue", "fatigue"]))
    assert info.value.code == postrun.ERR_DUPLICATE


def test_unknown_key_suggests_the_close_one(kb, minimal):
    with pytest.raises(postrun.ValidationError) as info:
        kb.assess(dict(minimal, athlete={"body_mass_kg": 68, "sx": "female"}))
    assert "sex" in info.value.message


def test_every_problem_is_listed_not_only_the_first(kb):
    with pytest.raises(postrun.ValidationError) as info:
        kb.assess({"postrun": 1, "athlete": {"body_mass_kg": 500, "sx": 1},
                   "run": {"rpe": 99}, "symptoms": ["nope", {"severity": 3}]})
    e = info.value
    fields = problem_fields(e)
    assert {"athlete.body_mass_kg", "athlete.sx", "run.rpe", "run.duration_min"} <= fields
    assert len(e.problems) >= 6
    assert e.field == "athlete.body_mass_kg" and e.code == postrun.ERR_RANGE
    assert "more problems" in str(e)
    assert all(isinstance(p, postrun.Problem) and p.severity == "error" for p in e.problems)
    assert all(str(p).startswith(p.field) for p in e.problems if p.field)


def test_yaml_problems_carry_positions(kb):
    with pytest.raises(postrun.ValidationError) as info:
        kb.parse("postrun: 1\nathlete:\n  body_mass_kg: 900\n  sx: female\nrun: {}\n",
                 name="r.yaml")
    e = info.value
    assert len(e.problems) >= 2
    for p in e.problems:
        assert p.file == "r.yaml" and p.line > 0 and p.column > 0


def test_dict_shape_errors(kb, minimal):
    for bad, field in [
        ({1: 2, "postrun": 1}, ""),
        (dict(minimal, athlete={"body_mass_kg": {"value": 68}}), "athlete.body_mass_kg"),
        (dict(minimal, symptoms="fatigue"), "symptoms"),
        (dict(minimal, symptoms=[3]), "symptoms[0]"),
        (dict(minimal, symptoms=[{"severity": 3}]), "symptoms[0]"),
        (dict(minimal, symptoms=[{"id": "aching", "where": [3]}]), "symptoms[0].where"),
        (dict(minimal, run={"duration_min": object()}), "run.duration_min"),
        (dict(minimal, run={"duration_min": 10 ** 400}), "run.duration_min"),
        (dict(minimal, id="\ud800"), "id"),
    ]:
        with pytest.raises(postrun.ValidationError) as info:
            kb.assess(bad)
        assert field in problem_fields(info.value), (bad, info.value.problems)


def test_none_means_not_given(kb, minimal):
    assert kb.assess(dict(minimal, environment={"temperature_c": None}))
    assert kb.assess(dict(minimal, symptoms=None, observations=None))


def test_missing_file_is_a_file_error(kb, tmp_path):
    with pytest.raises(postrun.FileError) as info:
        kb.assess(tmp_path / "missing.yaml")
    assert info.value.code == postrun.ERR_IO and "missing.yaml" in str(info.value)


def test_argument_error_from_the_core():
    with pytest.raises(postrun.ArgumentError) as info:
        core.assessment_new(None)
    assert info.value.code == postrun.ERR_ARGUMENT and info.value.message


def test_wrong_handle_type_is_a_type_error(kb):
    with pytest.raises(TypeError):
        core.kb_count("not a kb", core.KIND_CAUSE)


def test_errors_pickle(kb, minimal):
    with pytest.raises(postrun.ValidationError) as info:
        kb.assess(dict(minimal, athlete={"body_mass_kg": 1}))
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is postrun.ValidationError
    assert again.problems == info.value.problems and str(again) == str(info.value)


def test_errors_are_catchable_as_postrun_error(kb):
    for bad in ("postrun: [", {"postrun": 2}, 42):
        try:
            kb.assess(bad)
        except postrun.Error:
            pass
        except TypeError:
            assert bad == 42


def test_problems_have_a_status_word(kb, minimal):
    with pytest.raises(postrun.ValidationError) as info:
        kb.assess(dict(minimal, run={"duration_min": 0}))
    assert info.value.problems[0].status == "range"
    assert "ValidationError(range" in repr(info.value)


def test_symptom_fields_are_numbered_after_the_symptoms_kept(kb, minimal):
    cases = [
        (["nope", {"id": "fatigue", "severity": 99}],
         ["unknown_id@symptoms[0].id", "range@symptoms[0].severity"]),
        (["cramps", {"id": "fatigue", "severity": 99}], ["range@symptoms[1].severity"]),
        (["cramps", "cramps", {"id": "fatigue", "severity": 99}],
         ["duplicate@symptoms[1].id", "range@symptoms[1].severity"]),
    ]
    for symptoms, want in cases:
        with pytest.raises(postrun.ValidationError) as e:
            kb.assess(dict(minimal, symptoms=symptoms))
        assert [f"{p.status}@{p.field}" for p in e.value.problems] == want
        got = kb.assess_many([dict(minimal, symptoms=symptoms)], errors="return")[0]
        assert [f"{p.status}@{p.field}" for p in got.problems] == want
