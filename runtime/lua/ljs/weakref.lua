-- ljs.weakref: WeakRef and FinalizationRegistry.
--
-- Instance state lives in weak-keyed tables of this module rather than on the object, so that
-- it shows among no own keys and survives Object.freeze. A WeakRef's target sits in a weak-valued
-- cell. Lua has no finalizers on tables, so a registered target is watched by a userdata (one
-- per target, the value of a weak-keyed table): once the target is gone, that userdata dies in a
-- later cycle and its __gc queues the target's registrations. __gc runs inside the collector, at
-- any allocation, so it only appends to a list and queues a microtask; the microtask (ordinary
-- code) arms an immediate, and the cleanup callbacks run in that task, as node runs them in one
-- of its own.
local R = require("ljs.core")
require("ljs.promise")   -- R.enqueue_microtask, R.set_immediate
local type, rawget, getmetatable, setmetatable, next, tostring, newproxy =
      type, rawget, getmetatable, setmetatable, next, tostring, newproxy
local isobject, type_error, method = R.isobject, R.type_error, R.method

local WEAKK, WEAKV = {__mode = "k"}, {__mode = "v"}
local refs = setmetatable({}, WEAKK)   -- WeakRef -> {target} (weak-valued)
local regs = setmetatable({}, WEAKK)   -- FinalizationRegistry -> its state

local function describe(v)
  if type(v) == "table" and getmetatable(v) == R.SymbolMT then return tostring(v) end
  if R.isarray(v) then return "[object Array]" end
  if isobject(v) then return R.descr(v) end
  return R.tostr(v)
end

local function incompatible(name, this)
  type_error("Method " .. name .. " called on incompatible receiver " .. describe(this))
end

-- CanBeHeldWeakly, as WeakMap keys have it
require("ljs.collections")
local can_be_held_weakly = R.can_be_held_weakly

-- KeepDuringJob: a target made into a WeakRef or read through deref() stays alive until the
-- current job and its microtasks are over.
local kept, keeping = {}, false
local function keep(v)
  kept[#kept + 1] = v
  if not keeping then
    keeping = true
    R.enqueue_microtask(function() kept, keeping = {}, false end)
  end
end

---------------------------------------------------------------------------------------------
-- WeakRef
local WeakRefPrototype = R.newobj()
R.note_hidden(WeakRefPrototype, "constructor")   -- first among its keys, as in node

-- new.target: nil for a plain call. Reflect.construct gives `this` Object.prototype where
-- newTarget.prototype is no object; the spec falls back to this realm's own prototype.
local function constructed(this, name, proto)
  local nt = R.fn_new_target(this)
  if nt == nil then type_error("Constructor " .. name .. " requires 'new'") end
  if not isobject(nt.prototype) then R.setproto(this, proto) end
end

local function WeakRef(this, target)
  constructed(this, "WeakRef", WeakRefPrototype)
  if not can_be_held_weakly(target) then type_error("WeakRef: invalid target") end
  refs[this] = setmetatable({target}, WEAKV)
  keep(target)
  return this
end
R.ctor("WeakRef", 1, WeakRef, WeakRefPrototype)
R.reads_new_target(WeakRef)

method(WeakRefPrototype, "deref", 0, function(this)
  local cell = refs[this]
  if not cell then incompatible("WeakRef.prototype.deref", this) end
  local v = cell[1]
  if v ~= nil then keep(v) end
  return v
end)
R.tag(WeakRefPrototype, "WeakRef")

---------------------------------------------------------------------------------------------
-- FinalizationRegistry. A registration (cell) is {holdings, rs = registry state, watch = the
-- target's set of cells, tokset = its token's set of cells, seq}; it refers to neither target
-- nor token.
local watchers = setmetatable({}, WEAKK)   -- target -> userdata whose __gc reports its cells
local pending = {}                          -- cells of collected targets, oldest first
local task_armed = false

local seq = 0
local function by_seq(a, b) return a.seq < b.seq end

local function run_pending()
  task_armed = false
  local list = pending
  pending = {}
  table.sort(list, by_seq)   -- registration order: the cells of a target come from a hash set
  for i = 1, #list do
    local cell = list[i]
    if not cell.dead then
      cell.dead = true
      if cell.tokset then cell.tokset[cell] = nil end
      R.run_task(cell.rs.cleanup, nil, cell.holdings)
    end
  end
end

local function arm_task()
  if not task_armed and pending[1] then
    task_armed = true
    R.set_immediate(run_pending)
  end
end

-- The set of cells of a target, kept by the metatable of its watching userdata
local function watch(target)
  local u = watchers[target]
  if u then return getmetatable(u).cells end
  u = newproxy(true)
  local mt = getmetatable(u)
  local cells = {}
  mt.cells = cells
  mt.__gc = function()
    local n = #pending
    for cell in next, cells do
      if not cell.dead then n = n + 1; pending[n] = cell end
    end
    R.enqueue_microtask(arm_task)
  end
  watchers[target] = u
  return cells
end

local FinalizationRegistryPrototype = R.newobj()
R.note_hidden(FinalizationRegistryPrototype, "constructor")

local function FinalizationRegistry(this, cleanup)
  constructed(this, "FinalizationRegistry", FinalizationRegistryPrototype)
  if not R.iscallable(cleanup) then type_error("FinalizationRegistry: cleanup must be callable") end
  regs[this] = {cleanup = cleanup, tokens = setmetatable({}, WEAKK)}
  return this
end
R.ctor("FinalizationRegistry", 1, FinalizationRegistry, FinalizationRegistryPrototype)
R.reads_new_target(FinalizationRegistry)

local function bad_token(token)
  type_error("Invalid unregisterToken ('" .. describe(token) .. "')")
end

method(FinalizationRegistryPrototype, "register", 2, function(this, target, holdings, token)
  local rs = regs[this]
  if not rs then incompatible("FinalizationRegistry.prototype.register", this) end
  if not can_be_held_weakly(target) then type_error("FinalizationRegistry.prototype.register: invalid target") end
  if rawequal(target, holdings) then
    type_error("FinalizationRegistry.prototype.register: target and holdings must not be same")
  end
  if token ~= nil and not can_be_held_weakly(token) then bad_token(token) end
  local cells = watch(target)
  seq = seq + 1
  local cell = {holdings = holdings, rs = rs, watch = cells, seq = seq}
  cells[cell] = true
  if token ~= nil then
    local set = rs.tokens[token]
    if not set then set = {}; rs.tokens[token] = set end
    set[cell] = true
    cell.tokset = set
  end
  return nil
end)

method(FinalizationRegistryPrototype, "unregister", 1, function(this, token)
  local rs = regs[this]
  if not rs then incompatible("FinalizationRegistry.prototype.unregister", this) end
  if not can_be_held_weakly(token) then bad_token(token) end
  local set = rs.tokens[token]
  if not set then return false end
  rs.tokens[token] = nil
  local removed = false
  for cell in next, set do
    if not cell.dead then
      cell.dead = true
      cell.watch[cell] = nil
      removed = true
    end
  end
  return removed
end)
R.tag(FinalizationRegistryPrototype, "FinalizationRegistry")

return R
