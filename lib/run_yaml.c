/*
 * Run reports from YAML: walks a document tree (yamldom) key by key, sends every value through
 * the checks of run.c with its line and column, and reports unknown keys (with the closest
 * allowed key) and repeated keys with their full field path. Also postrun_run_parse() and
 * postrun_run_load_file(), which accept exactly one document.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run_impl.h"

/* Longest field path a message names; longer keys are cut (they are unknown anyway). */
#define PATH_SIZE 128

static run_pos pos_of(const dnode *n) { return (run_pos){n->line, n->col}; }

/* Keys of a mapping in the run report, from the field table, for "did you mean". */
typedef struct key_list {
    const char *key[RF_COUNT + 3];
    char section[RF_COUNT][24];
    size_t n, n_sections;
} key_list;

/* Top level: the plain fields, each section once, and the two lists. */
static void top_keys(key_list *k)
{
    k->n = k->n_sections = 0;
    for (int f = 0; f < RF_COUNT; f++) {
        const char *p = PR_RUN_FIELDS[f].path, *dot = strchr(p, '.');
        if (!dot) {
            k->key[k->n++] = p;
            continue;
        }
        size_t len = (size_t)(dot - p), i;
        for (i = 0; i < k->n_sections; i++)
            if (strlen(k->section[i]) == len && strncmp(k->section[i], p, len) == 0)
                break;
        if (i < k->n_sections || len >= sizeof k->section[0])
            continue;
        memcpy(k->section[k->n_sections], p, len);
        k->section[k->n_sections][len] = '\0';
        k->key[k->n++] = k->section[k->n_sections++];
    }
    k->key[k->n++] = "symptoms";
    k->key[k->n++] = "observations";
    k->key[k->n] = NULL;
}

static void section_keys(key_list *k, const char *sec)
{
    size_t len = strlen(sec);
    k->n = 0;
    for (int f = 0; f < RF_COUNT; f++)
        if (pr_run_field_in_section(f, sec, len))
            k->key[k->n++] = PR_RUN_FIELDS[f].path + len + 1;
    k->key[k->n] = NULL;
}

static const char *const SYMPTOM_KEYS[] = {"id",         "severity", "onset_h",
                                           "duration_h", "where",    NULL};

/* snprintf(buf, PATH_SIZE, "%.40s%s%.80s", in, ".", key) without printf: a path is made for
 * every key of every report read. */
static void join_path(char *buf, const char *in, const char *key)
{
    size_t n = 0;
    if (in) {
        size_t l = strnlen(in, 40);
        memcpy(buf, in, l);
        buf[l] = '.';
        n = l + 1;
    }
    size_t l = strnlen(key, 80);
    memcpy(buf + n, key, l);
    buf[n + l] = '\0';
}

static void unknown_key(run_ctx *c, const dnode *key, const char *in, const char *const *allowed)
{
    char path[PATH_SIZE], got[64], list[300] = "";
    join_path(path, in, key->str);
    pr_run_quote(got, sizeof got, key->str);
    const char *near = pr_run_suggest(key->str, allowed);
    if (near) {
        pr_run_problem(c, POSTRUN_ERR_UNKNOWN_KEY, pos_of(key), path,
                    "unknown key %s%s%s; did you mean '%s'?", got, in ? " in " : "", in ? in : "",
                    near);
        return;
    }
    for (size_t i = 0, used = 0; allowed[i] && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", allowed[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    pr_run_problem(c, POSTRUN_ERR_UNKNOWN_KEY, pos_of(key), path, "unknown key %s%s%s; allowed: %s",
                got, in ? " in " : "", in ? in : "", list);
}

/* True (after reporting it) when key `i` of `map` repeats an earlier key. yamldom finds these
 * too, but only here is the full field path known. */
static bool repeated_key(run_ctx *c, const dnode *map, size_t i, const char *in)
{
    const dnode *k = map->item[i];
    for (size_t j = 0; j < i; j += 2) {
        const dnode *e = map->item[j];
        if (e->len == k->len && memcmp(e->str, k->str, k->len) == 0) {
            char path[PATH_SIZE], got[64];
            join_path(path, in, k->str);
            pr_run_quote(got, sizeof got, k->str);
            pr_run_problem(c, POSTRUN_ERR_DUPLICATE, pos_of(k), path,
                        "key %s is given twice (first at line %u, column %u)", got,
                        (unsigned)e->line, (unsigned)e->col);
            return true;
        }
    }
    return false;
}

