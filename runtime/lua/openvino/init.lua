-- openvino: what `import * as ov from "openvino"` gives, with the names of OpenVINO's JavaScript API
-- (`require("openvino-node").addon` is the same object). Everything runs through OpenVINO's C API
-- (bindings/openvino.lua) over LuaJIT's FFI; every C object is released by the collector.
local ffi = require("ffi")
local R = require("ljs.core")
local lib = require("openvino.lib")
local tensor = require("openvino.tensor")
local model = require("openvino.model")
local request = require("openvino.request")

local C, check = lib.C, lib.check
local type, rawget, rawset, setmetatable, tonumber = type, rawget, rawset, setmetatable, tonumber
local null = R.null

local CORE = {}   -- private key: the ov_core_t*
local corepp, modelpp, comppp = ffi.typeof("ov_core_t *[1]"), ffi.typeof("ov_model_t *[1]"),
                                ffi.typeof("ov_compiled_model_t *[1]")
local devs_t = ffi.typeof("ov_available_devices_t")

local proto
local function Core(this)
  if not R.constructing(this, proto) then R.throw_error("TypeError", "Class constructor Core cannot be invoked without 'new'") end
  lib.load()
  local box = corepp()
  check(C.ov_core_create(box), "new Core")
  rawset(this, CORE, ffi.gc(box[0], C.ov_core_free))
  return this
end
proto = lib.class("Core", 0, Core)

local function core_ptr(c, what)
  local p = type(c) == "table" and rawget(c, CORE)
  if not p then R.throw_error("TypeError", what .. ": expected an ov.Core") end
  return p
end

-- A synchronous method and its Promise-returning twin. OpenVINO's C API has no asynchronous read or
-- compile, so the twin takes its arguments now (what `prepare` returns: a function doing the C call)
-- and makes that call in a macrotask of its own (setImmediate's queue): the Promise is pending when
-- returned, jobs run in the order they were asked for, and timers and I/O run between them. The C
-- call itself still blocks the thread for as long as it takes.
local set_immediate = rawget(R.G, "setImmediate")

local function settle(_, p, work)
  local ok, v = pcall(work)
  if ok then R.resolve_promise(p, v) else R.reject_promise(p, R.caught(v)) end
end

local function method_pair(name, len, prepare)
  R.method(proto, name .. "Sync", len, function(this, ...) return prepare(this, ...)() end)
  R.method(proto, name, len, function(this, ...)
    local p = R.new_promise()
    local ok, work = pcall(prepare, this, ...)
    if ok then set_immediate(nil, settle, p, work) else R.reject_promise(p, R.caught(work)) end
    return p
  end)
end

R.method(proto, "getAvailableDevices", 0, function(this)
  local d = devs_t()
  check(C.ov_core_get_available_devices(core_ptr(this, "getAvailableDevices"), d), "getAvailableDevices")
  local a = {length = tonumber(d.size)}
  for i = 0, a.length - 1 do a[i] = ffi.string(d.devices[i]) end
  C.ov_available_devices_free(d)
  return setmetatable(a, R.ArrayMT)
end)

local function read_model(p, path, weights)
  local box = modelpp()
  check(C.ov_core_read_model(p, path, weights, box), "readModel('" .. path .. "')")
  return model.wrap_model(box[0])
end

-- readModel(path) reads IR (.xml beside its .bin, or weightsPath) and ONNX
method_pair("readModel", 2, function(this, path, weights)
  local p = core_ptr(this, "readModel")
  if type(path) ~= "string" then R.throw_error("TypeError", "readModel: the model path must be a string") end
  weights = (weights ~= nil and weights ~= null) and R.tostr(weights) or nil
  return function() return read_model(p, path, weights) end
end)

-- m: a path or the ov_model_t* (its Model object is held by the caller's closure)
local function compile_model(core, p, m, mp, device, kv)
  local box = comppp()
  local what = "compileModel(" .. (mp and "" or ("'" .. m .. "', ")) .. "'" .. device .. "')"
  if mp then
    check(C.ov_core_compile_model(p, mp, device, #kv, box, unpack(kv)), what)
  else
    check(C.ov_core_compile_model_from_file(p, m, device, #kv, box, unpack(kv)), what)
  end
  return model.wrap_compiled(box[0], core)
end

-- compileModel(model | path, device = "CPU", config = {KEY: value})
method_pair("compileModel", 3, function(this, m, device, config)
  local p = core_ptr(this, "compileModel")
  device = (device == nil or device == null) and "CPU" or R.tostr(device)
  local kv = lib.config_pairs(config, "compileModel")
  local mp = type(m) ~= "string" and model.model_ptr(m, "compileModel")
  return function() return compile_model(this, p, m, mp, device, kv) end
end)

-- setProperty({KEY: value}) for every device, or setProperty(device, {KEY: value})
R.method(proto, "setProperty", 2, function(this, a, b)
  local p = core_ptr(this, "setProperty")
  local device, cfg = nil, a
  if b ~= nil then device, cfg = R.tostr(a), b end
  local kv = lib.config_pairs(cfg, "setProperty")
  -- one pair per call: ov_core_set_property reads a single key and value from its arguments
  for i = 1, #kv, 2 do
    check(C.ov_core_set_property(p, device, kv[i], kv[i + 1]), "setProperty('" .. kv[i] .. "')")
  end
end)

-- getProperty(device, key); getProperty(key) asks the CPU device
R.method(proto, "getProperty", 2, function(this, a, b)
  local p = core_ptr(this, "getProperty")
  local device, key = "CPU", a
  if b ~= nil then device, key = R.tostr(a), b end
  key = R.tostr(key)
  return lib.property_value(lib.take_string(C.ov_core_get_property, "getProperty('" .. device .. "', '" .. key .. "')",
                                            p, device, key))
end)

lib.inspect_as(proto, "Core", function() return R.newobj() end)

local function version()
  lib.load()
  local v = ffi.new("ov_version_t")
  check(C.ov_get_openvino_version(v), "getVersion")
  local s = ffi.string(v.buildNumber)
  C.ov_version_free(v)
  return s
end

local exports = lib.plain(
  {"Core", "Tensor", "Model", "CompiledModel", "InferRequest", "element", "getVersion"},
  {Core, tensor.Tensor, model.Model, model.CompiledModel, request.InferRequest, lib.element,
   R.fn(version, "getVersion", 0)})
rawset(exports, "addon", exports); R.addkey(exports, "addon")   -- require("openvino-node").addon

return exports
