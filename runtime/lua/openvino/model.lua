-- openvino.model: ov.Model (a read model, reshaped before compiling), ov.CompiledModel and the
-- Output objects that describe their inputs and outputs (anyName, shape, elementType).
local ffi = require("ffi")
local R = require("ljs.core")
local lib = require("openvino.lib")

local C, check = lib.C, lib.check
local type, rawget, rawset, setmetatable, tonumber = type, rawget, rawset, setmetatable, tonumber
local null = R.null

local MPTR, CPTR, PORTS, OWNER = {}, {}, {}, {}   -- private keys

local portpp = ffi.typeof("ov_output_const_port_t *[1]")
local charpp, sizep, elemp = ffi.typeof("char *[1]"), ffi.typeof("size_t[1]"), ffi.typeof("ov_element_type_e[1]")
local pshape_t, dimvla = ffi.typeof("ov_partial_shape_t"), ffi.typeof("ov_dimension_t[?]")
local pbox, cbox, nbox, ebox = portpp(), charpp(), sizep(), elemp()

---------------------------------------------------------------------------------------------
-- Output: what a port is, read once (the port itself is freed at once)
local outproto, outmt = lib.class("Output", 0, function()
  R.throw_error("TypeError", "Output objects come from model.inputs/outputs, not from new")
end)

local function port_info(port, index, what)
  local name
  if C.ov_port_get_any_name(port, cbox) == 0 then
    name = ffi.string(cbox[0]); C.ov_free(cbox[0])
  else
    name = tostring(index)   -- an unnamed tensor: known by its index
  end
  check(C.ov_port_get_element_type(port, ebox), what)
  local ps = pshape_t()
  check(C.ov_port_get_partial_shape(port, ps), what)
  local text = C.ov_partial_shape_to_string(ps)
  local pstext = ffi.string(text)
  C.ov_free(text)
  local shape, rank = {}, ps.rank
  local n = rank.min == rank.max and tonumber(rank.max) or 0
  for i = 0, n - 1 do
    local d = ps.dims[i]
    shape[i] = d.min == d.max and tonumber(d.max) or -1
  end
  shape.length = n
  C.ov_partial_shape_free(ps)
  local o = setmetatable({}, outmt)
  rawset(o, "anyName", name); R.addkey(o, "anyName")
  rawset(o, "shape", setmetatable(shape, R.ArrayMT)); R.addkey(o, "shape")
  rawset(o, "elementType", lib.element_by_enum[tonumber(ebox[0])] and lib.element_by_enum[tonumber(ebox[0])].name
                            or ("#" .. tonumber(ebox[0]))); R.addkey(o, "elementType")
  rawset(o, "partialShape", pstext); R.addkey(o, "partialShape")
  rawset(o, "index", index)
  return o
end

R.method(outproto, "getAnyName", 0, function(this) return rawget(this, "anyName") end)
R.method(outproto, "getShape", 0, function(this) return rawget(this, "shape") end)
R.method(outproto, "getPartialShape", 0, function(this) return rawget(this, "partialShape") end)
R.method(outproto, "toString", 0, function(this) return rawget(this, "anyName") end)

-- inputs or outputs of a model/compiled model, as a JS array of Outputs (cached on the object)
local function ports(this, p, kind, api)
  local cache = rawget(this, PORTS)
  if not cache then cache = {}; rawset(this, PORTS, cache) end
  if cache[kind] then return cache[kind] end
  local what = kind == "in" and "inputs" or "outputs"
  check(api[kind .. "_size"](p, nbox), what)
  local n = tonumber(nbox[0])
  local a = {length = n}
  for i = 0, n - 1 do
    check(api[kind .. "_by_index"](p, i, pbox), what)
    local port = pbox[0]
    local ok, info = pcall(port_info, port, i, what)
    C.ov_output_const_port_free(port)
    if not ok then error(info, 0) end
    a[i] = info
  end
  a = setmetatable(a, R.ArrayMT)
  cache[kind] = a
  return a
