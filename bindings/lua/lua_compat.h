/*
 * The Lua 5.3/5.4 C API the glue uses, for Lua 5.1 and LuaJIT (-Dlua=5.1|luajit) and for 5.3:
 * each missing call under its 5.4 name, so that the glue reads as 5.4 code. Included after
 * lua.h and lauxlib.h, and after SWIG's runtime in the wrapper (which defines lua_rawlen and
 * lua_absindex itself for 5.1).
 *
 * Lua 5.1 has no integer subtype: a number is an "integer" when it is integral and within
 * lua_Integer's range, so a flag given as 1.0 is taken as 1 there (5.3 and 5.4 refuse it).
 */
#ifndef POSTRUN_LUA_COMPAT_H
#define POSTRUN_LUA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <string.h>

#if LUA_VERSION_NUM < 504
/* 5.4's user values do not exist before: the glue asks for none. */
#define lua_newuserdatauv(L, size, nuvalue) lua_newuserdata((L), (size))
#endif

#if LUA_VERSION_NUM < 502
#ifndef LUA_OK
#define LUA_OK 0
#endif
#ifndef lua_rawlen
#define lua_rawlen lua_objlen
#endif
#ifndef lua_absindex
#define lua_absindex(L, i) ((i) > 0 || (i) <= LUA_REGISTRYINDEX ? (i) : lua_gettop(L) + (i) + 1)
#endif

/* lua_Integer is ptrdiff_t in 5.1: the doubles that convert to it exactly. */
static inline int pb_compat_integral(double d)
{
    return d == floor(d) && d >= -9007199254740992.0 && d <= 9007199254740992.0;
}

static inline int pb_compat_isinteger(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TNUMBER && pb_compat_integral(lua_tonumber(L, idx));
}
#define lua_isinteger pb_compat_isinteger

static inline lua_Integer pb_compat_tointegerx(lua_State *L, int idx, int *isnum)
{
    int ok = lua_isnumber(L, idx) && pb_compat_integral(lua_tonumber(L, idx));
    if (isnum)
        *isnum = ok;
    return ok ? (lua_Integer)lua_tonumber(L, idx) : 0;
}
#undef lua_tointegerx
#define lua_tointegerx pb_compat_tointegerx

/* 5.3's lua_rawget and lua_rawgeti return the type of the value they push. */
static inline int pb_compat_rawget(lua_State *L, int idx)
{
    (lua_rawget)(L, idx);
    return lua_type(L, -1);
}
#define lua_rawget pb_compat_rawget

static inline int pb_compat_rawgeti(lua_State *L, int idx, lua_Integer n)
{
    (lua_rawgeti)(L, idx, (int)n);
    return lua_type(L, -1);
}
#define lua_rawgeti pb_compat_rawgeti

/* Converts the string as the parser would; pushes the number and returns the string's size
 * plus one, or pushes nothing and returns 0. */
static inline size_t pb_compat_stringtonumber(lua_State *L, const char *s)
{
    lua_pushstring(L, s);
    if (!lua_isnumber(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    lua_Number n = lua_tonumber(L, -1);
    lua_pop(L, 1);
    lua_pushnumber(L, n);
    return strlen(s) + 1;
}
#define lua_stringtonumber pb_compat_stringtonumber

static inline int pb_compat_loadbufferx(lua_State *L, const char *buf, size_t size,
                                        const char *name, const char *mode)
{
    (void)mode; /* the glue loads its own embedded text only */
    return luaL_loadbuffer(L, buf, size, name);
}
#undef luaL_loadbufferx
#define luaL_loadbufferx pb_compat_loadbufferx
#endif

#endif
