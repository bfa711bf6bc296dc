"""Declarations sunk into their only assignment: `local x ... x = e` becomes `local x = e`.

JavaScript hoists declarations, so the compiler declares a block's names at its top and assigns
them where the source declares them. LuaJIT treats a local that is assigned after its declaration
as mutable, and a closure loads a mutable upvalue at every use, where an immutable one is a
constant of the trace: `const TRACING = false` folds the branches it guards away, a `null` or a
function compares as a constant. A local qualifies when its one assignment is a later statement of
the block that declares it and nothing reads it before that statement ends, so both forms run the
same. Blocks with labels are left alone: Lua refuses a goto that jumps into a local's scope.
"""
from . import ast as L
from .walk import Walker, func_body


class _Binding:
    __slots__ = ("block", "decl", "assigns", "first_ref")

    def __init__(self, block, decl):
        self.block, self.decl, self.assigns, self.first_ref = block, decl, [], None


class _Scan(Walker):
    """Resolves every name of a chunk to its binding, numbering reads in execution order of the text."""

    def __init__(self):
        # name -> its bindings, innermost last; and per open scope, the names it declared
        self.visible = {}
        self.scopes = [[]]
        self.bindings = []
        self.seq = 0
        self.parent = {}   # id of a do-block's body -> (the do statement, the block holding it)

    def declare(self, name, block=None, decl=None):
        b = _Binding(block, decl)
        self.visible.setdefault(name, []).append(b)
        self.scopes[-1].append(name)
        if decl is not None:
            self.bindings.append(b)

    def lookup(self, name):
        found = self.visible.get(name)
        return found[-1] if found else None

    def close_scope(self):
        visible = self.visible
        for name in self.scopes.pop():
            visible[name].pop()

    def read(self, name):
        self.seq += 1
        b = self.lookup(name)
        if b is not None and b.first_ref is None:
            b.first_ref = self.seq

    def block(self, stmts, before=(), until=None):
        self.scopes.append([])
        for name in before:
            self.declare(name)
        for st in stmts:
            self.stat(st, stmts)
        if until is not None:
            self.expr(until)
        self.close_scope()

    def local(self, st, block):
        self.exprs(st.exprs)
        for name in st.names:
            self.declare(name, block, st if not st.exprs else None)

    def assign(self, st, block):
        self.exprs(st.exprs)
        for x in st.targets:
            if type(x) is not L.Name:
                self.expr(x)
        plain = len(st.targets) == 1 and len(st.exprs) == 1
        for x in st.targets:
            b = self.lookup(x.name) if type(x) is L.Name else None
            if b is not None:   # the read count when the statement is done
                b.assigns.append((st if plain else None, block, self.seq))

    def do(self, st, block):
        self.parent[id(st.body)] = (st, block)
        self.block(st.body)

    def local_function(self, st, block):
        self.declare(st.name)
        self.expr(st.func)

    def name(self, e):
        self.read(e.name)

    def func(self, e, call, arg):
        self.block(func_body(e), before=e.params)


def sink_declarations(chunk):
    scan = _Scan()
    for st in chunk.body:
        scan.stat(st, chunk.body)
    # per block: the declarations to drop a name from, and the assignments that become locals
    drop, make, tails, blocks = {}, {}, {}, {}
    for b in scan.bindings:
        if len(b.assigns) != 1:
            continue
        st, block, done = b.assigns[0]
        if st is None or (b.first_ref is not None and b.first_ref <= done):
            continue
        if block is not b.block:
            # the last statement of a do-block of the chunk (a class, a destructuring): the value
            # leaves the block through one shared local, `local X = J0_sunk` after it
            do, outer = scan.parent.get(id(block), (None, None))
            if outer is not b.block or b.block is not chunk.body or block[-1] is not st:
                continue
            tails[id(do)] = st
        else:
            make[id(st)] = st
        drop.setdefault(id(b.decl), set()).add(st.targets[0].name)
        blocks[id(b.block)] = b.block
    for block in blocks.values():
        if not any(type(s) is L.Label for s in block):
            _rewrite(block, drop, make, tails)
    return chunk


def _rewrite(stmts, drop, make, tails):
    out, declared = [], False
    for st in stmts:
        if id(st) in make:
            out.append(L.Local([st.targets[0].name], st.exprs, st.pos))
        elif id(st) in drop:
            names = [n for n in st.names if n not in drop[id(st)]]
            if names:
                out.append(L.Local(names, (), st.pos))
        elif id(st) in tails:
            last = tails[id(st)]
            if not declared:
                out.append(L.Local([_OUT]))
                declared = True
            st.body[-1] = L.Assign([L.Name(_OUT)], last.exprs, last.pos)
            out.append(st)
            out.append(L.Local([last.targets[0].name], [L.Name(_OUT)], last.pos))
        else:
            out.append(st)
    stmts[:] = out


_OUT = "J0_sunk"
