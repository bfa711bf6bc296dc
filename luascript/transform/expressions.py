"""Operators, names, member access, calls and assignments."""
from ..lua import ast as L
from .context import LUA_MATH, Transformer, is_stable
from ..lua.printer import is_name
from .literals import is_bigint, join_strings, parse_number, regex_site, string_value, utf8

visitor = Transformer.visitor

ARITH = {"-": "-", "*": "*", "/": "/"}
COMPARE = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
BITWISE = {"|": "bor", "&": "band", "^": "bxor", "<<": "shl", ">>": "sar", ">>>": "shr"}
BOOL_OPS = {"===", "!==", "==", "!=", "<", "<=", ">", ">=", "instanceof", "in"}


def named(node):
    """The named children but comments (`//`, `/* */` and Annex B's `<!--`, tree-sitter's extras)."""
    return [c for c in node.named_children if not c.is_extra]


def unparen(node):
    while node.type == "parenthesized_expression":
        node = named(node)[0]
    return node


def is_await_subscript(tr, node):
    if node.type != "subscript_expression":
        return False
    o = node.child_by_field_name("object")
    return o.type == "identifier" and tr.text(o) == "await" and tr.lookup("await") is None


def is_await_call(tr, node):
    """`await (x)` in an async function, which tree-sitter reads as a call of a variable named await."""
    if node.type != "call_expression":
        return False
    f, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    return f.type == "identifier" and args is not None and args.type == "arguments" and tr.text(f) == "await" \
        and tr.func is not None and tr.func.is_async and tr.lookup("await") is None


def await_chain_base(tr, node):
    """The mis-parsed `await[...]` or `await(...)` at the bottom of a member/call chain, if any."""
    n = node
    while n.type in ("member_expression", "subscript_expression", "call_expression"):
        if is_await_subscript(tr, n) or is_await_call(tr, n):
            return n
        n = n.child_by_field_name("function") if n.type == "call_expression" else n.child_by_field_name("object")
    return None


# ---- static types --------------------------------------------------------------------------------
def bigint_operand(tr, n):
    """Whether n is a BigInt literal, or arithmetic with one among its operands (2n ** k, -5n)."""
    n = unparen(n)
    if n is None:
        return False
    if is_bigint(tr, n):
        return True
    if n.type == "binary_expression":
        return any(bigint_operand(tr, n.child_by_field_name(f)) for f in ("left", "right"))
    if n.type == "unary_expression":
        return bigint_operand(tr, n.child_by_field_name("argument"))
    return False


def ty(tr, node):
    """'number', 'string', 'boolean' when the expression's type is provable, else None."""
    t = node.type
    if t == "parenthesized_expression":
        inner = named(node)
        return ty(tr, inner[-1]) if inner else None
    if t == "number":
        return None if is_bigint(tr, node) else "number"
    if t in ("string", "template_string"):
        return "string"
    if t in ("true", "false"):
        return "boolean"
    if t == "binary_expression":
        op = tr.text(node.child_by_field_name("operator"))
        if op in BOOL_OPS:
            return "boolean"
        if op == "+":
            a, b = ty(tr, node.child_by_field_name("left")), ty(tr, node.child_by_field_name("right"))
            if a == "string" or b == "string":
                return "string"
            if a == "number" and b == "number":
                return "number"
            return None
        if op in ("-", "*", "/", "%", "**") or op in BITWISE:
            # (a BigInt is the one other result: taken as one where a BigInt literal is an operand)
            if op != ">>>" and any(bigint_operand(tr, node.child_by_field_name(f)) for f in ("left", "right")):
                return None
            return "number"
        return None
    if t == "unary_expression":
        op = tr.text(node.child_by_field_name("operator"))
        if op == "!" or op == "delete":
            return "boolean"
        if op in ("-", "~") and bigint_operand(tr, node.child_by_field_name("argument")):
            return None
        if op in ("-", "+", "~"):
            return "number"
        if op == "typeof":
            return "string"
        return None
    if t == "update_expression":
        return "number"
    if t == "call_expression":
        return "number" if numeric.is_math_call(tr, node) else None
    if t == "identifier":
        b = tr.lookup(tr.text(node))
        return b.ty if b is not None else None
    if t == "assignment_expression":
        return ty(tr, node.child_by_field_name("right"))
    if t == "augmented_assignment_expression":
        op = tr.text(node.child_by_field_name("operator"))
        if op in ("-=", "*=", "/=", "%=", "**=", "|=", "&=", "^=", "<<=", ">>=", ">>>="):
            return "number"
    return None


Transformer.ty = ty


def lua_truthy_value(e):
    """Lua values that are certainly neither nil nor false (safe in `c and X or Y`)."""
    return isinstance(e, (L.Num, L.Str, L.Table, L.Func)) or (isinstance(e, L.Lit) and e.text == "true") \
        or (isinstance(e, L.BinOp) and e.op == "..")


# ---- boolean context ---------------------------------------------------------------------------
def cond(tr, node, first=False):
    """The expression as a Lua boolean (for if/while/&&/||/!). `first`: nothing else of its
    statement is evaluated before it, so a call's result may be held in a local."""
    node = unparen(node)
    t = node.type
    if t == "unary_expression" and tr.text(node.child_by_field_name("operator")) == "!":
        return L.UnOp("not", cond(tr, node.child_by_field_name("argument"), first), tr.pos(node))
    if t == "binary_expression":
        op = tr.text(node.child_by_field_name("operator"))
        if op in ("&&", "||"):
            left = cond(tr, node.child_by_field_name("left"), first)
            right, pre = tr.capture(cond, tr, node.child_by_field_name("right"))
            if not pre:
                return L.BinOp("and" if op == "&&" else "or", left, right, tr.pos(node))
            t_ = tr.temp("c")
            tr.emit(L.Local([t_], [left]))
            test = L.Name(t_) if op == "&&" else L.UnOp("not", L.Name(t_))
            tr.emit(L.If([(test, pre + [L.Assign([L.Name(t_)], [right])])]))
            return L.Name(t_)
    e = tr.expr(node)
    kind = ty(tr, node)
    if kind == "boolean":
        return e
    if first and tr.optimize and kind is None and t == "call_expression":
        return boolean_first(tr, tr.to_temp(e, "c"), tr.pos(node))
    return L.Call(tr.h("truthy"), [e], tr.pos(node))


