# schedlab_technique_rows(TARGET ROW...): the registry's rows, in order. Each ROW is
# FILE:NAME: the technique's file (relative to techniques/src, or absolute) and NAME, whose
# NAME_info() in that file returns the row (awf.cpp:awf_b is the row awf-b). Adds each file
# to TARGET once and writes, in the build tree, the two lists the registry includes:
#   technique_declarations.inc   TechniqueInfo NAME_info();   (top of registry.cpp)
#   technique_rows.inc           detail::NAME_info(),          (registry() in registry.cpp)
# so that a technique is named once, here, and never again in a hand-written list.
function(schedlab_technique_rows target)
  set(files "")
  set(declarations "")
  set(rows "")
  foreach(entry IN LISTS ARGN)
    if(NOT entry MATCHES "^([^:]+):([a-z][a-z0-9_]*)$")
      message(FATAL_ERROR "technique row '${entry}': expected FILE:NAME with NAME in a-z, 0-9 and "
                          "_ (e.g. awf.cpp:awf_b for detail::awf_b_info() in awf.cpp)")
    endif()
    set(file ${CMAKE_MATCH_1})
    set(name ${CMAKE_MATCH_2})
    cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/src NORMALIZE)
    if(NOT EXISTS ${file})
      message(FATAL_ERROR "technique row '${entry}': no file ${file}")
    endif()
    list(APPEND files ${file})
    string(APPEND declarations "TechniqueInfo ${name}_info();\n")
    string(APPEND rows "    detail::${name}_info(),\n")
  endforeach()
  list(REMOVE_DUPLICATES files)
  target_sources(${target} PRIVATE ${files})
  # Rewritten only when the list changes, so that a reconfigure recompiles nothing.
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(note "// Generated from the technique list in techniques/CMakeLists.txt: edit that list.\n")
  file(CONFIGURE OUTPUT ${dir}/technique_declarations.inc CONTENT "${note}${declarations}")
  file(CONFIGURE OUTPUT ${dir}/technique_rows.inc CONTENT "${note}${rows}")
  # PRIVATE: the generated lists are this library's own; the installed package never sees them.
  target_include_directories(${target} PRIVATE ${dir})
endfunction()
