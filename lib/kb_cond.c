/*
 * Conditions: compiling the declarative `when`/`requires` trees of the knowledge base into flat
 * nodes over metric, symptom and observation indexes, and the program that evaluates them all
 * at once (kb_cond_eval.c runs it). No strings are compared at evaluation time.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kb_impl.h"

#define COND_MAX_DEPTH 16

static const char *const OP_WORDS[] = {"lt", "le", "gt", "ge", "eq", "ne", "in", NULL};
static const char *const OP_SYMBOLS[] = {"<", "<=", ">", ">=", "==", "!=", NULL};
static const char *const COND_KEYS[] = {"all",         "any",         "not",  "metric",
                                        "symptom",     "observation", "text", "known",
                                        "min_severity", "min_onset_h", "max_onset_h", "where",
                                        "lt", "le", "gt", "ge", "eq", "ne", "in", "<", "<=", ">",
                                        ">=", "==", "!=", NULL};

/* Words of an enumerated metric or field, NULL for numbers; `is_bool` for yes/no ones. */
static const char *const *metric_words(int mi, bool *is_bool)
{
    *is_bool = false;
    if (mi < RF_COUNT) {
        *is_bool = PR_RUN_FIELDS[mi].type == FT_BOOL;
        return PR_RUN_FIELDS[mi].type == FT_ENUM ? PR_RUN_FIELDS[mi].words : NULL;
    }
    const metric_info *m = &PR_METRICS[mi - RF_COUNT];
    *is_bool = m->kind == MK_BOOL;
    return m->kind == MK_ENUM ? m->words : NULL;
}

static const char *suggest_metric(const char *name)
{
    const char *metric_candidates[RF_COUNT + M_COUNT + 1];
    size_t k = 0;
    for (int i = 0; i < RF_COUNT; i++)
        if (PR_RUN_FIELDS[i].type != FT_STR)
            metric_candidates[k++] = PR_RUN_FIELDS[i].path;
    for (int i = 0; i < M_COUNT; i++)
        metric_candidates[k++] = PR_METRICS[i].name;
    metric_candidates[k] = NULL;
    return pr_suggest(name, metric_candidates);
}

/* Index of a live entry of `kind` during compilation (the kb's own index is built last). */
static int vocab_index(kb_compiler *c, const dnode *n, int kind)
{
    if (n->kind != DN_SCALAR)
        return -1;
    raw_entry *e = pr_compiler_find(c, n->str, kind);
    if (!e || e->disabled)
        return -1;
    e->used = true;
    return (int)e->index;
}

static int32_t new_cond(kb_compiler *c, const dnode *at, const char *file)
{
    cond *n = KB_PUSH(c, c->kb->conds, c->kb->n_conds, c->cap_conds);
    if (!n)
        return -1;
    n->text = -1;
    n->min_severity = n->min_onset_h = n->max_onset_h = NAN;
    n->file = file;
    n->line = at ? at->line : 0;
    n->col = at ? at->col : 0;
    return (int32_t)(c->kb->n_conds - 1);
}

/* A comparison value: number, word (enumerations), true/false, or {param: ID}. */
static bool cmp_value(kb_compiler *c, const dnode *v, const char *file, const char *field,
                      const char *const *words, bool is_bool, double *out)
{
    if (v->kind == DN_MAP) {
        const dnode *p = pr_dn_get(v, "param");
        if (!p || v->n != 2 || p->kind != DN_SCALAR) {
            pr_kb_error(c, file, v, field, POSTRUN_ERR_TYPE,
                     "a comparison value is a number, a word or {param: ID}");
            return false;
        }
        int32_t pi = pr_kb_param_lookup(c, p->str);
        if (pi < 0) {
            pr_kb_error(c, file, p, field, POSTRUN_ERR_UNKNOWN_ID, "no parameter has id '%s'",
                     p->str);
            return false;
        }
        if (c->kb->parameters[pi].n_points) {
            pr_kb_error(c, file, p, field, POSTRUN_ERR_TYPE, "'%s' is a curve, not a value", p->str);
            return false;
        }
        *out = c->kb->parameters[pi].value;
        return true;
    }
    if (words) {
        int w = v->kind == DN_SCALAR ? pr_word_index(words, v->str) : -1;
        if (w < 0) {
            const char *s = v->kind == DN_SCALAR ? pr_suggest(v->str, words) : NULL;
            pr_kb_error(c, file, v, field, POSTRUN_ERR_VALUE, "'%s' is not a value of this metric%s%s%s",
                     v->kind == DN_SCALAR ? v->str : "?", s ? "; did you mean '" : "",
                     s ? s : "", s ? "'?" : "");
            return false;
        }
        *out = w;
        return true;
    }
    if (is_bool) {
        bool b;
        if (!pr_dn_bool(v, &b)) {
            pr_kb_error(c, file, v, field, POSTRUN_ERR_TYPE, "expected true or false");
            return false;
        }
        *out = b;
        return true;
    }
    if (pr_dn_number(v, out) != POSTRUN_OK) {
        char d[64];
        pr_dn_describe(v, d, sizeof d);
        pr_kb_error(c, file, v, field, POSTRUN_ERR_TYPE, "expected a number, not %s", d);
        return false;
    }
    return true;
}

