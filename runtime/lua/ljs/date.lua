-- ljs.date: the Date built-in.
--
-- A Date object keeps its time value (a double: milliseconds since 1970-01-01T00:00:00Z, or
-- NaN for an invalid date) in a raw field under a private key. Calendar arithmetic follows the
-- spec (MakeDay/MakeTime/MakeDate/TimeClip) with V8's range limits; local time comes from the
-- C library (os.date "*t" for the instant in question, so daylight saving time is right for
-- every date), and string parsing is a port of V8's date parser (ES5 ISO strings first, then
-- the legacy formats), so Date.parse agrees with node on the strings node's own methods print
-- and on the usual hand-written forms. Output formats are node's (en-US for toLocale*).
local R = require("ljs.core")

local type, rawget, rawset, select, pcall, tostring, tonumber, setmetatable, getmetatable, ipairs =
      type, rawget, rawset, select, pcall, tostring, tonumber, setmetatable, getmetatable, ipairs
local floor, abs, huge = math.floor, math.abs, math.huge
-- (string methods through string.*: the JS runtime gives strings its own metatable)
local sformat, sbyte, schar, sfind, smatch, slower = string.format, string.byte, string.char, string.find, string.match, string.lower
local bor = require("bit").bor
local os_date = os.date
local NaN = 0 / 0
local null = R.null
local type_error, throw_error, method = R.type_error, R.throw_error, R.method
local tonum, tostr, isobject = R.tonum, R.tostr, R.isobject

local MS_DAY = 86400000
local MAX_TIME = 8.64e15                    -- TimeClip's limit
local MAX_LOCAL = MAX_TIME + 864000000     -- local times V8 still converts to UTC (10 days more)

local TV = setmetatable({}, {__tostring = function() return "<date value>" end})

---------------------------------------------------------------------------------------------
-- The time value of a Date object (nil for anything else). Object.freeze moves raw fields into
-- the object's slow table, so look there as well.
local function date_value(v)
  if type(v) ~= "table" then return nil end
  local t = rawget(v, TV)
  if t ~= nil then return t end
  local slow = rawget(v, R.SLOW)
  local d = slow and slow[TV]
  if d then return d.value end
  return nil
end

-- The receiver's time value; V8's messages: getters say "this is not a Date object.", the
-- other methods name themselves (`name`).
local function receiver_descr(v)
  if type(v) == "table" and getmetatable(v) == R.SymbolMT then return tostring(v) end
  if isobject(v) then return R.descr(v) end
  return tostr(v)
end
local function thistime(this, name)
  local t = date_value(this)
  if t == nil then
    if name then type_error("Method Date.prototype." .. name .. " called on incompatible receiver " .. receiver_descr(this)) end
    type_error("this is not a Date object.")
  end
  return t
end

local function settime(this, t)
  if rawget(this, TV) == nil then
    local slow = rawget(this, R.SLOW)
    local d = slow and slow[TV]
    if d then d.value = t; return t end
  end
  rawset(this, TV, t)
  return t
end

---------------------------------------------------------------------------------------------
-- Calendar arithmetic (proleptic Gregorian; days counted from 1970-01-01).

-- ToIntegerOrInfinity of a finite number (NaN -> 0).
local function toint(x)
  if x ~= x then return 0 end
  if x >= 0 then return floor(x) end
  return -floor(-x)
end

local function finite(x) return x == x and x ~= huge and x ~= -huge end

-- Days from the epoch to y-m-d (m 1..12).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- Year, month (1..12) and day of the month of a day number.
local function civil_from_days(z)
  z = z + 719468
  local era = floor(z / 146097)
  local doe = z - era * 146097
  local yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100))
  local mp = floor((5 * doy + 2) / 153)
  local d = doy - floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

-- Fields of a finite time value: year, month (0..11), date, hours, minutes, seconds, ms, weekday.
local function fields(t)
  local day = floor(t / MS_DAY)
  local tod = t - day * MS_DAY
  local y, m, d = civil_from_days(day)
  local h = floor(tod / 3600000)
  local mi = floor(tod / 60000) % 60
  local s = floor(tod / 1000) % 60
  local ms = tod % 1000
  return y, m - 1, d, h, mi, s, ms, (day + 4) % 7
end

local function make_time(h, m, s, ms)
  if not (finite(h) and finite(m) and finite(s) and finite(ms)) then return NaN end
  return toint(h) * 3600000 + toint(m) * 60000 + toint(s) * 1000 + toint(ms)
end

local function make_day(year, month, date)
  if not (finite(year) and finite(month) and finite(date)) then return NaN end
  local y, m, dt = toint(year), toint(month), toint(date)
  -- V8's limits: beyond them the result could only be clipped away
  if y < -1000000 or y > 1000000 or m < -10000000 or m > 10000000 then return NaN end
  local ym = y + floor(m / 12)
  local mn = m % 12
  return days_from_civil(ym, mn + 1, 1) + dt - 1
end

local function make_date(day, time)
  if not (finite(day) and finite(time)) then return NaN end
  local tv = day * MS_DAY + time
  if not finite(tv) then return NaN end
  return tv
