"""Declarations, blocks, conditionals, jumps, switch, throw and try."""
from ..lua import ast as L
from .context import Transformer, Jump, TryFrame, decl, store
from .expressions import named, unparen
from .literals import utf8
from .early import check_block, check_statement_position, labelled_function, unlabelled

visitor = Transformer.visitor


# ---- declarations ----------------------------------------------------------------------------------
def bind_name(tr, node, value, kind):
    name = tr.text(node)
    pos = tr.pos(node)
    if kind in ("let", "const", "class", "param", "catch"):
        b = tr.scope.vars.get(name)
        if b is not None and getattr(b, "_predeclared", False) and not b._bound:
            b._bound = True
            b.decl_byte = node.start_byte
            tr.emit(store(b, value if value is not None else L.Lit("nil"), pos))
        else:
            b = tr.declare(name, "let" if kind in ("param", "catch") else kind, node)
            b.decl_byte = node.start_byte
            if kind in ("param", "catch"):
                b.tdz = False
            tr.emit(decl(b, value, pos))
        if kind == "const" and value is not None and b.ty is None:
            b.ty = tr.value_type(value)
    else:   # var
        b = tr.lookup(name)
        if b is None:
            b = tr.declare(name, "var", node)
            tr.emit(decl(b, None, pos))
        if value is None:
            return
        tr.emit(store(b, value, pos))
    if b.export_names:
        for en in b.export_names:
            tr.emit(L.Assign([L.Index(L.Name("J0_exports"), L.Str(utf8(en)))], [b.ref()]))


Transformer.bind_name = bind_name


def value_type(tr, e):
    if isinstance(e, L.Num):
        return "number"
    if isinstance(e, L.Str):
        return "string"
    return getattr(e, "_ty", None)


Transformer.value_type = value_type


@visitor("stat:lexical_declaration", "stat:variable_declaration")
def declaration(tr, node):
    if node.type == "variable_declaration":
        kind = "var"
    else:
        kind = tr.text(node.child_by_field_name("kind"))
        if kind == "using":
            raise tr.unsupported(node, "'using' declarations are not supported")
    declarators = [d for d in named(node) if d.type == "variable_declarator"]
    if len(declarators) == 1 and tr.literal_with_stores(node, declarators[0], kind):
        return
    for d in declarators:
        mark = len(tr.stmts)
        declarator(tr, d, kind)
        if len(declarators) > 1:
            # each declarator's temporaries in a block of their own: a minified module declares
            # hundreds of names in one var statement, past Lua's 200 locals together
            tr.scope_temps(mark)


def declarator(tr, d, kind):
    name_n, value_n = d.child_by_field_name("name"), d.child_by_field_name("value")
    if name_n.type == "identifier":
        if value_n is None:
            if kind == "const":
                raise tr.error(d, "Missing initializer in const declaration")
            bind_name(tr, name_n, None, kind)
            return
        value = tr.expr_named(value_n, name_n)
        b_ty = tr.ty(value_n) if kind == "const" else None
        bind_name(tr, name_n, value, kind)
        if b_ty is not None:
            tr.lookup(tr.text(name_n)).ty = b_ty
    else:
        if value_n is None:
            raise tr.error(d, "Missing initializer in destructuring declaration")
        if tr.optimize and tr.declare_from_literal(name_n, value_n, kind):
            return
        v = tr.to_temp(tr.expr(value_n))
        tr.destructure(name_n, v, kind, source=tr.v8_text(value_n))


# ---- hoisting ----------------------------------------------------------------------------------------
FUNCTION_TYPES = ("function_declaration", "generator_function_declaration", "function_expression",
                  "arrow_function", "generator_function", "function", "method_definition", "class_declaration",
                  "class")


def collect_vars(tr, body_nodes):
    """Names declared with `var` in a function body (not inside nested functions)."""
    out = []
    if not tr.may_mention(body_nodes, ("var",)):
        return out
    stack = list(reversed(body_nodes))
    while stack:
        n = stack.pop()
        t = n.type
        if t in FUNCTION_TYPES:
            continue
        if t == "variable_declaration":
            for d in named(n):
                if d.type == "variable_declarator":
                    pattern_names(tr, d.child_by_field_name("name"), out)
        elif t == "for_in_statement" and n.child_by_field_name("kind") is not None \
                and tr.text(n.child_by_field_name("kind")) == "var":
            pattern_names(tr, n.child_by_field_name("left"), out)
        for c in reversed(n.named_children):
            stack.append(c)
    return out


