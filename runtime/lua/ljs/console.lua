-- ljs.console: the global `console` object, as node 20's Console prints.
--
-- log/info/debug/dir/table/count/time* write to stdout, error/warn/trace/assert to stderr,
-- through R.write_out / R.write_err. Every line written carries the current group
-- indentation, as node's kWriteToConsole does. What they inspect is coloured when node's
-- console would colour the stream (ljs.node_tty's should_colorize).
local R = require("ljs.core")

local type, select, rawget, tostring, tonumber, pcall, ipairs, require =
      type, select, rawget, tostring, tonumber, pcall, ipairs, require
local floor, max, ceil, huge = math.floor, math.max, math.ceil, math.huge
local io, os = io, os
local sfind, sgsub, srep, ssub = string.find, string.gsub, string.rep, string.sub
local concat = table.concat

-- Default sinks when no other module has installed them.
if not R.write_out then
  R.write_out = function(s) io.stdout:write(s) end
end
if not R.write_err then
  R.write_err = function(s) io.stderr:write(s) end
end

local console = R.newobj()
local group_indent = ""
local GROUP_WIDTH = 2

local function write(to_err, s)
  if group_indent ~= "" then
    if sfind(s, "\n", 1, true) then s = sgsub(s, "\n", "\n" .. group_indent) end
    s = group_indent .. s
  end
  -- a lone surrogate has no UTF-8 form: the terminal gets U+FFFD, as node writes it
  if sfind(s, "\237[\160-\191]") then s = sgsub(s, "\237[\160-\191][\128-\191]", "\239\191\189") end
  local w = to_err and R.write_err or R.write_out
  w(s .. "\n")
end

-- The inspect options for what goes to stdout (or stderr): colours when node's console would
-- colour that stream (its colorMode 'auto': a terminal, or FORCE_COLOR).
local COLORS = {colors = true}
local function stream_options(to_err)
  local p = R.process
  if not p then return nil end
  local stream, env = rawget(p, to_err and "stderr" or "stdout"), rawget(p, "env")
  -- (no terminal and no FORCE_COLOR: no colours, without loading ljs.node_tty)
  if not (env and R.get(env, "FORCE_COLOR") ~= nil) and not (R.isobject(stream) and R.truthy(R.get(stream, "isTTY"))) then
    return nil
  end
  return require("ljs.node_tty").should_colorize(stream) and COLORS or nil
end

-- Strings alone, none of them a format string, print as they are: no need to load ljs.inspect.
local function format(to_err, ...)
  local n = select("#", ...)
  if n == 1 then
    local s = ...
    if type(s) == "string" then return s end
  elseif n > 1 then
    local first = ...
    if type(first) == "string" and not sfind(first, "%", 1, true) then
      local parts = {...}
      for i = 1, n do
        if type(parts[i]) ~= "string" then return (R.format_with_options(stream_options(to_err), ...)) end
      end
      return concat(parts, " ")
    end
  end
  return (R.format_with_options(stream_options(to_err), ...))
end

-- process.emitWarning stand-in: node prints "(node:PID) Warning: ..." on stderr.
local function warning(msg)
  R.write_err("(node) Warning: " .. msg .. "\n")
end

local function log(this, ...) write(false, format(false, ...)) end
local function warn(this, ...) write(true, format(true, ...)) end

R.method(console, "log", 0, log)
R.method(console, "info", 0, function(this, ...) write(false, format(false, ...)) end)
R.method(console, "debug", 0, function(this, ...) write(false, format(false, ...)) end)
R.method(console, "dirxml", 0, function(this, ...) write(false, format(false, ...)) end)
R.method(console, "warn", 0, warn)
R.method(console, "error", 0, function(this, ...) write(true, format(true, ...)) end)

R.method(console, "dir", 0, function(this, obj, options)
  local opts = {customInspect = false, colors = stream_options(false) and true or nil}
  if type(options) == "table" and options ~= R.null then
    for _, k in ipairs({"showHidden", "depth", "colors", "customInspect", "showProxy", "maxArrayLength",
                        "maxStringLength", "breakLength", "compact", "sorted", "getters"}) do
      local v = options[k]
      if v ~= nil then opts[k] = v end
    end
  end
  write(false, R.inspect(obj, opts))
end)

R.method(console, "trace", 0, function(this, ...)
  local msg = format(true, ...)
  local stack = "Trace" .. (msg ~= "" and ": " .. msg or "")
  if R.stack_lines then
    -- levels: 1 stack_lines, 2 this method, 3 its JS caller
    local frames = R.stack_lines(3)
    if type(frames) == "string" and frames ~= "" then stack = stack .. "\n" .. frames end
  end
  write(true, stack)
end)

R.method(console, "assert", 0, function(this, expression, ...)
  if R.truthy(expression) then return end
  local n = select("#", ...)
  if n == 0 then
    warn(nil, "Assertion failed")
  else
    warn(nil, "Assertion failed: " .. R.tostr((...)), select(2, ...))
  end
end)

R.method(console, "clear", 0, function() end)   -- only a TTY gets cleared

---------------------------------------------------------------------------------------------
-- count / countReset
local counts = {}

local function label_of(label)
  if label == nil then return "default" end
  return R.tostr(label)
end

R.method(console, "count", 0, function(this, label)
  label = label_of(label)
  local c = (counts[label] or 0) + 1
  counts[label] = c
  write(false, label .. ": " .. c)
end)

R.method(console, "countReset", 0, function(this, label)
  label = label_of(label)
  if counts[label] == nil then
    warning("Count for '" .. label .. "' does not exist")
    return
  end
  counts[label] = nil
end)

---------------------------------------------------------------------------------------------
-- group / groupEnd
local function group(this, ...)
  if select("#", ...) > 0 then log(this, ...) end
  group_indent = group_indent .. srep(" ", GROUP_WIDTH)
end
R.method(console, "group", 0, group)
R.method(console, "groupCollapsed", 0, group)
R.method(console, "groupEnd", 0, function()
  group_indent = ssub(group_indent, 1, max(0, #group_indent - GROUP_WIDTH))
end)

---------------------------------------------------------------------------------------------
-- time / timeLog / timeEnd
-- A monotonic clock in milliseconds: a runtime-provided one, else clock_gettime through the
-- FFI, else CPU time (good enough to keep the output's shape).
local now_ms
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    pcall(ffi.cdef, [[
      typedef struct { long tv_sec; long tv_nsec; } ljs_console_timespec;
      int clock_gettime(int clk_id, ljs_console_timespec *tp);
    ]])
    local okn, ts = pcall(ffi.new, "ljs_console_timespec")
    if okn and pcall(function() return ffi.C.clock_gettime(1, ts) end) then
      now_ms = function()
        ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
        return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
      end
    end
  end
  if not now_ms then now_ms = function() return os.clock() * 1000 end end
end

local function clock()
  if R.now_ms then return R.now_ms() end
  return now_ms()
end

local function to_fixed3(x)
  local N = require("ljs.numconv")
  return N.toFixed(x, 3)
end

local function pad2(v)
  v = tostring(v)
  if #v < 2 then return "0" .. v end
  return v
end

-- node's formatTime: 1.234ms, 1.500s, 1:02.003 (m:ss.mmm), 1:02:03.004 (h:mm:ss.mmm)
local function format_time(ms)
  local hours, minutes, seconds = 0, 0, 0
  if ms >= 1000 then
    if ms >= 60000 then
      if ms >= 3600000 then
        hours = floor(ms / 3600000)
        ms = ms % 3600000
      end
      minutes = floor(ms / 60000)
      ms = ms % 60000
    end
    seconds = ms / 1000
  end
  if hours ~= 0 or minutes ~= 0 then
    local fixed = to_fixed3(seconds)
    local s, frac = string.match(fixed, "^(%d+)%.(%d+)$")
    local res = hours ~= 0 and (hours .. ":" .. pad2(minutes)) or tostring(minutes)
    return res .. ":" .. pad2(s) .. "." .. frac .. " (" .. (hours ~= 0 and "h:m" or "") .. "m:ss.mmm)"
  end
  if seconds ~= 0 then return to_fixed3(seconds) .. "s" end
  return R.numtostr(tonumber(to_fixed3(ms))) .. "ms"
end
R.console_format_time = format_time

local timers = {}

R.method(console, "time", 0, function(this, label)
  label = label_of(label)
  if timers[label] then
    warning("Label '" .. label .. "' already exists for console.time()")
    return
  end
  timers[label] = clock()
end)

local function time_log(name, label, ...)
  local start = timers[label]
  if not start then
    warning("No such label '" .. label .. "' for console." .. name .. "()")
    return false
  end
  log(nil, "%s: %s", label, format_time(clock() - start), ...)
  return true
end

R.method(console, "timeLog", 0, function(this, label, ...)
  time_log("timeLog", label_of(label), ...)
end)

R.method(console, "timeEnd", 0, function(this, label)
  label = label_of(label)
  if time_log("timeEnd", label) then timers[label] = nil end
end)

---------------------------------------------------------------------------------------------
-- table (node's internal/cli_table)
-- a cell's width without its ANSI escapes (node's getStringWidth)
local function cell_width(s)
  if sfind(s, "[\27\194]") then require("ljs.inspect"); s = R.strip_vt(s) end
  return R.strwidth(s)
end

local function render_row(row, widths)
  local out = {"│ "}
  for i = 1, #row do
    local cell = row[i]
    out[#out + 1] = cell .. srep(" ", ceil(widths[i] - cell_width(cell)))
    if i ~= #row then out[#out + 1] = " │ " end
  end
  out[#out + 1] = " │"
  return concat(out)
end

-- head: list of strings; columns: list of sparse lists (index -> string) with lengths.
local function cli_table(head, columns)
  local widths = {}
  for i = 1, #head do widths[i] = cell_width(head[i]) end
  local longest = 0
  for i = 1, #columns do longest = max(longest, columns[i].n) end
  local rows = {}
  for i = 1, #head do
    local column = columns[i]
    for j = 1, longest do
      rows[j] = rows[j] or {}
      local v = column[j] or ""
      rows[j][i] = v
      widths[i] = max(widths[i] or 0, cell_width(v))
    end
  end
  local divider = {}
  for i = 1, #widths do divider[i] = srep("─", widths[i] + 2) end
  local out = {"┌" .. concat(divider, "┬") .. "┐", render_row(head, widths),
               "├" .. concat(divider, "┼") .. "┤"}
  for j = 1, #rows do out[#out + 1] = render_row(rows[j], widths) end
  out[#out + 1] = "└" .. concat(divider, "┴") .. "┘"
  return concat(out, "\n")
end

local table_colors   -- colours for the table being made (nil or true)
local function table_inspect(v)
  local depth = 0
  if type(v) == "table" and R.isobject(v) and not R.isarray(v) and not (R.typed_kind and R.typed_kind(v)) then
    local _, n = R.ownkeys(v)
    if n > 2 then depth = -1 end
  end
  return R.inspect(v, {depth = depth, maxArrayLength = 3, breakLength = huge, colors = table_colors})
end

local function new_column() return {n = 0} end
local function col_set(col, i, v) col[i] = v; if i > col.n then col.n = i end end

local function index_column(n)
  local c = new_column()
  for i = 1, n do col_set(c, i, table_inspect(i - 1)) end
  return c
end

R.method(console, "table", 1, function(this, data, properties)
  if not R.isobject(data) then return log(this, data) end
  table_colors = stream_options(false) and true or nil
  local kind = R.coll_kind and R.coll_kind(data)
  if kind == "Map" then
    local keys, values, n = new_column(), new_column(), 0
    for k, v in R.coll_each(data) do
      n = n + 1
      col_set(keys, n, table_inspect(k)); col_set(values, n, table_inspect(v))
    end
    return write(false, cli_table({"(iteration index)", "Key", "Values"}, {index_column(n), keys, values}))
  end
  if kind == "Set" then
    local values, n = new_column(), 0
    for k in R.coll_each(data) do n = n + 1; col_set(values, n, table_inspect(k)) end
    return write(false, cli_table({"(iteration index)", "Values"}, {index_column(n), values}))
  end

  local props
  if properties ~= nil then
    props = {}
    for i = 0, (rawget(properties, "length") or 0) - 1 do props[#props + 1] = R.tokey(properties[i]) end
  end
  local map_keys, map = {}, {}          -- column name -> column, in first-seen order
  local has_primitives = false
  local values_col = new_column()
  local index_keys, nidx = R.ownkeys(data)
  local index_col = new_column()
  for i = 1, nidx do
    local k = index_keys[i]
    col_set(index_col, i, type(k) == "number" and R.numtostr(k) or k)
    local item = data[k]
    local primitive = not R.isobject(item)
    if props == nil and primitive then
      has_primitives = true
      col_set(values_col, i, table_inspect(item))
    else
      local keys = props
      if not keys then keys = (R.ownkeys(item)) end
      for _, key in ipairs(keys) do
        local col = map[key]
        if not col then col = new_column(); map[key] = col; map_keys[#map_keys + 1] = key end
        if (primitive and props) or not R.hasown(item, key) then
          col_set(col, i, "")
        else
          col_set(col, i, table_inspect(item[key]))
        end
      end
    end
  end
  -- node gathers the columns in an object: its integer keys (array indices, numbers here) come
  -- first, ascending, then the others in the order first seen
  local ints, others = {}, {}
  for _, key in ipairs(map_keys) do
    if type(key) == "number" then ints[#ints + 1] = key else others[#others + 1] = key end
  end
  if #ints > 0 then
    table.sort(ints)
    for _, key in ipairs(others) do ints[#ints + 1] = key end
    map_keys = ints
  end
  local head, columns = {"(index)"}, {index_col}
  for _, key in ipairs(map_keys) do
    head[#head + 1] = type(key) == "number" and R.numtostr(key) or R.keystr(key)
    columns[#columns + 1] = map[key]
  end
  if has_primitives then head[#head + 1] = "Values"; columns[#columns + 1] = values_col end
  write(false, cli_table(head, columns))
end)

R.tag(console, "console")
R.hidden(R.G, "console", console)
R.console = console

return console
