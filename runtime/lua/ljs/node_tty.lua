-- ljs.node_tty: node's `tty` module. isatty(3) answers isatty; the window size comes from the
-- TIOCGWINSZ ioctl. ReadStream and WriteStream are classes whose prototypes carry node's methods
-- (getColorDepth, hasColors, the cursor controls), and process.stdout / process.stderr take
-- WriteStream's prototype when they are terminals (ljs.node_process asks for that at startup,
-- so this file loads without ljs.nodelib, which only its errors need).
--
-- Differences from node: no net.Socket beneath the classes (a stream made here writes, through
-- the runtime's own output for fds 1 and 2, and emits nothing), setRawMode(true) throws (the
-- runtime does not read stdin), and the size of a terminal is asked for on every read of
-- `columns` / `rows` instead of after a SIGWINCH.
local ffi = require("ffi")
local R = require("ljs.core")

local type, rawget, rawset = type, rawget, rawset
local sfind, smatch, slower = string.find, string.match, string.lower
local floor = math.floor
local null = R.null

pcall(ffi.cdef, "int isatty(int fd);")
pcall(ffi.cdef, "int ioctl(int fd, unsigned long request, ...);")
pcall(ffi.cdef, "long lseek(int fd, long offset, int whence);")
pcall(ffi.cdef, "struct ljs_winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };")
local C = ffi.C

-- TIOCGWINSZ is 0x5413 on Linux but for its powerpc and mips ports, which share the BSDs' value
local LINUX = jit and jit.os == "Linux"
local arch = jit and jit.arch or ""
local TIOCGWINSZ = (LINUX and not sfind(arch, "ppc", 1, true) and not sfind(arch, "mips", 1, true))
  and 0x5413 or 0x40087468
local ESPIPE = 29   -- the same number on Linux and the BSDs

local function N()
  require("ljs.nodelib")
  return R.nodelib
end

local put = R.own_put

local function fd_in_range(fd)
  return type(fd) == "number" and fd == floor(fd) and fd >= 0 and fd <= 2147483647
end

local function isatty(fd)
  return fd_in_range(fd) and C.isatty(fd) == 1
end

local winsize = ffi.new("struct ljs_winsize")
-- columns, rows of the terminal on fd; nil when fd is no terminal
local function window_size(fd)
  if not fd_in_range(fd) or C.ioctl(fd, TIOCGWINSZ, winsize) ~= 0 then return nil end
  return winsize.ws_col, winsize.ws_row
end

---------------------------------------------------------------------------------------------
-- Errors: ERR_INVALID_FD, node's SystemError ERR_TTY_INIT_FAILED, and the runtime's own
-- "not provided" for raw mode

local function invalid_fd(fd)
  N().throw_coded("RangeError", "ERR_INVALID_FD", '"fd" must be a positive integer: ' .. R.tostr(fd))
end

local function init_failed()
  local msg = "TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)"
  local e = R.make_error("Error", msg)
  R.defprop(e, "name", {value = "SystemError", writable = true, enumerable = false, configurable = true})
  R.set_error_stack(e, "SystemError [ERR_TTY_INIT_FAILED]: " .. msg .. "\n" .. (R.stack_lines and R.stack_lines(3) or ""))
  put(e, "code", "ERR_TTY_INIT_FAILED")
  local info = N().jsobject("errno", -22, "code", "EINVAL", "message", "invalid argument", "syscall", "uv_tty_init")
  put(e, "info", info)
  -- errno and syscall read and write the info object, as node's accessors do
  for _, k in ipairs({"errno", "syscall"}) do
    R.defaccessor(e, k, function() return R.get(info, k) end, function(_, v) R.put(info, k, v) end, true)
  end
  R.method(e, "toString", 0, function(this)
    return R.tostr(this.name) .. " [" .. R.tostr(this.code) .. "]: " .. R.tostr(this.message)
  end)
  R.throw(e)
end

-- node opens a stream on a terminal, a pipe or a socket (libuv's uv_tty_init refuses files and
-- devices); lseek failing with ESPIPE tells a pipe or socket from those
local function check_fd(fd)
  if not fd_in_range(fd) then invalid_fd(fd) end
  if C.isatty(fd) == 1 then return end
  if C.lseek(fd, 0, 1) == -1 and ffi.errno() == ESPIPE then return end
  init_failed()
