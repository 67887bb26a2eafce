/*
 * Out of memory, SQLite style: an allocator that fails the Nth allocation, for every N, across
 * knowledge-base loading, run parsing, streams, assessment and rendering. Each call must
 * return POSTRUN_ERR_NOMEM (or the error it gives anyway), write nothing to its out-parameter,
 * leak nothing, and leave the objects it was given usable: the same call without the failure
 * then gives exactly what it gives on a fresh object.
 *
 * POSTRUN_OOM_STRIDE=k tries every k-th N only (the valgrind setup uses it: each N reloads a
 * knowledge base, and memcheck is slow).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "count_alloc.h"
#include "postrun.h"

#define ROOT POSTRUN_SOURCE_ROOT
#define DATA POSTRUN_TEST_DATA

/* ---- the failing allocator, installed once for the whole program ---- */

static counting_alloc g_oom;

static void oom_arm(long fail_at, bool persistent)
{
    g_oom.fail_at = fail_at;
    g_oom.persistent = persistent;
    g_oom.calls = 0;
    g_oom.failures = 0;
}

static void oom_disarm(void) { g_oom.fail_at = 0; }

static long stride(void)
{
    const char *s = getenv("POSTRUN_OOM_STRIDE");
    long k = s ? atol(s) : 1;
    return k > 0 ? k : 1;
}

/* Runs `step` with allocation N failing, for N = 1, 1 + stride, ... until a run needs fewer
 * than N allocations. `step` returns true when it completed without any failure injected. */
typedef bool (*oom_step)(void *ctx, long n);

static long g_injected; /* failure points tried, reported at the end */

static long for_every_n(oom_step step, void *ctx, bool persistent)
{
    long k = stride(), n;
    for (n = 1;; n += k) {
        long live = g_oom.live;
        oom_arm(n, persistent);
        bool done = step(ctx, n);
        oom_disarm();
        if (g_oom.live != live) {
            print_error("allocation %ld failed: %ld block(s) leaked\n", n, g_oom.live - live);
            fail();
        }
        if (done)
            break;
        assert_true(g_oom.failures > 0);
        g_injected++;
    }
    return n;
}

/* The rc of a call made while the allocator was armed: NOMEM when an allocation failed (or
 * `normal`, the call's result without failures, when the failure could be absorbed). */
static void expect_nomem_or(postrun_status rc, const postrun_error *err, postrun_status normal)
{
    if (g_oom.failures == 0) {
        assert_int_equal(rc, normal);
        return;
    }
    if (rc != POSTRUN_ERR_NOMEM && rc != normal) {
        print_error("allocation %ld failed: got %d (%s), wanted %d or out of memory\n",
                    g_oom.fail_at, (int)rc, err ? err->message : "", (int)normal);
        fail();
    }
    if (rc == POSTRUN_ERR_NOMEM && err) {
        /* The record says so too, among the problems found before memory ran out. */
        bool found = false;
        for (size_t i = 0; i < postrun_error_count(err); i++)
            found |= postrun_error_at(err, i)->code == POSTRUN_ERR_NOMEM;
        if (!found) {
            print_error("allocation %ld failed: out of memory, but the record says %d: %s\n",
                        g_oom.fail_at, (int)err->code, err->message);
            fail();
        }
    }
}

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

static const char *const EXAMPLES[] = {
    ROOT "/examples/runs/01_warm_long_run_muscles_smaller.yaml",
    ROOT "/examples/runs/02_hard_race_feeling_dead.yaml",
    ROOT "/examples/runs/03_tight_legs_no_warmup_cooldown.yaml",
    ROOT "/examples/runs/04_aching_two_days_after_hilly_race.yaml",
    ROOT "/examples/runs/05_twitching_after_hot_long_run.yaml",
    ROOT "/examples/runs/06_weigh_in_gain_headache_hyponatremia.yaml",
    ROOT "/examples/runs/07_cola_coloured_urine_severe_aching.yaml",
    ROOT "/examples/runs/08_cramps_salty_sweater.yaml",
    ROOT "/examples/runs/09_novice_mileage_jump.yaml",
    ROOT "/examples/runs/10_cold_easy_run_no_symptoms.yaml",
    ROOT "/examples/runs/11_shin_pain_on_hopping.yaml",
};

