-- Tests of the Lua module (`meson test lua`: busted, with LUA_CPATH_5_4 pointing at the
-- build tree). Tables in, tables out, errors as tables, integers as integers, no leak.

local postrun = require "postrun"
-- Lua 5.1 and LuaJIT have no integer subtype: an integral number counts as an integer there.
local math_type = math.type or function(x)
  if type(x) ~= "number" then return nil end
  return x % 1 == 0 and "integer" or "float"
end
local json = require "dkjson"

local ROOT = os.getenv("POSTRUN_SOURCE_ROOT") or "."
local RUNS = ROOT .. "/examples/runs/"
local CLI = os.getenv("POSTRUN_CLI")

local function report()
  return {
    postrun = 1,
    id = "lua-long-run",
    athlete = {body_mass_kg = 68, sex = "female", vo2max_ml_kg_min = 48, max_hr_bpm = 186},
    run = {duration_min = 125, distance_km = 21.5, intensity = "steady", avg_hr_bpm = 152},
    environment = {temperature_c = 27, relative_humidity_pct = 65, sun = "partial"},
    intake = {fluid_ml = 500, carbohydrate_g = 30, sodium_mg = 200},
    recent = {acute_week_km = 48, chronic_week_km = 45},
    symptoms = {
      {id = "muscles_feel_smaller", severity = 5, onset_h = 0.5, where = {"calves", "quadriceps"}},
      "fatigue",
    },
    observations = {urine_colour = 6, dizziness = false},
  }
end

local function minimal()
  return {postrun = 1, athlete = {body_mass_kg = 68}, run = {duration_min = 45}}
end

local function raises(f, ...)
  local ok, e = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  assert.is_true(postrun.is_error(e), "expected an error table, got " .. tostring(e))
  return e
end

local function settle()
  for _ = 1, 3 do collectgarbage("collect") end
end

local function cli_json(args)
  -- Without the sanitizer runtime an ASan build preloads into lua5.4: the CLI links its own.
  local p = assert(io.popen("env -u LD_PRELOAD " .. CLI .. " assess --format json " .. args ..
                            " 2>/dev/null"))
  local out = p:read("*a")
  p:close()
  return out
end

