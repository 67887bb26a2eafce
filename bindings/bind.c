/*
 * The language-neutral layer under the SWIG bindings: handles with a reference-counted
 * knowledge base, busy flags for calls made without the interpreter lock, live-object
 * counters, and status words. See bind.h for why each exists.
 */
#include "bind.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_long live[PB_NTYPES];

/* Set once, when the language module is initialised, before any other call. */
static pb_unlock_fn unlock_hook;
static pb_relock_fn relock_hook;

void pb_set_lock_hooks(pb_unlock_fn unlock, pb_relock_fn relock)
{
    unlock_hook = unlock;
    relock_hook = relock;
}

static void *unlock(void) { return unlock_hook ? unlock_hook() : NULL; }

static void relock(void *state)
{
    if (relock_hook)
        relock_hook(state);
}

long pb_live_objects(int type)
{
    if (type >= 0 && type < PB_NTYPES)
        return atomic_load(&live[type]);
    long n = 0;
    for (int t = 0; t < PB_NTYPES; t++)
        n += atomic_load(&live[t]);
    return n;
}

static void born(pb_type t) { atomic_fetch_add(&live[t], 1); }
static void died(pb_type t) { atomic_fetch_sub(&live[t], 1); }

/* A problem found by the binding itself, in the library's record (one problem, no more_). */
static postrun_status set_error(postrun_error *err, postrun_status code, const char *fmt, ...)
    PB_PRINTF(3, 4);

