"""luascript bindgen: C headers -> LuaJIT FFI modules; the committed bindings under bindings/."""
import glob
import os
import shutil
import subprocess
import sys

import pytest

from luascript.bindgen import bindings_dir, wheel_library_dirs
from luascript.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "tests", "bindgen")
BINDINGS = os.path.join(ROOT, "bindings")
CC = shutil.which("gcc") or shutil.which("cc")

pytestmark = pytest.mark.skipif(CC is None, reason="no C compiler (the system preprocessor is needed)")


def lua(*dirs):
    """A fresh LuaJIT state whose package.path reaches `dirs` and the repository root (bindings.*)."""
    from lupa import luajit21
    L = luajit21.LuaRuntime(unpack_returned_tuples=True)
    L.globals().package.path = ";".join(d + "/?.lua" for d in dirs + (ROOT,)) + ";" + L.globals().package.path
    return L


def bindgen(capsys, *args):
    code = main(["bindgen"] + [str(a) for a in args])
    err = capsys.readouterr().err
    return code, err


@pytest.fixture(scope="module")
def libhx(tmp_path_factory):
    d = tmp_path_factory.mktemp("hx")
    so = d / "libhx.so"
    subprocess.run([CC, "-shared", "-fPIC", "-O1", "-o", str(so), os.path.join(HERE, "hx.c"), "-lm"], check=True)
    return so


@pytest.fixture(scope="module")
def hx(libhx, tmp_path_factory):
    out = tmp_path_factory.mktemp("hxlua") / "hx.lua"
    assert main(["bindgen", os.path.join(HERE, "hx.h"), "--lib", str(libhx), "--include-prefix", "hx_",
                 "--include-prefix", "HX_", "-o", str(out)]) == 0
    L = lua(str(out.parent))
    return L, L.eval('require("hx")'), out.read_text()


def test_cdef_is_luajit_c(hx):
    _, _, text = hx
    cdef = text.split("ffi.cdef[[", 1)[1].split("]]", 1)[0]
    # _Alignas becomes GCC's attribute, which LuaJIT reads; every other attribute is gone
    assert cdef.count("__attribute__") == 1 and "int32_t v __attribute__((aligned(16)));" in cdef
    for gone in ("visibility", "deprecated", "__declspec", "static", "inline", "hx_twice", "__restrict", "unrelated_t",
                 "extern", "HX_API", "_Atomic", "_Alignas"):
        assert gone not in cdef
    assert "typedef double vec_t;" in cdef                      # kept: struct hx_point needs it
    assert "} hx_value, *hx_value_ptr;" in cdef                 # one anonymous struct, two names
    assert "int hx_format(char *buf, size_t n, const char *fmt, ...);" in cdef
    assert "int hx_sum(const int * const values, size_t n);" in cdef
    assert "HX_ERR_LAST = -102," in cdef and "HX_MIN = (-2147483647-1)," in cdef
    assert "char name[32];" in cdef
    assert cdef.index("typedef double vec_t;") < cdef.index("struct hx_point")


def test_layout_matches_the_c_compiler(hx):
    L, _, _ = hx
    pair = L.eval('function(f, i, ...) local ffi = require("ffi") '
                  'return ffi[f](...), tonumber(require("hx")["hx_" .. f](i)) end')
    sizes = ["hx_value", "hx_bits", "hx_packed", "hx_ops", "hx_status", "enum hx_mask", "hx_aligned"]
    for i, t in enumerate(sizes):
        ours, gcc = pair("sizeof", i, t)
        assert ours == gcc, t
    offsets = [("hx_value", "f"), ("hx_value", "hi"), ("hx_value", "name"), ("hx_value", "tags"), ("hx_packed", "i"),
               ("hx_aligned", "v"), ("hx_aligned", "n")]
    for i, (t, f) in enumerate(offsets):
        ours, gcc = pair("offsetof", i, t, f)
        assert ours == gcc, (t, f)
    assert pair("sizeof", 2, "hx_packed") == (5, 5) and pair("sizeof", 6, "hx_aligned") == (32, 32)


