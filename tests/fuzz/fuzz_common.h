/*
 * What the three fuzz targets share: invariant checks that stop the fuzzer with a message
 * (a crash it saves), and one walk over every accessor and every output format of an
 * assessment, so that a fuzzed input reaches all the code a real embedder would call.
 */
#ifndef POSTRUN_FUZZ_COMMON_H
#define POSTRUN_FUZZ_COMMON_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "postrun.h"

#define FUZZ_CHECK(cond)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);      \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* A failed call must say why: a code that matches, a message, and a formattable record. */
static inline void fuzz_check_error(postrun_status rc, const postrun_error *err)
{
    if (rc >= 0)
        return;
    FUZZ_CHECK(err->code < 0);
    FUZZ_CHECK(err->message[0] != '\0');
    size_t n = postrun_error_count(err);
    FUZZ_CHECK(n >= 1 && n <= 100);
    for (size_t i = 0; i < n; i++) {
        const postrun_error *e = postrun_error_at(err, i);
        FUZZ_CHECK(e != NULL);
        FUZZ_CHECK(memchr(e->message, '\0', sizeof e->message) != NULL);
        FUZZ_CHECK(memchr(e->file, '\0', sizeof e->file) != NULL);
        FUZZ_CHECK(memchr(e->field, '\0', sizeof e->field) != NULL);
        char line[1200];
        size_t need = postrun_error_format(e, line, sizeof line);
        FUZZ_CHECK(need == strlen(line) || need >= sizeof line);
    }
    FUZZ_CHECK(postrun_error_at(err, n) == NULL);
}

/* The YAML output must read back as YAML. */
static inline bool fuzz_yaml_ok(const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return true; /* libyaml out of memory: nothing to say about the text */
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    bool ok = true;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            ok = p.error == YAML_MEMORY_ERROR;
            if (!ok)
                fprintf(stderr, "rendered YAML does not parse: %s at %zu:%zu\n",
                        p.problem ? p.problem : "?", p.problem_mark.line + 1,
                        p.problem_mark.column + 1);
            break;
        }
        yaml_event_type_t t = ev.type;
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

/* A strict JSON checker (RFC 8259 grammar; strings need not be valid UTF-8 here). */
typedef struct fuzz_json {
    const char *p, *end;
    int depth;
} fuzz_json;

static inline void fj_ws(fuzz_json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
        j->p++;
}

static inline bool fj_lit(fuzz_json *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return false;
    j->p += n;
    return true;
}

static inline bool fj_string(fuzz_json *j)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    for (j->p++; j->p < j->end; j->p++) {
        unsigned char ch = (unsigned char)*j->p;
        if (ch == '"') {
            j->p++;
            return true;
        }
        if (ch < 0x20)
            return false;
        if (ch == '\\') {
            if (++j->p >= j->end)
                return false;
            if (*j->p == 'u') {
                for (int i = 0; i < 4; i++)
                    if (++j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p))
                        return false;
            } else if (!strchr("\"\\/bfnrt", *j->p)) {
                return false;
            }
        }
    }
    return false;
}

static inline bool fj_number(fuzz_json *j)
{
    const char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9'))
        return false;
    if (*j->p == '0')
        j->p++;
    else
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9'))
            return false;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9'))
            return false;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    return j->p > s;
}

static inline bool fj_value(fuzz_json *j)
{
    fj_ws(j);
    if (j->p >= j->end || ++j->depth > 64)
        return false;
    bool ok;
    char c = *j->p;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        fj_ws(j);
        ok = true;
        if (j->p < j->end && *j->p == close) {
            j->p++;
        } else {
            for (;;) {
                if (c == '{') {
                    fj_ws(j);
                    if (!fj_string(j))
                        return false;
                    fj_ws(j);
                    if (j->p >= j->end || *j->p++ != ':')
                        return false;
                }
                if (!fj_value(j))
                    return false;
                fj_ws(j);
                if (j->p >= j->end)
                    return false;
                if (*j->p == ',') {
                    j->p++;
                    continue;
                }
                if (*j->p++ != close)
                    return false;
                break;
            }
        }
    } else if (c == '"') {
        ok = fj_string(j);
    } else if (c == 't' || c == 'f' || c == 'n') {
        ok = fj_lit(j, "true") || fj_lit(j, "false") || fj_lit(j, "null");
    } else {
        ok = fj_number(j);
    }
    j->depth--;
    return ok;
}

static inline bool fuzz_json_ok(const char *text, size_t len)
{
    fuzz_json j = {text, text + len, 0};
    if (!fj_value(&j))
        return false;
    fj_ws(&j);
    return j.p == j.end;
}

static inline int fuzz_sink(void *ud, const char *data, size_t len)
{
    size_t *total = ud;
    /* Touch every byte so that ASan sees a read past the end of what was rendered. */
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned char)data[i];
    volatile unsigned keep = sum;
    (void)keep;
    *total += len;
    return 0;
}

static inline void fuzz_string(const char *s)
{
    if (s)
        FUZZ_CHECK(strlen(s) < ((size_t)1 << 24));
}

