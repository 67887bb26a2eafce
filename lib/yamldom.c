/*
 * libyaml events -> dnode trees, one document at a time. Refuses aliases (no billion laughs),
 * limits depth, node count, scalar and input size, rejects NUL bytes and duplicate keys, and
 * converts libyaml's 0-based marks to 1-based positions once.
 */
#include "yamldom.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A stream of runs may be long (a season, 100k documents); each document is small. A run
 * report is a few kilobytes: a megabyte is hostile, and refusing it while reading keeps
 * libyaml from buffering a 100 MB scalar before the scalar limit can see it. */
const ylimits PR_YLIMITS_RUN = {
    .max_input = (size_t)1 << 30,
    .max_depth = 16,
    .max_nodes = 4096,
    .max_scalar = 4096,
    .max_document = (size_t)1 << 20,
};

const ylimits PR_YLIMITS_KB = {
    .max_input = 16u * 1024 * 1024,
    .max_depth = 64,
    .max_nodes = 200000,
    .max_scalar = 65536,
    .max_document = 16u * 1024 * 1024,
};

/* Run reports and knowledge bases are UTF-8, in memory and in files alike (libyaml would
 * decode UTF-16 from a file): a UTF-16 byte-order mark gets a message that says so. */
static bool utf16_bom(const unsigned char *s, size_t n)
{
    return n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF));
}

#define UTF16_MESSAGE                                                                          \
    "the text is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8"

/* Counts what libyaml reads and stops it past the limits (it reads ahead by at most its 16 kB
 * raw buffer, so a document's count is that close). */
static int count_read(yreader *r, size_t n, size_t *size_read)
{
    r->bytes_read += n;
    if (r->bytes_read > r->lim.max_input) {
        r->too_big = true;
        return 0;
    }
    if (r->lim.max_document && r->bytes_read - r->doc_start > r->lim.max_document) {
        r->too_big = r->doc_too_big = true;
        return 0;
    }
    *size_read = n;
    return 1;
}

static int read_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    yreader *r = data;
    errno = 0;
    size_t n = fread(buffer, 1, size, r->fp);
    if (n == 0 && ferror(r->fp)) {
        r->read_errno = errno;
        return 0;
    }
    if (r->bytes_read == 0 && utf16_bom(buffer, n)) {
        r->utf16 = true;
        return 0;
    }
    return count_read(r, n, size_read);
}

static int string_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    yreader *r = data;
    size_t left = r->text_len - r->bytes_read, n = size < left ? size : left;
    if (n)
        memcpy(buffer, r->text + r->bytes_read, n);
    return count_read(r, n, size_read);
}

postrun_status pr_yreader_open_string(yreader *r, const char *text, size_t len, const char *name,
                                   const ylimits *lim, postrun_error *err)
{
    memset(r, 0, sizeof *r);
    r->name = name ? name : "<string>";
    r->lim = *lim;
    if (!text && len)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no text given");
    if (len > lim->max_input)
        return pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, 0, 0, NULL,
                          "input is %zu bytes; at most %zu are accepted", len, lim->max_input);
    if (utf16_bom((const unsigned char *)text, len))
        return pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name, 1, 1, NULL,
                          UTF16_MESSAGE);
    if (memchr(text ? text : "", '\0', len)) {
        const char *z = memchr(text, '\0', len);
        uint32_t line = 1, col = 1;
        for (const char *p = text; p < z; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name, line, col,
                          NULL, "a NUL byte is not allowed in YAML text");
    }
    if (!yaml_parser_initialize(&r->parser))
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "cannot create the YAML parser");
    r->parser_ready = true;
    r->text = (const unsigned char *)(text ? text : "");
    r->text_len = len;
    yaml_parser_set_input(&r->parser, string_handler, r);
    return POSTRUN_OK;
}

postrun_status pr_yreader_open_path(yreader *r, const char *path, const ylimits *lim,
                                 postrun_error *err)
{
    memset(r, 0, sizeof *r);
    r->name = path;
    r->lim = *lim;
    if (strcmp(path, "-") == 0) {
        r->fp = stdin;
        r->name = "<stdin>";
    } else {
        r->fp = fopen(path, "rb");
        if (!r->fp)
            return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                              "cannot open: %s", strerror(errno));
        r->own_fp = true;
    }
    if (!yaml_parser_initialize(&r->parser)) {
        pr_yreader_close(r);
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "cannot create the YAML parser");
    }
    r->parser_ready = true;
    yaml_parser_set_input(&r->parser, read_handler, r);
    return POSTRUN_OK;
}

void pr_yreader_close(yreader *r)
{
    if (r->parser_ready)
        yaml_parser_delete(&r->parser);
    if (r->own_fp && r->fp)
        fclose(r->fp);
    r->parser_ready = false;
    r->fp = NULL;
    r->own_fp = false;
}

