-- ljs.jitlog: trace aborts of LuaJIT's compiler, mapped to .ljs lines (LUASCRIPT_JIT_LOG=1).
-- lupa's LuaJIT ships without jit/vmdef.lua, so jit.v is absent; jit.attach still reports events.
local R = require("ljs.core")
local jutil = require("jit.util")
local guard = require("ljs.jitguard")   -- owns the "trace" event

local counts = {}
local flushed_before = 0

local function where(func, pc)
  local info = jutil.funcinfo(func, pc)
  local src = info.source or "?"
  local line = info.currentline or info.linedefined or 0
  local js = R.jsline and R.jsline(src, line)
  if js then return src:sub(2) .. ":" .. js .. " (lua " .. line .. ")" end
  return (info.loc or (src .. ":" .. line))
end

local function on_trace(what, tr, func, pc, otr, oex)
  if what == "abort" then
    local key = where(func, pc) .. "  " .. tostring(otr) .. " " .. tostring(oex)
    counts[key] = (counts[key] or 0) + 1
  end
end

local M = {}
function M.start()
  flushed_before = guard.flushed_all
  guard.listen(on_trace)
end
function M.report(write)
  guard.unlisten(on_trace)
  local list = {}
  for k, n in pairs(counts) do list[#list + 1] = {k, n} end
  table.sort(list, function(a, b) return a[2] > b[2] end)
  local flushed = guard.flushed_all - flushed_before
  if flushed > 0 then
    write(string.format("-- LuaJIT dropped all its traces %d times (trace cache full, or a metatable of strings or numbers set) --\n", flushed))
  end
  write("-- LuaJIT trace aborts (count, location, error code, detail) --\n")
  for i = 1, math.min(#list, 40) do write(string.format("%6d  %s\n", list[i][2], list[i][1])) end
end
return M
