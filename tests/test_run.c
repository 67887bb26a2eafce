/*
 * Run reports from YAML: every invalid fixture of tests/data/runs (one per error class) is
 * reported with its code, line, column and field; the examples parse; shorthand, nulls,
 * defaults, pr_run_resolve() and out-of-memory behaviour.
 */
#include "test_helpers.h"

#include <math.h>

#include "run.h"
#include "vocab.h"
#include "vocab_stub.h"

#define OK_HEAD "postrun: 1\nathlete: {body_mass_kg: 68}\nrun: {duration_min: 45}\n"

static postrun_run *parse(const char *yaml, const postrun_kb *kb, postrun_error *err)
{
    postrun_run *run = NULL;
    postrun_status rc = postrun_run_parse(&run, kb, yaml, strlen(yaml), "test.yaml", err);
    assert_int_equal(rc == POSTRUN_OK, run != NULL);
    return run;
}

/* Loads fixture `name`, which must fail without touching the out-parameter. */
static postrun_status load_bad(const char *name, const postrun_kb *kb, postrun_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/runs/%s", POSTRUN_TEST_DATA, name);
    postrun_run *sentinel = (postrun_run *)(uintptr_t)0x10, *run = sentinel;
    postrun_status rc = postrun_run_load_file(&run, kb, path, err);
    assert_ptr_equal(run, sentinel);
    assert_true(rc < 0);
    assert_int_equal(rc, err->code);
    assert_non_null(strstr(err->file, name));
    return rc;
}

/* One fixture, one expected first problem. */
static void check_fixture(const char *name, const postrun_kb *kb, postrun_status code,
                          uint32_t line, uint32_t column, const char *field, const char *text)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    load_bad(name, kb, &err);
    expect_problem(&err, code, line, column, field, text);
    postrun_error_clear(&err);
}

/* ---- one test per error class ---- */

static void test_syntax_error_gives_line_and_column(void **state)
{
    (void)state;
    check_fixture("bad_syntax.yaml", NULL, POSTRUN_ERR_SYNTAX, 4, 2, "", "did not find");
}

static void test_invalid_utf8_is_a_syntax_error_at_the_bad_byte(void **state)
{
    (void)state;
    check_fixture("bad_utf8.yaml", NULL, POSTRUN_ERR_SYNTAX, 2, 10, "", "UTF-8");
}

static void test_nul_byte_is_refused_where_it_stands(void **state)
{
    (void)state;
    check_fixture("bad_nul_byte.yaml", NULL, POSTRUN_ERR_SYNTAX, 5, 18, "", NULL);
}

static void test_nul_byte_in_a_string_is_refused_where_it_stands(void **state)
{
    (void)state;
    static const char text[] = "postrun: 1\nid: a\0b\n";
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_parse(&run, NULL, text, sizeof text - 1, NULL, &err),
                     POSTRUN_ERR_SYNTAX);
    expect_problem(&err, POSTRUN_ERR_SYNTAX, 2, 6, "", "NUL");
    assert_string_equal(err.file, "<string>");
    postrun_error_clear(&err);
}

static void test_alias_is_refused(void **state)
{
    (void)state;
    check_fixture("bad_alias.yaml", NULL, POSTRUN_ERR_LIMIT, 6, 9, "", "alias");
}

static void test_deep_nesting_is_refused(void **state)
{
    (void)state;
    check_fixture("bad_deep_nesting.yaml", NULL, POSTRUN_ERR_LIMIT, 7, 27, "", "nesting");
}

static void test_mapping_where_a_number_belongs_is_a_type_error(void **state)
{
    (void)state;
    check_fixture("bad_wrong_type.yaml", NULL, POSTRUN_ERR_TYPE, 5, 17, "run.duration_min",
                  "expected a number in 1..2880, got a mapping");
}

static void test_out_of_range_names_the_value_and_the_range(void **state)
{
    (void)state;
    check_fixture("bad_out_of_range.yaml", NULL, POSTRUN_ERR_RANGE, 5, 17, "run.duration_min",
                  "3000 is outside 1..2880");
}

static void test_nan_is_not_a_number_in_range(void **state)
{
    (void)state;
    check_fixture("bad_nan.yaml", NULL, POSTRUN_ERR_RANGE, 3, 17, "athlete.body_mass_kg",
                  "'.nan' is not a finite number");
}

static void test_infinity_is_not_a_number_in_range(void **state)
{
    (void)state;
    check_fixture("bad_inf.yaml", NULL, POSTRUN_ERR_RANGE, 7, 18, "environment.temperature_c",
                  "'-.inf' is not a finite number");
}