void pr_ydoc_free(ydoc *doc)
{
    pr_arena_free(&doc->arena);
    doc->root = NULL;
}

/* Line and column of a byte offset of the input: libyaml reports reader errors (bad UTF-8,
 * control characters) as an offset with no mark. Columns count characters, like marks do. */
static void offset_position(yreader *r, size_t offset, uint32_t *line, uint32_t *col)
{
    *line = 0;
    *col = 0;
    const unsigned char *s = NULL;
    size_t n = 0;
    if (!r->fp) {
        s = r->text;
        n = r->text_len;
    } else if (r->fp == stdin || fseek(r->fp, 0, SEEK_SET) != 0) {
        return;
    }
    uint32_t l = 1, c = 1;
    for (size_t i = 0; i < offset; i++) {
        int ch;
        if (s)
            ch = i < n ? s[i] : -1;
        else
            ch = fgetc(r->fp);
        if (ch < 0)
            break;
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static postrun_status parser_error(yreader *r, postrun_error *err)
{
    r->done = true;
    if (r->doc_too_big)
        return pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name,
                          (uint32_t)r->parser.mark.line + 1, (uint32_t)r->parser.mark.column + 1,
                          NULL, "a document of more than %zu bytes; at most %zu are accepted",
                          r->lim.max_document, r->lim.max_document);
    if (r->too_big)
        return pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, 0, 0, NULL,
                          "input is larger than %zu bytes", r->lim.max_input);
    if (r->fp && ferror(r->fp))
        return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, r->name, 0, 0, NULL,
                          "cannot read: %s", r->read_errno ? strerror(r->read_errno) : "read error");
    if (r->parser.error == YAML_MEMORY_ERROR)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory in the YAML parser");
    if (r->parser.error == YAML_READER_ERROR) {
        uint32_t line, col;
        if (r->utf16)
            return pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name, 1, 1,
                              NULL, UTF16_MESSAGE);
        offset_position(r, r->parser.problem_offset, &line, &col);
        return pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name, line, col,
                          NULL, "%s", r->parser.problem ? r->parser.problem : "unreadable input");
    }
    const yaml_mark_t *m = r->parser.problem ? &r->parser.problem_mark : &r->parser.context_mark;
    const char *problem = r->parser.problem ? r->parser.problem : "malformed YAML";
    if (r->parser.context)
        return pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name,
                          (uint32_t)m->line + 1, (uint32_t)m->column + 1, NULL, "%s %s",
                          problem, r->parser.context);
    return pr_err_add(err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name,
                      (uint32_t)m->line + 1, (uint32_t)m->column + 1, NULL, "%s", problem);
}

/* A collection being built: items gathered in a temporary growable array. */
typedef struct frame {
    dnode *node;
    dnode **items;
    size_t n, cap;
} frame;

static bool frame_push(frame *f, dnode *item)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        dnode **ni = pr_realloc(f->items, cap * sizeof *ni);
        if (!ni)
            return false;
        f->items = ni;
        f->cap = cap;
    }
    f->items[f->n++] = item;
    return true;
}

/* Skips events to the end of the current document so the next one can be read. */
static postrun_status skip_document(yreader *r, postrun_error *err)
{
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&r->parser, &ev))
            return parser_error(r, err);
        yaml_event_type_t t = ev.type;
        yaml_event_delete(&ev);
        if (t == YAML_DOCUMENT_END_EVENT)
            return POSTRUN_OK;
        if (t == YAML_STREAM_END_EVENT) {
            r->done = true;
            return POSTRUN_OK;
        }
    }
}

static bool key_equal(const dnode *a, const dnode *b)
{
    return a->kind == DN_SCALAR && b->kind == DN_SCALAR && a->len == b->len &&
           memcmp(a->str, b->str, a->len) == 0;
}

/* What pr_yreader_next() keeps while it builds one document's tree from libyaml's events. */
typedef struct ybuild {
    yreader *r;
    ydoc *doc;
    postrun_error *err;
    frame *stack; /* the collections open, outermost first */
    size_t depth, nodes;
    postrun_status rc;
} ybuild;

/* What an event's handler tells the loop: read on, stop, or stop and skip to the document's
 * end (our own refusals, after which libyaml can go on). */
enum { Y_NEXT, Y_FAIL, Y_FAIL_SKIP };

static int y_nomem(ybuild *b)
{
    b->rc = pr_err_set(b->err, POSTRUN_ERR_NOMEM, NULL, "out of memory reading YAML");
    return Y_FAIL;
}