def pattern_names(tr, p, out):
    if p is None:
        return
    t = p.type
    if t in ("identifier", "shorthand_property_identifier_pattern"):
        out.append(p)
    elif t in ("object_pattern", "array_pattern"):
        for c in named(p):
            pattern_names(tr, c, out)
    elif t == "pair_pattern":
        pattern_names(tr, p.child_by_field_name("value"), out)
    elif t in ("assignment_pattern", "object_assignment_pattern"):
        pattern_names(tr, p.child_by_field_name("left"), out)
    elif t == "rest_pattern":
        for c in named(p):
            pattern_names(tr, c, out)


Transformer.pattern_names = pattern_names


def hoist_vars(tr, body_nodes):
    names = []
    for n in collect_vars(tr, body_nodes):
        name = tr.text(n)
        if tr.scope.vars.get(name) is None and name not in names:
            names.append(name)
    annex_b = [] if tr.func.strict else annex_b_functions(tr, body_nodes)
    for f in annex_b:
        name = tr.text(f.child_by_field_name("name"))
        b = tr.scope.vars.get(name)
        if b is not None and b.kind == "param":
            continue
        if b is None and name not in names:
            names.append(name)
        tr.func.__dict__.setdefault("annex_b", {})[f.start_byte] = name
    luas = []
    for name in names:
        b = tr.declare(name, "var")
        if b.script_global or b.builder is not None or b.box is not None:
            tr.emit(decl(b))
        elif isinstance(b.lua, str):
            luas.append(b.lua)
    for i in range(0, len(luas), 100):
        tr.emit(L.Local(luas[i:i + 100]))


Transformer.hoist_vars = hoist_vars


# Annex B.3.3: in sloppy code a function declared in a block is also a var of the function
# around it, set when the declaration is evaluated (`if (x) { function f() {} } f()`), unless a
# let, const, class or block-level function of that name in a block around it (or at the top)
# would make such a var an error.
_ANNEX_B_BLOCKS = frozenset(("statement_block", "if_statement", "else_clause", "for_statement", "for_in_statement",
                             "while_statement", "do_statement", "labeled_statement", "switch_statement",
                             "switch_body", "switch_case", "switch_default", "try_statement", "catch_clause",
                             "finally_clause", "with_statement"))


def _lexical_names(tr, nodes, functions):
    out = {tr.text(idn) for idn, _ in lexical_names(tr, nodes)}
    if functions:
        out.update(tr.text(n.child_by_field_name("name")) for n in nodes
                   if n.type in ("function_declaration", "generator_function_declaration"))
    return out


def annex_b_functions(tr, body_nodes):
    found = []
    if any(n.type in _ANNEX_B_BLOCKS for n in body_nodes):
        top = _lexical_names(tr, body_nodes, False)
        for n in body_nodes:
            if n.type in _ANNEX_B_BLOCKS:
                _annex_b_visit(tr, n, top, found)
    return found


def _annex_b_visit(tr, n, outer, found):
    # (a module function, not a closure: a recursive closure is a reference cycle, which would
    # keep the whole compile's garbage for the cyclic collector)
    kids = named(n)
    if n.type in ("statement_block", "switch_case", "switch_default"):
        own = _lexical_names(tr, kids, False)
        for c in unlabelled(kids):
            if c.type == "function_declaration" and not any(x.type == "async" for x in c.children):
                name = tr.text(c.child_by_field_name("name"))
                if name not in outer and name not in own and name != "arguments":
                    found.append(c)
        outer = outer | own | _lexical_names(tr, kids, True)
    for c in kids:
        if c.type in _ANNEX_B_BLOCKS:
            _annex_b_visit(tr, c, outer, found)


def lexical_names(tr, nodes):
    """(name node, "let" | "const" | "class") of a statement list's lexical declarations."""
    for n in nodes:
        d = n
        if n.type == "export_statement":
            d = n.child_by_field_name("declaration")
            if d is None:
                continue
        if d.type == "lexical_declaration":
            kind = tr.text(d.child_by_field_name("kind"))
            for v in named(d):
                if v.type == "variable_declarator":
                    found = []
                    pattern_names(tr, v.child_by_field_name("name"), found)
                    for x in found:
                        yield x, kind
        elif d.type == "class_declaration":
            yield d.child_by_field_name("name"), "class"


