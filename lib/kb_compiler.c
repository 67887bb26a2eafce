/*
 * The knowledge-base compiler's plumbing, shared by the loader (kb_load.c), the entry
 * compiler (kb_compile.c), conditions (kb_cond.c) and formulas (kb_expr.c): growing arrays,
 * error reports at a node, the entry table with its id hash, the fields of an entry's overlay
 * layers, and parameter lookup. It uses none of them, so they need not use each other.
 */
#include <stdarg.h>
#include <string.h>

#include "kb_impl.h"

const char *const PR_KIND_SECTION[KIND_COUNT] = {
    "sources", "parameters",      "symptoms",  "observations",   "body_areas", "causes",
    "rules",   "recommendations", "red_flags", "misconceptions", "notes"};
const char *const PR_KIND_NOUN[KIND_COUNT] = {
    "source", "parameter",      "symptom",  "observation",   "body area", "cause",
    "rule",   "recommendation", "red flag", "misconception", "note"};

void *pr_kb_grow(kb_compiler *c, void **arr, size_t *n, size_t *cap, size_t elem)
{
    if (c->nomem)
        return NULL;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        void *na = pr_realloc(*arr, nc * elem);
        if (!na) {
            if (!c->nomem)
                pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
            c->nomem = true;
            return NULL;
        }
        *arr = na;
        *cap = nc;
    }
    void *slot = (char *)*arr + (*n)++ * elem;
    memset(slot, 0, elem);
    return slot;
}

void pr_kb_error(kb_compiler *c, const char *file, const dnode *at, const char *field,
              postrun_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_err_vadd(c->err, code, POSTRUN_SEVERITY_ERROR, file, at ? at->line : 0, at ? at->col : 0,
                field, fmt, ap);
    va_end(ap);
}

void pr_kb_warning(kb_compiler *c, const char *file, const dnode *at, const char *field,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_err_vadd(c->err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_WARNING, file, at ? at->line : 0,
                at ? at->col : 0, field, fmt, ap);
    va_end(ap);
}

int32_t pr_kb_param_lookup(kb_compiler *c, const char *id)
{
    raw_entry *e = pr_compiler_find(c, id, POSTRUN_KIND_PARAMETER);
    if (!e || e->disabled)
        return -1;
    e->used = true;
    return (int32_t)e->index;
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

raw_entry *pr_compiler_find(kb_compiler *c, const char *id, int kind)
{
    if (!c->hash_cap)
        return NULL;
    size_t mask = c->hash_cap - 1;
    for (size_t i = hash_str(id) & mask;; i = (i + 1) & mask) {
        uint32_t v = c->hash[i];
        if (!v)
            return NULL;
        raw_entry *e = &c->entries[v - 1];
        if (strcmp(e->id, id) == 0 && (kind < 0 || e->kind == kind))
            return e;
    }
}

bool pr_hash_insert(kb_compiler *c, size_t entry)
{
    if ((c->n_entries + 1) * 2 > c->hash_cap) {
        size_t cap = c->hash_cap ? c->hash_cap * 2 : 256;
        uint32_t *nh = pr_calloc(cap, sizeof *nh);
        if (!nh)
            return false;
        for (size_t i = 0; i < c->hash_cap; i++) {
            uint32_t v = c->hash[i];
            if (!v)
                continue;
            size_t j = hash_str(c->entries[v - 1].id) & (cap - 1);
            while (nh[j])
                j = (j + 1) & (cap - 1);
            nh[j] = v;
        }
        pr_free(c->hash);
        c->hash = nh;
        c->hash_cap = cap;
    }
    size_t j = hash_str(c->entries[entry].id) & (c->hash_cap - 1);
    while (c->hash[j])
        j = (j + 1) & (c->hash_cap - 1);
    c->hash[j] = (uint32_t)entry + 1;
    return true;
}

const dnode *pr_entry_field(const raw_entry *e, const char *key, const char **file)
{
    for (const layer *l = e->layers; l; l = l->next) {
        const dnode *v = pr_dn_get(l->node, key);
        if (v) {
            if (file)
                *file = l->file;
            return v;
        }
    }
    return NULL;
}
