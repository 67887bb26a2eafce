/*
 * YAML output: the events of render.c's walk written as YAML, byte for byte what libyaml
 * 0.2.5's emitter writes for them (UTF-8, unicode on, indent 2, width 100), without it.
 *
 * Why not libyaml: its emitter analyses and copies every scalar one character at a time
 * through several layers and allocates for every event; an assessment's YAML (about 20 kB)
 * took it some 300 microseconds, a hundred times the assessment itself. This writer keeps
 * libyaml's rules (scalar analysis and style choice, folding long scalars past column 100,
 * indentless sequences in mappings, empty collections as [] and {}, the "!" tag on a text
 * that was offered as plain but cannot be) for the events render.c produces: block mappings
 * and sequences, flow sequences of scalars, scalars. It writes through a buffer on the stack,
 * so rendering YAML allocates nothing. tests: the golden files, and the differential test
 * against libyaml's emitter (tests/test_render_yaml.c).
 */
#include <math.h>
#include <string.h>

#include "render.h"

enum { BEST_INDENT = 2, BEST_WIDTH = 100, MAX_DEPTH = 64, SIMPLE_KEY_MAX = 128 };

typedef enum { F_BMAP, F_BSEQ, F_FSEQ, F_FMAP } frame_kind;

typedef struct frame {
    uint8_t kind;     /* frame_kind */
    bool first;       /* no item yet */
    bool want_value;  /* mappings: the next node is a value */
    bool simple_key;  /* mappings: the key just written was a simple key */
    bool map_context; /* block sequences: the sequence is a mapping's value */
} frame;

typedef struct ywriter {
    owriter w;
    /* output */
    char buf[4096];
    size_t len;
    /* libyaml's emitter state that matters here */
    int column, indent, flow_level;
    bool whitespace, indention;
    int indents[MAX_DEPTH * 2 + 4];
    int n_indents;
    frame stack[MAX_DEPTH];
    int depth;
    /* the node being written: its context (libyaml's root/sequence/mapping/simple-key) */
    bool ctx_map, ctx_simple_key;
    /* a collection whose start was seen; written once the next event says if it is empty */
    int pending; /* 0, 'S' sequence, 'F' flow sequence, 'M' mapping */
    bool pending_map_context;
} ywriter;

/* ---- output ---- */

static void flush(ywriter *y)
{
    if (y->len && y->w.status == POSTRUN_OK && y->w.write(y->w.ud, y->buf, y->len) != 0)
        y->w.status = POSTRUN_ERR_IO;
    y->len = 0;
}

static inline void put_byte(ywriter *y, char c)
{
    if (y->len == sizeof y->buf)
        flush(y);
    y->buf[y->len++] = c;
}

/* One character (of `width` bytes) counts one column, as in libyaml. */
static inline void put_char(ywriter *y, const unsigned char *p, int width)
{
    for (int i = 0; i < width; i++)
        put_byte(y, (char)p[i]);
    y->column++;
}

static inline void put(ywriter *y, char c)
{
    put_byte(y, c);
    y->column++;
}

/* Bytes that are each one column (ASCII). */
static void put_run(ywriter *y, const unsigned char *p, size_t n)
{
    if (y->len + n <= sizeof y->buf && n <= 16) { /* most runs are words: no memcpy call */
        for (size_t i = 0; i < n; i++)
            y->buf[y->len + i] = (char)p[i];
        y->len += n;
        y->column += (int)n;
        return;
    }
    while (n) {
        if (y->len == sizeof y->buf)
            flush(y);
        size_t k = sizeof y->buf - y->len;
        if (k > n)
            k = n;
        memcpy(y->buf + y->len, p, k);
        y->len += k;
        y->column += (int)k;
        p += k;
        n -= k;
    }
}

/* Length of the run of printable ASCII bytes from s that are not spaces (nor, with `quote`,
 * single quotes). */
static size_t ascii_run(const unsigned char *s, size_t n, bool quote)
{
    size_t k = 0;
    while (k < n && s[k] - 0x21u < 0x5Eu && !(quote && s[k] == '\''))
        k++;
    return k;
}

