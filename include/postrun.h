/**
 * @file postrun.h
 * @brief libpostrun: why a runner's body feels the way it does after a run, and what to do.
 *
 * The public API. It is the documentation: every function is described here.
 *
 * Shape of the library (compile once, evaluate many):
 *  - a ::postrun_kb is a knowledge base loaded from YAML (the bundled one is embedded in the
 *    library), validated and compiled once; it never changes afterwards and may be shared by
 *    any number of threads;
 *  - a ::postrun_run is one run report (docs/run-report.md), parsed from YAML or built field
 *    by field through paths such as `"run.duration_min"`;
 *  - a ::postrun_assessment holds the result of assessing one run with one knowledge base.
 *    Each thread owns its own; reusing it for the next run allocates nothing.
 *
 * Conventions:
 *  - Every fallible function returns a ::postrun_status (0 = ::POSTRUN_OK, negative = error)
 *    and, when the caller passes a non-NULL ::postrun_error, fills it with the problem(s).
 *  - Objects are created by `_new`/`_load`/`_parse` functions that write to an out-parameter
 *    and are released by one `_free` that accepts NULL.
 *  - NULL is safe everywhere: a NULL pointer argument makes a function that returns a
 *    ::postrun_status return ::POSTRUN_ERR_ARGUMENT, a getter of a string or record NULL and a
 *    count 0, unless its comment says "@p name may be NULL" (then NULL has the meaning given
 *    there). The error record @p err and callback @p userdata may always be NULL. A length
 *    argument is checked before it is used, so a wrong one (`SIZE_MAX`) is an error, not an
 *    overflow.
 *  - Strings returned by the library belong to the object they come from and stay valid
 *    until that object is freed or reused, unless the function says otherwise.
 *  - The library never prints, never exits, never aborts, and keeps no global mutable state
 *    apart from the allocator set with postrun_set_allocator().
 */
#ifndef POSTRUN_H
#define POSTRUN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(POSTRUN_BUILDING)
#define POSTRUN_API __declspec(dllexport)
#elif defined(__GNUC__) && defined(POSTRUN_BUILDING)
#define POSTRUN_API __attribute__((visibility("default")))
#else
#define POSTRUN_API
#endif

/** @name Version */
/**@{*/
#define POSTRUN_VERSION_MAJOR 0 /**< Major version: changes break the API or the ABI. */
#define POSTRUN_VERSION_MINOR 1 /**< Minor version: additions. */
#define POSTRUN_VERSION_PATCH 0 /**< Patch version: fixes. */
#define POSTRUN_VERSION_STRING "0.1.0" /**< The three as "MAJOR.MINOR.PATCH". */
/** major*1000000 + minor*1000 + patch, comparable with postrun_version_number(). */
#define POSTRUN_VERSION_NUMBER 1000

/**
 * The library's version as "MAJOR.MINOR.PATCH" (static storage).
 * @return The version string.
 */
POSTRUN_API const char *postrun_version(void);
/**
 * The library's version as ::POSTRUN_VERSION_NUMBER computes it.
 * @return The version number.
 */
POSTRUN_API int postrun_version_number(void);
/**@}*/

/** @name Status codes and errors */
/**@{*/

/** Result of every fallible call. Negative values are errors. */
typedef enum postrun_status {
    /** Success. */
    POSTRUN_OK = 0,
    /** Not an error: a stream has no more documents. */
    POSTRUN_DONE = 1,
    /** An allocation failed. Nothing leaked; objects passed in stay usable. */
    POSTRUN_ERR_NOMEM = -1,
    /** A NULL or otherwise unusable argument. */
    POSTRUN_ERR_ARGUMENT = -2,
    /** A file could not be opened, read or written. */
    POSTRUN_ERR_IO = -3,
    /** The YAML is not well-formed (or not valid UTF-8, or holds a NUL byte). */
    POSTRUN_ERR_SYNTAX = -4,
    /** A size, nesting or count limit was exceeded, or a YAML alias was used. */
    POSTRUN_ERR_LIMIT = -5,
    /** A value has the wrong type (a mapping where a number was expected, ...). */
    POSTRUN_ERR_TYPE = -6,
    /** A number is outside its valid range, or not finite. */
    POSTRUN_ERR_RANGE = -7,
    /** A value is not one of the allowed words (an enumeration). */
    POSTRUN_ERR_VALUE = -8,
    /** A required field is missing. */
    POSTRUN_ERR_MISSING = -9,
    /** A key that the format does not define. */
    POSTRUN_ERR_UNKNOWN_KEY = -10,
    /** A key or id given twice. */
    POSTRUN_ERR_DUPLICATE = -11,
    /** An id that the knowledge base does not define (symptom, observation, reference...). */
    POSTRUN_ERR_UNKNOWN_ID = -12,
    /** A knowledge-base consistency problem (cycle, missing source, bad expression...). */
    POSTRUN_ERR_KB = -13,
    /** A path, metric or entry asked for through the API does not exist or has no value. */
    POSTRUN_ERR_NOT_FOUND = -14
} postrun_status;

/** Severity of a problem: errors fail the call, warnings do not. */
typedef enum postrun_severity {
    POSTRUN_SEVERITY_ERROR = 0,
    POSTRUN_SEVERITY_WARNING = 1
} postrun_severity;

/**
 * One problem, with where it was found.
 *
 * Declare it with its initialiser (`postrun_error err = POSTRUN_ERROR_INIT;`), pass its address
 * to fallible calls, and call postrun_error_clear() when done: a call that finds several
 * problems keeps the further ones in memory owned by the record. A call resets the record
 * first (keeping its version).
 *
 * Texts cut to fit their arrays are cut between characters, never inside a UTF-8 sequence.
 */
typedef struct postrun_error {
    /** ::POSTRUN_ERROR_VERSION, so that the record can grow without breaking callers; 0 (a
     * record zeroed with memset) is read as version 1. */
    unsigned version;
    postrun_status code;       /**< The problem's status code (::POSTRUN_OK when none). */
    postrun_severity severity; /**< Error or warning. */
    uint32_t line;             /**< 1-based line, 0 when not from a file or string. */
    uint32_t column;           /**< 1-based column, 0 when unknown. */
    char file[256];            /**< File or source name, "" when none. */
    char field[128];           /**< Field path, e.g. "run.duration_min", "" when none. */
    char message[512];         /**< What is wrong and what was expected, in plain words. */
    void *more_;               /**< Private: further problems. */
} postrun_error;

/** The version of ::postrun_error this header describes. */
#define POSTRUN_ERROR_VERSION 1
/** Initialiser for a ::postrun_error. */
#define POSTRUN_ERROR_INIT \
    {POSTRUN_ERROR_VERSION, POSTRUN_OK, POSTRUN_SEVERITY_ERROR, 0, 0, {0}, {0}, {0}, NULL}

/**
 * A short, static description of a status code ("out of memory", ...). Never NULL.
 * @param code A status code.
 * @return The description.
 */
POSTRUN_API const char *postrun_strerror(postrun_status code);

/**
 * Number of problems the last call recorded (errors and warnings), 0 when none.
 * @param err The error record (may be NULL: 0).
 * @return The number of problems.
 */
POSTRUN_API size_t postrun_error_count(const postrun_error *err);

/**
 * Problem @p i (0 = the record itself); NULL when @p i is out of range.
 * @p buf may be NULL: then only the length is returned, whatever @p size (0 when @p err is
 * NULL).
 * @param err The error record.
 * @param i Index of the problem, from 0.
 * @return The problem, or NULL.
 */
POSTRUN_API const postrun_error *postrun_error_at(const postrun_error *err, size_t i);

/**
 * Writes "file:line:column: field: message" for problem @p err into @p buf (always
 * NUL-terminated when @p size > 0). Returns the length the full text needs, like snprintf;
 * a text cut to fit ends between characters, never inside a UTF-8 sequence.
 * @param err The problem to format.
 * @param buf Where the text goes (may be NULL when @p size is 0).
 * @param size Size of @p buf in bytes.
 * @return The length of the full text, without the NUL.
 */