static postrun_kb *g_kb;

static int group_setup(void **state)
{
    (void)state;
    postrun_set_allocator(counting_fn, &g_oom);
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
    fprintf(stderr, "%ld allocation failures injected\n", g_injected);
    return g_oom.live == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    oom_disarm();
    g_oom.poison = false;
    return 0;
}

/* ---- knowledge bases ---- */

typedef struct kb_case {
    const char *path;            /* NULL: the bundled files */
    const char *const *overlays;
    size_t n_overlays;
    postrun_status normal;
} kb_case;

static bool kb_load_step(void *ctx, long n)
{
    (void)n;
    kb_case *k = ctx;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = (postrun_kb *)&err;
    postrun_status rc = postrun_kb_load(&kb, k->path, k->overlays, k->n_overlays, &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    expect_nomem_or(rc, &err, k->normal);
    if (rc == POSTRUN_OK) {
        assert_true(kb != NULL && kb != (postrun_kb *)&err);
        assert_int_equal(postrun_kb_count(kb, POSTRUN_KIND_CAUSE),
                         postrun_kb_count(g_kb, POSTRUN_KIND_CAUSE));
        postrun_kb_free(kb);
    } else {
        assert_null(kb); /* never a half-built knowledge base */
    }
    postrun_error_clear(&err);
    return done;
}

static void test_bundled_kb_load_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    kb_case k = {NULL, NULL, 0, POSTRUN_OK};
    assert_true(for_every_n(kb_load_step, &k, false) > 100);
}

static void test_kb_load_from_files_with_an_overlay_fails_cleanly_at_every_allocation(void **s)
{
    (void)s;
    static const char *const ov[] = {ROOT "/examples/kb-overlay/coach.yaml"};
    kb_case k = {ROOT "/data", ov, 1, POSTRUN_OK};
    assert_true(for_every_n(kb_load_step, &k, false) > 100);
}

static void test_kb_load_that_fails_anyway_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    static const char *const ov[] = {DATA "/kb/bad_dangling_reference.yaml",
                                     DATA "/kb/bad_disable_needed.yaml"};
    kb_case k = {NULL, ov, 2, POSTRUN_OK};
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    k.normal = postrun_kb_load(&kb, NULL, ov, 2, &err);
    assert_true(k.normal < 0 && k.normal != POSTRUN_ERR_NOMEM);
    postrun_error_clear(&err);
    for_every_n(kb_load_step, &k, false);
}

static void test_kb_load_survives_memory_that_stays_exhausted(void **state)
{
    (void)state;
    kb_case k = {NULL, NULL, 0, POSTRUN_OK};
    for_every_n(kb_load_step, &k, true);
}

/* A builder that ran out of memory while adding or building goes on: the same build then
 * succeeds. */
/* ctx non-NULL: the base files come from the data directory, not the embedded copy. */
static postrun_status add_base(postrun_kb_builder *b, const char *dir, postrun_error *err)
{
    return dir ? postrun_kb_builder_add_path(b, dir, err)
               : postrun_kb_builder_add_default(b, err);
}

