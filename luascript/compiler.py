"""The pipeline: .ljs text → syntax tree → Lua AST → Lua text + source map."""
import gc
import os

from . import transform  # noqa: F401  (registers the visitors)
from .lua import ast as L
from .lua.printer import fn_info_table, print_chunk, source_map
from .resolve import module_format
from .syntax import parse
from .transform.context import Transformer, FuncState, HOT_HELPERS
from .transform.expressions import named

from .version import VERSION  # noqa: F401


POS_COLUMNS = 1 << 20   # positions() packs a line and a column in one number (runtime/lua/ljs/error.lua)


class CompileResult:
    def __init__(self, lua, mappings, filename, source, is_esm):
        self.lua = lua                  # bytes
        self.mappings = mappings        # (gen_line, gen_col, src_line, src_col, name)
        self.filename = filename
        self.source = source
        self.is_esm = is_esm
        self.kernels = []               # marked loops: luascript.kernels.ir.Kernel, with .name, .line, .source (CUDA C)

    def source_map(self, lua_name=None):
        import os
        return source_map(self.mappings, os.path.basename(self.filename),
                          lua_name or os.path.basename(self.filename) + ".lua", self.source)

    def positions(self):
        """Lua line n → the .ljs position its stack frames show, at index n - 1 as
        line * POS_COLUMNS + column (1-based; 0 where nothing maps). The column is that of the
        line's last call, where a caller's frame stands (`log(f())` stops in f), else that of
        the first thing mapped to the line."""
        first, call = {}, {}
        for gl, _gc, sl, sc, name in self.mappings:
            first.setdefault(gl, (sl, sc))
            if name and name.startswith("()"):
                call[gl] = (sl, sc)
        out = []
        for gl in range(max(first) + 1 if first else 0):
            p = call.get(gl) or first.get(gl)
            out.append((p[0] + 1) * POS_COLUMNS + min(p[1] + 1, POS_COLUMNS - 1) if p else 0)
        return out

    def call_names(self):
        """Lua line (1-based) → source texts of the callees of calls on that line."""
        out = {}
        for gl, _gc, _sl, _sc, name in self.mappings:
            if name and name.startswith("()"):
                lst = out.setdefault(gl + 1, [])
                if name[2:] not in lst:
                    lst.append(name[2:])
        return out


def has_top_level_await(tr, nodes):
    from .transform.statements import FUNCTION_TYPES
    if not tr.may_mention(nodes, ("await",)):
        return False
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if n.type == "await_expression":
            return True
        if n.type == "for_in_statement" and any(c.type == "await" for c in n.children):
            return True
        if n.type in FUNCTION_TYPES:
            continue
        stack.extend(n.named_children)
    return False


def compile_source(text, filename="<input>", options=None):
    # The cyclic collector is off while a compile runs: a compile's garbage is acyclic (reference
    # counts free it), and the collector's passes over the growing syntax trees and Lua ASTs took
    # 8% of the AWFY sources' compile and 30% of an 8,000-element literal of objects.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            res = _compile_fitting(text, filename, options)
        except RecursionError:
            # deep nesting (syntax.parse refuses more than MAX_NESTING levels): again, with room
            res = _on_big_stack(_compile_fitting, text, filename, options)
    finally:
        if collecting:
            gc.enable()
    _check_loads(res)
    return res


def _compile_fitting(text, filename, options):
    res = _compile(text, filename, options)
    if not (options or {}).get("tight") and _over_lua_limits(res.lua):
        res = _compile(text, filename, dict(options or {}, tight=True))
    return res


