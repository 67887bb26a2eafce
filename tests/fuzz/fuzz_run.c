/*
 * libFuzzer target: run-report parsing. The input is parsed as one report (with the bundled
 * knowledge base's vocabulary and without), read as a stream of reports into one reused run,
 * and, when it starts with "#paths", its lines are replayed as "path=value" calls of the
 * field-path API. Every call must
 * return a status with a clear error record, and never hand out half a report.
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

/* The getters must agree with what the report holds. */
static void read_back(const postrun_run *run)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    size_t nm = postrun_metric_count();
    for (size_t i = 0; i < nm; i++) {
        const char *path = postrun_metric_name(i);
        double v;
        const char *s;
        int b;
        if (!postrun_run_has(run, path))
            continue;
        postrun_status r1 = postrun_run_get_number(run, path, &v, &err);
        postrun_status r2 = postrun_run_get_string(run, path, &s, &err);
        postrun_status r3 = postrun_run_get_bool(run, path, &b, &err);
        /* Metric names that are not input fields are not paths: nothing to read. */
        if (r1 == POSTRUN_OK)
            FUZZ_CHECK(!isnan(v) && !isinf(v));
        (void)r2;
        (void)r3;
    }
    size_t ns = postrun_run_count(run, "symptoms");
    FUZZ_CHECK(ns <= 16);
    for (size_t i = 0; i < ns; i++) {
        FUZZ_CHECK(postrun_run_item(run, "symptoms", i) != NULL);
        char path[64];
        snprintf(path, sizeof path, "symptoms[%zu].where", i);
        size_t nw = postrun_run_count(run, path);
        for (size_t j = 0; j < nw; j++)
            FUZZ_CHECK(postrun_run_item(run, path, j) != NULL);
    }
    size_t no = postrun_run_count(run, "observations");
    for (size_t i = 0; i < no; i++)
        FUZZ_CHECK(postrun_run_item(run, "observations", i) != NULL);
    uint32_t line, col;
    postrun_run_position(run, &line, &col);
    postrun_error_clear(&err);
}

static void parse_one(const char *text, size_t size, const postrun_kb *kb)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = (postrun_run *)&err; /* must stay untouched on error */
    postrun_status rc = postrun_run_parse(&run, kb, text, size, "fuzz.yaml", &err);
    fuzz_check_error(rc, &err);
    if (rc == POSTRUN_OK) {
        read_back(run);
        postrun_error verr = POSTRUN_ERROR_INIT;
        FUZZ_CHECK(postrun_run_validate(run, &verr) == POSTRUN_OK);
        postrun_error_clear(&verr);
        postrun_status d = postrun_run_apply_defaults(run, &verr);
        fuzz_check_error(d, &verr);
        for (size_t i = 0; i < postrun_run_assumption_count(run); i++)
            FUZZ_CHECK(postrun_run_assumption(run, i) != NULL);
        postrun_error_clear(&verr);
        postrun_run_free(run);
    } else {
        FUZZ_CHECK(run == (postrun_run *)&err);
    }
    postrun_error_clear(&err);
}

static void stream_all(const char *text, size_t size)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_stream *s = NULL;
    postrun_run *run = NULL;
    FUZZ_CHECK(postrun_run_new(&run, g_kb, &err) == POSTRUN_OK);
    postrun_status rc = postrun_stream_open_string(&s, g_kb, text, size, "fuzz.yaml", &err);
    fuzz_check_error(rc, &err);
    bool opened = rc == POSTRUN_OK;
    FUZZ_CHECK(opened == (s != NULL));
    for (size_t docs = 0; rc == POSTRUN_OK; docs++) {
        FUZZ_CHECK(docs <= size + 1); /* every document costs input bytes */
        rc = postrun_stream_next(s, run, &err);
        fuzz_check_error(rc, &err);
        if (rc == POSTRUN_OK)
            read_back(run);
        else if (rc != POSTRUN_DONE) {
            /* No half report after a bad document. */
            FUZZ_CHECK(postrun_run_count(run, "symptoms") == 0);
            FUZZ_CHECK(!postrun_run_has(run, "postrun"));
            rc = POSTRUN_OK; /* the stream goes on, or says DONE */
        }
    }
    FUZZ_CHECK(!opened || rc == POSTRUN_DONE);
    postrun_stream_free(s);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

/* Lines "path=value", "path+=value" (append), "path?" (unset) or "path!" (bool), applied to a
 * fresh run: the setters parse paths and values themselves. */
static void replay_paths(const char *text, size_t size)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    FUZZ_CHECK(postrun_run_new(&run, size & 1 ? g_kb : NULL, &err) == POSTRUN_OK);
    const char *p = text, *end = text + size;
    for (int lines = 0; p < end && lines < 24; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char line[256];
        if (len >= sizeof line)
            len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl ? nl + 1 : end;
        if (strlen(line) != len) /* a NUL byte: C strings cannot carry it */
            continue;
        char *eq = strchr(line, '=');
        postrun_status rc;
        if (eq) {
            bool append = eq > line && eq[-1] == '+';
            eq[append ? -1 : 0] = '\0';
            const char *value = eq + 1;
            char *tail;
            double v = strtod(value, &tail);
            if (append)
                rc = postrun_run_append(run, line, value, &err);
            else if (*value && !*tail)
                rc = postrun_run_set_number(run, line, v, &err);
            else
                rc = postrun_run_set_string(run, line, value, &err);
        } else if (len && line[len - 1] == '?') {
            line[len - 1] = '\0';
            rc = postrun_run_unset(run, line, &err);
        } else if (len && line[len - 1] == '!') {
            line[len - 1] = '\0';
            rc = postrun_run_set_bool(run, line, (int)(len & 1), &err);
        } else {
            double v;
            rc = postrun_run_get_number(run, line, &v, &err);
            (void)postrun_run_has(run, line);
            (void)postrun_run_count(run, line);
            (void)postrun_run_item(run, line, 0);
        }
        fuzz_check_error(rc, &err);
    }
    read_back(run);
    postrun_status v = postrun_run_validate(run, &err);
    fuzz_check_error(v, &err);
    v = postrun_run_apply_defaults(run, &err);
    fuzz_check_error(v, &err);
    postrun_run_clear(run);
    FUZZ_CHECK(postrun_run_count(run, "symptoms") == 0);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    parse_one(text, size, g_kb);
    parse_one(text, size, NULL);
    stream_all(text, size);
    /* Only inputs that ask for it: on YAML text every line would be an unknown path, and
     * each one costs a did-you-mean search. */
    if (size >= 7 && memcmp(text, "#paths\n", 7) == 0)
        replay_paths(text + 7, size - 7);
    return 0;
}
