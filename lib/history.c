/*
 * Building a history (include/postrun.h, docs/history.md): run reports and activity files
 * reduced to entries, sorted by start time, checked for duplicates, and the glycogen each run
 * left chained from one run to the next with the model's own equations.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history.h"
#include "kb.h"
#include "run_impl.h"
#include "vocab.h"

#define SAME_RUN_S 60.0 /* two entries this close in start time are one run given twice */

static const param_id DENSITY_BY_STATUS[] = {P_GLYCOGEN_DENSITY_NOVICE,
                                             P_GLYCOGEN_DENSITY_RECREATIONAL,
                                             P_GLYCOGEN_DENSITY_TRAINED, P_GLYCOGEN_DENSITY_ELITE};

postrun_status postrun_history_builder_new(postrun_history_builder **out, const postrun_kb *kb,
                                           postrun_error *err)
{
    pr_err_reset(err);
    if (!out || !kb)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "out or kb is NULL");
    postrun_history_builder *b = pr_calloc(1, sizeof *b);
    if (!b)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    b->kb = kb;
    *out = b;
    return POSTRUN_OK;
}

void postrun_history_builder_free(postrun_history_builder *b)
{
    if (!b)
        return;
    pr_free(b->e);
    pr_free(b);
}

void postrun_history_free(postrun_history *h)
{
    if (!h)
        return;
    pr_free(h->e);
    pr_free(h->long_idx);
    pr_free(h);
}

size_t postrun_history_count(const postrun_history *h) { return h ? h->n : 0; }

static build_entry *new_entry(postrun_history_builder *b, postrun_error *err)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        build_entry *e = pr_realloc(b->e, cap * sizeof *e);
        if (!e) {
            pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
            return NULL;
        }
        b->e = e;
        b->cap = cap;
    }
    build_entry *e = &b->e[b->n];
    memset(e, 0, sizeof *e);
    return e;
}

/* What every entry needs from its fields (report or activity). */
static void fill_common(const postrun_kb *kb, build_entry *be, const double *f)
{
    hist_entry *e = &be->e;
    const kb_params *p = &kb->params;
    double minutes = f[RF_DURATION_MIN];
    e->start_s = f[RF_STARTED_AT];
    e->end_s = e->start_s + minutes * 60.0;
    e->distance_km = f[RF_DISTANCE_KM] > 0 ? f[RF_DISTANCE_KM] : 0;
    e->descent_m = isnan(f[RF_ELEVATION_LOSS_M]) ? 0 : f[RF_ELEVATION_LOSS_M];
    e->body_mass_kg = f[RF_BODY_MASS_KG];
    e->carbohydrate_since_g = f[RF_CARBOHYDRATE_SINCE_G];
    e->long_run = minutes >= p->value[P_LONG_RUN_MIN];
    e->damaged = model_muscle_damaged(p, f);
    e->sweat_log_ratio = NAN;
    e->sweat_log_var = NAN;
    e->start_frac = e->end_frac = 1;
    double st = f[RF_TRAINING_STATUS];
    int status = st >= 0 && st <= STATUS_ELITE ? (int)st : STATUS_RECREATIONAL;
    e->density = kb->params.value[DENSITY_BY_STATUS[status]];
    memcpy(be->field, f, sizeof be->field);
}

/* ln(measured / predicted sweat) of a run with a weigh-in, when it can teach anything. */
static void calibrate_entry(const postrun_kb *kb, build_entry *be)
{
    const kb_params *p = &kb->params;
    hist_entry *e = &be->e;
    double *f = be->field;
    if (isnan(f[RF_PRE_KG]) || isnan(f[RF_POST_KG]))
        return;
    tri m[M_COUNT];
    double g[RF_COUNT];
    memcpy(g, f, sizeof g);
    pr_model_evaluate(p, g, m, NULL);
    double measured = m[M_SWEAT_LOSS_L].x;
    g[RF_PRE_KG] = g[RF_POST_KG] = g[RF_URINE_ML] = NAN;
    pr_model_evaluate(p, g, m, NULL);
    double predicted = m[M_SWEAT_LOSS_L].x;
    double noise = sqrt(2.0) * p->value[P_SCALE_RESOLUTION_KG];
    /* A loss within the scale's noise, or a ratio no body has, is a measurement problem. */
    double max = p->value[P_SWEAT_CALIBRATION_RATIO_MAX];
    if (!(measured > noise) || !(predicted > 0))
        return;
    double r = measured / predicted;
    if (!(r <= max && r >= 1 / max))
        return;
    double day = p->value[P_SWEAT_DAY_TO_DAY_SD_LOG];
    double rel = noise / measured;
    e->sweat_log_ratio = log(r);
    e->sweat_log_var = day * day + rel * rel;
}

