/*
 * The text report: what a runner reads in a terminal. Red flags first and unmistakable, then
 * the likely causes, what to do, the numbers with units and sensible rounding, and the
 * assumptions. Colour only when the caller asks (the CLI checks the terminal and NO_COLOR).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

typedef struct tw {
    pr_buf b;
    bool color;
    postrun_write_fn write;
    void *ud;
    postrun_status status;
} tw;

#define RED "\033[1;31m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static void on(tw *t, const char *code)
{
    if (t->color)
        pr_buf_puts(&t->b, code);
}

static void flush(tw *t)
{
    if (t->b.failed) {
        t->status = POSTRUN_ERR_NOMEM;
        return;
    }
    if (t->status == POSTRUN_OK && t->b.len && t->write(t->ud, t->b.data, t->b.len) != 0)
        t->status = POSTRUN_ERR_IO;
    t->b.len = 0;
}

static void heading(tw *t, const char *s)
{
    pr_buf_puts(&t->b, "\n");
    on(t, BOLD);
    pr_buf_puts(&t->b, s);
    on(t, RESET);
    pr_buf_puts(&t->b, "\n");
}

/* Writes `s` wrapped at 88 columns, each line starting with `indent`. */
static void wrapped(tw *t, const char *indent, const char *s)
{
    const size_t width = 88;
    size_t col = 0, il = strlen(indent);
    pr_buf_puts(&t->b, indent);
    col = il;
    while (*s) {
        const char *sp = s;
        while (*sp && *sp != ' ')
            sp++;
        size_t wl = (size_t)(sp - s);
        if (col > il && col + 1 + wl > width) {
            /* continuation lines line up under the text, not under a bullet */
            pr_buf_printf(&t->b, "\n%*s", (int)il, "");
            col = il;
        } else if (col > il) {
            pr_buf_puts(&t->b, " ");
            col++;
        }
        pr_buf_put(&t->b, s, wl);
        col += wl;
        s = *sp ? sp + 1 : sp;
    }
    pr_buf_puts(&t->b, "\n");
}

static void num(char *out, size_t size, double v)
{
    pr_format_number(out, size, v, -1);
}

/* "1.6 l (1.3-1.9)" */
static void range_text(tw *t, tri r, const char *unit)
{
    char x[32], lo[32], hi[32];
    num(x, sizeof x, r.x);
    num(lo, sizeof lo, r.lo);
    num(hi, sizeof hi, r.hi);
    pr_buf_printf(&t->b, "%s%s%s", x, unit[0] == '%' ? "" : " ", unit);
    if (strcmp(lo, hi) != 0)
        pr_buf_printf(&t->b, " (%s to %s)", lo, hi);
}

static tri M(const postrun_assessment *a, metric_id m) { return a->metric[RF_COUNT + m]; }

