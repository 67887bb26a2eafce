/* The error record, allocator hook and small text helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "count_alloc.h"
#include "internal.h"

static void test_a_fresh_record_counts_no_problems(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_error_count(&err), 0);
    assert_null(postrun_error_at(&err, 0));
    assert_int_equal(postrun_error_count(NULL), 0);
    postrun_error_clear(&err);
    postrun_error_clear(NULL);
}

static void test_problems_keep_file_line_column_and_field(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    pr_err_add(&err, POSTRUN_ERR_RANGE, POSTRUN_SEVERITY_ERROR, "run.yaml", 7, 3,
               "run.duration_min", "%d is outside %d..%d", 3000, 1, 2880);
    pr_err_add(&err, POSTRUN_ERR_UNKNOWN_KEY, POSTRUN_SEVERITY_ERROR, "run.yaml", 9, 1, "athlete.mass",
               "unknown");
    assert_int_equal(postrun_error_count(&err), 2);
    assert_int_equal(err.code, POSTRUN_ERR_RANGE);
    assert_int_equal(err.line, 7);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.field, "run.duration_min");
    const postrun_error *second = postrun_error_at(&err, 1);
    assert_non_null(second);
    assert_int_equal(second->code, POSTRUN_ERR_UNKNOWN_KEY);
    assert_int_equal(second->line, 9);
    char line[600];
    postrun_error_format(&err, line, sizeof line);
    assert_string_equal(line, "run.yaml:7:3: run.duration_min: 3000 is outside 1..2880");
    postrun_error_clear(&err);
    assert_int_equal(postrun_error_count(&err), 0);
}

static void test_an_error_moves_ahead_of_an_earlier_warning(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    pr_err_add(&err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_WARNING, "a.yaml", 1, 1, "x", "unused");
    pr_err_add(&err, POSTRUN_ERR_UNKNOWN_ID, POSTRUN_SEVERITY_ERROR, "a.yaml", 2, 1, "y", "bad");
    assert_int_equal(err.severity, POSTRUN_SEVERITY_ERROR);
    assert_int_equal(err.code, POSTRUN_ERR_UNKNOWN_ID);
    assert_int_equal(postrun_error_at(&err, 1)->severity, POSTRUN_SEVERITY_WARNING);
    assert_int_equal(pr_err_errors(&err), 1);
    postrun_error_clear(&err);
}

static void test_problems_stop_at_the_cap(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    for (int i = 0; i < 500; i++)
        pr_err_set(&err, POSTRUN_ERR_TYPE, "f", "problem %d", i);
    assert_int_equal(postrun_error_count(&err), PR_MAX_PROBLEMS);
    postrun_error_clear(&err);
}

static void test_long_messages_are_truncated_not_overflowed(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    postrun_error err = POSTRUN_ERROR_INIT;
    pr_err_add(&err, POSTRUN_ERR_TYPE, POSTRUN_SEVERITY_ERROR, big, 1, 1, big, "%s", big);
    assert_int_equal(strlen(err.message), sizeof err.message - 1);
    assert_int_equal(strlen(err.file), sizeof err.file - 1);
    assert_int_equal(strlen(err.field), sizeof err.field - 1);
    postrun_error_clear(&err);
}

static void test_every_status_has_a_description(void **state)
{
    (void)state;
    for (int s = POSTRUN_ERR_NOT_FOUND; s <= POSTRUN_DONE; s++) {
        const char *t = postrun_strerror((postrun_status)s);
        assert_non_null(t);
        assert_string_not_equal(t, "unknown status");
    }
    assert_string_equal(postrun_strerror((postrun_status)-999), "unknown status");
}

static void test_version_macros_match_the_library(void **state)
{
    (void)state;
    assert_string_equal(postrun_version(), POSTRUN_VERSION_STRING);
    assert_int_equal(postrun_version_number(), POSTRUN_VERSION_NUMBER);
    assert_int_equal(POSTRUN_VERSION_NUMBER, POSTRUN_VERSION_MAJOR * 1000000 +
                                                 POSTRUN_VERSION_MINOR * 1000 +
                                                 POSTRUN_VERSION_PATCH);
}

static void test_suggestions_find_near_misses_only(void **state)
{
    (void)state;
    static const char *const words[] = {"body_mass_kg", "height_cm", "age_y", NULL};
    assert_string_equal(pr_suggest("body_mas_kg", words), "body_mass_kg");
    assert_string_equal(pr_suggest("heigth_cm", words), "height_cm");
    assert_null(pr_suggest("temperature", words));
}

static void test_the_allocator_hook_sees_every_block(void **state)
{
    (void)state;
    counting_alloc c;
    counting_start(&c, 0);
    char *s = pr_strdup("hello");
    assert_int_equal(c.live, 1);
    s = pr_realloc(s, 1000);
    assert_non_null(s);
    assert_string_equal(s, "hello");
    assert_int_equal(c.live, 1);
    assert_int_equal(c.reallocs, 1);
    pr_free(s);
    assert_int_equal(c.live, 0);
    c.fail_at = c.calls + 1;
    assert_null(pr_malloc(10));
    assert_int_equal(c.failures, 1);
    counting_stop();
}

static void test_numbers_are_rounded_for_people(void **state)
{
    (void)state;
    char b[32];
    pr_format_number(b, sizeof b, 1234.4, -1);
    assert_string_equal(b, "1234");
    pr_format_number(b, sizeof b, 12.345, -1);
    assert_string_equal(b, "12.3");
    pr_format_number(b, sizeof b, 0.456, -1);
    assert_string_equal(b, "0.46");
    pr_format_number(b, sizeof b, -0.001, -1);
    assert_string_equal(b, "0");
    pr_format_number(b, sizeof b, 75.0, -1);
    assert_string_equal(b, "75");
    pr_format_number(b, sizeof b, NAN, -1);
    assert_string_equal(b, "unknown");
    pr_format_number(b, sizeof b, 2.0, 0);
    assert_string_equal(b, "2");
}

/* The rules of pr_format_number() spelt out with printf alone, as the reference. */
static void format_number_printf(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v)) {
        snprintf(buf, size, "unknown");
        return;
    }
    bool trim = decimals < 0;
    if (decimals < 0)
        decimals = fabs(v) >= 100 ? 0 : fabs(v) >= 1 ? 1 : 2;
    if (decimals > 6)
        decimals = 6;
    snprintf(buf, size, "%.*f", decimals, v);
    if (trim && strchr(buf, '.')) {
        char *end = buf + strlen(buf) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

static void test_number_formatting_matches_printf(void **state)
{
    (void)state;
    uint64_t s = 0x9e3779b97f4a7c15u;
    long bad = 0;
    for (long i = 0; i < 200000 && bad < 10; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double v;
        switch (s % 4) {
        case 0: /* decimals as people write them, ties included */
            v = (double)((int64_t)(s >> 20) % 2000001 - 1000000) / (s & 16 ? 1000.0 : 8.0);
            break;
        case 1: /* tiny magnitudes: "-0" and "0.00" */
            v = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * 0.02;
            break;
        case 2: { /* any bit pattern */
            uint64_t bits = s * 0x2545f4914f6cdd1du;
            memcpy(&v, &bits, sizeof v);
            break;
        }
        default: /* every magnitude the models give */
            v = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * pow(10, (int)(s % 15) - 4);
            break;
        }
        int decimals = (int)((s >> 5) % 9) - 1; /* -1 (sensible rounding) .. 7 */
        char want[512], got[512];
        format_number_printf(want, sizeof want, v, decimals);
        size_t len = pr_format_number(got, sizeof got, v, decimals);
        if (strcmp(want, got) != 0 || len != strlen(got)) {
            print_error("%.17g, %d: printf '%s', pr_format_number '%s' (length %zu)\n", v,
                        decimals, want, got, len);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Whether s is whole UTF-8: every sequence complete (the texts below are valid up to a cut). */
static bool whole_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 0 : *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : 1;
        p++;
        for (size_t i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

static void test_truncated_texts_end_between_characters(void **state)
{
    (void)state;
    /* Every offset of a cut: 1, 2, 3 and 4-byte characters after 0..3 ASCII bytes. */
    static const char *const chars[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8f\x83"};
    for (size_t pre = 0; pre < 4; pre++) {
        for (size_t c = 0; c < 4; c++) {
            char text[1400];
            size_t n = 0;
            for (; n < pre; n++)
                text[n] = 'x';
            while (n + 4 < sizeof text - 1) {
                memcpy(text + n, chars[c], strlen(chars[c]));
                n += strlen(chars[c]);
            }
            text[n] = '\0';
            postrun_error err = POSTRUN_ERROR_INIT;
            pr_err_add(&err, POSTRUN_ERR_VALUE, POSTRUN_SEVERITY_ERROR, text, 1, 1, text, "%s",
                       text);
            assert_true(whole_utf8(err.message));
            assert_true(whole_utf8(err.file));
            assert_true(whole_utf8(err.field));
            /* cut by at most one character's bytes less than the array holds */
            assert_true(strlen(err.message) + 4 >= sizeof err.message - 1);
            char line[301];
            size_t full = postrun_error_format(&err, line, sizeof line);
            assert_true(full > sizeof line);
            assert_true(whole_utf8(line));
            assert_true(strlen(line) + 4 >= sizeof line - 1);
            char small[7];
            pr_strlcpy(small, text, sizeof small);
            assert_true(whole_utf8(small));
            assert_true(strlen(small) + 3 >= sizeof small - 1);
            postrun_error_clear(&err);
        }
    }
    /* A cut between characters is left alone. */
    char buf[5];
    pr_strlcpy(buf, "ab\xc3\xa9zz", sizeof buf);
    assert_string_equal(buf, "ab\xc3\xa9");
}

static void test_a_record_keeps_its_version(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(err.version, POSTRUN_ERROR_VERSION);
    pr_err_set(&err, POSTRUN_ERR_VALUE, "x", "first");
    pr_err_set(&err, POSTRUN_ERR_VALUE, "y", "second");
    assert_int_equal(err.version, POSTRUN_ERROR_VERSION);
    assert_int_equal(postrun_error_at(&err, 1)->version, POSTRUN_ERROR_VERSION);
    postrun_error_clear(&err);
    assert_int_equal(err.version, POSTRUN_ERROR_VERSION);
    assert_int_equal(postrun_error_count(&err), 0);
    /* A record zeroed with memset (version 0) works as version 1. */
    postrun_error zero;
    memset(&zero, 0, sizeof zero);
    pr_err_set(&zero, POSTRUN_ERR_VALUE, NULL, "problem");
    assert_int_equal(postrun_error_count(&zero), 1);
    assert_string_equal(zero.message, "problem");
    postrun_error_clear(&zero);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_fresh_record_counts_no_problems),
        cmocka_unit_test(test_problems_keep_file_line_column_and_field),
        cmocka_unit_test(test_an_error_moves_ahead_of_an_earlier_warning),
        cmocka_unit_test(test_problems_stop_at_the_cap),
        cmocka_unit_test(test_long_messages_are_truncated_not_overflowed),
        cmocka_unit_test(test_every_status_has_a_description),
        cmocka_unit_test(test_version_macros_match_the_library),
        cmocka_unit_test(test_suggestions_find_near_misses_only),
        cmocka_unit_test(test_the_allocator_hook_sees_every_block),
        cmocka_unit_test(test_numbers_are_rounded_for_people),
        cmocka_unit_test(test_number_formatting_matches_printf),
        cmocka_unit_test(test_truncated_texts_end_between_characters),
        cmocka_unit_test(test_a_record_keeps_its_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
