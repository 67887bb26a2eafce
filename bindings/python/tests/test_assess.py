"""KnowledgeBase.assess and Assessment: every way in, every accessor, every output."""
import json
import math
import pathlib

import pytest
import yaml

import postrun
from conftest import RUNS

HYPONATREMIA = RUNS / "06_weigh_in_gain_headache_hyponatremia.yaml"


def test_assess_a_dict_gives_the_contract_shape(kb, report):
    a = kb.assess(report)
    assert isinstance(a, postrun.Assessment)
    assert a.id == "dict-long-run"
    assert a.causes and a.recommendations
    r = a.fluid.sweat_loss_l
    assert isinstance(r, postrun.Range) and r.low <= r.expected <= r.high
    assert a.fluid.method == "predicted"
    assert a.fluid.status in ("overhydrated", "euhydrated", "mild_deficit", "deficit",
                              "severe_deficit")
    assert a.load.doms_risk in ("low", "moderate", "high")
    assert a.glycogen.muscle_remaining_pct.expected == pytest.approx(
        a.to_dict()["glycogen"]["muscle_remaining_pct"]["expected"], rel=1e-3)


def test_every_input_form_gives_the_same_result(kb):
    path = RUNS / "01_warm_long_run_muscles_smaller.yaml"
    text = path.read_text()
    expected = kb.assess(path).to_dict()
    assert kb.assess(str(path)).to_dict() == expected
    assert kb.assess(text).to_dict() == expected
    assert kb.assess(text.encode()).to_dict() == expected
    assert kb.assess(kb.load_run(path)).to_dict() == expected
    assert kb.assess(yaml.safe_load(text)).to_dict() == expected


def test_a_non_dict_mapping_is_accepted(kb, minimal):
    from types import MappingProxyType
    assert kb.assess(MappingProxyType(minimal)).to_dict() == kb.assess(minimal).to_dict()


def test_assess_rejects_other_types(kb):
    with pytest.raises(TypeError):
        kb.assess(42)


def test_sections_read_as_attributes_and_as_mappings(kb, report):
    a = kb.assess(report)
    fluid = a.fluid
    assert isinstance(fluid, postrun.Section)
    assert set(fluid) == set(a.to_dict()["fluid"])
    assert fluid["sweat_loss_l"] == fluid.sweat_loss_l
    assert a.energy.expenditure_kcal.expected > 0
    assert a.heat and a.muscle.volume_change_pct.expected <= 0
    assert a.load.doms_peak_h == [24, 72]
    with pytest.raises(AttributeError, match="no 'bogus'"):
        a.fluid.bogus
    with pytest.raises(AttributeError):
        a.no_such_section


def test_metric_label_metrics(kb, report, minimal):
    a = kb.assess(report)
    r = a.metric("fluid.sweat_loss_l")
    assert r == a.fluid.sweat_loss_l
    assert a.label("fluid.method") == "predicted"
    assert a.label("fluid.sweat_loss_l") is None
    assert a.metric("load.acwr") is not None
    assert kb.assess(minimal).metric("load.acwr") is None
    assert kb.assess(minimal).load.acwr is None
    with pytest.raises(postrun.NotFoundError):
        a.metric("fluid.nope")
    all_metrics = a.metrics()
    assert set(all_metrics) == set(postrun.metrics())
    for name, value in all_metrics.items():
        if value is not None:
            assert all(math.isfinite(x) for x in value), name


def test_causes_are_ranked_with_their_evidence(kb, report):
    causes = kb.assess(report).causes
    assert [c.score for c in causes] == sorted((c.score for c in causes), reverse=True)
    top = causes[0]
    assert isinstance(top, postrun.Cause) and 0 <= top.score <= 1
    assert "muscles_feel_smaller" in top.explains
    assert top.because and all(isinstance(b, postrun.Contribution) for b in top.because)
    assert {b.source for b in top.because} <= {"prior", "symptom", "metric", "rule"}
    prior = [b for b in top.because if b.source == "prior"]
    assert prior and prior[0].value is None


