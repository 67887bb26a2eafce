/*
 * Between loading and compiling: the files a builder collected, parsed into trees, and the
 * entries found in them with their overlay layers, and the compiler's state. Private to the
 * compiler: kb_load.c, kb_compiler.c, kb_compile.c, kb_cond.c, kb_expr.c.
 */
#ifndef POSTRUN_KB_IMPL_H
#define POSTRUN_KB_IMPL_H

#include "kb.h"
#include "yamldom.h"

typedef struct layer {
    const dnode *node;   /* the entry's mapping in one file */
    const char *file;
    struct layer *next;  /* older layer (the base is last) */
} layer;

typedef struct raw_entry {
    uint8_t kind;
    const char *id;
    const char *file;   /* where it was first defined */
    const dnode *id_node;
    layer *layers;      /* newest first */
    bool disabled;
    bool used;          /* referenced by something (for the unused-entry warning) */
    uint32_t index;     /* index within its kind once compiled */
} raw_entry;

typedef struct bfile {
    char *name;
    const char *text;
    size_t len;
    bool overlay;
    bool owned; /* text allocated by the builder */
    const unsigned char *tree; /* the bundled files' parsed tree (tools/embed.c), or NULL */
    size_t tree_len;
} bfile;

struct postrun_kb_builder {
    bfile *files;
    size_t n_files, cap_files;
};

typedef struct kb_compiler {
    postrun_kb *kb;
    postrun_error *err;
    raw_entry *entries; size_t n_entries, cap_entries;
    raw_entry **by_kind[KIND_COUNT]; size_t n_kind[KIND_COUNT];
    uint32_t *hash; size_t hash_cap; /* entry index + 1, 0 = empty */
    bool nomem;
    /* capacities of the growing arrays in kb */
    size_t cap_conds, cap_children, cap_set, cap_ops, cap_doses, cap_segs, cap_templates,
        cap_u16, cap_u32, cap_src_refs, cap_links, cap_cause_rules, cap_contras;
    /* doses visible to the formula or template being compiled */
    const char *const *dose_names;
    size_t n_dose_names;
} kb_compiler;

/* ---- plumbing (kb_compiler.c) ---- */

/* Makes room for one more element; NULL (and c->nomem) on failure. */
void *pr_kb_grow(kb_compiler *c, void **arr, size_t *n, size_t *cap, size_t elem);
#define KB_PUSH(c, arr, n, cap) pr_kb_grow((c), (void **)&(arr), &(n), &(cap), sizeof *(arr))

/* Reports a problem at a node of a file. */
void pr_kb_error(kb_compiler *c, const char *file, const dnode *at, const char *field,
              postrun_status code, const char *fmt, ...) PR_PRINTF(6, 7);
void pr_kb_warning(kb_compiler *c, const char *file, const dnode *at, const char *field,
                const char *fmt, ...) PR_PRINTF(5, 6);

/* Conditions (kb_cond.c): compiles a condition tree; -1 on error (reported). */
int32_t pr_cond_compile(kb_compiler *c, const dnode *n, const char *file, const char *field,
                     unsigned depth);
/* Builds pr_cond_eval_all()'s grouped program once every condition is compiled (kb_cond.c). */
void pr_cond_finish(kb_compiler *c);
/* Makes the constant text around each metric leaf's value (kb_expr.c); false when out of
 * memory (reported). */
bool pr_cond_texts_finish(kb_compiler *c);
/* Formulas (kb_expr.c): compiles `src`; false on error (reported at `at`). */
bool pr_expr_compile(kb_compiler *c, const dnode *at, const char *file, const char *field,
                  uint32_t *first, uint32_t *n);
/* Templates (kb_expr.c): compiles a text with {NAME} placeholders; -1 on error. */
int32_t pr_template_compile(kb_compiler *c, const dnode *at, const char *file, const char *field);
/* Parameter index by id, -1 when unknown; marks the entry used. */
int32_t pr_kb_param_lookup(kb_compiler *c, const char *id);

/* Field of an entry, newest layer first; `file` receives the layer's file. */
const dnode *pr_entry_field(const raw_entry *e, const char *key, const char **file);
/* The entry with this id and kind (kind -1: the first of any kind), or NULL. Ids are unique
 * within a kind; different kinds may share one (the contract has an observation and a red flag
 * both called unexplained_weight_loss). */
raw_entry *pr_compiler_find(kb_compiler *c, const char *id, int kind);
/* Adds c->entries[entry] to the id hash; false when out of memory. */
bool pr_hash_insert(kb_compiler *c, size_t entry);

/* Compiles the collected entries into c->kb (kb_compile.c). */
postrun_status pr_kb_compile(kb_compiler *c);

extern const char *const PR_KIND_SECTION[KIND_COUNT];
extern const char *const PR_KIND_NOUN[KIND_COUNT];

#endif
