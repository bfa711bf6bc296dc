"""Loops: for, for…in, for…of, while, do…while."""
from ..lua import ast as L
from .context import Transformer, scan
from .expressions import named, unparen
from .literals import is_bigint, parse_number, utf8
from .statements import FUNCTION_TYPES

visitor = Transformer.visitor


def captured_in_closure(tr, nodes, names):
    """Whether any function inside `nodes` refers to one of `names`."""
    if not tr.may_mention(nodes, names):
        return False
    stack = [(n, False) for n in nodes if n is not None]
    while stack:
        n, inside = stack.pop()
        if inside and n.type == "identifier" and tr.text(n) in names:
            return True
        inner = inside or n.type in FUNCTION_TYPES
        for c in n.named_children:
            stack.append((c, inner))
    return False


def assigned_in(tr, nodes, names):
    """Whether `names` are assigned or updated anywhere in `nodes`."""
    if not tr.may_mention(nodes, names):
        return False
    stack = [n for n in nodes if n is not None]
    while stack:
        n = stack.pop()
        t = n.type
        if t in ("assignment_expression", "augmented_assignment_expression"):
            left = unparen(n.child_by_field_name("left"))
            if left.type == "identifier" and tr.text(left) in names:
                return True
            if left.type in ("object_pattern", "array_pattern"):
                found = []
                tr.pattern_names(left, found)
                if any(tr.text(x) in names for x in found):
                    return True
        elif t == "update_expression":
            a = unparen(n.child_by_field_name("argument"))
            if a.type == "identifier" and tr.text(a) in names:
                return True
        stack.extend(n.named_children)
    return False


def numeric_for(tr, node):
    """`for (let i = a; i < b; i++)` with i untouched by the body becomes a Lua numeric for.
    Returns (var, start, stop, step) nodes or None."""
    init = node.child_by_field_name("initializer")
    cond = node.child_by_field_name("condition")
    inc = node.child_by_field_name("increment")
    body = node.child_by_field_name("body")
    if init is None or cond is None or inc is None:
        return None
    if init.type == "lexical_declaration":
        decls = [d for d in named(init) if d.type == "variable_declarator"]
        if len(decls) != 1 or init.children[0].type == "const":   # (its update is a TypeError)
            return None
        name_n, start_n = decls[0].child_by_field_name("name"), decls[0].child_by_field_name("value")
    elif init.type == "expression_statement" and named(init) and unparen(named(init)[0]).type == "assignment_expression":
        # `for (i = a; ...)` on a number variable declared before: the variable follows the counter
        a = unparen(named(init)[0])
        name_n, start_n = unparen(a.child_by_field_name("left")), a.child_by_field_name("right")
        b = tr.lookup(tr.text(name_n)) if name_n.type == "identifier" else None
        if b is None or b.ty != "number" or not isinstance(b.lua, str) or b.func is not tr.func:
            return None
    else:
        return None
    if name_n.type != "identifier" or start_n is None or tr.ty(start_n) != "number":
        return None
    var = tr.text(name_n)
    cond = unparen(cond)
    if cond.type != "binary_expression":
        return None
    op = tr.text(cond.child_by_field_name("operator"))
    left, right = unparen(cond.child_by_field_name("left")), cond.child_by_field_name("right")
    if left.type != "identifier" or tr.text(left) != var or op not in ("<", "<=", ">", ">="):
        return None
    # the increment: i++, ++i, i--, --i, i += k, i -= k with k a number literal or the counter of
    # an enclosing loop that is at least 1 (a sieve's `k += i`); step_n is that counter
    inc = unparen(inc)
    step, step_n = None, None
    if inc.type == "update_expression":
        a = unparen(inc.child_by_field_name("argument"))
        if a.type == "identifier" and tr.text(a) == var:
            step = 1 if tr.text(inc.child_by_field_name("operator")) == "++" else -1
    elif inc.type == "augmented_assignment_expression":
        a = unparen(inc.child_by_field_name("left"))
        r = unparen(inc.child_by_field_name("right"))
        o = tr.text(inc.child_by_field_name("operator"))
        if a.type == "identifier" and tr.text(a) == var and r.type == "number" and o in ("+=", "-="):
            k = int_literal(tr, r)
            if k:
                step = k if o == "+=" else -k
        elif a.type == "identifier" and tr.text(a) == var and r.type == "identifier" and o in ("+=", "-=") \
                and tr.text(r) != var and counter_step(tr, r):
            step, step_n = (1 if o == "+=" else -1), r
    if not step or (step > 0) != (op in ("<", "<=")):
        return None
    # an integer start lets `i < n` become `i <= ceil(n) - 1` (an integer limit LuaJIT narrows);
    # any other number start uses the exact limit: n itself, or the double next to it
    int_start = is_int_expr(tr, start_n)
    # the bound must not change during the loop: a literal, or a local not assigned in the loop
    r = unparen(right)
    if r.type == "number" and not is_bigint(tr, r):
        pass
    elif r.type == "identifier" and tr.lookup(tr.text(r)) is not None:
        if assigned_in(tr, [body], {tr.text(r)}):
            return None
    elif r.type == "member_expression" and invariant_member(tr, r, body):
        pass
    else:
        return None
    if assigned_in(tr, [body], {var}):
        return None
    return name_n, start_n, op, right, step, step_n, int_start


