/*
 * The compiled knowledge base: flat arrays with ids interned and every reference resolved to
 * an index, conditions and dose formulas compiled to small programs over the metric table.
 * Built once by kb_load.c/kb_compile.c, then read-only (shared by threads).
 */
#ifndef POSTRUN_KB_H
#define POSTRUN_KB_H

#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "internal.h"
#include "params.h"
#include "tri.h"
#include "vocab.h"

#define KIND_COUNT 11

/* Metric index space: run fields first, then model metrics. */
#define MI_COUNT (RF_COUNT + M_COUNT)
#define MI_OF_METRIC(m) (RF_COUNT + (m))

/* Which end of a metric or parameter a reference reads. */
enum { COMP_X = 0, COMP_LO = 1, COMP_HI = 2 };

static inline double tri_comp(tri t, unsigned comp)
{
    return comp == COMP_LO ? t.lo : comp == COMP_HI ? t.hi : t.x;
}

/* ---- conditions ---- */
typedef enum cond_type { C_TRUE, C_ALL, C_ANY, C_NOT, C_METRIC, C_SYMPTOM, C_OBS } cond_type;
typedef enum cond_op { OP_NONE, OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_IN, OP_KNOWN } cond_op;

/*
 * How pr_cond_eval_all() evaluates a node (pr_cond_finish() sets it): leaves are grouped by kind of
 * test so that each group is one tight loop; all/any/not nodes come after, in index order.
 */
enum {
    CG_METRIC = 0,            /* + comp * 6 + (op - OP_LT), for op LT..NE: 18 codes, evaluated
                                 in the 6 groups of the operator (kb_cond.c, leaf_group()) */
    CG_OBS = CG_METRIC + 18,  /* + (op - OP_LT) */
    CG_OBS_GIVEN = CG_OBS + 6, /* {observation: ID} alone; the leaf's value: 1 = boolean */
    CG_SYMPTOM,
    CG_LEAF,                  /* any other leaf (in, known): leaf_true() */
    CG_OTHER,                 /* the general (recursive) evaluation */
    CG_LEAF_GROUPS,
    CG_ALL = CG_LEAF_GROUPS, CG_ANY, CG_NOT
};

/* Shapes of all/any/not nodes in kb->cond_prog. */
enum { CP_NOT, CP_ALL2, CP_ANY2, CP_ALL, CP_ANY, CP_SHAPES };

/* One leaf of a group: the node it sets and what it compares (for a metric comparison, ref
 * indexes the metric table as doubles: 3 * metric + the end it reads). */
typedef struct cond_leaf {
    uint32_t node;
    int32_t ref;
    double value;
} cond_leaf;

typedef struct cond {
    uint8_t type;       /* cond_type */
    uint8_t op;         /* cond_op, for C_METRIC / C_OBS comparisons */
    uint8_t comp;       /* COMP_* for metrics */
    uint8_t known;      /* OP_KNOWN: expected truth */
    uint8_t code;       /* CG_* */
    int32_t ref;        /* metric index, symptom index or observation index */
    uint32_t child;     /* first index in kb->cond_children (ALL/ANY/NOT) */
    uint32_t n_child;
    double value;       /* comparison value; OP_IN: first index in kb->cond_set */
    uint32_t n_set;
    double min_severity, min_onset_h, max_onset_h; /* symptoms; NaN = no bound */
    uint64_t where;     /* symptoms: body-area mask (0 = anywhere) */
    int32_t text;       /* template index, -1 = none */
    const char *file;
    uint32_t line, col;
} cond;

/* ---- formulas (doses) ---- */
typedef enum expr_opcode {
    X_CONST, X_METRIC, X_PARAM, X_DOSE, X_ADD, X_SUB, X_MUL, X_DIV, X_NEG,
    X_MIN, X_MAX, X_ROUND, X_ROUND_STEP, X_CLAMP
} expr_opcode;

typedef struct expr_op {
    uint8_t op;
    uint8_t comp;
    uint16_t argc;
    int32_t ref;
    double value;
} expr_op;

#define EXPR_MAX_STACK 32

