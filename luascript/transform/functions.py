"""Functions: declarations, expressions, arrows, methods, parameters, generators, async."""
from ..lua import ast as L
from .context import Transformer, FuncState, scan
from .early import SIMPLE_PARAMS, has_use_strict
from .expressions import identifier, named
from .statements import FUNCTION_TYPES
from .numeric import collect, typed_vars
from .loops import assigned_in
from .objects import SHAPE_KEY

visitor = Transformer.visitor

NON_ARROW_FUNCS = ("function_declaration", "generator_function_declaration", "function_expression",
                   "generator_function", "function", "method_definition", "class_declaration", "class")


def uses_name(tr, node, name, stop_types):
    """Whether identifier `name` appears in node, not looking inside nodes of stop_types."""
    if not tr.may_mention([node], (name,)):
        return False
    return any(n.type == "identifier" and tr.text(n) == name for n in scan(node, stop_types))


def uses_this(tr, body):
    """Whether `this` appears in body, looking into arrows (they share it) but not other functions."""
    if not tr.may_mention([body], ("this",)):
        return False
    return any(n.type == "this" for n in scan(body, NON_ARROW_FUNCS))


def func_arguments(tr):
    f = tr.code_func()
    return f is not None and f.kind != "module" and getattr(f, "uses_arguments", False)


Transformer.func_arguments = func_arguments


def params_info(tr, node):
    if node.type == "arrow_function":
        p = node.child_by_field_name("parameter")
        if p is not None:
            return [p]
    params = node.child_by_field_name("parameters")
    return named(params) if params is not None else []


