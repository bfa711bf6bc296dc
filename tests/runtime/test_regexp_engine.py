"""Tests for runtime/lua/ljs/regexp_engine.lua.

Most expectations live in regexp_cases.json, recorded from node's RegExp by
gen_regexp_cases.js (run it with node to regenerate); node is not needed to
run these tests.  Positions there are already converted to the engine's
convention: 1-based UTF-8 byte offsets, end exclusive.  The long-subject
and API tests below compute their expectations directly.
"""

import json
import pathlib
import time

import pytest
from lupa import luajit21

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = json.loads((pathlib.Path(__file__).parent / "regexp_cases.json").read_text("utf-8"))
CASES = DATA["cases"]

# Results cross over as a flat list of numbers, -1 for "did not take part",
# so Python sees plain ints whatever lupa does with Lua numbers and tables.
WRAPPER = """
local E = require("ljs.regexp_engine")
local W = { E = E }
function W.compile(src, flags)
  local ok, prog = pcall(E.compile, src, flags)
  if ok then return prog, false end
  return nil, prog
end
function W.exec(prog, s, init, sticky)
  local a, b, caps = E.exec(prog, s, init, sticky)
  if not a then return nil end
  local out = { a, b }
  for i = 1, 2 * prog.ngroups do out[#out + 1] = caps[i] or -1 end
  return table.concat(out, ",")
end
function W.groupnames(prog)
  local t = {}
  for i = 1, prog.ngroups do t[#t + 1] = prog.groupnames[i] or "" end
  return table.concat(t, "\\0")
end
function W.names(prog)
  local t = {}
  for k, v in pairs(prog.names or {}) do t[#t + 1] = k .. "=" .. v end
  table.sort(t)
  return table.concat(t, ",")
end
return W
"""


def new_runtime():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    return lua


@pytest.fixture(scope="module", params=["vm", "generated"])
def W(request):
    """The engine with every match on its VM, or on each pattern's generated Lua
    (ljs.regexp_codegen) from the first match on."""
    w = new_runtime().execute(WRAPPER)
    w.E.set_hot(1 if request.param == "generated" else 10**9)
    return w


def b(s):
    return s.encode("utf-8")


def compile_(W, pattern, flags=""):
    prog, err = W.compile(b(pattern), b(flags))
    if prog is None:
        raise AssertionError("compile failed: %s" % err)
    return prog


def run(W, pattern, flags, subject, init=1, sticky=False):
    """Returns None or (start, end, [(s, e) | None, ...])."""
    prog = compile_(W, pattern, flags)
    r = W.exec(prog, subject if isinstance(subject, bytes) else b(subject), init, sticky)
    if r is None:
        return None
    nums = [int(x) for x in r.split(",")]
    groups = [None if nums[k] == -1 else (nums[k], nums[k + 1]) for k in range(2, len(nums), 2)]
    return nums[0], nums[1], groups


def case_id(c):
    s = "/%s/%s @%d %r" % (c["pattern"], c["flags"], c["start"], c["input"][:20])
    return s.encode("ascii", "backslashreplace").decode("ascii")


def test_case_count():
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if "error" in c) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_node_case(W, case):
    prog, err = W.compile(b(case["pattern"]), b(case["flags"]))
    if "error" in case:
        assert prog is None, "expected error %r" % case["error"]
        assert err == case["error"]
        return
    assert prog is not None, err
    got = run(W, case["pattern"], case["flags"], case["input"], case["start"], case["sticky"])
    want = case["match"]
    if want is None:
        assert got is None
        return
    assert got is not None, "expected a match"
    groups = [None if g is None else tuple(g) for g in want["groups"]]
    assert got == (want["index"], want["end"], groups)
    if want["names"]:
        names = W.groupnames(prog).split("\0")
        assert [n for n in names if n] == want["names"]


# --- API --------------------------------------------------------------------


def test_program_fields(W):
    prog = compile_(W, r"(?<year>\d{4})-(\d{2})-(?<day>\d{2})")
    assert prog.ngroups == 3
    assert W.names(prog) == "day=3,year=1"
    assert prog.groupnames[1] == "year"
    assert prog.groupnames[2] is None
    assert prog.groupnames[3] == "day"
    plain = compile_(W, "(a)(b)")
    assert plain.ngroups == 2
    assert W.names(plain) == ""


