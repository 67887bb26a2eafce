-- A small coaching app: a week of runs in, daily advice out.
--
--   lua5.4 examples/lua/coach.lua [WEEK.lua]      (LUA_CPATH_5_4 must find postrun.so)
--   lua_host examples/lua/coach.lua [WEEK.lua]    (the C host preloads postrun)
--
-- The week is a Lua file returning the athlete's profile and one entry a day (see week.lua).
-- For every day it prints what to do now and today, warning signs first; on rest days it
-- says when soreness from earlier runs is expected; then a summary of the week.

local postrun = require "postrun"

local here = (arg and arg[0] or ""):match("^(.*)[/\\]") or "."
local week = dofile(arg and arg[1] or here .. "/week.lua")

local URGENT = {emergency = "GET HELP NOW", see_doctor_soon = "See a doctor soon",
                see_doctor_if_persists = "See a doctor if it persists"}
local SOON = {now = "now", within_2h = "within 2 h", today = "today"}

local function pct(x) return ("%.0f %%"):format(x * 100) end

local function range(r, fmt)
  fmt = fmt or "%.1f"
  return (fmt .. " (" .. fmt .. " to " .. fmt .. ")"):format(r.expected, r.low, r.high)
end

-- The athlete's profile goes into every report: the app keeps it once.
local function report_for(entry)
  local r = {postrun = 1, id = week.athlete_name .. "-" .. entry.day:lower(),
             athlete = week.athlete}
  for k, v in pairs(entry.report) do r[k] = v end
  return r
end

local function wrap(text, indent)
  local out, line = {}, indent
  for word in text:gmatch("%S+") do
    if #line + #word > 92 and line ~= indent then
      out[#out + 1] = line
      line = indent
    end
    line = line .. (line == indent and "" or " ") .. word
  end
  out[#out + 1] = line
  return table.concat(out, "\n")
end

local soreness = {}      -- day index -> what may be sore that day
local later = {}         -- advice for the coming days and runs, once each
local later_order = {}
local totals = {minutes = 0, sweat_l = 0, sodium_mg = 0, flags = 0, runs = 0}
local status = 0

local function run_day(i, entry)
  local report = report_for(entry)
  local ok, a = pcall(postrun.assess, report)
  if not ok then
    -- An error table: class, field, message, and every problem.
    print(("%s: the report was not assessed (%s)"):format(entry.day, a.class))
    for _, p in ipairs(a.problems) do print("   " .. p.field .. ": " .. p.message) end
    status = 1
    return
  end
  local run = report.run
  print(("%s: %s run, %d min%s, %.0f °C"):format(entry.day, run.intensity or "a",
    run.duration_min, run.distance_km and (", %.1f km"):format(run.distance_km) or "",
    report.environment and report.environment.temperature_c or 18))

  for _, flag in ipairs(a.red_flags) do
    print("   !! " .. URGENT[flag.urgency] .. ": " .. flag.name)
    print(wrap(flag.advice, "      "))
    totals.flags = totals.flags + 1
  end

  if a.causes[1] and a.causes[1].score >= 0.5 then
    local why = {}
    for k = 1, math.min(2, #a.causes) do
      if a.causes[k].score >= 0.5 then
        why[#why + 1] = ("%s (%s)"):format(a.causes[k].name, pct(a.causes[k].score))
      end
    end
    print("   Why: " .. table.concat(why, ", "))
  end

  local shown = 0
  for _, rec in ipairs(a.recommendations) do
    if SOON[rec.when] and shown < 2 then
      print(("   %-11s %s"):format(SOON[rec.when] .. ":", rec.name))
      print(wrap(rec.text, "               "))
      shown = shown + 1
    elseif not SOON[rec.when] and not later[rec.id] then
      later[rec.id] = rec
      later_order[#later_order + 1] = rec.id
    end
  end

  print(("   Sweat %s l (%s), sodium lost %s mg, leg glycogen left %s %%"):format(
    ("%.1f"):format(a.fluid.sweat_loss_l.expected), a.fluid.method,
    ("%.0f"):format(a.fluid.sodium_loss_mg.expected),
    ("%.0f"):format(a.glycogen.muscle_remaining_pct.expected)))

  -- Soreness usually peaks 24-72 h after the run: flag the coming days.
  if a.load.doms_risk ~= "low" then
    local first = i + math.floor(a.load.doms_peak_h[1] / 24)
    local last = i + math.floor(a.load.doms_peak_h[2] / 24)
    for d = first, last do
      soreness[d] = (soreness[d] and soreness[d] .. " and " or "") ..
                    ("%s's run (%s risk)"):format(entry.day, a.load.doms_risk)
    end
  end

  totals.minutes = totals.minutes + run.duration_min
  totals.sweat_l = totals.sweat_l + a.fluid.sweat_loss_l.expected
  totals.sodium_mg = totals.sodium_mg + a.fluid.sodium_loss_mg.expected
  totals.runs = totals.runs + 1
end

print(("Coaching week for %s\n"):format(week.athlete_name))
for i, entry in ipairs(week.days) do
  if entry.report then
    run_day(i, entry)
  else
    print(entry.day .. ": rest day")
    print("   Eat and drink normally; sleep 7-9 hours.")
  end
  if soreness[i] then
    print("   Expect some soreness today from " .. soreness[i] .. ": easy movement helps.")
  end
  print()
end

print(("Week: %d runs, %d min, about %.1f l of sweat and %.1f g of sodium lost, %d warning sign%s.")
  :format(totals.runs, totals.minutes, totals.sweat_l, totals.sodium_mg / 1000, totals.flags,
          totals.flags == 1 and "" or "s"))
if #later_order > 0 then
  -- The most important first (a lower priority number), five at most.
  table.sort(later_order, function(x, y)
    return later[x].priority < later[y].priority or
           (later[x].priority == later[y].priority and x < y)
  end)
  print("For the coming days and runs:")
  for k = 1, math.min(5, #later_order) do
    local rec = later[later_order[k]]
    print(("   - %s: %s"):format(rec.name, rec.text:match("^[^.:]*")))
  end
end

os.exit(status, true)
