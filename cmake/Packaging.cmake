# Where an installed kiosk finds its files, the install rules for everything that is not a program, and
# the Debian packages built with CPack: service-kiosk, service-kiosk-headoffice and service-kiosk-data.
include(GNUInstallDirs)

# The programs compile in the source tree's assets for runs from the build tree; installed, they find
# share/service-kiosk beside their bin/ instead (config::ResolveAssetDir), so the build that is tested is
# the build that is packaged. $KIOSK_ASSET_DIR and `kioskctl --assets` override both.
set(KIOSK_INSTALL_ASSET_DIR "${CMAKE_INSTALL_DATADIR}/service-kiosk")
set(KIOSK_ASSET_DIR "${KIOSK_SOURCE_ASSET_DIR}")

set(KIOSK_PACKAGING_DIR "${PROJECT_SOURCE_DIR}/packaging")

# The assets both programs read (policy, SLA, lifecycle, calendar, translations, printer profiles, demo
# data), in a package of their own.
install(DIRECTORY "${KIOSK_SOURCE_ASSET_DIR}/" DESTINATION "${KIOSK_INSTALL_ASSET_DIR}" COMPONENT data)

# The kiosk: default settings (conffiles), units, udev rules, setup command, manual pages.
install(FILES "${KIOSK_PACKAGING_DIR}/config/kiosk.toml" DESTINATION /etc/service-kiosk COMPONENT kiosk)
install(FILES "${KIOSK_PACKAGING_DIR}/config/service-kiosk.default" DESTINATION /etc/default
        RENAME service-kiosk COMPONENT kiosk)
install(FILES "${KIOSK_PACKAGING_DIR}/systemd/kiosk.service" "${KIOSK_PACKAGING_DIR}/systemd/kiosk-sync.service"
        DESTINATION /lib/systemd/system COMPONENT kiosk)
