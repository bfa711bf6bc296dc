-- ljs.object: Object, Object.prototype, Function.prototype and Reflect.
local R = require("ljs.core")
local null, G, SHAPE, SLOW = R.null, R.G, R.SHAPE, R.SLOW
local ObjectPrototype, FunctionPrototype, ArgumentsMT = R.ObjectPrototype, R.FunctionPrototype, R.ArgumentsMT
local type, rawget, rawset, getmetatable, setmetatable = type, rawget, rawset, getmetatable, setmetatable
local method = R.method

local function toobject(v, what)
  if v == nil or v == null then R.type_error("Cannot convert undefined or null to object") end
  return v
end

local function descriptor_object(d)
  if d == nil then return nil end
  local o = R.newobj()
  if d.get ~= nil or d.set ~= nil then
    o.get = d.get ~= R.NOGET and d.get or nil   -- (a store of nil makes the key all the same)
    o.set = d.set
  else
    o.value = d.value; o.writable = d.writable and true or false
  end
  o.enumerable = d.enumerable and true or false
  o.configurable = d.configurable and true or false
  return o
end

-- FromPropertyDescriptor of a descriptor that may lack fields, as a defineProperty trap gets it:
-- a store through a proxy to a property the target has passes only {value}
local function partial_descriptor_object(d)
  local o = R.newobj()
  if d.value ~= nil or d.hasvalue then o.value = d.value end
  if d.writable ~= nil then o.writable = d.writable end
  if d.get ~= nil or d.hasget then o.get = d.get ~= R.NOGET and d.get or nil end
  if d.set ~= nil or d.hasset then o.set = d.set end
  if d.enumerable ~= nil then o.enumerable = d.enumerable end
  if d.configurable ~= nil then o.configurable = d.configurable end
  return o
end
R.partial_descriptor_object = partial_descriptor_object

local function to_descriptor(o)
  if not R.isobject(o) then R.type_error("Property description must be an object: " .. R.tostr(o)) end
  local d = {}
  if R.has(o, "enumerable") then d.enumerable = R.truthy(o.enumerable) end
  if R.has(o, "configurable") then d.configurable = R.truthy(o.configurable) end
  if R.has(o, "value") then d.value = o.value; d.hasvalue = true end
  if R.has(o, "writable") then d.writable = R.truthy(o.writable) end
  if R.has(o, "get") then
    local g = o.get
    if g ~= nil and type(g) ~= "function" then R.type_error("Getter must be a function: " .. R.tostr(g)) end
    d.get = g; d.hasget = true    -- (`get: undefined` is there too)
  end
  if R.has(o, "set") then
    local s = o.set
    if s ~= nil and type(s) ~= "function" then R.type_error("Setter must be a function: " .. R.tostr(s)) end
    d.set = s; d.hasset = true
  end
  if (d.get ~= nil or d.set ~= nil) and (d.hasvalue or d.writable ~= nil) then
    R.type_error("Invalid property descriptor. Cannot both specify accessors and a value or writable attribute")
  end
  return d
end

-- Object.defineProperty(array, "length", desc): the length stays a data property that is never
-- enumerable or configurable; a new value shortens or extends the array as a store does, and
-- writable: false moves it to the slow table, where stores past it see that it is read-only.
local function define_array_length(o, desc)
  local slow = rawget(o, R.SLOW)
  local d = slow and slow.length
  local writable = (d == nil or d.writable) and not getmetatable(o).fully_frozen
  if desc.get ~= nil or desc.set ~= nil or desc.configurable or desc.enumerable
     or (desc.writable and not writable) then
    R.type_error("Cannot redefine property: length")
  end
  if desc.value ~= nil or desc.hasvalue then
    local n = R.tonum(desc.value)
    if n ~= n or n < 0 or n ~= math.floor(n) or n >= 4294967296 then R.throw_error("RangeError", "Invalid array length") end
    if not writable then
      if n ~= d.value then R.type_error("Cannot redefine property: length") end
    else
      R.setlength(o, n)   -- (a longer array has holes past its old end)
    end
  end
  if desc.writable == false and writable and d == nil then
    local n = rawget(o, "length")
    R.ensure_slow(o).length = {value = n, writable = false, enumerable = false, configurable = false}
    rawset(o, "length", nil)
  elseif desc.writable == false and d then
    d.writable = false
  end
  return true
end

