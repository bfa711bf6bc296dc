-- ljs.symbol: the Symbol function, the registry (Symbol.for / keyFor), well-known symbols and
-- Symbol.prototype. Symbol values are tables {description = d} with metatable R.SymbolMT;
-- that metatable is how the runtime recognises symbols, so it is only extended here.
local R = require("ljs.core")
local type, rawget, rawset, getmetatable, setmetatable, ipairs = type, rawget, rawset, getmetatable, setmetatable, ipairs
local SymbolMT, newsymbol, method, hidden = R.SymbolMT, R.newsymbol, R.method, R.hidden

local PRIMVAL = R.PRIMVAL or {}
R.PRIMVAL = PRIMVAL

local SymbolPrototype = setmetatable({}, R.ObjectMT)
R.SymbolPrototype = SymbolPrototype

local function Symbol(_, desc)
  if desc ~= nil then desc = R.tostr(desc) end
  return newsymbol(desc)
end
R.ctor("Symbol", 0, Symbol, SymbolPrototype)
R.arrows[Symbol] = true   -- not a constructor: `new Symbol()` is "Symbol is not a constructor"

-- Well-known symbols: core's, plus the rest (made here unless another module did first).
local WELL_KNOWN = {"asyncIterator", "hasInstance", "isConcatSpreadable", "iterator", "match", "matchAll",
                    "replace", "search", "species", "split", "toPrimitive", "toStringTag", "unscopables",
                    "dispose", "asyncDispose"}
for _, name in ipairs(WELL_KNOWN) do
  local field = "sym_" .. name
  local s = R[field]
  if not s then s = newsymbol("Symbol." .. name); R[field] = s end
  -- well-known symbols are constants: not writable, not configurable
  R.defprop(R.fprop_table(Symbol), name, {value = s, writable = false, enumerable = false, configurable = false})
end

-- The global registry: key string <-> symbol, both ways.
local registry, reverse = {}, {}
local function symbol_for(key)
  local s = registry[key]
  if not s then
    s = newsymbol(key)
    registry[key] = s
    reverse[s] = key
  end
  return s
end
method(Symbol, "for", 1, function(_, key) return symbol_for(R.tostr(key)) end)
R.symbol_for = symbol_for   -- the registry for the runtime's modules, whatever a program did to Symbol
-- util.inspect.custom, which console.log honours before any module defines util
R.sym_inspect_custom = symbol_for("nodejs.util.inspect.custom")
-- DataView's console.log form, where ljs.typedarray loaded first (a host required it before ljs.rt)
if R.dataview_inspect_install then R.dataview_inspect_install() end
method(Symbol, "keyFor", 1, function(_, s)
  if type(s) ~= "table" or getmetatable(s) ~= SymbolMT then
    R.type_error(R.tostr(s) .. " is not a symbol")
  end
  return reverse[s]
end)

-- thisSymbolValue
local function thissym(this, name)
  if type(this) == "table" then
    if getmetatable(this) == SymbolMT then return this end
    local v = rawget(this, PRIMVAL)
    if type(v) == "table" and getmetatable(v) == SymbolMT then return v end
  end
  R.type_error("Symbol.prototype." .. name .. " requires that 'this' be a Symbol")
end

local function symstr(s) return "Symbol(" .. (rawget(s, "description") or "") .. ")" end

method(SymbolPrototype, "toString", 0, function(this) return symstr(thissym(this, "toString")) end)
method(SymbolPrototype, "valueOf", 0, function(this) return thissym(this, "valueOf") end)
R.defprop(SymbolPrototype, "description", {get = function(this)
  return rawget(thissym(this, "description"), "description")
end, configurable = true})
local toprim = function(this) return thissym(this, "[Symbol.toPrimitive]") end
R.defprop(SymbolPrototype, R.sym_toPrimitive, {value = method(SymbolPrototype, R.sym_toPrimitive, 1, toprim),
                                              writable = false, enumerable = false, configurable = true})
R.tag(SymbolPrototype, "Symbol")

-- sym.description / sym.toString() on the primitive itself.
SymbolMT.__index = function(s, k) return R.lookup(SymbolPrototype, k, s) end
SymbolMT.__newindex = function(s, k)
  R.strict_fail("Cannot create property '" .. R.keystr(k) .. "' on symbol '" .. symstr(s) .. "'")
end

return Symbol
