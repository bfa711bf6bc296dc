"""Real npm packages, unmodified: install the pinned versions of tests/npm/packages.json with npm,
run each driver script (tests/npm/*.js, *.mjs) with `luascript run` beside their node_modules, and
compare its stdout with node's (tests/npm/expected/NAME.out, made by tests/npm/gen_expected.py).

The install is cached in pytest's cache folder, keyed by packages.json, so only the first run needs
the registry; without npm, or when the install fails (no network), the tests skip and say why.
"""
import difflib
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NPM_DIR = HERE / "npm"
ROOT = HERE.parent
DRIVERS = sorted(p.name for p in NPM_DIR.iterdir() if p.suffix in (".js", ".mjs"))

sys.path.insert(0, str(NPM_DIR))
from gen_expected import install  # noqa: E402


def _env(cache):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["LUASCRIPT_CACHE"] = str(cache)
    return env


@pytest.fixture(scope="module")
def packages(request, tmp_path_factory):
    """The folder holding node_modules with the pinned packages (installed once, then reused)."""
    spec = (NPM_DIR / "packages.json").read_bytes()
    key = hashlib.sha256(spec).hexdigest()[:16]
    cache = getattr(request.config, "cache", None)   # absent under -p no:cacheprovider
    d = Path(cache.mkdir("luascript-npm-" + key)) if cache is not None else tmp_path_factory.mktemp("npm")
    marker = d / ".installed"
    if not marker.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: the npm package tests need it to install the pinned packages")
        err = install(d)
        if err:
            pytest.skip("installing the pinned npm packages failed (%s)" % err)
        marker.write_text(key)
    return d


def run(packages, name):
    shutil.copy(NPM_DIR / name, packages / name)
    return subprocess.run([sys.executable, "-m", "luascript", "run", name], cwd=packages, capture_output=True,
                          timeout=120, env=_env(packages / "compile-cache"))


@pytest.mark.parametrize("name", DRIVERS)
def test_package_driver_matches_node(packages, name):
    r = run(packages, name)
    expected = (NPM_DIR / "expected" / (Path(name).stem + ".out")).read_bytes().decode()
    out = r.stdout.decode("utf-8", "backslashreplace")
    err = r.stderr.decode("utf-8", "backslashreplace")
    assert r.returncode == 0, "exit %d\n%s" % (r.returncode, err[-3000:])
    if out != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), out.splitlines(True), "node", "luascript"))
        pytest.fail("output differs from node's:\n" + diff[:6000] + ("\nstderr:\n" + err[-2000:] if err else ""))


def test_bundle_of_packages_runs_without_the_sources(packages, tmp_path):
    """build --bundle carries every module the app reaches (CommonJS and ES modules, JSON, node_modules
    packages through both exports conditions, a dynamic import()); the output runs from elsewhere."""
    app = packages / "bundle_app"
    (app / "src").mkdir(parents=True, exist_ok=True)
    (app / "package.json").write_text('{"name": "bundle-app"}')
    (app / "src" / "main.js").write_text(
        'const lib = require("./lib.mjs");\nconst semver = require("semver");\nconst pkg = require("../package.json");\n'
        'console.log(lib.render("a: [1, 2]"), semver.satisfies("1.2.3", "^1.0.0"), pkg.name, '
        'require.resolve("semver").endsWith("/node_modules/semver/index.js"));\n'
        'import("ms").then((m) => console.log(m.default("2h")));\n')
    (app / "src" / "lib.mjs").write_text(
        'import * as yaml from "js-yaml";\nimport { marked } from "marked";\n'
        'export function render(s) { return JSON.stringify(yaml.load(s)) + " " + marked.parseInline("*x*"); }\n')
    out = tmp_path / "dist"
    env = _env(packages / "compile-cache")
    r = subprocess.run([sys.executable, "-m", "luascript", "build", str(app / "src" / "main.js"), "--bundle",
                        "-o", str(out / "app.lua")], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    assert (out / "node_modules" / "semver" / "index.js.lua").is_file()
    assert (out / "node_modules" / "js-yaml" / "dist" / "js-yaml.mjs.lua").is_file()   # the "import" condition
    assert not (out / "node_modules" / "lodash").exists()                              # not reached
    moved = tmp_path / "elsewhere"
    shutil.move(str(out), str(moved))
    r = subprocess.run([sys.executable, "-m", "luascript", "run", str(moved / "app.lua")], capture_output=True,
                       text=True, timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == '{"a":[1,2]} <em>x</em> true bundle-app true\n7200000\n'


def test_chunks_past_lua_limits_are_compiled_tight(tmp_path):
    """Bundled libraries exceed Lua's limits (60 upvalues per closure, 200 locals per function): a
    closure calling 80 functions of its factory, and 300 object shapes in one module."""
    fns = "\n".join("  function f%d() { return %d; }" % (i, i) for i in range(80))
    calls = " + ".join("f%d()" % i for i in range(80))
    objs = ", ".join("{%s}" % ", ".join("k%d_%d: %d" % (i, j, j) for j in range(i % 5 + 1)) for i in range(300))
    params = ", ".join("a%d" % i for i in range(20))   # past the 16 locals of a tight function
    src = tmp_path / "big.js"
    src.write_text("(function () {\n%s\n  var all = function () { return %s; };\n  var objs = [%s];\n"
                   "  function many(%s) { var s = a0 + a19; return s; }\n"
                   "  console.log(all(), objs.length, Object.keys(objs[299]).join(), many(%s));\n})();\n"
                   % (fns, calls, objs, params, ", ".join(str(i + 1) for i in range(20))))
    r = subprocess.run([sys.executable, "-m", "luascript", "run", "--no-cache", str(src)], capture_output=True,
                       text=True, timeout=120, env=_env(tmp_path / "cache"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "3160 300 k299_0,k299_1,k299_2,k299_3,k299_4 21\n"
