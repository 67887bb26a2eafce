/*
 * The knowledge-base compiler: checks every collected entry (keys, types, ranges, references)
 * and lays it out in the flat arrays of struct postrun_kb, with ids resolved to indexes.
 * Conditions, formulas and templates are compiled by kb_cond.c and kb_expr.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_impl.h"
#include "model.h"

/* ---- plumbing ---- */

static const char *kstr(kb_compiler *c, const char *s)
{
    char *d = pr_arena_strdup(&c->kb->arena, s ? s : "");
    if (!d && !c->nomem) {
        pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        c->nomem = true;
    }
    return d ? d : "";
}

/* Allowed keys of each kind (besides id). */
static const char *const KEYS_COMMON[] = {"id", "name", "description", "sources", NULL};
static const char *const KEYS[KIND_COUNT][16] = {
    [POSTRUN_KIND_SOURCE] = {"id", "title", "authors", "year", "published", "description", NULL},
    [POSTRUN_KIND_PARAMETER] = {"id", "name", "description", "sources", "value", "low", "high",
                                "dist", "unit", "calibrated", "points", NULL},
    [POSTRUN_KIND_SYMPTOM] = {"id", "name", "description", "sources", NULL},
    [POSTRUN_KIND_OBSERVATION] = {"id", "name", "description", "sources", "type", "min", "max",
                                  NULL},
    [POSTRUN_KIND_BODY_AREA] = {"id", "name", "description", "sources", NULL},
    [POSTRUN_KIND_CAUSE] = {"id", "name", "description", "sources", "mechanism", "prior", "links",
                            NULL},
    [POSTRUN_KIND_RULE] = {"id", "name", "description", "sources", "cause", "weight", "when",
                           "text", NULL},
    [POSTRUN_KIND_RECOMMENDATION] = {"id", "name", "description", "sources", "when", "priority",
                                     "addresses", "requires", "tags", "doses", "text",
                                     "contraindications", "supersedes", NULL},
    [POSTRUN_KIND_RED_FLAG] = {"id", "name", "description", "sources", "urgency", "when",
                               "advice", "withdraws", "allows", "escalate", NULL},
    [POSTRUN_KIND_MISCONCEPTION] = {"id", "name", "description", "sources", "when", "reassures",
                                     NULL},
    [POSTRUN_KIND_NOTE] = {"id", "name", "description", "sources", "when", "warning", NULL},
};

static void check_keys(kb_compiler *c, const raw_entry *e)
{
    const char *const *keys = KEYS[e->kind];
    for (const layer *l = e->layers; l; l = l->next) {
        for (size_t i = 0; i + 1 < l->node->n; i += 2) {
            const dnode *k = l->node->item[i];
            if (pr_word_index(keys, k->str) >= 0)
                continue;
            const char *s = pr_suggest(k->str, keys);
            char field[128];
            snprintf(field, sizeof field, "%s.%s", e->id, k->str);
            pr_kb_error(c, l->file, k, field, POSTRUN_ERR_UNKNOWN_KEY,
                     "a %s has no field '%s'%s%s%s", PR_KIND_NOUN[e->kind], k->str,
                     s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        }
    }
    (void)KEYS_COMMON;
}

/* Field readers: report problems with the entry's id and the key as the field. */
typedef struct fctx {
    kb_compiler *c;
    const raw_entry *e;
    char field[128];
    const char *file;
} fctx;

/* snprintf(dst, size, "%s%s%s", a, b, c) without printf: a field path is made for every field
 * compiled (for the messages, in case), a few thousand per knowledge base. */
static void join3(char *dst, size_t size, const char *a, const char *b, const char *c)
{
    const char *part[3] = {a, b, c};
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(part[i]);
        if (l > size - 1 - n)
            l = size - 1 - n;
        memcpy(dst + n, part[i], l);
        n += l;
    }
    dst[n] = '\0';
}

static const dnode *get(fctx *f, const char *key, bool required)
{
    join3(f->field, sizeof f->field, f->e->id, ".", key);
    const dnode *n = pr_entry_field(f->e, key, &f->file);
    if (!n) {
        f->file = f->e->file;
        if (required)
            pr_kb_error(f->c, f->e->file, f->e->id_node, f->field, POSTRUN_ERR_MISSING,
                     "this %s needs the field '%s'", PR_KIND_NOUN[f->e->kind], key);
    }
    return n;
}

static const char *get_text(fctx *f, const char *key, bool required)
{
    const dnode *n = get(f, key, required);
    if (!n)
        return NULL;
    if (n->kind != DN_SCALAR || pr_dn_is_null(n)) {
        pr_kb_error(f->c, f->file, n, f->field, POSTRUN_ERR_TYPE, "'%s' must be a text", key);
        return NULL;
    }
    return kstr(f->c, n->str);
}

static bool get_number(fctx *f, const char *key, bool required, double *out)
{
    const dnode *n = get(f, key, required);
    if (!n)
        return false;
    postrun_status s = pr_dn_number(n, out);
    if (s != POSTRUN_OK) {
        char d[64];
        pr_dn_describe(n, d, sizeof d);
        pr_kb_error(f->c, f->file, n, f->field, s, "'%s' must be a finite number, not %s", key, d);
        return false;
    }
    return true;
}

static int get_word(fctx *f, const char *key, bool required, const char *const *words)
{
    const dnode *n = get(f, key, required);
    if (!n)
        return -1;
    int i = n->kind == DN_SCALAR ? pr_word_index(words, n->str) : -1;
    if (i < 0) {
        char list[256] = "";
        for (size_t j = 0; words[j]; j++) {
            strncat(list, j ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, words[j], sizeof list - strlen(list) - 1);
        }
        char d[64];
        pr_dn_describe(n, d, sizeof d);
        pr_kb_error(f->c, f->file, n, f->field, POSTRUN_ERR_VALUE, "'%s' is %s; expected one of: %s",
                 key, d, list);
    }
    return i;
}

