-- The assessment tables are built from the library's walk (postrun_assessment_visit), not
-- from its JSON text any more: they must be exactly the tables the JSON document decodes to
-- (core.json_decode, the decoder the binding used before), key for key, with the same number
-- types (integers stay integers) and values.

local postrun = require "postrun"
-- Lua 5.1 and LuaJIT have no integer subtype: an integral number counts as an integer there.
local math_type = math.type or function(x)
  if type(x) ~= "number" then return nil end
  return x % 1 == 0 and "integer" or "float"
end
local core = postrun.core

local ROOT = os.getenv("POSTRUN_SOURCE_ROOT") or "."
local RUNS = ROOT .. "/examples/runs/"
local CLI = os.getenv("POSTRUN_CLI")

local function cli_json(path)
  -- Without the sanitizer runtime an ASan build preloads into lua5.4: the CLI links its own.
  local p = assert(io.popen("env -u LD_PRELOAD " .. CLI .. " assess --format json " .. path ..
                            " 2>/dev/null"))
  local out = p:read("*a")
  p:close()
  return out
end

-- Path of the first difference between a and b, or nil when they are the same.
local function diff(a, b, path)
  path = path or "$"
  if type(a) ~= type(b) then return path .. ": " .. type(a) .. " vs " .. type(b) end
  if type(a) == "number" then
    if math_type(a) ~= math_type(b) then
      return path .. ": " .. math_type(a) .. " " .. tostring(a) .. " vs " .. math_type(b) ..
             " " .. tostring(b)
    end
    if a ~= b and not (a ~= a and b ~= b) then
      return path .. ": " .. ("%.17g vs %.17g"):format(a, b)
    end
    return nil
  end
  if type(a) ~= "table" then
    if a ~= b then return path .. ": " .. tostring(a) .. " vs " .. tostring(b) end
    return nil
  end
  for k, v in pairs(a) do
    local d = diff(v, b[k], path .. "." .. tostring(k))
    if d then return d end
  end
  for k in pairs(b) do
    if a[k] == nil then return path .. "." .. tostring(k) .. ": missing" end
  end
  return nil
end

local function example_files()
  local files = {}
  local p = assert(io.popen("ls " .. RUNS .. "*.yaml"))
  for f in p:lines() do files[#files + 1] = f end
  p:close()
  return files
end

-- Generated run reports (tables): numbers of every size, lists, yes/no, optional sections.
local function variants(n)
  local out = {}
  for i = 1, n do
    out[i] = {
      postrun = 1, id = "gen-" .. i,
      athlete = {body_mass_kg = 45 + (i * 7.31) % 60, sex = i % 2 == 0 and "female" or "male",
                 vo2max_ml_kg_min = 35 + i % 30},
      run = {duration_min = 15 + (i * 13.7) % 240, distance_km = 2 + (i * 1.37) % 40,
             intensity = ({"easy", "steady", "tempo", "intervals", "race"})[i % 5 + 1]},
      environment = {temperature_c = -10 + (i * 3.3) % 45, relative_humidity_pct = i % 100},
      intake = {fluid_ml = (i * 97) % 2000, sodium_mg = (i * 31) % 1500},
      recent = i % 3 == 0 and {acute_week_km = 20 + i % 60, chronic_week_km = 25 + i % 40} or nil,
      symptoms = i % 4 == 0 and {"fatigue", {id = "muscles_feel_smaller", severity = i % 10,
                                            where = {"calves"}}} or {"fatigue"},
      observations = {urine_colour = 1 + i % 8, dizziness = i % 7 == 0},
    }
  end
  return out
end

describe("assessment tables", function()
  if CLI then
    it("equal the CLI's JSON document decoded, for every example run", function()
      local n = 0
      for _, path in ipairs(example_files()) do
        if not path:match("season") then
          local d = diff(postrun.assess_file(path), core.json_decode(cli_json(path)))
          assert(d == nil, path .. ": " .. tostring(d))
          n = n + 1
        end
      end
      assert.is_true(n >= 10)
    end)
  end

  it("equal the JSON document decoded, for generated runs", function()
    for i, r in ipairs(variants(300)) do
      local a = postrun.assess(r)
      local b = core.json_decode(postrun.render(r, "json"))
      local d = diff(a, b)
      assert(d == nil, "run " .. i .. ": " .. tostring(d))
    end
  end)

  it("give every number as the JSON text reads back", function()
    local values = {0, -0.0, 1, -1, 0.5, 2.5, 1000, 999.95, 999.96, 1234.5, 1235.5, -1234.5,
                    0.0001, 0.00012345, 0.000099996, 0.00001, 1e-9, -1e-12, 9.9995, 99.995,
                    0.12345, 0.123449999, 24, 72, 3250, 1e15, 1e16, -3e20, 2^53, 2^63, 1e300,
                    math.pi, -math.pi, 1 / 3, 2 / 3, 12.345, 12.355, 0.1 + 0.2}
    local seed = 12345
    local function rnd()
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    end
    for _ = 1, 20000 do
      local e = math.floor(rnd() * 12) - 6
      values[#values + 1] = (rnd() - 0.5) * 2 * 10 ^ e
      -- ties and near-ties at 4 significant digits
      local k = math.floor(rnd() * 10000) + 0.5
      values[#values + 1] = k * 10 ^ (math.floor(rnd() * 8) - 7)
    end
    -- LuaJIT's string.format rounds a value exactly halfway (1234.5 with %.0f) away from zero,
    -- C's printf to even: there the model of the JSON writer's text is not C's, so values
    -- within a hair of a tie are left to the other Lua versions, which format through C.
    local function luajit_tie(v)
      if not jit then return false end
      local a = math.abs(v)
      local scaled = a >= 1000 and a or a * 10 ^ (3 - math.floor(math.log10(a)))
      return math.abs(scaled % 1 - 0.5) < 1e-6
    end
    for _, v in ipairs(values) do
      local text
      if luajit_tie(v) then
        text = nil
      elseif math.abs(v) >= 1000 then
        text = ("%.0f"):format(v)
      elseif v == 0 then
        text = "0"
      else
        text = ("%.4g"):format(v)
        if text:find("e") then text = ("%.8f"):format(v) end
      end
      if text then
        local want, got = tonumber(text), core.json_number(v)
        assert(math_type(got) == math_type(want) and got == want,
               ("%.17g: got %s %s, the JSON text %q reads %s %s"):format(
                 v, math_type(got), tostring(got), text, math_type(want), tostring(want)))
      end
    end
  end)

  it("number symptom fields after the symptoms kept, refused ids left out", function()
    local cases = {
      {{"nope", {id = "fatigue", severity = 99}},
       "unknown_id@symptoms[0].id range@symptoms[0].severity"},
      {{"cramps", {id = "fatigue", severity = 99}}, "range@symptoms[1].severity"},
      {{{id = "nope", severity = 99}, {id = "fatigue", severity = 99}},
       "unknown_id@symptoms[0].id range@symptoms[0].severity"},
      {{"cramps", "cramps", {id = "fatigue", severity = 99}},
       "duplicate@symptoms[1].id range@symptoms[1].severity"},
    }
    for _, case in ipairs(cases) do
      local ok, e = pcall(postrun.assess, {postrun = 1, athlete = {body_mass_kg = 68},
                                           run = {duration_min = 30}, symptoms = case[1]})
      assert.is_false(ok)
      local got = {}
      for _, p in ipairs(e.problems) do got[#got + 1] = p.status .. "@" .. p.field end
      assert.equal(case[2], table.concat(got, " "))
    end
  end)
end)
