/*
 * Inference with the bundled knowledge base: every safety rule of model.md section 7 and the
 * articles' "when to seek help" items raise their red flag (each test fails if its rule is
 * removed from data/), nothing contradicts a red flag, causes are scored and explained as the
 * model says, and each article's example gets the article's explanation and advice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_impl.h"

static postrun_kb *kb;

static int setup(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    int rc = postrun_kb_load_default(&kb, &err) == POSTRUN_OK ? 0 : -1;
    postrun_error_clear(&err);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    postrun_kb_free(kb);
    return 0;
}

/* A plain 60-minute run at 20 C by a 70 kg runner, plus `extra` YAML (sections). */
static postrun_assessment *assess_yaml(const char *extra)
{
    char y[4096];
    snprintf(y, sizeof y,
             "postrun: 1\nathlete: {body_mass_kg: 70}\n"
             "%s%s",
             strstr(extra, "run:") ? "" : "run: {duration_min: 60, distance_km: 10}\n", extra);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    postrun_status s = postrun_run_parse(&run, kb, y, strlen(y), "inline.yaml", &err);
    if (s != POSTRUN_OK) {
        char line[1200];
        postrun_error_format(&err, line, sizeof line);
        fail_msg("run did not parse: %s\n%s", line, y);
    }
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    s = postrun_assess(a, run, &err);
    if (s != POSTRUN_OK) {
        char line[1200];
        postrun_error_format(&err, line, sizeof line);
        fail_msg("assess failed: %s", line);
    }
    postrun_run_free(run);
    postrun_error_clear(&err);
    return a;
}

static postrun_assessment *assess_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT, name);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_load_file(&run, kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    postrun_run_free(run);
    postrun_error_clear(&err);
    return a;
}

static int flag_index(postrun_assessment *a, const char *id)
{
    for (size_t i = 0; i < postrun_assessment_red_flag_count(a); i++) {
        postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
        assert_int_equal(postrun_assessment_red_flag(a, i, &f), POSTRUN_OK);
        if (strcmp(f.id, id) == 0)
            return (int)i;
    }
    return -1;
}

static void expect_flag(const char *yaml, const char *id, int urgency)
{
    postrun_assessment *a = assess_yaml(yaml);
    int i = flag_index(a, id);
    if (i < 0)
        fail_msg("red flag %s not raised for:\n%s", id, yaml);
    postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
    assert_int_equal(postrun_assessment_red_flag(a, (size_t)i, &f), POSTRUN_OK);
    if (urgency >= 0)
        assert_int_equal(f.urgency, urgency);
    assert_true(strlen(f.advice) > 20);
    assert_true(f.n_because >= 1);
    assert_non_null(postrun_assessment_red_flag_because(a, (size_t)i, 0));
    postrun_assessment_free(a);
}

static void expect_no_flag(const char *yaml, const char *id)
{
    postrun_assessment *a = assess_yaml(yaml);
    assert_int_equal(flag_index(a, id), -1);
    postrun_assessment_free(a);
}

static bool rec_has_tag(const postrun_assessment *a, size_t i, const char *tag)
{
    const kb_rec *r = &kb->recs[a->recs[i].rec];
    for (uint32_t t = 0; t < r->n_tags; t++)
        if (strcmp(kb->tag_names[kb->u16[r->tag_first + t]], tag) == 0)
            return true;
    return false;
}

static size_t count_tagged(const postrun_assessment *a, const char *tag)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_recs; i++)
        n += rec_has_tag(a, i, tag);
    return n;
}

static bool has_rec(postrun_assessment *a, const char *id)
{
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(a, i, &r), POSTRUN_OK);
        if (strcmp(r.id, id) == 0)
            return true;
    }
    return false;
}

static int cause_rank(const postrun_assessment *a, const char *id)
{
    for (size_t i = 0; i < postrun_assessment_cause_count(a); i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        assert_int_equal(postrun_assessment_cause(a, i, &c), POSTRUN_OK);
        if (strcmp(c.id, id) == 0)
            return (int)i;
    }
    return -1;
}

/* ---- safety rules (model.md section 7) ---- */

static const char *GAIN =
    "run: {duration_min: 240, distance_km: 42.2}\n"
    "environment: {temperature_c: 12}\n"
    "intake: {fluid_ml: 4500}\n"
    "weigh_in: {pre_kg: 70.0, post_kg: 70.9}\n";

