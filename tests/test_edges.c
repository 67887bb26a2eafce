/*
 * The edges of the API and of the knowledge-base format: every public function given NULL,
 * an out-of-range index or an object that holds nothing; and one knowledge-base mistake per
 * check the loader and compiler make, each of which must be refused with its own clear
 * message and the position of the mistake. (The corners of formulas and templates are in
 * test_kb_expr.c.)
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

#define ROOT POSTRUN_SOURCE_ROOT
#define DATA POSTRUN_TEST_DATA

static void dump(const postrun_error *err)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        fprintf(stderr, "# %s\n", line);
    }
}

/* The problem with this code whose message holds `words`, or NULL. */
static const postrun_error *find(const postrun_error *err, postrun_status code,
                                 const char *words)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        const postrun_error *p = postrun_error_at(err, i);
        if (p->code == code && (!words || strstr(p->message, words)))
            return p;
    }
    return NULL;
}

/* Builds the bundled files plus one file (an overlay, or a base file). */
static postrun_status build_with(const char *text, bool overlay, postrun_error *err,
                                 postrun_kb **out)
{
    postrun_kb_builder *b = NULL;
    postrun_kb *kb = NULL;
    postrun_status rc = postrun_kb_builder_new(&b, err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_add_default(b, err);
    if (rc == POSTRUN_OK)
        rc = overlay ? postrun_kb_builder_add_overlay_string(b, "overlay.yaml", text, strlen(text), err)
                     : postrun_kb_builder_add_string(b, "base.yaml", text, strlen(text), err);
    if (rc == POSTRUN_OK)
        rc = postrun_kb_builder_build(b, &kb, err);
    postrun_kb_builder_free(b);
    if (out)
        *out = kb;
    else
        postrun_kb_free(kb);
    return rc;
}

/* ---- one knowledge-base mistake each ---- */

#define OV "postrun_overlay: 1\n"
#define RULE(cond)                                                                             \
    OV "rules:\n  - id: t_rule\n    name: T\n    description: T.\n    cause: dehydration\n"    \
       "    weight: 1\n    sources: [seed-000]\n    when: " cond "\n"
#define REC(extra)                                                                             \
    OV "recommendations:\n  - id: t_rec\n    name: T\n    description: T.\n    when: now\n"    \
       "    priority: 50\n    addresses: [dehydration]\n    sources: [seed-000]\n" extra
#define FLAG(extra)                                                                            \
    OV "red_flags:\n  - id: t_flag\n    name: T\n    description: T.\n"                         \
       "    urgency: see_doctor_soon\n    sources: [seed-000]\n    when: {symptom: cramps}\n" extra

typedef struct kb_case {
    const char *what;
    const char *text;
    bool overlay;
    postrun_status code;
    const char *words;
} kb_case;

static const kb_case KB_CASES[] = {
    /* conditions */
    {"unknown parameter in a comparison", RULE("{metric: run.rpe, lt: {param: no_such}}"), true,
     POSTRUN_ERR_UNKNOWN_ID, "no parameter has id 'no_such'"},
    {"curve in a comparison", RULE("{metric: run.rpe, lt: {param: rpe_intensity_curve}}"), true,
     POSTRUN_ERR_TYPE, "is a curve, not a value"},
    {"bad comparison mapping", RULE("{metric: run.rpe, lt: {para: x}}"), true, POSTRUN_ERR_TYPE,
     "a comparison value is a number, a word or {param: ID}"},
    {"unknown enumeration word", RULE("{metric: run.intensity, eq: hardest}"), true,
     POSTRUN_ERR_VALUE, "is not a value of this metric"},
    {"yes/no compared with a word", RULE("{metric: intake.fasted, eq: maybe}"), true,
     POSTRUN_ERR_TYPE, NULL},
    {"too many comparisons",
     RULE("{metric: run.rpe, lt: 9, le: 9, gt: 0, ge: 0, ne: 5, '<': 9, '<=': 9, '>': 0, "
          "'>=': 0}"),
     true, POSTRUN_ERR_LIMIT, "too many comparisons"},
    {"known takes a yes/no", RULE("{metric: run.rpe, known: maybe}"), true, POSTRUN_ERR_TYPE,
     "'known' takes true or false"},
    {"empty in list", RULE("{metric: run.rpe, in: []}"), true, POSTRUN_ERR_TYPE,
     "'in' takes a non-empty list"},
    {"metric without comparison", RULE("{metric: run.rpe}"), true, POSTRUN_ERR_MISSING,
     "needs a comparison"},
    {"unknown metric", RULE("{metric: run.rpee, lt: 3}"), true, POSTRUN_ERR_UNKNOWN_ID,
     "run.rpe"},
    {"empty all", RULE("{all: []}"), true, POSTRUN_ERR_TYPE, "takes a non-empty list"},
    {"condition that is a list", RULE("[1, 2]"), true, POSTRUN_ERR_TYPE,
     "a condition is a mapping"},
    {"severity bound that is a word", RULE("{symptom: cramps, min_severity: high}"), true,
     POSTRUN_ERR_TYPE, "'min_severity' takes a number"},
    {"symptom with a comparison", RULE("{symptom: cramps, lt: 3}"), true, POSTRUN_ERR_KB,
     "a symptom condition takes"},
    {"unknown body area", RULE("{symptom: cramps, where: elbow}"), true,
     POSTRUN_ERR_UNKNOWN_ID, "no body area has id 'elbow'"},
    {"unknown symptom", RULE("{symptom: crampz}"), true, POSTRUN_ERR_UNKNOWN_ID, "cramps"},
    {"unknown observation", RULE("{observation: headach}"), true, POSTRUN_ERR_UNKNOWN_ID,
     NULL},
    {"two forms in one condition", RULE("{symptom: cramps, metric: run.rpe, lt: 3}"), true,
     POSTRUN_ERR_KB, NULL},
    {"not with a list", RULE("{not: [{symptom: cramps}]}"), true, POSTRUN_ERR_TYPE, NULL},
    {"unknown condition form", RULE("{sometimes: true}"), true, POSTRUN_ERR_UNKNOWN_KEY,
     "unknown condition key 'sometimes'"},
    /* formulas */
    {"unknown function", REC("    doses:\n      fluid_ml: \"sqrt(4)\"\n"), true, POSTRUN_ERR_KB,
     "unknown function 'sqrt'"},
    {"min without arguments", REC("    doses:\n      fluid_ml: \"min()\"\n"), true,
     POSTRUN_ERR_KB, "needs at least one argument"},
    {"round with three arguments", REC("    doses:\n      fluid_ml: \"round(1, 2, 3)\"\n"), true,
     POSTRUN_ERR_KB, "round(x) or round(x, step)"},
    {"clamp with two arguments", REC("    doses:\n      fluid_ml: \"clamp(1, 2)\"\n"), true,
     POSTRUN_ERR_KB, "clamp(x, low, high)"},
    {"unclosed call", REC("    doses:\n      fluid_ml: \"max(1, 2\"\n"), true, POSTRUN_ERR_KB,
     "expected ')'"},
    {"overflowing number", REC("    doses:\n      fluid_ml: \"1e999 * 2\"\n"), true,
     POSTRUN_ERR_KB, "bad number"},
    {"unclosed parenthesis", REC("    doses:\n      fluid_ml: \"(1 + 2\"\n"), true,
     POSTRUN_ERR_KB, "expected ')'"},
    {"formula ending early", REC("    doses:\n      fluid_ml: \"1 +\"\n"), true, POSTRUN_ERR_KB,
     "ends too early"},
    {"stray character", REC("    doses:\n      fluid_ml: \"1 $ 2\"\n"), true, POSTRUN_ERR_KB,
     NULL},
    {"text after the formula", REC("    doses:\n      fluid_ml: \"1 2\"\n"), true,
     POSTRUN_ERR_KB, "unexpected text after the formula"},
    {"unknown parameter in a formula", REC("    doses:\n      fluid_ml: \"param.nope * 2\"\n"),
     true, POSTRUN_ERR_KB, "no parameter has id 'nope'"},
    {"curve in a formula", REC("    doses:\n      fluid_ml: \"param.rpe_intensity_curve\"\n"),
     true, POSTRUN_ERR_KB, "is a curve, not a value"},
    {"dose that is a list", REC("    doses:\n      fluid_ml: [1, 2]\n"), true, POSTRUN_ERR_TYPE,
     "a dose is a formula"},
    {"too deep negation",
     REC("    doses:\n      fluid_ml: \"- - - - - - - - - - - - - - - - - - - - - - - - - - - - - "
         "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - 1\"\n"),
     true, POSTRUN_ERR_KB, "nested too deeply"},
    {"too complex",
     REC("    doses:\n      fluid_ml: \"1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+("
         "1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1))))))))))))))))))))))))))))))))))\"\n"),
     true, POSTRUN_ERR_KB, "too complex"},
    {"seventeen doses",
     REC("    doses: {a_ml: 1, b_ml: 1, c_ml: 1, d_ml: 1, e_ml: 1, f_ml: 1, g_ml: 1, h_ml: 1, "
         "i_ml: 1, j_ml: 1, k_ml: 1, l_ml: 1, m_ml: 1, n_ml: 1, o_ml: 1, p_ml: 1, q_ml: 1}\n"),
     true, POSTRUN_ERR_LIMIT, "at most 16 doses"},
    /* templates */
    {"unclosed brace", REC("    text: \"Drink {fluid_ml\"\n"), true, POSTRUN_ERR_KB,
     "an unclosed '{'"},
    {"lone closing brace", REC("    text: \"Drink } now\"\n"), true, POSTRUN_ERR_KB,
     "a lone '}'"},
    {"decimals that are not a digit", REC("    text: \"Drink {run.rpe:xy}\"\n"), true,
     POSTRUN_ERR_KB, "takes one digit"},
    {"unknown name in a text", REC("    text: \"Drink {nothing}\"\n"), true,
     POSTRUN_ERR_UNKNOWN_ID, "is not a dose of this entry"},
    {"text that is a list", REC("    text: [a, b]\n"), true, POSTRUN_ERR_TYPE, NULL},
    /* entries */
    {"name that is a list",
     OV "notes:\n  - id: t_note\n    name: [a]\n    description: T.\n    sources: [seed-000]\n",
     true, POSTRUN_ERR_TYPE, "'name' must be a text"},
    {"cause that is a symptom",
     OV "rules:\n  - id: t_rule\n    name: T\n    description: T.\n    cause: cramps\n"
        "    weight: 1\n    sources: [seed-000]\n    when: {symptom: cramps}\n",
     true, POSTRUN_ERR_UNKNOWN_ID, "is a symptom, not a cause"},
    {"cause that is a list",
     OV "rules:\n  - id: t_rule\n    name: T\n    description: T.\n    cause: [dehydration]\n"
        "    weight: 1\n    sources: [seed-000]\n    when: {symptom: cramps}\n",
     true, POSTRUN_ERR_TYPE, "expected the id of a cause"},
    {"calibrated that is a word",
     OV "parameters:\n  - id: c_flat\n    calibrated: perhaps\n", true, POSTRUN_ERR_TYPE,
     "expected true or false"},
    {"points that are not pairs",
     OV "parameters:\n  - id: rpe_intensity_curve\n    points: [1, 2, 3]\n", true,
     POSTRUN_ERR_TYPE, NULL},
    {"points that are not a list",
     OV "parameters:\n  - id: rpe_intensity_curve\n    points: 7\n", true, POSTRUN_ERR_TYPE,
     NULL},
    {"scale whose min is above its max",
     OV "observations:\n  - id: urine_colour\n    min: 9\n    max: 1\n", true, POSTRUN_ERR_RANGE,
     "is above max"},
    {"boolean observation with a range",
     OV "observations:\n  - id: t_obs\n    name: T\n    description: T.\n    type: boolean\n"
        "    min: 0\n    sources: [seed-000]\n",
     true, POSTRUN_ERR_KB, "a boolean observation has no min or max"},
    {"links that are a list", OV "causes:\n  - id: dehydration\n    links: [cramps]\n", true,
     POSTRUN_ERR_TYPE, NULL},
    {"link weight that is a word", OV "causes:\n  - id: dehydration\n    links: {cramps: much}\n",
     true, POSTRUN_ERR_TYPE, NULL},
    {"addresses that is a word",
     OV "recommendations:\n  - id: rehydrate_with_sodium\n    addresses: dehydration\n", true,
     POSTRUN_ERR_TYPE, "expected a list of cause ids"},
    {"tags that is a word", OV "recommendations:\n  - id: rehydrate_with_sodium\n    tags: drink\n",
     true, POSTRUN_ERR_TYPE, "expected a list of tags"},
    {"contraindications that is a word",
     OV "recommendations:\n  - id: rehydrate_with_sodium\n    contraindications: never\n", true,
     POSTRUN_ERR_TYPE, NULL},
    {"contraindication that is a word",
     OV "recommendations:\n  - id: rehydrate_with_sodium\n    contraindications: [never]\n", true,
     POSTRUN_ERR_TYPE, NULL},
    {"red flag without advice", FLAG(""), true, POSTRUN_ERR_MISSING, "'advice'"},
    {"withdraws that is a word", FLAG("    advice: Rest.\n    withdraws: drink\n"), true,
     POSTRUN_ERR_TYPE, NULL},
    {"withdraws item that is a list", FLAG("    advice: Rest.\n    withdraws: [[drink]]\n"),
     true, POSTRUN_ERR_TYPE, "expected an id or a tag"},
    {"allows that is a word", FLAG("    advice: Rest.\n    allows: cooling\n"), true,
     POSTRUN_ERR_TYPE, "'allows' must list"},
    {"allows naming nothing", FLAG("    advice: Rest.\n    allows: [coolng]\n"), true,
     POSTRUN_ERR_UNKNOWN_ID, "neither a recommendation id nor a tag"},
    {"escalate that is a word", FLAG("    advice: Rest.\n    escalate: soon\n"), true,
     POSTRUN_ERR_TYPE, "'escalate' is {when"},
    {"escalate without advice",
     FLAG("    advice: Rest.\n    escalate: {when: {symptom: cramps}, urgency: emergency}\n"),
     true, POSTRUN_ERR_TYPE, "'escalate' is {when"},
    {"escalate to a lower urgency",
     FLAG("    advice: Rest.\n    escalate: {when: {symptom: cramps}, "
          "urgency: see_doctor_if_persists, advice: Wait.}\n"),
     true, POSTRUN_ERR_VALUE, "more urgent than the flag's own"},
    {"supersedes that is a word",
     OV "recommendations:\n  - id: rehydrate_with_sodium\n    supersedes: drink_through_the_day\n",
     true, POSTRUN_ERR_TYPE, "'supersedes' must list"},
    {"fluid dose without hours",
     REC("    text: Drink {fluid_ml} ml.\n    doses: {fluid_ml: \"500\"}\n"), true,
     POSTRUN_ERR_MISSING, "needs an 'over_h' dose"},
    {"warning that is a word",
     OV "notes:\n  - id: t_note\n    name: T\n    description: T.\n    warning: maybe\n"
        "    sources: [seed-000]\n",
     true, POSTRUN_ERR_TYPE, "'warning' is true or false"},
    {"reassurance that is a word",
     OV "misconceptions:\n  - id: t_misc\n    name: T\n    description: T.\n    reassures: 2\n"
        "    sources: [seed-000]\n",
     true, POSTRUN_ERR_TYPE, "'reassures' is true or false"},
    {"fluid dose without the rate limit",
     OV "disable: [max_fluid_ml_per_h]\n", true, POSTRUN_ERR_KB,
     "'max_fluid_ml_per_h' is required"},
    /* files and sections */
    {"file that is a list", "- 1\n- 2\n", true, POSTRUN_ERR_TYPE, "must be a mapping"},
    {"overlay given as a base file", OV "notes: []\n", false, POSTRUN_ERR_KB,
     "use --overlay for overlays"},
    {"base file given as an overlay", "postrun_kb: 1\nnotes: []\n", true, POSTRUN_ERR_KB,
     "given as an overlay"},
    {"no format line", "notes: []\n", true, POSTRUN_ERR_MISSING, "expected 'postrun_overlay: 1'"},
    {"format version 2", "postrun_overlay: 2\n", true, POSTRUN_ERR_VALUE,
     "format version must be 1"},
    {"misspelt section", OV "recomendations: []\n", true, POSTRUN_ERR_UNKNOWN_KEY,
     "did you mean 'recommendations'"},
    {"disable in a base file", "postrun_kb: 1\ndisable: [cramps]\n", false, POSTRUN_ERR_KB,
     "only allowed in overlays"},
    {"disable that is a word", OV "disable: cramps\n", true, POSTRUN_ERR_TYPE,
     "expected a list of ids"},
    {"disable item that is a list", OV "disable: [[cramps]]\n", true, POSTRUN_ERR_TYPE,
     "expected an id"},
    {"section that is a number", OV "notes: 5\n", true, POSTRUN_ERR_TYPE,
     "expected a list of note entries"},
    {"entry that is a word", OV "notes: [hello]\n", true, POSTRUN_ERR_TYPE,
     "must be a mapping with an id"},
    {"entry without id", OV "notes:\n  - name: T\n", true, POSTRUN_ERR_MISSING, "has no id"},
    {"entry with a bad id", OV "notes:\n  - id: Not-An-Id\n", true, POSTRUN_ERR_VALUE,
     "is not a valid id"},
    {"id moved to another kind", OV "notes:\n  - id: dehydration\n    name: T\n", true,
     POSTRUN_ERR_KB, "an overlay cannot redefine it"},
    {"two documents", OV "notes: []\n---\n" OV, true, POSTRUN_ERR_KB, "one YAML document"},
    {"empty file", "", true, POSTRUN_ERR_KB, "the file is empty"},
};

static void test_each_knowledge_base_mistake_is_refused_with_its_own_message(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof KB_CASES / sizeof *KB_CASES; i++) {
        const kb_case *k = &KB_CASES[i];
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_kb *kb = (postrun_kb *)&err;
        postrun_status rc = build_with(k->text, k->overlay, &err, &kb);
        const postrun_error *p = find(&err, k->code, k->words);
        if (rc >= 0 || kb != NULL || !p || (p->line == 0 && k->text[0])) {
            fprintf(stderr, "# case '%s': status %d\n", k->what, (int)rc);
            dump(&err);
            failures++;
        }
        postrun_kb_free(kb);
        postrun_error_clear(&err);
    }
    assert_int_equal(failures, 0);
}

