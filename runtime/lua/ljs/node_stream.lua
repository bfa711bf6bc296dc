-- ljs.node_stream: node's `stream` module (Readable, Writable, Duplex, Transform, PassThrough,
-- pipeline, finished, Readable.from, async iteration) and `stream/promises`,
-- `stream/consumers`, loaded on the first require of one of them.
--
-- The order of events and callbacks is what programs observe, so the state machines keep
-- node 20's: which step runs at once, which on process.nextTick, and the flags that decide
-- between them. The states are tables the stream carries as `_readableState` and
-- `_writableState` (packages read their fields: ended, length, objectMode, ...); their fields
-- are plain raw keys, so that the Lua code here and JavaScript see the same values.
--
-- process.stdout and process.stderr are no streams in this runtime (objects with `write`):
-- pipe() and pipeline() write to them through a small Writable of their own and never end them.
-- fs.ReadStream and fs.WriteStream build on Readable and Writable in ljs.node_fs.
local R = require("ljs.core")
require("ljs.promise")
require("ljs.nodelib")
local B = require("ljs.node_buffer")

local type, rawget, rawset, select, pcall, setmetatable, getmetatable, error =
      type, rawget, rawset, select, pcall, setmetatable, getmetatable, error
local floor, huge = math.floor, math.huge
local concat = table.concat
local null = R.null
local N = R.nodelib
local put, coded_error, invalid_arg_type = N.put, N.coded_error, N.invalid_arg_type
local callable, truthy = R.iscallable, R.truthy

local EventEmitter = R.builtin_modules.events()
local EEProto = EventEmitter.prototype
local ee_on, ee_remove, ee_remove_all = EEProto.on, EEProto.removeListener, EEProto.removeAllListeners

local M = {}

---------------------------------------------------------------------------------------------
-- Helpers

local function present(v) return v ~= nil and v ~= null end
local function is_object(v) return (type(v) == "table" or type(v) == "function") and v ~= null end

-- process.nextTick(f, ...): f receives (nil, ...), as a JS callback receives `this` first
local NO_ARGS = R.pack()
local function tick(f, ...)
  if select("#", ...) == 0 then R.enqueue_tick(f, NO_ARGS) else R.enqueue_tick(f, R.pack(...)) end
end

local function fnx(name, len, f) return N.builtin(name, len, f) end
local nop = fnx("nop", 0, function() end)

local function caught(e) return R.caught(e) end

-- a JS object with keys in the order given
local jsobject = N.jsobject

local function arr_push(a, v)
  local n = rawget(a, "length")
  rawset(a, n, v)
  rawset(a, "length", n + 1)
end

local function arr_index(a, v)
  for i = 0, rawget(a, "length") - 1 do
    if rawequal(rawget(a, i), v) then return i end
  end
  return -1
end

local function arr_remove(a, pos)
  local n = rawget(a, "length")
  for i = pos, n - 2 do rawset(a, i, rawget(a, i + 1)) end
  rawset(a, n - 1, nil)
  rawset(a, "length", n - 1)
end

-- a class of this module: constructor f, its prototype inheriting from parent_proto, its
-- statics from parent (node's classes here have no Symbol.toStringTag)
local class = R.library_class

local function getter(proto, name, get, set)
  R.defprop(proto, name, {
    get = fnx("get " .. name, 0, get),
    set = set and fnx("set " .. name, 1, set) or nil,
    enumerable = false, configurable = true})
end

---------------------------------------------------------------------------------------------
-- node's errors

local function e_destroyed(what)
  return coded_error("Error", "ERR_STREAM_DESTROYED", "Cannot call " .. what .. " after a stream was destroyed")
end
local function e_premature() return coded_error("Error", "ERR_STREAM_PREMATURE_CLOSE", "Premature close") end
local function e_not_impl(m)
  return coded_error("Error", "ERR_METHOD_NOT_IMPLEMENTED", "The " .. m .. " method is not implemented")
end
local function e_multiple() return coded_error("Error", "ERR_MULTIPLE_CALLBACK", "Callback called multiple times") end
local function e_null_values() return coded_error("TypeError", "ERR_STREAM_NULL_VALUES", "May not write null values to stream") end
local function e_invalid_value(name, v)
  local s = R.inspect(v)
  if #s > 128 then s = string.sub(s, 1, 128) .. "..." end
  return coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The " .. (string.find(name, ".", 1, true) and "property" or "argument") ..
    " '" .. name .. "' is invalid. Received " .. s)
end
local function e_unknown_encoding(enc)
  return coded_error("TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: " .. R.tostr(enc))
end
local CHUNK_TYPES = {"string", "Buffer", "TypedArray", "DataView"}

-- node's aggregateTwoErrors: the inner error, or both in an AggregateError
local function aggregate(inner, outer)
  if present(inner) and present(outer) and not rawequal(inner, outer) then
    if R.isarray(outer.errors) then
      arr_push(outer.errors, inner)
      return outer
    end
    local ctor = rawget(R.G, "AggregateError")
    if ctor then
      local e = R.new(ctor, R.pack(outer, inner), outer.message)
      put(e, "code", outer.code)
      return e
    end
  end
  if present(inner) then return inner end
  return outer
end

---------------------------------------------------------------------------------------------
-- Chunks: Buffers (other ArrayBufferViews become Buffers over the same bytes) and strings

local Buffer = B.Buffer
local is_buffer = B.is_buffer

local function is_view(v)
  if type(v) ~= "table" then return false end
  if is_buffer(v) then return true end
  return (R.typed_kind and R.typed_kind(v) ~= nil) or (R.dataview_state and R.dataview_state(v) ~= nil) or false
end

local function view_to_buffer(v)
  if is_buffer(v) then return v end
  return Buffer.from(Buffer, v.buffer, v.byteOffset, v.byteLength)
end

local function buffer_of(s, enc)
  return B.from_bytes(B.encode(s, B.encoding_of(enc)))
end

-- JS length of a chunk: UTF-16 units of a string, bytes of a Buffer
local function chunk_len(c)
  if type(c) == "string" then return R.strlen(c) end
  return c.length
end

local function bytes_of(buf) return B.bytes_in(buf, 0, buf.length) end

-- Stream.prototype helpers shared by the classes
local default_hwm, default_obj_hwm = 16384, 16

local function hwm_from(opts, key, is_duplex)
  local h = opts.highWaterMark
  if present(h) then return h end
  if is_duplex then return opts[key] end
  return nil
end

local function get_hwm(opts, key, is_duplex, object_mode)
  local h = present(opts) and hwm_from(opts, key, is_duplex) or nil
  if present(h) then
    if type(h) ~= "number" or h ~= floor(h) or h < 0 or h == huge then
      R.throw(e_invalid_value(is_duplex and ("options." .. key) or "options.highWaterMark", h))
    end
    return floor(h)
  end
  return object_mode and default_obj_hwm or default_hwm
end

---------------------------------------------------------------------------------------------
-- Classes (filled in below)

local Stream, Readable, Writable, Duplex, Transform, PassThrough
local StreamProto, ReadableProto, WritableProto, DuplexProto, TransformProto, PassThroughProto
local RStateProto, WStateProto, RStateMT, WStateMT
local ReadableState, WritableState

-- What node keeps under symbols on a stream, in a table under a key JavaScript cannot name
-- (so not in its shape). Not a weak table keyed by the stream: the pair of a duplexPair, or a
-- Transform's pending callback, refer back to the stream, and LuaJIT's weak-keyed tables keep
-- such entries alive.
local PRIVATE = {}
local function priv_of(s) return type(s) == "table" and rawget(s, PRIVATE) or nil end
local function private(s)
  if type(s) ~= "table" then return {} end
  local p = rawget(s, PRIVATE)
  if not p then p = {}; rawset(s, PRIVATE, p) end
  return p
end

local function rstate(s) local r = s._readableState; if type(r) == "table" and r ~= null then return r end end
local function wstate(s) local w = s._writableState; if type(w) == "table" and w ~= null then return w end end

---------------------------------------------------------------------------------------------
-- Utilities of node's lib/internal/streams/utils.js, which pipeline and finished decide with

local function is_readable_node_stream(obj, strict)
  if not is_object(obj) then return false end
  if not (callable(obj.pipe) and callable(obj.on)) then return false end
  if strict and not (callable(obj.pause) and callable(obj.resume)) then return false end
  local w, r = obj._writableState, obj._readableState
  if present(w) then
    if not present(r) then return false end
    if r.readable == false then return false end
  end
  return true
end

local function is_writable_node_stream(obj)
  if not is_object(obj) then return false end
  if not (callable(obj.write) and callable(obj.on)) then return false end
  local r, w = obj._readableState, obj._writableState
  if present(r) and present(w) and w.writable == false then return false end
  if present(r) and not present(w) then return false end
  return true
end

local function is_node_stream(obj)
  if not is_object(obj) then return false end
  if present(obj._readableState) or present(obj._writableState) then return true end
  if callable(obj.on) and (callable(obj.write) or callable(obj.pipe)) then return true end
  return false
end

local function is_iterable(obj, is_async)
  if not present(obj) then return false end
  if type(obj) ~= "table" and type(obj) ~= "string" then return false end
  if is_async == true then return callable(obj[R.sym_asyncIterator]) end
  if is_async == false then return callable(obj[R.sym_iterator]) end
  return callable(obj[R.sym_asyncIterator]) or callable(obj[R.sym_iterator])
end

local kConstruct, kDestroy = R.newsymbol("kConstruct"), R.newsymbol("kDestroy")

local function is_destroyed(s)
  if not is_node_stream(s) then return nil end
  local st = wstate(s) or rstate(s)
  local p = priv_of(s)
  return truthy(s.destroyed) or (p ~= nil and p.destroyed_mark == true) or (st ~= nil and truthy(st.destroyed))
end

local function is_writable_ended(s)
  if not is_writable_node_stream(s) then return nil end
  if s.writableEnded == true then return true end
  local w = wstate(s)
  if w and present(w.errored) then return false end
  if not w or type(w.ended) ~= "boolean" then return nil end
  return w.ended
end

local function is_writable_finished(s, strict)
  if not is_writable_node_stream(s) then return nil end
  if s.writableFinished == true then return true end
  local w = wstate(s)
  if w and present(w.errored) then return false end
  if not w or type(w.finished) ~= "boolean" then return nil end
  return w.finished or (strict == false and w.ended == true and w.length == 0)
end

local function is_readable_finished(s, strict)
  if not is_readable_node_stream(s) then return nil end
  local r = rstate(s)
  if r and present(r.errored) then return false end
  if not r or type(r.endEmitted) ~= "boolean" then return nil end
  return r.endEmitted or (strict == false and r.ended == true and r.length == 0)
end

local function is_readable(s)
    if not is_object(s) or type(s.readable) ~= "boolean" then return nil end
  if is_destroyed(s) then return false end
  return is_readable_node_stream(s) and s.readable and not is_readable_finished(s)
end

local function is_writable(s)
  if not is_object(s) or type(s.writable) ~= "boolean" then return nil end
  if is_destroyed(s) then return false end
  return is_writable_node_stream(s) and s.writable and not is_writable_ended(s)
end

local function is_finished(s, opts)
  if not is_node_stream(s) then return nil end
  if is_destroyed(s) then return true end
  local want_r = not (present(opts) and opts.readable == false)
  local want_w = not (present(opts) and opts.writable == false)
  if want_r and is_readable(s) then return false end
  if want_w and is_writable(s) then return false end
  return true
end

local function is_closed(s)
  if not is_node_stream(s) then return nil end
  local w, r = wstate(s), rstate(s)
  if (w and type(w.closed) == "boolean") or (r and type(r.closed) == "boolean") then
    return (w and w.closed) or (r and r.closed) or false
  end
  return nil
end

-- the error of a stream's readable or writable side: its readableErrored / writableErrored, else its state's
local function errored_side(key, state)
  return function(s)
    if not is_node_stream(s) then return nil end
    if truthy(s[key]) then return s[key] end
    local st = state(s)
    if st and present(st.errored) then return st.errored end
    return nil
  end
end
local is_readable_errored = errored_side("readableErrored", rstate)
local is_writable_errored = errored_side("writableErrored", wstate)

local function will_emit_close(s)
  if not is_node_stream(s) then return nil end
  local st = wstate(s) or rstate(s)
  return st ~= nil and truthy(st.autoDestroy) and truthy(st.emitClose) and st.closed == false
end

local function is_disturbed(s)
  if not is_object(s) then return false end
  local r = rstate(s)
  return truthy(s.readableDidRead) or truthy(s.readableAborted) or (r ~= nil and r.dataEmitted == true) or false
end

-- the first of these that is neither null nor undefined (errorEmitted before errored, as node)
local function is_errored(s)
  if not is_object(s) then return false end
  local r, w = rstate(s), wstate(s)
  local candidates = {s.readableErrored, s.writableErrored, r and r.errorEmitted, w and w.errorEmitted,
                      r and r.errored, w and w.errored}
  for i = 1, 6 do
    local v = candidates[i]
    if present(v) then return truthy(v) end
  end
  return false