def boolean_first(tr, v, pos):
    """truthy(v) for a value that is most often a boolean (what `if (x.isEmpty())` tests): the
    comparisons fold away in a trace, and where the test runs interpreted (recursive methods)
    they cost less than the call to truthy."""
    not_false = L.BinOp("~=", v, L.Lit("false"))
    return L.BinOp("or", L.BinOp("==", v, L.Lit("true")),
                   L.BinOp("and", not_false, L.Call(tr.h("truthy"), [v])), pos)


Transformer.cond = cond


# ---- names ----------------------------------------------------------------------------------------
@visitor("identifier")
def identifier(tr, node):
    if tr.with_depth:
        objs = tr.with_objects(tr.text(node))
        if objs:
            return tr.with_read(objs, tr.text(node), lambda: plain_identifier(tr, node), tr.pos(node))
    return plain_identifier(tr, node)


def declared_within(b, func):
    """Whether binding b belongs to func or to a function nested in it."""
    f = b.func
    while f is not None and f is not func:
        f = f.parent
    return f is func


def array_elements(node):
    """The elements of an array literal or pattern, None for each hole."""
    elems = []
    expect = True
    for c in node.children:
        if c.type == "[":
            continue
        if c.type == ",":
            if expect:
                elems.append(None)      # hole
            expect = True
            continue
        if c.type == "]" or c.is_extra:
            continue
        elems.append(c)
        expect = False
    return elems


PLAIN_TARGETS = frozenset(("identifier", "member_expression", "subscript_expression"))


def array_literal_pairs(pattern, value):
    """(targets, values) of `[a, b] = [x, y]`, a pattern of plain targets without holes, defaults
    or rest and a literal without holes or spreads; None for any other."""
    if value is None or value.type != "array":
        return None
    targets, values = array_elements(pattern), array_elements(value)
    if any(t is None or t.type not in PLAIN_TARGETS for t in targets) or \
            any(v is None or v.type == "spread_element" for v in values):
        return None
    return targets, values


def tdz_guard(tr, b, node, pos):
    """A use of binding b at node that may be in its temporal dead zone: the read that throws or
    checks (None where it cannot be)."""
    if not b.tdz:
        return None
    if b.decl_byte is not None and node.start_byte < b.decl_byte and b.func is tr.func \
            and not getattr(tr, "in_class_body", False):
        # a use that textually precedes the declaration in the same function always hits the TDZ
        return L.Call(tr.h("tdz"), [L.Str(b.name)], pos)
    if b._decl_stmt is not None and (b.switch_tdz or (b._predeclared and not b._bound and not b.early_safe)):
        # a closure that may run before the declaration, or another case of a switch: the
        # binding starts uninitialised
        tr.start_in_tdz(b)
        return L.Call(tr.h("tdzcheck"), [b.ref(pos), L.Str(b.name)], pos)
    return None


# what a CommonJS module's code sees (an ES module's does not: its free names are globals)
COMMONJS_NAMES = frozenset(("module", "exports", "require", "__filename", "__dirname"))


def at_module_top(tr):
    """Whether code here sees the module's own this and arguments (no function of its own)."""
    f = tr.code_func()
    return f is None or f.kind == "module"


def reads_property_of(node):
    """Whether node is the object of a property read (`node.k`, `node[k]`) that is no method
    call, store or delete: all such a use can see of the object is that property."""
    p = node.parent
    if p is None or p.type not in ("member_expression", "subscript_expression") \
            or p.child_by_field_name("object") != node:
        return False
    while p.parent is not None and p.parent.type == "parenthesized_expression":
        p = p.parent
    gp = p.parent
    if gp is None:
        return True
    if gp.type == "call_expression" and gp.child_by_field_name("function") == p:
        return False
    if gp.type in ("assignment_expression", "augmented_assignment_expression") \
            and gp.child_by_field_name("left") == p:
        return False
    if gp.type == "update_expression" or gp.type == "unary_expression" and \
            gp.child_by_field_name("operator").type == "delete":
        return False
    return True


def plain_identifier(tr, node):
    name = tr.text(node)
    b = tr.lookup(name)
    pos = tr.pos(node) + (name,)
    if name == "arguments" and b is not None and tr.func_arguments() and not declared_within(b, tr.code_func()):
        b = None   # a function's own arguments object hides an outer function's `arguments` variable
    if b is not None:
        guard = tdz_guard(tr, b, node, pos)
        return b.ref(pos) if guard is None else guard
    if name == "undefined":
        return L.Lit("nil", pos)
    if name == "arguments" and not tr.is_esm and at_module_top(tr):
        # a CommonJS module's top level: the arguments of node's module wrapper
        wrapper = ("exports", "require", "module", "__filename", "__dirname")
        tr.module_refs.update(wrapper)
        return L.Call(tr.h("args_full"), [L.Call(tr.h("arguments"), [L.Name(n) for n in wrapper])], pos)
    if name == "arguments" and tr.func_arguments():
        if reads_property_of(node):
            return L.Name("arguments", pos)
        # the object goes somewhere: complete it first (ljs/varargs.lua, R.arguments says why)
        return L.Call(tr.h("args_full"), [L.Name("arguments")], pos)
    if name in COMMONJS_NAMES and not tr.is_esm:
        tr.module_refs.add(name)
        return L.Name(name if name != "require" else "require", pos)
    return global_ref(tr, name, pos)


