/*
 * A run report filled from an activity: the fields the report leaves out, each marked as taken
 * from the file (its assumption says so). Apart from activity.c so that reading run reports
 * (run_yaml.c fills each report from the run's activity) needs nothing of the decoders.
 */
#include <math.h>
#include <stdio.h>

#include "activity.h"
#include "run_impl.h"

static void take(postrun_run *run, postrun_error *err, const postrun_activity *act, int f,
                 double v)
{
    if (!isnan(run->field[f]) || isnan(v))
        return; /* the report's own value wins; nothing to give */
    const run_field_info *fi = &PR_RUN_FIELDS[f];
    if (v < fi->min || v > fi->max) {
        char num[32];
        pr_run_fmt_num(num, sizeof num, round(v * 100) / 100);
        pr_err_add(err, POSTRUN_ERR_RANGE, POSTRUN_SEVERITY_WARNING, act->name, 0, 0, fi->path,
                   "%s from the activity file is outside %g..%g: left out", num, fi->min,
                   fi->max);
        return;
    }
    run->field[f] = v;
    run->from_activity |= (uint64_t)1 << f;
}

void pr_run_fill_from_activity(postrun_run *run, postrun_error *err)
{
    const postrun_activity *act = run->activity;
    const postrun_activity_summary *s = &act->s;
    if (isnan(run->field[RF_POSTRUN]))
        run->field[RF_POSTRUN] = 1;
    take(run, err, act, RF_DURATION_MIN, s->moving_min);
    take(run, err, act, RF_DISTANCE_KM, s->distance_km);
    take(run, err, act, RF_ELEVATION_GAIN_M, s->elevation_gain_m);
    take(run, err, act, RF_ELEVATION_LOSS_M, s->elevation_loss_m);
    take(run, err, act, RF_AVG_HR_BPM, s->avg_hr_bpm);
    take(run, err, act, RF_TEMPERATURE_C, s->device_temperature_c);
    /* The device's clock, not an estimate: no assumption to say. */
    if (isnan(run->field[RF_STARTED_AT]) && s->started_at_unix_s >= 0)
        run->field[RF_STARTED_AT] = s->started_at_unix_s;
    if (isnan(run->field[RF_SURFACE]) && s->sub_sport[0]) {
        for (int w = 0; PR_SURFACE_WORDS[w]; w++)
            if (strcmp(PR_SURFACE_WORDS[w], s->sub_sport) == 0) {
                run->field[RF_SURFACE] = w;
                run->from_activity |= (uint64_t)1 << RF_SURFACE;
            }
    }
}

postrun_status postrun_run_set_activity(postrun_run *run, const postrun_activity *act,
                                        postrun_error *err)
{
    pr_err_reset(err);
    if (!run)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no run given");
    run->activity = act;
    if (act)
        pr_run_fill_from_activity(run, err);
    return POSTRUN_OK;
}