static void set_source(hist_entry *e, const char *file, size_t doc)
{
    if (doc)
        snprintf(e->source, sizeof e->source, "%s#%zu", file ? file : "<run>", doc);
    else
        snprintf(e->source, sizeof e->source, "%s", file ? file : "<run>");
}

static postrun_status add_report(postrun_history_builder *b, const postrun_run *run,
                                 const char *file, size_t doc, postrun_error *err)
{
    resolved_run rr;
    postrun_status rc = pr_run_resolve(run, b->kb, &rr, err);
    if (rc != POSTRUN_OK)
        return rc;
    if (isnan(rr.field[RF_STARTED_AT])) {
        uint32_t line = 0, col = 0;
        postrun_run_position(run, &line, &col);
        return pr_err_add(err, POSTRUN_ERR_MISSING, POSTRUN_SEVERITY_ERROR,
                          file ? file : "", line, col, "run.started_at",
                          "a run of a history needs its start time (run %zu of this file)",
                          doc ? doc : b->n + 1);
    }
    build_entry *be = new_entry(b, err);
    if (!be)
        return POSTRUN_ERR_NOMEM;
    fill_common(b->kb, be, rr.field);
    hist_entry *e = &be->e;
    set_source(e, file, doc);
    for (size_t i = 0; i < rr.n_symptoms && i < HIST_MAX_SYMPTOMS; i++)
        e->symptom[e->n_symptoms++] = rr.symptom[i].symptom;
    calibrate_entry(b->kb, be);
    b->n++;
    return POSTRUN_OK;
}

postrun_status postrun_history_builder_add_run(postrun_history_builder *b, const postrun_run *run,
                                               postrun_error *err)
{
    pr_err_reset(err);
    if (!b || !run)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or run is NULL");
    return add_report(b, run, NULL, 0, err);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return false;
    }
    return true;
}

static bool is_yaml(const char *p) { return ends_with(p, ".yaml") || ends_with(p, ".yml"); }
static bool is_activity(const char *p)
{
    return ends_with(p, ".fit") || ends_with(p, ".tcx") || ends_with(p, ".gpx");
}

static bool is_run_file(const char *name) { return is_yaml(name) || is_activity(name); }

static postrun_status add_activity(postrun_history_builder *b, const char *path,
                                   postrun_error *err)
{
    postrun_run *run = NULL;
    postrun_status rc = postrun_run_new(&run, b->kb, err);
    if (rc != POSTRUN_OK)
        return rc;
    rc = postrun_run_load_activity(run, b->kb, path, NULL, 0, NULL, err);
    if (rc == POSTRUN_OK && isnan(run->field[RF_STARTED_AT]))
        rc = pr_err_add(err, POSTRUN_ERR_MISSING, POSTRUN_SEVERITY_ERROR, path, 0, 0,
                        "run.started_at", "the activity file holds no start time");
    if (rc == POSTRUN_OK && !(run->field[RF_DURATION_MIN] > 0))
        rc = pr_err_add(err, POSTRUN_ERR_MISSING, POSTRUN_SEVERITY_ERROR, path, 0, 0,
                        "run.duration_min", "the activity file holds no moving time");
    if (rc == POSTRUN_OK) {
        build_entry *e = new_entry(b, err);
        if (!e) {
            rc = POSTRUN_ERR_NOMEM;
        } else {
            /* No body mass in a watch file: build() lends the nearest report's. */
            fill_common(b->kb, e, run->field);
            set_source(&e->e, path, 0);
            b->n++;
        }
    }
    postrun_run_free(run);
    return rc;
}