/* Resolves an id reference; marks the target used. */
static raw_entry *ref(kb_compiler *c, const dnode *n, const char *file, const char *field,
                      int kind, const char *what)
{
    if (!n || n->kind != DN_SCALAR) {
        pr_kb_error(c, file, n, field, POSTRUN_ERR_TYPE, "expected the id of a %s", what);
        return NULL;
    }
    raw_entry *e = pr_compiler_find(c, n->str, kind);
    if (!e) {
        e = pr_compiler_find(c, n->str, -1);
        const char *cands[64];
        size_t k = 0;
        if (kind >= 0)
            for (size_t i = 0; i < c->n_kind[kind] && k < 63; i++)
                cands[k++] = c->by_kind[kind][i]->id;
        cands[k] = NULL;
        const char *s = pr_suggest(n->str, cands);
        if (e && !e->disabled)
            pr_kb_error(c, file, n, field, POSTRUN_ERR_UNKNOWN_ID, "'%s' is a %s, not a %s", n->str,
                     PR_KIND_NOUN[e->kind], what);
        else if (e)
            pr_kb_error(c, file, n, field, POSTRUN_ERR_KB,
                     "'%s' is disabled by an overlay, but this still refers to it", n->str);
        else
            pr_kb_error(c, file, n, field, POSTRUN_ERR_UNKNOWN_ID, "no %s has id '%s'%s%s%s", what,
                     n->str, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        return NULL;
    }
    if (e->disabled) {
        pr_kb_error(c, file, n, field, POSTRUN_ERR_KB,
                 "'%s' is disabled by an overlay, but this still refers to it", n->str);
        return NULL;
    }
    e->used = true;
    return e;
}

static void compile_meta(kb_compiler *c, const raw_entry *e, kb_meta *m)
{
    fctx f = {c, e, "", NULL};
    m->kind = e->kind;
    m->id = kstr(c, e->id);
    m->file = kstr(c, e->layers->file);
    m->line = e->id_node->line;
    m->col = e->id_node->col;
    /* The entry's position is that of its newest layer, so errors about an overlay's change
     * point at the overlay. */
    const dnode *newest = pr_dn_get(e->layers->node, "id");
    if (newest) {
        m->line = newest->line;
        m->col = newest->col;
    }
    if (e->kind == POSTRUN_KIND_SOURCE) {
        m->name = get_text(&f, "title", true);
        m->description = get_text(&f, "description", false);
        if (!m->description)
            m->description = "";
        if (!m->name)
            m->name = "";
        return;
    }
    m->name = get_text(&f, "name", true);
    m->description = get_text(&f, "description", true);
    if (!m->name)
        m->name = "";
    if (!m->description)
        m->description = "";
    const dnode *src = get(&f, "sources", true);
    m->src_first = (uint32_t)c->kb->n_src_refs;
    if (!src)
        return;
    if (src->kind != DN_SEQ || src->n == 0) {
        pr_kb_error(c, f.file, src, f.field, POSTRUN_ERR_TYPE,
                 "'sources' must be a non-empty list of source ids");
        return;
    }
    for (size_t i = 0; i < src->n; i++) {
        raw_entry *s = ref(c, src->item[i], f.file, f.field, POSTRUN_KIND_SOURCE, "source");
        if (!s)
            continue;
        uint32_t *slot = KB_PUSH(c, c->kb->src_refs, c->kb->n_src_refs, c->cap_src_refs);
        if (slot) {
            *slot = s->index;
            m->n_src++;
        }
    }
}

/* ---- per kind ---- */

static void compile_source(kb_compiler *c, const raw_entry *e, kb_source *s)
{
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &s->m);
    s->title = s->m.name;
    s->published = get_text(&f, "published", true);
    s->authors = get_text(&f, "authors", false);
    s->year = NAN;
    if (get(&f, "year", false))
        get_number(&f, "year", false, &s->year);
    /* "Authors (Year). Title. Published": one full stop after each part, none added after
     * a title that ends in its own punctuation ("...?"). */
    char buf[1024];
    char year[16] = "";
    if (!isnan(s->year))
        snprintf(year, sizeof year, "%s(%.0f)", s->authors ? " " : "", s->year);
    const size_t tn = strlen(s->title);
    const bool stop = tn && strchr(".?!", s->title[tn - 1]);
    snprintf(buf, sizeof buf, "%s%s%s%s%s%s", s->authors ? s->authors : "", year,
             s->authors || year[0] ? ". " : "", s->title, s->published && !stop ? "." : "",
             s->published ? " " : "");
    if (s->published)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s", s->published);
    s->citation = kstr(c, buf);
}

static void compile_param(kb_compiler *c, const raw_entry *e, kb_param *p)
{
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &p->m);
    p->unit = get_text(&f, "unit", false);
    if (!p->unit)
        p->unit = "";
    const dnode *cal = get(&f, "calibrated", false);
    if (cal) {
        bool b;
        if (!pr_dn_bool(cal, &b))
            pr_kb_error(c, f.file, cal, f.field, POSTRUN_ERR_TYPE, "expected true or false");
        else
            p->calibrated = b;
    }
    const dnode *pts = get(&f, "points", false);
    const dnode *val = pr_entry_field(e, "value", NULL);
    if (pts && val) {
        pr_kb_error(c, f.file, pts, f.field, POSTRUN_ERR_KB,
                 "a parameter has either a value or points, not both");
        return;
    }
    if (pts) {
        if (pts->kind != DN_SEQ || pts->n < 2 || pts->n > 16) {
            pr_kb_error(c, f.file, pts, f.field, POSTRUN_ERR_TYPE,
                     "'points' must be a list of 2 to 16 [x, y] pairs");
            return;
        }
        for (size_t i = 0; i < pts->n; i++) {
            const dnode *pt = pts->item[i];
            double x, y;
            if (pt->kind != DN_SEQ || pt->n != 2 || pr_dn_number(pt->item[0], &x) ||
                pr_dn_number(pt->item[1], &y)) {
                pr_kb_error(c, f.file, pt, f.field, POSTRUN_ERR_TYPE,
                         "each point must be a pair of numbers [x, y]");
                return;
            }
            if (i && x <= p->px[i - 1]) {
                pr_kb_error(c, f.file, pt, f.field, POSTRUN_ERR_RANGE,
                         "x values must increase (%g after %g)", x, p->px[i - 1]);
                return;
            }
            p->px[i] = x;
            p->py[i] = y;
        }
        p->n_points = (unsigned)pts->n;
        p->value = p->low = p->high = NAN;
        return;
    }
    if (!get_number(&f, "value", true, &p->value))
        return;
    p->low = p->high = p->value;
    const dnode *lo = get(&f, "low", false);
    if (lo)
        get_number(&f, "low", false, &p->low);
    const dnode *hi = get(&f, "high", false);
    if (hi)
        get_number(&f, "high", false, &p->high);
    if (!(p->low <= p->value && p->value <= p->high)) {
        const dnode *at = pr_entry_field(e, "value", &f.file);
        snprintf(f.field, sizeof f.field, "%s.value", e->id);
        pr_kb_error(c, f.file, at, f.field, POSTRUN_ERR_RANGE,
                 "value %g is outside its own range %g..%g", p->value, p->low, p->high);
        return;
    }
    /* low/high are the 10th and 90th percentiles; `dist` names the distribution's shape
     * (normal when not given). A shape without percentiles describes nothing. */
    static const char *const DISTS[] = {"normal", "lognormal", "uniform", NULL};
    int d = get_word(&f, "dist", false, DISTS);
    if (d >= 0 && p->low == p->high) {
        const dnode *at = pr_entry_field(e, "dist", &f.file);
        snprintf(f.field, sizeof f.field, "%s.dist", e->id);
        pr_kb_error(c, f.file, at, f.field, POSTRUN_ERR_KB,
                 "a distribution needs 'low' and 'high' (its 10th and 90th percentiles)");
    }
    if (d == PARAM_DIST_LOGNORMAL && !(p->low > 0)) {
        const dnode *at = pr_entry_field(e, "low", &f.file);
        snprintf(f.field, sizeof f.field, "%s.low", e->id);
        pr_kb_error(c, f.file, at, f.field, POSTRUN_ERR_RANGE,
                 "a lognormal parameter must be positive (low is %g)", p->low);
    }
    p->dist = d < 0 ? PARAM_DIST_NORMAL : (uint8_t)d;
}

