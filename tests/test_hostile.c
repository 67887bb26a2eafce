/*
 * Hostile input: every test feeds one kind of attack or oddity (tests/data/hostile/, or
 * generated here when it is big) to run-report parsing, streams or knowledge-base loading,
 * and checks for a clear error (code, position, words that say what is wrong) in bounded time
 * and memory, with nothing leaked.
 *
 * Limits checked: each call under HOSTILE_SECONDS (scaled by POSTRUN_TIME_FACTOR, which the
 * valgrind setup raises), and the library's own memory (counted by the allocator hook; libyaml
 * allocates outside it) under a few megabytes whatever the input size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "count_alloc.h"
#include "postrun.h"

#define ROOT POSTRUN_SOURCE_ROOT
#define HOSTILE POSTRUN_TEST_DATA "/hostile/"

#define HOSTILE_SECONDS 5.0
#define MEGABYTE (1024.0 * 1024.0)

/* ---- memory and time accounting ---- */

static counting_alloc g_meter;

typedef struct probe {
    struct timespec t0;
    long live;
    int64_t bytes;
} probe;

static double time_factor(void)
{
    const char *s = getenv("POSTRUN_TIME_FACTOR");
    double f = s ? atof(s) : 1.0;
    return f >= 1.0 ? f : 1.0;
}

static probe start(void)
{
    probe p;
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    p.live = g_meter.live;
    p.bytes = g_meter.bytes;
    g_meter.peak = g_meter.bytes;
    return p;
}

/* Time and memory since start(), and no block left behind (call after freeing results). */
static void stop(const probe *p, double max_seconds, double max_mb)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - p->t0.tv_sec) + (double)(t1.tv_nsec - p->t0.tv_nsec) / 1e9;
    double mb = (double)(g_meter.peak - p->bytes) / MEGABYTE;
    if (s > max_seconds * time_factor() || mb > max_mb) {
        print_error("took %.2f s (at most %.1f) and %.1f MB (at most %.1f)\n", s,
                    max_seconds * time_factor(), mb, max_mb);
        fail();
    }
    assert_int_equal(g_meter.live, p->live);
}

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void spill(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void dump(const postrun_error *err)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        fprintf(stderr, "# %s\n", line);
    }
}

/* The first problem: its code, where (line 0 = any), and words of its message. */
static void expect(const postrun_error *err, postrun_status code, uint32_t line,
                   const char *words)
{
    if (err->code != code || (line && err->line != line) || err->message[0] == '\0' ||
        (words && !strstr(err->message, words))) {
        dump(err);
        print_error("wanted %d at line %u with '%s'\n", (int)code, (unsigned)line,
                    words ? words : "");
        fail();
    }
}

static postrun_kb *g_kb;

static int group_setup(void **state)
{
    (void)state;
    postrun_set_allocator(counting_fn, &g_meter);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status rc = postrun_kb_load_default(&g_kb, &err);
    postrun_error_clear(&err);
    return rc == POSTRUN_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    postrun_kb_free(g_kb);
    postrun_set_allocator(NULL, NULL);
    return g_meter.live == 0 ? 0 : -1;
}

/* Parses `text` as one report; returns the status (err filled), the run freed. */
static postrun_status parse(const char *text, size_t len, postrun_error *err)
{
    postrun_run *run = NULL;
    postrun_status rc = postrun_run_parse(&run, g_kb, text, len, "hostile.yaml", err);
    if (rc == POSTRUN_OK)
        assert_non_null(run);
    else
        assert_null(run);
    postrun_run_free(run);
    return rc;
}

static postrun_status parse_file(const char *name, postrun_error *err)
{
    size_t len;
    char *text = slurp(name, &len);
    postrun_status rc = parse(text, len, err);
    /* The same through a file stream (libyaml reads it in pieces). */
    postrun_error serr = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    assert_int_equal(postrun_run_new(&run, g_kb, &serr), POSTRUN_OK);
    postrun_status src = postrun_stream_open_file(&s, g_kb, name, &serr);
    if (src == POSTRUN_OK) {
        src = postrun_stream_next(s, run, &serr);
        if (rc != POSTRUN_OK && rc != POSTRUN_ERR_MISSING)
            assert_int_equal(src, rc); /* same verdict, same place */
        if (src < 0 && rc < 0 && rc != POSTRUN_ERR_MISSING)
            assert_int_equal(serr.line, err->line);
    }
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&serr);
    free(text);
    return rc;
}

