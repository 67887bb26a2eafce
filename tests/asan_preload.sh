#!/bin/sh
# `meson test --wrapper` for the tests that run an interpreter (Python, Lua, pytest over the
# CLI) in the ASan build: the interpreter is not instrumented, so the ASan runtime must be
# loaded first (POSTRUN_ASAN_RUNTIME, from `clang -print-file-name=libclang_rt.asan-x86_64.so`).
# CPython leaks at exit by design, so leak detection is off here (the C tests, the CLI memcheck
# run and valgrind check leaks); pytest runs with -s so it does not capture the descriptors
# ASan writes to.
: "${POSTRUN_ASAN_RUNTIME:?set POSTRUN_ASAN_RUNTIME to the ASan runtime library}"
export LD_PRELOAD="$POSTRUN_ASAN_RUNTIME${LD_PRELOAD:+:$LD_PRELOAD}"
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"
case " $* " in
  *" -m pytest "*)
    prog=$1
    shift
    exec "$prog" "$@" -s ;;
esac
exec "$@"