def int_literal(tr, n):
    """The value of number literal n when it is an integer a double holds exactly, else None."""
    v = parse_number(tr.text(n))
    # (v % 1 first: int() of Infinity raises)
    return int(v) if v is not None and v % 1 == 0 and abs(v) < 2 ** 53 else None


def counter_step(tr, n):
    """Whether identifier n is an enclosing numeric loop's counter (no code can change it while
    an inner loop runs) that is never below 1."""
    b = tr.lookup(tr.text(n))
    if b is None or not b.int:
        return False
    lo = lower_bound(tr, n)
    return lo is not None and lo >= 1


def lower_bound(tr, n, assuming=()):
    """An integer that the integer-valued expression n is never below, when provable: integer
    literals, loop counters (Binding.lo), number variables (var_lower), and sums of those or
    differences with a literal."""
    n = unparen(n)
    if n.type == "number":
        return int_literal(tr, n)
    if n.type == "identifier":
        b = tr.lookup(tr.text(n))
        if b is None:
            return None
        if b.int:
            return b.lo
        return var_lower(tr, b, assuming) if b.ty == "number" else None
    if n.type == "binary_expression":
        op = tr.text(n.child_by_field_name("operator"))
        a = lower_bound(tr, n.child_by_field_name("left"), assuming)
        r = unparen(n.child_by_field_name("right"))
        if op == "+" and a is not None:
            c = lower_bound(tr, r, assuming)
            return a + c if c is not None else None
        if op == "-" and a is not None and r.type == "number":
            c = lower_bound(tr, r)
            return a - c if c is not None else None
    return None


def name_sites(tr, root):
    """name -> the declarators, assignments, updates and for…in/of heads in root (nested functions
    included) that may give the variable of that name a value. Made once per function: var_lower
    asks it for every counter, and the whole of a bundled library is often one function."""
    cache = tr.__dict__.setdefault("_name_sites", {})
    key = (root.start_byte, root.end_byte)
    sites = cache.get(key)
    if sites is not None:
        return sites
    sites = {}
    stack = [root]
    while stack:
        n = stack.pop()
        t = n.type
        names = ()
        if t == "variable_declarator":
            nm = n.child_by_field_name("name")
            if nm.type == "identifier":
                names = (tr.text(nm),)
        elif t in ("assignment_expression", "augmented_assignment_expression"):
            left = unparen(n.child_by_field_name("left"))
            if left.type in ("object_pattern", "array_pattern"):
                found = []
                tr.pattern_names(left, found)
                names = {tr.text(x) for x in found}
            elif left.type == "identifier":
                names = (tr.text(left),)
        elif t == "update_expression":
            a = unparen(n.child_by_field_name("argument"))
            if a.type == "identifier":
                names = (tr.text(a),)
        elif t == "for_in_statement":
            left = n.child_by_field_name("left")
            if left is not None:
                names = (tr.text(left).split()[-1],)
        for nm in names:
            sites.setdefault(nm, []).append(n)
        stack.extend(n.named_children)
    cache[key] = sites
    return sites


