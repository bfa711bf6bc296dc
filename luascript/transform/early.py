"""Early errors that every JS engine reports before running a program: redeclared names,
declarations in single-statement positions, invalid regular expression literals."""
from .expressions import named
from .literals import beyond_unicode
from .numeric import FACT_NODES, add_facts, fact_index

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
    if not tr.may_mention(nodes, ("var",)):
        return out
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


def labelled_function(node):
    """The function declaration a sloppy statement list may hold behind labels (Annex B.3.2:
    `l: function f() {}` declares f as a plain declaration would), or None."""
    if node.type != "labeled_statement":
        return None
    while node.type == "labeled_statement":
        node = node.child_by_field_name("body")
    if node.type == "function_declaration" and not any(c.type == "async" for c in node.children):
        return node
    return None


def unlabelled(nodes):
    """A statement list with labelled function declarations as the declarations themselves."""
    return [labelled_function(n) or n for n in nodes]


def check_statement_position(tr, node):
    """if/loop bodies that are a single statement cannot be declarations."""
    if labelled_function(node) is not None:
        raise tr.error(labelled_function(node), "In strict mode code, functions can only be declared at top level or "
                       "inside a block." if tr.func.strict else "In non-strict mode code, functions can only be "
                       "declared at top level, inside a block, or as the body of an if statement.")
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
        # encoding=None: the engine's message may quote bytes of the pattern that are not UTF-8
        lua = luajit21.LuaRuntime(register_eval=False, register_builtins=False, encoding=None)
        lua.globals().package.path = (find_lua_root() + "/?.lua;").encode() + lua.globals().package.path
        _REGEX_STATE = lua.eval('''function(src, flags)
          local E = require("ljs.regexp_engine")
          local ok, err = pcall(E.compile, src, flags)
          if ok then return nil end
          return tostring(err)
        end''')
    # the bytes the generated code will hold (L.Str's encoding): lupa refuses to encode a str with
    # surrogates, which a file that is not UTF-8 has after the CLI's reading
    err = _REGEX_STATE(pattern.encode("utf-8", "surrogatepass"), flags.encode("utf-8", "surrogatepass"))
    if err is not None:
        raise tr.error(node, err.decode("utf-8", "replace") if isinstance(err, bytes) else err)


# ---- a pass over the whole tree for early errors that need no scope information ------------------
import re

_BAD_SEPARATOR = re.compile(r"__|_$|^0_|[._][_]|_[.eE]|[eE][+-]?_|^0[xXoObB]_|\._")
_BAD_HEX_SEPARATOR = re.compile(r"__|_$|^0[xX]_")     # e and E are hex digits, no exponent
_LEGACY_OCTAL_LIKE = re.compile(r"^0[0-9]")
_OCTAL_ESCAPE = re.compile(r"\\(?:[1-7][0-7]*|0[0-9][0-7]*|[89])")
_LINE_TERMINATORS = ("\n", "\r", "\u2028", "\u2029")

KEYWORDS = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends false finally "
    "for function if import in instanceof new null return super switch this throw true try typeof var void "
    "while with".split())
STRICT_RESERVED = frozenset("implements interface let package private protected public static yield".split())
# identifier nodes that are references or bindings (property names may be any IdentifierName)
BINDING_IDENTS = ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern")
ASSIGNMENTS = ("assignment_expression", "augmented_assignment_expression")

FUNCTIONS = ("function_declaration", "generator_function_declaration", "function_expression", "function",
             "generator_function", "arrow_function", "method_definition")


def has_use_strict(tr, body_nodes):
    """A "use strict" directive at the start of these statements."""
    for n in body_nodes:
        if n.is_extra:
            continue
        kids = named(n) if n.type == "expression_statement" else None
        if kids and kids[0].type == "string":
            if tr.text(kids[0])[1:-1] == "use strict":
                return True
            continue
        return False
    return False


# a parameter that is a plain name: tree-sitter gives `undefined` a node type of its own
SIMPLE_PARAMS = ("identifier", "undefined")
DECLARATIONS = ("function_declaration", "generator_function_declaration")
YIELD, AWAIT = 1, 2     # check_tree's context: in a generator's, an async function's code
RESERVABLE = frozenset(("identifier", "statement_identifier", "shorthand_property_identifier",
                        "shorthand_property_identifier_pattern"))

# the node types check_tree looks at; most nodes are none of them and only pass their strictness on
CHECKED = frozenset(("number", "string", "class_declaration", "class", "array_pattern", "object_pattern",
                     "variable_declarator", "update_expression", "for_in_statement", "for_statement", "class_body",
                     "yield_expression", "await_expression",
                     "lexical_declaration", "regex", "unary_expression", "field_definition",
                     "class_static_block") + FUNCTIONS + ASSIGNMENTS)


