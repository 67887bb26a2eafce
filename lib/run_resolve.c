/*
 * What a run report needs beyond single values: whole-report validation (required fields, a
 * complete weigh-in), defaults and the assumptions they bring, and pr_run_resolve(), which turns
 * a report into the resolved form the assessment works on, without allocating.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run_impl.h"
#include "vocab.h"

/* The default of field f for this run, NaN when it has none. A weigh-in's fields default only
 * when a weigh-in is given; its urine defaults to 0 then (contract), which the table cannot
 * say because the table's defaults apply unconditionally. */
/* pr_run_field_in_section(f, "weigh_in", 8), inline: resolving asks it for every field. */
static inline bool in_weigh_in(int f)
{
    const char *p = PR_RUN_FIELDS[f].path;
    return p[0] == 'w' && memcmp(p, "weigh_in.", 9) == 0;
}

/* pr_run_has_weigh_in(), with the inline test. */
static bool has_weigh_in(const postrun_run *run)
{
    if (run->weigh_in_given)
        return true;
    for (int f = 0; f < RF_COUNT; f++)
        if (in_weigh_in(f) && !isnan(run->field[f]))
            return true;
    return false;
}

static double default_in(int f, bool weigh_in)
{
    double def = PR_RUN_FIELDS[f].def;
    if (in_weigh_in(f)) {
        if (!weigh_in)
            return NAN;
        if (f == RF_URINE_ML && isnan(def))
            return 0;
    }
    return def;
}

static double default_of(const postrun_run *run, int f)
{
    return default_in(f, has_weigh_in(run));
}

/* The index of the lowest set bit of x (x != 0). */
static inline unsigned lowest_bit64(uint64_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned i = 0;
    for (; !(x & 1); x >>= 1)
        i++;
    return i;
#endif
}

/* ---- validation ---- */

void pr_run_validate_into(run_ctx *c, const postrun_run *run)
{
    bool weigh_in = has_weigh_in(run);
    for (int f = 0; f < RF_COUNT; f++) {
        const run_field_info *fi = &PR_RUN_FIELDS[f];
        bool in_section = weigh_in && in_weigh_in(f);
        bool needed = fi->required || (in_section && isnan(default_in(f, weigh_in)));
        if (!needed || !isnan(run->field[f]) || (c->given >> f & 1))
            continue;
        run_pos at = run->section[f].line ? run->section[f] : run->doc;
        char lo[32], hi[32];
        pr_run_fmt_num(lo, sizeof lo, fi->min);
        pr_run_fmt_num(hi, sizeof hi, fi->max);
        if (f == RF_POSTRUN)
            pr_run_problem(c, POSTRUN_ERR_MISSING, at, fi->path,
                        "missing: a run report starts with `postrun: 1` (the format version)");
        else if (in_weigh_in(f))
            pr_run_problem(c, POSTRUN_ERR_MISSING, at, fi->path,
                        "missing: a weigh-in needs both pre_kg and post_kg (%s..%s)", lo, hi);
        else
            pr_run_problem(c, POSTRUN_ERR_MISSING, at, fi->path,
                        "missing: this field is required (a number in %s..%s)", lo, hi);
    }
}

postrun_status postrun_run_validate(const postrun_run *run, postrun_error *err)
{
    pr_err_reset(err);
    if (!run)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no run given");
    run_ctx c = {.kb = run->kb, .err = err, .file = run->file[0] ? run->file : NULL};
    pr_run_validate_into(&c, run);
    return c.first;
}

/* ---- defaults ---- */

postrun_status postrun_run_apply_defaults(postrun_run *run, postrun_error *err)
{
    pr_err_reset(err);
    if (!run)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no run given");
    for (int f = 0; f < RF_COUNT; f++) {
        double def = default_of(run, f);
        if (isnan(run->field[f]) && !isnan(def)) {
            run->field[f] = def;
            run->defaulted |= (uint64_t)1 << f;
        }
    }
    for (size_t i = 0; i < run->n_symptoms; i++) {
        run_symptom *s = &run->symptom[i];
        if (isnan(s->num[SF_SEVERITY])) {
            s->num[SF_SEVERITY] = PR_RUN_SYMPTOM_FIELDS[SF_SEVERITY].def;
            s->severity_defaulted = true;
        }
    }
    pr_run_rebuild_assumptions(run);
    return POSTRUN_OK;
}

size_t postrun_run_assumption_count(const postrun_run *run) { return run ? run->n_assumptions : 0; }

const char *postrun_run_assumption(const postrun_run *run, size_t i)
{
    return run && i < run->n_assumptions ? run->assumption[i] : NULL;
}

/* ---- resolving for the assessment ---- */

