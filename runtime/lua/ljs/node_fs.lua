-- ljs.node_fs: node's `fs` module for reading and writing files: the synchronous calls, their
-- callback forms and fs.promises, with node 20's errors (ENOENT etc. with errno, code, syscall,
-- path and libuv's message).
--
-- File contents go through Lua's io (no copy through the host). Metadata (stat, readdir, mkdir,
-- unlink, rename, rm, ...) goes through the host's R.host_fs_* hooks (luascript/nodefs.py):
-- `struct stat` and `struct dirent` differ between architectures, C libraries and platforms,
-- so the FFI has no portable way to them, and Python's `os` has.
--
-- Callbacks and promises run the synchronous call in a later turn of the event loop
-- (setImmediate), after the current tick's nextTicks and microtasks, as node's thread pool does.
local R = require("ljs.core")
local B = require("ljs.node_buffer")
local ffi = require("ffi")
require("ljs.nodelib")

local type, rawget, rawset, select, tostring, pcall, unpack = type, rawget, rawset, select, tostring, pcall, unpack
local band = require("bit").band
local floor = math.floor
local sfind, ssub, sbyte = string.find, string.sub, string.byte
local G, null = R.G, R.null
local N = R.nodelib
local put, coded_error, invalid_arg_type = N.put, N.coded_error, N.invalid_arg_type

local M = {}

---------------------------------------------------------------------------------------------
-- Errors

-- libuv's uv_strerror texts, which node puts in its messages
local UV_MESSAGES = {
  E2BIG = "argument list too long", EACCES = "permission denied", EBADF = "bad file descriptor",
  EBUSY = "resource busy or locked", EEXIST = "file already exists", EFBIG = "file too large",
  EINVAL = "invalid argument", EIO = "i/o error", EISDIR = "illegal operation on a directory",
  ELOOP = "too many symbolic links encountered", EMFILE = "too many open files",
  ENAMETOOLONG = "name too long", ENFILE = "file table overflow", ENODEV = "no such device",
  ENOENT = "no such file or directory", ENOMEM = "not enough memory", ENOSPC = "no space left on device",
  ENOTDIR = "not a directory", ENOTEMPTY = "directory not empty", ENXIO = "no such device or address",
  EPERM = "operation not permitted", EROFS = "read-only file system", ESPIPE = "invalid seek",
  ETXTBSY = "text file is busy", EXDEV = "cross-device link not permitted", EAGAIN = "resource temporarily unavailable",
}
-- errno numbers Lua's io reports (the low ones, which Linux and the BSDs share)
local ERRNO_NAMES = {
  [1] = "EPERM", [2] = "ENOENT", [5] = "EIO", [6] = "ENXIO", [9] = "EBADF", [11] = "EAGAIN", [12] = "ENOMEM",
  [13] = "EACCES", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR",
  [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [26] = "ETXTBSY", [27] = "EFBIG",
  [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS",
}

-- node's uvException: "CODE: message, syscall 'path' -> 'dest'"
local function uv_error(code, errno, syscall, path, dest)
  local msg = code .. ": " .. (UV_MESSAGES[code] or "unknown error") .. ", " .. syscall
  if path ~= nil then msg = msg .. " '" .. path .. "'" end
  if dest ~= nil then msg = msg .. " -> '" .. dest .. "'" end
  local e = R.make_error("Error", msg)
  put(e, "errno", -errno)
  put(e, "code", code)
  put(e, "syscall", syscall)
  if path ~= nil then put(e, "path", path) end
  if dest ~= nil then put(e, "dest", dest) end
  return e
end

-- an error of a read(2) or another call on a file descriptor (ljs.node_stdin)
function M.errno_error(errno, syscall)
  return uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, syscall)
end

local function io_fail(errno, syscall, path)
  R.throw(uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, syscall, path))
end

-- a host hook's failure: (nil, code, errno)
local function check(ok, code, errno, syscall, path, dest)
  if ok == nil then R.throw(uv_error(code, errno, syscall, path, dest)) end
  return ok
end

local function host(name)
  local f = R["host_fs_" .. name]
  if not f then R.throw_error("Error", "luascript: fs needs the LuaScript host for " .. name .. " (not available here)") end
  return f
end

local function invalid_value(name, v, reason)
  R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE",
    "The argument '" .. name .. "' " .. reason .. ". Received " .. R.inspect(v)))
end

---------------------------------------------------------------------------------------------
-- Arguments

-- a path: string, Buffer or file: URL
local function path_arg(p, name)
  name = name or "path"
  if type(p) ~= "string" then
    if B.is_u8(p) then
      p = B.decode(B.bytes_in(p, 0, p.length), "utf8")
    elseif type(p) == "table" and p ~= null and p.href ~= nil and p.protocol ~= nil and p.auth == nil and p.path == nil then
      p = require("ljs.node_url").file_url_to_path(p)
    else
      R.throw(invalid_arg_type(name, {"string", "Buffer", "URL"}, p))
    end
  end
  if sfind(p, "\0", 1, true) then invalid_value(name, p, "must be a string, Uint8Array, or URL without null bytes") end
  -- node encodes paths as UTF-8, lone surrogates as U+FFFD
  return R.to_usv(p)
