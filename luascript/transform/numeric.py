"""Which `let`/`var` variables of a function always hold numbers, strings or booleans.

A variable qualifies when every value ever assigned to it (its initialiser, `=`, `+=`, `++`, in the
function or in closures inside it) is of the type, where the types of other variables are assumed
from the same analysis: start from every candidate and drop those with another assignment until
nothing changes. Code that reads such a variable uses Lua's own operators (numbers, strings) or
tests it without `truthy` (booleans).
"""
from bisect import bisect_left

from .expressions import BITWISE, BOOL_OPS, named, unparen
from .literals import is_bigint

NUMERIC_OPS = {"-", "*", "/", "%", "**"} | set(BITWISE)
ARITH_ASSIGN = {"-=", "*=", "/=", "%=", "**=", "|=", "&=", "^=", "<<=", ">>=", ">>>="}


def collect(tr, body):
    """name -> list of (kind, node) facts about the variable inside body: of the file's facts,
    which early.check_tree gathers in its walk of the tree (fact_index), those that start inside
    body. (Every function was a walk of its whole body, nested functions included.)"""
    starts, entries = tr._fact_index
    facts = {}
    for i in range(bisect_left(starts, body.start_byte), bisect_left(starts, body.end_byte)):
        _, name, fact = entries[i]
        facts.setdefault(name, []).append(fact)
    return facts


# the node types that hold facts (most nodes are none of them)
FACT_NODES = frozenset(("variable_declarator", "assignment_expression", "augmented_assignment_expression",
                         "update_expression", "for_in_statement", "formal_parameters", "catch_clause",
                         "class_declaration", "function_declaration", "generator_function_declaration"))


def fact_index(tr, facts):
    """Keep the file's facts (add_facts' entries) for collect, by start byte."""
    entries = sorted(facts, key=lambda e: e[0])
    tr._fact_index = ([e[0] for e in entries], entries)


def add_facts(tr, n, t, out):
    """Append node n's facts (n of type t, one of FACT_NODES) to out."""
    if t == "variable_declarator":
        name_n, value = n.child_by_field_name("name"), n.child_by_field_name("value")
        if name_n.type == "identifier":
            out.append((n.start_byte, tr.text(name_n), ("init", value)))
        else:
            for leaf in _pattern_leaves(tr, name_n):
                out.append((n.start_byte, leaf, ("opaque", None)))
    elif t == "assignment_expression":
        left = unparen(n.child_by_field_name("left"))
        if left.type == "identifier":
            out.append((n.start_byte, tr.text(left), ("set", n.child_by_field_name("right"))))
        elif left.type in ("object_pattern", "array_pattern"):
            for leaf in _pattern_leaves(tr, left):
                out.append((n.start_byte, leaf, ("opaque", None)))
    elif t == "augmented_assignment_expression":
        left = unparen(n.child_by_field_name("left"))
        if left.type == "identifier":
            op = tr.text(n.child_by_field_name("operator"))
            kind = "arith" if op in ARITH_ASSIGN else ("plus" if op == "+=" else "opaque")
            out.append((n.start_byte, tr.text(left), (kind, n.child_by_field_name("right"))))
    elif t == "update_expression":
        arg = unparen(n.child_by_field_name("argument"))
        if arg.type == "identifier":           # ++/-- always store numbers
            out.append((n.start_byte, tr.text(arg), ("update", None)))
    elif t == "for_in_statement":
        left = n.child_by_field_name("left")
        for leaf in _pattern_leaves(tr, left):
            out.append((n.start_byte, leaf, ("opaque", None)))
    # parameters, catch bindings and nested declarations of the same name: not ours to type
    elif t == "formal_parameters":
        for p in named(n):
            for leaf in _pattern_leaves(tr, p):
                out.append((n.start_byte, leaf, ("opaque", None)))
    elif t == "catch_clause":
        p = n.child_by_field_name("parameter")
        if p is not None:
            for leaf in _pattern_leaves(tr, p):
                out.append((n.start_byte, leaf, ("opaque", None)))
    else:
        nm = n.child_by_field_name("name")
        if nm is not None:
            out.append((n.start_byte, tr.text(nm), ("opaque", None)))


def _pattern_leaves(tr, p):
    out = []
    tr.pattern_names(p, out)
    if p is not None and p.type == "identifier":
        return [tr.text(p)]
    return [tr.text(x) for x in out]


def typed_vars(tr, body):
    """(numeric names, string names, boolean names) of body's variables, from one walk of it."""
    facts = collect(tr, body)
    return numeric_vars(tr, facts), string_vars(tr, facts), boolean_vars(tr, facts)


