/*
 * Dose formulas and text templates (lib/kb_expr.c compiles them, lib/kb_expr_eval.c
 * evaluates them): the corners the bundled knowledge base does not reach (clamp, min, max,
 * rounding to a step, division by zero, unknown values, escaped braces, long literal text),
 * through an overlay and a whole assessment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postrun.h"

#define OV "postrun_overlay: 1\n"

static void dump(const postrun_error *err)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        fprintf(stderr, "# %s\n", line);
    }
}

/* Builds the bundled files plus one overlay. */
static postrun_status build_with(const char *text, bool overlay, postrun_error *err,
                                 postrun_kb **out)
{
    postrun_kb_builder *b = NULL;
    postrun_status rc = postrun_kb_builder_new(&b, err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_add_default(b, err);
    if (rc == POSTRUN_OK)
        rc = overlay ? postrun_kb_builder_add_overlay_string(b, "overlay.yaml", text,
                                                             strlen(text), err)
                     : postrun_kb_builder_add_string(b, "base.yaml", text, strlen(text), err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_build(b, out, err);
    postrun_kb_builder_free(b);
    return rc;
}

static void test_formula_and_template_corners_evaluate_sensibly(void **state)
{
    (void)state;
    static const char overlay[] =
        OV "recommendations:\n"
        "  - id: t_corners\n"
        "    name: Corners\n"
        "    description: Formulas at their edges.\n"
        "    when: today\n"
        "    priority: 99\n"
        "    sources: [seed-000]\n"
        "    doses:\n"
        "      a_ml: \"clamp(run.duration_min * 10, 100, 200)\"\n"
        "      b_ml: \"clamp(1, 100, 200) + min(3, 2, 1) - max(-1, -2)\"\n"
        "      c_ml: \"round(a_ml / 3) + round(b_ml, 5) + -(-1) + param.c_flat.low * 0\"\n"
        "      d_ml: 250\n"
        "    text: >-\n"
        "      {{literal}} {a_ml} {b_ml:0} {c_ml:2} {d_ml} {param.c_flat} {param.c_flat:1}\n"
        "      {fluid.sweat_loss_l.low} {fluid.sweat_loss_l.high} {run.intensity}\n"
        "      {intake.fasted} {load.acwr} {environment.sun} and a long literal tail that goes\n"
        "      on well past the literal buffer of the template compiler, so that it has to\n"
        "      flush it in the middle: lorem ipsum dolor sit amet, consectetur adipiscing elit,\n"
        "      sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad\n"
        "      minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea\n"
        "      commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit\n"
        "      esse cillum dolore eu fugiat nulla pariatur {{ }} end.\n"
        "  - id: t_divide\n"
        "    name: Divide by zero\n"
        "    description: A dose that cannot be computed is left out.\n"
        "    when: today\n"
        "    priority: 98\n"
        "    sources: [seed-000]\n"
        "    doses:\n"
        "      x_ml: \"1 / (run.elevation_gain_m * 0)\"\n"
        "    text: \"{x_ml}\"\n";
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_status rc = build_with(overlay, true, &err, &kb);
    if (rc != POSTRUN_OK)
        dump(&err);
    assert_int_equal(rc, POSTRUN_OK);
    static const char run_text[] = "postrun: 1\nathlete: {body_mass_kg: 60}\n"
                                   "run: {duration_min: 30, intensity: easy}\n"
                                   "intake: {fasted: true}\n";
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_parse(&run, kb, run_text, strlen(run_text), "r", &err),
                     POSTRUN_OK);
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    bool corners = false, divide = false;
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(a, i, &r), POSTRUN_OK);
        if (strcmp(r.id, "t_corners") == 0) {
            corners = true;
            const char *name;
            double v;
            assert_int_equal(postrun_assessment_recommendation_dose(a, i, 0, &name, &v),
                             POSTRUN_OK);
            assert_string_equal(name, "a_ml");
            assert_true(v == 200);
            assert_int_equal(postrun_assessment_recommendation_dose(a, i, 1, &name, &v),
                             POSTRUN_OK);
            assert_true(v == 100 + 1 + 1);
            assert_non_null(strstr(r.text, "{literal}"));
            assert_non_null(strstr(r.text, "easy"));
            assert_non_null(strstr(r.text, "yes"));
            assert_non_null(strstr(r.text, "unknown")); /* load.acwr has no value */
            assert_non_null(strstr(r.text, "{ } end."));
        }
        divide |= strcmp(r.id, "t_divide") == 0;
    }
    assert_true(corners);
    assert_false(divide); /* its dose cannot be computed */
    char *out = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_TEXT, POSTRUN_RENDER_EXPLAIN,
                                               &out, NULL, &err),
                     POSTRUN_OK);
    postrun_free(out);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

/* round() as the formulas define it: halves away from zero, for negative values too, and a
 * step. Written from the definition (C's round()), not from the implementation. */
static void test_round_takes_halves_away_from_zero(void **state)
{
    (void)state;
    static const char overlay[] =
        OV "recommendations:\n"
        "  - id: t_round\n"
        "    name: Rounding\n"
        "    description: Halves.\n"
        "    when: today\n"
        "    priority: 99\n"
        "    sources: [seed-000]\n"
        "    doses:\n"
        "      a_ml: \"round(run.duration_min / 60)\"\n"
        "      b_ml: \"round(0 - 2.5) + 10\"\n"
        "      c_ml: \"round(12.5, 5)\"\n"
        "      d_ml: \"round(0 - 2.4999) + 10\"\n"
        "      e_ml: \"round(1e17 + 0.5)\"\n"
        "    text: \"{a_ml} set by {energy.intensity_source}.\"\n";
    static const double want[] = {1, 7, 15, 8, 1e17};
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_status rc = build_with(overlay, true, &err, &kb);
    if (rc != POSTRUN_OK)
        dump(&err);
    assert_int_equal(rc, POSTRUN_OK);
    static const char run_text[] = "postrun: 1\nathlete: {body_mass_kg: 60, max_hr_bpm: 190}\n"
                                   "run: {duration_min: 30, avg_hr_bpm: 140}\n";
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_parse(&run, kb, run_text, strlen(run_text), "r", &err),
                     POSTRUN_OK);
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_set_limit(a, 0), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    bool found = false;
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(a, i, &r), POSTRUN_OK);
        if (strcmp(r.id, "t_round") != 0)
            continue;
        found = true;
        /* an enumerated word in a sentence reads as words */
        assert_string_equal(r.text, "1 set by heart rate.");
        for (size_t d = 0; d < sizeof want / sizeof *want; d++) {
            const char *name;
            double v;
            assert_int_equal(postrun_assessment_recommendation_dose(a, i, d, &name, &v),
                             POSTRUN_OK);
            if (v != want[d])
                fail_msg("dose %s: %.17g, expected %.17g", name, v, want[d]);
        }
    }
    assert_true(found);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_and_template_corners_evaluate_sensibly),
        cmocka_unit_test(test_round_takes_halves_away_from_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
