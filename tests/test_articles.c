/*
 * The bundled knowledge base covers the five source articles: every cause, recommendation and
 * warning sign listed in tests/data/article_coverage.yaml (written from the articles) exists,
 * is of the right kind, and cites its article; medical warnings and advice cite research, not
 * only the articles; and each article's own scenarios (tests/data/article_scenarios.yaml, run
 * reports in tests/data/scenarios/) get the article's advice among the first six
 * recommendations, and its warnings as red flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kb.h"
#include "yamldom.h"

static bool cites(const postrun_kb *kb, const kb_meta *m, const char *source)
{
    for (uint32_t i = 0; i < m->n_src; i++)
        if (strcmp(kb->sources[kb->src_refs[m->src_first + i]].m.id, source) == 0)
            return true;
    return false;
}

static void test_every_item_of_every_article_is_in_the_knowledge_base(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    yreader r;
    ydoc doc;
    assert_int_equal(pr_yreader_open_path(&r, POSTRUN_TEST_DATA "/article_coverage.yaml",
                                       &PR_YLIMITS_KB, &err),
                     POSTRUN_OK);
    assert_int_equal(pr_yreader_next(&r, &doc, &err), POSTRUN_OK);
    const dnode *articles = pr_dn_get(doc.root, "articles");
    assert_non_null(articles);
    assert_int_equal(articles->n / 2, 5);
    static const struct {
        const char *section;
        int kind;
    } sections[] = {{"causes", POSTRUN_KIND_CAUSE},
                    {"recommendations", POSTRUN_KIND_RECOMMENDATION},
                    {"warnings", POSTRUN_KIND_RED_FLAG}};
    size_t checked = 0, missing = 0;
    for (size_t a = 0; a + 1 < articles->n; a += 2) {
        const char *seed = articles->item[a]->str;
        const dnode *art = articles->item[a + 1];
        for (size_t s = 0; s < 3; s++) {
            const dnode *list = pr_dn_get(art, sections[s].section);
            assert_non_null(list);
            assert_true(list->n > 0);
            for (size_t i = 0; i < list->n; i++) {
                const dnode *id = pr_dn_get(list->item[i], "id");
                const dnode *item = pr_dn_get(list->item[i], "item");
                assert_non_null(id);
                const kb_idx *x = pr_kb_find_kind(kb, id->str, sections[s].kind);
                if (!x) {
                    fprintf(stderr, "# %s: %s '%s' -> %s is not in the knowledge base\n", seed,
                            sections[s].section, item ? item->str : "?", id->str);
                    missing++;
                    continue;
                }
                const kb_meta *m = pr_kb_meta_of(kb, x->kind, x->index);
                if (!cites(kb, m, seed)) {
                    fprintf(stderr, "# %s: %s does not cite the article\n", seed, id->str);
                    missing++;
                }
                checked++;
            }
        }
    }
    assert_int_equal(missing, 0);
    assert_true(checked >= 100);
    pr_ydoc_free(&doc);
    pr_yreader_close(&r);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

static void test_every_contract_id_is_defined(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    static const char *const symptoms[] = {"muscles_feel_smaller", "fatigue", "tightness",
                                           "aching", "twitching", "cramps", NULL};
    static const char *const observations[] = {
        "numbness", "tingling", "weakness", "sharp_localized_pain", "swelling", "bruising",
        "cannot_bear_weight", "widespread_twitching", "twitching_disrupts_sleep",
        "persistent_days", "unexplained_weight_loss", "disordered_eating_concern",
        "performance_decline", "frequent_illness", "mood_disturbance", "dark_urine",
        "urine_colour", "confusion", "dizziness", "headache", "nausea", "vomiting", "chest_pain",
        "fainting", "bone_point_tenderness", "pain_on_hopping", "groin_pain_with_limp",
        "new_medication", NULL};
    static const char *const causes[] = {
        "glycogen_depletion", "dehydration", "blood_flow_redistribution", "electrolyte_imbalance",
        "metabolic_byproducts", "muscle_microtrauma", "inflammation", "doms",
        "cardiovascular_strain", "thermoregulatory_strain", "stress_hormones", "central_fatigue",
        "neuromuscular_fatigue", "fascial_restriction", "insufficient_warmup",
        "insufficient_cooldown", "overuse", "muscle_imbalance", "low_blood_sugar",
        "underfuelling", "sleep_debt", "overtraining", "medication_effect",
        "chronic_energy_deficit", NULL};
    static const char *const flags[] = {
        "suspected_hyponatremia", "suspected_rhabdomyolysis", "suspected_heat_illness",
        "cardiac_warning", "suspected_stress_fracture", "possible_injury", "neurological_signs",
        "persistent_symptoms", "overtraining_signs", "unexplained_weight_loss",
        "disordered_eating_concern", "twitching_needs_review", NULL};
    static const char *const areas[] = {"calves", "hamstrings", "quadriceps", "glutes",
                                        "hip_flexors", "feet", "whole_body", NULL};
    const struct {
        const char *const *ids;
        int kind;
    } lists[] = {{symptoms, POSTRUN_KIND_SYMPTOM},       {observations, POSTRUN_KIND_OBSERVATION},
                 {causes, POSTRUN_KIND_CAUSE},           {flags, POSTRUN_KIND_RED_FLAG},
                 {areas, POSTRUN_KIND_BODY_AREA}};
    for (size_t l = 0; l < 5; l++)
        for (size_t i = 0; lists[l].ids[i]; i++)
            if (!pr_kb_find_kind(kb, lists[l].ids[i], lists[l].kind))
                fail_msg("contract id %s is missing", lists[l].ids[i]);
    assert_int_equal(pr_kb_observation_type(kb, pr_kb_observation_index(kb, "persistent_days"), NULL,
                                         NULL),
                     OBS_COUNT);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

static void open_yaml(yreader *r, ydoc *doc, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", POSTRUN_TEST_DATA, name);
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(pr_yreader_open_path(r, path, &PR_YLIMITS_KB, &err), POSTRUN_OK);
    assert_int_equal(pr_yreader_next(r, doc, &err), POSTRUN_OK);
    postrun_error_clear(&err);
}

/* True when some source of @p m is not one of the articles (the keys of @p articles). */
static bool cites_beyond(const postrun_kb *kb, const kb_meta *m, const dnode *articles)
{
    for (uint32_t i = 0; i < m->n_src; i++) {
        const char *id = kb->sources[kb->src_refs[m->src_first + i]].m.id;
        bool article = false;
        for (size_t a = 0; a + 1 < articles->n; a += 2)
            article = article || strcmp(articles->item[a]->str, id) == 0;
        if (!article)
            return true;
    }
    return false;
}

