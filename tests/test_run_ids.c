/*
 * Ids that carry their knowledge-base indexes: a run keeps, with each symptom, body area and
 * observation id, its index in the knowledge base it was checked against (postrun_run.ids_kb),
 * and postrun_assess() copies those indexes instead of looking the ids up when it assesses
 * with that same knowledge base. These tests assess runs through every path that fills or
 * drops those indexes and check that the output is exactly what a lookup gives: runs loaded
 * with one knowledge base and assessed with another, parsed without one, with a symptom id
 * changed in place, edited through the field-path setters, read from a stream of another
 * knowledge base. The two knowledge bases index every id differently (checked below), so an
 * index copied into the wrong one would name another symptom, body area or observation.
 */
#include "test_helpers.h"

#include <dirent.h>

#include "run_impl.h"
#include "vocab.h"

#define EXAMPLES POSTRUN_SOURCE_ROOT "/examples/runs"

/* A base file added before the bundled ones: one more symptom, observation and body area at
 * the front of their lists, so every bundled id has an index one higher than in the bundled
 * knowledge base. */
static const char PRELUDE[] = "postrun_kb: 1\n"
                              "symptoms:\n"
                              "  - id: side_stitch\n"
                              "    name: Side stitch\n"
                              "    description: A sharp pain under the ribs while running.\n"
                              "    sources: [seed-000]\n"
                              "observations:\n"
                              "  - id: felt_chilled\n"
                              "    name: Felt chilled\n"
                              "    description: Shivering or feeling cold after stopping.\n"
                              "    sources: [seed-000]\n"
                              "body_areas:\n"
                              "  - id: ribs\n"
                              "    name: Ribs\n"
                              "    description: The side of the trunk, under the ribs.\n"
                              "    sources: [seed-000]\n";

/* An overlay on top: links the new symptom to a cause (every symptom needs one), makes that
 * cause likelier (so both knowledge bases score some example runs differently), and adds one
 * more observation and body area at the end of their lists. */
static const char OVERLAY[] = "postrun_overlay: 1\n"
                              "observations:\n"
                              "  - id: wore_new_shoes\n"
                              "    name: Wore new shoes\n"
                              "    description: The run was in shoes worn for the first time.\n"
                              "    sources: [seed-000]\n"
                              "body_areas:\n"
                              "  - id: lower_back\n"
                              "    name: Lower back\n"
                              "    description: The small of the back.\n"
                              "    sources: [seed-000]\n"
                              "causes:\n"
                              "  - id: glycogen_depletion\n"
                              "    prior: -1.0\n"
                              "    links:\n"
                              "      muscles_feel_smaller: 2.0\n"
                              "      fatigue: 1.6\n"
                              "      heavy_legs: 0.8\n"
                              "      tightness: 0.4\n"
                              "      side_stitch: 0.5\n";

static postrun_kb *kb_a, *kb_b; /* the bundled one; the one with the prelude and the overlay */
static postrun_assessment *as_a, *as_b;

/* Every example file, sorted, with its number of documents. */
#define MAX_FILES 64
static char *files[MAX_FILES];
static size_t n_docs[MAX_FILES];
static size_t n_files;

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static size_t count_documents(const char *path)
{
    postrun_run *run = NULL;
    postrun_stream *s = NULL;
    size_t n = 0;
    if (postrun_run_new(&run, kb_a, NULL) != POSTRUN_OK ||
        postrun_stream_open_file(&s, kb_a, path, NULL) != POSTRUN_OK) {
        postrun_run_free(run);
        return 0;
    }
    postrun_status rc;
    while ((rc = postrun_stream_next(s, run, NULL)) == POSTRUN_OK)
        n++;
    postrun_stream_free(s);
    postrun_run_free(run);
    return rc == POSTRUN_DONE ? n : 0;
}