# ---- deep nesting and LuaJIT's limits (issue 10; see docs/fuzzing.md) ----------------------------
# The transform and the printer recurse one to seven Python frames per level of syntax. Rather than
# refuse input that LuaJIT could take (a 240-branch else-if chain is 480 levels deep), a compile that
# runs out of recursion runs again on a thread of its own with a recursion limit for MAX_NESTING
# levels. Its own thread, because the C stack of the calling thread is not ours to size: 500 levels
# take under 256 KiB of it on CPython 3.11 (most calls stay in the interpreter loop), more than some
# hosts give a thread (musl: 128 KiB), and running out of C stack is a crash, not an exception.
# 64 MiB is address space; only the pages used are touched.
_BIG_STACK = 64 * 1024 * 1024
_DEEP_FRAMES_PER_LEVEL = 20
_deep_lock = None


def _on_big_stack(fn, *args):
    """fn(*args) on a thread with a big stack. CPython's recursion limit is process-wide, so it is
    raised only while the call runs, one deep compile at a time."""
    import sys
    import threading
    from .syntax import MAX_NESTING
    global _deep_lock
    if _deep_lock is None:
        _deep_lock = threading.Lock()
    out = {}

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 — handed to the calling thread as it is
            out["error"] = e

    with _deep_lock:
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, _DEEP_FRAMES_PER_LEVEL * MAX_NESTING + 1000))
        try:
            old_size = threading.stack_size(_BIG_STACK)
            try:
                t = threading.Thread(target=run, name="luascript-deep-compile", daemon=True)
                t.start()
            finally:
                threading.stack_size(old_size)
            t.join()
        finally:
            sys.setrecursionlimit(old_limit)
    if "error" in out:
        raise out["error"]
    return out["value"]


_loader = None     # a LuaJIT state that only loads (never runs) generated chunks
_last_load = (None, None)   # (lua, error): the fitting check and the load check read one parse


def _load_error(lua):
    """LuaJIT's refusal of a chunk as text, or None when it loads (2 ms for lodash's 445 KB)."""
    global _loader, _last_load
    if _last_load[0] is lua:
        return _last_load[1]
    if _loader is None:
        from lupa import luajit21
        # encoding=None: a message quoting a token of the chunk may hold bytes that are not UTF-8
        _loader = luajit21.LuaRuntime(register_eval=False, register_builtins=False, encoding=None).eval(
            "function(s) local f, e = loadstring(s, '=lua'); return e end")
    err = _loader(lua)
    if err is not None:
        err = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
    _last_load = (lua, err)
    return err


def _check_loads(res):
    """Every chunk the compiler returns loads in LuaJIT. One that LuaJIT refuses for its parser's
    limits (200 levels of syntax, 250 registers, 200 locals, 60 upvalues) is a CompileError at the
    source position of the Lua line it refused; any other refusal is a compiler bug, reported as an
    internal compiler error instead of surfacing when the program runs."""
    err = _load_error(res.lua)
    if err is None:
        return
    import re
    from .errors import CompileError
    m = re.match(r"lua:(\d+): (.*)$", err, re.S)
    lua_line, msg = (int(m.group(1)), m.group(2)) if m else (0, err)
    line, col = 1, 1
    for gl, _gc, sl, sc, _name in sorted(res.mappings):
        if gl + 1 > lua_line:
            break
        line, col = sl + 1, sc + 1
        if gl + 1 == lua_line:
            break       # the first piece of source on the refused line
    if re.search(r"syntax levels|too complex|more than \d+|too long|too many", msg):
        message = "too deeply nested or too large for LuaJIT: %s" % msg.split(" near ")[0]
    else:
        message = "internal compiler error: the generated Lua does not load (%s)" % msg
    raise CompileError(message, res.filename, line, col, res.source, kind=None)


def _over_lua_limits(lua):
    """Does LuaJIT refuse the chunk for too many locals or upvalues in one function?"""
    err = _load_error(lua)
    return err is not None and ("upvalues" in err or "local variables" in err)


STRICT_LINES = "J0_strict_lines"    # a sloppy chunk's placeholder for the lines of its strict functions
FN_INFOS = "J0_fn_infos"            # the placeholder for its functions' facts by line


