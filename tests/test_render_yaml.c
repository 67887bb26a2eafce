/*
 * The YAML writer (lib/render_yaml.c, which drives libyaml's emitter) against libyaml's
 * emitter driven directly, as render.c once did: the output must not depend on how the
 * events reach libyaml. For every
 * example run's assessment and for thousands of generated documents full of awkward scalars
 * (quotes, colons, comment signs, leading and trailing spaces, tabs, line breaks of every kind,
 * non-ASCII and non-printable characters, texts long enough to fold, empty collections, long
 * and multi-line keys), both must write the same bytes. The libyaml side below is the writer
 * render.c used before, driven by the same events. And the printf-free number formatting
 * (pr_render_fmt_num, pr_fixed) against printf.
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
#include <yaml.h>

#include "render.h"

/* ---- the reference: libyaml's emitter behind the same writer interface ---- */

typedef struct lywriter {
    owriter w;
    yaml_emitter_t em;
} lywriter;

static int ly_out(void *data, unsigned char *buffer, size_t size)
{
    lywriter *y = data;
    if (y->w.status != POSTRUN_OK)
        return 0;
    if (y->w.write(y->w.ud, (const char *)buffer, size) != 0) {
        y->w.status = POSTRUN_ERR_IO;
        return 0;
    }
    return 1;
}

static void ly_emit(lywriter *y, yaml_event_t *ev, int ok)
{
    if (y->w.status != POSTRUN_OK) {
        if (ok)
            yaml_event_delete(ev);
        return;
    }
    if (!ok || !yaml_emitter_emit(&y->em, ev))
        y->w.status = y->em.error == YAML_MEMORY_ERROR || !ok ? POSTRUN_ERR_NOMEM : POSTRUN_ERR_IO;
}

static void ly_map_begin(owriter *w)
{
    yaml_event_t ev;
    int ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    ly_emit((lywriter *)w, &ev, ok);
}
static void ly_map_end(owriter *w)
{
    yaml_event_t ev;
    int ok = yaml_mapping_end_event_initialize(&ev);
    ly_emit((lywriter *)w, &ev, ok);
}
static void ly_seq_begin(owriter *w, bool flow)
{
    yaml_event_t ev;
    int ok = yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    ly_emit((lywriter *)w, &ev, ok);
}
static void ly_seq_end(owriter *w)
{
    yaml_event_t ev;
    int ok = yaml_sequence_end_event_initialize(&ev);
    ly_emit((lywriter *)w, &ev, ok);
}
static void ly_scalar(owriter *w, const char *s, bool plain)
{
    yaml_event_t ev;
    int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s),
                                          plain, !plain,
                                          plain ? YAML_PLAIN_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
    ly_emit((lywriter *)w, &ev, ok);
}
/* Whether a string is offered plain: the decision as render_yaml.c first made it. */
static bool ly_plain_ok(const char *s)
{
    dnode n = {DN_SCALAR, true, 0, 0, s, strlen(s), NULL, 0};
    double d;
    bool b;
    return s[0] && pr_dn_number(&n, &d) == POSTRUN_ERR_TYPE && !pr_dn_bool(&n, &b) && !pr_dn_is_null(&n) &&
           strcmp(s, ".nan") != 0 && strcmp(s, ".inf") != 0;
}
static void ly_str(owriter *w, const char *s) { ly_scalar(w, s, ly_plain_ok(s)); }
static void ly_num(owriter *w, double v)
{
    char num[64];
    pr_render_fmt_num(num, sizeof num, v);
    ly_scalar(w, isfinite(v) ? num : "null", true);
}
static void ly_bool(owriter *w, bool v) { ly_scalar(w, v ? "true" : "false", true); }

