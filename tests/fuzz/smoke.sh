#!/bin/sh
# A bounded libFuzzer run of one target: mutates its committed corpus (read-only: new inputs
# go to a scratch directory that is deleted) for SECONDS, and fails on any crash, leak,
# timeout or out-of-memory. Usage: smoke.sh FUZZ_BINARY CORPUS_DIR SECONDS
set -eu
bin=$1 corpus=$2 secs=$3
# With the shared ASan runtime (.ci/run links it, for the interpreters' sake), libFuzzer's C++
# runtime comes first in the fuzzers' library list; the order does not matter here.
export ASAN_OPTIONS="verify_asan_link_order=0:${ASAN_OPTIONS:-}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/new"
status=0
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$scratch/" -print_final_stats=1 "$scratch/new" "$corpus" \
  >"$scratch/log" 2>&1 || status=$?
grep -E '^(#[0-9]+.*(INITED|DONE)|stat::number_of_executed_units|stat::peak_rss_mb)' \
  "$scratch/log" || true
if [ "$status" -ne 0 ]; then
  cat "$scratch/log" >&2
  for f in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$scratch"/oom-*; do
    [ -f "$f" ] || continue
    echo "--- $f (base64):" >&2
    base64 "$f" | head -c 4000 >&2
  done
fi
exit "$status"
