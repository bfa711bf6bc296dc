-- ljs.sandbox: the interrupt flag that poll points read, and the lock-down of a runtime that
-- runs untrusted code (luascript/sandbox.py drives both; docs/sandbox.md says what they promise).
--
-- Poll points: code compiled for the sandbox starts every function body and every loop body
-- with
--     J0_fill(J0_PD, 1); if J0_INT[0] ~= 0 then J0.interrupted() end
-- J0_INT is FFI memory that a host thread writes (time limit, Ctrl-C). LuaJIT hoists a load of
-- FFI memory out of a compiled loop that stores nothing, `volatile` or not, so the loop would
-- never see the host's write; ffi.fill emits an XBAR (a barrier to its alias analysis) after
-- its one-byte store, which makes every iteration load the flag again. Measured on this
-- LuaJIT: no slower than the bare loop (0.6 ns per iteration), where a C call (strlen) as the
-- barrier costs 5 ns.
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.promise")

local S = {}

-- 0: run on; otherwise why to stop
local REASONS = {[1] = "time", [2] = "interrupt", [3] = "memory"}
S.TIME, S.INTERRUPT, S.MEMORY = 1, 2, 3

local flag = ffi.new("int32_t[1]")
local pad = ffi.new("uint8_t[1]")
local fill = ffi.fill
R.interrupt = flag
function S.flag_address() return tonumber(ffi.cast("uintptr_t", flag)) end
function S.reset() flag[0] = 0 end
function S.flag() return flag[0] end

-- The error that stops a program: it unwinds like process.exit (R.caught rethrows R.EXIT, so no
-- catch block sees it) and carries why. Made in advance: when memory ran out, making it must
-- not need memory.
local kills = {}
for code, reason in pairs(REASONS) do kills[code] = {code = 1, kill = reason} end
local function kill_marker(code)
  local k = kills[code]
  if getmetatable(k) == nil then setmetatable(k, R.EXIT) end
  return k
end

function R.interrupted()
  local code = flag[0]
  if code ~= 0 then error(kill_marker(code), 0) end
end

-- the poll point (a Lua function: traces inline it, so compiled code pays a store and a load)
function R.poll()
  fill(pad, 1)
  if flag[0] ~= 0 then R.interrupted() end
end

-- the reason a thrown value stopped the program, or nil
function S.kill_reason(e)
  if type(e) == "table" and getmetatable(e) == R.EXIT then return rawget(e, "kill") end
  return nil
end

-- Timers sleep in slices, so that a program waiting for a far timer still stops in time (the
-- sandbox's limits; the REPL's Ctrl-C).
function S.sliced_sleep(sleep, slice)
  return function(ms)
    local until_ms = R.now_ms() + ms
    while true do
      R.interrupted()
      local left = until_ms - R.now_ms()
      if left <= 0 then return end
      sleep(left < slice and left or slice)
    end
  end
end
local sleep_sliced = S.sliced_sleep(R.sleep_ms, 10)

---------------------------------------------------------------------------------------------
-- Memory. lupa's allocator refuses an allocation past the limit, and LuaJIT raises "not enough
-- memory"; LuaJIT does not collect first, and lupa's own API calls that follow a run (turning
-- its results into Python objects) are unprotected: one that finds no memory aborts the
-- process. So a run keeps a reserve (the ballast) that is dropped, and the garbage collected,
-- before a run that ran out, or came near the limit, returns to Python.
local BALLAST = 256 * 1024
local ballast = nil
S.BALLAST = BALLAST
-- (only under a memory limit: without one the reserve is 256 KB more for every GC cycle to count
-- and nothing to reserve it for)
local function restore_ballast()
  if ballast == nil and R.memory_limit_total then ballast = ffi.new("uint8_t[?]", BALLAST) end
end

local function near_limit()
  local limit = R.memory_limit_total
  return limit ~= nil and collectgarbage("count") * 1024 > limit - 2 * BALLAST
end

-- did the run fail for want of memory?
local function out_of_memory(e)
  if type(e) == "string" then return string.find(e, "not enough memory", 1, true) ~= nil end
  if type(e) ~= "table" then return false end
  if getmetatable(e) == R.EXIT then return rawget(e, "kill") == "memory" end
  return R.is_error(e) and rawget(e, "message") == "Out of memory"
end

-- around each run of the host's bridge (H.guarded in luascript/runtime.py): the reserve in place
-- before, which the run may use up; dropped, and the garbage collected, after a run that ran
-- out of memory or came near the limit
S.before_run = restore_ballast
function S.after_run(ok, err)
  if (ok == false and (R.memory_limit_total or out_of_memory(err))) or near_limit() then
    ballast = nil
    collectgarbage()
  end
end

---------------------------------------------------------------------------------------------
-- Lock-down. Compiled JS reaches Lua only through J0 (this runtime table) and the names the
-- compiler emits; a JS name is never a Lua global (free names read the JS global object).
-- What remains are the built-ins that expose the host: those are replaced here.