static bool builder_step(void *ctx, long n)
{
    const char *dir = ctx;
    (void)n;
    static const char overlay[] = "postrun_overlay: 1\nparameters:\n  - id: c_flat\n"
                                  "    value: 0.9\n";
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    postrun_status rc = postrun_kb_builder_new(&b, &err);
    if (rc != POSTRUN_OK) {
        bool done = g_oom.failures == 0;
        oom_disarm();
        assert_int_equal(rc, POSTRUN_ERR_NOMEM);
        assert_null(b);
        postrun_error_clear(&err);
        return done;
    }
    bool added_default = add_base(b, dir, &err) == POSTRUN_OK;
    bool added_overlay =
        postrun_kb_builder_add_overlay_string(b, "coach.yaml", overlay, strlen(overlay), &err) ==
        POSTRUN_OK;
    postrun_kb *kb = NULL;
    rc = postrun_kb_builder_build(b, &kb, &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    if (added_default && added_overlay)
        expect_nomem_or(rc, &err, POSTRUN_OK);
    postrun_kb_free(kb);
    /* Now without failures: what was not added is added, and the build succeeds. */
    if (!added_default)
        assert_int_equal(add_base(b, dir, &err), POSTRUN_OK);
    if (!added_overlay)
        assert_int_equal(
            postrun_kb_builder_add_overlay_string(b, "coach.yaml", overlay, strlen(overlay), &err),
            POSTRUN_OK);
    kb = NULL;
    assert_int_equal(postrun_kb_builder_build(b, &kb, &err), POSTRUN_OK);
    double v = 0;
    assert_int_equal(postrun_kb_parameter(kb, "c_flat", &v, NULL, NULL), POSTRUN_OK);
    assert_true(v == 0.9);
    postrun_kb_free(kb);
    postrun_kb_builder_free(b);
    postrun_error_clear(&err);
    return done;
}

/* Regression: an add that ran out of memory half-way kept the files it had added, so adding
 * again gave duplicate ids (and building without retrying, a half knowledge base). */
static void test_a_builder_that_ran_out_of_memory_can_build_again(void **state)
{
    (void)state;
    for_every_n(builder_step, NULL, false);
    for_every_n(builder_step, (void *)(ROOT "/data"), false);
}

/* ---- run reports ---- */

typedef struct run_case {
    const char *text;
    size_t len;
    const postrun_kb *kb;
    postrun_status normal;
    postrun_error normal_err;
} run_case;

static bool run_parse_step(void *ctx, long n)
{
    (void)n;
    run_case *c = ctx;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = (postrun_run *)&err;
    postrun_status rc = postrun_run_parse(&run, c->kb, c->text, c->len, "r.yaml", &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    expect_nomem_or(rc, &err, c->normal);
    if (rc == POSTRUN_OK)
        postrun_run_free(run);
    else
        assert_ptr_equal(run, (postrun_run *)&err); /* nothing written on error */
    if (rc == c->normal && rc != POSTRUN_OK) {
        /* Same first problem as without failures (later ones may have been dropped). */
        assert_int_equal(err.line, c->normal_err.line);
        assert_string_equal(err.message, c->normal_err.message);
    }
    postrun_error_clear(&err);
    return done;
}

static void run_parse_case(const char *path, const postrun_kb *kb)
{
    run_case c = {0};
    char *text = slurp(path, &c.len);
    c.text = text;
    c.kb = kb;
    postrun_run *run = NULL;
    c.normal = postrun_run_parse(&run, kb, text, c.len, "r.yaml", &c.normal_err);
    postrun_run_free(run);
    for_every_n(run_parse_step, &c, false);
    postrun_error_clear(&c.normal_err);
    free(text);
}

static void test_run_parsing_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof EXAMPLES / sizeof *EXAMPLES; i++) {
        run_parse_case(EXAMPLES[i], g_kb);
        run_parse_case(EXAMPLES[i], NULL);
    }
}

static void test_bad_run_parsing_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    static const char *const bad[] = {
        DATA "/runs/bad_many_problems.yaml", DATA "/runs/bad_syntax.yaml",
        DATA "/runs/bad_duplicate_key.yaml", DATA "/runs/bad_alias.yaml",
        DATA "/runs/bad_unknown_symptom.yaml", DATA "/runs/bad_two_documents.yaml",
        DATA "/runs/bad_deep_nesting.yaml", DATA "/runs/bad_empty.yaml",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        run_parse_case(bad[i], g_kb);
}

/* A stream of reports read into one run: a document that ran out of memory leaves the run
 * empty (never half a report), and reading a fresh stream into it then gives what it gives
 * on a fresh run. */
typedef struct stream_case {
    const char *text;
    size_t len;
    size_t docs_ok;
} stream_case;