/* Loads the bundled files plus overlays given as text; the kb is freed. */
static postrun_status load_overlay_text(const char *text, size_t len, postrun_error *err)
{
    postrun_kb_builder *b = NULL;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_default(b, err), POSTRUN_OK);
    postrun_status rc = postrun_kb_builder_add_overlay_string(b, "overlay.yaml", text, len, err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_build(b, &kb, err);
    if (rc == POSTRUN_OK)
        assert_non_null(kb);
    else
        assert_null(kb);
    postrun_kb_free(kb);
    postrun_kb_builder_free(b);
    return rc;
}

static postrun_status load_overlay_file(const char *name, postrun_error *err)
{
    postrun_kb *kb = NULL;
    const char *ov[] = {name};
    postrun_status rc = postrun_kb_load(&kb, NULL, ov, 1, err);
    if (rc == POSTRUN_OK)
        assert_non_null(kb);
    else
        assert_null(kb);
    postrun_kb_free(kb);
    return rc;
}

/* ---- aliases ---- */

static void test_an_alias_bomb_in_a_run_is_refused_at_the_first_alias(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_alias_bomb.yaml", &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 4, "aliases");
    assert_int_equal(err.column, 8);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

static void test_an_alias_bomb_in_a_kb_overlay_is_refused_at_the_first_alias(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(load_overlay_file(HOSTILE "kb_alias_bomb.yaml", &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 6, "aliases");
    assert_non_null(strstr(err.file, "kb_alias_bomb.yaml"));
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 8);
}

/* ---- nesting ---- */

/* `depth` levels of `open`, then `close` as many times. */
static char *nest(const char *prefix, const char *open, const char *mid, const char *close,
                  size_t depth, size_t *len)
{
    size_t lp = strlen(prefix), lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    char *s = malloc(lp + depth * (lo + lc) + lm + 1);
    assert_non_null(s);
    char *w = s;
    memcpy(w, prefix, lp);
    w += lp;
    for (size_t i = 0; i < depth; i++, w += lo)
        memcpy(w, open, lo);
    memcpy(w, mid, lm);
    w += lm;
    for (size_t i = 0; i < depth; i++, w += lc)
        memcpy(w, close, lc);
    *w = '\0';
    *len = (size_t)(w - s);
    return s;
}

static void test_100k_deep_nesting_in_a_run_is_refused(void **state)
{
    (void)state;
    static const char *const shapes[][4] = {
        {"postrun: 1\nathlete: ", "[", "1", "]"},        /* flow sequences */
        {"postrun: 1\nathlete: ", "{a: ", "1", "}"},     /* flow mappings */
        {"postrun: 1\nathlete:\n", "- ", "1", ""},       /* block sequences on one line */
        {"postrun: 1\nathlete: ", "[{a: ", "1", "}]"},   /* both */
    };
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        size_t len;
        char *text = nest(shapes[i][0], shapes[i][1], shapes[i][2], shapes[i][3], 100000, &len);
        postrun_error err = POSTRUN_ERROR_INIT;
        probe p = start();
        assert_int_equal(parse(text, len, &err), POSTRUN_ERR_LIMIT);
        expect(&err, POSTRUN_ERR_LIMIT, i == 2 ? 3 : 2, "nesting deeper than");
        postrun_error_clear(&err);
        stop(&p, HOSTILE_SECONDS, 1);
        free(text);
    }
}

static void test_100k_deep_nesting_in_a_kb_overlay_is_refused(void **state)
{
    (void)state;
    size_t len;
    char *text = nest("postrun_overlay: 1\nrules:\n  - id: deep\n    when: ", "{not: ", "{}",
                      "}", 100000, &len);
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(load_overlay_text(text, len, &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 4, "nesting deeper than");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 8);
    free(text);
}

