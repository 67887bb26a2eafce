/*
 * Lua glue under the generated module (see luaglue.h): error values, run reports from
 * tables, assessments as tables, and loading the embedded postrun.lua.
 *
 * Every C resource a call holds (run, assessment, rendered text, problems) lives in a
 * "scratch" userdata with a __gc: if Lua raises while building a table (out of memory),
 * nothing leaks; the normal path frees it at once.
 */
#include "luaglue.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postrun_lua_layer.h"

#define ERROR_MT "postrun.Error"
#define SCRATCH_MT "postrun.scratch"

int pb_lua_is_list(lua_State *L, int idx) { return lua_isnoneornil(L, idx) || lua_istable(L, idx); }

int pb_lua_is_flag(lua_State *L, int idx) { return lua_isboolean(L, idx) || lua_isinteger(L, idx); }

/* ---- error values ---- */

static int error_tostring(lua_State *L)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_getfield(L, 1, "file");
    lua_getfield(L, 1, "line");
    lua_getfield(L, 1, "column");
    const char *file = lua_tostring(L, -3);
    lua_Integer line = lua_tointeger(L, -2), column = lua_tointeger(L, -1);
    lua_pop(L, 3);
    char pos[320] = "";
    if (file && file[0] && line)
        snprintf(pos, sizeof pos, "%.256s:%lld:%lld: ", file, (long long)line, (long long)column);
    else if (file && file[0])
        snprintf(pos, sizeof pos, "%.256s: ", file);
    luaL_addstring(&b, pos);
    lua_getfield(L, 1, "field");
    const char *field = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (field && field[0]) {
        luaL_addstring(&b, field);
        luaL_addstring(&b, ": ");
    }
    lua_getfield(L, 1, "message");
    const char *message = lua_tostring(L, -1);
    lua_pop(L, 1);
    luaL_addstring(&b, message ? message : "libpostrun error");
    lua_getfield(L, 1, "problems");
    lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
    lua_pop(L, 1);
    if (n > 1) {
        char more[64];
        snprintf(more, sizeof more, " (and %lld more problem%s)", (long long)(n - 1),
                 n > 2 ? "s" : "");
        luaL_addstring(&b, more);
    }
    luaL_pushresult(&b);
    return 1;
}

void pb_lua_error_metatable(lua_State *L)
{
    if (luaL_newmetatable(L, ERROR_MT)) {
        lua_pushcfunction(L, error_tostring);
        lua_setfield(L, -2, "__tostring");
    }
}

