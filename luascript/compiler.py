"""The pipeline: .ljs text → syntax tree → Lua AST → Lua text + source map."""
from . import transform  # noqa: F401  (registers the visitors)
from .lua import ast as L
from .lua.printer import print_chunk, source_map
from .syntax import parse
from .transform.context import Transformer, FuncState, HOT_HELPERS
from .transform.expressions import named

from .version import VERSION  # noqa: F401


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

    def line_table(self):
        """Lua line (1-based) → JS line (1-based), for mapping stack traces at run time."""
        table = {}
        for gl, _gc, sl, _sc, _name in self.mappings:
            table.setdefault(gl + 1, sl + 1)
        return table

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
    tree, src = parse(text, filename)
    root = tree.root_node
    tr = Transformer(src, options)
    fs = FuncState(root, "module")
    tr.func = fs
    tr.push_scope("module", fs)
    nodes = [n for n in named(root) if n.type not in ("comment", "hash_bang_line")]
    from .transform.early import check_tree, has_use_strict
    check_tree(tr, root)
    tr.file_strict = tr.is_esm or has_use_strict(tr, nodes) or any(
        n.type in ("import_statement", "export_statement") for n in nodes)
    fs.strict = tr.file_strict
    tr.collect_exports(nodes)
    tr.collect_imports(nodes)
    body = []
    tr.stmts = body
    tla = has_top_level_await(tr, nodes)
    if tla:
        fs.is_async = True
    from .transform.numeric import numeric_vars, string_vars
    fs.numeric = numeric_vars(tr, root)
    fs.stringy = string_vars(tr, root)
    tr.hoist_vars(nodes)
    tr.hoist_functions(nodes, function_top=True)
    for n in nodes:
        tr.stat(n)
    if tla:
        body = [L.ExprStat(L.Call(tr.h("run_module_async"), [L.Func([], body), L.Name("J0_M")]))]
    pro = [L.Local(["J0", "J0_M"], [L.Vararg()])]
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
    # the entry module decides whether failed assignments throw (strict) or are ignored (sloppy)
    from .transform.early import has_use_strict
    strict = tr.is_esm or has_use_strict(tr, nodes)
    pro.append(L.If([(L.Index(L.Name("J0_M"), L.Str("main")),
                      [L.Assign([L.Index(L.Name("J0"), L.Str("strict"))], [L.Lit("true" if strict else "false")])])]))
    for spec, name in tr.imports.items():
        pro.append(L.Local([name], [L.Call(tr.h("import"), [L.Name("J0_M"), L.Str(spec)])]))
    chunk = L.Chunk(pro + body)
    lua, mappings = print_chunk(chunk)
    res = CompileResult(lua, mappings, filename, text, tr.is_esm)
    res.kernels = tr.kernels
    return res
