-- lua check_modulefile.lua MODULEFILE: runs an Lmod modulefile with stand-ins for the Lmod
-- functions it may call, prints each path it sets ("path NAME VALUE") and each module it
-- loads, and fails on a Lua error or a call Lmod would not know. tests/install runs it.
local file = assert(arg[1], "usage: lua check_modulefile.lua MODULEFILE")
local env = {
  pathJoin = function(...) return table.concat({...}, "/") end,
  whatis = function(text) assert(type(text) == "string") end,
  help = function(text) assert(type(text) == "string") end,
  prepend_path = function(name, value) print("path " .. name .. " " .. value) end,
  append_path = function(name, value) print("path " .. name .. " " .. value) end,
  setenv = function(name, value) print("path " .. name .. " " .. value) end,
  depends_on = function(name) print("loads " .. name) end,
  prereq = function(name) print("loads " .. name) end,
}
local chunk = assert(loadfile(file, "t", env))
chunk()
