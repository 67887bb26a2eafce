"""`postrun activity` and `postrun assess --activity`: activity files from the command line.

Fixtures are written by the tests (GPX and TCX text); the real device files of
../shared/activities/ are used when that folder exists.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

CLI = os.environ.get("POSTRUN_CLI", "postrun")
ROOT = Path(os.environ.get("POSTRUN_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
SHARED = ROOT.parent / "shared" / "activities"


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def points(n=1500):
    """A run north at 3 m/s, one point a second, climbing 0.05 m a metre for its first half."""
    for i in range(n):
        lat = 45.0 + i * 3 / 111195.0
        ele = 100 + min(i, n // 2) * 0.15
        yield i, lat, ele, 140 + i % 20


def gpx(sport="running"):
    pts = "".join(
        f'<trkpt lat="{lat:.8f}" lon="13.0"><ele>{ele:.2f}</ele>'
        f"<time>2024-05-01T07:{i // 60:02d}:{i % 60:02d}Z</time><extensions>"
        f"<t:TrackPointExtension><t:hr>{hr}</t:hr><t:atemp>24</t:atemp>"
        f"</t:TrackPointExtension></extensions></trkpt>\n"
        for i, lat, ele, hr in points())
    return ('<?xml version="1.0"?>\n<gpx version="1.1" creator="test" '
            'xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:t="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
            f"<trk><type>{sport}</type><trkseg>\n{pts}</trkseg></trk></gpx>\n")


def tcx():
    pts = "".join(
        f"<Trackpoint><Time>2024-05-01T07:{i // 60:02d}:{i % 60:02d}Z</Time><Position>"
        f"<LatitudeDegrees>{lat:.8f}</LatitudeDegrees><LongitudeDegrees>13.0</LongitudeDegrees>"
        f"</Position><AltitudeMeters>{ele:.2f}</AltitudeMeters>"
        f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>\n"
        for i, lat, ele, hr in points())
    return ('<?xml version="1.0"?>\n<TrainingCenterDatabase '
            'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
            '<Activity Sport="Running"><Id>2024-05-01T07:00:00Z</Id>'
            '<Lap StartTime="2024-05-01T07:00:00Z"><TotalTimeSeconds>1499</TotalTimeSeconds>'
            f"<Track>\n{pts}</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n")


@pytest.fixture
def files(tmp_path):
    g = tmp_path / "run.gpx"
    g.write_text(gpx())
    t = tmp_path / "run.xml"  # the format is told by the content, not the name
    t.write_text(tcx())
    return g, t


def test_a_gpx_run_prints_its_report(files):
    r = run("activity", files[0])
    assert r.returncode == 0, r.stderr
    d = yaml.safe_load(r.stdout)
    assert d["postrun"] == 1
    assert d["run"]["duration_min"] == pytest.approx(1499 / 60, abs=0.05)
    assert d["run"]["distance_km"] == pytest.approx(4.5, abs=0.01)
    assert d["run"]["avg_hr_bpm"] == pytest.approx(149.5, abs=0.6)
    assert d["run"]["elevation_gain_m"] == pytest.approx(110, abs=6)
    assert d["environment"]["temperature_c"] == 24
    a = d["activity"]
    assert a["format"] == "gpx" and a["sport"] == "running"
    assert a["started_at"] == "2024-05-01T07:00:00Z"
    assert a["max_hr_bpm"] == 159
    assert sum(a["hr_zones"][k] for k in a["hr_zones"] if k.endswith("_min")) == \
        pytest.approx(a["moving_min"], abs=0.3)
    assert a["grade_adjusted_energy"]["kcal_per_kg"] > 4.5 * 3.6 / 4.184


def test_the_same_run_as_tcx_and_gpx_gives_the_same_summary(files):
    g = json.loads(run("activity", "--format", "json", files[0]).stdout)
    t = json.loads(run("activity", "--format", "json", files[1]).stdout)
    assert t["activity"]["format"] == "tcx"
    for k in ("duration_min", "distance_km", "elevation_gain_m", "elevation_loss_m", "avg_hr_bpm"):
        assert g["run"][k] == t["run"][k], k


def test_assess_takes_the_file_and_a_report_that_leaves_out_what_it_gives(files, tmp_path):
    report = tmp_path / "report.yaml"
    report.write_text("postrun: 1\nathlete: {body_mass_kg: 64}\n"
                      "symptoms: [{id: fatigue, severity: 6}]\n")
    r = run("assess", "--format", "json", "--activity", files[0], report)
    assert r.returncode in (0, 3), r.stderr
    d = json.loads(r.stdout)
    texts = " ".join(d["assumptions"])
    assert "duration taken from the activity file" in texts
    assert "watch's own thermometer" in texts
    # Without a report the file alone lacks the runner's body mass.
    r = run("assess", "--activity", files[0])
    assert r.returncode == 1
    assert "body_mass_kg" in r.stderr


def test_a_run_that_is_not_running_is_refused_unless_any_sport(tmp_path):
    p = tmp_path / "ride.gpx"
    p.write_text(gpx("cycling"))
    r = run("activity", p)
    assert r.returncode == 1
    assert str(p) in r.stderr and "cycling activity, not a run" in r.stderr
    assert run("activity", "--sport", "any", p).returncode == 0
    assert run("activity", "--sport", "rowing", p).returncode == 2


@pytest.mark.parametrize("text,where", [
    ("", "byte 0"),
    ("PK\x03\x04 not an activity", "byte 0"),
    ("<gpx><trk><trkseg>", "XML"),
    ("<kml/>", "kml"),
    ('<gpx><trk><trkseg><trkpt lat="95" lon="0"><time>2024-01-01T00:00:00Z</time></trkpt>'
     "</trkseg></trk></gpx>", "trkpt.lat"),
])
def test_broken_files_exit_1_naming_the_file_and_the_place(tmp_path, text, where):
    p = tmp_path / "broken.gpx"
    p.write_text(text)
    r = run("activity", p)
    assert r.returncode == 1
    assert str(p) in r.stderr and where in r.stderr
    assert r.stdout == ""


def test_usage_errors_exit_2():
    assert run("activity").returncode == 2
    assert run("activity", "--format", "text", "x").returncode == 2
    assert run("activity", "a", "b").returncode == 2
    assert run("activity", "/nonexistent.fit").returncode == 4


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="no device files here")


@needs_shared
def test_real_files_match_the_devices_own_summary():
    d = yaml.safe_load(run("activity", SHARED / "compressed-speed-distance.fit").stdout)
    a, dev = d["activity"], d["activity"]["device_summary"]
    assert abs(a["moving_min"] / dev["moving_min"] - 1) <= 0.02
    assert abs(a["distance_km"] / dev["distance_km"] - 1) <= 0.02
    assert abs(a["avg_hr_bpm"] - dev["avg_hr_bpm"]) <= 3
    t = yaml.safe_load(run("activity", SHARED / "no_hr.tcx").stdout)["activity"]
    assert abs(t["distance_km"] / t["device_summary"]["distance_km"] - 1) <= 0.02
    assert abs(t["moving_min"] / t["device_summary"]["moving_min"] - 1) <= 0.02


@needs_shared
def test_real_files_that_are_not_runs_or_corrupt_are_refused():
    r = run("activity", SHARED / "garmin-fenix-5-walk.fit")
    assert r.returncode == 1 and "walking" in r.stderr
    r = run("activity", SHARED / "activity-filecrc.fit")
    assert r.returncode == 1 and "byte 769" in r.stderr and "CRC" in r.stderr
    assert run("activity", "--sport", "any", SHARED / "garmin-fenix-5-walk.fit").returncode == 0
