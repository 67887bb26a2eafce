/*
 * From samples to a run (contract section 4): elapsed and moving time, distance, climbing
 * and descending through a noise filter, heart rate over moving time and by zone, the
 * steepest sustained descent, and a grade-adjusted energy cost summed per segment with the
 * knowledge base's own Minetti cost curve. docs/activity-files.md explains each choice and
 * where its numbers come from; they are signal processing (GPS and altimeter noise), not
 * physiology, which stays in the knowledge base.
 */
#include <math.h>

#include "activity.h"
#include "model.h"

/* Moving means covering at least this much ground per second: slower than any walk, faster
 * than the drift of a GPS fix standing still (docs/activity-files.md, "Moving time"). */
#define STOP_SPEED_M_S 0.5
/* Standing still this long, without pausing the device, is a stop rather than a halt within
 * the run (docs/activity-files.md, "Moving time"). */
#define STOP_MIN_S 120.0
/* Altitude must move this far from the last counted level before a climb or descent
 * counts (docs/activity-files.md, "Elevation"). */
#define ELEVATION_HYSTERESIS_M 5.0
/* "Sustained": a descent averaged over at least this horizontal distance. */
#define SUSTAINED_DESCENT_M 200.0
/* Grade-adjusted energy: the route is cut into segments of this horizontal length. */
#define ENERGY_SEGMENT_M 100.0
/* Mean Earth radius (IUGG), for distances between positions. */
#define EARTH_RADIUS_M 6371008.8
#define J_PER_KCAL 4184.0

static double haversine_m(int32_t lat1, int32_t lon1, int32_t lat2, int32_t lon2)
{
    const double rad = 3.14159265358979323846 / 2147483648.0; /* semicircles to radians */
    double p1 = lat1 * rad, p2 = lat2 * rad;
    double dp = (lat2 - (double)lat1) * rad, dl = (lon2 - (double)lon1) * rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * EARTH_RADIUS_M * asin(sqrt(a > 1 ? 1 : a));
}

static bool has_pos(const act_sample *s) { return s->lat != ACT_NO_POS && s->lon != ACT_NO_POS; }

/* Cumulative distance: the device's own where it recorded one (a counter that goes back,
 * as after a chained file, starts again from its new value), else along the positions. */
static bool cumulate(const act_data *d, double *cum)
{
    bool device = false;
    for (size_t i = 0; i < d->n && !device; i++)
        device = isfinite(d->sample[i].dist_m);
    cum[0] = 0;
    double last = device ? d->sample[0].dist_m : NAN;
    const act_sample *last_pos = has_pos(&d->sample[0]) ? &d->sample[0] : NULL;
    for (size_t i = 1; i < d->n; i++) {
        const act_sample *s = &d->sample[i];
        double delta = 0;
        if (device) {
            if (isfinite(s->dist_m)) {
                if (isfinite(last))
                    delta = s->dist_m >= last ? s->dist_m - last : s->dist_m > 0 ? s->dist_m : 0;
                last = s->dist_m;
            }
        } else if (has_pos(s)) {
            if (last_pos && !(s->flags & ACT_AFTER_PAUSE))
                delta = haversine_m(last_pos->lat, last_pos->lon, s->lat, s->lon);
            last_pos = s;
        }
        cum[i] = cum[i - 1] + delta;
    }
    return device;
}

/* The interval ending at sample i covered less ground than moving needs (never across a
 * pause, which is not counted at all). */
static bool stationary(const act_sample *s, const double *cum, size_t i, bool any_distance)
{
    double dt = s[i].t - s[i - 1].t;
    return any_distance && !(s[i].flags & ACT_AFTER_PAUSE) && dt > 0 &&
           cum[i] - cum[i - 1] < STOP_SPEED_M_S * dt;
}

/* Altitude through the hysteresis filter: the level only moves once the altitude has left it
 * by ELEVATION_HYSTERESIS_M, so noise around a level counts nothing. NaN before the first
 * altitude. Adds up the gain and loss. */
static void filter_altitude(const act_data *d, double *level, double *gain, double *loss)
{
    double at = NAN, up = 0, down = 0;
    for (size_t i = 0; i < d->n; i++) {
        double a = d->sample[i].alt_m;
        if (isfinite(a)) {
            if (isnan(at)) {
                at = a;
            } else if (a - at >= ELEVATION_HYSTERESIS_M) {
                up += a - at;
                at = a;
            } else if (at - a >= ELEVATION_HYSTERESIS_M) {
                down += at - a;
                at = a;
            }
        }
        level[i] = at;
    }
    *gain = isnan(at) ? NAN : up;
    *loss = isnan(at) ? NAN : down;
}