local function define(o, k, desc)
  k = R.tokey(k)
  local pmt = type(o) == "table" and getmetatable(o)
  if pmt and pmt.proxy then return pmt.define(o, k, desc) end
  if k == "length" and pmt and pmt.kind == "array" then return define_array_length(o, desc) end
  -- an array's index at or past its length grows it (not past a read-only length)
  local index = pmt and pmt.kind == "array" and type(k) == "number" and k >= 0 and k < 4294967295
    and k == math.floor(k)
  local len = index and rawget(o, "length")   -- (nil: a read-only length, in the slow table)
  if index and len == nil then
    local ld = rawget(o, R.SLOW)
    ld = ld and ld.length
    if ld and not ld.writable and k >= ld.value then
      R.type_error("Cannot define property " .. R.keystr(k) .. ", object is not extensible")
    end
  end
  local cur = R.getdesc(o, k)
  if cur and cur.configurable == false then
    -- a non-configurable property may only become non-writable, or keep its value; an accessor
    -- keeps its functions
    local same = (desc.value == nil and not desc.hasvalue) or desc.value == cur.value
    local acc = cur.get ~= nil or cur.set ~= nil
    local cur_get = cur.get ~= R.NOGET and cur.get or nil
    if desc.configurable or (desc.enumerable ~= nil and desc.enumerable ~= cur.enumerable)
      or ((desc.get ~= nil or desc.set ~= nil) and not acc)
      or (acc and (desc.hasvalue or desc.writable ~= nil
                   or (desc.get ~= nil or desc.hasget) and desc.get ~= cur_get
                   or (desc.set ~= nil or desc.hasset) and desc.set ~= cur.set))
      or (not cur.writable and not acc and (desc.writable or not same)) then
      R.type_error("Cannot redefine property: " .. R.keystr(k))
    end
  end
  if not cur then
    local mt = getmetatable(o)
    if mt and mt.frozen then R.type_error("Cannot define property " .. R.keystr(k) .. ", object is not extensible") end
  end
  R.defprop(o, k, desc)
  if len and k >= len then
    if k > len then rawset(o, R.HOLES, true) end
    rawset(o, "length", k + 1)
  end
  return true
end

local Object = function(this, v)
  -- super() of a class extending Object: `this`, made for the subclass, is the object
  local nt = R.fn_new_target(this)
  if nt ~= nil and nt ~= Object then return this end
  if v == nil or v == null then return R.newobj() end
  local t = type(v)
  -- primitives become wrapper objects, as `new Number(v)` etc. make them
  if t == "number" then return R.new(G.Number, v) end
  if t == "string" then return R.new(G.String, v) end
  if t == "boolean" then return R.new(G.Boolean, v) end
  return v
end
R.ctor("Object", 1, Object, ObjectPrototype)

-- `this` of a sloppy-mode function called on something other than an object: the global
-- object for undefined and null, a wrapper object for a primitive (as Object(v) makes it)
function R.sloppy_this(v)
  if v == nil or v == null then return G end
  return Object(nil, v)
end
R.reads_new_target(Object)

local listed_shape = R.listed_shape

-- Up to 8 keys, the answers are one table constructor (a shape has no key past n). Neither a
-- loop nor a helper called per key: either would get a trace of its own before the caller's loop
-- does, and the caller's trace would stop at it.
local function array(t, n) t.length = n; return setmetatable(t, R.ArrayMT) end
local function entry(k, v) return setmetatable({[0] = k, v, length = 2}, R.ArrayMT) end
local function small_keys(s) return array({[0] = s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]}, s.n) end
local function small_values(o, s)
  local k1, k2, k3, k4, k5, k6, k7, k8 = s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
  return array({[0] = k1 and o[k1], k2 and o[k2], k3 and o[k3], k4 and o[k4], k5 and o[k5], k6 and o[k6],
    k7 and o[k7], k8 and o[k8]}, s.n)
end
local function small_entries(o, s)
  local k1, k2, k3, k4, k5, k6, k7, k8 = s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
  local A = R.ArrayMT
  return array({[0] = k1 and setmetatable({[0] = k1, o[k1], length = 2}, A),
    k2 and setmetatable({[0] = k2, o[k2], length = 2}, A), k3 and setmetatable({[0] = k3, o[k3], length = 2}, A),
    k4 and setmetatable({[0] = k4, o[k4], length = 2}, A), k5 and setmetatable({[0] = k5, o[k5], length = 2}, A),
    k6 and setmetatable({[0] = k6, o[k6], length = 2}, A), k7 and setmetatable({[0] = k7, o[k7], length = 2}, A),
    k8 and setmetatable({[0] = k8, o[k8], length = 2}, A)}, s.n)
end

local function own_keys(o)
  local s = listed_shape(o)
  if s then return s, s.n end
  return R.ownkeys(o)