static void test_medical_warnings_and_advice_cite_research(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    yreader r;
    ydoc doc;
    open_yaml(&r, &doc, "article_coverage.yaml");
    const dnode *articles = pr_dn_get(doc.root, "articles");
    const dnode *medical = pr_dn_get(doc.root, "medical");
    assert_non_null(articles);
    assert_non_null(medical);
    size_t bad = 0, checked = 0;
    /* Every emergency is medical, whether listed or not. */
    for (size_t i = 0; i < kb->n_flags; i++) {
        if (kb->flags[i].urgency != POSTRUN_URGENCY_EMERGENCY)
            continue;
        checked++;
        if (!cites_beyond(kb, &kb->flags[i].m, articles)) {
            fprintf(stderr, "# emergency %s cites only the articles\n", kb->flags[i].m.id);
            bad++;
        }
    }
    static const struct {
        const char *section;
        int kind;
    } sections[] = {{"red_flags", POSTRUN_KIND_RED_FLAG},
                    {"recommendations", POSTRUN_KIND_RECOMMENDATION}};
    for (size_t s = 0; s < 2; s++) {
        const dnode *list = pr_dn_get(medical, sections[s].section);
        assert_non_null(list);
        assert_true(list->n > 0);
        for (size_t i = 0; i < list->n; i++) {
            const kb_idx *x = pr_kb_find_kind(kb, list->item[i]->str, sections[s].kind);
            if (!x) {
                fprintf(stderr, "# medical %s is not in the knowledge base\n",
                        list->item[i]->str);
                bad++;
                continue;
            }
            checked++;
            if (!cites_beyond(kb, pr_kb_meta_of(kb, x->kind, x->index), articles)) {
                fprintf(stderr, "# medical %s cites only the articles\n", list->item[i]->str);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
    assert_true(checked >= 13);
    pr_ydoc_free(&doc);
    pr_yreader_close(&r);
    postrun_kb_free(kb);
}

static bool in_list(const dnode *list, const char *id)
{
    for (size_t i = 0; list && i < list->n; i++)
        if (strcmp(list->item[i]->str, id) == 0)
            return true;
    return false;
}

static void test_each_article_scenario_gets_the_article_advice_first(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    yreader r;
    ydoc doc;
    open_yaml(&r, &doc, "article_scenarios.yaml");
    const dnode *articles = pr_dn_get(doc.root, "articles");
    assert_non_null(articles);
    assert_int_equal(articles->n / 2, 5);
    size_t scenarios = 0, advice = 0, warnings = 0, bad = 0;
    for (size_t k = 0; k + 1 < articles->n; k += 2) {
        const char *seed = articles->item[k]->str;
        const dnode *list = articles->item[k + 1];
        assert_true(list->n >= 3); /* several scenarios per article */
        for (size_t s = 0; s < list->n; s++) {
            const dnode *sc = list->item[s];
            const dnode *file = pr_dn_get(sc, "run");
            const dnode *six = pr_dn_get(sc, "first_six");
            const dnode *flags = pr_dn_get(sc, "red_flags");
            const dnode *not_six = pr_dn_get(sc, "not_first_six");
            assert_non_null(file);
            assert_non_null(six);
            assert_non_null(flags);
            char path[512];
            snprintf(path, sizeof path, "%s/scenarios/%s", POSTRUN_TEST_DATA, file->str);
            postrun_run *run = NULL;
            if (postrun_run_load_file(&run, kb, path, &err) != POSTRUN_OK)
                fail_msg("%s: %s", file->str, err.message);
            assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
            scenarios++;
            /* The first six of the ordered list: what the runner sees first. */
            const char *first[6] = {0};
            size_t n = postrun_assessment_recommendation_count(a);
            for (size_t i = 0; i < n && i < 6; i++) {
                postrun_recommendation rec = POSTRUN_RECOMMENDATION_INIT;
                assert_int_equal(postrun_assessment_recommendation(a, i, &rec), POSTRUN_OK);
                first[i] = rec.id;
            }
            for (size_t j = 0; j < six->n; j++) {
                bool found = false;
                for (size_t i = 0; i < 6 && first[i]; i++)
                    found = found || strcmp(first[i], six->item[j]->str) == 0;
                advice++;
                if (!found) {
                    fprintf(stderr, "# %s %s: %s is not among the first six\n", seed,
                            file->str, six->item[j]->str);
                    bad++;
                }
            }
            for (size_t i = 0; i < 6 && first[i]; i++)
                if (in_list(not_six, first[i])) {
                    fprintf(stderr, "# %s %s: %s crowds the first six\n", seed, file->str,
                            first[i]);
                    bad++;
                }
            for (size_t j = 0; j < flags->n; j++) {
                bool found = false;
                for (size_t i = 0; i < postrun_assessment_red_flag_count(a); i++) {
                    postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
                    assert_int_equal(postrun_assessment_red_flag(a, i, &f), POSTRUN_OK);
                    found = found || strcmp(f.id, flags->item[j]->str) == 0;
                }
                warnings++;
                if (!found) {
                    fprintf(stderr, "# %s %s: red flag %s is not raised\n", seed, file->str,
                            flags->item[j]->str);
                    bad++;
                }
            }
            postrun_run_free(run);
        }
    }
    assert_int_equal(bad, 0);
    assert_true(scenarios >= 15);
    assert_true(advice >= 40);
    assert_true(warnings >= 8);
    pr_ydoc_free(&doc);
    pr_yreader_close(&r);
    postrun_assessment_free(a);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_of_every_article_is_in_the_knowledge_base),
        cmocka_unit_test(test_medical_warnings_and_advice_cite_research),
        cmocka_unit_test(test_each_article_scenario_gets_the_article_advice_first),
        cmocka_unit_test(test_every_contract_id_is_defined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
