/*
 * Evaluating what kb_expr.c compiled: dose formulas (a stack program), text templates
 * (segments) and the automatic text of a condition (its constant parts made at compile time,
 * only the value written here). No parsing and no string comparison.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kb.h"

/* round(): halves away from zero, NaN and infinities kept, the sign of a zero result that of
 * x. libm's round() is a call (no SSE4.1 in the baseline ABI) and doses round four times an
 * assessment; here it is a conversion. The integer conversion truncates exactly for
 * |x| < 2^52 (larger doubles are integers already), and x - t is exact. */
static inline double round_half_away(double x)
{
    if (!(fabs(x) < 0x1p52))
        return x;
    double t = (double)(int64_t)x;
    double d = x - t;
    if (d >= 0.5)
        t += 1.0;
    else if (d <= -0.5)
        t -= 1.0;
    return copysign(t, x);
}

double pr_expr_eval(const eval_ctx *c, uint32_t first, uint32_t n)
{
    double st[EXPR_MAX_STACK];
    int sp = 0;
    const expr_op *ops = &c->kb->ops[first];
    if (n == 0)
        return NAN;
    if (n == 1) {
        /* Half the bundled doses are one value (a parameter's end, mostly): no stack, and a
         * branch that predicts well instead of the interpreter's jump table. */
        const expr_op *o = ops;
        double r = NAN;
        if (o->op == X_CONST) {
            r = o->value;
        } else if (o->op == X_PARAM) {
            const kb_param *p = &c->kb->parameters[o->ref];
            r = o->comp == COMP_LO ? p->low : o->comp == COMP_HI ? p->high : p->value;
        } else if (o->op == X_METRIC) {
            r = tri_comp(c->metric[o->ref], o->comp);
        } else if (o->op == X_DOSE) {
            r = c->doses ? c->doses[o->ref] : NAN;
        }
        return isfinite(r) ? r : NAN;
    }
    for (uint32_t i = 0; i < n; i++) {
        const expr_op *o = &ops[i];
        switch (o->op) {
        case X_CONST: st[sp++] = o->value; break;
        case X_METRIC: st[sp++] = tri_comp(c->metric[o->ref], o->comp); break;
        case X_PARAM: {
            const kb_param *p = &c->kb->parameters[o->ref];
            st[sp++] = o->comp == COMP_LO ? p->low : o->comp == COMP_HI ? p->high : p->value;
            break;
        }
        case X_DOSE: st[sp++] = c->doses ? c->doses[o->ref] : NAN; break;
        case X_ADD: sp--; st[sp - 1] += st[sp]; break;
        case X_SUB: sp--; st[sp - 1] -= st[sp]; break;
        case X_MUL: sp--; st[sp - 1] *= st[sp]; break;
        case X_DIV: sp--; st[sp - 1] = st[sp] == 0 ? NAN : st[sp - 1] / st[sp]; break;
        case X_NEG: st[sp - 1] = -st[sp - 1]; break;
        case X_MIN:
        case X_MAX: {
            double r = st[sp - o->argc];
            for (int k = sp - o->argc + 1; k < sp; k++) {
                if (isnan(st[k]) || isnan(r))
                    r = NAN;
                else if (o->op == X_MIN ? st[k] < r : st[k] > r)
                    r = st[k];
            }
            sp -= o->argc;
            st[sp++] = r;
            break;
        }
        case X_ROUND: st[sp - 1] = round_half_away(st[sp - 1]); break;
        case X_ROUND_STEP:
            sp--;
            st[sp - 1] = st[sp] > 0 ? round_half_away(st[sp - 1] / st[sp]) * st[sp] : NAN;
            break;
        case X_CLAMP: {
            sp -= 2;
            double x = st[sp - 1], lo = st[sp], hi = st[sp + 1];
            st[sp - 1] = isnan(x) || isnan(lo) || isnan(hi) ? NAN : x < lo ? lo : x > hi ? hi : x;
            break;
        }
        }
    }
    double r = st[sp - 1];
    return isfinite(r) ? r : NAN;
}