# Globals every program has: read directly from the global object. Other unresolved names go
# through a helper that raises ReferenceError when the global does not exist.
KNOWN_GLOBALS = frozenset("""console Math Object Array String Number Boolean Symbol JSON Map Set WeakMap WeakSet
Promise Error TypeError RangeError SyntaxError ReferenceError EvalError URIError AggregateError RegExp Function
Reflect globalThis process parseInt parseFloat isNaN isFinite NaN Infinity setTimeout setInterval clearTimeout
clearInterval setImmediate clearImmediate queueMicrotask performance ArrayBuffer Float32Array Float64Array
Int8Array Int16Array Int32Array Uint8Array Uint16Array Uint32Array Uint8ClampedArray encodeURIComponent
decodeURIComponent encodeURI decodeURI structuredClone Date URL URLSearchParams TextEncoder TextDecoder
DataView atob btoa Proxy""".split())


def global_ref(tr, name, pos=None):
    tr.helpers_used.add("G")
    if name in KNOWN_GLOBALS:
        return L.Index(L.Name("J0_G"), L.Str(name), pos)
    if tr.repl is not None:
        # the REPL: a later input may declare the name (let, const, class in the session's table)
        return L.Call(tr.h("repl_get"), [L.Name("J0_L"), L.Str(name)], pos)
    return L.Call(tr.h("global"), [L.Str(name)], pos)


@visitor("this")
def this(tr, node):
    f = tr.func
    # (an arrow may run after super() even when written before it: only direct uses count)
    if f is not None and f.is_derived_ctor and not getattr(f, "super_seen", False):
        # `this` in a derived constructor before super() runs is in its TDZ
        return L.Call(tr.h("this_before_super"), [], tr.pos(node))
    return L.Name("this", tr.pos(node))


@visitor("parenthesized_expression")
def parenthesized(tr, node):
    inner = named(node)
    if len(inner) == 1:
        return tr.expr(inner[0])
    raise tr.error(node, "unexpected parenthesized expression")


@visitor("sequence_expression")
def sequence(tr, node):
    parts = named(node)
    tr.effects(parts[:-1])
    return tr.expr(parts[-1])


# ---- operators ------------------------------------------------------------------------------------
def binary_values(tr, node):
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    a, b = tr.exprs_in_order([left, right])
    return left, right, a, b


@visitor("binary_expression")
def binary(tr, node):
    op = tr.text(node.child_by_field_name("operator"))
    pos = tr.pos(node)
    if op in ("&&", "||", "??"):
        return logical(tr, node, op)
    if op == "in" and node.child_by_field_name("left").type == "private_property_identifier":
        obj = tr.expr(node.child_by_field_name("right"))
        key = tr.private_key(node.child_by_field_name("left"))
        return L.Call(tr.h("has_private"), [obj, key], pos)
    left, right, a, b = binary_values(tr, node)
    ta, tb = ty(tr, left), ty(tr, right)
    if op == "+":
        if ta == "number" and tb == "number":
            return L.BinOp("+", a, b, pos)
        if ta == "string" and tb == "string":
            out = join_strings(tr, [a, b])
            out.pos = pos
            return out
        if ta == "string" and tb in ("number", "boolean"):
            return L.BinOp("..", a, L.Call(tr.h("catv"), [b]), pos)
        if tb == "string" and ta in ("number", "boolean"):
            return L.BinOp("..", L.Call(tr.h("catv"), [a]), b, pos)
        return L.Call(tr.h("add"), [a, b], pos)
    if op in ARITH:
        # non-numbers reach the arithmetic metamethods that the runtime installs
        if ta != "number":
            a = num_operand(tr, a, ta)
        if tb != "number":
            b = num_operand(tr, b, tb)
        return L.BinOp(ARITH[op], a, b, pos)
    if op == "%":
        return L.Call(tr.h("mod"), [a, b], pos)
    if op == "**":
        return L.Call(tr.h("pow"), [a, b], pos)
    if op in ("===", "!=="):
        return identical(tr, a, b, ta, tb, op == "!==", pos)
    if op in ("==", "!="):
        res = loose_eq(tr, left, right, a, b, pos)
        return res if op == "==" else L.UnOp("not", res, pos)
    if op in COMPARE:
        if (ta == tb and ta in ("number", "string")):
            return L.BinOp(op, a, b, pos)
        return L.Call(tr.h(COMPARE[op]), [a, b], pos)
    if op in BITWISE:
        if op == "|" and right.type == "number" and tr.text(right) == "0":
            return L.Call(tr.h("toint32"), [a], pos)
        if op == ">>>" and right.type == "number" and tr.text(right) == "0":
            return L.Call(tr.h("touint32"), [a], pos)
        return L.Call(tr.h(BITWISE[op]), [a, b], pos)
    if op == "instanceof":
        return L.Call(tr.h("instanceof"), [a, b], pos)
    if op == "in":
        return L.Call(tr.h("has"), [b, a], pos)
    raise tr.unsupported(node, "unsupported operator %s" % op)


def num_operand(tr, e, t):
    # Strings convert natively in Lua arithmetic but with Lua's rules ("0x1p4", " inf "):
    # booleans, null and undefined reach metamethods. Literal booleans are folded here.
    if t == "boolean" and isinstance(e, L.Lit):
        return L.Num(1 if e.text == "true" else 0)
    if t == "string":
        return L.Call(tr.h("tonum"), [e])
    return e


