# Lab tests: routers in network namespaces (root). Each script creates uniquely named
# namespaces (prefixed with its pid) and deletes them on exit, also on failure, so labs
# can run side by side (`ctest -j`): most of their time is spent waiting for VRRP timers.
# SERIAL marks a lab that measures the machine (a flood's rate, RSS, scheduling) and
# must run alone.
function(ka_lab_test name script)
  cmake_parse_arguments(LAB "SERIAL" "" "ARGS;LABELS" ${ARGN})
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lab/${script} ${LAB_ARGS})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "KA_BUILD=${CMAKE_BINARY_DIR}"
    LABELS "lab;${LAB_LABELS}"
    TIMEOUT 300
    RUN_SERIAL ${LAB_SERIAL})
endfunction()

ka_lab_test(lab_two_keepalive two_keepalive.sh)
ka_lab_test(lab_interop_pass interop.sh ARGS PASS LABELS interop)
ka_lab_test(lab_interop_none interop.sh ARGS none LABELS interop)
ka_lab_test(lab_demo demo.sh LABELS demo)
ka_lab_test(lab_faults faults.sh)
ka_lab_test(lab_notify notify.sh)
ka_lab_test(lab_admin admin.sh)
ka_lab_test(lab_cli cli.sh)
ka_lab_test(lab_admin_abuse admin_abuse.sh SERIAL)
ka_lab_test(lab_leftover leftover.sh LABELS interop)
ka_lab_test(lab_early_signal early_signal.sh)
ka_lab_test(lab_advert_thread advert_thread.sh SERIAL)
ka_lab_test(lab_many_vips many_vips.sh LABELS interop)
ka_lab_test(lab_flood flood.sh SERIAL)
ka_lab_test(lab_owners owners.sh LABELS interop)
ka_lab_test(lab_samples samples.sh)
ka_lab_test(lab_missing_interfaces missing_interfaces.sh)
ka_lab_test(lab_interop_v3 interop_v3.sh LABELS interop)
# hostile-timing: crafted adverts and floods, dropped and counted (needs python3-scapy)
ka_lab_test(lab_hostile hostile.sh SERIAL)
# Unicast VRRP.
ka_lab_test(lab_interop_unicast interop_unicast.sh LABELS interop)
ka_lab_test(lab_tracking tracking.sh LABELS interop)  # tracking
ka_lab_test(lab_routes_vmac routes_vmac.sh LABELS interop)  # routes-vmac
ka_lab_test(lab_garp_defaults garp_defaults.sh LABELS interop)  # garp counts and delays
ka_lab_test(lab_probes_b probes_b.sh)  # DNS, UDP, PING, MISC, FILE checks
ka_lab_test(lab_sync_fifo sync_fifo.sh LABELS interop)  # sync groups and notify FIFOs
ka_lab_test(lab_accept accept.sh LABELS interop)
ka_lab_test(lab_mixed_three_v2 mixed_three.sh ARGS ka kd ka 2 LABELS interop)  # two Keepalives, one keepalived
ka_lab_test(lab_mixed_three_v3 mixed_three.sh ARGS kd ka kd 3 LABELS interop)  # one Keepalive, two keepalived
ka_lab_test(lab_sync_track sync_track.sh LABELS interop)  # tracking on sync groups
ka_lab_test(lab_script_user script_user.sh LABELS interop)  # whom scripts run as
ka_lab_test(lab_vmac vmac.sh LABELS interop)  # use_vmac