static postrun_status libyaml_render(void (*produce)(owriter *w, void *ctx), void *ctx,
                                     postrun_write_fn write, void *ud)
{
    lywriter y;
    memset(&y, 0, sizeof y);
    y.w = (owriter){ly_map_begin, ly_map_end, ly_seq_begin, ly_seq_end, ly_str, ly_num, ly_bool,
                    POSTRUN_OK, write, ud};
    if (!yaml_emitter_initialize(&y.em))
        return POSTRUN_ERR_NOMEM;
    yaml_emitter_set_output(&y.em, ly_out, &y);
    yaml_emitter_set_unicode(&y.em, 1);
    yaml_emitter_set_width(&y.em, 100);
    yaml_event_t ev;
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    ly_emit(&y, &ev, ok);
    ok = yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
    ly_emit(&y, &ev, ok);
    produce(&y.w, ctx);
    ok = yaml_document_end_event_initialize(&ev, 1);
    ly_emit(&y, &ev, ok);
    ok = yaml_stream_end_event_initialize(&ev);
    ly_emit(&y, &ev, ok);
    if (y.w.status == POSTRUN_OK && !yaml_emitter_flush(&y.em))
        y.w.status = POSTRUN_ERR_IO;
    yaml_emitter_delete(&y.em);
    return y.w.status;
}

/* ---- comparing ---- */

typedef struct sink {
    char *data;
    size_t len, cap;
} sink;

static int to_sink(void *ud, const char *data, size_t len)
{
    sink *s = ud;
    if (s->len + len + 1 > s->cap) {
        s->cap = (s->len + len + 1) * 2;
        s->data = realloc(s->data, s->cap);
        if (!s->data)
            return -1;
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

/* Both writers on the same events: same status; same bytes when they succeed. */
static bool same_output(void (*produce)(owriter *w, void *ctx), void *ctx, const char *what)
{
    sink a = {0}, b = {0};
    postrun_status ra = libyaml_render(produce, ctx, to_sink, &a);
    postrun_status rb = pr_render_yaml_with(produce, ctx, to_sink, &b);
    bool same = ra == rb && (ra != POSTRUN_OK ||
                             (a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0)));
    if (!same) {
        size_t i = 0;
        while (i < a.len && i < b.len && a.data[i] == b.data[i])
            i++;
        size_t from = i > 120 ? i - 120 : 0;
        print_error("%s: libyaml %d, render_yaml %d; first difference at byte %zu\n"
                    "libyaml:     ...%.*s|||%.60s\nrender_yaml: ...%.*s|||%.60s\n",
                    what, (int)ra, (int)rb, i, (int)(i - from), a.data ? a.data + from : "",
                    a.data && i < a.len ? a.data + i : "", (int)(i - from),
                    b.data ? b.data + from : "", b.data && i < b.len ? b.data + i : "");
    }
    free(a.data);
    free(b.data);
    return same;
}

/* ---- every example run's assessment ---- */

static void walk_ctx(owriter *w, void *a) { pr_render_walk(w, a); }

static void test_every_example_assessment_is_written_as_libyaml_writes_it(void **state)
{
    (void)state;
    postrun_kb *kb = NULL;
    assert_int_equal(postrun_kb_load_default(&kb, NULL), POSTRUN_OK);
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, kb, NULL), POSTRUN_OK);
    DIR *d = opendir(POSTRUN_SOURCE_ROOT "/examples/runs");
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0 || e->d_name[0] < '0' ||
            e->d_name[0] > '9')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/examples/runs/%s", POSTRUN_SOURCE_ROOT, e->d_name);
        postrun_run *run = NULL;
        assert_int_equal(postrun_run_load_file(&run, kb, path, NULL), POSTRUN_OK);
        assert_int_equal(postrun_assess(a, run, NULL), POSTRUN_OK);
        assert_int_equal(pr_ensure_texts(a), POSTRUN_OK);
        assert_true(same_output(walk_ctx, a, e->d_name));
        postrun_run_free(run);
        n++;
    }
    closedir(d);
    assert_true(n >= 10);
    postrun_assessment_free(a);
    postrun_kb_free(kb);
}

/* ---- generated documents ---- */

typedef struct gen {
    uint64_t s;
    char pool[64][600];
    int used;
} gen;

static uint64_t rnd(gen *g)
{
    g->s ^= g->s << 13;
    g->s ^= g->s >> 7;
    g->s ^= g->s << 17;
    return g->s;
}

