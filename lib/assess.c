/*
 * The assessment object: allocation (once per knowledge base), postrun_assess() running the
 * models and inference, lazy text rendering, and the public accessors.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assess_impl.h"
#include "render.h"

postrun_status postrun_assessment_new(postrun_assessment **out, const postrun_kb *kb,
                                      postrun_error *err)
{
    pr_err_reset(err);
    if (!out || !kb)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "out or kb is NULL");
    *out = NULL;
    postrun_assessment *a = pr_calloc(1, sizeof *a);
    if (!a)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    a->kb = kb;
    a->hist_metrics = true; /* zeroed, not unknown: the first assessment clears them */
    pr_run_field_facts_init(&a->rf);
    size_t nc = kb->n_causes ? kb->n_causes : 1;
    size_t max_contrib = kb->n_causes + kb->n_links + kb->n_rules + 1;
    size_t max_flags = kb->n_flags ? kb->n_flags : 1;
    size_t max_recs = kb->n_recs ? kb->n_recs : 1;
    bool ok = true;
#define ALLOC(field, count)                                                                    \
    ok = ok && (a->field = pr_calloc((count), sizeof *a->field)) != NULL
    ALLOC(obs, kb->n_observations + 1);
    ALLOC(sym_sev, kb->n_symptoms + 1);
    ALLOC(sym_onset, kb->n_symptoms + 1);
    ALLOC(sym_where, kb->n_symptoms + 1);
    ALLOC(truth, kb->n_conds + 1);
    ALLOC(flags, max_flags);
    ALLOC(because, kb->n_conds + 1);
    ALLOC(logit, nc);
    ALLOC(score, nc);
    ALLOC(linked, nc);
    ALLOC(link_w, nc * PR_MAX_SYMPTOMS);
    ALLOC(offer, nc);
    ALLOC(rec_best, max_recs);
    ALLOC(superseded, max_recs);
    ALLOC(causes, nc);
    ALLOC(contribs, max_contrib);
    ALLOC(explains, kb->n_links + 1);
    ALLOC(recs, max_recs);
    ALLOC(doses, kb->n_doses + 1);
    ALLOC(withdrawn, max_recs);
    ALLOC(miscs, kb->n_miscs + 1);
    ALLOC(notes, kb->n_notes + 1);
    ALLOC(warnings, kb->n_notes + 1);
    ALLOC(t.flag_advice, max_flags);
    ALLOC(t.because, kb->n_conds + 1);
    ALLOC(t.contrib, max_contrib);
    ALLOC(t.rec, max_recs);
    ALLOC(t.withdrawn, max_recs);
    ALLOC(t.misc, kb->n_miscs + 1);
    ALLOC(t.note, kb->n_notes + 1);
    ALLOC(t.warning, kb->n_notes + 1);
    ALLOC(t.assumption, PR_MAX_ASSUMPTIONS);
#undef ALLOC
    if (!ok) {
        postrun_assessment_free(a);
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    }
    /* Nothing observed, no symptom: postrun_assess() keeps it so, putting back only the
     * entries the run before set. */
    for (size_t i = 0; i < kb->n_observations; i++)
        a->obs[i] = NAN;
    for (size_t i = 0; i < kb->n_symptoms; i++) {
        a->sym_sev[i] = NAN;
        a->sym_onset[i] = NAN;
    }
    /* A score 1 / (1 + exp(-x)) is below recommendation_min_score m when x is below
     * log(m / (1 - m)); the margin covers the rounding of both sides many times over (a
     * cause inside it is scored exactly, as every cause was before). */
    double m = kb->parameters[kb->min_score_param].value;
    a->min_logit = m > 1e-12 && m < 1 - 1e-9 ? log(m / (1 - m)) - 1e-3 : -INFINITY;
    a->limit = POSTRUN_DEFAULT_LIMIT;
    *out = a;
    return POSTRUN_OK;
}

