"""`// @gpu` loops: kernel IR and CUDA C, NVRTC compilation, diagnostics, the CPU fallback
(exactly node's output), and, where a CUDA device is present, execution on it.

The programs are tests/gpu/NAME.ljs; NAME.expected is node's stdout for the same file (the mark
is a comment, so node runs the plain loops): regenerate with `node NAME.ljs > NAME.expected`.
"""
import glob
import os
import subprocess
import sys

import pytest

from luascript.compiler import compile_source
from luascript.errors import CompileError

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GPU_DIR = os.path.join(HERE, "gpu")
PROGRAMS = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(GPU_DIR, "*.ljs")))


def run(path, device, *args, cwd=GPU_DIR):
    env = dict(os.environ, LUASCRIPT_DEVICE=device, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "luascript", "run", "--no-cache", path, *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120)


def expected(name):
    with open(os.path.join(GPU_DIR, name + ".expected")) as f:
        return f.read()


def kernels_of(src, name="k.ljs"):
    return compile_source(src, name).kernels


def only_kernel(src):
    ks = kernels_of(src)
    assert len(ks) == 1
    return ks[0]


_device = None


def device_present():
    """Whether the GPU runtime finds a CUDA device here (asked of the runtime itself)."""
    global _device
    if _device is None:
        import luascript
        rt = luascript.Runtime(use_cache=False)
        _device = rt.eval('require("gpu").deviceInfo().backend') == "cuda"
    return _device


# ---- the CPU fallback prints what node prints -------------------------------------------------

@pytest.mark.parametrize("name", PROGRAMS)
def test_cpu_fallback_matches_node(name):
    r = run(name + ".ljs", "cpu")
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected(name)
    assert r.stderr == ""                      # LUASCRIPT_DEVICE=cpu: no notice


def test_auto_without_device_gives_one_notice():
    if device_present():
        pytest.skip("a CUDA device is present: auto mode runs on it")
    r = run("reductions.ljs", "auto")          # three marked loops, one notice
    assert r.returncode == 0 and r.stdout == expected("reductions")
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("luascript: ") and "@gpu loops run on the CPU" in lines[0]


def test_gpu_mode_without_device_is_a_clear_error():
    if device_present():
        pytest.skip("a CUDA device is present")
    r = run("saxpy.ljs", "gpu")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("Uncaught Error: LUASCRIPT_DEVICE=gpu but ")
    assert "saxpy.ljs:7" in r.stderr and "Traceback" not in r.stderr


def test_bad_device_setting_is_a_clear_error():
    r = run("saxpy.ljs", "tpu")
    assert r.returncode == 1
    assert "LUASCRIPT_DEVICE must be cpu, gpu or auto, not 'tpu'" in r.stderr and "Traceback" not in r.stderr


# ---- kernel IR and CUDA C for each construct ---------------------------------------------------

def test_saxpy_kernel():
    k = only_kernel("const n = 8, a = 2, x = new Float32Array(n), y = new Float32Array(n);\n"
                    "// @gpu\nfor (let i = 0; i < n; i++) y[i] = a * x[i] + y[i];\n")
    assert k.name == "ljs_L3" and [d.var for d in k.dims] == ["i"]
    assert k.arrays == {"y": {"write": True}, "x": {"write": False}} and k.scalars == ["a"]
    src = k.source
    assert src.startswith("// k.ljs:3: @gpu\n//   for (let i = 0; i < n; i++) y[i] = a * x[i] + y[i];\n")
    assert 'extern "C" __global__ void ljs_L3(i64 ljs_count, i64 ljs_s0, T_y *a_y, i64 n_y, ' \
           'const T_x *a_x, i64 n_x, double s_a) {' in src
    assert "js_set(a_y, n_y, (i64)v_i, ((s_a * js_get(a_x, n_x, (i64)v_i)) + js_get(a_y, n_y, (i64)v_i)));" in src
    assert "if (t >= ljs_count) return;" in src and "#define T_x double" in src


