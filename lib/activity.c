/*
 * Activity files, the public side: reading a file, telling its format from its first bytes,
 * refusing what is not a run, the summary and series accessors, and filling a run report from
 * an activity (the report's own fields win; each value taken is marked so the assessment's
 * assumptions say where it came from).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "activity.h"
#include "kb.h"
#include "run_impl.h"

/* ---- loading ---- */

static postrun_status read_whole(const char *path, unsigned char **out, size_t *len,
                                 postrun_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                          "cannot open: %s", strerror(errno));
    size_t cap = 64 * 1024, n = 0;
    unsigned char *buf = pr_malloc(cap);
    postrun_status rc = POSTRUN_OK;
    while (buf) {
        if (n == cap) {
            if (cap >= ACT_MAX_FILE_BYTES) {
                rc = pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                                "file is larger than %u bytes", ACT_MAX_FILE_BYTES);
                break;
            }
            unsigned char *p = pr_realloc(buf, cap * 2);
            if (!p)
                break;
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp))
                rc = pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                                "cannot read: %s", strerror(errno));
            break;
        }
    }
    fclose(fp);
    if (!buf && rc == POSTRUN_OK)
        rc = pr_err_add(err, POSTRUN_ERR_NOMEM, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                        "out of memory reading the file");
    if (rc != POSTRUN_OK) {
        pr_free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return POSTRUN_OK;
}

static bool looks_fit(const unsigned char *p, size_t len)
{
    return len >= 12 && (p[0] == 12 || p[0] == 14) && memcmp(p + 8, ".FIT", 4) == 0;
}

static bool looks_xml(const unsigned char *p, size_t len)
{
    size_t i = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < len && p[i] == '<';
}

static void format_time(char *buf, size_t size, double t)
{
    buf[0] = '\0';
    if (!isfinite(t) || t < 0 || t > 253402300799.0) /* up to 9999-12-31 */
        return;
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *const FORMAT_NAMES[] = {"fit", "tcx", "gpx"};

postrun_status postrun_activity_load(postrun_activity **out, const postrun_kb *kb,
                                     const char *path, const void *data, size_t len,
                                     const postrun_activity_options *opts, postrun_error *err)
{
    pr_err_reset(err);
    if (!out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no place to put the activity");
    *out = NULL;
    if (!kb)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no knowledge base given");
    if (!data && !path)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "neither a file nor data given");
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    if (opts) {
        if (opts->version != POSTRUN_ACTIVITY_OPTIONS_VERSION)
            return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL,
                              "activity options of version %u (this library knows %d)",
                              opts->version, POSTRUN_ACTIVITY_OPTIONS_VERSION);
        o = *opts;
        if (!(o.max_hr_bpm >= 0 && o.max_hr_bpm <= 250))
            return pr_err_set(err, POSTRUN_ERR_RANGE, "max_hr_bpm",
                              "maximum heart rate must be from 0 (the run's own) to 250 bpm");
    }
    postrun_activity *a = pr_calloc(1, sizeof *a);
    if (!a)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory creating an activity");
    pr_strlcpy(a->name, path ? path : "<memory>", sizeof a->name);
    pr_act_data_init(&a->d, a->name);

    unsigned char *owned = NULL;
    postrun_status rc = POSTRUN_OK;
    if (!data) {
        rc = read_whole(path, &owned, &len, err);
        data = owned;
    }
    const unsigned char *p = data;
    if (rc == POSTRUN_OK) {
        if (looks_fit(p, len))
            rc = pr_act_decode_fit(&a->d, p, len, err);
        else if (looks_xml(p, len))
            rc = pr_act_decode_xml(&a->d, p, len, err);
        else
            rc = pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, a->name, 0, 0, NULL,
                            "byte 0: not an activity file (FIT, TCX or GPX)%s",
                            len == 0 ? ": the file is empty" : "");
    }
    pr_free(owned);
    act_data *d = &a->d;
    if (rc == POSTRUN_OK && d->n == 0)
        rc = pr_err_add(err, POSTRUN_ERR_MISSING, POSTRUN_SEVERITY_ERROR, a->name, 0, 0, NULL,
                        "the %s file holds no timed samples: nothing to make a run of",
                        FORMAT_NAMES[d->format]);
    if (rc == POSTRUN_OK && d->sport == ACT_SPORT_OTHER && !(o.flags & POSTRUN_ACTIVITY_ANY_SPORT))
        rc = pr_err_add(err, POSTRUN_ERR_VALUE, POSTRUN_SEVERITY_ERROR, a->name, 0, 0, "sport",
                        "this is a %s activity, not a run (allow any sport to read it anyway)",
                        d->sport_name);
    double *level = NULL;
    if (rc == POSTRUN_OK && (!(a->cum_m = pr_malloc(d->n * sizeof *a->cum_m)) ||
                             !(level = pr_malloc(d->n * sizeof *level))))
        rc = pr_err_add(err, POSTRUN_ERR_NOMEM, POSTRUN_SEVERITY_ERROR, a->name, 0, 0, NULL,
                        "out of memory summarising the activity");
    if (rc != POSTRUN_OK) {
        postrun_activity_free(a);
        return rc;
    }

    const double *pv = kb->params.value;
    const double zone_from[POSTRUN_HR_ZONES] = {0, pv[P_HR_ZONE_LIGHT], pv[P_HR_ZONE_MODERATE],
                                                pv[P_HR_ZONE_VIGOROUS], pv[P_HR_ZONE_NEAR_MAXIMAL]};
    pr_act_summarise(d, &kb->params, o.max_hr_bpm, zone_from, a->cum_m, level, &a->s);
    pr_free(level);
    postrun_activity_summary *s = &a->s;
    s->format = FORMAT_NAMES[d->format];
    s->sport = d->sport_name[0] ? d->sport_name : "unknown";
    s->sub_sport = d->sub_sport;
    format_time(a->started_at, sizeof a->started_at, s->started_at_unix_s);
    s->started_at = a->started_at;
    *out = a;
    return POSTRUN_OK;
}