static void type_error(run_ctx *c, const dnode *n, const char *path, const char *expected)
{
    char got[64];
    pr_dn_describe(n, got, sizeof got);
    pr_run_problem(c, POSTRUN_ERR_TYPE, pos_of(n), path, "expected %s, got %s", expected, got);
}

static void walk_section(run_ctx *c, const char *sec, const dnode *key, const dnode *val)
{
    size_t len = strlen(sec);
    if (pr_dn_is_null(val))
        return;
    for (int f = 0; f < RF_COUNT; f++) {
        if (pr_run_field_in_section(f, sec, len)) {
            c->run->section[f] = pos_of(key);
            if (val->kind != DN_MAP) /* one error for the section, not one per field */
                c->given |= (uint64_t)1 << f;
        }
    }
    if (val->kind != DN_MAP) {
        type_error(c, val, sec, "a mapping of fields (key: value lines)");
        return;
    }
    if (strcmp(sec, "weigh_in") == 0)
        c->run->weigh_in_given = true;
    key_list keys;
    section_keys(&keys, sec);
    for (size_t i = 0; i + 1 < val->n; i += 2) {
        const dnode *k = val->item[i], *v = val->item[i + 1];
        if (repeated_key(c, val, i, sec))
            continue;
        /* Fields are found by their full path: the table is the only list of them. */
        char path[PATH_SIZE];
        join_path(path, sec, k->str);
        int f = pr_run_field_by_path(path);
        if (f < 0) {
            unknown_key(c, k, sec, keys.key);
            continue;
        }
        if (!pr_dn_is_null(v)) {
            run_value rv = pr_run_value_of(v);
            pr_run_store_field(c, f, &rv, pos_of(v));
            c->given |= (uint64_t)1 << f;
        }
    }
}

/* `where`: a list of body areas, or one area written alone. */
static void walk_where(run_ctx *c, run_symptom *s, const dnode *val, const char *sym)
{
    char path[PATH_SIZE];
    if (pr_dn_is_null(val))
        return;
    if (val->kind == DN_SCALAR) {
        snprintf(path, sizeof path, "%s.where", sym);
        pr_run_add_where(c, s, val->str, pos_of(val), path);
        return;
    }
    if (val->kind != DN_SEQ) {
        snprintf(path, sizeof path, "%s.where", sym);
        type_error(c, val, path, "a list of body areas such as [calves, quadriceps]");
        return;
    }
    for (size_t i = 0; i < val->n; i++) {
        const dnode *item = val->item[i];
        snprintf(path, sizeof path, "%s.where[%zu]", sym, i);
        if (i == PR_MAX_WHERE) {
            pr_run_problem(c, POSTRUN_ERR_LIMIT, pos_of(item), path,
                        "more than %d body areas for one symptom", PR_MAX_WHERE);
            return;
        }
        if (item->kind != DN_SCALAR || pr_dn_is_null(item))
            type_error(c, item, path, "a body-area id such as calves");
        else
            pr_run_add_where(c, s, item->str, pos_of(item), path);
    }
}

static void walk_symptom(run_ctx *c, const dnode *item, size_t i)
{
    char sym[32], path[PATH_SIZE];
    snprintf(sym, sizeof sym, "symptoms[%zu]", i);
    snprintf(path, sizeof path, "%s.id", sym);
    if (item->kind == DN_SCALAR && !pr_dn_is_null(item)) {
        pr_run_add_symptom(c, item->str, pos_of(item), path);
        return;
    }
    if (item->kind != DN_MAP) {
        type_error(c, item, sym,
                   "a symptom: an id, or a mapping with id, severity, onset_h, "
                   "duration_h and where");
        return;
    }
    /* The id first, so that the other keys have a symptom to go to. When it is bad, they are
     * still checked, into a scratch symptom, so that every problem is reported. */
    run_symptom scratch, *s = NULL;
    const dnode *id = pr_dn_get(item, "id");
    if (!id)
        pr_run_problem(c, POSTRUN_ERR_MISSING, pos_of(item), path,
                    "missing: a symptom needs its id, e.g. `id: aching`");
    else if (id->kind != DN_SCALAR || pr_dn_is_null(id))
        type_error(c, id, path, "a symptom id such as aching");
    else
        s = pr_run_add_symptom(c, id->str, pos_of(id), path);
    if (!s) {
        memset(&scratch, 0, sizeof scratch);
        s = &scratch;
    }
    for (size_t k = 0; k + 1 < item->n; k += 2) {
        const dnode *key = item->item[k], *val = item->item[k + 1];
        if (repeated_key(c, item, k, sym) || strcmp(key->str, "id") == 0)
            continue;
        if (strcmp(key->str, "where") == 0) {
            walk_where(c, s, val, sym);
            continue;
        }
        int sf = -1;
        for (int j = 0; j < SF_COUNT; j++)
            if (strcmp(PR_RUN_SYMPTOM_FIELDS[j].path, key->str) == 0)
                sf = j;
        if (sf < 0) {
            unknown_key(c, key, sym, SYMPTOM_KEYS);
            continue;
        }
        if (pr_dn_is_null(val))
            continue;
        join_path(path, sym, key->str);
        run_value rv = pr_run_value_of(val);
        pr_run_store_symptom_field(c, s, sf, &rv, pos_of(val), path);
    }
}

