/*
 * postrun_assessment_visit(): the events of an assessment, rebuilt into compact JSON with the
 * JSON writer's own number format, must give byte for byte what postrun_assessment_render()
 * writes, for every example run and for every document of the season stream. Plus the
 * argument checks, NaN for null, and NULL callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postrun.h"
#include "render.h"

static postrun_kb *kb;

static int setup(void **state)
{
    (void)state;
    return postrun_kb_load_default(&kb, NULL) == POSTRUN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    postrun_kb_free(kb);
    return 0;
}

/* A compact JSON writer over the events (what render.c's writer does with compact set). */
typedef struct jout {
    char *buf;
    size_t len, cap;
    int depth;
    int first[64];
    int after_key;
    size_t nans, events;
} jout;

static void put(jout *j, const char *s, size_t n)
{
    if (j->len + n + 1 > j->cap) {
        j->cap = (j->len + n + 1) * 2;
        j->buf = realloc(j->buf, j->cap);
        assert_non_null(j->buf);
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(jout *j, const char *s) { put(j, s, strlen(s)); }

static void pre(jout *j)
{
    j->events++;
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            puts_(j, ",");
        j->first[j->depth] = 0;
    }
}

static void string_raw(jout *j, const char *s)
{
    puts_(j, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': puts_(j, "\\\""); break;
        case '\\': puts_(j, "\\\\"); break;
        case '\n': puts_(j, "\\n"); break;
        case '\t': puts_(j, "\\t"); break;
        case '\r': puts_(j, "\\r"); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                puts_(j, esc);
            } else {
                put(j, (const char *)p, 1);
            }
        }
    }
    puts_(j, "\"");
}

static void open_(jout *j, const char *c)
{
    pre(j);
    puts_(j, c);
    j->depth++;
    j->first[j->depth] = 1;
}

static void close_(jout *j, const char *c)
{
    j->depth--;
    puts_(j, c);
}

static void e_map_begin(void *ud) { open_(ud, "{"); }
static void e_map_end(void *ud) { close_(ud, "}"); }
static void e_seq_begin(void *ud) { open_(ud, "["); }
static void e_seq_end(void *ud) { close_(ud, "]"); }

static void e_key(void *ud, const char *k)
{
    jout *j = ud;
    pre(j);
    string_raw(j, k);
    puts_(j, ":");
    j->after_key = 1;
}

static void e_string(void *ud, const char *s)
{
    pre(ud);
    string_raw(ud, s);
}

static void e_number(void *ud, double v)
{
    jout *j = ud;
    char num[64];
    pre(j);
    if (isnan(v))
        j->nans++;
    pr_render_fmt_num(num, sizeof num, v);
    puts_(j, num);
}

static void e_boolean(void *ud, int v)
{
    pre(ud);
    puts_(ud, v ? "true" : "false");
}

static const postrun_visitor JSON_VISITOR = {POSTRUN_VISITOR_VERSION,
                                             e_map_begin, e_map_end, e_seq_begin, e_seq_end,
                                             e_key,       e_string,  e_number,    e_boolean};

/* Visits and renders @p a; both must agree byte for byte. */
static void check_same(postrun_assessment *a, const char *what)
{
    jout j;
    memset(&j, 0, sizeof j);
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_assessment_visit(a, &JSON_VISITOR, &j, &err), POSTRUN_OK);
    assert_int_equal(j.depth, 0);
    puts_(&j, "\n");
    char *json = NULL;
    size_t len = 0;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, POSTRUN_RENDER_COMPACT,
                                               &json, &len, &err),
                     POSTRUN_OK);
    if (len != j.len || memcmp(json, j.buf, len) != 0) {
        size_t at = 0;
        while (at < len && at < j.len && json[at] == j.buf[at])
            at++;
        print_error("%s: the visit differs from the JSON at byte %zu:\n  json:  %.80s\n"
                    "  visit: %.80s\n",
                    what, at, json + at, j.buf + at);
        fail();
    }
    postrun_free(json);
    free(j.buf);
}

