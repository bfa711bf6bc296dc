"""Classes: constructors, prototypes, statics, fields, private names, accessors, super."""
import re

from ..lua import ast as L
from .context import FuncState, Transformer, scan
from .functions import fields_allocator, shape_const, this_store_run
from .objects import SHAPE_KEY
from .expressions import named
from .literals import string_value, utf8

visitor = Transformer.visitor


class ClassInfo:
    def __init__(self, parent, base):
        self.parent = parent          # enclosing ClassInfo (nested classes see outer private names)
        self.base = base              # Lua Name of the superclass local, or None
        self.privates = {}            # "#x" -> Lua local name of the private key
        self.home = None
        self.methods = set()          # names of the instance methods the class body defines
        self.brand = None             # Lua Name of the instances' brand (see devirtualised)
        self.shape = None             # the shape the brand stands for, set by the constructor
        self.proto = None             # Lua Name of the prototype, once declared


def private_key(tr, node):
    name = tr.text(node)
    info = tr.func.class_info if tr.func else None
    while info is not None:
        if isinstance(info, ClassInfo) and name in info.privates:
            return L.Name(info.privates[name])
        info = info.parent if isinstance(info, ClassInfo) else info.get("parent") if isinstance(info, dict) else None
    raise tr.error(node, "Private field '%s' must be declared in an enclosing class" % name)


Transformer.private_key = private_key


def class_members(body):
    return [m for m in named(body) if m.type != ";"]


def member_flags(m):
    kinds = [c.type for c in m.children]
    return ("static" in kinds, "get" in kinds, "set" in kinds)


