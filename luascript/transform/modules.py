"""ES modules (import/export) compiled onto the CommonJS-style module record of the runtime."""
from ..lua import ast as L
from .context import Transformer
from .expressions import named
from .literals import string_value, utf8

visitor = Transformer.visitor


def module_local(tr, spec_node):
    spec = string_value(tr, spec_node)
    name = tr.imports.get(spec)
    if name is None:
        name = "J0_m%d" % (len(tr.imports) + 1)
        tr.imports[spec] = name
    return name


def field_ref(mod, key):
    return lambda pos=None: L.Index(L.Name(mod), L.Str(utf8(key)), pos)


def collect_imports(tr, program_nodes):
    """Imports are bound before the module body runs."""
    for n in program_nodes:
        if n.type != "import_statement":
            continue
        tr.is_esm = True
        src = n.child_by_field_name("source")
        mod = module_local(tr, src)
        clause = next((c for c in n.named_children if c.type == "import_clause"), None)
        if clause is None:
            continue
        for c in named(clause):
            if c.type == "identifier":
                b = tr.declare(tr.text(c), "import", c, lua=field_ref(mod, "default"))
                b.tdz = False
            elif c.type == "namespace_import":
                idn = named(c)[0]
                b = tr.declare(tr.text(idn), "import", idn, lua=mod)
                b.tdz = False
            elif c.type == "named_imports":
                for spec in named(c):
                    if spec.type != "import_specifier":
                        continue
                    name_n, alias_n = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    imported = tr.text(name_n) if name_n.type != "string" else string_value(tr, name_n)
                    local = alias_n if alias_n is not None else name_n
                    b = tr.declare(tr.text(local), "import", local, lua=field_ref(mod, imported))
                    b.tdz = False


Transformer.collect_imports = collect_imports


def collect_exports(tr, program_nodes):
    """`export { a as b }` may precede a's declaration: remember the names to mirror."""
    pending = {}
    for n in program_nodes:
        if n.type == "export_statement" and n.child_by_field_name("source") is None:
            clause = next((c for c in n.named_children if c.type == "export_clause"), None)
            if clause is not None:
                for spec in named(clause):
                    name_n, alias_n = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    local = tr.text(name_n)
                    exported = tr.text(alias_n) if alias_n is not None else local
                    if alias_n is not None and alias_n.type == "string":
                        exported = string_value(tr, alias_n)
                    pending.setdefault(local, []).append(exported)
            tr.is_esm = True
        elif n.type in ("export_statement", "import_statement"):
            tr.is_esm = True
        if n.type == "export_statement":
            # `export let x` / `export function f`: assignments anywhere in the module mirror x
            decl = n.child_by_field_name("declaration")
            is_default = any(c.type == "default" for c in n.children)
            if decl is not None and not is_default:
                names = []
                if decl.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
                    names.append(decl.child_by_field_name("name"))
                else:
                    for d in named(decl):
                        if d.type == "variable_declarator":
                            tr.pattern_names(d.child_by_field_name("name"), names)
                for nm in names:
                    pending.setdefault(tr.text(nm), []).append(tr.text(nm))
    tr.pending_exports = pending


Transformer.collect_exports = collect_exports


@visitor("stat:import_statement")
def import_statement(tr, node):
    pass   # bound by collect_imports; the module is loaded in the prologue


def export_binding(tr, b, exported):
    if exported not in b.export_names and exported != "default":
        b.export_names.append(exported)
    tr.emit(L.Assign([L.Index(L.Name("J0_exports"), L.Str(utf8(exported)))], [b.ref()]))


Transformer.export_binding = export_binding


@visitor("stat:export_statement")
def export_statement(tr, node):
    tr.is_esm = True
    decl = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    source = node.child_by_field_name("source")
    is_default = any(c.type == "default" for c in node.children)
    pos = tr.pos(node)
    if decl is not None:
        if decl.type in ("function_declaration", "generator_function_declaration"):
            name = tr.text(decl.child_by_field_name("name"))
            if decl.start_byte not in getattr(tr, "_hoisted_ids", ()):
                tr.stat(decl)
                b = tr.lookup(name)
                export_binding(tr, b, "default" if is_default else name)
            elif is_default:
                export_binding(tr, tr.lookup(name), "default")
            return
        names = []
        if decl.type == "class_declaration":
            names.append(decl.child_by_field_name("name"))
        else:
            for d in named(decl):
                if d.type == "variable_declarator":
                    tr.pattern_names(d.child_by_field_name("name"), names)
        # mark the bindings before the declaration so its own assignments mirror too
        tr.stat(decl)
        for n in names:
            b = tr.lookup(tr.text(n))
            export_binding(tr, b, "default" if is_default else tr.text(n))
        return
    if value is not None and is_default:
        if value.type in ("function_expression", "class", "arrow_function", "generator_function", "function"):
            v = tr.expr_named(value, None) if value.type != "class" else tr.class_expr(value, "default")
        else:
            v = tr.expr(value)
        tr.emit(L.Assign([L.Index(L.Name("J0_exports"), L.Str("default"))], [v], pos))
        return
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if source is not None:
        mod = L.Call(tr.h("import"), [L.Name("J0_M"), L.Str(utf8(string_value(tr, source)))])
        ns = next((c for c in node.named_children if c.type == "namespace_export"), None)
        if clause is None and ns is None:
            tr.emit(L.ExprStat(L.Call(tr.h("export_star"), [L.Name("J0_exports"), mod]), pos))
            return
        m = tr.to_temp(mod, "m")
        if ns is not None:
            nm = named(ns)[0]
            tr.emit(L.Assign([L.Index(L.Name("J0_exports"), L.Str(utf8(tr.text(nm))))], [m], pos))
            return
        for spec in named(clause):
            name_n, alias_n = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            local = tr.text(name_n) if name_n.type != "string" else string_value(tr, name_n)
            exported = tr.text(alias_n) if alias_n is not None else local
            if alias_n is not None and alias_n.type == "string":
                exported = string_value(tr, alias_n)
            tr.emit(L.ExprStat(L.Call(tr.h("reexport"), [L.Name("J0_exports"), L.Str(utf8(exported)), m,
                                                         L.Str(utf8(local))]), pos))
        return
    if clause is not None:
        for spec in named(clause):
            name_n, alias_n = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            local = tr.text(name_n)
            exported = tr.text(alias_n) if alias_n is not None else local
            if alias_n is not None and alias_n.type == "string":   # export { x as "module.exports" }
                exported = string_value(tr, alias_n)
            b = tr.lookup(local)
            if b is None:
                raise tr.error(name_n, "Export '%s' is not defined in module" % local)
            export_binding(tr, b, exported)
        return
    raise tr.unsupported(node, "unsupported export")