end
local function keystr(k) return type(k) == "number" and R.numtostr(k) or k end

method(Object, "keys", 1, function(_, o)
  toobject(o)
  local s = listed_shape(o)
  if s and s.n <= 8 then return small_keys(s) end
  local ks, n = own_keys(o)
  local out = {}
  for i = 1, n do out[i - 1] = keystr(ks[i]) end
  return array(out, n)
end)
method(Object, "values", 1, function(_, o)
  toobject(o)
  local s = listed_shape(o)
  if s and s.n <= 8 then return small_values(o, s) end
  local ks, n = own_keys(o)
  local out = {}
  for i = 1, n do out[i - 1] = o[ks[i]] end
  return array(out, n)
end)
local object_entries = method(Object, "entries", 1, function(_, o)
  toobject(o)
  local s = listed_shape(o)
  if s and s.n <= 8 then return small_entries(o, s) end
  local ks, n = own_keys(o)
  local out = {}
  for i = 1, n do local k = ks[i]; out[i - 1] = entry(keystr(k), o[k]) end
  return array(out, n)
end)
-- for (… of Object.entries(o)) where Object.entries and array iteration are the built-ins: o's
-- keys and values taken when the loop starts, as Object.entries would (one flat list), and each
-- entry made when the loop reaches it. The entries array is one only the loop could see, and an
-- entry the body destructures is then never built (the trace sinks it).
local function entries_step(kv, i)
  i = i + 2
  if i > kv.n then return nil end
  return i, entry(kv[i - 1], kv[i])
end
local function small_flat(o, s)
  local k1, k2, k3, k4, k5, k6, k7, k8 = s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
  return {k1, k1 and o[k1], k2, k2 and o[k2], k3, k3 and o[k3], k4, k4 and o[k4], k5, k5 and o[k5],
    k6, k6 and o[k6], k7, k7 and o[k7], k8, k8 and o[k8], n = 2 * s.n}
end
function R.entries_of(O, entries, o)
  if entries ~= object_entries or R.array_iter_replaced() then
    return R.iter_open(entries(O, o))
  end
  toobject(o)
  local s = listed_shape(o)
  if s and s.n <= 8 then return entries_step, small_flat(o, s), 0 end
  local ks, n = own_keys(o)
  local kv = {n = 2 * n}
  for i = 1, n do local k = ks[i]; kv[2 * i - 1] = keystr(k); kv[2 * i] = o[k] end
  return entries_step, kv, 0
end

-- Object.assign throws on a failed store in sloppy code too (strict_put). The keys of a source
-- with a listed shape of up to 8 are stored without a loop, as small_values reads them.
local function assign_small(target, src, s)
  local put = R.strict_put
  local k1, k2, k3, k4, k5, k6, k7, k8 = s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
  if k1 then put(target, k1, src[k1]) end
  if k2 then put(target, k2, src[k2]) end
  if k3 then put(target, k3, src[k3]) end
  if k4 then put(target, k4, src[k4]) end
  if k5 then put(target, k5, src[k5]) end
  if k6 then put(target, k6, src[k6]) end
  if k7 then put(target, k7, src[k7]) end
  if k8 then put(target, k8, src[k8]) end
end
local function assign_from(target, src)
  local s = listed_shape(src)
  if s and s.n <= 8 then assign_small(target, src, s); return end
  local ks, n = R.ownkeys(src, true)
  for j = 1, n do local k = ks[j]; R.strict_put(target, k, src[k]) end
