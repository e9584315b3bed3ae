# relc_add_library(NAME SOURCES... [DEPENDS targets...] [NO_RTTI])
# One static library per phase; our code is warning-free under -Wall -Wextra.
# NO_RTTI is for code that instantiates llvm::cl options: LLVM is built
# without RTTI, so an RTTI build of cl::opt<T> needs typeinfo LLVM never
# emitted. Everything else keeps RTTI because the ANTLR runtime needs it.
function(relc_add_library name)
  cmake_parse_arguments(ARG "NO_RTTI" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/lib ${PROJECT_BINARY_DIR}/lib)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  if(ARG_NO_RTTI)
    target_compile_options(${name} PRIVATE -fno-rtti)
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS})
endfunction()