static void put_break(ywriter *y)
{
    put_byte(y, '\n');
    y->column = 0;
}

/* ---- characters (libyaml's classes, on UTF-8) ---- */

static inline int char_width(unsigned char c)
{
    return (c & 0x80) == 0x00 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
           : (c & 0xF8) == 0xF0 ? 4 : 0;
}

/* The byte at i, or 0 past the end (libyaml's copy of a scalar is NUL-terminated). */
static inline unsigned char at(const unsigned char *s, size_t n, size_t i)
{
    return i < n ? s[i] : 0;
}

static inline bool is_break_at(const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = at(s, n, i);
    return c == '\r' || c == '\n' || (c == 0xC2 && at(s, n, i + 1) == 0x85) ||
           (c == 0xE2 && at(s, n, i + 1) == 0x80 &&
            (at(s, n, i + 2) == 0xA8 || at(s, n, i + 2) == 0xA9));
}

static inline bool is_blankz_at(const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = at(s, n, i);
    return c == ' ' || c == '\t' || c == 0 || is_break_at(s, n, i);
}

static inline bool is_printable_at(const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = at(s, n, i), c1 = at(s, n, i + 1), c2 = at(s, n, i + 2);
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) ||
           (c > 0xC2 && c < 0xED) || (c == 0xED && c1 < 0xA0) || c == 0xEE ||
           (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) &&
            !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}

static inline bool is_bom_at(const unsigned char *s, size_t n, size_t i)
{
    return at(s, n, i) == 0xEF && at(s, n, i + 1) == 0xBB && at(s, n, i + 2) == 0xBF;
}

/* What yaml_scalar_event_initialize() accepts. */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int w = char_width(s[i]);
        if (!w || i + (size_t)w > n)
            return false;
        unsigned v = w == 1 ? s[i] : w == 2 ? s[i] & 0x1Fu : w == 3 ? s[i] & 0x0Fu : s[i] & 0x07u;
        for (int k = 1; k < w; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            v = (v << 6) + (s[i + k] & 0x3Fu);
        }
        if (!(w == 1 || (w == 2 && v >= 0x80) || (w == 3 && v >= 0x800) ||
              (w == 4 && v >= 0x10000)))
            return false;
        i += (size_t)w;
    }
    return true;
}

/* ---- libyaml's writing primitives ---- */

static void write_indent(ywriter *y)
{
    int indent = y->indent >= 0 ? y->indent : 0;
    if (!y->indention || y->column > indent || (y->column == indent && !y->whitespace))
        put_break(y);
    if (y->column < indent && y->len + (size_t)(indent - y->column) <= sizeof y->buf) {
        memset(y->buf + y->len, ' ', (size_t)(indent - y->column));
        y->len += (size_t)(indent - y->column);
        y->column = indent;
    }
    while (y->column < indent)
        put(y, ' ');
    y->whitespace = true;
    y->indention = true;
}

static void write_indicator(ywriter *y, const char *ind, bool need_whitespace, bool is_whitespace,
                            bool is_indention)
{
    if (need_whitespace && !y->whitespace)
        put(y, ' ');
    for (const char *p = ind; *p; p++)
        put(y, *p);
    y->whitespace = is_whitespace;
    y->indention = y->indention && is_indention;
}

static void increase_indent(ywriter *y, bool flow, bool indentless)
{
    if (y->n_indents < (int)PR_ARRAY_LEN(y->indents))
        y->indents[y->n_indents] = y->indent;
    y->n_indents++;
    if (y->indent < 0)
        y->indent = flow ? BEST_INDENT : 0;
    else if (!indentless)
        y->indent += BEST_INDENT;
}

static void pop_indent(ywriter *y)
{
    y->n_indents--;
    if (y->n_indents >= 0 && y->n_indents < (int)PR_ARRAY_LEN(y->indents))
        y->indent = y->indents[y->n_indents];
}

/* ---- scalars ---- */

