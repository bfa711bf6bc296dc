"""Latency and throughput of one model through three paths, side by side in one run:
the .ljs path (OpenVINO's C API over LuaJIT's FFI), OpenVINO's Python API, and benchmark_app.

    python3 benchmarks/openvino_bench.py [--seconds 3] [--requests 4]

Models are built here with OpenVINO's Python API: "tiny" (MatMul+Add+ReLU on 2x4, where the cost
is the per-call overhead) and "large" (a 1024-wide MLP of 8 MatMuls, batch 64, where the cost is
the inference itself). Not a test: it prints numbers."""
import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import openvino as ov
from openvino import opset13 as ops

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import luascript  # noqa: E402

F32 = {"INFERENCE_PRECISION_HINT": "f32"}


def build(d):
    rng = np.random.default_rng(3)
    x = ops.parameter([2, 4], np.float32, name="x")
    y = ops.relu(ops.add(ops.matmul(x, ops.constant(rng.standard_normal((4, 3)).astype(np.float32)), False, False),
                         ops.constant(rng.standard_normal(3).astype(np.float32))))
    ov.save_model(ov.Model([y], [x], "tiny"), os.path.join(d, "tiny.xml"), compress_to_fp16=False)
    x = ops.parameter([64, 1024], np.float32, name="x")
    y = x
    for _ in range(8):
        w = (rng.standard_normal((1024, 1024)) / 32).astype(np.float32)
        y = ops.relu(ops.matmul(y, ops.constant(w), False, False))
    ov.save_model(ov.Model([y], [x], "large"), os.path.join(d, "large.xml"), compress_to_fp16=False)


def python_latency(path, seconds):
    core = ov.Core()
    compiled = core.compile_model(path, "CPU", {"PERFORMANCE_HINT": "LATENCY", **F32})
    req = compiled.create_infer_request()
    shape = list(compiled.input(0).shape)
    x = np.sin(np.arange(int(np.prod(shape)))).astype(np.float32).reshape(shape)
    t = ov.Tensor(x)

    def time_it(f):
        for _ in range(50):
            f()
        iters, t0 = 0, time.perf_counter()
        end = t0 + seconds
        now = t0
        while now < end:
            for _ in range(20):
                f()
            iters += 20
            now = time.perf_counter()
        return (now - t0) * 1e6 / iters
    with_inputs = time_it(lambda: req.infer([t]))
    req.set_input_tensor(t)
    bare = time_it(lambda: req.infer())
    return {"withInputs": with_inputs, "bare": bare}


