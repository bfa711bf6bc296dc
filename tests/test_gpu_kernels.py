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
    site, error = r.stderr.split("\n\n", 1)      # the marked loop, with a caret, then the error
    assert site.startswith(os.path.join(GPU_DIR, "saxpy.ljs") + ":7:1\n  for (let i = 0;")
    assert error.startswith("Uncaught Error: LUASCRIPT_DEVICE=gpu but ")
    assert "saxpy.ljs:7" in error and "Traceback" not in r.stderr


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
    # an inner loop runs sequentially inside the thread; marked, when it is not the only statement
    # (so no dimension), it is an error rather than a mark that does nothing
    k = only_kernel("const a = new Float64Array(8);\n// @gpu\nfor (let i = 0; i < 2; i++) {\n  a[i] = 1;\n"
                    "  for (let j = 0; j < 4; j++) a[i * 4 + j] += j;\n}\n")
    assert len(k.dims) == 1 and "for (; (l_j_" in k.source
    with pytest.raises(CompileError) as e:
        kernels_of("const a = new Float64Array(8);\n// @gpu\nfor (let i = 0; i < 2; i++) {\n  a[i] = 1;\n"
                   "  // @gpu\n  for (let j = 0; j < 4; j++) a[i * 4 + j] += j;\n}\n")
    assert "adds a dimension only as the only statement" in e.value.message and e.value.line == 5