/* Builds comparison leaves for every op key of mapping `n` (several = all must hold). */
static int32_t compile_comparisons(kb_compiler *c, const dnode *n, const char *file,
                                   const char *field, uint8_t type, int32_t ref, uint8_t comp,
                                   const char *const *words, bool is_bool, int32_t text)
{
    int32_t leaves[8];
    size_t nl = 0;
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *k = n->item[i]->str;
        const dnode *v = n->item[i + 1];
        int op = pr_word_index(OP_WORDS, k);
        if (op < 0)
            op = pr_word_index(OP_SYMBOLS, k);
        if (op < 0 && strcmp(k, "known") != 0)
            continue;
        if (nl == PR_ARRAY_LEN(leaves)) {
            pr_kb_error(c, file, n, field, POSTRUN_ERR_LIMIT, "too many comparisons in one condition");
            return -1;
        }
        int32_t li = new_cond(c, n, file);
        if (li < 0)
            return -1;
        cond *leaf = &c->kb->conds[li];
        leaf->type = type;
        leaf->ref = ref;
        leaf->comp = comp;
        leaf->line = n->item[i]->line;
        leaf->col = n->item[i]->col;
        if (strcmp(k, "known") == 0) {
            bool b;
            if (!pr_dn_bool(v, &b)) {
                pr_kb_error(c, file, v, field, POSTRUN_ERR_TYPE, "'known' takes true or false");
                return -1;
            }
            leaf->op = OP_KNOWN;
            leaf->known = b;
        } else if (op == 6) { /* in */
            if (v->kind != DN_SEQ || v->n == 0) {
                pr_kb_error(c, file, v, field, POSTRUN_ERR_TYPE, "'in' takes a non-empty list");
                return -1;
            }
            leaf->op = OP_IN;
            leaf->value = (double)c->kb->n_cond_set;
            leaf->n_set = (uint32_t)v->n;
            for (size_t j = 0; j < v->n; j++) {
                double d;
                if (!cmp_value(c, v->item[j], file, field, words, is_bool, &d))
                    return -1;
                double *slot = KB_PUSH(c, c->kb->cond_set, c->kb->n_cond_set, c->cap_set);
                if (!slot)
                    return -1;
                *slot = d;
            }
            leaf = &c->kb->conds[li];
        } else {
            leaf->op = (uint8_t)(OP_LT + op);
            double d;
            if (!cmp_value(c, v, file, field, words, is_bool, &d))
                return -1;
            c->kb->conds[li].value = d;
        }
        leaves[nl++] = li;
    }
    if (nl == 0) {
        if (type == C_OBS) { /* {observation: ID} alone: reported true / given */
            int32_t li = new_cond(c, n, file);
            if (li < 0)
                return -1;
            c->kb->conds[li].type = C_OBS;
            c->kb->conds[li].ref = ref;
            c->kb->conds[li].op = OP_NONE;
            c->kb->conds[li].text = text;
            return li;
        }
        pr_kb_error(c, file, n, field, POSTRUN_ERR_MISSING,
                 "a metric condition needs a comparison (lt, le, gt, ge, eq, ne, in, known)");
        return -1;
    }
    if (nl == 1) {
        c->kb->conds[leaves[0]].text = text;
        return leaves[0];
    }
    int32_t all = new_cond(c, n, file);
    if (all < 0)
        return -1;
    c->kb->conds[all].type = C_ALL;
    c->kb->conds[all].text = text;
    c->kb->conds[all].child = (uint32_t)c->kb->n_cond_children;
    c->kb->conds[all].n_child = (uint32_t)nl;
    for (size_t i = 0; i < nl; i++) {
        uint32_t *slot = KB_PUSH(c, c->kb->cond_children, c->kb->n_cond_children, c->cap_children);
        if (!slot)
            return -1;
        *slot = (uint32_t)leaves[i];
    }
    return all;
}