/* A scalar's text, refused when too long or when it holds a NUL. */
static int y_scalar(ybuild *b, const yaml_event_t *ev, dnode *node)
{
    const yreader *r = b->r;
    size_t len = ev->data.scalar.length;
    if (len > r->lim.max_scalar) {
        b->rc = pr_err_add(b->err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, node->line,
                           node->col, NULL, "a value of %zu bytes; at most %zu allowed", len,
                           r->lim.max_scalar);
        return Y_FAIL_SKIP;
    }
    if (memchr(ev->data.scalar.value, '\0', len)) {
        b->rc = pr_err_add(b->err, POSTRUN_ERR_SYNTAX, POSTRUN_SEVERITY_ERROR, r->name, node->line,
                           node->col, NULL, "a NUL character is not allowed in a value");
        return Y_FAIL_SKIP;
    }
    node->kind = DN_SCALAR;
    node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.tag == NULL;
    node->str = pr_arena_strndup(&b->doc->arena, (const char *)ev->data.scalar.value, len);
    node->len = len;
    return node->str ? Y_NEXT : y_nomem(b);
}

/* Attaches a new node to the collection being built. A mapping's key must be a scalar and new;
 * a duplicate is recorded and the document read on, so the caller can still check the rest of
 * it and report every problem. */
static int y_attach(ybuild *b, dnode *node)
{
    if (b->depth == 0) {
        b->doc->root = node;
        return Y_NEXT;
    }
    frame *p = &b->stack[b->depth - 1];
    if (p->node->kind == DN_MAP && p->n % 2 == 0) {
        if (node->kind != DN_SCALAR) {
            b->rc = pr_err_add(b->err, POSTRUN_ERR_TYPE, POSTRUN_SEVERITY_ERROR, b->r->name,
                               node->line, node->col, NULL, "mapping keys must be plain words");
            return Y_FAIL_SKIP;
        }
        for (size_t i = 0; i < p->n; i += 2) {
            if (key_equal(p->items[i], node)) {
                pr_err_add(b->err, POSTRUN_ERR_DUPLICATE, POSTRUN_SEVERITY_ERROR, b->r->name,
                           node->line, node->col, node->str,
                           "key '%s' is given twice (first at line %u)", node->str,
                           (unsigned)p->items[i]->line);
                b->rc = POSTRUN_ERR_DUPLICATE;
                break;
            }
        }
    }
    return frame_push(p, node) ? Y_NEXT : y_nomem(b);
}

/* A scalar, or the start of a sequence or a mapping (which opens a collection). */
static int y_node(ybuild *b, const yaml_event_t *ev, uint32_t line, uint32_t col)
{
    const yreader *r = b->r;
    if (++b->nodes > r->lim.max_nodes) {
        b->rc = pr_err_add(b->err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, line, col,
                           NULL, "document has more than %zu values", r->lim.max_nodes);
        return Y_FAIL_SKIP;
    }
    dnode *node = pr_arena_alloc(&b->doc->arena, sizeof *node);
    if (!node)
        return y_nomem(b);
    memset(node, 0, sizeof *node);
    node->line = line;
    node->col = col;
    int next = Y_NEXT;
    if (ev->type == YAML_SCALAR_EVENT)
        next = y_scalar(b, ev, node);
    else
        node->kind = ev->type == YAML_SEQUENCE_START_EVENT ? DN_SEQ : DN_MAP;
    if (next == Y_NEXT)
        next = y_attach(b, node);
    if (next != Y_NEXT || node->kind == DN_SCALAR)
        return next;
    if (b->depth >= r->lim.max_depth) {
        b->rc = pr_err_add(b->err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, line, col,
                           NULL, "nesting deeper than %zu levels", r->lim.max_depth);
        return Y_FAIL_SKIP;
    }
    b->stack[b->depth].node = node;
    b->stack[b->depth].n = 0;
    b->depth++;
    return Y_NEXT;
}

/* The end of a sequence or a mapping: its items move from the frame into the arena. */
static int y_end(ybuild *b)
{
    frame *f = &b->stack[b->depth - 1];
    dnode *c = f->node;
    c->n = f->n;
    if (f->n) {
        c->item = pr_arena_alloc(&b->doc->arena, f->n * sizeof *c->item);
        if (!c->item)
            return y_nomem(b);
        memcpy(c->item, f->items, f->n * sizeof *c->item);
    }
    b->depth--;
    return Y_NEXT;
}

static void y_free_stack(ybuild *b)
{
    for (size_t i = 0; i <= b->r->lim.max_depth; i++)
        pr_free(b->stack[i].items);
    pr_free(b->stack);
}

