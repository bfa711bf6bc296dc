"""Object and array literals, property keys, spread, tagged templates."""
from ..lua import ast as L
from .context import Transformer, scan
from .statements import FUNCTION_TYPES
from .expressions import global_ref, js_number_key, named
from .literals import string_value, utf8, template_parts, parse_number

visitor = Transformer.visitor

# The key of an object's shape (R.SHAPE in core.lua), written as a literal so that LuaJIT keeps
# it in a table constructor's template.
SHAPE_KEY = L.Str(b"\xff")


def property_key(tr, key_n):
    """A property key as a Lua expression: Str for static names, canonical Num for indices."""
    t = key_n.type
    if t in ("property_identifier", "identifier", "shorthand_property_identifier"):
        return L.Str(utf8(tr.text(key_n)))
    if t == "string":
        s = string_value(tr, key_n)
        if s.isascii() and s.isdigit() and (s == "0" or not s.startswith("0")) and int(s) < 4294967295:
            return L.Num(int(s))
        return L.Str(utf8(s))
    if t == "number":
        v = parse_number(tr.text(key_n))
        if v is None:   # a BigInt literal: its decimal digits
            big = int(tr.text(key_n).replace("_", "")[:-1], 0)
            return L.Num(big) if big < 4294967295 else L.Str(str(big))
        if v >= 0 and v < 4294967295 and v == int(v):    # int() of Infinity raises
            return L.Num(int(v))
        return L.Str(js_number_key(v))
    if t == "computed_property_name":
        e = tr.expr(named(key_n)[0])
        return L.Call(tr.h("tokey"), [e])
    if t == "private_property_identifier":
        return tr.private_key(key_n)
    raise tr.unsupported(key_n, "unsupported property key")


def static_key_name(tr, key_n, key):
    """The name a method takes from its key: the key's string (`'a b'() {}` is "a b", `0x10() {}`
    is "16"), a private name as written, nothing for a computed key (named at run time)."""
    if key_n.type == "computed_property_name":
        return ""
    if isinstance(key, L.Str):
        return key.value.decode("utf-8", "replace")
    if isinstance(key, L.Num):
        return str(key.value)
    return tr.text(key_n)


Transformer.static_key_name = static_key_name


Transformer.property_key = property_key


def static_members(tr, node):
    """The keys (L.Str) and value nodes of an object literal whose members are all `k: v` or `k`
    with distinct static keys, other than __proto__; else None."""
    keys, values, seen = [], [], set()
    for it in named(node):
        if it.is_extra:
            continue
        if it.type == "shorthand_property_identifier":
            k, vn = L.Str(utf8(tr.text(it))), it
        elif it.type == "pair" and it.child_by_field_name("key").type in ("property_identifier", "string", "number"):
            k, vn = property_key(tr, it.child_by_field_name("key")), it.child_by_field_name("value")
            if isinstance(k, L.Str) and k.value == b"__proto__":
                return None
        else:
            return None
        if k.value in seen:
            return None
        seen.add(k.value)
        keys.append(k)
        values.append(vn)
    return keys, values


def static_literal(tr, keys, value_of, n, pos):
    """setmetatable({k = v, ..., [SHAPE] = S}, ObjectMT), the values from value_of(0..n-1)."""
    values = tr.exprs_in_order(list(range(n)), fn=value_of)
    if not keys:
        # room for a shape and three keys: filled by stores one by one, a table made empty
        # grows its hash part three times (3 rehashes, 200 ns an object)
        return L.Call(L.Name("setmetatable"), [L.Call(tr.h("tnew"), [L.Num(0), L.Num(4)]),
                                               tr.h("ObjectMT")], pos)
    shape = tr.const(L.Call(tr.h("shape"), [L.Table([(None, k) for k in keys])]), "S")
    entries = list(zip(keys, values)) + [(SHAPE_KEY, shape)]
    return L.Call(L.Name("setmetatable"), [L.Table(entries), tr.h("ObjectMT")], pos)


def member_value(tr, vn, key):
    if vn.type == "shorthand_property_identifier":
        return identifier_value(tr, vn)
    return tr.expr_named_key(vn, key)


