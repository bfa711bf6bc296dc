-- ljs.gpu: launches the kernels of `// @gpu` loops and serves the `gpu` module.
--
-- The compiler turns a marked loop into `launcher(starts and bounds, arrays, scalars, reduction
-- values[, counter, bound])`, where the launcher comes from M.kernel(descriptor). It returns
-- false when the loop is to run as the ordinary compiled Lua that follows it
-- (LUASCRIPT_DEVICE=cpu, no driver or device, arguments a kernel cannot take), else true and
-- the reduced values.
--
-- Device: the CUDA driver API through bindings/cuda.lua, on the device's primary context
-- (versioned context constructors are missing from older drivers). Kernels are specialised on
-- the element types of the arrays of a launch, compiled by NVRTC to CUBIN for the device's own
-- sm_XY (PTX from an NVRTC newer than the driver is rejected by the driver's JIT), and cached in
-- memory and on disk. Device memory comes from a pool of freed blocks kept by size.
--
-- Residency (docs/gpu.md): host code reads and writes typed arrays through their raw FFI
-- pointers, which nothing intercepts, so the host copy is current whenever host code may run.
-- Launches form sequences: the compiler marks a launch `keep` when it has proved that no host
-- code touching array contents runs before the next launch (only comments, reference moves and
-- the counter of an enclosing counted loop in between); within a sequence every array is
-- uploaded once and stays on the device, and the first launch without `keep` ends it, which
-- downloads what kernels wrote. Arrays handed in through `__cuda_array_interface__` live on the
-- device for good (their host side is intercepted, see "Device arrays").
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.typedarray")
local TA_PTR, TA_LEN, TA_BUF, TA_OFF = R.TA_PTR, R.TA_LEN, R.TA_BUF, R.TA_OFF

local floor, ceil, tostring, type, select, unpack = math.floor, math.ceil, tostring, type, select, unpack

local M = {}

-- element C type of each typed array kind a kernel accepts
local CTYPES = {
  Int8Array = "signed char", Uint8Array = "unsigned char", Int16Array = "short", Uint16Array = "unsigned short",
  Int32Array = "int", Uint32Array = "unsigned", Float32Array = "float", Float64Array = "double",
}
local SIZES = {["signed char"] = 1, ["unsigned char"] = 1, short = 2, ["unsigned short"] = 2, int = 4,
               unsigned = 4, float = 4, double = 8}
local MAX_REDUCTION_BLOCKS = 1024
local INT32 = 2147483648

---------------------------------------------------------------------------------------------
-- Device selection

local mode          -- "cpu", "gpu" or "auto" (LUASCRIPT_DEVICE), read at first use
local dev           -- the device, once initialised: {cu, id, arch, name, memory}
local unavailable   -- why there is no device, once that is known
local noticed = {}  -- notices already written, by text

local function notice(msg)
  if noticed[msg] then return end
  noticed[msg] = true
  R.write_err("luascript: " .. msg .. "\n")
end

local function get_mode()
  local m = os.getenv("LUASCRIPT_DEVICE") or ""
  if m == "" then m = "auto" end
  if m ~= "cpu" and m ~= "gpu" and m ~= "auto" then
    R.throw_error("Error", "LUASCRIPT_DEVICE must be cpu, gpu or auto, not '" .. m .. "'")
  end
  return m
end

-- The pip wheels' library directories (NVRTC, cuBLAS) go on LUASCRIPT_LIBRARY_PATH, which the
-- binding modules search, before they load their libraries.
local paths_set = false
local function library_path()
  if paths_set then return end
  paths_set = true
  local dirs = R.host_library_dirs and R.host_library_dirs()
  if not dirs or dirs == "" then return end
  pcall(ffi.cdef, "int setenv(const char *name, const char *value, int overwrite);")
  local old = os.getenv("LUASCRIPT_LIBRARY_PATH")
  ffi.C.setenv("LUASCRIPT_LIBRARY_PATH", old and old ~= "" and old .. ":" .. dirs or dirs, 1)
end

local function errname(cu, res)
  local p = ffi.new("const char *[1]")
  if cu.cuGetErrorName(res, p) == 0 and p[0] ~= nil then return ffi.string(p[0]) end
  return "CUresult " .. tostring(res)
end

-- A CUDA error as a JS Error naming it; `what` says where.
local function check(res, what)
  if res ~= 0 then
    R.throw_error("Error", "CUDA error " .. errname(dev.cu, res) .. " in " .. what)
  end
end

local function open_device()
  local cu = require("bindings.cuda")
  local ok, err = pcall(getmetatable(cu).load)
  if not ok then return nil, "no CUDA driver (libcuda.so.1 not found)" end
  local res = cu.cuInit(0)
  if res ~= 0 then return nil, "cuInit failed: " .. errname(cu, res) end
  local n = ffi.new("int[1]")
  res = cu.cuDeviceGetCount(n)
  if res ~= 0 or n[0] == 0 then return nil, "no CUDA device" end
  local d, ctx = ffi.new("CUdevice[1]"), ffi.new("CUcontext[1]")
  res = cu.cuDeviceGet(d, 0)
  if res == 0 then res = cu.cuDevicePrimaryCtxRetain(ctx, d[0]) end
  if res == 0 then res = cu.cuCtxSetCurrent(ctx[0]) end
  if res ~= 0 then return nil, "cannot open device 0: " .. errname(cu, res) end
  local major, minor = ffi.new("int[1]"), ffi.new("int[1]")
  cu.cuDeviceGetAttribute(major, cu.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d[0])
  cu.cuDeviceGetAttribute(minor, cu.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d[0])
  local name, mem = ffi.new("char[256]"), ffi.new("size_t[1]")
  cu.cuDeviceGetName(name, 256, d[0])
  cu.cuDeviceTotalMem(mem, d[0])
  return {cu = cu, id = d[0], ctx = ctx[0], arch = major[0] * 10 + minor[0], name = ffi.string(name),
          memory = tonumber(mem[0]), major = major[0], minor = minor[0]}
end

-- The device, or nil (then `unavailable` says why). Mode "cpu" never touches the driver.
local function device()
  if dev then return dev end
  if unavailable then return nil end
  mode = mode or get_mode()
  if mode == "cpu" then unavailable = "LUASCRIPT_DEVICE=cpu"; return nil end
  library_path()
  local ok, d, why = pcall(open_device)
  if ok and d then dev = d else unavailable = ok and why or tostring(d) end
  return dev
end

-- No device: a CPU run with one notice, or an error when the user asked for the GPU. `what`
-- says what runs on the CPU instead ("@gpu loops run" unless a library says otherwise).
local function no_device(what)
  if mode == "gpu" then
    R.throw_error("Error", "LUASCRIPT_DEVICE=gpu but " .. unavailable)
  end
  if mode ~= "cpu" then notice(unavailable .. "; " .. (what or "@gpu loops run") .. " on the CPU") end
  return false
end

-- For libraries (ternary's matvec): the device when work is to go there, else false after the
-- notice of `what`, or a JS error with LUASCRIPT_DEVICE=gpu.
function M.use_device(what)
  if dev then return dev end
  mode = mode or get_mode()
  if mode == "cpu" then return false end
  if device() then return dev end
  return no_device(what)
end

-- Device memory that exists whatever LUASCRIPT_DEVICE says (arrays handed in from CUDA
-- libraries): the device, or nil and why not.
local function data_device()
  if dev then return dev end
  mode = mode or get_mode()
  if mode ~= "cpu" then device(); return dev, unavailable end
  library_path()
  local ok, d, why = pcall(open_device)
  if ok and d then dev = d; unavailable = nil; return dev end
  return nil, ok and why or tostring(d)
end

-- Tests without a GPU: `cu`, a table of driver functions and constants, stands in for
-- bindings.cuda as device 0 of compute capability `arch` (kernels still compile with NVRTC).
function M.attach_driver(cu, arch)
  mode = mode or get_mode()
  dev = {cu = cu, id = 0, arch = arch, name = "attached driver", memory = 0, major = floor(arch / 10), minor = arch % 10}
  unavailable = nil
end

---------------------------------------------------------------------------------------------
-- NVRTC: CUDA C -> CUBIN, cached on disk by source, options and architecture

local function nvrtc_log(nv, prog)
  local n = ffi.new("size_t[1]")
  nv.nvrtcGetProgramLogSize(prog, n)
  local buf = ffi.new("char[?]", tonumber(n[0]) + 1)
  nv.nvrtcGetProgramLog(prog, buf)
  return ffi.string(buf)
end

local function options(arch, fast)
  local o = {"--gpu-architecture=sm_" .. arch, "-default-device"}
  if fast then o[#o + 1] = "--use_fast_math" else o[#o + 1] = "--fmad=false" end
  return o
end

-- CUBIN bytes of `src` for sm_<arch>; a compile error raises with NVRTC's log.
function M.compile_cubin(src, arch, fast, name)
  library_path()
  local nv = require("bindings.nvrtc")
  local opts = options(arch, fast)
  local prog = ffi.new("nvrtcProgram[1]")
  local res = nv.nvrtcCreateProgram(prog, src, (name or "kernel") .. ".cu", 0, nil, nil)
  if res ~= 0 then R.throw_error("Error", "NVRTC: " .. ffi.string(nv.nvrtcGetErrorString(res))) end
  local copts = ffi.new("const char *[?]", #opts, opts)
  res = nv.nvrtcCompileProgram(prog[0], #opts, copts)
  if res ~= 0 then
    local log = nvrtc_log(nv, prog[0])
    nv.nvrtcDestroyProgram(prog)
    R.throw_error("Error", "NVRTC " .. ffi.string(nv.nvrtcGetErrorString(res)) .. " compiling " ..
                  (name or "kernel") .. ":\n" .. log)
  end
  local n = ffi.new("size_t[1]")
  nv.nvrtcGetCUBINSize(prog[0], n)
  local buf = ffi.new("char[?]", tonumber(n[0]))
  nv.nvrtcGetCUBIN(prog[0], buf)
  nv.nvrtcDestroyProgram(prog)
  return ffi.string(buf, tonumber(n[0])), table.concat(opts, " ")
end

-- 64-bit FNV-1a as two 32-bit lanes: a file name for a cache key (the key itself is stored in
-- the file and compared, so a collision only costs a compile).
local function hash(s)
  local bxor, tobit = bit.bxor, bit.tobit
  local h1, h2 = tobit(0x811c9dc5), tobit(0x01000193)
  for i = 1, #s do
    local c = string.byte(s, i)
    h1 = tobit(bxor(h1, c) * 16777619)
    h2 = tobit(bxor(h2, c) * 16777619 + i)
  end
  return bit.tohex(h1) .. bit.tohex(h2)
end

local function cache_dir()
  local base = os.getenv("LUASCRIPT_CACHE")
  if not base or base == "" then base = (os.getenv("HOME") or "/tmp") .. "/.cache/luascript" end
  return base .. "/kernels"
end

local function disk_get(key)
  local f = io.open(cache_dir() .. "/" .. hash(key) .. ".cubin", "rb")
  if not f then return nil end
  local data = f:read("*a")
  f:close()
  if string.sub(data, 1, #key + 1) ~= key .. "\0" then return nil end
  return string.sub(data, #key + 2)
end

local function disk_put(key, cubin)
  pcall(ffi.cdef, "int mkdir(const char *path, unsigned int mode);")
  local dir = cache_dir()
  ffi.C.mkdir(string.match(dir, "^(.*)/[^/]*$"), 493)
  ffi.C.mkdir(dir, 493)
  local tmp = dir .. "/" .. hash(key) .. ".tmp" .. tostring(os.time())
  local f = io.open(tmp, "wb")
  if not f then return end
  f:write(key, "\0", cubin)
  f:close()
  os.rename(tmp, dir .. "/" .. hash(key) .. ".cubin")
end
M.cache_key = function(src, arch, fast) return src .. "\0" .. table.concat(options(arch, fast), " ") end

---------------------------------------------------------------------------------------------
-- Device memory: a pool of freed blocks by size

local pool = {}

local function dalloc(bytes)
  if bytes == 0 then return 0ULL end
  local free = pool[bytes]
  if free and #free > 0 then return table.remove(free) end
  local cu, p = dev.cu, ffi.new("CUdeviceptr[1]")
  local res = cu.cuMemAlloc(p, bytes)
  if res == cu.CUDA_ERROR_OUT_OF_MEMORY then
    for _, list in pairs(pool) do for _, q in ipairs(list) do cu.cuMemFree(q) end end
    pool = {}
    res = cu.cuMemAlloc(p, bytes)
  end
  check(res, "cuMemAlloc of " .. bytes .. " bytes")
  return p[0]
end

local function dfree(ptr, bytes)
  if bytes == 0 then return end
  local free = pool[bytes]
  if not free then free = {}; pool[bytes] = free end
  free[#free + 1] = ptr
end

local generation = 0     -- contexts reset so far: memory of an older one is gone

-- Pinned host memory: a buffer of at least PIN_MIN bytes uploaded in PIN_AFTER sequences is
-- page-locked in place (cuMemHostRegister), which speeds up its later copies; pinning costs
-- about as much as a few copies, so buffers moved once or twice stay pageable.
local PIN_MIN, PIN_AFTER = 4 * 1048576, 3
local PIN = {}                                      -- private key of the buffer's unpin sentinel
local transfers = setmetatable({}, {__mode = "k"})  -- buffer -> uploads so far, true once pinned

local function unpin_sentinel(cu, base, owner, gen)
  -- holds the buffer's memory (owner) until the pages are unlocked
  return ffi.gc(ffi.new("char[1]"), function()
    if gen == generation then cu.cuMemHostUnregister(base) end
  end)
end

local function maybe_pin(arr)
  local buf = rawget(arr, TA_BUF)
  if not buf or not R.arraybuffer_owner then return end
  local size, owner = R.arraybuffer_len(buf), R.arraybuffer_owner(buf)
  local n = transfers[buf]
  if size < PIN_MIN or n == true or not owner then return end
  n = (n or 0) + 1
  transfers[buf] = n < PIN_AFTER and n or true
  if n < PIN_AFTER then return end
  local cu, base = dev.cu, R.arraybuffer_ptr(buf)
  -- a failure (memory registered by someone else) only leaves the buffer pageable
  if cu.cuMemHostRegister(base, size, cu.CU_MEMHOSTREGISTER_PORTABLE) == 0 then
    rawset(buf, PIN, unpin_sentinel(cu, base, owner, generation))
  end
end

---------------------------------------------------------------------------------------------
-- Residency: launch sequences

local seq, nseq = {}, 0     -- arrays of the current sequence: {arr, hp, host, bytes, dptr, dirty}
local unsynced = false      -- work queued since the last synchronising copy
local lib_modules, lib_functions = {}, {}
local DEVICE = setmetatable({}, {__mode = "k"})   -- device arrays (below) -> their state

-- Errors that leave the context unusable: reset it, forgetting modules, memory and the
-- sequence, so that the runtime stays usable after the JS error.
local STICKY = {[700] = true, [701] = true, [702] = true, [710] = true, [714] = true, [715] = true,
                [716] = true, [717] = true, [718] = true, [719] = true}
local all_specs = setmetatable({}, {__mode = "k"})

local function recover(res)
  if not STICKY[tonumber(res)] then return end
  local cu = dev.cu
  pool = {}
  seq, nseq, unsynced = {}, 0, false
  lib_modules, lib_functions = {}, {}
  transfers = setmetatable({}, {__mode = "k"})
  generation = generation + 1
  for specs in pairs(all_specs) do for k in pairs(specs) do specs[k] = nil end end
  cu.cuDevicePrimaryCtxReset(dev.id)
  local ctx = ffi.new("CUcontext[1]")
  if cu.cuDevicePrimaryCtxRetain(ctx, dev.id) == 0 then cu.cuCtxSetCurrent(ctx[0]) end
end

-- A synchronous copy that breaks the context resets it before the JS error.
local function copy_checked(res, what)
  if res ~= 0 then recover(res); check(res, what) end
  unsynced = false
end

-- The sequence's entry of host array `arr` (memory hp, address `host`, `bytes` long): the
-- first use uploads it, unless the kernel overwrites every element. A different view
-- overlapping an entry sends that entry home first.
local function release(e)
  local gen = generation
  if e.dirty and e.bytes > 0 then
    copy_checked(dev.cu.cuMemcpyDtoH(e.hp, e.dptr, e.bytes), "copying from the device")
  end
  if gen == generation then dfree(e.dptr, e.bytes) end
end

local function acquire(arr, hp, host, bytes, overwritten)
  for j = 1, nseq do
    local e = seq[j]
    if e.host == host and e.bytes == bytes then return e end
  end
  local j = 1
  while j <= nseq do
    local e = seq[j]
    if host < e.host + e.bytes and e.host < host + bytes then
      table.remove(seq, j); nseq = nseq - 1
      release(e)
    else
      j = j + 1
    end
  end
  local e = {arr = arr, hp = hp, host = host, bytes = bytes, dptr = dalloc(bytes), dirty = false}
  nseq = nseq + 1; seq[nseq] = e     -- before the copy: an error still returns the block
  if bytes > 0 and not overwritten then
    maybe_pin(arr)
    check(dev.cu.cuMemcpyHtoD(e.dptr, hp, bytes), "copying to the device")
  end
  return e
end

-- End of a sequence (host code runs next): what kernels wrote comes home, blocks go back to
-- the pool, and queued work has finished (so its errors surface here, as JS errors).
local function end_sequence()
  R.gpu_open = nil
  if nseq == 0 and not unsynced then return end
  local list, n = seq, nseq
  seq, nseq = {}, 0
  local first
  for j = 1, n do
    local ok, err = pcall(release, list[j])
    if not ok and not first then first = err end
  end
  if unsynced and not first then copy_checked(dev.cu.cuCtxSynchronize(), "running a kernel") end
  unsynced = false
  if first then error(first, 0) end
end
M.end_sequence = end_sequence

-- A launch that leaves its arrays on the device for the next one: if an exception comes
-- first, the catch or finally block that gets it is host code, and ends the sequence
-- (R.caught and R.exiting call R.gpu_open).
local function leave_open(keep)
  if keep then R.gpu_open = end_sequence else end_sequence() end
end

-- An error inside a sequence: bring home what can be brought (a catch handler is host code),
-- then raise the error itself.
local function abort_sequence(err)
  pcall(end_sequence)
  error(err, 0)
end

---------------------------------------------------------------------------------------------
-- Device arrays: typed arrays over device memory (Python's `__cuda_array_interface__`,
-- gpu.toDevice). They have no TA_PTR field, so every host access reaches the metatable:
-- elements are copied one at a time; TA_PTR and TA_BUF (the bulk paths of built-in methods)
-- give a host snapshot that is written back before the next use on the device ("live").

local function dev_describe(t)
  return "a " .. DEVICE[t].info.name .. " of " .. t[TA_LEN] .. " elements in CUDA device memory"
end

local function dev_state(t)
  local d = DEVICE[t]
  local dv, why = data_device()
  if not dv then
    R.throw_error("Error", dev_describe(t) .. " cannot be read or written on the host: " .. why)
  end
  return d
end

local function flush_shadow(d)
  d.live = false
  if d.readonly then return end
  copy_checked(dev.cu.cuMemcpyHtoD(d.dptr, R.arraybuffer_ptr(d.shadow), d.bytes), "copying to the device")
end

local function read_element(t, k)
  local d = dev_state(t)
  if d.live then flush_shadow(d) end
  local info, cell = d.info, d.cell
  copy_checked(dev.cu.cuMemcpyDtoH(cell, d.dptr + k * info.size, info.size), "reading a device array")
  if info.read then return info.read(cell[0]) end
  return cell[0]
end

local function write_element(t, k, v)
  local d = dev_state(t)
  local info, cell = d.info, d.cell
  cell[0] = info.conv(v)
  if d.readonly then R.throw_error("TypeError", "cannot write " .. dev_describe(t) .. ": it is read-only") end
  if d.live then flush_shadow(d) end
  copy_checked(dev.cu.cuMemcpyHtoD(d.dptr + k * info.size, cell, info.size), "writing a device array")
end

local function host_view(t, k)
  local d = dev_state(t)
  if not d.shadow then d.shadow = R.new_arraybuffer(d.bytes) end
  local hp = R.arraybuffer_ptr(d.shadow)
  if not d.live then
    if d.bytes > 0 then copy_checked(dev.cu.cuMemcpyDtoH(hp, d.dptr, d.bytes), "reading a device array") end
    d.live = true
  end
  if k == TA_BUF then return d.shadow end
  return ffi.cast(d.info.ptrct, hp)
end

local devmts = {}
local function device_mt(info)
  local mt = devmts[info]
  if mt then return mt end
  local base = info.mt
  mt = {}
  for k, v in pairs(base) do mt[k] = v end
  local index, newindex = base.__index, base.__newindex
  mt.__index = function(t, k)
    if type(k) == "number" then
      if k >= 0 and k < t[TA_LEN] and k == floor(k) then return read_element(t, k) end
      return nil
    end
    if k == TA_PTR or k == TA_BUF then return host_view(t, k) end
    return index(t, k)
  end
  mt.__newindex = function(t, k, v)
    if type(k) == "number" then
      if k >= 0 and k < t[TA_LEN] and k == floor(k) then write_element(t, k, v) end
      return
    end
    return newindex(t, k, v)
  end
  mt.device_array = true     -- what luascript.Runtime looks for to hand the array back as one
  devmts[info] = mt
  return mt
end

local function kind_info(kind)
  return getmetatable(R.typed_from_pointer(kind, nil, 0)).tinfo
end

-- A device array of `n` elements of `kind` at device address `addr` (a number); `owner` is
-- kept alive with it; `stream` (CUDA array interface v3) is waited for when a device is here.
function M.from_device(kind, addr, n, readonly, owner, stream)
  local info = kind_info(kind)
  local t = setmetatable({[TA_LEN] = n, length = n, [TA_OFF] = 0}, device_mt(info))
  DEVICE[t] = {dptr = ffi.cast("uint64_t", addr), bytes = n * info.size, readonly = readonly and true or false,
               owner = owner, info = info, cell = ffi.new(info.ctype .. "[1]"), live = false}
  if stream and stream ~= 0 and data_device() then
    check(dev.cu.cuStreamSynchronize(ffi.cast("CUstream", stream)), "waiting for the array's stream")
  end
  return t
end

function M.is_device_array(t) return DEVICE[t] ~= nil end

-- Library code that wrote device array t through its `ptr` snapshot sends the change home now.
function M.flush(t)
  local d = DEVICE[t]
  if d and d.live then flush_shadow(d) end
end

-- The device address of t's memory: a device array's own, or nil.
function M.device_address(t)
  local d = DEVICE[t]
  return d and d.dptr
end

-- The CUDA array interface of device array t for Python: address, kind, length, read-only.
-- Host-side changes are written back and queued work has finished. nil for other values.
function M.cuda_interface(t)
  local d = DEVICE[t]
  if not d then return nil end
  if dev then
    if d.live then flush_shadow(d) end
    copy_checked(dev.cu.cuCtxSynchronize(), "handing a device array to Python")
  end
  return tonumber(ffi.cast("uintptr_t", d.dptr)), d.info.name, t[TA_LEN], d.readonly
end

-- A device copy of `bytes` bytes at host pointer hp, valid while the returned handle lives
-- (its block goes back to the pool when the handle is collected) and M.valid(handle) holds.
local function constant(hp, bytes)
  local dp, gen = dalloc(bytes), generation
  if bytes > 0 then
    local res = dev.cu.cuMemcpyHtoD(dp, hp, bytes)
    if res ~= 0 then
      if gen == generation then dfree(dp, bytes) end
      check(res, "copying to the device")
    end
  end
  local cell = ffi.gc(ffi.new("CUdeviceptr[1]", dp), function() if gen == generation then dfree(dp, bytes) end end)
  return {ptr = dp, cell = cell, gen = gen}
end
M.constant = constant
function M.valid(h) return h.gen == generation end

---------------------------------------------------------------------------------------------
-- Kernels

-- The loaded function of one specialisation, and its argument block.
local function specialise(desc, ctypes)
  local head = {}
  for i = 1, #desc.arrays do head[i] = "#define T_" .. desc.arrays[i] .. " " .. ctypes[i] .. "\n" end
  local src = table.concat(head) .. desc.source
  local key = M.cache_key(src, dev.arch, desc.fast)
  local cubin = disk_get(key)
  if not cubin then
    cubin = M.compile_cubin(src, dev.arch, desc.fast, desc.name)
    disk_put(key, cubin)
  end
  local cu = dev.cu
  local mod, fn = ffi.new("CUmodule[1]"), ffi.new("CUfunction[1]")
  check(cu.cuModuleLoadData(mod, cubin), "loading " .. desc.where)
  check(cu.cuModuleGetFunction(fn, mod[0], desc.name), "loading " .. desc.where)
  -- every parameter is 8 bytes (see luascript/kernels/cuda.py params)
  local nparams = 1 + #desc.ops + (#desc.ops - 1) + 2 * #desc.arrays + desc.nscalars + (#desc.reductions > 0 and 1 or 0)
  local block = ffi.new("uint64_t[?]", nparams)
  local ptrs = ffi.new("void *[?]", nparams)
  for j = 0, nparams - 1 do ptrs[j] = block + j end
  return {fn = fn[0], module = mod[0], block = block, ptrs = ptrs, i64 = ffi.cast("int64_t *", block),
          f64 = ffi.cast("double *", block), u64 = block}
end

local function js_max(a, b)
  if a ~= a or b ~= b then return 0 / 0 end
  if a == b then return (1 / a < 0) and b or a end
  return a > b and a or b
end
local function js_min(a, b)
  if a ~= a or b ~= b then return 0 / 0 end
  if a == b then return (1 / a < 0) and a or b end
  return a < b and a or b
end
local COMBINE = {
  ["+"] = function(a, b) return a + b end, ["*"] = function(a, b) return a * b end,
  max = js_max, min = js_min,
}

-- Why a launch cannot take these arguments: in auto mode the loop runs on the CPU with a
-- notice, with LUASCRIPT_DEVICE=gpu it is an error. Either way host code runs next.
local function decline(desc, why)
  end_sequence()
  if mode == "gpu" then R.throw_error("TypeError", desc.where .. ": @gpu loop cannot run on the GPU: " .. why) end
  notice(desc.where .. ": @gpu loop runs on the CPU: " .. why)
  return false
end

-- Kernel timing for benchmarks (M.timing = true): CUDA events around each launch.
local timing_events
local function events()
  if not timing_events then
    timing_events = ffi.new("CUevent[2]")
    check(dev.cu.cuEventCreate(timing_events, 0), "cuEventCreate")
    check(dev.cu.cuEventCreate(timing_events + 1, 0), "cuEventCreate")
  end
  return timing_events
end

local uintptr = ffi.typeof("uintptr_t")

-- Does the sequence go on after this launch? `keep` when the compiler proved the next thing to
-- touch arrays is a launch; `again` when that holds only while the enclosing counted loop
-- (counter c, bound b, step again) runs another iteration.
local function keeps(desc, c, b)
  if desc.keep then return true end
  local step = desc.again
  if not step or type(c) ~= "number" or type(b) ~= "number" then return false end
  if desc.again_op == "<" then return c + step < b end
  return c + step <= b
end

local function launch(desc, specs, ...)
  local D, NA, NS, NR = #desc.ops, #desc.arrays, desc.nscalars, #desc.reductions
  local args = {...}
  -- iteration counts, as the sequential loops would run them
  local counts, total = {}, 1
  for d = 1, D do
    local s, b, step = args[2 * d - 1], args[2 * d], desc.steps[d]
    if type(s) ~= "number" or type(b) ~= "number" then return decline(desc, "a loop bound is not a number") end
    if s ~= floor(s) or s < -INT32 or s >= INT32 then return decline(desc, "the start is not a 32-bit integer") end
    if s == 0 and 1 / s < 0 then return decline(desc, "the start is -0 (a kernel's counters are integers)") end
    local n
    if desc.ops[d] == "<" then n = b > s and ceil((b - s) / step) or 0
    else n = b >= s and floor((b - s) / step) + 1 or 0 end
    if s + n * step > INT32 then return decline(desc, "the counter leaves the 32-bit range") end
    counts[d] = n
    total = total * n
  end
  local a0, s0, r0 = 2 * D, 2 * D + NA, 2 * D + NA + NS
  local keep = keeps(desc, args[r0 + NR + 1], args[r0 + NR + 2])
  for j = 1, NR do
    if type(args[r0 + j]) ~= "number" then return decline(desc, "a reduction variable does not hold a number") end
  end
  if total == 0 then
    leave_open(keep)
    return true, unpack(args, r0 + 1, r0 + NR)
  end
  local ctypes, ptrs, bytes, devs = {}, {}, {}, {}
  for i = 1, NA do
    local a = args[a0 + i]
    local kind = R.typed_kind(a)
    local ct = kind and CTYPES[kind]
    if not ct then
      return decline(desc, "`" .. desc.arrays[i] .. "` is " .. (kind and "a " .. kind or "not a typed array"))
    end
    ctypes[i] = ct
    bytes[i] = a[TA_LEN] * SIZES[ct]
    local d = DEVICE[a]
    if d then
      if d.readonly and desc.writes[i] then return decline(desc, "`" .. desc.arrays[i] .. "` is read-only device memory") end
      devs[i] = d
      ptrs[i] = ffi.cast(uintptr, d.dptr)
    else
      ptrs[i] = ffi.cast(uintptr, a[TA_PTR])
    end
  end
  -- arrays that overlap would be separate device copies: the sequential meaning needs one
  for i = 1, NA do
    for j = i + 1, NA do
      if (desc.writes[i] or desc.writes[j]) and ptrs[i] < ptrs[j] + bytes[j] and ptrs[j] < ptrs[i] + bytes[i] then
        return decline(desc, "`" .. desc.arrays[i] .. "` and `" .. desc.arrays[j] .. "` share memory")
      end
    end
  end
  for i = 1, NS do
    -- (a boolean too: the kernel reads captured values as numbers, and `b === true` or `a[b]`
    -- mean something else for a boolean)
    if type(args[s0 + i]) ~= "number" then return decline(desc, "a captured variable does not hold a number") end
  end
  local key = table.concat(ctypes, ",")
  local spec = specs[key]
  if not spec then
    local ok, sp = pcall(specialise, desc, ctypes)
    if not ok then abort_sequence(sp) end
    spec = sp
    specs[key] = spec
  end
  local cu = dev.cu
  local bsize = desc.block
  local grid = ceil(total / bsize)
  if NR > 0 and grid > MAX_REDUCTION_BLOCKS then grid = MAX_REDUCTION_BLOCKS end
  if grid >= INT32 then return decline(desc, "too many iterations for one launch") end
  local i64, f64, u64 = spec.i64, spec.f64, spec.u64
  local p = 0
  i64[p] = total; p = p + 1
  for d = 1, D do i64[p] = args[2 * d - 1]; p = p + 1 end
  for d = 2, D do i64[p] = counts[d]; p = p + 1 end
  local partials, pbytes = nil, NR * grid * 8
  local gen = generation
  local ok, err = pcall(function()
    for i = 1, NA do
      local d, a = devs[i], args[a0 + i]
      local dp
      if d then
        if d.live then flush_shadow(d) end
        dp = d.dptr
      else
        -- marked dirty before the launch: if it fails, the download returns what was uploaded
        local e = acquire(a, a[TA_PTR], tonumber(ptrs[i]), bytes[i])
        if desc.writes[i] then e.dirty = true end
        dp = e.dptr
      end
      u64[p] = dp; i64[p + 1] = a[TA_LEN]; p = p + 2
    end
    for i = 1, NS do f64[p] = args[s0 + i]; p = p + 1 end
    if NR > 0 then partials = dalloc(pbytes); u64[p] = partials end
    local ev = M.timing and events()
    if ev then cu.cuEventRecord(ev[0], nil) end
    local res = cu.cuLaunchKernel(spec.fn, grid, 1, 1, bsize, 1, 1, NR > 0 and bsize * 8 or 0, nil, spec.ptrs, nil)
    if res ~= 0 then recover(res); check(res, "launching " .. desc.where) end
    unsynced = true
    if ev then
      cu.cuEventRecord(ev[1], nil)
      check(cu.cuEventSynchronize(ev[1]), "running " .. desc.where)
      local ms = ffi.new("float[1]")
      cu.cuEventElapsedTime(ms, ev[0], ev[1])
      M.last_kernel_ms = ms[0]
    end
    if NR > 0 then
      local host = ffi.new("double[?]", NR * grid)
      copy_checked(cu.cuMemcpyDtoH(host, partials, pbytes), "running " .. desc.where)
      -- combine in block order: the same data gives the same result every run
      for j = 1, NR do
        local f, acc = COMBINE[desc.reductions[j]], args[r0 + j]
        for b = 0, grid - 1 do acc = f(acc, host[b * NR + j - 1]) end
        args[r0 + j] = acc
      end
    end
    leave_open(keep)
  end)
  if partials and gen == generation then dfree(partials, pbytes) end
  if not ok then abort_sequence(err) end
  return true, unpack(args, r0 + 1, r0 + NR)
end

-- Whether a launch is to be tried: the compiled code evaluates a kernel's bounds only then
-- (with the GPU off, the sequential loop alone reads them, as often as JS would).
function M.on()
  if dev then return true end
  mode = mode or get_mode()
  if mode == "cpu" then return false end
  return mode == "gpu" or not unavailable    -- (with "gpu", the launcher raises the error)
end

-- A launch that does not happen (an outer loop of no iterations): the CPU loop runs instead,
-- after what earlier launches left on the device has come home.
function M.settle()
  if R.gpu_open then end_sequence() end
end

-- Whether the loop `for (c = s; c op b; ...)` runs at least once, s and b numbers; an
-- inner loop's bounds are evaluated only then.
function M.span(s, b, op)
  if type(s) ~= "number" or type(b) ~= "number" then return false end
  if op == "<" then return s < b end
  return s <= b
end

-- The launcher of one marked loop (module-level constant of the compiled chunk).
function M.kernel(desc)
  local specs = {}
  all_specs[specs] = true
  return function(...)
    if mode == "cpu" then return false end
    if not dev and not device() then return no_device() end
    return launch(desc, specs, ...)
  end
end

---------------------------------------------------------------------------------------------
-- Library kernels (ternary's matvec): CUDA C of the library, compiled once per device, and
-- launched inside M.sequence, where bind(arr, writes) gives an array's device address.

-- A library call that cannot take its arguments on the device: the CPU after a notice, or a
-- JS error with LUASCRIPT_DEVICE=gpu.
function M.decline_library(what, why)
  if mode == "gpu" then R.throw_error("TypeError", what .. " cannot run on the GPU: " .. why) end
  notice(what .. " runs on the CPU: " .. why)
end

-- The CUfunction `name` of CUDA C `src` (the device must be open: M.use_device).
function M.function_of(src, name, fast)
  local fkey = name .. "\0" .. src
  local fn = lib_functions[fkey]
  if fn then return fn end
  local mod = lib_modules[src]
  if not mod then
    local key = M.cache_key(src, dev.arch, fast)
    local cubin = disk_get(key)
    if not cubin then
      cubin = M.compile_cubin(src, dev.arch, fast, name)
      disk_put(key, cubin)
    end
    local m = ffi.new("CUmodule[1]")
    check(dev.cu.cuModuleLoadData(m, cubin), "loading " .. name)
    mod = m[0]
    lib_modules[src] = mod
  end
  local f = ffi.new("CUfunction[1]")
  check(dev.cu.cuModuleGetFunction(f, mod, name), "loading " .. name)
  lib_functions[fkey] = f[0]
  return f[0]
end

-- The device address of typed array `arr` in the current sequence: a device array's own
-- memory, or the sequence's copy of a host array (downloaded at the end when `writes`; not
-- uploaded when `writes` is "all", a kernel that stores every element).
local function bind(arr, writes)
  local d = DEVICE[arr]
  if d then
    if writes and d.readonly then R.throw_error("TypeError", "cannot write " .. dev_describe(arr) .. ": it is read-only") end
    if d.live then flush_shadow(d) end
    return d.dptr
  end
  local hp = arr[TA_PTR]
  local e = acquire(arr, hp, tonumber(ffi.cast(uintptr, hp)), arr[TA_LEN] * getmetatable(arr).tinfo.size,
                    writes == "all")
  if writes then e.dirty = true end
  return e.dptr
end
M.bind = bind

-- cuLaunchKernel on the default stream; `params` is the void *[] of argument addresses.
function M.launch_function(fn, grid, block, shared, params, what)
  local res = dev.cu.cuLaunchKernel(fn, grid, 1, 1, block, 1, 1, shared, nil, params, nil)
  if res ~= 0 then recover(res); check(res, "launching " .. what) end
  unsynced = true
end

-- body(...) as one sequence: arrays bound in it come home (when written) before this returns.
function M.sequence(body, ...)
  end_sequence()
  local ok, r1, r2 = pcall(body, ...)
  if not ok then abort_sequence(r1) end
  end_sequence()
  return r1, r2
end

---------------------------------------------------------------------------------------------
-- The `gpu` module: gpu.matmul, gpu.synchronize, gpu.deviceInfo

local cublas, handle

-- C = A x B for row-major M x K and K x N matrices in Float32Arrays (sgemm) or Float64Arrays
-- (dgemm). Without a device the product is computed on the CPU (sums in double precision).
local function matmul(_, A, B, C, m, n, k)
  m, n, k = R.tonum(m), R.tonum(n), R.tonum(k)
  local kind = R.typed_kind(A)
  if (kind ~= "Float32Array" and kind ~= "Float64Array") or R.typed_kind(B) ~= kind or R.typed_kind(C) ~= kind then
    R.throw_error("TypeError", "gpu.matmul: A, B and C must all be Float32Arrays or all Float64Arrays")
  end
  if not (m >= 0 and n >= 0 and k >= 0) or m ~= floor(m) or n ~= floor(n) or k ~= floor(k) then
    R.throw_error("RangeError", "gpu.matmul: M, N and K must be non-negative integers")
  end
  if A[TA_LEN] < m * k or B[TA_LEN] < k * n or C[TA_LEN] < m * n then
    R.throw_error("RangeError", "gpu.matmul: arrays too short for " .. m .. "x" .. k .. " times " .. k .. "x" .. n)
  end
  if m * n == 0 then return C end
  if not M.use_device("gpu.matmul runs") then
    local a, b, c = A[TA_PTR], B[TA_PTR], C[TA_PTR]
    for i = 0, m - 1 do
      for j = 0, n - 1 do
        local s = 0
        for l = 0, k - 1 do s = s + a[i * k + l] * b[l * n + j] end
        c[i * n + j] = s
      end
    end
    return C
  end
  if not handle then
    cublas = require("bindings.cublas")
    local h = ffi.new("cublasHandle_t[1]")
    local res = cublas.cublasCreate(h)
    if res ~= 0 then R.throw_error("Error", "cuBLAS error " .. tonumber(res) .. " in cublasCreate") end
    handle = h[0]
  end
  local size = kind == "Float32Array" and 4 or 8
  local ctype = size == 4 and "float[1]" or "double[1]"
  M.sequence(function()
    local da, db, dc = bind(A, false), bind(B, false), bind(C, true)
    local one, zero = ffi.new(ctype, 1), ffi.new(ctype, 0)
    local gemm = size == 4 and cublas.cublasSgemm or cublas.cublasDgemm
    local pt = size == 4 and "float *" or "double *"
    -- row-major C = A B is column-major C^T = B^T A^T
    local res = gemm(handle, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, n, m, k, one, ffi.cast(pt, db), n,
                     ffi.cast(pt, da), k, zero, ffi.cast(pt, dc), n)
    if res ~= 0 then R.throw_error("Error", "cuBLAS error " .. tonumber(res) .. " in gpu.matmul") end
    unsynced = true
  end)
  return C
end

-- gpu.toDevice(a): a device array holding a copy of typed array `a` (a itself when it is one);
-- its memory goes back to the pool when it is collected.
local function to_device(_, a)
  local kind = R.typed_kind(a)
  if not kind then R.throw_error("TypeError", "gpu.toDevice: expected a typed array, got " .. R.typeof(a)) end
  if DEVICE[a] then return a end
  local dv, why = data_device()
  if not dv then R.throw_error("Error", "gpu.toDevice needs a CUDA device: " .. why) end
  local bytes = a[TA_LEN] * getmetatable(a).tinfo.size
  local h = constant(a[TA_PTR], bytes)
  return M.from_device(kind, tonumber(ffi.cast(uintptr, h.ptr)), a[TA_LEN], false, h)
end

-- gpu.toHost(a): a new host typed array with the elements of `a` (device array or not).
local function to_host(_, a)
  local kind = R.typed_kind(a)
  if not kind then R.throw_error("TypeError", "gpu.toHost: expected a typed array, got " .. R.typeof(a)) end
  local n = a[TA_LEN]
  local out = R.new(rawget(R.G, kind), n)
  local bytes = n * getmetatable(a).tinfo.size
  if bytes > 0 then
    local d = DEVICE[a]
    if d then
      d = dev_state(a)
      if d.live then flush_shadow(d) end
      copy_checked(dev.cu.cuMemcpyDtoH(out[TA_PTR], d.dptr, bytes), "gpu.toHost")
    else
      ffi.copy(out[TA_PTR], a[TA_PTR], bytes)
    end
  end
  return out
end

-- gpu.synchronize(): host-side changes of device arrays go back, and queued work finishes.
local function synchronize()
  if not dev then return end
  end_sequence()
  for _, d in pairs(DEVICE) do if d.live then flush_shadow(d) end end
  copy_checked(dev.cu.cuCtxSynchronize(), "gpu.synchronize")
end

local function info()
  local o = R.newobj()
  if dev or device() then
    o.backend = "cuda"
    o.name = dev.name
    o.computeCapability = dev.major .. "." .. dev.minor
    o.totalMemory = dev.memory
  else
    o.backend = "cpu"
    o.reason = unavailable
  end
  return o
end

local exports = R.newobj()
R.method(exports, "matmul", 6, matmul)
R.method(exports, "synchronize", 0, synchronize)
R.method(exports, "toDevice", 1, to_device)
R.method(exports, "toHost", 1, to_host)
R.method(exports, "deviceInfo", 0, function() return info() end)
-- `import { gpu } from "gpu"` and `const gpu = require("gpu")` both find the same object
exports.gpu = exports
M.exports = exports

return M
