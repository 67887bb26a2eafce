#!/bin/sh
# The main job from a fresh checkout: installs what is missing, builds the library and the
# `postrun` CLI, and assesses an example run with the bundled knowledge base.
# Usage: examples/run.sh [RUN_REPORT.yaml] [postrun assess options...]
set -eu
cd "$(dirname "$0")/.."
tests/install-deps.sh build
dir=build-run
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Dtests=false -Dbindings=false -Dbench=false >/dev/null
fi
ninja -C "$dir" >/dev/null
run=${1:-examples/runs/01_warm_long_run_muscles_smaller.yaml}
[ $# -gt 0 ] && shift
exec "$dir/lib/cli/postrun" assess "$run" "$@"
