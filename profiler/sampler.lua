-- profiler.sampler: collects LuaJIT's jit.profile samples as stacks in time order.
--
-- Each sample is one dumpstack() string (root first, frames "path:line" separated by "\1"),
-- interned to an id; the host drains the buffered records as text every FLUSH callbacks and
-- once more at stop, so that a program stopped by Ctrl-C still leaves what was collected.
-- jit.profile's timer and hook are process-wide: one sampler per process.
local profile = require("jit.profile")
local dumpstack, pstart, pstop = profile.dumpstack, profile.start, profile.stop
local clock, gc = os.clock, collectgarbage
local concat, format, pcall = table.concat, string.format, pcall

local FMT = "plZ\1"
local FLUSH = 50      -- callbacks between drains (about 0.2 s at the kernel's 4 ms tick)

local M = {}
local run             -- the collection in progress

local function new_run(depth, sink, pystack)
  return {
    depth = -depth, sink = sink, pystack = pystack,
    ids = {}, nkeys = 0, keys = {},                 -- key -> id; new keys since the last drain
    n = 0, sid = {}, scount = {}, st = {}, sheap = {},  -- samples since the last drain
    kernels = {},
    t0 = clock(), total = 0, callbacks = 0,
  }
end

-- Buffered records as text: "K id vmstate pyid stack", "S id count cpu_ms heap_kb",
-- "G kernel_ms name stack", one per line, fields separated by tabs.
local function drain(r)
  local out, m = {}, 0
  for i = 1, #r.keys do m = m + 1; out[m] = r.keys[i] end
  local sid, scount, st, sheap = r.sid, r.scount, r.st, r.sheap
  for i = 1, r.n do
    m = m + 1
    out[m] = format("S\t%d\t%d\t%.3f\t%.1f", sid[i], scount[i], st[i], sheap[i])
  end
  for i = 1, #r.kernels do m = m + 1; out[m] = r.kernels[i] end
  r.keys, r.kernels, r.n = {}, {}, 0
  return concat(out, "\n")
end

local function intern(r, vmstate, py, stack)
  local key = vmstate .. py .. "\2" .. stack
  local id = r.ids[key]
  if not id then
    id = r.nkeys + 1
    r.nkeys = id
    r.ids[key] = id
    r.keys[#r.keys + 1] = format("K\t%d\t%s\t%s\t%s", id, vmstate, py, stack)
  end
  return id
end

local function callback(th, samples, vmstate)
  local r = run
  if not r then return end
  local py = ""
  if r.pystack then
    local ok, v = pcall(r.pystack)
    if ok and v then py = tostring(v) end
  end
  local id = intern(r, vmstate, py, dumpstack(th, FMT, r.depth))
  local n = r.n + 1
  r.n = n
  r.sid[n], r.scount[n] = id, samples
  r.st[n], r.sheap[n] = (clock() - r.t0) * 1000, gc("count")
  r.total = r.total + samples
  r.callbacks = r.callbacks + 1
  -- an error here would end the process (LuaJIT exits when a profiler callback fails)
  if r.sink and r.callbacks % FLUSH == 0 then
    local ok, more = pcall(r.sink, drain(r))
    -- a host that stopped listening (Ctrl-C) gets the rest at stop()
    if not ok or more == false then r.sink, r.pystack = nil, nil end
  end
end

-- mode: "f" (function) or "l" (line); interval in ms; depth: frames kept from the leaf;
-- sink(text): receives drained records; pystack(): an id for the host's own stack, or nil.
function M.start(mode, interval, depth, sink, pystack)
  if run then return false end
  run = new_run(depth, sink, pystack)
  pstart(mode .. "i" .. interval, callback)
  return true
end

-- Stops sampling; returns the last records, the CPU time sampled (ms) and the sample count.
function M.stop()
  local r = run
  if not r then return nil end
  pstop()
  run = nil
  return drain(r), (clock() - r.t0) * 1000, r.total
end

function M.active() return run ~= nil end

-- Called by the GPU runtime with a kernel's time from its CUDA events: the kernel appears
-- with the stack that launched it.
function M.kernel(name, ms)
  local r = run
  if not r then return end
  local stack = dumpstack(FMT, r.depth)
  name = tostring(name):gsub("[\t\n]", " ")
  r.kernels[#r.kernels + 1] = format("G\t%.6f\t%s\t%s", tonumber(ms) or 0, name, stack)
end

return M