static int32_t cond_compile_node(kb_compiler *c, const dnode *n, const char *file,
                                 const char *field, unsigned depth);

static bool same_double(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* Whether nodes x and y test the same thing (their texts, positions aside). */
static bool same_cond(const postrun_kb *kb, const cond *x, const cond *y)
{
    if (x->type != y->type || x->ref != y->ref || x->op != y->op || x->comp != y->comp ||
        x->known != y->known || x->n_child != y->n_child || x->where != y->where ||
        x->n_set || y->n_set || !same_double(x->value, y->value) ||
        !same_double(x->min_severity, y->min_severity) ||
        !same_double(x->min_onset_h, y->min_onset_h) ||
        !same_double(x->max_onset_h, y->max_onset_h))
        return false;
    for (uint32_t i = 0; i < x->n_child; i++)
        if (kb->cond_children[x->child + i] != kb->cond_children[y->child + i])
            return false;
    return true;
}

/*
 * Compiles a condition, sharing a node that tests the same thing as one compiled before: the
 * bundled files repeat many tests ("the runner drank more than they lost" stands in every
 * drinking recommendation's contraindication), and every node costs its evaluation in every
 * assessment. Only nodes without a text of their own are shared (a text is what an
 * explanation prints), and only a node that is the last one made, so that taking it back
 * leaves the arrays as they were. Truth is a function of the node's test alone, so a shared
 * node gives every user the value its own copy would have had.
 */
int32_t pr_cond_compile(kb_compiler *c, const dnode *n, const char *file, const char *field,
                     unsigned depth)
{
    int32_t ni = cond_compile_node(c, n, file, field, depth);
    postrun_kb *kb = c->kb;
    if (ni < 0 || (size_t)ni + 1 != kb->n_conds || c->nomem)
        return ni;
    const cond *x = &kb->conds[ni];
    if (x->text >= 0 || x->type == C_TRUE || x->op == OP_IN ||
        (x->n_child && x->child + x->n_child != kb->n_cond_children))
        return ni;
    for (int32_t i = 0; i < ni; i++) {
        const cond *y = &kb->conds[i];
        if (y->text < 0 && same_cond(kb, x, y)) {
            kb->n_cond_children -= x->n_child;
            kb->n_conds--;
            return i;
        }
    }
    return ni;
}

/* all: [...] and any: [...]: every or one of a non-empty list. */
static int32_t compile_list(kb_compiler *c, const dnode *n, const char *file, const char *field,
                            unsigned depth, int32_t text, const dnode *form)
{
    const dnode *list = form;
    bool all = form == pr_dn_get(n, "all");
    if (list->kind != DN_SEQ || list->n == 0) {
        pr_kb_error(c, file, list, field, POSTRUN_ERR_TYPE, "'%s' takes a non-empty list",
                 all ? "all" : "any");
        return -1;
    }
    int32_t kids[64];
    if (list->n > PR_ARRAY_LEN(kids)) {
        pr_kb_error(c, file, list, field, POSTRUN_ERR_LIMIT, "at most 64 conditions in a list");
        return -1;
    }
    for (size_t i = 0; i < list->n; i++) {
        kids[i] = pr_cond_compile(c, list->item[i], file, field, depth + 1);
        if (kids[i] < 0)
            return -1;
    }
    int32_t ni = new_cond(c, n, file);
    if (ni < 0)
        return -1;
    cond *node = &c->kb->conds[ni];
    node->type = all ? C_ALL : C_ANY;
    node->text = text;
    node->child = (uint32_t)c->kb->n_cond_children;
    node->n_child = (uint32_t)list->n;
    for (size_t i = 0; i < list->n; i++) {
        uint32_t *slot =
            KB_PUSH(c, c->kb->cond_children, c->kb->n_cond_children, c->cap_children);
        if (!slot)
            return -1;
        *slot = (uint32_t)kids[i];
    }
    return ni;
}

/* not: ...: the opposite of one condition. */
static int32_t compile_not(kb_compiler *c, const dnode *n, const char *file, const char *field,
                           unsigned depth, int32_t text, const dnode *form)
{
    int32_t kid = pr_cond_compile(c, form, file, field, depth + 1);
    if (kid < 0)
        return -1;
    int32_t ni = new_cond(c, n, file);
    if (ni < 0)
        return -1;
    c->kb->conds[ni].type = C_NOT;
    c->kb->conds[ni].text = text;
    c->kb->conds[ni].child = (uint32_t)c->kb->n_cond_children;
    c->kb->conds[ni].n_child = 1;
    uint32_t *slot = KB_PUSH(c, c->kb->cond_children, c->kb->n_cond_children, c->cap_children);
    if (!slot)
        return -1;
    *slot = (uint32_t)kid;
    return ni;
}

/* metric: NAME with comparisons: a field of the run or a model output. */
static int32_t compile_metric(kb_compiler *c, const dnode *n, const char *file, const char *field,
                              unsigned depth, int32_t text, const dnode *form)
{
    const dnode *met = form;
    unsigned comp = COMP_X;
    int mi = met->kind == DN_SCALAR ? pr_kb_metric_lookup(met->str, &comp) : -1;
    if (mi < 0) {
        const char *s = met->kind == DN_SCALAR ? suggest_metric(met->str) : NULL;
        pr_kb_error(c, file, met, field, POSTRUN_ERR_UNKNOWN_ID,
                 "unknown metric '%s'%s%s%s (see docs/metrics.md)",
                 met->kind == DN_SCALAR ? met->str : "?", s ? "; did you mean '" : "",
                 s ? s : "", s ? "'?" : "");
        return -1;
    }
    bool is_bool;
    const char *const *words = metric_words(mi, &is_bool);
    return compile_comparisons(c, n, file, field, C_METRIC, mi, (uint8_t)comp, words,
                               is_bool, text);
}

/* observation: ID with comparisons: a measurement the runner reported. */
static int32_t compile_observation(kb_compiler *c, const dnode *n, const char *file, const char *field,
                                   unsigned depth, int32_t text, const dnode *form)
{
    const dnode *obs = form;
    int oi = vocab_index(c, obs, POSTRUN_KIND_OBSERVATION);
    if (oi < 0) {
        const char *s = obs->kind == DN_SCALAR ? pr_suggest(obs->str, c->kb->observation_ids)
                                               : NULL;
        pr_kb_error(c, file, obs, field, POSTRUN_ERR_UNKNOWN_ID, "no observation has id '%s'%s%s%s",
                 obs->kind == DN_SCALAR ? obs->str : "?", s ? "; did you mean '" : "",
                 s ? s : "", s ? "'?" : "");
        return -1;
    }
    bool is_bool = c->kb->observations[oi].type == OBS_BOOLEAN;
    return compile_comparisons(c, n, file, field, C_OBS, oi, COMP_X, NULL, is_bool, text);
}

/* symptom: ID, with bounds on severity and onset, and where it is felt. */
static int32_t compile_symptom(kb_compiler *c, const dnode *n, const char *file, const char *field,
                               unsigned depth, int32_t text, const dnode *form)
{
    const dnode *sym = form;
    int si = vocab_index(c, sym, POSTRUN_KIND_SYMPTOM);
    if (si < 0) {
        const char *s = sym->kind == DN_SCALAR ? pr_suggest(sym->str, c->kb->symptom_ids) : NULL;
        pr_kb_error(c, file, sym, field, POSTRUN_ERR_UNKNOWN_ID, "no symptom has id '%s'%s%s%s",
                 sym->kind == DN_SCALAR ? sym->str : "?", s ? "; did you mean '" : "", s ? s : "",
                 s ? "'?" : "");
        return -1;
    }
    int32_t ni = new_cond(c, n, file);
    if (ni < 0)
        return -1;
    cond *node = &c->kb->conds[ni];
    node->type = C_SYMPTOM;
    node->ref = si;
    node->text = text;
    static const char *const bounds[] = {"min_severity", "min_onset_h", "max_onset_h"};
    double *dst[] = {&node->min_severity, &node->min_onset_h, &node->max_onset_h};
    for (size_t i = 0; i < 3; i++) {
        const dnode *b = pr_dn_get(n, bounds[i]);
        if (b && pr_dn_number(b, dst[i]) != POSTRUN_OK) {
            pr_kb_error(c, file, b, field, POSTRUN_ERR_TYPE, "'%s' takes a number", bounds[i]);
            return -1;
        }
    }
    const dnode *where = pr_dn_get(n, "where");
    if (where) {
        int ai = vocab_index(c, where, POSTRUN_KIND_BODY_AREA);
        if (ai < 0) {
            pr_kb_error(c, file, where, field, POSTRUN_ERR_UNKNOWN_ID, "no body area has id '%s'",
                     where->kind == DN_SCALAR ? where->str : "?");
            return -1;
        }
        c->kb->conds[ni].where = (uint64_t)1 << ai;
    }
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *k = n->item[i]->str;
        if (pr_word_index(OP_WORDS, k) >= 0 || pr_word_index(OP_SYMBOLS, k) >= 0 ||
            strcmp(k, "known") == 0) {
            pr_kb_error(c, file, n->item[i], field, POSTRUN_ERR_KB,
                     "a symptom condition takes min_severity, min_onset_h, max_onset_h, where");
            return -1;
        }
    }
    return ni;
}

