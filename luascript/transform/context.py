"""The transformer's state: scopes, bindings, temporaries, jump targets and the statement list
being filled. Visitor modules (one per syntax family) register functions on `Transformer`.
"""
import re

from ..lua import ast as L
from ..lua.printer import KEYWORDS
from ..settings import optimizing

# Math functions with a Lua counterpart that gives JS's result for every number argument (Lua's
# own, or rt.lua's max2 and min2), called through R.m_f (number arguments) or R.mx_f (any), which
# check that Math.f is still the built-in: name -> the argument count they take.
LUA_MATH = {"sqrt": 1, "sin": 1, "cos": 1, "tan": 1, "asin": 1, "acos": 1, "atan": 1, "exp": 1, "log": 1,
            "floor": 1, "ceil": 1, "abs": 1, "atan2": 2, "max": 2, "min": 2}

# Runtime helpers that the generated code uses often enough to deserve a local of their own;
# others are reached through the runtime table `J0`. (A local costs nothing where it goes unused:
# the prologue declares only the helpers a module uses.)
HOT_HELPERS = ("add", "truthy", "get", "put", "eq", "lt", "le", "gt", "ge", "tostr", "catv", "cat", "mod",
               "sbread", "sbput", "sbmark", "sbput_after",
               "toint32", "new", "new0", "new1", "new2", "new3", "iter_open", "iter_close", "null", "ArrayMT", "ObjectMT", "SHAPE",
               "rawequal", "nkey", "aset", "caught", "throw", "this_method",
               "inc", "dec", "tonumeric", "plain_array", "HOLES",
               "bor", "band", "bxor", "shl", "sar", "shr", "touint32",
               "lt_bound", "le_bound", "gt_bound", "ge_bound", "lt_limit", "le_limit", "gt_limit", "ge_limit") \
    + tuple(prefix + f for f in LUA_MATH for prefix in ("m_", "mx_"))

_VALID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = re.compile(r"^J[0-9_]")


# Lua globals the generated code calls: a JS variable of the same name must not shadow them.
LUA_GLOBALS_USED = frozenset(("error", "pcall", "rawget", "rawset", "setmetatable", "select", "arguments"))


def lua_name(js):
    """Map a JS identifier to a Lua one that cannot collide with compiler-made names (J0_*)."""
    if _VALID.match(js) and js not in KEYWORDS and not _RESERVED.match(js) and js != "this" \
            and js not in LUA_GLOBALS_USED:
        return js
    out = ["J_"]
    for ch in js:
        if ch == "_":
            out.append("__")
        elif ch == "$":
            out.append("_S")
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append("_u%04X_" % ord(ch))
    return "".join(out)


MODULE_LOCALS = 45
FUNCTION_LOCALS = 120
MODULE_CONSTANTS = 120     # past these, module constants live in the table J0_K
# "tight" compilation (compiler.py retries with it when Lua refuses a chunk for more than 200
# locals or 60 upvalues, as big bundled libraries make it): few locals per function, constants
# and hot helpers read from tables
TIGHT_LOCALS = 16
SAVED_LOCALS = 32          # exprs_in_order's saved results past these go in a table

CHAIN_TYPES = frozenset(("member_expression", "call_expression", "subscript_expression"))
IDENT_TYPES = frozenset(("identifier", "property_identifier", "shorthand_property_identifier",
                         "shorthand_property_identifier_pattern", "private_property_identifier",
                         "statement_identifier"))
_IDENT_ESCAPE = re.compile(r"\\u(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))")


def decode_ident(t):
    """Identifiers may spell characters as \\uXXXX or \\u{X}: `\\u0065xtends` is `extends`."""
    return _IDENT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), t)


def in_for_head(node):
    """Whether identifier node is declared in a for statement's head (`for (let i = ...)`), whose
    bindings loops.py copies per iteration."""
    d = node.parent.parent if node is not None and node.parent is not None else None
    return d is not None and d.parent is not None and d.parent.type == "for_statement"


