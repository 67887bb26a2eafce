/*
 * A deterministic generator of run reports for the CLI benchmark: each document is one of the
 * example runs with its numbers moved about (a fixed-seed PRNG, values kept inside the field's
 * valid range, integers kept whole), written as block YAML like the examples. The same seed
 * always gives the same bytes, so every measurement reads the same stream.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "fields.h"

/* xorshift64*: small, fast, fixed across platforms. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) / 9007199254740992.0; }

/* Prints a number the way a person writes it: at most two decimals, no trailing zeros. */
static void put_num(pr_buf *b, double v)
{
    char num[64];
    snprintf(num, sizeof num, "%.2f", v);
    char *dot = strchr(num, '.');
    if (dot) {
        char *e = num + strlen(num) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    pr_buf_puts(b, num);
}

/* The field's value moved by up to +-15 % (temperatures by +-4 degrees), inside its range,
 * with at most two decimals. */
static double jitter(int f, double v, uint64_t *s)
{
    const run_field_info *fi = &PR_RUN_FIELDS[f];
    double u = rng_unit(s) * 2 - 1;
    double x = f == RF_TEMPERATURE_C ? v + 4 * u : v * (1 + 0.15 * u);
    if (fi->type == FT_INT || v == floor(v)) /* whole numbers stay whole (age, rpe, ...) */
        x = round(x);
    else
        x = round(x * 100) / 100;
    if (x < fi->min)
        x = fi->min;
    if (x > fi->max)
        x = fi->max;
    return x;
}

/* Fields that stay as they are: the format version, words and yes/no. */
static bool fixed_field(int f)
{
    const run_field_info *fi = &PR_RUN_FIELDS[f];
    return f == RF_POSTRUN || fi->type == FT_ENUM || fi->type == FT_BOOL || fi->type == FT_STR;
}

static void emit_field(pr_buf *b, const postrun_run *run, int f, uint64_t *s, bool indent)
{
    const run_field_info *fi = &PR_RUN_FIELDS[f];
    const char *key = strchr(fi->path, '.');
    key = key ? key + 1 : fi->path;
    pr_buf_puts(b, indent ? "  " : "");
    pr_buf_puts(b, key);
    pr_buf_puts(b, ": ");
    if (fi->type == FT_ENUM) {
        const char *w = NULL;
        postrun_run_get_string(run, fi->path, &w, NULL);
        pr_buf_puts(b, w ? w : "");
    } else if (fi->type == FT_BOOL) {
        int v = 0;
        postrun_run_get_bool(run, fi->path, &v, NULL);
        pr_buf_puts(b, v ? "true" : "false");
    } else {
        double v = 0;
        postrun_run_get_number(run, fi->path, &v, NULL);
        put_num(b, fixed_field(f) ? v : jitter(f, v, s));
    }
    pr_buf_puts(b, "\n");
}

/* One document from `run` (an example), numbers jittered, id made unique by `n`. */
static void emit_run(pr_buf *b, const postrun_run *run, size_t n, uint64_t *s)
{
    char line[160];
    snprintf(line, sizeof line, "---\npostrun: 1\nid: \"bench-%06zu\"\n", n);
    pr_buf_puts(b, line);
    /* sections in the order of the field table */
    const char *section = NULL;
    size_t sec_len = 0;
    for (int f = 0; f < RF_COUNT; f++) {
        const char *p = PR_RUN_FIELDS[f].path, *dot = strchr(p, '.');
        if (!dot || !postrun_run_has(run, p))
            continue;
        size_t len = (size_t)(dot - p);
        if (!section || len != sec_len || strncmp(section, p, len) != 0) {
            pr_buf_put(b, p, len);
            pr_buf_puts(b, ":\n");
            section = p;
            sec_len = len;
        }
        emit_field(b, run, f, s, true);
    }
    size_t ns = postrun_run_count(run, "symptoms");
    pr_buf_puts(b, ns ? "symptoms:\n" : "symptoms: []\n");
    for (size_t i = 0; i < ns; i++) {
        char path[64];
        snprintf(line, sizeof line, "  - id: %s\n", postrun_run_item(run, "symptoms", i));
        pr_buf_puts(b, line);
        static const char *const num_keys[] = {"severity", "onset_h", "duration_h"};
        for (size_t k = 0; k < 3; k++) {
            double v;
            snprintf(path, sizeof path, "symptoms[%zu].%s", i, num_keys[k]);
            if (postrun_run_get_number(run, path, &v, NULL) != POSTRUN_OK)
                continue;
            if (k == 0) { /* severity: a whole number 1..10, moved by at most 2 */
                v = round(v + (rng_unit(s) * 4 - 2));
                v = v < 1 ? 1 : v > 10 ? 10 : v;
            }
            snprintf(line, sizeof line, "    %s: ", num_keys[k]);
            pr_buf_puts(b, line);
            put_num(b, v);
            pr_buf_puts(b, "\n");
        }
        snprintf(path, sizeof path, "symptoms[%zu].where", i);
        size_t nw = postrun_run_count(run, path);
        if (nw) {
            pr_buf_puts(b, "    where: [");
            for (size_t j = 0; j < nw; j++) {
                pr_buf_puts(b, j ? ", " : "");
                pr_buf_puts(b, postrun_run_item(run, path, j));
            }
            pr_buf_puts(b, "]\n");
        }
    }
    size_t no = postrun_run_count(run, "observations");
    if (no)
        pr_buf_puts(b, "observations:\n");
    for (size_t i = 0; i < no; i++) {
        const char *id = postrun_run_item(run, "observations", i);
        char path[96];
        snprintf(path, sizeof path, "observations.%s", id);
        int bv;
        double v;
        snprintf(line, sizeof line, "  %s: ", id);
        pr_buf_puts(b, line);
        if (postrun_run_get_bool(run, path, &bv, NULL) == POSTRUN_OK)
            pr_buf_puts(b, bv ? "true" : "false");
        else if (postrun_run_get_number(run, path, &v, NULL) == POSTRUN_OK)
            put_num(b, v);
        else
            pr_buf_puts(b, "null");
        pr_buf_puts(b, "\n");
    }
}

bool gen_stream(pr_buf *out, postrun_run *const *examples, size_t n_examples, size_t n_docs,
                uint64_t seed)
{
    uint64_t s = seed ? seed : 0x9E3779B97F4A7C15ULL;
    for (size_t d = 0; d < n_docs; d++)
        emit_run(out, examples[rng_next(&s) % n_examples], d, &s);
    return !out->failed;
}

/* ---- the example runs as data for the Python and Lua benchmarks ---- */

static void put_string(pr_buf *b, const char *v)
{
    pr_buf_puts(b, "\"");
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\')
            pr_buf_puts(b, "\\");
        pr_buf_put(b, p, 1);
    }
    pr_buf_puts(b, "\"");
}

