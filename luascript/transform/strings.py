"""Strings built by appending: `s += x` makes a new string each time, quadratic in Lua as in any
language with immutable strings. Two ways out, both exact:

- A loop that only appends to a string variable and never reads it appends to a string.buffer,
  and the variable is set once after it (the buffer is made when the string reaches SB_MIN
  bytes; shorter strings are joined as usual). Reading its length is allowed (`while (s.length
  < n)`): the loop then counts the length in a local, adding each piece's (counted_length).
  Nothing may see the variable while the loop runs, nor after the loop leaves other than at its
  end: so no closure of the function refers to it (a call in the loop could read it), the loop
  is in no try statement of the function (a throw would skip the write back) and jumps to no
  label outside it (a labelled break or continue would).
- A string variable that closures append to (`items.forEach(x => { html += f(x) })`), or that a
  loop appends to where the first way cannot go, lives in a cell (core.lua's R.sbnew): every read
  and store of it goes through the cell, an append puts into the cell's buffer, and a read makes
  the string once per change.
"""
import weakref

from ..lua import ast as L
from .context import in_for_head
from .expressions import named, unparen
from .statements import FUNCTION_TYPES
from .loops import captured_in_closure


def append_only_strings(tr, loop):
    """(binding, counted) of string variables that the loop appends to and does not otherwise
    read, but for their length (`s.length`) when counted: the loop then keeps the length in a
    local of its own, added to at each append."""
    fn = tr.func.node
    # (only variables typed as strings by numeric.py's analysis qualify, never a const: appending
    # to one throws)
    if fn is None or not tr.func.stringy or _in_try(loop, fn):
        return []
    appends = {}
    reads = set()
    lengths = set()
    stack = [(loop, False)]
    while stack:
        n, in_fn = stack.pop()
        t = n.type
        if t == "identifier":
            reads.add(tr.text(n))
            continue
        if not in_fn and _length_read(tr, n):
            lengths.add(tr.text(n.child_by_field_name("object")))
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
                and isinstance(b.lua, str) and not b.export_names and b.builder is None:
            out.append((b, name in lengths))
    return out


def _length_read(tr, n):
    """Whether n reads `name.length` of a variable (not as a store's target)."""
    if n.type != "member_expression" or tr.text(n.child_by_field_name("property")) != "length":
        return False
    obj = n.child_by_field_name("object")
    if obj.type != "identifier" or any(c.type == "optional_chain" for c in n.children):
        return False
    p = n.parent
    return not (p is not None and p.type in ("assignment_expression", "augmented_assignment_expression",
                                             "update_expression")
                and (p.child_by_field_name("left") or p.child_by_field_name("argument")) == n)


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
    """Emit the append of an expression statement into the loop's buffer or the variable's cell;
    False when it is not one."""
    name, rhs = _append(tr, node)
    if name is None:
        return False
    b = tr.lookup(name)
    if b is not None and b.builder is not None:
        return cell_append(tr, node, b, rhs)
    buf = tr.strbufs.get(b)
    if buf is None:
        return False
    v = tr.expr(rhs)
    count = tr.strlens.get(b)
    stringy = tr.ty(rhs) == "string" or count is not None
    if not stringy:
        v = L.Call(tr.h("catv"), [v])   # (a number goes to `..` and put as it is, not interned)
    elif tr.ty(rhs) != "string":
        v = L.Call(tr.h("tostr"), [v])
    piece = tr.temp("sp")
    tr.emit(L.Local([piece], [v]))
    if count is not None:
        # the piece's own length is added to the loop's count of the string's
        tr.emit(L.Assign([L.Name(count)], [L.BinOp("+", L.Name(count), L.Call(tr.h("strlen"), [L.Name(piece)]))]))
    # short strings are joined as usual; the buffer is made when the string reaches SB_MIN bytes
    # (a loop that builds a few bytes made a buffer per run for nothing)
    s = b.ref()
    join = L.Call(tr.h("cat" if stringy else "catp"), [s, L.Name(piece)])
    joined = [L.Assign([s], [join]),
              L.If([(L.BinOp(">=", L.UnOp("#", s), L.Num(SB_MIN)),
                     [L.Assign([L.Name(buf)], [L.Call(tr.h("strbuf"), [s])])])])]
    tr.emit(L.If([(L.Name(buf), [L.ExprStat(L.MethodCall(L.Name(buf), "put", [L.Name(piece)]))])], joined, tr.pos(node)))
    return True


SB_MIN = 256   # bytes (as core.lua's cells)


