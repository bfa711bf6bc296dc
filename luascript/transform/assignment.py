"""Assignments, updates and destructuring patterns."""
from ..lua import ast as L
from .context import Transformer, is_stable, store
from .expressions import (named, plain_identifier, global_ref, unparen, ty, index_key, tdz_guard, array_elements,
                          array_literal_pairs, BITWISE)
from .literals import join_strings, utf8
from .objects import MAX_FOLDED   # (a folded literal's values are locals: Lua allows 200 in all)

NESTED = "nested"   # (destructure's source for a pattern inside a pattern)

visitor = Transformer.visitor

COMPOUND = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "%=": "%", "**=": "**",
            "|=": "|", "&=": "&", "^=": "^", "<<=": "<<", ">>=": ">>", ">>>=": ">>>"}


# ---- targets -------------------------------------------------------------------------------------
class Ref:
    """An assignable place with its object and key already evaluated once."""

    def __init__(self, tr, node):
        self.tr = tr
        self.node = node
        node = unparen(node)
        self.kind = node.type
        self.index = False   # a subscript whose key is a proven array index
        self.repl = None     # the REPL: a free name, stored through J0.repl_set
        self.tdz = None      # a name's check of its temporal dead zone, where it may be in it
        self.global_name = None   # a name nothing declares: read through global_ref (may not exist)
        pos = tr.pos(node)
        self.pos = pos
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            name = tr.text(node)
            b = tr.lookup(name)
            self.binding = b
            if b is not None and b.kind in ("const", "import"):
                self.const_error = True
            elif b is not None and b.nfe:
                # a function expression's own name: a store throws in strict code, is dropped in sloppy
                self.const_error = True if getattr(tr.func, "strict", False) else "dropped"
            else:
                self.const_error = False
            if b is None:
                if name in ("module", "exports") and not tr.is_esm:
                    tr.module_refs.add(name)
                    self.target = L.Name(name, pos)
                elif tr.repl is not None:
                    # the REPL: the name may be a let of a later input (luascript/repl.py)
                    self.repl = name
                    self.target = L.Call(tr.h("repl_get"), [L.Name("J0_L"), L.Str(name)], pos)
                else:
                    tr.helpers_used.add("G")
                    self.target = L.Index(L.Name("J0_G"), L.Str(name), pos)
                    self.global_name = name
            else:
                self.target = b.ref(pos)
            self.tdz = None if b is None or self.const_error else tdz_guard(tr, b, node, pos)
            self.slow = None
            objs = tr.with_objects(name) if tr.with_depth else ()
            if objs:
                self.slow = ("with", objs, name)
        elif node.type == "member_expression":
            obj_n, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            self.binding = None
            self.const_error = False
            if obj_n.type == "super":
                self.slow = ("super", L.Str(tr.text(prop)))
                self.target = None
                return
            obj = tr.expr(obj_n)
            if not is_stable(obj) and not (isinstance(obj, L.Name) and obj.name == "this"):
                obj = tr.to_temp(obj, "o")
            if prop.type == "private_property_identifier":
                self.target = None
                self.slow = ("private", obj, tr.private_key(prop))
            else:
                name = tr.text(prop)
                self.obj, self.key = obj, L.Str(utf8(name))
                self.slow = ("length", obj) if name == "length" else ("proto", obj) if name == "__proto__" else None
                self.target = L.Index(obj, L.Str(utf8(name)), pos)
        elif node.type == "subscript_expression":
            obj_n, idx_n = node.child_by_field_name("object"), node.child_by_field_name("index")
            self.binding = None
            self.const_error = False
            if obj_n.type == "identifier" and tr.text(obj_n) == "arguments" and tr.func_arguments() \
                    and tr.lookup("arguments") is None:
                self.mapped_params = tr.code_func().mapped_params
            obj, key = tr.exprs_in_order([obj_n, idx_n])
            if not is_stable(obj) and not (isinstance(obj, L.Name) and obj.name == "this"):
                obj = tr.to_temp(obj, "o")
            key, raw = index_key(tr, idx_n, key)
            if not is_stable(key):
                key = tr.to_temp(key, "k")
            self.obj, self.key = obj, key
            self.index = raw == "index" and tr.optimize
            if raw:
                self.target = L.Index(obj, key, pos)
                self.slow = None
            else:
                self.target = None
                self.slow = ("computed", obj, key)
        else:
            raise tr.error(node, "Invalid left-hand side in assignment")

    def get(self):
        if self.slow is None and self.global_name:
            # `x += 1` reads x first: a name no declaration or global property has is a ReferenceError
            return global_ref(self.tr, self.global_name, self.pos)
        if self.slow is None or self.slow[0] == "length":
            return self.target if self.tdz is None else self.tdz
        if self.slow[0] == "with":
            return self.tr.with_read(self.slow[1], self.slow[2], self.plain_get, self.pos)
        if self.slow[0] == "proto":
            return L.Call(self.tr.h("proto_get"), [self.slow[1]], self.pos)
        if self.slow[0] == "super":
            return self.tr.super_get(self.slow[1], self.pos)
        if self.slow[0] == "private":
            return L.Call(self.tr.h("privget"), [self.slow[1], self.slow[2]], self.pos)
        return L.Call(self.tr.h("get"), [self.slow[1], self.slow[2]], self.pos)

    def set(self, value):
        """Emit the store; returns nothing."""
        self.store(value)
        # a store to an element of a sloppy function's arguments object reaches the parameters
        # mapped to it (R.argpull; the other way is after_store's R.argmap)
        for i, name in getattr(self, "mapped_params", ()):
            b = self.tr.lookup(name)
            if b is None or getattr(b, "mapped", None) is None:
                continue   # (a parameter a nested declaration hides)
            self.tr.emit(L.Assign([b.ref()], [L.Call(self.tr.h("argpull"), [L.Name("arguments"), L.Name("J0_nargs"),
                                                                            L.Num(i), b.ref()])]))

    def store(self, value):
        tr = self.tr
        if self.const_error == "dropped":
            if not is_stable(value):
                tr.to_temp(value)   # (evaluated all the same)
            return
        if self.const_error:
            tr.emit(L.ExprStat(L.Call(tr.h("const_assign"), [L.Str(self.binding.name)]), self.pos))
            return
        if self.tdz is not None:
            # a store in the TDZ throws too, once the value is computed
            if not is_stable(value):
                value = tr.to_temp(value)
            tr.emit(L.ExprStat(self.tdz, self.pos))
        if self.slow is not None and self.slow[0] == "with":
            # the first with object that has the name takes the store, else the variable does
            _, objs, name = self.slow
            if not is_stable(value):
                value = tr.to_temp(value)
            _, plain = tr.capture(self.plain_set, value)
            tr.emit(L.If([(L.Call(tr.h("with_has"), [o, L.Str(name)]),
                           [L.ExprStat(L.Call(tr.h("put"), [o, L.Str(name), value]))]) for o in objs], plain))
            return
        if self.slow is None and self.repl is not None:
            tr.emit(L.ExprStat(L.Call(tr.h("repl_set"), [L.Name("J0_L"), L.Str(self.repl), value]), self.pos))
            return
        if self.slow is None:
            if self.binding is None and self.kind != "member_expression" and getattr(tr.func, "strict", False) \
                    and isinstance(self.target, L.Index) and isinstance(self.target.obj, L.Name) \
                    and self.target.obj.name == "J0_G":
                # strict code: assigning a name no declaration or global property has is a ReferenceError
                tr.emit(L.ExprStat(L.Call(tr.h("strict_gset"), [self.target.key, value]), self.pos))
                return
            if self.index:
                tr.emit(L.ExprStat(L.Call(tr.h("aset"), [self.obj, self.key, value]), self.pos))
                return
            b = self.binding
            tr.emit(store(b, value, self.pos) if b is not None else L.Assign([self.target], [value], self.pos))
            self.after_store()
        elif self.slow[0] == "length":
            tr.emit(L.ExprStat(L.Call(tr.h("setlength"), [self.slow[1], value]), self.pos))
        elif self.slow[0] == "proto":
            tr.emit(L.ExprStat(L.Call(tr.h("proto_set"), [self.slow[1], value]), self.pos))
        elif self.slow[0] == "super":
            tr.emit(L.ExprStat(L.Call(tr.h("super_set"), [L.Name("this"), tr.super_base(), self.slow[1], value]), self.pos))
        elif self.slow[0] == "private":
            tr.emit(L.ExprStat(L.Call(tr.h("privset"), [self.slow[1], self.slow[2], value]), self.pos))
        else:
            tr.emit(L.ExprStat(L.Call(tr.h("put"), [self.slow[1], self.slow[2], value]), self.pos))

    def plain_get(self):
        if self.binding is not None or isinstance(self.target, L.Name):
            return self.target
        return plain_identifier(self.tr, unparen(self.node))   # (a missing global: ReferenceError)

    def plain_set(self, value):
        slow, self.slow = self.slow, None
        self.set(value)
        self.slow = slow

    def after_store(self):
        b = self.binding
        mapped = b.mapped if b is not None else None
        tr = self.tr
        if mapped is not None and tr.code_func() is mapped[0] and tr.lookup("arguments") is None:
            tr.emit(L.ExprStat(L.Call(tr.h("argmap"), [L.Name("arguments"), L.Name("J0_nargs"), L.Num(mapped[1]), b.ref()])))
        if b is not None and b.export_names:
            for name in b.export_names:
                self.tr.emit(L.Assign([L.Index(L.Name("J0_exports"), L.Str(utf8(name)))], [b.ref()]))


