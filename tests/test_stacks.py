"""Error stacks name .ljs functions and positions as node prints them: `at K.m (file:line:col)`."""
import json
import os
import subprocess
import sys

FRAMES = r"""
function top() { return new Error("x").stack.split("\n")[1] }
class K {
  constructor() { this.s = new Error("c").stack.split("\n")[1] }
  m() { return new Error("m").stack.split("\n")[1] }
  static sm() { return new Error("sm").stack.split("\n")[1] }
  get g() { return new Error("g").stack.split("\n")[1] }
}
class D extends K {}
const o = { lit() { return new Error("lit").stack.split("\n")[1] } }
const arrow = () => new Error("a").stack.split("\n")[1]
function Old() { this.s = new Error("o").stack.split("\n")[1] }
const k = new K()
const lines = [top(), k.s, k.m(), K.sm(), k.g, new D().m(), o.lit(), arrow(), new Old().s,
               [1].map(() => new Error().stack.split("\n")[1])[0]]
console.log(lines.join("\n"))
"""


def frames(tmp_path, src):
    f = tmp_path / "app.ljs"
    f.write_text(src)
    r = subprocess.run([sys.executable, "-m", "luascript", "run", str(f)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.replace(str(f), "F").splitlines()


def test_frames_carry_v8s_names_lines_and_columns(tmp_path):
    # what node prints for the same file
    assert frames(tmp_path, FRAMES) == [
        "    at top (F:2:25)",
        "    at new K (F:4:28)",
        "    at K.m (F:5:16)",
        "    at K.sm (F:6:24)",
        "    at get g [as g] (F:7:20)",
        "    at D.m (F:5:16)",
        "    at Object.lit (F:10:28)",
        "    at arrow (F:11:21)",
        "    at new Old (F:12:27)",
        "    at F:15:30",
    ]


def test_a_try_block_is_no_frame_of_its_own(tmp_path):
    src = ("function thrower() { throw new Error('t') }\n"
           "function outer() {\n  try {\n    thrower()\n  } catch (e) {\n    return e.stack\n  }\n}\n"
           "console.log(outer())\n")
    # (the error's frame is where it was made, as node has it: `new Error` at 1:28)
    assert frames(tmp_path, src) == ["Error: t", "    at thrower (F:1:28)", "    at outer (F:4:5)", "    at F:9:13"]


def test_caller_frames_point_at_the_call(tmp_path):
    # the column of a caller's frame is its call's, as in node
    src = "function f() {\n  return new Error('e').stack\n}\nconst s =   f()\nconsole.log(s)\n"
    assert frames(tmp_path, src)[2] == "    at F:4:13"


def test_uncaught_error_shows_the_throw_site_with_a_caret(tmp_path):
    f = tmp_path / "app.ljs"
    f.write_text("function load(cfg) {\n  return cfg.settings.value\n}\nload({})\n")
    r = subprocess.run([sys.executable, "-m", "luascript", "run", str(f)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    assert r.stderr == ("%s:2:3\n    return cfg.settings.value\n    ^\n\n"
                        "Uncaught TypeError: Cannot read properties of undefined (reading 'value')\n"
                        "    at load (%s:2:3)\n    at %s:4:1\n" % (f, f, f))


def test_bundles_keep_columns_and_read_version_1_manifests(tmp_path):
    src = tmp_path / "app.ljs"
    src.write_text("function f() {\n  return new Error('e').stack.split('\\n')[1]\n}\nconsole.log(f())\n")
    out = tmp_path / "out" / "app.lua"
    r = subprocess.run([sys.executable, "-m", "luascript", "build", str(src), "--bundle", "-o", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr

    def run():
        r = subprocess.run([sys.executable, "-m", "luascript", "run", str(out)], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert run().endswith("app.ljs:2:10)")
    # a manifest written before columns: its plain line numbers still name lines
    from luascript.bundle import manifest_path
    from luascript.compiler import POS_COLUMNS
    mp = manifest_path(str(out))
    with open(mp) as fh:
        m = json.load(fh)
    m["luascript_bundle"] = 1
    for entry in m["modules"].values():
        entry["lines"] = [p // POS_COLUMNS for p in entry["lines"]]
    with open(mp, "w") as fh:
        json.dump(m, fh)
    assert os.path.isfile(out)
    assert run().endswith("app.ljs:2)")


def test_function_source_keeps_cr_lf_and_leaves_out_static(tmp_path):
    f = tmp_path / "app.ljs"
    f.write_bytes(b"class K {\r\n  static /* c */ m(a,\r\n    b) { return a }\r\n}\r\n"
                  b"console.log(JSON.stringify(String(K.m)))\r\n")
    r = subprocess.run([sys.executable, "-m", "luascript", "run", str(f)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == '"m(a,\\r\\n    b) { return a }"\n'