def test_two_and_three_dimensional_launches():
    src = ("const W = 4, H = 3, D = 2, a = new Float64Array(W * H * D);\n"
           "// @gpu\nfor (let z = 0; z < D; z++) {\n  // @gpu\n  for (let y = 0; y < H; y++) {\n"
           "    // @gpu\n    for (let x = 0; x < W; x += 2) a[(z * H + y) * W + x] = x + y + z;\n  }\n}\n")
    k = only_kernel(src)
    assert [d.var for d in k.dims] == ["z", "y", "x"] and [d.step for d in k.dims] == [1, 1, 2]
    s = k.source
    assert "const i64 ljs_t2 = t % ljs_n2;" in s and "const i64 v_x_ = " not in s
    assert "const i64 v_x = ljs_s2 + ljs_t2 * 2;" in s
    assert "const i64 v_y = ljs_s1 + ljs_t1;" in s and "const i64 v_z = ljs_s0 + ljs_r1;" in s
    # an inner marked loop that is not the only statement runs sequentially inside the thread
    k = only_kernel("const a = new Float64Array(8);\n// @gpu\nfor (let i = 0; i < 2; i++) {\n  a[i] = 1;\n"
                    "  // @gpu\n  for (let j = 0; j < 4; j++) a[i * 4 + j] += j;\n}\n")
    assert len(k.dims) == 1 and "for (; (v_j_" in k.source


def test_reductions():
    k = only_kernel("const v = new Float64Array(4); let s = 0, m = -Infinity, lo = Infinity, p = 1;\n"
                    "// @gpu\nfor (let i = 0; i < 4; i++) { s += v[i]; m = Math.max(m, v[i]); "
                    "lo = Math.min(v[i], lo); p *= 2; }\n")
    assert k.reductions == [("s", "+"), ("m", "max"), ("lo", "min"), ("p", "*")]
    src = k.source
    for line in ("double r_s = 0.0;", "double r_m = -js_inf();", "double r_lo = js_inf();", "double r_p = 1.0;",
                 "r_s += js_get(a_v, n_v, (i64)v_i);", "r_m = js_max(r_m, js_get(a_v, n_v, (i64)v_i));",
                 "r_lo = js_min(r_lo, js_get(a_v, n_v, (i64)v_i));", "r_p *= 2.0;",
                 "ljs_partials[blockIdx.x * 4 + 3] = ljs_sh[0];",
                 "t += (i64)gridDim.x * blockDim.x"):
        assert line in src, line


def test_integer_semantics():
    k = only_kernel("const h = new Uint32Array(4), s = 7;\n// @gpu\nfor (let i = 0; i < 4; i++) "
                    "{ const m = Math.imul(s ^ i, 0x85ebca6b); h[i] = (m >>> 13) + (i << 2) + ~i; }\n")
    src = k.source
    # a const keeps the 32-bit type of its initialiser; 0x85ebca6b is above 2^31 and goes through ToInt32
    assert "int v_m_1 = (int)((unsigned)((js_i32(s_s) ^ (int)(unsigned)(v_i))) * " \
           "(unsigned)(js_i32(2246822507.0)));" in src
    assert "((unsigned)(v_m_1) >> (13 & 31))" in src
    assert "(int)((unsigned)((int)(unsigned)(v_i)) << (2 & 31))" in src
    assert "(~(int)(unsigned)(v_i))" in src
    # integer sums and comparisons stay exact integers; an integer index needs no conversion
    k = only_kernel("const a = new Int8Array(9);\n// @gpu\nfor (let i = 0; i < 8; i++) "
                    "if (i + 1 < 8) a[i + 1] = i - 1;\n")
    assert "if (((i64)((i64)v_i + (i64)1) < (i64)8)) {" in k.source
    assert "js_set(a_a, n_a, (i64)((i64)v_i + (i64)1), ((double)((i64)v_i - (i64)1)));" in k.source


def test_control_flow_and_locals():
    k = only_kernel("const o = new Float64Array(4);\n// @gpu\nfor (let i = 0; i < 4; i++) {\n"
                    "  let s = 0, k = 0;\n  while (k < 10) { k++; if (k % 2) continue; s += k; }\n"
                    "  do { s -= 1; } while (s > 20);\n"
                    "  for (let j = 0; j < 5; j++) { if (j == 3) break; s = s > 3 ? s : -s; }\n"
                    "  if (i == 2) continue;\n  o[i] = s || 7;\n}\n")
    src = k.source
    assert "double v_s_1 = 0.0;" in src and "double v_k_2 = 0.0;" in src
    assert "while (((v_k_2 < 10.0))) {" in src or "while ((v_k_2 < 10.0)) {" in src
    assert "continue;" in src                               # continue of the while loop
    assert "{ ljs_brk = true; break; }" in src and "if (ljs_brk) break;" in src
    assert "} while ((v_s_1 > 20.0));" in src
    assert "(js_truthy(v_s_1) ? v_s_1 : 7.0)" in src