def identical(tr, a, b, ta, tb, negate, pos):
    """a === b. Two tables compared with Lua's == make a trace check the first one's metatable
    for __eq; no JS value needs one (BigInts are interned), so unless one side is a primitive
    the comparison is rawequal, which a trace compiles to one reference comparison."""
    primitive = (L.Lit, L.Num, L.Str)
    if ta or tb or isinstance(a, primitive) or isinstance(b, primitive) or not tr.optimize:
        return L.BinOp("~=" if negate else "==", a, b, pos)
    same = L.Call(tr.h("rawequal"), [a, b], pos)
    return L.UnOp("not", same, pos) if negate else same


def is_null(tr, e):
    """e === null"""
    return L.Call(tr.h("rawequal"), [e, tr.h("null")])


def loose_eq(tr, left, right, a, b, pos):
    lt, rt = unparen(left).type, unparen(right).type
    if rt in ("null", "undefined") or lt in ("null", "undefined"):
        other = a if rt in ("null", "undefined") else b
        if not is_stable(other) and not isinstance(other, L.Name):
            other = tr.to_temp(other)
        return L.BinOp("or", L.BinOp("==", other, L.Lit("nil")), is_null(tr, other), pos)
    ta, tb = ty(tr, left), ty(tr, right)
    if ta is not None and ta == tb:
        return L.BinOp("==", a, b, pos)
    return L.Call(tr.h("eq"), [a, b], pos)


def logical(tr, node, op):
    left_n, right_n = node.child_by_field_name("left"), node.child_by_field_name("right")
    pos = tr.pos(node)
    tl = ty(tr, left_n)
    a = tr.expr(left_n)
    b, pre = tr.capture(tr.expr, right_n)
    if not pre:
        if tl == "boolean":
            if op == "&&":
                return L.BinOp("and", a, b, pos)
            if op == "||":
                return L.BinOp("or", a, b, pos)
        if op == "||" and isinstance(a, L.Name):
            return L.BinOp("or", L.BinOp("and", L.Call(tr.h("truthy"), [a]), a), b, pos)
        if op == "&&" and isinstance(a, L.Name) and lua_truthy_value(b):
            return L.BinOp("or", L.BinOp("and", L.Call(tr.h("truthy"), [a]), b), a, pos)
    t = tr.temp("v")
    tr.emit(L.Local([t], [a]))
    tv = L.Name(t)
    if op == "&&":
        test = tv if tl == "boolean" else L.Call(tr.h("truthy"), [tv])
    elif op == "||":
        test = L.UnOp("not", tv) if tl == "boolean" else L.UnOp("not", L.Call(tr.h("truthy"), [tv]))
    else:
        test = L.BinOp("or", L.BinOp("==", tv, L.Lit("nil")), is_null(tr, tv))
    tr.emit(L.If([(test, pre + [L.Assign([tv], [b])])], None, pos))
    return L.Name(t, pos)


@visitor("ternary_expression")
def ternary(tr, node):
    pos = tr.pos(node)
    c = tr.cond(node.child_by_field_name("condition"))
    x, pre_x = tr.capture(tr.expr, node.child_by_field_name("consequence"))
    y, pre_y = tr.capture(tr.expr, node.child_by_field_name("alternative"))
    if not pre_x and not pre_y and lua_truthy_value(x):
        return L.BinOp("or", L.BinOp("and", c, x), y, pos)
    t = tr.temp("v")
    tr.emit(L.Local([t]))
    tr.emit(L.If([(c, pre_x + [L.Assign([L.Name(t)], [x])])], pre_y + [L.Assign([L.Name(t)], [y])], pos))
    return L.Name(t, pos)


@visitor("unary_expression")
def unary(tr, node):
    op = tr.text(node.child_by_field_name("operator"))
    arg = node.child_by_field_name("argument")
    pos = tr.pos(node)
    if op == "!":
        return L.UnOp("not", tr.cond(arg), pos)
    if op == "typeof":
        a = unparen(arg)
        name = tr.text(a) if a.type == "identifier" else None
        # (`arguments` is a function's own, or a CommonJS module's; an ES module has none)
        own_arguments = name == "arguments" and (tr.func_arguments() or at_module_top(tr) and not tr.is_esm)
        if name is not None and tr.lookup(name) is None and name != "undefined" and not own_arguments \
                and not (name in COMMONJS_NAMES and not tr.is_esm):
            # an undeclared name is "undefined", not a ReferenceError; read through the global object's
            # metatable, which serves NaN, the lazily loaded globals and Object.prototype's keys
            tr.helpers_used.add("G")
            global_v = L.Index(L.Name("J0_G"), L.Str(name))
            if tr.repl is not None:   # (the REPL: or a let of a later input, luascript/repl.py)
                global_v = L.Call(tr.h("repl_peek"), [L.Name("J0_L"), L.Str(name)])
            objs = tr.with_objects(name) if tr.with_depth else ()
            v = tr.with_read(objs, name, lambda: global_v) if objs else global_v
            return L.Call(tr.h("typeof"), [v], pos)
        return L.Call(tr.h("typeof"), [tr.expr(arg)], pos)
    if op == "void":
        tr.expr_stat(arg)
        return L.Lit("nil", pos)
    if op == "-":
        if arg.type == "number" and not is_bigint(tr, arg):
            v = tr.expr(arg)
            return L.Num(-v.value, pos)
        e = tr.expr(arg)
        if ty(tr, arg) == "number":
            return L.UnOp("-", e, pos)
        return L.Call(tr.h("neg"), [e], pos)
    if op == "+":
        e = tr.expr(arg)
        if ty(tr, arg) == "number":
            return e
        return L.Call(tr.h("tonum"), [e], pos)
    if op == "~":
        return L.Call(tr.h("bnot"), [tr.expr(arg)], pos)
    if op == "delete":
        a = unparen(arg)
        helper = tr.h("delete")
        if a.type == "member_expression":
            obj = tr.expr(a.child_by_field_name("object"))
            return L.Call(helper, [obj, L.Str(tr.text(a.child_by_field_name("property")))], pos)
        if a.type == "subscript_expression":
            obj, key = tr.exprs_in_order([a.child_by_field_name("object"), a.child_by_field_name("index")])
            return L.Call(helper, [obj, key], pos)
        if a.type in ("identifier", "undefined"):
            return delete_name(tr, tr.text(a), pos)
        tr.expr_stat(arg)
        return L.Lit("true", pos)
    raise tr.unsupported(node, "unsupported operator %s" % op)