/* ---- text templates ---- */
typedef enum seg_kind { SEG_TEXT, SEG_METRIC, SEG_PARAM, SEG_DOSE } seg_kind;
typedef struct tseg {
    uint8_t kind;
    uint8_t comp;
    int8_t decimals; /* -1 = sensible rounding */
    int32_t ref;
    const char *text; /* SEG_TEXT */
    uint32_t len;
} tseg;
typedef struct ttemplate {
    uint32_t first, n; /* segments in kb->segs */
} ttemplate;

/* ---- entries ---- */
typedef struct kb_meta {
    uint8_t kind;
    uint8_t disabled;
    const char *id, *name, *description;
    const char *file;
    uint32_t line, col;
    uint32_t src_first, n_src; /* in kb->src_refs */
} kb_meta;

typedef struct kb_source {
    kb_meta m;
    const char *title, *authors, *published;
    double year;
    const char *citation; /* one line: authors (year). title. published. */
} kb_source;

typedef struct kb_param {
    kb_meta m;
    double value, low, high; /* low/high: 10th and 90th percentiles */
    uint8_t dist;            /* PARAM_DIST_* */
    const char *unit;
    bool calibrated;
    unsigned n_points;
    double px[16], py[16];
} kb_param;

typedef struct kb_symptom {
    kb_meta m;
    uint32_t link_first, n_links; /* in kb->links, sorted by cause */
} kb_symptom;

typedef struct kb_observation {
    kb_meta m;
    uint8_t type; /* obs_type */
    double min, max;
} kb_observation;

typedef struct kb_body_area {
    kb_meta m;
} kb_body_area;

typedef struct kb_link {
    uint16_t symptom, cause;
    double weight;
} kb_link;

typedef struct kb_cause {
    kb_meta m;
    const char *mechanism;
    double prior;
    uint32_t rule_first, n_rules; /* rules of this cause, in kb->cause_rules (and scoring) */
    uint32_t n_links;
    uint32_t clink_first, n_clinks; /* its links, in kb->cause_links */
} kb_cause;

/* What scoring a cause reads, contiguous per cause (pr_infer_causes runs for every assessment):
 * its links by symptom, and its rules' conditions and weights (in kb->cause_rules order). */
typedef struct kb_cause_link {
    uint16_t symptom;
    double weight;
} kb_cause_link;

typedef struct kb_cause_rule {
    uint32_t cond, rule;
    double weight;
} kb_cause_rule;

typedef struct kb_rule {
    kb_meta m;
    uint16_t cause;
    double weight;
    uint32_t cond;     /* root condition */
    int32_t text;      /* template, -1 = use the name */
    int32_t metric;    /* single-metric rule: its metric index (contribution source "metric") */
    uint8_t metric_comp;
} kb_rule;

typedef struct kb_dose {
    const char *name;
    uint32_t expr_first, expr_n;
} kb_dose;

/* A condition under which a recommendation must not be given, and why. */
typedef struct kb_contra {
    uint32_t cond;
    int32_t text;
} kb_contra;

typedef struct kb_rec {
    kb_meta m;
    uint8_t when;  /* postrun_when */
    /* Tagged `gentle`: loads nothing and sets no training target, so it may stay beside a
     * "see a doctor" red flag (infer.c, withdrawn_by()). */
    bool gentle;
    /* Indexes of its `fluid_ml` and `over_h` doses (-1 = none): a fluid dose is spread over
     * over_h hours and is checked against param.max_fluid_ml_per_h when computed. */
    int8_t fluid_dose, over_dose;
    double priority;
    int32_t requires; /* condition, -1 = none */
    uint32_t addr_first, n_addr;  /* cause indexes in kb->u16 */
    uint32_t tag_first, n_tags;   /* tag indexes in kb->u16 */
    uint32_t dose_first, n_doses; /* in kb->doses */
    uint32_t contra_first, n_contra; /* in kb->contras */
    uint32_t sup_first, n_sup;       /* recommendations it supersedes, in kb->u32 */
    int32_t text;
} kb_rec;

typedef struct kb_flag {
    kb_meta m;
    uint8_t urgency;
    uint32_t cond;
    int32_t advice;
    uint32_t wd_rec_first, n_wd_rec;  /* recommendation indexes withdrawn (tags expanded) */
    /* Under an emergency only `now` recommendations the flag allows remain (tags expanded). */
    uint32_t al_rec_first, n_al_rec;
    /* `escalate`: when this condition holds too, the flag is raised at esc_urgency with
     * esc_advice (-1 = none). */
    int32_t esc_cond;
    uint8_t esc_urgency;
    int32_t esc_advice;
} kb_flag;

