/*
 * Structured output of an assessment (contract section 2): one walk over the assessment that
 * drives either the YAML writer (render_yaml.c) or a small JSON writer, so both formats always
 * carry the same fields in the same order. The text report lives in render_text.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assess_impl.h"
#include "render.h"

/* ---- the writer interface (render.h) ---- */

static void key(owriter *w, const char *k) { w->str(w, k); }

/* %.4g without printf where pr_fixed() can be sure: X, the exponent %g uses, is that of v
 * rounded to 4 significant digits, and for -4 <= X < 4 %g is %f with 3 - X decimals and its
 * trailing zeros dropped. The comparisons give the exponent of v itself (1, 10 and 100 are
 * exact, and each negative power is the double just above the true one, so no double lies
 * between them); rounding can carry it one up, which the digit count shows. */
static int g4_fast(char *buf, size_t size, double v)
{
    static const double P10[] = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
    double a = fabs(v);
    if (!(a >= P10[0] && a < 1000))
        return -1;
    int x = 2;
    for (int k = 6; k >= 0 && a < P10[k]; k--)
        x = k - 5;
    char tmp[64];
    if (!pr_fixed(tmp, sizeof tmp, v, 3 - x))
        return -1;
    /* one pass: the length, the digits, the zeros before the first significant one, the point */
    size_t len = 0, digits = 0, lead = 0;
    bool dot = false, significant = false;
    for (char c; (c = tmp[len]) != '\0'; len++) {
        if (c >= '0' && c <= '9') {
            digits++;
            significant = significant || c != '0';
            lead += !significant;
        } else if (c == '.') {
            dot = true;
        }
    }
    if (digits - lead > 4) { /* rounded up to the next power of ten */
        if (++x > 3 || !pr_fixed(tmp, sizeof tmp, v, 3 - x))
            return -1;
        len = strlen(tmp);
        dot = memchr(tmp, '.', len) != NULL;
    }
    if (dot) {
        while (tmp[len - 1] == '0')
            len--;
        if (tmp[len - 1] == '.')
            len--;
    }
    if (len >= size)
        return -1;
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    return (int)len;
}

int render_fmt_num(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        return snprintf(buf, size, "null");
    if (v == 0)
        return snprintf(buf, size, "0");
    if (fabs(v) >= 1000) {
        if (pr_fixed(buf, size, v, 0))
            return (int)strlen(buf);
        return snprintf(buf, size, "%.0f", v);
    }
    int n = g4_fast(buf, size, v);
    if (n >= 0)
        return n;
    n = snprintf(buf, size, "%.4g", v);
    if (strchr(buf, 'e')) /* tiny values: plain decimals read better and parse everywhere */
        n = snprintf(buf, size, "%.8f", v);
    return n;
}

/* ---- JSON ---- */

typedef struct jwriter {
    owriter w;
    pr_buf b;
    bool compact;
    int depth;
    bool first[64];
    bool in_map[64];
    bool expect_value; /* in a map, after a key */
} jwriter;

static void j_flush(jwriter *j)
{
    if (j->b.failed) {
        j->w.status = POSTRUN_ERR_NOMEM;
        return;
    }
    if (j->w.status == POSTRUN_OK && j->b.len >= 8192) {
        if (j->w.write(j->w.ud, j->b.data, j->b.len) != 0)
            j->w.status = POSTRUN_ERR_IO;
        j->b.len = 0;
    }
}

static void j_indent(jwriter *j)
{
    if (j->compact)
        return;
    buf_put(&j->b, "\n", 1);
    for (int i = 0; i < j->depth; i++)
        buf_put(&j->b, "  ", 2);
}

/* Before any value or key: the comma and newline it needs. */
static void j_pre(jwriter *j)
{
    if (j->expect_value) {
        j->expect_value = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            buf_put(&j->b, ",", 1);
        j->first[j->depth] = false;
        j_indent(j);
    }
}