static void set_str(lua_State *L, const char *key, const char *value)
{
    lua_pushstring(L, value ? value : "");
    lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

/* The fields a problem and an error value share. */
static void set_problem_fields(lua_State *L, const postrun_error *p)
{
    set_int(L, "code", p->code);
    set_str(L, "status", pb_status_name(p->code));
    set_str(L, "severity", p->severity == POSTRUN_SEVERITY_WARNING ? "warning" : "error");
    set_str(L, "message", p->message);
    set_str(L, "file", p->file);
    set_int(L, "line", p->line);
    set_int(L, "column", p->column);
    set_str(L, "field", p->field);
}

void pb_lua_push_problem(lua_State *L, const postrun_error *p)
{
    lua_createtable(L, 0, 8);
    set_problem_fields(L, p);
}

/* The error value: the first problem's fields, the call's status and class, and every
 * problem in `problems`. */
static void push_error_list(lua_State *L, int status, const postrun_error *probs, size_t n,
                            int kb_context)
{
    postrun_error none;
    if (n == 0) {
        memset(&none, 0, sizeof none);
        none.code = (postrun_status)status;
        snprintf(none.message, sizeof none.message, "%s",
                 postrun_strerror((postrun_status)status));
        probs = &none;
        n = 1;
    }
    lua_createtable(L, 0, 11);
    set_problem_fields(L, &probs[0]);
    set_int(L, "code", status);
    set_str(L, "status", pb_status_name(status));
    set_str(L, "class", pb_status_class(status, kb_context));
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pb_lua_push_problem(L, &probs[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "problems");
    pb_lua_error_metatable(L);
    lua_setmetatable(L, -2);
}

static void push_error_record(lua_State *L, int status, const postrun_error *err, int kb_context)
{
    size_t n = postrun_error_count(err);
    postrun_error *copy = NULL;
    if (n) {
        /* A userdata holds the copies: building the tables may raise. */
        copy = lua_newuserdatauv(L, n * sizeof *copy, 0);
        for (size_t i = 0; i < n; i++)
            copy[i] = *postrun_error_at(err, i);
    }
    push_error_list(L, status, copy, n, kb_context);
    if (n)
        lua_remove(L, -2);
}

void pb_lua_push_error(lua_State *L, const char *symname, int status, const postrun_error *err)
{
    push_error_record(L, status, err, pb_is_kb_context(symname));
}

void pb_lua_push_status(lua_State *L, const char *symname, int status)
{
    char message[256];
    snprintf(message, sizeof message, "%s: %s", symname,
             postrun_strerror((postrun_status)status));
    pb_lua_push_message(L, status, message);
}

void pb_lua_push_arity_error(lua_State *L, const char *func, int min, int max)
{
    char message[256];
    if (min == max)
        snprintf(message, sizeof message, "%s takes %d argument%s, got %d", func, min,
                 min == 1 ? "" : "s", lua_gettop(L));
    else
        snprintf(message, sizeof message, "%s takes %d to %d arguments, got %d", func, min, max,
                 lua_gettop(L));
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, message);
}

void pb_lua_push_arg_error(lua_State *L, const char *func, int argnum, const char *expected,
                           const char *got)
{
    /* SWIG names C types ("char const *"); a script writer reads Lua words */
    static const char *const words[][2] = {
        {"char const *", "a string"}, {"char *", "a string"}, {"double", "a number"},
        {"int", "an integer"},        {"size_t", "an integer"}, {"unsigned int", "an integer"},
        {"pb_kb *", "a knowledge base"}, {"pb_run *", "a run report"},
        {"pb_assessment *", "an assessment"}, {"pb_stream *", "a stream"},
        {"pb_builder *", "a knowledge-base builder"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(expected, words[i][0]) == 0) {
            expected = words[i][1];
            break;
        }
    char message[256];
    snprintf(message, sizeof message, "%s: argument %d must be %s, got %s", func, argnum,
             expected, got);
    pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, message);
}

void pb_lua_push_message(lua_State *L, int status, const char *message)
{
    postrun_error p;
    memset(&p, 0, sizeof p);
    p.code = (postrun_status)status;
    snprintf(p.message, sizeof p.message, "%s", message);
    push_error_list(L, status, &p, 1, 0);
}

/* ---- structures ---- */

void pb_lua_push_range(lua_State *L, const postrun_range *r)
{
    lua_createtable(L, 0, 3);
    lua_pushnumber(L, r->low);
    lua_setfield(L, -2, "low");
    lua_pushnumber(L, r->expected);
    lua_setfield(L, -2, "expected");
    lua_pushnumber(L, r->high);
    lua_setfield(L, -2, "high");
}

void pb_lua_push_entry(lua_State *L, const postrun_kb_entry_info *e)
{
    lua_createtable(L, 0, 8);
    set_int(L, "kind", e->kind);
    set_str(L, "id", e->id);
    set_str(L, "name", e->name);
    set_str(L, "description", e->description);
    set_str(L, "file", e->file);
    set_int(L, "line", e->line);
    set_int(L, "column", e->column);
    set_int(L, "n_sources", (lua_Integer)e->n_sources);
}

void pb_lua_push_red_flag(lua_State *L, const postrun_red_flag *f)
{
    lua_createtable(L, 0, 5);
    set_str(L, "id", f->id);
    set_str(L, "name", f->name);
    set_int(L, "urgency", f->urgency);
    set_str(L, "advice", f->advice);
    set_int(L, "n_because", (lua_Integer)f->n_because);
}

void pb_lua_push_cause(lua_State *L, const postrun_cause *c)
{
    lua_createtable(L, 0, 5);
    set_str(L, "id", c->id);
    set_str(L, "name", c->name);
    lua_pushnumber(L, c->score);
    lua_setfield(L, -2, "score");
    set_int(L, "n_explains", (lua_Integer)c->n_explains);
    set_int(L, "n_because", (lua_Integer)c->n_because);
}

void pb_lua_push_contribution(lua_State *L, const postrun_contribution *c)
{
    lua_createtable(L, 0, 5);
    set_int(L, "source", c->kind);
    set_str(L, "ref", c->ref);
    lua_pushnumber(L, c->value);
    lua_setfield(L, -2, "value");
    lua_pushnumber(L, c->weight);
    lua_setfield(L, -2, "weight");
    set_str(L, "text", c->text);
}

void pb_lua_push_recommendation(lua_State *L, const postrun_recommendation *r)
{
    lua_createtable(L, 0, 8);
    set_str(L, "id", r->id);
    set_str(L, "name", r->name);
    set_int(L, "priority", r->priority);
    set_int(L, "when", r->when);
    set_str(L, "text", r->text);
    set_int(L, "n_doses", (lua_Integer)r->n_doses);
    set_int(L, "n_addresses", (lua_Integer)r->n_addresses);
    set_int(L, "n_sources", (lua_Integer)r->n_sources);
}

/* ---- scratch: what one call holds ---- */

typedef struct scratch {
    pb_run *run;
    pb_assessment *a;
    char *buf; /* rendered text */
    size_t len;
    postrun_error err;
    postrun_error *probs; /* problems found while reading a table */
    size_t n, cap;
    int status;
} scratch;

static void scratch_clear(scratch *s)
{
    pb_run_free(s->run);
    pb_assessment_free(s->a);
    postrun_free(s->buf);
    postrun_error_clear(&s->err);
    free(s->probs);
    memset(s, 0, sizeof *s);
}

static int scratch_gc(lua_State *L)
{
    scratch_clear(lua_touserdata(L, 1));
    return 0;
}

static scratch *scratch_new(lua_State *L)
{
    scratch *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    if (luaL_newmetatable(L, SCRATCH_MT)) {
        lua_pushcfunction(L, scratch_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return s;
}

/* Raises the error for the scratch's problems (or its record), freeing what it holds. */
static int raise_scratch(lua_State *L, scratch *s, int status, int kb_context)
{
    if (s->n)
        push_error_list(L, status, s->probs, s->n, kb_context);
    else
        push_error_record(L, status, &s->err, kb_context);
    scratch_clear(s);
    return lua_error(L);
}

static void add_problem(scratch *s, const postrun_error *p)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        postrun_error *np = realloc(s->probs, cap * sizeof *np);
        if (!np) {
            s->status = s->status ? s->status : POSTRUN_ERR_NOMEM;
            return;
        }
        s->probs = np;
        s->cap = cap;
    }
    s->probs[s->n] = *p;
    s->probs[s->n].more_ = NULL;
    s->n++;
    if (!s->status)
        s->status = p->code;
}

/* ---- table -> run report ---- */

enum { PATH_LEN = 256, MAX_KEYS = 64 };

typedef struct walker {
    lua_State *L;
    scratch *s;
    postrun_run *run;
    size_t n_symptoms; /* in the run so far (it starts empty) */
} walker;

static void problem(walker *w, int status, const char *field, const char *fmt, ...)
    PB_PRINTF(4, 5);

static void problem(walker *w, int status, const char *field, const char *fmt, ...)
{
    postrun_error p;
    memset(&p, 0, sizeof p);
    p.code = (postrun_status)status;
    snprintf(p.field, sizeof p.field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p.message, sizeof p.message, fmt, ap);
    va_end(ap);
    add_problem(w->s, &p);
}

/* Records a setter's problems; an unknown path is an unknown key of the report here. */
static void take(walker *w, postrun_status st)
{
    if (st >= 0)
        return;
    size_t n = postrun_error_count(&w->s->err);
    for (size_t i = 0; i < n; i++) {
        postrun_error p = *postrun_error_at(&w->s->err, i);
        if (p.code == POSTRUN_ERR_NOT_FOUND)
            p.code = POSTRUN_ERR_UNKNOWN_KEY;
        add_problem(w->s, &p);
    }
    if (n == 0)
        problem(w, st, "", "%s", postrun_strerror(st));
    postrun_error_clear(&w->s->err);
}

/* A sequence: keys 1..n and nothing else (the empty table is one). */
static int is_array(lua_State *L, int idx)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > n) {
            lua_pop(L, 1);
            return 0;
        }
        count++;
    }
    return count == n;
}