# ---- assignment --------------------------------------------------------------------------------
def assign_value(tr, left, right_node=None, value=None, want_value=True):
    """Assign to a target node; returns the assigned value as an expression (or None)."""
    left_u = unparen(left)
    if left_u.type == "array_pattern" and value is None and not want_value and tr.optimize:
        pairs = array_literal_pairs(left_u, unparen(right_node))
        if pairs is not None:
            assign_from_literal(tr, pairs)
            return None
    if left_u.type in ("object_pattern", "array_pattern"):
        v = tr.expr(right_node) if value is None else value
        v = tr.to_temp(v)
        tr.destructure(left_u, v, "assign", source=v8_text(tr, right_node) if value is None else None)
        return v
    ref = Ref(tr, left)
    if value is None:
        value = tr.expr_named(right_node, left_u)
    if want_value and not is_stable(value):
        value = tr.to_temp(value)
    ref.set(value)
    return value


@visitor("assignment_expression")
def assignment(tr, node):
    return assign_value(tr, node.child_by_field_name("left"), node.child_by_field_name("right"))


def expr_named(tr, node, target):
    """Anonymous functions and classes take the name of the variable they are assigned to."""
    inner = unparen(node)
    if target is not None and target.type in ("identifier", "shorthand_property_identifier_pattern"):
        if inner.type in ("arrow_function", "function_expression", "function", "generator_function") \
                and inner.child_by_field_name("name") is None:
            return tr.function_like(inner, name_hint=tr.text(target))
        if inner.type == "class" and inner.child_by_field_name("name") is None:
            return tr.class_expr(inner, tr.text(target))
    return tr.expr(node)


