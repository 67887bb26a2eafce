/*
 * Histories (docs/history.md, contract section 5): each effect of the runs before on a
 * constructed history, checked against the figure worked out by hand or against the same run
 * assessed without a history; the start time; the errors; out of memory.
 */
#include <math.h>
#include <pthread.h>
#include <unistd.h>

#include "test_helpers.h"
#include "history.h"

#define DAY 86400.0
#define T0 "2026-06-29T07:00:00Z"
#define T0_S 1782716400.0 /* T0 in seconds since the epoch, worked out by hand */

static postrun_kb *kb;

static int setup(void **state)
{
    (void)state;
    postrun_error e = POSTRUN_ERROR_INIT;
    int rc = postrun_kb_load_default(&kb, &e) == POSTRUN_OK ? 0 : -1;
    postrun_error_clear(&e);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    postrun_kb_free(kb);
    return 0;
}

static postrun_run *parse(const char *text)
{
    postrun_run *run = NULL;
    postrun_error e = POSTRUN_ERROR_INIT;
    if (postrun_run_parse(&run, kb, text, strlen(text), "test", &e) != POSTRUN_OK) {
        char line[1024];
        postrun_error_format(&e, line, sizeof line);
        fail_msg("%s\n%s", line, text);
    }
    postrun_error_clear(&e);
    return run;
}

static void at(char *buf, size_t size, double days_before_t0)
{
    pr_iso8601_format(buf, size, T0_S - days_before_t0 * DAY);
}

/* A run report `days` before T0 (0: T0 itself), of a 24 km 150 min long run in the
 * glycogen tests: it uses about two thirds of the leg glycogen and damages no muscle
 * (under 30 km, no descent), so the model restores it in about 16 hours; `extra` adds whole
 * sections. */
static postrun_run *run_at(double days, double km, double minutes, const char *extra)
{
    char when[32], text[2048];
    at(when, sizeof when, days);
    snprintf(text, sizeof text,
             "postrun: 1\n"
             "athlete: {body_mass_kg: 70, sex: male}\n"
             "run: {started_at: \"%s\", duration_min: %g, distance_km: %g}\n"
             "%s",
             when, minutes, km, extra ? extra : "");
    return parse(text);
}

static postrun_history_builder *builder(void)
{
    postrun_history_builder *b = NULL;
    assert_int_equal(postrun_history_builder_new(&b, kb, NULL), POSTRUN_OK);
    return b;
}

static void add(postrun_history_builder *b, postrun_run *run)
{
    postrun_error e = POSTRUN_ERROR_INIT;
    postrun_status rc = postrun_history_builder_add_run(b, run, &e);
    if (rc != POSTRUN_OK) {
        char line[1024];
        postrun_error_format(&e, line, sizeof line);
        fail_msg("%s", line);
    }
    postrun_run_free(run);
}

static postrun_history *build(postrun_history_builder *b)
{
    postrun_history *h = NULL;
    assert_int_equal(postrun_history_builder_build(b, &h, NULL), POSTRUN_OK);
    postrun_history_builder_free(b);
    return h;
}

static postrun_assessment *assess(postrun_run *run, const postrun_history *h)
{
    postrun_assessment *a = NULL;
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    if (postrun_assess_with_history(a, run, h, &e) != POSTRUN_OK) {
        char line[1024];
        postrun_error_format(&e, line, sizeof line);
        fail_msg("%s", line);
    }
    postrun_error_clear(&e);
    return a;
}

static postrun_range metric(postrun_assessment *a, const char *name)
{
    postrun_range r;
    assert_int_equal(postrun_assessment_metric(a, name, &r), POSTRUN_OK);
    return r;
}

static int has_assumption(postrun_assessment *a, const char *text)
{
    for (size_t i = 0; i < postrun_assessment_assumption_count(a); i++)
        if (strstr(postrun_assessment_assumption(a, i), text))
            return 1;
    return 0;
}

/* ---- start time ---- */