typedef struct key {
    const char *s;
    size_t len;
} key;

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const key *)a)->s, ((const key *)b)->s);
}

/* The string keys of the table at idx, sorted: walking in a fixed order makes the
 * problems (and the run) the same from one run of the program to the next. The strings
 * stay alive in the table. */
static size_t sorted_keys(walker *w, int idx, const char *prefix, key *keys)
{
    lua_State *L = w->L;
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            problem(w, POSTRUN_ERR_TYPE, prefix, "keys must be strings, got a %s key",
                    luaL_typename(L, -1));
            continue;
        }
        if (n == MAX_KEYS) {
            problem(w, POSTRUN_ERR_LIMIT, prefix, "more than %d keys", MAX_KEYS);
            lua_pop(L, 1);
            break;
        }
        keys[n].s = lua_tolstring(L, -1, &keys[n].len);
        if (strlen(keys[n].s) != keys[n].len) {
            /* "intensity\0x" must not stand for "intensity" */
            problem(w, POSTRUN_ERR_TYPE, prefix, "the key \"%s\\0...\" holds a NUL byte",
                    keys[n].s);
            continue;
        }
        n++;
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    return n;
}

static const char *checked_string(walker *w, int idx, const char *path)
{
    size_t len;
    const char *s = lua_tolstring(w->L, idx, &len);
    if (strlen(s) != len) {
        problem(w, POSTRUN_ERR_TYPE, path, "the string holds a NUL byte");
        return NULL;
    }
    return s;
}

static void append(walker *w, const char *path, int idx)
{
    const char *s = checked_string(w, idx, path);
    if (s)
        take(w, postrun_run_append(w->run, path, s, &w->s->err));
}

/* Appends the symptom id at idx; 1 when it was added (the library records a problem for
 * every id it refuses, so no new problem means one more symptom). */
static int append_symptom(walker *w, int idx)
{
    size_t problems = w->s->n;
    append(w, "symptoms", idx);
    if (w->s->n != problems)
        return 0;
    w->n_symptoms++;
    return 1;
}

static void walk_list(walker *w, const char *path, int idx)
{
    lua_State *L = w->L;
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, idx, i) == LUA_TSTRING)
            append(w, path, lua_gettop(L));
        else
            problem(w, POSTRUN_ERR_TYPE, path, "expected a list of ids, got a %s in it",
                    luaL_typename(L, -1));
        lua_pop(L, 1);
    }
}

static void walk_map(walker *w, const char *prefix, int idx, int depth);