POSTRUN_API size_t postrun_error_format(const postrun_error *err, char *buf, size_t size);

/**
 * Frees the further problems held by @p err and resets it. Accepts NULL.
 * @param err The record to reset, or NULL.
 */
POSTRUN_API void postrun_error_clear(postrun_error *err);
/**@}*/

/** @name Memory */
/**@{*/

/**
 * An allocator in the style of `lua_Alloc`. With @p new_size 0 it frees @p ptr (which may be
 * NULL) and returns NULL; otherwise it behaves like realloc (with @p ptr NULL: malloc) and
 * returns NULL on failure, leaving @p ptr untouched. @p old_size is the block's current size
 * (0 when @p ptr is NULL).
 */
typedef void *(*postrun_alloc_fn)(void *userdata, void *ptr, size_t old_size, size_t new_size);

/**
 * Routes every allocation of the library through @p fn; @p fn may be NULL (restores the C
 * library's).
 * Call it while no library object is alive; it is not thread-safe. libyaml's own internal
 * allocations do not go through it.
 * @param fn The allocator, or NULL for the C library's.
 * @param userdata Passed to every call of @p fn.
 * @return ::POSTRUN_OK.
 */
POSTRUN_API postrun_status postrun_set_allocator(postrun_alloc_fn fn, void *userdata);

/**
 * Frees a buffer the library returned (rendered output). Accepts NULL.
 * @param ptr The buffer, or NULL.
 */
POSTRUN_API void postrun_free(void *ptr);
/**@}*/

/** @name Knowledge base */
/**@{*/

/** A compiled, immutable knowledge base. Thread-safe to share once built. */
typedef struct postrun_kb postrun_kb;

/** Collects knowledge-base files and overlays before compiling them into a ::postrun_kb. */
typedef struct postrun_kb_builder postrun_kb_builder;

/** Kinds of knowledge-base entry. */
typedef enum postrun_kind {
    POSTRUN_KIND_SOURCE = 0,
    POSTRUN_KIND_PARAMETER = 1,
    POSTRUN_KIND_SYMPTOM = 2,
    POSTRUN_KIND_OBSERVATION = 3,
    POSTRUN_KIND_BODY_AREA = 4,
    POSTRUN_KIND_CAUSE = 5,
    POSTRUN_KIND_RULE = 6,
    POSTRUN_KIND_RECOMMENDATION = 7,
    POSTRUN_KIND_RED_FLAG = 8,
    POSTRUN_KIND_MISCONCEPTION = 9,
    POSTRUN_KIND_NOTE = 10
} postrun_kind;

/**
 * Loads the bundled knowledge base, embedded in the library (no files needed).
 * @param out Receives the knowledge base (only on success).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_load_default(postrun_kb **out, postrun_error *err);

/**
 * Loads a knowledge base from @p path (a directory, whose `*.yaml` files are read in name
 * order, or one file), or the embedded one when @p path is NULL, then applies @p n_overlays
 * overlay files in order. Every problem found is recorded in @p err.
 * @p path may be NULL; @p overlays may be NULL only when @p n_overlays is 0.
 * @param out Receives the knowledge base (only on success).
 * @param path A directory or a YAML file, or NULL for the embedded files.
 * @param overlays Paths of overlay files (may be NULL when @p n_overlays is 0).
 * @param n_overlays Number of overlay files.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_load(postrun_kb **out, const char *path,
                                           const char *const *overlays, size_t n_overlays,
                                           postrun_error *err);

/**
 * Frees a knowledge base. Every assessment made with it must be freed first.
 * @param kb The knowledge base, or NULL.
 */
POSTRUN_API void postrun_kb_free(postrun_kb *kb);

/**
 * Creates an empty builder.
 * @param out Receives the builder (only on success).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_new(postrun_kb_builder **out, postrun_error *err);
/**
 * Adds the embedded bundled files as base files.
 * @param b The builder.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_add_default(postrun_kb_builder *b,
                                                          postrun_error *err);
/**
 * Adds a base file, or every `*.yaml` of a directory in name order.
 * @param b The builder.
 * @param path A YAML file or a directory.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_add_path(postrun_kb_builder *b, const char *path,
                                                       postrun_error *err);
/**
 * Adds an overlay file (applied after every base file, in the order added).
 * @param b The builder.
 * @param path The overlay's YAML file.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_add_overlay(postrun_kb_builder *b,
                                                          const char *path, postrun_error *err);
/**
 * Adds YAML text held in memory as a base file, named @p name in error messages. The text is
 * copied. @p name may be NULL ("<string>"); @p text may be NULL only when @p len is 0.
 * @param b The builder.
 * @param name Name used in error messages (copied).
 * @param text The YAML text (copied).
 * @param len Length of @p text in bytes.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_add_string(postrun_kb_builder *b, const char *name,
                                                         const char *text, size_t len,
                                                         postrun_error *err);
/**
 * Adds YAML text held in memory as an overlay (changes, additions and `disable:` applied over
 * the base files), named @p name in error messages. The text is copied. @p name may be NULL
 * ("<string>"); @p text may be NULL only when @p len is 0.
 * @param b The builder.
 * @param name Name used in error messages (copied).
 * @param text The YAML text (copied).
 * @param len Length of @p text in bytes.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_add_overlay_string(postrun_kb_builder *b,
                                                                 const char *name,
                                                                 const char *text, size_t len,
                                                                 postrun_error *err);
/**
 * Validates and compiles everything added. On success @p err may still hold warnings
 * (unused entries, ...): see postrun_error_count(). The builder can be freed afterwards.
 * @param b The builder.
 * @param out Receives the knowledge base (only on success).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_kb_builder_build(postrun_kb_builder *b, postrun_kb **out,
                                                    postrun_error *err);
/**
 * Frees a builder. Accepts NULL.
 * @param b The builder, or NULL.
 */
POSTRUN_API void postrun_kb_builder_free(postrun_kb_builder *b);

/**
 * Number of entries of a kind.
 * @param kb The knowledge base.
 * @param kind The kind of entry.
 * @return The number of entries (0 for an unknown kind).
 */
POSTRUN_API size_t postrun_kb_count(const postrun_kb *kb, postrun_kind kind);

/**
 * Id of entry @p i of @p kind, NULL when out of range.
 * @param kb The knowledge base.
 * @param kind The kind of entry.
 * @param i Index within @p kind, from 0.
 * @return The id, or NULL.
 */
POSTRUN_API const char *postrun_kb_id(const postrun_kb *kb, postrun_kind kind, size_t i);

/**
 * What postrun_kb_entry() tells about an entry. Strings belong to the knowledge base. Start
 * from ::POSTRUN_KB_ENTRY_INFO_INIT.
 */
typedef struct postrun_kb_entry_info {
    unsigned version;        /**< ::POSTRUN_KB_ENTRY_INFO_VERSION. */
    postrun_kind kind;       /**< The entry's kind. */
    const char *id;          /**< Its id. */
    const char *name;        /**< Its name in plain words. */
    const char *description; /**< Its description. */
    const char *file; /**< Where the entry was defined (or last changed by an overlay). */
    uint32_t line;           /**< 1-based line in @ref file. */
    uint32_t column;         /**< 1-based column in @ref file. */
    size_t n_sources;        /**< Number of sources: see postrun_kb_entry_source(). */
} postrun_kb_entry_info;

/** The version of ::postrun_kb_entry_info this header describes. */
#define POSTRUN_KB_ENTRY_INFO_VERSION 1
/** Initialiser: `postrun_kb_entry_info e = POSTRUN_KB_ENTRY_INFO_INIT;`. */
#define POSTRUN_KB_ENTRY_INFO_INIT \
    {POSTRUN_KB_ENTRY_INFO_VERSION, (postrun_kind)0, NULL, NULL, NULL, NULL, 0, 0, 0}

