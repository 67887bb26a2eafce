/*
 * Lua typemaps for bindings/postrun.i. Included by it; defines the %pb_* macros.
 *
 * - Integers reach Lua as integers (SWIG 4.1 would push 2.0): counts, indexes, line and
 *   column, priorities, enumerations, status codes.
 * - Out-parameters become extra return values; a structure becomes a table with named
 *   fields.
 * - A negative postrun_status raises an error *table* (not a string) with code, status,
 *   class, message, file, line, column, field and problems, whose metatable is
 *   postrun.Error (see luaglue.c): `pcall` returns it as is.
 * - At load time the idiomatic layer (postrun.lua, embedded at build time) runs with this
 *   module as its argument; what it returns is what `require "postrun"` gives.
 */

%{
#include "luaglue.h"

/* SWIG's own argument checks raise strings; ours raise postrun error tables, like every
 * other failure of this module. */
#undef SWIG_check_num_args
#define SWIG_check_num_args(func_name, a, b) \
  if (lua_gettop(L) < (a) || lua_gettop(L) > (b)) { \
    pb_lua_push_arity_error(L, func_name, a, b); \
    goto fail; \
  }
#undef SWIG_fail_arg
#define SWIG_fail_arg(func_name, argnum, type) \
  { \
    pb_lua_push_arg_error(L, func_name, argnum, type, SWIG_Lua_typename(L, argnum)); \
    goto fail; \
  }
%}

/* ---- integers ---- */

%typemap(out) int, long, unsigned int, unsigned long, size_t
  "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";

%typemap(in, checkfn="lua_isnumber") int, long, unsigned int, unsigned long, size_t {
  int isint_;
  lua_Integer v_ = lua_tointegerx(L, $input, &isint_);
  if (!isint_) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "$symname: argument $argnum must be an integer");
    SWIG_fail;
  }
  $1 = ($1_ltype)v_;
}

%typemap(in, checkfn="lua_isnumber") enum SWIGTYPE {
  int isint_;
  lua_Integer v_ = lua_tointegerx(L, $input, &isint_);
  if (!isint_) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "$symname: argument $argnum must be an integer");
    SWIG_fail;
  }
  $1 = ($1_ltype)(int)v_;
}
%typemap(out) enum SWIGTYPE "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";

/* Yes/no arguments (run_set_bool's value, builder_add_string's overlay) take booleans. */
%typemap(in, checkfn="pb_lua_is_flag") int value, int overlay {
  $1 = lua_isboolean(L, $input) ? lua_toboolean(L, $input) : lua_tointeger(L, $input) != 0;
}

/* A status is not a value: success returns nothing, or the out-parameters. A function with
 * a `postrun_error *err` raises in that argument's argout typemap, with every problem; one
 * without (the accessors) raises here, at the very end, once every argument is freed. */
%typemap(out) postrun_status "";
%typemap(ret) postrun_status {
  if (result < 0) {
    pb_lua_push_status(L, "$symname", (int)result);
    return lua_error(L);
  }
}

%define %pb_error_typemaps(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_error temp) {
  memset(&temp, 0, sizeof temp);
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result < 0) {
    pb_lua_push_error(L, "$symname", (int)result, $1);
    SWIG_fail;
  }
}
%typemap(freearg) TYPEMAP "postrun_error_clear($1);";
%enddef

%define %pb_handle_in(TYPEMAP, HANDLE, FIELD, WHAT, CHECK, CHECKMSG)
%typemap(in) TYPEMAP (void *argp = 0) {
  if (!SWIG_IsOK(SWIG_ConvertPtr(L, $input, &argp, $descriptor(HANDLE *), 0)) || !argp) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "$symname: argument $argnum must be " WHAT);
    SWIG_fail;
  }
  {
    HANDLE *h = (HANDLE *)argp;
    if (!(CHECK)) {
      pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, CHECKMSG);
      SWIG_fail;
    }
    $1 = h->FIELD;
  }
}
%enddef

