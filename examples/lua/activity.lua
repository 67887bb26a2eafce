-- Assesses a run from a watch's file (FIT, TCX or GPX) with a report of what the watch cannot
-- know: the athlete and the symptoms. The report's own values win; the assumptions say which
-- values came from the file.
--
--   lua5.4 activity.lua RUN.fit
local postrun = require "postrun"

local path = arg[1]
if not path then
  io.stderr:write("usage: lua5.4 activity.lua RUN.fit\n")
  os.exit(2)
end

local report = {
  postrun = 1,
  athlete = {body_mass_kg = 66, age_y = 38, sex = "male", training_status = "recreational"},
  intake = {fluid_ml = 250, carbohydrate_g = 0},
  symptoms = {{id = "muscles_feel_smaller", severity = 4, where = {"quadriceps"}},
              {id = "fatigue", severity = 6}},
}

local ok, a = pcall(postrun.assess_activity, path, report)
if not ok then
  io.stderr:write(tostring(a), "\n")
  os.exit(1, true)
end
for k = 1, math.min(2, #a.causes) do
  print(("%s: score %.2f"):format(a.causes[k].name, a.causes[k].score))
end
for _, text in ipairs(a.assumptions) do
  print("  assumed: " .. text)
end
os.exit(0, true)