/**
 * Looks an entry up by id. Ids are unique within a kind; when kinds share an id (the observation
 * and the red flag `unexplained_weight_loss`), the entry of the lowest ::postrun_kind is given.
 * ::POSTRUN_ERR_NOT_FOUND if absent.
 * @param kb The knowledge base.
 * @param id The entry's id.
 * @param out Receives what is known of the entry (its version set).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND, ::POSTRUN_ERR_ARGUMENT when @p out's version
 *         is not one this library knows, or another error status.
 */
POSTRUN_API postrun_status postrun_kb_entry(const postrun_kb *kb, const char *id,
                                            postrun_kb_entry_info *out);

/**
 * Source @p i of entry @p id: its key (e.g. "seed-000") and, in @p title, its full citation.
 * @p key and @p title may be NULL (not written).
 * @param kb The knowledge base.
 * @param id The entry's id.
 * @param i Index of the source, from 0 (below the entry's n_sources).
 * @param key Receives the source's key (may be NULL).
 * @param title Receives the full citation (may be NULL).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND for an unknown id or index, or another
 *         error status.
 */
POSTRUN_API postrun_status postrun_kb_entry_source(const postrun_kb *kb, const char *id, size_t i,
                                                   const char **key, const char **title);

/**
 * Value and range of a model parameter. @p value, @p low and @p high may be NULL (not
 * written).
 * @param kb The knowledge base.
 * @param id The parameter's id.
 * @param value Receives its value (may be NULL).
 * @param low Receives the low end of its range (may be NULL).
 * @param high Receives the high end of its range (may be NULL).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when @p id is no parameter, or another
 *         error status.
 */
POSTRUN_API postrun_status postrun_kb_parameter(const postrun_kb *kb, const char *id,
                                                double *value, double *low, double *high);
/**@}*/

/** @name Run reports */
/**@{*/

/** One run report (docs/run-report.md). */
typedef struct postrun_run postrun_run;

/**
 * Creates an empty run report. @p kb, when not NULL, supplies the vocabulary that symptom,
 * observation and body-area ids are checked against as they are set; it must outlive the run.
 * With NULL, ids are checked when the run is assessed.
 * With NULL, ids are checked when the run is assessed: @p kb may be NULL.
 * @param out Receives the run report (only on success).
 * @param kb Knowledge base whose vocabulary checks ids, or NULL.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_new(postrun_run **out, const postrun_kb *kb,
                                           postrun_error *err);

/**
 * Parses one YAML document holding one run report. @p name is used in error messages (a file
 * name, or NULL for "<string>"). Every problem of the document is recorded in @p err (up to
 * 100); on error nothing is written to @p out.
 * @p kb and @p name may be NULL (see postrun_run_new()); @p text may be NULL only when @p len
 * is 0.
 * @param out Receives the run report (only on success).
 * @param kb Knowledge base whose vocabulary checks ids, or NULL.
 * @param text The YAML text.
 * @param len Length of @p text in bytes.
 * @param name Name used in error messages, or NULL.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_parse(postrun_run **out, const postrun_kb *kb,
                                             const char *text, size_t len, const char *name,
                                             postrun_error *err);

/**
 * Like postrun_run_parse() on the contents of file @p path (one document).
 * @p kb may be NULL.
 * @param out Receives the run report (only on success).
 * @param kb Knowledge base whose vocabulary checks ids, or NULL.
 * @param path The YAML file.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_load_file(postrun_run **out, const postrun_kb *kb,
                                                 const char *path, postrun_error *err);

/**
 * Frees a run report. Accepts NULL.
 * @param run The run report, or NULL.
 */
POSTRUN_API void postrun_run_free(postrun_run *run);

/**
 * Empties a run report for reuse (keeps its vocabulary).
 * @param run The run report.
 */
POSTRUN_API void postrun_run_clear(postrun_run *run);

/**
 * Sets a number by path, with the same validation as the YAML loader (type, range). Paths:
 * `"athlete.body_mass_kg"`, `"symptoms[0].severity"`, `"observations.urine_colour"`.
 * Integer fields (`postrun`, `rpe`, ...) reject fractions.
 * @param run The run report.
 * @param path The field's path.
 * @param value The number.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_set_number(postrun_run *run, const char *path,
                                                  double value, postrun_error *err);
/**
 * Sets a string or enumeration field (`"run.intensity"`, `"id"`, `"athlete.sex"`).
 * @param run The run report.
 * @param path The field's path.
 * @param value The string (copied).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_set_string(postrun_run *run, const char *path,
                                                  const char *value, postrun_error *err);
/**
 * Sets a yes/no field (`"intake.fasted"`, `"observations.numbness"`).
 * @param run The run report.
 * @param path The field's path.
 * @param value 0 for no, anything else for yes.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_set_bool(postrun_run *run, const char *path, int value,
                                                postrun_error *err);
/**
 * Appends to a list: `"symptoms"` takes a symptom id (its severity defaults later);
 * `"symptoms[i].where"` takes a body-area id. Duplicates are errors.
 * @param run The run report.
 * @param path The list's path.
 * @param value The id to append (copied).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_append(postrun_run *run, const char *path,
                                              const char *value, postrun_error *err);
/**
 * Removes a field's value (a later defaults step may fill it again).
 * @param run The run report.
 * @param path The field's path.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_unset(postrun_run *run, const char *path,
                                             postrun_error *err);

/**
 * Non-zero when the field at @p path has a value.
 * @param run The run report.
 * @param path The field's path.
 * @return Non-zero when the field has a value, 0 otherwise.
 */
POSTRUN_API int postrun_run_has(const postrun_run *run, const char *path);
/**
 * Reads a number (enumerations and booleans are not numbers).
 * @param run The run report.
 * @param path The field's path.
 * @param out Receives the number.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_get_number(const postrun_run *run, const char *path,
                                                  double *out, postrun_error *err);
/**
 * Reads a string or enumeration; the string belongs to the run.
 * @param run The run report.
 * @param path The field's path.
 * @param out Receives the string.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_get_string(const postrun_run *run, const char *path,
                                                  const char **out, postrun_error *err);
/**
 * Reads a yes/no field.
 * @param run The run report.
 * @param path The field's path.
 * @param out Receives 0 or 1.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_get_bool(const postrun_run *run, const char *path,
                                                int *out, postrun_error *err);
/**
 * Number of items of a list (`"symptoms"`, `"symptoms[0].where"`), or of `"observations"`.
 * @param run The run report.
 * @param path The list's path.
 * @return The number of items (0 for an unknown path).
 */
POSTRUN_API size_t postrun_run_count(const postrun_run *run, const char *path);
/**
 * Item @p i of a string list (`"symptoms[0].where"`, or `"symptoms"` for the ids,
 * `"observations"` for the observation ids given). NULL when out of range.
 * @param run The run report.
 * @param path The list's path.
 * @param i Index, from 0.
 * @return The item, or NULL.
 */
POSTRUN_API const char *postrun_run_item(const postrun_run *run, const char *path, size_t i);

/**
 * Checks what single-field setters cannot: required fields present, weigh-in complete.
 * Records every problem. postrun_assess() calls it too.
 * @param run The run report.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_validate(const postrun_run *run, postrun_error *err);

/**
 * Fills every missing optional field that has a documented default and records one
 * assumption per default used. postrun_assess() applies the same defaults to its own copy,
 * so calling this is only needed to inspect them.
 * @param run The run report to complete.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_apply_defaults(postrun_run *run, postrun_error *err);
/**
 * Number of assumptions recorded by postrun_run_apply_defaults().
 * @param run The run report.
 * @return The number of assumptions.
 */
POSTRUN_API size_t postrun_run_assumption_count(const postrun_run *run);
/**
 * Assumption @p i, in plain words; NULL when out of range.
 * @param run The run report.
 * @param i Index, from 0.
 * @return The assumption, or NULL.
 */