def decl(b, value=None, pos=None):
    """The statement that declares binding b (a local, a module-table field or, in a classic
    script, a property of the global object)."""
    if b.script_global and value is None:
        return L.ExprStat(L.Call(L.Index(L.Name("J0"), L.Str("script_var")), [L.Str(utf8(b.name))]), pos)
    if b.builder is not None:
        return L.Local([b.lua], [b.builder.new(value)], pos)
    if b.box is not None:
        # ({nil}: the slot is in the table's array part from the start)
        return L.Local([b.box], [L.Table([(None, value if value is not None else L.Lit("nil"))])], pos)
    if isinstance(b.lua, str):
        return L.Local([b.lua], [value] if value is not None else [], pos)
    return L.Assign([b.ref()], [value if value is not None else L.Lit("nil")], pos)


def store(b, value, pos=None):
    """The statement that assigns value to binding b."""
    if b.builder is not None:
        return b.builder.store(value, pos)
    return L.Assign([b.ref(pos)], [value], pos)


class Binding:
    __slots__ = ("name", "lua", "kind", "ty", "decl_byte", "func", "export_names", "tdz", "int", "lo",
                 "_predeclared", "_bound", "_decl_stmt", "switch_tdz", "script_global", "mapped", "nfe",
                 "builder", "box", "early_safe")

    def __init__(self, name, lua, kind, func, decl_byte=None):
        self.name, self.lua, self.kind, self.func, self.decl_byte = name, lua, kind, func, decl_byte
        self.ty = None             # "number" / "string" / "boolean" when provable
        self.export_names = []     # ES export names that mirror this binding
        self.tdz = kind in ("let", "const", "class")
        self.int = False
        self.lo = None             # an integer no value of it is below (loop counters), or None
        self.mapped = None         # a sloppy parameter's (function, index) in its arguments object
        self.nfe = False           # a named function expression's own name: read-only
        self._predeclared = False
        self._bound = False
        self._decl_stmt = None
        self.switch_tdz = False
        self.early_safe = False    # no closure can run before its declaration (statements.early_safe)
        self.script_global = False   # a top-level var/function of a classic script
        self.builder = None        # a string variable kept in a cell: its strings.Builder
        self.box = None            # a variable kept in a table of one slot: the table's Lua name

    def ref(self, pos=None):
        """The expression that reads the binding."""
        if self.builder is not None:
            return self.builder.read(pos)
        if isinstance(self.lua, str):
            return L.Name(self.lua, pos)
        return self.lua(pos)


class Scope:
    __slots__ = ("parent", "func", "vars", "kind", "obj")

    def __init__(self, parent, func, kind):
        self.parent, self.func, self.kind, self.vars = parent, func, kind, {}
        self.obj = None    # a with statement's scope: the Lua name of its object


class FuncState:
    """One JS function (or the module body)."""

    def __init__(self, node, kind, parent=None):
        self.node = node
        self.kind = kind             # "module", "function", "arrow", "method", "generator", "async", ...
        self.parent = parent
        self.lua_level = 0           # Lua function depth inside this JS function (try bodies add one)
        self.is_arrow = kind == "arrow"
        self.is_generator = False
        self.is_async = False
        self.class_info = None       # for methods and constructors: the enclosing class
        self.is_ctor = False
        self.is_derived_ctor = False
        self.method_kind = None      # "method", "get", "set" for methods: never constructed
        self.new_target = None       # the local holding new.target, in functions that read it
        self.factories = []          # statements defining closure factories (functions.detached)
        self.strict = True
        self.home_static = False
        self.numeric = set()         # let/var names that only ever hold numbers (numeric.py)
        self.stringy = set()         # let/var names that only ever hold strings
        self.boolean = set()         # let/var names that only ever hold booleans
        self.boxed = frozenset()     # let/var names kept in a box (functions.boxed_names)