end

-- options (a string names the encoding): encoding, flag, the options object
local function options_arg(o)
  if o == nil or o == null then return nil, nil, nil end
  if type(o) == "string" then
    if o ~= "buffer" and not B.normalize(o) then invalid_value("encoding", o, "is invalid encoding") end
    return o, nil, nil
  end
  if type(o) ~= "table" and type(o) ~= "function" then R.throw(invalid_arg_type("options", {"string", "Object"}, o)) end
  local enc = o.encoding
  if enc == null then enc = nil end
  if enc ~= nil and enc ~= "buffer" and not B.normalize(enc) then invalid_value("encoding", enc, "is invalid encoding") end
  local flag = o.flag
  if flag ~= nil and flag ~= null then flag = R.tostr(flag) else flag = nil end
  return enc, flag, o
end

local function truthy_opt(o, k) return o ~= nil and R.truthy(o[k]) end

---------------------------------------------------------------------------------------------
-- Reading and writing

local function read_all(p)
  local f, _, errno = io.open(p, "rb")
  if not f then io_fail(errno, "open", p) end
  local data, _, rerr = f:read("*a")
  f:close()
  if not data then io_fail(rerr, "read") end
  return data
end

-- A file descriptor (stdin: readFileSync(0)) is read to its end with read(2), waiting in slices
-- that a time limit can stop (ljs.node_stdin); so is /dev/stdin when it is a pipe or terminal,
-- which Lua's io would read without such a wait (a file opens anew, from its start, as in node).
local function read_fd(fd)
  local data, errno = require("ljs.node_stdin").read_all(fd)
  if not data then R.throw(uv_error(ERRNO_NAMES[errno] or "EIO", errno, errno == 9 and "fstat" or "read")) end
  return data
end

local function readFileSync(_, path, opts)
  local data
  if type(path) == "number" and path == floor(path) and path >= -2147483648 and path <= 2147483647 then
    if path < 0 then
      R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE",
        'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received ' .. R.numtostr(path)))
    end
    options_arg(opts)
    data = read_fd(path)
  end
  local p = data == nil and path_arg(path) or nil
  local enc = options_arg(opts)
  if p == "/dev/stdin" and require("ljs.node_stdin").fd_kind(0) ~= "file" then data = read_fd(0) end
  data = data or read_all(p)
  if enc ~= nil then return (B.decode(data, B.encoding_of(enc))) end
  return (B.from_bytes(data))
end

-- the bytes of writeFile's data
local function data_bytes(data, enc)
  if type(data) == "string" then return B.encode(data, B.encoding_of(enc)) end
  local ptr, n = B.byte_view(data)
  if ptr and not R.is_arraybuffer(data) then return require("ffi").string(ptr, n) end
  R.throw(invalid_arg_type("data", {"string", "Buffer", "TypedArray", "DataView"}, data))
end

local function exists(p)
  local ok = host("stat")(p, true)
  return ok ~= nil
end

local function write_file(path, data, opts, default_flag)
  local p = path_arg(path)
  local enc, flag = options_arg(opts)
  local bytes = data_bytes(data, enc)
  flag = flag or default_flag
  if sfind(flag, "x", 1, true) and host("stat")(p, false) ~= nil then
    R.throw(uv_error("EEXIST", 17, "open", p))
  end
  local f, _, errno = io.open(p, ssub(flag, 1, 1) == "a" and "ab" or "wb")
  if not f then io_fail(errno, "open", p) end
  local ok, _, werr = f:write(bytes)
  f:close()
  if not ok then io_fail(werr, "write") end
  return nil
end

local function writeFileSync(_, path, data, opts) return write_file(path, data, opts, "w") end
local function appendFileSync(_, path, data, opts) return write_file(path, data, opts, "a") end

local function existsSync(_, path)
  local ok, p = pcall(path_arg, path)
  if not ok then return false end
  return exists(p)
end

---------------------------------------------------------------------------------------------
-- Stats and Dirents

local S_IFMT, S_IFREG, S_IFDIR, S_IFLNK = 61440, 32768, 16384, 40960
local S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK = 4096, 49152, 8192, 24576

local function is_kind(mode, bits) return band(mode, S_IFMT) == bits end
local function mode_is(bits)
  return function(this) return is_kind(R.toint32(this.mode), bits) end
end

local function Stats() R.type_error("Stats is not a constructor here; fs.statSync makes Stats") end
local StatsPrototype = R.module_class("Stats", 0, Stats)
local StatsMT = R.protomt(StatsPrototype)
for name, bits in pairs({isFile = S_IFREG, isDirectory = S_IFDIR, isSymbolicLink = S_IFLNK, isFIFO = S_IFIFO,
                         isSocket = S_IFSOCK, isCharacterDevice = S_IFCHR, isBlockDevice = S_IFBLK}) do
  R.method(StatsPrototype, name, 0, mode_is(bits))
end

local STAT_FIELDS = {"dev", "mode", "nlink", "uid", "gid", "rdev", "blksize", "ino", "size", "blocks"}
local TIMES = {"atime", "mtime", "ctime", "birthtime"}

