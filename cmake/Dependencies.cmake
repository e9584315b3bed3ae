# Every third-party dependency comes from a Debian 12 package (scripts/setup.sh).
# Each is wrapped in an INTERFACE target whose include directories are SYSTEM,
# so -Wall -Wextra speaks only about relc's own code.

# LLVM 14 Support, linked statically: libLLVM-14.so costs ~10 ms at every start.
# LLVM's own CMake helpers are not used because they add -fno-exceptions, and
# LLVMSupport's exported interface drags in libz3.so, which relc never calls.
set(RELC_LLVM_ROOT /usr/lib/llvm-14 CACHE PATH "LLVM 14 installation")
find_library(RELC_LLVM_SUPPORT NAMES libLLVMSupport.a PATHS ${RELC_LLVM_ROOT}/lib NO_DEFAULT_PATH REQUIRED)
find_library(RELC_LLVM_DEMANGLE NAMES libLLVMDemangle.a PATHS ${RELC_LLVM_ROOT}/lib NO_DEFAULT_PATH REQUIRED)
find_package(Threads REQUIRED)
# LLVMSupport asks terminfo whether a terminal has colours. The static
# archive when there is one (libtinfo-dev, which llvm-14-dev brings): one
# shared object fewer to load at every start.
find_library(RELC_TINFO NAMES libtinfo.a tinfo REQUIRED)
add_library(relc_llvm INTERFACE)
target_include_directories(relc_llvm SYSTEM INTERFACE ${RELC_LLVM_ROOT}/include)
# And no libm: the one function relc needs from it, modf (LLVM's JSON), is
# exported by glibc's libc too. Named after LLVM, libc is where the linker
# binds modf, and --as-needed leaves out the libm that the compiler driver
# adds: a shared object fewer to map and relocate at every start (about
# 0.06 ms). lld decides what is needed after dropping unused sections;
# GNU ld keeps libm for a function of LLVM's that relc never calls (round).
# Sanitized builds keep the driver's order. Test: Install/linked.test.
include(CheckLinkerFlag)
check_linker_flag(CXX "-l:libc.so.6" RELC_HAVE_LIBC_SO_6)
set(relc_libc)
if(RELC_HAVE_LIBC_SO_6 AND NOT RELC_SANITIZE)
  set(relc_libc -l:libc.so.6)
endif()
target_link_libraries(relc_llvm INTERFACE ${RELC_LLVM_SUPPORT} ${RELC_LLVM_DEMANGLE}
  ${relc_libc} Threads::Threads ${CMAKE_DL_LIBS} rt ${RELC_TINFO})
target_link_options(relc_llvm INTERFACE -Wl,--as-needed)

# ANTLR4 C++ runtime 4.9 (static archive), driven by the 4.7.2 tool.
find_program(RELC_ANTLR4 NAMES antlr4 PATHS /usr/bin REQUIRED)
find_path(RELC_ANTLR4_INCLUDE antlr4-runtime.h PATH_SUFFIXES antlr4-runtime REQUIRED)
find_library(RELC_ANTLR4_RUNTIME NAMES libantlr4-runtime.a antlr4-runtime REQUIRED)
add_library(relc_antlr4 INTERFACE)
# Clang rejects misc/InterpreterDataReader.h of the 4.9 runtime (a member of
# const type without a default constructor); relc never reads interpreter
# data, so clang builds see an umbrella header without it, found first.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  file(READ ${RELC_ANTLR4_INCLUDE}/antlr4-runtime.h umbrella)
  string(REPLACE "#include \"misc/InterpreterDataReader.h\"" "" umbrella "${umbrella}")
  file(WRITE ${PROJECT_BINARY_DIR}/antlr4-clang/antlr4-runtime.h "${umbrella}")
  target_include_directories(relc_antlr4 SYSTEM INTERFACE ${PROJECT_BINARY_DIR}/antlr4-clang)
endif()
target_include_directories(relc_antlr4 SYSTEM INTERFACE ${RELC_ANTLR4_INCLUDE})
target_link_libraries(relc_antlr4 INTERFACE ${RELC_ANTLR4_RUNTIME})

# yaml-cpp 0.7 for the compatibility model. The static archive when Debian
# ships one (it does), so start-up loads no more shared objects.
find_package(yaml-cpp REQUIRED)
find_library(RELC_YAML_CPP_STATIC NAMES libyaml-cpp.a PATHS /usr/lib/x86_64-linux-gnu NO_DEFAULT_PATH)
add_library(relc_yaml_cpp INTERFACE)
if(RELC_YAML_CPP_STATIC)
  target_link_libraries(relc_yaml_cpp INTERFACE ${RELC_YAML_CPP_STATIC})
else()
  target_link_libraries(relc_yaml_cpp INTERFACE yaml-cpp)
endif()

# LLVM's lit and FileCheck (package llvm-14-tools) for the test suite.
set(RELC_LIT ${RELC_LLVM_ROOT}/build/utils/lit/lit.py CACHE FILEPATH "lit.py")
set(RELC_LLVM_TOOLS_DIR ${RELC_LLVM_ROOT}/bin CACHE PATH "FileCheck, not, count, split-file")

# libgit2 1.5: only its headers at build time. The library is dlopen'ed by
# the commands that touch git (lib/Git), so the others never load it and its
# dozen dependencies (about 2 ms at every start).
find_path(RELC_LIBGIT2_INCLUDE git2.h REQUIRED)
add_library(relc_libgit2 INTERFACE)
target_include_directories(relc_libgit2 SYSTEM INTERFACE ${RELC_LIBGIT2_INCLUDE})
target_link_libraries(relc_libgit2 INTERFACE ${CMAKE_DL_LIBS})