static int32_t cond_compile_node(kb_compiler *c, const dnode *n, const char *file,
                                 const char *field, unsigned depth)
{
    if (depth > COND_MAX_DEPTH) {
        pr_kb_error(c, file, n, field, POSTRUN_ERR_LIMIT, "conditions nested deeper than %d",
                 COND_MAX_DEPTH);
        return -1;
    }
    if (!n || n->kind != DN_MAP) {
        pr_kb_error(c, file, n, field, POSTRUN_ERR_TYPE,
                 "a condition is a mapping: {all: [...]}, {any: [...]}, {not: ...}, "
                 "{metric: ..., lt: ...}, {symptom: ...} or {observation: ...}");
        return -1;
    }
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *k = n->item[i]->str;
        if (pr_word_index(COND_KEYS, k) < 0) {
            const char *s = pr_suggest(k, COND_KEYS);
            pr_kb_error(c, file, n->item[i], field, POSTRUN_ERR_UNKNOWN_KEY,
                     "unknown condition key '%s'%s%s%s", k, s ? "; did you mean '" : "",
                     s ? s : "", s ? "'?" : "");
            return -1;
        }
    }
    int32_t text = -1;
    const dnode *t = pr_dn_get(n, "text");
    if (t) {
        text = pr_template_compile(c, t, file, field);
        if (text < 0)
            return -1;
    }
    const dnode *all = pr_dn_get(n, "all"), *any = pr_dn_get(n, "any"), *not = pr_dn_get(n, "not");
    const dnode *met = pr_dn_get(n, "metric"), *sym = pr_dn_get(n, "symptom"),
                *obs = pr_dn_get(n, "observation");
    int forms = !!all + !!any + !!not + !!met + !!sym + !!obs;
    if (forms != 1) {
        pr_kb_error(c, file, n, field, POSTRUN_ERR_KB,
                 forms ? "a condition has exactly one of all, any, not, metric, symptom, observation"
                       : "a condition needs one of all, any, not, metric, symptom, observation");
        return -1;
    }
    if (all || any)
        return compile_list(c, n, file, field, depth, text, all ? all : any);
    if (not)
        return compile_not(c, n, file, field, depth, text, not);
    if (met)
        return compile_metric(c, n, file, field, depth, text, met);
    if (obs)
        return compile_observation(c, n, file, field, depth, text, obs);
    return compile_symptom(c, n, file, field, depth, text, sym);
}

