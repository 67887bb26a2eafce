/*
 * Small helpers shared by the run-report and stream tests: checking one recorded problem, and
 * an allocator that counts blocks and can fail on the n-th call.
 */
#ifndef POSTRUN_TEST_HELPERS_H
#define POSTRUN_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "postrun.h"

/* Checks problem `e`: its code, position, field, and that its message holds `text`. */
static inline void expect_problem(const postrun_error *e, postrun_status code, uint32_t line,
                                  uint32_t column, const char *field, const char *text)
{
    assert_non_null(e);
    if (e->code != code || e->line != line || e->column != column || strcmp(e->field, field) != 0 ||
        (text && !strstr(e->message, text))) {
        print_error("got %d at %u:%u field '%s': %s\n", (int)e->code, (unsigned)e->line,
                    (unsigned)e->column, e->field, e->message);
        print_error("wanted %d at %u:%u field '%s' with '%s'\n", (int)code, (unsigned)line,
                    (unsigned)column, field, text ? text : "");
        fail();
    }
}

/* Counts live blocks and bytes; fails call number `fail_at` (1-based; 0 = never). */
typedef struct counting_alloc {
    long fail_at, calls, live;
    size_t bytes, peak;
} counting_alloc;

static inline void *counting_fn(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    counting_alloc *c = ud;
    if (new_size == 0) {
        if (ptr) {
            c->live--;
            c->bytes -= old_size;
        }
        free(ptr);
        return NULL;
    }
    if (++c->calls == c->fail_at)
        return NULL;
    void *p = realloc(ptr, new_size);
    if (!p)
        return NULL;
    if (!ptr)
        c->live++;
    c->bytes = c->bytes - old_size + new_size;
    if (c->bytes > c->peak)
        c->peak = c->bytes;
    return p;
}

static inline void counting_start(counting_alloc *c, long fail_at)
{
    memset(c, 0, sizeof *c);
    c->fail_at = fail_at;
    postrun_set_allocator(counting_fn, c);
}

static inline void counting_stop(void) { postrun_set_allocator(NULL, NULL); }

#endif
