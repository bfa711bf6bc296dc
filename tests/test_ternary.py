"""The ternary library against Python's integers and NumPy, through luascript.Runtime.

Operands are seeded-random integers of 1 to 400 decimal digits (and a few of 10,000) plus
edge values around the limb base 3^15; every result comes back as a decimal string and is
compared with Python's exact arithmetic."""
import pathlib
import random
import sys

import pytest

import luascript

if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

HARNESS = r"""
const { Ternary } = require("ternary");
const T = (s) => Ternary.fromDecimalString(s);
// every operation on each pair, as decimal strings
globalThis.arith = (as, bs, ks) => as.map((a, i) => {
  const x = T(a), y = T(bs[i]), k = ks[i];
  const out = [x.add(y), x.sub(y), x.mul(y), y.mul(x), x.neg(), x.abs(), x.shift(k), x.shift(-k)].map(String);
  if (!y.isZero()) {
    const [q, r] = x.divmod(y), [fq, fr] = x.floorDivmod(y);
    out.push(String(q), String(r), String(fq), String(fr), String(x.floorDiv(y)));
  }
  out.push(String(x.compare(y)), String(x.equals(y)), String(x.sign()), String(x.isZero()),
           String(x.tritLength()), x.toTritString(), String(Ternary.fromTritString(x.toTritString())),
           String(new Ternary(a)), JSON.stringify(x));
  return out;
});
globalThis.pows = (as, es) => as.map((a, i) => String(T(a).pow(es[i])));
globalThis.fromNumbers = (ns) => ns.map((n) => { const t = Ternary.fromNumber(n); return [String(t), t.toNumber(), t.toTritString()]; });
globalThis.toNumber = (s) => T(s).toNumber();
globalThis.fromTrits = (s) => String(Ternary.fromTritString(s));
globalThis.mulDigits = (a, b) => String(T(a).mul(T(b)));
"""


@pytest.fixture(scope="module")
def rt():
    r = luascript.Runtime()
    r.eval(HARNESS)
    return r


def balanced_trits(n):
    """'+0-' string of n, most significant first (reference implementation)."""
    if n == 0:
        return "0"
    out = []
    while n:
        r = n % 3
        if r == 0:
            out.append("0")
        elif r == 1:
            out.append("+")
            n -= 1
        else:
            out.append("-")
            n += 1
        n //= 3
    return "".join(reversed(out))


def balanced_divmod(a, d):
    """q, r with q*d + r == a and |r| <= |d|/2; on a tie r takes a's sign."""
    q = abs(a) // abs(d) * (1 if (a >= 0) == (d > 0) else -1)
    r = a - q * d
    if 2 * abs(r) > abs(d):
        s = 1 if a > 0 else -1
        r -= s * abs(d)
        q += s * (1 if d > 0 else -1)
    return q, r


def sign(x):
    return (x > 0) - (x < 0)


