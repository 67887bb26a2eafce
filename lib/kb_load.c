/*
 * Knowledge-base loading: the builder (files, directories, embedded copy, overlays), parsing
 * each file, finding its entries, and applying overlays (change, add, disable) before the
 * compiler (kb_compile.c) turns the result into an immutable postrun_kb.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embedded.h"
#include "kb_impl.h"

#define KB_MAX_FILE (16u * 1024 * 1024)
#define KB_MAX_FILES 256

/* ---- builder ---- */

postrun_status postrun_kb_builder_new(postrun_kb_builder **out, postrun_error *err)
{
    pr_err_reset(err);
    if (!out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "out is NULL");
    *out = pr_calloc(1, sizeof **out);
    if (!*out)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    return POSTRUN_OK;
}

void postrun_kb_builder_free(postrun_kb_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_files; i++) {
        pr_free(b->files[i].name);
        if (b->files[i].owned)
            pr_free((void *)b->files[i].text);
    }
    pr_free(b->files);
    pr_free(b);
}

static postrun_status add_file(postrun_kb_builder *b, const char *name, const char *text,
                               size_t len, bool overlay, bool owned, postrun_error *err)
{
    if (b->n_files >= KB_MAX_FILES) {
        if (owned)
            pr_free((void *)text);
        return pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, name, 0, 0, NULL,
                          "more than %u knowledge-base files", KB_MAX_FILES);
    }
    if (b->n_files == b->cap_files) {
        size_t cap = b->cap_files ? b->cap_files * 2 : 16;
        bfile *nf = pr_realloc(b->files, cap * sizeof *nf);
        if (!nf)
            goto nomem;
        b->files = nf;
        b->cap_files = cap;
    }
    char *nm = pr_strdup(name);
    if (!nm)
        goto nomem;
    b->files[b->n_files++] = (bfile){nm, text, len, overlay, owned, NULL, 0};
    return POSTRUN_OK;
nomem:
    if (owned)
        pr_free((void *)text);
    return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
}

/* Forgets the files added since the builder held `n`: an add either adds everything it was
 * asked to or nothing, so a failed add can be retried. */
static void drop_files_from(postrun_kb_builder *b, size_t n)
{
    while (b->n_files > n) {
        bfile *f = &b->files[--b->n_files];
        pr_free(f->name);
        if (f->owned)
            pr_free((void *)f->text);
    }
}

postrun_status postrun_kb_builder_add_default(postrun_kb_builder *b, postrun_error *err)
{
    pr_err_reset(err);
    if (!b)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder is NULL");
    size_t before = b->n_files;
    for (size_t i = 0; i < PR_EMBEDDED_KB_COUNT; i++) {
        char name[300];
        snprintf(name, sizeof name, "<bundled>/%s", PR_EMBEDDED_KB[i].name);
        postrun_status rc = add_file(b, name, PR_EMBEDDED_KB[i].text, PR_EMBEDDED_KB[i].len,
                                     false, false, err);
        if (rc == POSTRUN_OK) {
            b->files[b->n_files - 1].tree = PR_EMBEDDED_KB[i].tree;
            b->files[b->n_files - 1].tree_len = PR_EMBEDDED_KB[i].tree_len;
        }
        if (rc) {
            /* All or nothing: half the bundled files would fail the next build, or a retry
             * would add the first ones twice. */
            drop_files_from(b, before);
            return rc;
        }
    }
    return POSTRUN_OK;
}

static postrun_status add_string(postrun_kb_builder *b, const char *name, const char *text,
                                 size_t len, bool overlay, postrun_error *err)
{
    pr_err_reset(err);
    if (!b || (!text && len))
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or text is NULL");
    /* checked before len + 1 is computed: SIZE_MAX would wrap to a 0-byte copy */
    if (len > KB_MAX_FILE)
        return pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, name ? name : "<string>",
                          0, 0, NULL, "input is %zu bytes; at most %u are accepted", len,
                          KB_MAX_FILE);
    char *copy = pr_malloc(len + 1);
    if (!copy)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    return add_file(b, name ? name : "<string>", copy, len, overlay, true, err);
}

postrun_status postrun_kb_builder_add_string(postrun_kb_builder *b, const char *name,
                                             const char *text, size_t len, postrun_error *err)
{
    return add_string(b, name, text, len, false, err);
}

postrun_status postrun_kb_builder_add_overlay_string(postrun_kb_builder *b, const char *name,
                                                     const char *text, size_t len,
                                                     postrun_error *err)
{
    return add_string(b, name, text, len, true, err);
}