def early_safe(tr, nodes, funcs):
    """The lexical names of a block (their start bytes) that no closure can read before their
    declarations have run, so that reads from the block's functions need no TDZ check.

    Before the block's first statement only its function declarations exist, and one can be run
    only after something reaches it. So while no statement names one of them, or a lexical name
    of the block not yet declared, whatever code those statements run (a builtin, a required
    module, a callback of theirs) cannot reach a function that reads a binding still
    uninitialised. Where the functions are reachable from the start, as a script's globals or a
    module's exports (a cyclic import runs them before the module body), none is safe."""
    if tr.repl is not None:
        return set()
    top = tr.scope.kind == "module"
    if top and tr.options.get("script") and not tr.is_esm:
        return set()
    fnames = {tr.text(f.child_by_field_name("name")) for f in funcs}
    per_stmt = [[idn for idn, _ in lexical_names(tr, [n])] for n in nodes]
    if top and any(n.type == "export_statement" and _names_any(tr, n, fnames) for n in nodes):
        return set()
    later = set(fnames)
    for idns in per_stmt:
        later.update(tr.text(i) for i in idns)
    safe = set()
    for n, idns in zip(nodes, per_stmt):
        if n.type in ("function_declaration", "generator_function_declaration"):
            continue
        if _names_any(tr, n, later):
            break
        for i in idns:
            safe.add(i.start_byte)
            later.discard(tr.text(i))
    return safe


_NAME_TYPES = ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern")


def _names_any(tr, node, names):
    """Whether the subtree of node has an identifier spelling one of names (a declaration of the
    name counts: conservative, never wrong)."""
    if not names:
        return False
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in _NAME_TYPES:
            if tr.text(n) in names:
                return True
        elif n.type == "export_statement" and n.child_by_field_name("declaration") is not None \
                and n.child_by_field_name("declaration").type.endswith("function_declaration"):
            return True     # (a function declared by an export is reachable from the start)
        elif n.type == "variable_declarator" and n.child_by_field_name("name").type == "identifier":
            value = n.child_by_field_name("value")     # (the name it declares is no read)
            if value is not None:
                stack.append(value)
        else:
            stack.extend(n.named_children)
    return False


def hoist_functions(tr, nodes, function_top=False):
    """Lexical names of a block are in scope in the whole block (closures created earlier may use
    them), and function declarations are created before the block's first statement: declare
    all of them first, then create the functions."""
    if not tr.func.strict and any(n.type == "labeled_statement" for n in nodes):
        nodes = unlabelled(nodes)     # (in strict code the labelled statement's visitor refuses it)
    check_block(tr, nodes, function_top)
    funcs = [n for n in nodes if n.type in ("function_declaration", "generator_function_declaration")]
    exported = []
    for n in nodes:
        if n.type == "export_statement":
            d = n.child_by_field_name("declaration")
            if d is not None and d.type in ("function_declaration", "generator_function_declaration"):
                funcs.append(d)
                if not any(c.type == "default" for c in n.children):
                    exported.append(d)
    names = []
    safe = early_safe(tr, nodes, funcs)
    for idn, kind in lexical_names(tr, nodes):
        b = tr.declare(tr.text(idn), "const" if kind == "const" else "let", idn)
        b.early_safe = idn.start_byte in safe
        b._predeclared = True
        b._bound = False
        b.decl_byte = idn.start_byte
        # one local statement each, so that a binding read early by a closure can start as TDZ
        if isinstance(b.lua, str) or b.box is not None:
            d = decl(b)
            b._decl_stmt = d
            tr.emit(d)
        elif tr.repl is not None and tr.repl_declared.get(b.name) and tr.scope.kind == "module":
            # the REPL's table: uninitialised until the declaration runs, so that a later input
            # finds the binding uninitialised when this one threw before it (luascript/repl.py)
            d = L.Assign([b.ref()], [tr.h("TDZ")])
            b._decl_stmt = d
            tr.emit(d)
    fbindings = []
    for f in funcs:
        name_n = f.child_by_field_name("name")
        b = tr.scope.vars.get(tr.text(name_n))
        if b is None or b.kind != "var":
            # (a block's function with an Annex B var of the same name needs a Lua name of its own)
            own = tr.temp("fn") if not function_top and f.start_byte in getattr(tr.func, "annex_b", {}) else None
            b = tr.declare(tr.text(name_n), "function", name_n, lua=own)
        b.tdz = False
        fbindings.append((f, b))
        if isinstance(b.lua, str) and b.lua not in names:
            names.append(b.lua)
    for i in range(0, len(names), 100):
        tr.emit(L.Local(names[i:i + 100]))
    for f, b in fbindings:
        fn = tr.function_like(f, name_hint=tr.text(f.child_by_field_name("name")))
        tr.emit(L.Assign([b.ref()], [fn], tr.pos(f)))
        if f in exported:
            tr.export_binding(b, b.name)
    tr.__dict__.setdefault("_hoisted_ids", set()).update(f.start_byte for f, _ in fbindings)