static void numbers(tw *t, const postrun_assessment *a)
{
    heading(t, "Your numbers");
    pr_buf_puts(&t->b, "  (in brackets the 80 % range: the true value lies in it 8 times in 10)\n");
    pr_buf_puts(&t->b, "  Energy spent        ");
    range_text(t, M(a, M_EXPENDITURE_KCAL), "kcal");
    char n[32];
    num(n, sizeof n, M(a, M_INTENSITY_PCT_VO2MAX).x);
    pr_buf_printf(&t->b, ", at about %s %% of VO2max\n", n);

    pr_buf_printf(&t->b, "  Sweat lost          ");
    range_text(t, M(a, M_SWEAT_LOSS_L), "l");
    pr_buf_printf(&t->b, " (%s)\n",
               M(a, M_FLUID_METHOD).x == FLUID_MEASURED ? "measured by weighing"
               : M(a, M_FLUID_METHOD).x == FLUID_PREDICTED_PERSONAL
                   ? "predicted from the weather and your earlier weigh-ins"
                   : "predicted from the weather");
    pr_buf_puts(&t->b, "  Body mass change    ");
    range_text(t, M(a, M_BODY_MASS_CHANGE_PCT), "%");
    if (M(a, M_FLUID_METHOD).x != FLUID_MEASURED)
        pr_buf_puts(&t->b, " (predicted)");
    tri st = M(a, M_FLUID_STATUS);
    if (!isnan(st.x)) {
        pr_buf_puts(&t->b, ": ");
        for (const char *p = PR_FLUID_STATUS_WORDS[(int)st.x]; *p; p++)
            pr_buf_put(&t->b, *p == '_' ? " " : p, 1);
    }
    pr_buf_puts(&t->b, "\n  Sodium lost         ");
    range_text(t, M(a, M_SODIUM_LOSS_MG), "mg");
    pr_buf_puts(&t->b, "\n  Leg glycogen left   ");
    range_text(t, M(a, M_MUSCLE_REMAINING_PCT), "%");
    pr_buf_puts(&t->b, "\n  Liver glycogen left ");
    range_text(t, M(a, M_LIVER_REMAINING_PCT), "%");
    pr_buf_puts(&t->b, "\n  Muscle water lost   ");
    range_text(t, M(a, M_MUSCLE_WATER_LOSS_G), "g");
    pr_buf_puts(&t->b, ": volume ");
    range_text(t, M(a, M_MUSCLE_VOLUME_CHANGE_PCT), "%");
    pr_buf_puts(&t->b, "\n");
    tri acwr = M(a, M_ACWR);
    tri risk = M(a, M_DOMS_RISK);
    pr_buf_puts(&t->b, "  Training load       ");
    if (!isnan(acwr.x)) {
        num(n, sizeof n, acwr.x);
        pr_buf_printf(&t->b, "acute:chronic ratio %s; ", n);
    }
    if (!isnan(risk.x)) {
        char lo[32], hi[32];
        num(lo, sizeof lo, M(a, M_DOMS_PEAK_H_LOW).x);
        num(hi, sizeof hi, M(a, M_DOMS_PEAK_H_HIGH).x);
        pr_buf_printf(&t->b, "soreness risk %s, usually worst %s to %s h after the run",
                   PR_DOMS_RISK_WORDS[(int)risk.x], lo, hi);
    }
    pr_buf_puts(&t->b, "\n");
}

/* Red flags first, then what looks wrong in the data. */
static void text_red_flags(tw *t, postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    static const char *const urg[] = {"EMERGENCY: get medical help now",
                                      "See a doctor soon",
                                      "See a doctor if it persists"};
    if (a->n_flags) {
        pr_buf_puts(&t->b, "\n");
        on(t, RED);
        pr_buf_printf(&t->b, "!! RED FLAGS: %zu sign%s that need%s a professional, not self-care\n",
                   a->n_flags, a->n_flags == 1 ? "" : "s", a->n_flags == 1 ? "s" : "");
        on(t, RESET);
        for (size_t i = 0; i < a->n_flags; i++) {
            const kb_flag *f = &kb->flags[a->flags[i].flag];
            on(t, RED);
            pr_buf_printf(&t->b, "!! [%s] %s\n", urg[a->flags[i].urgency], f->m.name);
            on(t, RESET);
            wrapped(t, "   ", a_text(a, a->t.flag_advice[i]));
            for (uint32_t j = 0; j < a->flags[i].n_because; j++) {
                pr_buf_puts(&t->b, "   because: ");
                pr_buf_puts(&t->b, a_text(a, a->t.because[a->flags[i].because_first + j]));
                pr_buf_puts(&t->b, "\n");
            }
        }
    }
    if (a->n_warnings) {
        heading(t, "Check your data");
        for (size_t i = 0; i < a->n_warnings; i++)
            wrapped(t, "  - ", a_text(a, a->t.warning[i]));
    }
}

