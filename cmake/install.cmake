# What `cmake --install` puts where (GNUInstallDirs: FHS places under
# CMAKE_INSTALL_PREFIX), and the .deb CPack builds from it.
# Each rule names the Debian package it goes into (a CPack component, see
# below): bin (almanac: the program, its data, man pages, completion), lib
# (libalmanac0: the shared library) and dev (libalmanac-dev: headers,
# static library, the .so link, almanac.pc). cmake --install installs all.
install(TARGETS almanac_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT bin)
install(TARGETS almanac ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        COMPONENT dev)
install(TARGETS almanac_shared
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib
                NAMELINK_COMPONENT dev)
install(DIRECTORY include/almanac
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")
configure_file(cmake/almanac.pc.in ${PROJECT_BINARY_DIR}/almanac.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/almanac.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
# Found by the installed binary as PREFIX/share/almanac/{plots,lexicon}
# (engine/datadir.c).
install(FILES plots/theme.gp DESTINATION ${CMAKE_INSTALL_DATADIR}/almanac/plots
        COMPONENT bin)
install(DIRECTORY lexicon DESTINATION ${CMAKE_INSTALL_DATADIR}/almanac
        COMPONENT bin FILES_MATCHING PATTERN "*.csv")
# Not the lock or a temporary file a command run on the source tree's
# dataset may have left.
install(DIRECTORY datasets DESTINATION ${CMAKE_INSTALL_DATADIR}/almanac
        COMPONENT bin PATTERN ".almanac.lock" EXCLUDE PATTERN "*.tmp" EXCLUDE)
install(FILES completions/almanac.bash RENAME almanac
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        COMPONENT bin)
install(FILES README.md HACKING.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT bin)
# Every Debian package carries the licence in its own doc folder.
foreach(comp lib dev)
  set(pkg libalmanac${PROJECT_VERSION_MAJOR})
  if(comp STREQUAL dev)
    set(pkg libalmanac-dev)
  endif()
  install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg}
          COMPONENT ${comp})
endforeach()
# The manual pages man/CMakeLists.txt writes, compressed: almanac.1.gz and
# almanac-CMD.1.gz into man1, almanac.5.gz into man5.
foreach(page ${almanac_man_pages})
  string(REGEX REPLACE "^.*\\.([0-9])\\.gz$" "\\1" section ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section}
          COMPONENT bin)
endforeach()

# The .deb packages: configure with -DCMAKE_INSTALL_PREFIX=/usr (so that
# almanac.pc, the library folder and the data folder are Debian's), build,
# then `cpack -G DEB` in the build folder (README.md, "Installing"). Three
# packages, as Debian splits a library: almanac (the program, which links
# libalmanac statically, its data, man pages and completion),
# libalmanac0 (the shared library, named by its soname) and libalmanac-dev
# (what building against it needs). Their dependencies are Debian's
# package names (checked with apt-cache on bookworm).
#
# The Maintainer field: -DALMANAC_DEB_MAINTAINER="Name <address>", by
# default $DEBFULLNAME <$DEBEMAIL> (Debian's variables for it) when both
# are set at the first configure.
if(DEFINED ENV{DEBFULLNAME} AND DEFINED ENV{DEBEMAIL})
  set(almanac_maintainer "$ENV{DEBFULLNAME} <$ENV{DEBEMAIL}>")
else()
  set(almanac_maintainer "Almanac maintainers <almanac@localhost>")
endif()
set(ALMANAC_DEB_MAINTAINER "${almanac_maintainer}" CACHE STRING
    "the Maintainer field of the .deb packages: Name <address>")
if(NOT ALMANAC_DEB_MAINTAINER MATCHES "^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$")
  message(FATAL_ERROR "ALMANAC_DEB_MAINTAINER is '${ALMANAC_DEB_MAINTAINER}': "
                      "expected 'Name <address>'")
endif()
set(almanac_lib_package libalmanac${PROJECT_VERSION_MAJOR})
set(almanac_runtime_depends
    "libc6 (>= 2.34), libgsl27 (>= 2.7), libgslcblas0 (>= 2.7), libcsv3 (>= 3.0), libjansson4 (>= 2.14), libnettle8 (>= 3.4), libxlsxwriter4 (>= 1.1)")

set(CPACK_PACKAGE_NAME almanac)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put it before each
# package's own summary, the first line of its description below.
set(CPACK_PACKAGE_CONTACT "${ALMANAC_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ALMANAC_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL bin lib dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)

set(CPACK_DEBIAN_BIN_PACKAGE_NAME almanac)
set(CPACK_DEBIAN_BIN_PACKAGE_SECTION science)
set(CPACK_COMPONENT_BIN_DESCRIPTION
    "published statistics as time series: fit, track, chart, report
Almanac keeps figures quoted in policy documents and statistical
releases as time series with their sources, quotes and vintages, projects
them with prediction intervals, tracks them against official targets and
publishes reports, charts, CSV, JSON and spreadsheets. This package holds
the almanac program, its manual pages, bash completion and the shipped
dataset.")
set(CPACK_DEBIAN_BIN_PACKAGE_DEPENDS
    "${almanac_runtime_depends}, gnuplot-nox | gnuplot")
set(CPACK_DEBIAN_BIN_PACKAGE_RECOMMENDS "fonts-noto-cjk")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${almanac_lib_package})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIB_DESCRIPTION
    "published statistics as time series (shared library)
libalmanac loads Almanac datasets (indicators, observations with their
sources and vintages, targets), fits and projects them, tracks targets and
draws charts through gnuplot. This package holds the shared library.")
set(CPACK_DEBIAN_LIB_PACKAGE_DEPENDS "${almanac_runtime_depends}")
set(CPACK_DEBIAN_LIB_PACKAGE_SUGGESTS "gnuplot-nox | gnuplot")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libalmanac-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "published statistics as time series (development files)
The headers of libalmanac (include/almanac/), its static library and
almanac.pc for pkg-config.")
# almanac.pc requires gsl, jansson, nettle and xlsxwriter (pkg-config reads
# their .pc files even without --static); --static also links libcsv and
# zlib (libxlsxwriter's).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "${almanac_lib_package} (= ${PROJECT_VERSION}), libgsl-dev, libcsv-dev, libjansson-dev, nettle-dev, libxlsxwriter-dev, zlib1g-dev")

set(CPACK_GENERATOR DEB)
include(CPack)
