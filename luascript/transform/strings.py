"""Strings built by appending in a loop: `s += x` makes a new string each time (quadratic in
Lua as in any language with immutable strings). When a loop only appends to a string variable
and never reads it, the loop appends to a string.buffer and the variable is set once after it.

Nothing may see the variable while the loop runs, nor after the loop leaves other than at its
end: so no closure of the function refers to it (a call in the loop could read it), the loop is
in no try statement of the function (a throw would skip the write back) and jumps to no label
outside it (a labelled break or continue would).
"""
from .expressions import named, unparen
from .statements import FUNCTION_TYPES
from .loops import captured_in_closure


def append_only_strings(tr, loop):
    """Bindings of string variables that the loop appends to and does not otherwise read."""
    fn = tr.func.node
    # (only variables typed as strings by numeric.py's analysis qualify, never a const: appending
    # to one throws)
    if fn is None or not tr.func.stringy or _in_try(loop, fn):
        return []
    appends = {}
    reads = set()
    stack = [(loop, False)]
    while stack:
        n, in_fn = stack.pop()
        t = n.type
        if t == "identifier":
            reads.add(tr.text(n))
            continue
        if not in_fn and t in ("break_statement", "continue_statement") and named(n):
            return []
        if not in_fn and t == "expression_statement":
            e = named(n)[0] if named(n) else None
            name, rhs = _append(tr, e) if e is not None else (None, None)
            if name is not None:
                appends[name] = appends.get(name, 0) + 1
                stack.append((rhs, in_fn))
                continue
        inner = in_fn or t in FUNCTION_TYPES
        for c in n.named_children:
            stack.append((c, inner))
    out = []
    scope = fn.named_children if fn.type in FUNCTION_TYPES else [fn]
    for name in appends:
        if name in reads or captured_in_closure(tr, scope, (name,)):
            continue
        b = tr.lookup(name)
        if b is not None and b.ty == "string" and b.kind != "const" and b.func is tr.func \
                and isinstance(b.lua, str) and not b.export_names:
            out.append(b)
    return out


def _in_try(n, fn):
    n = n.parent
    while n is not None and n != fn:
        if n.type == "try_statement":
            return True
        n = n.parent
    return False


def _append(tr, e):
    """(name, appended expression) of `name += x` or `name = name + x`, else (None, None)."""
    e = unparen(e)
    if e.type == "augmented_assignment_expression" and tr.text(e.child_by_field_name("operator")) == "+=":
        left = unparen(e.child_by_field_name("left"))
        if left.type == "identifier":
            return tr.text(left), e.child_by_field_name("right")
    if e.type == "assignment_expression":
        left = unparen(e.child_by_field_name("left"))
        right = unparen(e.child_by_field_name("right"))
        if left.type == "identifier" and right.type == "binary_expression" \
                and tr.text(right.child_by_field_name("operator")) == "+":
            r_left = unparen(right.child_by_field_name("left"))
            if r_left.type == "identifier" and tr.text(r_left) == tr.text(left):
                return tr.text(left), right.child_by_field_name("right")
    return None, None


def buffered_append(tr, node):
    """Emit the append of an expression statement into the loop's buffer; False when it is not one."""
    if not tr.strbufs:
        return False
    name, rhs = _append(tr, node)
    if name is None:
        return False
    b = tr.lookup(name)
    buf = tr.strbufs.get(b)
    if buf is None:
        return False
    from ..lua import ast as L
    v = tr.expr(rhs)
    if tr.ty(rhs) != "string":
        v = L.Call(tr.h("catv"), [v])   # (put takes numbers as `..` does)
    tr.emit(L.ExprStat(L.MethodCall(L.Name(buf), "put", [v]), tr.pos(node)))
    return True
