/*
 * Output of histories: the `history:` and `patterns:` sections of an assessment made with one,
 * and postrun_history_render(), the athlete's trends as of the last run (YAML, JSON, text).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "history.h"
#include "kb.h"
#include "render.h"

#define DAY_S 86400.0
#define TREND_WEEKS 12

static void key(owriter *w, const char *k) { w->str(w, k); }

static void patterns(owriter *w, const postrun_kb *kb, const hist_result *r)
{
    key(w, "patterns");
    w->seq_begin(w, false);
    for (size_t i = 0; i < r->n_patterns; i++) {
        const hist_pattern *p = &r->pattern[i];
        w->map_begin(w);
        key(w, "id");
        w->str(w, "recurring_symptom");
        key(w, "symptom");
        w->str(w, kb->symptoms[p->symptom].m.id);
        key(w, "count");
        w->num(w, p->count);
        key(w, "of");
        w->num(w, p->of);
        w->map_end(w);
    }
    w->seq_end(w);
}

static void inputs(owriter *w, const model_history_in *in, tri muscle_start_pct)
{
    key(w, "runs_before");
    w->num(w, in->runs);
    key(w, "acute_km");
    w->num(w, in->acute_km);
    key(w, "chronic_km");
    w->num(w, in->chronic_km);
    key(w, "acwr");
    w->num(w, in->chronic_km > 0 ? in->acute_km / in->chronic_km : NAN);
    key(w, "acwr_uncoupled");
    w->num(w, in->acwr_uncoupled);
    key(w, "monotony");
    w->num(w, in->monotony);
    key(w, "strain");
    w->num(w, in->strain);
    key(w, "weigh_ins");
    w->num(w, in->weigh_ins);
    key(w, "sweat_factor");
    if (in->weigh_ins > 0)
        pr_render_range(w, in->sweat_factor);
    else
        w->num(w, NAN);
    key(w, "muscle_glycogen_start_pct");
    pr_render_range(w, muscle_start_pct);
    key(w, "repeated_bout");
    w->boolean(w, in->repeated_bout != 0);
    key(w, "long_runs");
    w->num(w, in->long_runs);
}

void pr_history_render_walk(owriter *w, postrun_assessment *a)
{
    if (!a->hist.used)
        return;
    key(w, "history");
    w->map_begin(w);
    inputs(w, &a->hist.in, a->metric[RF_COUNT + M_HIST_MUSCLE_START_PCT]);
    w->map_end(w);
    patterns(w, a->kb, &a->hist);
}

void pr_history_render_text(pr_buf *b, const postrun_assessment *a, bool color)
{
    if (!a->hist.used)
        return;
    const model_history_in *in = &a->hist.in;
    pr_buf_puts(b, "\n");
    if (color)
        pr_buf_puts(b, "\033[1m");
    pr_buf_puts(b, "Your runs before this one");
    if (color)
        pr_buf_puts(b, "\033[0m");
    pr_buf_printf(b, "\n  Runs in the history %.0f", in->runs);
    if (!isnan(in->acute_km)) {
        pr_buf_puts(b, "; last 7 days ");
        pr_buf_put_number(b, in->acute_km, 0);
        pr_buf_puts(b, " km");
    }
    if (!isnan(in->chronic_km)) {
        pr_buf_puts(b, ", an average week of the last 4 ");
        pr_buf_put_number(b, in->chronic_km, 0);
        pr_buf_puts(b, " km");
    }
    pr_buf_puts(b, "\n");
    if (in->weigh_ins > 0)
        pr_buf_printf(b, "  Your sweat rate     %.2f x an average runner's in the same weather "
                      "(%.2f-%.2f), from %d weigh-ins\n",
                   in->sweat_factor.x, in->sweat_factor.lo, in->sweat_factor.hi,
                   in->weigh_ins);
    tri start = a->metric[RF_COUNT + M_HIST_MUSCLE_START_PCT];
    if (start.x < 99.5) {
        pr_buf_puts(b, "  Leg glycogen before ");
        pr_buf_put_number(b, start.x, 0);
        pr_buf_puts(b, " % of full, after the runs before and the food since\n");
    }
    if (in->repeated_bout)
        pr_buf_puts(b, "  A similar downhill run in the last weeks protects your legs from "
                    "soreness\n");
    for (size_t i = 0; i < a->hist.n_patterns; i++) {
        const hist_pattern *p = &a->hist.pattern[i];
        pr_buf_printf(b, "  Pattern             %s in %d of your last %d long runs\n",
                   a->kb->symptoms[p->symptom].m.name, p->count, p->of);
    }
}

/* ---- postrun_history_render() ---- */

typedef struct trends {
    const postrun_history *h;
    hist_result r;
    double weekly_km[TREND_WEEKS];
    double last_end_pct;
} trends;

static void trends_of(const postrun_history *h, trends *t)
{
    memset(t, 0, sizeof *t);
    t->h = h;
    if (!h->n) { /* nothing is known */
        model_history_in *in = &t->r.in;
        in->acute_km = in->chronic_km = in->acwr_uncoupled = in->monotony = in->strain = NAN;
        in->muscle_start = tri_nan();
        t->last_end_pct = NAN;
        return;
    }
    const hist_entry *last = &h->e[h->n - 1];
    resolved_run rr;
    memset(&rr, 0, sizeof rr);
    memcpy(rr.field, h->last_field, sizeof rr.field);
    rr.n_symptoms = last->n_symptoms;
    for (size_t i = 0; i < last->n_symptoms; i++)
        rr.symptom[i].symptom = last->symptom[i];
    pr_history_inputs(h, &rr, &t->r);
    double end = last->start_s + 1;
    for (size_t i = h->n; i-- > 0;) {
        int wk = (int)((end - h->e[i].start_s) / (7 * DAY_S));
        if (wk >= TREND_WEEKS)
            break;
        t->weekly_km[TREND_WEEKS - 1 - wk] += h->e[i].distance_km;
    }
    t->last_end_pct = last->muscle_full_g > 0 ? last->end_frac * 100 : NAN;
}

