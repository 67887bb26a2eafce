/*
 * The decoded form of an activity file that every decoder (act_fit.c, act_xml.c) fills: the
 * sample array, the device's own summary, and the sport named in the file. Shared by the
 * decoders and the public side (activity.c), using neither.
 */
#include <math.h>
#include <string.h>

#include "activity.h"

void pr_act_data_init(act_data *d, const char *name)
{
    memset(d, 0, sizeof *d);
    d->name = name;
    d->device = (act_device){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0};
    d->last_t = -INFINITY;
}

void pr_act_data_free(act_data *d)
{
    pr_free(d->sample);
    d->sample = NULL;
    d->n = d->cap = 0;
}

act_sample pr_act_blank(double t)
{
    return (act_sample){.t = t, .dist_m = NAN, .lat = ACT_NO_POS, .lon = ACT_NO_POS,
                        .alt_m = NAN, .speed_m_s = NAN, .temp_c = NAN, .cad = ACT_NO_CAD};
}

postrun_status pr_act_push(act_data *d, const act_sample *s, postrun_error *err, const char *where)
{
    /* Samples must go forward in time: one that goes back (a clock correction, a merged file
     * out of order) is dropped and counted, not sorted in. */
    if (!(s->t >= d->last_t)) {
        d->dropped++;
        return POSTRUN_OK;
    }
    if (d->n == d->cap) {
        if (d->n >= ACT_MAX_SAMPLES) {
            return pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, d->name, 0, 0, NULL,
                              "%s: more than %d samples (72 hours at one a second)", where,
                              ACT_MAX_SAMPLES);
        }
        size_t cap = d->cap ? d->cap * 2 : 1024;
        if (cap > ACT_MAX_SAMPLES)
            cap = ACT_MAX_SAMPLES;
        act_sample *p = pr_realloc(d->sample, cap * sizeof *p);
        if (!p)
            return pr_err_add(err, POSTRUN_ERR_NOMEM, POSTRUN_SEVERITY_ERROR, d->name, 0, 0, NULL,
                              "%s: out of memory for the samples", where);
        d->sample = p;
        d->cap = cap;
    }
    act_sample *to = &d->sample[d->n++];
    *to = *s;
    if (d->pause_pending && d->n > 1)
        to->flags |= ACT_AFTER_PAUSE;
    d->pause_pending = false;
    d->last_t = s->t;
    return POSTRUN_OK;
}

void pr_act_device_add(act_device *to, double start, double elapsed, double timer, double dist,
                    double avg_hr, double max_hr, double ascent, double descent)
{
    /* Each total adds up over sessions (or laps); heart rate averages by timer time. */
#define ADD(f, v)                                                                             \
    do {                                                                                      \
        if (!isnan(v))                                                                        \
            to->f = isnan(to->f) ? (v) : to->f + (v);                                         \
    } while (0)
    if (!isnan(start) && (isnan(to->start_t) || start < to->start_t))
        to->start_t = start;
    ADD(elapsed_s, elapsed);
    ADD(timer_s, timer);
    ADD(distance_m, dist);
    ADD(ascent_m, ascent);
    ADD(descent_m, descent);
#undef ADD
    if (!isnan(avg_hr)) {
        double w = !isnan(timer) && timer > 0 ? timer : 1;
        double sum = isnan(to->avg_hr_bpm) ? 0 : to->avg_hr_bpm * to->hr_weight_s;
        to->hr_weight_s += w;
        to->avg_hr_bpm = (sum + avg_hr * w) / to->hr_weight_s;
    }
    if (!isnan(max_hr) && (isnan(to->max_hr_bpm) || max_hr > to->max_hr_bpm))
        to->max_hr_bpm = max_hr;
}

void pr_act_set_sport_word(act_data *d, const char *word)
{
    char w[32];
    size_t n = 0;
    for (; word[n] && n + 1 < sizeof w; n++) {
        char ch = word[n];
        w[n] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch == ' ' || ch == '-' ? '_' : ch;
    }
    w[n] = '\0';
    if (n == 0)
        return;
    if (strcmp(w, "running") == 0 || strcmp(w, "run") == 0 || strstr(w, "_running") ||
        strstr(w, "running_") || strcmp(w, "trail_run") == 0) {
        d->sport = ACT_SPORT_RUNNING;
        pr_strlcpy(d->sport_name, "running", sizeof d->sport_name);
        if (strstr(w, "trail"))
            pr_strlcpy(d->sub_sport, "trail", sizeof d->sub_sport);
        else if (strstr(w, "treadmill"))
            pr_strlcpy(d->sub_sport, "treadmill", sizeof d->sub_sport);
        return;
    }
    /* Free text (GPX <type>, TCX "Other"): only a word that names another sport refuses the
     * file; anything else says nothing about the sport. */
    static const char *const OTHER[] = {"bik", "cycl", "ride", "walk", "hik", "swim", "ski",
                                        "row", "paddl", "kayak", "skat", "mountaineer",
                                        "golf", "tennis", "soccer", "yoga", "strength",
                                        "elliptical", "motor", "driv", "fly", "sail"};
    d->sport = ACT_SPORT_UNKNOWN;
    for (size_t i = 0; i < PR_ARRAY_LEN(OTHER); i++)
        if (strstr(w, OTHER[i]))
            d->sport = ACT_SPORT_OTHER;
    if (d->sport == ACT_SPORT_UNKNOWN)
        return;
    pr_strlcpy(d->sport_name, w, sizeof d->sport_name);
}