typedef struct kb_misc { /* misconceptions and notes */
    kb_meta m;
    bool warning;  /* a note with `warning: true`: listed under the assessment's warnings */
    /* a misconception with `reassures: true` (a symptom is usually normal or harmless): not
     * shown beside a red flag that sends the runner to a doctor */
    bool reassures;
    int32_t when;  /* condition, -1 = always */
    int32_t text;  /* template of the description */
} kb_misc;

/* Global id lookup. */
typedef struct kb_idx {
    const char *id;
    uint8_t kind;
    uint32_t index;
} kb_idx;

struct postrun_kb {
    pr_arena arena;
    kb_params params;       /* model parameters, by params.def id */
    int32_t min_score_param; /* recommendation_min_score */
    /* Hours after the run during which a recommendation `now`, `within_2h` and `today` still
     * applies (timing_window_*_h; -1 = no limit), the most fluid a dose may plan per hour
     * (max_fluid_ml_per_h, required when a recommendation has a fluid_ml dose), and the score
     * thresholds of the likelihood words (likelihood_*; -1 = not given). */
    int32_t window_param[3];
    int32_t max_fluid_rate_param;
    /* Plausibility limits of a run report (plausible_*; -1 = not checked): the highest sweat
     * rate a weigh-in may imply, the largest body-mass change in one run, and how far an
     * average heart rate may sit above the stated maximum. */
    int32_t plausible_param[3];
    int32_t likelihood_param[3];
    bool eager_intervals;    /* a condition or formula reads an interval that
                              * pr_model_evaluate_fast() leaves out (kb_compile.c) */

    kb_source *sources;       size_t n_sources;
    kb_param *parameters;     size_t n_parameters;
    kb_symptom *symptoms;     size_t n_symptoms;
    kb_observation *observations; size_t n_observations;
    kb_body_area *body_areas; size_t n_body_areas;
    kb_cause *causes;         size_t n_causes;
    kb_rule *rules;           size_t n_rules;
    kb_rec *recs;             size_t n_recs;
    kb_flag *flags;           size_t n_flags;
    kb_misc *miscs;           size_t n_miscs;
    kb_misc *notes;           size_t n_notes;

    const char **symptom_ids, **observation_ids, **body_area_ids; /* NULL-terminated */
    const char **tag_names; size_t n_tags;

    kb_link *links;        size_t n_links;      /* sorted by symptom */
    uint32_t *cause_rules; size_t n_cause_rules;
    kb_cause_link *cause_links;   /* by cause, then symptom */
    kb_cause_rule *scoring_rules; /* parallel to cause_rules */
    uint32_t *src_refs;    size_t n_src_refs;
    uint16_t *u16;         size_t n_u16;
    uint32_t *u32;         size_t n_u32;       /* flag withdrawals */
    cond *conds;           size_t n_conds;
    uint32_t *cond_children; size_t n_cond_children;
    cond_leaf *cond_leaves;  /* leaves by group: group g is [cond_group[g], cond_group[g+1]) */
    uint32_t cond_group[CG_LEAF_GROUPS + 1];
    /* The leaves that can hold only when their observation or symptom was reported (every
     * test of an observation but `known`, every symptom test), by observation then symptom:
     * observation o's are [obs_subs[o], obs_subs[o + 1]), symptom s's [sym_subs[s],
     * sym_subs[s + 1]); a sub's `ref` is its CG_* code. A run reports a few of each. */
    cond_leaf *cond_subs;
    uint32_t *obs_subs, *sym_subs;
    /* The all/any/not nodes as one program (kb_cond.c, pr_cond_finish()): runs of nodes of one
     * shape that do not depend on each other, each run a header {shape, count} and its nodes,
     * a node being its index then its children (CP_ALL, CP_ANY: its index, the number of
     * children, the children). */
    uint32_t *cond_prog;     size_t n_cond_prog, n_cond_branches;
    /* A metric leaf's automatic text around its value, made once (kb_expr.c,
     * pr_cond_texts_finish()): "run.duration_min is " and " (at least 120)"; NULL elsewhere. */
    const char **cond_pre, **cond_post;
    uint32_t *cond_pre_len, *cond_post_len;
    double *cond_set;      size_t n_cond_set;
    expr_op *ops;          size_t n_ops;
    kb_dose *doses;        size_t n_doses;
    kb_contra *contras;    size_t n_contras;
    tseg *segs;            size_t n_segs;
    ttemplate *templates;  size_t n_templates;