end

---------------------------------------------------------------------------------------------
-- getColorDepth(env): node 20's answer (1, 4, 8 or 24 bits) from the environment, tried in this
-- order: FORCE_COLOR; NODE_DISABLE_COLORS, NO_COLOR and TERM=dumb (off); TMUX; CI services;
-- TeamCity; the terminal program; COLORTERM=truecolor; TERM; any other COLORTERM.

local FORCED = {[""] = 4, ["1"] = 4, ["true"] = 4, ["2"] = 8, ["3"] = 24}
local CI_256 = {"APPVEYOR", "BUILDKITE", "CIRCLECI", "DRONE", "GITHUB_ACTIONS", "GITLAB_CI", "TRAVIS"}
local TERM_PROGRAMS = {HyperTerm = 24, MacTerm = 24, Apple_Terminal = 8}
local TERMS = {
  eterm = 4, cons25 = 4, console = 4, cygwin = 4, dtterm = 4, gnome = 4, hurd = 4, jfbterm = 4,
  konsole = 4, kterm = 4, mlterm = 4, mosh = 24, putty = 4, st = 4, ["rxvt-unicode-24bit"] = 24,
  terminator = 24,
}
-- other names that mean 16 colours: these anywhere in the name, or these prefixes
local TERM_WORDS = {"ansi", "color", "linux"}
local TERM_PREFIXES = {"^con%d*x%d", "^rxvt", "^screen", "^xterm", "^vt100"}

local warned = false
-- FORCE_COLOR overriding NODE_DISABLE_COLORS / NO_COLOR is worth one warning per process
local function warn_overridden(env)
  if warned then return end
  local name = ""
  if R.get(env, "NODE_DISABLE_COLORS") ~= nil then name = "NODE_DISABLE_COLORS" end
  if R.get(env, "NO_COLOR") ~= nil then name = name ~= "" and (name .. "' and 'NO_COLOR") or "NO_COLOR" end
  if name == "" then return end
  warned = true
  local process = R.process
  process.emitWarning(process, "The '" .. name .. "' env is ignored due to the 'FORCE_COLOR' env being set.", "Warning")
end

local function term_depth(term)
  if sfind(term, "^xterm%-256") then return 8 end
  term = slower(term)
  if TERMS[term] then return TERMS[term] end
  for i = 1, #TERM_WORDS do
    if sfind(term, TERM_WORDS[i], 1, true) then return 4 end
  end
  for i = 1, #TERM_PREFIXES do
    if sfind(term, TERM_PREFIXES[i]) then return 4 end
  end
  return nil
end

local function color_depth(env)
  if env == nil then env = rawget(R.process, "env") end
  local force = R.get(env, "FORCE_COLOR")
  if force ~= nil then
    local d = type(force) == "string" and FORCED[force]
    if not d then return 1 end
    warn_overridden(env)
    return d
  end
  if R.get(env, "NODE_DISABLE_COLORS") ~= nil or R.get(env, "NO_COLOR") ~= nil or R.get(env, "TERM") == "dumb" then
    return 1
  end
  if R.truthy(R.get(env, "TMUX")) then return 8 end
  if R.truthy(R.get(env, "CI")) then
    for i = 1, #CI_256 do
      if R.has(env, CI_256[i]) then return 8 end
    end
    return R.get(env, "CI_NAME") == "codeship" and 8 or 1
  end
  if R.has(env, "TEAMCITY_VERSION") then
    local v = R.tostr(R.get(env, "TEAMCITY_VERSION"))
    return (smatch(v, "^9%.0*[1-9]%d*%.") or smatch(v, "^%d%d+%.")) and 4 or 1
  end
  local program = R.get(env, "TERM_PROGRAM")
  if program == "iTerm.app" then
    local v = R.get(env, "TERM_PROGRAM_VERSION")
    if not R.truthy(v) or smatch(R.tostr(v), "^[0-2]%.") then return 8 end
    return 24
  elseif type(program) == "string" and TERM_PROGRAMS[program] then
    return TERM_PROGRAMS[program]
  end
  local colorterm = R.get(env, "COLORTERM")
  if colorterm == "truecolor" or colorterm == "24bit" then return 24 end
  local term = R.get(env, "TERM")
  if R.truthy(term) then
    local d = term_depth(R.tostr(term))
    if d then return d end
  end
  return R.truthy(colorterm) and 4 or 1