def var_lower(tr, b, assuming=()):
    """A lower bound of a number variable that only ever holds integers: the least of what its
    declarations and `=` give it, when every other change adds something non-negative (`+=`,
    `++`, `x = x + e`); None when any assignment is something else. Looks at every same-named
    declaration and assignment of the function."""
    if b in assuming:
        return None
    root = b.func.node if b.func is not None else None
    if root is None:
        return None
    name = b.name
    assuming = assuming + (b,)

    def bound(e):
        return lower_bound(tr, e, assuming)

    def increment(e):
        """e is `name + x` or `x + name` with x >= 0"""
        e = unparen(e)
        if e.type != "binary_expression" or tr.text(e.child_by_field_name("operator")) != "+":
            return False
        l, r = unparen(e.child_by_field_name("left")), unparen(e.child_by_field_name("right"))
        other = r if l.type == "identifier" and tr.text(l) == name else \
            l if r.type == "identifier" and tr.text(r) == name else None
        if other is None:
            return False
        lo = bound(other)
        return lo is not None and lo >= 0
    lows = []
    for n in name_sites(tr, root).get(name, ()):
        t = n.type
        if t == "variable_declarator":
            v = n.child_by_field_name("value")
            lo = bound(v) if v is not None else None
            if lo is None:
                return None
            lows.append(lo)
        elif t in ("assignment_expression", "augmented_assignment_expression"):
            left = unparen(n.child_by_field_name("left"))
            if left.type != "identifier":
                return None   # a destructuring pattern that assigns it
            right = n.child_by_field_name("right")
            if t == "augmented_assignment_expression":
                lo = bound(right) if tr.text(n.child_by_field_name("operator")) == "+=" else None
                if lo is None or lo < 0:
                    return None
            elif not increment(right):
                lo = bound(right)
                if lo is None:
                    return None
                lows.append(lo)
        elif t == "update_expression":
            if "--" in tr.text(n):
                return None
        else:   # a for…in / for…of head
            return None
    return min(lows) if lows else None


def is_int_expr(tr, n):
    """An integer-valued start: an integer literal, an integer loop counter, or one of those
    plus or minus an integer literal."""
    n = unparen(n)
    if n.type == "number":
        return int_literal(tr, n) is not None
    if n.type == "identifier":
        b = tr.lookup(tr.text(n))
        return b is not None and getattr(b, "int", False)
    if n.type == "binary_expression" and tr.text(n.child_by_field_name("operator")) in ("+", "-"):
        return is_int_expr(tr, n.child_by_field_name("left")) and is_int_expr(tr, n.child_by_field_name("right"))
    return False


PURE_CALLS = ("Math",)


def invariant_member(tr, bound, body):
    """Whether `obj.prop...` read as a loop bound cannot change in the body: the body calls
    nothing but Math functions, creates nothing, stores into no element or length, deletes
    nothing, and does not reassign the variables the chain starts from."""
    obj = unparen(bound.child_by_field_name("object"))
    if tr.text(bound.child_by_field_name("property")) == "length" and obj.type == "identifier":
        b = tr.lookup(tr.text(obj))
        if b is not None and b.ty == "string" and not assigned_in(tr, [body], {tr.text(obj)}):
            return True          # a string's length never changes
    base = bound
    while base.type == "member_expression":
        if base.child_by_field_name("property").type == "private_property_identifier":
            return False
        base = unparen(base.child_by_field_name("object"))
    if base.type not in ("identifier", "this"):
        return False
    if base.type == "identifier" and assigned_in(tr, [body], {tr.text(base)}):
        return False
    stack = [body]
    while stack:
        n = stack.pop()
        t = n.type
        if t in ("call_expression",):
            f = unparen(n.child_by_field_name("function"))
            if not (f.type == "member_expression" and unparen(f.child_by_field_name("object")).type == "identifier"
                    and tr.text(unparen(f.child_by_field_name("object"))) in PURE_CALLS
                    and tr.lookup("Math") is None):
                return False
        elif t in ("new_expression", "yield_expression", "await_expression", "tagged_template",
                   "spread_element"):
            return False
        elif t == "unary_expression" and tr.text(n.child_by_field_name("operator")) == "delete":
            return False
        elif t in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            target = unparen(n.child_by_field_name("left") if t != "update_expression"
                             else n.child_by_field_name("argument"))
            if target.type == "subscript_expression":
                return False
            if target.type == "member_expression" and tr.text(target.child_by_field_name("property")) in (
                    "length", tr.text(bound.child_by_field_name("property"))):
                return False
            if target.type in ("object_pattern", "array_pattern"):
                return False
        elif t in FUNCTION_TYPES:
            continue
        stack.extend(n.named_children)
    return True