def test_reductions():
    k = only_kernel("const v = new Float64Array(4); let s = 0, m = -Infinity, lo = Infinity, p = 1;\n"
                    "// @gpu\nfor (let i = 0; i < 4; i++) { s += v[i]; m = Math.max(m, v[i]); "
                    "lo = Math.min(v[i], lo); p *= 2; }\n")
    assert k.reductions == [("s", "+"), ("m", "max"), ("lo", "min"), ("p", "*")]
    src = k.source
    for line in ("double r_s = -0.0;", "double r_m = -js_inf();", "double r_lo = js_inf();", "double r_p = 1.0;",
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
    assert "int l_m_1 = (int)((unsigned)((js_i32(s_s) ^ (int)(unsigned)(v_i))) * " \
           "(unsigned)(js_i32(2246822507.0)));" in src
    assert "((unsigned)(l_m_1) >> (13 & 31))" in src
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
    assert "double l_s_1 = 0.0;" in src and "double l_k_2 = 0.0;" in src
    assert "while (((l_k_2 < 10.0))) {" in src or "while ((l_k_2 < 10.0)) {" in src
    assert "continue;" in src                               # continue of the while loop
    assert "{ ljs_brk = true; break; }" in src and "if (ljs_brk) break;" in src
    assert "} while ((l_s_1 > 20.0));" in src
    assert "(js_truthy(l_s_1) ? l_s_1 : 7.0)" in src


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
    base = compile_source(plain, "k.ljs")
    r = compile_source(commented, "k.ljs")
    assert r.kernels == [] and r.lua == base.lua
    # a mark a blank line away is an error (test_a_stray_mark_is_an_error), not a plain loop


def test_marked_loop_lua_calls_the_runtime_then_falls_back():
    lua = compile_source("const a = new Float64Array(4); let s = 0;\n// @gpu\nfor (let i = 0; i < 4; i++) "
                         "s += a[i];\n", "k.ljs").lua.decode()
    assert 'local J0_GPU1 = J0.require_from(J0_M, "lua:ljs.gpu")' in lua
    assert 'J0_GPU1.kernel({name = "ljs_L3"' in lua
    # with the GPU off, the launch's arguments are not even evaluated
    i = lua.index("if J0_GPU1.on() then\n")
    assert "= J0_GPU2(0, 4, a, s)" in lua[i:]
    tail = lua[lua.index("= J0_GPU2(0, 4, a, s)"):]
    assert "then\n    s = J0_r" in tail and "else\n    for i = 0, 3 do" in tail


def test_a_reduction_into_an_exported_variable_updates_the_export():
    lua = compile_source("export let total = 0;\nexport function acc(a) {\n// @gpu\n"
                         "for (let i = 0; i < a.length; i++) total += a[i];\n}\n", "k.ljs").lua.decode()
    gpu_branch = lua[lua.index("if J0_g"):lua.index("else", lua.index("if J0_g"))]
    assert 'J0_exports.total = total' in gpu_branch


def test_inner_bounds_are_read_only_when_the_outer_loop_runs():
    lua = compile_source("const a = new Float64Array(4); let m = null; let s = 0;\n// @gpu\n"
                         "for (let y = 0; y < 0; y++)\n  // @gpu\n  for (let x = 0; x < m.length; x++) s += x;\n"
                         "console.log(s);\n", "k.ljs").lua.decode()
    i = lua.index("if J0_GPU1.on() then\n")
    launch = lua[i:]
    assert launch.index('J0_GPU1.span(') < launch.index("m.length")


# ---- rejected loops ----------------------------------------------------------------------------

REJECTED = [
    ("let f = x => x;\n", "a[i] = f(i);", "calls a closure", "f(i)"),
    ("", "a[i] = isNaN(a[i]) ? 1 : 0;", "calls the global function `isNaN`", "isNaN(a[i])"),
    ("const o = {k: 1};\n", "a[i] = o.k;", "reads an object field", "o.k"),
    ("", "a[i] = [i].length;", "allocates an array", "[i].length"),
    ("", "a[i] = 's'.length;", "uses a string", "'s'"),
    ("", "a[i] = Math.random();", "calls Math.random", "Math.random()"),
    ("let t = 0;\n", "t = i;", "assigns the outer variable `t`", "t = i"),
    ("", "{ if (i > 2) break; a[i] = 1; }", "leaves the loop with break", "break;"),
    ("", "a[i] = a.map(x => x)[0];", "calls a method", "a.map(x => x)"),
    ("let s = 0;\n", "{ s += a[i]; a[i] = s; }", "reads the reduction variable `s`", "s; }"),
    ("let s = 1;\n", "s += s * a[i];", "reads `s` in the operand of its own reduction", "s * a"),
    ("let m = 1;\n", "m = Math.max(m, m * a[i]);", "reads `m` in the operand of its own reduction", "m * a"),
    ("", "a[i] = a[i > 0];", "indexes with a boolean", "i > 0"),
    ("", "a[i > 1] = 5;", "indexes with a boolean", "i > 1"),
    ("", "a[(a[i] || i > 2) ? i : 0] = a[a[i] || i > 2];", "indexes with a boolean", "a[i] || i > 2]"),
    ("", "{ let f = false; if (a[i] > 1) f = 1; a[i] = f ? 1 : 0; }", "assigns a number to `f`, which holds a boolean",
     "f = 1"),
    ("", "{ let f = 0; f = a[i] > 1; a[i] = f; }", "assigns a boolean to `f`, which holds a number", "f = a"),
    ("", "{ const v = a[i] > 1 ? true : a[i]; a[i] = v; }", "holds a boolean or a number depending on the data",
     "a[i] > 1 ? true"),
    ("", "a[i] = (a[i] || i > 2) === true ? 1 : 0;", "compares with `===` a value that is a boolean or a number",
     "(a[i] || i > 2) ==="),
    ("", "a[i] = a[i] === undefined ? 1 : 0;", "uses `undefined`", "undefined ?"),
    ("", "a[i] = i in a;", "uses the operator `in`", "i in a"),
    ("let m = 0;\n", "m = Math.max(m, a[i], 3);", "reduces `m` with Math.max of 3 arguments", "Math.max(m, a[i], 3)"),
    ("let b = new Float64Array(4);\n", "{ a[i] = b[i]; b = a; }", "assigns the array `b`", "b = a"),
    ("const t = 1;\n", "{ a[i] = t + i; let t = 2; }", "reads `t` before its declaration", "t + i"),
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
    ("for (let i = 0; i < o.size; i++) a[i] = 1;", "reads the property `size` in a bound"),
    ("for (let i = 0; i < lim; i++) lim = Math.min(lim, a[i]);", "reads the reduction variable `lim`"),
])
def test_rejected_loop_forms(loop, why):
    src = "const a = new Float64Array(4), f = () => 4, o = {size: 4};\nlet lim = 4;\n// @gpu\n" + loop + "\n"
    with pytest.raises(CompileError) as e:
        kernels_of(src)
    assert why in e.value.message and e.value.line == 4