static int setup(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    if (postrun_kb_load_default(&kb_a, &err) != POSTRUN_OK ||
        postrun_kb_builder_new(&b, &err) != POSTRUN_OK ||
        postrun_kb_builder_add_string(b, "prelude.yaml", PRELUDE, strlen(PRELUDE), &err) !=
            POSTRUN_OK ||
        postrun_kb_builder_add_default(b, &err) != POSTRUN_OK ||
        postrun_kb_builder_add_overlay_string(b, "overlay.yaml", OVERLAY, strlen(OVERLAY), &err) !=
            POSTRUN_OK ||
        postrun_kb_builder_build(b, &kb_b, &err) != POSTRUN_OK) {
        for (size_t i = 0; i < postrun_error_count(&err); i++) {
            const postrun_error *p = postrun_error_at(&err, i);
            print_error("%s:%u:%u %s: %s\n", p->file, (unsigned)p->line, (unsigned)p->column,
                        p->field, p->message);
        }
        postrun_kb_builder_free(b);
        postrun_error_clear(&err);
        return -1;
    }
    postrun_kb_builder_free(b);
    postrun_error_clear(&err);
    if (postrun_assessment_new(&as_a, kb_a, NULL) != POSTRUN_OK ||
        postrun_assessment_new(&as_b, kb_b, NULL) != POSTRUN_OK)
        return -1;

    DIR *d = opendir(EXAMPLES);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) && n_files < MAX_FILES) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char *path = malloc(sizeof EXAMPLES + len + 1);
        if (!path)
            break;
        sprintf(path, "%s/%s", EXAMPLES, e->d_name);
        files[n_files++] = path;
    }
    closedir(d);
    qsort(files, n_files, sizeof *files, cmp_name);
    for (size_t i = 0; i < n_files; i++)
        if ((n_docs[i] = count_documents(files[i])) == 0)
            return -1;
    return n_files >= 10 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    postrun_assessment_free(as_a);
    postrun_assessment_free(as_b);
    postrun_kb_free(kb_a);
    postrun_kb_free(kb_b);
    return 0;
}

/* ---- helpers ---- */

static void dump_problems(const postrun_error *err)
{
    for (size_t i = 0; i < postrun_error_count(err); i++) {
        const postrun_error *p = postrun_error_at(err, i);
        print_error("  %s:%u:%u %s: %s\n", p->file, (unsigned)p->line, (unsigned)p->column,
                    p->field, p->message);
    }
}

static void append(char **buf, size_t *len, const char *s, size_t n)
{
    char *nb = realloc(*buf, *len + n + 1);
    assert_non_null(nb);
    memcpy(nb + *len, s, n);
    *len += n;
    nb[*len] = '\0';
    *buf = nb;
}

/* Everything an assessment shows: YAML, JSON and the text with every contribution. The caller
 * frees it. */
static char *assess_text(postrun_assessment *a, const postrun_run *run, const char *what)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status rc = postrun_assess(a, run, &err);
    if (rc != POSTRUN_OK) {
        print_error("%s: assessing failed with %d\n", what, (int)rc);
        dump_problems(&err);
        postrun_error_clear(&err);
        fail();
    }
    static const struct {
        postrun_format format;
        unsigned flags;
    } forms[] = {{POSTRUN_FORMAT_YAML, 0},
                 {POSTRUN_FORMAT_JSON, 0},
                 {POSTRUN_FORMAT_TEXT, POSTRUN_RENDER_EXPLAIN}};
    char *all = NULL;
    size_t len = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *out = NULL;
        size_t n = 0;
        rc = postrun_assessment_render(a, forms[i].format, forms[i].flags, &out, &n, &err);
        if (rc != POSTRUN_OK) {
            print_error("%s: rendering format %d failed with %d\n", what, (int)forms[i].format,
                        (int)rc);
            dump_problems(&err);
            postrun_error_clear(&err);
            free(all);
            fail();
        }
        append(&all, &len, out, n);
        append(&all, &len, "\n=====\n", 7);
        postrun_free(out);
    }
    postrun_error_clear(&err);
    return all;
}