/* Within YAML's depth limit but past what conditions and formulas allow. */
static void test_deep_conditions_and_formulas_are_refused_by_the_compiler(void **state)
{
    (void)state;
    size_t len;
    char *cond = nest("postrun_overlay: 1\nrules:\n  - id: deep\n    name: Deep\n"
                      "    description: Deep.\n    cause: dehydration\n    weight: 1\n"
                      "    sources: [seed-000]\n    when: ",
                      "{not: ", "{symptom: cramps}", "}", 30, &len);
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(load_overlay_text(cond, len, &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 9, "nested deeper than");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 8);
    free(cond);

    char *formula = nest("postrun_overlay: 1\nrecommendations:\n  - id: rehydrate_with_sodium\n"
                         "    doses:\n      fluid_ml: \"",
                         "(", "1", ")", 30000, &len);
    char *grown = realloc(formula, len + 3);
    assert_non_null(grown);
    formula = grown;
    memcpy(formula + len, "\"\n", 3);
    len += 2;
    p = start();
    assert_int_equal(load_overlay_text(formula, len, &err), POSTRUN_ERR_KB);
    expect(&err, POSTRUN_ERR_KB, 5, "nested too deeply");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 8);
    free(formula);
}

/* ---- size ---- */

static size_t big_size(void)
{
    /* 100 MB; memcheck is slow enough with 10. */
    return getenv("POSTRUN_HOSTILE_SMALL") ? (size_t)10 << 20 : (size_t)100 << 20;
}

static char *big_scalar_report(size_t n, size_t *len)
{
    static const char head[] = "postrun: 1\nid: ";
    char *text = malloc(sizeof head + n + 1);
    assert_non_null(text);
    memcpy(text, head, sizeof head - 1);
    memset(text + sizeof head - 1, 'a', n);
    *len = sizeof head - 1 + n;
    text[(*len)++] = '\n';
    text[*len] = '\0';
    return text;
}

static void test_a_100_MB_scalar_in_a_run_is_refused(void **state)
{
    (void)state;
    size_t len;
    char *text = big_scalar_report(big_size(), &len);
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    postrun_status rc = parse(text, len, &err);
    assert_true(rc == POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 2, "bytes");
    postrun_error_clear(&err);
    stop(&p, 4 * HOSTILE_SECONDS, 1);

    /* From a file, through a stream. */
    char dir[] = "/tmp/postrun-hostile-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    spill(path, text, len);
    free(text);
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    p = start();
    assert_int_equal(postrun_run_new(&run, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_open_file(&s, g_kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 2, "bytes");
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&err);
    stop(&p, 4 * HOSTILE_SECONDS, 1);
    remove(path);
    remove(dir);
}

/* The size limit is per document: a long stream of documents just under it is read whole. */
static void test_a_stream_of_documents_near_the_size_limit_is_read_whole(void **state)
{
    (void)state;
    static const char doc[] = "postrun: 1\nathlete: {body_mass_kg: 60}\nrun: {duration_min: 30}\n";
    size_t comment = 900 * 1024, one = 2 + comment + 1 + sizeof doc - 1 + 4, n = 3;
    char *text = malloc(one * n + 1);
    assert_non_null(text);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(text + len, "# ", 2);
        memset(text + len + 2, 'c', comment);
        len += 2 + comment;
        text[len++] = '\n';
        memcpy(text + len, doc, sizeof doc - 1);
        len += sizeof doc - 1;
        memcpy(text + len, "---\n", 4);
        len += 4;
    }
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    probe p = start();
    assert_int_equal(postrun_run_new(&run, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_open_string(&s, g_kb, text, len, "near.yaml", &err),
                     POSTRUN_OK);
    for (size_t i = 0; i < n; i++) {
        postrun_status rc = postrun_stream_next(s, run, &err);
        if (rc != POSTRUN_OK)
            dump(&err);
        assert_int_equal(rc, POSTRUN_OK);
    }
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
    free(text);
}

static void test_a_100_MB_scalar_in_a_kb_overlay_is_refused(void **state)
{
    (void)state;
    size_t n = big_size();
    static const char head[] = "postrun_overlay: 1\nnotes:\n  - id: big\n    name: ";
    char *text = malloc(sizeof head + n);
    assert_non_null(text);
    memcpy(text, head, sizeof head - 1);
    memset(text + sizeof head - 1, 'a', n);
    size_t len = sizeof head - 1 + n;
    text[len] = '\0';
    postrun_error err = POSTRUN_ERROR_INIT;
    /* As text: the builder keeps a copy, so count that in. */
    probe p = start();
    assert_int_equal(load_overlay_text(text, len, &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 0, "bytes");
    postrun_error_clear(&err);
    stop(&p, 4 * HOSTILE_SECONDS, (double)len / MEGABYTE + 8);
    /* As a file: refused while reading, long before the end. */
    char dir[] = "/tmp/postrun-hostile-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    spill(path, text, len);
    free(text);
    p = start();
    assert_int_equal(load_overlay_file(path, &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 0, "bytes"); /* the file, or (10 MB) the value */
    postrun_error_clear(&err);
    stop(&p, 4 * HOSTILE_SECONDS, 40);
    remove(path);
    remove(dir);
}

static void test_a_knowledge_base_with_too_many_values_is_refused(void **state)
{
    (void)state;
    /* 300 000 values: past the 200 000 a knowledge-base file may hold. */
    static const char head[] = "postrun_overlay: 1\nnotes:\n  - id: many\n    name: [";
    size_t n = 300000, len = sizeof head - 1 + n * 2 + 2;
    char *text = malloc(len + 1);
    assert_non_null(text);
    memcpy(text, head, sizeof head - 1);
    char *w = text + sizeof head - 1;
    for (size_t i = 0; i < n; i++, w += 2)
        memcpy(w, "1,", 2);
    memcpy(w, "]\n", 3);
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(load_overlay_text(text, len, &err), POSTRUN_ERR_LIMIT);
    expect(&err, POSTRUN_ERR_LIMIT, 4, "values");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 64);
    free(text);
}

static void test_a_run_with_thousands_of_problems_reports_at_most_a_hundred(void **state)
{
    (void)state;
    size_t cap = 64 * 4000 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text, cap, "postrun: 1\nathlete:\n");
    for (int i = 0; i < 1500; i++)
        len += (size_t)snprintf(text + len, cap - len, "  unknown_%d: %d\n", i, i);
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse(text, len, &err), POSTRUN_ERR_UNKNOWN_KEY);
    expect(&err, POSTRUN_ERR_UNKNOWN_KEY, 3, "unknown key");
    assert_true(postrun_error_count(&err) <= 100);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 2);
    free(text);
}

