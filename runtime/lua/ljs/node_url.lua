-- ljs.node_url: node's `url` module (the WHATWG URL and URLSearchParams of ljs.webapi, file URL
-- conversion, and the legacy url.parse / url.format / url.resolve) and `querystring`, which the
-- legacy functions use. The legacy parser follows node 20's lib/url.js step by step: packages
-- depend on its exact quirks (backslashes, auto-escaping, hostless protocols, resolveObject's
-- dot handling).
local bit = require("bit")
local R = require("ljs.core")
require("ljs.webapi")
require("ljs.nodelib")

local type, rawget, rawset, tostring, pcall, select = type, rawget, rawset, tostring, pcall, select
local sbyte, schar, ssub, sfind, sgsub, slower, sformat, smatch =
      string.byte, string.char, string.sub, string.find, string.gsub, string.lower, string.format, string.match
local concat = table.concat
local floor = math.floor
local G, null = R.G, R.null
local N = R.nodelib
local put, coded_error, invalid_arg_type = N.put, N.coded_error, N.invalid_arg_type

local M = {}

local function URL() return R.builtin_global("URL") end
local function is_url(v) return type(v) == "table" and v ~= null and R.instanceof(v, URL()) end

---------------------------------------------------------------------------------------------
-- querystring

-- percent-encoding of every byte outside `keep` (a Lua pattern class), upper-case hex
local function pct(s, keep)
  return (sgsub(s, "[^" .. keep .. "]", function(c) return sformat("%%%02X", sbyte(c)) end))
end

local QS_KEEP = "A-Za-z0-9%-%._~!'()*"
local function qs_escape(s)
  if type(s) ~= "string" then
    if type(s) == "table" and s ~= null then s = R.tostr(s) else s = R.tostr(s) end
  end
  return pct(R.to_usv(s), QS_KEEP)
end

-- %XX sequences decoded where valid, the rest kept; then the bytes as UTF-8 (node's
-- unescapeBuffer, which is also what decodeURIComponent gives on valid input)
local function qs_unescape(s)
  s = R.tostr(s)
  if not sfind(s, "%", 1, true) then return s end
  local bytes = sgsub(s, "%%(%x%x)", function(h) return schar(tonumber(h, 16)) end)
  return (R.utf8_decode(bytes))
end

local function stringify_primitive(v)
  if type(v) == "string" then return v end
  if type(v) == "number" then return (v == v and v ~= math.huge and v ~= -math.huge) and R.numtostr(v) or "" end
  if type(v) == "boolean" then return v and "true" or "false" end
  if R.big and R.big.is(v) then return R.big.tostring(v) end
  return ""
end

local function qs_stringify(obj, sep, eq)
  sep = (sep == nil or sep == null) and "&" or R.tostr(sep)
  eq = (eq == nil or eq == null) and "=" or R.tostr(eq)
  if type(obj) ~= "table" or obj == null or R.typeof(obj) ~= "object" then return "" end
  local out, n = {}, 0
  local keys, kn = R.ownkeys(obj)
  for i = 1, kn do
    local k = keys[i]
    local v = obj[k]
    local ks = qs_escape(stringify_primitive(R.tostr(k))) .. eq
    if R.isarray(v) then
      for j = 0, v.length - 1 do
        n = n + 1; out[n] = ks .. qs_escape(stringify_primitive(v[j]))
      end
    else
      n = n + 1; out[n] = ks .. qs_escape(stringify_primitive(v))
    end
  end
  return concat(out, sep)
end

