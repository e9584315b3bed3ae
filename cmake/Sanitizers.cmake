# Sanitized builds, each in a build directory of its own (README.md,
# "Fuzzing and sanitizers"):
#   RELC_SANITIZE  the whole project with AddressSanitizer (and its leak
#                  checker) and UndefinedBehaviorSanitizer; any UB aborts, so
#                  a test that meets it fails.
#   RELC_FUZZ      the same with clang 14 and libFuzzer's coverage
#                  instrumentation, plus the fuzz targets in fuzz/.
# The prebuilt ANTLR runtime, LLVM Support and yaml-cpp stay uninstrumented:
# ASan still sees their heap through its malloc, and coverage comes from
# relc's own code.
option(RELC_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(RELC_FUZZ "Build the libFuzzer targets in fuzz/ (clang++-14)" OFF)

if(RELC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR
     NOT CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 14)
    message(FATAL_ERROR "RELC_FUZZ needs clang 14: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  set(RELC_SANITIZE ON)
endif()

if(RELC_SANITIZE)
  set(relc_sanitizers address,undefined)
  # Assertions on, in relc and in the LLVM headers it inlines (the
  # prebuilt LLVM fixes LLVM_ENABLE_ABI_BREAKING_CHECKS, so this is safe).
  add_compile_options(-fsanitize=${relc_sanitizers}
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -UNDEBUG)
  if(RELC_FUZZ)
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
  add_link_options(-fsanitize=${relc_sanitizers})
  # What a sanitized test run needs (test/CMakeLists.txt gives it to every
  # test; lit passes these variables on to relc). UB already aborts. The
  # count of suppressed leaks (libgit2's libraries) is not printed: tests
  # that require an empty standard error would see it.
  set(RELC_SANITIZER_ENV
    "ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:check_initialization_order=1"
    "UBSAN_OPTIONS=print_stacktrace=1"
    "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/test/lsan.supp:print_suppressions=0")
endif()