static void test_weight_gain_with_headache_raises_hyponatremia_and_withdraws_drinking(void **s)
{
    (void)s;
    char y[1024];
    snprintf(y, sizeof y, "%ssymptoms: [{id: fatigue, severity: 6}]\nobservations: {headache: true}\n",
             GAIN);
    postrun_assessment *a = assess_yaml(y);
    int i = flag_index(a, "suspected_hyponatremia");
    assert_true(i >= 0);
    postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
    postrun_assessment_red_flag(a, (size_t)i, &f);
    assert_int_equal(f.urgency, POSTRUN_URGENCY_EMERGENCY);
    assert_int_equal(postrun_assessment_max_urgency(a), POSTRUN_URGENCY_EMERGENCY);
    assert_int_equal(count_tagged(a, "drink"), 0);
    postrun_assessment_free(a);
}

static void test_each_hyponatremia_symptom_raises_the_flag(void **s)
{
    (void)s;
    const char *signs[] = {"headache", "nausea", "vomiting", "confusion", "swelling"};
    for (size_t k = 0; k < 5; k++) {
        char y[1024];
        snprintf(y, sizeof y, "%sobservations: {%s: true}\n", GAIN, signs[k]);
        expect_flag(y, "suspected_hyponatremia", POSTRUN_URGENCY_EMERGENCY);
    }
}

static void test_drinking_more_than_predicted_losses_with_nausea_raises_hyponatremia(void **s)
{
    (void)s;
    /* A predicted gain with mild symptoms: see a doctor today (model.md section 7)... */
    expect_flag("run: {duration_min: 120, distance_km: 18}\nenvironment: {temperature_c: 8}\n"
                "intake: {fluid_ml: 4000}\nobservations: {nausea: true}\n",
                "suspected_hyponatremia", POSTRUN_URGENCY_SEE_DOCTOR_SOON);
    /* ...a weighed gain, or vomiting or confusion, makes it an emergency. */
    expect_flag("run: {duration_min: 120, distance_km: 18}\nenvironment: {temperature_c: 8}\n"
                "intake: {fluid_ml: 4000}\nweigh_in: {pre_kg: 70, post_kg: 70.4}\n"
                "observations: {nausea: true}\n",
                "suspected_hyponatremia", POSTRUN_URGENCY_EMERGENCY);
    expect_flag("run: {duration_min: 120, distance_km: 18}\nenvironment: {temperature_c: 8}\n"
                "intake: {fluid_ml: 4000}\nobservations: {nausea: true, confusion: true}\n",
                "suspected_hyponatremia", POSTRUN_URGENCY_EMERGENCY);
}

static void test_a_runner_who_gained_weight_is_never_told_to_drink(void **s)
{
    (void)s;
    char y[1024];
    snprintf(y, sizeof y, "%ssymptoms: [{id: cramps, severity: 8}, {id: fatigue, severity: 8},"
                          " {id: muscles_feel_smaller}, {id: twitching}]\n", GAIN);
    postrun_assessment *a = assess_yaml(y);
    assert_int_equal(flag_index(a, "suspected_hyponatremia"), -1); /* no symptom of it */
    assert_int_equal(count_tagged(a, "drink"), 0);
    postrun_assessment_free(a);
}

static void test_a_dehydrated_runner_is_told_to_drink_with_sodium(void **s)
{
    (void)s;
    postrun_assessment *a = assess_yaml(
        "run: {duration_min: 120, distance_km: 20}\nenvironment: {temperature_c: 30}\n"
        "weigh_in: {pre_kg: 70.0, post_kg: 67.6}\nsymptoms: [{id: fatigue, severity: 7}]\n");
    assert_true(count_tagged(a, "drink") >= 1);
    bool dosed = false;
    for (size_t i = 0; i < a->n_recs; i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        postrun_assessment_recommendation(a, i, &r);
        for (size_t j = 0; j < r.n_doses; j++) {
            const char *name;
            double v;
            postrun_assessment_recommendation_dose(a, i, j, &name, &v);
            if (strcmp(name, "fluid_ml") == 0) {
                /* 2.4 kg lost: 1.25-1.5 L per kg */
                assert_true(v >= 2.4 * 1250 - 100 && v <= 2.4 * 1500 + 100);
                dosed = true;
            }
        }
    }
    assert_true(dosed);
    postrun_assessment_free(a);
}

