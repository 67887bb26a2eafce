#!/bin/sh
# The ABI of libpostrun.so against the baseline in this directory (docs/abi.md).
#   abi/abi.sh check    abidiff the freshly built library against the baseline; fails on any
#                       change (CI runs this)
#   abi/abi.sh update   rewrite the baseline from the freshly built library: run it in the
#                       commit that changes the ABI on purpose, and say why in that commit
# Builds the shared library alone in build-abi/ (gcc, debugoptimized: abidw reads the DWARF).
# Needs abigail-tools (tests/install-deps.sh ci).
set -eu
cd "$(dirname "$0")/.."
mode=${1:-check}
dir=build-abi
baseline=abi/libpostrun.so.0.xml
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Dbuildtype=debugoptimized -Ddefault_library=shared -Dbindings=false \
    -Dtests=false -Dbench=false >/dev/null
fi
ninja -C "$dir" >/dev/null
lib=$(readlink -f "$dir/lib/libpostrun.so")
case "$mode" in
  update)
    abidw --headers-dir include --no-corpus-path --drop-private-types --out-file "$baseline" "$lib"
    echo "wrote $baseline"
    ;;
  check)
    status=0
    abidiff --headers-dir2 include --drop-private-types --no-added-syms "$baseline" "$lib" \
      >"$dir/abidiff.txt" || status=$?
    if [ "$status" -ne 0 ]; then
      cat "$dir/abidiff.txt"
      echo "the ABI differs from $baseline (abidiff status $status): if intended, run" \
        "abi/abi.sh update and say why in the commit (docs/abi.md)" >&2
      exit 1
    fi
    echo "ABI unchanged against $baseline"
    ;;
  *) echo "usage: $0 check|update" >&2; exit 2 ;;
esac