static void test_start_time_reads_iso_8601_with_its_offset(void **state)
{
    (void)state;
    double t;
    assert_true(pr_iso8601_parse(T0, &t));
    assert_true(t == T0_S);
    assert_true(pr_iso8601_parse("2026-06-29T09:00:00+02:00", &t));
    assert_true(t == T0_S);
    assert_true(pr_iso8601_parse("2026-06-29 01:30-0530", &t));
    assert_true(t == T0_S);
    assert_true(pr_iso8601_parse("2026-06-29T07:00:00.5Z", &t));
    assert_true(t == T0_S + 0.5);
    assert_true(pr_iso8601_parse("1970-01-01T00:00Z", &t));
    assert_true(t == 0);
    assert_true(pr_iso8601_parse("2024-02-29T00:00:00Z", &t)); /* a leap day */
    char buf[32];
    pr_iso8601_format(buf, sizeof buf, T0_S);
    assert_string_equal(buf, T0);
    /* no offset, impossible dates and times, trailing text */
    assert_false(pr_iso8601_parse("2026-06-29T07:00:00", &t));
    assert_false(pr_iso8601_parse("2025-02-29T07:00Z", &t));
    assert_false(pr_iso8601_parse("2026-06-29T24:00Z", &t));
    assert_false(pr_iso8601_parse("2026-13-01T07:00Z", &t));
    assert_false(pr_iso8601_parse("2026-06-29T07:00Zx", &t));
    assert_false(pr_iso8601_parse("2026-6-29T07:00Z", &t));
}

static void test_a_start_time_without_offset_is_refused_at_its_place(void **state)
{
    (void)state;
    const char *text = "postrun: 1\n"
                       "athlete: {body_mass_kg: 70}\n"
                       "run:\n"
                       "  duration_min: 60\n"
                       "  started_at: 2026-06-29T07:00:00\n";
    postrun_run *run = NULL;
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_run_parse(&run, kb, text, strlen(text), "r.yaml", &e),
                     POSTRUN_ERR_VALUE);
    expect_problem(&e, POSTRUN_ERR_VALUE, 5, 15, "run.started_at", "UTC offset");
    assert_null(run);
    postrun_error_clear(&e);
}

static void test_a_start_time_set_by_path_reads_back_as_seconds(void **state)
{
    (void)state;
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_new(&run, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_set_string(run, "run.started_at", T0, NULL), POSTRUN_OK);
    double t = 0;
    assert_int_equal(postrun_run_get_number(run, "run.started_at", &t, NULL), POSTRUN_OK);
    assert_true(t == T0_S);
    assert_int_equal(postrun_run_set_string(run, "run.started_at", "yesterday", NULL),
                     POSTRUN_ERR_VALUE);
    postrun_run_free(run);
}

static void test_an_activity_file_gives_its_start_time(void **state)
{
    (void)state;
    static const char GPX[] =
        "<?xml version=\"1.0\"?>\n"
        "<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
        "<trk><type>running</type><trkseg>\n"
        "<trkpt lat=\"46.0000\" lon=\"14.0000\"><ele>300</ele><time>2026-06-29T07:00:00Z</time></trkpt>\n"
        "<trkpt lat=\"46.0100\" lon=\"14.0000\"><ele>302</ele><time>2026-06-29T07:06:00Z</time></trkpt>\n"
        "<trkpt lat=\"46.0200\" lon=\"14.0000\"><ele>305</ele><time>2026-06-29T07:12:00Z</time></trkpt>\n"
        "</trkseg></trk></gpx>\n";
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_new(&run, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_load_activity(run, kb, "t.gpx", GPX, strlen(GPX), NULL, NULL),
                     POSTRUN_OK);
    double t = 0;
    assert_int_equal(postrun_run_get_number(run, "run.started_at", &t, NULL), POSTRUN_OK);
    assert_true(t == T0_S);
    postrun_run_free(run);
}

/* ---- training load ---- */

/* Runs 1-6 days before of 12 km, 7-27 days before of 8 km, today 10 km: by hand, the last 7
 * days hold 10 + 6 x 12 = 82 km, the 28 days 82 + 21 x 8 = 250 km, a week of them 62.5 km. */
static postrun_history *load_history(void)
{
    postrun_history_builder *b = builder();
    for (int d = 27; d >= 1; d--)
        add(b, run_at(d, d <= 6 ? 12 : 8, 50, NULL));
    return build(b);
}

