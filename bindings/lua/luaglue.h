/*
 * Lua glue under the generated module: error values, tables in (run reports through the
 * field-path setters), tables out (the rendered assessment decoded into plain tables), and
 * loading the idiomatic layer (postrun.lua, embedded at build time).
 *
 * The functions that take a table or return one are lua_CFunction bodies: they return the
 * number of results, or raise an error table with lua_error().
 */
#ifndef POSTRUN_LUAGLUE_H
#define POSTRUN_LUAGLUE_H

#include <lauxlib.h>
#include <lua.h>

#include "bind.h"
#include "lua_compat.h"

/* checkfn helpers for the typemaps */
int pb_lua_is_list(lua_State *L, int idx);
int pb_lua_is_flag(lua_State *L, int idx);

/** Pushes the metatable shared by every error value (created once per state). */
void pb_lua_error_metatable(lua_State *L);
/** Pushes one problem as a table (code, status, severity, message, file, line, column,
 *  field). */
void pb_lua_push_problem(lua_State *L, const postrun_error *p);
/** Pushes the error value for @p status and the record @p err (wrapped function @p symname). */
void pb_lua_push_error(lua_State *L, const char *symname, int status, const postrun_error *err);
/** Pushes the error value for a status returned without an error record. */
void pb_lua_push_status(lua_State *L, const char *symname, int status);
/** Pushes the error value for a call with the wrong number of arguments. */
void pb_lua_push_arity_error(lua_State *L, const char *func, int min, int max);
/** Pushes the error value for an argument of the wrong type. */
void pb_lua_push_arg_error(lua_State *L, const char *func, int argnum, const char *expected,
                           const char *got);
/** Pushes the error value for one problem found by the binding. */
void pb_lua_push_message(lua_State *L, int status, const char *message);

/* Structures as tables (integers stay integers). */
void pb_lua_push_range(lua_State *L, const postrun_range *r);
void pb_lua_push_entry(lua_State *L, const postrun_kb_entry_info *e);
void pb_lua_push_red_flag(lua_State *L, const postrun_red_flag *f);
void pb_lua_push_cause(lua_State *L, const postrun_cause *c);
void pb_lua_push_contribution(lua_State *L, const postrun_contribution *c);
void pb_lua_push_recommendation(lua_State *L, const postrun_recommendation *r);

/** kb, table at @p idx -> the assessment as a table. */
int pb_lua_assess_table(lua_State *L, pb_kb *kb, int idx, int idx_options, pb_history *h);
/* Adds the run report table at idx to a history (raises on a bad report). */
int pb_lua_history_add_table(lua_State *L, pb_history *h, int idx);
/** kb, table at @p idx -> true (the run report is valid), or raises. */
int pb_lua_check_table(lua_State *L, pb_kb *kb, int idx);
/** kb, YAML text at @p idx_text (name at @p idx_name, optional) -> table. */
int pb_lua_assess_yaml(lua_State *L, pb_kb *kb, int idx_text, int idx_name);
/** kb, path at @p idx_path -> table. */
int pb_lua_assess_file(lua_State *L, pb_kb *kb, int idx_path);
int pb_lua_assess_activity(lua_State *L, pb_kb *kb, int idx_path, int idx_report, int idx_any);
/**
 * The next document of @p s, assessed: (true, table), (false, error) for a bad document
 * (the stream goes on), or nothing at the end.
 */
int pb_lua_stream_next(lua_State *L, pb_stream *s);
/** kb, table at @p idx, format word at @p idx_format ("text", "yaml", "json"), options
 *  table at @p idx_opts ({explain = true, color = true, compact = true}) -> string. */
int pb_lua_render_table(lua_State *L, pb_kb *kb, int idx, int idx_format, int idx_opts);

/** The module's entry point, defined by SWIG at the end of the wrapper: `require "postrun"`
 *  calls it, and a host program can preload it with luaL_requiref(L, "postrun", ...). */
int luaopen_postrun(lua_State *L);

/** core.json_decode(text): JSON decoded into tables as the library's JSON reads in Lua. */
int pb_lua_json_decode(lua_State *L);
/** Pushes v as the JSON writer writes it and Lua reads it back (integers stay integers). */
void pb_lua_push_json_number(lua_State *L, double v);

/**
 * Runs the embedded postrun.lua with the module table on top of the stack as its argument
 * and leaves what it returns on top. Raises on failure.
 */
void pb_lua_open_layer(lua_State *L);

#endif
