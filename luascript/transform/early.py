"""Early errors that every JS engine reports before running a program: redeclared names,
declarations in single-statement positions, invalid regular expression literals."""
from .expressions import named

DECL_FUNCS = ("function_declaration", "generator_function_declaration")
NESTED = ("function_declaration", "generator_function_declaration", "function_expression", "arrow_function",
          "generator_function", "function", "method_definition", "class_declaration", "class",
          "class_static_block")


def check_block(tr, nodes, function_top):
    """Names a block declares must not clash: lexical with lexical, lexical with var."""
    lexical = {}
    for n in nodes:
        d = n.child_by_field_name("declaration") if n.type == "export_statement" else n
        if d is None:
            continue
        found = []
        if d.type == "lexical_declaration":
            for v in named(d):
                if v.type == "variable_declarator":
                    tr.pattern_names(v.child_by_field_name("name"), found)
        elif d.type == "class_declaration":
            found.append(d.child_by_field_name("name"))
        elif d.type in DECL_FUNCS and not function_top:
            found.append(d.child_by_field_name("name"))
        for idn in found:
            name = tr.text(idn)
            if name in lexical:
                raise tr.error(idn, "Identifier '%s' has already been declared" % name)
            lexical[name] = idn
    if function_top:
        # at a function's top, function declarations are var-like but still clash with let/const
        for n in nodes:
            if n.type in DECL_FUNCS:
                idn = n.child_by_field_name("name")
                if tr.text(idn) in lexical:
                    raise tr.error(idn, "Identifier '%s' has already been declared" % tr.text(idn))
    if not lexical:
        return
    for idn in var_names(tr, nodes):
        if tr.text(idn) in lexical:
            raise tr.error(idn, "Identifier '%s' has already been declared" % tr.text(idn))


def var_names(tr, nodes):
    """Identifiers declared with var in these statements and blocks inside them."""
    out = []
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if n.type in NESTED:
            continue
        if n.type == "variable_declaration":
            for v in named(n):
                if v.type == "variable_declarator":
                    tr.pattern_names(v.child_by_field_name("name"), out)
            continue
        if n.type == "for_in_statement":
            k = n.child_by_field_name("kind")
            if k is not None and tr.text(k) == "var":
                tr.pattern_names(n.child_by_field_name("left"), out)
        stack.extend(n.named_children)
    return out


def check_statement_position(tr, node):
    """if/loop bodies that are a single statement cannot be declarations."""
    if node.type in DECL_FUNCS + ("class_declaration",) or \
            (node.type == "lexical_declaration"):
        raise tr.error(node, "Lexical declaration cannot appear in a single-statement context"
                       if node.type != "function_declaration" else
                       "In strict mode code, functions can only be declared at top level or inside a block.")


_REGEX_STATE = None


def check_regex(tr, node, pattern, flags):
    """Compile a regular expression literal with the runtime's own engine, once, at compile time."""
    global _REGEX_STATE
    if _REGEX_STATE is None:
        from lupa import luajit21
        from ..runtime import find_lua_root
        lua = luajit21.LuaRuntime(register_eval=False, register_builtins=False)
        lua.globals().package.path = find_lua_root() + "/?.lua;" + lua.globals().package.path
        _REGEX_STATE = lua.eval('''function(src, flags)
          local E = require("ljs.regexp_engine")
          local ok, err = pcall(E.compile, src, flags)
          if ok then return nil end
          return tostring(err)
        end''')
    err = _REGEX_STATE(pattern, flags)
    if err is not None:
        raise tr.error(node, err.decode("utf-8", "replace") if isinstance(err, bytes) else err)