local function refuse(what)
  return function()
    R.throw_error("Error", what .. " is not available in the LuaScript sandbox")
  end
end

-- Lua's string library answers `s:find(...)` and friends for runtime Lua code (ljs/string.lua's
-- LUA_FALLBACK), and so also `"...".find(p)` in JS. Lua patterns run in C, where no poll point
-- reaches, and can take time polynomial or exponential in the subject ("a*a*a*a*b"); string.format
-- prints addresses ("%p"). In the sandbox the pattern functions take only plain finds and the
-- constant patterns the runtime itself uses, and format is refused.
local RUNTIME_PATTERNS = {}
for _, p in ipairs({"GT%((%a), (%a)%)", "A", "B", "%S+", "[^,%s]+", "([%w_]+)=([%d+]+)", "%d+", "."}) do
  RUNTIME_PATTERNS[p] = true
end
local function guard_string_fallback()
  local index = R.StringMT and R.StringMT.__index
  local fallback
  for i = 1, 200 do
    local name, v = debug.getupvalue(index, i)
    if name == nil then break end
    if name == "LUA_FALLBACK" then fallback = v break end
  end
  -- fail closed: a sandbox whose strings might still run arbitrary Lua patterns is no sandbox
  if type(fallback) ~= "table" then error("ljs.sandbox: the string library fallback was not found", 0) end
  local sfind, sgsub, sgmatch = string.find, string.gsub, string.gmatch
  local function pattern_error()
    R.type_error("Lua string patterns are not available in the LuaScript sandbox")
  end
  if fallback.find then
    fallback.find = function(s, p, init, plain)
      if not plain and not RUNTIME_PATTERNS[p] then pattern_error() end
      return sfind(s, p, init, plain)
    end
  end
  if fallback.gsub then
    fallback.gsub = function(s, p, r, n)
      if not RUNTIME_PATTERNS[p] then pattern_error() end
      return sgsub(s, p, r, n)
    end
  end
  if fallback.gmatch then
    fallback.gmatch = function(s, p)
      if not RUNTIME_PATTERNS[p] then pattern_error() end
      return sgmatch(s, p)
    end
  end
  if fallback.match then fallback.match = function() pattern_error() end end
  if fallback.format then
    fallback.format = function() R.type_error("string.format is not available in the LuaScript sandbox") end
  end
end

function S.lock_down(opts)
  -- the runtime's own code loads before the string library is guarded, not on a program's first read
  R.lazy_resolve_all()
  require("ljs.nodelib")
  R.sandboxed = true
  guard_string_fallback()
  R.sleep_ms = sleep_sliced
  require("ljs.regexp_engine").set_interrupt(flag, pad, fill, R.interrupted)
  -- require("lua:x") / import "lua:x": Lua modules are the whole host
  R.lua_import = refuse("require('lua:...')")
  -- node modules that reach the file system, the environment, other processes or the network,
  -- and this runtime's own native libraries
  local blocked = {"gpu", "openvino", "openvino-node", "ternary", "module", "vm", "v8", "worker_threads",
                   "child_process", "inspector", "wasi"}
  for _, name in ipairs(R.unsafe_modules or {}) do blocked[#blocked + 1] = name end
  for _, name in ipairs(blocked) do
    if not string.find(name, ".", 1, true) then
      R.builtin_modules[name] = refuse("the '" .. name .. "' module")
    end
  end
  -- the environment and the host's process
  local process = R.process
  rawset(process, "env", R.newobj())
  for _, k in ipairs({"getuid", "geteuid", "getgid", "getegid", "kill", "chdir", "dlopen", "binding",
                      "abort", "umask", "setuid", "setgid", "reallyExit", "_linkedBinding"}) do
    if rawget(process, k) ~= nil then R.method(process, k, 0, refuse("process." .. k)) end
  end
  for _, k in ipairs({"pid", "ppid"}) do if rawget(process, k) ~= nil then rawset(process, k, 0) end end
  rawset(process, "execPath", "luascript")
  R.cwd = "/"
  -- the test262 host object: detachArrayBuffer, gc and a global-scope eval of its own
  if rawget(R.G, "$262") ~= nil then R.delete(R.G, "$262") end
  R.host_fs = nil
  for k in pairs(R) do
    if type(k) == "string" and string.sub(k, 1, 8) == "host_fs_" then R[k] = nil end
  end
  R.host_library_dirs = nil
  R.set_environment = nil
end

-- Out of memory. In the sandbox it stops the program: with a memory limit it is the limit, not
-- an exception a program could catch and retry. Elsewhere it is a RangeError a catch block
-- sees, after a collection: LuaJIT collects nothing when an allocation fails, and the frames
-- the error unwound hold what the catch block needs.
local to_js = R.lua_error_to_js
R.lua_error_to_js = function(e)
  if type(e) == "string" and string.find(e, "not enough memory", 1, true) then
    if R.sandboxed then
      flag[0] = S.MEMORY
      error(kill_marker(S.MEMORY), 0)
    end
    collectgarbage()
  end
  return to_js(e)
end

return S