def function_like(tr, node, name_hint=None, method_kind=None, class_info=None, is_static=False,
                  is_ctor=False, fields_fn=None, derived=False, alloc=None, fields=None):
    """Lua function expression for any JS function node. `alloc`: a dict a base class's
    constructor fills with the parts of its allocator, when it can have one; `fields`: the
    class's instance fields as (key, value node), when the allocator may define them too
    (classes.allocator_fields)."""
    t = node.type
    is_arrow = t == "arrow_function"
    kids = [c.type for c in node.children]
    is_gen = t in ("generator_function", "generator_function_declaration") or "*" in kids
    is_async = "async" in kids
    fs = FuncState(node, "arrow" if is_arrow else "function", tr.func)
    fs.is_generator, fs.is_async = is_gen, is_async
    fs.class_info = class_info if not is_arrow else (tr.func.class_info if tr.func else None)
    fs.home_static = is_static if not is_arrow else (tr.func.home_static if tr.func else False)
    fs.is_ctor = is_ctor
    fs.is_derived_ctor = derived
    fs.method_kind = method_kind
    fs.fields_fn = fields_fn
    body_n = node.child_by_field_name("body")
    stmts_n = named(body_n) if body_n is not None and body_n.type == "statement_block" else None
    own_directive = stmts_n is not None and has_use_strict(tr, stmts_n)
    # strict code: a strict file, class code, a "use strict" function or one inside such code
    fs.strict = getattr(tr, "file_strict", True) or own_directive or getattr(tr.func, "strict", False) \
        or isinstance(class_info, object) and class_info is not None and not isinstance(class_info, dict) \
        or is_ctor
    params = params_info(tr, node)
    if not is_arrow and method_kind is None and not is_ctor and reads_new_target(tr, body_n, params):
        fs.new_target = tr.temp("nt")
    fs.mapped_params = []   # (index, name) of parameters mapped to the arguments object
    fs.uses_arguments = (not is_arrow) and (
        uses_name(tr, body_n, "arguments", NON_ARROW_FUNCS) or
        any(uses_name(tr, p, "arguments", NON_ARROW_FUNCS) for p in params))
    saved = (tr.func, tr.jumps, tr.tries, tr.stmts, tr.scope)
    tr.func, tr.jumps, tr.tries, tr.stmts = fs, [], [], []
    tr.push_scope("function", fs)
    lua_params = ["J0_" if is_arrow else "this"]
    vararg = False
    prologue = []
    tr.stmts = prologue
    simple = all(p.type in SIMPLE_PARAMS for p in params)
    length = 0
    counting = True
    if fs.uses_arguments:
        vararg = True
        tr.emit(L.Local(["arguments"], [L.Call(tr.h("arguments"), [L.Vararg()])]))
        if tr.may_mention([body_n], ("callee",)):
            tr.emit(L.ExprStat(L.Call(tr.h("strict_callee" if fs.strict else "set_callee"), [L.Name("arguments")])))
        names = []
        # sloppy functions with simple parameters: a parameter's store updates its element of
        # arguments while that is still mapped (R.argmap), a store to the element the parameter
        # (R.argpull, after the function's own stores to arguments[...])
        mapped = simple and not fs.strict and len({tr.text(p) for p in params}) == len(params)
        if mapped and params:
            # (how many arguments the call passed: the elements mapped to parameters)
            tr.emit(L.Local(["J0_nargs"], [L.Call(L.Name("select"), [L.Str("#"), L.Vararg()])]))
        for i, p in enumerate(params):
            if p.type in SIMPLE_PARAMS:
                b = tr.declare(tr.text(p), "param", p)
                b.tdz = False
                if mapped:
                    b.mapped = (fs, i)
                    fs.mapped_params.append((i, b.name))   # (a binding here would make a cycle)
                names.append(b.lua)
            else:
                names.append(tr.temp("p"))
        if names:
            tr.emit(L.Local(names, [L.Vararg()]))
        pnames = names
    else:
        pnames = []
        for p in params:
            if p.type in SIMPLE_PARAMS:
                b = tr.declare(tr.text(p), "param", p)
                b.tdz = False
                pnames.append(b.lua)
            elif p.type == "rest_pattern":
                vararg = True
                pnames.append(None)
            else:
                pnames.append(tr.temp("p"))
        lua_params += [n for n in pnames if n is not None]
    for p, pn in zip(params, pnames):
        if p.type in SIMPLE_PARAMS:
            if counting:
                length += 1
            continue
        if p.type == "rest_pattern":
            counting = False
            target = named(p)[0]
            if fs.uses_arguments:
                rest = L.Call(tr.h("arrrest"), [L.Name("arguments"), L.Num(len(pnames) - 1)])
            else:
                rest = L.Call(tr.h("pack"), [L.Vararg()])
            tr.bind_target(target, rest, "param")
            continue
        if p.type == "assignment_pattern":
            counting = False
            left, default = p.child_by_field_name("left"), p.child_by_field_name("right")
            d, pre = tr.capture(tr.expr_named, default, left)
            tr.emit(L.If([(L.BinOp("==", L.Name(pn), L.Lit("nil")), pre + [L.Assign([L.Name(pn)], [d])])]))
            if left.type == "identifier":
                b = tr.declare(tr.text(left), "param", left)
                b.tdz = False
                tr.emit(L.Local([b.lua], [L.Name(pn)]))
            else:
                tr.destructure(left, L.Name(pn), "param")
            continue
        if counting:
            length += 1
        tr.destructure(p, L.Name(pn), "param")
    # body
    body = []
    tr.stmts = body
    if tr.optimize:
        fs.numeric, fs.stringy, fs.boolean = typed_vars(tr, body_n)
        if not tr.tight:
            fs.boxed = boxed_names(tr, body_n)
    if stmts_n is not None:
        tr.hoist_vars(stmts_n)
        allocating = alloc is not None and allocator_ok(tr, node, params, body_n)
        fields = fields if allocating else None
        if is_ctor and not derived and fields_fn is not None and not fields:
            tr.emit(L.ExprStat(L.Call(fields_fn, [L.Name("this")])))
        tr.hoist_functions(stmts_n, function_top=True)
        if derived and super_may_run_twice(body_n):
            fs.super_flag = tr.temp("sc")
            tr.emit(L.Local([fs.super_flag], [L.FALSE]))
        run = this_store_run(tr, stmts_n, derived) if not is_arrow and tr.optimize else None
        alloc_n = 0
        if allocating and not derived:
            alloc_n = allocator_run(tr, stmts_n, {k for k, _ in fields or ()})
            if alloc_n or fields:
                run = (0, max(run[1] if run else 0, alloc_n))
        i = 0
        while i < len(stmts_n) or (run is not None and i == run[0]):
            if run is not None and i == run[0]:
                if alloc_n or fields:
                    alloc.update(emit_allocated_stores(tr, stmts_n[:run[1]], alloc_n, lua_params[1:],
                                                       fields or [], fields_fn))
                    alloc["whole"] = alloc_n == len(stmts_n)
                else:
                    shape = emit_this_stores(tr, stmts_n[run[0]:run[1]], derived)
                    if derived and allocating:
                        alloc.update(inherited_stores(tr, stmts_n, run, shape, lua_params[1:]))
                i, run = run[1], None
                continue
            tr.stat(stmts_n[i])
            i += 1
        if derived and not (tr.stmts and type(tr.stmts[-1]) is L.Return):
            # super() may have replaced `this` (a base that returns an object): `new` takes it
            if not getattr(fs, "super_seen", False):
                tr.emit(L.ExprStat(L.Call(tr.h("this_before_super"), [])))
            tr.emit(L.Return([L.Name("this")]))
    else:
        v = tr.expr(body_n)
        tr.emit_return(v)
    tr.pop_scope()
    tr.func, tr.jumps, tr.tries, tr.stmts, tr.scope = saved
    tr.stmts.extend(fs.factories)   # (see detached)
    pos = tr.pos(node)
    if is_gen or is_async:
        kind = "asyncgen" if (is_gen and is_async) else ("generator" if is_gen else "async")
        inner = L.Func([], body)
        inner.coroutine = True
        body = [L.Return([L.Call(tr.h(kind), [inner, L.Name("this") if not is_arrow else L.Lit("nil")])])]
        prologue_all = prologue + body
    else:
        prologue_all = prologue + body
    if getattr(fs, "spill", None):
        prologue_all.insert(0, L.Local([fs.spill], [L.Table([])]))
    if not is_arrow and not fs.strict and uses_this(tr, body_n):
        # sloppy-mode function: a plain call's `this` is the global object, a primitive's its
        # wrapper object; the common case (an object) costs a type test
        this = L.Name("this")
        prologue_all.insert(0, L.If([(L.BinOp("or", L.BinOp("~=", L.Call(tr.h("type"), [this]), L.Str("table")),
                                              L.BinOp("==", this, tr.h("null"))),
                                      [L.Assign([this], [L.Call(tr.h("sloppy_this"), [this])])])]))
    if fs.new_target:
        # read first, before a parameter's default or sloppy code's `this` can run anything
        prologue_all.insert(0, L.Local([fs.new_target], [L.Call(tr.h("fn_new_target"), [L.Name("this")])]))
    f = L.Func(lua_params, prologue_all, vararg, name_hint, pos, strict=fs.strict)
    exact_length = length == len(lua_params) - 1 and not vararg
    fkind = ("AsyncGeneratorFunction" if is_async else "GeneratorFunction") if is_gen else \
        ("AsyncFunction" if is_async else None)
    # The function's name, length, kind and whether it has a prototype go to the chunk's table
    # of facts by the line the function begins on (R.code_mode), where the runtime looks when a
    # program asks (f.name, a stack trace, new f): registering each closure as it is made cost
    # three weak-table stores, 0.5 us a closure.
    if is_arrow or method_kind is not None:
        if name_hint or method_kind is not None or not exact_length or fkind:
            f.info = (name_hint or "", length, True, fkind)
        return f
    nm = name_hint or (tr.text(node.child_by_field_name("name")) if node.child_by_field_name("name") else "")
    f.info = (nm, length, False, fkind)
    return L.Call(tr.h("reads_new_target"), [f], pos) if fs.new_target else f