@visitor("object")
def object_literal(tr, node):
    pos = tr.pos(node)
    items = [c for c in named(node) if not c.is_extra]
    members = static_members(tr, node)
    if members is not None:
        keys, nodes = members
        return static_literal(tr, keys, lambda i: member_value(tr, nodes[i], keys[i]), len(keys), pos)
    # general case: build step by step; a literal that starts with a spread is made by the
    # spread (rt.lua's spread_obj sizes the table for the source's keys)
    o = tr.temp("obj")
    if items and items[0].type == "spread_element":
        first = tr.expr(named(items[0])[0])
        tr.emit(L.Local([o], [L.Call(tr.h("spread_obj"), [first])], pos))
        items = items[1:]
    else:
        tr.emit(L.Local([o], [L.Call(L.Name("setmetatable"), [L.Table([]), tr.h("ObjectMT")])], pos))
    obj = L.Name(o)
    saved = tr.stmts
    for it in items:
        # each member's temporaries (a computed key, a value's) live in a block of its own: a
        # literal of hundreds of computed keys (TypeScript's node tables) would pass Lua's 200 locals
        tr.stmts = []
        object_member(tr, obj, it)
        saved.extend([L.Do(tr.stmts)] if any(isinstance(st, L.Local) for st in tr.stmts) else tr.stmts)
    tr.stmts = saved
    return obj


def object_member(tr, obj, it):
    t = it.type
    if t == "shorthand_property_identifier":
        tr.emit(L.ExprStat(L.Call(tr.h("put"), [obj, L.Str(utf8(tr.text(it))), identifier_value(tr, it)])))
    elif t == "pair":
        key_n = it.child_by_field_name("key")
        key = property_key(tr, key_n)
        if key_n.type == "computed_property_name":
            key = tr.to_temp(key, "k")
        if isinstance(key, L.Str) and key.value == b"__proto__" and key_n.type != "computed_property_name":
            v = tr.expr(it.child_by_field_name("value"))
            tr.emit(L.ExprStat(L.Call(tr.h("set_literal_proto"), [obj, v])))
            return
        v = tr.expr_named_key(it.child_by_field_name("value"), key)
        tr.emit(L.ExprStat(L.Call(tr.h("defdata"), [obj, key, v])))
    elif t == "spread_element":
        v = tr.expr(named(it)[0])
        tr.emit(L.ExprStat(L.Call(tr.h("assign_spread"), [obj, v])))
    elif t == "method_definition":
        name_n = it.child_by_field_name("name")
        key = property_key(tr, name_n)
        if name_n.type == "computed_property_name":
            key = tr.to_temp(key, "k")
        kinds = [c.type for c in it.children]
        nm = static_key_name(tr, name_n, key)
        kind = "get" if "get" in kinds else "set" if "set" in kinds else "method"
        prefix = kind + " " if kind != "method" else ""
        f = tr.function_like(it, name_hint=prefix + nm, method_kind=kind, class_info=tr.object_home(obj))
        if name_n.type == "computed_property_name":
            f = key_named(tr, f, key, prefix)
        if kind == "get":
            tr.emit(L.ExprStat(L.Call(tr.h("defaccessor"), [obj, key, f, L.Lit("nil"), L.Lit("true")])))
        elif kind == "set":
            tr.emit(L.ExprStat(L.Call(tr.h("defaccessor"), [obj, key, L.Lit("nil"), f, L.Lit("true")])))
        else:
            tr.emit(L.ExprStat(L.Call(tr.h("defdata"), [obj, key, f])))
    else:
        raise tr.unsupported(it, "unsupported object member %s" % t)


def identifier_value(tr, node):
    name = tr.text(node)
    b = tr.lookup(name)
    if b is not None:
        return b.ref(tr.pos(node))
    if name == "undefined":
        return L.Lit("nil")
    return global_ref(tr, name, tr.pos(node))


ANONYMOUS_FUNCTIONS = ("arrow_function", "function_expression", "function", "generator_function", "class")