local function make_stats(t)
  local s = setmetatable({}, StatsMT)
  for i = 1, #STAT_FIELDS do put(s, STAT_FIELDS[i], t[i]) end
  local ms = {}
  for i = 1, 4 do
    ms[i] = t[9 + 2 * i] * 1e3 + t[10 + 2 * i] / 1e6
    put(s, TIMES[i] .. "Ms", ms[i])
  end
  require("ljs.date")
  for i = 1, 4 do put(s, TIMES[i], R.new_date(floor(ms[i] + 0.5))) end
  return s
end

local function stat_common(path, opts, follow)
  local p = path_arg(path)
  local t, code, errno = host("stat")(p, follow)
  if t == nil then
    if (code == "ENOENT" or code == "ENOTDIR") and opts ~= nil and opts ~= null and type(opts) == "table"
       and opts.throwIfNoEntry == false then
      return nil
    end
    R.throw(uv_error(code, errno, follow and "stat" or "lstat", p))
  end
  return (make_stats(t))
end

local function statSync(_, path, opts) return stat_common(path, opts, true) end
local function lstatSync(_, path, opts) return stat_common(path, opts, false) end

local kType = R.newsymbol("type")
local function Dirent() R.type_error("Dirent is not a constructor here; fs.readdirSync makes Dirents") end
local DirentPrototype = R.module_class("Dirent", 0, Dirent)
local DirentMT = R.protomt(DirentPrototype)
for name, kind in pairs({isFile = 1, isDirectory = 2, isSymbolicLink = 3, isFIFO = 4, isSocket = 5,
                         isCharacterDevice = 6, isBlockDevice = 7}) do
  R.method(DirentPrototype, name, 0, function(this) return rawget(this, kType) == kind end)
end

local function make_dirent(name, kind, parent)
  local d = setmetatable({}, DirentMT)
  put(d, "name", name)
  put(d, "parentPath", parent)
  put(d, "path", parent)
  put(d, kType, kind)
  return d
end

local function join(a, b)
  if a == "" or a == "." then return b end
  if ssub(a, -1) == "/" then return a .. b end
  return a .. "/" .. b
end

local function list_dir(p)
  local names, kinds, errno = host("readdir")(p)
  if names == nil then R.throw(uv_error(kinds, errno, "scandir", p)) end
  return names, kinds
end

-- a directory entry's name, as the options ask for it
local function entry_name(raw, enc)
  if enc == "buffer" then return B.from_bytes(raw) end
  local s = R.utf8_decode(raw)
  if enc ~= nil and B.normalize(enc) ~= "utf8" then return B.decode(raw, B.encoding_of(enc)) end
  return s
end