def reads_new_target(tr, body, params):
    """Whether new.target appears in a function's body or parameters, its arrows included."""
    nodes = [body] + list(params)
    if not tr.may_mention(nodes, ("target",)):
        return False
    return any(n.type == "meta_property" and tr.text(n) == "new.target"
               for top in nodes if top is not None for n in scan(top, NON_ARROW_FUNCS))


Transformer.function_like = function_like


@visitor("function_expression", "function", "generator_function")
def function_expression(tr, node):
    name_n = node.child_by_field_name("name")
    if name_n is not None:
        # a named function expression sees its own name
        tr.push_scope("block")
        # under a Lua name of its own: `var T = function T() {}` must not shadow the var's local
        b = tr.declare(tr.text(name_n), "function", name_n, lua=tr.temp("f"))
        b.tdz = False
        b.nfe = True
        f = function_like(tr, node, name_hint=tr.text(name_n))
        tr.pop_scope()
        t = b.lua
        tr.emit(L.Local([t]))
        tr.emit(L.Assign([L.Name(t)], [f]))
        return L.Name(t)
    return function_like(tr, node)


@visitor("arrow_function")
def arrow_function(tr, node):
    return function_like(tr, node)


def super_may_run_twice(body_n):
    """Whether a derived constructor has more than one super() call, or one in a loop or an
    arrow: then a flag finds the second call that runs (a ReferenceError)."""
    calls = 0
    for n in scan(body_n, NON_ARROW_FUNCS):
        if n.type in ("arrow_function", "for_statement", "for_in_statement", "while_statement", "do_statement"):
            if any(c.type == "call_expression" and c.child_by_field_name("function").type == "super"
                   for c in scan(n, NON_ARROW_FUNCS)):
                return True
        elif n.type == "call_expression" and n.child_by_field_name("function").type == "super":
            calls += 1
    return calls > 1


