"""Kernel IR: a marked loop nest checked against the GPU subset and turned into small trees.

Expressions are `E` nodes with a value type: "f64" (a JS number), "i32"/"u32" (results of JS's
32-bit operators), "i64" (loop counters and sums of integers, exact), "bool". Statements are
tuples whose first item names them. The builder raises the compiler's own CompileError at the
offending expression, with the reason, for anything outside the subset.
"""
from ..transform.literals import parse_number

# Math functions a kernel may call: name -> arity (None: any number of arguments)
MATH_FUNCS = {
    "abs": 1, "acos": 1, "acosh": 1, "asin": 1, "asinh": 1, "atan": 1, "atanh": 1, "atan2": 2,
    "cbrt": 1, "ceil": 1, "clz32": 1, "cos": 1, "cosh": 1, "exp": 1, "expm1": 1, "floor": 1,
    "fround": 1, "hypot": 2, "imul": 2, "log": 1, "log1p": 1, "log2": 1, "log10": 1, "max": None,
    "min": None, "pow": 2, "round": 1, "sign": 1, "sin": 1, "sinh": 1, "sqrt": 1, "tan": 1,
    "tanh": 1, "trunc": 1,
}
MATH_CONSTS = {"PI": "M_PI", "E": "M_E", "LN2": "M_LN2", "LN10": "M_LN10", "LOG2E": "M_LOG2E",
               "LOG10E": "M_LOG10E", "SQRT2": "M_SQRT2", "SQRT1_2": "M_SQRT1_2"}
INT_TYPES = ("i32", "u32", "i64")
ARITH = ("+", "-", "*", "/", "%", "**")
BITWISE = ("&", "|", "^", "<<", ">>", ">>>")
COMPARE = ("<", "<=", ">", ">=", "==", "!=", "===", "!==")
# reductions: JS operator form -> identity (-0 for sums: -0 + -0 is -0, x + -0 is x)
REDUCTIONS = {"+": "-0.0", "*": "1.0", "max": "-js_inf()", "min": "js_inf()"}

ALLOCATING = {"object": "allocates an object", "array": "allocates an array", "new_expression": "allocates",
              "string": "uses a string", "template_string": "uses a string",
              "arrow_function": "creates a closure", "function_expression": "creates a closure",
              "function": "creates a closure", "class": "creates a class", "regex": "allocates a regular expression",
              "this": "reads `this`", "await_expression": "awaits", "yield_expression": "yields",
              "spread_element": "spreads", "sequence_expression": "uses the comma operator"}


class E:
    __slots__ = ("kind", "ty", "args")

    def __init__(self, kind, ty, *args):
        self.kind, self.ty, self.args = kind, ty, args

    def __repr__(self):
        return "%s:%s%r" % (self.kind, self.ty, self.args)


class Dim:
    """One marked loop of the nest: `for (let var = start; var < bound; var += step)`."""

    def __init__(self, var, start, op, bound, step, node):
        self.var, self.start, self.op, self.bound, self.step, self.node = var, start, op, bound, step, node


class Kernel:
    def __init__(self, name, filename, line, dims, options):
        self.name, self.filename, self.line, self.dims, self.options = name, filename, line, dims, options
        self.arrays = {}          # JS name -> {"write": bool}, in order of first use
        self.scalars = []         # captured JS names read as numbers
        self.reductions = []      # (JS name, op) with op in REDUCTIONS
        self.body = []
        self.source = None        # CUDA C, set by cuda.emit
        self.sequence = None      # how its launch ends a launch sequence (kernels.sequence_role)


class Unsupported(Exception):
    pass


def counter_name(dims, i):
    """The C name of dimension i's counter: `v_<name>`, `v<i>_<name>` when an inner marked loop
    reuses the name. (Each kind of name has a prefix of its own: counters v, locals l, arrays a,
    lengths n, scalars s, reductions r; the runtime's own names start with ljs_.)"""
    var = dims[i].var
    return ("v_" if sum(d.var == var for d in dims) == 1 else "v%d_" % i) + c_ident(var)


