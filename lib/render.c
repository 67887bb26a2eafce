/*
 * Structured output of an assessment (contract section 2): one walk over the assessment that
 * drives either the YAML writer (render_yaml.c) or the JSON writer (render_json.c), so both formats always
 * carry the same fields in the same order. The text report lives in render_text.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assess_impl.h"
#include "render.h"

/* ---- the writer interface (render.h) ---- */

static void key(owriter *w, const char *k) { w->str(w, k); }

/* ---- the walk ---- */

static const char *const GROUPS[] = {"energy", "fluid", "heat", "glycogen", "muscle", "load"};
static const char *const URGENCY[] = {"emergency", "see_doctor_soon", "see_doctor_if_persists"};
static const char *const WHEN[] = {"now", "within_2h", "today", "next_days", "next_runs"};
static const char *const SOURCE[] = {"prior", "symptom", "metric", "rule"};

static void metric_value(owriter *w, const postrun_assessment *a, size_t m)
{
    tri t = a->metric[RF_COUNT + m];
    const metric_info *mi = &PR_METRICS[m];
    if (isnan(t.x) && mi->kind != MK_RANGE) {
        w->num(w, NAN);
        return;
    }
    switch (mi->kind) {
    case MK_RANGE: pr_render_range(w, t); break;
    case MK_NUM: w->num(w, t.x); break;
    case MK_BOOL: w->boolean(w, t.x != 0); break;
    case MK_ENUM: w->str(w, mi->words[(int)t.x]); break;
    }
}

/* red_flags: every flag raised, never cut. */
static void walk_red_flags(owriter *w, postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    key(w, "red_flags");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->n_flags; i++) {
        const kb_flag *f = &kb->flags[a->flags[i].flag];
        w->map_begin(w);
        key(w, "id");
        w->str(w, f->m.id);
        key(w, "name");
        w->str(w, f->m.name);
        key(w, "urgency");
        w->str(w, URGENCY[a->flags[i].urgency]);
        key(w, "advice");
        w->str(w, a_text(a, a->t.flag_advice[i]));
        key(w, "because");
        w->seq_begin(w, false);
        for (uint32_t j = 0; j < a->flags[i].n_because; j++)
            w->str(w, a_text(a, a->t.because[a->flags[i].because_first + j]));
        w->seq_end(w);
        key(w, "sources");
        w->seq_begin(w, true);
        for (uint32_t j = 0; j < f->m.n_src; j++)
            w->str(w, kb->sources[kb->src_refs[f->m.src_first + j]].m.id);
        w->seq_end(w);
        w->map_end(w);
    }
    w->seq_end(w);
}

/* The model outputs, one map per group of metrics. */
static void walk_metrics(owriter *w, postrun_assessment *a)
{
    for (size_t g = 0; g < PR_ARRAY_LEN(GROUPS); g++) {
        size_t gl = strlen(GROUPS[g]);
        key(w, GROUPS[g]);
        w->map_begin(w);
        for (size_t m = 0; m < M_COUNT; m++) {
            const char *name = PR_METRICS[m].name;
            if (strncmp(name, GROUPS[g], gl) != 0 || name[gl] != '.')
                continue;
            if (m == M_DOMS_PEAK_H_HIGH)
                continue;
            if (m == M_DOMS_PEAK_H_LOW) {
                key(w, "doms_peak_h");
                w->seq_begin(w, true);
                w->num(w, a->metric[RF_COUNT + M_DOMS_PEAK_H_LOW].x);
                w->num(w, a->metric[RF_COUNT + M_DOMS_PEAK_H_HIGH].x);
                w->seq_end(w);
                continue;
            }
            key(w, name + gl + 1);
            metric_value(w, a, m);
        }
        w->map_end(w);
    }
}

/* causes: the ones shown, each with the contributions that scored it. */
static void walk_causes(owriter *w, postrun_assessment *a)
{
    key(w, "causes");
    w->seq_begin(w, false);
    const size_t n_causes = a_shown_causes(a);
    for (size_t i = 0; i < n_causes; i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        postrun_assessment_cause(a, i, &c);
        w->map_begin(w);
        key(w, "id");
        w->str(w, c.id);
        key(w, "name");
        w->str(w, c.name);
        key(w, "score");
        w->num(w, c.score);
        const char *likely = postrun_assessment_likelihood(a, i);
        if (likely) {
            key(w, "likelihood");
            w->str(w, likely);
        }
        key(w, "explains");
        w->seq_begin(w, true);
        for (size_t j = 0; j < c.n_explains; j++)
            w->str(w, postrun_assessment_cause_explains(a, i, j));
        w->seq_end(w);
        key(w, "because");
        w->seq_begin(w, false);
        for (size_t j = 0; j < c.n_because; j++) {
            postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
            postrun_assessment_cause_because(a, i, j, &k);
            w->map_begin(w);
            key(w, "source");
            w->str(w, SOURCE[k.kind]);
            key(w, "ref");
            w->str(w, k.ref);
            if (k.kind == POSTRUN_CONTRIBUTION_METRIC || k.kind == POSTRUN_CONTRIBUTION_RULE) {
                key(w, "rule");
                w->str(w, pr_assessment_contrib_rule(a, i, j));
            }
            if (!isnan(k.value)) {
                key(w, "value");
                w->num(w, k.value);
            }
            key(w, "weight");
            w->num(w, k.weight);
            key(w, "text");
            w->str(w, k.text);
            w->map_end(w);
        }
        w->seq_end(w);
        w->map_end(w);
    }
    w->seq_end(w);
}

