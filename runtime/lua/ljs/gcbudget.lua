-- ljs.gcbudget: room to allocate between garbage-collection cycles.
--
-- LuaJIT starts a cycle once the heap has grown to `pause` percent of what the last cycle left
-- live (200: twice), and every cycle marks and sweeps all of that live heap again. In a
-- runtime, most of it is the runtime's own built-ins and the program's compiled code, a few MB
-- of small objects that never die. A program that keeps little but allocates much (a short-
-- lived object per iteration) then pays for a pass over those MB after every few MB it
-- allocates, where the same program in a bare LuaJIT state, its live heap a few hundred KB,
-- collects as often but over objects that are still in the cache.
--
-- So the end of each cycle sets the pause for the next one: the next cycle starts after `budget`
-- bytes of allocation at least, and after the heap doubles where that is more. The cost is at
-- most `budget` bytes of garbage waiting for its cycle. A userdata's finalizer is the hook:
-- LuaJIT runs it at the end of every cycle in which the userdata died, before it computes the
-- next threshold from the pause, and it makes the next such userdata.

local collectgarbage, newproxy, getmetatable, floor = collectgarbage, newproxy, getmetatable, math.floor

return function(budget)
  local kb = budget / 1024
  local function pace()
    local live = collectgarbage("count")
    local pause = floor(100 * (live + kb) / live)
    collectgarbage("setpause", pause > 200 and pause or 200)
  end
  local function arm()
    getmetatable(newproxy(true)).__gc = function() pace(); arm() end
  end
  pace()
  arm()
end