def test_recommendations_have_doses_addresses_and_sources(kb, report):
    recs = kb.assess(report).recommendations
    assert [r.priority for r in recs] == sorted(r.priority for r in recs)
    for r in recs:
        assert isinstance(r, postrun.Recommendation)
        assert r.when in ("now", "within_2h", "today", "next_days", "next_runs")
        assert r.text and isinstance(r.dose, dict)
        assert all(isinstance(v, float) for v in r.dose.values())
    assert any(r.dose for r in recs) and any(r.sources for r in recs)


def test_red_flags_withdrawn_and_urgency(kb):
    a = kb.assess(HYPONATREMIA)
    assert a.red_flags[0].id == "suspected_hyponatremia"
    assert a.red_flags[0].urgency == "emergency" and a.red_flags[0].because
    assert a.max_urgency == "emergency" and a.emergency
    assert a.withdrawn and all(w.by for w in a.withdrawn)
    withdrawn = {w.id for w in a.withdrawn}
    assert not withdrawn & {r.id for r in a.recommendations}


def test_no_red_flag(kb, minimal):
    a = kb.assess(minimal)
    assert a.red_flags == [] and a.max_urgency is None and not a.emergency


def test_misconceptions_assumptions_notes(kb, report, minimal):
    a = kb.assess(report)
    assert all(isinstance(m, postrun.Misconception) and m.text for m in a.misconceptions)
    assert kb.assess(minimal).assumptions
    assert a.notes and all(isinstance(n, str) for n in a.notes)


def test_outputs_agree_with_each_other(kb, report):
    a = kb.assess(report)
    d = a.to_dict()
    assert list(d)[:2] == ["id", "red_flags"]
    assert json.loads(a.to_json()) == d
    assert json.loads(a.to_json(compact=True)) == d
    assert "\n" not in a.to_json(compact=True).strip()
    assert yaml.safe_load(a.to_yaml()) == d
    assert str(a) == a.to_text() == a.render("text")
    assert len(a.to_text(explain=True)) > len(a.to_text())
    assert "\x1b[" in a.to_text(color=True)
    assert "dict-long-run" in repr(a)
    with pytest.raises(ValueError):
        a.render("xml")


def test_lists_handed_out_are_copies(kb, report):
    a = kb.assess(report)
    a.causes.clear()
    assert a.causes


def test_assessment_constructor_is_not_public():
    with pytest.raises(TypeError):
        postrun.Assessment()


def test_assess_stream_yields_every_document(kb):
    got = list(kb.assess_stream(RUNS / "season.yaml"))
    assert len(got) == len(list(kb.runs(RUNS / "season.yaml")))
    assert all(isinstance(a, postrun.Assessment) for a in got)


def test_assess_stream_bad_documents(kb):
    text = ("postrun: 1\nathlete: {body_mass_kg: 60}\nrun: {duration_min: 30}\n---\n"
            "postrun: 1\nathlete: {body_mass_kg: 900}\nrun: {duration_min: 30}\n---\n"
            "postrun: 1\nathlete: {body_mass_kg: 61}\nrun: {duration_min: 31}\n")
    got = list(kb.assess_stream(text, errors="return"))
    assert [type(x).__name__ for x in got] == ["Assessment", "ValidationError", "Assessment"]
    assert got[1].document == 1 and got[1].line == 6
    assert len(list(kb.assess_stream(text, errors="skip"))) == 2
    with pytest.raises(postrun.ValidationError):
        list(kb.assess_stream(text))
    with pytest.raises(ValueError):
        list(kb.assess_stream(text, errors="ignore"))


def test_assess_many_keeps_order_and_hands_back_errors(kb, minimal):
    bad = dict(minimal, athlete={"body_mass_kg": 1})
    reports = [minimal, bad, RUNS / "02_hard_race_feeling_dead.yaml"]
    got = kb.assess_many(reports, errors="return")
    assert isinstance(got[0], postrun.Assessment)
    assert isinstance(got[1], postrun.ValidationError)
    assert got[2].id == kb.assess(reports[2]).id
    with pytest.raises(postrun.ValidationError):
        kb.assess_many(reports)
    with pytest.raises(ValueError):
        kb.assess_many(reports, errors="skip")
    assert kb.assess_many([]) == []


def test_path_objects(kb):
    assert kb.assess(pathlib.Path(HYPONATREMIA)).emergency