/* ---- the evaluation program (pr_cond_eval_all() in kb_cond_eval.c runs it) ---- */

static bool is_branch(const cond *n)
{
    return n->type == C_ALL || n->type == C_ANY || n->type == C_NOT;
}

/* The group a leaf is evaluated in: metric comparisons by operator only, whichever end of the
 * metric they read (the leaf's ref then indexes the metric table as doubles). */
static unsigned leaf_group(const cond *n)
{
    if (n->code < CG_METRIC + 18)
        return CG_METRIC + (n->code - CG_METRIC) % 6;
    return n->code;
}

/* A leaf that cannot hold without its observation or symptom (pr_cond_finish() has set codes):
 * every test but `known` is false for NaN. */
static bool is_sub(const cond *n)
{
    return n->code < CG_LEAF_GROUPS && n->code != CG_OTHER &&
           ((n->type == C_OBS && n->op != OP_KNOWN) || n->type == C_SYMPTOM);
}

static unsigned prog_shape(const cond *n)
{
    if (n->code == CG_NOT)
        return CP_NOT;
    if (n->n_child == 2)
        return n->code == CG_ALL ? CP_ALL2 : CP_ANY2;
    return n->code == CG_ALL ? CP_ALL : CP_ANY;
}

/*
 * kb->cond_prog: a node's level is 1 + its deepest branch child's (leaves and CG_OTHER nodes
 * are set before the program runs), so the nodes of one level depend only on earlier levels
 * and are grouped by shape: the program is a few tight loops, with no dispatch per node
 * (61 of the bundled 80 nodes have two children).
 */