void postrun_activity_free(postrun_activity *act)
{
    if (!act)
        return;
    pr_act_data_free(&act->d);
    pr_free(act->cum_m);
    pr_free(act);
}

const postrun_activity_summary *postrun_activity_get_summary(const postrun_activity *act)
{
    return act ? &act->s : NULL;
}

size_t postrun_activity_sample_count(const postrun_activity *act) { return act ? act->d.n : 0; }

static double semicircles(int32_t v) { return v == ACT_NO_POS ? NAN : v * (180.0 / 2147483648.0); }
static double byte_or_nan(uint8_t v) { return v ? (double)v : NAN; }

postrun_status postrun_activity_get_sample(const postrun_activity *act, size_t i,
                                           postrun_activity_sample *out)
{
    if (!act || !out || i >= act->d.n || out->version != POSTRUN_ACTIVITY_SAMPLE_VERSION)
        return POSTRUN_ERR_ARGUMENT;
    const act_sample *s = &act->d.sample[i];
    bool pos = s->lat != ACT_NO_POS && s->lon != ACT_NO_POS;
    *out = (postrun_activity_sample){
        .version = POSTRUN_ACTIVITY_SAMPLE_VERSION,
        .time_s = s->t - act->d.sample[0].t,
        .latitude_deg = pos ? semicircles(s->lat) : NAN,
        .longitude_deg = pos ? semicircles(s->lon) : NAN,
        .altitude_m = s->alt_m,
        .distance_m = act->cum_m[i],
        .speed_m_s = s->speed_m_s,
        .heart_rate_bpm = byte_or_nan(s->hr),
        .cadence_rpm = s->cad == ACT_NO_CAD ? NAN : s->cad,
        .temperature_c = s->temp_c,
        .after_pause = s->flags & ACT_AFTER_PAUSE ? 1 : 0,
    };
    return POSTRUN_OK;
}

/* ---- into a run report (the filling itself is act_run.c) ---- */

postrun_status postrun_run_load_activity(postrun_run *run, const postrun_kb *kb,
                                         const char *path, const void *data, size_t len,
                                         const postrun_activity_options *opts,
                                         postrun_error *err)
{
    if (!run) {
        pr_err_reset(err);
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no run given");
    }
    postrun_activity *act = NULL;
    postrun_status rc = postrun_activity_load(&act, kb, path, data, len, opts, err);
    if (rc == POSTRUN_OK) {
        rc = postrun_run_set_activity(run, act, err);
        run->activity = NULL; /* freed below: its values stay, as given ones */
    }
    postrun_activity_free(act);
    return rc;
}