static void test_acwr_from_the_history_equals_the_hand_computed_value(void **state)
{
    (void)state;
    postrun_history *h = load_history();
    assert_int_equal(postrun_history_count(h), 27);
    postrun_run *run = run_at(0, 10, 55, NULL);
    postrun_assessment *a = assess(run, h);
    assert_float_equal(metric(a, "load.acute_km").expected, 82, 1e-9);
    assert_float_equal(metric(a, "load.chronic_km").expected, 62.5, 1e-9);
    assert_float_equal(metric(a, "load.acwr").expected, 82 / 62.5, 1e-12);
    assert_float_equal(metric(a, "load.week_increase_pct").expected, (82 / 62.5 - 1) * 100,
                       1e-9);
    /* uncoupled: the 3 weeks before the last one, 168 km */
    assert_float_equal(metric(a, "history.acwr_uncoupled").expected, 82 / (168 / 3.0), 1e-12);
    /* Foster: daily km 10 (today), 12, 12, 12, 12, 12, 12 */
    double mean = 82 / 7.0;
    double sd = sqrt(((10 - mean) * (10 - mean) + 6 * (12 - mean) * (12 - mean)) / 7);
    assert_float_equal(metric(a, "history.monotony").expected, mean / sd, 1e-9);
    assert_float_equal(metric(a, "history.strain").expected, 82 * mean / sd, 1e-6);
    assert_float_equal(metric(a, "recent.acute_week_km").expected, 82, 1e-9);
    assert_true(has_assumption(a, "training load from the history"));
    postrun_assessment_free(a);

    /* The report's own figures win. */
    postrun_run_set_number(run, "recent.acute_week_km", 40, NULL);
    postrun_run_set_number(run, "recent.chronic_week_km", 40, NULL);
    a = assess(run, h);
    assert_float_equal(metric(a, "load.acwr").expected, 1.0, 1e-12);
    assert_false(has_assumption(a, "training load from the history"));
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
}

static void test_a_history_shorter_than_four_weeks_leaves_the_load_unknown(void **state)
{
    (void)state;
    postrun_history_builder *b = builder();
    for (int d = 10; d >= 1; d--)
        add(b, run_at(d, 10, 50, NULL));
    postrun_history *h = build(b);
    postrun_run *run = run_at(0, 10, 55, NULL);
    postrun_assessment *a = assess(run, h);
    postrun_range r;
    assert_int_equal(postrun_assessment_metric(a, "load.acwr", &r), POSTRUN_ERR_NOT_FOUND);
    assert_true(has_assumption(a, "less than 4 weeks"));
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
}

static void test_runs_after_the_assessed_one_do_not_count(void **state)
{
    (void)state;
    postrun_history *h = load_history();
    /* the same history, assessed 10 days earlier: only the runs before count */
    postrun_run *run = run_at(10, 8, 50, NULL);
    postrun_assessment *a = assess(run, h);
    assert_float_equal(metric(a, "history.runs").expected, 17, 0);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
}

/* ---- personal sweat ---- */

#define HOT "environment: {temperature_c: 26, relative_humidity_pct: 60}\n"

/* The sweat loss (l) the model predicts for the run of `days` before T0. */
static double predicted_loss(double days)
{
    postrun_run *run = run_at(days, 12, 70, HOT);
    postrun_assessment *a = assess(run, NULL);
    double loss = metric(a, "fluid.sweat_loss_l").expected;
    postrun_assessment_free(a);
    postrun_run_free(run);
    return loss;
}

/* A weigh-in showing `ratio` times the predicted loss. */
static postrun_run *weigh_in_run(double days, double ratio)
{
    char extra[256];
    double loss = predicted_loss(days) * ratio;
    snprintf(extra, sizeof extra, HOT "weigh_in: {pre_kg: 70.0, post_kg: %.3f}\n", 70.0 - loss);
    return run_at(days, 12, 70, extra);
}

static postrun_history *sweat_history(int weigh_ins, double ratio)
{
    postrun_history_builder *b = builder();
    for (int i = 0; i < weigh_ins; i++)
        add(b, weigh_in_run(3 + 4 * i, ratio));
    add(b, run_at(40, 10, 50, NULL)); /* and a run without a weigh-in */
    return build(b);
}

static void test_weigh_ins_move_the_predicted_sweat_toward_them_and_narrow_it(void **state)
{
    (void)state;
    postrun_run *run = run_at(0, 12, 70, HOT);
    postrun_assessment *a = assess(run, NULL);
    postrun_range base = metric(a, "fluid.sweat_rate_l_h");
    postrun_assessment_free(a);

    double last_x = base.expected, last_width = (base.high - base.low) / base.expected;
    for (int n = 1; n <= 5; n += 2) {
        postrun_history *h = sweat_history(n, 1.5);
        a = assess(run, h);
        postrun_range r = metric(a, "fluid.sweat_rate_l_h");
        assert_string_equal(postrun_assessment_label(a, "fluid.method"), "predicted_personal");
        assert_float_equal(metric(a, "history.weigh_ins").expected, n, 0);
        double width = (r.high - r.low) / r.expected;
        /* toward 1.5 x, never beyond it, narrower with each */
        assert_true(r.expected > last_x);
        assert_true(r.expected < 1.5 * base.expected);
        assert_true(width < last_width);
        last_x = r.expected;
        last_width = width;
        postrun_assessment_free(a);
        postrun_history_free(h);
    }
    /* five weigh-ins of 1.5 x: most of the way there */
    assert_true(last_x > 1.4 * base.expected);
    postrun_run_free(run);
}

