/*
 * postrun-bench-history: what a history costs (docs/performance.md, "Histories").
 *
 *  - assessing one run with a 1,000-run history against the same run without one;
 *  - building a history of 1,000 run reports;
 *  - building a history from a year of activity files (365 FIT files of a 45-minute run
 *    recorded every second, written to a temporary directory).
 *
 *   postrun-bench-history [--reps N] [--runs N] [--files N]
 *   postrun-bench-history --loop with|without N   N assessments, untimed, for callgrind
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "activity.h"
#include "history.h"
#include "bench_fit.h"
#include "postrun.h"

#define DAY 86400.0
#define T_END 1782716400.0 /* 2026-06-29T07:00:00Z: the assessed run */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static postrun_run *report(const postrun_kb *kb, double days_before, int i)
{
    char when[32], text[1024];
    pr_iso8601_format(when, sizeof when, T_END - days_before * DAY);
    int long_run = i % 7 == 0, weigh_in = i % 10 == 0;
    double km = long_run ? 22 : 6 + i % 9, minutes = km * 5.8;
    int n = snprintf(text, sizeof text,
                     "postrun: 1\nathlete: {body_mass_kg: 68, sex: female}\n"
                     "run: {started_at: \"%s\", duration_min: %.0f, distance_km: %.0f, "
                     "elevation_loss_m: %d}\n"
                     "environment: {temperature_c: %d}\n",
                     when, minutes, km, i % 13 == 0 ? 400 : 40, 8 + i % 20);
    if (weigh_in)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "weigh_in: {pre_kg: 68.0, post_kg: %.1f}\n", 68.0 - minutes / 60 * 0.9);
    if (long_run && i % 3 == 0)
        snprintf(text + n, sizeof text - (size_t)n, "symptoms: [{id: cramps, severity: 4}]\n");
    postrun_run *run = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    if (postrun_run_parse(&run, kb, text, strlen(text), "bench", &err) != POSTRUN_OK) {
        fprintf(stderr, "%s\n%s\n", err.message, text);
        exit(1);
    }
    return run;
}

static postrun_history *history_of(const postrun_kb *kb, int runs, double *build_s)
{
    postrun_run **r = calloc((size_t)runs, sizeof *r);
    for (int i = 0; i < runs; i++)
        r[i] = report(kb, runs - i, i); /* one a day, the last the day before */
    double t0 = now_s();
    postrun_history_builder *b = NULL;
    postrun_history *h = NULL;
    postrun_history_builder_new(&b, kb, NULL);
    for (int i = 0; i < runs; i++)
        postrun_history_builder_add_run(b, r[i], NULL);
    if (postrun_history_builder_build(b, &h, NULL) != POSTRUN_OK)
        exit(1);
    *build_s = now_s() - t0;
    postrun_history_builder_free(b);
    for (int i = 0; i < runs; i++)
        postrun_run_free(r[i]);
    free(r);
    return h;
}

static double assess_loop(postrun_assessment *a, const postrun_run *run,
                          const postrun_history *h, long n)
{
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        if (postrun_assess_with_history(a, run, h, NULL) != POSTRUN_OK)
            exit(1);
    return now_s() - t0;
}



/* A year of activity files in a temporary directory; the time to build their history. */
static int year_of_files(const postrun_kb *kb, int files, size_t records)
{
    char dir[] = "/tmp/postrun-bench-history-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    size_t bytes = 0;
    const uint32_t fit_epoch = 631065600u;
    for (int i = 0; i < files; i++) {
        size_t len;
        uint32_t start = (uint32_t)(T_END - (files - i) * DAY) - fit_epoch;
        unsigned char *fit = bench_make_fit(records, start, &len);
        char path[128];
        snprintf(path, sizeof path, "%s/run%03d.fit", dir, i);
        FILE *f = fopen(path, "wb");
        if (!fit || !f || fwrite(fit, 1, len, f) != len)
            return 1;
        fclose(f);
        free(fit);
        bytes += len;
    }
    double best = INFINITY;
    for (int r = 0; r < 3; r++) {
        double t0 = now_s();
        postrun_history_builder *b = NULL;
        postrun_history *h = NULL;
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_history_builder_new(&b, kb, NULL);
        if (postrun_history_builder_add_path(b, dir, &err) != POSTRUN_OK ||
            postrun_history_builder_build(b, &h, &err) != POSTRUN_OK) {
            fprintf(stderr, "%s: %s\n", err.file, err.message);
            return 1;
        }
        double t = now_s() - t0;
        if (t < best)
            best = t;
        postrun_history_free(h);
        postrun_history_builder_free(b);
        postrun_error_clear(&err);
    }
    printf("| history of a year of activity files (%d FIT files, %zu records each, %.1f MB, "
           "read from disk) | %.0f ms | %.2f ms a file |\n",
           files, records, bytes / 1e6, best * 1e3, best * 1e3 / files);
    for (int i = 0; i < files; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/run%03d.fit", dir, i);
        remove(path);
    }
    rmdir(dir);
    return 0;
}

int main(int argc, char **argv)
{
    long reps = 20000;
    int runs = 1000, files = 365;
    const char *loop = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atol(argv[++i]);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--files") == 0 && i + 1 < argc)
            files = atoi(argv[++i]);
        else if (strcmp(argv[i], "--loop") == 0 && i + 2 < argc) {
            loop = argv[++i];
            reps = atol(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--reps N] [--runs N] [--files N] | --loop with|without N\n",
                    argv[0]);
            return 2;
        }
    }
    postrun_kb *kb = NULL;
    if (postrun_kb_load_default(&kb, NULL) != POSTRUN_OK)
        return 1;
    double build_s;
    postrun_history *h = history_of(kb, runs, &build_s);
    postrun_run *today = report(kb, 0, 7 * 3);
    postrun_assessment *a = NULL;
    postrun_assessment_new(&a, kb, NULL);
    if (loop) {
        assess_loop(a, today, strcmp(loop, "with") == 0 ? h : NULL, reps);
    } else {
        assess_loop(a, today, h, reps / 10); /* warm up */
        double without = INFINITY, with = INFINITY;
        for (int r = 0; r < 5; r++) {
            double t = assess_loop(a, today, NULL, reps);
            if (t < without)
                without = t;
            t = assess_loop(a, today, h, reps);
            if (t < with)
                with = t;
        }
        printf("| what | time | per unit |\n|---|---:|---:|\n");
        printf("| assess one run, no history | %.0f ns | |\n", without / reps * 1e9);
        printf("| assess one run with a %d-run history | %.0f ns | +%.0f ns (%+.1f %%) |\n", runs,
               with / reps * 1e9, (with - without) / reps * 1e9, 100 * (with / without - 1));
        printf("| build a history of %d run reports (already parsed) | %.1f ms | %.1f us a run |\n",
               runs, build_s * 1e3, build_s / runs * 1e6);
        if (files > 0 && year_of_files(kb, files, 2700))
            return 1;
    }
    postrun_assessment_free(a);
    postrun_run_free(today);
    postrun_history_free(h);
    postrun_kb_free(kb);
    return 0;
}