@visitor("stat:for_statement")
def for_statement(tr, node):
    if node.prev_sibling is not None and node.prev_sibling.type == "comment" and not tr.in_gpu_fallback:
        from .. import kernels
        mark = kernels.gpu_mark(tr, node)
        if mark is not None:
            return kernels.lower(tr, node, mark, for_statement)
    pos = tr.pos(node)
    nf = numeric_for(tr, node) if tr.optimize else None
    tr.push_scope("block")
    if nf is not None:
        name_n, start_n, op, right, step, step_n, int_start = nf
        outer = None
        if node.child_by_field_name("initializer").type != "lexical_declaration":
            outer = tr.lookup(tr.text(name_n))
        start = tr.expr(start_n)
        bound = tr.expr(right)
        import math
        if right.type == "number":
            v = bound.value
            if int_start and math.isfinite(v):
                stop = {"<": math.ceil(v) - 1, "<=": math.floor(v), ">": math.floor(v) + 1, ">=": math.ceil(v)}[op]
            else:
                stop = {"<": math.nextafter(v, -math.inf), "<=": v, ">": math.nextafter(v, math.inf), ">=": v}[op]
            stop = L.Num(stop)
        elif int_start:
            fn = {"<": "lt_bound", "<=": "le_bound", ">": "gt_bound", ">=": "ge_bound"}[op]
            stop = L.Call(tr.h(fn), [bound])
        else:
            fn = {"<": "lt_limit", "<=": "le_limit", ">": "gt_limit", ">=": "ge_limit"}[op]
            stop = L.Call(tr.h(fn), [bound])
        if step_n is None:
            step_lua = L.Num(step) if step != 1 else None
        else:
            step_lua = tr.expr(step_n) if step > 0 else L.UnOp("-", tr.expr(step_n))
        if outer is not None:
            # the counter is a fresh local; the variable takes each value, and the exit value
            counter = tr.temp("i")
            start = tr.to_temp(start, "s")
            tr.emit(L.Assign([outer.ref()], [start]))
            j = tr.push_loop(node)
            body = tr.body_of(node.child_by_field_name("body"))
            body = tr.close_loop(j, [L.Assign([outer.ref()], [L.Name(counter)])] + body)
            body.append(L.Assign([outer.ref()], [L.BinOp("+", L.Name(counter), step_lua or L.Num(1))]))
            tr.pop_scope()
            loop = L.NumFor(counter, start, stop, step_lua, body, pos)
            tr.after_loop(j, loop)
            return
        b = tr.declare(tr.text(name_n), "let", name_n)
        b.tdz = False
        b.ty = "number"
        b.int = int_start
        if int_start and step > 0:
            b.lo = lower_bound(tr, start_n)
        elif int_start:   # counting down to an integer bound: i >= bound, or i > bound
            lo = lower_bound(tr, right)
            b.lo = None if lo is None else lo if op == ">=" else lo + 1
        j = tr.push_loop(node)
        body = tr.body_of(node.child_by_field_name("body"))
        body = tr.close_loop(j, body)
        tr.pop_scope()
        loop = L.NumFor(b.lua, start, stop, step_lua, body, pos)
        tr.after_loop(j, loop)
        return
    # general form: a let/const head is scoped to the loop, so the head's locals go in a block
    # of their own (they would shadow an outer variable of the same name after the loop)
    around, tr.stmts = tr.stmts, []
    init = node.child_by_field_name("initializer")
    let_names = []
    if init is not None and init.type not in ("empty_statement",):
        if init.type in ("lexical_declaration", "variable_declaration"):
            if init.type == "lexical_declaration":
                for d in named(init):
                    if d.type == "variable_declarator":
                        tr.pattern_names(d.child_by_field_name("name"), let_names)
            tr.stat(init)
        else:
            for e in named(init) if init.type == "expression_statement" else [init]:
                tr.expr_stat(e)
    cond_n = node.child_by_field_name("condition")
    if cond_n is not None and cond_n.type in ("empty_statement",):
        cond_n = None
    if cond_n is not None and cond_n.type == "expression_statement":
        cond_n = named(cond_n)[0] if named(cond_n) else None
    inc_n = node.child_by_field_name("increment")
    body_n = node.child_by_field_name("body")
    names = {tr.text(n) for n in let_names}
    per_iteration = bool(names) and captured_in_closure(tr, [cond_n, inc_n, body_n], names)
    j = tr.push_loop(node)
    copies = []
    if per_iteration:
        # each iteration gets its own copy of the loop variables (closures capture that copy)
        tr.push_scope("block")
        for n in let_names:
            outer = tr.lookup(tr.text(n))
            copy = tr.temp("it")
            copies.append((outer, copy))
    loop_body = []
    saved = tr.stmts
    tr.stmts = loop_body
    if per_iteration:
        for outer, copy in copies:
            tr.emit(L.Local([copy], [outer.ref()]))
        for outer, copy in copies:
            b = tr.declare(outer.name, "let")
            b.lua = outer.lua + "_i"
            b.tdz = False
            tr.emit(L.Local([b.lua], [L.Name(copy)]))
    # a closure made by the increment captures the next iteration's copy, which the increment
    # updates (the spec copies the bindings before it runs): the increment then runs at the top
    # of every iteration but the first, on that iteration's copy
    inc_first = per_iteration and inc_n is not None and captured_in_closure(tr, [inc_n], names)
    if inc_first:
        started = tr.temp("started")
        saved.append(L.Local([started], [L.FALSE]))     # (before the loop)
        _, inc_stmts = tr.capture(tr.expr_stat, inc_n)
        tr.emit(L.If([(L.Name(started), inc_stmts)], [L.Assign([L.Name(started)], [L.TRUE])]))
    if cond_n is not None:
        c = tr.cond(cond_n, first=True)
        tr.emit(L.If([(L.UnOp("not", c), [L.Break()])]))
    body = tr.body_of(body_n)
    if j.cont:
        pass
    body = tr.close_loop(j, body)
    tr.stmts.extend(body)
    if per_iteration:
        # the next iteration starts from a copy; the increment runs on that copy, not on the
        # binding this iteration's closures captured
        for outer, copy in copies:
            tr.emit(L.Assign([outer.ref()], [L.Name(outer.lua + "_i")]))
        tr.pop_scope()
    if inc_n is not None and not inc_first:
        tr.expr_stat(inc_n)
    tr.stmts = saved
    tr.pop_scope()
    tr.after_loop(j, L.While(L.Lit("true"), loop_body, pos))
    head, tr.stmts = tr.stmts, around
    if let_names:
        tr.emit(L.Do(head))
    else:
        tr.stmts.extend(head)