def test_constants_are_fields(hx):
    L, m, _ = hx
    assert (m.HX_OK, m.HX_ERR_INVALID, m.HX_ERR_NOMEM, m.HX_ERR_LAST) == (0, -1, -2, -102)
    assert (m.HX_MIN, m.HX_MASK, m.HX_SHIFTED, m.HX_NEXT) == (-2 ** 31, 2 ** 31, 16, 17)
    assert (m.HX_ANON_A, m.HX_ANON_B, m.HX_HEX) == (7, 8, 0x7f)
    assert (m.HX_MAX_NAME, m.HX_FLAG_ALL, m.HX_ALL_BITS, m.HX_ERR_BUSY) == (32, 3, 2 ** 32 - 1, -3)
    assert L.eval('require("hx").HX_BIG == 0x123456789abcdefULL')
    # constants are plain fields: pairs() lists them without loading the library
    assert L.eval('(function() local n = 0 for k in pairs(require("hx")) do n = n + 1 end return n end)()') >= 19
    # not integers, or not selected: absent
    for name in ("HX_VERSION_STRING", "HX_SCALE", "HX_PTDS"):
        assert name not in _fields(L)


def _fields(L):
    return set(L.eval('(function() local t = {} for k in pairs(require("hx")) do t[#t + 1] = k end return t end)()').values())


def test_calls_through_the_binding(hx):
    L, m, _ = hx
    r = L.execute("""
    local ffi, hx = require("ffi"), require("hx")
    local h = ffi.new("hx_handle[1]")
    assert(hx.hx_open("disk", hx.HX_FLAG_ALL, h) == hx.HX_OK)           -- hx_open -> hx_open_v2
    assert(hx.hx_open("", 0, h) == hx.HX_ERR_INVALID)
    local counter = hx.hx_counter
    local flags = hx.hx_sync(h[0])                                       -- hx_sync -> hx_sync_ptds
    hx.hx_close(h[0])
    local buf = ffi.new("char[64]")
    local n = hx.hx_format(buf, 64, "%s-%d-%.1f", "ab", ffi.cast("int", 42), 2.5)   -- variadic
    local vals = ffi.new("const int[4]", {1, 2, 3, 4})
    local cb = ffi.cast("hx_callback", function(user, v) return v * 10 end)
    local applied = hx.hx_apply(cb, nil, 4)
    cb:free()
    local ops = ffi.new("hx_ops")
    ops.combine = function(a, b) return a * b end
    local folded = hx.hx_fold(ops, vals, 4)
    ops.combine:free()
    local b = hx.hx_make_bits(1, 5, -3, 200)
    local v = ffi.new("hx_value")
    v.i = 0x00020001
    return counter, hx.hx_counter, tonumber(flags), ffi.string(buf, n), hx.hx_sum(vals, 4), applied, folded,
           b.ready, b.mode, b.level, b.tail, v.lo, v.hi, hx.hx_norm(ffi.new("struct hx_point", {3, 4}))
    """)
    assert r == (1, 0, 3, "ab-42-2.5", 10, 41, 24, 1, 5, -3, 200, 1, 2, 5.0)


def test_unknown_name_is_one_line(hx):
    L, _, _ = hx
    ok, msg = L.execute('return pcall(function() return require("hx").hx_nothing end)')
    # the position is the caller's
    assert not ok and msg.endswith(":1: libhx: missing declaration for symbol 'hx_nothing'")


def test_missing_library_names_every_path(tmp_path, capsys):
    h = tmp_path / "nl.h"
    h.write_text("int nl_f(void);\n")
    out = tmp_path / "nl.lua"
    assert bindgen(capsys, h, "--lib", "nolib_zz", "--lib", "libnolib_zz.so.3", "--lib-path", "/opt/none",
                   "--include-prefix", "nl_", "-o", out)[0] == 0
    L = lua(str(tmp_path))
    ok, msg = L.execute('local m = require("nl") return pcall(function() return m.nl_f() end)')
    assert not ok and "\n" not in msg
    assert msg.startswith("nolib_zz: cannot load library nolib_zz (tried nolib_zz, libnolib_zz.so.3, "
                          "/opt/none/libnolib_zz.so, /opt/none/libnolib_zz.so.3)")
    # through `luascript run`: one line on stderr, exit status 1
    prog = tmp_path / "use.ljs"
    prog.write_text('const pkg = require("lua:package");\npkg.path = %r + "/?.lua;" + pkg.path;\n'
                    'require("lua:nl").nl_f();\n' % str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "luascript", "run", "--no-cache", str(prog)], capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stderr.count("\n") <= 1 and "cannot load library nolib_zz" in p.stderr