static bool has_recommendation(postrun_assessment *a, const char *id)
{
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        assert_int_equal(postrun_assessment_recommendation(a, i, &r), POSTRUN_OK);
        if (strcmp(r.id, id) == 0)
            return true;
    }
    return false;
}

/* A loss calibrated to the runner's weigh-ins is still a prediction for today's run: the
 * advice for a predicted deficit (drink to thirst with salt, from the safe end; thirst on
 * long runs) stays. It once required fluid.method == predicted and vanished with a history. */
static void test_a_calibrated_prediction_keeps_the_advice_for_a_predicted_deficit(void **state)
{
    (void)state;
    postrun_run *run = run_at(0, 24, 130, HOT);
    postrun_assessment *a = assess(run, NULL);
    assert_int_equal(postrun_assessment_set_limit(a, 0), POSTRUN_OK);
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    assert_true(metric(a, "fluid.body_mass_change_pct").expected < -2);
    assert_true(has_recommendation(a, "rehydrate_estimated"));
    assert_true(has_recommendation(a, "drink_to_thirst_on_long_runs"));
    postrun_assessment_free(a);

    postrun_history *h = sweat_history(5, 1.3);
    a = assess(run, h);
    assert_int_equal(postrun_assessment_set_limit(a, 0), POSTRUN_OK);
    assert_int_equal(postrun_assess_with_history(a, run, h, &err), POSTRUN_OK);
    assert_string_equal(postrun_assessment_label(a, "fluid.method"), "predicted_personal");
    assert_true(metric(a, "fluid.body_mass_change_pct").expected < -2);
    assert_true(has_recommendation(a, "rehydrate_estimated"));
    assert_true(has_recommendation(a, "drink_to_thirst_on_long_runs"));
    assert_false(has_recommendation(a, "rehydrate_with_sodium")); /* that one is for a weigh-in */
    postrun_assessment_free(a);
    postrun_history_free(h);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

static void test_without_weigh_ins_the_sweat_prediction_is_unchanged(void **state)
{
    (void)state;
    postrun_run *run = run_at(0, 12, 70, HOT);
    postrun_assessment *a = assess(run, NULL);
    postrun_range base = metric(a, "fluid.sweat_rate_l_h");
    postrun_assessment_free(a);
    postrun_history *h = sweat_history(0, 1);
    a = assess(run, h);
    postrun_range r = metric(a, "fluid.sweat_rate_l_h");
    assert_true(r.low == base.low && r.expected == base.expected && r.high == base.high);
    assert_string_equal(postrun_assessment_label(a, "fluid.method"), "predicted");
    assert_float_equal(metric(a, "history.weigh_ins").expected, 0, 0);
    postrun_assessment_free(a);
    postrun_history_free(h);

    /* a weigh-in no body could give (3 x the prediction) teaches nothing */
    h = sweat_history(1, 3);
    a = assess(run, h);
    r = metric(a, "fluid.sweat_rate_l_h");
    assert_true(r.expected == base.expected);
    assert_float_equal(metric(a, "history.weigh_ins").expected, 0, 0);
    postrun_assessment_free(a);
    postrun_history_free(h);
    postrun_run_free(run);
}

static postrun_run *downhill(postrun_run *run, double loss_m)
{
    assert_int_equal(postrun_run_set_number(run, "run.elevation_loss_m", loss_m, NULL),
                     POSTRUN_OK);
    return run;
}

/* ---- glycogen carried over ---- */

#define LONG_RUN_DAYS (1.0 + 150.0 / 1440.0) /* a 150-min run that ended 24 h before T0 */

static double muscle_before(const char *today_extra, double gap_days, double yday_loss_m)
{
    postrun_history_builder *b = builder();
    add(b, downhill(run_at(gap_days, 24, 150, NULL), yday_loss_m));
    postrun_history *h = build(b);
    postrun_run *run = run_at(0, 10, 60, today_extra);
    postrun_assessment *a = assess(run, h);
    double x = metric(a, "glycogen.muscle_store_before_g").expected;
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
    return x;
}

static void test_yesterdays_depleting_run_lowers_the_store_and_a_day_of_food_restores_it(
    void **state)
{
    (void)state;
    postrun_run *run = run_at(0, 10, 60, NULL);
    postrun_assessment *a = assess(run, NULL);
    double full = metric(a, "glycogen.muscle_store_before_g").expected;
    postrun_assessment_free(a);
    postrun_run_free(run);

    /* 150 min, ended 6 h before, nothing eaten since: well below full */
    double after_6h = muscle_before("recent: {carbohydrate_since_last_run_g: 0}\n",
                                    (150.0 + 360.0) / 1440.0, 0);
    assert_true(after_6h < 0.8 * full);
    /* the same with little food, 12 h: more than at 6 h with none, still not full */
    double after_12h = muscle_before("recent: {carbohydrate_since_last_run_g: 150}\n",
                                     (150.0 + 720.0) / 1440.0, 0);
    assert_true(after_12h > after_6h);
    assert_true(after_12h < full);
    /* a full day with 8 g/kg of carbohydrate: back to full */
    double after_day = muscle_before("recent: {carbohydrate_since_last_run_g: 560}\n",
                                     LONG_RUN_DAYS, 0);
    assert_float_equal(after_day, full, 1e-9);
    /* not reported: an assumed intake, and the assessment says so */
    postrun_history_builder *b = builder();
    add(b, run_at(LONG_RUN_DAYS, 24, 150, NULL));
    postrun_history *h = build(b);
    run = run_at(0, 10, 60, NULL);
    a = assess(run, h);
    assert_true(has_assumption(a, "not reported: assumed"));
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
}

static void test_refilling_is_slower_after_muscle_damage(void **state)
{
    (void)state;
    const char *food = "recent: {carbohydrate_since_last_run_g: 400}\n";
    double gap = (150.0 + 600.0) / 1440.0; /* 10 h */
    double flat = muscle_before(food, gap, 0);
    double descent = muscle_before(food, gap, 1200);
    /* the same run with a long descent damages the muscles: they refill more slowly */
    assert_true(descent < flat);
}

/* ---- repeated-bout effect ---- */



static int doms_risk(const postrun_history *h)
{
    /* a novice's first long descent: high risk */
    postrun_run *run = downhill(run_at(0, 15, 90, NULL), 600);
    assert_int_equal(postrun_run_set_string(run, "athlete.training_status", "novice", NULL),
                     POSTRUN_OK);
    postrun_assessment *a = assess(run, h);
    const char *risk = postrun_assessment_label(a, "load.doms_risk");
    int r = strcmp(risk, "high") == 0 ? 2 : strcmp(risk, "moderate") == 0 ? 1 : 0;
    postrun_assessment_free(a);
    postrun_run_free(run);
    return r;
}

static void test_a_repeated_downhill_bout_lowers_the_soreness_risk(void **state)
{
    (void)state;
    int alone = doms_risk(NULL);
    assert_int_equal(alone, 2);

    postrun_history_builder *b = builder();
    add(b, downhill(run_at(14, 15, 90, NULL), 500));
    postrun_history *h = build(b);
    assert_int_equal(doms_risk(h), 1);
    postrun_history_free(h);

    /* a flat run, or a downhill one two months ago, does not protect */
    b = builder();
    add(b, run_at(14, 15, 90, NULL));
    add(b, downhill(run_at(60, 15, 90, NULL), 800));
    h = build(b);
    assert_int_equal(doms_risk(h), 2);
    postrun_history_free(h);
}

/* ---- recurring symptoms ---- */

static const char *CRAMPS = "symptoms: [{id: cramps, severity: 5}]\n";

static void test_three_cramps_in_four_long_runs_make_a_pattern(void **state)
{
    (void)state;
    postrun_history_builder *b = builder();
    add(b, run_at(21, 25, 120, CRAMPS));
    add(b, run_at(14, 25, 120, NULL));
    add(b, run_at(10, 8, 45, CRAMPS)); /* short: not a long run */
    add(b, run_at(7, 25, 120, CRAMPS));
    postrun_history *h = build(b);
    postrun_run *run = run_at(0, 25, 120, CRAMPS);
    postrun_assessment *a = assess(run, h);
    assert_float_equal(metric(a, "history.long_runs").expected, 4, 0);
    assert_float_equal(metric(a, "history.cramp_long_runs").expected, 3, 0);
    char *yaml = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &yaml, NULL, NULL),
                     POSTRUN_OK);
    assert_non_null(strstr(yaml, "- id: recurring_symptom\n  symptom: cramps\n  count: 3\n  of: 4"));
    postrun_free(yaml);
    /* the knowledge base's note on recurring cramps */
    int noted = 0;
    for (size_t i = 0; i < postrun_assessment_note_count(a); i++)
        noted |= strstr(postrun_assessment_note(a, i), "3 of your last 4 long runs") != NULL;
    assert_true(noted);
    postrun_assessment_free(a);

    /* two of four is no pattern */
    postrun_run_unset(run, "symptoms", NULL);
    a = assess(run, h);
    assert_float_equal(metric(a, "history.cramp_long_runs").expected, 2, 0);
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &yaml, NULL, NULL),
                     POSTRUN_OK);
    assert_null(strstr(yaml, "recurring_symptom"));
    postrun_free(yaml);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
}