/* The causes shown, with their evidence (every term under --explain). */
static void text_causes(tw *t, postrun_assessment *a, bool explain, size_t n_causes)
{
    const postrun_kb *kb = a->kb;
    if (n_causes) {
        heading(t, "Why you feel this way (most likely first)");
        for (size_t i = 0; i < n_causes; i++) {
            const a_cause *ac = &a->causes[i];
            const char *likely = pr_likelihood_word(kb, ac->score);
            char sc[32];
            if (likely)
                snprintf(sc, sizeof sc, "%s", likely);
            else
                snprintf(sc, sizeof sc, "score %.2f", ac->score);
            pr_buf_printf(&t->b, "  %2zu. %s: %s. Explains ", i + 1, kb->causes[ac->cause].m.name,
                       sc);
            for (uint32_t j = 0; j < ac->n_explain; j++)
                pr_buf_printf(&t->b, "%s%s", j ? ", " : "",
                           kb->symptoms[a->explains[ac->explain_first + j]].m.name);
            pr_buf_puts(&t->b, explain ? " (score " : "\n");
            if (explain)
                pr_buf_printf(&t->b, "%.2f)\n", ac->score);
            /* In plain words: the two strongest pieces of evidence, by their own text or the
             * rule's name; every term with its weight and condition under --explain. */
            unsigned shown = 0;
            for (uint32_t j = 0; j < ac->n_contrib; j++) {
                const a_contrib *k = &a->contribs[ac->contrib_first + j];
                if (explain) {
                    char w[32];
                    snprintf(w, sizeof w, "%+.2f", k->weight);
                    on(t, DIM);
                    pr_buf_printf(&t->b, "        %s  ", w);
                    on(t, RESET);
                    pr_buf_puts(&t->b, a_text(a, a->t.contrib[ac->contrib_first + j]));
                    pr_buf_puts(&t->b, "\n");
                    continue;
                }
                if ((k->source != POSTRUN_CONTRIBUTION_METRIC && k->source != POSTRUN_CONTRIBUTION_RULE) ||
                    k->weight <= 0 || shown == 2)
                    continue;
                const kb_rule *r = &kb->rules[k->ref];
                pr_buf_puts(&t->b, "        - ");
                pr_buf_puts(&t->b, r->text >= 0 ? a_text(a, a->t.contrib[ac->contrib_first + j])
                                            : r->m.name);
                pr_buf_puts(&t->b, "\n");
                shown++;
            }
            flush(t);
        }
        if (n_causes < a->n_causes)
            pr_buf_printf(&t->b, "  (%zu less likely cause%s not shown)\n", a->n_causes - n_causes,
                       a->n_causes - n_causes == 1 ? "" : "s");
    } else {
        heading(t, "Why you feel this way");
        pr_buf_puts(&t->b, "  No symptoms were reported.\n");
    }
}

/* The recommendations shown, then what was withdrawn and why. */
static void text_recommendations(tw *t, postrun_assessment *a, size_t n_recs)
{
    const postrun_kb *kb = a->kb;
    static const char *const when[] = {"now", "within 2 h", "today", "next days", "next runs"};
    heading(t, "What to do");
    if (n_recs == 0)
        pr_buf_puts(&t->b, a->n_flags ? "  Follow the red-flag advice above first.\n"
                                  : "  Nothing specific: recover as usual.\n");
    for (size_t i = 0; i < n_recs; i++) {
        const kb_rec *r = &kb->recs[a->recs[i].rec];
        pr_buf_printf(&t->b, "  %2zu. ", i + 1);
        on(t, BOLD);
        pr_buf_printf(&t->b, "%s", r->m.name);
        on(t, RESET);
        pr_buf_printf(&t->b, " (%s)\n", when[r->when]);
        wrapped(t, "      ", a_text(a, a->t.rec[i]));
        flush(t);
    }
    if (n_recs < a->n_recs)
        pr_buf_printf(&t->b, "  (%zu more recommendation%s not shown)\n", a->n_recs - n_recs,
                   a->n_recs - n_recs == 1 ? "" : "s");
    /* Withdrawals, one line per reason: "Not advised because of the red flag ...: A, B." */
    for (size_t i = 0; i < a->n_withdrawn; i++) {
        const char *why = a_text(a, a->t.withdrawn[i]);
        bool done = false;
        for (size_t j = 0; j < i && !done; j++)
            done = strcmp(a_text(a, a->t.withdrawn[j]), why) == 0;
        if (done)
            continue;
        pr_buf line = {0};
        pr_buf_printf(&line, "Not advised now (%s%s): ",
                   a->withdrawn[i].flag != NO_FLAG ? "because of the red flag: " : "", why);
        for (size_t j = i; j < a->n_withdrawn; j++) {
            if (j > i && strcmp(a_text(a, a->t.withdrawn[j]), why) != 0)
                continue;
            pr_buf_puts(&line, j > i ? ", " : "");
            pr_buf_puts(&line, kb->recs[a->withdrawn[j].rec].m.name);
        }
        pr_buf_put(&line, ".", 2);
        wrapped(t, "  ", line.failed ? "" : line.data);
        t->b.failed |= line.failed;
        pr_buf_free(&line);
    }
}

