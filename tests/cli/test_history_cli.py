"""`postrun history` and `postrun assess --history`: a history from the command line.

The histories are written by the tests: long runs of one runner over four weeks, three of
them with cramps.
"""
import datetime
import json
import os
import subprocess
from pathlib import Path

import yaml

CLI = os.environ.get("POSTRUN_CLI", "postrun")
T0 = datetime.datetime(2026, 6, 29, 7, 0, tzinfo=datetime.timezone.utc)


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def report(days_before, km=18, minutes=100, cramps=False, start=True):
    when = (T0 - datetime.timedelta(days=days_before)).isoformat()
    text = "postrun: 1\nathlete: {body_mass_kg: 70}\n"
    text += (f'run: {{started_at: "{when}", duration_min: {minutes}, distance_km: {km}}}\n'
             if start else f"run: {{duration_min: {minutes}, distance_km: {km}}}\n")
    if cramps:
        text += "symptoms: [{id: cramps, severity: 5}]\n"
    return text


def season(tmp_path):
    folder = tmp_path / "history"
    folder.mkdir()
    for d in range(27, 0, -1):
        long_run = d in (21, 14, 7)
        (folder / f"run{d:02d}.yaml").write_text(
            report(d, km=20 if long_run else 8, minutes=110 if long_run else 45,
                   cramps=d in (14, 7)))
    today = tmp_path / "today.yaml"
    today.write_text(report(0, km=20, minutes=110, cramps=True))
    return folder, today


def test_history_prints_the_trends_in_every_format(tmp_path):
    folder, _ = season(tmp_path)
    text = run("history", folder)
    assert text.returncode == 0, text.stderr
    assert "History: 27 runs" in text.stdout
    assert "Acute:chronic ratio:" in text.stdout
    doc = yaml.safe_load(run("history", "--format", "yaml", folder).stdout)
    assert doc["runs"] == 27
    assert len(doc["weekly_km"]) == 12
    js = json.loads(run("history", "--format", "json", folder).stdout)
    assert js["as_of_last_run"]["long_runs"] == 3


def test_assess_with_a_history_fills_the_load_and_lists_the_pattern(tmp_path):
    folder, today = season(tmp_path)
    out = run("assess", "--format", "yaml", "--history", folder, today)
    assert out.returncode == 0, out.stderr
    doc = yaml.safe_load(out.stdout)
    # by hand: the last 7 days hold today (20) and days 1-6 (8 km each) = 68 km; the 28 days
    # 20 + 24 x 8 + 3 x 20 = 272 km, 68 km a week
    assert doc["history"]["acute_km"] == 68
    assert doc["history"]["chronic_km"] == 68
    assert doc["load"]["acwr"] == 1
    assert {"id": "recurring_symptom", "symptom": "cramps", "count": 3, "of": 4} in doc["patterns"]
    assert any("training load from the history" in a for a in doc["assumptions"])
    # without --history: no history section, no patterns
    plain = yaml.safe_load(run("assess", "--format", "yaml", today).stdout)
    assert "history" not in plain and "patterns" not in plain


def test_a_history_is_shared_by_the_threads_of_assess_j(tmp_path):
    folder, today = season(tmp_path)
    stream = tmp_path / "stream.yaml"
    docs = [report(0, km=10 + d, minutes=60 + d, cramps=d % 2 == 0) for d in range(12)]
    stream.write_text("---\n".join(docs))
    outs = [run("assess", "-j", j, "--format", "yaml", "--history", folder, stream)
            for j in (1, 2)]
    for out in outs:
        assert out.returncode == 0, out.stderr
    assert outs[0].stdout == outs[1].stdout
    assert outs[0].stdout.count("patterns:") == 12


def test_a_history_file_without_start_times_is_named(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(report(3, start=False))
    _, today = season(tmp_path)
    out = run("assess", "--history", bad, today)
    assert out.returncode == 1
    assert str(bad) in out.stderr and "run.started_at" in out.stderr
    out = run("history", tmp_path / "missing")
    assert out.returncode == 4
    assert "cannot open" in out.stderr


def test_a_report_assessed_with_a_history_needs_its_start_time(tmp_path):
    folder, _ = season(tmp_path)
    undated = tmp_path / "undated.yaml"
    undated.write_text(report(0, start=False))
    out = run("assess", "--history", folder, undated)
    assert out.returncode == 1
    assert "run.started_at" in out.stderr


def test_the_text_report_says_what_the_history_told(tmp_path):
    folder, today = season(tmp_path)
    out = run("assess", "--color", "never", "--history", folder, today)
    assert out.returncode == 0, out.stderr
    assert "Your runs before this one" in out.stdout
    assert "in 3 of your last 4 long runs" in out.stdout
    plain = run("assess", "--color", "never", today)
    assert "Your runs before this one" not in plain.stdout