Transformer.expr_named = expr_named


def binop_value(tr, op, a, b, ta, tb, pos):
    if op == "+":
        if ta == "number" and tb == "number":
            return L.BinOp("+", a, b, pos)
        if ta == "string" and tb == "string":
            out = join_strings(tr, [a, b])
            out.pos = pos
            return out
        return L.Call(tr.h("add"), [a, b], pos)
    if op in ("-", "*", "/"):
        return L.BinOp(op, a, b, pos)
    if op == "%":
        return L.Call(tr.h("mod"), [a, b], pos)
    if op == "**":
        return L.Call(tr.h("pow"), [a, b], pos)
    if op in BITWISE:
        return L.Call(tr.h(BITWISE[op]), [a, b], pos)
    raise AssertionError(op)


@visitor("augmented_assignment_expression")
def augmented(tr, node, want_value=True):
    op = tr.text(node.child_by_field_name("operator"))
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    pos = tr.pos(node)
    ref = Ref(tr, left)
    if op in ("&&=", "||=", "??="):
        cur = tr.to_temp(ref.get(), "v")
        value, pre = tr.capture(tr.expr_named, right, unparen(left))
        if op == "&&=":
            test = L.Call(tr.h("truthy"), [cur])
        elif op == "||=":
            test = L.UnOp("not", L.Call(tr.h("truthy"), [cur]))
        else:
            test = L.BinOp("or", L.BinOp("==", cur, L.Lit("nil")), L.Call(tr.h("rawequal"), [cur, tr.h("null")]))
        saved = tr.stmts
        tr.stmts = pre
        value = tr.to_temp(value) if want_value else value
        ref.set(value)
        if want_value:
            tr.emit(L.Assign([cur], [value]))
        body = tr.stmts
        tr.stmts = saved
        tr.emit(L.If([(test, body)], None, pos))
        return cur
    bop = COMPOUND[op]
    cur = ref.get()
    mark = len(tr.stmts)
    b = tr.expr(right)
    if len(tr.stmts) > mark:
        t = tr.temp("v")
        tr.stmts.insert(mark, L.Local([t], [cur]))
        cur = L.Name(t)
    value = binop_value(tr, bop, cur, b, ty(tr, left), ty(tr, right), pos)
    if want_value:
        value = tr.to_temp(value)
    ref.set(value)
    return value