static void prog_finish(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    uint32_t *level = pr_calloc(kb->n_conds ? kb->n_conds : 1, sizeof *level);
    if (!level) {
        if (!c->nomem)
            pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        c->nomem = true;
        return;
    }
    uint32_t max_level = 0;
    for (size_t i = 0; i < kb->n_conds; i++) {
        const cond *n = &kb->conds[i];
        if (n->code < CG_ALL)
            continue;
        uint32_t lv = 1;
        for (uint32_t k = 0; k < n->n_child; k++) {
            uint32_t kid = kb->cond_children[n->child + k];
            if (kb->conds[kid].code >= CG_ALL && level[kid] + 1 > lv)
                lv = level[kid] + 1;
        }
        level[i] = lv;
        if (lv > max_level)
            max_level = lv;
    }
    size_t np = 0;
    for (uint32_t lv = 1; lv <= max_level; lv++)
        for (unsigned shape = 0; shape < CP_SHAPES; shape++) {
            size_t head = np, count = 0;
            np += 2;
            for (size_t i = 0; i < kb->n_conds; i++) {
                const cond *n = &kb->conds[i];
                if (n->code < CG_ALL || level[i] != lv || prog_shape(n) != shape)
                    continue;
                count++;
                kb->cond_prog[np++] = (uint32_t)i;
                if (shape >= CP_ALL)
                    kb->cond_prog[np++] = n->n_child;
                for (uint32_t k = 0; k < n->n_child; k++)
                    kb->cond_prog[np++] = kb->cond_children[n->child + k];
            }
            if (count == 0) {
                np = head;
                continue;
            }
            kb->cond_prog[head] = shape;
            kb->cond_prog[head + 1] = (uint32_t)count;
        }
    kb->n_cond_prog = np;
    pr_free(level);
}