install(FILES "${KIOSK_PACKAGING_DIR}/udev/70-service-kiosk.rules" DESTINATION /lib/udev/rules.d COMPONENT kiosk)
install(FILES "${KIOSK_PACKAGING_DIR}/udev/71-service-kiosk-scanners.rules" DESTINATION /etc/udev/rules.d COMPONENT kiosk)
install(PROGRAMS "${KIOSK_PACKAGING_DIR}/kiosk-setup" DESTINATION "${CMAKE_INSTALL_SBINDIR}" COMPONENT kiosk)
install(FILES "${KIOSK_PACKAGING_DIR}/systemd/cage.conf"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/service-kiosk/examples" COMPONENT kiosk)

# Head office: its settings (a conffile) and unit.
install(FILES "${KIOSK_PACKAGING_DIR}/config/headoffice.conf" DESTINATION /etc/headoffice COMPONENT headoffice)
install(FILES "${KIOSK_PACKAGING_DIR}/systemd/headoffice.service" DESTINATION /lib/systemd/system COMPONENT headoffice)
# HAProxy in front of several servers (README, "Production layout"), an example to copy.
install(FILES "${KIOSK_PACKAGING_DIR}/config/haproxy.cfg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/service-kiosk-headoffice/examples" COMPONENT headoffice)

# Manual pages compressed as Debian keeps them, built with everything else so `cmake --install` and cpack find them.
find_program(KIOSK_GZIP gzip)
if(KIOSK_GZIP)
  set(kioskManPages kiosk.1 kioskctl.1 kiosk-setup.8 headoffice.1)
  set(kioskManOutputs)
  foreach(page IN LISTS kioskManPages)
    add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/man/${page}.gz"
      COMMAND "${CMAKE_COMMAND}" -E copy "${KIOSK_PACKAGING_DIR}/man/${page}" "${PROJECT_BINARY_DIR}/man/${page}"
      COMMAND "${KIOSK_GZIP}" -9nf "${PROJECT_BINARY_DIR}/man/${page}"
      DEPENDS "${KIOSK_PACKAGING_DIR}/man/${page}"
      COMMENT "Compressing the manual page ${page}"
      VERBATIM)
    list(APPEND kioskManOutputs "${PROJECT_BINARY_DIR}/man/${page}.gz")
  endforeach()
  add_custom_target(kiosk_man_pages ALL DEPENDS ${kioskManOutputs})
  install(FILES "${PROJECT_BINARY_DIR}/man/kiosk.1.gz" "${PROJECT_BINARY_DIR}/man/kioskctl.1.gz"
          DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT kiosk)
  install(FILES "${PROJECT_BINARY_DIR}/man/kiosk-setup.8.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man8" COMPONENT kiosk)
  install(FILES "${PROJECT_BINARY_DIR}/man/headoffice.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT headoffice)

  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME service-kiosk)
  set(CPACK_PACKAGE_VENDOR "Service kiosk project")
  set(CPACK_PACKAGE_CONTACT "Service kiosk maintainers <kiosk@localhost>")
  set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_COMPONENTS_ALL kiosk headoffice data)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
  set(CPACK_DEBIAN_PACKAGE_SECTION misc)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_STRIP_FILES ON)

  set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME service-kiosk)
  string(CONCAT CPACK_COMPONENT_KIOSK_DESCRIPTION "after-sales self-service kiosk\n"
    "The customer touch screen (kiosk), the maintenance tool (kioskctl), the warranty policy, SLA,\n"
    "calendar and translations, systemd units for the screen and the head-office sync, and udev rules\n"
    "that give the kiosk user its receipt printer and barcode scanners.")
  # The CJK and icon fonts and the handwriting model are read at run time; the rest comes from shlibdeps.
  set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "service-kiosk-data (= ${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}), adduser, fonts-wqy-microhei, libgl1, libegl1, tegaki-zinnia-simplified-chinese, fonts-material-design-icons-iconfont")
  set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "libgl1-mesa-dri, udev")
  set(CPACK_DEBIAN_KIOSK_PACKAGE_SUGGESTS "cage")
  set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
      "${KIOSK_PACKAGING_DIR}/debian/kiosk/postinst;${KIOSK_PACKAGING_DIR}/debian/kiosk/prerm;${KIOSK_PACKAGING_DIR}/debian/kiosk/postrm;${KIOSK_PACKAGING_DIR}/debian/kiosk/conffiles")

  set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_NAME service-kiosk-headoffice)
  string(CONCAT CPACK_COMPONENT_HEADOFFICE_DESCRIPTION "after-sales self-service kiosk: head office\n"
    "The headoffice program and its systemd unit: receives the kiosks' tickets, enrols kiosks,\n"
    "publishes catalog, sales, staff, policy and SLA data to them, and serves the dashboard.")
  set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_DEPENDS "service-kiosk-data (= ${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}), adduser")
  set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_SUGGESTS "postgresql, haproxy")
  set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_CONTROL_EXTRA
      "${KIOSK_PACKAGING_DIR}/debian/headoffice/postinst;${KIOSK_PACKAGING_DIR}/debian/headoffice/prerm;${KIOSK_PACKAGING_DIR}/debian/headoffice/postrm;${KIOSK_PACKAGING_DIR}/debian/headoffice/conffiles")
  set(CPACK_DEBIAN_DATA_PACKAGE_NAME service-kiosk-data)
  set(CPACK_DEBIAN_DATA_PACKAGE_ARCHITECTURE all)
  set(CPACK_DEBIAN_DATA_PACKAGE_SHLIBDEPS OFF)
  string(CONCAT CPACK_COMPONENT_DATA_DESCRIPTION "after-sales self-service kiosk: policy tables and assets\n"
    "The warranty policy (China's sanbao rules), SLA targets, store calendar, ticket lifecycle, self-help\n"
    "answers, translations, receipt printer profiles and demo data read by the kiosk and head office.")
  include(CPack)
endif()
