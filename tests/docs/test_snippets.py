"""Every code block of README.md and docs/*.md runs, so that a snippet that breaks fails.

How each block runs, by the first word of its info string (docs/testing.md says the same):
  python  a script, with the build tree's package on PYTHONPATH, from the source root
  lua     a script for the Lua the module is built for, with the build tree on its C path
  c       compiled against include/ and the built library and run; a block without main()
          is the body of one, after a prelude that declares kb (the bundled knowledge base),
          a (an assessment of it), err and report(&err)
  yaml    parsed; a run report (`postrun: 1`) is also assessed by the CLI (exit 0 or 3)
  sh      run with sh -e from the source root
  text    output or a diagram: never run
A block whose info string also holds the word `norun` is not run (it installs packages,
builds, or is an excerpt); a block with no info string at all fails the test, so that every
block is either run or marked.
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(os.environ.get("POSTRUN_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("POSTRUN_CLI")
LIB = os.environ.get("POSTRUN_LIB")
LUA = os.environ.get("POSTRUN_LUA")
LUA_CPATH_VAR = os.environ.get("POSTRUN_LUA_CPATH_VAR", "LUA_CPATH_5_4")
LUA_CPATH = os.environ.get("POSTRUN_LUA_CPATH")
PYTHONPATH = os.environ.get("POSTRUN_PYTHONPATH")
CC = os.environ.get("CC", "cc")
FENCE = re.compile(r"^(\s*)```(.*)$")


def blocks():
    files = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            m = FENCE.match(lines[i])
            if not m:
                i += 1
                continue
            indent, info = len(m.group(1)), m.group(2).split()
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not FENCE.match(lines[i]):
                body.append(lines[i][indent:])
                i += 1
            i += 1
            rel = path.relative_to(ROOT)
            yield pytest.param(info, "\n".join(body) + "\n", id=f"{rel}:{start}")


C_PRELUDE = """#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <postrun.h>

static void report(const postrun_error *e)
{
    char buf[1024];
    for (size_t i = 0; i < postrun_error_count(e); i++) {
        postrun_error_format(postrun_error_at(e, i), buf, sizeof buf);
        fprintf(stderr, "%s\\n", buf);
    }
}

int main(void)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_assessment *a = NULL;
    if (postrun_kb_load_default(&kb, &err) || postrun_assessment_new(&a, kb, &err)) {
        report(&err);
        return 1;
    }
    {
"""
C_EPILOGUE = """
    }
    (void)report;
    postrun_assessment_free(a);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
    return 0;
}
"""


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT, **kw)
    return r


def run_c(code, tmp_path):
    src = code if re.search(r"\bmain\s*\(", code) else C_PRELUDE + code + C_EPILOGUE
    (tmp_path / "snippet.c").write_text(src)
    exe = tmp_path / "snippet"
    cmd = [CC, "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I", str(ROOT / "include"),
           str(tmp_path / "snippet.c"), "-o", str(exe)]
    if LIB.endswith(".a"):
        cmd += [LIB, "-lyaml", "-lm"]
    else:
        cmd += [LIB, "-Wl,-rpath," + str(Path(LIB).parent), "-lm"]
    r = run(cmd)
    assert r.returncode == 0, "does not compile:\n" + r.stderr + "\n" + src
    return run([str(exe)])


@pytest.mark.parametrize("info,code", list(blocks()))
def test_every_code_block_runs(info, code, tmp_path):
    assert info, "a code block needs an info string (a language, `text`, or `norun`)"
    lang = info[0]
    if lang == "text" or "norun" in info:
        return
    env = dict(os.environ)
    if lang == "python":
        if not PYTHONPATH:
            pytest.skip("built without the bindings")
        env["PYTHONPATH"] = PYTHONPATH
        (tmp_path / "snippet.py").write_text(code)
        r = run(["/usr/bin/python3", str(tmp_path / "snippet.py")], env=env)
    elif lang == "lua":
        if not (LUA and LUA_CPATH):
            pytest.skip("built without the bindings, or no Lua interpreter")
        env[LUA_CPATH_VAR] = LUA_CPATH
        (tmp_path / "snippet.lua").write_text(code)
        r = run([LUA, str(tmp_path / "snippet.lua")], env=env)
    elif lang == "c":
        r = run_c(code, tmp_path)
    elif lang == "yaml":
        doc = yaml.safe_load(code)
        if not (isinstance(doc, dict) and "postrun" in doc):
            return
        (tmp_path / "run.yaml").write_text(code)
        r = run([CLI, "assess", str(tmp_path / "run.yaml")])
        assert r.returncode in (0, 3), r.stderr
        return
    elif lang == "sh":
        r = run(["sh", "-e", "-c", code], env=env)
    else:
        pytest.fail(f"no way to run a `{lang}` block: mark it `text` or `{lang} norun`")
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