static postrun_status read_whole(const char *path, char **text, size_t *len, postrun_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                          "cannot open: %s", strerror(errno));
    size_t cap = 65536, n = 0;
    char *buf = pr_malloc(cap);
    postrun_status rc = POSTRUN_OK;
    if (!buf) {
        rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        goto out;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= KB_MAX_FILE + 2) {
                rc = pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                                "file is larger than %u bytes", KB_MAX_FILE);
                goto out;
            }
            char *nb = pr_realloc(buf, cap * 2);
            if (!nb) {
                rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        int read_errno = errno;
        n += got;
        if (got == 0) {
            if (ferror(fp))
                rc = pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                                "cannot read: %s",
                                read_errno ? strerror(read_errno) : "read error");
            break;
        }
    }
out:
    fclose(fp);
    if (rc) {
        pr_free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return POSTRUN_OK;
}


static postrun_status add_one(postrun_kb_builder *b, const char *path, bool overlay,
                              postrun_error *err)
{
    char *text = NULL;
    size_t len = 0;
    postrun_status rc = read_whole(path, &text, &len, err);
    if (rc)
        return rc;
    return add_file(b, path, text, len, overlay, true, err);
}

static bool is_yaml_name(const char *name)
{
    size_t l = strlen(name);
    return l >= 6 && strcmp(name + l - 5, ".yaml") == 0;
}

static postrun_status add_path(postrun_kb_builder *b, const char *path, bool overlay,
                               postrun_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                          "cannot open: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return add_one(b, path, overlay, err);
    char **names = NULL;
    size_t n = 0;
    postrun_status rc = pr_dir_list(path, is_yaml_name, &names, &n, err);
    if (rc != POSTRUN_OK)
        return rc;
    if (n == 0) {
        rc = pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                        "no .yaml files in this directory");
        goto out;
    }
    size_t before = b->n_files;
    for (size_t i = 0; i < n && rc == POSTRUN_OK; i++)
        rc = add_one(b, names[i], overlay, err);
    if (rc != POSTRUN_OK)
        drop_files_from(b, before);
out:
    pr_dir_list_free(names, n);
    return rc;
}

postrun_status postrun_kb_builder_add_path(postrun_kb_builder *b, const char *path,
                                           postrun_error *err)
{
    pr_err_reset(err);
    if (!b || !path)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or path is NULL");
    return add_path(b, path, false, err);
}

postrun_status postrun_kb_builder_add_overlay(postrun_kb_builder *b, const char *path,
                                              postrun_error *err)
{
    pr_err_reset(err);
    if (!b || !path)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or path is NULL");
    return add_path(b, path, true, err);
}

/* ---- entries ---- */

static bool valid_id(const char *s, bool source)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              (source && ch == '-')))
            return false;
    }
    return true;
}

#define ERR(c, file, node, field, code, ...)                                                   \
    pr_err_add((c)->err, code, POSTRUN_SEVERITY_ERROR, file, (node) ? (node)->line : 0,        \
               (node) ? (node)->col : 0, field, __VA_ARGS__)