static bool stream_step(void *ctx, long n)
{
    (void)n;
    stream_case *c = ctx;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    postrun_status rc = postrun_run_new(&run, g_kb, &err);
    if (rc == POSTRUN_OK)
        rc = postrun_stream_open_string(&s, g_kb, c->text, c->len, "season.yaml", &err);
    size_t ok = 0;
    bool nomem = false;
    while (rc == POSTRUN_OK) {
        rc = postrun_stream_next(s, run, &err);
        if (rc == POSTRUN_OK)
            ok++;
        else if (rc == POSTRUN_ERR_NOMEM) {
            nomem = true;
            assert_false(postrun_run_has(run, "postrun"));
            assert_int_equal(postrun_run_count(run, "symptoms"), 0);
        } else if (rc != POSTRUN_DONE)
            rc = POSTRUN_OK; /* a bad document: go on */
    }
    bool done = g_oom.failures == 0;
    oom_disarm();
    if (rc == POSTRUN_ERR_NOMEM)
        nomem = true;
    assert_true(done ? ok == c->docs_ok : nomem || ok <= c->docs_ok);
    if (run) {
        /* The run is reusable. */
        postrun_stream *s2 = NULL;
        assert_int_equal(postrun_stream_open_string(&s2, g_kb, c->text, c->len, "s", &err),
                         POSTRUN_OK);
        size_t ok2 = 0;
        postrun_status r2;
        while ((r2 = postrun_stream_next(s2, run, &err)) != POSTRUN_DONE)
            ok2 += r2 == POSTRUN_OK;
        assert_int_equal(ok2, c->docs_ok);
        postrun_stream_free(s2);
    }
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&err);
    return done;
}

static void test_streams_fail_cleanly_at_every_allocation(void **state)
{
    (void)state;
    stream_case c;
    char *text = slurp(ROOT "/examples/runs/season.yaml", &c.len);
    c.text = text;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    assert_int_equal(postrun_run_new(&run, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_open_string(&s, g_kb, text, c.len, "s", &err), POSTRUN_OK);
    c.docs_ok = 0;
    postrun_status r;
    while ((r = postrun_stream_next(s, run, &err)) != POSTRUN_DONE)
        c.docs_ok += r == POSTRUN_OK;
    assert_true(c.docs_ok >= 2);
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&err);
    for_every_n(stream_step, &c, false);
    free(text);
}

