-- ljs.uri: encodeURI(Component) and decodeURI(Component) over UTF-8 strings.
local R = require("ljs.core")
local sbyte, schar, sformat, sfind, ssub = string.byte, string.char, string.format, string.find, string.sub
local concat = table.concat

local COMPONENT_SAFE = "A-Za-z0-9%-_%.!~%*'%(%)"
local URI_SAFE = COMPONENT_SAFE .. ";,/%?:@&=%+%$#"

local function encoder(safe)
  local pat = "[^" .. safe .. "]"
  return function(_, s)
    s = R.tostr(s)
    -- lone surrogates (CESU-encoded) cannot be encoded
    if sfind(s, "\237[\160-\191]") then R.throw_error("URIError", "URI malformed") end
    return (string.gsub(s, pat, function(c) return sformat("%%%02X", sbyte(c)) end))
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
return R