@pytest.mark.parametrize("loop, what", [
    ("for (const x of a) a[0] = x;", "for…of"),
    ("for (const k in a) a[0] = 1;", "for…in"),
    ("while (a[0] < 1) a[0]++;", "while"),
    ("do a[0]++; while (a[0] < 1);", "do…while"),
])
def test_a_mark_on_another_loop_is_an_error(loop, what):
    with pytest.raises(CompileError) as e:
        kernels_of("const a = new Float64Array(4);\n// @gpu\n" + loop + "\n")
    assert e.value.message.endswith("not a %s loop" % what) and e.value.line == 2


@pytest.mark.parametrize("src, why, at", [
    ("const a = new Float64Array(4);\nif (a.length) {\n  a[0] = 1;\n  // @gpu\n}\n", "nothing follows it", (4, 3)),
    ("let s = 0;\n// @gpu\nfor (let i = 0; i < Math.random() * 9; i++) s += 1;\n", "calls Math.random in a bound",
     (3, 21)),
    ("const a = new Float64Array(4), o = {n: 1};\nwith (o) {\n  // @gpu\n  for (let i = 0; i < 4; i++) a[i] = n;\n}\n",
     "inside a `with` statement", (4, 3)),
])
def test_marks_inside_blocks_random_bounds_and_with_are_errors(src, why, at):
    with pytest.raises(CompileError) as e:
        kernels_of(src)
    assert why in e.value.message and (e.value.line, e.value.col) == at


@pytest.mark.parametrize("src, why", [
    ("// @gpu\nconst n = 4;\n", "not a declaration"),
    ("// @gpu\nouter: for (let i = 0; i < 4; i++) a[i] = 1;\n", "not a labelled statement"),
    ("// @gpu\n\nfor (let i = 0; i < 4; i++) a[i] = 1;\n", "must be on the line directly before its loop"),
    ("// @gpu\n// fill a\nfor (let i = 0; i < 4; i++) a[i] = 1;\n", "(a comment comes between them)"),
    ("// @gpu fast\n// @gpu block=64\nfor (let i = 0; i < 4; i++) a[i] = 1;\n", "a loop takes one @gpu mark"),
    ("// @gpu\n", "nothing follows it"),
    ("a[0] = 1; // @gpu\nfor (let i = 0; i < 4; i++) a[i] = 1;\n", "on a line of its own"),
])
def test_a_stray_mark_is_an_error(src, why):
    with pytest.raises(CompileError) as e:
        kernels_of("const a = new Float64Array(4);\n" + src)
    assert why in e.value.message and e.value.line == 2


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


# ---- launch sequences (residency) -------------------------------------------------------------

def _roles(src):
    return [k.sequence[:3] if k.sequence else None for k in kernels_of(src)]


def test_launch_sequence_roles():
    head = "let a = new Float64Array(8), b = new Float64Array(8), s = 0;\n"
    loop = "// @gpu\nfor (let i = 0; i < 8; i++) a[i] = b[i] + 1;\n"
    # consecutive kernels, with comments and reference moves between them, keep the arrays
    assert _roles(head + loop + "// moves\nconst t = a; a = b; b = t;\nlet u = 1, v = null;\n" + loop) \
        == [("keep",), None]
    # anything that may touch an element or run code ends the sequence
    for between in ("console.log(1);\n", "s = a[0];\n", "a = f();\n", "s = s + 1;\n", "if (s) s = 1;\n",
                    "s++;\n", "q = a;\n"):
        assert _roles(head + "const f = () => a;\n" + loop + between + loop) == [None, None], between
    # the last kernel of a counted loop made of kernels and moves keeps while the loop goes on
    assert _roles(head + "for (let k = 0; k < 10; k += 2) {\n" + loop + "const t = a; a = b; b = t;\n}\n") \
        == [("again", 2, "<")]
    assert _roles(head + "for (let k = 0; k <= a.length; k++) {\n" + loop + loop + "}\n") \
        == [("keep",), ("again", 1, "<=")]
    for body in (loop + "s = a[0];\n", loop + "k = 3;\n", loop + "break;\n",
                 "// @gpu\nfor (let i = 0; i < 8; i++) k += b[i];\n"):
        assert _roles(head + "for (let k = 0; k < 10; k++) {\n" + body + "}\n")[-1] is None, body
    # a while loop or a bound that is a call: the sequence ends after each kernel
    assert _roles(head + "while (s < 3) {\n" + loop + "}\n") == [None]
    assert _roles(head + "for (let k = 0; k < Math.min(3, 4); k++) {\n" + loop + "}\n") == [None]