end

local function time_clip(t)
  if t ~= t or abs(t) > MAX_TIME then return NaN end
  return toint(t) + 0   -- + 0 turns -0 into +0
end

---------------------------------------------------------------------------------------------
-- Local time through the C library.

-- Offset of local time from UTC, in ms, at the UTC second secs, from the C library.
local function offset_of(secs)
  local ok, lt = pcall(os_date, "*t", secs)
  if ok and type(lt) == "table" then
    local lsecs = days_from_civil(lt.year, lt.month, lt.day) * 86400 + lt.hour * 3600 + lt.min * 60 + lt.sec
    return (lsecs - secs) * 1000
  end
  return 0
end

-- Offset at the UTC instant t (finite). Offsets are cached per UTC day: a day whose first and
-- last seconds have the same offset has it throughout (no zone changes twice in one day); a
-- day with a transition is asked second by second.
local day_cache, day_count = {}, 0
local MIXED = false
local function offset_at(t)
  local secs = floor(t / 1000)
  local day = floor(secs / 86400)
  local off = day_cache[day]
  if off == nil then
    local a = offset_of(day * 86400)
    off = (offset_of(day * 86400 + 86399) == a) and a or MIXED
    if day_count >= 8192 then day_cache, day_count = {}, 0 end
    day_cache[day] = off
    day_count = day_count + 1
  end
  if off == MIXED then return offset_of(secs) end
  return off
end

local function local_time(t) return t + offset_at(t) end

-- UTC instant of local time tl (finite). A local time that occurs twice (clocks turned back)
-- is the earlier instant; one that is skipped (clocks turned forward) is read with the offset
-- in force before the transition, as the spec and V8 do.
local function utc_from_local(tl)
  local ob = offset_at(tl - MS_DAY)
  local oa = offset_at(tl + MS_DAY)
  local tb = tl - ob
  local vb = offset_at(tb) == ob
  if ob == oa and vb then return tb end
  local ta = tl - oa
  local va = offset_at(ta) == oa
  if vb and va then return tb < ta and tb or ta end
  if va then return ta end
  return tb
end

-- TimeClip(UTC(tl)) with V8's range check before the conversion.
local function from_local(tl)
  if tl ~= tl or tl < -MAX_LOCAL or tl > MAX_LOCAL then return NaN end
  return time_clip(utc_from_local(tl))
end

-- getTimezoneOffset: whole minutes, truncated (V8 drops the seconds of LMT offsets).
local function tz_minutes(t)
  local m = -offset_at(t) / 60000
  if m >= 0 then return floor(m) + 0 end
  return -floor(-m)
end

-- Long names node (ICU) prints for the abbreviations the C library gives.
local ZONE_NAMES = {
  UTC = "Coordinated Universal Time", UCT = "Coordinated Universal Time",
  GMT = "Greenwich Mean Time", BST = "British Summer Time",
  EST = "Eastern Standard Time", EDT = "Eastern Daylight Time",
  CST = "Central Standard Time", CDT = "Central Daylight Time",
  MST = "Mountain Standard Time", MDT = "Mountain Daylight Time",
  PST = "Pacific Standard Time", PDT = "Pacific Daylight Time",
  AKST = "Alaska Standard Time", AKDT = "Alaska Daylight Time",
  HST = "Hawaii-Aleutian Standard Time", HDT = "Hawaii-Aleutian Daylight Time",
  AST = "Atlantic Standard Time", ADT = "Atlantic Daylight Time",
  NST = "Newfoundland Standard Time", NDT = "Newfoundland Daylight Time",
  WET = "Western European Standard Time", WEST = "Western European Summer Time",
  CET = "Central European Standard Time", CEST = "Central European Summer Time",
  EET = "Eastern European Standard Time", EEST = "Eastern European Summer Time",
  MSK = "Moscow Standard Time", SAST = "South Africa Standard Time",
  JST = "Japan Standard Time", KST = "Korean Standard Time", HKT = "Hong Kong Standard Time",
  AEST = "Australian Eastern Standard Time", AEDT = "Australian Eastern Daylight Time",
  ACST = "Australian Central Standard Time", ACDT = "Australian Central Daylight Time",
  AWST = "Australian Western Standard Time",
  NZST = "New Zealand Standard Time", NZDT = "New Zealand Daylight Time",
}

-- Abbreviations that name different zones, told apart by the offset (minutes east of UTC).
local AMBIGUOUS = {
  IST = {[330] = "India Standard Time", [60] = "Irish Standard Time", [120] = "Israel Standard Time"},
  CST = {[480] = "China Standard Time", [-300] = "Cuba Standard Time"},
  CDT = {[-240] = "Cuba Daylight Time"},
}

