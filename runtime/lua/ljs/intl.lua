-- ljs.intl: the Intl namespace (ECMA-402) for one locale, en-US: NumberFormat, PluralRules,
-- ListFormat, RelativeTimeFormat, Collator, DateTimeFormat, getCanonicalLocales and
-- supportedValuesOf. Loaded on first use of the Intl global, or by the toLocaleString methods
-- when they are given locales or options.
--
-- ECMA-402 lets an implementation support any set of locales and fall back to its default one;
-- this one knows "en" and "en-US" (whose data are the same), so a request for any other locale
-- resolves to the default "en-US", and one for "en-GB" to its available parent "en". Outputs are
-- node 20's (ICU 78, CLDR 48) byte for byte for that locale; the tables below were read from
-- node's own formatting.
local R = require("ljs.core")

local type, rawget, rawset, setmetatable, getmetatable, tostring, tonumber, pairs, ipairs =
      type, rawget, rawset, setmetatable, getmetatable, tostring, tonumber, pairs, ipairs
local floor, huge, min, max = math.floor, math.huge, math.min, math.max
-- (string functions through string.*: inside the runtime Lua strings have JavaScript's methods)
local sbyte, schar, ssub, sfind, smatch, sgsub, sgmatch, sformat, srep, slower, supper =
      string.byte, string.char, string.sub, string.find, string.match, string.gsub, string.gmatch,
      string.format, string.rep, string.lower, string.upper
local concat, sort = table.concat, table.sort
local null, G = R.null, R.G
local tostr, tonum, truthy, isobject, type_error, throw_error = R.tostr, R.tonum, R.truthy, R.isobject, R.type_error, R.throw_error

local function range_error(msg) throw_error("RangeError", msg) end

local function set_of(list)
  local s = {}
  for i = 1, #list do s[list[i]] = true end
  return s
end

-- An object literal: keys in the order they are added; undefined values are left out.
local function record() return R.newobj() end
local function field(o, k, v)
  if v ~= nil then rawset(o, k, v); R.addkey(o, k) end
  return o
end

local function js_array(list, n)
  local a = {}
  n = n or #list
  for i = 1, n do a[i - 1] = list[i] end
  return R.arr(a, n)
end

-- {type, value} objects of formatToParts; `extra_key` adds a third key where a part has it
-- (RelativeTimeFormat's unit, formatRange's source).
local function parts_array(parts, extra_key)
  local list = {}
  for i = 1, #parts do
    local p = parts[i]
    local o = field(field(record(), "type", p.type), "value", p.value)
    if extra_key then field(o, extra_key, p[extra_key]) end
    list[i] = o
  end
  return js_array(list, #parts)
end

local function join_parts(parts)
  local buf = {}
  for i = 1, #parts do buf[i] = parts[i].value end
  return concat(buf)
end

---------------------------------------------------------------------------------------------
-- Options (GetOption, GetNumberOption, DefaultNumberOption). `opts` is nil for "no options";
-- a primitive reads its prototype's properties, as ToObject would make it.

local function get(opts, key)
  if opts == nil then return nil end
  return R.get(opts, key)
end

local function get_string(opts, key, values, fallback, where)
  local v = get(opts, key)
  if v == nil then return fallback end
  v = tostr(v)
  if values and not values[v] then
    range_error("Value " .. v .. " out of range for " .. where .. " options property " .. key)
  end
  return v
end

local function get_boolean(opts, key, fallback)
  local v = get(opts, key)
  if v == nil then return fallback end
  return truthy(v)
end

local function default_number(v, lo, hi, fallback, key)
  if v == nil then return fallback end
  v = tonum(v)
  if v ~= v or v < lo or v > hi then range_error(key .. " value is out of range.") end
  return floor(v)
end

local function get_number(opts, key, lo, hi, fallback)
  return default_number(get(opts, key), lo, hi, fallback, key)
end

-- CoerceOptionsToObject: undefined is an empty object, null a TypeError (V8 names the service).
local function coerce_options(options, what)
  if options == nil then return nil end
  if options == null then type_error(what .. " called on null or undefined") end
  return options
end

-- GetOptionsObject (ListFormat): only undefined or an object.
local function options_object(options)
  if options == nil then return nil end
  if not isobject(options) then type_error("invalid_argument") end
  return options
end

local MATCHERS = set_of({"lookup", "best fit"})

---------------------------------------------------------------------------------------------
-- Language tags (Unicode BCP 47 locale identifiers): structural validity and the canonical
-- form (case, sorted variants and extensions, -u- keywords sorted with "true" values dropped,
-- a few deprecated language and region codes replaced).

local LANGUAGE_ALIASES = {iw = "he", ["in"] = "id", ji = "yi", jw = "jv", mo = "ro"}
local REGION_ALIASES = {UK = "GB", DD = "DE", FX = "FR", TP = "TL", YD = "YE", ZR = "CD", BU = "MM"}

local function is_alpha(s, lo, hi) local n = #s; return n >= lo and n <= hi and not sfind(s, "[^a-z]") end
local function is_alnum(s, lo, hi) local n = #s; return n >= lo and n <= hi and not sfind(s, "[^a-z0-9]") end
local function is_variant(s)
  return is_alnum(s, 5, 8) or (#s == 4 and sfind(s, "^%d[a-z0-9][a-z0-9][a-z0-9]$") ~= nil)
end

-- The -u- extension's subtags from position i: attributes, then keywords (a key of two
-- characters, the second a letter, followed by types of 3 to 8). Returns the canonical
-- subtags, the keyword table and the position after them; nil when malformed.
local function parse_u(sub, i)
  local attrs, keys, values = {}, {}, {}
  while sub[i] and #sub[i] >= 3 and is_alnum(sub[i], 3, 8) do
    attrs[#attrs + 1] = sub[i]
    i = i + 1
  end
  while sub[i] and #sub[i] == 2 do
    local key = sub[i]
    if not sfind(key, "^[a-z0-9][a-z]$") then return nil end
    i = i + 1
    local types = {}
    while sub[i] and #sub[i] >= 3 do
      if not is_alnum(sub[i], 3, 8) then return nil end
      types[#types + 1] = sub[i]
      i = i + 1
    end
    if values[key] == nil then   -- a repeated key: the first one counts
      local v = concat(types, "-")
      if v == "" or v == "true" then v = "true" end
      values[key] = v
      keys[#keys + 1] = key
    end
  end
  if #attrs == 0 and #keys == 0 then return nil end
  sort(keys)
  local out = {}
  for _, a in ipairs(attrs) do out[#out + 1] = a end
  for _, k in ipairs(keys) do
    out[#out + 1] = k
    if values[k] ~= "true" then out[#out + 1] = values[k] end
  end
  return out, values, i
end

-- tag -> {tag = canonical form, base = language id without extensions, keywords = -u- table};
-- nil when the tag is not structurally valid.
-- (a tag that is well-formed but that ICU rejects, as with a repeated variant, gets V8's other
-- message: `result` is then "icu")
local parsed_tags, parsed_count = {}, 0
local function parse_tag(tag)
  local hit = parsed_tags[tag]
  if hit ~= nil then
    if type(hit) == "table" then return hit end
    return nil, hit
  end
  if parsed_count >= 1024 then parsed_tags, parsed_count = {}, 0 end
  parsed_count = parsed_count + 1
  local result = false
  if tag ~= "" and not sfind(tag, "[^%w%-]") and not sfind(tag, "%-%-") and sbyte(tag, 1) ~= 45 and sbyte(tag, -1) ~= 45 then
    local sub = {}
    for s in sgmatch(slower(tag), "[^%-]+") do sub[#sub + 1] = s end
    repeat
      local lang = sub[1]
      if not (is_alpha(lang, 2, 3) or is_alpha(lang, 5, 8)) then break end
      lang = LANGUAGE_ALIASES[lang] or lang
      local i = 2
      local base = {lang}
      if sub[i] and is_alpha(sub[i], 4, 4) then
        base[#base + 1] = supper(ssub(sub[i], 1, 1)) .. ssub(sub[i], 2)
        i = i + 1
      end
      if sub[i] and (is_alpha(sub[i], 2, 2) or sfind(sub[i], "^%d%d%d$")) then
        local region = supper(sub[i])
        base[#base + 1] = REGION_ALIASES[region] or region
        i = i + 1
      end
      local variants, seen, dup = {}, {}, false
      while sub[i] and is_variant(sub[i]) do
        if seen[sub[i]] then dup = true end
        seen[sub[i]] = true
        variants[#variants + 1] = sub[i]
        i = i + 1
      end
      if dup then result = "icu"; break end
      sort(variants)
      for _, v in ipairs(variants) do base[#base + 1] = v end
      local exts, singletons, keywords, private = {}, {}, {}, nil
      local ok = true
      while sub[i] do
        local s = sub[i]
        if #s ~= 1 then ok = false; break end
        if s == "x" then
          local rest = {}
          for j = i + 1, #sub do
            if not is_alnum(sub[j], 1, 8) then ok = false end
            rest[#rest + 1] = sub[j]
          end
          if #rest == 0 then ok, result = false, "icu" end
          private = "x-" .. concat(rest, "-")
          break
        end
        if singletons[s] then ok = false; break end
        singletons[s] = true
        if s == "u" then
          local out, values, j = parse_u(sub, i + 1)
          if not out then ok = false; break end
          keywords = values
          exts[#exts + 1] = "u-" .. concat(out, "-")
          i = j
        else
          local j = i + 1
          while sub[j] and #sub[j] > 1 do
            if not is_alnum(sub[j], 2, 8) then ok = false end
            j = j + 1
          end
          if j == i + 1 then ok = false end
          exts[#exts + 1] = s .. "-" .. concat(sub, "-", i + 1, j - 1)
          i = j
        end
      end
      if not ok then break end
      sort(exts)
      local full = concat(base, "-")
      local basestr = full
      if #exts > 0 then full = full .. "-" .. concat(exts, "-") end
      if private then full = full .. "-" .. private end
      result = {tag = full, base = basestr, keywords = keywords}
    until true
  end
  parsed_tags[tag] = result
  if type(result) == "table" then return result end
  return nil, result
end

local function canonical_tag(tag)
  local p, why = parse_tag(tag)
  if p then return p end
  if why == "icu" then range_error("Invalid language tag: " .. slower(tag)) end
  range_error("Incorrect locale information provided")
end

-- CanonicalizeLocaleList: a list of parsed tags, duplicates removed.
local function locale_list(locales)
  local list, seen = {}, {}
  local function add(v)
    if type(v) ~= "string" and not isobject(v) then type_error("Language ID should be string or object.") end
    local p = canonical_tag(tostr(v))
    if not seen[p.tag] then seen[p.tag] = true; list[#list + 1] = p end
  end
  if locales == nil then return list end
  if type(locales) == "string" then add(locales); return list end
  if locales == null then type_error("Cannot convert undefined or null to object") end
  local len = tonum(R.get(locales, "length"))
  if len ~= len or len <= 0 then return list end
  len = min(floor(len), 2 ^ 53 - 1)
  for k = 0, len - 1 do
    if R.has(locales, k) then add(R.get(locales, k)) end
  end
  return list
end

-- The locales this implementation has, and the one it falls back to.
local AVAILABLE = {en = true, ["en-US"] = true}
local DEFAULT_LOCALE = "en-US"

-- BestAvailableLocale: the tag, or its nearest parent, that is available.
local function best_available(base, available)
  while true do
    if available[base] then return base end
    local cut = smatch(base, "^(.*)%-[^%-]+$")
    if not cut then return nil end
    if sfind(cut, "%-%w$") then cut = ssub(cut, 1, -3) end   -- a trailing singleton goes too
    base = cut
  end
end

-- ResolveLocale (lookup): the available locale and the -u- keywords of the request it came from.
local function resolve_locale(requested, available)
  for _, p in ipairs(requested) do
    local found = best_available(p.base, available or AVAILABLE)
    if found then return found, p.keywords end
  end
  return DEFAULT_LOCALE, {}
end

-- The resolved locale string with the extension keywords the service uses ({key, value} list).
local function locale_with(locale, used)
  if #used == 0 then return locale end
  sort(used, function(a, b) return a[1] < b[1] end)
  local out = {}
  for _, kv in ipairs(used) do
    out[#out + 1] = kv[1]
    if kv[2] ~= "true" then out[#out + 1] = kv[2] end
  end
  return locale .. "-u-" .. concat(out, "-")
end

-- A type sequence of the -u- extension (numberingSystem, calendar and collation options).
local function is_type_sequence(s)
  if s == "" then return false end
  for part in sgmatch(s .. "-", "([^%-]*)%-") do
    if not sfind(part, "^%w%w%w%w?%w?%w?%w?%w?$") then return false end
  end
  return true
end

-- The numbering system: only "latn" has digits here; an extension or option asking for
-- another one is ignored, as for an unknown one.
local function numbering_system(opts, keywords, used)
  local ns = get(opts, "numberingSystem")
  if ns ~= nil then
    ns = tostr(ns)
    if not is_type_sequence(ns) then range_error("Invalid numberingSystem : " .. ns) end
  end
  if keywords.nu == "latn" and (ns == nil or ns == "latn") then used[#used + 1] = {"nu", "latn"} end
  return "latn"
end

local function supported_locales(locales, options, where, available)
  local requested = locale_list(locales)
  local opts = coerce_options(options, where)
  get_string(opts, "localeMatcher", MATCHERS, "best fit", where)
  local out = {}
  for _, p in ipairs(requested) do
    if best_available(p.base, available or AVAILABLE) then out[#out + 1] = p.tag end
  end
  return js_array(out)
end

---------------------------------------------------------------------------------------------
-- Exact decimals. ICU formats a double from its shortest round-trip digits, and BigInts and
-- numeric strings exactly; a decimal here is {neg, d, e}: the value 0.d × 10^e with d a digit
-- string without leading or trailing zeros ("" for zero), or {nan = true} / {inf = true, neg}.

local function zero(neg) return {neg = neg, d = "", e = 0} end

-- digits string with its exponent of the first digit (intlen): strip zeros at both ends
-- (with loops: patterns such as "0+$" take quadratic time on long runs of zeros)
local function normalize(neg, d, intlen)
  local first, last = 1, #d
  while first <= last and sbyte(d, first) == 48 do first = first + 1 end
  if first > last then return zero(neg) end
  while sbyte(d, last) == 48 do last = last - 1 end
  return {neg = neg, d = ssub(d, first, last), e = intlen - first + 1}
end

-- "123.45e-6" (no sign) -> decimal
local function from_literal(neg, s)
  local m, ex = smatch(s, "^([%d.]+)[eE]([-+]?%d+)$")
  if not m then m, ex = s, "0" end
  local ip, fp = smatch(m, "^(%d*)%.?(%d*)$")
  if not ip or (ip == "" and fp == "") then return nil end
  local e = tonumber(ex)
  if e == nil or e ~= e or e > 1e9 or e < -1e9 then return nil end
  return normalize(neg, ip .. fp, #ip + e)
end

local function from_number(x)
  if x ~= x then return {nan = true, neg = false} end
  local neg = x < 0 or 1 / x < 0
  if neg then x = -x end
  if x == huge then return {inf = true, neg = neg} end
  if x == 0 then return zero(neg) end
  return from_literal(neg, R.numtostr(x))
end

local function from_bigint(b)
  local s = R.big.tostring(b)
  if sbyte(s, 1) == 45 then return normalize(true, ssub(s, 2), #s - 1) end
  return normalize(false, s, #s)
end

-- A numeric string: decimal literals exactly, anything else (0x.., Infinity, ...) through
-- ToNumber; as in V8, one beyond the double range is infinite.
local function is_space(b) return b == 32 or (b >= 9 and b <= 13) end
local function from_string(s)
  local n = tonum(s)
  if n ~= n or n == huge or n == -huge then return from_number(n) end
  local first, last = 1, #s
  while first <= last and is_space(sbyte(s, first)) do first = first + 1 end
  while last >= first and is_space(sbyte(s, last)) do last = last - 1 end
  if first > last then return zero(false) end
  local t = ssub(s, first, last)
  local sign = ""
  local b = sbyte(t, 1)
  if b == 43 or b == 45 then sign, t = schar(b), ssub(t, 2) end
  local dot = sfind(t, ".", 1, true)
  if (not dot or not sfind(t, ".", dot + 1, true)) and (sfind(t, "^[%d.]+$") or sfind(t, "^[%d.]+[eE][-+]?%d+$")) then
    local q = from_literal(sign == "-", t)
    if q then return q end
  end
  return from_number(n)
end

-- ToIntlMathematicalValue
local function to_decimal(v)
  if type(v) == "number" then return from_number(v) end
  v = R.toprim(v, "number")
  if type(v) == "table" and getmetatable(v) == R.BigIntMT then return from_bigint(v) end
  if type(v) == "string" then return from_string(v) end
  return from_number(tonum(v))
end

local function is_zero(q) return q.d == "" end

local increment = require("ljs.numconv").incdigits   -- "199" -> "200"
local split_digits = require("ljs.numconv").split_digits

-- Whether dropping digits rounds the kept ones up (away from zero): `first` is the first
-- dropped digit, `rest` whether any later dropped digit is non-zero.
local function rounds_up(mode, neg, kept, first, rest)
  if mode == "ceil" then return not neg end
  if mode == "floor" then return neg end
  if mode == "expand" then return true end
  if mode == "trunc" then return false end
  if first ~= 5 or rest then return first >= 5 end
  if mode == "halfExpand" then return true end
  if mode == "halfTrunc" then return false end
  if mode == "halfCeil" then return not neg end
  if mode == "halfFloor" then return neg end
  local last = kept ~= "" and sbyte(kept, #kept) - 48 or 0   -- halfEven
  return last % 2 == 1
end

-- Round to a multiple of 10^mag.
local function round_at(q, mag, mode)
  local d, e = q.d, q.e
  local keep = e - mag
  if keep >= #d then return q end
  local kept, first, rest
  if keep < 0 then
    kept, first, rest = "", 0, true
  else
    kept = ssub(d, 1, keep)
    first, rest = sbyte(d, keep + 1) - 48, #d > keep + 1
  end
  local up = rounds_up(mode, q.neg, kept, first, rest)
  if keep <= 0 then
    if up then return {neg = q.neg, d = "1", e = mag + 1} end
    return zero(q.neg)
  end
  if up then
    local nd = increment(kept)
    if #nd > #kept then e = e + 1 end
    kept = nd
  end
  return normalize(q.neg, kept, e)
end

-- Multiply or divide (exactly) the digits by a small integer, for rounding increments.
local function times(q, n)
  if is_zero(q) then return q end
  local d, carry, out = q.d, 0, {}
  for i = #d, 1, -1 do
    local v = (sbyte(d, i) - 48) * n + carry
    out[#out + 1] = v % 10
    carry = floor(v / 10)
  end
  while carry > 0 do out[#out + 1] = carry % 10; carry = floor(carry / 10) end
  local buf = {}
  for i = #out, 1, -1 do buf[#buf + 1] = out[i] end
  local s = concat(buf)
  return normalize(q.neg, s, q.e + #s - #d)
end

local function divided(q, n)
  if is_zero(q) then return q end
  local d = q.d .. "000"   -- n divides the value, so three more places are enough
  local rem, buf = 0, {}
  for i = 1, #d do
    local v = rem * 10 + sbyte(d, i) - 48
    buf[i] = floor(v / n)
    rem = v % n
  end
  return normalize(q.neg, concat(buf), q.e)
end

-- Round to a multiple of inc × 10^mag (inc one of 1, 2, 5, 25 times a power of ten): k × v is
-- rounded to a power of ten instead, which keeps ties where they are.
local INCREMENT_SCALE = {[2] = {5, 1}, [5] = {2, 1}, [25] = {4, 2}}
local function round_increment(q, inc, mag, mode)
  while inc % 10 == 0 do inc = inc / 10; mag = mag + 1 end
  local scale = INCREMENT_SCALE[inc]
  if not scale then return round_at(q, mag, mode) end
  return divided(round_at(times(q, scale[1]), mag + scale[2], mode), scale[1])
end

-- The integer and fraction digit strings of a rounded decimal, the fraction padded down to
-- magnitude `minmag` and the integer to `mnid` digits.
local function digit_strings(q, minmag, mnid)
  local ip, fp = "", ""
  if q.d ~= "" then ip, fp = split_digits(q.d, q.e) end
  if -minmag > #fp then fp = fp .. srep("0", -minmag - #fp) end
  if #ip < mnid then ip = srep("0", mnid - #ip) .. ip end
  return ip, fp
end

local function magnitude(q) return is_zero(q) and 0 or q.e - 1 end
local function shifted(q, by)
  if is_zero(q) then return q end
  return {neg = q.neg, d = q.d, e = q.e + by}
end

---------------------------------------------------------------------------------------------
-- NumberFormat data (en). Currencies: ISO code -> {fraction digits, symbol (nil: the code),
-- narrow symbol (nil: the symbol), name for one, name for other (nil: as for one)}; a
-- well-formed code not listed shows itself, with two fraction digits.
local CURRENCIES = {
  AED = {2, nil, nil, "UAE dirham", "UAE dirhams"},
  AFN = {0, nil, "\216\139", "Afghan Afghani", "Afghan Afghanis"},
  ALL = {0, nil, nil, "Albanian lek", "Albanian lek\195\171"},
  AMD = {2, nil, "\214\143", "Armenian dram", "Armenian drams"},
  ANG = {2, nil, nil, "Netherlands Antillean guilder", "Netherlands Antillean guilders"},
  AOA = {2, nil, "Kz", "Angolan kwanza", "Angolan kwanzas"},
  ARS = {2, nil, "$", "Argentine peso", "Argentine pesos"},
  AUD = {2, "A$", "$", "Australian dollar", "Australian dollars"},
  AWG = {2, nil, nil, "Aruban florin"},
  AZN = {2, nil, "\226\130\188", "Azerbaijani manat", "Azerbaijani manats"},
  BAM = {2, nil, "KM", "Bosnia-Herzegovina convertible mark", "Bosnia-Herzegovina convertible marks"},
  BBD = {2, nil, "$", "Barbadian dollar", "Barbadian dollars"},
  BDT = {2, nil, "\224\167\179", "Bangladeshi taka", "Bangladeshi takas"},
  BGN = {2, nil, nil, "Bulgarian lev", "Bulgarian leva"},
  BHD = {3, nil, nil, "Bahraini dinar", "Bahraini dinars"},
  BIF = {0, nil, nil, "Burundian franc", "Burundian francs"},
  BMD = {2, nil, "$", "Bermudan dollar", "Bermudan dollars"},
  BND = {2, nil, "$", "Brunei dollar", "Brunei dollars"},
  BOB = {2, nil, "Bs", "Bolivian boliviano", "Bolivian bolivianos"},
  BRL = {2, "R$", nil, "Brazilian real", "Brazilian reals"},
  BSD = {2, nil, "$", "Bahamian dollar", "Bahamian dollars"},
  BTN = {2, nil, nil, "Bhutanese ngultrum", "Bhutanese ngultrums"},
  BWP = {2, nil, "P", "Botswanan pula", "Botswanan pulas"},
  BYN = {2, nil, nil, "Belarusian ruble", "Belarusian rubles"},
  BZD = {2, nil, "$", "Belize dollar", "Belize dollars"},
  CAD = {2, "CA$", "$", "Canadian dollar", "Canadian dollars"},
  CDF = {2, nil, nil, "Congolese franc", "Congolese francs"},
  CHF = {2, nil, nil, "Swiss franc", "Swiss francs"},
  CLP = {0, nil, "$", "Chilean peso", "Chilean pesos"},
  CNY = {2, "CN\194\165", "\194\165", "Chinese yuan"},
  COP = {0, nil, "$", "Colombian peso", "Colombian pesos"},
  CRC = {2, nil, "\226\130\161", "Costa Rican col\195\179n", "Costa Rican col\195\179ns"},
  CUC = {2, nil, "$", "Cuban convertible peso", "Cuban convertible pesos"},
  CUP = {2, nil, "$", "Cuban peso", "Cuban pesos"},
  CVE = {2, nil, nil, "Cape Verdean escudo", "Cape Verdean escudos"},
  CZK = {2, nil, "K\196\141", "Czech koruna", "Czech korunas"},
  DJF = {0, nil, nil, "Djiboutian franc", "Djiboutian francs"},
  DKK = {2, nil, "kr", "Danish krone", "Danish kroner"},
  DOP = {2, nil, "$", "Dominican peso", "Dominican pesos"},
  DZD = {2, nil, nil, "Algerian dinar", "Algerian dinars"},
  EGP = {2, nil, "E\194\163", "Egyptian pound", "Egyptian pounds"},
  ERN = {2, nil, nil, "Eritrean nakfa", "Eritrean nakfas"},
  ETB = {2, nil, nil, "Ethiopian birr", "Ethiopian birrs"},
  EUR = {2, "\226\130\172", nil, "euro", "euros"},
  FJD = {2, nil, "$", "Fijian dollar", "Fijian dollars"},
  FKP = {2, nil, "\194\163", "Falkland Islands pound", "Falkland Islands pounds"},
  GBP = {2, "\194\163", nil, "British pound", "British pounds"},
  GEL = {2, nil, "\226\130\190", "Georgian lari", "Georgian laris"},
  GHS = {2, nil, "GH\226\130\181", "Ghanaian cedi", "Ghanaian cedis"},
  GIP = {2, nil, "\194\163", "Gibraltar pound", "Gibraltar pounds"},
  GMD = {2, nil, nil, "Gambian dalasi", "Gambian dalasis"},
  GNF = {0, nil, "FG", "Guinean franc", "Guinean francs"},
  GTQ = {2, nil, "Q", "Guatemalan quetzal", "Guatemalan quetzals"},
  GYD = {2, nil, "$", "Guyanaese dollar", "Guyanaese dollars"},
  HKD = {2, "HK$", "$", "Hong Kong dollar", "Hong Kong dollars"},
  HNL = {2, nil, "L", "Honduran lempira", "Honduran lempiras"},
  HRK = {2, nil, "kn", "Croatian kuna", "Croatian kunas"},
  HTG = {2, nil, nil, "Haitian gourde", "Haitian gourdes"},
  HUF = {0, nil, "Ft", "Hungarian forint", "Hungarian forints"},
  IDR = {0, nil, "Rp", "Indonesian rupiah", "Indonesian rupiahs"},
  ILS = {2, "\226\130\170", nil, "Israeli new shekel", "Israeli new shekels"},
  INR = {2, "\226\130\185", nil, "Indian rupee", "Indian rupees"},
  IQD = {0, nil, nil, "Iraqi dinar", "Iraqi dinars"},
  IRR = {0, nil, nil, "Iranian rial", "Iranian rials"},
  ISK = {0, nil, "kr", "Icelandic kr\195\179na", "Icelandic kr\195\179nur"},
  JMD = {2, nil, "$", "Jamaican dollar", "Jamaican dollars"},
  JOD = {3, nil, nil, "Jordanian dinar", "Jordanian dinars"},
  JPY = {0, "\194\165", nil, "Japanese yen"},
  KES = {2, nil, nil, "Kenyan shilling", "Kenyan shillings"},
  KGS = {2, nil, "\226\131\128", "Kyrgyz som", "Kyrgyz soms"},
  KHR = {2, nil, "\225\159\155", "Cambodian riel", "Cambodian riels"},
  KMF = {0, nil, "CF", "Comorian franc", "Comorian francs"},
  KPW = {0, nil, "\226\130\169", "North Korean won"},
  KRW = {0, "\226\130\169", nil, "South Korean won"},
  KWD = {3, nil, nil, "Kuwaiti dinar", "Kuwaiti dinars"},
  KYD = {2, nil, "$", "Cayman Islands dollar", "Cayman Islands dollars"},
  KZT = {2, nil, "\226\130\184", "Kazakhstani tenge", "Kazakhstani tenges"},
  LAK = {0, nil, "\226\130\173", "Laotian kip", "Laotian kips"},
  LBP = {0, nil, "L\194\163", "Lebanese pound", "Lebanese pounds"},
  LKR = {2, nil, "Rs", "Sri Lankan rupee", "Sri Lankan rupees"},
  LRD = {2, nil, "$", "Liberian dollar", "Liberian dollars"},
  LSL = {2, nil, nil, "Lesotho loti", "Lesotho lotis"},
  LYD = {3, nil, nil, "Libyan dinar", "Libyan dinars"},
  MAD = {2, nil, nil, "Moroccan dirham", "Moroccan dirhams"},
  MDL = {2, nil, nil, "Moldovan leu", "Moldovan lei"},
  MGA = {0, nil, "Ar", "Malagasy ariary", "Malagasy ariaries"},
  MKD = {2, nil, nil, "Macedonian denar", "Macedonian denari"},
  MMK = {0, nil, "K", "Myanmar kyat", "Myanmar kyats"},
  MNT = {2, nil, "\226\130\174", "Mongolian tugrik", "Mongolian tugriks"},
  MOP = {2, nil, nil, "Macanese pataca", "Macanese patacas"},
  MRU = {2, nil, nil, "Mauritanian ouguiya", "Mauritanian ouguiyas"},
  MUR = {2, nil, "Rs", "Mauritian rupee", "Mauritian rupees"},
  MVR = {2, nil, nil, "Maldivian rufiyaa", "Maldivian rufiyaas"},
  MWK = {2, nil, nil, "Malawian kwacha", "Malawian kwachas"},
  MXN = {2, "MX$", "$", "Mexican peso", "Mexican pesos"},
  MYR = {2, nil, "RM", "Malaysian ringgit", "Malaysian ringgits"},
  MZN = {2, nil, nil, "Mozambican metical", "Mozambican meticals"},
  NAD = {2, nil, "$", "Namibian dollar", "Namibian dollars"},
  NGN = {2, nil, "\226\130\166", "Nigerian naira", "Nigerian nairas"},
  NIO = {2, nil, "C$", "Nicaraguan c\195\179rdoba", "Nicaraguan c\195\179rdobas"},
  NOK = {2, nil, "kr", "Norwegian krone", "Norwegian kroner"},
  NPR = {2, nil, "Rs", "Nepalese rupee", "Nepalese rupees"},
  NZD = {2, "NZ$", "$", "New Zealand dollar", "New Zealand dollars"},
  OMR = {3, nil, nil, "Omani rial", "Omani rials"},
  PAB = {2, nil, nil, "Panamanian balboa", "Panamanian balboas"},
  PEN = {2, nil, nil, "Peruvian sol", "Peruvian soles"},
  PGK = {2, nil, nil, "Papua New Guinean kina"},
  PHP = {2, "\226\130\177", nil, "Philippine peso", "Philippine pesos"},
  PKR = {0, nil, "Rs", "Pakistani rupee", "Pakistani rupees"},
  PLN = {2, nil, "z\197\130", "Polish zloty", "Polish zlotys"},
  PYG = {0, nil, "\226\130\178", "Paraguayan guarani", "Paraguayan guaranis"},
  QAR = {2, nil, nil, "Qatari riyal", "Qatari riyals"},
  RON = {2, nil, "lei", "Romanian leu", "Romanian lei"},
  RSD = {2, nil, nil, "Serbian dinar", "Serbian dinars"},
  RUB = {2, nil, "\226\130\189", "Russian ruble", "Russian rubles"},
  RWF = {0, nil, "RF", "Rwandan franc", "Rwandan francs"},
  SAR = {2, nil, nil, "Saudi riyal", "Saudi riyals"},
  SBD = {2, nil, "$", "Solomon Islands dollar", "Solomon Islands dollars"},
  SCR = {2, nil, nil, "Seychellois rupee", "Seychellois rupees"},
  SDG = {2, nil, nil, "Sudanese pound", "Sudanese pounds"},
  SEK = {2, nil, "kr", "Swedish krona", "Swedish kronor"},
  SGD = {2, nil, "$", "Singapore dollar", "Singapore dollars"},
  SHP = {2, nil, "\194\163", "St. Helena pound", "St. Helena pounds"},
  SLE = {2, nil, nil, "Sierra Leonean leone", "Sierra Leonean leones"},
  SLL = {0, nil, nil, "Sierra Leonean leone (1964\226\128\1482022)", "Sierra Leonean leones (1964\226\128\1482022)"},
  SOS = {0, nil, nil, "Somali shilling", "Somali shillings"},
  SRD = {2, nil, "$", "Surinamese dollar", "Surinamese dollars"},
  SSP = {2, nil, "\194\163", "South Sudanese pound", "South Sudanese pounds"},
  STN = {2, nil, "Db", "S\195\163o Tom\195\169 & Pr\195\173ncipe dobra", "S\195\163o Tom\195\169 & Pr\195\173ncipe dobras"},
  SVC = {2, nil, nil, "Salvadoran col\195\179n", "Salvadoran colones"},
  SYP = {0, nil, "\194\163", "Syrian pound", "Syrian pounds"},
  SZL = {2, nil, nil, "Swazi lilangeni", "Swazi emalangeni"},
  THB = {2, nil, "\224\184\191", "Thai baht"},
  TJS = {2, nil, nil, "Tajikistani somoni", "Tajikistani somonis"},
  TMT = {2, nil, nil, "Turkmenistani manat"},
  TND = {3, nil, nil, "Tunisian dinar", "Tunisian dinars"},
  TOP = {2, nil, "T$", "Tongan pa\202\187anga"},
  TRY = {2, nil, "\226\130\186", "Turkish lira", "Turkish Lira"},
  TTD = {2, nil, "$", "Trinidad & Tobago dollar", "Trinidad & Tobago dollars"},
  TWD = {2, "NT$", "$", "New Taiwan dollar", "New Taiwan dollars"},
  TZS = {2, nil, nil, "Tanzanian shilling", "Tanzanian shillings"},
  UAH = {2, nil, "\226\130\180", "Ukrainian hryvnia", "Ukrainian hryvnias"},
  UGX = {0, nil, nil, "Ugandan shilling", "Ugandan shillings"},
  USD = {2, "$", nil, "US dollar", "US dollars"},
  UYU = {2, nil, "$", "Uruguayan peso", "Uruguayan pesos"},
  UZS = {2, nil, nil, "Uzbekistani som"},
  VES = {2, nil, nil, "Venezuelan bol\195\173var", "Venezuelan bol\195\173vars"},
  VND = {0, "\226\130\171", nil, "Vietnamese dong"},
  VUV = {0, nil, nil, "Vanuatu vatu", "Vanuatu vatus"},
  WST = {2, nil, nil, "Samoan tala"},
  XAF = {0, "FCFA", nil, "Central African CFA franc", "Central African CFA francs"},
  XCD = {2, "EC$", "$", "East Caribbean dollar", "East Caribbean dollars"},
  XCG = {2, "Cg.", nil, "Caribbean guilder", "Caribbean guilders"},
  XDR = {2, nil, nil, "special drawing rights"},
  XOF = {0, "F\226\128\175CFA", nil, "West African CFA franc", "West African CFA francs"},
  XPF = {0, "CFPF", nil, "CFP franc", "CFP francs"},
  XSU = {2, nil, nil, "Sucre", "Sucres"},
  YER = {0, nil, nil, "Yemeni rial", "Yemeni rials"},
  ZAR = {2, nil, "R", "South African rand"},
  ZMW = {2, nil, "ZK", "Zambian kwacha", "Zambian kwachas"},
  ZWG = {2, nil, nil, "Zimbabwean gold"},
  ZWL = {2, nil, nil, "Zimbabwean dollar (2009\226\128\1472024)", "Zimbabwean dollars (2009\226\128\1472024)"},
}

-- Units: the text after the number for short one/other, long one/other, narrow one/other,
-- then what "X-per-UNIT" appends to X's text (short, long, narrow).
local UNITS = {
  ["acre"] = {" ac", " ac", " acre", " acres", "ac", "ac", "/ac", " per acre", "/ac"},
  ["bit"] = {" bit", " bit", " bit", " bits", "bit", "bit", "/bit", " per bit", "/bit"},
  ["byte"] = {" byte", " byte", " byte", " bytes", "B", "B", "/byte", " per byte", "/B"},
  ["celsius"] = {"\194\176C", "\194\176C", " degree Celsius", " degrees Celsius", "\194\176C", "\194\176C", "/\194\176C", " per degree Celsius", "/\194\176C"},
  ["centimeter"] = {" cm", " cm", " centimeter", " centimeters", "cm", "cm", "/cm", " per centimeter", "/cm"},
  ["day"] = {" day", " days", " day", " days", "d", "d", "/d", " per day", "/d"},
  ["degree"] = {" deg", " deg", " degree", " degrees", "\194\176", "\194\176", "/deg", " per degree", "/\194\176"},
  ["fahrenheit"] = {"\194\176F", "\194\176F", " degree Fahrenheit", " degrees Fahrenheit", "\194\176", "\194\176", "/\194\176F", " per degree Fahrenheit", "/\194\176"},
  ["fluid-ounce"] = {" fl oz", " fl oz", " fluid ounce", " fluid ounces", "fl oz", "fl oz", "/fl oz", " per fluid ounce", "/fl oz"},
  ["foot"] = {" ft", " ft", " foot", " feet", "\226\128\178", "\226\128\178", "/ft", " per foot", "/ft"},
  ["gallon"] = {" gal", " gal", " gallon", " gallons", "gal", "gal", "/gal US", " per gallon", "/gal"},
  ["gigabit"] = {" Gb", " Gb", " gigabit", " gigabits", "Gb", "Gb", "/Gb", " per gigabit", "/Gb"},
  ["gigabyte"] = {" GB", " GB", " gigabyte", " gigabytes", "GB", "GB", "/GB", " per gigabyte", "/GB"},
  ["gram"] = {" g", " g", " gram", " grams", "g", "g", "/g", " per gram", "/g"},
  ["hectare"] = {" ha", " ha", " hectare", " hectares", "ha", "ha", "/ha", " per hectare", "/ha"},
  ["hour"] = {" hr", " hr", " hour", " hours", "h", "h", "/h", " per hour", "/h"},
  ["inch"] = {" in", " in", " inch", " inches", "\226\128\179", "\226\128\179", "/in", " per inch", "/in"},
  ["kilobit"] = {" kb", " kb", " kilobit", " kilobits", "kb", "kb", "/kb", " per kilobit", "/kb"},
  ["kilobyte"] = {" kB", " kB", " kilobyte", " kilobytes", "kB", "kB", "/kB", " per kilobyte", "/kB"},
  ["kilogram"] = {" kg", " kg", " kilogram", " kilograms", "kg", "kg", "/kg", " per kilogram", "/kg"},
  ["kilometer"] = {" km", " km", " kilometer", " kilometers", "km", "km", "/km", " per kilometer", "/km"},
  ["liter"] = {" L", " L", " liter", " liters", "L", "L", "/L", " per liter", "/L"},
  ["megabit"] = {" Mb", " Mb", " megabit", " megabits", "Mb", "Mb", "/Mb", " per megabit", "/Mb"},
  ["megabyte"] = {" MB", " MB", " megabyte", " megabytes", "MB", "MB", "/MB", " per megabyte", "/MB"},
  ["meter"] = {" m", " m", " meter", " meters", "m", "m", "/m", " per meter", "/m"},
  ["microsecond"] = {" \206\188s", " \206\188s", " microsecond", " microseconds", "\206\188s", "\206\188s", "/\206\188s", " per microsecond", "/\206\188s"},
  ["mile"] = {" mi", " mi", " mile", " miles", "mi", "mi", "/mi", " per mile", "/mi"},
  ["mile-scandinavian"] = {" smi", " smi", " mile-scandinavian", " miles-scandinavian", "smi", "smi", "/smi", " per mile-scandinavian", "/smi"},
  ["milliliter"] = {" mL", " mL", " milliliter", " milliliters", "mL", "mL", "/mL", " per milliliter", "/mL"},
  ["millimeter"] = {" mm", " mm", " millimeter", " millimeters", "mm", "mm", "/mm", " per millimeter", "/mm"},
  ["millisecond"] = {" ms", " ms", " millisecond", " milliseconds", "ms", "ms", "/ms", " per millisecond", "/ms"},
  ["minute"] = {" min", " min", " minute", " minutes", "m", "m", "/min", " per minute", "/min"},
  ["month"] = {" mth", " mths", " month", " months", "m", "m", "/m", " per month", "/m"},
  ["nanosecond"] = {" ns", " ns", " nanosecond", " nanoseconds", "ns", "ns", "/ns", " per nanosecond", "/ns"},
  ["ounce"] = {" oz", " oz", " ounce", " ounces", "oz", "oz", "/oz", " per ounce", "/oz"},
  ["percent"] = {"%", "%", " percent", " percent", "%", "%", "/%", " per percent", "/%"},
  ["petabyte"] = {" PB", " PB", " petabyte", " petabytes", "PB", "PB", "/PB", " per petabyte", "/PB"},
  ["pound"] = {" lb", " lb", " pound", " pounds", "#", "#", "/lb", " per pound", "/lb"},
  ["second"] = {" sec", " sec", " second", " seconds", "s", "s", "/s", " per second", "/s"},
  ["stone"] = {" st", " st", " stone", " stones", "st", "st", "/st", " per stone", "/st"},
  ["terabit"] = {" Tb", " Tb", " terabit", " terabits", "Tb", "Tb", "/Tb", " per terabit", "/Tb"},
  ["terabyte"] = {" TB", " TB", " terabyte", " terabytes", "TB", "TB", "/TB", " per terabyte", "/TB"},
  ["week"] = {" wk", " wks", " week", " weeks", "w", "w", "/w", " per week", "/w"},
  ["yard"] = {" yd", " yd", " yard", " yards", "yd", "yd", "/yd", " per yard", "/yd"},
  ["year"] = {" yr", " yrs", " year", " years", "y", "y", "/y", " per year", "/y"},
}
-- compound units CLDR names itself (the rest are "X-per-Y" from the parts above)
local COMPOUND_UNITS = {
  ["mile-per-hour"] = {" mph", " mph", " mile per hour", " miles per hour", "mph", "mph"},
  ["mile-per-gallon"] = {" mpg", " mpg", " mile per gallon", " miles per gallon", "mpg", "mpg"},
}

-- Compact notation: the suffix by power of ten (short, long).
local COMPACT = {[3] = {"K", "thousand"}, [6] = {"M", "million"}, [9] = {"B", "billion"}, [12] = {"T", "trillion"}}

local function is_unit(u)
  if UNITS[u] or COMPOUND_UNITS[u] then return true end
  local a, b = smatch(u, "^(.-)%-per%-(.+)$")
  return a ~= nil and UNITS[a] ~= nil and UNITS[b] ~= nil
end

-- The text after the number for unit u, display d ("short", "long", "narrow") and plural p.
local DISPLAY_INDEX = {short = 1, long = 3, narrow = 5}
local function unit_suffix(u, d, p)
  local i = DISPLAY_INDEX[d] + (p == "one" and 0 or 1)
  local t = UNITS[u] or COMPOUND_UNITS[u]
  if t then return t[i] end
  local a, b = smatch(u, "^(.-)%-per%-(.+)$")
  if a == "percent" and d ~= "long" then return UNITS.percent[i] end   -- (as ICU has it)
  return UNITS[a][i] .. UNITS[b][7 + floor((i - 1) / 2)]
end

-- Whether a currency sign ends with a letter or other non-symbol, so that ICU separates it
-- from the digits with a no-break space ("CHF 1.00" but "$1.00", "CA$1.00").
local function last_codepoint(s)
  local i = #s
  while i > 1 and sbyte(s, i) >= 0x80 and sbyte(s, i) < 0xC0 do i = i - 1 end
  local b = sbyte(s, i)
  if b < 0x80 then return b end
  local c = b >= 0xF0 and b - 0xF0 or b >= 0xE0 and b - 0xE0 or b - 0xC0
  for j = i + 1, #s do c = c * 64 + sbyte(s, j) - 0x80 end
  return c
end
local function needs_currency_space(s)
  local c = last_codepoint(s)
  return not (c == 0x24 or (c >= 0xA2 and c <= 0xA5) or c == 0x58F or c == 0x60B or c == 0x9F2 or c == 0x9F3
              or c == 0xE3F or c == 0x17DB or (c >= 0x20A0 and c <= 0x20CF) or c == 0xFDFC)
end

local function currency_text(o, plural)
  local code = o.currency
  local c = CURRENCIES[code]
  local display = o.currency_display
  if display == "code" or not c then return code end
  if display == "symbol" then return c[2] or code end
  if display == "narrowSymbol" then return c[3] or c[2] or code end
  if plural == "one" then return c[4] or code end
  return c[5] or c[4] or code
end

---------------------------------------------------------------------------------------------
-- Digit options (SetNumberFormatDigitOptions), shared with PluralRules.

local ROUNDING_MODES = set_of({"ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor", "halfExpand",
                               "halfTrunc", "halfEven"})
local ROUNDING_PRIORITIES = set_of({"auto", "morePrecision", "lessPrecision"})
local TRAILING_ZEROS = set_of({"auto", "stripIfInteger"})
local INCREMENTS = set_of({1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000})

local function digit_options(o, opts, mnfd_default, mxfd_default, notation, where)
  o.mnid = get_number(opts, "minimumIntegerDigits", 1, 21, 1)
  local mnfd, mxfd = get(opts, "minimumFractionDigits"), get(opts, "maximumFractionDigits")
  local mnsd, mxsd = get(opts, "minimumSignificantDigits"), get(opts, "maximumSignificantDigits")
  local increment = get_number(opts, "roundingIncrement", 1, 5000, 1)
  if not INCREMENTS[increment] then range_error("roundingIncrement value is out of range.") end
  o.increment = increment
  o.rounding_mode = get_string(opts, "roundingMode", ROUNDING_MODES, "halfExpand", where)
  local priority = get_string(opts, "roundingPriority", ROUNDING_PRIORITIES, "auto", where)
  o.trailing_zeros = get_string(opts, "trailingZeroDisplay", TRAILING_ZEROS, "auto", where)
  if increment ~= 1 then mxfd_default = mnfd_default end
  local has_sd, has_fd = mnsd ~= nil or mxsd ~= nil, mnfd ~= nil or mxfd ~= nil
  local need_sd, need_fd = true, true
  if priority == "auto" then
    need_sd = has_sd
    if need_sd or (not has_fd and notation == "compact") then need_fd = false end
  end
  if need_sd then
    if has_sd then
      o.mnsd = default_number(mnsd, 1, 21, 1, "minimumSignificantDigits")
      o.mxsd = default_number(mxsd, o.mnsd, 21, 21, "maximumSignificantDigits")
    else
      o.mnsd, o.mxsd = 1, 21
    end
  end
  if need_fd then
    if has_fd then
      mnfd = default_number(mnfd, 0, 20, nil, "minimumFractionDigits")
      mxfd = default_number(mxfd, 0, 20, nil, "maximumFractionDigits")
      if mnfd == nil then
        mnfd = min(mnfd_default, mxfd)
      elseif mxfd == nil then
        mxfd = max(mxfd_default, mnfd)
      elseif mnfd > mxfd then
        range_error("maximumFractionDigits value is out of range.")
      end
      o.mnfd, o.mxfd = mnfd, mxfd
    else
      o.mnfd, o.mxfd = mnfd_default, mxfd_default
    end
  end
  if not need_sd and not need_fd then   -- compact notation's own rounding
    o.mnfd, o.mxfd, o.mnsd, o.mxsd = 0, 0, 1, 2
    o.rounding_type, o.priority = "morePrecision", "morePrecision"
  elseif priority == "auto" then
    o.rounding_type, o.priority = has_sd and "significantDigits" or "fractionDigits", "auto"
  else
    o.rounding_type, o.priority = priority, priority
  end
  if increment ~= 1 then
    if o.rounding_type ~= "fractionDigits" then type_error("RoundingType is not fractionDigits") end
    if o.mxfd ~= o.mnfd then range_error("maximumFractionDigits not equal to minimumFractionDigits") end
  end
end

-- The digit options as resolvedOptions lists them.
local function digit_fields(r, o)
  field(r, "minimumIntegerDigits", o.mnid)
  if o.rounding_type ~= "fractionDigits" then
    field(r, "minimumSignificantDigits", o.mnsd)
    field(r, "maximumSignificantDigits", o.mxsd)
  end
  if o.rounding_type ~= "significantDigits" then
    field(r, "minimumFractionDigits", o.mnfd)
    field(r, "maximumFractionDigits", o.mxfd)
  end
end

-- FormatNumericToString's rounding: the rounded decimal and the lowest magnitude to show.
local function round_significant(o, q)
  local mag = magnitude(q) - o.mxsd + 1
  local r = round_at(q, mag, o.rounding_mode)
  return r, magnitude(r) - o.mnsd + 1, mag
end

local function round_fraction(o, q)
  local r
  if o.increment ~= 1 then
    r = round_increment(q, o.increment, -o.mxfd, o.rounding_mode)
  else
    r = round_at(q, -o.mxfd, o.rounding_mode)
  end
  return r, -o.mnfd, -o.mxfd
end

local function round_number(o, q)
  local kind = o.rounding_type
  local r, minmag
  if kind == "significantDigits" then
    r, minmag = round_significant(o, q)
  elseif kind == "fractionDigits" then
    r, minmag = round_fraction(o, q)
  else
    local sr, smin, smag = round_significant(o, q)
    local fr, fmin, fmag = round_fraction(o, q)
    local fixed_wins
    if kind == "morePrecision" then fixed_wins = smag > fmag else fixed_wins = smag <= fmag end
    if fixed_wins then r, minmag = fr, fmin else r, minmag = sr, smin end
  end
  if o.trailing_zeros == "stripIfInteger" and r.e >= #r.d then minmag = max(minmag, 0) end
  return r, minmag
end

-- Scaled notations (ICU's chooseMultiplierAndApply): scale to the exponent pick(magnitude) and
-- round; when rounding carries into the next magnitude, pick again (999.96 -> 1000 -> 1K).
local function scale_and_round(o, q, pick)
  if is_zero(q) then
    local r, minmag = round_number(o, q)
    return r, minmag, 0
  end
  local mag = magnitude(q)
  local exp = pick(mag)
  local r, minmag = round_number(o, shifted(q, -exp))
  if is_zero(r) or magnitude(r) == mag - exp then return r, minmag, exp end
  local exp2 = pick(mag + 1)
  if exp2 == exp then return r, minmag, exp end
  r, minmag = round_number(o, shifted(r, exp - exp2))
  return r, minmag, exp2
end

local PICK = {
  scientific = function(m) return m end,
  engineering = function(m) return floor(m / 3) * 3 end,
  compact = function(m) if m < 3 then return 0 end return floor(min(m, 14) / 3) * 3 end,
}

---------------------------------------------------------------------------------------------
-- Formatting a decimal to parts

local function add_part(parts, kind, value) parts[#parts + 1] = {type = kind, value = value} end

local function add_integer(parts, ip, grouping)
  local n = #ip
  if not grouping or n < 4 or (grouping == "min2" and n < 5) then return add_part(parts, "integer", ip) end
  local first = n % 3
  if first == 0 then first = 3 end
  add_part(parts, "integer", ssub(ip, 1, first))
  for i = first + 1, n, 3 do
    add_part(parts, "group", ",")
    add_part(parts, "integer", ssub(ip, i, i + 2))
  end
end

local function sign_of(display, neg, zero, nan)
  if display == "never" then return nil end
  if display == "auto" then return neg and "-" or nil end
  if display == "always" then return neg and "-" or "+" end
  if nan or zero then return nil end
  if display == "exceptZero" then return neg and "-" or "+" end
  return neg and "-" or nil   -- "negative"
end

-- The text after a unit's number: spaces are a literal, the rest the unit.
local function add_suffix(parts, text, kind)
  local i = 1
  while true do
    if ssub(text, i, i) == " " then i = i + 1
    elseif ssub(text, i, i + 1) == "\194\160" then i = i + 2
    else break end
  end
  if i > 1 then add_part(parts, "literal", ssub(text, 1, i - 1)) end
  if i <= #text then add_part(parts, kind, ssub(text, i)) end
end

-- The rounded number: its parts (digits; the exponent; the compact suffix), the plural
-- category that names and units agree with, and whether it rounded to zero.
local function number_body(o, q)
  local body, exponent, compact = {}, {}, {}
  if q.nan then add_part(body, "nan", "NaN"); return body, exponent, compact, "other", false end
  if q.inf then add_part(body, "infinity", "\226\136\158"); return body, exponent, compact, "other", false end
  if o.style == "percent" then q = shifted(q, 2) end
  local notation = o.notation
  local r, minmag, exp
  if notation == "standard" then
    r, minmag = round_number(o, q)
  else
    r, minmag, exp = scale_and_round(o, q, PICK[notation])
  end
  local ip, fp = digit_strings(r, minmag, o.mnid)
  add_integer(body, ip, o.use_grouping)
  if fp ~= "" then
    add_part(body, "decimal", ".")
    add_part(body, "fraction", fp)
  end
  if notation == "scientific" or notation == "engineering" then
    add_part(exponent, "exponentSeparator", "E")
    if exp < 0 then add_part(exponent, "exponentMinusSign", "-") end
    add_part(exponent, "exponentInteger", tostring(exp < 0 and -exp or exp))
  elseif notation == "compact" and exp > 0 then
    local names = COMPACT[exp]
    if o.compact_display == "long" and (o.style ~= "currency" or o.currency_display == "name") then
      add_part(compact, "literal", " ")
      add_part(compact, "compact", names[2])
    else
      add_part(compact, "compact", names[1])
    end
  end
  local plural = "other"
  if (exp or 0) == 0 and fp == "" and tonumber(ip) == 1 then plural = "one" end
  return body, exponent, compact, plural, is_zero(r)
end

-- A formatted number in ICU's layers (which formatRange shares or repeats): the affixes
-- before and after the number (sign, currency symbol, compact suffix, percent sign), the
-- number, its exponent, and the unit or currency name after all. `plural` overrides the
-- number's own category (a range agrees with "other").
local function format_layers(o, q, plural)
  local body, exponent, post, own_plural, zero = number_body(o, q)
  plural = plural or own_plural
  local pre, outer = {}, {}
  local style = o.style
  local sign = sign_of(o.sign_display, q.neg and not q.nan, zero, q.nan)
  local named = style == "currency" and o.currency_display == "name"
  local parens = sign == "-" and style == "currency" and o.currency_sign == "accounting"
                 and not named and o.notation ~= "compact"
  if parens then
    add_part(pre, "literal", "(")
  elseif sign == "-" then
    add_part(pre, "minusSign", "-")
  elseif sign == "+" then
    add_part(pre, "plusSign", "+")
  end
  if style == "currency" and not named then
    local text = currency_text(o)
    add_part(pre, "currency", text)
    if body[1].type == "integer" and needs_currency_space(text) then add_part(pre, "literal", "\194\160") end
  end
  -- (ICU formats compact percents as the unit "percent", and the short percent unit with the
  -- affixes)
  if style == "percent" then
    if o.notation == "compact" then add_part(outer, "unit", "%") else add_part(post, "percentSign", "%") end
  elseif style == "unit" then
    local inner = o.unit == "percent" and o.unit_display ~= "long" and o.notation ~= "compact"
    add_suffix(inner and post or outer, unit_suffix(o.unit, o.unit_display, plural), "unit")
  elseif named then
    add_part(outer, "literal", " ")
    add_part(outer, "currency", currency_text(o, plural))
  end
  if parens then add_part(post, "literal", ")") end
  return {pre, body, exponent, post, outer}, q.neg and not q.nan
end

local function flatten(layers, from, to, out)
  out = out or {}
  for i = from or 1, to or #layers do
    local list = layers[i]
    for j = 1, #list do out[#out + 1] = list[j] end
  end
  return out
end

local function format_to_parts(o, q)
  return flatten((format_layers(o, q)))
end

---------------------------------------------------------------------------------------------
-- Intl.NumberFormat

local NF_WHERE = "Intl.NumberFormat"
local STYLES = set_of({"decimal", "percent", "currency", "unit"})
local CURRENCY_DISPLAYS = set_of({"code", "symbol", "narrowSymbol", "name"})
local CURRENCY_SIGNS = set_of({"standard", "accounting"})
local UNIT_DISPLAYS = set_of({"short", "narrow", "long"})
local NOTATIONS = set_of({"standard", "scientific", "engineering", "compact"})
local COMPACT_DISPLAYS = set_of({"short", "long"})
local SIGN_DISPLAYS = set_of({"auto", "never", "always", "exceptZero", "negative"})
local GROUPINGS = set_of({"min2", "auto", "always"})

-- GetBooleanOrStringNumberFormatOption for useGrouping
local function grouping_option(opts, fallback)
  local v = get(opts, "useGrouping")
  if v == nil then return fallback end
  if v == true then return "always" end
  if not truthy(v) then return false end
  v = tostr(v)
  if v == "true" or v == "false" then return fallback end
  if not GROUPINGS[v] then range_error("Value " .. v .. " out of range for Intl.NumberFormat options property useGrouping") end
  return v
end

-- The state of a NumberFormat (InitializeNumberFormat).
local function new_number_format(locales, options)
  local requested = locale_list(locales)
  local opts = coerce_options(options, NF_WHERE)
  get_string(opts, "localeMatcher", MATCHERS, "best fit", NF_WHERE)
  local used = {}
  local locale, keywords = resolve_locale(requested)
  local o = {numbering_system = numbering_system(opts, keywords, used)}
  o.locale = locale_with(locale, used)
  local style = get_string(opts, "style", STYLES, "decimal", NF_WHERE)
  local currency = get(opts, "currency")
  if currency == nil then
    if style == "currency" then type_error("Currency code is required with currency style.") end
  else
    currency = tostr(currency)
    if not sfind(currency, "^%a%a%a$") then range_error("Invalid currency code : " .. currency) end
  end
  local currency_display = get_string(opts, "currencyDisplay", CURRENCY_DISPLAYS, "symbol", NF_WHERE)
  local currency_sign = get_string(opts, "currencySign", CURRENCY_SIGNS, "standard", NF_WHERE)
  local unit = get(opts, "unit")
  if unit == nil then
    if style == "unit" then type_error("Invalid unit argument for Intl.NumberFormat() ''") end
  else
    unit = tostr(unit)
    if not is_unit(unit) then range_error("Invalid unit argument for Intl.NumberFormat() '" .. unit .. "'") end
  end
  local unit_display = get_string(opts, "unitDisplay", UNIT_DISPLAYS, "short", NF_WHERE)
  o.style = style
  local mnfd_default, mxfd_default = 0, style == "percent" and 0 or 3
  if style == "currency" then
    o.currency, o.currency_display, o.currency_sign = supper(currency), currency_display, currency_sign
    local c = CURRENCIES[o.currency]
    mnfd_default = c and c[1] or 2
    mxfd_default = mnfd_default
  elseif style == "unit" then
    o.unit, o.unit_display = unit, unit_display
  end
  local notation = get_string(opts, "notation", NOTATIONS, "standard", NF_WHERE)
  o.notation = notation
  digit_options(o, opts, mnfd_default, mxfd_default, notation, NF_WHERE)
  local compact_display = get_string(opts, "compactDisplay", COMPACT_DISPLAYS, "short", NF_WHERE)
  if notation == "compact" then o.compact_display = compact_display end
  o.use_grouping = grouping_option(opts, notation == "compact" and "min2" or "auto")
  o.sign_display = get_string(opts, "signDisplay", SIGN_DISPLAYS, "auto", NF_WHERE)
  return o
end

local function format_number(o, x)
  return join_parts(format_to_parts(o, to_decimal(x)))
end

-- formatRange, as ICU collapses ranges in its "auto" mode: a layer both ends have alike is
-- shown once (the affixes only when longer than one character), and the dash gets spaces
-- when an affix or exponent is repeated; ends that format alike read "~x".
local function codepoints(s)
  local n = 0
  for _ in sgmatch(s, "[^\128-\191]") do n = n + 1 end
  return n
end

local function range_end(v, which)
  if v == nil then type_error("Invalid " .. which .. " : undefined") end
  local q = to_decimal(v)
  if q.nan then range_error("Invalid " .. which .. " : NaN") end
  return q
end

local function add_sourced(out, list, source)
  for i = 1, #list do
    local p = list[i]
    out[#out + 1] = {type = p.type, value = p.value, source = source}
  end
end

-- The rounded number and its sign, which tell whether two ends are the same.
local function identity(o, q)
  local layers, negative = format_layers(o, q)
  return join_parts(flatten(layers, 2, 4)) .. (negative and "-" or "+")
end

local function format_range_parts(o, x, y)
  local qx, qy = range_end(x, "start"), range_end(y, "end")
  local out = {}
  if identity(o, qx) == identity(o, qy) then
    out[1] = {type = "approximatelySign", value = "~", source = "shared"}
    add_sourced(out, format_to_parts(o, qx), "shared")
    return out
  end
  local a, b = format_layers(o, qx, "other"), format_layers(o, qy, "other")
  local outer_same = join_parts(a[5]) == join_parts(b[5])
  local pre, post = join_parts(a[1]), join_parts(a[4])
  local middle_same = outer_same and pre == join_parts(b[1]) and post == join_parts(b[4])
                      and codepoints(pre .. post) > 1
  local spaced = (not outer_same and #a[5] > 0) or (not middle_same and #a[1] + #a[4] > 0) or #a[3] > 0
  local function side(l, source)
    if not middle_same then add_sourced(out, l[1], source) end
    add_sourced(out, l[2], source)
    add_sourced(out, l[3], source)
    if not middle_same then add_sourced(out, l[4], source) end
    if not outer_same then add_sourced(out, l[5], source) end
  end
  if middle_same then add_sourced(out, a[1], "shared") end
  side(a, "startRange")
  out[#out + 1] = {type = "literal", value = spaced and " \226\128\147 " or "\226\128\147", source = "shared"}
  side(b, "endRange")
  if middle_same then add_sourced(out, a[4], "shared") end
  if outer_same then add_sourced(out, a[5], "shared") end
  return out
end

---------------------------------------------------------------------------------------------
-- The namespace and its constructors

local Intl = R.newobj()
R.tag(Intl, "Intl")
-- (property order as node lists it)
for _, name in ipairs({"getCanonicalLocales", "supportedValuesOf", "DateTimeFormat", "NumberFormat", "Collator",
                       "PluralRules", "RelativeTimeFormat", "ListFormat"}) do
  R.note_hidden(Intl, name)
end

-- A prototype method, in definition order for getOwnPropertyNames.
local function method(obj, name, len, f)
  R.note_hidden(obj, name)
  return R.method(obj, name, len, f)
end

-- A receiver as V8 describes it in "incompatible receiver" messages.
local function describe(v)
  if type(v) == "table" and getmetatable(v) == R.SymbolMT then return tostring(v) end
  if isobject(v) then
    local proto = R.getproto(v)
    local ctor = proto and proto ~= null and rawget(proto, "constructor")
    local name = type(ctor) == "function" and R.fnames[ctor]
    return "#<" .. ((name and name ~= "") and name or "Object") .. ">"
  end
  return tostr(v)
end

-- A constructor Intl[name]: init(locales, options) makes an instance's state. The older
-- services can be called without `new`; the newer ones (`needs_new`) throw. `available`: the
-- locales it has, when not en and en-US.
local function service(name, init, needs_new, available)
  local proto = R.newobj()
  local states = setmetatable({}, {__mode = "k"})
  local full = "Intl." .. name
  local function ctor(this, locales, options)
    if R.constructing(this, proto) and states[this] == nil then
      states[this] = init(locales, options)
      return this
    end
    if needs_new then type_error("Constructor " .. full .. " requires 'new'") end
    local state = init(locales, options)
    local obj = R.newobj(proto)
    states[obj] = state
    return obj
  end
  R.fn(ctor, name, 0)
  rawset(R.fprop_table(ctor), "prototype", proto)
  R.note_hidden(proto, "constructor")
  rawset(proto, "constructor", ctor)
  R.tag(proto, full)
  rawset(Intl, name, ctor)
  R.method(ctor, "supportedLocalesOf", 1, function(_, locales, options)
    return supported_locales(locales, options, full .. ".supportedLocalesOf", available)
  end)
  -- the state of `this`, or V8's TypeError for method `m`
  local function state(this, m)
    local s = type(this) == "table" and states[this]
    if s then return s end
    type_error("Method " .. full .. ".prototype." .. m .. " called on incompatible receiver " .. describe(this))
  end
  return proto, state, states
end

local function getter(proto, key, f)
  R.fnames[f] = "get " .. key
  R.fnlens[f] = 0
  R.defprop(proto, key, {get = f, enumerable = false, configurable = true})
end

-- A bound function as the format/compare getters return: no name, not a constructor.
local function bound(f, len) return R.arrow(f, "", len) end

-- (Each service below is a block of its own: a Lua function, this chunk included, has at most
-- 200 locals.)

---------------------------------------------------------------------------------------------
-- Intl.NumberFormat
do

local NumberFormatPrototype, nf_state, NUMBER_FORMATS = service("NumberFormat", new_number_format)

-- V8 reads the state of format and resolvedOptions through UnwrapNumberFormat, whose message
-- does not describe the receiver.
local function unwrap_nf(this)
  local o = type(this) == "table" and NUMBER_FORMATS[this]
  if not o then type_error("Method UnwrapNumberFormat called on incompatible receiver undefined") end
  return o
end

method(NumberFormatPrototype, "resolvedOptions", 0, function(this)
  local o = unwrap_nf(this)
  local r = record()
  field(r, "locale", o.locale)
  field(r, "numberingSystem", o.numbering_system)
  field(r, "style", o.style)
  field(r, "currency", o.currency)
  field(r, "currencyDisplay", o.currency_display)
  field(r, "currencySign", o.currency_sign)
  field(r, "unit", o.unit)
  field(r, "unitDisplay", o.unit_display)
  digit_fields(r, o)
  field(r, "useGrouping", o.use_grouping)
  field(r, "notation", o.notation)
  field(r, "compactDisplay", o.compact_display)
  field(r, "signDisplay", o.sign_display)
  field(r, "roundingMode", o.rounding_mode)
  field(r, "roundingIncrement", o.increment)
  field(r, "trailingZeroDisplay", o.trailing_zeros)
  field(r, "roundingPriority", o.priority)
  return r
end)

method(NumberFormatPrototype, "formatToParts", 1, function(this, x)
  local o = nf_state(this, "formatToParts")
  return parts_array(format_to_parts(o, to_decimal(x)))
end)

getter(NumberFormatPrototype, "format", function(this)
  local o = unwrap_nf(this)
  local f = o.bound_format
  if not f then
    f = bound(function(_, x) return format_number(o, x) end, 1)
    o.bound_format = f
  end
  return f
end)

method(NumberFormatPrototype, "formatRange", 2, function(this, x, y)
  local o = nf_state(this, "formatRange")
  return join_parts(format_range_parts(o, x, y))
end)

method(NumberFormatPrototype, "formatRangeToParts", 2, function(this, x, y)
  local o = nf_state(this, "formatRangeToParts")
  return parts_array(format_range_parts(o, x, y), "source")
end)
end

---------------------------------------------------------------------------------------------
-- Intl.PluralRules (en: cardinal one/other; ordinal one/two/few/other). ICU has plural data
-- for "en" only, so "en-US" resolves to "en".
do

local PR_WHERE = "Intl.PluralRules"
local PLURAL_TYPES = set_of({"cardinal", "ordinal"})
local PLURAL_LOCALES = {en = true}

local function new_plural_rules(locales, options)
  local requested = locale_list(locales)
  local opts = coerce_options(options, PR_WHERE)
  get_string(opts, "localeMatcher", MATCHERS, "best fit", PR_WHERE)
  local o = {type = get_string(opts, "type", PLURAL_TYPES, "cardinal", PR_WHERE)}
  digit_options(o, opts, 0, 3, "standard", PR_WHERE)
  o.locale = resolve_locale(requested, PLURAL_LOCALES)
  return o
end

-- The category of n as formatted with the digit options (1.0 is "other": it shows a
-- fraction digit).
local function plural_category(o, n)
  local q = from_number(n)
  if q.nan or q.inf then return "other" end
  local r, minmag = round_number(o, q)
  local ip, fp = digit_strings(r, minmag, 1)
  if o.type == "cardinal" then
    return (fp == "" and tonumber(ip) == 1) and "one" or "other"
  end
  if sfind(fp, "[1-9]") then return "other" end
  local n10, n100 = tonumber(ssub(ip, -1)), tonumber(ssub(ip, -2))
  if n10 == 1 and n100 ~= 11 then return "one" end
  if n10 == 2 and n100 ~= 12 then return "two" end
  if n10 == 3 and n100 ~= 13 then return "few" end
  return "other"
end

local PluralRulesPrototype, plural_state = service("PluralRules", new_plural_rules, true, PLURAL_LOCALES)

method(PluralRulesPrototype, "resolvedOptions", 0, function(this)
  local o = plural_state(this, "resolvedOptions")
  local r = record()
  field(r, "locale", o.locale)
  field(r, "type", o.type)
  digit_fields(r, o)
  local categories = o.type == "cardinal" and {"one", "other"} or {"few", "one", "two", "other"}
  field(r, "pluralCategories", js_array(categories))
  return r
end)

method(PluralRulesPrototype, "select", 1, function(this, n)
  local o = plural_state(this, "select")
  return plural_category(o, tonum(n))
end)

-- (en's plural ranges all end in "other")
method(PluralRulesPrototype, "selectRange", 2, function(this, x, y)
  plural_state(this, "selectRange")
  if x == nil then type_error("Invalid startRange : undefined") end
  if y == nil then type_error("Invalid endRange : undefined") end
  x, y = tonum(x), tonum(y)
  if x ~= x then range_error("Invalid startRange : NaN") end
  if y ~= y then range_error("Invalid endRange : NaN") end
  return "other"
end)
end

---------------------------------------------------------------------------------------------
-- Intl.ListFormat
do

local LF_WHERE = "Intl.ListFormat"
local LIST_TYPES = set_of({"conjunction", "disjunction", "unit"})
local LIST_STYLES = set_of({"long", "short", "narrow"})
-- separators: between two items, between the first ones, before the last of three or more
local LIST_PATTERNS = {
  conjunction = {long = {" and ", ", ", ", and "}, short = {" & ", ", ", ", & "}, narrow = {", ", ", ", ", "}},
  disjunction = {long = {" or ", ", ", ", or "}, short = {" or ", ", ", ", or "}, narrow = {" or ", ", ", ", or "}},
  unit = {long = {", ", ", ", ", "}, short = {", ", ", ", ", "}, narrow = {" ", " ", " "}},
}

local function new_list_format(locales, options)
  local requested = locale_list(locales)
  local opts = options_object(options)
  get_string(opts, "localeMatcher", MATCHERS, "best fit", LF_WHERE)
  local o = {locale = (resolve_locale(requested))}
  o.type = get_string(opts, "type", LIST_TYPES, "conjunction", LF_WHERE)
  o.style = get_string(opts, "style", LIST_STYLES, "long", LF_WHERE)
  return o
end

-- StringListFromIterable
local function string_list(iterable)
  local list = {}
  if iterable == nil then return list end
  if iterable == null then type_error("object null is not iterable (cannot read property Symbol(Symbol.iterator))") end
  for _, v in R.iter(iterable) do
    if type(v) ~= "string" then
      local shown = (type(v) == "table" and getmetatable(v) == R.SymbolMT) and tostring(v) or tostr(v)
      type_error("Iterable yielded " .. shown .. " which is not a string")
    end
    list[#list + 1] = v
  end
  return list
end

local function list_parts(o, list)
  local parts, n = {}, #list
  local seps = LIST_PATTERNS[o.type][o.style]
  for i = 1, n do
    if i > 1 then
      local sep = n == 2 and seps[1] or (i == n and seps[3] or seps[2])
      add_part(parts, "literal", sep)
    end
    add_part(parts, "element", list[i])
  end
  return parts
end

local ListFormatPrototype, list_state = service("ListFormat", new_list_format, true)

method(ListFormatPrototype, "resolvedOptions", 0, function(this)
  local o = list_state(this, "resolvedOptions")
  return field(field(field(record(), "locale", o.locale), "type", o.type), "style", o.style)
end)
method(ListFormatPrototype, "format", 1, function(this, list)
  local o = list_state(this, "format")
  return join_parts(list_parts(o, string_list(list)))
end)
method(ListFormatPrototype, "formatToParts", 1, function(this, list)
  local o = list_state(this, "formatToParts")
  return parts_array(list_parts(o, string_list(list)))
end)
end

---------------------------------------------------------------------------------------------
-- Intl.RelativeTimeFormat
do

local RTF_WHERE = "Intl.RelativeTimeFormat"
local NUMERICS = set_of({"always", "auto"})
-- unit -> {name after a number for one, for other; phrases for -1, 0, 1 (numeric: "auto")}
local RELATIVE_UNITS = {
  long = {
    second = {" second", " seconds", nil, "now", nil},
    minute = {" minute", " minutes", nil, "this minute", nil},
    hour = {" hour", " hours", nil, "this hour", nil},
    day = {" day", " days", "yesterday", "today", "tomorrow"},
    week = {" week", " weeks", "last week", "this week", "next week"},
    month = {" month", " months", "last month", "this month", "next month"},
    quarter = {" quarter", " quarters", "last quarter", "this quarter", "next quarter"},
    year = {" year", " years", "last year", "this year", "next year"},
  },
  short = {
    second = {" sec.", " sec.", nil, "now", nil},
    minute = {" min.", " min.", nil, "this minute", nil},
    hour = {" hr.", " hr.", nil, "this hour", nil},
    day = {" day", " days", "yesterday", "today", "tomorrow"},
    week = {" wk.", " wk.", "last wk.", "this wk.", "next wk."},
    month = {" mo.", " mo.", "last mo.", "this mo.", "next mo."},
    quarter = {" qtr.", " qtrs.", "last qtr.", "this qtr.", "next qtr."},
    year = {" yr.", " yr.", "last yr.", "this yr.", "next yr."},
  },
  narrow = {
    second = {"s", "s", nil, "now", nil},
    minute = {"m", "m", nil, "this minute", nil},
    hour = {"h", "h", nil, "this hour", nil},
    day = {"d", "d", "yesterday", "today", "tomorrow"},
    week = {"w", "w", "last wk.", "this wk.", "next wk."},
    month = {"mo", "mo", "last mo.", "this mo.", "next mo."},
    quarter = {"q", "q", "last qtr.", "this qtr.", "next qtr."},
    year = {"y", "y", "last yr.", "this yr.", "next yr."},
  },
}

local function new_relative_time_format(locales, options)
  local requested = locale_list(locales)
  local opts = coerce_options(options, RTF_WHERE)
  get_string(opts, "localeMatcher", MATCHERS, "best fit", RTF_WHERE)
  local used = {}
  local locale, keywords = resolve_locale(requested)
  local o = {numbering_system = numbering_system(opts, keywords, used)}
  o.locale = locale_with(locale, used)
  o.style = get_string(opts, "style", LIST_STYLES, "long", RTF_WHERE)
  o.numeric = get_string(opts, "numeric", NUMERICS, "always", RTF_WHERE)
  o.number_format = new_number_format(nil, nil)
  return o
end

-- PartitionRelativeTimePattern; number parts carry the unit.
local function relative_parts(o, value, unit, where)
  value = tonum(value)
  unit = tostr(unit)
  if value ~= value or value == huge or value == -huge then
    range_error("Value need to be finite number for " .. where .. "()")
  end
  local names = RELATIVE_UNITS[o.style]
  local singular = names[unit] and unit or smatch(unit, "^(.-)s$")
  local data = singular and names[singular]
  if not data then range_error("Invalid unit argument for " .. where .. "() '" .. unit .. "'") end
  if o.numeric == "auto" then
    local phrase = (value == -1 and data[3]) or (value == 0 and data[4]) or (value == 1 and data[5])
    if phrase then return {{type = "literal", value = phrase}} end
  end
  local past = value < 0 or (value == 0 and 1 / value < 0)
  local body, _, _, plural = number_body(o.number_format, from_number(past and -value or value))
  for i = 1, #body do body[i].unit = singular end
  local name = data[plural == "one" and 1 or 2]
  local parts = {}
  if past then
    flatten({body}, 1, 1, parts)
    add_part(parts, "literal", name .. " ago")
  else
    add_part(parts, "literal", "in ")
    flatten({body}, 1, 1, parts)
    add_part(parts, "literal", name)
  end
  return parts
end

local RelativeTimeFormatPrototype, relative_state = service("RelativeTimeFormat", new_relative_time_format, true)

method(RelativeTimeFormatPrototype, "resolvedOptions", 0, function(this)
  local o = relative_state(this, "resolvedOptions")
  local r = record()
  field(r, "locale", o.locale)
  field(r, "style", o.style)
  field(r, "numeric", o.numeric)
  field(r, "numberingSystem", o.numbering_system)
  return r
end)
method(RelativeTimeFormatPrototype, "format", 2, function(this, value, unit)
  local o = relative_state(this, "format")
  return join_parts(relative_parts(o, value, unit, RTF_WHERE .. ".prototype.format"))
end)
method(RelativeTimeFormatPrototype, "formatToParts", 2, function(this, value, unit)
  local o = relative_state(this, "formatToParts")
  return parts_array(relative_parts(o, value, unit, RTF_WHERE .. ".prototype.formatToParts"), "unit")
end)
end

---------------------------------------------------------------------------------------------
-- Intl.Collator, over the root-collation keys of String.prototype.localeCompare (ljs.string):
-- three levels (base letters, accents, case) that sensitivity selects from, with numeric
-- digit runs, upper-case-first and ignored punctuation as options.
local new_collator, collate
do

local COL_WHERE = "Intl.Collator"
local USAGES = set_of({"sort", "search"})
local CASE_FIRSTS = set_of({"upper", "lower", "false"})
local SENSITIVITIES = set_of({"base", "accent", "case", "variant"})

function new_collator(locales, options)
  local requested = locale_list(locales)
  local opts = coerce_options(options, COL_WHERE)
  local usage = get_string(opts, "usage", USAGES, "sort", COL_WHERE)
  get_string(opts, "localeMatcher", MATCHERS, "best fit", COL_WHERE)
  local collation = get(opts, "collation")
  if collation ~= nil then
    collation = tostr(collation)
    if not is_type_sequence(collation) then range_error("Invalid collation : " .. collation) end
  end
  local numeric = get_boolean(opts, "numeric", nil)
  local case_first = get_string(opts, "caseFirst", CASE_FIRSTS, nil, COL_WHERE)
  local locale, keywords = resolve_locale(requested)
  local used = {}
  -- the -u-kn and -u-kf keywords count where the options do not say otherwise (V8 keeps them
  -- in the locale either way)
  local kn = keywords.kn
  if kn == "true" or kn == "false" then
    if numeric == nil then numeric = kn == "true" end
    used[#used + 1] = {"kn", kn}
  end
  local kf = keywords.kf
  if CASE_FIRSTS[kf or ""] then
    if case_first == nil then case_first = kf end
    used[#used + 1] = {"kf", kf}
  end
  local o = {usage = usage, numeric = numeric or false, case_first = case_first or "false"}
  o.locale = locale_with(locale, used)
  o.sensitivity = get_string(opts, "sensitivity", SENSITIVITIES, "variant", COL_WHERE)
  o.ignore_punctuation = get_boolean(opts, "ignorePunctuation", false)
  return o
end

local DIGIT_WEIGHTS = (R.str_collation_keys("0123456789"))
local PUNCTUATION = "[\t\n\v\f\r _%-,;:!?.'\"()%[%]{}@*/\\&#%%`]"

local function append_keys(k1, k2, k3, n, s)
  local p1, p2, p3, m = R.str_collation_keys(s)
  for i = 1, m do n = n + 1; k1[n] = p1[i]; k2[n] = p2[i]; k3[n] = p3[i] end
  return n
end

-- Collation keys of s; with numeric collation a run of digits is one number: its length
-- (without leading zeros) first, then its digits.
local function collation_keys(o, s)
  if o.ignore_punctuation then s = sgsub(s, PUNCTUATION, "") end
  if not o.numeric then return R.str_collation_keys(s) end
  local k1, k2, k3, n = {}, {}, {}, 0
  local pos = 1
  while pos <= #s do
    local a, b = sfind(s, "%d+", pos)
    n = append_keys(k1, k2, k3, n, ssub(s, pos, (a or #s + 1) - 1))
    if not a then break end
    local digits = smatch(ssub(s, a, b), "^0*(%d-)$")
    if digits == "" then digits = "0" end
    n = n + 1; k1[n] = DIGIT_WEIGHTS[1] + #digits / 2 ^ 32; k2[n] = 0; k3[n] = 0
    for i = 1, #digits do
      n = n + 1; k1[n] = DIGIT_WEIGHTS[sbyte(digits, i) - 47]; k2[n] = 0; k3[n] = 0
    end
    pos = b + 1
  end
  return k1, k2, k3, n
end

local function compare_lists(a, na, b, nb, flip)
  for i = 1, min(na, nb) do
    local x, y = a[i], b[i]
    if flip then x, y = 1 - x, 1 - y end
    if x ~= y then return x < y and -1 or 1 end
  end
  if na ~= nb then return na < nb and -1 or 1 end
  return 0
end

-- Keys are remembered per collator (a sort compares each string many times), a bounded number.
local function cached_keys(o, s)
  local cache = o.keys
  if not cache or o.cached > 4096 then cache = {}; o.keys, o.cached = cache, 0 end
  local k = cache[s]
  if not k then
    k = {collation_keys(o, s)}
    cache[s] = k
    o.cached = o.cached + 1
  end
  return k[1], k[2], k[3], k[4]
end

function collate(o, a, b)
  if a == b then return 0 end
  local a1, a2, a3, na = cached_keys(o, a)
  local b1, b2, b3, nb = cached_keys(o, b)
  local sensitivity = o.sensitivity
  local r = compare_lists(a1, na, b1, nb)
  if r ~= 0 or sensitivity == "base" then return r end
  if sensitivity ~= "case" then
    r = compare_lists(a2, na, b2, nb)
    if r ~= 0 or sensitivity == "accent" then return r end
  end
  return compare_lists(a3, na, b3, nb, o.case_first == "upper")
end

local CollatorPrototype, collator_state, COLLATORS = service("Collator", new_collator)

method(CollatorPrototype, "resolvedOptions", 0, function(this)
  local o = collator_state(this, "resolvedOptions")
  local r = record()
  field(r, "locale", o.locale)
  field(r, "usage", o.usage)
  field(r, "sensitivity", o.sensitivity)
  field(r, "ignorePunctuation", o.ignore_punctuation)
  field(r, "collation", "default")
  field(r, "numeric", o.numeric)
  field(r, "caseFirst", o.case_first)
  return r
end)

getter(CollatorPrototype, "compare", function(this)
  local o = type(this) == "table" and COLLATORS[this]
  if not o then type_error("Method get Intl.Collator.prototype.compare called on incompatible receiver " .. describe(this)) end
  local f = o.bound_compare
  if not f then
    f = bound(function(_, x, y) return collate(o, tostr(x), tostr(y)) end, 2)
    o.bound_compare = f
  end
  return f
end)
end

---------------------------------------------------------------------------------------------
-- Intl.DateTimeFormat (Gregorian calendar; the UTC zone and the local one)
local local_zone_name, new_date_time_format, date_parts, formatted
do

local DTF_WHERE = "Intl.DateTimeFormat"
local MONTH_NAMES = {
  long = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"},
  short = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
  narrow = {"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"},
}
local WEEKDAY_NAMES = {
  long = {[0] = "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
  short = {[0] = "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
  narrow = {[0] = "S", "M", "T", "W", "T", "F", "S"},
}
local ERA_NAMES = {long = {"Before Christ", "Anno Domini"}, short = {"BC", "AD"}, narrow = {"B", "A"}}

-- The component options in the order they are read and listed, with their values.
local COMPONENTS = {
  {"weekday", {"narrow", "short", "long"}},
  {"era", {"narrow", "short", "long"}},
  {"year", {"2-digit", "numeric"}},
  {"month", {"2-digit", "numeric", "narrow", "short", "long"}},
  {"day", {"2-digit", "numeric"}},
  {"dayPeriod", {"narrow", "short", "long"}},
  {"hour", {"2-digit", "numeric"}},
  {"minute", {"2-digit", "numeric"}},
  {"second", {"2-digit", "numeric"}},
  {"fractionalSecondDigits"},
  {"timeZoneName", {"short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"}},
}
for _, c in ipairs(COMPONENTS) do
  if c[2] then
    c.set, c.index = set_of(c[2]), {}
    for i, v in ipairs(c[2]) do c.index[v] = i end
  end
end

-- The layout of the date fields for every combination of the weekday, era, year, month and
-- day options, as ICU's pattern generator picks them for en (with its oddities, such as
-- "5 Tue" or "2024 (day: 5)"): the shapes, and for each combination (index
-- ((((weekday * 4 + era) * 3 + year) * 6 + month) * 3 + day, each option 0 when absent or its
-- position in COMPONENTS) the shape's number in base 62. Every field shows with the width its
-- option asks for.
local DATE_SHAPES = {
  "{m}/{d}/{y}", "{d}", "{m}", "{m}/{d}", "{m} {d}", "{y}", "{y} (day: {d})", "{d} {y}", "{m}/{y}",
  "{m} {y}", "{m} {d}, {y}", "{m}/{d}/{y} {e}", "{d} {e}", "{m} {e}", "{m}/{d} {e}",
  "{e} (month: {m})", "{m} {d} {e}", "{y} {e}", "{y} {e} (day: {d})", "{m}/{y} {e}", "{m} {y} {e}",
  "{m} {d}, {y} {e}", "{e} (day: {d})", "{w}", "{d} {w}", "{m} {w}", "{w}, {m}/{d}",
  "{w}, {m} {d}", "{y} {w}", "{d} {w} {y}", "{m}/{y} {w}", "{w}, {m}/{d}/{y}", "{m} {y} {w}",
  "{w}, {m} {d}, {y}", "{e} {w}", "{d} {w} {e}", "{w}, {m}/{d} {e}", "{w}, {m} {d} {e}",
  "{y} {e} {w}", "{y} {e} (day: {d} {w})", "{d} {w} {y} {e}", "{m}/{y} {e} {w}",
  "{w}, {m}/{d}/{y} {e}", "{m} {y} {e} {w}", "{w}, {m} {d}, {y} {e}", "{w} (month: {m})",
  "{w} {y}", "{w} {e}", "{e}",
}
local DATE_SHAPE_OF =
  "0112332332442442445678008009AA9AA9AA5668008009AA9AA9AAmCCDEEDEEFGGDGGDGGHIIJBBJBBKLLKLLKLLHIIJBB" ..
  "JBBKLLKLLKLLmMMFEEFEEFGGFGGFGGHIIJBBJBBKLLKLLKLLHIIJBBJBBKLLKLLKLLmMCFEEDEEFGGDGGFGGHIIJBBJBBKLL" ..
  "KLLKLLHIIJBBJBBKLLKLLKLLNOOPQQPQQPRRPRRPRRSTTUVVUVVWXXWXXWXXSTTUVVUVVWXXWXXWXXYZZDaaDaaFbbDbbDbb" ..
  "cdefggfgghiihiihiicddfggfgghiihiihiiYZZFaaFaaFbbFbbFbbcddfggfgghiihiihiicddfggfgghiihiihiiYZZFaa" ..
  "DaaFbbDbbFbbcddfggfgghiihiihiicddfggfgghiihiihiiNOOjQQPQQjRRPRRjRRkTTUVVUVVWXXWXXWXXSTTUVVUVVWXX" ..
  "WXXWXXlZZjaaPaalbbPbbjbbceefggfgghiihiihiiceefggfgghiihiihiiYZZYaaFaaYbbFbbYbbcdefggfgghiihiihii" ..
  "cddfggfgghiihiihiilZZlaaPaalbbPbblbbceefggfgghiihiihiicdefggfgghiihiihiiNOOPQQPQQjRRPRRPRRSTTUVV" ..
  "UVVWXXWXXWXXSTTUVVUVVWXXWXXWXXlZZPaaPaalbbPbbPbbceefggfgghiihiihiicdefggfgghiihiihiiYZZFaaFaaYbb" ..
  "FbbFbbcddfggfgghiihiihiicddfggfgghiihiihiiYZZFaaDaaYbbDbbFbbcdefggfgghiihiihiicddfggfgghiihiihii"
local BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
local SHAPE_FIELDS = {w = "weekday", e = "era", y = "year", m = "month", d = "day"}

local HOUR_CYCLES = set_of({"h11", "h12", "h23", "h24"})
local STYLES4 = set_of({"full", "long", "medium", "short"})
local FORMAT_MATCHERS = set_of({"basic", "best fit"})
local UTC_ZONES = set_of({"utc", "etc/utc", "etc/gmt", "gmt", "etc/universal", "universal", "etc/uct", "uct",
                          "etc/zulu", "zulu", "etc/greenwich", "greenwich", "gmt0", "etc/gmt0", "gmt+0",
                          "gmt-0", "etc/gmt+0", "etc/gmt-0"})

-- A pattern is a list of {field, width} and {lit = text} items. ICU puts a narrow no-break
-- space before AM/PM; V8's format (unlike formatToParts) turns it into a plain space.
local NNBSP = "\226\128\175"
function formatted(parts) return (sgsub(join_parts(parts), NNBSP, " ")) end
local function lit(p, text) p[#p + 1] = {lit = text} end
local function put(p, name, width) p[#p + 1] = {field = name, width = width} end

local function date_shape_pattern(o, p)
  local key = 0
  for i = 1, 5 do
    local c = COMPONENTS[i]
    key = key * (#c[2] + 1) + (c.index[o[c[1]]] or 0)
  end
  local n = sfind(BASE62, ssub(DATE_SHAPE_OF, key + 1, key + 1), 1, true)
  local shape = DATE_SHAPES[n]
  local pos = 1
  while pos <= #shape do
    local a, b, letter = sfind(shape, "{(%a)}", pos)
    if not a then lit(p, ssub(shape, pos)); break end
    if a > pos then lit(p, ssub(shape, pos, a - 1)) end
    local name = SHAPE_FIELDS[letter]
    put(p, name, o[name])
    pos = b + 1
  end
end

-- The time fields, as ICU lays them out for en: "h:mm:ss.SSS a z" with a 12-hour clock,
-- "HH:mm:ss.SSS z" with a 24-hour one; minutes and seconds after an hour (or each other) have
-- two digits, a minute or second alone one.
local function time_shape_pattern(o, p)
  local twelve = o.hc == "h12" or o.hc == "h11"
  local hour, minute, second, fraction, zone = o.hour, o.minute, o.second, o.fractionalSecondDigits, o.timeZoneName
  local period = o.dayPeriod or "ampm"
  if fraction and minute then second = second or "2-digit" end   -- fractions come with seconds
  if hour and second and not minute then   -- (ICU appends the lone second)
    if twelve then
      put(p, "hour", hour); lit(p, period == "ampm" and NNBSP or " "); put(p, "dayPeriod", period)
      lit(p, " (second: "); put(p, "second", "numeric"); lit(p, ")")
    else
      put(p, "second", "numeric"); lit(p, " (hour: "); put(p, "hour", "2-digit"); lit(p, ")")
    end
    return
  end
  if hour then
    put(p, "hour", twelve and hour or "2-digit")
    if zone and not minute and o.hc == "h24" then p[#p].shown = "numeric" end   -- (V8 reads "kk'h' z" so)
    if minute then
      lit(p, ":"); put(p, "minute", "2-digit")
      if second then lit(p, ":"); put(p, "second", "2-digit") end
      if fraction then lit(p, "."); put(p, "fractionalSecond", fraction) end
    end
    if twelve then lit(p, (period == "ampm" or zone) and NNBSP or " "); put(p, "dayPeriod", period) end
    if zone then lit(p, (twelve or minute) and " " or "h "); put(p, "timeZoneName", zone) end
    return
  end
  local start = #p
  if minute and second then
    put(p, "minute", "2-digit"); lit(p, ":"); put(p, "second", "2-digit")
  elseif minute then
    put(p, "minute", "numeric")
  elseif second then
    put(p, "second", "numeric")
  end
  if fraction then
    if second then lit(p, ".") end
    put(p, "fractionalSecond", fraction)
  end
  if zone then
    if #p > start then lit(p, " ") end
    put(p, "timeZoneName", zone)
  end
  if #p == start and o.dayPeriod then put(p, "dayPeriod", o.dayPeriod) end
end

-- Whether ICU has one pattern for a weekday with this time ("Tue 2:03 PM", where other dates
-- take a comma: "Mar 5, 2:03 PM").
local function joins_weekday(o)
  return o.hour ~= nil and not o.timeZoneName and not o.fractionalSecondDigits
         and not (o.second and not o.minute)
         and (o.minute ~= nil or o.hc == "h12" or o.hc == "h11")
end

local function component_pattern(o)
  local p = {}
  local has_date = o.weekday or o.era or o.year or o.month or o.day
  local has_time = o.dayPeriod or o.hour or o.minute or o.second or o.fractionalSecondDigits or o.timeZoneName
  if has_date then date_shape_pattern(o, p) end
  if has_time then
    if has_date then
      local weekday_only = o.weekday and not (o.era or o.year or o.month or o.day)
      if o.month == "long" then
        lit(p, " at ")
      elseif weekday_only and joins_weekday(o) then
        lit(p, " ")
      else
        lit(p, ", ")
      end
    end
    time_shape_pattern(o, p)
  end
  return p
end

-- dateStyle / timeStyle
local function style_pattern(o, date_style, time_style)
  local p = {}
  if date_style == "full" then
    put(p, "weekday", "long"); lit(p, ", "); put(p, "month", "long"); lit(p, " "); put(p, "day", "numeric")
    lit(p, ", "); put(p, "year", "numeric")
  elseif date_style == "long" or date_style == "medium" then
    put(p, "month", date_style == "long" and "long" or "short"); lit(p, " "); put(p, "day", "numeric")
    lit(p, ", "); put(p, "year", "numeric")
  elseif date_style == "short" then
    put(p, "month", "numeric"); lit(p, "/"); put(p, "day", "numeric"); lit(p, "/"); put(p, "year", "2-digit")
  end
  if time_style then
    if date_style then lit(p, (date_style == "full" or date_style == "long") and " at " or ", ") end
    local twelve = o.hc == "h12" or o.hc == "h11"
    put(p, "hour", twelve and "numeric" or "2-digit"); lit(p, ":"); put(p, "minute", "2-digit")
    if time_style ~= "short" then lit(p, ":"); put(p, "second", "2-digit") end
    if twelve then lit(p, NNBSP); put(p, "dayPeriod", "ampm") end
    if time_style == "full" then lit(p, " "); put(p, "timeZoneName", "long")
    elseif time_style == "long" then lit(p, " "); put(p, "timeZoneName", "short") end
  end
  return p
end

-- The zone: "UTC" (and its aliases) or the local one (TZ, or "UTC" when unset). Others would
-- need the tz database.
function local_zone_name()
  local tz = os.getenv("TZ")
  if tz and sbyte(tz, 1) == 58 then tz = ssub(tz, 2) end
  if tz == nil or tz == "" then return nil end
  return tz
end

local function time_zone_option(o, opts)
  local tz = get(opts, "timeZone")
  local here = local_zone_name()
  if tz == nil then
    o.time_zone, o.utc = here or "UTC", false
    return
  end
  tz = tostr(tz)
  if UTC_ZONES[slower(tz)] then
    o.time_zone, o.utc = "UTC", true
  elseif here and slower(tz) == slower(here) then
    o.time_zone, o.utc = here, false
  else
    range_error("Invalid time zone specified: " .. tz)
  end
end

-- CreateDateTimeFormat; `required` and `defaults` as ToDateTimeOptions names them for the
-- toLocale*String methods ("any"/"date"/"time", "date"/"time"/"all").
function new_date_time_format(locales, options, required, defaults)
  require("ljs.date")   -- R.date_fields, R.date_zone
  required, defaults = required or "any", defaults or "date"
  local requested = locale_list(locales)
  if options == null then type_error("Cannot convert undefined or null to object") end
  local opts = options
  get_string(opts, "localeMatcher", MATCHERS, "best fit", DTF_WHERE)
  local calendar = get(opts, "calendar")
  if calendar ~= nil then
    calendar = tostr(calendar)
    if not is_type_sequence(calendar) then range_error("Invalid calendar : " .. calendar) end
  end
  local hour12 = get_boolean(opts, "hour12", nil)
  local hour_cycle = get_string(opts, "hourCycle", HOUR_CYCLES, nil, DTF_WHERE)
  if hour12 ~= nil then hour_cycle = nil end
  local locale, keywords = resolve_locale(requested)
  local used = {}
  if keywords.ca == "gregory" and (calendar == nil or calendar == "gregory") then used[#used + 1] = {"ca", "gregory"} end
  local o = {numbering_system = numbering_system(opts, keywords, used)}
  -- (V8 takes hour12: false as "h24" for en-US, whose clock is h12)
  if hour12 ~= nil then
    o.hc = hour12 and "h12" or "h24"
  elseif hour_cycle then
    o.hc = hour_cycle
    if keywords.hc == hour_cycle then used[#used + 1] = {"hc", hour_cycle} end
  elseif HOUR_CYCLES[keywords.hc or ""] then
    o.hc = keywords.hc
    used[#used + 1] = {"hc", o.hc}
  else
    o.hc = "h12"
  end
  o.locale = locale_with(locale, used)
  time_zone_option(o, opts)
  for _, c in ipairs(COMPONENTS) do
    local name = c[1]
    if c.set then
      o[name] = get_string(opts, name, c.set, nil, DTF_WHERE)
    else
      o[name] = get_number(opts, name, 1, 3, nil)
    end
  end
  get_string(opts, "formatMatcher", FORMAT_MATCHERS, "best fit", DTF_WHERE)
  local date_style = get_string(opts, "dateStyle", STYLES4, nil, DTF_WHERE)
  local time_style = get_string(opts, "timeStyle", STYLES4, nil, DTF_WHERE)
  if date_style or time_style then
    for _, c in ipairs(COMPONENTS) do
      if o[c[1]] ~= nil then
        type_error("Can't set option " .. c[1] .. " when " .. (date_style and "dateStyle" or "timeStyle") .. " is used")
      end
    end
    if required == "date" and time_style then type_error("Invalid option : timeStyle") end
    if required == "time" and date_style then type_error("Invalid option : dateStyle") end
    o.date_style, o.time_style = date_style, time_style
    o.pattern = style_pattern(o, date_style, time_style)
    return o
  end
  local need_defaults = true
  if required ~= "time" and (o.weekday or o.year or o.month or o.day) then need_defaults = false end
  if required ~= "date" and (o.dayPeriod or o.hour or o.minute or o.second or o.fractionalSecondDigits) then
    need_defaults = false
  end
  if need_defaults and defaults ~= "time" then o.year, o.month, o.day = "numeric", "numeric", "numeric" end
  if need_defaults and defaults ~= "date" then o.hour, o.minute, o.second = "numeric", "numeric", "numeric" end
  o.pattern = component_pattern(o)
  return o
end

---------------------------------------------------------------------------------------------
-- Formatting a time value

-- Flexible day periods (dayPeriod option): noon only at 12:00 as shown.
local function day_period(width, h, minute, second)
  if h == 12 and (minute or 0) == 0 and (second or 0) == 0 then return width == "narrow" and "n" or "noon" end
  if h < 12 then return "in the morning" end
  if h < 18 then return "in the afternoon" end
  if h < 21 then return "in the evening" end
  return "at night"
end

-- Zone names CLDR has for en-US (short and generic ones of the US zones).
local US_ZONES = {
  EST = "ET", EDT = "ET", CST = "CT", CDT = "CT", MST = "MT", MDT = "MT", PST = "PT", PDT = "PT",
  AKST = "AKT", AKDT = "AKT", HST = "HST",
}
local GENERIC_NAMES = {ET = "Eastern Time", CT = "Central Time", MT = "Mountain Time", PT = "Pacific Time",
                       AKT = "Alaska Time", HST = "Hawaii-Aleutian Standard Time"}

local function gmt_offset(minutes, long)
  local sign = minutes < 0 and "-" or "+"
  if minutes < 0 then minutes = -minutes end
  local h, m = floor(minutes / 60), minutes % 60
  if long then return sformat("GMT%s%02d:%02d", sign, h, m) end
  if m == 0 then return sformat("GMT%s%d", sign, h) end
  return sformat("GMT%s%d:%02d", sign, h, m)
end

local function zone_name(o, t, style)
  local offset, abbr, long_name = 0, "UTC", "Coordinated Universal Time"
  if not o.utc then offset, abbr, long_name = R.date_zone(t) end
  if style == "long" then return long_name end
  if style == "longOffset" then return gmt_offset(offset, true) end
  if style == "shortOffset" then return gmt_offset(offset, false) end
  local us = US_ZONES[abbr]
  if style == "short" then
    if o.utc then return "UTC" end
    if us then return abbr end
    if offset == 0 then return abbr == "UTC" and "UTC" or "GMT" end
    return gmt_offset(offset, false)
  end
  if us then return style == "shortGeneric" and us or GENERIC_NAMES[us] end   -- the generic names
  return gmt_offset(offset, style == "longGeneric")
end

local function two(n) return sformat("%02d", n) end

function date_parts(o, t)
  local y, mo, d, h, mi, s, ms, wd = R.date_fields(t, o.utc)
  local parts = {}
  local pattern = o.pattern
  local shows_minute, shows_second
  for _, item in ipairs(pattern) do
    if item.field == "minute" then shows_minute = true elseif item.field == "second" then shows_second = true end
  end
  for _, item in ipairs(pattern) do
    local name, width = item.field, item.width
    local v
    if not name then
      v = item.lit
    elseif name == "weekday" then
      v = WEEKDAY_NAMES[width][wd]
    elseif name == "era" then
      v = ERA_NAMES[width][y > 0 and 2 or 1]
    elseif name == "year" then
      local ey = y > 0 and y or 1 - y
      v = width == "2-digit" and two(ey % 100) or tostring(ey)
    elseif name == "month" then
      v = MONTH_NAMES[width] and MONTH_NAMES[width][mo + 1] or (width == "2-digit" and two(mo + 1) or tostring(mo + 1))
    elseif name == "day" then
      v = width == "2-digit" and two(d) or tostring(d)
    elseif name == "hour" then
      local hc, hv = o.hc, h
      if hc == "h12" then hv = h % 12; if hv == 0 then hv = 12 end
      elseif hc == "h11" then hv = h % 12
      elseif hc == "h24" and h == 0 then hv = 24 end
      v = width == "2-digit" and two(hv) or tostring(hv)
    elseif name == "minute" or name == "second" then
      local n = name == "minute" and mi or s
      v = width == "2-digit" and two(n) or tostring(n)
    elseif name == "fractionalSecond" then
      v = ssub(sformat("%03d", ms), 1, width)
    elseif name == "dayPeriod" then
      if width == "ampm" then v = h < 12 and "AM" or "PM"
      else v = day_period(width, h, shows_minute and mi, shows_second and s) end
    elseif name == "timeZoneName" then
      v = zone_name(o, t, width)
    end
    local kind = name or "literal"
    local last = parts[#parts]
    if kind == "literal" and last and last.type == "literal" then
      last.value = last.value .. v
    else
      parts[#parts + 1] = {type = kind, value = v}
    end
  end
  return parts
end

-- The time value a format method is given: now, or a number (Dates through valueOf).
local function time_value(date)
  local t
  if date == nil then t = R.date_now() else t = tonum(date) end
  if t ~= t or t == huge or t == -huge or t > 8.64e15 or t < -8.64e15 then range_error("Invalid time value") end
  if t < 0 then return -floor(-t) + 0 end
  return floor(t) + 0
end

local DateTimeFormatPrototype, dtf_state, DATE_TIME_FORMATS = service("DateTimeFormat", new_date_time_format)

local function unwrap_dtf(this)
  local o = type(this) == "table" and DATE_TIME_FORMATS[this]
  if not o then type_error("Method UnwrapDateTimeFormat called on incompatible receiver " .. describe(this)) end
  return o
end

method(DateTimeFormatPrototype, "resolvedOptions", 0, function(this)
  local o = unwrap_dtf(this)
  local r = record()
  field(r, "locale", o.locale)
  field(r, "calendar", "gregory")
  field(r, "numberingSystem", o.numbering_system)
  field(r, "timeZone", o.time_zone)
  local shown = {}
  for _, item in ipairs(o.pattern) do
    if item.field then shown[item.field] = item.shown or item.width end
  end
  if shown.hour or o.time_style then
    field(r, "hourCycle", o.hc)
    field(r, "hour12", o.hc == "h12" or o.hc == "h11")
  end
  if not (o.date_style or o.time_style) then
    for _, c in ipairs(COMPONENTS) do
      local name = c[1]
      local v = shown[name == "fractionalSecondDigits" and "fractionalSecond" or name]
      if v ~= "ampm" then field(r, name, v) end
    end
  end
  field(r, "dateStyle", o.date_style)
  field(r, "timeStyle", o.time_style)
  return r
end)

method(DateTimeFormatPrototype, "formatToParts", 1, function(this, date)
  local o = dtf_state(this, "formatToParts")
  return parts_array(date_parts(o, time_value(date)))
end)

getter(DateTimeFormatPrototype, "format", function(this)
  local o = unwrap_dtf(this)
  local f = o.bound_format
  if not f then
    f = bound(function(_, date) return formatted(date_parts(o, time_value(date))) end, 1)
    o.bound_format = f
  end
  return f
end)
end

---------------------------------------------------------------------------------------------
-- Intl.getCanonicalLocales, Intl.supportedValuesOf

R.method(Intl, "getCanonicalLocales", 1, function(_, locales)
  local out = {}
  for i, p in ipairs(locale_list(locales)) do out[i] = p.tag end
  return js_array(out)
end)

local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  sort(out)
  return out
end

local SUPPORTED_VALUES = {
  calendar = function() return {"gregory"} end,
  collation = function() return {} end,
  currency = function() return sorted_keys(CURRENCIES) end,
  numberingSystem = function() return {"latn"} end,
  timeZone = function()
    local here = local_zone_name()
    if here and here ~= "UTC" then return here < "UTC" and {here, "UTC"} or {"UTC", here} end
    return {"UTC"}
  end,
  unit = function() return sorted_keys(UNITS) end,
}

R.method(Intl, "supportedValuesOf", 1, function(_, key)
  key = tostr(key)
  local f = SUPPORTED_VALUES[key]
  if not f then range_error("Invalid key : " .. key) end
  return js_array(f())
end)

R.hidden(G, "Intl", Intl)

---------------------------------------------------------------------------------------------
-- For the toLocaleString methods of Number, BigInt, Array, String and Date.
local M = {}

function M.number_to_locale_string(x, locales, options)
  return format_number(new_number_format(locales, options), x)
end

-- Date.prototype.toLocaleString and friends given locales or options (t: a valid time value)
function M.date_to_locale_string(t, locales, options, required, defaults)
  return formatted(date_parts(new_date_time_format(locales, options, required, defaults), t))
end

function M.locale_compare(a, b, locales, options)
  return collate(new_collator(locales, options), a, b)
end

return M