static void test_dark_urine_raises_rhabdomyolysis(void **s)
{
    (void)s;
    expect_flag("observations: {dark_urine: true}\n", "suspected_rhabdomyolysis", -1);
    /* A dark chart colour alone is dehydration, not muscle breakdown (model.md section 7). */
    expect_no_flag("observations: {urine_colour: 8}\n", "suspected_rhabdomyolysis");
    expect_flag("observations: {urine_colour: 8}\n", "very_dark_urine",
                POSTRUN_URGENCY_SEE_DOCTOR_IF_PERSISTS);
}

static void test_severe_pain_with_swelling_and_weakness_raises_rhabdomyolysis(void **s)
{
    (void)s;
    expect_flag("symptoms: [{id: aching, severity: 9}]\n"
                "observations: {swelling: true, weakness: true}\n",
                "suspected_rhabdomyolysis", -1);
}

static void test_confusion_after_running_in_heat_is_an_emergency(void **s)
{
    (void)s;
    const char *signs[] = {"confusion", "vomiting", "fainting"};
    for (size_t k = 0; k < 3; k++) {
        char y[512];
        snprintf(y, sizeof y,
                 "run: {duration_min: 90, distance_km: 15}\n"
                 "environment: {temperature_c: 33, relative_humidity_pct: 60}\n"
                 "observations: {%s: true}\n",
                 signs[k]);
        expect_flag(y, "suspected_heat_illness", POSTRUN_URGENCY_EMERGENCY);
    }
    expect_no_flag("environment: {temperature_c: 5}\nobservations: {vomiting: true}\n",
                   "suspected_heat_illness");
}

static void test_chest_pain_or_fainting_is_an_emergency(void **s)
{
    (void)s;
    expect_flag("observations: {chest_pain: true}\n", "cardiac_warning", POSTRUN_URGENCY_EMERGENCY);
    expect_flag("observations: {fainting: true}\n", "cardiac_warning", POSTRUN_URGENCY_EMERGENCY);
}

static void test_bone_signs_raise_a_suspected_stress_fracture(void **s)
{
    (void)s;
    const char *signs[] = {"bone_point_tenderness", "pain_on_hopping", "groin_pain_with_limp"};
    for (size_t k = 0; k < 3; k++) {
        char y[256];
        snprintf(y, sizeof y, "observations: {%s: true}\n", signs[k]);
        expect_flag(y, "suspected_stress_fracture", -1);
    }
}

