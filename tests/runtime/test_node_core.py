"""Tests for node's core modules buffer, string_decoder, url, querystring, fs, os and process
(runtime/lua/ljs/node_*.lua, luascript/nodefs.py).

The programs in tests/node_core run through `luascript run` in an empty directory; their stdout,
stderr and exit status are compared with what node 20 printed for them, written beside each
program by tests/node_core/gen_expected.py (so node is not needed here). A program NAME.js with a
file NAME.stdin beside it reads that file as its standard input (a file, not a pipe: node reads
a file in chunks of 64 KiB, so chunk boundaries are the same every run); the others get an empty
one. The other tests check
what node cannot be the reference for: modules LuaScript does not provide, the environment the
host passes, the sandbox list, and the embedding.
"""
import ctypes.util
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import luascript

PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "node_core"
PROGRAMS = sorted(p.name for p in PROGRAMS_DIR.iterdir() if p.suffix in (".js", ".mjs"))


def run_luascript(cwd, name, env=None, stdin=None):
    """stdin: a file to read standard input from (default: an empty one)."""
    with open(stdin, "rb") if stdin is not None else open(os.devnull, "rb") as inp:
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from luascript.cli import main; sys.exit(main())", "run", name],
            capture_output=True, text=True, timeout=120, cwd=str(cwd), env=env, stdin=inp)
    return proc.returncode, proc.stdout, proc.stderr


def expected(name, suffix, default=""):
    p = PROGRAMS_DIR / (Path(name).stem + suffix)
    return p.read_text(encoding="utf-8") if p.exists() else default


# programs that need a system library LuaScript loads only where it exists
NEEDS_LIBRARIES = {"zlib_brotli.js": ("brotlienc", "brotlidec")}


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_node(tmp_path, name):
    missing = [lib for lib in NEEDS_LIBRARIES.get(name, ()) if ctypes.util.find_library(lib) is None]
    if missing:
        pytest.skip("no system library %s" % ", ".join(missing))
    shutil.copy(PROGRAMS_DIR / name, tmp_path)
    stdin = PROGRAMS_DIR / (Path(name).stem + ".stdin")
    rc, out, err = run_luascript(tmp_path, name, stdin=stdin if stdin.exists() else None)
    assert out == expected(name, ".expected")
    assert re.sub(r"\(node:\d+\)", "(node:PID)", err) == expected(name, ".stderr")
    assert rc == int(expected(name, ".exitcode", "0"))


def test_unavailable_modules_fail_where_used(tmp_path):
    # a module LuaScript lacks still loads (packages often require one for a code path they never
    # take); calling into it fails there, naming the module and the function
    (tmp_path / "prog.js").write_text(
        "function later() { return require('net').createServer(); }\n"
        "console.log('loaded', typeof later);\n"
        "for (const n of ['node:http', 'tls', 'net', 'worker_threads', 'dgram']) {\n"
        "  console.log(n, typeof require(n));\n"
        "}\n"
        "try { require('http').request('http://localhost/'); } catch (e) { console.log(e.name, e.code, e.message); }\n"
        "later();\n")
    rc, out, err = run_luascript(tmp_path, "prog.js")
    assert out.splitlines() == [
        "loaded function",
        "node:http object", "tls object", "net object", "worker_threads object", "dgram object",
        "Error ERR_LUASCRIPT_UNSUPPORTED LuaScript does not provide node's 'http' module (http.request was called)",
    ]
    assert rc == 1
    assert "LuaScript does not provide node's 'net' module (net.createServer was called)" in err
    assert "prog.js:" in err
    assert "Traceback" not in err


def test_unavailable_es_import_fails_where_used(tmp_path):
    (tmp_path / "main.mjs").write_text("import './first.mjs';\nimport './uses.mjs';\nconsole.log('main');\n")
    (tmp_path / "first.mjs").write_text("console.log('first ran');\n")
    (tmp_path / "uses.mjs").write_text("import { Worker } from 'node:worker_threads';\nconsole.log(typeof Worker);\nnew Worker('./w.js');\n")
    rc, out, err = run_luascript(tmp_path, "main.mjs")
    assert out == "first ran\nfunction\n"
    assert rc == 1
    assert "LuaScript does not provide node's 'worker_threads' module (worker_threads.Worker was called)" in err


def test_process_env_is_the_real_environment(tmp_path):
    (tmp_path / "prog.js").write_text(
        "console.log(process.env.LUASCRIPT_TEST_A, process.env.LUASCRIPT_TEST_B, process.env.LUASCRIPT_TEST_MISSING);\n"
        "const keys = Object.keys(process.env).filter((k) => k.startsWith('LUASCRIPT_TEST_'));\n"
        "console.log(keys.join(','));\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUASCRIPT_TEST_")}
    env["LUASCRIPT_TEST_A"] = "alpha"
    env["LUASCRIPT_TEST_B"] = "é β = x"
    rc, out, err = run_luascript(tmp_path, "prog.js", env=env)
    assert (rc, err) == (0, "")
    assert out == "alpha é β = x undefined\nLUASCRIPT_TEST_A,LUASCRIPT_TEST_B\n"


