-- ljs.node_process: what node's `process` has beyond rt.lua's core of it (argv, exit, cwd,
-- nextTick, on('exit')): the environment, node's version strings, precise hrtime and
-- hrtime.bigint, uptime, memoryUsage, emitWarning, arch and ids. `require('process')` is the
-- global object itself.
--
-- Version: packages test process.version / process.versions.node to pick code paths; LuaScript
-- reports node v20.0.0, the release line whose behaviour its built-ins follow, and the lowest
-- of that line, so that no feature of a later 20.x is promised.
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.promise")

local type, rawget, rawset, tostring = type, rawget, rawset, tostring
local floor = math.floor
local G, null = R.G, R.null

local process = R.process
local M = {exports = process}
if not process then return M end

local NODE_VERSION = "20.0.0"

local put = R.own_put

local function jsobject(...)
  local o = R.newobj()
  for i = 1, select("#", ...), 2 do
    local k, v = select(i, ...)
    put(o, k, v)
  end
  return o
end

put(process, "version", "v" .. NODE_VERSION)
local versions = rawget(process, "versions") or R.newobj()
put(versions, "node", NODE_VERSION)
put(process, "versions", versions)
put(process, "release", jsobject("name", "node"))
local ARCH = {x64 = "x64", x86 = "ia32", arm64 = "arm64", arm = "arm", ppc = "ppc", mips = "mips"}
put(process, "arch", jit and ARCH[jit.arch] or "x64")
put(process, "title", "luascript")
put(process, "argv0", "luascript")
put(process, "execArgv", R.pack())
local ok_cdef = pcall(ffi.cdef, [[
  int getppid(void);
  unsigned int getuid(void);
  unsigned int geteuid(void);
  unsigned int getgid(void);
  unsigned int getegid(void);
  int isatty(int fd);
]])
local C = ffi.C
local function posix(name)
  local ok, f = pcall(function() return C[name] end)
  return ok and f or nil
end
do
  local getppid = posix("getppid")
  if getppid then put(process, "ppid", tonumber(getppid())) end
end
for _, name in ipairs({"getuid", "geteuid", "getgid", "getegid"}) do
  local f = posix(name)
  if f then R.method(process, name, 0, function() return tonumber(f()) end) end
end

-- process.stdout.isTTY is true on a terminal and absent otherwise, as in node: a terminal's
-- stream is a tty.WriteStream (isTTY, columns, rows, getColorDepth, ...), which ljs.node_tty makes
do
  local isatty = posix("isatty")
  for fd, key in pairs({[1] = "stdout", [2] = "stderr"}) do
    local stream = rawget(process, key)
    if stream then
      put(stream, "fd", fd)
      if isatty and isatty(fd) == 1 then require("ljs.node_tty").terminal_stream(stream, fd) end
    end
  end
end
-- the host writes process.stdout or process.stderr ("stdout", "stderr") elsewhere than to fd 1 or 2,
-- to no terminal: the stream is no tty.WriteStream then
function R.not_terminal(key)
  local stream = rawget(process, key)
  if stream and package.loaded["ljs.node_tty"] then require("ljs.node_tty").not_terminal(stream) end
end

-- process.env: filled by the host (luascript/runtime.py passes os.environ, in its order); a
-- sandbox does not call this and its process.env stays empty. A store keeps a string, as node's
-- does (process.env.PORT = 3000 reads back "3000"): a proxy whose set trap converts.
local env_vars = rawget(process, "env") or R.newobj()
do
  local handler = R.newobj()
  handler.set = function(_, t, k, v) put(t, k, R.tostr(v)); return true end
  put(process, "env", R.G.Proxy(true, env_vars, handler))
end
function R.set_environment(list)
  for i = 1, #list - 1, 2 do put(env_vars, tostring(list[i]), tostring(list[i + 1])) end
end
-- the command that runs a file as this process runs its main one (`spawn(process.execPath, [file])`)
function R.set_exec_path(p) put(process, "execPath", p) end

---------------------------------------------------------------------------------------------
-- Time

local ts = ffi.new("ljs_timespec")   -- declared by ljs.promise
local function monotonic()
  C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec), tonumber(ts.tv_nsec)