void pr_run_field_facts_init(run_field_facts *rf)
{
    _Static_assert(RF_COUNT <= 64, "run field masks are 64 bits");
    rf->weigh_in = rf->required = rf->weigh_in_needed = 0;
    for (int f = 0; f < RF_COUNT; f++) {
        const uint64_t bit = (uint64_t)1 << f;
        rf->weigh_in |= in_weigh_in(f) ? bit : 0;
        rf->required |= PR_RUN_FIELDS[f].required ? bit : 0;
        rf->weigh_in_needed |= in_weigh_in(f) && isnan(default_in(f, true)) ? bit : 0;
        rf->def[0][f] = default_in(f, false);
        rf->def[1][f] = default_in(f, true);
    }
    rf->has_def[0] = rf->has_def[1] = 0;
    for (int f = 0; f < RF_COUNT; f++)
        for (int w = 0; w < 2; w++)
            rf->has_def[w] |= isnan(rf->def[w][f]) ? 0 : (uint64_t)1 << f;
}

/* What pr_run_check_observation() accepts, without making its messages. */
static bool observation_ok(const postrun_kb *kb, int index, bool is_bool, double value)
{
    double min = 0, max = 0;
    obs_type t = pr_kb_observation_type(kb, index, &min, &max);
    if (t == OBS_BOOLEAN)
        return is_bool;
    return !is_bool && value >= min && value <= max;
}

/*
 * Values no human produces are refused, not assessed (contract section 2): a weigh-in that
 * implies more sweat per hour than anyone has been measured to produce, a body-mass change
 * beyond the plausible in one run, an average heart rate above the stated maximum. The limits
 * are knowledge-base parameters; a knowledge base without them checks nothing.
 */
static void check_plausible(run_ctx *c, const postrun_run *run, const postrun_kb *kb,
                            const double *v)
{
    const double max_rate = pr_kb_plausible_limit(kb, 0), max_change = pr_kb_plausible_limit(kb, 1),
                 hr_margin = pr_kb_plausible_limit(kb, 2);
    char a[32], b[32], lim[32];
    double pre = v[RF_PRE_KG], post = v[RF_POST_KG];
    if (!isnan(pre) && !isnan(post) && pre > 0) {
        double change_pct = (post - pre) / pre * 100;
        if (fabs(change_pct) > max_change) {
            snprintf(a, sizeof a, "%.1f", fabs(change_pct));
            pr_run_fmt_num(lim, sizeof lim, max_change);
            pr_run_problem(c, POSTRUN_ERR_RANGE, run->section[RF_POST_KG], "weigh_in.post_kg",
                        "weigh_in.pre_kg and weigh_in.post_kg differ by %s %% of body mass: "
                        "more than %s %% in one run is not possible; check both weights",
                        a, lim);
        } else if (!isnan(max_rate)) {
            double fluid = isnan(v[RF_FLUID_ML]) ? 0 : v[RF_FLUID_ML];
            double urine = isnan(v[RF_URINE_ML]) ? 0 : v[RF_URINE_ML];
            double hours = v[RF_DURATION_MIN] / 60;
            double rate = ((pre - post) + fluid / 1000 - urine / 1000) / hours;
            if (hours > 0 && rate > max_rate) {
                snprintf(a, sizeof a, "%.1f", rate);
                pr_run_fmt_num(lim, sizeof lim, max_rate);
                pr_run_problem(c, POSTRUN_ERR_RANGE, run->section[RF_POST_KG], "weigh_in.post_kg",
                            "weigh_in.pre_kg, weigh_in.post_kg, intake.fluid_ml and "
                            "run.duration_min imply a sweat rate of %s l/h: above %s l/h is "
                            "not possible; check the weights and run.duration_min", a, lim);
            }
        }
    }
    double hr = v[RF_AVG_HR_BPM], max = v[RF_MAX_HR_BPM];
    if (!isnan(hr) && !isnan(max) && hr > max + hr_margin) {
        pr_run_fmt_num(a, sizeof a, hr);
        pr_run_fmt_num(b, sizeof b, max);
        pr_run_problem(c, POSTRUN_ERR_RANGE, run->section[RF_AVG_HR_BPM], "run.avg_hr_bpm",
                    "run.avg_hr_bpm %s is above athlete.max_hr_bpm %s: an average cannot "
                    "exceed the maximum; check both", a, b);
    }
}

postrun_status pr_run_resolve(const postrun_run *run, const postrun_kb *kb, resolved_run *out,
                           postrun_error *err)
{
    run_field_facts rf;
    pr_run_field_facts_init(&rf);
    return pr_run_resolve_with(run, kb, &rf, out, err);
}