@pytest.mark.parametrize("case, expect", [
    ("missing", "header not found: nope.h"),
    ("cpp", "preprocessor failed: "),
    ("parse", "broken.h:3:"),
    ("prefix", "prefix 'zz_' selects nothing"),
])
def test_bad_input_is_one_line(tmp_path, capsys, case, expect):
    (tmp_path / "broken.h").write_text("int ok_a(void);\n\nint ok_b(int x) int;\n")
    (tmp_path / "fails.h").write_text('#include "not_there.h"\nint ok_c(void);\n')
    (tmp_path / "good.h").write_text("int ok_d(void);\n")
    header, prefix = {"missing": ("nope.h", "ok_"), "cpp": (tmp_path / "fails.h", "ok_"),
                      "parse": (tmp_path / "broken.h", "ok_"), "prefix": (tmp_path / "good.h", "zz_")}[case]
    code, err = bindgen(capsys, header, "--lib", "c", "--include-prefix", prefix, "-o", tmp_path / "o.lua")
    assert code == 1
    assert err.startswith("luascript bindgen: error: ") and err.count("\n") == 1, err
    assert expect in err
    if case == "cpp":
        assert "not_there.h" in err
    assert not (tmp_path / "o.lua").exists()


def test_zlib_end_to_end(tmp_path, capsys):
    header = "/usr/include/zlib.h"
    if not os.path.exists(header):
        pytest.skip("zlib.h not installed")
    out = tmp_path / "zlib.lua"
    assert bindgen(capsys, header, "--lib", "z", "--lib", "libz.so.1", "--include-prefix", "compress",
                   "--include-prefix", "uncompress", "--include-prefix", "zlibVersion", "--include-prefix", "Z_",
                   "--version-macro", "ZLIB_VERSION", "-o", out) == (0, "")
    L = lua(str(tmp_path))
    r = L.execute("""
    local ffi, z = require("ffi"), require("zlib")
    local src = string.rep("luascript bindgen ", 200)
    local cap = ffi.new("uLongf[1]", z.compressBound(#src))
    local buf = ffi.new("Bytef[?]", cap[0])
    assert(z.compress2(buf, cap, src, #src, z.Z_BEST_COMPRESSION) == z.Z_OK)
    local back = ffi.new("Bytef[?]", #src)
    local len = ffi.new("uLongf[1]", #src)
    assert(z.uncompress(back, len, buf, cap[0]) == z.Z_OK)
    return ffi.string(back, len[0]) == src, tonumber(cap[0]), ffi.string(z.zlibVersion()), z.Z_DATA_ERROR
    """)
    import zlib
    assert r[0] is True and r[1] < 200 and r[3] == -3
    assert r[2].split(".")[:2] == zlib.ZLIB_RUNTIME_VERSION.split(".")[:2]
    assert '-- Version: ZLIB_VERSION = "%s"' % r[2] in out.read_text()


# --- the committed bindings -------------------------------------------------------------------------

def test_committed_bindings_load_together():
    """Every committed module's cdef is accepted, in one LuaJIT state, as the GPU runtime loads them."""
    names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(BINDINGS, "*.lua")))
    assert {"cuda", "nvrtc", "cublas", "openvino"} <= set(names)
    L = lua()
    for n in names:
        m = L.eval('require("bindings.%s")' % n)
        assert m is not None
    assert L.eval('require("bindings.cuda").CUDA_SUCCESS') == 0
    assert L.eval('require("bindings.nvrtc").NVRTC_SUCCESS') == 0
    assert L.eval('require("bindings.cublas").CUBLAS_STATUS_SUCCESS') == 0
    assert L.eval('require("bindings.openvino").OK') == 0
    for text in map(open, glob.glob(os.path.join(BINDINGS, "*.lua"))):
        head = text.read().split("local ffi", 1)[0]
        assert "Command: luascript bindgen " in head and ("Version: " in head or "Note: " in head)


def test_ljs_code_requires_the_bindings():
    """.ljs programs reach the committed modules as lua:bindings.NAME (source checkout and wheel)."""
    import luascript
    assert bindings_dir() == BINDINGS
    rt = luascript.Runtime(use_cache=False)
    assert rt.eval('const cuda = require("lua:bindings.cuda"); [cuda.CUDA_VERSION, cuda.CU_CTX_SCHED_AUTO]') == [13000, 0]


