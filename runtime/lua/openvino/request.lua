-- openvino.request: ov.InferRequest. infer() runs synchronously; inferAsync() starts OpenVINO's
-- own asynchronous inference and polls it (OpenVINO's completion callback runs on another thread,
-- which must never enter Lua), so other JS work goes on meanwhile.
local ffi = require("ffi")
local R = require("ljs.core")
local lib = require("openvino.lib")
local tensor = require("openvino.tensor")
local model = require("openvino.model")

local C, check, fail = lib.C, lib.check, lib.fail
local type, rawget, rawset, setmetatable = type, rawget, rawset, setmetatable
local null = R.null
local wrap_tensor, handle = tensor.wrap, tensor.handle

local RPTR, COMPILED, HELD, NAMES, SHAPE, LAST_MS = {}, {}, {}, {}, {}, {}   -- private keys

local reqpp, tensorpp = ffi.typeof("ov_infer_request_t *[1]"), ffi.typeof("ov_tensor_t *[1]")
local tbox = tensorpp()
local RESULT_NOT_READY = C.RESULT_NOT_READY

local proto, mt, req_ptr = lib.factory_class("InferRequest", RPTR, "compiledModel.createInferRequest()")

local function create(compiled)
  local box = reqpp()
  check(C.ov_compiled_model_create_infer_request(model.compiled_ptr(compiled), box), "createInferRequest")
  local o = setmetatable({}, mt)
  rawset(o, RPTR, ffi.gc(box[0], C.ov_infer_request_free))
  rawset(o, COMPILED, compiled)
  rawset(o, HELD, {})   -- tensors set on the request: their memory must outlive it
  local outs = model.compiled_ports(compiled, "out")
  local names = {}
  for i = 0, outs.length - 1 do names[i + 1] = outs[i].anyName end
  rawset(o, NAMES, names)
  rawset(o, SHAPE, R.shape(names))
  return o
end

-- A Tensor, or a typed array / plain array given the input's element type and static shape
local function as_tensor(this, v, port, what)
  if tensor.is_tensor(v) then return v end
  if v == nil or v == null or type(v) ~= "table" then
    R.throw_error("TypeError", what .. ": expected an ov.Tensor or a typed array, got " .. R.typeof(v))
  end
  local shape = port.shape
  for i = 0, shape.length - 1 do
    if shape[i] < 0 then
      R.throw_error("TypeError", what .. ": input '" .. port.anyName .. "' has the dynamic shape " ..
                    port.partialShape .. "; pass an ov.Tensor with a shape")
    end
  end
  return R.new(tensor.Tensor, port.elementType, shape, v)
end

local function input_port(this, key, what)
  local ins = model.compiled_ports(rawget(this, COMPILED), "in")
  if type(key) == "number" then
    local p = ins[key]
    if not p then R.throw_error("RangeError", what .. ": input index " .. key .. " out of range (" .. ins.length .. " inputs)") end
    return p
  end
  for i = 0, ins.length - 1 do if ins[i].anyName == key then return ins[i] end end
  R.throw_error("Error", what .. ": the model has no input named '" .. key .. "'")
end

local function set_by_index(this, p, i, v, what)
  local t = as_tensor(this, v, input_port(this, i, what), what)
  check(C.ov_infer_request_set_input_tensor_by_index(p, i, handle(t)), what)
  rawget(this, HELD)[i] = t
end

local function set_by_name(this, p, name, v, what)
  local t = as_tensor(this, v, input_port(this, name, what), what)
  check(C.ov_infer_request_set_tensor(p, name, handle(t)), what)
  rawget(this, HELD)[name] = t
end

-- infer(inputs): inputs is an array (by input index) or an object (by input name)
local function set_inputs(this, p, inputs, what)
  if inputs == nil or inputs == null then return end
  if R.isarray(inputs) then
    for i = 0, rawget(inputs, "length") - 1 do set_by_index(this, p, i, rawget(inputs, i), what) end
  elseif type(inputs) == "table" then
    local keys, n = R.ownkeys(inputs)
    for i = 1, n do set_by_name(this, p, R.tostr(keys[i]), R.get(inputs, keys[i]), what) end
  else
    R.throw_error("TypeError", what .. ": inputs must be an array or an object keyed by input name")
  end
end

-- {outputName: Tensor, ...} over the request's output tensors
local function results(this, p, what)
  local names = rawget(this, NAMES)
  local out = {[R.SHAPE] = rawget(this, SHAPE)}
  for i = 1, #names do
    check(C.ov_infer_request_get_output_tensor_by_index(p, i - 1, tbox), what)
    out[names[i]] = wrap_tensor(tbox[0], this)
  end
  return setmetatable(out, R.ObjectMT)
end

R.method(proto, "infer", 1, function(this, inputs)
  local p = req_ptr(this, "infer")
  set_inputs(this, p, inputs, "infer")
  local st = C.ov_infer_request_infer(p)
  if st ~= 0 then fail(st, "infer") end
  return results(this, p, "infer")
end)

