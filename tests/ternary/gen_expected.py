"""Write usage.expected: what usage.ljs must print, computed with Python's integers and the
definitions in docs/ternary.md (independently of the Lua library)."""
import math
from pathlib import Path


def trits(n):
    out = []
    while n:
        r = n % 3
        out.append("0+-"[r])
        n = (n - 1) // 3 if r == 1 else ((n + 1) // 3 if r == 2 else n // 3)
    return "".join(reversed(out)) or "0"


def from_trits(s):
    return sum({"+": 1, "0": 0, "-": -1}[ch] * 3 ** i for i, ch in enumerate(reversed(s)))


def bdivmod(a, d):
    q = abs(a) // abs(d) * (1 if (a >= 0) == (d > 0) else -1)
    r = a - q * d
    if 2 * abs(r) > abs(d):
        s = 1 if a > 0 else -1
        r, q = r - s * abs(d), q + s * (1 if d > 0 else -1)
    return q, r


def num(x):
    """A double as JS prints it (integers without .0; these values are exact)."""
    return str(int(x)) if x == int(x) else repr(x)


sign = lambda x: (x > 0) - (x < 0)
a = -98765432109876543210987654321098765432109876543210
b = from_trits("+-0" * 13)
c = 1234567
lines = [
    f"a {a} {len(trits(a))} -1",
    f"b {b} {trits(b)}",
    f"c {trits(c)} {c}",
    f"add {a + b}", f"sub {a - b}", f"mul {a * b}",
    "divmod %d %d" % bdivmod(a, c), "floorDivmod %d %d" % divmod(a, c), f"floorDiv {a // -7}",
    f"pow {c ** 7}",
    f"shift {c * 3 ** 5} {bdivmod(c, 3 ** 5)[0]} {bdivmod(a, 3 ** 30)[0]}",
    f"neg abs {-a} {abs(a)} {trits(-b)}",
    f"compare {sign(a - b)} {sign(b - a)} 0 true",
    "zero true 0 0",
]
T = (-1, 0, 1)
ch = {-1: "-", 0: "0", 1: "+"}
kleene = {"and": min, "or": max, "not": lambda x: -x, "implies": lambda x, y: max(-x, y),
          "equiv": lambda x, y: min(max(-x, y), max(x, -y)), "xor": lambda x, y: -min(max(-x, y), max(x, -y)),
          "consensus": lambda x, y: x if x == y else 0, "any": lambda x, y: sign(x + y)}
luk = {"and": lambda x, y: max(-1, x + y - 1), "or": lambda x, y: min(1, x + y + 1), "not": lambda x: -x,
       "implies": lambda x, y: min(1, 1 - x + y), "equiv": lambda x, y: 1 - abs(x - y)}
for name, ops in (("kleene", kleene), ("lukasiewicz", luk)):
    for op, f in ops.items():
        if op == "not":
            row = [ch[f(x)] for x in T]
        else:
            row = ["".join(ch[f(x, y)] for y in T) for x in T]
        lines.append(f"{name}.{op} " + " ".join(row))
w = [0.25, -1.5, 0.75, 0.0625, -0.5, 2.0, -0.125, 1.0]
mean = sum(abs(v) for v in w) / len(w)
delta = 0.7 * mean
t1 = [sign(v) if abs(v) > delta else 0 for v in w]
kept = [abs(v) for v in w if abs(v) > delta]
scale = sum(kept) / len(kept)
lines.append("twn %s %s %s" % (",".join(map(str, t1)), num(scale), num(delta)))
t2 = [max(-1, min(1, round(v / mean))) for v in w]
lines.append("absmean %s %s" % (",".join(map(str, t2)), num(mean)))
x = [1, 2, 4, 8]
for fmt, nbytes in (("2bit", 4), ("base3", 4)):
    out = [scale * sum(t1[r * 4 + k] * x[k] for k in range(4)) for r in range(2)]
    lines.append("matvec %s %s %d" % (fmt, ",".join(num(v) for v in out), nbytes))
arr = [-7, -3, 0, 2, 2, 9, 14, 30, 31]
lines.append("indexOf " + ",".join(str(arr.index(v)) if v in arr else "-1" for v in (-7, 0, 9, 31, 5, 100)))
evals, lo, hi = 0, 0.0, 10.0          # the ternary-search loop of docs/ternary.md
while hi - lo > 1e-6:
    m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
    evals += 2
    if (m1 - 3) ** 2 < (m2 - 3) ** 2:
        hi = m2
    else:
        lo = m1
lines.append("minimize %.4f %d" % ((lo + hi) / 2, evals + 1))
lines += [
    "SyntaxError: Ternary.fromTritString: invalid trit 'x' at index 2 of \"+0x-\" (trits are '+', '0', '-')",
    "SyntaxError: Ternary.fromDecimalString: invalid digit ' ' at index 2 of \"12 3\"",
    "RangeError: Ternary.prototype.divmod: division by zero",
    "RangeError: Ternary.fromNumber: the value must be an integer, got 0.5",
    "TypeError: kleene.or: argument 2 must be a trit (-1, 0 or 1), got 5",
]
Path(__file__).with_name("usage.expected").write_text("\n".join(lines) + "\n")
