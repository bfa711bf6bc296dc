"""Marked loops (`// @gpu`) → kernel IR → CUDA C, and the Lua that launches them.

The transform of `for` statements hands a marked loop to `lower`, which checks the loop nest
(`ir.Builder`), prints its CUDA C (`cuda.emit`) and returns the Lua: a call of the GPU runtime
(`runtime/lua/ljs/gpu.lua`) that launches the kernel, and the ordinary compiled loop, which runs
when the runtime declines (no device, LUASCRIPT_DEVICE=cpu, arrays it cannot take).
"""
import re

from ..errors import CompileError
from ..lua import ast as L
from ..transform.context import store
from ..transform.literals import utf8
from . import cuda
from .ir import Builder, Dim, Kernel, c_ident, unparen

MARK = re.compile(r"^//\s*@gpu(?=\s|$)(.*)$")
BLOCK_SIZES = (32, 64, 128, 256, 512, 1024)
MAX_DIMS = 3


def gpu_mark(tr, node):
    """The options of a `// @gpu` comment on the line directly before `node`, or None."""
    prev = node.prev_sibling
    if prev is None or prev.type != "comment" or prev.end_point[0] != node.start_point[0] - 1:
        return None
    m = MARK.match(tr.text(prev).strip())
    if m is None:
        return None
    before = prev.prev_sibling
    if before is not None and before.end_point[0] == prev.start_point[0]:
        raise tr.unsupported(prev, "a @gpu mark must be on a line of its own, directly before its loop")
    opts = {"fast": False, "block": 256, "text": m.group(1).strip(), "node": prev}
    for word in m.group(1).split():
        if word == "fast":
            opts["fast"] = True
        elif word.startswith("block=") and word[6:].isdigit() and int(word[6:]) in BLOCK_SIZES:
            opts["block"] = int(word[6:])
        else:
            raise tr.unsupported(prev, "unknown @gpu option `%s` (expected `fast` or `block=N` with N a power "
                                       "of two from 32 to 1024)" % word)
    return opts


STATEMENT_NAMES = {"while_statement": "a while loop", "do_statement": "a do…while loop",
                   "labeled_statement": "a labelled statement", "expression_statement": "an expression",
                   "lexical_declaration": "a declaration", "variable_declaration": "a declaration",
                   "if_statement": "an if statement", "statement_block": "a block"}


def refuse_stray_mark(tr, node, comment):
    """A `// @gpu` comment right before `node` that does not mark it: an error, never a loop that
    silently stays on the CPU. (A mark before a counted `for` on the very next line is no stray.)"""
    if MARK.match(tr.text(comment).strip()) is None:
        return
    if comment.end_point[0] != node.start_point[0] - 1:
        raise tr.unsupported(comment, "a @gpu mark must be on the line directly before its loop")
    if node.type == "for_statement":
        return
    if node.type == "for_in_statement":
        op = node.child_by_field_name("operator")
        what = "a for…%s loop" % (tr.text(op) if op is not None else "in")
    else:
        what = STATEMENT_NAMES.get(node.type, "a " + node.type.replace("_", " "))
    raise tr.unsupported(comment, "a @gpu mark must be on the line before a counted `for` loop "
                                  "(`for (let i = start; i < end; i++)`), not %s" % what)


def refuse_stray_marks(tr, node):
    """The marks among the comments right before `node`: the nearest one marks it or is refused
    (refuse_stray_mark); one farther up, with a comment between it and the statement, marks
    nothing and is refused too."""
    c, nearest = node.prev_sibling, True
    while c is not None and c.type == "comment":
        if "@gpu" in tr.text(c) and MARK.match(tr.text(c).strip()):
            if nearest:
                refuse_stray_mark(tr, node, c)
            elif MARK.match(tr.text(c.next_sibling).strip()):
                raise tr.unsupported(c, "a loop takes one @gpu mark: write its options in one "
                                        "(`// @gpu fast block=64`)")
            else:
                raise tr.unsupported(c, "a @gpu mark must be on the line directly before its loop "
                                        "(a comment comes between them)")
        c, nearest = c.prev_sibling, False


