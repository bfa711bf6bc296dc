-- An executing stand-in CUDA driver for tests without a GPU (tests/test_gpu_kernels.py): each
-- specialised kernel is compiled as host C++ with g++ and run, one call per thread of the grid
-- (a block's threads as std::threads when the kernel synchronises them or shuffles values
-- between a warp's lanes); device memory is separate host memory, so a missing copy shows as a wrong
-- result. It checks the launch protocol end to end, and the emitted CUDA C with CUDA's meaning
-- emulated: what only a device can check is CUDA's own math library and real parallelism.
-- Called with the directory for the compiled kernels; returns {take = function() -> the log}.
local ffi = require("ffi")
require("bindings.cuda")
ffi.cdef [[
void *malloc(size_t);
void free(void *);
]]
local gpu = require("ljs.gpu")
local dir = ...
local log = {}
local function note(s) log[#log + 1] = s end

-- The kernel's CUDA C made host C++: blockIdx/threadIdx per thread, __syncthreads a barrier of
-- the block's threads, and ljs_run_<kernel>(params, grid, block) calling it for every thread.
local HEAD = table.concat({
  "#include <cmath>", "#include <cstring>", "#include <thread>", "#include <barrier>", "#include <vector>",
  "using namespace std;",
  "#define __device__", "#define __forceinline__ inline", "#define __global__", "#define __shared__",
  "struct D3 { unsigned x, y, z; }; thread_local D3 blockIdx, threadIdx; D3 blockDim, gridDim;",
  "static inline double __longlong_as_double(long long v) { double d; memcpy(&d, &v, 8); return d; }",
  "static inline long long __double_as_longlong(double d) { long long v; memcpy(&v, &d, 8); return v; }",
  "static inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }",
  "static std::barrier<> *bar; static inline void __syncthreads() { bar->arrive_and_wait(); }",
  -- a warp's shuffle: every lane stores its value, the warp meets, each reads its partner's
  "static std::barrier<> *wbar[32]; static float shfl_f[1024];",
  "static inline float __shfl_down_sync(unsigned, float v, int off) {",
  "  unsigned t = threadIdx.x, w = t >> 5; shfl_f[t] = v; wbar[w]->arrive_and_wait();",
  "  float r = ((t & 31) + off < 32 && t + off < blockDim.x) ? shfl_f[t + off] : v;",
  "  wbar[w]->arrive_and_wait(); return r; }",
  "double ljs_sh[1024];", ""}, "\n")

-- ljs_run_<kernel>(params, grid, block) for every kernel of the source
local function runner(src, kname, plist)
  local args = {}
  for p in string.gmatch(plist, "[^,]+") do
    local ty = string.match(p, "^%s*(.-)%s*[%w_]+%s*$")
    args[#args + 1] = "*(" .. ty .. "*)P[" .. #args .. "]"
  end
  local call = kname .. "(" .. table.concat(args, ", ") .. ");"
  local run = {"extern \"C\" void ljs_run_" .. kname .. "(void **P, unsigned gx, unsigned bx) {",
    "  blockDim = {bx, 1, 1}; gridDim = {gx, 1, 1};"}
  if string.find(src, "__syncthreads", 1, true) or string.find(src, "__shfl", 1, true) then
    run[#run + 1] = "  for (unsigned b = 0; b < gx; b++) { std::barrier<> br(bx); bar = &br; std::vector<std::thread> ts;"
    run[#run + 1] = "    for (unsigned w = 0; w * 32 < bx; w++) wbar[w] = new std::barrier<>(bx - w * 32 < 32 ? bx - w * 32 : 32);"
    run[#run + 1] = "    for (unsigned t = 0; t < bx; t++) ts.emplace_back([=] { blockIdx = {b, 0, 0}; threadIdx = {t, 0, 0}; " .. call .. " });"
    run[#run + 1] = "    for (auto &th : ts) th.join();"
    run[#run + 1] = "    for (unsigned w = 0; w * 32 < bx; w++) delete wbar[w]; }"
  else
    run[#run + 1] = "  for (unsigned b = 0; b < gx; b++) for (unsigned t = 0; t < bx; t++) { blockIdx = {b, 0, 0}; threadIdx = {t, 0, 0}; " .. call .. " }"
  end
  run[#run + 1] = "}"
  return table.concat(run, "\n")
end

local declared = {}
gpu.compile_cubin = function(src, arch, fast, name)
  local runs = {}
  for kname, plist in string.gmatch(src, 'extern "C" __global__ void ([%w_]+)%(([^)]*)%)') do
    runs[#runs + 1] = runner(src, kname, plist)
    if not declared[kname] then
      ffi.cdef("void ljs_run_" .. kname .. "(void **params, unsigned grid, unsigned block);")
      declared[kname] = true
    end
  end
  -- named by the source (FNV-1a): a kernel cache shared by several processes keeps the path of
  -- a library another process must not overwrite with other kernels
  local h = 2166136261
  for i = 1, #src do
    h = bit.bxor(h, src:byte(i))
    h = bit.tobit(bit.lshift(h, 24) + (h % 4294967296) * 403)   -- h * 16777619, mod 2^32
  end
  local base = dir .. "/kernels_" .. bit.tohex(h)
  local f = assert(io.open(base .. ".cpp", "w"))
  f:write(HEAD, src, "\n", table.concat(runs, "\n"), "\n")
  f:close()
  -- (no FMA contraction, as NVRTC's --fmad=false)
  local ok = os.execute("g++ -std=c++20 -O1 -ffp-contract=off -w -shared -fPIC -pthread -o " .. base .. ".so " .. base .. ".cpp")
  if ok ~= 0 and ok ~= true then error("g++ failed on " .. base .. ".cpp") end
  return base .. ".so"
end

local cu = {CUDA_ERROR_OUT_OF_MEMORY = 2, CU_MEMHOSTREGISTER_PORTABLE = 1}
local function ptr(d) return ffi.cast("void *", ffi.cast("uintptr_t", d)) end
function cu.cuMemAlloc(p, n)
  local m = ffi.C.malloc(n + 8)
  ffi.fill(m, n, 0x7f)              -- not zeros: a kernel that reads what was never copied up shows
  p[0] = tonumber(ffi.cast("uintptr_t", m))
  note("alloc " .. n)
  return 0
end
function cu.cuMemFree(d) ffi.C.free(ptr(d)); return 0 end
function cu.cuMemcpyHtoD(d, h, n) ffi.copy(ptr(d), h, n); note("HtoD " .. n); return 0 end
function cu.cuMemcpyDtoH(h, d, n) ffi.copy(h, ptr(d), n); note("DtoH " .. n); return 0 end
local libs, funcs = {}, {}
function cu.cuModuleLoadData(m, image)
  libs[#libs + 1] = ffi.load(ffi.string(image))
  m[0] = ffi.cast("CUmodule", #libs)
  return 0
end
function cu.cuModuleGetFunction(f, m, name)
  local lib = libs[tonumber(ffi.cast("uintptr_t", m))]
  funcs[#funcs + 1] = lib["ljs_run_" .. ffi.string(name)]
  f[0] = ffi.cast("CUfunction", #funcs)
  return 0
end
function cu.cuLaunchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra)
  note("launch " .. gx .. "x" .. bx)
  funcs[tonumber(ffi.cast("uintptr_t", f))](params, gx, bx)
  return 0
end
function cu.cuCtxSynchronize() note("sync"); return 0 end
function cu.cuStreamSynchronize(s) return 0 end
function cu.cuMemHostRegister(p, n, flags) return 0 end
function cu.cuMemHostUnregister(p) return 0 end
function cu.cuDevicePrimaryCtxReset(d) return 0 end
function cu.cuDevicePrimaryCtxRetain(c, d) return 0 end
function cu.cuCtxSetCurrent(c) return 0 end
function cu.cuGetErrorName(res, p) return 1 end
gpu.attach_driver(cu, 90)
return {take = function()
  local out = table.concat(log, "\n")
  for i = #log, 1, -1 do log[i] = nil end
  return out
end}
