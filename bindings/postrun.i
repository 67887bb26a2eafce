/*
 * libpostrun: the one SWIG interface from which the Python and the Lua modules are generated.
 *
 * What the target languages see (the "core" module; the idiomatic layers sit on top of it):
 *  - every constant and enumeration of postrun.h, C prefix stripped (ERR_RANGE, KIND_CAUSE,
 *    URGENCY_EMERGENCY, FORMAT_JSON, RENDER_EXPLAIN, VERSION_STRING...);
 *  - the functions of postrun.h that read or change an object, prefix stripped
 *    (kb_count, run_set_number, assessment_cause, assessment_render...), with out-parameters
 *    turned into return values;
 *  - instead of postrun.h's constructors and _free functions, the handles of bind.h
 *    (KnowledgeBase, Run, Assessment, Stream, Builder) created by kb_load, run_new,
 *    assessment_new..., owned by the garbage collector, and accepted wherever the C function
 *    takes the raw object. A child holds a reference on its knowledge base (bind.c).
 *  - A negative postrun_status becomes an exception (Python) or a raised error table (Lua)
 *    carrying code, message, file, line, column, field and every problem recorded.
 *
 * The language-specific typemaps live in python/postrun_python.i and lua/postrun_lua.i; they
 * define the %pb_* macros used below.
 */
#ifdef SWIGLUA
/* One Lua module: `require "postrun"` returns the idiomatic table (lua/postrun.lua, run at
 * load time), which keeps the wrapped functions below as postrun.core. */
%module postrun
#else
%module(package="postrun") postrun_core
#endif

/* postrun_kb_load -> kb_load, POSTRUN_ERR_RANGE -> ERR_RANGE, pb_run_new -> run_new. */
%rename("%(regex:/^(postrun_|POSTRUN_|pb_)(.*)/\\2/)s") "";

%{
#include "postrun.h"
#include "bind.h"
%}

%include "stdint.i"

/* ---- what is not wrapped ---- */

/* Constructors and destructors: the handles of bind.h replace them. */
%ignore postrun_kb_load_default;
%ignore postrun_kb_load;
%ignore postrun_kb_free;
%ignore postrun_kb_builder_new;
%ignore postrun_kb_builder_build;
%ignore postrun_kb_builder_free;
%ignore postrun_run_new;
%ignore postrun_run_parse;
%ignore postrun_run_load_file;
%ignore postrun_run_free;
%ignore postrun_stream_open_file;
%ignore postrun_stream_open_string;
%ignore postrun_stream_next;
%ignore postrun_stream_document;
%ignore postrun_stream_free;
%ignore postrun_assessment_new;
%ignore postrun_assessment_free;
%ignore postrun_assess;
/* The error record is read by the typemaps, never handed out. */
%ignore postrun_error;
%ignore postrun_error_count;
%ignore postrun_error_at;
%ignore postrun_error_format;
%ignore postrun_error_clear;
%ignore POSTRUN_ERROR_INIT;
/* Process-wide and C-only. */
%ignore postrun_set_allocator;
%ignore postrun_free;
%ignore postrun_alloc_fn;
%ignore postrun_write_fn;
%ignore postrun_assessment_write;
/* Callbacks in C: the glue uses them (lua/luaglue.c builds its tables with them). */
%ignore postrun_visitor;
%ignore postrun_assessment_visit;
%ignore POSTRUN_API;
/* Structures handed out as tuples (Python) or tables (Lua) by the out-typemaps. */
/* Activity files: reached through run_load_activity below (the C series accessors are
 * C-only for now). */
