#!/bin/sh
# The postrun command over every example, fixture and hostile input, in every format, plus the
# knowledge-base commands and usage errors; prints TAP. Each command must exit with one of
# its documented codes, 0-4 (never a signal). With POSTRUN_MEMCHECK set (the `valgrind` test setup sets it to a valgrind
# command with --error-exitcode=97), each one runs under it, and any memcheck error or leak
# fails it. Usage: memcheck_cli.sh POSTRUN_BINARY SOURCE_ROOT
set -u
cli=$1 root=$2
wrap=${POSTRUN_MEMCHECK:-}
n=0 failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

check() {
  n=$((n + 1))
  # shellcheck disable=SC2086
  $wrap "$cli" "$@" >"$scratch/out" 2>"$scratch/err" </dev/null
  rc=$?
  if [ "$rc" -le 4 ]; then
    echo "ok $n - postrun $* (exit $rc)"
  else
    failed=$((failed + 1))
    echo "not ok $n - postrun $* (exit $rc)"
    sed 's/^/# /' "$scratch/err" | head -40
  fi
}

# Under memcheck each command costs a second or two: there, the inputs go in groups (the
# command takes several files) and each format once; without it, one by one.
if [ -n "$wrap" ]; then
  check assess "$root"/examples/runs/*.yaml
  check assess --format yaml "$root"/examples/runs/*.yaml
  check assess --format json --explain "$root"/examples/runs/*.yaml
  check assess --color always --explain "$root"/examples/runs/*.yaml
  check assess --format json "$root"/tests/data/runs/*.yaml
  check assess --format json "$root"/tests/data/hostile/run_*.yaml
  check kb check "$root/data"
  set --
  for f in "$root"/tests/data/kb/*.yaml; do
    set -- "$@" --overlay "$f"
  done
  check kb check "$@"
  set --
else
  for f in "$root"/examples/runs/*.yaml; do
    check assess "$f"
    check assess --format yaml "$f"
    check assess --format json --explain "$f"
    check assess --color always --explain "$f"
  done
  for f in "$root"/tests/data/runs/*.yaml "$root"/tests/data/hostile/run_*.yaml; do
    check assess --format json "$f"
  done
  check kb check "$root/data"
  for f in "$root"/tests/data/kb/*.yaml; do
    check kb check --overlay "$f"
  done
fi
check assess -o "$scratch/all.json" --format json "$root"/examples/runs/*.yaml
# the threaded path (-j) and the single-threaded one, over valid, invalid and broken documents
check assess -j 3 --format yaml "$root"/examples/runs/*.yaml "$root"/tests/data/runs/*.yaml
check assess -j 1 --format json "$root"/examples/runs/season.yaml "$root"/tests/data/runs/*.yaml
check assess -j 2 --format json "$root"/examples/runs/season.yaml /nonexistent.yaml
check assess -j 0 "$root/examples/runs/01_warm_long_run_muscles_smaller.yaml"
check kb check
for f in "$root"/tests/data/hostile/kb_*.yaml "$root"/examples/kb-overlay/*.yaml; do
  check kb check --overlay "$f"
done
check assess --overlay "$root/examples/kb-overlay/coach.yaml" \
  "$root/examples/runs/01_warm_long_run_muscles_smaller.yaml"
check kb show dehydration
check kb show no_such_entry
check --version
check --help
check assess --format nonsense "$root/examples/runs/01_warm_long_run_muscles_smaller.yaml"
check frobnicate
check assess /nonexistent.yaml
# activity files: the fuzz seeds of each format (valid, truncated, corrupt, other sports)
for f in "$root"/tests/fuzz/corpus/fit/start-*.fit "$root"/tests/fuzz/corpus/tcx/start-* \
         "$root"/tests/fuzz/corpus/gpx/start-*; do
  check activity --sport any --format json "$f"
done
check activity "$root/tests/fuzz/corpus/tcx/start-run.tcx"
check assess --format json --activity "$root/tests/fuzz/corpus/gpx/start-run-1.1.gpx" \
  "$root/examples/activity/report.yaml"
check assess --activity "$root/tests/fuzz/corpus/fit/start-bad-crc.fit" \
  "$root/examples/activity/report.yaml"
check activity
echo "1..$n"
[ "$failed" -eq 0 ]