def test_fast_and_block_options():
    k = only_kernel("const a = new Float32Array(4);\n// @gpu fast block=128\nfor (let i = 0; i < 4; i++) a[i] = i;\n")
    assert k.options["fast"] and k.options["block"] == 128
    assert k.source.startswith("// k.ljs:3: @gpu fast block=128\n")
    with pytest.raises(CompileError) as e:
        kernels_of("const a = new Float32Array(4);\n// @gpu block=100\nfor (let i = 0; i < 4; i++) a[i] = i;\n")
    assert "unknown @gpu option `block=100`" in str(e.value) and e.value.line == 2


def test_unmarked_loops_compile_exactly_as_before():
    plain = "const a = new Float64Array(4); let s = 0;\nfor (let i = 0; i < 4; i++) s += a[i];\nconsole.log(s);\n"
    commented = plain.replace("\nfor", "\n// not @gpu, just a comment\nfor")
    far = plain.replace("\nfor", "\n// @gpu\n\nfor")              # the mark must be on the line before
    base = compile_source(plain, "k.ljs")
    for src in (commented, far):
        r = compile_source(src, "k.ljs")
        assert r.kernels == [] and r.lua == base.lua


def test_marked_loop_lua_calls_the_runtime_then_falls_back():
    lua = compile_source("const a = new Float64Array(4); let s = 0;\n// @gpu\nfor (let i = 0; i < 4; i++) "
                         "s += a[i];\n", "k.ljs").lua.decode()
    assert 'J0.require_from(J0_M, "lua:ljs.gpu").kernel({name = "ljs_L3"' in lua
    assert "= J0_GPU1(0, 4, a, s)" in lua
    i = lua.index("= J0_GPU1(0, 4, a, s)")
    tail = lua[i:]
    assert "then\n    s = J0_r" in tail and "else\n    for i = 0, 3 do" in tail


# ---- rejected loops ----------------------------------------------------------------------------

REJECTED = [
    ("let f = x => x;\n", "a[i] = f(i);", "calls a closure", "f(i)"),
    ("const o = {k: 1};\n", "a[i] = o.k;", "reads an object field", "o.k"),
    ("", "a[i] = [i].length;", "allocates an array", "[i].length"),
    ("", "a[i] = 's'.length;", "uses a string", "'s'"),
    ("", "a[i] = Math.random();", "calls Math.random", "Math.random()"),
    ("let t = 0;\n", "t = i;", "assigns the outer variable `t`", "t = i"),
    ("", "{ if (i > 2) break; a[i] = 1; }", "leaves the loop with break", "break;"),
    ("", "a[i] = a.map(x => x)[0];", "calls a method", "a.map(x => x)"),
    ("let s = 0;\n", "{ s += a[i]; a[i] = s; }", "reads the reduction variable `s`", "s; }"),
    ("const q = new Float64Array(2);\n", "a[i] = q[0] + q;", "uses the array `q` as a value", "q;"),
    ("", "a[i] = new Float64Array(2)[0];", "allocates", "new Float64Array(2)"),
]


