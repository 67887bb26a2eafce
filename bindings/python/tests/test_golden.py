"""The example runs give the same numbers through Python as through the C command line."""
import json
import math
import subprocess

import pytest

import postrun
from conftest import RUNS, cli_env

SINGLE = sorted(p for p in RUNS.glob("*.yaml") if p.name != "season.yaml")


def cli_json(cli, path):
    """`postrun assess --format json` of a one-document file, parsed."""
    # Exit code 3 means an emergency red flag was raised: the output is complete.
    proc = subprocess.run([cli, "assess", "--format", "json", str(path)],
                          capture_output=True, text=True, check=False, env=cli_env())
    assert proc.returncode in (0, 3), proc.stderr
    return json.loads(proc.stdout)


def ranges(d, prefix=""):
    """Every {low, expected, high} of a to_dict() tree, by dotted path."""
    for k, v in d.items():
        if isinstance(v, dict) and set(v) == {"low", "expected", "high"}:
            yield prefix + k, v
        elif isinstance(v, dict):
            yield from ranges(v, prefix + k + ".")


@pytest.mark.parametrize("path", SINGLE, ids=[p.stem for p in SINGLE])
def test_to_dict_equals_the_cli_json(kb, cli, path):
    assert SINGLE, "no example runs found"
    a = kb.assess(path)
    assert a.to_dict() == cli_json(cli, path)


@pytest.mark.parametrize("path", SINGLE, ids=[p.stem for p in SINGLE])
def test_attributes_give_the_cli_numbers_at_full_precision(kb, cli, path):
    a = kb.assess(path)
    expected = cli_json(cli, path)
    for name, r in ranges(expected):
        section, key = name.split(".", 1)
        got = getattr(a, section)[key]
        for part in ("low", "expected", "high"):
            assert got._asdict()[part] == pytest.approx(r[part], rel=1e-3, abs=1e-2), name
    assert [c.id for c in a.causes] == [c["id"] for c in expected["causes"]]
    for c, e in zip(a.causes, expected["causes"]):
        assert c.score == pytest.approx(e["score"], rel=1e-3, abs=1e-4)
    assert [r.id for r in a.recommendations] == [r["id"] for r in expected["recommendations"]]
    for r, e in zip(a.recommendations, expected["recommendations"]):
        assert r.text == e["text"]
        for k, v in e["dose"].items():
            assert math.isclose(r.dose[k], v, rel_tol=1e-3, abs_tol=1e-2), (r.id, k)
    assert [f.id for f in a.red_flags] == [f["id"] for f in expected["red_flags"]]


def test_a_season_stream_equals_the_cli_json_lines(kb, cli):
    season = RUNS / "season.yaml"
    proc = subprocess.run([cli, "assess", "--format", "json", str(season)],
                          capture_output=True, text=True, check=False, env=cli_env())
    assert proc.returncode in (0, 1, 3), proc.stderr
    cli_docs = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    ours = [a.to_dict() for a in kb.assess_stream(season, errors="skip")]
    assert ours == cli_docs


def test_overlay_gives_the_cli_numbers(cli, tmp_path):
    from conftest import OVERLAY
    path = RUNS / "01_warm_long_run_muscles_smaller.yaml"
    coached = postrun.KnowledgeBase.load(None, overlays=[OVERLAY])
    proc = subprocess.run([cli, "assess", "--format", "json", "--overlay", str(OVERLAY),
                           str(path)],
                          capture_output=True, text=True, check=False, env=cli_env())
    assert proc.returncode in (0, 3), proc.stderr
    assert coached.assess(path).to_dict() == json.loads(proc.stdout)
