/*
 * The JSON writer: an owriter (render.h) that prints what a walk produces as a JSON document,
 * pretty or compact. render.c drives it with the assessment's walk, history_render.c with a
 * history's trends.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

/* ---- JSON ---- */

typedef struct jwriter {
    owriter w;
    pr_buf b;
    bool compact;
    int depth;
    bool first[64];
    bool in_map[64];
    bool expect_value; /* in a map, after a key */
} jwriter;

static void j_flush(jwriter *j)
{
    if (j->b.failed) {
        j->w.status = POSTRUN_ERR_NOMEM;
        return;
    }
    if (j->w.status == POSTRUN_OK && j->b.len >= 8192) {
        if (j->w.write(j->w.ud, j->b.data, j->b.len) != 0)
            j->w.status = POSTRUN_ERR_IO;
        j->b.len = 0;
    }
}

static void j_indent(jwriter *j)
{
    if (j->compact)
        return;
    pr_buf_put(&j->b, "\n", 1);
    for (int i = 0; i < j->depth; i++)
        pr_buf_put(&j->b, "  ", 2);
}

/* Before any value or key: the comma and newline it needs. */
static void j_pre(jwriter *j)
{
    if (j->expect_value) {
        j->expect_value = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            pr_buf_put(&j->b, ",", 1);
        j->first[j->depth] = false;
        j_indent(j);
    }
}

static void j_string_raw(jwriter *j, const char *s)
{
    pr_buf_put(&j->b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* the bytes that need no escape, at once */
        const unsigned char *q = p;
        while (*q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        if (q != p) {
            pr_buf_put(&j->b, (const char *)p, (size_t)(q - p));
            p = q;
            if (!*p)
                break;
        }
        switch (*p) {
        case '"': pr_buf_put(&j->b, "\\\"", 2); break;
        case '\\': pr_buf_put(&j->b, "\\\\", 2); break;
        case '\n': pr_buf_put(&j->b, "\\n", 2); break;
        case '\t': pr_buf_put(&j->b, "\\t", 2); break;
        case '\r': pr_buf_put(&j->b, "\\r", 2); break;
        default:
            if (*p < 0x20)
                pr_buf_printf(&j->b, "\\u%04x", *p);
            else
                pr_buf_put(&j->b, (const char *)p, 1);
        }
    }
    pr_buf_put(&j->b, "\"", 1);
}

static void j_open(jwriter *j, const char *c, bool map)
{
    j_pre(j);
    pr_buf_puts(&j->b, c);
    if (j->depth < 63)
        j->depth++;
    j->first[j->depth] = true;
    j->in_map[j->depth] = map;
}

static void j_close(jwriter *j, const char *c)
{
    bool empty = j->first[j->depth];
    j->depth--;
    if (!empty)
        j_indent(j);
    pr_buf_puts(&j->b, c);
    j_flush(j);
}

static void j_map_begin(owriter *w) { j_open((jwriter *)w, "{", true); }
static void j_map_end(owriter *w) { j_close((jwriter *)w, "}"); }
static void j_seq_begin(owriter *w, bool flow)
{
    (void)flow;
    j_open((jwriter *)w, "[", false);
}
static void j_seq_end(owriter *w) { j_close((jwriter *)w, "]"); }

static void j_str(owriter *w, const char *s)
{
    jwriter *j = (jwriter *)w;
    bool is_key = j->in_map[j->depth] && !j->expect_value;
    j_pre(j);
    j_string_raw(j, s);
    if (is_key) {
        pr_buf_puts(&j->b, j->compact ? ":" : ": ");
        j->expect_value = true;
    }
}

static void j_num(owriter *w, double v)
{
    jwriter *j = (jwriter *)w;
    j_pre(j);
    char num[64];
    pr_render_fmt_num(num, sizeof num, v);
    pr_buf_puts(&j->b, num);
}

static void j_bool(owriter *w, bool v)
{
    jwriter *j = (jwriter *)w;
    j_pre(j);
    pr_buf_puts(&j->b, v ? "true" : "false");
}

postrun_status pr_render_json_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                unsigned flags, postrun_write_fn write, void *ud)
{
    jwriter j;
    memset(&j, 0, sizeof j);
    j.w = (owriter){j_map_begin, j_map_end, j_seq_begin, j_seq_end, j_str, j_num, j_bool,
                    POSTRUN_OK, write, ud};
    j.compact = (flags & POSTRUN_RENDER_COMPACT) != 0;
    produce(&j.w, ctx);
    pr_buf_put(&j.b, "\n", 1);
    if (j.b.failed)
        j.w.status = POSTRUN_ERR_NOMEM;
    if (j.w.status == POSTRUN_OK && j.b.len && write(ud, j.b.data, j.b.len) != 0)
        j.w.status = POSTRUN_ERR_IO;
    pr_buf_free(&j.b);
    return j.w.status;
}