@pytest.mark.parametrize("pre, body, why, at", REJECTED, ids=[r[2] for r in REJECTED])
def test_rejected_loops_point_at_the_expression(tmp_path, pre, body, why, at):
    src = "const a = new Float64Array(4);\n" + pre + "// @gpu\nfor (let i = 0; i < 4; i++) " + body + "\n"
    p = tmp_path / "bad.ljs"
    p.write_text(src)
    r = subprocess.run([sys.executable, "-m", "luascript", "check", str(p)], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = src.split("\n")
    row = len(lines) - 1                       # the loop is the last line
    loop = lines[row - 1]
    col = loop.index(at) + 1
    head, source_line, caret = r.stderr.rstrip("\n").split("\n")
    assert head == "%s:%d:%d: error: this @gpu loop cannot run on the GPU: it %s" % (
        p, row, col, head.split(": it ", 1)[1]) and why in head
    assert source_line == "  " + loop and caret == "  " + " " * (col - 1) + "^"


@pytest.mark.parametrize("loop, why", [
    ("for (let i = 0; i < 4; i--) a[i] = 1;", "is not a counted loop"),
    ("for (let i = 4; i > 0; i--) a[i] = 1;", "is not a counted loop"),
    ("for (var i = 0; i < 4; i++) a[i] = 1;", "is not a counted loop"),
    ("for (let i = 0; i < f(); i++) a[i] = 1;", "calls a function in a bound"),
    ("for (let i = 0; i < 4; i++) { i = 2; }", "assigns the loop counter `i`"),
])
def test_rejected_loop_forms(loop, why):
    src = "const a = new Float64Array(4), f = () => 4;\n// @gpu\n" + loop + "\n"
    with pytest.raises(CompileError) as e:
        kernels_of(src)
    assert why in e.value.message and e.value.line == 3


def test_build_writes_the_cuda_source(tmp_path):
    src = os.path.join(GPU_DIR, "stencil.ljs")
    out = tmp_path / "stencil.lua"
    r = subprocess.run([sys.executable, "-m", "luascript", "build", src, "-o", str(out)], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stderr
    cu = (tmp_path / "stencil.ljs_L7.cu").read_text()
    assert cu.startswith("// stencil.ljs:7: @gpu\n//   for (let y = 1; y < H - 1; y++) {\n")
    assert 'extern "C" __global__ void ljs_L7(' in cu


# ---- NVRTC compiles every generated kernel ----------------------------------------------------

SPECIALISATIONS = [("float",), ("double",), ("int", "unsigned", "signed char", "unsigned char", "short",
                                                "unsigned short")]


def _nvrtc_runtime():
    from importlib import metadata
    try:
        metadata.version("nvidia-cuda-nvrtc-cu12")
    except metadata.PackageNotFoundError:
        if not os.path.isdir("/usr/local/cuda/lib64"):
            pytest.skip("no NVRTC: neither the nvidia-cuda-nvrtc-cu12 wheel nor a CUDA toolkit")
    import luascript
    rt = luascript.Runtime(use_cache=False)
    return rt.lua.eval('''function(src, arch, fast, name)
      local ok, c = pcall(require("ljs.gpu").compile_cubin, src, arch, fast, name)
      if not ok then return false, type(c) == "table" and tostring(c.message) or tostring(c) end
      return true, c:sub(1, 4), #c
    end''')


def test_every_generated_kernel_compiles_with_nvrtc():
    compile_cubin = _nvrtc_runtime()
    count = 0
    for name in PROGRAMS:
        with open(os.path.join(GPU_DIR, name + ".ljs")) as f:
            ks = kernels_of(f.read(), name + ".ljs")
        for k in ks:
            for types in SPECIALISATIONS:
                head = "".join("#define T_%s %s\n" % (a, types[i % len(types)]) for i, a in enumerate(k.arrays))
                ok, magic, size = compile_cubin(head + k.source, 90, k.options["fast"], k.name)
                assert ok, "%s %s: %s" % (name, k.name, magic)
                assert magic == "\x7fELF" and size > 1000
                count += 1
    assert count >= 40


def test_nvrtc_errors_carry_the_log():
    compile_cubin = _nvrtc_runtime()
    ok, msg = compile_cubin('extern "C" __global__ void k() { undefined_thing(); }', 80, False, "bad")
    assert not ok and "NVRTC_ERROR_COMPILATION" in msg and "undefined_thing" in msg


# ---- the gpu module -----------------------------------------------------------------------------

def test_gpu_module_on_the_cpu(tmp_path):
    p = tmp_path / "mm.ljs"
    p.write_text('import { gpu } from "gpu";\n'
                 "const A = new Float32Array([1, 2, 3, 4, 5, 6]), B = new Float32Array([7, 8, 9, 10, 11, 12]);\n"
                 "const C = new Float32Array(4);\n"
                 "gpu.matmul(A, B, C, 2, 2, 3);\n"
                 "console.log(Array.from(C).join(' '));\n"
                 "const info = gpu.deviceInfo();\n"
                 "console.log(info.backend, info.reason);\n"
                 "gpu.synchronize();\n"
                 "try { gpu.matmul(A, B, new Float64Array(4), 2, 2, 3); } catch (e) { console.log(e.name, e.message); }\n")
    r = run(str(p), "cpu", cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "58 64 139 154", "cpu LUASCRIPT_DEVICE=cpu",
        "TypeError gpu.matmul: A, B and C must all be Float32Arrays or all Float64Arrays"]


def test_require_gpu_is_the_same_object():
    import luascript
    rt = luascript.Runtime(use_cache=False)
    assert rt.eval('const g = require("gpu"); g.gpu === g && typeof g.matmul') == "function"


# ---- on a CUDA device ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", PROGRAMS)
def test_device_matches_node(name):
    if not device_present():
        pytest.skip("no CUDA device (the GPU runtime found none)")
    r = run(name + ".ljs", "gpu")
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected(name)