def test_assess_many_takes_every_kind_of_report(kb, minimal, report):
    text = (RUNS / "03_tight_legs_no_warmup_cooldown.yaml").read_text()
    run = kb.run(report)
    got = kb.assess_many([minimal, run, text, RUNS / "04_aching_two_days_after_hilly_race.yaml",
                          "postrun: [\n"], errors="return")
    assert [type(x).__name__ for x in got] == ["Assessment"] * 4 + ["ParseError"]
    assert got[1].id == "dict-long-run"
    with pytest.raises(TypeError):
        kb.assess_many([minimal, 42], errors="return")


def test_values_print_readably(kb, report):
    a = kb.assess(report)
    r = a.fluid.sweat_loss_l
    assert str(r).startswith(f"{r.expected:.4g} (")
    assert len(a.fluid) == len(dir(a.fluid)) > 3
    assert "fluid" in repr(a.fluid)


def causes_by_accessors(a):
    """a.causes as the package built it before it came from one C call: accessor by accessor."""
    import math
    from postrun import postrun_core as core
    from postrun._assessment import SOURCES
    h, causes = a._h, []
    for i in range(core.assessment_cause_count(h)):
        cid, name, score, n_explains, n_because = core.assessment_cause(h, i)
        explains = tuple(core.assessment_cause_explains(h, i, j) for j in range(n_explains))
        because = []
        for j in range(n_because):
            source, ref, value, weight, text = core.assessment_cause_because(h, i, j)
            because.append(postrun.Contribution(SOURCES[source], ref,
                                                None if math.isnan(value) else value, weight,
                                                text))
        causes.append(postrun.Cause(cid, name, score, explains, tuple(because)))
    return causes


def test_causes_are_what_the_accessors_give(kb, report):
    reports = sorted(RUNS.glob("0*.yaml")) + [report]
    for r in reports:
        a = kb.assess(r)
        got, want = a.causes, causes_by_accessors(a)
        assert got == want
        assert [type(c) for c in got] == [postrun.Cause] * len(got)
        for c, w in zip(got, want):
            assert type(c.explains) is tuple and type(c.because) is tuple
            assert all(type(k) is postrun.Contribution for k in c.because)
            assert [k._asdict() for k in c.because] == [k._asdict() for k in w.because]
            assert all(type(k.value) in (float, type(None)) for k in c.because)
    assert any(k.value is None for c in kb.assess(report).causes for k in c.because)


def test_metric_by_name_is_the_metric_by_index(kb, report):
    a = kb.assess(report)
    for i in range(postrun.postrun_core.metric_count()):
        name = postrun.postrun_core.metric_name(i)
        try:
            want = postrun.Range(*postrun.postrun_core.assessment_metric(a._h, name))
        except postrun.NotFoundError:
            want = None
        assert a.metric(name) == want
    with pytest.raises(postrun.NotFoundError):
        a.metric("fluid.no_such_metric")
    with pytest.raises(TypeError):
        a.metric(42)


def recommendations_by_accessors(a):
    """a.recommendations as the package built it accessor by accessor."""
    from postrun import postrun_core as core
    from postrun._assessment import WHENS
    h, recs = a._h, []
    for i in range(core.assessment_recommendation_count(h)):
        (rid, name, priority, when, text, n_doses, n_addresses,
         n_sources) = core.assessment_recommendation(h, i)
        dose = dict(core.assessment_recommendation_dose(h, i, j) for j in range(n_doses))
        addresses = tuple(core.assessment_recommendation_addresses(h, i, j)
                          for j in range(n_addresses))
        sources = tuple(core.assessment_recommendation_source(h, i, j) for j in range(n_sources))
        recs.append(postrun.Recommendation(rid, name, priority, WHENS[when], text, dose,
                                           addresses, sources))
    return recs


def test_recommendations_are_what_the_accessors_give(kb, report):
    seen = 0
    for r in sorted(RUNS.glob("0*.yaml")) + [report]:
        a = kb.assess(r)
        got, want = a.recommendations, recommendations_by_accessors(a)
        assert got == want
        for g, w in zip(got, want):
            assert type(g) is postrun.Recommendation
            assert list(g.dose.items()) == list(w.dose.items())  # same order
            assert type(g.priority) is int and type(g.addresses) is tuple
            seen += bool(g.dose)
    assert seen > 0