    /* Sort keys of the results, so that an assessment compares numbers, not ids (id order is
     * strcmp's): each recommendation's place in id order, the causes in id order, and the red
     * flags in the order they are listed (most urgent first, then by id; a flag of no known
     * urgency is never listed). */
    uint32_t *rec_rank;
    uint32_t *cause_by_rank;
    /* The recommendations addressing each cause: cause k's are cause_recs[cause_rec_first[k]
     * .. cause_rec_first[k + 1]); and each recommendation's best score before any cause offers
     * one: -1, or 0 when it addresses no cause. */
    uint32_t *cause_rec_first;
    uint32_t *cause_recs;
    double *rec_best0;
    uint32_t *flag_order;  size_t n_flag_order;

    kb_idx *index;         size_t n_index;     /* sorted by id */
    /* The same entries by (id, kind) for the lookups every assessment makes: open addressing,
     * slot = index entry + 1, 0 = empty; a power-of-two size at least twice n_index. */
    uint32_t *id_hash;     size_t id_hash_mask;
    size_t bytes;          /* memory held */
};

/* Looks an id up in the global index: the entry of that kind (-1: of the first kind that has
 * the id; kinds may share ids). */
const kb_idx *pr_kb_find_kind(const postrun_kb *kb, const char *id, int kind);
const kb_idx *pr_kb_find(const postrun_kb *kb, const char *id);
/* Hash of an id for kb->id_hash. */
uint32_t pr_kb_id_hash(const char *id);
/* Entry metadata of (kind, index). */
const kb_meta *pr_kb_meta_of(const postrun_kb *kb, unsigned kind, size_t index);
/* Metric index of a name such as "fluid.sweat_loss_l.low"; -1 when unknown. */
int pr_kb_metric_lookup(const char *name, unsigned *comp);

/* ---- evaluation context, shared by conditions, formulas and templates ---- */
typedef struct eval_ctx {
    const postrun_kb *kb;
    const tri *metric;         /* MI_COUNT */
    const double *obs;         /* per kb observation, NaN = not reported */
    const double *sym_sev;     /* per kb symptom, NaN = not reported */
    const double *sym_onset;   /* per kb symptom */
    const uint64_t *sym_where; /* per kb symptom */
    const double *doses;       /* doses of the recommendation being computed */
    const uint8_t *truth;      /* every condition's value (pr_cond_eval_all), or NULL */
} eval_ctx;

bool pr_cond_eval(const eval_ctx *c, uint32_t cond_index);

/*
 * Every condition of the knowledge base at once, into truth[kb->n_conds] (1 = holds), in one
 * pass in index order: the compiler adds a node after its children, so each all/any/not node
 * reads its children's values instead of evaluating them again. An assessment evaluates
 * nearly every condition anyway (every rule, red flag, requirement, contraindication,
 * misconception and note), and this costs about a third of evaluating them one by one.
 * With c->truth set, pr_cond_eval() reads the table. obs and sym list the kb indexes of the
 * observations and symptoms the run reported (each once): only their leaves are visited.
 */
void pr_cond_eval_all(const eval_ctx *c, uint8_t *truth, const uint16_t *obs, size_t n_obs,
                   const uint16_t *sym, size_t n_sym);
/* Calls `held` for every leaf (or text-bearing node) that made `cond_index` true. */
void pr_cond_explain(const eval_ctx *c, uint32_t cond_index,
                  void (*held)(void *ud, uint32_t cond_index), void *ud);
double pr_expr_eval(const eval_ctx *c, uint32_t first, uint32_t n);
/* Renders template `t` (or, for a condition without text, an automatic text) into `b`. */
void pr_template_render(const eval_ctx *c, int32_t t, pr_buf *b);
void pr_cond_auto_text(const eval_ctx *c, uint32_t cond_index, pr_buf *b);

#endif