def expr_named_key(tr, node, key):
    """The value of a property: an anonymous function or class takes the key's name."""
    if node.type not in ANONYMOUS_FUNCTIONS or node.child_by_field_name("name") is not None:
        return tr.expr(node)
    if not isinstance(key, L.Str):
        return key_named(tr, tr.expr(node), key)
    if node.type == "class":
        return tr.class_expr(node, key.value.decode("utf-8", "replace"))
    return tr.function_like(node, name_hint=key.value.decode("utf-8", "replace"))


def key_named(tr, f, key, prefix=""):
    """f named at run time after a computed key (a symbol's name is its description)."""
    return L.Call(tr.h("named"), [f, key] + ([L.Str(prefix)] if prefix else []))


Transformer.key_named = key_named


Transformer.expr_named_key = expr_named_key


def object_home(tr, obj):
    """Home object of object-literal methods, for `super.x` inside them; "parent" keeps the
    enclosing class's private names in reach."""
    return {"home": obj, "parent": tr.func.class_info if tr.func else None}


Transformer.object_home = object_home


# ---- arrays --------------------------------------------------------------------------------------
def array_elements(node):
    """Elements of an array literal, with None for holes."""
    out = []
    expect = True
    for c in node.children:
        if c.type in ("[", "]") or c.is_extra:
            continue
        if c.type == ",":
            if expect:
                out.append(None)
            expect = True
            continue
        out.append(c)
        expect = False
    return out


def array_from_items(tr, items, pos):
    """An array built from expressions and spreads (also used for spread calls)."""
    if not any(i is not None and i.type == "spread_element" for i in items):
        return plain_array(tr, items, pos)
    a = tr.temp("arr")
    tr.emit(L.Local([a], [L.Call(tr.h("arr"), [L.Table([]), L.Num(0)])], pos))
    for it in items:
        if it is None:
            tr.emit(L.Assign([L.Index(L.Name(a), L.Str("length"))],
                             [L.BinOp("+", L.Index(L.Name(a), L.Str("length")), L.Num(1))]))
            tr.emit(L.ExprStat(L.Call(tr.h("holey"), [L.Name(a)])))
        elif it.type == "spread_element":
            v = tr.expr(named(it)[0])
            from .assignment import not_iterable, v8_text
            why = L.Str(utf8(not_iterable(v8_text(tr, named(it)[0]))))
            tr.emit(L.ExprStat(L.Call(tr.h("push_spread"), [L.Name(a), v, why])))
        else:
            v = tr.expr(it)
            tr.emit(L.ExprStat(L.Call(tr.h("push1"), [L.Name(a), v])))
    return L.Name(a)


Transformer.array_from_items = array_from_items


def plain_array(tr, items, pos):
    vals = iter(tr.exprs_in_order([i for i in items if i is not None]))
    # Element i goes in Lua's positional part (index i + 1) until the first hole after element
    # 0, which is keyed because Lua counts from 1; past a hole every element takes its key.
    entries = []
    gapless = True
    for i, it in enumerate(items):
        if it is None:
            gapless = gapless and i == 0
            continue
        v = next(vals)
        if i == 0 or not gapless:
            entries.append((L.Num(i), v))
        else:
            entries.append((None, L.Paren(v) if isinstance(v, (L.Call, L.MethodCall)) else v))
    entries.append((L.Str("length"), L.Num(len(items))))
    arr = L.Call(L.Name("setmetatable"), [L.Table(entries), tr.h("ArrayMT")], pos)
    if any(it is None for it in items):
        return L.Call(tr.h("holey"), [arr], pos)
    return arr


@visitor("array")
def array_literal(tr, node):
    items = array_elements(node)
    return array_from_items(tr, items, tr.pos(node))


# ---- tagged templates ----------------------------------------------------------------------------
def tagged_template_args(tr, node):
    parts = template_parts(tr, node)
    raw_parts = template_parts(tr, node, raw=True)
    cooked = [L.Lit("nil") if v is None else L.Str(utf8(v)) for k, v in parts if k == "str"]
    raw = [L.Str(utf8(v)) for k, v in raw_parts if k == "str"]
    strings = tr.const(L.Call(tr.h("template_object"), [L.Table([(None, c) for c in cooked]),
                                                         L.Table([(None, r) for r in raw])]), "T")
    exprs = tr.exprs_in_order([v for k, v in parts if k == "expr"])
    return [strings] + exprs


