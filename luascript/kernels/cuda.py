"""Kernel IR → CUDA C (C++ as NVRTC compiles it).

Numbers are doubles, so results equal the sequential JS meaning; the helpers of PRELUDE carry
JS's rules (ToInt32, NaN-propagating min/max, out-of-range reads giving NaN, stores converting
as typed arrays do). Each array's element type is the macro T_<name>, double unless the runtime
defines it when it specialises the kernel for the arrays of a launch.
"""
import math

from .ir import INT_TYPES, counter_name

PRELUDE = r"""typedef long long i64;
typedef unsigned long long u64;
__device__ __forceinline__ double js_nan() { return __longlong_as_double(0x7ff8000000000000LL); }
__device__ __forceinline__ double js_inf() { return __longlong_as_double(0x7ff0000000000000LL); }
/* ToInt32: the fast path covers every double that is already in range */
__device__ __forceinline__ int js_i32(double x) {
  if (x > -2147483649.0 && x < 2147483648.0) return (int)x;
  if (!isfinite(x)) return 0;
  double m = fmod(trunc(x), 4294967296.0);
  if (m < 0.0) m += 4294967296.0;
  return (int)(unsigned)m;
}
__device__ __forceinline__ bool js_truthy(double x) { return x == x && x != 0.0; }
/* an element index, or -1 for what JS reads as a missing property (fractions, negatives, NaN) */
__device__ __forceinline__ i64 js_idx(double x) {
  return (x >= 0.0 && x < 9007199254740992.0 && x == floor(x)) ? (i64)x : -1;
}
__device__ __forceinline__ double js_max(double a, double b) {
  if (a != a || b != b) return js_nan();
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
__device__ __forceinline__ double js_min(double a, double b) {
  if (a != a || b != b) return js_nan();
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
__device__ __forceinline__ double js_pow(double x, double y) {
  if (y != y || (fabs(x) == 1.0 && isinf(y))) return js_nan();
  return pow(x, y);
}
__device__ __forceinline__ double js_round(double x) {
  if (x < 0.0 && x >= -0.5) return -0.0;
  double r = floor(x);
  return x - r >= 0.5 ? r + 1.0 : r;
}
__device__ __forceinline__ double js_sign(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
__device__ __forceinline__ void js_put(double *p, double v) { *p = v; }
__device__ __forceinline__ void js_put(float *p, double v) { *p = (float)v; }
__device__ __forceinline__ void js_put(int *p, double v) { *p = js_i32(v); }
__device__ __forceinline__ void js_put(unsigned *p, double v) { *p = (unsigned)js_i32(v); }
__device__ __forceinline__ void js_put(short *p, double v) { *p = (short)js_i32(v); }
__device__ __forceinline__ void js_put(unsigned short *p, double v) { *p = (unsigned short)js_i32(v); }
__device__ __forceinline__ void js_put(signed char *p, double v) { *p = (signed char)js_i32(v); }
__device__ __forceinline__ void js_put(unsigned char *p, double v) { *p = (unsigned char)js_i32(v); }
template <class T> __device__ __forceinline__ double js_get(const T *a, i64 n, i64 i) {
  return (u64)i < (u64)n ? (double)a[i] : js_nan();
}
template <class T> __device__ __forceinline__ void js_set(T *a, i64 n, i64 i, double v) {
  if ((u64)i < (u64)n) js_put(a + i, v);
}
"""