static void test_every_when_to_seek_help_item_raises_its_flag(void **s)
{
    (void)s;
    struct {
        const char *yaml, *flag;
    } cases[] = {
        {"observations: {numbness: true}\n", "neurological_signs"},
        {"observations: {tingling: true}\n", "neurological_signs"},
        {"symptoms: [{id: twitching}]\nobservations: {widespread_twitching: true}\n",
         "twitching_needs_review"},
        {"symptoms: [{id: twitching}]\nobservations: {twitching_disrupts_sleep: true}\n",
         "twitching_needs_review"},
        {"symptoms: [{id: aching}]\nobservations: {persistent_days: 14}\n", "persistent_symptoms"},
        {"observations: {performance_decline: true, frequent_illness: true}\n",
         "overtraining_signs"},
        {"observations: {unexplained_weight_loss: true}\n", "unexplained_weight_loss"},
        {"observations: {disordered_eating_concern: true}\n", "disordered_eating_concern"},
        {"observations: {sharp_localized_pain: true}\n", "possible_injury"},
        {"observations: {cannot_bear_weight: true}\n", "possible_injury"},
        {"observations: {bruising: true}\n", "possible_injury"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        expect_flag(cases[k].yaml, cases[k].flag, -1);
}

static void test_a_run_with_nothing_wrong_raises_no_flag(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("10_cold_easy_run_no_symptoms.yaml");
    assert_int_equal(postrun_assessment_red_flag_count(a), 0);
    assert_int_equal(postrun_assessment_max_urgency(a), -1);
    assert_int_equal(postrun_assessment_cause_count(a), 0);
    postrun_assessment_free(a);
}

static void test_cramps_are_explained_first_by_neuromuscular_fatigue(void **s)
{
    (void)s;
    /* Well hydrated (0.4 % lost): cramps must not bring "drink a lot". */
    postrun_assessment *a = assess_yaml("weigh_in: {pre_kg: 70, post_kg: 69.7}\n"
                                        "symptoms: [{id: cramps, severity: 6}]\n");
    assert_int_equal(cause_rank(a, "neuromuscular_fatigue"), 0);
    assert_int_equal(count_tagged(a, "drink"), 0); /* not "drink a lot" for a normal run */
    postrun_assessment_free(a);
}

static void test_cramps_in_a_salty_sweater_bring_electrolytes_up(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("08_cramps_salty_sweater.yaml");
    int r = cause_rank(a, "electrolyte_imbalance");
    assert_true(r >= 0 && r <= 2);
    assert_true(cause_rank(a, "neuromuscular_fatigue") >= 0);
    postrun_assessment_free(a);
}

static void test_aching_brings_the_lactate_correction(void **s)
{
    (void)s;
    postrun_assessment *a = assess_yaml("symptoms: [{id: aching, severity: 5, onset_h: 24}]\n");
    bool found = false;
    for (size_t i = 0; i < postrun_assessment_misconception_count(a); i++) {
        const char *id, *text;
        assert_int_equal(postrun_assessment_misconception(a, i, &id, &text), POSTRUN_OK);
        if (strcmp(id, "lactate_not_doms") == 0) {
            found = true;
            assert_non_null(strstr(text, "actate"));
        }
    }
    assert_true(found);
    postrun_assessment_free(a);
    a = assess_yaml("symptoms: [{id: twitching}]\n");
    for (size_t i = 0; i < postrun_assessment_misconception_count(a); i++) {
        const char *id;
        postrun_assessment_misconception(a, i, &id, NULL);
        assert_string_not_equal(id, "lactate_not_doms");
    }
    postrun_assessment_free(a);
}

static bool misconception_listed(postrun_assessment *a, const char *id)
{
    for (size_t i = 0; i < postrun_assessment_misconception_count(a); i++) {
        const char *mid;
        assert_int_equal(postrun_assessment_misconception(a, i, &mid, NULL), POSTRUN_OK);
        if (strcmp(mid, id) == 0)
            return true;
    }
    return false;
}

/* A reassurance ("soreness is normal", "twitching is usually harmless") is not shown beside a
 * red flag that sends the runner to a doctor, which it would contradict; a flag to watch
 * leaves it, and the corrections that do not reassure stay. */
static void test_a_reassurance_is_not_shown_beside_a_flag_that_sends_to_a_doctor(void **s)
{
    (void)s;
    static const struct {
        const char *yaml, *flag, *misc;
        bool shown;
    } cases[] = {
        {"symptoms: [{id: aching, severity: 5, onset_h: 24}]\n", NULL,
         "soreness_is_not_injury", true},
        {"symptoms: [{id: aching, severity: 5, onset_h: 24}]\n"
         "observations: {urine_colour: 7}\n",
         "very_dark_urine", "soreness_is_not_injury", true},
        {"symptoms: [{id: aching, severity: 5, onset_h: 24}]\n"
         "observations: {chest_pain: true}\n",
         "cardiac_warning", "soreness_is_not_injury", false},
        {"symptoms: [{id: aching, severity: 5, onset_h: 24}]\n"
         "observations: {chest_pain: true}\n",
         "cardiac_warning", "lactate_not_doms", true},
        {"symptoms: [{id: twitching}]\n", NULL, "twitching_usually_harmless", true},
        {"symptoms: [{id: twitching}]\nobservations: {widespread_twitching: true}\n",
         "twitching_needs_review", "twitching_usually_harmless", false},
        {"symptoms: [{id: muscles_feel_smaller}]\n", NULL, "feeling_smaller_not_muscle_loss",
         true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        postrun_assessment *a = assess_yaml(cases[i].yaml);
        if (cases[i].flag)
            assert_true(flag_index(a, cases[i].flag) >= 0);
        else
            assert_int_equal(postrun_assessment_red_flag_count(a), 0);
        if (misconception_listed(a, cases[i].misc) != cases[i].shown)
            fail_msg("case %zu: %s %s", i, cases[i].misc, cases[i].shown ? "missing" : "shown");
        postrun_assessment_free(a);
    }
}

/* ---- scoring as model.md section 7 says ---- */

static void test_a_cause_score_is_the_logistic_of_its_contributions(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("02_hard_race_feeling_dead.yaml");
    assert_true(postrun_assessment_cause_count(a) > 3);
    double prev = 2;
    for (size_t i = 0; i < postrun_assessment_cause_count(a); i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        postrun_assessment_cause(a, i, &c);
        double sum = 0, prev_w = INFINITY;
        bool prior = false;
        for (size_t j = 0; j < c.n_because; j++) {
            postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
            assert_int_equal(postrun_assessment_cause_because(a, i, j, &k), POSTRUN_OK);
            sum += k.weight;
            assert_true(fabs(k.weight) <= prev_w); /* largest first */
            prev_w = fabs(k.weight);
            assert_true(strlen(k.text) > 0);
            prior |= k.kind == POSTRUN_CONTRIBUTION_PRIOR;
        }
        assert_true(prior);
        assert_true(fabs(c.score - 1 / (1 + exp(-sum))) < 1e-12);
        assert_true(c.score <= prev); /* ranked */
        prev = c.score;
        assert_true(c.n_explains >= 1);
    }
    postrun_assessment_free(a);
}

static void test_symptom_weight_grows_with_severity(void **s)
{
    (void)s;
    postrun_assessment *lo = assess_yaml("symptoms: [{id: fatigue, severity: 1}]\n");
    postrun_assessment *hi = assess_yaml("symptoms: [{id: fatigue, severity: 9}]\n");
    postrun_cause a = POSTRUN_CAUSE_INIT, b = POSTRUN_CAUSE_INIT;
    int i = cause_rank(lo, "glycogen_depletion"), j = cause_rank(hi, "glycogen_depletion");
    assert_true(i >= 0 && j >= 0);
    postrun_assessment_cause(lo, (size_t)i, &a);
    postrun_assessment_cause(hi, (size_t)j, &b);
    assert_true(b.score > a.score);
    postrun_assessment_free(lo);
    postrun_assessment_free(hi);
}

static void test_reusing_an_assessment_gives_the_same_answer(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("01_warm_long_run_muscles_smaller.yaml");
    char *first = NULL, *again = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &first, NULL, &err),
                     POSTRUN_OK);
    postrun_run *other = NULL, *run = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT,
             "06_weigh_in_gain_headache_hyponatremia.yaml");
    assert_int_equal(postrun_run_load_file(&other, kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, other, &err), POSTRUN_OK);
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT,
             "01_warm_long_run_muscles_smaller.yaml");
    assert_int_equal(postrun_run_load_file(&run, kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &again, NULL, &err),
                     POSTRUN_OK);
    assert_string_equal(first, again);
    postrun_free(first);
    postrun_free(again);
    postrun_run_free(run);
    postrun_run_free(other);
    postrun_assessment_free(a);
    postrun_error_clear(&err);
}

