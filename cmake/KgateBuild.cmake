# How kgate's libraries are built: warnings, ccache, the output layout, and
# kgate_library(), which turns a folder into one library and hands its
# *_test.cc files to the unit-test binary (tests/CMakeLists.txt).

# Warnings kept at zero (KGATE_WERROR=ON in CI makes sure of it). -Wconversion
# is left out: the statistics code converts between sizes and doubles on
# purpose in hundreds of places, and a cast at each would hide the few that
# matter rather than find them.
add_compile_options(-Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wcast-qual -Wformat=2
                    -Wimplicit-fallthrough)
if(KGATE_WERROR)
  add_compile_options(-Werror)
endif()

# RelWithDebInfo keeps line tables and function names (-g1): enough for
# backtraces, perf and sanitizer reports. Full DWARF made every compile about
# 30 % slower here (run_engine.cc: 14.6 s with -g, 10.5 s with -g1), and a
# cold CI build pays that 240 times. -DKGATE_FULL_DEBUG_INFO=ON for gdb.
option(KGATE_FULL_DEBUG_INFO "Full debug info (-g) in RelWithDebInfo builds" OFF)
if(NOT KGATE_FULL_DEBUG_INFO)
  add_compile_options($<$<CONFIG:RelWithDebInfo>:-g1>)
endif()

# ccache when the machine has it (scripts/install-deps.sh installs it); its
# directory lives in kgate's cache, which CI keeps between runs.
find_program(KGATE_CCACHE ccache)
if(KGATE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${KGATE_CCACHE})
endif()

set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
set(KGATE_GUEST_OUTPUT_DIR ${PROJECT_BINARY_DIR}/libexec/kgate)
set(KGATE_DATA_DIRS scenarios policies suites proposals)

# The data folders appear in the build tree as links to the source tree, so
# build/bin/kgate finds build/share/kgate/scenarios as an installed kgate
# finds <prefix>/share/kgate/scenarios.
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/share/kgate)
foreach(dir ${KGATE_DATA_DIRS})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${dir} ${PROJECT_BINARY_DIR}/share/kgate/${dir} SYMBOLIC)
endforeach()
file(CREATE_LINK ${PROJECT_SOURCE_DIR}/kernels/configs ${PROJECT_BINARY_DIR}/share/kgate/kernel-configs
     SYMBOLIC)

# kgate_library(name [SUBDIRS dir...] [DEPS lib...]): one library per
# top-level folder, made of every .cc in the folder (and the named
# subfolders) except *_test.cc; those go into kgate_unit_tests.
set_property(GLOBAL PROPERTY KGATE_TEST_SOURCES "")
set_property(GLOBAL PROPERTY KGATE_TEST_LIBRARIES "")
function(kgate_add_tests lib)
  set_property(GLOBAL APPEND PROPERTY KGATE_TEST_SOURCES ${ARGN})
  set_property(GLOBAL APPEND PROPERTY KGATE_TEST_LIBRARIES ${lib})
endfunction()

function(kgate_library name)
  cmake_parse_arguments(ARG "OBJECT" "" "DEPS;SUBDIRS" ${ARGN})
  set(globs "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  foreach(sub ${ARG_SUBDIRS})
    list(APPEND globs "${CMAKE_CURRENT_SOURCE_DIR}/${sub}/*.cc")
  endforeach()
  file(GLOB all_sources CONFIGURE_DEPENDS ${globs})
  set(sources "")
  set(tests "")
  foreach(f ${all_sources})
    if(f MATCHES "_test\\.cc$")
      list(APPEND tests ${f})
    else()
      list(APPEND sources ${f})
    endif()
  endforeach()
  if(ARG_OBJECT)
    # Objects that register themselves from static initialisers (the
    # workload parsers): an archive would let the linker drop them.
    add_library(${name} OBJECT ${sources})
  else()
    add_library(${name} STATIC ${sources})
  endif()
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  if(tests)
    kgate_add_tests(${name} ${tests})
  endif()
endfunction()