/* Fails with the first line that differs. */
static void expect_same_text(const char *got, const char *want, const char *what)
{
    if (strcmp(got, want) == 0)
        return;
    size_t i = 0, line = 1, start = 0;
    while (got[i] && got[i] == want[i]) {
        if (got[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    int gl = (int)strcspn(got + start, "\n"), wl = (int)strcspn(want + start, "\n");
    print_error("%s: output differs at line %zu\n  got:  %.*s\n  want: %.*s\n", what, line, gl,
                got + start, wl, want + start);
    fail();
}

/* Assessing `run` with `a` gives exactly what assessing `ref` gives. */
static void expect_same(postrun_assessment *a, const postrun_run *run, const postrun_run *ref,
                        const char *what)
{
    char *got = assess_text(a, run, what);
    char *want = assess_text(a, ref, what);
    expect_same_text(got, want, what);
    free(got);
    free(want);
}

/* True when assessing the two runs with `a` gives different output. */
static bool differ(postrun_assessment *a, const postrun_run *x, const postrun_run *y,
                   const char *what)
{
    char *p = assess_text(a, x, what);
    char *q = assess_text(a, y, what);
    bool d = strcmp(p, q) != 0;
    free(p);
    free(q);
    return d;
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t n = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        append(&buf, &n, chunk, got);
    fclose(f);
    assert_non_null(buf);
    *len = n;
    return buf;
}

static postrun_run *parse_text(const char *text, const postrun_kb *kb, const char *what)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    if (postrun_run_parse(&run, kb, text, strlen(text), what, &err) != POSTRUN_OK) {
        print_error("%s: does not parse\n", what);
        dump_problems(&err);
        postrun_error_clear(&err);
        fail();
    }
    postrun_error_clear(&err);
    return run;
}

/* Document `k` of example file `f`, read with `kb` (from the file directly when it holds one
 * document, else through a stream of that knowledge base into a run of it). */
static postrun_run *load_doc(size_t f, size_t k, const postrun_kb *kb)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_status rc;
    if (n_docs[f] == 1) {
        rc = postrun_run_load_file(&run, kb, files[f], &err);
    } else {
        postrun_stream *s = NULL;
        rc = postrun_run_new(&run, kb, &err);
        if (rc == POSTRUN_OK)
            rc = postrun_stream_open_file(&s, kb, files[f], &err);
        for (size_t i = 0; rc == POSTRUN_OK && i <= k; i++)
            rc = postrun_stream_next(s, run, &err);
        postrun_stream_free(s);
    }
    if (rc != POSTRUN_OK) {
        print_error("%s (document %zu): does not load (%d)\n", files[f], k, (int)rc);
        dump_problems(&err);
        postrun_error_clear(&err);
        postrun_run_free(run);
        fail();
    }
    postrun_error_clear(&err);
    return run;
}

static bool has_ids(const postrun_run *run)
{
    return run->n_symptoms > 0 || run->n_observations > 0;
}

/* A symptom id of `kb` that `run` does not list. */
static const char *other_symptom(const postrun_kb *kb, const postrun_run *run)
{
    for (size_t i = 0; i < postrun_kb_count(kb, POSTRUN_KIND_SYMPTOM); i++) {
        const char *id = postrun_kb_id(kb, POSTRUN_KIND_SYMPTOM, i);
        bool listed = false;
        for (size_t j = 0; j < run->n_symptoms; j++)
            listed |= strcmp(run->symptom[j].id, id) == 0;
        if (!listed && pr_kb_symptom_index(kb_a, id) >= 0)
            return id;
    }
    fail_msg("every symptom is listed");
    return NULL;
}

/* ---- the two knowledge bases ---- */

static void test_the_two_knowledge_bases_index_every_id_differently(void **state)
{
    (void)state;
    static const postrun_kind kinds[] = {POSTRUN_KIND_SYMPTOM, POSTRUN_KIND_OBSERVATION,
                                         POSTRUN_KIND_BODY_AREA};
    int (*const index_of[])(const postrun_kb *, const char *) = {
        pr_kb_symptom_index, pr_kb_observation_index, pr_kb_body_area_index};
    for (size_t k = 0; k < 3; k++) {
        size_t n = postrun_kb_count(kb_a, kinds[k]);
        assert_true(n > 0);
        assert_int_equal(postrun_kb_count(kb_b, kinds[k]), n + (k == 0 ? 1 : 2));
        for (size_t i = 0; i < n; i++) {
            const char *id = postrun_kb_id(kb_a, kinds[k], i);
            assert_int_equal(index_of[k](kb_a, id), (int)i);
            assert_int_equal(index_of[k](kb_b, id), (int)i + 1);
        }
    }
    assert_int_equal(pr_kb_symptom_index(kb_b, "side_stitch"), 0);
    assert_int_equal(pr_kb_symptom_index(kb_a, "side_stitch"), -1);

    /* A run read with either one carries that one's indexes. */
    postrun_run *ra = load_doc(0, 0, kb_a), *rb = load_doc(0, 0, kb_b);
    assert_true(ra->n_symptoms > 0);
    assert_ptr_equal(ra->ids_kb, kb_a);
    assert_ptr_equal(rb->ids_kb, kb_b);
    for (size_t i = 0; i < ra->n_symptoms; i++) {
        assert_int_equal(ra->symptom[i].index, pr_kb_symptom_index(kb_a, ra->symptom[i].id));
        assert_int_equal(rb->symptom[i].index, pr_kb_symptom_index(kb_b, rb->symptom[i].id));
        assert_int_not_equal(ra->symptom[i].index, rb->symptom[i].index);
    }
    for (size_t i = 0; i < ra->n_observations; i++)
        assert_int_not_equal(ra->observation[i].index, rb->observation[i].index);
    postrun_run_free(ra);
    postrun_run_free(rb);
}

/* The comparisons below would catch a wrong index: a run whose indexes are the bundled
 * knowledge base's, assessed with the other one as if they were its own, gives another result
 * for every example that lists a symptom. And the two knowledge bases do not assess every
 * example alike (the overlay changes a cause), so comparing across them means something. */
static void test_indexes_from_the_wrong_knowledge_base_change_the_result(void **state)
{
    (void)state;
    size_t with_symptoms = 0, kbs_differ = 0;
    for (size_t f = 0; f < n_files; f++) {
        for (size_t k = 0; k < n_docs[f]; k++) {
            postrun_run *ra = load_doc(f, k, kb_a), *rb = load_doc(f, k, kb_b);
            char what[600];
            snprintf(what, sizeof what, "%s (document %zu)", files[f], k);
            if (differ(as_a, ra, rb, what) || differ(as_b, ra, rb, what))
                fail_msg("%s: the same report assesses differently by its reading", what);
            char *pa = assess_text(as_a, ra, what), *pb = assess_text(as_b, rb, what);
            kbs_differ += strcmp(pa, pb) != 0;
            free(pa);
            free(pb);
            if (ra->n_symptoms > 0) {
                with_symptoms++;
                postrun_run *forged = malloc(sizeof *forged);
                assert_non_null(forged);
                memcpy(forged, ra, sizeof *forged);
                forged->kb = forged->ids_kb = kb_b;
                if (!differ(as_b, forged, rb, what))
                    fail_msg("%s: indexes of the wrong knowledge base go unnoticed", what);
                free(forged);
            }
            postrun_run_free(ra);
            postrun_run_free(rb);
        }
    }
    assert_true(with_symptoms > 0);
    assert_true(kbs_differ > 0);
}

/* ---- 1. loaded with one knowledge base, assessed with the other ---- */

static void test_examples_loaded_with_one_kb_assess_like_loaded_with_the_other(void **state)
{
    (void)state;
    for (size_t f = 0; f < n_files; f++) {
        for (size_t k = 0; k < n_docs[f]; k++) {
            char what[600];
            postrun_run *ra = load_doc(f, k, kb_a), *rb = load_doc(f, k, kb_b);
            if (has_ids(ra)) {
                assert_ptr_equal(ra->ids_kb, kb_a);
                assert_ptr_equal(rb->ids_kb, kb_b);
            }
            snprintf(what, sizeof what, "%s (document %zu), read with A, assessed with B",
                     files[f], k);
            expect_same(as_b, ra, rb, what);
            snprintf(what, sizeof what, "%s (document %zu), read with B, assessed with A",
                     files[f], k);
            expect_same(as_a, rb, ra, what);
            /* Once more, in the other order: nothing of one assessment stays for the next. */
            snprintf(what, sizeof what, "%s (document %zu), again", files[f], k);
            expect_same(as_b, rb, ra, what);
            expect_same(as_a, ra, rb, what);
            postrun_run_free(ra);
            postrun_run_free(rb);
        }
    }
}

/* ---- 2. parsed without a knowledge base ---- */

static void test_runs_read_without_a_kb_assess_like_runs_read_with_it(void **state)
{
    (void)state;
    for (size_t f = 0; f < n_files; f++) {
        for (size_t k = 0; k < n_docs[f]; k++) {
            char what[600];
            snprintf(what, sizeof what, "%s (document %zu), read without a knowledge base",
                     files[f], k);
            postrun_run *rn = load_doc(f, k, NULL);
            postrun_run *ra = load_doc(f, k, kb_a), *rb = load_doc(f, k, kb_b);
            assert_null(rn->kb);
            assert_null(rn->ids_kb);
            expect_same(as_a, rn, ra, what);
            expect_same(as_b, rn, rb, what);
            postrun_run_free(rn);
            postrun_run_free(ra);
            postrun_run_free(rb);
        }
    }
    /* Parsed from a string too. */
    size_t len;
    char *text = read_text(files[0], &len);
    postrun_run *rn = parse_text(text, NULL, "string"), *rb = parse_text(text, kb_b, "string");
    expect_same(as_b, rn, rb, "parsed from a string without a knowledge base");
    postrun_run_free(rn);
    postrun_run_free(rb);
    free(text);
}

/* ---- 3. a symptom id changed in place ---- */

/* `text` with the first symptom's id (`old`, the first time it stands as a word after the
 * `symptoms:` key) replaced by `id`. */
static char *replace_first_symptom(const char *text, const char *old, const char *id)
{
    const char *sec = strstr(text, "\nsymptoms:");
    assert_non_null(sec);
    size_t n = strlen(old);
    const char *at = sec;
    for (;;) {
        at = strstr(at + 1, old);
        assert_non_null(at);
        char before = at[-1], after = at[n];
        if ((before == ' ' || before == '{' || before == '\t') &&
            !(after == '_' || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9')))
            break;
    }
    size_t head = (size_t)(at - text), len = strlen(text) + strlen(id) - n;
    char *out = malloc(len + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    strcpy(out + head, id);
    strcpy(out + head + strlen(id), at + n);
    return out;
}

static void test_symptom_id_set_in_place_assesses_like_a_report_written_with_it(void **state)
{
    (void)state;
    const postrun_kb *kbs[] = {kb_a, kb_b};
    postrun_assessment *as[] = {as_a, as_b};
    size_t changed = 0, done = 0;
    for (size_t f = 0; f < n_files; f++) {
        if (n_docs[f] != 1)
            continue;
        size_t len;
        char *text = read_text(files[f], &len);
        for (size_t w = 0; w < 2; w++) {
            postrun_run *run = load_doc(f, 0, kbs[w]);
            if (run->n_symptoms == 0) {
                postrun_run_free(run);
                continue;
            }
            postrun_run *before = load_doc(f, 0, kbs[w]);
            char old[RUN_NAME_SIZE];
            strcpy(old, run->symptom[0].id);
            const char *id = other_symptom(kbs[w], run);
            postrun_error err = POSTRUN_ERROR_INIT;
            assert_int_equal(postrun_run_set_string(run, "symptoms[0].id", id, &err), POSTRUN_OK);
            postrun_error_clear(&err);
            const char *now = NULL;
            assert_int_equal(postrun_run_get_string(run, "symptoms[0].id", &now, NULL),
                             POSTRUN_OK);
            assert_string_equal(now, id);
            assert_null(run->ids_kb); /* the old index no longer holds */

            char *edited = replace_first_symptom(text, old, id);
            char what[600];
            snprintf(what, sizeof what, "%s with symptoms[0].id %s -> %s (read with %c)", files[f],
                     old, id, w ? 'B' : 'A');
            postrun_run *direct = parse_text(edited, NULL, what);
            postrun_run *direct_kb = parse_text(edited, kbs[w], what);
            for (size_t v = 0; v < 2; v++) {
                expect_same(as[v], run, direct, what);
                expect_same(as[v], run, direct_kb, what);
            }
            changed += differ(as[w], run, before, what);

            /* Another change on top, then setters: the copy stays off... */
            assert_int_equal(postrun_run_set_string(run, "symptoms[0].id", old, NULL),
                             POSTRUN_OK);
            assert_null(run->ids_kb);
            for (size_t v = 0; v < 2; v++)
                expect_same(as[v], run, before, what);
            if (run->n_symptoms < PR_MAX_SYMPTOMS) {
                assert_int_equal(postrun_run_append(run, "symptoms", id, NULL), POSTRUN_OK);
                assert_null(run->ids_kb);
                assert_int_equal(postrun_run_unset(run, "symptoms[0]", NULL), POSTRUN_OK);
                assert_null(run->ids_kb);
            }

            /* ...until the run is cleared and filled again. */
            postrun_run_clear(run);
            assert_false(run->ids_any);
            postrun_stream *s = NULL;
            assert_int_equal(postrun_stream_open_string(&s, kbs[w], text, len, files[f], NULL),
                             POSTRUN_OK);
            assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_OK);
            postrun_stream_free(s);
            assert_ptr_equal(run->ids_kb, kbs[w]);
            for (size_t v = 0; v < 2; v++)
                expect_same(as[v], run, before, what);
            done++;

            free(edited);
            postrun_run_free(direct);
            postrun_run_free(direct_kb);
            postrun_run_free(before);
            postrun_run_free(run);
        }
        free(text);
    }
    assert_true(done > 0);
    assert_true(changed > 0);
}

/* ---- 4. the field-path setters ---- */

/* What the sequence below leaves. */
static const char EDITED[] = "postrun: 1\n"
                             "athlete: {body_mass_kg: 70}\n"
                             "run: {duration_min: 95, intensity: steady}\n"
                             "environment: {temperature_c: 24}\n"
                             "symptoms:\n"
                             "  - {id: aching, severity: 7, where: [feet]}\n"
                             "  - {id: cramps, where: [hamstrings]}\n"
                             "  - {id: tightness, severity: 4}\n"
                             "observations: {salty_sweat: true, urine_colour: 7, "
                             "persistent_days: 2}\n";

static void edit(postrun_run *run)
{
    postrun_error err = POSTRUN_ERROR_INIT;
#define OK(call)                                                                                \
    do {                                                                                        \
        if ((call) != POSTRUN_OK) {                                                             \
            dump_problems(&err);                                                                \
            fail_msg("%s failed", #call);                                                       \
        }                                                                                       \
    } while (0)
    OK(postrun_run_set_number(run, "postrun", 1, &err));
    OK(postrun_run_set_number(run, "athlete.body_mass_kg", 70, &err));
    OK(postrun_run_set_number(run, "run.duration_min", 95, &err));
    OK(postrun_run_set_string(run, "run.intensity", "steady", &err));
    OK(postrun_run_set_number(run, "environment.temperature_c", 24, &err));
    OK(postrun_run_append(run, "symptoms", "fatigue", &err));
    OK(postrun_run_append(run, "symptoms", "aching", &err));
    OK(postrun_run_set_number(run, "symptoms[0].severity", 6, &err));
    OK(postrun_run_set_number(run, "symptoms[1].severity", 7, &err));
    OK(postrun_run_append(run, "symptoms[1].where", "calves", &err));
    OK(postrun_run_append(run, "symptoms[1].where", "quadriceps", &err));
    OK(postrun_run_set_number(run, "observations.urine_colour", 5, &err));
    OK(postrun_run_set_bool(run, "observations.dizziness", 1, &err));
    OK(postrun_run_append(run, "symptoms", "cramps", &err));
    OK(postrun_run_append(run, "symptoms[2].where", "hamstrings", &err));
    /* aching (calves, quadriceps), cramps (hamstrings); dizziness */
    OK(postrun_run_unset(run, "symptoms[0]", &err));
    OK(postrun_run_unset(run, "observations.urine_colour", &err));
    OK(postrun_run_set_bool(run, "observations.salty_sweat", 1, &err));
    OK(postrun_run_set_number(run, "observations.urine_colour", 7, &err));
    OK(postrun_run_unset(run, "symptoms[0].where", &err));
    OK(postrun_run_append(run, "symptoms[0].where", "feet", &err));
    OK(postrun_run_append(run, "symptoms", "tightness", &err));
    OK(postrun_run_set_number(run, "symptoms[2].severity", 4, &err));
    OK(postrun_run_set_number(run, "observations.persistent_days", 2, &err));
    OK(postrun_run_unset(run, "observations.dizziness", &err));
#undef OK
    postrun_error_clear(&err);
}

static void test_setter_sequences_assess_like_the_report_written_out(void **state)
{
    (void)state;
    postrun_run *direct = parse_text(EDITED, NULL, "edited");
    postrun_run *direct_a = parse_text(EDITED, kb_a, "edited");
    postrun_run *direct_b = parse_text(EDITED, kb_b, "edited");
    const postrun_kb *kbs[] = {kb_a, kb_b, NULL};
    for (size_t w = 0; w < 3; w++) {
        char what[80];
        snprintf(what, sizeof what, "setters on a run of %s", w == 0 ? "A" : w == 1 ? "B" : "none");
        postrun_run *run = NULL;
        assert_int_equal(postrun_run_new(&run, kbs[w], NULL), POSTRUN_OK);
        edit(run);
        assert_int_equal(run->n_symptoms, 3);
        assert_int_equal(run->n_observations, 3);
        assert_ptr_equal(run->ids_kb, kbs[w]); /* the indexes are in use */
        expect_same(as_a, run, direct, what);
        expect_same(as_b, run, direct, what);
        expect_same(as_a, run, direct_a, what);
        expect_same(as_b, run, direct_b, what);

        /* The same again into the emptied run. */
        postrun_run_clear(run);
        edit(run);
        assert_ptr_equal(run->ids_kb, kbs[w]);
        expect_same(as_a, run, direct, what);
        expect_same(as_b, run, direct, what);
        postrun_run_free(run);
    }
    postrun_run_free(direct);
    postrun_run_free(direct_a);
    postrun_run_free(direct_b);
}

/* ---- 5. streams of another knowledge base ---- */

static void test_stream_of_one_kb_into_a_run_of_another(void **state)
{
    (void)state;
    postrun_run *run = NULL, *run_b = NULL;
    assert_int_equal(postrun_run_new(&run, kb_a, NULL), POSTRUN_OK);
    assert_int_equal(postrun_run_new(&run_b, kb_b, NULL), POSTRUN_OK);
    size_t mixed = 0;
    for (size_t f = 0; f < n_files; f++) {
        postrun_stream *s = NULL, *sn = NULL;
        assert_int_equal(postrun_stream_open_file(&s, kb_b, files[f], NULL), POSTRUN_OK);
        /* A stream without a knowledge base checks ids against the run's. */
        assert_int_equal(postrun_stream_open_file(&sn, NULL, files[f], NULL), POSTRUN_OK);
        for (size_t k = 0; k < n_docs[f]; k++) {
            char what[600];
            snprintf(what, sizeof what, "%s (document %zu) streamed with B into a run of A",
                     files[f], k);
            assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_OK);
            assert_int_equal(postrun_stream_next(sn, run_b, NULL), POSTRUN_OK);
            assert_ptr_equal(run->kb, kb_a);
            if (has_ids(run)) {
                assert_ptr_equal(run->ids_kb, kb_b);
                assert_ptr_equal(run_b->ids_kb, kb_b);
            }
            postrun_run *ra = load_doc(f, k, kb_a), *rb = load_doc(f, k, kb_b);
            postrun_run *rn = load_doc(f, k, NULL);
            expect_same(as_b, run, rb, what);
            expect_same(as_b, run, rn, what);
            expect_same(as_a, run, ra, what);
            expect_same(as_b, run_b, rn, what);
            expect_same(as_a, run_b, rn, what);

            /* A symptom added through the run's own knowledge base: ids of two knowledge
             * bases, so no index may be copied; as if added to the report read with B. */
            if (run->n_symptoms < PR_MAX_SYMPTOMS) {
                const char *id = other_symptom(kb_a, run);
                bool had_ids = has_ids(run);
                assert_int_equal(postrun_run_append(run, "symptoms", id, NULL), POSTRUN_OK);
                if (had_ids)
                    assert_null(run->ids_kb);
                else
                    assert_ptr_equal(run->ids_kb, kb_a);
                mixed += had_ids;
                assert_int_equal(postrun_run_append(run, "symptoms[0].where", "ribs", NULL),
                                 POSTRUN_ERR_UNKNOWN_ID); /* checked against A */
                assert_int_equal(postrun_run_append(rb, "symptoms", id, NULL), POSTRUN_OK);
                assert_int_equal(postrun_run_append(rn, "symptoms", id, NULL), POSTRUN_OK);
                assert_ptr_equal(rb->ids_kb, kb_b);
                snprintf(what, sizeof what, "%s (document %zu) streamed with B, added with A",
                         files[f], k);
                expect_same(as_b, run, rb, what);
                expect_same(as_b, run, rn, what);
                expect_same(as_a, run, rn, what);
            }
            postrun_run_free(ra);
            postrun_run_free(rb);
            postrun_run_free(rn);
        }
        assert_int_equal(postrun_stream_next(s, run, NULL), POSTRUN_DONE);
        assert_int_equal(postrun_stream_next(sn, run_b, NULL), POSTRUN_DONE);
        postrun_stream_free(s);
        postrun_stream_free(sn);
    }
    assert_true(mixed > 0);
    postrun_run_free(run);
    postrun_run_free(run_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_two_knowledge_bases_index_every_id_differently),
        cmocka_unit_test(test_indexes_from_the_wrong_knowledge_base_change_the_result),
        cmocka_unit_test(test_examples_loaded_with_one_kb_assess_like_loaded_with_the_other),
        cmocka_unit_test(test_runs_read_without_a_kb_assess_like_runs_read_with_it),
        cmocka_unit_test(test_symptom_id_set_in_place_assesses_like_a_report_written_with_it),
        cmocka_unit_test(test_setter_sequences_assess_like_the_report_written_out),
        cmocka_unit_test(test_stream_of_one_kb_into_a_run_of_another),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