%ignore postrun_activity_load;
%ignore postrun_activity_free;
%ignore postrun_activity_get_summary;
%ignore postrun_activity_sample_count;
%ignore postrun_activity_get_sample;
%ignore postrun_run_set_activity;
%ignore postrun_run_load_activity;
%ignore postrun_activity_options;
%ignore postrun_activity_summary;
%ignore postrun_activity_sample;
%ignore POSTRUN_ACTIVITY_OPTIONS_INIT;
/* Histories: reached through the History handle below. */
%ignore postrun_history_builder_new;
%ignore postrun_history_builder_add_run;
%ignore postrun_history_builder_add_path;
%ignore postrun_history_builder_build;
%ignore postrun_history_builder_free;
%ignore postrun_history_free;
%ignore postrun_history_count;
%ignore postrun_history_render;
%ignore postrun_assess_with_history;
%ignore postrun_range;
%ignore postrun_kb_entry_info;
%ignore postrun_red_flag;
%ignore postrun_cause;
%ignore postrun_contribution;
%ignore postrun_recommendation;

/* ---- the handles ---- */

%nodefaultctor pb_kb;
%nodefaultctor pb_builder;
%nodefaultctor pb_run;
%nodefaultctor pb_assessment;
%nodefaultctor pb_stream;
%nodefaultctor pb_history;
%rename(History) pb_history;
%rename(KnowledgeBase) pb_kb;
%rename(Builder) pb_builder;
%rename(Run) pb_run;
%rename(Assessment) pb_assessment;
%rename(Stream) pb_stream;

/* ---- language typemaps (define the %pb_* macros; before the
 * handles are declared, so that their destructors get the typemaps too) ---- */

#if defined(SWIGPYTHON)
%include "python/postrun_python.i"
#elif defined(SWIGLUA)
%include "lua/postrun_lua.i"
#else
#error "libpostrun bindings: only Python and Lua are generated from this interface"
#endif

/* Empty bodies: the fields are not wrapped; %extend needs the struct declared. */
typedef struct pb_kb {} pb_kb;
typedef struct pb_builder {} pb_builder;
typedef struct pb_run {} pb_run;
typedef struct pb_assessment {} pb_assessment;
typedef struct pb_stream {} pb_stream;
typedef struct pb_history {} pb_history;

/* The collector's finaliser drops the language's reference (Python's typemap takes the
 * pointer from the handle once, so a second call frees nothing). */
%extend pb_kb { ~pb_kb() { pb_kb_unref($self); } }
%extend pb_builder { ~pb_builder() { pb_builder_free($self); } }
%extend pb_run { ~pb_run() { pb_run_free($self); } }
%extend pb_assessment { ~pb_assessment() { pb_assessment_free($self); } }
%extend pb_stream { ~pb_stream() { pb_stream_free($self); } }
%extend pb_history { ~pb_history() { pb_history_free($self); } }

/* Every `postrun_error *err`: hidden, and a negative status raises. */
%pb_error_typemaps(postrun_error *err)

/* Handles where the C API takes the raw object, with the check that keeps a call made
 * without the interpreter lock (assess, in another thread) race-free. */
%pb_handle_in(const postrun_kb *kb, pb_kb, kb, "a knowledge base", 1, "")
%pb_handle_in(postrun_kb_builder *b, pb_builder, b, "a knowledge-base builder",
              !atomic_load(&h->busy), "this builder is being compiled in another thread")
%pb_handle_in(const postrun_run *run, pb_run, run, "a run report", 1, "")
%pb_handle_in(postrun_run *run, pb_run, run, "a run report", pb_run_writable(h),
              "this run report is being assessed in another thread and cannot change now")
%pb_handle_in(const postrun_assessment *a, pb_assessment, a, "an assessment",
              !pb_assessment_busy(h), "this assessment is being computed in another thread")
%pb_handle_in(postrun_assessment *a, pb_assessment, a, "an assessment",
              !pb_assessment_busy(h), "this assessment is being computed in another thread")

/* New handles, owned by the target language. */
%pb_handle_out(pb_kb **out, pb_kb)
%pb_handle_out(pb_builder **out, pb_builder)
%pb_handle_out(pb_run **out, pb_run)
%pb_handle_out(pb_assessment **out, pb_assessment)
%pb_handle_out(pb_stream **out, pb_stream)
%pb_handle_out(pb_history **out, pb_history)

