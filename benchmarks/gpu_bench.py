"""`// @gpu` loops on a CUDA device, measured side by side with the machine's own references.

    python benchmarks/gpu_bench.py            # every measurement
    python benchmarks/gpu_bench.py saxpy      # one of: saxpy launch reduce matmul

Prints ratios (1.0 = as fast as the reference):
- saxpy: kernel time of a marked saxpy over 2^26 floats against a device-to-device copy of the
  same bytes (cuMemcpyDtoD; saxpy moves 3 x 4 bytes per element, the copy 2 x 4), aim >= 0.8;
- launch: host time of a marked loop over 1 element whose kernel is cached, minus its kernel
  time (aim < 10 us; this includes the per-launch copies of the arrays it uses);
- reduce: a marked `s += a[i]` over 2^26 floats against CuPy's `sum` (kernel time only);
- matmul: gpu.matmul (cuBLAS sgemm) of 4096^3 against torch.matmul FP32.
Without a device it says so and exits 0: these are not tests.
"""
import os
import sys
import time

import luascript

N = 1 << 26

SAXPY = """
const n = %d, x = new Float32Array(n), y = new Float32Array(n), a = 2.5;
globalThis.run = () => {
  // @gpu
  for (let i = 0; i < n; i++) y[i] = a * x[i] + y[i];
};
const one = new Float32Array(1);
globalThis.tiny = () => {
  // @gpu
  for (let i = 0; i < 1; i++) one[i] = one[i] + 1;
};
globalThis.sum = () => {
  let s = 0;
  // @gpu
  for (let i = 0; i < n; i++) s += x[i];
  return s;
};
""" % N

COPY_LUA = """
local ffi, cu = require("ffi"), require("bindings.cuda")
return function(bytes, reps)
  local a, b = ffi.new("CUdeviceptr[1]"), ffi.new("CUdeviceptr[1]")
  assert(cu.cuMemAlloc(a, bytes) == 0 and cu.cuMemAlloc(b, bytes) == 0)
  local ev = ffi.new("CUevent[2]")
  cu.cuEventCreate(ev, 0); cu.cuEventCreate(ev + 1, 0)
  cu.cuMemcpyDtoD(b[0], a[0], bytes)
  cu.cuEventRecord(ev[0], nil)
  for _ = 1, reps do cu.cuMemcpyDtoD(b[0], a[0], bytes) end
  cu.cuEventRecord(ev[1], nil)
  cu.cuEventSynchronize(ev[1])
  local ms = ffi.new("float[1]")
  cu.cuEventElapsedTime(ms, ev[0], ev[1])
  cu.cuMemFree(a[0]); cu.cuMemFree(b[0])
  return ms[0] / reps
end
"""


def runtime():
    rt = luascript.Runtime(use_cache=False)
    if rt.eval('require("gpu").deviceInfo().backend') != "cuda":
        print("no CUDA device: %s" % rt.eval('require("gpu").deviceInfo().reason'))
        sys.exit(0)
    rt.eval(SAXPY)
    gpu = rt.lua.eval('require("ljs.gpu")')
    gpu.timing = True
    return rt, gpu


def best_kernel_ms(rt, gpu, fn, reps=5):
    rt.call(fn)                    # compile and warm up
    return min((rt.call(fn), gpu.last_kernel_ms)[1] for _ in range(reps))


def bench_saxpy(rt, gpu):
    k = best_kernel_ms(rt, gpu, "run")
    copy_ms = rt.lua.execute(COPY_LUA)(N * 4, 10)
    saxpy_gbs = 12 * N / (k / 1e3) / 1e9
    copy_gbs = 8 * N / (copy_ms / 1e3) / 1e9
    print("saxpy 2^26 floats: kernel %.3f ms = %.0f GB/s; DtoD copy %.0f GB/s; ratio %.2f"
          % (k, saxpy_gbs, copy_gbs, saxpy_gbs / copy_gbs))


def bench_launch(rt, gpu):
    gpu.timing = False
    rt.call("tiny")
    reps = 2000
    t = time.perf_counter()
    for _ in range(reps):
        rt.call("tiny")
    host_us = (time.perf_counter() - t) / reps * 1e6
    t = time.perf_counter()
    for _ in range(reps):
        rt.eval("0")
    call_us = (time.perf_counter() - t) / reps * 1e6
    gpu.timing = True
    print("cached launch: %.1f us per marked loop (Python->Lua call %.1f us included); aim < 10 us: ratio %.2f"
          % (host_us, call_us, 10 / max(host_us - call_us, 1e-9)))


def bench_reduce(rt, gpu):
    try:
        import cupy
    except ImportError:
        print("reduce: CuPy not installed")
        return
    k = best_kernel_ms(rt, gpu, "sum")
    x = cupy.random.random(N, dtype=cupy.float32)
    x.sum()
    start, stop = cupy.cuda.Event(), cupy.cuda.Event()
    best = 1e9
    for _ in range(5):
        start.record()
        x.sum()
        stop.record()
        stop.synchronize()
        best = min(best, cupy.cuda.get_elapsed_time(start, stop))
    print("reduction 2^26 floats: marked loop %.3f ms, cupy.sum %.3f ms; ratio %.2f" % (k, best, best / k))


def bench_matmul(rt, gpu):
    try:
        import torch
    except ImportError:
        print("matmul: torch not installed")
        return
    n = 4096
    rt.eval("globalThis.A = new Float32Array(%d); globalThis.B = new Float32Array(%d); "
            "globalThis.C = new Float32Array(%d); globalThis.mm = () => require('gpu').matmul(A, B, C, %d, %d, %d)"
            % (n * n, n * n, n * n, n, n, n))
    rt.call("mm")
    t = time.perf_counter()
    rt.call("mm")
    ours = time.perf_counter() - t
    a, b = torch.rand(n, n, device="cuda"), torch.rand(n, n, device="cuda")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.matmul(a, b)
    torch.cuda.synchronize()
    t = time.perf_counter()
    torch.matmul(a.cpu().cuda(), b.cpu().cuda()).cpu()     # the same host->device->host trip as ours
    torch.cuda.synchronize()
    ref = time.perf_counter() - t
    print("matmul 4096^3 FP32 with host copies: gpu.matmul %.1f ms, torch %.1f ms; ratio %.2f"
          % (ours * 1e3, ref * 1e3, ref / ours))


BENCHES = {"saxpy": bench_saxpy, "launch": bench_launch, "reduce": bench_reduce, "matmul": bench_matmul}

if __name__ == "__main__":
    os.environ.setdefault("LUASCRIPT_DEVICE", "gpu")
    names = sys.argv[1:] or list(BENCHES)
    rt, gpu = runtime()
    for name in names:
        BENCHES[name](rt, gpu)