def test_again_passes_the_counter_and_bound():
    lua = compile_source("const a = new Float64Array(4), n = 9;\nfor (let k = 0; k < n; k++) {\n"
                         "  // @gpu\n  for (let i = 0; i < 4; i++) a[i] += i;\n}\n", "k.ljs").lua.decode()
    assert "keep = false, again = 1, again_op = \"<\"" in lua
    assert "(0, 4, a, k, n)" in lua


FAKE_DRIVER = os.path.join(GPU_DIR, "fake_driver.lua")


@pytest.fixture
def stand_in(monkeypatch, tmp_path):
    """A Runtime whose GPU runtime talks to tests/gpu/fake_driver.lua (kernels compile with NVRTC)."""
    _nvrtc_runtime()
    monkeypatch.setenv("LUASCRIPT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LUASCRIPT_DEVICE", "auto")
    import io
    import luascript
    err = io.StringIO()
    rt = luascript.Runtime(use_cache=False, stderr=err)
    with open(FAKE_DRIVER) as f:
        fake = rt.lua.execute(f.read())
    rt.stderr_text = err.getvalue
    return rt, fake


HOST_DRIVER = os.path.join(GPU_DIR, "host_driver.lua")
_host_cxx = None


def _host_compiler(tmp_path):
    """Whether g++ builds C++20 with <barrier> (what host_driver.lua compiles kernels with)."""
    global _host_cxx
    if _host_cxx is None:
        import shutil
        src = tmp_path / "probe.cpp"
        src.write_text("#include <barrier>\nint main() { std::barrier<> b(1); b.arrive_and_wait(); }\n")
        _host_cxx = shutil.which("g++") is not None and subprocess.run(
            ["g++", "-std=c++20", "-pthread", "-o", str(tmp_path / "probe"), str(src)], capture_output=True).returncode == 0
    if not _host_cxx:
        pytest.skip("no g++ with C++20's <barrier> to run kernels on the host")


@pytest.mark.parametrize("name", PROGRAMS)
def test_kernels_run_on_the_host_match_node(name, monkeypatch, tmp_path):
    # every launch of the program goes through the launch protocol to its kernel, compiled as host
    # C++ and run thread by thread on separate "device" memory: the output is node's
    _host_compiler(tmp_path)
    monkeypatch.setenv("LUASCRIPT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LUASCRIPT_DEVICE", "auto")
    import io
    import luascript
    out, err = io.StringIO(), io.StringIO()
    rt = luascript.Runtime(use_cache=False, stdout=out, stderr=err)
    with open(HOST_DRIVER) as f:
        driver = rt.lua.execute(f.read(), str(tmp_path))
    code = rt.run_file(os.path.join(GPU_DIR, name + ".ljs"))
    rt.flush()
    assert code == 0, err.getvalue()
    assert out.getvalue() == expected(name)
    assert "launch" in driver.take()          # the kernels ran, not the CPU loops


def _transfers(log):
    return [line for line in log.splitlines() if line.split()[0] in ("HtoD", "DtoH", "launch", "sync")]


def test_consecutive_kernels_copy_each_array_once(stand_in):
    rt, fake = stand_in
    rt.eval("""const n = 1000;
      let a = new Float32Array(n), b = new Float32Array(n);
      // @gpu
      for (let i = 0; i < n; i++) a[i] = i;
      // @gpu
      for (let i = 0; i < n; i++) b[i] = a[i] * 2;
      for (let s = 0; s < 4; s++) {
        // @gpu
        for (let i = 0; i < n; i++) b[i] = a[i] + 1;
        const t = a; a = b; b = t;
      }
      globalThis.hostBetween = () => {
        let t = 0;
        for (let s = 0; s < 2; s++) {
          // @gpu
          for (let i = 0; i < n; i++) b[i] = a[i] + s;
          t += b[0];
        }
      };
      globalThis.again = () => {
        // @gpu
        for (let i = 0; i < n; i++) a[i] = b[i];
      };""")
    assert _transfers(fake.take()) == (
        ["HtoD 4000", "launch 4x256", "HtoD 4000", "launch 4x256", "DtoH 4000", "DtoH 4000"] +
        ["HtoD 4000", "HtoD 4000"] + ["launch 4x256"] * 4 + ["DtoH 4000", "DtoH 4000"])
    # host code between kernels: every kernel's results come home before it runs
    rt.eval("hostBetween()")
    assert _transfers(fake.take()) == ["HtoD 4000", "HtoD 4000", "launch 4x256", "DtoH 4000"] * 2
    # device blocks come back from the pool: no allocation after the first sequence
    rt.eval("again()")
    assert "alloc" not in fake.take()


