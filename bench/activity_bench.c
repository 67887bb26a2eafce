/*
 * postrun-bench-activity: how fast a FIT file is decoded and summarised, next to gpsbabel
 * converting the same file (when gpsbabel is installed). Writes a FIT file of about 1 MB (a
 * run recorded every second: time, position, altitude, heart rate, cadence, distance, speed,
 * temperature), times postrun_activity_load() on it from memory, and prints bytes/s and
 * records/s for both. docs/performance.md records the results.
 *
 *   postrun-bench-activity [--reps N] [--records N] [--gpsbabel PATH]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "activity.h"
#include "bench_fit.h"
#include "postrun.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}


static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int reps = 21;
    size_t records = 42000; /* about 1 MB */
    const char *gpsbabel = "gpsbabel";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--records") == 0 && i + 1 < argc)
            records = (size_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--gpsbabel") == 0 && i + 1 < argc)
            gpsbabel = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--reps N] [--records N] [--gpsbabel PATH]\n", argv[0]);
            return 2;
        }
    }
    if (reps < 3)
        reps = 3;
    size_t len;
    unsigned char *fit = bench_make_fit(records, 1000000000u - 631065600u, &len);
    postrun_kb *kb = NULL;
    if (!fit || postrun_kb_load_default(&kb, NULL) != POSTRUN_OK)
        return 1;
    double *t = calloc((size_t)reps, sizeof *t);
    if (!t)
        return 1;
    for (int r = 0; r < reps; r++) {
        postrun_activity *a = NULL;
        postrun_error err = POSTRUN_ERROR_INIT;
        double t1 = now_s();
        if (postrun_activity_load(&a, kb, "bench.fit", fit, len, NULL, &err) != POSTRUN_OK) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        t[r] = now_s() - t1;
        postrun_activity_free(a);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp);
    double med = t[reps / 2];
    printf("| decoder | file | median time | bytes/s | records/s |\n|---|---|---|---|---|\n");
    printf("| libpostrun postrun_activity_load (decode + summary, from memory) | %zu B, %zu records "
           "| %.2f ms | %.0f MB/s | %.1f M/s |\n",
           len, records, med * 1e3, len / med / 1e6, records / med / 1e6);

    /* gpsbabel: the same file, read from disk and converted to GPX (written to /dev/null). */
    char path[] = "/tmp/postrun-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0 && write(fd, fit, len) == (ssize_t)len) {
        close(fd);
        int gr = 5;
        double *g = calloc((size_t)gr, sizeof *g);
        int ok = g != NULL;
        for (int r = 0; ok && r < gr; r++) {
            double t1 = now_s();
            pid_t pid = fork();
            if (pid == 0) {
                freopen("/dev/null", "w", stderr);
                execlp(gpsbabel, gpsbabel, "-i", "garmin_fit", "-f", path, "-o", "gpx", "-F",
                       "/dev/null", (char *)NULL);
                _exit(127);
            }
            int st = 0;
            if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
                ok = 0;
            g[r] = now_s() - t1;
        }
        if (ok) {
            qsort(g, (size_t)gr, sizeof *g, cmp);
            double gm = g[gr / 2];
            printf("| gpsbabel -i garmin_fit -o gpx (process, file to /dev/null) | same | %.2f ms "
                   "| %.1f MB/s | %.2f M/s |\n",
                   gm * 1e3, len / gm / 1e6, records / gm / 1e6);
            printf("\nlibpostrun takes %.1f %% of gpsbabel's time on this file.\n",
                   100 * med / gm);
        } else {
            printf("| gpsbabel | not installed or failed: skipped | | | |\n");
        }
        free(g);
        unlink(path);
    }
    free(t);
    free(fit);
    postrun_kb_free(kb);
    return 0;
}
