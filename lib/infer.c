/*
 * Inference (model.md section 7): red flags first, then causes scored from symptom links and
 * evidence rules, then recommendations with their doses, withdrawn where a red flag says so,
 * then the misconceptions and notes that apply. Works on preallocated arrays only.
 */
#include <math.h>
#include <string.h>

#include "assess_impl.h"

void pr_assess_ctx(const postrun_assessment *a, eval_ctx *c, const double *doses)
{
    c->kb = a->kb;
    c->metric = a->metric;
    c->obs = a->obs;
    c->sym_sev = a->sym_sev;
    c->sym_onset = a->sym_onset;
    c->sym_where = a->sym_where;
    c->doses = doses;
    c->truth = a->truth;
}

/* ---- conditions ---- */

void pr_infer_conditions(postrun_assessment *a)
{
    eval_ctx c;
    pr_assess_ctx(a, &c, NULL);
    c.truth = NULL;
    uint16_t obs[PR_MAX_OBSERVATIONS], sym[PR_MAX_SYMPTOMS];
    for (size_t i = 0; i < a->run.n_observations; i++)
        obs[i] = a->run.observation[i].observation;
    for (size_t i = 0; i < a->run.n_symptoms; i++)
        sym[i] = a->run.symptom[i].symptom;
    pr_cond_eval_all(&c, a->truth, obs, a->run.n_observations, sym, a->run.n_symptoms);
}

/* Whether condition `ci` holds for this run (pr_infer_conditions() has run). */
static inline bool holds(const postrun_assessment *a, uint32_t ci)
{
    return a->truth[ci] != 0;
}

/* ---- red flags ---- */

static void collect_because(void *ud, uint32_t ci)
{
    postrun_assessment *a = ud;
    a->because[a->n_because++] = ci;
}

void pr_infer_red_flags(postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    eval_ctx c;
    pr_assess_ctx(a, &c, NULL);
    a->n_flags = 0;
    a->n_because = 0;
    /* Most urgent first, then by id, whatever order the files list them in (kb->flag_order). */
    for (size_t o = 0; o < kb->n_flag_order; o++) {
        const uint32_t i = kb->flag_order[o];
        const kb_flag *f = &kb->flags[i];
        if (!holds(a, f->cond))
            continue;
        a_flag *af = &a->flags[a->n_flags++];
        af->flag = i;
        af->urgency = f->urgency;
        af->advice = f->advice;
        af->because_first = (uint32_t)a->n_because;
        pr_cond_explain(&c, f->cond, collect_because, a);
        if (f->esc_cond >= 0 && holds(a, (uint32_t)f->esc_cond)) {
            af->urgency = f->esc_urgency;
            af->advice = f->esc_advice;
            /* The escalation's reasons too, each once. */
            size_t before = a->n_because;
            pr_cond_explain(&c, (uint32_t)f->esc_cond, collect_because, a);
            size_t n = before;
            for (size_t j = before; j < a->n_because; j++) {
                bool seen = false;
                for (size_t k = af->because_first; k < n && !seen; k++)
                    seen = a->because[k] == a->because[j];
                if (!seen)
                    a->because[n++] = a->because[j];
            }
            a->n_because = n;
        }
        af->n_because = (uint32_t)(a->n_because - af->because_first);
    }
    /* An escalated flag moves up among the raised ones (stable: urgency, then kb order). */
    a_flag *fl = a->flags;
    for (size_t i = 1; i < a->n_flags; i++) {
        if (!(fl[i].urgency < fl[i - 1].urgency))
            continue;
        a_flag t = fl[i];
        size_t j = i;
        do {
            fl[j] = fl[j - 1];
            j--;
        } while (j > 0 && t.urgency < fl[j - 1].urgency);
        fl[j] = t;
    }
}

/* ---- causes ---- */

static inline double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static inline double symptom_weight(double link_weight, double severity)
{
    return link_weight * (0.5 + severity / 10.0);
}

/*
 * Scores every cause and lists those a reported symptom links to. A listed cause's
 * contributions (its explanation) are only counted and given their place here; pr_ensure_contribs()
 * writes them when something reads them, so that a caller who wants scores, doses and metrics
 * does not pay for sorting explanations. The score is summed in the order the contributions
 * are listed before sorting (prior, symptoms as reported, rules in id order), the same order
 * whether or not they are written. The arrays are written through local pointers: the project
 * builds with -fno-strict-aliasing, so every store through `a` would make the compiler read
 * a's fields again.
 */