/* What the assessment assumed: defaults on one line, the rest one a line. */
static void text_assumptions(tw *t, postrun_assessment *a)
{
    if (a->run.assumptions.n) {
        /* Defaults on one line ("Not given, so assumed: temperature 18 °C, ..."), the model's
         * other assumptions one a line. */
        static const char sep[] = " not given: assumed ";
        heading(t, "What was assumed");
        pr_buf line = {0};
        for (size_t i = 0; i < a->run.assumptions.n; i++) {
            const char *s = a_text(a, a->t.assumption[i]);
            const char *m = strstr(s, sep);
            if (a->run.assumptions.item[i].code != A_DEFAULT || !m)
                continue;
            pr_buf_puts(&line, line.len ? ", " : "Not given, so assumed: ");
            pr_buf_put(&line, s, (size_t)(m - s));
            pr_buf_puts(&line, " ");
            pr_buf_puts(&line, m + sizeof sep - 1);
        }
        if (line.len) {
            pr_buf_put(&line, "", 1);
            wrapped(t, "  - ", line.failed ? "" : line.data);
        }
        t->b.failed |= line.failed;
        pr_buf_free(&line);
        for (size_t i = 0; i < a->run.assumptions.n; i++) {
            const char *s = a_text(a, a->t.assumption[i]);
            if (a->run.assumptions.item[i].code != A_DEFAULT || !strstr(s, sep))
                wrapped(t, "  - ", s);
        }
    }
}

postrun_status pr_render_text(postrun_assessment *a, unsigned flags, postrun_write_fn write,
                           void *ud)
{
    tw t = {{0}, (flags & POSTRUN_RENDER_COLOR) != 0, write, ud, POSTRUN_OK};

    on(&t, BOLD);
    pr_buf_printf(&t.b, "After your run%s%s\n", a->run.id[0] ? ": " : "", a->run.id);
    on(&t, RESET);

    text_red_flags(&t, a);
    flush(&t);

    const bool explain = (flags & POSTRUN_RENDER_EXPLAIN) != 0;
    const size_t n_causes = a_shown_causes(a), n_recs = a_shown_recs(a);
    text_causes(&t, a, explain, n_causes);

    text_recommendations(&t, a, n_recs);

    numbers(&t, a);
    pr_history_render_text(&t.b, a, t.color);
    flush(&t);

    if (a->n_miscs) {
        heading(&t, "Good to know");
        for (size_t i = 0; i < a->n_miscs; i++)
            wrapped(&t, "  - ", a_text(a, a->t.misc[i]));
    }
    text_assumptions(&t, a);
    if (a->n_notes) {
        pr_buf_puts(&t.b, "\n");
        for (size_t i = 0; i < a->n_notes; i++)
            wrapped(&t, "", a_text(a, a->t.note[i]));
    }
    flush(&t);
    pr_buf_free(&t.b);
    return t.status;
}
