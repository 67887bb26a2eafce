/* A generated FIT activity for the benchmarks (bench_fit.c). */
#ifndef POSTRUN_BENCH_FIT_H
#define POSTRUN_BENCH_FIT_H

#include <stddef.h>
#include <stdint.h>

/* `records` records, one a second, from `start` (FIT seconds, since 1989-12-31); the length in
 * *len. NULL without memory; free() it. */
unsigned char *bench_make_fit(size_t records, uint32_t start, size_t *len);

#endif