static void test_a_failed_assessment_holds_nothing(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("01_warm_long_run_muscles_smaller.yaml");
    assert_true(postrun_assessment_cause_count(a) > 0);
    postrun_run *run = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_run_new(&run, NULL, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "postrun", 1, &err), POSTRUN_OK);
    /* body mass and duration missing */
    assert_int_not_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    assert_int_equal(err.code, POSTRUN_ERR_MISSING);
    assert_int_equal(postrun_assessment_cause_count(a), 0);
    assert_int_equal(postrun_assessment_recommendation_count(a), 0);
    assert_int_equal(postrun_assessment_red_flag_count(a), 0);
    postrun_range r;
    assert_int_equal(postrun_assessment_metric(a, "fluid.sweat_loss_l", &r), POSTRUN_ERR_NOT_FOUND);
    char *out = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &out, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_null(out);
    postrun_run_free(run);
    postrun_assessment_free(a);
    postrun_error_clear(&err);
}

static void test_unknown_symptom_ids_are_caught_at_assessment(void **s)
{
    (void)s;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    const char *y = "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 30}\n"
                    "symptoms: [{id: crampz}]\n";
    assert_int_equal(postrun_run_parse(&run, NULL, y, strlen(y), "r.yaml", &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_ERR_UNKNOWN_ID);
    assert_non_null(strstr(err.message, "cramps"));
    assert_int_equal(err.line, 4);
    postrun_run_free(run);
    postrun_assessment_free(a);
    postrun_error_clear(&err);
}

static void test_a_vanishing_training_average_leaves_the_load_ratio_unknown(void **s)
{
    (void)s;
    /* Regression: 1 km over a 3.56e-307 km average overflowed week_increase_pct to infinity. */
    postrun_assessment *a =
        assess_yaml("recent: {acute_week_km: 1, chronic_week_km: 3.56e-307}\n");
    postrun_range r;
    assert_int_equal(postrun_assessment_metric(a, "load.acwr", &r), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_metric(a, "load.week_increase_pct", &r),
                     POSTRUN_ERR_NOT_FOUND);
    for (size_t i = 0; i < postrun_metric_count(); i++)
        if (postrun_assessment_metric_at(a, i, &r) == POSTRUN_OK)
            assert_true(isfinite(r.low) && isfinite(r.expected) && isfinite(r.high));
    postrun_assessment_free(a);
}

/* ---- the articles' examples ---- */

typedef struct article_case {
    const char *file;
    const char *primary[6]; /* at least one in the top 3 */
    const char *advice[3];  /* each given */
} article_case;

static void test_each_article_example_gets_its_explanation_and_advice(void **s)
{
    (void)s;
    const article_case cases[] = {
        {"01_warm_long_run_muscles_smaller.yaml", {"glycogen_depletion", "dehydration", NULL},
         {NULL}},
        {"02_hard_race_feeling_dead.yaml",
         {"glycogen_depletion", "central_fatigue", "muscle_microtrauma", "inflammation",
          "metabolic_byproducts", "neuromuscular_fatigue"},
         {NULL}},
        {"03_tight_legs_no_warmup_cooldown.yaml",
         {"insufficient_warmup", "insufficient_cooldown", "muscle_microtrauma"}, {NULL}},
        {"04_aching_two_days_after_hilly_race.yaml", {"doms", "muscle_microtrauma", NULL}, {NULL}},
        {"05_twitching_after_hot_long_run.yaml",
         {"electrolyte_imbalance", "dehydration", "neuromuscular_fatigue"}, {NULL}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        postrun_assessment *a = assess_file(cases[k].file);
        bool ok = false;
        for (size_t p = 0; p < 6 && cases[k].primary[p]; p++) {
            int r = cause_rank(a, cases[k].primary[p]);
            ok |= r >= 0 && r <= 2;
        }
        if (!ok) {
            for (size_t i = 0; i < postrun_assessment_cause_count(a) && i < 5; i++) {
                postrun_cause c = POSTRUN_CAUSE_INIT;
                postrun_assessment_cause(a, i, &c);
                fprintf(stderr, "# %s: %zu %s %.3f\n", cases[k].file, i, c.id, c.score);
            }
            fail_msg("%s: the article's explanation is not in the top 3", cases[k].file);
        }
        for (size_t r = 0; r < 3 && cases[k].advice[r]; r++)
            if (!has_rec(a, cases[k].advice[r]))
                fail_msg("%s: recommendation %s missing", cases[k].file, cases[k].advice[r]);
        assert_true(postrun_assessment_recommendation_count(a) >= 3);
        postrun_assessment_free(a);
    }
}

static void test_a_report_shows_six_causes_and_recommendations_unless_told(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("01_warm_long_run_muscles_smaller.yaml");
    size_t nc = postrun_assessment_cause_count(a), nr = postrun_assessment_recommendation_count(a);
    assert_true(nc <= POSTRUN_DEFAULT_LIMIT && nr <= POSTRUN_DEFAULT_LIMIT);
    assert_int_equal(postrun_assessment_set_limit(a, 0), POSTRUN_OK);
    assert_true(postrun_assessment_cause_count(a) > nc);
    assert_true(postrun_assessment_recommendation_count(a) > nr);
    assert_int_equal(postrun_assessment_set_limit(a, 2), POSTRUN_OK);
    assert_int_equal(postrun_assessment_cause_count(a), 2);
    postrun_cause c = POSTRUN_CAUSE_INIT;
    assert_int_equal(postrun_assessment_cause(a, 2, &c), POSTRUN_ERR_NOT_FOUND);
    char *out = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_TEXT, 0, &out, NULL, &err),
                     POSTRUN_OK);
    assert_non_null(strstr(out, "not shown"));
    postrun_free(out);
    assert_int_equal(postrun_assessment_set_limit(NULL, 3), POSTRUN_ERR_ARGUMENT);
    postrun_assessment_free(a);
}