void postrun_assessment_free(postrun_assessment *a)
{
    if (!a)
        return;
    void *arrays[] = {a->obs,           a->sym_sev,       a->sym_onset,  a->sym_where,
                      a->flags,         a->because,       a->logit,      a->causes,
                      a->contribs,      a->explains,      a->recs,       a->doses,
                      a->withdrawn,     a->miscs,         a->notes,      a->t.flag_advice,
                      a->t.because,     a->t.contrib,     a->t.rec,      a->t.misc,
                      a->t.note,        a->t.assumption, a->t.withdrawn, a->truth,
                      a->score,         a->linked,        a->link_w,    a->offer,
                      a->rec_best,      a->warnings,      a->t.warning, a->superseded};
    for (size_t i = 0; i < PR_ARRAY_LEN(arrays); i++)
        pr_free(arrays[i]);
    pr_buf_free(&a->text);
    pr_free(a);
}

static void reset(postrun_assessment *a)
{
    a->valid = false;
    a->contribs_ready = false;
    a->texts_ready = false;
    a->n_flags = a->n_because = a->n_causes = a->n_contribs = a->n_explains = 0;
    a->n_recs = a->n_doses = a->n_withdrawn = a->n_miscs = a->n_notes = a->n_warnings = 0;
    a->run.n_symptoms = a->run.n_observations = 0;
    a->run.assumptions.n = 0;
    a->run.id = "";
    a->hist.used = 0;
}

postrun_status postrun_assess(postrun_assessment *a, const postrun_run *run, postrun_error *err)
{
    /* A tail call: an assessment without a history pays two instructions for the other. */
    return postrun_assess_with_history(a, run, NULL, err);
}

postrun_status postrun_assess_with_history(postrun_assessment *a, const postrun_run *run,
                                           const postrun_history *h, postrun_error *err)
{
    pr_err_reset(err);
    if (!a || !run)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "assessment or run is NULL");
    if (h && h->kb != a->kb)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL,
                          "the history was built with another knowledge base");
    /* The per-kb observation and symptom arrays hold "none" everywhere but at the entries of
     * the run last assessed (a->run, emptied by reset() when an assessment fails): clear those
     * rather than every entry. */
    for (size_t i = 0; i < a->run.n_observations; i++)
        a->obs[a->run.observation[i].observation] = NAN;
    for (size_t i = 0; i < a->run.n_symptoms; i++) {
        size_t s = a->run.symptom[i].symptom;
        a->sym_sev[s] = NAN;
        a->sym_onset[s] = NAN;
        a->sym_where[s] = 0;
    }
    reset(a);
    const postrun_kb *kb = a->kb;
    postrun_status rc = pr_run_resolve_with(run, kb, &a->rf, &a->run, err);
    if (rc != POSTRUN_OK) {
        reset(a);
        return rc;
    }
    if (h) { /* reset() left a->hist.used 0 */
        if (isnan(a->run.field[RF_STARTED_AT])) {
            reset(a);
            return pr_err_set(err, POSTRUN_ERR_MISSING, "run.started_at",
                              "a run assessed with a history needs its start time");
        }
        pr_history_inputs(h, &a->run, &a->hist);
    }
    pr_strlcpy(a->id, a->run.id ? a->run.id : "", sizeof a->id);
    a->run.id = a->id;
    for (size_t i = 0; i < RF_COUNT; i++) {
        double v = a->run.field[i];
        a->metric[i] = (tri){v, v, v};
    }
    /* Glycogen and muscle-water intervals only when read (pr_assess_intervals()), unless the
     * knowledge base's conditions or formulas read them. */
    if (a->hist.used) {
        a->hist_metrics = true;
    } else if (a->hist_metrics) { /* pr_model_evaluate_fast_history() leaves them as they are */
        for (int m = M_HIST_RUNS; m <= M_HIST_CRAMP_LONG_RUNS; m++)
            a->metric[RF_COUNT + m] = tri_nan();
        a->hist_metrics = false;
    }
    pr_model_evaluate_fast_history(&kb->params, a->run.field, a->hist.used ? &a->hist.in : NULL,
                                &a->metric[RF_COUNT], &a->run.assumptions);
    a->intervals_ready = false;
    if (kb->eager_intervals)
        pr_assess_intervals(a);

    for (size_t i = 0; i < a->run.n_observations; i++)
        a->obs[a->run.observation[i].observation] = a->run.observation[i].value;
    for (size_t i = 0; i < a->run.n_symptoms; i++) {
        const resolved_symptom *s = &a->run.symptom[i];
        a->sym_sev[s->symptom] = s->severity;
        a->sym_onset[s->symptom] = s->onset_h;
        a->sym_where[s->symptom] = s->where;
    }

    pr_infer_conditions(a);
    pr_infer_red_flags(a);
    pr_infer_causes(a);
    pr_infer_recommendations(a);
    pr_infer_misconceptions(a);
    a->valid = true;
    return POSTRUN_OK;
}