def check_tree(tr, root):
    strict_file = has_use_strict(tr, named(root))
    escapes = "\\" in tr.src.text     # an identifier can only spell a keyword with an escape
    # yield and await name no variable or label in generators and async functions (yield none
    # in strict code): identifiers are looked at only where the text could spell one
    data = tr.src.data
    words = escapes or b"yield" in data or b"await" in data
    checked = CHECKED | RESERVABLE if words else CHECKED
    if b"**" in data:
        checked = checked | {"binary_expression"}
    if b"?." in data:
        checked = checked | {"new_expression"}
    # (the walk also gathers numeric.py's facts about variables: one walk of the tree for both)
    facts = [] if tr.optimize else None
    stack = [(root, strict_file, 0)]
    while stack:
        n, strict, ctx = stack.pop()
        t = n.type
        if facts is not None and t in FACT_NODES:
            add_facts(tr, n, t, facts)
        if t not in checked:
            pass
        elif t in RESERVABLE:
            raw = data[n.start_byte:n.end_byte]
            escaped = escapes and b"\\" in raw
            if escaped or (ctx or strict) and raw in (b"yield", b"await"):
                word = tr.text(n)
                if word == "await" and ctx & AWAIT and not _await_operator(n) or \
                        word == "yield" and (ctx & YIELD or strict):
                    raise tr.error(n, _reserved_message(n, word, strict, data))
                if escaped and t in BINDING_IDENTS and (word in KEYWORDS or strict and word in STRICT_RESERVED):
                    raise tr.error(n, "Keyword must not contain escaped characters")
        elif t == "number":
            text = tr.text(n)
            if "_" in text and (_BAD_HEX_SEPARATOR if text[1:2] in ("x", "X") else _BAD_SEPARATOR).search(text):
                raise tr.error(n, "Numeric separators are not allowed here")
            if _LEGACY_OCTAL_LIKE.match(text) and (strict or "_" in text):
                raise tr.error(n, "Numeric separators are not allowed here" if "_" in text else
                               "Octal literals are not allowed in strict mode.")
        elif t == "string":
            # (a string's parts, fragments and escapes, are checked here: none is walked)
            if data.find(b"\\", n.start_byte, n.end_byte) >= 0:
                for c in n.named_children:
                    if c.type == "escape_sequence":
                        esc = tr.text(c)
                        if strict and _OCTAL_ESCAPE.fullmatch(esc):
                            raise tr.error(c, "Octal escape sequences are not allowed in strict mode.")
                        if beyond_unicode(esc):
                            raise tr.error(c, "Undefined Unicode code-point")
            continue
        elif t in FUNCTIONS:
            outer = ctx
            strict = check_function(tr, n, strict)
            tokens = [c.type for c in n.children if not c.is_named]
            ctx = (AWAIT if "async" in tokens else 0) | (
                YIELD if "*" in tokens or t in ("generator_function_declaration", "generator_function") else 0)
            if t in DECLARATIONS and words:
                # a declaration's name is bound in the code around it, and takes its context
                nm = n.child_by_field_name("name")
                stack.append((nm, strict, outer))
                stack.extend((c, strict, ctx) for c in n.named_children if c != nm)
                continue
        elif t in ("class_declaration", "class"):
            strict = True   # all parts of a class are strict code
        elif t == "class_body":
            check_class_body(tr, n)
        elif t in ("array_pattern", "object_pattern"):
            kids = [c for c in named(n) if not c.is_extra]
            for c in kids[:-1]:
                if c.type == "rest_pattern":
                    raise tr.error(c, "Rest element must be last element")
            if n.type == "array_pattern":
                # a trailing comma after a rest element is not allowed either
                toks = [c for c in n.children if not c.is_extra]
                for i, c in enumerate(toks):
                    if c.type == "rest_pattern" and i + 1 < len(toks) and toks[i + 1].type == ",":
                        raise tr.error(c, "Rest element must be last element")
        elif t == "variable_declarator" and strict:
            name = n.child_by_field_name("name")
            if name is not None and name.type == "identifier" and tr.text(name) in ("eval", "arguments"):
                raise tr.error(name, "Unexpected eval or arguments in strict mode")
        elif t in ASSIGNMENTS or t == "update_expression" or t in ("for_in_statement",):
            if strict:
                check_strict_target(tr, n.child_by_field_name("argument" if t == "update_expression" else "left"))
            if t == "for_in_statement":
                check_for_head(tr, n, n.child_by_field_name("kind"), n.child_by_field_name("left"))
        elif t == "for_statement":
            init = n.child_by_field_name("initializer")
            if init is not None and init.type == "lexical_declaration":
                names = []
                for v in named(init):
                    if v.type == "variable_declarator":
                        tr.pattern_names(v.child_by_field_name("name"), names)
                check_lexical_names(tr, names, [n.child_by_field_name("body")])
        elif t == "lexical_declaration":
            names = []
            for v in named(n):
                if v.type == "variable_declarator":
                    tr.pattern_names(v.child_by_field_name("name"), names)
            check_lexical_names(tr, names, [])
        elif t == "regex":
            pattern = n.child_by_field_name("pattern")
            if pattern is not None and any(c in tr.src.node_text(pattern) for c in _LINE_TERMINATORS):
                raise tr.error(n, "Invalid regular expression: missing /")
        elif t == "unary_expression" and tr.text(n.child_by_field_name("operator")) == "delete":
            arg = n.child_by_field_name("argument")
            while arg is not None and arg.type == "parenthesized_expression" and named(arg):
                arg = named(arg)[0]
            if arg is not None and arg.type == "member_expression" and \
                    arg.child_by_field_name("property").type == "private_property_identifier":
                raise tr.error(n, "Private fields can not be deleted")
        elif t in ("yield_expression", "await_expression"):
            # (outside generators and async functions, sloppy code reads these as names)
            if (ctx & (YIELD if t == "yield_expression" else AWAIT) or strict) and _in_params(n):
                raise tr.error(n, "Yield expression not allowed in formal parameter" if t == "yield_expression"
                               else "Illegal await-expression in formal parameters of async function")
        elif t == "binary_expression":
            left = n.child_by_field_name("left")
            if left is not None and left.type in ("unary_expression", "await_expression") \
                    and tr.text(n.child_by_field_name("operator")) == "**":
                raise tr.error(left, "Unary operator used immediately before exponentiation expression. "
                                     "Parenthesis must be used to disambiguate operator precedence")
        elif t == "new_expression":
            # `new a?.b()`: an optional chain cannot be what new constructs (unless parenthesised)
            c = n.child_by_field_name("constructor")
            while c is not None and c.type in ("member_expression", "subscript_expression", "call_expression"):
                if c.child_by_field_name("optional_chain") is not None:
                    raise tr.error(n, "Invalid optional chain from new expression")
                c = c.child_by_field_name("function" if c.type == "call_expression" else "object")
        elif t in ("field_definition", "class_static_block"):
            check_no_arguments(tr, n.child_by_field_name("value" if t == "field_definition" else "body"))
            ctx = AWAIT if t == "class_static_block" else 0
        kids = n.named_children     # every node checked is a named one
        if kids:
            stack.extend([(c, strict, ctx) for c in kids])
    if facts is not None:
        fact_index(tr, facts)


