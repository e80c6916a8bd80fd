# Lab tests: routers in network namespaces (root). Each script creates uniquely named
# namespaces and deletes them on exit, also on failure.
function(ka_lab_test name script)
  cmake_parse_arguments(LAB "" "" "ARGS;LABELS" ${ARGN})
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lab/${script} ${LAB_ARGS})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "KA_BUILD=${CMAKE_BINARY_DIR}"
    LABELS "lab;${LAB_LABELS}"
    TIMEOUT 300
    RUN_SERIAL TRUE)
endfunction()

ka_lab_test(lab_two_keepalive two_keepalive.sh)
ka_lab_test(lab_interop_pass interop.sh ARGS PASS LABELS interop)
ka_lab_test(lab_interop_none interop.sh ARGS none LABELS interop)
ka_lab_test(lab_demo demo.sh LABELS demo)
ka_lab_test(lab_faults faults.sh)
ka_lab_test(lab_notify notify.sh)
ka_lab_test(lab_admin admin.sh)
ka_lab_test(lab_cli cli.sh)
ka_lab_test(lab_admin_abuse admin_abuse.sh)
ka_lab_test(lab_leftover leftover.sh LABELS interop)
ka_lab_test(lab_early_signal early_signal.sh)
ka_lab_test(lab_advert_thread advert_thread.sh)
ka_lab_test(lab_many_vips many_vips.sh LABELS interop)
ka_lab_test(lab_flood flood.sh)
ka_lab_test(lab_owners owners.sh LABELS interop)
ka_lab_test(lab_samples samples.sh)
ka_lab_test(lab_missing_interfaces missing_interfaces.sh)
ka_lab_test(lab_interop_v3 interop_v3.sh LABELS interop)
# hostile-timing: crafted adverts and floods, dropped and counted (needs python3-scapy)
ka_lab_test(lab_hostile hostile.sh)
# Unicast VRRP.
ka_lab_test(lab_interop_unicast interop_unicast.sh LABELS interop)
ka_lab_test(lab_tracking tracking.sh LABELS interop)  # tracking
ka_lab_test(lab_routes_vmac routes_vmac.sh LABELS interop)  # routes-vmac
ka_lab_test(lab_sync_fifo sync_fifo.sh LABELS interop)  # sync groups and notify FIFOs
ka_lab_test(lab_vmac vmac.sh LABELS interop)  # use_vmac