Transformer.hoist_functions = hoist_functions


@visitor("stat:function_declaration", "stat:generator_function_declaration")
def function_declaration(tr, node):
    var = getattr(tr.func, "annex_b", {}).get(node.start_byte)
    if var is not None:
        # (Annex B: the function's var takes it here)
        name = tr.text(node.child_by_field_name("name"))
        if node.start_byte not in getattr(tr, "_hoisted_ids", ()):
            b = tr.declare(name, "function", node.child_by_field_name("name"), lua=tr.temp("fn"))
            b.tdz = False
            tr.emit(decl(b))
            tr.emit(L.Assign([b.ref()], [tr.function_like(node, name_hint=name)], tr.pos(node)))
        outer = tr.func_scope_binding(var)
        tr.emit(L.Assign([outer.ref()], [tr.lookup(name).ref()], tr.pos(node)))
        return
    if node.start_byte in getattr(tr, "_hoisted_ids", ()):
        return
    # a declaration in a position that was not hoisted (e.g. the body of an if)
    name_n = node.child_by_field_name("name")
    b = tr.declare(tr.text(name_n), "function", name_n)
    b.tdz = False
    tr.emit(decl(b))
    tr.emit(L.Assign([b.ref()], [tr.function_like(node, name_hint=tr.text(name_n))], tr.pos(node)))


# ---- simple statements ---------------------------------------------------------------------------
@visitor("stat:expression_statement")
def expression_statement(tr, node):
    for c in named(node):
        tr.expr_stat(c)


@visitor("stat:empty_statement", "stat:debugger_statement", "stat:hash_bang_line")
def empty(tr, node):
    pass


@visitor("stat:statement_block")
def block(tr, node):
    tr.push_scope("block")
    body = tr.block_body(named(node))
    tr.pop_scope()
    if body:
        tr.emit(L.Do(body, tr.pos(node)))


def body_of(tr, node):
    """Statements of a nested statement (block or single statement) with its own scope."""
    tr.push_scope("block")
    if node.type == "statement_block":
        body = tr.block_body(named(node))
    else:
        check_statement_position(tr, node)
        body = tr.block_body([node])
    tr.pop_scope()
    return body


Transformer.body_of = body_of


@visitor("stat:if_statement")
def if_statement(tr, node):
    c = tr.cond(node.child_by_field_name("condition"), first=True)
    body = body_of(tr, node.child_by_field_name("consequence"))
    clauses = [(c, body)]
    orelse = None
    alt = node.child_by_field_name("alternative")
    if alt is not None:
        a = [x for x in alt.named_children if not x.is_extra][0]
        if a.type == "if_statement":
            _, orelse = tr.capture(if_statement, tr, a)
            if len(orelse) == 1 and isinstance(orelse[0], L.If):
                clauses.extend(orelse[0].clauses)   # no statements before it: chain as elseif
                orelse = orelse[0].orelse
        else:
            orelse = body_of(tr, a)
    tr.emit(L.If(clauses, orelse or None, tr.pos(node)))


# ---- jumps ---------------------------------------------------------------------------------------
def find_jump(tr, node, kind):
    label_n = node.child_by_field_name("label") if node.child_by_field_name("label") is not None else \
        next((c for c in node.named_children if c.type == "statement_identifier"), None)
    label = tr.text(label_n) if label_n is not None else None
    for j in reversed(tr.jumps):
        if j.func is not tr.func:
            break
        if label is not None:
            if label in j.labels:
                if kind == "continue" and j.kind != "loop":
                    raise tr.error(node, "Illegal continue statement: '%s' does not denote an iteration statement" % label)
                return j
        elif kind == "break" and j.kind in ("loop", "switch"):
            return j
        elif kind == "continue" and j.kind == "loop":
            return j
    if label is not None:
        raise tr.error(node, "Undefined label '%s'" % label)
    raise tr.error(node, "Illegal %s statement" % kind)


