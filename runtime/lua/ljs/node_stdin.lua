-- ljs.node_stdin: the program's standard input. process.stdin (made on first read of the
-- property, see rt.lua) is a readable stream over fd 0, an EventEmitter of node's `events`
-- with node's paused / flowing / 'readable' modes; fs.readFileSync(0) reads fd 0 to its end
-- through M.read_all.
--
-- Reading: the stream asks the event loop to watch fd 0 (R.io_watch, ljs.promise) while it
-- wants data, and reads what poll(2) says is there with read(2), 64 KiB at most, as node's
-- reads are (so a file given as stdin arrives in node's chunks). Node makes process.stdin a
-- tty.ReadStream on a terminal, an fs.ReadStream on a file or device (it never emits 'close')
-- and a net.Socket on a pipe or socket (which does): the same here, told apart with isatty and
-- lseek (a pipe cannot seek), since `struct stat` has no portable layout for the FFI.
--
-- In the sandbox nothing is read: stdin is empty, as if it were /dev/null (docs/sandbox.md).
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.promise")   -- R.io_watch, struct ljs_pollfd and poll

local type, rawget, rawset = type, rawget, rawset
local concat = table.concat
local null = R.null

pcall(ffi.cdef, "long read(int fd, void *buf, size_t n);")
pcall(ffi.cdef, "int isatty(int fd);")
pcall(ffi.cdef, "long lseek(int fd, long offset, int whence);")
local C = ffi.C

local M = {}

local CHUNK = 65536        -- node's highWaterMark for fs streams, and libuv's read size
local POLLIN = 1
local SLICE_MS = 50
local EINTR = 4
local EAGAIN = {[11] = true, [35] = true}   -- Linux, the BSDs

---------------------------------------------------------------------------------------------
-- fd level

local chunk_buf = nil
local pollfd = nil

-- Block until fd has data or its end, in slices that let a time limit or Ctrl-C stop the
-- program (R.interrupted, ljs.sandbox).
local function wait_readable(fd)
  pollfd = pollfd or ffi.new("struct ljs_pollfd[1]")
  pollfd[0].fd, pollfd[0].events = fd, POLLIN
  while true do
    pollfd[0].revents = 0
    if C.poll(pollfd, 1, SLICE_MS) ~= 0 then return end   -- (an error: read reports it)
    if R.interrupted then R.interrupted() end
  end
end

-- has fd data (or its end) now?
local function ready_now(fd)
  pollfd = pollfd or ffi.new("struct ljs_pollfd[1]")
  pollfd[0].fd, pollfd[0].events, pollfd[0].revents = fd, POLLIN, 0
  return C.poll(pollfd, 1, 0) > 0
end

-- One read: the bytes (a Lua string), "" at the end, nil when it should be tried again, or
-- false and errno.
local function read_chunk(fd)
  chunk_buf = chunk_buf or ffi.new("uint8_t[?]", CHUNK)
  local n = tonumber(C.read(fd, chunk_buf, CHUNK))
  if n > 0 then return ffi.string(chunk_buf, n) end
  if n == 0 then return "" end
  local errno = ffi.errno()
  if errno == EINTR or EAGAIN[errno] then return nil end
  return false, errno
end
M.read_chunk = read_chunk

-- Everything fd gives until its end (fs.readFileSync(0)): the bytes, or nil and errno.
function M.read_all(fd)
  local parts = {}
  while true do
    wait_readable(fd)
    local s, errno = read_chunk(fd)
    if s == "" then break end
    if s == false then return nil, errno end
    if s then parts[#parts + 1] = s end
  end
  return concat(parts)
end

-- "tty", "file" (regular files and devices such as /dev/null) or "pipe" (pipes and sockets)
local function fd_kind(fd)
  if C.isatty(fd) == 1 then return "tty" end
  if tonumber(C.lseek(fd, 0, 1)) >= 0 then return "file" end
  return "pipe"
end
M.fd_kind = fd_kind

---------------------------------------------------------------------------------------------
-- The stream

local stdin = nil

local function make_stdin()
  require("ljs.nodelib")
  local N = R.nodelib
  local B = require("ljs.node_buffer")
  local SD = require("ljs.node_string_decoder")
  local EventEmitter = R.builtin_modules.events()
  local EEProto = R.get(EventEmitter, "prototype")
  local ee_on = R.get(EEProto, "on")
  local put = N.put

  local fd = 0
  local sandboxed = R.sandboxed
  local kind = sandboxed and "file" or fd_kind(fd)

  -- the state node keeps in _readableState
  local st = {
    flowing = nil,        -- readableFlowing: nil (null), true, false
    buf = {},             -- chunks not consumed yet: bytes, or strings once an encoding is set
    decoder = nil,        -- the encoding's decoder (ljs.node_string_decoder's state)
    eof = false,          -- the fd reached its end
    ended = false,        -- 'end' emitted (or on its way)
    destroyed = false,
    readable_listening = false,
    readable_pending = false,
    watch = nil,          -- the event loop's source while reading
    ref = true,
  }

  local self
  local function emit(ev, ...) return self:emit(ev, ...) end
  local function tick(f) R.enqueue_tick(f, R.pack()) end

  local function buffered()
    local n = 0
    for i = 1, #st.buf do n = n + #st.buf[i] end
    return n
  end

  -- the buffered chunks as one chunk, for the program
  local function take_all()
    local s = concat(st.buf)
    st.buf = {}
    if st.decoder then return s end
    return B.from_bytes(s)
  end

  local on_readable_fd

  local function stop_reading()
    if st.watch then R.io_unwatch(st.watch); st.watch = nil end
  end

  local function start_reading()
    if st.watch or st.eof or st.destroyed then return end
    if sandboxed then   -- an empty stdin: its end comes in a later turn of the loop, as a read's would
      st.watch = true
      R.set_immediate(function()
        st.watch = nil
        on_readable_fd(true)
      end)
      return
    end
    st.watch = R.io_watch(fd, function() on_readable_fd(false) end, st.ref)
    st.watch.dropped = function() st.watch = nil end
  end

  -- 'end' once everything was consumed, then 'close' (not for files, as node's fs.ReadStream
  -- on stdin, which does not close fd 0)
  local function end_stream()
    if st.ended then return end
    st.ended = true
    tick(function()
      put(self, "readable", false)
      put(self, "readableEnded", true)
      emit("end")
      if kind ~= "file" then
        st.destroyed = true
        put(self, "destroyed", true)
        tick(function() emit("close", false) end)
      end
    end)
  end

  local function emit_readable()
    if st.readable_pending then return end
    st.readable_pending = true
    tick(function()
      st.readable_pending = false
      if st.destroyed then return end
      emit("readable")
      -- a listener that read nothing at the end still ends the stream
      if st.eof and #st.buf == 0 and st.flowing ~= true then end_stream() end
    end)
  end

  local function push(bytes)
    if st.decoder then
      bytes = SD.write_bytes(st.decoder, bytes)
      if bytes == "" then return end
    end
    if st.flowing == true and #st.buf == 0 then
      emit("data", st.decoder and bytes or B.from_bytes(bytes))
    else
      st.buf[#st.buf + 1] = bytes
      if st.readable_listening then emit_readable() end
      -- a paused stream reads ahead no further than node's highWaterMark
      if st.flowing ~= true and buffered() >= CHUNK then stop_reading() end
    end
  end

  -- one read(2): the number of bytes it brought (0 at the end), or nil for nothing now
  local function read_once(at_end)
    if st.destroyed or st.eof then return nil end
    local s, errno
    if at_end then s = "" else s, errno = read_chunk(fd) end
    if s == nil then return nil end
    if s == false then   -- (EBADF: no stdin at all reads as an empty one)
      if errno ~= 9 then
        stop_reading()
        st.destroyed = true
        emit("error", require("ljs.node_fs").errno_error(errno, "read"))
        return nil
      end
      s = ""
    end
    if s ~= "" then push(s) return #s end
    st.eof = true
    stop_reading()
    if st.decoder then   -- a character cut short at the end
      local rest = SD.finish(st.decoder)
      if rest ~= "" then
        if st.flowing == true and #st.buf == 0 then emit("data", rest) else st.buf[#st.buf + 1] = rest end
      end
    end
    if st.readable_listening then
      -- node tells of the end at once (one still queued for the data before it follows)
      emit("readable")
      if #st.buf == 0 then end_stream() end
    elseif #st.buf == 0 then
      end_stream()
    end
    return 0
  end

  -- A pipe or terminal is read as libuv reads it, each read a callback of its own (the
  -- microtasks run between them): again while a read fills the whole buffer (32 reads at
  -- most, and while still reading); after a shorter one, an end (or more data) already there
  -- comes later in this turn, paused or not.
  local function read_more(n, got)
    if kind == "file" or not got or got == 0 or not ready_now(fd) then return end
    if got == CHUNK then
      if n >= 32 or type(st.watch) ~= "table" then return end
    end
    R.io_followup(function() read_more(n + 1, read_once(false)) end)
  end

  on_readable_fd = function(at_end)
    read_more(1, read_once(at_end))
  end

  -- flowing: what waited in the buffer goes out as one chunk, then reading goes on
  local function flow()
    if st.flowing ~= true or st.destroyed then return end
    if #st.buf > 0 then emit("data", take_all()) end
    -- (the end comes once the buffer is empty, paused again or not)
    if st.eof then
      if #st.buf == 0 then end_stream() end
    elseif st.flowing == true then
      start_reading()
    end
  end

  local function resume()
    if st.flowing == true then return end
    st.flowing = true
    put(self, "readableFlowing", true)
    tick(function()
      if st.flowing ~= true then return end
      emit("resume")
      flow()
    end)
  end

  local function pause()
    if st.flowing ~= false then
      st.flowing = false
      put(self, "readableFlowing", false)
      emit("pause")
    end
    -- a paused pipe or terminal stops reading a tick later, which lets the program end, as
    -- node's stdin does; a file reads on up to the highWaterMark (push), as an fs.ReadStream
    if kind ~= "file" then
      tick(function()
        if st.flowing ~= true and not st.readable_listening then stop_reading() end
      end)
    end
  end

  -- read(size): buffered data (all of it without a size), or null when there is not enough
  local function read(size)
    if size ~= nil and size ~= null then size = R.tonum(size) else size = nil end
    local have = #st.buf
    if have == 0 or (size == 0) then
      if st.eof and have == 0 then end_stream() else start_reading() end
      return null
    end
    local out
    if size == nil then
      out = take_all()
    elseif st.decoder then
      local s = concat(st.buf)
      local n = R.strlen(s)
      if size > n and not st.eof then start_reading(); return null end
      out = R.str_sub(s, 0, size)
      local rest = R.str_sub(s, size)
      st.buf = rest ~= "" and {rest} or {}
    else
      local s = concat(st.buf)
      if size > #s and not st.eof then start_reading(); return null end
      out = B.from_bytes(string.sub(s, 1, size))
      local rest = string.sub(s, size + 1)
      st.buf = rest ~= "" and {rest} or {}
    end
    if not st.eof and buffered() < CHUNK then start_reading() end
    if st.eof and #st.buf == 0 and st.flowing ~= true and not st.readable_listening then end_stream() end
    if st.flowing == true then emit("data", out) end
    return out
  end

  local function destroy(err)
    if st.destroyed then return end
    st.destroyed = true
    stop_reading()
    put(self, "destroyed", true)
    put(self, "readable", false)
    tick(function()
      if err ~= nil and err ~= null then emit("error", err) end
      emit("close", err ~= nil and err ~= null)
    end)
  end

  local function Stream(this) return this end
  -- (named as node's class for that kind of stdin; no Symbol.toStringTag, as node's have none)
  local proto = R.library_class(kind == "pipe" and "Socket" or "ReadStream", 0, Stream, EEProto)
  self = R.newobj(proto)
  EventEmitter(self)

  put(self, "fd", fd)
  if kind == "tty" then
    put(self, "isTTY", true)
    put(self, "isRaw", false)
  end
  put(self, "readable", true)
  put(self, "readableFlowing", null)
  put(self, "readableEncoding", null)
  put(self, "readableEnded", false)
  put(self, "destroyed", false)

  local function on(this, ev, fn)
    local r = ee_on(this, ev, fn)
    if ev == "data" then
      if st.flowing ~= false then resume() end
    elseif ev == "readable" then
      if not st.readable_listening then
        st.readable_listening = true
        st.flowing = false
        put(self, "readableFlowing", false)
        if #st.buf > 0 or st.eof then emit_readable() else start_reading() end
      end
    end
    return r
  end
  R.method(proto, "on", 2, on)
  rawset(proto, "addListener", on)
  -- without 'readable' listeners, 'data' listeners make it flow again (node decides a tick later)
  local ee_off = R.get(EEProto, "removeListener")
  local function off(this, ev, fn)
    local r = ee_off(this, ev, fn)
    if ev == "readable" and st.readable_listening then
      tick(function()
        if this:listenerCount("readable") > 0 then return end
        st.readable_listening = false
        if this:listenerCount("data") > 0 then
          resume()
        else
          st.flowing = nil
          put(self, "readableFlowing", null)
          stop_reading()
        end
      end)
    end
    return r
  end
  R.method(proto, "removeListener", 2, off)
  rawset(proto, "off", off)
  R.method(proto, "setEncoding", 1, function(this, enc)
    local name = B.normalize(enc == nil and "utf8" or enc)
    if not name then N.throw_coded("TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: " .. R.tostr(enc)) end
    local old = st.decoder == nil and concat(st.buf) or nil
    st.decoder = SD.new_state(name)
    put(self, "readableEncoding", name)
    -- what waits in the buffer is text from now on too
    if old then
      local s = old ~= "" and SD.write_bytes(st.decoder, old) or ""
      st.buf = s ~= "" and {s} or {}
    end
    return this
  end)
  R.method(proto, "pause", 0, function(this) pause(); return this end)
  R.method(proto, "resume", 0, function(this)
    if st.readable_listening then return this end   -- node: 'readable' listeners keep it paused
    resume()
    return this
  end)
  R.method(proto, "isPaused", 0, function() return st.flowing == false end)
  R.method(proto, "read", 1, function(_, size) return read(size) end)
  R.method(proto, "destroy", 1, function(this, err) destroy(err); return this end)
  R.method(proto, "unref", 0, function(this)
    st.ref = false
    if type(st.watch) == "table" then st.watch.ref = false end
    return this
  end)
  R.method(proto, "ref", 0, function(this)
    st.ref = true
    if type(st.watch) == "table" then st.watch.ref = true end
    return this
  end)
  -- (a terminal's only, as node's tty.ReadStream; raw mode itself is not provided)
  if kind == "tty" then R.method(proto, "setRawMode", 1, function(this, flag)
    if R.truthy(flag) then
      R.throw_error("Error", "LuaScript does not provide raw mode on terminals (setRawMode was called)")
    end
    return this
  end) end

  -- pipe(dest, {end}): every chunk to dest.write; at the end dest.end(), except for stdout and
  -- stderr, which node never ends
  local piped = {}
  R.method(proto, "pipe", 2, function(this, dest, opts)
    local do_end = not (type(opts) == "table" and opts ~= null and opts["end"] == false)
    local process = R.process
    if dest == rawget(process, "stdout") or dest == rawget(process, "stderr") then do_end = false end
    -- (to stdout and stderr as bytes: a character split between two chunks stays whole)
    local raw = dest == rawget(process, "stdout") and R.write_out or dest == rawget(process, "stderr") and R.write_err
    local ondata = R.fn(function(_, chunk)
      if raw and B.is_buffer(chunk) then raw(B.bytes_in(chunk, 0, chunk.length)) else dest:write(chunk) end
    end, "ondata", 1)
    local onend = R.fn(function() if do_end then dest["end"](dest) end end, "onend", 0)
    piped[#piped + 1] = {dest = dest, ondata = ondata, onend = onend}
    this:on("end", onend)
    this:on("data", ondata)
    if R.iscallable(dest.emit) then dest:emit("pipe", this) end
    return dest
  end)
  R.method(proto, "unpipe", 1, function(this, dest)
    for i = #piped, 1, -1 do
      local p = piped[i]
      if dest == nil or dest == p.dest then
        this:removeListener("data", p.ondata)
        this:removeListener("end", p.onend)
        table.remove(piped, i)
        if R.iscallable(p.dest.emit) then p.dest:emit("unpipe", this) end
      end
    end
    if #piped == 0 then pause() end
    return this
  end)

  -- for await (const chunk of process.stdin): node's iterator reads in 'readable' mode, each
  -- chunk what read() returns; leaving the loop early destroys the stream
  R.method(proto, R.sym_asyncIterator, 0, function(this)
    local waiting = {}
    local failed = nil
    local done = false
    local function answer()
      while #waiting > 0 do
        local p = waiting[1]
        if done then
          table.remove(waiting, 1)
          R.resolve_promise(p, R.iter_result(nil, true))
        elseif failed ~= nil then
          done = true
          table.remove(waiting, 1)
          R.reject_promise(p, failed)
        else
          local chunk = read(nil)
          if chunk ~= null then
            table.remove(waiting, 1)
            R.resolve_promise(p, R.iter_result(chunk, false))
          elseif st.eof or st.destroyed then
            done = true
          else
            return
          end
        end
      end
    end
    local wake = R.fn(function() answer() end, "next", 0)
    this:on("readable", wake)
    this:on("end", wake)
    this:on("close", wake)
    this:on("error", R.fn(function(_, e) failed = e; answer() end, "onerror", 1))
    local it = R.newobj()
    R.method(it, "next", 0, function()
      local p = R.new_promise()
      waiting[#waiting + 1] = p
      answer()
      return p
    end)
    R.method(it, "return", 1, function(_, v)
      done = true
      answer()
      destroy()
      local p = R.new_promise()
      R.resolve_promise(p, R.iter_result(v, true))
      return p
    end)
    R.method(it, R.sym_asyncIterator, 0, function(t) return t end)
    return it
  end)

  return self
end

function M.stdin()
  if stdin == nil then stdin = make_stdin() end
  return stdin
end

return M