POSTRUN_API const char *postrun_run_assumption(const postrun_run *run, size_t i);

/**
 * Line and column where the run's document started (0 when built through the API).
 * @param run The run report.
 * @param line Receives the 1-based line (may be NULL).
 * @param column Receives the 1-based column (may be NULL).
 */
POSTRUN_API void postrun_run_position(const postrun_run *run, uint32_t *line, uint32_t *column);

/** A reader of a YAML stream of run reports, one document at a time, in constant memory. */
typedef struct postrun_stream postrun_stream;

/**
 * Opens a file ("-" for standard input) as a stream.
 * @p kb may be NULL (ids are then checked against the run's own knowledge base, if any, or
 * when assessed). @p kb and @p name may be NULL, as for postrun_stream_open_file() and
 * postrun_run_parse().
 * @param out Receives the stream (only on success).
 * @param kb Knowledge base whose vocabulary checks ids, or NULL.
 * @param path The YAML file, or "-" for standard input.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_stream_open_file(postrun_stream **out, const postrun_kb *kb,
                                                    const char *path, postrun_error *err);
/**
 * Opens text in memory as a stream; the text must outlive the stream (@p name is copied).
 * @p kb and @p name may be NULL, as for postrun_stream_open_file() and postrun_run_parse().
 * @param out Receives the stream (only on success).
 * @param kb Knowledge base whose vocabulary checks ids, or NULL.
 * @param text The YAML text (not copied).
 * @param len Length of @p text in bytes.
 * @param name Name used in error messages, or NULL.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_stream_open_string(postrun_stream **out, const postrun_kb *kb,
                                                      const char *text, size_t len,
                                                      const char *name, postrun_error *err);
/**
 * Reads the next document into @p run (cleared first). Returns ::POSTRUN_OK, ::POSTRUN_DONE at
 * the end, or an error for a bad document. After a validation error the next call goes on with
 * the next document; after a syntax error the stream cannot go on and returns ::POSTRUN_DONE.
 * @param s The stream.
 * @param run Receives the document (cleared first).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, ::POSTRUN_DONE at the end, or an error status.
 */
POSTRUN_API postrun_status postrun_stream_next(postrun_stream *s, postrun_run *run,
                                               postrun_error *err);
/**
 * Index (0-based) of the document last read.
 * @param s The stream.
 * @return The document's index.
 */
POSTRUN_API size_t postrun_stream_document(const postrun_stream *s);
/**
 * Frees a stream. Accepts NULL.
 * @param s The stream, or NULL.
 */
POSTRUN_API void postrun_stream_free(postrun_stream *s);
/**@}*/

/** @name Assessments */
/**@{*/

/** The result of assessing one run. Owned by one thread at a time; reusable. */
typedef struct postrun_assessment postrun_assessment;

/**
 * A quantity with its honest uncertainty: the expected value and a central probability
 * interval around it. @p low and @p high are the 10th and 90th percentiles of what the
 * models give when their uncertain parameters are drawn from their distributions, so the
 * interval holds the quantity with probability ::POSTRUN_INTERVAL_PROBABILITY.
 */
typedef struct postrun_range {
    double low;      /**< Low end of the plausible range. */
    double expected; /**< The most likely value. */
    double high;     /**< High end of the plausible range. */
} postrun_range;

/** The probability that a ::postrun_range's [low, high] holds the quantity (0.8). */
#define POSTRUN_INTERVAL_PROBABILITY 0.8

/** Urgency of a red flag, most urgent first. */
typedef enum postrun_urgency {
    POSTRUN_URGENCY_NONE = -1, /**< No red flag (postrun_assessment_max_urgency() only). */
    POSTRUN_URGENCY_EMERGENCY = 0,
    POSTRUN_URGENCY_SEE_DOCTOR_SOON = 1,
    POSTRUN_URGENCY_SEE_DOCTOR_IF_PERSISTS = 2
} postrun_urgency;

/** When a recommendation applies. */
typedef enum postrun_when {
    POSTRUN_WHEN_NOW = 0,
    POSTRUN_WHEN_WITHIN_2H = 1,
    POSTRUN_WHEN_TODAY = 2,
    POSTRUN_WHEN_NEXT_DAYS = 3,
    POSTRUN_WHEN_NEXT_RUNS = 4
} postrun_when;

/**
 * What kind of evidence a contribution to a cause's score is (the `source` of a contribution
 * in YAML and JSON output; not a citation: those are the knowledge base's sources).
 */
typedef enum postrun_contribution_kind {
    POSTRUN_CONTRIBUTION_PRIOR = 0,   /**< The cause's prior. */
    POSTRUN_CONTRIBUTION_SYMPTOM = 1, /**< A reported symptom linked to the cause. */
    POSTRUN_CONTRIBUTION_METRIC = 2,  /**< A rule over one metric or input field. */
    POSTRUN_CONTRIBUTION_RULE = 3     /**< A rule over several conditions. */
} postrun_contribution_kind;

/**
 * Creates an assessment object bound to @p kb (which must outlive it).
 * @param out Receives the assessment (only on success).
 * @param kb The knowledge base to assess with.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_assessment_new(postrun_assessment **out, const postrun_kb *kb,
                                                  postrun_error *err);
/**
 * Frees an assessment. Accepts NULL.
 * @param a The assessment, or NULL.
 */
POSTRUN_API void postrun_assessment_free(postrun_assessment *a);

/**
 * Assesses @p run into @p a (replacing what it held). Validates the run, applies defaults,
 * runs the models, evaluates red flags, causes, recommendations and misconceptions. On error
 * @p a holds nothing (its counts are 0), never a partial result. Texts are rendered lazily,
 * on the first accessor or render call that needs them.
 * @param a The assessment that receives the result.
 * @param run The run report to assess (not changed).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_assess(postrun_assessment *a, const postrun_run *run,
                                          postrun_error *err);

/**
 * The run's id, or "" when it had none (or @p a is NULL). Never NULL.
 * @param a The assessment.
 * @return The id (never NULL).
 */
POSTRUN_API const char *postrun_assessment_id(const postrun_assessment *a);

/**
 * Number of named metrics (model outputs and input fields). Same for every assessment.
 * @return The number of metrics.
 */
POSTRUN_API size_t postrun_metric_count(void);
/**
 * Name of metric @p i (e.g. "fluid.sweat_loss_l"); NULL when out of range.
 * @param i Index of the metric, from 0.
 * @return The name, or NULL.
 */
POSTRUN_API const char *postrun_metric_name(size_t i);
/**
 * Unit of metric @p i ("l", "kcal", "" for none); NULL when out of range.
 * @param i Index of the metric, from 0.
 * @return The unit, or NULL.
 */
POSTRUN_API const char *postrun_metric_unit(size_t i);
/**
 * Index of a metric by name; -1 when unknown.
 * @param name The metric's name.
 * @return The index, or -1.
 */
POSTRUN_API long postrun_metric_index(const char *name);

/**
 * A metric's value. Quantities without uncertainty have low == expected == high; booleans are
 * 0 or 1; enumerations give their index (see postrun_assessment_label()). Returns
 * ::POSTRUN_ERR_NOT_FOUND for an unknown name, or when the metric has no value for this run
 * (e.g. `load.acwr` without training context): then @p out is all NaN. @p a is not const:
 * the intervals of the glycogen, electrolyte and muscle-water metrics are computed on their
 * first read.
 * @param a The assessment.
 * @param name The metric's name (see postrun_metric_name()).
 * @param out Receives the value and its range.
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND, or another error status.
 */
POSTRUN_API postrun_status postrun_assessment_metric(postrun_assessment *a,
                                                     const char *name, postrun_range *out);
/**
 * Same by index; faster in loops.
 * @param a The assessment.
 * @param i Index of the metric, from 0.
 * @param out Receives the value and its range.
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND, or another error status.
 */