def c_ident(name):
    """The C spelling of a JS name, one to one: an ASCII name as it is; any other starts with 0,
    as no JS name does, and spells each character but letters and digits as _<hex>_ (`é` is
    0_e9_, `$x` 0_24_x, while the JS name `_e9_` stays _e9_)."""
    if all(c.isascii() and (c.isalnum() or c == "_") for c in name):
        return name
    return "0" + "".join(c if c.isascii() and c.isalnum() else "_%x_" % ord(c) for c in name)


class Builder:
    """Walks the innermost loop body (and the bounds) of a marked nest."""

    def __init__(self, tr, kernel):
        self.tr, self.k = tr, kernel
        # (an inner counter of the same name shadows the outer one, as in JS)
        self.scopes = [{d.var: ("counter", counter_name(kernel.dims, i), "i64") for i, d in enumerate(kernel.dims)}]
        self.reducing = None      # the variable whose reduction operand is being built
        self.loops = []           # kinds of the inner loops around the statement being built
        self.counter_names = {d.var for d in kernel.dims}
        self.local_seq = 0

    # ---- diagnostics ----------------------------------------------------------------------------
    def fail(self, node, why):
        raise self.tr.unsupported(node, "this @gpu loop cannot run on the GPU: it %s" % why)

    # ---- names ----------------------------------------------------------------------------------
    def find_local(self, name, node=None):
        for s in reversed(self.scopes):
            if name in s:
                if s[name][0] == "tdz" and node is not None:
                    self.fail(node, "reads `%s` before its declaration (JS throws a ReferenceError there)" % name)
                return s[name]
        return None

    def declare(self, name, ty, const):
        self.local_seq += 1
        cname = "l_%s_%d" % (c_ident(name), self.local_seq)
        self.scopes[-1][name] = ("local", cname, ty, const)
        return cname

    def outer(self, node, name):
        """A captured variable of the enclosing JS code (not a kernel local or counter)."""
        b = self.tr.lookup(name)
        if b is None:
            self.fail(node, "reads the global `%s`" % name)
        if name == self.reducing:
            self.fail(node, "reads `%s` in the operand of its own reduction (each thread would see its "
                            "starting value)" % name)
        if any(r == name for r, _ in self.k.reductions):
            self.fail(node, "reads the reduction variable `%s` outside its reduction" % name)
        return b

    def array(self, node, write=False):
        node = unparen(node)
        if node.type != "identifier":
            self.expr(node)          # the precise reason, where it has one
            self.fail(node, "indexes something other than a captured typed array")
        name = self.tr.text(node)
        if self.find_local(name, node) is not None:
            self.fail(node, "indexes the number `%s`" % name)
        self.outer(node, name)
        if name in self.k.scalars:
            self.fail(node, "uses `%s` both as a number and as an array" % name)
        a = self.k.arrays.setdefault(name, {"write": False})
        a["write"] = a["write"] or write
        return name

    # ---- expressions ----------------------------------------------------------------------------
    def expr(self, n):
        t = n.type
        text = self.tr.text
        if t == "parenthesized_expression":
            inner = [c for c in n.named_children if c.type != "comment"]
            if len(inner) != 1:
                self.fail(n, "uses the comma operator")
            return self.expr(inner[0])
        if t == "number":
            v = parse_number(text(n))
            if v is None:
                self.fail(n, "uses a BigInt")
            # small integers take part in exact integer sums and comparisons (counter + 1)
            return E("num", "i32" if abs(v) < 2 ** 31 and v == int(v) else "f64", v)   # int(Infinity) raises
        if t in ("true", "false"):
            return E("bool", "bool", t == "true")
        if t == "identifier":
            name = text(n)
            loc = self.find_local(name, n)
            if loc is not None:
                return E(loc[0], loc[2], loc[1])
            if name in ("undefined", "NaN", "Infinity") and self.tr.lookup(name) is None:
                return E("num", "f64", {"undefined": float("nan"), "NaN": float("nan"), "Infinity": float("inf")}[name])
            self.outer(n, name)
            if name in self.k.arrays:
                self.fail(n, "uses the array `%s` as a value (only `%s[i]` and `%s.length` are allowed)" % (name, name, name))
            if name not in self.k.scalars:
                self.k.scalars.append(name)
            return E("scalar", "f64", "s_" + c_ident(name))
        if t == "subscript_expression":
            if any(c.type == "optional_chain" for c in n.children):
                self.fail(n, "uses optional chaining")
            arr = self.array(n.child_by_field_name("object"))
            return E("load", "f64", arr, self.index(n.child_by_field_name("index")))
        if t == "member_expression":
            obj = unparen(n.child_by_field_name("object"))
            prop = text(n.child_by_field_name("property"))
            if obj.type == "identifier" and text(obj) == "Math" and self.tr.lookup("Math") is None:
                if prop in MATH_CONSTS:
                    return E("const", "f64", MATH_CONSTS[prop])
                self.fail(n, "reads Math.%s as a value" % prop)
            if prop == "length" and obj.type == "identifier":
                return E("len", "i64", self.array(obj))
            if obj.type not in ("identifier", "member_expression"):
                self.expr(obj)
            self.fail(n, "reads an object field")
        if t == "call_expression":
            return self.call(n)
        if t in ("undefined", "null"):
            self.fail(n, "uses `%s` (a kernel's values are numbers and booleans)" % t)
        if t == "binary_expression":
            op = text(n.child_by_field_name("operator"))
            if op not in ("&&", "||") + ARITH + BITWISE + COMPARE:
                self.fail(n, "uses the operator `%s`" % op)
            a, b = self.expr(n.child_by_field_name("left")), self.expr(n.child_by_field_name("right"))
            if op in ("&&", "||"):
                ty = "bool" if a.ty == b.ty == "bool" else "f64"
                return E("logic", ty, op, a, b)
            if op in ARITH:
                if op in ("+", "-") and a.ty in INT_TYPES and b.ty in INT_TYPES:
                    return E("bin", "i64", op, a, b)
                return E("bin", "f64", op, a, b)
            if op in BITWISE:
                return E("bin", "u32" if op == ">>>" else "i32", op, a, b)
            if op in ("===", "!==") and (maybe_bool(a) or maybe_bool(b)):
                self.fail(n, "compares with `%s` a value that is a boolean or a number depending on the data" % op)
            if op in ("===", "!==") and (a.ty == "bool") != (b.ty == "bool"):
                # a boolean is never strictly equal to a number (the operands only read memory)
                return E("bool", "bool", op == "!==")
            if op in COMPARE:
                return E("bin", "bool", op, a, b)
            self.fail(n, "uses the operator `%s`" % op)
        if t == "unary_expression":
            op = text(n.child_by_field_name("operator"))
            a = self.expr(n.child_by_field_name("argument"))
            if op == "!":
                return E("un", "bool", op, a)
            if op == "~":
                return E("un", "i32", op, a)
            if op in ("-", "+"):
                return E("un", "f64", op, a)
            self.fail(n, "uses the operator `%s`" % op)
        if t == "ternary_expression":
            c = self.expr(n.child_by_field_name("condition"))
            a = self.expr(n.child_by_field_name("consequence"))
            b = self.expr(n.child_by_field_name("alternative"))
            return E("cond", a.ty if a.ty == b.ty else "f64", c, a, b)
        if t in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            self.fail(n, "assigns inside an expression (assignments must be statements)")
        self.fail(n, ALLOCATING.get(t, "uses " + a_an(t.replace("_", " "))))

    def index(self, n):
        """An element index: a number (JS would take a boolean for a property name)."""
        e = self.expr(n)
        if e.ty == "bool" or maybe_bool(e):
            self.fail(n, "indexes with a boolean (JS would use the property named \"true\" or \"false\")")
        return e

    def call(self, n):
        f = unparen(n.child_by_field_name("function"))
        args_n = n.child_by_field_name("arguments")
        if any(c.type == "optional_chain" for c in n.children):
            self.fail(n, "uses optional chaining")
        if f.type == "member_expression":
            obj = unparen(f.child_by_field_name("object"))
            name = self.tr.text(f.child_by_field_name("property"))
            if obj.type == "identifier" and self.tr.text(obj) == "Math" and self.tr.lookup("Math") is None:
                if name == "random":
                    self.fail(n, "calls Math.random (its sequence cannot match the CPU's)")
                if name not in MATH_FUNCS:
                    self.fail(n, "calls Math.%s, which kernels do not support" % name)
                if any(a.type == "spread_element" for a in args_n.named_children):
                    self.fail(n, "spreads arguments")
                args = [self.expr(a) for a in args_n.named_children if a.type != "comment"]
                want = MATH_FUNCS[name]
                if want is not None and len(args) != want:
                    self.fail(n, "calls Math.%s with %d argument%s (kernels need exactly %d)"
                              % (name, len(args), "" if len(args) == 1 else "s", want))
                if want is None and not args:
                    self.fail(n, "calls Math.%s with no arguments" % name)
                ty = {"imul": "i32", "clz32": "i32"}.get(name, "f64")
                return E("call", ty, name, *args)
            self.fail(n, "calls a method")
        if f.type == "identifier" and self.tr.lookup(self.tr.text(f)) is None:
            self.fail(n, "calls the global function `%s` (a kernel calls Math functions only)" % self.tr.text(f))
        self.fail(n, "calls a closure")

    # ---- statements -----------------------------------------------------------------------------
    def block(self, nodes):
        # a let/const of the block shadows an outer name in all of it, before its declaration too
        # (a read there throws in JS: the kernel refuses it)
        scope = {}
        for n in nodes:
            if n.type == "lexical_declaration":
                for d in n.named_children:
                    name_n = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                    if name_n is not None and name_n.type == "identifier":
                        scope[self.tr.text(name_n)] = ("tdz",)
        self.scopes.append(scope)
        out = []
        for n in nodes:
            self.stat(n, out)
        self.scopes.pop()
        return out

    def body_of(self, n):
        return self.block(n.named_children if n.type == "statement_block" else [n])

    def stat(self, n, out):
        t = n.type
        if t in ("comment", "empty_statement"):
            return
        if t == "statement_block":
            out.append(("block", self.block(n.named_children)))
        elif t == "lexical_declaration" or t == "variable_declaration":
            kind = self.tr.text(n.children[0])
            if kind == "var":
                self.fail(n, "declares a `var` (use let or const inside a @gpu loop)")
            for d in n.named_children:
                if d.type != "variable_declarator":
                    continue
                name_n, value_n = d.child_by_field_name("name"), d.child_by_field_name("value")
                if name_n.type != "identifier":
                    self.fail(name_n, "destructures")
                value = self.expr(value_n) if value_n is not None else E("num", "f64", float("nan"))
                if maybe_bool(value):
                    self.fail(value_n, MIXED)
                # a let keeps the kind of its first value, boolean or number (the C variable has one)
                ty = value.ty if kind == "const" else ("bool" if value.ty == "bool" else "f64")
                cname = self.declare(self.tr.text(name_n), ty, kind == "const")
                out.append(("let", cname, ty, value))
        elif t == "expression_statement":
            e = unparen(n.named_children[0])
            if e.type in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
                self.assignment(e, out)
            elif e.type == "sequence_expression":
                for part in _flatten_sequence(e):
                    self.stat_expr(part, out)
            else:
                out.append(("expr", self.expr(e)))
        elif t == "if_statement":
            c = self.expr(n.child_by_field_name("condition"))
            then = self.body_of(n.child_by_field_name("consequence"))
            alt = n.child_by_field_name("alternative")
            if alt is not None:
                alt = [x for x in alt.named_children if x.type != "comment"][0]
                alt = self.body_of(alt)
            out.append(("if", c, then, alt))
        elif t == "while_statement":
            c = self.expr(n.child_by_field_name("condition"))
            self.loops.append("while")
            out.append(("while", c, self.body_of(n.child_by_field_name("body"))))
            self.loops.pop()
        elif t == "do_statement":
            self.loops.append("do")
            body = self.body_of(n.child_by_field_name("body"))
            self.loops.pop()
            out.append(("do", body, self.expr(n.child_by_field_name("condition"))))
        elif t == "for_statement":
            prev = n.prev_sibling
            if prev is not None and prev.type == "comment" and "@gpu" in self.tr.text(prev):
                from . import gpu_mark
                if gpu_mark(self.tr, n) is not None:
                    raise self.tr.unsupported(prev, "an inner @gpu loop adds a dimension only as the only statement "
                                                    "of a marked loop's body (this one would run inside each thread)")
            self.scopes.append({})
            init_n = n.child_by_field_name("initializer")
            init = []
            if init_n is not None and init_n.type in ("lexical_declaration", "variable_declaration",
                                                     "expression_statement", "empty_statement"):
                self.stat(init_n, init)
            elif init_n is not None:                       # for (j = 0, k = 1; ...)
                for part in _flatten_sequence(unparen(init_n)):
                    self.stat_expr(part, init)
            cond_n = n.child_by_field_name("condition")
            if cond_n is not None and cond_n.type == "expression_statement":
                cond_n = cond_n.named_children[0] if cond_n.named_children else None
            if cond_n is not None and cond_n.type == "empty_statement":
                cond_n = None
            cond = self.expr(cond_n) if cond_n is not None else None
            inc = []
            inc_n = n.child_by_field_name("increment")
            if inc_n is not None:
                for part in _flatten_sequence(unparen(inc_n)):
                    self.stat_expr(part, inc)
            self.loops.append("for")
            body = self.body_of(n.child_by_field_name("body"))
            self.loops.pop()
            self.scopes.pop()
            out.append(("for", init, cond, inc, body))
        elif t in ("break_statement", "continue_statement"):
            if n.child_by_field_name("label") is not None:
                self.fail(n, "jumps to a label")
            if not self.loops:
                if t == "break_statement":
                    self.fail(n, "leaves the loop with break (every iteration is a thread)")
                out.append(("next",))       # continue of the marked loop: this thread is done
            else:
                out.append(("break" if t == "break_statement" else "continue", self.loops[-1]))
        elif t == "return_statement":
            self.fail(n, "returns from the enclosing function")
        elif t == "throw_statement":
            self.fail(n, "throws")
        elif t in ("function_declaration", "generator_function_declaration", "class_declaration"):
            self.fail(n, "declares a function or class")
        else:
            self.fail(n, "uses " + a_an(t.replace("_", " ")))

    def stat_expr(self, e, out):
        e = unparen(e)
        if e.type in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            self.assignment(e, out)
        else:
            out.append(("expr", self.expr(e)))

    def assignment(self, n, out):
        t = n.type
        if t == "update_expression":
            target = unparen(n.child_by_field_name("argument"))
            op = "+" if self.tr.text(n.child_by_field_name("operator")) == "++" else "-"
            value = None
        else:
            target = unparen(n.child_by_field_name("left"))
            raw = self.tr.text(n.child_by_field_name("operator")) if t == "augmented_assignment_expression" else "="
            op = None if raw == "=" else raw[:-1]
            value = n.child_by_field_name("right")
        if op in ("&&", "||", "??"):
            self.fail(n, "uses the logical assignment `%s=`" % op)
        if target.type == "subscript_expression":
            if any(c.type == "optional_chain" for c in target.children):
                self.fail(target, "uses optional chaining")
            arr = self.array(target.child_by_field_name("object"), write=True)
            idx = self.index(target.child_by_field_name("index"))
            v = self.expr(value) if value is not None else E("num", "f64", 1.0)
            out.append(("store", arr, idx, op, v))
            return
        if target.type != "identifier":
            self.fail(target, "assigns %s" % ("an object field" if target.type == "member_expression" else "a pattern"))
        name = self.tr.text(target)
        loc = self.find_local(name, target)
        if loc is not None:
            if loc[0] == "counter":
                self.fail(target, "assigns the loop counter `%s`" % name)
            if loc[3]:
                self.fail(target, "assigns the constant `%s`" % name)
            v = self.expr(value) if value is not None else E("num", "f64", 1.0)
            if maybe_bool(v):
                self.fail(value, MIXED)
            if op is not None:
                if loc[2] == "bool":
                    self.fail(n, "computes with the boolean `%s` (a variable keeps one type in a kernel)" % name)
                v = combine(op, E("local", loc[2], loc[1]), v)
            if (v.ty == "bool") != (loc[2] == "bool"):
                self.fail(n, "assigns a %s to `%s`, which holds a %s (a variable keeps one type in a kernel)"
                          % (("boolean", name, "number") if v.ty == "bool" else ("number", name, "boolean")))
            out.append(("set", loc[1], v, loc[2]))
            return
        self.reduction(n, target, name, op, value, out)

    def reduction(self, n, target, name, op, value, out):
        b = self.tr.lookup(name)
        if b is None:
            self.fail(target, "assigns the global `%s`" % name)
        if name in self.k.arrays:
            self.fail(target, "assigns the array `%s` (a kernel writes its elements, `%s[i] = e`)" % (name, name))
        if b.kind == "const":
            self.fail(target, "assigns the constant `%s`" % name)
        if b.kind == "import":
            self.fail(target, "assigns the imported binding `%s`" % name)
        if op in ("+", "*") and value is not None:
            rop, e = op, value
        elif op is None and value is not None and unparen(value).type == "call_expression":
            call = unparen(value)
            f = unparen(call.child_by_field_name("function"))
            args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
            fname = self.tr.text(f) if f.type == "member_expression" else ""
            if fname in ("Math.max", "Math.min") and len(args) != 2 and any(
                    unparen(a).type == "identifier" and self.tr.text(unparen(a)) == name for a in args):
                self.fail(call, "reduces `%s` with %s of %d arguments (a reduction is `%s = %s(%s, e)`)"
                          % (name, fname, len(args), name, fname, name))
            if fname not in ("Math.max", "Math.min") or len(args) != 2 or not any(
                    unparen(a).type == "identifier" and self.tr.text(unparen(a)) == name for a in args):
                self.fail(target, "assigns the outer variable `%s` (a reduction must be `%s += e`, `%s *= e`, "
                          "`%s = Math.max(%s, e)` or `%s = Math.min(%s, e)`)" % ((name,) * 7))
            rop = fname[5:]
            e = args[1] if unparen(args[0]).type == "identifier" and self.tr.text(unparen(args[0])) == name else args[0]
        else:
            self.fail(target, "assigns the outer variable `%s` (a reduction must be `%s += e`, `%s *= e`, "
                      "`%s = Math.max(%s, e)` or `%s = Math.min(%s, e)`)" % ((name,) * 7))
        prev = dict(self.k.reductions).get(name)
        if prev is not None and prev != rop:
            self.fail(target, "reduces `%s` with two different operations" % name)
        if name in self.k.scalars or name in self.k.arrays:
            self.fail(target, "reads the reduction variable `%s` outside its reduction" % name)
        self.reducing = name
        expr = self.expr(e)
        self.reducing = None
        if prev is None:
            self.k.reductions.append((name, rop))
        out.append(("reduce", "r_" + c_ident(name), rop, expr))