@visitor("update_expression")
def update(tr, node, want_value=True):
    arg = node.child_by_field_name("argument")
    op = tr.text(node.child_by_field_name("operator"))
    prefix = node.children[0].type in ("++", "--")
    pos = tr.pos(node)
    ref = Ref(tr, arg)
    cur = ref.get()
    delta = "+" if op == "++" else "-"
    numeric = ty(tr, arg) == "number"

    def step(v):
        # a value not known to be a number may be a BigInt: 1n + 1 would throw, x++ must not
        # (inc and dec apply ToNumeric themselves)
        if numeric:
            return L.BinOp(delta, v, L.Num(1), pos)
        return L.Call(tr.h("inc" if op == "++" else "dec"), [v], pos)
    if not want_value:
        ref.set(step(cur))
        return None
    if prefix:
        v = tr.to_temp(step(cur), "v")
        ref.set(v)
        return v
    if not numeric:
        cur = L.Call(tr.h("tonumeric"), [cur])     # x++ is the old value, as a number
    old = tr.to_temp(cur, "v") if not (isinstance(cur, L.Name) and cur.name.startswith("J0_")) else cur
    if not isinstance(old, L.Name) or not old.name.startswith("J0_"):
        t = tr.temp("v")
        tr.emit(L.Local([t], [old]))
        old = L.Name(t)
    ref.set(step(old))
    return old


# ---- expression statements ---------------------------------------------------------------------
def effects(tr, nodes):
    """Expressions evaluated for their effects one after another, the temporaries of each in a
    block of their own: minified code chains hundreds of assignments with commas (lodash.min.js's
    `Z.after=Pa,Z.ary=Ga,...`), past Lua's 200 locals had their temporaries stayed live."""
    for n in nodes:
        mark = len(tr.stmts)
        expr_stat(tr, n)
        tr.scope_temps(mark)


Transformer.effects = effects


def expr_stat(tr, node):
    """Evaluate an expression for its effects only."""
    node_u = unparen(node)
    t = node_u.type
    pos = tr.pos(node_u)
    if t in ("augmented_assignment_expression", "assignment_expression"):
        from .strings import buffered_append
        if buffered_append(tr, node_u):
            return
    if t == "update_expression":
        update(tr, node_u, want_value=False)
        return
    if t == "assignment_expression":
        assign_value(tr, node_u.child_by_field_name("left"), node_u.child_by_field_name("right"), want_value=False)
        return
    if t == "augmented_assignment_expression":
        augmented(tr, node_u, want_value=False)
        return
    if t == "sequence_expression":
        effects(tr, named(node_u))
        return
    if t == "binary_expression" and tr.text(node_u.child_by_field_name("operator")) in ("&&", "||"):
        op = tr.text(node_u.child_by_field_name("operator"))
        c = tr.cond(node_u.child_by_field_name("left"))
        _, body = tr.capture(expr_stat, tr, node_u.child_by_field_name("right"))
        tr.emit(L.If([(c if op == "&&" else L.UnOp("not", c), body)], None, pos))
        return
    if t == "ternary_expression":
        c = tr.cond(node_u.child_by_field_name("condition"))
        _, a = tr.capture(expr_stat, tr, node_u.child_by_field_name("consequence"))
        _, b = tr.capture(expr_stat, tr, node_u.child_by_field_name("alternative"))
        tr.emit(L.If([(c, a)], b or None, pos))
        return
    if t in ("identifier", "number", "string", "true", "false", "null", "undefined", "this"):
        if t == "identifier":
            e = tr.expr(node_u)
            if isinstance(e, (L.Index, L.Call)):     # a global: reading it may throw ReferenceError
                tr.emit(L.ExprStat(e, pos))
        return
    e = tr.expr(node_u)
    if isinstance(e, (L.Call, L.MethodCall)):
        tr.emit(L.ExprStat(e, pos))
    elif isinstance(e, L.Name) and e.name.startswith("J0_"):
        pass
    elif isinstance(e, (L.Lit, L.Num, L.Str, L.Func)):
        pass
    else:
        tr.emit(L.ExprStat(e, pos))