/* ---- encodings and bytes ---- */

static void test_invalid_utf8_is_a_syntax_error_where_it_stands(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t line, column;
    } cases[] = {
        {"postrun: 1\nid: ab\x80 cd\n", 2, 7},         /* lone continuation byte */
        {"postrun: 1\nid: \xc0\xaf\n", 2, 5},         /* overlong '/' */
        {"postrun: 1\nid: \xed\xa0\x80\n", 2, 5},     /* UTF-16 surrogate */
        {"postrun: 1\nid: \xf4\x90\x80\x80\n", 2, 5}, /* past U+10FFFF */
        {"postrun: 1\nid: \xff\n", 2, 5},             /* never valid */
        {"postrun: 1\nid: abc\xe2\x82", 2, 8},        /* cut at the end */
        {"\xfe\n", 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        postrun_error err = POSTRUN_ERROR_INIT;
        probe p = start();
        assert_int_equal(parse(cases[i].text, strlen(cases[i].text), &err), POSTRUN_ERR_SYNTAX);
        expect(&err, POSTRUN_ERR_SYNTAX, cases[i].line, NULL);
        if (err.column != cases[i].column) {
            dump(&err);
            print_error("case %zu: wanted column %u\n", i, (unsigned)cases[i].column);
            fail();
        }
        postrun_error_clear(&err);
        stop(&p, HOSTILE_SECONDS, 1);
    }
}