/* ---- texts ---- */

static uint32_t begin_text(postrun_assessment *a) { return (uint32_t)a->text.len; }
static void end_text(postrun_assessment *a) { pr_buf_put(&a->text, "", 1); }

/* A run field's name in plain words, and its unit: "environment.temperature_c" gives
 * "temperature" and "°C"; "intake.fluid_ml" gives "fluid during the run" and "ml". */
void pr_field_words(const char *path, pr_buf *b, const char **unit)
{
    static const char *const suffix[][2] = {
        {"_mmol_l", "mmol/l"}, {"_ml_kg_min", "ml/kg/min"}, {"_h_ago", "h ago"},
        {"_m_s", "m/s"},       {"_pct", "%"},  {"_bpm", "bpm"}, {"_min", "min"},
        {"_kg", "kg"},         {"_cm", "cm"},  {"_km", "km"},   {"_ml", "ml"},
        {"_mg", "mg"},         {"_c", "°C"},   {"_y", "years"}, {"_g", "g"},
        {"_m", "m"},           {"_h", "h"}};
    const char *dot = strrchr(path, '.');
    const char *name = dot ? dot + 1 : path;
    if (strcmp(name, "ended_h_ago") == 0) {
        pr_buf_puts(b, "time since the run");
        *unit = "h";
        return;
    }
    size_t n = strlen(name);
    *unit = "";
    for (size_t i = 0; i < PR_ARRAY_LEN(suffix); i++) {
        size_t l = strlen(suffix[i][0]);
        if (n > l && strcmp(name + n - l, suffix[i][0]) == 0) {
            n -= l;
            *unit = suffix[i][1];
            break;
        }
    }
    for (size_t i = 0; i < n; i++)
        pr_buf_put(b, name[i] == '_' ? " " : name + i, 1);
    if (strncmp(path, "intake.", 7) == 0 && strcmp(name, "fasted") != 0 &&
        strncmp(name, "pre_run", 7) != 0)
        pr_buf_puts(b, " during the run");
}

static void render_assumption(postrun_assessment *a, const pr_assumption *as)
{
    const char *t = pr_assumption_template((assumption_code)as->code);
    const char *unit = "";
    for (const char *p = t; *p; p++) {
        if (*p != '%' || !p[1]) {
            size_t n = strcspn(p + 1, "%") + 1; /* the text up to the next '%' at once */
            pr_buf_put(&a->text, p, n);
            p += n - 1;
            continue;
        }
        char k = *++p;
        if (k == 'f' && as->code == A_DEFAULT && as->field < 0) {
            /* a symptom's severity: v[1] is the symptom's index */
            pr_buf_puts(&a->text, "severity of ");
            pr_buf_puts(&a->text, a->kb->symptoms[(size_t)as->v[1]].m.name);
        } else if (k == 'f') {
            if (as->field >= 0)
                pr_field_words(PR_RUN_FIELDS[as->field].path, &a->text, &unit);
            else
                pr_buf_puts(&a->text, "a field");
        } else if (k == '0' || k == '1') {
            double v = as->v[k - '0'];
            const run_field_info *fi = as->field >= 0 ? &PR_RUN_FIELDS[as->field] : NULL;
            if (fi && k == '0' && fi->type == FT_ENUM && !isnan(v))
                pr_buf_puts(&a->text, fi->words[(int)v]);
            else if (fi && k == '0' && fi->type == FT_BOOL)
                pr_buf_puts(&a->text, v != 0 ? "yes" : "no");
            else {
                pr_buf_put_number(&a->text, v, -1);
                if (fi && k == '0' && unit[0])
                    pr_buf_printf(&a->text, "%s%s", strcmp(unit, "%") == 0 ? "" : " ", unit);
            }
        } else {
            pr_buf_put(&a->text, p - 1, 2);
        }
    }
}