static bool path_api_step(void *ctx, long n)
{
    (void)ctx;
    (void)n;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = (postrun_run *)&err;
    postrun_status rc = postrun_run_new(&run, g_kb, &err);
    if (rc != POSTRUN_OK) {
        bool done = g_oom.failures == 0;
        oom_disarm();
        assert_int_equal(rc, POSTRUN_ERR_NOMEM);
        assert_ptr_equal(run, (postrun_run *)&err);
        postrun_error_clear(&err);
        return done;
    }
    /* Setters and getters allocate nothing, even when they report problems. */
    postrun_run_set_number(run, "postrun", 1, &err);
    postrun_run_set_number(run, "athlete.body_mass_kg", 68, &err);
    postrun_run_set_number(run, "run.duration_min", 95, &err);
    postrun_run_append(run, "symptoms", "cramps", &err);
    postrun_run_append(run, "symptoms", "crampz", &err);
    postrun_run_append(run, "symptoms[0].where", "calves", &err);
    postrun_run_set_string(run, "run.intensity", "hardd", &err);
    postrun_run_set_bool(run, "observations.numbness", 1, &err);
    postrun_run_apply_defaults(run, &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    assert_true(done);
    assert_int_equal(postrun_run_validate(run, &err), POSTRUN_OK);
    postrun_run_free(run);
    postrun_error_clear(&err);
    return done;
}

static void test_building_a_run_through_paths_fails_cleanly(void **state)
{
    (void)state;
    for_every_n(path_api_step, NULL, false);
}

/* ---- assessments and rendering ---- */

static bool assessment_new_step(void *ctx, long n)
{
    (void)ctx;
    (void)n;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_assessment *a = (postrun_assessment *)&err;
    postrun_status rc = postrun_assessment_new(&a, g_kb, &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    expect_nomem_or(rc, &err, POSTRUN_OK);
    if (rc == POSTRUN_OK)
        postrun_assessment_free(a);
    else
        assert_null(a);
    postrun_error_clear(&err);
    return done;
}

static void test_assessment_objects_fail_cleanly_at_every_allocation(void **state)
{
    (void)state;
    for_every_n(assessment_new_step, NULL, false);
}

typedef struct render_case {
    postrun_assessment *a;
    const postrun_run *run;
    postrun_format format;
    unsigned flags;
    const char *reference;
} render_case;

/* Each step assesses again (a failed render must not spoil the next assessment either). */
static bool render_step(void *ctx, long n)
{
    (void)n;
    render_case *c = ctx;
    postrun_error err = POSTRUN_ERROR_INIT;
    oom_disarm();
    assert_int_equal(postrun_assess(c->a, c->run, &err), POSTRUN_OK);
    oom_arm(n, false);
    char *out = (char *)&err;
    size_t len = 0;
    postrun_status rc = postrun_assessment_render(c->a, c->format, c->flags, &out, &len, &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    expect_nomem_or(rc, &err, POSTRUN_OK);
    if (rc == POSTRUN_OK) {
        assert_string_equal(out, c->reference);
        postrun_free(out);
    } else {
        assert_null(out);
        /* The assessment is still whole: rendering again gives the reference. */
        assert_int_equal(postrun_assessment_render(c->a, c->format, c->flags, &out, &len, &err),
                         POSTRUN_OK);
        assert_string_equal(out, c->reference);
        assert_int_equal(len, strlen(c->reference));
        postrun_free(out);
    }
    postrun_error_clear(&err);
    return done;
}

static void test_rendering_every_format_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    static const struct {
        postrun_format format;
        unsigned flags;
    } outputs[] = {
        {POSTRUN_FORMAT_YAML, 0},
        {POSTRUN_FORMAT_JSON, 0},
        {POSTRUN_FORMAT_JSON, POSTRUN_RENDER_COMPACT},
        {POSTRUN_FORMAT_TEXT, 0},
        {POSTRUN_FORMAT_TEXT, POSTRUN_RENDER_EXPLAIN | POSTRUN_RENDER_COLOR},
    };
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, g_kb, &err), POSTRUN_OK);
    for (size_t i = 0; i < sizeof EXAMPLES / sizeof *EXAMPLES; i++) {
        postrun_run *run = NULL;
        assert_int_equal(postrun_run_load_file(&run, g_kb, EXAMPLES[i], &err), POSTRUN_OK);
        for (size_t f = 0; f < sizeof outputs / sizeof *outputs; f++) {
            /* The reference comes from a fresh assessment object. */
            postrun_assessment *fresh = NULL;
            char *ref = NULL;
            assert_int_equal(postrun_assessment_new(&fresh, g_kb, &err), POSTRUN_OK);
            assert_int_equal(postrun_assess(fresh, run, &err), POSTRUN_OK);
            assert_int_equal(postrun_assessment_render(fresh, outputs[f].format,
                                                       outputs[f].flags, &ref, NULL, &err),
                             POSTRUN_OK);
            postrun_assessment_free(fresh);
            /* `a` keeps its text buffer from one assessment to the next (it is not a leak):
             * let it grow to what this run needs before counting blocks. */
            char *warm = NULL;
            assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
            assert_int_equal(postrun_assessment_render(a, outputs[f].format, outputs[f].flags,
                                                       &warm, NULL, &err),
                             POSTRUN_OK);
            postrun_free(warm);
            render_case c = {a, run, outputs[f].format, outputs[f].flags, ref};
            for_every_n(render_step, &c, false);
            postrun_free(ref);
        }
        postrun_run_free(run);
    }
    postrun_assessment_free(a);
    postrun_error_clear(&err);
}

/* Writing through a callback renders the lazy texts; when that runs out of memory the call
 * says so and the next one works. */
static int to_file(void *ud, const char *data, size_t len)
{
    return fwrite(data, 1, len, ud) == len ? 0 : -1;
}