static unsigned pick(gen *g, unsigned n) { return (unsigned)(rnd(g) % n); }

/* A scalar made of awkward pieces (the writer must keep each one's bytes). */
static const char *text(gen *g, bool allow_invalid)
{
    static const char *const pieces[] = {
        "word", "Dehydration", "fluid.sweat_loss_l", "runner's", "don't", " ", "  ", ": ", ":",
        "#", " #", "- ", "-", "? ", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'",
        "\"", "%", "@", "`", "\\", "\t", "\n", "\n\n", "\r", "\r\n", "\xc2\x85", "\xe2\x80\xa8",
        "\xe2\x80\xa9", "\xef\xbb\xbf", "\xc2\xa0", "\xc3\xa9", "\xc2\xb0""C", "\xf0\x9f\x8f\x83",
        "\x01", "\x7f", "\x1b", "---", "...", "~", "null", "true", "False", "1.5", "-3", "1e3",
        "0x1F", ".nan", ".inf", "12:30", "a very long sentence that keeps going so that the line "
        "passes the hundredth column and has to be folded by the writer, like advice texts do",
        "x", "%d", "{{", "}}", "\xef\xbf\xbe", "\xed\x9f\xbf", "\xee\x80\x80",
    };
    char *out = g->pool[g->used++ % 64];
    size_t n = 0;
    unsigned parts = pick(g, 8);
    if (pick(g, 6) == 0)
        parts = 12 + pick(g, 10); /* long */
    for (unsigned i = 0; i < parts; i++) {
        const char *p = pieces[pick(g, PR_ARRAY_LEN(pieces))];
        if (allow_invalid && pick(g, 200) == 0)
            p = "\xff";
        size_t l = strlen(p);
        if (n + l + 1 >= sizeof g->pool[0])
            break;
        memcpy(out + n, p, l);
        n += l;
    }
    out[n] = '\0';
    return out;
}

static const char *key_text(gen *g)
{
    static const char *const keys[] = {"id", "name", "low", "expected", "high", "because",
                                       "fluid_ml", "text", "sources"};
    switch (pick(g, 10)) {
    case 0: return text(g, false);
    case 1: { /* longer than a simple key may be */
        char *out = g->pool[g->used++ % 64];
        memset(out, 'k', 140);
        out[140] = '\0';
        return out;
    }
    default: return keys[pick(g, PR_ARRAY_LEN(keys))];
    }
}

static void value(gen *g, owriter *w, int depth, bool allow_invalid);

static void scalar_value(gen *g, owriter *w, bool allow_invalid)
{
    static const double nums[] = {0, -0.0, 1, 2.5, -3.75, 1234.5, 0.00012, 1e300, -1e-300, NAN,
                                  INFINITY, 99.99, 100, 0.5};
    switch (pick(g, 6)) {
    case 0: w->num(w, nums[pick(g, PR_ARRAY_LEN(nums))]); break;
    case 1: w->boolean(w, pick(g, 2)); break;
    default: w->str(w, text(g, allow_invalid)); break;
    }
}

static void map_value(gen *g, owriter *w, int depth, bool allow_invalid, unsigned max_keys)
{
    w->map_begin(w);
    unsigned n = pick(g, max_keys + 1);
    for (unsigned i = 0; i < n; i++) {
        w->str(w, key_text(g));
        value(g, w, depth + 1, allow_invalid);
    }
    w->map_end(w);
}

static void value(gen *g, owriter *w, int depth, bool allow_invalid)
{
    unsigned kind = depth > 4 ? 0 : pick(g, 6);
    switch (kind) {
    case 0:
    case 1: scalar_value(g, w, allow_invalid); break;
    case 2: { /* flow sequence of scalars, as render.c writes ids and ranges */
        w->seq_begin(w, true);
        unsigned n = pick(g, 2) ? pick(g, 4) : pick(g, 30);
        for (unsigned i = 0; i < n; i++)
            scalar_value(g, w, allow_invalid);
        w->seq_end(w);
        break;
    }
    case 3: { /* block sequence of scalars or mappings */
        w->seq_begin(w, false);
        unsigned n = pick(g, 5);
        bool maps = pick(g, 2);
        for (unsigned i = 0; i < n; i++) {
            if (maps)
                map_value(g, w, depth + 1, allow_invalid, 4);
            else
                scalar_value(g, w, allow_invalid);
        }
        w->seq_end(w);
        break;
    }
    default: map_value(g, w, depth, allow_invalid, 5); break;
    }
}

