/*
 * Streams of run reports: every document in turn into the caller's run, bad documents reported
 * with their positions while the stream goes on, syntax errors ending it, constant memory over
 * long streams, and out-of-memory behaviour.
 */
#include "test_helpers.h"

#include <stdbool.h>

#include "vocab_stub.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define DOC(mass) "postrun: 1\nathlete: {body_mass_kg: " #mass "}\nrun: {duration_min: 45}\n"

static postrun_stream *open_text(const char *text, const postrun_kb *kb)
{
    postrun_stream *s = NULL;
    assert_int_equal(postrun_stream_open_string(&s, kb, text, strlen(text), "season.yaml", NULL),
                     POSTRUN_OK);
    assert_non_null(s);
    return s;
}

static postrun_run *new_run(void)
{
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_new(&run, NULL, NULL), POSTRUN_OK);
    return run;
}

static void test_season_example_reads_every_run_in_order(void **state)
{
    (void)state;
    static const char *const ids[] = {"2026-03-01-easy",      "2026-03-04-intervals",
                                      "2026-03-08-long",      "2026-03-10-doms",
                                      "2026-03-15-hot-tempo", "2026-03-22-half-race"};
    char path[512];
    snprintf(path, sizeof path, "%s/examples/runs/season.yaml", POSTRUN_SOURCE_ROOT);
    postrun_stream *s = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_stream_open_file(&s, test_kb(), path, &err), POSTRUN_OK);
    postrun_run *run = new_run();
    size_t n = 0;
    postrun_status rc;
    while ((rc = postrun_stream_next(s, run, &err)) == POSTRUN_OK) {
        const char *id = NULL;
        assert_true(n < ARRAY_LEN(ids));
        assert_int_equal(postrun_stream_document(s), n);
        assert_int_equal(postrun_run_get_string(run, "id", &id, NULL), POSTRUN_OK);
        assert_string_equal(id, ids[n]);
        n++;
    }
    assert_int_equal(rc, POSTRUN_DONE);
    assert_int_equal(err.code, POSTRUN_OK);
    assert_int_equal(n, ARRAY_LEN(ids));
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_run_free(run);
    postrun_stream_free(s);
    postrun_error_clear(&err);
}

static void test_each_document_replaces_the_previous_run(void **state)
{
    (void)state;
    postrun_stream *s =
        open_text(DOC(60) "run: ~\nid: first\nsymptoms: [aching]\n---\n" DOC(70), NULL);
    postrun_run *run = new_run();
    double v = 0;
    uint32_t line = 0, col = 0;
    /* "run: ~" repeats a key: the first document is bad; use a clean one. */
    assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_ERR_DUPLICATE);
    assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_get_number(run, "athlete.body_mass_kg", &v, NULL), POSTRUN_OK);
    assert_true(v == 70);
    assert_false(postrun_run_has(run, "id"));
    assert_int_equal(postrun_run_count(run, "symptoms"), 0);
    postrun_run_position(run, &line, &col); /* at its `---` */
    assert_int_equal(line, 7);
    assert_int_equal(col, 1);
    postrun_run_free(run);
    postrun_stream_free(s);
}

static void test_bad_document_is_reported_and_the_next_one_is_read(void **state)
{
    (void)state;
    postrun_stream *s = open_text(DOC(60) "---\n"
                                          "postrun: 1\nathlete: {body_mass_kg: 600}\n"
                                          "run: {duration_min: 45, pace: 5}\n"
                                          "---\n" DOC(70),
                                  NULL);
    postrun_run *run = new_run();
    postrun_error err = POSTRUN_ERROR_INIT;
    double v = 0;
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_ERR_RANGE);
    assert_int_equal(postrun_stream_document(s), 1);
    assert_int_equal(postrun_error_count(&err), 2);
    expect_problem(postrun_error_at(&err, 0), POSTRUN_ERR_RANGE, 6, 25, "athlete.body_mass_kg",
                   "600 is outside 25..250");
    expect_problem(postrun_error_at(&err, 1), POSTRUN_ERR_UNKNOWN_KEY, 7, 25, "run.pace", NULL);
    assert_string_equal(err.file, "season.yaml");
    assert_false(postrun_run_has(run, "postrun")); /* never half a report */
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(err.code, POSTRUN_OK);
    assert_int_equal(postrun_stream_document(s), 2);
    assert_int_equal(postrun_run_get_number(run, "athlete.body_mass_kg", &v, NULL), POSTRUN_OK);
    assert_true(v == 70);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_run_free(run);
    postrun_stream_free(s);
    postrun_error_clear(&err);
}

static void test_alias_in_one_document_does_not_end_the_stream(void **state)
{
    (void)state;
    postrun_stream *s = open_text(DOC(60) "---\npostrun: 1\nathlete: &a {body_mass_kg: 60}\n"
                                          "recent: *a\n---\n" DOC(70),
                                  NULL);
    postrun_run *run = new_run();
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_ERR_LIMIT);
    expect_problem(&err, POSTRUN_ERR_LIMIT, 7, 9, "", "alias");
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_run_free(run);
    postrun_stream_free(s);
    postrun_error_clear(&err);
}