typedef struct accessor_case {
    postrun_assessment *a;
    const postrun_run *run;
    size_t n_flags, n_recs, n_miscs, n_assumptions, n_notes;
} accessor_case;

static bool accessor_step(void *ctx, long n)
{
    accessor_case *c = ctx;
    postrun_error err = POSTRUN_ERROR_INIT;
    oom_disarm();
    assert_int_equal(postrun_assess(c->a, c->run, &err), POSTRUN_OK);
    oom_arm(n, false);
    /* The first accessor that needs texts renders them all. */
    bool any_failed = false;
    for (size_t i = 0; i < c->n_recs; i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        postrun_status rc = postrun_assessment_recommendation(c->a, i, &r);
        assert_true(rc == POSTRUN_OK || rc == POSTRUN_ERR_NOMEM);
        any_failed |= rc != POSTRUN_OK;
    }
    for (size_t i = 0; i < c->n_flags; i++) {
        postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
        postrun_status rc = postrun_assessment_red_flag(c->a, i, &f);
        assert_true(rc == POSTRUN_OK || rc == POSTRUN_ERR_NOMEM);
        any_failed |= rc != POSTRUN_OK;
    }
    for (size_t i = 0; i < c->n_miscs; i++) {
        const char *id, *text;
        postrun_status rc = postrun_assessment_misconception(c->a, i, &id, &text);
        assert_true(rc == POSTRUN_OK || rc == POSTRUN_ERR_NOMEM);
        any_failed |= rc != POSTRUN_OK;
    }
    for (size_t i = 0; i < c->n_assumptions; i++)
        any_failed |= postrun_assessment_assumption(c->a, i) == NULL;
    for (size_t i = 0; i < c->n_notes; i++)
        any_failed |= postrun_assessment_note(c->a, i) == NULL;
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);
    postrun_status wr =
        postrun_assessment_write(c->a, POSTRUN_FORMAT_TEXT, POSTRUN_RENDER_EXPLAIN, to_file,
                                 null, &err);
    bool done = g_oom.failures == 0;
    oom_disarm();
    expect_nomem_or(wr, &err, POSTRUN_OK);
    assert_true(done || any_failed || wr == POSTRUN_ERR_NOMEM || g_oom.failures > 0);
    /* Every accessor works again. */
    for (size_t i = 0; i < c->n_recs; i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(c->a, i, &r), POSTRUN_OK);
        assert_true(strlen(r.text) > 0);
    }
    for (size_t i = 0; i < c->n_assumptions; i++)
        assert_non_null(postrun_assessment_assumption(c->a, i));
    assert_int_equal(postrun_assessment_write(c->a, POSTRUN_FORMAT_TEXT, 0, to_file, null, &err),
                     POSTRUN_OK);
    fclose(null);
    postrun_error_clear(&err);
    return done;
}

