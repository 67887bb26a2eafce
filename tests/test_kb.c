/* Knowledge-base loading, validation, overlays and compiled lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "assess_impl.h"
#include "kb.h"

#define DATA POSTRUN_TEST_DATA "/kb/"

/* The problem of `err` with this code, or NULL. */
static const postrun_error *find_problem(const postrun_error *err, postrun_status code,
                                         postrun_severity sev)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        const postrun_error *p = postrun_error_at(err, i);
        if (p->code == code && p->severity == sev)
            return p;
    }
    return NULL;
}

static void dump(const postrun_error *err)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        fprintf(stderr, "# %s\n", line);
    }
}

static void test_the_bundled_knowledge_base_loads_without_problems(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_status s = postrun_kb_load_default(&kb, &err);
    dump(&err);
    assert_int_equal(s, POSTRUN_OK);
    assert_int_equal(postrun_error_count(&err), 0); /* not even a warning */
    assert_true(postrun_kb_count(kb, POSTRUN_KIND_CAUSE) >= 24);
    assert_true(postrun_kb_count(kb, POSTRUN_KIND_RED_FLAG) >= 12);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

static void test_data_directory_loads_like_the_embedded_copy(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *a = NULL, *b = NULL;
    assert_int_equal(postrun_kb_load(&a, POSTRUN_SOURCE_ROOT "/data", NULL, 0, &err), POSTRUN_OK);
    assert_int_equal(postrun_error_count(&err), 0);
    assert_int_equal(postrun_kb_load_default(&b, &err), POSTRUN_OK);
    for (int k = 0; k <= POSTRUN_KIND_NOTE; k++) {
        assert_int_equal(postrun_kb_count(a, k), postrun_kb_count(b, k));
        for (size_t i = 0; i < postrun_kb_count(a, k); i++)
            assert_string_equal(postrun_kb_id(a, k, i), postrun_kb_id(b, k, i));
    }
    postrun_kb_free(a);
    postrun_kb_free(b);
    postrun_error_clear(&err);
}

static void test_the_embedded_copy_equals_data_byte_for_byte(void **state)
{
    (void)state;
    assert_true(PR_EMBEDDED_KB_COUNT >= 8);
    for (size_t i = 0; i < PR_EMBEDDED_KB_COUNT; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/data/%s", POSTRUN_SOURCE_ROOT, PR_EMBEDDED_KB[i].name);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        fseek(fp, 0, SEEK_END);
        long n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
        fclose(fp);
        assert_int_equal((size_t)n, PR_EMBEDDED_KB[i].len);
        assert_memory_equal(buf, PR_EMBEDDED_KB[i].text, (size_t)n);
        free(buf);
    }
}

typedef struct bad_case {
    const char *file;
    int base; /* added as a base file instead of an overlay */
    postrun_status code;
    postrun_severity sev;
    uint32_t line, col;
    const char *field;   /* substring of the field, NULL = not checked */
    const char *message; /* substring of the message */
} bad_case;

static const bad_case BAD[] = {
    {"bad_syntax.yaml", 0, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, 5, 1, NULL, "expected"},
    {"bad_unknown_section.yaml", 0, POSTRUN_ERR_UNKNOWN_KEY, POSTRUN_SEVERITY_ERROR, 2, 1, "cuases", "did you mean 'causes'"},
    {"bad_unknown_key.yaml", 0, POSTRUN_ERR_UNKNOWN_KEY, POSTRUN_SEVERITY_ERROR, 4, 5, "glycogen_depletion.prio", "did you mean 'prior'"},
    {"bad_duplicate_id.yaml", 1, POSTRUN_ERR_DUPLICATE, POSTRUN_SEVERITY_ERROR, 3, 9, "id", "already defined"},
    {"bad_dangling_reference.yaml", 0, POSTRUN_ERR_UNKNOWN_ID, POSTRUN_SEVERITY_ERROR, 6, 12, "rule_with_unknown_cause.cause", "did you mean 'glycogen_depletion'"},
    {"bad_unknown_metric.yaml", 0, POSTRUN_ERR_UNKNOWN_ID, POSTRUN_SEVERITY_ERROR, 8, 20, "rule_with_unknown_metric.when", "did you mean 'fluid.sweat_loss_l'"},
    {"bad_parameter_range.yaml", 0, POSTRUN_ERR_RANGE, POSTRUN_SEVERITY_ERROR, 4, 12, "c_flat.value", "outside its own range"},
    {"bad_parameter_dist.yaml", 0, POSTRUN_ERR_VALUE, POSTRUN_SEVERITY_ERROR, 4, 11, "c_flat.dist", "expected one of: normal, lognormal, uniform"},
    {"bad_parameter_dist_exact.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 4, 11, "scale_resolution_kg.dist", "needs 'low' and 'high'"},
    {"bad_parameter_dist_lognormal.yaml", 0, POSTRUN_ERR_RANGE, POSTRUN_SEVERITY_ERROR, 5, 10, "sweat_potassium_mmol_l.low", "must be positive"},
    {"bad_curve.yaml", 0, POSTRUN_ERR_RANGE, POSTRUN_SEVERITY_ERROR, 6, 24, "my_curve.points", "must increase"},
    {"bad_missing_name.yaml", 0, POSTRUN_ERR_MISSING, POSTRUN_SEVERITY_ERROR, 3, 9, "nameless_misconception.name", "needs the field 'name'"},
    {"bad_unlinked_symptom.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 3, 9, "itchy_ears", "no cause links"},
    {"bad_unaddressed_cause.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 3, 9, "lonely_cause", "no recommendation addresses"},
    {"bad_formula.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 10, 17, "bad_formula_rec.doses.fluid_ml", "ends too early"},
    {"bad_template.yaml", 0, POSTRUN_ERR_UNKNOWN_ID, POSTRUN_SEVERITY_ERROR, 9, 11, "bad_template_rec.text", "{fluid_litres}"},
    {"bad_kind_change.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 3, 9, "id", "cannot redefine it as a rule"},
    {"bad_disable_needed.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 0, 0, NULL, "'dehydration' is disabled"},
    {"bad_disable_unknown.yaml", 0, POSTRUN_ERR_UNKNOWN_ID, POSTRUN_SEVERITY_ERROR, 2, 11, "disable", "no_such_entry"},
    {"bad_wrong_type.yaml", 0, POSTRUN_ERR_TYPE, POSTRUN_SEVERITY_ERROR, 4, 12, "glycogen_depletion.prior", "finite number"},
    {"bad_withdraws.yaml", 0, POSTRUN_ERR_UNKNOWN_ID, POSTRUN_SEVERITY_ERROR, 9, 17, "flag_withdrawing_nothing.withdraws", "did you mean 'drink'"},
    {"bad_condition.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, 8, 11, "rule_with_two_forms.when", "exactly one"},
    {"bad_enum_word.yaml", 0, POSTRUN_ERR_VALUE, POSTRUN_SEVERITY_ERROR, 8, 39, "rule_with_bad_word.when", "sprint"},
    {"unused_source.yaml", 0, POSTRUN_ERR_KB, POSTRUN_SEVERITY_WARNING, 3, 9, "uncited-2020", "not used"},
};

static void test_every_broken_knowledge_base_is_reported_at_its_place(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_case *c = &BAD[i];
        char path[1024];
        snprintf(path, sizeof path, "%s%s", DATA, c->file);
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_kb_builder *b = NULL;
        postrun_kb *kb = NULL;
        assert_int_equal(postrun_kb_builder_new(&b, &err), POSTRUN_OK);
        assert_int_equal(postrun_kb_builder_add_default(b, &err), POSTRUN_OK);
        postrun_status s = c->base ? postrun_kb_builder_add_path(b, path, &err)
                                   : postrun_kb_builder_add_overlay(b, path, &err);
        assert_int_equal(s, POSTRUN_OK);
        s = postrun_kb_builder_build(b, &kb, &err);
        const postrun_error *p = find_problem(&err, c->code, c->sev);
        if (!p || (c->line && (p->line != c->line || p->column != c->col)) ||
            (c->field && !strstr(p->field, c->field)) || !strstr(p->message, c->message)) {
            fprintf(stderr, "# case %s:\n", c->file);
            dump(&err);
            fail_msg("%s: expected code %d at %u:%u", c->file, c->code, c->line, c->col);
        }
        if (c->line)
            assert_non_null(strstr(p->file, c->file));
        if (c->sev == POSTRUN_SEVERITY_ERROR) {
            assert_int_not_equal(s, POSTRUN_OK);
            assert_null(kb);
        } else {
            assert_int_equal(s, POSTRUN_OK);
            assert_non_null(kb);
        }
        postrun_kb_free(kb);
        postrun_kb_builder_free(b);
        postrun_error_clear(&err);
    }
}

/* Builds a knowledge base from one file, "mini.yaml", holding `yaml` alone. */
static postrun_status build_mini(const char *yaml, postrun_kb **kb, postrun_error *err)
{
    postrun_kb_builder *b = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_string(b, "mini.yaml", yaml, strlen(yaml), err),
                     POSTRUN_OK);
    postrun_status s = postrun_kb_builder_build(b, kb, err);
    postrun_kb_builder_free(b);
    return s;
}

static void test_a_knowledge_base_without_model_parameters_is_refused(void **state)
{
    (void)state;
    const char *y = "postrun_kb: 1\n"
                    "sources:\n  - {id: s1, title: T, published: P}\n";
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(build_mini(y, &kb, &err), POSTRUN_ERR_KB);
    const postrun_error *p = find_problem(&err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR);
    assert_non_null(p);
    assert_non_null(strstr(p->message, "the models need"));
    assert_null(kb);
    postrun_error_clear(&err);
}

/* A parameter the models need in the wrong shape is reported at its entry; one that no file
 * defines, in the file that holds the parameters. */
static void test_a_model_parameter_of_the_wrong_shape_is_reported_at_its_line(void **state)
{
    (void)state;
    const char *y = "postrun_kb: 1\n"
                    "sources:\n  - {id: s1, title: T, published: P}\n"
                    "parameters:\n"
                    "  - id: sweat_sodium_mmol_l\n"
                    "    name: Sweat sodium\n"
                    "    description: D\n"
                    "    points: [[1, 2], [3, 4]]\n"
                    "    sources: [s1]\n";
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(build_mini(y, &kb, &err), POSTRUN_ERR_KB);
    assert_null(kb);
    const postrun_error *shape = NULL, *absent = NULL;
    for (size_t i = 0; i < postrun_error_count(&err); i++) {
        const postrun_error *p = postrun_error_at(&err, i);
        if (strcmp(p->field, "sweat_sodium_mmol_l.value") == 0)
            shape = p;
        if (strcmp(p->field, "hrmax_intercept_bpm.value") == 0)
            absent = p;
    }
    assert_non_null(shape);
    assert_string_equal(shape->file, "mini.yaml");
    assert_int_equal(shape->line, 5);
    assert_int_equal(shape->column, 9);
    assert_non_null(strstr(shape->message, "needs a value, not points"));
    assert_non_null(absent);
    assert_string_equal(absent->file, "mini.yaml");
    assert_non_null(strstr(absent->message, "no file defines it"));
    postrun_error_clear(&err);
}

static void test_an_overlay_changes_a_parameter_and_adds_a_recommendation(void **state)
{
    (void)state;
    const char *overlay[] = {POSTRUN_SOURCE_ROOT "/examples/kb-overlay/coach.yaml"};
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL, *plain = NULL;
    postrun_status s = postrun_kb_load(&kb, NULL, overlay, 1, &err);
    dump(&err);
    assert_int_equal(s, POSTRUN_OK);
    assert_int_equal(postrun_kb_load_default(&plain, &err), POSTRUN_OK);
    double v, lo, hi, v0;
    assert_int_equal(postrun_kb_parameter(kb, "sweat_sodium_mmol_l", &v, &lo, &hi), POSTRUN_OK);
    assert_int_equal(postrun_kb_parameter(plain, "sweat_sodium_mmol_l", &v0, NULL, NULL),
                     POSTRUN_OK);
    assert_true(v == 50);
    assert_true(v0 != 50);
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    assert_int_equal(postrun_kb_entry(kb, "coach_recovery_shake", &info), POSTRUN_OK);
    assert_int_equal(info.kind, POSTRUN_KIND_RECOMMENDATION);
    assert_non_null(strstr(info.file, "coach.yaml"));
    assert_int_equal(postrun_kb_entry(plain, "coach_recovery_shake", &info),
                     POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_kb_count(kb, POSTRUN_KIND_RECOMMENDATION),
                     postrun_kb_count(plain, POSTRUN_KIND_RECOMMENDATION) + 1);
    postrun_kb_free(kb);
    postrun_kb_free(plain);
    postrun_error_clear(&err);
}

/* Builds the bundled knowledge base with `overlay` (YAML text) on top. */
static postrun_status with_overlay(const char *overlay, postrun_kb **kb, postrun_error *err)
{
    postrun_kb_builder *b = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_default(b, err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_overlay_string(b, "o.yaml", overlay, strlen(overlay), err),
                     POSTRUN_OK);
    postrun_status s = postrun_kb_builder_build(b, kb, err);
    postrun_kb_builder_free(b);
    return s;
}

static void test_an_overlay_can_disable_an_unreferenced_entry(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_status s = with_overlay("postrun_overlay: 1\ndisable: [lactate_not_doms]\n", &kb, &err);
    dump(&err);
    assert_int_equal(s, POSTRUN_OK);
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    assert_int_equal(postrun_kb_entry(kb, "lactate_not_doms", &info), POSTRUN_ERR_NOT_FOUND);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

static void test_an_overlay_can_replace_a_text(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(with_overlay("postrun_overlay: 1\ncauses:\n  - id: dehydration\n"
                                  "    name: Not enough water\n", &kb, &err),
                     POSTRUN_OK);
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    assert_int_equal(postrun_kb_entry(kb, "dehydration", &info), POSTRUN_OK);
    assert_string_equal(info.name, "Not enough water");
    assert_true(strlen(info.description) > 10); /* kept from the base file */
    assert_string_equal(info.file, "o.yaml");
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

/*
 * Assessments compute the glycogen, electrolyte and muscle-water intervals only when read,
 * unless a condition or formula reads them: then at once, before the conditions. Either way a
 * reader sees the same numbers.
 */
static void test_intervals_are_complete_whenever_read_and_eager_when_rules_read_them(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *plain = NULL, *eager = NULL;
    assert_int_equal(postrun_kb_load_default(&plain, &err), POSTRUN_OK);
    assert_false(plain->eager_intervals);
    assert_int_equal(with_overlay("postrun_overlay: 1\nrules:\n"
                                  "  - id: glycogen_low_muscle_store\n"
                                  "    when: {metric: glycogen.muscle_remaining_pct.high, lt: 50}\n",
                                  &eager, &err),
                     POSTRUN_OK);
    dump(&err);
    assert_true(eager->eager_intervals);
    postrun_kb *kbs[] = {plain, eager};
    for (int i = 0; i < 2; i++) {
        postrun_run *run = NULL;
        assert_int_equal(postrun_run_load_file(&run, kbs[i], POSTRUN_SOURCE_ROOT
                                               "/examples/runs/01_warm_long_run_muscles_smaller.yaml",
                                               &err),
                         POSTRUN_OK);
        postrun_assessment *a = NULL;
        assert_int_equal(postrun_assessment_new(&a, kbs[i], &err), POSTRUN_OK);
        assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
        /* before anything reads them, the lazy intervals are not there unless eager */
        tri raw = a->metric[RF_COUNT + M_MUSCLE_REMAINING_PCT];
        assert_true(i == 0 ? raw.lo == raw.hi : raw.lo < raw.hi);
        postrun_range r;
        assert_int_equal(postrun_assessment_metric(a, "glycogen.muscle_remaining_pct", &r),
                         POSTRUN_OK);
        assert_true(r.low < r.expected && r.expected < r.high);
        assert_int_equal(postrun_assessment_metric(a, "fluid.sodium_loss_mg", &r), POSTRUN_OK);
        assert_true(r.low < r.expected && r.expected < r.high);
        postrun_assessment_free(a);
        postrun_run_free(run);
    }
    postrun_kb_free(plain);
    postrun_kb_free(eager);
    postrun_error_clear(&err);
}

static void test_a_base_file_given_as_overlay_is_refused(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(with_overlay("postrun_kb: 1\n", &kb, &err), POSTRUN_ERR_KB);
    assert_non_null(strstr(err.message, "given as an overlay"));
    assert_null(kb);
    postrun_error_clear(&err);
}

static void test_missing_files_are_io_errors_naming_the_path(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load(&kb, "/nonexistent/kb", NULL, 0, &err), POSTRUN_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/kb");
    assert_null(kb);
    const char *ov[] = {"/nonexistent/overlay.yaml"};
    assert_int_equal(postrun_kb_load(&kb, NULL, ov, 1, &err), POSTRUN_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/overlay.yaml");
    assert_int_equal(postrun_kb_load(NULL, NULL, NULL, 0, &err), POSTRUN_ERR_ARGUMENT);
    postrun_error_clear(&err);
}

static void test_compiled_lookups_resolve_ids_and_metrics(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    assert_true(pr_kb_symptom_index(kb, "cramps") >= 0);
    assert_int_equal(pr_kb_symptom_index(kb, "dehydration"), -1); /* a cause, not a symptom */
    assert_true(pr_kb_observation_index(kb, "urine_colour") >= 0);
    double lo, hi;
    assert_int_equal(pr_kb_observation_type(kb, pr_kb_observation_index(kb, "urine_colour"), &lo, &hi),
                     OBS_SCALE);
    assert_true(lo == 1 && hi == 8);
    unsigned comp;
    assert_int_equal(pr_kb_metric_lookup("fluid.sweat_loss_l.high", &comp),
                     MI_OF_METRIC(M_SWEAT_LOSS_L));
    assert_int_equal(comp, COMP_HI);
    assert_int_equal(pr_kb_metric_lookup("run.duration_min", &comp), RF_DURATION_MIN);
    assert_int_equal(pr_kb_metric_lookup("run.duration_min.low", &comp), -1);
    assert_int_equal(pr_kb_metric_lookup("id", &comp), -1);
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    assert_int_equal(postrun_kb_entry(kb, "suspected_hyponatremia", &info), POSTRUN_OK);
    assert_int_equal(info.kind, POSTRUN_KIND_RED_FLAG);
    assert_true(info.n_sources >= 1);
    const char *key, *title;
    assert_int_equal(postrun_kb_entry_source(kb, "suspected_hyponatremia", 0, &key, &title),
                     POSTRUN_OK);
    assert_true(strlen(title) > 10);
    /* One full stop between the parts, none doubled: "Authors (Year). Title. Published". */
    assert_int_equal(postrun_kb_entry_source(kb, "suspected_rhabdomyolysis", 0, &key, &title),
                     POSTRUN_OK);
    assert_string_equal(key, "clarkson-2007");
    assert_string_equal(title, "Clarkson PM (2007). Exertional rhabdomyolysis and acute renal "
                               "failure in marathon runners. Sports Medicine 37(4-5):361-363");
    assert_int_equal(postrun_kb_entry_source(kb, "suspected_rhabdomyolysis", 1, &key, &title),
                     POSTRUN_OK);
    assert_non_null(strstr(title, "underlying myopathy? BMJ Open Sport"));
    assert_int_equal(postrun_kb_entry_source(kb, "suspected_hyponatremia", 99, &key, &title),
                     POSTRUN_ERR_NOT_FOUND);
    double v, plo, phi;
    assert_int_equal(postrun_kb_parameter(kb, "c_flat", &v, &plo, &phi), POSTRUN_OK);
    assert_true(plo <= v && v <= phi);
    assert_int_equal(postrun_kb_parameter(kb, "cramps", &v, &plo, &phi), POSTRUN_ERR_NOT_FOUND);
    assert_null(postrun_kb_id(kb, POSTRUN_KIND_CAUSE, 9999));
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_bundled_knowledge_base_loads_without_problems),
        cmocka_unit_test(test_data_directory_loads_like_the_embedded_copy),
        cmocka_unit_test(test_the_embedded_copy_equals_data_byte_for_byte),
        cmocka_unit_test(test_every_broken_knowledge_base_is_reported_at_its_place),
        cmocka_unit_test(test_a_knowledge_base_without_model_parameters_is_refused),
        cmocka_unit_test(test_a_model_parameter_of_the_wrong_shape_is_reported_at_its_line),
        cmocka_unit_test(test_an_overlay_changes_a_parameter_and_adds_a_recommendation),
        cmocka_unit_test(test_an_overlay_can_disable_an_unreferenced_entry),
        cmocka_unit_test(test_intervals_are_complete_whenever_read_and_eager_when_rules_read_them),
        cmocka_unit_test(test_an_overlay_can_replace_a_text),
        cmocka_unit_test(test_a_base_file_given_as_overlay_is_refused),
        cmocka_unit_test(test_missing_files_are_io_errors_naming_the_path),
        cmocka_unit_test(test_compiled_lookups_resolve_ids_and_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