-- inferAsync: every request in flight is checked by one poller that the event loop runs as a timer
-- callback. Requests that took under a millisecond last time are awaited in a short spin (for at
-- most BUDGET_MS per callback), with the microtasks their results start run in between, since the
-- loop's timers could not notice them sooner than a millisecond later; longer ones are checked
-- once a millisecond while the loop runs other callbacks.
local BUDGET_MS, QUICK_MS = 1, 1
local now_ms, set_timeout, set_immediate = R.now_ms, nil, nil
local flight, nflight, poller_pending = {}, 0, false   -- flight[i] = {request, ptr, promise, t0}

local function finish(f, st)
  local this, p = f[1], f[2]
  rawset(this, LAST_MS, now_ms() - f[4])
  local ok, v = pcall(function()
    if st ~= 0 then fail(st, "inferAsync") end
    return results(this, p, "inferAsync")
  end)
  if ok then R.resolve_promise(f[3], v) else R.reject_promise(f[3], R.caught(v)) end
end

-- Check each request once; settle those that are done. Returns how many were, and whether one
-- still in flight is expected to end within a millisecond.
local function sweep()
  local done, soon, now, i = 0, false, now_ms(), 1
  while i <= nflight do
    local f = flight[i]
    local st = C.ov_infer_request_wait_for(f[2], 0)
    if st ~= RESULT_NOT_READY then
      flight[i] = flight[nflight]; flight[nflight] = nil; nflight = nflight - 1
      finish(f, st)
      done = done + 1
    else
      local last = rawget(f[1], LAST_MS) or 0
      if last < QUICK_MS and f[4] + 2 * last + QUICK_MS > now then soon = true end
      i = i + 1
    end
  end
  return done, soon
end

local function poller()
  poller_pending = false
  local deadline = now_ms() + BUDGET_MS
  while nflight > 0 do
    local done, soon = sweep()
    if done > 0 then R.drain_microtasks() end   -- continuations may start the next requests
    if (done == 0 and not soon) or now_ms() > deadline then break end
  end
  if nflight > 0 then
    poller_pending = true
    set_timeout(nil, poller, 0)
  end
end

R.method(proto, "inferAsync", 1, function(this, inputs)
  local promise = R.new_promise()
  local ok, err = pcall(function()
    local p = req_ptr(this, "inferAsync")
    set_inputs(this, p, inputs, "inferAsync")
    check(C.ov_infer_request_start_async(p), "inferAsync")
    nflight = nflight + 1
    flight[nflight] = {this, p, promise, now_ms()}
    if not poller_pending then
      poller_pending = true
      set_timeout, set_immediate = rawget(R.G, "setTimeout"), rawget(R.G, "setImmediate")
      set_immediate(nil, poller)
    end
  end)
  if not ok then R.reject_promise(promise, R.caught(err)) end
  return promise
end)

-- setInputTensor(tensor) / setInputTensor(index, tensor); the same for outputs
R.method(proto, "setInputTensor", 2, function(this, a, b)
  local p = req_ptr(this, "setInputTensor")
  if b == nil then set_by_index(this, p, 0, a, "setInputTensor") else set_by_index(this, p, R.tonum(a), b, "setInputTensor") end
end)

R.method(proto, "setOutputTensor", 2, function(this, a, b)
  local p = req_ptr(this, "setOutputTensor")
  local i, t = 0, a
  if b ~= nil then i, t = R.tonum(a), b end
  check(C.ov_infer_request_set_output_tensor_by_index(p, i, handle(t, "setOutputTensor")), "setOutputTensor")
  rawget(this, HELD)["out" .. i] = t
end)

R.method(proto, "setTensor", 2, function(this, name, t)
  local p = req_ptr(this, "setTensor")
  name = type(name) == "table" and rawget(name, "anyName") or R.tostr(name)
  check(C.ov_infer_request_set_tensor(p, name, handle(t, "setTensor")), "setTensor('" .. name .. "')")
  rawget(this, HELD)["t:" .. name] = t
end)

local function getter(name, fn_index)
  R.method(proto, name, 1, function(this, i)
    local p = req_ptr(this, name)
    check(C[fn_index](p, i == nil and 0 or R.tonum(i), tbox), name)
    return wrap_tensor(tbox[0], this)
  end)
end
getter("getInputTensor", "ov_infer_request_get_input_tensor_by_index")
getter("getOutputTensor", "ov_infer_request_get_output_tensor_by_index")

R.method(proto, "getTensor", 1, function(this, name)
  local p = req_ptr(this, "getTensor")
  name = type(name) == "table" and rawget(name, "anyName") or R.tostr(name)
  check(C.ov_infer_request_get_tensor(p, name, tbox), "getTensor('" .. name .. "')")
  return wrap_tensor(tbox[0], this)
end)

R.method(proto, "getCompiledModel", 0, function(this) return rawget(this, COMPILED) end)

lib.inspect_as(proto, "InferRequest", function(this)
  local names = rawget(this, NAMES)
  local a = {length = #names}
  for i = 1, #names do a[i - 1] = names[i] end
  return lib.plain({"outputs"}, {setmetatable(a, R.ArrayMT)})
end)

R.method(model.compproto, "createInferRequest", 0, function(this) return create(this) end)

return {InferRequest = proto.constructor}