void pr_act_summarise(const act_data *d, const kb_params *p, double max_hr_bpm,
                   const double zone_from[POSTRUN_HR_ZONES], double *cum,
                   double *level, postrun_activity_summary *out)
{
    const act_sample *s = d->sample;
    size_t n = d->n;
    memset(out, 0, sizeof *out);
    out->samples = n;
    out->started_at_unix_s = isfinite(d->device.start_t) ? d->device.start_t : s[0].t;
    out->elapsed_min = (s[n - 1].t - s[0].t) / 60;
    out->distance_from_device = cumulate(d, cum);
    bool any_distance = cum[n - 1] > 0;
    out->distance_km = any_distance ? cum[n - 1] / 1000 : NAN;

    /* Moving time and heart rate: each interval between two samples counts with the later
     * sample's values (a device records what it measured over the interval that ends). */
    double moving_s = 0, hr_s = 0, hr_sum = 0, max_hr = 0, temp_sum = 0;
    size_t temp_n = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].hr > max_hr)
            max_hr = s[i].hr;
        if (isfinite(s[i].temp_c)) {
            temp_sum += s[i].temp_c;
            temp_n++;
        }
    }
    double zone_ref = max_hr_bpm > 0 ? max_hr_bpm : max_hr;
    bool zones = !isnan(zone_from[0]) && zone_ref > 0;
    for (int z = 0; z < POSTRUN_HR_ZONES; z++) {
        out->zone_from[z] = zones ? zone_from[z] : NAN;
        out->zone_min[z] = zones ? 0 : NAN;
    }
    for (size_t i = 1; i < n;) {
        /* A run of stationary intervals is a stop only when it lasts STOP_MIN_S; a shorter
         * halt (lights, a drink) is part of the run, as the device's timer counts it. */
        size_t j = i;
        double still_s = 0;
        while (j < n && stationary(s, cum, j, any_distance)) {
            still_s += s[j].t - s[j - 1].t;
            j++;
        }
        bool stop = j > i && still_s >= STOP_MIN_S;
        size_t to = j > i ? j : i + 1;
        for (; i < to; i++) {
            double dt = s[i].t - s[i - 1].t;
            if (stop || dt <= 0 || (s[i].flags & ACT_AFTER_PAUSE))
                continue;
            moving_s += dt;
            if (s[i].hr) {
                hr_s += dt;
                hr_sum += s[i].hr * dt;
                if (zones) {
                    int z = POSTRUN_HR_ZONES - 1;
                    while (z > 0 && s[i].hr < zone_from[z] * zone_ref)
                        z--;
                    out->zone_min[z] += dt / 60;
                }
            }
        }
    }
    out->moving_min = moving_s / 60;
    out->avg_hr_bpm = hr_s > 0 ? hr_sum / hr_s : NAN;
    out->max_hr_bpm = max_hr > 0 ? max_hr : NAN;
    out->zone_max_hr_bpm = zones ? zone_ref : NAN;
    out->device_temperature_c = temp_n ? temp_sum / (double)temp_n : NAN;

    /* Elevation, the steepest sustained descent and the energy, on the filtered altitude. */
    double gain = NAN, loss = NAN;
    out->steepest_descent_pct = NAN;
    out->steepest_descent_m = NAN;
    out->energy_kcal_per_kg = NAN;
    {
        filter_altitude(d, level, &gain, &loss);
        out->elevation_gain_m = gain;
        out->elevation_loss_m = loss;
        /* Steepest descent: for each end j, the start i furthest along that still leaves
         * SUSTAINED_DESCENT_M of ground between them. */
        size_t i = 0;
        double steepest = 0, steepest_len = NAN;
        for (size_t j = 0; j < n; j++) {
            if (isnan(level[j]))
                continue;
            while (i + 1 < j && cum[j] - cum[i + 1] >= SUSTAINED_DESCENT_M)
                i++;
            double len = cum[j] - cum[i];
            if (len >= SUSTAINED_DESCENT_M && !isnan(level[i])) {
                double g = (level[j] - level[i]) / len;
                if (g < steepest) {
                    steepest = g;
                    steepest_len = len;
                }
            }
        }
        if (any_distance && cum[n - 1] >= SUSTAINED_DESCENT_M && !isnan(gain)) {
            out->steepest_descent_pct = -steepest * 100;
            out->steepest_descent_m = isnan(steepest_len) ? 0 : steepest_len;
        }
        /* Energy: Minetti's cost at each segment's grade times its length. */
        if (any_distance) {
            double j_kg = 0;
            size_t a = 0, segs = 0;
            for (size_t b = 1; b < n; b++) {
                double len = cum[b] - cum[a];
                if (len < ENERGY_SEGMENT_M && b + 1 < n)
                    continue;
                double grade = isnan(level[a]) || isnan(level[b]) || len <= 0
                                   ? 0 : (level[b] - level[a]) / len;
                j_kg += pr_model_minetti_cr(p, grade) * len;
                segs++;
                a = b;
            }
            out->energy_kcal_per_kg = j_kg / J_PER_KCAL;
            out->energy_segments = segs;
        }
    }

    const act_device *dv = &d->device;
    out->device_elapsed_min = dv->elapsed_s / 60;
    out->device_moving_min = dv->timer_s / 60;
    out->device_distance_km = dv->distance_m / 1000;
    out->device_avg_hr_bpm = dv->avg_hr_bpm;
    out->device_max_hr_bpm = dv->max_hr_bpm;
}