end

---------------------------------------------------------------------------------------------
-- Destruction (node's lib/internal/streams/destroy.js)

local function check_error(err, w, r)
  if present(err) then
    if w and not present(w.errored) then w.errored = err end
    if r and not present(r.errored) then r.errored = err end
  end
end

local function emit_close_nt(_, s)
  local w, r = wstate(s), rstate(s)
  if w then w.closeEmitted = true end
  if r then r.closeEmitted = true end
  if (w and truthy(w.emitClose)) or (r and truthy(r.emitClose)) then s:emit("close") end
end

local function emit_error_nt(_, s, err)
  local w, r = wstate(s), rstate(s)
  if (w and w.errorEmitted) or (r and r.errorEmitted) then return end
  if w then w.errorEmitted = true end
  if r then r.errorEmitted = true end
  s:emit("error", err)
end

local function emit_error_close_nt(_, s, err)
  emit_error_nt(nil, s, err)
  emit_close_nt(nil, s)
end

local function call_destroy(s, err, cb)
  local called = false
  local function on_destroy(_, e)
    if called then return end
    called = true
    local w, r = wstate(s), rstate(s)
    check_error(e, w, r)
    if w then w.closed = true end
    if r then r.closed = true end
    if callable(cb) then cb(nil, e) end
    if present(e) then tick(emit_error_close_nt, s, e) else tick(emit_close_nt, s) end
  end
  local ok, e = pcall(s._destroy, s, present(err) and err or null, fnx("onDestroy", 1, on_destroy))
  if not ok then on_destroy(nil, caught(e)) end
end

local function destroy(s, err, cb)
  local w, r = wstate(s), rstate(s)
  if (w and w.destroyed) or (r and r.destroyed) then
    if callable(cb) then cb(nil) end
    return s
  end
  check_error(err, w, r)
  if w then w.destroyed = true end
  if r then r.destroyed = true end
  local st = w or r
  if st and st.constructed == false then
    -- destroyed while _construct runs: _destroy waits for it
    s:once(kDestroy, fnx("", 1, function(_, er) call_destroy(s, aggregate(er, err), cb) end))
  else
    call_destroy(s, err, cb)
  end
  return s
end

local function undestroy(s)
  local r, w = rstate(s), wstate(s)
  if r then
    r.constructed = true; r.closed = false; r.closeEmitted = false; r.destroyed = false; r.errored = null
    r.errorEmitted = false; r.reading = false
    r.ended = r.readable == false; r.endEmitted = r.readable == false
  end
  if w then
    w.constructed = true; w.destroyed = false; w.closed = false; w.closeEmitted = false; w.errored = null
    w.errorEmitted = false; w.finalCalled = false; w.prefinished = false
    w.ended = w.writable == false; w.ending = w.writable == false; w.finished = w.writable == false
  end
end

-- errorOrDestroy: destroy with err (autoDestroy), else only emit it
local function error_or_destroy(s, err, sync)
  local r, w = rstate(s), wstate(s)
  if (w and w.destroyed) or (r and r.destroyed) then return end
  if (r and truthy(r.autoDestroy)) or (w and truthy(w.autoDestroy)) then
    s:destroy(err)
  elseif present(err) then
    if w and not present(w.errored) then w.errored = err end
    if r and not present(r.errored) then r.errored = err end
    if sync then tick(emit_error_nt, s, err) else emit_error_nt(nil, s, err) end
  end
end

-- _construct(cb): the stream's reads and writes wait until cb is called. As in node, the
-- waiting is a listener of a private event (eventNames() shows it meanwhile).
local function construct(s, after)
  if not callable(s._construct) then return end
  local r, w = rstate(s), wstate(s)
  if r then r.constructed = false end
  if w then w.constructed = false end
  s:once(kConstruct, fnx("", 0, after))
  if s:listenerCount(kConstruct) > 1 then return end   -- (a Duplex: both halves wait for one)
  tick(function()
    local called = false
    local function on_construct(_, err)
      if called then
        error_or_destroy(s, present(err) and err or e_multiple())
        return
      end
      called = true
      local r2, w2 = rstate(s), wstate(s)
      local st = w2 or r2
      if r2 then r2.constructed = true end
      if w2 then w2.constructed = true end
      if st.destroyed then
        s:emit(kDestroy, err)
      elseif present(err) then
        error_or_destroy(s, err, true)
      else
        tick(function() s:emit(kConstruct) end)
      end
    end
    local ok, e = pcall(s._construct, s, fnx("", 1, function(_, err) tick(on_construct, err) end))
    if not ok then tick(on_construct, caught(e)) end
  end)
end

-- node's destroyer(stream, err): destroy a stream that is not finished with an AbortError
local function destroyer(s, err)
  if not present(s) or is_destroyed(s) then return end
  if not present(err) and not is_finished(s) then err = N.abort_error() end
  if callable(s.destroy) then
    s:destroy(err)
  elseif callable(s.close) then
    s:close()
  end
  if not truthy(s.destroyed) then private(s).destroyed_mark = true end
end

---------------------------------------------------------------------------------------------
-- Readable (node's lib/internal/streams/readable.js)

-- the listener table first, as node's streams make it (so `_eventsCount` is inherited until the
-- first listener, and own keys come in node's order)
local function own_events(s)
  if rawget(s, "_events") == nil then s._events = R.newobj(null) end
end

local function new_rstate(opts, s, is_duplex)
  local o = present(opts) and opts or nil
  local object_mode = o ~= nil and truthy(o.objectMode) or false
  if is_duplex and o ~= nil then object_mode = object_mode or truthy(o.readableObjectMode) end
  local st = setmetatable({
    objectMode = object_mode,
    highWaterMark = get_hwm(o, "readableHighWaterMark", is_duplex, object_mode),
    buffer = R.pack(), bufferIndex = 0, length = 0,
    pipes = R.pack(), flowing = null,
    ended = false, endEmitted = false, reading = false, constructed = true, sync = true,
    needReadable = false, emittedReadable = false, readableListening = false, resumeScheduled = false,
    errorEmitted = false, emitClose = not (o ~= nil and o.emitClose == false),
    autoDestroy = not (o ~= nil and o.autoDestroy == false),
    destroyed = false, errored = null, closed = false, closeEmitted = false,
    defaultEncoding = o ~= nil and truthy(o.defaultEncoding) and o.defaultEncoding or "utf8",
    awaitDrainWriters = null, multiAwaitDrain = false, readingMore = false, dataEmitted = false,
    dataListening = false,
    decoder = null, encoding = null,
  }, RStateMT)
  if o ~= nil and truthy(o.encoding) then
    local SD = M.string_decoder()
    st.decoder = R.new(SD, o.encoding)
    st.encoding = st.decoder.encoding
  end
  return st
end

-- the chunk queue: st.buffer holds the chunks from st.bufferIndex on
local function q_count(st) return rawget(st.buffer, "length") - st.bufferIndex end
local function q_first(st) return rawget(st.buffer, st.bufferIndex) end
local function q_push(st, c) arr_push(st.buffer, c) end
local function q_clear(st)
  local b = st.buffer
  for i = 0, rawget(b, "length") - 1 do rawset(b, i, nil) end
  rawset(b, "length", 0)
  st.bufferIndex = 0
end
local function q_shift(st)
  local b, i = st.buffer, st.bufferIndex
  local c = rawget(b, i)
  rawset(b, i, nil)
  i = i + 1
  if i >= rawget(b, "length") then rawset(b, "length", 0); i = 0 end
  st.bufferIndex = i
  return c
end
local function q_unshift(st, c)
  local b, i = st.buffer, st.bufferIndex
  if i > 0 then
    st.bufferIndex = i - 1
    rawset(b, i - 1, c)
    return
  end
  local n = rawget(b, "length")
  for k = n, 1, -1 do rawset(b, k, rawget(b, k - 1)) end
  rawset(b, 0, c)
  rawset(b, "length", n + 1)
end

-- everything queued as one chunk
local function q_join(st)
  local b = st.buffer
  local parts = {}
  local strings = st.decoder ~= null
  for i = st.bufferIndex, rawget(b, "length") - 1 do
    local c = rawget(b, i)
    parts[#parts + 1] = type(c) == "string" and c or bytes_of(c)
  end
  local s = concat(parts)
  if strings then return s end
  return B.from_bytes(s)
end

-- n units from the front of the queue (n less than st.length)
local function q_consume(st, n)
  local first = q_first(st)
  local len = chunk_len(first)
  if n < len then
    local rest
    if type(first) == "string" then
      rest = R.str_sub(first, n)
      first = R.str_sub(first, 0, n)
    else
      rest = first:subarray(n)
      first = first:subarray(0, n)
    end
    rawset(st.buffer, st.bufferIndex, rest)
    return first
  end
  if n == len then return q_shift(st) end
  local parts, strings = {}, type(first) == "string"
  while n > 0 do
    local c = q_first(st)
    local cl = chunk_len(c)
    if cl <= n then
      q_shift(st)
      parts[#parts + 1] = strings and c or bytes_of(c)
      n = n - cl
    else
      if strings then
        parts[#parts + 1] = R.str_sub(c, 0, n)
        rawset(st.buffer, st.bufferIndex, R.str_sub(c, n))
      else
        parts[#parts + 1] = B.bytes_in(c, 0, n)
        rawset(st.buffer, st.bufferIndex, c:subarray(n))
      end
      n = 0
    end
  end
  local s = concat(parts)
  if strings then return s end
  return B.from_bytes(s)
end

local flow, emit_readable, maybe_read_more, end_readable

local function emit_readable_now(s)
  local st = s._readableState
  if not st.destroyed and not present(st.errored) and (st.length > 0 or st.ended) then
    s:emit("readable")
    st.emittedReadable = false
  end
  st.needReadable = st.flowing ~= true and not st.ended and st.length <= st.highWaterMark
  flow(s)
end

-- (the steps deferred to a tick are named functions given their arguments: a closure made on a
-- hot path stops LuaJIT's trace there)
local function emit_readable_nt(_, s) emit_readable_now(s) end

emit_readable = function(s)
  local st = s._readableState
  st.needReadable = false
  if not st.emittedReadable then
    st.emittedReadable = true
    tick(emit_readable_nt, s)
  end
end

local function maybe_read_more_now(s, st)
  -- read ahead while below the highWaterMark (or flowing with nothing queued)
  while not st.reading and not st.ended and (st.length < st.highWaterMark or (st.flowing == true and st.length == 0)) do
    local len = st.length
    s:read(0)
    if len == st.length then break end
  end
  st.readingMore = false
end

local function maybe_read_more_nt(_, s, st) maybe_read_more_now(s, st) end

maybe_read_more = function(s, st)
  if not st.readingMore and st.constructed then
    st.readingMore = true
    tick(maybe_read_more_nt, s, st)
  end
end

local function clear_await_drain(st)
  if st.multiAwaitDrain then
    local set = st.awaitDrainWriters
    for k in pairs(set) do set[k] = nil end
  else
    st.awaitDrainWriters = null
  end
end

local function add_chunk(s, st, chunk, front)
  -- (dataListening: a 'data' listener was added and not taken off again with removeListener;
  -- removeAllListeners leaves it set, and the chunk goes to no one, as in node)
  if st.flowing == true and st.length == 0 and not st.sync and st.dataListening then
    clear_await_drain(st)
    st.dataEmitted = true
    s:emit("data", chunk)
  else
    st.length = st.length + (st.objectMode and 1 or chunk_len(chunk))
    if front then q_unshift(st, chunk) else q_push(st, chunk) end
    if st.needReadable then emit_readable(s) end
  end
  maybe_read_more(s, st)
end

local function on_eof_chunk(s, st)
  if st.ended then return end
  if st.decoder ~= null then
    local c = st.decoder["end"](st.decoder)
    if present(c) and chunk_len(c) > 0 then
      q_push(st, c)
      st.length = st.length + (st.objectMode and 1 or chunk_len(c))
    end
  end
  st.ended = true
  if st.sync then
    emit_readable(s)
  else
    st.needReadable = false
    st.emittedReadable = true
    emit_readable_now(s)
  end
end

local function add(s, chunk, encoding, front)
  local st = s._readableState
  local err
  if not st.objectMode then
    if type(chunk) == "string" then
      if not truthy(encoding) then encoding = st.defaultEncoding end
      if st.encoding ~= encoding then
        if front and st.encoding ~= null then
          chunk = buffer_of(chunk, encoding):toString(st.encoding)
        else
          chunk = buffer_of(chunk, encoding)
          encoding = ""
        end
      end
    elseif is_view(chunk) then
      chunk = view_to_buffer(chunk)
      encoding = ""
    elseif present(chunk) then
      err = invalid_arg_type("chunk", CHUNK_TYPES, chunk)
    end
  end
  if err then
    error_or_destroy(s, err)
    return false
  elseif chunk == null then
    st.reading = false
    on_eof_chunk(s, st)
  elseif st.objectMode or (chunk ~= nil and chunk_len(chunk) > 0) then
    if front then
      if st.endEmitted then
        error_or_destroy(s, coded_error("Error", "ERR_STREAM_UNSHIFT_AFTER_END_EVENT", "stream.unshift() after end event"))
      elseif st.destroyed or present(st.errored) then
        return false
      else
        add_chunk(s, st, chunk, true)
      end
    elseif st.ended then
      error_or_destroy(s, coded_error("Error", "ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"))
    elseif st.destroyed or present(st.errored) then
      return false
    else
      st.reading = false
      if st.decoder ~= null and not truthy(encoding) then
        chunk = st.decoder:write(chunk)
        if st.objectMode or chunk_len(chunk) ~= 0 then
          add_chunk(s, st, chunk, false)
        else
          maybe_read_more(s, st)
        end
      else
        add_chunk(s, st, chunk, false)
      end
    end
  elseif not front then
    st.reading = false
    maybe_read_more(s, st)
  end
  return not st.ended and (st.length < st.highWaterMark or st.length == 0)
end

local MAX_HWM = 0x40000000
local function new_hwm(n)
  if n > MAX_HWM then
    R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE",
      'The value of "size" is out of range. It must be <= 1GiB. Received ' .. R.numtostr(n)))
  end
  local p = 1
  while p < n do p = p * 2 end
  return p
end

-- how much read(n) returns: n NaN means a whole chunk (flowing) or everything
local function how_much(n, st)
  if n <= 0 or (st.length == 0 and st.ended) then return 0 end
  if st.objectMode then return 1 end
  if n ~= n then
    if st.flowing == true and st.length > 0 then return chunk_len(q_first(st)) end
    return st.length
  end
  if n <= st.length then return n end
  return st.ended and st.length or 0
end

local function from_list(n, st)
  if st.length == 0 then return null end
  local ret
  if st.objectMode then
    ret = q_shift(st)
  elseif n ~= n or n >= st.length then
    if q_count(st) == 1 then ret = q_first(st) else ret = q_join(st) end
    q_clear(st)
  else
    ret = q_consume(st, n)
  end
  return ret
end

local function to_int(n)
  if n == nil then return 0 / 0 end
  if type(n) == "number" and n == floor(n) then return n end
  -- Number.parseInt(n, 10)
  local s = R.tostr(n)
  local v = string.match(s, "^%s*([+-]?%d+)")
  return v and tonumber(v) or 0 / 0
end

local function read(s, n)
  n = to_int(n)
  local st = s._readableState
  local orig = n
  if n > st.highWaterMark then st.highWaterMark = new_hwm(n) end
  if n ~= 0 then st.emittedReadable = false end
  -- read(0) only triggers a 'readable' (or the end) when enough is there
  if n == 0 and st.needReadable and ((st.highWaterMark ~= 0 and st.length >= st.highWaterMark)
      or (st.highWaterMark == 0 and st.length > 0) or st.ended) then
    if st.length == 0 and st.ended then end_readable(s) else emit_readable(s) end
    return null
  end
  n = how_much(n, st)
  if n == 0 and st.ended then
    if st.length == 0 then end_readable(s) end
    return null
  end
  local do_read = st.needReadable
  if st.length == 0 or st.length - n < st.highWaterMark then do_read = true end
  if st.ended or st.reading or st.destroyed or present(st.errored) or not st.constructed then
    do_read = false
  elseif do_read then
    st.reading = true
    st.sync = true
    if st.length == 0 then st.needReadable = true end
    local ok, e = pcall(s._read, s, st.highWaterMark)
    if not ok then error_or_destroy(s, caught(e)) end
    st.sync = false
    if not st.reading then n = how_much(orig, st) end
  end
  local ret
  if n > 0 then ret = from_list(n, st) else ret = null end
  if ret == null then
    st.needReadable = st.length <= st.highWaterMark
    n = 0
  else
    st.length = st.length - n
    clear_await_drain(st)
  end
  if st.length == 0 then
    if not st.ended then st.needReadable = true end
    if orig ~= n and st.ended then end_readable(s) end
  end
  if ret ~= null and not st.errorEmitted and not st.closeEmitted then
    st.dataEmitted = true
    s:emit("data", ret)
  end
  return ret
end

local function end_writable_nt(_, s)
  if truthy(s.writable) and not truthy(s.writableEnded) and not truthy(s.destroyed) then s["end"](s) end
end

local function end_readable_nt(_, st, s)
  if not present(st.errored) and not st.closeEmitted and not st.endEmitted and st.length == 0 then
    st.endEmitted = true
    s:emit("end")
    if truthy(s.writable) and s.allowHalfOpen == false then
      tick(end_writable_nt, s)
    elseif st.autoDestroy then
      local w = wstate(s)
      -- a Duplex is destroyed once its writable side finished too
      if not w or (truthy(w.autoDestroy) and (w.finished or w.writable == false)) then s:destroy() end
    end
  end
end

end_readable = function(s)
  local st = s._readableState
  if not st.endEmitted then
    st.ended = true
    tick(end_readable_nt, st, s)
  end
end

flow = function(s)
  local st = s._readableState
  while st.flowing == true and s:read() ~= null do end
end

local function resume_now(s, st)
  if not st.reading then s:read(0) end
  st.resumeScheduled = false
  s:emit("resume")
  flow(s)
  if st.flowing == true and not st.reading then s:read(0) end
end

local function resume_nt(_, s, st) resume_now(s, st) end

local function resume(s, st)
  if not st.resumeScheduled then
    st.resumeScheduled = true
    tick(resume_nt, s, st)
  end
end

local function update_readable_listening(_, s)
  local st = s._readableState
  st.readableListening = s:listenerCount("readable") > 0
  if st.resumeScheduled and st.paused == false then
    st.flowing = true
  elseif s:listenerCount("data") > 0 then
    s:resume()
  elseif not st.readableListening then
    st.flowing = null
  end
end

---------------------------------------------------------------------------------------------
-- pipe (node's Readable.prototype.pipe)

-- process.stdout and process.stderr are plain objects here: a Writable writing to them
local stdio_adapters = setmetatable({}, {__mode = "k"})   -- the object -> its Writable
local is_stdio_adapter = setmetatable({}, {__mode = "k"})
local function plain_stdio(dest)
  local p = R.process
  if not p or callable(dest.on) then return false end
  return rawequal(dest, p.stdout) or rawequal(dest, p.stderr)
end
local function stdio_writable(dest)
  local w = stdio_adapters[dest]
  if w then return w end
  local raw = rawequal(dest, R.process.stdout) and R.write_out or R.write_err
  w = R.new(Writable, jsobject("write", fnx("write", 3, function(_, chunk, _, cb)
    if is_buffer(chunk) then raw(bytes_of(chunk)) else raw(R.tostr(chunk)) end
    cb(nil)
  end), "decodeStrings", false))
  stdio_adapters[dest] = w
  is_stdio_adapter[w] = true
  return w
end

local function prepend_listener(emitter, ev, fn)
  if callable(emitter.prependListener) then return emitter:prependListener(ev, fn) end
  return emitter:on(ev, fn)
end

local function pipe_on_drain(src, dest)
  return fnx("pipeOnDrainFunctionResult", 0, function()
    local st = src._readableState
    if rawequal(st.awaitDrainWriters, dest) then
      st.awaitDrainWriters = null
    elseif st.multiAwaitDrain and type(st.awaitDrainWriters) == "table" then
      st.awaitDrainWriters[dest] = nil
    end
    local adw = st.awaitDrainWriters
    local empty = adw == null or (st.multiAwaitDrain and next(adw) == nil)
    if empty and src:listenerCount("data") > 0 then src:resume() end
  end)
end

local function pipe(src, dest, opts)
  local st = src._readableState
  if rawget(st.pipes, "length") == 1 and not st.multiAwaitDrain then
    st.multiAwaitDrain = true
    local set = {}
    if st.awaitDrainWriters ~= null then set[st.awaitDrainWriters] = true end
    st.awaitDrainWriters = set
  end
  arr_push(st.pipes, dest)
  local process = R.process
  local do_end = (not present(opts) or opts["end"] ~= false)
    and not rawequal(dest, process.stdout) and not rawequal(dest, process.stderr) and not is_stdio_adapter[dest]
  local onend, unpipe, cleanup, ondrain, ondata, onerror, onclose, onfinish, onunpipe
  local cleaned_up = false
  onend = fnx("onend", 0, function() dest["end"](dest) end)
  unpipe = fnx("unpipe", 0, function() src:unpipe(dest) end)
  local end_fn = do_end and onend or unpipe
  if st.endEmitted then tick(end_fn) else src:once("end", end_fn) end

  onunpipe = fnx("onunpipe", 2, function(_, readable, info)
    if rawequal(readable, src) and present(info) and info.hasUnpiped == false then
      info.hasUnpiped = true
      cleanup()
    end
  end)
  cleanup = function()
    dest:removeListener("close", onclose)
    dest:removeListener("finish", onfinish)
    if ondrain then dest:removeListener("drain", ondrain) end
    dest:removeListener("error", onerror)
    dest:removeListener("unpipe", onunpipe)
    src:removeListener("end", onend)
    src:removeListener("end", unpipe)
    src:removeListener("data", ondata)
    cleaned_up = true
    -- the source waits for no drain of a destination that left
    local ws = wstate(dest)
    if ondrain and st.awaitDrainWriters ~= null and (not ws or ws.needDrain) then ondrain() end
  end
  dest:on("unpipe", onunpipe)

  local function pause()
    if not cleaned_up then
      local n = rawget(st.pipes, "length")
      if n == 1 and rawequal(rawget(st.pipes, 0), dest) then
        st.awaitDrainWriters = dest
        st.multiAwaitDrain = false
      elseif n > 1 and arr_index(st.pipes, dest) >= 0 then
        st.awaitDrainWriters[dest] = true
      end
      src:pause()
    end
    if not ondrain then
      ondrain = pipe_on_drain(src, dest)
      dest:on("drain", ondrain)
    end
  end

  ondata = fnx("ondata", 1, function(_, chunk)
    if dest:write(chunk) == false then pause() end
  end)
  src:on("data", ondata)

  onerror = fnx("onerror", 1, function(_, er)
    unpipe()
    dest:removeListener("error", onerror)
    if dest:listenerCount("error") == 0 then
      local s = wstate(dest) or rstate(dest)
      if s and not s.errorEmitted then error_or_destroy(dest, er) else dest:emit("error", er) end
    end
  end)
  prepend_listener(dest, "error", onerror)

  onclose = fnx("onclose", 0, function()
    dest:removeListener("finish", onfinish)
    unpipe()
  end)
  dest:once("close", onclose)
  onfinish = fnx("onfinish", 0, function()
    dest:removeListener("close", onclose)
    unpipe()
  end)
  dest:once("finish", onfinish)

  dest:emit("pipe", src)
  if dest.writableNeedDrain == true then
    pause()
  elseif st.flowing ~= true then
    src:resume()
  end
  return dest
end

local function unpipe(src, dest)
  local st = src._readableState
  local pipes = st.pipes
  local n = rawget(pipes, "length")
  if n == 0 then return src end
  if not present(dest) then
    st.pipes = R.pack()
    src:pause()
    for i = 0, n - 1 do
      rawget(pipes, i):emit("unpipe", src, jsobject("hasUnpiped", false))
    end
    return src
  end
  local target = dest
  if plain_stdio(dest) then target = stdio_adapters[dest] or dest end
  local index = arr_index(pipes, target)
  if index < 0 then return src end
  arr_remove(pipes, index)
  if rawget(pipes, "length") == 0 then src:pause() end
  target:emit("unpipe", src, jsobject("hasUnpiped", false))
  return src
end

---------------------------------------------------------------------------------------------
-- Async iteration (node's createAsyncIterator: an async generator reading in paused mode)

local eos   -- finished(), below

local function async_iterator(s, destroy_on_return)
  if not callable(s.read) then s = Readable.wrap(Readable, s, jsobject("objectMode", true)) end
  local it = R.asyncgen(function()
    local wake = nil
    local function next_listener()
      local w = wake
      wake = nil
      if w then w() end
    end
    local readable_listener = fnx("next", 1, function() next_listener() end)
    s:on("readable", readable_listener)
    -- nil: still going; false: finished without error; else the error
    local failure = nil
    local cleanup = eos(s, jsobject("writable", false), fnx("", 1, function(_, err)
      failure = present(err) and aggregate(failure, err) or (failure or false)
      next_listener()
    end))
    local ok, e = pcall(function()
      while true do
        local chunk = truthy(s.destroyed) and null or s:read()
        if chunk ~= null then
          R.yield(chunk)
        elseif failure then
          R.throw(failure)
        elseif failure == false then
          return
        else
          local p = R.new_promise()
          wake = function() R.resolve_promise(p, nil) end
          R.await(p)
        end
      end
    end)
    local returning = not ok and type(e) == "table" and getmetatable(e) == R.RETURN_MARK
    if not ok and not returning then
      local err = caught(e)
      failure = aggregate(failure, err)
      e = failure
    end
    local st = rstate(s)
    if ((failure and failure ~= false) or destroy_on_return) and (failure == nil or (st and st.autoDestroy)) then
      destroyer(s, null)
    else
      s:off("readable", readable_listener)
      cleanup()
    end
    if not ok then
      if returning then error(e, 0) end
      R.throw(e)
    end
  end)
  put(it, "stream", s)
  return it
end

---------------------------------------------------------------------------------------------
-- The Readable class

Readable = function(this, opts)
  if not (is_object(this) and R.instanceof(this, Readable)) then return R.new(Readable, opts) end
  local is_duplex = R.instanceof(this, Duplex)
  own_events(this)
  this._readableState = new_rstate(opts, this, is_duplex)
  if present(opts) then
    if callable(opts.read) then this._read = opts.read end
    if callable(opts.destroy) then this._destroy = opts.destroy end
    if callable(opts.construct) then this._construct = opts.construct end
    if present(opts.signal) and not is_duplex then M.add_abort_signal(opts.signal, this) end
  end
  Stream(this, opts)
  construct(this, function()
    local st = this._readableState
    if st.needReadable then maybe_read_more(this, st) end
  end)
end

---------------------------------------------------------------------------------------------
-- Writable (node's lib/internal/streams/writable.js)

local function new_wstate(opts, s, is_duplex)
  local o = present(opts) and opts or nil
  local object_mode = o ~= nil and truthy(o.objectMode) or false
  if is_duplex and o ~= nil then object_mode = object_mode or truthy(o.writableObjectMode) end
  local no_decode = o ~= nil and o.decodeStrings == false
  local st = setmetatable({
    objectMode = object_mode,
    highWaterMark = get_hwm(o, "writableHighWaterMark", is_duplex, object_mode),
    finalCalled = false, needDrain = false, ending = false, ended = false, finished = false,
    destroyed = false, decodeStrings = not no_decode,
    defaultEncoding = o ~= nil and truthy(o.defaultEncoding) and o.defaultEncoding or "utf8",
    length = 0, writing = false, corked = 0, sync = true, bufferProcessing = false,
    writecb = null, writelen = 0, afterWriteTickInfo = null,
    buffered = {}, bufferedIndex = 0, allBuffers = true, allNoop = true,
    pendingcb = 0, constructed = true, prefinished = false, errorEmitted = false,
    emitClose = not (o ~= nil and o.emitClose == false),
    autoDestroy = not (o ~= nil and o.autoDestroy == false),
    errored = null, closed = false, closeEmitted = false,
    onfinished = {},
  }, WStateMT)
  st.onwrite = fnx("bound onwrite", 1, function(_, er) M.onwrite(s, er) end)
  return st
end

local function reset_buffer(st)
  st.buffered = {}
  st.bufferedIndex = 0
  st.allBuffers = true
  st.allNoop = true
end

local function finished_callbacks(st, err)
  local list = st.onfinished
  st.onfinished = {}
  if err == nil then err = null end
  for i = 1, #list do list[i](nil, err) end
end

local function error_buffer(st)
  if st.writing then return end
  local list = st.buffered
  for n = st.bufferedIndex + 1, #list do
    local e = list[n]
    st.length = st.length - (st.objectMode and 1 or chunk_len(e.chunk))
    e.callback(nil, present(st.errored) and st.errored or e_destroyed("write"))
  end
  finished_callbacks(st, present(st.errored) and st.errored or e_destroyed("end"))
  reset_buffer(st)
end

local function do_write(s, st, writev, len, chunk, encoding, cb)
  st.writelen = len
  st.writecb = cb
  st.writing = true
  st.sync = true
  if st.destroyed then
    st.onwrite(nil, e_destroyed("write"))
  elseif writev then
    s:_writev(chunk, st.onwrite)
  else
    s:_write(chunk, encoding, st.onwrite)
  end
  st.sync = false
end

local function clear_buffer(s, st)
  if st.corked > 0 or st.bufferProcessing or st.destroyed or not st.constructed then return end
  local buffered, objectMode = st.buffered, st.objectMode
  local count = #buffered - st.bufferedIndex
  if count == 0 then return end
  local i = st.bufferedIndex + 1
  st.bufferProcessing = true
  if count > 1 and callable(s._writev) then
    st.pendingcb = st.pendingcb - (count - 1)
    local first = i
    local callback = st.allNoop and nop or fnx("", 1, function(_, err)
      for n = first, #buffered do buffered[n].callback(nil, err) end
    end)
    local chunks = R.pack()
    for n = i, #buffered do
      local e = buffered[n]
      arr_push(chunks, jsobject("chunk", e.chunk, "encoding", e.encoding))
    end
    put(chunks, "allBuffers", st.allBuffers)
    do_write(s, st, true, st.length, chunks, "", callback)
    reset_buffer(st)
  else
    repeat
      local e = buffered[i]
      buffered[i] = false
      i = i + 1
      local len = objectMode and 1 or chunk_len(e.chunk)
      do_write(s, st, false, len, e.chunk, e.encoding, e.callback)
    until i > #buffered or st.writing
    if i > #buffered then
      reset_buffer(st)
    else
      st.bufferedIndex = i - 1
    end
  end
  st.bufferProcessing = false
end

local finish_maybe

local function after_write(s, st, count, cb)
  local need_drain = not st.ending and not st.destroyed and st.length == 0 and st.needDrain
  if need_drain then
    st.needDrain = false
    s:emit("drain")
  end
  while count > 0 do
    count = count - 1
    st.pendingcb = st.pendingcb - 1
    cb(nil, null)
  end
  if st.destroyed then error_buffer(st) end
  -- ('finish' comes on a later tick than the last write's callback)
  finish_maybe(s, st, true)
end

local function onwrite_error(s, st, er, cb)
  st.pendingcb = st.pendingcb - 1
  cb(nil, er)
  error_buffer(st)
  error_or_destroy(s, er)
end

local function onwrite_error_nt(_, s, st, er, cb) onwrite_error(s, st, er, cb) end
local function after_write_nt(_, s, st, info)
  st.afterWriteTickInfo = null
  after_write(s, st, info.count, info.cb)
end

function M.onwrite(s, er)
  local st = s._writableState
  local sync = st.sync
  local cb = st.writecb
  if not callable(cb) then
    error_or_destroy(s, e_multiple())
    return
  end
  st.writing = false
  st.writecb = null
  st.length = st.length - st.writelen
  st.writelen = 0
  if present(er) then
    if not present(st.errored) then st.errored = er end
    local r = rstate(s)
    if r and not present(r.errored) then r.errored = er end
    if sync then
      tick(onwrite_error_nt, s, st, er, cb)
    else
      onwrite_error(s, st, er, cb)
    end
  else
    if #st.buffered > st.bufferedIndex then clear_buffer(s, st) end
    if sync then
      -- the callbacks of writes completed synchronously run together on the next tick
      local info = st.afterWriteTickInfo
      if info ~= null and rawequal(info.cb, cb) then
        info.count = info.count + 1
      else
        info = {count = 1, cb = cb}
        st.afterWriteTickInfo = info
        tick(after_write_nt, s, st, info)
      end
    else
      after_write(s, st, 1, cb)
    end
  end
end

local function write_or_buffer(s, st, chunk, encoding, cb)
  local len = st.objectMode and 1 or chunk_len(chunk)
  st.length = st.length + len
  local ret = st.length < st.highWaterMark
  if not ret then st.needDrain = true end
  if st.writing or st.corked > 0 or present(st.errored) or not st.constructed then
    st.buffered[#st.buffered + 1] = {chunk = chunk, encoding = encoding, callback = cb}
    if st.allBuffers and encoding ~= "buffer" then st.allBuffers = false end
    if st.allNoop and cb ~= nop then st.allNoop = false end
  else
    st.writelen = len
    st.writecb = cb
    st.writing = true
    st.sync = true
    s:_write(chunk, encoding, st.onwrite)
    st.sync = false
  end
  return ret and not present(st.errored) and not st.destroyed
end

-- write(): true, false, or the error the callback gets
local function write(s, chunk, encoding, cb)
  local st = s._writableState
  if callable(encoding) then
    cb = encoding
    encoding = st.objectMode and null or st.defaultEncoding
  elseif not st.objectMode then
    -- (objects go to _write with the encoding given, unchecked)
    if not truthy(encoding) then
      encoding = st.defaultEncoding
    elseif encoding ~= "buffer" and not B.normalize(encoding) then
      R.throw(e_unknown_encoding(encoding))
    end
  end
  if not callable(cb) then cb = nop end
  if chunk == null then
    R.throw(e_null_values())
  elseif not st.objectMode then
    if type(chunk) == "string" then
      if st.decodeStrings ~= false then
        chunk = buffer_of(chunk, encoding)
        encoding = "buffer"
      end
    elseif is_view(chunk) then
      chunk = view_to_buffer(chunk)
      encoding = "buffer"
    else
      R.throw(invalid_arg_type("chunk", CHUNK_TYPES, chunk))
    end
  end
  local err
  if st.ending then
    err = coded_error("Error", "ERR_STREAM_WRITE_AFTER_END", "write after end")
  elseif st.destroyed then
    err = e_destroyed("write")
  end
  if err then
    tick(cb, err)
    error_or_destroy(s, err, true)
    return err
  end
  st.pendingcb = st.pendingcb + 1
  return write_or_buffer(s, st, chunk, encoding, cb)
end

local function need_finish(st)
  return st.ending and not st.destroyed and st.constructed and st.length == 0 and not present(st.errored)
    and #st.buffered == 0 and not st.finished and not st.writing and not st.errorEmitted and not st.closeEmitted
end

local function finish(s, st)
  st.pendingcb = st.pendingcb - 1
  st.finished = true
  finished_callbacks(st)
  s:emit("finish")
  if st.autoDestroy then
    local r = rstate(s)
    -- a Duplex is destroyed once its readable side ended too
    if not r or (r.autoDestroy and (r.endEmitted or r.readable == false)) then s:destroy() end
  end
end

local function call_final(s, st)
  local called = false
  local function on_final(_, err)
    if called then
      error_or_destroy(s, present(err) and err or e_multiple())
      return
    end
    called = true
    st.pendingcb = st.pendingcb - 1
    if present(err) then
      finished_callbacks(st, err)
      error_or_destroy(s, err, st.sync)
    elseif need_finish(st) then
      st.prefinished = true
      s:emit("prefinish")
      st.pendingcb = st.pendingcb + 1
      tick(function() finish(s, st) end)
    end
  end
  st.sync = true
  st.pendingcb = st.pendingcb + 1
  local ok, e = pcall(s._final, s, fnx("", 1, on_final))
  if not ok then on_final(nil, caught(e)) end
  st.sync = false
end

local function prefinish(s, st)
  if not st.prefinished and not st.finalCalled then
    if callable(s._final) and not st.destroyed then
      st.finalCalled = true
      call_final(s, st)
    else
      st.prefinished = true
      s:emit("prefinish")
    end
  end
end

local function finish_maybe_nt(_, s, st)
  if need_finish(st) then finish(s, st) else st.pendingcb = st.pendingcb - 1 end
end

finish_maybe = function(s, st, sync)
  if need_finish(st) then
    prefinish(s, st)
    if st.pendingcb == 0 then
      if sync then
        st.pendingcb = st.pendingcb + 1
        tick(finish_maybe_nt, s, st)
      elseif need_finish(st) then
        st.pendingcb = st.pendingcb + 1
        finish(s, st)
      end
    end
  end
end

local function end_(s, chunk, encoding, cb)
  local st = s._writableState
  if callable(chunk) then
    cb, chunk, encoding = chunk, null, null
  elseif callable(encoding) then
    cb, encoding = encoding, null
  end
  local err
  if present(chunk) then
    local ret = write(s, chunk, encoding)
    if type(ret) == "table" then err = ret end
  end
  if st.corked > 0 then
    st.corked = 1
    s:uncork()
  end
  if err then
    -- (the write's error goes to the callback)
  elseif not present(st.errored) and not st.ending then
    st.ending = true
    finish_maybe(s, st, true)
    st.ended = true
  elseif st.finished then
    err = coded_error("Error", "ERR_STREAM_ALREADY_FINISHED", "Cannot call end after a stream was finished")
  elseif st.destroyed then
    err = e_destroyed("end")
  end
  if callable(cb) then
    if err or st.finished then
      tick(cb, err or null)
    elseif present(st.errored) then
      -- (a _final that failed at once)
      tick(cb, st.errored)
    else
      st.onfinished[#st.onfinished + 1] = cb
    end
  end
  return s
end

Writable = function(this, opts)
  local is_duplex = is_object(this) and R.instanceof(this, Duplex)
  if not is_duplex and not (is_object(this) and R.instanceof(this, Writable)) then return R.new(Writable, opts) end
  own_events(this)
  this._writableState = new_wstate(opts, this, is_duplex)
  if present(opts) then
    if callable(opts.write) then this._write = opts.write end
    if callable(opts.writev) then this._writev = opts.writev end
    if callable(opts.destroy) then this._destroy = opts.destroy end
    if callable(opts.final) then this._final = opts.final end
    if callable(opts.construct) then this._construct = opts.construct end
    if present(opts.signal) then M.add_abort_signal(opts.signal, this) end
  end
  Stream(this, opts)
  construct(this, function()
    local st = this._writableState
    if not st.writing then clear_buffer(this, st) end
    finish_maybe(this, st)
  end)
end

---------------------------------------------------------------------------------------------
-- Stream: node's legacy base (an EventEmitter with the old pipe), which `stream` itself is

Stream = function(this, opts)
  EventEmitter(this, opts)
end
StreamProto = class("Stream", 1, Stream, EEProto, EventEmitter)
-- the old pipe: writes each 'data' chunk, pauses the source while dest wants to drain
R.method(StreamProto, "pipe", 2, function(source, dest, opts)
  local ondata, ondrain, onend, onclose, onerror, cleanup
  if plain_stdio(dest) then
    local w = stdio_writable(dest)
    ondata = fnx("ondata", 1, function(_, chunk) w:write(chunk) end)
    source:on("data", ondata)
    return dest
  end
  ondata = fnx("ondata", 1, function(_, chunk)
    if truthy(dest.writable) and dest:write(chunk) == false and callable(source.pause) then source:pause() end
  end)
  source:on("data", ondata)
  ondrain = fnx("ondrain", 0, function()
    if truthy(source.readable) and callable(source.resume) then source:resume() end
  end)
  dest:on("drain", ondrain)
  local did_end = false
  onend = fnx("onend", 0, function()
    if did_end then return end
    did_end = true
    dest["end"](dest)
  end)
  onclose = fnx("onclose", 0, function()
    if did_end then return end
    did_end = true
    if callable(dest.destroy) then dest:destroy() end
  end)
  if not truthy(dest._isStdio) and not (present(opts) and opts["end"] == false) then
    source:on("end", onend)
    source:on("close", onclose)
  end
  onerror = fnx("onerror", 1, function(this, er)
    cleanup()
    if EventEmitter.listenerCount(EventEmitter, this, "error") == 0 then this:emit("error", er) end
  end)
  prepend_listener(source, "error", onerror)
  prepend_listener(dest, "error", onerror)
  cleanup = fnx("cleanup", 0, function()
    source:removeListener("data", ondata)
    dest:removeListener("drain", ondrain)
    source:removeListener("end", onend)
    source:removeListener("close", onclose)
    source:removeListener("error", onerror)
    dest:removeListener("error", onerror)
    source:removeListener("end", cleanup)
    source:removeListener("close", cleanup)
    dest:removeListener("close", cleanup)
  end)
  source:on("end", cleanup)
  source:on("close", cleanup)
  dest:on("close", cleanup)
  dest:emit("pipe", source)
  return dest
end)

---------------------------------------------------------------------------------------------
-- Readable's prototype

ReadableProto = class("Readable", 1, Readable, StreamProto, Stream)
ReadableState = function(this, opts, s, is_duplex)
  -- (made by the streams themselves; `new ReadableState()` from a program gets the fields)
  local st = new_rstate(opts, s, truthy(is_duplex))
  for k, v in pairs(st) do if type(k) == "string" then this[k] = v end end
end
RStateProto = class("ReadableState", 3, ReadableState, R.ObjectPrototype)
RStateMT = R.protomt(RStateProto)

local function rmethod(name, len, f) return R.method(ReadableProto, name, len, f) end

rmethod("destroy", 2, function(this, err, cb) return destroy(this, err, cb) end)
rmethod("_undestroy", 0, function(this) undestroy(this) end)
rmethod("_destroy", 2, function(_, err, cb) cb(nil, err) end)
R.method(ReadableProto, EventEmitter.captureRejectionSymbol, 1, function(this, err) this:destroy(err) end)
rmethod("push", 2, function(this, chunk, encoding) return add(this, chunk, encoding, false) end)
rmethod("unshift", 2, function(this, chunk, encoding) return add(this, chunk, encoding, true) end)
rmethod("isPaused", 0, function(this)
  local st = this._readableState
  return st.paused == true or st.flowing == false
end)
rmethod("setEncoding", 1, function(this, enc)
  local SD = M.string_decoder()
  local decoder = R.new(SD, enc)
  local st = this._readableState
  st.decoder = decoder
  st.encoding = decoder.encoding
  -- what waits in the buffer is text from now on too
  local content = {}
  for i = st.bufferIndex, rawget(st.buffer, "length") - 1 do
    content[#content + 1] = decoder:write(rawget(st.buffer, i))
  end
  q_clear(st)
  local s = concat(content)
  if s ~= "" then q_push(st, s) end
  st.length = R.strlen(s)
  return this
end)
rmethod("read", 1, function(this, n) return read(this, n) end)
rmethod("_read", 1, function() R.throw(e_not_impl("_read()")) end)
rmethod("pipe", 2, function(this, dest, opts)
  if is_object(dest) and plain_stdio(dest) then
    pipe(this, stdio_writable(dest), opts)
    return dest
  end
  return pipe(this, dest, opts)
end)
rmethod("unpipe", 1, function(this, dest) return unpipe(this, dest) end)
local function on(this, ev, fn)
  local res = ee_on(this, ev, fn)
  local st = this._readableState
  if ev == "data" then
    st.dataListening = true
    st.readableListening = this:listenerCount("readable") > 0
    if st.flowing ~= false then this:resume() end
  elseif ev == "readable" then
    if not st.endEmitted and not st.readableListening then
      st.readableListening = true
      st.needReadable = true
      st.flowing = false
      st.emittedReadable = false
      if st.length > 0 then
        emit_readable(this)
      elseif not st.reading then
        tick(function() this:read(0) end)
      end
    end
  end
  return res
end
rmethod("on", 2, on)
rawset(ReadableProto, "addListener", on)
R.note_hidden(ReadableProto, "addListener")
local function remove_listener(this, ev, fn)
  local res = ee_remove(this, ev, fn)
  if ev == "readable" then
    tick(update_readable_listening, this)
  elseif ev == "data" then
    local st = rstate(this)
    if st then st.dataListening = this:listenerCount("data") > 0 end
  end
  return res
end
rmethod("removeListener", 2, remove_listener)
rawset(ReadableProto, "off", remove_listener)
R.note_hidden(ReadableProto, "off")
rmethod("removeAllListeners", 1, function(this, ...)
  local ev = (...)
  local res = ee_remove_all(this, ...)
  if ev == "readable" or ev == nil then tick(update_readable_listening, this) end
  return res
end)
rmethod("resume", 0, function(this)
  local st = this._readableState
  if st.flowing ~= true then
    -- 'readable' listeners keep it paused
    st.flowing = not st.readableListening
    resume(this, st)
  end
  st.paused = false
  return this
end)
rmethod("pause", 0, function(this)
  local st = this._readableState
  if st.flowing ~= false then
    st.flowing = false
    this:emit("pause")
  end
  st.paused = true
  return this
end)
-- wrap(oldStream): a Readable over a stream of the old kind (events only)
rmethod("wrap", 1, function(this, src)
  local paused = false
  src:on("data", fnx("", 1, function(_, chunk)
    if not this:push(chunk) and callable(src.pause) then
      paused = true
      src:pause()
    end
  end))
  src:on("end", fnx("", 0, function() this:push(null) end))
  src:on("error", fnx("", 1, function(_, err) error_or_destroy(this, err) end))
  src:on("close", fnx("", 0, function() this:destroy() end))
  src:on("destroy", fnx("", 0, function() this:destroy() end))
  this._read = fnx("", 0, function()
    if paused and callable(src.resume) then
      paused = false
      src:resume()
    end
  end)
  return this
end)
R.method(ReadableProto, R.sym_asyncIterator, 0, function(this) return async_iterator(this, true) end)
rmethod("iterator", 1, function(this, opts)
  if opts ~= nil then N.validate_object(opts, "options") end
  return async_iterator(this, not (present(opts) and opts.destroyOnReturn == false))
end)

getter(ReadableProto, "readable", function(this)
  local r = rstate(this)
  return r ~= nil and r.readable ~= false and not r.destroyed and not r.errorEmitted and not r.endEmitted
end, function(this, v)
  local r = rstate(this)
  if r then r.readable = truthy(v) end
end)
getter(ReadableProto, "readableDidRead", function(this) return this._readableState.dataEmitted end)
getter(ReadableProto, "readableAborted", function(this)
  local r = this._readableState
  return r.readable ~= false and (r.destroyed or present(r.errored)) and not r.endEmitted
end)
getter(ReadableProto, "readableHighWaterMark", function(this) return this._readableState.highWaterMark end)
getter(ReadableProto, "readableBuffer", function(this)
  local r = rstate(this)
  if not r then return nil end
  local out = R.pack()
  for i = r.bufferIndex, rawget(r.buffer, "length") - 1 do arr_push(out, rawget(r.buffer, i)) end
  return out
end)
getter(ReadableProto, "readableFlowing", function(this) return this._readableState.flowing end,
  function(this, v) local r = rstate(this); if r then r.flowing = v end end)
getter(ReadableProto, "readableLength", function(this) return this._readableState.length end)
getter(ReadableProto, "readableObjectMode", function(this)
  local r = rstate(this)
  if r then return r.objectMode end
  return false
end)
getter(ReadableProto, "readableEncoding", function(this)
  local r = rstate(this)
  if r then return r.encoding end
  return null
end)
getter(ReadableProto, "errored", function(this)
  local r = rstate(this)
  if r then return r.errored end
  return null
end)
getter(ReadableProto, "closed", function(this)
  local r = rstate(this)
  return r ~= nil and r.closed or false
end)
getter(ReadableProto, "destroyed", function(this)
  local r = rstate(this)
  return r ~= nil and r.destroyed or false
end, function(this, v)
  local r = rstate(this)
  if r then r.destroyed = v end
end)
getter(ReadableProto, "readableEnded", function(this)
  local r = rstate(this)
  return r ~= nil and r.endEmitted or false
end)

---------------------------------------------------------------------------------------------
-- Readable.from(iterable | async iterable | string | Buffer)

local function from(ctor, iterable, opts)
  if type(iterable) == "string" or is_buffer(iterable) then
    local o = jsobject("objectMode", true)
    if present(opts) then R.assign_spread(o, opts) end
    o.read = fnx("read", 0, function(this)
      this:push(iterable)
      this:push(null)
    end)
    return R.new(ctor, o)
  end
  local iterator, is_async
  if present(iterable) and callable(iterable[R.sym_asyncIterator]) then
    is_async = true
    iterator = iterable[R.sym_asyncIterator](iterable)
  elseif present(iterable) and callable(iterable[R.sym_iterator]) then
    is_async = false
    iterator = iterable[R.sym_iterator](iterable)
  else
    R.throw(invalid_arg_type("iterable", {"Iterable"}, iterable))
  end
  local o = jsobject("objectMode", true, "highWaterMark", 1)
  if present(opts) then R.assign_spread(o, opts) end
  local readable = R.new(ctor, o)
  local reading = false
  local is_then = function(v) return is_object(v) and callable(v["then"]) end

  local function check_result(r)
    if not is_object(r) then R.type_error("Iterator result " .. R.tostr(r) .. " is not an object") end
  end
  -- a value to the stream: true to go on reading
  local function deliver(value)
    if value == null then
      reading = false
      R.throw(e_null_values())
    end
    if readable:push(value) then return true end
    reading = false
    return false
  end
  -- an async iterator, or a sync one that gave a promise (`pending`, awaited first)
  local function next_async(pending)
    R.async(function()
      local ok, e = pcall(function()
        if pending ~= nil then
          local v = R.await(pending)
          pending = nil
          if not deliver(v) then return end
        end
        while true do
          local r
          if is_async then r = R.await(iterator:next()) else r = iterator:next() end
          check_result(r)
          if truthy(r.done) then
            readable:push(null)
            return
          end
          local v = r.value
          if is_then(v) then v = R.await(v) end
          if not deliver(v) then return end
        end
      end)
      if not ok then readable:destroy(caught(e)) end
    end)
  end
  -- a sync iterator's values go in at once, without a coroutine per read
  local function next_values()
    if is_async then return next_async() end
    local ok, e = pcall(function()
      while true do
        local r = iterator:next()
        check_result(r)
        if truthy(r.done) then
          readable:push(null)
          return nil
        end
        local v = r.value
        if is_then(v) then return v end
        if not deliver(v) then return nil end
      end
    end)
    if not ok then
      readable:destroy(caught(e))
    elseif e ~= nil then
      next_async(e)
    end
  end
  readable._read = fnx("_read", 0, function()
    if not reading then
      reading = true
      next_values()
    end
  end)
  readable._destroy = fnx("_destroy", 2, function(_, err, cb)
    local p = R.async(function()
      local had_error = present(err)
      if had_error and callable(iterator.throw) then
        local r = R.await(iterator:throw(err))
        R.await(r.value)
        if truthy(r.done) then return end
      end
      if callable(iterator["return"]) then
        local r = R.await(iterator["return"](iterator))
        R.await(r.value)
      end
    end)
    R.promise_then(p, function() tick(cb, err) end, function(_, e) tick(cb, present(e) and e or err) end, nil)
  end)
  return readable
end

R.method(Readable, "from", 2, function(_, iterable, opts) return from(Readable, iterable, opts) end)

do
-- The iterator helpers of node 20 (map, filter, toArray, ...), one value at a time (node's map
-- and the rest read ahead by `concurrency`; the values and their order are the same).
local function each(src, fn)
  local f, st, c = R.aiter(src)
  local ok, e = pcall(function()
    while true do
      local v
      c, v = f(st, c)
      if c == nil then return nil end
      if fn(v) then return "stop" end
    end
  end)
  -- leaving early closes the iterator, which destroys the stream
  if not ok or e == "stop" then R.iter_close(st) end
  if not ok then error(e, 0) end
end

local function op_options(opts)
  if opts ~= nil then N.validate_object(opts, "options") end
  return jsobject("signal", present(opts) and opts.signal or nil)
end

local function promise_op(name, len, body)
  local f = R.method(ReadableProto, name, len, function(this, ...)
    local args = R.pack(...)
    return R.async(function() return body(this, args) end)
  end)
  R.fkinds[f] = "AsyncFunction"
end

local function stream_op(name, len, body)
  R.method(ReadableProto, name, len, function(this, ...)
    local args = R.pack(...)
    return from(Readable, R.asyncgen(function() body(this, args) end))
  end)
end

local function check_fn(fn)
  if not callable(fn) then R.throw(invalid_arg_type("fn", {"Function", "AsyncFunction"}, fn)) end
end

local function count_arg(n, name)
  n = R.tonum(n)
  if n ~= n then n = 0 end
  if n < 0 then
    R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE", 'The value of "' .. name .. '" is out of range. It must be >= 0. Received ' .. R.inspect(n)))
  end
  return n < 0 and math.ceil(n) or floor(n)
end

promise_op("toArray", 1, function(this, args)
  op_options(rawget(args, 0))
  local out = R.pack()
  each(this, function(v) arr_push(out, v) end)
  return out
end)
promise_op("forEach", 2, function(this, args)
  local fn = rawget(args, 0)
  check_fn(fn)
  local o = op_options(rawget(args, 1))
  each(this, function(v) R.await(fn(nil, v, o)) end)
end)
promise_op("reduce", 3, function(this, args)
  local fn = rawget(args, 0)
  check_fn(fn)
  local has_initial = rawget(args, "length") >= 2
  local acc = rawget(args, 1)
  local o = op_options(rawget(args, 2))
  each(this, function(v)
    if not has_initial then
      acc, has_initial = v, true
    else
      acc = R.await(fn(nil, acc, v, o))
    end
  end)
  if not has_initial then
    R.throw(coded_error("TypeError", "ERR_INVALID_ARGS", "Reduce of an empty stream requires an initial value"))
  end
  return acc
end)
local function search(name, want, result)
  promise_op(name, 2, function(this, args)
    local fn = rawget(args, 0)
    check_fn(fn)
    local o = op_options(rawget(args, 1))
    local found, value = false, nil
    each(this, function(v)
      if truthy(R.await(fn(nil, v, o))) == want then
        found, value = true, v
        return true
      end
    end)
    return result(found, value)
  end)
end
search("some", true, function(found) return found end)
search("every", false, function(found) return not found end)
search("find", true, function(_, value) return value end)
stream_op("map", 2, function(this, args)
  local fn = rawget(args, 0)
  check_fn(fn)
  local o = op_options(rawget(args, 1))
  each(this, function(v) R.yield(R.await(fn(nil, v, o))) end)
end)
stream_op("filter", 2, function(this, args)
  local fn = rawget(args, 0)
  check_fn(fn)
  local o = op_options(rawget(args, 1))
  each(this, function(v)
    if truthy(R.await(fn(nil, v, o))) then R.yield(v) end
  end)
end)
stream_op("flatMap", 2, function(this, args)
  local fn = rawget(args, 0)
  check_fn(fn)
  local o = op_options(rawget(args, 1))
  each(this, function(v)
    each(fn(nil, v, o), function(x) R.yield(x) end)
  end)
end)
stream_op("take", 2, function(this, args)
  local n = count_arg(rawget(args, 0), "number")
  op_options(rawget(args, 1))
  if n <= 0 then return end
  each(this, function(v)
    R.yield(v)
    n = n - 1
    return n <= 0
  end)
end)
stream_op("drop", 2, function(this, args)
  local n = count_arg(rawget(args, 0), "number")
  op_options(rawget(args, 1))
  each(this, function(v)
    if n > 0 then n = n - 1 else R.yield(v) end
  end)
end)end

R.method(Readable, "wrap", 2, function(_, src, opts)
  local o = R.newobj()
  local om = src.readableObjectMode
  if not present(om) then om = src.objectMode end
  if not present(om) then om = true end
  o.objectMode = om
  if present(opts) then R.assign_spread(o, opts) end
  o.destroy = fnx("destroy", 2, function(_, err, cb)
    destroyer(src, err)
    cb(nil, err)
  end)
  local r = R.new(Readable, o)
  return r:wrap(src)
end)
put(Readable, "ReadableState", ReadableState)
R.method(Readable, "_fromList", 2, function(_, n, st) return from_list(to_int(n), st) end)

---------------------------------------------------------------------------------------------
-- Writable's prototype

WritableProto = class("Writable", 1, Writable, StreamProto, Stream)
WritableState = function(this, opts, s, is_duplex)
  local st = new_wstate(opts, s, truthy(is_duplex))
  for k, v in pairs(st) do if type(k) == "string" then this[k] = v end end
end
WStateProto = class("WritableState", 3, WritableState, R.ObjectPrototype)
WStateMT = R.protomt(WStateProto)
R.method(WStateProto, "getBuffer", 0, function(this)
  local out = R.pack()
  for i = this.bufferedIndex + 1, #this.buffered do
    local e = this.buffered[i]
    arr_push(out, jsobject("chunk", e.chunk, "encoding", e.encoding, "callback", e.callback))
  end
  return out
end)
getter(WStateProto, "bufferedRequestCount", function(this) return #this.buffered - this.bufferedIndex end)

-- instanceof Writable: a Duplex is one too (its prototype chain has Readable's instead)
R.method(Writable, R.sym_hasInstance, 1, function(this, o)
  if is_object(o) and type(this) == "function" then
    local proto, p = this.prototype, R.getproto(o)
    while p ~= nil and p ~= null do
      if rawequal(p, proto) then return true end
      p = R.getproto(p)
    end
  end
  if not rawequal(this, Writable) then return false end
  return is_object(o) and type(rawget(o, "_writableState")) == "table" and getmetatable(rawget(o, "_writableState")) == WStateMT
end)

local wmethods = {}
local function wmethod(name, len, f)
  wmethods[#wmethods + 1] = name
  return R.method(WritableProto, name, len, f)
end
R.method(WritableProto, "pipe", 0, function(this)
  error_or_destroy(this, coded_error("Error", "ERR_STREAM_CANNOT_PIPE", "Cannot pipe, not readable"))
end)
wmethod("write", 3, function(this, chunk, encoding, cb) return write(this, chunk, encoding, cb) == true end)
wmethod("cork", 0, function(this) local st = this._writableState; st.corked = st.corked + 1 end)
wmethod("uncork", 0, function(this)
  local st = this._writableState
  if st.corked > 0 then
    st.corked = st.corked - 1
    if not st.writing then clear_buffer(this, st) end
  end
end)
wmethod("setDefaultEncoding", 1, function(this, enc)
  if type(enc) == "string" then enc = string.lower(enc) end
  if not B.normalize(enc) then R.throw(e_unknown_encoding(enc)) end
  this._writableState.defaultEncoding = enc
  return this
end)
wmethod("_write", 3, function(this, chunk, encoding, cb)
  if callable(this._writev) then
    this:_writev(R.pack(jsobject("chunk", chunk, "encoding", encoding)), cb)
  else
    R.throw(e_not_impl("_write()"))
  end
end)
wmethods[#wmethods + 1] = "_writev"
rawset(WritableProto, "_writev", null)
R.note_hidden(WritableProto, "_writev")
wmethod("end", 3, function(this, chunk, encoding, cb) return end_(this, chunk, encoding, cb) end)

local wgetters = {}
local function wgetter(name, get, set)
  wgetters[#wgetters + 1] = name
  getter(WritableProto, name, get, set)
end
getter(WritableProto, "closed", function(this)
  local w = wstate(this)
  return w ~= nil and w.closed or false
end)
getter(WritableProto, "destroyed", function(this)
  local w = wstate(this)
  return w ~= nil and w.destroyed or false
end, function(this, v)
  local w = wstate(this)
  if w then w.destroyed = v end
end)
wgetter("writable", function(this)
  local w = wstate(this)
  return w ~= nil and w.writable ~= false and not w.destroyed and not present(w.errored) and not w.ending and not w.ended
end, function(this, v)
  local w = wstate(this)
  if w then w.writable = truthy(v) end
end)
wgetter("writableFinished", function(this)
  local w = wstate(this)
  return w ~= nil and w.finished or false
end)
wgetter("writableObjectMode", function(this)
  local w = wstate(this)
  return w ~= nil and w.objectMode or false
end)
wgetter("writableBuffer", function(this)
  local w = wstate(this)
  if w then return w:getBuffer() end
end)
wgetter("writableEnded", function(this)
  local w = wstate(this)
  return w ~= nil and w.ending or false
end)
wgetter("writableNeedDrain", function(this)
  local w = wstate(this)
  if not w then return false end
  return not w.destroyed and not w.ending and w.needDrain
end)
wgetter("writableHighWaterMark", function(this)
  local w = wstate(this)
  if w then return w.highWaterMark end
end)
wgetter("writableCorked", function(this)
  local w = wstate(this)
  return w ~= nil and w.corked or 0
end)
wgetter("writableLength", function(this)
  local w = wstate(this)
  if w then return w.length end
end)
getter(WritableProto, "errored", function(this)
  local w = wstate(this)
  if w then return w.errored end
  return null
end)
getter(WritableProto, "writableAborted", function(this)
  local w = wstate(this)
  return w ~= nil and w.writable ~= false and (w.destroyed or present(w.errored)) and not w.finished
end)

local function writable_destroy(this, err, cb)
  local st = this._writableState
  -- the queued writes' callbacks and end()'s get the error
  if not st.destroyed and (st.bufferedIndex < #st.buffered or #st.onfinished > 0) then
    tick(function() error_buffer(st) end)
  end
  destroy(this, err, cb)
  return this
end
R.method(WritableProto, "destroy", 2, writable_destroy)
R.method(WritableProto, "_undestroy", 0, function(this) undestroy(this) end)
R.method(WritableProto, "_destroy", 2, function(_, err, cb) cb(nil, err) end)
R.method(WritableProto, EventEmitter.captureRejectionSymbol, 1, function(this, err) this:destroy(err) end)

---------------------------------------------------------------------------------------------
-- Duplex, Transform, PassThrough

Duplex = function(this, opts)
  if not (is_object(this) and R.instanceof(this, Duplex)) then return R.new(Duplex, opts) end
  own_events(this)
  this._readableState = new_rstate(opts, this, true)
  this._writableState = new_wstate(opts, this, true)
  if present(opts) then
    this.allowHalfOpen = opts.allowHalfOpen ~= false
    if opts.readable == false then
      local r = this._readableState
      r.readable = false; r.ended = true; r.endEmitted = true
    end
    if opts.writable == false then
      local w = this._writableState
      w.writable = false; w.ending = true; w.ended = true; w.finished = true
    end
    if callable(opts.read) then this._read = opts.read end
    if callable(opts.write) then this._write = opts.write end
    if callable(opts.writev) then this._writev = opts.writev end
    if callable(opts.destroy) then this._destroy = opts.destroy end
    if callable(opts.final) then this._final = opts.final end
    if callable(opts.construct) then this._construct = opts.construct end
    if present(opts.signal) then M.add_abort_signal(opts.signal, this) end
  else
    this.allowHalfOpen = true
  end
  Stream(this, opts)
  construct(this, function()
    local r = this._readableState
    if r.needReadable then maybe_read_more(this, r) end
  end)
  construct(this, function()
    local w = this._writableState
    if not w.writing then clear_buffer(this, w) end
    finish_maybe(this, w)
  end)
end
DuplexProto = class("Duplex", 1, Duplex, ReadableProto, Readable)
for _, name in ipairs(wmethods) do
  rawset(DuplexProto, name, rawget(WritableProto, name))
  R.note_hidden(DuplexProto, name)
end
R.method(DuplexProto, "destroy", 2, writable_destroy)
for _, name in ipairs(wgetters) do
  local d = R.getdesc(WritableProto, name)
  R.defprop(DuplexProto, name, {get = d.get, set = d.set, enumerable = false, configurable = true})
end
getter(DuplexProto, "destroyed", function(this)
  local r, w = rstate(this), wstate(this)
  if not r or not w then return false end
  return r.destroyed and w.destroyed
end, function(this, v)
  local r, w = rstate(this), wstate(this)
  if r and w then r.destroyed = v; w.destroyed = v end
end)

local kCallback = {}
local function transform_final(this, cb)
  if callable(this._flush) and not truthy(this.destroyed) then
    this:_flush(fnx("", 2, function(_, er, data)
      if present(er) then
        if cb then cb(nil, er) else this:destroy(er) end
        return
      end
      if present(data) then this:push(data) end
      this:push(null)
      if cb then cb(nil) end
    end))
  else
    this:push(null)
    if cb then cb(nil) end
  end
end
local transform_final_fn = fnx("final", 1, function(this, cb) transform_final(this, cb) end)

Transform = function(this, opts)
  if not (is_object(this) and R.instanceof(this, Transform)) then return R.new(Transform, opts) end
  if present(opts) then
    local h = hwm_from(opts, "readableHighWaterMark", true)
    if h == 0 then
      -- no buffering on the writable side either: a Transform holds what its readable side holds
      local o = R.newobj()
      R.assign_spread(o, opts)
      o.highWaterMark = null
      o.readableHighWaterMark = h
      o.writableHighWaterMark = truthy(opts.writableHighWaterMark) and opts.writableHighWaterMark or 0
      opts = o
    end
  end
  Duplex(this, opts)
  this._readableState.sync = false
  private(this)[kCallback] = nil
  if present(opts) then
    if callable(opts.transform) then this._transform = opts.transform end
    if callable(opts.flush) then this._flush = opts.flush end
  end
  this:on("prefinish", M.transform_prefinish)
end
M.transform_prefinish = fnx("prefinish", 0, function(this)
  if this._final ~= transform_final_fn then transform_final(this) end
end)
TransformProto = class("Transform", 1, Transform, DuplexProto, Duplex)
rawset(TransformProto, "_final", transform_final_fn)
R.note_hidden(TransformProto, "_final")
R.method(TransformProto, "_transform", 3, function() R.throw(e_not_impl("_transform()")) end)
R.method(TransformProto, "_write", 3, function(this, chunk, encoding, cb)
  local r, w = this._readableState, this._writableState
  local length = r.length
  -- (a plain function: one is made per chunk)
  this:_transform(chunk, encoding, function(_, err, val)
    if present(err) then
      cb(nil, err)
      return
    end
    if present(val) then this:push(val) end
    -- the next write waits while the readable side is full
    if w.ended or length == r.length or r.length < r.highWaterMark then
      cb(nil)
    else
      private(this)[kCallback] = cb
    end
  end)
end)
R.method(TransformProto, "_read", 1, function(this)
  local p = priv_of(this)
  local cb = p and p[kCallback]
  if cb then
    p[kCallback] = nil
    cb(nil)
  end
end)

PassThrough = function(this, opts)
  if not (is_object(this) and R.instanceof(this, PassThrough)) then return R.new(PassThrough, opts) end
  Transform(this, opts)
end
PassThroughProto = class("PassThrough", 1, PassThrough, TransformProto, Transform)
R.method(PassThroughProto, "_transform", 3, function(_, chunk, _, cb) cb(nil, null, chunk) end)

do
-- duplexPair(): two Duplexes, what is written to one read from the other
local DuplexSide = function(this, opts) Duplex(this, opts) end
local DuplexSideProto = class("DuplexSide", 1, DuplexSide, DuplexProto, Duplex)
R.method(DuplexSideProto, "_read", 0, function(this)
  local p = private(this)
  local cb = p.side_cb
  if cb then
    p.side_cb = nil
    cb(nil)
  end
end)
R.method(DuplexSideProto, "_write", 3, function(this, chunk, _, cb)
  local other = private(this).other
  if chunk_len(chunk) == 0 then
    tick(cb)
  else
    -- the writer waits until the other side's reader asks for more
    private(other).side_cb = cb
    other:push(chunk)
  end
end)
R.method(DuplexSideProto, "_final", 1, function(this, cb)
  local other = private(this).other
  other:on("end", cb)
  other:push(null)
end)
function M.duplex_pair(opts)
  local a, b = R.new(DuplexSide, opts), R.new(DuplexSide, opts)
  private(a).other, private(b).other = b, a
  return R.pack(a, b)
end
end

---------------------------------------------------------------------------------------------
-- finished (node's end-of-stream)

local function once_fn(f)
  local called = false
  return function(...)
    if called then return end
    called = true
    return f(...)
  end
end

eos = function(s, opts, callback)
  if callback == nil and callable(opts) then
    callback, opts = opts, nil
  elseif not present(opts) then
    opts = nil
  else
    N.validate_object(opts, "options")
  end
  N.validate_function(callback, "callback")
  local signal = opts and opts.signal or nil
  if present(signal) and not (R.is_abort_signal and R.is_abort_signal(signal)) then
    R.throw(invalid_arg_type("options.signal", "AbortSignal", signal))
  end
  local user_cb = callback
  local cb = once_fn(function(err) user_cb(s, err) end)
  if not is_node_stream(s) then
    R.throw(invalid_arg_type("stream", {"ReadableStream", "WritableStream", "Stream"}, s))
  end
  local readable = opts and opts.readable
  if readable == nil then readable = is_readable_node_stream(s) else readable = truthy(readable) end
  local writable = opts and opts.writable
  if writable == nil then writable = is_writable_node_stream(s) else writable = truthy(writable) end
  local w, r = wstate(s), rstate(s)

  local will_close = will_emit_close(s) and is_readable_node_stream(s) == readable and is_writable_node_stream(s) == writable
  local writable_finished = is_writable_finished(s, false)
  local readable_finished = is_readable_finished(s, false)

  local onfinish = fnx("onfinish", 0, function()
    writable_finished = true
    if truthy(s.destroyed) then will_close = false end
    if will_close and (not truthy(s.readable) or readable) then return end
    if not readable or readable_finished then cb() end
  end)
  local onlegacyfinish = fnx("onlegacyfinish", 0, function()
    if not truthy(s.writable) then onfinish() end
  end)
  local onend = fnx("onend", 0, function()
    readable_finished = true
    if truthy(s.destroyed) then will_close = false end
    if will_close and (not truthy(s.writable) or writable) then return end
    if not writable or writable_finished then cb() end
  end)
  local onerror = fnx("onerror", 1, function(_, err) cb(err) end)
  local closed = is_closed(s)
  local onclose = fnx("onclose", 0, function()
    closed = true
    local errored = is_writable_errored(s) or is_readable_errored(s)
    if present(errored) and type(errored) ~= "boolean" then return cb(errored) end
    if readable and not readable_finished and is_readable_node_stream(s, true) then
      if not is_readable_finished(s, false) then return cb(e_premature()) end
    end
    if writable and not writable_finished then
      if not is_writable_finished(s, false) then return cb(e_premature()) end
    end
    cb()
  end)
  local onclosed = function()
    closed = true
    local errored = is_writable_errored(s) or is_readable_errored(s)
    if present(errored) and type(errored) ~= "boolean" then return cb(errored) end
    cb()
  end

  if writable and not w then
    s:on("end", onlegacyfinish)
    s:on("close", onlegacyfinish)
  end
  if not will_close and type(s.aborted) == "boolean" then s:on("aborted", onclose) end
  s:on("end", onend)
  s:on("finish", onfinish)
  if not (opts and opts.error == false) then s:on("error", onerror) end
  s:on("close", onclose)

  if closed then
    tick(onclose)
  elseif (w and w.errorEmitted) or (r and r.errorEmitted) then
    if not will_close then tick(onclosed) end
  elseif not readable and (not will_close or is_readable(s)) and (writable_finished or is_writable(s) == false) then
    tick(onclosed)
  elseif not writable and (not will_close or is_writable(s)) and (readable_finished or is_readable(s) == false) then
    tick(onclosed)
  end

  local function cleanup()
    user_cb = function() end
    s:removeListener("aborted", onclose)
    s:removeListener("close", onclose)
    s:removeListener("finish", onfinish)
    s:removeListener("end", onlegacyfinish)
    s:removeListener("close", onlegacyfinish)
    s:removeListener("end", onend)
    s:removeListener("error", onerror)
  end

  if present(signal) and not closed then
    local function abort()
      local _, reason = R.signal_aborted(signal)
      local orig = cb
      cleanup()
      orig(N.abort_error(reason))
    end
    if R.signal_aborted(signal) then
      tick(abort)
    else
      local off = R.on_abort(signal, abort)
      local orig = cb
      cb = once_fn(function(err)
        off()
        orig(err)
      end)
    end
  end
  return fnx("cleanup", 0, cleanup)
end

---------------------------------------------------------------------------------------------
-- pipeline (node's lib/internal/streams/pipeline.js)

do
local function make_async_iterable(v)
  if is_iterable(v) then return v end
  if is_readable_node_stream(v) then return async_iterator(v, true) end
  R.throw(invalid_arg_type("val", {"Readable", "Iterable", "AsyncIterable"}, v))
end

-- a destroy for pipeline's error path: nothing once the stream finished or closed
local function pipeline_destroyer(s, reading, writing)
  local done = false
  s:on("close", fnx("", 0, function() done = true end))
  local cleanup = eos(s, jsobject("readable", reading, "writable", writing), fnx("", 1, function(_, err)
    done = not present(err)
  end))
  return function(err)
    if done then return end
    done = true
    destroyer(s, present(err) and err or e_destroyed("pipe"))
  end, cleanup
end

-- an iterable's values written to a node stream
local function pump_to_node(iterable, w, finish, end_it)
  R.async(function()
    local failure
    local onresolve = nil
    local resume_fn = fnx("resume", 1, function(_, err)
      if present(err) then failure = err end
      if onresolve then
        local f = onresolve
        onresolve = nil
        f()
      end
    end)
    local function wait()
      local p = R.new_promise()
      if failure then
        R.reject_promise(p, failure)
      else
        onresolve = function()
          if failure then R.reject_promise(p, failure) else R.resolve_promise(p, nil) end
        end
      end
      return R.await(p)
    end
    w:on("drain", resume_fn)
    local cleanup = eos(w, jsobject("readable", false), resume_fn)
    local ok, e = pcall(function()
      if truthy(w.writableNeedDrain) then wait() end
      local f, st, c = R.aiter(iterable)
      local okl, el = pcall(function()
        while true do
          local chunk
          c, chunk = f(st, c)
          if c == nil then break end
          if not w:write(chunk) then wait() end
        end
      end)
      if not okl then
        pcall(R.iter_close, st)
        error(el, 0)
      end
      if end_it then
        w["end"](w)
        wait()
      end
      finish()
    end)
    if not ok then
      local err = caught(e)
      finish(not rawequal(failure, err) and aggregate(failure, err) or err)
    end
    cleanup()
    w:off("drain", resume_fn)
  end)
end

-- node stream to node stream: src.pipe(dst) with pipeline's end and error handling
local function pipeline_pipe(src, dst, finish, end_it)
  local ended = false
  dst:on("close", fnx("", 0, function()
    if not ended then finish(e_premature()) end
  end))
  src:pipe(dst, jsobject("end", false))
  if end_it then
    local function end_fn()
      ended = true
      dst["end"](dst)
    end
    if is_readable_finished(src) then tick(end_fn) else src:once("end", fnx("endFn", 0, end_fn)) end
  else
    finish()
  end
  local finish_l = fnx("finish", 1, function(_, e) finish(e) end)
  eos(src, jsobject("readable", true, "writable", false), fnx("", 1, function(_, err)
    local r = rstate(src)
    if present(err) and err.code == "ERR_STREAM_PREMATURE_CLOSE" and r and r.ended and not present(r.errored)
       and not r.errorEmitted then
      -- a close after the data ended: the 'end' is on its way
      src:once("end", finish_l):once("error", finish_l)
    else
      finish(err)
    end
  end))
  return eos(dst, jsobject("readable", false, "writable", true), fnx("", 1, function(_, err) finish(err) end))
end

function M.pipeline_impl(streams, callback, opts)
  local n = rawget(streams, "length")
  if n == 1 and R.isarray(rawget(streams, 0)) then
    streams = rawget(streams, 0)
    n = rawget(streams, "length")
  end
  if n < 2 then
    R.throw(coded_error("TypeError", "ERR_MISSING_ARGS", 'The "streams" argument must be specified'))
  end
  -- process.stdout / process.stderr as the last stage
  local last = rawget(streams, n - 1)
  if is_object(last) and plain_stdio(last) then
    local copy = R.pack()
    for i = 0, n - 2 do arr_push(copy, rawget(streams, i)) end
    arr_push(copy, stdio_writable(last))
    streams = copy
  end
  local AC = rawget(R.G, "AbortController") or R.G.AbortController
  local ac = R.new(AC)
  local signal = ac.signal
  local outer_signal = opts and opts.signal
  local off_outer
  local finish_impl
  local function abort()
    local _, reason = R.signal_aborted(outer_signal)
    finish_impl(N.abort_error(reason), true)
  end
  local failure, value
  local destroys = {}
  local finish_count = 0
  local last_cleanup = {}
  local function finish(err)
    finish_count = finish_count - 1
    finish_impl(err, finish_count == 0)
  end
  finish_impl = function(err, final)
    if present(err) and (not present(failure) or failure.code == "ERR_STREAM_PREMATURE_CLOSE") then failure = err end
    if not present(failure) and not final then return end
    while #destroys > 0 do table.remove(destroys, 1)(failure) end
    if off_outer then off_outer(); off_outer = nil end
    ac:abort()
    if final then
      if not present(failure) then
        for i = 1, #last_cleanup do last_cleanup[i]() end
      end
      tick(callback, failure, value)
    end
  end
  if present(outer_signal) then
    off_outer = R.on_abort(outer_signal, abort)
  end

  local ret
  for i = 0, n - 1 do
    local s = rawget(streams, i)
    local reading = i < n - 1
    local writing = i > 0
    local end_it = reading or not (opts and opts["end"] == false)
    local is_last = i == n - 1
    if is_node_stream(s) then
      if end_it then
        local d, cleanup = pipeline_destroyer(s, reading, writing)
        destroys[#destroys + 1] = d
        if is_readable(s) and is_last then last_cleanup[#last_cleanup + 1] = cleanup end
      end
      -- errors that come after the data went through
      local on_error = fnx("onError", 1, function(_, err)
        if present(err) and err.name ~= "AbortError" and err.code ~= "ERR_STREAM_PREMATURE_CLOSE" then finish(err) end
      end)
      s:on("error", on_error)
      if is_readable(s) and is_last then
        last_cleanup[#last_cleanup + 1] = function() s:removeListener("error", on_error) end
      end
    end
    if i == 0 then
      if callable(s) then
        ret = s(nil, jsobject("signal", signal))
        if not is_iterable(ret) then
          R.throw(coded_error("TypeError", "ERR_INVALID_RETURN_VALUE",
            'Expected Iterable, AsyncIterable or Stream to be returned from the "source" function but got ' ..
            N.specific_type(ret) .. "."))
        end
      elseif is_iterable(s) or is_readable_node_stream(s) then
        ret = s
      else
        ret = M.duplex_from(s)
      end
    elseif callable(s) then
      ret = make_async_iterable(ret)
      ret = s(nil, ret, jsobject("signal", signal))
      if reading then
        if not is_iterable(ret, true) then
          R.throw(coded_error("TypeError", "ERR_INVALID_RETURN_VALUE",
            'Expected AsyncIterable to be returned from the "transform[' .. (i - 1) .. ']" function but got ' ..
            N.specific_type(ret) .. "."))
        end
      else
        local pt = R.new(PassThrough, jsobject("objectMode", true))
        local th = is_object(ret) and ret["then"]
        if callable(th) then
          finish_count = finish_count + 1
          th(ret, fnx("", 1, function(_, val)
            value = val
            if present(val) then pt:write(val) end
            if end_it then pt["end"](pt) end
            tick(function() finish() end)
          end), fnx("", 1, function(_, err)
            pt:destroy(err)
            tick(function() finish(err) end)
          end))
        elseif is_iterable(ret, true) then
          finish_count = finish_count + 1
          pump_to_node(ret, pt, finish, end_it)
        else
          R.throw(coded_error("TypeError", "ERR_INVALID_RETURN_VALUE",
            'Expected AsyncIterable or Promise to be returned from the "destination" function but got ' ..
            N.specific_type(ret) .. "."))
        end
        ret = pt
        local d, cleanup = pipeline_destroyer(ret, false, true)
        destroys[#destroys + 1] = d
        if is_last then last_cleanup[#last_cleanup + 1] = cleanup end
      end
    elseif is_node_stream(s) then
      if is_readable_node_stream(ret) then
        finish_count = finish_count + 2
        local cleanup = pipeline_pipe(ret, s, finish, end_it)
        if is_readable(s) and is_last then last_cleanup[#last_cleanup + 1] = cleanup end
      elseif is_iterable(ret) then
        finish_count = finish_count + 1
        pump_to_node(ret, s, finish, end_it)
      else
        R.throw(invalid_arg_type("val", {"Readable", "Iterable", "AsyncIterable", "ReadableStream", "TransformStream"}, ret))
      end
      ret = s
    else
      ret = M.duplex_from(s)
    end
  end
  if present(outer_signal) and R.signal_aborted(outer_signal) then tick(abort) end
  return ret
end

function M.pipeline(_, ...)
  local n = select("#", ...)
  local streams = R.pack(...)
  local callback = rawget(streams, n - 1)
  N.validate_function(callback, "streams[stream.length - 1]")
  rawset(streams, n - 1, nil)
  rawset(streams, "length", n - 1)
  return M.pipeline_impl(streams, callback)
end

end

---------------------------------------------------------------------------------------------
-- Duplex.from, addAbortSignal, consumers

function M.duplex_from(body)
  if is_node_stream(body) then return body end
  if is_iterable(body) then return from(Readable, body) end
  R.throw(coded_error("Error", "ERR_LUASCRIPT_UNSUPPORTED",
    "LuaScript does not provide Duplex.from for " .. N.specific_type(body)))
end

function M.add_abort_signal(signal, s)
  if not (R.is_abort_signal and R.is_abort_signal(signal)) then
    R.throw(invalid_arg_type("signal", "AbortSignal", signal))
  end
  if not is_node_stream(s) then
    R.throw(invalid_arg_type("stream", {"ReadableStream", "WritableStream", "Stream"}, s))
  end
  local function onabort()
    local _, reason = R.signal_aborted(signal)
    s:destroy(N.abort_error(reason))
  end
  if R.signal_aborted(signal) then
    onabort()
  else
    local off = R.on_abort(signal, onabort)
    eos(s, fnx("", 0, function() off() end))
  end
  return s
end

local SD_ctor
function M.string_decoder()
  if not SD_ctor then SD_ctor = require("ljs.node_string_decoder").exports.StringDecoder end
  return SD_ctor
end

---------------------------------------------------------------------------------------------
-- The module

local exports = Stream
local function export(name, len, f) return N.export(exports, name, len, f) end
export("isDestroyed", 1, function(_, s) return is_destroyed(s) end)
export("isDisturbed", 1, function(_, s) return is_disturbed(s) end)
export("isErrored", 1, function(_, s) return is_errored(s) end)
export("isReadable", 1, function(_, s) return is_readable(s) end)
export("isWritable", 1, function(_, s) return is_writable(s) end)
put(exports, "Readable", Readable)
put(exports, "Writable", Writable)
put(exports, "Duplex", Duplex)
put(exports, "Transform", Transform)
put(exports, "PassThrough", PassThrough)
export("duplexPair", 1, function(_, opts) return M.duplex_pair(opts) end)
local pipeline_fn = export("pipeline", 0, M.pipeline)
export("addAbortSignal", 2, function(_, signal, s) return M.add_abort_signal(signal, s) end)
local finished_fn = export("finished", 3, function(_, s, opts, cb) return eos(s, opts, cb) end)
export("destroy", 2, function(_, s, err) destroyer(s, err) end)
export("compose", 0, function()
  R.throw(coded_error("Error", "ERR_LUASCRIPT_UNSUPPORTED", "LuaScript does not provide stream.compose"))
end)
export("setDefaultHighWaterMark", 2, function(_, object_mode, v)
  if type(v) ~= "number" or v ~= floor(v) or v < 0 then
    R.throw(coded_error("RangeError", "ERR_OUT_OF_RANGE", 'The value of "value" is out of range. It must be >= 0 && <= 9007199254740991. Received ' .. R.inspect(v)))
  end
  if truthy(object_mode) then default_obj_hwm = v else default_hwm = v end
end)
export("getDefaultHighWaterMark", 1, function(_, object_mode)
  return truthy(object_mode) and default_obj_hwm or default_hwm
end)

-- stream/promises
local promises = R.newobj()
N.export(promises, "finished", 2, function(_, s, opts)
  local p = R.new_promise()
  eos(s, opts, fnx("", 1, function(_, err)
    if present(err) then R.reject_promise(p, err) else R.resolve_promise(p, nil) end
  end))
  return p
end)
N.export(promises, "pipeline", 0, function(_, ...)
  local p = R.new_promise()
  local streams = R.pack(...)
  local n = rawget(streams, "length")
  local opts
  local last = rawget(streams, n - 1)
  -- (options are a plain object: not process.stdout or another writable that is no Stream)
  if is_object(last) and R.typeof(last) == "object" and not is_node_stream(last) and not is_iterable(last)
      and not R.iscallable(last.write) and not R.iscallable(last.pipe) then
    opts = last
    rawset(streams, n - 1, nil)
    rawset(streams, "length", n - 1)
  end
  local ok, e = pcall(M.pipeline_impl, streams, fnx("", 2, function(_, err, value)
    if present(err) then R.reject_promise(p, err) else R.resolve_promise(p, value) end
  end), opts and {signal = opts.signal, ["end"] = opts["end"]} or nil)
  if not ok then R.reject_promise(p, caught(e)) end
  return p
end)
R.defprop(R.fprop_table(exports), "promises", {
  get = fnx("get", 0, function() return promises end),
  enumerable = true, configurable = true})
put(exports, "Stream", Stream)
export("_isArrayBufferView", 1, function(_, v) return is_view(v) end)
export("_isUint8Array", 1, function(_, v) return B.is_u8(v) end)
export("_uint8ArrayToBuffer", 1, function(_, v) return view_to_buffer(v) end)
put(pipeline_fn, R.symbol_for("nodejs.util.promisify.custom"), promises.pipeline)
put(finished_fn, R.symbol_for("nodejs.util.promisify.custom"), promises.finished)

local consumers = R.newobj()
do
-- stream/consumers: the whole stream (or async iterable) as text, JSON, a Buffer or an ArrayBuffer
local function collect(src)
  local parts, strings = {}, {}
  local f, st, c = R.aiter(src)
  while true do
    local chunk
    c, chunk = f(st, c)
    if c == nil then break end
    if type(chunk) == "string" then
      parts[#parts + 1] = chunk
      strings[#parts] = true
    elseif is_view(chunk) then
      parts[#parts + 1] = bytes_of(view_to_buffer(chunk))
    else
      parts[#parts + 1] = bytes_of(view_to_buffer(chunk))
    end
  end
  return parts, strings
end
local function consumer(name, finish_with)
  N.export(consumers, name, 1, function(_, src)
    return R.async(function()
      local parts, strings = collect(src)
      return finish_with(parts, strings)
    end)
  end)
  R.fkinds[consumers[name]] = "AsyncFunction"
end
local function as_text(parts, strings)
  -- bytes decode as UTF-8 across chunk boundaries; strings are taken as they are
  local out, pending = {}, {}
  for i = 1, #parts do
    if strings[i] then
      if #pending > 0 then out[#out + 1] = B.decode(concat(pending), "utf8"); pending = {} end
      out[#out + 1] = parts[i]
    else
      pending[#pending + 1] = parts[i]
    end
  end
  if #pending > 0 then out[#out + 1] = B.decode(concat(pending), "utf8") end
  return concat(out)
end
consumer("arrayBuffer", function(parts, strings)
  for i = 1, #parts do if strings[i] then parts[i] = B.encode(parts[i], "utf8") end end
  return B.from_bytes(concat(parts)).buffer
end)
consumer("buffer", function(parts, strings)
  for i = 1, #parts do if strings[i] then parts[i] = B.encode(parts[i], "utf8") end end
  return B.from_bytes(concat(parts))
end)
consumer("text", as_text)
consumer("json", function(parts, strings) return R.json_parse(as_text(parts, strings)) end)
end

M.exports = exports
M.promises = promises
M.consumers = consumers
M.Readable, M.Writable, M.Duplex, M.Transform, M.PassThrough = Readable, Writable, Duplex, Transform, PassThrough
M.finished = eos
M.destroyer = destroyer
M.error_or_destroy = error_or_destroy
return M
