/*
 * Small helpers shared by the C tests: checking one recorded problem, and the counting
 * allocator (count_alloc.h, shared with the benchmark).
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

#include "count_alloc.h"
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

#endif