static void set_value(walker *w, const char *path, int idx, int depth)
{
    lua_State *L = w->L;
    postrun_status st;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: return;
    case LUA_TBOOLEAN:
        st = postrun_run_set_bool(w->run, path, lua_toboolean(L, idx), &w->s->err);
        break;
    case LUA_TNUMBER:
        st = postrun_run_set_number(w->run, path, (double)lua_tonumber(L, idx), &w->s->err);
        break;
    case LUA_TSTRING: {
        const char *s = checked_string(w, idx, path);
        if (!s)
            return;
        st = postrun_run_set_string(w->run, path, s, &w->s->err);
        break;
    }
    case LUA_TTABLE:
        if (depth == 0)
            walk_map(w, path, idx, 1);
        else if (is_array(L, idx))
            walk_list(w, path, idx);
        else
            problem(w, POSTRUN_ERR_TYPE, path, "expected a single value, got a table of fields");
        return;
    default:
        problem(w, POSTRUN_ERR_TYPE, path, "expected a number, string, boolean or table, got %s",
                luaL_typename(L, idx));
        return;
    }
    take(w, st);
}

static void walk_symptom(walker *w, lua_Integer i, int idx)
{
    lua_State *L = w->L;
    char path[PATH_LEN];
    if (lua_type(L, idx) == LUA_TSTRING) {
        append_symptom(w, idx);
        return;
    }
    pb_symptom_path(path, sizeof path, (size_t)(i - 1), "");
    if (!lua_istable(L, idx)) {
        problem(w, POSTRUN_ERR_TYPE, path, "expected a symptom id or a table with an id, got %s",
                luaL_typename(L, idx));
        return;
    }
    lua_pushliteral(L, "id");
    int t = lua_rawget(L, idx); /* raw, as every read of the report: no metamethod runs */
    if (t != LUA_TSTRING) {
        if (t == LUA_TNIL)
            problem(w, POSTRUN_ERR_MISSING, path, "each symptom needs an id");
        else
            problem(w, POSTRUN_ERR_TYPE, path, "expected a symptom id, got %s",
                    luaL_typename(L, -1));
        lua_pop(L, 1);
        return;
    }
    size_t before = w->n_symptoms;
    if (!append_symptom(w, lua_gettop(L))) {
        lua_pop(L, 1);
        return; /* the id was refused: its details would only repeat the problem */
    }
    lua_pop(L, 1);
    pb_symptom_path(path, sizeof path, before, "");
    key keys[MAX_KEYS];
    size_t n = sorted_keys(w, idx, path, keys);
    for (size_t k = 0; k < n; k++) {
        char sub[PATH_LEN];
        if (strcmp(keys[k].s, "id") == 0)
            continue;
        if (!pb_join_path(sub, sizeof sub, path, keys[k].s)) {
            problem(w, POSTRUN_ERR_UNKNOWN_KEY, path, "key '%.60s...' is too long", keys[k].s);
            continue;
        }
        lua_pushlstring(L, keys[k].s, keys[k].len);
        lua_rawget(L, idx);
        if (strcmp(keys[k].s, "where") == 0 && lua_type(L, -1) == LUA_TSTRING)
            append(w, sub, lua_gettop(L)); /* one area written alone, as YAML allows */
        else
            set_value(w, sub, lua_gettop(L), 2);
        lua_pop(L, 1);
    }
}

static void walk_symptoms(walker *w, int idx)
{
    lua_State *L = w->L;
    if (lua_isnil(L, idx))
        return;
    if (!lua_istable(L, idx) || !is_array(L, idx)) {
        problem(w, POSTRUN_ERR_TYPE, "symptoms",
                "expected a list of symptoms (ids, or tables with an id), got %s",
                lua_istable(L, idx) ? "a table with other keys" : luaL_typename(L, idx));
        return;
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        walk_symptom(w, i, lua_gettop(L));
        lua_pop(L, 1);
    }
}

static void walk_map(walker *w, const char *prefix, int idx, int depth)
{
    lua_State *L = w->L;
    luaL_checkstack(L, 8, "run report nested too deeply");
    key keys[MAX_KEYS];
    size_t n = sorted_keys(w, idx, prefix, keys);
    for (size_t k = 0; k < n; k++) {
        char path[PATH_LEN];
        if (!pb_join_path(path, sizeof path, prefix, keys[k].s)) {
            problem(w, POSTRUN_ERR_UNKNOWN_KEY, prefix, "key '%.60s...' is too long", keys[k].s);
            continue;
        }
        lua_pushlstring(L, keys[k].s, keys[k].len);
        lua_rawget(L, idx);
        if (depth == 0 && strcmp(keys[k].s, "symptoms") == 0)
            walk_symptoms(w, lua_gettop(L));
        else
            set_value(w, path, lua_gettop(L), depth);
        lua_pop(L, 1);
    }
}

static int field_reported(const scratch *s, const char *field)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->probs[i].field, field) == 0)
            return 1;
    return 0;
}

/* Builds s->run from the table at idx. Returns the first problem's status (every problem
 * is in s->probs), or POSTRUN_OK. */