# Math functions whose C library versions differ from V8's in the last bit, written as V8 computes
# them (the CPU runtime's math.lua does the same); a kernel's source holds those it calls.
HELPERS = {
    "cbrt": r"""/* Math.cbrt: fdlibm's s_cbrt.c (FreeBSD's), as V8 computes it */
__device__ double js_cbrt(double x) {
  if (x != x || isinf(x) || x == 0.0) return x + x;
  u64 hx = (u64)__double_as_longlong(x) >> 32 & 0x7fffffffULL;
  double t;
  if (hx < 0x00100000ULL) {   /* subnormal: scale by 2^54 first */
    u64 hs = (u64)__double_as_longlong(fabs(x) * 18014398509481984.0) >> 32 & 0x7fffffffULL;
    t = __longlong_as_double((long long)((hs / 3 + 696219795ULL) << 32));
  } else {
    t = __longlong_as_double((long long)((hx / 3 + 715094163ULL) << 32));
  }
  if (x < 0.0) t = -t;
  /* to 23 bits, rounded away from zero to 23 bits, then one Newton step to 53 */
  double r = (t * t) * (t / x);
  t = t * ((1.87595182427177009643 + r * (-1.88497979543377169875 + r * 1.621429720105354466140)) +
           ((r * r) * r) * (-0.758397934778766047437 + r * 0.145996192886612446982));
  t = __longlong_as_double((long long)(((u64)__double_as_longlong(t) + 0x80000000ULL) & 0xffffffffc0000000ULL));
  double s = t * t;
  r = x / s;
  double w = t + t;
  r = (r - t) / (w + r);
  return t + t * r;
}""",
    "hypot": r"""/* Math.hypot of two: V8's algorithm (scale by the larger magnitude, Kahan-summed squares) */
__device__ double js_hypot(double a, double b) {
  a = fabs(a); b = fabs(b);
  if (isinf(a) || isinf(b)) return js_inf();
  if (a != a || b != b) return js_nan();
  double m = a > b ? a : b;
  if (m == 0.0) return 0.0;
  double ra = a / m, rb = b / m;
  return sqrt(ra * ra + rb * rb) * m;   /* (with two terms the compensation is 0) */
}""",
}

CONSTS = {"M_PI": math.pi, "M_E": math.e, "M_LN2": math.log(2), "M_LN10": math.log(10),
          "M_LOG2E": 1 / math.log(2), "M_LOG10E": 1 / math.log(10), "M_SQRT2": math.sqrt(2),
          "M_SQRT1_2": math.sqrt(0.5)}

C_TYPES = {"f64": "double", "i32": "int", "u32": "unsigned", "i64": "i64", "bool": "bool"}

# How each operation prints: operator -> (operand conversion, format). `{a}`/`{b}` are the operands
# after conversion; "num" is a double, "int" the ToInt32 of the operand.
BINARY = {
    "+": ("num", "({a} + {b})"), "-": ("num", "({a} - {b})"), "*": ("num", "({a} * {b})"),
    "/": ("num", "({a} / {b})"), "%": ("num", "fmod({a}, {b})"), "**": ("num", "js_pow({a}, {b})"),
    "&": ("int", "({a} & {b})"), "|": ("int", "({a} | {b})"), "^": ("int", "({a} ^ {b})"),
    "<<": ("int", "(int)((unsigned)({a}) << ({b} & 31))"), ">>": ("int", "({a} >> ({b} & 31))"),
    ">>>": ("int", "((unsigned)({a}) >> ({b} & 31))"),
    "<": ("num", "({a} < {b})"), "<=": ("num", "({a} <= {b})"), ">": ("num", "({a} > {b})"),
    ">=": ("num", "({a} >= {b})"), "==": ("num", "({a} == {b})"), "!=": ("num", "({a} != {b})"),
    "===": ("num", "({a} == {b})"), "!==": ("num", "({a} != {b})"),
}
# integer operands that stay integers: exact sums and exact comparisons
INT_BINARY = {"+": "({a} + {b})", "-": "({a} - {b})", "<": "({a} < {b})", "<=": "({a} <= {b})",
              ">": "({a} > {b})", ">=": "({a} >= {b})", "==": "({a} == {b})", "!=": "({a} != {b})",
              "===": "({a} == {b})", "!==": "({a} != {b})"}
