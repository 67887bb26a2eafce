/*
 * Golden files: the YAML assessment of every example run, compared field by field with
 * tests/golden/NAME.yaml (same keys in the same order, same words, numbers within a relative
 * tolerance of 1e-3, the precision the output is written with). A change to a golden file is
 * reviewed in the diff (tests/update-golden.sh writes them), never regenerated blindly.
 * Reading the output back with the YAML reader also proves it is well-formed YAML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamldom.h"

static postrun_kb *kb;

static int setup(void **state)
{
    (void)state;
    return postrun_kb_load_default(&kb, NULL) == POSTRUN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    postrun_kb_free(kb);
    return 0;
}

static bool same(const dnode *a, const dnode *b, char *path, size_t cap)
{
    if (a->kind != b->kind) {
        snprintf(path + strlen(path), cap - strlen(path), ": kind differs");
        return false;
    }
    if (a->kind == DN_SCALAR) {
        double x, y;
        if (pr_dn_number(a, &x) == POSTRUN_OK && pr_dn_number(b, &y) == POSTRUN_OK) {
            double tol = 1e-3 * fmax(1e-3, fmax(fabs(x), fabs(y)));
            if (fabs(x - y) <= tol)
                return true;
        } else if (strcmp(a->str, b->str) == 0) {
            return true;
        }
        snprintf(path + strlen(path), cap - strlen(path), ": '%.60s' != golden '%.60s'", a->str,
                 b->str);
        return false;
    }
    if (a->n != b->n) {
        snprintf(path + strlen(path), cap - strlen(path), ": %zu items, golden has %zu",
                 a->kind == DN_MAP ? a->n / 2 : a->n, b->kind == DN_MAP ? b->n / 2 : b->n);
        return false;
    }
    size_t len = strlen(path);
    for (size_t i = 0; i < a->n; i++) {
        if (a->kind == DN_MAP && i % 2 == 0) {
            if (strcmp(a->item[i]->str, b->item[i]->str) != 0) {
                snprintf(path + len, cap - len, ".%s: key differs from golden '%s'",
                         a->item[i]->str, b->item[i]->str);
                return false;
            }
            continue;
        }
        if (a->kind == DN_MAP)
            snprintf(path + len, cap - len, ".%s", a->item[i - 1]->str);
        else
            snprintf(path + len, cap - len, "[%zu]", i);
        if (!same(a->item[i], b->item[i], path, cap))
            return false;
        path[len] = '\0';
    }
    return true;
}

static char *render_example(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT, name);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    char *out = NULL;
    assert_int_equal(postrun_run_load_file(&run, kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_YAML, 0, &out, len, &err),
                     POSTRUN_OK);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_error_clear(&err);
    return out;
}

static void test_every_example_matches_its_golden_file(void **state)
{
    (void)state;
    DIR *d = opendir(POSTRUN_SOURCE_ROOT "/examples/runs");
    assert_non_null(d);
    struct dirent *de;
    size_t checked = 0, failed = 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0 ||
            strcmp(de->d_name, "season.yaml") == 0)
            continue;
        size_t len;
        char *out = render_example(de->d_name, &len);
        char golden[1024];
        snprintf(golden, sizeof golden, "%s/golden/%s", POSTRUN_TEST_DATA "/..", de->d_name);
        postrun_error err = POSTRUN_ERROR_INIT;
        yreader ra, rb;
        ydoc da, db;
        assert_int_equal(pr_yreader_open_string(&ra, out, len, "output", &PR_YLIMITS_KB, &err),
                         POSTRUN_OK);
        assert_int_equal(pr_yreader_next(&ra, &da, &err), POSTRUN_OK);
        if (pr_yreader_open_path(&rb, golden, &PR_YLIMITS_KB, &err) != POSTRUN_OK ||
            pr_yreader_next(&rb, &db, &err) != POSTRUN_OK) {
            fprintf(stderr, "# %s: no golden file (run tests/update-golden.sh and review)\n",
                    de->d_name);
            failed++;
        } else {
            char path[2048] = "";
            if (!same(da.root, db.root, path, sizeof path)) {
                fprintf(stderr, "# %s differs from its golden file at %s\n", de->d_name, path);
                failed++;
            }
            pr_ydoc_free(&db);
            pr_yreader_close(&rb);
        }
        pr_ydoc_free(&da);
        pr_yreader_close(&ra);
        postrun_free(out);
        postrun_error_clear(&err);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 10);
    assert_int_equal(failed, 0);
}

static void test_json_and_yaml_carry_the_same_fields(void **state)
{
    (void)state;
    /* The JSON writer and the YAML emitter are driven by one walk: compare them through the
     * YAML reader (JSON is YAML). */
    size_t ylen;
    char *y = render_example("06_weigh_in_gain_headache_hyponatremia.yaml", &ylen);
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT,
             "06_weigh_in_gain_headache_hyponatremia.yaml");
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    char *j = NULL;
    size_t jlen;
    assert_int_equal(postrun_run_load_file(&run, kb, path, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, &j, &jlen, &err),
                     POSTRUN_OK);
    yreader ra, rb;
    ydoc da, db;
    assert_int_equal(pr_yreader_open_string(&ra, y, ylen, "yaml", &PR_YLIMITS_KB, &err), POSTRUN_OK);
    assert_int_equal(pr_yreader_next(&ra, &da, &err), POSTRUN_OK);
    assert_int_equal(pr_yreader_open_string(&rb, j, jlen, "json", &PR_YLIMITS_KB, &err), POSTRUN_OK);
    assert_int_equal(pr_yreader_next(&rb, &db, &err), POSTRUN_OK);
    char where[2048] = "";
    if (!same(da.root, db.root, where, sizeof where))
        fail_msg("YAML and JSON differ at %s", where);
    pr_ydoc_free(&da);
    pr_ydoc_free(&db);
    pr_yreader_close(&ra);
    pr_yreader_close(&rb);
    postrun_free(y);
    postrun_free(j);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_example_matches_its_golden_file),
        cmocka_unit_test(test_json_and_yaml_carry_the_same_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