void pr_infer_causes(postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    /* Every cause is scored (recommendations follow the evidence even when the runner reported
     * no symptom, e.g. a 3 % weigh-in deficit), but a cause is listed only when a reported
     * symptom links to it. Causes are taken in id order, so that sorting them by score alone
     * (stably) leaves ties in id order. An unlisted cause needs only its logit (its exp() is
     * left to pr_infer_recommendations()). */
    const kb_cause_rule *srules = kb->scoring_rules;
    const uint8_t *truth = a->truth;
    const resolved_symptom *rsym = a->run.symptom;
    double *logit = a->logit, *score = a->score;
    a_cause *causes = a->causes;
    uint32_t n_contribs = 0;
    uint16_t *const e0 = a->explains;
    uint16_t *ep = e0;
    size_t nc = 0;
    /* Which reported symptoms link to each cause (bit i: a->run.symptom[i]), with the link's
     * weight: taking the bits in order keeps the symptoms in the order they were reported. */
    uint16_t *linked = a->linked;
    double *link_w = a->link_w;
    const size_t n_causes = kb->n_causes;
    const size_t n_sym = a->run.n_symptoms;
    memset(linked, 0, n_causes * sizeof *linked);
    for (size_t i = 0; i < n_sym; i++) {
        const kb_symptom *ks = &kb->symptoms[rsym[i].symptom];
        const kb_link *ln = &kb->links[ks->link_first];
        double *row = &link_w[i * n_causes];
        for (uint32_t l = 0; l < ks->n_links; l++) {
            linked[ln[l].cause] |= (uint16_t)(1u << i);
            row[ln[l].cause] = ln[l].weight;
        }
    }
    for (size_t q = 0; q < n_causes; q++) {
        const size_t k = kb->cause_by_rank[q];
        const kb_cause *kc = &kb->causes[k];
        const kb_cause_rule *sr = &srules[kc->rule_first];
        const uint32_t nr = kc->n_rules;
        double sum = kc->prior;
        const unsigned m = linked[k];
        if (!m) {
            for (uint32_t r = 0; r < nr; r++)
                if (truth[sr[r].cond])
                    sum += sr[r].weight;
            logit[k] = sum;
            score[k] = SCORE_LATER;
            continue;
        }
        uint16_t *efirst = ep;
        for (size_t i = 0; i < n_sym; i++) {
            if (!(m >> i & 1))
                continue;
            sum += symptom_weight(link_w[i * n_causes + k], rsym[i].severity);
            *ep++ = rsym[i].symptom;
        }
        const size_t nm = (size_t)(ep - efirst);
        uint32_t held = 0;
        for (uint32_t r = 0; r < nr; r++) {
            if (truth[sr[r].cond]) {
                sum += sr[r].weight;
                held++;
            }
        }
        const double sc = sigmoid(sum);
        logit[k] = sum;
        score[k] = sc;
        const uint32_t n = 1 + (uint32_t)nm + held;
        causes[nc++] = (a_cause){.cause = (uint16_t)k,
                                 .score = sc,
                                 .contrib_first = n_contribs,
                                 .n_contrib = n,
                                 .explain_first = (uint32_t)(efirst - e0),
                                 .n_explain = (uint32_t)(ep - efirst)};
        n_contribs += n;
    }
    a->n_causes = nc;
    a->n_contribs = n_contribs;
    a->n_explains = (size_t)(ep - e0);
    a->contribs_ready = false;
    /* Highest score first, then by id (their order so far). */
    for (size_t i = 1; i < nc; i++) {
        if (!(causes[i].score > causes[i - 1].score))
            continue;
        a_cause t = causes[i];
        size_t j = i;
        do {
            causes[j] = causes[j - 1];
            j--;
        } while (j > 0 && t.score > causes[j - 1].score);
        causes[j] = t;
    }
}