UNARY = {"-": ("num", "(-{a})"), "+": ("num", "{a}"), "~": ("int", "(~{a})"), "!": ("cond", "(!{a})")}
# Math.name -> format over converted arguments (all "num" but imul/clz32, which take "int")
MATH = {
    "abs": "fabs({0})", "acos": "acos({0})", "acosh": "acosh({0})", "asin": "asin({0})",
    "asinh": "asinh({0})", "atan": "atan({0})", "atanh": "atanh({0})", "atan2": "atan2({0}, {1})",
    "cbrt": "js_cbrt({0})", "ceil": "ceil({0})", "cos": "cos({0})", "cosh": "cosh({0})", "exp": "exp({0})",
    "expm1": "expm1({0})", "floor": "floor({0})", "fround": "((double)(float)({0}))",
    "hypot": "js_hypot({0}, {1})", "log": "log({0})", "log1p": "log1p({0})", "log2": "log2({0})",
    "log10": "log10({0})", "pow": "js_pow({0}, {1})", "round": "js_round({0})", "sign": "js_sign({0})",
    "sin": "sin({0})", "sinh": "sinh({0})", "sqrt": "sqrt({0})", "tan": "tan({0})", "tanh": "tanh({0})",
    "trunc": "trunc({0})", "imul": "(int)((unsigned)({0}) * (unsigned)({1}))", "clz32": "__clz({0})",
}
INT_ARGS = ("imul", "clz32")


def num_literal(v):
    if math.isnan(v):
        return "js_nan()"
    if math.isinf(v):
        return "js_inf()" if v > 0 else "(-js_inf())"
    r = repr(float(v))
    return r if ("e" in r or "." in r) else r + ".0"