static void test_nul_bytes_are_refused_where_they_stand(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
        uint32_t line;
    } cases[] = {
        {"\0postrun: 1\n", 12, 1},
        {"postrun: 1\nid: a\0b\n", 19, 2},
        {"postrun: 1\ni\0d: ab\n", 19, 2},
        {"postrun: 1\nid: 'a\0b'\n", 21, 2},
        {"postrun: 1\nid: a\n\0", 18, 3},
        {"postrun: 1\nid: \"a\\0b\"\n", 22, 2}, /* an escaped NUL inside quotes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        postrun_error err = POSTRUN_ERROR_INIT;
        probe p = start();
        assert_int_equal(parse(cases[i].text, cases[i].len, &err), POSTRUN_ERR_SYNTAX);
        expect(&err, POSTRUN_ERR_SYNTAX, cases[i].line, "NUL");
        postrun_error_clear(&err);
        stop(&p, HOSTILE_SECONDS, 1);
    }
}

static void test_a_utf8_byte_order_mark_is_accepted(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_bom_utf8.yaml", &err), POSTRUN_OK);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

static void test_a_utf16_byte_order_mark_says_the_text_is_not_utf8(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_bom_utf16le.yaml", &err), POSTRUN_ERR_SYNTAX);
    expect(&err, POSTRUN_ERR_SYNTAX, 1, "UTF-16");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

static void test_a_byte_order_mark_inside_a_document_is_a_syntax_error(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_bom_inside.yaml", &err), POSTRUN_ERR_SYNTAX);
    expect(&err, POSTRUN_ERR_SYNTAX, 3, NULL);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

static void test_tabs_for_indentation_are_a_syntax_error_at_the_tab(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_tab_indent.yaml", &err), POSTRUN_ERR_SYNTAX);
    expect(&err, POSTRUN_ERR_SYNTAX, 3, NULL);
    assert_int_equal(err.column, 1);
    postrun_error_clear(&err);
    /* Tabs inside values and after a colon are fine. */
    assert_int_equal(parse_file(HOSTILE "run_tab_in_values.yaml", &err), POSTRUN_OK);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

/* ---- keys and values ---- */

static void test_duplicate_keys_are_each_reported_with_their_path(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_duplicate_keys.yaml", &err), POSTRUN_ERR_DUPLICATE);
    static const char *const fields[] = {"athlete.body_mass_kg", "run.duration_min",
                                         "symptoms[0].severity", "observations.headache"};
    assert_int_equal(postrun_error_count(&err), 4);
    for (size_t i = 0; i < 4; i++) {
        const postrun_error *e = postrun_error_at(&err, i);
        assert_int_equal(e->code, POSTRUN_ERR_DUPLICATE);
        assert_string_equal(e->field, fields[i]);
        assert_non_null(strstr(e->message, "twice"));
    }
    postrun_error_clear(&err);
    assert_int_equal(load_overlay_file(HOSTILE "kb_duplicate_keys.yaml", &err),
                     POSTRUN_ERR_DUPLICATE);
    expect(&err, POSTRUN_ERR_DUPLICATE, 5, "twice");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 8);
}

static void test_nan_infinity_and_overflow_are_out_of_range(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_special_numbers.yaml", &err), POSTRUN_ERR_RANGE);
    static const struct {
        const char *field;
        postrun_status code;
    } want[] = {
        {"athlete.body_mass_kg", POSTRUN_ERR_RANGE}, /* .nan */
        {"athlete.height_cm", POSTRUN_ERR_RANGE},    /* .inf */
        {"athlete.age_y", POSTRUN_ERR_RANGE},        /* -.Inf */
        {"athlete.max_hr_bpm", POSTRUN_ERR_RANGE},   /* 30 digits */
        {"run.duration_min", POSTRUN_ERR_RANGE},     /* 1e400 */
        {"run.distance_km", POSTRUN_ERR_RANGE},      /* -1e-400, i.e. zero */
        {"run.rpe", POSTRUN_ERR_TYPE},               /* hexadecimal is not a number here */
    };
    size_t n = postrun_error_count(&err);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++) {
            const postrun_error *e = postrun_error_at(&err, j);
            if (strcmp(e->field, want[i].field) == 0) {
                found = true;
                assert_int_equal(e->code, want[i].code);
                assert_true(e->line > 0 && e->column > 0);
            }
        }
        if (!found) {
            dump(&err);
            print_error("no problem for %s\n", want[i].field);
            fail();
        }
    }
    assert_int_equal(n, sizeof want / sizeof *want); /* -0 is fine */
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