POSTRUN_API postrun_status postrun_assessment_metric_at(postrun_assessment *a, size_t i,
                                                        postrun_range *out);
/**
 * The word of an enumerated metric ("measured", "mild_deficit", "high"), NULL otherwise.
 * @param a The assessment.
 * @param name The metric's name.
 * @return The word, or NULL.
 */
POSTRUN_API const char *postrun_assessment_label(const postrun_assessment *a, const char *name);

/** A red flag raised for this run. Start from ::POSTRUN_RED_FLAG_INIT. */
typedef struct postrun_red_flag {
    unsigned version;        /**< ::POSTRUN_RED_FLAG_VERSION. */
    const char *id;          /**< The red flag's id. */
    const char *name;        /**< Its name in plain words. */
    postrun_urgency urgency; /**< How urgent. */
    const char *advice; /**< Rendered advice text. */
    size_t n_because;        /**< Number of reasons: see postrun_assessment_red_flag_because(). */
} postrun_red_flag;

/** The version of ::postrun_red_flag this header describes. */
#define POSTRUN_RED_FLAG_VERSION 1
/** Initialiser: `postrun_red_flag f = POSTRUN_RED_FLAG_INIT;`. */
#define POSTRUN_RED_FLAG_INIT \
    {POSTRUN_RED_FLAG_VERSION, NULL, NULL, POSTRUN_URGENCY_EMERGENCY, NULL, 0}

/**
 * Number of red flags raised (they are ordered by urgency, then id).
 * @param a The assessment.
 * @return The number of red flags.
 */
POSTRUN_API size_t postrun_assessment_red_flag_count(const postrun_assessment *a);
/**
 * Red flag @p i.
 * @param a The assessment.
 * @param i Index of the red flag, from 0.
 * @param out Receives the red flag (its version set: start from its _INIT).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when @p i is out of range,
 *         ::POSTRUN_ERR_ARGUMENT when @p out's version is not one this library knows, or
 *         another error status.
 */
POSTRUN_API postrun_status postrun_assessment_red_flag(postrun_assessment *a, size_t i,
                                                       postrun_red_flag *out);
/**
 * Reason @p j of red flag @p i, in plain words; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the red flag, from 0.
 * @param j Index of the reason, from 0.
 * @return The reason, or NULL.
 */
POSTRUN_API const char *postrun_assessment_red_flag_because(postrun_assessment *a, size_t i,
                                                            size_t j);
/**
 * The most urgent urgency raised, ::POSTRUN_URGENCY_NONE when no red flag was raised.
 * @param a The assessment.
 * @return The most urgent urgency, or ::POSTRUN_URGENCY_NONE.
 */
POSTRUN_API postrun_urgency postrun_assessment_max_urgency(const postrun_assessment *a);

/** A likely cause. Start from ::POSTRUN_CAUSE_INIT. */
typedef struct postrun_cause {
    unsigned version;  /**< ::POSTRUN_CAUSE_VERSION. */
    const char *id;    /**< The cause's id. */
    const char *name;  /**< Its name in plain words. */
    double score; /**< 0..1 */
    size_t n_explains; /**< Number of symptoms it explains: postrun_assessment_cause_explains(). */
    size_t n_because;  /**< Number of contributions: postrun_assessment_cause_because(). */
} postrun_cause;

/** The version of ::postrun_cause this header describes. */
#define POSTRUN_CAUSE_VERSION 1
/** Initialiser: `postrun_cause c = POSTRUN_CAUSE_INIT;`. */
#define POSTRUN_CAUSE_INIT {POSTRUN_CAUSE_VERSION, NULL, NULL, 0.0, 0, 0}

/** One term of a cause's score. Start from ::POSTRUN_CONTRIBUTION_INIT. */
typedef struct postrun_contribution {
    unsigned version;               /**< ::POSTRUN_CONTRIBUTION_VERSION. */
    postrun_contribution_kind kind; /**< What kind of evidence it is. */
    const char *ref;  /**< Symptom id, metric name or rule id; "prior" for the prior. */
    double value;     /**< The metric's value (source metric), the severity (symptom), or NaN. */
    double weight;    /**< What it added to the log-odds. */
    const char *text; /**< Plain-language explanation. */
} postrun_contribution;

/** The version of ::postrun_contribution this header describes. */
#define POSTRUN_CONTRIBUTION_VERSION 1
/** Initialiser: `postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;`. */
#define POSTRUN_CONTRIBUTION_INIT \
    {POSTRUN_CONTRIBUTION_VERSION, POSTRUN_CONTRIBUTION_PRIOR, NULL, 0.0, 0.0, NULL}

/**
 * Number of causes listed, ranked by score (ties by id).
 * @param a The assessment.
 * @return The number of causes.
 */
POSTRUN_API size_t postrun_assessment_cause_count(const postrun_assessment *a);
/**
 * Cause @p i.
 * @param a The assessment.
 * @param i Index of the cause, from 0.
 * @param out Receives the cause (its version set: start from its _INIT).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when @p i is out of range,
 *         ::POSTRUN_ERR_ARGUMENT when @p out's version is not one this library knows, or
 *         another error status.
 */
POSTRUN_API postrun_status postrun_assessment_cause(const postrun_assessment *a, size_t i,
                                                    postrun_cause *out);
/**
 * Symptom id @p j that cause @p i explains; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the cause, from 0.
 * @param j Index of the symptom, from 0.
 * @return The symptom id, or NULL.
 */
POSTRUN_API const char *postrun_assessment_cause_explains(const postrun_assessment *a, size_t i,
                                                          size_t j);
/**
 * Contribution @p j of cause @p i, largest |weight| first.
 * @param a The assessment.
 * @param i Index of the cause, from 0.
 * @param j Index of the contribution, from 0.
 * @param out Receives the contribution (its version set: start from its _INIT).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when an index is out of range,
 *         ::POSTRUN_ERR_ARGUMENT when @p out's version is not one this library knows, or another
 *         error status.
 */
POSTRUN_API postrun_status postrun_assessment_cause_because(postrun_assessment *a, size_t i,
                                                            size_t j, postrun_contribution *out);

/** A recommendation. Start from ::POSTRUN_RECOMMENDATION_INIT. */
typedef struct postrun_recommendation {
    unsigned version;   /**< ::POSTRUN_RECOMMENDATION_VERSION. */
    const char *id;     /**< The recommendation's id. */
    const char *name;   /**< Its name in plain words. */
    int priority; /**< 1 = first. */
    postrun_when when;  /**< When it applies. */
    const char *text; /**< Rendered, with doses filled in. */
    size_t n_doses;     /**< Number of doses: postrun_assessment_recommendation_dose(). */
    size_t n_addresses; /**< Number of causes it addresses. */
    size_t n_sources;   /**< Number of sources: postrun_assessment_recommendation_source(). */
} postrun_recommendation;

/** The version of ::postrun_recommendation this header describes. */
#define POSTRUN_RECOMMENDATION_VERSION 1
/** Initialiser: `postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;`. */
#define POSTRUN_RECOMMENDATION_INIT \
    {POSTRUN_RECOMMENDATION_VERSION, NULL, NULL, 0, POSTRUN_WHEN_NOW, NULL, 0, 0, 0}

/**
 * Number of recommendations, in order of priority.
 * @param a The assessment.
 * @return The number of recommendations.
 */
POSTRUN_API size_t postrun_assessment_recommendation_count(const postrun_assessment *a);
/**
 * Recommendation @p i.
 * @param a The assessment.
 * @param i Index of the recommendation, from 0.
 * @param out Receives the recommendation (its version set: start from its _INIT).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when @p i is out of range,
 *         ::POSTRUN_ERR_ARGUMENT when @p out's version is not one this library knows, or
 *         another error status.
 */
POSTRUN_API postrun_status postrun_assessment_recommendation(postrun_assessment *a, size_t i,
                                                             postrun_recommendation *out);
