"""The ternary library's two hot paths, side by side in one run.

1. Matrix-vector product, 4096 x 4096: PackedTernaryMatrix.matvec (2-bit and 5-trits-per-byte
   packing) against a float32 matvec written by hand in Lua over FFI memory (same LuaJIT
   state) and NumPy's float32 `W @ x` on one BLAS thread.
2. Big-number multiply at 1,000 and 10,000 decimal digits: Ternary.mul against Python's int.
3. Unimodal minimisation: ternary search against golden-section search (evaluations, time).

    python benchmarks/ternary_bench.py [--rounds 7] [--size 4096]
"""
import argparse
import os
import random
import sys
import time

# one BLAS thread, as the comparison is single-threaded; must precede NumPy's import
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import luascript  # noqa: E402

if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

JS = r"""
const { Ternary, PackedTernaryMatrix, search } = require("ternary");
const matrices = {};
globalThis.makeMatrix = (t, rows, cols, format) => { matrices[format] = new PackedTernaryMatrix(t, rows, cols, { format }); };
globalThis.matvecLoop = (format, x, out, n) => { const m = matrices[format]; for (let i = 0; i < n; i++) m.matvec(x, out); };
let x, y;
globalThis.setOperands = (a, b) => { x = Ternary.fromDecimalString(a); y = Ternary.fromDecimalString(b); };
globalThis.mulLoop = (n) => {
  let p;
  for (let i = 0; i < n; i++) p = x.mul(y);
  return p;
};
globalThis.product = () => String(x.mul(y));
globalThis.minimize = (golden, n) => {
  const f = (x) => (x - 0.7312) ** 2 + Math.cos(3 * x) * 0.01;
  let r;
  for (let i = 0; i < n; i++) r = golden ? search.goldenMinimize(f, -4, 4, 1e-10) : search.minimize(f, -4, 4, 1e-10);
  return [r.x, r.evaluations];
};
"""

# the float32 baseline: the plain loop, written as one would in Lua
FLOAT_MATVEC = r"""
local PTR = require("ljs.core").TA_PTR   -- a typed array's FFI pointer
return function(w, x, out, rows, cols, n)
  local W, X, O = w[PTR], x[PTR], out[PTR]
  for _ = 1, n do
    for r = 0, rows - 1 do
      local s, base = 0.0, r * cols
      for c = 0, cols - 1 do s = s + W[base + c] * X[c] end
      O[r] = s
    end
  end
end
"""


def best_of(rounds, f):
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--size", type=int, default=4096)
    args = ap.parse_args()
    rounds, n = args.rounds, args.size

    rt = luascript.Runtime()
    rt.eval(JS)
    rng = np.random.default_rng(0)
    trits = rng.integers(-1, 2, (n, n)).astype(np.int8)
    w32 = trits.astype(np.float32)
    x = rng.standard_normal(n).astype(np.float32)
    ref = w32.astype(np.float64) @ x.astype(np.float64)

    print(f"matvec {n}x{n}, milliseconds per product (best of {rounds})")
    times = {}
    reps = 20
    for fmt in ("2bit", "base3"):
        rt.call("makeMatrix", trits.ravel(), n, n, fmt)
        out = np.zeros(n, np.float32)
        rt.call("matvecLoop", fmt, x, out, 2)
        err = np.max(np.abs(out - ref))
        times[fmt] = best_of(rounds, lambda: rt.call("matvecLoop", fmt, x, out, reps)) / reps
        print(f"  packed ternary ({fmt:5}) {times[fmt] * 1e3:8.3f}   max |error| {err:.2e}")
    fmv = rt.lua.execute(FLOAT_MATVEC)
    wj, xj, oj = rt.to_js(w32.ravel()), rt.to_js(x), rt.to_js(np.zeros(n, np.float32))
    fmv(wj, xj, oj, n, n, 1)
    freps = 3
    times["lua"] = best_of(max(3, rounds // 2), lambda: fmv(wj, xj, oj, n, n, freps)) / freps
    print(f"  float32, LuaJIT FFI     {times['lua'] * 1e3:8.3f}")
    w32 @ x
    nreps = 20
    times["numpy"] = best_of(rounds, lambda: [w32 @ x for _ in range(nreps)]) / nreps
    print(f"  NumPy float32 (1 thread){times['numpy'] * 1e3:8.3f}")
    for fmt in ("2bit", "base3"):
        print(f"  {fmt:5}: {times['lua'] / times[fmt]:5.2f}x faster than float32 LuaJIT (aim >= 5), "
              f"{times[fmt] / times['numpy']:5.2f}x NumPy's time (aim <= 1.5)")

    print("\nbig-number multiply, microseconds per product")
    r = random.Random(1)
    for digits, reps in ((1000, 2000), (10000, 40)):
        a = r.randrange(10 ** (digits - 1), 10 ** digits)
        b = r.randrange(10 ** (digits - 1), 10 ** digits)
        rt.call("setOperands", str(a), str(b))
        assert rt.call("product") == str(a * b)
        t_lua = best_of(rounds, lambda: rt.call("mulLoop", reps)) / reps
        t_py = best_of(rounds, lambda: [a * b for _ in range(reps)]) / reps
        print(f"  {digits:6} digits: Ternary.mul {t_lua * 1e6:9.1f}   Python int {t_py * 1e6:9.1f}   "
              f"ratio {t_lua / t_py:5.2f}x (aim <= 10 at 10,000)")

    print("\nunimodal minimum to 1e-10 on [-4, 4]")
    for name, golden in (("ternary search", False), ("golden section", True)):
        xmin, evals = rt.call("minimize", golden, 1)
        t = best_of(rounds, lambda: rt.call("minimize", golden, 200)) / 200
        print(f"  {name:15} x = {xmin:.9f}   {evals:3d} evaluations   {t * 1e6:7.2f} us")


if __name__ == "__main__":
    main()