void pr_ensure_contribs(postrun_assessment *a)
{
    if (a->contribs_ready)
        return;
    const postrun_kb *kb = a->kb;
    const kb_cause_rule *srules = kb->scoring_rules;
    const kb_rule *rules = kb->rules;
    const uint8_t *truth = a->truth;
    const resolved_symptom *rsym = a->run.symptom;
    const tri *metric = a->metric;
    for (size_t c = 0; c < a->n_causes; c++) {
        const a_cause *ac = &a->causes[c];
        const kb_cause *kc = &kb->causes[ac->cause];
        a_contrib *const first = &a->contribs[ac->contrib_first];
        a_contrib *kp = first;
        *kp++ = (a_contrib){POSTRUN_CONTRIBUTION_PRIOR, -1, NAN, kc->prior};
        const unsigned m = a->linked[ac->cause];
        for (size_t i = 0; i < a->run.n_symptoms; i++) {
            if (!(m >> i & 1))
                continue;
            const resolved_symptom *rs = &rsym[i];
            *kp++ = (a_contrib){POSTRUN_CONTRIBUTION_SYMPTOM, rs->symptom, rs->severity,
                                symptom_weight(a->link_w[i * kb->n_causes + ac->cause],
                                               rs->severity)};
        }
        const kb_cause_rule *sr = &srules[kc->rule_first];
        for (uint32_t r = 0; r < kc->n_rules; r++) {
            if (!truth[sr[r].cond])
                continue;
            const kb_rule *kr = &rules[sr[r].rule];
            if (kr->metric >= 0)
                *kp++ = (a_contrib){POSTRUN_CONTRIBUTION_METRIC, (int32_t)sr[r].rule,
                                    tri_comp(metric[kr->metric], kr->metric_comp), kr->weight};
            else
                *kp++ = (a_contrib){POSTRUN_CONTRIBUTION_RULE, (int32_t)sr[r].rule, NAN, kr->weight};
        }
        /* Largest |weight| first; ties keep their order (prior, symptoms, rules). */
        const uint32_t n = (uint32_t)(kp - first);
        for (uint32_t i = 1; i < n; i++) {
            const double tw = fabs(first[i].weight);
            if (!(fabs(first[i - 1].weight) < tw))
                continue; /* in place: most are */
            a_contrib t = first[i];
            uint32_t j = i;
            do {
                first[j] = first[j - 1];
                j--;
            } while (j > 0 && fabs(first[j - 1].weight) < tw);
            first[j] = t;
        }
    }
    a->contribs_ready = true;
}

/* ---- recommendations ---- */

static bool in_list(const postrun_kb *kb, uint32_t first, uint32_t n, size_t rec)
{
    for (uint32_t j = 0; j < n; j++)
        if (kb->u32[first + j] == rec)
            return true;
    return false;
}

/*
 * The raised red flag that withdraws recommendation `rec`, or -1. Safety is a rule of the
 * engine, not of each entry (model.md section 7), so that a recommendation added later cannot
 * slip past a red flag:
 *  - every flag withdraws what it lists under `withdraws` (ids or tags);
 *  - under an emergency only `now` recommendations the flag lists under `allows` remain;
 *  - under "see a doctor soon" only recommendations tagged `gentle` (no load on the body, no
 *    training target) remain, and none for the next runs.
 */
static int withdrawn_by(const postrun_assessment *a, size_t rec)
{
    const postrun_kb *kb = a->kb;
    const kb_rec *r = &kb->recs[rec];
    for (size_t i = 0; i < a->n_flags; i++) {
        const a_flag *af = &a->flags[i];
        const kb_flag *f = &kb->flags[af->flag];
        bool out = in_list(kb, f->wd_rec_first, f->n_wd_rec, rec);
        if (af->urgency == POSTRUN_URGENCY_EMERGENCY)
            out = out || r->when != POSTRUN_WHEN_NOW ||
                  !in_list(kb, f->al_rec_first, f->n_al_rec, rec);
        else if (af->urgency == POSTRUN_URGENCY_SEE_DOCTOR_SOON)
            out = out || !r->gentle || r->when == POSTRUN_WHEN_NEXT_RUNS;
        if (out)
            return (int)af->flag;
    }
    return -1;
}