/**
 * Dose @p j of recommendation @p i: its name (e.g. "fluid_ml") and value.
 * @p name and @p value may be NULL (not written).
 * @param a The assessment.
 * @param i Index of the recommendation, from 0.
 * @param j Index of the dose, from 0.
 * @param name Receives the dose's name (may be NULL).
 * @param value Receives the dose's value (may be NULL).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when an index is out of range, or another
 *         error status.
 */
POSTRUN_API postrun_status postrun_assessment_recommendation_dose(const postrun_assessment *a,
                                                                  size_t i, size_t j,
                                                                  const char **name,
                                                                  double *value);
/**
 * Cause id @p j that recommendation @p i addresses; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the recommendation, from 0.
 * @param j Index of the cause, from 0.
 * @return The cause id, or NULL.
 */
POSTRUN_API const char *postrun_assessment_recommendation_addresses(const postrun_assessment *a,
                                                                    size_t i, size_t j);
/**
 * Source key @p j of recommendation @p i; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the recommendation, from 0.
 * @param j Index of the source, from 0.
 * @return The source key, or NULL.
 */
POSTRUN_API const char *postrun_assessment_recommendation_source(const postrun_assessment *a,
                                                                 size_t i, size_t j);

/**
 * Number of recommendations withdrawn by a red flag or by one of their contraindications.
 * @param a The assessment.
 * @return The number of withdrawn recommendations.
 */
POSTRUN_API size_t postrun_assessment_withdrawn_count(const postrun_assessment *a);
/**
 * Withdrawn recommendation @p i and what withdrew it: a red flag's id, or "contraindication"
 * when a contraindication of the recommendation itself held.
 * @p id and @p by may be NULL (not written).
 * @param a The assessment.
 * @param i Index of the withdrawn recommendation, from 0.
 * @param id Receives the recommendation's id (may be NULL).
 * @param by Receives what withdrew it (may be NULL).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when @p i is out of range, or another error status.
 */
POSTRUN_API postrun_status postrun_assessment_withdrawn(const postrun_assessment *a, size_t i,
                                                        const char **id, const char **by);

/**
 * Number of misconceptions relevant to this run.
 * @param a The assessment.
 * @return The number of misconceptions.
 */
POSTRUN_API size_t postrun_assessment_misconception_count(const postrun_assessment *a);
/**
 * Misconception @p i: its id and correcting text.
 * @p id and @p text may be NULL (not written).
 * @param a The assessment.
 * @param i Index of the misconception, from 0.
 * @param id Receives its id (may be NULL).
 * @param text Receives its text (may be NULL).
 * @return ::POSTRUN_OK, ::POSTRUN_ERR_NOT_FOUND when @p i is out of range, or another error status.
 */
POSTRUN_API postrun_status postrun_assessment_misconception(postrun_assessment *a, size_t i,
                                                            const char **id, const char **text);

/**
 * Number of assumptions (defaults and estimates the model used).
 * @param a The assessment.
 * @return The number of assumptions.
 */
POSTRUN_API size_t postrun_assessment_assumption_count(const postrun_assessment *a);
/**
 * Assumption @p i; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the assumption, from 0.
 * @return The assumption, or NULL.
 */
POSTRUN_API const char *postrun_assessment_assumption(postrun_assessment *a, size_t i);

/**
 * Number of warnings: input that is possible but unusual (a very high measured sweat rate, a
 * large weigh-in change...). The run was assessed; each warning says what to check.
 * Impossible input is refused by postrun_assess() instead.
 * @param a The assessment.
 * @return The number of warnings (0 for NULL).
 */
POSTRUN_API size_t postrun_assessment_warning_count(const postrun_assessment *a);
/**
 * Warning @p i, in plain words; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the warning, from 0.
 * @return The warning, or NULL.
 */
POSTRUN_API const char *postrun_assessment_warning(postrun_assessment *a, size_t i);

/** Causes and recommendations an assessment shows unless told otherwise. */
#define POSTRUN_DEFAULT_LIMIT 6

/**
 * Sets how many causes and how many recommendations @p a shows (its counts, accessors and
 * output): the first @p max_items of each, most important first, or every one with 0. New
 * assessments show ::POSTRUN_DEFAULT_LIMIT. Red flags, withdrawals, warnings and assumptions
 * are never cut. May be called before or after postrun_assess().
 * @param a The assessment.
 * @param max_items How many of each to show; 0 for all.
 * @return ::POSTRUN_OK, or ::POSTRUN_ERR_ARGUMENT when @p a is NULL.
 */
POSTRUN_API postrun_status postrun_assessment_set_limit(postrun_assessment *a, size_t max_items);

/**
 * How likely cause @p i is, in words ("very likely", "likely", "possible", "less likely"),
 * from the knowledge base's likelihood_* thresholds on its score. Scores rank causes; they are
 * not calibrated probabilities, so people should be shown these words.
 * @param a The assessment.
 * @param i Index of the cause, from 0.
 * @return The word, or NULL when out of range or when the knowledge base defines no
 *         thresholds.
 */
POSTRUN_API const char *postrun_assessment_likelihood(const postrun_assessment *a, size_t i);

/**
 * Number of notes (general caveats).
 * @param a The assessment.
 * @return The number of notes.
 */
POSTRUN_API size_t postrun_assessment_note_count(const postrun_assessment *a);
/**
 * Note @p i; NULL when out of range.
 * @param a The assessment.
 * @param i Index of the note, from 0.
 * @return The note, or NULL.
 */
POSTRUN_API const char *postrun_assessment_note(postrun_assessment *a, size_t i);
/**@}*/

/** @name Output */
/**@{*/

/** Output formats. */
typedef enum postrun_format {
    POSTRUN_FORMAT_YAML = 0,
    POSTRUN_FORMAT_JSON = 1,
    POSTRUN_FORMAT_TEXT = 2
} postrun_format;

/** Render flags. */
enum {
    /** Text format: add every contribution of every cause. */
    POSTRUN_RENDER_EXPLAIN = 1u << 0,
    /** Text format: use ANSI colours (the caller decides, e.g. isatty and NO_COLOR). */
    POSTRUN_RENDER_COLOR = 1u << 1,
    /** YAML/JSON: write on one line where the format allows (JSON Lines). */
    POSTRUN_RENDER_COMPACT = 1u << 2
};

/** Receives rendered output; returns 0 on success, non-zero to stop with ::POSTRUN_ERR_IO. */
typedef int (*postrun_write_fn)(void *userdata, const char *data, size_t len);

/**
 * Renders @p a in @p format through @p write.
 * @param a The assessment.
 * @param format The output format.
 * @param flags A combination of the POSTRUN_RENDER_ flags, or 0.
 * @param write Called with each piece of output, in order.
 * @param userdata Passed to every call of @p write.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_assessment_write(postrun_assessment *a, postrun_format format,
                                                    unsigned flags, postrun_write_fn write,
                                                    void *userdata, postrun_error *err);

/**
 * Renders @p a into a new NUL-terminated buffer; free it with postrun_free().
 * @p len may be NULL (the length is not written).
 * @param a The assessment.
 * @param format The output format.
 * @param flags A combination of the POSTRUN_RENDER_ flags, or 0.
 * @param out Receives the buffer (only on success).
 * @param len Receives its length without the NUL (may be NULL).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_assessment_render(postrun_assessment *a, postrun_format format,
                                                     unsigned flags, char **out, size_t *len,
                                                     postrun_error *err);
/**
 * Receives the structure of an assessment, event by event: the same walk JSON and YAML
 * output are written from, so a binding can build its own values (tables, dicts) without
 * rendering and parsing text. A callback left NULL is skipped.
 *
 * The document is a map; in a map, each value (a scalar, a map or a sequence) follows its
 * key. Numbers come at full precision (JSON and YAML write them with 4 significant digits,
 * whole from 1000 up); a number with no value (`null` in JSON, such as `load.acwr` without
 * training context) comes as NaN.
 */
