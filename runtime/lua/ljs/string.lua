-- ljs.string: JavaScript strings over UTF-8 Lua strings, and the String built-in.
--
-- A JS string is a Lua string holding UTF-8; JS lengths and indices count UTF-16 code units.
-- A code point above U+FFFF (4 UTF-8 bytes) is two units; a lone surrogate is stored as its
-- 3-byte generalized-UTF-8 form (ED A0 80..ED BF BF) and is one unit; a byte that starts no
-- well-formed sequence is one unit too (U+DC80..U+DCFF, as ljs.regexp_engine reads it).
--
-- ASCII strings take fast paths where byte i+1 is unit i. For other strings a unit table
-- (code units plus the byte position of each unit) is built in one pass and cached weakly,
-- so loops such as `for (i...) s.charCodeAt(i)` stay linear; short ASCII strings are
-- remembered as such, and single-unit lookups in other short strings just scan.
--
-- Hot paths return `(f(x))` rather than `f(x)`: LuaJIT counts every tail call in a trace
-- against its loop unroll limit (15) and aborts the trace beyond it, so a loop making a few
-- string calls (each a chain of tail calls) would never compile.
local R = require("ljs.core")
require("ljs.iteration")   -- R.fast_iter, R.iter_result, R.IteratorPrototype
local bit = require("bit")

local band, rshift = bit.band, bit.rshift
local type, rawget, rawset, getmetatable, setmetatable, select, error, tostring =
      type, rawget, rawset, getmetatable, setmetatable, select, error, tostring
local unpack = unpack
local floor, huge, min, max = math.floor, math.huge, math.min, math.max
local sbyte, schar, ssub, sfind, srep, slower, supper, sgsub =
      string.byte, string.char, string.sub, string.find, string.rep, string.lower, string.upper, string.gsub
local concat = table.concat
local null, ArrayMT, ObjectMT, SymbolMT = R.null, R.ArrayMT, R.ObjectMT, R.SymbolMT
local tostr, tonum, lookup, type_error, throw_error = R.tostr, R.tonum, R.lookup, R.type_error, R.throw_error
local NaN = 0/0

-- V8's limit on string length; larger results raise RangeError instead of exhausting memory.
local MAXLEN = 536870888

---------------------------------------------------------------------------------------------
-- UTF-8 decoding and encoding (decoding agrees with ljs.regexp_engine on malformed input)

-- Code point of the sequence at p whose lead byte b is >= 0x80, and the position after it.
local function dec(s, p, b)
  if b >= 0xC2 and b <= 0xF4 then
    local b2 = sbyte(s, p + 1)
    if b2 and b2 >= 0x80 and b2 <= 0xBF then
      if b < 0xE0 then return (b - 0xC0) * 64 + b2 - 0x80, p + 2 end
      local b3 = sbyte(s, p + 2)
      if b3 and b3 >= 0x80 and b3 <= 0xBF then
        if b < 0xF0 then
          local c = (b - 0xE0) * 4096 + (b2 - 0x80) * 64 + b3 - 0x80
          if c >= 0x800 then return c, p + 3 end
        else
          local b4 = sbyte(s, p + 3)
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

local function utf8(c)
  if c < 0x80 then return (schar(c)) end
  if c < 0x800 then return (schar(0xC0 + rshift(c, 6), 0x80 + c % 64)) end
  if c < 0x10000 then return (schar(0xE0 + rshift(c, 12), 0x80 + rshift(c, 6) % 64, 0x80 + c % 64)) end
  return (schar(0xF0 + rshift(c, 18), 0x80 + rshift(c, 12) % 64, 0x80 + rshift(c, 6) % 64, 0x80 + c % 64))
end
R.utf8_encode = utf8
R.utf8_decode = dec

-- End (exclusive) of the code point starting at p; a surrogate pair stored as two 3-byte
-- halves is one code point, as JS iteration sees it.
local function cp_end(s, p)
  local b = sbyte(s, p)
  if b < 0x80 then return p + 1 end
  local c, q = dec(s, p, b)
  if c >= 0xD800 and c <= 0xDBFF and sbyte(s, q) == 0xED then
    local c2, q2 = dec(s, q, 0xED)
    if c2 >= 0xDC00 and c2 <= 0xDFFF and q2 == q + 3 then return q2 end
  end
  return q
end

-- UTF-8 for a sequence of code units (array t[i..j]): pairs join, lone surrogates stay 3 bytes.
local function units_to_utf8(t, i, j)
  local out, n = {}, 0
  local k = i
  while k <= j do
    local u = t[k]
    if u < 0x80 then
      -- collect an ASCII run with one string.char call per chunk
      local e = k
      while e < j and e - k < 4000 and t[e + 1] < 0x80 do e = e + 1 end
      n = n + 1; out[n] = schar(unpack(t, k, e)); k = e + 1
    else
      if u >= 0xD800 and u <= 0xDBFF and k < j then
        local u2 = t[k + 1]
        if u2 >= 0xDC00 and u2 <= 0xDFFF then
          u = 0x10000 + (u - 0xD800) * 1024 + (u2 - 0xDC00); k = k + 1
        end
      end
      n = n + 1; out[n] = utf8(u); k = k + 1
    end
  end
  return concat(out)
end
R.units_to_utf8 = units_to_utf8

---------------------------------------------------------------------------------------------
-- Unit tables: {n = units, units = {[0]=...}, pos = {[0]=...}} where pos[i] is the byte
-- position where the UTF-8 sequence holding unit i starts (both halves of a pair share it)
-- and pos[n] = #s + 1. ASCII strings have {n = #s, ascii = true}.
local CACHE_MIN = 32          -- shorter ASCII strings are checked on every call instead
local cache = setmetatable({}, {__mode = "v"})
local recent, NRECENT, ri = {}, 8, 1  -- strong refs to the last few tables, so a GC in the middle
                                      -- of a loop over one long string does not force rebuilds

-- Does s hold any byte >= 0x80? A byte loop, also for long strings: it compiles, where
-- string.find with a pattern makes the trace that records it end in a stitch.

-- Is s (shorter than CACHE_MIN) ASCII? Its bytes OR-ed together up to eight at a time, without a
-- loop: `length` or `charCodeAt` inline this into the caller's trace, which an inner loop would
-- end. (A table of the ASCII strings seen did the same in one probe, but cost an insert, and its
-- share of a rehash and of garbage, for every new string: `("w" + i).length` took 3x as long.)
local ffi = require("ffi")
local cast, u64p, u8p = ffi.cast, ffi.typeof("const uint64_t *"), ffi.typeof("const uint8_t *")
local bor, HIGH = bit.bor, 0x8080808080808080ULL
local function short_is_ascii(s)
  local n = #s
  if n >= 8 then   -- words at 0, 8 and 16 as far as they fit, and the last 8 bytes
    local w = cast(u64p, cast(u8p, s) + (n - 8))[0]
    if n > 8 then
      local p = cast(u64p, s)
      w = bor(w, p[0])
      if n > 16 then w = bor(w, p[1]) end
      if n > 24 then w = bor(w, p[2]) end
    end
    return band(w, HIGH) == 0ULL
  end
  if n == 0 then return true end
  local w = sbyte(s, 1)
  if n > 1 then w = bor(w, sbyte(s, 2)) end
  if n > 2 then w = bor(w, sbyte(s, 3)) end
  if n > 3 then w = bor(w, sbyte(s, 4)) end
  if n > 4 then w = bor(w, sbyte(s, 5)) end
  if n > 5 then w = bor(w, sbyte(s, 6)) end
  if n > 6 then w = bor(w, sbyte(s, 7)) end
  return w < 0x80
end

-- Is s (of CACHE_MIN bytes or more) ASCII? Eight bytes at a time.
local function words_are_ascii(s)
  local n = #s
  local w = cast(u64p, cast(u8p, s) + (n - 8))[0]
  local p = cast(u64p, s)
  for i = 0, rshift(n, 3) - 1 do w = bor(w, p[i]) end
  return band(w, HIGH) == 0ULL
end

local function has_high(s)
  local len = #s
  if len >= 8 then return not words_are_ascii(s) end
  for i = 1, len do
    if sbyte(s, i) >= 0x80 then return true end
  end
  return false
end
R.str_isascii = function(s) return not has_high(s) end

local function build_units(s)
  local len = #s
  local units, pos, n, p = {}, {}, 0, 1
  while p <= len do
    local b = sbyte(s, p)
    if b < 0x80 then
      units[n] = b; pos[n] = p; n = n + 1; p = p + 1
    else
      local c, q = dec(s, p, b)
      if c >= 0x10000 then
        c = c - 0x10000
        units[n] = 0xD800 + rshift(c, 10); pos[n] = p
        units[n + 1] = 0xDC00 + band(c, 0x3FF); pos[n + 1] = p
        n = n + 2
      else
        units[n] = c; pos[n] = p; n = n + 1
      end
      p = q
    end
  end
  pos[n] = len + 1
  return {n = n, units = units, pos = pos}
end

local function remember(s, inf)
  cache[s] = inf
  recent[ri] = inf; ri = ri % NRECENT + 1
  return inf
end