def counted_length(tr, node):
    """The loop's count of `name.length` for a string the loop builds in a buffer, or None."""
    if not tr.strlens or not _length_read(tr, node):
        return None
    b = tr.lookup(tr.text(node.child_by_field_name("object")))
    count = tr.strlens.get(b)
    return L.Name(count) if count is not None else None


# ---- string variables in cells ---------------------------------------------------------------------
class Builder:
    """How a string variable kept in a cell is declared, read and stored."""

    def __init__(self, tr, lua):
        self.tr, self.lua = weakref.proxy(tr), lua     # (the transformer holds the binding)

    def new(self, value=None):
        return L.Call(self.tr.h("sbnew"), [value] if value is not None else [])

    def read(self, pos=None):
        return L.Call(self.tr.h("sbread"), [L.Name(self.lua)], pos)

    def store(self, value, pos=None):
        return L.ExprStat(L.Call(self.tr.h("sbset"), [L.Name(self.lua), value]), pos)


LOOP_TYPES = ("for_statement", "for_in_statement", "while_statement", "do_statement")


def make_builder(tr, b, node):
    """Keep string binding b in a cell when closures append to it, or when a loop does and the
    loop's buffer cannot be used (the variable is captured, or the loop is in a try statement)."""
    fn = b.func.node if b.func is not None else None
    if fn is None or not tr.may_mention([fn], (b.name,)):
        return
    if in_for_head(node):
        return   # (a let of a for head is copied per iteration: loops.py)
    captured = closure_append = loop_append = try_append = False
    stack = [(c, False, False, False) for c in fn.named_children]
    while stack:
        n, in_fn, in_loop, in_try = stack.pop()
        t = n.type
        if t == "identifier":
            captured = captured or (in_fn and tr.text(n) == b.name)
            continue
        if t in ("augmented_assignment_expression", "assignment_expression") and _append(tr, n)[0] == b.name:
            if in_fn:
                closure_append = True
            elif in_loop:
                loop_append = True
                try_append = try_append or in_try
        in_fn = in_fn or t in FUNCTION_TYPES
        in_loop = in_loop or t in LOOP_TYPES
        in_try = in_try or t == "try_statement"
        for c in n.named_children:
            stack.append((c, in_fn, in_loop, in_try))
    if closure_append or loop_append and (captured or try_append):
        b.builder = Builder(tr, b.lua)


def cell_append(tr, node, b, rhs):
    """`s += x` of a variable in a cell: x goes into its buffer. When evaluating x may run code
    that changes s, what s held before is marked first (R.sbput_after)."""
    from .expressions import tdz_guard
    pos = tr.pos(node)
    if tdz_guard(tr, b, node, pos) is not None:
        return False
    cell = L.Name(b.lua)
    mark = None
    if not inert(tr, rhs):
        mark = [tr.temp("m"), tr.temp("n")]
        tr.emit(L.Local(mark, [L.Call(tr.h("sbmark"), [cell])]))
    v = tr.expr(rhs)
    if tr.ty(rhs) != "string":
        v = L.Call(tr.h("catv"), [v])
    if mark is None:
        tr.emit(L.ExprStat(L.Call(tr.h("sbput"), [cell, v]), pos))
    else:
        tr.emit(L.ExprStat(L.Call(tr.h("sbput_after"), [cell, v] + [L.Name(m) for m in mark]), pos))
    return True


INERT_LITERALS = frozenset(("number", "string", "true", "false", "null", "undefined"))
INERT_OPS = frozenset(("+", "-", "*", "/", "%", "**", "===", "!==", "==", "!=", "<", ">", "<=", ">=",
                       "&&", "||", "??", "!", "typeof", "void"))


def inert(tr, node):
    """Whether evaluating node runs no code of the program: literals and typed variables combined
    by operators that call no valueOf or toString on them."""
    node = unparen(node)
    t = node.type
    if t in INERT_LITERALS:
        return True
    if t == "identifier":
        b = tr.lookup(tr.text(node))
        return b is not None and b.ty in ("number", "string", "boolean")
    if t == "template_string":
        return all(inert(tr, named(c)[0]) for c in named(node) if c.type == "template_substitution")
    if t == "binary_expression":
        return tr.text(node.child_by_field_name("operator")) in INERT_OPS \
            and inert(tr, node.child_by_field_name("left")) and inert(tr, node.child_by_field_name("right"))
    if t == "unary_expression":
        return tr.text(node.child_by_field_name("operator")) in INERT_OPS \
            and inert(tr, node.child_by_field_name("argument"))
    if t == "ternary_expression":
        return all(inert(tr, node.child_by_field_name(f)) for f in ("condition", "consequence", "alternative"))
    return False
