"""Module resolution as node does it, for `require` (CommonJS) and `import` (ES modules).

`resolve_module(spec, from_dir, kind)` returns the absolute path of the module file or raises
`ResolveError` carrying node's code (MODULE_NOT_FOUND, ERR_PACKAGE_PATH_NOT_EXPORTED, ...).
The algorithm is node's (https://nodejs.org/api/modules.html#all-together and the ESM resolver of
https://nodejs.org/api/esm.html#resolution-algorithm-specification): relative and absolute paths
with extension and directory-index search, `#imports`, package self-reference, and bare specifiers
searched in `node_modules` up the tree, through `exports` (subpaths, `*` patterns, nested
conditions, arrays, `null` blocking) when a package has them, else `main` and `index.*`.

Two leniencies, both for LuaScript's own files: `.ljs` is tried first wherever node tries `.js`,
and ES `import` of a relative path searches extensions and `index` files as `require` does (node
would demand the full file name). Conditions: `require` gets ["require", "node"], `import` gets
["import", "node"], both match "default".

The file system is a parameter (`FileSystem`) so that a bundle (luascript build --bundle) resolves
over the files it carries with the same code.
"""
import os

EXTENSIONS = ("", ".ljs", ".js", ".json", ".mjs", ".cjs")
INDEX_FILES = ("index.ljs", "index.js", "index.json", "index.mjs", "index.cjs")
CONDITIONS = {"require": ("require", "node"), "import": ("import", "node")}


LUASCRIPT_BUILTINS = frozenset(("ternary", "gpu", "openvino", "openvino-node"))
_node_core = None


def node_core():
    """node's core module names (require("fs") never searches node_modules), from the runtime's
    own list, ljs/node_core_names.lua."""
    global _node_core
    if _node_core is None:
        from .runtime import find_lua_root
        with open(os.path.join(find_lua_root(), "ljs", "node_core_names.lua"), encoding="utf-8") as f:
            text = f.read()
        _node_core = frozenset(text.split("[[", 1)[1].split("]]", 1)[0].split())
    return _node_core


def is_builtin(spec):
    return spec in LUASCRIPT_BUILTINS or spec.startswith(("node:", "lua:")) or spec in node_core()


class ResolveError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class FileSystem:
    """The real file system, with the answers cached (a run resolves the same paths many times)."""

    def __init__(self):
        self._stat = {}
        self._json = {}

    def _kind(self, p):
        k = self._stat.get(p)
        if k is None:
            k = "file" if os.path.isfile(p) else "dir" if os.path.isdir(p) else ""
            self._stat[p] = k
        return k

    def isfile(self, p):
        return self._kind(p) == "file"

    def isdir(self, p):
        return self._kind(p) == "dir"

    def package_json(self, p):
        """The parsed package.json at path p, None when absent; raises ResolveError when invalid."""
        if p in self._json:
            return self._json[p]
        data = None
        if self.isfile(p):
            try:
                with open(p, encoding="utf-8") as f:
                    import json   # only where a package.json is read: json costs a warm start 1 ms
                    data = json.load(f)
            except (OSError, ValueError) as e:
                raise ResolveError("ERR_INVALID_PACKAGE_CONFIG", "Invalid package config %s: %s" % (p, e))
            if not isinstance(data, dict):
                data = {}
        self._json[p] = data
        return data


_REAL_FS = FileSystem()


def resolve(spec, from_dir, kind="require", fs=None):
    """The resolved path, or None when the module cannot be found (any resolution error)."""
    try:
        return resolve_module(spec, from_dir, kind, fs)
    except ResolveError:
        return None


def resolve_module(spec, from_dir, kind="require", fs=None):
    fs = fs or _REAL_FS
    conditions = CONDITIONS.get(kind, CONDITIONS["require"])
    from_dir = os.path.abspath(from_dir)
    if spec.startswith(("./", "../", "/")) or spec in (".", ".."):
        base = os.path.normpath(os.path.join(from_dir, spec))
        found = _load_as_file(fs, base) or _load_as_directory(fs, base)
        if found:
            return found
        raise not_found(spec)
    if spec.startswith("#"):
        return _package_imports(fs, spec, from_dir, conditions)
    name, subpath = _split_package(spec)
    found = _package_self(fs, name, subpath, from_dir, conditions)
    if found:
        return found
    for nm in node_modules_paths(from_dir):
        found = _load_node_module(fs, nm, name, subpath, conditions)
        if found:
            return found
    raise not_found(spec)