def numeric_vars(tr, facts):
    """Names whose every assignment (collect's facts) is a number."""
    def ok(kind, v, cands):
        if kind in ("init", "set", "plus"):
            return (v is None and kind == "init") or num_type(tr, v, cands)
        return kind != "opaque"              # arith, update: always numbers
    return fixpoint(facts, ok)


def fixpoint(facts, ok):
    """The names with an initialiser all of whose facts are ok(kind, value, candidates), where
    the candidates are assumed to have the type: drop names until none is dropped."""
    cands = {name for name, fs in facts.items() if any(k == "init" and v is not None for k, v in fs)}
    changed = True
    while changed:
        changed = False
        for name in list(cands):
            if not all(ok(k, v, cands) for k, v in facts[name]):
                cands.discard(name)
                changed = True
    return cands


def string_vars(tr, facts):
    """Names whose every assignment keeps them strings: a string initialiser, then `+=` of
    anything (string + x is a string) or `=` of a string."""
    def ok(kind, v, cands):
        return kind == "plus" or (kind in ("init", "set") and v is not None and str_type(tr, v))
    return fixpoint(facts, ok)


def boolean_vars(tr, facts):
    """Names whose every assignment is a boolean. A read before the first one gives undefined
    (nil), which every use of a boolean-typed name treats as JavaScript does: falsy in a test,
    "undefined" in a concatenation, equal only to itself."""
    def ok(kind, v, cands):
        return kind in ("init", "set") and (v is None or bool_type(tr, v, cands))
    return fixpoint(facts, ok)


def bool_type(tr, node, assumed):
    """Whether node certainly evaluates to a boolean, given the assumed boolean names."""
    node = unparen(node)
    t = node.type
    if t == "identifier":
        return named_type(tr, node, assumed, "boolean")
    if t == "ternary_expression":
        return bool_type(tr, node.child_by_field_name("consequence"), assumed) and \
            bool_type(tr, node.child_by_field_name("alternative"), assumed)
    if t == "assignment_expression":
        return bool_type(tr, node.child_by_field_name("right"), assumed)
    if t == "binary_expression" and tr.text(node.child_by_field_name("operator")) in ("&&", "||"):
        return bool_type(tr, node.child_by_field_name("left"), assumed) and \
            bool_type(tr, node.child_by_field_name("right"), assumed)
    return tr.ty(node) == "boolean"     # literals, !, comparisons, delete


def named_type(tr, node, assumed, ty):
    """Whether the identifier node holds a ty: an assumed name of this analysis, or a binding
    already typed."""
    name = tr.text(node)
    if name in assumed:
        return True
    b = tr.lookup(name)
    return b is not None and b.ty == ty


def str_type(tr, node):
    node = unparen(node)
    if node.type in ("string", "template_string"):
        return True
    if node.type == "binary_expression" and tr.text(node.child_by_field_name("operator")) == "+":
        return str_type(tr, node.child_by_field_name("left")) or str_type(tr, node.child_by_field_name("right"))
    return False


def num_type(tr, node, assumed):
    """Whether node certainly evaluates to a number, given the assumed numeric names."""
    node = unparen(node)
    t = node.type
    if t == "number":
        return not is_bigint(tr, node)
    if t == "identifier":
        return named_type(tr, node, assumed, "number")
    if t == "binary_expression":
        op = tr.text(node.child_by_field_name("operator"))
        if op in NUMERIC_OPS:
            return True
        if op == "+":
            return num_type(tr, node.child_by_field_name("left"), assumed) and \
                num_type(tr, node.child_by_field_name("right"), assumed)
        return False
    if t == "unary_expression":
        return tr.text(node.child_by_field_name("operator")) in ("-", "+", "~")
    if t == "update_expression":
        return True
    if t == "ternary_expression":
        return num_type(tr, node.child_by_field_name("consequence"), assumed) and \
            num_type(tr, node.child_by_field_name("alternative"), assumed)
    if t == "call_expression":
        return is_math_call(tr, node)
    if t == "augmented_assignment_expression":
        return tr.text(node.child_by_field_name("operator")) in ARITH_ASSIGN
    if t == "assignment_expression":
        return num_type(tr, node.child_by_field_name("right"), assumed)
    return False


MATH_NUMBER = frozenset("""abs acos acosh asin asinh atan atanh atan2 cbrt ceil clz32 cos cosh exp expm1 floor
fround hypot imul log log1p log10 log2 max min pow random round sign sin sinh sqrt tan tanh trunc""".split())


def is_math_call(tr, node):
    """Math.f(...) with the global Math: always a number."""
    f = unparen(node.child_by_field_name("function"))
    if f.type != "member_expression":
        return False
    obj = f.child_by_field_name("object")
    return obj.type == "identifier" and tr.text(obj) == "Math" and tr.lookup("Math") is None \
        and tr.text(f.child_by_field_name("property")) in MATH_NUMBER