static postrun_status set_error(postrun_error *err, postrun_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    postrun_error_clear(err);
    err->code = code;
    err->severity = POSTRUN_SEVERITY_ERROR;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

static postrun_status no_memory(postrun_error *err)
{
    return set_error(err, POSTRUN_ERR_NOMEM, "out of memory");
}

/* ---- status words ---- */

const char *pb_status_name(int code)
{
    switch (code) {
    case POSTRUN_OK: return "ok";
    case POSTRUN_DONE: return "done";
    case POSTRUN_ERR_NOMEM: return "nomem";
    case POSTRUN_ERR_ARGUMENT: return "argument";
    case POSTRUN_ERR_IO: return "io";
    case POSTRUN_ERR_SYNTAX: return "syntax";
    case POSTRUN_ERR_LIMIT: return "limit";
    case POSTRUN_ERR_TYPE: return "type";
    case POSTRUN_ERR_RANGE: return "range";
    case POSTRUN_ERR_VALUE: return "value";
    case POSTRUN_ERR_MISSING: return "missing";
    case POSTRUN_ERR_UNKNOWN_KEY: return "unknown_key";
    case POSTRUN_ERR_DUPLICATE: return "duplicate";
    case POSTRUN_ERR_UNKNOWN_ID: return "unknown_id";
    case POSTRUN_ERR_KB: return "kb";
    case POSTRUN_ERR_NOT_FOUND: return "not_found";
    default: return "unknown";
    }
}

const char *pb_status_class(int code, int kb_context)
{
    switch (code) {
    case POSTRUN_ERR_NOMEM: return "MemoryError";
    case POSTRUN_ERR_ARGUMENT: return "ArgumentError";
    case POSTRUN_ERR_IO: return "FileError";
    case POSTRUN_ERR_NOT_FOUND: return "NotFoundError";
    case POSTRUN_ERR_KB: return "KnowledgeBaseError";
    case POSTRUN_ERR_SYNTAX:
    case POSTRUN_ERR_LIMIT: return kb_context ? "KnowledgeBaseError" : "ParseError";
    case POSTRUN_ERR_TYPE:
    case POSTRUN_ERR_RANGE:
    case POSTRUN_ERR_VALUE:
    case POSTRUN_ERR_MISSING:
    case POSTRUN_ERR_UNKNOWN_KEY:
    case POSTRUN_ERR_DUPLICATE:
    case POSTRUN_ERR_UNKNOWN_ID: return kb_context ? "KnowledgeBaseError" : "ValidationError";
    default: return "Error";
    }
}

int pb_is_kb_context(const char *symname)
{
    /* The wrapped names, C prefix stripped: kb_load, builder_build, kb_builder_add_path... */
    return symname && (strncmp(symname, "kb_load", 7) == 0 || strstr(symname, "builder") != NULL);
}

/* ---- knowledge bases ---- */

static postrun_status wrap_kb(pb_kb **out, postrun_kb *raw, const postrun_error *err)
{
    pb_kb *h = calloc(1, sizeof *h);
    size_t n = postrun_error_count(err);
    if (h && n)
        h->warnings = calloc(n, sizeof *h->warnings);
    if (!h || (n && !h->warnings)) {
        free(h);
        postrun_kb_free(raw);
        return POSTRUN_ERR_NOMEM;
    }
    /* On success every problem left in the record is a warning. */
    for (size_t i = 0; i < n; i++) {
        h->warnings[i] = *postrun_error_at(err, i);
        h->warnings[i].more_ = NULL;
    }
    h->n_warnings = n;
    h->kb = raw;
    atomic_init(&h->refs, 1);
    atomic_flag_clear(&h->pool_lock);
    atomic_init(&h->n_pool, 0);
    born(PB_KB);
    *out = h;
    return POSTRUN_OK;
}

postrun_status pb_kb_load(pb_kb **out, const char *path, const char *const *overlays,
                          size_t n_overlays, postrun_error *err)
{
    postrun_kb *raw = NULL;
    *out = NULL;
    void *state = unlock();
    postrun_status s = postrun_kb_load(&raw, path, overlays, n_overlays, err);
    relock(state);
    if (s != POSTRUN_OK)
        return s;
    if (wrap_kb(out, raw, err) != POSTRUN_OK)
        return no_memory(err);
    return POSTRUN_OK;
}

pb_kb *pb_kb_ref(pb_kb *kb)
{
    if (kb)
        atomic_fetch_add(&kb->refs, 1);
    return kb;
}

void pb_kb_unref(pb_kb *kb)
{
    if (!kb || atomic_fetch_sub(&kb->refs, 1) != 1)
        return;
    for (int i = 0; i < atomic_load(&kb->n_pool); i++)
        postrun_assessment_free(kb->pool[i]); /* before their knowledge base */
    postrun_kb_free(kb->kb);
    free(kb->warnings);
    free(kb);
    died(PB_KB);
}

size_t pb_kb_warning_count(const pb_kb *kb) { return kb ? kb->n_warnings : 0; }

const postrun_error *pb_kb_warning(const pb_kb *kb, size_t i)
{
    return kb && i < kb->n_warnings ? &kb->warnings[i] : NULL;
}

postrun_status pb_builder_new(pb_builder **out, postrun_error *err)
{
    *out = NULL;
    pb_builder *h = calloc(1, sizeof *h);
    if (!h)
        return no_memory(err);
    postrun_status s = postrun_kb_builder_new(&h->b, err);
    if (s != POSTRUN_OK) {
        free(h);
        return s;
    }
    atomic_init(&h->busy, 0);
    born(PB_BUILDER);
    *out = h;
    return POSTRUN_OK;
}

void pb_builder_free(pb_builder *b)
{
    if (!b)
        return;
    postrun_kb_builder_free(b->b);
    free(b);
    died(PB_BUILDER);
}

postrun_status pb_builder_build(pb_kb **out, pb_builder *b, postrun_error *err)
{
    *out = NULL;
    if (!b)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no builder given");
    if (atomic_exchange(&b->busy, 1))
        return set_error(err, POSTRUN_ERR_ARGUMENT,
                         "this builder is being compiled in another thread");
    postrun_kb *raw = NULL;
    void *state = unlock();
    postrun_status s = postrun_kb_builder_build(b->b, &raw, err);
    relock(state);
    atomic_store(&b->busy, 0);
    if (s != POSTRUN_OK)
        return s;
    if (wrap_kb(out, raw, err) != POSTRUN_OK)
        return no_memory(err);
    return POSTRUN_OK;
}

/* ---- runs ---- */

static postrun_status wrap_run(pb_run **out, postrun_run *raw, pb_kb *kb, postrun_error *err)
{
    pb_run *h = calloc(1, sizeof *h);
    if (!h) {
        postrun_run_free(raw);
        return no_memory(err);
    }
    h->run = raw;
    h->kb = pb_kb_ref(kb);
    atomic_init(&h->readers, 0);
    born(PB_RUN);
    *out = h;
    return POSTRUN_OK;
}

postrun_status pb_run_new(pb_run **out, pb_kb *kb, postrun_error *err)
{
    postrun_run *raw = NULL;
    *out = NULL;
    postrun_status s = postrun_run_new(&raw, kb ? kb->kb : NULL, err);
    return s != POSTRUN_OK ? s : wrap_run(out, raw, kb, err);
}

postrun_status pb_run_parse(pb_run **out, pb_kb *kb, const char *text, size_t len,
                            const char *name, postrun_error *err)
{
    postrun_run *raw = NULL;
    *out = NULL;
    postrun_status s = postrun_run_parse(&raw, kb ? kb->kb : NULL, text, len, name, err);
    return s != POSTRUN_OK ? s : wrap_run(out, raw, kb, err);
}

postrun_status pb_run_load_file(pb_run **out, pb_kb *kb, const char *path, postrun_error *err)
{
    postrun_run *raw = NULL;
    *out = NULL;
    postrun_status s = postrun_run_load_file(&raw, kb ? kb->kb : NULL, path, err);
    return s != POSTRUN_OK ? s : wrap_run(out, raw, kb, err);
}

postrun_status pb_run_load_activity(pb_run *run, pb_kb *kb, const char *path, int any_sport,
                                    postrun_error *err)
{
    if (!run || !kb || !path) {
        postrun_error_clear(err);
        snprintf(err->message, sizeof err->message, "a run, a knowledge base and a path are needed");
        return err->code = POSTRUN_ERR_ARGUMENT;
    }
    if (!pb_run_writable(run)) {
        postrun_error_clear(err);
        snprintf(err->message, sizeof err->message,
                 "this run report is being assessed in another thread and cannot change now");
        return err->code = POSTRUN_ERR_ARGUMENT;
    }
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.flags = any_sport ? POSTRUN_ACTIVITY_ANY_SPORT : 0;
    return postrun_run_load_activity(run->run, kb->kb, path, NULL, 0, &o, err);
}

void pb_run_free(pb_run *run)
{
    if (!run)
        return;
    postrun_run_free(run->run);
    pb_kb_unref(run->kb);
    free(run);
    died(PB_RUN);
}

int pb_run_writable(const pb_run *run) { return run && atomic_load(&run->readers) == 0; }

/* ---- streams ---- */

static postrun_status new_stream(pb_stream **out, pb_kb *kb, postrun_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return no_memory(err);
    (*out)->kb = pb_kb_ref(kb);
    atomic_init(&(*out)->busy, 0);
    born(PB_STREAM);
    return POSTRUN_OK;
}

/* The library keeps the path or name it is given (for its messages) without copying it:
 * the handle owns a copy that lives as long as the stream. */
static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

postrun_status pb_stream_open_file(pb_stream **out, pb_kb *kb, const char *path,
                                   postrun_error *err)
{
    pb_stream *h;
    *out = NULL;
    if (!path)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no path given");
    if (new_stream(&h, kb, err) != POSTRUN_OK)
        return POSTRUN_ERR_NOMEM;
    if (!(h->name = copy_string(path))) {
        pb_stream_free(h);
        return no_memory(err);
    }
    postrun_status s = postrun_stream_open_file(&h->s, kb ? kb->kb : NULL, h->name, err);
    if (s != POSTRUN_OK) {
        pb_stream_free(h);
        return s;
    }
    *out = h;
    return POSTRUN_OK;
}

postrun_status pb_stream_open_string(pb_stream **out, pb_kb *kb, const char *text, size_t len,
                                     const char *name, postrun_error *err)
{
    pb_stream *h;
    *out = NULL;
    if (!text)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no text given");
    if (new_stream(&h, kb, err) != POSTRUN_OK)
        return POSTRUN_ERR_NOMEM;
    h->text = malloc(len + 1);
    h->name = copy_string(name ? name : "<string>");
    if (!h->text || !h->name) {
        pb_stream_free(h);
        return no_memory(err);
    }
    memcpy(h->text, text, len);
    h->text[len] = '\0';
    postrun_status s =
        postrun_stream_open_string(&h->s, kb ? kb->kb : NULL, h->text, len, h->name, err);
    if (s != POSTRUN_OK) {
        pb_stream_free(h);
        return s;
    }
    *out = h;
    return POSTRUN_OK;
}

postrun_status pb_stream_next(pb_run **out, pb_stream *s, postrun_error *err)
{
    *out = NULL;
    if (!s)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no stream given");
    pb_run *run = NULL;
    postrun_status st = pb_run_new(&run, s->kb, err);
    if (st != POSTRUN_OK)
        return st;
    st = postrun_stream_next(s->s, run->run, err);
    if (st != POSTRUN_OK) {
        pb_run_free(run);
        return st;
    }
    *out = run;
    return POSTRUN_OK;
}

size_t pb_stream_document(const pb_stream *s) { return s ? postrun_stream_document(s->s) : 0; }

void pb_stream_free(pb_stream *s)
{
    if (!s)
        return;
    postrun_stream_free(s->s);
    pb_kb_unref(s->kb);
    free(s->text);
    free(s->name);
    free(s);
    died(PB_STREAM);
}

/* ---- assessments ---- */

static void pool_lock(pb_kb *kb)
{
    while (atomic_flag_test_and_set_explicit(&kb->pool_lock, memory_order_acquire))
        ;
}

static void pool_unlock(pb_kb *kb) { atomic_flag_clear_explicit(&kb->pool_lock, memory_order_release); }

static postrun_status new_assessment(pb_assessment **out, pb_kb *kb, int reuse,
                                     postrun_error *err)
{
    *out = NULL;
    if (!kb)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "an assessment needs a knowledge base");
    pb_assessment *h = calloc(1, sizeof *h);
    if (!h)
        return no_memory(err);
    if (reuse && atomic_load_explicit(&kb->n_pool, memory_order_relaxed) > 0) {
        pool_lock(kb);
        int n = atomic_load_explicit(&kb->n_pool, memory_order_relaxed);
        if (n > 0) {
            h->a = kb->pool[n - 1];
            atomic_store_explicit(&kb->n_pool, n - 1, memory_order_relaxed);
        }
        pool_unlock(kb);
    }
    if (!h->a) {
        postrun_status s = postrun_assessment_new(&h->a, kb->kb, err);
        if (s != POSTRUN_OK) {
            free(h);
            return s;
        }
    } else {
        /* A pooled assessment keeps what its last owner set: back to a new one's limit. */
        postrun_assessment_set_limit(h->a, POSTRUN_DEFAULT_LIMIT);
        if (err)
            postrun_error_clear(err); /* as postrun_assessment_new() leaves it */
    }
    h->kb = pb_kb_ref(kb);
    atomic_init(&h->busy, 0);
    born(PB_ASSESSMENT);
    *out = h;
    return POSTRUN_OK;
}