typedef struct doc {
    uint64_t seed;
    bool allow_invalid;
} doc;

static void produce_doc(owriter *w, void *ctx)
{
    doc *d = ctx;
    gen g = {.s = d->seed * 2654435761u + 1};
    map_value(&g, w, 0, d->allow_invalid, 8);
}

static void test_generated_documents_are_written_as_libyaml_writes_them(void **state)
{
    (void)state;
    int bad = 0;
    for (uint64_t seed = 1; seed <= 1500 && bad < 5; seed++) {
        doc d = {seed, false};
        char what[64];
        snprintf(what, sizeof what, "generated document %llu", (unsigned long long)seed);
        if (!same_output(produce_doc, &d, what))
            bad++;
    }
    assert_int_equal(bad, 0);
}

static void test_invalid_utf8_fails_as_it_did_with_libyaml(void **state)
{
    (void)state;
    int bad = 0;
    for (uint64_t seed = 1; seed <= 400 && bad < 5; seed++) {
        doc d = {seed, true};
        char what[64];
        snprintf(what, sizeof what, "document %llu, maybe invalid", (unsigned long long)seed);
        if (!same_output(produce_doc, &d, what))
            bad++;
    }
    assert_int_equal(bad, 0);
}

/* pr_render_fmt_num() as it was written with printf alone. */
static int fmt_num_printf(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        return snprintf(buf, size, "null");
    if (v == 0)
        return snprintf(buf, size, "0");
    if (fabs(v) >= 1000)
        return snprintf(buf, size, "%.0f", v);
    int n = snprintf(buf, size, "%.4g", v);
    if (strchr(buf, 'e'))
        n = snprintf(buf, size, "%.8f", v);
    return n;
}