/* Every accessor and every format of a successful assessment. */
static inline void fuzz_walk_assessment(postrun_assessment *a)
{
    fuzz_string(postrun_assessment_id(a));
    size_t nm = postrun_metric_count();
    for (size_t i = 0; i < nm; i++) {
        postrun_range r;
        postrun_status s = postrun_assessment_metric_at(a, i, &r);
        FUZZ_CHECK(s == POSTRUN_OK || s == POSTRUN_ERR_NOT_FOUND);
        if (s == POSTRUN_OK)
            FUZZ_CHECK(!isnan(r.expected));
        fuzz_string(postrun_assessment_label(a, postrun_metric_name(i)));
    }
    (void)postrun_assessment_max_urgency(a);
    for (size_t i = 0; i < postrun_assessment_red_flag_count(a); i++) {
        postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
        FUZZ_CHECK(postrun_assessment_red_flag(a, i, &f) == POSTRUN_OK);
        fuzz_string(f.advice);
        for (size_t j = 0; j < f.n_because; j++)
            fuzz_string(postrun_assessment_red_flag_because(a, i, j));
    }
    for (size_t i = 0; i < postrun_assessment_cause_count(a); i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        FUZZ_CHECK(postrun_assessment_cause(a, i, &c) == POSTRUN_OK);
        FUZZ_CHECK(c.score >= 0 && c.score <= 1);
        for (size_t j = 0; j < c.n_explains; j++)
            FUZZ_CHECK(postrun_assessment_cause_explains(a, i, j) != NULL);
        for (size_t j = 0; j < c.n_because; j++) {
            postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
            FUZZ_CHECK(postrun_assessment_cause_because(a, i, j, &k) == POSTRUN_OK);
            fuzz_string(k.text);
            fuzz_string(k.ref);
        }
    }
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        FUZZ_CHECK(postrun_assessment_recommendation(a, i, &r) == POSTRUN_OK);
        fuzz_string(r.text);
        for (size_t j = 0; j < r.n_doses; j++) {
            const char *name;
            double v;
            FUZZ_CHECK(postrun_assessment_recommendation_dose(a, i, j, &name, &v) == POSTRUN_OK);
        }
        for (size_t j = 0; j < r.n_addresses; j++)
            FUZZ_CHECK(postrun_assessment_recommendation_addresses(a, i, j) != NULL);
        for (size_t j = 0; j < r.n_sources; j++)
            FUZZ_CHECK(postrun_assessment_recommendation_source(a, i, j) != NULL);
    }
    for (size_t i = 0; i < postrun_assessment_withdrawn_count(a); i++) {
        const char *id, *by;
        FUZZ_CHECK(postrun_assessment_withdrawn(a, i, &id, &by) == POSTRUN_OK);
    }
    for (size_t i = 0; i < postrun_assessment_misconception_count(a); i++) {
        const char *id, *text;
        FUZZ_CHECK(postrun_assessment_misconception(a, i, &id, &text) == POSTRUN_OK);
        fuzz_string(text);
    }
    for (size_t i = 0; i < postrun_assessment_assumption_count(a); i++)
        FUZZ_CHECK(postrun_assessment_assumption(a, i) != NULL);
    for (size_t i = 0; i < postrun_assessment_note_count(a); i++)
        FUZZ_CHECK(postrun_assessment_note(a, i) != NULL);

    static const struct {
        postrun_format format;
        unsigned flags;
    } outputs[] = {
        {POSTRUN_FORMAT_YAML, 0},
        {POSTRUN_FORMAT_JSON, 0},
        {POSTRUN_FORMAT_JSON, POSTRUN_RENDER_COMPACT},
        {POSTRUN_FORMAT_TEXT, 0},
        {POSTRUN_FORMAT_TEXT, POSTRUN_RENDER_EXPLAIN | POSTRUN_RENDER_COLOR},
    };
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
        postrun_error err = POSTRUN_ERROR_INIT;
        char *out = NULL;
        size_t len = 0;
        postrun_status s =
            postrun_assessment_render(a, outputs[i].format, outputs[i].flags, &out, &len, &err);
        FUZZ_CHECK(s == POSTRUN_OK);
        FUZZ_CHECK(out != NULL && strlen(out) == len);
        if (outputs[i].format == POSTRUN_FORMAT_JSON)
            FUZZ_CHECK(fuzz_json_ok(out, len));
        if (outputs[i].format == POSTRUN_FORMAT_YAML)
            FUZZ_CHECK(fuzz_yaml_ok(out, len));
        postrun_free(out);
        postrun_error_clear(&err);
    }
    size_t total = 0;
    postrun_error err = POSTRUN_ERROR_INIT;
    FUZZ_CHECK(postrun_assessment_write(a, POSTRUN_FORMAT_YAML, POSTRUN_RENDER_COMPACT, fuzz_sink,
                                        &total, &err) == POSTRUN_OK);
    postrun_error_clear(&err);
}

#endif
