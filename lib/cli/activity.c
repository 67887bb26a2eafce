/*
 * postrun activity FILE [--format yaml|json] [--sport any] [--kb DIR] [--max-hr BPM]:
 * prints the run report an activity file gives (contract section 4), with what the series adds
 * under `activity:`. The `run:` and `environment:` sections are exactly what
 * `postrun assess --activity` takes from the file, so the output reads back as a report.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A small writer for the nested maps of this output, in YAML or JSON. */
typedef struct emitter {
    FILE *fp;
    bool json;
    int depth;
    bool first[8];
} emitter;

static void key(emitter *e, const char *k)
{
    if (e->json) {
        fprintf(e->fp, "%s\n%*s\"%s\": ", e->first[e->depth] ? "" : ",", 2 * e->depth, "", k);
    } else {
        fprintf(e->fp, "%*s%s:", 2 * (e->depth - 1), "", k);
    }
    e->first[e->depth] = false;
}

static void open_map(emitter *e, const char *k)
{
    if (k)
        key(e, k);
    if (e->json)
        fputs("{", e->fp);
    else if (k)
        fputs("\n", e->fp);
    e->first[++e->depth] = true;
}

static void close_map(emitter *e)
{
    e->depth--;
    if (e->json)
        fprintf(e->fp, "\n%*s}", 2 * e->depth, "");
    if (e->json && e->depth == 0)
        fputs("\n", e->fp);
}

static void num(emitter *e, const char *k, double v, int decimals)
{
    if (isnan(v) && !e->json)
        return; /* YAML: a value not known is left out */
    key(e, k);
    if (isnan(v))
        fputs("null", e->fp);
    else
        fprintf(e->fp, "%s%.*f", e->json ? "" : " ", decimals, v == 0 ? 0.0 : v);
    if (!e->json)
        fputs("\n", e->fp);
}

static void str(emitter *e, const char *k, const char *s)
{
    key(e, k);
    fputc(e->json ? '"' : ' ', e->fp);
    if (!e->json)
        fputc('"', e->fp);
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"' || ch == '\\')
            fprintf(e->fp, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(e->fp, "\\u%04x", ch);
        else
            fputc(ch, e->fp);
    }
    fputc('"', e->fp);
    if (!e->json)
        fputs("\n", e->fp);
}

static const char *const ZONE_KEYS[POSTRUN_HR_ZONES] = {
    "very_light_min", "light_min", "moderate_min", "vigorous_min", "near_maximal_min"};

static void print_activity(FILE *fp, bool json, const char *path, const postrun_activity *act,
                           const postrun_run *run)
{
    const postrun_activity_summary *s = postrun_activity_get_summary(act);
    emitter e = {.fp = fp, .json = json};
    double v;
    open_map(&e, NULL);
    num(&e, "postrun", 1, 0);
    static const struct { const char *path, *key; int decimals; } RUN[] = {
        {"run.duration_min", "duration_min", 1},     {"run.distance_km", "distance_km", 2},
        {"run.elevation_gain_m", "elevation_gain_m", 0}, {"run.elevation_loss_m", "elevation_loss_m", 0},
        {"run.avg_hr_bpm", "avg_hr_bpm", 0}};
    open_map(&e, "run");
    for (size_t i = 0; i < sizeof RUN / sizeof RUN[0]; i++)
        if (postrun_run_get_number(run, RUN[i].path, &v, NULL) == POSTRUN_OK)
            num(&e, RUN[i].key, v, RUN[i].decimals);
    const char *surface;
    if (postrun_run_get_string(run, "run.surface", &surface, NULL) == POSTRUN_OK)
        str(&e, "surface", surface);
    close_map(&e);
    if (postrun_run_get_number(run, "environment.temperature_c", &v, NULL) == POSTRUN_OK) {
        open_map(&e, "environment");
        if (!json)
            fprintf(fp, "  # the watch's own thermometer: reads high when worn\n");
        num(&e, "temperature_c", v, 1);
        close_map(&e);
    }
    open_map(&e, "activity");
    str(&e, "file", path);
    str(&e, "format", s->format);
    str(&e, "sport", s->sport);
    if (s->sub_sport[0])
        str(&e, "sub_sport", s->sub_sport);
    if (s->started_at[0])
        str(&e, "started_at", s->started_at);
    num(&e, "samples", (double)s->samples, 0);
    num(&e, "elapsed_min", s->elapsed_min, 1);
    num(&e, "moving_min", s->moving_min, 1);
    num(&e, "distance_km", s->distance_km, 3);
    str(&e, "distance_from", s->distance_from_device ? "device" : "positions");
    num(&e, "elevation_gain_m", s->elevation_gain_m, 0);
    num(&e, "elevation_loss_m", s->elevation_loss_m, 0);
    num(&e, "avg_hr_bpm", s->avg_hr_bpm, 0);
    num(&e, "max_hr_bpm", s->max_hr_bpm, 0);
    if (!isnan(s->zone_max_hr_bpm)) {
        open_map(&e, "hr_zones");
        num(&e, "of_max_hr_bpm", s->zone_max_hr_bpm, 0);
        for (int z = 0; z < POSTRUN_HR_ZONES; z++)
            num(&e, ZONE_KEYS[z], s->zone_min[z], 1);
        close_map(&e);
    }
    if (!isnan(s->steepest_descent_pct)) {
        open_map(&e, "steepest_descent");
        num(&e, "grade_pct", s->steepest_descent_pct, 1);
        num(&e, "over_m", s->steepest_descent_m, 0);
        close_map(&e);
    }
    if (!isnan(s->energy_kcal_per_kg)) {
        open_map(&e, "grade_adjusted_energy");
        num(&e, "kcal_per_kg", s->energy_kcal_per_kg, 2);
        num(&e, "segments", (double)s->energy_segments, 0);
        close_map(&e);
    }
    num(&e, "device_temperature_c", s->device_temperature_c, 1);
    if (!isnan(s->device_moving_min) || !isnan(s->device_distance_km)) {
        open_map(&e, "device_summary");
        num(&e, "elapsed_min", s->device_elapsed_min, 1);
        num(&e, "moving_min", s->device_moving_min, 1);
        num(&e, "distance_km", s->device_distance_km, 3);
        num(&e, "avg_hr_bpm", s->device_avg_hr_bpm, 0);
        num(&e, "max_hr_bpm", s->device_max_hr_bpm, 0);
        close_map(&e);
    }
    close_map(&e);
    close_map(&e);
}

