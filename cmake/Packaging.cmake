# `cmake --install build --prefix P` and `cpack` (run in the build
# directory): a Debian package, relc_<version>_<arch>.deb, installing under
# /usr. Its Depends are what dpkg-shlibdeps finds for the executable (libc6,
# libstdc++6, libgcc-s1, libtinfo6; LLVM, ANTLR and, where Debian ships its
# archive, yaml-cpp are linked statically) and the libgit2 that relc
# dlopen()s at run time, which no tool can see: the package named after the
# soname of the headers relc was built with (libgit2-1.5).

# The bundled compatibility models, which plans name by name (`compat
# "python";` finds <bindir>/../share/relc/compat/python.yaml).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/plans/compat/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/relc/compat
  FILES_MATCHING PATTERN "*.yaml")

file(STRINGS ${RELC_LIBGIT2_INCLUDE}/git2/version.h relc_libgit2_soversion
  REGEX "^#define LIBGIT2_SOVERSION")
string(REGEX MATCH "\"([0-9.]+)\"" _ "${relc_libgit2_soversion}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "no LIBGIT2_SOVERSION in ${RELC_LIBGIT2_INCLUDE}/git2/version.h")
endif()
set(RELC_LIBGIT2_PACKAGE "libgit2-${CMAKE_MATCH_1}")

set(RELC_PACKAGE_MAINTAINER "relc maintainers <maintainers@relc.invalid>"
  CACHE STRING "The Maintainer field of the Debian package")

# What Debian policy (and lintian) asks of a package beyond the program: a
# machine-readable copyright file naming what relc links statically, a
# changelog, the manual page compressed with gzip -9n (no name, no time:
# the same bytes every build), and overrides, with reasons, for the choices
# lintian flags on purpose (cmake/debian/). Test: Install/deb.test.
set(relc_debian ${PROJECT_BINARY_DIR}/debian)
configure_file(${PROJECT_SOURCE_DIR}/cmake/debian/changelog.in
  ${relc_debian}/changelog @ONLY)
set(relc_gzip sh -c "gzip -9n -c \"$0\" > \"$1\"")
add_custom_command(OUTPUT ${relc_debian}/relc.1.gz
  COMMAND ${relc_gzip} ${PROJECT_SOURCE_DIR}/tools/relc/relc.1 ${relc_debian}/relc.1.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/tools/relc/relc.1 VERBATIM)
add_custom_command(OUTPUT ${relc_debian}/changelog.gz
  COMMAND ${relc_gzip} ${relc_debian}/changelog ${relc_debian}/changelog.gz
  DEPENDS ${relc_debian}/changelog VERBATIM)
add_custom_target(relc-package-files ALL
  DEPENDS ${relc_debian}/relc.1.gz ${relc_debian}/changelog.gz)
install(FILES ${relc_debian}/relc.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright ${relc_debian}/changelog.gz
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/lintian-overrides
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME relc)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME relc)
# The version relc reports (RELC_VERSION in lib/Basic/Config.h.in): both are
# project(VERSION).
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "declarative release-plan compiler")
# Debian's long description: lines of at most 80 characters.
set(CPACK_PACKAGE_DESCRIPTION [[
relc reads release plans (*.relplan): a release's schedule, channels, build
matrix, required checks, patch policy and the stages that ship it. It checks
them against a compatibility model in YAML, expands build matrices, prints
compatibility tables and release calendars, generates CI workflows and runs
release stages against a git repository.]])
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RELC_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${RELC_LIBGIT2_PACKAGE}")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, pre-commit")
# relc run uses git itself to push to a remote that is a directory on this
# machine (receive-pack runs its hooks and compares refs under their locks)
# and to check out the release for the commands it runs.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git")
include(CPack)
