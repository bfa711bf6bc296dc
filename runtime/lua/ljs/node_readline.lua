-- ljs.node_readline: node's `readline` and `readline/promises` for reading lines: an Interface
-- over an input stream (process.stdin, or any EventEmitter that emits 'data' and 'end') with
-- the 'line' and 'close' events, question(), prompts and `for await (const line of rl)`.
--
-- Lines are cut as node 20 cuts them without a terminal: at "\n", "\r\n" and a lone "\r"; a
-- "\r" that ends one chunk and a "\n" that starts the next within crlfDelay ms are one ending.
-- The lines of one chunk go out together, even after a listener closed the interface, and the
-- last line without an ending comes as a 'line' event at the input's end (never to a pending
-- question): node's quirks, which programs meet. Terminal mode (line editing, history, tab
-- completion, keypress events) is not provided: with `terminal: true` the interface reads as
-- without one, which a terminal in its usual line mode also gives.
local R = require("ljs.core")
require("ljs.promise")
require("ljs.nodelib")

local type, rawset, setmetatable = type, rawset, setmetatable
local sbyte, ssub, sfind = string.byte, string.sub, string.find
local null = R.null
local N = R.nodelib
local put, export = N.put, N.export

local B = require("ljs.node_buffer")
local SD = require("ljs.node_string_decoder")
local EventEmitter = R.builtin_modules.events()
local EEProto = R.get(EventEmitter, "prototype")

local M = {}
local CR, LF = 13, 10
local MIN_CRLF_DELAY = 100
local HIGH_WATERMARK = 1024   -- lines a `for await` loop may fall behind before input pauses

local state = setmetatable({}, {__mode = "k"})   -- interface -> its state

local function is_object(v) return (type(v) == "table" or type(v) == "function") and v ~= null end

local function use_after_close()
  return N.coded_error("Error", "ERR_USE_AFTER_CLOSE", "readline was closed")
end

