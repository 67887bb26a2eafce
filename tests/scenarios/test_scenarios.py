"""Safety scenarios (tests/scenarios/*.yaml): every report is assessed with the bundled
knowledge base and checked against the expectations written for it from the literature.

Run by `meson test scenarios` (pytest, through the Python binding). Each expectation key is
documented in README.md beside this file.
"""
import os
import pathlib
import re

import pytest
import yaml

import postrun

HERE = pathlib.Path(__file__).resolve().parent
ROOT = pathlib.Path(os.environ.get("POSTRUN_SOURCE_ROOT", HERE.parents[1]))
URGENCY_ORDER = ["emergency", "see_doctor_soon", "see_doctor_if_persists"]


def load_scenarios():
    out = []
    for path in sorted(HERE.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for sc in doc["scenarios"]:
            out.append(pytest.param(sc, id=f"{path.stem}:{sc['name']}"))
    return out


def rec_tags():
    """Tags of every bundled recommendation, read from data/ (the API does not expose tags)."""
    doc = yaml.safe_load((ROOT / "data" / "recommendations.yaml").read_text())
    return {r["id"]: set(r.get("tags", [])) for r in doc["recommendations"]}


KB = postrun.KnowledgeBase.default()
TAGS = rec_tags()


def assess(report, all_items=False):
    r = dict(report)
    r.setdefault("postrun", 1)
    return KB.assess(r, all=all_items)


@pytest.mark.parametrize("sc", load_scenarios())
def test_scenario(sc):
    exp = sc["expect"]
    if "error_fields" in exp:
        with pytest.raises(postrun.Error) as info:
            assess(sc["report"])
        named = {p.field for p in info.value.problems}
        for f in exp["error_fields"]:
            assert f in named or any(f in (p.message or "") for p in info.value.problems), \
                f"{f} not named in {[(p.field, p.message) for p in info.value.problems]}"
        return
    a = assess(sc["report"])
    full = assess(sc["report"], all_items=True)
    flags = {f.id: f for f in a.red_flags}
    recs = full.recommendations  # safety holds for every recommendation, shown or not
    rec_ids = [r.id for r in recs]
    for fid in exp.get("red_flags", []):
        assert fid in flags, f"expected red flag {fid}, got {sorted(flags)}"
    for fid in exp.get("not_red_flags", []):
        assert fid not in flags, f"unexpected red flag {fid}"
    if "urgency" in exp:
        want = None if exp["urgency"] == "none" else exp["urgency"]
        assert a.max_urgency == want, f"urgency {a.max_urgency}, expected {want}"
    if "urgency_not" in exp:
        assert a.max_urgency != exp["urgency_not"]
    for tag in exp.get("no_active_tags", []):
        bad = [r.id for r in recs if tag in TAGS.get(r.id, set())]
        assert not bad, f"recommendations tagged {tag} remain: {bad}"
    if "active_when_only" in exp:
        bad = [(r.id, r.when) for r in recs if r.when not in exp["active_when_only"]]
        assert not bad, f"recommendations outside {exp['active_when_only']}: {bad}"
    if "active_when_not" in exp:
        bad = [(r.id, r.when) for r in recs if r.when in exp["active_when_not"]]
        assert not bad, f"recommendations for {exp['active_when_not']} remain: {bad}"
    if exp.get("no_fluid_dose"):
        bad = [r.id for r in recs if r.dose.get("fluid_ml", 0) > 0]
        assert not bad, f"fluid doses given: {bad}"
    for rid in exp.get("includes", []):
        assert rid in rec_ids, f"expected {rid} among {rec_ids}"
    for rid in exp.get("excludes", []):
        assert rid not in rec_ids, f"{rid} should not be given"
    withdrawn = {w.id for w in a.withdrawn}
    for rid in exp.get("withdrawn", []):
        assert rid in withdrawn, f"{rid} not withdrawn ({sorted(withdrawn)})"
    if "fluid_rate_max_ml_h" in exp:
        for r in recs:
            if r.dose.get("fluid_ml", 0) > 0:
                assert r.dose.get("over_h", 0) > 0, f"{r.id} has no over_h"
                rate = r.dose["fluid_ml"] / r.dose["over_h"]
                assert rate <= exp["fluid_rate_max_ml_h"] + 1e-9, f"{r.id}: {rate} ml/h"
    if exp.get("dose_within_predicted_low_end"):
        change = a.metric("fluid.body_mass_change_kg")
        low_end_loss = max(0.0, -change.high)
        for r in recs:
            if r.dose.get("fluid_ml", 0) > 0:
                assert r.dose["fluid_ml"] <= 1500 * low_end_loss + 1e-6, \
                    f"{r.id}: {r.dose['fluid_ml']} ml for a low-end loss of {low_end_loss} kg"
    for rid, doses in exp.get("dose_range", {}).items():
        r = next((r for r in recs if r.id == rid), None)
        assert r is not None, f"{rid} not given"
        for name, (lo, hi) in doses.items():
            assert lo <= r.dose[name] <= hi, f"{rid}.{name} = {r.dose[name]}, not in {lo}..{hi}"
    for rid, word in exp.get("rec_text_mentions", {}).items():
        r = next((r for r in recs if r.id == rid), None)
        assert r is not None, f"{rid} not given ({rec_ids})"
        assert word.lower() in r.text.lower(), f"{rid} does not say '{word}': {r.text}"
    for fid, word in exp.get("flag_advice_mentions", {}).items():
        assert fid in flags, f"{fid} not raised"
        assert word.lower() in flags[fid].advice.lower(), \
            f"{fid} advice does not say '{word}': {flags[fid].advice}"
    text_all = " ".join(r.text for r in recs).lower()
    for phrase in exp.get("no_text_mentions", []):
        assert phrase.lower() not in text_all, f"'{phrase}' in the advice"
    causes = a.causes
    if "top_causes" in exp:
        top = [c.id for c in causes[:3]]
        assert any(c in top for c in exp["top_causes"]), f"top causes {top}"
    for symptom, rejected in exp.get("not_explaining", {}).items():
        for c in full.causes:
            if c.id in rejected:
                assert symptom not in c.explains, f"{c.id} listed as explaining {symptom}"
    if "max_causes" in exp:
        assert len(causes) <= exp["max_causes"]
    if "max_recommendations" in exp:
        assert len(a.recommendations) <= exp["max_recommendations"]
    if "warnings" in exp:
        assert len(a.warnings) >= exp["warnings"], "expected a warning"
    if exp.get("plain_text"):
        text = a.to_text()
        assert not re.search(r"\b(run|fluid|glycogen|environment|recent|athlete)\.[a-z_]+", text), \
            "metric paths in the default text"
        assert " %   explains" not in text and not re.search(r"\d %\s+explains", text)
        assert "(at least" not in text and "(below" not in text, "rule syntax in the text"