static void test_huge_integers_are_out_of_range(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    postrun_status rc = parse_file(HOSTILE "run_huge_integers.yaml", &err);
    assert_true(rc < 0);
    assert_true(postrun_error_count(&err) >= 3);
    for (size_t i = 0; i < postrun_error_count(&err); i++) {
        const postrun_error *e = postrun_error_at(&err, i);
        assert_true(e->code == POSTRUN_ERR_RANGE || e->code == POSTRUN_ERR_VALUE);
        assert_true(e->line > 0);
    }
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
}

/* -0 is zero: stored, assessed and written without a sign in every format. */
static void test_negative_zero_is_zero_everywhere(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    probe p = start();
    assert_int_equal(postrun_run_load_file(&run, g_kb, HOSTILE "run_negative_zero.yaml", &err),
                     POSTRUN_OK);
    double v = 1;
    assert_int_equal(postrun_run_get_number(run, "run.elevation_gain_m", &v, &err), POSTRUN_OK);
    assert_true(v == 0);
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    for (int f = POSTRUN_FORMAT_YAML; f <= POSTRUN_FORMAT_TEXT; f++) {
        char *out = NULL;
        assert_int_equal(postrun_assessment_render(a, (postrun_format)f, POSTRUN_RENDER_EXPLAIN,
                                                   &out, NULL, &err),
                         POSTRUN_OK);
        /* "-0" alone (not "-0.5") would be a sign on nothing. */
        for (const char *q = strstr(out, "-0"); q; q = strstr(q + 1, "-0")) {
            char next = q[2];
            if (!(next == '.' && q[3] >= '0' && q[3] <= '9') && !(next >= '0' && next <= '9')) {
                print_error("format %d writes a negative zero: ...%.30s\n", f, q - 10);
                fail();
            }
            if (next == '.') {
                const char *d = q + 3;
                while (*d == '0')
                    d++;
                if (!(*d >= '1' && *d <= '9')) {
                    print_error("format %d writes a negative zero: ...%.30s\n", f, q - 10);
                    fail();
                }
            }
        }
        postrun_free(out);
    }
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 2);
}

/* ---- documents ---- */

static void test_empty_input_says_there_is_no_report(void **state)
{
    (void)state;
    static const char *const files[] = {"run_empty.yaml", "run_only_comment.yaml"};
    for (size_t i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", HOSTILE, files[i]);
        postrun_error err = POSTRUN_ERROR_INIT;
        probe p = start();
        assert_int_equal(parse_file(path, &err), POSTRUN_ERR_MISSING);
        expect(&err, POSTRUN_ERR_MISSING, 0, "no run report");
        postrun_error_clear(&err);
        stop(&p, HOSTILE_SECONDS, 1);
    }
    /* An explicitly empty document is a report with nothing in it. */
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(parse_file(HOSTILE "run_empty_document.yaml", &err), POSTRUN_ERR_MISSING);
    expect(&err, POSTRUN_ERR_MISSING, 0, "postrun: 1");
    assert_string_equal(err.field, "postrun");
    postrun_error_clear(&err);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
    size_t lh = strlen(head), lu = strlen(unit), lt = strlen(tail);
    char *s = malloc(lh + n * lu + lt + 1);
    assert_non_null(s);
    memcpy(s, head, lh);
    for (size_t i = 0; i < n; i++)
        memcpy(s + lh + i * lu, unit, lu);
    memcpy(s + lh + n * lu, tail, lt + 1);
    *len = lh + n * lu + lt;
    return s;
}

