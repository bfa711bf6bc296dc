"""Array methods called with an arrow function written in place (`a.map(x => x * 2)`) become a
loop over the array when `a` is a plain array at run time: no closure per call (LuaJIT does not
compile closure creation), no call per element. Anything else (a subclass, a typed array, an
overridden Array.prototype method) takes the ordinary method call.
"""
from ..lua import ast as L
from .context import Transformer
from .expressions import callee_name, named, unparen
from .statements import FUNCTION_TYPES

METHODS = {"forEach", "map", "filter", "some", "every", "find", "findIndex", "reduce"}


def inlinable(tr, name, args_n):
    """The arrow of a call that can be inlined, else None."""
    if name not in METHODS or args_n is None or args_n.type != "arguments":
        return None
    args = named(args_n)
    if len(args) != (2 if name == "reduce" else 1):
        return None
    fn = unparen(args[0])
    if fn.type != "arrow_function" or any(c.type == "async" for c in fn.children):
        return None
    params = [fn.child_by_field_name("parameter")] if fn.child_by_field_name("parameter") is not None else \
        named(fn.child_by_field_name("parameters"))
    if len(params) > (4 if name == "reduce" else 3) or any(p.type != "identifier" for p in params):
        return None
    body = fn.child_by_field_name("body")
    # a return inside try, yield/await, or `arguments` would need the function boundary, and so
    # would `var`, which belongs to the arrow's own scope (minified code declares its temporaries so)
    stack = [body] if tr.may_mention([body], ("try", "yield", "await", "arguments", "var")) else []
    while stack:
        n = stack.pop()
        if n.type in ("try_statement", "yield_expression", "await_expression", "variable_declaration"):
            return None
        if n.type == "for_in_statement" and any(c.type == "var" for c in n.children):
            return None
        if n.type == "identifier" and tr.text(n) == "arguments":
            return None
        if n.type in FUNCTION_TYPES:
            continue
        stack.extend(n.named_children)
    return fn, params, body, args[1] if name == "reduce" else None


class InlineReturn:
    def __init__(self, func, level, label, result):
        self.func, self.level, self.label, self.result = func, level, label, result