def compile_class(tr, node, name):
    """Emit statements that build the class; returns the Lua Name holding it."""
    pos = tr.pos(node)
    heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
    body = node.child_by_field_name("body")
    cls = tr.temp("class")
    keep = L.Name(tr.temp("keep"))
    tr.emit(L.Local([keep.name], [L.Table([])]))
    out_stmts_start = len(tr.stmts)
    base = base_facts = None
    if heritage is not None:
        base_n = named(heritage)[0]
        base_facts = inherited_facts(tr, base_n)
        base = tr.to_temp(tr.expr(base_n), "base")
        if not (isinstance(base, L.Name) and base.name.startswith("J0_")):
            t = tr.temp("base")
            tr.emit(L.Local([t], [base]))
            base = L.Name(t)
    outer_info = tr.func.class_info if tr.func else None
    info = ClassInfo(outer_info if isinstance(outer_info, ClassInfo) else None, base)
    members = class_members(body)
    own_name = node.child_by_field_name("name")
    # private names first: every method may use any of them
    for m in members:
        key_n = m.child_by_field_name("name") if m.type == "method_definition" else m.child_by_field_name("property")
        if key_n is not None and key_n.type == "private_property_identifier":
            pname = tr.text(key_n)
            if pname not in info.privates:
                lname = tr.temp("priv")
                info.privates[pname] = lname
                # (methods and accessors: error messages name the class as written, or "anonymous")
                args = [L.Str(pname)]
                if m.type == "method_definition":
                    args += [L.Str(tr.text(own_name)) if own_name is not None else L.NIL, L.TRUE]
                tr.emit(L.Local([lname], [L.Call(tr.h("private_name"), args)]))
    saved_info = tr.func.class_info
    tr.func.class_info = info
    # the class binding visible inside the class body
    tr.push_scope("block")
    inner = None
    if name is not None:
        inner = tr.declare(name, "const")
        inner.lua = cls
        inner.tdz = False
    # instance fields run at construction: collect them into one function
    inst_fields = [m for m in members if m.type == "field_definition" and not member_flags(m)[0]]
    fields_fn = None
    if inst_fields:
        fields_fn = L.Name(tr.temp("fields"))
        tr.emit(L.Local([fields_fn.name]))
    ctor = next((m for m in members if m.type == "method_definition" and not member_flags(m)[0]
                 and names_constructor(tr, m.child_by_field_name("name"))), None)
    fields = allocator_fields(tr, inst_fields, ctor) if base is None and inst_fields and tr.optimize else None
    alloc = {} if (base is None or base_facts is not None) and (fields_fn is None or fields) and tr.optimize \
        else None
    if ctor is not None and tr.optimize and not tr.tight and name not in extended_names(tr) \
            and brands_instances(tr, ctor, base is not None):
        info.methods = instance_methods(tr, members)
        if info.methods:
            info.brand = L.Name(tr.temp("brand"))
            tr.stmts.insert(out_stmts_start, L.Local([info.brand.name]))
    if ctor is not None:
        f = tr.function_like(ctor, name_hint=name or "", method_kind="ctor", class_info=info, is_ctor=True,
                             fields_fn=fields_fn, derived=base is not None, alloc=alloc, fields=fields)
        f = f.args[0] if isinstance(f, L.Call) else f
        f.info = None   # (the class names its constructor)
        f.body.insert(0, not_new_check(tr, name, keep))
    else:
        stmts = []
        if base is not None:
            stmts.append(L.Assign([L.Name("this")], [L.Call(tr.h("super_call"), [base, L.Name("this"), L.Vararg()])]))
        if fields_fn is not None:
            stmts.append(L.ExprStat(L.Call(fields_fn, [L.Name("this")])))
        if base is not None:
            stmts.append(L.Return([L.Name("this")]))
        f = L.Func(["this"], [not_new_check(tr, name, keep)] + stmts, vararg=base is not None, strict=True)
    length = 0
    if ctor is not None:
        params = ctor.child_by_field_name("parameters")
        for p in named(params):
            if p.type == "identifier":
                length += 1
            else:
                break
    # declared first: the constructor and methods refer to the class by name
    tr.emit(L.Local([cls]))
    tr.emit(L.Assign([L.Name(cls)], [L.Call(tr.h("class"), [f, L.Str(utf8(name or "")), base or L.Lit("nil"),
                                                            L.Num(length), keep], pos)]))
    proto = L.Name(tr.temp("proto"))
    tr.emit(L.Local([proto.name], [L.Index(L.Name(cls), L.Str("prototype"))]))
    if info.brand is not None:
        # (false, never a shape, if the constructor made none after all)
        made = L.Call(tr.h("brand"), [proto, info.shape]) if info.shape is not None else L.Lit("false")
        tr.emit(L.Assign([info.brand], [made]))
        info.proto = proto
    if ctor is None and fields:
        alloc = fields_allocator(tr, fields)
    if alloc and base is not None:
        alloc = inherited_allocator(tr, base_facts, alloc)
    if alloc:
        allocator(tr, L.Name(cls), proto, alloc)
    tr.class_facts_made = class_facts(alloc, ctor is None and base is None and fields_fn is None,
                                      {cls, keep.name} | set(info.privates.values()))
    # computed keys of fields are evaluated once, at the class's definition, in source order with
    # the methods' keys (below), in the scope around the class; instance fields read them from
    # locals declared here, before the fields function that closes over them
    field_keys = {}
    for m in inst_fields:
        if m.child_by_field_name("property").type == "computed_property_name":
            field_keys[m.start_byte] = L.Name(tr.temp("fk"))
            tr.emit(L.Local([field_keys[m.start_byte].name]))
    if fields_fn is not None:
        def fields():
            for m in inst_fields:
                define_field(tr, m, L.Name("this"), field_keys.get(m.start_byte))
        # field initialisers are evaluated as if in a method: `this` is the instance
        tr.emit(L.Assign([fields_fn], [L.Func(["this"], class_code(tr, info, False, fields), strict=True)]))
    for m in members:
        if m.type == "field_definition":
            key_n = m.child_by_field_name("property")
            if key_n.type == "computed_property_name":
                key = tr.property_key(key_n)
                if m.start_byte in field_keys:
                    tr.emit(L.Assign([field_keys[m.start_byte]], [key]))
                else:
                    field_keys[m.start_byte] = L.Name(tr.temp("fk"))
                    tr.emit(L.Local([field_keys[m.start_byte].name], [key]))
        elif m.type == "method_definition":
            static, is_get, is_set = member_flags(m)
            key_n = m.child_by_field_name("name")
            if not static and names_constructor(tr, key_n):
                continue
            target = L.Name(cls) if static else proto
            key = tr.property_key(key_n)
            nm = tr.static_key_name(key_n, key)
            if key_n.type == "computed_property_name":
                key = tr.to_temp(key, "k")
            prefix = "get " if is_get else "set " if is_set else ""
            f = tr.function_like(m, name_hint=prefix + nm, method_kind="method", class_info=info, is_static=static)
            if key_n.type == "computed_property_name":
                f = tr.key_named(f, key, prefix)
            if is_get:
                tr.emit(L.ExprStat(L.Call(tr.h("defaccessor"), [target, key, f, L.Lit("nil"), L.Lit("false")])))
            elif is_set:
                tr.emit(L.ExprStat(L.Call(tr.h("defaccessor"), [target, key, L.Lit("nil"), f, L.Lit("false")])))
            else:
                tr.emit(L.ExprStat(L.Call(tr.h("defmethod"), [target, key, f])))
    # static fields and blocks run in order, with `this` = the class
    for m in members:
        if m.type == "field_definition" and member_flags(m)[0]:
            static_code(tr, info, cls, lambda m=m: define_field(tr, m, L.Name("this"), field_keys.get(m.start_byte)))
        elif m.type == "class_static_block":
            blk = m.child_by_field_name("body")
            static_code(tr, info, cls, lambda blk=blk: tr.stmts.extend(tr.body_of(blk)))
    tr.pop_scope()
    tr.func.class_info = saved_info
    return L.Name(cls)