-- The unit table of s, ASCII or not (see uinfo for what is cached).
local function info(s)
  local inf = cache[s]
  if inf then return inf end
  if has_high(s) then return (remember(s, build_units(s))) end
  inf = {n = #s, ascii = true}
  if #s >= CACHE_MIN then remember(s, inf) end
  return inf
end

-- nil when s is ASCII (unit i is byte i+1), else its unit table. Tables of non-ASCII strings
-- are cached whatever their length: the same short string is often sliced many times.
local function uinfo(s)
  local short = #s < CACHE_MIN
  if short and short_is_ascii(s) then return nil end
  local inf = cache[s]
  if inf then
    if inf.ascii then return nil end
    return inf
  end
  if not short and not has_high(s) then
    remember(s, {n = #s, ascii = true})
    return nil
  end
  return (remember(s, build_units(s)))
end
R.str_info = uinfo

-- UTF-16 length without building tables for short strings, nor for ASCII ones under 4 KB: a
-- table and a cache entry for each new string made garbage enough to double the time of
-- `JSON.stringify(o).length`.
local function strlen(s)
  local len = #s
  if len >= CACHE_MIN then
    local inf = cache[s]
    if inf then return inf.n end
    if len < 4096 and words_are_ascii(s) then return len end
    return info(s).n
  end
  if short_is_ascii(s) then return len end
  local p = 1
  while p <= len and sbyte(s, p) < 0x80 do p = p + 1 end
  if p > len then return len end
  local n = p - 1
  while p <= len do
    local b = sbyte(s, p)
    if b < 0x80 then n = n + 1; p = p + 1
    else
      local c, q = dec(s, p, b)
      n = n + (c >= 0x10000 and 2 or 1); p = q
    end
  end
  return n
end
R.strlen = strlen

-- Length and unit table (nil for ASCII) of s.
local function lenof(s)
  local inf = uinfo(s)
  if inf then return inf.n, inf end
  return #s, nil
end

-- Byte position of unit i (0 <= i <= n); for the second half of a pair, the pair's start.
local function bpos(inf, i)
  if inf then return inf.pos[i] end
  return i + 1
end
-- Byte position of the first code point starting at unit >= i.
local function bpos_ceil(inf, i)
  if not inf then return i + 1 end
  local pos = inf.pos
  local p = pos[i]
  if i > 0 and p == pos[i - 1] then return pos[i + 1] end
  return p
end

-- Unit index of byte position p (a code point boundary, or #s + 1).
local function unit_of(inf, p)
  if not inf then return p - 1 end
  local pos = inf.pos
  local lo, hi = 0, inf.n
  while lo < hi do
    local mid = floor((lo + hi) / 2)
    if pos[mid] < p then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- The 3-byte form of a lone surrogate unit.
local function lone(u)
  return schar(0xED, 0x80 + rshift(u, 6) % 64, 0x80 + u % 64)
end

-- Does unit i sit inside a 4-byte sequence (either half of a pair)?
local function in_pair(inf, i)
  local pos = inf.pos
  local p = pos[i]
  return p == pos[i + 1] or (i > 0 and pos[i - 1] == p)
end

-- The one-unit string at index i (0 <= i < n).
local function unit_str(s, inf, i)
  if not inf then return (ssub(s, i + 1, i + 1)) end
  if in_pair(inf, i) then return (lone(inf.units[i])) end
  local pos = inf.pos
  return (ssub(s, pos[i], pos[i + 1] - 1))
end

-- Units [i, j) of s (0 <= i, j <= n); a pair cut in half leaves a lone surrogate.
local function usub(s, inf, i, j)
  if not inf then
    local r = ssub(s, i + 1, j)
    -- a long piece of an ASCII string is ASCII: say so, or its first length would scan it
    -- (a loop of `s = s.slice(1)` scanned the whole string at every step)
    if j - i >= 4096 and not cache[r] then remember(r, {n = j - i, ascii = true}) end
    return r
  end
  if i >= j then return "" end
  local pos, units = inf.pos, inf.units
  local head, tail = "", ""
  if i > 0 and pos[i] == pos[i - 1] then head = lone(units[i]); i = i + 1 end
  if j < inf.n and pos[j] == pos[j - 1] then tail = lone(units[j - 1]); j = j - 1 end
  if i >= j then return head .. tail end
  return head .. ssub(s, pos[i], pos[j] - 1) .. tail
end

-- Code unit k of s (an integer >= 0), or nil past the end; then the byte range [p, q) of the
-- character when the unit is a whole character (no range for half of a pair). Short non-ASCII
-- strings are scanned without building tables.
local function unit_at(s, k)
  local len = #s
  local inf
  if len >= CACHE_MIN then
    inf = info(s)
    if inf.ascii then inf = nil end
  elseif not short_is_ascii(s) then
    local p, u = 1, 0
    while p <= len do
      local b = sbyte(s, p)
      if b < 0x80 then
        if u == k then return b, p, p + 1 end
        u = u + 1; p = p + 1
      else
        local c, q = dec(s, p, b)
        if c >= 0x10000 then
          if u == k then return 0xD800 + rshift(c - 0x10000, 10) end
          if u + 1 == k then return 0xDC00 + band(c - 0x10000, 0x3FF) end
          u = u + 2
        else
          if u == k then return c, p, q end
          u = u + 1
        end
        p = q
      end
    end
    return nil
  end
  if not inf then
    if k < len then return sbyte(s, k + 1), k + 1, k + 2 end
    return nil
  end
  if k >= inf.n then return nil end
  local pos = inf.pos
  local p = pos[k]
  if p == pos[k + 1] or (k > 0 and pos[k - 1] == p) then return inf.units[k] end
  return inf.units[k], p, pos[k + 1]
end

-- The one-unit string at index k (an integer >= 0), or nil past the end.
local function char_at(s, k)
  local u, p, q = unit_at(s, k)
  if not u then return nil end
  if p then return (ssub(s, p, q - 1)) end
  return (lone(u))
end

-- Exports for other runtime modules (console, JSON, arrays, regexp).
function R.utf16(s)
  local inf = uinfo(s)
  if inf then return inf.units, inf.n end
  local t, n = {}, #s
  for i = 1, n do t[i - 1] = sbyte(s, i) end
  return t, n
end
function R.str_unit(s, i) return (unit_at(s, i)) end
function R.str_at_unit(s, i)
  if i < 0 or i ~= floor(i) then return nil end
  return (char_at(s, i))
end
function R.str_sub(s, i, j)
  local n, inf = lenof(s)
  i = max(0, min(i, n)); j = max(i, min(j or n, n))
  return (usub(s, inf, i, j))
end
function R.str_b2u(s, p) return (unit_of(uinfo(s), p)) end
R.str_b2u_inf = unit_of
function R.str_u2b(s, i) return (bpos_ceil(uinfo(s), i)) end
R.str_cp_end = cp_end

-- Comparison in UTF-16 code unit order (JS's < and default sort), -1/0/1. UTF-8 byte order is
-- code point order, which differs only between U+E000..U+FFFF and supplementary characters.
function R.strcmp(a, b)
  if a == b then return 0 end
  local la, lb = #a, #b
  local n = min(la, lb)
  local i = 1
  while i <= n and sbyte(a, i) == sbyte(b, i) do i = i + 1 end
  if i > n then return la < lb and -1 or 1 end
  local ca, cb = sbyte(a, i), sbyte(b, i)
  if ca >= 0xEE and cb >= 0xEE then
    -- only lead bytes are this large: a 4-byte lead (>= 0xF0) is a high surrogate in UTF-16
    -- and sorts below U+E000..U+FFFF
    local sa, sb = ca >= 0xF0, cb >= 0xF0
    if sa ~= sb then return sa and -1 or 1 end
  end
  return ca < cb and -1 or 1
end

---------------------------------------------------------------------------------------------
-- Case mapping. The tables hold node's String.prototype.toUpperCase/toLowerCase for every code
-- point from U+0080 to U+1FFFF, generated with node (v20, ICU 74): *_RUNS are flat 4-tuples
-- lo, hi, stride, delta (c in lo..hi with (c - lo) % stride == 0 maps to c + delta);
-- *_SPECIAL are mappings to several code points. ASCII is handled by string.upper/lower.
local UPPER_RUNS = {
  0xB5,0xB5,1,743, 0xE0,0xF6,1,-32, 0xF8,0xFE,1,-32, 0xFF,0xFF,1,121, 0x101,0x12F,2,-1,
  0x131,0x131,1,-232, 0x133,0x137,2,-1, 0x13A,0x148,2,-1, 0x14B,0x177,2,-1, 0x17A,0x17E,2,-1,
  0x17F,0x17F,1,-300, 0x180,0x180,1,195, 0x183,0x185,2,-1, 0x188,0x188,1,-1, 0x18C,0x18C,1,-1,
  0x192,0x192,1,-1, 0x195,0x195,1,97, 0x199,0x199,1,-1, 0x19A,0x19A,1,163, 0x19B,0x19B,1,42561,
  0x19E,0x19E,1,130, 0x1A1,0x1A5,2,-1, 0x1A8,0x1A8,1,-1, 0x1AD,0x1AD,1,-1, 0x1B0,0x1B0,1,-1,
  0x1B4,0x1B6,2,-1, 0x1B9,0x1B9,1,-1, 0x1BD,0x1BD,1,-1, 0x1BF,0x1BF,1,56, 0x1C5,0x1C5,1,-1,
  0x1C6,0x1C6,1,-2, 0x1C8,0x1C8,1,-1, 0x1C9,0x1C9,1,-2, 0x1CB,0x1CB,1,-1, 0x1CC,0x1CC,1,-2,
  0x1CE,0x1DC,2,-1, 0x1DD,0x1DD,1,-79, 0x1DF,0x1EF,2,-1, 0x1F2,0x1F2,1,-1, 0x1F3,0x1F3,1,-2,
  0x1F5,0x1F5,1,-1, 0x1F9,0x21F,2,-1, 0x223,0x233,2,-1, 0x23C,0x23C,1,-1, 0x23F,0x240,1,10815,
  0x242,0x242,1,-1, 0x247,0x24F,2,-1, 0x250,0x250,1,10783, 0x251,0x251,1,10780,
  0x252,0x252,1,10782, 0x253,0x253,1,-210, 0x254,0x254,1,-206, 0x256,0x257,1,-205,
  0x259,0x259,1,-202, 0x25B,0x25B,1,-203, 0x25C,0x25C,1,42319, 0x260,0x260,1,-205,
  0x261,0x261,1,42315, 0x263,0x263,1,-207, 0x264,0x264,1,42343, 0x265,0x265,1,42280,
  0x266,0x266,1,42308, 0x268,0x268,1,-209, 0x269,0x269,1,-211, 0x26A,0x26A,1,42308,
  0x26B,0x26B,1,10743, 0x26C,0x26C,1,42305, 0x26F,0x26F,1,-211, 0x271,0x271,1,10749,
  0x272,0x272,1,-213, 0x275,0x275,1,-214, 0x27D,0x27D,1,10727, 0x280,0x280,1,-218,
  0x282,0x282,1,42307, 0x283,0x283,1,-218, 0x287,0x287,1,42282, 0x288,0x288,1,-218,
  0x289,0x289,1,-69, 0x28A,0x28B,1,-217, 0x28C,0x28C,1,-71, 0x292,0x292,1,-219,
  0x29D,0x29D,1,42261, 0x29E,0x29E,1,42258, 0x345,0x345,1,84, 0x371,0x373,2,-1, 0x377,0x377,1,-1,
  0x37B,0x37D,1,130, 0x3AC,0x3AC,1,-38, 0x3AD,0x3AF,1,-37, 0x3B1,0x3C1,1,-32, 0x3C2,0x3C2,1,-31,
  0x3C3,0x3CB,1,-32, 0x3CC,0x3CC,1,-64, 0x3CD,0x3CE,1,-63, 0x3D0,0x3D0,1,-62, 0x3D1,0x3D1,1,-57,
  0x3D5,0x3D5,1,-47, 0x3D6,0x3D6,1,-54, 0x3D7,0x3D7,1,-8, 0x3D9,0x3EF,2,-1, 0x3F0,0x3F0,1,-86,
  0x3F1,0x3F1,1,-80, 0x3F2,0x3F2,1,7, 0x3F3,0x3F3,1,-116, 0x3F5,0x3F5,1,-96, 0x3F8,0x3F8,1,-1,
  0x3FB,0x3FB,1,-1, 0x430,0x44F,1,-32, 0x450,0x45F,1,-80, 0x461,0x481,2,-1, 0x48B,0x4BF,2,-1,
  0x4C2,0x4CE,2,-1, 0x4CF,0x4CF,1,-15, 0x4D1,0x52F,2,-1, 0x561,0x586,1,-48, 0x10D0,0x10FA,1,3008,
  0x10FD,0x10FF,1,3008, 0x13F8,0x13FD,1,-8, 0x1C80,0x1C80,1,-6254, 0x1C81,0x1C81,1,-6253,
  0x1C82,0x1C82,1,-6244, 0x1C83,0x1C84,1,-6242, 0x1C85,0x1C85,1,-6243, 0x1C86,0x1C86,1,-6236,
  0x1C87,0x1C87,1,-6181, 0x1C88,0x1C88,1,35266, 0x1C8A,0x1C8A,1,-1, 0x1D79,0x1D79,1,35332,
  0x1D7D,0x1D7D,1,3814, 0x1D8E,0x1D8E,1,35384, 0x1E01,0x1E95,2,-1, 0x1E9B,0x1E9B,1,-59,
  0x1EA1,0x1EFF,2,-1, 0x1F00,0x1F07,1,8, 0x1F10,0x1F15,1,8, 0x1F20,0x1F27,1,8, 0x1F30,0x1F37,1,8,
  0x1F40,0x1F45,1,8, 0x1F51,0x1F57,2,8, 0x1F60,0x1F67,1,8, 0x1F70,0x1F71,1,74, 0x1F72,0x1F75,1,86,
  0x1F76,0x1F77,1,100, 0x1F78,0x1F79,1,128, 0x1F7A,0x1F7B,1,112, 0x1F7C,0x1F7D,1,126,
  0x1FB0,0x1FB1,1,8, 0x1FBE,0x1FBE,1,-7205, 0x1FD0,0x1FD1,1,8, 0x1FE0,0x1FE1,1,8,
  0x1FE5,0x1FE5,1,7, 0x214E,0x214E,1,-28, 0x2170,0x217F,1,-16, 0x2184,0x2184,1,-1,
  0x24D0,0x24E9,1,-26, 0x2C30,0x2C5F,1,-48, 0x2C61,0x2C61,1,-1, 0x2C65,0x2C65,1,-10795,
  0x2C66,0x2C66,1,-10792, 0x2C68,0x2C6C,2,-1, 0x2C73,0x2C73,1,-1, 0x2C76,0x2C76,1,-1,
  0x2C81,0x2CE3,2,-1, 0x2CEC,0x2CEE,2,-1, 0x2CF3,0x2CF3,1,-1, 0x2D00,0x2D25,1,-7264,
  0x2D27,0x2D27,1,-7264, 0x2D2D,0x2D2D,1,-7264, 0xA641,0xA66D,2,-1, 0xA681,0xA69B,2,-1,
  0xA723,0xA72F,2,-1, 0xA733,0xA76F,2,-1, 0xA77A,0xA77C,2,-1, 0xA77F,0xA787,2,-1,
  0xA78C,0xA78C,1,-1, 0xA791,0xA793,2,-1, 0xA794,0xA794,1,48, 0xA797,0xA7A9,2,-1,
  0xA7B5,0xA7C3,2,-1, 0xA7C8,0xA7CA,2,-1, 0xA7CD,0xA7DB,2,-1, 0xA7F6,0xA7F6,1,-1,
  0xAB53,0xAB53,1,-928, 0xAB70,0xABBF,1,-38864, 0xFF41,0xFF5A,1,-32, 0x10428,0x1044F,1,-40,
  0x104D8,0x104FB,1,-40, 0x10597,0x105A1,1,-39, 0x105A3,0x105B1,1,-39, 0x105B3,0x105B9,1,-39,
  0x105BB,0x105BC,1,-39, 0x10CC0,0x10CF2,1,-64, 0x10D70,0x10D85,1,-32, 0x118C0,0x118DF,1,-32,
  0x16E60,0x16E7F,1,-32, 0x16EBB,0x16ED3,1,-27, 0x1E922,0x1E943,1,-34,
}
local UPPER_SPECIAL = {
  [0xDF]={0x53,0x53}, [0x149]={0x2BC,0x4E}, [0x1F0]={0x4A,0x30C}, [0x390]={0x399,0x308,0x301},
  [0x3B0]={0x3A5,0x308,0x301}, [0x587]={0x535,0x552}, [0x1E96]={0x48,0x331}, [0x1E97]={0x54,0x308},
  [0x1E98]={0x57,0x30A}, [0x1E99]={0x59,0x30A}, [0x1E9A]={0x41,0x2BE}, [0x1F50]={0x3A5,0x313},
  [0x1F52]={0x3A5,0x313,0x300}, [0x1F54]={0x3A5,0x313,0x301}, [0x1F56]={0x3A5,0x313,0x342},
  [0x1F80]={0x1F08,0x399}, [0x1F81]={0x1F09,0x399}, [0x1F82]={0x1F0A,0x399},
  [0x1F83]={0x1F0B,0x399}, [0x1F84]={0x1F0C,0x399}, [0x1F85]={0x1F0D,0x399},
  [0x1F86]={0x1F0E,0x399}, [0x1F87]={0x1F0F,0x399}, [0x1F88]={0x1F08,0x399},
  [0x1F89]={0x1F09,0x399}, [0x1F8A]={0x1F0A,0x399}, [0x1F8B]={0x1F0B,0x399},
  [0x1F8C]={0x1F0C,0x399}, [0x1F8D]={0x1F0D,0x399}, [0x1F8E]={0x1F0E,0x399},
  [0x1F8F]={0x1F0F,0x399}, [0x1F90]={0x1F28,0x399}, [0x1F91]={0x1F29,0x399},
  [0x1F92]={0x1F2A,0x399}, [0x1F93]={0x1F2B,0x399}, [0x1F94]={0x1F2C,0x399},
  [0x1F95]={0x1F2D,0x399}, [0x1F96]={0x1F2E,0x399}, [0x1F97]={0x1F2F,0x399},
  [0x1F98]={0x1F28,0x399}, [0x1F99]={0x1F29,0x399}, [0x1F9A]={0x1F2A,0x399},
  [0x1F9B]={0x1F2B,0x399}, [0x1F9C]={0x1F2C,0x399}, [0x1F9D]={0x1F2D,0x399},
  [0x1F9E]={0x1F2E,0x399}, [0x1F9F]={0x1F2F,0x399}, [0x1FA0]={0x1F68,0x399},
  [0x1FA1]={0x1F69,0x399}, [0x1FA2]={0x1F6A,0x399}, [0x1FA3]={0x1F6B,0x399},
  [0x1FA4]={0x1F6C,0x399}, [0x1FA5]={0x1F6D,0x399}, [0x1FA6]={0x1F6E,0x399},
  [0x1FA7]={0x1F6F,0x399}, [0x1FA8]={0x1F68,0x399}, [0x1FA9]={0x1F69,0x399},
  [0x1FAA]={0x1F6A,0x399}, [0x1FAB]={0x1F6B,0x399}, [0x1FAC]={0x1F6C,0x399},
  [0x1FAD]={0x1F6D,0x399}, [0x1FAE]={0x1F6E,0x399}, [0x1FAF]={0x1F6F,0x399},
  [0x1FB2]={0x1FBA,0x399}, [0x1FB3]={0x391,0x399}, [0x1FB4]={0x386,0x399}, [0x1FB6]={0x391,0x342},
  [0x1FB7]={0x391,0x342,0x399}, [0x1FBC]={0x391,0x399}, [0x1FC2]={0x1FCA,0x399},
  [0x1FC3]={0x397,0x399}, [0x1FC4]={0x389,0x399}, [0x1FC6]={0x397,0x342},
  [0x1FC7]={0x397,0x342,0x399}, [0x1FCC]={0x397,0x399}, [0x1FD2]={0x399,0x308,0x300},
  [0x1FD3]={0x399,0x308,0x301}, [0x1FD6]={0x399,0x342}, [0x1FD7]={0x399,0x308,0x342},
  [0x1FE2]={0x3A5,0x308,0x300}, [0x1FE3]={0x3A5,0x308,0x301}, [0x1FE4]={0x3A1,0x313},
  [0x1FE6]={0x3A5,0x342}, [0x1FE7]={0x3A5,0x308,0x342}, [0x1FF2]={0x1FFA,0x399},
  [0x1FF3]={0x3A9,0x399}, [0x1FF4]={0x38F,0x399}, [0x1FF6]={0x3A9,0x342},
  [0x1FF7]={0x3A9,0x342,0x399}, [0x1FFC]={0x3A9,0x399}, [0xFB00]={0x46,0x46}, [0xFB01]={0x46,0x49},
  [0xFB02]={0x46,0x4C}, [0xFB03]={0x46,0x46,0x49}, [0xFB04]={0x46,0x46,0x4C}, [0xFB05]={0x53,0x54},
  [0xFB06]={0x53,0x54}, [0xFB13]={0x544,0x546}, [0xFB14]={0x544,0x535}, [0xFB15]={0x544,0x53B},
  [0xFB16]={0x54E,0x546}, [0xFB17]={0x544,0x53D},
}
local LOWER_RUNS = {
  0xC0,0xD6,1,32, 0xD8,0xDE,1,32, 0x100,0x12E,2,1, 0x132,0x136,2,1, 0x139,0x147,2,1,
  0x14A,0x176,2,1, 0x178,0x178,1,-121, 0x179,0x17D,2,1, 0x181,0x181,1,210, 0x182,0x184,2,1,
  0x186,0x186,1,206, 0x187,0x187,1,1, 0x189,0x18A,1,205, 0x18B,0x18B,1,1, 0x18E,0x18E,1,79,
  0x18F,0x18F,1,202, 0x190,0x190,1,203, 0x191,0x191,1,1, 0x193,0x193,1,205, 0x194,0x194,1,207,
  0x196,0x196,1,211, 0x197,0x197,1,209, 0x198,0x198,1,1, 0x19C,0x19C,1,211, 0x19D,0x19D,1,213,
  0x19F,0x19F,1,214, 0x1A0,0x1A4,2,1, 0x1A6,0x1A6,1,218, 0x1A7,0x1A7,1,1, 0x1A9,0x1A9,1,218,
  0x1AC,0x1AC,1,1, 0x1AE,0x1AE,1,218, 0x1AF,0x1AF,1,1, 0x1B1,0x1B2,1,217, 0x1B3,0x1B5,2,1,
  0x1B7,0x1B7,1,219, 0x1B8,0x1B8,1,1, 0x1BC,0x1BC,1,1, 0x1C4,0x1C4,1,2, 0x1C5,0x1C5,1,1,
  0x1C7,0x1C7,1,2, 0x1C8,0x1C8,1,1, 0x1CA,0x1CA,1,2, 0x1CB,0x1DB,2,1, 0x1DE,0x1EE,2,1,
  0x1F1,0x1F1,1,2, 0x1F2,0x1F4,2,1, 0x1F6,0x1F6,1,-97, 0x1F7,0x1F7,1,-56, 0x1F8,0x21E,2,1,
  0x220,0x220,1,-130, 0x222,0x232,2,1, 0x23A,0x23A,1,10795, 0x23B,0x23B,1,1, 0x23D,0x23D,1,-163,
  0x23E,0x23E,1,10792, 0x241,0x241,1,1, 0x243,0x243,1,-195, 0x244,0x244,1,69, 0x245,0x245,1,71,
  0x246,0x24E,2,1, 0x370,0x372,2,1, 0x376,0x376,1,1, 0x37F,0x37F,1,116, 0x386,0x386,1,38,
  0x388,0x38A,1,37, 0x38C,0x38C,1,64, 0x38E,0x38F,1,63, 0x391,0x3A1,1,32, 0x3A3,0x3AB,1,32,
  0x3CF,0x3CF,1,8, 0x3D8,0x3EE,2,1, 0x3F4,0x3F4,1,-60, 0x3F7,0x3F7,1,1, 0x3F9,0x3F9,1,-7,
  0x3FA,0x3FA,1,1, 0x3FD,0x3FF,1,-130, 0x400,0x40F,1,80, 0x410,0x42F,1,32, 0x460,0x480,2,1,
  0x48A,0x4BE,2,1, 0x4C0,0x4C0,1,15, 0x4C1,0x4CD,2,1, 0x4D0,0x52E,2,1, 0x531,0x556,1,48,
  0x10A0,0x10C5,1,7264, 0x10C7,0x10C7,1,7264, 0x10CD,0x10CD,1,7264, 0x13A0,0x13EF,1,38864,
  0x13F0,0x13F5,1,8, 0x1C89,0x1C89,1,1, 0x1C90,0x1CBA,1,-3008, 0x1CBD,0x1CBF,1,-3008,
  0x1E00,0x1E94,2,1, 0x1E9E,0x1E9E,1,-7615, 0x1EA0,0x1EFE,2,1, 0x1F08,0x1F0F,1,-8,
  0x1F18,0x1F1D,1,-8, 0x1F28,0x1F2F,1,-8, 0x1F38,0x1F3F,1,-8, 0x1F48,0x1F4D,1,-8,
  0x1F59,0x1F5F,2,-8, 0x1F68,0x1F6F,1,-8, 0x1F88,0x1F8F,1,-8, 0x1F98,0x1F9F,1,-8,
  0x1FA8,0x1FAF,1,-8, 0x1FB8,0x1FB9,1,-8, 0x1FBA,0x1FBB,1,-74, 0x1FBC,0x1FBC,1,-9,
  0x1FC8,0x1FCB,1,-86, 0x1FCC,0x1FCC,1,-9, 0x1FD8,0x1FD9,1,-8, 0x1FDA,0x1FDB,1,-100,
  0x1FE8,0x1FE9,1,-8, 0x1FEA,0x1FEB,1,-112, 0x1FEC,0x1FEC,1,-7, 0x1FF8,0x1FF9,1,-128,
  0x1FFA,0x1FFB,1,-126, 0x1FFC,0x1FFC,1,-9, 0x2126,0x2126,1,-7517, 0x212A,0x212A,1,-8383,
  0x212B,0x212B,1,-8262, 0x2132,0x2132,1,28, 0x2160,0x216F,1,16, 0x2183,0x2183,1,1,
  0x24B6,0x24CF,1,26, 0x2C00,0x2C2F,1,48, 0x2C60,0x2C60,1,1, 0x2C62,0x2C62,1,-10743,
  0x2C63,0x2C63,1,-3814, 0x2C64,0x2C64,1,-10727, 0x2C67,0x2C6B,2,1, 0x2C6D,0x2C6D,1,-10780,
  0x2C6E,0x2C6E,1,-10749, 0x2C6F,0x2C6F,1,-10783, 0x2C70,0x2C70,1,-10782, 0x2C72,0x2C72,1,1,
  0x2C75,0x2C75,1,1, 0x2C7E,0x2C7F,1,-10815, 0x2C80,0x2CE2,2,1, 0x2CEB,0x2CED,2,1,
  0x2CF2,0x2CF2,1,1, 0xA640,0xA66C,2,1, 0xA680,0xA69A,2,1, 0xA722,0xA72E,2,1, 0xA732,0xA76E,2,1,
  0xA779,0xA77B,2,1, 0xA77D,0xA77D,1,-35332, 0xA77E,0xA786,2,1, 0xA78B,0xA78B,1,1,
  0xA78D,0xA78D,1,-42280, 0xA790,0xA792,2,1, 0xA796,0xA7A8,2,1, 0xA7AA,0xA7AA,1,-42308,
  0xA7AB,0xA7AB,1,-42319, 0xA7AC,0xA7AC,1,-42315, 0xA7AD,0xA7AD,1,-42305, 0xA7AE,0xA7AE,1,-42308,
  0xA7B0,0xA7B0,1,-42258, 0xA7B1,0xA7B1,1,-42282, 0xA7B2,0xA7B2,1,-42261, 0xA7B3,0xA7B3,1,928,
  0xA7B4,0xA7C2,2,1, 0xA7C4,0xA7C4,1,-48, 0xA7C5,0xA7C5,1,-42307, 0xA7C6,0xA7C6,1,-35384,
  0xA7C7,0xA7C9,2,1, 0xA7CB,0xA7CB,1,-42343, 0xA7CC,0xA7DA,2,1, 0xA7DC,0xA7DC,1,-42561,
  0xA7F5,0xA7F5,1,1, 0xFF21,0xFF3A,1,32, 0x10400,0x10427,1,40, 0x104B0,0x104D3,1,40,
  0x10570,0x1057A,1,39, 0x1057C,0x1058A,1,39, 0x1058C,0x10592,1,39, 0x10594,0x10595,1,39,
  0x10C80,0x10CB2,1,64, 0x10D50,0x10D65,1,32, 0x118A0,0x118BF,1,32, 0x16E40,0x16E5F,1,32,
  0x16EA0,0x16EB8,1,27, 0x1E900,0x1E921,1,34,
}
local LOWER_SPECIAL = {
  [0x130]={0x69,0x307},
}

-- Binary search in a runs table; returns the mapped code point (c itself when unmapped).
local function runmap(runs, c)
  local lo, hi = 0, #runs / 4 - 1
  while lo <= hi do
    local mid = floor((lo + hi) / 2)
    local k = mid * 4
    if c < runs[k + 1] then hi = mid - 1
    elseif c > runs[k + 2] then lo = mid + 1
    else
      if (c - runs[k + 1]) % runs[k + 3] == 0 then return c + runs[k + 4] end
      return c
    end
  end
  return c
end

local function simple_upper(c)
  if c < 0x80 then return (c >= 97 and c <= 122) and c - 32 or c end
  return runmap(UPPER_RUNS, c)
end
local function simple_lower(c)
  if c < 0x80 then return (c >= 65 and c <= 90) and c + 32 or c end
  return runmap(LOWER_RUNS, c)
end
R.case_upper, R.case_lower = simple_upper, simple_lower

-- Memoised mapping of one UTF-8 sequence (as matched by NONASCII) to its mapped string.
local function char_mapper(runs, special)
  local memo = {}
  return function(ch)
    local r = memo[ch]
    if r then return r end
    local c, q = dec(ch, 1, sbyte(ch, 1))
    local sp = special[c]
    if sp then
      local t = {}
      for i = 1, #sp do t[i] = utf8(sp[i]) end
      r = concat(t)
    else
      local m = runmap(runs, c)
      r = m == c and ssub(ch, 1, q - 1) or utf8(m)
    end
    if q <= #ch then r = r .. ssub(ch, q) end   -- stray continuation bytes stay as they are
    if #ch <= 4 then memo[ch] = r end
    return r
  end
end
local NONASCII = "[\194-\244][\128-\191]*"
local upper_char = char_mapper(UPPER_RUNS, UPPER_SPECIAL)
local lower_char = char_mapper(LOWER_RUNS, LOWER_SPECIAL)

-- Final sigma: a capital sigma that ends a word lowers to ς instead of σ: a cased letter before
-- it and none after it, case-ignorable characters (apostrophes, periods, combining marks)
-- skipped on either side.
local function fix_final_sigma(src, out)
  local E = require("ljs.regexp_engine")
  local cps, starts, n, p, len = {}, {}, 0, 1, #src
  while p <= len do
    local b = sbyte(src, p)
    local c, q
    if b < 0x80 then c, q = b, p + 1 else c, q = dec(src, p, b) end
    n = n + 1; cps[n], starts[n] = c, p
    p = q
  end
  starts[n + 1] = len + 1
  local function cased_beside(i, step)
    i = i + step
    while cps[i] and E.has_property("Case_Ignorable", cps[i]) do i = i + step end
    return cps[i] ~= nil and E.has_property("Cased", cps[i])
  end
  local parts, k, last = {}, 0, 1
  for i = 1, n do
    if cps[i] == 0x3A3 and cased_beside(i, -1) and not cased_beside(i, 1) then
      k = k + 1; parts[k] = ssub(src, last, starts[i] - 1)
      k = k + 1; parts[k] = "\207\130"   -- ς
      last = starts[i + 1]
    end
  end
  if k == 0 then return out end
  k = k + 1; parts[k] = ssub(src, last)
  -- ς is already lower case, so lowering the patched source keeps it
  return (sgsub(slower(concat(parts)), NONASCII, lower_char))
end

local function to_upper(s)
  s = supper(s)
  if not has_high(s) then return s end
  return (sgsub(s, NONASCII, upper_char))
end
local function to_lower(s)
  local r = slower(s)
  if not has_high(r) then return r end
  r = sgsub(r, NONASCII, lower_char)
  if sfind(s, "\206\163", 1, true) then return fix_final_sigma(s, r) end
  return r
end
R.str_upper, R.str_lower = to_upper, to_lower

---------------------------------------------------------------------------------------------
-- Whitespace (JS WhiteSpace + LineTerminator) for trim

-- Length of the whitespace character starting at p, or nil.
local function ws_at(s, p)
  local b = sbyte(s, p)
  if not b then return nil end
  if b == 32 or (b >= 9 and b <= 13) then return 1 end
  if b < 0xC2 then return nil end
  local b2, b3 = sbyte(s, p + 1, p + 2)
  if b == 0xC2 then return b2 == 0xA0 and 2 or nil end
  if b == 0xE1 then return (b2 == 0x9A and b3 == 0x80) and 3 or nil end
  if b == 0xE2 then
    if b2 == 0x80 then
      if b3 and ((b3 >= 0x80 and b3 <= 0x8A) or b3 == 0xA8 or b3 == 0xA9 or b3 == 0xAF) then return 3 end
    elseif b2 == 0x81 and b3 == 0x9F then return 3 end
    return nil
  end
  if b == 0xE3 then return (b2 == 0x80 and b3 == 0x80) and 3 or nil end
  if b == 0xEF then return (b2 == 0xBB and b3 == 0xBF) and 3 or nil end
  return nil
end

-- Length of the whitespace character ending at byte q (inclusive), or nil.
local function ws_before(s, q)
  local b = sbyte(s, q)
  if not b then return nil end
  if b == 32 or (b >= 9 and b <= 13) then return 1 end
  if b < 0x80 or b > 0xBF then return nil end
  if q >= 2 and ws_at(s, q - 1) == 2 then return 2 end
  if q >= 3 and ws_at(s, q - 2) == 3 then return 3 end
  return nil
end

local function trim(s, at_start, at_end)
  local i, j = 1, #s
  if at_start then
    while i <= j do local l = ws_at(s, i); if not l then break end; i = i + l end
  end
  if at_end then
    while j >= i do local l = ws_before(s, j); if not l then break end; j = j - l end
  end
  if i == 1 and j == #s then return s end
  return (ssub(s, i, j))
end
R.str_trim = trim

---------------------------------------------------------------------------------------------
-- Conversions used by the methods

-- ToIntegerOrInfinity
local function toint(v)
  local n = type(v) == "number" and v or tonum(v)
  if n ~= n then return 0 end
  if n >= 0 then return (floor(n)) end
  return -floor(-n)
end

local function clamp(x, lo, hi)
  if x < lo then return lo end
  if x > hi then return hi end
  return x
end

local STRDATA = setmetatable({}, {__tostring = function() return "<stringdata>" end})
R.STRDATA = STRDATA   -- key of a String wrapper object's string

-- `this` of a String.prototype method as a string.
local function thisstr(this, name)
  local t = type(this)
  if t == "string" then return this end
  if this == nil or this == null then
    type_error("String.prototype." .. name .. " called on null or undefined")
  end
  if t == "table" then
    local d = rawget(this, STRDATA)
    if d then return d end
  end
  return tostr(this)
end

local function is_callable(f)
  return type(f) == "function" or R.typeof(f) == "function"
end

local function isregexp(v)
  local f = R.isregexp
  return f ~= nil and f(v)
end

-- A JS array from a Lua list t[1..n].
local function array_of(t, n)
  local a = {length = n}
  for i = 1, n do a[i - 1] = t[i] end
  return setmetatable(a, ArrayMT)
end

-- The RegExp module, for methods that turn strings into patterns (loaded on first use:
-- ljs.regexp requires this module).
local function regexp_module()
  if not R.re_create then require("ljs.regexp") end
end

---------------------------------------------------------------------------------------------
-- String.prototype and the String constructor
local StringPrototype = setmetatable({}, ObjectMT)
R.StringPrototype = StringPrototype
rawset(StringPrototype, STRDATA, "")   -- String.prototype is itself a String object for ""
rawset(StringPrototype, "length", 0)

-- A String wrapper object (new String(s)): indices are own enumerable properties, length is
-- non-enumerable; valueOf/toString read STRDATA.
local function wrap(o, s)
  rawset(o, STRDATA, s)
  local n, inf = lenof(s)
  for i = 0, n - 1 do
    rawset(o, i, unit_str(s, inf, i))
    R.addkey(o, i)
  end
  rawset(o, "length", n)
  return o
end

local function symbol_descr(v)
  return "Symbol(" .. (rawget(v, "description") or "") .. ")"
end

local String = function(this, ...)
  local s = ""
  if select("#", ...) > 0 then
    local v = ...
    if type(v) == "table" and getmetatable(v) == SymbolMT then
      if R.constructing(this, StringPrototype) then type_error("Cannot convert a Symbol value to a string") end
      s = symbol_descr(v)
    else
      s = tostr(v)
    end
  end
  if R.constructing(this, StringPrototype) then return wrap(this, s) end
  return s
end
R.ctor("String", 1, String, StringPrototype)
R.String = String
function R.new_string_object(s)
  return wrap(setmetatable({}, R.protomt(StringPrototype)), s)
end

local function method(name, len, f) return R.method(StringPrototype, name, len, f) end
local function static(name, len, f) return R.method(String, name, len, f) end

-- String.fromCharCode(...units)
static("fromCharCode", 1, function(_, ...)
  local n = select("#", ...)
  local t = {...}
  local ascii = true
  for i = 1, n do
    local v = t[i]
    if type(v) ~= "number" or v < 0 or v >= 65536 or v ~= floor(v) then
      v = R.touint32(v) % 65536
    end
    t[i] = v
    if v >= 0x80 then ascii = false end
  end
  if n == 0 then return "" end
  if ascii and n <= 4000 then return schar(unpack(t, 1, n)) end
  return units_to_utf8(t, 1, n)
end)

static("fromCodePoint", 1, function(_, ...)
  local n = select("#", ...)
  local t, k = {}, 0
  for i = 1, n do
    local v = select(i, ...)
    local c = tonum(v)
    if c ~= c or c < 0 or c > 0x10FFFF or c ~= floor(c) then
      throw_error("RangeError", "Invalid code point " .. tostr(v))
    end
    if c >= 0x10000 then
      c = c - 0x10000
      k = k + 1; t[k] = 0xD800 + rshift(c, 10)
      k = k + 1; t[k] = 0xDC00 + band(c, 0x3FF)
    else
      k = k + 1; t[k] = c
    end
  end
  if k == 0 then return "" end
  return units_to_utf8(t, 1, k)
end)

-- String.raw(template, ...substitutions)
static("raw", 1, function(_, template, ...)
  if template == nil or template == null then type_error("Cannot convert undefined or null to object") end
  local raw = template.raw
  if raw == nil or raw == null then type_error("Cannot convert undefined or null to object") end
  local len = toint(raw.length)
  if len <= 0 then return "" end
  local nsub = select("#", ...)
  local out, n = {}, 0
  for i = 0, len - 1 do
    n = n + 1; out[n] = tostr(R.get(raw, i))
    if i + 1 < len and i < nsub then n = n + 1; out[n] = tostr((select(i + 1, ...))) end
  end
  return concat(out)
end)

---------------------------------------------------------------------------------------------
-- The metatable of all strings: indices, length, String.prototype

-- Lua's string library stays reachable as `s:sub(...)`, `s:find(...)` etc. for runtime Lua code
-- under names JS strings do not have (`match` is JS's).
local LUA_FALLBACK = {}
for _, k in ipairs({"byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "rep",
                    "reverse", "sub", "upper"}) do
  LUA_FALLBACK[k] = string[k]
end

local StringMT = {}
R.StringMT = StringMT

local function char_index(s, k)
  if k < 0 or k ~= floor(k) or k == huge then return nil end
  return (char_at(s, k))
end

StringMT.__index = function(s, k)
  local tk = type(k)
  if tk == "number" then
    local c = char_index(s, k)
    if c ~= nil then return c end
    return (lookup(StringPrototype, R.tokey(k), s))
  end
  if k == "length" then return (strlen(s)) end
  local v = rawget(StringPrototype, k)
  if v ~= nil then return v end
  if tk == "string" then
    local b = sbyte(k, 1)
    if b and b >= 48 and b <= 57 then
      local nk = R.tokey(k)
      if type(nk) == "number" then return StringMT.__index(s, nk) end
    end
  end
  v = lookup(StringPrototype, k, s)
  if v ~= nil then return v end
  if tk == "string" then return LUA_FALLBACK[k] end
  return nil
end

StringMT.__newindex = function(s, k, _)
  if k == "length" or (type(k) == "number" and k >= 0 and k < strlen(s) and k == floor(k)) then
    R.strict_fail("Cannot assign to read only property '" .. R.keystr(k) .. "' of string '" .. s .. "'")
    return
  end
  R.strict_fail("Cannot create property '" .. R.keystr(k) .. "' on string '" .. s .. "'")
end

-- (no __call: calling a string raises Lua's own error, which names the callee; see R.lua_error_to_js)

R.add_arith(StringMT)
debug.setmetatable("", StringMT)

---------------------------------------------------------------------------------------------
-- Methods: access

method("at", 1, function(this, index)
  local s = thisstr(this, "at")
  local k = toint(index)
  if k < 0 then
    k = strlen(s) + k
    if k < 0 then return nil end
  end
  if k == huge then return nil end
  return (char_at(s, k))
end)

-- charAt, charCodeAt and substring first try the call of scanning loops: an ASCII string and
-- indices in range (NaN fails `>= 0`), where unit i is byte i+1 and ToIntegerOrInfinity is floor.
method("charAt", 1, function(this, pos)
  if type(this) == "string" and type(pos) == "number" and pos >= 0 and pos < #this
     and not uinfo(this) then
    local b = floor(pos) + 1
    return (ssub(this, b, b))
  end
  local s = thisstr(this, "charAt")
  local k = toint(pos)
  if k < 0 or k == huge then return "" end
  return char_at(s, k) or ""
end)

method("charCodeAt", 1, function(this, pos)
  if type(this) == "string" and type(pos) == "number" and pos >= 0 and pos < #this
     and not uinfo(this) then
    return (sbyte(this, floor(pos) + 1))
  end
  local s = thisstr(this, "charCodeAt")
  local k = toint(pos)
  if k < 0 or k == huge then return NaN end
  return (unit_at(s, k)) or NaN
end)

method("codePointAt", 1, function(this, pos)
  local s = thisstr(this, "codePointAt")
  local k = toint(pos)
  if k < 0 or k == huge then return nil end
  local u = unit_at(s, k)
  if u and u >= 0xD800 and u <= 0xDBFF then
    local u2 = unit_at(s, k + 1)
    if u2 and u2 >= 0xDC00 and u2 <= 0xDFFF then return 0x10000 + (u - 0xD800) * 1024 + (u2 - 0xDC00) end
  end
  return u
end)

---------------------------------------------------------------------------------------------
-- Methods: searching

-- First unit index >= from (clamped) where sub occurs, or -1.
local function index_of(s, sub, from)
  local n, inf = lenof(s)
  from = clamp(from, 0, n)
  if sub == "" then return from end
  local p = sfind(s, sub, bpos_ceil(inf, from), true)
  if not p then return -1 end
  return (unit_of(inf, p))
end
R.str_indexof = index_of

local function no_regexp(v, name)
  if isregexp(v) then
    type_error("First argument to String.prototype." .. name .. " must not be a regular expression")
  end
end

method("indexOf", 1, function(this, search, pos)
  local s = thisstr(this, "indexOf")
  return (index_of(s, tostr(search), toint(pos)))
end)

method("lastIndexOf", 1, function(this, search, pos)
  local s = thisstr(this, "lastIndexOf")
  local sub = tostr(search)
  local n, inf = lenof(s)
  local np = tonum(pos)
  local start = (np ~= np) and n or clamp(toint(np), 0, n)
  if sub == "" then return start end
  local maxb = bpos(inf, start)
  -- backwards through windows that double in size, each searched forwards: a search that
  -- started at the front every time made `while ((p = s.lastIndexOf(c, p - 1)) >= 0)` quadratic
  local m = #sub
  local wend, width = math.min(maxb + m - 1, #s), 256
  while wend >= m do
    local wlo = math.max(1, wend - width + 1)
    local chunk, best, p = ssub(s, wlo, wend), nil, 1
    while true do
      local q = sfind(chunk, sub, p, true)
      if not q then break end
      best = q; p = q + 1
    end
    if best then return unit_of(inf, best + wlo - 1) end
    if wlo == 1 then break end
    wend, width = wlo + m - 2, width * 2
  end
  return -1
end)

method("includes", 1, function(this, search, pos)
  local s = thisstr(this, "includes")
  no_regexp(search, "includes")
  return index_of(s, tostr(search), toint(pos)) >= 0
end)

method("startsWith", 1, function(this, search, pos)
  local s = thisstr(this, "startsWith")
  no_regexp(search, "startsWith")
  local sub = tostr(search)
  local n, inf = lenof(s)
  local start = clamp(toint(pos), 0, n)
  if sub == "" then return true end
  local p = bpos(inf, start)
  if inf and start > 0 and inf.pos[start - 1] == p then
    return usub(s, inf, start, min(n, start + strlen(sub))) == sub
  end
  return ssub(s, p, p + #sub - 1) == sub
end)

method("endsWith", 1, function(this, search, endpos)
  local s = thisstr(this, "endsWith")
  no_regexp(search, "endsWith")
  local sub = tostr(search)
  local n, inf = lenof(s)
  local e = endpos == nil and n or clamp(toint(endpos), 0, n)
  if sub == "" then return true end
  if not inf then
    local st = e - #sub
    return st >= 0 and ssub(s, st + 1, e) == sub
  end
  local st = e - strlen(sub)
  return st >= 0 and usub(s, inf, st, e) == sub
end)

-- String.prototype.search/match/matchAll/replace/split defer to an object's Symbol.xxx
-- method when it has one (RegExps use the internal algorithms directly).
local function symbol_method(v, symname)
  local sym = R[symname]
  if sym == nil or v == nil or v == null or type(v) == "string" or type(v) == "number"
     or type(v) == "boolean" then
    return nil
  end
  local f = v[sym]
  if f == nil or f == null then return nil end
  return f
end

method("search", 1, function(this, regexp)
  if this == nil or this == null then thisstr(this, "search") end
  if isregexp(regexp) then return R.re_search(regexp, thisstr(this, "search")) end
  local f = symbol_method(regexp, "sym_search")
  if f then return f(regexp, this) end
  local s = thisstr(this, "search")
  regexp_module()
  return R.re_search(R.re_create(regexp, nil), s)
end)

method("match", 1, function(this, regexp)
  if this == nil or this == null then thisstr(this, "match") end
  if isregexp(regexp) then return R.re_match(regexp, thisstr(this, "match")) end
  local f = symbol_method(regexp, "sym_match")
  if f then return f(regexp, this) end
  local s = thisstr(this, "match")
  regexp_module()
  return R.re_match(R.re_create(regexp, nil), s)
end)

method("matchAll", 1, function(this, regexp)
  if this == nil or this == null then thisstr(this, "matchAll") end
  if isregexp(regexp) then
    if not sfind(tostr(regexp.flags), "g", 1, true) then
      type_error("String.prototype.matchAll called with a non-global RegExp argument")
    end
    return R.re_matchall(regexp, thisstr(this, "matchAll"))
  end
  local f = symbol_method(regexp, "sym_matchAll")
  if f then return f(regexp, this) end
  local s = thisstr(this, "matchAll")
  regexp_module()
  return R.re_matchall(R.re_create(regexp, "g"), s)
end)

method("localeCompare", 1, function(this, that, locales, options)
  local s = thisstr(this, "localeCompare")
  if locales ~= nil or options ~= nil then
    return require("ljs.intl").locale_compare(s, tostr(that), locales, options)
  end
  return R.str_collate(s, tostr(that))
end)

---------------------------------------------------------------------------------------------
-- Methods: slicing

method("slice", 2, function(this, from, to)
  local s = thisstr(this, "slice")
  local n, inf = lenof(s)
  local i = toint(from)
  if i < 0 then i = max(n + i, 0) elseif i > n then i = n end
  local j = n
  if to ~= nil then
    j = toint(to)
    if j < 0 then j = max(n + j, 0) elseif j > n then j = n end
  end
  if i >= j then return "" end
  return (usub(s, inf, i, j))
end)

method("substring", 2, function(this, from, to)
  if type(this) == "string" and type(from) == "number" and type(to) == "number"
     and from >= 0 and from <= to and to <= #this and not uinfo(this) then
    return (ssub(this, floor(from) + 1, floor(to)))
  end
  local s = thisstr(this, "substring")
  local n, inf = lenof(s)
  local i = clamp(toint(from), 0, n)
  local j = to == nil and n or clamp(toint(to), 0, n)
  if i > j then i, j = j, i end
  return (usub(s, inf, i, j))
end)

method("substr", 2, function(this, from, length)
  local s = thisstr(this, "substr")
  local n, inf = lenof(s)
  local i = toint(from)
  if i < 0 then i = max(n + i, 0) elseif i > n then i = n end
  local l = length == nil and n or clamp(toint(length), 0, n)
  local j = min(i + l, n)
  if i >= j then return "" end
  return (usub(s, inf, i, j))
end)

method("concat", 1, function(this, ...)
  local s = thisstr(this, "concat")
  local n = select("#", ...)
  if n == 0 then return s end
  if n == 1 then return s .. tostr((...)) end
  local t = {s}
  for i = 1, n do t[i + 1] = tostr((select(i, ...))) end
  return (concat(t))
end)

method("repeat", 1, function(this, count)
  local s = thisstr(this, "repeat")
  local c = toint(count)
  if c < 0 or c == huge then throw_error("RangeError", "Invalid count value: " .. tostr(tonum(count))) end
  if c == 0 or s == "" then return "" end
  if strlen(s) * c > MAXLEN then throw_error("RangeError", "Invalid string length") end
  return srep(s, c)
end)

-- ToLength
local function tolength(v)
  local n = toint(v)
  if n <= 0 then return 0 end
  return min(n, 9007199254740991)
end

local function pad(s, maxlen, fill, at_start)
  local n = strlen(s)
  local target = tolength(maxlen)
  if target <= n then return s end
  local f = fill == nil and " " or tostr(fill)
  if f == "" then return s end
  if target > MAXLEN then throw_error("RangeError", "Invalid string length") end
  local need = target - n
  local fl, finf = lenof(f)
  local reps = floor(need / fl)
  local filler = srep(f, reps) .. usub(f, finf, 0, need - reps * fl)
  if at_start then return filler .. s end
  return s .. filler
end

method("padStart", 1, function(this, maxlen, fill)
  return pad(thisstr(this, "padStart"), maxlen, fill, true)
end)
method("padEnd", 1, function(this, maxlen, fill)
  return pad(thisstr(this, "padEnd"), maxlen, fill, false)
end)

method("trim", 0, function(this) return trim(thisstr(this, "trim"), true, true) end)
method("trimStart", 0, function(this) return trim(thisstr(this, "trimStart"), true, false) end)
method("trimEnd", 0, function(this) return trim(thisstr(this, "trimEnd"), false, true) end)
rawset(StringPrototype, "trimLeft", rawget(StringPrototype, "trimStart"))
rawset(StringPrototype, "trimRight", rawget(StringPrototype, "trimEnd"))

method("toUpperCase", 0, function(this) return to_upper(thisstr(this, "toUpperCase")) end)
method("toLowerCase", 0, function(this) return to_lower(thisstr(this, "toLowerCase")) end)
method("toLocaleUpperCase", 0, function(this) return to_upper(thisstr(this, "toLocaleUpperCase")) end)
method("toLocaleLowerCase", 0, function(this) return to_lower(thisstr(this, "toLocaleLowerCase")) end)

-- A surrogate code unit kept in a string is a lone one (pairs are stored as their character).
method("isWellFormed", 0, function(this)
  return sfind(thisstr(this, "isWellFormed"), "\237[\160-\191]") == nil
end)
method("toWellFormed", 0, function(this)
  return (sgsub(thisstr(this, "toWellFormed"), "\237[\160-\191][\128-\191]", "\239\191\189"))
end)

local NORMAL_FORMS = {NFC = true, NFD = true, NFKC = true, NFKD = true}
-- Normalization is the identity: input is assumed to be NFC already, which the runtime's
-- sources (UTF-8 text, mostly precomposed) nearly always are.
method("normalize", 0, function(this, form)
  local s = thisstr(this, "normalize")
  local f = form == nil and "NFC" or tostr(form)
  if not NORMAL_FORMS[f] then
    throw_error("RangeError", "The normalization form should be one of NFC, NFD, NFKC, NFKD.")
  end
  -- ASCII is invariant under every form; other text goes to the host's Unicode tables
  if not sfind(s, "[\128-\255]") or not R.host_normalize then return s end
  if not sfind(s, "\237[\160-\191]") then return R.host_normalize(s, f) end
  -- a surrogate code unit (three bytes of its own, not UTF-8) is no character to the host's
  -- tables: normalize the text between them and keep them as they are
  local out, n, i = {}, 0, 1
  while true do
    local a = sfind(s, "\237[\160-\191][\128-\191]", i)
    local seg = ssub(s, i, (a or #s + 1) - 1)
    n = n + 1; out[n] = seg ~= "" and R.host_normalize(seg, f) or ""
    if not a then break end
    n = n + 1; out[n] = ssub(s, a, a + 2)
    i = a + 3
  end
  return (table.concat(out))
end)

local function strict_this(this, name)
  if type(this) == "string" then return this end
  if type(this) == "table" then
    local d = rawget(this, STRDATA)
    if d then return d end
  end
  type_error("String.prototype." .. name .. " requires that 'this' be a String")
end
method("toString", 0, function(this) return strict_this(this, "toString") end)
method("valueOf", 0, function(this) return strict_this(this, "valueOf") end)

---------------------------------------------------------------------------------------------
-- replace / replaceAll / split

-- GetSubstitution: expand $-patterns of template tpl for a match m found at byte position
-- bpos of str; caps[1..ncap] are capture strings or nil; groups is the groups object or nil.
local function expand(tpl, m, str, p, caps, ncap, groups)
  if not sfind(tpl, "$", 1, true) then return tpl end
  local out, n, i, len = {}, 0, 1, #tpl
  while i <= len do
    local d = sfind(tpl, "$", i, true)
    if not d then n = n + 1; out[n] = ssub(tpl, i); break end
    if d > i then n = n + 1; out[n] = ssub(tpl, i, d - 1) end
    local c = sbyte(tpl, d + 1)
    local piece, nexti = "$", d + 1
    if c == 36 then piece, nexti = "$", d + 2                              -- $$
    elseif c == 38 then piece, nexti = m, d + 2                            -- $&
    elseif c == 96 then piece, nexti = ssub(str, 1, p - 1), d + 2          -- $`
    elseif c == 39 then piece, nexti = ssub(str, p + #m), d + 2            -- $'
    elseif c and c >= 48 and c <= 57 then                                  -- $n, $nn
      local d1 = c - 48
      local c2 = sbyte(tpl, d + 2)
      local d2 = (c2 and c2 >= 48 and c2 <= 57) and d1 * 10 + c2 - 48 or nil
      if d2 and d2 >= 1 and d2 <= ncap then piece, nexti = caps[d2] or "", d + 3
      elseif d1 >= 1 and d1 <= ncap then piece, nexti = caps[d1] or "", d + 2
      end
    elseif c == 60 and groups ~= nil then                                  -- $<name>
      local close = sfind(tpl, ">", d + 2, true)
      if close then
        local v = R.get(groups, ssub(tpl, d + 2, close - 1))
        piece, nexti = v == nil and "" or tostr(v), close + 1
      end
    end
    n = n + 1; out[n] = piece
    i = nexti
  end
  return concat(out)
end
R.str_expand = expand

-- what replaces the match of search at byte p (unit offset unit, when known) of s
local function replacement(s, search, fn, repl, p, unit)
  if fn then
    return tostr(fn(nil, search, unit or unit_of(uinfo(s), p), s))
  end
  return expand(repl, search, s, p, nil, 0, nil)
end

-- s with search (no pattern: plain bytes, not empty) replaced by repl (plain, no $ patterns),
-- all of them or the first: one string.gsub, where a loop of find and a table of pieces made
-- garbage per piece. The escaped forms of the last strings asked for are kept.
local MAGIC = "[%^%$%(%)%%%.%[%]%*%+%-%?]"
local escaped, nescaped = {}, 0
local function escape(str, what, with)
  local e = escaped[str]
  if e == nil then
    if nescaped >= 256 then escaped, nescaped = {}, 0 end
    e = (sgsub(str, what, with))
    escaped[str] = e
    nescaped = nescaped + 1
  end
  return e
end
local function gsub_plain(s, search, repl, all)
  local pat = escape(search, MAGIC, "%%%0")
  local r = sfind(repl, "%", 1, true) and (sgsub(repl, "%%", "%%%%")) or repl
  return (sgsub(s, pat, r, not all and 1 or nil))
end
-- (for the regexp module: a pattern of plain characters replaced everywhere)
function R.gsub_plain(s, search, repl) return gsub_plain(s, search, repl, true) end

local function replace_string(s, search, repl, all)
  local fn = is_callable(repl) and repl
  if not fn then repl = tostr(repl) end
  local slen = #search
  if not fn and slen > 0 and not sfind(repl, "$", 1, true) and not sfind(search, "\0", 1, true) then
    return gsub_plain(s, search, repl, all)
  end
  if slen == 0 and all then
    -- every unit boundary matches, pair halves included
    local n, uinf = lenof(s)
    local out, k = {}, 0
    for i = 0, n do
      k = k + 1; out[k] = replacement(s, search, fn, repl, bpos(uinf, i), i)
      if i < n then k = k + 1; out[k] = unit_str(s, uinf, i) end
    end
    return concat(out)
  end
  local p = sfind(s, search, 1, true)
  if not p then return s end
  local out, k, last = {}, 0, 1
  while p do
    k = k + 1; out[k] = ssub(s, last, p - 1)
    k = k + 1; out[k] = replacement(s, search, fn, repl, p)
    last = p + slen
    if not all then break end
    p = sfind(s, search, last, true)
  end
  k = k + 1; out[k] = ssub(s, last)
  return concat(out)
end

method("replace", 2, function(this, search, repl)
  if this == nil or this == null then thisstr(this, "replace") end
  if isregexp(search) then return R.re_replace(search, thisstr(this, "replace"), repl, false) end
  local f = symbol_method(search, "sym_replace")
  if f then return f(search, this, repl) end
  return replace_string(thisstr(this, "replace"), tostr(search), repl, false)
end)

method("replaceAll", 2, function(this, search, repl)
  if this == nil or this == null then thisstr(this, "replaceAll") end
  if isregexp(search) then
    if not sfind(tostr(search.flags), "g", 1, true) then
      type_error("replaceAll must be called with a global RegExp")
    end
    return R.re_replace(search, thisstr(this, "replaceAll"), repl, true)
  end
  local f = symbol_method(search, "sym_replace")
  if f then return f(search, this, repl) end
  return replace_string(thisstr(this, "replaceAll"), tostr(search), repl, true)
end)

local tnew = require("table.new")
method("split", 2, function(this, sep, limit)
  if this == nil or this == null then thisstr(this, "split") end
  if isregexp(sep) then return R.re_split(sep, thisstr(this, "split"), limit) end
  local f = symbol_method(sep, "sym_split")
  if f then return f(sep, this, limit) end
  local s = thisstr(this, "split")
  local lim = limit == nil and 4294967295 or R.touint32(limit)
  local sepstr = sep ~= nil and tostr(sep) or nil
  if lim == 0 then return array_of({}, 0) end
  if sepstr == nil then return array_of({s}, 1) end
  -- (the array itself, filled from 0: sized for a few pieces, [0] and length, where an empty
  -- table grew three times for five pieces)
  local out, n = tnew(4, 2), 0
  if sepstr == "" then
    local len, inf = lenof(s)
    n = min(len, lim)
    if not inf then
      for i = 0, n - 1 do out[i] = ssub(s, i + 1, i + 1) end
    else
      for i = 0, n - 1 do out[i] = unit_str(s, inf, i) end
    end
  else
    -- (the first four pieces cut without a loop: a loop here, in a function that a loop calls,
    -- keeps that loop from being compiled, "inner loop in root trace"; and without a helper
    -- called per piece, which gets a trace of its own before the caller's loop does)
    local p, sl = 1, #sepstr
    local q = sfind(s, sepstr, 1, true)
    if q then out[n] = ssub(s, p, q - 1); n = n + 1; p = q + sl; q = n < lim and sfind(s, sepstr, p, true) end
    if q then out[n] = ssub(s, p, q - 1); n = n + 1; p = q + sl; q = n < lim and sfind(s, sepstr, p, true) end
    if q then out[n] = ssub(s, p, q - 1); n = n + 1; p = q + sl; q = n < lim and sfind(s, sepstr, p, true) end
    if q then out[n] = ssub(s, p, q - 1); n = n + 1; p = q + sl; q = n < lim and sfind(s, sepstr, p, true) end
    while q do out[n] = ssub(s, p, q - 1); n = n + 1; p = q + sl; q = n < lim and sfind(s, sepstr, p, true) end
    if n < lim then out[n] = ssub(s, p); n = n + 1 end   -- (the rest after the last separator)
  end
  out.length = n
  return setmetatable(out, ArrayMT)
end)

---------------------------------------------------------------------------------------------
-- Iteration by code point

local function iter_result(v, done)
  local f = R.iter_result
  if f then return f(v, done) end
  return R.obj({value = v, done = done}, R.shape({"value", "done"}))
end

local ITER_S, ITER_P = {}, {}   -- private keys of a string iterator: the string, next byte
local StringIteratorPrototype = R.newobj(R.IteratorPrototype or R.ObjectPrototype)
R.StringIteratorPrototype = StringIteratorPrototype
R.method(StringIteratorPrototype, "next", 0, function(this)
  local s = type(this) == "table" and rawget(this, ITER_S)
  if not s then type_error("next method called on incompatible receiver " .. R.descr(this)) end
  local p = rawget(this, ITER_P)
  if p > #s then return (iter_result(nil, true)) end
  local q = cp_end(s, p)
  rawset(this, ITER_P, q)
  return (iter_result(ssub(s, p, q - 1), false))
end)
if not R.IteratorPrototype then
  R.method(StringIteratorPrototype, R.sym_iterator, 0, function(this) return this end)
end
if R.sym_toStringTag then
  R.tag(StringIteratorPrototype, "String Iterator")
end

local string_iterator = method(R.sym_iterator, 0, function(this)
  local s = thisstr(this, "[Symbol.iterator]")
  local it = R.newobj(StringIteratorPrototype)
  rawset(it, ITER_S, s); rawset(it, ITER_P, 1)
  return it
end)

-- for…of fast path: the control value is the number of bytes consumed so far.
local function iter_step(s, c)
  if c >= #s then return nil end
  local b = sbyte(s, c + 1)
  if b < 0x80 then return c + 1, ssub(s, c + 1, c + 1) end
  local q = cp_end(s, c + 1)
  return q - 1, ssub(s, c + 1, q - 1)
end
R.fast_iter[string_iterator] = function(v)
  if type(v) ~= "string" then v = thisstr(v, "[Symbol.iterator]") end
  return iter_step, v, 0
end
R.str_iter = function(s) return iter_step, s, 0 end

---------------------------------------------------------------------------------------------
-- localeCompare: an approximation of ICU's root collation, which node uses. Level 1 compares
-- base characters (case and accents ignored; whitespace < punctuation < symbols < digits <
-- letters), level 2 accents, level 3 case (lower first); control characters are ignored.
local ASCII_ORDER = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
local PRIMARY = {}
for i = 1, #ASCII_ORDER do PRIMARY[sbyte(ASCII_ORDER, i)] = i end
for c = 65, 90 do PRIMARY[c] = PRIMARY[c + 32] end
local SYMBOL_PRIMARY = PRIMARY[36] + 0.5       -- non-ASCII symbols: after '$', before digits

-- Latin letters with diacritics -> base letter, from node's NFD (U+00C0..U+024F):
-- runs of lo, hi, base.
local BASE_RUNS = {
  0xC0,0xC5,0x61, 0xC7,0xC7,0x63, 0xC8,0xCB,0x65, 0xCC,0xCF,0x69, 0xD1,0xD1,0x6E, 0xD2,0xD6,0x6F,
  0xD9,0xDC,0x75, 0xDD,0xDD,0x79, 0xE0,0xE5,0x61, 0xE7,0xE7,0x63, 0xE8,0xEB,0x65, 0xEC,0xEF,0x69,
  0xF1,0xF1,0x6E, 0xF2,0xF6,0x6F, 0xF9,0xFC,0x75, 0xFD,0xFD,0x79, 0xFF,0xFF,0x79, 0x100,0x105,0x61,
  0x106,0x10D,0x63, 0x10E,0x10F,0x64, 0x112,0x11B,0x65, 0x11C,0x123,0x67, 0x124,0x125,0x68,
  0x128,0x130,0x69, 0x134,0x135,0x6A, 0x136,0x137,0x6B, 0x139,0x13E,0x6C, 0x143,0x148,0x6E,
  0x14C,0x151,0x6F, 0x154,0x159,0x72, 0x15A,0x161,0x73, 0x162,0x165,0x74, 0x168,0x173,0x75,
  0x174,0x175,0x77, 0x176,0x178,0x79, 0x179,0x17E,0x7A, 0x1A0,0x1A1,0x6F, 0x1AF,0x1B0,0x75,
  0x1CD,0x1CE,0x61, 0x1CF,0x1D0,0x69, 0x1D1,0x1D2,0x6F, 0x1D3,0x1DC,0x75, 0x1DE,0x1E1,0x61,
  0x1E6,0x1E7,0x67, 0x1E8,0x1E9,0x6B, 0x1EA,0x1ED,0x6F, 0x1F0,0x1F0,0x6A, 0x1F4,0x1F5,0x67,
  0x1F8,0x1F9,0x6E, 0x1FA,0x1FB,0x61, 0x200,0x203,0x61, 0x204,0x207,0x65, 0x208,0x20B,0x69,
  0x20C,0x20F,0x6F, 0x210,0x213,0x72, 0x214,0x217,0x75, 0x218,0x219,0x73, 0x21A,0x21B,0x74,
  0x21E,0x21F,0x68, 0x226,0x227,0x61, 0x228,0x229,0x65, 0x22A,0x231,0x6F, 0x232,0x233,0x79,
}
-- letters that expand to two base letters, or have no decomposition but a base letter
local EXPAND = {[0xE6] = {0x61, 0x65}, [0xC6] = {0x61, 0x65}, [0xDF] = {0x73, 0x73},
                [0x153] = {0x6F, 0x65}, [0x152] = {0x6F, 0x65}}
local BASE_EXTRA = {[0xF8] = 0x6F, [0xD8] = 0x6F, [0x111] = 0x64, [0x110] = 0x64, [0x142] = 0x6C,
                    [0x141] = 0x6C, [0x131] = 0x69}

local function base_letter(c)
  local e = BASE_EXTRA[c]
  if e then return e end
  local lo, hi = 0, #BASE_RUNS / 3 - 1
  while lo <= hi do
    local mid = floor((lo + hi) / 2)
    local k = mid * 3
    if c < BASE_RUNS[k + 1] then hi = mid - 1
    elseif c > BASE_RUNS[k + 2] then lo = mid + 1
    else return BASE_RUNS[k + 3] end
  end
  return nil
end

local function is_symbol_cp(c)
  return (c >= 0xA0 and c <= 0xBF) or c == 0xD7 or c == 0xF7 or (c >= 0x2000 and c <= 0x2BFF)
      or (c >= 0x3000 and c <= 0x303F) or (c >= 0xFE30 and c <= 0xFE6F) or (c >= 0x1F000 and c <= 0x1FAFF)
end

-- Collation elements of s: three parallel lists (primary, secondary, tertiary).
-- Canonically equivalent strings collate alike ("é" and "e" + U+0301): non-ASCII text is
-- composed first, into the characters the weights below know.
local function composed(s)
  if R.host_normalize and sfind(s, "[\128-\255]") and not sfind(s, "\237[\160-\191]") then
    return R.host_normalize(s, "NFC")
  end
  return s
end

local function collation_keys(s)
  s = composed(s)
  local p1, p2, p3, n = {}, {}, {}, 0
  local i, len = 1, #s
  while i <= len do
    local b = sbyte(s, i)
    local c, q
    if b < 0x80 then c, q = b, i + 1 else c, q = dec(s, i, b) end
    i = q
    local pw = PRIMARY[c]
    if pw then
      n = n + 1; p1[n] = pw; p2[n] = 0; p3[n] = (c >= 65 and c <= 90) and 1 or 0
    elseif c < 0x20 or c == 0x7F or (c >= 0x80 and c < 0xA0) or c == 0x200B or c == 0xFEFF then
      -- ignorable
    else
      local lower = simple_lower(c)
      local upper = lower ~= c and 1 or 0
      local ex = EXPAND[c]
      if ex then
        n = n + 1; p1[n] = PRIMARY[ex[1]]; p2[n] = 0; p3[n] = upper
        n = n + 1; p1[n] = PRIMARY[ex[2]]; p2[n] = c; p3[n] = upper
      else
        local base = base_letter(lower)
        if base then
          n = n + 1; p1[n] = PRIMARY[base]; p2[n] = lower; p3[n] = upper
        elseif is_symbol_cp(c) then
          n = n + 1; p1[n] = SYMBOL_PRIMARY + c / 2^22; p2[n] = 0; p3[n] = 0
        else
          n = n + 1; p1[n] = 1000 + lower; p2[n] = 0; p3[n] = upper
        end
      end
    end
  end
  return p1, p2, p3, n
end

local function cmp_lists(a, na, b, nb)
  for i = 1, min(na, nb) do
    local x, y = a[i], b[i]
    if x ~= y then return x < y and -1 or 1 end
  end
  if na ~= nb then return na < nb and -1 or 1 end
  return 0
end

-- The same comparison of two ASCII strings, read from their bytes without the key lists: the
-- first difference of base letters decides, then the first of case (lower first).
local function ascii_collate(a, b)
  local la, lb, i, j, case = #a, #b, 1, 1, 0
  while true do
    local ca, cb, pa, pb
    while i <= la do ca = sbyte(a, i); pa = PRIMARY[ca]; if pa then break end; i = i + 1 end
    while j <= lb do cb = sbyte(b, j); pb = PRIMARY[cb]; if pb then break end; j = j + 1 end
    if i > la or j > lb then
      if i <= la then return 1 end
      if j <= lb then return -1 end
      return case
    end
    if pa ~= pb then return pa < pb and -1 or 1 end
    if case == 0 and ca ~= cb then case = ca < cb and 1 or -1 end   -- (an upper-case letter's byte is the lower)
    i, j = i + 1, j + 1
  end
end

function R.str_collate(a, b)
  if a == b then return 0 end
  if not has_high(a) and not has_high(b) then return ascii_collate(a, b) end
  local a1, a2, a3, na = collation_keys(a)
  local b1, b2, b3, nb = collation_keys(b)
  local r = cmp_lists(a1, na, b1, nb)
  if r ~= 0 then return r end
  r = cmp_lists(a2, na, b2, nb)
  if r ~= 0 then return r end
  return cmp_lists(a3, na, b3, nb)
end
-- (Intl.Collator builds its options on these keys)
R.str_collation_keys = collation_keys

return R