static void test_numbers_are_written_as_printf_writes_them(void **state)
{
    (void)state;
    gen g = {.s = 12345};
    long bad = 0;
    for (long i = 0; i < 100000 && bad < 10; i++) {
        double v;
        switch (pick(&g, 5)) {
        case 0: { /* any bit pattern */
            uint64_t bits = rnd(&g);
            memcpy(&v, &bits, sizeof v);
            break;
        }
        case 1: /* decimals as a person writes them, and halves: the ties */
            v = (double)((int64_t)(rnd(&g) % 2000001) - 1000000) / (pick(&g, 2) ? 1000.0 : 2000.0);
            break;
        case 2: /* near powers of ten, where %g changes its number of decimals */
            v = pow(10, (int)pick(&g, 9) - 5) * (1 - ((double)pick(&g, 2000) - 1000) * 1e-7);
            break;
        default: /* spread over the magnitudes the models give */
            v = ((double)(rnd(&g) >> 11) / 9007199254740992.0 - 0.5) *
                pow(10, (int)pick(&g, 14) - 6);
            break;
        }
        char a[64], b[64];
        int na = fmt_num_printf(a, sizeof a, v), nb = pr_render_fmt_num(b, sizeof b, v);
        if (na != nb || strcmp(a, b) != 0) {
            print_error("%.17g: printf '%s', pr_render_fmt_num '%s'\n", v, a, b);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* pr_fixed(), under the texts' numbers and pr_render_fmt_num(), against printf's "%.*f". */
static void test_fixed_decimals_are_printed_as_printf_prints_them(void **state)
{
    (void)state;
    gen g = {.s = 777};
    long bad = 0, fast = 0;
    for (long i = 0; i < 100000 && bad < 10; i++) {
        double v;
        switch (pick(&g, 4)) {
        case 0: { /* any bit pattern */
            uint64_t bits = rnd(&g);
            memcpy(&v, &bits, sizeof v);
            if (!isfinite(v))
                continue;
            break;
        }
        case 1: /* exact binary ties: x.5, x.25, x.125 at every decimal count */
            v = (double)((int64_t)(rnd(&g) % 200001) - 100000) / 16.0;
            break;
        case 2: /* decimal ties printf must not round up by accident: 1.005, 2.675 */
            v = (double)((int64_t)(rnd(&g) % 2000001) - 1000000) / 1000.0 + 0.0005;
            break;
        default:
            v = ((double)(rnd(&g) >> 11) / 9007199254740992.0 - 0.5) *
                pow(10, (int)pick(&g, 22) - 12);
            break;
        }
        int d = (int)pick(&g, 7);
        char a[64], b[64];
        snprintf(a, sizeof a, "%.*f", d, v);
        if (!pr_fixed(b, sizeof b, v, d))
            continue;
        fast++;
        if (strcmp(a, b) != 0) {
            print_error("%.17g with %d decimals: printf '%s', pr_fixed '%s'\n", v, d, a, b);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    assert_true(fast > 50000); /* the fast path is the usual one */
}

/* pr_render_yaml_plain_ok() decides by the first character what ly_plain_ok() decides with the
 * number, boolean and null readers: the same answer for every string up to 4 characters over
 * the characters that matter (and a few that do not), and for the tricky ones written out. */
static bool plain_ok_agrees(const char *s)
{
    bool want = ly_plain_ok(s), got = pr_render_yaml_plain_ok(s, strlen(s));
    if (want != got)
        print_error("'%s': plain %d before, %d now\n", s, want, got);
    return want == got;
}

static void test_plain_scalars_are_chosen_as_before(void **state)
{
    (void)state;
    static const char *const tricky[] = {
        "", "~", "~~", "null", "Null", "NULL", "nUlL", "nul", "nulls", "n", "N", "no", "yes",
        "true", "True", "TRUE", "tRUE", "truE", "trues", "t", "T", "false", "False", "FALSE",
        "fAlse", "f", "F", "on", "off", ".nan", ".NaN", ".NAN", ".inf", ".Inf", "+.inf",
        "-.inf", "-.Inf", "+.INF", ".in", "nan", "inf", "-inf", "0", "-0", "+0", "00", "0.",
        ".5", "5.", ".", "+.", "-.", "+", "-", "1e5", "1E5", "1e", "1e+", "1e-5", "1e+5x",
        "1.5e300", "1e400", "-1e400", "1e-400", "0x1F", "0o17", "1_000", "12:30", "1,5",
        " 1", "1 ", "-1 ", "1.2.3", "--1", "+-1", "e5", ".e5", "5e5.5", "x", "id", "name",
        "12 km", "4h", "- item", "-x", ".hidden", "+plus", "99%", "\t1", "1\n",
        "caf\xc3\xa9", "\xc3\xa9", "t\xc3\xa9", "null\xc3\xa9"};
    int bad = 0;
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++)
        bad += !plain_ok_agrees(tricky[i]);
    static const char alpha[] = "0159+-.eEtTfFnNuUlLrRsaA~xi _:";
    const size_t k = sizeof alpha - 1;
    char s[5];
    for (size_t len = 1; len <= 4; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= k;
        for (size_t code = 0; code < total && bad < 10; code++) {
            size_t c = code;
            for (size_t i = 0; i < len; i++, c /= k)
                s[i] = alpha[c % k];
            s[len] = '\0';
            bad += !plain_ok_agrees(s);
        }
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_example_assessment_is_written_as_libyaml_writes_it),
        cmocka_unit_test(test_generated_documents_are_written_as_libyaml_writes_them),
        cmocka_unit_test(test_invalid_utf8_fails_as_it_did_with_libyaml),
        cmocka_unit_test(test_numbers_are_written_as_printf_writes_them),
        cmocka_unit_test(test_fixed_decimals_are_printed_as_printf_prints_them),
        cmocka_unit_test(test_plain_scalars_are_chosen_as_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
