-- profiler.symbols: what the host needs to name sampled frames, from LuaJIT itself.
-- jit.vmdef is not shipped with lupa's LuaJIT, so builtin ids are named from the library
-- tables, and function extents come from walking the prototypes of a loaded (not run) chunk.
local util = require("jit.util")
local funcinfo, funck = util.funcinfo, util.funck
local concat = table.concat

local M = {}

-- "ffid name" lines for the fast functions reachable from the standard library tables.
function M.builtins()
  local out, seen = {}, {}
  local libs = {_G = _G, string = string, table = table, math = math, coroutine = coroutine,
                bit = bit, io = io, os = os, debug = debug, jit = jit}
  for lname, lib in pairs(libs) do
    for k, v in pairs(lib) do
      if type(v) == "function" then
        local ffid = funcinfo(v).ffid
        if ffid and not seen[ffid] then
          seen[ffid] = true
          out[#out + 1] = ffid .. " " .. (lname == "_G" and k or lname .. "." .. k)
        end
      end
    end
  end
  return concat(out, "\n")
end

-- "linedefined lastlinedefined parent" lines, one per prototype of the chunk, parents first
-- (parent is the 1-based line index of the enclosing prototype, 0 for the chunk itself).
function M.functions(text, chunkname)
  local chunk = load(text, chunkname)
  if not chunk then return "" end
  local out = {}
  local function walk(p, parent)
    local info = funcinfo(p)
    out[#out + 1] = info.linedefined .. " " .. info.lastlinedefined .. " " .. parent
    local me, k = #out, -1
    while true do
      local c = funck(p, k)
      if c == nil then break end
      if type(c) == "proto" then walk(c, me) end
      k = k - 1
    end
  end
  walk(chunk, 0)
  return concat(out, "\n")
end

return M