static void compile_observation(kb_compiler *c, const raw_entry *e, kb_observation *o)
{
    static const char *const types[] = {"boolean", "scale", "count", NULL};
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &o->m);
    o->type = OBS_BOOLEAN;
    o->min = 0;
    o->max = 1;
    if (get(&f, "type", false)) {
        int t = get_word(&f, "type", false, types);
        if (t >= 0)
            o->type = (uint8_t)t;
    }
    if (o->type != OBS_BOOLEAN) {
        bool a = get_number(&f, "min", true, &o->min);
        bool b = get_number(&f, "max", true, &o->max);
        if (a && b && o->min > o->max)
            pr_kb_error(c, f.file, pr_entry_field(e, "min", NULL), f.field, POSTRUN_ERR_RANGE,
                     "min %g is above max %g", o->min, o->max);
    } else if (pr_entry_field(e, "min", NULL) || pr_entry_field(e, "max", NULL)) {
        pr_kb_error(c, f.file, e->id_node, f.field, POSTRUN_ERR_KB,
                 "a boolean observation has no min or max (give type: scale or count)");
    }
}

static void compile_cause(kb_compiler *c, const raw_entry *e, kb_cause *k, uint16_t index)
{
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &k->m);
    k->mechanism = get_text(&f, "mechanism", false);
    if (!k->mechanism)
        k->mechanism = "";
    get_number(&f, "prior", true, &k->prior);
    const dnode *links = get(&f, "links", false);
    if (!links)
        return;
    if (links->kind != DN_MAP) {
        pr_kb_error(c, f.file, links, f.field, POSTRUN_ERR_TYPE,
                 "'links' must map symptom ids to weights");
        return;
    }
    for (size_t i = 0; i + 1 < links->n; i += 2) {
        raw_entry *s = ref(c, links->item[i], f.file, f.field, POSTRUN_KIND_SYMPTOM, "symptom");
        double w;
        if (pr_dn_number(links->item[i + 1], &w) != POSTRUN_OK) {
            pr_kb_error(c, f.file, links->item[i + 1], f.field, POSTRUN_ERR_TYPE,
                     "a link weight must be a finite number");
            continue;
        }
        if (!s)
            continue;
        kb_link *l = KB_PUSH(c, c->kb->links, c->kb->n_links, c->cap_links);
        if (l) {
            l->symptom = (uint16_t)s->index;
            l->cause = index;
            l->weight = w;
            k->n_links++;
        }
    }
}

static void compile_rule(kb_compiler *c, const raw_entry *e, kb_rule *r)
{
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &r->m);
    raw_entry *cause = NULL;
    const dnode *cn = get(&f, "cause", true);
    if (cn)
        cause = ref(c, cn, f.file, f.field, POSTRUN_KIND_CAUSE, "cause");
    r->cause = cause ? (uint16_t)cause->index : 0;
    get_number(&f, "weight", true, &r->weight);
    r->metric = -1;
    r->text = -1;
    const dnode *w = get(&f, "when", true);
    int32_t ci = w ? pr_cond_compile(c, w, f.file, f.field, 0) : -1;
    r->cond = ci >= 0 ? (uint32_t)ci : 0;
    if (ci >= 0 && c->kb->conds[ci].type == C_METRIC) {
        r->metric = c->kb->conds[ci].ref;
        r->metric_comp = c->kb->conds[ci].comp;
    }
    const dnode *t = get(&f, "text", false);
    if (t)
        r->text = pr_template_compile(c, t, f.file, f.field);
}

/* addresses: the causes it addresses. */
static bool rec_addresses(kb_compiler *c, const raw_entry *e, kb_rec *r, fctx *f)
{
    const dnode *addr = get(f, "addresses", false);
    r->addr_first = (uint32_t)c->kb->n_u16;
    if (addr && addr->kind != DN_SEQ) {
        pr_kb_error(c, f->file, addr, f->field, POSTRUN_ERR_TYPE, "expected a list of cause ids");
    } else if (addr) {
        for (size_t i = 0; i < addr->n; i++) {
            raw_entry *k = ref(c, addr->item[i], f->file, f->field, POSTRUN_KIND_CAUSE, "cause");
            uint16_t *slot = k ? KB_PUSH(c, c->kb->u16, c->kb->n_u16, c->cap_u16) : NULL;
            if (slot) {
                *slot = (uint16_t)k->index;
                r->n_addr++;
            }
        }
    }
    return true;
}

/* tags: names red flags withdraw it by, interned in kb->tag_names; a tag may not
 * shadow an id. False when out of memory. */
static bool rec_tags(kb_compiler *c, const raw_entry *e, kb_rec *r, fctx *f)
{
    const dnode *tags = get(f, "tags", false);
    r->tag_first = (uint32_t)c->kb->n_u16;
    if (tags && tags->kind != DN_SEQ) {
        pr_kb_error(c, f->file, tags, f->field, POSTRUN_ERR_TYPE, "expected a list of tags");
    } else if (tags) {
        for (size_t i = 0; i < tags->n; i++) {
            const dnode *t = tags->item[i];
            if (t->kind != DN_SCALAR || !t->len) {
                pr_kb_error(c, f->file, t, f->field, POSTRUN_ERR_TYPE, "a tag is a word");
                continue;
            }
            if (pr_compiler_find(c, t->str, POSTRUN_KIND_RECOMMENDATION)) {
                pr_kb_error(c, f->file, t, f->field, POSTRUN_ERR_KB,
                         "tag '%s' is also a recommendation id; choose another", t->str);
                continue;
            }
            size_t ti = 0;
            while (ti < c->kb->n_tags && strcmp(c->kb->tag_names[ti], t->str) != 0)
                ti++;
            if (ti == c->kb->n_tags) {
                const char **nt = pr_realloc(c->kb->tag_names, (ti + 2) * sizeof *nt);
                if (!nt) {
                    c->nomem = true;
                    pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
                    return false;
                }
                c->kb->tag_names = nt;
                nt[ti] = kstr(c, t->str);
                nt[ti + 1] = NULL;
                c->kb->n_tags++;
            }
            uint16_t *slot = KB_PUSH(c, c->kb->u16, c->kb->n_u16, c->cap_u16);
            if (slot) {
                *slot = (uint16_t)ti;
                r->n_tags++;
            }
            if (strcmp(t->str, "gentle") == 0)
                r->gentle = true;
        }
    }
    return true;
}