end

-- model.input() / input(index) / input(name)
local function pick(this, p, kind, api, key)
  local list = ports(this, p, kind, api)
  local what = kind == "in" and "input" or "output"
  if key == nil then
    if list.length ~= 1 then
      R.throw_error("Error", what .. "(): the model has " .. list.length .. " " .. what .. "s; name one")
    end
    return list[0]
  end
  if type(key) == "number" then
    local o = list[key]
    if not o then R.throw_error("RangeError", what .. "(" .. key .. "): index out of range (" .. list.length .. " " .. what .. "s)") end
    return o
  end
  key = R.tostr(key)
  for i = 0, list.length - 1 do if list[i].anyName == key then return list[i] end end
  -- other names of the same tensor: ask OpenVINO
  check(api[kind .. "_by_name"](p, key, pbox), what .. "('" .. key .. "')")
  local port = pbox[0]
  local ok, info = pcall(port_info, port, nil, what)
  C.ov_output_const_port_free(port)
  if not ok then error(info, 0) end
  for i = 0, list.length - 1 do if list[i].anyName == info.anyName then return list[i] end end
  return info
end

-- the C functions behind ports()/pick() for a model (ov_model_*) or a compiled model, looked up on use
local NAMES = {in_size = "inputs_size", out_size = "outputs_size", in_by_index = "const_input_by_index",
               out_by_index = "const_output_by_index", in_by_name = "const_input_by_name",
               out_by_name = "const_output_by_name"}
local function api_for(prefix)
  return setmetatable({}, {__index = function(t, k)
    local name = NAMES[k]
    if prefix == "ov_compiled_model_" then name = (string.gsub(name, "^const_", "")) end
    local f = C[prefix .. name]
    rawset(t, k, f)
    return f
  end})
end
local MODEL_API = api_for("ov_model_")
local COMPILED_API = api_for("ov_compiled_model_")

---------------------------------------------------------------------------------------------
-- Model
local modelproto, modelmt, model_ptr = lib.factory_class("Model", MPTR, "core.readModel")

local function wrap_model(ptr)
  local o = setmetatable({}, modelmt)
  rawset(o, MPTR, ffi.gc(ptr, C.ov_model_free))
  return o
end

lib.getter(modelproto, "inputs", function(this) return ports(this, model_ptr(this), "in", MODEL_API) end)
lib.getter(modelproto, "outputs", function(this) return ports(this, model_ptr(this), "out", MODEL_API) end)
R.method(modelproto, "input", 1, function(this, k) return pick(this, model_ptr(this), "in", MODEL_API, k) end)
R.method(modelproto, "output", 1, function(this, k) return pick(this, model_ptr(this), "out", MODEL_API, k) end)
R.method(modelproto, "getName", 0, function(this)
  return lib.take_string(C.ov_model_get_friendly_name, "Model.getName", model_ptr(this))
end)
R.method(modelproto, "isDynamic", 0, function(this) return C.ov_model_is_dynamic(model_ptr(this)) end)

-- A JS shape with dynamic dimensions: numbers, -1 or "?" (any size), [min, max] (a range)
local function to_partial(a, what)
  if not R.isarray(a) then R.throw_error("TypeError", what .. ": a shape must be an array") end
  local n = rawget(a, "length")
  local dims = dimvla(n > 0 and n or 1)
  for i = 0, n - 1 do
    local d = rawget(a, i)
    if d == -1 or d == "?" then
      dims[i].min, dims[i].max = -1, -1
    elseif type(d) == "number" and d >= 0 and d == math.floor(d) then
      dims[i].min, dims[i].max = d, d
    elseif R.isarray(d) and type(rawget(d, 0)) == "number" and type(rawget(d, 1)) == "number" then
      dims[i].min, dims[i].max = rawget(d, 0), rawget(d, 1)
    else
      R.throw_error("TypeError", what .. ": dimension " .. i .. " is " .. R.tostr(d) ..
                    " (use a size, -1 or '?' for any size, or [min, max])")
    end
  end
  local ps = pshape_t()
  check(C.ov_partial_shape_create(n, dims, ps), what)
  return ffi.gc(ps, C.ov_partial_shape_free)
