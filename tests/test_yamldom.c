/* YAML trees: positions, limits and refusals of hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "yamldom.h"

static postrun_status read_one(const char *text, size_t len, ydoc *doc, postrun_error *err)
{
    yreader r;
    postrun_status s = pr_yreader_open_string(&r, text, len, "t.yaml", &PR_YLIMITS_RUN, err);
    if (s == POSTRUN_OK)
        s = pr_yreader_next(&r, doc, err);
    pr_yreader_close(&r);
    return s;
}

static void test_positions_are_one_based(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    const char *y = "a: 1\nb:\n  c: x\n";
    assert_int_equal(read_one(y, strlen(y), &doc, &err), POSTRUN_OK);
    const dnode *b = pr_dn_get(doc.root, "b");
    assert_non_null(b);
    const dnode *c = pr_dn_get(b, "c");
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, 6);
    pr_ydoc_free(&doc);
    postrun_error_clear(&err);
}

static void test_duplicate_keys_are_reported_with_both_lines(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    const char *y = "a: 1\nb: 2\na: 3\n";
    assert_int_equal(read_one(y, strlen(y), &doc, &err), POSTRUN_ERR_DUPLICATE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 1);
    assert_string_equal(err.field, "a");
    assert_non_null(strstr(err.message, "line 1"));
    assert_non_null(doc.root); /* the rest can still be checked */
    pr_ydoc_free(&doc);
    postrun_error_clear(&err);
}

static void test_aliases_are_refused(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    const char *y = "a: &x [1, 2]\nb: *x\n";
    assert_int_equal(read_one(y, strlen(y), &doc, &err), POSTRUN_ERR_LIMIT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 4);
    postrun_error_clear(&err);
}

static void test_deep_nesting_is_refused(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    size_t n = 100000;
    char *y = malloc(2 * n + 1);
    memset(y, '[', n);
    memset(y + n, ']', n);
    y[2 * n] = '\0';
    assert_int_equal(read_one(y, 2 * n, &doc, &err), POSTRUN_ERR_LIMIT);
    assert_non_null(strstr(err.message, "nesting"));
    free(y);
    postrun_error_clear(&err);
}

static void test_nul_bytes_are_refused_with_their_position(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    const char y[] = "a: 1\nb: x\0y\n";
    assert_int_equal(read_one(y, sizeof y - 1, &doc, &err), POSTRUN_ERR_SYNTAX);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 5);
    postrun_error_clear(&err);
}

static void test_invalid_utf8_is_a_syntax_error(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    const char y[] = "a: \xff\xfe\n";
    assert_int_equal(read_one(y, sizeof y - 1, &doc, &err), POSTRUN_ERR_SYNTAX);
    assert_int_equal(err.line, 1);
    postrun_error_clear(&err);
}

static void test_a_broken_document_reports_where(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    ydoc doc;
    const char *y = "a: 1\nb: [1, 2\n";
    assert_int_equal(read_one(y, strlen(y), &doc, &err), POSTRUN_ERR_SYNTAX);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.file, "t.yaml");
    postrun_error_clear(&err);
}

static void test_numbers_are_strict_and_finite(void **state)
{
    (void)state;
    struct {
        const char *text;
        postrun_status want;
        double value;
    } cases[] = {{"12", POSTRUN_OK, 12},        {"-0", POSTRUN_OK, 0},
                 {"1.5e2", POSTRUN_OK, 150},   {".5", POSTRUN_OK, 0.5},
                 {".nan", POSTRUN_ERR_RANGE, 0}, {".inf", POSTRUN_ERR_RANGE, 0},
                 {"-.inf", POSTRUN_ERR_RANGE, 0}, {"1e400", POSTRUN_ERR_RANGE, 0},
                 {"0x10", POSTRUN_ERR_TYPE, 0},  {"ten", POSTRUN_ERR_TYPE, 0},
                 {"1e", POSTRUN_ERR_TYPE, 0},    {"", POSTRUN_ERR_TYPE, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dnode n = {DN_SCALAR, true, 1, 1, cases[i].text, strlen(cases[i].text), NULL, 0};
        double v = -1;
        assert_int_equal(pr_dn_number(&n, &v), cases[i].want);
        if (cases[i].want == POSTRUN_OK)
            assert_true(v == cases[i].value);
    }
    dnode quoted = {DN_SCALAR, false, 1, 1, "12", 2, NULL, 0};
    double v;
    assert_int_equal(pr_dn_number(&quoted, &v), POSTRUN_ERR_TYPE);
}

static void test_a_stream_yields_each_document_then_done(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    const char *y = "a: 1\n---\na: 2\n---\na: 3\n";
    yreader r;
    assert_int_equal(pr_yreader_open_string(&r, y, strlen(y), "s", &PR_YLIMITS_RUN, &err), POSTRUN_OK);
    for (int i = 1; i <= 3; i++) {
        ydoc doc;
        assert_int_equal(pr_yreader_next(&r, &doc, &err), POSTRUN_OK);
        double v;
        assert_int_equal(pr_dn_number(pr_dn_get(doc.root, "a"), &v), POSTRUN_OK);
        assert_true(v == i);
        pr_ydoc_free(&doc);
    }
    ydoc doc;
    assert_int_equal(pr_yreader_next(&r, &doc, &err), POSTRUN_DONE);
    pr_yreader_close(&r);
    postrun_error_clear(&err);
}

static void test_an_over_long_value_is_refused(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    size_t n = PR_YLIMITS_RUN.max_scalar + 10;
    char *y = malloc(n + 8);
    memcpy(y, "a: ", 3);
    memset(y + 3, 'x', n);
    y[n + 3] = '\n';
    ydoc doc;
    assert_int_equal(read_one(y, n + 4, &doc, &err), POSTRUN_ERR_LIMIT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
    free(y);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_are_one_based),
        cmocka_unit_test(test_duplicate_keys_are_reported_with_both_lines),
        cmocka_unit_test(test_aliases_are_refused),
        cmocka_unit_test(test_deep_nesting_is_refused),
        cmocka_unit_test(test_nul_bytes_are_refused_with_their_position),
        cmocka_unit_test(test_invalid_utf8_is_a_syntax_error),
        cmocka_unit_test(test_a_broken_document_reports_where),
        cmocka_unit_test(test_numbers_are_strict_and_finite),
        cmocka_unit_test(test_a_stream_yields_each_document_then_done),
        cmocka_unit_test(test_an_over_long_value_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
