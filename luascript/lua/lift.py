"""Protected bodies lifted out of the loops and functions that run them.

A try statement runs its body as a closure under pcall (R.try). Made where the statement stands,
that closure is a new function at every pass: LuaJIT cannot compile the creation of a closure
(FNEW), so a loop with a try in it, or a function with one that a loop calls, never becomes a
trace, and helpers it calls are blacklisted for the traces of other loops too.

So the closure is made once, as high in the chunk as the variables it shares allow, and the try
passes it what it only reads:

    for i = 0, n do                             local J0_tryf1 = function(i) c = c + i end
      J0.try(function() c = c + i end)   ==>    for i = 0, n do J0.try(J0_tryf1, i) end

A variable stays shared (an upvalue, which fixes where the closure can be made) when the body
assigns it, when a function inside the body refers to it (that function must see later values),
or when something could assign it while the body runs: a closure (it is assigned outside its own
function's code) or the code of a coroutine the body could resume (a generator's or an async
function's, other than the one running the try). Everything else is a value the body cannot see
change while it runs, and passing it is the same as sharing it.
"""
from . import ast as L
from .walk import Walker, func_body

# Lua allows 200 locals per function and 60 upvalues per closure: lifting adds one of each to the
# functions between a closure's new place and its old one, and stays well inside both
_MAX_LOCALS = 180
_MAX_UPVALUES = 50
_MAX_PARAMS = 40


class _Binding:
    __slots__ = ("name", "func", "block", "decl", "depth", "assigned_in", "used_in", "names")

    def __init__(self, name, func, block, decl, depth):
        # depth: how many blocks enclose the declaration (its block is path[depth - 1])
        self.name, self.func, self.block, self.decl, self.depth = name, func, block, decl, depth
        self.assigned_in = set()    # ids of the functions whose own code assigns it
        self.used_in = set()        # ids of the functions whose own code reads or assigns it
        self.names = []             # its Name nodes


class _Site:
    """A protected body (a Func marked `lift`) and what it refers to from outside."""
    __slots__ = ("func", "call", "arg", "path", "owner", "fdepth", "strict", "refs", "inner_sites")

    def __init__(self, func, call, arg, path, owner, fdepth, strict):
        self.func, self.call, self.arg = func, call, arg
        self.path = path            # [(block, index of the statement walked, function)], outermost first
        self.owner = owner          # the function whose code runs the try
        self.fdepth = fdepth        # how many functions enclose the body's (the chunk counts)
        self.strict = strict
        self.refs = {}              # binding -> [assigned in the body, referred to by a function in it]
        self.inner_sites = False


class _Func:
    """A function of the chunk (or the chunk): its locals at most at once, and its upvalues."""
    __slots__ = ("node", "active", "most", "upvalues", "coroutine")

    def __init__(self, node):
        self.node, self.active, self.most, self.upvalues = node, 0, 0, set()
        self.coroutine = bool(getattr(node, "coroutine", False))


class _Scan(Walker):
    def __init__(self):
        self.visible = {}           # name -> its bindings, innermost last
        self.scopes = []            # per open block: the names it declared
        self.path = []              # [block, index, its function] of each open block
        self.funcs = []             # the _Func of each open function, the chunk's first
        self.strict = [False]
        self.open_sites = []        # sites whose bodies are being walked
        self.sites = []

    # ---- names ---------------------------------------------------------------------------------
    def declare(self, name, decl=None):
        f = self.funcs[-1]
        b = _Binding(name, f, self.path[-1][0], decl, len(self.path))
        self.visible.setdefault(name, []).append(b)
        self.scopes[-1].append(name)
        f.active += 1
        f.most = max(f.most, f.active)

    def hidden(self, n):
        """The control locals of a for loop: they count toward the 200."""
        f = self.funcs[-1]
        f.most = max(f.most, f.active + n)

    def ref(self, node, assign=False):
        found = self.visible.get(node.name)
        if not found:
            return
        b = found[-1]
        here = len(self.funcs)
        b.names.append(node)
        b.used_in.add(id(self.funcs[-1].node))
        if assign:
            b.assigned_in.add(id(self.funcs[-1].node))
        # every function between the declaration and here holds it as an upvalue
        level = here - 1
        while level >= 0 and self.funcs[level] is not b.func:
            self.funcs[level].upvalues.add(id(b))
            level -= 1
        for s in self.open_sites:
            if b.func in self.funcs[:s.fdepth]:    # declared outside the body
                r = s.refs.setdefault(b, [False, False])
                r[0] = r[0] or assign
                r[1] = r[1] or here > s.fdepth + 1

    # ---- blocks and statements -----------------------------------------------------------------
    def block(self, stmts, before=(), until=None):
        self.scopes.append([])
        entry = [stmts, 0, self.funcs[-1]]
        self.path.append(entry)
        for name in before:
            self.declare(name)
        for i, st in enumerate(stmts):
            entry[1] = i
            self.stat(st, stmts)
        if until is not None:        # `until` sees the body's locals
            self.expr(until)
        self.path.pop()
        f = self.funcs[-1]
        names = self.scopes.pop()
        f.active -= len(names)
        for name in names:
            self.visible[name].pop()

    def local(self, st, block):
        self.exprs(st.exprs)
        for name in st.names:
            self.declare(name, st)

    def assign(self, st, block):
        self.exprs(st.exprs)
        for x in st.targets:
            if type(x) is L.Name:
                self.ref(x, assign=True)
            else:
                self.expr(x)

    def loop(self, body, names):
        self.hidden(3)
        self.block(body, before=names)

    def local_function(self, st, block):
        self.declare(st.name, st)
        self.expr(st.func)

    def name(self, e):
        self.ref(e)

    def func(self, e, call, arg):
        site = None
        if getattr(e, "lift", False) and call is not None and not e.params and not e.vararg:
            for s in self.open_sites:
                s.inner_sites = True
            site = _Site(e, call, arg, [tuple(p) for p in self.path], self.funcs[-1],
                         len(self.funcs), self.strict[-1])
            self.open_sites.append(site)
        f = _Func(e)
        self.funcs.append(f)
        self.strict.append(self.strict[-1] if e.strict is None else e.strict)
        self.block(func_body(e), before=e.params)
        self.strict.pop()
        self.funcs.pop()
        if site is not None:
            self.open_sites.pop()
            self.sites.append(site)