def _compile(text, filename, options):
    tree, src = parse(text, filename)
    root = tree.root_node
    tr = Transformer(src, options)
    fs = FuncState(root, "module")
    tr.func = fs
    tr.push_scope("module", fs)
    nodes = [n for n in named(root) if n.type != "hash_bang_line"]
    from .transform.early import check_module_comments, check_tree, has_use_strict
    check_tree(tr, root)
    # a .mjs file, or a .js one under a package.json of "type": "module", is an ES module even
    # without an import or export in it
    if filename and not (options or {}).get("script") and os.path.isfile(filename) \
            and module_format(filename) == "esm":
        tr.is_esm = True
    tr.file_strict = tr.is_esm or has_use_strict(tr, nodes) or any(
        n.type in ("import_statement", "export_statement") for n in nodes)
    fs.strict = tr.file_strict
    if tr.repl is not None:
        _declare_repl_names(tr)
    tr.collect_exports(nodes)
    tr.collect_imports(nodes)
    check_module_comments(tr, root)
    from .kernels import refuse_marks_before_nothing
    refuse_marks_before_nothing(tr, root)
    if tr.is_esm and tr.repl is not None:
        bad = next(n for n in nodes if n.type in ("import_statement", "export_statement"))
        raise tr.error(bad, "Cannot use import statement inside the REPL, alternatively use dynamic import: "
                            "const { x } = await import(\"y\")" if bad.type == "import_statement"
                       else "Unexpected token 'export'")
    body = []
    tr.stmts = body
    tla = has_top_level_await(tr, nodes)
    if tla:
        fs.is_async = True
    from .transform.numeric import typed_vars
    if tr.optimize:
        fs.numeric, fs.stringy, fs.boolean = typed_vars(tr, root)
    tr.hoist_vars(nodes)
    tr.hoist_functions(nodes, function_top=True)
    completion = tr.options.get("completion")
    last = _completion_statement(nodes) if completion else None
    for n in nodes:
        if n is last:
            _completion_value(tr, n)
        else:
            tr.stat(n)
    if completion:
        # the chunk returns the value of its last expression statement (the REPL, `-p`); with
        # top-level await, the promise of the body, which settles with that value
        body.append(L.Return([L.Name("J0_cv")] if last is not None else []))
    if tla:
        run = L.Call(tr.h("run_module_async"), [L.Func([], body), L.Name("J0_M")])
        body = [L.Return([run]) if completion else L.ExprStat(run)]
    # (the REPL's chunks take the session's table of lexical declarations third)
    pro = [L.Local(["J0", "J0_M", "J0_L"] if tr.repl is not None else ["J0", "J0_M"], [L.Vararg()])]
    hot = sorted(h for h in tr.helpers_used if h in HOT_HELPERS)
    if hot:
        pro.append(L.Local(["J0_" + h for h in hot], [L.Index(L.Name("J0"), L.Str(h)) for h in hot]))
    # an ES module writes its exports to a store that its read-only namespace object reads
    exports_init = L.Call(L.Index(L.Name("J0"), L.Str("esm_store")), [L.Name("J0_M")]) if tr.is_esm \
        else L.Index(L.Name("J0_M"), L.Str("exports"))
    pro.append(L.Local(["J0_G", "J0_exports"], [L.Index(L.Name("J0"), L.Str("G")), exports_init]))
    pro.extend(tr.constants)
    if getattr(tr, "uses_module_table", False):
        pro.append(L.Local(["J0_T"], [L.Table([])]))
    refs = sorted(tr.module_refs)
    for r in refs:
        if r == "module":
            pro.append(L.Local(["module"], [L.Name("J0_M")]))
        elif r == "exports":
            pro.append(L.Local(["exports"], [L.Name("J0_exports")]))
        else:
            pro.append(L.Local([r], [L.Index(L.Name("J0_M"), L.Str(r))]))
    # top-level this: undefined in an ES module, the global object in a classic script,
    # module.exports in CommonJS
    top_this = L.Lit("nil") if tr.is_esm else L.Name("J0_G") if tr.options.get("script") \
        else L.Name("J0_exports")
    pro.append(L.Local(["this"], [top_this]))
    # whether a failed store or delete throws: the chunk is strict, or these of its functions are
    # (filled in below, once the printer has placed them)
    pro.append(L.ExprStat(L.Call(L.Index(L.Name("J0"), L.Str("code_mode")),
                                 [L.Lit("true" if tr.file_strict else STRICT_LINES), L.Lit(FN_INFOS)])))
    for spec, name in tr.imports.items():
        pro.append(L.Local([name], [L.Call(tr.h("import"), [L.Name("J0_M"), L.Str(spec)])]))
    chunk = L.Chunk(pro + body)
    if tr.optimize and not tr.tight:
        from .lua.lift import lift_protected_bodies
        from .lua.sink import sink_declarations
        lift_protected_bodies(chunk)
        sink_declarations(chunk)
    if tr.options.get("poll"):
        # sandbox: function and loop bodies start with a poll of the interrupt flag (luascript/sandbox.py)
        from .sandbox import add_poll_points
        add_poll_points(chunk)
    lua, mappings, strict_lines, fn_infos = print_chunk(chunk)
    if not tr.file_strict:
        lua = lua.replace(STRICT_LINES.encode(), ("{%s}" % ", ".join(map(str, strict_lines))).encode(), 1)
    lua = lua.replace(FN_INFOS.encode(), fn_info_table(fn_infos).encode("latin-1"), 1)
    res = CompileResult(lua, mappings, filename, text, tr.is_esm)
    res.kernels = tr.kernels
    res.is_async = tla
    res.repl_names = dict(tr.repl_declared)
    return res


