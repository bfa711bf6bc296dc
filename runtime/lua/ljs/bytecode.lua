-- ljs.bytecode: the runtime's own modules load from cached LuaJIT bytecode (string.dump), which
-- is several times faster than parsing their source (luascript/runtime.py), and run as the
-- source would.
--
-- A table constructor with a constant entry compiles to a template table that each evaluation
-- copies (TDUP), sized for the constructor's positional entries: {[0] = k, v, length = 2} copies
-- a table with array slots 0 and 1, its stores are array stores, and a trace can sink the table
-- where it does not escape. string.dump writes a template's array part only up to its last
-- non-nil slot, so from bytecode those slots were gone and each copy inserted its keys one by
-- one (a trace's NEWREF, which it cannot sink): measured on this LuaJIT, a 2-slot array made 2.4
-- million times took 0.14 s from source and 0.33 s from bytecode where it escaped, 0.003 s and
-- 0.33 s where it did not. So before dumping a module the loader puts `true` in the last array
-- slot of each template whose last slot is empty, which makes string.dump write the whole array
-- part, and notes where (a .fix file beside the .bc); loading the bytecode it empties those
-- slots again. (Emptying an array slot keeps it; filling a missing one would not make it.)
local jutil = require("jit.util")
local ffi = require("ffi")
local tnew = require("table.new")
local funck = jutil.funck
local concat = table.concat
-- (string.gsub(s, …), never s:gsub(…): the sandbox guards the string methods that JS strings
-- reach, and modules load after its lock-down too)
local format, gsub, gmatch = string.format, string.gsub, string.gmatch

-- A table's array size, read from its header: the 32-bit word that holds n + 1 for
-- table.new(n, 0), found from tables of known sizes; nil where no word does (then no template
-- is marked, and the bytecode loads as string.dump wrote it).
local function header(t) return ffi.cast("uint32_t*", tonumber(format("%p", t))) end
local ASIZE
for i = 0, 15 do
  if header(tnew(5, 0))[i] == 6 and header(tnew(9, 0))[i] == 10 and header(tnew(17, 0))[i] == 18 then
    ASIZE = i
    break
  end
end

-- Put `true` in the empty last array slot of each template of fn and the functions in it;
-- `{template, slot}` and the line "path... k slot" of each into marks (path: the constant
-- indices of the child prototypes from fn to the template's, k: the template's).
local function mark(fn, path, marks)
  for n = -1, -1e9, -1 do
    local k = funck(fn, n)
    if k == nil then break end
    if type(k) == "table" then
      local last = header(k)[ASIZE] - 1
      if last >= 0 and rawget(k, last) == nil then
        k[last] = true
        marks[#marks + 1] = {k, last, concat(path, " ") .. (#path > 0 and " " or "") .. n .. " " .. last}
      end
    elseif type(k) == "proto" then
      path[#path + 1] = n
      mark(k, path, marks)
      path[#path] = nil
    end
  end
  return marks
end

-- The bytecode of chunk with every template's array part, and the .fix lines to load it by.
local function dump(chunk)
  if not ASIZE then return string.dump(chunk), "" end
  local marks = mark(chunk, {}, {})
  local bc = string.dump(chunk)
  local lines = {}
  for i = 1, #marks do
    local m = marks[i]
    m[1][m[2]] = nil   -- (the chunk from source runs too)
    lines[i] = m[3]
  end
  return bc, concat(lines, "\n")
end

-- Empty the slots that dump() filled, in fn loaded from its bytecode.
local function unmark(fn, lines)
  for line in gmatch(lines, "[^\n]+") do
    local nums = {}
    for x in gmatch(line, "%S+") do nums[#nums + 1] = tonumber(x) end
    local p = fn
    for i = 1, #nums - 2 do p = funck(p, nums[i]) end
    funck(p, nums[#nums - 1])[nums[#nums]] = nil
  end
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, s)
  local tmp = path .. format(".%p.tmp", {})   -- (another process may be writing the same file)
  local f = io.open(tmp, "wb")
  if not f then return false end
  f:write(s)
  f:close()
  return os.rename(tmp, path)
end

-- Put the loader of root's modules (stamps: module name -> size and time of its source) in
-- front of package.loaders, with its cache in dir.
local function install(root, dir, stamps)
  table.insert(package.loaders, 2, function(name)
    local stamp = stamps[name]
    if not stamp then return nil end
    local bc_path = dir .. "/" .. name .. "-" .. stamp .. ".bc"
    local lines = read(bc_path .. ".fix")
    local chunk = lines and loadfile(bc_path)
    if chunk then
      unmark(chunk, lines)
      return chunk
    end
    local path = root .. "/" .. gsub(name, "%.", "/") .. ".lua"
    local src = read(path)
    if not src then return nil end
    local chunk, err = load(src, "@" .. path)
    if not chunk then error(err) end
    local bc, fix = dump(chunk)
    -- (the .fix first: bytecode is read only beside one)
    if write(bc_path .. ".fix", fix) then write(bc_path, bc) end
    return chunk
  end)
end

return {install = install, dump = dump, unmark = unmark, read = read}