class Emitter:
    def __init__(self, kernel):
        self.k = kernel

    # ---- expressions: each returns C text of the requested kind --------------------------------
    def raw(self, e):
        """C text of e in its own type."""
        k = e.kind
        if k == "num":
            return str(int(e.args[0])) if e.ty == "i32" else num_literal(e.args[0])
        if k == "bool":
            return "true" if e.args[0] else "false"
        if k in ("counter", "local", "scalar"):
            return e.args[0]
        if k == "const":
            return num_literal(CONSTS[e.args[0]])
        if k == "len":
            return "n_" + ident(e.args[0])
        if k == "load":
            return "js_get(a_%s, n_%s, %s)" % (ident(e.args[0]), ident(e.args[0]), self.index(e.args[1]))
        if k == "bin":
            op, a, b = e.args
            if op in INT_BINARY and a.ty in INT_TYPES and b.ty in INT_TYPES:
                return INT_BINARY[op].format(a="(i64)" + self.raw(a), b="(i64)" + self.raw(b))
            conv, fmt = BINARY[op]
            return fmt.format(a=self.conv(a, conv), b=self.conv(b, conv))
        if k == "un":
            op, a = e.args
            conv, fmt = UNARY[op]
            return fmt.format(a=self.conv(a, conv))
        if k == "call":
            name, args = e.args[0], e.args[1:]
            if name in ("max", "min"):
                out = self.num(args[0])
                for a in args[1:]:
                    out = "js_%s(%s, %s)" % (name, out, self.num(a))
                return out   # (Math.max(x) is ToNumber(x), which num gives: -0 stays -0)
            conv = "int" if name in INT_ARGS else "num"
            return MATH[name].format(*[self.conv(a, conv) for a in args])
        if k == "cond":
            c, a, b = e.args
            if a.ty == b.ty == e.ty:
                return "(%s ? %s : %s)" % (self.cond(c), self.raw(a), self.raw(b))
            return "(%s ? %s : %s)" % (self.cond(c), self.num(a), self.num(b))
        if k == "logic":
            op, a, b = e.args
            if e.ty == "bool":
                return "(%s %s %s)" % (self.raw(a), op, self.raw(b))
            # JS returns an operand, not a boolean; operands have no side effects, so the
            # deciding one may be evaluated twice
            A, B = self.num(a), self.num(b)
            return "(js_truthy(%s) ? %s : %s)" % (A, B, A) if op == "&&" else \
                "(js_truthy(%s) ? %s : %s)" % (A, A, B)
        raise ValueError(k)

    def num(self, e):
        if e.kind == "num":
            return num_literal(e.args[0])
        r = self.raw(e)
        return r if e.ty == "f64" else "((double)%s)" % r

    def int(self, e):
        r = self.raw(e)
        if e.ty == "i32":
            return r
        if e.ty == "f64":
            return "js_i32(%s)" % r
        if e.ty == "i64":
            return "(int)(unsigned)(%s)" % r
        return "(int)(%s)" % r

    def cond(self, e):
        r = self.raw(e)
        if e.ty == "bool":
            return r
        if e.ty == "f64":
            return "js_truthy(%s)" % r
        return "(%s != 0)" % r

    def conv(self, e, kind):
        return {"num": self.num, "int": self.int, "cond": self.cond}[kind](e)

    def index(self, e):
        if e.ty in INT_TYPES:
            return "(i64)" + self.raw(e)
        return "js_idx(%s)" % self.num(e)

    def typed(self, e, ty):
        """e converted to a variable of type ty."""
        if ty == "f64":
            return self.num(e)
        if ty == "bool":
            return self.cond(e)
        if ty == e.ty:
            return self.raw(e)
        if ty == "i32":
            return self.int(e)
        if ty == "u32":
            return "(unsigned)%s" % self.int(e)
        return "(i64)%s" % self.raw(e)       # i64 from i32/u32 is exact

    # ---- statements -------------------------------------------------------------------------
    def stats(self, body, out, ind):
        for s in body:
            self.stat(s, out, ind)

    def stat(self, s, out, ind):
        p = "  " * ind
        k = s[0]
        if k == "let":
            _, cname, ty, value = s
            out.append("%s%s %s = %s;" % (p, C_TYPES[ty], cname, self.typed(value, ty)))
        elif k == "set":
            out.append("%s%s = %s;" % (p, s[1], self.typed(s[2], s[3])))
        elif k == "store":
            _, arr, idx, op, value = s
            a = ident(arr)
            if op is None:
                out.append("%sjs_set(a_%s, n_%s, %s, %s);" % (p, a, a, self.index(idx), self.num(value)))
            else:
                from .ir import E, combine
                out.append("%s{ const i64 k = %s;" % (p, self.index(idx)))
                old = E("local", "f64", "js_get(a_%s, n_%s, k)" % (a, a))
                out.append("%s  js_set(a_%s, n_%s, k, %s); }" % (p, a, a, self.num(combine(op, old, value))))
        elif k == "reduce":
            _, r, op, value = s
            v = self.num(value)
            if op == "+":
                out.append("%s%s += %s;" % (p, r, v))
            elif op == "*":
                out.append("%s%s *= %s;" % (p, r, v))
            else:
                out.append("%s%s = js_%s(%s, %s);" % (p, r, op, r, v))
        elif k == "expr":
            out.append("%s(void)(%s);" % (p, self.raw(s[1])))
        elif k == "block":
            out.append(p + "{")
            self.stats(s[1], out, ind + 1)
            out.append(p + "}")
        elif k == "if":
            _, c, then, alt = s
            out.append("%sif (%s) {" % (p, self.cond(c)))
            self.stats(then, out, ind + 1)
            if alt:
                out.append(p + "} else {")
                self.stats(alt, out, ind + 1)
            out.append(p + "}")
        elif k == "while":
            out.append("%swhile (%s) {" % (p, self.cond(s[1])))
            self.stats(s[2], out, ind + 1)
            out.append(p + "}")
        elif k == "do":
            out.append(p + "do {")
            self.stats(s[1], out, ind + 1)
            out.append("%s} while (%s);" % (p, self.cond(s[2])))
        elif k == "for":
            # JS `continue` must still run the increment: the body is a `do { } while (0)` that
            # `continue` leaves with `break`, and `break` also sets a flag the loop then obeys
            _, init, c, inc, body = s
            out.append(p + "{")
            self.stats(init, out, ind + 1)
            out.append("%s  for (; %s; ) {" % (p, self.cond(c) if c is not None else "true"))
            out.append(p + "    bool ljs_brk = false;")
            out.append(p + "    do {")
            self.stats(body, out, ind + 3)
            out.append(p + "    } while (0);")
            out.append(p + "    if (ljs_brk) break;")
            self.stats(inc, out, ind + 2)
            out.append(p + "  }")
            out.append(p + "}")
        elif k == "break":
            out.append(p + ("{ ljs_brk = true; break; }" if s[1] == "for" else "break;"))
        elif k == "continue":
            out.append(p + ("break;" if s[1] == "for" else "continue;"))
        elif k == "next":
            out.append(p + "break;")
        else:
            raise ValueError(k)


def ident(name):
    from .ir import c_ident
    return c_ident(name)