# ---- generators and async ------------------------------------------------------------------------
@visitor("yield_expression")
def yield_expression(tr, node):
    args = named(node)
    delegate = any(c.type == "*" for c in node.children)
    f = tr.code_func()
    if not args and not delegate and (f is None or not f.is_generator):
        return identifier(tr, node)     # sloppy code outside generators: `yield` is a name
    v = tr.expr(args[0]) if args else L.Lit("nil")
    if delegate:
        return L.Call(tr.h("ayield_star" if f.is_async else "yield_star"), [v], tr.pos(node))
    return L.Call(tr.h("yield"), [v], tr.pos(node))


@visitor("await_expression")
def await_expression(tr, node):
    arg = named(node)[0]
    if arg.type == "parenthesized_expression" and tr.func.kind != "module" and not tr.func.is_async:
        # `await(x)` outside async functions calls a function named await
        fn = identifier(tr, node.children[0])
        return L.Call(fn, [L.Lit("nil")] + [tr.expr(e) for e in named(arg)], tr.pos(node))
    v = tr.expr(arg)
    return L.Call(tr.h("await"), [v], tr.pos(node))


# ---- constructor stores ---------------------------------------------------------------------------
def this_store(tr, st):
    """The property name of a statement `this.name = value;`, else None."""
    if st.type != "expression_statement":
        return None
    kids = named(st)
    e = kids[0] if kids else None
    if e is None or e.type != "assignment_expression":
        return None
    left = e.child_by_field_name("left")
    if left.type != "member_expression" or left.child_by_field_name("object").type != "this":
        return None
    prop = left.child_by_field_name("property")
    if prop.type != "property_identifier" or tr.text(prop) in ("length", "__proto__"):
        return None
    return tr.text(prop)


