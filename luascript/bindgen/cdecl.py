"""Print kept declarations in the C dialect LuaJIT's ffi.cdef accepts: no storage classes or function
specifiers, no _Atomic, _Alignas as GCC's aligned attribute, and every constant expression in enum
values, array sizes and bit-field widths folded to a literal."""
import copy

from pycparser import c_ast, c_generator

from .consts import NotConstant
from .select import PREDEFINED, enum_bodies

_BASE = "__BINDGEN_BASE__"


def c_literal(v):
    """An integer as a C literal of the type LuaJIT gives enum constants (int, else unsigned int)."""
    if v == -(1 << 31):
        return "(-2147483647-1)"
    if v >= 1 << 31:
        return "0x%x" % v
    return str(v)


class Printer(c_generator.CGenerator):
    def __init__(self, evaluator):
        super().__init__()
        self.evaluator = evaluator

    def _generate_decl(self, n):
        s = self._generate_type(n.type)
        if n.align:
            s += " __attribute__((aligned(%s)))" % self._folded(n.align[0].alignment)
        return s

    def visit_Enumerator(self, n):
        if n.value is None:
            return "%s%s,\n" % (self._make_indent(), n.name)
        value = self.evaluator.enums.get(n.name)
        text = self.visit(n.value) if value is None else c_literal(value)
        return "%s%s = %s,\n" % (self._make_indent(), n.name, text)

    def _folded(self, expr):
        return self.visit(self._folded_node(expr))

    def unit(self, unit):
        """The text of one kept unit, ending in ';' (or a #pragma line)."""
        first = unit.nodes[0]
        if isinstance(first, c_ast.Pragma):
            return "#pragma " + first.string.strip()
        if isinstance(first, c_ast.Typedef) and first.name in PREDEFINED:
            return None
        parts = [self.visit(_cleaned(first, self._folded_node))]
        for node in unit.nodes[1:]:
            text = self.visit(_cleaned(node, self._folded_node, strip_base=True))
            parts.append(text[text.index(_BASE) + len(_BASE):].strip())
        return ", ".join(parts) + ";"

    def _folded_node(self, expr):
        try:
            return c_ast.Constant("int", str(self.evaluator.value(expr)))
        except NotConstant:
            return expr


def _cleaned(node, fold, strip_base=False):
    """A copy of a declaration ready to print: C11 and storage words LuaJIT rejects removed, constant
    expressions folded; with strip_base its struct/union/enum body replaced by a marker so that the
    declarator can be cut out (the second and later names of `typedef struct {...} A, *PA;`)."""
    node = copy.deepcopy(node)
    if strip_base:
        holder = node
        while not isinstance(getattr(holder, "type", None), (c_ast.Struct, c_ast.Union, c_ast.Enum)):
            holder = holder.type
        holder.type = c_ast.IdentifierType([_BASE])
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.Decl):
            n.funcspec = []
            n.storage = [s for s in n.storage if s not in ("extern", "register", "auto")]
            if n.bitsize is not None:
                n.bitsize = fold(n.bitsize)
        if isinstance(n, c_ast.Typedef):
            n.storage = ["typedef"]
        if isinstance(n, (c_ast.TypeDecl, c_ast.PtrDecl)):
            n.quals = [q for q in n.quals if q != "_Atomic"]
        if isinstance(n, c_ast.ArrayDecl) and n.dim is not None:
            n.dim = fold(n.dim)
            n.dim_quals = []
        stack.extend(c for _, c in n.children())
    return node


def enum_values(ast, evaluator):
    """Fill evaluator.enums with every enumerator's value, in header order (later enumerators may
    use earlier ones). Enumerators whose value is not a constant we can fold are left out."""
    for enum in enum_bodies(ast.ext):
        nxt = 0
        for e in enum.values.enumerators:
            if e.value is not None:
                try:
                    nxt = evaluator.value(e.value)
                except NotConstant:
                    nxt = None
            if nxt is None:
                continue
            evaluator.enums.setdefault(e.name, nxt)
            nxt += 1
    return evaluator.enums