def delete_name(tr, name, pos):
    """`delete name` (sloppy code only): a declared binding stays (false); otherwise the global
    object's property goes, if it is configurable; a with statement's object that has the name
    loses it instead."""
    if tr.lookup(name) is not None or name == "arguments" and tr.code_func() is not None \
            or name == "undefined":     # (the global undefined is no raw key to ask about)
        base = L.Lit("false", pos)
    else:
        base = L.Call(tr.h("delete"), [L.Name("J0_G"), L.Str(name)], pos)
    objs = tr.with_objects(name)
    if not objs:
        return base
    t = tr.temp("del")
    tr.emit(L.Local([t]))
    tr.emit(L.If([(L.Call(tr.h("with_has"), [o, L.Str(name)]),
                   [L.Assign([L.Name(t)], [L.Call(tr.h("delete"), [o, L.Str(name)])])]) for o in objs],
                 [L.Assign([L.Name(t)], [base])]))
    return L.Name(t, pos)


# ---- member access ---------------------------------------------------------------------------------
def prop_name(tr, node):
    """Static property name of a member_expression's property node."""
    return tr.text(node)


def member_get(tr, obj, key_node, pos, key_expr=None):
    """obj.key / obj[key] as a Lua expression."""
    if key_node is not None and key_node.type == "private_property_identifier":
        return L.Call(tr.h("privget"), [obj, tr.private_key(key_node)], pos)
    if key_expr is None:
        return L.Index(obj, L.Str(prop_name(tr, key_node)), pos)
    return key_expr


@visitor("member_expression")
def member(tr, node):
    if tr.may_chain_optionally and has_optional(node):
        return optional_chain(tr, node)
    obj_n = node.child_by_field_name("object")
    prop = node.child_by_field_name("property")
    pos = tr.pos(node)
    if obj_n.type == "super":
        return tr.super_get(L.Str(tr.text(prop)), pos)
    count = strings.counted_length(tr, node)
    if count is not None:
        return count
    obj = tr.expr(obj_n)
    if prop.type == "private_property_identifier":
        return L.Call(tr.h("privget"), [obj, tr.private_key(prop)], pos)
    if tr.text(prop) == "__proto__":
        return L.Call(tr.h("proto_get"), [obj], pos)
    return L.Index(obj, L.Str(utf8(tr.text(prop))), pos)


def index_key(tr, idx_node, key):
    """Lua expression for obj[key] and whether it is raw: True when the key is a plain string or
    a number's key, "index" when it is an integer the compiler proves to be at least 0."""
    t = ty(tr, idx_node)
    if idx_node.type == "number" and not is_bigint(tr, idx_node):
        v = key.value
        # the bound test comes first: int() of 1e400 (Infinity) raises
        if v >= 0 and v < 4294967295 and v == int(v):
            return key, "index"
        return L.Str(js_number_key(v)), True
    if idx_node.type == "string":
        s = string_value(tr, idx_node)
        # (obj["__proto__"] is the accessor's, as obj.__proto__ is: R.get and R.put see to it)
        if not (s[:1].isdigit()) and s != "__proto__":
            return key, True
        return key, False
    if t == "number":
        # numbers that are not array indices (-1, 0.5) name string keys ("-1", "0.5")
        lo = loops.lower_bound(tr, idx_node)
        if lo is not None and lo >= 0:
            return key, "index"
        return L.Call(tr.h("nkey"), [key]), True
    return key, False


def js_number_key(v):
    """Number::toString(v): the property key a number literal names."""
    import math
    v = float(v)
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    # shortest round-trip digits d and exponent n with |v| = 0.d * 10^n (repr gives the digits)
    mant, _, exp = repr(abs(v)).partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    n = len(whole) + int(exp or 0) - (len(whole + frac) - len((whole + frac).lstrip("0")))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * -n + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + out


@visitor("subscript_expression")
def subscript(tr, node):
    if tr.may_chain_optionally and has_optional(node):
        return optional_chain(tr, node)
    obj_n, idx_n = node.child_by_field_name("object"), node.child_by_field_name("index")
    pos = tr.pos(node)
    if obj_n.type == "super":
        return tr.super_get(tr.expr(idx_n), pos)
    if is_await_subscript(tr, node):
        # tree-sitter reads `await [a, b]` as indexing a variable named await; the await itself
        # is applied to the whole chain by Transformer.expr
        items = named(idx_n) if idx_n.type == "sequence_expression" else [idx_n]
        return tr.array_from_items(items, pos)
    obj, key = tr.exprs_in_order([obj_n, idx_n])
    key, raw = index_key(tr, idx_n, key)
    if raw:
        return L.Index(obj, key, pos)
    return L.Call(tr.h("get"), [obj, key], pos)


# ---- optional chains ---------------------------------------------------------------------------------
def has_optional(node):
    """Whether a member/call/subscript chain has an optional link, at node or below it."""
    n = node
    while n.type in ("member_expression", "subscript_expression", "call_expression"):
        if n.child_by_field_name("optional_chain") is not None:
            return True
        n = n.child_by_field_name("object") if n.type != "call_expression" else n.child_by_field_name("function")
        if n is None:
            return False
    return False