Transformer.tagged_template_args = tagged_template_args


# ---- a literal filled by the stores that follow it ---------------------------------------------
# `const o = {}; o.a = x; o.b = y;` builds o in one table constructor, {a = x, b = y}, when
# nothing can see o before the last store: the values do not name it, no function anywhere in
# the enclosing one does, and an exception on the way leaves the block that declares it. Stores
# differ from a literal's definitions only where Object.prototype has a setter or a read-only
# property, which the one check at run time sends down the statements as written.
MAX_FOLDED = 32


def folded_stores(tr, decl_node, name, keys):
    """The `name.k = v;` statements right after decl_node that a literal with keys can take,
    with their keys, or []."""
    run, seen = [], {k.value for k in keys}
    st = decl_node.next_named_sibling
    while st is not None and len(run) < MAX_FOLDED:
        if st.is_extra:
            st = st.next_named_sibling
            continue
        e = named(st)[0] if st.type == "expression_statement" and named(st) else None
        if e is None or e.type != "assignment_expression":
            break
        left, right = e.child_by_field_name("left"), e.child_by_field_name("right")
        if left.type != "member_expression" or b"?" in tr.src.data[left.start_byte:left.end_byte]:
            break
        obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        if obj.type != "identifier" or tr.text(obj) != name or prop.type != "property_identifier":
            break
        k = tr.text(prop)
        if k == "__proto__" or utf8(k) in seen or mentions(tr, right, name):
            break
        seen.add(utf8(k))
        run.append((st, k, right))
        st = st.next_named_sibling
    return run


def mentions(tr, node, name):
    return any(n.type == "identifier" and tr.text(n) == name for n in scan(node, ()))


def closure_names(tr, node):
    """Identifiers named inside functions and classes nested in the function or program around
    node (one pass over it, kept per function)."""
    top = node.parent
    while top.parent is not None and top.type not in FUNCTION_TYPES:
        top = top.parent
    cache = tr.__dict__.setdefault("_closure_names", {})
    key = (top.start_byte, top.end_byte)
    names = cache.get(key)
    if names is None:
        names = set()
        stack = list(top.named_children)
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_TYPES:
                names.update(tr.text(x) for x in scan(n, ()) if x.type == "identifier")
            else:
                stack.extend(n.named_children)
        cache[key] = names
    return names


def literal_with_stores(tr, decl_node, d, kind):
    """Compile `let/const o = {...}` and the stores after it (see above) when they fold; returns
    whether it did."""
    name_n, value_n = d.child_by_field_name("name"), d.child_by_field_name("value")
    if kind == "var" or name_n.type != "identifier" or value_n is None or value_n.type != "object" \
            or not tr.optimize or tr.tight or tr.with_depth \
            or (tr.is_esm and b"export" in tr.src.data) or len(named(decl_node)) != 1:
        return False
    members = static_members(tr, value_n)
    name = tr.text(name_n)
    run = folded_stores(tr, decl_node, name, members[0]) if members is not None else []
    if not run or name in closure_names(tr, decl_node):
        return False
    keys, nodes = members
    lit_n = len(keys)
    keys = keys + [L.Str(utf8(k)) for _, k, _ in run]
    nodes = nodes + [right for _, _, right in run]

    def value_of(i):
        return member_value(tr, nodes[i], keys[i]) if i < lit_n else tr.expr(nodes[i])
    pos = tr.pos(value_n)
    whole, pre = tr.capture(static_literal, tr, keys, value_of, len(keys), pos)
    tr.bind_name(name_n, None, kind)
    b = tr.lookup(name)

    def as_written():
        tr.emit(L.Assign([b.ref(pos)], [tr.expr(value_n)], pos))
        for st, _, _ in run:
            tr.stat(st)
    _, slow = tr.capture(as_written)
    plain = L.BinOp("==", L.Index(tr.h("ObjectMT"), L.Str("__index")), tr.h("ObjectPrototype"))
    tr.emit(L.If([(plain, pre + [L.Assign([b.ref(pos)], [whole], pos)])], slow, pos))
    tr.folded.update((st.start_byte, st.end_byte) for st, _, _ in run)
    return True
Transformer.literal_with_stores = literal_with_stores