postrun_status pr_run_resolve_with(const postrun_run *run, const postrun_kb *kb,
                                const run_field_facts *rf, resolved_run *out,
                                postrun_error *err)
{
    if (!run || !kb || !out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no run or knowledge base given");
    run_ctx c = {.kb = kb, .err = err, .file = run->file[0] ? run->file : NULL};
    char field[96];
    /* pr_run_validate_into() and the defaults with the facts worked out once: only a report
     * that misses a needed field goes through the validation that makes the messages. */
    bool weigh_in = run->weigh_in_given;
    for (uint64_t m = rf->weigh_in; m && !weigh_in; m &= m - 1)
        weigh_in = !isnan(run->field[lowest_bit64(m)]);
    for (uint64_t m = rf->required | (weigh_in ? rf->weigh_in_needed : 0); m; m &= m - 1)
        if (isnan(run->field[lowest_bit64(m)])) {
            pr_run_validate_into(&c, run);
            break;
        }

    out->id = run->id;
    out->assumptions.n = 0;
    const double *defaults = rf->def[weigh_in];
    /* Only a field with a default, or one postrun_run_apply_defaults() filled, can bring an
     * assumption; the others are copied as they are. In field order, like the assumptions. */
    memcpy(out->field, run->field, sizeof out->field);
    for (uint64_t m = rf->has_def[weigh_in] | run->defaulted; m; m &= m - 1) {
        int f = (int)lowest_bit64(m);
        double v = run->field[f], def = defaults[f];
        if (isnan(v) ? !isnan(def) : (run->defaulted >> f & 1)) {
            if (isnan(v))
                out->field[f] = v = def;
            assume(&out->assumptions, A_DEFAULT, f, v, 0);
        }
    }
    for (uint64_t m = run->from_activity; m; m &= m - 1) {
        int f = (int)lowest_bit64(m);
        assume(&out->assumptions, f == RF_TEMPERATURE_C ? A_DEVICE_TEMPERATURE : A_FROM_ACTIVITY,
               f, run->field[f], 0);
    }

    /* Ids set against this knowledge base (its vocabulary, which outlives the run) carry their
     * indexes, and observations have passed its checks: no lookups. */
    const bool indexed = run->ids_kb == kb && run->kb == kb;

    out->n_symptoms = 0;
    for (size_t i = 0; i < run->n_symptoms; i++) {
        const run_symptom *s = &run->symptom[i];
        resolved_symptom *r = &out->symptom[out->n_symptoms];
        /* Known ids take the direct lookup; the field path and the message are made only for
         * a problem (this runs on every assessment). */
        int index = indexed ? s->index : pr_kb_symptom_index(kb, s->id);
        if (index < 0) {
            snprintf(field, sizeof field, "symptoms[%zu].id", i);
            index = pr_run_lookup_id(&c, ID_SYMPTOM, s->id, s->pos, field);
        }
        r->where = 0;
        for (size_t j = 0; j < s->n_where; j++) {
            int area = indexed ? s->where_index[j] : pr_kb_body_area_index(kb, s->where[j]);
            if (area >= 0 && area < PR_MAX_BODY_AREAS) {
                r->where |= (uint64_t)1 << area;
                continue;
            }
            snprintf(field, sizeof field, "symptoms[%zu].where[%zu]", i, j);
            if (area < 0)
                area = pr_run_lookup_id(&c, ID_BODY_AREA, s->where[j], s->where_pos[j], field);
            if (area >= PR_MAX_BODY_AREAS)
                pr_run_problem(&c, POSTRUN_ERR_LIMIT, s->where_pos[j], field,
                            "the knowledge base defines more than %d body areas",
                            PR_MAX_BODY_AREAS);
            else if (area >= 0)
                r->where |= (uint64_t)1 << area;
        }
        if (index < 0)
            continue;
        r->symptom = (uint16_t)index;
        r->severity = s->num[SF_SEVERITY];
        if (isnan(r->severity) || s->severity_defaulted) {
            r->severity = PR_RUN_SYMPTOM_FIELDS[SF_SEVERITY].def;
            /* No field id for a symptom's severity: field -1, v[1] = the symptom's kb index. */
            assume(&out->assumptions, A_DEFAULT, -1, r->severity, index);
        }
        r->onset_h = s->num[SF_ONSET_H];
        r->duration_h = s->num[SF_DURATION_H];
        out->n_symptoms++;
    }

    out->n_observations = 0;
    for (size_t i = 0; i < run->n_observations; i++) {
        const run_observation *o = &run->observation[i];
        int index = indexed ? o->index : pr_kb_observation_index(kb, o->id);
        if (index < 0 || (!indexed && !observation_ok(kb, index, o->is_bool, o->value))) {
            snprintf(field, sizeof field, "observations.%s", o->id);
            if (index < 0)
                index = pr_run_lookup_id(&c, ID_OBSERVATION, o->id, o->pos, field);
            if (index < 0 ||
                !pr_run_check_observation(&c, index, o->is_bool, o->value, o->pos, field))
                continue;
        }
        resolved_observation *r = &out->observation[out->n_observations++];
        r->observation = (uint16_t)index;
        r->value = o->value;
    }
    if (c.first == POSTRUN_OK)
        check_plausible(&c, run, kb, out->field);
    return c.first;
}