static void render_contrib(postrun_assessment *a, const eval_ctx *c, const a_cause *ac,
                           const a_contrib *k)
{
    const postrun_kb *kb = a->kb;
    switch (k->source) {
    case POSTRUN_CONTRIBUTION_PRIOR:
        pr_buf_puts(&a->text, "how often ");
        pr_buf_puts(&a->text, kb->causes[ac->cause].m.name);
        pr_buf_puts(&a->text, " explains how runners feel, before any evidence");
        break;
    case POSTRUN_CONTRIBUTION_SYMPTOM:
        pr_buf_puts(&a->text, "you reported ");
        pr_buf_puts(&a->text, kb->symptoms[k->ref].m.name);
        pr_buf_puts(&a->text, " (severity ");
        pr_buf_put_number(&a->text, k->value, 0);
        pr_buf_puts(&a->text, "/10)");
        break;
    default: {
        const kb_rule *r = &kb->rules[k->ref];
        if (r->text >= 0) {
            pr_template_render(c, r->text, &a->text);
        } else {
            pr_buf_puts(&a->text, r->m.name);
            pr_buf_puts(&a->text, ": ");
            pr_cond_auto_text(c, r->cond, &a->text);
        }
    }
    }
}

void pr_assess_intervals(postrun_assessment *a)
{
    if (a->intervals_ready)
        return;
    pr_model_complete_intervals_history(&a->kb->params, a->run.field,
                                     a->hist.used ? &a->hist.in : NULL, &a->metric[RF_COUNT]);
    a->intervals_ready = true;
}