# (no leading \b: a pattern that starts with a literal is searched for as one, 25 times faster)
EXTENDS = re.compile(r"extends\s+([A-Za-z_$][\w$]*)")


def _word_char(c):
    return c.isalnum() or c in ("_", "$") if c else False


def extended_names(tr):
    """Names that follow `extends` anywhere in the file. A class extended in its own module is
    left unbranded: its methods run on subclass instances too, which never carry its brand, and
    for them the check is a cost without a gain."""
    names = getattr(tr, "_extended_names", None)
    if names is None:
        text = tr.src.text
        names = tr._extended_names = {m.group(1) for m in EXTENDS.finditer(text)
                                      if not _word_char(text[m.start() - 1: m.start()])}
    return names


def brands_instances(tr, ctor, derived):
    """Whether the constructor starts with a run of `this.k = v` stores (after super() in a
    derived class), which gives a direct instance its shape, and so its brand, at once."""
    body = ctor.child_by_field_name("body")
    return body is not None and body.type == "statement_block" and \
        this_store_run(tr, named(body), derived) is not None


def instance_methods(tr, members):
    """Names of the plain instance methods (no accessors, no computed keys) a class body defines."""
    names = set()
    for m in members:
        if m.type == "method_definition" and not any(member_flags(m)):
            key_n = m.child_by_field_name("name")
            if key_n.type == "property_identifier" and tr.text(key_n) != "constructor":
                names.add(tr.text(key_n))
    return names


def devirtualised(tr, obj_n, name, args, pos):
    """`this.m(...)` in code of a class that defines m and brands its instances: the callee is
    R.this_method(this, brand, proto, "m"), the prototype's own m without a lookup when `this`
    carries the brand, which LuaJIT compiles to a check of one slot instead of a missed probe
    on the instance and a walk through its metatable."""
    f = tr.func
    info = f.class_info if f is not None else None
    if obj_n.type != "this" or not isinstance(info, ClassInfo) or info.proto is None or f.home_static \
            or name not in info.methods:
        return None
    this = L.Name("this")
    fn = L.Call(tr.h("this_method"), [this, info.brand, info.proto, L.Str(name)])
    return L.Call(fn, [this] + args, pos)