def close_iterators(tr, inside=None, also=False):
    """Close the iterators of the open for…of loops of this Lua function that a jump leaves,
    innermost first: all of them (return), or those nested in jump target `inside` (and its own
    when `also`: a break out of it that skips its closing call)."""
    level = tr.func.lua_level
    depth = None if inside is None else tr.jumps.index(inside) + (0 if also else 1)
    for f, lvl, st, j in reversed(getattr(tr, "forof_states", ())):
        if f is tr.func and lvl == level and (depth is None or tr.jumps.index(j) >= depth):
            tr.emit(L.ExprStat(L.Call(tr.h("iter_close"), [L.Name(st)])))


def emit_jump(tr, kind, j, pos=None):
    """break/continue to jump target j from the current position."""
    level = tr.func.lua_level
    innermost = next((x for x in reversed(tr.jumps) if x.lua_loop and x.func is tr.func), None)
    if not (kind == "break" and innermost is j and j.lua_level == level):
        # a Lua break runs the loop's own closing call; any other jump closes what it leaves
        close_iterators(tr, j, also=kind == "break")
    if j.lua_level != level:
        # inside a try body: leave the function with a code the try statement acts on
        frame = tr.tries[-1]
        key = (kind, j)
        if key not in frame.codes:
            frame.codes.append(key)
        code = frame.codes.index(key) + 2
        tr.emit(L.Return([L.Num(code)], pos))
        return
    if kind == "break":
        if innermost is j:
            tr.emit(L.Break(pos))
            return
        if j.brk is None:
            j.brk = tr.temp("brk")
        tr.emit(L.Goto(j.brk, pos))
        return
    if j.cont is None:
        j.cont = tr.temp("cont")
    tr.emit(L.Goto(j.cont, pos))


Transformer.emit_jump = emit_jump


@visitor("stat:break_statement")
def break_statement(tr, node):
    emit_jump(tr, "break", find_jump(tr, node, "break"), tr.pos(node))


@visitor("stat:continue_statement")
def continue_statement(tr, node):
    emit_jump(tr, "continue", find_jump(tr, node, "continue"), tr.pos(node))


@visitor("stat:labeled_statement")
def labeled(tr, node):
    labels = []
    n = node
    while n.type == "labeled_statement":
        labels.append(tr.text(n.child_by_field_name("label")))
        n = n.child_by_field_name("body")
    if n.type in ("for_statement", "for_in_statement", "while_statement", "do_statement"):
        tr.pending_labels = labels
        tr.stat(n)
        return
    if n.type in ("function_declaration", "generator_function_declaration"):
        # (a statement list's hoist_functions declared it, in sloppy code: Annex B.3.2)
        if labelled_function(node) is None:
            raise tr.error(n, "%s can only be declared at the top level or inside a block." % (
                "Generators" if n.type == "generator_function_declaration" else "Async functions"))
        if tr.func.strict:
            raise tr.error(n, "In strict mode code, functions can only be declared at top level or inside a block.")
        tr.stat(n)
        return
    j = Jump("block", labels, tr.func.lua_level, tr.func)
    tr.jumps.append(j)
    body = body_of(tr, n)
    tr.jumps.pop()
    if j.brk:
        tr.emit(L.Do(body + [L.Label(j.brk)]))
    else:
        tr.emit(L.Do(body))


def push_loop(tr, node=None):
    labels = getattr(tr, "pending_labels", None) or []
    tr.pending_labels = None
    j = Jump("loop", labels, tr.func.lua_level, tr.func)
    j.buffers = []
    if node is not None and tr.optimize:
        for b, counted in strings.append_only_strings(tr, node):
            if b not in tr.strbufs:
                buf = tr.temp("sb")
                tr.strbufs[b] = buf
                count = tr.temp("sl") if counted else None
                if count:
                    tr.strlens[b] = count
                j.buffers.append((b, buf, count))
    tr.jumps.append(j)
    return j


Transformer.push_loop = push_loop


def close_loop(tr, j, body):
    """Loop body with its continue label; returns the body statements."""
    tr.jumps.pop()
    if j.cont:
        return [L.Do(body), L.Label(j.cont)]
    return body


Transformer.close_loop = close_loop