static void test_overflowing_number_is_refused(void **state)
{
    (void)state;
    check_fixture("bad_huge_number.yaml", NULL, POSTRUN_ERR_RANGE, 6, 16, "run.distance_km",
                  "'1e400'");
}

static void test_unknown_enum_word_lists_the_words_and_suggests_one(void **state)
{
    (void)state;
    check_fixture("bad_enum_word.yaml", NULL, POSTRUN_ERR_VALUE, 6, 14, "run.intensity",
                  "not one of: easy, steady, tempo, threshold, intervals, race; did you mean "
                  "'tempo'?");
}

static void test_missing_required_field_points_at_its_section(void **state)
{
    (void)state;
    check_fixture("bad_missing_required.yaml", NULL, POSTRUN_ERR_MISSING, 2, 1,
                  "athlete.body_mass_kg", "required");
}

static void test_unknown_key_suggests_the_closest_field(void **state)
{
    (void)state;
    check_fixture("bad_unknown_key.yaml", NULL, POSTRUN_ERR_UNKNOWN_KEY, 6, 3,
                  "run.elevation_gian_m", "did you mean 'elevation_gain_m'?");
}

static void test_duplicate_key_is_reported_with_its_path(void **state)
{
    (void)state;
    check_fixture("bad_duplicate_key.yaml", NULL, POSTRUN_ERR_DUPLICATE, 7, 3, "run.duration_min",
                  "given twice (first at line 5");
}

static void test_unknown_symptom_id_suggests_a_known_one(void **state)
{
    (void)state;
    check_fixture("bad_unknown_symptom.yaml", test_kb(), POSTRUN_ERR_UNKNOWN_ID, 8, 9,
                  "symptoms[1].id", "did you mean 'cramps'?");
}

static void test_unknown_observation_id_suggests_a_known_one(void **state)
{
    (void)state;
    check_fixture("bad_unknown_observation.yaml", test_kb(), POSTRUN_ERR_UNKNOWN_ID, 8, 3,
                  "observations.urine_color", "did you mean 'urine_colour'?");
}

static void test_unknown_body_area_suggests_a_known_one(void **state)
{
    (void)state;
    check_fixture("bad_unknown_body_area.yaml", test_kb(), POSTRUN_ERR_UNKNOWN_ID, 8, 25,
                  "symptoms[0].where[1]", "did you mean 'calves'?");
}

static void test_incomplete_weigh_in_needs_post_kg(void **state)
{
    (void)state;
    check_fixture("bad_weigh_in_incomplete.yaml", NULL, POSTRUN_ERR_MISSING, 6, 1,
                  "weigh_in.post_kg", "pre_kg and post_kg");
}

static void test_symptom_severity_above_ten_is_out_of_range(void **state)
{
    (void)state;
    check_fixture("bad_symptom_severity.yaml", NULL, POSTRUN_ERR_RANGE, 8, 15,
                  "symptoms[0].severity", "11 is outside 0..10");
}

static void test_more_symptoms_than_the_limit_is_an_error(void **state)
{
    (void)state;
    check_fixture("bad_too_many_symptoms.yaml", NULL, POSTRUN_ERR_LIMIT, 23, 5, "symptoms",
                  "more than 16 symptoms");
}

static void test_other_format_version_is_refused_clearly(void **state)
{
    (void)state;
    check_fixture("bad_version.yaml", NULL, POSTRUN_ERR_VALUE, 1, 10, "postrun",
                  "format version 2 is not supported");
}

static void test_fractional_format_version_is_refused(void **state)
{
    (void)state;
    check_fixture("bad_fractional_version.yaml", NULL, POSTRUN_ERR_VALUE, 1, 10, "postrun", "1.5");
}

static void test_number_for_a_yes_no_observation_is_a_type_error(void **state)
{
    (void)state;
    check_fixture("bad_observation_type.yaml", test_kb(), POSTRUN_ERR_TYPE, 7, 13,
                  "observations.numbness", "expected true or false, got 3");
}

static void test_observation_outside_its_scale_is_out_of_range(void **state)
{
    (void)state;
    check_fixture("bad_observation_range.yaml", test_kb(), POSTRUN_ERR_RANGE, 7, 17,
                  "observations.urine_colour", "9 is outside 1..8");
}

