# schedlab_add_library(<target> <export-name> HEADERS <folder>... SOURCES <file>...)
#
# One schedlab library, the same shape for every module: a static library, its alias
# schedlab::<export-name> (the name find_package(schedlab) users see), its header folders
# (include/: the public API, installed by the root CMakeLists; private/: seen by this build
# only; docs/design.md, "Public API") and the warnings, linked privately. What the library
# links besides is the folder's own target_link_libraries() call.
function(schedlab_add_library target export_name)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "HEADERS;SOURCES")
  add_library(${target} STATIC ${arg_SOURCES})
  add_library(schedlab::${export_name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  set(build_dirs)
  foreach(folder IN LISTS arg_HEADERS)
    list(APPEND build_dirs $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/${folder}>)
  endforeach()
  target_include_directories(${target} PUBLIC ${build_dirs}
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PRIVATE schedlab_warnings)
endfunction()
