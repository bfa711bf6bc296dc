-- ljs.error: Error and its subclasses, stacks mapped to .ljs lines, Lua errors as JS errors.
local R = require("ljs.core")
local G, null = R.G, R.null
local getinfo = debug.getinfo
local sfind, smatch, sgsub, ssub = string.find, string.match, string.gsub, string.sub

local ErrorPrototype = R.newobj()
R.ErrorPrototype = ErrorPrototype

-- Lua line → .ljs line tables of loaded chunks, keyed by chunk name ("@/path/app.ljs").
local linemaps = {}
R.linemaps = linemaps
-- Lua line → source texts of the calls on it, for "x.y is not a function"
R.callnames = {}

-- A chunk's table holds line * COLUMNS + column (luascript/compiler.py, CompileResult.positions).
local COLUMNS = 1048576
local floor = math.floor
local function jspos(source, line)
  local m = linemaps[source]
  if not m then return nil end
  local p = m[line]
  while not p and line > 1 do line = line - 1; p = m[line] end
  if not p then return nil end
  return floor(p / COLUMNS), p % COLUMNS
end
R.jspos = jspos
local function jsline(source, line) return (jspos(source, line)) end
R.jsline = jsline
-- "path:line:col" (no column from a bundle made before there were columns)
local function where(path, l, c) return path .. ":" .. l .. (c > 0 and ":" .. c or "") end

-- The constructor an object's prototype chain names, read raw: formatting a stack runs no getter.
local function constructor_of(o)
  for _ = 1, 32 do
    local c = rawget(o, "constructor")
    if c ~= nil then return c end
    local mt = debug.getmetatable(o)
    o = type(mt) == "table" and rawget(mt, "proto")
    if type(o) ~= "table" then return nil end
  end
end

-- A stack is made for every error, most of them never shown, so what its lines are made of is
-- made once: the position of each Lua line, each function's frame name, each line's text.
local weak = {__mode = "k"}
local at_cache = setmetatable({}, weak)      -- line map -> Lua line -> "path:line:col" or false
local function at_of(src, line)
  local m = linemaps[src]
  local c = at_cache[m]
  if not c then c = {}; at_cache[m] = c end
  local at = c[line]
  if at == nil then
    local l, col = jspos(src, line)
    at = l and where(ssub(src, 2), l, col) or false
    c[line] = at
  end
  return at
end

-- The name V8 gives the frame of f called with `this`: "new C" in a constructor, "Type.m" for
-- a method called on an object, the function's own name otherwise; nil for an anonymous one.
-- What does not depend on `this` is kept per function: false (anonymous), {fixed = name}, or
-- {name = name, by = {owner -> "Type.m"}} for a name a receiver's type may qualify.
local frames = setmetatable({}, weak)
local NO_OWNER = {}
local function frame_of(f)
  local rec = frames[f]
  if rec ~= nil then return rec end
  local name = R.fnames[f]
  if name == nil or name == "" then
    rec = false
  elseif not R.is_class then   -- (rt.lua, loaded after this, defines it: keep nothing before)
    return {fixed = name}
  elseif R.is_class(f) then
    rec = {fixed = "new " .. name}
  elseif sfind(name, "^[gs]et ") then
    rec = {fixed = name .. " [as " .. ssub(name, 5) .. "]"}
  else
    rec = {name = name, by = setmetatable({}, weak)}
  end
  frames[f] = rec
  return rec
end
local function frame_name(f, this, rec)
  rec = rec or frame_of(f)
  if not rec then return nil end
  if rec.fixed then return rec.fixed end
  local name = rec.name
  local tt = type(this)
  if (tt ~= "table" and tt ~= "function") or this == G then return name end
  local owner = this
  if tt == "table" then
    owner = constructor_of(this)
    if owner == f then return "new " .. name end
  end
  local key = owner == nil and NO_OWNER or owner
  local full = rec.by[key]
  if full == nil then
    local tname = type(owner) == "function" and R.fnames[owner]
    full = (tname and tname ~= "") and tname .. "." .. name or name
    rec.by[key] = full
  end
  return full
end

-- "    at name (path:line:col)", made once per name and position
local line_cache = {}
local function frame_line(name, at)
  local byname = line_cache[at]
  if not byname then byname = {}; line_cache[at] = byname end
  local key = name or false
  local text = byname[key]
  if not text then
    text = name and ("    at " .. name .. " (" .. at .. ")") or ("    at " .. at)
    byname[key] = text
  end
  return text
