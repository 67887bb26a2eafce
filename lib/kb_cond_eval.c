/*
 * Evaluating conditions: one at a time (pr_cond_eval, for a caller without the table), every one
 * of the knowledge base at once from the program pr_cond_finish() built (pr_cond_eval_all, once
 * per assessment), and the leaves that made one hold (pr_cond_explain).
 */
#include <math.h>
#include <string.h>

#include "kb.h"

static inline bool value_true(const eval_ctx *c, const cond *n, double v)
{
    switch (n->op) {
    case OP_KNOWN: return (!isnan(v)) == (n->known != 0);
    case OP_LT: return v < n->value; /* false for NaN, like the comparisons below */
    case OP_LE: return v <= n->value;
    case OP_GT: return v > n->value;
    case OP_GE: return v >= n->value;
    case OP_EQ: return v == n->value;
    case OP_NE: return !isnan(v) && v != n->value;
    case OP_IN: {
        if (isnan(v))
            return false;
        const double *set = &c->kb->cond_set[(size_t)n->value];
        for (uint32_t i = 0; i < n->n_set; i++)
            if (set[i] == v)
                return true;
        return false;
    }
    default: return false;
    }
}

/* A leaf (or C_TRUE); false for anything else. */
static inline bool leaf_true(const eval_ctx *c, const cond *n)
{
    switch (n->type) {
    case C_TRUE:
        return true;
    case C_METRIC:
        return value_true(c, n, tri_comp(c->metric[n->ref], n->comp));
    case C_OBS: {
        double v = c->obs[n->ref];
        if (n->op == OP_NONE)
            return !isnan(v) && (c->kb->observations[n->ref].type != OBS_BOOLEAN || v != 0);
        return value_true(c, n, v);
    }
    case C_SYMPTOM: {
        double sev = c->sym_sev[n->ref];
        if (isnan(sev))
            return false;
        if (!isnan(n->min_severity) && !(sev >= n->min_severity))
            return false;
        double onset = c->sym_onset[n->ref];
        if (!isnan(n->min_onset_h) && !(onset >= n->min_onset_h))
            return false;
        if (!isnan(n->max_onset_h) && !(onset <= n->max_onset_h))
            return false;
        if (n->where && !(c->sym_where[n->ref] & n->where))
            return false;
        return true;
    }
    default:
        return false;
    }
}

static bool node_true(const eval_ctx *c, uint32_t ci)
{
    const cond *n = &c->kb->conds[ci];
    const uint32_t *kids = &c->kb->cond_children[n->child];
    switch (n->type) {
    case C_ALL:
        for (uint32_t i = 0; i < n->n_child; i++)
            if (!node_true(c, kids[i]))
                return false;
        return true;
    case C_ANY:
        for (uint32_t i = 0; i < n->n_child; i++)
            if (node_true(c, kids[i]))
                return true;
        return false;
    case C_NOT:
        return !node_true(c, kids[0]);
    default:
        return leaf_true(c, n);
    }
}

bool pr_cond_eval(const eval_ctx *c, uint32_t ci)
{
    return c->truth ? c->truth[ci] != 0 : node_true(c, ci);
}

/* The comparisons of value_true(), one loop per group (false for NaN: only != tests). */
#define GROUP(g, v, test)                                                                      \
    for (const cond_leaf *l = &leaves[group[g]], *e = &leaves[group[(g) + 1]]; l < e; l++) {  \
        double x = (v);                                                                        \
        (void)x;                                                                               \
        truth[l->node] = (test);                                                               \
    }
#define CMP_GROUPS(base, v)                                                                    \
    GROUP((base) + 0, v, x < l->value)                                                         \
    GROUP((base) + 1, v, x <= l->value)                                                        \
    GROUP((base) + 2, v, x > l->value)                                                         \
    GROUP((base) + 3, v, x >= l->value)                                                        \
    GROUP((base) + 4, v, x == l->value)                                                        \
    GROUP((base) + 5, v, !isnan(x) && x != l->value)