local zone_name
function zone_name(t)
  local ok, abbr = pcall(os_date, "%Z", floor(t / 1000))
  if not ok or type(abbr) ~= "string" or abbr == "" then return "" end
  -- local mean time before the zone's first rule: ICU names it after the zone's standard time
  if abbr == "LMT" and t ~= 947894400000 then return zone_name(947894400000) end   -- 2000-01-15
  local by_offset = AMBIGUOUS[abbr]
  local name = by_offset and by_offset[floor(offset_at(t) / 60000)] or ZONE_NAMES[abbr]
  if name then return name end
  -- numeric abbreviations ("+03", "-0330") read as ICU's fallback "GMT+03:00"
  local sign, hh, mm = smatch(abbr, "^([+-])(%d%d)(%d?%d?)$")
  if sign then
    if mm == "" then mm = "00" end
    return "GMT" .. sign .. hh .. ":" .. mm
  end
  return abbr
end

---------------------------------------------------------------------------------------------
-- The clock.
local now_ms
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    -- a private name for clock_gettime, so no other module's declaration can clash with it
    pcall(ffi.cdef, [[
      typedef struct { long tv_sec; long tv_nsec; } ljs_date_timespec;
      int ljs_date_clock_gettime(int clk_id, ljs_date_timespec *tp) __asm__("clock_gettime");
    ]])
    local okn, ts = pcall(ffi.new, "ljs_date_timespec")
    if okn and pcall(function() return ffi.C.ljs_date_clock_gettime(0, ts) end) then
      local C = ffi.C
      now_ms = function()
        C.ljs_date_clock_gettime(0, ts)   -- CLOCK_REALTIME
        return tonumber(ts.tv_sec) * 1000 + floor(tonumber(ts.tv_nsec) / 1000000)
      end
    end
  end
  if not now_ms then now_ms = function() return os.time() * 1000 end end
end
R.date_now = now_ms

---------------------------------------------------------------------------------------------
-- Parsing: a port of V8's DateParser (src/date/dateparser*.{h,cc}).
local KW_INVALID, KW_MONTH, KW_TZ, KW_TSEP, KW_AMPM = 0, 1, 2, 3, 4
local KEYWORDS = {
  {"jan", KW_MONTH, 1}, {"feb", KW_MONTH, 2}, {"mar", KW_MONTH, 3}, {"apr", KW_MONTH, 4},
  {"may", KW_MONTH, 5}, {"jun", KW_MONTH, 6}, {"jul", KW_MONTH, 7}, {"aug", KW_MONTH, 8},
  {"sep", KW_MONTH, 9}, {"oct", KW_MONTH, 10}, {"nov", KW_MONTH, 11}, {"dec", KW_MONTH, 12},
  {"am", KW_AMPM, 0}, {"pm", KW_AMPM, 12},
  {"ut", KW_TZ, 0}, {"utc", KW_TZ, 0}, {"z", KW_TZ, 0}, {"gmt", KW_TZ, 0},
  {"cdt", KW_TZ, -5}, {"cst", KW_TZ, -6}, {"edt", KW_TZ, -4}, {"est", KW_TZ, -5},
  {"mdt", KW_TZ, -6}, {"mst", KW_TZ, -7}, {"pdt", KW_TZ, -7}, {"pst", KW_TZ, -8},
  {"t", KW_TSEP, 0},
}

local function keyword(prefix, len)
  for i = 1, #KEYWORDS do
    local k = KEYWORDS[i]
    if k[1] == prefix and (len <= 3 or k[2] == KW_MONTH) then return k[2], k[3] end
  end
  return KW_INVALID, 0
end

-- Tokens: {tag, length, value}; tag "num", "sym" (value: the character), "ws", "end", "unk",
-- "invalid", or "kw" with kind in .kw.
local END = {tag = "end", length = 0, value = -1}
local INVALID = {tag = "invalid", length = 0, value = -1}

local function is_digit(b) return b and b >= 48 and b <= 57 end