def refuse_marks_before_nothing(tr, root):
    """A mark after the last statement of a block or file marks nothing: an error. (Marks before
    a statement are checked with the statement: refuse_stray_marks.)"""
    if b"@gpu" not in tr.src.data:
        return
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type != "comment":
            stack.extend(reversed(n.children))     # (the first in the source is reported)
        elif n.next_named_sibling is None and "@gpu" in tr.text(n) and MARK.match(tr.text(n).strip()):
            raise tr.unsupported(n, "a @gpu mark must be on the line before a counted `for` loop (nothing follows it)")


def _fail(tr, node, why):
    raise tr.unsupported(node, "this @gpu loop cannot run on the GPU: it %s" % why)


FORM = "must have the form `for (let i = start; i < end; i++)` (also `<=` and `i += step`)"


def _dim(tr, node):
    """The counter, start, comparison, bound and step of one marked loop."""
    init = node.child_by_field_name("initializer")
    cond = node.child_by_field_name("condition")
    inc = node.child_by_field_name("increment")
    if init is None or init.type != "lexical_declaration" or tr.text(init.children[0]) != "let":
        _fail(tr, init or node, "is not a counted loop: a @gpu loop " + FORM)
    decls = [d for d in init.named_children if d.type == "variable_declarator"]
    if len(decls) != 1 or decls[0].child_by_field_name("name").type != "identifier" \
            or decls[0].child_by_field_name("value") is None:
        _fail(tr, init, "is not a counted loop: a @gpu loop " + FORM)
    var = tr.text(decls[0].child_by_field_name("name"))
    start = decls[0].child_by_field_name("value")
    if cond is not None and cond.type == "expression_statement" and cond.named_children:
        cond = cond.named_children[0]
    cond = unparen(cond) if cond is not None else None
    if cond is None or cond.type != "binary_expression" or tr.text(cond.child_by_field_name("operator")) not in ("<", "<=") \
            or unparen(cond.child_by_field_name("left")).type != "identifier" \
            or tr.text(unparen(cond.child_by_field_name("left"))) != var:
        _fail(tr, cond or node, "is not a counted loop: a @gpu loop " + FORM)
    step = None
    inc = unparen(inc) if inc is not None else None
    if inc is not None and inc.type == "update_expression" and tr.text(inc.child_by_field_name("operator")) == "++" \
            and tr.text(unparen(inc.child_by_field_name("argument"))) == var:
        step = 1
    elif inc is not None and inc.type == "augmented_assignment_expression" \
            and tr.text(inc.child_by_field_name("operator")) == "+=" \
            and tr.text(unparen(inc.child_by_field_name("left"))) == var \
            and unparen(inc.child_by_field_name("right")).type == "number":
        from ..transform.literals import parse_number
        v = parse_number(tr.text(unparen(inc.child_by_field_name("right"))))
        if v is not None and 0 < v < 2 ** 31 and v == int(v):     # int(Infinity) raises
            step = int(v)
    if step is None:
        _fail(tr, inc or node, "is not a counted loop: a @gpu loop " + FORM + ", with a positive integer step")
    return Dim(var, start, tr.text(cond.child_by_field_name("operator")), cond.child_by_field_name("right"), step, node)


def _only_statement(body):
    stmts = [c for c in (body.named_children if body.type == "statement_block" else [body]) if c.type != "comment"]
    return stmts[0] if len(stmts) == 1 else None


PURE = ("number", "identifier", "parenthesized_expression", "binary_expression", "unary_expression",
        "ternary_expression", "member_expression", "call_expression", "arguments", "property_identifier",
        "true", "false", "comment")