static void test_document_that_is_not_a_mapping_is_one_type_error(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    load_bad("bad_not_a_mapping.yaml", NULL, &err);
    expect_problem(&err, POSTRUN_ERR_TYPE, 1, 1, "", "got a list");
    assert_int_equal(postrun_error_count(&err), 1);
    postrun_error_clear(&err);
}

static void test_second_document_is_refused_by_parse(void **state)
{
    (void)state;
    check_fixture("bad_two_documents.yaml", NULL, POSTRUN_ERR_LIMIT, 4, 1, "", "second document");
}

static void test_id_too_long_is_an_error_not_a_truncation(void **state)
{
    (void)state;
    check_fixture("bad_id_too_long.yaml", NULL, POSTRUN_ERR_LIMIT, 2, 5, "id", "200 bytes");
}

static void test_yes_is_not_a_boolean(void **state)
{
    (void)state;
    check_fixture("bad_boolean_word.yaml", NULL, POSTRUN_ERR_TYPE, 7, 11, "intake.fasted",
                  "expected true or false, got 'yes'");
}

static void test_quoted_number_is_a_type_error_with_a_hint(void **state)
{
    (void)state;
    check_fixture("bad_quoted_number.yaml", NULL, POSTRUN_ERR_TYPE, 3, 17, "athlete.body_mass_kg",
                  "without quotes");
}

static void test_symptom_listed_twice_is_a_duplicate(void **state)
{
    (void)state;
    check_fixture("bad_duplicate_symptom.yaml", NULL, POSTRUN_ERR_DUPLICATE, 9, 9, "symptoms[2].id",
                  "first as symptoms[0]");
}

static void test_unknown_symptom_key_suggests_severity(void **state)
{
    (void)state;
    check_fixture("bad_symptom_key.yaml", NULL, POSTRUN_ERR_UNKNOWN_KEY, 8, 5,
                  "symptoms[0].severty", "did you mean 'severity'?");
}

static void test_symptom_without_id_is_missing_its_id(void **state)
{
    (void)state;
    check_fixture("bad_symptom_without_id.yaml", NULL, POSTRUN_ERR_MISSING, 7, 5, "symptoms[0].id",
                  "needs its id");
}

static void test_empty_file_is_not_a_run_report(void **state)
{
    (void)state;
    check_fixture("bad_empty.yaml", NULL, POSTRUN_ERR_MISSING, 0, 0, "", "no YAML document");
}

static void test_every_problem_of_a_document_is_reported(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    load_bad("bad_many_problems.yaml", NULL, &err);
    assert_int_equal(postrun_error_count(&err), 6);
    expect_problem(postrun_error_at(&err, 0), POSTRUN_ERR_RANGE, 3, 17, "athlete.body_mass_kg",
                   "300 is outside 25..250");
    expect_problem(postrun_error_at(&err, 1), POSTRUN_ERR_VALUE, 4, 8, "athlete.sex",
                   "did you mean 'female'?");
    expect_problem(postrun_error_at(&err, 2), POSTRUN_ERR_RANGE, 6, 17, "run.duration_min",
                   "0 is outside 1..2880");
    expect_problem(postrun_error_at(&err, 3), POSTRUN_ERR_RANGE, 7, 8, "run.rpe",
                   "11 is outside 0..10");
    expect_problem(postrun_error_at(&err, 4), POSTRUN_ERR_UNKNOWN_KEY, 8, 1, "environmnet",
                   "did you mean 'environment'?");
    expect_problem(postrun_error_at(&err, 5), POSTRUN_ERR_RANGE, 12, 15, "symptoms[0].severity",
                   "-1 is outside 0..10");
    char line[1024];
    postrun_error_format(postrun_error_at(&err, 2), line, sizeof line);
    assert_non_null(strstr(line, "bad_many_problems.yaml:6:17: run.duration_min: 0 is outside"));
    postrun_error_clear(&err);
}

static void test_missing_file_is_an_io_error(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_load_file(&run, NULL, "/nonexistent/run.yaml", &err),
                     POSTRUN_ERR_IO);
    assert_null(run);
    assert_string_equal(err.file, "/nonexistent/run.yaml");
    postrun_error_clear(&err);
}

/* ---- valid reports ---- */

static const char *const EXAMPLES[] = {
    "01_warm_long_run_muscles_smaller.yaml",
    "02_hard_race_feeling_dead.yaml",
    "03_tight_legs_no_warmup_cooldown.yaml",
    "04_aching_two_days_after_hilly_race.yaml",
    "05_twitching_after_hot_long_run.yaml",
    "06_weigh_in_gain_headache_hyponatremia.yaml",
    "07_cola_coloured_urine_severe_aching.yaml",
    "08_cramps_salty_sweater.yaml",
    "09_novice_mileage_jump.yaml",
    "10_cold_easy_run_no_symptoms.yaml",
};