static void test_every_example_visits_as_its_json(void **state)
{
    (void)state;
    DIR *d = opendir(POSTRUN_SOURCE_ROOT "/examples/runs");
    assert_non_null(d);
    struct dirent *de;
    size_t checked = 0;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT, de->d_name);
        postrun_stream *s = NULL;
        postrun_run *run = NULL;
        assert_int_equal(postrun_stream_open_file(&s, kb, path, NULL), POSTRUN_OK);
        assert_int_equal(postrun_run_new(&run, kb, NULL), POSTRUN_OK);
        postrun_status st;
        while ((st = postrun_stream_next(s, run, NULL)) != POSTRUN_DONE) {
            if (st != POSTRUN_OK || postrun_assess(a, run, NULL) != POSTRUN_OK)
                continue; /* the season stream holds bad documents on purpose */
            check_same(a, de->d_name);
            checked++;
        }
        postrun_run_free(run);
        postrun_stream_free(s);
    }
    closedir(d);
    postrun_assessment_free(a);
    assert_true(checked >= 10);
}

static void test_null_values_come_as_nan(void **state)
{
    (void)state;
    /* Without training context load.acwr has no value: `null` in JSON. */
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_new(&run, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "postrun", 1, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "athlete.body_mass_kg", 70, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "run.duration_min", 40, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, NULL), POSTRUN_OK);
    jout j;
    memset(&j, 0, sizeof j);
    assert_int_equal(postrun_assessment_visit(a, &JSON_VISITOR, &j, NULL), POSTRUN_OK);
    assert_true(j.nans > 0);
    assert_non_null(strstr(j.buf, "\"acwr\":null"));
    free(j.buf);
    check_same(a, "minimal run");
    postrun_assessment_free(a);
    postrun_run_free(run);
}

static int count;
static void count_event(void *ud)
{
    (void)ud;
    count++;
}

static void test_callbacks_may_be_null(void **state)
{
    (void)state;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_new(&run, kb, NULL), POSTRUN_OK);
    postrun_run_set_number(run, "postrun", 1, NULL);
    postrun_run_set_number(run, "athlete.body_mass_kg", 70, NULL);
    postrun_run_set_number(run, "run.duration_min", 40, NULL);
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, NULL), POSTRUN_OK);
    postrun_visitor only_maps = POSTRUN_VISITOR_INIT;
    only_maps.map_begin = count_event;
    count = 0;
    assert_int_equal(postrun_assessment_visit(a, &only_maps, NULL, NULL), POSTRUN_OK);
    assert_true(count > 7); /* the document, its sections, ranges... */
    postrun_visitor none = POSTRUN_VISITOR_INIT;
    assert_int_equal(postrun_assessment_visit(a, &none, NULL, NULL), POSTRUN_OK);
    postrun_assessment_free(a);
    postrun_run_free(run);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_visit(NULL, &JSON_VISITOR, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assessment_visit(a, NULL, NULL, &err), POSTRUN_ERR_ARGUMENT);
    /* Never assessed: no result to visit. */
    assert_int_equal(postrun_assessment_visit(a, &JSON_VISITOR, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "no result"));
    /* A visitor of an unknown version (a zeroed struct, or one from a newer header). */
    postrun_visitor zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    assert_int_equal(postrun_assessment_visit(a, &zeroed, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "POSTRUN_VISITOR_INIT"));
    postrun_visitor newer = JSON_VISITOR;
    newer.version = POSTRUN_VISITOR_VERSION + 1;
    assert_int_equal(postrun_assessment_visit(a, &newer, NULL, &err), POSTRUN_ERR_ARGUMENT);
    postrun_error_clear(&err);
    postrun_assessment_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_example_visits_as_its_json),
        cmocka_unit_test(test_null_values_come_as_nan),
        cmocka_unit_test(test_callbacks_may_be_null),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
