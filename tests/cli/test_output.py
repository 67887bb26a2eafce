"""`postrun assess -o PATH` never destroys what PATH names, and every output error names the
path and the system's reason.

A regular file is replaced atomically (keeping its mode); a symbolic link is followed; a device
or FIFO is written in place; hard-linked, read-only and input files are refused.
"""
import os
import stat
import threading

import pytest

from test_cli import RUNS, run

RUN = RUNS / "01_warm_long_run_muscles_smaller.yaml"


def test_a_symbolic_link_is_followed_and_kept(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("previous content\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    r = run("assess", "-o", link, RUN)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == "target.txt"
    assert "previous content" not in target.read_text() and len(target.read_text()) > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "target.txt"]


def test_a_symbolic_link_to_a_device_writes_to_the_device(tmp_path):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    r = run("assess", "-o", link, RUN)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_dangling_symbolic_link_is_refused(tmp_path):
    link = tmp_path / "dangling"
    link.symlink_to("nowhere")
    r = run("assess", "-o", link, RUN)
    assert r.returncode == 4
    assert f"{link}: cannot write: a symbolic link to a missing file" in r.stderr
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_device_names_the_path_and_the_reason(tmp_path, jobs):
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    r = run("assess", "-j", jobs, "-o", link, RUN, RUN)
    assert r.returncode == 4
    assert r.stderr == f"postrun: {link}: cannot write: No space left on device\n"
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_standard_output_gives_the_reason_not_a_stale_one(jobs):
    with open("/dev/full", "w") as full:
        import subprocess
        from test_cli import CLI
        r = subprocess.run([CLI, "assess", "-j", jobs, str(RUN), str(RUN)], stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 4
    assert r.stderr == "postrun: standard output: cannot write: No space left on device\n"
    assert "Success" not in r.stderr


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    r = run("assess", "--format", "yaml", "-o", fifo, RUN)
    reader.join(30)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"red_flags" in got[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_umask(tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("old\n")
    old.chmod(0o640)
    assert run("assess", "-o", old, RUN).returncode == 0
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o640
    new = tmp_path / "new.txt"
    mask = os.umask(0o022)
    try:
        assert run("assess", "-o", new, RUN).returncode == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o644


def test_a_hard_linked_file_is_refused_and_left_alone(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("old\n")
    os.link(a, tmp_path / "b.txt")
    r = run("assess", "-o", a, RUN)
    assert r.returncode == 4
    assert f"{a}: cannot write: the file has 2 hard links" in r.stderr
    assert a.read_text() == "old\n" and os.stat(a).st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_read_only_file_is_refused_and_left_alone(tmp_path):
    ro = tmp_path / "ro.txt"
    ro.write_text("old\n")
    ro.chmod(0o444)
    r = run("assess", "-o", ro, RUN)
    assert r.returncode == 4
    assert f"{ro}: cannot write: Permission denied" in r.stderr
    assert ro.read_text() == "old\n"


@pytest.mark.parametrize("how", ["same", "link", "stdin"])
def test_the_output_naming_an_input_is_refused_and_the_input_kept(tmp_path, how):
    inp = tmp_path / "in.yaml"
    inp.write_text(RUN.read_text())
    out = inp
    if how == "link":
        out = tmp_path / "link.yaml"
        out.symlink_to(inp.name)
    if how == "stdin":
        import subprocess
        from test_cli import CLI
        with open(inp) as f:
            r = subprocess.run([CLI, "assess", "-o", str(out), "-"], stdin=f,
                               capture_output=True, text=True, timeout=60)
        assert "the output is also an input (standard input)" in r.stderr
    else:
        r = run("assess", "-o", out, inp)
        assert f"{out}: the output is also an input" in r.stderr
    assert r.returncode == 2
    assert inp.read_text() == RUN.read_text()


def test_a_directory_as_output_is_refused(tmp_path):
    r = run("assess", "-o", tmp_path, RUN)
    assert r.returncode == 4
    assert r.stderr == f"postrun: {tmp_path}: cannot write: Is a directory\n"


def test_a_directory_as_input_says_so():
    r = run("assess", RUNS)
    assert r.returncode == 4
    assert f"{RUNS}: cannot read: Is a directory" in r.stderr
    assert "read error" not in r.stderr


def test_documents_are_numbered_from_one(tmp_path):
    f = tmp_path / "two.yaml"
    f.write_text(RUN.read_text() + "---\njust a string\n")
    for jobs in ("1", "2"):
        r = run("assess", "-j", jobs, f)
        assert r.returncode == 1
        assert f"{f}: document 2 was not assessed" in r.stderr


def test_an_output_in_a_missing_directory_names_the_path_and_the_reason(tmp_path):
    out = tmp_path / "no" / "such" / "dir" / "out.txt"
    r = run("assess", "-o", out, RUN)
    assert r.returncode == 4
    assert r.stderr == (f"postrun: {out}: cannot create a temporary file beside it: "
                        "No such file or directory\n")


def test_an_output_path_too_long_is_refused(tmp_path):
    out = tmp_path / ("x" * 200) / ("y" * 5000)
    r = run("assess", "-o", out, RUN)
    assert r.returncode == 4
    assert "cannot write: File name too long" in r.stderr