/* doses: formulas in order, each seeing the doses before it, their names put in
 * `names` (16). False when out of memory. */
static bool rec_doses(kb_compiler *c, const raw_entry *e, kb_rec *r, fctx *f, const char **names)
{
    const dnode *doses = get(f, "doses", false);
    r->dose_first = (uint32_t)c->kb->n_doses;
    if (doses && doses->kind != DN_MAP) {
        pr_kb_error(c, f->file, doses, f->field, POSTRUN_ERR_TYPE,
                 "'doses' must map dose names to formulas");
    } else if (doses) {
        if (doses->n / 2 > 16)
            pr_kb_error(c, f->file, doses, f->field, POSTRUN_ERR_LIMIT, "at most 16 doses");
        for (size_t i = 0; i + 1 < doses->n && i / 2 < 16; i += 2) {
            const dnode *k = doses->item[i], *v = doses->item[i + 1];
            char field[160];
            join3(field, sizeof field, e->id, ".doses.", k->str);
            c->dose_names = names;
            c->n_dose_names = r->n_doses;
            uint32_t first = 0, n = 0;
            bool ok = pr_expr_compile(c, v, f->file, field, &first, &n);
            kb_dose *d = KB_PUSH(c, c->kb->doses, c->kb->n_doses, c->cap_doses);
            if (!d)
                return false;
            d->name = kstr(c, k->str);
            d->expr_first = first;
            d->expr_n = ok ? n : 0;
            if (k->str && strcmp(k->str, "fluid_ml") == 0)
                r->fluid_dose = (int8_t)r->n_doses;
            else if (k->str && strcmp(k->str, "over_h") == 0)
                r->over_dose = (int8_t)r->n_doses;
            names[r->n_doses++] = d->name;
        }
        /* A volume to drink says over how many hours: the dose check needs the rate. */
        if (r->fluid_dose >= 0 && r->over_dose < 0)
            pr_kb_error(c, f->file, doses, f->field, POSTRUN_ERR_MISSING,
                     "a 'fluid_ml' dose needs an 'over_h' dose: the hours it is spread over");
    }
    return true;
}

/* contraindications: conditions that withdraw it, each with its reason. */
static bool rec_contraindications(kb_compiler *c, const raw_entry *e, kb_rec *r, fctx *f)
{
    const dnode *contra = get(f, "contraindications", false);
    r->contra_first = (uint32_t)c->kb->n_contras;
    if (contra && contra->kind != DN_SEQ) {
        pr_kb_error(c, f->file, contra, f->field, POSTRUN_ERR_TYPE,
                 "'contraindications' must be a list of {when: condition, text: why}");
    } else if (contra) {
        for (size_t i = 0; i < contra->n; i++) {
            const dnode *ci = contra->item[i];
            const dnode *wn = pr_dn_get(ci, "when"), *why = pr_dn_get(ci, "text");
            if (ci->kind != DN_MAP || !wn || !why || ci->n != 4) {
                pr_kb_error(c, f->file, ci, f->field, POSTRUN_ERR_TYPE,
                         "a contraindication is {when: condition, text: why}");
                continue;
            }
            int32_t cc = pr_cond_compile(c, wn, f->file, f->field, 0);
            int32_t text = pr_template_compile(c, why, f->file, f->field);
            kb_contra *k = KB_PUSH(c, c->kb->contras, c->kb->n_contras, c->cap_contras);
            if (!k || cc < 0 || text < 0)
                continue;
            k->cond = (uint32_t)cc;
            k->text = text;
            r->n_contra++;
        }
    }
    return true;
}

static void compile_rec(kb_compiler *c, const raw_entry *e, kb_rec *r)
{
    static const char *const whens[] = {"now", "within_2h", "today", "next_days", "next_runs",
                                        NULL};
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &r->m);
    int w = get_word(&f, "when", true, whens);
    r->when = w >= 0 ? (uint8_t)w : 0;
    r->fluid_dose = r->over_dose = -1;
    get_number(&f, "priority", true, &r->priority);
    r->requires = -1;
    r->text = -1;
    const dnode *req = get(&f, "requires", false);
    if (req)
        r->requires = pr_cond_compile(c, req, f.file, f.field, 0);
    const char *names[16];
    if (!rec_addresses(c, e, r, &f) || !rec_tags(c, e, r, &f) ||
        !rec_doses(c, e, r, &f, names) || !rec_contraindications(c, e, r, &f))
        return;
    c->dose_names = names;
    c->n_dose_names = r->n_doses;
    const dnode *t = get(&f, "text", true);
    if (t)
        r->text = pr_template_compile(c, t, f.file, f.field);
    c->dose_names = NULL;
    c->n_dose_names = 0;
}

static void compile_flag(kb_compiler *c, const raw_entry *e, kb_flag *fl)
{
    static const char *const urg[] = {"emergency", "see_doctor_soon", "see_doctor_if_persists",
                                      NULL};
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &fl->m);
    int u = get_word(&f, "urgency", true, urg);
    fl->urgency = u >= 0 ? (uint8_t)u : 0;
    const dnode *w = get(&f, "when", true);
    int32_t ci = w ? pr_cond_compile(c, w, f.file, f.field, 0) : -1;
    fl->cond = ci >= 0 ? (uint32_t)ci : 0;
    const dnode *adv = get(&f, "advice", true);
    fl->advice = adv ? pr_template_compile(c, adv, f.file, f.field) : -1;
    if (adv && adv->kind == DN_SCALAR && adv->len == 0)
        pr_kb_error(c, f.file, adv, f.field, POSTRUN_ERR_MISSING, "a red flag needs advice");
    /* escalate: {when: condition, urgency: more urgent, advice: text} */
    fl->esc_cond = -1;
    fl->esc_advice = -1;
    fl->esc_urgency = fl->urgency;
    const dnode *esc = get(&f, "escalate", false);
    if (!esc)
        return;
    const dnode *ew = pr_dn_get(esc, "when"), *eu = pr_dn_get(esc, "urgency"),
                *ea = pr_dn_get(esc, "advice");
    if (esc->kind != DN_MAP || !ew || !eu || !ea || esc->n != 6) {
        pr_kb_error(c, f.file, esc, f.field, POSTRUN_ERR_TYPE,
                 "'escalate' is {when: condition, urgency: word, advice: text}");
        return;
    }
    int eui = eu->kind == DN_SCALAR ? pr_word_index(urg, eu->str) : -1;
    if (eui < 0 || (u >= 0 && eui >= u)) {
        pr_kb_error(c, f.file, eu, f.field, POSTRUN_ERR_VALUE,
                 "an escalation's urgency must be more urgent than the flag's own");
        return;
    }
    fl->esc_urgency = (uint8_t)eui;
    fl->esc_cond = pr_cond_compile(c, ew, f.file, f.field, 0);
    fl->esc_advice = pr_template_compile(c, ea, f.file, f.field);
}

