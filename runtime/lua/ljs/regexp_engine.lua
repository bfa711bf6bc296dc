----------------------------------------------------------------------------
-- LuaScript: ECMAScript regular expressions in pure Lua (LuaJIT 2.1).
--
-- A pattern is parsed to a small AST, then compiled to an instruction array
-- walked by a backtracking VM.  Choice points and undo records live in a
-- plain Lua table rather than on the call stack, so long subjects cost
-- memory, never stack depth; the only recursion at match time is one level
-- per nested lookaround in the pattern.  Subjects are UTF-8 Lua strings and
-- every position is a 1-based byte offset on a code point boundary.
--
-- Case-insensitive matching uses two generated equivalence tables (see
-- FOLD_NONU / FOLD_U below); character classes are closed under them at
-- compile time so matching a class never folds at run time.
----------------------------------------------------------------------------

local bit = require("bit")
local rshift = bit.rshift
local byte, char, sub, find = string.byte, string.char, string.sub, string.find
local concat, sort = table.concat, table.sort
local huge = math.huge
local error, ipairs, pairs = error, ipairs, pairs

local E = {}

----------------------------------------------------------------------------
-- UTF-8
----------------------------------------------------------------------------

-- Decodes the sequence starting at p whose lead byte b is >= 0x80.  Bytes
-- that do not start a well-formed sequence stand for themselves as
-- U+DC80..U+DCFF (as Python's surrogateescape does), so malformed input
-- still advances one byte at a time and cannot alias a real character
-- other than a lone surrogate.
local function dec(s, p, b)
  if b >= 0xC2 and b <= 0xF4 then
    local b2 = byte(s, p + 1)
    if b2 and b2 >= 0x80 and b2 <= 0xBF then
      if b < 0xE0 then return (b - 0xC0) * 64 + b2 - 0x80, p + 2 end
      local b3 = byte(s, p + 2)
      if b3 and b3 >= 0x80 and b3 <= 0xBF then
        if b < 0xF0 then
          local c = (b - 0xE0) * 4096 + (b2 - 0x80) * 64 + b3 - 0x80
          if c >= 0x800 then return c, p + 3 end
        else
          local b4 = byte(s, p + 3)
          if b4 and b4 >= 0x80 and b4 <= 0xBF then
            local c = (b - 0xF0) * 262144 + (b2 - 0x80) * 4096 + (b3 - 0x80) * 64 + b4 - 0x80
            if c >= 0x10000 and c <= 0x10FFFF then return c, p + 4 end
          end
        end
      end
    end
  end
  return 0xDC00 + b, p + 1
end

local function cp_at(s, p)
  local b = byte(s, p)
  if b < 0x80 then return b, p + 1 end
  return dec(s, p, b)
end

-- Start of the code point that ends just before p (p > 1); consistent with
-- dec() for malformed bytes.
local function prevcp(s, p)
  local q = p - 1
  local b = byte(s, q)
  if b < 0x80 or b >= 0xC0 then return q end
  local j, lim = q, p - 4
  if lim < 1 then lim = 1 end
  while j > lim do
    j = j - 1
    b = byte(s, j)
    if b < 0x80 or b >= 0xC0 then break end
  end
  if b >= 0xC2 then
    local _, np = dec(s, j, b)
    if np == p then return j end
  end
  return q
end

local function utf8(c)
  if c < 0x80 then return char(c) end
  if c < 0x800 then return char(0xC0 + rshift(c, 6), 0x80 + c % 64) end
  if c < 0x10000 then
    return char(0xE0 + rshift(c, 12), 0x80 + rshift(c, 6) % 64, 0x80 + c % 64)
  end
  return char(0xF0 + rshift(c, 18), 0x80 + rshift(c, 12) % 64,
              0x80 + rshift(c, 6) % 64, 0x80 + c % 64)
end

----------------------------------------------------------------------------
-- Code point sets: flat sorted arrays {lo1, hi1, lo2, hi2, ...} of
-- disjoint, non-adjacent inclusive ranges.
----------------------------------------------------------------------------

local MAXCP = 0x10FFFF

local function rnorm(r)
  local idx = {}
  for k = 1, #r, 2 do idx[#idx + 1] = k end
  sort(idx, function(a, b) return r[a] < r[b] end)
  local out, m = {}, 0
  for _, k in ipairs(idx) do
    local lo, hi = r[k], r[k + 1]
    if m > 0 and lo <= out[m] + 1 then
      if hi > out[m] then out[m] = hi end
    else
      out[m + 1], out[m + 2] = lo, hi
      m = m + 2
    end
  end
  return out
end

local function rcomp(r)
  local out, prev = {}, 0
  for k = 1, #r, 2 do
    if r[k] > prev then out[#out + 1] = prev; out[#out + 1] = r[k] - 1 end
    prev = r[k + 1] + 1
  end
  if prev <= MAXCP then out[#out + 1] = prev; out[#out + 1] = MAXCP end
  return out
end

local function rcat(a, b)
  local out = {}
  for k = 1, #a do out[k] = a[k] end
  for k = 1, #b do out[#out + 1] = b[k] end
  return out
end

local function runion(a, b) return rnorm(rcat(a, b)) end

local function rinter(a, b)
  local out, i, j = {}, 1, 1
  while i <= #a and j <= #b do
    local lo = a[i] > b[j] and a[i] or b[j]
    local hi = a[i + 1] < b[j + 1] and a[i + 1] or b[j + 1]
    if lo <= hi then out[#out + 1] = lo; out[#out + 1] = hi end
    if a[i + 1] < b[j + 1] then i = i + 2 else j = j + 2 end
  end
  return out
end

local function rsub(a, b) return rinter(a, rcomp(b)) end

local function req(a, b)
  if #a ~= #b then return false end
  for k = 1, #a do if a[k] ~= b[k] then return false end end
  return true
end

local R_ALL = { 0, MAXCP }
local R_DIGIT = { 48, 57 }
local R_WORD = { 48, 57, 65, 90, 95, 95, 97, 122 }
-- Under /iu, \w also covers the two non-ASCII code points that fold onto
-- ASCII word characters (LATIN SMALL LETTER LONG S, KELVIN SIGN).
local R_WORD_IU = rnorm{ 48, 57, 65, 90, 95, 95, 97, 122, 0x17F, 0x17F, 0x212A, 0x212A }
local R_SPACE = rnorm{ 9, 13, 32, 32, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A,
                       0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F,
                       0x3000, 0x3000, 0xFEFF, 0xFEFF }
local R_DOT = rcomp{ 10, 10, 13, 13, 0x2028, 0x2029 }

----------------------------------------------------------------------------
-- Case folding.  Each table is a flat list of runs lo, hi, delta, stride:
-- every code point x in lo..hi (stepping by stride) is equivalent to its
-- class representative x + delta; anything not covered is its own
-- representative.  Runs never overlap, so lookup is a binary search.
-- FOLD_NONU is the spec's non-unicode Canonicalize (toUpperCase, one code
-- unit, never non-ASCII onto ASCII); FOLD_U is simple case folding.  Both
-- are generated by `node tests/runtime/gen_regexp_cases.js --fold-table`.
----------------------------------------------------------------------------

local FOLD_NONU = {
  0x61,0x7a,-32,0x1,0xb5,0xb5,0x2e7,0x1,0xe0,0xf6,-32,0x1,0xf8,0xfe,-32,0x1,0xff,0xff,0x79,0x1,0x101,0x12f,-1,0x2,0x133,0x137,-1,0x2,0x13a,0x148,-1,0x2,
  0x14b,0x177,-1,0x2,0x17a,0x17e,-1,0x2,0x180,0x180,0xc3,0x1,0x183,0x185,-1,0x2,0x188,0x188,-1,0x1,0x18c,0x18c,-1,0x1,0x192,0x192,-1,0x1,0x195,0x195,0x61,0x1,
  0x199,0x199,-1,0x1,0x19a,0x19a,0xa3,0x1,0x19b,0x19b,0xa641,0x1,0x19e,0x19e,0x82,0x1,0x1a1,0x1a5,-1,0x2,0x1a8,0x1a8,-1,0x1,0x1ad,0x1ad,-1,0x1,0x1b0,0x1b0,-1,0x1,
  0x1b4,0x1b6,-1,0x2,0x1b9,0x1b9,-1,0x1,0x1bd,0x1bd,-1,0x1,0x1bf,0x1bf,0x38,0x1,0x1c5,0x1c5,-1,0x1,0x1c6,0x1c6,-2,0x1,0x1c8,0x1c8,-1,0x1,0x1c9,0x1c9,-2,0x1,
  0x1cb,0x1cb,-1,0x1,0x1cc,0x1cc,-2,0x1,0x1ce,0x1dc,-1,0x2,0x1dd,0x1dd,-79,0x1,0x1df,0x1ef,-1,0x2,0x1f2,0x1f2,-1,0x1,0x1f3,0x1f3,-2,0x1,0x1f5,0x1f5,-1,0x1,
  0x1f9,0x21f,-1,0x2,0x223,0x233,-1,0x2,0x23c,0x23c,-1,0x1,0x23f,0x240,0x2a3f,0x1,0x242,0x242,-1,0x1,0x247,0x24f,-1,0x2,0x250,0x250,0x2a1f,0x1,0x251,0x251,0x2a1c,0x1,
  0x252,0x252,0x2a1e,0x1,0x253,0x253,-210,0x1,0x254,0x254,-206,0x1,0x256,0x257,-205,0x1,0x259,0x259,-202,0x1,0x25b,0x25b,-203,0x1,0x25c,0x25c,0xa54f,0x1,0x260,0x260,-205,0x1,
  0x261,0x261,0xa54b,0x1,0x263,0x263,-207,0x1,0x264,0x264,0xa567,0x1,0x265,0x265,0xa528,0x1,0x266,0x266,0xa544,0x1,0x268,0x268,-209,0x1,0x269,0x269,-211,0x1,0x26a,0x26a,0xa544,0x1,
  0x26b,0x26b,0x29f7,0x1,0x26c,0x26c,0xa541,0x1,0x26f,0x26f,-211,0x1,0x271,0x271,0x29fd,0x1,0x272,0x272,-213,0x1,0x275,0x275,-214,0x1,0x27d,0x27d,0x29e7,0x1,0x280,0x280,-218,0x1,
  0x282,0x282,0xa543,0x1,0x283,0x283,-218,0x1,0x287,0x287,0xa52a,0x1,0x288,0x288,-218,0x1,0x289,0x289,-69,0x1,0x28a,0x28b,-217,0x1,0x28c,0x28c,-71,0x1,0x292,0x292,-219,0x1,
  0x29d,0x29d,0xa515,0x1,0x29e,0x29e,0xa512,0x1,0x345,0x345,0x54,0x1,0x371,0x373,-1,0x2,0x377,0x377,-1,0x1,0x37b,0x37d,0x82,0x1,0x3ac,0x3ac,-38,0x1,0x3ad,0x3af,-37,0x1,
  0x3b1,0x3c1,-32,0x1,0x3c2,0x3c2,-31,0x1,0x3c3,0x3cb,-32,0x1,0x3cc,0x3cc,-64,0x1,0x3cd,0x3ce,-63,0x1,0x3d0,0x3d0,-62,0x1,0x3d1,0x3d1,-57,0x1,0x3d5,0x3d5,-47,0x1,
  0x3d6,0x3d6,-54,0x1,0x3d7,0x3d7,-8,0x1,0x3d9,0x3ef,-1,0x2,0x3f0,0x3f0,-86,0x1,0x3f1,0x3f1,-80,0x1,0x3f2,0x3f2,0x7,0x1,0x3f3,0x3f3,-116,0x1,0x3f5,0x3f5,-96,0x1,
  0x3f8,0x3f8,-1,0x1,0x3fb,0x3fb,-1,0x1,0x430,0x44f,-32,0x1,0x450,0x45f,-80,0x1,0x461,0x481,-1,0x2,0x48b,0x4bf,-1,0x2,0x4c2,0x4ce,-1,0x2,0x4cf,0x4cf,-15,0x1,
  0x4d1,0x52f,-1,0x2,0x561,0x586,-48,0x1,0x10d0,0x10fa,0xbc0,0x1,0x10fd,0x10ff,0xbc0,0x1,0x13f8,0x13fd,-8,0x1,0x1c80,0x1c80,-6254,0x1,0x1c81,0x1c81,-6253,0x1,0x1c82,0x1c82,-6244,0x1,
  0x1c83,0x1c84,-6242,0x1,0x1c85,0x1c85,-6243,0x1,0x1c86,0x1c86,-6236,0x1,0x1c87,0x1c87,-6181,0x1,0x1c88,0x1c88,0x89c2,0x1,0x1c8a,0x1c8a,-1,0x1,0x1d79,0x1d79,0x8a04,0x1,0x1d7d,0x1d7d,0xee6,0x1,
  0x1d8e,0x1d8e,0x8a38,0x1,0x1e01,0x1e95,-1,0x2,0x1e9b,0x1e9b,-59,0x1,0x1ea1,0x1eff,-1,0x2,0x1f00,0x1f07,0x8,0x1,0x1f10,0x1f15,0x8,0x1,0x1f20,0x1f27,0x8,0x1,0x1f30,0x1f37,0x8,0x1,
  0x1f40,0x1f45,0x8,0x1,0x1f51,0x1f57,0x8,0x2,0x1f60,0x1f67,0x8,0x1,0x1f70,0x1f71,0x4a,0x1,0x1f72,0x1f75,0x56,0x1,0x1f76,0x1f77,0x64,0x1,0x1f78,0x1f79,0x80,0x1,0x1f7a,0x1f7b,0x70,0x1,
  0x1f7c,0x1f7d,0x7e,0x1,0x1fb0,0x1fb1,0x8,0x1,0x1fbe,0x1fbe,-7205,0x1,0x1fd0,0x1fd1,0x8,0x1,0x1fe0,0x1fe1,0x8,0x1,0x1fe5,0x1fe5,0x7,0x1,0x214e,0x214e,-28,0x1,0x2170,0x217f,-16,0x1,
  0x2184,0x2184,-1,0x1,0x24d0,0x24e9,-26,0x1,0x2c30,0x2c5f,-48,0x1,0x2c61,0x2c61,-1,0x1,0x2c65,0x2c65,-10795,0x1,0x2c66,0x2c66,-10792,0x1,0x2c68,0x2c6c,-1,0x2,0x2c73,0x2c73,-1,0x1,
  0x2c76,0x2c76,-1,0x1,0x2c81,0x2ce3,-1,0x2,0x2cec,0x2cee,-1,0x2,0x2cf3,0x2cf3,-1,0x1,0x2d00,0x2d25,-7264,0x1,0x2d27,0x2d27,-7264,0x1,0x2d2d,0x2d2d,-7264,0x1,0xa641,0xa66d,-1,0x2,
  0xa681,0xa69b,-1,0x2,0xa723,0xa72f,-1,0x2,0xa733,0xa76f,-1,0x2,0xa77a,0xa77c,-1,0x2,0xa77f,0xa787,-1,0x2,0xa78c,0xa78c,-1,0x1,0xa791,0xa793,-1,0x2,0xa794,0xa794,0x30,0x1,
  0xa797,0xa7a9,-1,0x2,0xa7b5,0xa7c3,-1,0x2,0xa7c8,0xa7ca,-1,0x2,0xa7cd,0xa7db,-1,0x2,0xa7f6,0xa7f6,-1,0x1,0xab53,0xab53,-928,0x1,0xab70,0xabbf,-38864,0x1,0xff41,0xff5a,-32,0x1,
}
local FOLD_U = {
  0x61,0x7a,-32,0x1,0xe0,0xf6,-32,0x1,0xf8,0xfe,-32,0x1,0x101,0x12f,-1,0x2,0x133,0x137,-1,0x2,0x13a,0x148,-1,0x2,0x14b,0x177,-1,0x2,0x178,0x178,-121,0x1,
  0x17a,0x17e,-1,0x2,0x17f,0x17f,-300,0x1,0x183,0x185,-1,0x2,0x188,0x188,-1,0x1,0x18c,0x18c,-1,0x1,0x192,0x192,-1,0x1,0x199,0x199,-1,0x1,0x1a1,0x1a5,-1,0x2,
  0x1a8,0x1a8,-1,0x1,0x1ad,0x1ad,-1,0x1,0x1b0,0x1b0,-1,0x1,0x1b4,0x1b6,-1,0x2,0x1b9,0x1b9,-1,0x1,0x1bd,0x1bd,-1,0x1,0x1c5,0x1c5,-1,0x1,0x1c6,0x1c6,-2,0x1,
  0x1c8,0x1c8,-1,0x1,0x1c9,0x1c9,-2,0x1,0x1cb,0x1cb,-1,0x1,0x1cc,0x1cc,-2,0x1,0x1ce,0x1dc,-1,0x2,0x1dd,0x1dd,-79,0x1,0x1df,0x1ef,-1,0x2,0x1f2,0x1f2,-1,0x1,
  0x1f3,0x1f3,-2,0x1,0x1f5,0x1f5,-1,0x1,0x1f6,0x1f6,-97,0x1,0x1f7,0x1f7,-56,0x1,0x1f9,0x21f,-1,0x2,0x220,0x220,-130,0x1,0x223,0x233,-1,0x2,0x23c,0x23c,-1,0x1,
  0x23d,0x23d,-163,0x1,0x242,0x242,-1,0x1,0x243,0x243,-195,0x1,0x247,0x24f,-1,0x2,0x253,0x253,-210,0x1,0x254,0x254,-206,0x1,0x256,0x257,-205,0x1,0x259,0x259,-202,0x1,
  0x25b,0x25b,-203,0x1,0x260,0x260,-205,0x1,0x263,0x263,-207,0x1,0x268,0x268,-209,0x1,0x269,0x269,-211,0x1,0x26f,0x26f,-211,0x1,0x272,0x272,-213,0x1,0x275,0x275,-214,0x1,
  0x280,0x280,-218,0x1,0x283,0x283,-218,0x1,0x288,0x288,-218,0x1,0x289,0x289,-69,0x1,0x28a,0x28b,-217,0x1,0x28c,0x28c,-71,0x1,0x292,0x292,-219,0x1,0x371,0x373,-1,0x2,
  0x377,0x377,-1,0x1,0x399,0x399,-84,0x1,0x39c,0x39c,-743,0x1,0x3ac,0x3ac,-38,0x1,0x3ad,0x3af,-37,0x1,0x3b1,0x3b8,-32,0x1,0x3b9,0x3b9,-116,0x1,0x3ba,0x3bb,-32,0x1,
  0x3bc,0x3bc,-775,0x1,0x3bd,0x3c1,-32,0x1,0x3c2,0x3c2,-31,0x1,0x3c3,0x3cb,-32,0x1,0x3cc,0x3cc,-64,0x1,0x3cd,0x3ce,-63,0x1,0x3d0,0x3d0,-62,0x1,0x3d1,0x3d1,-57,0x1,
  0x3d5,0x3d5,-47,0x1,0x3d6,0x3d6,-54,0x1,0x3d7,0x3d7,-8,0x1,0x3d9,0x3ef,-1,0x2,0x3f0,0x3f0,-86,0x1,0x3f1,0x3f1,-80,0x1,0x3f3,0x3f3,-116,0x1,0x3f4,0x3f4,-92,0x1,
  0x3f5,0x3f5,-96,0x1,0x3f8,0x3f8,-1,0x1,0x3f9,0x3f9,-7,0x1,0x3fb,0x3fb,-1,0x1,0x3fd,0x3ff,-130,0x1,0x430,0x44f,-32,0x1,0x450,0x45f,-80,0x1,0x461,0x481,-1,0x2,
  0x48b,0x4bf,-1,0x2,0x4c2,0x4ce,-1,0x2,0x4cf,0x4cf,-15,0x1,0x4d1,0x52f,-1,0x2,0x561,0x586,-48,0x1,0x13f8,0x13fd,-8,0x1,0x1c80,0x1c80,-6254,0x1,0x1c81,0x1c81,-6253,0x1,
  0x1c82,0x1c82,-6244,0x1,0x1c83,0x1c84,-6242,0x1,0x1c85,0x1c85,-6243,0x1,0x1c86,0x1c86,-6236,0x1,0x1c87,0x1c87,-6181,0x1,0x1c8a,0x1c8a,-1,0x1,0x1c90,0x1cba,-3008,0x1,0x1cbd,0x1cbf,-3008,0x1,
  0x1e01,0x1e95,-1,0x2,0x1e9b,0x1e9b,-59,0x1,0x1e9e,0x1e9e,-7615,0x1,0x1ea1,0x1eff,-1,0x2,0x1f08,0x1f0f,-8,0x1,0x1f18,0x1f1d,-8,0x1,0x1f28,0x1f2f,-8,0x1,0x1f38,0x1f3f,-8,0x1,
  0x1f48,0x1f4d,-8,0x1,0x1f59,0x1f5f,-8,0x2,0x1f68,0x1f6f,-8,0x1,0x1f88,0x1f8f,-8,0x1,0x1f98,0x1f9f,-8,0x1,0x1fa8,0x1faf,-8,0x1,0x1fb8,0x1fb9,-8,0x1,0x1fba,0x1fbb,-74,0x1,
  0x1fbc,0x1fbc,-9,0x1,0x1fbe,0x1fbe,-7289,0x1,0x1fc8,0x1fcb,-86,0x1,0x1fcc,0x1fcc,-9,0x1,0x1fd8,0x1fd9,-8,0x1,0x1fda,0x1fdb,-100,0x1,0x1fe8,0x1fe9,-8,0x1,0x1fea,0x1feb,-112,0x1,
  0x1fec,0x1fec,-7,0x1,0x1ff8,0x1ff9,-128,0x1,0x1ffa,0x1ffb,-126,0x1,0x1ffc,0x1ffc,-9,0x1,0x2126,0x2126,-7549,0x1,0x212a,0x212a,-8415,0x1,0x212b,0x212b,-8294,0x1,0x214e,0x214e,-28,0x1,
  0x2170,0x217f,-16,0x1,0x2184,0x2184,-1,0x1,0x24d0,0x24e9,-26,0x1,0x2c30,0x2c5f,-48,0x1,0x2c61,0x2c61,-1,0x1,0x2c62,0x2c62,-10743,0x1,0x2c63,0x2c63,-3814,0x1,0x2c64,0x2c64,-10727,0x1,
  0x2c65,0x2c65,-10795,0x1,0x2c66,0x2c66,-10792,0x1,0x2c68,0x2c6c,-1,0x2,0x2c6d,0x2c6d,-10780,0x1,0x2c6e,0x2c6e,-10749,0x1,0x2c6f,0x2c6f,-10783,0x1,0x2c70,0x2c70,-10782,0x1,0x2c73,0x2c73,-1,0x1,
  0x2c76,0x2c76,-1,0x1,0x2c7e,0x2c7f,-10815,0x1,0x2c81,0x2ce3,-1,0x2,0x2cec,0x2cee,-1,0x2,0x2cf3,0x2cf3,-1,0x1,0x2d00,0x2d25,-7264,0x1,0x2d27,0x2d27,-7264,0x1,0x2d2d,0x2d2d,-7264,0x1,
  0xa641,0xa649,-1,0x2,0xa64a,0xa64a,-35266,0x1,0xa64b,0xa64b,-35267,0x1,0xa64d,0xa66d,-1,0x2,0xa681,0xa69b,-1,0x2,0xa723,0xa72f,-1,0x2,0xa733,0xa76f,-1,0x2,0xa77a,0xa77c,-1,0x2,
  0xa77d,0xa77d,-35332,0x1,0xa77f,0xa787,-1,0x2,0xa78c,0xa78c,-1,0x1,0xa78d,0xa78d,-42280,0x1,0xa791,0xa793,-1,0x2,0xa797,0xa7a9,-1,0x2,0xa7aa,0xa7aa,-42308,0x1,0xa7ab,0xa7ab,-42319,0x1,
  0xa7ac,0xa7ac,-42315,0x1,0xa7ad,0xa7ad,-42305,0x1,0xa7ae,0xa7ae,-42308,0x1,0xa7b0,0xa7b0,-42258,0x1,0xa7b1,0xa7b1,-42282,0x1,0xa7b2,0xa7b2,-42261,0x1,0xa7b5,0xa7c3,-1,0x2,0xa7c4,0xa7c4,-48,0x1,
  0xa7c5,0xa7c5,-42307,0x1,0xa7c6,0xa7c6,-35384,0x1,0xa7c8,0xa7ca,-1,0x2,0xa7cb,0xa7cb,-42343,0x1,0xa7cd,0xa7db,-1,0x2,0xa7dc,0xa7dc,-42561,0x1,0xa7f6,0xa7f6,-1,0x1,0xab53,0xab53,-928,0x1,
  0xab70,0xabbf,-38864,0x1,0xff41,0xff5a,-32,0x1,0x10428,0x1044f,-40,0x1,0x104d8,0x104fb,-40,0x1,0x10597,0x105a1,-39,0x1,0x105a3,0x105b1,-39,0x1,0x105b3,0x105b9,-39,0x1,0x105bb,0x105bc,-39,0x1,
  0x10cc0,0x10cf2,-64,0x1,0x10d70,0x10d85,-32,0x1,0x118c0,0x118df,-32,0x1,0x16e60,0x16e7f,-32,0x1,0x16ebb,0x16ed3,-27,0x1,0x1e922,0x1e943,-34,0x1,
}

local function canon(tab, c)
  local lo, hi = 1, #tab / 4
  while lo <= hi do
    local mid = rshift(lo + hi, 1)
    local k = mid * 4 - 3
    if c < tab[k] then
      hi = mid - 1
    elseif c > tab[k + 1] then
      lo = mid + 1
    else
      if (c - tab[k]) % tab[k + 3] == 0 then return c + tab[k + 2] end
      return c
    end
  end
  return c
end

-- Adds, for each element of r that a run covers, its image under the run
-- (or, inverse = true, the preimages of elements of r).
local function fold_step(r, tab, inverse, out)
  for k = 1, #tab, 4 do
    local lo, hi, d, st = tab[k], tab[k + 1], tab[k + 2], tab[k + 3]
    local off, dd = 0, d
    if inverse then off, dd = d, -d end
    local a, b = lo + off, hi + off
    for j = 1, #r, 2 do
      local x, y = r[j], r[j + 1]
      if x > b then break end
      if y >= a then
        local s0 = x > a and x or a
        local e0 = y < b and y or b
        if st == 1 then
          out[#out + 1] = s0 + dd; out[#out + 1] = e0 + dd
        else
          local rem = (s0 - a) % st
          if rem ~= 0 then s0 = s0 + st - rem end
          for e = s0, e0, st do out[#out + 1] = e + dd; out[#out + 1] = e + dd end
        end
      end
    end
  end
  return out
end

-- Equivalence classes are stars around their representative, so adding
-- images then preimages closes a set in two steps.
local function fold_close(r, tab)
  local r1 = rnorm(fold_step(r, tab, false, rcat(r, {})))
  return rnorm(fold_step(r1, tab, true, rcat(r1, {})))
end

----------------------------------------------------------------------------
-- Parser: pattern code points -> AST.
--   {t="char", c}            one literal code point
--   {t="set", r, dot}        one code point from r (final: folded, negated)
--   {t="seq", list} {t="alt", list}
--   {t="group", idx, body}   capturing group
--   {t="look", behind, neg, body, g1, g2}
--   {t="bol"} {t="eol"} {t="wb", neg}
--   {t="bref", idx | name}
--   {t="quant", body, min, max, greedy, g1, g2}
-- g1..g2 are the capturing groups inside a node (empty when g2 < g1).
----------------------------------------------------------------------------

local LP, RP, LB, RB, LC, RC = 40, 41, 91, 93, 123, 125
local BSL, BAR, DOT, STAR, PLUS, QM = 92, 124, 46, 42, 43, 63
local CARET, DOLLAR, MINUS, COMMA, LT, GT = 94, 36, 45, 44, 60, 62
local EQ, BANG, COLON, AMP = 61, 33, 58, 38

local SYNTAX = {}
for c in ("^$\\.*+?()[]{}|"):gmatch(".") do SYNTAX[byte(c)] = true end
-- /v class syntax: characters that must be escaped, doubled punctuators
-- reserved for future operators, and the punctuators that may be escaped.
local V_SYNTAX, V_DOUBLE, V_PUNCT = {}, {}, {}
for c in ("()[]{}/-\\|"):gmatch(".") do V_SYNTAX[byte(c)] = true end
for c in ("&!#$%*+,.:;<=>?@^`~"):gmatch(".") do V_DOUBLE[byte(c)] = true end
for c in ("&-!#%,:;<=>@`~"):gmatch(".") do V_PUNCT[byte(c)] = true end

local function isdigit(c) return c and c >= 48 and c <= 57 end

local function hexval(c)
  if not c then return nil end
  if c >= 48 and c <= 57 then return c - 48 end
  if c >= 65 and c <= 70 then return c - 55 end
  if c >= 97 and c <= 102 then return c - 87 end
  return nil
end

local function hex4(cps, i)
  local a, b, c, d = hexval(cps[i]), hexval(cps[i + 1]), hexval(cps[i + 2]), hexval(cps[i + 3])
  if a and b and c and d then return ((a * 16 + b) * 16 + c) * 16 + d end
  return nil
end

local function fail(P, reason)
  error("Invalid regular expression: /" .. P.src .. "/" .. P.fl .. ": " .. reason, 0)
end

local function mkchar(P, c)
  if P.ic then
    local r = fold_close({ c, c }, P.fold)
    if #r > 2 or r[1] ~= c then return { t = "set", r = r } end
  end
  return { t = "char", c = c }
end

-- Spec order: case-close the members, then complement.
local function mkset(P, r, neg)
  if P.ic then r = fold_close(r, P.fold) end
  if neg then r = rcomp(r) end
  return { t = "set", r = r }
end

local function class_escape(P, c)
  if c == 100 then return R_DIGIT end
  if c == 68 then return rcomp(R_DIGIT) end
  if c == 119 then return P.iu and R_WORD_IU or R_WORD end
  if c == 87 then return rcomp(P.iu and R_WORD_IU or R_WORD) end
  if c == 115 then return R_SPACE end
  if c == 83 then return rcomp(R_SPACE) end
  return nil
end

-- Decimal integer at P.i, saturating like V8 at 2^31-1.
local function parse_int(P)
  local cps, v, any = P.cps, 0, false
  while isdigit(cps[P.i]) do
    v = v * 10 + cps[P.i] - 48
    if v > 2147483647 then v = 2147483647 end
    any = true
    P.i = P.i + 1
  end
  if any then return v end
  return nil
end

-- {n}, {n,}, {n,m} at P.i; returns min, max and consumes, or nil and
-- leaves P.i alone.
local function parse_braces(P)
  local save = P.i
  P.i = P.i + 1
  local lo = parse_int(P)
  if lo then
    local hi = lo
    if P.cps[P.i] == COMMA then
      P.i = P.i + 1
      hi = parse_int(P) or huge
    end
    if P.cps[P.i] == RC then
      P.i = P.i + 1
      return lo, hi
    end
  end
  P.i = save
  return nil
end

local function parse_quant(P)
  local c = P.cps[P.i]
  local lo, hi
  if c == STAR then
    lo, hi = 0, huge; P.i = P.i + 1
  elseif c == PLUS then
    lo, hi = 1, huge; P.i = P.i + 1
  elseif c == QM then
    lo, hi = 0, 1; P.i = P.i + 1
  elseif c == LC then
    lo, hi = parse_braces(P)
    if not lo then
      if P.u then fail(P, "Incomplete quantifier") end
      return nil
    end
  else
    return nil
  end
  local greedy = true
  if P.cps[P.i] == QM then greedy = false; P.i = P.i + 1 end
  if lo > hi then fail(P, "numbers out of order in {} quantifier") end
  return lo, hi, greedy
end

-- After 'u': XXXX (joining an escaped surrogate pair) or, if braces,
-- {X...}.  Returns nil with P.i untouched when malformed.
local function parse_u(P, braces)
  local cps, i = P.cps, P.i
  if braces and cps[i] == LC then
    local v, j = 0, i + 1
    while hexval(cps[j]) do
      v = v * 16 + hexval(cps[j])
      if v > MAXCP then return nil end
      j = j + 1
    end
    if j == i + 1 or cps[j] ~= RC then return nil end
    P.i = j + 1
    return v
  end
  local v = hex4(cps, i)
  if not v then return nil end
  P.i = i + 4
  if v >= 0xD800 and v <= 0xDBFF and cps[P.i] == BSL and cps[P.i + 1] == 117 then
    local w = hex4(cps, P.i + 2)
    if w and w >= 0xDC00 and w <= 0xDFFF then
      P.i = P.i + 6
      return 0x10000 + (v - 0xD800) * 1024 + (w - 0xDC00)
    end
  end
  return v
end

local function parse_name(P)
  local cps, out = P.cps, {}
  while true do
    local c = cps[P.i]
    if c == GT then break end
    if c == BSL then
      if cps[P.i + 1] ~= 117 then fail(P, "Invalid capture group name") end
      P.i = P.i + 2
      c = parse_u(P, true)
      if not c then fail(P, "Invalid capture group name") end
    elseif not c then
      fail(P, "Invalid capture group name")
    else
      P.i = P.i + 1
    end
    local ok = c == 36 or c == 95 or (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
      or (c >= 48 and c <= 57 and #out > 0)
      or (c >= 0x80 and c ~= 0xA0 and c ~= 0xFEFF and not (c >= 0x2000 and c <= 0x206F and c ~= 0x200C and c ~= 0x200D))
    if not ok then fail(P, "Invalid capture group name") end
    out[#out + 1] = utf8(c)
  end
  if #out == 0 then fail(P, "Invalid capture group name") end
  P.i = P.i + 1
  return concat(out)
end

local function parse_octal(P)
  local cps = P.cps
  local d0 = cps[P.i] - 48
  P.i = P.i + 1
  local v, d1 = d0, cps[P.i]
  if d1 and d1 >= 48 and d1 <= 55 then
    v = v * 8 + d1 - 48
    P.i = P.i + 1
    local d2 = cps[P.i]
    if d0 <= 3 and d2 and d2 >= 48 and d2 <= 55 then
      v = v * 8 + d2 - 48
      P.i = P.i + 1
    end
  end
  return v
end

-- CharacterEscape at P.i (just after the backslash).  Annex B: without /u
-- a backslash that starts nothing valid is an identity escape, and "\c"
-- not followed by a control letter is a literal backslash (P.i is left on
-- the 'c' so it is read again as a literal).
local function parse_char_escape(P, inclass)
  local cps = P.cps
  local c = cps[P.i]
  if c == 116 then P.i = P.i + 1; return 9 end
  if c == 110 then P.i = P.i + 1; return 10 end
  if c == 118 then P.i = P.i + 1; return 11 end
  if c == 102 then P.i = P.i + 1; return 12 end
  if c == 114 then P.i = P.i + 1; return 13 end
  if c == 99 then
    local d = cps[P.i + 1]
    if d and ((d >= 65 and d <= 90) or (d >= 97 and d <= 122)) then
      P.i = P.i + 2
      return d % 32
    end
    if inclass and not P.u and (isdigit(d) or d == 95) then
      P.i = P.i + 2
      return d % 32
    end
    if P.u then fail(P, "Invalid Unicode escape") end
    return BSL
  end
  if c == 120 then
    local h1, h2 = hexval(cps[P.i + 1]), hexval(cps[P.i + 2])
    if h1 and h2 then P.i = P.i + 3; return h1 * 16 + h2 end
    if P.u then fail(P, "Invalid escape") end
    P.i = P.i + 1
    return 120
  end
  if c == 117 then
    P.i = P.i + 1
    local v = parse_u(P, P.u)
    if v then return v end
    if P.u then fail(P, "Invalid Unicode escape") end
    return 117
  end
  if c == 48 and not isdigit(cps[P.i + 1]) then P.i = P.i + 1; return 0 end
  if P.u then
    if SYNTAX[c] or c == 47 or (inclass and c == MINUS) or (inclass and P.v and V_PUNCT[c]) then
      P.i = P.i + 1
      return c
    end
    fail(P, "Invalid escape")
  end
  if c == 107 and P.named then fail(P, "Invalid escape") end
  P.i = P.i + 1
  return c
end

-- ClassAtom at P.i: returns a code point, or nil and the ranges of a class
-- escape (\d etc.).
local function parse_class_atom(P)
  local cps = P.cps
  local c = cps[P.i]
  if c ~= BSL then P.i = P.i + 1; return c end
  P.i = P.i + 1
  c = cps[P.i]
  if not c then fail(P, "\\ at end of pattern") end
  local r = class_escape(P, c)
  if r then P.i = P.i + 1; return nil, r end
  if c == 98 then P.i = P.i + 1; return 8 end
  if isdigit(c) then
    if c == 48 and not isdigit(cps[P.i + 1]) then P.i = P.i + 1; return 0 end
    if P.u then fail(P, "Invalid class escape") end
    if c >= 56 then P.i = P.i + 1; return c end
    return parse_octal(P)
  end
  if (c == 112 or c == 80) and P.u then fail(P, "Invalid property name") end
  return parse_char_escape(P, true)
end

local function parse_class(P)
  local cps = P.cps
  P.i = P.i + 1
  local neg = false
  if cps[P.i] == CARET then neg = true; P.i = P.i + 1 end
  local acc = {}
  local function add(r) for k = 1, #r do acc[#acc + 1] = r[k] end end
  while true do
    local c = cps[P.i]
    if not c then fail(P, "Unterminated character class") end
    if c == RB then P.i = P.i + 1; break end
    local a, ar = parse_class_atom(P)
    if cps[P.i] == MINUS and cps[P.i + 1] and cps[P.i + 1] ~= RB then
      P.i = P.i + 1
      local b, br = parse_class_atom(P)
      if ar or br then
        -- Annex B: a range with a class escape end is just a union.
        if P.u then fail(P, "Invalid character class") end
        add(ar or { a, a })
        add{ MINUS, MINUS }
        add(br or { b, b })
      else
        if a > b then fail(P, "Range out of order in character class") end
        add{ a, b }
      end
    else
      add(ar or { a, a })
    end
  end
  return mkset(P, rnorm(acc), neg)
end

-- /v classes: nested classes, && and --, and \q{...} strings.  Returns the
-- final code point ranges and a list of multi-code-point strings (arrays
-- of code points).
local parse_class_v

local function strkey(cps)
  local t = {}
  for k = 1, #cps do t[k] = utf8(cps[k]) end
  return concat(t)
end

local function str_filter(a, b, keep)
  local inb = {}
  for _, s in ipairs(b or {}) do inb[strkey(s)] = true end
  local out = {}
  for _, s in ipairs(a or {}) do
    if (inb[strkey(s)] or false) == keep then out[#out + 1] = s end
  end
  return out
end

local function v_operand(P)
  local cps = P.cps
  local c = cps[P.i]
  if c == LB then return parse_class_v(P) end
  if c == BSL then
    if cps[P.i + 1] == 113 and cps[P.i + 2] == LC then
      P.i = P.i + 3
      local strs, r, cur = {}, {}, {}
      while true do
        local e = cps[P.i]
        if not e then fail(P, "Unterminated character class") end
        if e == RC or e == BAR then
          if #cur == 1 then
            r[#r + 1] = cur[1]; r[#r + 1] = cur[1]
          else
            strs[#strs + 1] = cur
          end
          cur = {}
          P.i = P.i + 1
          if e == RC then break end
        elseif e == BSL then
          P.i = P.i + 1
          cur[#cur + 1] = parse_char_escape(P, true)
        else
          cur[#cur + 1] = e
          P.i = P.i + 1
        end
      end
      r = rnorm(r)
      if P.ic then r = fold_close(r, P.fold) end
      return r, strs
    end
    local a, ar = parse_class_atom(P)
    if ar then
      if P.ic then ar = fold_close(ar, P.fold) end
      return ar, nil
    end
    return P.ic and fold_close({ a, a }, P.fold) or { a, a }, nil, a
  end
  if not c then fail(P, "Unterminated character class") end
  if V_SYNTAX[c] then fail(P, "Invalid character in character class") end
  if V_DOUBLE[c] and cps[P.i + 1] == c then fail(P, "Invalid set operation in character class") end
  P.i = P.i + 1
  return P.ic and fold_close({ c, c }, P.fold) or { c, c }, nil, c
end

parse_class_v = function(P)
  local cps = P.cps
  P.i = P.i + 1
  local neg = false
  if cps[P.i] == CARET then neg = true; P.i = P.i + 1 end
  local r, strs = {}, {}
  if cps[P.i] == RB then
    P.i = P.i + 1
  else
    local r1, s1, single = v_operand(P)
    local op = cps[P.i]
    if (op == AMP or op == MINUS) and cps[P.i + 1] == op then
      r, strs = r1, s1 or {}
      while cps[P.i] == op and cps[P.i + 1] == op do
        P.i = P.i + 2
        if op == AMP and cps[P.i] == AMP then fail(P, "Invalid character in character class") end
        local r2, s2 = v_operand(P)
        if op == AMP then
          r = rinter(r, r2); strs = str_filter(strs, s2, true)
        else
          r = rsub(r, r2); strs = str_filter(strs, s2, false)
        end
      end
      if not cps[P.i] then fail(P, "Unterminated character class") end
      if cps[P.i] ~= RB then fail(P, "Invalid set operation in character class") end
      P.i = P.i + 1
    else
      local acc = {}
      local cr, cs, csingle = r1, s1, single
      while true do
        if cps[P.i] == MINUS and cps[P.i + 1] ~= MINUS then
          if not csingle then fail(P, "Invalid character class") end
          P.i = P.i + 1
          local _, _, b = v_operand(P)
          if not b then fail(P, "Invalid character class") end
          if csingle > b then fail(P, "Range out of order in character class") end
          cr = { csingle, b }
          if P.ic then cr = fold_close(cr, P.fold) end
        end
        for k = 1, #cr do acc[#acc + 1] = cr[k] end
        for _, s in ipairs(cs or {}) do strs[#strs + 1] = s end
        local d = cps[P.i]
        if not d then fail(P, "Unterminated character class") end
        if d == RB then P.i = P.i + 1; break end
        if (d == AMP or d == MINUS) and cps[P.i + 1] == d then
          fail(P, "Invalid set operation in character class")
        end
        cr, cs, csingle = v_operand(P)
      end
      r = rnorm(acc)
    end
  end
  if neg then
    if #strs > 0 then fail(P, "Negated character class may contain strings") end
    r = rcomp(r)
  end
  return r, strs
end

local function parse_class_v_node(P)
  local r, strs = parse_class_v(P)
  if #strs == 0 then return { t = "set", r = r } end
  -- Longest strings first, then single code points, then the empty string.
  sort(strs, function(a, b) return #a > #b end)
  local list = {}
  local empty = false
  for _, s in ipairs(strs) do
    if #s == 0 then
      empty = true
    else
      local seq = {}
      for k = 1, #s do seq[k] = mkchar(P, s[k]) end
      list[#list + 1] = { t = "seq", list = seq }
    end
  end
  if #r > 0 then list[#list + 1] = { t = "set", r = r } end
  if empty then list[#list + 1] = { t = "seq", list = {} } end
  return { t = "alt", list = list }
end

local parse_disj

local function parse_atom_escape(P)
  local cps = P.cps
  P.i = P.i + 1
  local c = cps[P.i]
  if not c then fail(P, "\\ at end of pattern") end
  if c >= 49 and c <= 57 then
    local save = P.i
    local n = parse_int(P)
    if n <= P.total then return { t = "bref", idx = n } end
    if P.u then fail(P, "Invalid escape") end
    -- Annex B: not a backreference, so a legacy octal or identity escape.
    P.i = save
    if c >= 56 then P.i = P.i + 1; return mkchar(P, c) end
    return mkchar(P, parse_octal(P))
  end
  if c == 48 and isdigit(cps[P.i + 1]) then
    if P.u then fail(P, "Invalid decimal escape") end
    return mkchar(P, parse_octal(P))
  end
  if c == 107 and (P.u or P.named) then
    P.i = P.i + 1
    if cps[P.i] ~= LT then fail(P, "Invalid named reference") end
    P.i = P.i + 1
    local node = { t = "bref", name = parse_name(P) }
    P.brefs[#P.brefs + 1] = node
    return node
  end
  local r = class_escape(P, c)
  if r then P.i = P.i + 1; return mkset(P, r) end
  if (c == 112 or c == 80) and P.u then fail(P, "Invalid property name") end
  return mkchar(P, parse_char_escape(P, false))
end

local function parse_atom(P)
  local cps = P.cps
  local c = cps[P.i]
  if c == DOT then
    P.i = P.i + 1
    if P.dotall then return { t = "set", r = R_ALL } end
    return { t = "set", r = R_DOT, dot = true }
  end
  if c == LP then
    local cap, name = true, nil
    if cps[P.i + 1] == QM then
      local d = cps[P.i + 2]
      if d == COLON then
        cap = false
        P.i = P.i + 3
      elseif d == LT then
        P.i = P.i + 3
        name = parse_name(P)
      else
        fail(P, "Invalid group")
      end
    else
      P.i = P.i + 1
    end
    local idx
    if cap then
      P.ngroups = P.ngroups + 1
      idx = P.ngroups
      if name then
        if P.names[name] then fail(P, "Duplicate capture group name") end
        P.names[name] = idx
        P.groupnames[idx] = name
      end
    end
    local body = parse_disj(P)
    if cps[P.i] ~= RP then fail(P, "Unterminated group") end
    P.i = P.i + 1
    if cap then return { t = "group", idx = idx, body = body } end
    return body
  end
  if c == LB then
    if P.v then return parse_class_v_node(P) end
    return parse_class(P)
  end
  if c == BSL then return parse_atom_escape(P) end
  if c == STAR or c == PLUS or c == QM then fail(P, "Nothing to repeat") end
  if c == LC then
    if parse_braces(P) then fail(P, "Nothing to repeat") end
    if P.u then fail(P, "Lone quantifier brackets") end
  elseif (c == RC or c == RB) and P.u then
    fail(P, "Lone quantifier brackets")
  end
  P.i = P.i + 1
  return mkchar(P, c)
end

local function parse_term(P)
  local cps = P.cps
  local c = cps[P.i]
  if c == CARET then P.i = P.i + 1; return { t = "bol" } end
  if c == DOLLAR then P.i = P.i + 1; return { t = "eol" } end
  if c == BSL and (cps[P.i + 1] == 98 or cps[P.i + 1] == 66) then
    P.i = P.i + 2
    return { t = "wb", neg = cps[P.i - 1] == 66 }
  end
  local g0 = P.ngroups
  local atom
  local d, e = cps[P.i + 2], cps[P.i + 3]
  if c == LP and cps[P.i + 1] == QM
     and (d == EQ or d == BANG or (d == LT and (e == EQ or e == BANG))) then
    local behind = d == LT
    local k = behind and 3 or 2
    local neg = cps[P.i + k] == BANG
    P.i = P.i + k + 1
    local body = parse_disj(P)
    if cps[P.i] ~= RP then fail(P, "Unterminated group") end
    P.i = P.i + 1
    atom = { t = "look", behind = behind, neg = neg, body = body, g1 = g0 + 1, g2 = P.ngroups }
    -- Only Annex B lookaheads (no /u) may be quantified.
    if behind or P.u then
      local q = cps[P.i]
      if q == STAR or q == PLUS or q == QM or (q == LC and parse_braces(P)) then
        fail(P, "Invalid quantifier")
      end
      return atom
    end
  else
    atom = parse_atom(P)
  end
  local lo, hi, greedy = parse_quant(P)
  if not lo then return atom end
  return { t = "quant", body = atom, min = lo, max = hi, greedy = greedy, g1 = g0 + 1, g2 = P.ngroups }
end

local function parse_alt(P)
  local cps, list = P.cps, {}
  while true do
    local c = cps[P.i]
    if c == nil or c == BAR or c == RP then break end
    list[#list + 1] = parse_term(P)
  end
  if #list == 1 then return list[1] end
  return { t = "seq", list = list }
end

parse_disj = function(P)
  local first = parse_alt(P)
  if P.cps[P.i] ~= BAR then return first end
  local list = { first }
  while P.cps[P.i] == BAR do
    P.i = P.i + 1
    list[#list + 1] = parse_alt(P)
  end
  return { t = "alt", list = list }
end

-- Backreferences may point forward and \k is only special when the
-- pattern has named groups, so count groups before parsing.
local function prescan(P)
  local cps, n = P.cps, P.n
  local i, count, named, depth = 1, 0, false, 0
  while i <= n do
    local c = cps[i]
    if c == BSL then
      i = i + 2
    else
      if depth > 0 then
        if c == RB then
          depth = depth - 1
        elseif c == LB and P.v then
          depth = depth + 1
        end
      elseif c == LB then
        depth = 1
      elseif c == LP then
        if cps[i + 1] ~= QM then
          count = count + 1
        elseif cps[i + 2] == LT and cps[i + 3] ~= EQ and cps[i + 3] ~= BANG then
          count = count + 1
          named = true
        end
      end
      i = i + 1
    end
  end
  P.total, P.named = count, named
end

----------------------------------------------------------------------------
-- Single code point matchers: f(s, p) -> position after the code point
-- (before it, for the backward variants used inside lookbehind), or nil.
----------------------------------------------------------------------------

local function m_byte(c, back)
  if back then
    return function(s, p)
      if p > 1 and byte(s, p - 1) == c then return p - 1 end
      return nil
    end
  end
  return function(s, p)
    if byte(s, p) == c then return p + 1 end
    return nil
  end
end

local function m_lit(lit, back)
  local n = #lit
  local b1, b2, b3, b4 = byte(lit, 1, 4)
  if back then
    return function(s, p)
      local q = p - n
      if q >= 1 and byte(s, q) == b1 and byte(s, q + 1) == b2
         and (n < 3 or byte(s, q + 2) == b3) and (n < 4 or byte(s, q + 3) == b4) then
        return q
      end
      return nil
    end
  end
  return function(s, p)
    if byte(s, p) == b1 and byte(s, p + 1) == b2
       and (n < 3 or byte(s, p + 2) == b3) and (n < 4 or byte(s, p + 3) == b4) then
      return p + n
    end
    return nil
  end
end

local function is_lt_at(s, p, b)
  return b == 10 or b == 13
    or (b == 0xE2 and byte(s, p + 1) == 0x80 and (byte(s, p + 2) == 0xA8 or byte(s, p + 2) == 0xA9))
end

local function m_set(r, back)
  if req(r, R_ALL) then
    if back then
      return function(s, p)
        if p <= 1 then return nil end
        if byte(s, p - 1) < 0x80 then return p - 1 end
        return prevcp(s, p)
      end
    end
    return function(s, p)
      local b = byte(s, p)
      if not b then return nil end
      if b < 0x80 then return p + 1 end
      local _, np = dec(s, p, b)
      return np
    end
  end
  if req(r, R_DOT) then
    if back then
      return function(s, p)
        if p <= 1 then return nil end
        local q = p - 1
        local b = byte(s, q)
        if b < 0x80 then
          if b == 10 or b == 13 then return nil end
          return q
        end
        q = prevcp(s, p)
        if is_lt_at(s, q, byte(s, q)) then return nil end
        return q
      end
    end
    return function(s, p)
      local b = byte(s, p)
      if not b then return nil end
      if b < 0x80 then
        if b == 10 or b == 13 then return nil end
        return p + 1
      end
      if is_lt_at(s, p, b) then return nil end
      local _, np = dec(s, p, b)
      return np
    end
  end
  local asc, lo, hi = {}, {}, {}
  for c = 0, 127 do asc[c] = false end
  for k = 1, #r, 2 do
    local a, b = r[k], r[k + 1]
    for c = a, (b < 127 and b or 127) do asc[c] = true end
    if b >= 128 then
      lo[#lo + 1] = a < 128 and 128 or a
      hi[#hi + 1] = b
    end
  end
  local n = #lo
  local function has(c)
    local l, h = 1, n
    while l <= h do
      local m = rshift(l + h, 1)
      if c < lo[m] then
        h = m - 1
      elseif c > hi[m] then
        l = m + 1
      else
        return true
      end
    end
    return false
  end
  if back then
    return function(s, p)
      if p <= 1 then return nil end
      local q = p - 1
      local b = byte(s, q)
      if b < 0x80 then
        if asc[b] then return q end
        return nil
      end
      if n == 0 then return nil end
      q = prevcp(s, p)
      if has((cp_at(s, q))) then return q end
      return nil
    end
  end
  return function(s, p)
    local b = byte(s, p)
    if not b then return nil end
    if b < 0x80 then
      if asc[b] then return p + 1 end
      return nil
    end
    if n == 0 then return nil end
    local c, np = dec(s, p, b)
    if has(c) then return np end
    return nil
  end
end

local function matcher(node, back)
  if node.t == "char" then
    if node.c < 0x80 then return m_byte(node.c, back) end
    return m_lit(utf8(node.c), back)
  end
  return m_set(node.r, back)
end

----------------------------------------------------------------------------
-- Compiler: AST -> instruction array.  Each instruction is {op, args...}.
-- Registers: 1..2n capture start/end pairs, 2n+1..3n per-group start
-- positions (a capture only becomes visible when its group closes), then
-- two per general loop (iteration count, start of current iteration).
----------------------------------------------------------------------------

local OP_CHAR, OP_STR, OP_STRB, OP_ONE, OP_STAR, OP_LAZY, OP_SPLIT, OP_JMP = 1, 2, 3, 4, 5, 6, 7, 8
local OP_GOPEN, OP_GCLOSE, OP_LINIT, OP_LOOP, OP_LEND = 9, 10, 11, 12, 13
local OP_BOL, OP_EOL, OP_WB, OP_BREF, OP_LOOK, OP_MATCH = 14, 15, 16, 17, 18, 19

local function can_empty(node)
  local t = node.t
  if t == "char" or t == "set" then return false end
  if t == "seq" then
    for _, it in ipairs(node.list) do if not can_empty(it) then return false end end
    return true
  end
  if t == "alt" then
    for _, it in ipairs(node.list) do if can_empty(it) then return true end end
    return false
  end
  if t == "group" then return can_empty(node.body) end
  if t == "quant" then return node.min == 0 or can_empty(node.body) end
  return true
end

-- The literal a node must start with, if any (used to cut backtracking of
-- a greedy single-character loop to positions where it can continue).
local function leading_char(node)
  while node do
    local t = node.t
    if t == "char" then return node.c end
    if t == "group" then
      node = node.body
    elseif t == "seq" then
      node = node.list[1]
    elseif t == "quant" and node.min >= 1 then
      node = node.body
    else
      return nil
    end
  end
  return nil
end

local function emit(C, ins)
  local code = C.code
  local n = #code + 1
  code[n] = ins
  return n
end

local compile_node

local function compile_quant(C, node, back, nextnode)
  local body, min, max = node.body, node.min, node.max
  if max == 0 then return end
  if min == 1 and max == 1 then return compile_node(C, body, back, nextnode) end
  local code = C.code
  if body.t == "char" or body.t == "set" then
    local f = matcher(body, back)
    if node.greedy then
      local nb, poss = false, false
      local c = not back and nextnode and leading_char(nextnode)
      if c then
        local lit = utf8(c)
        nb = byte(lit, 1)
        -- If the loop cannot consume the next literal, giving characters
        -- back can never let it match: skip backtracking altogether.
        poss = f(lit, 1) == nil
      end
      emit(C, { OP_STAR, f, min, max, nb, back, poss })
    else
      emit(C, { OP_LAZY, f, min, max })
    end
    return
  end
  local nullable = can_empty(body)
  if min == 0 and max == 1 and not nullable then
    -- One optional iteration: nothing inside can hold a capture from an
    -- earlier iteration, and it cannot match empty, so a plain split does.
    local sp = emit(C, { OP_SPLIT, 0, 0 })
    compile_node(C, body, back, nextnode)
    local e = #code + 1
    if node.greedy then
      code[sp][2], code[sp][3] = sp + 1, e
    else
      code[sp][2], code[sp][3] = e, sp + 1
    end
    return
  end
  local r = C.nregs + 1
  C.nregs = C.nregs + 2
  emit(C, { OP_LINIT, r })
  local lp = emit(C, { OP_LOOP, r, min, max, node.greedy, 0, 2 * node.g1 - 1, 2 * node.g2, nullable })
  compile_node(C, body, back, nil)
  emit(C, { OP_LEND, r, lp, min, nullable })
  code[lp][6] = #code + 1
end

compile_node = function(C, node, back, nextnode)
  local t = node.t
  local code = C.code
  if t == "char" then
    local c = node.c
    if back then
      local lit = utf8(c)
      emit(C, { OP_STRB, lit, #lit })
    elseif c < 0x80 then
      emit(C, { OP_CHAR, c })
    else
      local lit = utf8(c)
      emit(C, { OP_STR, lit, #lit })
    end
  elseif t == "set" then
    emit(C, { OP_ONE, matcher(node, back) })
  elseif t == "seq" then
    local list, n = node.list, #node.list
    local k, step = 1, 1
    if back then k, step = n, -1 end
    while k >= 1 and k <= n do
      local item = list[k]
      local j = k
      if item.t == "char" then
        while list[j + step] and list[j + step].t == "char" do j = j + step end
      end
      if j ~= k then
        -- A run of literals becomes one string compare.
        local a, b = k, j
        if a > b then a, b = b, a end
        local parts = {}
        for q = a, b do parts[#parts + 1] = utf8(list[q].c) end
        local lit = concat(parts)
        emit(C, { back and OP_STRB or OP_STR, lit, #lit })
      else
        compile_node(C, item, back, (not back) and (list[k + 1] or nextnode) or nil)
      end
      k = j + step
    end
  elseif t == "alt" then
    local list, jumps = node.list, {}
    for k = 1, #list do
      if k < #list then
        local sp = emit(C, { OP_SPLIT, 0, 0 })
        code[sp][2] = sp + 1
        compile_node(C, list[k], back, nextnode)
        jumps[#jumps + 1] = emit(C, { OP_JMP, 0 })
        code[sp][3] = #code + 1
      else
        compile_node(C, list[k], back, nextnode)
      end
    end
    for _, j in ipairs(jumps) do code[j][2] = #code + 1 end
  elseif t == "group" then
    local tmp = C.tmpbase + node.idx
    emit(C, { OP_GOPEN, tmp })
    compile_node(C, node.body, back, nextnode)
    emit(C, { OP_GCLOSE, 2 * node.idx - 1, tmp, back })
  elseif t == "look" then
    local li = emit(C, { OP_LOOK, node.neg, 2 * node.g1 - 1, 2 * node.g2, 0 })
    compile_node(C, node.body, node.behind, nil)
    emit(C, { OP_MATCH })
    code[li][5] = #code + 1
  elseif t == "bol" then
    emit(C, { OP_BOL, C.ml })
  elseif t == "eol" then
    emit(C, { OP_EOL, C.ml })
  elseif t == "wb" then
    emit(C, { OP_WB, node.neg, C.iu })
  elseif t == "bref" then
    emit(C, { OP_BREF, 2 * node.idx - 1, C.ic and C.fold or false, back })
  elseif t == "quant" then
    compile_quant(C, node, back, nextnode)
  end
end

-- Bytes a non-empty match may start with; false when unknown.
local function fb_ranges(r, fb)
  for k = 1, #r, 2 do
    local a, b = r[k], r[k + 1]
    if a <= 0xDCFF and b >= 0xDC80 then return false end
    if a < 0x80 then for c = a, (b < 0x7F and b or 0x7F) do fb[c] = true end end
    local x, y = a < 0x80 and 0x80 or a, b < 0x7FF and b or 0x7FF
    if x <= y then for c = 0xC0 + rshift(x, 6), 0xC0 + rshift(y, 6) do fb[c] = true end end
    x, y = a < 0x800 and 0x800 or a, b < 0xFFFF and b or 0xFFFF
    if x <= y then for c = 0xE0 + rshift(x, 12), 0xE0 + rshift(y, 12) do fb[c] = true end end
    x, y = a < 0x10000 and 0x10000 or a, b
    if x <= y then for c = 0xF0 + rshift(x, 18), 0xF0 + rshift(y, 18) do fb[c] = true end end
  end
  return true
end

local function first_bytes(node, fb)
  local t = node.t
  if t == "char" then
    fb[byte(utf8(node.c), 1)] = true
    return true, false
  end
  if t == "set" then return fb_ranges(node.r, fb), false end
  if t == "seq" then
    for _, it in ipairs(node.list) do
      local ok, nl = first_bytes(it, fb)
      if not ok then return false end
      if not nl then return true, false end
    end
    return true, true
  end
  if t == "alt" then
    local any = false
    for _, it in ipairs(node.list) do
      local ok, nl = first_bytes(it, fb)
      if not ok then return false end
      any = any or nl
    end
    return true, any
  end
  if t == "group" then return first_bytes(node.body, fb) end
  if t == "quant" then
    if node.max == 0 then return true, true end
    local ok, nl = first_bytes(node.body, fb)
    return ok, nl or node.min == 0
  end
  if t == "bref" then return false end
  return true, true
end

----------------------------------------------------------------------------
-- VM.  The backtrack stack bt holds 4-slot records:
--   K_UNDO   reg, old            restore a register
--   K_UNDO2  reg, old1, old2     restore a capture pair
--   K_CHOICE pc, pos             resume there
--   K_STAR   pc, pos, pmin       greedy single-char loop: give one back
--   K_LAZY   pc, pos, count      lazy single-char loop: take one more
--   K_LLAZY  pc, pos             lazy general loop: run one more iteration
-- Every register write is logged, so failing back to a record restores the
-- exact state it was pushed in.
----------------------------------------------------------------------------

local K_UNDO, K_UNDO2, K_CHOICE, K_STAR, K_LAZY, K_LLAZY = 1, 2, 3, 4, 5, 6

local WORD = {}
for c = 0, 255 do
  WORD[c] = (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122) or c == 95
end

-- With /iu, U+017F (C5 BF) and U+212A (E2 84 AA) are word characters.
local function word_at(s, p, iu)
  local b = byte(s, p)
  if not b then return false end
  if WORD[b] then return true end
  if iu then
    if b == 0xC5 then return byte(s, p + 1) == 0xBF end
    if b == 0xE2 then return byte(s, p + 1) == 0x84 and byte(s, p + 2) == 0xAA end
  end
  return false
end

local function word_before(s, p, iu)
  if p <= 1 then return false end
  local b = byte(s, p - 1)
  if WORD[b] then return true end
  if iu then
    if b == 0xBF then return p > 2 and byte(s, p - 2) == 0xC5 end
    if b == 0xAA then return p > 3 and byte(s, p - 2) == 0x84 and byte(s, p - 3) == 0xE2 end
  end
  return false
end

local function lt_before(s, p)
  local b = byte(s, p - 1)
  return b == 10 or b == 13
    or ((b == 0xA8 or b == 0xA9) and p > 3 and byte(s, p - 2) == 0x80 and byte(s, p - 3) == 0xE2)
end

local function bref_fold(s, slen, st, en, pos, tab, back)
  if back then
    local i, p = en, pos
    while i > st do
      if p <= 1 then return nil end
      i = prevcp(s, i)
      p = prevcp(s, p)
      local a, b = cp_at(s, i), cp_at(s, p)
      if a ~= b and canon(tab, a) ~= canon(tab, b) then return nil end
    end
    return p
  end
  local i, p = st, pos
  while i < en do
    if p > slen then return nil end
    local a, b
    a, i = cp_at(s, i)
    b, p = cp_at(s, p)
    if a ~= b and canon(tab, a) ~= canon(tab, b) then return nil end
  end
  return p
end

local function unwind(regs, bt, top, base)
  while top > base do
    local k = bt[top - 3]
    if k == K_UNDO then
      regs[bt[top - 2]] = bt[top - 1]
    elseif k == K_UNDO2 then
      local j = bt[top - 2]
      regs[j] = bt[top - 1]
      regs[j + 1] = bt[top]
    end
    top = top - 4
  end
end

-- Runs code from pc at pos using bt above sp0.  Returns the end position
-- and the stack top on success (records above sp0 are left for the caller
-- to keep or unwind), or nil after restoring every register it touched.
local function run(code, s, slen, pc, pos, regs, bt, sp0)
  local sp = sp0
  while true do
    local I = code[pc]
    local o = I[1]
    if o == OP_CHAR then
      if byte(s, pos) ~= I[2] then goto fail end
      pos = pos + 1
      pc = pc + 1
    elseif o == OP_ONE then
      local np = I[2](s, pos)
      if not np then goto fail end
      pos = np
      pc = pc + 1
    elseif o == OP_STR then
      local lit, n = I[2], I[3]
      if pos + n - 1 > slen then goto fail end
      for k = 1, n do
        if byte(s, pos + k - 1) ~= byte(lit, k) then goto fail end
      end
      pos = pos + n
      pc = pc + 1
    elseif o == OP_STAR then
      local f, min, max = I[2], I[3], I[4]
      local p, cnt = pos, 0
      while cnt < min do
        p = f(s, p)
        if not p then goto fail end
        cnt = cnt + 1
      end
      local pmin = p
      while cnt < max do
        local np = f(s, p)
        if not np then break end
        p = np
        cnt = cnt + 1
      end
      if p ~= pmin and not I[7] then
        sp = sp + 4
        bt[sp - 3], bt[sp - 2], bt[sp - 1], bt[sp] = K_STAR, pc, p, pmin
      end
      pos = p
      pc = pc + 1
    elseif o == OP_SPLIT then
      sp = sp + 4
      bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_CHOICE, I[3], pos
      pc = I[2]
    elseif o == OP_JMP then
      pc = I[2]
    elseif o == OP_GOPEN then
      local r = I[2]
      sp = sp + 4
      bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, r, regs[r]
      regs[r] = pos
      pc = pc + 1
    elseif o == OP_GCLOSE then
      local r = I[2]
      sp = sp + 4
      bt[sp - 3], bt[sp - 2], bt[sp - 1], bt[sp] = K_UNDO2, r, regs[r], regs[r + 1]
      if I[4] then
        regs[r], regs[r + 1] = pos, regs[I[3]]
      else
        regs[r], regs[r + 1] = regs[I[3]], pos
      end
      pc = pc + 1
    elseif o == OP_LOOP then
      local r = I[2]
      local cnt = regs[r]
      if cnt >= I[4] then
        pc = I[6]
        goto continue
      end
      if cnt >= I[3] then
        sp = sp + 4
        if I[5] then
          bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_CHOICE, I[6], pos
        else
          bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_LLAZY, pc, pos
          pc = I[6]
          goto continue
        end
      end
      -- Enter the body: remember where this iteration began (for the
      -- empty-iteration check) and clear the captures it contains.
      if I[9] then
        sp = sp + 4
        bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, r + 1, regs[r + 1]
        regs[r + 1] = pos
      end
      for j = I[7], I[8] do
        if regs[j] then
          sp = sp + 4
          bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, j, regs[j]
          regs[j] = false
        end
      end
      pc = pc + 1
    elseif o == OP_LEND then
      local r = I[2]
      local cnt = regs[r]
      if I[5] and cnt >= I[4] and pos == regs[r + 1] then goto fail end
      sp = sp + 4
      bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, r, cnt
      regs[r] = cnt + 1
      pc = I[3]
    elseif o == OP_LINIT then
      local r = I[2]
      sp = sp + 4
      bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, r, regs[r]
      regs[r] = 0
      pc = pc + 1
    elseif o == OP_LAZY then
      local f, min = I[2], I[3]
      local p, cnt = pos, 0
      while cnt < min do
        p = f(s, p)
        if not p then goto fail end
        cnt = cnt + 1
      end
      if cnt < I[4] then
        sp = sp + 4
        bt[sp - 3], bt[sp - 2], bt[sp - 1], bt[sp] = K_LAZY, pc, p, cnt
      end
      pos = p
      pc = pc + 1
    elseif o == OP_STRB then
      local lit, n = I[2], I[3]
      local q = pos - n
      if q < 1 then goto fail end
      for k = 1, n do
        if byte(s, q + k - 1) ~= byte(lit, k) then goto fail end
      end
      pos = q
      pc = pc + 1
    elseif o == OP_BOL then
      if pos ~= 1 and not (I[2] and lt_before(s, pos)) then goto fail end
      pc = pc + 1
    elseif o == OP_EOL then
      if pos <= slen and not (I[2] and is_lt_at(s, pos, byte(s, pos))) then goto fail end
      pc = pc + 1
    elseif o == OP_WB then
      if (word_before(s, pos, I[3]) == word_at(s, pos, I[3])) ~= I[2] then goto fail end
      pc = pc + 1
    elseif o == OP_BREF then
      local st, en = regs[I[2]], regs[I[2] + 1]
      if st and en > st then
        local len = en - st
        if I[3] then
          local np = bref_fold(s, slen, st, en, pos, I[3], I[4])
          if not np then goto fail end
          pos = np
        elseif I[4] then
          local q = pos - len
          if q < 1 then goto fail end
          for k = 0, len - 1 do
            if byte(s, st + k) ~= byte(s, q + k) then goto fail end
          end
          pos = q
        else
          if pos + len - 1 > slen then goto fail end
          for k = 0, len - 1 do
            if byte(s, st + k) ~= byte(s, pos + k) then goto fail end
          end
          pos = pos + len
        end
      end
      pc = pc + 1
    elseif o == OP_LOOK then
      -- Lookarounds are atomic: run the body to its first success on the
      -- stack above ours, then drop its choice points.
      local e, top = run(code, s, slen, pc + 1, pos, regs, bt, sp)
      if I[2] then
        if e then
          unwind(regs, bt, top, sp)
          goto fail
        end
      else
        if not e then goto fail end
        local a, b = I[3], I[4]
        if a <= b then
          local vals = {}
          for j = a, b do vals[j - a + 1] = regs[j] end
          unwind(regs, bt, top, sp)
          for j = a, b do
            local v = vals[j - a + 1]
            if regs[j] ~= v then
              sp = sp + 4
              bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, j, regs[j]
              regs[j] = v
            end
          end
        else
          unwind(regs, bt, top, sp)
        end
      end
      pc = I[5]
    elseif o == OP_MATCH then
      return pos, sp
    end
    goto continue

    ::fail::
    while true do
      if sp <= sp0 then return nil end
      local k = bt[sp - 3]
      if k == K_UNDO then
        regs[bt[sp - 2]] = bt[sp - 1]
        sp = sp - 4
      elseif k == K_UNDO2 then
        local j = bt[sp - 2]
        regs[j], regs[j + 1] = bt[sp - 1], bt[sp]
        sp = sp - 4
      elseif k == K_CHOICE then
        pc, pos = bt[sp - 2], bt[sp - 1]
        sp = sp - 4
        break
      elseif k == K_STAR then
        local a, p, pmin = bt[sp - 2], bt[sp - 1], bt[sp]
        local J = code[a]
        local nb = J[5]
        if J[6] then
          local b = byte(s, p)
          if b < 0x80 then p = p + 1 else local _; _, p = dec(s, p, b) end
        else
          p = prevcp(s, p)
          if nb then
            while p ~= pmin and byte(s, p) ~= nb do p = prevcp(s, p) end
          end
        end
        if p == pmin then sp = sp - 4 else bt[sp - 1] = p end
        if not nb or byte(s, p) == nb then
          pc, pos = a + 1, p
          break
        end
      elseif k == K_LAZY then
        local a, p, cnt = bt[sp - 2], bt[sp - 1], bt[sp]
        local J = code[a]
        local np = J[2](s, p)
        if np then
          cnt = cnt + 1
          if cnt < J[4] then
            bt[sp - 1], bt[sp] = np, cnt
          else
            sp = sp - 4
          end
          pc, pos = a + 1, np
          break
        end
        sp = sp - 4
      else -- K_LLAZY
        local a, p = bt[sp - 2], bt[sp - 1]
        sp = sp - 4
        local J = code[a]
        pos = p
        if J[9] then
          local r = J[2] + 1
          sp = sp + 4
          bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, r, regs[r]
          regs[r] = pos
        end
        for j = J[7], J[8] do
          if regs[j] then
            sp = sp + 4
            bt[sp - 3], bt[sp - 2], bt[sp - 1] = K_UNDO, j, regs[j]
            regs[j] = false
          end
        end
        pc = a + 1
        break
      end
    end
    ::continue::
  end
end

----------------------------------------------------------------------------
-- API
----------------------------------------------------------------------------

local FLAG_ORDER = "dgimsuvy"

local function parse_flags(flags)
  local seen = {}
  for k = 1, #flags do
    local c = sub(flags, k, k)
    if seen[c] or not find(FLAG_ORDER, c, 1, true) then
      error("Invalid flags supplied to RegExp constructor '" .. flags .. "'", 0)
    end
    seen[c] = true
  end
  if seen.u and seen.v then
    error("Invalid flags supplied to RegExp constructor '" .. flags .. "'", 0)
  end
  local canonical = {}
  for k = 1, #FLAG_ORDER do
    local c = sub(FLAG_ORDER, k, k)
    if seen[c] then canonical[#canonical + 1] = c end
  end
  return seen, concat(canonical)
end

function E.compile(source, flags)
  flags = flags or ""
  local seen, fl = parse_flags(flags)
  local cps, p, n = {}, 1, #source
  while p <= n do
    local c
    c, p = cp_at(source, p)
    cps[#cps + 1] = c
  end
  local u = seen.u or seen.v or false
  local P = {
    cps = cps, i = 1, n = #cps, src = source, fl = fl,
    u = u, v = seen.v or false, ic = seen.i or false, dotall = seen.s or false,
    iu = (seen.i and u) or false, fold = u and FOLD_U or FOLD_NONU,
    ngroups = 0, names = {}, groupnames = {}, brefs = {},
  }
  prescan(P)
  local ast = parse_disj(P)
  if P.i <= P.n then fail(P, "Unmatched ')'") end
  for _, node in ipairs(P.brefs) do
    node.idx = P.names[node.name]
    if not node.idx then fail(P, "Invalid named capture referenced") end
  end

  local ng = P.ngroups
  local C = {
    code = {}, nregs = 3 * ng, tmpbase = 2 * ng,
    ml = seen.m or false, ic = P.ic, iu = P.iu, fold = P.fold,
  }
  compile_node(C, ast, false, nil)
  emit(C, { OP_MATCH })

  local prog = {
    source = source, flags = fl, code = C.code, nregs = C.nregs,
    ngroups = ng, names = P.names, groupnames = P.groupnames,
  }
  local list = ast.t == "seq" and ast.list or { ast }
  if list[1] and list[1].t == "bol" and not C.ml then
    prog.anchored = true
  else
    local parts = {}
    for _, it in ipairs(list) do
      if it.t ~= "char" then break end
      parts[#parts + 1] = utf8(it.c)
    end
    if #parts > 0 then
      prog.prefix = concat(parts)
    else
      local fb = {}
      local ok, nullable = first_bytes(ast, fb)
      if ok and not nullable then
        local count, only = 0, nil
        for b in pairs(fb) do count = count + 1; only = b end
        if count == 1 then
          prog.prefix = char(only)
        elseif count < 200 then
          prog.firstbytes = fb
        end
      end
    end
  end
  return prog
end

function E.exec(prog, s, init, sticky)
  local slen = #s
  init = init or 1
  if init < 1 then init = 1 end
  if init > slen + 1 then return nil end
  local b = byte(s, init)
  if b and b >= 0x80 and b < 0xC0 then
    -- Never start inside a code point.
    for j = init - 1, init - 3, -1 do
      if j < 1 then break end
      local lb = byte(s, j)
      if lb < 0x80 then break end
      if lb >= 0xC0 then
        local _, np = dec(s, j, lb)
        if np > init then init = np end
        break
      end
    end
  end
  local code, ncap = prog.code, 2 * prog.ngroups
  local regs, bt = {}, {}
  for k = 1, prog.nregs do regs[k] = false end
  local pos, e = init, nil
  if sticky or prog.anchored then
    if not sticky and init ~= 1 then return nil end
    e = run(code, s, slen, 1, pos, regs, bt, 0)
  else
    local prefix, fb = prog.prefix, prog.firstbytes
    while true do
      if prefix then
        pos = find(s, prefix, pos, true)
        if not pos then return nil end
      elseif fb then
        while pos <= slen and not fb[byte(s, pos)] do pos = pos + 1 end
        if pos > slen then return nil end
      end
      e = run(code, s, slen, 1, pos, regs, bt, 0)
      if e or pos > slen then break end
      b = byte(s, pos)
      if b < 0x80 then pos = pos + 1 else local _; _, pos = dec(s, pos, b) end
    end
  end
  if not e then return nil end
  local caps = {}
  for k = 1, ncap do caps[k] = regs[k] end
  return pos, e, caps
end

E.encode_utf8 = utf8

return E
