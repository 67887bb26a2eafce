"""Safety properties over generated reports (model.md section 7), checked on every
recommendation (not only the six shown):

- no active recommendation contradicts a raised red flag: under an emergency only `now`
  advice the flag allows, under "see a doctor soon" only `gentle` advice and none for the next
  runs, and never anything the flag withdraws;
- every fluid dose says over how many hours, at no more than max_fluid_ml_per_h;
- a dose from a predicted loss is at most 1.5 l per kg of the loss's low end;
- no text states a predicted fluid value as measured;
- a report with a red flag never says "recover as usual".
"""
import os
import pathlib

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

import postrun

HERE = pathlib.Path(__file__).resolve().parent
ROOT = pathlib.Path(os.environ.get("POSTRUN_SOURCE_ROOT", HERE.parents[1]))
KB = postrun.KnowledgeBase.default()


def _load(name, key):
    return yaml.safe_load((ROOT / "data" / name).read_text())[key]


RECS = {r["id"]: r for r in _load("recommendations.yaml", "recommendations")}
FLAGS = {f["id"]: f for f in _load("red_flags.yaml", "red_flags")}
MAX_RATE = next(p["value"] for p in _load("dose_parameters.yaml", "parameters")
                if p["id"] == "max_fluid_ml_per_h")


def members(names):
    """Recommendation ids named by a list of ids and tags."""
    names = set(names or [])
    return {rid for rid, r in RECS.items() if rid in names or names & set(r.get("tags", []))}


def f(lo, hi):
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


SIGNS = ["confusion", "vomiting", "seizure", "unusual_drowsiness", "fainting", "chest_pain",
         "palpitations", "dizziness", "headache", "nausea", "swelling", "weakness", "dark_urine",
         "numbness", "pain_on_hopping", "bone_point_tenderness", "sharp_localized_pain",
         "salty_sweat", "cramped_before"]


@st.composite
def report(draw):
    mass = draw(f(40, 120))
    minutes = draw(f(15, 600))
    r = {"postrun": 1,
         "athlete": {"body_mass_kg": mass, "age_y": draw(f(12, 85))},
         "run": {"duration_min": minutes,
                 "distance_km": draw(f(0.1, 1)) * minutes / 4,
                 "ended_h_ago": draw(st.sampled_from([0, 1, 3, 8, 20, 30, 60]))},
         "environment": {"temperature_c": draw(f(-5, 40)),
                         "relative_humidity_pct": draw(f(10, 95))},
         "intake": {"fluid_ml": draw(f(0, 8000))},
         "symptoms": draw(st.lists(st.fixed_dictionaries(
             {"id": st.sampled_from(["muscles_feel_smaller", "fatigue", "tightness", "aching",
                                     "twitching", "cramps"]),
              "severity": f(0, 10)}), max_size=3, unique_by=lambda s: s["id"])),
         "observations": {k: True for k in draw(st.lists(st.sampled_from(SIGNS), max_size=3))}}
    if draw(st.booleans()):
        r["run"]["surface"] = draw(st.sampled_from(["road", "trail", "treadmill"]))
    if draw(st.booleans()):
        r["observations"]["urine_colour"] = draw(st.integers(1, 8))
    if draw(st.booleans()):
        # A plausible weigh-in: at most 8 % and 4 l/h either way.
        hours = minutes / 60
        fluid = min(r["intake"]["fluid_ml"], 2000 * hours)
        r["intake"]["fluid_ml"] = fluid
        change = draw(f(-0.08, 0.03)) * mass
        change = max(change, -4 * hours + fluid / 1000)
        r["weigh_in"] = {"pre_kg": mass, "post_kg": mass + change}
    return r


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report())
def test_no_advice_contradicts_a_red_flag_and_every_dose_is_safe(rep):
    a = KB.assess(rep, all=True)
    recs = a.recommendations
    for flag in a.red_flags:
        spec = FLAGS[flag.id]
        withdrawn = members(spec.get("withdraws"))
        for r in recs:
            assert r.id not in withdrawn, (flag.id, r.id)
            if flag.urgency == "emergency":
                assert r.when == "now" and r.id in members(spec.get("allows")), (flag.id, r.id)
            elif flag.urgency == "see_doctor_soon":
                assert "gentle" in RECS[r.id].get("tags", []), (flag.id, r.id)
                assert r.when != "next_runs", (flag.id, r.id)
    predicted = a.label("fluid.method") == "predicted"
    change = a.metric("fluid.body_mass_change_kg")
    for r in recs:
        ml = r.dose.get("fluid_ml", 0)
        if ml > 0:
            assert r.dose.get("over_h", 0) > 0, r
            assert ml / r.dose["over_h"] <= MAX_RATE + 1e-9, r
            if predicted:
                assert ml <= 1500 * max(0.0, -change.high) + 1e-6, (r, change)
    if predicted:
        texts = [r.text for r in recs] + [k.text for c in a.causes for k in c.because]
        texts += [b for fl in a.red_flags for b in fl.because]
        for t in texts:
            assert "(measured)" not in t and "measured by weighing" not in t, t
    if a.red_flags:
        assert "recover as usual" not in a.to_text()