def after_loop(tr, j, loop_stmt):
    if not j.buffers:
        if j.brk:
            tr.emit(L.Do([loop_stmt, L.Label(j.brk)]))
        else:
            tr.emit(loop_stmt)
        return
    # strings only appended to in the loop are built in a buffer, read back once after it
    pre, post = [], []
    for b, buf, count in j.buffers:
        del tr.strbufs[b]
        pre.append(L.Local([buf], [L.FALSE]))   # (made once the string is long: strings.buffered_append)
        if count:
            del tr.strlens[b]
            pre.append(L.Local([count], [L.Call(tr.h("strlen"), [b.ref()])]))
        post.append(L.If([(L.Name(buf), [L.Assign([b.ref()], [L.Call(tr.h("buf_tostring"), [L.Name(buf)])])])]))
    tr.emit(L.Do(pre + [loop_stmt] + ([L.Label(j.brk)] if j.brk else []) + post))


Transformer.after_loop = after_loop


# ---- return / throw --------------------------------------------------------------------------------
@visitor("stat:return_statement")
def return_statement(tr, node):
    pos = tr.pos(node)
    args = named(node)
    if inline.in_inlined_body(tr):
        value = tr.expr(args[0]) if args else None
        if inline.inline_return(tr, value, pos):
            return
    if tr.func.kind == "module" and (tr.is_esm or tr.options.get("script") or tr.options.get("eval")):
        # a CommonJS module's code is a function body in node, where a return ends the module;
        # an ES module, a classic script (-e, -p, the REPL) and eval code have no function around them
        raise tr.error(node, "Illegal return statement")
    value = tr.expr(args[0]) if args else None
    tr.emit_return(value, pos)


def emit_return(tr, value, pos=None):
    if tr.func.is_ctor and value is None:
        if tr.func.is_derived_ctor and not getattr(tr.func, "super_seen", False):
            tr.emit(L.ExprStat(L.Call(tr.h("this_before_super"), [])))
        value = L.Name("this")
    if any(f is tr.func and lvl == tr.func.lua_level for f, lvl, _, _ in getattr(tr, "forof_states", ())):
        # leaving for…of loops by return closes their iterators (the value is computed first)
        if value is not None and not isinstance(value, (L.Lit, L.Num, L.Str)):
            value = tr.to_temp(value, "r")
        close_iterators(tr)
    if tr.func.lua_level > 0:
        frame = tr.tries[-1]
        frame.returns = True
        tr.emit(L.Return([L.Num(1)] + ([value] if value is not None else []), pos))
        return
    if value is None:
        tr.emit(L.Return([], pos))
    else:
        # no Lua tail calls: JS has none (endless tail recursion is a RangeError, not a hang), and
        # LuaJIT counts each tail call toward a trace's unroll limit, aborting hot call chains
        if isinstance(value, (L.Call, L.MethodCall)):
            value = L.Paren(value)
        tr.emit(L.Return([value], pos))


Transformer.emit_return = emit_return


@visitor("stat:throw_statement")
def throw_statement(tr, node):
    v = tr.expr(named(node)[0])
    tr.emit(L.ExprStat(L.Call(tr.h("throw"), [v]), tr.pos(node)))


# ---- with ----------------------------------------------------------------------------------------
@visitor("stat:with_statement")
def with_statement(tr, node):
    """Names in the body that no declaration inside it binds are looked up on the object first
    (Transformer.with_objects); the scope of kind "with" marks where."""
    if tr.func.strict:
        raise tr.error(node, "Strict mode code may not include a with statement")
    obj = tr.to_temp(L.Call(tr.h("with_object"), [tr.expr(node.child_by_field_name("object"))], tr.pos(node)), "w")
    tr.push_scope("with").obj = obj
    tr.with_depth += 1
    body = tr.body_of(node.child_by_field_name("body"))
    tr.with_depth -= 1
    tr.pop_scope()
    tr.emit(L.Do(body))


