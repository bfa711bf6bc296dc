-- ljs.inspect: node's util.inspect and util.format for LuaScript values.
--
-- A port of node 20's lib/internal/util/inspect.js (formatValue / formatRaw /
-- reduceToSingleString / groupArrayElements ...), colours included. The line breaking
-- rules are kept exactly, because console.log output is compared with node's byte for
-- byte: every length the algorithm measures is a JS length (UTF-16 code units), and
-- the column grouping of arrays measures display width.
--
-- Value kinds that other runtime modules own are recognised through optional hooks on R,
-- looked up at call time since those modules may load after this one:
--   R.coll_kind(o) -> "Map"|"Set"|"WeakMap"|"WeakSet"   R.coll_each(o) -> iterator (k, v)
--   R.typed_kind(o) -> "Float64Array"|...   R.is_arraybuffer(o)   R.arraybuffer_ptr(o) -> uint8_t*
--   R.promise_state(p) -> state, value   R.boxed_value(o) -> primitive of a wrapper object
--   R.isregexp(v)   R.is_error(v)   R.is_class(f)   R.class_parent(f)   R.is_hole(a, i)
--   R.fkinds[f] -> "AsyncFunction"|"GeneratorFunction"|"AsyncGeneratorFunction"
local R = require("ljs.core")

local bit = require("bit")
local type, rawget, rawset, getmetatable, tostring, pairs, ipairs, select, pcall, error, require =
      type, rawget, rawset, getmetatable, tostring, pairs, ipairs, select, pcall, error, require
local floor, sqrt, min, max, huge = math.floor, math.sqrt, math.min, math.max, math.huge
local sbyte, schar, ssub, sfind, sgsub, srep, sformat, smatch =
      string.byte, string.char, string.sub, string.find, string.gsub, string.rep, string.format, string.match
local concat, tsort, tinsert, tremove = table.concat, table.sort, table.insert, table.remove
local band, bor, lshift, rshift = bit.band, bit.bor, bit.lshift, bit.rshift

local null, SymbolMT, SLOW, SHAPE = R.null, R.SymbolMT, R.SLOW, R.SHAPE
local fprops, fnames, arrows = R.fprops, R.fnames, R.arrows
local ObjectPrototype, FunctionPrototype, ArrayPrototype = R.ObjectPrototype, R.FunctionPrototype, R.ArrayPrototype
local getproto, getdesc, hasown, ownkeys, numtostr = R.getproto, R.getdesc, R.hasown, R.ownkeys, R.numtostr
local isarray = R.isarray

local kObjectType, kArrayType, kArrayExtrasType = 0, 1, 2
local kMinLineLength = 16

local DEFAULTS = {
  showHidden = false, depth = 2, colors = false, customInspect = true, showProxy = false,
  maxArrayLength = 100, maxStringLength = 10000, breakLength = 80, compact = 3,
  sorted = false, getters = false, numericSeparator = false,
}
-- node's order of the options a custom inspect function receives
local OPTION_KEYS = {"showHidden", "depth", "colors", "customInspect", "showProxy", "maxArrayLength",
  "maxStringLength", "breakLength", "compact", "sorted", "getters", "numericSeparator"}

