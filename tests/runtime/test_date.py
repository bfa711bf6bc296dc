"""Tests for ljs.date, the Date built-in.

Each case is a JS expression evaluated through luascript.Runtime with the time zone set to UTC
(and a few with America/New_York, for daylight saving time), next to what node 20 printed for it
(`TZ=UTC node -e ...`): strings as JSON, other values with String(), thrown errors as
"throws Name: message". Node is not needed to run these tests.
"""

import io
import math
import os
import pathlib
import time

import pytest

from luascript import Runtime

# ljs.date joins rt.lua's module list separately; requiring it again is harmless.
PREAMBLE = 'require("lua:ljs.date");\n'

SHOW = """(() => {
  try {
    const v = (%s);
    return typeof v === "string" ? JSON.stringify(v) : (typeof v === "number" && Object.is(v, -0) ? "-0" : String(v));
  } catch (e) { return "throws " + e.name + ": " + e.message; }
})()"""

INSPECT_LUA = pathlib.Path(__file__).resolve().parents[2] / "runtime" / "lua" / "ljs" / "inspect.lua"


def set_tz(name):
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    time.tzset()


def make_runtime(tz):
    """A Runtime whose C library reads time zone `tz`; returns (runtime, stdout buffer, old TZ)."""
    old = os.environ.get("TZ")
    set_tz(tz)
    out = io.StringIO()
    rt = Runtime(stdout=out)
    rt.eval(PREAMBLE + "0")
    return rt, out, old


@pytest.fixture(scope="module")
def utc():
    rt, out, old = make_runtime("UTC")
    rt.out = out
    yield rt
    set_tz(old)


def js(rt, code):
    return rt.eval(PREAMBLE + code)


def show(rt, expr):
    return js(rt, SHOW % expr)