local function st_of(this)
  local st = state[this]
  if not st then
    R.throw(N.coded_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type Interface'))
  end
  return st
end

local function write_out(st, s)
  local out = st.output
  if out ~= nil and out ~= null then out:write(s) end
end

-- a class of this module: constructor f, its prototype inheriting from parent (no
-- Symbol.toStringTag: node's readline classes have none)
local class = R.library_class

---------------------------------------------------------------------------------------------
-- The shared prototype (node's internal Interface class, which the classes of `readline` and
-- `readline/promises` extend)

local Base = class("Interface", 4, function(this) return this end, EEProto)

-- a line: to the question waiting for it, else to the 'line' listeners
local function on_line(this, st, line)
  local cb = st.question
  if cb then
    st.question = nil
    st.prompt = st.old_prompt
    cb(nil, line)
  else
    this:emit("line", line)
  end
end

-- where the first line ending of s at or after byte i is: its start and end, or nil
local function line_end(s, i)
  local a = sfind(s, "[\r\n]", i)
  if not a then return nil end
  if sbyte(s, a) == CR and sbyte(s, a + 1) == LF then return a, a + 1 end
  return a, a
end

-- input data: text appended to the line being read, each finished line sent on
local function normal_write(this, st, data)
  if data == nil then return end
  local s
  if type(data) == "string" then s = data
  else
    local ptr, n = B.byte_view(data)
    if not ptr then s = R.tostr(data) else s = SD.write_bytes(st.decoder, require("ffi").string(ptr, n)) end
  end
  -- the "\n" of a "\r\n" split between two chunks
  if st.saw_return_at ~= 0 and R.now_ms() - st.saw_return_at <= st.crlf_delay then
    if sbyte(s, 1) == LF then s = ssub(s, 2) end
    st.saw_return_at = 0
  end
  if not line_end(s, 1) then
    if s ~= "" then st.line_buffer = (st.line_buffer or "") .. s end
    return
  end
  if st.line_buffer then
    s = st.line_buffer .. s
    st.line_buffer = nil
  end
  st.saw_return_at = sbyte(s, #s) == CR and R.now_ms() or 0
  local lines, i = {}, 1
  while true do
    local a, b = line_end(s, i)
    if not a then break end
    lines[#lines + 1] = ssub(s, i, a - 1)
    i = b + 1
  end
  st.line_buffer = ssub(s, i)
  for k = 1, #lines do on_line(this, st, lines[k]) end
end

local function pause(this)
  local st = st_of(this)
  if st.paused then return this end
  local input = st.input
  if R.iscallable(input.pause) then input:pause() end
  st.paused = true
  put(this, "paused", true)
  this:emit("pause")
  return this
end

local function resume(this)
  local st = st_of(this)
  if not st.paused then return this end
  local input = st.input
  if R.iscallable(input.resume) then input:resume() end
  st.paused = false
  put(this, "paused", false)
  this:emit("resume")
  return this
end

local function prompt(this)
  local st = st_of(this)
  if st.paused then resume(this) end
  write_out(st, st.prompt)
end

local function close(this)
  local st = st_of(this)
  if st.closed then return end
  pause(this)
  st.closed = true
  put(this, "closed", true)
  this:emit("close")
end

-- question(query, cb): the next line goes to cb instead of the 'line' listeners
local function ask(this, query, cb)
  local st = st_of(this)
  if st.closed then R.throw(use_after_close()) end
  if st.question then
    prompt(this)
  else
    st.old_prompt = st.prompt
    st.prompt = R.tostr(query)
    st.question = cb
    prompt(this)
  end
end

local function cancel_question(this)
  local st = st_of(this)
  if st.question then
    st.question = nil
    st.prompt = st.old_prompt
  end
end

-- the output's width, when it is a terminal
R.defprop(Base, "columns", {get = R.fn(function(this)
  local out = st_of(this).output
  if is_object(out) and R.truthy(out.columns) then return out.columns end
  return math.huge
end, "get columns", 0), enumerable = false, configurable = true})
R.method(Base, "setPrompt", 1, function(this, p) st_of(this).prompt = R.tostr(p) end)
R.method(Base, "getPrompt", 0, function(this) return st_of(this).prompt end)
R.method(Base, "prompt", 1, function(this) prompt(this) end)
R.method(Base, "close", 0, function(this) close(this) end)
R.method(Base, "pause", 0, pause)
R.method(Base, "resume", 0, resume)
-- write(data): as if the input had given it
R.method(Base, "write", 2, function(this, data)
  local st = st_of(this)
  if st.paused then resume(this) end
  normal_write(this, st, data)
end)
R.method(Base, "getCursorPos", 0, function(this)
  local st = st_of(this)
  return N.jsobject("rows", 0, "cols", R.strlen(st.prompt))
end)

-- for await (const line of rl): the lines from the first call on, queued while the loop is
-- busy (input pauses past HIGH_WATERMARK of them); the loop ends after 'close'. Leaving it
-- early stops listening, and leaves the interface open, as node does.
R.method(Base, R.sym_asyncIterator, 0, function(this)
  local st = st_of(this)
  if st.iterator then return st.iterator end
  local queue, head, tail = {}, 1, 0
  local waiting = {}
  local finished, failure, paused_here = false, nil, false
  local online, onclose, onerror
  local function detach()
    this:removeListener("line", online)
    this:removeListener("close", onclose)
    this:removeListener("error", onerror)
  end
  local function done_result()
    local p = R.new_promise()
    R.resolve_promise(p, R.iter_result(nil, true))
    return p
  end
  local function finish()
    finished = true
    detach()
    while #waiting > 0 do R.resolve_promise(table.remove(waiting, 1), R.iter_result(nil, true)) end
  end
  online = R.fn(function(_, line)
    if #waiting > 0 then
      R.resolve_promise(table.remove(waiting, 1), R.iter_result(line, false))
      return
    end
    tail = tail + 1
    queue[tail] = line
    if tail - head + 1 > HIGH_WATERMARK and not st.paused then
      paused_here = true
      pause(this)
    end
  end, "online", 1)
  onclose = R.fn(function() finish() end, "onclose", 0)
  onerror = R.fn(function(_, e)
    failure = e
    detach()
    if #waiting > 0 then
      failure = nil
      finished = true
      R.reject_promise(table.remove(waiting, 1), e)
      while #waiting > 0 do R.resolve_promise(table.remove(waiting, 1), R.iter_result(nil, true)) end
    end
  end, "onerror", 1)
  this:on("line", online)
  this:on("close", onclose)
  this:on("error", onerror)

  local it = R.newobj(M.AsyncIteratorProto)
  R.method(it, "next", 0, function()
    if head <= tail then
      local line = queue[head]
      queue[head] = nil
      head = head + 1
      if head > tail and paused_here then
        paused_here = false
        resume(this)
      end
      local p = R.new_promise()
      R.resolve_promise(p, R.iter_result(line, false))
      return p
    end
    if failure ~= nil then
      local p = R.new_promise()
      R.reject_promise(p, failure)
      failure = nil
      finished = true
      return p
    end
    if finished then return done_result() end
    local p = R.new_promise()
    waiting[#waiting + 1] = p
    return p
  end)
  R.method(it, "return", 0, function()
    finish()
    return done_result()
  end)
  R.method(it, "throw", 1, function(_, e)
    finish()
    local p = R.new_promise()
    R.reject_promise(p, e)
    return p
  end)
  st.iterator = it
  return it
end)

M.AsyncIteratorProto = R.newobj()
R.method(M.AsyncIteratorProto, R.sym_asyncIterator, 0, function(this) return this end)

---------------------------------------------------------------------------------------------
-- Construction

-- (input, output, completer, terminal) or ({input, output, prompt, crlfDelay, terminal, signal})
local function init(this, input, output, completer, terminal)
  EventEmitter(this)
  local opts
  if is_object(input) and input.input ~= nil and input.input ~= null then
    opts = input
    output = opts.output
    completer = opts.completer
    terminal = opts.terminal
    input = opts.input
  end
  if not is_object(input) or not R.iscallable(input.on) then
    R.type_error("input.on is not a function")
  end
  if completer ~= nil and completer ~= null and not R.iscallable(completer) then
    R.throw(N.coded_error("TypeError", "ERR_INVALID_ARG_VALUE",
      "The argument 'completer' is invalid. Received " .. R.inspect(completer)))
  end
  if terminal == nil and is_object(output) then terminal = R.truthy(output.isTTY) end
  local delay = opts and opts.crlfDelay
  delay = R.truthy(delay) and math.max(MIN_CRLF_DELAY, R.tonum(delay)) or MIN_CRLF_DELAY
  local p = opts and opts.prompt
  p = p == nil and "> " or R.tostr(p)

  local st = {
    input = input, output = output, prompt = p, old_prompt = p, crlf_delay = delay,
    decoder = SD.new_state("utf8"), line_buffer = nil, saw_return_at = 0,
    question = nil, paused = nil, closed = false,
  }
  state[this] = st
  put(this, "line", "")
  put(this, "output", output)
  put(this, "input", input)
  put(this, "history", R.pack())
  put(this, "historySize", 30)
  put(this, "removeHistoryDuplicates", false)
  put(this, "crlfDelay", delay)
  put(this, "completer", completer ~= null and completer or nil)
  put(this, "terminal", R.truthy(terminal))

  local ondata = R.fn(function(_, data) normal_write(this, st, data) end, "ondata", 1)
  local onend = R.fn(function()
    -- the last line, without its ending: an event, not a question's answer (as node)
    if st.line_buffer and st.line_buffer ~= "" then this:emit("line", st.line_buffer) end
    st.line_buffer = nil
    close(this)
  end, "onend", 0)
  input:on("data", ondata)
  input:on("end", onend)
  this:once("close", R.fn(function()
    input:removeListener("data", ondata)
    input:removeListener("end", onend)
  end, "onSelfCloseWithoutTerminal", 0))

  -- an abort signal closes the interface
  local signal = opts and opts.signal
  if signal ~= nil and signal ~= null then
    if R.signal_aborted and R.signal_aborted(signal) then
      R.enqueue_tick(function() close(this) end, R.pack())
    elseif R.iscallable(signal.addEventListener) then
      signal:addEventListener("abort", R.fn(function() close(this) end, "onAborted", 0), N.jsobject("once", true))
    end
  end
  if R.iscallable(input.resume) then input:resume() end
  return this
end

-- readline.Interface: question(query[, options], cb)
local Interface
Interface = function(this, input, output, completer, terminal)
  if not R.constructing(this, R.get(Interface, "prototype")) then
    return R.new(Interface, input, output, completer, terminal)
  end
  return init(this, input, output, completer, terminal)
end
local proto = class("Interface", 4, Interface, Base)
R.method(proto, "question", 3, function(this, query, options, cb)
  if R.iscallable(options) then cb = options end
  if is_object(options) and not R.iscallable(options) and is_object(options.signal) then
    local signal = options.signal
    if R.signal_aborted and R.signal_aborted(signal) then return end
    local inner = cb
    local onabort = R.fn(function() cancel_question(this) end, "onAbort", 0)
    signal:addEventListener("abort", onabort, N.jsobject("once", true))
    cb = R.fn(function(_, answer)
      signal:removeEventListener("abort", onabort)
      return inner(nil, answer)
    end, "cb", 1)
  end
  if R.iscallable(cb) then ask(this, query, cb) end
end)

local function createInterface(_, input, output, completer, terminal)
  return R.new(Interface, input, output, completer, terminal)
end

-- readline/promises.Interface: question(query[, {signal}]) returns a promise of the answer
local PInterface
PInterface = function(this, input, output, completer, terminal)
  if not R.constructing(this, R.get(PInterface, "prototype")) then
    return R.new(PInterface, input, output, completer, terminal)
  end
  return init(this, input, output, completer, terminal)
end
local pproto = class("Interface", 4, PInterface, Base)
R.method(pproto, "question", 2, function(this, query, options)
  local p = R.new_promise()
  local ok, err = pcall(function()
    local cb = R.fn(function(_, answer) R.resolve_promise(p, answer) end, "resolve", 1)
    local signal = is_object(options) and options.signal or nil
    if is_object(signal) then
      local aborted, reason = false, nil
      if R.signal_aborted then aborted, reason = R.signal_aborted(signal) end
      if aborted then R.reject_promise(p, N.abort_error(reason)) return end
      local onabort = R.fn(function()
        cancel_question(this)
        local _, why = R.signal_aborted(signal)
        R.reject_promise(p, N.abort_error(why))
      end, "onAbort", 0)
      signal:addEventListener("abort", onabort, N.jsobject("once", true))
      cb = R.fn(function(_, answer)
        signal:removeEventListener("abort", onabort)
        R.resolve_promise(p, answer)
      end, "cb", 1)
    end
    ask(this, query, cb)
  end)
  if not ok then R.reject_promise(p, R.caught(err)) end
  return p
end)

---------------------------------------------------------------------------------------------
-- Cursor control: ANSI escape sequences written to a stream

local CSI = "\27["

local function later(cb)
  if R.iscallable(cb) then R.enqueue_tick(cb, R.pack(null)) end
end

-- readline.cursorTo takes any x and y but NaN, as node's does
local function check_not_nan(v, name)
  if v ~= v then
    R.throw(N.coded_error("TypeError", "ERR_INVALID_ARG_VALUE",
      "The argument '" .. name .. "' is invalid. Received NaN"))
  end
end

-- the Readline class checks integers (node's validateInteger)
local function check_integer(v, name, lo, hi)
  if type(v) ~= "number" then R.throw(N.invalid_arg_type(name, "number", v)) end
  local why
  if v ~= v or v ~= math.floor(v) or v == math.huge or v == -math.huge then why = "an integer"
  elseif lo and (v < lo or v > hi) then why = ">= " .. R.numtostr(lo) .. " && <= " .. R.numtostr(hi) end
  if why then
    R.throw(N.coded_error("RangeError", "ERR_OUT_OF_RANGE", 'The value of "' .. name ..
      '" is out of range. It must be ' .. why .. ". Received " .. R.inspect(v)))
  end
end

-- x + 1 as JS adds it (a string x is concatenated)
local function plus1(x) return R.tostr(R.add(x, 1)) end

local function stream_write(stream, data, cb)
  if R.iscallable(cb) then return stream:write(data, cb) end
  return stream:write(data)
end

local function cursor_to(stream, x, y, cb)
  if R.iscallable(y) then cb, y = y, nil end
  check_not_nan(x, "x")
  check_not_nan(y, "y")
  if stream == nil or stream == null or (type(x) ~= "number" and type(y) ~= "number") then
    later(cb)
    return true
  end
  local data
  if type(y) ~= "number" then data = CSI .. plus1(x) .. "G"
  else data = CSI .. plus1(y) .. ";" .. plus1(x) .. "H" end
  return stream_write(stream, data, cb)
end

local function move_cursor(stream, dx, dy, cb)
  dx, dy = R.tonum(dx or 0), R.tonum(dy or 0)
  if stream == nil or stream == null or (dx == 0 and dy == 0) then
    later(cb)
    return true
  end
  local data = ""
  if dx < 0 then data = CSI .. R.numtostr(-dx) .. "D" elseif dx > 0 then data = CSI .. R.numtostr(dx) .. "C" end
  if dy < 0 then data = data .. CSI .. R.numtostr(-dy) .. "A" elseif dy > 0 then data = data .. CSI .. R.numtostr(dy) .. "B" end
  return stream_write(stream, data, cb)
end

local function clear_line_code(dir)
  dir = R.tonum(dir or 0)
  if dir < 0 then return CSI .. "1K" elseif dir > 0 then return CSI .. "0K" end
  return CSI .. "2K"
end

local function clear_line(stream, dir, cb)
  if stream == nil or stream == null then later(cb) return true end
  return stream_write(stream, clear_line_code(dir), cb)
end

local function clear_screen_down(stream, cb)
  if stream == nil or stream == null then later(cb) return true end
  return stream_write(stream, CSI .. "0J", cb)
end

R.method(Base, "clearLine", 0, function(this)
  local st = st_of(this)
  write_out(st, "\r\n")
  put(this, "line", "")
end)

-- readline/promises.Readline: cursor actions queued, written by commit()
local Readline
Readline = function(this, stream, options)
  if not R.constructing(this, R.get(Readline, "prototype")) then
    R.type_error("Class constructor Readline cannot be invoked without 'new'")
  end
  if not is_object(stream) or not R.iscallable(stream.write) then
    R.throw(N.invalid_arg_type("stream", "Writable", stream))
  end
  state[this] = {stream = stream, todo = {}, auto = is_object(options) and R.truthy(options.autoCommit)}
  return this
end
local rlproto = class("Readline", 1, Readline, R.ObjectPrototype)
-- (with autoCommit, each action is written a tick later, as node's)
local function queue_action(this, data)
  local st = state[this]
  if st.auto then
    R.enqueue_tick(function() st.stream:write(data) end, R.pack())
  else
    st.todo[#st.todo + 1] = data
  end
  return this
end
R.method(rlproto, "clearLine", 1, function(this, dir)
  check_integer(dir, "dir", -1, 1)
  return queue_action(this, clear_line_code(dir))
end)
R.method(rlproto, "clearScreenDown", 0, function(this) return queue_action(this, CSI .. "0J") end)
R.method(rlproto, "cursorTo", 2, function(this, x, y)
  check_integer(x, "x")
  if y ~= nil then check_integer(y, "y") end
  if y == nil then return queue_action(this, CSI .. R.numtostr(x + 1) .. "G") end
  return queue_action(this, CSI .. R.numtostr(y + 1) .. ";" .. R.numtostr(x + 1) .. "H")
end)
R.method(rlproto, "moveCursor", 2, function(this, dx, dy)
  check_integer(dx, "dx")
  check_integer(dy, "dy")
  if dx == 0 and dy == 0 then return this end
  local data = ""
  if dx < 0 then data = CSI .. R.numtostr(-dx) .. "D" elseif dx > 0 then data = CSI .. R.numtostr(dx) .. "C" end
  if dy < 0 then data = data .. CSI .. R.numtostr(-dy) .. "A" elseif dy > 0 then data = data .. CSI .. R.numtostr(dy) .. "B" end
  return queue_action(this, data)
end)
-- commit(): the queued actions in one write; the promise does not wait for the write's callback
R.method(rlproto, "commit", 0, function(this)
  local st = state[this]
  local data = table.concat(st.todo)
  st.todo = {}
  st.stream:write(data)
  local p = R.new_promise()
  R.resolve_promise(p, nil)
  return p
end)
R.method(rlproto, "rollback", 0, function(this)
  state[this].todo = {}
  return this
end)

---------------------------------------------------------------------------------------------
-- The modules

local promises = R.newobj()
put(promises, "Interface", PInterface)
put(promises, "Readline", Readline)
export(promises, "createInterface", 4, function(_, input, output, completer, terminal)
  return R.new(PInterface, input, output, completer, terminal)
end)

local readline = R.newobj()
put(readline, "Interface", Interface)
export(readline, "clearLine", 3, function(_, stream, dir, cb) return clear_line(stream, dir, cb) end)
export(readline, "clearScreenDown", 2, function(_, stream, cb) return clear_screen_down(stream, cb) end)
export(readline, "createInterface", 4, createInterface)
export(readline, "cursorTo", 4, function(_, stream, x, y, cb) return cursor_to(stream, x, y, cb) end)
-- keypress events need terminal mode, which is not provided: the stream is left as it is
export(readline, "emitKeypressEvents", 2, function() end)
export(readline, "moveCursor", 4, function(_, stream, dx, dy, cb) return move_cursor(stream, dx, dy, cb) end)
put(readline, "promises", promises)

M.exports = readline
M.promises = promises
return M
