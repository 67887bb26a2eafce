/*
 * Every public function called with each of its pointer arguments NULL, the others valid: the
 * calls come from tests/gen_null_sweep.py, which reads include/postrun.h, so a function added
 * to the header is swept without anyone writing its test. A function returning postrun_status
 * must say POSTRUN_ERR_ARGUMENT (unless its doc says the argument may be NULL), pointer getters
 * NULL, counts 0; none may crash (ASan, UBSan and memcheck watch the rest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "null_sweep_fixture.h"

#ifndef POSTRUN_SOURCE_ROOT
#define POSTRUN_SOURCE_ROOT "."
#endif
#define ROOT POSTRUN_SOURCE_ROOT

postrun_kb *o_kb;
postrun_kb_builder *o_builder;
postrun_run *o_run;
postrun_stream *o_stream;
postrun_assessment *o_assessment;
char *o_text;
size_t o_len;
postrun_kb_entry_info o_entry = POSTRUN_KB_ENTRY_INFO_INIT;
postrun_range o_range;
postrun_red_flag o_flag = POSTRUN_RED_FLAG_INIT;
postrun_cause o_cause = POSTRUN_CAUSE_INIT;
postrun_contribution o_contrib = POSTRUN_CONTRIBUTION_INIT;
postrun_recommendation o_rec = POSTRUN_RECOMMENDATION_INIT;
double o_d;
int o_i;
uint32_t o_u;
const char *o_s;
postrun_activity *o_activity;
postrun_activity_sample o_sample = POSTRUN_ACTIVITY_SAMPLE_INIT;
postrun_history_builder *o_hbuilder;
postrun_history *o_history;

static int failures;

static const char GPX_TEXT[] =
    "<?xml version=\"1.0\"?>\n"
    "<gpx version=\"1.1\" creator=\"sweep\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
    "<trk><type>running</type><trkseg>\n"
    "<trkpt lat=\"46.0000\" lon=\"14.0000\"><ele>300</ele><time>2026-05-01T07:00:00Z</time></trkpt>\n"
    "<trkpt lat=\"46.0050\" lon=\"14.0000\"><ele>302</ele><time>2026-05-01T07:03:00Z</time></trkpt>\n"
    "<trkpt lat=\"46.0100\" lon=\"14.0000\"><ele>305</ele><time>2026-05-01T07:06:00Z</time></trkpt>\n"
    "<trkpt lat=\"46.0150\" lon=\"14.0000\"><ele>303</ele><time>2026-05-01T07:09:00Z</time></trkpt>\n"
    "</trkseg></trk></gpx>\n";

static const char RUN_TEXT[] = "postrun: 1\n"
                               "athlete: {body_mass_kg: 68, sex: female}\n"
                               "run: {duration_min: 95, intensity: steady}\n"
                               "environment: {temperature_c: 29}\n"
                               "intake: {fluid_ml: 200, fasted: true}\n"
                               "symptoms: [{id: cramps, severity: 6}]\n";
static const char OVERLAY_TEXT[] = "postrun_kb: 1\nparameters: []\n";

void expect_status(const char *label, postrun_status rc, const postrun_error *e)
{
    if (rc != POSTRUN_ERR_ARGUMENT) {
        print_error("%s: returned %d (%s), not POSTRUN_ERR_ARGUMENT\n", label, (int)rc,
                    postrun_strerror(rc));
        failures++;
    } else if (e && (e->code != POSTRUN_ERR_ARGUMENT || !e->message[0])) {
        print_error("%s: the error record says %d '%s'\n", label, (int)e->code, e->message);
        failures++;
    }
}

void expect_null(const char *label, const void *p)
{
    if (p) {
        print_error("%s: returned a pointer, not NULL\n", label);
        failures++;
    }
}

void expect_zero(const char *label, long long v)
{
    if (v) {
        print_error("%s: returned %lld, not 0\n", label, v);
        failures++;
    }
}

int sink(void *userdata, const char *data, size_t len)
{
    (void)userdata;
    (void)data;
    (void)len;
    return 0;
}

void free_outputs(void)
{
    postrun_kb_free(o_kb);
    postrun_kb_builder_free(o_builder);
    postrun_run_free(o_run);
    postrun_stream_free(o_stream);
    postrun_assessment_free(o_assessment);
    postrun_activity_free(o_activity);
    postrun_history_builder_free(o_hbuilder);
    postrun_history_free(o_history);
    postrun_free(o_text);
    o_kb = NULL;
    o_builder = NULL;
    o_run = NULL;
    o_stream = NULL;
    o_assessment = NULL;
    o_activity = NULL;
    o_hbuilder = NULL;
    o_history = NULL;
    o_text = NULL;
}

static void fixture_free(null_fixture *f)
{
    postrun_kb_builder_free(f->builder);
    postrun_run_free(f->run);
    postrun_run_free(f->run2);
    postrun_stream_free(f->stream);
    postrun_assessment_free(f->a);
    postrun_history_builder_free(f->hbuilder);
    f->hbuilder = NULL;
    f->builder = NULL;
    f->run = f->run2 = NULL;
    f->stream = NULL;
    f->a = NULL;
}

void fixture_reset(null_fixture *f)
{
    fixture_free(f);
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_kb_builder_new(&f->builder, &e), POSTRUN_OK);
    assert_int_equal(postrun_run_parse(&f->run, f->kb, RUN_TEXT, strlen(RUN_TEXT), "sweep", &e),
                     POSTRUN_OK);
    assert_int_equal(postrun_run_new(&f->run2, f->kb, &e), POSTRUN_OK);
    assert_int_equal(
        postrun_stream_open_string(&f->stream, f->kb, RUN_TEXT, strlen(RUN_TEXT), "sweep", &e),
        POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&f->a, f->kb, &e), POSTRUN_OK);
    assert_int_equal(postrun_assess(f->a, f->run, &e), POSTRUN_OK);
    assert_int_equal(postrun_history_builder_new(&f->hbuilder, f->kb, &e), POSTRUN_OK);
    postrun_error_clear(&e);
}

static void test_every_public_function_refuses_each_null_pointer(void **state)
{
    (void)state;
    null_fixture f;
    memset(&f, 0, sizeof f);
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_kb_load_default(&f.kb, &e), POSTRUN_OK);
    f.kb_dir = ROOT "/data";
    f.overlay = ROOT "/examples/kb-overlay/coach.yaml";
    f.overlays[0] = f.overlay;
    f.overlay_text = OVERLAY_TEXT;
    f.run_file = ROOT "/examples/runs/01_warm_long_run_muscles_smaller.yaml";
    f.path = "athlete.body_mass_kg";
    f.text = RUN_TEXT;
    f.symptom = postrun_kb_id(f.kb, POSTRUN_KIND_SYMPTOM, 0);
    f.id = f.symptom;
    f.param = postrun_kb_id(f.kb, POSTRUN_KIND_PARAMETER, 0);
    assert_non_null(f.symptom);
    assert_non_null(f.param);
    postrun_visitor v = POSTRUN_VISITOR_INIT;
    f.visitor = v;
    postrun_activity_options ao = POSTRUN_ACTIVITY_OPTIONS_INIT;
    f.activity_opts = ao;
    f.activity_text = GPX_TEXT;
    if (postrun_activity_load(&f.activity, f.kb, "sweep.gpx", GPX_TEXT, strlen(GPX_TEXT), &ao,
                              &e) != POSTRUN_OK) {
        char line[1024];
        postrun_error_format(&e, line, sizeof line);
        fail_msg("the sweep's activity did not load: %s", line);
    }
    /* a record holding a problem, for the functions that read one */
    postrun_run *bad = NULL;
    assert_int_not_equal(postrun_run_parse(&bad, f.kb, "postrun: 9\n", 11, "bad", &f.problem),
                         POSTRUN_OK);

    postrun_history_builder *hb = NULL;
    assert_int_equal(postrun_history_builder_new(&hb, f.kb, &e), POSTRUN_OK);
    assert_int_equal(postrun_history_builder_build(hb, &f.history, &e), POSTRUN_OK);
    postrun_history_builder_free(hb);

    null_sweep(&f);

    fixture_free(&f);
    postrun_history_free(f.history);
    postrun_activity_free(f.activity);
    postrun_error_clear(&f.problem);
    postrun_kb_free(f.kb);
    postrun_error_clear(&e);
    /* the sweep is as wide as the header: a parser that found nothing would pass vacuously */
    assert_true(null_sweep_functions >= 75); /* of 88: the others take no pointer */
    assert_true(null_sweep_calls >= 150);
    assert_int_equal(failures, 0);
}