static void nomem(kb_compiler *c)
{
    if (!c->nomem)
        pr_err_set(c->err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
    c->nomem = true;
}

static void collect_entry(kb_compiler *c, pr_arena *tmp, unsigned kind, const dnode *e,
                          const char *file, bool overlay)
{
    char field[96];
    pr_strlcpy(field, PR_KIND_SECTION[kind], sizeof field);
    if (e->kind != DN_MAP) {
        ERR(c, file, e, field, POSTRUN_ERR_TYPE, "each %s must be a mapping with an id",
            PR_KIND_NOUN[kind]);
        return;
    }
    const dnode *idn = pr_dn_get(e, "id");
    if (!idn) {
        ERR(c, file, e, field, POSTRUN_ERR_MISSING, "this %s has no id", PR_KIND_NOUN[kind]);
        return;
    }
    if (idn->kind != DN_SCALAR || !valid_id(idn->str, kind == POSTRUN_KIND_SOURCE)) {
        ERR(c, file, idn, "id", POSTRUN_ERR_VALUE,
            "'%.60s' is not a valid id: expected lowercase snake_case%s, at most 63 characters",
            idn->kind == DN_SCALAR ? idn->str : "?",
            kind == POSTRUN_KIND_SOURCE ? " (a source id may also use '-')" : "");
        return;
    }
    raw_entry *old = pr_compiler_find(c, idn->str, (int)kind);
    layer *l = pr_arena_alloc(tmp, sizeof *l);
    if (!l) {
        nomem(c);
        return;
    }
    l->node = e;
    l->file = file;
    if (!old && overlay) {
        /* In an overlay, an id known only under another kind is almost surely a mistake. */
        raw_entry *other = pr_compiler_find(c, idn->str, -1);
        if (other) {
            ERR(c, file, idn, "id", POSTRUN_ERR_KB,
                "'%s' is a %s; an overlay cannot redefine it as a %s", idn->str,
                PR_KIND_NOUN[other->kind], PR_KIND_NOUN[kind]);
            return;
        }
    }
    if (old) {
        if (!overlay) {
            ERR(c, file, idn, "id", POSTRUN_ERR_DUPLICATE,
                "id '%s' is already defined (%s at %s:%u)", idn->str, PR_KIND_NOUN[old->kind],
                old->file, (unsigned)old->id_node->line);
            return;
        }
        l->next = old->layers;
        old->layers = l;
        return;
    }
    if (c->n_entries == c->cap_entries) {
        size_t cap = c->cap_entries ? c->cap_entries * 2 : 512;
        raw_entry *ne = pr_realloc(c->entries, cap * sizeof *ne);
        if (!ne) {
            nomem(c);
            return;
        }
        c->entries = ne;
        c->cap_entries = cap;
    }
    raw_entry *re = &c->entries[c->n_entries];
    memset(re, 0, sizeof *re);
    re->kind = (uint8_t)kind;
    re->id = idn->str;
    re->file = file;
    re->id_node = idn;
    l->next = NULL;
    re->layers = l;
    if (!pr_hash_insert(c, c->n_entries)) {
        nomem(c);
        return;
    }
    c->n_entries++;
}

static void collect_file(kb_compiler *c, pr_arena *tmp, const dnode *root, const bfile *f)
{
    const char *file = f->name;
    if (!root || root->kind != DN_MAP) {
        ERR(c, file, root, NULL, POSTRUN_ERR_TYPE,
            "a knowledge-base file must be a mapping starting with '%s: 1'",
            f->overlay ? "postrun_overlay" : "postrun_kb");
        return;
    }
    const char *want = f->overlay ? "postrun_overlay" : "postrun_kb";
    const char *other = f->overlay ? "postrun_kb" : "postrun_overlay";
    const dnode *ver = pr_dn_get(root, want);
    if (!ver) {
        if (pr_dn_get(root, other))
            ERR(c, file, root, want, POSTRUN_ERR_KB, "this file says '%s', but it was given as %s",
                other, f->overlay ? "an overlay" : "a base file (use --overlay for overlays)");
        else
            ERR(c, file, root, want, POSTRUN_ERR_MISSING, "expected '%s: 1' at the top", want);
        return;
    }
    double v;
    if (pr_dn_number(ver, &v) != POSTRUN_OK || v != 1) {
        ERR(c, file, ver, want, POSTRUN_ERR_VALUE, "format version must be 1");
        return;
    }
    static const char *const keys[] = {
        "postrun_kb", "postrun_overlay", "sources",   "parameters",     "symptoms",
        "observations", "body_areas",  "causes",    "rules",          "recommendations",
        "red_flags",    "misconceptions", "notes",  "disable",        NULL};
    for (size_t i = 0; i + 1 < root->n; i += 2) {
        const dnode *k = root->item[i], *val = root->item[i + 1];
        if (strcmp(k->str, want) == 0)
            continue;
        int kind = -1;
        for (int j = 0; j < KIND_COUNT; j++)
            if (strcmp(k->str, PR_KIND_SECTION[j]) == 0)
                kind = j;
        if (kind < 0 && strcmp(k->str, "disable") == 0 && f->overlay) {
            if (val->kind != DN_SEQ) {
                ERR(c, file, val, "disable", POSTRUN_ERR_TYPE, "expected a list of ids");
                continue;
            }
            continue; /* applied after every file is collected */
        }
        if (kind < 0) {
            const char *s = pr_suggest(k->str, keys);
            if (strcmp(k->str, "disable") == 0)
                ERR(c, file, k, k->str, POSTRUN_ERR_KB, "'disable' is only allowed in overlays");
            else
                ERR(c, file, k, k->str, POSTRUN_ERR_UNKNOWN_KEY, "unknown section '%s'%s%s%s",
                    k->str, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
            continue;
        }
        if (val->kind != DN_SEQ) {
            if (!pr_dn_is_null(val))
                ERR(c, file, val, k->str, POSTRUN_ERR_TYPE, "expected a list of %s entries",
                    PR_KIND_NOUN[kind]);
            continue;
        }
        for (size_t j = 0; j < val->n; j++)
            collect_entry(c, tmp, (unsigned)kind, val->item[j], file, f->overlay);
    }
}

static void apply_disables(kb_compiler *c, const dnode *root, const char *file)
{
    const dnode *d = pr_dn_get(root, "disable");
    if (!d || d->kind != DN_SEQ)
        return;
    for (size_t i = 0; i < d->n; i++) {
        const dnode *idn = d->item[i];
        if (idn->kind != DN_SCALAR) {
            ERR(c, file, idn, "disable", POSTRUN_ERR_TYPE, "expected an id");
            continue;
        }
        /* Every entry with that id, whatever its kind. */
        bool found = false;
        for (size_t k = 0; k < c->n_entries; k++)
            if (strcmp(c->entries[k].id, idn->str) == 0) {
                c->entries[k].disabled = true;
                found = true;
            }
        if (!found)
            ERR(c, file, idn, "disable", POSTRUN_ERR_UNKNOWN_ID, "no entry has id '%s'",
                idn->str);
    }
}

/* ---- the bundled files' trees ---- */

typedef struct tree_reader {
    const unsigned char *p, *end;
    pr_arena *arena;
    bool bad;
} tree_reader;

static size_t tree_num(tree_reader *t)
{
    size_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (t->p >= t->end) {
            t->bad = true;
            return 0;
        }
        unsigned char c = *t->p++;
        v |= (size_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
    t->bad = true;
    return 0;
}

/* One node and its items, as pr_yreader_next() would have built them (the scalars' bytes stay
 * in the embedded data, which outlives every builder). NULL when out of memory or bad. */
static dnode *tree_node(tree_reader *t, unsigned depth)
{
    if (t->p >= t->end || depth > PR_YLIMITS_KB.max_depth) {
        t->bad = true;
        return NULL;
    }
    unsigned char tag = *t->p++;
    dnode *n = pr_arena_alloc(t->arena, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->kind = (dn_kind)(tag & 3);
    n->plain = (tag & 4) != 0;
    n->line = (uint32_t)tree_num(t);
    n->col = (uint32_t)tree_num(t);
    if (n->kind == DN_SCALAR) {
        n->len = tree_num(t);
        if (t->bad || (size_t)(t->end - t->p) <= n->len || t->p[n->len] != '\0') {
            t->bad = true;
            return NULL;
        }
        n->str = (const char *)t->p;
        t->p += n->len + 1;
        return n;
    }
    n->n = tree_num(t);
    if (t->bad || n->n > (size_t)(t->end - t->p)) {
        t->bad = true;
        return NULL;
    }
    if (n->n) {
        n->item = pr_arena_alloc(t->arena, n->n * sizeof *n->item);
        if (!n->item)
            return NULL;
        for (size_t i = 0; i < n->n; i++)
            if (!(n->item[i] = tree_node(t, depth + 1)))
                return NULL;
    }
    return n;
}

/* Fills `doc` from a bundled file's tree: POSTRUN_OK, NOMEM, or KB for a damaged tree (the
 * caller then parses the text). */
static postrun_status tree_decode(const bfile *f, ydoc *doc, postrun_error *err)
{
    memset(doc, 0, sizeof *doc);
    tree_reader t = {f->tree, f->tree + f->tree_len, &doc->arena, false};
    doc->line = (uint32_t)tree_num(&t);
    doc->col = (uint32_t)tree_num(&t);
    doc->root = t.bad ? NULL : tree_node(&t, 0);
    if (doc->root && t.p == t.end)
        return POSTRUN_OK;
    bool nomem = !doc->root && !t.bad; /* else damaged, or bytes left over */
    pr_ydoc_free(doc);
    if (!nomem)
        return POSTRUN_ERR_KB;
    return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory reading YAML");
}

postrun_status postrun_kb_builder_build(postrun_kb_builder *b, postrun_kb **out,
                                        postrun_error *err)
{
    pr_err_reset(err);
    if (!b || !out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "builder or out is NULL");
    *out = NULL;
    if (b->n_files == 0)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no knowledge-base file was added");

    kb_compiler c = {0};
    c.err = err;
    pr_arena tmp = {0};
    ydoc *docs = pr_calloc(b->n_files, sizeof *docs);
    postrun_status rc = POSTRUN_OK;
    if (!docs) {
        rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
        goto out;
    }
    /* Base files first, then overlays in order: add_* may interleave them. */
    for (int pass = 0; pass < 2 && !c.nomem; pass++) {
        for (size_t i = 0; i < b->n_files && !c.nomem; i++) {
            const bfile *f = &b->files[i];
            if (f->overlay != (pass == 1))
                continue;
            if (f->tree) {
                postrun_status s = tree_decode(f, &docs[i], err);
                if (s == POSTRUN_OK) {
                    collect_file(&c, &tmp, docs[i].root, f);
                    if (f->overlay)
                        apply_disables(&c, docs[i].root, f->name);
                    continue;
                }
                if (s == POSTRUN_ERR_NOMEM) {
                    c.nomem = true;
                    continue;
                }
                /* a damaged tree: read the text as any file */
            }
            yreader r;
            if (pr_yreader_open_string(&r, f->text, f->len, f->name, &PR_YLIMITS_KB, err) !=
                POSTRUN_OK)
                continue;
            postrun_status s = pr_yreader_next(&r, &docs[i], err);
            if (s == POSTRUN_OK) {
                ydoc extra;
                postrun_status s2 = pr_yreader_next(&r, &extra, err);
                if (s2 == POSTRUN_OK || s2 == POSTRUN_ERR_DUPLICATE) {
                    pr_err_add(err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, f->name, extra.line,
                               extra.col, NULL,
                               "a knowledge-base file holds one YAML document; split this one");
                    pr_ydoc_free(&extra);
                }
                collect_file(&c, &tmp, docs[i].root, f);
                if (f->overlay)
                    apply_disables(&c, docs[i].root, f->name);
            } else if (s == POSTRUN_DONE) {
                pr_err_add(err, POSTRUN_ERR_KB, POSTRUN_SEVERITY_ERROR, f->name, 0, 0, NULL,
                           "the file is empty");
            } else if (s == POSTRUN_ERR_NOMEM) {
                c.nomem = true;
            } else if (s == POSTRUN_ERR_DUPLICATE) {
                pr_ydoc_free(&docs[i]); /* reported; its entries are not trusted */
            }
            pr_yreader_close(&r);
        }
    }
    if (c.nomem) {
        rc = POSTRUN_ERR_NOMEM;
        goto out;
    }
    rc = pr_kb_compile(&c);
    if (rc == POSTRUN_OK && pr_err_errors(err) > 0)
        rc = err->code;
    if (rc == POSTRUN_OK) {
        *out = c.kb;
        c.kb = NULL;
    }
out:
    if (c.kb)
        postrun_kb_free(c.kb);
    if (docs)
        for (size_t i = 0; i < b->n_files; i++)
            pr_ydoc_free(&docs[i]);
    pr_free(docs);
    pr_free(c.entries);
    pr_free(c.hash);
    for (int k = 0; k < KIND_COUNT; k++)
        pr_free(c.by_kind[k]);
    pr_arena_free(&tmp);
    if (rc == POSTRUN_OK && err && err->code != POSTRUN_OK &&
        err->severity == POSTRUN_SEVERITY_ERROR)
        rc = err->code;
    return rc;
}

postrun_status postrun_kb_load(postrun_kb **out, const char *path, const char *const *overlays,
                               size_t n_overlays, postrun_error *err)
{
    pr_err_reset(err);
    if (!out || (n_overlays && !overlays))
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "out or overlays is NULL");
    *out = NULL;
    postrun_kb_builder *b;
    postrun_status rc = postrun_kb_builder_new(&b, err);
    if (rc)
        return rc;
    postrun_error tmp = POSTRUN_ERROR_INIT;
    rc = path ? add_path(b, path, false, err) : postrun_kb_builder_add_default(b, &tmp);
    pr_err_merge(err, &tmp);
    pr_err_reset(&tmp);
    for (size_t i = 0; rc == POSTRUN_OK && i < n_overlays; i++)
        rc = add_path(b, overlays[i], true, err);
    if (rc == POSTRUN_OK) {
        rc = postrun_kb_builder_build(b, out, &tmp);
        pr_err_merge(err, &tmp);
        pr_err_reset(&tmp);
    }
    postrun_kb_builder_free(b);
    return rc;
}

postrun_status postrun_kb_load_default(postrun_kb **out, postrun_error *err)
{
    return postrun_kb_load(out, NULL, NULL, 0, err);
}