void pr_cond_finish(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    size_t n_leaves = 0, n_subs = 0, count[CG_LEAF_GROUPS] = {0};
    kb->n_cond_branches = 0;
    for (size_t i = 0; i < kb->n_conds; i++) {
        cond *n = &kb->conds[i];
        bool simple = n->op >= OP_LT && n->op <= OP_NE;
        if (is_branch(n)) {
            /* Its children are read from the table: a child that is a branch must come
             * before it (leaves are all set before any branch). The compiler adds a node after
             * its children, so CG_OTHER here is only a safety net. */
            bool ordered = n->n_child > 0 && (n->type != C_NOT || n->n_child == 1) &&
                           (size_t)n->child + n->n_child <= kb->n_cond_children;
            for (uint32_t k = 0; ordered && k < n->n_child; k++) {
                uint32_t kid = kb->cond_children[n->child + k];
                if (kid >= kb->n_conds || (kid > i && is_branch(&kb->conds[kid])))
                    ordered = false;
            }
            n->code = !ordered             ? CG_OTHER
                      : n->type == C_ALL ? CG_ALL
                      : n->type == C_ANY ? CG_ANY
                                         : CG_NOT;
        } else if (n->type == C_METRIC && simple && n->comp <= COMP_HI) {
            n->code = (uint8_t)(CG_METRIC + n->comp * 6 + (n->op - OP_LT));
        } else if (n->type == C_OBS && simple) {
            n->code = (uint8_t)(CG_OBS + (n->op - OP_LT));
        } else if (n->type == C_OBS && n->op == OP_NONE) {
            n->code = CG_OBS_GIVEN;
        } else if (n->type == C_SYMPTOM) {
            n->code = CG_SYMPTOM;
        } else if (n->type == C_METRIC || n->type == C_OBS) {
            n->code = CG_LEAF;
        } else {
            n->code = CG_OTHER;
        }
        if (is_sub(n)) {
            n_subs++;
        } else if (n->code < CG_LEAF_GROUPS) {
            count[leaf_group(n)]++;
            n_leaves++;
        } else {
            kb->n_cond_branches++;
            kb->n_cond_prog += 2 + 2 + n->n_child; /* at most: a run of its own */
        }
    }
    kb->cond_leaves = pr_arena_alloc(&kb->arena, (n_leaves ? n_leaves : 1) * sizeof(cond_leaf));
    kb->cond_prog = pr_arena_alloc(&kb->arena, (kb->n_cond_prog ? kb->n_cond_prog : 1) *
                                                sizeof(uint32_t));
    kb->cond_subs = pr_arena_alloc(&kb->arena, (n_subs ? n_subs : 1) * sizeof(cond_leaf));
    kb->obs_subs = pr_arena_alloc(&kb->arena, (kb->n_observations + 1) * sizeof(uint32_t));
    kb->sym_subs = pr_arena_alloc(&kb->arena, (kb->n_symptoms + 1) * sizeof(uint32_t));
    if (!kb->cond_leaves || !kb->cond_prog || !kb->cond_subs || !kb->obs_subs ||
        !kb->sym_subs) {
        if (!c->nomem)
            pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        c->nomem = true;
        return;
    }
    uint32_t at[CG_LEAF_GROUPS];
    kb->cond_group[0] = 0;
    for (int g = 0; g < CG_LEAF_GROUPS; g++) {
        at[g] = kb->cond_group[g];
        kb->cond_group[g + 1] = kb->cond_group[g] + (uint32_t)count[g];
    }
    /* The subs, by observation then symptom (counted, then placed). */
    memset(kb->obs_subs, 0, (kb->n_observations + 1) * sizeof(uint32_t));
    memset(kb->sym_subs, 0, (kb->n_symptoms + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < kb->n_conds; i++) {
        const cond *n = &kb->conds[i];
        if (is_sub(n))
            (n->type == C_OBS ? kb->obs_subs : kb->sym_subs)[n->ref + 1]++;
    }
    for (size_t o = 0; o < kb->n_observations; o++)
        kb->obs_subs[o + 1] += kb->obs_subs[o];
    kb->sym_subs[0] = kb->obs_subs[kb->n_observations];
    for (size_t s = 0; s < kb->n_symptoms; s++)
        kb->sym_subs[s + 1] += kb->sym_subs[s];
    for (size_t i = 0; i < kb->n_conds; i++) {
        const cond *n = &kb->conds[i];
        if (!is_sub(n))
            continue;
        /* Placed at the owner's next free slot: the start, moved on (restored below). */
        uint32_t *first = n->type == C_OBS ? &kb->obs_subs[n->ref] : &kb->sym_subs[n->ref];
        cond_leaf *l = &kb->cond_subs[(*first)++];
        l->node = (uint32_t)i;
        l->ref = n->code;
        l->value = n->code == CG_OBS_GIVEN ? kb->observations[n->ref].type == OBS_BOOLEAN
                                           : n->value;
    }
    for (size_t o = kb->n_observations; o > 0; o--)
        kb->obs_subs[o] = kb->obs_subs[o - 1];
    kb->obs_subs[0] = 0;
    for (size_t s = kb->n_symptoms; s > 0; s--)
        kb->sym_subs[s] = kb->sym_subs[s - 1];
    kb->sym_subs[0] = kb->obs_subs[kb->n_observations];
    for (size_t i = 0; i < kb->n_conds; i++) {
        const cond *n = &kb->conds[i];
        if (n->code >= CG_LEAF_GROUPS || is_sub(n))
            continue;
        cond_leaf *l = &kb->cond_leaves[at[leaf_group(n)]++];
        l->node = (uint32_t)i;
        l->ref = n->ref;
        if (n->type == C_METRIC && n->code < CG_METRIC + 18) /* the double it compares */
            l->ref = n->ref * 3 + (n->comp == COMP_LO   ? (int32_t)(offsetof(tri, lo) / 8)
                                   : n->comp == COMP_HI ? (int32_t)(offsetof(tri, hi) / 8)
                                                        : (int32_t)(offsetof(tri, x) / 8));
        l->value = n->value;
    }
    prog_finish(c);
}
