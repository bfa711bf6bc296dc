"""Object and array literals, property keys, spread, tagged templates."""
from ..lua import ast as L
from .context import Transformer
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


@visitor("object")
def object_literal(tr, node):
    pos = tr.pos(node)
    items = [c for c in named(node) if not c.is_extra]
    static = []
    simple = True
    for it in items:
        if it.type == "shorthand_property_identifier":
            static.append(it)
        elif it.type == "pair" and it.child_by_field_name("key").type in ("property_identifier", "string", "number"):
            key = property_key(tr, it.child_by_field_name("key"))
            if isinstance(key, L.Str) and key.value == b"__proto__":
                simple = False
                break
            static.append(it)
        else:
            simple = False
            break
    if simple:
        keys = []
        seen = set()
        nodes = []
        for it in items:
            if it.type == "shorthand_property_identifier":
                k = L.Str(utf8(tr.text(it)))
                vn = it
            else:
                k = property_key(tr, it.child_by_field_name("key"))
                vn = it.child_by_field_name("value")
            kv = k.value
            if kv in seen:
                simple = False
                break
            seen.add(kv)
            keys.append(k)
            nodes.append((vn, it))
    if simple:
        def value_of(i):
            vn = nodes[i][0]
            if vn.type == "shorthand_property_identifier":
                return identifier_value(tr, vn)
            return tr.expr_named_key(vn, keys[i])
        values = tr.exprs_in_order(list(range(len(nodes))), fn=value_of)
        if not keys:
            # room for a shape and three keys: filled by stores one by one, a table made empty
            # grows its hash part three times (3 rehashes, 200 ns an object)
            return L.Call(L.Name("setmetatable"), [L.Call(tr.h("tnew"), [L.Num(0), L.Num(4)]),
                                                   tr.h("ObjectMT")], pos)
        shape = tr.const(L.Call(tr.h("shape"), [L.Table([(None, k) for k in keys])]), "S")
        entries = list(zip(keys, values)) + [(SHAPE_KEY, shape)]
        return L.Call(L.Name("setmetatable"), [L.Table(entries), tr.h("ObjectMT")], pos)
    # general case: build step by step
    o = tr.temp("obj")
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
            tr.emit(L.ExprStat(L.Call(tr.h("push_spread"), [L.Name(a), v])))
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
