#!/bin/sh
# Installs the Debian packages libpostrun needs, by group; does nothing when they are present.
#   build  the library and the CLI (examples/run.sh)
#   test   the whole test suite: bindings, Python and Lua tests (tests/run.sh)
#   ci     what only .ci/run needs on top: sanitizers (clang), valgrind, coverage, the other
#          Lua versions, the API reference, the ABI check, the wheel and the Dask example
# Usage: tests/install-deps.sh GROUP...   (`all` is `test`, for older scripts)
set -eu
BUILD="gcc libc6-dev pkg-config meson ninja-build libyaml-dev libexpat1-dev"
TEST="$BUILD libcmocka-dev swig python3-dev python3-pytest python3-hypothesis python3-yaml
python3-matplotlib lua5.4 liblua5.4-dev lua-busted"
CI="$TEST valgrind clang libclang-rt-14-dev gcovr doxygen abigail-tools
lua5.1 liblua5.1-0-dev lua5.3 liblua5.3-dev luajit libluajit-5.1-dev luarocks
python3-mesonpy python3-build python3-venv python3-dask python3-distributed"
[ $# -gt 0 ] || set -- test
pkgs=""
for group in "$@"; do
  case "$group" in
    build) pkgs="$pkgs $BUILD" ;;
    test|all) pkgs="$pkgs $TEST" ;;
    ci) pkgs="$pkgs $CI" ;;
    *) echo "usage: $0 build|test|ci..." >&2; exit 2 ;;
  esac
done
missing=""
for p in $pkgs; do
  case " $missing " in *" $p "*) continue ;; esac
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing" >&2
$SUDO apt-get update -qq
# lua5.4 is named in the same command as lua-busted, or apt picks Lua 5.2 for busted.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