# ---- the REPL and `-p` (luascript/repl.py, Runtime.run_source) -------------------------------------
# Option "completion": the chunk returns the value of the program's last expression statement, when
# only declarations follow it (their completion is empty, as in eval). Option "repl" ({name: "let" |
# "const"}, implies a classic script): every top-level let, const and class lives in the session's
# table J0_L (the chunk's third argument) instead of a local, starting uninitialised (J0.TDZ), and
# the names of earlier inputs are bound to it, so that an input sees what the ones before it
# declared. CompileResult.repl_names lists this input's own.

_EMPTY_COMPLETION = frozenset(("lexical_declaration", "variable_declaration", "function_declaration",
                               "generator_function_declaration", "class_declaration", "empty_statement"))


def _completion_statement(nodes):
    for n in reversed(nodes):
        if n.type == "expression_statement":
            return n
        if n.type not in _EMPTY_COMPLETION:
            return None
    return None


def _completion_value(tr, node):
    tr.emit(L.Local(["J0_cv"]))
    mark = len(tr.stmts)
    e = next(c for c in node.named_children if not c.is_extra)
    v = tr.expr(e)
    tr.emit(L.Assign([L.Name("J0_cv")], [v], tr.pos(node)))
    tr.scope_temps(mark)


def _declare_repl_names(tr):
    """The lexical declarations of earlier inputs: {name: "let" | "const"}, with "?" after the
    kind where the input that declared it threw (it may not have run the declaration)."""
    from .transform.literals import utf8
    for name, kind in tr.repl.items():
        key = L.Str(utf8(name))
        b = tr.declare(name, "const" if kind.startswith("const") else "let",
                       lua=lambda pos=None, key=key: L.Index(L.Name("J0_L"), key, pos))
        b.ty = None
        if kind.endswith("?"):
            # every read checks (plain_identifier's test for a switch case's bindings)
            b.tdz = b.switch_tdz = True
            b._decl_stmt = L.Assign([], [])     # (stands for a declaration in no chunk)
        else:
            b.tdz = False