Transformer.expr_stat = expr_stat


# ---- destructuring --------------------------------------------------------------------------------
def bind_target(tr, target, value, kind, source=NESTED):
    """Bind one pattern leaf: an identifier (declared per kind) or, for assignments, any target.
    source: as destructure's, for a pattern target."""
    target = unparen(target)
    if target.type in ("object_pattern", "array_pattern"):
        v = tr.to_temp(value)
        destructure(tr, target, v, kind, source=source)
        return
    if target.type == "assignment_pattern":
        left, default = target.child_by_field_name("left"), target.child_by_field_name("right")
        v = value
        if not (isinstance(v, L.Name) and v.name.startswith("J0_")):
            t = tr.temp("d")
            tr.emit(L.Local([t], [v]))
            v = L.Name(t)
        d, pre = tr.capture(tr.expr_named, default, unparen(left))
        tr.emit(L.If([(L.BinOp("==", v, L.Lit("nil")), pre + [L.Assign([v], [d])])]))
        bind_target(tr, left, v, kind)
        return
    if kind == "assign":
        Ref(tr, target).set(value)
        return
    if target.type not in ("identifier", "shorthand_property_identifier_pattern"):
        raise tr.error(target, "invalid destructuring target")
    tr.bind_name(target, value, kind)


Transformer.bind_target = bind_target


def iterate_if_replaced(tr, got, values):
    """Where a program replaced Array.prototype's iterator, the names in got take what it yields
    for an array of values (a pattern of no names still runs it)."""
    it = L.Call(tr.h("iterate_values"), [L.Num(len(got))] + values)
    tr.emit(L.If([(L.Call(tr.h("array_iter_replaced"), []), [L.Assign(list(got), [it]) if got else L.ExprStat(it)])]))


def values_in_locals(tr, nodes, fn=None):
    """A literal's values, in order, each in a local of its own (Names)."""
    temps = []
    for v in tr.exprs_in_order(nodes, fn):
        t = tr.temp("v")
        tr.emit(L.Local([t], [v]))
        temps.append(L.Name(t))
    return temps


def assign_from_literal(tr, pairs):
    """`[a, b] = [b, a]` (a statement): the literal's values in locals, the targets set from them,
    and no array, as long as arrays iterate as built (a program that replaced Array.prototype's
    iterator gets its values through it)."""
    targets, values = pairs
    temps = values_in_locals(tr, values)
    iterate_if_replaced(tr, temps, temps)
    for i, target in enumerate(targets):
        Ref(tr, target).set(temps[i] if i < len(temps) else L.Lit("nil"))


def declare_from_literal(tr, pattern, value_n, kind):
    """`const [a, b] = [x, y]` and `const {a, b: c} = {a: x, b: y}`: the literal's values in
    locals, the pattern bound from them, and no array or object made. False where the forms do
    not qualify (see the two functions below)."""
    value_n = unparen(value_n)
    if pattern.type == "array_pattern" and value_n.type == "array":
        return declare_from_array(tr, pattern, value_n, kind)
    if pattern.type == "object_pattern" and value_n.type == "object":
        return declare_from_object(tr, pattern, value_n, kind)
    return False


def declare_from_array(tr, pattern, value_n, kind):
    """As `[a, b] = [b, a]`: no rest in the pattern, no hole or spread in the literal."""
    targets, values = array_elements(pattern), array_elements(value_n)
    if any(t is not None and t.type == "rest_pattern" for t in targets) or len(values) > MAX_FOLDED or \
            any(v is None or v.type == "spread_element" for v in values):
        return False
    temps = values_in_locals(tr, values)
    extra = [L.Name(tr.temp("v")) for _ in range(len(targets) - len(temps))]
    if extra:
        tr.emit(L.Local([e.name for e in extra], []))
    got = temps + extra
    iterate_if_replaced(tr, got, temps)
    for target, v in zip(targets, got):
        if target is not None:
            bind_target(tr, target, v, kind)
    return True


