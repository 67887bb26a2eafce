/*
 * A run in the light of the runs before it (docs/history.md): training load of the last 7 and
 * 28 days (Gabbett 2016's rolling averages, and the uncoupled ratio of Lolli 2019), Foster's
 * monotony and strain, the personal sweat factor (a Bayesian update of a log-multiplier from
 * earlier weigh-ins), the glycogen the last run left, the repeated-bout effect and recurring
 * symptoms of long runs. Allocates nothing: an assessment with a history costs one pass over
 * the runs of the last weeks and a binary search.
 */
#include <math.h>
#include <string.h>

#include "history.h"
#include "kb.h"
#include "run.h"

#define DAY_S 86400.0
#define SAME_RUN_S 60.0
/* The standard normal's 90th percentile: an 80 % central interval is mean +- Z80 sd. */
#define Z80 1.2815515655446004

size_t pr_history_before(const postrun_history *h, double t)
{
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->e[mid].start_s < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Distance of entries [i, k): from the running sums build() kept. */
static double km_between(const postrun_history *h, size_t i, size_t k)
{
    if (i >= k)
        return 0;
    const hist_entry *last = &h->e[k - 1];
    return last->km_before + last->distance_km - h->e[i].km_before;
}

static void load(const postrun_history *h, size_t k, double t, resolved_run *rr,
                 model_history_in *in)
{
    const kb_params *p = &h->kb->params;
    double acute_d = p->value[P_LOAD_ACUTE_DAYS], chronic_d = p->value[P_LOAD_CHRONIC_DAYS];
    double today = rr->field[RF_DISTANCE_KM] > 0 ? rr->field[RF_DISTANCE_KM] : 0;
    /* Entries [ia, k) started less than 7 days before this run, [ic, k) less than 28; each
     * found by binary search (a start exactly 7 days before belongs to the week before). */
    size_t ia = pr_history_before(h, t - acute_d * DAY_S), ic = pr_history_before(h, t - chronic_d * DAY_S);
    while (ia < k && t - h->e[ia].start_s >= acute_d * DAY_S)
        ia++;
    while (ic < k && t - h->e[ic].start_s >= chronic_d * DAY_S)
        ic++;
    if (ia > k)
        ia = k;
    if (ic > ia)
        ic = ia;
    double acute = today + km_between(h, ia, k), chronic = today + km_between(h, ic, k);
    double before_acute = km_between(h, ic, ia);
    /* Daily distance of the acute window by days before this run (0 = the 24 hours up to its
     * start, with this run). */
    double day[64] = {0};
    int nd = (int)acute_d;
    if (nd < 1 || nd > 64)
        nd = 7;
    day[0] = today;
    for (size_t i = ia; i < k; i++) {
        int d = (int)((t - h->e[i].start_s) / DAY_S);
        if (d >= 0 && d < nd)
            day[d] += h->e[i].distance_km;
    }
    in->acute_km = in->chronic_km = in->acwr_uncoupled = in->monotony = in->strain = NAN;
    /* A history that starts inside the 4 weeks would understate the chronic load. */
    int covered = k > 0 && h->e[0].start_s <= t - (chronic_d - 1) * DAY_S;
    int report_gives =
        !isnan(rr->field[RF_ACUTE_WEEK_KM]) || !isnan(rr->field[RF_CHRONIC_WEEK_KM]);
    if (k > 0 && h->e[0].start_s <= t - (acute_d - 1) * DAY_S) {
        in->acute_km = acute; /* the week alone is known from a week of history */
        if (!covered && !report_gives)
            rr->field[RF_ACUTE_WEEK_KM] = acute;
    }
    if (!covered) {
        if (!report_gives)
            assume(&rr->assumptions, A_HISTORY_SHORT, RF_CHRONIC_WEEK_KM, NAN, NAN);
        return;
    }
    double weeks = chronic_d / acute_d;
    in->acute_km = acute;
    in->chronic_km = chronic / weeks;
    double rest = before_acute / (weeks - 1);
    in->acwr_uncoupled = rest > 0 ? acute / rest : NAN;
    /* Foster 1998 on daily distance (session RPE where every run has one would be his
     * measure; distance is what every history holds). */
    double mean = acute / nd, var = 0;
    for (int d = 0; d < nd; d++)
        var += (day[d] - mean) * (day[d] - mean);
    double sd = sqrt(var / nd);
    if (sd > 0) {
        in->monotony = mean / sd;
        in->strain = acute * in->monotony;
    }
    /* The report's own figures win; only a report that gives neither week is filled. */
    if (!report_gives) {
        rr->field[RF_ACUTE_WEEK_KM] = in->acute_km;
        rr->field[RF_CHRONIC_WEEK_KM] = in->chronic_km;
        assume(&rr->assumptions, A_LOAD_FROM_HISTORY, -1, in->acute_km, in->chronic_km);
    }
}

/* Normal prior on this runner's log-multiplier of the predicted sweat rate, from the
 * population's between-person factor (its 10th-90th percentiles) less the day-to-day part;
 * each weigh-in a normal observation of it with the day-to-day and the scale's noise. */
static void sweat(const postrun_history *h, size_t k, resolved_run *rr, model_history_in *in)
{
    const kb_params *p = &h->kb->params;
    tri f = param_tri(p, P_SWEAT_PERSON_FACTOR);
    double day = p->value[P_SWEAT_DAY_TO_DAY_SD_LOG];
    double s0 = (log(f.hi) - log(f.lo)) / (2 * Z80);
    double person_var = s0 * s0 - day * day;
    if (person_var < 0.25 * s0 * s0)
        person_var = 0.25 * s0 * s0;
    double precision = 1 / person_var, weighted = log(f.x) / person_var;
    /* the weigh-ins of the runs before the k-th: the sums build() kept */
    int n = k < h->n ? h->e[k].weigh_ins_before : h->weigh_ins_all;
    precision += k < h->n ? h->e[k].prec_before : h->prec_all;
    weighted += k < h->n ? h->e[k].weighted_before : h->weighted_all;
    in->weigh_ins = n;
    if (!n)
        return;
    double mu = weighted / precision;
    double sd = sqrt(1 / precision + day * day);
    in->sweat_factor = tri_make(exp(mu - Z80 * sd), exp(mu), exp(mu + Z80 * sd));
    assume(&rr->assumptions, A_SWEAT_PERSONAL, -1, n, exp(mu));
}

static void glycogen(const postrun_history *h, size_t k, double t, resolved_run *rr,
                     model_history_in *in)
{
    const kb_params *p = &h->kb->params;
    in->muscle_start = tri_nan();
    if (!k)
        return;
    const hist_entry *e = &h->e[k - 1];
    double gap_h = (t - e->end_s) / 3600.0;
    if (gap_h < 0)
        gap_h = 0;
    if (gap_h >= p->value[P_CARRYOVER_WINDOW_H] || !(e->muscle_full_g > 0))
        return;
    int assumed = 0;
    double carbs = rr->field[RF_CARBOHYDRATE_SINCE_G];
    double start = pr_history_refill(h->kb, e, e->end_frac, gap_h, carbs, &assumed);
    if (assumed)
        assume(&rr->assumptions, A_REFUEL_ASSUMED, RF_CARBOHYDRATE_SINCE_G,
               p->value[P_REFUEL_ASSUMED_G_KG_DAY] * e->body_mass_kg * gap_h / 24.0, NAN);
    if (start < 0.995) {
        in->muscle_start = tri_const(start);
        assume(&rr->assumptions, A_GLYCOGEN_CARRIED, -1, round(start * 100), NAN);
    }
}

/* McHugh 2003, Nosaka 2001: a similar downhill bout within weeks protects. */
static void repeated_bout(const postrun_history *h, size_t k, double t, const resolved_run *rr,
                          model_history_in *in)
{
    const kb_params *p = &h->kb->params;
    double descent = isnan(rr->field[RF_ELEVATION_LOSS_M]) ? 0 : rr->field[RF_ELEVATION_LOSS_M];
    in->repeated_bout = 0;
    if (!(descent > 0))
        return;
    double from = t - p->value[P_REPEATED_BOUT_DAYS] * DAY_S;
    double need = descent * p->value[P_REPEATED_BOUT_SIMILARITY];
    for (size_t i = k; i-- > 0 && h->e[i].start_s >= from;)
        if (h->e[i].descent_m >= need) {
            in->repeated_bout = 1;
            return;
        }
}

static void patterns(const postrun_history *h, size_t k, const resolved_run *rr,
                     hist_result *out)
{
    const kb_params *p = &h->kb->params;
    int window = (int)p->value[P_PATTERN_LONG_RUNS], min = (int)p->value[P_PATTERN_MIN_COUNT];
    if (window < 1 || window > 32)
        window = 4;
    /* The symptoms of the last `window` long runs, this one first when it is long. */
    const uint16_t *sym[32];
    uint16_t nsym[32];
    uint16_t today[PR_MAX_SYMPTOMS];
    int n = 0;
    if (rr->field[RF_DURATION_MIN] >= p->value[P_LONG_RUN_MIN]) {
        for (size_t i = 0; i < rr->n_symptoms; i++)
            today[i] = rr->symptom[i].symptom;
        sym[n] = today;
        nsym[n++] = (uint16_t)rr->n_symptoms;
    }
    /* the long runs before the k-th, from the index build() kept */
    int before = k < h->n ? h->e[k].long_runs_before : h->long_runs_all;
    for (int j = before; j-- > 0 && n < window;) {
        const hist_entry *e = &h->e[h->long_idx[j]];
        sym[n] = e->symptom;
        nsym[n++] = e->n_symptoms;
    }
    out->in.long_runs = n;
    int cramps = h->cramps;
    out->in.cramp_long_runs = 0;
    out->n_patterns = 0;
    /* Every symptom of those runs, counted once per run. */
    for (int r = 0; r < n; r++)
        for (int j = 0; j < nsym[r]; j++) {
            uint16_t s = sym[r][j];
            int seen = 0;
            for (int q = 0; q < r && !seen; q++)
                for (int u = 0; u < nsym[q]; u++)
                    seen |= sym[q][u] == s;
            if (seen)
                continue;
            int count = 0;
            for (int q = r; q < n; q++)
                for (int u = 0; u < nsym[q]; u++)
                    if (sym[q][u] == s) {
                        count++;
                        break;
                    }
            if ((int)s == cramps)
                out->in.cramp_long_runs = count;
            if (count >= min && out->n_patterns < HIST_MAX_PATTERNS)
                out->pattern[out->n_patterns++] =
                    (hist_pattern){s, (uint8_t)count, (uint8_t)n};
        }
}

void pr_history_inputs(const postrun_history *h, resolved_run *rr, hist_result *out)
{
    double t = rr->field[RF_STARTED_AT];
    memset(out, 0, sizeof *out);
    out->used = 1;
    model_history_in *in = &out->in;
    in->sweat_factor = tri_const(1);
    size_t k = pr_history_before(h, t - SAME_RUN_S);
    in->runs = (double)k;
    load(h, k, t, rr, in);
    sweat(h, k, rr, in);
    glycogen(h, k, t, rr, in);
    repeated_bout(h, k, t, rr, in);
    patterns(h, k, rr, out);
}
