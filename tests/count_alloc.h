/*
 * The counting allocator that the tests and the benchmark install with
 * postrun_set_allocator(): it counts calls, blocks and bytes, and can fail a chosen call (or
 * every call from it on) to test out-of-memory paths. Plain C (no CMocka), so that bench/
 * can use it too. Not thread-safe: install it where one thread allocates.
 */
#ifndef POSTRUN_COUNT_ALLOC_H
#define POSTRUN_COUNT_ALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postrun.h"

typedef struct counting_alloc {
    long fail_at;     /* 1-based call number to fail; 0 = never */
    bool persistent;  /* fail every call from fail_at on, not just that one */
    bool poison;      /* scribble over freed blocks (finds reads after free without ASan) */
    long calls;       /* allocations and reallocations (counted towards fail_at) */
    long failures;    /* calls failed on purpose */
    long live;        /* blocks alive */
    uint64_t allocs;  /* new blocks */
    uint64_t reallocs; /* blocks resized */
    uint64_t frees;
    int64_t bytes;    /* bytes held (as asked for, with the library's block headers) */
    int64_t peak;     /* the most bytes held at once (reset it to measure a stretch) */
} counting_alloc;

/* The postrun_alloc_fn; `ud` is the counting_alloc. */
static inline void *counting_fn(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    counting_alloc *c = ud;
    if (new_size == 0) {
        if (ptr) {
            c->live--;
            c->frees++;
            c->bytes -= (int64_t)old_size;
            if (c->poison)
                memset(ptr, 0xA5, old_size);
        }
        free(ptr);
        return NULL;
    }
    c->calls++;
    if (c->fail_at && (c->calls == c->fail_at || (c->persistent && c->calls > c->fail_at))) {
        c->failures++;
        return NULL;
    }
    void *p = realloc(ptr, new_size);
    if (!p)
        return NULL;
    if (ptr) {
        c->reallocs++;
    } else {
        c->live++;
        c->allocs++;
    }
    c->bytes += (int64_t)new_size - (int64_t)(ptr ? old_size : 0);
    if (c->bytes > c->peak)
        c->peak = c->bytes;
    return p;
}

/* Zeroes `c`, sets the call to fail (0 = none) and installs it. */
static inline void counting_start(counting_alloc *c, long fail_at)
{
    memset(c, 0, sizeof *c);
    c->fail_at = fail_at;
    postrun_set_allocator(counting_fn, c);
}

/* Puts the default allocator back. */
static inline void counting_stop(void) { postrun_set_allocator(NULL, NULL); }

#endif