end

-- model.reshape(shape) for a model with one input, or model.reshape({inputName: shape, ...})
R.method(modelproto, "reshape", 1, function(this, spec)
  local p = model_ptr(this, "Model.reshape")
  if R.isarray(spec) then
    check(C.ov_model_reshape_single_input(p, to_partial(spec, "Model.reshape")), "Model.reshape")
  elseif type(spec) == "table" and spec ~= null then
    local keys, n = R.ownkeys(spec)
    for i = 1, n do
      local name = R.tostr(keys[i])
      check(C.ov_model_reshape_input_by_name(p, name, to_partial(R.get(spec, keys[i]), "Model.reshape")),
            "Model.reshape('" .. name .. "')")
    end
  else
    R.throw_error("TypeError", "Model.reshape: expected a shape array or an object of input name -> shape")
  end
  rawset(this, PORTS, nil)
  return this
end)

lib.inspect_as(modelproto, "Model", function(this)
  return lib.plain({"name", "inputs", "outputs"},
                   {lib.take_string(C.ov_model_get_friendly_name, "Model.getName", model_ptr(this)),
                    ports(this, model_ptr(this), "in", MODEL_API), ports(this, model_ptr(this), "out", MODEL_API)})
end)

---------------------------------------------------------------------------------------------
-- CompiledModel
local compproto, compmt, compiled_ptr = lib.factory_class("CompiledModel", CPTR, "core.compileModel")

-- owner: the Core, kept alive as long as what it compiled
local function wrap_compiled(ptr, owner)
  local o = setmetatable({}, compmt)
  rawset(o, CPTR, ffi.gc(ptr, C.ov_compiled_model_free))
  rawset(o, OWNER, owner)
  return o
end

lib.getter(compproto, "inputs", function(this) return ports(this, compiled_ptr(this), "in", COMPILED_API) end)
lib.getter(compproto, "outputs", function(this) return ports(this, compiled_ptr(this), "out", COMPILED_API) end)
R.method(compproto, "input", 1, function(this, k) return pick(this, compiled_ptr(this), "in", COMPILED_API, k) end)
R.method(compproto, "output", 1, function(this, k) return pick(this, compiled_ptr(this), "out", COMPILED_API, k) end)

R.method(compproto, "getProperty", 1, function(this, key)
  return lib.property_value(lib.take_string(C.ov_compiled_model_get_property, "CompiledModel.getProperty",
                                            compiled_ptr(this), R.tostr(key)))
end)

R.method(compproto, "setProperty", 1, function(this, cfg)
  local kv = lib.config_pairs(cfg, "CompiledModel.setProperty")
  for i = 1, #kv, 2 do   -- one pair per call, as ov_compiled_model_set_property reads one
    check(C.ov_compiled_model_set_property(compiled_ptr(this), kv[i], kv[i + 1]),
          "CompiledModel.setProperty('" .. kv[i] .. "')")
  end
end)

R.method(compproto, "exportModelSync", 1, function(this, path)
  check(C.ov_compiled_model_export_model(compiled_ptr(this), R.tostr(path)), "CompiledModel.exportModel")
end)

lib.inspect_as(compproto, "CompiledModel", function(this)
  return lib.plain({"inputs", "outputs"}, {ports(this, compiled_ptr(this), "in", COMPILED_API),
                                           ports(this, compiled_ptr(this), "out", COMPILED_API)})
end)

return {model_ptr = model_ptr, wrap_model = wrap_model, compiled_ptr = compiled_ptr, wrap_compiled = wrap_compiled,
        compiled_ports = function(m, kind) return ports(m, compiled_ptr(m), kind, COMPILED_API) end,
        compproto = compproto, Model = modelproto.constructor, CompiledModel = compproto.constructor}