/* Lists of paths, and texts with their length. */
%pb_string_list((const char *const *overlays, size_t n_overlays))
%pb_text_in((const char *text, size_t len))

/* Out-parameters (written only when the call succeeds). */
%pb_out_string(const char **out)
%pb_out_string(const char **key)
%pb_out_string(const char **title)
%pb_out_string(const char **id)
%pb_out_string(const char **by)
%pb_out_string(const char **text)
%pb_out_string(const char **name)
%pb_out_number(double *out)
%pb_out_number(double *value)
%pb_out_number(double *low)
%pb_out_number(double *high)
%pb_out_bool(int *out)
%pb_out_position((uint32_t *line, uint32_t *column))
%pb_out_range(postrun_range *out)
%pb_out_entry(postrun_kb_entry_info *out)
%pb_out_red_flag(postrun_red_flag *out)
%pb_out_cause(postrun_cause *out)
%pb_out_contribution(postrun_contribution *out)
%pb_out_recommendation(postrun_recommendation *out)
%pb_out_rendered((char **out, size_t *len))
%pb_out_problem(const postrun_error *)

/* ---- the C API ---- */

%include "postrun.h"

/* ---- bind.h: handles, live objects, status words ---- */

long pb_live_objects(int type);
const char *pb_status_name(int code);
const char *pb_status_class(int code, int kb_context);

%constant int LIVE_KB = PB_KB;
%constant int LIVE_BUILDER = PB_BUILDER;
%constant int LIVE_RUN = PB_RUN;
%constant int LIVE_ASSESSMENT = PB_ASSESSMENT;
%constant int LIVE_STREAM = PB_STREAM;
%constant int LIVE_HISTORY = PB_HISTORY;
%constant int LIVE_ALL = PB_NTYPES;

postrun_status pb_kb_load(pb_kb **out, const char *path, const char *const *overlays,
                          size_t n_overlays, postrun_error *err);
size_t pb_kb_warning_count(const pb_kb *kb);
const postrun_error *pb_kb_warning(const pb_kb *kb, size_t i);
postrun_status pb_builder_new(pb_builder **out, postrun_error *err);
postrun_status pb_builder_build(pb_kb **out, pb_builder *b, postrun_error *err);

postrun_status pb_run_new(pb_run **out, pb_kb *kb, postrun_error *err);
postrun_status pb_run_parse(pb_run **out, pb_kb *kb, const char *text, size_t len,
                            const char *name, postrun_error *err);
postrun_status pb_run_load_file(pb_run **out, pb_kb *kb, const char *path, postrun_error *err);
postrun_status pb_run_load_activity(pb_run *run, pb_kb *kb, const char *path, int any_sport,
                                    postrun_error *err);

postrun_status pb_stream_open_file(pb_stream **out, pb_kb *kb, const char *path,
                                   postrun_error *err);
postrun_status pb_stream_open_string(pb_stream **out, pb_kb *kb, const char *text, size_t len,
                                     const char *name, postrun_error *err);
postrun_status pb_stream_next(pb_run **out, pb_stream *s, postrun_error *err);
size_t pb_stream_document(const pb_stream *s);

postrun_status pb_assessment_new(pb_assessment **out, pb_kb *kb, postrun_error *err);
postrun_status pb_assess(pb_assessment *a, pb_run *run, postrun_error *err);

postrun_status pb_history_new(pb_history **out, pb_kb *kb, postrun_error *err);
postrun_status pb_history_add_run(pb_history *h, pb_run *run, postrun_error *err);
postrun_status pb_history_add_path(pb_history *h, const char *path, postrun_error *err);
postrun_status pb_history_build(pb_history *h, postrun_error *err);
size_t pb_history_size(const pb_history *h);
postrun_status pb_history_render(pb_history *h, int format, char **out, size_t *len,
                                 postrun_error *err);
postrun_status pb_assess_history(pb_assessment *a, pb_run *run, pb_history *h,
                                 postrun_error *err);

/* ---- language extras (dict and table fast paths, error plumbing) ---- */

%pb_language_extras