def params(k):
    """The kernel's parameters in launch order: (C declaration, kind, JS name or None). Every
    parameter is 8 bytes, which keeps the launcher's argument block uniform."""
    out = [("i64 ljs_count", "count", None)]
    out += [("i64 ljs_s%d" % d, "start", d) for d in range(len(k.dims))]
    out += [("i64 ljs_n%d" % d, "extent", d) for d in range(1, len(k.dims))]
    for name, a in k.arrays.items():
        c = ident(name)
        out.append(("%sT_%s *a_%s" % ("" if a["write"] else "const ", c, c), "array", name))
        out.append(("i64 n_%s" % c, "length", name))
    out += [("double s_%s" % ident(n), "scalar", n) for n in k.scalars]
    if k.reductions:
        out.append(("double *ljs_partials", "partials", None))
    return out


def emit(k, source_line=""):
    """The CUDA C of kernel k: the prelude, the element-type macros and the kernel."""
    from .ir import REDUCTIONS
    lines = ["// %s:%d: @gpu%s" % (k.filename, k.line, (" " + k.options["text"]) if k.options.get("text") else ""),
             "//   %s" % source_line.strip(),
             "// Generated by luascript: one thread per iteration%s." % (
                 " (%d-D launch)" % len(k.dims) if len(k.dims) > 1 else ""),
             ""]
    lines.append(PRELUDE)
    helpers_at = len(lines)
    for name in k.arrays:
        c = ident(name)
        lines += ["#ifndef T_%s" % c, "#define T_%s double" % c, "#endif"]
    lines.append("")
    lines.append('extern "C" __global__ void %s(%s) {' % (k.name, ", ".join(p for p, _, _ in params(k))))
    em = Emitter(k)
    red = k.reductions
    for name, op in red:
        lines.append("  double r_%s = %s;" % (ident(name), REDUCTIONS[op]))
    if red:
        lines.append("  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < ljs_count; "
                     "t += (i64)gridDim.x * blockDim.x) {")
        ind = 2
    else:
        lines.append("  const i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x;")
        lines.append("  if (t >= ljs_count) return;")
        ind = 1
    p = "  " * ind
    # the flat thread number splits into one counter per dimension, the innermost fastest
    rest = "t"
    for d in range(len(k.dims) - 1, -1, -1):
        dim = k.dims[d]
        var = counter_name(k.dims, d)
        if d == 0:
            pos = rest
        else:
            lines.append("%sconst i64 ljs_t%d = %s %% ljs_n%d;" % (p, d, rest, d))
            pos = "ljs_t%d" % d
            if d > 0:
                lines.append("%sconst i64 ljs_r%d = %s / ljs_n%d;" % (p, d, rest, d))
                rest = "ljs_r%d" % d
        step = "" if dim.step == 1 else " * %d" % dim.step
        lines.append("%sconst i64 %s = ljs_s%d + %s%s;" % (p, var, d, pos, step))
    lines.append(p + "do {")
    em.stats(k.body, lines, ind + 1)
    lines.append(p + "} while (0);")
    if red:
        lines.append("  }")
        # one partial result per block and reduction, combined in block order by the host
        lines.append("  extern __shared__ double ljs_sh[];")
        for j, (name, op) in enumerate(red):
            r = "r_" + ident(name)
            comb = {"+": "{a} + {b}", "*": "{a} * {b}", "max": "js_max({a}, {b})", "min": "js_min({a}, {b})"}[op]
            lines.append("  ljs_sh[threadIdx.x] = %s;" % r)
            lines.append("  __syncthreads();")
            lines.append("  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {")
            lines.append("    if (threadIdx.x < s) ljs_sh[threadIdx.x] = %s;" % comb.format(
                a="ljs_sh[threadIdx.x]", b="ljs_sh[threadIdx.x + s]"))
            lines.append("    __syncthreads();")
            lines.append("  }")
            lines.append("  if (threadIdx.x == 0) ljs_partials[blockIdx.x * %d + %d] = ljs_sh[0];" % (len(red), j))
            lines.append("  __syncthreads();")
    lines.append("}")
    body = "\n".join(lines[helpers_at:])
    lines[helpers_at:helpers_at] = [h for name, h in HELPERS.items() if "js_%s(" % name in body]
    return "\n".join(lines) + "\n"