end

-- What a frame's function tells once: {source, whether its frame stands for the function
-- around it}. (getinfo's "S" formats a short source name into a new string at every call.)
local fmeta = setmetatable({}, weak)
local function meta_of(f)
  local m = fmeta[f]
  if not m then
    local info = getinfo(f, "Su")
    m = {info.source, info.nparams == 0 and info.what ~= "main"}
    fmeta[f] = m
  end
  return m
end

-- Error.stackTraceLimit (10, as V8's), read as V8 reads it: a data property, a number
local Error_props
local function trace_limit()
  if not Error_props then return 10 end
  local v = rawget(Error_props, "stackTraceLimit")
  if type(v) ~= "number" then return nil end   -- (V8 then records no stack at all)
  if v ~= v then return 0 end
  return v
end

-- The .ljs frames of the current Lua stack, starting `level` frames up, as V8 prints them.
local function stack_lines(level)
  local out, n, inner_at = {}, 0, nil
  local limit = trace_limit() or 0
  while n < limit do
    local info = getinfo(level, "fl")
    if not info then break end
    local meta = meta_of(info.func)
    local src = meta[1]
    local line = info.currentline
    if line and line > 0 and linemaps[src] then
      local at = at_of(src, line)
      if at then
        at = inner_at or at
        if meta[2] then
          -- a try block's body (compiled functions take `this` first): its position stands
          -- for the frame of the function around it
          inner_at = at
        else
          inner_at = nil
          n = n + 1
          local f = info.func
          local rec = frame_of(f)
          local this = nil
          if rec and rec.name then
            -- arrows name their first parameter J0_: they have no `this` of their own
            local pname, v = debug.getlocal(level, 1)
            if pname == "this" then this = v end
          end
          out[n] = frame_line(frame_name(f, this, rec), at)
        end
      end
    end
    level = level + 1
  end
  -- (the body of an async function or generator runs on a coroutine of its own)
  if inner_at and n < limit then out[n + 1] = "    at " .. inner_at end
  return table.concat(out, "\n")
end
R.stack_lines = stack_lines

-- Function.prototype.toString of a compiled function: its source text, which the host finds
-- where the function's first Lua line maps to (nil: the runtime's own, or an eval's)
function R.function_source(f)
  local info = getinfo(f, "S")
  local src = info and info.source
  if not (src and linemaps[src] and R.host_function_text) then return nil end
  local l, c = jspos(src, info.linedefined)
  if not l then return nil end
  local ok, text = pcall(R.host_function_text, ssub(src, 2), l, c)
  if ok and type(text) == "string" then return text end
end

-- Objects made by an Error constructor (their [[ErrorData]] slot), for Error.isError: an object
-- that merely inherits from Error.prototype is not one.
local error_data = setmetatable({}, {__mode = "k"})
-- The stack string of each error as made: Error.prototype.stack (an accessor, as the
-- error-stack-accessor proposal has it) reads it here. Errors also carry it as an own
-- non-enumerable "stack" property, as V8 makes them and node programs see them.
local stacks = setmetatable({}, {__mode = "k"})

-- The header each error's stack was made with, until the stack is shown.
local heads = setmetatable({}, {__mode = "k"})
-- Errors whose own stack property the program deleted (core.lua's R.delete tells).
local deleted = setmetatable({}, {__mode = "k"})
function R.stack_deleted(e) deleted[e] = true end
local function header_of(e, name)
  local header = R.tostr(e.name or name)
  local msg = e.message
  if msg ~= nil and msg ~= "" then header = header .. ": " .. R.tostr(msg) end
  return header
end

-- V8 formats a stack when it is first read, so a name or message given after construction
-- (`this.name = "MyError"` after super(), a class field) is in its header. A raw read of the own
-- property cannot be seen, so the header follows the stores of name and message (core.lua's
-- obj_newindex and R.defdata call restack for errors) until the stack is first shown.
local function restack(e)
  local head = heads[e]
  if head == nil then return end
  local own, s = rawget(e, "stack"), stacks[e]
  if own ~= nil and own ~= s then heads[e] = nil; return end   -- the program stored its own
  local ok, now = pcall(header_of, e, "Error")
  if ok and now ~= head and ssub(s, 1, #head) == head then
    s = now .. ssub(s, #head + 1)
    stacks[e], heads[e] = s, now
    if own ~= nil then rawset(e, "stack", s) end
  end
end
R.restack = restack
-- Whether e's stack has yet to be shown (its header still follows name and message).
function R.stack_pending(e) return heads[e] ~= nil end

-- The stack an error shows (console.log, an uncaught error, the stack accessor): an own "stack"
-- data property a program stored wins.
function R.error_stack(e)
  local own = rawget(e, "stack")
  if own ~= nil and own ~= stacks[e] then return own end
  -- a stack the program set to undefined stays undefined (V8's own property, and the accessor's
  -- own data property alike); one it deleted shows the accessor's again
  if own == nil and stacks[e] ~= nil and error_data[e] and not deleted[e] then return nil end
  restack(e)
  heads[e] = nil
  if own ~= nil then return rawget(e, "stack") end
  return stacks[e]
end

-- Record a stack: in the hidden slot of an error, as an own non-enumerable property elsewhere
-- (Error.captureStackTrace on a plain object, as V8 does).
function R.set_error_stack(e, s)
  if error_data[e] then stacks[e] = s end
  R.unbrand(e)
  rawset(e, "stack", s)
end
local set_error_stack = R.set_error_stack

local function init_error(this, name, message, options)
  error_data[this] = true
  -- V8's order of the own keys: stack (set below), message, cause
  R.note_hidden(this, "stack")
  if message ~= nil then
    rawset(this, "message", R.tostr(message))
    R.note_hidden(this, "message")
  end
  if options ~= nil and R.isobject(options) and R.has(options, "cause") then
    R.defprop(this, "cause", {value = options.cause, writable = true, enumerable = false, configurable = true})
  end
  local header = header_of(this, name)
  if trace_limit() then
    local st = stack_lines(4)
    set_error_stack(this, st ~= "" and (header .. "\n" .. st) or header)
    heads[this] = header
  end
  -- (instances of this prototype take the stores of name and message through obj_newindex)
  local mt = getmetatable(this)
  if mt then mt.errors = true end
  return this
end

local function make_ctor(name, parent_proto, proto)
  local ctor
  ctor = function(this, message, options)
    if not R.constructing(this, proto) then
      this = setmetatable({}, R.protomt(proto))
    end
    return init_error(this, name, message, options)
  end
  R.ctor(name, 1, ctor, proto)
  rawset(proto, "name", name)
  rawset(proto, "message", "")
  return ctor
end

local Error = make_ctor("Error", nil, ErrorPrototype)
-- Error.prototype.toString's text, which is also the header V8 gives a stack it captures for an
-- object that is no error (ErrorUtils::ToString)
local function error_text(this)
  local name = this.name
  name = name == nil and "Error" or R.tostr(name)
  local msg = this.message
  msg = msg == nil and "" or R.tostr(msg)
  if name == "" then return msg end
  if msg == "" then return name end
  return name .. ": " .. msg
end
R.method(ErrorPrototype, "toString", 0, function(this)
  if not R.isobject(this) then R.type_error("Error.prototype.toString requires that 'this' be an Object") end
  return (error_text(this))
end)
-- get/set Error.prototype.stack (proposal error-stack-accessor)
local get_stack = function(this)
  if not R.isobject(this) then R.type_error("Error.prototype.stack getter called on non-object") end
  if not error_data[this] then return nil end
  return R.error_stack(this)
end
local set_stack = function(this, v)
  if not R.isobject(this) then R.type_error("Error.prototype.stack setter called on non-object") end
  if type(v) ~= "string" then R.type_error("Error.prototype.stack value must be a string") end
  if this == ErrorPrototype then R.type_error("Cannot set stack on Error.prototype") end
  -- SetterThatIgnoresPrototypeProperties: a new own data property, or an ordinary [[Set]]
  if G.Reflect.getOwnPropertyDescriptor(nil, this, "stack") == nil then
    local d = R.newobj()
    d.value, d.writable, d.enumerable, d.configurable = v, true, true, true
    if not G.Reflect.defineProperty(nil, this, "stack", d) then
      R.type_error("Cannot define property stack, object is not extensible")
    end
  else
    R.strict_put(this, "stack", v)
  end
end
R.fnames[get_stack], R.fnlens[get_stack] = "get stack", 0
R.fnames[set_stack], R.fnlens[set_stack] = "set stack", 1
R.arrows[get_stack], R.arrows[set_stack] = true, true   -- not constructors
R.defprop(ErrorPrototype, "stack", {get = get_stack, set = set_stack, enumerable = false, configurable = true})
R.own_put(Error, "stackTraceLimit", 10)   -- (V8's: how many frames a stack shows)
Error_props = R.fprop_table(Error)
R.method(Error, "captureStackTrace", 1, function(_, o)
  if R.isobject(o) then set_error_stack(o, error_text(o) .. "\n" .. stack_lines(3)) end
end)

-- Error.isError(value): whether value has an [[ErrorData]] internal slot.
function R.has_error_data(v)
  return type(v) == "table" and error_data[v] == true
end
R.method(Error, "isError", 1, function(_, v)
  return type(v) == "table" and error_data[v] == true
end)

local kinds = {}
for _, name in ipairs({"TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"}) do
  local proto = R.newobj(ErrorPrototype)
  local c = make_ctor(name, ErrorPrototype, proto)
  R.setproto(R.fprop_table(c), Error)   -- statics inherit from Error
  kinds[name] = c
end
kinds.Error = Error

-- AggregateError(errors, message)
do
  local proto = R.newobj(ErrorPrototype)
  local c = function(this, errors, message)
    if not R.constructing(this, proto) then this = setmetatable({}, R.protomt(proto)) end
    init_error(this, "AggregateError", message)
    local list = R.pack()
    if errors ~= nil then for _, v in R.iter(errors) do list[list.length] = v end end
    rawset(this, "errors", list)
    return this
  end
  R.ctor("AggregateError", 2, c, proto)
  rawset(proto, "name", "AggregateError")
  rawset(proto, "message", "")
  kinds.AggregateError = c
end

-- core's throw_error uses this to create proper error objects
function R.make_error(kind, msg)
  local c = kinds[kind] or Error
  return R.new(c, msg)
end

function R.is_error(v)
  if type(v) ~= "table" or v == null then return false end
  local p = R.getproto(v)
  while p and p ~= null do
    if p == ErrorPrototype then return true end
    p = R.getproto(p)
  end
  return false
end

-- The source text of the callee a failed call names, from the call sites on that line.
-- The chunk an error message's position names: Lua shortens a chunk name past 60 bytes to "..."
-- and its tail (a program under a long path lost its callee names and its error positions).
local function chunk_of(src)
  if ssub(src, 1, 3) ~= "..." then return "@" .. src end
  local tail = ssub(src, 4)
  for name in pairs(linemaps) do
    if ssub(name, -#tail) == tail then return name end
  end
  return "@" .. src
end

local function callee_text(e, what, name)
  local src, line = smatch(e, "^([^:\n]*):(%d+): ")
  local calls = src and R.callnames[chunk_of(src)]
  local list = calls and calls[tonumber(line)]
  return list and R.call_named(list, name, what ~= "local" and what ~= "upvalue" and what ~= "global") or name
end

-- Lua runtime errors (strings) become the JS errors a JS engine would raise.
local function strip_position(msg)
  return (sgsub(msg, "^[^:\n]*:%d+: ", ""))
end

function R.lua_error_to_js(e)
  if type(e) ~= "string" then return e end
  local msg = strip_position(e)
  local kind = "TypeError"
  if sfind(msg, "stack overflow", 1, true) or sfind(msg, "too many results to unpack", 1, true) then
    kind, msg = "RangeError", "Maximum call stack size exceeded"
  elseif sfind(msg, "not enough memory", 1, true) then
    kind, msg = "RangeError", "Out of memory"
  else
    local what, name = smatch(msg, "attempt to call a %a+ value %((%a+) '([^']*)'%)")
    if not name then what, name = smatch(msg, "attempt to call (%a+) '([^']*)' %(a %a+ value%)") end
    if name then
      msg = callee_text(e, what, name) .. " is not a function"
    elseif sfind(msg, "attempt to call", 1, true) then
      msg = "value is not a function"
    else
      local n2 = smatch(msg, "attempt to index a %a+ value %(%a+ '([^']*)'%)")
      if n2 then msg = "Cannot read properties of " .. n2 end
    end
    local _ = what
  end
  local err = R.make_error(kind, msg)
  local pos_src, pos_line = smatch(e, "^([^:\n]*):(%d+): ")
  if pos_src then
    local chunk = chunk_of(pos_src)
    local l, c = jspos(chunk, tonumber(pos_line))
    if l then
      local st = stacks[err]
      if st and not sfind(st, "\n", 1, true) then set_error_stack(err, st .. "\n    at " .. where(ssub(chunk, 2), l, c)) end
    end
  end
  return err
end

return R
