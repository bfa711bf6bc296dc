-- ljs.node_child_process: node's `child_process` module (spawn, exec, execFile, their Sync forms
-- and ChildProcess), loaded on the first require of it. Never in a sandbox (R.unsafe_modules).
--
-- Children start with posix_spawn(3), which is safe in a multithreaded host (the Python process
-- lupa runs in): nothing of the host is forked, and file actions set up the child's stdio. The
-- child gets default signal dispositions and an empty signal mask, as libuv gives it (Python
-- ignores SIGPIPE, and `yes | head` would never end otherwise). Our ends of the pipes are
-- close-on-exec, so that no other child inherits them. The PATH search is done here, with the
-- child's own PATH, as libuv's execvp does.
--
-- The async forms run from the event loop: the pipes are its I/O sources (R.io_watch), and so is
-- a pidfd (pidfd_open(2), Linux 5.3), readable once the child exits; without one, a timer polls
-- waitpid(WNOHANG). Only a child's own pid is reaped, never another process's. The loop watches
-- for input only, so a write to a full stdin pipe is retried from a timer. The sync forms poll on
-- their own, in slices that let a time limit or Ctrl-C stop the program (the child is killed).
local ffi = require("ffi")
local bit = require("bit")
local R = require("ljs.core")
require("ljs.promise")   -- R.io_watch, struct ljs_pollfd and poll
require("ljs.nodelib")
local B = require("ljs.node_buffer")
local UV = require("ljs.node_uv_errors")
local read_chunk = require("ljs.node_stdin").read_chunk

local type, rawget, rawset, tonumber, pcall, error, select, unpack = type, rawget, rawset, tonumber, pcall, error, select, unpack
local sfind, smatch, supper, sgmatch = string.find, string.match, string.upper, string.gmatch
local concat, floor, min, max, ceil = table.concat, math.floor, math.min, math.max, math.ceil
local band, bor, rshift = bit.band, bit.bor, bit.rshift
local null, G = R.null, R.G
local N = R.nodelib
local put, coded_error, invalid_arg_type, builtin = N.put, N.coded_error, N.invalid_arg_type, N.builtin
local C = ffi.C

-- (renamed through __asm__: other modules declare some of these with their own signatures)
pcall(ffi.cdef, [[
typedef union { char b[1024]; void *p; double d; long long l; } ljs_cp_opaque;
int ljs_cp_spawn(int *pid, const char *path, const ljs_cp_opaque *fa, const ljs_cp_opaque *attr,
                 const char **argv, const char **envp) __asm__("posix_spawn");
int ljs_cp_fa_init(ljs_cp_opaque *fa) __asm__("posix_spawn_file_actions_init");
int ljs_cp_fa_destroy(ljs_cp_opaque *fa) __asm__("posix_spawn_file_actions_destroy");
int ljs_cp_fa_dup2(ljs_cp_opaque *fa, int fd, int newfd) __asm__("posix_spawn_file_actions_adddup2");
int ljs_cp_fa_open(ljs_cp_opaque *fa, int fd, const char *path, int flags, unsigned int mode) __asm__("posix_spawn_file_actions_addopen");
int ljs_cp_fa_chdir(ljs_cp_opaque *fa, const char *path) __asm__("posix_spawn_file_actions_addchdir_np");
int ljs_cp_attr_init(ljs_cp_opaque *a) __asm__("posix_spawnattr_init");
int ljs_cp_attr_destroy(ljs_cp_opaque *a) __asm__("posix_spawnattr_destroy");
int ljs_cp_attr_flags(ljs_cp_opaque *a, short flags) __asm__("posix_spawnattr_setflags");
int ljs_cp_attr_sigdefault(ljs_cp_opaque *a, const ljs_cp_opaque *set) __asm__("posix_spawnattr_setsigdefault");
int ljs_cp_attr_sigmask(ljs_cp_opaque *a, const ljs_cp_opaque *set) __asm__("posix_spawnattr_setsigmask");
int ljs_cp_sigempty(ljs_cp_opaque *set) __asm__("sigemptyset");
int ljs_cp_sigadd(ljs_cp_opaque *set, int sig) __asm__("sigaddset");
int ljs_cp_pipe(int *fds) __asm__("pipe");
int ljs_cp_pipe2(int *fds, int flags) __asm__("pipe2");
int ljs_cp_fcntl(int fd, int cmd, ...) __asm__("fcntl");
int ljs_cp_close(int fd) __asm__("close");
long ljs_cp_write(int fd, const void *buf, size_t n) __asm__("write");
int ljs_cp_kill(int pid, int sig) __asm__("kill");
int ljs_cp_waitpid(int pid, int *status, int options) __asm__("waitpid");
int ljs_cp_access(const char *path, int mode) __asm__("access");
long ljs_cp_syscall(long n, ...) __asm__("syscall");
]])

local LINUX = jit.os == "Linux"
local ARCH = jit.arch
local ENOENT, ESRCH, EINTR, EACCES, ENOTDIR, EINVAL, ENFILE, EMFILE, EPIPE = 2, 3, 4, 13, 20, 22, 23, 24, 32
local EAGAIN, ENOSYS = LINUX and 11 or 35, LINUX and 38 or 78
local ETIMEDOUT, ENOBUFS, ECANCELED = 110, 105, 125   -- node's (libuv's Linux) numbers, as it reports them
local O_NONBLOCK = not LINUX and 4 or (sfind(ARCH, "^mips") and 0x80 or 0x800)
local O_CLOEXEC = 0x80000   -- (pipe2, Linux only)
local SIGSTOP = LINUX and 19 or 17
local SETSIGDEF, SETSIGMASK, SETSID = 0x04, 0x08, LINUX and 0x80 or 0x400
local PIDFD_OPEN = LINUX and (ARCH == "x64" or ARCH == "x86" or ARCH == "arm" or ARCH == "arm64" or ARCH == "ppc") and 434
local POLLIN, POLLOUT, POLLHUP = 1, 4, 16
local SLICE_MS = 50
local MAX_BUFFER = 1024 * 1024
local HAS_CHDIR = pcall(function() return C.ljs_cp_fa_chdir end)

local SIGNAMES = LINUX and {"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
  "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
  "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
  "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"}
  or {"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGEMT", "SIGFPE", "SIGKILL", "SIGBUS",
  "SIGSEGV", "SIGSYS", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGURG", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGCHLD",
  "SIGTTIN", "SIGTTOU", "SIGIO", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGINFO",
  "SIGUSR1", "SIGUSR2"}