def optional_chain(tr, node):
    """a?.b.c(): evaluate into a temp; the first nullish link short-circuits the whole chain."""
    pos = tr.pos(node)
    result = tr.temp("oc")
    tr.emit(L.Local([result]))
    value, _ = _chain_link(tr, node)
    # turn the guard markers into nested ifs: each guard wraps everything after it
    stmts = tr.stmts
    first = None
    for i, s in enumerate(stmts):
        if isinstance(s, tuple) and s[0] == "GUARD":
            first = i
            break
    if first is None:
        tr.emit(L.Assign([L.Name(result)], [value]))
        return L.Name(result, pos)
    head, rest = stmts[:first], stmts[first:]
    body = build_guarded(tr, rest, L.Assign([L.Name(result)], [value]))
    stmts[:] = head + body
    return L.Name(result, pos)


def _chain_link(tr, n):
    """(value expr, this expr or None) of link n of an optional chain; a `?.` emits a GUARD marker
    into tr.stmts. (A module function, not a closure: a recursive closure is a reference cycle,
    which would keep the whole compile's garbage for the cyclic collector.)"""
    t = n.type
    if t in ("member_expression", "subscript_expression"):
        obj_n = n.child_by_field_name("object")
        if obj_n.type == "super":   # super.m?.(): the method, called with this
            key = L.Str(utf8(tr.text(n.child_by_field_name("property")))) if t == "member_expression" \
                else tr.expr(n.child_by_field_name("index"))
            return tr.super_get(key, tr.pos(n)), L.Name("this")
        base, _ = _chain_link(tr, obj_n)
        base = tr.to_temp(base) if not isinstance(base, L.Name) else base
        if n.child_by_field_name("optional_chain") is not None:
            _guard(tr, base)
        if t == "member_expression":
            prop = n.child_by_field_name("property")
            if prop.type == "private_property_identifier":
                return L.Call(tr.h("privget"), [base, tr.private_key(prop)]), base
            return L.Index(base, L.Str(utf8(tr.text(prop)))), base
        idx_n = n.child_by_field_name("index")
        key = tr.expr(idx_n)
        key, raw = index_key(tr, idx_n, key)
        return (L.Index(base, key) if raw else L.Call(tr.h("get"), [base, key])), base
    if t == "call_expression":
        fn, this = _chain_link(tr, n.child_by_field_name("function"))
        fn = tr.to_temp(fn) if not isinstance(fn, L.Name) else fn
        if n.child_by_field_name("optional_chain") is not None:
            _guard(tr, fn)
        args = tr.call_args(n.child_by_field_name("arguments"))
        pos = tr.pos(n) + (callee_name(tr, n.child_by_field_name("function")),)
        return L.Call(fn, [this if this is not None else L.Lit("nil")] + args, pos), None
    if t == "parenthesized_expression":
        return _chain_link(tr, named(n)[0])
    return tr.expr(n), None


def _guard(tr, v):
    tr.emit(("GUARD", L.Name(v.name) if isinstance(v, L.Name) else v))


def build_guarded(tr, items, final):
    out = []
    for i, s in enumerate(items):
        if isinstance(s, tuple) and s[0] == "GUARD":
            v = s[1]
            test = L.BinOp("and", L.BinOp("~=", v, L.Lit("nil")), L.UnOp("not", is_null(tr, v)))
            out.append(L.If([(test, build_guarded(tr, items[i + 1:], final))]))
            return out
        out.append(s)
    out.append(final)
    return out


# ---- calls ---------------------------------------------------------------------------------------
def one_value(e):
    """A call as the last argument or list item would pass all its results: keep exactly one."""
    if isinstance(e, (L.Call, L.MethodCall, L.Vararg)):
        return L.Paren(e)
    return e


def call_args(tr, args_node):
    """Transformed argument list; spread arguments become one unpacked array."""
    if args_node is None:
        return []
    if args_node.type == "template_string":
        return tr.tagged_template_args(args_node)
    items = named(args_node)
    spreads = [a for a in items if a.type == "spread_element"]
    if spreads and spreads == items[-1:]:
        # f(a, ...xs): the arguments in order, then what xs yields, with no array between
        args = tr.exprs_in_order(items[:-1] + [named(items[-1])[0]])
        args[:-1] = [one_value(a) for a in args[:-1]]
        return args[:-1] + [L.Call(tr.h("spread"), [args[-1]])]
    if spreads:
        arr = tr.array_from_items(items, tr.pos(args_node))
        return [L.Call(tr.h("unpack"), [arr])]
    args = tr.exprs_in_order(items)
    if args:
        args[-1] = one_value(args[-1])
    return args


Transformer.call_args = call_args


def held_across_args(tr, value, args_n):
    """Compile the call's arguments after `value` (a callee or receiver already compiled); where
    they emitted statements first, value is taken into a local before them unless it is stable.
    Returns (value, args)."""
    mark = len(tr.stmts)
    args = call_args(tr, args_n)
    if len(tr.stmts) > mark and not is_stable(value):
        t = tr.temp()
        tr.stmts.insert(mark, L.Local([t], [value]))
        value = L.Name(t)
    return value, args