/* ---- loading from paths ---- */

static void test_paths_that_cannot_be_read_are_io_errors(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load(&kb, "/nonexistent/kb", NULL, 0, &err), POSTRUN_ERR_IO);
    assert_non_null(strstr(err.message, "cannot open"));
    assert_string_equal(err.file, "/nonexistent/kb");
    assert_null(kb);
    /* A directory without knowledge-base files. */
    assert_int_equal(postrun_kb_load(&kb, ROOT "/include", NULL, 0, &err), POSTRUN_ERR_IO);
    assert_non_null(strstr(err.message, "no .yaml files"));
    /* An overlay that is missing. */
    const char *ov[] = {"/nonexistent/overlay.yaml"};
    assert_int_equal(postrun_kb_load(&kb, NULL, ov, 1, &err), POSTRUN_ERR_IO);
    /* A directory cannot be read as a file. */
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_load_file(&run, NULL, ROOT "/data", &err) < 0, 1);
    assert_null(run);
    assert_int_equal(postrun_run_load_file(&run, NULL, "/nonexistent.yaml", &err),
                     POSTRUN_ERR_IO);
    postrun_stream *s = NULL;
    assert_int_equal(postrun_stream_open_file(&s, NULL, "/nonexistent.yaml", &err),
                     POSTRUN_ERR_IO);
    assert_null(s);
    postrun_error_clear(&err);
}

