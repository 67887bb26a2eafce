/*
 * The language-neutral layer under the SWIG bindings (Python and Lua).
 *
 * It owns what the C API leaves to its caller and a garbage collector cannot know:
 *  - handles (pb_kb, pb_run, pb_assessment, pb_stream, pb_builder) that wrap the library's
 *    objects, so that the target language's GC owns exactly one thing per object;
 *  - a reference count on the knowledge base: a run, an assessment or a stream holds a
 *    reference, so the C knowledge base is freed only after the last of them, whatever order
 *    the collector finalises them in (C requires "every assessment freed before its kb");
 *  - a busy flag on the objects a call may use without the interpreter lock (Python releases
 *    the GIL around compiling and assessing): a second thread touching an object that is
 *    being assessed gets an error instead of a data race;
 *  - counters of live objects, which the tests use to prove there is no leak and no double
 *    free;
 *  - the status words and exception class names both languages use.
 *
 * Only the public API (postrun.h) is used. Nothing here knows Python or Lua: the language
 * glue registers the hooks that release and retake its lock.
 */
#ifndef POSTRUN_BIND_H
#define POSTRUN_BIND_H

#include <stdatomic.h>
#include <stddef.h>

#include "postrun.h"

/* printf-style checking of the glue's message helpers (-Wformat=2 asks for it). */
#if defined(__GNUC__)
#define PB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PB_PRINTF(f, a)
#endif

/** Kinds of handle, for pb_live_objects(). */
typedef enum pb_type {
    PB_KB = 0,
    PB_BUILDER = 1,
    PB_RUN = 2,
    PB_ASSESSMENT = 3,
    PB_STREAM = 4,
    PB_HISTORY = 5,
    PB_NTYPES = 6
} pb_type;

/** Assessment objects a knowledge base keeps for reuse (see pb_assessment_take()). */
enum { PB_POOL = 8 };

typedef struct pb_kb {
    postrun_kb *kb;
    atomic_long refs;         /* the language object's reference + one per child */
    size_t n_warnings;        /* warnings the build reported (unused entries, ...) */
    postrun_error *warnings;  /* copies, each with more_ == NULL */
    /* Freed assessments kept for the next assess call: making one is a 20 kB allocation
     * cleared to zero, reusing one costs nothing (the library reuses them by design). Away
     * from `refs` (another cache line): threads assessing side by side write both often. */
    char pad_[64];
    atomic_flag pool_lock;
    atomic_int n_pool; /* changed under pool_lock; read without it to skip an empty pool */
    postrun_assessment *pool[PB_POOL];
} pb_kb;

typedef struct pb_builder {
    postrun_kb_builder *b;
    atomic_int busy;
} pb_builder;

typedef struct pb_run {
    postrun_run *run;
    pb_kb *kb;          /* the vocabulary the run was checked against, or NULL */
    atomic_int readers; /* assessments in flight that read this run */
} pb_run;

typedef struct pb_assessment {
    postrun_assessment *a;
    pb_kb *kb;
    atomic_int busy; /* being (re)computed */
} pb_assessment;

typedef struct pb_stream {
    postrun_stream *s;
    pb_kb *kb;
    char *text; /* the stream's text when read from memory: it must outlive the stream */
    char *name; /* the path or name: the library keeps the pointer for its messages */
    atomic_int busy;
} pb_stream;

/* A history: a builder until the first assessment (or render) builds it, then immutable. */
typedef struct pb_history {
    postrun_history_builder *b; /* NULL once built */
    postrun_history *h;         /* NULL until built */
    pb_kb *kb;
    atomic_int busy;            /* being built, or read by assessments in flight */
} pb_history;

/* ---- hooks: a language releases its interpreter lock around long calls ---- */

typedef void *(*pb_unlock_fn)(void);
typedef void (*pb_relock_fn)(void *state);
/** Registers the functions that release and retake the interpreter lock (NULL: none). */
void pb_set_lock_hooks(pb_unlock_fn unlock, pb_relock_fn relock);

/* ---- live objects ---- */

/** Number of live handles of @p type (PB_NTYPES: all of them), for leak tests. */
long pb_live_objects(int type);

/* ---- status words ---- */

/** "range", "syntax", "unknown_key", ...: the status as a word, "unknown" when unknown. */
const char *pb_status_name(int code);
/**
 * Name of the exception class (Python) or error class (Lua) for @p code: "ParseError",
 * "ValidationError", "KnowledgeBaseError", "FileError", "MemoryError", "ArgumentError",
 * "NotFoundError" or "Error". With @p kb_context non-zero (the call loaded or built a
 * knowledge base), invalid-input codes name "KnowledgeBaseError": a syntax error in a
 * knowledge-base file is a knowledge-base problem to the caller.
 */
const char *pb_status_class(int code, int kb_context);
/** Non-zero when the wrapped function @p symname loads or builds a knowledge base. */
int pb_is_kb_context(const char *symname);

/* ---- knowledge bases ---- */

/** Loads @p path (NULL: the bundled knowledge base) and @p n_overlays overlays. */
postrun_status pb_kb_load(pb_kb **out, const char *path, const char *const *overlays,
                          size_t n_overlays, postrun_error *err);
