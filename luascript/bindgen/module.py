"""The text of a generated Lua module: provenance comment, ffi.cdef, the loader and one table through
which users reach functions (looked up lazily) and constants (plain fields)."""

LUA_KEYWORDS = frozenset("""and break do else elseif end false for function goto if in local nil not or
repeat return then true until while""".split())

LOADER = r'''
local lib

-- The library loads on first use: requiring the module never fails, and a missing library is
-- reported where the first function is reached. LUASCRIPT_LIBRARY_PATH (directories separated by ':')
-- is searched first.
local function load()
  if lib then return lib end
  local cands, tried = {}, {}
  local function each_dir(d)
    for _, name in ipairs(NAMES) do
      if not name:find("/", 1, true) then
        cands[#cands + 1] = d .. "/" .. (name:find(".so", 1, true) and name or "lib" .. name .. ".so")
      end
    end
  end
  for d in (os.getenv("LUASCRIPT_LIBRARY_PATH") or ""):gmatch("[^:]+") do each_dir(d) end
  for _, name in ipairs(NAMES) do cands[#cands + 1] = name end
  for _, d in ipairs(DIRS) do each_dir(d) end
  for _, c in ipairs(cands) do
    local ok, l = pcall(ffi.load, c)
    if ok then lib = l; return l end
    tried[#tried + 1] = c
  end
  error(MODULE .. ": cannot load library " .. NAMES[1] .. " (tried " .. table.concat(tried, ", ") ..
        "); set LUASCRIPT_LIBRARY_PATH to the directory that holds it", 0)
end

local function index(l, sym) return l[sym] end

return setmetatable(M, {
  __index = function(t, name)
    local sym = RENAMES[name] or name
    local ok, v = pcall(index, load(), sym)
    if not ok then error(MODULE .. ": " .. tostring(v):gsub("^.-:%d+: ", ""), 2) end
    if not VARIABLES[sym] then rawset(t, name, v) end
    return v
  end,
  __newindex = function(t, name, v)
    local sym = RENAMES[name] or name
    if VARIABLES[sym] then load()[sym] = v else rawset(t, name, v) end
  end,
  load = load,
})
'''


def lua_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def lua_key(name):
    return "[%s]" % lua_string(name) if name in LUA_KEYWORDS else name


def lua_number(v):
    if -(1 << 53) <= v <= 1 << 53:
        return str(v)
    # beyond a double's exact range: a 64-bit integer cdata literal
    return "0x%xULL" % v if v > 0 else "-0x%xLL" % -v


def _long_bracket(text):
    level = 0
    while "]%s]" % ("=" * level) in text:
        level += 1
    eq = "=" * level
    return "[%s[\n%s\n]%s]" % (eq, text, eq)


def module_text(name, comment, cdef, libs, lib_dirs, renames, constants, variables):
    out = ["-- " + line if line else "--" for line in comment]
    out.append('local ffi = require("ffi")')
    out.append("")
    out.append("ffi.cdef" + _long_bracket(cdef))
    out.append("")
    out.append("local MODULE = %s" % lua_string(name))
    out.append("local NAMES = {%s}" % ", ".join(lua_string(n) for n in libs))
    out.append("local DIRS = {%s}" % ", ".join(lua_string(d) for d in lib_dirs))
    out.append("")
    out.append("-- names the headers #define to another exported symbol")
    out.append(_table("RENAMES", [(k, lua_string(v)) for k, v in sorted(renames.items())]))
    out.append("")
    out.append("-- variables are read from the library at each access, never cached")
    out.append(_table("VARIABLES", [(v, "true") for v in sorted(variables)]))
    out.append("")
    out.append("-- enum and #define integer constants")
    out.append(_table("M", [(k, lua_number(v)) for k, v in constants]))
    out.append(LOADER)
    return "\n".join(out)


def _table(var, items):
    if not items:
        return "local %s = {}" % var
    return "local %s = {\n%s\n}" % (var, "\n".join("  %s = %s," % (lua_key(k), v) for k, v in items))