static void test_causes_are_worded_by_likelihood(void **s)
{
    (void)s;
    postrun_assessment *a = assess_file("01_warm_long_run_muscles_smaller.yaml");
    const char *words[] = {"very likely", "likely", "possible", "less likely"};
    for (size_t i = 0; i < postrun_assessment_cause_count(a); i++) {
        const char *w = postrun_assessment_likelihood(a, i);
        assert_non_null(w);
        bool known = false;
        for (size_t k = 0; k < 4; k++)
            known |= strcmp(w, words[k]) == 0;
        assert_true(known);
    }
    assert_null(postrun_assessment_likelihood(a, 99));
    assert_null(postrun_assessment_likelihood(NULL, 0));
    postrun_assessment_free(a);
}

static void test_unusual_values_are_assessed_with_a_warning(void **s)
{
    (void)s;
    postrun_assessment *a =
        assess_yaml("run: {duration_min: 60, distance_km: 12}\nenvironment: {temperature_c: 33}\n"
                    "weigh_in: {pre_kg: 85, post_kg: 81.7}\n");
    assert_true(postrun_assessment_warning_count(a) >= 1);
    assert_non_null(strstr(postrun_assessment_warning(a, 0), "sweat rate"));
    assert_null(postrun_assessment_warning(a, 99));
    assert_int_equal(postrun_assessment_warning_count(NULL), 0);
    postrun_assessment_free(a);
}

