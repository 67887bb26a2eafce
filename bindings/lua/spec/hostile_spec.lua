-- The Lua module against a careless or hostile script: foreign userdata where a handle is
-- expected, finalisers called by hand or twice, objects resurrected by finalisers, NUL bytes
-- in strings. Each used to crash the interpreter, read freed memory or cut a string short;
-- each must now be a clean error table (or nothing at all), with no object freed twice.

local postrun = require "postrun"
local core = postrun.core

local ROOT = os.getenv("POSTRUN_SOURCE_ROOT") or "."
local RUN = ROOT .. "/examples/runs/01_warm_long_run_muscles_smaller.yaml"

local function settle()
  for _ = 1, 3 do collectgarbage("collect") end
end

local function raises(pattern, f, ...)
  local ok, e = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  assert.is_true(postrun.is_error(e), "expected an error table, got " .. tostring(e))
  assert.equal(core.ERR_ARGUMENT, e.code)
  if pattern then
    assert.truthy(e.message:find(pattern, 1, true), e.message)
  end
  return e
end

local function minimal()
  return {postrun = 1, athlete = {body_mass_kg = 68}, run = {duration_min = 45}}
end

describe("handles", function()
  it("refuse a userdata of another kind (a file handle)", function()
    raises("must be a knowledge base", core.kb_count, io.stdout, core.KIND_CAUSE)
    raises("must be a knowledge base", core.assess_table, io.stdout, minimal())
    raises("must be a knowledge base", core.run_new, io.stderr)
    raises("must be a stream", core.stream_assess_next, io.stdout)
    local kb = core.kb_load(nil, nil)
    raises("must be a run report", core.run_validate, kb)
    raises("must be an assessment", core.assessment_cause_count, kb)
  end)

  it("hide their metatable, so a script cannot reach __gc", function()
    local kb = core.kb_load(nil, nil)
    assert.equal("postrun handle", getmetatable(kb))
    assert.is_false(pcall(setmetatable, kb, {}))
  end)

  it("are freed once even when __gc is called by hand, twice, or on something else", function()
    settle()
    local before = postrun.live_objects("kb")
    local kb = core.kb_load(nil, nil)
    local gc = debug.getmetatable(kb).__gc
    gc(io.stdout)          -- not ours: ignored
    gc({})
    gc(kb)
    assert.equal(before, postrun.live_objects("kb"))
    gc(kb)                 -- a second time: nothing
    raises("already released", core.kb_count, kb, core.KIND_CAUSE)
    kb = nil -- luacheck: ignore
    settle()               -- the collector's own call: nothing either
    assert.equal(before, postrun.live_objects("kb"))
  end)

  -- Lua 5.1 and LuaJIT run no __gc on tables, so a script cannot resurrect a handle there.
  local table_gc = _VERSION ~= "Lua 5.1"
  ;(table_gc and it or pending)("stay safe when a finaliser resurrects them", function()
    settle()
    local before = postrun.live_objects()
    local saved
    do
      local kb = core.kb_load(nil, nil)
      local run = core.run_new(kb)
      setmetatable({kb = kb, run = run}, {__gc = function(t) saved = t end})
    end
    settle()
    assert.is_table(saved)
    -- The handles were finalised in the same cycle: they are released, and say so.
    for _, f in ipairs({function() return core.kb_count(saved.kb, core.KIND_CAUSE) end,
                        function() return core.run_validate(saved.run) end,
                        function() return core.assess_table(saved.kb, minimal()) end}) do
      local ok, e = pcall(f)
      if not ok then
        assert.is_true(postrun.is_error(e))
        assert.truthy(e.message:find("already released", 1, true), e.message)
      end
    end
    saved = nil
    settle()
    assert.equal(before, postrun.live_objects())
  end)
end)

describe("NUL bytes", function()
  it("are refused in paths", function()
    raises("NUL", postrun.kb_load, ROOT .. "/data\0.txt")
    raises("NUL", postrun.assess_file, RUN .. "\0.txt")
    raises("NUL", core.kb_load, nil, {ROOT .. "/examples/kb-overlay/coach.yaml\0x"})
    raises("NUL", core.run_load_file, nil, RUN .. "\0.txt")
  end)

  it("are refused in keys and values of a table, with the field", function()
    local r = minimal()
    r.athlete.sex = "female\0x"
    local ok, e = pcall(postrun.assess, r)
    assert.is_false(ok)
    assert.truthy(e.message:find("NUL", 1, true), e.message)
    r = minimal()
    r.run["intensity\0x"] = "race"
    ok, e = pcall(postrun.assess, r)
    assert.is_false(ok)
    assert.truthy(tostring(e.message):find("NUL", 1, true), e.message)
  end)

  it("are refused in field paths and values through the core setters", function()
    local run = core.run_new(nil)
    raises("NUL", core.run_set_string, run, "athlete.sex\0x", "female")
    raises("NUL", core.run_set_string, run, "athlete.sex", "female\0x")
    raises("NUL", core.run_set_number, run, "athlete.body_mass_kg\0", 70)
  end)
end)