def static_key(tr, key_n):
    """The key a property_identifier or string key names, where it is no index; else None."""
    if key_n.type not in ("property_identifier", "string"):
        return None
    key = tr.property_key(key_n)
    return key.value.decode("utf-8", "surrogatepass") if isinstance(key, L.Str) else None


def declare_from_object(tr, pattern, value_n, kind):
    """Every key the pattern reads must be a static key of the literal (a missing one would be
    looked up on Object.prototype); neither side may have a rest, spread or computed key, and the
    literal may not set __proto__."""
    keyed = {}      # static key of the literal -> index of its last value
    values = []
    for p in named(value_n):
        if p.type == "shorthand_property_identifier":
            key, v = tr.text(p), p
        elif p.type == "pair":
            key, v = static_key(tr, p.child_by_field_name("key")), p.child_by_field_name("value")
        else:
            return False
        if key is None or key == "__proto__":
            return False
        keyed[key] = len(values)
        values.append((v, L.Str(utf8(key))))
    for p in named(pattern):
        if p.type == "shorthand_property_identifier_pattern":
            key = tr.text(p)
        elif p.type == "object_assignment_pattern":
            key = tr.text(p.child_by_field_name("left"))
        elif p.type == "pair_pattern":
            key = static_key(tr, p.child_by_field_name("key"))
        else:
            return False
        if key not in keyed:
            return False
    if len(values) > MAX_FOLDED:
        return False
    temps = values_in_locals(tr, values, lambda vk: tr.expr_named_key(*vk))
    destructure(tr, pattern, None, kind, {utf8(k): temps[i] for k, i in keyed.items()})
    return True


def not_iterable(text):
    """V8's message for a value that is no iterable, named by its v8_text."""
    if text.endswith("(...)"):
        return text[:-5] + " is not a function or its return value is not iterable"
    return text + " is not iterable"


def v8_text(tr, n, depth=0, chains=False):
    """How V8's messages name the value being destructured ('Cannot destructure property 'a' of
    'o.p' as it is null.'): names, member chains, calls as f(...), operators in parentheses;
    anything else is an '(intermediate value)'. With `chains` (a callee: 'o?.p.f is not a
    function'), optional chains as written; otherwise they too are intermediate values."""
    t = n.type
    if depth > 8 or not chains and t in ("member_expression", "subscript_expression") and "?." in tr.text(n):
        return "(intermediate value)"
    if t == "parenthesized_expression":
        return v8_text(tr, named(n)[0], depth)
    if t in ("identifier", "this", "null", "true", "false", "number", "undefined"):
        return tr.text(n)
    optional = t in ("member_expression", "subscript_expression") and any(c.type == "optional_chain"
                                                                           for c in n.children)
    if t == "member_expression" and n.child_by_field_name("property").type == "property_identifier":
        return v8_text(tr, n.child_by_field_name("object"), depth + 1, chains) + ("?." if optional else ".") \
            + tr.text(n.child_by_field_name("property"))
    if t == "subscript_expression":
        obj, idx = v8_text(tr, n.child_by_field_name("object"), depth + 1, chains), n.child_by_field_name("index")
        key = static_key(tr, idx) if idx.type == "string" else None
        if key is not None:
            return obj + ("?." if optional else ".") + key
        return obj + ("?." if optional else "") + "[" + v8_text(tr, idx, depth + 1) + "]"
    if t == "call_expression" and n.child_by_field_name("function").type != "import":
        return v8_text(tr, n.child_by_field_name("function"), depth + 1, chains) + "(...)"
    if t == "binary_expression":
        return "(%s %s %s)" % (v8_text(tr, n.child_by_field_name("left"), depth + 1),
                               tr.text(n.child_by_field_name("operator")),
                               v8_text(tr, n.child_by_field_name("right"), depth + 1))
    if t == "sequence_expression":
        return "(" + " , ".join(v8_text(tr, c, depth + 1) for c in named(n)) + ")"
    if t == "unary_expression" and tr.text(n.child_by_field_name("operator")) == "void":
        return "(void " + v8_text(tr, n.child_by_field_name("argument"), depth + 1) + ")"
    if t == "string" or t == "template_string" and not any(c.type == "template_substitution" for c in named(n)):
        return '"' + tr.text(n)[1:-1] + '"'
    return "(intermediate value)"


