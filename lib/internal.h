/*
 * Internal plumbing shared by every part of the library: the allocator, the error record,
 * arenas, and small string helpers. Nothing here is public.
 */
#ifndef POSTRUN_INTERNAL_H
#define POSTRUN_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "postrun.h"

#if defined(__GNUC__)
#define PR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PR_PRINTF(f, a)
#endif

#define PR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation: every allocation of the library goes through these ---- */
void *pr_malloc(size_t n);
void *pr_calloc(size_t count, size_t size);
void *pr_realloc(void *p, size_t n);
void pr_free(void *p);
char *pr_strdup(const char *s);
char *pr_strndup(const char *s, size_t n);

/* ---- errors ---- */

/* Most problems a call records; the last slot says that more were left out. */
#define PR_MAX_PROBLEMS 100

/* Empties the record (frees further problems). NULL-safe. */
void pr_err_reset(postrun_error *err);

/* Records a problem and returns its code. `err` may be NULL. The first error always sits in
 * the record itself (a warning recorded first moves behind it). */
postrun_status pr_err_add(postrun_error *err, postrun_status code, postrun_severity sev,
                          const char *file, uint32_t line, uint32_t column, const char *field,
                          const char *fmt, ...) PR_PRINTF(8, 9);
postrun_status pr_err_vadd(postrun_error *err, postrun_status code, postrun_severity sev,
                           const char *file, uint32_t line, uint32_t column, const char *field,
                           const char *fmt, va_list ap) PR_PRINTF(8, 0);

/* Shorthand for a problem with no position. */
postrun_status pr_err_set(postrun_error *err, postrun_status code, const char *field,
                          const char *fmt, ...) PR_PRINTF(4, 5);

/* Number of error-severity problems recorded. */
size_t pr_err_errors(const postrun_error *err);

/* Copies every problem of `src` into `dst` (appending). */
void pr_err_merge(postrun_error *dst, const postrun_error *src);

/* ---- arena: many small blocks freed at once ---- */
typedef struct pr_arena {
    struct pr_arena_block *head;
    size_t used_total;
} pr_arena;

void *pr_arena_alloc(pr_arena *a, size_t n);
char *pr_arena_strndup(pr_arena *a, const char *s, size_t n);
char *pr_arena_strdup(pr_arena *a, const char *s);
void pr_arena_free(pr_arena *a);

/* ---- small helpers ---- */

/* Levenshtein distance, capped at `cap` (cheap "did you mean"). */
unsigned pr_edit_distance(const char *a, const char *b, unsigned cap);

/* The closest of `words` (NULL-terminated) to `word` when within a small distance, else NULL. */
const char *pr_suggest(const char *word, const char *const *words);

/* The entries of directory `path` that `want` accepts (hidden ones left out), as "path/name"
 * sorted by name, into *names (free with pr_dir_list_free()) and *count (dir.c). */
postrun_status pr_dir_list(const char *path, bool (*want)(const char *name), char ***names,
                           size_t *count, postrun_error *err);
void pr_dir_list_free(char **names, size_t count);

/* Copies src into dst of size n, always NUL-terminating (truncates). */
void pr_strlcpy(char *dst, const char *src, size_t n);
/* Ends the text s of `len` bytes (cut to fit a buffer) before a UTF-8 sequence its end cut
 * into; returns the new length. A cut between characters is left alone. */
size_t pr_utf8_trim(char *s, size_t len);

/* Growable byte buffer (rendering, text). Allocation failure sets `failed`. */
typedef struct pr_buf {
    char *data;
    size_t len, cap;
    bool failed;
} pr_buf;

/* Appends with growth; pr_buf_put() below is its inline fast path. */
void pr_buf_put_grow(pr_buf *b, const char *s, size_t n);

/* Appends n bytes (the buffer stays NUL-terminated). Inline: rendering texts appends a few
 * hundred short pieces per assessment, and the room is nearly always there already. */
static inline void pr_buf_put(pr_buf *b, const char *s, size_t n)
{
    if (!b->failed && b->len + n < b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    pr_buf_put_grow(b, s, n);
}

static inline void pr_buf_puts(pr_buf *b, const char *s)
{
    pr_buf_put(b, s, strlen(s));
}
void pr_buf_printf(pr_buf *b, const char *fmt, ...) PR_PRINTF(2, 3);
void pr_buf_free(pr_buf *b);

/* ---- numbers as text (format.c) ---- */

/* snprintf(buf, size, "%.*f", decimals, v) for decimals 0..6, |v| < 1e9, size >= 32, without
 * printf; false (buf untouched) when it cannot be sure of printf's rounding: call snprintf. */
bool pr_fixed(char *buf, size_t size, double v, int decimals);

/* Formats a number with "sensible rounding": whole numbers from 100 up, one decimal from 1,
 * two below; `decimals` >= 0 forces that many. Writes into buf (size >= 32); returns the
 * length written. */
size_t pr_format_number(char *buf, size_t size, double v, int decimals);

/* Numbers in YAML and JSON: 4 significant digits, whole from 1000 up, "null" when not finite. */
int pr_render_fmt_num(char *buf, size_t size, double v);

/* Numbers in messages: as short as exact ("0.1", "3000", "1e+300"). */
void pr_run_fmt_num(char *buf, size_t size, double v);

/* Appends pr_format_number()'s text. */
static inline void pr_buf_put_number(pr_buf *b, double v, int decimals)
{
    char num[64];
    size_t n = pr_format_number(num, sizeof num, v, decimals);
    pr_buf_put(b, num, n);
}

#endif
