/*
 * A small YAML document tree with positions, built from libyaml's event stream one document at
 * a time, with limits against hostile input (size, depth, node count, aliases, duplicate keys).
 * Shared by the run-report loader and the knowledge-base loader.
 */
#ifndef POSTRUN_YAMLDOM_H
#define POSTRUN_YAMLDOM_H

#include <stdio.h>
#include <yaml.h>

#include "internal.h"

typedef enum dn_kind { DN_SCALAR, DN_SEQ, DN_MAP } dn_kind;

typedef struct dnode {
    dn_kind kind;
    bool plain;          /* scalar written without quotes (may be a number, bool or null) */
    uint32_t line, col;  /* 1-based */
    const char *str;     /* scalar text (NUL-terminated; may hold no NUL inside) */
    size_t len;          /* scalar length */
    struct dnode **item; /* sequence items; for a mapping key,value,key,value... */
    size_t n;            /* item count (a mapping has n/2 pairs) */
} dnode;

typedef struct ylimits {
    size_t max_input;   /* bytes of the whole input */
    size_t max_depth;   /* nesting of collections */
    size_t max_nodes;   /* nodes per document */
    size_t max_scalar;  /* bytes per scalar */
    size_t max_document; /* bytes of one document: bounds what libyaml buffers for it */
} ylimits;

extern const ylimits PR_YLIMITS_RUN;
extern const ylimits PR_YLIMITS_KB;

typedef struct ydoc {
    pr_arena arena;
    dnode *root;        /* NULL for an empty document */
    uint32_t line, col; /* where the document started */
} ydoc;

typedef struct yreader {
    yaml_parser_t parser;
    bool parser_ready;
    bool stream_started;
    bool done;      /* stream end reached, or a fatal error happened */
    const char *name;
    FILE *fp;       /* owned when opened from a path */
    bool own_fp;
    const unsigned char *text; /* or the caller's text, read through string_handler */
    size_t text_len;
    ylimits lim;
    size_t bytes_read;
    size_t doc_start; /* bytes_read when the current document was asked for */
    bool too_big;
    bool doc_too_big;
    bool utf16; /* a file starts with a UTF-16 byte-order mark */
    size_t doc_index; /* documents started so far */
    int read_errno;   /* the reason of a failed read (a directory: EISDIR) */
} yreader;

/* Opens a reader over memory (kept by the caller) or a file path ("-" = stdin). */
postrun_status pr_yreader_open_string(yreader *r, const char *text, size_t len, const char *name,
                                   const ylimits *lim, postrun_error *err);
postrun_status pr_yreader_open_path(yreader *r, const char *path, const ylimits *lim,
                                 postrun_error *err);

/*
 * Reads the next document into `doc` (freed by pr_ydoc_free). POSTRUN_OK, POSTRUN_DONE at the end,
 * or an error. After a syntax error or a limit on the whole input the reader is done (libyaml
 * cannot resume); after a refused alias or an over-limit value the rest of that document is
 * skipped. A duplicate key returns POSTRUN_ERR_DUPLICATE with the whole tree in `doc`, so the
 * caller can go on checking the document and report every problem (it must free `doc`).
 */
postrun_status pr_yreader_next(yreader *r, ydoc *doc, postrun_error *err);
void pr_yreader_close(yreader *r);
void pr_ydoc_free(ydoc *doc);

/* ---- reading scalars ---- */

/* The value of key `key` in mapping `map`, or NULL. */
const dnode *pr_dn_get(const dnode *map, const char *key);
bool pr_dn_is_null(const dnode *n);
/* Strict number: plain scalar, decimal, finite. Returns POSTRUN_OK, TYPE or RANGE (not finite,
 * overflow). */
postrun_status pr_dn_number(const dnode *n, double *out);
/* true/false (any case of the YAML 1.2 core schema). */
bool pr_dn_bool(const dnode *n, bool *out);
bool pr_dn_scalar_eq(const dnode *n, const char *s);
/* A short description of what a node is ("a mapping", "the text \"abc\"") for messages. */
void pr_dn_describe(const dnode *n, char *buf, size_t size);

#endif