def _regenerate(module, capsys):
    """Rerun the command recorded in a committed module (its site-packages paths moved to this
    machine's); returns (fresh, committed) without the provenance comment, which names paths."""
    import shlex
    import sysconfig
    committed = open(os.path.join(BINDINGS, module + ".lua")).read()
    cmd = [ln for ln in committed.splitlines() if ln.startswith("-- Command: ")][0][len("-- Command: "):]
    argv = shlex.split(cmd)[1:]
    del argv[argv.index("-o"):argv.index("-o") + 2]
    import site
    # the wheels may sit in a venv's or the system's site-packages (a venv with system packages)
    sites = [sysconfig.get_paths()["purelib"]] + site.getsitepackages()

    def moved(a):
        rel = a.split("site-packages/", 1)[1]
        return next((os.path.join(d, rel) for d in sites if os.path.exists(os.path.join(d, rel))),
                    os.path.join(sites[0], rel))
    argv = [moved(a) if "site-packages/" in a else a for a in argv]
    assert main(argv) == 0
    body = lambda text: text.split('local ffi = require("ffi")', 1)[1]
    return body(capsys.readouterr().out), body(committed)


def _committed_version_line(module):
    return [ln for ln in open(os.path.join(BINDINGS, module + ".lua")) if ln.startswith("-- Version: ")][0]


def _wheel(dist):
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        pytest.skip("pip package %s not installed" % dist)


def test_regenerated_cuda_matches_committed(capsys):
    header = "/usr/local/cuda/include/cuda.h"
    if not os.path.exists(header):
        pytest.skip("no CUDA toolkit headers at /usr/local/cuda/include")
    version = _committed_version_line("cuda").split()[-1]
    if "#define CUDA_VERSION %s" % version not in open(header).read():
        pytest.skip("installed cuda.h is not CUDA_VERSION %s" % version)
    fresh, committed = _regenerate("cuda", capsys)
    assert fresh == committed


@pytest.mark.parametrize("module, dist", [("nvrtc", "nvidia-cuda-nvrtc-cu12"), ("openvino", "openvino")])
def test_regenerated_wheel_bindings_match_committed(capsys, module, dist):
    version = _wheel(dist)
    if " %s %s " % (dist, version) not in _committed_version_line(module):
        pytest.skip("installed %s %s is not the version the committed binding was made from" % (dist, version))
    fresh, committed = _regenerate(module, capsys)
    assert fresh == committed


def test_cuda_struct_layouts_match_the_c_compiler(tmp_path):
    """Every struct and union typedef of bindings/cuda.lua has gcc's size for cuda.h."""
    import re
    if not os.path.exists("/usr/local/cuda/include/cuda.h"):
        pytest.skip("no CUDA toolkit headers at /usr/local/cuda/include")
    text = open(os.path.join(BINDINGS, "cuda.lua")).read()
    names = sorted(set(re.findall(r"^} (\w+)[,;]", text, re.M)))
    assert len(names) > 100
    c = tmp_path / "sizes.c"
    c.write_text('#include <stdio.h>\n#include <cuda.h>\nint main(void) {\n' +
                 "".join('printf("%%zu\\n", sizeof(%s));\n' % n for n in names) + "return 0; }\n")
    exe = tmp_path / "sizes"
    subprocess.run([CC, "-I/usr/local/cuda/include", "-o", str(exe), str(c)], check=True)
    gcc = [int(x) for x in subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()]
    L = lua()
    sizeof = L.eval('function(t) require("bindings.cuda") return require("ffi").sizeof(t) end')
    assert {n: sizeof(n) for n in names} == dict(zip(names, gcc))


def test_nvrtc_compiles_a_kernel_to_ptx(monkeypatch):
    _wheel("nvidia-cuda-nvrtc-cu12")
    monkeypatch.setenv("LUASCRIPT_LIBRARY_PATH", ":".join(wheel_library_dirs()))
    L = lua()
    ok, ptx = L.execute(r"""
    local ffi, nvrtc = require("ffi"), require("bindings.nvrtc")
    local src = [[extern "C" __global__ void axpy(float a, const float *x, float *y, int n) {
      int i = blockIdx.x * blockDim.x + threadIdx.x;
      if (i < n) y[i] = a * x[i] + y[i];
    }]]
    local prog = ffi.new("nvrtcProgram[1]")
    assert(nvrtc.nvrtcCreateProgram(prog, src, "axpy.cu", 0, nil, nil) == nvrtc.NVRTC_SUCCESS)
    local opts = ffi.new("const char *[1]", {"--gpu-architecture=compute_70"})
    local res = nvrtc.nvrtcCompileProgram(prog[0], 1, opts)
    if res ~= nvrtc.NVRTC_SUCCESS then
      local n = ffi.new("size_t[1]")
      nvrtc.nvrtcGetProgramLogSize(prog[0], n)
      local log = ffi.new("char[?]", n[0])
      nvrtc.nvrtcGetProgramLog(prog[0], log)
      return false, ffi.string(nvrtc.nvrtcGetErrorString(res)) .. ": " .. ffi.string(log)
    end
    local n = ffi.new("size_t[1]")
    assert(nvrtc.nvrtcGetPTXSize(prog[0], n) == 0)
    local buf = ffi.new("char[?]", n[0])
    assert(nvrtc.nvrtcGetPTX(prog[0], buf) == 0)
    nvrtc.nvrtcDestroyProgram(prog)
    return true, ffi.string(buf)
    """)
    assert ok, ptx
    assert ".visible .entry axpy(" in ptx and ".target sm_70" in ptx and "fma.rn.f32" in ptx