local function readdirSync(_, path, opts)
  local p = path_arg(path)
  local enc, _, o = options_arg(opts)
  local with_types = truthy_opt(o, "withFileTypes")
  local out, n = R.newarray(0), 0
  local recursive = truthy_opt(o, "recursive")
  -- recursive: breadth first, names relative to p, as node 20 lists them
  local queue, qi = {{p, ""}}, 1
  while queue[qi] do
    local dir, rel = queue[qi][1], queue[qi][2]
    qi = qi + 1
    local names, kinds = list_dir(dir)
    for i = 1, #names do
      local raw = names[i]
      if with_types then
        out[n] = make_dirent(entry_name(raw, enc), kinds[i], dir)
      else
        out[n] = entry_name(rel == "" and raw or rel .. "/" .. raw, enc)
      end
      n = n + 1
      if recursive then
        local full = join(dir, raw)
        local st = host("stat")(full, true)
        if st and is_kind(st[2], S_IFDIR) then queue[#queue + 1] = {full, rel == "" and raw or rel .. "/" .. raw} end
      end
    end
  end
  return out
end

---------------------------------------------------------------------------------------------
-- Changing the tree

local function mkdirSync(_, path, opts)
  local p = path_arg(path)
  local recursive, mode = false, 511
  if type(opts) == "number" then
    mode = opts
  elseif type(opts) == "table" and opts ~= null then
    recursive = R.truthy(opts.recursive)
    if opts.mode ~= nil then mode = R.tonum(opts.mode) end
  end
  local r, code, errno = host("mkdir")(p, recursive, mode)
  check(r, code, errno, "mkdir", p)
  if recursive and type(r) == "string" then return r end
  return nil
end

-- mkdtemp: prefix and six random characters, a new directory only this call made (mode 0700)
local TEMP_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local function temp_suffix()
  local f = io.open("/dev/urandom", "rb")
  local bytes = f and f:read(6)
  if f then f:close() end
  local out = {}
  for i = 1, 6 do
    local b = bytes and bytes:byte(i) or math.random(0, 255)
    local k = b % #TEMP_CHARS + 1
    out[i] = TEMP_CHARS:sub(k, k)
  end
  return table.concat(out)
end
local function mkdtempSync(_, prefix)
  local base = path_arg(prefix)
  for _ = 1, 100 do
    local p = base .. temp_suffix()
    local r, code, errno = host("mkdir")(p, false, 448)
    if r ~= nil or code ~= "EEXIST" then
      check(r, code, errno, "mkdtemp", base .. "XXXXXX")
      return p
    end
  end
  check(nil, "EEXIST", -17, "mkdtemp", base .. "XXXXXX")
end

local function unlinkSync(_, path)
  local p = path_arg(path)
  local r, code, errno = host("unlink")(p)
  check(r, code, errno, "unlink", p)
  return nil
end

local function rmdirSync(_, path, opts)
  local p = path_arg(path)
  local r, code, errno
  if type(opts) == "table" and opts ~= null and R.truthy(opts.recursive) then
    r, code, errno = host("rmtree")(p)
  else
    r, code, errno = host("rmdir")(p)
  end
  check(r, code, errno, "rmdir", p)
  return nil
end

-- node's SystemError for rm on a directory without `recursive`
local function rm_is_dir(p)
  local msg = "Path is a directory: rm returned EISDIR (is a directory) " .. p
  local e = R.make_error("Error", msg)
  R.defprop(e, "name", {value = "SystemError", writable = true, enumerable = false, configurable = true})
  R.set_error_stack(e, "SystemError [ERR_FS_EISDIR]: " .. msg .. "\n" .. (R.stack_lines and R.stack_lines(3) or ""))
  put(e, "code", "ERR_FS_EISDIR")
  put(e, "info", N.jsobject("code", "EISDIR", "message", "is a directory", "path", p, "syscall", "rm", "errno", 21))
  put(e, "errno", 21)
  put(e, "syscall", "rm")
  put(e, "path", p)
  R.method(e, "toString", 0, function(this)
    return R.tostr(this.name) .. " [" .. R.tostr(this.code) .. "]: " .. R.tostr(this.message)
  end)
  R.throw(e)
end

local function rmSync(_, path, opts)
  local p = path_arg(path)
  local recursive = type(opts) == "table" and opts ~= null and R.truthy(opts.recursive)
  local force = type(opts) == "table" and opts ~= null and R.truthy(opts.force)
  local st, code, errno = host("stat")(p, false)
  if st == nil then
    if force and code == "ENOENT" then return nil end
    R.throw(uv_error(code, errno, "lstat", p))
  end
  local r
  if is_kind(st[2], S_IFDIR) then
    if not recursive then rm_is_dir(p) end
    r, code, errno = host("rmtree")(p)
  else
    r, code, errno = host("unlink")(p)
  end
  check(r, code, errno, "rm", p)
  return nil
end

local function renameSync(_, from, to)
  local a, b = path_arg(from, "oldPath"), path_arg(to, "newPath")
  local r, code, errno = host("rename")(a, b)
  check(r, code, errno, "rename", a, b)
  return nil
end

local COPYFILE_EXCL = 1
local function copyFileSync(_, src, dst, mode)
  local a, b = path_arg(src, "src"), path_arg(dst, "dest")
  local excl = mode ~= nil and R.band(R.tonum(mode), COPYFILE_EXCL) ~= 0
  local r, code, errno = host("copyfile")(a, b, excl)
  check(r, code, errno, "copyfile", a, b)
  return nil
end

local function realpathSync(_, path, opts)
  local p = path_arg(path)
  local r, code, errno = host("realpath")(p)
  if r == nil then
    -- node walks the path with lstat and reports the resolved path
    local abs = R.builtin_modules.path().resolve(nil, p)
    R.throw(uv_error(code, errno, "lstat", abs))
  end
  local enc = options_arg(opts)
  return entry_name(r, enc)
end

local function accessSync(_, path, mode)
  local p = path_arg(path)
  local r, code, errno = host("access")(p, mode == nil and 0 or R.tonum(mode))
  check(r, code, errno, "access", p)
  return nil
end

---------------------------------------------------------------------------------------------
-- The module: sync calls, callback forms, fs.promises

local fs = R.newobj()
local export = N.export

---------------------------------------------------------------------------------------------
-- File descriptors: a number naming an open Lua file of this module (from 21), for
-- openSync/readSync/writeSync/closeSync/fstatSync and the file streams; 0, 1 and 2 are the
-- process's standard streams.
local open_files, fd_paths, next_fd = {}, {}, 20
local IO_MODES = {r = "rb", ["r+"] = "r+b", rs = "rb", ["rs+"] = "r+b", w = "wb", ["w+"] = "w+b",
                  a = "ab", ["a+"] = "a+b", wx = "wb", xw = "wb", ["wx+"] = "w+b", ["xw+"] = "w+b",
                  ax = "ab", xa = "ab", ["ax+"] = "a+b", ["xa+"] = "a+b", as = "ab", sa = "ab",
                  ["as+"] = "a+b", ["sa+"] = "a+b"}

local function openSync(_, path, flags)
  local p = path_arg(path)
  if flags == nil or flags == null then flags = "r" end
  local mode = IO_MODES[flags]
  if not mode then
    R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'flags' is invalid. Received " .. R.inspect(flags)))
  end
  if sfind(flags, "x", 1, true) and host("stat")(p, false) ~= nil then R.throw(uv_error("EEXIST", 17, "open", p)) end
  local f, _, errno = io.open(p, mode)
  if not f then R.throw(uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, "open", p)) end
  next_fd = next_fd + 1
  open_files[next_fd], fd_paths[next_fd] = f, p
  return next_fd