@visitor("call_expression")
def call(tr, node):
    fn_n = node.child_by_field_name("function")
    args_n = node.child_by_field_name("arguments")
    pos = tr.pos(node)
    if tr.may_chain_optionally and has_optional(node):
        return optional_chain(tr, node)
    if is_await_call(tr, node):
        # the await itself is applied to the whole chain by Transformer.expr; the "arguments"
        # are a parenthesised expression
        items = named(args_n)
        if not items:
            raise tr.error(args_n, "Unexpected token ')'")
        for e in items[:-1]:
            tr.expr_stat(e)
        return tr.expr(items[-1])
    f = unparen(fn_n)
    objs = tr.with_objects(tr.text(f)) if f.type == "identifier" and tr.with_depth else ()
    if objs:
        # a function found on a with object is called as its method
        this = tr.temp("wt")
        tr.emit(L.Local([this]))
        fn = tr.with_read(objs, tr.text(f), lambda: plain_identifier(tr, f), pos, this)
        return L.Call(fn, [L.Name(this)] + call_args(tr, args_n), pos)
    if f.type == "import":
        args = call_args(tr, args_n)
        return L.Call(tr.h("dynamic_import"), [L.Name("J0_M")] + args, pos)
    if f.type == "super":
        return tr.super_call(args_n, pos)
    if f.type == "member_expression":
        obj_n = f.child_by_field_name("object")
        prop = f.child_by_field_name("property")
        if obj_n.type == "super":
            fn = tr.super_get(L.Str(tr.text(prop)), pos)
            args = call_args(tr, args_n)
            return L.Call(fn, [L.Name("this")] + args, pos)
        name = tr.text(prop)
        obj = tr.expr(obj_n)
        special = tr.special_call(obj_n, name, args_n, obj, pos, f)
        if special is not None:
            return special
        if prop.type == "private_property_identifier":
            o = tr.to_temp(obj)
            args = call_args(tr, args_n)
            return L.Call(L.Call(tr.h("privget"), [o, tr.private_key(prop)]), [o] + args, pos)
        obj, args = held_across_args(tr, obj, args_n)
        if isinstance(obj, L.Name) and obj.name == "this":
            dv = tr.devirtualised(obj_n, name, args, pos + (callee_name(tr, f),))
            if dv is not None:
                return dv
        if is_name(name):
            return L.MethodCall(obj, name, args, pos + (callee_name(tr, f),))
        o = tr.to_temp(obj) if not isinstance(obj, L.Name) else obj
        return L.Call(L.Index(o, L.Str(utf8(name))), [o] + args, pos + (callee_name(tr, f),))
    if f.type == "subscript_expression":
        obj_n, idx_n = f.child_by_field_name("object"), f.child_by_field_name("index")
        if obj_n.type == "super":
            fn = tr.super_get(tr.expr(idx_n), pos)
            return L.Call(fn, [L.Name("this")] + call_args(tr, args_n), pos)
        obj, key = tr.exprs_in_order([obj_n, idx_n])
        obj = tr.to_temp(obj) if not isinstance(obj, L.Name) or not obj.name.startswith("J0_") else obj
        key, raw = index_key(tr, idx_n, key)
        fn = L.Index(obj, key) if raw else L.Call(tr.h("get"), [obj, key])
        if not raw:
            fn = tr.to_temp(fn)
        args = call_args(tr, args_n)
        return L.Call(fn, [obj] + args, pos + (callee_name(tr, f),))
    fn, args = held_across_args(tr, tr.expr(fn_n), args_n)
    if isinstance(fn, (L.Func,)):
        fn = L.Paren(fn)
    return L.Call(fn, [L.Lit("nil")] + args, pos + (callee_name(tr, f),))


FILLED_MAX = 64
CONSTANTS = ("number", "string", "true", "false", "null")


def filled_array(tr, obj_n, args_n, obj, pos):
    """`new Array(n).fill(c)` with a small literal n and a constant c: the table constructor of
    the filled array (one template copy instead of n stores), while Array.prototype.fill is
    still the built-in one; `obj` (the compiled `new Array(n)`) is the fallback."""
    obj_n = unparen(obj_n)
    if obj_n.type != "new_expression":
        return None
    ctor_n, n_args = obj_n.child_by_field_name("constructor"), obj_n.child_by_field_name("arguments")
    if ctor_n.type != "identifier" or tr.text(ctor_n) != "Array" or tr.lookup("Array") is not None \
            or n_args is None or len(named(n_args)) != 1 or args_n is None or len(named(args_n)) != 1:
        return None
    n_n, c_n = named(n_args)[0], named(args_n)[0]
    if c_n.type == "unary_expression" and tr.text(c_n.child_by_field_name("operator")) == "-":
        constant = c_n.child_by_field_name("argument").type == "number"
    else:
        constant = c_n.type in CONSTANTS
    if n_n.type != "number" or not constant or is_bigint(tr, c_n):
        return None
    n = parse_number(tr.text(n_n))
    if n is None or n % 1 != 0 or not 0 < n <= FILLED_MAX:
        return None
    c = tr.expr(c_n)
    entries = [(L.Num(0), c)] + [(None, c)] * (int(n) - 1) + [(L.Str("length"), L.Num(int(n)))]
    arr = L.Call(L.Name("setmetatable"), [L.Table(entries), tr.h("ArrayMT")], pos)
    slow = L.MethodCall(obj, "fill", [c], pos)
    return L.BinOp("or", L.BinOp("and", L.Call(tr.h("builtin_fill"), [], pos), arr), slow)


def callee_name(tr, f):
    """The callee's source text, kept in the source map's names so that 'x is not a function'
    can name the expression as JS engines do. Marked with () to tell calls from other names."""
    t = tr.v8_text(f, chains=True)   # (o["m"] as o.m, (o.m) as o.m, as V8 prints them)
    if "(intermediate value)" in t:
        t = " ".join(tr.text(f).split())
    return "()" + (t if len(t) <= 80 else t[:77] + "...")


# Methods whose built-ins take any number of values (R.apply_array has their block-wise forms)
BIG_SPREAD_METHODS = frozenset(("push", "unshift", "max", "min", "fromCharCode", "fromCodePoint"))