-- Globals whose names look like constructors (node's builtInObjects): objects whose
-- toString comes from one of these count as having the built-in toString in format's %s,
-- and prototype properties stop being listed at them.
local builtInObjects = {}
for name in sgsub([[Object Function Array Number Infinity Boolean String Symbol Date Promise
  RegExp Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError Math Intl
  ArrayBuffer DataView Map BigInt Set WeakMap WeakSet Proxy Reflect FinalizationRegistry WeakRef
  Buffer AbortController AbortSignal Event EventTarget TextEncoder TextDecoder TransformStream
  WritableStream ReadableStream BroadcastChannel MessageChannel MessagePort MessageEvent Blob File
  Performance FormData Headers Request Response SharedArrayBuffer Atomics WebAssembly Crypto
  CryptoKey SubtleCrypto CustomEvent]], "%s+", " "):gmatch("%S+") do
  builtInObjects[name] = true
end

---------------------------------------------------------------------------------------------
-- String measures. Lua strings hold UTF-8; JS measures UTF-16 code units.

-- JS `.length`: one unit per UTF-8 sequence, two for 4-byte sequences (astral planes).
local function jslen(s)
  if not sfind(s, "[\128-\255]") then return #s end
  local n = 0
  for i = 1, #s do
    local b = sbyte(s, i)
    if b < 0x80 or b >= 0xC0 then n = n + (b >= 0xF0 and 2 or 1) end
  end
  return n
end

-- Decode the code point starting at byte i; returns cp, next index.
local function decode(s, i)
  local b = sbyte(s, i)
  if b < 0x80 then return b, i + 1 end
  if b >= 0xF0 then
    local b2, b3, b4 = sbyte(s, i + 1, i + 3)
    return bor(lshift(band(b, 7), 18), lshift(band(b2 or 0, 63), 12), lshift(band(b3 or 0, 63), 6), band(b4 or 0, 63)), i + 4
  elseif b >= 0xE0 then
    local b2, b3 = sbyte(s, i + 1, i + 2)
    return bor(lshift(band(b, 15), 12), lshift(band(b2 or 0, 63), 6), band(b3 or 0, 63)), i + 3
  elseif b >= 0xC0 then
    return bor(lshift(band(b, 31), 6), band(sbyte(s, i + 1) or 0, 63)), i + 2
  end
  return b, i + 1
end

local function encode(cp)
  if cp < 0x80 then return schar(cp) end
  if cp < 0x800 then return schar(bor(0xC0, rshift(cp, 6)), bor(0x80, band(cp, 63))) end
  if cp < 0x10000 then
    return schar(bor(0xE0, rshift(cp, 12)), bor(0x80, band(rshift(cp, 6), 63)), bor(0x80, band(cp, 63)))
  end
  return schar(bor(0xF0, rshift(cp, 18)), bor(0x80, band(rshift(cp, 12), 63)),
               bor(0x80, band(rshift(cp, 6), 63)), bor(0x80, band(cp, 63)))
end

local function zero_width(c)
  return c <= 0x1F or (c >= 0x7F and c <= 0x9F) or (c >= 0x300 and c <= 0x36F) or
    (c >= 0x200B and c <= 0x200F) or (c >= 0x20D0 and c <= 0x20FF) or (c >= 0xFE00 and c <= 0xFE0F) or
    (c >= 0xFE20 and c <= 0xFE2F) or (c >= 0xE0100 and c <= 0xE01EF)
end

local function full_width(c)
  return c >= 0x1100 and (c <= 0x115F or c == 0x2329 or c == 0x232A or
    (c >= 0x2E80 and c <= 0x3247 and c ~= 0x303F) or (c >= 0x3250 and c <= 0x4DBF) or
    (c >= 0x4E00 and c <= 0xA4C6) or (c >= 0xA960 and c <= 0xA97C) or (c >= 0xAC00 and c <= 0xD7A3) or
    (c >= 0xF900 and c <= 0xFAFF) or (c >= 0xFE10 and c <= 0xFE19) or (c >= 0xFE30 and c <= 0xFE6B) or
    (c >= 0xFF01 and c <= 0xFF60) or (c >= 0xFFE0 and c <= 0xFFE6) or (c >= 0x1B000 and c <= 0x1B001) or
    (c >= 0x1F200 and c <= 0x1F251) or (c >= 0x1F300 and c <= 0x1F64F) or (c >= 0x20000 and c <= 0x3FFFD))
end

-- Columns a string takes on a terminal (node's getStringWidth without ANSI stripping).
local function strwidth(s)
  if not sfind(s, "[%z\1-\31\127-\255]") then return #s end
  local w, i, n = 0, 1, #s
  while i <= n do
    local c
    c, i = decode(s, i)
    if full_width(c) then w = w + 2 elseif not zero_width(c) then w = w + 1 end
  end
  return w
end
R.strwidth = strwidth

-- ANSI escapes out, for measuring: node's removeColors (SGR only) and stripVTControlCharacters.
local function remove_colors(s)
  if not sfind(s, "\27", 1, true) then return s end
  return (sgsub(s, "\27%[%d%d?m", ""))
end
local function strip_vt(s)
  if not sfind(s, "[\27\194]") then return s end
  s = sgsub(s, "\27%[[%d;?]*[ -/]*[@-~]", "")
  s = sgsub(s, "\194\155[%d;?]*[ -/]*[@-~]", "")
  s = sgsub(s, "\27%][^\7\27]*\7", "")
  return (sgsub(s, "\27%][^\7\27]*\27\\", ""))
end
R.strip_vt = strip_vt

-- getStringWidth(s, ctx.colors)
local function width(ctx, s)
  if ctx.colored then s = strip_vt(s) end
  return strwidth(s)
end

---------------------------------------------------------------------------------------------
-- Colours: util.inspect.colors and util.inspect.styles live on util.inspect (ljs.nodelib puts
-- them there), read on every use as node reads them, so a program's changes take effect.
local COLORS = {
  {"reset", 0, 0}, {"bold", 1, 22}, {"dim", 2, 22}, {"italic", 3, 23}, {"underline", 4, 24},
  {"blink", 5, 25}, {"inverse", 7, 27}, {"hidden", 8, 28}, {"strikethrough", 9, 29},
  {"doubleunderline", 21, 24}, {"black", 30, 39}, {"red", 31, 39}, {"green", 32, 39},
  {"yellow", 33, 39}, {"blue", 34, 39}, {"magenta", 35, 39}, {"cyan", 36, 39}, {"white", 37, 39},
  {"bgBlack", 40, 49}, {"bgRed", 41, 49}, {"bgGreen", 42, 49}, {"bgYellow", 43, 49},
  {"bgBlue", 44, 49}, {"bgMagenta", 45, 49}, {"bgCyan", 46, 49}, {"bgWhite", 47, 49},
  {"framed", 51, 54}, {"overlined", 53, 55}, {"gray", 90, 39}, {"redBright", 91, 39},
  {"greenBright", 92, 39}, {"yellowBright", 93, 39}, {"blueBright", 94, 39},
  {"magentaBright", 95, 39}, {"cyanBright", 96, 39}, {"whiteBright", 97, 39}, {"bgGray", 100, 49},
  {"bgRedBright", 101, 49}, {"bgGreenBright", 102, 49}, {"bgYellowBright", 103, 49},
  {"bgBlueBright", 104, 49}, {"bgMagentaBright", 105, 49}, {"bgCyanBright", 106, 49},
  {"bgWhiteBright", 107, 49},
}
local COLOR_ALIASES = {
  {"gray", "grey"}, {"gray", "blackBright"}, {"bgGray", "bgGrey"}, {"bgGray", "bgBlackBright"},
  {"dim", "faint"}, {"strikethrough", "crossedout"}, {"strikethrough", "strikeThrough"},
  {"strikethrough", "crossedOut"}, {"hidden", "conceal"}, {"inverse", "swapColors"},
  {"inverse", "swapcolors"}, {"doubleunderline", "doubleUnderline"},
}
local STYLES = {
  {"special", "cyan"}, {"number", "yellow"}, {"bigint", "yellow"}, {"boolean", "yellow"},
  {"undefined", "grey"}, {"null", "bold"}, {"string", "green"}, {"symbol", "green"},
  {"date", "magenta"}, {"regexp", "red"}, {"module", "underline"},
}

-- inspect.colors and inspect.styles (null prototypes, the aliases accessors), which the util
-- module puts on util.inspect
do
  local colors, styles = R.newobj(null), R.newobj(null)
  for i = 1, #COLORS do
    local c = COLORS[i]
    R.addkey(colors, c[1]); rawset(colors, c[1], R.pack(c[2], c[3]))
  end
  for i = 1, #COLOR_ALIASES do
    local target, alias = COLOR_ALIASES[i][1], COLOR_ALIASES[i][2]
    R.defprop(colors, alias, {enumerable = false, configurable = true,
      get = R.fn(function(this) return R.get(this, target) end, "get", 0),
      set = R.fn(function(this, v) R.put(this, target, v) end, "set", 1)})
  end
  for i = 1, #STYLES do
    R.addkey(styles, STYLES[i][1]); rawset(styles, STYLES[i][1], STYLES[i][2])
  end
  R.inspect_colors, R.inspect_styles = colors, styles
end

local function util_inspect_fn()
  if R.inspect_fn == nil then require("ljs.nodelib") end
  return R.inspect_fn
end

-- once the util module exists, what util.inspect.styles / .colors hold now (a program may
-- replace them)
local function stylize_with_color(str, style_type)
  local styles, colors = R.inspect_styles, R.inspect_colors
  local fn = R.util_has_colors and R.inspect_fn
  if fn then styles, colors = R.get(fn, "styles"), R.get(fn, "colors") end
  local style = R.get(styles, style_type)
  if style ~= nil then
    local color = R.get(colors, R.tokey(style))
    if color ~= nil then
      return "\27[" .. R.tostr(R.get(color, 0)) .. "m" .. str .. "\27[" .. R.tostr(R.get(color, 1)) .. "m"
    end
  end
  return str
end

-- ctx.stylize is nil without colours (and without a stylize option), so that the plain path
-- only tests a field.
local function sty(ctx, s, style_type)
  local f = ctx.stylize
  if f == nil then return s end
  return f(s, style_type)
end

-- The first n UTF-16 units of s (maxStringLength truncation).
local function jsprefix(s, n)
  local units, i = 0, 1
  while i <= #s do
    local b = sbyte(s, i)
    local size = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
    local u = size == 4 and 2 or 1
    if units + u > n then break end
    units = units + u
    i = i + size
  end
  return ssub(s, 1, i - 1)
end

local function pad_start(s, n)
  local l = jslen(s)
  if l >= n then return s end
  return srep(" ", n - l) .. s
end

local function pad_end(s, n)
  local l = jslen(s)
  if l >= n then return s end
  return s .. srep(" ", n - l)
end

local function join(list, sep)
  return concat(list, sep)
end

---------------------------------------------------------------------------------------------
-- Quoting and escaping strings the way node does.
local meta = {}
for i = 0, 31 do meta[i] = sformat("\\x%02X", i) end
meta[8], meta[9], meta[10], meta[12], meta[13] = "\\b", "\\t", "\\n", "\\f", "\\r"
meta[39], meta[92], meta[127] = "\\'", "\\\\", "\\x7F"
for i = 128, 159 do meta[i] = sformat("\\x%02X", i) end

local ascii_esc = {}   -- single byte -> escape, for gsub
for i = 0, 31 do ascii_esc[schar(i)] = meta[i] end
ascii_esc["\\"], ascii_esc["\127"] = meta[92], meta[127]

local function c1_esc(c) return meta[sbyte(c)] end

-- WTF-8 surrogates: a pair becomes the real character, a lone one its \u escape.
local function pair_fix(a, b, c, d)
  local hi = 0xD000 + (sbyte(a) - 0x80) * 64 + (sbyte(b) - 0x80)
  local lo = 0xD000 + (sbyte(c) - 0x80) * 64 + (sbyte(d) - 0x80)
  return encode(0x10000 + (hi - 0xD800) * 0x400 + (lo - 0xDC00))
end
local function lone_esc(a, b)
  return sformat("\\u%x", 0xD000 + (sbyte(a) - 0x80) * 64 + (sbyte(b) - 0x80))
end

-- Escape control characters, the backslash and (when quote_too) the single quote.
local function escape(s, quote_too)
  if sfind(s, "[%z\1-\31\\\127]") then s = sgsub(s, "[%z\1-\31\\\127]", ascii_esc) end
  if quote_too and sfind(s, "'", 1, true) then s = sgsub(s, "'", "\\'") end
  if sfind(s, "[\194\237]") then
    s = sgsub(s, "\194([\128-\159])", c1_esc)
    s = sgsub(s, "\237([\160-\175])([\128-\191])\237([\176-\191])([\128-\191])", pair_fix)
    s = sgsub(s, "\237([\160-\191])([\128-\191])", lone_esc)
  end
  return s
end

-- Single quotes unless the string holds one: then double quotes, else backticks.
local function strEscape(s)
  if sfind(s, "'", 1, true) then
    if not sfind(s, '"', 1, true) then return '"' .. escape(s, false) .. '"' end
    if not sfind(s, "`", 1, true) and not sfind(s, "${", 1, true) then return "`" .. escape(s, false) .. "`" end
  end
  return "'" .. escape(s, true) .. "'"
end
R.str_escape = strEscape

---------------------------------------------------------------------------------------------
-- Value classification helpers.
local function is_symbol(v) return type(v) == "table" and getmetatable(v) == SymbolMT end

local function is_callable(v)
  local t = type(v)
  if t == "function" then return true end
  if t == "table" then
    local mt = getmetatable(v)
    return mt ~= nil and mt.callable and true or false
  end
  return false
end

-- The prototype of any object value (functions inherit from their parent class or
-- Function.prototype).
local function class_parent(f)
  if R.class_parent then return R.class_parent(f) end
  local t = fprops[f]
  local mt = t and getmetatable(t)
  local p = mt and mt.proto
  if type(p) == "function" then return p end
  if type(p) == "table" and p ~= ObjectPrototype and p ~= FunctionPrototype and p ~= null then
    for g, gt in pairs(fprops) do if gt == p then return g end end
  end
  return nil
end

local function proto_of(v)
  if type(v) == "function" then return class_parent(v) or FunctionPrototype end
  return getproto(v)
end

local function is_class(f)
  if R.is_class then return R.is_class(f) end
  local t = fprops[f]
  return t ~= nil and rawget(t, "__class") == true
end

-- The value of an own data property (nil when absent or an accessor).
local function own_value(o, k)
  if type(o) == "function" then o = fprops[o]; if not o then return nil end end
  local v = rawget(o, k)
  if v ~= nil then return v end
  local slow = rawget(o, SLOW)
  local d = slow and slow[k]
  return d and d.value
end

local function fn_prototype(f)
  if type(f) ~= "function" then return f.prototype end
  local t = fprops[f]
  local p = t and rawget(t, "prototype")
  if p == nil and t and rawget(t, SLOW) then p = own_value(t, "prototype") end
  return p
end

local function chain_has(v, target)
  if target == nil then return false end
  local p = proto_of(v)
  while p and p ~= null do
    if p == target then return true end
    p = proto_of(p)
  end
  return false
end

local function fname(f)
  local n = f.name
  if type(n) ~= "string" then return "" end
  return n
end

local function is_error(v)
  if R.is_error then return R.is_error(v) end
  local E = rawget(R.G, "Error")
  return E ~= nil and chain_has(v, fn_prototype(E))
end

local function coll_kind(v)
  local f = R.coll_kind
  return f and f(v)
end

-- "Float64Array" etc. for typed arrays, "ArrayBuffer" for buffers.
local function typed_kind(v)
  local f = R.is_arraybuffer
  if f and f(v) then return "ArrayBuffer" end
  f = R.typed_kind
  return f and f(v)
end

local function promise_state(v)
  local f = R.promise_state
  if not f then return nil end
  local st, val = f(v)
  if st ~= nil and val == nil and R.promise_value then val = R.promise_value(v) end
  return st, val
end

local function is_regexp(v)
  local f = R.isregexp
  return f and f(v)
end

local function is_hole(a, i)
  if R.is_hole then return R.is_hole(a, i) end
  if rawget(a, i) ~= nil then return false end
  local slow = rawget(a, SLOW)
  return not (slow and slow[i])
end

local function array_length(a)
  local n = rawget(a, "length")
  if n == nil then n = a.length end
  return n or 0
end

---------------------------------------------------------------------------------------------
-- Primitives
local function formatNumber(n)
  if n == 0 and 1 / n < 0 then return "-0" end
  return numtostr(n)
end

local function symbol_string(s)
  return "Symbol(" .. (s.description or "") .. ")"
end

-- Split a long string after each newline (node's /(?<=\n)/ split).
local function split_lines(s)
  local out, n, pos = {}, 0, 1
  while true do
    local e = sfind(s, "\n", pos, true)
    if not e or e == #s then n = n + 1; out[n] = ssub(s, pos); break end
    n = n + 1; out[n] = ssub(s, pos, e)
    pos = e + 1
  end
  return out
end

-- nocolor: node's formatPrimitive(stylizeNoColor, ...) (boxed primitives)
local function formatPrimitive(ctx, v, nocolor)
  local st = not nocolor and ctx.stylize
  local t = type(v)
  if t == "string" then
    local trailer = ""
    local len = jslen(v)
    if len > ctx.maxStringLength then
      local remaining = len - ctx.maxStringLength
      v = jsprefix(v, ctx.maxStringLength)
      len = ctx.maxStringLength
      trailer = "... " .. remaining .. " more character" .. (remaining > 1 and "s" or "")
    end
    if ctx.compact ~= true and len > kMinLineLength and len > ctx.breakLength - ctx.indentationLvl - 4 then
      local lines = split_lines(v)
      for i = 1, #lines do
        lines[i] = strEscape(lines[i])
        if st then lines[i] = st(lines[i], "string") end
      end
      return join(lines, " +\n" .. srep(" ", ctx.indentationLvl + 2)) .. trailer
    end
    if st then return st(strEscape(v), "string") .. trailer end
    return strEscape(v) .. trailer
  end
  local s, style
  if t == "number" then s, style = formatNumber(v), "number"
  elseif t == "boolean" then s, style = v and "true" or "false", "boolean"
  elseif t == "nil" then s, style = "undefined", "undefined"
  elseif is_symbol(v) then s, style = symbol_string(v), "symbol"
  elseif getmetatable(v) == R.BigIntMT then s, style = R.big.tostring(v) .. "n", "bigint"
  else return tostring(v) end
  if st then return st(s, style) end
  return s
end

local function remainingText(n)
  return "... " .. n .. " more item" .. (n > 1 and "s" or "")
end

---------------------------------------------------------------------------------------------
-- Keys
local function is_internal_key(k)
  -- raw fields the compiler and runtime keep on function property tables
  return type(k) == "string" and sfind(k, "^__") ~= nil and k ~= "__proto__"
end

-- Own keys as node's getKeys: strings (integer keys first) then symbols; enumerable only
-- unless show_hidden.
local function getKeys(v, show_hidden)
  local out, n = {}, 0
  local syms, ns = nil, 0
  local seen = {}
  if type(v) == "function" and show_hidden then
    local names = {"length", "name"}
    if hasown(v, "prototype") then names[3] = "prototype" end
    for i = 1, #names do n = n + 1; out[n] = names[i]; seen[names[i]] = true end
  end
  local list, ln = ownkeys(v, true, show_hidden)
  for i = 1, ln do
    local k = list[i]
    if is_symbol(k) then
      ns = ns + 1; syms = syms or {}; syms[ns] = k
    elseif not seen[k] and not (type(v) == "function" and is_internal_key(k)) then
      seen[k] = true
      n = n + 1; out[n] = k
    end
  end
  for i = 1, ns do n = n + 1; out[n] = syms[i] end
  return out, n
end

-- Keys of an array that are not indices (getOwnNonIndexProperties).
local function nonIndexKeys(a, show_hidden)
  local out, n = {}, 0
  if show_hidden then n = 1; out[1] = "length" end
  local list, ln = getKeys(a, show_hidden)
  for i = 1, ln do
    local k = list[i]
    if type(k) ~= "number" and k ~= "length" then n = n + 1; out[n] = k end
  end
  return out, n
end

local function is_enumerable(o, k)
  local d = getdesc(o, k)
  return d ~= nil and d.enumerable ~= false
end

-- The descriptor of an own property; plain raw fields skip building one through getdesc.
-- A raw field is enumerable when its key is in the shape (array elements always are).
local function describe(o, k)
  if type(o) == "table" then
    local v = rawget(o, k)
    if v ~= nil then
      local en = type(k) == "number" and isarray(o)
      if not en then
        local s = rawget(o, SHAPE)
        en = s ~= nil and s.index[k] ~= nil
      end
      return {value = v, enumerable = en}
    end
  end
  local d = getdesc(o, k)
  if d then return d end
  return {value = o[k], enumerable = true}
end

---------------------------------------------------------------------------------------------
-- Constructor names and prefixes
local formatValue, formatProperty, inspect, make_ctx, user_options

local function getPrefix(constructor, tag, fallback, size)
  size = size or ""
  if constructor == nil then
    if tag ~= "" and fallback ~= tag then
      return "[" .. fallback .. size .. ": null prototype] [" .. tag .. "] "
    end
    return "[" .. fallback .. size .. ": null prototype] "
  end
  if tag ~= "" and constructor ~= tag then
    return constructor .. size .. " [" .. tag .. "] "
  end
  return constructor .. size .. " "
end

-- V8's class name of an object (internalGetConstructorName): the kind of object it is.
local function internalName(v)
  if is_callable(v) then return "Function" end
  if isarray(v) then return "Array" end
  local k = coll_kind(v) or typed_kind(v)
  if k then return k end
  if is_error(v) then return "Error" end
  return "Object"
end

local function getCtxStyle(v, constructor, tag)
  local fallback = ""
  if constructor == nil then
    fallback = internalName(v)
    if fallback == tag then fallback = "Object" end
  end
  return getPrefix(constructor, tag, fallback)
end

local wellKnown = {[ObjectPrototype] = "Object", [FunctionPrototype] = "Function", [ArrayPrototype] = "Array"}

local function addPrototypeProperties(ctx, main, obj, rt, output)
  local depth = 0
  local keys, keySet
  repeat
    if depth ~= 0 or main == obj then
      obj = proto_of(obj)
      if obj == nil or obj == null or wellKnown[obj] then return end
      local c = own_value(obj, "constructor")
      if is_callable(c) and builtInObjects[fname(c)] then return end
    end
    if depth == 0 then
      keySet = {}
    else
      for i = 1, #keys do keySet[keys[i]] = true end
    end
    keys = getKeys(obj, true)
    ctx.seen[main] = true
    for i = 1, #keys do
      local key = keys[i]
      if not (key == "constructor" or hasown(main, key) or (depth ~= 0 and keySet[key])) then
        local d = getdesc(obj, key)
        if d and not is_callable(d.value) then
          local str = formatProperty(ctx, obj, rt, key, kObjectType, d, main)
          if ctx.colored then str = "\27[2m" .. str .. "\27[22m" end   -- faint
          output[#output + 1] = str
        end
      end
    end
    ctx.seen[main] = nil
    depth = depth + 1
  until depth == 3
end

-- The name of the nearest constructor on v's prototype chain; nil for a null prototype.
local function getConstructorName(v, ctx, rt, protoProps)
  local firstProto
  local obj = v
  while obj and obj ~= null do
    local known = obj ~= v and wellKnown[obj]   -- (Array.prototype is no instance of Array)
    if known then
      if protoProps and firstProto ~= obj then
        addPrototypeProperties(ctx, v, firstProto or v, rt, protoProps)
      end
      return known
    end
    local c = own_value(obj, "constructor")
    if is_callable(c) then
      local name = fname(c)
      if name ~= "" and chain_has(v, fn_prototype(c)) then
        if protoProps and (firstProto ~= obj or not builtInObjects[name]) then
          addPrototypeProperties(ctx, v, firstProto or v, rt, protoProps)
        end
        return name
      end
    end
    obj = proto_of(obj)
    if firstProto == nil then firstProto = obj or null end
  end
  if firstProto == null or firstProto == nil then return nil end
  local res = internalName(v)
  if rt > ctx.depth then return res .. " <Complex prototype>" end
  local protoConstr = getConstructorName(firstProto, ctx, rt + 1, protoProps)
  if protoConstr == nil then
    local c = make_ctx({depth = -1, showHidden = ctx.showHidden, breakLength = ctx.breakLength,
      compact = ctx.compact, colors = ctx.colors})
    c.stylize = ctx.stylize
    return res .. " <" .. formatValue(c, firstProto, 0) .. ">"
  end
  return res .. " <" .. protoConstr .. ">"
end

---------------------------------------------------------------------------------------------
-- Bases: the text before the braces of functions, classes, regexps, errors
local function getClassBase(v, constructor, tag)
  local name = fname(v)
  if name == "" then name = "(anonymous)" end
  local base = "class " .. name
  if constructor ~= "Function" and constructor ~= nil then base = base .. " [" .. constructor .. "]" end
  if tag ~= "" and constructor ~= tag then base = base .. " [" .. tag .. "]" end
  if constructor ~= nil then
    local parent = class_parent(v)
    local superName = parent and fname(parent) or ""
    if superName ~= "" then base = base .. " extends " .. superName end
  else
    base = base .. " extends [null prototype]"
  end
  return "[" .. base .. "]"
end

local function getFunctionBase(v, constructor, tag)
  if type(v) == "function" and is_class(v) then return getClassBase(v, constructor, tag) end
  local typ = (R.fkinds and type(v) == "function" and R.fkinds[v]) or "Function"
  if typ ~= "Function" and constructor == "Function" then constructor = typ end
  local base = "[" .. typ
  if constructor == nil then base = base .. " (null prototype)" end
  local name = fname(v)
  if name == "" then base = base .. " (anonymous)" else base = base .. ": " .. name end
  base = base .. "]"
  if constructor ~= typ and constructor ~= nil then base = base .. " " .. constructor end
  if tag ~= "" and constructor ~= tag then base = base .. " [" .. tag .. "]" end
  return base
end

local function errorToString(err)
  local name, msg = err.name, err.message
  name = name == nil and "Error" or R.tostr(name)
  msg = msg == nil and "" or R.tostr(msg)
  if name == "" then return msg end
  if msg == "" then return name end
  return name .. ": " .. msg
end

local function getStackString(err)
  -- (ljs.error's error_stack shows a stack as V8 formats it when first read)
  local s = R.error_stack and R.error_stack(err)
  if s == nil then s = err.stack end
  if R.truthy(s) then return R.tostr(s) end
  return errorToString(err)
end

local function split_plain(s, sep)
  local out, n, pos = {}, 0, 1
  while true do
    local a, b = sfind(s, sep, pos, true)
    n = n + 1
    if not a then out[n] = ssub(s, pos); return out end
    out[n] = ssub(s, pos, a - 1)
    pos = b + 1
  end
end

local function index_of(list, v, from)
  for i = from or 1, #list do if list[i] == v then return i end end
  return nil
end

-- Where the frames of `a` repeat a run of at least four frames of `b` (error causes).
local function identicalSequenceRange(a, b)
  for i = 1, #a - 3 do
    local pos = index_of(b, a[i])
    if pos then
      local rest = #b - pos + 1
      if rest > 3 then
        local len = 1
        local maxLen = min(#a - i + 1, rest)
        while maxLen > len and a[i + len] == b[pos + len] do len = len + 1 end
        if len > 3 then return len, i end
      end
    end
  end
  return 0, 0
end

local function getStackFrames(ctx, err, stack)
  local frames = split_plain(stack, "\n")
  local ok, cause = pcall(function() return err.cause end)
  if ok and cause ~= nil and cause ~= null and R.isobject(cause) and is_error(cause) then
    local causeStack = getStackString(cause)
    local at = sfind(causeStack, "\n    at", 1, true)
    if at then
      local causeFrames = split_plain(ssub(causeStack, at + 1), "\n")
      local len, offset = identicalSequenceRange(frames, causeFrames)
      if len > 0 then
        local skipped = len - 2
        local msg = sty(ctx, "    ... " .. skipped .. " lines matching cause stack trace ...", "undefined")
        -- splice(offset + 1, skipped, msg) on a 0-based array; offset is 1-based here
        local out = {}
        for i = 1, offset do out[#out + 1] = frames[i] end
        out[#out + 1] = msg
        for i = offset + 1 + skipped, #frames do out[#out + 1] = frames[i] end
        frames = out
      end
    end
  end
  return frames
end

local function improveStack(stack, constructor, name, tag)
  local len = #name
  local c = ssub(stack, len + 1, len + 1)
  if constructor == nil or (ssub(name, -5) == "Error" and ssub(stack, 1, len) == name and
                            (#stack == len or c == ":" or c == "\n")) then
    local fallback = "Error"
    if constructor == nil then
      local start = smatch(stack, "^([A-Z][a-z_ A-Z0-9%[%]()%-]+):") or
                    smatch(stack, "^([A-Z][a-z_ A-Z0-9%[%]()%-]+)\n    at") or
                    smatch(stack, "^([a-z_A-Z0-9%-]*Error)$")
      fallback = start or ""
      len = #fallback
      if fallback == "" then fallback = "Error" end
    end
    local prefix = ssub(getPrefix(constructor, tag, fallback), 1, -2)
    if name ~= prefix then
      if sfind(prefix, name, 1, true) then
        if len == 0 then stack = prefix .. ": " .. stack
        else stack = prefix .. ssub(stack, len + 1) end
      else
        stack = prefix .. " [" .. name .. "]" .. ssub(stack, len + 1)
      end
    end
  end
  return stack
end

local function removeDuplicateErrorKeys(ctx, keys, err, stack)
  if not ctx.showHidden and #keys ~= 0 then
    for _, name in ipairs({"name", "message", "stack"}) do
      local i = index_of(keys, name)
      if i then
        local v = err[name]
        local ok, s = pcall(R.tostr, v)
        if ok and sfind(stack, s, 1, true) then tremove(keys, i) end
      end
    end
  end
end

-- Colours in a stack frame: node's own frames grey, node_modules package names underlined,
-- the working directory grey (node's markNodeModules / markCwd).
local function mark_cwd(ctx, line, cwd)
  local at = sfind(line, cwd, 1, true)
  if not at then return line end
  local cwdLength = #cwd
  if at > 7 and ssub(line, at - 7, at - 1) == "file://" then
    cwdLength, at = cwdLength + 7, at - 7
  end
  local start = ssub(line, at - 1, at - 1) == "(" and at - 1 or at
  local close = start ~= at and ssub(line, -1) == ")"
  local endPos = at + cwdLength + 1   -- (the separator after the directory too)
  local out = ssub(line, 1, start - 1) .. sty(ctx, ssub(line, start, endPos - 1), "undefined") ..
    ssub(line, endPos, close and -2 or -1)
  if close then out = out .. sty(ctx, ")", "undefined") end
  return out
end

local function mark_frame(ctx, line)
  local id = smatch(line, "^    at [^/\\(]+ %(node:(.+):%d+:%d+%)$") or smatch(line, "^    at node:(.+):%d+:%d+%)?$")
  if id and (sfind(id, "^internal/") or (R.NODE_CORE and R.NODE_CORE[id])) then
    return sty(ctx, line, "undefined")
  end
  if sfind(line, "[/\\]node_modules[/\\]") then
    line = sgsub(line, "([/\\]node_modules[/\\])([^/\\]+)%f[/\\]", function(a, name)
      return a .. sty(ctx, name, "module")
    end)
  end
  local cwd = R.cwd
  if type(cwd) == "string" and cwd ~= "" then
    local marked = mark_cwd(ctx, line, cwd)
    if marked == line then marked = mark_cwd(ctx, line, "file://" .. cwd) end
    line = marked
  end
  return line
end

local function formatError(err, constructor, tag, ctx, keys)
  local name = err.name
  name = (name ~= nil and name ~= null) and R.tostr(name) or "Error"
  local stack = getStackString(err)
  removeDuplicateErrorKeys(ctx, keys, err, stack)
  if R.has(err, "cause") and (#keys == 0 or not index_of(keys, "cause")) then
    keys[#keys + 1] = "cause"
  end
  local errs = err.errors
  if isarray(errs) and (#keys == 0 or not index_of(keys, "errors")) then
    keys[#keys + 1] = "errors"
  end
  stack = improveStack(stack, constructor, name, tag)

  -- Ignore the message if the stack holds it (node: `(msg && indexOf) || -1`).
  local msg = err.message
  local pos = -1
  if R.truthy(msg) then
    msg = R.tostr(msg)
    local i = sfind(stack, msg, 1, true)
    if i and i > 1 then pos = i - 1 + #msg end
  end
  local stackStart = sfind(stack, "\n    at", max(pos, 0) + 1, true)
  if not stackStart then
    stack = "[" .. stack .. "]"
  else
    local lines = getStackFrames(ctx, err, ssub(stack, stackStart + 1))
    if ctx.colored then
      for i = 1, #lines do lines[i] = mark_frame(ctx, lines[i]) end
    end
    stack = ssub(stack, 1, stackStart - 1) .. "\n" .. join(lines, "\n")
  end
  if ctx.indentationLvl ~= 0 then
    stack = sgsub(stack, "\n", "\n" .. srep(" ", ctx.indentationLvl))
  end
  return stack
end

---------------------------------------------------------------------------------------------
-- Grouping of array entries into aligned columns
local function groupArrayElements(ctx, output, value)
  local totalLength, maxLength = 0, 0
  local outputLength = #output
  if ctx.maxArrayLength < #output then
    -- keep the "... n more items" entry out of the measures
    outputLength = outputLength - 1
  end
  local separatorSpace = 2
  local dataLen = {}
  for i = 1, outputLength do
    local len = width(ctx, output[i])
    dataLen[i] = len
    totalLength = totalLength + len + separatorSpace
    if maxLength < len then maxLength = len end
  end
  local actualMax = maxLength + separatorSpace
  -- at least three columns must fit, and no entry may dwarf the others
  if actualMax * 3 + ctx.indentationLvl < ctx.breakLength and
     (totalLength / actualMax > 5 or maxLength <= 6) then
    local approxCharHeights = 2.5
    local averageBias = sqrt(actualMax - totalLength / #output)
    local biasedMax = max(actualMax - 3 - averageBias, 1)
    local columns = min(
      floor(sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax + 0.5),
      floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15)
    if columns <= 1 then return output end
    local tmp, maxLineLength = {}, {}
    for i = 1, columns do
      local lineMaxLength = 0
      for j = i, #output, columns do
        local d = dataLen[j]
        if d and d > lineMaxLength then lineMaxLength = d end
      end
      maxLineLength[i] = lineMaxLength + separatorSpace
    end
    local padStart = true
    if value ~= nil then
      -- numbers line up to the right, anything else to the left
      for i = 0, #output - 1 do
        if type(value[i]) ~= "number" then padStart = false; break end
      end
    end
    for i = 1, outputLength, columns do
      local last = min(i + columns - 1, outputLength)
      local parts = {}
      for j = i, last - 1 do
        local s = output[j] .. ", "
        local padding = maxLineLength[j - i + 1] + jslen(output[j]) - dataLen[j]
        parts[#parts + 1] = padStart and pad_start(s, padding) or pad_end(s, padding)
      end
      if padStart then
        local padding = maxLineLength[last - i + 1] + jslen(output[last]) - dataLen[last] - separatorSpace
        parts[#parts + 1] = pad_start(output[last], padding)
      else
        parts[#parts + 1] = output[last]
      end
      tmp[#tmp + 1] = concat(parts)
    end
    if ctx.maxArrayLength < #output then tmp[#tmp + 1] = output[#output] end
    output = tmp
  end
  return output
end

---------------------------------------------------------------------------------------------
-- Putting entries on one line or several
local function isBelowBreakLength(ctx, output, start, base)
  local totalLength = #output + start
  if totalLength + #output > ctx.breakLength then return false end
  local colors = ctx.colored
  for i = 1, #output do
    totalLength = totalLength + jslen(colors and remove_colors(output[i]) or output[i])
    if totalLength > ctx.breakLength then return false end
  end
  return base == "" or not sfind(base, "\n", 1, true)
end

local function reduceToSingleString(ctx, output, base, braces, extrasType, rt, value)
  if ctx.compact ~= true then
    if type(ctx.compact) == "number" and ctx.compact >= 1 then
      local entries = #output
      if extrasType == kArrayExtrasType and entries > 6 then
        output = groupArrayElements(ctx, output, value)
      end
      -- Combine the innermost `compact` levels on one line when they fit.
      if ctx.currentDepth - rt < ctx.compact and entries == #output then
        local start = #output + ctx.indentationLvl + jslen(braces[1]) + jslen(base) + 10
        if isBelowBreakLength(ctx, output, start, base) then
          local joined = join(output, ", ")
          if not sfind(joined, "\n", 1, true) then
            return (base ~= "" and base .. " " or "") .. braces[1] .. " " .. joined .. " " .. braces[2]
          end
        end
      end
    end
    local indentation = "\n" .. srep(" ", ctx.indentationLvl)
    return (base ~= "" and base .. " " or "") .. braces[1] .. indentation .. "  " ..
      join(output, "," .. indentation .. "  ") .. indentation .. braces[2]
  end
  if isBelowBreakLength(ctx, output, 0, base) then
    return braces[1] .. (base ~= "" and " " .. base or "") .. " " .. join(output, ", ") .. " " .. braces[2]
  end
  local indentation = srep(" ", ctx.indentationLvl)
  local ln = (base == "" and #braces[1] == 1) and " " or
             ((base ~= "" and " " .. base or "") .. "\n" .. indentation .. "  ")
  return braces[1] .. ln .. join(output, ",\n" .. indentation .. "  ") .. " " .. braces[2]
end

---------------------------------------------------------------------------------------------
-- Properties
local function keyName(ctx, key, enumerable)
  if is_symbol(key) then return "[" .. sty(ctx, escape(symbol_string(key), true), "symbol") .. "]" end
  if type(key) == "number" then key = numtostr(key) end
  if key == "__proto__" then return "['__proto__']" end
  if enumerable == false then return "[" .. escape(key, true) .. "]" end
  if sfind(key, "^[%a_][%w_]*$") then return sty(ctx, key, "name") end
  return sty(ctx, strEscape(key), "string")
end

formatProperty = function(ctx, value, rt, key, typ, desc, original)
  desc = desc or describe(value, key)
  local str
  local extra = " "
  if desc.value ~= nil then
    local diff = (ctx.compact ~= true or typ ~= kObjectType) and 2 or 3
    ctx.indentationLvl = ctx.indentationLvl + diff
    str = formatValue(ctx, desc.value, rt)
    if diff == 3 and ctx.breakLength < width(ctx, str) then
      extra = "\n" .. srep(" ", ctx.indentationLvl)
    end
    ctx.indentationLvl = ctx.indentationLvl - diff
  elseif desc.get ~= nil and desc.get ~= R.NOGET then
    local label = desc.set ~= nil and "Getter/Setter" or "Getter"
    local g = ctx.getters
    if g and (g == true or (g == "get" and desc.set == nil) or (g == "set" and desc.set ~= nil)) then
      local ok, tmp = pcall(desc.get, original or value)
      local open, close = sty(ctx, "[" .. label .. ":", "special"), sty(ctx, "]", "special")
      if ok then
        ctx.indentationLvl = ctx.indentationLvl + 2
        if tmp == null then
          str = open .. " " .. sty(ctx, "null", "null") .. close
        elseif R.isobject(tmp) then
          str = sty(ctx, "[" .. label .. "]", "special") .. " " .. formatValue(ctx, tmp, rt)
        else
          str = open .. " " .. formatPrimitive(ctx, tmp) .. close
        end
        ctx.indentationLvl = ctx.indentationLvl - 2
      else
        local e = R.caught(tmp)
        local m = type(e) == "table" and e.message or tostring(e)
        str = open .. " <Inspection threw (" .. R.tostr(m) .. ")>" .. close
      end
    else
      str = sty(ctx, "[" .. label .. "]", "special")
    end
  elseif desc.set ~= nil then
    str = sty(ctx, "[Setter]", "special")
  else
    str = sty(ctx, "undefined", "undefined")
  end
  if typ == kArrayType then return str end
  return keyName(ctx, key, desc.enumerable) .. ":" .. extra .. str
end

---------------------------------------------------------------------------------------------
-- Formatters of entries: each returns a list of strings
local function formatSpecialArray(ctx, value, rt, maxLength, output, i)
  local keys = ownkeys(value)
  local index = i
  local n = #output
  while keys[i + 1] ~= nil and n < maxLength do
    local key = keys[i + 1]
    if type(key) ~= "number" or key > 4294967294 then break end
    if key ~= index then
      local empty = key - index
      n = n + 1; output[n] = sty(ctx, "<" .. empty .. " empty item" .. (empty > 1 and "s" or "") .. ">", "undefined")
      index = key
      if n == maxLength then break end
    end
    n = n + 1; output[n] = formatProperty(ctx, value, rt, key, kArrayType)
    index = index + 1
    i = i + 1
  end
  local remaining = array_length(value) - index
  if n ~= maxLength then
    if remaining > 0 then
      output[n + 1] = sty(ctx, "<" .. remaining .. " empty item" .. (remaining > 1 and "s" or "") .. ">", "undefined")
    end
  elseif remaining > 0 then
    output[n + 1] = remainingText(remaining)
  end
  return output
end

local function formatArray(ctx, value, rt)
  local valLen = array_length(value)
  local len = min(max(0, ctx.maxArrayLength), valLen)
  local remaining = valLen - len
  local output = {}
  for i = 0, len - 1 do
    if is_hole(value, i) then
      return formatSpecialArray(ctx, value, rt, len, output, i)
    end
    output[i + 1] = formatProperty(ctx, value, rt, i, kArrayType)
  end
  if remaining > 0 then output[#output + 1] = remainingText(remaining) end
  return output
end

-- a typed array's own length (its "length" field is only a copy JS can redefine)
local function typed_length(v)
  return R.TA_LEN and rawget(v, R.TA_LEN) or v.length or 0
end

local function formatTypedArray(ctx, value, rt)
  local length = typed_length(value)
  local maxLength = min(max(0, ctx.maxArrayLength), length)
  local remaining = length - maxLength
  local output = {}
  for i = 0, maxLength - 1 do
    local v = value[i]
    output[i + 1] = type(v) == "number" and sty(ctx, formatNumber(v), "number") or formatPrimitive(ctx, v)
  end
  if remaining > 0 then output[maxLength + 1] = remainingText(remaining) end
  if ctx.showHidden then
    ctx.indentationLvl = ctx.indentationLvl + 2
    for _, key in ipairs({"BYTES_PER_ELEMENT", "length", "byteLength", "byteOffset", "buffer"}) do
      output[#output + 1] = "[" .. key .. "]: " .. formatValue(ctx, value[key], rt, true)
    end
    ctx.indentationLvl = ctx.indentationLvl - 2
  end
  return output
end

-- The bytes of an ArrayBuffer: through ljs.typedarray's memory pointer, a byte string from
-- R.arraybuffer_bytes, else read through a Uint8Array view.
local function buffer_bytes(buf, limit)
  local out = {}
  local ptr = R.arraybuffer_ptr and R.arraybuffer_ptr(buf)
  if ptr ~= nil then
    local n = R.arraybuffer_len(buf) or 0
    for i = 0, min(n, limit) - 1 do out[i + 1] = ptr[i] end
    return out, n
  end
  if R.arraybuffer_bytes then
    local b = R.arraybuffer_bytes(buf)
    if type(b) == "string" then
      for i = 1, min(#b, limit) do out[i] = sbyte(b, i) end
      return out, #b
    end
    for i = 1, min(#b, limit) do out[i] = b[i] end
    return out, #b
  end
  local U8 = rawget(R.G, "Uint8Array")
  local n = buf.byteLength or 0
  if U8 then
    local view = R.new(U8, buf)
    for i = 0, min(n, limit) - 1 do out[i + 1] = view[i] end
  end
  return out, n
end

local function formatArrayBuffer(ctx, value)
  local bytes, n = buffer_bytes(value, ctx.maxArrayLength)
  local hex = {}
  for i = 1, #bytes do hex[i] = sformat("%02x", bytes[i]) end
  local str = join(hex, " ")
  local remaining = n - ctx.maxArrayLength
  if remaining > 0 then str = str .. " ... " .. remaining .. " more byte" .. (remaining > 1 and "s" or "") end
  return {sty(ctx, "[Uint8Contents]", "special") .. ": <" .. str .. ">"}
end

-- Entries of a Map or Set as {key, value} pairs; ljs.collections passes an undefined key as
-- R.coll_undefined so that it does not end the generic for.
local function coll_entries(value)
  local list, n = {}, 0
  local undef = R.coll_undefined
  for k, v in R.coll_each(value) do
    if undef ~= nil then
      if k == undef then k = nil end
      if v == undef then v = nil end
    end
    n = n + 1; list[n] = {k, v}
  end
  return list, n
end

-- The entries of a collection, each as one(ctx, entry, rt), as many as maxArrayLength allows
local function formatEntries(ctx, rt, entries, size, one)
  local maxLength = min(max(0, ctx.maxArrayLength), size)
  local output = {}
  ctx.indentationLvl = ctx.indentationLvl + 2
  for i = 1, maxLength do output[i] = one(ctx, entries[i], rt) end
  if size > maxLength then output[#output + 1] = remainingText(size - maxLength) end
  ctx.indentationLvl = ctx.indentationLvl - 2
  return output
end

local function setEntry(ctx, e, rt) return formatValue(ctx, e[1], rt) end
local function mapEntry(ctx, e, rt) return formatValue(ctx, e[1], rt) .. " => " .. formatValue(ctx, e[2], rt) end
-- a Map or Set iterator's item (R.iterator_preview): an entry's pair is no level of its own
local function iteratorEntry(ctx, e, rt)
  if not e.pair then return formatValue(ctx, e[1], rt) end
  return "[ " .. formatValue(ctx, e[1], rt) .. ", " .. formatValue(ctx, e[2], rt) .. " ]"
end
local function formatSet(ctx, value, rt, entries, size) return formatEntries(ctx, rt, entries, size, setEntry) end
local function formatMap(ctx, value, rt, entries, size) return formatEntries(ctx, rt, entries, size, mapEntry) end
local function formatIterator(ctx, value, rt, entries, size)
  return formatEntries(ctx, rt, entries, size, iteratorEntry)
end

local function formatPromise(ctx, value, rt)
  local state, result = promise_state(value)
  if state == "pending" then return {sty(ctx, "<pending>", "special")} end
  ctx.indentationLvl = ctx.indentationLvl + 2
  local str = formatValue(ctx, result, rt)
  ctx.indentationLvl = ctx.indentationLvl - 2
  if state == "rejected" then str = sty(ctx, "<rejected>", "special") .. " " .. str end
  return {str}
end

local function emptyFormatter() return {} end

---------------------------------------------------------------------------------------------
-- formatRaw: everything about one object value
local function tag_of(ctx, value)
  local ok, tag = pcall(function() return value[R.sym_toStringTag] end)
  if not ok or type(tag) ~= "string" then return "" end
  if tag ~= "" then
    -- an own tag is printed as a property instead
    local own
    if ctx.showHidden then own = hasown(value, R.sym_toStringTag)
    else own = hasown(value, R.sym_toStringTag) and is_enumerable(value, R.sym_toStringTag) end
    if own then return "" end
  end
  return tag
end

local function formatRaw(ctx, value, rt, typedArray)
  local protoProps
  if ctx.showHidden and rt <= ctx.depth then protoProps = {} end
  local constructor = getConstructorName(value, ctx, rt, protoProps)
  if protoProps and #protoProps == 0 then protoProps = nil end

  local tag = tag_of(ctx, value)
  local base = ""
  local formatter = emptyFormatter
  local braces
  local keys, nkeys
  local extrasType = kObjectType
  local entries, size
  local first_desc   -- descriptor of keys[1] when it is not an own property

  local ckind = coll_kind(value)
  local tkind = typed_kind(value)
  if tkind == "ArrayBuffer" or tkind == "SharedArrayBuffer" or tkind == "DataView" then tkind = nil end

  if isarray(value) then
    local len = array_length(value)
    local prefix = (constructor ~= "Array" or tag ~= "") and getPrefix(constructor, tag, "Array", "(" .. len .. ")") or ""
    keys, nkeys = nonIndexKeys(value, ctx.showHidden)
    braces = {prefix .. "[", "]"}
    if len == 0 and nkeys == 0 and protoProps == nil then return braces[1] .. "]" end
    extrasType = kArrayExtrasType
    formatter = formatArray
  elseif ckind == "Set" or ckind == "Map" then
    entries, size = coll_entries(value)
    local prefix = getPrefix(constructor, tag, ckind, "(" .. size .. ")")
    keys, nkeys = getKeys(value, ctx.showHidden)
    formatter = ckind == "Set" and formatSet or formatMap
    if size == 0 and nkeys == 0 and protoProps == nil then return prefix .. "{}" end
    braces = {prefix .. "{", "}"}
  elseif R.iterator_preview and R.iterator_preview(value) then
    -- a Map or Set iterator: what it has left, as node shows it (without consuming it)
    local label
    label, entries, size = R.iterator_preview(value)
    keys, nkeys = getKeys(value, ctx.showHidden)
    formatter = formatIterator
    if size == 0 and nkeys == 0 then return label .. " {  }" end
    braces = {label .. " {", "}"}
  elseif tkind then
    keys, nkeys = {}, 0
    local fallback = constructor == nil and tkind or ""
    local size = typed_length(value)
    local prefix = getPrefix(constructor, tag, fallback, "(" .. size .. ")")
    braces = {prefix .. "[", "]"}
    if size == 0 and not ctx.showHidden then return braces[1] .. "]" end
    formatter = formatTypedArray
    extrasType = kArrayExtrasType
  else
    keys, nkeys = getKeys(value, ctx.showHidden)
    braces = {"{", "}"}
    local tk = typed_kind(value)
    if is_callable(value) then
      base = getFunctionBase(value, constructor, tag)
      if nkeys == 0 and protoProps == nil then return sty(ctx, base, "special") end
    elseif R.date_value and R.date_value(value) ~= nil then
      -- a Date prints its ISO form (node: toISOString, or "Invalid Date")
      base = R.date_iso(value)
      local prefix = getPrefix(constructor, tag, "Date")
      if prefix ~= "Date " then base = prefix .. base end
      if nkeys == 0 and protoProps == nil then return sty(ctx, base, "date") end
      if rt > ctx.depth then return base end
    elseif constructor == "Object" and not ckind and not tk and not is_error(value) and not is_regexp(value) then
      if R.is_arguments and R.is_arguments(value) then
        braces[1] = "[Arguments] {"
      elseif tag ~= "" then
        braces[1] = getPrefix(constructor, tag, "Object") .. "{"
      end
      if nkeys == 0 and protoProps == nil then return braces[1] .. "}" end
    elseif is_regexp(value) then
      base = "/" .. R.tostr(value.source) .. "/" .. R.tostr(value.flags)
      local prefix = getPrefix(constructor, tag, "RegExp")
      if prefix ~= "RegExp " then base = prefix .. base end
      if (nkeys == 0 and protoProps == nil) or rt > ctx.depth then return sty(ctx, base, "regexp") end
    elseif is_error(value) then
      base = formatError(value, constructor, tag, ctx, keys)
      nkeys = #keys
      if nkeys == 0 and protoProps == nil then return base end
    elseif tk == "ArrayBuffer" or tk == "SharedArrayBuffer" then
      local prefix = getPrefix(constructor, tag, tk)
      if typedArray == nil then
        formatter = formatArrayBuffer
      elseif nkeys == 0 and protoProps == nil then
        return prefix .. "{ byteLength: " .. sty(ctx, formatNumber(value.byteLength or 0), "number") .. " }"
      end
      braces[1] = prefix .. "{"
      -- byteLength is an accessor of the prototype: shown as if it were an own value
      tinsert(keys, 1, "byteLength")
      nkeys = nkeys + 1
      first_desc = {value = value.byteLength, enumerable = true}
    elseif R.promise_state and promise_state(value) then
      braces[1] = getPrefix(constructor, tag, "Promise") .. "{"
      formatter = formatPromise
    elseif ckind == "WeakSet" or ckind == "WeakMap" then
      braces[1] = getPrefix(constructor, tag, ckind) .. "{"
      formatter = function() return {sty(ctx, "<items unknown>", "special")} end
    elseif R.boxed_value and R.boxed_value(value) ~= nil then
      local prim = R.boxed_value(value)
      local typ = type(prim) == "number" and "Number" or type(prim) == "string" and "String" or
                  type(prim) == "boolean" and "Boolean" or "Symbol"
      if typ == "String" then
        -- the index keys of a String object only repeat its characters
        local rest = {}
        for i = 1, nkeys do if type(keys[i]) ~= "number" then rest[#rest + 1] = keys[i] end end
        keys, nkeys = rest, #rest
      end
      base = "[" .. typ
      if typ ~= constructor then
        base = base .. (constructor == nil and " (null prototype)" or " (" .. constructor .. ")")
      end
      local saved = ctx.compact
      ctx.compact = true   -- no line splitting inside the brackets
      base = base .. ": " .. formatPrimitive(ctx, prim, true) .. "]"
      ctx.compact = saved
      if tag ~= "" and tag ~= constructor then base = base .. " [" .. tag .. "]" end
      if nkeys == 0 and protoProps == nil then
        return ctx.stylize and ctx.stylize(base, string.lower(typ)) or base
      end
    else
      if nkeys == 0 and protoProps == nil then
        return getCtxStyle(value, constructor, tag) .. "{}"
      end
      braces[1] = getCtxStyle(value, constructor, tag) .. "{"
    end
  end

  if rt > ctx.depth then
    local name = ssub(getCtxStyle(value, constructor, tag), 1, -2)
    if constructor ~= nil then name = "[" .. name .. "]" end
    return sty(ctx, name, "special")
  end
  rt = rt + 1

  ctx.seen[value] = true
  ctx.currentDepth = rt
  local output = formatter(ctx, value, rt, entries, size)
  for i = 1, nkeys do
    output[#output + 1] = formatProperty(ctx, value, rt, keys[i], extrasType, i == 1 and first_desc or nil)
  end
  if protoProps then
    for i = 1, #protoProps do output[#output + 1] = protoProps[i] end
  end
  local circular = ctx.circular
  if circular then
    local index = circular[value]
    if index then
      local reference = sty(ctx, "<ref *" .. index .. ">", "special")
      if ctx.compact ~= true then
        base = base == "" and reference or reference .. " " .. base
      else
        braces[1] = reference .. " " .. braces[1]
      end
    end
  end
  ctx.seen[value] = nil

  if ctx.sorted then
    local cmp = type(ctx.sorted) == "function" and ctx.sorted or nil
    if extrasType == kObjectType then
      tsort(output, cmp)
    elseif nkeys > 1 then
      local first = #output - nkeys
      local tail = {}
      for i = first + 1, #output do tail[#tail + 1] = output[i] end
      tsort(tail, cmp)
      for i = 1, #tail do output[first + i] = tail[i] end
    end
  end

  return reduceToSingleString(ctx, output, base, braces, extrasType, rt, value)
end

formatValue = function(ctx, value, rt, typedArray)
  local t = type(value)
  if t ~= "table" and t ~= "function" then return formatPrimitive(ctx, value) end
  if value == null then return sty(ctx, "null", "null") end
  if getmetatable(value) == SymbolMT or getmetatable(value) == R.BigIntMT then return formatPrimitive(ctx, value) end

  if R.proxy_target then
    local target = R.proxy_target(value)
    if target ~= nil then value = target end
  end

  -- user-defined [util.inspect.custom](depth, options, inspect)
  local custom_sym = R.sym_inspect_custom
  if ctx.customInspect and custom_sym then
    local ok, f = pcall(function() return value[custom_sym] end)
    if ok and is_callable(f) and f ~= R.inspect_fn then
      local c = value.constructor
      if not (c and is_callable(c) and fn_prototype(c) == value) then
        local ret = f(value, ctx.depth - rt, user_options(ctx), util_inspect_fn())
        if ret ~= value then
          if type(ret) ~= "string" then return formatValue(ctx, ret, rt) end
          return (sgsub(ret, "\n", "\n" .. srep(" ", ctx.indentationLvl)))
        end
      end
    end
  end

  if ctx.seen[value] then
    local circular = ctx.circular
    if not circular then
      circular = {n = 0}
      ctx.circular = circular
    end
    local index = circular[value]
    if not index then
      index = circular.n + 1
      circular.n = index
      circular[value] = index
    end
    return sty(ctx, "[Circular *" .. index .. "]", "special")
  end
  return formatRaw(ctx, value, rt, typedArray)
end

---------------------------------------------------------------------------------------------
-- inspect(value, opts)

-- the stylize functions a custom inspect function gets in its options
local stylize_js = {}
local function js_stylize(ctx)
  if ctx.stylize_js then return ctx.stylize_js end
  local name = ctx.stylize and "stylizeWithColor" or "stylizeNoColor"
  local f = stylize_js[name]
  if f == nil then
    if name == "stylizeNoColor" then
      f = function(_, s) return s end
    else
      f = function(_, s, t) return stylize_with_color(R.tostr(s), t) end
    end
    stylize_js[name] = R.fn(f, name, name == "stylizeNoColor" and 1 or 2)
  end
  return f
end

-- node's getUserOptions: the options, stylize first, then whatever else the caller passed
function user_options(ctx)
  local opts = R.newobj()
  R.addkey(opts, "stylize"); rawset(opts, "stylize", js_stylize(ctx))
  for i = 1, #OPTION_KEYS do
    local k = OPTION_KEYS[i]
    R.addkey(opts, k); rawset(opts, k, ctx[k])
  end
  local user = ctx.userOptions
  if user then
    local ks, n = ownkeys(user)
    for i = 1, n do R.put(opts, ks[i], user[ks[i]]) end
  end
  return opts
end

local function optnum(v, default)
  if v == nil then return default end
  if v == null then return huge end
  if v == true or v == false then return v end
  return v
end

-- over: options that win over opts (format's %s, %o)
make_ctx = function(opts, over)
  local ctx = {indentationLvl = 0, seen = {}, currentDepth = 0}
  for k, v in pairs(DEFAULTS) do ctx[k] = v end
  if opts == true or opts == false then
    ctx.showHidden = opts
  elseif type(opts) == "table" and opts ~= null then
    for k in pairs(DEFAULTS) do
      local v = opts[k]
      if v ~= nil then
        if k == "depth" or k == "maxArrayLength" or k == "maxStringLength" or k == "breakLength" then
          ctx[k] = optnum(v, DEFAULTS[k])
        else
          ctx[k] = (v ~= null) and v or false
        end
      end
    end
    local user = opts.stylize
    if is_callable(user) then
      ctx.stylize_js = user
      ctx.stylize = function(s, t) return R.tostr(user(nil, s, t)) end
    end
    if getmetatable(opts) ~= nil then
      -- options of the user's own reach custom inspect functions as given (node's userOptions)
      local ks, n = ownkeys(opts)
      for i = 1, n do
        if DEFAULTS[ks[i]] == nil and ks[i] ~= "stylize" then ctx.userOptions = opts; break end
      end
    end
  end
  if over then for k, v in pairs(over) do ctx[k] = v end end
  -- (ctx.colors stays as given: custom inspect functions see it so)
  ctx.colored = R.truthy(ctx.colors)
  if ctx.colored then ctx.stylize, ctx.stylize_js = stylize_with_color, nil end
  return ctx
end

inspect = function(value, opts)
  return formatValue(make_ctx(opts), value, 0)
end
R.inspect = inspect

---------------------------------------------------------------------------------------------
-- util.format
local function hasBuiltInToString(v)
  local ok_ts, ts = pcall(function() return v.toString end)
  local ok_tp, tp = pcall(function() return v[R.sym_toPrimitive] end)
  if not ok_ts then ts = nil end
  if not ok_tp then tp = nil end
  local checkToString, checkToPrim = true, true
  if not is_callable(ts) then
    if not is_callable(tp) then return true end
    if hasown(v, R.sym_toPrimitive) then return false end
    checkToString = false
  elseif hasown(v, "toString") then
    return false
  elseif not is_callable(tp) then
    checkToPrim = false
  elseif hasown(v, R.sym_toPrimitive) then
    return false
  end
  local p = v
  repeat
    p = proto_of(p)
    if p == nil or p == null then return true end
  until (checkToString and hasown(p, "toString")) or (checkToPrim and hasown(p, R.sym_toPrimitive))
  local c = own_value(p, "constructor")
  return is_callable(c) and builtInObjects[fname(c)] == true
end

local function error_message(e)
  e = R.caught(e)
  if type(e) == "table" and e ~= null then
    local ok, m = pcall(function() return e.message end)
    if ok and type(m) == "string" then return m end
  end
  return tostring(e)
end

-- %j: the built-in JSON.stringify whatever the program did to the global, as node's primordial
local function tryStringify(v)
  if not R.json_stringify then require("ljs.json") end   -- (a state without ljs.rt, as the unit tests make)
  local ok, r = pcall(R.json_stringify, v)
  if ok then
    if r == nil then return "undefined" end
    return r
  end
  if sfind(error_message(r), "ircular") then return "[Circular]" end
  error(r, 0)
end

local function string_of(v)
  if is_symbol(v) then return symbol_string(v) end
  return R.tostr(v)
end

local function parse_num(kind, v)
  if is_symbol(v) then return "NaN" end
  local N = require("ljs.numconv")
  local s = string_of(v)
  if kind == "i" then return formatNumber(N.parseInt(s)) end
  return formatNumber(N.parseFloat(s))
end

-- util.formatWithOptions(inspectOptions, ...args); `n` is the argument count.
local function format_args(opts, n, args)
  local first = args[1]
  local a = 1
  local parts, np = {}, 0
  local sep = ""
  if type(first) == "string" then
    if n == 1 then return first end
    local lastPos = 1     -- 1-based start of the text not yet copied
    local i = 1
    local flen = #first
    while i < flen do
      if sbyte(first, i) == 37 then   -- '%'
        i = i + 1
        local c = sbyte(first, i)
        if a ~= n then
          local tempStr
          if (c == 115 or c == 100 or c == 105) and getmetatable(args[a + 1]) == R.BigIntMT then   -- %s %d %i
            a = a + 1
            tempStr = R.big.tostring(args[a]) .. "n"
          elseif c == 115 then        -- %s
            a = a + 1
            local arg = args[a]
            if type(arg) == "number" then
              tempStr = formatNumber(arg)
            elseif not R.isobject(arg) or is_callable(arg) or not hasBuiltInToString(arg) then
              tempStr = string_of(arg)
            else
              tempStr = formatValue(make_ctx(opts, {depth = 0, compact = 3, colors = false}), arg, 0)
            end
          elseif c == 106 then    -- %j
            a = a + 1
            tempStr = tryStringify(args[a])
          elseif c == 100 then    -- %d
            a = a + 1
            local arg = args[a]
            tempStr = is_symbol(arg) and "NaN" or formatNumber(R.tonum(arg))
          elseif c == 79 then     -- %O
            a = a + 1
            tempStr = formatValue(make_ctx(opts), args[a], 0)
          elseif c == 111 then    -- %o
            a = a + 1
            tempStr = formatValue(make_ctx(opts, {showHidden = true, showProxy = true, depth = 4}), args[a], 0)
          elseif c == 105 or c == 102 then   -- %i %f
            a = a + 1
            tempStr = parse_num(c == 105 and "i" or "f", args[a])
          elseif c == 99 then     -- %c: CSS, consumed and dropped
            a = a + 1
            tempStr = ""
          elseif c == 37 then     -- %%
            np = np + 1; parts[np] = ssub(first, lastPos, i - 1)
            lastPos = i + 1
          end
          if tempStr then
            if lastPos ~= i - 1 then np = np + 1; parts[np] = ssub(first, lastPos, i - 2) end
            np = np + 1; parts[np] = tempStr
            lastPos = i + 1
          end
        elseif c == 37 then
          np = np + 1; parts[np] = ssub(first, lastPos, i - 1)
          lastPos = i + 1
        end
      end
      i = i + 1
    end
    if lastPos ~= 1 then
      a = a + 1
      sep = " "
      if lastPos <= flen then np = np + 1; parts[np] = ssub(first, lastPos) end
    end
  end
  while a <= n do
    local v = args[a]
    np = np + 1; parts[np] = sep
    if type(v) == "string" then
      np = np + 1; parts[np] = v
    else
      np = np + 1; parts[np] = formatValue(make_ctx(opts), v, 0)
    end
    sep = " "
    a = a + 1
  end
  return concat(parts)
end

function R.format(...)
  return format_args(nil, select("#", ...), {...})
end

function R.format_with_options(opts, ...)
  return format_args(opts, select("#", ...), {...})
end

-- Format a JS array of arguments (console methods receive them packed).
function R.format_array(opts, arr)
  local n = array_length(arr)
  local args = {}
  for i = 0, n - 1 do args[i + 1] = arr[i] end
  return format_args(opts, n, args)
end

return R