end
method(Object, "assign", 2, function(_, target, src, ...)
  target = Object(nil, toobject(target))
  if src ~= nil and src ~= null then assign_from(target, src) end
  for i = 1, select("#", ...) do
    src = (select(i, ...))
    if src ~= nil and src ~= null then assign_from(target, src) end
  end
  return target
end)
method(Object, "fromEntries", 1, function(_, it)
  local o = R.newobj()
  for _, e in R.iter(it) do R.put(o, e[0], e[1]) end
  return o
end)
method(Object, "create", 2, function(_, proto, props)
  if proto ~= null and not R.isobject(proto) then R.type_error("Object prototype may only be an Object or null: " .. R.tostr(proto)) end
  local o = setmetatable({}, R.protomt(proto))
  if props ~= nil then G.Object.defineProperties(nil, o, props) end
  return o
end)
method(Object, "getPrototypeOf", 1, function(_, o)
  toobject(o)
  local t = type(o)
  if t == "function" then return R.fn_getproto(o) end
  if t == "string" then return R.StringPrototype end
  if t == "number" then return R.NumberPrototype end
  if t == "boolean" then return R.BooleanPrototype end
  if t == "table" and getmetatable(o) == R.SymbolMT then return R.SymbolPrototype or null end
  return R.getproto(o) or null
end)
-- [[SetPrototypeOf]]: nil and a reason when o is not extensible or p would make a cycle.
local function set_proto_checked(o, p)
  local pmt = type(o) == "table" and getmetatable(o)
  if pmt and pmt.proxy then
    if pmt.setproto(o, p) then return true end
    return nil, "'setPrototypeOf' on proxy: trap returned falsish"
  end
  local getproto = G.Object.getPrototypeOf
  if getproto(nil, o) == p then return true end
  local t = type(o) == "function" and R.fprop_table(o) or o
  local mt = getmetatable(t)
  if mt and mt.frozen then return nil, "#<Object> is not extensible" end
  local q = p
  while q ~= null and q ~= nil do
    if q == o then return nil, "Cyclic __proto__ value" end
    q = getproto(nil, q)
  end
  R.setproto(t, p)
  return true
end

local function check_proto_arg(p)
  if p ~= null and not R.isobject(p) then
    R.type_error("Object prototype may only be an Object or null: " .. R.tostr(p))
  end
end

method(Object, "setPrototypeOf", 2, function(_, o, p)
  if o == nil or o == null then R.type_error("Object.setPrototypeOf called on null or undefined") end
  check_proto_arg(p)
  if R.isobject(o) then
    local ok, why = set_proto_checked(o, p)
    if not ok then R.type_error(why) end
  end
  return o
end)
method(Object, "defineProperty", 3, function(_, o, k, desc)
  if not R.isobject(o) then R.type_error("Object.defineProperty called on non-object") end
  if not define(o, k, to_descriptor(desc)) then
    R.type_error("'defineProperty' on proxy: trap returned falsish for property '" .. R.keystr(R.tokey(k)) .. "'")
  end
  return o
end)
method(Object, "defineProperties", 2, function(_, o, props)
  local ks, n = R.ownkeys(props, true)
  for i = 1, n do define(o, ks[i], to_descriptor(props[ks[i]])) end
  return o
end)
method(Object, "getOwnPropertyDescriptor", 2, function(_, o, k)
  toobject(o)
  return descriptor_object(R.getdesc(o, R.tokey(k)))
end)
method(Object, "getOwnPropertyDescriptors", 1, function(_, o)
  local out = R.newobj()
  local ks, n = R.ownkeys(o, true, true)
  for i = 1, n do out[ks[i]] = descriptor_object(R.getdesc(o, ks[i])) end
  return out
end)
method(Object, "getOwnPropertyNames", 1, function(_, o)
  toobject(o)
  local ks, n = R.ownkeys(o, false, true)
  local out = {length = 0}
  local j = 0
  for i = 1, n do
    local k = ks[i]
    if type(k) ~= "table" then out[j] = type(k) == "number" and R.numtostr(k) or k; j = j + 1 end
  end
  if type(o) == "function" then
    -- integer keys, then length, name, prototype as functions define them, then the rest
    local rest, nr, nint = {}, 0, 0
    for i = 1, n do if type(ks[i]) == "number" then nint = nint + 1 end end
    for i = nint, j - 1 do
      local k = out[i]
      if k ~= "length" and k ~= "name" and k ~= "prototype" then nr = nr + 1; rest[nr] = k end
    end
    j = nint
    for _, extra in ipairs({"length", "name", "prototype"}) do
      if R.hasown(o, extra) then out[j] = extra; j = j + 1 end
    end
    for i = 1, nr do out[j] = rest[i]; j = j + 1 end
    for i = j, #out do out[i] = nil end
  elseif type(o) == "string" then
    out[j] = "length"; j = j + 1
  end
  out.length = j
  return setmetatable(out, R.ArrayMT)
end)
method(Object, "getOwnPropertySymbols", 1, function(_, o)
  if type(o) == "function" then o = R.fprops[o] or {} end
  if type(o) ~= "table" then return R.pack() end
  local out, j, seen = {length = 0}, 0, {}
  local function add(k)
    if not seen[k] then seen[k] = true; out[j] = k; j = j + 1 end
  end
  local ks, n = R.ownkeys(o, true, true)
  for i = 1, n do if type(ks[i]) == "table" then add(ks[i]) end end
  local slow = rawget(o, SLOW)
  -- non-enumerable symbols in definition order, then any others
  local order = rawget(o, R.HKEYS)
  if order then for i = 1, #order do
    local k = order[i]
    if type(k) == "table" and (rawget(o, k) ~= nil or (slow and slow[k])) then add(k) end
  end end
  if slow then for k in pairs(slow) do if type(k) == "table" and getmetatable(k) == R.SymbolMT then add(k) end end end
  for k in pairs(o) do if type(k) == "table" and getmetatable(k) == R.SymbolMT then add(k) end end
  out.length = j
  return setmetatable(out, R.ArrayMT)
end)
method(Object, "freeze", 1, function(_, o) return R.freeze(o, "freeze") end)
method(Object, "seal", 1, function(_, o) return R.freeze(o, "seal") end)
method(Object, "preventExtensions", 1, function(_, o) return R.freeze(o, "extensions") end)
-- [[IsExtensible]]: a proxy asks its trap or its target
local function extensible(o)
  local mt = getmetatable(o)
  if mt and mt.proxy then return mt.is_extensible(o) end
  return not (mt and mt.frozen)
