#!/bin/sh
# A static build installed into a scratch prefix, and a program linked against it through
# `pkg-config --static` alone, fully static (-static: libyaml and libc too), then run.
# Usage: tests/packaging/static_link.sh [WORK_DIR]
set -eu
cd "$(dirname "$0")/../.."
work=$(pwd)/${1:-build-static-link}
rm -rf "$work"
meson setup "$work/build" --prefix="$work/prefix" --libdir=lib -Ddefault_library=static \
  -Dbindings=false -Dtests=false -Dbench=false -Dwerror=true >/dev/null
ninja -C "$work/build" >/dev/null
meson install -C "$work/build" --quiet
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
flags=$(pkg-config --static --cflags --libs libpostrun)
echo "pkg-config --static: $flags"
# shellcheck disable=SC2086 # the flags are words
cc -std=c11 -o "$work/minimal" examples/c/minimal.c $flags -static
if ldd "$work/minimal" >/dev/null 2>&1; then
  ldd "$work/minimal" >&2; echo "not a static executable" >&2; exit 1
fi
"$work/minimal" examples/runs/01_warm_long_run_muscles_smaller.yaml >"$work/out.txt"
grep -q . "$work/out.txt"
echo "static link ok: $(head -1 "$work/out.txt")"
