-- ljs.regexp: the RegExp built-in over ljs.regexp_engine, and the RegExp side of
-- String.prototype.match/matchAll/replace/search/split (R.re_*).
--
-- The engine works in 1-based byte positions of the UTF-8 subject; everything JS sees
-- (lastIndex, index, offsets passed to replacers) is in UTF-16 units, converted through
-- the unit tables of ljs.string.
local R = require("ljs.core")
require("ljs.string")
local E = require("ljs.regexp_engine")

local type, rawget, rawset, setmetatable, pcall, error, next, pairs =
      type, rawget, rawset, setmetatable, pcall, error, next, pairs
local unpack = unpack
local floor = math.floor
local ffi = require("ffi")
local ssub, sfind = string.sub, string.find
local concat = table.concat
local null, ArrayMT, StringPrototype = R.null, R.ArrayMT, R.StringPrototype
local tostr, tonum, type_error, throw_error = R.tostr, R.tonum, R.type_error, R.throw_error
local exec_engine = E.exec
local str_info, cp_end, expand, unit_of = R.str_info, R.str_cp_end, R.str_expand, R.str_b2u_inf

-- Private keys of a RegExp instance: the compiled entry and the escaped source.
local PROG = setmetatable({}, {__tostring = function() return "<regexp>" end})
local SOURCE = {}
R.REGEXP_PROG = PROG

-- EscapeRegExpPattern: the `source` text that reads back as the same pattern inside /.../:
-- unescaped '/' outside classes and line terminators get escapes; "" becomes "(?:)".
local LT_ESC = {["\n"] = "\\n", ["\r"] = "\\r", ["\226\128\168"] = "\\u2028", ["\226\128\169"] = "\\u2029"}
local function escape_source(src)
  if src == "" then return "(?:)" end
  if not sfind(src, "[/\n\r\226]") then return src end
  local out, n, i, len = {}, 0, 1, #src
  local inclass = false
  while i <= len do
    local c = ssub(src, i, i)
    if c == "\\" then
      local nxt = ssub(src, i + 1, i + 1)
      if LT_ESC[nxt] then n = n + 1; out[n] = "\\" .. ssub(LT_ESC[nxt], 2); i = i + 2
      else n = n + 1; out[n] = ssub(src, i, i + 1); i = i + 2 end
    elseif c == "/" and not inclass then n = n + 1; out[n] = "\\/"; i = i + 1
    elseif c == "[" then inclass = true; n = n + 1; out[n] = c; i = i + 1
    elseif c == "]" then inclass = false; n = n + 1; out[n] = c; i = i + 1
    elseif LT_ESC[c] then n = n + 1; out[n] = LT_ESC[c]; i = i + 1
    elseif c == "\226" and LT_ESC[ssub(src, i, i + 2)] then n = n + 1; out[n] = LT_ESC[ssub(src, i, i + 2)]; i = i + 3
    else n = n + 1; out[n] = c; i = i + 1 end
  end
  return concat(out)
end

---------------------------------------------------------------------------------------------
-- Compilation, cached by flags and source. An entry is {prog, flags, g, y, d, u, ngroups,
-- groupnames, hasnames}.
local cache, ncached, MAXCACHE = {}, 0, 1000

local function compile(source, flags)
  local byflags = cache[flags]
  local c = byflags and byflags[source]
  if c then return c end
  local ok, prog = pcall(E.compile, source, flags)
  if not ok then
    if type(prog) == "string" then throw_error("SyntaxError", prog) end
    error(prog, 0)
  end
  local fl = prog.flags
  c = {
    prog = prog, flags = fl, ngroups = prog.ngroups, groupnames = prog.groupnames,
    hasnames = next(prog.names) ~= nil,
    g = sfind(fl, "g", 1, true) ~= nil, y = sfind(fl, "y", 1, true) ~= nil,
    d = sfind(fl, "d", 1, true) ~= nil, u = sfind(fl, "[uv]") ~= nil,
  }
  c.escaped = escape_source(source)
  if ncached >= MAXCACHE then cache = {}; ncached = 0 end  -- dynamic patterns: bounded memory
  byflags = cache[flags]
  if not byflags then byflags = {}; cache[flags] = byflags end
  byflags[source] = c
  ncached = ncached + 1
  return c
end

---------------------------------------------------------------------------------------------
-- RegExp objects
local RegExpPrototype = R.newobj()
R.RegExpPrototype = RegExpPrototype