static void j_string_raw(jwriter *j, const char *s)
{
    buf_put(&j->b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* the bytes that need no escape, at once */
        const unsigned char *q = p;
        while (*q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        if (q != p) {
            buf_put(&j->b, (const char *)p, (size_t)(q - p));
            p = q;
            if (!*p)
                break;
        }
        switch (*p) {
        case '"': buf_put(&j->b, "\\\"", 2); break;
        case '\\': buf_put(&j->b, "\\\\", 2); break;
        case '\n': buf_put(&j->b, "\\n", 2); break;
        case '\t': buf_put(&j->b, "\\t", 2); break;
        case '\r': buf_put(&j->b, "\\r", 2); break;
        default:
            if (*p < 0x20)
                buf_printf(&j->b, "\\u%04x", *p);
            else
                buf_put(&j->b, (const char *)p, 1);
        }
    }
    buf_put(&j->b, "\"", 1);
}

static void j_open(jwriter *j, const char *c, bool map)
{
    j_pre(j);
    buf_puts(&j->b, c);
    if (j->depth < 63)
        j->depth++;
    j->first[j->depth] = true;
    j->in_map[j->depth] = map;
}

static void j_close(jwriter *j, const char *c)
{
    bool empty = j->first[j->depth];
    j->depth--;
    if (!empty)
        j_indent(j);
    buf_puts(&j->b, c);
    j_flush(j);
}

static void j_map_begin(owriter *w) { j_open((jwriter *)w, "{", true); }
static void j_map_end(owriter *w) { j_close((jwriter *)w, "}"); }
static void j_seq_begin(owriter *w, bool flow)
{
    (void)flow;
    j_open((jwriter *)w, "[", false);
}
static void j_seq_end(owriter *w) { j_close((jwriter *)w, "]"); }

static void j_str(owriter *w, const char *s)
{
    jwriter *j = (jwriter *)w;
    bool is_key = j->in_map[j->depth] && !j->expect_value;
    j_pre(j);
    j_string_raw(j, s);
    if (is_key) {
        buf_puts(&j->b, j->compact ? ":" : ": ");
        j->expect_value = true;
    }
}

static void j_num(owriter *w, double v)
{
    jwriter *j = (jwriter *)w;
    j_pre(j);
    char num[64];
    render_fmt_num(num, sizeof num, v);
    buf_puts(&j->b, num);
}

static void j_bool(owriter *w, bool v)
{
    jwriter *j = (jwriter *)w;
    j_pre(j);
    buf_puts(&j->b, v ? "true" : "false");
}

/* ---- the walk ---- */

static void range(owriter *w, tri t)
{
    w->map_begin(w);
    key(w, "low");
    w->num(w, t.lo);
    key(w, "expected");
    w->num(w, t.x);
    key(w, "high");
    w->num(w, t.hi);
    w->map_end(w);
}

static const char *const GROUPS[] = {"energy", "fluid", "heat", "glycogen", "muscle", "load"};
static const char *const URGENCY[] = {"emergency", "see_doctor_soon", "see_doctor_if_persists"};
static const char *const WHEN[] = {"now", "within_2h", "today", "next_days", "next_runs"};
static const char *const SOURCE[] = {"prior", "symptom", "metric", "rule"};

static void metric_value(owriter *w, const postrun_assessment *a, size_t m)
{
    tri t = a->metric[RF_COUNT + m];
    const metric_info *mi = &METRICS[m];
    if (isnan(t.x) && mi->kind != MK_RANGE) {
        w->num(w, NAN);
        return;
    }
    switch (mi->kind) {
    case MK_RANGE: range(w, t); break;
    case MK_NUM: w->num(w, t.x); break;
    case MK_BOOL: w->boolean(w, t.x != 0); break;
    case MK_ENUM: w->str(w, mi->words[(int)t.x]); break;
    }
}

void render_walk(owriter *w, postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    w->map_begin(w);
    key(w, "id");
    w->str(w, postrun_assessment_id(a));

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

    key(w, "warnings");
    w->seq_begin(w, false);
    for (size_t i = 0; i < a->n_warnings; i++)
        w->str(w, a_text(a, a->t.warning[i]));
    w->seq_end(w);
    /* The probability of every low..high below (the 10th and 90th percentiles). */
    key(w, "interval");
    w->num(w, POSTRUN_INTERVAL_PROBABILITY);

    for (size_t g = 0; g < PR_ARRAY_LEN(GROUPS); g++) {
        size_t gl = strlen(GROUPS[g]);
        key(w, GROUPS[g]);
        w->map_begin(w);
        for (size_t m = 0; m < M_COUNT; m++) {
            const char *name = METRICS[m].name;
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

    key(w, "causes");
    w->seq_begin(w, false);
    const size_t n_causes = a_shown_causes(a);
    for (size_t i = 0; i < n_causes; i++) {
        postrun_cause c;
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
            postrun_contribution k;
            postrun_assessment_cause_because(a, i, j, &k);
            w->map_begin(w);
            key(w, "source");
            w->str(w, SOURCE[k.source]);
            key(w, "ref");
            w->str(w, k.ref);
            if (k.source == POSTRUN_SOURCE_METRIC || k.source == POSTRUN_SOURCE_RULE) {
                key(w, "rule");
                w->str(w, assessment_contrib_rule(a, i, j));
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

    key(w, "recommendations");
    w->seq_begin(w, false);
    const size_t n_recs = a_shown_recs(a);
    for (size_t i = 0; i < n_recs; i++) {
        postrun_recommendation r;
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
    history_render_walk(w, a);
    w->map_end(w);
}

static void walk_ctx(owriter *w, void *a) { render_walk(w, a); }

static postrun_status write_json(postrun_assessment *a, unsigned flags, postrun_write_fn write,
                                 void *ud)
{
    return render_json_with(walk_ctx, a, flags, write, ud);
}

postrun_status render_json_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                unsigned flags, postrun_write_fn write, void *ud)
{
    jwriter j;
    memset(&j, 0, sizeof j);
    j.w = (owriter){j_map_begin, j_map_end, j_seq_begin, j_seq_end, j_str, j_num, j_bool,
                    POSTRUN_OK, write, ud};
    j.compact = (flags & POSTRUN_RENDER_COMPACT) != 0;
    produce(&j.w, ctx);
    buf_put(&j.b, "\n", 1);
    if (j.b.failed)
        j.w.status = POSTRUN_ERR_NOMEM;
    if (j.w.status == POSTRUN_OK && j.b.len && write(ud, j.b.data, j.b.len) != 0)
        j.w.status = POSTRUN_ERR_IO;
    buf_free(&j.b);
    return j.w.status;
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
    postrun_status rc = ensure_texts(a);
    if (rc)
        return pr_err_set(err, rc, NULL, "out of memory rendering texts");
    switch (format) {
    case POSTRUN_FORMAT_YAML: rc = render_yaml_with(walk_ctx, a, write, userdata); break;
    case POSTRUN_FORMAT_JSON: rc = write_json(a, flags, write, userdata); break;
    case POSTRUN_FORMAT_TEXT: rc = render_text(a, flags, write, userdata); break;
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
    buf_put(b, data, len);
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
        buf_put(&b, "", 0);
    if (rc == POSTRUN_ERR_IO && b.failed) {
        pr_err_reset(err);
        rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory writing the output");
    }
    if (rc != POSTRUN_OK || b.failed) {
        buf_free(&b);
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
    postrun_status rc = ensure_texts(a);
    if (rc)
        return pr_err_set(err, rc, NULL, "out of memory rendering texts");
    vwriter x;
    memset(&x, 0, sizeof x);
    x.w = (owriter){v_map_begin, v_map_end, v_seq_begin, v_seq_end, v_str, v_num, v_bool,
                    POSTRUN_OK, NULL, NULL};
    x.v = v;
    x.ud = userdata;
    render_walk(&x.w, a);
    return POSTRUN_OK;
}
