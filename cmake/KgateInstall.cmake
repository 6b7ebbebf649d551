# `cmake --install build --prefix P` writes the layout base/paths.h reads:
#   P/bin/kgate
#   P/libexec/kgate/kgate-agent, kgate-microbench
#   P/share/kgate/{scenarios,policies,suites,proposals,kernel-configs}
# and `cpack -G DEB` (in the build folder) packs the same into a .deb.
install(TARGETS kgate RUNTIME DESTINATION bin)
install(TARGETS kgate-agent RUNTIME DESTINATION libexec/kgate)
if(TARGET kgate-microbench)
  install(TARGETS kgate-microbench RUNTIME DESTINATION libexec/kgate)
endif()
# Scenario folders carry their workload.yaml and data; the parsers are
# compiled into kgate, and golden test data is for kgate's own tests.
install(DIRECTORY scenarios/ DESTINATION share/kgate/scenarios
        PATTERN "parsers" EXCLUDE PATTERN "testing" EXCLUDE PATTERN "testdata" EXCLUDE
        PATTERN "*.cc" EXCLUDE PATTERN "*.h" EXCLUDE PATTERN "CMakeLists.txt" EXCLUDE)
install(DIRECTORY policies/ DESTINATION share/kgate/policies FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY suites/ DESTINATION share/kgate/suites FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY kernels/configs/ DESTINATION share/kgate/kernel-configs)
# Proposals whole: each folder holds its proposal.yaml, README and the agent
# or module source it names.
install(DIRECTORY proposals/ DESTINATION share/kgate/proposals)

set(CPACK_PACKAGE_NAME kgate)
set(CPACK_PACKAGE_CONTACT "kgate developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "mainline-fitness gate for Linux kernel changes")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Kernels built from source also want linux-source-6.12, build-essential,
# flex, bison, bc, libelf-dev, libssl-dev, ccache and dwarves.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "linux-source-6.12, build-essential, flex, bison, bc, libelf-dev, libssl-dev, ccache, dwarves")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qemu-system-x86, busybox-static, cpio, xz-utils, zstd, kmod, git")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
