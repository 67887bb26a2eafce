/*
 * libFuzzer target: knowledge-base loading with overlays. The input is a list of files, each
 * introduced by a header line:
 *
 *   %%bundled          the bundled files (no text follows)
 *   %%base             a base file
 *   %%overlay          an overlay, applied after every base file
 *
 * Text before the first header is a base file. When the knowledge base builds, two runs are
 * assessed with it and rendered in every format, so fuzzed conditions, formulas and templates
 * reach the evaluator. The builder is reused for a second build, which must give the same
 * status.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char RUN_A[] =
    "postrun: 1\n"
    "id: fuzz-a\n"
    "athlete: {body_mass_kg: 68, sex: female, age_y: 41}\n"
    "run: {duration_min: 95, distance_km: 16, intensity: moderate, elevation_gain_m: 300}\n"
    "environment: {temperature_c: 29, relative_humidity_pct: 70}\n"
    "intake: {fluid_ml: 250}\n"
    "symptoms:\n"
    "  - {id: muscles_feel_smaller, severity: 6}\n"
    "  - {id: cramps, severity: 4, where: [calves]}\n"
    "  - fatigue\n"
    "observations: {urine_colour: 6}\n";

static const char RUN_B[] =
    "postrun: 1\n"
    "athlete: {body_mass_kg: 80}\n"
    "run: {duration_min: 240, intensity: hard}\n"
    "weigh_in: {pre_kg: 80, post_kg: 81.5}\n"
    "symptoms: [headache, nausea]\n";

static void assess_with(postrun_kb *kb)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_assessment *a = NULL;
    postrun_status rc = postrun_assessment_new(&a, kb, &err);
    FUZZ_CHECK(rc == POSTRUN_OK);
    const char *runs[] = {RUN_A, RUN_B};
    for (size_t i = 0; i < 2; i++) {
        postrun_run *run = NULL;
        rc = postrun_run_parse(&run, kb, runs[i], strlen(runs[i]), "run.yaml", &err);
        fuzz_check_error(rc, &err);
        if (rc != POSTRUN_OK)
            continue; /* an overlay may have removed a symptom the run names */
        rc = postrun_assess(a, run, &err);
        fuzz_check_error(rc, &err);
        if (rc == POSTRUN_OK)
            fuzz_walk_assessment(a);
        else
            FUZZ_CHECK(postrun_assessment_cause_count(a) == 0 &&
                       postrun_assessment_recommendation_count(a) == 0);
        postrun_run_free(run);
    }
    postrun_assessment_free(a);
    postrun_error_clear(&err);
}

static void query(const postrun_kb *kb)
{
    for (int k = POSTRUN_KIND_SOURCE; k <= POSTRUN_KIND_NOTE; k++) {
        size_t n = postrun_kb_count(kb, (postrun_kind)k);
        for (size_t i = 0; i < n; i++) {
            const char *id = postrun_kb_id(kb, (postrun_kind)k, i);
            FUZZ_CHECK(id != NULL);
            postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
            FUZZ_CHECK(postrun_kb_entry(kb, id, &info) == POSTRUN_OK);
            for (size_t j = 0; j < info.n_sources; j++) {
                const char *key, *title;
                FUZZ_CHECK(postrun_kb_entry_source(kb, id, j, &key, &title) == POSTRUN_OK);
            }
            if (k == POSTRUN_KIND_PARAMETER) {
                double v, lo, hi;
                (void)postrun_kb_parameter(kb, id, &v, &lo, &hi);
            }
        }
    }
}

/* Adds the files the input describes (see the top of this file). */
static void add_files(postrun_kb_builder *b, const char *text, size_t size)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    const char *end = text + size, *sec = text, *line = text;
    int overlay = 0;
    bool open = true;     /* a file is being collected from `sec` */
    bool explicit = false; /* it was introduced by a header (so even empty, it counts) */
    size_t files = 0;
    for (;;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *eol = nl ? nl : end;
        bool header = eol - line >= 2 && line[0] == '%' && line[1] == '%';
        if (header || !nl) {
            const char *send = header ? line : end;
            if (open && (explicit || send > sec || size == 0) && files < 32) {
                size_t n = (size_t)(send - sec);
                postrun_status rc =
                    overlay ? postrun_kb_builder_add_overlay_string(b, "overlay.yaml", sec, n, &err)
                            : postrun_kb_builder_add_string(b, "base.yaml", sec, n, &err);
                fuzz_check_error(rc, &err);
                files++;
            }
            open = false;
            if (header) {
                size_t hl = (size_t)(eol - line);
                if (hl == 9 && memcmp(line, "%%bundled", 9) == 0) {
                    if (files < 32)
                        FUZZ_CHECK(postrun_kb_builder_add_default(b, &err) == POSTRUN_OK);
                    files++;
                } else {
                    open = explicit = true;
                    overlay = hl == 9 && memcmp(line, "%%overlay", 9) == 0;
                    sec = nl ? nl + 1 : end;
                }
                if (!nl && open && files < 32) {
                    postrun_status rc =
                        overlay ? postrun_kb_builder_add_overlay_string(b, "overlay.yaml", end, 0, &err)
                                : postrun_kb_builder_add_string(b, "base.yaml", end, 0, &err);
                    fuzz_check_error(rc, &err);
                }
            }
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    postrun_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    FUZZ_CHECK(postrun_kb_builder_new(&b, &err) == POSTRUN_OK);
    add_files(b, (const char *)data, size);

    postrun_kb *kb = (postrun_kb *)&err;
    postrun_status rc = postrun_kb_builder_build(b, &kb, &err);
    fuzz_check_error(rc, &err);
    if (rc == POSTRUN_OK) {
        FUZZ_CHECK(kb != NULL && kb != (postrun_kb *)&err);
        for (size_t i = 0; i < postrun_error_count(&err); i++)
            FUZZ_CHECK(postrun_error_at(&err, i)->severity == POSTRUN_SEVERITY_WARNING);
        query(kb);
        assess_with(kb);
        postrun_kb_free(kb);
    } else {
        FUZZ_CHECK(kb == NULL);
    }
    /* The builder is reusable: a second build says the same (for some inputs: it costs). */
    if (size % 4 == 0) {
        postrun_kb *again = NULL;
        postrun_status rc2 = postrun_kb_builder_build(b, &again, &err);
        FUZZ_CHECK(rc2 == rc);
        postrun_kb_free(again);
    }
    postrun_kb_builder_free(b);
    postrun_error_clear(&err);
    return 0;
}