end

-- hasColors([count][, env]): count defaults to 16, and a lone object argument is the environment
local function has_colors(count, env)
  if env == nil and (count == nil or (count ~= null and R.typeof(count) == "object")) then
    env, count = count, 16
  elseif type(count) ~= "number" then
    R.throw(N().invalid_arg_type("count", "number", count))
  elseif count ~= floor(count) or count - count ~= 0 then
    require("ljs.node_buffer").out_of_range("count", "an integer", count)
  elseif count < 2 or count > 9007199254740991 then
    require("ljs.node_buffer").out_of_range("count", ">= 2 && <= 9007199254740991", count)
  end
  return count <= 2 ^ color_depth(env)
end

---------------------------------------------------------------------------------------------
-- Cursor control: CSI sequences written to the stream the method is called on

local CSI = "\27["

local function numstr(v) return R.numtostr(R.tonum(v)) end

local function write_to(stream, data, cb)
  return stream.write(stream, data, cb)
end

-- a callback with nothing to write still runs, from the next tick
local function nothing_written(cb)
  if R.iscallable(cb) then R.enqueue_tick(cb, R.pack(null)) end
  return true
end

local function cursor_to(stream, x, y, cb)
  if R.iscallable(y) then y, cb = nil, y end
  if x ~= x then N().throw_coded("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'x' is invalid. Received NaN") end
  if y ~= y then N().throw_coded("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'y' is invalid. Received NaN") end
  if type(x) ~= "number" and type(y) ~= "number" then return nothing_written(cb) end
  local data
  if type(y) ~= "number" then
    data = CSI .. numstr(R.add(x, 1)) .. "G"
  else
    data = CSI .. numstr(y + 1) .. ";" .. R.tostr(R.add(x, 1)) .. "H"
  end
  return write_to(stream, data, cb)
end

local function move_cursor(stream, dx, dy, cb)
  if not R.truthy(dx) and not R.truthy(dy) then return nothing_written(cb) end
  local x, y, data = R.tonum(dx), R.tonum(dy), ""
  if x < 0 then data = CSI .. numstr(-x) .. "D" elseif x > 0 then data = CSI .. numstr(x) .. "C" end
  if y < 0 then data = data .. CSI .. numstr(-y) .. "A" elseif y > 0 then data = data .. CSI .. numstr(y) .. "B" end
  return write_to(stream, data, cb)
end

local function clear_line(stream, dir, cb)
  local d = R.tonum(dir)
  local data = d < 0 and "1K" or d > 0 and "0K" or "2K"   -- to the start, to the end, all of it
  return write_to(stream, CSI .. data, cb)
end

---------------------------------------------------------------------------------------------
-- The classes

local WriteStreamPrototype, ReadStreamPrototype
local WriteStream, ReadStream
-- each stream's descriptor (node keeps it in the stream's handle, not in a property)
local fds = setmetatable({}, {__mode = "k"})