def test_openvino_inference_through_the_binding(tmp_path, monkeypatch):
    ov = pytest.importorskip("openvino", reason="pip package openvino not installed")
    np = pytest.importorskip("numpy")
    from openvino import opset13 as ops
    rng = np.random.default_rng(7)
    w = rng.standard_normal((4, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    x = rng.standard_normal((2, 4)).astype(np.float32)
    p = ops.parameter([2, 4], np.float32, name="x")
    y = ops.relu(ops.add(ops.matmul(p, ops.constant(w), False, False), ops.constant(b)))
    model_xml = str(tmp_path / "tiny.xml")
    ov.save_model(ov.Model([y], [p], "tiny"), model_xml, compress_to_fp16=False)
    monkeypatch.setenv("LUASCRIPT_LIBRARY_PATH", ":".join(wheel_library_dirs()))
    L = lua()
    run = L.execute(r"""
    local ffi, ov = require("ffi"), require("bindings.openvino")
    return function(xml, input, n_in, n_out)
      local function ok(status, what) if status ~= ov.OK then error(what .. " failed: " .. tostring(status)) end end
      local core = ffi.new("ov_core_t*[1]")
      ok(ov.ov_core_create(core), "ov_core_create")
      local model = ffi.new("ov_model_t*[1]")
      ok(ov.ov_core_read_model(core[0], xml, nil, model), "read_model")
      local compiled = ffi.new("ov_compiled_model_t*[1]")
      -- variadic key/value properties, the key an extern variable of the library: f32 inference, as
      -- some CPUs would otherwise run it in bf16
      ok(ov.ov_core_compile_model(core[0], model[0], "CPU", 2, compiled,
                                  ov.ov_property_key_hint_inference_precision, "f32"), "compile_model")
      local req = ffi.new("ov_infer_request_t*[1]")
      ok(ov.ov_compiled_model_create_infer_request(compiled[0], req), "create_infer_request")
      local dims = ffi.new("int64_t[2]", {2, 4})
      local shape = ffi.new("ov_shape_t")
      ok(ov.ov_shape_create(2, dims, shape), "shape")
      local data = ffi.new("float[?]", n_in)
      for i = 0, n_in - 1 do data[i] = input[i + 1] end
      local tensor = ffi.new("ov_tensor_t*[1]")
      ok(ov.ov_tensor_create_from_host_ptr(ov.F32, shape, data, tensor), "tensor")
      ok(ov.ov_infer_request_set_input_tensor(req[0], tensor[0]), "set_input_tensor")
      ok(ov.ov_infer_request_infer(req[0]), "infer")
      local out = ffi.new("ov_tensor_t*[1]")
      ok(ov.ov_infer_request_get_output_tensor(req[0], out), "get_output_tensor")
      local ptr = ffi.new("void*[1]")
      ok(ov.ov_tensor_data(out[0], ptr), "tensor_data")
      local f, result = ffi.cast("float*", ptr[0]), {}
      for i = 0, n_out - 1 do result[i + 1] = f[i] end
      ov.ov_tensor_free(out[0]); ov.ov_tensor_free(tensor[0]); ov.ov_shape_free(shape)
      ov.ov_infer_request_free(req[0]); ov.ov_compiled_model_free(compiled[0])
      ov.ov_model_free(model[0]); ov.ov_core_free(core[0])
      return result
    end
    """)
    got = run(model_xml, L.table_from(x.ravel().tolist()), 8, 6)
    got = np.array([got[i] for i in range(1, 7)], dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(got, np.maximum(x @ w + b, 0), rtol=1e-5, atol=1e-6)
    assert np.any(got > 0) and np.any(got == 0)
