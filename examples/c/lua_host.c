/*
 * A C program that embeds Lua 5.4 and gives its scripts libpostrun, with nothing installed:
 * the `postrun` module is linked into the program and preloaded with luaL_requiref, so
 * `require "postrun"` in a script finds it without searching package.cpath.
 *
 *   lua_host SCRIPT.lua [ARGS...]      e.g. lua_host examples/lua/coach.lua
 *
 * Here linking liblua5.4 is right: this program is the Lua host. (An extension module loaded
 * by the lua5.4 interpreter must not link it.) Exit status: the script's, 1 when it fails.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

/* From the Lua binding (bindings/lua), linked in. */
int luaopen_postrun(lua_State *L);

/* Adds a traceback to string errors; error tables (postrun's) are kept as they are. */
static int message_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING)
        luaL_traceback(L, L, lua_tostring(L, 1), 1);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRIPT.lua [ARGS...]\n", argv[0]);
        return 2;
    }
    lua_State *L = luaL_newstate();
    if (!L) {
        fprintf(stderr, "%s: cannot create a Lua state\n", argv[0]);
        return 1;
    }
    luaL_openlibs(L);

    /* package.loaded.postrun = luaopen_postrun(L): require finds it at once. */
    luaL_requiref(L, "postrun", luaopen_postrun, 0);
    lua_pop(L, 1);

    /* The script's `arg` table, as the lua interpreter makes it. */
    lua_createtable(L, argc - 2, 1);
    for (int i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");

    int status = 1;
    lua_pushcfunction(L, message_handler);
    if (luaL_loadfile(L, argv[1]) == LUA_OK) {
        for (int i = 2; i < argc; i++)
            lua_pushstring(L, argv[i]);
        if (lua_pcall(L, argc - 2, 0, -(argc - 2) - 2) == LUA_OK)
            status = 0;
    }
    if (status != 0) /* luaL_tolstring uses __tostring: a postrun error prints file:line */
        fprintf(stderr, "%s: %s\n", argv[0], luaL_tolstring(L, -1, NULL));
    lua_close(L); /* every __gc runs: the library's objects are freed */
    return status;
}
