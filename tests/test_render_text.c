/*
 * The plain-text report (lib/render_text.c): its sections in their order, red flags first;
 * colour only when asked for; every contribution with its weight under --explain and at most
 * two plain-words reasons per cause without; and what a run without symptoms is told. The
 * golden files hold whole reports; these tests say which properties of them matter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postrun.h"

#define ROOT POSTRUN_SOURCE_ROOT

static postrun_kb *g_kb;

static int group_setup(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status rc = postrun_kb_load_default(&g_kb, &err);
    postrun_error_clear(&err);
    return rc == POSTRUN_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    postrun_kb_free(g_kb);
    return 0;
}

/* The text report of one example run (freed with postrun_free); the assessment in *out. */
static char *report(const char *example, unsigned flags, postrun_assessment **out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/runs/%s", ROOT, example);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_run_load_file(&run, g_kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, g_kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    char *text = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_TEXT, flags, &text, NULL, &err),
                     POSTRUN_OK);
    postrun_run_free(run);
    postrun_error_clear(&err);
    if (out)
        *out = a;
    else
        postrun_assessment_free(a);
    return text;
}

/* Where `what` starts in `text`, failing when it is absent. */
static size_t at(const char *text, const char *what)
{
    const char *p = strstr(text, what);
    if (!p)
        fail_msg("'%s' is not in the report:\n%s", what, text);
    return (size_t)(p - text);
}

static void test_red_flags_come_first_and_sections_keep_their_order(void **state)
{
    (void)state;
    char *t = report("07_cola_coloured_urine_severe_aching.yaml", 0, NULL);
    size_t title = at(t, "After your run"), flags = at(t, "!! RED FLAGS"),
           why = at(t, "Why you feel this way"), todo = at(t, "What to do"),
           numbers = at(t, "Energy spent"), assumed = at(t, "What was assumed");
    assert_true(title < flags && flags < why && why < todo && todo < numbers &&
                numbers < assumed);
    postrun_free(t);
}

static void test_colour_codes_appear_only_when_asked_for(void **state)
{
    (void)state;
    char *plain = report("07_cola_coloured_urine_severe_aching.yaml", 0, NULL);
    char *colour = report("07_cola_coloured_urine_severe_aching.yaml", POSTRUN_RENDER_COLOR, NULL);
    assert_null(strchr(plain, '\033'));
    assert_non_null(strstr(colour, "\033["));
    /* the same words: colour adds codes, nothing else */
    assert_true(strlen(colour) > strlen(plain));
    postrun_free(plain);
    postrun_free(colour);
}

/* Lines of `text` that start with `prefix`. */
static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, len) == 0;
    return n;
}

static void test_explain_lists_every_contribution_with_its_weight(void **state)
{
    (void)state;
    postrun_assessment *a = NULL;
    char *t = report("02_hard_race_feeling_dead.yaml", POSTRUN_RENDER_EXPLAIN, &a);
    size_t contributions = 0;
    for (size_t i = 0; i < postrun_assessment_cause_count(a); i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        assert_int_equal(postrun_assessment_cause(a, i, &c), POSTRUN_OK);
        contributions += c.n_because;
    }
    assert_true(contributions > 0);
    assert_int_equal(count_lines(t, "        +") + count_lines(t, "        -"), contributions);
    char *plain = report("02_hard_race_feeling_dead.yaml", 0, NULL);
    /* without --explain: at most two reasons per cause, as "- " lines */
    assert_int_equal(count_lines(plain, "        +"), 0);
    assert_true(count_lines(plain, "        - ") <= 2 * postrun_assessment_cause_count(a));
    postrun_free(plain);
    postrun_free(t);
    postrun_assessment_free(a);
}

static void test_a_run_without_symptoms_is_told_so(void **state)
{
    (void)state;
    char *t = report("10_cold_easy_run_no_symptoms.yaml", 0, NULL);
    at(t, "No symptoms were reported.");
    assert_null(strstr(t, "!! RED FLAGS"));
    postrun_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_red_flags_come_first_and_sections_keep_their_order),
        cmocka_unit_test(test_colour_codes_appear_only_when_asked_for),
        cmocka_unit_test(test_explain_lists_every_contribution_with_its_weight),
        cmocka_unit_test(test_a_run_without_symptoms_is_told_so),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
