"""Lua AST: the nodes the transforms build and the printer writes.

Every node may carry `pos`, the (line, column) of the JavaScript it came from (0-based), which
the printer turns into source-map entries.
"""


class Node:
    __slots__ = ("pos",)


# ---- expressions -----------------------------------------------------------------------------
class Expr(Node):
    __slots__ = ()


class Name(Expr):
    __slots__ = ("name",)

    def __init__(self, name, pos=None):
        self.name, self.pos = name, pos


class Lit(Expr):
    """nil, true, false, ... (printed verbatim)."""
    __slots__ = ("text",)

    def __init__(self, text, pos=None):
        self.text, self.pos = text, pos


NIL = Lit("nil")
TRUE = Lit("true")
FALSE = Lit("false")


class Num(Expr):
    __slots__ = ("value",)

    def __init__(self, value, pos=None):
        self.value, self.pos = value, pos


class Str(Expr):
    """A Lua string literal; `value` is bytes (UTF-8 of the JS string)."""
    __slots__ = ("value",)

    def __init__(self, value, pos=None):
        if isinstance(value, str):
            value = value.encode("utf-8", "surrogatepass")
        self.value, self.pos = value, pos


class Vararg(Expr):
    __slots__ = ()

    def __init__(self, pos=None):
        self.pos = pos


class Index(Expr):
    __slots__ = ("obj", "key")

    def __init__(self, obj, key, pos=None):
        self.obj, self.key, self.pos = obj, key, pos


class Call(Expr):
    __slots__ = ("fn", "args")

    def __init__(self, fn, args, pos=None):
        self.fn, self.args, self.pos = fn, list(args), pos


class MethodCall(Expr):
    __slots__ = ("obj", "name", "args")

    def __init__(self, obj, name, args, pos=None):
        self.obj, self.name, self.args, self.pos = obj, name, list(args), pos


class BinOp(Expr):
    __slots__ = ("op", "left", "right")

    def __init__(self, op, left, right, pos=None):
        self.op, self.left, self.right, self.pos = op, left, right, pos


class UnOp(Expr):
    __slots__ = ("op", "operand")

    def __init__(self, op, operand, pos=None):
        self.op, self.operand, self.pos = op, operand, pos


class Paren(Expr):
    """Parentheses that truncate a multi-value expression to one value."""
    __slots__ = ("expr",)

    def __init__(self, expr, pos=None):
        self.expr, self.pos = expr, pos


class Func(Expr):
    """strict: True or False for the function of a JavaScript function or of class code (the
    printer lists the lines where strict ones begin); None for the compiler's own functions,
    which are as strict as the code around them. info: (name, length, no prototype, kind) of a
    JavaScript function, which the printer lists by the line it begins on. lift: a try's
    protected body, which may be made once higher up (lua/lift.py). coroutine: the body of a
    generator or an async function."""
    __slots__ = ("params", "body", "vararg", "name", "strict", "info", "lift", "coroutine")

    def __init__(self, params, body, vararg=False, name=None, pos=None, strict=None):
        self.params, self.body, self.vararg, self.name, self.pos = list(params), body, vararg, name, pos
        self.strict = strict
        self.info = None
        self.lift = self.coroutine = False


class Table(Expr):
    """items: list of (key_expr_or_None, value_expr); None keys are positional."""
    __slots__ = ("items",)

    def __init__(self, items, pos=None):
        self.items, self.pos = list(items), pos


# ---- statements ------------------------------------------------------------------------------
class Stat(Node):
    __slots__ = ()


class Local(Stat):
    __slots__ = ("names", "exprs", "attrib")

    def __init__(self, names, exprs=(), pos=None):
        self.names, self.exprs, self.pos = list(names), list(exprs), pos


class Assign(Stat):
    __slots__ = ("targets", "exprs")

    def __init__(self, targets, exprs, pos=None):
        self.targets, self.exprs, self.pos = list(targets), list(exprs), pos


class ExprStat(Stat):
    """A call used as a statement."""
    __slots__ = ("expr",)

    def __init__(self, expr, pos=None):
        self.expr, self.pos = expr, pos


class Do(Stat):
    __slots__ = ("body",)

    def __init__(self, body, pos=None):
        self.body, self.pos = list(body), pos


class While(Stat):
    __slots__ = ("cond", "body")

    def __init__(self, cond, body, pos=None):
        self.cond, self.body, self.pos = cond, list(body), pos


class Repeat(Stat):
    __slots__ = ("body", "cond")

    def __init__(self, body, cond, pos=None):
        self.body, self.cond, self.pos = list(body), cond, pos


class If(Stat):
    """clauses: list of (cond, body); orelse: body or None."""
    __slots__ = ("clauses", "orelse")

    def __init__(self, clauses, orelse=None, pos=None):
        self.clauses, self.orelse, self.pos = list(clauses), orelse, pos


class NumFor(Stat):
    __slots__ = ("var", "start", "stop", "step", "body")

    def __init__(self, var, start, stop, step, body, pos=None):
        self.var, self.start, self.stop, self.step, self.body, self.pos = var, start, stop, step, list(body), pos


class ForIn(Stat):
    __slots__ = ("names", "exprs", "body")

    def __init__(self, names, exprs, body, pos=None):
        self.names, self.exprs, self.body, self.pos = list(names), list(exprs), list(body), pos


class LocalFunction(Stat):
    __slots__ = ("name", "func")

    def __init__(self, name, func, pos=None):
        self.name, self.func, self.pos = name, func, pos


class Return(Stat):
    __slots__ = ("exprs",)

    def __init__(self, exprs=(), pos=None):
        self.exprs, self.pos = list(exprs), pos


class Break(Stat):
    __slots__ = ()

    def __init__(self, pos=None):
        self.pos = pos


class Goto(Stat):
    __slots__ = ("label",)

    def __init__(self, label, pos=None):
        self.label, self.pos = label, pos


class Label(Stat):
    __slots__ = ("name",)

    def __init__(self, name, pos=None):
        self.name, self.pos = name, pos


class Comment(Stat):
    __slots__ = ("text",)

    def __init__(self, text, pos=None):
        self.text, self.pos = text, pos


class Chunk(Node):
    __slots__ = ("body",)

    def __init__(self, body, pos=None):
        self.body, self.pos = list(body), pos
