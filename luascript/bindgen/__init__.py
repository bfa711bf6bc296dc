"""luascript bindgen: C headers -> a Lua module for LuaJIT's FFI.

    preprocess (system cpp, GCC extensions neutralised) -> parse (pycparser) -> select (prefixes plus
    the types they need) -> print (LuaJIT's C dialect) -> module (ffi.cdef, loader, lookup table)
"""
import os
import re

from .errors import BindgenError

__all__ = ["BindgenError", "generate", "command_line", "bindings_dir", "wheel_library_dirs"]

_IDENT = re.compile(r"^[A-Za-z_]\w*$")


def bindings_dir():
    """The directory holding the committed binding modules (`require("bindings.cuda")` needs its
    parent on package.path): the repository's bindings/ or the installed wheel's copy."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for cand in (os.path.join(here, "_lua", "bindings"), os.path.join(os.path.dirname(here), "bindings")):
        if os.path.isdir(cand):
            return cand
    return None


# pip wheels that carry libraries the committed bindings load: (package, library directory inside it)
WHEEL_LIBRARIES = (("nvidia.cuda_nvrtc", "lib"), ("nvidia.cublas", "lib"), ("openvino", "libs"))


def wheel_library_dirs():
    """Library directories of the installed pip wheels above. dlopen never searches them, so a host
    puts them on LUASCRIPT_LIBRARY_PATH, which the generated modules search first."""
    import importlib.util
    out = []
    for pkg, sub in WHEEL_LIBRARIES:
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):
            continue
        for d in (spec.submodule_search_locations or []) if spec else []:
            if os.path.isdir(os.path.join(d, sub)):
                out.append(os.path.join(d, sub))
    return out


def command_line(args):
    """The bindgen command that reproduces a run, options in a fixed order (for the module's first lines)."""
    import shlex
    words = ["luascript", "bindgen"] + list(args.headers)
    for flag, values in (("--lib", args.lib), ("--include-prefix", args.prefixes), ("-I", args.include_dirs),
                         ("-D", args.defines), ("--lib-path", args.lib_dirs), ("--name", [args.name] if args.name else []),
                         ("--version-macro", args.version_macro), ("--note", args.note),
                         ("-o", [args.output] if args.output else [])):
        for v in values:
            words += [flag, v]
    return shlex.join(words)


def generate(headers, libs, prefixes, include_dirs=(), defines=(), lib_dirs=(), name=None,
             version_macros=(), notes=(), command=None):
    """The text of the Lua module binding `headers` for the library `libs[0]` (further entries are
    other file names to try). Raises BindgenError for a user's mistake or a broken header."""
    from pycparser import c_parser

    from .cdecl import Printer, enum_values
    from .consts import Evaluator, macro_value
    from .module import module_text
    from .preprocess import find_header, preprocess
    from .select import Index, enum_bodies

    if not prefixes:
        raise BindgenError("no --include-prefix given: nothing would be selected")
    if not libs:
        raise BindgenError("no --lib given")
    paths = [find_header(h, include_dirs) for h in headers]
    text, macros = preprocess(paths, include_dirs, defines, prefixes, version_macros)
    try:
        ast = c_parser.CParser().parse(text, "<bindgen>")
    except c_parser.ParseError as e:
        raise BindgenError("parse error: %s" % e)
    index = Index(ast)
    ev = Evaluator(index.typedef_types, {})
    enum_values(ast, ev)

    renames, macro_consts = {}, {}
    for mname, expansion in macros.items():
        if not mname.startswith(tuple(prefixes)):
            continue  # probed only for --version-macro
        target = expansion.strip("() ")
        if _IDENT.match(target) and target in index.symbols:
            renames[mname] = target
            continue
        v = ev.enums.get(target) if _IDENT.match(target) else macro_value(expansion, ev, set(index.typedefs))
        if v is not None:
            macro_consts[mname] = v

    units, counts, direct_enums = index.select(prefixes, extra=renames.values())
    for mname in list(renames) + list(macro_consts):
        for p in prefixes:
            if mname.startswith(p):
                counts[p] += 1
    empty = [p for p in prefixes if not counts[p]]
    if empty:
        raise BindgenError("prefix '%s' selects nothing in %s" % (empty[0], ", ".join(headers)))

    printer = Printer(ev)
    cdef = "\n".join(t for t in (printer.unit(u) for u in units) if t)

    direct = {id(e) for e in direct_enums}
    constants, seen = [], set()
    for e in enum_bodies([n for u in units for n in u.nodes]):
        for en in e.values.enumerators:
            if en.name in ev.enums and en.name not in seen and (id(e) in direct or en.name.startswith(tuple(prefixes))):
                seen.add(en.name)
                constants.append((en.name, ev.enums[en.name]))
    constants += sorted(macro_consts.items())
    kept = {id(u) for u in units}
    variables = [s for s, u in index.symbols.items() if id(u) in kept and s not in index.functions]

    name = name or os.path.splitext(os.path.basename(libs[0]))[0]
    comment = ["%s: LuaJIT FFI binding for %s, generated by luascript bindgen. Do not edit: regenerate." % (name, libs[0]),
               "Headers: " + ", ".join(headers)]
    for vm in version_macros:
        if vm not in macros:
            raise BindgenError("--version-macro %s: no such object-like macro in the headers" % vm)
        v = macro_value(macros[vm], ev, set(index.typedefs))
        comment.append("Version: %s = %s" % (vm, macros[vm] if v is None else v))
    comment += list(notes)
    if command:
        comment.append("Command: " + command)
    comment.append('Use: %s.fn(...) calls a function, %s.CONST reads a constant; getmetatable(%s).load() '
                   'loads the library now (raising when it is missing).' % (name, name, name))
    functions = sum(1 for s, u in index.symbols.items() if id(u) in kept and s in index.functions)
    comment.append("%d functions, %d constants, %d renames." % (functions, len(constants), len(renames)))
    comment.append("")
    return module_text(name, comment, cdef, libs, lib_dirs, renames, constants, variables)