def _check_bound(tr, node, counters):
    """Bounds run on the host, once for the launch and again for the CPU loop: they must have no
    side effects (numbers, variables, `.length`, operators and Math calls) and must not depend on
    the counters of the outer dimensions."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type not in PURE:
            _fail(tr, n, "has a bound with %s (bounds must be numbers, variables, `.length`, operators or "
                         "Math calls)" % n.type.replace("_", " "))
        if n.type == "identifier" and tr.text(n) in counters:
            _fail(tr, n, "has a bound that depends on the counter `%s` of an enclosing @gpu loop" % tr.text(n))
        if n.type == "call_expression":
            f = unparen(n.child_by_field_name("function"))
            if f.type != "member_expression" or tr.text(f.child_by_field_name("object")) != "Math":
                _fail(tr, n, "calls a function in a bound")
            if tr.text(f.child_by_field_name("property")) == "random":
                _fail(tr, n, "calls Math.random in a bound (the launch would draw it once, the loop at every test)")
        if n.type == "member_expression" and tr.text(n.child_by_field_name("property")) != "length" \
                and tr.text(n.child_by_field_name("object")) != "Math":
            # (a getter would run once for the launch and at every test of the sequential loop)
            _fail(tr, n, "reads the property `%s` in a bound (bounds may read `.length` only)"
                  % tr.text(n.child_by_field_name("property")))
        if n.type == "unary_expression" and tr.text(n.child_by_field_name("operator")) not in ("-", "+", "!", "~"):
            _fail(tr, n, "has a bound with the operator `%s`" % tr.text(n.child_by_field_name("operator")))
        stack.extend(n.named_children)


def _identifiers(node):
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            out.append(n)
        elif n.type != "member_expression":      # (a property name is no variable)
            stack.extend(n.named_children)
        else:
            stack.append(n.child_by_field_name("object"))
    return out


def build(tr, node, opts):
    """The kernel of the marked nest starting at `node` (its IR and CUDA C)."""
    p = node.parent
    while p is not None and p.type not in ("function_declaration", "function_expression", "arrow_function",
                                           "method_definition", "generator_function_declaration"):
        if p.type == "with_statement":
            _fail(tr, node, "is inside a `with` statement (its object's properties would be names in the body)")
        p = p.parent
    dims = [_dim(tr, node)]
    inner = node
    while len(dims) < MAX_DIMS:
        only = _only_statement(inner.child_by_field_name("body"))
        if only is None or only.type != "for_statement":
            break
        mark = gpu_mark(tr, only)
        if mark is None:
            break
        if mark["text"]:
            raise tr.unsupported(mark["node"], "an inner @gpu mark takes no options (`%s`): the outer loop's "
                                               "mark sets them for the whole launch" % mark["text"])
        inner = only
        dims.append(_dim(tr, inner))
    counters = set()
    for d in dims:
        _check_bound(tr, d.start, counters)
        _check_bound(tr, d.bound, counters)
        counters.add(d.var)
    line = node.start_point[0] + 1
    names = getattr(tr, "kernel_names", None)
    if names is None:
        names = tr.kernel_names = set()
    name = "ljs_L%d" % line
    while name in names:
        name += "_"
    names.add(name)
    import os
    k = Kernel(name, os.path.basename(tr.src.filename), line, dims, opts)
    b = Builder(tr, k)
    k.body = b.body_of(inner.child_by_field_name("body"))
    reduced = {name for name, _ in k.reductions}
    for d in dims:
        for n in _identifiers(d.start) + _identifiers(d.bound):
            if tr.text(n) in reduced:
                # (the launch reads it once; the sequential loop at every test)
                _fail(tr, n, "has a bound that reads the reduction variable `%s`" % tr.text(n))
    source_line = tr.src.lines[node.start_point[0]].decode("utf-8", "replace")
    k.source = cuda.emit(k, source_line)
    return k


# ---- launch sequences (docs/gpu.md "Residency") ---------------------------------------------
#
# A launch leaves its arrays on the device ("keep") when the next code that can touch array
# contents is another launch: only quiet statements (comments, declarations and assignments
# that move references or literals: nothing that reads or writes an element or runs user code)
# lie between. The last marked loop of the body of a counted `for` whose statements are all
# marked loops or quiet keeps them while that loop runs another iteration ("again"); the
# runtime checks the counter against the bound after the launch.

QUIET_VALUES = ("identifier", "number", "true", "false", "null", "undefined")


def _quiet_value(tr, n):
    n = unparen(n)
    if n.type == "identifier":
        return tr.lookup(tr.text(n)) is not None or tr.text(n) == "undefined"
    return n.type in QUIET_VALUES


def _quiet(tr, n):
    """A statement that cannot touch array contents nor run user code (nor leave the block)."""
    if n.type in ("comment", "empty_statement"):
        return True
    if n.type in ("lexical_declaration", "variable_declaration"):
        for d in n.named_children:
            if d.type == "comment":
                continue
            if d.type != "variable_declarator" or d.child_by_field_name("name").type != "identifier":
                return False
            v = d.child_by_field_name("value")
            if v is not None and not _quiet_value(tr, v):
                return False
        return True
    if n.type == "expression_statement" and n.named_children:
        e = unparen(n.named_children[0])
        parts = e.named_children if e.type == "sequence_expression" else [e]
        for a in parts:
            a = unparen(a)
            if a.type != "assignment_expression":
                return False
            left, right = unparen(a.child_by_field_name("left")), unparen(a.child_by_field_name("right"))
            if left.type == "array_pattern" and right.type == "array":
                # `[a, b] = [b, a]`: a swap of references (the compiler's own code for it, while
                # the array iterator is the built-in one, which a program that swaps buffers keeps)
                names = [c for c in left.named_children if c.type != "comment"]
                values = [c for c in right.named_children if c.type != "comment"]
                if len(names) != len(values) or not all(
                        c.type == "identifier" and tr.lookup(tr.text(c)) is not None for c in names) \
                        or not all(_quiet_value(tr, v) for v in values):
                    return False
                continue
            if left.type != "identifier" or tr.lookup(tr.text(left)) is None or not _quiet_value(tr, right):
                return False
        return True
    return False


def _is_marked_loop(tr, n):
    if n.type != "for_statement":
        return False
    try:
        return gpu_mark(tr, n) is not None
    except CompileError:
        return False


def _assigns(node, names, text):
    """Whether anything under `node` assigns (=, op=, ++/--) one of `names`."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            t = n.child_by_field_name("argument" if n.type == "update_expression" else "left")
            if t is not None and unparen(t).type == "identifier" and text(unparen(t)) in names:
                return True
        stack.extend(n.named_children)
    return False