typedef struct postrun_visitor {
    /** ::POSTRUN_VISITOR_VERSION, so that the struct can grow without breaking callers. */
    unsigned version;
    /** A map begins; its keys and values follow, then map_end. */
    void (*map_begin)(void *userdata);
    /** The innermost open map ends. */
    void (*map_end)(void *userdata);
    /** A sequence begins; its values follow, then seq_end. */
    void (*seq_begin)(void *userdata);
    /** The innermost open sequence ends. */
    void (*seq_end)(void *userdata);
    /** The key of the next value in the open map. */
    void (*key)(void *userdata, const char *key);
    /** A string value. */
    void (*string)(void *userdata, const char *value);
    /** A number value (NaN when it has none). */
    void (*number)(void *userdata, double value);
    /** A yes/no value (0 or 1). */
    void (*boolean)(void *userdata, int value);
} postrun_visitor;

/** The version of ::postrun_visitor this header describes. */
#define POSTRUN_VISITOR_VERSION 1
/** A visitor with every callback NULL: `postrun_visitor v = POSTRUN_VISITOR_INIT;`. */
#define POSTRUN_VISITOR_INIT \
    {POSTRUN_VISITOR_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/**
 * Walks @p a through @p v (texts are rendered first, as for postrun_assessment_render()).
 * Strings are valid during their callback only. The walk itself allocates nothing and holds
 * nothing while a callback runs, so a callback may leave by longjmp (a Lua error) without
 * leaking. Fails with ::POSTRUN_ERR_ARGUMENT when the assessment holds no result or
 * @p v->version is not one this library knows.
 * @param a The assessment.
 * @param v The callbacks (its version set to ::POSTRUN_VISITOR_VERSION).
 * @param userdata Passed to every callback.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_assessment_visit(postrun_assessment *a,
                                                    const postrun_visitor *v, void *userdata,
                                                    postrun_error *err);
/**@}*/

/** @name Activity files */
/**@{*/

/**
 * A decoded activity file (FIT, TCX or GPX 1.0/1.1): its per-sample series and the run summary
 * worked out from it. Immutable once loaded; may be read by several threads.
 */
typedef struct postrun_activity postrun_activity;

/** Flags of ::postrun_activity_options. */
enum {
    /** Accept any sport (cycling, walking, ...); by default only runs are accepted. */
    POSTRUN_ACTIVITY_ANY_SPORT = 1u << 0
};

/** Options of postrun_activity_load(); start from ::POSTRUN_ACTIVITY_OPTIONS_INIT. */
typedef struct postrun_activity_options {
    /** ::POSTRUN_ACTIVITY_OPTIONS_VERSION, so that the struct can grow without breaking callers. */
    unsigned version;
    /** ::POSTRUN_ACTIVITY_ANY_SPORT or 0. */
    unsigned flags;
    /** Maximum heart rate the zones are shares of; 0 = the highest heart rate of the run. */
    double max_hr_bpm;
} postrun_activity_options;

/** The version of ::postrun_activity_options this header describes. */
#define POSTRUN_ACTIVITY_OPTIONS_VERSION 1
/** Default options: runs only, zones from the run's highest heart rate. */
#define POSTRUN_ACTIVITY_OPTIONS_INIT {POSTRUN_ACTIVITY_OPTIONS_VERSION, 0u, 0.0}

/** Number of heart-rate zones of ::postrun_activity_summary. */
#define POSTRUN_HR_ZONES 5

/**
 * What an activity file says about the run. Numbers are NaN when the file does not hold what
 * they need (no heart rate, no altitude, ...). docs/activity-files.md says how each is worked out.
 */
typedef struct postrun_activity_summary {
    const char *format;       /**< "fit", "tcx" or "gpx". */
    const char *sport;        /**< "running", "cycling", ..., or "unknown" when not said. */
    const char *sub_sport;    /**< "trail", "treadmill", ... or "". */
    const char *started_at;   /**< Start time, ISO 8601 UTC ("2019-02-17T10:20:30Z"), or "". */
    double started_at_unix_s; /**< The same in seconds since the Unix epoch. */
    size_t samples;           /**< Samples in the series. */
    double elapsed_min;       /**< First to last sample, pauses included. */
    double moving_min;        /**< Time moving: pauses and stops left out. */
    double distance_km;       /**< Device distance where recorded, else along the positions. */
    int distance_from_device; /**< 1 when distance_km is the device's own distance. */
    double elevation_gain_m;  /**< Climbing, after the noise filter. */
    double elevation_loss_m;  /**< Descending, after the noise filter. */
    double avg_hr_bpm;        /**< Average heart rate over moving time. */
    double max_hr_bpm;        /**< Highest heart rate recorded. */
    double zone_max_hr_bpm;   /**< The maximum heart rate the zones are shares of. */
    double zone_from[POSTRUN_HR_ZONES]; /**< Lower bound of each zone, share of zone_max_hr_bpm. */
    double zone_min[POSTRUN_HR_ZONES];  /**< Moving minutes in each zone (below zone 1: none). */
    double steepest_descent_pct;   /**< Steepest average downhill grade over a sustained stretch. */
    double steepest_descent_m;     /**< Length of that stretch (horizontal metres). */
    double energy_kcal_per_kg;     /**< Grade-adjusted cost of the run, summed per segment. */
    size_t energy_segments;        /**< Segments the cost was summed over. */
    double device_temperature_c;   /**< Average temperature the device recorded (reads high
                                        when worn). */
    double device_elapsed_min;     /**< The device's own summary (FIT session, TCX laps) ... */
    double device_moving_min;      /**< ... timer time, */
    double device_distance_km;     /**< ... distance, */
    double device_avg_hr_bpm;      /**< ... average heart rate, */
    double device_max_hr_bpm;      /**< ... maximum heart rate. */
} postrun_activity_summary;

/** One sample of an activity's series; a value the file does not give is NaN. */
typedef struct postrun_activity_sample {
    unsigned version;     /**< ::POSTRUN_ACTIVITY_SAMPLE_VERSION. */
    double time_s;        /**< Seconds since the first sample. */
    double latitude_deg;  /**< WGS 84 latitude. */
    double longitude_deg; /**< WGS 84 longitude. */
    double altitude_m;    /**< Altitude as recorded (not filtered). */
    double distance_m;    /**< Cumulative distance (the device's, else along the positions). */
    double speed_m_s;     /**< Speed as recorded. */
    double heart_rate_bpm; /**< Heart rate as recorded. */
    double cadence_rpm;   /**< Cadence as recorded (FIT and TCX count strides: one foot). */
    double temperature_c; /**< Device temperature. */
    int after_pause;      /**< 1 when the timer was stopped (or the track broken) before it. */
} postrun_activity_sample;

/** The version of ::postrun_activity_sample this header describes. */
#define POSTRUN_ACTIVITY_SAMPLE_VERSION 1
/** Initialiser: `postrun_activity_sample s = POSTRUN_ACTIVITY_SAMPLE_INIT;`. */
#define POSTRUN_ACTIVITY_SAMPLE_INIT {POSTRUN_ACTIVITY_SAMPLE_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/**
 * Decodes an activity file: the format (FIT, TCX, GPX) is told by the content, not the name.
 * With @p data NULL the file at @p path is read; otherwise the @p len bytes at @p data are
 * decoded and @p path (or NULL for "<memory>") names them in messages: @p data may be NULL
 * (then @p path is required), and @p path may be NULL when @p data is given. @p kb supplies the
 * cost curve of the energy estimate. A file that is not an activity, that is truncated or
 * corrupt (messages name the byte offset, or the line and column of XML), or whose sport is
 * not running (unless ::POSTRUN_ACTIVITY_ANY_SPORT) is refused; @p opts may be NULL.
 * @param out Receives the activity (only on success); free it with postrun_activity_free().
 * @param kb Knowledge base whose cost curve the energy estimate uses.
 * @param path The file to read, or the name of @p data in messages (may be NULL then).
 * @param data The file's bytes in memory, or NULL to read @p path.
 * @param len Length of @p data in bytes.
 * @param opts Options, or NULL for ::POSTRUN_ACTIVITY_OPTIONS_INIT.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_activity_load(postrun_activity **out, const postrun_kb *kb,
                                                 const char *path, const void *data, size_t len,
                                                 const postrun_activity_options *opts,
                                                 postrun_error *err);

/**
 * Frees an activity. Accepts NULL.
 * @param act The activity.
 */
POSTRUN_API void postrun_activity_free(postrun_activity *act);

/**
 * The activity's summary (belongs to @p act); NULL when @p act is NULL.
 * @param act The activity.
 * @return The summary, or NULL.
 */
POSTRUN_API const postrun_activity_summary *postrun_activity_get_summary(
    const postrun_activity *act);

/**
 * Number of samples of the series (0 for NULL).
 * @param act The activity.
 * @return The number of samples.
 */
POSTRUN_API size_t postrun_activity_sample_count(const postrun_activity *act);

/**
 * Copies sample @p i into @p out.
 * @param act The activity.
 * @param i Index of the sample, from 0.
 * @param out Receives the sample (its version set: start from its _INIT).
 * @return ::POSTRUN_OK, or ::POSTRUN_ERR_ARGUMENT when @p i is out of range, a pointer is
 *         NULL or @p out's version is not one this library knows.
 */
POSTRUN_API postrun_status postrun_activity_get_sample(const postrun_activity *act, size_t i,
                                                       postrun_activity_sample *out);

/**
 * Fills the fields @p run lacks from @p act: `run.duration_min` (moving time),
 * `run.distance_km`, `run.elevation_gain_m`, `run.elevation_loss_m`, `run.avg_hr_bpm`,
 * `run.surface` (trail, treadmill, track), `environment.temperature_c` (the device's) and
 * `postrun: 1`. A field @p run already holds is kept: a report's own values win, and a value
 * set later replaces the file's. Each value taken from the file becomes an assumption of the
 * assessment that says so. A value outside the report's allowed range is left out with a
 * warning in @p err.
 *
 * The run keeps @p act (which must outlive it; @p act may be NULL, which detaches it) through
 * postrun_run_clear(): every report a ::postrun_stream reads into the run is filled from it
 * before it is validated, so those reports may leave out what the file gives (such as
 * `run.duration_min`).
 * @param run The run to fill.
 * @param act The activity, or NULL to detach one.
 * @param err Receives the values left out, as warnings, and the problems found; may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_set_activity(postrun_run *run,
                                                    const postrun_activity *act,
                                                    postrun_error *err);

/**
 * postrun_activity_load() then postrun_run_set_activity(): a run from a file or memory. As
 * there, @p data may be NULL (the file at @p path is read), @p path may be NULL when @p data
 * is given, and @p opts may be NULL.
 * @param run The run to fill.
 * @param kb Knowledge base whose cost curve the energy estimate uses.
 * @param path The file to read, or the name of @p data in messages.
 * @param data The file's bytes in memory, or NULL to read @p path.
 * @param len Length of @p data in bytes.
 * @param opts Options, or NULL for ::POSTRUN_ACTIVITY_OPTIONS_INIT.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_run_load_activity(postrun_run *run, const postrun_kb *kb,
                                                     const char *path, const void *data,
                                                     size_t len,
                                                     const postrun_activity_options *opts,
                                                     postrun_error *err);
/**@}*/

/** @name History */
/**@{*/

/**
 * The runs before the one assessed (docs/history.md): run reports and activity files of one
 * athlete, in time order. Built once by a ::postrun_history_builder; immutable afterwards and,
 * like a knowledge base, may be shared by any number of threads. It keeps a pointer to its
 * knowledge base, which must outlive it.
 *
 * Every entry needs `run.started_at` (activity files carry it). Entries may be added in any
 * order: the history sorts them by start time. Two entries that start within a minute of
 * each other are the same run given twice (say a report and its watch file): building fails
 * with ::POSTRUN_ERR_DUPLICATE naming both.
 */
typedef struct postrun_history postrun_history;

/** Collects the runs of a history before building it. */
typedef struct postrun_history_builder postrun_history_builder;

/**
 * Creates an empty history builder.
 * @param out Receives the builder (only on success).
 * @param kb Knowledge base the runs are checked and modelled with (must outlive the history).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_history_builder_new(postrun_history_builder **out,
                                                       const postrun_kb *kb, postrun_error *err);

/**
 * Adds one run report to the history (what the history needs of it is copied: @p run may be
 * freed or reused afterwards). The report is validated as for postrun_assess() and must give
 * `run.started_at`.
 * @param b The builder.
 * @param run The run report.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_history_builder_add_run(postrun_history_builder *b,
                                                          const postrun_run *run,
                                                          postrun_error *err);

/**
 * Adds every run of a file: a YAML stream of run reports (`.yaml`, `.yml`) or an activity file
 * (`.fit`, `.tcx`, `.gpx`); or, for a directory, every such file in it, in name order (not
 * recursively). Errors name the file and, for a stream, the document's line.
 * @param b The builder.
 * @param path A file or a directory.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_history_builder_add_path(postrun_history_builder *b,
                                                           const char *path, postrun_error *err);

/**
 * Sorts the runs and works out what each left (the glycogen each run used is carried to the
 * next). The builder is emptied and can be freed or reused.
 * @param b The builder.
 * @param out Receives the history (only on success); free it with postrun_history_free().
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_history_builder_build(postrun_history_builder *b,
                                                        postrun_history **out,
                                                        postrun_error *err);

/**
 * Frees a builder. Accepts NULL.
 * @param b The builder, or NULL.
 */
POSTRUN_API void postrun_history_builder_free(postrun_history_builder *b);

/**
 * Frees a history. Every assessment made with it keeps no pointer to it. Accepts NULL.
 * @param h The history, or NULL.
 */
POSTRUN_API void postrun_history_free(postrun_history *h);

/**
 * Number of runs in the history (0 for NULL).
 * @param h The history.
 * @return The number of runs.
 */
POSTRUN_API size_t postrun_history_count(const postrun_history *h);

/**
 * Assesses @p run as postrun_assess() does, in the light of the runs of @p h that started
 * before it: the load of the last 7 and 28 days fills `recent:` when the report gives neither
 * week (an assumption says so), earlier weigh-ins calibrate the predicted sweat rate
 * (`fluid.method: predicted_personal`), the glycogen the last runs used lowers the starting
 * store, a similar downhill run within weeks lowers the soreness risk, and recurring symptoms
 * of long runs become patterns. The history.* metrics hold the figures. @p h may be NULL (then
 * this is postrun_assess()). With a history the report must give `run.started_at`.
 * @param a The assessment that receives the result.
 * @param run The run report to assess (not changed).
 * @param h The history, or NULL.
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_assess_with_history(postrun_assessment *a,
                                                       const postrun_run *run,
                                                       const postrun_history *h,
                                                       postrun_error *err);

/**
 * Renders the athlete's trends (weekly distance, acute:chronic ratios, monotony and strain,
 * the personal sweat factor, recurring symptoms) as of the last run of @p h, into a new
 * NUL-terminated buffer; free it with postrun_free(). @p len may be NULL.
 * @param h The history.
 * @param format The output format.
 * @param out Receives the buffer (only on success).
 * @param len Receives its length without the NUL (may be NULL).
 * @param err Receives the problems found (see postrun_error_count()); may be NULL.
 * @return ::POSTRUN_OK, or the status of the first error.
 */
POSTRUN_API postrun_status postrun_history_render(const postrun_history *h,
                                                  postrun_format format, char **out,
                                                  size_t *len, postrun_error *err);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* POSTRUN_H */