def this_store_run(tr, stmts, derived):
    """(start, end) of the leading run of `this.k = v` statements of a function body (after a
    super() call in derived constructors), when it is long enough to be worth a shape."""
    start = 0
    if derived:
        for i, st in enumerate(stmts):
            if st.type == "expression_statement" and named(st) and named(st)[0].type == "call_expression" \
                    and named(st)[0].child_by_field_name("function").type == "super":
                start = i + 1
                break
        else:
            return None
    end = start
    seen = set()
    while end < len(stmts):
        k = this_store(tr, stmts[end])
        if k is None or k in seen:
            break
        seen.add(k)
        end += 1
    # (one store after super() already gains: the base's keys are there, see R.shape_ext)
    return (start, end) if end - start >= (1 if derived else 2) else None


# ---- closures on cold paths ------------------------------------------------------------------------
def boxed_names(tr, body_n):
    """The variables of a function that its closures refer to and that are assigned after their
    declaration. Each lives in a table of one slot (Binding.box), which a closure's factory
    takes (detached), so that the function makes no closure of its own (see detached)."""
    assigned = {name for name, facts in collect(tr, body_n).items() if any(k != "init" for k, _ in facts)}
    if not assigned:
        return frozenset()
    out = set()
    stack = [(c, False) for c in body_n.named_children]
    while stack:
        n, inside = stack.pop()
        if n.type == "identifier":
            if inside and tr.text(n) in assigned:
                out.add(tr.text(n))
            continue
        inside = inside or n.type in FUNCTION_TYPES
        stack.extend((c, inside) for c in n.named_children)
    return frozenset(out)


def detached(tr, fn_node, f, pre=()):
    """The closure f (compiled from fn_node), made by a factory defined next to the current
    function, J0_mk(a, b), so that it captures none of the function's locals. A function whose
    locals a closure captures must close them on every return (UCLO), which LuaJIT's trace
    compiler does not do (NYI): every call leaves the trace, even when the closure is made on a
    path that does not run (an inlined array method's fallback). Only for locals the function
    never assigns after declaring them: the factory's copies must not go stale. Returns f
    unchanged when that does not hold. pre: the statements making f needs first (the factories
    of closures inside it), which move into the factory with it."""
    func = tr.func
    if func is None or func.node is None or func.kind == "module" or tr.tight or not tr.optimize:
        return f
    names, js_names = [], set()
    for n in scan(fn_node, ()):
        if n.type == "this" and "this" not in names:
            owner = func
            while owner is not None and owner.is_arrow:
                owner = owner.parent
            if owner is not func or owner.is_derived_ctor:
                return f
            names.append("this")
        elif n.type == "identifier":
            b = tr.lookup(tr.text(n))
            if b is None or b.func is not func:
                continue
            # a variable in a box or a string cell: the factory takes the table, made when the
            # variable's scope starts (predeclared), which the closure then reads and writes
            cell = b.box or (b.lua if b.builder is not None else None)
            if cell is not None and (b._predeclared or b.kind == "var"):
                if cell not in names:
                    names.append(cell)
                continue
            if b.lua in names:
                continue
            if not isinstance(b.lua, str) or (b.kind not in ("param", "function")
                                              and (b.decl_byte is None or b.decl_byte > fn_node.start_byte)):
                return f
            if b.name == "arguments":
                return f
            names.append(b.lua)
            js_names.add(b.name)
    # (one walk of the function for all of them)
    if not names or js_names and assigned_in(tr, [func.node], js_names):
        return f
    mk = tr.temp("mk")
    func.factories.append(L.Local([mk], [L.Func(names, list(pre) + [L.Return([f])])]))
    return L.Call(L.Name(mk), [L.Name(x) for x in names])


Transformer.detached = detached