static postrun_run *load_example(const char *name, const postrun_kb *kb)
{
    char path[512];
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT, name);
    postrun_status rc = postrun_run_load_file(&run, kb, path, &err);
    if (rc != POSTRUN_OK) {
        char line[1024];
        postrun_error_format(&err, line, sizeof line);
        print_error("%s\n", line);
    }
    assert_int_equal(rc, POSTRUN_OK);
    postrun_error_clear(&err);
    return run;
}

static void test_every_example_parses_and_validates_with_the_vocabulary(void **state)
{
    (void)state;
    resolved_run *r = malloc(sizeof *r);
    assert_non_null(r);
    for (size_t i = 0; i < PR_ARRAY_LEN(EXAMPLES); i++) {
        postrun_run *run = load_example(EXAMPLES[i], test_kb());
        const char *id = NULL;
        assert_int_equal(postrun_run_get_string(run, "id", &id, NULL), POSTRUN_OK);
        assert_true(strlen(id) > 0);
        assert_int_equal(postrun_run_validate(run, NULL), POSTRUN_OK);
        assert_int_equal(pr_run_resolve(run, test_kb(), r, NULL), POSTRUN_OK);
        postrun_run_free(run);
    }
    free(r);
}

static void test_example_values_are_read_back_by_path(void **state)
{
    (void)state;
    postrun_run *run = load_example("06_weigh_in_gain_headache_hyponatremia.yaml", test_kb());
    double v = 0;
    int b = 0;
    const char *s = NULL;
    assert_int_equal(postrun_run_get_number(run, "weigh_in.post_kg", &v, NULL), POSTRUN_OK);
    assert_true(v == 64.9);
    assert_int_equal(postrun_run_get_bool(run, "observations.headache", &b, NULL), POSTRUN_OK);
    assert_true(b);
    assert_int_equal(postrun_run_get_string(run, "athlete.training_status", &s, NULL), POSTRUN_OK);
    assert_string_equal(s, "novice");
    assert_int_equal(postrun_run_count(run, "symptoms"), 1);
    assert_string_equal(postrun_run_item(run, "symptoms[0].where", 0), "whole_body");
    uint32_t line = 0, col = 0;
    postrun_run_position(run, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    postrun_run_free(run);

    run = load_example("10_cold_easy_run_no_symptoms.yaml", NULL);
    assert_int_equal(postrun_run_count(run, "symptoms"), 0);
    assert_int_equal(postrun_run_get_number(run, "environment.temperature_c", &v, NULL),
                     POSTRUN_OK);
    assert_true(v == -6);
    postrun_run_free(run);
}

static void test_bare_symptom_id_is_shorthand_for_a_mapping(void **state)
{
    (void)state;
    postrun_run *run =
        parse(OK_HEAD "symptoms: [twitching, {id: cramps, where: calves}]\n", test_kb(), NULL);
    assert_non_null(run);
    assert_int_equal(postrun_run_count(run, "symptoms"), 2);
    assert_string_equal(postrun_run_item(run, "symptoms", 0), "twitching");
    assert_false(postrun_run_has(run, "symptoms[0].severity"));
    /* A single body area may be written without brackets. */
    assert_int_equal(postrun_run_count(run, "symptoms[1].where"), 1);
    assert_string_equal(postrun_run_item(run, "symptoms[1].where", 0), "calves");
    postrun_run_free(run);
}

static void test_null_value_means_not_given(void **state)
{
    (void)state;
    postrun_run *run = parse(OK_HEAD "id: ~\nenvironment:\n  temperature_c:\nweigh_in: null\n"
                                     "symptoms: ~\nobservations: {headache: ~}\n",
                             NULL, NULL);
    assert_non_null(run);
    assert_false(postrun_run_has(run, "id"));
    assert_false(postrun_run_has(run, "environment.temperature_c"));
    assert_false(postrun_run_has(run, "weigh_in"));
    assert_int_equal(postrun_run_count(run, "observations"), 0);
    postrun_run_free(run);
}

static void test_required_field_given_as_null_is_missing(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_null(
        parse("postrun: 1\nathlete: {body_mass_kg: ~}\nrun: {duration_min: 45}\n", NULL, &err));
    expect_problem(&err, POSTRUN_ERR_MISSING, 2, 1, "athlete.body_mass_kg", NULL);
    postrun_error_clear(&err);
}

static void test_bad_value_is_not_also_reported_missing(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_null(parse("postrun: 1\nathlete: 68\nrun: {duration_min: abc}\n", NULL, &err));
    assert_int_equal(postrun_error_count(&err), 2);
    expect_problem(postrun_error_at(&err, 0), POSTRUN_ERR_TYPE, 2, 10, "athlete",
                   "expected a mapping");
    expect_problem(postrun_error_at(&err, 1), POSTRUN_ERR_TYPE, 3, 21, "run.duration_min",
                   "got 'abc'");
    postrun_error_clear(&err);
}

static void test_without_vocabulary_ids_are_checked_for_shape_only(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = parse(OK_HEAD "symptoms: [made_up_symptom]\n", NULL, NULL);
    assert_non_null(run);
    postrun_run_free(run);
    assert_null(parse(OK_HEAD "symptoms: [Sore Legs]\n", NULL, &err));
    expect_problem(&err, POSTRUN_ERR_VALUE, 4, 12, "symptoms[0].id", "lowercase words");
    postrun_error_clear(&err);
}

static void test_observation_takes_booleans_and_numbers_only(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run =
        parse(OK_HEAD "observations: {numbness: true, persistent_days: 3}\n", test_kb(), NULL);
    assert_non_null(run);
    double v = 0;
    assert_int_equal(postrun_run_get_number(run, "observations.persistent_days", &v, NULL),
                     POSTRUN_OK);
    assert_true(v == 3);
    postrun_run_free(run);
    assert_null(parse(OK_HEAD "observations: {numbness: lots}\n", NULL, &err));
    expect_problem(&err, POSTRUN_ERR_TYPE, 4, 26, "observations.numbness",
                   "expected true, false or a number");
    postrun_error_clear(&err);
}

static void test_top_level_key_written_as_a_path_is_unknown(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_null(parse(OK_HEAD "run.rpe: 5\nsympton: []\n", NULL, &err));
    expect_problem(postrun_error_at(&err, 0), POSTRUN_ERR_UNKNOWN_KEY, 4, 1, "run.rpe",
                   "allowed: postrun, id, athlete");
    expect_problem(postrun_error_at(&err, 1), POSTRUN_ERR_UNKNOWN_KEY, 5, 1, "sympton",
                   "did you mean 'symptoms'?");
    postrun_error_clear(&err);
}

static void test_unit_left_out_of_a_key_is_suggested(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_null(parse("postrun: 1\nathlete: {body_mass: 68}\nrun: {duration: 45}\n", NULL, &err));
    expect_problem(postrun_error_at(&err, 0), POSTRUN_ERR_UNKNOWN_KEY, 2, 11, "athlete.body_mass",
                   "did you mean 'body_mass_kg'?");
    expect_problem(postrun_error_at(&err, 1), POSTRUN_ERR_UNKNOWN_KEY, 3, 7, "run.duration",
                   "did you mean 'duration_min'?");
    postrun_error_clear(&err);
}

static void test_trailing_document_marker_is_not_a_second_document(void **state)
{
    (void)state;
    postrun_run *run = parse("---\n" OK_HEAD "---\n", NULL, NULL);
    assert_non_null(run);
    postrun_run_free(run);
}

/* ---- defaults ---- */

static void test_defaults_fill_missing_fields_and_list_assumptions(void **state)
{
    (void)state;
    postrun_run *run =
        parse(OK_HEAD "environment: {temperature_c: 30}\nsymptoms: [aching]\n", NULL, NULL);
    assert_int_equal(postrun_run_assumption_count(run), 0);
    assert_int_equal(postrun_run_apply_defaults(run, NULL), POSTRUN_OK);
    double v = 0;
    const char *s = NULL;
    assert_int_equal(postrun_run_get_number(run, "environment.relative_humidity_pct", &v, NULL),
                     POSTRUN_OK);
    assert_true(v == 50);
    assert_int_equal(postrun_run_get_number(run, "environment.temperature_c", &v, NULL),
                     POSTRUN_OK);
    assert_true(v == 30);
    assert_int_equal(postrun_run_get_string(run, "athlete.training_status", &s, NULL), POSTRUN_OK);
    assert_string_equal(s, "recreational");
    assert_int_equal(postrun_run_get_number(run, "symptoms[0].severity", &v, NULL), POSTRUN_OK);
    assert_true(v == 5);
    /* No default: stays unknown, and no assumption is claimed for it. */
    assert_false(postrun_run_has(run, "intake.pre_run_carbohydrate_g"));
    assert_false(postrun_run_has(run, "weigh_in.urine_ml"));

    bool humidity = false, status = false, severity = false, temperature = false;
    for (size_t i = 0; i < postrun_run_assumption_count(run); i++) {
        const char *a = postrun_run_assumption(run, i);
        humidity |= strcmp(a, "environment.relative_humidity_pct not given: assumed 50") == 0;
        status |= strcmp(a, "athlete.training_status not given: assumed recreational") == 0;
        severity |= strcmp(a, "symptoms[0].severity not given: assumed 5") == 0;
        temperature |= strstr(a, "temperature_c") != NULL;
    }
    assert_true(humidity && status && severity);
    assert_false(temperature);
    assert_null(postrun_run_assumption(run, postrun_run_assumption_count(run)));

    /* Setting a defaulted field withdraws its assumption. */
    size_t n = postrun_run_assumption_count(run);
    assert_int_equal(postrun_run_set_number(run, "environment.relative_humidity_pct", 70, NULL),
                     POSTRUN_OK);
    assert_int_equal(postrun_run_assumption_count(run), n - 1);
    postrun_run_free(run);
}

static void test_weigh_in_urine_defaults_to_zero_only_with_a_weigh_in(void **state)
{
    (void)state;
    postrun_run *run = parse(OK_HEAD "weigh_in: {pre_kg: 68, post_kg: 67}\n", NULL, NULL);
    double v = -1;
    postrun_run_apply_defaults(run, NULL);
    assert_int_equal(postrun_run_get_number(run, "weigh_in.urine_ml", &v, NULL), POSTRUN_OK);
    assert_true(v == 0);
    postrun_run_free(run);
}

/* ---- pr_run_resolve ---- */

static void test_resolve_applies_defaults_without_changing_the_run(void **state)
{
    (void)state;
    postrun_run *run = parse(OK_HEAD "symptoms: [{id: cramps, where: [calves, feet]}]\n"
                                     "observations: {urine_colour: 6, nausea: true}\n",
                             NULL, NULL);
    resolved_run *r = malloc(sizeof *r);
    const postrun_kb *kb = test_kb();
    counting_alloc ca;
    counting_start(&ca, 0);
    assert_int_equal(pr_run_resolve(run, kb, r, NULL), POSTRUN_OK);
    counting_stop();
    assert_int_equal(ca.calls, 0); /* resolving allocates nothing */
    assert_true(r->field[RF_TEMPERATURE_C] == 18);
    assert_true(isnan(r->field[RF_HEIGHT_CM]));
    assert_string_equal(r->id, "");
    assert_int_equal(r->n_symptoms, 1);
    assert_int_equal(r->symptom[0].symptom, pr_kb_symptom_index(kb, "cramps"));
    assert_true(r->symptom[0].severity == 5);
    assert_true(r->symptom[0].where == (((uint64_t)1 << pr_kb_body_area_index(kb, "calves")) |
                                        ((uint64_t)1 << pr_kb_body_area_index(kb, "feet"))));
    assert_int_equal(r->n_observations, 2);
    assert_int_equal(r->observation[1].observation, pr_kb_observation_index(kb, "nausea"));
    assert_true(r->observation[1].value == 1);
    bool temperature = false, severity = false;
    for (size_t i = 0; i < r->assumptions.n; i++) {
        const pr_assumption *a = &r->assumptions.item[i];
        assert_int_equal(a->code, A_DEFAULT);
        temperature |= a->field == RF_TEMPERATURE_C && a->v[0] == 18;
        severity |= a->field == -1 && a->v[0] == 5;
    }
    assert_true(temperature && severity);
    assert_false(postrun_run_has(run, "environment.temperature_c"));
    assert_int_equal(postrun_run_assumption_count(run), 0);
    postrun_run_free(run);
    free(r);
}

static void test_resolve_lists_defaults_applied_earlier_too(void **state)
{
    (void)state;
    postrun_run *run = parse(OK_HEAD, NULL, NULL);
    resolved_run *r = malloc(sizeof *r), *before = malloc(sizeof *before);
    assert_int_equal(pr_run_resolve(run, test_kb(), before, NULL), POSTRUN_OK);
    postrun_run_apply_defaults(run, NULL);
    assert_int_equal(pr_run_resolve(run, test_kb(), r, NULL), POSTRUN_OK);
    assert_int_equal(r->assumptions.n, before->assumptions.n);
    assert_int_equal(r->assumptions.n, postrun_run_assumption_count(run));
    postrun_run_free(run);
    free(r);
    free(before);
}

static void test_resolve_checks_ids_against_the_assessing_vocabulary(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = parse(OK_HEAD "symptoms:\n  - id: cramp\n    where: [calfs]\n"
                                     "observations: {numbness: 2}\n",
                             NULL, NULL);
    assert_non_null(run);
    resolved_run *r = malloc(sizeof *r);
    assert_int_equal(pr_run_resolve(run, test_kb(), r, &err), POSTRUN_ERR_UNKNOWN_ID);
    assert_int_equal(postrun_error_count(&err), 3);
    expect_problem(postrun_error_at(&err, 0), POSTRUN_ERR_UNKNOWN_ID, 5, 9, "symptoms[0].id",
                   "did you mean 'cramps'?");
    expect_problem(postrun_error_at(&err, 1), POSTRUN_ERR_UNKNOWN_ID, 6, 13, "symptoms[0].where[0]",
                   "did you mean 'calves'?");
    expect_problem(postrun_error_at(&err, 2), POSTRUN_ERR_TYPE, 7, 16, "observations.numbness",
                   "yes/no");
    assert_string_equal(err.file, "test.yaml");
    postrun_error_clear(&err);
    postrun_run_free(run);
    free(r);
}

static void test_resolve_reports_missing_required_fields(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    resolved_run *r = malloc(sizeof *r);
    assert_int_equal(postrun_run_new(&run, NULL, NULL), POSTRUN_OK);
    assert_int_equal(pr_run_resolve(run, test_kb(), r, &err), POSTRUN_ERR_MISSING);
    assert_int_equal(postrun_error_count(&err), 3);
    expect_problem(&err, POSTRUN_ERR_MISSING, 0, 0, "postrun", "postrun: 1");
    postrun_error_clear(&err);
    postrun_run_free(run);
    free(r);
}

/* ---- documentation ---- */

static void test_every_field_is_documented_with_its_range(void **state)
{
    (void)state;
    char path[512], row[160], lo[32], hi[32];
    snprintf(path, sizeof path, "%s/docs/run-report.md", POSTRUN_SOURCE_ROOT);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    for (int i = 0; i < RF_COUNT; i++) {
        const run_field_info *fi = &PR_RUN_FIELDS[i];
        snprintf(row, sizeof row, "| `%s` |", fi->path);
        const char *at = strstr(doc, row);
        if (!at)
            fail_msg("docs/run-report.md does not document %s", fi->path);
        const char *end = strchr(at, '\n');
        if (fi->type != FT_NUM && fi->type != FT_INT)
            continue;
        snprintf(lo, sizeof lo, "%g", fi->min);
        snprintf(hi, sizeof hi, "%g", fi->max);
        snprintf(row, sizeof row, " %s..%s ", lo, hi);
        const char *range = strstr(at, row);
        if (!range || range > end)
            fail_msg("docs/run-report.md gives %s a range other than %s", fi->path, row);
    }
}

/* ---- out of memory ---- */

static void test_out_of_memory_at_every_allocation_leaks_nothing(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT, EXAMPLES[0]);
    const postrun_kb *kb = test_kb(); /* before counting: only the run's memory is counted */
    for (long n = 1;; n++) {
        counting_alloc ca;
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_run *run = NULL;
        counting_start(&ca, n);
        postrun_status rc = postrun_run_load_file(&run, kb, path, &err);
        postrun_run_free(run);
        postrun_error_clear(&err);
        counting_stop();
        assert_int_equal(ca.live, 0);
        if (rc == POSTRUN_OK)
            break;
        assert_int_equal(rc, POSTRUN_ERR_NOMEM);
        assert_true(n < 1000);
    }
}