local function qs_parse(s, sep, eq, opts)
  local obj = setmetatable({}, R.protomt(null))
  if type(s) ~= "string" or s == "" then return obj end
  sep = (sep == nil or sep == null or sep == "") and "&" or R.tostr(sep)
  eq = (eq == nil or eq == null or eq == "") and "=" or R.tostr(eq)
  local max = 1000
  if type(opts) == "table" and opts ~= null and type(opts.maxKeys) == "number" then max = opts.maxKeys end
  local count = 0
  local pos = 1
  while pos <= #s + 1 do
    local a = sfind(s, sep, pos, true)
    local seg = ssub(s, pos, (a or #s + 1) - 1)
    pos = a and a + #sep or #s + 2
    if seg ~= "" then
      if max > 0 and count >= max then break end
      count = count + 1
      local e = sfind(seg, eq, 1, true)
      local k, v = seg, ""
      if e then k, v = ssub(seg, 1, e - 1), ssub(seg, e + #eq) end
      k = qs_unescape((sgsub(k, "%+", " ")))
      v = qs_unescape((sgsub(v, "%+", " ")))
      local cur = rawget(obj, k)
      if cur == nil then
        put(obj, k, v)
      elseif R.isarray(cur) then
        rawset(cur, cur.length, v)
        rawset(cur, "length", cur.length + 1)
      else
        rawset(obj, k, R.pack(cur, v))
      end
    end
  end
  return obj
end

local querystring = R.newobj()
N.export(querystring, "unescapeBuffer", 2, function(_, s) return require("ljs.node_buffer").from_bytes((sgsub(R.tostr(s), "%%(%x%x)", function(h) return schar(tonumber(h, 16)) end))) end)
N.export(querystring, "unescape", 2, function(_, s) return qs_unescape(s) end)
N.export(querystring, "escape", 1, function(_, s) return qs_escape(s) end)
N.export(querystring, "stringify", 4, function(_, o, sep, eq) return qs_stringify(o, sep, eq) end)
N.export(querystring, "parse", 4, function(_, s, sep, eq, opts) return qs_parse(s, sep, eq, opts) end)
put(querystring, "encode", querystring.stringify)
put(querystring, "decode", querystring.parse)
M.querystring = querystring

---------------------------------------------------------------------------------------------
-- Domains (Punycode decoding is ljs.webapi's, shared with the URL host parser)

local function punycode_to_utf8(s)
  local cps = R.punycode_decode(s)
  if not cps then return nil end
  local parts = {}
  for j = 1, #cps do parts[j] = R.utf8_encode(cps[j]) end
  return concat(parts)
end

-- the ASCII form of a domain as the WHATWG host parser makes it, or "" when invalid
local function domain_to_ascii(d)
  d = R.tostr(d)
  -- a label already in Punycode form cannot hold other non-ASCII characters (UTS #46 4.1;
  -- ljs.webapi's host parser lets that through)
  for label in string.gmatch(d .. ".", "([^.]*)%.") do
    if slower(ssub(label, 1, 4)) == "xn--" and sfind(label, "[\128-\255]") then return "" end
  end
  local ok, u = pcall(R.new, URL(), "ws://" .. d)
  if not ok then return "" end
  return u.hostname
end

local function domain_to_unicode(d)
  local ascii = domain_to_ascii(d)
  if ascii == "" then return "" end
  local labels = {}
  for label in string.gmatch(ascii .. ".", "([^.]*)%.") do
    if ssub(label, 1, 4) == "xn--" then label = punycode_to_utf8(ssub(label, 5)) or label end
    labels[#labels + 1] = label
  end
  return concat(labels, ".")
end

---------------------------------------------------------------------------------------------
-- File URLs

local function invalid(kind, code, msg) R.throw(coded_error(kind, code, msg)) end

local function file_url_to_path(u)
  if type(u) == "string" then
    u = R.new(URL(), u)
  elseif not is_url(u) then
    R.throw(invalid_arg_type("path", {"string", "URL"}, u))
  end
  if u.protocol ~= "file:" then invalid("TypeError", "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file") end
  if u.hostname ~= "" then
    invalid("TypeError", "ERR_INVALID_FILE_URL_HOST", 'File URL host must be "localhost" or empty on ' .. R.tostr(R.process and R.process.platform or "linux"))
  end
  local p = u.pathname
  if sfind(p, "%%2[fF]") then
    invalid("TypeError", "ERR_INVALID_FILE_URL_PATH", "File URL path must not include encoded / characters")
  end
  return (G.decodeURIComponent(nil, p))
end
M.file_url_to_path = file_url_to_path

local PATH_ESCAPES = {["%"] = "%25", ["\\"] = "%5C", ["\n"] = "%0A", ["\r"] = "%0D", ["\t"] = "%09",
                      ["#"] = "%23", ["?"] = "%3F"}

local function path_to_file_url(p)
  if type(p) ~= "string" then R.throw(invalid_arg_type("path", "string", p)) end
  local resolved = R.builtin_modules.path().resolve(nil, p)
  if ssub(p, -1) == "/" and ssub(resolved, -1) ~= "/" then resolved = resolved .. "/" end
  return R.new(URL(), "file://" .. sgsub(resolved, "[%%\\\n\r\t#?]", PATH_ESCAPES))
end

---------------------------------------------------------------------------------------------
-- Legacy URLs: records are Lua tables with the Url fields (nil for null)

local FIELDS = {"protocol", "slashes", "auth", "host", "port", "hostname", "hash", "search", "query", "pathname", "path", "href"}
local SLASHED = {http = true, ["http:"] = true, https = true, ["https:"] = true, ftp = true, ["ftp:"] = true,
                 gopher = true, ["gopher:"] = true, file = true, ["file:"] = true, ws = true, ["ws:"] = true,
                 wss = true, ["wss:"] = true}
local HOSTLESS = {javascript = true, ["javascript:"] = true}
local UNSAFE = HOSTLESS

local AUTO_ESCAPE = {["\t"] = "%09", ["\n"] = "%0A", ["\r"] = "%0D", [" "] = "%20", ['"'] = "%22", ["'"] = "%27",
                     ["<"] = "%3C", [">"] = "%3E", ["\\"] = "%5C", ["^"] = "%5E", ["`"] = "%60",
                     ["{"] = "%7B", ["|"] = "%7C", ["}"] = "%7D"}
local NON_HOST = {}
for c in string.gmatch("\t\n\r \"%';<>\\^`{|}", ".") do NON_HOST[sbyte(c)] = true end

local function is_ws(b) return b < 33 end

local function format_record(u)
  local auth = u.auth or ""
  if auth ~= "" then auth = pct(R.to_usv(auth), "A-Za-z0-9!$&'()*+,%-%.:;=_~") .. "@" end
  local protocol = u.protocol or ""
  local pathname = u.pathname or ""
  local hash = u.hash or ""
  local host, query = "", ""
  if u.host and u.host ~= "" then
    host = auth .. u.host
  elseif u.hostname and u.hostname ~= "" then
    local h = u.hostname
    if sfind(h, ":", 1, true) and not (ssub(h, 1, 1) == "[" and ssub(h, -1) == "]") then h = "[" .. h .. "]" end
    host = auth .. h
    if u.port and u.port ~= "" then host = host .. ":" .. u.port end
  end
  if type(u.query) == "table" and u.query ~= null then query = qs_stringify(u.query) end
  local search = (u.search and u.search ~= "") and u.search or (query ~= "" and "?" .. query) or ""
  if protocol ~= "" and ssub(protocol, -1) ~= ":" then protocol = protocol .. ":" end
  pathname = sgsub(pathname, "[#?]", {["#"] = "%23", ["?"] = "%3F"})
  if u.slashes or SLASHED[protocol] then
    if u.slashes or host ~= "" then
      if pathname ~= "" and ssub(pathname, 1, 1) ~= "/" then pathname = "/" .. pathname end
      host = "//" .. host
    elseif ssub(protocol, 1, 4) == "file" then
      host = "//"
    end
  end
  search = sgsub(search, "#", "%%23")
  if hash ~= "" and ssub(hash, 1, 1) ~= "#" then hash = "#" .. hash end
  if search ~= "" and ssub(search, 1, 1) ~= "?" then search = "?" .. search end
  return protocol .. host .. pathname .. search .. hash
end

local function to_ascii_host(h, url)
  if not sfind(h, "[\128-\255]") then return h end
  local a = domain_to_ascii(h)
  if a == "" then invalid("TypeError", "ERR_INVALID_URL", "Invalid URL") end
  return a
end

local function parse_record(url, parse_qs, slashes_denote_host)
  local u = {}
  -- trim whitespace; backslashes before the first ? or # become slashes
  local n = #url
  local s, e = 1, n
  while s <= n and is_ws(sbyte(url, s)) do s = s + 1 end
  while e >= s and is_ws(sbyte(url, e)) do e = e - 1 end
  local has_hash, has_at = false, false
  local parts, split = {}, false
  for i = s, e do
    local c = ssub(url, i, i)
    if not split then
      if c == "@" then has_at = true
      elseif c == "#" then has_hash = true; split = true
      elseif c == "?" then split = true
      elseif c == "\\" then c = "/" end
    elseif c == "#" then
      has_hash = true
    end
    parts[#parts + 1] = c
  end
  local rest = concat(parts)

  if not slashes_denote_host and not has_hash and not has_at then
    -- the simple path fast path: /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/
    local p, q = smatch(rest, "^([^?]*)(.*)$")
    if ssub(rest, 1, 1) == "/" and ssub(rest, 1, 3) ~= "///" and not sfind(rest, "%s") then
      u.path, u.href, u.pathname = rest, rest, p
      if q ~= "" then
        u.search = q
        u.query = parse_qs and qs_parse(ssub(q, 2)) or ssub(q, 2)
      elseif parse_qs then
        u.query = qs_parse("")
      end
      return u
    end
  end

  local proto = smatch(rest, "^[%w%.%+%-]+:")
  local lower
  if proto then
    lower = slower(proto)
    u.protocol = lower
    rest = ssub(rest, #proto + 1)
  end

  local slashes
  if slashes_denote_host or proto or smatch(rest, "^//[^@/]+@[^@/]+") then
    slashes = ssub(rest, 1, 2) == "//"
    if slashes and not (proto and HOSTLESS[lower]) then
      rest = ssub(rest, 3)
      u.slashes = true
    end
  end

  if not HOSTLESS[lower or ""] and (slashes or (proto and not SLASHED[proto])) then
    local host_end, at_sign, non_host = -1, -1, -1
    for i = 1, #rest do
      local c = sbyte(rest, i)
      if NON_HOST[c] then
        if non_host == -1 then non_host = i end
      elseif c == 35 or c == 47 or c == 63 then   -- # / ?
        if non_host == -1 then non_host = i end
        host_end = i
      elseif c == 64 then   -- @
        at_sign = i
        non_host = -1
      end
      if host_end ~= -1 then break end
    end
    local start = 1
    if at_sign ~= -1 then
      u.auth = qs_unescape(ssub(rest, 1, at_sign - 1))
      start = at_sign + 1
    end
    if non_host == -1 then
      u.host = ssub(rest, start)
      rest = ""
    else
      u.host = ssub(rest, start, non_host - 1)
      rest = ssub(rest, non_host)
    end
    -- parseHost: the port
    local host = u.host
    local port = smatch(host, ":%d*$")
    if port then
      if port ~= ":" then u.port = ssub(port, 2) end
      host = ssub(host, 1, #host - #port)
    end
    if host ~= "" then u.hostname = host end
    if type(u.hostname) ~= "string" then u.hostname = "" end
    local hostname = u.hostname
    local ipv6 = ssub(hostname, 1, 1) == "[" and ssub(hostname, -1) == "]"
    if not ipv6 then
      for i = 1, #hostname do
        local c = ssub(hostname, i, i)
        if c == "/" or c == "\\" or c == "#" or c == "?" or c == ":" then
          u.hostname = ssub(hostname, 1, i - 1)
          rest = "/" .. ssub(hostname, i) .. rest
          break
        end
      end
    end
    if #u.hostname > 255 then u.hostname = "" else u.hostname = slower(u.hostname) end
    if u.hostname ~= "" and not ipv6 then
      u.hostname = to_ascii_host(u.hostname, url)
      if u.hostname == "" or sfind(u.hostname, "[%z\t\n\r #%%/:<>%?@%[\\%]%^|]") then
        invalid("TypeError", "ERR_INVALID_URL", "Invalid URL")
      end
    end
    u.host = (u.hostname or "") .. (u.port and u.port ~= "" and ":" .. u.port or "")
    if ipv6 then
      u.hostname = ssub(u.hostname, 2, -2)
      if ssub(rest, 1, 1) ~= "/" then rest = "/" .. rest end
    end
  end

  if not UNSAFE[lower or ""] then rest = sgsub(rest, "[\t\n\r \"'<>\\%^`{|}]", AUTO_ESCAPE) end

  local q, h = sfind(rest, "?", 1, true), sfind(rest, "#", 1, true)
  if q and h and q > h then q = nil end
  if h then u.hash = ssub(rest, h) end
  if q then
    u.search = ssub(rest, q, h and h - 1 or #rest)
    local query = ssub(rest, q + 1, h and h - 1 or #rest)
    u.query = parse_qs and qs_parse(query) or query
  elseif parse_qs then
    u.search = nil
    u.query = qs_parse("")
  end
  local first = q or h
  if not first then
    if #rest > 0 then u.pathname = rest end
  elseif first > 1 then
    u.pathname = ssub(rest, 1, first - 1)
  end
  if SLASHED[lower or ""] and u.hostname and u.hostname ~= "" and not u.pathname then u.pathname = "/" end
  if (u.pathname and u.pathname ~= "") or (u.search and u.search ~= "") then
    u.path = (u.pathname or "") .. (u.search or "")
  end
  u.href = format_record(u)
  return u
end

local function copy(u)
  local r = {}
  for _, k in ipairs(FIELDS) do r[k] = u[k] end
  return r
end

local function split_path(p)
  local t = {}
  if p == nil or p == "" then return t end
  local pos = 1
  while true do
    local a = sfind(p, "/", pos, true)
    if not a then t[#t + 1] = ssub(p, pos); break end
    t[#t + 1] = ssub(p, pos, a - 1)
    pos = a + 1
  end
  return t
end

local function truthy_str(v) return v ~= nil and v ~= "" and v ~= false end

-- node's Url.prototype.resolveObject
local function resolve_record(base, rel)
  local result = copy(base)
  result.hash = rel.hash
  if rel.href == "" then
    result.href = format_record(result)
    return result
  end
  if rel.slashes and not rel.protocol then
    for _, k in ipairs(FIELDS) do if k ~= "protocol" then result[k] = rel[k] end end
    if SLASHED[result.protocol or ""] and truthy_str(result.hostname) and not truthy_str(result.pathname) then
      result.path, result.pathname = "/", "/"
    end
    result.href = format_record(result)
    return result
  end
  if rel.protocol and rel.protocol ~= result.protocol then
    if not SLASHED[rel.protocol] then
      for _, k in ipairs(FIELDS) do result[k] = rel[k] end
      result.href = format_record(result)
      return result
    end
    result.protocol = rel.protocol
    if not truthy_str(rel.host) and not smatch(rel.protocol, "^file:?$") and not HOSTLESS[rel.protocol] then
      local rp = split_path(rel.pathname or "")
      while #rp > 0 do
        rel.host = table.remove(rp, 1)
        if truthy_str(rel.host) then break end
      end
      if not truthy_str(rel.host) then rel.host = "" end
      if not truthy_str(rel.hostname) then rel.hostname = "" end
      if rp[1] ~= "" then table.insert(rp, 1, "") end
      if #rp < 2 then table.insert(rp, 1, "") end
      result.pathname = concat(rp, "/")
    else
      result.pathname = rel.pathname
    end
    result.search, result.query = rel.search, rel.query
    result.host = rel.host or ""
    result.auth = rel.auth
    result.hostname = truthy_str(rel.hostname) and rel.hostname or rel.host
    result.port = rel.port
    if truthy_str(result.pathname) or truthy_str(result.search) then
      result.path = (result.pathname or "") .. (result.search or "")
    end
    result.slashes = result.slashes or rel.slashes
    result.href = format_record(result)
    return result
  end

  local src_abs = truthy_str(result.pathname) and ssub(result.pathname, 1, 1) == "/"
  local rel_abs = truthy_str(rel.host) or (truthy_str(rel.pathname) and ssub(rel.pathname, 1, 1) == "/")
  local must_end_abs = rel_abs or src_abs or (truthy_str(result.host) and truthy_str(rel.pathname))
  local remove_all_dots = must_end_abs
  local src = truthy_str(result.pathname) and split_path(result.pathname) or {}
  local relp = truthy_str(rel.pathname) and split_path(rel.pathname) or {}
  local no_leading = truthy_str(result.protocol) and not SLASHED[result.protocol]

  if no_leading then
    result.hostname = ""
    result.port = nil
    if truthy_str(result.host) then
      if src[1] == "" then src[1] = result.host else table.insert(src, 1, result.host) end
    end
    result.host = ""
    if rel.protocol then
      rel.hostname, rel.port = nil, nil
      if truthy_str(rel.host) then
        if relp[1] == "" then relp[1] = rel.host else table.insert(relp, 1, rel.host) end
      end
      rel.host = nil
    end
    must_end_abs = must_end_abs and (relp[1] == "" or src[1] == "")
  end

  if rel_abs then
    if rel.host ~= nil then
      if result.host ~= rel.host then result.auth = nil end
      result.host, result.port = rel.host, rel.port
    end
    if rel.hostname ~= nil then
      if result.hostname ~= rel.hostname then result.auth = nil end
      result.hostname = rel.hostname
    end
    result.search, result.query = rel.search, rel.query
    src = relp
  elseif #relp > 0 then
    src[#src] = nil
    for i = 1, #relp do src[#src + 1] = relp[i] end
    result.search, result.query = rel.search, rel.query
  elseif rel.search ~= nil then
    if no_leading then
      local h = table.remove(src, 1)
      result.hostname, result.host = h, h
      if truthy_str(h) and (sfind(h, "@", 2, true)) then
        local at = sfind(h, "@", 2, true)
        result.auth = ssub(h, 1, at - 1)
        local rest = ssub(h, at + 1)
        result.host = smatch(rest, "^[^@]*")
        result.hostname = result.host
      end
    end
    result.search, result.query = rel.search, rel.query
    if result.pathname ~= nil or result.search ~= nil then
      result.path = (truthy_str(result.pathname) and result.pathname or "") .. (truthy_str(result.search) and result.search or "")
    end
    result.href = format_record(result)
    return result
  end

  if #src == 0 then
    result.pathname = nil
    result.path = truthy_str(result.search) and "/" .. result.search or nil
    result.href = format_record(result)
    return result
  end

  local last = src[#src]
  local trailing = ((truthy_str(result.host) or truthy_str(rel.host) or #src > 1) and (last == "." or last == "..")) or last == ""
  local up = 0
  for i = #src, 1, -1 do
    last = src[i]
    if last == "." then
      table.remove(src, i)
    elseif last == ".." then
      table.remove(src, i)
      up = up + 1
    elseif up > 0 then
      table.remove(src, i)
      up = up - 1
    end
  end
  if not must_end_abs and not remove_all_dots then
    for _ = 1, up do table.insert(src, 1, "..") end
  end
  if must_end_abs and src[1] ~= "" and (not truthy_str(src[1]) or ssub(src[1], 1, 1) ~= "/") then
    table.insert(src, 1, "")
  end
  if trailing and ssub(concat(src, "/"), -1) ~= "/" then src[#src + 1] = "" end
  local is_abs = src[1] == "" or (truthy_str(src[1]) and ssub(src[1], 1, 1) == "/")
  if no_leading then
    local h = is_abs and "" or (#src > 0 and table.remove(src, 1) or "")
    result.hostname, result.host = h, h
    local at = truthy_str(h) and sfind(h, "@", 2, true)
    if at then
      result.auth = ssub(h, 1, at - 1)
      result.host = smatch(ssub(h, at + 1), "^[^@]*")
      result.hostname = result.host
    end
  end
  must_end_abs = must_end_abs or (truthy_str(result.host) and #src > 0)
  if must_end_abs and not is_abs then table.insert(src, 1, "") end
  if #src > 0 then
    result.pathname = concat(src, "/")
  else
    result.pathname, result.path = nil, nil
  end
  if result.pathname ~= nil or result.search ~= nil then
    result.path = (truthy_str(result.pathname) and result.pathname or "") .. (truthy_str(result.search) and result.search or "")
  end
  result.auth = truthy_str(rel.auth) and rel.auth or result.auth
  result.slashes = result.slashes or rel.slashes
  result.href = format_record(result)
  return result
end

-- Url objects: the twelve fields in node's order, null where unset
local function Url(this)
  for _, k in ipairs(FIELDS) do put(this, k, null) end
  return this
end
local UrlPrototype = R.module_class("Url", 0, Url)
local UrlMT = R.protomt(UrlPrototype)

local function to_url_object(u, o)
  o = o or setmetatable({}, UrlMT)
  for _, k in ipairs(FIELDS) do
    local v = u[k]
    if v == nil then v = null end
    put(o, k, v)
  end
  return o
end

-- a record from a JS object with Url-like fields
local function record_of(o)
  local u = {}
  for _, k in ipairs(FIELDS) do
    local v = o[k]
    if v == null or v == nil then
      v = nil
    elseif k == "query" then
      if type(v) ~= "table" then v = R.tostr(v) end
    elseif k == "slashes" then
      v = R.truthy(v)
    else
      v = R.tostr(v)
    end
    u[k] = v
  end
  return u
end

local function url_parse(s, parse_qs, sdh)
  if type(s) ~= "string" then R.throw(invalid_arg_type("url", "string", s)) end
  return parse_record(s, R.truthy(parse_qs), R.truthy(sdh))
end

R.method(UrlPrototype, "parse", 3, function(this, s, pqs, sdh) return to_url_object(url_parse(s, pqs, sdh), this) end)
R.method(UrlPrototype, "format", 0, function(this) return format_record(record_of(this)) end)
R.method(UrlPrototype, "resolveObject", 1, function(this, rel)
  local r = type(rel) == "string" and parse_record(rel, false, true) or record_of(rel)
  return to_url_object(resolve_record(record_of(this), r))
end)
R.method(UrlPrototype, "resolve", 1, function(this, rel)
  return format_record(resolve_record(record_of(this), parse_record(R.tostr(rel), false, true)))
end)

-- url.format(URL, {auth, fragment, search, unicode})
local function format_whatwg(u, opts)
  local c = R.new(URL(), u.href)
  if type(opts) == "table" and opts ~= null then
    local function off(k) local v = opts[k]; return v ~= nil and v ~= null and not R.truthy(v) end
    if off("fragment") then c.hash = "" end
    if off("search") then c.search = "" end
    if off("auth") then c.username = ""; c.password = "" end
    local uni = opts.unicode
    if uni ~= nil and uni ~= null and R.truthy(uni) then
      local host = c.hostname
      local h = domain_to_unicode(host)
      if h ~= host then
        local href = c.href
        local a, b = sfind(href, host, 1, true)
        if a then return ssub(href, 1, a - 1) .. h .. ssub(href, b + 1) end
      end
    end
  elseif opts ~= nil and opts ~= null then
    R.throw(invalid_arg_type("options", "Object", opts))
  end
  return c.href
end

---------------------------------------------------------------------------------------------
-- The module

local exports = R.newobj()
local export = N.export
put(exports, "Url", Url)
export(exports, "parse", 3, function(_, s, pqs, sdh) return to_url_object(url_parse(s, pqs, sdh)) end)
export(exports, "resolve", 2, function(_, from, to)
  return format_record(resolve_record(url_parse(from, false, true), url_parse(to, false, true)))
end)
export(exports, "resolveObject", 2, function(_, from, to)
  if type(from) ~= "string" then return UrlPrototype.resolveObject(from, to) end
  return to_url_object(resolve_record(url_parse(from, false, true), url_parse(to, false, true)))
end)
export(exports, "format", 2, function(_, o, opts)
  if type(o) == "string" then return format_record(parse_record(o, false, false)) end
  if type(o) ~= "table" or o == null then R.throw(invalid_arg_type("urlObject", {"object", "string"}, o)) end
  if is_url(o) then return format_whatwg(o, opts) end
  return format_record(record_of(o))
end)
put(exports, "URL", URL())
put(exports, "URLSearchParams", R.builtin_global("URLSearchParams"))
export(exports, "domainToASCII", 1, function(_, d) return domain_to_ascii(d) end)
export(exports, "domainToUnicode", 1, function(_, d) return domain_to_unicode(d) end)
export(exports, "pathToFileURL", 1, function(_, p) return path_to_file_url(p) end)
export(exports, "fileURLToPath", 1, function(_, u) return file_url_to_path(u) end)
export(exports, "urlToHttpOptions", 1, function(_, u)
  local o = N.jsobject("protocol", u.protocol, "hostname", ssub(u.hostname, 1, 1) == "[" and ssub(u.hostname, 2, -2) or u.hostname,
    "hash", u.hash, "search", u.search, "pathname", u.pathname, "path", u.pathname .. u.search, "href", u.href)
  R.setproto(o, null)
  if u.port ~= "" then put(o, "port", R.tonum(u.port)) end
  if u.username ~= "" or u.password ~= "" then
    put(o, "auth", G.decodeURIComponent(nil, u.username) .. ":" .. G.decodeURIComponent(nil, u.password))
  end
  return o
end)
M.exports = exports

return M