def operands(rng, count):
    b = 3 ** 15
    special = [0, 1, -1, 2, b - 1, b, b + 1, b * b - 1, b ** 3, -(b ** 7) + 1, (3 ** 40 - 1) // 2,
               -(3 ** 61 - 1) // 2, 10 ** 100, 2 ** 53, -(2 ** 53), 3 ** 600, 3 ** 600 - 1]
    out = list(special)
    while len(out) < count:
        digits = rng.randint(1, 400)
        v = rng.randrange(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits)
        if rng.random() < 0.1:        # limbs at the edges of the base
            v = sum(rng.choice([0, b - 1, 1, b // 2]) * b ** i for i in range(rng.randint(1, 60)))
        out.append(-v if rng.random() < 0.5 else v)
    return out


def check_pair(a, b, k, got):
    want = [a + b, a - b, a * b, a * b, -a, abs(a), a * 3 ** k, balanced_divmod(a, 3 ** k)[0]]
    if b:
        q, r = balanced_divmod(a, b)
        assert q * b + r == a and 2 * abs(r) <= abs(b)
        want += [q, r, a // b, a % b, a // b]
    want = [str(v) for v in want]
    want += [str(sign(a - b)), "true" if a == b else "false", str(sign(a)), "true" if a == 0 else "false",
             str(0 if a == 0 else len(balanced_trits(a))), balanced_trits(a), str(a), str(a), '"%d"' % a]
    assert got == want, (a, b, k)


def test_arithmetic_matches_python_ints(rt):
    rng = random.Random(20240611)
    xs = operands(rng, 1500)
    ys = operands(rng, 1500)
    rng.shuffle(ys)
    ys[:40] = xs[:40]                                   # equal operands
    ys[40:80] = [-v for v in xs[40:80]]
    for i in range(80, 120):                            # balanced-divmod ties: a = q d +- d/2
        v = xs[i] or 1
        ys[i] = 2 * v
        xs[i] = rng.randint(-10 ** 50, 10 ** 50) * ys[i] + rng.choice([v, -v])
    ks = [rng.randint(0, 70) for _ in xs]
    for start in range(0, len(xs), 250):
        chunk = slice(start, start + 250)
        got = rt.call("arith", [str(v) for v in xs[chunk]], [str(v) for v in ys[chunk]], ks[chunk])
        for a, b, k, g in zip(xs[chunk], ys[chunk], ks[chunk], got):
            check_pair(a, b, k, g)


def test_divmod_tie_rule(rt):
    # |r| == |d|/2 exactly: the remainder keeps the dividend's sign
    got = rt.eval("""const {Ternary: T} = require("ternary");
      [[7, 2], [-7, 2], [7, -2], [-7, -2], [5, 10], [-5, 10], [9, 3]].map(([a, d]) =>
        T.fromNumber(a).divmod(d).map(Number))""")
    assert got == [[3, 1], [-3, -1], [-3, 1], [3, -1], [0, 5], [0, -5], [3, 0]]


def test_large_operands_karatsuba(rt):
    rng = random.Random(7)
    cases = [(10_000, 10_000), (10_000, 600), (3_000, 9_000), (5_000, 5_001)]
    for da, db in cases:
        a = rng.randrange(10 ** (da - 1), 10 ** da)
        b = -rng.randrange(10 ** (db - 1), 10 ** db)
        assert rt.call("mulDigits", str(a), str(b)) == str(a * b)
    a = 3 ** 20_000 - 1                 # every limb B - 1: the largest column sums
    assert rt.call("mulDigits", str(a), str(a)) == str(a * a)
    got = rt.call("arith", [str(a)], [str(-(3 ** 9_000) + 12345)], [5])
    check_pair(a, -(3 ** 9_000) + 12345, 5, got[0])


def test_multiply_at_every_split(rt):
    # limb counts (base 3^15) around the Karatsuba threshold and its uneven splits
    rng = random.Random(9)
    b = 3 ** 15
    sizes = [(39, 39), (40, 40), (41, 40), (79, 40), (80, 40), (81, 41), (81, 40), (120, 41), (161, 81),
             (200, 41), (333, 100), (64, 63), (257, 128)]
    xs, ys = [], []
    for an, bn in sizes:
        xs.append(rng.randrange(b ** (an - 1), b ** an))
        ys.append(-rng.randrange(b ** (bn - 1), b ** bn))
    got = rt.call("arith", [str(v) for v in xs], [str(v) for v in ys], [1] * len(xs))
    for a, y, g in zip(xs, ys, got):
        check_pair(a, y, 1, g)


def test_pow(rt):
    rng = random.Random(3)
    bases = [rng.randint(-10 ** 30, 10 ** 30) for _ in range(40)] + [0, 1, -1, 3, -2]
    exps = [rng.randint(0, 40) for _ in bases[:-5]] + [0, 7, 8, 100, 61]
    got = rt.call("pows", [str(v) for v in bases], exps)
    assert got == [str(b ** e) for b, e in zip(bases, exps)]


def test_number_round_trips(rt):
    rng = random.Random(11)
    ns = [0, 1, -1, 42, -5, 2 ** 53, -(2 ** 53), 2 ** 53 - 1] + [rng.randint(-(2 ** 53), 2 ** 53) for _ in range(300)]
    got = rt.call("fromNumbers", ns)
    assert got == [[str(n), n, balanced_trits(n)] for n in ns]
    assert rt.eval("""const {Ternary} = require("ternary");
      [Ternary.fromNumber(42).toTritString(), Ternary.fromNumber(-5).toTritString(), Ternary.fromNumber(0).toTritString()]""") \
        == ["+---0", "-++", "0"]
    # exact above 2^53 when the value is a double; RangeError otherwise
    assert rt.call("toNumber", str(2 ** 60)) == 2 ** 60
    assert rt.call("toNumber", str(-(2 ** 1000))) == -(2 ** 1000)
    assert rt.call("toNumber", str((2 ** 53 - 1) * 2 ** 70)) == (2 ** 53 - 1) * 2 ** 70
    for bad in (2 ** 53 + 1, 2 ** 60 + 1, 3 ** 40, 2 ** 1024, -(10 ** 400)):
        with pytest.raises(luascript.JSError) as e:
            rt.call("toNumber", str(bad))
        assert e.value.name == "RangeError" and "no exact Number" in e.value.message


def test_trit_string_round_trips(rt):
    rng = random.Random(5)
    for _ in range(300):
        s = rng.choice("+-") + "".join(rng.choice("+0-") for _ in range(rng.randint(0, 800)))
        v = sum({"+": 1, "0": 0, "-": -1}[c] * 3 ** i for i, c in enumerate(reversed(s)))
        assert rt.call("fromTrits", s) == str(v)
        assert rt.call("fromTrits", "000" + s) == str(v)


# ---- three-valued logic -------------------------------------------------------------------

TRITS = (-1, 0, 1)
KLEENE = {
    "and": min, "or": max, "implies": lambda a, b: max(-a, b),
    "equiv": lambda a, b: min(max(-a, b), max(a, -b)), "xor": lambda a, b: -min(max(-a, b), max(a, -b)),
    "consensus": lambda a, b: a if a == b else 0, "any": lambda a, b: sign(a + b),
}
# Lukasiewicz on {0, 1/2, 1}, mapped to trits by t = 2v - 1
L3 = {"implies": lambda x, y: min(1, 1 - x + y), "and": lambda x, y: max(0, x + y - 1),
      "or": lambda x, y: min(1, x + y), "equiv": lambda x, y: 1 - abs(x - y)}


def test_truth_tables(rt):
    tables = rt.eval("""const {kleene, lukasiewicz, Trit} = require("ternary");
      const T = [Trit.NEG, Trit.ZERO, Trit.POS];
      const table = (o) => Object.fromEntries(Object.keys(o).map((k) =>
        [k, o[k].length === 1 ? T.map((a) => o[k](a)) : T.map((a) => T.map((b) => o[k](a, b)))]));
      ({kleene: table(kleene), lukasiewicz: table(lukasiewicz)})""")
    assert sorted(tables["kleene"]) == sorted(list(KLEENE) + ["not"])
    assert tables["kleene"]["not"] == [1, 0, -1]
    for name, f in KLEENE.items():
        assert tables["kleene"][name] == [[f(a, b) for b in TRITS] for a in TRITS], name
    assert sorted(tables["lukasiewicz"]) == sorted(list(L3) + ["not"])
    assert tables["lukasiewicz"]["not"] == [1, 0, -1]
    for name, f in L3.items():
        want = [[round(2 * f((a + 1) / 2, (b + 1) / 2) - 1) for b in TRITS] for a in TRITS]
        assert tables["lukasiewicz"][name] == want, name
    # the tables printed in docs/ternary.md are these
    assert tables["lukasiewicz"]["implies"] == [[1, 1, 1], [0, 1, 1], [-1, 0, 1]]
    assert tables["kleene"]["implies"] == [[1, 1, 1], [0, 0, 1], [-1, 0, 1]]


def test_trit_constants_and_chars(rt):
    assert rt.eval("""const {Trit} = require("ternary");
      [Trit.NEG, Trit.ZERO, Trit.POS, Trit.toChar(-1), Trit.fromChar("+"), Trit.isTrit(2), Trit.isTrit(0)]""") \
        == [-1, 0, 1, "-", 1, False, True]


# ---- search -------------------------------------------------------------------------------

def test_ternary_search_sorted_arrays(rt):
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(1)
    rt.eval("""const {search} = require("ternary");
      globalThis.findAll = (a, xs) => Array.from(xs, (x) => search.indexOf(a, x))""")
    for n in (0, 1, 2, 3, 10, 1000):
        a = np.sort(rng.integers(-50, 50, n)).astype(np.int32)
        xs = np.arange(-55, 55).astype(np.float64)
        got = rt.call("findAll", a, xs)
        for x, i in zip(xs, got):
            if x in a:
                assert a[i] == x
            else:
                assert i == -1
    assert rt.eval("""const {search} = require("ternary");
      [search.indexOf([1, 4, 9, 16], 9), search.indexOf(new Float64Array([1, 2]), NaN)]""") == [2, -1]


def test_unimodal_search_against_golden_section(rt):
    got = rt.eval("""const {search} = require("ternary");
      const f = (x) => (x - 1.234) ** 2 + 3;
      [search.minimize(f, -10, 10, 1e-10), search.goldenMinimize(f, -10, 10, 1e-10),
       search.maximize((x) => Math.sin(x), 0, 3, 1e-12)]""")
    tern, gold, mx = got
    assert abs(tern["x"] - 1.234) < 1e-6 and abs(tern["value"] - 3) < 1e-12
    assert abs(gold["x"] - 1.234) < 1e-6
    assert gold["evaluations"] < tern["evaluations"]   # one evaluation per step instead of two
    assert abs(mx["x"] - 3.141592653589793 / 2) < 1e-5 and abs(mx["value"] - 1) < 1e-12


@pytest.mark.parametrize("lo,hi", [(-1e20, 1e20), (-1e300, 1e300), (-1.7e308, 1.7e308)])
def test_unimodal_search_over_wide_brackets(rt, lo, hi):
    # hi - lo overflows past 2^1023; golden section's kept point drifts over many steps unless
    # placed anew: both still find the minimum to the tolerance
    got = rt.eval("""const {search} = require("ternary");
      (lo, hi) => [search.minimize, search.goldenMinimize, search.maximize].map((s, i) =>
        s((x) => (i == 2 ? -1 : 1) * Math.abs(x - 5), lo, hi, 1e-9).x)""")(lo, hi)
    for x in got:
        assert abs(x - 5) < 1e-8


# ---- quantisation and packed matrices -----------------------------------------------------

def test_quantize_against_numpy(rt):
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(2)
    rt.eval("""const {quantize} = require("ternary");
      globalThis.q = (w) => { const a = quantize.twn(w), b = quantize.absmean(w);
        return [a.trits, a.scale, a.threshold, b.trits, b.scale]; }""")
    for n in (1, 7, 1000, 65536):
        for dtype in (np.float32, np.float64):
            w = (rng.standard_normal(n) * rng.uniform(0.01, 3)).astype(dtype)
            t1, s1, d1, t2, s2 = rt.call("q", w)
            w64 = w.astype(np.float64)
            mean = np.abs(w64).mean()
            delta = 0.7 * mean
            mask = np.abs(w64) > delta
            assert np.array_equal(t1, (np.sign(w64) * mask).astype(np.int8))
            assert d1 == pytest.approx(delta, rel=1e-12)
            assert s1 == pytest.approx(np.abs(w64[mask]).mean() if mask.any() else 0.0, rel=1e-12)
            assert np.array_equal(t2, np.clip(np.round(w64 / mean), -1, 1).astype(np.int8))
            assert s2 == pytest.approx(mean, rel=1e-12)
    zero = rt.call("q", np.zeros(5, np.float32))
    assert list(zero[0]) == [0] * 5 and zero[1] == 0 and list(zero[3]) == [0] * 5 and zero[4] == 0


@pytest.mark.parametrize("fmt", ["2bit", "base3"])
def test_packed_matvec_against_numpy(rt, fmt):
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(3)
    rt.eval("""const {PackedTernaryMatrix} = require("ternary");
      globalThis.mv = (t, rows, cols, fmt, scale, x) => {
        const m = new PackedTernaryMatrix(t, rows, cols, {format: fmt, scale});
        const out = m.matvec(x);
        return [out, m.toTrits(), m.get(rows - 1, cols - 1), m.byteLength];
      }""")
    for rows, cols in ((1, 1), (3, 5), (4, 4), (5, 9), (7, 33), (64, 100), (257, 511)):
        w = rng.integers(-1, 2, (rows, cols)).astype(np.int8)
        x = rng.standard_normal(cols).astype(np.float32)
        scale = float(rng.uniform(0.5, 2))
        out, back, last, nbytes = rt.call("mv", w.ravel(), rows, cols, fmt, scale, x)
        want = scale * (w.astype(np.float32) @ x)
        assert out.dtype == np.float32 and out.shape == (rows,)
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-4 * np.sqrt(cols))
        assert np.array_equal(back.reshape(rows, cols), w)
        assert last == w[-1, -1]
        per = 4 if fmt == "2bit" else 5
        groups = -(-cols // per)
        assert nbytes == rows * (groups + groups % 2)


def test_packed_matvec_into_given_buffer(rt):
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(4)
    w = rng.integers(-1, 2, (96, 200)).astype(np.int8)
    x = rng.standard_normal(200).astype(np.float32)
    out = np.zeros(96, np.float32)
    rt.set("W", w.ravel())
    rt.set("x", x)
    rt.set("out", out)
    rt.eval("""const {PackedTernaryMatrix} = require("ternary");
      new PackedTernaryMatrix(W, 96, 200).matvec(x, out)""")
    np.testing.assert_allclose(out, w.astype(np.float32) @ x, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("fmt", ["2bit", "base3"])
def test_wide_matrix_matvec_goes_by_column_chunks(rt, fmt):
    # wider than one table of packed.matvec: the product adds up chunk by chunk, its table stays
    # at one chunk's size, and an out that overlaps x still gets the product of x as it was
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(5)
    chunk = rt.lua.eval('require("ternary.packed").CHUNK')
    per = 4 if fmt == "2bit" else 5
    rows, cols = 6, 2 * chunk * per + 37
    w = rng.integers(-1, 2, (rows, cols)).astype(np.int8)
    x = rng.standard_normal(cols).astype(np.float32)
    rt.eval("""const {PackedTernaryMatrix} = require("ternary");
      globalThis.wide = (t, rows, cols, fmt, x) => {
        const m = new PackedTernaryMatrix(t, rows, cols, {format: fmt});
        const out = m.matvec(x);
        const shared = Float32Array.from(x);
        m.matvec(shared, shared.subarray(cols - rows));   // the last columns: read after the first chunk
        return [out, shared.subarray(cols - rows)];
      }""")
    out, aliased = rt.call("wide", w.ravel(), rows, cols, fmt, x)
    want = w.astype(np.float32) @ x
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-4 * np.sqrt(cols))
    np.testing.assert_allclose(aliased, want, rtol=1e-5, atol=1e-4 * np.sqrt(cols))


def _nvrtc(rt):
    from importlib import metadata
    import os
    try:
        metadata.version("nvidia-cuda-nvrtc-cu12")
    except metadata.PackageNotFoundError:
        if not os.path.isdir("/usr/local/cuda/lib64"):
            pytest.skip("no NVRTC: neither the nvidia-cuda-nvrtc-cu12 wheel nor a CUDA toolkit")
    return rt.lua.eval('''function(src, arch)
      local ok, c = pcall(require("ljs.gpu").compile_cubin, src, arch, false, "ternary")
      if not ok then return false, type(c) == "table" and tostring(c.message) or tostring(c) end
      return true, string.sub(c, 1, 4) == "\\127ELF", #c,
             string.find(c, "ternary_matvec_2bit", 1, true) ~= nil and string.find(c, "ternary_matvec_base3", 1, true) ~= nil
    end''')


@pytest.mark.parametrize("arch", [80, 90])
def test_cuda_kernel_source_compiles_with_nvrtc(arch):
    rt = luascript.Runtime()
    src = rt.eval('require("ternary").PackedTernaryMatrix.cudaSource')
    ok, elf, size, both = _nvrtc(rt)(src, arch)
    assert ok, elf
    assert elf and size > 2000 and both                 # a CUBIN holding both kernels


MATVEC = """const {PackedTernaryMatrix} = require("ternary");
globalThis.mv = (t, rows, cols, fmt, scale, x, out) =>
  new PackedTernaryMatrix(t, rows, cols, {format: fmt, scale}).matvec(x, out);
globalThis.mvTwice = (t, rows, cols, x) => {
  const m = new PackedTernaryMatrix(t, rows, cols);
  m.matvec(x);
  return m.matvec(x);
};"""


def test_matvec_goes_to_the_gpu_runtime_when_a_device_is_there(monkeypatch, tmp_path):
    """With a stand-in driver (tests/gpu/fake_driver.lua): the kernel compiles with NVRTC, the
    packed matrix is uploaded once per matrix, x goes up and out comes back each call."""
    import io
    np = pytest.importorskip("numpy")
    err = io.StringIO()
    rt = luascript.Runtime(use_cache=False, stderr=err)
    _nvrtc(rt)
    monkeypatch.setenv("LUASCRIPT_CACHE", str(tmp_path))
    monkeypatch.setenv("LUASCRIPT_DEVICE", "auto")
    fake = rt.lua.execute((pathlib.Path(__file__).parent / "gpu" / "fake_driver.lua").read_text())
    rt.eval(MATVEC)
    w = np.ones((100, 30), np.int8)
    x = np.ones(30, np.float32)
    rt.call("mvTwice", w.ravel(), 100, 30, x)
    log = [line for line in fake.take().splitlines() if not line.startswith(("alloc", "load"))]
    stride = 8                                    # 30 trits, 4 a byte, rows padded to even bytes
    assert log == ["function ternary_matvec_2bit", "HtoD %d" % (100 * stride),
                   "HtoD 120", "launch 13x256", "DtoH 400", "HtoD 120", "launch 13x256", "DtoH 400"]
    # Float64 activations: the CPU, with a notice (LUASCRIPT_DEVICE=gpu makes it an error)
    out = rt.call("mv", w.ravel(), 100, 30, "base3", 1, x.astype(np.float64), np.zeros(100))
    np.testing.assert_allclose(out, w.astype(np.float64) @ x)
    assert "PackedTernaryMatrix.prototype.matvec runs on the CPU: x and out must be Float32Arrays" in err.getvalue()
    assert [line for line in fake.take().splitlines() if "Dto" in line or "launch" in line] == []


def test_matvec_kernel_run_on_the_host_against_numpy(monkeypatch, tmp_path):
    """The CUDA kernels of matvec, compiled as host C++ by tests/gpu/host_driver.lua and run
    thread by thread through the GPU runtime's launch: both formats against NumPy."""
    import io
    import shutil
    np = pytest.importorskip("numpy")
    if shutil.which("g++") is None:
        pytest.skip("no g++ to run kernels on the host")
    monkeypatch.setenv("LUASCRIPT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LUASCRIPT_DEVICE", "auto")
    rt = luascript.Runtime(use_cache=False, stderr=io.StringIO())
    driver = rt.lua.execute((pathlib.Path(__file__).parent / "gpu" / "host_driver.lua").read_text(), str(tmp_path))
    rt.eval(MATVEC)
    rng = np.random.default_rng(9)
    for fmt in ("2bit", "base3"):
        for rows, cols in ((1, 1), (7, 33), (65, 130)):
            w = rng.integers(-1, 2, (rows, cols)).astype(np.int8)
            x = rng.standard_normal(cols).astype(np.float32)
            out = rt.call("mv", w.ravel(), rows, cols, fmt, 0.75, x, np.zeros(rows, np.float32))
            np.testing.assert_allclose(out, 0.75 * (w.astype(np.float64) @ x), rtol=1e-4, atol=1e-4 * np.sqrt(cols))
    assert "launch" in driver.take()


def test_matvec_in_gpu_mode_without_a_device_is_a_clear_error(monkeypatch):
    if luascript.Runtime().eval('require("gpu").deviceInfo().backend') == "cuda":
        pytest.skip("a CUDA device is present")
    monkeypatch.setenv("LUASCRIPT_DEVICE", "gpu")
    rt = luascript.Runtime()
    with pytest.raises(luascript.JSError) as e:
        rt.eval('const {PackedTernaryMatrix} = require("ternary");\n'
                'new PackedTernaryMatrix([1, 0, -1, 1], 2, 2).matvec(new Float32Array(2));')
    assert e.value.name == "Error" and e.value.message.startswith("LUASCRIPT_DEVICE=gpu but no CUDA")
    monkeypatch.setenv("LUASCRIPT_DEVICE", "cpu")        # cpu: no notice, the FFI path
    rt = luascript.Runtime()
    assert rt.eval('const {PackedTernaryMatrix} = require("ternary");\n'
                   'Array.from(new PackedTernaryMatrix([1, 0, -1, 1], 2, 2).matvec(new Float32Array([2, 3])))') == [2, 1]


def test_device_matvec_against_numpy():
    np = pytest.importorskip("numpy")
    rt = luascript.Runtime()
    if rt.eval('require("gpu").deviceInfo().backend') != "cuda":
        pytest.skip("no CUDA device (the GPU runtime found none)")
    rt.eval(MATVEC)
    rng = np.random.default_rng(5)
    for fmt in ("2bit", "base3"):
        for rows, cols in ((1, 1), (7, 33), (257, 511), (1024, 4096)):
            w = rng.integers(-1, 2, (rows, cols)).astype(np.int8)
            x = rng.standard_normal(cols).astype(np.float32)
            out = rt.call("mv", w.ravel(), rows, cols, fmt, 0.75, x, np.zeros(rows, np.float32))
            np.testing.assert_allclose(out, 0.75 * (w.astype(np.float64) @ x), rtol=1e-4, atol=1e-4 * np.sqrt(cols))


# ---- errors -------------------------------------------------------------------------------

ERRORS = [
    ('Ternary.fromNumber(1.5)', "RangeError", "must be an integer, got 1.5"),
    ('Ternary.fromNumber(2 ** 60)', "RangeError", "beyond 2^53"),
    ('Ternary.fromNumber("3")', "TypeError", "must be an integer number"),
    ('Ternary.fromDecimalString("12x4")', "SyntaxError", "invalid digit 'x' at index 2"),
    ('Ternary.fromDecimalString("-")', "SyntaxError", "no digits"),
    ('Ternary.fromTritString("+0-a")', "SyntaxError", "invalid trit 'a' at index 3"),
    ('Ternary.fromTritString("+é")', "SyntaxError", "invalid trit 'é' at index 1"),
    ('Ternary.fromTritString("+\\uD800x")', "SyntaxError", "invalid trit '\\ud800' at index 1"),
    ('new PackedTernaryMatrix(new Int8Array(4), 2, 2).get(1e15, 0)', "RangeError", "(1000000000000000, 0) is outside"),
    ('search.minimize((x) => x, -Infinity, 0)', "RangeError", "lo and hi must be finite"),
    ('Ternary.fromTritString("")', "SyntaxError", "empty string"),
    ('Ternary.fromNumber(5).divmod(0)', "RangeError", "division by zero"),
    ('Ternary.fromNumber(5).floorDiv(Ternary.fromNumber(0))', "RangeError", "division by zero"),
    ('Ternary.fromNumber(5).add("1")', "TypeError", "must be a Ternary, an integer number or a BigInt"),
    ('Ternary.fromNumber(5).shift(2 ** 40)', "RangeError", "Maximum Ternary size exceeded"),
    ('Ternary.fromNumber(2).pow(1e12)', "RangeError", "Maximum Ternary size exceeded"),
    ('Ternary.fromNumber(4).pow(2 ** 28)', "RangeError", "Maximum Ternary size exceeded"),   # 1.26 * 2^28 trits
    ('Ternary.fromDecimalString("12\\n3")', "SyntaxError", "invalid digit '\\n' at index 2 of \"12\\n3\""),
    ('search.indexOf([1, 2, "x", 4], 5)', "TypeError", 'element 2 is "x"'),
    ('search.indexOf([1, , 3, 4], 5)', "TypeError", "element 1 is undefined"),
    ('search.minimize((x) => x, "0", 1)', "TypeError", "lo and hi must be numbers"),
    ('search.minimize((x) => x, 0, 1, "1e-3")', "TypeError", "the tolerance must be a number"),
    ('new PackedTernaryMatrix(new Int8Array(4), 2, 2, {scale: NaN})', "RangeError", "scale must not be NaN"),
    ('Ternary.fromNumber(5).pow(-1)', "RangeError", "non-negative"),
    ('Ternary.fromNumber(5).shift(0.5)', "RangeError", "must be an integer"),
    ('Ternary.prototype.add.call({}, 1)', "TypeError", "not a Ternary"),
    ('Ternary(5)', "TypeError", "without 'new'"),
    ('kleene.and(1, 2)', "TypeError", "kleene.and: argument 2 must be a trit"),
    ('lukasiewicz.not("1")', "TypeError", "must be a trit"),
    ('quantize.twn([1, 2])', "TypeError", "must be a Float32Array or Float64Array"),
    ('new PackedTernaryMatrix(new Int8Array(6), 2, 4)', "RangeError", "6 trits do not make a 2x4 matrix"),
    ('new PackedTernaryMatrix(new Int8Array([1, 2]), 1, 2)', "TypeError", "element 1 must be a trit"),
    ('new PackedTernaryMatrix(new Int8Array(4), 2, 2, {format: "4bit"})', "RangeError", "format must be"),
    ('new PackedTernaryMatrix(new Int8Array(4), 2, 2).matvec(new Float32Array(3))', "RangeError", "x has 3 elements, the matrix 2 columns"),
    ('new PackedTernaryMatrix(new Int8Array(4), 2, 2).matvec(new Float32Array(2), new Float32Array(5))', "RangeError", "out has 5 elements"),
    ('new PackedTernaryMatrix(new Int8Array(4), 2, 2).matvec([1, 2])', "TypeError", "x must be a Float32Array"),
    ('search.minimize(1, 0, 1)', "TypeError", "must be callable"),
]


@pytest.mark.parametrize("code,name,text", ERRORS)
def test_bad_input_is_a_clear_js_error(rt, code, name, text):
    with pytest.raises(luascript.JSError) as e:
        rt.eval('const {Ternary, kleene, lukasiewicz, quantize, PackedTernaryMatrix, search} = require("ternary");\n' + code)
    assert e.value.name == name
    assert text in e.value.message


def test_edges_found_by_using_the_library(rt):
    got = rt.eval("""const {Ternary, Trit, kleene, lukasiewicz, search, quantize, PackedTernaryMatrix} = require("ternary");
      const T = [-1, 0, 1];
      // no connective and no comparison gives -0 (unary minus of 0 is -0)
      const negzero = [];
      for (const [name, o] of [["kleene", kleene], ["lukasiewicz", lukasiewicz]])
        for (const k of Object.keys(o))
          for (const a of T) for (const b of T)
            if (Object.is(o[k].length === 1 ? o[k](a) : o[k](a, b), -0)) negzero.push(name + "." + k);
      const cmp = new Ternary(-5).compare(-5);
      // a huge right shift rounds to 0 at once; the unimodal searches stop where doubles do
      const shifted = [String(new Ternary(5).shift(-1e10)), String(new Ternary(-5).shift(-2)), String(new Ternary(5).shift(-1))];
      const far = search.minimize((x) => (x - 1e8 - 3) ** 2, 1e8, 1e8 + 10);
      const golden = search.goldenMinimize((x) => (x - 1e4) ** 2, 1e4 - 1, 1e4 + 1, 1e-12);
      // a zero weight never touches its activation, in either format
      const w = new Int8Array([0, 1, 0, 0, 0]);
      const mv = (fmt, x0) => new PackedTernaryMatrix(w, 1, 5, {format: fmt}).matvec(new Float64Array([x0, 1, 0, 0, 0]), new Float64Array(1))[0];
      // BigInts are operands
      const big = new Ternary(12345678901234567890n).add(10n).mul(-3n);
      [negzero, Object.is(cmp, 0), shifted, Math.round(far.x), Math.round(golden.x),
       [mv("2bit", Infinity), mv("base3", Infinity), mv("base3", NaN), mv("base3", 1e17)],
       String(big), Object.keys(Trit), Object.keys(search), Object.keys(quantize)]""")
    assert got == [[], True, ["0", "-1", "2"], 100000003, 10000, [1, 1, 1, 1],
                   "-37037036703703703700", ["NEG", "ZERO", "POS"],
                   ["indexOf", "minimize", "maximize", "goldenMinimize"], ["twn", "absmean"]]


def test_a_ternary_comes_back_to_python_as_an_int(rt):
    rt.eval('globalThis.T3 = require("ternary").Ternary')
    assert rt.eval('T3.fromDecimalString("-12345678901234567890").pow(3)') == (-12345678901234567890) ** 3
    assert rt.eval('[new T3(0), new T3(-5)]') == [0, -5]
    triple = rt.eval('(x) => new T3(x).mul(3)')
    assert triple(2 ** 60 + 1) == 3 * (2 ** 60 + 1)     # a Python int past 2^53 arrives as a BigInt
    assert triple(str(2 ** 60)) == 3 * 2 ** 60            # (2**60 is a number, refused: its text is exact)
    # a subclass's instance too; an object that merely inherits the prototype stays an object
    assert rt.eval('class S3 extends T3 {}; new S3(-5)') == -5
    assert rt.eval('Object.create(T3.prototype)') == {}


def test_a_long_ternary_comes_back_under_pythons_default_digit_limit(rt):
    if not hasattr(sys, "set_int_max_str_digits"):
        pytest.skip("Python before 3.11 reads decimal text of any length")
    rt.eval('globalThis.T4 = require("ternary").Ternary')
    sys.set_int_max_str_digits(4300)          # the default this module lifts for its own checks
    try:
        got = rt.eval('new T4(-7).pow(9001)')
    finally:
        sys.set_int_max_str_digits(0)
    assert got == (-7) ** 9001


def test_objects_print_and_behave_as_classes(rt):
    got = rt.eval("""const {Ternary, PackedTernaryMatrix} = require("ternary");
      const util = require("util");
      const t = new Ternary(-5);
      [util.inspect(t), util.inspect(new Ternary("3").pow(100)).length < 80, t instanceof Ternary,
       Object.keys(t).length, `${t}`, Ternary.name, typeof Ternary.prototype.mul,
       util.inspect(new PackedTernaryMatrix(new Int8Array(4), 2, 2, {format: "base3"}))]""")
    assert got == ["[Ternary: -5 -++]", True, True, 0, "-5", "Ternary",
                   "function", "PackedTernaryMatrix { rows: 2, cols: 2, format: 'base3', scale: 1 }"]


def test_import_from_ljs_file_and_error_exit(tmp_path):
    import subprocess
    good = tmp_path / "good.ljs"
    good.write_text('import { Ternary } from "ternary";\nconsole.log(Ternary.fromNumber(42).toTritString());\n')
    r = subprocess.run([sys.executable, "-m", "luascript", "run", "--no-cache", str(good)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "+---0\n", r.stderr
    bad = tmp_path / "bad.ljs"
    bad.write_text('const { Ternary } = require("ternary");\n\nTernary.fromTritString("+-x");\n')
    r = subprocess.run([sys.executable, "-m", "luascript", "run", "--no-cache", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "Uncaught SyntaxError: Ternary.fromTritString: invalid trit 'x' at index 2" in r.stderr
    assert "bad.ljs:3" in r.stderr and "Traceback" not in r.stderr


# ---- .ljs programs under tests/ternary (expected output from tests/ternary/gen_expected.py) --

TERNARY_PROGRAMS = sorted((__import__("pathlib").Path(__file__).parent / "ternary").glob("*.ljs"))


@pytest.mark.parametrize("path", TERNARY_PROGRAMS, ids=[p.stem for p in TERNARY_PROGRAMS])
def test_ljs_programs(path):
    import subprocess
    r = subprocess.run([sys.executable, "-m", "luascript", "run", path.name], cwd=path.parent,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == path.with_suffix(".expected").read_text()


def test_benchmark_runs_at_a_small_size():
    # the benchmark reads typed arrays' memory the way hand-written Lua does; it must keep working
    import subprocess
    bench = pathlib.Path(__file__).parent.parent / "benchmarks" / "ternary_bench.py"
    run = subprocess.run([sys.executable, str(bench), "--size", "64", "--rounds", "1"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "faster than float32 LuaJIT" in run.stdout and "10000 digits" in run.stdout