typedef struct analysis {
    bool multiline, flow_plain, block_plain, single_quoted;
    bool ascii; /* printable ASCII only (analyze_ascii) */
} analysis;

/* Per byte, what analyze_ascii() needs: 1 not printable ASCII (it gives up), 2 one of
 * , ? [ ] { } : # (which it looks at), 0 nothing to see. */
static const uint8_t ASCII_CLASS[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The characters that, first, make text unfit for plain style: # , [ ] { } & * ! | > ' " % @ `. */
static const uint64_t FIRST_LO = (1ull << '#') | (1ull << ',') | (1ull << '&') | (1ull << '*') |
                                 (1ull << '!') | (1ull << '>') | (1ull << '\'') | (1ull << '"') |
                                 (1ull << '%');
static const uint64_t FIRST_HI = (1ull << ('[' - 64)) | (1ull << (']' - 64)) |
                                 (1ull << ('{' - 64)) | (1ull << ('}' - 64)) |
                                 (1ull << ('|' - 64)) | (1ull << ('@' - 64)) | (1ull << ('`' - 64));

/* analyze() for text of printable ASCII only (no break, tab or multi-byte character): most
 * of what is written. Same rules, without the cases that cannot occur. */
static bool analyze_ascii(const unsigned char *s, size_t n, analysis *r)
{
    bool block_ind = false, flow_ind = false;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (!ASCII_CLASS[c])
            continue;
        if (ASCII_CLASS[c] == 1)
            return false;
        if (c == ':') {
            flow_ind = true;
            if (i + 1 == n || s[i + 1] == ' ')
                block_ind = true;
        } else if (c == '#') {
            if (i > 0 && s[i - 1] == ' ')
                flow_ind = block_ind = true;
        } else {
            flow_ind = true;
        }
    }
    unsigned char c = s[0];
    bool followed_ws = n == 1 || s[1] == ' ';
    if (c < 64 ? FIRST_LO >> c & 1 : FIRST_HI >> (c - 64) & 1)
        flow_ind = block_ind = true;
    if ((c == '?' || c == ':') && followed_ws)
        block_ind = true;
    if (c == '-' && followed_ws)
        flow_ind = block_ind = true;
    if (n >= 3 && (c == '-' || c == '.') && s[1] == c && s[2] == c)
        flow_ind = block_ind = true;
    bool edge_space = c == ' ' || s[n - 1] == ' ';
    r->multiline = false;
    r->flow_plain = !edge_space && !flow_ind;
    r->block_plain = !edge_space && !block_ind;
    r->single_quoted = true;
    r->ascii = true;
    return true;
}

static analysis analyze(const unsigned char *s, size_t n)
{
    analysis r = {false, false, true, true, false};
    if (n == 0)
        return r;
    bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
    bool leading_space = false, leading_break = false, trailing_space = false,
         trailing_break = false, break_space = false, space_break = false;
    bool prev_space = false, prev_break = false;
    if ((s[0] == '-' && at(s, n, 1) == '-' && at(s, n, 2) == '-') ||
        (s[0] == '.' && at(s, n, 1) == '.' && at(s, n, 2) == '.'))
        block_ind = flow_ind = true;
    bool preceded_ws = true;
    bool followed_ws = is_blankz_at(s, n, (size_t)char_width(s[0]));
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        int w = char_width(c);
        if (i == 0) {
            if (strchr("#,[]{}&*!|>'\"%@`", c) && c) {
                flow_ind = block_ind = true;
            }
            if (c == '?' || c == ':') {
                flow_ind = true;
                if (followed_ws)
                    block_ind = true;
            }
            if (c == '-' && followed_ws)
                flow_ind = block_ind = true;
        } else {
            if (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}')
                flow_ind = true;
            if (c == ':') {
                flow_ind = true;
                if (followed_ws)
                    block_ind = true;
            }
            if (c == '#' && preceded_ws)
                flow_ind = block_ind = true;
        }
        if (!is_printable_at(s, n, i))
            special = true; /* unicode output: non-ASCII printable characters are fine */
        bool brk = is_break_at(s, n, i);
        if (brk)
            line_breaks = true;
        if (c == ' ') {
            if (i == 0)
                leading_space = true;
            if (i + (size_t)w == n)
                trailing_space = true;
            if (prev_break)
                break_space = true;
            prev_space = true;
            prev_break = false;
        } else if (brk) {
            if (i == 0)
                leading_break = true;
            if (i + (size_t)w == n)
                trailing_break = true;
            if (prev_space)
                space_break = true;
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = prev_break = false;
        }
        preceded_ws = is_blankz_at(s, n, i);
        i += (size_t)(w ? w : 1);
        if (i < n)
            followed_ws = is_blankz_at(s, n, i + (size_t)char_width(s[i]));
    }
    r.multiline = line_breaks;
    r.flow_plain = r.block_plain = r.single_quoted = true;
    if (leading_space || leading_break || trailing_space || trailing_break)
        r.flow_plain = r.block_plain = false;
    if (break_space)
        r.flow_plain = r.block_plain = r.single_quoted = false;
    if (space_break || special)
        r.flow_plain = r.block_plain = r.single_quoted = false;
    if (line_breaks)
        r.flow_plain = r.block_plain = false;
    if (flow_ind)
        r.flow_plain = false;
    if (block_ind)
        r.block_plain = false;
    return r;
}