Transformer.devirtualised = devirtualised


def allocator(tr, cls, proto, parts):
    """`new C(...)` of a base class whose constructor starts with `this.k = v` stores: the object
    is one table constructor (see functions.emit_allocated_stores), while the prototype chain has
    no setters or read-only properties; the runtime's new/new0..4 call it."""
    mt = tr.temp("mt")
    tr.emit(L.Local([mt], [L.Call(tr.h("protomt"), [proto])]))
    params = [L.Name(p) for p in parts["params"]]
    guard = L.BinOp("or", L.BinOp("~=", L.Index(L.Name(mt), L.Str("__index")), proto),
                    L.Index(L.Name(mt), L.Str("frozen")))
    obj = L.Call(L.Name("setmetatable"), [L.Table(parts["entries"] + [(SHAPE_KEY, parts["shape"])]), L.Name(mt)])
    body = [L.If([(guard, [L.Return([L.Call(tr.h("construct"), [cls] + params)])])])] + parts["pre"]
    if parts["whole"]:
        body.append(L.Return([obj]))
    else:
        body += [L.Local(["this"], [obj]), L.ExprStat(L.Call(cls, [L.Name("this")] + params)),
                 L.Return([L.Name("this")])]
    tr.emit(L.ExprStat(L.Call(tr.h("set_alloc"), [cls, L.Name(mt), L.Func(parts["params"], body, strict=True)])))


# what a field's initialiser may hold for the allocator to evaluate it: not the object, nor a
# function, whose scope would be the constructor's instead of the class body's
FIELD_VALUE_STOP = frozenset(("this", "super", "meta_property", "arrow_function", "function_expression",
                              "function", "generator_function", "class", "await_expression", "yield_expression"))


def allocator_fields(tr, fields, ctor):
    """A base class's public instance fields as (key, value node), when its allocator may define
    them (they are the first properties of a fresh object): plain names, each once, initialisers
    that read no name the constructor declares or uses (they compile in its scope). Else None."""
    ctor_names = {tr.text(n) for n in scan(ctor, ()) if n.type.endswith("identifier")} if ctor is not None else set()
    out, seen = [], set()
    for m in fields:
        key_n, value = m.child_by_field_name("property"), m.child_by_field_name("value")
        if key_n is None or key_n.type != "property_identifier" or any(c.type == "decorator" for c in m.children):
            return None
        k = tr.text(key_n)
        if k in seen or k in ("length", "__proto__"):
            return None
        seen.add(k)
        for n in scan(value, ()) if value is not None else ():
            if n.type in FIELD_VALUE_STOP or (n.type == "identifier" and tr.text(n) in ctor_names | {"arguments"}):
                return None
        out.append((k, value))
    return out


def not_new_check(tr, name, keep):
    """A class constructor called without `new` receives no `this`. The check also makes the
    constructor hold the class's keep table (see R.class) as an upvalue."""
    return L.If([(L.BinOp("==", L.Name("this"), L.Lit("nil")),
                  [L.ExprStat(L.Call(tr.h("class_call"), [L.Str(utf8(name or "anonymous")), keep]))])])


def class_code(tr, info, static, fn):
    """Statements of code that runs as a method of the class (field initialisers, static blocks)."""
    st = FuncState(None, "function", tr.func)
    st.class_info = info
    st.home_static = static
    saved = (tr.func, tr.jumps, tr.tries)
    tr.func, tr.jumps, tr.tries = st, [], []
    tr.push_scope("function", st)
    try:
        _, body = tr.capture(fn)
    finally:
        tr.pop_scope()
        tr.func, tr.jumps, tr.tries = saved
    return body


def static_code(tr, info, cls, fn):
    body = class_code(tr, info, True, fn)
    tr.emit(L.ExprStat(L.Call(L.Paren(L.Func(["this"], body, strict=True)), [L.Name(cls)])))


