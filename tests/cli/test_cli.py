"""The `postrun` command: formats, streams, exit codes, atomic output, errors on stderr.

Run by meson with POSTRUN_CLI set to the built executable and POSTRUN_SOURCE_ROOT to the
source tree.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

CLI = os.environ.get("POSTRUN_CLI", "postrun")
ROOT = Path(os.environ.get("POSTRUN_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
RUNS = ROOT / "examples" / "runs"
EXAMPLES = sorted(p for p in RUNS.glob("*.yaml") if p.name != "season.yaml")


def run(*args, stdin=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True,
                          text=True, env=e, timeout=120)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["text", "yaml", "json"])
def test_every_example_is_assessed_in_every_format(path, fmt):
    r = run("assess", "--format", fmt, path)
    assert r.returncode in (0, 3), r.stderr
    assert r.stderr == ""
    if fmt == "json":
        d = json.loads(r.stdout)
        assert d["red_flags"] is not None
    elif fmt == "yaml":
        d = yaml.safe_load(r.stdout)
        assert set(d) >= {"id", "red_flags", "energy", "fluid", "glycogen", "muscle", "load",
                          "causes", "recommendations", "misconceptions", "withdrawn",
                          "assumptions", "notes"}
    else:
        assert "What to do" in r.stdout


def test_an_emergency_red_flag_exits_3_and_comes_first():
    r = run("assess", RUNS / "06_weigh_in_gain_headache_hyponatremia.yaml")
    assert r.returncode == 3
    first = r.stdout.index("RED FLAG")
    assert first < r.stdout.index("Why you feel this way")
    d = json.loads(run("assess", "--format", "json",
                       RUNS / "06_weigh_in_gain_headache_hyponatremia.yaml").stdout)
    assert d["red_flags"][0]["id"] == "suspected_hyponatremia"
    assert d["red_flags"][0]["urgency"] == "emergency"
    assert not any("drink" in r["id"] for r in d["recommendations"])
    assert {w["by"] for w in d["withdrawn"]} <= {"suspected_hyponatremia", "contraindication"}
    assert d["withdrawn"]


def test_several_documents_give_json_lines_and_yaml_documents():
    season = RUNS / "season.yaml"
    r = run("assess", "--format", "json", season)
    assert r.returncode in (0, 3), r.stderr
    lines = r.stdout.strip().split("\n")
    assert len(lines) >= 5
    for line in lines:
        json.loads(line)
    y = run("assess", "--format", "yaml", season)
    docs = list(yaml.safe_load_all(y.stdout))
    assert len(docs) == len(lines)
    assert [d["id"] for d in docs] == [json.loads(x)["id"] for x in lines]


def test_a_bad_document_is_reported_and_the_others_still_assessed(tmp_path):
    good = (RUNS / "10_cold_easy_run_no_symptoms.yaml").read_text()
    bad = "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 3000}\n"
    f = tmp_path / "mixed.yaml"
    f.write_text(good + "\n---\n" + bad + "---\n" + good)
    r = run("assess", "--format", "json", f)
    assert r.returncode == 1
    assert len(r.stdout.strip().split("\n")) == 2
    assert f"{f}:" in r.stderr and "run.duration_min" in r.stderr
    assert "3000" in r.stderr and "2880" in r.stderr


def test_standard_input_is_read_with_a_dash():
    text = (RUNS / "10_cold_easy_run_no_symptoms.yaml").read_text()
    r = run("assess", "--format", "json", "-", stdin=text)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["causes"] == []


def test_output_file_is_written_atomically(tmp_path):
    out = tmp_path / "out.yaml"
    out.write_text("previous content\n")
    r = run("assess", "--format", "yaml", "-o", out, RUNS / "01_warm_long_run_muscles_smaller.yaml")
    assert r.returncode == 0 and r.stdout == ""
    assert yaml.safe_load(out.read_text())["id"]
    # A failing run leaves the previous file as it was, and no temporary file behind.
    out.write_text("previous content\n")
    r = run("assess", "-o", out, tmp_path / "missing.yaml")
    assert r.returncode == 4
    assert out.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_colour_only_when_asked_and_never_with_no_color():
    path = RUNS / "06_weigh_in_gain_headache_hyponatremia.yaml"
    assert "\033[" not in run("assess", path).stdout  # not a terminal
    assert "\033[" in run("assess", "--color", "always", path).stdout
    assert "\033[" not in run("assess", path, env={"NO_COLOR": "1"}).stdout


def test_explain_lists_every_contribution():
    path = RUNS / "02_hard_race_feeling_dead.yaml"
    plain = run("assess", path).stdout
    explained = run("assess", "--explain", path).stdout
    assert "how often" in explained and "how often" not in plain
    assert "you reported" in explained


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("assess", "--format", "xml", RUNS / "01_warm_long_run_muscles_smaller.yaml").returncode == 2
    assert run("kb", "show").returncode == 2


def test_version_and_help():
    v = run("--version")
    assert v.returncode == 0 and "postrun 0.1.0" in v.stdout
    h = run("--help")
    assert h.returncode == 0 and "assess" in h.stdout


def test_kb_check_passes_for_the_bundled_and_data_directory():
    for args in ([], [ROOT / "data"]):
        r = run("kb", "check", *args)
        assert r.returncode == 0, r.stderr
        assert "knowledge base ok" in r.stdout


def test_kb_check_prints_every_problem_with_its_position(tmp_path):
    bad = ROOT / "tests" / "data" / "kb" / "bad_unknown_key.yaml"
    r = run("kb", "check", "--overlay", bad)
    assert r.returncode == 1
    assert f"{bad}:4:5:" in r.stderr and "did you mean 'prior'" in r.stderr


def test_kb_show_prints_an_entry_with_its_sources():
    r = run("kb", "show", "suspected_hyponatremia")
    assert r.returncode == 0
    assert "red flag" in r.stdout and "Sources:" in r.stdout
    assert run("kb", "show", "no_such_thing").returncode == 1


@pytest.mark.parametrize("flag", ["suspected_hyponatremia", "suspected_rhabdomyolysis",
                                  "suspected_heat_illness", "cardiac_warning",
                                  "suspected_stress_fracture", "neurological_signs"])
def test_kb_show_of_a_medical_red_flag_cites_research_not_only_the_articles(flag):
    r = run("kb", "show", flag)
    assert r.returncode == 0
    lines = [line for line in r.stdout.split("Sources:\n", 1)[1].splitlines()
             if line.startswith("  [")]
    research = [line for line in lines if not line.startswith("  [seed-")]
    assert research, f"{flag} cites only the articles: {lines}"
    # Each is a full citation: authors (year). title. journal, with no doubled full stop.
    for line in research:
        assert re.search(r"\] [A-Z][^()]+ \((19|20)\d\d\)\. \S", line), line
        assert ".." not in line, line


def test_an_overlay_changes_the_assessment():
    path = RUNS / "01_warm_long_run_muscles_smaller.yaml"
    overlay = ROOT / "examples" / "kb-overlay" / "coach.yaml"
    plain = json.loads(run("assess", "--format", "json", path).stdout)
    coach = json.loads(run("assess", "--format", "json", "--overlay", overlay, path).stdout)
    assert "coach_recovery_shake" in [r["id"] for r in coach["recommendations"]]
    assert "coach_recovery_shake" not in [r["id"] for r in plain["recommendations"]]
    assert coach["fluid"]["sodium_loss_mg"]["expected"] > plain["fluid"]["sodium_loss_mg"]["expected"]


# ---- -j/--jobs: several threads give what one gives, byte for byte ----

DATA_RUNS = ROOT / "tests" / "data" / "runs"


def _doc(path):
    return path.read_text().rstrip("\n") + "\n"


@pytest.fixture(scope="module")
def mixed_stream(tmp_path_factory):
    """Valid, invalid and emergency documents in one stream, then a file that ends with a
    syntax error, then a plain example: 60 documents in all."""
    d = tmp_path_factory.mktemp("jobs")
    valid = [_doc(p) for p in EXAMPLES]
    invalid = [
        "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 3000}\n",
        "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 30, colour: red}\n",
        "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 30}\n"
        "symptoms: [{id: no_such_symptom}]\n",
        "just a string\n",
        "postrun: 2\n",
    ]
    emergency = _doc(RUNS / "06_weigh_in_gain_headache_hyponatremia.yaml")
    docs = []
    for i in range(50):
        if i % 7 == 3:
            docs.append(invalid[i % len(invalid)])
        elif i % 11 == 5:
            docs.append(emergency)
        else:
            docs.append(valid[i % len(valid)])
    stream = d / "mixed.yaml"
    stream.write_text("---\n".join(docs))
    broken = d / "broken.yaml"
    broken.write_text(valid[0] + "---\n" + valid[1] + "---\n" + "a: [1, 2\nb: }\n")
    return [stream, broken, RUNS / "10_cold_easy_run_no_symptoms.yaml"]


def _same_with_jobs(args, stdin=None, jobs=(2, 4)):
    one = run("assess", "-j", "1", *args, stdin=stdin)
    for j in jobs:
        many = run("assess", "-j", str(j), *args, stdin=stdin)
        assert many.returncode == one.returncode, (j, many.stderr)
        assert many.stderr == one.stderr, j
        assert many.stdout == one.stdout, j
    return one


@pytest.mark.parametrize("fmt", ["yaml", "json", "text"])
def test_jobs_give_the_same_output_on_a_mixed_stream(mixed_stream, fmt):
    one = _same_with_jobs(["--format", fmt, *mixed_stream])
    assert one.returncode == 3  # emergency documents, and invalid ones
    assert one.stderr.count("was not assessed") == 8  # 7 invalid, 1 syntax error
    # messages name their document, in input order
    numbers = [int(line.split("document ")[1].split()[0])
               for line in one.stderr.splitlines() if "was not assessed" in line]
    assert numbers[:-1] == sorted(numbers[:-1])
    if fmt == "json":
        assert len(one.stdout.splitlines()) == 50 - 7 + 2 + 1


def test_jobs_give_the_same_output_with_explain_and_colour(mixed_stream):
    _same_with_jobs(["--explain", "--color", "always", *mixed_stream], jobs=(3,))


def test_jobs_give_the_same_output_on_the_examples_and_fixtures():
    files = [*EXAMPLES, RUNS / "season.yaml", *sorted(DATA_RUNS.glob("*.yaml"))]
    for fmt in ("yaml", "json", "text"):
        one = _same_with_jobs(["--format", fmt, *files])
        assert one.returncode == 3


def test_jobs_keep_one_json_document_pretty_among_invalid_ones(tmp_path):
    bad = "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 3000}\n"
    f = tmp_path / "one_good.yaml"
    f.write_text(bad + "---\n" + bad + "---\n" + _doc(RUNS / "02_hard_race_feeling_dead.yaml")
                 + "---\n" + bad)
    one = _same_with_jobs(["--format", "json", f])
    assert one.returncode == 1
    assert json.loads(one.stdout)["id"] and one.stdout.count("\n") > 10  # pretty, one object


def test_jobs_stop_at_a_missing_file_as_one_thread_does(mixed_stream, tmp_path):
    args = ["--format", "yaml", mixed_stream[0], tmp_path / "missing.yaml", mixed_stream[2]]
    one = _same_with_jobs(args)
    assert one.returncode == 4
    out = tmp_path / "out.yaml"
    r = run("assess", "-j", "2", "-o", out, *args)
    assert r.returncode == 4 and not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_jobs_read_standard_input_and_write_a_file(mixed_stream, tmp_path):
    text = mixed_stream[0].read_text()
    _same_with_jobs(["--format", "json", "-"], stdin=text)
    out1, out2 = tmp_path / "one.yaml", tmp_path / "two.yaml"
    r1 = run("assess", "-j", "1", "--format", "yaml", "-o", out1, mixed_stream[0])
    r2 = run("assess", "--jobs", "2", "--format", "yaml", "-o", out2, mixed_stream[0])
    assert r1.returncode == r2.returncode == 3 and r1.stderr == r2.stderr
    assert out1.read_bytes() == out2.read_bytes()


@pytest.mark.parametrize("value", ["0", "-1", "x", "2x", "", "100000"])
def test_jobs_must_be_a_positive_number(value):
    r = run("assess", "-j", value, RUNS / "01_warm_long_run_muscles_smaller.yaml")
    assert r.returncode == 2 and "--jobs" in r.stderr