# ---- switch --------------------------------------------------------------------------------------
@visitor("stat:switch_statement")
def switch_statement(tr, node):
    pos = tr.pos(node)
    disc = tr.to_temp(tr.expr(node.child_by_field_name("value")), "sw")
    if not (isinstance(disc, L.Name) and disc.name.startswith("J0_")):
        t = tr.temp("sw")
        tr.emit(L.Local([t], [disc]))
        disc = L.Name(t)
    cases = [c for c in named(node.child_by_field_name("body")) if c.type in ("switch_case", "switch_default")]
    # the tests, in order (=== semantics)
    tests = [None if c.type == "switch_default" else tr.capture(tr.expr, c.child_by_field_name("value"))
             for c in cases]
    groups = direct_groups(cases, tests)
    tr.push_scope("block")
    j = Jump("switch", getattr(tr, "pending_labels", None) or [], tr.func.lua_level, tr.func)
    tr.pending_labels = None
    tr.jumps.append(j)
    all_stmts = []
    for c in cases:
        all_stmts.extend(c.children_by_field_name("body"))
    saved = tr.stmts
    tr.stmts = []
    tr.hoist_functions(all_stmts)
    hoisted = tr.stmts
    # a case can run without the case that declares a let before it: those bindings start in
    # their TDZ and reads are checked
    for b in tr.scope.vars.values():
        if b._predeclared and b._decl_stmt is not None and b.tdz:
            tr.start_in_tdz(b)
            b.switch_tdz = True
    tr.stmts = saved

    def case_body(c, skip_break=False):
        stmts_n = [s for s in c.children_by_field_name("body") if not s.is_extra]
        if skip_break and stmts_n and stmts_n[-1].type == "break_statement" \
                and stmts_n[-1].child_by_field_name("label") is None:
            stmts_n = stmts_n[:-1]

        def run():
            for s in stmts_n:
                if s.type == "lexical_declaration":
                    for v in named(s):
                        if v.type == "variable_declarator":
                            b = tr.scope.vars.get(tr.text(v.child_by_field_name("name"))) \
                                if v.child_by_field_name("name").type == "identifier" else None
                            if b is not None:
                                b._bound = False
                tr.stat(s)
        return tr.capture(run)[1]

    out = list(hoisted)
    if groups is not None:
        # no case falls into the next: one if-elseif chain, a break its end (a goto where it is
        # not the last statement of its case)
        j.lua_loop = False
        clauses, orelse = [], None
        for group in groups:
            body = case_body(cases[group[-1]], skip_break=True)
            if tests[group[0]] is None:
                orelse = body
            else:
                cond = None
                for i in group:
                    t = L.BinOp("==", disc, tests[i][0])
                    cond = t if cond is None else L.BinOp("or", cond, t)
                clauses.append((cond, body))
        if clauses:
            out.append(L.If(clauses, orelse or None, pos))
        elif orelse:
            out.append(L.Do(orelse))
    else:
        sel = tr.temp("case")
        default_index = next((i + 1 for i, c in enumerate(cases) if c.type == "switch_default"), None)
        saved.append(L.Local([sel], [L.Num(default_index or len(cases) + 1)]))
        # choose the case: tests run in order until one matches
        chain = [(pre, L.BinOp("==", disc, v), i + 1) for i, (v, pre) in
                 ((i, t) for i, t in enumerate(tests) if t is not None)]
        saved.extend(build_case_chain(chain, sel))
        body = []
        for i, c in enumerate(cases):
            cs = case_body(c)
            if cs:
                body.append(L.If([(L.BinOp("<=", L.Name(sel), L.Num(i + 1)), cs)]))
        out.append(L.Repeat(body, L.Lit("true"), pos))
    tr.jumps.pop()
    tr.pop_scope()
    if j.brk:
        out.append(L.Label(j.brk))
    tr.emit(L.Do(out))


def direct_groups(cases, tests):
    """The cases as groups of labels sharing a body, where no body falls through into the next
    and no test needs statements before it; else None. A default stands alone in its group."""
    if any(t is not None and t[1] for t in tests):
        return None
    groups, cur = [], []
    for i, c in enumerate(cases):
        cur.append(i)
        stmts = [s for s in c.children_by_field_name("body") if not s.is_extra]
        if not stmts and i < len(cases) - 1:
            continue
        if len(cur) > 1 and any(tests[k] is None for k in cur):
            return None
        if i < len(cases) - 1 and not ends_abruptly(stmts[-1]):
            return None
        groups.append(cur)
        cur = []
    return groups


def ends_abruptly(st):
    while st.type == "statement_block":
        inner = [s for s in named(st) if not s.is_extra]
        if not inner:
            return False
        st = inner[-1]
    return st.type in ("break_statement", "continue_statement", "return_statement", "throw_statement")