static void walk_symptoms(run_ctx *c, const dnode *val)
{
    if (pr_dn_is_null(val))
        return;
    if (val->kind != DN_SEQ) {
        type_error(c, val, "symptoms", "a list of symptoms");
        return;
    }
    for (size_t i = 0; i < val->n; i++) {
        if (i == PR_MAX_SYMPTOMS) {
            pr_run_problem(c, POSTRUN_ERR_LIMIT, pos_of(val->item[i]), "symptoms",
                        "more than %d symptoms; list the ones that bother you most",
                        PR_MAX_SYMPTOMS);
            return;
        }
        walk_symptom(c, val->item[i], i);
    }
}

static void walk_observations(run_ctx *c, const dnode *val)
{
    char path[PATH_SIZE];
    if (pr_dn_is_null(val))
        return;
    if (val->kind != DN_MAP) {
        type_error(c, val, "observations",
                   "a mapping of observation ids to true, false or a number");
        return;
    }
    for (size_t i = 0; i + 1 < val->n; i += 2) {
        const dnode *k = val->item[i], *v = val->item[i + 1];
        if (repeated_key(c, val, i, "observations") || pr_dn_is_null(v))
            continue;
        if (c->run->n_observations == PR_MAX_OBSERVATIONS) {
            pr_run_problem(c, POSTRUN_ERR_LIMIT, pos_of(k), "observations",
                        "more than %d observations", PR_MAX_OBSERVATIONS);
            return;
        }
        join_path(path, "observations", k->str);
        run_value rv = pr_run_value_of(v);
        pr_run_store_observation(c, k->str, pos_of(k), &rv, pos_of(v), path);
    }
}

/* False when the document is not a report at all (then nothing is "missing" either). */
static bool walk_root(run_ctx *c, const dnode *root)
{
    if (!root || pr_dn_is_null(root))
        return true; /* validation reports what is missing */
    if (root->kind != DN_MAP) {
        type_error(c, root, NULL,
                   "a run report: a mapping starting with `postrun: 1`, then athlete:, run: ...");
        return false;
    }
    key_list top;
    top_keys(&top);
    for (size_t i = 0; i + 1 < root->n; i += 2) {
        const dnode *k = root->item[i], *v = root->item[i + 1];
        if (repeated_key(c, root, i, NULL))
            continue;
        int f = pr_run_field_by_path(k->str);
        if (strcmp(k->str, "symptoms") == 0) {
            walk_symptoms(c, v);
        } else if (strcmp(k->str, "observations") == 0) {
            walk_observations(c, v);
        } else if (f >= 0 && !strchr(k->str, '.')) {
            if (!pr_dn_is_null(v)) {
                run_value rv = pr_run_value_of(v);
                pr_run_store_field(c, f, &rv, pos_of(v));
                c->given |= (uint64_t)1 << f;
            }
        } else if (!strchr(k->str, '.') && pr_run_is_section(k->str)) {
            walk_section(c, k->str, k, v);
        } else {
            unknown_key(c, k, NULL, top.key);
        }
    }
    return true;
}