def test_exec_contract(W):
    # Match s..e-1; unset groups are false for both ends.
    assert run(W, "(x)|(y)", "", "ay") == (2, 3, [None, (2, 3)])
    # init may be #s + 1.
    assert run(W, "$", "", "abc", 4) == (4, 4, [])
    assert run(W, "a", "", "abc", 5) is None
    # Sticky only tries at init.
    assert run(W, "b", "y", "abc", 1, True) is None
    assert run(W, "b", "y", "abc", 2, True) == (2, 3, [])
    # Searching never starts inside a UTF-8 sequence, even if asked to.
    assert run(W, "", "", "\u00e9", 2) == (3, 3, [])
    assert run(W, ".", "", "\u4e2dx", 2) == (4, 5, [])


def test_error_is_plain_string(W):
    lua = new_runtime()
    ok, msg = lua.execute(
        'local E = require("ljs.regexp_engine"); return pcall(E.compile, "a(", "gi")'
    )
    assert ok is False
    assert msg == "Invalid regular expression: /a(/gi: Unterminated group"


def test_malformed_utf8_subject(W):
    # Stray bytes are single units; nothing crashes and positions stay sane.
    assert run(W, "b", "", b"\xff\xfeb") == (3, 4, [])
    assert run(W, ".+", "", b"a\xc3") == (1, 3, [])
    assert run(W, "[^a]", "", b"\x80") == (1, 2, [])


# --- long subjects ------------------------------------------------------------

N = 200_000


@pytest.mark.parametrize(
    "pattern,subject,want",
    [
        ("a*", "a" * N, (1, N + 1)),
        (".*", "x" * N, (1, N + 1)),
        ("[a-z]+", "q" * N, (1, N + 1)),
        ("\\w+?$", "w" * N, (1, N + 1)),
        ("a*?$", "a" * N, (1, N + 1)),
        ("[^\"]*", "k" * N, (1, N + 1)),
        ("(?:ab)+", "ab" * (N // 2), (1, N + 1)),
        ("^(?:a|b)*$", "ab" * (N // 2), (1, N + 1)),
        ("(?:a|b)*?c", "ab" * (N // 2) + "c", (1, N + 2)),
        ("(a|b)*c", "ab" * (N // 2) + "c", (1, N + 2)),
        ('"(?:[^"\\\\]|\\\\.)*"', '"' + "x\\\"" * (N // 3) + '"', (1, 3 * (N // 3) + 3)),
        (".*foo", "x" * N + "foo", (1, N + 4)),
        (".+", "\u65e5" * N, (1, 3 * N + 1)),
        ("(?:\\s*\\w)+", " a" * (N // 2), (1, N + 1)),
        ("(?:(?=a)a)+", "a" * N, (1, N + 1)),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_long_subject(W, pattern, subject, want):
    got = run(W, pattern, "", subject)
    assert got is not None
    assert got[:2] == want


def test_long_backreference(W):
    s = "ab" * 50_000
    assert run(W, r"((?:ab)+)-\1", "", s + "-" + s)[:2] == (1, 2 * len(s) + 2)
    assert run(W, r"(\w+)-\1", "i", "x" * N + "-" + "X" * N)[:2] == (1, 2 * N + 2)
    assert run(W, r"(?<=\1-(\w+))!", "i", "x" * N + "-" + "X" * N + "!")[:2] == (2 * N + 2, 2 * N + 3)


def test_long_lookbehind(W):
    s = "a" * N + "b"
    assert run(W, r"(?<=a+)b", "", s)[:2] == (N + 1, N + 2)
    assert run(W, r"(?<=^a*)b", "", s)[:2] == (N + 1, N + 2)


def test_search_speed(W):
    hay = "the quick brown fox " * 50_000 + "needle 12345"
    t0 = time.perf_counter()
    assert run(W, "needle", "", hay)[:2] == (len(hay) - 11, len(hay) - 5)
    assert run(W, r"\d+", "", hay)[:2] == (len(hay) - 4, len(hay) + 1)
    assert run(W, r"n[aeiou]+dle", "", hay)[:2] == (len(hay) - 11, len(hay) - 5)
    assert run(W, r"(\d)\1?2", "", hay)[:2] == (len(hay) - 4, len(hay) - 2)
    assert run(W, r"zzz", "i", hay) is None
    assert time.perf_counter() - t0 < 5.0