def test_big_buffers_are_pinned_on_their_third_sequence(stand_in):
    rt, fake = stand_in
    rt.eval("const a = new Float32Array(1 << 20), small = new Float32Array(1000);\n"
            "globalThis.k = () => {\n// @gpu\nfor (let i = 0; i < a.length; i++) a[i] = small[i % 1000] + i;\n};")
    pins = []
    for _ in range(4):
        rt.eval("k()")
        pins.append([line for line in fake.take().splitlines() if line.startswith("pin")])
    assert pins == [[], [], ["pin 4194304"], []]      # 4 MiB: pinned once; 4 KB: never


@pytest.mark.parametrize("handler", ["catch (e) {}", "finally {}"])
def test_an_exception_between_kernels_brings_the_arrays_home(stand_in, handler):
    # the first launch leaves `a` on the device for the second, whose bound throws: the catch
    # or finally block is host code and must see the first kernel's results
    rt, fake = stand_in
    src = """const a = new Float64Array(4); let x;
      try {
        // @gpu
        for (let i = 0; i < 4; i++) a[i] = i + 1;
        // @gpu
        for (let i = 0; i < x.length; i++) a[i] = 0;
      } %s""" % handler
    if handler.startswith("finally"):
        src = "try {\n" + src + "\n} catch (e) {}"
    rt.eval(src)
    assert _transfers(fake.take()) == ["HtoD 32", "launch 1x256", "DtoH 32"]


def test_a_launch_skipped_for_an_empty_outer_loop_brings_the_arrays_home(stand_in):
    rt, fake = stand_in
    rt.eval("""const a = new Float64Array(4); let rows = 0;
      // @gpu
      for (let i = 0; i < 4; i++) a[i] = i + 1;
      // @gpu
      for (let y = 0; y < rows; y++)
        // @gpu
        for (let x = 0; x < 4; x++) a[x] = 0;
      globalThis.first = a[0];""")
    assert _transfers(fake.take()) == ["HtoD 32", "launch 1x256", "DtoH 32"]


def test_a_destructuring_swap_keeps_the_buffers_on_the_device(stand_in):
    rt, fake = stand_in
    rt.eval("""let a = new Float64Array(8), b = new Float64Array(8);
      for (let s = 0; s < 4; s++) {
        // @gpu
        for (let i = 0; i < 8; i++) b[i] = a[i] + 1;
        [a, b] = [b, a];
      }""")
    assert _transfers(fake.take()) == ["HtoD 64", "HtoD 64"] + ["launch 1x256"] * 4 + ["DtoH 64", "DtoH 64"]


def test_a_captured_boolean_runs_on_the_cpu(stand_in):
    # the kernel reads captured values as numbers: `on === true` and `a[on]` mean other things
    rt, fake = stand_in
    got = rt.eval("""const a = new Float64Array(4); const on = true;
      // @gpu
      for (let i = 0; i < 4; i++) a[i] = on === true ? 1 : 2;
      Array.from(a)""")
    assert got == [1, 1, 1, 1] and "launch" not in fake.take()
    assert "a captured variable does not hold a number" in rt.stderr_text()


