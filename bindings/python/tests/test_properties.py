"""Property tests over generated run reports: never a crash, only postrun.Error for bad input,
outputs finite and ordered (low <= expected <= high)."""
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import postrun

KB = postrun.KnowledgeBase.default()
SYMPTOMS = KB.symptoms
OBSERVATIONS = KB.observations
AREAS = KB.body_areas
GRADED = {"urine_colour", "persistent_days"}  # numbers; every other observation is yes/no
YES_NO = [o for o in OBSERVATIONS if o not in GRADED]


def in_range(lo, hi):
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def optional(fields):
    """A mapping with any subset of the given fields."""
    return st.fixed_dictionaries({}, optional=fields)


symptom = st.fixed_dictionaries(
    {"id": st.sampled_from(SYMPTOMS)},
    optional={"severity": in_range(0, 10), "onset_h": in_range(0, 100),
              "duration_h": in_range(0, 300),
              "where": st.lists(st.sampled_from(AREAS), max_size=3, unique=True)})

valid_report = st.fixed_dictionaries(
    {
        "postrun": st.just(1),
        "athlete": st.fixed_dictionaries(
            {"body_mass_kg": in_range(25, 250)},
            optional={"height_cm": in_range(120, 230), "age_y": in_range(10, 100),
                      "sex": st.sampled_from(["female", "male"]),
                      "training_status": st.sampled_from(
                          ["novice", "recreational", "trained", "elite"]),
                      "sweat_sodium_mmol_l": in_range(5, 150),
                      "vo2max_ml_kg_min": in_range(20, 90), "max_hr_bpm": in_range(120, 230)}),
        "run": st.fixed_dictionaries(
            {"duration_min": in_range(1, 2880)},
            optional={"distance_km": in_range(0.1, 400), "elevation_gain_m": in_range(0, 10000),
                      "elevation_loss_m": in_range(0, 10000),
                      "intensity": st.sampled_from(
                          ["easy", "steady", "tempo", "threshold", "intervals", "race"]),
                      "avg_hr_bpm": in_range(60, 230), "rpe": in_range(0, 10),
                      "surface": st.sampled_from(["road", "trail", "track", "treadmill"]),
                      "warmup_min": in_range(0, 120), "cooldown_min": in_range(0, 120),
                      "ended_h_ago": in_range(0, 336)}),
    },
    optional={
        "environment": optional({"temperature_c": in_range(-40, 50),
                                 "relative_humidity_pct": in_range(0, 100),
                                 "wind_m_s": in_range(0, 30),
                                 "sun": st.sampled_from(["none", "partial", "full"])}),
        "intake": optional({"fluid_ml": in_range(0, 20000), "carbohydrate_g": in_range(0, 1000),
                            "sodium_mg": in_range(0, 20000),
                            "pre_run_carbohydrate_g": in_range(0, 1000),
                            "fasted": st.booleans()}),
        "recent": optional({"sleep_h": in_range(0, 24), "acute_week_km": in_range(0, 1500),
                            "chronic_week_km": in_range(0, 1500),
                            "days_since_hard_session": in_range(0, 365)}),
        "symptoms": st.lists(symptom, max_size=4, unique_by=lambda s: s["id"]),
        "observations": st.dictionaries(st.sampled_from(YES_NO), st.booleans(), max_size=4).map(
            lambda d: d).flatmap(lambda d: st.fixed_dictionaries(
                d and {k: st.just(v) for k, v in d.items()},
                optional={"urine_colour": in_range(1, 8), "persistent_days": in_range(0, 365)})),
    })



def plausible(report):
    """Keeps a generated report within what a human can produce (contract section 2): an
    average heart rate at most 5 bpm above the stated maximum."""
    a, r = report["athlete"], report["run"]
    if "max_hr_bpm" in a and "avg_hr_bpm" in r and r["avg_hr_bpm"] > a["max_hr_bpm"] + 5:
        r["avg_hr_bpm"] = a["max_hr_bpm"]
    return report