def lift_protected_bodies(chunk):
    scan = _Scan()
    scan.funcs.append(_Func(chunk))
    scan.block(chunk.body)
    inserts = {}    # id(block) -> (block, [(index, statement)])
    added = {}      # id(function) -> locals, or upvalues, lifting added to it
    for n, s in enumerate(scan.sites):
        if not s.inner_sites and not s.owner.coroutine:
            _lift(s, n + 1, inserts, added)
    for block, items in inserts.values():
        # from the end, so the indexes hold; at one index the first listed ends up first
        for _, (i, st) in sorted(enumerate(items), key=lambda x: (-x[1][0], -x[0])):
            block.insert(i, st)
    return chunk


def _lift(s, n, inserts, added):
    path = s.path
    level = 0       # the block of the path the closure will be made in
    moved = []      # shared locals of the try's own function that move up with the closure
    for b, (assigned, inner) in s.refs.items():
        if assigned or inner or b.assigned_in - {id(b.func.node)} \
                or (b.func.coroutine and b.func is not s.owner):
            if _movable(b, s, inner):
                moved.append(b)
            else:
                level = max(level, b.depth - 1)
    if moved:   # (one per run of the function: no higher than its body)
        level = max(level, next(i for i, (_, _, f) in enumerate(path) if f is s.owner))
    moved = [b for b in moved if b.depth - 1 > level]
    block, index, home = path[level]
    if any(type(st) is L.Label for st in block):
        return          # (a goto may not jump into the scope of the new local)
    params = []
    for b in s.refs:
        if b.decl is not None and b.decl is block[index]:
            return      # declared by the statement the closure would go before
        if b.depth - 1 > level and b not in moved:
            params.append(b)
    # the functions that now carry the closure's name from where it is made to the try
    carried = []
    for _, _, f in path[level + 1:]:
        if f is not home and f not in carried:
            carried.append(f)
    if len(params) > _MAX_PARAMS or home.most + added.get(id(home), 0) + len(moved) >= _MAX_LOCALS \
            or any(len(f.upvalues) + added.get(id(f), 0) >= _MAX_UPVALUES for f in carried):
        return
    added[id(home)] = added.get(id(home), 0) + len(moved)
    for f in [home] + carried:
        added[id(f)] = added.get(id(f), 0) + 1
    made = []
    for k, b in enumerate(moved):
        # declared next to the closure, and set where it was declared: `local v` became `v = nil`
        new = "J0_tryv%d_%d" % (n, k + 1)
        for x in b.names:
            x.name = new
        i = next(i for i, st in enumerate(b.block) if st is b.decl)
        b.block[i] = L.Assign([L.Name(new)], b.decl.exprs or [L.NIL], b.decl.pos)
        made.append(new)
    name = "J0_tryf%d" % n
    names = [b.name for b in params]
    lifted = L.Func(names, s.func.body, pos=s.func.pos, strict=s.strict)
    s.call.args[s.arg:s.arg + 1] = [L.Name(name)] + [L.Name(x) for x in names]
    todo = inserts.setdefault(id(block), (block, []))[1]
    if made:
        todo.append((index, L.Local(made, (), s.func.pos)))
    todo.append((index, L.Local([name], [lifted], s.func.pos)))


def _movable(b, s, inner):
    """A local of the try's own function, declared alone, that only that function and the body
    use: one per function run is as good as one per pass of the loop that declares it, since no
    other closure can tell them apart."""
    return not inner and b.func is s.owner and type(b.decl) is L.Local and len(b.decl.names) == 1 \
        and b.used_in <= {id(s.owner.node), id(s.func)}
