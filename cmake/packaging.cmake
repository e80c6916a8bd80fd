# `make install` layout and the Debian package (`cpack -G DEB` in the build directory).
# The package coexists with Debian's keepalived: no file of its own is one keepalived
# ships or uses (README: Debian package), so neither package conflicts with the other.
# `make install` and cpack install what is built, without building `all` first: the package
# holds two binaries, and cpack in a stale tree (a lab, a hand run after editing a test)
# would otherwise build every test and bench target one at a time. Build, then package.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
install(TARGETS keepalive DESTINATION sbin)
# Root-only by default, but an admin_group opens the socket to its members: in PATH for all.
install(TARGETS keepalivectl DESTINATION bin)
install(FILES etc/keepalive.service DESTINATION /lib/systemd/system)
# Conffiles (etc/debian/conffiles): dpkg keeps the operator's edits on upgrade and removes
# them only on purge. /etc/keepalive, not /etc/keepalived: the latter's keepalived.conf
# belongs to keepalived's operator, and keepalived.service starts when it is not empty.
install(FILES etc/keepalive-package.conf DESTINATION /etc/keepalive RENAME keepalived.conf)
install(FILES etc/keepalive.default DESTINATION /etc/default RENAME keepalive)
install(FILES man/keepalive.8 man/keepalivectl.8 DESTINATION share/man/man8)
install(FILES etc/keepalive.bash-completion DESTINATION share/bash-completion/completions
        RENAME keepalive)
install(FILES etc/keepalivectl.bash-completion DESTINATION share/bash-completion/completions
        RENAME keepalivectl)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME keepalive)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Keepalive maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "VRRP and load-balancing daemon reading keepalived.conf")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the synopsis line, this below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Keepalive runs the VRRP instances, IPVS virtual servers and health checkers of a
keepalived.conf, under systemd as keepalive.service (Type=notify). It installs beside
Debian's keepalived: keepalive.service conflicts with keepalived.service, so only one
of them runs at a time.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # keepalive_0.1.0_amd64.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Library dependencies from the binaries (dpkg-shlibdeps), not a hand-kept list.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "iproute2")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "ipvsadm")
# The installed binaries without their debug sections: the build tree keeps those.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/etc/debian/conffiles
    ${CMAKE_SOURCE_DIR}/etc/debian/postinst
    ${CMAKE_SOURCE_DIR}/etc/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