/* A key: JSON "key": ... , Lua key = ... (every key of a run report is an identifier). */
static void put_key(pr_buf *b, bool lua, const char *k, size_t len)
{
    if (lua) {
        pr_buf_put(b, k, len);
        pr_buf_puts(b, " = ");
    } else {
        pr_buf_puts(b, "\"");
        pr_buf_put(b, k, len);
        pr_buf_puts(b, "\": ");
    }
}

static void put_exact(pr_buf *b, double v)
{
    char num[64];
    snprintf(num, sizeof num, "%.17g", v);
    pr_buf_puts(b, num);
}

static void emit_data(pr_buf *b, const postrun_run *run, bool lua)
{
    const char *open = lua ? "{" : "{", *close = lua ? "}" : "}";
    pr_buf_puts(b, open);
    bool first = true;
    const char *section = NULL;
    size_t sec_len = 0;
    for (int f = 0; f < RF_COUNT; f++) {
        const run_field_info *fi = &PR_RUN_FIELDS[f];
        const char *p = fi->path, *dot = strchr(p, '.');
        if (!postrun_run_has(run, p))
            continue;
        size_t len = dot ? (size_t)(dot - p) : 0;
        if (section && (!dot || len != sec_len || strncmp(section, p, len) != 0)) {
            pr_buf_puts(b, close);
            section = NULL;
        }
        if (!section) {
            pr_buf_puts(b, first ? "" : ", ");
            first = false;
        } else {
            pr_buf_puts(b, ", ");
        }
        if (dot && !section) {
            put_key(b, lua, p, len);
            pr_buf_puts(b, open);
            section = p;
            sec_len = len;
        }
        const char *key = dot ? dot + 1 : p;
        put_key(b, lua, key, strlen(key));
        if (fi->type == FT_ENUM || fi->type == FT_STR) {
            const char *w = "";
            postrun_run_get_string(run, p, &w, NULL);
            put_string(b, w ? w : "");
        } else if (fi->type == FT_BOOL) {
            int v = 0;
            postrun_run_get_bool(run, p, &v, NULL);
            pr_buf_puts(b, v ? "true" : "false");
        } else {
            double v = 0;
            postrun_run_get_number(run, p, &v, NULL);
            put_exact(b, v);
        }
    }
    if (section)
        pr_buf_puts(b, close);
    size_t ns = postrun_run_count(run, "symptoms");
    pr_buf_puts(b, first ? "" : ", ");
    put_key(b, lua, "symptoms", 8);
    pr_buf_puts(b, lua ? "{" : "[");
    for (size_t i = 0; i < ns; i++) {
        char path[64];
        pr_buf_puts(b, i ? ", {" : "{");
        put_key(b, lua, "id", 2);
        put_string(b, postrun_run_item(run, "symptoms", i));
        static const char *const num_keys[] = {"severity", "onset_h", "duration_h"};
        for (size_t k = 0; k < 3; k++) {
            double v;
            snprintf(path, sizeof path, "symptoms[%zu].%s", i, num_keys[k]);
            if (postrun_run_get_number(run, path, &v, NULL) != POSTRUN_OK)
                continue;
            pr_buf_puts(b, ", ");
            put_key(b, lua, num_keys[k], strlen(num_keys[k]));
            put_exact(b, v);
        }
        snprintf(path, sizeof path, "symptoms[%zu].where", i);
        size_t nw = postrun_run_count(run, path);
        if (nw) {
            pr_buf_puts(b, ", ");
            put_key(b, lua, "where", 5);
            pr_buf_puts(b, lua ? "{" : "[");
            for (size_t j = 0; j < nw; j++) {
                pr_buf_puts(b, j ? ", " : "");
                put_string(b, postrun_run_item(run, path, j));
            }
            pr_buf_puts(b, lua ? "}" : "]");
        }
        pr_buf_puts(b, "}");
    }
    pr_buf_puts(b, lua ? "}" : "]");
    size_t no = postrun_run_count(run, "observations");
    if (no) {
        pr_buf_puts(b, ", ");
        put_key(b, lua, "observations", 12);
        pr_buf_puts(b, open);
        for (size_t i = 0; i < no; i++) {
            const char *id = postrun_run_item(run, "observations", i);
            char path[96];
            snprintf(path, sizeof path, "observations.%s", id);
            pr_buf_puts(b, i ? ", " : "");
            put_key(b, lua, id, strlen(id));
            int bv;
            double v;
            if (postrun_run_get_bool(run, path, &bv, NULL) == POSTRUN_OK)
                pr_buf_puts(b, bv ? "true" : "false");
            else if (postrun_run_get_number(run, path, &v, NULL) == POSTRUN_OK)
                put_exact(b, v);
            else
                pr_buf_puts(b, lua ? "nil" : "null");
        }
        pr_buf_puts(b, close);
    }
    pr_buf_puts(b, close);
}

bool gen_data(pr_buf *out, postrun_run *const *examples, size_t n_examples, bool lua)
{
    pr_buf_puts(out, lua ? "return {\n" : "[\n");
    for (size_t i = 0; i < n_examples; i++) {
        pr_buf_puts(out, "  ");
        emit_data(out, examples[i], lua);
        pr_buf_puts(out, i + 1 < n_examples ? ",\n" : "\n");
    }
    pr_buf_puts(out, lua ? "}\n" : "]\n");
    return !out->failed;
}