CASES = [
    # construction
    ('new Date(0).toISOString()', '"1970-01-01T00:00:00.000Z"'),
    ('new Date(1709647380123).toISOString()', '"2024-03-05T14:03:00.123Z"'),
    ('new Date(-1).toISOString()', '"1969-12-31T23:59:59.999Z"'),
    ('new Date(1.9).getTime()', '1'),
    ('new Date(-1.9).getTime()', '-1'),
    ('new Date(8.64e15).getTime()', '8640000000000000'),
    ('new Date(8.64e15 + 1).getTime()', 'NaN'),
    ('new Date(-8.64e15 - 1).getTime()', 'NaN'),
    ('new Date(NaN).getTime()', 'NaN'),
    ('new Date(Infinity).getTime()', 'NaN'),
    ('new Date(null).getTime()', '0'),
    ('new Date(undefined).getTime()', 'NaN'),
    ('new Date(true).getTime()', '1'),
    ('new Date("1e3").getTime()', 'NaN'),
    ('new Date(new Date(12345)).getTime()', '12345'),
    ('new Date({ valueOf() { return 42; } }).getTime()', '42'),
    ('new Date({ toString() { return "2024-01-01"; }, valueOf: undefined }).getTime()', '1704067200000'),
    ('new Date([2024, 1]).getTime()', '1704067200000'),
    ('new Date(2024, 0).getTime()', '1704067200000'),
    ('new Date(2024, 2, 5, 14, 3).getTime()', '1709647380000'),
    ('new Date(2024, 0, 1, 2, 3, 4, 5).toISOString()', '"2024-01-01T02:03:04.005Z"'),
    ('new Date(2024, 0, 1, 2, 3, 4, 5, 6).toISOString()', '"2024-01-01T02:03:04.005Z"'),
    ('new Date(99, 0).getFullYear()', '1999'),
    ('new Date(0, 0).toISOString()', '"1900-01-01T00:00:00.000Z"'),
    ('new Date(100, 0).toISOString()', '"0100-01-01T00:00:00.000Z"'),
    ('new Date(-1, 0).toISOString()', '"-000001-01-01T00:00:00.000Z"'),
    ('new Date(99.5, 0).getFullYear()', '1999'),
    ('new Date(-0.5, 0).getFullYear()', '1900'),
    ('new Date("2024", "2").toISOString()', '"2024-03-01T00:00:00.000Z"'),
    ('new Date(2024.9, 0.9, 1.9).toISOString()', '"2024-01-01T00:00:00.000Z"'),
    ('new Date(2024, 0, 1, 0, 0, 0, 1.9).getTime()', '1704067200001'),
    ('new Date(NaN, 0).getTime()', 'NaN'),
    ('new Date(2024, NaN).getTime()', 'NaN'),
    ('new Date(2024, 0, 1, 0, 0, 0, Infinity).getTime()', 'NaN'),
    ('new Date(1e6, 0).getTime()', 'NaN'),
    ('new Date(2024, 1e7 + 1).getTime()', 'NaN'),
    ('new Date(275760, 8, 13).getTime()', '8640000000000000'),
    ('new Date(275760, 8, 13, 0, 0, 0, 1).getTime()', 'NaN'),
    ('new Date(-271821, 3, 20).getTime()', '-8640000000000000'),
    ('new Date(-271821, 3, 19, 23, 59, 59, 999).getTime()', 'NaN'),
    ('typeof Date()', '"string"'),
    ('typeof Date(2020, 1)', '"string"'),
    ('typeof Date(0)', '"string"'),
    ('new Date() instanceof Date', 'true'),
    ('typeof new Date()', '"object"'),
    ('Object.keys(new Date(0)).length', '0'),
    ('[Date.length, Date.UTC.length, Date.parse.length, Date.now.length, Date.prototype.setHours.length, Date.prototype.setFullYear.length, Date.prototype.setUTCSeconds.length, Date.prototype.toJSON.length, Date.prototype[Symbol.toPrimitive].length].join()', '"7,7,1,0,4,3,2,1,1"'),
    ('[Date.name, Date.prototype.toGMTString.name, Date.prototype.toGMTString === Date.prototype.toUTCString, Date.prototype[Symbol.toPrimitive].name, Date.prototype.constructor === Date].join()', '"Date,toUTCString,true,[Symbol.toPrimitive],true"'),
    ('Object.getOwnPropertyDescriptor(Date.prototype, Symbol.toPrimitive).writable', 'false'),
    # overflowing fields in the constructor
    ('new Date(2024, 12, 1).toISOString()', '"2025-01-01T00:00:00.000Z"'),
    ('new Date(2024, -1, 1).toISOString()', '"2023-12-01T00:00:00.000Z"'),
    ('new Date(2024, 0, 0).toISOString()', '"2023-12-31T00:00:00.000Z"'),
    ('new Date(2024, 0, 1, 24).toISOString()', '"2024-01-02T00:00:00.000Z"'),
    ('new Date(2024, 0, 1, -1).toISOString()', '"2023-12-31T23:00:00.000Z"'),
    ('new Date(2024, 0, -365).toISOString()', '"2022-12-31T00:00:00.000Z"'),
    ('new Date(2024, 0, 1, 0, 0, 0, -1).toISOString()', '"2023-12-31T23:59:59.999Z"'),
    ('new Date(2024, 1, 29).toISOString()', '"2024-02-29T00:00:00.000Z"'),
    ('new Date(2023, 1, 29).toISOString()', '"2023-03-01T00:00:00.000Z"'),
    ('new Date(1900, 1, 29).toISOString()', '"1900-03-01T00:00:00.000Z"'),
    ('new Date(2000, 1, 29).toISOString()', '"2000-02-29T00:00:00.000Z"'),
    ('new Date(2024, 0, 1, 0, 0, 86400).toISOString()', '"2024-01-02T00:00:00.000Z"'),
    ('new Date(2024, 0, 1, 0, 0, 0, 86400000 * 366).toISOString()', '"2025-01-01T00:00:00.000Z"'),
    # Date.UTC
    ('Date.UTC()', 'NaN'),
    ('Date.UTC(2024)', '1704067200000'),
    ('Date.UTC(2024, 1, 29)', '1709164800000'),
    ('Date.UTC(2023, 1, 29)', '1677628800000'),
    ('Date.UTC(99, 11, 31, 23, 59, 59, 999)', '946684799999'),
    ('Date.UTC(0, 0)', '-2208988800000'),
    ('Date.UTC(-1, 0)', '-62198755200000'),
    ('Date.UTC(2024, 0, 1, 24)', '1704153600000'),
    ('Date.UTC(2024, 13, 1)', '1738368000000'),
    ('Date.UTC(2024, -13, 1)', '1669852800000'),
    ('Date.UTC(NaN)', 'NaN'),
    ('Date.UTC(2024, 0, 1, 0, 0, 0, 0.9)', '1704067200000'),
    ('Date.UTC(275760, 8, 13, 0, 0, 0, 1)', 'NaN'),
    # leap years
    ('[1900, 2000, 2004, 2023, 2024, 2100, 2400, 0, -4, -100].map(y => new Date(Date.UTC(y, 1, 29)).getUTCDate()).join()', '"1,29,29,1,29,1,29,1,29,1"'),
    ('[2023, 2024].map(y => (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / 864e5).join()', '"365,366"'),
    # parsing
    ('Date.parse("2024-03-05")', '1709596800000'),
    ('Date.parse("2024-03")', '1709251200000'),
    ('Date.parse("2024")', '1704067200000'),
    ('Date.parse("+012345-01-01")', '327403382400000'),
    ('Date.parse("-000001-01-01T00:00:00Z")', '-62198755200000'),
    ('Date.parse("-000000-01-01")', '978307200000'),
    ('Date.parse("+275760-09-13T00:00:00.000Z")', '8640000000000000'),
    ('Date.parse("+275760-09-13T00:00:00.001Z")', 'NaN'),
    ('Date.parse("-271821-04-20T00:00:00.000Z")', '-8640000000000000'),
    ('Date.parse("-271821-04-19T23:59:59.999Z")', 'NaN'),
    ('Date.parse("2024-03-05T14:03")', '1709647380000'),
    ('Date.parse("2024-03-05T14:03:00")', '1709647380000'),
    ('Date.parse("2024-03-05T14:03:00Z")', '1709647380000'),
    ('Date.parse("2024-03-05T14:03:00.1Z")', '1709647380100'),
    ('Date.parse("2024-03-05T14:03:00.12Z")', '1709647380120'),
    ('Date.parse("2024-03-05T14:03:00.123456Z")', '1709647380123'),
    ('Date.parse("2024-01-01T00:00:00.9999999Z")', '1704067200999'),
    ('Date.parse("2024-03-05T14:03:00.000z")', '1709647380000'),
    ('Date.parse("2024-03-05t14:03:00Z")', '1709647380000'),
    ('Date.parse("2024-03-05T14:03:00-08:00")', '1709676180000'),
    ('Date.parse("2024-03-05T14:03:00+0530")', '1709627580000'),
    ('Date.parse("2024-03-05T14:03:00.5+05:30")', '1709627580500'),
    ('Date.parse("2024-03-05T14:03:00+24:00")', 'NaN'),
    ('Date.parse("2024-03-05T14:03:00.000+05")', 'NaN'),
    ('Date.parse("2024-03-05T24:00")', '1709683200000'),
    ('Date.parse("2024-03-05T24:00:01")', 'NaN'),
    ('Date.parse("2024-03-05T1:03")', 'NaN'),
    ('Date.parse("2024-03-05T14:03:00 Z")', 'NaN'),
    ('Date.parse("2024-03-05T10:00:00.000Z garbage")', 'NaN'),
    ('Date.parse("2024-03-05T14:03:00+05:30 ")', 'NaN'),
    ('Date.parse("2024-02-30")', '1709251200000'),
    ('Date.parse("2024-13-01")', 'NaN'),
    ('Date.parse("2023-02-29")', '1677628800000'),
    ('Date.parse("0000-01-01")', '-62167219200000'),
    ('Date.parse("20240305")', 'NaN'),
    ('Date.parse("2024-3-5")', '1709596800000'),
    ('Date.parse("2024/03/05")', '1709596800000'),
    ('Date.parse("2024.03.05")', '1709596800000'),
    ('Date.parse("3-5-2024")', '1709596800000'),
    ('Date.parse("  2024-03-05  ")', '1709596800000'),
    ('Date.parse("2024-03-05 14:03")', '1709647380000'),
    ('Date.parse("2024-03-05 14:03Z")', '1709647380000'),
    ('Date.parse("Tue Mar 05 2024 14:03:00 GMT+0000 (Coordinated Universal Time)")', '1709647380000'),
    ('Date.parse("Tue Mar 05 2024 14:03:00 GMT+0530 (India Standard Time)")', '1709627580000'),
    ('Date.parse("Tue, 05 Mar 2024 14:03:00 GMT")', '1709647380000'),
    ('Date.parse("Tue Mar 05 2024")', '1709596800000'),
    ('Date.parse("3/5/2024, 2:03:00 PM")', '1709647380000'),
    ('Date.parse("3/5/2024")', '1709596800000'),
    ('Date.parse("March 5")', '983750400000'),
    ('Date.parse("5 Mar 2024")', '1709596800000'),
    ('Date.parse("Tuesday, March 5, 2024")', '1709596800000'),
    ('Date.parse("December 17, 1995 03:24:00")', '819170640000'),
    ('Date.parse("Mon, 25 Dec 1995 13:30:00 +0430")', '819882000000'),
    ('Date.parse("Mon, 25 Dec 1995 13:30:00 GMT+0430")', '819882000000'),
    ('Date.parse("Thu, 01 Jan 1970 00:00:00 GMT-0400")', '14400000'),
    ('Date.parse("Mar 5 2024 10:00 PST")', '1709661600000'),
    ('Date.parse("Mar 5 2024 10:00 EDT")', '1709647200000'),
    ('Date.parse("Mar 5 2024 10:00 GMT+2")', '1709625600000'),
    ('Date.parse("Mar 5 2024 10:00 GMT-02:30")', '1709641800000'),
    ('Date.parse("Mar 5 2024 10:00 UT")', '1709632800000'),
    ('Date.parse("5 March 2024 14:03:00 UTC")', '1709647380000'),
    ('Date.parse("10:00 Mar 5 2024")', '1709632800000'),
    ('Date.parse("Jan 1, 2000 12:00 AM")', '946684800000'),
    ('Date.parse("Jan 1, 2000 12:00 PM")', '946728000000'),
    ('Date.parse("Jan 1, 2000 13:00 PM")', 'NaN'),
    ('Date.parse("1/2/2000 10:20:30.456")', '946808430456'),
    ('Date.parse("Mar 5 2024 2:3:4.5")', '1709604184500'),
    ('Date.parse("Mar 5 2024 10::")', '1709632800000'),
    ('Date.parse("Mar 5 2024 10:00:: ")', 'NaN'),
    ('Date.parse("Jan 1 2000 (comment) 10:00")', '946720800000'),
    ('Date.parse("12/31/99")', '946598400000'),
    ('Date.parse("1/1/49")', '2493072000000'),
    ('Date.parse("1/1/50")', '-631152000000'),
    ('Date.parse("99-06-01")', '928195200000'),
    ('Date.parse("1000")', '-30610224000000'),
    ('Date.parse("-1")', '978307200000'),
    ('Date.parse("foo Mar 5 2024")', '1709596800000'),
    ('Date.parse("Mar 5 2024 foo")', 'NaN'),
    ('Date.parse("2024-03-05 foo")', 'NaN'),
    ('Date.parse("Jan 32 2024")', 'NaN'),
    ('Date.parse("Jan 31 2024 25:00")', 'NaN'),
    ('Date.parse("Sat, 01 Jan -0001 00:00:00 GMT")', 'NaN'),
    ('Date.parse("12:00")', 'NaN'),
    ('Date.parse("Mar")', 'NaN'),
    ('Date.parse("")', 'NaN'),
    ('Date.parse("abc")', 'NaN'),
    ('Date.parse("Infinity")', 'NaN'),
    ('Date.parse(undefined)', 'NaN'),
    ('Date.parse(null)', 'NaN'),
    ('new Date("2024-03-05").getTime()', '1709596800000'),
    ('new Date("2024-03-05T14:03:00").getTime()', '1709647380000'),
    # round trips of node's own formats
    ('[0, 1709647380000, -62198755200000, 253402300800000, 8.64e15].map(t => Date.parse(new Date(t).toString()) === t).join()', '"true,true,false,true,true"'),
    ('[0, 1709647380000, -62198755200000, 253402300800000, 8.64e15].map(t => Date.parse(new Date(t).toUTCString()) === t).join()', '"true,true,false,true,true"'),
    ('[0, 1709647380000, -62198755200000, 253402300800000, 8.64e15].map(t => Date.parse(new Date(t).toISOString()) === t).join()', '"true,true,true,true,true"'),
    ('[0, 1709647380000, 253402300799000].map(t => Date.parse(new Date(t).toLocaleString()) === t).join()', '"true,true,true"'),
    # string forms
    ('new Date(1709647380123).toString()', '"Tue Mar 05 2024 14:03:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(1709647380123).toDateString()', '"Tue Mar 05 2024"'),
    ('new Date(1709647380123).toTimeString()', '"14:03:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(1709647380123).toUTCString()', '"Tue, 05 Mar 2024 14:03:00 GMT"'),
    ('new Date(1709647380123).toGMTString()', '"Tue, 05 Mar 2024 14:03:00 GMT"'),
    ('new Date(1709647380123).toLocaleString()', '"3/5/2024, 2:03:00 PM"'),
    ('new Date(1709647380123).toLocaleDateString()', '"3/5/2024"'),
    ('new Date(1709647380123).toLocaleTimeString()', '"2:03:00 PM"'),
    ('new Date(1709647380123).toJSON()', '"2024-03-05T14:03:00.123Z"'),
    ('JSON.stringify({ d: new Date(1709647380123) })', '"{\\"d\\":\\"2024-03-05T14:03:00.123Z\\"}"'),
    ('JSON.stringify([new Date(NaN)])', '"[null]"'),
    ('String(new Date(0))', '"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(0) + ""', '"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('`${new Date(0)}`', '"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('"x" + new Date(0)', '"xThu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(0) + 1', '"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)1"'),
    ('new Date(Date.UTC(2024, 0, 1, 0, 0, 5)).toLocaleTimeString()', '"12:00:05 AM"'),
    ('new Date(Date.UTC(2024, 0, 1, 12, 0, 5)).toLocaleTimeString()', '"12:00:05 PM"'),
    ('new Date(Date.UTC(2024, 0, 1, 23, 59, 59)).toLocaleString()', '"1/1/2024, 11:59:59 PM"'),
    ('new Date(Date.UTC(2024, 0, 1, 23, 30)).toLocaleString("en-US", { timeZone: "UTC" })', '"1/1/2024, 11:30:00 PM"'),
    ('new Date(-62198755200000).toString()', '"Fri Jan 01 -0001 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(-62198755200000).toUTCString()', '"Fri, 01 Jan -0001 00:00:00 GMT"'),
    ('new Date(-62198755200000).toISOString()', '"-000001-01-01T00:00:00.000Z"'),
    ('new Date(-62198755200000).toDateString()', '"Fri Jan 01 -0001"'),
    ('new Date(-62198755200000).toLocaleString()', '"1/1/2, 12:00:00 AM"'),
    ('new Date(Date.UTC(0, 0, 1)).toLocaleDateString()', '"1/1/1900"'),
    ('new Date(Date.UTC(-500, 5, 15)).toISOString()', '"-000500-06-15T00:00:00.000Z"'),
    ('new Date(Date.UTC(-500, 5, 15)).toString()', '"Fri Jun 15 -0500 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(8.64e15).toString()', '"Sat Sep 13 275760 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(8.64e15).toISOString()', '"+275760-09-13T00:00:00.000Z"'),
    ('new Date(-8.64e15).toISOString()', '"-271821-04-20T00:00:00.000Z"'),
    ('new Date(-8.64e15).toUTCString()', '"Tue, 20 Apr -271821 00:00:00 GMT"'),
    ('new Date(253402300799999).toISOString()', '"9999-12-31T23:59:59.999Z"'),
    ('new Date(253402300800000).toISOString()', '"+010000-01-01T00:00:00.000Z"'),
    ('new Date(253402300800000).toUTCString()', '"Sat, 01 Jan 10000 00:00:00 GMT"'),
    ('new Date(-62167219200001).toISOString()', '"-000001-12-31T23:59:59.999Z"'),
    ('new Date(-62167219200000).toISOString()', '"0000-01-01T00:00:00.000Z"'),
    ('new Date(Date.UTC(12345, 0, 1, 12)).toLocaleDateString()', '"1/1/12345"'),
    # invalid dates
    ('new Date(NaN).toString()', '"Invalid Date"'),
    ('new Date(NaN).toDateString()', '"Invalid Date"'),
    ('new Date(NaN).toTimeString()', '"Invalid Date"'),
    ('new Date(NaN).toUTCString()', '"Invalid Date"'),
    ('new Date(NaN).toLocaleString()', '"Invalid Date"'),
    ('new Date(NaN).toLocaleDateString()', '"Invalid Date"'),
    ('new Date(NaN).toLocaleTimeString()', '"Invalid Date"'),
    ('new Date(NaN).toISOString()', 'throws RangeError: Invalid time value'),
    ('new Date(NaN).toJSON()', 'null'),
    ('new Date("garbage").getTime()', 'NaN'),
    ('String(new Date("garbage"))', '"Invalid Date"'),
    ('isNaN(new Date("garbage"))', 'true'),
    ('[new Date(NaN).getFullYear(), new Date(NaN).getUTCDay(), new Date(NaN).getTimezoneOffset(), new Date(NaN).getYear()].join()', '"NaN,NaN,NaN,NaN"'),
    # getters
    ('(d => [d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds(), d.getTimezoneOffset(), d.getYear()].join())(new Date(1709647380123))', '"2024,2,5,2,14,3,0,123,0,124"'),
    ('(d => [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(), d.getTime(), d.valueOf()].join())(new Date(1709647380123))', '"2024,2,5,2,14,3,0,123,1709647380123,1709647380123"'),
    ('(d => [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()].join())(new Date(-1))', '"1969,11,31,3,23,59,59,999"'),
    ('(d => [d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getYear()].join())(new Date(-62198755200000))', '"-1,0,1,5,-1901"'),
    ('(d => [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay()].join())(new Date(-8.64e15))', '"-271821,3,20,2"'),
    ('[0, 1, 2, 3, 4, 5, 6].map(i => new Date(2024, 2, 3 + i).getDay()).join()', '"0,1,2,3,4,5,6"'),
    # setters with overflow (base: 2024-01-31T10:20:30.400Z)
    ('(d => [d.setMilliseconds(1500), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706696431500 2024-01-31T10:20:31.500Z"'),
    ('(d => [d.setMilliseconds(-1), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706696429999 2024-01-31T10:20:29.999Z"'),
    ('(d => [d.setSeconds(75), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706696475400 2024-01-31T10:21:15.400Z"'),
    ('(d => [d.setSeconds(10, 2000), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706696412000 2024-01-31T10:20:12.000Z"'),
    ('(d => [d.setMinutes(-30), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706693430400 2024-01-31T09:30:30.400Z"'),
    ('(d => [d.setMinutes(10, 20, 30), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706695820030 2024-01-31T10:10:20.030Z"'),
    ('(d => [d.setHours(48), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706833230400 2024-02-02T00:20:30.400Z"'),
    ('(d => [d.setHours(1, 2, 3, 4), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706662923004 2024-01-31T01:02:03.004Z"'),
    ('(d => [d.setHours(-1), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706656830400 2024-01-30T23:20:30.400Z"'),
    ('(d => [d.setDate(0), d.toISOString()].join(" "))(new Date(1706696430400))', '"1704018030400 2023-12-31T10:20:30.400Z"'),
    ('(d => [d.setDate(32), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706782830400 2024-02-01T10:20:30.400Z"'),
    ('(d => [d.setDate(-400), d.toISOString()].join(" "))(new Date(1706696430400))', '"1669458030400 2022-11-26T10:20:30.400Z"'),
    ('(d => [d.setMonth(12), d.toISOString()].join(" "))(new Date(1706696430400))', '"1738318830400 2025-01-31T10:20:30.400Z"'),
    ('(d => [d.setMonth(-13), d.toISOString()].join(" "))(new Date(1706696430400))', '"1672482030400 2022-12-31T10:20:30.400Z"'),
    ('(d => [d.setMonth(1), d.toISOString()].join(" "))(new Date(1706696430400))', '"1709374830400 2024-03-02T10:20:30.400Z"'),
    ('(d => [d.setMonth(1, 30), d.toISOString()].join(" "))(new Date(1706696430400))', '"1709288430400 2024-03-01T10:20:30.400Z"'),
    ('(d => [d.setFullYear(2023), d.toISOString()].join(" "))(new Date(1709164800000))', '"1677628800000 2023-03-01T00:00:00.000Z"'),
    ('(d => [d.setFullYear(2023, 1), d.toISOString()].join(" "))(new Date(1706696430400))', '"1677838830400 2023-03-03T10:20:30.400Z"'),
    ('(d => [d.setFullYear(2023, 1, 29), d.toISOString()].join(" "))(new Date(1706696430400))', '"1677666030400 2023-03-01T10:20:30.400Z"'),
    ('(d => [d.setFullYear(-5), d.toISOString()].join(" "))(new Date(1706696430400))', '"-62322356369600 -000005-01-31T10:20:30.400Z"'),
    ('(d => [d.setFullYear(50), d.toISOString()].join(" "))(new Date(1706696430400))', '"-60586666769600 0050-01-31T10:20:30.400Z"'),
    ('(d => [d.setFullYear(NaN), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setFullYear(), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setUTCMilliseconds(1000), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706696431000 2024-01-31T10:20:31.000Z"'),
    ('(d => [d.setUTCSeconds(60), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706696460400 2024-01-31T10:21:00.400Z"'),
    ('(d => [d.setUTCMinutes(60, 60, 1000), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706698861000 2024-01-31T11:01:01.000Z"'),
    ('(d => [d.setUTCHours(23, 59, 59, 1000), d.toISOString()].join(" "))(new Date(1706696430400))', '"1706745600000 2024-02-01T00:00:00.000Z"'),
    ('(d => [d.setUTCDate(31), d.toISOString()].join(" "))(new Date(1709164800000))', '"1709337600000 2024-03-02T00:00:00.000Z"'),
    ('(d => [d.setUTCMonth(13, 40), d.toISOString()].join(" "))(new Date(1706696430400))', '"1741774830400 2025-03-12T10:20:30.400Z"'),
    ('(d => [d.setUTCFullYear(2000, 1, 30), d.toISOString()].join(" "))(new Date(1706696430400))', '"951906030400 2000-03-01T10:20:30.400Z"'),
    ('(d => [d.setTime(0), d.toISOString()].join(" "))(new Date(1706696430400))', '"0 1970-01-01T00:00:00.000Z"'),
    ('(d => [d.setTime("123"), d.toISOString()].join(" "))(new Date(1706696430400))', '"123 1970-01-01T00:00:00.123Z"'),
    ('(d => [d.setTime(8.64e15 + 1), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setTime(), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setYear(95), d.toISOString()].join(" "))(new Date(1706696430400))', '"791547630400 1995-01-31T10:20:30.400Z"'),
    ('(d => [d.setYear(2010), d.toISOString()].join(" "))(new Date(1706696430400))', '"1264933230400 2010-01-31T10:20:30.400Z"'),
    ('(d => [d.setYear(NaN), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setSeconds(), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setSeconds(1, undefined), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setHours(1e20), d.getTime()].join(" "))(new Date(1706696430400))', '"NaN NaN"'),
    ('(d => [d.setTime(8.64e15), d.setMilliseconds(1), d.getTime()].join(" "))(new Date(0))', '"8640000000000000 NaN NaN"'),
    # setters on an invalid date
    ('(d => [d.setMilliseconds(1), d.setHours(1), d.setDate(1), d.setMonth(1), d.setUTCDate(1), d.getTime()].join(" "))(new Date(NaN))', '"NaN NaN NaN NaN NaN NaN"'),
    ('(d => [d.setFullYear(2023), d.toISOString()].join(" "))(new Date(NaN))', '"1672531200000 2023-01-01T00:00:00.000Z"'),
    ('(d => [d.setFullYear(2023, 1), d.toISOString()].join(" "))(new Date(NaN))', '"1675209600000 2023-02-01T00:00:00.000Z"'),
    ('(d => [d.setUTCFullYear(2000, 1, 30), d.toISOString()].join(" "))(new Date(NaN))', '"951868800000 2000-03-01T00:00:00.000Z"'),
    ('(d => [d.setYear(95), d.toISOString()].join(" "))(new Date(NaN))', '"788918400000 1995-01-01T00:00:00.000Z"'),
    ('(d => [d.setTime(5), d.toISOString()].join(" "))(new Date(NaN))', '"5 1970-01-01T00:00:00.005Z"'),
    # arithmetic across months and years
    ('(() => { const d = new Date(2024, 0, 31); const r = []; for (let i = 0; i < 14; i++) { const e = new Date(d); e.setMonth(d.getMonth() + i); r.push(e.toDateString()); } return r.join("|"); })()', '"Wed Jan 31 2024|Sat Mar 02 2024|Sun Mar 31 2024|Wed May 01 2024|Fri May 31 2024|Mon Jul 01 2024|Wed Jul 31 2024|Sat Aug 31 2024|Tue Oct 01 2024|Thu Oct 31 2024|Sun Dec 01 2024|Tue Dec 31 2024|Fri Jan 31 2025|Mon Mar 03 2025"'),
    ('(() => { const d = new Date(2023, 11, 25); const r = []; for (let i = 0; i < 12; i++) { d.setDate(d.getDate() + 1); r.push(d.getDate() + "/" + d.getMonth() + "/" + d.getFullYear()); } return r.join(" "); })()', '"26/11/2023 27/11/2023 28/11/2023 29/11/2023 30/11/2023 31/11/2023 1/0/2024 2/0/2024 3/0/2024 4/0/2024 5/0/2024 6/0/2024"'),
    ('(() => { const d = new Date(2024, 1, 28, 23); d.setHours(d.getHours() + 2); return d.toISOString(); })()', '"2024-02-29T01:00:00.000Z"'),
    ('(() => { const d = new Date(2023, 1, 28, 23); d.setHours(d.getHours() + 2); return d.toISOString(); })()', '"2023-03-01T01:00:00.000Z"'),
    ('(() => { const d = new Date(2024, 11, 31, 23, 59, 59, 999); d.setMilliseconds(d.getMilliseconds() + 1); return d.toISOString(); })()', '"2025-01-01T00:00:00.000Z"'),
    ('(() => { const d = new Date(2020, 1, 29); d.setFullYear(d.getFullYear() + 1); return d.toDateString(); })()', '"Mon Mar 01 2021"'),
    ('(new Date(2025, 0, 1) - new Date(2024, 0, 1)) / 864e5', '366'),
    ('(new Date(2024, 2, 1) - new Date(2024, 1, 1)) / 864e5', '29'),
    ('new Date(new Date(2024, 0, 1).getTime() + 45 * 864e5).toISOString()', '"2024-02-15T00:00:00.000Z"'),
    ('[new Date(1) < new Date(2), new Date(2) > new Date(1), new Date(1) <= new Date(1), +new Date(5), new Date(5) == 5, new Date(5) - 0].join()', '"true,true,true,5,false,5"'),
    ('[new Date(3), new Date(1), new Date(2)].sort((a, b) => a - b).map(Number).join()', '"1,2,3"'),
    ('Math.max(new Date(3), new Date(7))', '7'),
    # toPrimitive, valueOf, toJSON
    ('new Date(0)[Symbol.toPrimitive]("default")', '"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(0)[Symbol.toPrimitive]("string")', '"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"'),
    ('new Date(0)[Symbol.toPrimitive]("number")', '0'),
    ('new Date(0)[Symbol.toPrimitive]("foo")', 'throws TypeError: Invalid hint: foo'),
    ('new Date(0)[Symbol.toPrimitive]()', 'throws TypeError: Invalid hint: undefined'),
    ('Date.prototype[Symbol.toPrimitive].call(1, "number")', 'throws TypeError: Method Date.prototype [ @@toPrimitive ] called on incompatible receiver 1'),
    ('Date.prototype[Symbol.toPrimitive].call({ valueOf() { return 7; }, toString() { return "s"; } }, "default")', '"s"'),
    ('Date.prototype[Symbol.toPrimitive].call({ valueOf() { return 7; }, toString() { return "s"; } }, "number")', '7'),
    ('Date.prototype.toJSON.call({ toISOString() { return "x"; } })', '"x"'),
    ('Date.prototype.toJSON.call({ valueOf() { return Infinity; }, toISOString() { return "y"; } })', 'null'),
    ('Date.prototype.toJSON.call(null)', 'throws TypeError: Cannot convert undefined or null to object'),
    ('Date.prototype.getTime.call({})', 'throws TypeError: this is not a Date object.'),
    ('Date.prototype.getTime()', 'throws TypeError: this is not a Date object.'),
    ('Date.prototype.toString.call(5)', 'throws TypeError: Method Date.prototype.toString called on incompatible receiver 5'),
    ('Date.prototype.setHours.call({}, 1)', 'throws TypeError: Method Date.prototype.setHours called on incompatible receiver #<Object>'),
    # subclassing and frozen dates
    ('(() => { class D extends Date { constructor() { super(2020, 0, 1); } year() { return this.getFullYear(); } } const d = new D(); return d.year() + " " + (d instanceof Date) + " " + d.getTime(); })()', '"2020 true 1577836800000"'),
    ('(() => { const d = Object.freeze(new Date(0)); d.setTime(5); return d.getTime(); })()', '5'),
]


@pytest.mark.parametrize("expr,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_utc(utc, expr, expected):
    assert show(utc, expr) == expected


NEW_YORK_CASES = [
    ('new Date(2024, 0, 15).getTimezoneOffset()', '300'),
    ('new Date(2024, 6, 15).getTimezoneOffset()', '240'),
    ('new Date(2024, 0, 15, 12).toString()', '"Mon Jan 15 2024 12:00:00 GMT-0500 (Eastern Standard Time)"'),
    ('new Date(2024, 6, 15, 12).toString()', '"Mon Jul 15 2024 12:00:00 GMT-0400 (Eastern Daylight Time)"'),
    ('new Date(2024, 6, 15, 12).toISOString()', '"2024-07-15T16:00:00.000Z"'),
    ('new Date(2024, 2, 10, 2, 30).toString()', '"Sun Mar 10 2024 03:30:00 GMT-0400 (Eastern Daylight Time)"'),
    ('new Date(2024, 2, 10, 2, 30).toISOString()', '"2024-03-10T07:30:00.000Z"'),
    ('new Date(2024, 10, 3, 1, 30).toString()', '"Sun Nov 03 2024 01:30:00 GMT-0400 (Eastern Daylight Time)"'),
    ('new Date(2024, 10, 3, 1, 30).toISOString()', '"2024-11-03T05:30:00.000Z"'),
    ('new Date(Date.UTC(2024, 10, 3, 6, 30)).toString()', '"Sun Nov 03 2024 01:30:00 GMT-0500 (Eastern Standard Time)"'),
    ('new Date(Date.UTC(2024, 2, 10, 6, 59, 59)).toString()', '"Sun Mar 10 2024 01:59:59 GMT-0500 (Eastern Standard Time)"'),
    ('new Date(Date.UTC(2024, 2, 10, 7, 0, 0)).toString()', '"Sun Mar 10 2024 03:00:00 GMT-0400 (Eastern Daylight Time)"'),
    ('Date.parse("2024-07-04T12:00:00")', '1720108800000'),
    ('Date.parse("2024-07-04")', '1720051200000'),
    ('Date.parse("7/4/2024, 12:00:00 PM")', '1720108800000'),
    ('Date.parse("Thu Jul 04 2024 12:00:00 GMT-0400 (Eastern Daylight Time)")', '1720108800000'),
    ('new Date(Date.UTC(2024, 6, 4, 16)).toLocaleString()', '"7/4/2024, 12:00:00 PM"'),
    ('new Date(Date.UTC(2024, 6, 4, 16)).toTimeString()', '"12:00:00 GMT-0400 (Eastern Daylight Time)"'),
    ('new Date(Date.UTC(2024, 6, 4, 2)).toDateString()', '"Wed Jul 03 2024"'),
    ('new Date(Date.UTC(2024, 6, 4, 2)).getDate()', '3'),
    ('new Date(Date.UTC(2024, 6, 4, 2)).getUTCDate()', '4'),
    ('(d => { d.setHours(d.getHours() + 24); return d.toString(); })(new Date(2024, 2, 9, 12))', '"Sun Mar 10 2024 12:00:00 GMT-0400 (Eastern Daylight Time)"'),
    ('(d => { d.setDate(d.getDate() + 1); return d.toString(); })(new Date(2024, 2, 9, 12))', '"Sun Mar 10 2024 12:00:00 GMT-0400 (Eastern Daylight Time)"'),
    ('(d => { d.setMonth(6); return d.toString(); })(new Date(2024, 0, 15, 12))', '"Mon Jul 15 2024 12:00:00 GMT-0400 (Eastern Daylight Time)"'),
    ('(new Date(2024, 2, 11) - new Date(2024, 2, 10)) / 36e5', '23'),
    ('(new Date(2024, 10, 4) - new Date(2024, 10, 3)) / 36e5', '25'),
    ('new Date(1800, 0, 1).toISOString()', '"1800-01-01T04:56:02.000Z"'),
    ('new Date(1800, 0, 1).getTimezoneOffset()', '296'),
    ('new Date(1800, 0, 1).toString()', '"Wed Jan 01 1800 00:00:00 GMT-0456 (Eastern Standard Time)"'),
    ('new Date(1800, 0, 1).getMinutes()', '0'),
    ('new Date(2050, 6, 1).getTimezoneOffset()', '240'),
    ('new Date(3000, 6, 1).getTimezoneOffset()', '240'),
]


@pytest.mark.skipif(not os.path.exists("/usr/share/zoneinfo/America/New_York"), reason="no tz database")
def test_new_york_daylight_saving():
    rt, _, old = make_runtime("America/New_York")
    try:
        got = [(expr, show(rt, expr)) for expr, _ in NEW_YORK_CASES]
    finally:
        set_tz(old)
    assert got == NEW_YORK_CASES


def test_now_is_the_real_clock(utc):
    before = time.time() * 1000
    now = js(utc, "Date.now()")
    after = time.time() * 1000
    assert now == int(now)
    assert before - 1 <= now <= after + 1
    # new Date() and Date() read the same clock
    t = js(utc, "new Date().getTime()")
    assert abs(t - time.time() * 1000) < 1000
    s = js(utc, "Date()")
    assert s.endswith("GMT+0000 (Coordinated Universal Time)")
    assert abs(js(utc, "Date.parse(Date())") - time.time() * 1000) < 2000


def test_now_advances(utc):
    a, b = js(utc, "const a = Date.now(); let x = 0; for (let i = 0; i < 3e6; i++) x += i; [a, Date.now()]")
    assert b >= a


def test_runtime_hooks(utc):
    js(utc, "globalThis.__dates = [new Date(1709647380123), new Date(NaN), new Date(-62198755200000), {}]")
    hooks = utc.lua.eval("""function(R)
      local a = rawget(R.G, "__dates")
      return R.date_value(a[0]), R.date_iso(a[0]), R.date_value(a[1]), R.date_iso(a[1]),
             R.date_iso(a[2]), R.date_value(a[3]), R.date_value(5), R.date_value(nil)
    end""")(utc.R)
    v0, iso0, v1, iso1, iso2, vobj, vnum, vnil = hooks
    assert v0 == 1709647380123 and iso0 == "2024-03-05T14:03:00.123Z"
    assert math.isnan(v1) and iso1 == "Invalid Date"
    assert iso2 == "-000001-01-01T00:00:00.000Z"
    assert vobj is None and vnum is None and vnil is None


@pytest.mark.skipif("date_value" not in INSPECT_LUA.read_text("utf-8"), reason="inspect does not use R.date_value yet")
def test_console_log(utc):
    utc.out.seek(0)
    utc.out.truncate()
    js(utc, "console.log(new Date(1709647380000)); console.log(new Date(NaN)); console.log([new Date(0)], { d: new Date(-62198755200000) })")
    assert utc.out.getvalue() == (
        "2024-03-05T14:03:00.000Z\n"
        "Invalid Date\n"
        "[ 1970-01-01T00:00:00.000Z ] { d: -000001-01-01T00:00:00.000Z }\n"
    )
