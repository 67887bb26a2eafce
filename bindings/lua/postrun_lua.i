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

/* Handles, read safely. SWIG's own conversion takes any userdata for a swig_lua_userdata (a
 * file handle crashed it) and any light userdata for any pointer, and its __gc frees without
 * forgetting (a second call through the metatable, or a use after a finaliser resurrected the
 * object, touched freed memory). Here a handle is a full userdata whose metatable is its
 * class's own; once released its pointer is NULL, so a later use is a clear error. */
static swig_type_info *pb_lua_handle_types[6];

/* checkfn of the handle typemaps: their bodies check, with a message in plain words. */
static int pb_lua_any(lua_State *L, int idx)
{
  (void)L;
  (void)idx;
  return 1;
}

static int pb_lua_is_handle_of(lua_State *L, int idx, swig_type_info *ty)
{
  if (!ty || !ty->clientdata || lua_type(L, idx) != LUA_TUSERDATA ||
      lua_rawlen(L, idx) < sizeof(swig_lua_userdata) || !lua_getmetatable(L, idx))
    return 0;
  SWIG_Lua_get_class_metatable(L, ((swig_lua_class *)ty->clientdata)->fqname);
  int same = lua_istable(L, -1) && lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same && ((swig_lua_userdata *)lua_touserdata(L, idx))->type == ty;
}

/* The object of handle @p idx of type @p ty; NULL with *why set when it is not one (nil is
 * NULL with why = 0 when @p nil_ok). */
static void *pb_lua_handle(lua_State *L, int idx, swig_type_info *ty, int nil_ok,
                           const char **why)
{
  *why = NULL;
  if (nil_ok && lua_isnoneornil(L, idx))
    return NULL;
  if (!pb_lua_is_handle_of(L, idx, ty)) {
    *why = "";
    return NULL;
  }
  void *p = ((swig_lua_userdata *)lua_touserdata(L, idx))->ptr;
  if (!p)
    *why = " (this one was already released by the garbage collector)";
  return p;
}

static void pb_lua_push_handle_error(lua_State *L, const char *func, int argnum,
                                     const char *what, const char *why)
{
  char msg[300];
  if (why && why[0])
    snprintf(msg, sizeof msg, "%s: argument %d must be %s%s", func, argnum, what, why);
  else
    snprintf(msg, sizeof msg, "%s: argument %d must be %s, not a %s", func, argnum, what,
             lua_type(L, argnum) == LUA_TUSERDATA ? "userdata of another kind"
                                                  : luaL_typename(L, argnum));
  pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, msg);
}

/* The finaliser of every handle class: frees once, forgets, ignores foreign userdata. */
static int pb_lua_handle_gc(lua_State *L)
{
  for (size_t i = 0; i < sizeof pb_lua_handle_types / sizeof pb_lua_handle_types[0]; i++) {
    swig_type_info *ty = pb_lua_handle_types[i];
    if (pb_lua_is_handle_of(L, 1, ty)) {
      swig_lua_userdata *u = (swig_lua_userdata *)lua_touserdata(L, 1);
      swig_lua_class *c = (swig_lua_class *)ty->clientdata;
      void *p = u->ptr;
      int own = u->own;
      u->ptr = NULL;
      u->own = 0;
      if (own && p && c->destructor)
        c->destructor(p);
      break;
    }
  }
  return 0;
}

/* Puts pb_lua_handle_gc in every handle class's metatable and hides the metatable from
 * scripts (getmetatable gives a string), so __gc cannot be called from script code. */
static void pb_lua_harden_handles(lua_State *L)
{
  pb_lua_handle_types[0] = SWIGTYPE_p_pb_kb;
  pb_lua_handle_types[1] = SWIGTYPE_p_pb_builder;
  pb_lua_handle_types[2] = SWIGTYPE_p_pb_run;
  pb_lua_handle_types[3] = SWIGTYPE_p_pb_assessment;
  pb_lua_handle_types[4] = SWIGTYPE_p_pb_stream;
  pb_lua_handle_types[5] = SWIGTYPE_p_pb_history;
  for (size_t i = 0; i < sizeof pb_lua_handle_types / sizeof pb_lua_handle_types[0]; i++) {
    swig_type_info *ty = pb_lua_handle_types[i];
    if (!ty->clientdata)
      continue;
    SWIG_Lua_get_class_metatable(L, ((swig_lua_class *)ty->clientdata)->fqname);
    if (lua_istable(L, -1)) {
      lua_pushcfunction(L, pb_lua_handle_gc);
      lua_setfield(L, -2, "__gc");
      lua_pushliteral(L, "postrun handle");
      lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
  }
}
%}

/* Strings that reach C as C strings (paths, ids, field paths, values): a NUL byte would cut
 * them short silently ("run.yaml\0.txt" would read run.yaml), so it is refused. */
%typemap(in, checkfn="SWIG_lua_isnilstring") const char * {
  size_t len_ = 0;
  $1 = ($1_ltype)lua_tolstring(L, $input, &len_);
  if ($1 && strlen($1) != len_) {
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT,
                        "$symname: argument $argnum holds a NUL byte (\\0), which no path, id "
                        "or value may hold");
    SWIG_fail;
  }
}

/* Handle arguments the C API does not take (the bind.h constructors' knowledge base, a
 * stream, an assessment to fill): the same checks; nil only where C accepts NULL. */