# ---- allocators ------------------------------------------------------------------------------------
# A base class whose constructor starts with `this.k = v` stores gets an allocator (see
# classes.allocator): `new C(a, b)` builds the object in one table constructor,
# setmetatable({k = v, ..., ["\255"] = shape}, mt), a copy of a template that already has every
# slot, then runs the rest of the constructor on it.
def allocator_ok(tr, node, params, body_n):
    """Whether a constructor can have an allocator: plain parameters, and nothing in its body that
    needs the object before the stores run or a result other than it."""
    if body_n is None or body_n.type != "statement_block" or tr.func.uses_arguments:
        return False
    if not all(p.type in SIMPLE_PARAMS for p in params):
        return False
    for n in scan(body_n, NON_ARROW_FUNCS):
        if n.type == "meta_property" or (n.type == "return_statement" and named(n)):
            return False
    return True


def allocator_run(tr, stmts, seen=()):
    """How many leading `this.k = v` statements the allocator can evaluate itself: values that
    mention neither the object (this, super) nor names declared in the constructor's body, and
    keys that no earlier store (or field, in seen) has."""
    seen = set(seen)
    n = 0
    for st in stmts:
        k = this_store(tr, st)
        if k is None or k in seen:
            break
        v = named(st)[0].child_by_field_name("right")
        if any(x.type in ("this", "super") for x in scan(v, NON_ARROW_FUNCS)):
            break
        if any(x.type == "identifier" and local_name(tr, tr.text(x)) for x in scan(v, ())):
            break
        seen.add(k)
        n += 1
    return n


def local_name(tr, name):
    b = tr.lookup(name)
    return b is not None and b.func is tr.func and (b.kind != "param" or not isinstance(b.lua, str))


def emit_allocated_stores(tr, stmts, n, params, fields, fields_fn):
    """The constructor's leading stores when an allocator exists: the first n (the allocator's)
    are skipped for an object the allocator built, whose shape says so, as are the class's
    instance fields (key, value node), which the allocator defines before them. Returns the
    allocator's parts for classes.allocator."""
    keys = [k for k, _ in fields] + [this_store(tr, st) for st in stmts]
    m = len(fields) + n   # the keys the allocator sets
    shape = shape_const(tr, keys)
    head = shape if m == len(keys) else shape_const(tr, keys[:m])

    def value(st, k):
        return tr.expr_named_key(named(st)[0].child_by_field_name("right"), L.Str(k))

    brand = class_brand(tr, shape)
    if brand is not None and m == len(keys):
        head = brand
    built = L.BinOp("==", L.Call(L.Name("rawget"), [L.Name("this"), SHAPE_KEY]), head)
    _, rest = tr.capture(this_stores, tr, stmts[n:], keys[m:], True)
    if rest:
        rest.insert(0, L.ExprStat(L.Call(L.Name("rawset"), [L.Name("this"), SHAPE_KEY, brand or shape])))
    _, slow = tr.capture(this_stores, tr, stmts, keys[len(fields):], False)
    if fields:
        # an object the allocator did not build (a subclass's, Reflect.construct's): the fields by
        # their function, which defines them, then ordinary stores
        tr.emit(L.If([(built, rest)], [L.ExprStat(L.Call(fields_fn, [L.Name("this")]))] + slow))
    else:
        _, fast = tr.capture(this_stores, tr, stmts, keys, True)
        tr.emit(L.If([(built, rest), (L.Call(tr.h("shape_init"), [L.Name("this"), shape]), fast)], slow))

    def entries():
        return [(L.Str(k), field_value(tr, v, k)) for k, v in fields] + \
            [(L.Str(k), value(st, k)) for st, k in zip(stmts[:n], keys[len(fields):m])]
    values, pre = tr.capture(entries)
    return {"params": params, "pre": pre, "entries": values + [(L.Str(k), L.Lit("nil")) for k in keys[m:]],
            "shape": head, "keys": keys}


