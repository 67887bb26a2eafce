-- The Lua part of postrun-bench: how fast the binding assesses run reports given as tables.
--
-- Run by postrun-bench (bench/postrun_bench.c) with --data, a Lua chunk returning the example
-- runs as tables (written from examples/runs); prints tab-separated lines for its table:
--     ROW  <name>  <median>  <min>  <max>  <unit>  <repetitions>
--     SKIP <why>
-- Each figure is the median over --reps repetitions after a warm-up, on the same fixed inputs.
-- os.clock() is this process's CPU time: one core, like the C figures.
--
--     LUA_CPATH_5_4='BUILD/bindings/lua/?.so;;' lua5.4 bench/bench_lua.lua --data runs.lua

local data, reps, quick = nil, 7, false
local i = 1
while i <= #arg do
  if arg[i] == "--data" then data = arg[i + 1]; i = i + 1
  elseif arg[i] == "--reps" then reps = tonumber(arg[i + 1]); i = i + 1
  elseif arg[i] == "--quick" then quick = true
  end
  i = i + 1
end

local ok, postrun = pcall(require, "postrun")
if not ok then
  print("SKIP\tthe Lua binding is not loadable (" .. tostring(postrun):gsub("[\t\n]", " ") ..
        "); build with -Dbindings=true")
  os.exit(0, true)
end

local runs = dofile(data)

local function median(t)
  table.sort(t)
  local n = #t
  if n % 2 == 1 then return t[(n + 1) // 2] end
  return (t[n // 2] + t[n // 2 + 1]) / 2
end

local function rate(fn, count)
  fn() -- warm-up
  local out = {}
  for _ = 1, reps do
    local t0 = os.clock()
    fn()
    out[#out + 1] = count / (os.clock() - t0)
  end
  return out
end

local function row(name, values, unit)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(values) do
    lo = math.min(lo, v)
    hi = math.max(hi, v)
  end
  io.write(("ROW\t%s\t%.6g\t%.6g\t%.6g\t%s\t%d\n"):format(name, median(values), lo, hi, unit,
                                                        #values))
  io.flush()
end

-- The tables must say what the files say.
for _, r in ipairs(runs) do
  local a = postrun.assess(r)
  if a.id ~= (r.id or "") then
    print("SKIP\tthe benchmark's run data does not round-trip (" .. tostring(r.id) .. ")")
    os.exit(0, true)
  end
end

local calls = quick and 2000 or 20000
local assess = postrun.assess
row(("postrun.assess{...}, mix of the %d example runs"):format(#runs), rate(function()
  for k = 1, calls do
    assess(runs[(k - 1) % #runs + 1])
  end
end, calls), "calls/s")

os.exit(0, true)
