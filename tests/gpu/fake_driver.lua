-- A stand-in CUDA driver for tests without a GPU (tests/test_gpu_kernels.py, tests/test_ternary.py):
-- device memory is host memory, kernels do nothing, and every call is logged. It returns
-- {take = function() -> the log so far as text (and clears it), fail = {alloc = CUresult, launch = CUresult}}.
local ffi = require("ffi")
require("bindings.cuda")
local log, mem, next_addr = {}, {}, 0x100000
local names = {[2] = "CUDA_ERROR_OUT_OF_MEMORY", [719] = "CUDA_ERROR_LAUNCH_FAILED", [700] = "CUDA_ERROR_ILLEGAL_ADDRESS"}
local cstr = {}
local fail = {}
local function addr(d) return tonumber(d) end
local function region(d)
  d = addr(d)
  for base, m in pairs(mem) do if d >= base and d < base + m.n then return m.buf + (d - base) end end
  error("fake driver: bad device address " .. d)
end
local cu = {CUDA_ERROR_OUT_OF_MEMORY = 2, CU_MEMHOSTREGISTER_PORTABLE = 1}
function cu.cuMemAlloc(p, n)
  if fail.alloc then return fail.alloc end
  p[0] = next_addr; mem[next_addr] = {buf = ffi.new("char[?]", n), n = n}
  log[#log + 1] = "alloc " .. n
  next_addr = next_addr + n + 256
  return 0
end
function cu.cuMemFree(d) mem[addr(d)] = nil; return 0 end
function cu.cuMemcpyHtoD(d, h, n) ffi.copy(region(d), h, n); log[#log + 1] = "HtoD " .. n; return 0 end
function cu.cuMemcpyDtoH(h, d, n) ffi.copy(h, region(d), n); log[#log + 1] = "DtoH " .. n; return 0 end
function cu.cuModuleLoadData(m, image) log[#log + 1] = "load " .. #image; return 0 end
function cu.cuModuleGetFunction(f, m, name) log[#log + 1] = "function " .. name; return 0 end
function cu.cuLaunchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra)
  log[#log + 1] = "launch " .. gx .. "x" .. bx
  return fail.launch or 0
end
function cu.cuCtxSynchronize() log[#log + 1] = "sync"; return 0 end
function cu.cuStreamSynchronize(s) log[#log + 1] = "stream sync"; return 0 end
function cu.cuMemHostRegister(p, n, flags) log[#log + 1] = "pin " .. n; return 0 end
function cu.cuMemHostUnregister(p) return 0 end
function cu.cuDevicePrimaryCtxReset(d) log[#log + 1] = "reset"; mem = {}; return 0 end
function cu.cuDevicePrimaryCtxRetain(c, d) return 0 end
function cu.cuCtxSetCurrent(c) return 0 end
function cu.cuGetErrorName(res, p)
  local s = names[tonumber(res)]
  if not s then return 1 end
  cstr[s] = cstr[s] or ffi.new("char[?]", #s + 1, s)
  p[0] = cstr[s]
  return 0
end
require("ljs.gpu").attach_driver(cu, 90)
return {log = log, fail = fail, take = function()
  local out = table.concat(log, "\n")
  for i = #log, 1, -1 do log[i] = nil end
  return out
end}