postrun_status pb_assessment_new(pb_assessment **out, pb_kb *kb, postrun_error *err)
{
    return new_assessment(out, kb, 0, err);
}

postrun_status pb_assessment_take(pb_assessment **out, pb_kb *kb, postrun_error *err)
{
    return new_assessment(out, kb, 1, err);
}

void pb_assessment_free(pb_assessment *a)
{
    if (!a)
        return;
    pb_kb *kb = a->kb;
    postrun_assessment *raw = a->a;
    if (atomic_load_explicit(&kb->n_pool, memory_order_relaxed) < PB_POOL) {
        pool_lock(kb);
        int n = atomic_load_explicit(&kb->n_pool, memory_order_relaxed);
        if (n < PB_POOL) {
            kb->pool[n] = raw;
            atomic_store_explicit(&kb->n_pool, n + 1, memory_order_relaxed);
            raw = NULL;
        }
        pool_unlock(kb);
    }
    postrun_assessment_free(raw);
    pb_kb_unref(kb);
    free(a);
    died(PB_ASSESSMENT);
}

postrun_status pb_assess(pb_assessment *a, pb_run *run, postrun_error *err)
{
    if (!a || !run)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "an assessment and a run are needed");
    if (atomic_exchange(&a->busy, 1))
        return set_error(err, POSTRUN_ERR_ARGUMENT,
                         "this assessment is being computed in another thread: give each "
                         "thread its own");
    atomic_fetch_add(&run->readers, 1);
    void *state = unlock();
    postrun_status s = postrun_assess(a->a, run->run, err);
    relock(state);
    atomic_fetch_sub(&run->readers, 1);
    atomic_store(&a->busy, 0);
    return s;
}