end

local function fd_file(fd, syscall)
  local f = type(fd) == "number" and open_files[fd]
  if not f then R.throw(uv_error("EBADF", 9, syscall)) end
  return f
end

local function closeSync(_, fd)
  fd_file(fd, "close"):close()
  open_files[fd], fd_paths[fd] = nil, nil
  return nil
end

-- f's operation op(f) at byte position pos (a number) without moving f's own position, as
-- pread/pwrite; at f's position otherwise
local function at_position(f, pos, op)
  if type(pos) ~= "number" or pos < 0 then return op(f) end
  local here = f:seek()
  f:seek("set", pos)
  local r = op(f)
  f:seek("set", here)
  return r
end

-- The bytes of buffer that a read or write takes, from (offset, length, position) or an options
-- object {offset, length, position} in offset's place: ptr, offset, length, position
local function buffer_span(buffer, types, offset, length, position)
  local ptr, n = B.byte_view(buffer)
  if not ptr then R.throw(invalid_arg_type("buffer", types, buffer)) end
  if type(offset) == "table" and offset ~= null then
    local o = offset
    offset, length, position = o.offset, o.length, o.position
  end
  offset = offset == nil and 0 or R.tonum(offset)
  length = length == nil and n - offset or R.tonum(length)
  if offset < 0 or length < 0 or offset + length > n then
    R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE", 'The value of "length" is out of range. It must be <= ' ..
      R.numtostr(n - offset) .. ". Received " .. R.numtostr(length)))
  end
  return ptr, offset, length, position
end