static postrun_status add_stream(postrun_history_builder *b, const char *path, postrun_error *err)
{
    postrun_stream *s = NULL;
    postrun_run *run = NULL;
    postrun_status rc = postrun_stream_open_file(&s, b->kb, path, err);
    if (rc == POSTRUN_OK)
        rc = postrun_run_new(&run, b->kb, err);
    while (rc == POSTRUN_OK) {
        rc = postrun_stream_next(s, run, err);
        if (rc == POSTRUN_DONE) {
            rc = POSTRUN_OK;
            break;
        }
        if (rc == POSTRUN_OK)
            rc = add_report(b, run, path, postrun_stream_document(s), err);
    }
    postrun_run_free(run);
    postrun_stream_free(s);
    return rc;
}

static postrun_status add_file(postrun_history_builder *b, const char *path, postrun_error *err)
{
    if (is_activity(path))
        return add_activity(b, path, err);
    return add_stream(b, path, err);
}


postrun_status postrun_history_builder_add_path(postrun_history_builder *b, const char *path,
                                                postrun_error *err)
{
    pr_err_reset(err);
    if (!b || !path)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or path is NULL");
    struct stat st;
    if (stat(path, &st) != 0)
        return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                          "cannot open: %s", strerror(errno));
    size_t before = b->n;
    postrun_status rc = POSTRUN_OK;
    if (!S_ISDIR(st.st_mode)) {
        rc = add_file(b, path, err);
        if (rc != POSTRUN_OK)
            b->n = before;
        return rc;
    }
    char **names = NULL;
    size_t n = 0;
    rc = pr_dir_list(path, is_run_file, &names, &n, err);
    if (rc != POSTRUN_OK)
        return rc;
    for (size_t i = 0; i < n && rc == POSTRUN_OK; i++)
        rc = add_file(b, names[i], err);
    if (rc != POSTRUN_OK)
        b->n = before;
    pr_dir_list_free(names, n);
    return rc;
}

static int cmp_start(const void *a, const void *b)
{
    const hist_entry *x = &((const build_entry *)a)->e, *y = &((const build_entry *)b)->e;
    return (x->start_s > y->start_s) - (x->start_s < y->start_s);
}

double pr_history_refill(const postrun_kb *kb, const hist_entry *e, double end_frac, double hours,
                      double carbohydrate_g, int *assumed)
{
    const kb_params *p = &kb->params;
    if (assumed)
        *assumed = 0;
    if (!(e->muscle_full_g > 0) || hours < 0)
        return 1;
    double density = e->density;
    double deficit = (1 - end_frac) * density;
    double by_rate = fmin(deficit, pr_model_refilled_g_per_kg(p, hours, e->damaged));
    double muscle_kg = e->muscle_full_g / density;
    if (isnan(carbohydrate_g)) {
        carbohydrate_g = p->value[P_REFUEL_ASSUMED_G_KG_DAY] * e->body_mass_kg * hours / 24.0;
        if (assumed)
            *assumed = 1;
    }
    double by_food = carbohydrate_g * p->value[P_REFUEL_MUSCLE_SHARE];
    double g = fmin(by_rate * muscle_kg, by_food);
    return fmin(1.0, end_frac + g / e->muscle_full_g);
}

/* Lends a body mass to entries without one (activity files): the nearest report's before,
 * else after. */
static void lend_mass(build_entry *e, size_t n)
{
    double last = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(e[i].e.body_mass_kg))
            last = e[i].e.body_mass_kg;
        else
            e[i].e.body_mass_kg = last;
    }
    last = NAN;
    for (size_t i = n; i-- > 0;) {
        if (!isnan(e[i].field[RF_BODY_MASS_KG]))
            last = e[i].field[RF_BODY_MASS_KG];
        else if (isnan(e[i].e.body_mass_kg))
            e[i].e.body_mass_kg = last;
    }
}

/* The glycogen each run left, in time order: its start from the run before's end and the
 * refilling between them, its use from the model started there. */
