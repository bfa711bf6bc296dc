"""The walk over a chunk's statements and expressions that the passes on the Lua AST share
(sink.py, lift.py): each statement's parts in the order Lua runs them, with a hook where a pass
records something (a local, an assignment, a name, a function, a block)."""
from . import ast as L

# the expressions made of other expressions: (slot, holds a list)
PARTS = {
    L.Index: (("obj", False), ("key", False)),
    L.Call: (("fn", False), ("args", True)),
    L.MethodCall: (("obj", False), ("args", True)),
    L.BinOp: (("left", False), ("right", False)),
    L.UnOp: (("operand", False),),
    L.Paren: (("expr", False),),
}


class Walker:
    """Subclasses give block, local, assign, local_function, name and func; the others have
    defaults that walk on."""

    def stat(self, st, block):
        t = type(st)
        if t is L.Local:
            self.local(st, block)
        elif t is L.Assign:
            self.assign(st, block)
        elif t is L.ExprStat:
            self.expr(st.expr)
        elif t is L.Return:
            self.exprs(st.exprs)
        elif t is L.Do:
            self.do(st, block)
        elif t is L.If:
            for cond, body in st.clauses:
                self.expr(cond)
                self.block(body)
            if st.orelse:
                self.block(st.orelse)
        elif t is L.While:
            self.expr(st.cond)
            self.block(st.body)
        elif t is L.Repeat:
            self.block(st.body, until=st.cond)   # `until` sees the body's locals
        elif t is L.NumFor:
            self.exprs([e for e in (st.start, st.stop, st.step) if e is not None])
            self.loop(st.body, (st.var,))
        elif t is L.ForIn:
            self.exprs(st.exprs)
            self.loop(st.body, st.names)
        elif t is L.LocalFunction:
            self.local_function(st, block)
        elif t in (L.Break, L.Goto, L.Label, L.Comment):
            pass
        else:
            raise TypeError("%s: unknown statement %s" % (type(self).__name__, t.__name__))

    def do(self, st, block):
        self.block(st.body)

    def loop(self, body, names):
        self.block(body, before=names)

    def exprs(self, es):
        for e in es:
            self.expr(e)

    def expr(self, e):
        t = type(e)
        if t is L.Name:     # the most common expression by far: first
            self.name(e)
        elif t is L.Call:
            self.expr(e.fn)
            for i, a in enumerate(e.args):
                if type(a) is L.Func:
                    self.func(a, e, i)
                else:
                    self.expr(a)
        elif t is L.Func:
            self.func(e, None, None)
        elif t is L.Table:
            for k, v in e.items:
                if k is not None:
                    self.expr(k)
                self.expr(v)
        elif t in (L.Lit, L.Num, L.Str, L.Vararg):
            pass
        else:
            parts = PARTS.get(t)
            if parts is None:
                raise TypeError("%s: unknown expression %s" % (type(self).__name__, t.__name__))
            for slot, many in parts:   # operands in the order Lua evaluates them
                if many:
                    self.exprs(getattr(e, slot))
                else:
                    self.expr(getattr(e, slot))


def func_body(f):
    return f.body.body if isinstance(f.body, L.Chunk) else f.body