%define %pb_lua_handle_arg(TYPE, WHAT, NILOK)
%typemap(in, checkfn="pb_lua_any") TYPE {
  const char *why_;
  $1 = ($1_ltype)pb_lua_handle(L, $input, $descriptor, NILOK, &why_);
  if (why_) {
    pb_lua_push_handle_error(L, "$symname", $argnum, WHAT, why_);
    SWIG_fail;
  }
}
%typemap(typecheck) TYPE "$1 = lua_isuserdata(L, $input) || lua_isnil(L, $input);";
%enddef
%pb_lua_handle_arg(pb_kb *kb, "a knowledge base", 1)
%pb_lua_handle_arg(const pb_kb *kb, "a knowledge base", 0)
%pb_lua_handle_arg(pb_builder *b, "a knowledge-base builder", 0)
%pb_lua_handle_arg(pb_run *run, "a run report", 0)
%pb_lua_handle_arg(pb_assessment *a, "an assessment", 0)
%pb_lua_handle_arg(pb_stream *s, "a stream", 0)
%pb_lua_handle_arg(const pb_stream *s, "a stream", 0)
%pb_lua_handle_arg(pb_history *h, "a history", 1)
%pb_lua_handle_arg(const pb_history *h, "a history", 0)

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

/* Yes/no arguments (run_set_bool's value) take booleans. */
%typemap(in, checkfn="pb_lua_is_flag") int value {
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
  const char *why_;
  argp = pb_lua_handle(L, $input, $descriptor(HANDLE *), 0, &why_);
  if (!argp) {
    pb_lua_push_handle_error(L, "$symname", $argnum, WHAT, why_);
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
      size_t len_ = 0;
      int t_ = lua_rawgeti(L, $input, i_);
      list_[i_ - 1] = t_ == LUA_TSTRING ? lua_tolstring(L, -1, &len_) : NULL;
      lua_pop(L, 1);
      if (!list_[i_ - 1]) {
        pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, "$symname: expected a list of paths");
        SWIG_fail;
      }
      if (strlen(list_[i_ - 1]) != len_) {
        pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT,
                            "$symname: a path holds a NUL byte (\\0)");
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

/* The same for a versioned struct: the library fills only a version it knows. */
%define %pb_out_versioned(TYPEMAP, CTYPE, VERSION, PUSH)
%typemap(in, numinputs=0) TYPEMAP (CTYPE temp) {
  memset(&temp, 0, sizeof temp);
  temp.version = VERSION;
  $1 = ($1_ltype)&temp;
}
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
%pb_out_versioned(TYPEMAP, postrun_kb_entry_info, POSTRUN_KB_ENTRY_INFO_VERSION, pb_lua_push_entry)
%enddef
%define %pb_out_red_flag(TYPEMAP)
%pb_out_versioned(TYPEMAP, postrun_red_flag, POSTRUN_RED_FLAG_VERSION, pb_lua_push_red_flag)
%enddef
%define %pb_out_cause(TYPEMAP)
%pb_out_versioned(TYPEMAP, postrun_cause, POSTRUN_CAUSE_VERSION, pb_lua_push_cause)
%enddef
%define %pb_out_contribution(TYPEMAP)
%pb_out_versioned(TYPEMAP, postrun_contribution, POSTRUN_CONTRIBUTION_VERSION, pb_lua_push_contribution)
%enddef
%define %pb_out_recommendation(TYPEMAP)
%pb_out_versioned(TYPEMAP, postrun_recommendation, POSTRUN_RECOMMENDATION_VERSION, pb_lua_push_recommendation)
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
  const char *why;
  void *p = pb_lua_handle(L, idx, SWIGTYPE_p_pb_kb, 0, &why);
  if (!p) {
    pb_lua_push_handle_error(L, "postrun", idx, "a knowledge base", why);
    lua_error(L);
  }
  return (pb_kb *)p;
}

static pb_history *pb_lua_check_history(lua_State *L, int idx, const char *func)
{
  const char *why;
  void *p = pb_lua_handle(L, idx, SWIGTYPE_p_pb_history, 0, &why);
  if (!p) {
    pb_lua_push_handle_error(L, func, idx, "a history", why);
    lua_error(L);
  }
  return (pb_history *)p;
}

static int pb_lua_w_assess_table(lua_State *L)
{
  pb_kb *kb = pb_lua_check_kb(L, 1);
  pb_history *h = NULL;
  if (lua_istable(L, 3)) { /* options.history: a history handle */
    lua_getfield(L, 3, "history");
    if (!lua_isnil(L, -1))
      h = pb_lua_check_history(L, lua_gettop(L), "assess");
    lua_pop(L, 1);
  }
  return pb_lua_assess_table(L, kb, 2, 3, h);
}

static int pb_lua_w_history_add_table(lua_State *L)
{
  return pb_lua_history_add_table(L, pb_lua_check_history(L, 1, "history_add_table"), 2);
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
  const char *why;
  void *p = pb_lua_handle(L, 1, SWIGTYPE_p_pb_stream, 0, &why);
  if (!p) {
    pb_lua_push_handle_error(L, "stream", 1, "a stream", why);
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
%native(history_add_table) int pb_lua_w_history_add_table(lua_State *L);
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
  pb_lua_harden_handles(L);
  pb_lua_open_layer(L);
%}
%enddef
