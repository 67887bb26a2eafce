/*
 * libFuzzer targets: activity files, one binary per format (FUZZ_FORMAT 0 = FIT, 1 = TCX,
 * 2 = GPX; the decoder is chosen by content, so the format is the seeds' and, for FIT, the
 * wrapping). A FIT input whose first byte is odd is taken as the records of a file and wrapped
 * in a valid header and CRC, so that mutations reach the record decoder instead of failing the
 * CRC; an even first byte sends the input as it is (headers, CRCs, chained files). Every call
 * must return a status with a clear error record, or an activity whose series and summary can
 * be read whole and that fills a run.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT 0
#endif

uint16_t pr_act_fit_crc(uint16_t crc, const unsigned char *p, size_t n);

static postrun_kb *g_kb;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void free_kb(void) { postrun_kb_free(g_kb); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (postrun_kb_load_default(&g_kb, NULL) != POSTRUN_OK)
        abort();
    atexit(free_kb);
    return 0;
}

static void check(const uint8_t *data, size_t size)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity *act = NULL;
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.flags = POSTRUN_ACTIVITY_ANY_SPORT;
    postrun_status rc = postrun_activity_load(&act, g_kb, "fuzz", data, size, &o, &err);
    if (rc != POSTRUN_OK) {
        if (act || err.code == POSTRUN_OK || err.message[0] == '\0')
            abort();
        postrun_error_clear(&err);
        return;
    }
    const postrun_activity_summary *s = postrun_activity_get_summary(act);
    if (!s || s->samples != postrun_activity_sample_count(act) || s->samples == 0 ||
        !(s->elapsed_min >= 0) || !(s->moving_min >= 0) || s->moving_min > s->elapsed_min + 1e-9)
        abort();
    double last = -1;
    for (size_t i = 0; i < s->samples; i++) {
        postrun_activity_sample smp = POSTRUN_ACTIVITY_SAMPLE_INIT;
        if (postrun_activity_get_sample(act, i, &smp) != POSTRUN_OK || !(smp.time_s >= last) ||
            !(smp.distance_m >= 0))
            abort();
        last = smp.time_s;
    }
    postrun_run *run = NULL;
    if (postrun_run_new(&run, g_kb, &err) == POSTRUN_OK) {
        postrun_run_set_activity(run, act, &err);
        postrun_run_free(run);
    }
    postrun_error_clear(&err);
    postrun_activity_free(act);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (FUZZ_FORMAT == 0 && size > 0 && (data[0] & 1) && size < (1u << 20)) {
        size_t n = size - 1;
        uint8_t *f = malloc(n + 16);
        if (!f)
            return 0;
        static const uint8_t head[12] = {12, 0x20, 0x54, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T'};
        memcpy(f, head, 12);
        f[4] = n & 0xFF, f[5] = (n >> 8) & 0xFF, f[6] = (n >> 16) & 0xFF, f[7] = 0;
        memcpy(f + 12, data + 1, n);
        uint16_t crc = pr_act_fit_crc(0, f, 12 + n);
        f[12 + n] = crc & 0xFF;
        f[13 + n] = crc >> 8;
        check(f, n + 14);
        free(f);
        return 0;
    }
    check(data, size);
    return 0;
}