local SIGNUMS = {SIGIOT = 6}
for i, name in ipairs(SIGNAMES) do SIGNUMS[name] = i end
if LINUX then SIGNUMS.SIGPOLL = 29 end

-- the program's own timer functions, whatever it does to the globals later
local set_timeout, clear_timeout = rawget(G, "setTimeout"), rawget(G, "clearTimeout")

local M = {}

---------------------------------------------------------------------------------------------
-- Errors and argument checks

local function present(v) return v ~= nil and v ~= null end
local function tick(f, ...) R.enqueue_tick(f, R.pack(...)) end

-- node's ErrnoException: "spawn ls ENOENT" with errno, code, syscall
local function errno_error(errno, syscall)
  local code = UV.name(-errno)
  local e = R.make_error("Error", syscall .. " " .. code)
  put(e, "errno", -errno)
  put(e, "code", code)
  put(e, "syscall", syscall)
  return e
end

-- node's genericNodeError: an Error with the properties of `props`, in their order
local function assign(e, props)
  local keys, n = R.ownkeys(props)
  for i = 1, n do R.put(e, keys[i], R.get(props, keys[i])) end
  return e
end

local function unsupported(what)
  local e = R.make_error("Error", "LuaScript does not provide " .. what)
  e.code = "ERR_LUASCRIPT_UNSUPPORTED"
  R.throw(e)
end

local function invalid_value(name, v, reason)
  local kind = sfind(name, ".", 1, true) and "property" or "argument"
  R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The " .. kind .. " '" .. name .. "' " ..
    (reason or "is invalid") .. ". Received " .. R.inspect(v)))
end

local function null_check(s, name)
  if type(s) == "string" and sfind(s, "\0", 1, true) then invalid_value(name, s, "must be a string without null bytes") end
end

local function validate_boolean(v, name)
  if present(v) and type(v) ~= "boolean" then R.throw(invalid_arg_type(name, "boolean", v)) end
end

local function validate_timeout(t)
  if present(t) and not (type(t) == "number" and t == floor(t) and t - t == 0 and t >= 0) then
    N.out_of_range("timeout", "an unsigned integer", t)
  end
end

local function validate_max_buffer(m)
  if present(m) and not (type(m) == "number" and m >= 0) then N.out_of_range("options.maxBuffer", "a positive number", m) end
end

-- node's convertToValidSignal: a signal number from a number or a name (any case)
local function to_signal(sig)
  if type(sig) == "number" and SIGNAMES[sig] then return sig end
  if type(sig) == "string" and SIGNUMS[supper(sig)] then return SIGNUMS[supper(sig)] end
  R.throw(coded_error("TypeError", "ERR_UNKNOWN_SIGNAL", "Unknown signal: " .. R.tostr(sig)))
end

local function kill_signal(ks)
  if type(ks) == "string" or type(ks) == "number" then return to_signal(ks) end
  if present(ks) then R.throw(invalid_arg_type("options.killSignal", {"string", "number"}, ks)) end
  return nil
end

local function is_view(v)
  return type(v) == "table" and (R.typed_kind(v) ~= nil or R.dataview_state(v) ~= nil)
end