@visitor("stat:while_statement")
def while_statement(tr, node):
    pos = tr.pos(node)
    # (the loop's string buffers first: the condition may read a buffered string's length)
    j = tr.push_loop(node)
    c, pre = tr.capture(tr.cond, node.child_by_field_name("condition"), True)
    body = tr.body_of(node.child_by_field_name("body"))
    body = tr.close_loop(j, body)
    if pre:
        loop = L.While(L.Lit("true"), pre + [L.If([(L.UnOp("not", c), [L.Break()])])] + body, pos)
    else:
        loop = L.While(c, body, pos)
    tr.after_loop(j, loop)


@visitor("stat:do_statement")
def do_statement(tr, node):
    pos = tr.pos(node)
    j = tr.push_loop(node)
    body = tr.body_of(node.child_by_field_name("body"))
    body = tr.close_loop(j, body)
    c, pre = tr.capture(tr.cond, node.child_by_field_name("condition"), True)
    # `until` sees the body's locals in Lua: keep the body in its own block
    loop = L.Repeat([L.Do(body)] + pre, L.UnOp("not", c), pos)
    tr.after_loop(j, loop)


@visitor("stat:for_in_statement")
def for_in_statement(tr, node):
    pos = tr.pos(node)
    kind_n = node.child_by_field_name("kind")
    kind = tr.text(kind_n) if kind_n is not None else None
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    is_of = any(c.type == "of" for c in node.children)
    is_await = any(c.type == "await" for c in node.children)
    tr.push_scope("block")
    helper = "iter_open" if is_of else "forin"
    entries = is_of and not is_await and object_entries_arg(tr, right)
    if entries:
        # (R.entries_of: the entries as the loop reaches them, none built that the body drops)
        callee = unparen(right).child_by_field_name("function")
        subject = [tr.expr(callee.child_by_field_name("object")), tr.expr(callee), tr.expr(entries)]
        helper = "entries_of"
    else:
        subject = [tr.expr(right)]
    if is_await:
        helper = "aiter"
    elif helper == "iter_open":
        from .assignment import not_iterable, v8_text
        subject.append(L.Str(utf8(not_iterable(v8_text(tr, right)))))
    it = tr.temp("x")
    j = tr.push_loop(node)
    body = []
    saved = tr.stmts
    tr.stmts = body
    tr.push_scope("block")
    value = L.Name(it)
    closing = is_of and leaves_early(node.child_by_field_name("body"))
    st_name = tr.temp("s") if closing else None
    if closing:
        tr.forof_states = getattr(tr, "forof_states", []) + [(tr.func, tr.func.lua_level, st_name, j)]
    if is_await:
        value = L.Call(tr.h("await"), [value])
    # (".for": how V8 names the value of a loop's pattern in its messages)
    if kind in ("let", "const"):
        tr.bind_target(left, value, kind, ".for")
    elif kind == "var":
        tr.bind_target(left, value, "var", ".for")
    else:
        tr.bind_target(left, value, "assign", ".for")
    tr.stmts.extend(tr.body_of(node.child_by_field_name("body")))
    if closing:
        tr.forof_states = tr.forof_states[:-1]
    tr.pop_scope()
    tr.stmts = saved
    body = tr.close_loop(j, body)
    tr.pop_scope()
    if not is_of:
        loop = L.ForIn([tr.temp("_"), it], [L.Call(tr.h(helper), subject)], body, pos)
        tr.after_loop(j, loop)
        return
    # for…of steps by calling the iterator triple's function in a `while` loop rather than a
    # generic `for`: LuaJIT links a nested loop to the trace of an enclosing one this way, where
    # an ITERL inner loop makes the outer loop's root trace abort ("inner loop in root trace")
    f, st, c = tr.temp("f"), st_name or tr.temp("s"), tr.temp("c")
    step = [L.Assign([L.Name(c), L.Name(it)], [L.Call(L.Name(f), [L.Name(st), L.Name(c)])]),
            L.If([(L.BinOp("==", L.Name(c), L.NIL), [L.Break()])])]
    loop_body = [L.Local([it])] + step + body
    head = [L.Local([f, st, c], [L.Call(tr.h(helper), subject)])]
    # iter_open notes the loops of iterators that can be closed, so that an exception closes
    # them (J0.try); after the loop, iter_close forgets the loop, and closes an iterator left
    # by `break` (generators run their finally blocks). Over arrays both do nothing.
    loop = L.Do(head + [L.While(L.TRUE, loop_body, pos), L.ExprStat(L.Call(tr.h("iter_close"), [L.Name(st)]))])
    tr.after_loop(j, loop)


def object_entries_arg(tr, node):
    """The argument of `Object.entries(x)` (Object the global, x a variable or `this`), else None.
    (x evaluated after Object.entries is read, as JavaScript does, can change nothing it read.)"""
    node = unparen(node)
    if node.type != "call_expression":
        return None
    callee, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if callee.type != "member_expression" or args is None or len(named(args)) != 1 \
            or any(c.type == "optional_chain" for c in node.children + callee.children):
        return None
    obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
    arg = named(args)[0]
    if obj.type == "identifier" and tr.text(obj) == "Object" and tr.lookup("Object") is None \
            and tr.text(prop) == "entries" and arg.type in ("identifier", "this"):
        return arg
    return None


def leaves_early(body):
    """Whether a loop body may leave the loop early (outside nested functions)."""
    return any(n.type in ("break_statement", "continue_statement", "return_statement", "throw_statement")
               for n in scan(body, FUNCTION_TYPES))