def a_an(what):
    return ("an " if what[0] in "aeiou" else "a ") + what


MIXED = "holds a boolean or a number depending on the data (a variable keeps one type in a kernel)"


def maybe_bool(e):
    """Whether e, typed as a number, may hold a boolean: a conditional or a logical operator
    choosing between a boolean and a number (`x || i > 2`). As a number it is right (JS converts
    the boolean alike); `===`, an index or a variable would see the difference."""
    if e.kind not in ("cond", "logic") or e.ty == "bool":
        return False
    a, b = e.args[1], e.args[2]
    return a.ty == "bool" or b.ty == "bool" or maybe_bool(a) or maybe_bool(b)


def combine(op, a, b):
    """`a op b` for a compound assignment's operator."""
    if op in ARITH:
        return E("bin", "i64" if op in ("+", "-") and a.ty in INT_TYPES and b.ty in INT_TYPES else "f64", op, a, b)
    if op in BITWISE:
        return E("bin", "u32" if op == ">>>" else "i32", op, a, b)
    raise Unsupported(op)


def unparen(n):
    while n is not None and n.type == "parenthesized_expression":
        inner = [c for c in n.named_children if c.type != "comment"]
        if len(inner) != 1:
            break
        n = inner[0]
    return n


def _flatten_sequence(n):
    if n.type == "sequence_expression":
        out = []
        for c in n.named_children:
            out.extend(_flatten_sequence(c))
        return out
    return [n]