valid_report = valid_report.map(plausible)


@st.composite
def weigh_in(draw):
    """A complete weigh-in whose masses agree with the athlete's (within 10 %)."""
    report = draw(valid_report)
    mass = report["athlete"]["body_mass_kg"]
    pre = draw(in_range(max(25, mass * 0.95), min(250, mass * 1.05)))
    post = draw(in_range(max(25, pre * 0.9), min(250, pre * 1.03)))
    # No more than 4.5 l/h of sweat implied (5 l/h is refused as impossible).
    hours = report["run"]["duration_min"] / 60
    fluid = report.get("intake", {}).get("fluid_ml", 0) / 1000
    post = min(250.0, max(post, pre + fluid - 4.5 * hours))
    if abs(post - pre) > 0.099 * pre:
        post = pre
    report["weigh_in"] = {"pre_kg": pre, "post_kg": post}
    return report


scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                   st.binary(max_size=4))
anything = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)


def mutate(report, data):
    """Replaces or adds one value somewhere in a valid report."""
    section = data.draw(st.sampled_from(sorted(report)))
    if isinstance(report[section], dict) and report[section]:
        key = data.draw(st.one_of(st.sampled_from(sorted(report[section])), st.text(max_size=10)))
        report[section][key] = data.draw(anything)
    else:
        report[section] = data.draw(anything)
    return report


def check(a):
    """What every assessment must satisfy."""
    for name, r in a.metrics().items():
        if r is None:
            continue
        assert all(math.isfinite(x) for x in r), name
        assert r.low <= r.expected <= r.high, (name, r)
    causes = a.causes
    assert all(0 <= c.score <= 1 and math.isfinite(c.score) for c in causes)
    assert [c.score for c in causes] == sorted((c.score for c in causes), reverse=True)
    priorities = [r.priority for r in a.recommendations]
    assert priorities == sorted(priorities)
    for r in a.recommendations:
        assert all(math.isfinite(v) for v in r.dose.values()), r
    withdrawn = {w.id for w in a.withdrawn}
    assert not withdrawn & {r.id for r in a.recommendations}
    d = a.to_dict()
    assert d["red_flags"] == [] or a.red_flags
    assert a.to_text()


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(valid_report)
def test_valid_reports_are_assessed_with_finite_ordered_outputs(report):
    check(KB.assess(report))


@SETTINGS
@given(weigh_in())
def test_weigh_ins_are_measured(report):
    try:
        a = KB.assess(report)
    except postrun.ValidationError:
        return  # a weigh-in the model finds implausible is refused, not crashed on
    check(a)
    assert a.fluid.method == "measured"


@SETTINGS
@given(valid_report, st.data())
def test_bad_reports_raise_only_postrun_errors(report, data):
    report = mutate(report, data)
    try:
        a = KB.assess(report)
    except postrun.Error as e:
        assert e.problems and e.message and isinstance(e.code, int) and e.code < 0
        return
    check(a)


@SETTINGS
@given(anything)
def test_anything_at_all_raises_only_postrun_errors(value):
    try:
        KB.assess(value if isinstance(value, dict) else {"postrun": 1, "athlete": value})
    except postrun.Error:
        pass


@SETTINGS
@given(st.text(max_size=300))
def test_any_yaml_text_raises_only_postrun_errors(text):
    try:
        check(KB.assess(postrun.Run.parse(text, KB)))
    except postrun.Error:
        pass


def test_a_tiny_chronic_load_gives_finite_outputs():
    check(KB.assess({"postrun": 1, "athlete": {"body_mass_kg": 60}, "run": {"duration_min": 30},
                     "recent": {"acute_week_km": 1, "chronic_week_km": 3.56e-307}}))


@settings(max_examples=100, deadline=None)
@given(valid_report)
def test_dict_and_yaml_give_the_same_assessment(report):
    import yaml
    assert KB.assess(yaml.safe_dump(report)).to_dict() == KB.assess(report).to_dict()
