/*
 * Compiling dose formulas and text templates: a small, safe arithmetic (numbers, metrics,
 * parameters, earlier doses, + - * /, min, max, round, clamp) compiled to a stack program when
 * the knowledge base loads, templates with {NAME} placeholders compiled to segments, and the
 * constant text around each condition leaf's value. kb_expr_eval.c evaluates them.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kb_impl.h"

/* ---- formula parser (recursive descent) ---- */

typedef struct xparser {
    kb_compiler *c;
    const char *src, *p;
    const dnode *at;
    const char *file, *field;
    int depth;   /* current stack depth of the program */
    int max_depth;
    int nest;    /* parentheses and unary minus, against stack exhaustion */
    bool failed;
} xparser;

static void xerr(xparser *x, const char *fmt, ...) PR_PRINTF(2, 3);
static void xerr(xparser *x, const char *fmt, ...)
{
    if (x->failed)
        return;
    x->failed = true;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pr_kb_error(x->c, x->file, x->at, x->field, POSTRUN_ERR_KB, "in formula \"%.80s\" at character %d: %s",
             x->src, (int)(x->p - x->src) + 1, msg);
}

static void emit(xparser *x, uint8_t op, int32_t ref, uint8_t comp, double value, uint16_t argc,
                 int stack_delta)
{
    if (x->failed)
        return;
    expr_op *o = KB_PUSH(x->c, x->c->kb->ops, x->c->kb->n_ops, x->c->cap_ops);
    if (!o) {
        x->failed = true;
        return;
    }
    o->op = op;
    o->ref = ref;
    o->comp = comp;
    o->value = value;
    o->argc = argc;
    x->depth += stack_delta;
    if (x->depth > x->max_depth)
        x->max_depth = x->depth;
}

static void skip_ws(xparser *x)
{
    while (*x->p == ' ' || *x->p == '\t' || *x->p == '\n')
        x->p++;
}

static void parse_sum(xparser *x);

static bool is_name_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '.';
}

static void parse_name(xparser *x)
{
    char name[128];
    size_t n = 0;
    while (is_name_char(*x->p) && n < sizeof name - 1)
        name[n++] = *x->p++;
    name[n] = '\0';
    skip_ws(x);
    if (*x->p == '(') { /* function */
        static const char *const fns[] = {"min", "max", "round", "clamp", NULL};
        int f = pr_word_index(fns, name);
        if (f < 0) {
            const char *s = pr_suggest(name, fns);
            (void)s;
            xerr(x, "unknown function '%s' (min, max, round, clamp)", name);
            return;
        }
        x->p++;
        int argc = 0;
        skip_ws(x);
        if (*x->p != ')') {
            for (;;) {
                parse_sum(x);
                argc++;
                skip_ws(x);
                if (*x->p == ',') {
                    x->p++;
                    continue;
                }
                break;
            }
        }
        if (*x->p != ')') {
            xerr(x, "expected ')' after the arguments of %s", name);
            return;
        }
        x->p++;
        switch (f) {
        case 0:
        case 1:
            if (argc < 1)
                xerr(x, "%s needs at least one argument", name);
            emit(x, f == 0 ? X_MIN : X_MAX, 0, 0, 0, (uint16_t)argc, 1 - argc);
            break;
        case 2:
            if (argc == 1)
                emit(x, X_ROUND, 0, 0, 0, 1, 0);
            else if (argc == 2)
                emit(x, X_ROUND_STEP, 0, 0, 0, 2, -1);
            else
                xerr(x, "%s takes round(x) or round(x, step)", name);
            break;
        case 3:
            if (argc != 3)
                xerr(x, "%s takes clamp(x, low, high)", name);
            emit(x, X_CLAMP, 0, 0, 0, 3, -2);
            break;
        }
        return;
    }
    if (strncmp(name, "param.", 6) == 0) {
        char pid[128];
        pr_strlcpy(pid, name + 6, sizeof pid);
        uint8_t comp = COMP_X;
        size_t l = strlen(pid);
        if (l > 4 && strcmp(pid + l - 4, ".low") == 0) {
            comp = COMP_LO;
            pid[l - 4] = '\0';
        } else if (l > 5 && strcmp(pid + l - 5, ".high") == 0) {
            comp = COMP_HI;
            pid[l - 5] = '\0';
        }
        int32_t pi = pr_kb_param_lookup(x->c, pid);
        if (pi < 0 || x->c->kb->parameters[pi].n_points) {
            xerr(x, pi < 0 ? "no parameter has id '%s'" : "'%s' is a curve, not a value", pid);
            return;
        }
        emit(x, X_PARAM, pi, comp, 0, 0, 1);
        return;
    }
    for (size_t i = 0; i < x->c->n_dose_names; i++) {
        if (strcmp(x->c->dose_names[i], name) == 0) {
            emit(x, X_DOSE, (int32_t)i, 0, 0, 0, 1);
            return;
        }
    }
    unsigned comp;
    int mi = pr_kb_metric_lookup(name, &comp);
    if (mi < 0) {
        xerr(x, "'%s' is not a metric, a parameter (param.ID) or an earlier dose", name);
        return;
    }
    emit(x, X_METRIC, mi, (uint8_t)comp, 0, 0, 1);
}