postrun_status pr_ensure_texts(postrun_assessment *a)
{
    pr_assess_intervals(a);
    if (a->texts_ready)
        return POSTRUN_OK;
    pr_ensure_contribs(a);
    const postrun_kb *kb = a->kb;
    a->text.len = 0;
    a->text.failed = false;
    eval_ctx c;
    pr_assess_ctx(a, &c, NULL);
    for (size_t i = 0; i < a->n_flags; i++) {
        a->t.flag_advice[i] = begin_text(a);
        pr_template_render(&c, a->flags[i].advice, &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->n_because; i++) {
        a->t.because[i] = begin_text(a);
        pr_cond_auto_text(&c, a->because[i], &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->n_causes; i++) {
        const a_cause *ac = &a->causes[i];
        for (uint32_t j = 0; j < ac->n_contrib; j++) {
            a->t.contrib[ac->contrib_first + j] = begin_text(a);
            render_contrib(a, &c, ac, &a->contribs[ac->contrib_first + j]);
            end_text(a);
        }
    }
    for (size_t i = 0; i < a->n_recs; i++) {
        eval_ctx rc;
        pr_assess_ctx(a, &rc, &a->doses[a->recs[i].dose_first]);
        a->t.rec[i] = begin_text(a);
        pr_template_render(&rc, kb->recs[a->recs[i].rec].text, &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->n_withdrawn; i++) {
        const a_withdrawn *w = &a->withdrawn[i];
        a->t.withdrawn[i] = begin_text(a);
        if (w->flag != NO_FLAG)
            pr_buf_puts(&a->text, kb->flags[w->flag].m.name);
        else if (w->contra == DOSE_LIMIT)
            pr_buf_puts(&a->text, "its dose would plan more fluid per hour than the kidneys can "
                               "clear");
        else
            pr_template_render(&c, kb->contras[w->contra].text, &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->n_miscs; i++) {
        a->t.misc[i] = begin_text(a);
        pr_template_render(&c, kb->miscs[a->miscs[i]].text, &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->n_notes; i++) {
        a->t.note[i] = begin_text(a);
        pr_template_render(&c, kb->notes[a->notes[i]].text, &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->n_warnings; i++) {
        a->t.warning[i] = begin_text(a);
        pr_template_render(&c, kb->notes[a->warnings[i]].text, &a->text);
        end_text(a);
    }
    for (size_t i = 0; i < a->run.assumptions.n; i++) {
        a->t.assumption[i] = begin_text(a);
        render_assumption(a, &a->run.assumptions.item[i]);
        end_text(a);
    }
    if (a->text.failed) {
        a->text.failed = false;
        a->text.len = 0;
        return POSTRUN_ERR_NOMEM;
    }
    a->texts_ready = true;
    return POSTRUN_OK;
}

/* ---- accessors ---- */

const char *pr_likelihood_word(const postrun_kb *kb, double score)
{
    static const char *const words[4] = {"very likely", "likely", "possible", "less likely"};
    for (int i = 0; i < 3; i++) {
        if (kb->likelihood_param[i] < 0)
            return NULL;
        if (score >= kb->parameters[kb->likelihood_param[i]].value)
            return words[i];
    }
    return words[3];
}

const char *postrun_assessment_id(const postrun_assessment *a)
{
    return a && a->valid && a->run.id ? a->run.id : "";
}

static size_t str_fields(void)
{
    size_t n = 0;
    for (size_t i = 0; i < RF_COUNT; i++)
        n += PR_RUN_FIELDS[i].type == FT_STR;
    return n;
}

/* Public metric index -> internal (string fields are not metrics). */
static long metric_internal(size_t i)
{
    for (size_t k = 0; k < MI_COUNT; k++) {
        if (k < RF_COUNT && PR_RUN_FIELDS[k].type == FT_STR)
            continue;
        if (i-- == 0)
            return (long)k;
    }
    return -1;
}

size_t postrun_metric_count(void) { return MI_COUNT - str_fields(); }

static const char *internal_name(long k)
{
    return k < RF_COUNT ? PR_RUN_FIELDS[k].path : PR_METRICS[k - RF_COUNT].name;
}

const char *postrun_metric_name(size_t i)
{
    long k = metric_internal(i);
    return k < 0 ? NULL : internal_name(k);
}

const char *postrun_metric_unit(size_t i)
{
    long k = metric_internal(i);
    if (k < 0)
        return NULL;
    if (k >= RF_COUNT)
        return PR_METRICS[k - RF_COUNT].unit;
    /* Input fields carry their unit in their name (contract): take the suffix. */
    const char *p = PR_RUN_FIELDS[k].path;
    static const char *const suffixes[][2] = {
        {"_kg", "kg"},   {"_cm", "cm"},     {"_y", "y"},        {"_mmol_l", "mmol/l"},
        {"_ml_kg_min", "ml/kg/min"}, {"_bpm", "bpm"}, {"_min", "min"}, {"_km", "km"},
        {"_m", "m"},     {"_h_ago", "h"},   {"_c", "C"},        {"_pct", "%"},
        {"_m_s", "m/s"}, {"_ml", "ml"},     {"_g", "g"},        {"_mg", "mg"},
        {"_h", "h"}};
    size_t lp = strlen(p);
    for (size_t s = 0; s < PR_ARRAY_LEN(suffixes); s++) {
        size_t ls = strlen(suffixes[s][0]);
        if (lp > ls && strcmp(p + lp - ls, suffixes[s][0]) == 0)
            return suffixes[s][1];
    }
    return "";
}

long postrun_metric_index(const char *name)
{
    if (!name)
        return -1;
    size_t n = postrun_metric_count();
    for (size_t i = 0; i < n; i++)
        if (strcmp(postrun_metric_name(i), name) == 0)
            return (long)i;
    return -1;
}

static postrun_status metric_out(postrun_assessment *a, long k, postrun_range *out)
{
    if (!a || !out || k < 0)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid) {
        out->low = out->expected = out->high = NAN;
        return POSTRUN_ERR_NOT_FOUND;
    }
    if (k >= RF_COUNT && pr_model_metric_has_lazy_interval((int)k - RF_COUNT))
        pr_assess_intervals(a);
    tri t = a->metric[k];
    out->low = t.lo;
    out->expected = t.x;
    out->high = t.hi;
    return isnan(t.x) ? POSTRUN_ERR_NOT_FOUND : POSTRUN_OK;
}

postrun_status postrun_assessment_metric(postrun_assessment *a, const char *name,
                                         postrun_range *out)
{
    if (!a || !name || !out)
        return POSTRUN_ERR_ARGUMENT;
    unsigned comp;
    int k = pr_kb_metric_lookup(name, &comp);
    if (k < 0 || comp != COMP_X) {
        if (out)
            out->low = out->expected = out->high = NAN;
        return POSTRUN_ERR_NOT_FOUND;
    }
    return metric_out(a, k, out);
}

postrun_status postrun_assessment_metric_at(postrun_assessment *a, size_t i,
                                            postrun_range *out)
{
    if (!a || !out)
        return POSTRUN_ERR_ARGUMENT;
    long k = metric_internal(i);
    if (k < 0) {
        if (out)
            out->low = out->expected = out->high = NAN;
        return POSTRUN_ERR_NOT_FOUND;
    }
    return metric_out(a, k, out);
}

const char *postrun_assessment_label(const postrun_assessment *a, const char *name)
{
    if (!a || !a->valid || !name)
        return NULL;
    int k = pr_kb_metric_lookup(name, NULL);
    if (k < 0)
        return NULL;
    const char *const *words = k < RF_COUNT ? (PR_RUN_FIELDS[k].type == FT_ENUM ? PR_RUN_FIELDS[k].words : NULL)
                                            : (PR_METRICS[k - RF_COUNT].kind == MK_ENUM
                                                   ? PR_METRICS[k - RF_COUNT].words
                                                   : NULL);
    double v = a->metric[k].x;
    if (!words || isnan(v))
        return NULL;
    return words[(int)v];
}

size_t postrun_assessment_red_flag_count(const postrun_assessment *a)
{
    return a && a->valid ? a->n_flags : 0;
}

postrun_status postrun_assessment_red_flag(postrun_assessment *a, size_t i, postrun_red_flag *out)
{
    if (!a || !out || out->version != POSTRUN_RED_FLAG_VERSION)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a->n_flags)
        return POSTRUN_ERR_NOT_FOUND;
    postrun_status rc = pr_ensure_texts(a);
    if (rc)
        return rc;
    const kb_flag *f = &a->kb->flags[a->flags[i].flag];
    out->id = f->m.id;
    out->name = f->m.name;
    out->urgency = (postrun_urgency)a->flags[i].urgency;
    out->advice = a_text(a, a->t.flag_advice[i]);
    out->n_because = a->flags[i].n_because;
    return POSTRUN_OK;
}

const char *postrun_assessment_red_flag_because(postrun_assessment *a, size_t i, size_t j)
{
    if (!a || !a->valid || i >= a->n_flags || j >= a->flags[i].n_because || pr_ensure_texts(a))
        return NULL;
    return a_text(a, a->t.because[a->flags[i].because_first + j]);
}

postrun_urgency postrun_assessment_max_urgency(const postrun_assessment *a)
{
    if (!a || !a->valid || a->n_flags == 0)
        return POSTRUN_URGENCY_NONE;
    return (postrun_urgency)a->flags[0].urgency;
}

size_t postrun_assessment_cause_count(const postrun_assessment *a)
{
    return a && a->valid ? a_shown_causes(a) : 0;
}

postrun_status postrun_assessment_cause(const postrun_assessment *a, size_t i, postrun_cause *out)
{
    if (!a || !out || out->version != POSTRUN_CAUSE_VERSION)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a_shown_causes(a))
        return POSTRUN_ERR_NOT_FOUND;
    const a_cause *ac = &a->causes[i];
    const kb_cause *k = &a->kb->causes[ac->cause];
    out->id = k->m.id;
    out->name = k->m.name;
    out->score = ac->score;
    out->n_explains = ac->n_explain;
    out->n_because = ac->n_contrib;
    return POSTRUN_OK;
}

const char *postrun_assessment_cause_explains(const postrun_assessment *a, size_t i, size_t j)
{
    if (!a || !a->valid || i >= a_shown_causes(a) || j >= a->causes[i].n_explain)
        return NULL;
    return a->kb->symptoms[a->explains[a->causes[i].explain_first + j]].m.id;
}

postrun_status postrun_assessment_cause_because(postrun_assessment *a, size_t i, size_t j,
                                                postrun_contribution *out)
{
    if (!a || !out || out->version != POSTRUN_CONTRIBUTION_VERSION)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a_shown_causes(a) || j >= a->causes[i].n_contrib)
        return POSTRUN_ERR_NOT_FOUND;
    postrun_status rc = pr_ensure_texts(a);
    if (rc)
        return rc;
    uint32_t ci = a->causes[i].contrib_first + (uint32_t)j;
    const a_contrib *k = &a->contribs[ci];
    out->kind = (postrun_contribution_kind)k->source;
    out->value = k->value;
    out->weight = k->weight;
    out->text = a_text(a, a->t.contrib[ci]);
    switch (k->source) {
    case POSTRUN_CONTRIBUTION_PRIOR: out->ref = "prior"; break;
    case POSTRUN_CONTRIBUTION_SYMPTOM: out->ref = a->kb->symptoms[k->ref].m.id; break;
    case POSTRUN_CONTRIBUTION_METRIC: out->ref = internal_name(a->kb->rules[k->ref].metric); break;
    default: out->ref = a->kb->rules[k->ref].m.id; break;
    }
    return POSTRUN_OK;
}

/* The rule behind a metric contribution (for renderers that show both). */
const char *pr_assessment_contrib_rule(postrun_assessment *a, size_t i, size_t j)
{
    pr_ensure_contribs(a);
    const a_contrib *k = &a->contribs[a->causes[i].contrib_first + j];
    if (k->source != POSTRUN_CONTRIBUTION_METRIC && k->source != POSTRUN_CONTRIBUTION_RULE)
        return NULL;
    return a->kb->rules[k->ref].m.id;
}

size_t postrun_assessment_recommendation_count(const postrun_assessment *a)
{
    return a && a->valid ? a_shown_recs(a) : 0;
}

postrun_status postrun_assessment_recommendation(postrun_assessment *a, size_t i,
                                                 postrun_recommendation *out)
{
    if (!a || !out || out->version != POSTRUN_RECOMMENDATION_VERSION)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a_shown_recs(a))
        return POSTRUN_ERR_NOT_FOUND;
    postrun_status rc = pr_ensure_texts(a);
    if (rc)
        return rc;
    const kb_rec *r = &a->kb->recs[a->recs[i].rec];
    out->id = r->m.id;
    out->name = r->m.name;
    out->priority = (int)i + 1;
    out->when = (postrun_when)r->when;
    out->text = a_text(a, a->t.rec[i]);
    out->n_doses = r->n_doses;
    out->n_addresses = r->n_addr;
    out->n_sources = r->m.n_src;
    return POSTRUN_OK;
}

postrun_status postrun_assessment_recommendation_dose(const postrun_assessment *a, size_t i,
                                                      size_t j, const char **name, double *value)
{
    if (!a)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a_shown_recs(a))
        return POSTRUN_ERR_NOT_FOUND;
    const kb_rec *r = &a->kb->recs[a->recs[i].rec];
    if (j >= r->n_doses)
        return POSTRUN_ERR_NOT_FOUND;
    if (name)
        *name = a->kb->doses[r->dose_first + j].name;
    if (value)
        *value = a->doses[a->recs[i].dose_first + j];
    return POSTRUN_OK;
}

