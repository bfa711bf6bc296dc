-- ljs.uri: encodeURI(Component) and decodeURI(Component) over UTF-8 strings.
local R = require("ljs.core")
local sbyte, schar, sformat, sfind, ssub = string.byte, string.char, string.format, string.find, string.sub
local concat = table.concat

local COMPONENT_SAFE = "A-Za-z0-9%-_%.!~%*'%(%)"
local URI_SAFE = COMPONENT_SAFE .. ";,/%?:@&=%+%$#"

local function percent(c) return sformat("%%%02X", sbyte(c)) end
local function encoder(safe)
  local pat = "[^" .. safe .. "]"
  return function(_, s)
    s = R.tostr(s)
    -- lone surrogates (CESU-encoded) cannot be encoded
    if sfind(s, "\237[\160-\191]") then R.throw_error("URIError", "URI malformed") end
    return (string.gsub(s, pat, percent))
  end
end

local function decoder(reserved)
  return function(_, s)
    s = R.tostr(s)
    local out, n, i, len = {}, 0, 1, #s
    while i <= len do
      local c = ssub(s, i, i)
      if c ~= "%" then
        n = n + 1; out[n] = c; i = i + 1
      else
        local hex = ssub(s, i + 1, i + 2)
        if not string.find(hex, "^%x%x$") then R.throw_error("URIError", "URI malformed") end
        local b = tonumber(hex, 16)
        local count = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 0
        if count == 0 then R.throw_error("URIError", "URI malformed") end
        local bytes = {b}
        for k = 2, count do
          local h = ssub(s, i + 3 * (k - 1), i + 3 * (k - 1) + 2)
          if not string.find(h, "^%%%x%x$") then R.throw_error("URIError", "URI malformed") end
          local cb = tonumber(ssub(h, 2), 16)
          if cb < 0x80 or cb > 0xBF then R.throw_error("URIError", "URI malformed") end
          bytes[k] = cb
        end
        local ch = schar(unpack(bytes))
        if count == 1 and reserved and sfind(reserved, ch, 1, true) then ch = ssub(s, i, i + 2) end
        n = n + 1; out[n] = ch
        i = i + 3 * count
      end
    end
    return concat(out)
  end
end

local G = R.G
R.hidden(G, "encodeURIComponent", R.fn(encoder(COMPONENT_SAFE), "encodeURIComponent", 1))
R.hidden(G, "encodeURI", R.fn(encoder(URI_SAFE), "encodeURI", 1))
R.hidden(G, "decodeURIComponent", R.fn(decoder(nil), "decodeURIComponent", 1))
R.hidden(G, "decodeURI", R.fn(decoder(";/?:@&=+$,#"), "decodeURI", 1))
-- Annex B escape/unescape: %XX for code units below 256, %uXXXX above; over UTF-16 code units
-- (a character past U+FFFF escapes as its two surrogates).
local ESCAPE_SAFE = "^[A-Za-z0-9@%*_%+%-%./]$"
R.hidden(G, "escape", R.fn(function(_, s)
  local units, n = R.utf16(R.tostr(s))
  local out = {}
  for i = 0, n - 1 do
    local u = units[i]
    local c = u < 128 and string.char(u)
    if c and sfind(c, ESCAPE_SAFE) then out[i + 1] = c
    elseif u < 256 then out[i + 1] = sformat("%%%02X", u)
    else out[i + 1] = sformat("%%u%04X", u) end
  end
  return concat(out)
end, "escape", 1))

R.hidden(G, "unescape", R.fn(function(_, s)
  local units, n = R.utf16(R.tostr(s))
  local t, k, i = {}, 0, 0
  local function hex(from, len)   -- the value of len hex digits at units[from], or nil
    local v = 0
    for j = from, from + len - 1 do
      local d = j < n and tonumber(string.char(units[j] < 128 and units[j] or 0), 16)
      if not d then return nil end
      v = v * 16 + d
    end
    return v
  end
  while i < n do
    local u, step = units[i], 1
    if u == 37 then   -- %
      local v = units[i + 1] == 117 and hex(i + 2, 4)   -- %uXXXX
      if v then u, step = v, 6
      else
        v = hex(i + 1, 2)
        if v then u, step = v, 3 end
      end
    end
    k = k + 1; t[k] = u; i = i + step
  end
  return R.units_to_utf8(t, 1, k)
end, "unescape", 1))

return R
