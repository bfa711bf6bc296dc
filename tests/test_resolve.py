"""Module resolution (luascript/resolve.py) on package trees made here, and the module objects of
the runtime (require.resolve, module, cycles, JSON, missing core modules). The expected values are
node 20's answers for the same trees."""
import io
import json
import os

import pytest

from luascript.resolve import ResolveError, module_format, resolve_module


def tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(text) if isinstance(text, (dict, list)) else text)
    return root


@pytest.fixture
def proj(tmp_path):
    return tree(tmp_path, {
        "app/src/main.js": "",
        "app/src/data.json": {},
        "app/src/dir/index.js": "",
        "app/package.json": {"name": "app", "exports": {".": "./src/main.js", "./data": "./src/data.json"},
                             "imports": {"#util": {"node": "./src/dir/index.js"}, "#dep": "plain",
                                         "#int/*": "./src/*.js"}},
        "app/node_modules/plain/package.json": {"main": "lib/entry"},
        "app/node_modules/plain/lib/entry.js": "",
        "app/node_modules/plain/other.json": {},
        "app/node_modules/noindex/index.js": "",
        "app/node_modules/@scope/pkg/package.json": {"exports": {
            ".": {"import": "./esm/index.mjs", "require": "./cjs/index.cjs"},
            "./feature": {"node": {"import": "./esm/feature.mjs", "default": "./cjs/feature.js"}, "default": "./x.js"},
            "./sub/*": "./lib/sub/*.js",
            "./sub/*.js": "./lib/sub/*.js",
            "./sub/private/*": None,
            "./arr": [{"worker": "./nope.js"}, "./cjs/index.cjs"],
            "./package.json": "./package.json"}},
        "app/node_modules/@scope/pkg/esm/index.mjs": "",
        "app/node_modules/@scope/pkg/esm/feature.mjs": "",
        "app/node_modules/@scope/pkg/cjs/index.cjs": "",
        "app/node_modules/@scope/pkg/cjs/feature.js": "",
        "app/node_modules/@scope/pkg/lib/sub/a.js": "",
        "app/node_modules/@scope/pkg/lib/sub/private/b.js": "",
        "app/node_modules/sugar/package.json": {"exports": "./main.js", "type": "module"},
        "app/node_modules/sugar/main.js": "",
        "app/node_modules/sugar/node_modules/inner/index.js": "",
        "node_modules/up/index.js": "",
    })


def r(proj, spec, kind="require", frm="app/src"):
    return os.path.relpath(resolve_module(spec, str(proj / frm), kind), str(proj))


def code_of(proj, spec, kind="require", frm="app/src"):
    with pytest.raises(ResolveError) as e:
        resolve_module(spec, str(proj / frm), kind)
    return e.value.code


def test_relative_files_directories_and_json(proj):
    assert r(proj, "./main") == "app/src/main.js"
    assert r(proj, "./data") == "app/src/data.json"
    assert r(proj, "./dir") == "app/src/dir/index.js"
    assert r(proj, "../src/dir/index.js") == "app/src/dir/index.js"
    assert code_of(proj, "./missing") == "MODULE_NOT_FOUND"


def test_main_index_and_node_modules_up_the_tree(proj):
    assert r(proj, "plain") == "app/node_modules/plain/lib/entry.js"
    assert r(proj, "plain/other") == "app/node_modules/plain/other.json"   # no exports: any file
    assert r(proj, "noindex") == "app/node_modules/noindex/index.js"
    assert r(proj, "up") == "node_modules/up/index.js"
    # a package's own node_modules comes first for its files
    assert r(proj, "inner", frm="app/node_modules/sugar") == "app/node_modules/sugar/node_modules/inner/index.js"
    assert code_of(proj, "inner") == "MODULE_NOT_FOUND"
    assert code_of(proj, "nothing-here") == "MODULE_NOT_FOUND"


def test_exports_conditions_follow_require_or_import(proj):
    assert r(proj, "@scope/pkg") == "app/node_modules/@scope/pkg/cjs/index.cjs"
    assert r(proj, "@scope/pkg", "import") == "app/node_modules/@scope/pkg/esm/index.mjs"
    # nested conditions: node -> import / default
    assert r(proj, "@scope/pkg/feature", "import") == "app/node_modules/@scope/pkg/esm/feature.mjs"
    assert r(proj, "@scope/pkg/feature") == "app/node_modules/@scope/pkg/cjs/feature.js"
    # an array takes the first target whose conditions match
    assert r(proj, "@scope/pkg/arr") == "app/node_modules/@scope/pkg/cjs/index.cjs"
    assert r(proj, "sugar") == "app/node_modules/sugar/main.js"


def test_exports_patterns_null_targets_and_unexported_paths(proj):
    assert r(proj, "@scope/pkg/sub/a") == "app/node_modules/@scope/pkg/lib/sub/a.js"
    assert r(proj, "@scope/pkg/sub/a.js") == "app/node_modules/@scope/pkg/lib/sub/a.js"   # the longer key wins
    assert code_of(proj, "@scope/pkg/sub/private/b") == "ERR_PACKAGE_PATH_NOT_EXPORTED"
    assert code_of(proj, "@scope/pkg/lib/sub/a.js") == "ERR_PACKAGE_PATH_NOT_EXPORTED"
    assert code_of(proj, "sugar/main.js") == "ERR_PACKAGE_PATH_NOT_EXPORTED"
    assert code_of(proj, "@scope/pkg/sub/missing") == "MODULE_NOT_FOUND"
    with pytest.raises(ResolveError) as e:
        resolve_module("@scope/pkg/nope", str(proj / "app/src"))
    assert e.value.message.startswith("Package subpath './nope' is not defined by \"exports\" in ")