static int build_run(lua_State *L, scratch *s, pb_kb *kb, int idx)
{
    postrun_status st = pb_run_new(&s->run, kb, &s->err);
    if (st != POSTRUN_OK)
        return st;
    walker w = {L, s, s->run->run, 0};
    if (lua_istable(L, idx))
        walk_map(&w, "", idx, 0);
    else
        problem(&w, POSTRUN_ERR_TYPE, "",
                "a run report is a table of sections such as athlete and run, got %s",
                luaL_typename(L, idx));
    if (s->status) {
        /* Required fields never given, unless their problem is already listed. */
        if (postrun_run_validate(s->run->run, &s->err) != POSTRUN_OK) {
            size_t n = postrun_error_count(&s->err);
            for (size_t i = 0; i < n; i++) {
                const postrun_error *p = postrun_error_at(&s->err, i);
                if (!field_reported(s, p->field))
                    add_problem(s, p);
            }
        }
        postrun_error_clear(&s->err);
    }
    return s->status;
}

/* ---- JSON (the library's own rendering) -> tables ---- */

typedef struct jdec {
    lua_State *L;
    const char *p, *end;
    int depth;
} jdec;

static int jfail(jdec *d)
{
    (void)d;
    return -1;
}

static void jspace(jdec *d)
{
    while (d->p < d->end && (*d->p == ' ' || *d->p == '\n' || *d->p == '\r' || *d->p == '\t'))
        d->p++;
}