%define %pb_handle_out(TYPEMAP, HANDLE)
%typemap(in, numinputs=0) TYPEMAP (HANDLE *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK)
    SWIG_NewPointerObj(L, *$1, $descriptor(HANDLE *), 1);
  else
    lua_pushnil(L);
  SWIG_arg++;
}
%enddef

%define %pb_string_list(TYPEMAP)
%typemap(in, checkfn="pb_lua_is_list") TYPEMAP {
  $1 = NULL;
  $2 = 0;
  if (!lua_isnoneornil(L, $input)) {
    lua_Integer i_, n_ = (lua_Integer)lua_rawlen(L, $input);
    const char **list_ = (const char **)calloc(n_ ? (size_t)n_ : 1, sizeof *list_);
    if (!list_) {
      pb_lua_push_message(L, POSTRUN_ERR_NOMEM, "out of memory");
      SWIG_fail;
    }
    $1 = ($1_ltype)list_;
    $2 = (size_t)n_;
    for (i_ = 1; i_ <= n_; i_++) {
      /* The table keeps the strings alive for the call. */
      int t_ = lua_rawgeti(L, $input, i_);
      list_[i_ - 1] = t_ == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      lua_pop(L, 1);
      if (!list_[i_ - 1]) {
        pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "$symname: expected a list of paths");
        SWIG_fail;
      }
    }
  }
}
%typemap(freearg) TYPEMAP "free((void *)$1);";
%enddef

%define %pb_text_in(TYPEMAP)
%typemap(in, checkfn="lua_isstring") TYPEMAP {
  size_t n_ = 0;
  if (lua_type(L, $input) != LUA_TSTRING) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "$symname: expected YAML text (a string)");
    SWIG_fail;
  }
  $1 = ($1_ltype)lua_tolstring(L, $input, &n_);
  $2 = n_;
}
%enddef

%define %pb_out_string(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (const char *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) {
    lua_pushstring(L, *$1); /* nil for NULL */
    SWIG_arg++;
  }
}
%enddef

%define %pb_out_number(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (double temp = 0) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) {
    lua_pushnumber(L, (lua_Number)*$1);
    SWIG_arg++;
  }
}
%enddef

%define %pb_out_bool(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (int temp = 0) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) {
    lua_pushboolean(L, *$1);
    SWIG_arg++;
  }
}
%enddef

%define %pb_out_position(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (uint32_t l = 0, uint32_t c = 0) {
  $1 = ($1_ltype)&l;
  $2 = ($2_ltype)&c;
}
%typemap(argout) TYPEMAP {
  lua_pushinteger(L, (lua_Integer)*$1);
  lua_pushinteger(L, (lua_Integer)*$2);
  SWIG_arg += 2;
}
%enddef

%define %pb_out_struct(TYPEMAP, CTYPE, PUSH)
%typemap(in, numinputs=0) TYPEMAP (CTYPE temp) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) {
    PUSH(L, $1);
    SWIG_arg++;
  }
}
%enddef

%define %pb_out_range(TYPEMAP)
%pb_out_struct(TYPEMAP, postrun_range, pb_lua_push_range)
%enddef
%define %pb_out_entry(TYPEMAP)
%pb_out_struct(TYPEMAP, postrun_kb_entry_info, pb_lua_push_entry)
%enddef
%define %pb_out_red_flag(TYPEMAP)
%pb_out_struct(TYPEMAP, postrun_red_flag, pb_lua_push_red_flag)
%enddef
%define %pb_out_cause(TYPEMAP)
%pb_out_struct(TYPEMAP, postrun_cause, pb_lua_push_cause)
%enddef
%define %pb_out_contribution(TYPEMAP)
%pb_out_struct(TYPEMAP, postrun_contribution, pb_lua_push_contribution)
%enddef
%define %pb_out_recommendation(TYPEMAP)
%pb_out_struct(TYPEMAP, postrun_recommendation, pb_lua_push_recommendation)
%enddef