local function scanner(s)
  local pos, n = 1, #s
  local nul = sfind(s, "\0", 1, true)   -- V8 reads a NUL as the end of the input
  if nul then n = nul - 1 end
  local function scan()
    if pos > n then return END end
    local b = sbyte(s, pos)
    if is_digit(b) then
      local start, v, i = pos, 0, 0
      while pos <= n do
        local c = sbyte(s, pos)
        if not is_digit(c) then break end
        if i < 9 then v = v * 10 + c - 48 end
        i = i + 1
        pos = pos + 1
      end
      return {tag = "num", length = pos - start, value = v}
    end
    if b == 58 or b == 45 or b == 43 or b == 46 or b == 41 then   -- : - + . )
      pos = pos + 1
      return {tag = "sym", length = 1, value = schar(b)}
    end
    if b >= 65 then   -- a word: ASCII letters and everything above 'A'
      local start = pos
      local pre = {}
      while pos <= n and sbyte(s, pos) >= 65 do
        local c = sbyte(s, pos)
        if pos - start < 3 then pre[#pre + 1] = schar(bor(c, 0x20) % 256) end
        pos = pos + 1
      end
      local len = pos - start
      local kind, value = keyword(table.concat(pre), len)
      return {tag = "kw", kw = kind, length = len, value = value}
    end
    if b == 32 or (b >= 9 and b <= 13) then
      pos = pos + 1
      return {tag = "ws", length = 1, value = -1}
    end
    if b == 40 then   -- ( ... ) is skipped, nested parentheses included
      local balance = 0
      repeat
        local c = sbyte(s, pos)
        if c == 41 then balance = balance - 1 elseif c == 40 then balance = balance + 1 end
        pos = pos + 1
      until balance <= 0 or pos > n
      return {tag = "unk", length = 1, value = -1}
    end
    pos = pos + 1
    return {tag = "unk", length = 1, value = -1}
  end
  local sc = {}
  local nxt = scan()
  function sc.next() local r = nxt; nxt = scan(); return r end
  function sc.peek() return nxt end
  function sc.skip(c)
    if nxt.tag == "sym" and nxt.value == c then nxt = scan(); return true end
    return false
  end
  return sc
end

local function between(x, lo, hi) return x ~= nil and x >= lo and x <= hi end
local function is_month(x) return between(x, 1, 12) end
local function is_day(x) return between(x, 1, 31) end
local function is_hour(x) return between(x, 0, 23) end
local function is_minute(x) return between(x, 0, 59) end
local function is_ms(x) return between(x, 0, 999) end
local function is_hour12(x) return between(x, 0, 12) end

local function fixed(tok, len) return tok.tag == "num" and tok.length == len end
local function is_sign(tok) return tok.tag == "sym" and (tok.value == "+" or tok.value == "-") end
local function is_sym(tok, c) return tok.tag == "sym" and tok.value == c end
local function is_z(tok) return tok.tag == "kw" and tok.kw == KW_TZ and tok.length == 1 and tok.value == 0 end

-- First three significant digits of a fraction, by value and digit count.
local function read_ms(tok)
  local v, len = tok.value, tok.length
  if len == 1 then return v * 100 end
  if len == 2 then return v * 10 end
  if len > 3 then
    if len > 9 then len = 9 end
    local f = 1
    repeat f = f * 10; len = len - 1 until len <= 3
    return floor(v / f)
  end
  return v
end

-- Composers
local function day_add(day, n)
  if day.n < 3 then day.n = day.n + 1; day[day.n] = n; return true end
  return false
end
local function time_add(time, n)
  if time.n < 4 then time.n = time.n + 1; time[time.n] = n; return true end
  return false
end
local function time_add_final(time, n)
  if not time_add(time, n) then return false end
  while time.n < 4 do time.n = time.n + 1; time[time.n] = 0 end
  return true
end
local function time_expecting(time, n)
  local i = time.n
  return (i == 1 and is_minute(n)) or (i == 2 and is_minute(n)) or (i == 3 and is_ms(n))
end
local function tz_set(tz, hours)
  tz.sign = hours < 0 and -1 or 1
  tz.hour = hours * tz.sign
  tz.minute = 0
end
local function tz_expecting(tz, n) return tz.hour ~= nil and tz.minute == nil and is_minute(n) end
local function tz_is_utc(tz) return tz.hour == 0 and tz.minute == 0 end

local function parse_es5(sc, day, time, tz)
  if is_sign(sc.peek()) then
    local sign_token = sc.next()
    if not fixed(sc.peek(), 6) then return sign_token end
    local sign = sign_token.value == "+" and 1 or -1
    local year = sc.next().value
    if sign < 0 and year == 0 then return sign_token end
    day_add(day, sign * year)
  elseif fixed(sc.peek(), 4) then
    day_add(day, sc.next().value)
  else
    return sc.next()
  end
  if sc.skip("-") then
    if not fixed(sc.peek(), 2) or not is_month(sc.peek().value) then return sc.next() end
    day_add(day, sc.next().value)
    if sc.skip("-") then
      if not fixed(sc.peek(), 2) or not is_day(sc.peek().value) then return sc.next() end
      day_add(day, sc.next().value)
    end
  end
  local pk = sc.peek()
  if not (pk.tag == "kw" and pk.kw == KW_TSEP) then
    if pk.tag ~= "end" then return sc.next() end
  else
    sc.next()
    if not fixed(sc.peek(), 2) or not between(sc.peek().value, 0, 24) then return INVALID end
    local hour_is_24 = sc.peek().value == 24
    time_add(time, sc.next().value)
    if not sc.skip(":") then return INVALID end
    if not fixed(sc.peek(), 2) or not is_minute(sc.peek().value) or (hour_is_24 and sc.peek().value > 0) then
      return INVALID
    end
    time_add(time, sc.next().value)
    if sc.skip(":") then
      if not fixed(sc.peek(), 2) or not is_minute(sc.peek().value) or (hour_is_24 and sc.peek().value > 0) then
        return INVALID
      end
      time_add(time, sc.next().value)
      if sc.skip(".") then
        if sc.peek().tag ~= "num" or (hour_is_24 and sc.peek().value > 0) then return INVALID end
        time_add(time, read_ms(sc.next()))
      end
    end
    if is_z(sc.peek()) then
      sc.next()
      tz_set(tz, 0)
    elseif is_sign(sc.peek()) then
      tz.sign = sc.next().value == "+" and 1 or -1
      if fixed(sc.peek(), 4) then
        local hm = sc.next().value
        local h, m = floor(hm / 100), hm % 100
        if not is_hour(h) or not is_minute(m) then return INVALID end
        tz.hour, tz.minute = h, m
      else
        if not fixed(sc.peek(), 2) or not is_hour(sc.peek().value) then return INVALID end
        tz.hour = sc.next().value
        if not sc.skip(":") then return INVALID end
        if not fixed(sc.peek(), 2) or not is_minute(sc.peek().value) then return INVALID end
        tz.minute = sc.next().value
      end
    end
    if sc.peek().tag ~= "end" then return INVALID end
  end
  -- date-only forms are UTC, date-time forms local time
  if tz.hour == nil and time.n == 0 then tz_set(tz, 0) end
  day.iso = true
  return END
end

local function day_write(day)
  if day.n < 1 then return nil end
  while day.n < 3 do day.n = day.n + 1; day[day.n] = 1 end
  local year, month, d = 0, nil, nil   -- the default year 0 means 2000
  if day.named == nil then
    if day.iso or (day.n == 3 and not is_day(day[1])) then
      year, month, d = day[1], day[2], day[3]
    else
      month, d = day[1], day[2]
      if day.n == 3 then year = day[3] end
    end
  else
    month = day.named
    if day.n == 1 then
      d = day[1]
    elseif not is_day(day[1]) then
      year, d = day[1], day[2]
    else
      d, year = day[1], day[2]
    end
  end
  if not day.iso then
    if between(year, 0, 49) then year = year + 2000
    elseif between(year, 50, 99) then year = year + 1900 end
  end
  if not is_month(month) or not is_day(d) then return nil end
  return year, month - 1, d
end

local function time_write(time)
  while time.n < 4 do time.n = time.n + 1; time[time.n] = 0 end
  local h, m, s, ms = time[1], time[2], time[3], time[4]
  if time.hour_offset ~= nil then
    if not is_hour12(h) then return nil end
    h = h % 12 + time.hour_offset
  end
  if not is_hour(h) or not is_minute(m) or not is_minute(s) or not is_ms(ms) then
    if h ~= 24 or m ~= 0 or s ~= 0 or ms ~= 0 then return nil end
  end
  return h, m, s, ms
end

-- The time value of a date string (NaN when it is not a date).
local function parse(str)
  -- fast path: the form toISOString and JSON write
  local y, mo, d, h, mi, sec, ms = smatch(str, "^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)%.(%d%d%d)Z$")
  if y then
    y, mo, d, h, mi, sec, ms = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(sec), tonumber(ms)
    if mo >= 1 and mo <= 12 and d >= 1 and d <= 31 and h <= 23 and mi <= 59 and sec <= 59 then
      return (days_from_civil(y, mo, 1) + d - 1) * MS_DAY + ((h * 60 + mi) * 60 + sec) * 1000 + ms
    end
  end
  local sc = scanner(str)
  local day = {n = 0}
  local time = {n = 0}
  local tz = {}
  local token = parse_es5(sc, day, time, tz)
  if token.tag == "invalid" then return NaN end
  local has_read_number = day.n > 0
  while token.tag ~= "end" do
    if token.tag == "num" then
      has_read_number = true
      local n = token.value
      if sc.skip(":") then
        if sc.skip(":") then
          if time.n ~= 0 then return NaN end
          time_add(time, n); time_add(time, 0)
        else
          if not time_add(time, n) then return NaN end
          if is_sym(sc.peek(), ".") then sc.next() end
        end
      elseif is_sym(sc.peek(), ".") and time_expecting(time, n) then
        sc.next()
        time_add(time, n)
        if sc.peek().tag ~= "num" then return NaN end
        time_add_final(time, read_ms(sc.next()))
      elseif tz_expecting(tz, n) then
        tz.minute = n
      elseif time_expecting(time, n) then
        time_add_final(time, n)
        local pk = sc.peek()
        if pk.tag ~= "end" and pk.tag ~= "ws" and not is_z(pk) and not is_sign(pk) then return NaN end
      else
        if not day_add(day, n) then return NaN end
        sc.skip("-")
      end
    elseif token.tag == "kw" then
      local kind, value = token.kw, token.value
      if kind == KW_AMPM and time.n ~= 0 then
        time.hour_offset = value
      elseif kind == KW_MONTH then
        day.named = value
        sc.skip("-")
      elseif kind == KW_TZ and has_read_number then
        tz_set(tz, value)
      else
        -- words are only allowed before the first number, and apart from it
        if has_read_number then return NaN end
        if sc.peek().tag == "num" then return NaN end
      end
    elseif is_sign(token) and (tz_is_utc(tz) or time.n ~= 0) then
      -- a UTC offset, after UTC/GMT or a time
      tz.sign = token.value == "+" and 1 or -1
      local n, length = 0, 0
      if sc.peek().tag == "num" then
        local t = sc.next()
        n, length = t.value, t.length
      end
      has_read_number = true
      if is_sym(sc.peek(), ":") then
        tz.hour = n; tz.minute = nil
      elseif length == 1 or length == 2 then
        tz.hour = n; tz.minute = 0
      elseif length == 3 or length == 4 then
        tz.hour = floor(n / 100); tz.minute = n % 100
      else
        return NaN
      end
    elseif (is_sign(token) or is_sym(token, ")")) and has_read_number then
      return NaN
    end
    token = sc.next()
  end
  local year, month, d = day_write(day)
  if not year then return NaN end
  local h, mi, s, ms = time_write(time)
  if not h then return NaN end
  local offset
  if tz.sign ~= nil then
    offset = ((tz.hour or 0) * 3600 + (tz.minute or 0) * 60) * tz.sign
  end
  local date = make_date(make_day(year, month, d), make_time(h, mi, s, ms))
  if offset == nil then return from_local(date) end
  if date ~= date then return NaN end
  date = date - offset * 1000
  if date < -MAX_TIME or date > MAX_TIME then return NaN end
  return time_clip(date)
end
R.date_parse = parse

---------------------------------------------------------------------------------------------
-- Formatting
local WEEKDAYS = {[0] = "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
local MONTHS = {[0] = "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

local function iso_string(t)
  local y, mo, d, h, mi, s, ms = fields(t)
  local ys
  if y >= 0 and y <= 9999 then ys = sformat("%04d", y)
  elseif y < 0 then ys = sformat("-%06d", -y)
  else ys = sformat("+%06d", y) end
  return sformat("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", ys, mo + 1, d, h, mi, s, ms)
end

local function date_part(t)   -- local time value -> "Tue Mar 05 2024"
  local y, mo, d, _, _, _, _, wd = fields(t)
  return sformat(y < 0 and "%s %s %02d %05d" or "%s %s %02d %04d", WEEKDAYS[wd], MONTHS[mo], d, y)
end

local function time_part(t, tl)   -- "14:03:00 GMT+0000 (Coordinated Universal Time)"
  local _, _, _, h, mi, s = fields(tl)
  local off = -tz_minutes(t)
  local sign = off < 0 and "-" or "+"
  off = abs(off)
  return sformat("%02d:%02d:%02d GMT%s%02d%02d (%s)", h, mi, s, sign, floor(off / 60), off % 60, zone_name(t))
end

local function utc_string(t)
  local y, mo, d, h, mi, s, _, wd = fields(t)
  return sformat(y < 0 and "%s, %02d %s %05d %02d:%02d:%02d GMT" or "%s, %02d %s %04d %02d:%02d:%02d GMT",
                 WEEKDAYS[wd], d, MONTHS[mo], y, h, mi, s)
end

local function to_string(t)
  if t ~= t then return "Invalid Date" end
  local tl = local_time(t)
  return date_part(tl) .. " " .. time_part(t, tl)
end

-- en-US, node's default locale: "3/5/2024", "2:03:00 PM"
local function locale_date(y, mo, d)
  if y <= 0 then y = 1 - y end   -- era years (BC) without the era
  return sformat("%d/%d/%d", mo + 1, d, y)
end
local function locale_time(h, mi, s)
  local h12 = h % 12
  if h12 == 0 then h12 = 12 end
  return sformat("%d:%02d:%02d %s", h12, mi, s, h < 12 and "AM" or "PM")
end

---------------------------------------------------------------------------------------------
-- The constructor
local DatePrototype = setmetatable({}, R.ObjectMT)

local function date_from_value(v)
  local tv = date_value(v)
  if tv ~= nil then return tv end
  v = R.toprim(v)
  if type(v) == "string" then return parse(v) end
  return time_clip(tonum(v))
end

-- Date(y, m, d, h, mi, s, ms) arguments -> local time value (before UTC conversion).
local function date_args(n, ...)
  local y, m, d, h, mi, s, ms = ...
  y = tonum(y)
  m = n >= 2 and tonum(m) or 0
  d = n >= 3 and tonum(d) or 1
  h = n >= 4 and tonum(h) or 0
  mi = n >= 5 and tonum(mi) or 0
  s = n >= 6 and tonum(s) or 0
  ms = n >= 7 and tonum(ms) or 0
  if y == y then
    local yi = toint(y)
    if yi >= 0 and yi <= 99 then y = 1900 + yi end
  end
  return make_date(make_day(y, m, d), make_time(h, mi, s, ms))
end

local function Date(this, ...)
  -- called as a function (also as a method of an existing Date: d.constructor())
  if not R.constructing(this, DatePrototype) or date_value(this) ~= nil then return to_string(now_ms()) end
  local n = select("#", ...)
  local t
  if n == 0 then
    t = now_ms()
  elseif n == 1 then
    t = date_from_value((...))
  else
    t = from_local(date_args(n, ...))
  end
  rawset(this, TV, t)
end
R.ctor("Date", 7, Date, DatePrototype)
R.DatePrototype = DatePrototype

-- A new Date object with time value t (for other modules).
function R.new_date(t)
  local o = setmetatable({}, R.protomt(DatePrototype))
  rawset(o, TV, time_clip(t))
  return o
end

method(Date, "now", 0, function(this) return now_ms() end)
method(Date, "parse", 1, function(this, s) return parse(tostr(s)) end)
method(Date, "UTC", 7, function(this, ...)
  return time_clip(date_args(select("#", ...), ...))
end)

---------------------------------------------------------------------------------------------
-- Hooks for console.log / util.inspect
R.date_value = date_value
function R.date_iso(v)
  local t = date_value(v)
  if t == nil or t ~= t then return "Invalid Date" end
  return iso_string(t)
end

---------------------------------------------------------------------------------------------
-- String conversions
local P = DatePrototype

method(P, "toString", 0, function(this) return to_string(thistime(this, "toString")) end)

method(P, "toDateString", 0, function(this)
  local t = thistime(this, "toDateString")
  if t ~= t then return "Invalid Date" end
  return date_part(local_time(t))
end)

method(P, "toTimeString", 0, function(this)
  local t = thistime(this, "toTimeString")
  if t ~= t then return "Invalid Date" end
  return time_part(t, local_time(t))
end)

method(P, "toISOString", 0, function(this)
  local t = thistime(this, "toISOString")
  if t ~= t then throw_error("RangeError", "Invalid time value") end
  return iso_string(t)
end)

local toUTCString = method(P, "toUTCString", 0, function(this)
  local t = thistime(this, "toUTCString")
  if t ~= t then return "Invalid Date" end
  return utc_string(t)
end)
rawset(P, "toGMTString", toUTCString)   -- the same function object, as in JS

---------------------------------------------------------------------------------------------
-- Getters; `i` is the position in fields(): year, month, date, hours, minutes, seconds, ms,
-- weekday.
local function local_getter(name, i)
  method(P, name, 0, function(this)
    local t = thistime(this)
    if t ~= t then return NaN end
    return (select(i, fields(local_time(t))))
  end)
end
local function utc_getter(name, i)
  method(P, name, 0, function(this)
    local t = thistime(this)
    if t ~= t then return NaN end
    return (select(i, fields(t)))
  end)
end

---------------------------------------------------------------------------------------------
-- Setters. Arguments are converted before the receiver's value is looked at, as the spec
-- orders it; absent optional arguments keep the current field.
local function arg(n, i, v) if n >= i then return tonum(v) end return nil end

-- setMilliseconds / setSeconds / setMinutes / setHours, local or UTC: the time fields from
-- position `first` (4 = hours .. 7 = ms) onwards, as many as given (at most `len`).
local function time_setter(name, len, first, utc)
  method(P, name, len, function(this, ...)
    local t = thistime(this, name)
    local n = select("#", ...)
    local a1, a2, a3, a4 = ...
    local v = {tonum(a1), arg(n, 2, a2), arg(n, 3, a3), arg(n, 4, a4)}
    if t ~= t then return NaN end
    if not utc then t = local_time(t) end
    local y, mo, d, h, mi, s, ms = fields(t)
    local f = {h, mi, s, ms}
    for i = 1, len do
      local x = v[i]
      if x ~= nil then f[first - 4 + i] = x end
    end
    local date = make_date(floor(t / MS_DAY), make_time(f[1], f[2], f[3], f[4]))
    local u = utc and time_clip(date) or from_local(date)
    return settime(this, u)
  end)
end

-- setDate / setMonth / setFullYear, local or UTC; `first` is 1 (year), 2 (month) or 3 (date).
local function day_setter(name, len, first, utc)
  method(P, name, len, function(this, ...)
    local t = thistime(this, name)
    local n = select("#", ...)
    local a1, a2, a3 = ...
    local v = {tonum(a1), arg(n, 2, a2), arg(n, 3, a3)}
    if t ~= t then
      if first ~= 1 then return NaN end
      t = 0   -- setFullYear on an invalid date starts from +0
    elseif not utc then
      t = local_time(t)
    end
    local y, mo, d = fields(t)
    local f = {y, mo, d}
    for i = 1, len do
      local x = v[i]
      if x ~= nil then f[first - 1 + i] = x end
    end
    local day = floor(t / MS_DAY)
    local date = make_date(make_day(f[1], f[2], f[3]), t - day * MS_DAY)
    local u = utc and time_clip(date) or from_local(date)
    return settime(this, u)
  end)
end

---------------------------------------------------------------------------------------------
-- Methods in node's order of Date.prototype
local_getter("getDate", 3)
day_setter("setDate", 1, 3, false)
local_getter("getDay", 8)
local_getter("getFullYear", 1)
day_setter("setFullYear", 3, 1, false)
local_getter("getHours", 4)
time_setter("setHours", 4, 4, false)
local_getter("getMilliseconds", 7)
time_setter("setMilliseconds", 1, 7, false)
local_getter("getMinutes", 5)
time_setter("setMinutes", 3, 5, false)
local_getter("getMonth", 2)
day_setter("setMonth", 2, 2, false)
local_getter("getSeconds", 6)
time_setter("setSeconds", 2, 6, false)

method(P, "getTime", 0, function(this) return thistime(this) end)
method(P, "setTime", 1, function(this, time)
  thistime(this, "setTime")
  return settime(this, time_clip(tonum(time)))
end)
method(P, "getTimezoneOffset", 0, function(this)
  local t = thistime(this)
  if t ~= t then return NaN end
  return tz_minutes(t)
end)

utc_getter("getUTCDate", 3)
day_setter("setUTCDate", 1, 3, true)
utc_getter("getUTCDay", 8)
utc_getter("getUTCFullYear", 1)
day_setter("setUTCFullYear", 3, 1, true)
utc_getter("getUTCHours", 4)
time_setter("setUTCHours", 4, 4, true)
utc_getter("getUTCMilliseconds", 7)
time_setter("setUTCMilliseconds", 1, 7, true)
utc_getter("getUTCMinutes", 5)
time_setter("setUTCMinutes", 3, 5, true)
utc_getter("getUTCMonth", 2)
day_setter("setUTCMonth", 2, 2, true)
utc_getter("getUTCSeconds", 6)
time_setter("setUTCSeconds", 2, 6, true)

method(P, "valueOf", 0, function(this) return thistime(this) end)

-- Annex B
method(P, "getYear", 0, function(this)
  local t = thistime(this, "getYear")
  if t ~= t then return NaN end
  return (fields(local_time(t))) - 1900
end)
method(P, "setYear", 1, function(this, year)
  local t = thistime(this, "setYear")
  local y = tonum(year)
  if y ~= y then return settime(this, NaN) end
  local yi = toint(y)
  if yi >= 0 and yi <= 99 then y = 1900 + yi end
  if t ~= t then t = 0 else t = local_time(t) end
  local _, mo, d = fields(t)
  local day = floor(t / MS_DAY)
  return settime(this, from_local(make_date(make_day(y, mo, d), t - day * MS_DAY)))
end)

method(P, "toJSON", 1, function(this)
  if this == nil or this == null then type_error("Cannot convert undefined or null to object") end
  local tv = R.toprim(this, "number")
  if type(tv) == "number" and not finite(tv) then return null end
  local f = this.toISOString
  if type(f) ~= "function" and not (type(f) == "table" and getmetatable(f) and getmetatable(f).callable) then
    type_error("toISOString is not a function")
  end
  return f(this)
end)

-- With locales or options they go through Intl.DateTimeFormat (ljs.intl), which asks for the
-- fields below; without, the en-US default is formatted here.
function R.date_fields(t, utc)
  if utc then return fields(t) end
  return fields(local_time(t))
end
-- The local zone at t: offset east of UTC in minutes, abbreviation, long name.
function R.date_zone(t)
  local ok, abbr = pcall(os_date, "%Z", floor(t / 1000))
  return floor(offset_at(t) / 60000), ok and abbr or "", zone_name(t)
end

local function intl_locale(t, locales, options, required, defaults)
  return require("ljs.intl").date_to_locale_string(t, locales, options, required, defaults)
end

method(P, "toLocaleString", 0, function(this, locales, options)
  local t = thistime(this, "toLocaleString")
  if t ~= t then return "Invalid Date" end
  if locales ~= nil or options ~= nil then return intl_locale(t, locales, options, "any", "all") end
  local y, mo, d, h, mi, s = fields(local_time(t))
  return locale_date(y, mo, d) .. ", " .. locale_time(h, mi, s)
end)
method(P, "toLocaleDateString", 0, function(this, locales, options)
  local t = thistime(this, "toLocaleDateString")
  if t ~= t then return "Invalid Date" end
  if locales ~= nil or options ~= nil then return intl_locale(t, locales, options, "date", "date") end
  local y, mo, d = fields(local_time(t))
  return locale_date(y, mo, d)
end)
method(P, "toLocaleTimeString", 0, function(this, locales, options)
  local t = thistime(this, "toLocaleTimeString")
  if t ~= t then return "Invalid Date" end
  if locales ~= nil or options ~= nil then return intl_locale(t, locales, options, "time", "time") end
  local _, _, _, h, mi, s = fields(local_time(t))
  return locale_time(h, mi, s)
end)

-- Date.prototype[Symbol.toPrimitive](hint): "default" reads as "string".
local function ordinary_toprim(o, first, second)
  for _, name in ipairs({first, second}) do
    local f = o[name]
    if type(f) == "function" then
      local r = f(o)
      if not isobject(r) then return r end
    end
  end
  type_error("Cannot convert object to primitive value")
end
local toPrimitive = method(P, R.sym_toPrimitive, 1, function(this, hint)
  if not isobject(this) then
    type_error("Method Date.prototype [ @@toPrimitive ] called on incompatible receiver " .. tostr(this))
  end
  if hint == "string" or hint == "default" then return ordinary_toprim(this, "toString", "valueOf") end
  if hint == "number" then return ordinary_toprim(this, "valueOf", "toString") end
  type_error("Invalid hint: " .. (type(hint) == "table" and getmetatable(hint) == R.SymbolMT and tostring(hint) or tostr(hint)))
end)
R.defprop(P, R.sym_toPrimitive, {value = toPrimitive, writable = false, enumerable = false, configurable = true})

return Date