static void test_an_assessment_reused_without_the_history_forgets_it(void **state)
{
    (void)state;
    postrun_history *h = load_history();
    postrun_run *run = run_at(0, 10, 55, NULL);
    postrun_assessment *a = assess(run, h);
    postrun_range r;
    assert_int_equal(postrun_assessment_metric(a, "history.runs", &r), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assessment_metric(a, "history.runs", &r), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_metric(a, "load.acwr", &r), POSTRUN_ERR_NOT_FOUND);
    char *yaml = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &yaml, NULL, NULL),
                     POSTRUN_OK);
    assert_null(strstr(yaml, "history:"));
    postrun_free(yaml);
    /* and a fresh one never had it */
    postrun_assessment *b = assess(run, NULL);
    assert_int_equal(postrun_assessment_metric(b, "history.runs", &r), POSTRUN_ERR_NOT_FOUND);
    postrun_assessment_free(b);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
}

/* ---- threads ---- */

typedef struct worker {
    const postrun_history *h;
    const postrun_run *run;
    double acwr, factor;
    int failed;
} worker;

static void *assess_many(void *arg)
{
    worker *w = arg;
    postrun_assessment *a = NULL;
    if (postrun_assessment_new(&a, kb, NULL) != POSTRUN_OK)
        return (w->failed = 1, NULL);
    for (int i = 0; i < 200 && !w->failed; i++) {
        postrun_range r, f;
        if (postrun_assess_with_history(a, w->run, w->h, NULL) != POSTRUN_OK ||
            postrun_assessment_metric(a, "load.acwr", &r) != POSTRUN_OK ||
            postrun_assessment_metric(a, "history.sweat_factor", &f) != POSTRUN_OK)
            w->failed = 1;
        else if (i == 0)
            w->acwr = r.expected, w->factor = f.expected;
        else if (r.expected != w->acwr || f.expected != w->factor)
            w->failed = 1;
    }
    postrun_assessment_free(a);
    return NULL;
}

