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
install(FILES README.md HACKING.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
