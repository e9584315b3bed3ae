# Start-up: relc's executable is 8 MB, and a command runs a few hundred KB
# of it, spread over the whole text, each page fault mapping 64 KB around
# the page it touched. Linked with lld in the order of
# tools/relc/hot-functions.txt (the functions the usual commands run, listed
# by tools/relc/order-functions.sh), that code is contiguous: `relc check` on
# PyTorch's plan takes 15 faults in the text instead of 46, every command
# starts about 0.1 ms sooner. Needs each function in a section of its own
# (relc's code is compiled so; the prebuilt libraries' inline and template
# functions are already). Without lld, or in sanitized builds, the order is
# the linker's own.
option(RELC_FUNCTION_ORDER "Link relc with its hot functions together (lld)" ON)

set(RELC_LINK_ORDER OFF)
if(RELC_FUNCTION_ORDER AND NOT RELC_SANITIZE AND
   CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=lld;-Wl,--symbol-ordering-file=/dev/null"
    RELC_HAVE_LLD_ORDER)
  if(RELC_HAVE_LLD_ORDER)
    set(RELC_LINK_ORDER ON)
    add_compile_options(-ffunction-sections)
  endif()
endif()