def test_a_declined_kernel_brings_the_sequence_home_first(stand_in):
    rt, fake = stand_in
    got = rt.eval("""const c = new Int32Array(8), d = new Int32Array(8);
      let k = 3;
      // @gpu
      for (let i = 0; i < 8; i++) c[i] = i * k;
      k = "x";
      // @gpu
      for (let i = 0; i < 8; i++) d[i] = c[i] + k;
      Array.from(d).join(" ")""")
    # the stand-in runs no kernels: c holds what it held, read back after the first kernel
    assert got == "0x 0x 0x 0x 0x 0x 0x 0x".replace("0x", "0")
    assert _transfers(fake.take()) == ["HtoD 32", "launch 1x256", "DtoH 32"]
    assert "@gpu loop runs on the CPU: a captured variable does not hold a number" in rt.stderr_text()


def test_overlapping_views_in_one_sequence(stand_in):
    rt, fake = stand_in
    rt.eval("""const buf = new Float64Array(16), lo = buf.subarray(0, 8), hi = buf.subarray(4, 16);
      // @gpu
      for (let i = 0; i < 8; i++) lo[i] = i + 1;
      // @gpu
      for (let i = 0; i < 12; i++) hi[i] = hi[i] * 10 + i;""")
    # lo goes home before hi, which overlaps it, goes up
    assert _transfers(fake.take()) == ["HtoD 64", "launch 1x256", "DtoH 64", "HtoD 96", "launch 1x256", "DtoH 96"]


def test_cuda_errors_are_js_errors_and_the_runtime_stays_usable(stand_in):
    import luascript
    rt, fake = stand_in
    rt.eval("const a = new Float64Array(4);\nglobalThis.k = () => {\n// @gpu\n"
            "for (let i = 0; i < 4; i++) a[i] = i;\n  return a[3];\n};")
    fake.fail.launch = 719
    with pytest.raises(luascript.JSError) as e:
        rt.eval("k()")
    assert e.value.name == "Error" and "CUDA error CUDA_ERROR_LAUNCH_FAILED in launching" in e.value.message
    assert "reset" in fake.take()              # the broken context was reset
    fake.fail.launch = None
    rt.eval("k()")
    assert _transfers(fake.take()) == ["HtoD 32", "launch 1x256", "DtoH 32"]
    fake.fail.alloc = 2
    with pytest.raises(luascript.JSError) as e:
        rt.eval("const big = new Float64Array(1 << 20);\n// @gpu\nfor (let i = 0; i < big.length; i++) big[i] = 1;")
    assert "CUDA error CUDA_ERROR_OUT_OF_MEMORY in cuMemAlloc of 8388608 bytes" in e.value.message
    fake.fail.alloc = None
    assert rt.eval("k()") == 0 and "launch 1x256" in fake.take()     # (the stand-in runs no kernels)


# ---- device arrays: __cuda_array_interface__ ----------------------------------------------------

class CudaArrayLike:
    """What CuPy, PyTorch and Numba arrays show: the CUDA array interface, v3."""

    def __init__(self, addr, shape, typestr="<f4", readonly=False, strides=None, stream=None):
        self.__cuda_array_interface__ = {"shape": shape, "typestr": typestr, "data": (addr, readonly),
                                         "strides": strides, "version": 3, "stream": stream}


def test_cuda_array_interface_becomes_a_device_array_without_a_gpu(monkeypatch):
    if device_present():
        pytest.skip("a CUDA device is present")
    import luascript
    monkeypatch.setenv("LUASCRIPT_DEVICE", "auto")
    rt = luascript.Runtime(use_cache=False)
    rt.set("x", CudaArrayLike(0x7F0000001000, (4, 8), "<i4"))
    assert rt.eval("[x.length, x.byteLength, x instanceof Int32Array, typeof x.map]") == [32, 128, True, "function"]
    for code in ("x[0]", "x[1] = 2", "Array.from(x)", "x.subarray(1)", "require('gpu').toHost(x)"):
        with pytest.raises(luascript.JSError) as e:
            rt.eval(code)
        assert e.value.name == "Error" and e.value.message == (
            "a Int32Array of 32 elements in CUDA device memory cannot be read or written on the host: "
            "no CUDA driver (libcuda.so.1 not found)"), code
    # a marked loop over it falls back to the CPU, which cannot read it either
    with pytest.raises(luascript.JSError) as e:
        rt.eval("const v = x;\nlet s = 0;\n// @gpu\nfor (let i = 0; i < v.length; i++) s += v[i];")
    assert "in CUDA device memory cannot be read" in e.value.message
    # handed back, it is the same device memory
    back = rt.get("x")
    assert back.__cuda_array_interface__ == {"shape": (32,), "typestr": "<i4", "data": (0x7F0000001000, False),
                                             "strides": None, "version": 3, "stream": None}
    with pytest.raises(luascript.JSError) as e:
        rt.eval("require('gpu').toDevice(new Float32Array(2))")
    assert e.value.message == "gpu.toDevice needs a CUDA device: no CUDA driver (libcuda.so.1 not found)"