class Jump:
    """A break/continue target: a loop, a switch or a labelled statement."""

    def __init__(self, kind, labels, lua_level, func):
        self.kind = kind             # "loop", "switch", "block"
        self.labels = labels
        self.lua_level = lua_level
        self.func = func
        self.brk = None              # Lua label name after the statement, made on demand
        self.cont = None             # Lua label name before the loop's next iteration
        self.lua_loop = kind in ("loop", "switch")


class TryFrame:
    """Codes that a try body (a Lua function under pcall) returns for return/break/continue."""

    def __init__(self, lua_level, func):
        self.lua_level = lua_level
        self.func = func
        self.codes = []              # index+2 is the code; entries are (kind, jump)
        self.returns = False


class Transformer:
    handlers = {}

    @classmethod
    def visitor(cls, *types):
        def deco(fn):
            for t in types:
                cls.handlers[t] = fn
            return fn
        return deco

    def __init__(self, src, options=None):
        self.src = src
        self.pos = src.pos      # (the most called method of the transform: no frame of its own)
        # `await(x)` and `await[x]` that tree-sitter reads as a call or an index of a name `await`:
        # looked for in chains only where the text could spell the word
        self.may_await = b"await" in src.data or b"\\" in src.data
        self.may_chain_optionally = b"?." in src.data
        self._in_await_chain = False
        self.options = options or {}
        self.tight = bool(self.options.get("tight"))
        # LUASCRIPT_OPTIMIZE=0: no type inference, numeric for loops, inlined array methods,
        # allocators, brands, closure factories, string buffers or rawequal; the tests run every
        # program both ways to show each optimisation keeps the meaning (tests/test_programs.py)
        self.optimize = optimizing()
        self.stmts = []
        self.scope = None
        self.func = None
        self.temp_count = 0
        self.helpers_used = set()
        self.jumps = []
        self.tries = []
        self.constants = []          # module-level constants (shapes, template objects)
        self.is_esm = False
        self.module_refs = set()     # "module", "exports", "require", "__filename", "__dirname"
        self.imports = {}            # specifier -> Lua local name
        self.strbufs = {}            # Binding -> Lua name of the string.buffer it is built in
        self.strlens = {}            # Binding -> Lua name of its length's count, where read
        self.with_depth = 0          # with statements being compiled around this point
        self.kernels = []            # // @gpu loops compiled so far (luascript.kernels.ir.Kernel)
        self.class_facts = {}        # Binding of a class -> what its subclasses' allocators take over
        self.class_facts_made = None  # (those of the class compiled last)
        self.folded = set()          # (start, end) of statements compiled with an earlier one
        self.in_gpu_fallback = False  # compiling the CPU copy of a marked loop
        # the REPL (luascript/repl.py): {name: "let" | "const"} of the lexical declarations of
        # earlier inputs, which live in the session's table J0_L; None when compiling anything else
        self.repl = self.options.get("repl")
        if self.repl is not None and not self.options.get("script"):
            self.options = dict(self.options, script=True)   # REPL input is a classic script
        self.repl_declared = {}      # this input's top-level lexical declarations (REPL only)

    # ---- positions and errors ----------------------------------------------------------------
    def error(self, node, message):
        """An early error: a SyntaxError in every JS engine."""
        return self.src.error(node, message)

    def unsupported(self, node, message):
        """Valid JavaScript that LuaScript does not compile."""
        return self.src.error(node, message, kind=None)

    def may_mention(self, nodes, words):
        """Whether the source text of nodes may hold one of words: it does, or it has an escape
        that could spell one. Walks that look for a few names or keywords ask this first, as
        most functions and blocks never mention them."""
        data = self.src.data
        find = data.find        # (searched in place: a slice would copy a function's whole text)
        for n in nodes:
            if n is None:
                continue
            start, end = n.start_byte, n.end_byte
            if find(b"\\", start, end) >= 0:
                return True
            for w in words:
                if find(w.encode(), start, end) >= 0:
                    return True
        return False

    def text(self, node):
        raw = self.src.data[node.start_byte:node.end_byte]
        if raw.isascii():
            t = raw.decode("ascii")
        else:
            t = self.src.node_text(node)
        if "\\" in t and node.type in IDENT_TYPES:
            t = decode_ident(t)
        return t

    # ---- helpers -----------------------------------------------------------------------------
    def h(self, name, pos=None):
        """Reference to runtime helper `name`."""
        self.helpers_used.add(name)
        if name in HOT_HELPERS and not self.tight:
            return L.Name("J0_" + name, pos)
        return L.Index(L.Name("J0"), L.Str(name), pos)

    def call_h(self, name, args, pos=None):
        return L.Call(self.h(name), args, pos)

    def temp(self, hint="t"):
        self.temp_count += 1
        return "J0_%s%d" % (hint, self.temp_count)

    def emit(self, st):
        self.stmts.append(st)

    def to_temp(self, expr, hint="t", pos=None):
        """Evaluate expr now into a fresh local; returns its Name."""
        if isinstance(expr, (L.Lit, L.Num, L.Str)) or (isinstance(expr, L.Name) and expr.name.startswith("J0_")):
            return expr
        name = self.temp(hint)
        self.emit(L.Local([name], [expr], pos))
        return L.Name(name)

    def capture(self, fn, *args):
        """Run fn with a fresh statement list; returns (result, statements)."""
        saved = self.stmts
        self.stmts = []
        try:
            r = fn(*args)
            return r, self.stmts
        finally:
            self.stmts = saved

    def const(self, expr, hint="K"):
        """A module-level constant evaluated once at load (shapes, frozen templates)."""
        n = len(self.constants) + 1
        limit = 0 if self.tight else MODULE_CONSTANTS
        if n > limit:
            # Lua's 200-locals limit of the main chunk (bundles make thousands of shapes)
            if n == limit + 1:
                self.constants.append(L.Local(["J0_K"], [L.Table([])]))
            k = L.Num(len(self.constants) - limit)
            self.constants.append(L.Assign([L.Index(L.Name("J0_K"), k)], [expr]))
            return L.Index(L.Name("J0_K"), k)
        name = "J0_%s%d" % (hint, n)
        self.constants.append(L.Local([name], [expr]))
        return L.Name(name)

    # ---- scopes ------------------------------------------------------------------------------
    def push_scope(self, kind, func=None):
        self.scope = Scope(self.scope, func or self.func, kind)
        return self.scope

    def pop_scope(self):
        self.scope = self.scope.parent

    def declare(self, name, kind, node=None, lua=None):
        scope = self.scope
        if kind == "var" or kind == "function-var":
            while scope.kind not in ("function", "module"):
                scope = scope.parent
        existing = scope.vars.get(name)
        if existing is not None:
            if kind in ("let", "const", "class") or existing.kind in ("let", "const", "class"):
                if node is not None and not (existing.kind == "param" and kind == "var"):
                    raise self.error(node, "Identifier '%s' has already been declared" % name)
            return existing
        b = Binding(name, lua or lua_name(name), kind, scope.func, node.start_byte if node is not None else None)
        if kind in ("let", "var", "const") and self.func is not None:
            if name in self.func.numeric:
                b.ty = "number"
            elif name in self.func.stringy:
                b.ty = "string"
            elif name in self.func.boolean:
                b.ty = "boolean"
        if scope.kind == "module" and lua is None and kind in ("var", "function") \
                and self.options.get("script") and not self.is_esm:
            # a classic script: top-level var and function declarations are properties of the
            # global object, shared with every other script and with globalThis
            b.script_global = True
            b.ty = None
            key = L.Str(utf8(name))
            b.lua = lambda pos=None, key=key: L.Index(L.Name("J0_G"), key, pos)
        elif scope.kind == "module" and lua is None and kind in ("let", "const", "class") \
                and self.repl is not None:
            # the REPL (option "repl"): top-level lexical declarations live in the session's table
            # J0_L, where later inputs, compiled with their names in the option, find them. No
            # static type: a later input may assign the variable anything.
            b.ty = None
            key = L.Str(utf8(name))
            b.lua = lambda pos=None, key=key: L.Index(L.Name("J0_L"), key, pos)
            self.repl_declared[name] = "const" if kind == "const" else "let"
        elif scope.kind == "module" and lua is None:
            # Lua allows 200 locals per function and 60 upvalues per closure: past the first
            # module-level names, bindings live in the module table J0_T
            self.module_locals = getattr(self, "module_locals", 0) + 1
            if self.module_locals > (TIGHT_LOCALS if self.tight else MODULE_LOCALS):
                self.uses_module_table = True
                key = L.Str(name)
                b.lua = lambda pos=None, key=key: L.Index(L.Name("J0_T"), key, pos)
        elif scope.kind == "function" and lua is None and scope.func is not None:
            # the same limit inside a function: its top-level names past FUNCTION_LOCALS live in a
            # table of the function
            f = scope.func
            f.local_count = getattr(f, "local_count", 0) + 1
            # (parameters count, but stay Lua parameters: a table has no place in a parameter list)
            if f.local_count > (TIGHT_LOCALS if self.tight else FUNCTION_LOCALS) and kind != "param":
                if getattr(f, "spill", None) is None:
                    f.spill = self.temp("V")
                key, tbl = L.Str(name), f.spill
                b.lua = lambda pos=None, key=key, tbl=tbl: L.Index(L.Name(tbl), key, pos)
        if kind in ("let", "var") and isinstance(b.lua, str) and self.optimize \
                and (node is None or node.parent is not None and node.parent.type == "variable_declarator"):
            if b.ty == "string":
                from .strings import make_builder
                make_builder(self, b, node)
            if b.builder is None and name in scope.func.boxed and not in_for_head(node):
                # (a closure's factory then takes the box: functions.detached)
                box = b.box = self.temp("bx")
                b.lua = lambda pos=None, box=box: L.Index(L.Name(box), L.Num(1), pos)
        scope.vars[name] = b
        if scope.kind == "module":
            b.export_names = list(getattr(self, "pending_exports", {}).get(name, ()))
        return b

    def start_in_tdz(self, b):
        """Make the local statement of binding b start it uninitialised (reads check it)."""
        tdz = self.h("TDZ")
        b._decl_stmt.exprs = [b.builder.new(tdz) if b.builder is not None else
                              L.Table([(None, tdz)]) if b.box is not None else tdz]

    def code_func(self):
        """The function whose this, arguments, new.target and super() the code here sees: the
        innermost that is not an arrow (None at a module's top)."""
        f = self.func
        while f is not None and f.is_arrow:
            f = f.parent
        return f

    def with_objects(self, name):
        """The objects of the with statements a reference to name passes before its binding,
        innermost first (each is asked whether it has the name)."""
        out = []
        s = self.scope
        while s is not None and name not in s.vars:
            if s.kind == "with":
                out.append(s.obj)
            s = s.parent
        return out

    def with_read(self, objs, name, base, pos=None, this=None):
        """The value of name where with objects may hold it: the first that has it, else base().
        With `this` (a local), it is set to the object the value came from, for a call."""
        t = self.temp("wv")
        self.emit(L.Local([t]))
        clauses = [(L.Call(self.h("with_has"), [o, L.Str(name)]),
                    [L.Assign([L.Name(t)], [L.Call(self.h("get"), [o, L.Str(name)])])] +
                    ([L.Assign([L.Name(this)], [o])] if this else [])) for o in objs]
        v, pre = self.capture(base)
        self.emit(L.If(clauses, pre + [L.Assign([L.Name(t)], [v])]))
        return L.Name(t, pos)

    def func_scope_binding(self, name):
        """The binding of name in the scope of the function around (where vars live)."""
        scope = self.scope
        while scope.kind not in ("function", "module"):
            scope = scope.parent
        return scope.vars[name]

    def lookup(self, name):
        s = self.scope
        while s is not None:
            b = s.vars.get(name)
            if b is not None:
                return b
            s = s.parent
        return None

    # ---- dispatch ----------------------------------------------------------------------------
    def expr(self, node):
        t = node.type
        if self.may_await and t in CHAIN_TYPES and not self._in_await_chain:
            if expressions.await_chain_base(self, node) is not None:
                self._in_await_chain = True
                try:
                    inner = self.expr(node)
                finally:
                    self._in_await_chain = False
                return L.Call(self.h("await"), [inner])
        h = self.handlers.get(t)
        if h is None:
            raise self.unsupported(node, "unsupported expression: %s" % t.replace("_", " "))
        return h(self, node)

    def stat(self, node):
        if self.folded and (node.start_byte, node.end_byte) in self.folded:
            return   # (a store compiled into the object literal before it)
        h = self.handlers.get("stat:" + node.type)
        if h is None:
            raise self.unsupported(node, "unsupported statement: %s" % node.type.replace("_", " "))
        prev = node.prev_sibling
        if prev is not None and prev.type == "comment":
            from .. import kernels
            kernels.refuse_stray_marks(self, node)
        mark = len(self.stmts)
        h(self, node)
        self.scope_temps(mark)

    def scope_temps(self, mark):
        """Lua allows 200 locals per function: temporaries of one statement live in a do-block.
        User locals declared by the statement are declared before the block."""
        new = self.stmts[mark:]
        if len(new) < 2 or not any(isinstance(s, L.Local) and s.names and s.names[0].startswith("J0_") for s in new):
            return
        user = []
        body = []
        for s in new:
            if isinstance(s, L.Local) and not s.names[0].startswith("J0_"):
                user.extend(s.names)
                if s.exprs:
                    body.append(L.Assign([L.Name(n) for n in s.names[:len(s.exprs)]], s.exprs, s.pos))
            else:
                body.append(s)
        out = [L.Local(user)] if user else []
        out.append(L.Do(body))
        self.stmts[mark:] = out

    def block_body(self, nodes):
        """Transform statements of one block into a fresh list (scope handled by caller)."""
        def run():
            self.hoist_functions(nodes)
            for n in nodes:
                if n.is_extra:
                    continue
                self.stat(n)
        _, body = self.capture(run)
        return body

    def stmt_list(self, nodes):
        for n in nodes:
            if not n.is_extra:
                self.stat(n)

    # ---- evaluation order ---------------------------------------------------------------------
    def exprs_in_order(self, nodes, fn=None):
        """Transform several expressions left to right; when a later one needs statements of its
        own, earlier results are saved first so they keep their evaluation order: in locals, and
        past SAVED_LOCALS of them in one table (an object literal of hundreds of `new` calls
        would pass Lua's 200 locals)."""
        fn = fn or self.expr
        results = []
        saved = 0          # results before this index are saved or stable
        locals_used = 0
        box = None
        for n in nodes:
            mark = len(self.stmts)
            e = fn(n)
            if len(self.stmts) > mark:
                spills = []
                for i in range(saved, len(results)):
                    r = results[i]
                    if r is None or is_stable(r):
                        continue
                    if locals_used < SAVED_LOCALS:
                        locals_used += 1
                        t = self.temp()
                        spills.append(L.Local([t], [r]))
                        results[i] = L.Name(t)
                        continue
                    if box is None:
                        box = self.temp("saved")
                        spills.append(L.Local([box], [L.Table([])]))
                    results[i] = L.Index(L.Name(box), L.Num(i + 1))
                    spills.append(L.Assign([results[i]], [r]))
                saved = len(results)
                self.stmts[mark:mark] = spills
            results.append(e)
        return results


def scan(node, stop):
    """node and its descendants, not looking inside nodes whose type is in stop (except node)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for c in n.named_children:
            if c.type not in stop:
                stack.append(c)


def is_stable(e):
    """Expressions whose value cannot change between evaluation and use."""
    return isinstance(e, (L.Lit, L.Num, L.Str, L.Func)) or (isinstance(e, L.Name) and e.name.startswith("J0_"))


# (last: literals imports this module)
from .literals import utf8  # noqa: E402
from . import expressions  # noqa: E402
