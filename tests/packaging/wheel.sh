#!/bin/sh
# The Python wheel as a user gets it: built by meson-python from pyproject.toml, installed
# with pip into a fresh venv from the wheel alone (no index), imported and used from another
# directory with no LD_LIBRARY_PATH. Usage: tests/packaging/wheel.sh [WORK_DIR]
set -eu
cd "$(dirname "$0")/../.."
work=${1:-build-wheel}
rm -rf "$work" && mkdir -p "$work"
/usr/bin/python3 -m build --wheel --no-isolation --skip-dependency-check --outdir "$work/dist" . \
  >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
whl=$(ls "$work"/dist/postrun-*.whl)
case "$whl" in
  *-cp3*-linux_*.whl) ;;
  *) echo "not a platform wheel: $whl" >&2; exit 1 ;;
esac
/usr/bin/python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "$whl"
so=$(ls "$work"/venv/lib/python3*/site-packages/postrun/_postrun_core*.so)
if ldd "$so" | grep -q 'libpostrun\|not found'; then
  ldd "$so" >&2; echo "the extension needs a library the wheel does not carry" >&2; exit 1
fi
cd /
env -u LD_LIBRARY_PATH -u PYTHONPATH "$OLDPWD/$work/venv/bin/python" - <<'PY'
import postrun
kb = postrun.KnowledgeBase.default()
a = kb.assess({"postrun": 1, "athlete": {"body_mass_kg": 68},
               "run": {"duration_min": 95, "distance_km": 16},
               "symptoms": [{"id": "muscles_feel_smaller"}]})
assert "site-packages" in postrun.__file__, postrun.__file__
assert a.causes and a.fluid.sweat_loss_l.expected > 0
try:
    kb.assess({"postrun": 1, "athlete": {"body_mass_kg": 500}, "run": {"duration_min": 95}})
except postrun.ValidationError as e:
    assert e.field == "athlete.body_mass_kg", e.field
else:
    raise SystemExit("no ValidationError")
print("wheel ok:", postrun.__file__, a.causes[0].id)
PY
"$OLDPWD/$work/venv/bin/postrun" --version