static void trends_walk(owriter *w, void *ctx)
{
    const trends *t = ctx;
    const postrun_history *h = t->h;
    char when[32];
    w->map_begin(w);
    key(w, "runs");
    w->num(w, (double)h->n);
    key(w, "first");
    pr_iso8601_format(when, sizeof when, h->n ? h->e[0].start_s : NAN);
    w->str(w, when);
    key(w, "last");
    pr_iso8601_format(when, sizeof when, h->n ? h->e[h->n - 1].start_s : NAN);
    w->str(w, when);
    key(w, "weekly_km");
    w->seq_begin(w, true);
    for (int i = 0; i < TREND_WEEKS; i++)
        w->num(w, t->weekly_km[i]);
    w->seq_end(w);
    key(w, "as_of_last_run");
    w->map_begin(w);
    tri full = tri_make(t->r.in.muscle_start.lo * 100, t->r.in.muscle_start.x * 100,
                        t->r.in.muscle_start.hi * 100);
    if (isnan(t->r.in.muscle_start.x) && h->n)
        full = tri_const(100); /* nothing carried over: a full store */
    inputs(w, &t->r.in, full);
    key(w, "muscle_glycogen_after_pct");
    w->num(w, t->last_end_pct);
    w->map_end(w);
    patterns(w, h->kb, &t->r);
    w->map_end(w);
}

static int to_buf(void *ud, const char *data, size_t len)
{
    pr_buf *b = ud;
    pr_buf_put(b, data, len);
    return b->failed ? -1 : 0;
}

static void num_line(pr_buf *b, const char *label, double v, const char *unit)
{
    pr_buf_puts(b, label);
    if (isnan(v))
        pr_buf_puts(b, "unknown");
    else
        pr_buf_put_number(b, v, -1);
    pr_buf_puts(b, unit);
    pr_buf_puts(b, "\n");
}

static void text(pr_buf *b, const trends *t)
{
    const postrun_history *h = t->h;
    const model_history_in *in = &t->r.in;
    char first[32], last[32];
    pr_iso8601_format(first, sizeof first, h->n ? h->e[0].start_s : NAN);
    pr_iso8601_format(last, sizeof last, h->n ? h->e[h->n - 1].start_s : NAN);
    if (!h->n) {
        pr_buf_puts(b, "History: no runs\n");
        return;
    }
    pr_buf_printf(b, "History: %zu runs, %s to %s\n", h->n, first, last);
    pr_buf_puts(b, "Weekly distance (km, oldest first):");
    for (int i = 0; i < TREND_WEEKS; i++) {
        pr_buf_puts(b, " ");
        pr_buf_put_number(b, t->weekly_km[i], 0);
    }
    pr_buf_puts(b, "\n");
    num_line(b, "Last 7 days: ", in->acute_km, " km");
    num_line(b, "Average week of the last 4: ", in->chronic_km, " km");
    num_line(b, "Acute:chronic ratio: ",
             in->chronic_km > 0 ? in->acute_km / in->chronic_km : NAN, "");
    num_line(b, "Uncoupled ratio: ", in->acwr_uncoupled, "");
    num_line(b, "Monotony (Foster): ", in->monotony, "");
    num_line(b, "Strain (Foster): ", in->strain, " km");
    if (in->weigh_ins > 0)
        pr_buf_printf(b, "Personal sweat rate: %.2f x the heat balance (80 %% interval %.2f-%.2f), "
                      "from %d weigh-ins\n",
                   in->sweat_factor.x, in->sweat_factor.lo, in->sweat_factor.hi, in->weigh_ins);
    else
        pr_buf_puts(b, "Personal sweat rate: no usable weigh-ins yet\n");
    num_line(b, "Leg-muscle glycogen after the last run: ", t->last_end_pct, " %");
    for (size_t i = 0; i < t->r.n_patterns; i++)
        pr_buf_printf(b, "Pattern: %s in %d of the last %d long runs\n",
                   h->kb->symptoms[t->r.pattern[i].symptom].m.id, t->r.pattern[i].count,
                   t->r.pattern[i].of);
}

postrun_status postrun_history_render(const postrun_history *h, postrun_format format,
                                      char **out, size_t *len, postrun_error *err)
{
    pr_err_reset(err);
    if (!h || !out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "history or out is NULL");
    *out = NULL;
    trends t;
    trends_of(h, &t);
    pr_buf b = {0};
    postrun_status rc = POSTRUN_OK;
    switch (format) {
    case POSTRUN_FORMAT_YAML: rc = pr_render_yaml_with(trends_walk, &t, to_buf, &b); break;
    case POSTRUN_FORMAT_JSON: rc = pr_render_json_with(trends_walk, &t, 0, to_buf, &b); break;
    case POSTRUN_FORMAT_TEXT: text(&b, &t); break;
    default: return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "unknown format %d", (int)format);
    }
    if (b.failed) /* the writer's failure is the buffer's: out of memory, not I/O */
        rc = POSTRUN_ERR_NOMEM;
    if (rc == POSTRUN_OK && !b.data) {
        pr_buf_put(&b, "", 0);
        if (b.failed || !b.data)
            rc = POSTRUN_ERR_NOMEM;
    }
    if (rc != POSTRUN_OK) {
        pr_buf_free(&b);
        return pr_err_set(err, rc, NULL, "out of memory writing the history");
    }
    *out = b.data;
    if (len)
        *len = b.len;
    return POSTRUN_OK;
}
