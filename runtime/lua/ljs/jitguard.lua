-- ljs.jitguard: keeps the runtime's functions inlinable into the traces that call them.
--
-- LuaJIT records through a call into a function that has a root trace of its own only when
-- that trace ends by returning to its caller (rec_func_jit in lj_record.c). A root trace that
-- ends anywhere else (a link to another trace, a stitch around a built-in it cannot compile)
-- makes every trace recorded later stop at the call and jump to it, so one helper that got
-- hot on a rare path, such as addkey extending shapes while the runtime loads, cut the loops
-- of every program that stores to a key later: a store to an undefined field ran 90x slower
-- than the hand-written Lua. Such a root trace is flushed as it appears (the function is
-- recorded again when it gets hot again, usually on its common path), a few times per
-- function so that one whose every path ends that way costs a bounded number of traces.
--
-- LuaJIT keeps one handler per event, so the guard owns the "trace" event and passes every
-- event on to the listeners (ljs.jitlog).
--
-- It also sets the JIT's limits for whole programs. At LuaJIT's defaults (1,000 traces, 512 KB
-- of machine code) a program of a few thousand hot paths fills the trace cache, and LuaJIT then
-- flushes every trace and records them all again, over and over: a parser library spent two
-- thirds of its time in the trace compiler (esprima: 13 flushes, 6,767 traces recorded for a
-- parse that needs 1,435; loading and running TypeScript's compiler: 24 flushes, 62 s against
-- 10 s). The limits below are caps, not reservations: machine code is allocated in 32 KB areas
-- as traces need it.
local jutil = require("jit.util")
local traceinfo, funcinfo, funcbc = jutil.traceinfo, jutil.funcinfo, jutil.funcbc
local flush = jit.flush
local sub = string.sub

jit.opt.start("maxtrace=20000", "maxmcode=65536")   -- traces, KB of machine code