static bool rec_before(const postrun_kb *kb, const a_rec *x, const a_rec *y)
{
    const kb_rec *rx = &kb->recs[x->rec], *ry = &kb->recs[y->rec];
    if (rx->priority != ry->priority)
        return rx->priority < ry->priority;
    if (x->best_score != y->best_score)
        return x->best_score > y->best_score;
    return kb->rec_rank[x->rec] < kb->rec_rank[y->rec];
}

/* Each recommendation's best score of the causes it addresses (-1 when none reaches the
 * minimum), into a->rec_best. */
static void rec_best_scores(postrun_assessment *a, double min_score)
{
    const postrun_kb *kb = a->kb;
    /* What each cause offers a recommendation addressing it: its score when that reaches
     * the minimum, else -1 (below any score). An unlisted cause's exp() is needed only when
     * its logit could reach the minimum (a->min_logit). */
    double *offer = a->offer;
    const double *score = a->score, *logit = a->logit, min_logit = a->min_logit;
    for (size_t k = 0; k < kb->n_causes; k++) {
        double s = score[k];
        if (s == SCORE_LATER)
            s = logit[k] < min_logit ? NAN : sigmoid(logit[k]);
        offer[k] = !isnan(s) && s >= min_score ? s : -1;
    }
    /* The best scores, from the few causes that offer one. */
    double *rec_best = a->rec_best;
    memcpy(rec_best, kb->rec_best0, kb->n_recs * sizeof *rec_best);
    for (size_t k = 0; k < kb->n_causes; k++) {
        const double o = offer[k];
        if (o < 0)
            continue;
        for (uint32_t j = kb->cause_rec_first[k]; j < kb->cause_rec_first[k + 1]; j++) {
            double *b = &rec_best[kb->cause_recs[j]];
            *b = o > *b ? o : *b;
        }
    }
}

/* Leaves out the recommendations that one given supersedes. */
static void drop_superseded(postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    /* A recommendation given says what those it supersedes would (drink to thirst over the
     * day beside a rehydration plan): they are left out, so that six lines say six things.
     * Marks in a->superseded (per kb recommendation, all 0 between assessments). */
    uint8_t *sup = a->superseded;
    bool any = false;
    for (size_t i = 0; i < a->n_recs; i++) {
        const kb_rec *by = &kb->recs[a->recs[i].rec];
        for (uint32_t j = 0; j < by->n_sup; j++) {
            sup[kb->u32[by->sup_first + j]] = 1;
            any = true;
        }
    }
    if (any) {
        size_t kept = 0;
        for (size_t i = 0; i < a->n_recs; i++)
            if (!sup[a->recs[i].rec])
                a->recs[kept++] = a->recs[i];
        for (size_t i = 0; i < a->n_recs; i++) {
            const kb_rec *by = &kb->recs[a->recs[i].rec];
            for (uint32_t j = 0; j < by->n_sup; j++)
                sup[kb->u32[by->sup_first + j]] = 0;
        }
        a->n_recs = kept;
    }
}

/* Orders the recommendations: priority, then best score, then id (insertion sort: a handful,
 * mostly in order already). */
static void sort_recs(postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    a_rec *recs = a->recs;
    for (size_t i = 1; i < a->n_recs; i++) {
        if (!rec_before(kb, &recs[i], &recs[i - 1]))
            continue;
        a_rec t = recs[i];
        size_t j = i;
        do {
            recs[j] = recs[j - 1];
            j--;
        } while (j > 0 && rec_before(kb, &t, &recs[j - 1]));
        recs[j] = t;
    }
}

