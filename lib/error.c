/*
 * The error record: status texts, recording problems with their position, formatting them,
 * and the did-you-mean helper that error messages need (numbers as text: format.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct more_problems {
    size_t n, cap;
    size_t dropped; /* problems past PR_MAX_PROBLEMS or lost to a failed allocation */
    postrun_error item[];
} more_problems;

const char *postrun_strerror(postrun_status code)
{
    switch (code) {
    case POSTRUN_OK: return "ok";
    case POSTRUN_DONE: return "no more documents";
    case POSTRUN_ERR_NOMEM: return "out of memory";
    case POSTRUN_ERR_ARGUMENT: return "invalid argument";
    case POSTRUN_ERR_IO: return "input/output error";
    case POSTRUN_ERR_SYNTAX: return "YAML syntax error";
    case POSTRUN_ERR_LIMIT: return "limit exceeded";
    case POSTRUN_ERR_TYPE: return "wrong type";
    case POSTRUN_ERR_RANGE: return "value out of range";
    case POSTRUN_ERR_VALUE: return "value not allowed";
    case POSTRUN_ERR_MISSING: return "required field missing";
    case POSTRUN_ERR_UNKNOWN_KEY: return "unknown key";
    case POSTRUN_ERR_DUPLICATE: return "duplicate";
    case POSTRUN_ERR_UNKNOWN_ID: return "unknown id";
    case POSTRUN_ERR_KB: return "knowledge base problem";
    case POSTRUN_ERR_NOT_FOUND: return "not found";
    }
    return "unknown status";
}

void pr_err_reset(postrun_error *err)
{
    if (!err)
        return;
    /* Every call starts here, and most find the record clean (all zeros since its last
     * reset): every problem recorded sets the code or a text, so checking those is enough to
     * skip clearing 900 bytes. */
    if (err->code == POSTRUN_OK && !err->more_ && !err->message[0] && !err->field[0] &&
        !err->file[0] && !err->line && !err->column && err->severity == POSTRUN_SEVERITY_ERROR)
        return;
    pr_free(err->more_);
    unsigned version = err->version;
    memset(err, 0, sizeof *err);
    err->version = version;
}

void postrun_error_clear(postrun_error *err) { pr_err_reset(err); }

size_t postrun_error_count(const postrun_error *err)
{
    if (!err || err->code == POSTRUN_OK)
        return 0;
    const more_problems *m = err->more_;
    return 1 + (m ? m->n : 0);
}

const postrun_error *postrun_error_at(const postrun_error *err, size_t i)
{
    if (!err || err->code == POSTRUN_OK)
        return NULL;
    if (i == 0)
        return err;
    const more_problems *m = err->more_;
    if (!m || i - 1 >= m->n)
        return NULL;
    return &m->item[i - 1];
}

size_t pr_err_errors(const postrun_error *err)
{
    size_t n = 0, total = postrun_error_count(err);
    for (size_t i = 0; i < total; i++)
        if (postrun_error_at(err, i)->severity == POSTRUN_SEVERITY_ERROR)
            n++;
    return n;
}

/* The format attribute lets clang's -Wformat=2 check callers instead of this vsnprintf. */
static void fill(postrun_error *e, postrun_status code, postrun_severity sev, const char *file,
                 uint32_t line, uint32_t column, const char *field, const char *fmt, va_list ap)
    PR_PRINTF(8, 0);
static void fill(postrun_error *e, postrun_status code, postrun_severity sev, const char *file,
                 uint32_t line, uint32_t column, const char *field, const char *fmt, va_list ap)
{
    e->version = POSTRUN_ERROR_VERSION;
    e->code = code;
    e->severity = sev;
    e->line = line;
    e->column = column;
    pr_strlcpy(e->file, file ? file : "", sizeof e->file);
    pr_strlcpy(e->field, field ? field : "", sizeof e->field);
    int n = vsnprintf(e->message, sizeof e->message, fmt, ap);
    if (n >= (int)sizeof e->message)
        pr_utf8_trim(e->message, sizeof e->message - 1);
    e->more_ = NULL;
}