static void test_a_builder_refuses_more_than_256_files(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, &err), POSTRUN_OK);
    postrun_status rc = POSTRUN_OK;
    for (int i = 0; i < 300 && rc == POSTRUN_OK; i++)
        rc = postrun_kb_builder_add_overlay_string(b, "x.yaml", OV, strlen(OV), &err);
    assert_int_equal(rc, POSTRUN_ERR_LIMIT);
    assert_non_null(strstr(err.message, "more than 256"));
    postrun_kb_builder_free(b);
    postrun_error_clear(&err);
}

/* ---- NULL and out-of-range everywhere ---- */

static void test_every_function_refuses_null_arguments(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);

    /* knowledge base */
    assert_int_equal(postrun_kb_load(NULL, NULL, NULL, 0, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_load(&kb, NULL, NULL, 1, NULL), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_new(NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_add_default(NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_add_path(NULL, "x", &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_add_overlay(NULL, "x", &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_add_string(NULL, "x", "", 0, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_build(NULL, &kb, &err), POSTRUN_ERR_ARGUMENT);
    postrun_kb_builder *b = NULL;
    assert_int_equal(postrun_kb_builder_new(&b, &err), POSTRUN_OK);
    assert_int_equal(postrun_kb_builder_add_path(b, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_add_overlay(b, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_kb_builder_add_string(b, "x", NULL, 3, &err),
                     POSTRUN_ERR_ARGUMENT);
    postrun_kb *none = NULL;
    assert_int_equal(postrun_kb_builder_build(b, &none, &err), POSTRUN_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "no knowledge-base file"));
    assert_int_equal(postrun_kb_builder_build(b, NULL, &err), POSTRUN_ERR_ARGUMENT);
    postrun_kb_builder_free(b);
    postrun_kb_builder_free(NULL);
    postrun_kb_free(NULL);
    assert_int_equal(postrun_kb_count(NULL, POSTRUN_KIND_CAUSE), 0);
    assert_int_equal(postrun_kb_count(kb, (postrun_kind)99), 0);
    assert_null(postrun_kb_id(NULL, POSTRUN_KIND_CAUSE, 0));
    assert_null(postrun_kb_id(kb, POSTRUN_KIND_CAUSE, 100000));
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    assert_true(postrun_kb_entry(NULL, "x", &info) < 0);
    assert_true(postrun_kb_entry(kb, NULL, &info) < 0);
    assert_true(postrun_kb_entry(kb, "dehydration", NULL) < 0);
    assert_int_equal(postrun_kb_entry(kb, "no_such_entry", &info), POSTRUN_ERR_NOT_FOUND);
    const char *key, *title;
    assert_true(postrun_kb_entry_source(NULL, "dehydration", 0, &key, &title) < 0);
    assert_true(postrun_kb_entry_source(kb, "no_such_entry", 0, &key, &title) < 0);
    assert_true(postrun_kb_entry_source(kb, "dehydration", 1000, &key, &title) < 0);
    assert_int_equal(postrun_kb_entry_source(kb, "dehydration", 0, NULL, NULL), POSTRUN_OK);
    double v, lo, hi;
    assert_true(postrun_kb_parameter(NULL, "c_flat", &v, &lo, &hi) < 0);
    assert_true(postrun_kb_parameter(kb, "no_such", &v, &lo, &hi) < 0);
    assert_true(postrun_kb_parameter(kb, "dehydration", &v, &lo, &hi) < 0);
    assert_int_equal(postrun_kb_parameter(kb, "c_flat", NULL, NULL, NULL), POSTRUN_OK);

    /* runs */
    assert_int_equal(postrun_run_new(NULL, kb, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_parse(NULL, kb, "", 0, NULL, &err), POSTRUN_ERR_ARGUMENT);
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_parse(&run, kb, NULL, 5, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_load_file(&run, kb, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_load_file(NULL, kb, "x", &err), POSTRUN_ERR_ARGUMENT);
    postrun_run_free(NULL);
    postrun_run_clear(NULL);
    assert_true(postrun_run_set_number(NULL, "run.rpe", 1, &err) < 0);
    assert_true(postrun_run_set_string(NULL, "id", "x", &err) < 0);
    assert_true(postrun_run_set_bool(NULL, "intake.fasted", 1, &err) < 0);
    assert_true(postrun_run_append(NULL, "symptoms", "cramps", &err) < 0);
    assert_true(postrun_run_unset(NULL, "run.rpe", &err) < 0);
    assert_false(postrun_run_has(NULL, "run.rpe"));
    assert_true(postrun_run_get_number(NULL, "run.rpe", &v, &err) < 0);
    const char *s;
    int bv;
    assert_true(postrun_run_get_string(NULL, "id", &s, &err) < 0);
    assert_true(postrun_run_get_bool(NULL, "intake.fasted", &bv, &err) < 0);
    assert_int_equal(postrun_run_count(NULL, "symptoms"), 0);
    assert_null(postrun_run_item(NULL, "symptoms", 0));
    assert_true(postrun_run_validate(NULL, &err) < 0);
    assert_true(postrun_run_apply_defaults(NULL, &err) < 0);
    assert_int_equal(postrun_run_assumption_count(NULL), 0);
    assert_null(postrun_run_assumption(NULL, 0));
    uint32_t line = 7, col = 7;
    postrun_run_position(NULL, &line, &col);
    assert_int_equal(postrun_run_new(&run, kb, &err), POSTRUN_OK);
    assert_true(postrun_run_set_number(run, NULL, 1, &err) < 0);
    assert_true(postrun_run_set_string(run, "id", NULL, &err) < 0);
    assert_true(postrun_run_get_number(run, "run.rpe", NULL, &err) < 0);
    assert_false(postrun_run_has(run, NULL));
    assert_null(postrun_run_item(run, "symptoms", 0));
    assert_null(postrun_run_assumption(run, 5));
    postrun_run_position(run, NULL, NULL);

    /* streams */
    assert_int_equal(postrun_stream_open_string(NULL, kb, "", 0, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_stream_open_file(NULL, kb, "x", &err), POSTRUN_ERR_ARGUMENT);
    postrun_stream *st = NULL;
    assert_int_equal(postrun_stream_open_file(&st, kb, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_stream_next(NULL, run, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_stream_document(NULL), 0);
    postrun_stream_free(NULL);

    /* assessments */
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(NULL, kb, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_new(&a, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(NULL, run, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assess(a, NULL, &err), POSTRUN_ERR_ARGUMENT);
    postrun_assessment_free(NULL);
    /* an assessment that holds nothing yet */
    postrun_range r;
    assert_string_equal(postrun_assessment_id(a), "");
    assert_string_equal(postrun_assessment_id(NULL), "");
    assert_int_equal(postrun_assessment_metric(a, "fluid.sweat_loss_l", &r),
                     POSTRUN_ERR_NOT_FOUND);
    assert_true(isnan(r.expected));
    assert_int_equal(postrun_assessment_metric(a, NULL, &r), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_metric(a, "no.such", &r), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_metric(a, "fluid.sweat_loss_l.low", &r),
                     POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_metric_at(a, 100000, &r), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_metric_at(NULL, 0, &r), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_metric_at(a, 0, NULL), POSTRUN_ERR_ARGUMENT);
    assert_null(postrun_assessment_label(a, "run.intensity"));
    assert_null(postrun_assessment_label(NULL, "run.intensity"));
    assert_int_equal(postrun_assessment_red_flag_count(NULL), 0);
    assert_int_equal(postrun_assessment_max_urgency(a), POSTRUN_URGENCY_NONE);
    postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
    assert_int_equal(postrun_assessment_red_flag(a, 0, &f), POSTRUN_ERR_NOT_FOUND);
    assert_null(postrun_assessment_red_flag_because(a, 0, 0));
    assert_int_equal(postrun_assessment_cause_count(NULL), 0);
    postrun_cause c = POSTRUN_CAUSE_INIT;
    assert_int_equal(postrun_assessment_cause(a, 0, &c), POSTRUN_ERR_NOT_FOUND);
    assert_null(postrun_assessment_cause_explains(a, 0, 0));
    postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
    assert_int_equal(postrun_assessment_cause_because(a, 0, 0, &k), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_recommendation_count(NULL), 0);
    postrun_recommendation rec = POSTRUN_RECOMMENDATION_INIT;
    assert_int_equal(postrun_assessment_recommendation(a, 0, &rec), POSTRUN_ERR_NOT_FOUND);
    const char *name;
    assert_int_equal(postrun_assessment_recommendation_dose(a, 0, 0, &name, &v),
                     POSTRUN_ERR_NOT_FOUND);
    assert_null(postrun_assessment_recommendation_addresses(a, 0, 0));
    assert_null(postrun_assessment_recommendation_source(a, 0, 0));
    assert_int_equal(postrun_assessment_withdrawn_count(NULL), 0);
    const char *id, *by;
    assert_int_equal(postrun_assessment_withdrawn(a, 0, &id, &by), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_misconception_count(NULL), 0);
    assert_int_equal(postrun_assessment_misconception(a, 0, &id, &s), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_assumption_count(NULL), 0);
    assert_null(postrun_assessment_assumption(a, 0));
    assert_int_equal(postrun_assessment_note_count(NULL), 0);
    assert_null(postrun_assessment_note(a, 0));
    char *out = NULL;
    assert_int_equal(postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, NULL, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_render(NULL, POSTRUN_FORMAT_JSON, 0, &out, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_write(a, POSTRUN_FORMAT_JSON, 0, NULL, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_null(out);

    /* metrics table */
    assert_null(postrun_metric_name(100000));
    assert_null(postrun_metric_unit(100000));
    assert_int_equal(postrun_metric_index(NULL), -1);
    assert_int_equal(postrun_metric_index("no.such"), -1);
    for (size_t i = 0; i < postrun_metric_count(); i++) {
        assert_non_null(postrun_metric_unit(i));
        assert_int_equal(postrun_metric_index(postrun_metric_name(i)), (long)i);
    }

    /* errors and memory */
    assert_int_equal(postrun_error_count(NULL), 0);
    assert_null(postrun_error_at(NULL, 0));
    char buf[8] = "x";
    assert_int_equal(postrun_error_format(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    postrun_error_clear(NULL);
    postrun_free(NULL);
    for (int code = -20; code <= 2; code++)
        assert_non_null(postrun_strerror((postrun_status)code));

    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

static void test_accessors_refuse_indexes_past_the_end(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    assert_int_equal(
        postrun_run_load_file(&run, kb,
                              ROOT "/examples/runs/11_shin_pain_on_hopping.yaml",
                              &err),
        POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    size_t nf = postrun_assessment_red_flag_count(a), nc = postrun_assessment_cause_count(a);
    size_t nr = postrun_assessment_recommendation_count(a);
    assert_true(nf > 0 && nc > 0 && nr > 0);
    postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
    assert_int_equal(postrun_assessment_red_flag(a, nf, &f), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_red_flag(a, 0, NULL), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_assessment_red_flag(a, 0, &f), POSTRUN_OK);
    assert_null(postrun_assessment_red_flag_because(a, 0, f.n_because));
    postrun_cause c = POSTRUN_CAUSE_INIT;
    assert_int_equal(postrun_assessment_cause(a, nc, &c), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_cause(a, 0, &c), POSTRUN_OK);
    assert_null(postrun_assessment_cause_explains(a, 0, c.n_explains));
    postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
    assert_int_equal(postrun_assessment_cause_because(a, 0, c.n_because, &k),
                     POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_cause_because(a, 0, 0, NULL), POSTRUN_ERR_ARGUMENT);
    postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
    assert_int_equal(postrun_assessment_recommendation(a, nr, &r), POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_recommendation(a, 0, &r), POSTRUN_OK);
    const char *name;
    double v;
    assert_int_equal(postrun_assessment_recommendation_dose(a, 0, r.n_doses, &name, &v),
                     POSTRUN_ERR_NOT_FOUND);
    assert_int_equal(postrun_assessment_recommendation_dose(a, nr, 0, &name, &v),
                     POSTRUN_ERR_NOT_FOUND);
    assert_null(postrun_assessment_recommendation_addresses(a, 0, r.n_addresses));
    assert_null(postrun_assessment_recommendation_addresses(a, nr, 0));
    assert_null(postrun_assessment_recommendation_source(a, 0, r.n_sources));
    assert_null(postrun_assessment_recommendation_source(a, nr, 0));
    const char *id, *by;
    size_t nw = postrun_assessment_withdrawn_count(a);
    assert_int_equal(postrun_assessment_withdrawn(a, nw, &id, &by), POSTRUN_ERR_NOT_FOUND);
    if (nw)
        assert_int_equal(postrun_assessment_withdrawn(a, 0, NULL, NULL), POSTRUN_OK);
    const char *text;
    size_t nm = postrun_assessment_misconception_count(a);
    assert_int_equal(postrun_assessment_misconception(a, nm, &id, &text), POSTRUN_ERR_NOT_FOUND);
    if (nm)
        assert_int_equal(postrun_assessment_misconception(a, 0, NULL, NULL), POSTRUN_OK);
    assert_null(postrun_assessment_assumption(a, postrun_assessment_assumption_count(a)));
    assert_null(postrun_assessment_note(a, postrun_assessment_note_count(a)));
    assert_int_equal(postrun_assessment_write(a, (postrun_format)9, 0, NULL, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    char *out = NULL;
    assert_int_equal(postrun_assessment_render(a, (postrun_format)9, 0, &out, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_null(out);
    /* Labels of enumerations, none for numbers. */
    assert_non_null(postrun_assessment_label(a, "athlete.training_status"));
    assert_null(postrun_assessment_label(a, "fluid.sweat_loss_l"));
    assert_null(postrun_assessment_label(a, "no.such"));
    assert_null(postrun_assessment_label(a, NULL));
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

/* A writer that refuses: the call says the output could not be written. */
static int refuse(void *ud, const char *data, size_t len)
{
    (void)ud;
    (void)data;
    (void)len;
    return -1;
}

/* Output structs carry the version their caller was compiled with; the library fills only a
 * version it knows, so that a struct can grow without breaking programs built before. */
static void test_output_structs_of_an_unknown_version_are_refused(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    assert_int_equal(
        postrun_run_load_file(&run, kb, ROOT "/examples/runs/11_shin_pain_on_hopping.yaml", &err),
        POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    for (unsigned version = 0; version <= 2; version += 2) {
        postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
        postrun_cause c = POSTRUN_CAUSE_INIT;
        postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        postrun_kb_entry_info e = POSTRUN_KB_ENTRY_INFO_INIT;
        f.version = c.version = k.version = r.version = e.version = version;
        assert_int_equal(postrun_assessment_red_flag(a, 0, &f), POSTRUN_ERR_ARGUMENT);
        assert_int_equal(postrun_assessment_cause(a, 0, &c), POSTRUN_ERR_ARGUMENT);
        assert_int_equal(postrun_assessment_cause_because(a, 0, 0, &k), POSTRUN_ERR_ARGUMENT);
        assert_int_equal(postrun_assessment_recommendation(a, 0, &r), POSTRUN_ERR_ARGUMENT);
        assert_int_equal(postrun_kb_entry(kb, "dehydration", &e), POSTRUN_ERR_ARGUMENT);
        assert_null(c.id);
        assert_null(r.id);
    }
    postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
    postrun_cause c = POSTRUN_CAUSE_INIT;
    postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
    postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
    postrun_kb_entry_info e = POSTRUN_KB_ENTRY_INFO_INIT;
    assert_int_equal(postrun_assessment_red_flag(a, 0, &f), POSTRUN_OK);
    assert_int_equal(postrun_assessment_cause(a, 0, &c), POSTRUN_OK);
    assert_int_equal(postrun_assessment_cause_because(a, 0, 0, &k), POSTRUN_OK);
    assert_int_equal(postrun_assessment_recommendation(a, 0, &r), POSTRUN_OK);
    assert_int_equal(postrun_kb_entry(kb, "dehydration", &e), POSTRUN_OK);
    assert_int_equal(f.version, POSTRUN_RED_FLAG_VERSION);
    assert_int_equal(postrun_assessment_max_urgency(a), f.urgency);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

static void test_a_writer_that_fails_gives_an_io_error_in_every_format(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, &err), POSTRUN_OK);
    assert_int_equal(
        postrun_run_load_file(&run, kb,
                              ROOT "/examples/runs/01_warm_long_run_muscles_smaller.yaml", &err),
        POSTRUN_OK);
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    for (int fmt = POSTRUN_FORMAT_YAML; fmt <= POSTRUN_FORMAT_TEXT; fmt++) {
        assert_int_equal(
            postrun_assessment_write(a, (postrun_format)fmt, POSTRUN_RENDER_COMPACT, refuse, NULL,
                                     &err),
            POSTRUN_ERR_IO);
        assert_non_null(strstr(err.message, "could not be written"));
    }
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
}

/* ---- formulas and templates at their corners ---- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_knowledge_base_mistake_is_refused_with_its_own_message),
        cmocka_unit_test(test_paths_that_cannot_be_read_are_io_errors),
        cmocka_unit_test(test_a_builder_refuses_more_than_256_files),
        cmocka_unit_test(test_every_function_refuses_null_arguments),
        cmocka_unit_test(test_accessors_refuse_indexes_past_the_end),
        cmocka_unit_test(test_output_structs_of_an_unknown_version_are_refused),
        cmocka_unit_test(test_a_writer_that_fails_gives_an_io_error_in_every_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