-- readSync(fd, buffer, offset, length, position) or readSync(fd, buffer, {offset, length, position})
local function readSync(_, fd, buffer, offset, length, position)
  local ptr
  ptr, offset, length, position = buffer_span(buffer, {"Buffer", "TypedArray", "DataView"}, offset, length, position)
  if length == 0 then return 0 end
  local f = fd == 0 and io.stdin or fd_file(fd, "read")
  local s = at_position(f, position, function(h) return h:read(length) end) or ""
  ffi.copy(ptr + offset, s, #s)
  return #s
end

-- writeSync(fd, buffer, offset, length, position), writeSync(fd, buffer, {offset, length,
-- position}) or writeSync(fd, string, position, encoding)
local function writeSync(_, fd, data, offset, length, position)
  local bytes
  if type(data) == "string" then
    bytes, position = B.encode(data, B.encoding_of(length)), offset
  else
    local ptr
    ptr, offset, length, position = buffer_span(data, {"string", "Buffer", "TypedArray", "DataView"}, offset, length, position)
    bytes = ffi.string(ptr + offset, length)
  end
  -- the standard streams through the runtime's output, to keep their place among console.log's
  if fd == 1 then R.write_out(bytes); return #bytes end
  if fd == 2 then R.write_err(bytes); return #bytes end
  local f = fd_file(fd, "write")
  at_position(f, position, function(h) return h:write(bytes) end)
  return #bytes
end

local function fstatSync(_, fd, opts)
  fd_file(fd, "fstat"):flush()
  return statSync(nil, fd_paths[fd], opts)
end

local function fsyncSync(_, fd)
  fd_file(fd, "fsync"):flush()
  return nil
end

for name, f in pairs({openSync = openSync, closeSync = closeSync, readSync = readSync, writeSync = writeSync,
                      fstatSync = fstatSync, fsyncSync = fsyncSync, fdatasyncSync = fsyncSync}) do
  export(fs, name, debug.getinfo(f, "u").nparams - 1, f)
end

local SYNC = {
  {"readFile", readFileSync, 2}, {"writeFile", writeFileSync, 3}, {"appendFile", appendFileSync, 3},
  {"readdir", readdirSync, 2}, {"stat", statSync, 2}, {"lstat", lstatSync, 2}, {"mkdir", mkdirSync, 2},
  {"unlink", unlinkSync, 1}, {"rmdir", rmdirSync, 2}, {"rm", rmSync, 2}, {"rename", renameSync, 2},
  {"copyFile", copyFileSync, 3}, {"realpath", realpathSync, 2}, {"access", accessSync, 2},
  {"mkdtemp", mkdtempSync, 2},
}

for _, s in ipairs(SYNC) do export(fs, s[1] .. "Sync", s[3], s[2]) end
export(fs, "existsSync", 1, existsSync)

-- run f(args) in a later turn; done(ok, result-or-error)
local function later(f, args, n, done)
  local setImmediate = rawget(G, "setImmediate")
  setImmediate(nil, function()
    local ok, r = pcall(f, nil, unpack(args, 1, n))
    if ok then done(true, r) else done(false, R.caught(r)) end
  end)
end

-- f(path, a, b, cb) with its optional arguments left out: the callback is the first function
-- after the path, else the argument after the last optional one
-- f's callback form: cb(err) or cb(null, result); with_data: cb(null, result, second argument)
-- (fs.read's and fs.write's bytes and buffer)
local function callback_form(f, arity, with_data)
  return function(_, ...)
    local args = {...}
    local n, cb = arity, args[arity + 1]
    for i = 2, arity + 1 do
      if R.iscallable(args[i]) then n, cb = i - 1, args[i]; break end
    end
    if not R.iscallable(cb) then R.throw(invalid_arg_type("cb", "function", cb)) end
    later(f, args, n, function(ok, r)
      if not ok then cb(nil, r) elseif with_data then cb(nil, null, r, args[2]) else cb(nil, null, r) end
    end)
    return nil
  end
end

for _, s in ipairs(SYNC) do export(fs, s[1], s[3] + 1, callback_form(s[2], s[3])) end
export(fs, "open", 4, callback_form(openSync, 3))
export(fs, "close", 2, callback_form(closeSync, 1))
export(fs, "fstat", 3, callback_form(fstatSync, 2))
export(fs, "fsync", 2, callback_form(fsyncSync, 1))
export(fs, "read", 6, callback_form(readSync, 5, true))
export(fs, "write", 6, callback_form(writeSync, 5, true))
local exists = export(fs, "exists", 2, function(_, path, cb)
  if not R.iscallable(cb) then R.throw(invalid_arg_type("cb", "function", cb)) end
  later(existsSync, {path}, 1, function(ok, r) cb(nil, ok and r == true) end)
  return nil
end)
-- its callback takes no error first: util.promisify(fs.exists) resolves to the boolean
put(exists, R.symbol_for("nodejs.util.promisify.custom"), R.arrow(function(_, path)
  local p = R.new_promise()
  later(existsSync, {path}, 1, function(ok, r) R.resolve_promise(p, ok and r == true) end)
  return p
end, "exists", 1))

-- an options object's AbortSignal that has aborted (readFile, writeFile, appendFile take one)
local function aborted_signal(opts)
  if type(opts) ~= "table" or opts == null or R.isarray(opts) then return nil end
  local sig = rawget(opts, "signal") ~= nil and opts.signal or nil
  if sig ~= nil and sig ~= null and R.truthy(sig.aborted) then return sig end
end

local promises = R.newobj()
for _, s in ipairs(SYNC) do
  local f, name = s[2], s[1]
  -- (where the options are: readFile(path, opts), writeFile/appendFile(path, data, opts))
  local opts_at = (name == "readFile" and 2) or ((name == "writeFile" or name == "appendFile") and 3)
  export(promises, name, s[3], function(_, ...)
    local p = R.new_promise()
    local sig = opts_at and aborted_signal((select(opts_at, ...)))
    if sig then
      -- (node rejects with an AbortError whose cause is the signal's reason)
      local err = N.abort_error()
      if sig.reason ~= nil then err.cause = sig.reason end
      R.reject_promise(p, err)
      return p
    end
    later(f, {...}, select("#", ...), function(ok, r)
      if ok then R.resolve_promise(p, r) else R.reject_promise(p, r) end
    end)
    return p
  end)
end

---------------------------------------------------------------------------------------------
-- Streams: fs.createReadStream / fs.createWriteStream, node's fs.ReadStream and fs.WriteStream
-- (subclasses of ljs.node_stream's Readable and Writable, made on first use). The file is
-- opened, read and written with Lua's io; each of these steps completes in a later turn of the
-- event loop, as node's thread pool does, so the events come in node's order ('open', 'ready',
-- then the data, 'end' or 'finish', 'close'). `fd` is one of this module's file descriptors
-- (openSync's).

local fs_streams   -- {ReadStream =, WriteStream =}, once made

local function stream_classes()
  if fs_streams then return fs_streams end
  local S = require("ljs.node_stream")
  local Readable, Writable = S.Readable, S.Writable
  local MAX_SAFE = 9007199254740991
  local huge = math.huge
  local io_states = setmetatable({}, {__mode = "k"})   -- stream -> {busy, after}

  local function later(f) R.set_immediate(function() f() end) end

  local function validate_position(v, name, min)
    if type(v) ~= "number" then R.throw(invalid_arg_type(name, "number", v)) end
    if v ~= floor(v) or v < (min or 0) or v > MAX_SAFE then
      R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE", 'The value of "' .. name ..
        '" is out of range. It must be >= 0 && <= 9007199254740991. Received ' .. R.inspect(v)))
    end
  end

  -- node's options: a string names the encoding; a copy, as the stream sets its defaults in it
  local function copy_options(o)
    local c = R.newobj()
    if type(o) == "string" then
      c.encoding = o
    elseif o ~= nil and o ~= null then
      if type(o) ~= "table" then R.throw(invalid_arg_type("options", {"string", "Object"}, o)) end
      R.assign_spread(c, o)
    end
    return c
  end

  -- open(path, flags) in a later turn: cb(err) or cb(nil, fd)
  local function open_later(path, flags, cb)
    later(function()
      local mode = IO_MODES[flags]
      if not mode then
        return cb(coded_error("TypeError", "ERR_INVALID_ARG_VALUE",
          "The argument 'flags' is invalid. Received " .. R.inspect(flags)))
      end
      if sfind(flags, "x", 1, true) and host("stat")(path, false) ~= nil then
        return cb(uv_error("EEXIST", 17, "open", path))
      end
      local f, _, errno = io.open(path, mode)
      if not f then return cb(uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, "open", path)) end
      next_fd = next_fd + 1
      open_files[next_fd] = f
      cb(nil, next_fd)
    end)
  end

  local function close_file(fd)
    local f = open_files[fd]
    if f then
      open_files[fd] = nil
      f:close()
    end
  end

  -- _construct: open the file unless an fd was given; 'open' and 'ready' follow
  local function construct(this, cb)
    if type(this.fd) == "number" then return cb(nil) end
    open_later(this.path, this.flags, function(err, fd)
      if err then return cb(nil, err) end
      this.fd = fd
      cb(nil)
      this:emit("open", fd)
      this:emit("ready")
    end)
  end

  -- _destroy: close the file once the I/O under way is done
  local function destroy(this, err, cb)
    local st = io_states[this]
    local function close()
      local fd = this.fd
      if type(fd) == "number" and R.truthy(this.autoClose) then
        this.fd = null
        later(function()
          close_file(fd)
          cb(nil, err)
        end)
      else
        cb(nil, err)
      end
    end
    if st and st.busy then st.after = close else close() end
  end

  local function io_state(this)
    local st = io_states[this]
    if not st then st = {}; io_states[this] = st end
    return st
  end

  -- ReadStream / WriteStream: autoClose is the stream state's autoDestroy; both open in _construct
  local function stream_class(name, ctor, base, state)
    local proto = R.library_class(name, 2, ctor, base.prototype, base)
    R.defprop(proto, "autoClose", {
      get = R.fn(function(this) return this[state].autoDestroy end, "get", 0),
      set = R.fn(function(this, v) this[state].autoDestroy = v end, "set", 1),
      enumerable = false, configurable = true})
    R.method(proto, "_construct", 1, function(this, cb) construct(this, cb) end)
    return proto
  end

  local function io_done(this, st)
    st.busy = false
    local after = st.after
    if after then st.after = nil; after(); return true end
    return false
  end

  local function path_of(path, o)
    if o.fd ~= nil and o.fd ~= null then return nil end
    return path_arg(path)
  end

  ---------------------------------------------------------------------------
  local ReadStream
  ReadStream = function(this, path, options)
    if not (type(this) == "table" and R.instanceof(this, ReadStream)) then return R.new(ReadStream, path, options) end
    local o = copy_options(options)
    if o.highWaterMark == nil then o.highWaterMark = 65536 end
    if o.autoDestroy == nil then o.autoDestroy = o.autoClose == nil and true or o.autoClose end
    this.fd = (o.fd == nil) and null or o.fd
    this.path = path_of(path, o)
    this.flags = o.flags == nil and "r" or o.flags
    this.mode = o.mode == nil and 438 or o.mode
    this.start = o.start
    this["end"] = o["end"] == nil and huge or o["end"]
    this.pos = nil
    this.bytesRead = 0
    if this.start ~= nil then
      validate_position(this.start, "start")
      this.pos = this.start
    end
    if this["end"] ~= huge then
      validate_position(this["end"], "end")
      if this.start ~= nil and this.start > this["end"] then
        R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE", 'The value of "start" is out of range. It must be <= "end" (here: ' ..
          R.numtostr(this["end"]) .. "). Received " .. R.numtostr(this.start)))
      end
    end
    Readable(this, o)
  end
  local rproto = stream_class("ReadStream", ReadStream, Readable, "_readableState")
  R.method(rproto, "_read", 1, function(this, n)
    if this.pos ~= nil then n = math.min(this["end"] - this.pos + 1, n)
    else n = math.min(this["end"] - this.bytesRead + 1, n) end
    if n <= 0 then
      this:push(null)
      return
    end
    local st = io_state(this)
    st.busy = true
    local pos = this.pos
    later(function()
      local f = open_files[this.fd]
      local data, _, errno
      if not f then
        data, errno = nil, 9
      else
        if pos ~= nil then f:seek("set", pos) end
        data, _, errno = f:read(n)
        if data == nil and errno == nil then data = "" end
      end
      if io_done(this, st) or R.truthy(this.destroyed) then return end
      if data == nil then
        S.error_or_destroy(this, uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, "read"))
      elseif #data > 0 then
        if this.pos ~= nil then this.pos = this.pos + #data end
        this.bytesRead = this.bytesRead + #data
        this:push(B.from_bytes(data))
      else
        this:push(null)
      end
    end)
  end)
  R.method(rproto, "_destroy", 2, function(this, err, cb) destroy(this, err, cb) end)
  R.method(rproto, "close", 1, function(this, cb)
    if R.iscallable(cb) then S.finished(this, cb) end
    this:destroy()
  end)
  R.defprop(rproto, "pending", {get = R.fn(function(this) return this.fd == null end, "get pending", 0),
    enumerable = false, configurable = true})

  ---------------------------------------------------------------------------
  local WriteStream
  WriteStream = function(this, path, options)
    if not (type(this) == "table" and R.instanceof(this, WriteStream)) then return R.new(WriteStream, path, options) end
    local o = copy_options(options)
    o.decodeStrings = true
    this.fd = (o.fd == nil) and null or o.fd
    this.path = path_of(path, o)
    this.flags = o.flags == nil and "w" or o.flags
    this.mode = o.mode == nil and 438 or o.mode
    this.flush = o.flush == nil and false or R.truthy(o.flush)
    this.start = o.start
    this.pos = nil
    this.bytesWritten = 0
    if this.start ~= nil then
      validate_position(this.start, "start")
      this.pos = this.start
    end
    if o.autoDestroy == nil then o.autoDestroy = o.autoClose == nil and true or o.autoClose end
    Writable(this, o)
    if R.truthy(o.encoding) then this:setDefaultEncoding(o.encoding) end
  end
  local wproto = stream_class("WriteStream", WriteStream, Writable, "_writableState")
  local function write_bytes(this, bytes, cb)
    local st = io_state(this)
    st.busy = true
    local pos = this.pos
    if pos ~= nil then this.pos = pos + #bytes end
    later(function()
      local f = open_files[this.fd]
      local ok, _, errno
      if not f then
        ok, errno = nil, 9
      else
        if pos ~= nil then f:seek("set", pos) end
        ok, _, errno = f:write(bytes)
        if ok then f:flush() end
      end
      local destroyed = R.truthy(this.destroyed)
      if destroyed then
        cb(nil, ok == nil and uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, "write") or nil)
        io_done(this, st)
        return
      end
      st.busy = false
      if ok == nil then return cb(nil, uv_error(ERRNO_NAMES[errno] or "EIO", errno or 5, "write")) end
      this.bytesWritten = this.bytesWritten + #bytes
      cb(nil)
    end)
  end
  R.method(wproto, "_write", 3, function(this, data, _, cb)
    write_bytes(this, B.bytes_in(data, 0, data.length), cb)
  end)
  R.method(wproto, "_writev", 2, function(this, chunks, cb)
    local parts = {}
    for i = 0, chunks.length - 1 do
      local c = chunks[i].chunk
      parts[#parts + 1] = B.bytes_in(c, 0, c.length)
    end
    write_bytes(this, table.concat(parts), cb)
  end)
  R.method(wproto, "_destroy", 2, function(this, err, cb) destroy(this, err, cb) end)
  R.method(wproto, "close", 1, function(this, cb)
    if R.iscallable(cb) then
      if R.truthy(this.closed) then
        R.enqueue_tick(cb, R.pack())
        return
      end
      this:on("close", cb)
    end
    if not R.truthy(this.autoClose) then this:on("finish", this.destroy) end
    this["end"](this)
  end)
  rawset(wproto, "destroySoon", Writable.prototype["end"])
  R.note_hidden(wproto, "destroySoon")
  R.defprop(wproto, "pending", {get = R.fn(function(this) return this.fd == null end, "get pending", 0),
    enumerable = false, configurable = true})

  fs_streams = {ReadStream = ReadStream, WriteStream = WriteStream}
  return fs_streams
end

local constants = N.jsobject(
  "F_OK", 0, "R_OK", 4, "W_OK", 2, "X_OK", 1,
  "COPYFILE_EXCL", 1, "COPYFILE_FICLONE", 2, "COPYFILE_FICLONE_FORCE", 4,
  "O_RDONLY", 0, "O_WRONLY", 1, "O_RDWR", 2, "O_CREAT", 64, "O_EXCL", 128, "O_TRUNC", 512, "O_APPEND", 1024,
  "S_IFMT", S_IFMT, "S_IFREG", S_IFREG, "S_IFDIR", S_IFDIR, "S_IFCHR", S_IFCHR, "S_IFBLK", S_IFBLK,
  "S_IFIFO", S_IFIFO, "S_IFLNK", S_IFLNK, "S_IFSOCK", S_IFSOCK)
put(fs, "constants", constants)
put(promises, "constants", constants)
for _, k in ipairs({"F_OK", "R_OK", "W_OK", "X_OK"}) do put(fs, k, constants[k]) end
put(fs, "Stats", Stats)
put(fs, "Dirent", Dirent)
put(fs, "promises", promises)
export(fs, "createReadStream", 2, function(_, path, options)
  return R.new(stream_classes().ReadStream, path, options)
end)
export(fs, "createWriteStream", 2, function(_, path, options)
  return R.new(stream_classes().WriteStream, path, options)
end)
-- the classes load the stream module: made when first read, as node's lazy getters
for _, names in ipairs({{"ReadStream", "ReadStream"}, {"WriteStream", "WriteStream"},
                        {"FileReadStream", "ReadStream"}, {"FileWriteStream", "WriteStream"}}) do
  local key, class = names[1], names[2]
  R.defprop(fs, key, {
    get = R.fn(function() return stream_classes()[class] end, "get", 0),
    set = R.fn(function(_, v) stream_classes()[class] = v end, "set", 1),
    enumerable = true, configurable = true})
end

M.exports = fs
return M