static void expect_refused(const char *yaml, const char *field, const char *also)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_parse(&run, kb, yaml, strlen(yaml), "inline.yaml", &err),
                     POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_ERR_RANGE);
    assert_string_equal(err.field, field);
    assert_non_null(strstr(err.message, also));
    assert_string_equal(err.file, "inline.yaml");
    assert_true(err.line > 0);
    assert_int_equal(postrun_assessment_cause_count(a), 0);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

static void test_impossible_values_are_refused_naming_the_fields(void **s)
{
    (void)s;
    expect_refused("postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 20}\n"
                   "weigh_in: {pre_kg: 70, post_kg: 66}\n",
                   "weigh_in.post_kg", "run.duration_min");
    expect_refused("postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 300}\n"
                   "weigh_in: {pre_kg: 70, post_kg: 62}\n",
                   "weigh_in.post_kg", "weigh_in.pre_kg");
    expect_refused("postrun: 1\nathlete: {body_mass_kg: 70, max_hr_bpm: 180}\n"
                   "run: {duration_min: 60, avg_hr_bpm: 195}\n",
                   "run.avg_hr_bpm", "athlete.max_hr_bpm");
}

static bool has_when(postrun_assessment *a, postrun_when w)
{
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(a, i, &r), POSTRUN_OK);
        if (r.when == w)
            return true;
    }
    return false;
}

static void test_advice_for_a_moment_that_has_passed_is_not_given(void **s)
{
    (void)s;
#define SINCE(h)                                                                               \
    "run: {duration_min: 150, distance_km: 26, ended_h_ago: " h "}\n"                           \
    "environment: {temperature_c: 27}\nweigh_in: {pre_kg: 75, post_kg: 72}\n"                   \
    "symptoms: [{id: fatigue}, {id: muscles_feel_smaller}]\n"
    char y[512];
    snprintf(y, sizeof y, "%s", SINCE("1"));
    postrun_assessment *a = assess_yaml(y);
    postrun_assessment_set_limit(a, 0);
    assert_true(has_rec(a, "rehydrate_with_sodium"));
    assert_true(has_when(a, POSTRUN_WHEN_NOW));
    postrun_assessment_free(a);
    snprintf(y, sizeof y, "%s", SINCE("30"));
#undef SINCE
    a = assess_yaml(y);
    postrun_assessment_set_limit(a, 0);
    assert_false(has_rec(a, "rehydrate_with_sodium"));
    assert_false(has_when(a, POSTRUN_WHEN_NOW) || has_when(a, POSTRUN_WHEN_WITHIN_2H) ||
                 has_when(a, POSTRUN_WHEN_TODAY));
    postrun_assessment_free(a);
}

static void test_fluid_doses_are_spread_at_no_more_than_a_litre_an_hour(void **s)
{
    (void)s;
    postrun_assessment *a = assess_yaml("run: {duration_min: 180, distance_km: 32}\n"
                                        "environment: {temperature_c: 26}\n"
                                        "weigh_in: {pre_kg: 80, post_kg: 76.6}\n"
                                        "symptoms: [{id: fatigue}]\n");
    bool dosed = false;
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        double ml = NAN, h = NAN;
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(a, i, &r), POSTRUN_OK);
        for (size_t j = 0; j < r.n_doses; j++) {
            const char *name;
            double v;
            assert_int_equal(postrun_assessment_recommendation_dose(a, i, j, &name, &v), 0);
            if (strcmp(name, "fluid_ml") == 0)
                ml = v;
            else if (strcmp(name, "over_h") == 0)
                h = v;
        }
        if (isnan(ml))
            continue;
        dosed = true;
        assert_true(h > 0 && ml / h <= 1000);
    }
    assert_true(dosed);
    postrun_assessment_free(a);
}

