# What knots installs, and the Debian package made of it. One list serves both: `cmake --install`
# (any prefix) and `cpack -G DEB` (prefix /usr) install the same files, so the package holds
# exactly what a source install does. tests/install_test.sh and tests/deb_test.sh compare them;
# tests/lintian_test.sh runs Debian's checker on the package.

# The maintainer, named once: the package's Maintainer field, the changelog's sign-offs and the
# copyright file's contact. A distributor sets their own with -DKNOTS_MAINTAINER="Name <address>".
set(KNOTS_MAINTAINER "The knots maintainers <maintainers@users.noreply.r-seed-837f0e7e.example>"
    CACHE STRING "Maintainer of the Debian package: Name <address>")

# Debian wants manual pages and the changelog compressed with gzip -9n (-n: no name or time stamp,
# so the same source gives the same bytes), and the copyright file as plain text.
set(KNOTS_PACKAGE_DIR ${PROJECT_BINARY_DIR}/package)
configure_file(cmake/debian/changelog.in ${KNOTS_PACKAGE_DIR}/changelog @ONLY)
configure_file(cmake/debian/copyright.in ${KNOTS_PACKAGE_DIR}/copyright @ONLY)
set(KNOTS_GZIPPED)
foreach(source IN ITEMS man/knots.1 man/knots.5 ${KNOTS_PACKAGE_DIR}/changelog)
  get_filename_component(name ${source} NAME)
  if(NOT IS_ABSOLUTE ${source})
    set(source ${PROJECT_SOURCE_DIR}/${source})
  endif()
  add_custom_command(
    OUTPUT ${KNOTS_PACKAGE_DIR}/${name}.gz
    COMMAND gzip -9n -c ${source} > ${KNOTS_PACKAGE_DIR}/${name}.gz
    DEPENDS ${source}
    VERBATIM)
  list(APPEND KNOTS_GZIPPED ${KNOTS_PACKAGE_DIR}/${name}.gz)
endforeach()
add_custom_target(package_files ALL DEPENDS ${KNOTS_GZIPPED})

install(TARGETS knots RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${KNOTS_PACKAGE_DIR}/knots.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${KNOTS_PACKAGE_DIR}/knots.5.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES man/knots.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/knots)
install(FILES ${KNOTS_COMPLETIONS}/knots DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${KNOTS_COMPLETIONS}/_knots DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${KNOTS_COMPLETIONS}/knots.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
# The copyright file holds the licence (LICENSE's text, and those of the libraries linked in).
install(FILES README.md ${KNOTS_PACKAGE_DIR}/copyright ${KNOTS_PACKAGE_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Why lintian's few informational tags are not faults, for whoever runs it on the package.
install(FILES cmake/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME knots)

# cpack -G DEB: knots_VERSION_ARCH.deb with a stripped binary, and knots-dbgsym_VERSION_ARCH.ddeb
# with its debug symbols (found by build id, as Debian's own -dbgsym packages are).
set(CPACK_PACKAGE_NAME knots)
set(CPACK_PACKAGE_VENDOR "The knots authors")
set(CPACK_PACKAGE_CONTACT ${KNOTS_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "massage for knots in the back: a knowledge base on the command line")
set(CPACK_PACKAGE_DESCRIPTION [=[knots explains, in a terminal, what each kind of massage does for knots in
the back: Swedish, deep tissue, trigger point, sports, hot stone, Thai,
Shiatsu, aromatherapy, reflexology, myofascial release and more. For each it
says how a session feels, what the evidence says and which health conditions
rule it out or call for lighter pressure, and every statement names its
public source.

`knots recommend` turns a person's preferences and conditions into a short
list that never suggests what a stated condition rules out; warning signs
such as numbness around the groin, a fever or a change in bladder control
send people to a clinician instead. Therapists and clinics can keep their
own entries beside the shipped ones, and scripts can read every answer as
versioned JSON.]=])
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Dependencies are read off the binary by dpkg-shlibdeps: with the libraries linked in
# (KNOTS_STATIC_DEPS), that is the C library alone.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Stripping and the -dbgsym package are done as Debian's tools do them, by finish_deb.sh (cpack's
# own dbgsym package lists absolute paths in its md5sums, and its binary keeps .comment).
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/debian/finish_deb.cmake)
# cpack --config build/CPackSourceConfig.cmake: knots-VERSION.tar.gz, the source as git tracks it
# (the folders and files .gitignore names are left out).
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_PACKAGE_FILE_NAME knots-${PROJECT_VERSION})
string(REGEX REPLACE "([][+.*?()^$|\\])" "\\\\\\1" KNOTS_SOURCE_RE "${PROJECT_SOURCE_DIR}")
set(CPACK_SOURCE_IGNORE_FILES "^${KNOTS_SOURCE_RE}/build" "^${KNOTS_SOURCE_RE}/\\.git(/|$)"
    "^${KNOTS_SOURCE_RE}/\\.cache/" "/__pycache__/" "\\.swp$" "/compile_commands\\.json$")
include(CPack)