void pr_infer_recommendations(postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    const double min_score = kb->parameters[kb->min_score_param].value;
    eval_ctx c;
    pr_assess_ctx(a, &c, NULL);
    a->n_recs = 0;
    a->n_doses = 0;
    a->n_withdrawn = 0;
    bool dose_unknown = false;
    /* Advice for a moment that has passed is not given (a soak "within 2 h" a day later). */
    const double since = a->metric[MI_OF_METRIC(M_HOURS_SINCE_RUN)].x;
    double window[3];
    for (int i = 0; i < 3; i++)
        window[i] = kb->window_param[i] >= 0 ? kb->parameters[kb->window_param[i]].value
                                              : INFINITY;
    const double max_rate = kb->max_fluid_rate_param >= 0
                                ? kb->parameters[kb->max_fluid_rate_param].value
                                : INFINITY;
    rec_best_scores(a, min_score);
    const double *rec_best = a->rec_best;
    for (size_t r = 0; r < kb->n_recs; r++) {
        const double best = rec_best[r];
        if (best < 0)
            continue;
        const kb_rec *kr = &kb->recs[r];
        if (kr->requires >= 0 && !holds(a, (uint32_t)kr->requires))
            continue;
        if (kr->when < 3 && !(since < window[kr->when]))
            continue;
        int flag = a->n_flags ? withdrawn_by(a, r) : -1;
        if (flag >= 0) {
            a->withdrawn[a->n_withdrawn++] = (a_withdrawn){(uint16_t)r, (uint16_t)flag, 0};
            continue;
        }
        bool contra = false;
        for (uint32_t j = 0; j < kr->n_contra && !contra; j++) {
            if (holds(a, kb->contras[kr->contra_first + j].cond)) {
                a->withdrawn[a->n_withdrawn++] =
                    (a_withdrawn){(uint16_t)r, NO_FLAG, kr->contra_first + j};
                contra = true;
            }
        }
        if (contra)
            continue;
        double *d = &a->doses[a->n_doses];
        c.doses = d;
        bool ok = true;
        for (uint32_t j = 0; j < kr->n_doses && ok; j++) {
            const kb_dose *kd = &kb->doses[kr->dose_first + j];
            d[j] = pr_expr_eval(&c, kd->expr_first, kd->expr_n);
            ok = !isnan(d[j]);
        }
        if (!ok) {
            dose_unknown = true;
            continue;
        }
        /* Safe by construction: no dose plans more fluid per hour than the kidneys clear. */
        if (kr->fluid_dose >= 0) {
            const double ml = d[kr->fluid_dose], h = d[kr->over_dose];
            if (ml > 0 && !(h > 0 && ml <= max_rate * h)) {
                a->withdrawn[a->n_withdrawn++] = (a_withdrawn){(uint16_t)r, NO_FLAG, DOSE_LIMIT};
                continue;
            }
        }
        a_rec *ar = &a->recs[a->n_recs++];
        ar->rec = (uint16_t)r;
        ar->best_score = best;
        ar->dose_first = (uint32_t)a->n_doses;
        a->n_doses += kr->n_doses;
    }
    if (dose_unknown)
        assume(&a->run.assumptions, A_DOSE_UNKNOWN, -1, NAN, NAN);
    drop_superseded(a);
    sort_recs(a);
}

/* ---- misconceptions and notes ---- */

/*
 * Whether a raised red flag sends the runner to a doctor (an emergency, or "see a doctor
 * soon"). Beside such a flag, a misconception that reassures ("soreness is normal", "twitching
 * is usually harmless") would contradict it, and is not shown: a rule of the engine, like the
 * withdrawal of recommendations, so that a reassurance added later cannot stand beside a flag.
 */
static bool flag_sends_to_doctor(const postrun_assessment *a)
{
    for (size_t i = 0; i < a->n_flags; i++)
        if (a->flags[i].urgency == POSTRUN_URGENCY_EMERGENCY ||
            a->flags[i].urgency == POSTRUN_URGENCY_SEE_DOCTOR_SOON)
            return true;
    return false;
}

void pr_infer_misconceptions(postrun_assessment *a)
{
    const postrun_kb *kb = a->kb;
    const bool no_reassurance = flag_sends_to_doctor(a);
    a->n_miscs = 0;
    for (size_t i = 0; i < kb->n_miscs; i++)
        if ((kb->miscs[i].when < 0 || holds(a, (uint32_t)kb->miscs[i].when)) &&
            !(no_reassurance && kb->miscs[i].reassures))
            a->miscs[a->n_miscs++] = (uint16_t)i;
    a->n_notes = 0;
    a->n_warnings = 0;
    for (size_t i = 0; i < kb->n_notes; i++) {
        const kb_misc *n = &kb->notes[i];
        if (n->when >= 0 && !holds(a, (uint32_t)n->when))
            continue;
        if (n->warning)
            a->warnings[a->n_warnings++] = (uint16_t)i;
        else
            a->notes[a->n_notes++] = (uint16_t)i;
    }
}