def define_field(tr, m, target, key=None):
    """Define field m on target; key: the Lua name of a computed key's value, evaluated before."""
    key_n = m.child_by_field_name("property")
    value_n = m.child_by_field_name("value")
    if key is None:
        key = tr.property_key(key_n)
    if value_n is not None:
        private = key_n.type == "private_property_identifier"     # named "#x", not after its key
        v = tr.expr_named_key(value_n, L.Str(utf8(tr.text(key_n))) if private else key)
    else:
        v = L.Lit("nil")
    if key_n.type == "private_property_identifier":
        tr.emit(L.ExprStat(L.Call(tr.h("defpriv"), [target, key, v])))
    else:
        tr.emit(L.ExprStat(L.Call(tr.h("defdata"), [target, key, v])))


@visitor("stat:class_declaration")
def class_declaration(tr, node):
    name_n = node.child_by_field_name("name")
    name = tr.text(name_n)
    c = compile_class(tr, node, name)
    tr.bind_name(name_n, c, "class")
    facts = tr.class_facts_made
    b = tr.lookup(name)
    if facts is not None and b is not None and b.func is tr.func:
        facts["scope"] = tr.scope
        tr.class_facts[b] = facts


# ---- allocators of derived classes -----------------------------------------------------------------
# `class B extends A`, where A is a class declared in the same scope with an allocator that
# builds its whole object (or with no constructor at all), and B's constructor is super(...)
# followed by `this.k = v` stores: B's allocator computes A's values, with A's parameters bound
# to super()'s arguments, then its own, into one table constructor. A is known by name, so only
# where that name is never assigned: `extends A` takes whatever A holds when B is defined.
def class_facts(alloc, trivial, block_names):
    """What a subclass's allocator may take over of this class: {"params", "pre", "entries",
    "keys"}, {"trivial": True} for a base class without constructor or fields, or None. The parts
    must not name the locals of the class's own block (its inner name, private names)."""
    if trivial:
        return {"trivial": True}
    if not alloc or not alloc.get("whole") or "keys" not in alloc:
        return None
    names = set()
    for part in alloc["pre"] + [v for _, v in alloc["entries"]]:
        names.update(lua_names(part))
    if names & block_names:
        return None
    return {"params": alloc["params"], "pre": alloc["pre"], "entries": alloc["entries"], "keys": alloc["keys"]}