static void chain(const postrun_kb *kb, build_entry *be, size_t n)
{
    const kb_params *p = &kb->params;
    tri m[M_COUNT];
    for (size_t i = 0; i < n; i++) {
        hist_entry *x = &be[i].e;
        if (isnan(x->body_mass_kg))
            continue; /* no mass anywhere in the history: not modelled (stays full) */
        be[i].field[RF_BODY_MASS_KG] = x->body_mass_kg;
        double start = 1;
        const hist_entry *prev = i > 0 ? &be[i - 1].e : NULL;
        if (prev && prev->muscle_full_g > 0) {
            double gap_h = (x->start_s - prev->end_s) / 3600.0;
            if (gap_h < 0)
                gap_h = 0;
            if (gap_h < p->value[P_CARRYOVER_WINDOW_H])
                start = pr_history_refill(kb, prev, prev->end_frac, gap_h,
                                       x->carbohydrate_since_g, NULL);
        }
        model_history_in h = {0};
        h.sweat_factor = tri_const(1);
        h.muscle_start = start < 1 ? tri_const(start) : tri_nan();
        pr_model_evaluate_fast_history(p, be[i].field, &h, m, NULL);
        x->start_frac = start;
        x->muscle_full_g = m[M_MUSCLE_STORE_BEFORE_G].x / start;
        double left = m[M_MUSCLE_REMAINING_PCT].x / 100.0;
        x->end_frac = isnan(left) ? start : start * left;
    }
}

postrun_status postrun_history_builder_build(postrun_history_builder *b, postrun_history **out,
                                             postrun_error *err)
{
    pr_err_reset(err);
    if (!b || !out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or out is NULL");
    postrun_history *h = pr_calloc(1, sizeof *h);
    if (!h)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    if (b->n)
        qsort(b->e, b->n, sizeof *b->e, cmp_start);
    for (size_t i = 1; i < b->n; i++) {
        const hist_entry *x = &b->e[i].e, *prev = &b->e[i - 1].e;
        if (x->start_s - prev->start_s < SAME_RUN_S) {
            char when[32];
            pr_iso8601_format(when, sizeof when, x->start_s);
            pr_free(h);
            return pr_err_add(err, POSTRUN_ERR_DUPLICATE, POSTRUN_SEVERITY_ERROR, x->source, 0,
                              0, "run.started_at",
                              "starts at %s, within a minute of %s: the same run given twice",
                              when, prev->source);
        }
    }
    if (b->n && !(h->e = pr_malloc(b->n * sizeof *h->e))) {
        pr_free(h);
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    }
    lend_mass(b->e, b->n);
    chain(b->kb, b->e, b->n);
    /* Running sums, so that an assessment reads what came before any run in O(1). */
    double prec = 0, weighted = 0, km = 0;
    int weigh_ins = 0, long_runs = 0;
    for (size_t i = 0; i < b->n; i++) {
        hist_entry *e = &b->e[i].e;
        e->km_before = km;
        km += e->distance_km;
        e->prec_before = prec;
        e->weighted_before = weighted;
        e->weigh_ins_before = weigh_ins;
        e->long_runs_before = long_runs;
        if (!isnan(e->sweat_log_ratio)) {
            prec += 1 / e->sweat_log_var;
            weighted += e->sweat_log_ratio / e->sweat_log_var;
            weigh_ins++;
        }
        long_runs += e->long_run;
    }
    h->prec_all = prec;
    h->weighted_all = weighted;
    h->weigh_ins_all = weigh_ins;
    h->long_runs_all = long_runs;
    if (long_runs && !(h->long_idx = pr_malloc((size_t)long_runs * sizeof *h->long_idx))) {
        pr_free(h->e);
        pr_free(h);
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    }
    for (size_t i = 0, j = 0; i < b->n; i++) {
        h->e[i] = b->e[i].e;
        if (b->e[i].e.long_run)
            h->long_idx[j++] = (uint32_t)i;
    }
    for (int f = 0; f < RF_COUNT; f++)
        h->last_field[f] = b->n ? b->e[b->n - 1].field[f] : NAN;
    h->cramps = pr_kb_symptom_index(b->kb, "cramps");
    h->kb = b->kb;
    h->n = b->n;
    b->n = 0; /* the builder keeps its room for the next history */
    *out = h;
    return POSTRUN_OK;
}