local function isregexp(v)
  return type(v) == "table" and rawget(v, PROG) ~= nil
end
R.isregexp = isregexp

local function init(o, source, flags)
  local c = compile(source, flags)
  rawset(o, PROG, c)
  rawset(o, SOURCE, c.escaped)
  rawset(o, "lastIndex", 0)   -- raw and outside the shape: own, writable, non-enumerable
  return o
end

local function new_regexp(source, flags)
  return init(setmetatable({}, R.protomt(RegExpPrototype)), source, flags)
end

-- Source and flags strings from the constructor's arguments (a RegExp lends its own).
local function source_flags(pattern, flags)
  local source
  if isregexp(pattern) then
    local c = rawget(pattern, PROG)
    source = c.prog.source
    if flags == nil then flags = c.flags end
  elseif pattern == nil then
    source = ""
  else
    source = tostr(pattern)
  end
  return source, flags == nil and "" or tostr(flags)
end

local function create(pattern, flags)
  return new_regexp(source_flags(pattern, flags))
end
R.re_create = create

local RegExp = function(this, pattern, flags)
  if R.constructing(this, RegExpPrototype) then return init(this, source_flags(pattern, flags)) end
  -- RegExp(re) without flags returns re itself when re.constructor is RegExp
  if isregexp(pattern) and flags == nil and pattern.constructor == R.G.RegExp then return pattern end
  return create(pattern, flags)
end
R.ctor("RegExp", 2, RegExp, RegExpPrototype)
R.species(RegExp)

-- A regular expression literal: a new object per evaluation, one compilation per site.
function R.regex(source, flags)
  local c = compile(source, flags or "")
  -- (one constructor: three rawsets into an empty table grew its hash part three times)
  return setmetatable({[PROG] = c, [SOURCE] = c.escaped, lastIndex = 0}, R.protomt(RegExpPrototype))
end

local function thisre(this, name)
  if not isregexp(this) then
    type_error("Method RegExp.prototype." .. name .. " called on incompatible receiver " .. R.descr(this))
  end
  return rawget(this, PROG)
end

-- Accessors on the prototype; on RegExp.prototype itself they give JS's defaults. `flags`
-- (generic) builds its string from the properties of any other object.
local FLAG_PROPS = {{"hasIndices", "d"}, {"global", "g"}, {"ignoreCase", "i"}, {"multiline", "m"},
                    {"dotAll", "s"}, {"unicode", "u"}, {"unicodeSets", "v"}, {"sticky", "y"}}