static int jhex(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void jutf8(luaL_Buffer *b, unsigned cp)
{
    char u[4];
    int n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    luaL_addlstring(b, u, (size_t)n);
}

static int jstring(jdec *d)
{
    const char *start = ++d->p, *q = start;
    while (q < d->end && *q != '"' && *q != '\\')
        q++;
    if (q < d->end && *q == '"') { /* no escapes: the common case */
        lua_pushlstring(d->L, start, (size_t)(q - start));
        d->p = q + 1;
        return 0;
    }
    luaL_Buffer b;
    luaL_buffinit(d->L, &b);
    luaL_addlstring(&b, start, (size_t)(q - start));
    d->p = q;
    while (d->p < d->end && *d->p != '"') {
        char c = *d->p++;
        if (c != '\\') {
            luaL_addchar(&b, c);
            continue;
        }
        if (d->p >= d->end)
            return jfail(d);
        c = *d->p++;
        switch (c) {
        case '"': luaL_addchar(&b, '"'); break;
        case '\\': luaL_addchar(&b, '\\'); break;
        case '/': luaL_addchar(&b, '/'); break;
        case 'b': luaL_addchar(&b, '\b'); break;
        case 'f': luaL_addchar(&b, '\f'); break;
        case 'n': luaL_addchar(&b, '\n'); break;
        case 'r': luaL_addchar(&b, '\r'); break;
        case 't': luaL_addchar(&b, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (d->end - d->p < 4 || jhex(d->p, &cp))
                return jfail(d);
            d->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && d->end - d->p >= 6 && d->p[0] == '\\' &&
                d->p[1] == 'u' && jhex(d->p + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                d->p += 6;
            }
            jutf8(&b, cp);
            break;
        }
        default: return jfail(d);
        }
    }
    if (d->p >= d->end)
        return jfail(d);
    d->p++;
    luaL_pushresult(&b);
    return 0;
}

/* Numbers as Lua reads them: "24" an integer, "0.99" and "1e3" floats. */
static int jnumber(jdec *d)
{
    char tok[64];
    size_t n = 0;
    while (d->p < d->end && n + 1 < sizeof tok && strchr("+-0123456789.eE", *d->p))
        tok[n++] = *d->p++;
    tok[n] = '\0';
    if (n == 0 || lua_stringtonumber(d->L, tok) == 0)
        return jfail(d);
    return 0;
}

static int jvalue(jdec *d);

/* Pushes the value; returns 0, 1 for null (nothing pushed), -1 on bad input. */
static int jcontainer(jdec *d, int object)
{
    lua_State *L = d->L;
    if (++d->depth > 64)
        return jfail(d);
    luaL_checkstack(L, 4, "JSON nested too deeply");
    lua_createtable(L, object ? 0 : 4, object ? 8 : 0);
    d->p++;
    jspace(d);
    lua_Integer i = 1;
    if (d->p < d->end && *d->p == (object ? '}' : ']')) {
        d->p++;
        d->depth--;
        return 0;
    }
    for (;;) {
        jspace(d);
        if (object) {
            if (d->p >= d->end || *d->p != '"' || jstring(d) < 0)
                return jfail(d);
            jspace(d);
            if (d->p >= d->end || *d->p++ != ':')
                return jfail(d);
        }
        int r = jvalue(d);
        if (r < 0)
            return r;
        if (object) {
            if (r == 0)
                lua_rawset(L, -3);
            else
                lua_pop(L, 1); /* null: the key is absent, as nil is in Lua */
        } else {
            if (r == 0)
                lua_rawseti(L, -2, i);
            i++;
        }
        jspace(d);
        if (d->p < d->end && *d->p == ',') {
            d->p++;
            continue;
        }
        if (d->p < d->end && *d->p == (object ? '}' : ']')) {
            d->p++;
            d->depth--;
            return 0;
        }
        return jfail(d);
    }
}

static int jvalue(jdec *d)
{
    jspace(d);
    if (d->p >= d->end)
        return jfail(d);
    switch (*d->p) {
    case '{': return jcontainer(d, 1);
    case '[': return jcontainer(d, 0);
    case '"': return jstring(d);
    case 't':
        if (d->end - d->p >= 4 && memcmp(d->p, "true", 4) == 0) {
            d->p += 4;
            lua_pushboolean(d->L, 1);
            return 0;
        }
        return jfail(d);
    case 'f':
        if (d->end - d->p >= 5 && memcmp(d->p, "false", 5) == 0) {
            d->p += 5;
            lua_pushboolean(d->L, 0);
            return 0;
        }
        return jfail(d);
    case 'n':
        if (d->end - d->p >= 4 && memcmp(d->p, "null", 4) == 0) {
            d->p += 4;
            return 1;
        }
        return jfail(d);
    default: return jnumber(d);
    }
}

/* ---- assessments -> tables, straight from the library's walk ----
 *
 * postrun_assessment_visit() hands over the structure the JSON document is written from;
 * the tables are built from it as the JSON decoder above would build them from the text:
 * the same keys, numbers as the JSON writer rounds them (4 significant digits, whole from
 * 1000 up) read back as Lua reads them (integers stay integers), `null` as an absent key or
 * a hole in a list. spec/tables_spec.lua compares both on every example run. */

enum { TB_DEPTH = 32 };

typedef struct tbuild {
    lua_State *L;
    int depth;
    unsigned char map[TB_DEPTH];
    lua_Integer next[TB_DEPTH]; /* next index of a list */
} tbuild;

static const double POW10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

/* What the JSON writer (pr_render_fmt_num) writes for v, read back with lua_stringtonumber. */
static void push_json_number_slow(lua_State *L, double v)
{
    char buf[400];
    if (fabs(v) >= 1000) {
        snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        snprintf(buf, sizeof buf, "%.4g", v);
        if (strchr(buf, 'e'))
            snprintf(buf, sizeof buf, "%.8f", v);
    }
    if (lua_stringtonumber(L, buf) == 0)
        lua_pushnumber(L, v);
}

void pb_lua_push_json_number(lua_State *L, double v)
{
    double a = fabs(v);
    if (v == 0) {
        lua_pushinteger(L, 0);
        return;
    }
    if (a >= 1000) {
        if (a < 1e15) { /* %.0f: the nearest whole number, ties to even as printf rounds */
            lua_pushinteger(L, (lua_Integer)nearbyint(v));
            return;
        }
    } else if (a >= 1e-4) {
        /* %.4g with exponent x (-4 <= x <= 2): 3 - x decimals. When the scaled value is not
         * near a tie, rounding it once is printf's rounding of the exact value; anything
         * unusual (near a tie, rounding up to a new power of ten) takes printf itself. */
        int x = 2;
        static const double P[] = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
        for (int k = 6; k >= 0 && a < P[k]; k--)
            x = k - 5;
        int dec = 3 - x;
        double t = v * POW10[dec], r = nearbyint(t), frac = fabs(t - trunc(t));
        double ar = fabs(r);
        if (fabs(frac - 0.5) > 1e-6 && ar >= 1000 && ar < 10000) {
            double whole = r / POW10[dec];
            if (whole == trunc(whole))
                lua_pushinteger(L, (lua_Integer)whole);
            else
                lua_pushnumber(L, whole); /* r / 10^dec: exactly strtod of the decimal text */
            return;
        }
    }
    push_json_number_slow(L, v);
}

/* The value on top of the stack belongs to the container under it (after its key in a map). */
static void tb_store(tbuild *b)
{
    if (b->depth == 0)
        return; /* the document itself */
    if (b->map[b->depth - 1])
        lua_rawset(b->L, -3);
    else
        lua_rawseti(b->L, -2, b->next[b->depth - 1]++);
}

static void tb_open(tbuild *b, int map)
{
    if (b->depth == TB_DEPTH)
        luaL_error(b->L, "assessment nested too deeply");
    luaL_checkstack(b->L, 4, "assessment nested too deeply");
    lua_createtable(b->L, map ? 0 : 4, map ? 8 : 0);
    b->map[b->depth] = (unsigned char)map;
    b->next[b->depth] = 1;
    b->depth++;
}

static void tb_close(void *ud)
{
    tbuild *b = ud;
    b->depth--;
    tb_store(b);
}

static void tb_map_begin(void *ud) { tb_open(ud, 1); }
static void tb_seq_begin(void *ud) { tb_open(ud, 0); }

/* Keys are the library's constant strings: lua_pushstring's cache (by address) finds them. */
static void tb_key(void *ud, const char *k) { lua_pushstring(((tbuild *)ud)->L, k); }

static void tb_string(void *ud, const char *s)
{
    tbuild *b = ud;
    lua_pushlstring(b->L, s, strlen(s)); /* texts: new every time, the cache would only miss */
    tb_store(b);
}

static void tb_number(void *ud, double v)
{
    tbuild *b = ud;
    if (isnan(v)) { /* null: an absent key, or a hole in a list */
        if (b->depth && b->map[b->depth - 1])
            lua_pop(b->L, 1);
        else if (b->depth)
            b->next[b->depth - 1]++;
        return;
    }
    pb_lua_push_json_number(b->L, v);
    tb_store(b);
}

static void tb_boolean(void *ud, int v)
{
    tbuild *b = ud;
    lua_pushboolean(b->L, v);
    tb_store(b);
}

static const postrun_visitor TABLE_BUILDER = {POSTRUN_VISITOR_VERSION,
                                              tb_map_begin, tb_close, tb_seq_begin, tb_close,
                                              tb_key,       tb_string, tb_number,   tb_boolean};

/* Pushes assessment a as a table. Lua may raise meanwhile (out of memory): the walk holds
 * nothing, and the scratch owns the C objects. */
static int push_assessment(lua_State *L, postrun_assessment *a, postrun_error *err)
{
    tbuild b;
    memset(&b, 0, sizeof b);
    b.L = L;
    int top = lua_gettop(L);
    postrun_status st = postrun_assessment_visit(a, &TABLE_BUILDER, &b, err);
    if (st != POSTRUN_OK || b.depth != 0 || lua_gettop(L) != top + 1) {
        lua_settop(L, top);
        return st != POSTRUN_OK ? st : POSTRUN_ERR_ARGUMENT;
    }
    return POSTRUN_OK;
}

/* ---- assessing ---- */

/* Assesses s->run with kb; pushes the assessment as a table. Returns POSTRUN_OK, or a
 * status with s->err filled (nothing pushed). */
static int assess_limit_history(lua_State *L, scratch *s, pb_kb *kb, size_t limit,
                                pb_history *h)
{
    postrun_status st = pb_assessment_take(&s->a, kb, &s->err);
    if (st == POSTRUN_OK)
        st = postrun_assessment_set_limit(s->a->a, limit);
    if (st == POSTRUN_OK)
        st = h ? pb_assess_history(s->a, s->run, h, &s->err) : pb_assess(s->a, s->run, &s->err);
    if (st == POSTRUN_OK)
        st = push_assessment(L, s->a->a, &s->err);
    return st;
}

static int assess_limit(lua_State *L, scratch *s, pb_kb *kb, size_t limit)
{
    postrun_status st = pb_assessment_take(&s->a, kb, &s->err);
    if (st == POSTRUN_OK)
        st = postrun_assessment_set_limit(s->a->a, limit);
    if (st == POSTRUN_OK)
        st = pb_assess(s->a, s->run, &s->err);
    if (st == POSTRUN_OK)
        st = push_assessment(L, s->a->a, &s->err);
    return st;
}

static int assess_push(lua_State *L, scratch *s, pb_kb *kb)
{
    return assess_limit(L, s, kb, POSTRUN_DEFAULT_LIMIT);
}

/* The JSON text of an assessment decoded into tables, as assessments were once returned:
 * kept for the spec that compares both (core.json_decode). Raises on bad JSON. */
int pb_lua_json_decode(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    jdec d = {L, text, text + len, 0};
    int r = jvalue(&d);
    if (r < 0)
        return luaL_error(L, "bad JSON at byte %d", (int)(d.p - text));
    if (r == 1)
        lua_pushnil(L);
    return 1;
}

/* The result table moves below the scratch, which is freed now. */
static int finish(lua_State *L, scratch *s)
{
    scratch_clear(s);
    return 1;
}

int pb_lua_assess_table(lua_State *L, pb_kb *kb, int idx, int idx_options, pb_history *h)
{
    idx = lua_absindex(L, idx);
    /* options: {all = true} lists every cause and recommendation. */
    size_t limit = POSTRUN_DEFAULT_LIMIT;
    if (!lua_isnoneornil(L, idx_options)) {
        if (!lua_istable(L, idx_options)) {
            pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT,
                                "options must be a table such as {all = true}");
            return lua_error(L);
        }
        lua_getfield(L, idx_options, "all");
        if (lua_toboolean(L, -1))
            limit = 0;
        lua_pop(L, 1);
    }
    scratch *s = scratch_new(L);
    int st = build_run(L, s, kb, idx);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    if ((st = assess_limit_history(L, s, kb, limit, h)) != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    return finish(L, s);
}

int pb_lua_history_add_table(lua_State *L, pb_history *h, int idx)
{
    idx = lua_absindex(L, idx);
    scratch *s = scratch_new(L);
    int st = build_run(L, s, h->kb, idx);
    if (st == POSTRUN_OK)
        st = pb_history_add_run(h, s->run, &s->err);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    scratch_clear(s);
    return 0;
}

int pb_lua_check_table(lua_State *L, pb_kb *kb, int idx)
{
    idx = lua_absindex(L, idx);
    scratch *s = scratch_new(L);
    int st = build_run(L, s, kb, idx);
    if (st == POSTRUN_OK)
        st = postrun_run_validate(s->run->run, &s->err);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    scratch_clear(s);
    lua_pushboolean(L, 1);
    return 1;
}

/* A string argument; without @p len (a path or a name, which C reads up to its NUL) one
 * holding a NUL byte is refused rather than cut short. */
static const char *arg_string(lua_State *L, int idx, size_t *len, const char *what)
{
    if (lua_type(L, idx) != LUA_TSTRING) {
        pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, what);
        lua_error(L);
    }
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    if (len) {
        *len = n;
    } else if (strlen(s) != n) {
        char msg[200];
        snprintf(msg, sizeof msg, "argument %d holds a NUL byte (\\0), which no path or name may hold",
                 idx);
        pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT, msg);
        lua_error(L);
    }
    return s;
}