static void test_threads_share_one_history(void **state)
{
    (void)state;
    postrun_history_builder *b = builder();
    for (int d = 27; d >= 1; d--)
        add(b, d % 9 == 0 ? weigh_in_run(d, 1.2) : run_at(d, 10, 50, NULL));
    postrun_history *h = build(b);
    postrun_run *run = run_at(0, 12, 70, HOT);
    worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){h, run, 0, 0, 0};
        assert_int_equal(pthread_create(&t[i], NULL, assess_many, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_false(w[i].failed);
        assert_true(w[i].acwr == w[0].acwr && w[i].factor == w[0].factor);
    }
    assert_true(w[0].factor > 1.0); /* three weigh-ins of 1.2 x */
    postrun_run_free(run);
    postrun_history_free(h);
}

/* ---- errors ---- */

static void test_a_history_run_without_a_start_time_is_refused(void **state)
{
    (void)state;
    postrun_history_builder *b = builder();
    postrun_run *run = parse("postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 30}\n");
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_history_builder_add_run(b, run, &e), POSTRUN_ERR_MISSING);
    assert_string_equal(e.field, "run.started_at");
    postrun_error_clear(&e);
    postrun_run_free(run);
    postrun_history_builder_free(b);
}

static void test_the_same_run_given_twice_is_a_duplicate(void **state)
{
    (void)state;
    postrun_history_builder *b = builder();
    add(b, run_at(3, 10, 50, NULL));
    add(b, run_at(1, 10, 50, NULL));
    add(b, run_at(3 - 30.0 / DAY, 10, 50, NULL)); /* 30 s apart */
    postrun_history *h = NULL;
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_history_builder_build(b, &h, &e), POSTRUN_ERR_DUPLICATE);
    assert_null(h);
    assert_non_null(strstr(e.message, "the same run given twice"));
    postrun_error_clear(&e);
    postrun_history_builder_free(b);
}