def inline_call(tr, obj, name, args_n, pos, callee=None):
    info = inlinable(tr, name, args_n) if tr.optimize else None
    if info is None:
        return None
    fn, params, body, init_n = info
    a = tr.to_temp(obj, "a") if not (isinstance(obj, L.Name) and obj.name.startswith("J0_")) else obj
    if not (isinstance(a, L.Name) and a.name.startswith("J0_")):
        t = tr.temp("a")
        tr.emit(L.Local([t], [a]))
        a = L.Name(t)
    init = tr.to_temp(tr.expr(init_n), "acc") if init_n is not None else None
    res = tr.temp("res")
    n, i, v, cb, holey = tr.temp("n"), tr.temp("i"), tr.temp("v"), tr.temp("cb"), tr.temp("h")
    acc = tr.temp("acc") if name == "reduce" else None

    def loop_body():
        tr.push_scope("block")
        names = [L.Name(v), L.Name(i), a] if name != "reduce" else [L.Name(acc), L.Name(v), L.Name(i), a]
        for p, val in zip(params, names):
            b = tr.declare(tr.text(p), "let", p)
            b.tdz = False
            tr.emit(L.Local([b.lua], [val]))
        label = tr.temp("ret")
        ret = InlineReturn(tr.func, tr.func.lua_level, label, cb)
        saved = getattr(tr, "inline_return", None)
        tr.inline_return = ret
        try:
            if body.type == "statement_block":
                stmts = named(body)
                inner = tr.block_body(stmts)
                tr.emit(L.Do(inner))
                tr.emit(L.Label(label))
            elif name == "forEach":
                tr.expr_stat(body)    # (its value is dropped: `x => s += x` appends)
            else:
                tr.emit(L.Assign([L.Name(cb)], [tr.expr(body)]))
        finally:
            tr.inline_return = saved
        tr.pop_scope()

    _, per_elem = tr.capture(loop_body)
    per_elem = [L.Local([cb])] + per_elem
    truthy = L.Call(tr.h("truthy"), [L.Name(cb)])
    if name == "forEach":
        after = []
    elif name == "map":
        # (the result's length is set already: stores need no length bookkeeping)
        after = [L.ExprStat(L.Call(L.Name("rawset"), [L.Name(res), L.Name(i), L.Name(cb)]))]
    elif name == "filter":
        k = res + "k"
        after = [L.If([(truthy, [L.ExprStat(L.Call(L.Name("rawset"), [L.Name(res), L.Name(k), L.Name(v)])),
                                 L.Assign([L.Name(k)], [L.BinOp("+", L.Name(k), L.Num(1))])])])]
    elif name == "some":
        after = [L.If([(truthy, [L.Assign([L.Name(res)], [L.Lit("true")]), L.Break()])])]
    elif name == "every":
        after = [L.If([(L.UnOp("not", truthy), [L.Assign([L.Name(res)], [L.Lit("false")]), L.Break()])])]
    elif name == "find":
        after = [L.If([(truthy, [L.Assign([L.Name(res)], [L.Name(v)]), L.Break()])])]
    elif name == "findIndex":
        after = [L.If([(truthy, [L.Assign([L.Name(res)], [L.Name(i)]), L.Break()])])]
    else:   # reduce
        after = [L.Assign([L.Name(acc)], [L.Name(cb)])]
    elem = [L.Local([v], [L.Call(L.Name("rawget"), [a, L.Name(i)])])]
    visits_holes = name in ("find", "findIndex")
    inner = per_elem + after
    if visits_holes:
        elem += inner
    else:
        # (the callback may shrink the array: an empty slot is a hole when the flag says so or
        # when it lies past the length now)
        elem.append(L.If([(L.BinOp("or", L.BinOp("~=", L.Name(v), L.Lit("nil")),
                                   L.BinOp("and",
                                           L.BinOp("==", L.Call(L.Name("rawget"), [a, tr.h("HOLES")]), L.Lit("nil")),
                                           L.BinOp("<", L.Name(i), L.Call(L.Name("rawget"), [a, L.Str("length")])))),
                           inner)]))
    fast = [L.Local([n, holey], [L.Call(L.Name("rawget"), [a, L.Str("length")]),
                                 L.Call(L.Name("rawget"), [a, tr.h("HOLES")])])]
    if name == "map":
        fast.append(L.Assign([L.Name(res)], [L.Call(tr.h("newarray"), [L.Name(n), L.Name(holey)])]))
    elif name == "filter":
        fast.append(L.Assign([L.Name(res)], [L.Call(tr.h("newarray"), [L.Num(0)])]))
        fast.append(L.Local([res + "k"], [L.Num(0)]))
    elif name == "some":
        fast.append(L.Assign([L.Name(res)], [L.Lit("false")]))
    elif name == "every":
        fast.append(L.Assign([L.Name(res)], [L.Lit("true")]))
    elif name == "findIndex":
        fast.append(L.Assign([L.Name(res)], [L.Num(-1)]))
    start = L.Num(0)
    if name == "reduce":
        fast.append(L.Local([acc], [init]))
    fast.append(L.NumFor(i, start, L.BinOp("-", L.Name(n), L.Num(1)), None, elem, pos))
    if name == "filter":
        fast.append(L.ExprStat(L.Call(L.Name("rawset"), [L.Name(res), L.Str("length"), L.Name(res + "k")])))
    if name == "map":
        # holes of the source (even ones made during the loop, or cut off by it) stay holes in
        # the result
        fast.append(L.If([(L.BinOp("or", L.Call(L.Name("rawget"), [a, tr.h("HOLES")]),
                                   L.BinOp("<", L.Call(L.Name("rawget"), [a, L.Str("length")]), L.Name(n))),
                           [L.ExprStat(L.Call(L.Name("rawset"), [L.Name(res), tr.h("HOLES"), L.Lit("true")]))])]))
    if name == "reduce":
        fast.append(L.Assign([L.Name(res)], [L.Name(acc)]))
    # the ordinary call, for anything but a plain array
    arrow, pre = tr.capture(tr.expr, fn)
    made = tr.detached(fn, arrow, pre)
    if made is not arrow:
        arrow, pre = made, []     # (the factory holds what making the arrow needed)
    args = [arrow] + ([init] if init is not None else [])
    # (with the callee's text, for 'data.map is not a function')
    slow_call = L.MethodCall(a, name, args, pos + (callee_name(tr, callee),) if callee is not None else pos)
    slow = pre + ([L.Assign([L.Name(res)], [slow_call])] if name != "forEach" else [L.ExprStat(slow_call)])
    tr.emit(L.Local([res]))
    tr.emit(L.If([(L.Call(tr.h("plain_array"), [a, L.Str(name)]), fast)], slow, pos))
    return L.Name(res)


def in_inlined_body(tr):
    ret = getattr(tr, "inline_return", None)
    return ret is not None and ret.func is tr.func and ret.level == tr.func.lua_level


def inline_return(tr, value, pos):
    """A return inside an inlined arrow: set the callback result and leave this element."""
    ret = getattr(tr, "inline_return", None)
    if ret is None or ret.func is not tr.func or ret.level != tr.func.lua_level:
        return False
    if value is not None:
        tr.emit(L.Assign([L.Name(ret.result)], [value], pos))
    tr.emit(L.Goto(ret.label, pos))
    return True