static void test_out_of_memory_with_many_problems_leaks_nothing(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/runs/bad_many_problems.yaml", POSTRUN_TEST_DATA);
    for (long n = 1; n < 200; n++) {
        counting_alloc ca;
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_run *run = NULL;
        counting_start(&ca, n);
        postrun_status rc = postrun_run_load_file(&run, NULL, path, &err);
        postrun_error_clear(&err);
        counting_stop();
        assert_null(run);
        assert_true(rc == POSTRUN_ERR_NOMEM || rc == POSTRUN_ERR_RANGE);
        assert_int_equal(ca.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_error_gives_line_and_column),
        cmocka_unit_test(test_invalid_utf8_is_a_syntax_error_at_the_bad_byte),
        cmocka_unit_test(test_nul_byte_is_refused_where_it_stands),
        cmocka_unit_test(test_nul_byte_in_a_string_is_refused_where_it_stands),
        cmocka_unit_test(test_alias_is_refused),
        cmocka_unit_test(test_deep_nesting_is_refused),
        cmocka_unit_test(test_mapping_where_a_number_belongs_is_a_type_error),
        cmocka_unit_test(test_out_of_range_names_the_value_and_the_range),
        cmocka_unit_test(test_nan_is_not_a_number_in_range),
        cmocka_unit_test(test_infinity_is_not_a_number_in_range),
        cmocka_unit_test(test_overflowing_number_is_refused),
        cmocka_unit_test(test_unknown_enum_word_lists_the_words_and_suggests_one),
        cmocka_unit_test(test_missing_required_field_points_at_its_section),
        cmocka_unit_test(test_unknown_key_suggests_the_closest_field),
        cmocka_unit_test(test_duplicate_key_is_reported_with_its_path),
        cmocka_unit_test(test_unknown_symptom_id_suggests_a_known_one),
        cmocka_unit_test(test_unknown_observation_id_suggests_a_known_one),
        cmocka_unit_test(test_unknown_body_area_suggests_a_known_one),
        cmocka_unit_test(test_incomplete_weigh_in_needs_post_kg),
        cmocka_unit_test(test_symptom_severity_above_ten_is_out_of_range),
        cmocka_unit_test(test_more_symptoms_than_the_limit_is_an_error),
        cmocka_unit_test(test_other_format_version_is_refused_clearly),
        cmocka_unit_test(test_fractional_format_version_is_refused),
        cmocka_unit_test(test_number_for_a_yes_no_observation_is_a_type_error),
        cmocka_unit_test(test_observation_outside_its_scale_is_out_of_range),
        cmocka_unit_test(test_document_that_is_not_a_mapping_is_one_type_error),
        cmocka_unit_test(test_second_document_is_refused_by_parse),
        cmocka_unit_test(test_id_too_long_is_an_error_not_a_truncation),
        cmocka_unit_test(test_yes_is_not_a_boolean),
        cmocka_unit_test(test_quoted_number_is_a_type_error_with_a_hint),
        cmocka_unit_test(test_symptom_listed_twice_is_a_duplicate),
        cmocka_unit_test(test_unknown_symptom_key_suggests_severity),
        cmocka_unit_test(test_symptom_without_id_is_missing_its_id),
        cmocka_unit_test(test_empty_file_is_not_a_run_report),
        cmocka_unit_test(test_every_problem_of_a_document_is_reported),
        cmocka_unit_test(test_missing_file_is_an_io_error),
        cmocka_unit_test(test_every_example_parses_and_validates_with_the_vocabulary),
        cmocka_unit_test(test_example_values_are_read_back_by_path),
        cmocka_unit_test(test_bare_symptom_id_is_shorthand_for_a_mapping),
        cmocka_unit_test(test_null_value_means_not_given),
        cmocka_unit_test(test_required_field_given_as_null_is_missing),
        cmocka_unit_test(test_bad_value_is_not_also_reported_missing),
        cmocka_unit_test(test_without_vocabulary_ids_are_checked_for_shape_only),
        cmocka_unit_test(test_observation_takes_booleans_and_numbers_only),
        cmocka_unit_test(test_top_level_key_written_as_a_path_is_unknown),
        cmocka_unit_test(test_unit_left_out_of_a_key_is_suggested),
        cmocka_unit_test(test_trailing_document_marker_is_not_a_second_document),
        cmocka_unit_test(test_defaults_fill_missing_fields_and_list_assumptions),
        cmocka_unit_test(test_weigh_in_urine_defaults_to_zero_only_with_a_weigh_in),
        cmocka_unit_test(test_resolve_applies_defaults_without_changing_the_run),
        cmocka_unit_test(test_resolve_lists_defaults_applied_earlier_too),
        cmocka_unit_test(test_resolve_checks_ids_against_the_assessing_vocabulary),
        cmocka_unit_test(test_resolve_reports_missing_required_fields),
        cmocka_unit_test(test_every_field_is_documented_with_its_range),
        cmocka_unit_test(test_out_of_memory_at_every_allocation_leaks_nothing),
        cmocka_unit_test(test_out_of_memory_with_many_problems_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