%define %pb_out_rendered(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (char *buf = NULL, size_t n = 0) {
  $1 = ($1_ltype)&buf;
  $2 = ($2_ltype)&n;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) {
    lua_pushlstring(L, *$1, *$2);
    SWIG_arg++;
  }
}
%typemap(freearg) TYPEMAP "if ($1) postrun_free(*$1);";
%enddef

%define %pb_out_problem(TYPE)
%typemap(out) TYPE {
  if ($1)
    pb_lua_push_problem(L, $1);
  else
    lua_pushnil(L);
  SWIG_arg++;
}
%enddef

/* ---- tables in, tables out ---- */

%define %pb_language_extras
%{
/* Argument checks for the native functions below; they raise like every other call. */
static pb_kb *pb_lua_check_kb(lua_State *L, int idx)
{
  void *p = NULL;
  if (!SWIG_IsOK(SWIG_ConvertPtr(L, idx, &p, SWIGTYPE_p_pb_kb, 0)) || !p) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "expected a knowledge base");
    lua_error(L);
  }
  return (pb_kb *)p;
}

static int pb_lua_w_assess_table(lua_State *L)
{
  return pb_lua_assess_table(L, pb_lua_check_kb(L, 1), 2, 3);
}

static int pb_lua_w_assess_yaml(lua_State *L)
{
  return pb_lua_assess_yaml(L, pb_lua_check_kb(L, 1), 2, 3);
}

static int pb_lua_w_assess_file(lua_State *L)
{
  return pb_lua_assess_file(L, pb_lua_check_kb(L, 1), 2);
}

static int pb_lua_w_assess_activity(lua_State *L)
{
  return pb_lua_assess_activity(L, pb_lua_check_kb(L, 1), 2, 3, 4);
}

static int pb_lua_w_render_table(lua_State *L)
{
  return pb_lua_render_table(L, pb_lua_check_kb(L, 1), 2, 3, 4);
}

static int pb_lua_w_check_table(lua_State *L)
{
  return pb_lua_check_table(L, pb_lua_check_kb(L, 1), 2);
}

static int pb_lua_w_stream_next(lua_State *L)
{
  void *p = NULL;
  if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_pb_stream, 0)) || !p) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "expected a stream");
    return lua_error(L);
  }
  return pb_lua_stream_next(L, (pb_stream *)p);
}

static int pb_lua_w_error_metatable(lua_State *L)
{
  pb_lua_error_metatable(L);
  return 1;
}

static int pb_lua_w_json_number(lua_State *L)
{
  pb_lua_push_json_number(L, (double)luaL_checknumber(L, 1));
  return 1;
}

static int pb_lua_w_make_error(lua_State *L)
{
  pb_lua_push_message(L, (int)luaL_checkinteger(L, 1), luaL_checkstring(L, 2));
  return 1;
}
%}

%native(assess_table) int pb_lua_w_assess_table(lua_State *L);
%native(assess_yaml) int pb_lua_w_assess_yaml(lua_State *L);
%native(assess_file) int pb_lua_w_assess_file(lua_State *L);
%native(assess_activity) int pb_lua_w_assess_activity(lua_State *L);
%native(render_table) int pb_lua_w_render_table(lua_State *L);
%native(check_table) int pb_lua_w_check_table(lua_State *L);
%native(stream_assess_next) int pb_lua_w_stream_next(lua_State *L);
%native(error_metatable) int pb_lua_w_error_metatable(lua_State *L);
%native(make_error) int pb_lua_w_make_error(lua_State *L);
%native(json_decode) int pb_lua_json_decode(lua_State *L);
%native(json_number) int pb_lua_w_json_number(lua_State *L);

/* Stack: globals, this module. The layer returns the public module, left on top: it is
 * what SWIG's luaopen returns to require. */
%init %{
  pb_lua_open_layer(L);
%}
%enddef
