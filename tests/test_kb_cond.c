/*
 * Conditions (lib/kb_cond.c compiles them, lib/kb_cond_eval.c evaluates them): each form
 * (metric, all, any, not, symptom) holds exactly when it should on both sides of its
 * threshold, and two conditions that test the same thing share one compiled node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "assess_impl.h"

#define RULE(id, cond)                                                                          \
    "  - id: " id "\n    name: T\n    description: T.\n    cause: dehydration\n"               \
    "    weight: 0.1\n    sources: [seed-000]\n    when: " cond "\n"

static const char OVERLAY[] =
    "postrun_overlay: 1\nrules:\n"
    RULE("t_metric", "{metric: run.duration_min, ge: 60}")
    RULE("t_shared", "{metric: run.duration_min, ge: 60}")
    RULE("t_all", "{all: [{metric: run.duration_min, ge: 60}, "
                  "{metric: environment.temperature_c, gt: 25}]}")
    RULE("t_any", "{any: [{metric: run.duration_min, ge: 60}, "
                  "{metric: environment.temperature_c, gt: 25}]}")
    RULE("t_not", "{not: {metric: run.duration_min, ge: 60}}")
    RULE("t_symptom", "{symptom: cramps, min_severity: 5}");

static postrun_kb *g_kb;

static int group_setup(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    postrun_status rc = postrun_kb_builder_new(&b, &err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_add_default(b, &err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_add_overlay_string(b, "o.yaml", OVERLAY, strlen(OVERLAY), &err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_build(b, &g_kb, &err);
    for (size_t i = 0; i < postrun_error_count(&err); i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(&err, i), line, sizeof line);
        fprintf(stderr, "# %s\n", line);
    }
    postrun_kb_builder_free(b);
    postrun_error_clear(&err);
    return rc == POSTRUN_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    postrun_kb_free(g_kb);
    return 0;
}

static uint32_t rule_cond(const char *id)
{
    const kb_idx *x = pr_kb_find_kind(g_kb, id, POSTRUN_KIND_RULE);
    assert_non_null(x);
    return g_kb->rules[x->index].cond;
}

/* Whether rule `id`'s condition holds for a run of `minutes` at `celsius` with cramps of
 * `severity` (0: none reported). */
static bool holds(const char *id, int minutes, int celsius, int severity)
{
    char text[512];
    int n = snprintf(text, sizeof text,
                     "postrun: 1\nathlete: {body_mass_kg: 60}\n"
                     "run: {duration_min: %d, intensity: easy}\n"
                     "environment: {temperature_c: %d}\n",
                     minutes, celsius);
    if (severity)
        snprintf(text + n, sizeof text - (size_t)n, "symptoms: [{id: cramps, severity: %d}]\n",
                 severity);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_parse(&run, g_kb, text, strlen(text), "r", &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    eval_ctx c;
    pr_assess_ctx(a, &c, NULL);
    bool t = pr_cond_eval(&c, rule_cond(id));
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_error_clear(&err);
    return t;
}

static void test_a_metric_comparison_holds_from_its_threshold_on(void **state)
{
    (void)state;
    assert_false(holds("t_metric", 59, 15, 0));
    assert_true(holds("t_metric", 60, 15, 0));
    assert_true(holds("t_metric", 90, 15, 0));
}

static void test_all_any_and_not_combine_their_parts(void **state)
{
    (void)state;
    /* long and hot, long only, hot only, neither */
    assert_true(holds("t_all", 90, 30, 0));
    assert_false(holds("t_all", 90, 15, 0));
    assert_false(holds("t_all", 30, 30, 0));
    assert_true(holds("t_any", 90, 15, 0));
    assert_true(holds("t_any", 30, 30, 0));
    assert_false(holds("t_any", 30, 15, 0));
    assert_true(holds("t_not", 30, 15, 0));
    assert_false(holds("t_not", 90, 15, 0));
}

static void test_a_symptom_condition_needs_its_severity(void **state)
{
    (void)state;
    assert_false(holds("t_symptom", 30, 15, 0));
    assert_false(holds("t_symptom", 30, 15, 4));
    assert_true(holds("t_symptom", 30, 15, 5));
}

static void test_conditions_that_test_the_same_thing_share_a_node(void **state)
{
    (void)state;
    assert_int_equal(rule_cond("t_metric"), rule_cond("t_shared"));
    assert_true(rule_cond("t_metric") != rule_cond("t_not"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_metric_comparison_holds_from_its_threshold_on),
        cmocka_unit_test(test_all_any_and_not_combine_their_parts),
        cmocka_unit_test(test_a_symptom_condition_needs_its_severity),
        cmocka_unit_test(test_conditions_that_test_the_same_thing_share_a_node),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