static void write_break_char(ywriter *y, const unsigned char *s, int w)
{
    if (s[0] == '\n') {
        put_break(y);
    } else {
        for (int i = 0; i < w; i++)
            put_byte(y, (char)s[i]);
        y->column = 0;
    }
}

/* Length of the run from s up to the next space (text known to be printable ASCII). */
static size_t word_run(const unsigned char *s, size_t n)
{
    const unsigned char *sp = memchr(s, ' ', n);
    return sp ? (size_t)(sp - s) : n;
}

static void write_plain(ywriter *y, const unsigned char *s, size_t n, bool allow_breaks,
                        bool ascii)
{
    bool spaces = false, breaks = false;
    if (!y->whitespace && (n || y->flow_level))
        put(y, ' ');
    for (size_t i = 0; i < n;) {
        int w = char_width(s[i]);
        if (s[i] == ' ') {
            if (allow_breaks && !spaces && y->column > BEST_WIDTH && at(s, n, i + 1) != ' ')
                write_indent(y);
            else
                put(y, ' ');
            spaces = true;
        } else if (is_break_at(s, n, i)) {
            if (!breaks && s[i] == '\n')
                put_break(y);
            write_break_char(y, s + i, w);
            y->indention = true;
            breaks = true;
        } else {
            if (breaks)
                write_indent(y);
            size_t k = ascii ? word_run(s + i, n - i) : ascii_run(s + i, n - i, false);
            if (k) {
                put_run(y, s + i, k);
                w = (int)k;
            } else {
                put_char(y, s + i, w);
            }
            y->indention = false;
            spaces = breaks = false;
        }
        i += (size_t)w;
    }
    y->whitespace = false;
    y->indention = false;
}

static void write_single_quoted(ywriter *y, const unsigned char *s, size_t n, bool allow_breaks)
{
    bool spaces = false, breaks = false;
    write_indicator(y, "'", true, false, false);
    for (size_t i = 0; i < n;) {
        int w = char_width(s[i]);
        if (s[i] == ' ') {
            if (allow_breaks && !spaces && y->column > BEST_WIDTH && i != 0 && i != n - 1 &&
                at(s, n, i + 1) != ' ')
                write_indent(y);
            else
                put(y, ' ');
            spaces = true;
        } else if (is_break_at(s, n, i)) {
            if (!breaks && s[i] == '\n')
                put_break(y);
            write_break_char(y, s + i, w);
            y->indention = true;
            breaks = true;
        } else {
            if (breaks)
                write_indent(y);
            if (s[i] == '\'')
                put(y, '\'');
            size_t k = s[i] == '\'' ? 0 : ascii_run(s + i, n - i, true);
            if (k) {
                put_run(y, s + i, k);
                w = (int)k;
            } else {
                put_char(y, s + i, w);
            }
            y->indention = false;
            spaces = breaks = false;
        }
        i += (size_t)w;
    }
    if (breaks)
        write_indent(y);
    write_indicator(y, "'", false, false, false);
    y->whitespace = false;
    y->indention = false;
}