describe("postrun.assess", function()
  it("takes a table and gives a table shaped like the contract's output", function()
    local a = postrun.assess(report())
    assert.equal("lua-long-run", a.id)
    assert.same({}, a.red_flags)
    assert.is_table(a.causes[1])
    assert.is_string(a.causes[1].id)
    local r = a.fluid.sweat_loss_l
    assert.is_true(r.low <= r.expected and r.expected <= r.high)
    assert.equal("predicted", a.fluid.method)
    assert.is_string(a.recommendations[1].text)
    assert.is_table(a.recommendations[1].dose)
    assert.is_table(a.assumptions)
    assert.is_table(a.notes)
  end)

  it("keeps integers integers", function()
    local a = postrun.assess(report())
    assert.equal("integer", math_type(a.recommendations[1].priority))
    assert.equal("integer", math_type(a.load.doms_peak_h[1]))
    assert.equal("float", math_type(a.causes[1].score))
    assert.equal("integer", math_type(postrun.core.ERR_RANGE))
    assert.equal("integer", math_type(postrun.core.kb_count(postrun.kb_default().handle,
                                                            postrun.core.KIND_CAUSE)))
    assert.equal("integer", math_type(postrun.core.version_number()))
  end)

  it("leaves a value that is unknown for this run out (nil)", function()
    local a = postrun.assess(minimal())
    assert.is_nil(a.load.acwr)
    assert.is_number(postrun.assess(report()).load.acwr)
  end)

  it("accepts one body area written alone and ids as plain strings", function()
    local t = minimal()
    t.symptoms = {"cramps", {id = "aching", where = "calves"}}
    assert.is_table(postrun.assess(t).causes)
  end)

  it("orders causes by score and recommendations by priority", function()
    local a = postrun.assess(report())
    for i = 2, #a.causes do assert.is_true(a.causes[i - 1].score >= a.causes[i].score) end
    for i = 2, #a.recommendations do
      assert.is_true(a.recommendations[i - 1].priority <= a.recommendations[i].priority)
    end
  end)

  it("raises red flags first and withdraws what they contradict", function()
    local a = postrun.assess_file(RUNS .. "06_weigh_in_gain_headache_hyponatremia.yaml")
    assert.equal("suspected_hyponatremia", a.red_flags[1].id)
    assert.equal("emergency", a.red_flags[1].urgency)
    assert.is_true(#a.withdrawn > 0)
  end)

  it("is deterministic whatever order Lua keeps table keys in", function()
    local first = postrun.render(report(), "json")
    for _ = 1, 5 do assert.equal(first, postrun.render(report(), "json")) end
  end)
end)

describe("errors", function()
  it("are tables with code, status, class, message, field and every problem", function()
    local e = raises(postrun.assess, {postrun = 1, athlete = {body_mass_kg = 500, sx = 1},
                                      run = {}, symptoms = {"nope"}})
    assert.equal(postrun.core.ERR_RANGE, e.code)
    assert.equal("integer", math_type(e.code))
    assert.equal("range", e.status)
    assert.equal("ValidationError", e.class)
    assert.equal("athlete.body_mass_kg", e.field)
    assert.equal("", e.file)
    assert.equal(0, e.line)
    assert.equal(0, e.column)
    assert.is_true(#e.problems >= 4)
    local fields = {}
    for _, p in ipairs(e.problems) do
      fields[p.field] = p.status
      assert.equal("error", p.severity)
    end
    assert.equal("unknown_key", fields["athlete.sx"])
    assert.equal("missing", fields["run.duration_min"])
    assert.matches("sex", e.problems[2].message .. e.problems[3].message .. e.problems[4].message)
    assert.matches("^athlete.body_mass_kg: 500 is outside", tostring(e))
    assert.matches("more problems", tostring(e))
    assert.equal(postrun.Error, getmetatable(e))
  end)

  it("carry file, line and column from YAML", function()
    local e = raises(postrun.assess_yaml,
      "postrun: 1\nathlete: {body_mass_kg: 68}\nrun: {duration_min: 95, duration_min: 3}\n",
      "dup.yaml")
    assert.equal("duplicate", e.status)
    assert.equal("dup.yaml", e.file)
    assert.equal(3, e.line)
    assert.is_true(e.column > 1)
    assert.matches("^dup.yaml:3:%d+: run.duration_min: ", tostring(e))
  end)

  it("name a parse error ParseError", function()
    local e = raises(postrun.assess_yaml, "postrun: 1\nathlete: [\n")
    assert.equal("ParseError", e.class)
    assert.equal("syntax", e.status)
    assert.is_true(e.line >= 2)
  end)

  it("name a missing file FileError", function()
    assert.equal("FileError", raises(postrun.assess_file, "/nonexistent/run.yaml").class)
    assert.equal("FileError", raises(postrun.kb_load, "/nonexistent").class)
  end)

  it("name a bad knowledge base KnowledgeBaseError with positions", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    f:write("postrun_overlay: 1\nparameters:\n  - id: no_such_parameter\n    value: 3\n")
    f:close()
    local e = raises(postrun.kb_load, nil, {path})
    os.remove(path)
    assert.equal("KnowledgeBaseError", e.class)
    assert.equal(path, e.file)
    assert.is_true(e.line >= 3)
  end)

  it("name an unknown id NotFoundError", function()
    assert.equal("NotFoundError", raises(postrun.entry, "no_such_entry").class)
    assert.equal("NotFoundError", raises(postrun.parameter, "no_such_parameter").class)
  end)

  it("come from bad arguments too, never as strings", function()
    assert.equal("ArgumentError", raises(postrun.kb_load, 42).class)
    assert.equal("ArgumentError", raises(postrun.kb_load, nil, {3}).class)
    assert.equal("ArgumentError", raises(postrun.render, minimal(), "xml").class)
    assert.equal("ArgumentError", raises(postrun.ids, "bogus").class)
    assert.equal("ArgumentError", raises(postrun.assess_yaml, 42).class)
    assert.equal("ArgumentError", raises(postrun.core.kb_count, "kb", 1).class)
    assert.equal("ArgumentError", raises(postrun.core.kb_count).class)
    assert.equal("ArgumentError", raises(postrun.core.metric_index, {}).class)
    assert.equal("ArgumentError", raises(postrun.core.run_new, "kb").class)
    assert.equal("ArgumentError", raises(postrun.core.kb_id, postrun.kb_default().handle, 1, 0.5).class)
  end)

  it("report the shape of a bad table", function()
    local cases = {
      {"not a table", ""},
      {{postrun = 1, athlete = {body_mass_kg = {68}}, run = {duration_min = 3}}, "athlete.body_mass_kg"},
      {{postrun = 1, athlete = {body_mass_kg = 68}, run = {duration_min = 3}, symptoms = {x = 1}}, "symptoms"},
      {{postrun = 1, athlete = {body_mass_kg = 68}, run = {duration_min = 3}, symptoms = {{severity = 2}}}, "symptoms[0]"},
      {{postrun = 1, athlete = {body_mass_kg = 68}, run = {duration_min = print}}, "run.duration_min"},
      {{postrun = 1, athlete = {body_mass_kg = 68}, run = {duration_min = 3}, [1] = 2}, ""},
      {{postrun = 1, athlete = {body_mass_kg = 68, sex = "fe\0male"}, run = {duration_min = 3}}, "athlete.sex"},
    }
    for _, c in ipairs(cases) do
      local e = raises(postrun.assess, c[1])
      local seen = false
      for _, p in ipairs(e.problems) do seen = seen or p.field == c[2] end
      assert.is_true(seen, "no problem for field '" .. c[2] .. "' in " .. tostring(e))
    end
  end)

  it("check() raises what assess() would, or returns true", function()
    assert.is_true(postrun.check(report()))
    assert.equal("missing", raises(postrun.check, {postrun = 1, athlete = {body_mass_kg = 60}}).status)
  end)
end)

describe("the module", function()
  it("is returned by require, not set as a global", function()
    assert.is_nil(rawget(_G, "postrun"))
    assert.equal(postrun, require "postrun")
    assert.is_string(postrun.version)
  end)
end)

describe("knowledge bases", function()
  it("load the bundled one lazily, once", function()
    assert.equal(postrun.kb_default(), postrun.kb_default())
    assert.matches("causes", tostring(postrun.kb_default()))
  end)

  it("load a directory with overlays, each its own object", function()
    local kb = postrun.kb_load(ROOT .. "/data", {ROOT .. "/examples/kb-overlay/coach.yaml"})
    assert.equal(50, kb:parameter("sweat_sodium_mmol_l").value)
    local found = false
    for _, id in ipairs(kb:ids("recommendation")) do found = found or id == "coach_recovery_shake" end
    assert.is_true(found)
    local a = kb:assess(report())
    local shake = false
    for _, r in ipairs(a.recommendations) do shake = shake or r.id == "coach_recovery_shake" end
    assert.is_true(shake)
    assert.is_table(kb:warnings())
  end)

  it("describe entries with their position and sources", function()
    local e = postrun.entry("doms")
    assert.equal("cause", e.kind)
    assert.equal("doms", e.id)
    assert.is_true(e.line > 0 and #e.sources > 0)
    assert.is_string(e.sources[1].key)
    local p = postrun.parameter(postrun.ids("parameter")[1])
    assert.is_true(p.low <= p.value and p.value <= p.high)
  end)

  it("list the contract's vocabulary", function()
    local symptoms = {}
    for _, id in ipairs(postrun.ids("symptom")) do symptoms[id] = true end
    for _, id in ipairs{"muscles_feel_smaller", "fatigue", "tightness", "aching", "twitching", "cramps"} do
      assert.is_true(symptoms[id], id)
    end
  end)

  it("list the metrics with their units", function()
    local m = postrun.metrics()
    local units = {}
    for _, x in ipairs(m) do units[x.name] = x.unit end
    assert.equal("l", units["fluid.sweat_loss_l"])
  end)
end)

describe("streams and output", function()
  it("iterate over a season, bad documents included", function()
    local n = 0
    for i, a, err in postrun.each(RUNS .. "season.yaml") do
      n = i
      assert.is_true(a ~= nil or postrun.is_error(err))
    end
    assert.is_true(n >= 5)
    local got = {}
    local text = "postrun: 1\nathlete: {body_mass_kg: 60}\nrun: {duration_min: 30}\n---\n" ..
                 "postrun: 1\nathlete: {body_mass_kg: 900}\nrun: {duration_min: 30}\n---\n" ..
                 "postrun: 1\nathlete: {body_mass_kg: 61}\nrun: {duration_min: 31}\n"
    for i, a, err in postrun.each_yaml(text) do got[i] = a and "ok" or err.status end
    assert.same({"ok", "range", "ok"}, got)
  end)

  it("render text, YAML and JSON", function()
    assert.matches("Why you feel", postrun.render(report()))
    assert.matches("Why you feel", postrun.render(report(), "text", {explain = true}))
    assert.matches("\nid: lua%-long%-run\n", postrun.render(report(), "yaml"))
    local doc = json.decode(postrun.render(report(), "json", {compact = true}), 1, nil)
    assert.same(doc, postrun.assess(report()))
  end)

  if CLI then
    it("give the same tables as the CLI's JSON for every example run", function()
      local p = assert(io.popen("ls " .. RUNS .. "*.yaml"))
      local count = 0
      for path in p:lines() do
        if not path:match("season") then
          local expected = json.decode(cli_json(path), 1, nil)
          assert.same(expected, postrun.assess_file(path))
          count = count + 1
        end
      end
      p:close()
      assert.is_true(count >= 5)
    end)
  end
end)

describe("ownership", function()
  it("frees every object exactly once (live-object counters)", function()
    settle()
    local before = postrun.live_objects()
    for _ = 1, 200 do postrun.assess(report()) end
    for _ = 1, 50 do pcall(postrun.assess, {postrun = 1, athlete = {body_mass_kg = 1}}) end
    for _ = 1, 20 do pcall(postrun.assess_yaml, "postrun: [\n") end
    for _ in postrun.each(RUNS .. "season.yaml") do end
    settle()
    assert.equal(before, postrun.live_objects())
  end)

  it("frees knowledge bases once their last user is gone", function()
    settle()
    local before = postrun.live_objects("kb")
    do
      local kbs = {}
      for i = 1, 10 do kbs[i] = postrun.kb_load() end
      assert.equal(before + 10, postrun.live_objects("kb"))
    end
    settle()
    assert.equal(before, postrun.live_objects("kb"))
  end)

  it("keeps a knowledge base alive while a stream uses it", function()
    settle()
    local before = postrun.live_objects("kb")
    local iter = postrun.kb_load():each(RUNS .. "season.yaml") -- the kb object is garbage now
    settle()
    assert.equal(before + 1, postrun.live_objects("kb"))
    local i, a = iter()
    assert.equal(1, i)
    assert.is_table(a)
    iter = nil -- luacheck: ignore
    settle()
    assert.equal(before, postrun.live_objects("kb"))
  end)
end)

describe("activity files", function()
  local function gpx(path, sport)
    local f = assert(io.open(path, "w"))
    f:write('<?xml version="1.0"?>\n<gpx version="1.1" creator="t" ',
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>', sport, '</type><trkseg>\n')
    for i = 0, 1799 do
      f:write(string.format('<trkpt lat="%.8f" lon="13.0"><ele>100</ele>' ..
                            '<time>2024-05-01T07:%02d:%02dZ</time></trkpt>\n',
                            45.0 + i * 3 / 111195.0, math.floor(i / 60), i % 60))
    end
    f:write("</trkseg></trk></gpx>\n")
    f:close()
    return path
  end

  it("completes a report from the file, the report's values winning", function()
    local path = gpx(os.tmpname(), "running")
    local a = postrun.assess_activity(path, {postrun = 1, athlete = {body_mass_kg = 60},
                                             run = {distance_km = 5}})
    local texts = table.concat(a.assumptions, " ")
    assert.truthy(texts:find("duration taken from the activity file", 1, true))
    assert.falsy(texts:find("distance_km taken", 1, true))
    os.remove(path)
  end)

  it("raises an error table for another sport unless any sport is allowed", function()
    local path = gpx(os.tmpname(), "cycling")
    local ok, e = pcall(postrun.assess_activity, path, {postrun = 1, athlete = {body_mass_kg = 60}})
    assert.is_false(ok)
    assert.equal("sport", e.field)
    assert.truthy(e.message:find("cycling", 1, true))
    local a = postrun.assess_activity(path, {postrun = 1, athlete = {body_mass_kg = 60}},
                                      {sport = "any"})
    assert.truthy(a.energy)
    os.remove(path)
  end)
end)