static void test_assessing_with_a_history_needs_a_start_time_and_its_knowledge_base(
    void **state)
{
    (void)state;
    postrun_history *h = load_history();
    postrun_run *run = parse("postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {duration_min: 30}\n");
    postrun_assessment *a = NULL;
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assess_with_history(a, run, h, &e), POSTRUN_ERR_MISSING);
    assert_string_equal(e.field, "run.started_at");
    assert_int_equal(postrun_assessment_cause_count(a), 0);
    /* without a history it is an ordinary assessment */
    assert_int_equal(postrun_assess_with_history(a, run, NULL, &e), POSTRUN_OK);
    postrun_assessment_free(a);

    postrun_kb *other = NULL;
    assert_int_equal(postrun_kb_load_default(&other, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, other, NULL), POSTRUN_OK);
    assert_int_equal(postrun_assess_with_history(a, run, h, &e), POSTRUN_ERR_ARGUMENT);
    postrun_assessment_free(a);
    postrun_kb_free(other);
    postrun_error_clear(&e);
    postrun_run_free(run);
    postrun_history_free(h);
}

static void test_a_stream_names_the_file_and_line_of_a_bad_entry(void **state)
{
    (void)state;
    char path[] = "/tmp/postrun_history_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("postrun: 1\nathlete: {body_mass_kg: 70}\n"
          "run: {started_at: 2026-06-01T07:00Z, duration_min: 30}\n"
          "---\n"
          "postrun: 1\nathlete: {body_mass_kg: 70}\n"
          "run: {duration_min: 30}\n",
          f);
    fclose(f);
    postrun_history_builder *b = builder();
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_history_builder_add_path(b, path, &e), POSTRUN_ERR_MISSING);
    assert_string_equal(e.file, path);
    assert_int_equal(e.line, 4); /* the second document, which begins with "---" */
    assert_string_equal(e.field, "run.started_at");
    /* nothing of the failed file was kept */
    postrun_history *h = NULL;
    assert_int_equal(postrun_history_builder_build(b, &h, NULL), POSTRUN_OK);
    assert_int_equal(postrun_history_count(h), 0);
    postrun_history_free(h);
    assert_int_equal(postrun_history_builder_add_path(b, "/nonexistent/x.yaml", &e),
                     POSTRUN_ERR_IO);
    postrun_error_clear(&e);
    postrun_history_builder_free(b);
    remove(path);
}

static void test_a_directory_of_reports_and_activity_files_is_one_history(void **state)
{
    (void)state;
    char dir[] = "/tmp/postrun_history_dir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    /* a watch file of a 50-minute run the day before T0, 10 km with 300 m of descent */
    snprintf(path, sizeof path, "%s/a.gpx", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\" "
          "xmlns=\"http://www.topografix.com/GPX/1/1\">\n<trk><type>running</type><trkseg>\n",
          f);
    for (int i = 0; i <= 50; i++)
        fprintf(f, "<trkpt lat=\"%.6f\" lon=\"14.0\"><ele>%d</ele>"
                   "<time>2026-06-28T07:%02d:00Z</time></trkpt>\n",
                46.0 + i * 0.0018, 800 - i * 6, i < 50 ? i : 59);
    fputs("</trkseg></trk></gpx>\n", f);
    fclose(f);
    /* and a report two days before, which lends its body mass */
    snprintf(path, sizeof path, "%s/b.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("postrun: 1\nathlete: {body_mass_kg: 70}\n"
          "run: {started_at: 2026-06-27T07:00:00Z, duration_min: 40, distance_km: 8}\n", f);
    fclose(f);
    postrun_history_builder *b = builder();
    postrun_error e = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_history_builder_add_path(b, dir, &e), POSTRUN_OK);
    postrun_history *h = build(b);
    assert_int_equal(postrun_history_count(h), 2);
    /* the watch file's downhill run protects today's */
    postrun_run *run = downhill(run_at(0, 15, 90, NULL), 400);
    postrun_run_set_string(run, "athlete.training_status", "novice", NULL);
    postrun_assessment *a = assess(run, h);
    assert_float_equal(metric(a, "history.repeated_bout").expected, 1, 0);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_history_free(h);
    postrun_error_clear(&e);
    snprintf(path, sizeof path, "%s/a.gpx", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/b.yaml", dir);
    remove(path);
    rmdir(dir);
}

