-- ljs.proxy: Proxy and Reflect-backed default behaviour. A proxy is an empty table whose own
-- metatable routes every property operation to the handler's trap or to the target.
local R = require("ljs.core")
local null = R.null
local type, rawget, rawset, getmetatable, setmetatable, select = type, rawget, rawset, getmetatable, setmetatable, select
local unpack = unpack

-- the trap of a proxy (its metatable): revoking is per proxy, as proxies may share a handler
local function trap(mt, name)
  if mt.revoked then R.type_error("Cannot perform '" .. name .. "' on a proxy that has been revoked") end
  local f = mt.handler[name]
  if f == nil or f == null then return nil end
  if type(f) ~= "function" then R.type_error("'" .. name .. "' on proxy: trap is not a function") end
  return f
end

local function keyval(k)
  if type(k) == "number" then return R.numtostr(k) end
  return k
end

local function make(target, handler)
  if not R.isobject(target) or not R.isobject(handler) then
    R.type_error("Cannot create proxy with a non-object as target or handler")
  end
  local mt = {proxy = true, target = target, handler = handler, callable = type(target) == "function"
              or (type(target) == "table" and getmetatable(target) and getmetatable(target).callable)}
  mt.kind = nil
  -- [[GetPrototypeOf]] (mt.proto, which getproto, instanceof and Object.getPrototypeOf read): the
  -- trap's answer, or the target's prototype as it is now
  setmetatable(mt, {__index = function(_, k)
    if k ~= "proto" then return nil end
    local f = trap(mt, "getPrototypeOf")
    if not f then return R.getproto(target) end
    local p = f(handler, target)
    if p ~= null and not R.isobject(p) then R.type_error("'getPrototypeOf' on proxy: trap returned neither object nor null") end
    return p
  end})
  -- [[SetPrototypeOf]]: false when the trap says so
  mt.setproto = function(p, proto)
    local f = trap(mt, "setPrototypeOf")
    if f then return R.truthy(f(handler, target, proto)) end
    return R.set_prototype(target, proto)
  end
  mt.__index = function(p, k)
    local f = trap(mt, "get")
    if f then return f(handler, target, keyval(k), p) end
    if k == R.sym_toStringTag and R.isarray(target) then return nil end
    return R.get(target, k)
  end
  -- [[Get]] and [[Set]] with a receiver other than the proxy (Reflect.get/set)
  mt.get_recv = function(p, k, receiver)
    local f = trap(mt, "get")
    if f then return f(handler, target, keyval(k), receiver) end
    return R.reflect_get(target, k, receiver)
  end
  mt.set_recv = function(p, k, v, receiver)
    local f = trap(mt, "set")
    if f then return R.truthy(f(handler, target, keyval(k), v, receiver)) end
    return R.reflect_set(nil, target, k, v, receiver)
  end
  mt.__newindex = function(p, k, v)
    local f = trap(mt, "set")
    if f then
      local ok = f(handler, target, keyval(k), v, p)
      if not R.truthy(ok) then R.strict_fail("'set' on proxy: trap returned falsish for property '" .. R.keystr(k) .. "'") end
      return
    end
    if trap(mt, "defineProperty") then
      -- the target's [[Set]] with the proxy as receiver defines the property on the proxy
      if not R.reflect_set(nil, target, k, v, p) then
        R.strict_fail("'defineProperty' on proxy: trap returned falsish for property '" .. R.keystr(k) .. "'")
      end
      return
    end
    R.put(target, k, v)
  end
  mt.has = function(p, k)
    local f = trap(mt, "has")
    if f then return R.truthy(f(handler, target, keyval(k))) end
    return R.has(target, k)
  end
  mt.delete = function(p, k)
    local f = trap(mt, "deleteProperty")
    if f then
      local ok = R.truthy(f(handler, target, keyval(k)))
      if not ok then R.strict_fail("'deleteProperty' on proxy: trap returned falsish for property '" .. R.keystr(k) .. "'") end
      return ok
    end
    return R.delete(target, k)
  end
  -- Object.defineProperty and a Reflect.set whose receiver is the proxy: false when the trap says so
  mt.define = function(p, k, d)
    local f = trap(mt, "defineProperty")
    if f then return R.truthy(f(handler, target, keyval(k), R.partial_descriptor_object(d))) end
    return R.define_property(target, k, d)
  end
  local function desc(p, k)
    local f = trap(mt, "getOwnPropertyDescriptor")
    if f then
      local d = f(handler, target, keyval(k))
      if d == nil then return nil end
      return R.to_descriptor(d)
    end
    return R.getdesc(target, k)
  end
  mt.desc_hook = desc
  -- [[PreventExtensions]], [[IsExtensible]], and Object.freeze/seal through them (SetIntegrityLevel)
  mt.prevent_extensions = function(p)
    local f = trap(mt, "preventExtensions")
    if f then return R.truthy(f(handler, target)) end
    R.freeze(target, "extensions")
    return true
  end
  mt.is_extensible = function(p)
    local f = trap(mt, "isExtensible")
    if f then return R.truthy(f(handler, target)) end
    return R.extensible(target)
  end
  mt.set_integrity = function(p, level)
    if not mt.prevent_extensions(p) then R.type_error("'preventExtensions' on proxy: trap returned falsish") end
    if level == "extensions" then return p end
    local keys, n = mt.enum_hook(p, true, true)
    for i = 1, n do
      local k, d = keys[i], {configurable = false}
      if level == "freeze" then
        local cur = desc(p, k)
        if cur == nil then d = nil elseif cur.get == nil and cur.set == nil then d.writable = false end
      end
      if d and not mt.define(p, k, d) then R.type_error("Cannot redefine property: " .. R.keystr(k)) end
    end
    return p
  end
  mt.ownkeys_hook = function(p, k) return desc(p, k) ~= nil end
  mt.enum_hook = function(p, include_symbols, include_hidden)
    local f = trap(mt, "ownKeys")
    local keys, n = {}, 0
    if f then
      local list = f(handler, target)
      for _, k in R.iter(list) do
        k = R.tokey(k)
        if (type(k) ~= "table" or include_symbols) then
          local d = (include_hidden and true) or desc(p, k)
          if d == true or (d and d.enumerable) then n = n + 1; keys[n] = k end
        end
      end
      return keys, n
    end
    local ks, kn = R.ownkeys(target, include_symbols, include_hidden)
    return ks, kn
  end
  if mt.callable then
    mt.__call = function(p, this, ...)
      local f = trap(mt, "apply")
      if f then return f(handler, target, this, R.pack(...)) end
      return target(this, ...)
    end
    mt.construct = function(p, ...)
      local f = trap(mt, "construct")
      if f then
        local r = f(handler, target, R.pack(...), p)
        if not R.isobject(r) then R.type_error("proxy [[Construct]] must return an object") end
        return r
      end
      return R.new(target, ...)
    end
  end
  R.add_arith(mt)
  return setmetatable({}, mt)
end

local Proxy = function(this, target, handler)
  if this == nil then R.type_error("Constructor Proxy requires 'new'") end
  return make(target, handler)
end
R.fn(Proxy, "Proxy", 2)
rawset(R.G, "Proxy", Proxy)
-- `new Proxy(...)` returns the proxy: R.new sees the object returned by the constructor
R.method(Proxy, "revocable", 2, function(_, target, handler)
  local p = make(target, handler)
  local o = R.newobj()
  o.proxy = p
  o.revoke = R.arrow(function() getmetatable(p).revoked = true end, "", 0)
  return o
end)

function R.is_proxy(v)
  local mt = type(v) == "table" and getmetatable(v)
  return mt and mt.proxy or false
end

-- A proxy's target (console.log shows it, as node does, without running traps; util.types.isProxy)
function R.proxy_target(v)
  local mt = type(v) == "table" and getmetatable(v)
  if mt and mt.proxy then return mt.target end
end
return R