/* recommendations: the ones shown, with their doses. */
static void walk_recommendations(owriter *w, postrun_assessment *a)
{
    key(w, "recommendations");
    w->seq_begin(w, false);
    const size_t n_recs = a_shown_recs(a);
    for (size_t i = 0; i < n_recs; i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        postrun_assessment_recommendation(a, i, &r);
        w->map_begin(w);
        key(w, "id");
        w->str(w, r.id);
        key(w, "name");
        w->str(w, r.name);
        key(w, "priority");
        w->num(w, r.priority);
        key(w, "when");
        w->str(w, WHEN[r.when]);
        key(w, "text");
        w->str(w, r.text);
        key(w, "dose");
        w->map_begin(w);
        for (size_t j = 0; j < r.n_doses; j++) {
            const char *name;
            double v;
            postrun_assessment_recommendation_dose(a, i, j, &name, &v);
            key(w, name);
            w->num(w, v);
        }
        w->map_end(w);
        key(w, "addresses");
        w->seq_begin(w, true);
        for (size_t j = 0; j < r.n_addresses; j++)
            w->str(w, postrun_assessment_recommendation_addresses(a, i, j));
        w->seq_end(w);
        key(w, "sources");
        w->seq_begin(w, true);
        for (size_t j = 0; j < r.n_sources; j++)
            w->str(w, postrun_assessment_recommendation_source(a, i, j));
        w->seq_end(w);
        w->map_end(w);
    }
    w->seq_end(w);
}

/* misconceptions: the ones the run report touched. */
static void walk_misconceptions(owriter *w, postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    key(w, "misconceptions");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->n_miscs; i++) {
        w->map_begin(w);
        key(w, "id");
        w->str(w, kb->miscs[a->miscs[i]].m.id);
        key(w, "text");
        w->str(w, a_text(a, a->t.misc[i]));
        w->map_end(w);
    }
    w->seq_end(w);
}

/* withdrawn: recommendations a red flag or contraindication took back. */
static void walk_withdrawn(owriter *w, postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    key(w, "withdrawn");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->n_withdrawn; i++) {
        w->map_begin(w);
        key(w, "id");
        w->str(w, kb->recs[a->withdrawn[i].rec].m.id);
        const char *id, *by;
        postrun_assessment_withdrawn(a, i, &id, &by);
        key(w, "by");
        w->str(w, by);
        key(w, "because");
        w->str(w, a_text(a, a->t.withdrawn[i]));
        w->map_end(w);
    }
    w->seq_end(w);
}

void pr_render_walk(owriter *w, postrun_assessment *a)
{
    w->map_begin(w);
    key(w, "id");
    w->str(w, postrun_assessment_id(a));

    walk_red_flags(w, a);

    key(w, "warnings");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->n_warnings; i++)
        w->str(w, a_text(a, a->t.warning[i]));
    w->seq_end(w);
    /* The probability of every low..high below (the 10th and 90th percentiles). */
    key(w, "interval");
    w->num(w, POSTRUN_INTERVAL_PROBABILITY);

    walk_metrics(w, a);

    walk_causes(w, a);
    walk_recommendations(w, a);
    walk_misconceptions(w, a);
    walk_withdrawn(w, a);

    key(w, "assumptions");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->run.assumptions.n; i++)
        w->str(w, a_text(a, a->t.assumption[i]));
    w->seq_end(w);

    key(w, "notes");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->n_notes; i++)
        w->str(w, a_text(a, a->t.note[i]));
    w->seq_end(w);
    pr_history_render_walk(w, a);
    w->map_end(w);
}

static void walk_ctx(owriter *w, void *a) { pr_render_walk(w, a); }

static postrun_status write_json(postrun_assessment *a, unsigned flags, postrun_write_fn write,
                                 void *ud)
{
    return pr_render_json_with(walk_ctx, a, flags, write, ud);
}