static void test_a_fluid_dose_above_the_safe_rate_is_withdrawn(void **s)
{
    (void)s;
    /* A coach's overlay that squeezes the rehydration into one hour: the engine withdraws it
     * rather than print a dose above max_fluid_ml_per_h. */
    static const char overlay[] =
        "postrun_overlay: 1\n"
        "recommendations:\n"
        "  - id: rehydrate_with_sodium\n"
        "    doses:\n"
        "      lost_kg: \"-fluid.body_mass_change_kg\"\n"
        "      fluid_ml: \"round(lost_kg * 1500, 50)\"\n"
        "      over_h: \"1\"\n"
        "      sodium_mg: \"500\"\n";
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    postrun_kb *k = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, &err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_default(b, &err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_overlay_string(b, "o.yaml", overlay, strlen(overlay), &err),
                     POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_build(b, &k, &err), POSTRUN_OK);
    postrun_kb_builder_free(b);
    static const char y[] = "postrun: 1\nathlete: {body_mass_kg: 80}\n"
                            "run: {duration_min: 180, distance_km: 32}\n"
                            "weigh_in: {pre_kg: 80, post_kg: 77}\nsymptoms: [{id: fatigue}]\n";
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_parse(&run, k, y, strlen(y), "inline.yaml", &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, k, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    assert_false(has_rec(a, "rehydrate_with_sodium"));
    bool found = false;
    for (size_t i = 0; i < postrun_assessment_withdrawn_count(a); i++) {
        const char *id, *by;
        assert_int_equal(postrun_assessment_withdrawn(a, i, &id, &by), POSTRUN_OK);
        if (strcmp(id, "rehydrate_with_sodium") == 0) {
            assert_string_equal(by, "dose_limit");
            found = true;
        }
    }
    assert_true(found);
    char *out = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_TEXT, 0, &out, NULL, &err),
                     POSTRUN_OK);
    assert_non_null(strstr(out, "kidneys"));
    postrun_free(out);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(k);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weight_gain_with_headache_raises_hyponatremia_and_withdraws_drinking),
        cmocka_unit_test(test_each_hyponatremia_symptom_raises_the_flag),
        cmocka_unit_test(test_drinking_more_than_predicted_losses_with_nausea_raises_hyponatremia),
        cmocka_unit_test(test_a_runner_who_gained_weight_is_never_told_to_drink),
        cmocka_unit_test(test_a_dehydrated_runner_is_told_to_drink_with_sodium),
        cmocka_unit_test(test_dark_urine_raises_rhabdomyolysis),
        cmocka_unit_test(test_severe_pain_with_swelling_and_weakness_raises_rhabdomyolysis),
        cmocka_unit_test(test_confusion_after_running_in_heat_is_an_emergency),
        cmocka_unit_test(test_chest_pain_or_fainting_is_an_emergency),
        cmocka_unit_test(test_bone_signs_raise_a_suspected_stress_fracture),
        cmocka_unit_test(test_every_when_to_seek_help_item_raises_its_flag),
        cmocka_unit_test(test_a_run_with_nothing_wrong_raises_no_flag),
        cmocka_unit_test(test_cramps_are_explained_first_by_neuromuscular_fatigue),
        cmocka_unit_test(test_cramps_in_a_salty_sweater_bring_electrolytes_up),
        cmocka_unit_test(test_aching_brings_the_lactate_correction),
        cmocka_unit_test(test_a_reassurance_is_not_shown_beside_a_flag_that_sends_to_a_doctor),
        cmocka_unit_test(test_a_cause_score_is_the_logistic_of_its_contributions),
        cmocka_unit_test(test_symptom_weight_grows_with_severity),
        cmocka_unit_test(test_reusing_an_assessment_gives_the_same_answer),
        cmocka_unit_test(test_a_failed_assessment_holds_nothing),
        cmocka_unit_test(test_unknown_symptom_ids_are_caught_at_assessment),
        cmocka_unit_test(test_a_vanishing_training_average_leaves_the_load_ratio_unknown),
        cmocka_unit_test(test_each_article_example_gets_its_explanation_and_advice),
        cmocka_unit_test(test_a_report_shows_six_causes_and_recommendations_unless_told),
        cmocka_unit_test(test_causes_are_worded_by_likelihood),
        cmocka_unit_test(test_unusual_values_are_assessed_with_a_warning),
        cmocka_unit_test(test_impossible_values_are_refused_naming_the_fields),
        cmocka_unit_test(test_advice_for_a_moment_that_has_passed_is_not_given),
        cmocka_unit_test(test_fluid_doses_are_spread_at_no_more_than_a_litre_an_hour),
        cmocka_unit_test(test_a_fluid_dose_above_the_safe_rate_is_withdrawn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