int pb_lua_assess_yaml(lua_State *L, pb_kb *kb, int idx_text, int idx_name)
{
    size_t len;
    const char *text = arg_string(L, idx_text, &len, "expected YAML text (a string)");
    const char *name = lua_isnoneornil(L, idx_name)
                           ? "<string>"
                           : arg_string(L, idx_name, NULL, "the name must be a string");
    scratch *s = scratch_new(L);
    int st = pb_run_parse(&s->run, kb, text, len, name, &s->err);
    if (st == POSTRUN_OK)
        st = assess_push(L, s, kb);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    return finish(L, s);
}

int pb_lua_assess_file(lua_State *L, pb_kb *kb, int idx_path)
{
    const char *path = arg_string(L, idx_path, NULL, "expected the path of a run report");
    scratch *s = scratch_new(L);
    int st = pb_run_load_file(&s->run, kb, path, &s->err);
    if (st == POSTRUN_OK)
        st = assess_push(L, s, kb);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    return finish(L, s);
}

/* The report table at idx_report (or nil) completed from the activity file at idx_path, then
 * assessed; a true value at idx_any accepts any sport. */
int pb_lua_assess_activity(lua_State *L, pb_kb *kb, int idx_path, int idx_report, int idx_any)
{
    idx_report = lua_absindex(L, idx_report);
    const char *path = arg_string(L, idx_path, NULL, "expected the path of an activity file");
    int any = lua_toboolean(L, idx_any);
    scratch *s = scratch_new(L);
    int st = lua_isnoneornil(L, idx_report) ? pb_run_new(&s->run, kb, &s->err)
                                             : build_run(L, s, kb, idx_report);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    st = pb_run_load_activity(s->run, kb, path, any, &s->err);
    if (st == POSTRUN_OK)
        st = assess_push(L, s, kb);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    return finish(L, s);
}

