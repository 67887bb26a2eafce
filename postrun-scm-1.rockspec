-- LuaRocks: `luarocks make` in a checkout builds the Lua module with meson for the Lua that
-- luarocks runs (5.1, 5.3, 5.4 or LuaJIT: -Dlua), libpostrun linked in statically, and
-- installs postrun.so. Needs meson, ninja, a C compiler, SWIG, libyaml and Lua's headers
-- (Debian: tests/install-deps.sh test, plus liblua5.x-dev or libluajit-5.1-dev).
rockspec_format = "3.0"
package = "postrun"
version = "scm-1"
source = {
   url = "git+https://example.invalid/libpostrun.git",
}
description = {
   summary = "Why a runner's body feels the way it does after a run, and what to do about it",
   detailed = [[
Tables in, tables out: postrun.assess{...} estimates fluid and glycogen balance with honest
ranges, ranks the likely causes with an explanation, and gives dosed recovery advice and red
flags, from a knowledge base of plain YAML files. A binding of the C library libpostrun.
]],
   license = "MIT",
   labels = { "running", "sports", "physiology" },
}
dependencies = {
   "lua >= 5.1, < 5.5",
}
build = {
   type = "command",
   build_command = [[
lua_opt=$($(LUA) -e 'print(jit and "luajit" or _VERSION:match("%d%.%d"))') &&
meson setup build-rock --wipe -Dlua=$lua_opt -Ddefault_library=static -Dtests=false \
  -Dbench=false -Dbuildtype=release >/dev/null 2>&1 ||
meson setup build-rock -Dlua=$lua_opt -Ddefault_library=static -Dtests=false \
  -Dbench=false -Dbuildtype=release &&
ninja -C build-rock bindings/lua/postrun.so
]],
   install = {
      lib = { postrun = "build-rock/bindings/lua/postrun.so" },
   },
}