def check_module_comments(tr, root):
    """Annex B's HTML-like comments (`<!--`, `-->` starting a line) are script syntax only."""
    data = tr.src.data
    if not tr.is_esm or (b"<!--" not in data and b"-->" not in data):
        return
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == "html_comment":
            raise tr.error(n, "HTML comments are not allowed in modules")
        stack.extend(n.children)


def _reserved_message(n, word, strict, data):
    if b"\\" in data[n.start_byte:n.end_byte]:
        return "Keyword must not contain escaped characters"
    if word == "await":
        return "Unexpected reserved word"
    if strict:
        return "Unexpected strict mode reserved word"
    return "Yield expression not allowed in formal parameter" if _in_params(n) else "Unexpected identifier 'yield'"


def _await_operator(n):
    """`await [a, b]` and `await (x)`: tree-sitter reads the operator as a name subscripted or
    called (the transform compiles it as the operator, see expressions.await_chain_base)."""
    p = n.parent
    return p is not None and (p.type == "subscript_expression" and p.child_by_field_name("object") == n or
                              p.type == "call_expression" and p.child_by_field_name("function") == n)


def _in_params(n):
    while n is not None and n.type not in FUNCTIONS:
        if n.type == "formal_parameters":
            return True
        n = n.parent
    return False


def _element_name(tr, m):
    """(name, private) of a class element with a literal name; (None, False) for a computed one."""
    k = m.child_by_field_name("name" if m.type == "method_definition" else "property")
    if k is None or k.type == "computed_property_name":
        return None, False
    if k.type == "string":
        return tr.text(k)[1:-1], False
    return tr.text(k), k.type == "private_property_identifier"