static void parse_atom(xparser *x)
{
    skip_ws(x);
    if (x->failed)
        return;
    if (x->nest > 64) {
        xerr(x, "formula nested too deeply%s", "");
        return;
    }
    char ch = *x->p;
    if (ch == '(') {
        x->p++;
        parse_sum(x);
        skip_ws(x);
        if (*x->p != ')') {
            xerr(x, "expected ')'%s", "");
            return;
        }
        x->p++;
    } else if (ch == '-') {
        x->p++;
        x->nest++;
        parse_atom(x);
        x->nest--;
        emit(x, X_NEG, 0, 0, 0, 1, 0);
    } else if (isdigit((unsigned char)ch) || ch == '.') {
        char *end;
        double v = strtod(x->p, &end);
        if (end == x->p || !isfinite(v)) {
            xerr(x, "bad number%s", "");
            return;
        }
        x->p = end;
        emit(x, X_CONST, 0, 0, v, 0, 1);
    } else if (isalpha((unsigned char)ch)) {
        parse_name(x);
    } else if (ch == '\0') {
        xerr(x, "the formula ends too early%s", "");
    } else {
        char s[2] = {ch, 0};
        xerr(x, "unexpected '%s'", s);
    }
}

static void parse_product(xparser *x)
{
    parse_atom(x);
    for (;;) {
        skip_ws(x);
        char ch = *x->p;
        if (ch != '*' && ch != '/')
            return;
        x->p++;
        parse_atom(x);
        emit(x, ch == '*' ? X_MUL : X_DIV, 0, 0, 0, 2, -1);
    }
}

static void parse_sum(xparser *x)
{
    if (x->failed)
        return;
    if (++x->nest > 64) {
        x->nest--;
        xerr(x, "formula nested too deeply%s", "");
        return;
    }
    parse_product(x);
    for (;;) {
        skip_ws(x);
        char ch = *x->p;
        if (ch != '+' && ch != '-')
            break;
        x->p++;
        parse_product(x);
        emit(x, ch == '+' ? X_ADD : X_SUB, 0, 0, 0, 2, -1);
    }
    x->nest--;
}

bool pr_expr_compile(kb_compiler *c, const dnode *at, const char *file, const char *field,
                  uint32_t *first, uint32_t *n)
{
    char buf[64];
    const char *src;
    double v;
    if (at->kind == DN_SCALAR && pr_dn_number(at, &v) == POSTRUN_OK) {
        snprintf(buf, sizeof buf, "%.17g", v);
        src = buf;
    } else if (at->kind == DN_SCALAR && at->len) {
        src = at->str;
    } else {
        pr_kb_error(c, file, at, field, POSTRUN_ERR_TYPE, "a dose is a formula (text) or a number");
        return false;
    }
    xparser x = {c, src, src, at, file, field, 0, 0, 0, false};
    size_t start = c->kb->n_ops;
    parse_sum(&x);
    skip_ws(&x);
    if (!x.failed && *x.p)
        xerr(&x, "unexpected text after the formula: '%.20s'", x.p);
    if (!x.failed && x.max_depth > EXPR_MAX_STACK)
        xerr(&x, "formula too complex%s", "");
    if (x.failed) {
        c->kb->n_ops = start;
        return false;
    }
    *first = (uint32_t)start;
    *n = (uint32_t)(c->kb->n_ops - start);
    return true;
}