const char *postrun_assessment_recommendation_addresses(const postrun_assessment *a, size_t i,
                                                        size_t j)
{
    if (!a || !a->valid || i >= a_shown_recs(a))
        return NULL;
    const kb_rec *r = &a->kb->recs[a->recs[i].rec];
    if (j >= r->n_addr)
        return NULL;
    return a->kb->causes[a->kb->u16[r->addr_first + j]].m.id;
}

const char *postrun_assessment_recommendation_source(const postrun_assessment *a, size_t i,
                                                     size_t j)
{
    if (!a || !a->valid || i >= a_shown_recs(a))
        return NULL;
    const kb_rec *r = &a->kb->recs[a->recs[i].rec];
    if (j >= r->m.n_src)
        return NULL;
    return a->kb->sources[a->kb->src_refs[r->m.src_first + j]].m.id;
}

size_t postrun_assessment_withdrawn_count(const postrun_assessment *a)
{
    return a && a->valid ? a->n_withdrawn : 0;
}

postrun_status postrun_assessment_withdrawn(const postrun_assessment *a, size_t i,
                                            const char **id, const char **by)
{
    if (!a)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a->n_withdrawn)
        return POSTRUN_ERR_NOT_FOUND;
    if (id)
        *id = a->kb->recs[a->withdrawn[i].rec].m.id;
    if (by)
        *by = a->withdrawn[i].contra == DOSE_LIMIT ? "dose_limit"
              : a->withdrawn[i].flag == NO_FLAG ? "contraindication"
                                              : a->kb->flags[a->withdrawn[i].flag].m.id;
    return POSTRUN_OK;
}