int pb_assessment_busy(const pb_assessment *a) { return a && atomic_load(&a->busy) != 0; }

/* ---- field paths ---- */

int pb_join_path(char *path, size_t size, const char *prefix, const char *key)
{
    size_t np = prefix ? strlen(prefix) : 0, nk = strlen(key);
    size_t n = np ? np + 1 + nk : nk;
    if (n == 0 || n >= size)
        return 0;
    if (np) {
        memcpy(path, prefix, np);
        path[np] = '.';
    }
    memcpy(path + (np ? np + 1 : 0), key, nk + 1);
    return 1;
}

void pb_symptom_path(char *out, size_t size, size_t i, const char *rest)
{
    char digits[24];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    memcpy(out, "symptoms[", 9);
    size_t n = 9;
    while (nd)
        out[n++] = digits[--nd];
    out[n++] = ']';
    size_t nr = strlen(rest);
    if (nr) {
        if (nr > size - n - 2)
            nr = size - n - 2;
        out[n++] = '.';
        memcpy(out + n, rest, nr);
        n += nr;
    }
    out[n] = '\0';
}

/* ---- histories ---- */

postrun_status pb_history_new(pb_history **out, pb_kb *kb, postrun_error *err)
{
    *out = NULL;
    if (!kb)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no knowledge base given");
    pb_history *h = calloc(1, sizeof *h);
    if (!h)
        return no_memory(err);
    postrun_status s = postrun_history_builder_new(&h->b, kb->kb, err);
    if (s != POSTRUN_OK) {
        free(h);
        return s;
    }
    h->kb = pb_kb_ref(kb);
    atomic_init(&h->busy, 0);
    born(PB_HISTORY);
    *out = h;
    return POSTRUN_OK;
}