static void test_syntax_error_ends_the_stream(void **state)
{
    (void)state;
    postrun_stream *s = open_text(DOC(60) "---\npostrun: [1\n---\n" DOC(70), NULL);
    postrun_run *run = new_run();
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_ERR_SYNTAX);
    assert_true(err.line >= 5);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_DONE);
    postrun_run_free(run);
    postrun_stream_free(s);
    postrun_error_clear(&err);
}

static void test_empty_documents_and_empty_streams_are_skipped(void **state)
{
    (void)state;
    postrun_run *run = new_run();
    postrun_stream *s = open_text("# nothing yet\n---\n---\n" DOC(60) "---\n", NULL);
    assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_OK);
    assert_int_equal(postrun_stream_document(s), 1);
    assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_DONE);
    postrun_stream_free(s);
    s = open_text("", NULL);
    assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_DONE);
    assert_int_equal(postrun_stream_document(s), 0);
    postrun_stream_free(s);
    postrun_run_free(run);
}

static void test_stream_vocabulary_checks_ids(void **state)
{
    (void)state;
    postrun_stream *s = open_text(DOC(60) "symptoms: [cramp]\n", test_kb());
    postrun_run *run = new_run();
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_stream_next(s, run, &err), POSTRUN_ERR_UNKNOWN_ID);
    expect_problem(&err, POSTRUN_ERR_UNKNOWN_ID, 4, 12, "symptoms[0].id", "did you mean 'cramps'?");
    postrun_run_free(run);
    postrun_stream_free(s);
    postrun_error_clear(&err);
}

static void test_missing_file_cannot_be_opened(void **state)
{
    (void)state;
    postrun_stream *s = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_stream_open_file(&s, NULL, "/nonexistent/season.yaml", &err),
                     POSTRUN_ERR_IO);
    assert_null(s);
    assert_int_equal(postrun_stream_open_file(&s, NULL, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_stream_open_file(NULL, NULL, "x", &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_stream_next(NULL, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_stream_document(NULL), 0);
    postrun_stream_free(NULL);
    postrun_error_clear(&err);
}

/* A long stream: memory after the first documents never grows. */
static void test_long_stream_reads_in_constant_memory(void **state)
{
    (void)state;
    enum { DOCS = 20000 };
    static const char doc[] = DOC(66) "id: run\nsymptoms: [{id: aching, where: [calves]}]\n"
                                      "observations: {urine_colour: 4}\n---\n";
    size_t len = (sizeof doc - 1) * DOCS;
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i < DOCS; i++)
        memcpy(text + i * (sizeof doc - 1), doc, sizeof doc - 1);
    text[len] = '\0';

    const postrun_kb *kb = test_kb();
    counting_alloc ca;
    counting_start(&ca, 0);
    postrun_stream *s = NULL;
    postrun_run *run = NULL;
    assert_int_equal(postrun_stream_open_string(&s, kb, text, len, NULL, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_new(&run, NULL, NULL), POSTRUN_OK);
    size_t n = 0, peak_early = 0;
    while (postrun_stream_next(s, run, NULL) == POSTRUN_OK) {
        if (++n == 10)
            peak_early = ca.peak;
    }
    assert_int_equal(n, DOCS);
    assert_int_equal(ca.peak, peak_early);
    assert_int_equal(ca.live, 3); /* the stream, its name and the run */
    postrun_run_free(run);
    postrun_stream_free(s);
    counting_stop();
    assert_int_equal(ca.live, 0);
    free(text);
}

static void test_out_of_memory_in_a_stream_leaks_nothing(void **state)
{
    (void)state;
    static const char text[] = DOC(60) "symptoms: [aching]\n---\n" DOC(600) "---\n" DOC(70);
    for (long fail = 1;; fail++) {
        counting_alloc ca;
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_stream *s = NULL;
        postrun_run *run = NULL;
        bool oom = false;
        counting_start(&ca, fail);
        postrun_status rc = postrun_run_new(&run, NULL, &err);
        if (rc == POSTRUN_OK)
            rc = postrun_stream_open_string(&s, NULL, text, sizeof text - 1, NULL, &err);
        oom |= rc == POSTRUN_ERR_NOMEM;
        for (int i = 0; rc == POSTRUN_OK || rc == POSTRUN_ERR_RANGE; i++) {
            assert_true(i < 10);
            rc = postrun_stream_next(s, run, &err);
            oom |= rc == POSTRUN_ERR_NOMEM;
        }
        assert_true(rc == POSTRUN_DONE || rc == POSTRUN_ERR_NOMEM);
        postrun_stream_free(s);
        postrun_run_free(run);
        postrun_error_clear(&err);
        counting_stop();
        assert_int_equal(ca.live, 0);
        if (!oom)
            break;
        assert_true(fail < 1000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_season_example_reads_every_run_in_order),
        cmocka_unit_test(test_each_document_replaces_the_previous_run),
        cmocka_unit_test(test_bad_document_is_reported_and_the_next_one_is_read),
        cmocka_unit_test(test_alias_in_one_document_does_not_end_the_stream),
        cmocka_unit_test(test_syntax_error_ends_the_stream),
        cmocka_unit_test(test_empty_documents_and_empty_streams_are_skipped),
        cmocka_unit_test(test_stream_vocabulary_checks_ids),
        cmocka_unit_test(test_missing_file_cannot_be_opened),
        cmocka_unit_test(test_long_stream_reads_in_constant_memory),
        cmocka_unit_test(test_out_of_memory_in_a_stream_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