-- Lists keep their length in `n` (an array's holes are nils in them)
local function jsarray(list, from)
  from = from or 1
  local a, n = R.pack(), list.n or #list
  for i = from, n do rawset(a, i - from, list[i]) end
  rawset(a, "length", max(0, n - from + 1))
  return a
end

local function lua_list(a)
  local t = {n = rawget(a, "length") or 0}
  for i = 0, t.n - 1 do t[i + 1] = a[i] end
  return t
end

---------------------------------------------------------------------------------------------
-- Descriptors and processes

local pipefds, wstatus = ffi.new("int[2]"), ffi.new("int[1]")
local one_poll = ffi.new("struct ljs_pollfd[1]")

local function cloexec(fd) C.ljs_cp_fcntl(fd, 2, ffi.cast("int", 1)) end   -- F_SETFD, FD_CLOEXEC

-- a close-on-exec copy of fd numbered `low` or above (F_DUPFD)
local function dup_high(fd, low)
  local n = C.ljs_cp_fcntl(fd, 0, ffi.cast("int", low))
  if n >= 0 then cloexec(n) end
  return n
end

-- read end, write end, both close-on-exec; or nil, errno
local function make_pipe()
  if (LINUX and C.ljs_cp_pipe2(pipefds, O_CLOEXEC) or C.ljs_cp_pipe(pipefds)) ~= 0 then return nil, ffi.errno() end
  if not LINUX then cloexec(pipefds[0]); cloexec(pipefds[1]) end
  return pipefds[0], pipefds[1]
end

local function nonblocking(fd)
  C.ljs_cp_fcntl(fd, 4, ffi.cast("int", bor(C.ljs_cp_fcntl(fd, 3), O_NONBLOCK)))   -- F_SETFL, F_GETFL
end

-- poll(2)'s revents for fd now (0: nothing to read)
local function ready_now(fd)
  one_poll[0].fd, one_poll[0].events, one_poll[0].revents = fd, POLLIN, 0
  if C.poll(one_poll, 1, 0) <= 0 then return 0 end
  return one_poll[0].revents
end

-- How pid ended: exit code or (nil, signal number); nothing while it runs.
local function reap(pid)
  local r = C.ljs_cp_waitpid(pid, wstatus, 1)   -- WNOHANG
  if r == 0 or (r < 0 and ffi.errno() == EINTR) then return nil end
  if r < 0 then return 0 end   -- (ECHILD: something else reaped it, and its status with it)
  local s = wstatus[0]
  local sig = band(s, 0x7f)
  if sig == 0 then return band(rshift(s, 8), 0xff) end
  return nil, sig
end

-- a descriptor readable when pid exits, or nil (no pidfd_open: the callers poll waitpid)
local function pidfd_open(pid)
  if not PIDFD_OPEN then return nil end
  local fd = tonumber(C.ljs_cp_syscall(PIDFD_OPEN, ffi.cast("long", pid), ffi.cast("long", 0)))
  if fd >= 0 then return fd end
  local e = ffi.errno()
  if e == ENOSYS or e == 1 or e == EACCES then PIDFD_OPEN = nil end   -- (old kernel, seccomp)
  return nil
end

-- SIGKILL, and the zombie reaped (200 ms at most)
local function kill_now(pid)
  C.ljs_cp_kill(pid, 9)
  for _ = 1, 200 do
    local code, sig = reap(pid)
    if code or sig then return end
    C.poll(nil, 0, 1)   -- (not R.sleep_ms: a stopped program's may throw again)
  end
end

-- a stopped program's children go with it (the event loop forgot them): state -> true
local live = {}
local function abandon()
  for st in pairs(live) do
    live[st] = nil
    if st.pidfd then C.ljs_cp_close(st.pidfd); st.pidfd = nil end
    if not st.detached then kill_now(st.pid) end
  end
end

local function cstrings(list)
  local a = ffi.new("const char *[?]", #list + 1)
  for i = 1, #list do a[i - 1] = list[i] end
  return a
end

local fa, attr, sigs, pidbuf = ffi.new("ljs_cp_opaque"), ffi.new("ljs_cp_opaque"), ffi.new("ljs_cp_opaque"), ffi.new("int[1]")

-- Start `file` (looked up in the child's PATH unless it has a slash) with argv (argv[0] first),
-- envp ("K=V" strings) and cwd. stdio: one entry per child descriptor, {type = "pipe", readable
-- = whether the child reads it} | {type = "ignore"} | {type = "fd", fd = the program's}.
-- Returns pid, nil, our ends of the pipes (by entry); or nil, errno, those ends.
local function start(file, argv, envp, cwd, stdio, detached)
  R.flush_out()   -- what the program printed comes before what the child prints
  local n, ends, temps, errno = #stdio, {}, {}, nil
  C.ljs_cp_fa_init(fa)
  C.ljs_cp_attr_init(attr)
  -- the sources of the dup2s are numbered n or above, so that no dup2 overwrites another's source
  for i = 1, n do
    local s, target = stdio[i], i - 1
    if s.type == "pipe" then
      local r, w = make_pipe()
      if not r then errno = w; break end
      local mine, theirs = r, w
      if s.readable then mine, theirs = w, r end
      ends[i] = mine
      local high = dup_high(theirs, max(3, n))
      C.ljs_cp_close(theirs)
      if high < 0 then errno = ffi.errno(); break end
      temps[#temps + 1] = high
      C.ljs_cp_fa_dup2(fa, high, target)
    elseif s.type == "ignore" then
      C.ljs_cp_fa_open(fa, target, "/dev/null", 2, 0)   -- O_RDWR
    elseif s.fd ~= target then
      local src = s.fd
      if src < n then
        src = dup_high(src, n)
        if src < 0 then errno = ffi.errno(); break end
        temps[#temps + 1] = src
      end
      C.ljs_cp_fa_dup2(fa, src, target)
    end
  end
  if not errno and cwd and C.ljs_cp_access(cwd, 0) ~= 0 then errno = ffi.errno() end
  if not errno then
    C.ljs_cp_sigempty(sigs)
    for sig = 1, 31 do if sig ~= 9 and sig ~= SIGSTOP then C.ljs_cp_sigadd(sigs, sig) end end
    C.ljs_cp_attr_sigdefault(attr, sigs)
    C.ljs_cp_sigempty(sigs)
    C.ljs_cp_attr_sigmask(attr, sigs)
    C.ljs_cp_attr_flags(attr, bor(SETSIGDEF, SETSIGMASK, detached and SETSID or 0))
    local path_env = "/usr/bin:/bin"
    for i = #envp, 1, -1 do path_env = smatch(envp[i], "^PATH=(.*)$") or path_env end
    if cwd and HAS_CHDIR then
      C.ljs_cp_fa_chdir(fa, cwd)
    elseif cwd then   -- (a C library without addchdir: a shell changes directory first)
      argv = {"/bin/sh", "-c", 'cd -- "$0" && exec "$@"', cwd, file, unpack(argv, 2)}
      file = "/bin/sh"
    end
    local cargv, cenvp = cstrings(argv), cstrings(envp)
    local function try(path) return C.ljs_cp_spawn(pidbuf, path, fa, attr, cargv, cenvp) end
    if sfind(file, "/", 1, true) then
      errno = try(file)
    else
      errno = ENOENT
      local denied = false
      for dir in sgmatch(path_env .. ":", "([^:]*):") do
        local cand = (dir == "" and "." or dir) .. "/" .. file
        if C.ljs_cp_access(cand, 1) == 0 then   -- X_OK
          local r = try(cand)
          if r == 0 then errno = 0; break end
          if r == EACCES then denied = true elseif r ~= ENOENT and r ~= ENOTDIR then errno = r; break end
        elseif C.ljs_cp_access(cand, 0) == 0 then   -- (there, but not executable: execvp's EACCES)
          denied = true
        end
      end
      if errno == ENOENT and denied then errno = EACCES end
    end
    if errno == 0 then errno = nil end
  end
  C.ljs_cp_fa_destroy(fa)
  C.ljs_cp_attr_destroy(attr)
  for i = 1, #temps do C.ljs_cp_close(temps[i]) end
  if errno then return nil, errno, ends end
  return pidbuf[0], nil, ends
end

local function close_all(ends)
  for _, fd in pairs(ends) do C.ljs_cp_close(fd) end
end

---------------------------------------------------------------------------------------------
-- Arguments, as node's normalizeSpawnArguments and getValidStdio

local function env_pairs(env)
  local out = {}
  for _, k in R.forin(env) do
    local v = R.get(env, k)
    if v ~= nil then
      null_check(k, "options.env['" .. k .. "']")
      null_check(v, "options.env['" .. k .. "']")
      out[#out + 1] = k .. "=" .. R.tostr(v)
    end
  end
  return out
end

local function cwd_path(cwd)
  if B.is_u8(cwd) then
    cwd = B.decode(B.bytes_in(cwd, 0, cwd.length), "utf8")
  elseif type(cwd) == "table" and cwd ~= null and cwd.href ~= nil and cwd.protocol ~= nil and cwd.auth == nil and cwd.path == nil then
    cwd = require("ljs.node_url").file_url_to_path(cwd)
  elseif type(cwd) ~= "string" then
    R.throw(invalid_arg_type("options.cwd", {"string", "Buffer", "URL"}, cwd))
  end
  if sfind(cwd, "\0", 1, true) then invalid_value("options.cwd", cwd, "must be a string, Uint8Array, or URL without null bytes") end
  return cwd
end

-- {file, argv (argv[0] first), envp, cwd, detached, options (the program's object)}
local function normalize_spawn(file, args, options)
  N.validate_string(file, "file")
  null_check(file, "file")
  if file == "" then invalid_value("file", file, "cannot be empty") end
  if R.isarray(args) then
    args = lua_list(args)
  elseif not present(args) then
    args = {n = 0}
  elseif R.typeof(args) ~= "object" then
    R.throw(invalid_arg_type("args", "object", args))
  else
    options, args = args, {n = 0}
  end
  for i = 1, args.n do null_check(args[i], "args[" .. (i - 1) .. "]") end
  if options == nil then options = R.newobj() else N.validate_object(options, "options") end
  local o = options
  local cwd = o.cwd
  if present(cwd) then cwd = cwd_path(cwd) else cwd = nil end
  validate_boolean(o.detached, "options.detached")
  for _, k in ipairs({"uid", "gid"}) do
    local v = o[k]
    if present(v) then
      if not (type(v) == "number" and v == floor(v) and v >= -2147483648 and v <= 2147483647) then
        R.throw(invalid_arg_type("options." .. k, "int32", v))
      end
      unsupported("the '" .. k .. "' option of child_process (it needs setuid in the child)")
    end
  end
  local shell = o.shell
  if present(shell) and type(shell) ~= "boolean" and type(shell) ~= "string" then
    R.throw(invalid_arg_type("options.shell", {"boolean", "string"}, shell))
  end
  local argv0 = o.argv0
  if present(argv0) then
    N.validate_string(argv0, "options.argv0")
    null_check(argv0, "options.argv0")
  end
  validate_boolean(o.windowsHide, "options.windowsHide")
  validate_boolean(o.windowsVerbatimArguments, "options.windowsVerbatimArguments")
  local argv = {type(argv0) == "string" and argv0 or file}
  for i = 1, args.n do argv[i + 1] = R.tostr(args[i]) end
  if R.truthy(shell) then   -- (joined as Array.prototype.join does)
    null_check(shell, "options.shell")
    local words = {file}
    for i = 1, args.n do words[i + 1] = present(args[i]) and argv[i + 1] or "" end
    local command = concat(words, " ")
    file = type(shell) == "string" and shell or "/bin/sh"
    argv = {type(argv0) == "string" and argv0 or file, "-c", command}
  end
  local env = o.env
  if not R.truthy(env) then env = R.get(R.process, "env") end
  return {file = file, argv = argv, envp = env_pairs(env), cwd = cwd, detached = R.truthy(o.detached), options = o}
end

local INVALID_SYNC_INPUT = "Asynchronous forks do not support Buffer, TypedArray, DataView or string input: "

local function valid_stdio(stdio, sync)
  local list, n = {}, 3
  if type(stdio) == "string" then
    if stdio == "ignore" or stdio == "overlapped" or stdio == "pipe" then list = {stdio, stdio, stdio}
    elseif stdio == "inherit" then list = {0, 1, 2}
    else invalid_value("stdio", stdio) end
  elseif R.isarray(stdio) then
    list = lua_list(stdio)
    n = max(3, rawget(stdio, "length"))
  else
    invalid_value("stdio", stdio)
  end
  local out = {}
  for i = 1, n do
    local s = list[i]
    if not present(s) then s = i <= 3 and "pipe" or "ignore" end
    if s == "ignore" then
      out[i] = {type = "ignore"}
    elseif s == "pipe" or s == "overlapped" or (type(s) == "number" and s < 0) then
      out[i] = {type = "pipe", readable = i == 1}
    elseif s == "ipc" then
      unsupported("an 'ipc' channel to a child process")
    elseif s == "inherit" then
      out[i] = {type = "fd", fd = i - 1}
    elseif type(s) == "number" then
      out[i] = {type = "fd", fd = s}
    elseif type(s) == "table" and type(R.get(s, "fd")) == "number" then
      out[i] = {type = "fd", fd = R.get(s, "fd")}
    elseif type(s) == "string" or is_view(s) then
      if not sync then R.throw(coded_error("TypeError", "ERR_INVALID_SYNC_FORK_INPUT", INVALID_SYNC_INPUT .. R.inspect(s))) end
      out[i] = {type = "pipe", readable = i == 1, input = s}
    else
      invalid_value("stdio", s)
    end
  end
  return out
end

---------------------------------------------------------------------------------------------
-- spawnSync: its own poll loop over the pipes (and the pidfd), until the child exited and every
-- pipe closed; timeout and maxBuffer kill the child and close the pipes, as libuv's spawn_sync.

local function run_sync(pid, ends, stdio, timeout, max_buffer, signo)
  local pipes, out = {}, {}
  for i = 1, #stdio do
    local fd, s = ends[i], stdio[i]
    if fd and s.readable then
      if s.bytes and #s.bytes > 0 then
        nonblocking(fd)
        pipes[#pipes + 1] = {fd = fd, input = s.bytes, off = 0}
      else
        C.ljs_cp_close(fd)
      end
    elseif fd then
      out[i] = {}
      pipes[#pipes + 1] = {fd = fd, parts = out[i]}
    end
  end
  local pidfd = pidfd_open(pid)
  local pfd = ffi.new("struct ljs_pollfd[?]", #pipes + 1)
  local deadline = timeout > 0 and R.now_ms() + timeout or nil
  local limit = type(max_buffer) == "number" and max_buffer > 0 and max_buffer or nil
  local total, code, sig, err, killed = 0, nil, nil, nil, false

  local function drop(k) C.ljs_cp_close(pipes[k].fd); table.remove(pipes, k) end
  local function kill(e)
    err = err or e
    if killed then return end
    killed = true
    if not (code or sig) then C.ljs_cp_kill(pid, signo) end
    for k = #pipes, 1, -1 do drop(k) end
  end

  local ok, e = pcall(function()
    while true do
      if not (code or sig) then code, sig = reap(pid) end
      local exited = code or sig
      if exited and #pipes == 0 then return end
      local n = #pipes
      for k = 1, n do
        local p = pfd[k - 1]
        p.fd, p.events, p.revents = pipes[k].fd, pipes[k].input and POLLOUT or POLLIN, 0
      end
      if pidfd and not exited then
        pfd[n].fd, pfd[n].events, pfd[n].revents = pidfd, POLLIN, 0
        n = n + 1
      end
      local wait = (pidfd or exited) and SLICE_MS or 5
      if deadline then wait = max(0, min(wait, ceil(deadline - R.now_ms()))) end
      if C.poll(pfd, n, wait) > 0 then
        for k = #pipes, 1, -1 do
          local p = pipes[k]
          if pfd[k - 1].revents ~= 0 then
            if p.input then
              local w = tonumber(C.ljs_cp_write(p.fd, ffi.cast("const char *", p.input) + p.off, #p.input - p.off))
              if w > 0 then
                p.off = p.off + w
                if p.off >= #p.input then drop(k) end
              elseif w < 0 then
                local werr = ffi.errno()
                if werr ~= EINTR and werr ~= EAGAIN then drop(k); err = err or werr end
              end
            else
              local s = read_chunk(p.fd)
              if s == "" or s == false then
                drop(k)
              elseif s then
                p.parts[#p.parts + 1] = s
                total = total + #s
                if limit and total > limit then kill(ENOBUFS); break end
              end
            end
          end
        end
      end
      if R.interrupted then R.interrupted() end
      if deadline and R.now_ms() >= deadline then
        deadline = nil
        kill(ETIMEDOUT)
      end
    end
  end)
  if pidfd then C.ljs_cp_close(pidfd) end
  if not ok then   -- stopped (time limit, Ctrl-C): the child goes too
    for k = #pipes, 1, -1 do drop(k) end
    if not (code or sig) then kill_now(pid) end
    error(e, 0)
  end
  return code, sig, out, err
end

local function spawn_sync(file, args, options)
  local o = normalize_spawn(file, args, options)
  local opts = o.options
  local max_buffer = opts.maxBuffer
  if max_buffer == nil then max_buffer = MAX_BUFFER end
  validate_timeout(opts.timeout)
  validate_max_buffer(max_buffer)
  local signo = kill_signal(opts.killSignal) or 15
  local stdio = valid_stdio(R.truthy(opts.stdio) and opts.stdio or "pipe", true)
  local encoding = opts.encoding
  if R.truthy(opts.input) then stdio[1].input = opts.input end
  for i = 1, #stdio do
    local input = stdio[i].input
    if present(input) then
      if type(input) == "string" then
        stdio[i].bytes = B.encode(input, B.encoding_of(R.truthy(encoding) and encoding or nil))
      elseif is_view(input) then
        local ptr, len = B.byte_view(input)
        stdio[i].bytes = ffi.string(ptr, len)
      else
        R.throw(invalid_arg_type("options.stdio[" .. (i - 1) .. "]", {"Buffer", "TypedArray", "DataView", "string"}, input))
      end
    end
  end
  local timeout = present(opts.timeout) and opts.timeout or 0
  local pid, errno, ends = start(o.file, o.argv, o.envp, o.cwd, stdio, o.detached)
  local function failure(e)
    local err = errno_error(e, "spawnSync " .. o.file)
    put(err, "path", o.file)
    put(err, "spawnargs", jsarray(o.argv, 2))
    return err
  end
  if not pid then
    close_all(ends)
    return N.jsobject("error", failure(errno), "status", null, "signal", null, "output", null, "pid", 0,
                      "stdout", null, "stderr", null)
  end
  local code, sig, outs, err = run_sync(pid, ends, stdio, timeout, max_buffer, signo)
  local decode = R.truthy(encoding) and encoding ~= "buffer" and B.encoding_of(encoding)
  local output = R.pack()
  for i = 1, #stdio do
    local parts = outs[i]
    local v = null
    if parts then
      local bytes = concat(parts)
      v = decode and B.decode(bytes, decode) or B.from_bytes(bytes)
    end
    rawset(output, i - 1, v)
  end
  rawset(output, "length", #stdio)
  local r = R.newobj()
  if err then put(r, "error", failure(err)) end
  put(r, "status", sig and null or code)
  put(r, "signal", sig and (SIGNAMES[sig] or sig) or null)
  put(r, "output", output)
  put(r, "pid", pid)
  put(r, "stdout", output[1])
  put(r, "stderr", output[2])
  return r
end

local function exec_sync_error(ret, args, cmd)
  local err = ret.error
  if present(err) then return assign(err, ret) end
  if ret.status ~= 0 then
    local msg = "Command failed: " .. (cmd or concat(args, " "))
    local stderr = ret.stderr
    if R.truthy(stderr) and R.tonum(R.get(stderr, "length")) > 0 then msg = msg .. "\n" .. R.tostr(stderr) end
    return assign(R.make_error("Error", msg), ret)
  end
  return nil
end

-- (execSync and execFileSync pass on what the child wrote to stderr when stdio was not given)
local function echo_stderr(stderr)
  if not R.truthy(stderr) then return end
  if B.is_buffer(stderr) then R.write_err(B.bytes_in(stderr, 0, stderr.length)) else R.write_err(R.tostr(stderr)) end
end

-- node's normalizeExecFileArgs: file, args (a list), options, callback
local function normalize_exec_file(file, args, options, callback)
  if R.isarray(args) then
    args = lua_list(args)
  elseif present(args) and R.typeof(args) == "object" then
    options, callback, args = args, options, nil
  elseif R.iscallable(args) then
    callback, options, args = args, nil, nil
  end
  args = args or {n = 0}
  if R.iscallable(options) then
    callback, options = options, nil
  elseif present(options) then
    N.validate_object(options, "options")
  end
  if not present(options) then options = R.newobj() end
  if present(callback) then N.validate_function(callback, "callback") end
  local argv0 = options.argv0
  if present(argv0) then
    N.validate_string(argv0, "options.argv0")
    null_check(argv0, "options.argv0")
  end
  return file, args, options, callback
end

-- node's normalizeExecArgs: a copy of options with `shell` set
local function normalize_exec(command, options, callback)
  N.validate_string(command, "command")
  null_check(command, "command")
  if R.iscallable(options) then options, callback = nil, options end
  local o = R.newobj()
  if present(options) then R.assign_spread(o, options) end
  if type(o.shell) ~= "string" then R.put(o, "shell", true) end
  return command, o, callback
end

---------------------------------------------------------------------------------------------
-- Streams over the pipes: a Readable for what the child writes, a Writable for its stdin (node's
-- net.Socket, whose name they take; made on first use, as ljs.node_stream loads then)

local S, ReaderProto, WriterProto

local function stream_protos()
  if S then return end
  S = require("ljs.node_stream")
  local function sub(parent)
    return R.library_class("Socket", 1, function(this) return this end, parent.prototype)
  end
  ReaderProto, WriterProto = sub(S.Readable), sub(S.Writable)
end

local function reader(fd)
  stream_protos()
  local st, r = {fd = fd}, nil
  local function stop() if st.watch then R.io_unwatch(st.watch); st.watch = nil end end
  local function shut() stop(); if st.fd then C.ljs_cp_close(st.fd); st.fd = nil end end
  local on_ready
  -- As libuv reads: a hang-up right after the data is the end, in the same callback; more data
  -- already there comes in a callback of its own later in this turn (32 at most, so that a busy
  -- child does not starve the loop).
  on_ready = function(depth)
    if not st.fd then return end
    local s = read_chunk(st.fd)
    if s == nil then return end
    if s == "" or s == false then shut(); r:push(null); return end
    if not r:push(B.from_bytes(s)) then stop() end
    if not st.watch then return end
    local rev = ready_now(st.fd)
    if rev == POLLHUP then
      shut()
      r:push(null)
    elseif rev ~= 0 and (depth or 0) < 32 then
      R.io_followup(function() on_ready((depth or 0) + 1) end)
    end
  end
  local opts = R.newobj()
  opts.read = builtin("read", 1, function()
    if st.fd and not st.watch then
      st.watch = R.io_watch(st.fd, on_ready)
      st.watch.dropped = function() st.watch = nil; shut(); abandon() end
    end
  end)
  opts.destroy = builtin("destroy", 2, function(_, err, cb) shut(); cb(nil, err) end)
  r = R.new(S.Readable, opts)
  R.setproto(r, ReaderProto)
  r:read(0)   -- (net.Socket starts reading at once, up to its highWaterMark)
  return r
end

local function writer(fd)
  stream_protos()
  nonblocking(fd)
  local st = {fd = fd}
  local function shut()
    if st.timer then clear_timeout(nil, st.timer); st.timer = nil end
    if st.fd then C.ljs_cp_close(st.fd); st.fd = nil end
  end
  local function send(bytes, off, cb, delay)
    st.timer, st.pending = nil, nil
    while off < #bytes do
      if not st.fd then return cb(nil, errno_error(EPIPE, "write")) end
      local n = tonumber(C.ljs_cp_write(st.fd, ffi.cast("const char *", bytes) + off, #bytes - off))
      local e = n < 0 and ffi.errno()
      if n > 0 then
        off = off + n
      elseif n == 0 or e == EAGAIN then   -- full: again a little later
        st.pending = cb
        st.timer = set_timeout(nil, function() send(bytes, off, cb, min(delay * 2, 32)) end, delay)
        return
      elseif e ~= EINTR then
        return cb(nil, errno_error(e, "write"))
      end
    end
    cb(nil)
  end
  local opts = R.newobj()
  opts.write = builtin("write", 3, function(_, chunk, _, cb) send(B.bytes_in(chunk, 0, chunk.length), 0, cb, 1) end)
  opts.final = builtin("final", 1, function(_, cb) shut(); cb(nil) end)
  opts.destroy = builtin("destroy", 2, function(_, err, cb)
    local pending = st.pending
    st.pending = nil
    shut()
    if pending then pending(nil, errno_error(ECANCELED, "write")) end
    cb(nil, err)
  end)
  local w = R.new(S.Writable, opts)
  R.setproto(w, WriterProto)
  put(w, "readable", false)
  return w
end

---------------------------------------------------------------------------------------------
-- ChildProcess

local EventEmitter = R.builtin_modules.events()
local states = setmetatable({}, {__mode = "k"})   -- child -> {pid, pidfd, watch, timer, ref, ...}

local ChildProcessProto = R.newobj(EventEmitter.prototype)
local function ChildProcess(this)
  if not R.constructing(this, ChildProcessProto) then return R.new(ChildProcess) end
  EventEmitter(this)
  put(this, "_closesNeeded", 1)
  put(this, "_closesGot", 0)
  put(this, "connected", false)
  put(this, "signalCode", null)
  put(this, "exitCode", null)
  put(this, "killed", false)
  put(this, "spawnfile", null)
  put(this, "_handle", R.newobj())
  return this
end
R.fn(ChildProcess, "ChildProcess", 0)
rawset(R.fprop_table(ChildProcess), "prototype", ChildProcessProto)
rawset(ChildProcessProto, "constructor", ChildProcess)
R.note_hidden(ChildProcessProto, "constructor")
R.setproto(R.fprop_table(ChildProcess), EventEmitter)

local function maybe_close(child)
  local got = child._closesGot + 1
  R.put(child, "_closesGot", got)
  if got == child._closesNeeded then child:emit("close", child.exitCode, child.signalCode) end
end

-- the streams nobody reads are read to their end, so that they close and 'close' can come
local function flush_stdio(_, child)
  local stdio = child.stdio
  if not present(stdio) then return end
  for i = 0, stdio.length - 1 do
    local s = stdio[i]
    if present(s) and R.truthy(s.readable) and not R.truthy(s._readableState.readableListening) then s:resume() end
  end
end

-- node's onexit: exit code (negative: the errno of a spawn that failed) or signal number
local function on_exit(child, code, signo)
  local st = states[child]
  if st then st.exited = true; live[st] = nil end
  if signo then R.put(child, "signalCode", SIGNAMES[signo] or signo) else R.put(child, "exitCode", code) end
  local stdin = child.stdin
  if present(stdin) then stdin:destroy() end
  R.put(child, "_handle", null)
  if code and code < 0 then
    local file = child.spawnfile
    local e = errno_error(-code, R.truthy(file) and ("spawn " .. file) or "spawn")
    if R.truthy(file) then put(e, "path", file) end
    put(e, "spawnargs", jsarray(lua_list(child.spawnargs), 2))
    child:emit("error", e)
  else
    child:emit("exit", child.exitCode, child.signalCode)
  end
  tick(flush_stdio, child)
  maybe_close(child)
end

local function watch_exit(child, st)
  local function check()
    local code, sig = reap(st.pid)
    if not (code or sig) then return false end
    if st.watch then R.io_unwatch(st.watch); st.watch = nil end
    if st.pidfd then C.ljs_cp_close(st.pidfd); st.pidfd = nil end
    on_exit(child, code, sig)
    return true
  end
  live[st] = true
  st.pidfd = pidfd_open(st.pid)
  if st.pidfd then
    st.watch = R.io_watch(st.pidfd, check, st.ref)
    st.watch.dropped = function() st.watch = nil; abandon() end
    return
  end
  local delay = 1
  local function again()
    st.timer = nil
    if check() then return end
    delay = min(delay * 2, 20)
    st.timer = set_timeout(nil, again, delay)
    if not st.ref then st.timer:unref() end
  end
  st.timer = set_timeout(nil, again, delay)   -- (never at once: 'exit' comes after spawn() returned)
end

local RUNTIME_ERRORS = {[EACCES] = true, [EAGAIN] = true, [EMFILE] = true, [ENFILE] = true, [ENOENT] = true}

-- ChildProcess.prototype.spawn with node's normalized options: {file, argv, envp, cwd, detached, stdio}
local function start_child(child, o)
  local stdio = valid_stdio(R.truthy(o.stdio) and o.stdio or "pipe", false)
  R.put(child, "spawnfile", o.file)
  R.put(child, "spawnargs", jsarray(o.argv))
  local pid, errno, ends = start(o.file, o.argv, o.envp, o.cwd, stdio, o.detached)
  local st = {pid = pid, ref = true, detached = o.detached}
  states[child] = st
  if errno then
    if not RUNTIME_ERRORS[errno] then
      close_all(ends)
      R.put(child, "_handle", null)
      R.throw(errno_error(errno, "spawn"))
    end
    tick(function() on_exit(child, -errno) end)
    if errno == EMFILE or errno == ENFILE then close_all(ends); return -errno end
  else
    tick(function() child:emit("spawn") end)
    put(rawget(child, "_handle"), "pid", pid)
  end
  R.put(child, "pid", pid)
  local streams = R.pack()
  for i = 1, #stdio do
    local s, sock = stdio[i], null
    if s.type == "pipe" then
      sock = s.readable and writer(ends[i]) or reader(ends[i])
      if i > 1 then
        R.put(child, "_closesNeeded", child._closesNeeded + 1)
        sock:on("close", builtin("onclose", 0, function() maybe_close(child) end))
      end
    end
    rawset(streams, i - 1, sock)
  end
  rawset(streams, "length", #stdio)
  R.put(child, "stdin", streams[0])
  R.put(child, "stdout", streams[1])
  R.put(child, "stderr", streams[2])
  R.put(child, "stdio", streams)
  if pid then watch_exit(child, st) end
  return errno and -errno or 0
end

R.method(ChildProcessProto, "spawn", 1, function(this, options)
  N.validate_object(options, "options")
  N.validate_string(options.file, "options.file")
  local function strings(a)
    local t = lua_list(a)
    for i = 1, t.n do t[i] = R.tostr(t[i]) end
    return t
  end
  local args, envp = options.args, options.envPairs
  return start_child(this, {
    file = options.file, argv = present(args) and strings(args) or {options.file},
    envp = present(envp) and strings(envp) or env_pairs(R.get(R.process, "env")),
    cwd = present(options.cwd) and R.tostr(options.cwd) or nil, detached = R.truthy(options.detached),
    stdio = options.stdio})
end)

R.method(ChildProcessProto, "kill", 1, function(this, sig)
  local signo = sig == 0 and 0 or to_signal(sig == nil and "SIGTERM" or sig)
  local st = states[this]
  if st and st.pid and not st.exited then
    if C.ljs_cp_kill(st.pid, signo) == 0 then
      R.put(this, "killed", true)
      return true
    end
    local e = ffi.errno()
    if e == EINVAL or e == ENOSYS then R.throw(errno_error(e, "kill")) end
    if e ~= ESRCH then this:emit("error", errno_error(e, "kill")) end
  end
  return false
end)

local function set_ref(this, on)
  local st = states[this]
  if not st or st.exited then return end
  st.ref = on
  if st.watch then st.watch.ref = on end
  if st.timer then if on then st.timer:ref() else st.timer:unref() end end
end
R.method(ChildProcessProto, "ref", 0, function(this) set_ref(this, true) end)
R.method(ChildProcessProto, "unref", 0, function(this) set_ref(this, false) end)

local function spawn(file, args, options)
  local o = normalize_spawn(file, args, options)
  local opts = o.options
  validate_timeout(opts.timeout)
  local signal = opts.signal
  if signal ~= nil and not (type(signal) == "table" and signal ~= null and R.has(signal, "aborted")) then
    R.throw(invalid_arg_type("options.signal", "AbortSignal", signal))
  end
  local signo = kill_signal(opts.killSignal)
  local child = R.new(ChildProcess)
  o.stdio = opts.stdio
  start_child(child, o)
  local function kill_or_error()
    local ok, e = pcall(child.kill, child, signo)
    if not ok then child:emit("error", R.caught(e)) end
    return ok and e
  end
  local timeout = opts.timeout
  if present(timeout) and timeout > 0 then
    local t
    t = set_timeout(nil, function() if t then t = nil; kill_or_error() end end, timeout)
    child:once("exit", builtin("", 0, function() if t then clear_timeout(nil, t); t = nil end end))
  end
  if signal ~= nil then
    local function on_abort()
      if kill_or_error() then child:emit("error", N.abort_error(signal.reason)) end
    end
    if R.truthy(signal.aborted) then
      tick(on_abort)
    else
      local listener = builtin("", 0, on_abort)
      signal:addEventListener("abort", listener, N.jsobject("once", true))
      child:once("exit", builtin("", 0, function() signal:removeEventListener("abort", listener) end))
    end
  end
  return child
end

---------------------------------------------------------------------------------------------
-- exec and execFile, as node's: the output gathered, the callback given (err, stdout, stderr)

local function byte_length(chunk, enc)
  if type(chunk) ~= "string" then return chunk.length end
  return #B.encode(chunk, B.normalize(enc) or "utf8")
end

local function exec_file(file, args, options, callback)
  file, args, options, callback = normalize_exec_file(file, args, options, callback)
  local o = N.jsobject("encoding", "utf8", "timeout", 0, "maxBuffer", MAX_BUFFER, "killSignal", "SIGTERM",
                       "cwd", null, "env", null, "shell", false)
  R.assign_spread(o, options)
  validate_timeout(o.timeout)
  validate_max_buffer(o.maxBuffer)
  local signo = kill_signal(o.killSignal)
  local child = spawn(file, jsarray(args), N.jsobject("cwd", o.cwd, "env", o.env, "gid", o.gid, "shell", o.shell,
    "signal", o.signal, "uid", o.uid, "windowsHide", R.truthy(o.windowsHide),
    "windowsVerbatimArguments", R.truthy(o.windowsVerbatimArguments)))
  local encoding = o.encoding
  if encoding == "buffer" or not B.normalize(encoding) then encoding = nil end
  local out, err_out, out_len, err_len = {}, {}, 0, 0
  local killed, exited, timer, ex = false, false, nil, nil
  local cmd = file
  local max_buffer = R.tonum(o.maxBuffer)   -- (as node compares it: null is 0, undefined no limit)

  local function joined(list, stream)
    if encoding or (present(stream) and present(stream.readableEncoding)) then return concat(list) end
    local parts = {}
    for i = 1, #list do parts[i] = B.bytes_in(list[i], 0, list[i].length) end
    return B.from_bytes(concat(parts))
  end

  local function exithandler(_, code, signal)
    if exited then return end
    exited = true
    if timer then clear_timeout(nil, timer); timer = nil end
    if not callback then return end
    local stdout, stderr = joined(out, child.stdout), joined(err_out, child.stderr)
    if not ex and code == 0 and signal == null then return callback(nil, null, stdout, stderr) end
    if args.n > 0 then
      local parts = {}
      for i = 1, args.n do parts[i] = present(args[i]) and R.tostr(args[i]) or "" end
      cmd = cmd .. " " .. concat(parts, " ")
    end
    if not ex then
      ex = R.make_error("Error", "Command failed: " .. cmd .. "\n" .. R.tostr(stderr))
      put(ex, "code", (type(code) == "number" and code < 0) and UV.name(code) or code)
      put(ex, "killed", R.truthy(child.killed) or killed)
      put(ex, "signal", signal)
    end
    R.put(ex, "cmd", cmd)
    callback(nil, ex, stdout, stderr)
  end

  local function kill()
    if present(child.stdout) then child.stdout:destroy() end
    if present(child.stderr) then child.stderr:destroy() end
    killed = true
    local ok, e = pcall(child.kill, child, signo)
    if not ok then
      ex = R.caught(e)
      exithandler()
    end
  end

  if R.tonum(o.timeout) > 0 then
    timer = set_timeout(nil, function() kill(); timer = nil end, o.timeout)
  end

  local function collect(stream, list, which)
    if not present(stream) then return end
    if encoding then stream:setEncoding(encoding) end
    stream:on("data", builtin("", 1, function(_, chunk)
      if max_buffer == math.huge then list[#list + 1] = chunk; return end
      local enc = stream.readableEncoding
      local len = byte_length(chunk, present(enc) and enc or nil)
      local total = (which == "stdout" and out_len or err_len) + len
      if which == "stdout" then out_len = total else err_len = total end
      if total > max_buffer then
        local keep = max_buffer - (total - len)
        list[#list + 1] = type(chunk) == "string" and R.str_sub(chunk, 0, keep) or chunk:slice(0, keep)
        ex = coded_error("RangeError", "ERR_CHILD_PROCESS_STDIO_MAXBUFFER", which .. " maxBuffer length exceeded")
        kill()
      else
        list[#list + 1] = chunk
      end
    end))
  end
  collect(child.stdout, out, "stdout")
  collect(child.stderr, err_out, "stderr")

  child:addListener("close", builtin("exithandler", 2, exithandler))
  child:addListener("error", builtin("errorhandler", 1, function(_, e)
    ex = e
    if present(child.stdout) then child.stdout:destroy() end
    if present(child.stderr) then child.stderr:destroy() end
    exithandler()
  end))
  return child
end

-- util.promisify's form of exec / execFile: a promise of {stdout, stderr}, with the child
local function promise_form(orig)
  return builtin("", 0, function(_, ...)
    local n = select("#", ...)
    local args = {...}
    local p = R.new_promise()
    args[n + 1] = builtin("", 3, function(_, err, stdout, stderr)
      if err ~= null then
        R.put(err, "stdout", stdout)
        R.put(err, "stderr", stderr)
        R.reject_promise(p, err)
      else
        R.resolve_promise(p, N.jsobject("stdout", stdout, "stderr", stderr))
      end
    end)
    R.put(p, "child", orig(nil, unpack(args, 1, n + 1)))
    return p
  end)
end

---------------------------------------------------------------------------------------------
-- The module, with node's keys in node's order

local cp = R.newobj()
local export = N.export
local kCustom = R.symbol_for("nodejs.util.promisify.custom")

export(cp, "_forkChild", 2, function() unsupported("child_process._forkChild (IPC with a parent node process)") end)
put(cp, "ChildProcess", ChildProcess)
local exec = export(cp, "exec", 3, function(_, command, options, callback)
  local file, o, cb = normalize_exec(command, options, callback)
  return exec_file(file, nil, o, cb)
end)
R.defprop(exec, kCustom, {value = promise_form(exec), writable = true, enumerable = false, configurable = true})
local execFile = export(cp, "execFile", 4, function(_, file, args, options, callback)
  return exec_file(file, args, options, callback)
end)
R.defprop(execFile, kCustom, {value = promise_form(execFile), writable = true, enumerable = false, configurable = true})
export(cp, "execFileSync", 3, function(_, file, args, options)
  file, args, options = normalize_exec_file(file, args, options)
  local inherit_stderr = not R.truthy(options.stdio)
  local ret = spawn_sync(file, jsarray(args), options)
  if inherit_stderr then echo_stderr(ret.stderr) end
  local words = {R.truthy(options.argv0) and options.argv0 or file}
  for i = 1, args.n do words[i + 1] = present(args[i]) and R.tostr(args[i]) or "" end
  local err = exec_sync_error(ret, words)
  if err then R.throw(err) end
  return ret.stdout
end)
export(cp, "execSync", 2, function(_, command, options)
  local file, o = normalize_exec(command, options, nil)
  local inherit_stderr = not R.truthy(o.stdio)
  local ret = spawn_sync(file, o)
  if inherit_stderr then echo_stderr(ret.stderr) end
  local err = exec_sync_error(ret, nil, command)
  if err then R.throw(err) end
  return ret.stdout
end)
export(cp, "fork", 3, function() unsupported("child_process.fork (it starts node processes with an IPC channel)") end)
export(cp, "spawn", 3, function(_, file, args, options) return spawn(file, args, options) end)
export(cp, "spawnSync", 3, function(_, file, args, options) return spawn_sync(file, args, options) end)

M.exports = cp
return M
