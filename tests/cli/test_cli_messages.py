"""The command's messages: usage errors name the program, citations read as sentences."""
import os
import subprocess

import pytest

CLI = os.environ["POSTRUN_CLI"]


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["assess", "--bogus"], ["kb", "check", "--bogus"],
                                  ["kb", "show", "--bogus"]])
def test_an_unknown_option_is_reported_by_postrun_and_its_command(args):
    r = run(*args)
    assert r.returncode == 2
    first = r.stderr.splitlines()[0]
    assert first.startswith("postrun " + " ".join(args[:-1]) + ": "), first
    assert "'--bogus'" in first


def test_a_citation_has_one_full_stop_after_its_year():
    r = run("kb", "show", "glycogen_depletion")
    assert r.returncode == 0, r.stderr
    assert "(2010). Metabolic factors" in r.stdout
    assert ".." not in r.stdout


def test_the_man_page_carries_the_version_files_and_environment():
    from pathlib import Path
    man = (Path(CLI).resolve().parents[2] / "docs" / "postrun.1").read_text()
    version = run("--version").stdout.split()[1]
    assert man.startswith(".TH POSTRUN 1 \"")
    assert f"\"libpostrun {version}\"" in man.splitlines()[0]
    assert "@" not in man, "a placeholder was left unfilled"
    for section in (".SH FILES", ".SH ENVIRONMENT", "NO_COLOR", "libpostrun/kb/*.yaml"):
        assert section in man


@pytest.mark.parametrize("args", [["assess", "--kb", "{kb}", "{report}"],
                                  ["activity", "--kb", "{kb}", "{report}"],
                                  ["history", "--kb", "{kb}", "{report}"],
                                  ["kb", "show", "--kb", "{kb}", "glycogen_depletion"]])
def test_a_knowledge_base_that_cannot_be_loaded_is_named_by_every_command(args, tmp_path):
    report = tmp_path / "run.yaml"
    report.write_text("postrun: 1\n")
    missing = tmp_path / "no-such-kb"
    r = run(*(a.format(kb=missing, report=report) for a in args))
    assert r.returncode in (1, 4), r.stderr
    assert str(missing) in r.stderr
    assert r.stderr.rstrip().endswith("postrun: the knowledge base could not be loaded")
    assert r.stdout == ""