@pytest.mark.parametrize("cai, error", [
    (CudaArrayLike(0x1000, (4,), "<c8"), "__cuda_array_interface__ type <c8 has no typed array"),
    (CudaArrayLike(0x1000, (4, 4), "<f4", strides=(4, 16)), "only C-contiguous CUDA arrays"),
    (CudaArrayLike(0x1000, (4,), ">f4"), "__cuda_array_interface__ type >f4 has no typed array"),
])
def test_cuda_arrays_it_cannot_share(cai, error):
    import luascript
    rt = luascript.Runtime(use_cache=False)
    with pytest.raises((TypeError, ValueError)) as e:
        rt.set("x", cai)
    assert error in str(e.value)
    rt.set("ok", CudaArrayLike(0x1000, (2, 3), "<f8", strides=(24, 8)))   # C-contiguous strides
    assert rt.eval("ok.length") == 6


def test_device_arrays_through_the_stand_in_driver(stand_in):
    import luascript
    rt, fake = stand_in
    rt.eval("""const {gpu} = require("gpu");
      globalThis.d = gpu.toDevice(new Float32Array([1, 2, 3, 4]));""")
    fake.take()
    # elements are read and written one by one on the device
    assert rt.eval("d[2] = 7.5; [d[0], d[2], d.length]") == [1, 7.5, 4]
    assert _transfers(fake.take()) == ["HtoD 4", "DtoH 4", "DtoH 4"]
    # bulk reads take a snapshot; its changes go back before the next use on the device
    assert rt.eval("d.fill(5, 3); Array.from(d).join(' ')") == "1 2 7.5 5"
    assert _transfers(fake.take()) == ["DtoH 16"]
    rt.eval("{ const v = d;\n// @gpu\nfor (let i = 0; i < v.length; i++) v[i] = v[i] * 2;\n}")
    assert _transfers(fake.take()) == ["HtoD 16", "launch 1x256", "sync"]   # no copies of its own
    assert list(rt.eval("require('gpu').toHost(d)")) == [1, 2, 7.5, 5]      # (the stand-in runs nothing)
    # handed to Python as a CUDA array over the same memory
    back = rt.get("d")
    addr = int(rt.lua.eval('function(t) return tonumber(require("ljs.gpu").device_address(t)) end')(rt.R.G["d"]))
    assert back.__cuda_array_interface__["data"] == (addr, False)
    # a read-only CUDA array: no writes from the host or from kernels
    rt.set("r", CudaArrayLike(addr, (4,), "<f4", readonly=True, stream=1))
    assert "stream sync" in fake.take()
    with pytest.raises(luascript.JSError) as e:
        rt.eval("r[0] = 1")
    assert e.value.name == "TypeError" and "it is read-only" in e.value.message
    assert rt.eval("r[3]") == 5


# ---- on a CUDA device: interop with CuPy ------------------------------------------------------

def test_device_cupy_arrays_stay_on_the_device():
    if not device_present():
        pytest.skip("no CUDA device (the GPU runtime found none)")
    cupy = pytest.importorskip("cupy")
    import luascript
    rt = luascript.Runtime(use_cache=False)
    x = cupy.arange(1000, dtype=cupy.float32)
    y = cupy.zeros(1000, dtype=cupy.float32)
    rt.eval("globalThis.f = (x, y) => {\n// @gpu\nfor (let i = 0; i < x.length; i++) y[i] = x[i] * 2 + 1;\n"
            "return [y[10], y.length];\n};")
    assert rt.call("f", x, y) == [21, 1000]
    assert cupy.allclose(y, x * 2 + 1)
    z = cupy.asarray(rt.eval("require('gpu').toDevice(new Float64Array([1, 2, 3]))"))
    assert z.dtype == cupy.float64 and z.tolist() == [1, 2, 3]