def python_throughput(path, seconds, nreq):
    core = ov.Core()
    compiled = core.compile_model(path, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT", **F32})
    shape = list(compiled.input(0).shape)
    t = ov.Tensor(np.sin(np.arange(int(np.prod(shape)))).astype(np.float32).reshape(shape))
    queue = ov.AsyncInferQueue(compiled, nreq)
    done = [0]
    queue.set_callback(lambda *_: done.__setitem__(0, done[0] + 1))
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        queue.start_async([t])
    queue.wait_all()
    return {"fps": done[0] / (time.perf_counter() - t0)}


def ljs(path, mode, seconds, nreq):
    out = io.StringIO()
    rt = luascript.Runtime(stdout=out)
    code = rt.run_file(os.path.join(HERE, "openvino_bench.ljs"), [path, mode, str(seconds), str(nreq)])
    if code != 0:
        raise SystemExit("openvino_bench.ljs failed")
    return json.loads(out.getvalue())


RAW_LUA = r"""
local ffi, C = require("ffi"), require("bindings.openvino")
return function(path, seconds, now)
  local function ok(st) assert(st == 0, "OpenVINO status " .. tonumber(st)) end
  local core, model = ffi.new("ov_core_t*[1]"), ffi.new("ov_model_t*[1]")
  local compiled, req = ffi.new("ov_compiled_model_t*[1]"), ffi.new("ov_infer_request_t*[1]")
  ok(C.ov_core_create(core)); ok(C.ov_core_read_model(core[0], path, nil, model))
  ok(C.ov_core_compile_model(core[0], model[0], "CPU", 4, compiled, "PERFORMANCE_HINT", "LATENCY",
                             "INFERENCE_PRECISION_HINT", "f32"))
  ok(C.ov_compiled_model_create_infer_request(compiled[0], req))
  local r = req[0]
  for _ = 1, 50 do ok(C.ov_infer_request_infer(r)) end
  local iters, t0 = 0, now()
  local t = t0
  while t < t0 + seconds * 1000 do
    for _ = 1, 20 do C.ov_infer_request_infer(r) end
    iters = iters + 20
    t = now()
  end
  C.ov_infer_request_free(r); C.ov_compiled_model_free(compiled[0]); C.ov_model_free(model[0]); C.ov_core_free(core[0])
  return (t - t0) * 1000 / iters
end
"""


def raw_c_latency(path, seconds):
    """ov_infer_request_infer alone, called from Lua through the FFI: the floor every path pays."""
    rt = luascript.Runtime(stdout=io.StringIO())
    rt.lua.execute("require('openvino.lib').load()")
    return rt.lua.execute(RAW_LUA)(path, seconds, rt.R.now_ms)


def benchmark_app(path, hint, seconds, nreq):
    exe = shutil.which("benchmark_app")
    if not exe:
        return None
    cmd = [exe, "-m", path, "-d", "CPU", "-hint", hint, "-t", str(max(1, int(seconds))), "-infer_precision", "f32"]
    if hint == "throughput":
        cmd += ["-nireq", str(nreq)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    fps = re.search(r"Throughput:\s+([\d.]+) FPS", r.stdout)
    med = re.search(r"Median:\s+([\d.]+) (ms|us)", r.stdout)
    if not fps:
        return None
    return {"fps": float(fps.group(1)),
            "median_us": float(med.group(1)) * (1000 if med.group(2) == "ms" else 1) if med else None}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--requests", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3, help="turns each path takes (the best is kept)")
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="ovbench")
    build(d)
    print("OpenVINO %s, %d CPUs; %.1f s per measurement in %d rounds" % (ov.get_version(), os.cpu_count(),
                                                                        args.seconds, args.rounds))
    print("%-6s %-28s %14s %14s %14s %8s" % ("model", "measure", ".ljs (C API)", "Python API", "benchmark_app", "ljs/py"))
    for name in ("tiny", "large"):
        path = os.path.join(d, name + ".xml")
        # the paths take turns, several rounds, best round kept: other load on the machine comes and goes
        lat = {"ljs": [], "py": [], "raw": []}
        fps = {"ljs": [], "py": []}
        per = args.seconds / args.rounds
        for _ in range(args.rounds):
            lat["ljs"].append(ljs(path, "latency", per, 1))
            lat["py"].append(python_latency(path, per))
            lat["raw"].append(raw_c_latency(path, per))
            fps["ljs"].append(ljs(path, "throughput", per, args.requests)["fps"])
            fps["py"].append(python_throughput(path, per, args.requests)["fps"])
        lj = {k: min(r[k] for r in lat["ljs"]) for k in ("withInputs", "bare")}
        py = {k: min(r[k] for r in lat["py"]) for k in ("withInputs", "bare")}
        raw = min(lat["raw"])
        ba = benchmark_app(path, "latency", args.seconds, 1)
        for key, label in (("withInputs", "latency, infer([t]) us"), ("bare", "latency, infer() us")):
            print("%-6s %-28s %14.2f %14.2f %14s %8.2f" % (name, label, lj[key], py[key],
                  "%.2f" % ba["median_us"] if ba and key == "bare" and ba["median_us"] else "-", lj[key] / py[key]))
        print("%-6s %-28s %14.2f %14.2f" % (name, "C call alone (Lua FFI) us", raw, raw))
        print("%-6s %-28s %14.2f %14.2f %14s %8s" % (name, "overhead over it, infer([t])", lj["withInputs"] - raw,
              py["withInputs"] - raw, "-", "%.2f" % ((lj["withInputs"] - raw) / (py["withInputs"] - raw))
              if py["withInputs"] - raw > 0 else "-"))
        ba = benchmark_app(path, "throughput", args.seconds, args.requests)
        lj_fps, py_fps = max(fps["ljs"]), max(fps["py"])
        print("%-6s %-28s %14.1f %14.1f %14s %8.2f" % (name, "throughput, %d requests /s" % args.requests, lj_fps,
              py_fps, "%.1f" % ba["fps"] if ba else "-", lj_fps / py_fps))
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
