"""The shared library exports exactly the documented API, and the docs list every metric.

POSTRUN_LIB is the built libpostrun.so (or libpostrun.a in a static build); POSTRUN_SOURCE_ROOT the source tree.
"""
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(os.environ.get("POSTRUN_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
LIB = os.environ.get("POSTRUN_LIB")
HEADER = (ROOT / "include" / "postrun.h").read_text()


def documented_functions():
    names = set()
    for m in re.finditer(r"POSTRUN_API\s+[^;{]*?\b(postrun_\w+)\s*\(", HEADER):
        names.add(m.group(1))
    return names


def archive_default_visibility_symbols(path):
    """The symbols a static build would export from a shared object: defined, global, with
    default visibility (everything else is hidden by -fvisibility=hidden)."""
    out = subprocess.run(["readelf", "-sW", path], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        f = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(f) == 8 and f[4] == "GLOBAL" and f[5] == "DEFAULT" and f[6] != "UND":
            names.add(f[7])
    return names


def test_only_documented_postrun_symbols_leave_the_library():
    assert LIB, "POSTRUN_LIB not set"
    if LIB.endswith(".a"):
        exported = archive_default_visibility_symbols(LIB)
    else:
        out = subprocess.run(["nm", "-D", "--defined-only", LIB], capture_output=True,
                             text=True, check=True).stdout
        exported = {line.split()[-1] for line in out.splitlines() if line.split()[1] in "TDRB"}
    # A coverage build links gcov's runtime into the library; it is not the library's API.
    # GCC 12's libgcov also exports its helper mangle_path.
    gcov = any(name.startswith("__gcov_") for name in exported)
    exported = {name for name in exported if not name.startswith(("__gcov_", "__llvm_"))
                and not (gcov and name == "mangle_path")}
    assert exported == documented_functions()


def test_every_public_function_has_a_doc_comment():
    for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/\s*)?POSTRUN_API\s+[^;{]*?\b(postrun_\w+)\s*\(",
                         HEADER, re.S):
        assert m.group(1), f"{m.group(2)} has no doc comment"


def test_docs_metrics_lists_every_metric_once():
    doc = (ROOT / "docs" / "metrics.md").read_text()
    listed = re.findall(r"^\| `([a-z_.0-9]+)`", doc, re.M)
    defs = (ROOT / "lib" / "metrics.def").read_text()
    metrics = re.findall(r'^METRIC\(\w+,\s*"([^"]+)"', defs, re.M)
    fields = re.findall(r'^RUN_FIELD\(\w+,\s*"([^"]+)",\s*FT_(?!STR)', (ROOT / "lib" / "run_fields.def").read_text(), re.M)
    assert sorted(set(listed)) == sorted(listed), "a metric is listed twice"
    assert set(metrics) | set(fields) == set(listed)


def test_version_macros_agree_with_meson():
    meson = (ROOT / "meson.build").read_text()
    version = re.search(r"version: '([0-9.]+)'", meson).group(1)
    assert f'#define POSTRUN_VERSION_STRING "{version}"' in HEADER