end
R.extensible = extensible
method(Object, "isFrozen", 1, function(_, o)
  if type(o) ~= "table" or o == null then return true end
  local mt = getmetatable(o)
  if mt and mt.fully_frozen then return true end
  if extensible(o) then return false end
  local ks, n = R.ownkeys(o, true, true)
  for i = 1, n do local d = R.getdesc(o, ks[i]); if d and (d.configurable or d.writable) then return false end end
  return true
end)
method(Object, "isSealed", 1, function(_, o)
  if type(o) ~= "table" or o == null then return true end
  if extensible(o) then return false end
  local ks, n = R.ownkeys(o, true, true)
  for i = 1, n do local d = R.getdesc(o, ks[i]); if d and d.configurable then return false end end
  return true
end)
method(Object, "isExtensible", 1, function(_, o)
  if type(o) == "function" then o = R.fprops[o]; if o == nil then return true end end
  if type(o) ~= "table" or o == null then return false end
  return extensible(o)
end)
method(Object, "is", 2, function(_, a, b)
  if a ~= a then return b ~= b end
  if a == 0 and b == 0 then return 1 / a == 1 / b end
  return a == b
end)
method(Object, "hasOwn", 2, function(_, o, k) toobject(o); return R.hasown(o, R.tokey(k)) end)
method(Object, "groupBy", 2, function(_, items, f)
  local out = setmetatable({}, R.protomt(null))
  local i = 0
  for _, v in R.iter(items) do
    local k = R.tokey(f(nil, v, i)); i = i + 1
    local list = out[k]
    if list == nil then list = R.pack(); out[k] = list end
    list[list.length] = v
  end
  return out
end)

-- Object.prototype
method(ObjectPrototype, "hasOwnProperty", 1, function(this, k) return R.hasown(this, R.tokey(k)) end)
method(ObjectPrototype, "isPrototypeOf", 1, function(this, v)
  if not R.isobject(v) then return false end
  local p = R.proto_of(v)
  while p and p ~= null do
    if p == this then return true end
    p = R.proto_of(p)
  end
  return false
end)
method(ObjectPrototype, "propertyIsEnumerable", 1, function(this, k)
  local d = R.getdesc(this, R.tokey(k))
  return d ~= nil and d.enumerable == true
end)

-- The legacy accessor methods (Annex B): __defineGetter__ defines an enumerable, configurable
-- accessor through Object.defineProperty; __lookupGetter__ finds the nearest own property of
-- that name along the chain and gives its getter (undefined for a data property).
local function define_accessor(kind, name)
  method(ObjectPrototype, name, 2, function(this, k, f)
    local o = toobject(this, "Object.prototype." .. name)
    if not R.iscallable(f) then R.type_error("Object.prototype." .. name .. ": Expecting function") end
    local d = R.newobj()
    d[kind], d.enumerable, d.configurable = f, true, true
    G.Object.defineProperty(nil, o, k, d)
  end)
end
define_accessor("get", "__defineGetter__")
define_accessor("set", "__defineSetter__")
local function lookup_accessor(kind, name)
  method(ObjectPrototype, name, 1, function(this, k)
    local o = toobject(this, "Object.prototype." .. name)
    k = R.tokey(k)
    while o ~= nil and o ~= null do
      local d = R.getdesc(o, k)
      if d then
        local f = d[kind]
        if f ~= R.NOGET then return f end
        return nil
      end
      o = G.Object.getPrototypeOf(nil, o)
    end
  end)