postrun_status pr_run_read_document(yreader *r, postrun_run *run, const postrun_kb *kb,
                                 bool keep_empty, postrun_error *err)
{
    for (;;) {
        ydoc doc;
        postrun_error scratch = POSTRUN_ERROR_INIT;
        postrun_status rc = pr_yreader_next(r, &doc, &scratch);
        if (rc != POSTRUN_OK && rc != POSTRUN_ERR_DUPLICATE) {
            pr_err_merge(err, &scratch);
            postrun_error_clear(&scratch);
            return rc;
        }
        if (!keep_empty && (!doc.root || pr_dn_is_null(doc.root))) {
            postrun_error_clear(&scratch);
            pr_ydoc_free(&doc);
            continue;
        }
        pr_run_reset(run);
        pr_strlcpy(run->file, r->name, sizeof run->file);
        run->doc = (run_pos){doc.line, doc.col};
        run_ctx c = {.run = run, .kb = kb, .err = err, .file = run->file};
        if (walk_root(&c, doc.root)) {
            if (run->activity)
                pr_run_fill_from_activity(run, err);
            pr_run_validate_into(&c, run);
        }
        /* The walk reports repeated keys with their path; yamldom's own report is the
         * fallback for one the walk could not see (inside a value of the wrong type). */
        if (rc == POSTRUN_ERR_DUPLICATE && c.first == POSTRUN_OK) {
            pr_err_merge(err, &scratch);
            c.first = rc;
        }
        postrun_error_clear(&scratch);
        pr_ydoc_free(&doc);
        return c.first;
    }
}

/* Skips empty documents (a trailing `---` makes one): POSTRUN_OK when another document
 * follows (where it starts in *at), POSTRUN_DONE at the end, or the error that stopped. */
static postrun_status another_document(yreader *r, run_pos *at, postrun_error *err)
{
    for (;;) {
        ydoc d;
        postrun_error scratch = POSTRUN_ERROR_INIT;
        postrun_status rc = pr_yreader_next(r, &d, &scratch);
        bool found = rc == POSTRUN_OK || rc == POSTRUN_ERR_DUPLICATE;
        bool empty = found && (!d.root || pr_dn_is_null(d.root));
        *at = (run_pos){d.line, d.col};
        if (found)
            pr_ydoc_free(&d);
        else if (rc != POSTRUN_DONE)
            pr_err_merge(err, &scratch);
        postrun_error_clear(&scratch);
        if (!empty)
            return found ? POSTRUN_OK : rc;
    }
}

/* Exactly one document: a second one is an error (a stream reads those). */
static postrun_status parse_one(postrun_run **out, const postrun_kb *kb, yreader *r,
                                postrun_error *err)
{
    postrun_run *run = pr_malloc(sizeof *run);
    if (!run) {
        pr_yreader_close(r);
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory creating a run report");
    }
    run->kb = kb;
    run->activity = NULL;
    pr_run_reset(run);
    postrun_status rc = pr_run_read_document(r, run, kb, true, err);
    if (rc == POSTRUN_DONE) {
        rc = pr_err_add(err, POSTRUN_ERR_MISSING, POSTRUN_SEVERITY_ERROR, r->name, 0, 0, NULL,
                        "no run report: the input holds no YAML document");
    } else {
        run_pos at;
        postrun_status more = another_document(r, &at, err);
        if (more == POSTRUN_OK)
            more = pr_err_add(err, POSTRUN_ERR_LIMIT, POSTRUN_SEVERITY_ERROR, r->name, at.line,
                              at.col, NULL,
                              "a second document starts here: a run report is one document "
                              "(read several with postrun_stream_open_file())");
        if (more != POSTRUN_DONE && rc == POSTRUN_OK)
            rc = more;
    }
    pr_yreader_close(r);
    if (rc != POSTRUN_OK) {
        pr_free(run);
        return rc;
    }
    *out = run;
    return POSTRUN_OK;
}

postrun_status postrun_run_parse(postrun_run **out, const postrun_kb *kb, const char *text,
                                 size_t len, const char *name, postrun_error *err)
{
    yreader r;
    pr_err_reset(err);
    if (!out || (!text && len))
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no text or no place for the run");
    postrun_status rc = pr_yreader_open_string(&r, text, len, name, &PR_YLIMITS_RUN, err);
    if (rc != POSTRUN_OK) {
        pr_yreader_close(&r);
        return rc;
    }
    return parse_one(out, kb, &r, err);
}

postrun_status postrun_run_load_file(postrun_run **out, const postrun_kb *kb, const char *path,
                                     postrun_error *err)
{
    yreader r;
    pr_err_reset(err);
    if (!out || !path)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no path or no place for the run");
    postrun_status rc = pr_yreader_open_path(&r, path, &PR_YLIMITS_RUN, err);
    if (rc != POSTRUN_OK) {
        pr_yreader_close(&r);
        return rc;
    }
    return parse_one(out, kb, &r, err);
}