def test_imports_and_self_reference(proj):
    assert r(proj, "#util") == "app/src/dir/index.js"
    assert r(proj, "#dep") == "app/node_modules/plain/lib/entry.js"
    assert r(proj, "#int/main") == "app/src/main.js"
    assert code_of(proj, "#nope") == "ERR_PACKAGE_IMPORT_NOT_DEFINED"
    assert r(proj, "app") == "app/src/main.js"
    assert r(proj, "app/data") == "app/src/data.json"


def test_module_format(proj):
    assert module_format(str(proj / "app/node_modules/sugar/main.js")) == "esm"
    assert module_format(str(proj / "app/node_modules/plain/lib/entry.js")) == "cjs"
    assert module_format(str(proj / "app/node_modules/@scope/pkg/esm/index.mjs")) == "esm"
    assert module_format(str(proj / "app/src/data.json")) == "json"


# ---- the runtime's module objects ---------------------------------------------------------------
MAIN = r"""
const a = require("./a");
const path = require("path");
console.log("main sees", a.done, a.fromB);
console.log(Object.keys(module).join(), module.id, module.parent, require.main === module, module.loaded);
console.log(module.children.map((m) => path.basename(m.id)).join(), module.paths[0] === __dirname + "/node_modules");
console.log(path.basename(__filename), __dirname === module.path, typeof require.cache[__filename]);
console.log(path.relative(__dirname, require.resolve("pkg")), require.resolve("fs"), require.resolve.paths("fs"));
console.log(require("./data.json").list[1], require("./data.json") === require("./data"));
try { require("./nope"); } catch (e) { console.log(e.code, e.message.split("\n")[0], e.requireStack.length); }
try { require("pkg/hidden"); } catch (e) { console.log(e.code); }
let threw = 0;
for (let i = 0; i < 2; i++) { try { require("./boom"); } catch (e) { threw += e.message === "boom" ? 1 : 0; } }
console.log("boom threw", threw, "times");
try { const w = require("worker_threads"); new w.Worker("./a.js"); } catch (e) { console.log(/worker_threads/.test(e.message)); }
try { require("node:nonesuch"); } catch (e) { console.log(e.code); }
"""
A = 'exports.done = false;\nconst b = require("./b");\nexports.fromB = b.sawA;\nexports.done = true;\n' \
    'console.log("a parent", require("path").basename(module.parent.id), module.loaded);\n'
B = 'const a = require("./a");\nexports.sawA = JSON.stringify(a);\n'


# node's output, plus the line for worker_threads, which node runs (LuaScript names it in an Error)
EXPECTED = [
    "a parent . false",
    'main sees true {"done":false}',
    "id,path,exports,filename,loaded,children,paths . null true false",
    "a.js true",
    "main.js true object",
    "node_modules/pkg/i.js fs null",
    "2 true",
    "MODULE_NOT_FOUND Cannot find module './nope' 1",
    "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "boom threw 2 times",
    "true",
    "ERR_UNKNOWN_BUILTIN_MODULE",
]


def test_module_objects_cycles_json_and_missing_core_modules(tmp_path):
    tree(tmp_path, {"main.js": MAIN, "a.js": A, "b.js": B, "data.json": {"list": [1, 2]}, "boom.js": "throw new Error('boom');",
                    "node_modules/pkg/package.json": {"exports": {".": "./i.js"}}, "node_modules/pkg/i.js": ""})
    from luascript import Runtime
    out = io.StringIO()
    Runtime(stdout=out, use_cache=False).run_file(str(tmp_path / "main.js"))
    assert out.getvalue().splitlines() == EXPECTED


def test_bundle_runs_without_the_sources(tmp_path):
    """build --bundle of the program above: the same output from a copy that has no sources."""
    import shutil
    import subprocess
    import sys
    src = tmp_path / "src"
    tree(src, {"main.js": MAIN, "a.js": A, "b.js": B, "data.json": {"list": [1, 2]}, "boom.js": "throw new Error('boom');",
               "node_modules/pkg/package.json": {"exports": {".": "./i.js"}}, "node_modules/pkg/i.js": ""})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root, LUASCRIPT_CACHE=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, "-m", "luascript", "build", str(src / "main.js"), "--bundle", "-o",
                        str(tmp_path / "out" / "main.lua")], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    # the specifiers that cannot resolve are reported, not fatal
    assert "Cannot find module './nope'" in r.stderr and "'./hidden' is not defined by \"exports\"" in r.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["a.js.lua", "a.js.lua.map", "b.js.lua", "b.js.lua.map", "boom.js.lua",
                                                   "boom.js.lua.map", "data.json", "main.bundle.json", "main.lua",
                                                   "main.lua.map", "node_modules"]
    shutil.rmtree(src)
    r = subprocess.run([sys.executable, "-m", "luascript", "run", str(tmp_path / "out" / "main.lua")],
                       capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == EXPECTED