/** Takes one more reference (a child object is created). */
pb_kb *pb_kb_ref(pb_kb *kb);
/** Drops one reference; the last one frees the knowledge base. Accepts NULL. */
void pb_kb_unref(pb_kb *kb);
/** Number of warnings the load or build reported. */
size_t pb_kb_warning_count(const pb_kb *kb);
/** Warning @p i, NULL when out of range. */
const postrun_error *pb_kb_warning(const pb_kb *kb, size_t i);

postrun_status pb_builder_new(pb_builder **out, postrun_error *err);
void pb_builder_free(pb_builder *b);
/** Compiles what was added into a new knowledge base (the lock is released meanwhile). */
postrun_status pb_builder_build(pb_kb **out, pb_builder *b, postrun_error *err);

/* ---- runs ---- */

/** A new, empty run; @p kb (may be NULL) checks symptom and observation ids. */
postrun_status pb_run_new(pb_run **out, pb_kb *kb, postrun_error *err);
/** Parses one YAML document; @p name names the text in error messages. */
postrun_status pb_run_parse(pb_run **out, pb_kb *kb, const char *text, size_t len,
                            const char *name, postrun_error *err);
/** Reads one YAML document from a file. */
postrun_status pb_run_load_file(pb_run **out, pb_kb *kb, const char *path, postrun_error *err);
/** Fills what @p run lacks from the activity file at @p path (FIT, TCX, GPX): the report's
 *  own fields win. @p any_sport accepts files of any sport. */
postrun_status pb_run_load_activity(pb_run *run, pb_kb *kb, const char *path, int any_sport,
                                    postrun_error *err);
void pb_run_free(pb_run *run);
/** Non-zero when @p run may change now: no assessment reads it in another thread. */
int pb_run_writable(const pb_run *run);

/* ---- streams ---- */

postrun_status pb_stream_open_file(pb_stream **out, pb_kb *kb, const char *path,
                                   postrun_error *err);
/** Opens a copy of @p text as a stream. */
postrun_status pb_stream_open_string(pb_stream **out, pb_kb *kb, const char *text, size_t len,
                                     const char *name, postrun_error *err);
/**
 * Reads the next document into a new run. POSTRUN_OK with *@p out set, POSTRUN_DONE at the
 * end (*@p out NULL), or an error for a bad document (the next call goes on).
 */
postrun_status pb_stream_next(pb_run **out, pb_stream *s, postrun_error *err);
/** Index (0-based) of the document last read. */
size_t pb_stream_document(const pb_stream *s);
void pb_stream_free(pb_stream *s);

/* ---- assessments ---- */

postrun_status pb_assessment_new(pb_assessment **out, pb_kb *kb, postrun_error *err);
/**
 * Like pb_assessment_new(), possibly reusing an assessment freed earlier with the same
 * knowledge base: it may still hold that old result, so only for a caller that assesses
 * into it at once (postrun_assess replaces or clears everything it held).
 */
postrun_status pb_assessment_take(pb_assessment **out, pb_kb *kb, postrun_error *err);
/** Frees the handle; its assessment goes back to the knowledge base's pool when there is room. */
void pb_assessment_free(pb_assessment *a);
/**
 * Assesses @p run into @p a with the interpreter lock released. Fails with
 * POSTRUN_ERR_ARGUMENT when @p a is being assessed by another thread.
 */
postrun_status pb_assess(pb_assessment *a, pb_run *run, postrun_error *err);
/** Non-zero while @p a is being assessed (its contents must not be read). */
int pb_assessment_busy(const pb_assessment *a);

/* ---- histories (docs/history.md) ---- */

/** An empty history of runs assessed with @p kb. */
postrun_status pb_history_new(pb_history **out, pb_kb *kb, postrun_error *err);
/** Adds a run report (copied); fails once the history is built. */
postrun_status pb_history_add_run(pb_history *h, pb_run *run, postrun_error *err);
/** Adds a YAML stream, an activity file or a directory of them; fails once built. */
postrun_status pb_history_add_path(pb_history *h, const char *path, postrun_error *err);
/** Builds the history (once; later calls do nothing). */
postrun_status pb_history_build(pb_history *h, postrun_error *err);
/** Runs in the history (built or not). */
size_t pb_history_size(const pb_history *h);
/** The trends as text, YAML or JSON (builds the history first). */
postrun_status pb_history_render(pb_history *h, int format, char **out, size_t *len,
                                 postrun_error *err);
/** Assesses @p run with the runs of @p h before it (@p h may be NULL), the lock released. */
postrun_status pb_assess_history(pb_assessment *a, pb_run *run, pb_history *h,
                                 postrun_error *err);
/** Frees a history handle. */
void pb_history_free(pb_history *h);

/* ---- field paths (both glues turn a dict or table into setter calls) ---- */

/**
 * "prefix.key" (or "key" when @p prefix is NULL or empty) into @p path of @p size bytes;
 * 0 when it does not fit. Called for every key of a report: no printf.
 */
int pb_join_path(char *path, size_t size, const char *prefix, const char *key);
/**
 * "symptoms[i]", followed by "." and @p rest when @p rest is not empty (cut to fit), into
 * @p out of @p size bytes (at least 32).
 */
void pb_symptom_path(char *out, size_t size, size_t i, const char *rest);

#endif