static void write_double_quoted(ywriter *y, const unsigned char *s, size_t n, bool allow_breaks)
{
    static const char hex[] = "0123456789ABCDEF";
    bool spaces = false;
    write_indicator(y, "\"", true, false, false);
    for (size_t i = 0; i < n;) {
        int w = char_width(s[i]);
        if (!is_printable_at(s, n, i) || is_bom_at(s, n, i) || is_break_at(s, n, i) ||
            s[i] == '"' || s[i] == '\\') {
            unsigned v = w == 1 ? s[i] & 0x7Fu : w == 2 ? s[i] & 0x1Fu : w == 3 ? s[i] & 0x0Fu
                                                                                : s[i] & 0x07u;
            for (int k = 1; k < w; k++)
                v = (v << 6) + (s[i + k] & 0x3Fu);
            i += (size_t)w;
            put(y, '\\');
            char e = 0;
            switch (v) {
            case 0x00: e = '0'; break;
            case 0x07: e = 'a'; break;
            case 0x08: e = 'b'; break;
            case 0x09: e = 't'; break;
            case 0x0A: e = 'n'; break;
            case 0x0B: e = 'v'; break;
            case 0x0C: e = 'f'; break;
            case 0x0D: e = 'r'; break;
            case 0x1B: e = 'e'; break;
            case 0x22: e = '"'; break;
            case 0x5C: e = '\\'; break;
            case 0x85: e = 'N'; break;
            case 0xA0: e = '_'; break;
            case 0x2028: e = 'L'; break;
            case 0x2029: e = 'P'; break;
            default: break;
            }
            if (e) {
                put(y, e);
            } else {
                int digits = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
                put(y, digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
                for (int k = (digits - 1) * 4; k >= 0; k -= 4)
                    put(y, hex[(v >> k) & 0x0F]);
            }
            spaces = false;
            continue;
        }
        if (s[i] == ' ') {
            if (allow_breaks && !spaces && y->column > BEST_WIDTH && i != 0 && i != n - 1) {
                write_indent(y);
                if (at(s, n, i + 1) == ' ')
                    put(y, '\\');
            } else {
                put(y, ' ');
            }
            spaces = true;
        } else {
            put_char(y, s + i, w);
            spaces = false;
        }
        i += (size_t)w;
    }
    write_indicator(y, "\"", false, false, false);
    y->whitespace = false;
    y->indention = false;
}

/* A scalar in the current context (libyaml's emit_scalar, with select_scalar_style). */
static void emit_scalar(ywriter *y, const unsigned char *s, size_t n, analysis an,
                        bool plain_implicit, bool quoted_implicit)
{
    enum { PLAIN, SINGLE, DOUBLE } style = PLAIN;
    if (y->ctx_simple_key && an.multiline)
        style = DOUBLE;
    if (style == PLAIN) {
        if ((y->flow_level && !an.flow_plain) || (!y->flow_level && !an.block_plain))
            style = SINGLE;
        if (!n && (y->flow_level || y->ctx_simple_key))
            style = SINGLE;
        if (!plain_implicit)
            style = SINGLE;
    }
    if (style == SINGLE && !an.single_quoted)
        style = DOUBLE;
    if (!quoted_implicit && style != PLAIN) {
        /* the non-specific tag: "a string, though it could not be written plain" */
        if (!y->whitespace)
            put(y, ' ');
        put(y, '!');
        y->whitespace = false;
        y->indention = false;
    }
    increase_indent(y, true, false);
    bool allow_breaks = !y->ctx_simple_key;
    if (style == PLAIN)
        write_plain(y, s, n, allow_breaks, an.ascii);
    else if (style == SINGLE)
        write_single_quoted(y, s, n, allow_breaks);
    else
        write_double_quoted(y, s, n, allow_breaks);
    pop_indent(y);
}

/* ---- structure ---- */

static frame *top(ywriter *y) { return y->depth ? &y->stack[y->depth - 1] : NULL; }

static frame *push(ywriter *y, frame_kind kind)
{
    if (y->depth == MAX_DEPTH) {
        y->w.status = POSTRUN_ERR_LIMIT;
        return NULL;
    }
    frame *f = &y->stack[y->depth++];
    memset(f, 0, sizeof *f);
    f->kind = (uint8_t)kind;
    f->first = true;
    return f;
}

/* What the parent writes before a node arrives, and the node's context. `key_len` is the
 * node's length when it is a scalar, for the simple-key test; -1 for a collection (which
 * render.c never uses as a key). */
static void before_node(ywriter *y, long key_len, bool multiline)
{
    frame *f = top(y);
    y->ctx_map = y->ctx_simple_key = false;
    if (!f)
        return;
    switch (f->kind) {
    case F_BSEQ:
        if (f->first)
            increase_indent(y, false, f->map_context && !y->indention);
        write_indent(y);
        write_indicator(y, "-", true, false, true);
        break;
    case F_FSEQ:
        if (!f->first)
            write_indicator(y, ",", false, false, false);
        if (y->column > BEST_WIDTH)
            write_indent(y);
        break;
    case F_BMAP:
        if (f->first && !f->want_value)
            increase_indent(y, false, false);
        y->ctx_map = true;
        if (!f->want_value) {
            write_indent(y);
            f->simple_key = key_len >= 0 && key_len <= SIMPLE_KEY_MAX && !multiline;
            if (f->simple_key)
                y->ctx_simple_key = true;
            else
                write_indicator(y, "?", true, false, true);
        } else if (f->simple_key) {
            write_indicator(y, ":", false, false, false);
        } else {
            write_indent(y);
            write_indicator(y, ":", true, false, true);
        }
        break;
    case F_FMAP:
        y->ctx_map = true;
        if (!f->want_value) {
            if (!f->first)
                write_indicator(y, ",", false, false, false);
            if (y->column > BEST_WIDTH)
                write_indent(y);
            f->simple_key = key_len >= 0 && key_len <= SIMPLE_KEY_MAX && !multiline;
            if (f->simple_key)
                y->ctx_simple_key = true;
            else
                write_indicator(y, "?", true, false, false);
        } else if (f->simple_key) {
            write_indicator(y, ":", false, false, false);
        } else {
            if (y->column > BEST_WIDTH)
                write_indent(y);
            write_indicator(y, ":", true, false, false);
        }
        break;
    }
    f->first = false;
}

/* A node is complete: its parent moves on. */
static void after_node(ywriter *y)
{
    frame *f = top(y);
    if (f && (f->kind == F_BMAP || f->kind == F_FMAP))
        f->want_value = !f->want_value;
}

static void open_flow(ywriter *y, frame_kind kind)
{
    write_indicator(y, kind == F_FMAP ? "{" : "[", true, true, false);
    increase_indent(y, true, false);
    y->flow_level++;
    push(y, kind);
}

/* The pending collection turns out not to be empty: open it for real. */
static void resolve_pending(ywriter *y)
{
    int p = y->pending;
    y->pending = 0;
    if (!p)
        return;
    if (p == 'F' || (y->flow_level && p == 'S'))
        open_flow(y, F_FSEQ);
    else if (p == 'M' && y->flow_level)
        open_flow(y, F_FMAP);
    else {
        frame *f = push(y, p == 'M' ? F_BMAP : F_BSEQ);
        if (f)
            f->map_context = y->pending_map_context;
    }
}

static void collection_start(ywriter *y, int kind)
{
    resolve_pending(y);
    if (y->w.status != POSTRUN_OK)
        return;
    before_node(y, -1, false);
    y->pending = kind;
    y->pending_map_context = y->ctx_map;
}

static void collection_end(ywriter *y, bool map)
{
    if (y->pending) { /* empty: libyaml writes it in flow style */
        y->pending = 0;
        write_indicator(y, map ? "{" : "[", true, true, false);
        increase_indent(y, true, false);
        pop_indent(y);
        write_indicator(y, map ? "}" : "]", false, false, false);
        after_node(y);
        return;
    }
    frame *f = top(y);
    if (!f)
        return;
    if (f->kind == F_FSEQ || f->kind == F_FMAP) {
        y->flow_level--;
        pop_indent(y);
        write_indicator(y, f->kind == F_FMAP ? "}" : "]", false, false, false);
    } else if (!f->first) {
        pop_indent(y);
    }
    y->depth--;
    after_node(y);
}

/* ---- the owriter ---- */

static void scalar(ywriter *y, const char *s, bool plain)
{
    resolve_pending(y);
    if (y->w.status != POSTRUN_OK)
        return;
    size_t n = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    analysis an = {false, false, true, true, false};
    if (n && !analyze_ascii(u, n, &an)) {
        if (!valid_utf8(u, n)) {
            y->w.status = POSTRUN_ERR_NOMEM; /* what libyaml's event constructor reported */
            return;
        }
        an = analyze(u, n);
    }
    before_node(y, (long)n, an.multiline);
    emit_scalar(y, (const unsigned char *)s, n, an, plain, !plain);
    after_node(y);
}

static void y_map_begin(owriter *w) { collection_start((ywriter *)w, 'M'); }
static void y_map_end(owriter *w) { collection_end((ywriter *)w, true); }
static void y_seq_begin(owriter *w, bool flow)
{
    collection_start((ywriter *)w, flow ? 'F' : 'S');
}
static void y_seq_end(owriter *w) { collection_end((ywriter *)w, false); }

/* Strings that would read back as something else (numbers, booleans, null) are quoted. */
static void y_str(owriter *w, const char *s)
{
    /* Only text starting with one of these can read back as a number, a boolean or null
     * (dn_number, dn_bool, dn_is_null; true, false, null in three spellings are 4 or 5
     * letters long): the rest skips the checks. */
    unsigned char c = (unsigned char)s[0];
    bool plain_ok = c != '\0';
    bool maybe = c < 64 ? (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'
                 : c == '~' ? true
                 : c == 't' || c == 'T' || c == 'f' || c == 'F' || c == 'n' || c == 'N'
                     ? (s[1] && s[2] && s[3] && (!s[4] || !s[5])) /* 4 or 5 letters */
                     : false;
    if (plain_ok && maybe) {
        dnode n = {DN_SCALAR, true, 0, 0, s, strlen(s), NULL, 0};
        double d;
        bool b;
        plain_ok = dn_number(&n, &d) == POSTRUN_ERR_TYPE && !dn_bool(&n, &b) && !dn_is_null(&n) &&
                   strcmp(s, ".nan") != 0 && strcmp(s, ".inf") != 0;
    }
    scalar((ywriter *)w, s, plain_ok);
}

static void y_num(owriter *w, double v)
{
    char num[64];
    render_fmt_num(num, sizeof num, v);
    scalar((ywriter *)w, isfinite(v) ? num : "null", true);
}

static void y_bool(owriter *w, bool v) { scalar((ywriter *)w, v ? "true" : "false", true); }

postrun_status render_yaml_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                postrun_write_fn write, void *ud)
{
    ywriter y;
    y.w = (owriter){y_map_begin, y_map_end, y_seq_begin, y_seq_end, y_str, y_num, y_bool,
                    POSTRUN_OK, write, ud};
    y.len = 0;
    y.column = 0;
    y.indent = -1;
    y.flow_level = 0;
    y.whitespace = y.indention = true;
    y.n_indents = 0;
    y.depth = 0;
    y.ctx_map = y.ctx_simple_key = false;
    y.pending = 0;
    y.pending_map_context = false;
    /* document start, not implicit */
    write_indent(&y);
    write_indicator(&y, "---", true, false, false);
    produce(&y.w, ctx);
    resolve_pending(&y);
    /* document end, implicit */
    write_indent(&y);
    flush(&y);
    return y.w.status;
}