def test_unsafe_module_list():
    rt = luascript.Runtime(stdout=io.StringIO())
    unsafe = rt.eval("1")  # the runtime is up (ljs.nodelib, which holds the list, loads on first use)
    assert unsafe == 1
    names = set(rt.lua.eval('(function() local t = {} for i, v in ipairs((require("ljs.nodelib")).unsafe_modules) do t[i] = v end return table.concat(t, ",") end)()').split(","))
    assert {"fs", "fs/promises", "child_process", "os", "process.env"} <= names


def test_embedded_runtime_fs_and_buffer(tmp_path):
    out = io.StringIO()
    rt = luascript.Runtime(stdout=out, stderr=out)
    target = str(tmp_path / "emb.bin")
    rt.set("target", target)
    assert rt.eval("const fs = require('fs'); fs.writeFileSync(target, Buffer.from([1, 2, 250])); "
                   "[...fs.readFileSync(target)].join(',') + ' ' + fs.statSync(target).size") == "1,2,250 3"
    assert (tmp_path / "emb.bin").read_bytes() == bytes([1, 2, 250])
    assert rt.eval("Buffer.from('hello').toString('base64')") == "aGVsbG8="


def test_fs_error_is_catchable_not_a_traceback(tmp_path):
    (tmp_path / "prog.js").write_text("require('fs').readFileSync('missing.txt');\n")
    rc, out, err = run_luascript(tmp_path, "prog.js")
    assert rc == 1
    assert "ENOENT: no such file or directory, open 'missing.txt'" in err
    assert "prog.js:1" in err
    assert "Traceback" not in err


def test_stdin_from_a_pipe(tmp_path):
    # the programs above read stdin from a file (node's fs.ReadStream); from a pipe process.stdin
    # is node's net.Socket: named so, it emits 'close' after 'end', and a 'for await' loop left
    # early destroys it (the program ends without waiting for more input)
    (tmp_path / "prog.js").write_text(
        "const s = process.stdin;\n"
        "console.log(s.constructor.name, s.fd, s.isTTY);\n"
        "s.setEncoding('utf8');\n"
        "let text = '';\n"
        "s.on('data', (c) => { text += c; });\n"
        "s.on('end', () => console.log('end', JSON.stringify(text), s.readableEnded));\n"
        "s.on('close', () => console.log('close', s.destroyed));\n")
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from luascript.cli import main; sys.exit(main())", "run", "prog.js"],
        input="héllo\r\nwörld ✓".encode(), capture_output=True, timeout=120, cwd=str(tmp_path))
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout.decode() == 'Socket 0 undefined\nend "héllo\\r\\nwörld ✓" true\nclose true\n'

    (tmp_path / "first.js").write_text(
        "(async () => {\n"
        "  for await (const chunk of process.stdin) { console.log('chunk', String(chunk)); break; }\n"
        "  console.log('destroyed', process.stdin.destroyed);\n"
        "})();\n")
    p = subprocess.Popen(
        [sys.executable, "-c", "import sys; from luascript.cli import main; sys.exit(main())", "run", "first.js"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path))
    try:
        p.stdin.write(b"one\n")
        p.stdin.flush()
        rc = p.wait(timeout=60)   # stdin is still open
        out, err = p.stdout.read(), p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
        p.stdin.close()
    assert (rc, err) == (0, b"")
    assert out == b"chunk one\n\ndestroyed true\n"


def test_stdout_write_passes_bytes_through(tmp_path):
    # bytes that are no UTF-8 reach standard output as they are, as node writes them
    (tmp_path / "prog.js").write_text(
        "process.stdout.write(Buffer.from([0xff, 0x00, 0x41, 0x0a]));\n"
        "process.stdout.write(new Uint8Array([0xc3, 0x28]));\n"
        "process.stdout.write('\\u00ff', 'latin1');\n")
    proc = subprocess.run([sys.executable, "-m", "luascript", "run", "prog.js"], cwd=str(tmp_path),
                          capture_output=True, timeout=120)
    assert proc.stdout == b"\xff\x00A\n\xc3(\xff"
    assert proc.returncode == 0


def test_throwing_uncaught_exception_listener_exits_7(tmp_path):
    # node ends the program with exit code 7 when an uncaughtException listener throws
    (tmp_path / "prog.js").write_text(
        "process.on('uncaughtException', (e) => { console.log('got', e.message); throw new Error('inner'); });\n"
        "setTimeout(() => console.log('never'), 10);\n"
        "throw new Error('outer');\n")
    rc, out, err = run_luascript(tmp_path, "prog.js")
    assert (rc, out) == (7, "got outer\n")
    assert "Error: inner" in err and "prog.js:1:" in err and "Traceback" not in err