def fields_allocator(tr, fields):
    """The allocator parts of a base class without a constructor whose instance fields the
    allocator can define (classes.allocator_fields)."""
    keys = [k for k, _ in fields]
    values, pre = tr.capture(lambda: [(L.Str(k), field_value(tr, v, k)) for k, v in fields])
    return {"params": [], "pre": pre, "entries": values, "shape": shape_const(tr, keys), "keys": keys,
            "whole": True}


def field_value(tr, v, k):
    return tr.expr_named_key(v, L.Str(k)) if v is not None else L.Lit("nil")


def shape_const(tr, keys):
    return tr.const(L.Call(tr.h("shape"), [L.Table([(None, L.Str(k)) for k in keys])]), "S")


def this_stores(tr, stmts, keys, fast):
    """The `this.k = v` statements: by rawset into a fresh object (fast), else as ordinary stores."""
    for st, k in zip(stmts, keys):
        v = tr.expr_named_key(named(st)[0].child_by_field_name("right"), L.Str(k))
        if fast:
            tr.emit(L.ExprStat(L.Call(L.Name("rawset"), [L.Name("this"), L.Str(k), v]), tr.pos(st)))
        else:
            tr.emit(L.Assign([L.Index(L.Name("this"), L.Str(k))], [v], tr.pos(st)))


def emit_this_stores(tr, stmts, derived=False):
    """A fresh object gets the final shape at once and its properties by rawset; anything else
    (an object with keys, a prototype chain with setters, a frozen object) takes ordinary stores.
    After super() the object has the base constructor's keys: the run's site remembers the
    shape it last went from and to (R.shape_ext)."""
    keys = [this_store(tr, st) for st in stmts]
    shape = shape_const(tr, keys)
    brand = class_brand(tr, shape)
    _, fast = tr.capture(this_stores, tr, stmts, keys, True)
    _, slow = tr.capture(this_stores, tr, stmts, keys, False)
    if derived:
        site = tr.const(L.Call(tr.h("ext_site"), []), "X")
        test = L.Call(tr.h("shape_ext"), [L.Name("this"), shape, site])
    else:
        test = L.Call(tr.h("shape_init"), [L.Name("this"), shape])
    tr.emit(L.If([(test, fast)], slow))
    return brand or shape


SUPER_ARG_LITERALS = ("number", "string", "true", "false", "null")


def inherited_stores(tr, stmts, run, shape, params):
    """A derived constructor that is super(a, b) followed by `this.k = v` stores and nothing else,
    with super()'s arguments parameters or literals: the parts of an allocator for
    classes.inherited_allocator (its own values, the arguments for the base's), else {}."""
    if run != (1, len(stmts)) or allocator_run(tr, stmts[1:]) != len(stmts) - 1:
        return {}
    call = named(stmts[0])[0]
    args = named(call.child_by_field_name("arguments"))
    for a in args:
        if a.type == "identifier":
            b = tr.lookup(tr.text(a))
            if b is None or b.func is not tr.func or b.kind != "param" or not isinstance(b.lua, str):
                return {}
        elif a.type not in SUPER_ARG_LITERALS:
            return {}
    keys = [this_store(tr, st) for st in stmts[1:]]

    def parts():
        own = [(L.Str(k), tr.expr_named_key(named(st)[0].child_by_field_name("right"), L.Str(k)))
               for st, k in zip(stmts[1:], keys)]
        return own, [tr.expr(a) for a in args]
    (own, super_args), pre = tr.capture(parts)
    return {"params": params, "pre": pre, "entries": own, "keys": keys, "shape": shape,
            "super_args": super_args, "whole": True}


def class_brand(tr, shape):
    """In a class constructor whose class brands its instances (classes.compile_class): notes the
    shape the brand stands for and returns the brand's Lua name; else None."""
    info = tr.func.class_info if tr.func.is_ctor else None
    if info is None or info.brand is None:
        return None
    info.shape = shape
    return info.brand
