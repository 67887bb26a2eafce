/*
 * The bundled knowledge base covers the five source articles: every cause, recommendation and
 * warning sign listed in tests/data/article_coverage.yaml (written from the articles) exists,
 * is of the right kind, and cites its article.
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
    assert_int_equal(yreader_open_path(&r, POSTRUN_TEST_DATA "/article_coverage.yaml",
                                       &YLIMITS_KB, &err),
                     POSTRUN_OK);
    assert_int_equal(yreader_next(&r, &doc, &err), POSTRUN_OK);
    const dnode *articles = dn_get(doc.root, "articles");
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
            const dnode *list = dn_get(art, sections[s].section);
            assert_non_null(list);
            assert_true(list->n > 0);
            for (size_t i = 0; i < list->n; i++) {
                const dnode *id = dn_get(list->item[i], "id");
                const dnode *item = dn_get(list->item[i], "item");
                assert_non_null(id);
                const kb_idx *x = kb_find_kind(kb, id->str, sections[s].kind);
                if (!x) {
                    fprintf(stderr, "# %s: %s '%s' -> %s is not in the knowledge base\n", seed,
                            sections[s].section, item ? item->str : "?", id->str);
                    missing++;
                    continue;
                }
                const kb_meta *m = kb_meta_of(kb, x->kind, x->index);
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
    ydoc_free(&doc);
    yreader_close(&r);
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
            if (!kb_find_kind(kb, lists[l].ids[i], lists[l].kind))
                fail_msg("contract id %s is missing", lists[l].ids[i]);
    assert_int_equal(kb_observation_type(kb, kb_observation_index(kb, "persistent_days"), NULL,
                                         NULL),
                     OBS_COUNT);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_of_every_article_is_in_the_knowledge_base),
        cmocka_unit_test(test_every_contract_id_is_defined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