def not_found(spec):
    return ResolveError("MODULE_NOT_FOUND", "Cannot find module '%s'" % spec)


def node_modules_paths(from_dir):
    """node_modules folders from from_dir up to the root (module.paths)."""
    out = []
    d = os.path.abspath(from_dir)
    while True:
        if os.path.basename(d) != "node_modules":
            out.append(os.path.join(d, "node_modules"))
        parent = os.path.dirname(d)
        if parent == d:
            return out
        d = parent


def _split_package(spec):
    parts = spec.split("/")
    n = 2 if spec.startswith("@") else 1
    if len(parts) < n or not all(parts[:n]) or spec.startswith(".") or "\\" in spec or "%" in parts[0]:
        raise ResolveError("ERR_INVALID_MODULE_SPECIFIER", "Invalid module specifier '%s'" % spec)
    return "/".join(parts[:n]), "/".join(parts[n:])


def _load_as_file(fs, base):
    for ext in EXTENSIONS:
        p = base + ext
        if fs.isfile(p):
            return p
    return None


def _load_index(fs, base):
    for name in INDEX_FILES:
        p = os.path.join(base, name)
        if fs.isfile(p):
            return p
    return None


def _load_as_directory(fs, base):
    if not fs.isdir(base):
        return None
    pkg = fs.package_json(os.path.join(base, "package.json"))
    main = pkg.get("main") if pkg else None
    if isinstance(main, str) and main:
        m = os.path.normpath(os.path.join(base, main))
        found = _load_as_file(fs, m) or _load_index(fs, m)
        if found:
            return found
    return _load_index(fs, base)


def _load_node_module(fs, nm, name, subpath, conditions):
    pkg_dir = os.path.join(nm, name)
    pkg_path = os.path.join(pkg_dir, "package.json")
    pkg = fs.package_json(pkg_path) if fs.isdir(pkg_dir) else None
    if pkg is not None and pkg.get("exports") is not None:
        return _exports_resolve(fs, pkg_dir, pkg_path, "./" + subpath if subpath else ".", pkg["exports"], conditions)
    base = os.path.join(pkg_dir, subpath) if subpath else pkg_dir
    return _load_as_file(fs, base) or _load_as_directory(fs, base)


def package_scope(fs, from_dir):
    """(directory, parsed package.json) of the closest package.json above from_dir, or (None, None);
    the search stops at a node_modules folder as node's does."""
    d = os.path.abspath(from_dir)
    while True:
        if os.path.basename(d) == "node_modules":
            return None, None
        pkg = fs.package_json(os.path.join(d, "package.json"))
        if pkg is not None:
            return d, pkg
        parent = os.path.dirname(d)
        if parent == d:
            return None, None
        d = parent


def module_format(path, fs=None):
    """"esm", "cjs" or "json": how node would load the file (by extension, then "type")."""
    if path.endswith(".json"):
        return "json"
    if path.endswith(".mjs"):
        return "esm"
    if path.endswith(".cjs"):
        return "cjs"
    _, pkg = package_scope(fs or _REAL_FS, os.path.dirname(path))
    return "esm" if pkg and pkg.get("type") == "module" else "cjs"


def _package_self(fs, name, subpath, from_dir, conditions):
    d, pkg = package_scope(fs, from_dir)
    if pkg is None or pkg.get("name") != name or pkg.get("exports") is None:
        return None
    return _exports_resolve(fs, d, os.path.join(d, "package.json"), "./" + subpath if subpath else ".",
                            pkg["exports"], conditions)


def _package_imports(fs, spec, from_dir, conditions):
    if spec in ("#", "#/") or spec.startswith("#/"):
        raise ResolveError("ERR_INVALID_MODULE_SPECIFIER", "Invalid module specifier '%s'" % spec)
    d, pkg = package_scope(fs, from_dir)
    imports = pkg.get("imports") if pkg else None
    if isinstance(imports, dict):
        target = _imports_exports_resolve(fs, spec, imports, d, True, conditions)
        if target is not None:
            return _existing(fs, target)
    where = os.path.join(d, "package.json") if d else from_dir
    raise ResolveError("ERR_PACKAGE_IMPORT_NOT_DEFINED",
                       "Package import specifier \"%s\" is not defined in package %s" % (spec, where))


