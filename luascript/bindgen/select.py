"""Which declarations a binding keeps: the ones the prefixes select plus, transitively, every typedef,
struct, union and enum they mention. Kept declarations stay in header order, which is already an
order in which each name is declared before it is used."""
from pycparser import c_ast

# Types LuaJIT's FFI predefines; declaring them again is at best redundant (va_list) or an error (bool).
PREDEFINED = frozenset("""ptrdiff_t size_t wchar_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t
uint64_t intptr_t uintptr_t va_list __builtin_va_list __gnuc_va_list bool""".split())

TAGGED = (c_ast.Struct, c_ast.Union, c_ast.Enum)


def base_type(t):
    """The struct, union, enum or type name at the bottom of a declarator."""
    while isinstance(t, (c_ast.PtrDecl, c_ast.ArrayDecl, c_ast.FuncDecl, c_ast.TypeDecl, c_ast.Typename)):
        t = t.type
    return t


def _has_body(t):
    return isinstance(t, TAGGED) and (t.values is not None if isinstance(t, c_ast.Enum) else t.decls is not None)


def tag_key(t):
    return ("enum" if isinstance(t, c_ast.Enum) else "struct" if isinstance(t, c_ast.Struct) else "union", t.name)


class Unit:
    """One top-level declaration, or several that share one struct/union/enum body
    (`typedef struct {...} A, *PA;`): they must be printed together."""

    def __init__(self, index, nodes):
        self.index = index
        self.nodes = nodes


class Index:
    def __init__(self, ast):
        self.units = []
        self.typedefs = {}      # name -> unit
        self.typedef_types = {}  # name -> type node (for casts in constants)
        self.tags = {}          # ("struct", name) -> (unit holding its body, the body's node)
        self.symbols = {}       # function or variable name -> unit
        self.functions = set()
        self.enumerators = {}   # name -> (unit, Enum node)
        self.pragmas = []       # units holding #pragma pack
        shared = None
        for node in ast.ext:
            if isinstance(node, (c_ast.FuncDef, c_ast.StaticAssert)):
                shared = None
                continue
            if isinstance(node, c_ast.Pragma):
                shared = None
                if node.string.strip().startswith("pack"):
                    self.pragmas.append(self._unit([node]))
                continue
            if isinstance(node, c_ast.Decl) and "static" in node.storage:
                shared = None
                continue
            base = base_type(node.type)
            if _has_body(base) and shared is not None and shared[0] is base:
                shared[1].nodes.append(node)
                unit = shared[1]
            else:
                unit = self._unit([node])
                shared = (base, unit) if _has_body(base) else None
            self._names(node, unit)

    def _unit(self, nodes):
        u = Unit(len(self.units), nodes)
        self.units.append(u)
        return u

    def _names(self, node, unit):
        if isinstance(node, c_ast.Typedef):
            if node.name not in self.typedefs:
                self.typedefs[node.name] = unit
                self.typedef_types[node.name] = node.type
        elif isinstance(node, c_ast.Decl) and node.name:
            if node.name not in self.symbols:
                self.symbols[node.name] = unit
                if isinstance(node.type, c_ast.FuncDecl):
                    self.functions.add(node.name)
        for t in _walk(node):
            if isinstance(t, TAGGED) and t.name and _has_body(t):
                self.tags.setdefault(tag_key(t), (unit, t))
            if isinstance(t, c_ast.Enum) and t.values is not None:
                for e in t.values.enumerators:
                    self.enumerators.setdefault(e.name, (unit, t))

    def refs(self, unit):
        """Units this unit mentions."""
        out = []
        for node in unit.nodes:
            for t in _walk(node):
                if isinstance(t, c_ast.IdentifierType):
                    out += [self.typedefs[n] for n in t.names if n in self.typedefs and n not in PREDEFINED]
                elif isinstance(t, TAGGED) and t.name and tag_key(t) in self.tags:
                    out.append(self.tags[tag_key(t)][0])
                elif isinstance(t, c_ast.ID) and t.name in self.enumerators:
                    out.append(self.enumerators[t.name][0])
        return out

    def select(self, prefixes, extra=()):
        """Returns (units in header order, {prefix: number of declarations it selected},
        the Enum nodes selected by their own or their typedef's name). `extra`: symbol names to keep
        whatever their prefix (the targets of renames)."""
        counts = dict.fromkeys(prefixes, 0)
        roots = []
        direct_enums = []

        def pick(name, unit):
            hit = [p for p in prefixes if name.startswith(p)]
            for p in hit:
                counts[p] += 1
            if hit:
                roots.append(unit)
            return hit

        for name, unit in self.symbols.items():
            pick(name, unit)
        for name, unit in self.typedefs.items():
            if name not in PREDEFINED and pick(name, unit):
                base = base_type(self.typedef_types[name])
                if isinstance(base, c_ast.Enum) and base.values is None:
                    base = self.tags.get(tag_key(base), (None, None))[1]
                if isinstance(base, c_ast.Enum):
                    direct_enums.append(base)
        for key, (unit, node) in self.tags.items():
            if pick(key[1], unit) and key[0] == "enum":
                direct_enums.append(node)
        for name, (unit, _) in self.enumerators.items():
            pick(name, unit)
        keep = set()
        todo = list(roots) + self.pragmas + [self.symbols[s] for s in extra]
        while todo:
            u = todo.pop()
            if u.index not in keep:
                keep.add(u.index)
                todo.extend(self.refs(u))
        return [self.units[i] for i in sorted(keep)], counts, direct_enums


def enum_bodies(nodes):
    """Enums with a body among nodes and their children, in header order."""
    stack = list(reversed(nodes))
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.Enum) and n.values is not None:
            yield n
        stack.extend(reversed([c for _, c in n.children()]))


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(c for _, c in n.children())
