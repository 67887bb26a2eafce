#!/bin/sh
# Installs the Debian packages libpostrun needs: `build` for the library and the CLI, `all` for
# the whole test suite (bindings, sanitizers, coverage). Does nothing when they are present.
# Usage: tests/install-deps.sh build|all
set -eu
BUILD="gcc libc6-dev pkg-config meson ninja-build libyaml-dev libexpat1-dev"
ALL="$BUILD libcmocka-dev swig python3-dev python3-pytest python3-hypothesis python3-yaml
python3-matplotlib lua5.4 liblua5.4-dev lua-busted valgrind clang libclang-rt-14-dev gcovr"
case "${1:-all}" in
  build) pkgs=$BUILD ;;
  all) pkgs=$ALL ;;
  *) echo "usage: $0 build|all" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing" >&2
$SUDO apt-get update -qq
# lua5.4 is named in the same command as lua-busted, or apt picks Lua 5.2 for busted.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
