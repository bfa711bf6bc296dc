-- ljs.gpu: launches the kernels of `// @gpu` loops and serves the `gpu` module.
--
-- The compiler turns a marked loop into `launcher(starts and bounds, arrays, scalars, reduction
-- values)`, where the launcher comes from M.kernel(descriptor). It returns false when the loop
-- is to run as the ordinary compiled Lua that follows it (LUASCRIPT_DEVICE=cpu, no driver or
-- device, arguments a kernel cannot take), else true and the reduced values.
--
-- Device: the CUDA driver API through bindings/cuda.lua, on the device's primary context
-- (versioned context constructors are missing from older drivers). Kernels are specialised on
-- the element types of the arrays of a launch, compiled by NVRTC to CUBIN for the device's own
-- sm_XY (PTX from an NVRTC newer than the driver is rejected by the driver's JIT), and cached in
-- memory and on disk. Device memory comes from a pool of freed blocks kept by size.
--
-- Residency: host code reads and writes typed arrays through raw FFI pointers that nothing can
-- intercept, so the host copy must be current whenever Lua runs. A launch therefore uploads the
-- arrays the kernel uses and downloads those it writes (see docs/gpu.md for the managed-memory
-- design that removes the copies between consecutive kernels).
local ffi = require("ffi")
local R = require("ljs.core")

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

-- No device: a CPU run with one notice, or an error when the user asked for the GPU.
local function no_device()
  if mode == "gpu" then
    R.throw_error("Error", "LUASCRIPT_DEVICE=gpu but " .. unavailable)
  end
  if mode ~= "cpu" then notice(unavailable .. "; @gpu loops run on the CPU") end
  return false
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
    local c = s:byte(i)
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
  if data:sub(1, #key + 1) ~= key .. "\0" then return nil end
  return data:sub(#key + 2)
end

local function disk_put(key, cubin)
  pcall(ffi.cdef, "int mkdir(const char *path, unsigned int mode);")
  local dir = cache_dir()
  ffi.C.mkdir(dir:match("^(.*)/[^/]*$"), 493)
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

-- Errors that leave the context unusable: reset it, forgetting modules and memory, so that the
-- runtime stays usable after the JS error.
local STICKY = {[700] = true, [701] = true, [702] = true, [710] = true, [714] = true, [715] = true,
                [716] = true, [717] = true, [718] = true, [719] = true}
local all_specs = setmetatable({}, {__mode = "k"})

local generation = 0     -- contexts reset so far: memory of an older one is gone

local function recover(res)
  if not STICKY[tonumber(res)] then return end
  local cu = dev.cu
  pool = {}
  generation = generation + 1
  for specs in pairs(all_specs) do for k in pairs(specs) do specs[k] = nil end end
  cu.cuDevicePrimaryCtxReset(dev.id)
  local ctx = ffi.new("CUcontext[1]")
  if cu.cuDevicePrimaryCtxRetain(ctx, dev.id) == 0 then cu.cuCtxSetCurrent(ctx[0]) end
end

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
-- notice, with LUASCRIPT_DEVICE=gpu it is an error.
local function decline(desc, why)
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

local function launch(desc, specs, ...)
  local D, NA, NS, NR = #desc.ops, #desc.arrays, desc.nscalars, #desc.reductions
  local nargs = select("#", ...)
  local args = {...}
  -- iteration counts, as the sequential loops would run them
  local counts, total = {}, 1
  for d = 1, D do
    local s, b, step = args[2 * d - 1], args[2 * d], desc.steps[d]
    if type(s) ~= "number" or type(b) ~= "number" then return decline(desc, "a loop bound is not a number") end
    if s ~= floor(s) or s < -INT32 or s >= INT32 then return decline(desc, "the start is not a 32-bit integer") end
    local n
    if desc.ops[d] == "<" then n = b > s and ceil((b - s) / step) or 0
    else n = b >= s and floor((b - s) / step) + 1 or 0 end
    if s + n * step > INT32 then return decline(desc, "the counter leaves the 32-bit range") end
    counts[d] = n
    total = total * n
  end
  local a0, s0, r0 = 2 * D, 2 * D + NA, 2 * D + NA + NS
  for j = 1, NR do
    if type(args[r0 + j]) ~= "number" then return decline(desc, "a reduction variable does not hold a number") end
  end
  if total == 0 then return true, unpack(args, r0 + 1, r0 + NR) end
  local ctypes, ptrs, bytes = {}, {}, {}
  for i = 1, NA do
    local a = args[a0 + i]
    local kind = R.typed_kind(a)
    local ct = kind and CTYPES[kind]
    if not ct then
      return decline(desc, "`" .. desc.arrays[i] .. "` is " .. (kind and "a " .. kind or "not a typed array"))
    end
    ctypes[i] = ct
    ptrs[i] = ffi.cast("uintptr_t", a.ptr)
    bytes[i] = a.length * SIZES[ct]
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
    local v = args[s0 + i]
    if type(v) == "boolean" then args[s0 + i] = v and 1 or 0
    elseif type(v) ~= "number" then return decline(desc, "a captured variable does not hold a number") end
  end
  local key = table.concat(ctypes, ",")
  local spec = specs[key]
  if not spec then spec = specialise(desc, ctypes); specs[key] = spec end
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
  local dptrs, partials, pbytes = {}, nil, NR * grid * 8
  local gen = generation
  local ok, err = pcall(function()
    for i = 1, NA do
      local dp = dalloc(bytes[i])
      dptrs[i] = dp
      if bytes[i] > 0 then check(cu.cuMemcpyHtoD(dp, args[a0 + i].ptr, bytes[i]), "copying to the device") end
      u64[p] = dp; i64[p + 1] = args[a0 + i].length; p = p + 2
    end
    for i = 1, NS do f64[p] = args[s0 + i]; p = p + 1 end
    if NR > 0 then partials = dalloc(pbytes); u64[p] = partials end
    local ev = M.timing and events()
    if ev then cu.cuEventRecord(ev[0], nil) end
    local res = cu.cuLaunchKernel(spec.fn, grid, 1, 1, bsize, 1, 1, NR > 0 and bsize * 8 or 0, nil, spec.ptrs, nil)
    if res ~= 0 then recover(res); check(res, "launching " .. desc.where) end
    if ev then
      cu.cuEventRecord(ev[1], nil)
      check(cu.cuEventSynchronize(ev[1]), "running " .. desc.where)
      local ms = ffi.new("float[1]")
      cu.cuEventElapsedTime(ms, ev[0], ev[1])
      M.last_kernel_ms = ms[0]
    end
    for i = 1, NA do
      if desc.writes[i] and bytes[i] > 0 then
        local r = cu.cuMemcpyDtoH(args[a0 + i].ptr, dptrs[i], bytes[i])
        if r ~= 0 then recover(r); check(r, "running " .. desc.where) end
      end
    end
    if NR > 0 then
      local host = ffi.new("double[?]", NR * grid)
      local r = cu.cuMemcpyDtoH(host, partials, pbytes)
      if r ~= 0 then recover(r); check(r, "running " .. desc.where) end
      -- combine in block order: the same data gives the same result every run
      for j = 1, NR do
        local f, acc = COMBINE[desc.reductions[j]], args[r0 + j]
        for b = 0, grid - 1 do acc = f(acc, host[b * NR + j - 1]) end
        args[r0 + j] = acc
      end
    end
  end)
  if gen == generation then
    for i = 1, NA do if dptrs[i] then dfree(dptrs[i], bytes[i]) end end
    if partials then dfree(partials, pbytes) end
  end
  if not ok then error(err, 0) end
  return true, unpack(args, r0 + 1, r0 + NR)
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
  if A.length < m * k or B.length < k * n or C.length < m * n then
    R.throw_error("RangeError", "gpu.matmul: arrays too short for " .. m .. "x" .. k .. " times " .. k .. "x" .. n)
  end
  if m * n == 0 then return C end
  if not dev and not device() then
    no_device()
    local a, b, c = A.ptr, B.ptr, C.ptr
    for i = 0, m - 1 do
      for j = 0, n - 1 do
        local s = 0
        for l = 0, k - 1 do s = s + a[i * k + l] * b[l * n + j] end
        c[i * n + j] = s
      end
    end
    return C
  end
  local cu = dev.cu
  if not handle then
    cublas = require("bindings.cublas")
    local h = ffi.new("cublasHandle_t[1]")
    local res = cublas.cublasCreate(h)
    if res ~= 0 then R.throw_error("Error", "cuBLAS error " .. tonumber(res) .. " in cublasCreate") end
    handle = h[0]
  end
  local size = kind == "Float32Array" and 4 or 8
  local ctype = size == 4 and "float[1]" or "double[1]"
  local ba, bb, bc = m * k * size, k * n * size, m * n * size
  local da, db, dc = dalloc(ba), dalloc(bb), dalloc(bc)
  local gen = generation
  local ok, err = pcall(function()
    check(cu.cuMemcpyHtoD(da, A.ptr, ba), "gpu.matmul")
    check(cu.cuMemcpyHtoD(db, B.ptr, bb), "gpu.matmul")
    local one, zero = ffi.new(ctype, 1), ffi.new(ctype, 0)
    local gemm = size == 4 and cublas.cublasSgemm or cublas.cublasDgemm
    local pt = size == 4 and "float *" or "double *"
    -- row-major C = A B is column-major C^T = B^T A^T
    local res = gemm(handle, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, n, m, k, one, ffi.cast(pt, db), n,
                     ffi.cast(pt, da), k, zero, ffi.cast(pt, dc), n)
    if res ~= 0 then R.throw_error("Error", "cuBLAS error " .. tonumber(res) .. " in gpu.matmul") end
    local r = cu.cuMemcpyDtoH(C.ptr, dc, bc)
    if r ~= 0 then recover(r); check(r, "gpu.matmul") end
  end)
  if gen == generation then dfree(da, ba); dfree(db, bb); dfree(dc, bc) end
  if not ok then error(err, 0) end
  return C
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
R.method(exports, "synchronize", 0, function()
  if dev then check(dev.cu.cuCtxSynchronize(), "gpu.synchronize") end
end)
R.method(exports, "deviceInfo", 0, function() return info() end)
-- `import { gpu } from "gpu"` and `const gpu = require("gpu")` both find the same object
exports.gpu = exports
M.exports = exports

return M