static postrun_status history_open(pb_history *h, postrun_error *err)
{
    if (!h)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no history given");
    if (!h->b)
        return set_error(err, POSTRUN_ERR_ARGUMENT,
                         "this history has been built (it was used to assess or render): "
                         "make a new one to add runs");
    if (atomic_load(&h->busy))
        return set_error(err, POSTRUN_ERR_ARGUMENT, "this history is in use in another thread");
    return POSTRUN_OK;
}

postrun_status pb_history_add_run(pb_history *h, pb_run *run, postrun_error *err)
{
    postrun_status s = history_open(h, err);
    if (s != POSTRUN_OK)
        return s;
    if (!run)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no run given");
    return postrun_history_builder_add_run(h->b, run->run, err);
}

postrun_status pb_history_add_path(pb_history *h, const char *path, postrun_error *err)
{
    postrun_status s = history_open(h, err);
    if (s != POSTRUN_OK)
        return s;
    return postrun_history_builder_add_path(h->b, path, err);
}

postrun_status pb_history_build(pb_history *h, postrun_error *err)
{
    if (!h)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "no history given");
    if (h->h)
        return POSTRUN_OK;
    if (atomic_exchange(&h->busy, 1))
        return set_error(err, POSTRUN_ERR_ARGUMENT, "this history is in use in another thread");
    postrun_status s = postrun_history_builder_build(h->b, &h->h, err);
    if (s == POSTRUN_OK) {
        postrun_history_builder_free(h->b);
        h->b = NULL;
    }
    atomic_store(&h->busy, 0);
    return s;
}

size_t pb_history_size(const pb_history *h)
{
    return h && h->h ? postrun_history_count(h->h) : 0;
}

postrun_status pb_history_render(pb_history *h, int format, char **out, size_t *len,
                                 postrun_error *err)
{
    *out = NULL;
    postrun_status s = pb_history_build(h, err);
    if (s != POSTRUN_OK)
        return s;
    return postrun_history_render(h->h, (postrun_format)format, out, len, err);
}

postrun_status pb_assess_history(pb_assessment *a, pb_run *run, pb_history *h,
                                 postrun_error *err)
{
    if (!a || !run)
        return set_error(err, POSTRUN_ERR_ARGUMENT, "an assessment and a run are needed");
    if (h) {
        postrun_status s = pb_history_build(h, err);
        if (s != POSTRUN_OK)
            return s;
    }
    if (atomic_exchange(&a->busy, 1))
        return set_error(err, POSTRUN_ERR_ARGUMENT,
                         "this assessment is being computed in another thread: give each "
                         "thread its own");
    atomic_fetch_add(&run->readers, 1);
    void *state = unlock();
    /* A built history never changes: several threads may read it at once. */
    postrun_status s = postrun_assess_with_history(a->a, run->run, h ? h->h : NULL, err);
    relock(state);
    atomic_fetch_sub(&run->readers, 1);
    atomic_store(&a->busy, 0);
    return s;
}

void pb_history_free(pb_history *h)
{
    if (!h)
        return;
    postrun_history_builder_free(h->b);
    postrun_history_free(h->h);
    pb_kb_unref(h->kb);
    free(h);
    died(PB_HISTORY);
}
