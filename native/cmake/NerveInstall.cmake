# Install rules of libnerve for C and C++ users (docs/c-api.md). Included by native/CMakeLists.txt
# after the nerve target is defined.
#
#   cmake -S native -B build/native -DNERVE_CUDA=OFF -DNERVE_TESTS=OFF
#   cmake --build build/native -j
#   cmake --install build/native --prefix /opt/nerve
#
# puts in the prefix:
#   include/nerve.h
#   lib/libnerve.so.X.Y.Z, and the links libnerve.so.SOVERSION and libnerve.so
#   lib/cmake/Nerve/{NerveConfig,NerveConfigVersion,NerveTargets*}.cmake   find_package(Nerve)
#   lib/pkgconfig/nerve.pc                                                 pkg-config nerve
# (lib is CMAKE_INSTALL_LIBDIR, e.g. lib64 on some distributions.) The presets module installs
# the same way with CMAKE_INSTALL_LIBDIR=lib and packs lib/libnerve.so.SOVERSION into the jar.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The soname carries the ABI version. Before 1.0 every minor release may change the ABI, so
# the soname is libnerve.so.0.MINOR; from 1.0 on, libnerve.so.MAJOR.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(NERVE_SOVERSION "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")
  set(NERVE_VERSION_COMPATIBILITY SameMinorVersion)
else()
  set(NERVE_SOVERSION "${PROJECT_VERSION_MAJOR}")
  set(NERVE_VERSION_COMPATIBILITY SameMajorVersion)
endif()
set_target_properties(nerve PROPERTIES
  VERSION "${PROJECT_VERSION}"
  SOVERSION "${NERVE_SOVERSION}"
  PUBLIC_HEADER "${CMAKE_CURRENT_SOURCE_DIR}/include/nerve.h")
target_include_directories(nerve INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)

set(NERVE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/Nerve")
install(TARGETS nerve EXPORT NerveTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  PUBLIC_HEADER DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT NerveTargets NAMESPACE Nerve:: DESTINATION "${NERVE_CMAKE_DIR}")

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/NerveConfig.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/NerveConfig.cmake"
  INSTALL_DESTINATION "${NERVE_CMAKE_DIR}")
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/NerveConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY ${NERVE_VERSION_COMPATIBILITY})
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/NerveConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/NerveConfigVersion.cmake"
        DESTINATION "${NERVE_CMAKE_DIR}")

# nerve.pc finds the prefix from its own place (${pcfiledir}), so the installed tree still works
# when installed with `cmake --install --prefix DIR` or moved as a whole.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(NERVE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(NERVE_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(NERVE_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH NERVE_PC_UP "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" NERVE_PC_UP "${NERVE_PC_UP}")
  set(NERVE_PC_PREFIX "\${pcfiledir}/${NERVE_PC_UP}")
  set(NERVE_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(NERVE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/nerve.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/nerve.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/nerve.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