static void test_lazy_texts_and_writing_fail_cleanly_at_every_allocation(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    accessor_case c = {0};
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_load_file(&run, g_kb, EXAMPLES[10], &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&c.a, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(c.a, run, &err), POSTRUN_OK);
    c.run = run;
    c.n_flags = postrun_assessment_red_flag_count(c.a);
    c.n_recs = postrun_assessment_recommendation_count(c.a);
    c.n_miscs = postrun_assessment_misconception_count(c.a);
    c.n_assumptions = postrun_assessment_assumption_count(c.a);
    c.n_notes = postrun_assessment_note_count(c.a);
    assert_true(c.n_flags > 0 && c.n_recs > 0);
    assert_non_null(postrun_assessment_note(c.a, 0)); /* grows the text buffer (see above) */
    for_every_n(accessor_step, &c, false);
    postrun_assessment_free(c.a);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

/* ---- the error record ---- */

/* A record that cannot grow keeps its first problem and the call's code. */
static void test_an_error_record_that_cannot_grow_keeps_the_first_problem(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(DATA "/runs/bad_many_problems.yaml", &len);
    postrun_error ref = POSTRUN_ERROR_INIT, err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_status normal = postrun_run_parse(&run, g_kb, text, len, "r.yaml", &ref);
    assert_true(postrun_error_count(&ref) > 5);
    /* Fail every allocation after the document's own: the record's growth fails. */
    for (long n = 1; n < 64; n++) {
        long live = g_oom.live;
        oom_arm(n, true);
        postrun_status rc = postrun_run_parse(&run, g_kb, text, len, "r.yaml", &err);
        oom_disarm();
        assert_true(rc == normal || rc == POSTRUN_ERR_NOMEM);
        assert_true(err.code != POSTRUN_OK);
        assert_true(err.message[0] != '\0');
        /* At most one more: the out-of-memory problem itself. */
        assert_true(postrun_error_count(&err) <= postrun_error_count(&ref) + 1);
        postrun_error_clear(&err);
        assert_int_equal(g_oom.live, live);
    }
    postrun_error_clear(&ref);
    free(text);
}

/* ---- regressions ---- */

/*
 * Regression: the knowledge base's id lists (for "did you mean") pointed into the parsed YAML
 * files, which the build frees; a run with an unknown symptom then read freed memory. ASan
 * found it in test_infer; this allocator scribbles over freed blocks, so the suggestion is
 * wrong (or the read crashes) in any build if the bug returns.
 */
static void test_kb_vocabulary_outlives_the_files_it_was_built_from(void **state)
{
    (void)state;
    g_oom.poison = true;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    static const char text[] = "postrun: 1\nathlete: {body_mass_kg: 60}\n"
                               "run: {duration_min: 30}\nsymptoms: [fatigeu]\n"
                               "observations: {urine_colur: 3}\n";
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_parse(&run, kb, text, strlen(text), "r.yaml", &err),
                     POSTRUN_ERR_UNKNOWN_ID);
    assert_non_null(strstr(err.message, "did you mean 'fatigue'"));
    const postrun_error *second = postrun_error_at(&err, 1);
    assert_non_null(second);
    assert_non_null(strstr(second->message, "did you mean 'urine_colour'"));
    /* And at assessment time, for a run built without the vocabulary. */
    assert_int_equal(postrun_run_parse(&run, NULL, text, strlen(text), "r.yaml", &err),
                     POSTRUN_OK);
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_ERR_UNKNOWN_ID);
    assert_non_null(strstr(err.message, "did you mean 'fatigue'"));
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bundled_kb_load_fails_cleanly_at_every_allocation,
                                  teardown),
        cmocka_unit_test_teardown(
            test_kb_load_from_files_with_an_overlay_fails_cleanly_at_every_allocation, teardown),
        cmocka_unit_test_teardown(
            test_kb_load_that_fails_anyway_fails_cleanly_at_every_allocation, teardown),
        cmocka_unit_test_teardown(test_kb_load_survives_memory_that_stays_exhausted, teardown),
        cmocka_unit_test_teardown(test_a_builder_that_ran_out_of_memory_can_build_again,
                                  teardown),
        cmocka_unit_test_teardown(test_run_parsing_fails_cleanly_at_every_allocation, teardown),
        cmocka_unit_test_teardown(test_bad_run_parsing_fails_cleanly_at_every_allocation,
                                  teardown),
        cmocka_unit_test_teardown(test_streams_fail_cleanly_at_every_allocation, teardown),
        cmocka_unit_test_teardown(test_building_a_run_through_paths_fails_cleanly, teardown),
        cmocka_unit_test_teardown(test_assessment_objects_fail_cleanly_at_every_allocation,
                                  teardown),
        cmocka_unit_test_teardown(test_rendering_every_format_fails_cleanly_at_every_allocation,
                                  teardown),
        cmocka_unit_test_teardown(test_lazy_texts_and_writing_fail_cleanly_at_every_allocation,
                                  teardown),
        cmocka_unit_test_teardown(
            test_an_error_record_that_cannot_grow_keeps_the_first_problem, teardown),
        cmocka_unit_test_teardown(test_kb_vocabulary_outlives_the_files_it_was_built_from,
                                  teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
