# Shared settings for the project's own targets: warnings (as errors unless TTHC_WERROR=OFF)
# and the include root, so every header is included as "module/file.hpp".
function(tthc_target_defaults target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
  if(TTHC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# tthc_module(name SOURCES ... DEPS ...): one static library per module of src/.
function(tthc_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tthc_${name} STATIC ${M_SOURCES})
  target_include_directories(tthc_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tthc_${name} PUBLIC ${M_DEPS})
  tthc_target_defaults(tthc_${name})
endfunction()