def build_case_chain(chain, sel):
    """One if-elseif chain that sets sel to the matching case's number, nested only where a case's
    value needs statements, which must run after the tests before it failed. (Nesting each test
    in the previous one's else went past LuaJIT's 200 levels at a few hundred cases.)"""
    out = cur = []
    last = None
    for pre, test, idx in chain:
        clause = (test, [L.Assign([L.Name(sel)], [L.Num(idx)])])
        if last is not None and not pre:
            last.clauses.append(clause)
            continue
        if last is not None:
            last.orelse = cur = []
        cur.extend(pre)
        last = L.If([clause])
        cur.append(last)
    return out


# ---- try ---------------------------------------------------------------------------------------
@visitor("stat:try_statement")
def try_statement(tr, node):
    pos = tr.pos(node)
    body_n = node.child_by_field_name("body")
    handler = node.child_by_field_name("handler")
    finalizer = node.child_by_field_name("finalizer")

    frame = TryFrame(tr.func.lua_level + 1, tr.func)

    def protected(fn):
        """Run fn to build a Lua function body under pcall (the try and catch bodies share one
        frame, so their return/break/continue codes agree)."""
        tr.tries.append(frame)
        tr.func.lua_level += 1
        # no try/finally: a CompileError from a nested function leaves tr.tries as that function
        # set it, and popping then would hide the error behind an IndexError
        _, body = tr.capture(fn)
        tr.func.lua_level -= 1
        tr.tries.pop()
        f = L.Func([], body)
        f.lift = True
        return f

    ok, fl, v = tr.temp("ok"), tr.temp("fl"), tr.temp("rv")
    f = protected(lambda: tr.stmts.extend(body_of(tr, body_n)))
    # (J0.try: a pcall that first closes the iterators of the for…of loops the exception left)
    tr.emit(L.Local([ok, fl, v], [L.Call(tr.h("try"), [f])], pos))
    if handler is not None:
        param = handler.child_by_field_name("parameter")
        cbody = handler.child_by_field_name("body")

        def catch_body():
            tr.push_scope("block")
            if param is not None:
                caught = L.Call(tr.h("caught"), [L.Name(fl)])
                if param.type == "identifier":
                    tr.bind_name(param, caught, "catch")
                else:
                    tmp = tr.to_temp(caught)
                    tr.destructure(param, tmp, "let", source=".catch")   # (V8's name for it)
            else:
                # `catch {}` still lets a generator's return() and process.exit() unwind through
                tr.emit(L.ExprStat(L.Call(tr.h("caught"), [L.Name(fl)])))
            tr.stmts.extend(tr.block_body(named(cbody)))
            tr.pop_scope()

        if finalizer is not None:
            cf = protected(catch_body)
            tr.emit(L.If([(L.UnOp("not", L.Name(ok)),
                           [L.Assign([L.Name(ok), L.Name(fl), L.Name(v)], [L.Call(tr.h("try"), [cf])])])]))
        else:
            _, cb = tr.capture(catch_body)
            dispatch = dispatch_codes(tr, frame, fl, v)
            tr.emit(L.If([(L.UnOp("not", L.Name(ok)), cb)] + ([(L.Name(fl), dispatch)] if dispatch else [])))
            return
    if finalizer is not None:
        fb = body_of(tr, finalizer.child_by_field_name("body") if finalizer.child_by_field_name("body") is not None
                     else named(finalizer)[0])
        # process.exit() ends the program here: no finally block runs on its way out
        tr.emit(L.If([(L.UnOp("not", L.Name(ok)), [L.ExprStat(L.Call(tr.h("exiting"), [L.Name(fl)]))])]))
        tr.stmts.extend(fb)
        tr.emit(L.If([(L.UnOp("not", L.Name(ok)), [L.ExprStat(L.Call(L.Name("error"), [L.Name(fl), L.Num(0)]))])]))
    dispatch = dispatch_codes(tr, frame, fl, v)
    if dispatch:
        tr.emit(L.If([(L.Name(fl), dispatch)]))


def dispatch_codes(tr, frame, fl, v):
    """After a protected body returned a code: carry out its return/break/continue here."""
    clauses = []
    if frame.returns:
        _, st = tr.capture(tr.emit_return, L.Name(v))
        clauses.append((L.BinOp("==", L.Name(fl), L.Num(1)), st))
    for i, (kind, j) in enumerate(frame.codes):
        _, st = tr.capture(tr.emit_jump, kind, j)
        clauses.append((L.BinOp("==", L.Name(fl), L.Num(i + 2)), st))
    return [L.If(clauses)] if clauses else []


# (last, as modules: these import this one)
from . import inline, strings  # noqa: E402