/* Appends a copy of `p` to the further problems; false when it had to be dropped. */
static bool push_more(postrun_error *err, const postrun_error *p, bool front)
{
    more_problems *m = err->more_;
    if (m && m->n + 1 >= PR_MAX_PROBLEMS) {
        m->dropped++;
        return false;
    }
    if (!m || m->n == m->cap) {
        size_t cap = m ? m->cap * 2 : 4;
        more_problems *nm = pr_realloc(m, sizeof *m + cap * sizeof(postrun_error));
        if (!nm) {
            if (m)
                m->dropped++;
            return false;
        }
        if (!m) {
            nm->n = 0;
            nm->dropped = 0;
        }
        nm->cap = cap;
        err->more_ = m = nm;
    }
    if (front) {
        memmove(&m->item[1], &m->item[0], m->n * sizeof(postrun_error));
        m->item[0] = *p;
    } else {
        m->item[m->n] = *p;
    }
    m->item[front ? 0 : m->n].more_ = NULL;
    m->n++;
    return true;
}

postrun_status pr_err_vadd(postrun_error *err, postrun_status code, postrun_severity sev,
                           const char *file, uint32_t line, uint32_t column, const char *field,
                           const char *fmt, va_list ap)
{
    if (!err)
        return code;
    postrun_error p;
    fill(&p, code, sev, file, line, column, field, fmt, ap);
    p.version = err->version; /* the caller's record keeps the version it was declared with */
    if (err->code == POSTRUN_OK) {
        void *more = err->more_;
        *err = p;
        err->more_ = more;
    } else if (sev == POSTRUN_SEVERITY_ERROR && err->severity == POSTRUN_SEVERITY_WARNING) {
        postrun_error old = *err;
        void *more = err->more_;
        *err = p;
        err->more_ = more;
        push_more(err, &old, true);
    } else {
        push_more(err, &p, false);
    }
    return code;
}

postrun_status pr_err_add(postrun_error *err, postrun_status code, postrun_severity sev,
                          const char *file, uint32_t line, uint32_t column, const char *field,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_err_vadd(err, code, sev, file, line, column, field, fmt, ap);
    va_end(ap);
    return code;
}

postrun_status pr_err_set(postrun_error *err, postrun_status code, const char *field,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_err_vadd(err, code, POSTRUN_SEVERITY_ERROR, NULL, 0, 0, field, fmt, ap);
    va_end(ap);
    return code;
}

void pr_err_merge(postrun_error *dst, const postrun_error *src)
{
    size_t n = postrun_error_count(src);
    for (size_t i = 0; i < n; i++) {
        const postrun_error *p = postrun_error_at(src, i);
        pr_err_add(dst, p->code, p->severity, p->file, p->line, p->column, p->field, "%s",
                   p->message);
    }
}

size_t postrun_error_format(const postrun_error *err, char *buf, size_t size)
{
    if (!buf)
        size = 0; /* measure only, as snprintf(NULL, 0, ...) */
    if (!err) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    char pos[300] = "";
    if (err->file[0] && err->line)
        snprintf(pos, sizeof pos, "%s:%u:%u: ", err->file, (unsigned)err->line,
                 (unsigned)err->column);
    else if (err->file[0])
        snprintf(pos, sizeof pos, "%s: ", err->file);
    int n = snprintf(buf, size, "%s%s%s%s%s", pos,
                     err->severity == POSTRUN_SEVERITY_WARNING ? "warning: " : "", err->field,
                     err->field[0] ? ": " : "", err->message);
    if (n > 0 && size && (size_t)n >= size)
        pr_utf8_trim(buf, size - 1);
    return n < 0 ? 0 : (size_t)n;
}

/* ---- text helpers ---- */

unsigned pr_edit_distance(const char *a, const char *b, unsigned cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return cap + 1;
    unsigned row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned prev = row[0], best;
        row[0] = (unsigned)i;
        best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned cur = row[j];
            unsigned sub = prev + (a[i - 1] != b[j - 1]);
            unsigned del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb];
}

const char *pr_suggest(const char *word, const char *const *words)
{
    if (!word || !words)
        return NULL;
    size_t len = strlen(word);
    unsigned cap = len <= 4 ? 1 : len <= 10 ? 2 : 3;
    const char *best = NULL;
    unsigned best_d = cap + 1;
    for (size_t i = 0; words[i]; i++) {
        unsigned d = pr_edit_distance(word, words[i], cap);
        if (d < best_d) {
            best_d = d;
            best = words[i];
        }
    }
    return best;
}
