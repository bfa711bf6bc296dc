"""`luascript build app.ljs --bundle`: the app and every module it reaches, compiled, in one folder
that runs without the sources (`luascript run OUT.lua`).

Layout of the output folder (OUT = the -o file, default FILE with .lua):
  OUT                     the main module's Lua (+ OUT.map)
  REL.lua, REL.lua.map    every other module, REL being its path relative to the common folder of
                          all modules (node_modules/lodash/lodash.js.lua)
  REL                     JSON modules, copied
  OUT-STEM.bundle.json    the manifest: module paths, their Lua files and line tables, and the
                          resolution fields of every package.json on the way (name, main, exports,
                          imports, type)
At run time the same resolver (luascript/resolve.py) runs over the files the manifest lists, so
`require`, `import`, `exports` conditions and `require.resolve` behave as they did on the sources.
Only modules named by a literal `require("x")`, `import`, `export ... from` or `import("x")` are
found; a computed specifier reaches only what those brought in.
"""
import json
import os
import shutil
import sys

from .errors import CompileError
from .resolve import FileSystem, ResolveError, module_format, resolve_module

PACKAGE_FIELDS = ("name", "main", "exports", "imports", "type")
MANIFEST_VERSION = 2


def manifest_path(out):
    return os.path.splitext(out)[0] + ".bundle.json"


def is_bundle(path):
    return path.endswith(".lua") and os.path.isfile(manifest_path(path))


# ---- build ---------------------------------------------------------------------------------------
def build(main, out, options, read, imports_of, is_builtin):
    """Compile main and the modules it reaches into out's folder. read(path) -> text;
    imports_of(text, path) -> [(specifier, kind)]; is_builtin(spec) says whether the runtime
    provides spec itself. Returns an exit code."""
    from .compiler import compile_source
    fs = FileSystem()
    main = os.path.abspath(main)
    order, seen = [main], {main}
    i = 0
    while i < len(order):
        path = order[i]
        i += 1
        if path.endswith(".json"):
            continue
        for spec, kind in imports_of(read(path), path):
            if is_builtin(spec):
                continue
            try:
                target = resolve_module(spec, os.path.dirname(path), kind, fs)
            except ResolveError as e:
                print("luascript build: note: %s: %s (left out of the bundle)" % (os.path.relpath(path), e.message),
                      file=sys.stderr)
                continue
            if target not in seen:
                seen.add(target)
                order.append(target)
    root = os.path.commonpath([os.path.dirname(p) for p in order])
    out_dir = os.path.dirname(out)
    modules, packages = {}, {}
    for path in order:
        rel = os.path.relpath(path, root)
        _add_packages(fs, path, root, packages)
        if path.endswith(".json"):
            dest = os.path.join(out_dir, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if not os.path.exists(dest) or not os.path.samefile(path, dest):
                shutil.copyfile(path, dest)
            modules[rel] = {"json": rel}
            continue
        try:
            res = compile_source(read(path), path if path != main else os.path.relpath(path),
                                 options if path == main else None)
        except CompileError as e:
            print(e.format(), file=sys.stderr)
            return 1
        dest = out if path == main else os.path.join(out_dir, rel + ".lua")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(res.lua)
        with open(dest + ".map", "w") as f:
            json.dump(res.source_map(os.path.basename(dest)), f)
        modules[rel] = {"lua": os.path.relpath(dest, out_dir), "lines": res.positions(), "calls": res.call_names(),
                        "format": module_format(path, fs)}
    with open(manifest_path(out), "w") as f:
        json.dump({"luascript_bundle": MANIFEST_VERSION, "main": os.path.relpath(main, root), "modules": modules,
                   "packages": packages}, f)
    return 0


def _add_packages(fs, path, root, packages):
    """The package.json files above path (up to root) that resolution may read, trimmed."""
    d = os.path.dirname(path)
    while True:
        rel = os.path.relpath(os.path.join(d, "package.json"), root)
        if rel not in packages:
            pkg = fs.package_json(os.path.join(d, "package.json"))
            if pkg is not None:
                packages[rel] = {k: pkg[k] for k in PACKAGE_FIELDS if k in pkg}
        if d == root or os.path.dirname(d) == d:
            return
        d = os.path.dirname(d)


# ---- run -------------------------------------------------------------------------------------------
class BundleFS(FileSystem):
    """The files of a bundle as the resolver sees them: paths under the bundle's folder."""

    def __init__(self, root, manifest):
        super().__init__()
        self.root = root
        self.files = set(manifest["modules"]) | set(manifest["packages"])
        self.dirs = set()
        for f in self.files:
            d = os.path.dirname(f)
            while d and d not in self.dirs:
                self.dirs.add(d)
                d = os.path.dirname(d)
        self.dirs.add("")
        self.packages = manifest["packages"]

    def _rel(self, p):
        rel = os.path.relpath(os.path.abspath(p), self.root)
        return "" if rel == "." else rel

    def isfile(self, p):
        return self._rel(p) in self.files

    def isdir(self, p):
        return self._rel(p) in self.dirs

    def package_json(self, p):
        return self.packages.get(self._rel(p))


def attach(rt, lua_path):
    """Make runtime rt load modules from the bundle whose main Lua file is lua_path; returns the
    main module's path (inside the bundle's folder) for rt.run_file."""
    out_dir = os.path.dirname(os.path.abspath(lua_path))
    with open(manifest_path(os.path.abspath(lua_path)), encoding="utf-8") as f:
        manifest = json.load(f)
    fs = BundleFS(out_dir, manifest)
    modules = manifest["modules"]

    def host_resolve(spec, from_dir, kind=None):
        from .runtime import _lua_str
        try:
            return resolve_module(_lua_str(spec), _lua_str(from_dir), _lua_str(kind) or "require", fs)
        except ResolveError as e:
            return None, e.message, e.code

    def host_load(path):
        from .runtime import _lua_str
        path = _lua_str(path)
        entry = modules[fs._rel(path)]
        with open(os.path.join(out_dir, entry["lua"]), "rb") as f:
            lua = f.read()
        calls = {int(k): v for k, v in entry.get("calls", {}).items()}
        lines = entry.get("lines")
        if manifest.get("luascript_bundle") == 1 and lines:   # lines without columns
            from .compiler import POS_COLUMNS
            lines = [n * POS_COLUMNS for n in lines]
        return rt._load_chunk(lua, path, lines, calls)

    rt.R.host_resolve = host_resolve
    rt.R.host_load = host_load
    return os.path.join(out_dir, manifest["main"])
