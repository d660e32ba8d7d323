# What `cmake --install` puts where (GNUInstallDirs: FHS places under
# CMAKE_INSTALL_PREFIX), and the .deb CPack builds from it.
install(TARGETS almanac_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS almanac almanac_shared
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
                NAMELINK_COMPONENT Unspecified)
install(DIRECTORY include/almanac
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
configure_file(cmake/almanac.pc.in ${PROJECT_BINARY_DIR}/almanac.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/almanac.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# Found by the installed binary as PREFIX/share/almanac/{plots,lexicon}
# (engine/datadir.c).
install(FILES plots/theme.gp DESTINATION ${CMAKE_INSTALL_DATADIR}/almanac/plots)
install(DIRECTORY lexicon DESTINATION ${CMAKE_INSTALL_DATADIR}/almanac
        FILES_MATCHING PATTERN "*.csv")
install(DIRECTORY datasets DESTINATION ${CMAKE_INSTALL_DATADIR}/almanac)
install(FILES completions/almanac.bash RENAME almanac
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES README.md HACKING.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The manual pages man/CMakeLists.txt writes: almanac.1 and almanac-CMD.1
# into man1, almanac.5 into man5.
foreach(page ${almanac_man_pages})
  get_filename_component(ext ${page} LAST_EXT)
  string(SUBSTRING ${ext} 1 -1 section)
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# The .deb: configure with -DCMAKE_INSTALL_PREFIX=/usr (so that almanac.pc,
# the library folder and the data folder are Debian's), build, then
# `cpack -G DEB` in the build folder (README.md, "Installing"). One package
# holds the program, the library (shared and static), the headers and the
# data; its dependencies are Debian's package names of the libraries the
# program and libalmanac.so link (checked with apt-cache on bookworm).
set(CPACK_PACKAGE_NAME almanac)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "published statistics as time series: fit, track, chart, report")
set(CPACK_PACKAGE_DESCRIPTION
    "Almanac keeps figures quoted in policy documents and statistical
releases as time series with their sources, quotes and vintages, projects
them with prediction intervals, tracks them against official targets and
publishes reports, charts and CSV. Includes libalmanac, its headers and
almanac.pc.")
set(CPACK_PACKAGE_CONTACT "Almanac maintainers <almanac@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libgsl27 (>= 2.7), libgslcblas0 (>= 2.7), libcsv3 (>= 3.0), libjansson4 (>= 2.14), libnettle8 (>= 3.4), libxlsxwriter4 (>= 1.1), gnuplot-nox | gnuplot")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk")
set(CPACK_GENERATOR DEB)
include(CPack)