def first_static_key(tr, pattern):
    """The key an object pattern reads first, as V8 names it in its message; None when the first
    element is a computed key or a rest."""
    items = named(pattern)
    if not items:
        return None
    p = items[0]
    if p.type == "shorthand_property_identifier_pattern":
        return tr.text(p)
    if p.type == "object_assignment_pattern":
        return tr.text(p.child_by_field_name("left"))
    if p.type == "pair_pattern":
        key_n = p.child_by_field_name("key")
        if key_n.type == "number":
            return tr.text(key_n)
        return static_key(tr, key_n)
    return None


def destructure(tr, pattern, v, kind, fields=None, source=None):
    """Bind pattern from value v. fields: for an object literal that declare_from_literal folded
    away (v is None), its values by key. source: how a failure names the value (v8_text of the
    expression, NESTED inside another pattern; None for a parameter's)."""
    pos = tr.pos(pattern)
    if pattern.type == "object_pattern":
        def read(key):
            if fields is not None:
                return fields[key.value]
            # (__proto__ is an accessor on Object.prototype, which a raw index would not reach)
            return L.Call(tr.h("get"), [v, key]) if key.value == b"__proto__" else L.Index(v, key)
        # destructuring undefined or null is a TypeError, even for an empty pattern
        if fields is None:
            key = first_static_key(tr, pattern)
            args = [v, L.Str(utf8(key)) if key is not None else L.Lit("nil")]
            if source is NESTED:
                args.append(L.Lit("true"))
            elif source is not None:
                args.append(L.Str(utf8(source)))
            tr.emit(L.ExprStat(L.Call(tr.h("destructurable"), args), pos))
        used_keys = []
        for p in named(pattern):
            if p.type == "shorthand_property_identifier_pattern":
                name = tr.text(p)
                used_keys.append(L.Str(utf8(name)))
                tr.bind_name(p, read(L.Str(utf8(name))), kind)
            elif p.type == "object_assignment_pattern":
                left, default = p.child_by_field_name("left"), p.child_by_field_name("right")
                name = tr.text(left)
                used_keys.append(L.Str(utf8(name)))
                t = tr.temp("d")
                tr.emit(L.Local([t], [read(L.Str(utf8(name)))]))
                d, pre = tr.capture(tr.expr_named, default, left)
                tr.emit(L.If([(L.BinOp("==", L.Name(t), L.Lit("nil")), pre + [L.Assign([L.Name(t)], [d])])]))
                if kind == "assign":
                    Ref(tr, left).set(L.Name(t))
                else:
                    tr.bind_name(left, L.Name(t), kind)
            elif p.type == "pair_pattern":
                key_n, val_n = p.child_by_field_name("key"), p.child_by_field_name("value")
                key = tr.property_key(key_n)
                if not is_stable(key):
                    key = tr.to_temp(key, "k")
                used_keys.append(key)
                if isinstance(key, L.Str):
                    got = read(key)
                else:
                    got = L.Call(tr.h("get"), [v, key])
                bind_target(tr, val_n, got, kind)
            elif p.type == "rest_pattern":
                target = named(p)[0]
                rest = L.Call(tr.h("objrest"), [v, L.Table([(None, k) for k in used_keys])])
                bind_target(tr, target, rest, kind)
            else:
                raise tr.unsupported(p, "unsupported pattern element")
        return
    # array pattern: through the iterator protocol (arrays fast)
    elems = array_elements(pattern)
    n = len(elems)
    has_rest = n and elems[-1] is not None and elems[-1].type == "rest_pattern"
    args = [v, L.Num(-1 if has_rest else n)]
    if isinstance(source, str) and source is not NESTED and kind != "assign":
        args.append(L.Str(utf8(not_iterable(source))))   # (V8 names the value of a declaration's)
    arr = tr.to_temp(L.Call(tr.h("destr_iter"), args, pos), "a")
    for i, el in enumerate(elems):
        if el is None:
            continue
        if el.type == "rest_pattern":
            bind_target(tr, named(el)[0], L.Call(tr.h("arrrest"), [arr, L.Num(i)]), kind)
        else:
            bind_target(tr, el, L.Index(arr, L.Num(i)), kind)


Transformer.destructure = destructure
Transformer.v8_text = v8_text
Transformer.declare_from_literal = declare_from_literal
