/*
 * Run reports built and read through field paths: the same checks as YAML, errors that name
 * the path (and no position), lists, unset/has/count/item, and the vocabulary at set time.
 */
#include "test_helpers.h"

#include <math.h>

#include "vocab_stub.h"

static postrun_run *new_run(const postrun_kb *kb)
{
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_new(&run, kb, NULL), POSTRUN_OK);
    assert_non_null(run);
    return run;
}

static postrun_run *minimal_run(const postrun_kb *kb)
{
    postrun_run *run = new_run(kb);
    assert_int_equal(postrun_run_set_number(run, "postrun", 1, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "athlete.body_mass_kg", 68, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "run.duration_min", 45, NULL), POSTRUN_OK);
    return run;
}

static void test_run_built_by_paths_validates(void **state)
{
    (void)state;
    postrun_run *run = minimal_run(NULL);
    assert_int_equal(postrun_run_validate(run, NULL), POSTRUN_OK);
    uint32_t line = 1, col = 1;
    postrun_run_position(run, &line, &col);
    assert_int_equal(line, 0);
    assert_int_equal(col, 0);
    postrun_run_free(run);
}

static void test_number_out_of_range_names_the_path_and_the_range(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    assert_int_equal(postrun_run_set_number(run, "run.duration_min", 3000, &err),
                     POSTRUN_ERR_RANGE);
    expect_problem(&err, POSTRUN_ERR_RANGE, 0, 0, "run.duration_min", "3000 is outside 1..2880");
    assert_string_equal(err.file, "");
    assert_false(postrun_run_has(run, "run.duration_min"));
    assert_int_equal(postrun_run_set_number(run, "athlete.body_mass_kg", NAN, &err),
                     POSTRUN_ERR_RANGE);
    assert_int_equal(postrun_run_set_number(run, "athlete.body_mass_kg", INFINITY, &err),
                     POSTRUN_ERR_RANGE);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_integer_field_rejects_a_fraction(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    assert_int_equal(postrun_run_set_number(run, "postrun", 1.5, &err), POSTRUN_ERR_VALUE);
    expect_problem(&err, POSTRUN_ERR_VALUE, 0, 0, "postrun", "1.5 is not supported");
    assert_int_equal(postrun_run_set_number(run, "postrun", 1, &err), POSTRUN_OK);
    assert_int_equal(err.code, POSTRUN_OK); /* a call resets the record */
    postrun_error_clear(&err);
    postrun_run_free(run);
}

/* The header and docs/run-report.md agree: rpe is CR-10, a ratio scale, so 5.5 and 0.5 are
 * ratings; only its range is checked (the YAML loader and the setter alike). */
static void test_rpe_takes_fractions_within_0_to_10(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    double v = 0;
    assert_int_equal(postrun_run_set_number(run, "run.rpe", 5.5, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_get_number(run, "run.rpe", &v, &err), POSTRUN_OK);
    assert_true(v == 5.5);
    assert_int_equal(postrun_run_set_number(run, "run.rpe", 0.5, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "run.rpe", 10.5, &err), POSTRUN_ERR_RANGE);
    expect_problem(&err, POSTRUN_ERR_RANGE, 0, 0, "run.rpe", "0..10");
    postrun_run_free(run);
    const char yaml[] = "postrun: 1\nathlete: {body_mass_kg: 70}\n"
                        "run: {duration_min: 40, rpe: 6.5}\n";
    run = NULL;
    assert_int_equal(postrun_run_parse(&run, NULL, yaml, sizeof yaml - 1, "rpe", &err),
                     POSTRUN_OK);
    assert_int_equal(postrun_run_get_number(run, "run.rpe", &v, &err), POSTRUN_OK);
    assert_true(v == 6.5);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_enumeration_is_set_by_word_with_a_suggestion(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    const char *s = NULL;
    assert_int_equal(postrun_run_set_string(run, "run.intensity", "race", &err), POSTRUN_OK);
    assert_int_equal(postrun_run_get_string(run, "run.intensity", &s, &err), POSTRUN_OK);
    assert_string_equal(s, "race");
    assert_int_equal(postrun_run_set_string(run, "run.surface", "trial", &err), POSTRUN_ERR_VALUE);
    expect_problem(&err, POSTRUN_ERR_VALUE, 0, 0, "run.surface", "did you mean 'trail'?");
    assert_int_equal(postrun_run_set_number(run, "run.surface", 1, &err), POSTRUN_ERR_TYPE);
    expect_problem(&err, POSTRUN_ERR_TYPE, 0, 0, "run.surface", "road, trail, track, treadmill");
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_wrong_setter_is_a_type_error(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    assert_int_equal(postrun_run_set_string(run, "run.duration_min", "45", &err), POSTRUN_ERR_TYPE);
    expect_problem(&err, POSTRUN_ERR_TYPE, 0, 0, "run.duration_min", "expected a number");
    assert_int_equal(postrun_run_set_bool(run, "run.duration_min", 1, &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_set_number(run, "intake.fasted", 1, &err), POSTRUN_ERR_TYPE);
    expect_problem(&err, POSTRUN_ERR_TYPE, 0, 0, "intake.fasted", "expected true or false");
    assert_int_equal(postrun_run_set_bool(run, "id", 1, &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_set_number(run, "symptoms", 1, &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_set_number(run, "athlete", 1, &err), POSTRUN_ERR_TYPE);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_unknown_path_is_not_found_with_a_suggestion(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    assert_int_equal(postrun_run_set_number(run, "athlete.body_mas_kg", 68, &err),
                     POSTRUN_ERR_NOT_FOUND);
    expect_problem(&err, POSTRUN_ERR_NOT_FOUND, 0, 0, "athlete.body_mas_kg",
                   "did you mean 'athlete.body_mass_kg'?");
    assert_int_equal(postrun_run_set_number(run, "symptoms[x].severity", 5, &err),
                     POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_run_set_number(run, "symptoms[0].severity.x", 5, &err),
                     POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_run_set_number(run, "observations.", 5, &err), POSTRUN_ERR_NOT_FOUND);
    assert_false(postrun_run_has(run, "no.such.path"));
    assert_int_equal(postrun_run_count(run, "no.such.path"), 0);
    assert_null(postrun_run_item(run, "no.such.path", 0));
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_symptom_field_of_a_missing_index_is_not_found(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    assert_int_equal(postrun_run_set_number(run, "symptoms[0].severity", 5, &err),
                     POSTRUN_ERR_NOT_FOUND);
    expect_problem(&err, POSTRUN_ERR_NOT_FOUND, 0, 0, "symptoms[0].severity",
                   "there is no symptoms[0]");
    assert_int_equal(postrun_run_append(run, "symptoms[3].where", "calves", &err),
                     POSTRUN_ERR_NOT_FOUND);
    double v;
    assert_int_equal(postrun_run_get_number(run, "symptoms[0].severity", &v, &err),
                     POSTRUN_ERR_NOT_FOUND);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_append_adds_symptoms_and_body_areas(void **state)
{
    (void)state;
    postrun_run *run = minimal_run(test_kb());
    double v = 0;
    const char *s = NULL;
    assert_int_equal(postrun_run_append(run, "symptoms", "cramps", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_append(run, "symptoms", "fatigue", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "symptoms[1].severity", 7.5, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "symptoms[0].onset_h", 0.5, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_append(run, "symptoms[0].where", "calves", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_append(run, "symptoms[0].where", "hamstrings", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_count(run, "symptoms"), 2);
    assert_int_equal(postrun_run_count(run, "symptoms[0].where"), 2);
    assert_string_equal(postrun_run_item(run, "symptoms", 1), "fatigue");
    assert_string_equal(postrun_run_item(run, "symptoms[0].where", 1), "hamstrings");
    assert_null(postrun_run_item(run, "symptoms[0].where", 2));
    assert_int_equal(postrun_run_get_number(run, "symptoms[1].severity", &v, NULL), POSTRUN_OK);
    assert_true(v == 7.5);
    assert_int_equal(postrun_run_get_string(run, "symptoms[0].id", &s, NULL), POSTRUN_OK);
    assert_string_equal(s, "cramps");
    assert_false(postrun_run_has(run, "symptoms[0].severity"));
    assert_true(postrun_run_has(run, "symptoms[0].onset_h"));
    assert_int_equal(postrun_run_validate(run, NULL), POSTRUN_OK);
    postrun_run_free(run);
}

static void test_append_refuses_duplicates_and_unknown_ids(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(test_kb());
    assert_int_equal(postrun_run_append(run, "symptoms", "aching", &err), POSTRUN_OK);
    assert_int_equal(postrun_run_append(run, "symptoms", "aching", &err), POSTRUN_ERR_DUPLICATE);
    expect_problem(&err, POSTRUN_ERR_DUPLICATE, 0, 0, "symptoms[1].id", "listed twice");
    assert_int_equal(postrun_run_append(run, "symptoms", "acheing", &err), POSTRUN_ERR_UNKNOWN_ID);
    expect_problem(&err, POSTRUN_ERR_UNKNOWN_ID, 0, 0, "symptoms[1].id", "did you mean 'aching'?");
    assert_int_equal(postrun_run_append(run, "symptoms[0].where", "calves", &err), POSTRUN_OK);
    assert_int_equal(postrun_run_append(run, "symptoms[0].where", "calves", &err),
                     POSTRUN_ERR_DUPLICATE);
    assert_int_equal(postrun_run_append(run, "symptoms[0].where", "calfs", &err),
                     POSTRUN_ERR_UNKNOWN_ID);
    expect_problem(&err, POSTRUN_ERR_UNKNOWN_ID, 0, 0, "symptoms[0].where[1]", "body area");
    assert_int_equal(postrun_run_append(run, "run.duration_min", "x", &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_append(run, "symptoms", NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_count(run, "symptoms"), 1);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_lists_stop_at_their_limits(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    char id[32];
    for (int i = 0; i < 16; i++) {
        snprintf(id, sizeof id, "symptom_%d", i);
        assert_int_equal(postrun_run_append(run, "symptoms", id, &err), POSTRUN_OK);
    }
    assert_int_equal(postrun_run_append(run, "symptoms", "one_more", &err), POSTRUN_ERR_LIMIT);
    expect_problem(&err, POSTRUN_ERR_LIMIT, 0, 0, "symptoms", "more than 16");
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "area_%d", i);
        assert_int_equal(postrun_run_append(run, "symptoms[15].where", id, &err), POSTRUN_OK);
    }
    assert_int_equal(postrun_run_append(run, "symptoms[15].where", "area_8", &err),
                     POSTRUN_ERR_LIMIT);
    for (int i = 0; i < 64; i++) {
        snprintf(id, sizeof id, "observations.obs_%d", i);
        assert_int_equal(postrun_run_set_bool(run, id, 1, &err), POSTRUN_OK);
    }
    assert_int_equal(postrun_run_set_bool(run, "observations.obs_64", 1, &err), POSTRUN_ERR_LIMIT);
    assert_int_equal(postrun_run_set_bool(run, "observations.obs_3", 0, &err), POSTRUN_OK);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_string_too_long_for_its_buffer_is_an_error(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(NULL);
    char long_id[200];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    assert_int_equal(postrun_run_set_string(run, "id", long_id, &err), POSTRUN_ERR_LIMIT);
    assert_false(postrun_run_has(run, "id"));
    assert_int_equal(postrun_run_append(run, "symptoms", long_id, &err), POSTRUN_ERR_LIMIT);
    expect_problem(&err, POSTRUN_ERR_LIMIT, 0, 0, "symptoms[0].id", "199 bytes");
    assert_int_equal(postrun_run_set_string(run, "id", "bad \xff text", &err), POSTRUN_ERR_VALUE);
    assert_int_equal(postrun_run_set_string(run, "id", "line\nbreak", &err), POSTRUN_ERR_VALUE);
    assert_int_equal(postrun_run_set_string(run, "id", "caf\xc3\xa9 run", &err), POSTRUN_OK);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_observations_keep_their_kind(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(test_kb());
    int b = 0;
    double v = 0;
    assert_int_equal(postrun_run_set_bool(run, "observations.numbness", 1, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "observations.urine_colour", 6, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_get_bool(run, "observations.numbness", &b, &err), POSTRUN_OK);
    assert_true(b);
    assert_int_equal(postrun_run_get_number(run, "observations.numbness", &v, &err),
                     POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_get_bool(run, "observations.urine_colour", &b, &err),
                     POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_set_number(run, "observations.numbness", 1, &err),
                     POSTRUN_ERR_TYPE);
    expect_problem(&err, POSTRUN_ERR_TYPE, 0, 0, "observations.numbness", "yes/no");
    assert_int_equal(postrun_run_set_number(run, "observations.urine_colour", 0, &err),
                     POSTRUN_ERR_RANGE);
    assert_int_equal(postrun_run_set_bool(run, "observations.numbess", 1, &err),
                     POSTRUN_ERR_UNKNOWN_ID);
    expect_problem(&err, POSTRUN_ERR_UNKNOWN_ID, 0, 0, "observations.numbess",
                   "did you mean 'numbness'?");
    assert_int_equal(postrun_run_set_string(run, "observations.numbness", "yes", &err),
                     POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_count(run, "observations"), 2);
    assert_string_equal(postrun_run_item(run, "observations", 1), "urine_colour");
    assert_int_equal(postrun_run_get_bool(run, "observations.headache", &b, &err),
                     POSTRUN_ERR_NOT_FOUND);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_unset_removes_values_lists_and_sections(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = minimal_run(NULL);
    assert_int_equal(postrun_run_set_string(run, "id", "x", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_number(run, "weigh_in.pre_kg", 68, NULL), POSTRUN_OK);
    assert_true(postrun_run_has(run, "weigh_in"));
    assert_int_equal(postrun_run_validate(run, &err), POSTRUN_ERR_MISSING);
    expect_problem(&err, POSTRUN_ERR_MISSING, 0, 0, "weigh_in.post_kg", NULL);
    assert_int_equal(postrun_run_unset(run, "weigh_in", NULL), POSTRUN_OK);
    assert_false(postrun_run_has(run, "weigh_in"));
    assert_int_equal(postrun_run_validate(run, &err), POSTRUN_OK);

    assert_int_equal(postrun_run_unset(run, "id", NULL), POSTRUN_OK);
    assert_false(postrun_run_has(run, "id"));
    const char *s = NULL;
    assert_int_equal(postrun_run_get_string(run, "id", &s, &err), POSTRUN_ERR_NOT_FOUND);

    postrun_run_append(run, "symptoms", "aching", NULL);
    postrun_run_append(run, "symptoms", "cramps", NULL);
    postrun_run_append(run, "symptoms", "fatigue", NULL);
    postrun_run_append(run, "symptoms[2].where", "feet", NULL);
    assert_int_equal(postrun_run_unset(run, "symptoms[1]", NULL), POSTRUN_OK);
    assert_string_equal(postrun_run_item(run, "symptoms", 1), "fatigue");
    assert_string_equal(postrun_run_item(run, "symptoms[1].where", 0), "feet");
    assert_int_equal(postrun_run_unset(run, "symptoms[1].where", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_count(run, "symptoms[1].where"), 0);
    assert_int_equal(postrun_run_unset(run, "symptoms[0].id", &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_unset(run, "symptoms[5]", &err), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_run_unset(run, "symptoms", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_count(run, "symptoms"), 0);

    postrun_run_set_bool(run, "observations.nausea", 1, NULL);
    postrun_run_set_bool(run, "observations.headache", 1, NULL);
    assert_int_equal(postrun_run_unset(run, "observations.nausea", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_unset(run, "observations.nausea", NULL), POSTRUN_OK);
    assert_string_equal(postrun_run_item(run, "observations", 0), "headache");
    assert_int_equal(postrun_run_unset(run, "observations", NULL), POSTRUN_OK);
    assert_false(postrun_run_has(run, "observations"));

    assert_int_equal(postrun_run_unset(run, "run.duration_min", NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_validate(run, &err), POSTRUN_ERR_MISSING);
    expect_problem(&err, POSTRUN_ERR_MISSING, 0, 0, "run.duration_min", NULL);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_symptom_id_can_be_replaced_but_not_duplicated(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = new_run(test_kb());
    postrun_run_append(run, "symptoms", "aching", NULL);
    postrun_run_append(run, "symptoms", "cramps", NULL);
    assert_int_equal(postrun_run_set_string(run, "symptoms[0].id", "tightness", &err), POSTRUN_OK);
    assert_string_equal(postrun_run_item(run, "symptoms", 0), "tightness");
    assert_int_equal(postrun_run_set_string(run, "symptoms[0].id", "cramps", &err),
                     POSTRUN_ERR_DUPLICATE);
    assert_string_equal(postrun_run_item(run, "symptoms", 0), "tightness");
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_clear_empties_the_run_but_keeps_its_vocabulary(void **state)
{
    (void)state;
    postrun_run *run = minimal_run(test_kb());
    postrun_run_append(run, "symptoms", "aching", NULL);
    postrun_run_apply_defaults(run, NULL);
    postrun_run_clear(run);
    assert_false(postrun_run_has(run, "postrun"));
    assert_int_equal(postrun_run_count(run, "symptoms"), 0);
    assert_int_equal(postrun_run_assumption_count(run), 0);
    assert_int_equal(postrun_run_append(run, "symptoms", "no_such_symptom", NULL),
                     POSTRUN_ERR_UNKNOWN_ID);
    postrun_run_free(run);
}

static void test_getters_refuse_the_wrong_kind(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = minimal_run(NULL);
    double v;
    int b;
    const char *s;
    postrun_run_set_string(run, "athlete.sex", "female", NULL);
    assert_int_equal(postrun_run_get_number(run, "athlete.sex", &v, &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_get_string(run, "run.duration_min", &s, &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_get_bool(run, "run.duration_min", &b, &err), POSTRUN_ERR_TYPE);
    assert_int_equal(postrun_run_get_number(run, "run.rpe", &v, &err), POSTRUN_ERR_NOT_FOUND);
    expect_problem(&err, POSTRUN_ERR_NOT_FOUND, 0, 0, "run.rpe", "not given");
    assert_int_equal(postrun_run_get_number(run, "run.duration_min", NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    postrun_error_clear(&err);
    postrun_run_free(run);
}

static void test_null_arguments_are_refused_not_crashed_on(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    double v;
    assert_int_equal(postrun_run_new(NULL, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_set_number(NULL, "run.rpe", 1, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_get_number(NULL, "run.rpe", &v, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_validate(NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_apply_defaults(NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_parse(NULL, NULL, "", 0, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_load_file(NULL, NULL, NULL, &err), POSTRUN_ERR_ARGUMENT);
    postrun_run *run = new_run(NULL);
    assert_int_equal(postrun_run_set_number(run, NULL, 1, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_set_string(run, "id", NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_false(postrun_run_has(NULL, "id"));
    assert_int_equal(postrun_run_count(NULL, "symptoms"), 0);
    assert_null(postrun_run_assumption(NULL, 0));
    assert_int_equal(postrun_run_assumption_count(NULL), 0);
    postrun_run_position(NULL, NULL, NULL);
    postrun_run_clear(NULL);
    postrun_run_free(NULL);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

static void test_run_is_one_allocation_and_setters_allocate_nothing(void **state)
{
    (void)state;
    const postrun_kb *kb = test_kb();
    counting_alloc ca;
    counting_start(&ca, 0);
    postrun_run *run = minimal_run(kb);
    postrun_run_append(run, "symptoms", "aching", NULL);
    postrun_run_append(run, "symptoms[0].where", "calves", NULL);
    postrun_run_set_bool(run, "observations.nausea", 1, NULL);
    postrun_run_apply_defaults(run, NULL);
    assert_int_equal(ca.calls, 1);
    assert_int_equal(ca.live, 1);
    postrun_run_free(run);
    assert_int_equal(ca.live, 0);
    counting_start(&ca, 1);
    postrun_error err = POSTRUN_ERROR_INIT;
    run = NULL;
    assert_int_equal(postrun_run_new(&run, NULL, &err), POSTRUN_ERR_NOMEM);
    assert_null(run);
    counting_stop();
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_built_by_paths_validates),
        cmocka_unit_test(test_number_out_of_range_names_the_path_and_the_range),
        cmocka_unit_test(test_integer_field_rejects_a_fraction),
        cmocka_unit_test(test_rpe_takes_fractions_within_0_to_10),
        cmocka_unit_test(test_enumeration_is_set_by_word_with_a_suggestion),
        cmocka_unit_test(test_wrong_setter_is_a_type_error),
        cmocka_unit_test(test_unknown_path_is_not_found_with_a_suggestion),
        cmocka_unit_test(test_symptom_field_of_a_missing_index_is_not_found),
        cmocka_unit_test(test_append_adds_symptoms_and_body_areas),
        cmocka_unit_test(test_append_refuses_duplicates_and_unknown_ids),
        cmocka_unit_test(test_lists_stop_at_their_limits),
        cmocka_unit_test(test_string_too_long_for_its_buffer_is_an_error),
        cmocka_unit_test(test_observations_keep_their_kind),
        cmocka_unit_test(test_unset_removes_values_lists_and_sections),
        cmocka_unit_test(test_symptom_id_can_be_replaced_but_not_duplicated),
        cmocka_unit_test(test_clear_empties_the_run_but_keeps_its_vocabulary),
        cmocka_unit_test(test_getters_refuse_the_wrong_kind),
        cmocka_unit_test(test_null_arguments_are_refused_not_crashed_on),
        cmocka_unit_test(test_run_is_one_allocation_and_setters_allocate_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
