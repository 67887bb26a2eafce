/*
 * The history.* metrics (docs/history.md): copied from what lib/history_assess.c worked out of
 * the runs before this one, and the repeated-bout effect on the soreness risk. Without a
 * history every history.* metric is unknown and nothing else changes.
 */
#include "model_impl.h"

void pr_model_history_load(model_ctx *c)
{
    /* The weeks the load ratio came from, under the contract's names (a history fills the
     * fields when the report gives neither). */
    c->m[M_LOAD_ACUTE_KM] = tri_const(c->f[RF_ACUTE_WEEK_KM]);
    c->m[M_LOAD_CHRONIC_KM] = tri_const(c->f[RF_CHRONIC_WEEK_KM]);
}

void pr_model_history(model_ctx *c)
{
    tri *m = c->m;
    const model_history_in *h = c->hist;
    if (!h) {
        for (int i = M_HIST_RUNS; i <= M_HIST_CRAMP_LONG_RUNS; i++)
            m[i] = tri_nan();
        return;
    }
    m[M_HIST_RUNS] = tri_const(h->runs);
    m[M_HIST_ACWR_UNCOUPLED] = tri_const(h->acwr_uncoupled);
    m[M_HIST_MONOTONY] = tri_const(h->monotony);
    m[M_HIST_STRAIN] = tri_const(h->strain);
    m[M_HIST_WEIGH_INS] = tri_const(h->weigh_ins);
    m[M_HIST_SWEAT_FACTOR] = h->weigh_ins > 0 ? h->sweat_factor : par(c, P_SWEAT_PERSON_FACTOR);
    m[M_HIST_MUSCLE_START_PCT] =
        isnan(h->muscle_start.x) ? tri_const(PCT) : tri_pct(h->muscle_start);
    m[M_HIST_REPEATED_BOUT] = tri_const(h->repeated_bout);
    m[M_HIST_LONG_RUNS] = tri_const(h->long_runs);
    m[M_HIST_CRAMP_LONG_RUNS] = tri_const(h->cramp_long_runs);
    /* A bout like this one within the last weeks: the muscles adapted (McHugh 2003), so the
     * soreness risk drops one step. Applied after pr_model_load() so that its rules stay as
     * they are. */
    if (h->repeated_bout && m[M_DOMS_RISK].x > DOMS_LOW)
        m[M_DOMS_RISK] = tri_const(m[M_DOMS_RISK].x - 1);
}
