"""Integer constant expressions (enum values, array sizes, #define constants) evaluated with C's
integer rules on an LP64 target: each value carries its width and signedness."""
import re

from pycparser import c_ast, c_parser

INT = (32, True)
_LITERAL = re.compile(r"^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*)$")
_IDENT = re.compile(r"[A-Za-z_]\w*")


class NotConstant(Exception):
    pass


def wrap(value, kind):
    bits, signed = kind
    value &= (1 << bits) - 1
    if signed and value >> (bits - 1):
        value -= 1 << bits
    return value


def _literal(text):
    if text.startswith("'"):
        body = text[1:-1]
        if body.startswith("\\"):
            esc = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11}
            if body[1:2] in esc and len(body) == 2:
                return esc[body[1]], INT
            if body[1:2] == "x":
                return int(body[2:], 16), INT
            return int(body[1:], 8), INT
        return ord(body), INT
    m = _LITERAL.match(text)
    if not m:
        raise NotConstant(text)
    digits, suffix = m.group(1), m.group(2).lower()
    if digits[:2].lower() == "0x":
        value, decimal = int(digits, 16), False
    elif digits[:2].lower() == "0b":
        value, decimal = int(digits[2:], 2), False
    elif digits.startswith("0") and len(digits) > 1:
        value, decimal = int(digits, 8), False
    else:
        value, decimal = int(digits), True
    unsigned = "u" in suffix
    bits = 64 if "l" in suffix else 32
    # the first type of the C list that holds the value
    for b, s in ((32, True), (32, False), (64, True), (64, False)):
        if b < bits or (s and unsigned) or (not s and decimal and not unsigned):
            continue
        if value < (1 << (b - 1 if s else b)):
            return value, (b, s)
    return value, (64, False)


def promote(k):
    return INT if k[0] < 32 else k


def _common(a, b):
    a, b = promote(a), promote(b)
    if a[0] != b[0]:
        return a if a[0] > b[0] else b
    return (a[0], a[1] and b[1])


class Evaluator:
    """typedefs: name -> pycparser type node (to resolve casts); enums: name -> value."""

    def __init__(self, typedefs, enums):
        self.typedefs = typedefs
        self.enums = enums

    def value(self, node):
        return self.eval(node)[0]

    def eval(self, n):
        if isinstance(n, c_ast.Constant):
            if n.type == "string" or "." in n.value or (n.value[:2].lower() != "0x" and "e" in n.value.lower()):
                raise NotConstant(n.value)
            return _literal(n.value)
        if isinstance(n, c_ast.ID):
            if n.name in self.enums:
                return self.enums[n.name], INT
            raise NotConstant(n.name)
        if isinstance(n, c_ast.UnaryOp):
            if n.op == "sizeof" or n.op == "&" or n.op == "*":
                raise NotConstant(n.op)
            v, k = self.eval(n.expr)
            k = promote(k)
            if n.op == "-":
                return wrap(-v, k), k
            if n.op == "+":
                return v, k
            if n.op == "~":
                return wrap(~v, k), k
            if n.op == "!":
                return int(not v), INT
            raise NotConstant(n.op)
        if isinstance(n, c_ast.BinaryOp):
            return self._binary(n)
        if isinstance(n, c_ast.TernaryOp):
            return self.eval(n.iftrue) if self.eval(n.cond)[0] else self.eval(n.iffalse)
        if isinstance(n, c_ast.Cast):
            v, _ = self.eval(n.expr)
            k = self.int_kind(n.to_type.type)
            return wrap(v, k), k
        raise NotConstant(type(n).__name__)

    def _binary(self, n):
        op = n.op
        if op == "&&":
            return int(bool(self.eval(n.left)[0] and self.eval(n.right)[0])), INT
        if op == "||":
            return int(bool(self.eval(n.left)[0] or self.eval(n.right)[0])), INT
        a, ka = self.eval(n.left)
        b, kb = self.eval(n.right)
        if op in ("<<", ">>"):
            k = promote(ka)
            return wrap(a << b if op == "<<" else a >> b, k), k
        k = _common(ka, kb)
        a, b = wrap(a, k), wrap(b, k)
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return int({"==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]), INT
        if op in ("/", "%"):
            if b == 0:
                raise NotConstant("division by zero")
            q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
            return wrap(q if op == "/" else a - q * b, k), k
        ops = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
               "&": lambda: a & b, "|": lambda: a | b, "^": lambda: a ^ b}
        if op not in ops:
            raise NotConstant(op)
        return wrap(ops[op](), k), k

    def int_kind(self, t):
        """(bits, signed) of an integer type node; NotConstant for pointers and the like."""
        seen = set()
        while isinstance(t, c_ast.TypeDecl):
            t = t.type
            if isinstance(t, c_ast.IdentifierType) and len(t.names) == 1 and t.names[0] in self.typedefs \
                    and t.names[0] not in seen:
                seen.add(t.names[0])
                t = self.typedefs[t.names[0]]
        if isinstance(t, c_ast.Enum):
            return INT
        if not isinstance(t, c_ast.IdentifierType):
            raise NotConstant("cast")
        names = t.names
        bits = 32
        if "short" in names:
            bits = 16
        elif "char" in names or "_Bool" in names:
            bits = 8
        elif "long" in names:
            bits = 64
        elif not ({"int", "signed", "unsigned"} & set(names)):
            # a typedef name we do not know, or a floating type
            fixed = re.match(r"u?int(8|16|32|64)_t$", names[0])
            if fixed:
                return int(fixed.group(1)), not names[0].startswith("u")
            raise NotConstant(" ".join(names))
        return bits, "unsigned" not in names and "_Bool" not in names


def macro_value(text, evaluator, typedef_names):
    """The integer a macro's expansion denotes, or None when it is not an integer constant."""
    m = _LITERAL.match(text)
    if m:
        return _literal(text)[0]
    if text.startswith('"') or "{" in text or ";" in text:
        return None
    types = sorted(set(_IDENT.findall(text)) & typedef_names)
    src = "".join("typedef int %s;\n" % t for t in types) + "int __bindgen_value = (%s);\n" % text
    try:
        ast = c_parser.CParser().parse(src)
        return evaluator.value(ast.ext[-1].init)
    except (NotConstant, c_parser.ParseError, RecursionError):
        return None
    except Exception:  # pycparser raises assorted errors on odd token runs
        return None