def sequence_role(tr, node):
    """How the launch of the marked loop `node` ends: ("keep",), ("again", step, op, counter node,
    bound node) or None (host code may run next: the runtime brings the arrays home)."""
    sib = node.next_named_sibling
    while sib is not None and _quiet(tr, sib):
        sib = sib.next_named_sibling
    if sib is not None:
        return ("keep",) if _is_marked_loop(tr, sib) else None
    body = node.parent
    loop = body.parent if body is not None and body.type == "statement_block" else body
    if loop is None or loop.type != "for_statement" or _is_marked_loop(tr, loop):
        return None
    if loop.child_by_field_name("body") != body:
        return None
    stmts = body.named_children if body.type == "statement_block" else [body]
    if not all(_quiet(tr, n) or _is_marked_loop(tr, n) for n in stmts):
        return None
    try:
        dim = _dim(tr, loop)
    except CompileError:
        return None
    bound = unparen(dim.bound)
    names = {dim.var}
    if bound.type == "identifier":
        names.add(tr.text(bound))
    elif bound.type == "member_expression" and unparen(bound.child_by_field_name("object")).type == "identifier" \
            and tr.text(bound.child_by_field_name("property")) == "length":
        names.add(tr.text(unparen(bound.child_by_field_name("object"))))
    elif bound.type != "number":
        return None
    if _assigns(body, names, tr.text):
        return None
    init = loop.child_by_field_name("initializer")
    counter = [d for d in init.named_children if d.type == "variable_declarator"][0].child_by_field_name("name")
    return ("again", dim.step, dim.op, counter, dim.bound)