end
lookup_accessor("get", "__lookupGetter__")
lookup_accessor("set", "__lookupSetter__")
local function class_of(v)
  if v == nil then return "Undefined" end
  if v == null then return "Null" end
  local t = type(v)
  local builtin = "Object"
  if R.isarray(v) then builtin = "Array"
  elseif R.is_arguments(v) then builtin = "Arguments"
  elseif t == "function" then builtin = "Function"
  elseif t == "string" then builtin = "String"
  elseif t == "number" then builtin = "Number"
  elseif t == "boolean" then builtin = "Boolean"
  elseif R.is_error and R.is_error(v) then builtin = "Error"
  elseif R.isregexp and R.isregexp(v) then builtin = "RegExp"
  elseif R.date_value and R.date_value(v) then builtin = "Date"
  elseif R.boxed_value then
    local bv = R.boxed_value(v)
    local bt = type(bv)
    if bt == "number" then builtin = "Number" elseif bt == "string" then builtin = "String"
    elseif bt == "boolean" then builtin = "Boolean"
    -- the three prototypes are wrappers of 0, "" and false (boxed_value leaves them out)
    elseif v == R.NumberPrototype then builtin = "Number"
    elseif v == R.StringPrototype then builtin = "String"
    elseif v == R.BooleanPrototype then builtin = "Boolean" end
  end
  -- Symbol.toStringTag, when a string, names the object instead
  local tag = v[R.sym_toStringTag]
  if type(tag) == "string" then return tag end
  return builtin
end
method(ObjectPrototype, "toString", 0, function(this) return "[object " .. class_of(this) .. "]" end)
method(ObjectPrototype, "toLocaleString", 0, function(this) return R.tostr(this) end)
method(ObjectPrototype, "valueOf", 0, function(this) return Object(nil, toobject(this)) end)
-- `__proto__` is not stored as an accessor on Object.prototype: an accessor there would send every
-- property read of every object through the slow lookup. The compiler routes o.__proto__ to these
-- functions, and getOwnPropertyDescriptor reports them.
R.proto_accessor = {
  get = R.fn(function(this)
    if this == nil or this == null then R.type_error("Cannot convert undefined or null to object") end
    return G.Object.getPrototypeOf(nil, this)
  end, "get __proto__", 0),
  set = R.fn(function(this, p)
    if this == nil or this == null then R.type_error("Cannot convert undefined or null to object") end
    if (p == null or R.isobject(p)) and R.isobject(this) then
      local ok, why = set_proto_checked(this, p)
      if not ok then R.type_error(why) end
    end
  end, "set __proto__", 1),
}
R.arrows[R.proto_accessor.get] = true
R.arrows[R.proto_accessor.set] = true

-- o.__proto__ as compiled. The accessor lives on Object.prototype: an own "__proto__" property
-- met first on the chain (JSON.parse, defineProperty, a computed key) shadows it, and an object
-- whose chain misses Object.prototype (Object.create(null)) has an ordinary "__proto__" key.
-- Returns the object holding such a property, or nil when the accessor applies.
local function proto_holder(o)
  local p = o
  while p ~= nil and p ~= null do
    if p == ObjectPrototype then return nil end
    if type(p) == "table" and R.hasown(p, "__proto__") then return p end
    p = G.Object.getPrototypeOf(nil, p)
  end
  return false   -- no accessor on the chain
end
function R.proto_get(o)
  if o == nil or o == null then return R.proto_accessor.get(o) end   -- (throws)
  local holder = proto_holder(o)
  if holder == nil then return R.proto_accessor.get(o) end
  if holder then return o["__proto__"] end   -- (an own "__proto__" on the chain: an ordinary property)
  return nil
end
function R.proto_set(o, v)
  if o == nil or o == null then return R.proto_accessor.set(o, v) end
  if proto_holder(o) == nil then return R.proto_accessor.set(o, v) end
  o["__proto__"] = v
end

-- Built-ins that accept any number of arguments register a version taking the argument array,
-- so that f.apply(null, hugeArray) works past Lua's limit on the number of call arguments.
R.apply_array = setmetatable({}, {__mode = "k"})