/* The leaves of observation o (reported, value x) and of symptom s (reported). */
static inline void obs_leaves(const eval_ctx *c, uint8_t *truth, size_t o, double x)
{
    const postrun_kb *kb = c->kb;
    const cond_leaf *subs = kb->cond_subs;
    for (const cond_leaf *l = &subs[kb->obs_subs[o]], *e = &subs[kb->obs_subs[o + 1]]; l < e;
         l++) {
        bool t;
        switch (l->ref) {
        case CG_OBS + 0: t = x < l->value; break;
        case CG_OBS + 1: t = x <= l->value; break;
        case CG_OBS + 2: t = x > l->value; break;
        case CG_OBS + 3: t = x >= l->value; break;
        case CG_OBS + 4: t = x == l->value; break;
        case CG_OBS + 5: t = x != l->value; break;
        case CG_OBS_GIVEN: t = l->value == 0 || x != 0; break;
        default: t = leaf_true(c, &kb->conds[l->node]); break;
        }
        truth[l->node] = t;
    }
}

static inline void sym_leaves(const eval_ctx *c, uint8_t *truth, size_t s)
{
    const postrun_kb *kb = c->kb;
    const cond_leaf *subs = kb->cond_subs;
    for (const cond_leaf *l = &subs[kb->sym_subs[s]], *e = &subs[kb->sym_subs[s + 1]]; l < e;
         l++)
        truth[l->node] = leaf_true(c, &kb->conds[l->node]);
}

/* Metric leaves, other leaves, the reported observations' and symptoms' leaves, then the
 * all/any/not program. */
void pr_cond_eval_all(const eval_ctx *c, uint8_t *truth, const uint16_t *obs_given, size_t n_obs,
                   const uint16_t *sym_given, size_t n_sym)
{
    const postrun_kb *kb = c->kb;
    const cond_leaf *leaves = kb->cond_leaves;
    memset(truth, 0, kb->n_conds);
    /* A copy: the stores into truth could alias the kb as far as the compiler knows. */
    uint32_t group[CG_LEAF_GROUPS + 1];
    memcpy(group, kb->cond_group, sizeof group);
    const tri *m = c->metric;
    const double *obs = c->obs;
    const cond *conds = kb->conds;
    _Static_assert(sizeof(tri) == 3 * sizeof(double), "a tri is three doubles");
    const double *md = (const double *)m;
    CMP_GROUPS(CG_METRIC, md[l->ref])
    GROUP(CG_LEAF, 0, leaf_true(c, &conds[l->node]))
    GROUP(CG_OTHER, 0, node_true(c, l->node))
    /* The subs of what was reported (the others stay false). */
    for (size_t i = 0; i < n_obs; i++)
        if (!isnan(obs[obs_given[i]]))
            obs_leaves(c, truth, obs_given[i], obs[obs_given[i]]);
    for (size_t i = 0; i < n_sym; i++)
        sym_leaves(c, truth, sym_given[i]);
    const uint32_t *p = kb->cond_prog, *end = p + kb->n_cond_prog;
    while (p < end) {
        const uint32_t shape = p[0], count = p[1];
        p += 2;
        switch (shape) {
        case CP_NOT:
            for (uint32_t i = 0; i < count; i++, p += 2)
                truth[p[0]] = !truth[p[1]];
            break;
        case CP_ALL2:
            for (uint32_t i = 0; i < count; i++, p += 3)
                truth[p[0]] = truth[p[1]] & truth[p[2]];
            break;
        case CP_ANY2:
            for (uint32_t i = 0; i < count; i++, p += 3)
                truth[p[0]] = truth[p[1]] | truth[p[2]];
            break;
        case CP_ALL:
            for (uint32_t i = 0; i < count; i++) {
                const uint32_t n = p[1];
                uint8_t t = truth[p[2]];
                for (uint32_t k = 1; k < n; k++)
                    t &= truth[p[2 + k]];
                truth[p[0]] = t;
                p += 2 + n;
            }
            break;
        default: /* CP_ANY */
            for (uint32_t i = 0; i < count; i++) {
                const uint32_t n = p[1];
                uint8_t t = truth[p[2]];
                for (uint32_t k = 1; k < n; k++)
                    t |= truth[p[2 + k]];
                truth[p[0]] = t;
                p += 2 + n;
            }
            break;
        }
    }
}

#undef CMP_GROUPS
#undef GROUP

void pr_cond_explain(const eval_ctx *c, uint32_t ci, void (*held)(void *ud, uint32_t ci), void *ud)
{
    const cond *n = &c->kb->conds[ci];
    if (n->text >= 0 || n->type == C_METRIC || n->type == C_OBS || n->type == C_SYMPTOM ||
        n->type == C_NOT) {
        held(ud, ci);
        return;
    }
    for (uint32_t i = 0; i < n->n_child; i++) {
        uint32_t k = c->kb->cond_children[n->child + i];
        if (pr_cond_eval(c, k))
            pr_cond_explain(c, k, held, ud);
    }
}
