"""Activity files from Python: kb.run_from_activity() and kb.assess(report, activity=...)."""
import pytest

import postrun

GPX_HEAD = ('<?xml version="1.0"?>\n<gpx version="1.1" creator="test" '
            'xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:t="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">\n'
            "<trk><type>{sport}</type><trkseg>\n")


def write_gpx(path, sport="running", n=1800):
    pts = "".join(
        f'<trkpt lat="{45.0 + i * 3 / 111195.0:.8f}" lon="13.0"><ele>100</ele>'
        f"<time>2024-05-01T07:{i // 60:02d}:{i % 60:02d}Z</time><extensions>"
        f"<t:TrackPointExtension><t:hr>150</t:hr></t:TrackPointExtension></extensions></trkpt>\n"
        for i in range(n))
    path.write_text(GPX_HEAD.format(sport=sport) + pts + "</trkseg></trk></gpx>\n")
    return path


def test_run_from_activity_fills_the_run(kb, tmp_path):
    run = kb.run_from_activity(write_gpx(tmp_path / "a.gpx"))
    assert run.get("run.duration_min") == pytest.approx(1799 / 60)
    assert run.get("run.distance_km") == pytest.approx(5.397, abs=0.01)
    assert run.get("run.avg_hr_bpm") == 150


def test_assess_with_an_activity_keeps_the_reports_values(kb, tmp_path):
    path = write_gpx(tmp_path / "a.gpx")
    a = kb.assess({"postrun": 1, "athlete": {"body_mass_kg": 60}, "run": {"avg_hr_bpm": 160},
                   "symptoms": [{"id": "fatigue"}]}, activity=path)
    texts = " ".join(a.assumptions)
    assert "duration taken from the activity file" in texts
    assert "avg_hr_bpm taken" not in texts


def test_a_broken_or_other_sport_file_raises_naming_the_file(kb, tmp_path):
    ride = write_gpx(tmp_path / "ride.gpx", "cycling")
    with pytest.raises(postrun.Error) as e:
        kb.run_from_activity(ride)
    assert "cycling" in str(e.value) and "ride.gpx" in str(e.value)
    assert kb.run_from_activity(ride, sport="any").get("run.distance_km") > 5
    bad = tmp_path / "bad.fit"
    bad.write_bytes(b"\x0e\x10\x00\x00\x10\x00\x00\x00.FIT\x00\x00")
    with pytest.raises(postrun.ParseError) as e:
        kb.run_from_activity(bad)
    assert "byte" in str(e.value)
    with pytest.raises(TypeError):
        kb.assess("postrun: 1\n", activity=bad)