/* The reproductions of the issue, by hand, beside the sweep. */
static void test_error_format_with_a_null_buffer_measures_only(void **state)
{
    (void)state;
    postrun_error e = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    assert_int_not_equal(postrun_run_parse(&run, NULL, "postrun: 9\n", 11, "bad", &e), POSTRUN_OK);
    char buf[512];
    size_t need = postrun_error_format(&e, buf, sizeof buf);
    assert_true(need > 0);
    assert_int_equal(postrun_error_format(&e, NULL, 10), need);
    assert_int_equal(postrun_error_format(NULL, NULL, 10), 0);
    postrun_error_clear(&e);
}

static void test_a_huge_length_is_refused_everywhere(void **state)
{
    (void)state;
    postrun_error e = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, &e), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_overlay_string(b, "huge", "x", SIZE_MAX, &e),
                     POSTRUN_ERR_LIMIT);
    assert_non_null(strstr(e.message, "bytes"));
    assert_int_equal(postrun_kb_builder_add_string(b, "huge", "x", SIZE_MAX - 1, &e),
                     POSTRUN_ERR_LIMIT);
    postrun_kb_builder_free(b);
    /* the other lengths of the API: refused before anything is read or allocated */
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    assert_int_equal(postrun_run_parse(&run, NULL, "x", SIZE_MAX, "huge", &e), POSTRUN_ERR_LIMIT);
    assert_null(run);
    assert_int_equal(postrun_stream_open_string(&s, NULL, "x", SIZE_MAX, "huge", &e),
                     POSTRUN_ERR_LIMIT);
    assert_null(s);
    postrun_error_clear(&e);
}

static void test_accessors_say_argument_for_a_null_assessment_or_out_pointer(void **state)
{
    (void)state;
    postrun_range r;
    postrun_red_flag fl = POSTRUN_RED_FLAG_INIT;
    postrun_cause c = POSTRUN_CAUSE_INIT;
    postrun_recommendation rec = POSTRUN_RECOMMENDATION_INIT;
    postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
    assert_int_equal(postrun_assessment_metric(NULL, "fluid.sweat_loss_l", &r),
                     POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_metric_at(NULL, 0, &r), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_red_flag(NULL, 0, &fl), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_cause(NULL, 0, &c), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_cause_because(NULL, 0, 0, &k), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_recommendation(NULL, 0, &rec), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_withdrawn(NULL, 0, NULL, NULL), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_misconception(NULL, 0, NULL, NULL), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_recommendation_dose(NULL, 0, 0, NULL, NULL),
                     POSTRUN_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_public_function_refuses_each_null_pointer),
        cmocka_unit_test(test_error_format_with_a_null_buffer_measures_only),
        cmocka_unit_test(test_a_huge_length_is_refused_everywhere),
        cmocka_unit_test(test_accessors_say_argument_for_a_null_assessment_or_out_pointer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