local function accessor(name, get, proto_value)
  local f = function(this)
    if isregexp(this) then return get(this, rawget(this, PROG)) end
    if this == RegExpPrototype then return proto_value end
    if name == "flags" and R.isobject(this) then
      local out = {}
      for _, p in ipairs(FLAG_PROPS) do
        if R.truthy(this[p[1]]) then out[#out + 1] = p[2] end
      end
      return table.concat(out)
    end
    type_error("RegExp.prototype." .. name .. " getter called on non-object " .. R.tostr(this))
  end
  R.fnames[f] = "get " .. name
  R.fnlens[f] = 0
  R.arrows[f] = true
  R.defprop(RegExpPrototype, name, {get = f, enumerable = false, configurable = true})
end
accessor("source", function(o) return rawget(o, SOURCE) end, "(?:)")
accessor("flags", function(_, c) return c.flags end, "")
for name, letter in pairs({global = "g", ignoreCase = "i", multiline = "m", dotAll = "s",
                            sticky = "y", unicode = "u", unicodeSets = "v", hasIndices = "d"}) do
  accessor(name, function(_, c) return sfind(c.flags, letter, 1, true) ~= nil end, nil)
end

---------------------------------------------------------------------------------------------
-- Matching

-- ToLength(lastIndex)
local function get_lastindex(rx)
  local v = rx.lastIndex
  if type(v) ~= "number" then v = tonum(v) end
  if v ~= v or v <= 0 then return 0 end
  return floor(v)
end

local function set_lastindex(rx, v)
  if rawget(rx, "lastIndex") ~= nil then rawset(rx, "lastIndex", v) else rx.lastIndex = v end
end

-- Unit index of byte position p (inf: unit table or nil for ASCII).
local function u_of(inf, p)
  if not inf then return p - 1 end
  return unit_of(inf, p)
end

-- Byte position of the code point at or after unit i.
local function b_of(inf, i)
  if not inf then return i + 1 end
  local pos = inf.pos
  local p = pos[i]
  if i > 0 and p == pos[i - 1] then return pos[i + 1] end
  return p
end

-- Capture strings 1..ngroups (nil when unmatched) of an engine result.
-- group i of a match, or nil
local function group(s, caps, i)
  local st = caps[2 * i - 1]
  if st then return ssub(s, st, caps[2 * i] - 1) end
  return nil
end

local function capture_strings(s, c, caps)
  local t = {}
  for i = 1, c.ngroups do t[i] = group(s, caps, i) end
  return t
end

local function groups_object(c, capstr)
  local g = setmetatable({}, R.protomt(null))
  local names = c.groupnames
  for i = 1, c.ngroups do
    local name = names[i]
    if name then
      R.addkey(g, name)
      rawset(g, name, capstr[i])
    end
  end
  return g
end

-- The exec() result array for a match [ms, me) of s.
-- (the match array's own keys besides its elements, laid out by its constructor: stores through
-- the array's __newindex cost a tenth of a short exec)
local MATCH_SHAPE = R.shape({"index", "input", "groups"})
local SHAPE = R.SHAPE
local function match_result(c, s, inf, ms, me, caps)
  local ng = c.ngroups
  local whole, index = ssub(s, ms, me - 1), u_of(inf, ms)
  -- (up to three groups, one constructor sized for all the array's slots: stores past it
  -- would grow the table twice)
  local a
  if ng == 0 then
    a = {[0] = whole, length = 1, index = index, input = s, [SHAPE] = MATCH_SHAPE}
  elseif ng == 1 then
    a = {[0] = whole, group(s, caps, 1), length = 2, index = index, input = s, [SHAPE] = MATCH_SHAPE}
  elseif ng == 2 then
    a = {[0] = whole, group(s, caps, 1), group(s, caps, 2), length = 3, index = index, input = s,
         [SHAPE] = MATCH_SHAPE}
  elseif ng == 3 then
    a = {[0] = whole, group(s, caps, 1), group(s, caps, 2), group(s, caps, 3), length = 4, index = index,
         input = s, [SHAPE] = MATCH_SHAPE}
  else
    a = {[0] = whole, length = ng + 1, index = index, input = s, [SHAPE] = MATCH_SHAPE}
    for i = 1, ng do a[i] = group(s, caps, i) end
  end
  if c.hasnames then a.groups = groups_object(c, a) end
  setmetatable(a, ArrayMT)
  if c.d then
    local ind = {length = ng + 1}
    ind[0] = R.pack(u_of(inf, ms), u_of(inf, me))
    for i = 1, ng do
      local st = caps[2 * i - 1]
      if st then ind[i] = R.pack(u_of(inf, st), u_of(inf, caps[2 * i])) end
    end
    setmetatable(ind, ArrayMT)
    local ig
    if c.hasnames then
      ig = setmetatable({}, R.protomt(null))
      for i = 1, ng do
        local name = c.groupnames[i]
        if name then R.addkey(ig, name); rawset(ig, name, ind[i]) end
      end
    end
    ind.groups = ig
    a.indices = ind
  end
  return a
end

-- RegExpBuiltinExec without building the result: returns ms, me, caps, inf or nil.
local function exec_raw(rx, s, borrow)
  local c = rawget(rx, PROG)
  local global, sticky = c.g, c.y
  local li = 0
  if global or sticky then li = get_lastindex(rx) end
  local inf = str_info(s)
  local n = inf and inf.n or #s
  if li > n then
    if global or sticky then set_lastindex(rx, 0) end
    return nil
  end
  local ms, me, caps = exec_engine(c.prog, s, b_of(inf, li), sticky, borrow)
  if not ms then
    if global or sticky then set_lastindex(rx, 0) end
    return nil
  end
  if global or sticky then set_lastindex(rx, u_of(inf, me)) end
  return ms, me, caps, inf
end

local function exec(rx, s)
  local ms, me, caps, inf = exec_raw(rx, s, true)
  if not ms then return null end
  return (match_result(rawget(rx, PROG), s, inf, ms, me, caps))
end
R.re_exec = exec

-- RegExpExec: a user-defined exec on the object wins over the built-in one.
local builtin_exec
local function regexp_exec(rx, s)
  local f = rx.exec
  if f ~= builtin_exec and type(f) == "function" then
    local r = f(rx, s)
    if r ~= null and not R.isobject(r) then type_error("object null is not a function") end
    return r
  end
  return exec(rx, s)
end

builtin_exec = R.method(RegExpPrototype, "exec", 1, function(this, str)
  thisre(this, "exec")
  return exec(this, tostr(str))
end)

local builtin_test = R.method(RegExpPrototype, "test", 1, function(this, str)
  thisre(this, "test")
  local s = tostr(str)
  if this.exec ~= builtin_exec then
    local r = regexp_exec(this, s)
    return r ~= null and r ~= nil
  end
  return exec_raw(this, s, true) ~= nil
end)

-- A regex literal that a built-in method consumes where it stands (`/re/.test(s)`,
-- `s.replace(/re/g, f)`) is an object no program can see again: while the methods that would
-- see it are the built-in ones, one object per literal serves every evaluation, its lastIndex
-- back at 0 (the site {source, flags} keeps it), instead of a new one each time. Each use
-- resets it after the last user code that runs before the match (ToString of the argument), so
-- a reentrant use of the same literal from that code cannot leave its lastIndex behind.
local function site_regex(site)
  local rx = site.rx
  if rx == nil then rx = R.regex(site[1], site[2]); site.rx = rx end
  rawset(rx, "lastIndex", 0)
  return rx
end
local function builtin_exec_in_place()
  return rawget(RegExpPrototype, "exec") == builtin_exec
end
function R.re_lit_test(site, str)
  if rawget(RegExpPrototype, "test") ~= builtin_test or not builtin_exec_in_place() then
    return R.regex(site[1], site[2]):test(str)
  end
  local s = tostr(str)
  return exec_raw(site_regex(site), s, true) ~= nil
end
function R.re_lit_exec(site, str)
  if not builtin_exec_in_place() then return R.regex(site[1], site[2]):exec(str) end
  local s = tostr(str)
  return exec(site_regex(site), s)
end
-- the literal as the first argument of String.prototype[name] called on s
local builtin_string = R.builtin_string_methods
function R.re_arg(site, s, name)
  if type(s) == "string" and rawget(StringPrototype, name) == builtin_string[name] and builtin_exec_in_place() then
    return site_regex(site)
  end
  return R.regex(site[1], site[2])
end

R.method(RegExpPrototype, "toString", 0, function(this)
  if not R.isobject(this) then
    type_error("RegExp.prototype.toString requires that 'this' be an Object")
  end
  return "/" .. tostr(this.source) .. "/" .. tostr(this.flags)
end)

R.method(RegExpPrototype, "compile", 2, function(this, pattern, flags)
  thisre(this, "compile")
  local o = create(pattern, flags)
  rawset(this, PROG, rawget(o, PROG)); rawset(this, SOURCE, rawget(o, SOURCE))
  set_lastindex(this, 0)
  return this
end)

---------------------------------------------------------------------------------------------
-- The String.prototype side

-- Position after an empty match at byte p: one code point on.
local function advance(s, p)
  if p > #s then return p + 1 end
  return cp_end(s, p)
end

-- All matches of a global regexp from position 1: lists of ms, me, caps.
-- every match of a global regexp in s: list[3i-2], list[3i-1], list[3i] = the i-th match's start,
-- end and captures
local function all_matches(c, s)
  local list, n = {}, 0
  local p, len = 1, #s
  local prog, sticky = c.prog, c.y
  while p <= len + 1 do
    local ms, me, caps = exec_engine(prog, s, p, sticky)
    if not ms then break end
    list[n + 1], list[n + 2], list[n + 3] = ms, me, caps
    n = n + 3
    if me == ms then p = advance(s, me) else p = me end
  end
  return list, n / 3
end

function R.re_match(rx, s)
  local c = rawget(rx, PROG)
  if not c.g then return regexp_exec(rx, s) end
  if rx.exec ~= builtin_exec then
    -- generic protocol through the user's exec
    set_lastindex(rx, 0)
    local out, n = {}, 0
    while true do
      local r = regexp_exec(rx, s)
      if r == null or r == nil then break end
      local m = tostr(r[0])
      n = n + 1; out[n] = m
      if m == "" then set_lastindex(rx, get_lastindex(rx) + 1) end
    end
    if n == 0 then return null end
    local a = {length = n}
    for i = 1, n do a[i - 1] = out[i] end
    return setmetatable(a, ArrayMT)
  end
  -- the matched strings alone: no list of matches, no captures
  local a, n = {}, 0
  local p, len = 1, #s
  local prog, sticky = c.prog, c.y
  while p <= len + 1 do
    local ms, me = exec_engine(prog, s, p, sticky, true)
    if not ms then break end
    a[n] = ssub(s, ms, me - 1)
    n = n + 1
    if me == ms then p = advance(s, me) else p = me end
  end
  set_lastindex(rx, 0)
  if n == 0 then return null end
  a.length = n
  return setmetatable(a, ArrayMT)
end

function R.re_search(rx, s)
  local c = rawget(rx, PROG)
  local saved = rx.lastIndex
  local ms = exec_engine(c.prog, s, 1, c.y)
  set_lastindex(rx, saved)
  if not ms then return -1 end
  return u_of(str_info(s), ms)
end

-- RegExp.prototype[Symbol.replace] for built-in regexps. `all` is only a marker of
-- replaceAll; the g flag decides, as in JS.
-- the replacement string repl for the match [ms, me) of s, its $-patterns expanded
local function expanded(c, s, repl, ms, me, caps)
  local capstr = capture_strings(s, c, caps)
  return expand(repl, ssub(s, ms, me - 1), s, ms, capstr, c.ngroups,
                c.hasnames and groups_object(c, capstr) or nil)
end

-- s with every match of global regexp c replaced by the string repl ($-patterns expanded),
-- written into one buffer: no list of matches, no piece of s copied out of it
local replaced = require("string.buffer").new()
local cstr = ffi.typeof("const char *")
local function replace_all(c, s, repl)
  local prog, sticky, literal = c.prog, c.y, not sfind(repl, "$", 1, true)
  local lit = prog.literal
  if lit and literal and not sticky and R.gsub_plain and not sfind(lit, "\0", 1, true) then
    -- a pattern of plain characters: the string's own replaceAll (one string.gsub)
    return R.gsub_plain(s, lit, repl)
  end
  local out, base = nil, ffi.cast(cstr, s)
  local p, last, len = 1, 1, #s
  while p <= len + 1 do
    local ms, me, caps = exec_engine(prog, s, p, sticky, true)
    if not ms then break end
    out = out or replaced:reset()
    out:putcdata(base + last - 1, ms - last)
    out:put(literal and repl or expanded(c, s, repl, ms, me, caps))
    last = me
    if me == ms then p = advance(s, me) else p = me end
  end
  if not out then return s end
  out:putcdata(base + last - 1, len - last + 1)
  return out:tostring()
end

function R.re_replace(rx, s, repl, _)
  local c = rawget(rx, PROG)
  local fn = (type(repl) == "function" or R.typeof(repl) == "function") and repl
  if not fn then repl = tostr(repl) end
  if c.g and not fn then
    set_lastindex(rx, 0)
    return replace_all(c, s, repl)
  end
  local list, n
  if c.g then
    set_lastindex(rx, 0)
    list, n = all_matches(c, s)
  else
    local ms, me, caps = exec_raw(rx, s)
    if ms then list, n = {ms, me, caps}, 1 else list, n = nil, 0 end
  end
  if n == 0 then return s end
  local inf = fn and str_info(s)
  local out, k, last = {}, 0, 1
  local ng = c.ngroups
  local literal = not fn and not sfind(repl, "$", 1, true)
  for i = 1, n do
    local ms, me, caps = list[3 * i - 2], list[3 * i - 1], list[3 * i]
    local r
    if not fn then
      r = literal and repl or expanded(c, s, repl, ms, me, caps)
    else
      local capstr = capture_strings(s, c, caps)
      local groups = c.hasnames and groups_object(c, capstr) or nil
      local args = {ssub(s, ms, me - 1)}
      for j = 1, ng do args[j + 1] = capstr[j] end
      args[ng + 2] = u_of(inf, ms)
      args[ng + 3] = s
      local na = ng + 3
      if groups then na = na + 1; args[na] = groups end
      r = tostr(fn(nil, unpack(args, 1, na)))
    end
    if ms >= last then
      k = k + 1; out[k] = ssub(s, last, ms - 1)
      k = k + 1; out[k] = r
      last = me
    end
  end
  k = k + 1; out[k] = ssub(s, last)
  return concat(out)
end

local function split_push(out, n, v)
  rawset(out, n, v); rawset(out, "length", n + 1)
  return n + 1
end
function R.re_split(rx, s, limit)
  local c = rawget(rx, PROG)
  local lim = limit == nil and 4294967295 or R.touint32(limit)
  local out, n = {length = 0}, 0
  setmetatable(out, ArrayMT)
  if lim == 0 then return out end
  local prog = c.prog
  local size = #s
  if size == 0 then
    if not exec_engine(prog, s, 1, true) then rawset(out, 0, s); rawset(out, "length", 1) end
    return out
  end
  local p, q = 1, 1
  local ng = c.ngroups
  while q <= size do
    local ms, me, caps = exec_engine(prog, s, q, false, true)
    if not ms or ms > size then break end
    if me == p then
      q = advance(s, ms)
    else
      n = split_push(out, n, ssub(s, p, ms - 1))
      if n >= lim then return out end
      p = me
      for i = 1, ng do
        n = split_push(out, n, group(s, caps, i))
        if n >= lim then return out end
      end
      q = p
    end
  end
  split_push(out, n, ssub(s, p))
  return out
end

-- matchAll: an iterator over exec() results of a copy of rx.
local ITER_RX, ITER_S, ITER_DONE = {}, {}, {}
local RegExpStringIteratorPrototype = R.newobj(R.IteratorPrototype or R.ObjectPrototype)
R.RegExpStringIteratorPrototype = RegExpStringIteratorPrototype

local function iter_result(v, done)
  local f = R.iter_result
  if f then return f(v, done) end
  return R.obj({value = v, done = done}, R.shape({"value", "done"}))
end

R.method(RegExpStringIteratorPrototype, "next", 0, function(this)
  local rx = type(this) == "table" and rawget(this, ITER_RX)
  if not rx then type_error("next method called on incompatible receiver " .. R.descr(this)) end
  if rawget(this, ITER_DONE) then return iter_result(nil, true) end
  local s = rawget(this, ITER_S)
  local r = regexp_exec(rx, s)
  if r == null or r == nil then
    rawset(this, ITER_DONE, true)
    return iter_result(nil, true)
  end
  if rawget(rx, PROG).g then
    if tostr(r[0]) == "" then
      -- step over the empty match by one code point (at the end: past it, as AdvanceStringIndex)
      local li = get_lastindex(rx)
      if li >= R.strlen(s) then
        set_lastindex(rx, li + 1)
      else
        local inf = str_info(s)
        set_lastindex(rx, u_of(inf, advance(s, b_of(inf, li))))
      end
    end
  else
    rawset(this, ITER_DONE, true)
  end
  return iter_result(r, false)
end)
if not R.IteratorPrototype then
  R.method(RegExpStringIteratorPrototype, R.sym_iterator, 0, function(this) return this end)
end
if R.sym_toStringTag then
  R.tag(RegExpStringIteratorPrototype, "RegExp String Iterator")
end

-- Well-known symbols (ljs.symbol adopts these when it loads later).
local function wellknown(name)
  local field = "sym_" .. name
  local sym = R[field]
  if not sym then sym = R.newsymbol("Symbol." .. name); R[field] = sym end
  return sym
end

R.method(RegExpPrototype, wellknown("match"), 1, function(this, str)
  thisre(this, "[Symbol.match]")
  return R.re_match(this, tostr(str))
end)
R.method(RegExpPrototype, wellknown("matchAll"), 1, function(this, str)
  thisre(this, "[Symbol.matchAll]")
  return R.re_matchall(this, tostr(str))
end)
R.method(RegExpPrototype, wellknown("replace"), 2, function(this, str, repl)
  thisre(this, "[Symbol.replace]")
  return R.re_replace(this, tostr(str), repl)
end)
R.method(RegExpPrototype, wellknown("search"), 1, function(this, str)
  thisre(this, "[Symbol.search]")
  return R.re_search(this, tostr(str))
end)
R.method(RegExpPrototype, wellknown("split"), 2, function(this, str, limit)
  thisre(this, "[Symbol.split]")
  return R.re_split(this, tostr(str), limit)
end)

function R.re_matchall(rx, s)
  local c = rawget(rx, PROG)
  local copy = setmetatable({}, R.protomt(RegExpPrototype))
  rawset(copy, PROG, c)
  rawset(copy, SOURCE, rawget(rx, SOURCE))
  rawset(copy, "lastIndex", get_lastindex(rx))
  local it = R.newobj(RegExpStringIteratorPrototype)
  rawset(it, ITER_RX, copy); rawset(it, ITER_S, s)
  return it
end

return R