-- Function.prototype
local unpack = unpack   -- Lua's, with explicit ranges
method(FunctionPrototype, "call", 1, R.fn_call)   -- (ljs.varargs: loaded from source)
method(FunctionPrototype, "apply", 2, function(f, this, args)
  if not R.iscallable(f) then R.type_error("Function.prototype.apply was called on " .. R.tostr(f) .. ", which is not a function") end
  if args == nil or args == null then return f(this) end
  local whole = R.apply_array[f]
  if whole then return whole(this, args) end   -- built-ins that take any number of arguments
  local mt = type(args) == "table" and getmetatable(args)
  if mt and (mt.kind == "array" or mt == ArgumentsMT and type(rawget(args, "length")) == "number") then
    return f(this, R.values_of(args, rawget(args, "length")))
  end
  local n = R.tonum(args.length)
  local t = {}
  for i = 0, n - 1 do t[i] = args[i] end
  return f(this, R.unpack_range(t, 0, n - 1))
end)
method(FunctionPrototype, "bind", 1, function(f, bound_this, ...)
  if not R.iscallable(f) then R.type_error("Bind must be called on a function") end
  local nb = select("#", ...)
  local b = R.bound_call(f, bound_this, nb, ...)
  local name = f.name   -- Get(target, "name"): a name defined on the function counts
  R.fnames[b] = "bound " .. (type(name) == "string" and name or "")
  R.bound_targets[b] = f
  local len = (type(f) == "function" and R.function_length(f) or R.tonum(f.length)) - nb
  R.fnlens[b] = len > 0 and len or 0
  if R.arrows[f] then R.arrows[b] = true end
  -- new on a bound function constructs the target
  local t = R.fprop_table(b)
  local pre = {...}
  rawset(t, "__construct", function(_, ...)
    if nb == 0 then return R.new(f, ...) end
    local n2 = select("#", ...)
    local all = {}
    for i = 1, nb do all[i] = pre[i] end
    for i = 1, n2 do all[nb + i] = (select(i, ...)) end
    return R.new(f, unpack(all, 1, nb + n2))
  end)
  return b
end)
method(FunctionPrototype, "toString", 0, function(f)
  if type(f) ~= "function" then
    if R.iscallable(f) then return "function () { [native code] }" end   -- a proxy of a function, as V8
    R.type_error("Function.prototype.toString requires that 'this' be a Function")
  end
  local src = R.function_source and R.function_source(f)
  if src then return src end
  if R.bound_targets[f] then return "function () { [native code] }" end   -- (V8 names no bound function)
  return "function " .. (R.fnames[f] or "") .. "() { [native code] }"
end)
-- OrdinaryHasInstance itself, not R.instanceof: a class's own [Symbol.hasInstance] commonly
-- calls this one (readable-stream's Writable), and R.instanceof would call that one again.
R.default_hasinstance = method(FunctionPrototype, R.sym_hasInstance, 1, function(f, o)
  if not R.iscallable(f) then return false end
  while R.bound_targets[f] do f = R.bound_targets[f] end
  if not R.isobject(o) then return false end
  local proto = f.prototype
  local p = type(o) == "function" and R.fn_getproto(o) or R.getproto(o)
  while p and p ~= null do
    if p == proto then return true end
    p = R.getproto(p)
  end
  return false
end)

-- Reflect
local Reflect = R.newobj()
R.hidden(G, "Reflect", Reflect)
-- Reflect's functions take objects alone (where Object's convert or pass primitives)
local function target(o, name)
  if not R.isobject(o) then R.type_error("Reflect." .. name .. " called on non-object") end
  return o
end
method(Reflect, "ownKeys", 1, function(_, o)
  target(o, "ownKeys")
  local names = G.Object.getOwnPropertyNames(nil, o)
  local syms = G.Object.getOwnPropertySymbols(nil, o)
  for i = 0, syms.length - 1 do names[names.length] = syms[i] end
  return names
end)
method(Reflect, "has", 2, function(_, o, k) return R.has(target(o, "has"), k) end)
-- Reflect.get and set with a receiver other than the target: a getter or setter found on the
-- target's chain runs with the receiver as this; a data property is stored on the receiver.
local function plain_target(o, receiver)
  return receiver ~= nil and receiver ~= o and type(o) == "table" and getmetatable(o) ~= nil
    and getmetatable(o).proto ~= nil
end
-- (a proxy takes the receiver to its trap, or on to its target)
local function proxy_of(o, receiver)
  local mt = receiver ~= nil and receiver ~= o and type(o) == "table" and getmetatable(o)
  return mt and mt.proxy and mt
end
local function reflect_get(o, k, receiver)
  local pmt = proxy_of(o, receiver)
  if pmt then return pmt.get_recv(o, R.tokey(k), receiver) end
  if plain_target(o, receiver) then return R.lookup(o, R.tokey(k), receiver) end
  return R.get(o, k)
