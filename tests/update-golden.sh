#!/bin/sh
# Writes tests/golden/NAME.yaml for every example run from the current build. Review the diff
# (git diff tests/golden) before committing: a golden file changes only on purpose.
# Usage: tests/update-golden.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
for f in examples/runs/*.yaml; do
  name=$(basename "$f")
  [ "$name" = season.yaml ] && continue
  "$dir/lib/cli/postrun" assess --format yaml "$f" > "tests/golden/$name" || [ $? -eq 3 ]
done
git status --short tests/golden