static void test_the_trends_render_in_every_format(void **state)
{
    (void)state;
    postrun_history *h = load_history();
    const postrun_format formats[] = {POSTRUN_FORMAT_YAML, POSTRUN_FORMAT_JSON,
                                      POSTRUN_FORMAT_TEXT};
    const char *needle[] = {"acwr:", "\"acwr\":", "Acute:chronic ratio:"};
    for (int i = 0; i < 3; i++) {
        char *out = NULL;
        size_t len = 0;
        assert_int_equal(postrun_history_render(h, formats[i], &out, &len, NULL), POSTRUN_OK);
        assert_non_null(strstr(out, needle[i]));
        assert_int_equal(strlen(out), len);
        postrun_free(out);
    }
    postrun_history_free(h);

    /* an empty history knows nothing, and says so */
    postrun_history_builder *b = builder();
    h = build(b);
    char *out = NULL;
    assert_int_equal(postrun_history_render(h, POSTRUN_FORMAT_YAML, &out, NULL, NULL),
                     POSTRUN_OK);
    assert_non_null(strstr(out, "runs: 0"));
    assert_non_null(strstr(out, "muscle_glycogen_start_pct:\n    low: null"));
    postrun_free(out);
    assert_int_equal(postrun_history_render(h, POSTRUN_FORMAT_TEXT, &out, NULL, NULL),
                     POSTRUN_OK);
    assert_string_equal(out, "History: no runs\n");
    postrun_free(out);
    postrun_history_free(h);
}

/* ---- out of memory ---- */

static void test_out_of_memory_while_building_leaks_nothing(void **state)
{
    (void)state;
    postrun_run *run = run_at(2, 10, 50, CRAMPS);
    for (long n = 1; n < 200; n++) {
        counting_alloc c = {.fail_at = n};
        postrun_set_allocator(counting_fn, &c);
        postrun_history_builder *b = NULL;
        postrun_history *h = NULL;
        postrun_status rc = postrun_history_builder_new(&b, kb, NULL);
        if (rc == POSTRUN_OK)
            rc = postrun_history_builder_add_run(b, run, NULL);
        if (rc == POSTRUN_OK)
            rc = postrun_history_builder_build(b, &h, NULL);
        char *out = NULL;
        if (rc == POSTRUN_OK)
            rc = postrun_history_render(h, POSTRUN_FORMAT_JSON, &out, NULL, NULL);
        if (rc != POSTRUN_OK && rc != POSTRUN_ERR_NOMEM)
            fail_msg("allocation %ld failing gave %d", n, (int)rc);
        postrun_free(out);
        postrun_history_free(h);
        postrun_history_builder_free(b);
        postrun_set_allocator(NULL, NULL);
        assert_int_equal(c.live, 0);
        if (c.calls < n)
            break; /* every allocation has been failed once */
    }
    postrun_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_time_reads_iso_8601_with_its_offset),
        cmocka_unit_test(test_a_start_time_without_offset_is_refused_at_its_place),
        cmocka_unit_test(test_a_start_time_set_by_path_reads_back_as_seconds),
        cmocka_unit_test(test_an_activity_file_gives_its_start_time),
        cmocka_unit_test(test_acwr_from_the_history_equals_the_hand_computed_value),
        cmocka_unit_test(test_a_history_shorter_than_four_weeks_leaves_the_load_unknown),
        cmocka_unit_test(test_runs_after_the_assessed_one_do_not_count),
        cmocka_unit_test(test_weigh_ins_move_the_predicted_sweat_toward_them_and_narrow_it),
        cmocka_unit_test(test_without_weigh_ins_the_sweat_prediction_is_unchanged),
        cmocka_unit_test(test_a_calibrated_prediction_keeps_the_advice_for_a_predicted_deficit),
        cmocka_unit_test(
            test_yesterdays_depleting_run_lowers_the_store_and_a_day_of_food_restores_it),
        cmocka_unit_test(test_refilling_is_slower_after_muscle_damage),
        cmocka_unit_test(test_a_repeated_downhill_bout_lowers_the_soreness_risk),
        cmocka_unit_test(test_three_cramps_in_four_long_runs_make_a_pattern),
        cmocka_unit_test(test_an_assessment_reused_without_the_history_forgets_it),
        cmocka_unit_test(test_threads_share_one_history),
        cmocka_unit_test(test_a_history_run_without_a_start_time_is_refused),
        cmocka_unit_test(test_the_same_run_given_twice_is_a_duplicate),
        cmocka_unit_test(test_assessing_with_a_history_needs_a_start_time_and_its_knowledge_base),
        cmocka_unit_test(test_a_stream_names_the_file_and_line_of_a_bad_entry),
        cmocka_unit_test(test_a_directory_of_reports_and_activity_files_is_one_history),
        cmocka_unit_test(test_the_trends_render_in_every_format),
        cmocka_unit_test(test_out_of_memory_while_building_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