end
R.reflect_get = reflect_get
method(Reflect, "get", 2, function(_, o, k, receiver)
  target(o, "get")
  return reflect_get(o, k, receiver)
end)
local reflect_set = method(Reflect, "set", 3, function(_, o, k, v, receiver)
  target(o, "set")
  local pmt = proxy_of(o, receiver)
  if pmt then return pmt.set_recv(o, R.tokey(k), v, receiver) end
  if plain_target(o, receiver) then
    local d = R.find_slow(o, R.tokey(k))
    if d and (d.get ~= nil or d.set ~= nil) then
      if d.set == nil then return false end
      d.set(receiver, v)
      return true
    end
    if d and not d.writable then return false end
    if not R.isobject(receiver) then return false end
    local rmt = getmetatable(receiver)
    if rmt and rmt.proxy then
      -- a proxy receiver: its own property is defined, not set (which would run its set trap)
      k = R.tokey(k)
      local cur = rmt.desc_hook(receiver, k)
      if cur == nil then
        return define(receiver, k, {value = v, hasvalue = true, writable = true, enumerable = true, configurable = true})
      end
      if cur.get ~= nil or cur.set ~= nil or not cur.writable then return false end
      return define(receiver, k, {value = v, hasvalue = true})
    end
    -- a key the receiver lacks is created on it (CreateDataProperty), not stored: a store would
    -- walk the receiver's chain again, back to a proxy that sent it here
    k = R.tokey(k)
    if not R.hasown(receiver, k) then
      return define(receiver, k, {value = v, hasvalue = true, writable = true, enumerable = true, configurable = true})
    end
    o = receiver
  end
  -- a failed store (a getter-only length, a frozen object) is reported as false in sloppy code
  -- too; what setters and traps throw goes on
  local was = R.strict
  R.strict = "report"
  local ok, err = pcall(R.put, o, k, v)
  R.strict = was
  if ok then return true end
  if err == R.STORE_FAILED then return false end
  error(err, 0)
end)
method(Reflect, "getPrototypeOf", 1, function(_, o) return G.Object.getPrototypeOf(nil, target(o, "getPrototypeOf")) end)
method(Reflect, "setPrototypeOf", 2, function(_, o, p)
  target(o, "setPrototypeOf")
  check_proto_arg(p)
  return set_proto_checked(o, p) == true
end)
method(Reflect, "defineProperty", 3, function(_, o, k, d)
  target(o, "defineProperty")
  local ok, defined = pcall(define, o, k, to_descriptor(d))
  return ok and defined
end)
method(Reflect, "deleteProperty", 2, function(_, o, k)
  target(o, "deleteProperty")
  local ok, deleted = pcall(R.delete, o, k)   -- (strict code throws where sloppy code gets false)
  return ok and deleted
end)
method(Reflect, "getOwnPropertyDescriptor", 2, function(_, o, k)
  return descriptor_object(R.getdesc(target(o, "getOwnPropertyDescriptor"), R.tokey(k)))
end)
method(Reflect, "apply", 3, function(_, f, this, args) return FunctionPrototype.apply(f, this, args) end)
method(Reflect, "construct", 2, function(_, C, args, newTarget)
  if not R.is_constructor(C) then R.type_error(R.tostr(C) .. " is not a constructor") end
  if newTarget == nil then newTarget = C end
  if not R.is_constructor(newTarget) then R.type_error(R.tostr(newTarget) .. " is not a constructor") end
  if not R.isobject(args) then R.type_error("CreateListFromArrayLike called on non-object") end
  local n = R.tonum(args.length)
  local list = {}
  for i = 0, n - 1 do list[i + 1] = args[i] end
  if newTarget == C then return R.new(C, unpack(list, 1, n)) end
  local proto = newTarget.prototype
  if not R.isobject(proto) then proto = R.ObjectPrototype end
  local o = setmetatable({}, R.protomt(proto))
  local r = R.call_as_new(C, newTarget, o, unpack(list, 1, n))
  if r ~= nil and R.isobject(r) then return r end
  return o
end)
method(Reflect, "isExtensible", 1, function(_, o) return G.Object.isExtensible(nil, target(o, "isExtensible")) end)
method(Reflect, "preventExtensions", 1, function(_, o)
  local mt = getmetatable(target(o, "preventExtensions"))
  if mt and mt.proxy then return mt.prevent_extensions(o) end
  R.freeze(o, "extensions")
  return true
end)

R.to_descriptor, R.descriptor_object, R.define_property = to_descriptor, descriptor_object, define
-- for proxies: Reflect.set's [[Set]] with a receiver, and [[SetPrototypeOf]], whatever a program
-- did to the global Reflect
R.reflect_set = reflect_set
function R.set_prototype(o, p) return set_proto_checked(o, p) == true end
return R