-- what a stream made here writes with: the runtime's output for stdout and stderr (so that it
-- keeps its place among console.log's lines), write(2) for any other descriptor
local function stream_write(this, data, ...)
  local fd = fds[this]
  local s = R.tostr(data)
  if fd == 1 then R.write_out(s)
  elseif fd == 2 then R.write_err(s)
  elseif R.sandboxed then   -- a sandboxed program reaches no descriptor of the host's but its output
    R.throw(R.make_error("Error", "the sandbox does not allow writing to file descriptor " .. R.numtostr(fd)))
  else
    pcall(ffi.cdef, "long write(int fd, const void *buf, size_t n);")
    C.write(fd, s, #s)
  end
  local a, b = ...   -- (encoding, callback) or (callback)
  local cb = R.iscallable(b) and b or R.iscallable(a) and a or nil
  if cb then R.enqueue_tick(cb, R.pack()) end
  return true
end

-- a constructor f whose prototype is returned (untagged: node's streams print as [object Object])
local class = R.library_class

-- columns and rows of a terminal stream, asked for when read; a program may assign its own
local function size_accessor(stream, key, which)
  R.defaccessor(stream, key, function(this)
    local cols, rows = window_size(fds[this])
    if which == 1 then return cols end
    return rows
  end, function(this, v)
    R.defprop(this, key, {value = v, writable = true, enumerable = true, configurable = true})
  end, true)
end

WriteStream = function(this, fd)
  if not R.constructing(this, WriteStreamPrototype) then return R.new(WriteStream, fd) end
  check_fd(fd)
  fds[this] = fd
  local cols, rows = window_size(fd)
  if cols then
    put(this, "columns", cols)
    put(this, "rows", rows)
  end
  R.method(this, "write", 1, stream_write)
  return this
end
WriteStreamPrototype = class("WriteStream", 1, WriteStream)

ReadStream = function(this, fd, options)
  if not R.constructing(this, ReadStreamPrototype) then return R.new(ReadStream, fd, options) end
  check_fd(fd)
  fds[this] = fd
  put(this, "isRaw", false)
  put(this, "isTTY", true)
  return this
end
ReadStreamPrototype = class("ReadStream", 2, ReadStream)

local function proto_method(proto, name, len, f, anonymous)
  put(proto, name, R.fn(f, anonymous and "" or name, len))
end

local WP = WriteStreamPrototype
put(WP, "isTTY", true)
proto_method(WP, "getColorDepth", 0, function(_, env) return color_depth(env) end)
proto_method(WP, "hasColors", 2, function(_, count, env) return has_colors(count, env) end)
proto_method(WP, "_refreshSize", 0, function(this)
  local cols, rows = window_size(fds[this])
  if not cols or (cols == R.get(this, "columns") and rows == R.get(this, "rows")) then return end
  R.put(this, "columns", cols)
  R.put(this, "rows", rows)
  local emit = R.get(this, "emit")
  if R.iscallable(emit) then emit(this, "resize") end
end, true)
proto_method(WP, "cursorTo", 3, function(this, x, y, cb) return cursor_to(this, x, y, cb) end, true)
proto_method(WP, "moveCursor", 3, function(this, dx, dy, cb) return move_cursor(this, dx, dy, cb) end, true)
proto_method(WP, "clearLine", 2, function(this, dir, cb) return clear_line(this, dir, cb) end, true)
proto_method(WP, "clearScreenDown", 1, function(this, cb) return write_to(this, CSI .. "0J", cb) end, true)
proto_method(WP, "getWindowSize", 0, function(this)
  return R.pack(R.get(this, "columns"), R.get(this, "rows"))
end, true)

proto_method(ReadStreamPrototype, "setRawMode", 1, function(this, flag)
  if not R.truthy(flag) then
    R.put(this, "isRaw", false)
    return this
  end
  local e = R.make_error("Error", "LuaScript does not provide raw mode on terminals (setRawMode was called)")
  e.code = "ERR_LUASCRIPT_UNSUPPORTED"
  R.throw(e)
end, true)

---------------------------------------------------------------------------------------------

local tty = R.newobj()
put(tty, "isatty", R.fn(function(_, fd) return isatty(fd) end, "isatty", 1))
put(tty, "ReadStream", ReadStream)
put(tty, "WriteStream", WriteStream)

local M = {exports = tty}

-- node's shouldColorize(stream) (internal/util/colors): FORCE_COLOR decides alone when set,
-- else a terminal stream whose colour depth is over 2 bits (or one that cannot tell)
function M.should_colorize(stream)
  local env = R.process and rawget(R.process, "env")
  if env and R.get(env, "FORCE_COLOR") ~= nil then return color_depth(env) > 2 end
  if not R.isobject(stream) or not R.truthy(R.get(stream, "isTTY")) then return false end
  local depth = R.get(stream, "getColorDepth")
  if R.iscallable(depth) then return R.tonum(depth(stream)) > 2 end
  return true
end

-- process.stdout / process.stderr on a terminal: a tty.WriteStream, sized when asked
function M.terminal_stream(stream, fd)
  fds[stream] = fd
  R.setproto(stream, WriteStreamPrototype)
  size_accessor(stream, "columns", 1)
  size_accessor(stream, "rows", 2)
end

-- the other way: a host whose output for fd 1 or 2 goes elsewhere than the descriptor (a
-- Python stream that is no terminal) makes the process stream a plain one again
function M.not_terminal(stream)
  if fds[stream] == nil then return end
  fds[stream] = nil
  R.setproto(stream, R.ObjectPrototype)
  R.delete(stream, "columns")
  R.delete(stream, "rows")
end

return M