def check_class_body(tr, body):
    """The early errors of class elements: one plain constructor, no static `prototype`, no
    `#constructor`, and private names declared once (a getter and a setter of one staticness
    may share one)."""
    ctor = False
    private = {}    # name -> (static, kind)
    for m in body.named_children:
        if m.type not in ("method_definition", "field_definition"):
            continue
        kinds = {c.type for c in m.children if not c.is_named}
        static = "static" in kinds
        name, is_private = _element_name(tr, m)
        if name is None:
            continue
        kind = "get" if "get" in kinds else "set" if "set" in kinds else \
            "field" if m.type == "field_definition" else "method"
        if is_private:
            if name == "#constructor":
                raise tr.error(m, "Class constructor may not be a private method" if kind != "field" else
                               "Classes may not have a private field named '#constructor'")
            seen = private.get(name)
            if seen is not None and not (seen[0] == static and {seen[1], kind} == {"get", "set"}):
                raise tr.error(m, "Identifier '%s' has already been declared" % name)
            private[name] = (static, kind)
        elif static and name == "prototype":
            raise tr.error(m, "Classes may not have a static property named 'prototype'")
        elif name == "constructor" and (kind == "field"):
            raise tr.error(m, "Classes may not have a field named 'constructor'")
        elif name == "constructor" and not static:
            if kind != "method":
                raise tr.error(m, "Class constructor may not be an accessor")
            if "*" in kinds:
                raise tr.error(m, "Class constructor may not be a generator")
            if "async" in kinds:
                raise tr.error(m, "Class constructor may not be an async method")
            if ctor:
                raise tr.error(m, "A class may only have one constructor")
            ctor = True


def check_strict_target(tr, target):
    """eval and arguments cannot be assigned in strict code, in destructuring patterns neither."""
    if target is None:
        return
    names = [target] if target.type == "identifier" else []
    tr.pattern_names(target, names)
    for idn in names:
        if tr.text(idn) in ("eval", "arguments"):
            raise tr.error(idn, "Unexpected eval or arguments in strict mode")


def check_lexical_names(tr, names, bodies):
    """let/const names: never `let`; never redeclared by a var of the body they scope (a for head)."""
    for idn in names:
        if tr.text(idn) == "let":
            raise tr.error(idn, "let is disallowed as a lexically bound name")
    if bodies:
        lexical = {tr.text(idn) for idn in names}
        for idn in var_names(tr, [b for b in bodies if b is not None]):
            if tr.text(idn) in lexical:
                raise tr.error(idn, "Identifier '%s' has already been declared" % tr.text(idn))


def check_for_head(tr, n, kind, left):
    if kind is not None and tr.text(kind) in ("let", "const") and left is not None:
        names = []
        tr.pattern_names(left, names)
        check_lexical_names(tr, names, [n.child_by_field_name("body")])


def check_no_arguments(tr, node):
    """Class field initializers and static blocks cannot name `arguments` (arrows see through)."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if n.type in FUNCTIONS and n.type != "arrow_function":
            continue
        if n.type == "identifier" and tr.text(n) == "arguments":
            raise tr.error(n, "'arguments' is not allowed in class field initializer or static initialization block")
        stack.extend(n.named_children)


def check_function(tr, fn, strict):
    """Parameter rules: duplicates, "use strict" with non-simple parameters, getter/setter arity."""
    params_n = fn.child_by_field_name("parameters")
    params = named(params_n) if params_n is not None else []
    if fn.type == "arrow_function" and fn.child_by_field_name("parameter") is not None:
        params = [fn.child_by_field_name("parameter")]
    body = fn.child_by_field_name("body")
    own_strict = body is not None and body.type == "statement_block" and has_use_strict(tr, named(body))
    simple = all(p.type in SIMPLE_PARAMS for p in params)
    for p in params[:-1]:
        if p.type == "rest_pattern":
            raise tr.error(p, "Rest parameter must be last formal parameter")
    if own_strict and not simple:
        raise tr.error(fn, "Illegal 'use strict' directive in function with non-simple parameter list")
    strict = strict or own_strict     # (an object literal's method is no strict code; a class's is)
    kinds = [c.type for c in fn.children]
    if fn.type == "method_definition" and "get" in kinds and params:
        raise tr.error(params[0], "Getter must not have any formal parameters.")
    if fn.type == "method_definition" and "set" in kinds and (len(params) != 1 or params[0].type == "rest_pattern"):
        raise tr.error(fn, "Setter must have exactly one formal parameter.")
    if strict or not simple or fn.type in ("arrow_function", "method_definition"):
        seen = set()
        names = []
        for p in params:
            found = []
            tr.pattern_names(p, found)
            if p.type in SIMPLE_PARAMS:
                found = [p]
            names.extend(found)
        for idn in names:
            nm = tr.text(idn)
            if nm in seen:
                raise tr.error(idn, "Duplicate parameter name not allowed in this context")
            seen.add(nm)
            if strict and nm in ("eval", "arguments"):
                raise tr.error(idn, "Unexpected eval or arguments in strict mode")
    return strict
