-- postrun: libpostrun for Lua. Tables in, tables out.
--
--   local postrun = require "postrun"
--   local a = postrun.assess{postrun = 1, athlete = {body_mass_kg = 68},
--                            run = {duration_min = 95}, symptoms = {{id = "fatigue"}}}
--   print(a.causes[1].id, a.fluid.sweat_loss_l.expected)
--
-- This file is the idiomatic layer over the SWIG-generated functions (kept as postrun.core).
-- It is embedded into the postrun module at build time and run when the module is loaded,
-- with the generated module as its argument, so one shared object is all there is to install
-- (or to preload in a host program).
--
-- Errors are raised as tables, never strings: pcall returns them as they are.
--   local ok, e = pcall(postrun.assess, report)
--   if not ok then print(e.class, e.status, e.field, e.line, e.message, #e.problems) end
-- Every error value has the metatable postrun.Error (tostring gives
-- "file:line:column: field: message").

local core = ...

local postrun = {core = core}

postrun.version = core.version()
postrun.Error = core.error_metatable()

local function words(prefix, list)
  local t = {}
  for _, w in ipairs(list) do
    t[core[prefix .. w:upper()]] = w
  end
  return t
end

local KIND = words("KIND_", {"source", "parameter", "symptom", "observation", "body_area",
                             "cause", "rule", "recommendation", "red_flag", "misconception",
                             "note"})
local KIND_BY_WORD = {}
for value, word in pairs(KIND) do KIND_BY_WORD[word] = value end

local function argument_error(message)
  error(core.make_error(core.ERR_ARGUMENT, message), 3)
end

local function check_string(value, what, optional)
  if optional and value == nil then return end
  if type(value) ~= "string" then
    argument_error(what .. " must be a string, got " .. type(value))
  end
end

--- True when v is an error value raised by this module.
function postrun.is_error(v)
  return type(v) == "table" and getmetatable(v) == postrun.Error
end

-- ---- knowledge bases ----

local KB = {}
KB.__index = KB
KB.__name = "postrun.KnowledgeBase"

local function new_kb(handle)
  return setmetatable({handle = handle}, KB)
end

--- Loads a knowledge base: `path` a directory or file (nil: the bundled one), `overlays` a
--- list of overlay files applied in order.
function postrun.kb_load(path, overlays)
  check_string(path, "the knowledge-base path", true)
  if overlays ~= nil then
    if type(overlays) ~= "table" then
      argument_error("overlays must be a list of paths, got " .. type(overlays))
    end
    for i, o in ipairs(overlays) do check_string(o, "overlay " .. i) end
  end
  return new_kb(core.kb_load(path, overlays))
end

local default_kb

--- The bundled knowledge base, loaded once on first use.
function postrun.kb_default()
  if not default_kb then default_kb = new_kb(core.kb_load(nil, nil)) end
  return default_kb
end

--- Assesses a run report given as a table shaped like the contract's run report; returns
--- the assessment as a plain table shaped like the contract's output. It lists the six causes
--- and recommendations that matter most; options {all = true} lists every one.
function KB:assess(report, options)
  if type(options) == "table" and options.history ~= nil then
    local h = options.history
    if getmetatable(h) ~= postrun.History then h = self:history(h) end
    return core.assess_table(self.handle, report, {all = options.all, history = h.handle})
  end
  return core.assess_table(self.handle, report, options)
end

-- ---- histories (docs/history.md) ----

local History = {}
History.__index = History
History.__name = "postrun.History"
postrun.History = History

--- One athlete's runs before the one assessed: run report tables and paths of YAML streams,
--- activity files or directories, in any order (each run needs run.started_at). Pass it as
--- kb:assess(report, {history = h}); a plain list there is built on the fly.
function KB:history(items)
  if type(items) ~= "table" then
    argument_error("a history is a list of run reports (tables) and paths, got " .. type(items))
  end
  local h = core.history_new(self.handle)
  for i, item in ipairs(items) do
    if type(item) == "table" then
      core.history_add_table(h, item)
    elseif type(item) == "string" then
      core.history_add_path(h, item)
    else
      argument_error("history item " .. i .. " must be a run report table or a path, got "
                     .. type(item))
    end
  end
  core.history_build(h)
  return setmetatable({handle = h}, History)
end

--- Number of runs in the history.
function History:size()
  return core.history_size(self.handle)
end

--- The athlete's trends as of the last run: "text" (the default), "yaml" or "json".
function History:render(format)
  local f = ({text = core.FORMAT_TEXT, yaml = core.FORMAT_YAML, json = core.FORMAT_JSON})[format or "text"]
  if not f then argument_error("format must be \"text\", \"yaml\" or \"json\"") end
  return core.history_render(self.handle, f)
end

--- Raises the error a run report would give, or returns true when it is valid.
function KB:check(report)
  return core.check_table(self.handle, report)
end

--- Assesses one YAML document (`name` names it in error messages).
function KB:assess_yaml(text, name)
  return core.assess_yaml(self.handle, text, name)
end

--- Assesses the run report in a YAML file.
function KB:assess_file(path)
  return core.assess_file(self.handle, path)
end

--- Assesses the run an activity file (FIT, TCX or GPX) holds, completed by `report` (a run
--- report table, or nil) whose own values win: kb:assess_activity("run.fit", {athlete = ...}).
--- options: {sport = "any"} accepts files of any sport (by default only runs).
function KB:assess_activity(path, report, options)
  check_string(path, "the path of the activity file")
  if options ~= nil and type(options) ~= "table" then
    argument_error("options must be a table such as {sport = \"any\"}")
  end
  local sport = options and options.sport or "running"
  if sport ~= "running" and sport ~= "any" then
    argument_error("sport must be \"running\" or \"any\"")
  end
  return core.assess_activity(self.handle, path, report, sport == "any")
end

--- The assessment as text ("text", the default), "yaml" or "json".
--- options: {explain = true} (every contribution), {color = true}, {compact = true}.
function KB:render(report, format, options)
  if options ~= nil and type(options) ~= "table" then
    argument_error("options must be a table such as {explain = true}")
  end
  return core.render_table(self.handle, report, format, options)
end

local function documents(stream)
  local i = 0
  return function()
    local ok, value = core.stream_assess_next(stream)
    if ok == nil then return nil end
    i = i + 1
    if ok then return i, value, nil end
    return i, nil, value
  end
end

--- Iterates over the documents of a YAML stream file (`---` between run reports):
---   for i, a, err in kb:each("season.yaml") do ... end
--- `a` is the assessment, or nil and `err` the error value of a bad document.
function KB:each(path)
  check_string(path, "the path")
  return documents(core.stream_open_file(self.handle, path))
end

--- Like each(), over YAML text.
function KB:each_yaml(text, name)
  check_string(text, "the YAML text")
  check_string(name, "the name", true)
  return documents(core.stream_open_string(self.handle, text, name or "<string>"))
end

local function kind_value(kind)
  local v = KIND_BY_WORD[kind]
  if v == nil then
    local known = {}
    for w in pairs(KIND_BY_WORD) do known[#known + 1] = w end
    table.sort(known)
    argument_error("unknown kind '" .. tostring(kind) .. "': one of " .. table.concat(known, ", "))
  end
  return v
end

--- Ids of the entries of one kind ("symptom", "observation", "body_area", "cause",
--- "recommendation", "red_flag", "misconception", "parameter", "rule", "source", "note").
function KB:ids(kind)
  local k, h, list = kind_value(kind), self.handle, {}
  for i = 0, core.kb_count(h, k) - 1 do list[#list + 1] = core.kb_id(h, k, i) end
  return list
end

--- One entry: {kind, id, name, description, file, line, column, sources = {{key, title}}}.
function KB:entry(id)
  check_string(id, "the id")
  local e = core.kb_entry(self.handle, id)
  e.kind = KIND[e.kind]
  e.sources = {}
  for i = 0, e.n_sources - 1 do
    local key, title = core.kb_entry_source(self.handle, id, i)
    e.sources[#e.sources + 1] = {key = key, title = title}
  end
  e.n_sources = nil
  return e
end

--- A model parameter: {value, low, high}.
function KB:parameter(id)
  check_string(id, "the id")
  local value, low, high = core.kb_parameter(self.handle, id)
  return {value = value, low = low, high = high}
end

--- Warnings the knowledge base reported when it was built (unused entries...).
function KB:warnings()
  local list = {}
  for i = 0, core.kb_warning_count(self.handle) - 1 do
    list[#list + 1] = core.kb_warning(self.handle, i)
  end
  return list
end

function KB:__tostring()
  return ("postrun.KnowledgeBase (%d causes, %d symptoms)"):format(
    core.kb_count(self.handle, core.KIND_CAUSE), core.kb_count(self.handle, core.KIND_SYMPTOM))
end

-- The same functions on the bundled knowledge base: postrun.assess{...}.
for _, name in ipairs{"assess", "check", "assess_yaml", "assess_file", "assess_activity", "render", "each",
                      "each_yaml", "ids", "entry", "parameter"} do
  postrun[name] = function(...)
    local kb = postrun.kb_default()
    return kb[name](kb, ...)
  end
end

-- ---- everything else ----

--- Every metric a rule or formula can use: {{name = "fluid.sweat_loss_l", unit = "l"}, ...}.
function postrun.metrics()
  local list = {}
  for i = 0, core.metric_count() - 1 do
    list[#list + 1] = {name = core.metric_name(i), unit = core.metric_unit(i)}
  end
  return list
end

--- Number of live library objects ("kb", "run", "assessment", "stream", "builder" or nil
--- for all), for leak tests.
function postrun.live_objects(kind)
  local k = ({kb = core.LIVE_KB, run = core.LIVE_RUN, assessment = core.LIVE_ASSESSMENT,
              stream = core.LIVE_STREAM, builder = core.LIVE_BUILDER})[kind or ""]
  return core.live_objects(k or core.LIVE_ALL)
end

postrun.strerror = core.strerror

return postrun