postrun_status pr_yreader_next(yreader *r, ydoc *doc, postrun_error *err)
{
    memset(doc, 0, sizeof *doc);
    if (r->done || !r->parser_ready)
        return POSTRUN_DONE;

    r->doc_start = r->bytes_read;
    ybuild b = {.r = r, .doc = doc, .err = err, .rc = POSTRUN_OK};
    bool have_doc = false;
    b.stack = pr_calloc(r->lim.max_depth + 1, sizeof *b.stack);
    if (!b.stack)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory reading YAML");

    int next = Y_NEXT;
    while (next == Y_NEXT) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&r->parser, &ev)) {
            b.rc = parser_error(r, err);
            next = Y_FAIL;
            break;
        }
        uint32_t line = (uint32_t)ev.start_mark.line + 1, col = (uint32_t)ev.start_mark.column + 1;
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
            r->stream_started = true;
            break;
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            r->done = true;
            y_free_stack(&b);
            return have_doc ? POSTRUN_OK : POSTRUN_DONE;
        case YAML_DOCUMENT_START_EVENT:
            have_doc = true;
            doc->line = line;
            doc->col = col;
            r->doc_index++;
            break;
        case YAML_DOCUMENT_END_EVENT:
            /* b.rc may hold a duplicate key: the tree is whole all the same. */
            yaml_event_delete(&ev);
            y_free_stack(&b);
            return b.rc;
        case YAML_ALIAS_EVENT:
            b.rc = pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, line, col,
                              NULL, "YAML aliases (*name) are not allowed; write the value out");
            next = Y_FAIL_SKIP;
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            next = y_node(&b, &ev, line, col);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            next = y_end(&b);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }

    if (next == Y_FAIL_SKIP) {
        /* libyaml can go on after our own refusals (an alias, an over-long value): skip to the
         * document's end. Too deep or too many values stop the stream: skipping them would
         * cost libyaml time in proportion to what we refused to read. */
        if (r->too_big || b.depth >= r->lim.max_depth || b.nodes > r->lim.max_nodes)
            r->done = true;
        else
            (void)skip_document(r, err);
    }
    y_free_stack(&b);
    pr_ydoc_free(doc);
    if (b.rc == POSTRUN_ERR_NOMEM)
        r->done = true;
    return b.rc;
}

/* ---- scalars ---- */

const dnode *pr_dn_get(const dnode *map, const char *key)
{
    if (!map || map->kind != DN_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (strcmp(map->item[i]->str, key) == 0)
            return map->item[i + 1];
    return NULL;
}

bool pr_dn_is_null(const dnode *n)
{
    return n && n->kind == DN_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcasecmp(n->str, "null") == 0);
}

postrun_status pr_dn_number(const dnode *n, double *out)
{
    if (!n || n->kind != DN_SCALAR || !n->plain || n->len == 0)
        return POSTRUN_ERR_TYPE;
    const char *s = n->str;
    if (strcasecmp(s, ".nan") == 0 || strcasecmp(s, ".inf") == 0 ||
        strcasecmp(s, "+.inf") == 0 || strcasecmp(s, "-.inf") == 0)
        return POSTRUN_ERR_RANGE;
    /* Decimal only: [+-]digits[.digits][e[+-]digits], or .5 style. No hex, no "nan" words. */
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits = true;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits = true;
        }
    }
    if (!digits)
        return POSTRUN_ERR_TYPE;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return POSTRUN_ERR_TYPE;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return POSTRUN_ERR_TYPE;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
        return POSTRUN_ERR_RANGE;
    if (!isfinite(v))
        return POSTRUN_ERR_RANGE;
    *out = v;
    return POSTRUN_OK;
}

bool pr_dn_bool(const dnode *n, bool *out)
{
    if (!n || n->kind != DN_SCALAR || !n->plain)
        return false;
    char c = n->str[0]; /* every value read asks this: most are no boolean word */
    if (c != 't' && c != 'T' && c != 'f' && c != 'F')
        return false;
    if (strcmp(n->str, "true") == 0 || strcmp(n->str, "True") == 0 ||
        strcmp(n->str, "TRUE") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(n->str, "false") == 0 || strcmp(n->str, "False") == 0 ||
        strcmp(n->str, "FALSE") == 0) {
        *out = false;
        return true;
    }
    return false;
}

bool pr_dn_scalar_eq(const dnode *n, const char *s)
{
    return n && n->kind == DN_SCALAR && strcmp(n->str, s) == 0;
}

void pr_dn_describe(const dnode *n, char *buf, size_t size)
{
    if (!n)
        snprintf(buf, size, "nothing");
    else if (n->kind == DN_MAP)
        snprintf(buf, size, "a mapping");
    else if (n->kind == DN_SEQ)
        snprintf(buf, size, "a list");
    else if (pr_dn_is_null(n))
        snprintf(buf, size, "an empty value");
    else
        snprintf(buf, size, "'%.40s%s'", n->str, n->len > 40 ? "..." : "");
}