def big_spread_call(tr, name, args_n, obj, pos, callee=None):
    """`o.push(...v)` (the spread the only argument, a name in BIG_SPREAD_METHODS): past 4,096
    values, R.spread_method hands a built-in the values in blocks, since one Lua call holds at
    most 65,500 stack slots (node takes about 120,000 arguments)."""
    if args_n is None or args_n.type != "arguments" or name not in BIG_SPREAD_METHODS:
        return None
    items = named(args_n)
    if len(items) != 1 or items[0].type != "spread_element":
        return None
    o = obj if isinstance(obj, L.Name) else tr.to_temp(obj)
    v = tr.to_temp(tr.expr(named(items[0])[0]))
    r = tr.temp("r")
    tr.emit(L.Local([r]))
    tr.emit(L.If([(L.Call(tr.h("big_spread"), [v]),
                   [L.Assign([L.Name(r)], [L.Call(tr.h("spread_method"), [o, L.Str(name), v], pos)])])],
                 [L.Assign([L.Name(r)], [L.MethodCall(o, name, [L.Call(tr.h("spread"), [v])],
                                                      pos + (callee_name(tr, callee),) if callee is not None else pos)])]))
    return L.Name(r)


def special_call(tr, obj_n, name, args_n, obj, pos, callee=None):
    """Calls the compiler knows better than a generic method call. callee: the call's function
    node, whose text the ordinary method calls these fall back on carry (callee_name)."""
    big = big_spread_call(tr, name, args_n, obj, pos, callee)
    if big is not None:
        return big
    inlined = inline.inline_call(tr, obj, name, args_n, pos, callee)
    if inlined is not None:
        return inlined
    if name == "fill" and tr.optimize:
        filled = filled_array(tr, obj_n, args_n, obj, pos)
        if filled is not None:
            return filled
    if tr.optimize and obj_n.type == "identifier" and tr.text(obj_n) == "Math" and tr.lookup("Math") is None \
            and name in LUA_MATH and args_n is not None and args_n.type == "arguments":
        items = named(args_n)
        if len(items) == LUA_MATH[name] and not any(a.type == "spread_element" for a in items):
            args = tr.exprs_in_order(items)
            if all(ty(tr, a) == "number" for a in items):
                return L.Call(tr.h("m_" + name), args, pos)
            # numbers take Lua's function, anything else the JS one (with ToNumber)
            return L.Call(tr.h("mx_" + name), args, pos)
    if tr.optimize and args_n is not None and args_n.type == "arguments":
        return regex_literal_call(tr, obj_n, name, args_n, obj, pos, callee)
    return None


RE_ARG_METHODS = frozenset(("replace", "replaceAll", "match", "search", "split"))


def regex_literal_call(tr, obj_n, name, args_n, obj, pos, callee=None):
    """`/re/.test(s)`, `/re/.exec(s)` and `s.replace(/re/, r)` (match, search, split too): the
    literal's object is shared by its evaluations (R.re_lit_test, R.re_arg)."""
    if obj_n.type != "regex" and name not in RE_ARG_METHODS:
        return None
    items = named(args_n)
    if any(a.type == "spread_element" for a in items):
        return None
    if obj_n.type == "regex" and name in ("test", "exec") and len(items) <= 1:
        return L.Call(tr.h("re_lit_" + name), [regex_site(tr, obj_n)] + call_args(tr, args_n), pos)
    if name in RE_ARG_METHODS and items and items[0].type == "regex":
        o, args = held_across_args(tr, obj if isinstance(obj, L.Name) else tr.to_temp(obj), args_n)
        args[0] = L.Call(tr.h("re_arg"), [regex_site(tr, items[0]), o, L.Str(name)])
        return L.MethodCall(o, name, args, pos + (callee_name(tr, callee),) if callee is not None else pos)
    return None


Transformer.special_call = special_call


@visitor("new_expression")
def new(tr, node):
    ctor_n = node.child_by_field_name("constructor")
    args_n = node.child_by_field_name("arguments")
    if ctor_n.type == "identifier" and tr.text(ctor_n) == "Array" and tr.lookup("Array") is None \
            and args_n is not None and len(named(args_n)) == 1 and named(args_n)[0].type != "spread_element":
        # new Array(n): the array part is allocated at once
        return L.Call(tr.h("new_array"), [tr.expr(named(args_n)[0])], tr.pos(node))
    c = tr.expr(ctor_n)
    args = call_args(tr, args_n) if args_n is not None else []
    # (the callee's text, for 'o.meth is not a constructor' as callee_name's for calls)
    pos = tr.pos(node) + (callee_name(tr, ctor_n),)
    if len(args) <= 4 and not (args and isinstance(args[-1], L.Call) and _is_unpack(args[-1])):
        return L.Call(tr.h("new%d" % len(args)), [c] + args, pos)
    return L.Call(tr.h("new"), [c] + args, pos)


def _is_unpack(call):
    fn = call.fn
    return isinstance(fn, L.Index) and isinstance(fn.key, L.Str) and fn.key.value in (b"unpack", b"spread")


@visitor("meta_property")
def meta_property(tr, node):
    t = tr.text(node)
    if t == "new.target":
        f = tr.code_func()
        if f is not None and f.new_target:
            return L.Name(f.new_target, tr.pos(node))
        if f is not None and f.is_ctor:
            # a class constructor: the class `new` made `this` for
            return L.Call(tr.h("new_target"), [L.Name("this")], tr.pos(node))
        return L.Lit("nil", tr.pos(node))      # methods are never constructed
    if t == "import.meta":
        return L.Call(tr.h("import_meta"), [L.Name("J0_M")], tr.pos(node))
    raise tr.unsupported(node, "unsupported %s" % t)


@visitor("spread_element")
def spread(tr, node):
    raise tr.error(node, "unexpected spread")


# (last, as modules: these import this one)
from . import inline, loops, numeric, strings  # noqa: E402
