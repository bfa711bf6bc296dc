-- ljs.node_os: node's `os` module. Facts come from where libuv gets them on Linux: uname(2),
-- gethostname(2), /proc/stat and /proc/cpuinfo (cpus), /proc/meminfo (memory), /proc/uptime and
-- /proc/loadavg, getpwuid(3) (user info); elsewhere sysconf(3) and the environment stand in.
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.nodelib")

local type, tonumber, tostring = type, tonumber, tostring
local sfind, smatch, ssub, sgmatch = string.find, string.match, string.sub, string.gmatch
local G, null = R.G, R.null
local N = R.nodelib
local put, export, jsobject = N.put, N.export, N.jsobject

local LINUX = jit and jit.os == "Linux"
local UTS_LEN = LINUX and 65 or 256    -- the field size of struct utsname (glibc / the BSDs)

pcall(ffi.cdef, "int gethostname(char *name, size_t len);")
pcall(ffi.cdef, "long sysconf(int name);")
pcall(ffi.cdef, "unsigned int getuid(void); unsigned int getgid(void);")
pcall(ffi.cdef, "int getloadavg(double loadavg[], int nelem);")
pcall(ffi.cdef, "struct ljs_utsname { char f[6][" .. UTS_LEN .. "]; }; int uname(struct ljs_utsname *buf);")
if LINUX then
  pcall(ffi.cdef, [[
    struct ljs_passwd { char *pw_name; char *pw_passwd; unsigned int pw_uid; unsigned int pw_gid;
                        char *pw_gecos; char *pw_dir; char *pw_shell; };
    struct ljs_passwd *getpwuid(unsigned int uid);
  ]])
end
local C = ffi.C

local read_file = require("ljs.bytecode").read   -- (the loader's: it must load standalone)

local uts_cache
local function uts(i)   -- 1 sysname, 2 nodename, 3 release, 4 version, 5 machine
  if not uts_cache then
    local buf = ffi.new("struct ljs_utsname")
    uts_cache = {}
    if C.uname(buf) == 0 then
      for k = 1, 5 do uts_cache[k] = ffi.string(buf.f[k - 1]) end
    end
  end
  return uts_cache[i] or ""
end

local function passwd()
  if not LINUX then return nil end
  local ok, pw = pcall(C.getpwuid, C.getuid())
  if not ok or pw == nil then return nil end
  return pw
end

local function homedir()
  local h = os.getenv("HOME")
  if h and h ~= "" then return h end
  local pw = passwd()
  if pw and pw.pw_dir ~= nil then return ffi.string(pw.pw_dir) end
  return "/"
end

local function tmpdir()
  local p = os.getenv("TMPDIR") or os.getenv("TMP") or os.getenv("TEMP") or "/tmp"
  if p == "" then p = "/tmp" end
  if #p > 1 and ssub(p, -1) == "/" then p = ssub(p, 1, -2) end
  return p
end

local function hostname()
  local buf = ffi.new("char[256]")
  if C.gethostname(buf, 256) ~= 0 then return uts(2) end
  return ffi.string(buf)
end

local SC_NPROCESSORS_ONLN = LINUX and 84 or 58
local SC_PHYS_PAGES, SC_PAGESIZE = LINUX and 85 or 200, LINUX and 30 or 29

local function cpu_count()
  local n = tonumber(C.sysconf(SC_NPROCESSORS_ONLN))
  return (n and n > 0) and n or 1
end

-- [{model, speed, times: {user, nice, sys, idle, irq}}], one per online CPU; times in ms
local function cpus()
  local out = R.newarray(0)
  local stat = read_file("/proc/stat")
  local info = read_file("/proc/cpuinfo") or ""
  local models, speeds = {}, {}
  for m in sgmatch(info, "model name%s*:%s*([^\n]*)") do models[#models + 1] = m end
  for s in sgmatch(info, "cpu MHz%s*:%s*([%d%.]+)") do speeds[#speeds + 1] = math.floor(tonumber(s) or 0) end
  local ticks = 1000 / 100   -- USER_HZ is 100 on Linux
  local n = 0
  if stat then
    for id, user, nice, sys, idle, _, irq in sgmatch(stat, "\ncpu(%d+) (%d+) (%d+) (%d+) (%d+) (%d+) (%d+)") do
      local times = jsobject("user", tonumber(user) * ticks, "nice", tonumber(nice) * ticks, "sys", tonumber(sys) * ticks,
                             "idle", tonumber(idle) * ticks, "irq", tonumber(irq) * ticks)
      local k = tonumber(id) + 1
      out[n] = jsobject("model", models[k] or models[1] or "unknown", "speed", speeds[k] or speeds[1] or 0, "times", times)
      n = n + 1
    end
  end
  if n == 0 then
    -- no /proc: the count is right, the rest unknown
    for i = 0, cpu_count() - 1 do
      out[i] = jsobject("model", "unknown", "speed", 0, "times",
                        jsobject("user", 0, "nice", 0, "sys", 0, "idle", 0, "irq", 0))
    end
  end
  return out
end

local function meminfo(key)
  local s = read_file("/proc/meminfo")
  local kb = s and smatch(s, key .. ":%s*(%d+)")
  return kb and tonumber(kb) * 1024
end

local function totalmem()
  return meminfo("MemTotal") or tonumber(C.sysconf(SC_PHYS_PAGES)) * tonumber(C.sysconf(SC_PAGESIZE))
end

local function freemem()
  return meminfo("MemAvailable") or meminfo("MemFree") or 0
end

local M = {}
local os_ = R.newobj()
put(os_, "EOL", "\n")
put(os_, "devNull", "/dev/null")
export(os_, "platform", 0, function() return R.process and R.process.platform or "linux" end)
export(os_, "type", 0, function() return uts(1) end)
export(os_, "release", 0, function() return uts(3) end)
export(os_, "version", 0, function() return uts(4) end)
export(os_, "machine", 0, function() return uts(5) end)
export(os_, "arch", 0, function() return R.process and R.process.arch or "x64" end)
export(os_, "endianness", 0, function() return ffi.abi("le") and "LE" or "BE" end)
export(os_, "homedir", 0, homedir)
export(os_, "tmpdir", 0, tmpdir)
export(os_, "hostname", 0, hostname)
export(os_, "cpus", 0, cpus)
export(os_, "availableParallelism", 0, cpu_count)
export(os_, "totalmem", 0, totalmem)
export(os_, "freemem", 0, freemem)
export(os_, "uptime", 0, function()
  local s = read_file("/proc/uptime")
  local up = s and tonumber(smatch(s, "^([%d%.]+)"))
  return up or os.clock()
end)
export(os_, "loadavg", 0, function()
  local la = ffi.new("double[3]")
  if C.getloadavg(la, 3) ~= 3 then return R.pack(0, 0, 0) end
  return R.pack(la[0], la[1], la[2])
end)
export(os_, "userInfo", 1, function()
  local pw = passwd()
  local uid, gid = tonumber(C.getuid()), tonumber(C.getgid())
  local name = pw and pw.pw_name ~= nil and ffi.string(pw.pw_name) or os.getenv("USER") or ""
  local shell = pw and pw.pw_shell ~= nil and ffi.string(pw.pw_shell) or os.getenv("SHELL") or null
  local home = pw and pw.pw_dir ~= nil and ffi.string(pw.pw_dir) or homedir()
  return jsobject("uid", uid, "gid", gid, "username", name, "homedir", home, "shell", shell)
end)
M.exports = os_

return M
