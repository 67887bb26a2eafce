/*
 * The assessment object: every result of one run, in arrays sized once for the knowledge base
 * so that assessing again allocates nothing. Private to assess.c, infer.c and render_*.c.
 */
#ifndef POSTRUN_ASSESS_IMPL_H
#define POSTRUN_ASSESS_IMPL_H

#include "kb.h"
#include "model.h"
#include "run.h"
#include "history.h"

typedef struct a_flag {
    uint32_t flag;          /* kb flag index */
    uint8_t urgency;        /* postrun_urgency, after escalation */
    int32_t advice;         /* template of the advice, after escalation */
    uint32_t because_first; /* held conditions in a->because */
    uint32_t n_because;
} a_flag;

typedef struct a_contrib {
    uint8_t source;  /* postrun_contribution_kind */
    int32_t ref;     /* symptom index, metric index, rule index */
    double value;    /* NaN when none */
    double weight;
} a_contrib;

typedef struct a_cause {
    uint16_t cause;
    double score;
    uint32_t contrib_first, n_contrib;
    uint32_t explain_first, n_explain; /* symptom indexes in a->explains */
} a_cause;

typedef struct a_rec {
    uint16_t rec;
    double best_score;  /* of the causes it addresses */
    uint32_t dose_first;
} a_rec;

/* A recommendation a red flag withdrew (flag), or one of its own contraindications (contra,
 * with flag = NO_FLAG). */
#define NO_FLAG UINT16_MAX
/* contra of a recommendation withdrawn because its fluid dose would exceed the safe rate. */
#define DOSE_LIMIT UINT32_MAX
typedef struct a_withdrawn {
    uint16_t rec, flag;
    uint32_t contra;
} a_withdrawn;

#define SCORE_LATER (-1.0) /* never a score: scores are in [0, 1] or NaN */

_Static_assert(PR_MAX_SYMPTOMS <= 16, "a cause's linked symptoms fit in a uint16_t");

/* Text offsets into a->text, filled by pr_ensure_texts(). */
typedef struct a_texts {
    uint32_t *flag_advice;   /* per raised flag */
    uint32_t *because;       /* per entry of a->because */
    uint32_t *contrib;       /* per contribution */
    uint32_t *rec;           /* per recommendation */
    uint32_t *withdrawn;     /* per withdrawn recommendation: why */
    uint32_t *misc;          /* per misconception */
    uint32_t *note;          /* per note */
    uint32_t *warning;       /* per warning */
    uint32_t *assumption;    /* per assumption */
} a_texts;

struct postrun_assessment {
    const postrun_kb *kb;
    run_field_facts rf;   /* for pr_run_resolve_with() */
    bool valid;
    bool intervals_ready; /* pr_model_complete_intervals() has run for this result */
    resolved_run run;
    char id[128];  /* the run's id, copied: the assessment outlives the run */
    tri metric[MI_COUNT];

    double *obs;          /* per kb observation */
    double *sym_sev;      /* per kb symptom */
    double *sym_onset;
    uint64_t *sym_where;
    uint8_t *truth;       /* per kb condition: holds for this run (pr_infer_conditions) */

    a_flag *flags;            size_t n_flags;
    uint32_t *because;        size_t n_because;    /* condition indexes */
    /* Every cause is scored, listed or not (a recommendation may follow a cause no reported
     * symptom links to), but the score's exp() is needed only for the listed causes and for
     * those a recommendation could follow: the others are only compared with the minimum
     * score, which their logit answers (infer.c, cause_score()). */
    double *logit;            /* per kb cause: the sum of its prior and its evidence */
    double *score;            /* per kb cause: 1 / (1 + exp(-logit)), SCORE_LATER until needed */
    uint16_t *linked;         /* per kb cause: bit i set when run.symptom[i] links to it */
    double *link_w;           /* [i * n_causes + cause]: that link's weight, where linked */
    double *offer;            /* per kb cause: its score if it reaches the minimum, else -1 */
    double *rec_best;         /* per kb recommendation: the best offer of its causes */
    uint8_t *superseded;      /* per kb recommendation: superseded by one given (infer.c) */
    double min_logit;         /* a logit below this scores under recommendation_min_score */
    a_cause *causes;          size_t n_causes;
    a_contrib *contribs;      size_t n_contribs;
    uint16_t *explains;       size_t n_explains;
    a_rec *recs;              size_t n_recs;
    double *doses;            size_t n_doses;
    a_withdrawn *withdrawn;   size_t n_withdrawn;
    uint16_t *miscs;          size_t n_miscs;
    uint16_t *notes;          size_t n_notes;
    uint16_t *warnings;       size_t n_warnings; /* notes marked `warning` that hold */
    /* How many causes and recommendations are shown (postrun_assessment_set_limit); 0 = all. */
    size_t limit;

    hist_result hist;     /* what the runs before told (postrun_assess_with_history) */
    bool hist_metrics;    /* the history.* metrics may hold values: clear before a run
                           * assessed without a history */

    bool contribs_ready;  /* a->contribs written (pr_ensure_contribs) */
    bool texts_ready;
    pr_buf text;
    a_texts t;
};

/* The causes and recommendations shown: the first `limit` of each (all with limit 0). */
static inline size_t a_shown_causes(const postrun_assessment *a)
{
    return a->limit && a->limit < a->n_causes ? a->limit : a->n_causes;
}
static inline size_t a_shown_recs(const postrun_assessment *a)
{
    return a->limit && a->limit < a->n_recs ? a->limit : a->n_recs;
}

/* The word for a cause's score ("very likely" ... "less likely") from the knowledge base's
 * likelihood_* thresholds; NULL when it defines none. */
const char *pr_likelihood_word(const postrun_kb *kb, double score);

/* Writes a run field's name in plain words into b, and points unit at its unit ("" if none). */
void pr_field_words(const char *path, pr_buf *b, const char **unit);

/* Builds an evaluation context over the assessment's tables. */
void pr_assess_ctx(const postrun_assessment *a, eval_ctx *c, const double *doses);

/* Writes the listed causes' contributions, sorted, where pr_infer_causes() placed them: they are
 * built when something first reads them (an explanation is not needed for the numbers). */
void pr_ensure_contribs(postrun_assessment *a);

/* Renders every text once (templates, because lists, assumptions); POSTRUN_ERR_NOMEM when the
 * text buffer cannot grow. */
postrun_status pr_ensure_texts(postrun_assessment *a);
/* Completes the metric table's intervals (pr_model_complete_intervals()) once per result; every
 * reader of lo/hi outside the conditions and formulas goes through it or pr_ensure_texts(). */
void pr_assess_intervals(postrun_assessment *a);
static inline const char *a_text(const postrun_assessment *a, uint32_t off)
{
    return a->text.data + off;
}

/* Inference steps (infer.c), run in this order by postrun_assess(). */
void pr_infer_conditions(postrun_assessment *a);
void pr_infer_red_flags(postrun_assessment *a);
void pr_infer_causes(postrun_assessment *a);
void pr_infer_recommendations(postrun_assessment *a);
void pr_infer_misconceptions(postrun_assessment *a);

#endif
