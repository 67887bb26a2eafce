/* Shared declarations of the benchmark program's files (postrun_bench.c, gen_runs.c). */
#ifndef POSTRUN_BENCH_H
#define POSTRUN_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "postrun.h"

/* Appends `n_docs` generated run reports (a YAML stream) to `out`; the same seed gives the
 * same bytes. False when the buffer could not grow. */
bool gen_stream(pr_buf *out, postrun_run *const *examples, size_t n_examples, size_t n_docs,
                uint64_t seed);

/* The example runs as a JSON array of objects (lua false) or a Lua chunk returning a list of
 * tables (lua true): what the Python and Lua benchmarks assess. */
bool gen_data(pr_buf *out, postrun_run *const *examples, size_t n_examples, bool lua);

#endif