def _exports_resolve(fs, pkg_dir, pkg_path, subpath, exports, conditions):
    if isinstance(exports, dict):
        dotted = [k.startswith(".") for k in exports]
        if any(dotted) and not all(dotted):
            raise ResolveError("ERR_INVALID_PACKAGE_CONFIG",
                               "Invalid package config %s: \"exports\" cannot mix \".\" keys and conditions" % pkg_path)
    sugar = not isinstance(exports, dict) or not any(k.startswith(".") for k in exports)
    target = None
    if subpath == ".":
        main = exports if sugar else exports.get(".")
        if main is not None:
            target = _target_resolve(fs, pkg_dir, main, None, False, conditions)
    elif not sugar:
        target = _imports_exports_resolve(fs, subpath, exports, pkg_dir, False, conditions)
    if target is None:
        if subpath == ".":
            raise ResolveError("ERR_PACKAGE_PATH_NOT_EXPORTED", "No \"exports\" main defined in %s" % pkg_path)
        raise ResolveError("ERR_PACKAGE_PATH_NOT_EXPORTED",
                           "Package subpath '%s' is not defined by \"exports\" in %s" % (subpath, pkg_path))
    return _existing(fs, target)


def _existing(fs, target):
    # exports/imports targets name exact files: no extension search
    if fs.isfile(target):
        return target
    raise ResolveError("MODULE_NOT_FOUND", "Cannot find module '%s'" % target)


def _pattern_key_order(key):
    """Sort key for node's PATTERN_KEY_COMPARE: longer prefix before the '*' first, then longer keys."""
    star = key.find("*")
    return (-(star + 1 if star >= 0 else len(key) + 1), star < 0, -len(key))


def _imports_exports_resolve(fs, key, table, pkg_dir, is_imports, conditions):
    if key in table and "*" not in key:
        return _target_resolve(fs, pkg_dir, table[key], None, is_imports, conditions)
    for pattern in sorted((k for k in table if k.count("*") == 1), key=_pattern_key_order):
        base, trailer = pattern.split("*")
        if key.startswith(base) and key != base and (
                not trailer or (key.endswith(trailer) and len(key) >= len(pattern))):
            match = key[len(base):len(key) - len(trailer)]
            return _target_resolve(fs, pkg_dir, table[pattern], match, is_imports, conditions)
    return None


class _Unmatched(Exception):
    """No condition of a conditions object applied: try the next alternative."""


def _target_resolve(fs, pkg_dir, target, match, is_imports, conditions):
    try:
        return _target(fs, pkg_dir, target, match, is_imports, conditions)
    except _Unmatched:
        return None


def _invalid_target(pkg_dir, target):
    return ResolveError("ERR_INVALID_PACKAGE_TARGET",
                        "Invalid \"exports\" target %s defined in %s" % (__import__("json").dumps(target),
                                                                          os.path.join(pkg_dir, "package.json")))


def _target(fs, pkg_dir, target, match, is_imports, conditions):
    if isinstance(target, str):
        if not target.startswith("./"):
            if not is_imports or target.startswith(("../", "/")) or ":" in target.split("/")[0]:
                raise _invalid_target(pkg_dir, target)
            # an `imports` target may be a package: "#dep": "some-package"
            spec = target.replace("*", match) if match is not None else target
            return resolve_module(spec, pkg_dir + "/", "import" if "import" in conditions else "require", fs)
        segments = target[2:].split("/")
        if any(s in ("", ".", "..", "node_modules") for s in segments[:-1]) or segments[-1] in (".", "..",
                                                                                                 "node_modules"):
            raise _invalid_target(pkg_dir, target)
        if match is not None:
            if any(s in (".", "..", "node_modules") for s in match.split("/")):
                raise ResolveError("ERR_INVALID_MODULE_SPECIFIER",
                                   "Invalid module specifier: '%s' in %s" % (match, pkg_dir))
            target = target.replace("*", match)
        return os.path.normpath(os.path.join(pkg_dir, target))
    if isinstance(target, dict):
        for cond, value in target.items():
            if cond == "default" or cond in conditions:
                try:
                    return _target(fs, pkg_dir, value, match, is_imports, conditions)
                except _Unmatched:
                    continue
        raise _Unmatched()
    if isinstance(target, list):
        if not target:
            return None
        last = None
        for value in target:
            try:
                return _target(fs, pkg_dir, value, match, is_imports, conditions)
            except _Unmatched:
                continue
            except ResolveError as e:
                if e.code != "ERR_INVALID_PACKAGE_TARGET":
                    raise
                last = e
        if last is not None:
            raise last
        raise _Unmatched()
    if target is None:
        return None
    raise _invalid_target(pkg_dir, target)