def _descriptor(k):
    """The Lua table the runtime keeps for a kernel: everything a launch needs but the values."""
    s = lambda v: L.Str(v)
    lst = lambda items: L.Table([(None, x) for x in items])
    return L.Table([
        (s("name"), s(k.name)),
        (s("where"), s("%s:%d" % (k.filename, k.line))),
        (s("source"), s(k.source)),
        (s("ops"), lst([s(d.op) for d in k.dims])),
        (s("steps"), lst([L.Num(d.step) for d in k.dims])),
        (s("arrays"), lst([s(c_ident(n)) for n in k.arrays])),
        (s("writes"), lst([L.Lit("true" if a["write"] else "false") for a in k.arrays.values()])),
        (s("nscalars"), L.Num(len(k.scalars))),
        (s("reductions"), lst([s(op) for _, op in k.reductions])),
        (s("block"), L.Num(k.options["block"])),
        (s("fast"), L.Lit("true" if k.options["fast"] else "false")),
        (s("keep"), L.Lit("true" if k.sequence and k.sequence[0] == "keep" else "false")),
    ] + ([(s("again"), L.Num(k.sequence[1])), (s("again_op"), s(k.sequence[2]))]
         if k.sequence and k.sequence[0] == "again" else []))


def lower(tr, node, opts, ordinary):
    """Lua for a marked loop: launch the kernel, or run `ordinary` (the loop's CPU compile)."""
    k = build(tr, node, opts)
    k.sequence = sequence_role(tr, node)
    tr.kernels.append(k)
    gpu = tr.const(L.Call(L.Index(L.Name("J0"), L.Str("require_from")), [L.Name("J0_M"), L.Str("lua:ljs.gpu")]),
                   "GPU")
    launcher = tr.const(L.Call(L.Index(gpu, L.Str("kernel")), [_descriptor(k)]), "GPU")
    ok = tr.temp("g")
    results = [tr.temp("r") for _ in k.reductions]
    tr.emit(L.Local([ok] + results, [], tr.pos(node)))
    # Starts and bounds are read only where the sequential loops would read them: none with
    # the GPU off, an inner loop's only when the loops around it run at least once (an empty
    # outer range leaves the launch to the CPU loop, which does nothing).
    bounds = []
    for d in k.dims[:-1]:
        s, b = tr.temp("s"), tr.temp("b")
        bounds.append((L.Local([s, b], [tr.expr(d.start), tr.expr(d.bound)]),
                       L.Call(L.Index(gpu, L.Str("span")), [L.Name(s), L.Name(b), L.Str(d.op)]), [s, b]))
    last = k.dims[-1]
    args = [L.Name(v) for _, _, names in bounds for v in names] + [tr.expr(last.start), tr.expr(last.bound)]
    args += [tr.lookup(n).ref() for n in k.arrays]
    args += [tr.lookup(n).ref() for n in k.scalars]
    args += [tr.lookup(n).ref() for n, _ in k.reductions]
    if k.sequence and k.sequence[0] == "again":
        args += [tr.expr(k.sequence[3]), tr.expr(k.sequence[4])]
    launch = [L.Assign([L.Name(v) for v in [ok] + results], [L.Call(launcher, args)], tr.pos(node))]
    for local, nonempty, _ in reversed(bounds):
        # (no launch: what an earlier launch left on the device comes home for the CPU loop)
        launch = [local, L.If([(nonempty, launch)], [L.ExprStat(L.Call(L.Index(gpu, L.Str("settle")), []))])]
    tr.emit(L.If([(L.Call(L.Index(gpu, L.Str("on")), []), launch)]))
    saved = tr.in_gpu_fallback
    tr.in_gpu_fallback = True
    try:
        _, cpu = tr.capture(ordinary, tr, node)
    finally:
        tr.in_gpu_fallback = saved
    done = []
    for (n, _), r in zip(k.reductions, results):
        b = tr.lookup(n)
        done.append(store(b, L.Name(r)))
        # (an exported variable's importers read the module's export slot)
        done += [L.Assign([L.Index(L.Name("J0_exports"), L.Str(utf8(e)))], [b.ref()]) for e in b.export_names]
    tr.emit(L.If([(L.Name(ok), done)], cpu or [L.Do([])]))