static void test_thousands_of_empty_documents_are_skipped_in_bounded_time(void **state)
{
    (void)state;
    static const char good[] = "postrun: 1\nathlete: {body_mass_kg: 60}\nrun: {duration_min: 30}\n";
    size_t len;
    char *text = repeat("", "---\n", 100000, good, &len);
    /* Read as a stream: the one report at the end, then done. */
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    probe p = start();
    assert_int_equal(postrun_run_new(&run, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_open_string(&s, g_kb, text, len, "many.yaml", &err),
                     POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_document(s), 99999);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_stream_free(s);
    postrun_run_free(run);
    stop(&p, HOSTILE_SECONDS, 1);
    /* Read as one report: the first (empty) document lacks everything, the others are extra. */
    p = start();
    assert_int_equal(parse(text, len, &err), POSTRUN_ERR_MISSING);
    bool second = false;
    for (size_t i = 0; i < postrun_error_count(&err); i++)
        second |= strstr(postrun_error_at(&err, i)->message, "second document") != NULL;
    assert_true(second);
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 1);
    free(text);

    /* A knowledge-base file is one document. */
    text = repeat("postrun_overlay: 1\n", "---\n", 10000, "", &len);
    p = start();
    assert_int_equal(load_overlay_text(text, len, &err), POSTRUN_ERR_KB);
    expect(&err, POSTRUN_ERR_KB, 2, "one YAML document");
    postrun_error_clear(&err);
    stop(&p, HOSTILE_SECONDS, 8);
    free(text);
}

static void test_a_stream_that_ends_mid_document_reports_where(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    probe p = start();
    assert_int_equal(parse_file(HOSTILE "run_ends_mid_document.yaml", &err), POSTRUN_ERR_SYNTAX);
    expect(&err, POSTRUN_ERR_SYNTAX, 0, "flow sequence");
    assert_true(err.line >= 5); /* libyaml reports the end of the input */
    assert_non_null(strstr(err.file, "hostile.yaml"));
    postrun_error_clear(&err);
    assert_int_equal(parse_file(HOSTILE "run_ends_mid_string.yaml", &err), POSTRUN_ERR_SYNTAX);
    expect(&err, POSTRUN_ERR_SYNTAX, 0, "quoted");
    postrun_error_clear(&err);

    /* In a stream, the good reports before it still come out, then the error, then done. */
    size_t len;
    char *tail = slurp(HOSTILE "run_ends_mid_document.yaml", &len);
    static const char good[] =
        "postrun: 1\nathlete: {body_mass_kg: 60}\nrun: {duration_min: 30}\n---\n";
    char *text = malloc(sizeof good + len);
    assert_non_null(text);
    memcpy(text, good, sizeof good - 1);
    memcpy(text + sizeof good - 1, tail, len);
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    assert_int_equal(postrun_run_new(&run, g_kb, &err), POSTRUN_OK);
    assert_int_equal(
        postrun_stream_open_string(&s, g_kb, text, sizeof good - 1 + len, "s.yaml", &err),
        POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_ERR_SYNTAX);
    expect(&err, POSTRUN_ERR_SYNTAX, 0, "flow sequence");
    assert_true(err.line >= 9);
    assert_int_equal(postrun_run_count(run, "symptoms"), 0);
    assert_false(postrun_run_has(run, "postrun")); /* never half a report */
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&err);
    free(text);
    free(tail);
    stop(&p, HOSTILE_SECONDS, 1);
}

/* ---- knowledge bases that contradict themselves ---- */

static void test_doses_that_refer_to_each_other_are_refused(void **state)
{
    (void)state;
    static const char *const files[] = {HOSTILE "kb_dose_cycle.yaml",
                                        HOSTILE "kb_dose_self.yaml"};
    for (size_t i = 0; i < 2; i++) {
        postrun_error err = POSTRUN_ERROR_INIT;
        probe p = start();
        assert_int_equal(load_overlay_file(files[i], &err), POSTRUN_ERR_KB);
        expect(&err, POSTRUN_ERR_KB, 6, "earlier dose");
        assert_string_equal(err.field, "rehydrate_with_sodium.doses.fluid_ml");
        postrun_error_clear(&err);
        stop(&p, HOSTILE_SECONDS, 8);
    }
}

