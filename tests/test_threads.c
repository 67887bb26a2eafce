/*
 * One knowledge base shared by many threads, each with its own runs and assessment (YARA's
 * rules/scanner split): every thread must get exactly what one thread alone gets, for good
 * runs and bad ones (whose did-you-mean messages read the shared vocabulary). Run under
 * ThreadSanitizer by the `tsan` build of .ci/run; under the other builds it checks results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postrun.h"

#define ROOT POSTRUN_SOURCE_ROOT
#define DATA POSTRUN_TEST_DATA

#define N_THREADS 8

static const char *const INPUTS[] = {
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
    DATA "/runs/bad_unknown_symptom.yaml",
    DATA "/runs/bad_unknown_observation.yaml",
    DATA "/runs/bad_unknown_body_area.yaml",
    DATA "/runs/bad_many_problems.yaml",
    DATA "/runs/bad_syntax.yaml",
};
#define N_INPUTS (sizeof INPUTS / sizeof *INPUTS)

/* What one input gives: every output format, or every problem, as one text. */
static char *outcome(const postrun_kb *kb, postrun_assessment *a, const char *path,
                     bool vocab_at_parse)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    char *result = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&result, &size);
    if (!out)
        return NULL;
    postrun_status rc = postrun_run_load_file(&run, vocab_at_parse ? kb : NULL, path, &err);
    if (rc == POSTRUN_OK)
        rc = postrun_assess(a, run, &err);
    if (rc == POSTRUN_OK) {
        static const postrun_format formats[] = {POSTRUN_FORMAT_YAML, POSTRUN_FORMAT_JSON,
                                                 POSTRUN_FORMAT_TEXT};
        for (size_t f = 0; f < 3; f++) {
            char *text = NULL;
            size_t len = 0;
            rc = postrun_assessment_render(a, formats[f], POSTRUN_RENDER_EXPLAIN, &text, &len,
                                           &err);
            fprintf(out, "[%d] %d\n%s\n", (int)f, (int)rc, text ? text : "");
            postrun_free(text);
        }
        postrun_cause c = POSTRUN_CAUSE_INIT;
        for (size_t i = 0; postrun_assessment_cause(a, i, &c) == POSTRUN_OK; i++)
            fprintf(out, "cause %s %.17g\n", c.id, c.score);
    } else {
        fprintf(out, "status %d\n", (int)rc);
        for (size_t i = 0; i < postrun_error_count(&err); i++) {
            char line[1200];
            postrun_error_format(postrun_error_at(&err, i), line, sizeof line);
            fprintf(out, "%s\n", line);
        }
    }
    /* Read-only queries of the shared knowledge base too. */
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    if (postrun_kb_entry(kb, "dehydration", &info) == POSTRUN_OK)
        fprintf(out, "entry %s %s:%u\n", info.name, info.file, (unsigned)info.line);
    postrun_run_free(run);
    postrun_error_clear(&err);
    fclose(out);
    return result;
}

typedef struct worker {
    pthread_t thread;
    const postrun_kb *kb;
    char *const *expected; /* [N_INPUTS * 2] */
    int index;
    int rounds;
    int mismatches;
    int failures;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_assessment *a = NULL;
    if (postrun_assessment_new(&a, w->kb, &err) != POSTRUN_OK) {
        w->failures++;
        return NULL;
    }
    for (int r = 0; r < w->rounds; r++) {
        /* Each thread walks the inputs in its own order, so threads overlap differently. */
        for (size_t k = 0; k < N_INPUTS * 2; k++) {
            size_t j = (k * 7 + (size_t)w->index * 3 + (size_t)r) % (N_INPUTS * 2);
            char *got = outcome(w->kb, a, INPUTS[j / 2], j % 2);
            if (!got)
                w->failures++;
            else if (strcmp(got, w->expected[j]) != 0)
                w->mismatches++;
            free(got);
        }
    }
    postrun_assessment_free(a);
    postrun_error_clear(&err);
    return NULL;
}

static void test_threads_sharing_one_kb_get_what_one_thread_gets(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);

    /* The reference, single-threaded, from a fresh assessment per input. */
    char *expected[N_INPUTS * 2];
    for (size_t j = 0; j < N_INPUTS * 2; j++) {
        postrun_assessment *a = NULL;
        assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
        expected[j] = outcome(kb, a, INPUTS[j / 2], j % 2);
        assert_non_null(expected[j]);
        postrun_assessment_free(a);
    }
    /* Good runs were assessed, bad ones reported with a suggestion from the vocabulary. */
    assert_non_null(strstr(expected[0], "\"causes\""));
    assert_non_null(strstr(expected[2 * 10], "did you mean"));

    worker w[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (worker){.kb = kb, .expected = expected, .index = i, .rounds = 3};
        assert_int_equal(pthread_create(&w[i].thread, NULL, work, &w[i]), 0);
    }
    int mismatches = 0, failures = 0;
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(w[i].thread, NULL), 0);
        mismatches += w[i].mismatches;
        failures += w[i].failures;
    }
    assert_int_equal(failures, 0);
    assert_int_equal(mismatches, 0);
    for (size_t j = 0; j < N_INPUTS * 2; j++)
        free(expected[j]);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

/* Loading knowledge bases in parallel (each thread its own) shares nothing either. */
static void *load(void *arg)
{
    int *ok = arg;
    static const char overlay[] = "postrun_overlay: 1\nparameters:\n  - id: c_flat\n"
                                  "    value: 0.9\n";
    for (int r = 0; r < 3; r++) {
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_kb_builder *b = NULL;
        postrun_kb *kb = NULL;
        double v = 0;
        if (postrun_kb_builder_new(&b, &err) == POSTRUN_OK &&
            postrun_kb_builder_add_default(b, &err) == POSTRUN_OK &&
            postrun_kb_builder_add_overlay_string(b, "o.yaml", overlay, strlen(overlay), &err) ==
                POSTRUN_OK &&
            postrun_kb_builder_build(b, &kb, &err) == POSTRUN_OK &&
            postrun_kb_parameter(kb, "c_flat", &v, NULL, NULL) == POSTRUN_OK && v == 0.9)
            ++*ok;
        postrun_kb_free(kb);
        postrun_kb_builder_free(b);
        postrun_error_clear(&err);
    }
    return NULL;
}

static void test_threads_loading_their_own_kbs_do_not_interfere(void **state)
{
    (void)state;
    pthread_t t[4];
    int ok[4] = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, load, &ok[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(ok[i], 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_sharing_one_kb_get_what_one_thread_gets),
        cmocka_unit_test(test_threads_loading_their_own_kbs_do_not_interfere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