def lua_nodes(node):
    """The nodes of a Lua AST fragment (a node or a list of them)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (list, tuple)):
            stack.extend(n)
        elif isinstance(n, L.Node):
            yield n
            for cls in type(n).__mro__:
                stack.extend(getattr(n, a, None) for a in getattr(cls, "__slots__", ()) if a != "pos")


def lua_names(node):
    """Names a Lua AST fragment mentions."""
    return {n.name for n in lua_nodes(node) if isinstance(n, L.Name)}


def declared_names(node):
    """Names a Lua AST fragment declares as locals."""
    out = set()
    for n in lua_nodes(node):
        if isinstance(n, L.Local):
            out.update(n.names)
    return out


def inherited_facts(tr, base_n):
    """The recorded facts of the class `extends` names, when they hold for this class too."""
    if not tr.optimize or tr.tight or base_n.type != "identifier":
        return None
    b = tr.lookup(tr.text(base_n))
    facts = tr.class_facts.get(b) if b is not None else None
    if facts is None or facts["scope"] is not tr.scope or b.func is not tr.func:
        return None
    if tr.text(base_n) in assigned_names(tr, base_n):
        return None
    return facts


def assigned_names(tr, node):
    """Every identifier the file assigns to anywhere (=, op=, ++/--, destructuring, for-in/of heads)."""
    names = getattr(tr, "_assigned_names", None)
    if names is None:
        root = node
        while root.parent is not None:
            root = root.parent
        names = set()
        for n in scan(root, ()):
            if n.type in ("assignment_expression", "augmented_assignment_expression", "for_in_statement"):
                target = n.child_by_field_name("left")
            elif n.type == "update_expression":
                target = n.child_by_field_name("argument")
            else:
                continue
            if target is not None:
                names.update(tr.text(x) for x in scan(target, ())
                             if x.type in ("identifier", "shorthand_property_identifier_pattern"))
        tr._assigned_names = names
    return names


def inherited_allocator(tr, facts, own):
    """The allocator parts of a derived class (own: what its constructor found, see
    functions.inherited_stores), or None: the base's values first, in a block of their own where
    its parameters are bound to super()'s arguments, then the class's own."""
    if "super_args" not in own:
        return None
    if facts.get("trivial"):
        return own
    # the base's values run inside this class's allocator, whose parameters must not hide a
    # name they read
    parts = facts["pre"] + [v for _, v in facts["entries"]]
    if (lua_names(parts) - set(facts["params"]) - declared_names(parts)) & set(own["params"]):
        return None
    temps = [tr.temp("v") for _ in facts["entries"]]
    args = own["super_args"][:len(facts["params"])]
    args += [L.Lit("nil")] * (len(facts["params"]) - len(args))
    block = ([L.Local(list(facts["params"]), args)] if facts["params"] else []) + list(facts["pre"]) + \
        [L.Assign([L.Name(t) for t in temps], [v for _, v in facts["entries"]])]
    keys = facts["keys"] + own["keys"]
    shape = shape_const(tr, keys)
    return {"params": own["params"], "pre": [L.Local(temps, []), L.Do(block)] + own["pre"],
            "entries": [(k, L.Name(t)) for (k, _), t in zip(facts["entries"], temps)] + own["entries"],
            "keys": keys, "shape": shape, "whole": True}


@visitor("class")
def class_expression(tr, node, name_hint=None):
    name_n = node.child_by_field_name("name")
    name = tr.text(name_n) if name_n is not None else name_hint
    return compile_class(tr, node, name)


Transformer.class_expr = class_expression


# ---- super ---------------------------------------------------------------------------------------
def current_class(tr):
    info = tr.func.class_info if tr.func else None
    return info


def super_home(tr):
    """Where `super.x` starts looking: the home object's prototype."""
    info = current_class(tr)
    if isinstance(info, dict):
        return L.Call(tr.h("getproto"), [info["home"]])
    if not isinstance(info, ClassInfo) or info.base is None:
        return tr.h("ObjectPrototype")
    if tr.func.home_static:
        return info.base
    return L.Index(info.base, L.Str("prototype"))


Transformer.super_base = super_home


def names_constructor(tr, key_n):
    """constructor() or 'constructor'() (a computed ["constructor"] is a method of that name)."""
    if key_n.type == "string":
        return string_value(tr, key_n) == "constructor"
    return key_n.type == "property_identifier" and tr.text(key_n) == "constructor"


def super_get(tr, key, pos):
    return L.Call(tr.h("super_lookup"), [super_home(tr), key, L.Name("this")], pos)


Transformer.super_get = super_get


def super_call(tr, args_n, pos):
    info = current_class(tr)
    f = tr.code_func()
    # only a derived class's constructor (and arrows in it) may call super()
    if not isinstance(info, ClassInfo) or info.base is None or f is None or not f.is_ctor:
        raise tr.src.error(args_n, "'super' keyword unexpected here")
    args = tr.call_args(args_n)
    tr.emit(L.Assign([L.Name("this")], [L.Call(tr.h("super_call"), [info.base, L.Name("this")] + args, pos)]))
    if getattr(f, "super_flag", None):
        flag = L.Name(f.super_flag)
        tr.emit(L.Assign([flag], [L.Call(tr.h("super_bound"), [flag])]))
    f.super_seen = True
    if getattr(f, "fields_fn", None) is not None:
        tr.emit(L.ExprStat(L.Call(f.fields_fn, [L.Name("this")])))
    return L.Name("this")


Transformer.super_call = super_call