local FLUSHES = 3                                    -- per function
local here = debug.getinfo(1, "S").source
local DIR = sub(here, 1, #here - #"jitguard.lua")    -- "@.../ljs/": the runtime's modules

local runtime_fn = setmetatable({}, {__mode = "k"}) -- function -> is one of the runtime's
local left = setmetatable({}, {__mode = "k"})       -- function -> flushes left
local entry = {}                                     -- root trace at a runtime function's entry -> function
local listeners = {}
local M = {flushed = 0, flushed_all = 0, reenabled = 0}  -- root traces flushed; full flushes;
                                                         -- blacklisted functions re-enabled

local function is_runtime(func)
  local r = runtime_fn[func]
  if r == nil then
    local src = funcinfo(func).source
    r = src ~= nil and sub(src, 1, #DIR) == DIR
    runtime_fn[func] = r
  end
  return r
end

-- An abort storm: LuaJIT retrying one start point without end. Recursion does this: a trace
-- that calls into a function again past the unroll limit flushes the function's own trace and
-- retries it at once (lj_record.c, check_call_unroll), and the two can take turns for good. With
-- the raised limits AWFY's Permute did so in 4 of 6 processes, 960 aborts at one line and 20x
-- the time per iteration; a trace cache that filled up every 1,000 traces had ended such cycles
-- by accident. So 100 such aborts at one place flush all traces, and recording starts over from
-- other hot spots, at most 8 times per runtime.
local STORM, RESETS, CUNROLL = 100, 8, 13   -- (13: LJ_TRERR_CUNROLL, "call unroll limit reached")
local aborts, resets = setmetatable({}, {__mode = "k"}), 0
function M.abort_storm(func, pc)
  if resets >= RESETS then return end
  local per = aborts[func]
  if per == nil then per = {}; aborts[func] = per end
  local n = (per[pc] or 0) + 1
  per[pc] = n
  if n >= STORM then
    resets = resets + 1
    aborts = setmetatable({}, {__mode = "k"})
    flush()
  end
end

-- A recursive function of the program whose root trace at its entry ends in up-recursion
-- (the trace calls the function again and jumps back to its own start) is recorded before the
-- loops inside it have traces of their own; whether that happens is a draw (LuaJIT retries a
-- start point after a pseudo-random count). AWFY's Permute ran 3-4x slower in the processes
-- that drew it (4 of 10: 208-249 ms against 64-75 ms per iteration), 10 of 10 fast with such
-- traces flushed up to three times per function, which leaves a function that recurses
-- without loops (fib) its up-recursion trace on the fourth recording.
local UPREC_FLUSHES = 3
local uprec_left = setmetatable({}, {__mode = "k"})
local user_entry = {}   -- root trace at a program function's entry -> function

-- A function whose own root trace keeps failing for the shape of a root trace alone (it
-- tail-calls: a root trace started at a function's entry must return from it; it enters a loop
-- too short to have a trace) is blacklisted after about ten tries, and from then on every trace
-- that calls it aborts there ("blacklisted at"): one helper called often from an interpreted
-- loop cut the loops of all later code. A cascade in a 32-case benchmark file: instanceof
-- blacklisted, so the loops calling it stayed interpreted, so `&` was called from the
-- interpreter until it too was blacklisted, and a Math loop later in the file ran 20x slower
-- than alone. So a function that a trace aborted on is re-enabled, and again each time its own
-- root trace gets it blacklisted (the penalty LuaJIT keeps for it blacklists it at its next
-- failure, which would come before the caller's next try). Each such try costs about 20 us,
-- once per 112 interpreted calls, so a function is re-enabled at most 1,000 times; a function
-- no trace needs is left blacklisted.
local BLACKL, REENABLES = 5, 1000   -- (5: LJ_TRERR_BLACKL)
local needed = setmetatable({}, {__mode = "k"})   -- function a trace aborted on -> re-enables left
local root_at = {}                                -- root trace -> {function, pc} of its start
local blacklisted_op = {}
do
  local function fixed() end
  local function vararg(...) end
  -- lj_bc.h: each I* op follows its op; FORL IFORL JFORL ITERL IITERL JITERL LOOP ILOOP JLOOP
  -- JMP FUNCF IFUNCF JFUNCF FUNCV IFUNCV run in this order
  local FUNCF, FUNCV = funcbc(fixed, 0) % 256, funcbc(vararg, 0) % 256
  for _, op in ipairs({FUNCF + 1, FUNCV + 1, FUNCF - 9, FUNCF - 6, FUNCF - 3}) do
    blacklisted_op[op] = true
  end
end

local function reenable(func)
  local n = needed[func] or REENABLES
  if n > 0 then
    needed[func] = n - 1
    M.reenabled = M.reenabled + 1
    jit.on(func)
  end
end

local function on_trace(what, tr, func, pc, otr, oex)
  if what == "start" then
    root_at[tr] = otr == nil and {func, pc} or nil
    local at_entry = otr == nil and pc == 0
    entry[tr] = (at_entry and is_runtime(func)) and func or nil
    user_entry[tr] = (at_entry and not entry[tr]) and func or nil
  elseif what == "stop" then
    root_at[tr] = nil
    local f = entry[tr]
    if f then
      entry[tr] = nil
      local n = left[f] or FLUSHES
      if n > 0 and traceinfo(tr).linktype ~= "return" then
        left[f] = n - 1
        M.flushed = M.flushed + 1
        flush(tr)
      end
    end
    f = user_entry[tr]
    if f then
      user_entry[tr] = nil
      local n = uprec_left[f] or UPREC_FLUSHES
      if n > 0 and traceinfo(tr).linktype == "up-recursion" then
        uprec_left[f] = n - 1
        M.flushed = M.flushed + 1
        flush(tr)
      end
    end
  elseif what == "abort" then
    entry[tr], user_entry[tr] = nil, nil
    if otr == BLACKL and blacklisted_op[funcbc(func, pc) % 256] then reenable(func) end
    local at = root_at[tr]
    if at then
      root_at[tr] = nil
      if needed[at[1]] and blacklisted_op[funcbc(at[1], at[2]) % 256] then reenable(at[1]) end
    end
    if otr == CUNROLL then M.abort_storm(func, pc) end
  elseif what == "flush" then
    M.flushed_all = M.flushed_all + 1
    entry, user_entry, root_at = {}, {}, {}
  end
  for i = 1, #listeners do listeners[i](what, tr, func, pc, otr, oex) end
end

jit.attach(on_trace, "trace")

-- a function the runtime made from source at run time (its chunk is not one of the modules)
function M.adopt(fn) runtime_fn[fn] = true; return fn end

function M.listen(fn) listeners[#listeners + 1] = fn end
function M.unlisten(fn)
  for i = #listeners, 1, -1 do if listeners[i] == fn then table.remove(listeners, i) end end
end
return M