int cli_load_activity(const postrun_kb *kb, const char *path, unsigned flags,
                      postrun_activity **out)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.flags = flags;
    postrun_status s = postrun_activity_load(out, kb, path, NULL, 0, &o, &err);
    if (s != POSTRUN_OK) {
        cli_print_problems(&err);
        fprintf(stderr, "%s: %s: not read as an activity\n", cli_prog, path);
    }
    postrun_error_clear(&err);
    return cli_status_exit(s);
}

int cli_parse_sport(const char *s, unsigned *flags)
{
    if (strcmp(s, "any") == 0) {
        *flags |= POSTRUN_ACTIVITY_ANY_SPORT;
        return 0;
    }
    if (strcmp(s, "running") == 0) {
        *flags &= ~(unsigned)POSTRUN_ACTIVITY_ANY_SPORT;
        return 0;
    }
    fprintf(stderr, "%s: --sport must be running or any, not '%s'\n", cli_prog, s);
    return 1;
}

int cli_cmd_activity(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"sport", required_argument, NULL, 's'},
                                         {"kb", required_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    unsigned flags = 0;
    const char *kb_dir = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "f:s:k:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "json") == 0) {
                json = true;
            } else if (strcmp(optarg, "yaml") != 0) {
                fprintf(stderr, "%s: --format must be yaml or json, not '%s'\n", cli_prog, optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 's':
            if (cli_parse_sport(optarg, &flags))
                return CLI_EXIT_USAGE;
            break;
        case 'k': kb_dir = optarg; break;
        case 'h':
            printf("Usage: %s activity [--format yaml|json] [--sport running|any] [--kb DIR] FILE\n"
                   "Prints the run an activity file (FIT, TCX or GPX) holds.\n", cli_prog);
            return 0;
        default:
            fprintf(stderr, "Usage: %s activity [--format yaml|json] [--sport running|any] "
                            "[--kb DIR] FILE\n", cli_prog);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "%s: activity takes one file\n", cli_prog);
        return CLI_EXIT_USAGE;
    }
    const char *path = argv[optind];
    postrun_kb *kb = NULL;
    int rc = cli_load_kb(kb_dir, NULL, 0, &kb);
    if (rc != 0)
        return rc;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status s = POSTRUN_OK;
    postrun_activity *act = NULL;
    postrun_run *run = NULL;
    rc = cli_load_activity(kb, path, flags, &act);
    if (rc == 0 && (s = postrun_run_new(&run, kb, &err)) == POSTRUN_OK)
        s = postrun_run_set_activity(run, act, &err);
    if (rc == 0) {
        cli_print_problems(&err); /* warnings: values left out */
        rc = cli_status_exit(s);
    }
    if (rc == 0) {
        print_activity(stdout, json, path, act, run);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "%s: cannot write the output: %s\n", cli_prog, strerror(errno));
            rc = CLI_EXIT_OTHER;
        }
    }
    postrun_error_clear(&err);
    postrun_run_free(run);
    postrun_activity_free(act);
    postrun_kb_free(kb);
    return rc;
}
