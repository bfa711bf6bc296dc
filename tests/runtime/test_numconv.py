"""Tests for runtime/lua/ljs/numconv.lua against results recorded from node.

The expectations live in numconv_cases.json, produced by
gen_numconv_cases.js (run it with node to regenerate); node is not needed
to run these tests.
"""

import json
import math
import pathlib
import struct

import pytest
from lupa import luajit21

REPO = pathlib.Path(__file__).resolve().parents[2]
CASES = json.loads((pathlib.Path(__file__).parent / "numconv_cases.json").read_text("utf-8"))["cases"]


def num(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def bits(x):
    return struct.pack(">d", x).hex()


def same_number(got_hex, want_hex):
    if math.isnan(num(want_hex)):
        return math.isnan(num(got_hex))
    return got_hex == want_hex


def new_runtime():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    return lua


# lupa hands integral Lua numbers to Python as ints, which loses -0, so
# number results cross over as bit patterns.
HEX_WRAPPER = """
local N = require("ljs.numconv")
local ffi, bit = require("ffi"), require("bit")
local u = ffi.new("union { double d; uint32_t w[2]; }")
local hi, lo = 1, 0
if not ffi.abi("le") then hi, lo = 0, 1 end
local function hex(x) u.d = x; return bit.tohex(u.w[hi]) .. bit.tohex(u.w[lo]) end
local W = setmetatable({}, { __index = N })
for _, k in ipairs({ "strtonum", "parseFloat", "parseInt" }) do
  local f = N[k]
  W[k] = function(...) return hex(f(...)) end
end
return W
"""


@pytest.fixture(scope="module")
def N():
    return new_runtime().execute(HEX_WRAPPER)


def check(cases, fn):
    bad = []
    for case in cases:
        msg = fn(*case)
        if msg:
            bad.append(msg)
    assert not bad, f"{len(bad)} of {len(cases)} mismatches, first ones:\n" + "\n".join(bad[:25])


def test_module_is_pure():
    lua = new_runtime()
    leaked = lua.execute(
        """
        local before = {}
        for k in pairs(_G) do before[k] = true end
        require("ljs.numconv")
        local new = {}
        for k in pairs(_G) do if not before[k] then new[#new + 1] = tostring(k) end end
        return table.concat(new, ",")
        """
    )
    assert leaked == ""


def test_tostring(N):
    def one(h, want):
        got = N.tostring(num(h))
        if got != want:
            return f"tostring({h} ~ {num(h)!r}): got {got!r}, want {want!r}"

    check(CASES["tostring"], one)


def test_tostring_without_ffi():
    # Hosts without strtod_l use tonumber for the round-trip checks.
    lua = new_runtime()
    N = lua.execute(
        """
        package.loaded.ffi = nil
        package.preload.ffi = function() error("ffi disabled for this test") end
        return require("ljs.numconv")
        """
    )

    def one(h, want):
        got = N.tostring(num(h))
        if got != want:
            return f"tostring({h} ~ {num(h)!r}): got {got!r}, want {want!r}"

    check(CASES["tostring"], one)
    assert N.toExponential(2.0 ** -24) == "5.960464477539063e-8"


def test_toradix(N):
    def one(h, radix, want):
        got = N.toradix(num(h), radix)
        if got != want:
            return f"toradix({num(h)!r}, {radix}): got {got!r}, want {want!r}"

    check(CASES["toradix"], one)


@pytest.mark.parametrize("method", ["toFixed", "toPrecision", "toExponential"])
def test_formatting_methods(N, method):
    f = N[method]

    def one(h, digits, want):
        got = f(num(h), digits)
        if got != want:
            return f"{method}({num(h)!r} [{h}], {digits}): got {got!r}, want {want!r}"

    check(CASES[method], one)


@pytest.mark.parametrize("fname", ["strtonum", "parseFloat"])
def test_string_to_number(N, fname):
    f = N[fname]

    def one(s, want):
        got = f(s)
        if not same_number(got, want):
            return (f"{fname}({s[:60]!r}{'...' if len(s) > 60 else ''}): "
                    f"got {num(got)!r} [{got}], want {num(want)!r} [{want}]")

    check(CASES[fname], one)


def test_parseInt(N):
    def one(s, radix, want):
        got = N.parseInt(s, radix)
        if not same_number(got, want):
            return f"parseInt({s[:60]!r}, {radix}): got {num(got)!r} [{got}], want {num(want)!r} [{want}]"

    check(CASES["parseInt"], one)


# Spot checks from the module's specification, readable on their own.
@pytest.mark.parametrize(
    "expr, want",
    [
        ("N.tostring(0.1 + 0.2)", "0.30000000000000004"),
        ("N.tostring(-0.0)", "0"),
        ("N.tostring(1e21)", "1e+21"),
        ("N.tostring(123456789012345680000)", "123456789012345680000"),
        ("N.tostring(0.000001)", "0.000001"),
        ("N.tostring(1.5e-7)", "1.5e-7"),
        ("N.tostring(-1e-7)", "-1e-7"),
        ("N.tostring(5e-324)", "5e-324"),
        ("N.tostring(1.7976931348623157e308)", "1.7976931348623157e+308"),
        ("N.tostring(2^53)", "9007199254740992"),
        ("N.tostring(-2^63)", "-9223372036854776000"),
        ("N.tostring(0/0)", "NaN"),
        ("N.tostring(-1/0)", "-Infinity"),
        ("N.toradix(0.5, 2)", "0.1"),
        ("N.toradix(255, 16)", "ff"),
        ("N.toradix(-255, 36)", "-73"),
        ("N.toradix(0.1, 3)", "0.0022002200220022002200220022002201"),
        ("N.toFixed(2.5, 0)", "3"),
        ("N.toFixed(1.005, 2)", "1.00"),
        ("N.toFixed(1.45, 1)", "1.4"),
        ("N.toFixed(-0.0, 2)", "0.00"),
        ("N.toFixed(-0.001, 2)", "-0.00"),
        ("N.toFixed(1e21, 2)", "1e+21"),
        # exact ties round up, where "%.2f" rounds to even; tiny numbers, which LuaJIT's %f misprints
        ("N.toFixed(0.125, 2)", "0.13"),
        ("N.toFixed(0.5, 0)", "1"),
        ("N.toFixed(8.345, 2)", "8.35"),
        ("N.toFixed(1e-279, 4)", "0.0000"),
        ("N.toFixed(5e-324, 1)", "0.0"),
        ("N.toFixed(1234.5678, 20)", "1234.56780000000003383320"),
        ("N.toPrecision(123.456, 2)", "1.2e+2"),
        ("N.toPrecision(0.00001, 1)", "0.00001"),
        ("N.toPrecision(1e-7, 1)", "1e-7"),
        ("N.toExponential(25, 0)", "3e+1"),
        ("N.toExponential(123456)", "1.23456e+5"),
        ("N.toExponential(0)", "0e+0"),
    ],
)
def test_examples(expr, want):
    lua = new_runtime()
    lua.execute('N = require("ljs.numconv")')
    assert lua.eval(expr) == want


def test_negative_zero_results(N):
    for call in (lambda: N.strtonum("-0"), lambda: N.parseFloat("-0"), lambda: N.parseInt("-0"),
                 lambda: N.strtonum(" -0.000 "), lambda: N.parseInt("-0", 16)):
        assert call() == bits(-0.0)


def test_tostring_round_trips_random_doubles():
    # Self-consistency over many more doubles than the node cases hold:
    # every finite double must print to digits that read back to itself.
    lua = new_runtime()
    bad = lua.execute(
        """
        local N = require("ljs.numconv")
        local ffi = require("ffi")
        local u = ffi.new("union { double d; uint32_t w[2]; }")
        local seed = 12345
        local function r32()
          seed = (seed * 1103515245 + 12345) % 2147483648
          local a = seed
          seed = (seed * 1103515245 + 12345) % 2147483648
          return (a * 65536 + seed) % 4294967296
        end
        local bad = 0
        for i = 1, 100000 do
          u.w[0] = r32(); u.w[1] = r32()
          local x = u.d
          if x == x and x ~= 1/0 and x ~= -1/0 then
            local s = N.tostring(x)
            if N.strtonum(s) ~= x or tonumber(s) ~= x then bad = bad + 1 end
          end
        end
        return bad
        """
    )
    assert bad == 0