size_t postrun_assessment_misconception_count(const postrun_assessment *a)
{
    return a && a->valid ? a->n_miscs : 0;
}

postrun_status postrun_assessment_misconception(postrun_assessment *a, size_t i, const char **id,
                                                const char **text)
{
    if (!a)
        return POSTRUN_ERR_ARGUMENT;
    if (!a->valid || i >= a->n_miscs)
        return POSTRUN_ERR_NOT_FOUND;
    postrun_status rc = pr_ensure_texts(a);
    if (rc)
        return rc;
    if (id)
        *id = a->kb->miscs[a->miscs[i]].m.id;
    if (text)
        *text = a_text(a, a->t.misc[i]);
    return POSTRUN_OK;
}

size_t postrun_assessment_assumption_count(const postrun_assessment *a)
{
    return a && a->valid ? a->run.assumptions.n : 0;
}

const char *postrun_assessment_assumption(postrun_assessment *a, size_t i)
{
    if (!a || !a->valid || i >= a->run.assumptions.n || pr_ensure_texts(a))
        return NULL;
    return a_text(a, a->t.assumption[i]);
}

size_t postrun_assessment_note_count(const postrun_assessment *a)
{
    return a && a->valid ? a->n_notes : 0;
}

const char *postrun_assessment_note(postrun_assessment *a, size_t i)
{
    if (!a || !a->valid || i >= a->n_notes || pr_ensure_texts(a))
        return NULL;
    return a_text(a, a->t.note[i]);
}

size_t postrun_assessment_warning_count(const postrun_assessment *a)
{
    return a && a->valid ? a->n_warnings : 0;
}

const char *postrun_assessment_warning(postrun_assessment *a, size_t i)
{
    if (!a || !a->valid || i >= a->n_warnings || pr_ensure_texts(a))
        return NULL;
    return a_text(a, a->t.warning[i]);
}

postrun_status postrun_assessment_set_limit(postrun_assessment *a, size_t max_items)
{
    if (!a)
        return POSTRUN_ERR_ARGUMENT;
    a->limit = max_items;
    return POSTRUN_OK;
}

const char *postrun_assessment_likelihood(const postrun_assessment *a, size_t i)
{
    if (!a || !a->valid || i >= a_shown_causes(a))
        return NULL;
    return pr_likelihood_word(a->kb, a->causes[i].score);
}