end

local hrtime = R.method(process, "hrtime", 1, function(_, prev)
  local s, ns = monotonic()
  if prev ~= nil then
    if not (R.isarray(prev) and prev.length == 2) then   -- node's errors are in ljs.nodelib
      require("ljs.nodelib")
      if not R.isarray(prev) then R.throw(R.nodelib.invalid_arg_type("time", "Array", prev)) end
      R.throw(R.nodelib.coded_error("RangeError", "ERR_OUT_OF_RANGE",
        'The value of "time" is out of range. It must be 2. Received ' .. R.inspect(prev.length)))
    end
    s = s - R.tonum(prev[0]); ns = ns - R.tonum(prev[1])
    if ns < 0 then s = s - 1; ns = ns + 1e9 end
  end
  return R.pack(s, ns)
end)
R.method(hrtime, "bigint", 0, function()
  C.clock_gettime(1, ts)
  local v = ffi.new("int64_t", ts.tv_sec) * 1000000000 + ts.tv_nsec
  return R.big.from_int64(v)
end)

R.method(process, "uptime", 0, function() return (R.now_ms() - R.start_ms) / 1000 end)

-- resident set size from /proc (Linux); elsewhere the Lua heap stands in for it
local function rss()
  local f = io.open("/proc/self/statm", "r")
  if f then
    local line = f:read("*l")
    f:close()
    local pages = line and string.match(line, "^%d+%s+(%d+)")
    if pages then return tonumber(pages) * 4096 end
  end
  return collectgarbage("count") * 1024
end

local memoryUsage = R.method(process, "memoryUsage", 0, function()
  local heap = collectgarbage("count") * 1024
  return jsobject("rss", rss(), "heapTotal", heap, "heapUsed", heap, "external", 0, "arrayBuffers", 0)
end)
R.method(memoryUsage, "rss", 0, function() return rss() end)

---------------------------------------------------------------------------------------------
-- emitWarning(warning[, type | options[, code]]): "(node:PID) [code] Type: message" on stderr,
-- from a later tick, as node prints it

R.method(process, "emitWarning", 4, function(_, warning, kind, code)
  require("ljs.nodelib")
  local N = R.nodelib
  local detail
  if type(kind) == "table" and kind ~= null and not R.isarray(kind) and not R.iscallable(kind) then
    code = kind.code
    if type(kind.detail) == "string" then detail = kind.detail end
    kind = kind.type
    if not R.truthy(kind) then kind = "Warning" end
  elseif R.iscallable(kind) then
    kind, code = "Warning", nil
  end
  if kind ~= nil then N.validate_string(kind, "type") end
  if R.iscallable(code) then code = nil elseif code ~= nil then N.validate_string(code, "code") end
  local name, message
  if type(warning) == "string" then
    name, message = kind or "Warning", warning
  elseif R.is_error(warning) then
    name, message = R.tostr(warning.name), R.tostr(warning.message)
  else
    R.throw(N.invalid_arg_type("warning", {"Error", "string"}, warning))
  end
  if name == "DeprecationWarning" then
    if R.truthy(rawget(process, "noDeprecation")) then return nil end
    if R.truthy(rawget(process, "throwDeprecation")) then
      if type(warning) == "string" then
        local e = R.make_error("Error", message)
        e.name = name
        if code ~= nil then e.code = code end
        R.throw(e)
      end
      R.throw(warning)
    end
  end
  if detail then message = message .. "\n" .. detail end
  -- node looks at noDeprecation again when it prints, a tick later
  R.enqueue_tick(function()
    if name == "DeprecationWarning" and R.truthy(rawget(process, "noDeprecation")) then return end
    if R.process_listening("warning") > 0 then   -- the Error node hands its "warning" listeners
      local w = warning
      if type(w) == "string" then
        w = R.make_error("Error", w)
        w.name = name
        if code ~= nil then w.code = code end
        if detail then w.detail = detail end
      end
      R.process_emit("warning", w)
    end
    N.emit_warning(message, name, code)
  end, R.pack())
  return nil
end)

return M