/* A list of recommendation ids or tags (a flag's `withdraws` and `allows`), expanded into
 * recommendation indexes in kb->u32 once every recommendation exists. */
static void rec_list(kb_compiler *c, const raw_entry *e, const char *key, uint32_t *first,
                     uint32_t *count)
{
    fctx f = {c, e, "", NULL};
    const dnode *wd = get(&f, key, false);
    *first = (uint32_t)c->kb->n_u32;
    *count = 0;
    if (!wd)
        return;
    if (wd->kind != DN_SEQ) {
        pr_kb_error(c, f.file, wd, f.field, POSTRUN_ERR_TYPE,
                 "'%s' must list recommendation ids or tags", key);
        return;
    }
    for (size_t i = 0; i < wd->n; i++) {
        const dnode *n = wd->item[i];
        if (n->kind != DN_SCALAR) {
            pr_kb_error(c, f.file, n, f.field, POSTRUN_ERR_TYPE, "expected an id or a tag");
            continue;
        }
        int tag = pr_word_index(c->kb->tag_names, n->str);
        if (tag >= 0) {
            for (size_t r = 0; r < c->kb->n_recs; r++) {
                const kb_rec *rec = &c->kb->recs[r];
                for (uint32_t t = 0; t < rec->n_tags; t++) {
                    if (c->kb->u16[rec->tag_first + t] != tag)
                        continue;
                    uint32_t *slot = KB_PUSH(c, c->kb->u32, c->kb->n_u32, c->cap_u32);
                    if (slot) {
                        *slot = (uint32_t)r;
                        (*count)++;
                    }
                }
            }
            continue;
        }
        raw_entry *r = pr_compiler_find(c, n->str, POSTRUN_KIND_RECOMMENDATION);
        if (!r) {
            const char *s = pr_suggest(n->str, c->kb->tag_names);
            pr_kb_error(c, f.file, n, f.field, POSTRUN_ERR_UNKNOWN_ID,
                     "'%s' is neither a recommendation id nor a tag%s%s%s", n->str,
                     s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
            continue;
        }
        if (r->disabled)
            continue; /* disabling a recommendation is always safe */
        r->used = true;
        uint32_t *slot = KB_PUSH(c, c->kb->u32, c->kb->n_u32, c->cap_u32);
        if (slot) {
            *slot = r->index;
            (*count)++;
        }
    }
}

static void compile_withdraws(kb_compiler *c, const raw_entry *e, kb_flag *fl)
{
    rec_list(c, e, "withdraws", &fl->wd_rec_first, &fl->n_wd_rec);
    rec_list(c, e, "allows", &fl->al_rec_first, &fl->n_al_rec);
}

/* An optional `key: true | false` of an entry (false when absent). */
static bool flag_key(fctx *f, const char *key)
{
    const dnode *n = get(f, key, false);
    bool b = false;
    if (n && !pr_dn_bool(n, &b))
        pr_kb_error(f->c, f->file, n, f->field, POSTRUN_ERR_TYPE, "'%s' is true or false", key);
    return b;
}

static void compile_misc(kb_compiler *c, const raw_entry *e, kb_misc *m)
{
    fctx f = {c, e, "", NULL};
    compile_meta(c, e, &m->m);
    m->when = -1;
    const dnode *w = get(&f, "when", false);
    if (w)
        m->when = pr_cond_compile(c, w, f.file, f.field, 0);
    const dnode *d = get(&f, "description", false);
    m->text = d ? pr_template_compile(c, d, f.file, f.field) : -1;
    if (e->kind == POSTRUN_KIND_NOTE)
        m->warning = flag_key(&f, "warning");
    else
        m->reassures = flag_key(&f, "reassures");
}

/* ---- the whole ---- */

static int cmp_idx(const void *a, const void *b)
{
    const kb_idx *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (int)x->kind - (int)y->kind;
}

static int cmp_link(const void *a, const void *b)
{
    const kb_link *x = a, *y = b;
    if (x->symptom != y->symptom)
        return x->symptom < y->symptom ? -1 : 1;
    return x->cause < y->cause ? -1 : x->cause > y->cause;
}

static void *karray(kb_compiler *c, size_t n, size_t size)
{
    void *p = pr_arena_alloc(&c->kb->arena, (n ? n : 1) * size);
    if (!p) {
        if (!c->nomem)
            pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        c->nomem = true;
        return NULL;
    }
    memset(p, 0, (n ? n : 1) * size);
    return p;
}

static const char **id_list(kb_compiler *c, unsigned kind)
{
    const char **l = karray(c, c->n_kind[kind] + 1, sizeof *l);
    if (!l)
        return NULL;
    /* Copied: the entries' ids point into the YAML trees, which are freed after the build. */
    for (size_t i = 0; i < c->n_kind[kind]; i++)
        l[i] = kstr(c, c->by_kind[kind][i]->id);
    l[c->n_kind[kind]] = NULL;
    return l;
}

/* Where a parameter the models need is reported: at its entry when it exists but has the
 * wrong shape; when no file defines it, in the file that holds the other parameters. */
static void model_param_error(kb_compiler *c, int32_t k, const char *id, bool curve)
{
    char field[160];
    join3(field, sizeof field, id, ".", curve ? "points" : "value");
    if (k >= 0) {
        const raw_entry *e = c->by_kind[POSTRUN_KIND_PARAMETER][k];
        pr_kb_error(c, e->file, e->id_node, field, POSTRUN_ERR_KB,
                 curve ? "the models use '%s' as a curve: it needs points, not a value"
                       : "the models use '%s' as one value: it needs a value, not points",
                 id);
        return;
    }
    const char *file = c->n_kind[POSTRUN_KIND_PARAMETER]
                           ? c->by_kind[POSTRUN_KIND_PARAMETER][0]->file
                           : c->n_entries ? c->entries[0].file : "";
    pr_err_add(c->err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, file, 0, 0, field,
               "the models need a parameter '%s' (with %s) and no file defines it", id,
               curve ? "points" : "a value");
}

static void fill_model_params(kb_compiler *c)
{
    kb_params *p = &c->kb->params;
    for (size_t i = 0; i < P_COUNT; i++) {
        int32_t k = pr_kb_param_lookup(c, PR_PARAM_NAMES[i]);
        if (k < 0 || c->kb->parameters[k].n_points) {
            model_param_error(c, k, PR_PARAM_NAMES[i], false);
            continue;
        }
        p->value[i] = c->kb->parameters[k].value;
        p->low[i] = c->kb->parameters[k].low;
        p->high[i] = c->kb->parameters[k].high;
        p->dist[i] = c->kb->parameters[k].dist;
    }
    for (size_t i = 0; i < C_COUNT; i++) {
        int32_t k = pr_kb_param_lookup(c, PR_CURVE_NAMES[i]);
        if (k < 0 || !c->kb->parameters[k].n_points) {
            model_param_error(c, k, PR_CURVE_NAMES[i], true);
            continue;
        }
        const kb_param *kp = &c->kb->parameters[k];
        p->curve[i].n = kp->n_points;
        memcpy(p->curve[i].x, kp->px, sizeof kp->px);
        memcpy(p->curve[i].y, kp->py, sizeof kp->py);
    }
    pr_params_derive(p); /* values that depend only on parameters, computed once */
    static const char *const windows[3] = {"timing_window_now_h", "timing_window_within_2h_h",
                                           "timing_window_today_h"};
    static const char *const likely[3] = {"likelihood_very_likely", "likelihood_likely",
                                          "likelihood_possible"};
    for (int i = 0; i < 3; i++) {
        c->kb->window_param[i] = pr_kb_param_lookup(c, windows[i]);
        c->kb->likelihood_param[i] = pr_kb_param_lookup(c, likely[i]);
    }
    c->kb->max_fluid_rate_param = pr_kb_param_lookup(c, "max_fluid_ml_per_h");
    static const char *const plausible[3] = {"plausible_max_sweat_rate_l_h",
                                             "plausible_max_body_mass_change_pct",
                                             "plausible_hr_above_max_bpm"};
    for (int i = 0; i < 3; i++)
        c->kb->plausible_param[i] = pr_kb_param_lookup(c, plausible[i]);
    c->kb->min_score_param = pr_kb_param_lookup(c, "recommendation_min_score");
    if (c->kb->min_score_param < 0)
        pr_err_add(c->err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR,
                   c->n_entries ? c->entries[0].file : "", 0, 0, "recommendation_min_score",
                   "the parameter 'recommendation_min_score' is required");
}

/* Whether any condition or formula reads the low or high end of a metric whose interval an
 * assessment computes only on demand (pr_model_evaluate_fast()): then assessments compute every
 * interval at once, before the conditions. Templates need no check: texts are rendered after
 * the intervals are completed. */
static bool reads_lazy_interval(int32_t ref, unsigned comp)
{
    return comp != COMP_X && ref >= RF_COUNT && ref < MI_COUNT &&
           pr_model_metric_has_lazy_interval(ref - RF_COUNT);
}

static void find_eager_intervals(postrun_kb *kb)
{
    kb->eager_intervals = false;
    for (size_t i = 0; i < kb->n_conds; i++)
        if (kb->conds[i].type == C_METRIC && reads_lazy_interval(kb->conds[i].ref, kb->conds[i].comp))
            kb->eager_intervals = true;
    for (size_t i = 0; i < kb->n_ops; i++)
        if (kb->ops[i].op == X_METRIC && reads_lazy_interval(kb->ops[i].ref, kb->ops[i].comp))
            kb->eager_intervals = true;
}

static void final_checks(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    /* Fluid doses are checked against the kidneys' clearance: the limit must be known. */
    for (size_t r = 0; r < kb->n_recs && kb->max_fluid_rate_param < 0; r++) {
        if (kb->recs[r].fluid_dose < 0)
            continue;
        const raw_entry *e = c->by_kind[POSTRUN_KIND_RECOMMENDATION][r];
        pr_kb_error(c, e->layers->file, e->id_node, e->id, POSTRUN_ERR_KB,
                 "'%s' has a fluid dose, so the parameter 'max_fluid_ml_per_h' is required",
                 e->id);
        break;
    }
    find_eager_intervals(kb);
    /* Every symptom links to a cause; every cause is addressed by a recommendation. */
    for (size_t s = 0; s < kb->n_symptoms; s++) {
        if (kb->symptoms[s].n_links == 0) {
            const raw_entry *e = c->by_kind[POSTRUN_KIND_SYMPTOM][s];
            pr_kb_error(c, e->layers->file, e->id_node, e->id, POSTRUN_ERR_KB,
                     "no cause links to symptom '%s', so it could never be explained", e->id);
        }
    }
    for (size_t k = 0; k < kb->n_causes; k++) {
        bool addressed = false;
        for (size_t r = 0; r < kb->n_recs && !addressed; r++)
            for (uint32_t j = 0; j < kb->recs[r].n_addr; j++)
                if (kb->u16[kb->recs[r].addr_first + j] == k)
                    addressed = true;
        const raw_entry *e = c->by_kind[POSTRUN_KIND_CAUSE][k];
        if (!addressed)
            pr_kb_error(c, e->layers->file, e->id_node, e->id, POSTRUN_ERR_KB,
                     "no recommendation addresses cause '%s'", e->id);
        if (kb->causes[k].n_links == 0)
            pr_kb_warning(c, e->layers->file, e->id_node, e->id,
                       "cause '%s' links to no symptom, so it is never listed", e->id);
    }
    /* Unused entries: a warning (a coach may be drafting). */
    for (size_t i = 0; i < c->n_entries; i++) {
        const raw_entry *e = &c->entries[i];
        if (e->used || e->disabled)
            continue;
        /* Symptoms, observations and body areas are vocabulary for run reports: never unused. */
        if (e->kind == POSTRUN_KIND_SOURCE || e->kind == POSTRUN_KIND_PARAMETER)
            pr_kb_warning(c, e->layers->file, e->id_node, e->id, "%s '%s' is not used by anything",
                       PR_KIND_NOUN[e->kind], e->id);
    }
}

/* Groups the live entries by kind, in file order, and gives each its index. */
static postrun_status group_by_kind(kb_compiler *c)
{
    /* Group live entries by kind, in file order; give each its index. */
    for (int k = 0; k < KIND_COUNT; k++) {
        c->by_kind[k] = pr_malloc((c->n_entries ? c->n_entries : 1) * sizeof(raw_entry *));
        if (!c->by_kind[k])
            return pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < c->n_entries; i++) {
        raw_entry *e = &c->entries[i];
        if (e->disabled)
            continue;
        e->index = (uint32_t)c->n_kind[e->kind];
        c->by_kind[e->kind][c->n_kind[e->kind]++] = e;
        check_keys(c, e);
    }
    if (c->n_kind[POSTRUN_KIND_SYMPTOM] > 65535 || c->n_kind[POSTRUN_KIND_CAUSE] > 65535 ||
        c->n_kind[POSTRUN_KIND_BODY_AREA] > 64 || c->n_kind[POSTRUN_KIND_OBSERVATION] > 65535)
        return pr_err_set(c->err, POSTRUN_ERR_LIMIT, NULL,
                          "too many entries (at most 64 body areas, 65535 of other kinds)");
    return POSTRUN_OK;
}

/* One array per kind, and the id lists run parsing suggests from. */
static postrun_status alloc_kinds(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
#define ALLOC_KIND(field, nfield, kind)                                                        \
    kb->nfield = c->n_kind[kind];                                                               \
    kb->field = karray(c, kb->nfield, sizeof *kb->field);
    ALLOC_KIND(sources, n_sources, POSTRUN_KIND_SOURCE)
    ALLOC_KIND(parameters, n_parameters, POSTRUN_KIND_PARAMETER)
    ALLOC_KIND(symptoms, n_symptoms, POSTRUN_KIND_SYMPTOM)
    ALLOC_KIND(observations, n_observations, POSTRUN_KIND_OBSERVATION)
    ALLOC_KIND(body_areas, n_body_areas, POSTRUN_KIND_BODY_AREA)
    ALLOC_KIND(causes, n_causes, POSTRUN_KIND_CAUSE)
    ALLOC_KIND(rules, n_rules, POSTRUN_KIND_RULE)
    ALLOC_KIND(recs, n_recs, POSTRUN_KIND_RECOMMENDATION)
    ALLOC_KIND(flags, n_flags, POSTRUN_KIND_RED_FLAG)
    ALLOC_KIND(miscs, n_miscs, POSTRUN_KIND_MISCONCEPTION)
    ALLOC_KIND(notes, n_notes, POSTRUN_KIND_NOTE)
#undef ALLOC_KIND
    if (c->nomem)
        return POSTRUN_ERR_NOMEM;
    kb->symptom_ids = id_list(c, POSTRUN_KIND_SYMPTOM);
    kb->observation_ids = id_list(c, POSTRUN_KIND_OBSERVATION);
    kb->body_area_ids = id_list(c, POSTRUN_KIND_BODY_AREA);
    kb->tag_names = pr_calloc(1, sizeof *kb->tag_names);
    if (c->nomem || !kb->tag_names)
        return pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    return POSTRUN_OK;
}

/* Compiles every entry, kind by kind (red flags withdraw and recommendations supersede
 * recommendations, so those come after all recommendations exist). */
static postrun_status compile_entries(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
#define EACH(kind) for (size_t i = 0; i < c->n_kind[kind] && !c->nomem; i++)
#define E(kind) c->by_kind[kind][i]
    EACH(POSTRUN_KIND_SOURCE) compile_source(c, E(POSTRUN_KIND_SOURCE), &kb->sources[i]);
    EACH(POSTRUN_KIND_PARAMETER) compile_param(c, E(POSTRUN_KIND_PARAMETER), &kb->parameters[i]);
    EACH(POSTRUN_KIND_SYMPTOM) compile_meta(c, E(POSTRUN_KIND_SYMPTOM), &kb->symptoms[i].m);
    EACH(POSTRUN_KIND_OBSERVATION)
        compile_observation(c, E(POSTRUN_KIND_OBSERVATION), &kb->observations[i]);
    EACH(POSTRUN_KIND_BODY_AREA) compile_meta(c, E(POSTRUN_KIND_BODY_AREA), &kb->body_areas[i].m);
    EACH(POSTRUN_KIND_CAUSE) compile_cause(c, E(POSTRUN_KIND_CAUSE), &kb->causes[i], (uint16_t)i);
    EACH(POSTRUN_KIND_RULE) compile_rule(c, E(POSTRUN_KIND_RULE), &kb->rules[i]);
    EACH(POSTRUN_KIND_RECOMMENDATION) compile_rec(c, E(POSTRUN_KIND_RECOMMENDATION), &kb->recs[i]);
    EACH(POSTRUN_KIND_RED_FLAG) compile_flag(c, E(POSTRUN_KIND_RED_FLAG), &kb->flags[i]);
    EACH(POSTRUN_KIND_RED_FLAG) compile_withdraws(c, E(POSTRUN_KIND_RED_FLAG), &kb->flags[i]);
    EACH(POSTRUN_KIND_RECOMMENDATION)
        rec_list(c, E(POSTRUN_KIND_RECOMMENDATION), "supersedes", &kb->recs[i].sup_first,
                 &kb->recs[i].n_sup);
    EACH(POSTRUN_KIND_MISCONCEPTION) compile_misc(c, E(POSTRUN_KIND_MISCONCEPTION), &kb->miscs[i]);
    EACH(POSTRUN_KIND_NOTE) compile_misc(c, E(POSTRUN_KIND_NOTE), &kb->notes[i]);
#undef EACH
#undef E
    if (c->nomem)
        return POSTRUN_ERR_NOMEM;
    /* The id lists hold the parsed files' ids, which the builder frees: from now on, the
     * compiled copies (they outlive the build). */
    for (size_t i = 0; i < kb->n_symptoms; i++)
        kb->symptom_ids[i] = kb->symptoms[i].m.id;
    for (size_t i = 0; i < kb->n_observations; i++)
        kb->observation_ids[i] = kb->observations[i].m.id;
    for (size_t i = 0; i < kb->n_body_areas; i++)
        kb->body_area_ids[i] = kb->body_areas[i].m.id;
    return POSTRUN_OK;
}

/* Symptom links and rules, by symptom and by cause, for scoring. */
static postrun_status link_causes(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    /* Links sorted by symptom; per-symptom ranges. */
    if (kb->n_links)
        qsort(kb->links, kb->n_links, sizeof *kb->links, cmp_link);
    for (size_t i = 0; i < kb->n_links; i++) {
        kb_symptom *s = &kb->symptoms[kb->links[i].symptom];
        if (s->n_links == 0)
            s->link_first = (uint32_t)i;
        s->n_links++;
    }
    /* Rules of each cause. */
    kb->cause_rules = pr_malloc((kb->n_rules ? kb->n_rules : 1) * sizeof *kb->cause_rules);
    if (!kb->cause_rules)
        return pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    for (size_t k = 0; k < kb->n_causes; k++) {
        kb->causes[k].rule_first = (uint32_t)kb->n_cause_rules;
        for (size_t r = 0; r < kb->n_rules; r++)
            if (kb->rules[r].cause == k) {
                kb->cause_rules[kb->n_cause_rules++] = (uint32_t)r;
                kb->causes[k].n_rules++;
            }
    }

    /* The same by cause, for scoring. */
    kb->cause_links = karray(c, kb->n_links, sizeof *kb->cause_links);
    kb->scoring_rules = karray(c, kb->n_cause_rules, sizeof *kb->scoring_rules);
    if (!kb->cause_links || !kb->scoring_rules)
        return POSTRUN_ERR_NOMEM;
    uint32_t nl = 0;
    for (size_t k = 0; k < kb->n_causes; k++) {
        kb->causes[k].clink_first = nl;
        for (size_t i = 0; i < kb->n_links; i++)
            if (kb->links[i].cause == k)
                kb->cause_links[nl++] =
                    (kb_cause_link){kb->links[i].symptom, kb->links[i].weight};
        kb->causes[k].n_clinks = nl - kb->causes[k].clink_first;
    }
    for (size_t i = 0; i < kb->n_cause_rules; i++) {
        const kb_rule *r = &kb->rules[kb->cause_rules[i]];
        kb->scoring_rules[i] = (kb_cause_rule){r->cond, kb->cause_rules[i], r->weight};
    }
    return POSTRUN_OK;
}

/* The global id index and what is sorted by it: cause and recommendation ranks, the
 * recommendations addressing each cause, red flags by urgency. */
static postrun_status build_index(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    /* The global id index. */
    size_t live = 0;
    for (int k = 0; k < KIND_COUNT; k++)
        live += c->n_kind[k];
    kb->index = karray(c, live, sizeof *kb->index);
    if (!kb->index)
        return POSTRUN_ERR_NOMEM;
    for (int k = 0; k < KIND_COUNT; k++)
        for (size_t i = 0; i < c->n_kind[k]; i++) {
            const kb_meta *m = pr_kb_meta_of(kb, (unsigned)k, i);
            kb->index[kb->n_index++] = (kb_idx){m->id, (uint8_t)k, (uint32_t)i};
        }
    qsort(kb->index, kb->n_index, sizeof *kb->index, cmp_idx);
    /* Sort keys from the index (kb.h). */
    kb->rec_rank = karray(c, kb->n_recs, sizeof *kb->rec_rank);
    kb->flag_order = karray(c, kb->n_flags, sizeof *kb->flag_order);
    kb->cause_by_rank = karray(c, kb->n_causes, sizeof *kb->cause_by_rank);
    if (!kb->rec_rank || !kb->flag_order || !kb->cause_by_rank)
        return POSTRUN_ERR_NOMEM;
    uint32_t n_cause = 0, n_rec = 0;
    for (size_t i = 0; i < kb->n_index; i++) {
        const kb_idx *x = &kb->index[i];
        if (x->kind == POSTRUN_KIND_CAUSE)
            kb->cause_by_rank[n_cause++] = x->index;
        else if (x->kind == POSTRUN_KIND_RECOMMENDATION)
            kb->rec_rank[x->index] = n_rec++;
    }
    /* The other way round: the recommendations addressing each cause, and each
     * recommendation's best score before any cause offers one (0 when it addresses none). */
    size_t n_addr = 0;
    for (size_t r = 0; r < kb->n_recs; r++)
        n_addr += kb->recs[r].n_addr;
    kb->cause_rec_first = karray(c, kb->n_causes + 1, sizeof *kb->cause_rec_first);
    kb->cause_recs = karray(c, n_addr + 1, sizeof *kb->cause_recs);
    kb->rec_best0 = karray(c, kb->n_recs + 1, sizeof *kb->rec_best0);
    if (!kb->cause_rec_first || !kb->cause_recs || !kb->rec_best0)
        return POSTRUN_ERR_NOMEM;
    for (size_t r = 0; r < kb->n_recs; r++) {
        kb->rec_best0[r] = kb->recs[r].n_addr ? -1 : 0;
        for (uint32_t j = 0; j < kb->recs[r].n_addr; j++)
            kb->cause_rec_first[kb->u16[kb->recs[r].addr_first + j] + 1]++;
    }
    for (size_t k = 0; k < kb->n_causes; k++)
        kb->cause_rec_first[k + 1] += kb->cause_rec_first[k];
    /* Filled through the range starts, which end up at the next range's start: shifted back. */
    for (size_t r = 0; r < kb->n_recs; r++)
        for (uint32_t j = 0; j < kb->recs[r].n_addr; j++)
            kb->cause_recs[kb->cause_rec_first[kb->u16[kb->recs[r].addr_first + j]]++] =
                (uint32_t)r;
    for (size_t k = kb->n_causes; k > 0; k--)
        kb->cause_rec_first[k] = kb->cause_rec_first[k - 1];
    kb->cause_rec_first[0] = 0;
    for (unsigned urgency = 0; urgency < 3; urgency++)
        for (size_t i = 0; i < kb->n_index; i++) {
            const kb_idx *x = &kb->index[i];
            if (x->kind == POSTRUN_KIND_RED_FLAG && kb->flags[x->index].urgency == urgency)
                kb->flag_order[kb->n_flag_order++] = x->index;
        }
    return POSTRUN_OK;
}

/* The hash from id to index entry. */
static postrun_status build_id_hash(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    size_t cap = 16;
    while (cap < 2 * kb->n_index)
        cap *= 2;
    kb->id_hash = karray(c, cap, sizeof *kb->id_hash);
    if (!kb->id_hash)
        return POSTRUN_ERR_NOMEM;
    kb->id_hash_mask = cap - 1;
    for (size_t i = 0; i < kb->n_index; i++) {
        size_t h = pr_kb_id_hash(kb->index[i].id) & kb->id_hash_mask;
        while (kb->id_hash[h])
            h = (h + 1) & kb->id_hash_mask;
        kb->id_hash[h] = (uint32_t)i + 1;
    }
    return POSTRUN_OK;
}

/* What the compiled knowledge base holds, for postrun_kb_memory(). */
static size_t kb_bytes(const postrun_kb *kb)
{
    return sizeof *kb + kb->arena.used_total +
                kb->n_links * sizeof *kb->links + kb->n_cause_rules * sizeof *kb->cause_rules +
                kb->n_src_refs * sizeof *kb->src_refs + kb->n_u16 * sizeof *kb->u16 +
                kb->n_u32 * sizeof *kb->u32 + kb->n_conds * sizeof *kb->conds +
                kb->n_cond_children * sizeof *kb->cond_children +
                kb->n_cond_set * sizeof *kb->cond_set + kb->n_ops * sizeof *kb->ops +
                kb->n_doses * sizeof *kb->doses + kb->n_contras * sizeof *kb->contras +
                kb->n_segs * sizeof *kb->segs +
                kb->n_templates * sizeof *kb->templates;
}

postrun_status pr_kb_compile(kb_compiler *c)
{
    postrun_kb *kb = pr_calloc(1, sizeof *kb);
    if (!kb)
        return pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    c->kb = kb;
    postrun_status rc;
    if ((rc = group_by_kind(c)) != POSTRUN_OK || (rc = alloc_kinds(c)) != POSTRUN_OK ||
        (rc = compile_entries(c)) != POSTRUN_OK || (rc = link_causes(c)) != POSTRUN_OK)
        return rc;
    fill_model_params(c);
    final_checks(c);
    pr_cond_finish(c);
    if (!pr_cond_texts_finish(c))
        return POSTRUN_ERR_NOMEM;
    if ((rc = build_index(c)) != POSTRUN_OK || (rc = build_id_hash(c)) != POSTRUN_OK)
        return rc;
    kb->bytes = kb_bytes(kb);
    return c->nomem ? POSTRUN_ERR_NOMEM : POSTRUN_OK;
}