/* ---- templates ---- */

static tseg *push_seg(kb_compiler *c)
{
    return KB_PUSH(c, c->kb->segs, c->kb->n_segs, c->cap_segs);
}

int32_t pr_template_compile(kb_compiler *c, const dnode *at, const char *file, const char *field)
{
    if (!at || at->kind != DN_SCALAR || pr_dn_is_null(at)) {
        pr_kb_error(c, file, at, field, POSTRUN_ERR_TYPE, "expected a text");
        return -1;
    }
    const char *s = at->str;
    uint32_t first = (uint32_t)c->kb->n_segs;
    pr_arena *ar = &c->kb->arena;
    char lit[4096];
    size_t nl = 0;
#define FLUSH()                                                                                \
    do {                                                                                       \
        if (nl) {                                                                              \
            tseg *sg = push_seg(c);                                                            \
            if (!sg)                                                                           \
                return -1;                                                                     \
            sg->kind = SEG_TEXT;                                                               \
            sg->text = pr_arena_strndup(ar, lit, nl);                                             \
            sg->len = (uint32_t)nl;                                                            \
            if (!sg->text) {                                                                   \
                if (!c->nomem) /* the caller returns NOMEM: the record must say it */          \
                    pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");              \
                c->nomem = true;                                                               \
                return -1;                                                                     \
            }                                                                                  \
            nl = 0;                                                                            \
        }                                                                                      \
    } while (0)
    for (const char *p = s; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            if (nl >= sizeof lit - 1)
                FLUSH();
            lit[nl++] = p[0];
            p += 2;
            continue;
        }
        if (*p == '}') {
            pr_kb_error(c, file, at, field, POSTRUN_ERR_KB, "a lone '}' in a text (write '}}')");
            return -1;
        }
        if (*p != '{') {
            if (nl >= sizeof lit - 1)
                FLUSH();
            lit[nl++] = *p++;
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end || end - p > 120) {
            pr_kb_error(c, file, at, field, POSTRUN_ERR_KB, "an unclosed '{' in a text");
            return -1;
        }
        char name[128];
        size_t len = (size_t)(end - p - 1);
        memcpy(name, p + 1, len);
        name[len] = '\0';
        p = end + 1;
        int decimals = -1;
        char *colon = strchr(name, ':');
        if (colon) {
            *colon = '\0';
            if (!isdigit((unsigned char)colon[1]) || colon[2]) {
                pr_kb_error(c, file, at, field, POSTRUN_ERR_KB,
                         "'{%s:...}' takes one digit: the number of decimals", name);
                return -1;
            }
            decimals = colon[1] - '0';
        }
        FLUSH();
        tseg *sg = push_seg(c);
        if (!sg)
            return -1;
        sg->decimals = (int8_t)decimals;
        bool found = false;
        for (size_t i = 0; i < c->n_dose_names; i++)
            if (strcmp(c->dose_names[i], name) == 0) {
                sg->kind = SEG_DOSE;
                sg->ref = (int32_t)i;
                found = true;
            }
        if (!found && strncmp(name, "param.", 6) == 0) {
            int32_t pi = pr_kb_param_lookup(c, name + 6);
            if (pi >= 0 && !c->kb->parameters[pi].n_points) {
                sg->kind = SEG_PARAM;
                sg->ref = pi;
                found = true;
            }
        }
        if (!found) {
            unsigned comp;
            int mi = pr_kb_metric_lookup(name, &comp);
            if (mi >= 0) {
                sg->kind = SEG_METRIC;
                sg->ref = mi;
                sg->comp = (uint8_t)comp;
                found = true;
            }
        }
        if (!found) {
            pr_kb_error(c, file, at, field, POSTRUN_ERR_UNKNOWN_ID,
                     "'{%s}' is not a dose of this entry, a metric or param.ID", name);
            return -1;
        }
    }
    FLUSH();
#undef FLUSH
    ttemplate *t = KB_PUSH(c, c->kb->templates, c->kb->n_templates, c->cap_templates);
    if (!t)
        return -1;
    t->first = first;
    t->n = (uint32_t)(c->kb->n_segs - first);
    return (int32_t)(c->kb->n_templates - 1);
}

static const char *const OP_TEXT[] = {"", "below", "at most", "above", "at least", "equal to",
                                      "not", "one of", ""};

/* The text of a metric leaf (without a template of its own) before and after its value:
 * "<name>[ (low end)] is " and "[ <unit>][ (<op> <threshold>)]". Made once per knowledge
 * base: only the value changes from run to run. */
static void metric_leaf_text(const cond *n, pr_buf *pre, pr_buf *post)
{
    const char *name = n->ref < RF_COUNT ? PR_RUN_FIELDS[n->ref].path
                                          : PR_METRICS[n->ref - RF_COUNT].name;
    const char *unit = n->ref < RF_COUNT ? "" : PR_METRICS[n->ref - RF_COUNT].unit;
    pr_buf_puts(pre, name);
    if (n->comp == COMP_LO)
        pr_buf_puts(pre, " (low end)");
    else if (n->comp == COMP_HI)
        pr_buf_puts(pre, " (high end)");
    pr_buf_puts(pre, " is ");
    if (unit[0] && unit[0] != '%')
        pr_buf_puts(post, " ");
    pr_buf_puts(post, unit);
    if (n->op >= OP_LT && n->op <= OP_NE) {
        pr_buf_puts(post, " (");
        pr_buf_puts(post, OP_TEXT[n->op]);
        pr_buf_puts(post, " ");
        const char *const *words = NULL;
        if (n->ref < RF_COUNT && PR_RUN_FIELDS[n->ref].type == FT_ENUM)
            words = PR_RUN_FIELDS[n->ref].words;
        else if (n->ref >= RF_COUNT && PR_METRICS[n->ref - RF_COUNT].kind == MK_ENUM)
            words = PR_METRICS[n->ref - RF_COUNT].words;
        if (words)
            pr_buf_puts(post, words[(int)n->value]);
        else
            pr_buf_put_number(post, n->value, -1);
        pr_buf_puts(post, ")");
    }
}

bool pr_cond_texts_finish(kb_compiler *c)
{
    postrun_kb *kb = c->kb;
    size_t n = kb->n_conds ? kb->n_conds : 1;
    kb->cond_pre = pr_arena_alloc(&kb->arena, n * sizeof *kb->cond_pre);
    kb->cond_post = pr_arena_alloc(&kb->arena, n * sizeof *kb->cond_post);
    kb->cond_pre_len = pr_arena_alloc(&kb->arena, n * sizeof *kb->cond_pre_len);
    kb->cond_post_len = pr_arena_alloc(&kb->arena, n * sizeof *kb->cond_post_len);
    bool ok = kb->cond_pre && kb->cond_post && kb->cond_pre_len && kb->cond_post_len;
    pr_buf pre = {0}, post = {0};
    for (size_t i = 0; ok && i < kb->n_conds; i++) {
        const cond *cn = &kb->conds[i];
        kb->cond_pre[i] = kb->cond_post[i] = NULL;
        kb->cond_pre_len[i] = kb->cond_post_len[i] = 0;
        if (cn->type != C_METRIC || cn->text >= 0)
            continue;
        pre.len = post.len = 0;
        pr_buf_put(&pre, "", 0);
        pr_buf_put(&post, "", 0);
        metric_leaf_text(cn, &pre, &post);
        if (pre.failed || post.failed)
            break;
        char *p = pr_arena_alloc(&kb->arena, pre.len + 1), *q = pr_arena_alloc(&kb->arena, post.len + 1);
        ok = p && q;
        if (ok) {
            memcpy(p, pre.data, pre.len + 1);
            memcpy(q, post.data, post.len + 1);
            kb->cond_pre[i] = p;
            kb->cond_post[i] = q;
            kb->cond_pre_len[i] = (uint32_t)pre.len;
            kb->cond_post_len[i] = (uint32_t)post.len;
        }
    }
    ok = ok && !pre.failed && !post.failed;
    pr_buf_free(&pre);
    pr_buf_free(&post);
    if (!ok && !c->nomem) {
        pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        c->nomem = true;
    }
    return ok;
}