postrun_status postrun_assessment_write(postrun_assessment *a, postrun_format format,
                                        unsigned flags, postrun_write_fn write, void *userdata,
                                        postrun_error *err)
{
    pr_err_reset(err);
    if (!a || !write)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "assessment or writer is NULL");
    if (!a->valid)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL,
                          "the assessment holds no result (the last postrun_assess failed)");
    postrun_status rc = pr_ensure_texts(a);
    if (rc)
        return pr_err_set(err, rc, NULL, "out of memory rendering texts");
    switch (format) {
    case POSTRUN_FORMAT_YAML: rc = pr_render_yaml_with(walk_ctx, a, write, userdata); break;
    case POSTRUN_FORMAT_JSON: rc = write_json(a, flags, write, userdata); break;
    case POSTRUN_FORMAT_TEXT: rc = pr_render_text(a, flags, write, userdata); break;
    default: return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "unknown format %d", (int)format);
    }
    if (rc)
        return pr_err_set(err, rc, NULL, rc == POSTRUN_ERR_IO ? "the output could not be written"
                                                              : "out of memory writing the output");
    return POSTRUN_OK;
}

static int to_buf(void *ud, const char *data, size_t len)
{
    pr_buf *b = ud;
    pr_buf_put(b, data, len);
    return b->failed ? -1 : 0;
}

postrun_status postrun_assessment_render(postrun_assessment *a, postrun_format format,
                                         unsigned flags, char **out, size_t *len,
                                         postrun_error *err)
{
    if (!out) {
        pr_err_reset(err);
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "out is NULL");
    }
    *out = NULL;
    pr_buf b = {0};
    postrun_status rc = postrun_assessment_write(a, format, flags, to_buf, &b, err);
    if (rc == POSTRUN_OK && !b.data)
        pr_buf_put(&b, "", 0);
    if (rc == POSTRUN_ERR_IO && b.failed) {
        pr_err_reset(err);
        rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory writing the output");
    }
    if (rc != POSTRUN_OK || b.failed) {
        pr_buf_free(&b);
        return rc ? rc : pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    }
    *out = b.data;
    if (len)
        *len = b.len;
    return POSTRUN_OK;
}

/* ---- postrun_assessment_visit: the walk handed to a caller's callbacks ---- */

typedef struct vwriter {
    owriter w;
    const postrun_visitor *v;
    void *ud;
    int depth;
    bool in_map[64];
    bool expect_value; /* in a map, after a key */
} vwriter;

/* Before a value or a container: in a map it is the key's value now. */
static void v_value(vwriter *x) { x->expect_value = false; }

static void v_open(vwriter *x, bool map)
{
    v_value(x);
    if (x->depth < 63)
        x->depth++;
    x->in_map[x->depth] = map;
}

static void v_map_begin(owriter *w)
{
    vwriter *x = (vwriter *)w;
    v_open(x, true);
    if (x->v->map_begin)
        x->v->map_begin(x->ud);
}

static void v_map_end(owriter *w)
{
    vwriter *x = (vwriter *)w;
    x->depth--;
    if (x->v->map_end)
        x->v->map_end(x->ud);
}

static void v_seq_begin(owriter *w, bool flow)
{
    (void)flow;
    vwriter *x = (vwriter *)w;
    v_open(x, false);
    if (x->v->seq_begin)
        x->v->seq_begin(x->ud);
}

static void v_seq_end(owriter *w)
{
    vwriter *x = (vwriter *)w;
    x->depth--;
    if (x->v->seq_end)
        x->v->seq_end(x->ud);
}

static void v_str(owriter *w, const char *s)
{
    vwriter *x = (vwriter *)w;
    if (x->in_map[x->depth] && !x->expect_value) {
        x->expect_value = true;
        if (x->v->key)
            x->v->key(x->ud, s);
        return;
    }
    v_value(x);
    if (x->v->string)
        x->v->string(x->ud, s);
}

static void v_num(owriter *w, double d)
{
    vwriter *x = (vwriter *)w;
    v_value(x);
    if (x->v->number)
        x->v->number(x->ud, isfinite(d) ? d : NAN);
}

static void v_bool(owriter *w, bool b)
{
    vwriter *x = (vwriter *)w;
    v_value(x);
    if (x->v->boolean)
        x->v->boolean(x->ud, b);
}

postrun_status postrun_assessment_visit(postrun_assessment *a, const postrun_visitor *v,
                                        void *userdata, postrun_error *err)
{
    pr_err_reset(err);
    if (!a || !v)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "assessment or visitor is NULL");
    if (v->version != POSTRUN_VISITOR_VERSION)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL,
                          "visitor version %u: this library knows version %d (use "
                          "POSTRUN_VISITOR_INIT)", v->version, POSTRUN_VISITOR_VERSION);
    if (!a->valid)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL,
                          "the assessment holds no result (the last postrun_assess failed)");
    postrun_status rc = pr_ensure_texts(a);
    if (rc)
        return pr_err_set(err, rc, NULL, "out of memory rendering texts");
    vwriter x;
    memset(&x, 0, sizeof x);
    x.w = (owriter){v_map_begin, v_map_end, v_seq_begin, v_seq_end, v_str, v_num, v_bool,
                    POSTRUN_OK, NULL, NULL};
    x.v = v;
    x.ud = userdata;
    pr_render_walk(&x.w, a);
    return POSTRUN_OK;
}
