/*
 * libFuzzer target: the whole pipeline an embedder runs. The input is a stream of run reports;
 * each one read is assessed with the bundled knowledge base into one reused assessment and
 * rendered in every format, walking every accessor. A failed assessment must leave nothing
 * behind (all counts 0), and a render of it must be refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static postrun_kb *g_kb;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* At exit, so that memcheck (which sees our blocks only through interior pointers) reports
 * no "possibly lost" knowledge base. */
static void free_kb(void) { postrun_kb_free(g_kb); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    postrun_error err = POSTRUN_ERROR_INIT;
    if (postrun_kb_load_default(&g_kb, &err) != POSTRUN_OK)
        abort();
    postrun_error_clear(&err);
    atexit(free_kb);
    return 0;
}

static void check_empty(postrun_assessment *a)
{
    FUZZ_CHECK(postrun_assessment_red_flag_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_cause_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_recommendation_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_withdrawn_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_misconception_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_assumption_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_note_count(a) == 0);
    FUZZ_CHECK(postrun_assessment_max_urgency(a) == -1);
    postrun_error err = POSTRUN_ERROR_INIT;
    char *out = NULL;
    FUZZ_CHECK(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, &out, NULL, &err) ==
               POSTRUN_ERR_ARGUMENT);
    FUZZ_CHECK(out == NULL);
    postrun_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    postrun_stream *s = NULL;
    /* Half the inputs check ids while parsing, half only when assessing. */
    const postrun_kb *vocab = size & 1 ? g_kb : NULL;
    FUZZ_CHECK(postrun_run_new(&run, vocab, &err) == POSTRUN_OK);
    FUZZ_CHECK(postrun_assessment_new(&a, g_kb, &err) == POSTRUN_OK);
    postrun_status rc =
        postrun_stream_open_string(&s, vocab, (const char *)data, size, "fuzz.yaml", &err);
    fuzz_check_error(rc, &err);
    size_t docs = 0;
    while (rc == POSTRUN_OK && docs++ < 64) {
        rc = postrun_stream_next(s, run, &err);
        fuzz_check_error(rc, &err);
        if (rc == POSTRUN_DONE)
            break;
        if (rc != POSTRUN_OK) {
            rc = POSTRUN_OK;
            continue;
        }
        postrun_status ar = postrun_assess(a, run, &err);
        fuzz_check_error(ar, &err);
        if (ar == POSTRUN_OK)
            fuzz_walk_assessment(a);
        else
            check_empty(a);
    }
    postrun_stream_free(s);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_error_clear(&err);
    return 0;
}
