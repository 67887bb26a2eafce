#!/bin/sh
# The whole test suite from a fresh checkout: installs what is missing, configures, builds with
# warnings as errors, runs every test (C, Python, Lua, examples) and prints one line
# "N passed, N failed". Usage: tests/run.sh [BUILD_DIR] [extra meson options...]
set -eu
cd "$(dirname "$0")/.."
tests/install-deps.sh test
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" --fatal-meson-warnings -Dwerror=true "$@"
fi
ninja -C "$dir"
status=0
meson test -C "$dir" --print-errorlogs || status=$?
/usr/bin/python3 tests/summary.py "$dir/meson-logs/testlog.json"
exit $status
