-- Histories from Lua: kb:history{...} and kb:assess(report, {history = h}).

local postrun = require "postrun"

local DAY = 86400
local T0 = 1782716400 -- 2026-06-29T07:00:00Z

local function report(days, km, minutes, cramps)
  local r = {postrun = 1, athlete = {body_mass_kg = 70},
             run = {started_at = os.date("!%Y-%m-%dT%H:%M:%SZ", T0 - days * DAY),
                    duration_min = minutes or 100, distance_km = km or 18}}
  if cramps then r.symptoms = {{id = "cramps", severity = 5}} end
  return r
end

local function season()
  local runs = {}
  for d = 27, 1, -1 do
    local long = d == 21 or d == 14 or d == 7
    runs[#runs + 1] = report(d, long and 20 or 8, long and 110 or 45, d == 14 or d == 7)
  end
  return runs
end

describe("a history", function()
  local kb = postrun.kb_default()

  it("fills the load and lists recurring cramps", function()
    local h = kb:history(season())
    assert.are.equal(27, h:size())
    local a = kb:assess(report(0, 20, 110, true), {history = h})
    -- by hand: 20 + 6 x 8 = 68 km in 7 days, 272 km in 28: 68 a week
    assert.are.equal(68, a.history.acute_km)
    assert.are.equal(1, a.load.acwr)
    assert.are.same({id = "recurring_symptom", symptom = "cramps", count = 3, of = 4},
                    a.patterns[1])
  end)

  it("is built on the fly from a list, and renders its trends", function()
    local a = kb:assess(report(0), {history = season()})
    assert.are.equal(27, a.history.runs_before)
    assert.truthy(kb:history(season()):render():find("History: 27 runs", 1, true))
  end)

  it("names the missing start time", function()
    local undated = {postrun = 1, athlete = {body_mass_kg = 70}, run = {duration_min = 30}}
    local ok, e = pcall(kb.history, kb, {undated})
    assert.is_false(ok)
    assert.are.equal("run.started_at", e.field)
    ok, e = pcall(kb.assess, kb, undated, {history = kb:history(season())})
    assert.is_false(ok)
    assert.are.equal("run.started_at", e.field)
  end)
end)