static void test_an_overlay_that_removes_what_others_need_is_refused(void **state)
{
    (void)state;
    static const struct {
        const char *file, *words;
    } cases[] = {
        {HOSTILE "kb_disable_source.yaml", "'seed-000' is disabled"},
        {HOSTILE "kb_disable_symptom.yaml", "'cramps' is disabled"},
        {HOSTILE "kb_disable_parameter.yaml", "c_flat"},
        {HOSTILE "kb_disable_body_area.yaml", "it_band"},
        {POSTRUN_TEST_DATA "/kb/bad_disable_needed.yaml", "dehydration"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        postrun_error err = POSTRUN_ERROR_INIT;
        probe p = start();
        postrun_status rc = load_overlay_file(cases[i].file, &err);
        if (rc >= 0 || !strstr(err.message, cases[i].words)) {
            dump(&err);
            print_error("%s: wanted an error with '%s'\n", cases[i].file, cases[i].words);
            fail();
        }
        postrun_error_clear(&err);
        stop(&p, HOSTILE_SECONDS, 8);
    }
}

/* Nothing in a bad run or knowledge base may leave a half-made object behind: the objects a
 * caller already holds keep working after each of the inputs above. */
static void test_objects_keep_working_after_hostile_input(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, g_kb, &err), POSTRUN_OK);
    assert_int_equal(
        postrun_run_load_file(&run, g_kb,
                              ROOT "/examples/runs/01_warm_long_run_muscles_smaller.yaml", &err),
        POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    char *before = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, &before, NULL, &err),
                     POSTRUN_OK);
    /* A run that fails to assess empties the assessment... */
    postrun_run *bad = NULL;
    assert_int_equal(postrun_run_parse(&bad, NULL, "postrun: 1\n", 11, "b", &err), POSTRUN_ERR_MISSING);
    assert_int_equal(postrun_run_new(&bad, NULL, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_append(bad, "symptoms", "no_such_symptom", &err), POSTRUN_OK);
    assert_true(postrun_assess(a, bad, &err) < 0);
    assert_int_equal(postrun_assessment_cause_count(a), 0);
    char *none = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, &none, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_null(none);
    /* ...and the next good one gives what it gave. */
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    char *after = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, &after, NULL, &err),
                     POSTRUN_OK);
    assert_string_equal(before, after);
    postrun_free(before);
    postrun_free(after);
    postrun_run_free(bad);
    postrun_run_free(run);
    postrun_assessment_free(a);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_alias_bomb_in_a_run_is_refused_at_the_first_alias),
        cmocka_unit_test(test_an_alias_bomb_in_a_kb_overlay_is_refused_at_the_first_alias),
        cmocka_unit_test(test_100k_deep_nesting_in_a_run_is_refused),
        cmocka_unit_test(test_100k_deep_nesting_in_a_kb_overlay_is_refused),
        cmocka_unit_test(test_deep_conditions_and_formulas_are_refused_by_the_compiler),
        cmocka_unit_test(test_a_100_MB_scalar_in_a_run_is_refused),
        cmocka_unit_test(test_a_stream_of_documents_near_the_size_limit_is_read_whole),
        cmocka_unit_test(test_a_100_MB_scalar_in_a_kb_overlay_is_refused),
        cmocka_unit_test(test_a_knowledge_base_with_too_many_values_is_refused),
        cmocka_unit_test(test_a_run_with_thousands_of_problems_reports_at_most_a_hundred),
        cmocka_unit_test(test_invalid_utf8_is_a_syntax_error_where_it_stands),
        cmocka_unit_test(test_nul_bytes_are_refused_where_they_stand),
        cmocka_unit_test(test_a_utf8_byte_order_mark_is_accepted),
        cmocka_unit_test(test_a_utf16_byte_order_mark_says_the_text_is_not_utf8),
        cmocka_unit_test(test_a_byte_order_mark_inside_a_document_is_a_syntax_error),
        cmocka_unit_test(test_tabs_for_indentation_are_a_syntax_error_at_the_tab),
        cmocka_unit_test(test_duplicate_keys_are_each_reported_with_their_path),
        cmocka_unit_test(test_nan_infinity_and_overflow_are_out_of_range),
        cmocka_unit_test(test_huge_integers_are_out_of_range),
        cmocka_unit_test(test_negative_zero_is_zero_everywhere),
        cmocka_unit_test(test_empty_input_says_there_is_no_report),
        cmocka_unit_test(test_thousands_of_empty_documents_are_skipped_in_bounded_time),
        cmocka_unit_test(test_a_stream_that_ends_mid_document_reports_where),
        cmocka_unit_test(test_doses_that_refer_to_each_other_are_refused),
        cmocka_unit_test(test_an_overlay_that_removes_what_others_need_is_refused),
        cmocka_unit_test(test_objects_keep_working_after_hostile_input),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