int pb_lua_stream_next(lua_State *L, pb_stream *stream)
{
    scratch *s = scratch_new(L);
    int st = pb_stream_next(&s->run, stream, &s->err);
    if (st == POSTRUN_DONE) {
        scratch_clear(s);
        return 0;
    }
    if (st == POSTRUN_OK) {
        st = assess_push(L, s, stream->kb);
        if (st == POSTRUN_OK) {
            lua_pushboolean(L, 1);
            lua_insert(L, -2);
            scratch_clear(s);
            return 2;
        }
    }
    if (st == POSTRUN_ERR_NOMEM || st == POSTRUN_ERR_IO || st == POSTRUN_ERR_ARGUMENT)
        return raise_scratch(L, s, st, 0);
    /* A bad document: reported, and the stream goes on. */
    lua_pushboolean(L, 0);
    push_error_record(L, st, &s->err, 0);
    scratch_clear(s);
    return 2;
}

int pb_lua_render_table(lua_State *L, pb_kb *kb, int idx, int idx_format, int idx_opts)
{
    idx = lua_absindex(L, idx);
    postrun_format format = POSTRUN_FORMAT_TEXT;
    unsigned flags = 0;
    if (!lua_isnoneornil(L, idx_format)) {
        const char *f = arg_string(L, idx_format, NULL, "the format must be a string");
        if (strcmp(f, "yaml") == 0) {
            format = POSTRUN_FORMAT_YAML;
        } else if (strcmp(f, "json") == 0) {
            format = POSTRUN_FORMAT_JSON;
        } else if (strcmp(f, "text") != 0) {
            pb_lua_push_message(L, POSTRUN_ERR_ARGUMENT,
                                "the format must be \"text\", \"yaml\" or \"json\"");
            return lua_error(L);
        }
    }
    if (lua_istable(L, idx_opts)) {
        static const struct { const char *name; unsigned flag; } opts[] = {
            {"explain", POSTRUN_RENDER_EXPLAIN},
            {"color", POSTRUN_RENDER_COLOR},
            {"compact", POSTRUN_RENDER_COMPACT},
        };
        for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
            lua_getfield(L, idx_opts, opts[i].name);
            if (lua_toboolean(L, -1))
                flags |= opts[i].flag;
            lua_pop(L, 1);
        }
    }
    scratch *s = scratch_new(L);
    int st = build_run(L, s, kb, idx);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    st = pb_assessment_take(&s->a, kb, &s->err);
    if (st == POSTRUN_OK)
        st = pb_assess(s->a, s->run, &s->err);
    if (st == POSTRUN_OK)
        st = postrun_assessment_render(s->a->a, format, flags, &s->buf, &s->len, &s->err);
    if (st != POSTRUN_OK)
        return raise_scratch(L, s, st, 0);
    lua_pushlstring(L, s->buf, s->len);
    return finish(L, s);
}

/* ---- the idiomatic layer ---- */

void pb_lua_open_layer(lua_State *L)
{
    if (luaL_loadbufferx(L, (const char *)pb_lua_layer, sizeof pb_lua_layer - 1, "=postrun.lua",
                         "t") != LUA_OK)
        lua_error(L);
    lua_pushvalue(L, -2); /* the generated module becomes postrun.core */
    lua_call(L, 1, 1);
}