/* A word in a sentence for people: "mild deficit", not the YAML's "mild_deficit". */
static void put_word(pr_buf *b, const char *word)
{
    size_t start = b->len;
    pr_buf_puts(b, word);
    if (b->failed)
        return;
    char *p = b->data + start, *end = b->data + b->len;
    while ((p = memchr(p, '_', (size_t)(end - p))) != NULL)
        *p++ = ' ';
}

static void put_metric_value(const eval_ctx *c, pr_buf *b, int mi, unsigned comp, int decimals)
{
    double v = tri_comp(c->metric[mi], comp);
    const char *const *words = NULL;
    if (mi < RF_COUNT && PR_RUN_FIELDS[mi].type == FT_ENUM)
        words = PR_RUN_FIELDS[mi].words;
    else if (mi >= RF_COUNT && PR_METRICS[mi - RF_COUNT].kind == MK_ENUM)
        words = PR_METRICS[mi - RF_COUNT].words;
    bool is_bool = (mi < RF_COUNT && PR_RUN_FIELDS[mi].type == FT_BOOL) ||
                   (mi >= RF_COUNT && PR_METRICS[mi - RF_COUNT].kind == MK_BOOL);
    if (words && !isnan(v)) {
        put_word(b, words[(int)v]);
        return;
    }
    if (is_bool && !isnan(v)) {
        pr_buf_puts(b, v != 0 ? "yes" : "no");
        return;
    }
    pr_buf_put_number(b, v, decimals);
}

void pr_template_render(const eval_ctx *c, int32_t ti, pr_buf *b)
{
    if (ti < 0)
        return;
    const ttemplate *t = &c->kb->templates[ti];
    for (uint32_t i = 0; i < t->n; i++) {
        const tseg *s = &c->kb->segs[t->first + i];
        switch (s->kind) {
        case SEG_TEXT: pr_buf_put(b, s->text, s->len); break;
        case SEG_METRIC: put_metric_value(c, b, s->ref, s->comp, s->decimals); break;
        case SEG_PARAM:
            pr_buf_put_number(b, c->kb->parameters[s->ref].value, s->decimals);
            break;
        case SEG_DOSE:
            pr_buf_put_number(b, c->doses ? c->doses[s->ref] : NAN, s->decimals);
            break;
        }
    }
}

void pr_cond_auto_text(const eval_ctx *c, uint32_t ci, pr_buf *b)
{
    const cond *n = &c->kb->conds[ci];
    if (n->text >= 0) {
        pr_template_render(c, n->text, b);
        return;
    }
    switch (n->type) {
    case C_METRIC: {
        const postrun_kb *kb = c->kb;
        pr_buf_put(b, kb->cond_pre[ci], kb->cond_pre_len[ci]);
        put_metric_value(c, b, n->ref, n->comp, -1);
        pr_buf_put(b, kb->cond_post[ci], kb->cond_post_len[ci]);
        break;
    }
    case C_OBS: {
        const kb_observation *o = &c->kb->observations[n->ref];
        if (o->type == OBS_BOOLEAN) {
            pr_buf_puts(b, "reported: ");
            pr_buf_puts(b, o->m.name);
        } else {
            pr_buf_puts(b, o->m.name);
            pr_buf_puts(b, ": ");
            pr_buf_put_number(b, c->obs[n->ref], -1);
        }
        break;
    }
    case C_SYMPTOM: {
        pr_buf_puts(b, "reported ");
        pr_buf_puts(b, c->kb->symptoms[n->ref].m.name);
        pr_buf_puts(b, " (severity ");
        pr_buf_put_number(b, c->sym_sev[n->ref], 0);
        pr_buf_puts(b, "/10)");
        break;
    }
    case C_NOT:
        pr_buf_puts(b, "not: ");
        pr_cond_auto_text(c, c->kb->cond_children[n->child], b);
        break;
    default:
        for (uint32_t i = 0; i < n->n_child; i++) {
            if (i)
                pr_buf_puts(b, n->type == C_ALL ? " and " : " or ");
            pr_cond_auto_text(c, c->kb->cond_children[n->child + i], b);
        }
        break;
    }
}
